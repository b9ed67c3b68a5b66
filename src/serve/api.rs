//! The endpoints: LibreTranslate's (`/translate`, `/translate_file`, `/download_file/…`,
//! `/detect`, `/languages`, `/frontend/settings`, `/health`, `/spec`, `/suggest`) with their
//! request forms, response shapes, error texts and status codes, and ours (`/check`,
//! `glossary` and `check` on `/translate`, `/metrics`, the page at `/`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::engines::GlossaryChoice;
use super::request::{self, ApiError, Params};
use super::{App, LogInfo};
use crate::doc::{self, Document, Format};
use crate::lang::Lang;
use crate::pipeline::Summary;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &json!({ "error": self.message }))
    }
}

/// A JSON response.
pub fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The most alternatives a request may ask for (LibreTranslate's default limit).
pub const ALTERNATIVES_LIMIT: i64 = 3;

/// The formats `/translate` takes in `format`.
const TEXT_FORMATS: &[(&str, Format)] = &[
    ("text", Format::Text),
    ("html", Format::Html),
    ("markdown", Format::Markdown),
];

/// The file extensions `/translate_file` takes (every format `translate` reads).
pub const FILE_EXTENSIONS: &[&str] = &[
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".jsonl",
    ".ndjson",
    ".html",
    ".htm",
    ".xhtml",
    ".rss",
    ".atom",
    ".xml",
    ".xlf",
    ".xliff",
    ".po",
    ".pot",
];

/// Reads the body and parameters of a request under the server's limits.
async fn read_params(
    app: &App,
    headers: &HeaderMap,
    uri: &Uri,
    body: Body,
) -> Result<Params, ApiError> {
    let bytes = request::read_body(
        headers,
        body,
        app.settings.body_limit,
        app.settings.body_timeout,
    )
    .await?;
    request::parse(headers, uri.query(), &bytes)
}

/// Runs `work` on the blocking pool while holding a work permit (429 when none is free).
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = app.permit()?;
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&app)
    })
    .await
    .unwrap_or_else(|e| {
        Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Cannot translate text: the worker failed ({e})"),
        ))
    })
}

/// Adds what the access log should say about the client's key to a response.
fn with_log(mut response: Response, info: LogInfo) -> Response {
    response.extensions_mut().insert(info);
    response
}

/// A language parameter: a code the service serves (`None` for `auto` where allowed).
fn served_lang(app: &App, code: &str, auto: bool) -> Result<Option<Lang>, ApiError> {
    if auto && code == "auto" {
        return Ok(None);
    }
    let unsupported = || ApiError::bad(format!("{code} is not supported"));
    let lang = Lang::from_code(code).map_err(|_| unsupported())?;
    if !app.languages().contains(&lang) {
        return Err(unsupported());
    }
    Ok(Some(lang))
}

/// A language parameter naming any language tarjuman knows (`None`: absent or `auto`).
fn known_lang(params: &Params, name: &str) -> Result<Option<Lang>, ApiError> {
    match params.text(name).map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(s) if s.is_empty() || s == "auto" => Ok(None),
        Some(code) => Lang::from_code(&code)
            .map(Some)
            .map_err(|_| ApiError::bad(format!("{code} is not supported"))),
    }
}

/// LibreTranslate's "request (N) exceeds text limit (M)".
fn over_limit(size: usize, limit: usize) -> ApiError {
    ApiError::bad(format!(
        "Invalid request: request ({size}) exceeds text limit ({limit})"
    ))
}

/// A validated `/translate` request.
struct TranslateRequest {
    texts: Vec<String>,
    batch: bool,
    from: Option<Lang>,
    to: Lang,
    format: Format,
    alternatives: i64,
    glossary: GlossaryChoice,
    check: bool,
}

