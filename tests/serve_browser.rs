//! The web page of `tarjuman serve` in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`), driven over WebDriver: load the page, pick the languages, type a
//! text, translate, and see the translation with a QA finding highlighted and a glossary term
//! marked.

mod serve_common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serve_common::common;
use serve_common::*;

/// WebDriver's key for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Whether Chromium and its driver are installed; a skip notice (or a panic in strict mode)
/// when not.
fn chromium() -> Option<(&'static str, &'static str)> {
    let browser = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    match (browser, driver) {
        (Some(b), Some(d)) => Some((b, d)),
        _ => {
            assert!(
                !common::strict(),
                "chromium and chromium-driver are required (TARJUMAN_REQUIRE_SHARED=1)"
            );
            eprintln!("notice: skipping: chromium or chromium-driver is not installed");
            None
        }
    }
}

/// A chromedriver process and one browser session; both ended when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

fn webdriver(method: &str, url: &str, body: Option<Value>) -> Value {
    let agent = agent();
    let response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, body) => agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body.unwrap_or(json!({})).to_string()),
    };
    let mut response = response.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let text = response.body_mut().read_to_string().unwrap();
    let v = json(&text);
    assert!(
        v["value"].get("error").is_none(),
        "{method} {url}: {}",
        v["value"]
    );
    v["value"].clone()
}

impl Browser {
    fn start(browser: &str, driver: &str) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        loop {
            if let Ok(mut r) = agent().get(&format!("{base}/status")).call() {
                let v = json(&r.body_mut().read_to_string().unwrap_or_default());
                if v["value"]["ready"] == true {
                    break;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromedriver is not ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut browser_driver = Browser {
            driver: child,
            base,
            session: String::new(),
            _profile: profile,
        };
        let session = webdriver(
            "POST",
            &format!("{}/session", browser_driver.base),
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": browser, "args": args},
            }}})),
        );
        browser_driver.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser_driver
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    fn go(&self, url: &str) {
        webdriver("POST", &self.url("/url"), Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = webdriver(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT].as_str().expect("an element").to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        webdriver("POST", &self.url(&format!("/element/{id}/click")), None);
    }

    fn type_in(&self, css: &str, text: &str) {
        let id = self.find(css);
        webdriver(
            "POST",
            &self.url(&format!("/element/{id}/value")),
            Some(json!({ "text": text })),
        );
    }

    fn script(&self, script: &str) -> Value {
        webdriver(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs `script` until it returns something other than null, for at most `limit`.
    fn wait_for(&self, script: &str, limit: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(script);
            if !v.is_null() {
                return v;
            }
            assert!(start.elapsed() < limit, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = agent()
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn the_page_translates_and_shows_findings_and_terms() {
    let Some((browser, driver)) = chromium() else {
        return;
    };
    if !common::apertium("spa-eng") {
        return;
    }
    let server = Server::start(&[
        "--backend",
        "apertium",
        "--glossary",
        "glossaries/news-names.es-en.tsv",
    ]);
    let b = Browser::start(browser, driver);
    b.go(&server.url("/"));
    // The languages come from /languages.
    b.wait_for(
        "return document.querySelector('#target option[value=en]') ? true : null;",
        Duration::from_secs(20),
    );
    b.click("#source option[value=es]");
    b.click("#target option[value=en]");
    b.type_in(
        "#q",
        "El presidente Rajmón habló con 1.500 periodistas en Dusambé.",
    );
    b.click("#translate");
    let shown = b.wait_for(
        "const r = document.querySelector('#result');
         if (!r.textContent) return null;
         return {
           text: r.textContent,
           status: document.querySelector('#status').textContent,
           findings: [...r.querySelectorAll('mark.finding')].map(m => [m.dataset.check, m.textContent, m.title]),
           terms: [...r.querySelectorAll('.term')].map(t => t.textContent),
           listed: document.querySelectorAll('#findings li').length,
         };",
        Duration::from_secs(60),
    );
    if let Some(path) = std::env::var_os("TARJUMAN_SCREENSHOT") {
        // For a look at the page: a PNG of the window after translating.
        let png = webdriver("GET", &b.url("/screenshot"), None);
        let bytes = base64_decode(png.as_str().unwrap());
        std::fs::write(path, bytes).unwrap();
    }
    let text = shown["text"].as_str().unwrap();
    // What `translate` makes of it offline, with the same glossary.
    let expected = offline(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
            "--glossary",
            "glossaries/news-names.es-en.tsv",
        ],
        "El presidente Rajmón habló con 1.500 periodistas en Dusambé.",
    );
    assert_eq!(text, expected.trim_end(), "{shown}");
    let findings = shown["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f[0] == "number" && f[1] == "1.500"),
        "no highlighted number: {shown}"
    );
    assert!(shown["listed"].as_u64().unwrap() >= 1, "{shown}");
    let terms: Vec<&str> = shown["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(terms.contains(&"Rakhmon"), "{shown}");
    assert!(terms.contains(&"Dushanbe"), "{shown}");
    assert!(
        shown["status"].as_str().unwrap().contains("finding"),
        "{shown}"
    );
}

/// Decodes standard base64 (WebDriver's screenshots).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
