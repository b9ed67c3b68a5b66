//! `tarjuman feed` fetching over HTTP from a real web server: Debian's nginx on a free
//! loopback port (gzip and brotli bodies, ETag/Last-Modified, redirects), whose access log
//! shows what tarjuman asked for. Also duplicates, standard input, size limits, timeouts and
//! the closing line's count of failed feeds.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::*;

/// An nginx serving `www/` on 127.0.0.1, single process, everything under its own directory;
/// killed when dropped.
struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
    base: String,
}

impl Nginx {
    fn start() -> Option<Nginx> {
        if Command::new("nginx").arg("-v").output().is_err() {
            assert!(
                !strict(),
                "nginx is required (TARJUMAN_REQUIRE_SHARED=1; scripts/setup-debian)"
            );
            eprintln!("notice: skipping: nginx not installed (apt-get install nginx-light)");
            return None;
        }
        let brotli = ["/usr/lib/nginx/modules", "/usr/share/nginx/modules"]
            .iter()
            .map(|d| Path::new(d).join("ngx_http_brotli_filter_module.so"))
            .find(|p| p.is_file());
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("www/plain")).unwrap();
        std::fs::create_dir_all(d.join("tmp")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (load, brotli_on, brotli_off) = match &brotli {
            Some(m) => (
                format!("load_module {};", m.display()),
                "brotli on; brotli_types application/rss+xml; brotli_min_length 1;",
                "brotli off;",
            ),
            None => (String::new(), "", ""),
        };
        let p = d.display();
        let conf = format!(
            r#"{load}
daemon off; master_process off; worker_processes 1;
pid {p}/nginx.pid; error_log {p}/error.log;
events {{ worker_connections 64; }}
http {{
  log_format t '$status $request_uri "$http_user_agent" "$http_accept_encoding" "$http_if_none_match" "$http_if_modified_since" "$sent_http_content_encoding" $bytes_sent';
  access_log {p}/access.log t;
  client_body_temp_path {p}/tmp; proxy_temp_path {p}/tmp; fastcgi_temp_path {p}/tmp;
  uwsgi_temp_path {p}/tmp; scgi_temp_path {p}/tmp;
  types {{ application/rss+xml xml; }}
  gzip on; gzip_types application/rss+xml; gzip_min_length 1;
  {brotli_on}
  server {{
    listen 127.0.0.1:{port};
    root {p}/www;
    location /plain/ {{ gzip off; {brotli_off} }}
    location /gz/ {{ {brotli_off} }}
    location = /moved.xml {{ return 301 /news.xml; }}
    location = /loop.xml {{ return 302 /loop.xml; }}
  }}
}}
"#
        );
        std::fs::write(d.join("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .args(["-c", &d.join("nginx.conf").display().to_string(), "-p"])
            .arg(d)
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Nginx { child, dir, base })
    }

    fn www(&self, rel: &str) -> PathBuf {
        let p = self.dir.path().join("www").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        p
    }

    fn url(&self, rel: &str) -> String {
        format!("{}/{rel}", self.base)
    }

    /// The access log's lines so far (nginx writes each line when its request ends).
    fn log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The logged requests for `path`.
    fn requests_for(&self, path: &str) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|l| l.split(' ').nth(1) == Some(path))
            .collect()
    }
}

/// A logged request: status, user agent, accept-encoding, if-none-match, if-modified-since,
/// content-encoding of the answer, bytes sent (nginx logs an empty header as `-`).
struct Logged {
    status: u16,
    user_agent: String,
    accept_encoding: String,
    if_none_match: String,
    if_modified_since: String,
    content_encoding: String,
    sent: usize,
}

fn parse(line: &str) -> Logged {
    let f: Vec<&str> = line.split('"').collect();
    assert_eq!(f.len(), 11, "{line}");
    Logged {
        status: f[0].split(' ').next().unwrap().parse().unwrap(),
        user_agent: f[1].into(),
        accept_encoding: f[3].into(),
        if_none_match: f[5].into(),
        if_modified_since: f[7].into(),
        content_encoding: f[9].into(),
        sent: f[10].trim().parse().unwrap(),
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An RSS feed of `items` items, with enough repeated text for compression to matter.
fn rss(title: &str, items: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://example.com/</link><description>The news of the day.</description>\n"
    );
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>The house number {i}</title><description>The house is red and the garden is green.</description><guid>item-{i}</guid></item>\n"
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn feed_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "feed",
        "--backend",
        "apertium",
        "--from",
        "en",
        "--to",
        "es",
        "--out-dir",
        out,
    ];
    a.extend_from_slice(extra);
    a
}

