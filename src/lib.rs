//! tarjuman: machine translation and localization for news.
//!
//! A [`doc::Document`] flows one way through named stages:
//!
//! ```text
//! doc (reader) → segment → detect → route → backend → doc (writer)
//! ```
//!
//! See `ARCHITECTURE.md` for where each stage lives.

pub mod backend;
pub mod bulk;
pub mod cli;
pub mod codes;
pub mod config;
pub mod detect;
pub mod doc;
pub mod error;
pub mod glossary;
pub mod http;
pub mod lang;
pub mod models;
pub mod output;
pub mod pipeline;
pub mod qa;
pub mod queue;
pub mod route;
pub mod segment;
pub mod serve;
pub mod setup;
pub mod timeline;
pub mod tm;
pub mod transport;
pub mod verbatim;

pub use doc::{Block, BlockKind, Document, Segment};
pub use error::{Error, Result};
pub use lang::Lang;

/// The README's Rust snippet, compiled as a doc test so that it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
