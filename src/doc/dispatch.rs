//! Format dispatch: which reader reads a [`Format`], which writer writes it, and guessing the
//! format of an input from its name or content.

use std::ops::Range;
use std::path::Path;

use super::{html, inline, jsonl, markdown, markup, po, rss_atom, text, xliff};
use super::{Block, Document, Format, Inline};

impl Format {
    /// Guesses a format from a file extension; `None` if the extension says nothing.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "rss" | "rdf" => Some(Format::Rss),
            "atom" => Some(Format::Atom),
            "xliff" | "xlf" => Some(Format::Xliff),
            "po" | "pot" => Some(Format::Po),
            _ => None,
        }
    }

    /// Guesses a format from the content: the root element of XML (`rss`, `feed`, `xliff`,
    /// `html`), a PO `msgid`, or a JSON object per line. `None` if nothing fits (plain text).
    pub fn sniff(text: &str) -> Option<Format> {
        let head = text.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with('<') {
            return Some(match markup::root_element(head).as_deref() {
                Some("rss" | "rdf") => Format::Rss,
                Some("feed") => Format::Atom,
                Some("xliff") => Format::Xliff,
                _ => Format::Html,
            });
        }
        if head.starts_with('{') {
            return Some(Format::Jsonl);
        }
        let po = text.lines().any(|l| l.starts_with("msgid \"")) && text.contains("\nmsgstr");
        po.then_some(Format::Po)
    }
}

/// How a reader treats existing translations, and which elements it translates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// XLIFF: translate every unit (but those marked `translate="no"`), replacing the targets
    /// translators wrote, approved and final ones too.
    pub overwrite: bool,
    /// RSS/Atom: elements of other namespaces to translate too (the config's `[feed]
    /// translate`); by default they are kept byte for byte.
    pub feed_elements: Vec<super::rss_atom::FeedElement>,
}

/// Parses `text` in `format` into a document. Empty input (nothing but whitespace) is an error.
pub fn parse(format: Format, origin: &str, text: &str) -> crate::error::Result<Document> {
    parse_with(format, origin, text, &ReadOptions::default())
}

/// Parses `text` in `format` into a document with `opts`. Empty input (nothing but whitespace)
/// is an error.
pub fn parse_with(
    format: Format,
    origin: &str,
    text: &str,
    opts: &ReadOptions,
) -> crate::error::Result<Document> {
    let bom = text.starts_with('\u{feff}');
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(crate::error::Error::EmptyInput {
            origin: origin.to_string(),
        });
    }
    let mut doc = match format {
        Format::Text => Ok(text::read(origin, text)),
        Format::Markdown => Ok(markdown::read(origin, text)),
        Format::Jsonl => jsonl::read(origin, text),
        Format::Html => html::read(origin, text),
        Format::Rss | Format::Atom => {
            rss_atom::read_with(format, origin, text, &opts.feed_elements)
        }
        Format::Xliff => xliff::read_with(origin, text, opts),
        Format::Po => po::read(origin, text),
    };
    if let Ok(doc) = doc.as_mut() {
        doc.bom = bom;
    }
    doc
}

/// Writes a document back in its own format, with translations in place of the text, in
/// UTF-8 (its encoding declaration made to say so where needed), with the byte-order mark it
/// was read with.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    if doc.bom {
        out.push('\u{feff}');
    }
    out.push_str(&match doc.format {
        Format::Text => text::write(doc),
        Format::Markdown => markdown::write(doc),
        Format::Jsonl => jsonl::write(doc),
        Format::Html => html::write(doc),
        Format::Rss | Format::Atom => rss_atom::write(doc),
        Format::Xliff => xliff::write(doc),
        Format::Po => po::write(doc),
    });
    super::encoding::declare_utf8(doc.format, &mut out);
    out
}

/// Whether `format` has inline markup that the writers put back around translated words.
fn has_inline_markup(format: Format) -> bool {
    match format {
        Format::Markdown | Format::Html | Format::Rss | Format::Atom | Format::Xliff => true,
        Format::Text | Format::Jsonl | Format::Po => false,
    }
}

/// Inline elements of `block` that could not be put exactly around the translation of their
/// words and were kept around the nearest words instead (at worst the whole sentence), each
/// with the index in `block.segments` of the segment it is reported on.
pub fn moved_inlines(format: Format, block: &Block) -> Vec<(usize, &Inline)> {
    if has_inline_markup(format) {
        inline::moved_inlines(block)
    } else {
        Vec::new()
    }
}

/// The pieces of inline markup inside each segment of `block` whose place in the translation
/// an engine should report (per segment, indexed like `block.segments`: the element's index
/// in `block.inlines` and the piece's byte range in the segment's text).
pub fn segment_pieces(format: Format, block: &Block) -> Vec<Vec<(usize, Range<usize>)>> {
    if has_inline_markup(format) {
        inline::segment_pieces(block)
    } else {
        vec![Vec::new(); block.segments.len()]
    }
}
