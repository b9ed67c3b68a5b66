//! The remote engine (`--backend libretranslate`) against a real LibreTranslate-compatible
//! server on 127.0.0.1: `tarjuman serve` with Apertium (en↔es) and the shared CTranslate2
//! model. What comes back is compared with what the server's own engine makes of the text
//! offline; batching is read from the server's access log; errors, limits, a server that is
//! not up yet and one that stops mid-run.

mod serve_common;

use std::time::Duration;

use serve_common::common;
use serve_common::*;

fn apertium_en_es() -> bool {
    common::apertium("eng-spa") && common::apertium("spa-eng")
}

/// Sentences of a real article (the shared corpus, English), one per line, at most `n`.
fn english_lines(n: usize) -> Vec<String> {
    let mut lines: Vec<String> = [
        "The government announced new elections for next spring.",
        "The minister said the budget would be presented in March.",
        "Farmers protested in the capital on Tuesday.",
        "The river flooded three villages after the storm.",
        "Schools will stay closed until the end of the week.",
        "The company reported higher profits than last year.",
        "Police arrested two men near the station.",
        "The museum opens a new exhibition on Friday.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let base = lines.clone();
    let mut i = 0;
    while lines.len() < n {
        let s = &base[i % base.len()];
        lines.push(format!(
            "In story {i}, {}{}",
            s[..1].to_lowercase(),
            &s[1..]
        ));
        i += 1;
    }
    lines.truncate(n);
    lines
}

/// How many requests to `path` the server's access log shows.
fn requests_to(server: &Server, path: &str) -> usize {
    server
        .log()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["path"] == path)
        .count()
}

#[test]
fn remote_translations_are_the_servers_and_batched() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium"]);
    let lines = english_lines(70);
    let input = lines.join("\n") + "\n";
    let tmp = tempfile::tempdir().unwrap();
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--from",
            "en",
            "--to",
            "es",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let offline = common::run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
        ],
        input.as_bytes(),
    );
    assert_eq!(offline.status.code(), Some(0));
    let remote = common::stdout(&out);
    assert_eq!(remote, common::stdout(&offline));
    assert_ne!(remote, input);
    assert!(remote.contains("gobierno"), "{remote}");
    // 70 segments, 32 a request at most: three requests, not seventy.
    let n = requests_to(&server, "/translate");
    assert!((3..=4).contains(&n), "{n} /translate requests");

    // Detection on our side, the server translating es→en: a Spanish line comes back in
    // English, an English line passes through untouched.
    let mixed =
        "El presidente habló con los periodistas ayer por la tarde.\nThe weather is fine today.\n";
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--to",
            "en",
        ],
        mixed.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains("president"), "{text}");
    assert!(text.contains("The weather is fine today."), "{text}");

    // A glossary applies to remote translations as to local ones.
    std::fs::write(
        tmp.path().join("names.tsv"),
        "src_lang\ttgt_lang\tsource\ttarget\nen\tes\tThe Guardian\tThe Guardian\n",
    )
    .unwrap();
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--from",
            "en",
            "--to",
            "es",
            "--glossary",
            "names.tsv",
        ],
        b"The Guardian reported the news yesterday.\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("The Guardian"),
        "{}",
        common::stdout(&out)
    );

    // A pair the server does not serve: a clear error, exit 2.
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--from",
            "de",
            "--to",
            "es",
        ],
        b"Guten Tag.\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains("German") && err.contains("/languages"),
        "{err}"
    );
}

#[test]
fn remote_ct2_model_through_serve() {
    let Some(model) = common::aren_model() else {
        return;
    };
    if !common::has_ct2() {
        return;
    }
    let model = model.to_str().unwrap().to_string();
    let server = Server::start(&["--model", &model, "--from", "ar", "--to", "en"]);
    let names = "محمد\nفاطمة\n";
    let remote = common::run(
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--from",
            "ar",
            "--to",
            "en",
        ],
        names.as_bytes(),
    );
    assert_eq!(remote.status.code(), Some(0), "{}", common::stderr(&remote));
    let local = common::run(
        &["translate", "--model", &model, "--from", "ar", "--to", "en"],
        names.as_bytes(),
    );
    assert_eq!(common::stdout(&remote), common::stdout(&local));
    assert!(common::stdout(&remote).is_ascii());
}

