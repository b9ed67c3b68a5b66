//! Translation backends behind one trait: a batch of segments in, a translation or a
//! per-segment error out for each.

pub mod apertium;
pub mod ct2;
pub mod libretranslate;

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

/// A successful translation of one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The translated text.
    pub text: String,
    /// Notes about it (e.g. words the engine did not know).
    pub notes: Vec<Note>,
}

impl Translation {
    /// A translation with no notes.
    pub fn plain(text: impl Into<String>) -> Self {
        Translation {
            text: text.into(),
            notes: Vec::new(),
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
}
