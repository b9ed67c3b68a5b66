//! A remote engine: any server that speaks LibreTranslate's HTTP API (LibreTranslate itself,
//! `tarjuman serve`, …).
//!
//! The pairs served come from the server's `GET /languages` when the backend is loaded.
//! A batch of segments goes out as few `POST /translate` requests as the batch size allows
//! (`q` is a list), up to `concurrency` of them in flight, within a per-minute request limit. Requests that fail in a way that may
//! pass (the server unreachable, a timeout, 429, 5xx) are retried with exponential backoff
//! (honouring `Retry-After`); when the retries are spent the whole batch fails, so the run stops
//! before anything is written. A 400 for a batch is retried one segment at a time, so that one
//! text the server refuses (too long, say) is that segment's error, not the batch's; when it
//! refuses every text (a missing API key is a 400 too), the batch fails. A 403 (a key refused)
//! fails at once.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Translation};
use crate::lang::Lang;

/// Settings of a LibreTranslate backend (`type = "libretranslate"` in a config file;
/// `--backend libretranslate --url URL [--api-key K]` on the command line).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibreTranslateOptions {
    /// The server's base URL, e.g. `https://libretranslate.example.org` (paths such as
    /// `/translate` are appended).
    pub url: String,
    /// The API key sent with every request (`api_key`), if the server wants one.
    pub api_key: Option<String>,
    /// Texts per `/translate` request at most.
    pub batch_size: usize,
    /// Characters per `/translate` request at most (a longer text goes alone).
    pub batch_chars: usize,
    /// Requests per minute at most (0: no limit).
    pub requests_per_minute: u32,
    /// Retries of a request that failed in a way that may pass.
    pub retries: u32,
    /// Seconds before the first retry; each retry waits twice as long as the one before.
    pub backoff: f64,
    /// Seconds a request may take.
    pub timeout: u64,
    /// Requests in flight at once (a server that batches concurrent requests, such as
    /// `tarjuman serve`, then gives its engine bigger batches).
    pub concurrency: usize,
}

impl Default for LibreTranslateOptions {
    fn default() -> Self {
        LibreTranslateOptions {
            url: String::new(),
            api_key: None,
            batch_size: 32,
            batch_chars: 8000,
            requests_per_minute: 0,
            retries: 4,
            backoff: 0.5,
            timeout: 120,
            concurrency: 4,
        }
    }
}

/// Largest answer read from a server.
const MAX_BODY: u64 = 64 << 20;

/// One entry of `GET /languages`.
#[derive(Deserialize)]
struct LanguageEntry {
    code: String,
    #[serde(default)]
    targets: Vec<String>,
}

/// How a request ended.
enum Failure {
    /// May pass if tried again (connection, timeout, 429, 5xx); with the server's
    /// `Retry-After` in seconds if it sent one.
    Transient(String, Option<f64>),
    /// The server refused the request itself (400): the texts are the problem.
    Refused(String),
    /// The server will not serve us (403, 404, a body that is not LibreTranslate's).
    Fatal(String),
}

/// The translations of one request's texts, or the engine's failure.
type ChunkResult = Result<Vec<Result<Translation, SegmentError>>, BackendError>;

/// A LibreTranslate-compatible server.
pub struct LibreTranslateBackend {
    name: String,
    options: LibreTranslateOptions,
    pairs: Vec<(Lang, Lang)>,
    /// When the next request may go out (the per-minute limit).
    next_slot: Mutex<Instant>,
    /// The HTTP client (keeps connections to the server alive between requests).
    agent: ureq::Agent,
}

