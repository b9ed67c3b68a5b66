//! Every HTTP(S) request tarjuman makes — feeds (`feed`), model packages and indexes
//! (`models`), remote LibreTranslate-compatible engines — goes through one client
//! configuration: `ureq` on rustls (the TLS stack of the queue client too), a `User-Agent` that
//! names tarjuman and its version, gzip and brotli bodies, at most [`MAX_REDIRECTS`]
//! redirects, a timeout per request, and size limits enforced while a body is read.
//!
//! [`FeedCache`] keeps the last copy of each feed with its validators (`ETag`,
//! `Last-Modified`) so that the next fetch is a conditional request and a `304 Not Modified`
//! feed is not downloaded again.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `User-Agent` of every request: `tarjuman/VERSION`.
pub const USER_AGENT: &str = concat!("tarjuman/", env!("CARGO_PKG_VERSION"));

/// Redirects followed per request; one more is an error.
pub const MAX_REDIRECTS: u32 = 5;

/// What went wrong with a request, in words a user can act on (the URL is added by the
/// caller's error type).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No connection: the host is unknown, refuses, or TLS failed.
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    /// The request took longer than its timeout.
    #[error("no answer within {0} s")]
    Timeout(u64),
    /// The body is larger than the limit (found while downloading).
    #[error("larger than {0} bytes (stopped downloading there)")]
    TooLarge(u64),
    /// More than [`MAX_REDIRECTS`] redirects, or a redirect without a usable `Location`.
    #[error("too many redirects (more than {MAX_REDIRECTS}) or a broken redirect")]
    Redirects,
    /// The server answered with a status the caller does not accept (`404 Not Found`).
    #[error("HTTP {0}")]
    Status(String),
    /// The connection broke while the body was read.
    #[error("the download broke off: {0}")]
    Broken(String),
}

/// An agent with tarjuman's settings: user agent, redirect limit, gzip/brotli, `timeout` for
/// a whole request (connection, answer and body). Statuses are answers, not errors: callers
/// decide what a 304 or 404 means.
pub fn agent(timeout: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .user_agent(USER_AGENT)
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .timeout_global(timeout)
        .build()
        .into()
}

/// Maps a client error to an [`HttpError`].
pub fn error(e: ureq::Error, timeout: Option<Duration>) -> HttpError {
    match e {
        ureq::Error::Timeout(_) => HttpError::Timeout(timeout.map_or(0, |t| t.as_secs().max(1))),
        ureq::Error::BodyExceedsLimit(n) => HttpError::TooLarge(n),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => HttpError::Redirects,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            HttpError::Timeout(timeout.map_or(0, |t| t.as_secs().max(1)))
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::AddrNotAvailable
            ) =>
        {
            HttpError::Unreachable(io.to_string())
        }
        ureq::Error::Io(io) => HttpError::Broken(io.to_string()),
        ureq::Error::HostNotFound => HttpError::Unreachable("host not found".into()),
        ureq::Error::ConnectionFailed => HttpError::Unreachable("connection failed".into()),
        other => HttpError::Unreachable(other.to_string()),
    }
}

/// The status line of a response for messages (`404 Not Found`).
pub fn status_line<B>(response: &ureq::http::Response<B>) -> String {
    let status = response.status();
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// A header of a response as text (absent, or not visible ASCII: `None`).
pub fn header<B>(response: &ureq::http::Response<B>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Reads a response's (decoded) body, failing as soon as it passes `limit` bytes.
pub fn read_limited(
    response: &mut ureq::http::Response<ureq::Body>,
    limit: u64,
    timeout: Option<Duration>,
) -> Result<Vec<u8>, HttpError> {
    let mut reader = response.body_mut().with_config().limit(limit).reader();
    let mut body = Vec::new();
    reader.read_to_end(&mut body).map_err(|e| {
        // The reader wraps the client's errors in io::Error.
        match e.downcast::<ureq::Error>() {
            Ok(inner) => error(inner, timeout),
            Err(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                HttpError::Timeout(timeout.map_or(0, |t| t.as_secs().max(1)))
            }
            Err(io) => HttpError::Broken(io.to_string()),
        }
    })?;
    Ok(body)
}

/// A feed as fetched: its bytes, the `Content-Type` it came with and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The body.
    pub body: Vec<u8>,
    /// The response's `Content-Type` (of the first download when not modified since).
    pub content_type: Option<String>,
    /// The final status: 200 (downloaded) or 304 (not modified: the cached copy).
    pub status: u16,
}

/// Validators and metadata of a cached feed (`<hash>.json` beside `<hash>.body`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CacheEntry {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    content_type: Option<String>,
}

