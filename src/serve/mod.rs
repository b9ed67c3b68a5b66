//! `tarjuman serve`: a LibreTranslate-compatible HTTP service on tokio and axum.
//!
//! - [`api`]: the endpoints (LibreTranslate's paths, request forms, response shapes, error
//!   texts and status codes; our `/check`, glossaries and QA on `/translate`).
//! - [`request`]: reading bodies (size and time limits) and parameters (JSON, forms,
//!   multipart, query string).
//! - [`batch`]: dynamic batching — the segments of concurrent requests share engine batches.
//! - [`engines`]: the loaded service, pipelines and checkers per language pair, glossaries.
//! - [`limits`]: API keys and per-minute request limits.
//! - [`metrics`]: the Prometheus counters at `/metrics`.
//! - [`page`]: the web page at `/` and the OpenAPI document at `/spec`.
//!
//! Every backend is loaded once, before the port is opened. Each request runs the pipeline
//! on the blocking pool; its engine calls go through the backend's [`batch::Batcher`].
//! SIGTERM (or Ctrl-C) stops taking connections and lets the requests in flight finish.

pub mod api;
pub mod batch;
pub mod engines;
pub mod limits;
pub mod metrics;
pub mod page;
pub mod request;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::backend::Backend;
use crate::cli::TranslateJob;
use crate::detect::Detector;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::setup::Service;

use batch::{BatchOptions, Batcher};
use engines::Engines;
use limits::{KeyLimits, Keys, RateLimiter};
use metrics::Metrics;
use request::{ApiError, Params};

/// `tarjuman serve`.
#[derive(Debug, Clone)]
pub struct ServeJob {
    /// The engine options (as for `translate`); `to` and `from` may be empty/`None`: they
    /// only narrow down the pairs of a single backend.
    pub translate: TranslateJob,
    /// Hand the engine batches to `tarjuman worker` processes through this queue instead of
    /// loading the backends here.
    pub queue: Option<crate::queue::QueueOptions>,
    /// Address to listen on.
    pub host: String,
    /// Port to listen on (0: any free port; the address is printed on stderr).
    pub port: u16,
    /// The API keys file (see [`limits`]).
    pub api_keys: Option<PathBuf>,
    /// Refuse requests without a key (with `api_keys`).
    pub require_api_key: bool,
    /// Requests per minute of a client without a key, by address (`None`: no limit).
    pub req_limit: Option<u32>,
    /// Characters per text (`None`: no limit).
    pub char_limit: Option<usize>,
    /// Texts per `/translate` request (`None`: no limit).
    pub batch_limit: Option<usize>,
    /// Bytes per request body.
    pub body_limit: usize,
    /// Time a client has to send its whole body.
    pub body_timeout: Duration,
    /// Requests translated (or checked, or detected) at once; more get 429.
    pub max_concurrency: usize,
    /// How batches are cut.
    pub batching: BatchOptions,
    /// The access log (`None`: standard error).
    pub access_log: Option<PathBuf>,
    /// After SIGTERM, how long requests in flight are waited for.
    pub shutdown_timeout: Duration,
}

