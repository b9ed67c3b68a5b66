//! The commands behind the CLI, as library calls, one module per subcommand: each takes a
//! plain options struct (built by `main.rs` from the command line) and returns what the process
//! should exit with.
//!
//! Exit codes: 0 success, 1 findings or partial failures reported, 2 usage or input error
//! (returned as [`Error`]).

use std::path::{Path, PathBuf};

mod check;
mod detect;
mod feed;
mod glossary;
mod languages;
mod models;
mod tm;
mod translate;
pub mod ui;
mod worker;

pub use check::{check, render as render_check, CheckJob, CheckOutput};
pub use detect::{detect, DetectJob};
pub use feed::{feed, FeedJob};
pub use glossary::{glossary_apply, glossary_check, GlossaryApplyJob, GlossaryCheckJob};
pub use languages::{languages, LanguagesJob};
pub use models::{models, ModelsAction, ModelsJob};
pub use tm::{memory_path, tm, TmAction, TmJob};
pub(crate) use translate::job_inputs;
pub use translate::{translate, translate_files, TranslateJob};
pub use worker::{worker, WorkerJob};

pub use crate::serve::{serve, ServeJob};

use crate::backend::ct2::Ct2Options;
use crate::doc::stream::{self, ChunkReader, Cut, Input};
use crate::doc::{self, Document, Format, Severity};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Which engine a command-line `--backend` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// CTranslate2.
    Ct2,
    /// Apertium.
    Apertium,
    /// A remote LibreTranslate-compatible server (`--url`, `--api-key`).
    LibreTranslate,
}

/// Engine settings given on the command line; they override the config file's.
#[derive(Debug, Clone, Default)]
pub struct EngineFlags {
    /// `--device`.
    pub device: Option<String>,
    /// `--threads`.
    pub threads: Option<usize>,
    /// `--compute-type`.
    pub compute_type: Option<String>,
    /// `--replicas`.
    pub replicas: Option<usize>,
    /// `--beam-size`.
    pub beam_size: Option<usize>,
    /// `--max-batch-size`.
    pub max_batch_size: Option<usize>,
    /// `--batch-type`.
    pub batch_type: Option<String>,
    /// `--max-decoding-length`.
    pub max_decoding_length: Option<usize>,
}

impl EngineFlags {
    /// Puts the settings given into `o`.
    pub(crate) fn apply(&self, o: &mut Ct2Options) {
        if let Some(v) = &self.device {
            o.device = v.clone();
        }
        if let Some(v) = self.threads {
            o.threads = v;
        }
        if let Some(v) = &self.compute_type {
            o.compute_type = v.clone();
        }
        if let Some(v) = self.replicas {
            o.replicas = v;
        }
        if let Some(v) = self.beam_size {
            o.beam_size = v;
        }
        if let Some(v) = self.max_batch_size {
            o.max_batch_size = v;
        }
        if let Some(v) = &self.batch_type {
            o.batch_type = v.clone();
        }
        if let Some(v) = self.max_decoding_length {
            o.max_decoding_length = v;
        }
    }
}

/// Refuses engine settings given on the command line that no machine can honour (see
/// [`crate::config::check_engine_limits`]).
pub(crate) fn check_engine_flags(flags: &EngineFlags) -> Result<()> {
    crate::config::check_engine_limits(flags.threads, flags.replicas)
        .map_err(|m| Error::Usage(format!("--{m}")))?;
    for (name, value) in [
        ("beam-size", flags.beam_size),
        ("max-batch-size", flags.max_batch_size),
        ("max-decoding-length", flags.max_decoding_length),
    ] {
        if value == Some(0) {
            return Err(Error::Usage(format!("--{name} must be at least 1")));
        }
    }
    Ok(())
}

pub(crate) fn parse_lang(code: &str, what: &str) -> Result<Lang> {
    Lang::from_code(code).map_err(|e| Error::Usage(format!("{what}: {e}")))
}

