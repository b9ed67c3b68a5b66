//! The static files the service embeds: the web page at `/` (one HTML file with its script
//! and style, no build step) and the OpenAPI document at `/spec`.

/// The web page: paste text or upload a file, pick languages, read the translation with
/// QA findings highlighted and glossary terms marked.
pub const PAGE: &str = include_str!("page.html");

/// The OpenAPI 3 document of the service.
pub const OPENAPI: &str = include_str!("openapi.json");