impl Default for ServeJob {
    fn default() -> Self {
        ServeJob {
            translate: TranslateJob::default(),
            queue: None,
            host: "127.0.0.1".into(),
            port: 5000,
            api_keys: None,
            require_api_key: false,
            req_limit: None,
            char_limit: None,
            batch_limit: None,
            body_limit: 4 << 20,
            body_timeout: Duration::from_secs(30),
            max_concurrency: 256,
            batching: BatchOptions::default(),
            access_log: None,
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// The limits the handlers apply.
pub struct Settings {
    /// See [`ServeJob::body_limit`].
    pub body_limit: usize,
    /// See [`ServeJob::body_timeout`].
    pub body_timeout: Duration,
    /// See [`ServeJob::char_limit`].
    pub char_limit: Option<usize>,
    /// See [`ServeJob::batch_limit`].
    pub batch_limit: Option<usize>,
    /// See [`ServeJob::req_limit`].
    pub req_limit: Option<u32>,
    /// See [`ServeJob::require_api_key`].
    pub require_key: bool,
    /// See [`ServeJob::max_concurrency`].
    pub max_concurrency: usize,
    /// `host:port` the service listens on (for URLs when a request has no `Host`).
    pub address: String,
}

/// What a handler tells the access log about a request.
#[derive(Debug, Clone, Default)]
pub struct LogInfo {
    /// The first characters of the API key used, if any.
    pub key: Option<String>,
}

/// A translated file kept for download.
struct StoredFile {
    filename: String,
    bytes: Vec<u8>,
    at: Instant,
}

/// How long translated files are kept, and how many bytes of them at most.
const FILE_TTL: Duration = Duration::from_secs(30 * 60);
const FILE_BYTES: usize = 256 << 20;

/// The state every handler shares.
pub struct App {
    /// Pipelines and checkers.
    pub engines: Engines,
    /// Limits.
    pub settings: Settings,
    /// The API keys, when a keys file is given.
    pub keys: Option<Keys>,
    rate: RateLimiter,
    /// The counters.
    pub metrics: Arc<Metrics>,
    work: Arc<Semaphore>,
    /// Requests in the pipeline (the batchers stop waiting once this many calls are in).
    in_flight: Arc<AtomicUsize>,
    files: Mutex<HashMap<String, StoredFile>>,
    /// The detector of `/detect` and `/check` (every language, the served ones preferred).
    pub detector: Detector,
    languages: Vec<Lang>,
    log: Mutex<Box<dyn Write + Send>>,
}

/// Counts a request in the pipeline while alive.
pub struct Translating<'a>(&'a AtomicUsize);

impl Drop for Translating<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl App {
    /// Every language served (as a source or a target), sorted.
    pub fn languages(&self) -> &[Lang] {
        &self.languages
    }

    /// A permit to run a request's work; 429 when `max_concurrency` requests are running.
    fn permit(&self) -> std::result::Result<OwnedSemaphorePermit, ApiError> {
        Arc::clone(&self.work).try_acquire_owned().map_err(|_| {
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Slowdown: {} requests in flight (the server's limit)",
                    self.settings.max_concurrency
                ),
            )
        })
    }

    /// Marks a request as in the pipeline until the guard is dropped.
    pub fn translating(&self) -> Translating<'_> {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        Translating(&self.in_flight)
    }

    /// LibreTranslate's access check and request limit: an unknown key is 403, a missing
    /// one 400 when keys are required, and a client (key, else address) over its
    /// per-minute limit 429. Returns the key's limits.
    fn admit(
        &self,
        params: &Params,
        addr: SocketAddr,
        log: &mut LogInfo,
    ) -> std::result::Result<Option<KeyLimits>, ApiError> {
        let key = params.text("api_key").filter(|k| !k.is_empty());
        let limits = match (&self.keys, &key) {
            (Some(keys), Some(k)) => match keys.get(k) {
                Some(l) => Some(l),
                None => return Err(ApiError::new(StatusCode::FORBIDDEN, "Invalid API key")),
            },
            (Some(_), None) if self.settings.require_key => {
                return Err(ApiError::bad(
                    "Please contact the server operator to get an API key",
                ))
            }
            _ => None,
        };
        let (client, limit) = match (&limits, &key) {
            (Some(l), Some(k)) => {
                log.key = Some(k.chars().take(6).collect());
                (format!("key {k}"), l.per_minute)
            }
            _ => (format!("ip {}", addr.ip()), self.settings.req_limit),
        };
        if let Some(limit) = limit {
            if !self.rate.admit(&client, limit) {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!("Slowdown: {limit} per 1 minute"),
                ));
            }
        }
        Ok(limits)
    }

    /// The character limit of a request with a key of `limits`.
    fn char_limit(&self, limits: Option<KeyLimits>) -> Option<usize> {
        limits
            .and_then(|l| l.char_limit)
            .unwrap_or(self.settings.char_limit)
    }

    /// Keeps a translated file for download; returns its name in `/download_file/`.
    fn store_file(&self, filename: &str, text: String) -> String {
        let safe: String = filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("file")
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let id = format!("{}.{safe}", random_id());
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        files.retain(|_, f| now.duration_since(f.at) < FILE_TTL);
        while files.values().map(|f| f.bytes.len()).sum::<usize>() + text.len() > FILE_BYTES {
            let Some(oldest) = files
                .iter()
                .min_by_key(|(_, f)| f.at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            files.remove(&oldest);
        }
        files.insert(
            id.clone(),
            StoredFile {
                filename: filename.to_string(),
                bytes: text.into_bytes(),
                at: now,
            },
        );
        id
    }

    /// A stored file: its original name and bytes.
    fn stored_file(&self, id: &str) -> Option<(String, Vec<u8>)> {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files
            .get(id)
            .filter(|f| f.at.elapsed() < FILE_TTL)
            .map(|f| (f.filename.clone(), f.bytes.clone()))
    }

    /// Writes one access log line.
    fn log_line(&self, line: &serde_json::Value) {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(log, "{line}");
        let _ = log.flush();
    }
}