fn translate_request(
    app: &App,
    params: &Params,
    char_limit: Option<usize>,
) -> Result<TranslateRequest, ApiError> {
    let (texts, batch) = match params.values.get("q") {
        None | Some(Value::Null) => return Err(ApiError::missing("q")),
        Some(Value::String(s)) if s.is_empty() => return Err(ApiError::missing("q")),
        Some(Value::String(s)) => (vec![s.clone()], false),
        Some(Value::Array(items)) if items.is_empty() => return Err(ApiError::missing("q")),
        Some(Value::Array(items)) => {
            let texts = items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| {
                    ApiError::bad("Invalid request: q must be a string or a list of strings")
                })?;
            (texts, true)
        }
        Some(_) => {
            return Err(ApiError::bad(
                "Invalid request: q must be a string or a list of strings",
            ))
        }
    };
    let source = params
        .text("source")
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("source"))?;
    let target = params
        .text("target")
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::missing("target"))?;
    let alternatives = match params.text("alternatives") {
        None => 0,
        Some(a) => a
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && x.fract() == 0.0)
            .map(|x| x as i64)
            .ok_or_else(|| {
                ApiError::bad("Invalid request: alternatives parameter is not a number")
            })?
            .max(0),
    };
    if alternatives > ALTERNATIVES_LIMIT {
        return Err(ApiError::bad(format!(
            "Invalid request: alternatives parameter must be <= {ALTERNATIVES_LIMIT}"
        )));
    }
    if let (true, Some(limit)) = (batch, app.settings.batch_limit) {
        if texts.len() > limit {
            return Err(over_limit(texts.len(), limit));
        }
    }
    if let Some(limit) = char_limit {
        for t in &texts {
            let n = t.chars().count();
            if n > limit {
                return Err(over_limit(n, limit));
            }
        }
    }
    let from = served_lang(app, &source, true)?;
    let to = served_lang(app, &target, false)?.ok_or_else(|| ApiError::missing("target"))?;
    let format_name = params
        .text("format")
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "text".to_string());
    let format = TEXT_FORMATS
        .iter()
        .find(|(n, _)| *n == format_name)
        .map(|&(_, f)| f)
        .ok_or_else(|| ApiError::bad(format!("{format_name} format is not supported")))?;
    if let Some(f) = from {
        if f != to && !app.engines.service.serves(f, to) {
            return Err(not_available(f, to));
        }
    }
    let glossary = app.engines.glossary(params.text("glossary").as_deref())?;
    Ok(TranslateRequest {
        texts,
        batch,
        from,
        to,
        format,
        alternatives,
        glossary,
        check: params.flag("check"),
    })
}

/// LibreTranslate's error for a pair no route serves.
fn not_available(from: Lang, to: Lang) -> ApiError {
    ApiError::bad(format!(
        "{} ({}) is not available as a target language from {} ({})",
        to.name(),
        to.code(),
        from.name(),
        from.code()
    ))
}

/// A detection as LibreTranslate reports it: confidence in percent.
fn detection_json(lang: Lang, confidence: f64) -> Value {
    json!({ "confidence": (confidence * 100.0).round(), "language": lang.code() })
}

/// The number of characters of the translatable text of `docs`.
fn characters(docs: &[Document]) -> usize {
    docs.iter()
        .flat_map(|d| d.segments())
        .map(|s| s.text.chars().count())
        .sum()
}

/// Translates parsed documents with `pipeline`; pipeline errors (an engine that cannot be
/// used) are 500s.
fn run_pipeline(
    app: &App,
    from: Option<Lang>,
    to: Lang,
    glossary: &GlossaryChoice,
    docs: &mut [Document],
) -> Result<Summary, ApiError> {
    let server_error = |e: crate::Error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Cannot translate text: {e}"),
        )
    };
    let pipeline = app
        .engines
        .pipeline(from, to, glossary)
        .map_err(server_error)?;
    let _in_flight = app.translating();
    let summary = pipeline.translate(docs).map_err(server_error)?;
    app.metrics.translated(summary.segments, characters(docs));
    Ok(summary)
}

