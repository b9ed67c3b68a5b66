//! Reading a request: the body (bounded in size and time) and its parameters, from JSON,
//! `application/x-www-form-urlencoded` or `multipart/form-data` bodies and the query string,
//! as LibreTranslate reads them.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Map, Value};

/// An error answered as `{"error": message}` with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// A 400 with `message`.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// LibreTranslate's "Invalid request: missing NAME parameter".
    pub fn missing(name: &str) -> ApiError {
        ApiError::bad(format!("Invalid request: missing {name} parameter"))
    }
}

/// Reads the whole body: at most `limit` bytes (else 413), all of it within `timeout` (else
/// 408: a client that stops sending is let go).
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body too large: the limit is {limit} bytes"),
        )
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let deadline = tokio::time::Instant::now() + timeout;
    let mut body = body;
    let mut out = Vec::with_capacity(declared.map_or(0, |n| n as usize).min(limit));
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "Request timeout: the body did not arrive within {} s",
                        timeout.as_secs_f64()
                    ),
                ))
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(ApiError::bad(format!(
                    "Invalid request: the body could not be read ({e})"
                )))
            }
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > limit {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// An uploaded file of a multipart body.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The file name the client gave.
    pub filename: String,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// The parameters of a request.
#[derive(Debug, Default)]
pub struct Params {
    /// Whether the body was JSON (LibreTranslate's `request.is_json`).
    pub json: bool,
    /// Parameter values: strings from forms and query strings, any JSON value from JSON.
    pub values: Map<String, Value>,
    /// Files of a multipart body.
    pub files: Vec<Upload>,
}

impl Params {
    /// The value of `name` as text: a string as it is, a number or boolean written out;
    /// `None` when absent or null.
    pub fn text(&self, name: &str) -> Option<String> {
        match self.values.get(name)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// The value of `name` as a flag: JSON `true`, or the text `true`, `1`, `yes` or `on`.
    pub fn flag(&self, name: &str) -> bool {
        match self.values.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
            Some(Value::String(s)) => {
                matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "true" | "1" | "yes" | "on"
                )
            }
            _ => false,
        }
    }
}

/// Whether a content type is JSON (`application/json`, `application/*+json`).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses the parameters of a request from its query string and body.
pub fn parse(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Result<Params, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut params = Params::default();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        parse_urlencoded(q.as_bytes(), &mut params.values)?;
    }
    if is_json(content_type) {
        params.json = true;
        let text = std::str::from_utf8(body).map_err(|e| {
            ApiError::bad(format!(
                "Invalid request: the body is not valid UTF-8 (byte {})",
                e.valid_up_to()
            ))
        })?;
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ApiError::bad(format!("Failed to decode JSON object: {e}")))?;
        match value {
            Value::Object(map) => params.values.extend(map),
            _ => return Err(ApiError::bad("Invalid JSON format")),
        }
    } else if content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        let boundary = boundary(content_type).ok_or_else(|| {
            ApiError::bad("Invalid request: multipart/form-data without a boundary")
        })?;
        parse_multipart(body, &boundary, &mut params)?;
    } else {
        parse_urlencoded(body, &mut params.values)?;
    }
    Ok(params)
}

