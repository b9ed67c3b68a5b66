//! A `tarjuman serve` process on 127.0.0.1 for the service tests, and a real HTTP client
//! (ureq) to talk to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../common/mod.rs"]
pub mod common;

/// A running `tarjuman serve --port 0 …`; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Every line the server wrote on stderr so far.
    pub stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `tarjuman serve --port 0 ARGS` in `dir` and waits until it listens. Panics
    /// with the server's stderr when it does not start.
    pub fn start_in(dir: &Path, args: &[&str]) -> Server {
        let mut child = common::tarjuman()
            .arg("serve")
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .current_dir(dir)
            .env_remove("XDG_CONFIG_HOME")
            .env("HOME", dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tarjuman serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let keep = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split(" on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(addr);
                }
                keep.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "tarjuman serve {args:?} did not start:\n{}",
                    lines.lock().unwrap().join("\n")
                );
            }
        };
        Server {
            child,
            base: format!("http://{addr}"),
            addr,
            stderr: lines,
        }
    }

    /// [`Server::start_in`] in the repository root.
    pub fn start(args: &[&str]) -> Server {
        Server::start_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM to the server.
    pub fn terminate(&self) {
        let ok = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill -TERM failed");
    }

    /// Waits at most `limit` for the server to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// The server's stderr so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A client that returns error statuses as responses.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn finish(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, String) {
    let mut response = response.expect("the request gets a response");
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .expect("a UTF-8 body");
    (status, body)
}

/// Parses a JSON body, naming it when it is not JSON.
pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// `GET url` → (status, body).
pub fn get(url: &str) -> (u16, String) {
    finish(agent().get(url).call())
}

/// `POST url` with a form → (status, JSON body).
pub fn post_form(url: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let (status, body) = finish(agent().post(url).send_form(form.iter().copied()));
    (status, json(&body))
}

/// `POST url` with a JSON body → (status, JSON body).
pub fn post_json(url: &str, value: &Value) -> (u16, Value) {
    let (status, body) = finish(
        agent()
            .post(url)
            .header("Content-Type", "application/json")
            .send(value.to_string()),
    );
    (status, json(&body))
}

/// `POST url` with raw bytes and a content type → (status, body).
pub fn post_raw(url: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    finish(
        agent()
            .post(url)
            .header("Content-Type", content_type)
            .send(&body[..]),
    )
}

/// A multipart/form-data body with text `fields` and one file; returns (content type, body).
pub fn multipart(fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----tarjuman-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (field, filename, data) = file;
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends raw bytes on a new connection and reads the whole response (the server closes it:
/// `Connection: close` must be in `request`). Returns (status, body).
pub fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream.write_all(request).unwrap();
    read_response(&mut stream)
}

/// Reads an HTTP/1.1 response until the server closes the connection.
pub fn read_response(stream: &mut TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP response: {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |x| x.1).to_string();
    (status, body)
}

/// What `tarjuman translate ARGS` writes for `input` (the offline translation).
pub fn offline(args: &[&str], input: &str) -> String {
    let out = common::run(args, input.as_bytes());
    assert!(
        out.status.code() == Some(0),
        "tarjuman {args:?} failed: {}",
        common::stderr(&out)
    );
    common::stdout(&out)
}

/// A few Arabic-script names for the transliteration model.
pub const NAMES: &[&str] = &[
    "محمد",
    "علي",
    "فاطمة",
    "أحمد",
    "خديجة",
    "عمر",
    "يوسف",
    "مريم",
    "حسن",
    "زينب",
    "إبراهيم",
    "سلمان",
    "ليلى",
    "كريم",
    "نور",
    "سعيد",
];