/// The translation of a validated request, as the response body.
fn translate_texts(app: &App, req: TranslateRequest) -> Result<Value, ApiError> {
    let mut docs = Vec::new();
    // Per text: its document, or `None` for a text with nothing to translate.
    let mut places = Vec::with_capacity(req.texts.len());
    for (i, text) in req.texts.iter().enumerate() {
        if text.trim().is_empty() {
            places.push(None);
            continue;
        }
        let origin = if req.batch {
            format!("q[{i}]")
        } else {
            "q".to_string()
        };
        let document = doc::parse(req.format, &origin, text)
            .map_err(|e| ApiError::bad(format!("Invalid request: {e}")))?;
        places.push(Some(docs.len()));
        docs.push(document);
    }
    let summary = if docs.is_empty() {
        Summary::default()
    } else {
        run_pipeline(app, req.from, req.to, &req.glossary, &mut docs)?
    };
    let glossary_on = match &req.glossary {
        GlossaryChoice::Own(_) => true,
        GlossaryChoice::Default => app.engines.has_default_glossary(),
    };
    let checker = req
        .check
        .then(|| app.engines.checker(req.from, Some(req.to), &req.glossary));
    let mut texts = Vec::new();
    let mut detected = Vec::new();
    let mut glossaries = Vec::new();
    let mut checks = Vec::new();
    for (text, place) in req.texts.iter().zip(&places) {
        let Some(k) = *place else {
            texts.push(Value::String(text.clone()));
            detected.push(json!({ "confidence": 0.0, "language": "en" }));
            glossaries.push(json!(crate::glossary::report::Report::default()));
            checks.push(json!({ "findings": [], "summary": crate::qa::Summary::default() }));
            continue;
        };
        let document = &docs[k];
        texts.push(Value::String(doc::render(document)));
        detected.push(match document.lang {
            Some(d) => detection_json(d.lang, d.confidence),
            None => json!({ "confidence": 0.0, "language": "en" }),
        });
        if glossary_on {
            glossaries.push(json!(summary.glossary.get(k).cloned().unwrap_or_default()));
        }
        if let Some(checker) = &checker {
            let (report, _) = checker.check_translated(document);
            checks.push(json!({ "findings": report.findings, "summary": report.summary() }));
        }
    }
    let pick = |mut v: Vec<Value>| {
        if req.batch {
            Value::Array(v)
        } else {
            v.pop().unwrap_or(Value::Null)
        }
    };
    let mut out = Map::new();
    out.insert("translatedText".into(), pick(texts));
    if req.from.is_none() {
        out.insert("detectedLanguage".into(), pick(detected));
    }
    if req.alternatives > 0 {
        let empty = || Value::Array(Vec::new());
        out.insert(
            "alternatives".into(),
            if req.batch {
                Value::Array(req.texts.iter().map(|_| empty()).collect())
            } else {
                empty()
            },
        );
    }
    if glossary_on {
        out.insert("glossary".into(), pick(glossaries));
    }
    if req.check {
        out.insert("check".into(), pick(checks));
    }
    Ok(Value::Object(out))
}

/// `POST /translate`.
pub async fn translate(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let mut log = LogInfo::default();
    let result = async {
        let params = read_params(&app, &headers, &uri, body).await?;
        let limits = app.admit(&params, addr, &mut log)?;
        let req = translate_request(&app, &params, app.char_limit(limits))?;
        blocking(&app, move |app| translate_texts(app, req)).await
    }
    .await;
    with_log(
        match result {
            Ok(v) => json_response(StatusCode::OK, &v),
            Err(e) => e.into_response(),
        },
        log,
    )
}

/// The format of an uploaded file, by extension (`.xml` by content); `None` if `translate`
/// does not read it.
fn file_format(filename: &str, text: Option<&str>) -> Option<Format> {
    let path = std::path::Path::new(filename);
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !FILE_EXTENSIONS.contains(&format!(".{ext}").as_str()) {
        return None;
    }
    Format::from_path(path).or_else(|| match text {
        Some(t) => Format::sniff(t),
        None => Some(Format::Text),
    })
}

