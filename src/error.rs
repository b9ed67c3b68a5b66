//! The library's error type.

use std::path::PathBuf;

use crate::backend::BackendError;

/// Errors from reading input, loading configuration or running the pipeline.
///
/// Every variant that is about an input names the file (and the line where there is one).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read.
    #[error("{origin}: {source}")]
    Io {
        /// File (or `-`) concerned.
        origin: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The input is not valid UTF-8.
    #[error("{origin}:{line}: input is not valid UTF-8 (byte {byte} of the file)")]
    InvalidUtf8 {
        /// File (or `-`).
        origin: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 0-based byte offset of the first bad byte.
        byte: usize,
    },
    /// The input has nothing in it to work on.
    #[error("{origin}: input is empty")]
    EmptyInput {
        /// File (or `-`).
        origin: String,
    },
    /// A line or record of the input is malformed.
    #[error("{origin}:{line}: {message}")]
    Parse {
        /// File (or `-`).
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The configuration file is malformed or inconsistent.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Config {
        /// Config file.
        path: PathBuf,
        /// 1-based line of the setting at fault, where there is one.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A usage error: options that do not fit together or name nothing usable.
    #[error("{0}")]
    Usage(String),
    /// A backend could not be loaded or failed as a whole.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The translation memory failed.
    #[error(transparent)]
    Memory(#[from] crate::tm::TmError),
    /// The output could not be written.
    #[error("{}: {source}", .path.display())]
    Output {
        /// Output file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code this error calls for: 2 for usage and input errors, which is
    /// every error the library returns (partial failures are reported, not returned).
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Byte offsets of the line starts of a text, for turning positions into 1-based lines by
/// binary search (built once per file: no rescan per lookup).
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `pos`.
    pub(crate) fn line(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_finds_lines() {
        let idx = LineIndex::new("a\nbc\n\nd");
        let lines: Vec<usize> = (0..8).map(|p| idx.line(p)).collect();
        assert_eq!(lines, [1, 1, 2, 2, 2, 3, 4, 4]);
    }
}
