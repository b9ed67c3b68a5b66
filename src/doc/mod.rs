//! The data model every stage reads and writes: a [`Document`] of [`Block`]s, each cut into
//! [`Segment`]s. The readers and writers that turn formats into this model and back are its
//! submodules, one per format; [`parse`] and [`render`] dispatch to them by [`Format`]
//! (`dispatch`), and [`read_input`] turns the bytes of an input into text (`encoding`).
//!
//! Readers are the only code that parses raw input; later stages work on blocks and segments
//! and never re-parse the original text. Every segment keeps its byte span in its block, and
//! every block its line in the input, so findings can point at exact places.

mod dispatch;
mod encoding;
pub mod html;
mod inline;
pub mod jsonl;
pub mod markdown;
mod markup;
pub mod plural;
pub mod po;
pub mod rss_atom;
pub mod stream;
pub mod text;
pub mod xliff;

pub use dispatch::{moved_inlines, parse, parse_with, render, segment_pieces, ReadOptions};
pub use encoding::{decode, decode_declared, decode_utf8, read_input};

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::lang::Lang;

/// Input and output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: paragraphs separated by blank lines; the first short line may be a title.
    Text,
    /// CommonMark-style Markdown (headings, lists, quotes, code, inline emphasis/links/code).
    Markdown,
    /// One JSON object per line with `id` and `text`.
    Jsonl,
    /// HTML or XHTML pages and fragments.
    Html,
    /// RSS 2.0 feeds.
    Rss,
    /// Atom feeds.
    Atom,
    /// XLIFF 1.2 and 2.0 localization files.
    Xliff,
    /// GNU gettext PO catalogues.
    Po,
}

impl Format {
    /// Parses a format name as given on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "rss" => Some(Format::Rss),
            "atom" => Some(Format::Atom),
            "xliff" | "xlf" => Some(Format::Xliff),
            "po" | "pot" | "gettext" => Some(Format::Po),
            _ => None,
        }
    }

    /// Whether the format is read from and written back as XML (checked with an XML parser).
    pub fn is_xml(self) -> bool {
        matches!(self, Format::Rss | Format::Atom | Format::Xliff)
    }

    /// The lowercase name of the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Xliff => "xliff",
            Format::Po => "po",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A whole input document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The format it was read from (and will be written back in).
    pub format: Format,
    /// Where it came from (a path, or `-` for standard input), for messages.
    pub origin: String,
    /// The language of the document as a whole, once detected or given.
    pub lang: Option<Detection>,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
    /// The language the document is being translated into (set by the pipeline); writers put
    /// it in the format's language field (`lang`, `<language>`, `trgLang`, `Language:`).
    pub target: Option<Lang>,
    /// Whether the input began with a UTF-8 byte-order mark (written back).
    pub bom: bool,
    /// What the reader read leniently (a feed element whose HTML is broken, kept as it was).
    pub warnings: Vec<Warning>,
    /// The target language a bilingual file (XLIFF, PO) declares, as written, with its line,
    /// when the file keeps translators' work in it after reading: translated into another
    /// language, the file would hold two (see [`Document::check_target`]).
    pub kept_target: Option<(String, usize)>,
}

/// Something a reader read leniently, with the line it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based line in the input.
    pub line: usize,
    /// What was done, and why.
    pub message: String,
}

impl Document {
    /// Refuses to translate into `target` a bilingual file that keeps translators' work in
    /// another language ([`Document::kept_target`]): the result would mix two languages, and
    /// its declared target language would be wrong for one of them. An XLIFF file is fine with
    /// `--overwrite` (nothing is kept), and so is a file whose targets are all empty.
    pub fn check_target(&self, target: Lang) -> crate::error::Result<()> {
        let Some((code, line)) = &self.kept_target else {
            return Ok(());
        };
        if Lang::from_code(code).is_ok_and(|l| l == target) {
            return Ok(());
        }
        let hint = match self.format {
            Format::Xliff => {
                "translate it into that language, or pass --overwrite to replace every target"
            }
            _ => "translate it into that language",
        };
        Err(crate::error::Error::Parse {
            origin: self.origin.clone(),
            line: *line,
            message: format!(
                "the file holds translations into `{code}`; translating it into `{}` would mix two languages in one file ({hint})",
                target.code()
            ),
        })
    }

    /// A new, empty document.
    pub fn new(format: Format, origin: impl Into<String>) -> Self {
        Document {
            format,
            origin: origin.into(),
            lang: None,
            blocks: Vec::new(),
            target: None,
            bom: false,
            warnings: Vec::new(),
            kept_target: None,
        }
    }