/// A random identifier (128 bits, hex) for stored files.
fn random_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let half = |salt: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_usize(n);
        h.write_u128(nanos);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// An RFC 3339 UTC timestamp with milliseconds.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// CORS headers as LibreTranslate sends them (browser extensions call the API from pages).
fn cors(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization, Content-Type"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Authorization"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("1728000"),
    );
}

/// Around every request: CORS preflight and headers, JSON bodies for 405s, the counters and
/// the access log line.
async fn around(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let wall = SystemTime::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let bytes_in = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    app.metrics.begin();
    let mut response = if method == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else {
        next.run(request).await
    };
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        let allow = response.headers().get(header::ALLOW).cloned();
        response =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    cors(&mut response);
    let status = response.status().as_u16();
    let elapsed = start.elapsed();
    app.metrics.end(metrics::path_label(&path), status, elapsed);
    let bytes_out = axum::body::HttpBody::size_hint(response.body()).exact();
    let key = response
        .extensions()
        .get::<LogInfo>()
        .and_then(|l| l.key.clone());
    app.log_line(&json!({
        "time": timestamp(wall),
        "client": addr.to_string(),
        "method": method.as_str(),
        "path": path,
        "status": status,
        "ms": (elapsed.as_secs_f64() * 1e6).round() / 1e3,
        "bytes_in": bytes_in,
        "bytes_out": bytes_out,
        "key": key,
        "agent": agent,
    }));
    response
}

/// The routes.
fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new()
        .route("/", get(api::page))
        .route("/translate", post(api::translate))
        .route("/translate_file", post(api::translate_file))
        .route("/download_file/{name}", get(api::download_file))
        .route("/detect", post(api::detect))
        .route("/languages", get(api::languages))
        .route("/frontend/settings", get(api::frontend_settings))
        .route("/health", get(api::health))
        .route("/spec", get(api::spec))
        .route("/metrics", get(api::metrics))
        .route("/check", post(api::check))
        .route("/suggest", post(api::suggest))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            around,
        ))
        .with_state(app)
}

/// Loads everything a service needs (backends first: a broken model fails here, before the
/// port is opened).
fn build_app(job: &ServeJob, address: String) -> Result<App> {
    // The access log is appended to: never to a file the service reads (the config, a
    // glossary, the memory, the keys). It is opened before the engines load, so that a bad
    // place fails at once.
    let mut inputs = crate::cli::job_inputs(&job.translate);
    if let Some(keys) = &job.api_keys {
        inputs.push(("--api-keys", keys));
    }
    if let Some(p) = &job.access_log {
        crate::output::check_conflicts(&inputs, &[("--access-log", p)])?;
    }
    let log: Box<dyn Write + Send> = match &job.access_log {
        None => Box::new(std::io::stderr()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdout()),
        Some(p) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|source| Error::Output {
                    path: p.clone(),
                    source,
                })?,
        ),
    };
    let metrics = Arc::new(Metrics::default());
    let in_flight = Arc::new(AtomicUsize::new(0));
    let wrap = |_: &str, backend: Arc<dyn Backend>| -> Arc<dyn Backend> {
        let observer = Arc::clone(&metrics);
        Arc::new(Batcher::start(
            backend,
            job.batching,
            Arc::clone(&in_flight),
            Arc::new(move |segments, requests| observer.batch(segments, requests)),
        ))
    };
    let service = match &job.queue {
        // The engines are the queue's workers: no model is loaded here.
        Some(options) => {
            use crate::transport::{QueueTransport, Transport};
            let transport = QueueTransport::connect_on(
                options,
                tokio::runtime::Handle::current(),
                "tarjuman serve",
            )?;
            Service::load_with(&job.translate, |router| transport.engines(router), wrap)?
        }
        None => Service::load(&job.translate, wrap)?,
    };
    let mut languages: Vec<Lang> = service.pairs().iter().flat_map(|&(f, t)| [f, t]).collect();
    languages.sort();
    languages.dedup();
    let detector = Detector::new(Vec::new()).with_preferred(languages.clone());
    let engines = Engines::new(service, &job.translate.glossaries)?;
    let keys = job.api_keys.as_deref().map(Keys::load).transpose()?;
    if job.require_api_key && keys.is_none() {
        return Err(Error::Usage(
            "--require-api-key needs --api-keys FILE".into(),
        ));
    }
    if job.max_concurrency == 0 || job.body_limit == 0 || job.batching.max_segments == 0 {
        return Err(Error::Usage(
            "--max-concurrency, --body-limit and --max-batch must be at least 1".into(),
        ));
    }
    Ok(App {
        engines,
        settings: Settings {
            body_limit: job.body_limit,
            body_timeout: job.body_timeout,
            char_limit: job.char_limit,
            batch_limit: job.batch_limit,
            req_limit: job.req_limit,
            require_key: job.require_api_key,
            max_concurrency: job.max_concurrency,
            address,
        },
        keys,
        rate: RateLimiter::default(),
        metrics,
        work: Arc::new(Semaphore::new(job.max_concurrency)),
        in_flight,
        files: Mutex::new(HashMap::new()),
        detector,
        languages,
        log: Mutex::new(log),
    })
}