impl LibreTranslateBackend {
    /// Connects: reads the server's `/languages` (with retries). Errors: no URL, a URL
    /// that is not http(s), a server that cannot be reached or does not answer like
    /// LibreTranslate.
    pub fn new(mut options: LibreTranslateOptions) -> Result<Self, BackendError> {
        let url = options.url.trim().trim_end_matches('/').to_string();
        if url.is_empty() {
            return Err(BackendError::Config(
                "the libretranslate backend needs the server's URL (--url URL, or `url` in the config)"
                    .into(),
            ));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(BackendError::Config(format!(
                "libretranslate URL `{url}` must start with http:// or https://"
            )));
        }
        options.url = url;
        options.batch_size = options.batch_size.max(1);
        let agent = crate::http::agent(Some(Duration::from_secs(options.timeout.max(1))));
        let mut backend = LibreTranslateBackend {
            name: format!("libretranslate:{}", options.url),
            options,
            pairs: Vec::new(),
            next_slot: Mutex::new(Instant::now()),
            agent,
        };
        let body = backend
            .with_retries(|b| b.request("GET", "/languages", None))
            .map_err(|f| match f {
                Failure::Transient(m, _) | Failure::Refused(m) | Failure::Fatal(m) => {
                    backend.engine_error(m)
                }
            })?;
        let entries: Vec<LanguageEntry> =
            serde_json::from_str(&body).map_err(|e| backend.engine_error(format!(
                "{}/languages did not answer with LibreTranslate's language list ({e}); is this a LibreTranslate server?",
                backend.options.url
            )))?;
        let mut pairs = Vec::new();
        for entry in &entries {
            let Ok(from) = Lang::from_code(&entry.code) else {
                continue;
            };
            for t in &entry.targets {
                if let Ok(to) = Lang::from_code(t) {
                    if to != from {
                        pairs.push((from, to));
                    }
                }
            }
        }
        pairs.sort();
        pairs.dedup();
        backend.pairs = pairs;
        Ok(backend)
    }

    /// Every (source, target) pair the server says it translates (languages tarjuman
    /// knows only).
    pub fn pairs(&self) -> &[(Lang, Lang)] {
        &self.pairs
    }

    fn engine_error(&self, message: String) -> BackendError {
        BackendError::Engine {
            backend: self.name.clone(),
            message,
        }
    }