    /// All segments in reading order.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.blocks.iter().flat_map(|b| b.segments.iter())
    }

    /// All segments in reading order, mutably.
    pub fn segments_mut(&mut self) -> impl Iterator<Item = &mut Segment> {
        self.blocks.iter_mut().flat_map(|b| b.segments.iter_mut())
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.blocks.iter().map(|b| b.segments.len()).sum()
    }

    /// Whether any segment of the document was translated (so its language field changes).
    pub fn is_translated(&self) -> bool {
        self.blocks.iter().any(Block::is_changed)
    }

    /// Renumbers segment ids in reading order (0, 1, 2, …).
    pub fn number_segments(&mut self) {
        for (i, s) in self.segments_mut().enumerate() {
            s.id = i;
        }
    }
}

/// What kind of block a piece of the document is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BlockKind {
    /// The document's title.
    Title,
    /// A heading with its level (1–6).
    Heading {
        /// Heading level, 1 for the top.
        level: u8,
    },
    /// A running-text paragraph.
    Paragraph,
    /// An item of a list.
    ListItem,
    /// A block quotation.
    Quote,
    /// Code or preformatted text: never translated.
    Code,
    /// A separator or other markup with no text to translate.
    Markup,
    /// One record of a record-oriented format (a JSONL line).
    Record,
}

impl BlockKind {
    /// Whether blocks of this kind carry translatable text.
    pub fn is_translatable(&self) -> bool {
        !matches!(self, BlockKind::Code | BlockKind::Markup)
    }
}

/// Inline structure inside a block's text (emphasis, links, inline code…), as byte ranges
/// into [`Block::text`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inline {
    /// What the inline element is.
    pub kind: InlineKind,
    /// Byte range of its content in the block text.
    pub span: Range<usize>,
}

/// Kinds of inline elements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum InlineKind {
    /// Inline content that is not translated (Markdown inline code, HTML `<code>` inside a
    /// sentence, XLIFF `<ph>` with content): its text stays in `Block::text` under `span` so
    /// that sentences read whole; engines must keep it unchanged, and writers write `raw` (the
    /// element exactly as written) in its place.
    Code {
        /// The element exactly as written in the input.
        raw: String,
    },
    /// An inline element with its opening and closing markup exactly as written: an HTML or
    /// XML element (`<a>`, `<em>`, `<span>`, XLIFF `<g>`/`<x/>`…), or Markdown emphasis,
    /// links and images (`**`/`**`, `[`/`](url "title")`, `![`/`][label]`).
    Tag {
        /// The element name, lowercase (`em`, `strong`, `a`, `img`, `del` for Markdown).
        name: String,
        /// The opening tag as written (with its attributes), or the whole empty element.
        open: String,
        /// The closing tag as written; empty for empty elements.
        close: String,
    },
}

/// One block of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// The kind of block.
    #[serde(flatten)]
    pub kind: BlockKind,
    /// The record id, for record formats (JSONL `id`), kept verbatim. Boxed: most blocks
    /// have none, and a document holds tens of thousands of blocks.
    pub id: Option<Box<serde_json::Value>>,
    /// The block's text with format markup removed (what segmentation sees).
    pub text: String,
    /// Inline elements of the text, if the format has them.
    pub inlines: Vec<Inline>,
    /// 1-based line in the input where the block starts.
    pub line: usize,
    /// What the writer puts before the text (layout whitespace, `## `, `- `, `> `), verbatim.
    pub prefix: String,
    /// What the writer puts after the text (line ends, layout whitespace), verbatim.
    pub suffix: String,
    /// Format-specific fields kept for the writer (e.g. the other keys of a JSONL record).
    #[serde(skip)]
    pub attrs: Attrs,
    /// The block exactly as it stood in the input, for untouched round trips.
    pub raw: String,
    /// Segments of `text`, filled by the segmenter.
    pub segments: Vec<Segment>,
}

/// Format-specific fields of a block ([`Block::attrs`]): a JSON map, allocated only when a
/// field is set (most blocks have none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs(Option<Box<serde_json::Map<String, serde_json::Value>>>);