/// Waits for SIGTERM or Ctrl-C.
async fn shutdown_signal() -> &'static str {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = ctrl_c => "SIGINT",
            },
            Err(_) => {
                ctrl_c.await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        ctrl_c.await;
        "SIGINT"
    }
}

/// Runs `tarjuman serve` until SIGTERM or Ctrl-C; returns the exit code (0 after a graceful
/// shutdown). Errors (exit 2) are options, files or models that cannot be used and an
/// address that cannot be listened on.
pub fn serve(job: &ServeJob) -> Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("tarjuman-serve")
        .build()
        .map_err(|source| Error::Io {
            origin: "tokio runtime".into(),
            source,
        })?;
    runtime.block_on(async {
        let address = format!("{}:{}", job.host, job.port);
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .map_err(|source| Error::Io {
                origin: format!("cannot listen on {address}"),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| Error::Io {
            origin: address.clone(),
            source,
        })?;
        let started = Instant::now();
        let memory_existed = job.translate.tm.as_deref().map(Path::exists);
        let app = tokio::task::block_in_place(|| build_app(job, local.to_string()));
        if app.is_err() {
            // A memory this start created and left empty goes again.
            if let (Some(path), Some(false)) = (&job.translate.tm, memory_existed) {
                crate::tm::remove_if_unused(path);
            }
        }
        let app = Arc::new(app?);
        let pairs: Vec<String> = app
            .engines
            .service
            .pairs()
            .iter()
            .map(|(f, t)| format!("{f}→{t}"))
            .collect();
        eprintln!(
            "tarjuman: serving {} on http://{local} (loaded in {:.1} s)",
            pairs.join(" "),
            started.elapsed().as_secs_f64()
        );
        let (said, heard) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(
            listener,
            router(Arc::clone(&app)).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let name = shutdown_signal().await;
            eprintln!(
                "tarjuman: {name}: not taking new connections; finishing the requests in flight"
            );
            let _ = said.send(());
        });
        let mut server = std::pin::pin!(std::future::IntoFuture::into_future(server));
        tokio::select! {
            result = &mut server => {
                result.map_err(|source| Error::Io { origin: local.to_string(), source })?;
                eprintln!("tarjuman: stopped");
                return Ok(0);
            }
            Ok(()) = heard => {}
        }
        match tokio::time::timeout(job.shutdown_timeout, server).await {
            Ok(result) => {
                result.map_err(|source| Error::Io {
                    origin: local.to_string(),
                    source,
                })?;
                eprintln!("tarjuman: stopped");
                Ok(0)
            }
            Err(_) => {
                eprintln!(
                    "tarjuman: stopped after {} s with requests still in flight",
                    job.shutdown_timeout.as_secs()
                );
                Ok(1)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_civil_dates() {
        let t = UNIX_EPOCH + Duration::from_millis(1_796_601_599_123);
        assert_eq!(timestamp(t), "2026-12-06T23:59:59.123Z");
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(timestamp(leap), "2000-02-29T00:00:00.000Z");
    }
}