/// The format named on the command line, or `None` to decide by extension and content.
pub(crate) fn input_format(name: Option<&str>) -> Result<Option<Format>> {
    name.map(|n| {
        Format::from_name(n).ok_or_else(|| {
            Error::Usage(format!(
                "unknown format `{n}` (expected text, markdown, jsonl, html, rss, atom, xliff or po)"
            ))
        })
    })
    .transpose()
}

/// The format of an input: as given, else by extension, else by content, else plain text.
/// A `.xml` file is sniffed (RSS, Atom, XLIFF or XHTML).
pub(crate) fn resolve_format(given: Option<Format>, path: Option<&Path>, text: &str) -> Format {
    given
        .or_else(|| path.and_then(Format::from_path))
        .or_else(|| Format::sniff(text))
        .unwrap_or(Format::Text)
}

pub(crate) fn read_document(input: Option<&PathBuf>, format: Option<Format>) -> Result<Document> {
    let path = input.map(PathBuf::as_path);
    let (origin, text) = doc::read_input(path)?;
    doc::parse(resolve_format(format, path, &text), &origin, &text)
}

/// An input, read whole or in chunks.
pub(crate) enum Source {
    /// A document read whole (formats that are not cut, inputs that are not UTF-8, small
    /// inputs).
    Whole(Document),
    /// Plain text or JSONL read chunk by chunk.
    Chunks(ChunkReader, Format),
}

/// Opens an input for a command that can work chunk by chunk: plain text and JSONL in UTF-8 are
/// read in chunks of about `chunk` bytes (the format is decided from the first chunk), anything
/// else whole, as [`read_document`] reads it. `chunk: None` reads every input whole.
pub(crate) fn open_source(
    input: Option<&PathBuf>,
    format: Option<Format>,
    chunk: Option<usize>,
    opts: &doc::ReadOptions,
) -> Result<Source> {
    let whole = |input: Option<&PathBuf>| -> Result<Document> {
        let path = input.map(PathBuf::as_path);
        let (origin, text) = doc::read_input(path)?;
        doc::parse_with(resolve_format(format, path, &text), &origin, &text, opts)
    };
    let Some(size) = chunk else {
        return whole(input).map(Source::Whole);
    };
    let path = input.map(PathBuf::as_path);
    let mut opened = Input::open(path)?;
    let head = opened.read_head(size)?;
    if stream::streamable_utf8(&head) {
        let valid = match std::str::from_utf8(&head) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        };
        let resolved = resolve_format(format, path, valid);
        if let Some(cut) = Cut::for_format(resolved) {
            return Ok(Source::Chunks(
                ChunkReader::new(opened, head, cut, size),
                resolved,
            ));
        }
    }
    // Read whole: a file again from its start, standard input from what is left.
    let document = match opened.path.clone() {
        Some(_) => {
            drop(opened);
            whole(input)?
        }
        None => {
            let origin = opened.origin.clone();
            let text = doc::decode(&origin, opened.read_rest(head)?)?;
            doc::parse_with(resolve_format(format, path, &text), &origin, &text, opts)?
        }
    };
    Ok(Source::Whole(document))
}