#[test]
fn remote_errors_are_clear() {
    if !apertium_en_es() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keys.txt"), "sekrit 1000\n").unwrap();
    let server = Server::start_in(
        tmp.path(),
        &[
            "--backend",
            "apertium",
            "--api-keys",
            "keys.txt",
            "--require-api-key",
            "--char-limit",
            "80",
        ],
    );
    let run = |extra: &[&str], input: &str| {
        let mut args = vec![
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &server.base,
            "--from",
            "en",
            "--to",
            "es",
        ];
        args.extend_from_slice(extra);
        common::run_in(tmp.path(), &args, input.as_bytes())
    };
    // No key, a wrong key: the server's refusal, exit 2, nothing written.
    for extra in [&[][..], &["--api-key", "wrong"][..]] {
        let mut args = extra.to_vec();
        args.extend_from_slice(&["-o", "out.txt"]);
        let out = run(&args, "Good morning.\n");
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = common::stderr(&out);
        assert!(
            err.contains("/translate") && (err.contains("403") || err.contains("API key")),
            "{err}"
        );
        assert!(!tmp.path().join("out.txt").exists());
    }
    // The right key: translated. A text over the server's limit fails alone (exit 1), the
    // others are translated.
    let long = "The committee met on Monday to discuss the long report about the economy of the region and its future.";
    assert!(long.chars().count() > 80);
    let out = run(
        &["--api-key", "sekrit"],
        &format!("Good morning.\n{long}\nThe river is wide.\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains("Buenos días"), "{text}");
    assert!(text.contains("río"), "{text}");
    let err = common::stderr(&out);
    assert!(err.contains("exceeds text limit"), "{err}");

    // Nothing listening: exit 2 after the retries, naming the URL.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    std::fs::write(
        tmp.path().join("remote.toml"),
        format!(
            "[backends.r]\ntype = \"libretranslate\"\nurl = \"{url}\"\nretries = 1\nbackoff = 0.05\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"r\"\n"
        ),
    )
    .unwrap();
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--config",
            "remote.toml",
            "--from",
            "en",
            "--to",
            "es",
        ],
        b"Good morning.\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = common::stderr(&out);
    assert!(
        err.contains(&url) && err.contains("gave up after 2 attempts"),
        "{err}"
    );
    // A URL that is not http(s), none at all.
    let out = common::run_in(
        tmp.path(),
        &[
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            "ftp://x",
            "--to",
            "es",
        ],
        b"x\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("http://"));
    let out = common::run_in(
        tmp.path(),
        &["translate", "--backend", "libretranslate", "--to", "es"],
        b"x\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("--url"));
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_server_not_up_yet_is_waited_for_and_one_that_stops_fails_the_run() {
    if !apertium_en_es() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // Not up yet: the client retries with backoff until it is.
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let child = {
        let mut c = common::tarjuman();
        c.args([
            "translate",
            "--backend",
            "libretranslate",
            "--url",
            &url,
            "--from",
            "en",
            "--to",
            "es",
            "-o",
            "late.txt",
        ])
        .current_dir(tmp.path())
        .env("HOME", tmp.path())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"Good morning.\n")
            .unwrap();
        child
    };
    std::thread::sleep(Duration::from_millis(700));
    // `tarjuman serve` on that port (Server::start_in asks for any free port).
    let mut late_server = common::tarjuman()
        .args([
            "serve",
            "--backend",
            "apertium",
            "--host",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .current_dir(tmp.path())
        .env("HOME", tmp.path())
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let _ = late_server.kill();
    let _ = late_server.wait();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let late = std::fs::read_to_string(tmp.path().join("late.txt")).unwrap();
    assert!(late.contains("Buenos días"), "{late}");

    // Stops mid-run: one text a request, ten requests a second at most; the server is
    // killed after two seconds, half-way through at that rate. The run fails (exit 2) naming the server and writes no
    // output; started again against a new server, the output is whole.
    let mut server = Server::start_in(tmp.path(), &["--backend", "apertium"]);
    let config = |url: &str| {
        format!(
            "[backends.r]\ntype = \"libretranslate\"\nurl = \"{url}\"\nbatch_size = 1\nconcurrency = 1\nrequests_per_minute = 600\nretries = 2\nbackoff = 0.1\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"r\"\n"
        )
    };
    std::fs::write(tmp.path().join("r.toml"), config(&server.base)).unwrap();
    // One paragraph a line, so that a line is a segment.
    let lines = english_lines(40);
    let input = lines.join("\n\n") + "\n";
    std::fs::write(tmp.path().join("in.txt"), &input).unwrap();
    let args = [
        "translate",
        "in.txt",
        "--config",
        "r.toml",
        "--from",
        "en",
        "--to",
        "es",
        "-o",
        "out.txt",
    ];
    let run = std::thread::spawn({
        let dir = tmp.path().to_path_buf();
        move || common::run_in(&dir, &args, b"")
    });
    std::thread::sleep(Duration::from_millis(2000));
    let served = requests_to(&server, "/translate");
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &server.pid().to_string()])
        .status();
    let _ = server.wait_exit(Duration::from_secs(5));
    let out = run.join().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    assert!(err.contains(&server.base), "{err}");
    assert!(!tmp.path().join("out.txt").exists());
    assert!(
        served > 0 && served <= 22,
        "{served} requests before the stop"
    );

    let server = Server::start_in(tmp.path(), &["--backend", "apertium"]);
    std::fs::write(tmp.path().join("r.toml"), config(&server.base)).unwrap();
    let out = common::run_in(tmp.path(), &args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let resumed = std::fs::read_to_string(tmp.path().join("out.txt")).unwrap();
    let whole = common::run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
        ],
        input.as_bytes(),
    );
    assert_eq!(resumed, common::stdout(&whole));
    // One request a text: the batch size held.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(requests_to(&server, "/translate"), lines.len());
}