impl Attrs {
    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.as_ref()?.get(key)
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.as_ref().is_some_and(|m| m.contains_key(key))
    }

    /// Sets `key`; returns the value it had.
    pub fn insert(&mut self, key: String, value: serde_json::Value) -> Option<serde_json::Value> {
        self.0
            .get_or_insert_with(Default::default)
            .insert(key, value)
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// The fields as a JSON map (a copy).
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.0.as_deref().cloned().unwrap_or_default()
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for Attrs {
    fn from(map: serde_json::Map<String, serde_json::Value>) -> Self {
        Attrs((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl Block {
    /// A block of the given kind and text starting at `line`; `raw` is set to the text.
    pub fn new(kind: BlockKind, text: impl Into<String>, line: usize) -> Self {
        let text = text.into();
        Block {
            kind,
            id: None,
            raw: text.clone(),
            text,
            inlines: Vec::new(),
            line,
            prefix: String::new(),
            suffix: String::new(),
            attrs: Attrs::default(),
            segments: Vec::new(),
        }
    }

    /// Whether any segment of this block received a translation that differs from its text.
    pub fn is_changed(&self) -> bool {
        self.segments
            .iter()
            .any(|s| s.translation.as_deref().is_some_and(|t| t != s.text))
    }

    /// The block text with every translated segment replaced by its translation, keeping the
    /// text between segments (spaces, line breaks) as it was.
    pub fn translated_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut pos = 0;
        for s in &self.segments {
            if s.span.start < pos || s.span.end > self.text.len() {
                continue;
            }
            out.push_str(&self.text[pos..s.span.start]);
            out.push_str(s.output());
            pos = s.span.end;
        }
        out.push_str(&self.text[pos.min(self.text.len())..]);
        out
    }
}

/// How a segment's language was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectionSource {
    /// Given by the user (`--from`).
    Given,
    /// Detected from the segment's own text.
    Detected,
    /// Too little text, or too uncertain: taken from the document.
    Inherited,
}

/// A language decision with its confidence (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Detection {
    /// The language.
    pub lang: Lang,
    /// Confidence in 0..=1.
    pub confidence: f64,
    /// How it was decided.
    pub source: DetectionSource,
}

/// What happened to a segment on its way through the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SegmentStatus {
    /// Not yet handled.
    #[default]
    Pending,
    /// Translated by a backend.
    Translated,
    /// Already in the target language (or nothing to translate): left as it was.
    PassedThrough,
    /// Could not be translated (no route, backend error); left as it was, with a note.
    Failed,
}

/// Severity of a note or a QA finding; ordered from `Info` to `Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information (a pivot, a merge of two sentences), not a problem by itself.
    Info,
    /// Probably a problem; worth a look.
    Warning,
    /// Something failed, or must be fixed before publication.
    Error,
}

impl Severity {
    /// Parses `error`, `warning` or `info`.
    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A note a stage attaches to a segment (unknown words, missing routes, engine errors…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Note {
    /// Machine-readable kind, e.g. `unknown-word`, `no-route`, `backend-error`, `pivot`.
    pub kind: String,
    /// Severity.
    pub severity: Severity,
    /// Human-readable message.
    pub message: String,
    /// The text it is about, if any (e.g. the unknown word).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Note {
    /// A note of the given kind and severity.
    pub fn new(kind: &str, severity: Severity, message: impl Into<String>) -> Self {
        Note {
            kind: kind.to_string(),
            severity,
            message: message.into(),
            text: None,
        }
    }

    /// Attaches the text the note is about.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
}

/// One sentence (or sentence-like unit) of a block.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    /// Position in the document's reading order.
    pub id: usize,
    /// The segment's text (equal to `block.text[span]`).
    pub text: String,
    /// Byte span of the text in its block's text.
    pub span: Range<usize>,
    /// The detected language, once the detector ran.
    pub lang: Option<Detection>,
    /// The translation, once a backend produced one (or the text itself on pass-through).
    pub translation: Option<String>,
    /// What happened to the segment.
    pub status: SegmentStatus,
    /// Notes and findings attached by the stages.
    pub notes: Vec<Note>,
    /// Where the engine put the pieces of inline markup inside this segment (one entry per
    /// piece, in the order the markup writer lists them; byte ranges of the translation, empty
    /// for an element with no text); empty when the engine did not say.
    #[serde(skip)]
    pub inline_places: Vec<Option<Range<usize>>>,
}

impl Segment {
    /// A pending segment covering `span` of `block_text`.
    ///
    /// # Panics
    /// Panics if `span` is not a valid char-boundary range of `block_text`.
    pub fn new(id: usize, block_text: &str, span: Range<usize>) -> Self {
        Segment {
            id,
            text: block_text[span.clone()].to_string(),
            span,
            lang: None,
            translation: None,
            status: SegmentStatus::Pending,
            notes: Vec::new(),
            inline_places: Vec::new(),
        }
    }

    /// The text to write out: the translation if there is one, else the original.
    pub fn output(&self) -> &str {
        self.translation.as_deref().unwrap_or(&self.text)
    }

    /// Whether the segment has enough letters to be worth translating.
    pub fn has_letters(&self) -> bool {
        self.text.chars().any(char::is_alphabetic)
    }
}

/// Splits `text` into lines keeping their terminators, paired with their 1-based numbers.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}
