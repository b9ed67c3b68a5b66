//! API keys and request limits.
//!
//! The keys file (`--api-keys FILE`) holds one key per line with its limits, separated by
//! tabs or spaces:
//!
//! ```text
//! # key                                  requests per minute   characters per request
//! 5f1c3b1e-2a1b-4d7e-9a7b-1c2d3e4f5a6b   120                   5000
//! newsroom-cms                           -1
//! ```
//!
//! `-1` means no limit; a missing character limit means the server's `--char-limit`. Blank
//! lines and lines starting with `#` are skipped. A key may appear once.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The limits of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyLimits {
    /// Requests per minute (`None`: no limit).
    pub per_minute: Option<u32>,
    /// Characters per text (`None`: the server's limit).
    pub char_limit: Option<Option<usize>>,
}

/// The API keys of the keys file.
#[derive(Debug, Default)]
pub struct Keys {
    keys: HashMap<String, KeyLimits>,
}

/// A limit column: `-1` for none, else a count.
fn limit<T: std::str::FromStr>(field: &str) -> Option<Option<T>> {
    if field == "-1" {
        Some(None)
    } else {
        field.parse().ok().map(Some)
    }
}

impl Keys {
    /// Reads a keys file. Errors name the file and line.
    pub fn load(path: &Path) -> Result<Keys> {
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            origin: origin.clone(),
            source,
        })?;
        let text = crate::doc::decode_utf8(&origin, bytes)?;
        Keys::parse(&origin, &text)
    }

    /// Parses the text of a keys file; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Keys> {
        let mut keys = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |message: String| Error::Parse {
                origin: origin.to_string(),
                line: i + 1,
                message,
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (key, per_minute, chars) = match fields.as_slice() {
                [key, per_minute] => (*key, *per_minute, None),
                [key, per_minute, chars] => (*key, *per_minute, Some(*chars)),
                _ => {
                    return Err(bad(format!(
                        "expected `KEY REQUESTS_PER_MINUTE [CHAR_LIMIT]`, found {} field(s)",
                        fields.len()
                    )))
                }
            };
            let per_minute = limit::<u32>(per_minute).ok_or_else(|| {
                bad(format!(
                    "requests per minute must be a whole number or -1, not `{per_minute}`"
                ))
            })?;
            let char_limit = match chars {
                None => None,
                Some(c) => Some(limit::<usize>(c).ok_or_else(|| {
                    bad(format!(
                        "the character limit must be a whole number or -1, not `{c}`"
                    ))
                })?),
            };
            if keys
                .insert(
                    key.to_string(),
                    KeyLimits {
                        per_minute,
                        char_limit,
                    },
                )
                .is_some()
            {
                return Err(bad(format!("key `{key}` is listed twice")));
            }
        }
        Ok(Keys { keys })
    }

    /// The limits of `key`, if it is a key.
    pub fn get(&self, key: &str) -> Option<KeyLimits> {
        self.keys.get(key).copied()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Requests per minute per client (an API key, or an address), over a moving window.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// The window the limits count requests in.
const WINDOW: Duration = Duration::from_secs(60);

impl RateLimiter {
    /// Counts a request of `client`; `false` (and not counted) when `client` already made
    /// `limit` requests in the last minute.
    pub fn admit(&self, client: &str, limit: u32) -> bool {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 10_000 {
            // Forget clients that have been quiet for a minute.
            windows.retain(|_, w| w.back().is_some_and(|&t| now.duration_since(t) < WINDOW));
        }
        let window = windows.entry(client.to_string()).or_default();
        while window
            .front()
            .is_some_and(|&t| now.duration_since(t) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            return false;
        }
        window.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_file_lines_and_errors() {
        let keys =
            Keys::parse("keys.txt", "# comment\n\nabc 10\ndef\t-1\t500\nghi 5 -1\n").unwrap();
        assert_eq!(keys.len(), 3);
        assert_eq!(
            keys.get("abc"),
            Some(KeyLimits {
                per_minute: Some(10),
                char_limit: None
            })
        );
        assert_eq!(keys.get("def").unwrap().per_minute, None);
        assert_eq!(keys.get("def").unwrap().char_limit, Some(Some(500)));
        assert_eq!(keys.get("ghi").unwrap().char_limit, Some(None));
        assert_eq!(keys.get("zzz"), None);
        for (text, line, what) in [
            ("abc 10\nabc 20\n", 2, "twice"),
            ("abc ten\n", 1, "whole number"),
            ("abc\n", 1, "found 1 field"),
            ("a 1 2 3\n", 1, "found 4 field"),
            ("# x\nabc 1 many\n", 2, "character limit"),
        ] {
            let err = Keys::parse("keys.txt", text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("keys.txt:{line}: ")), "{err}");
            assert!(err.contains(what), "{err}");
        }
    }

    #[test]
    fn the_window_admits_the_limit_per_client() {
        let r = RateLimiter::default();
        assert!(r.admit("a", 2));
        assert!(r.admit("a", 2));
        assert!(!r.admit("a", 2));
        assert!(r.admit("b", 2));
    }
}