/// `POST /translate_file`: translates an uploaded file (any format `translate` reads) and
/// answers with the URL of the translated file.
pub async fn translate_file(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let mut log = LogInfo::default();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| app.settings.address.clone());
    let result = async {
        let params = read_params(&app, &headers, &uri, body).await?;
        let limits = app.admit(&params, addr, &mut log)?;
        let source = params.text("source").map(|s| s.trim().to_ascii_lowercase());
        let target = params.text("target").map(|s| s.trim().to_ascii_lowercase());
        let file = params
            .files
            .iter()
            .find(|f| f.field == "file")
            .ok_or_else(|| ApiError::missing("file"))?;
        let source = source
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::missing("source"))?;
        let target = target
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::missing("target"))?;
        if file.filename.is_empty() {
            return Err(ApiError::bad("Invalid request: empty file"));
        }
        if file_format(&file.filename, None).is_none() {
            return Err(ApiError::bad("Invalid request: file format not supported"));
        }
        let from = served_lang(&app, &source, true)?;
        let to = served_lang(&app, &target, false)?.ok_or_else(|| ApiError::missing("target"))?;
        if let Some(f) = from {
            if f != to && !app.engines.service.serves(f, to) {
                return Err(not_available(f, to));
            }
        }
        let glossary = app.engines.glossary(params.text("glossary").as_deref())?;
        let filename = file.filename.clone();
        let data = file.data.clone();
        let char_limit = app.char_limit(limits);
        let stored = blocking(&app, move |app| {
            let text = doc::decode_utf8(&filename, data)
                .map_err(|e| ApiError::bad(format!("Invalid request: {e}")))?;
            if let Some(limit) = char_limit {
                let n = text.chars().count();
                if n > limit {
                    return Err(over_limit(n, limit));
                }
            }
            let format = file_format(&filename, Some(&text))
                .ok_or_else(|| ApiError::bad("Invalid request: file format not supported"))?;
            let mut document = doc::parse(format, &filename, &text)
                .map_err(|e| ApiError::bad(format!("Invalid request: {e}")))?;
            run_pipeline(
                app,
                from,
                to,
                &glossary,
                std::slice::from_mut(&mut document),
            )?;
            Ok(app.store_file(&filename, doc::render(&document)))
        })
        .await?;
        Ok(json!({ "translatedFileUrl": format!("http://{host}/download_file/{stored}") }))
    }
    .await;
    with_log(
        match result {
            Ok(v) => json_response(StatusCode::OK, &v),
            Err(e) => e.into_response(),
        },
        log,
    )
}