/// Decodes `%XX` escapes and `+` of a form value into bytes.
fn percent_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => match (hex(s[i + 1]), hex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Parses `name=value&…`; the first value of a name wins (as Werkzeug's `values.get`).
fn parse_urlencoded(body: &[u8], values: &mut Map<String, Value>) -> Result<(), ApiError> {
    for pair in body.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let name = String::from_utf8(percent_decode(name))
            .map_err(|_| ApiError::bad("Invalid request: a parameter name is not valid UTF-8"))?;
        let value = String::from_utf8(percent_decode(value)).map_err(|e| {
            ApiError::bad(format!(
                "Invalid request: the {name} parameter is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        values.entry(name).or_insert(Value::String(value));
    }
    Ok(())
}

/// The `boundary` parameter of a multipart content type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// Finds `needle` in `hay` from `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|i| i + from)
}

/// A parameter of a `Content-Disposition` header (`name="…"`).
fn disposition_param(header: &str, name: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Parses a `multipart/form-data` body: text fields into `values`, file parts into `files`.
fn parse_multipart(body: &[u8], boundary: &str, params: &mut Params) -> Result<(), ApiError> {
    let bad = |what: &str| {
        ApiError::bad(format!(
            "Invalid request: malformed multipart body ({what})"
        ))
    };
    let delimiter = format!("--{boundary}");
    let mut pos = find(body, delimiter.as_bytes(), 0).ok_or_else(|| bad("no boundary"))?;
    loop {
        pos += delimiter.len();
        if body[pos..].starts_with(b"--") {
            return Ok(());
        }
        // The part's headers start after the line break that ends the delimiter line.
        let start = find(body, b"\r\n", pos).ok_or_else(|| bad("unterminated delimiter"))? + 2;
        let head_end = find(body, b"\r\n\r\n", start).ok_or_else(|| bad("no part headers"))?;
        let head = std::str::from_utf8(&body[start..head_end])
            .map_err(|_| bad("part headers are not UTF-8"))?;
        let next_delimiter = format!("\r\n--{boundary}");
        let data_start = head_end + 4;
        let data_end = find(body, next_delimiter.as_bytes(), data_start)
            .ok_or_else(|| bad("unterminated part"))?;
        let data = &body[data_start..data_end];
        let disposition = head
            .split("\r\n")
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-disposition")
                    .then_some(v.trim())
            })
            .ok_or_else(|| bad("a part without Content-Disposition"))?;
        let name = disposition_param(disposition, "name").unwrap_or_default();
        match disposition_param(disposition, "filename") {
            Some(filename) => params.files.push(Upload {
                field: name,
                filename,
                data: data.to_vec(),
            }),
            None => {
                let value = String::from_utf8(data.to_vec()).map_err(|e| {
                    ApiError::bad(format!(
                        "Invalid request: the {name} parameter is not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ))
                })?;
                params.values.entry(name).or_insert(Value::String(value));
            }
        }
        pos = data_end + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        h
    }

    #[test]
    fn forms_json_and_multipart() {
        let p = parse(
            &headers("application/x-www-form-urlencoded"),
            Some("api_key=k"),
            b"q=Hola+mundo%21&source=es&q=second&target=en&x",
        )
        .unwrap();
        assert!(!p.json);
        assert_eq!(p.text("q").as_deref(), Some("Hola mundo!"));
        assert_eq!(p.text("api_key").as_deref(), Some("k"));
        assert_eq!(p.text("x").as_deref(), Some(""));
        let p = parse(
            &headers("application/json; charset=utf-8"),
            None,
            br#"{"q": ["a", "b"], "check": true, "alternatives": 2}"#,
        )
        .unwrap();
        assert!(p.json && p.flag("check"));
        assert_eq!(p.text("alternatives").as_deref(), Some("2"));
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nen\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.txt\"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\n\r\n--XyZ--\r\n";
        let p = parse(&headers("multipart/form-data; boundary=XyZ"), None, body).unwrap();
        assert_eq!(p.text("source").as_deref(), Some("en"));
        assert_eq!(p.files.len(), 1);
        assert_eq!(p.files[0].filename, "a b.txt");
        assert_eq!(p.files[0].data, b"line 1\r\nline 2\n");
    }

    #[test]
    fn bad_bodies_are_named() {
        let err = |ct: &str, body: &[u8]| parse(&headers(ct), None, body).unwrap_err().message;
        assert!(err("application/json", b"{\"q\": ").starts_with("Failed to decode JSON object: "));
        assert_eq!(err("application/json", b"[1, 2]"), "Invalid JSON format");
        assert!(err("application/json", b"{\"q\": \"\xff\"}").contains("not valid UTF-8"));
        assert!(err("application/x-www-form-urlencoded", b"q=%FF%FE")
            .contains("q parameter is not valid UTF-8"));
        assert!(err("multipart/form-data; boundary=b", b"--b\r\nno headers")
            .contains("malformed multipart"));
        assert!(err("multipart/form-data", b"").contains("boundary"));
    }
}