fn run_feed(cache: &Path, out: &Path, extra: &[&str], stdin: &[u8]) -> std::process::Output {
    let out = out.display().to_string();
    run_in_env(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[("XDG_CACHE_HOME", cache)],
        &feed_args(&out, extra),
        stdin,
    )
}

fn report(out: &Path) -> Vec<serde_json::Value> {
    json_lines(&std::fs::read_to_string(out.join("report.jsonl")).unwrap())
}

fn feed_line<'a>(lines: &'a [serde_json::Value], input: &str) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["type"] == "feed" && l["input"] == input)
        .unwrap_or_else(|| panic!("no feed line for {input}: {lines:?}"))
}

#[test]
fn feeds_are_fetched_politely_compressed_and_only_when_changed() {
    if !apertium("eng-spa") {
        return;
    }
    let Some(nginx) = Nginx::start() else { return };
    let body = rss("Town news", 60);
    std::fs::write(nginx.www("news.xml"), &body).unwrap();
    std::fs::write(nginx.www("gz/news.xml"), &body).unwrap();
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let (first, second) = (work.path().join("first"), work.path().join("second"));
    let urls = [nginx.url("news.xml"), nginx.url("gz/news.xml")];
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();

    let o = run_feed(&cache, &first, &args, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for path in ["/news.xml", "/gz/news.xml"] {
        let requests = nginx.requests_for(path);
        assert_eq!(requests.len(), 1, "{requests:?}");
        let r = parse(&requests[0]);
        assert_eq!(r.status, 200);
        assert_eq!(
            r.user_agent,
            format!("tarjuman/{}", env!("CARGO_PKG_VERSION")),
            "the User-Agent names tarjuman and its version"
        );
        assert!(
            r.accept_encoding.contains("gzip") && r.accept_encoding.contains("br"),
            "{}",
            requests[0]
        );
        assert_ne!(r.content_encoding, "-", "{}", requests[0]);
        assert!(
            r.sent < body.len() / 3,
            "the body came compressed: {}",
            requests[0]
        );
    }
    assert_eq!(
        parse(&nginx.requests_for("/gz/news.xml")[0]).content_encoding,
        "gzip"
    );
    let lines = report(&first);
    assert_eq!(feed_line(&lines, &urls[0])["http_status"], 200);
    let translated = std::fs::read_to_string(first.join("news.xml")).unwrap();
    assert_eq!(translated.matches("<item>").count(), 60);
    assert!(translated.contains("casa"), "{translated}");

    // Second run: conditional requests, 304, the cached copy translated to the same output.
    let o = run_feed(&cache, &second, &args, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let requests = nginx.requests_for("/news.xml");
    assert_eq!(requests.len(), 2, "{requests:?}");
    let again = parse(&requests[1]);
    assert_eq!(again.status, 304, "{}", requests[1]);
    assert_ne!(
        again.if_none_match, "-",
        "the ETag was sent back: {}",
        requests[1]
    );
    assert_ne!(again.if_modified_since, "-", "{}", requests[1]);
    let lines = report(&second);
    assert_eq!(feed_line(&lines, &urls[0])["http_status"], 304);
    assert_eq!(
        std::fs::read_to_string(second.join("news.xml")).unwrap(),
        translated
    );

    // A changed feed is downloaded again.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(nginx.www("news.xml"), rss("Town news", 61)).unwrap();
    let third = work.path().join("third");
    let o = run_feed(&cache, &third, &args, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(parse(&nginx.requests_for("/news.xml")[2]).status, 200);
    let t = std::fs::read_to_string(third.join("news.xml")).unwrap();
    assert_eq!(t.matches("<item>").count(), 61);

    // --no-http-cache: always the whole body, no validators.
    let o = run_feed(
        &cache,
        &work.path().join("fourth"),
        &[args[0], "--no-http-cache"],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let last = parse(&nginx.requests_for("/news.xml").pop().unwrap());
    assert_eq!(last.status, 200);
    assert_eq!(
        (last.if_none_match.as_str(), last.if_modified_since.as_str()),
        ("-", "-")
    );
}

#[test]
fn redirects_are_followed_up_to_a_limit_and_failed_feeds_are_counted() {
    if !apertium("eng-spa") {
        return;
    }
    let Some(nginx) = Nginx::start() else { return };
    std::fs::write(nginx.www("news.xml"), rss("Town news", 3)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let urls = [
        nginx.url("moved.xml"),
        nginx.url("loop.xml"),
        nginx.url("missing.xml"),
        "http://127.0.0.1:1/refused.xml".to_string(),
    ];
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let o = run_feed(&work.path().join("cache"), &out, &args, b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("4 feeds (3 failed)"), "{err}");
    assert!(err.contains("too many redirects"), "{err}");
    assert!(err.contains("404"), "{err}");
    let loops = nginx.requests_for("/loop.xml").len();
    assert!(
        (2..=6).contains(&loops),
        "a redirect loop is followed at most 5 times: {loops} requests"
    );
    let moved = std::fs::read_to_string(out.join("moved.xml")).unwrap();
    assert_eq!(moved.matches("<item>").count(), 3);
    let lines = report(&out);
    for u in &urls[1..] {
        assert_eq!(feed_line(&lines, u)["status"], "error");
    }
}

#[test]
fn a_feed_larger_than_the_limit_is_stopped_while_downloading() {
    if !apertium("eng-spa") {
        return;
    }
    let Some(nginx) = Nginx::start() else { return };
    // 24 MB of text that does not compress (served without compression anyway).
    let mut big = rss("Big", 1);
    big.truncate(big.len() - "</channel></rss>\n".len());
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut junk = String::with_capacity(24 << 20);
    while junk.len() < 24 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk.push(char::from(b'a' + (x % 26) as u8));
        if x % 7 == 0 {
            junk.push(' ');
        }
    }
    big.push_str(&format!(
        "<item><title>x</title><description>{junk}</description></item></channel></rss>\n"
    ));
    std::fs::write(nginx.www("plain/big.xml"), &big).unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let url = nginx.url("plain/big.xml");
    let o = run_feed(
        &work.path().join("cache"),
        &out,
        &[&url, "--max-size", "1M"],
        b"",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("larger than 1048576 bytes"),
        "{}",
        stderr(&o)
    );
    // nginx logs what it managed to send before tarjuman hung up: far less than the file.
    let deadline = Instant::now() + Duration::from_secs(10);
    let sent = loop {
        if let Some(r) = nginx.requests_for("/plain/big.xml").pop() {
            break parse(&r).sent;
        }
        assert!(Instant::now() < deadline, "{:?}", nginx.log());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(sent < big.len() / 2, "{sent} of {} bytes sent", big.len());
    assert!(!out.join("big.xml").exists());
    // A bad size is a usage error.
    let o = run_feed(
        &work.path().join("cache"),
        &out,
        &[&url, "--max-size", "lots"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a size"), "{}", stderr(&o));
}

#[test]
fn a_server_that_never_answers_times_out() {
    if !apertium("eng-spa") {
        return;
    }
    // Accepts connections and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    let work = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/news.xml");
    let started = Instant::now();
    let o = run_feed(
        &work.path().join("cache"),
        &work.path().join("out"),
        &[&url, "--timeout", "1"],
        b"",
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no answer within 1 s"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("1 feed (failed)"), "{}", stderr(&o));
}

#[test]
fn a_feed_named_twice_is_fetched_once_and_standard_input_is_a_feed_or_a_list() {
    if !apertium("eng-spa") {
        return;
    }
    let Some(nginx) = Nginx::start() else { return };
    std::fs::write(nginx.www("news.xml"), rss("Town news", 2)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let url = nginx.url("news.xml");
    let list = work.path().join("feeds.txt");
    std::fs::write(&list, format!("{url}\n# again\n{url}\n")).unwrap();
    let out = work.path().join("out");
    let l = list.display().to_string();
    let o = run_feed(&cache, &out, &[&l, &url], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        nginx.requests_for("/news.xml").len(),
        1,
        "{:?}",
        nginx.log()
    );
    assert!(
        stderr(&o).contains("named more than once"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("1 feed,"), "{}", stderr(&o));
    assert_eq!(
        files_in(&out),
        ["news.xml", "report.jsonl"],
        "one output for the feed"
    );

    // `-`: a feed on standard input …
    let out = work.path().join("stdin");
    let o = run_feed(&cache, &out, &["-"], rss("Town news", 2).as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::fs::read_to_string(out.join("stdin.xml")).unwrap();
    assert_eq!(t.matches("<item>").count(), 2);
    assert!(t.contains("casa"), "{t}");
    assert_eq!(feed_line(&report(&out), "<stdin>")["status"], "ok");
    // … or a list of inputs.
    let out = work.path().join("list");
    let o = run_feed(&cache, &out, &["-"], format!("{url}\n").as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("news.xml").is_file());
}