    /// Waits for the next request slot of the per-minute limit.
    fn pace(&self) {
        let rpm = self.options.requests_per_minute;
        if rpm == 0 {
            return;
        }
        let interval = Duration::from_secs_f64(60.0 / f64::from(rpm));
        let wait = {
            let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + interval;
            at - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// One HTTP request; the body on 200.
    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<String, Failure> {
        self.pace();
        let url = format!("{}{path}", self.options.url);
        let timeout = Some(Duration::from_secs(self.options.timeout.max(1)));
        const JSON: &str = "application/json";
        let sent = match (body, method) {
            (Some(b), _) => self
                .agent
                .post(&url)
                .header("Content-Type", JSON)
                .header("Accept", JSON)
                .send(b.to_string()),
            (None, "GET") => self.agent.get(&url).header("Accept", JSON).call(),
            (None, _) => self.agent.post(&url).header("Accept", JSON).send_empty(),
        };
        let mut response = sent.map_err(|e| {
            Failure::Transient(
                format!("cannot reach {url}: {}", crate::http::error(e, timeout)),
                None,
            )
        })?;
        let status = response.status().as_u16();
        let bytes = crate::http::read_limited(&mut response, MAX_BODY, timeout)
            .map_err(|e| Failure::Transient(format!("{url}: {e}"), None))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if status == 200 {
            return Ok(text);
        }
        // LibreTranslate's errors are {"error": "..."}.
        let said = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
            .unwrap_or_else(|| text.chars().take(200).collect());
        let message = format!("{url} answered {status}: {said}");
        Err(match status {
            429 | 500..=599 | 408 => {
                let retry_after = crate::http::header(&response, "retry-after")
                    .and_then(|v| v.parse::<f64>().ok());
                Failure::Transient(message, retry_after)
            }
            400 => Failure::Refused(message),
            _ => Failure::Fatal(message),
        })
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent (then
    /// the last failure is [`Failure::Fatal`]).
    fn with_retries(
        &self,
        attempt: impl Fn(&Self) -> Result<String, Failure>,
    ) -> Result<String, Failure> {
        let mut delay = self.options.backoff.max(0.0);
        let mut tries = 0;
        loop {
            match attempt(self) {
                Err(Failure::Transient(message, retry_after)) => {
                    if tries >= self.options.retries {
                        return Err(Failure::Fatal(format!(
                            "{message} (gave up after {} attempts)",
                            tries + 1
                        )));
                    }
                    tries += 1;
                    let wait = retry_after.unwrap_or(delay).clamp(0.0, 60.0);
                    std::thread::sleep(Duration::from_secs_f64(wait));
                    delay *= 2.0;
                }
                other => return other,
            }
        }
    }

    /// Translates one request's worth of texts: `Ok(translations)`, or the request's refusal
    /// (400) as `Err(Ok(message))`, or a failure of the engine as `Err(Err(_))`.
    fn translate_request(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<String>, Result<String, BackendError>> {
        let mut body = serde_json::json!({
            "q": texts,
            "source": pair.from.code(),
            "target": pair.to.code(),
            "format": "text",
        });
        if let Some(key) = &self.options.api_key {
            body["api_key"] = serde_json::Value::String(key.clone());
        }
        let text = match self.with_retries(|b| b.request("POST", "/translate", Some(&body))) {
            Ok(t) => t,
            Err(Failure::Refused(message)) => return Err(Ok(message)),
            Err(Failure::Fatal(message) | Failure::Transient(message, _)) => {
                return Err(Err(self.engine_error(message)))
            }
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Err(self.engine_error(format!(
                "{}/translate answered with something that is not JSON ({e})",
                self.options.url
            )))
        })?;
        let list = match &value["translatedText"] {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>(),
            serde_json::Value::String(s) if texts.len() == 1 => Some(vec![s.clone()]),
            _ => None,
        };
        match list {
            Some(list) if list.len() == texts.len() => Ok(list),
            Some(list) => Err(Err(self.engine_error(format!(
                "{}/translate answered {} translations for {} texts",
                self.options.url,
                list.len(),
                texts.len()
            )))),
            None => Err(Err(self.engine_error(format!(
                "{}/translate answered without translatedText: {}",
                self.options.url,
                text.chars().take(200).collect::<String>()
            )))),
        }
    }

    /// Translates one chunk: a request, or, when the server refuses it (400), one request a
    /// text so that only the texts it refuses fail.
    fn translate_chunk(&self, pair: LangPair, batch: &[&str]) -> ChunkResult {
        match self.translate_request(pair, batch) {
            Ok(list) => Ok(list
                .into_iter()
                .map(|t| Ok(Translation::plain(t)))
                .collect()),
            Err(Err(e)) => Err(e),
            Err(Ok(message)) if batch.len() == 1 => Ok(vec![Err(SegmentError { message })]),
            Err(Ok(_)) => {
                let mut out = Vec::with_capacity(batch.len());
                for &text in batch {
                    out.push(match self.translate_request(pair, &[text]) {
                        Ok(mut list) => Ok(Translation::plain(list.remove(0))),
                        Err(Ok(message)) => Err(SegmentError { message }),
                        Err(Err(e)) => return Err(e),
                    });
                }
                Ok(out)
            }
        }
    }

    /// Cuts `texts` into requests of at most `batch_size` texts and `batch_chars`
    /// characters (a longer text goes alone); index ranges.
    fn chunks(&self, texts: &[&str]) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut chars = 0;
        for (i, t) in texts.iter().enumerate() {
            let n = t.chars().count();
            if i > start
                && (i - start >= self.options.batch_size || chars + n > self.options.batch_chars)
            {
                out.push(start..i);
                start = i;
                chars = 0;
            }
            chars += n;
        }
        if start < texts.len() {
            out.push(start..texts.len());
        }
        out
    }
}

impl Backend for LibreTranslateBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, pair: LangPair) -> bool {
        self.pairs.binary_search(&(pair.from, pair.to)).is_ok()
    }

    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        if !self.supports(pair) {
            return Err(BackendError::UnsupportedPair {
                backend: self.name.clone(),
                pair,
            });
        }
        let chunks = self.chunks(texts);
        // Up to `concurrency` requests in flight; each chunk's results land in its slot.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let slots: Vec<Mutex<Option<ChunkResult>>> =
            chunks.iter().map(|_| Mutex::new(None)).collect();
        let workers = self.options.concurrency.clamp(1, chunks.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(range) = chunks.get(i) else {
                        break;
                    };
                    let result = self.translate_chunk(pair, &texts[range.clone()]);
                    let failed = result.is_err();
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    if failed {
                        // No more requests once the engine has failed.
                        next.store(chunks.len(), std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                });
            }
        });
        let mut out = Vec::with_capacity(texts.len());
        for slot in slots {
            match slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
                Some(Ok(list)) => out.extend(list),
                Some(Err(e)) => return Err(e),
                None => {
                    return Err(self.engine_error("a request was not sent".into()));
                }
            }
        }
        // A server that refuses every text refuses us (a missing API key is a 400 too).
        if !out.is_empty() && out.iter().all(Result::is_err) {
            if let Some(Err(e)) = out.into_iter().next() {
                return Err(self.engine_error(e.message));
            }
            return Ok(Vec::new());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        let bad = |url: &str| {
            LibreTranslateBackend::new(LibreTranslateOptions {
                url: url.into(),
                ..Default::default()
            })
        };
        assert!(matches!(bad(""), Err(BackendError::Config(m)) if m.contains("--url")));
        assert!(matches!(bad("ftp://x"), Err(BackendError::Config(m)) if m.contains("http")));
    }
}