/// The feeds fetched before, with their validators: a directory of `<sha256(url)>.body` and
/// `.json` files, each written atomically. Its default place is the user's cache directory
/// (`$XDG_CACHE_HOME/tarjuman/feeds`).
#[derive(Debug, Clone)]
pub struct FeedCache {
    dir: PathBuf,
}

impl FeedCache {
    /// The cache in `dir` (created when something is first stored).
    pub fn new(dir: impl Into<PathBuf>) -> FeedCache {
        FeedCache { dir: dir.into() }
    }

    /// The default place, if the platform has a cache directory.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::cache_dir().map(|d| d.join("tarjuman").join("feeds"))
    }

    /// Where the cache is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn paths(&self, url: &str) -> (PathBuf, PathBuf) {
        let hash: String = Sha256::digest(url.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (
            self.dir.join(format!("{hash}.body")),
            self.dir.join(format!("{hash}.json")),
        )
    }

    fn lookup(&self, url: &str) -> Option<(CacheEntry, PathBuf)> {
        let (body, meta) = self.paths(url);
        let entry: CacheEntry = serde_json::from_slice(&std::fs::read(meta).ok()?).ok()?;
        (entry.url == url && body.is_file()).then_some((entry, body))
    }

    fn store(&self, entry: &CacheEntry, body: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let (body_path, meta_path) = self.paths(&entry.url);
        let write = |path: &Path, bytes: &[u8]| -> std::io::Result<()> {
            let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
            std::io::Write::write_all(&mut tmp, bytes)?;
            tmp.persist(path).map(drop).map_err(|e| e.error)
        };
        // Body first: a crash between the two leaves old validators for a new body, which only
        // costs one full download next time.
        write(&body_path, body)?;
        write(&meta_path, &serde_json::to_vec(entry).unwrap_or_default())
    }

    /// Forgets `url` (its validators no longer match a usable copy).
    fn forget(&self, url: &str) {
        let (body, meta) = self.paths(url);
        let _ = std::fs::remove_file(meta);
        let _ = std::fs::remove_file(body);
    }
}

/// `GET url` for a feed: a conditional request when `cache` holds an earlier copy with
/// validators (a 304 answer gives that copy back), at most `limit` bytes, `timeout` for the
/// whole request. A 2xx answer with validators is stored in `cache`.
pub fn fetch_feed(
    url: &str,
    timeout: Duration,
    limit: u64,
    cache: Option<&FeedCache>,
) -> Result<Fetched, HttpError> {
    let total = timeout;
    let timeout = Some(timeout);
    let cached = cache.and_then(|c| c.lookup(url));
    let mut request = agent(timeout)
        .get(url)
        .header("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    if let Some((entry, _)) = &cached {
        if let Some(etag) = &entry.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &entry.last_modified {
            request = request.header("If-Modified-Since", date);
        }
    }
    let mut response = request.call().map_err(|e| error(e, timeout))?;
    let status = response.status().as_u16();
    if status == 304 {
        if let (Some((entry, body_path)), Some(cache)) = (cached, cache) {
            match std::fs::read(&body_path) {
                Ok(body) => {
                    return Ok(Fetched {
                        body,
                        content_type: entry.content_type,
                        status,
                    })
                }
                Err(_) => {
                    cache.forget(url);
                    // The copy is gone: ask again without validators.
                    return fetch_feed(url, total, limit, Some(cache));
                }
            }
        }
    }
    if !response.status().is_success() {
        return Err(HttpError::Status(status_line(&response)));
    }
    let content_type = header(&response, "content-type");
    let etag = header(&response, "etag");
    let last_modified = header(&response, "last-modified");
    let body = read_limited(&mut response, limit, timeout)?;
    if let Some(cache) = cache {
        if etag.is_some() || last_modified.is_some() {
            let entry = CacheEntry {
                url: url.to_string(),
                etag,
                last_modified,
                content_type: content_type.clone(),
            };
            // A cache that cannot be written only costs a download next time.
            let _ = cache.store(&entry, &body);
        } else {
            cache.forget(url);
        }
    }
    Ok(Fetched {
        body,
        content_type,
        status,
    })
}