/// `GET /download_file/{name}`: a file `/translate_file` translated.
pub async fn download_file(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    match app.stored_file(&name) {
        None => ApiError::new(StatusCode::NOT_FOUND, "Not Found").into_response(),
        Some((filename, bytes)) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            let ascii: String = filename
                .chars()
                .map(|c| {
                    if c.is_ascii_graphic() && c != '"' && c != '\\' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
    }
}

/// `POST /detect`: the likeliest languages of `q`, best first.
pub async fn detect(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let mut log = LogInfo::default();
    let result = async {
        let params = read_params(&app, &headers, &uri, body).await?;
        let limits = app.admit(&params, addr, &mut log)?;
        let text = match params.values.get("q") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        };
        if text.is_empty() {
            return Err(ApiError::missing("q"));
        }
        if let Some(limit) = app.char_limit(limits) {
            let n = text.chars().count();
            if n > limit {
                return Err(over_limit(n, limit));
            }
        }
        blocking(&app, move |app| {
            let found: Vec<Value> = app
                .detector
                .probabilities(&text)
                .into_iter()
                .take(3)
                .filter(|&(_, p)| p >= 0.005)
                .map(|(l, p)| detection_json(l, p))
                .collect();
            Ok(if found.is_empty() {
                json!([{ "confidence": 0.0, "language": "en" }])
            } else {
                Value::Array(found)
            })
        })
        .await
    }
    .await;
    with_log(
        match result {
            Ok(v) => json_response(StatusCode::OK, &v),
            Err(e) => e.into_response(),
        },
        log,
    )
}

/// `GET /languages`: every language served, with the languages it translates into.
pub async fn languages(State(app): State<Arc<App>>) -> Response {
    let pairs = app.engines.service.pairs();
    let list: Vec<Value> = app
        .languages()
        .iter()
        .map(|&l| {
            let mut targets: Vec<&str> = pairs
                .iter()
                .filter(|p| p.0 == l)
                .map(|p| p.1.code())
                .collect();
            targets.sort_unstable();
            json!({ "code": l.code(), "name": l.name(), "targets": targets })
        })
        .collect();
    json_response(StatusCode::OK, &Value::Array(list))
}

/// `GET /frontend/settings`.
pub async fn frontend_settings(State(app): State<Arc<App>>) -> Response {
    let langs = app.languages();
    let target = langs
        .iter()
        .find(|l| l.code() == "en")
        .or_else(|| langs.get(1))
        .or_else(|| langs.first());
    let target = target.map_or(
        json!(null),
        |l| json!({ "code": l.code(), "name": l.name() }),
    );
    json_response(
        StatusCode::OK,
        &json!({
            "charLimit": app.settings.char_limit.map_or(-1, |n| n as i64),
            "frontendTimeout": 500,
            "apiKeys": app.keys.is_some(),
            "keyRequired": app.settings.require_key,
            "suggestions": false,
            "filesTranslation": true,
            "supportedFilesFormat": FILE_EXTENSIONS,
            "language": {
                "source": { "code": "auto", "name": "Auto Detect" },
                "target": target,
            },
            "glossaries": app.engines.glossary_names(),
        }),
    )
}

/// `GET /health`.
pub async fn health() -> Response {
    json_response(StatusCode::OK, &json!({ "status": "ok" }))
}

/// `GET /spec`: the OpenAPI document of the service.
pub async fn spec() -> Response {
    let mut response = (StatusCode::OK, super::page::OPENAPI).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `GET /metrics`: the Prometheus counters.
pub async fn metrics(State(app): State<Arc<App>>) -> Response {
    let mut response = (StatusCode::OK, app.metrics.render()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// `GET /`: the web page.
pub async fn page() -> Response {
    let mut response = (StatusCode::OK, super::page::PAGE).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// `POST /suggest`: LibreTranslate's suggestions, which this server does not take.
pub async fn suggest() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "Suggestions are disabled on this server.",
    )
    .into_response()
}

/// Any other path.
pub async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "Not Found").into_response()
}

/// The formats `/check` takes.
const CHECK_FORMATS: &[(&str, Format)] = &[
    ("text", Format::Text),
    ("markdown", Format::Markdown),
    ("html", Format::Html),
];

/// `POST /check`: QA of a translation (`target_text`) against its source (`source_text`,
/// optional), as `tarjuman check --format json` reports it.
pub async fn check(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let mut log = LogInfo::default();
    let result = async {
        let params = read_params(&app, &headers, &uri, body).await?;
        let limits = app.admit(&params, addr, &mut log)?;
        let target_text = params
            .text("target_text")
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| ApiError::missing("target_text"))?;
        let source_text = params.text("source_text").filter(|t| !t.trim().is_empty());
        if let Some(limit) = app.char_limit(limits) {
            for t in std::iter::once(&target_text).chain(source_text.as_ref()) {
                let n = t.chars().count();
                if n > limit {
                    return Err(over_limit(n, limit));
                }
            }
        }
        let from = known_lang(&params, "source")?;
        let to = known_lang(&params, "target")?;
        let format_name = params
            .text("format")
            .map(|f| f.trim().to_ascii_lowercase())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| "text".to_string());
        let format = CHECK_FORMATS
            .iter()
            .find(|(n, _)| *n == format_name)
            .map(|&(_, f)| f)
            .ok_or_else(|| ApiError::bad(format!("{format_name} format is not supported")))?;
        let glossary = app.engines.glossary(params.text("glossary").as_deref())?;
        blocking(&app, move |app| {
            let parse = |origin: &str, text: &str| {
                doc::parse(format, origin, text)
                    .map_err(|e| ApiError::bad(format!("Invalid request: {e}")))
            };
            let mut target = parse("target_text", &target_text)?;
            let to = to.or_else(|| app.detector.document_language(&target).map(|d| d.lang));
            let checker = app.engines.checker(from, to, &glossary);
            let report = match &source_text {
                Some(s) => {
                    let mut source = parse("source_text", s)?;
                    checker.check_documents(&mut source, &mut target)
                }
                None => checker.check_target(&mut target),
            };
            Ok(json!({ "findings": report.findings, "summary": report.summary() }))
        })
        .await
    }
    .await;
    with_log(
        match result {
            Ok(v) => json_response(StatusCode::OK, &v),
            Err(e) => e.into_response(),
        },
        log,
    )
}
