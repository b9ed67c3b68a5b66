//! Translation backends behind one trait: a batch of segments in, a translation or a
//! per-segment error out for each.

pub mod apertium;
pub mod ct2;
pub mod libretranslate;

use std::ops::Range;
use std::path::PathBuf;

use crate::doc::Note;
use crate::lang::Lang;

/// A source → target language pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LangPair {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
}

impl std::fmt::Display for LangPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}→{}", self.from, self.to)
    }
}

/// One segment to translate, with the parts of its text that inline markup covers (a link, an
/// emphasis, an image between two words), so that an engine able to follow them through the
/// translation can tell where they went.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The text to translate.
    pub text: &'a str,
    /// Byte ranges of `text` covered by inline elements; an empty range is an element with no
    /// text of its own (an image, a line break) at that place. Ranges nest or are disjoint.
    pub spans: &'a [Range<usize>],
}

impl<'a> Source<'a> {
    /// A segment without markup.
    pub fn plain(text: &'a str) -> Self {
        Source { text, spans: &[] }
    }
}

/// A successful translation of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The translated text.
    pub text: String,
    /// Notes about it (e.g. words the engine did not know).
    pub notes: Vec<Note>,
    /// Where each span of the source ([`Source::spans`]) went in `text`: a byte range (empty for
    /// an element with no text), or `None` where the engine cannot tell. Empty when the backend
    /// does not follow markup (then the writers place it by the words).
    pub spans: Vec<Option<Range<usize>>>,
}

impl Translation {
    /// A translation with no notes.
    pub fn plain(text: impl Into<String>) -> Self {
        Translation {
            text: text.into(),
            notes: Vec::new(),
            spans: Vec::new(),
        }
    }
}

/// Errors a backend reports.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The model directory does not exist or is not a directory.
    #[error("model directory {} not found", .0.display())]
    ModelNotFound(PathBuf),
    /// The model directory lacks something it needs.
    #[error("model at {}: {message}", .path.display())]
    BadModel {
        /// Model directory.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The engine could not be started or failed as a whole.
    #[error("{backend}: {message}")]
    Engine {
        /// Backend name.
        backend: String,
        /// What went wrong.
        message: String,
    },
    /// The backend cannot translate this pair.
    #[error("{backend} cannot translate {pair}")]
    UnsupportedPair {
        /// Backend name.
        backend: String,
        /// The pair asked for.
        pair: LangPair,
    },
    /// A setting is invalid.
    #[error("invalid backend setting: {0}")]
    Config(String),
}

/// Why one segment could not be translated (the rest of the batch may still be fine).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SegmentError {
    /// What went wrong.
    pub message: String,
}

/// A translation engine.
///
/// Implementations take the whole batch at once so that they can sort, pack and run it in as
/// few engine calls as they like; the result has one entry per input, in input order.
pub trait Backend: Send + Sync {
    /// A short name for messages and reports (e.g. `ct2:opus-mt-de-en`, `apertium:spa-eng`).
    fn name(&self) -> &str;

    /// Whether this backend can translate `pair` (routing uses this to check the config).
    fn supports(&self, pair: LangPair) -> bool;

    /// Translates `texts` from `pair.from` to `pair.to`.
    ///
    /// An `Err` means the whole batch failed (the engine is unusable); per-segment failures are
    /// reported in the inner results.
    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError>;

    /// Whether a batch may be cut into smaller calls at no cost but the calls themselves (an
    /// engine in this process); the pipeline then advances its progress bar call by call. An
    /// engine that starts a process or sends a request per call says no (the default).
    fn cheap_calls(&self) -> bool {
        false
    }

    /// Translates `sources` like [`Backend::translate_marked`] and calls `done(n)` whenever
    /// the next `n` of them have come out of the engine, so that a progress bar can follow an
    /// engine that works through a long batch. Engines that return a batch whole need not call
    /// it (the default does not): the caller counts what was not reported when the call
    /// returns. Never reports more than `sources.len()` in all.
    fn translate_watched(
        &self,
        pair: LangPair,
        sources: &[Source<'_>],
        done: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        let _ = done;
        self.translate_marked(pair, sources)
    }

    /// Translates `sources` like [`Backend::translate`], and tells where the spans of each
    /// source went ([`Translation::spans`]) if the engine can follow them. The default
    /// translates the texts alone and places nothing.
    fn translate_marked(
        &self,
        pair: LangPair,
        sources: &[Source<'_>],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        let texts: Vec<&str> = sources.iter().map(|s| s.text).collect();
        self.translate(pair, &texts)
    }
}

/// The spans of a segment or block in tree order: parents before children (by start, then
/// the longer first; of two spans with the same range the later in the list is the outer one,
/// as readers list an element after the elements inside it), and at one place the spans with
/// no text first, in list order.
pub fn span_order(spans: &[Range<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| {
        let r = &spans[i];
        let tie = if r.is_empty() { i } else { usize::MAX - i };
        (r.start, !r.is_empty(), std::cmp::Reverse(r.end), tie)
    });
    order
}

/// The parent of each span of a segment (the innermost other span that contains it; for a span
/// with no text, one that contains it strictly), `None` at the top; see [`span_order`]. Spans
/// must nest or be disjoint; one that crosses another is taken as the child of what contains
/// it wholly.
pub fn span_parents(spans: &[Range<usize>]) -> Vec<Option<usize>> {
    let order = span_order(spans);
    let mut parents = vec![None; spans.len()];
    let mut stack: Vec<usize> = Vec::new();
    for i in order {
        let r = &spans[i];
        if r.is_empty() {
            while stack.last().is_some_and(|&t| spans[t].end <= r.start) {
                stack.pop();
            }
            // Spans that start here come after it in `order`: the top starts before it.
            parents[i] = stack.last().copied();
            continue;
        }
        while stack.last().is_some_and(|&t| spans[t].end < r.end) {
            stack.pop();
        }
        parents[i] = stack.last().copied();
        stack.push(i);
    }
    parents
}
