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
pub mod detect;
pub mod doc;
pub mod lang;
pub mod segment;

pub use doc::{Block, BlockKind, Document, Segment};
pub use lang::Lang;