/// The chunk size for commands that read in chunks: `TARJUMAN_CHUNK_BYTES` if set (tests use
/// small chunks to cross many boundaries), else [`stream::DEFAULT_CHUNK`].
pub(crate) fn chunk_size() -> usize {
    std::env::var("TARJUMAN_CHUNK_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(stream::DEFAULT_CHUNK)
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Prints a document's reader warnings and its segments' warnings, errors and `inline-moved`
/// infos on stderr, one line per cause (see [`NoteReport`]).
pub(crate) fn report_notes(document: &Document) {
    let mut report = NoteReport::default();
    report.add(document);
    report.print();
}

/// One cause of notes: the same severity, kind and message in one input.
struct Cause {
    origin: String,
    severity: Severity,
    kind: String,
    message: String,
    /// Lines where it was noted, in order (the first few; `count` has them all).
    lines: Vec<usize>,
    count: usize,
}

/// Notes gathered over a run (over the chunks of a large input, too) and printed one line per
/// cause: an unknown word met 40 times is one warning with its count and first lines, not 40.
/// Segments that came from the translation memory say nothing new: their notes were printed
/// when they were translated.
#[derive(Default)]
pub(crate) struct NoteReport {
    causes: Vec<Cause>,
    index: std::collections::HashMap<(String, Severity, String, String), usize>,
}

/// How many lines of a cause are listed.
const LINES_LISTED: usize = 8;

impl NoteReport {
    /// Gathers one note of `origin` at `line`.
    pub(crate) fn note(
        &mut self,
        origin: &str,
        severity: Severity,
        kind: &str,
        message: &str,
        line: usize,
    ) {
        let key = (
            origin.to_string(),
            severity,
            kind.to_string(),
            message.to_string(),
        );
        let at = *self.index.entry(key).or_insert_with(|| {
            self.causes.push(Cause {
                origin: origin.to_string(),
                severity,
                kind: kind.to_string(),
                message: message.to_string(),
                lines: Vec::new(),
                count: 0,
            });
            self.causes.len() - 1
        });
        let cause = &mut self.causes[at];
        cause.count += 1;
        if cause.lines.len() < LINES_LISTED && cause.lines.last() != Some(&line) {
            cause.lines.push(line);
        }
    }

    /// Gathers the notes of `document` worth showing: reader warnings, and the warnings,
    /// errors and `inline-moved` infos of segments not served from the memory.
    pub(crate) fn add(&mut self, document: &Document) {
        let format = document.format.to_string();
        for w in document.warnings.iter().filter(|_| !ui::quiet()) {
            self.note(
                &document.origin,
                Severity::Warning,
                &format,
                &w.message,
                w.line,
            );
        }
        for block in &document.blocks {
            for (seg, line) in block
                .segments
                .iter()
                .zip(crate::segment::segment_lines(block))
            {
                let cached = seg.notes.iter().any(|n| n.kind == crate::tm::HIT);
                for note in &seg.notes {
                    let shown = match note.severity {
                        Severity::Error => true,
                        _ if ui::quiet() => false,
                        Severity::Warning => true,
                        Severity::Info => {
                            note.kind == crate::pipeline::INLINE_MOVED || ui::verbose()
                        }
                    };
                    // A failure is news on every run; what the engine said is not.
                    let news = !cached
                        || note.severity == Severity::Error
                        || (note.kind == crate::tm::HIT && ui::verbose());
                    if shown && news {
                        self.note(
                            &document.origin,
                            note.severity,
                            &note.kind,
                            &note.message,
                            line,
                        );
                    }
                }
            }
        }
    }

    /// Prints one line per cause, in the order they were first met, and forgets them.
    pub(crate) fn print(&mut self) {
        for c in self.causes.drain(..) {
            let sev = match c.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let first = c.lines.first().copied().unwrap_or(0);
            let mut line = format!("{}:{first}: {sev}[{}]: {}", c.origin, c.kind, c.message);
            if c.count > 1 {
                let lines: Vec<String> = c.lines.iter().map(usize::to_string).collect();
                let listed = c.lines.len();
                line.push_str(&format!(" ({} times; lines {}", c.count, lines.join(", ")));
                if c.count > listed {
                    line.push_str(", …");
                }
                line.push(')');
            }
            let line = ui::paint(&line, ui::Stream::Stderr);
            // `add` chose what is worth showing at the user's -q/-v (an `inline-moved` info is
            // shown by default): errors are errors, the rest warnings to the filter.
            match c.severity {
                Severity::Error => tracing::error!("{line}"),
                Severity::Warning | Severity::Info => tracing::warn!("{line}"),
            }
        }
        self.index.clear();
    }
}
