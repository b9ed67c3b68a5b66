//! `tarjuman serve` over real HTTP on 127.0.0.1: LibreTranslate's API (paths, forms, shapes,
//! error texts and status codes) with real Apertium (en↔es) and the shared CTranslate2 model,
//! our extensions (glossaries, QA, /check, files), the limits, bad input, dynamic batching,
//! metrics, access logs and graceful shutdown. Every translation is compared with what
//! `tarjuman translate` makes of the same text offline.

mod serve_common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serve_common::common;
use serve_common::*;

fn apertium_en_es() -> bool {
    common::apertium("eng-spa") && common::apertium("spa-eng")
}

fn error_of(v: &Value) -> &str {
    v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error in {v}"))
}

#[test]
fn libretranslate_api_with_apertium() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium"]);
    let offline_es = |text: &str| {
        offline(
            &[
                "translate",
                "--backend",
                "apertium",
                "--from",
                "en",
                "--to",
                "es",
            ],
            text,
        )
    };

    // /languages: what the installed modes serve, with targets.
    let (status, body) = get(&server.url("/languages"));
    assert_eq!(status, 200);
    let langs = json(&body);
    let en = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "en")
        .expect("English is served");
    assert_eq!(en["name"], "English");
    assert!(en["targets"].as_array().unwrap().contains(&json!("es")));

    // Form-encoded, one text: what `translate` makes of it offline.
    let text = "The government announced new elections for next spring.";
    let (status, v) = post_form(
        &server.url("/translate"),
        &[
            ("q", text),
            ("source", "en"),
            ("target", "es"),
            ("format", "text"),
        ],
    );
    assert_eq!(status, 200, "{v}");
    let translated = v["translatedText"].as_str().unwrap();
    assert_ne!(translated, text);
    assert_eq!(translated, offline_es(text).trim_end());
    assert!(v.get("detectedLanguage").is_none(), "{v}");

    // JSON, a batch: one translation per text, in order, each as it is alone.
    let texts = ["Hello", "The world is large.", "Good morning, friends."];
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": texts, "source": "en", "target": "es", "format": "text"}),
    );
    assert_eq!(status, 200, "{v}");
    let out: Vec<&str> = v["translatedText"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(out.len(), 3);
    for (t, o) in texts.iter().zip(&out) {
        assert_eq!(*o, offline_es(t).trim_end(), "{t}");
    }

    // `auto`: the detected language with a confidence in percent.
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": "El presidente habló con los periodistas ayer por la tarde.", "source": "auto", "target": "en"}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["detectedLanguage"]["language"], "es");
    let confidence = v["detectedLanguage"]["confidence"].as_f64().unwrap();
    assert!(confidence > 50.0 && confidence <= 100.0, "{v}");
    assert!(v["translatedText"].as_str().unwrap().contains("president"));

    // alternatives: asked for, answered with a list (no n-best here).
    let (status, v) = post_form(
        &server.url("/translate"),
        &[
            ("q", "Hello"),
            ("source", "en"),
            ("target", "es"),
            ("alternatives", "2"),
        ],
    );
    assert_eq!(status, 200);
    assert_eq!(v["alternatives"], json!([]));

    // HTML keeps its markup.
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": "<p>The <b>world</b> is large.</p>", "source": "en", "target": "es", "format": "html"}),
    );
    assert_eq!(status, 200, "{v}");
    let html = v["translatedText"].as_str().unwrap();
    assert!(
        html.starts_with("<p>") && html.ends_with("</p>") && html.contains("<b>"),
        "{html}"
    );

    // /detect.
    let (status, v) = post_form(
        &server.url("/detect"),
        &[("q", "What language is this text written in?")],
    );
    assert_eq!(status, 200);
    assert_eq!(v[0]["language"], "en");
    assert!(v[0]["confidence"].as_f64().unwrap() > 50.0);

    // LibreTranslate's error texts and status codes.
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("source", "en"), ("target", "es")],
            "Invalid request: missing q parameter",
        ),
        (
            &[("q", ""), ("source", "en"), ("target", "es")],
            "Invalid request: missing q parameter",
        ),
        (
            &[("q", "Hi"), ("target", "es")],
            "Invalid request: missing source parameter",
        ),
        (
            &[("q", "Hi"), ("source", "en")],
            "Invalid request: missing target parameter",
        ),
        (
            &[("q", "Hi"), ("source", "en"), ("target", "zz")],
            "zz is not supported",
        ),
        (
            &[("q", "Hi"), ("source", "xx"), ("target", "es")],
            "xx is not supported",
        ),
        // A language tarjuman knows but no route serves.
        (
            &[("q", "Hi"), ("source", "en"), ("target", "ja")],
            "ja is not supported",
        ),
        (
            &[
                ("q", "Hi"),
                ("source", "en"),
                ("target", "es"),
                ("format", "docx"),
            ],
            "docx format is not supported",
        ),
        (
            &[
                ("q", "Hi"),
                ("source", "en"),
                ("target", "es"),
                ("alternatives", "many"),
            ],
            "Invalid request: alternatives parameter is not a number",
        ),
        (
            &[
                ("q", "Hi"),
                ("source", "en"),
                ("target", "es"),
                ("alternatives", "4"),
            ],
            "Invalid request: alternatives parameter must be <= 3",
        ),
    ];
    for (form, error) in cases {
        let (status, v) = post_form(&server.url("/translate"), form);
        assert_eq!((status, error_of(&v)), (400, *error), "{form:?}");
    }
    let (status, v) = post_form(&server.url("/detect"), &[]);
    assert_eq!(
        (status, error_of(&v)),
        (400, "Invalid request: missing q parameter")
    );
    let (status, body) = post_raw(
        &server.url("/translate"),
        "application/json",
        b"{\"q\": ".to_vec(),
    );
    assert_eq!(status, 400);
    assert!(
        error_of(&json(&body)).starts_with("Failed to decode JSON object: "),
        "{body}"
    );
    let (status, body) = post_raw(
        &server.url("/translate"),
        "application/json",
        b"[\"q\"]".to_vec(),
    );
    assert_eq!(
        (status, error_of(&json(&body))),
        (400, "Invalid JSON format")
    );
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": [1, 2], "source": "en", "target": "es"}),
    );
    assert_eq!(status, 400);
    assert!(error_of(&v).contains("q must be a string or a list of strings"));

    // Wrong methods are 405, unknown paths 404; GET endpoints.
    for (method, path) in [
        ("GET", "/translate"),
        ("GET", "/detect"),
        ("POST", "/languages"),
        ("POST", "/health"),
        ("POST", "/spec"),
        ("GET", "/translate_file"),
    ] {
        let (status, body) = match method {
            "GET" => get(&server.url(path)),
            _ => post_raw(
                &server.url(path),
                "application/x-www-form-urlencoded",
                Vec::new(),
            ),
        };
        assert_eq!(status, 405, "{method} {path}: {body}");
    }
    assert_eq!(get(&server.url("/no/such/path")).0, 404);
    let (status, body) = get(&server.url("/health"));
    assert_eq!((status, json(&body)), (200, json!({"status": "ok"})));
    let (status, body) = get(&server.url("/spec"));
    assert_eq!(status, 200);
    let spec = json(&body);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/translate",
        "/detect",
        "/languages",
        "/translate_file",
        "/check",
        "/frontend/settings",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from /spec"
        );
    }
    let (status, body) = get(&server.url("/frontend/settings"));
    assert_eq!(status, 200);
    let settings = json(&body);
    assert_eq!(settings["charLimit"], -1);
    assert_eq!(settings["language"]["source"]["code"], "auto");
    assert!(settings["supportedFilesFormat"]
        .as_array()
        .unwrap()
        .contains(&json!(".po")));
    let (status, v) = post_form(&server.url("/suggest"), &[("q", "a"), ("s", "b")]);
    assert_eq!(
        (status, error_of(&v)),
        (403, "Suggestions are disabled on this server.")
    );

    // CORS, as LibreTranslate sends it.
    let response = agent().get(&server.url("/languages")).call().unwrap();
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "*"
    );
}

#[test]
fn the_shared_model_serves_its_pair() {
    let Some(model) = common::aren_model() else {
        return;
    };
    if !common::has_ct2() {
        return;
    }
    let model = model.to_str().unwrap();
    // A plain model says nothing about its languages: serve needs them.
    let out = common::run(&["serve", "--port", "0", "--model", model], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("--from"),
        "{}",
        common::stderr(&out)
    );

    let server = Server::start(&["--model", model, "--from", "ar", "--to", "en"]);
    let (_, body) = get(&server.url("/languages"));
    let langs = json(&body);
    assert_eq!(
        langs,
        json!([
            {"code": "ar", "name": "Arabic", "targets": ["en"]},
            {"code": "en", "name": "English", "targets": []}
        ])
    );
    let names = NAMES[..6].join(" ");
    let (status, v) = post_form(
        &server.url("/translate"),
        &[("q", &names), ("source", "ar"), ("target", "en")],
    );
    assert_eq!(status, 200, "{v}");
    let expected = offline(
        &["translate", "--model", model, "--from", "ar", "--to", "en"],
        &names,
    );
    assert_eq!(v["translatedText"].as_str().unwrap(), expected.trim_end());
    assert!(v["translatedText"].as_str().unwrap().is_ascii());
    let (status, v) = post_form(
        &server.url("/translate"),
        &[("q", "Hello"), ("source", "en"), ("target", "ar")],
    );
    assert_eq!(
        (status, error_of(&v)),
        (
            400,
            "Arabic (ar) is not available as a target language from English (en)"
        )
    );
}

#[test]
fn concurrent_requests_share_engine_batches() {
    let Some(model) = common::aren_model() else {
        return;
    };
    if !common::has_ct2() {
        return;
    }
    let model = model.to_str().unwrap();
    let server = Server::start(&[
        "--model",
        model,
        "--from",
        "ar",
        "--to",
        "en",
        "--batch-wait-ms",
        "300",
    ]);
    let url = server.url("/translate");
    let requests: Vec<String> = (0..32)
        .map(|i| {
            format!(
                "{} {}",
                NAMES[i % NAMES.len()],
                NAMES[(i * 7 + 3) % NAMES.len()]
            )
        })
        .collect();
    let threads: Vec<_> = requests
        .iter()
        .cloned()
        .map(|q| {
            let url = url.clone();
            std::thread::spawn(move || {
                let (status, v) = post_form(&url, &[("q", &q), ("source", "ar"), ("target", "en")]);
                assert_eq!(status, 200, "{v}");
                v["translatedText"].as_str().unwrap().to_string()
            })
        })
        .collect();
    let answers: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // Each request got its own translation: the one it gets alone, offline.
    let expected = offline(
        &[
            "translate",
            "--model",
            model,
            "--from",
            "ar",
            "--to",
            "en",
            "--format",
            "jsonl",
        ],
        &requests
            .iter()
            .enumerate()
            .map(|(i, q)| json!({"id": i, "text": q}).to_string() + "\n")
            .collect::<String>(),
    );
    let expected: Vec<String> = expected
        .lines()
        .map(|l| json(l)["translation"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(answers, expected);
    // …in fewer engine batches than requests.
    let (_, metrics) = get(&server.url("/metrics"));
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} not in /metrics:\n{metrics}"))
    };
    let batches = value("tarjuman_engine_batch_requests_count");
    let requests_in_batches = value("tarjuman_engine_batch_requests_sum");
    assert_eq!(requests_in_batches, 32.0, "{metrics}");
    assert!(batches < 16.0, "32 requests in {batches} engine batches");
    assert!(value("tarjuman_http_requests_total{path=\"/translate\",status=\"200\"}") >= 32.0);
}

#[test]
fn glossaries_and_qa_findings() {
    if !apertium_en_es() || !common::hunspell("en_US") {
        return;
    }
    let server = Server::start(&[
        "--backend",
        "apertium",
        "--glossary",
        "glossaries/news-names.es-en.tsv",
    ]);
    let text = "El presidente Rajmón habló con 1.500 periodistas.";
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": text, "source": "es", "target": "en", "check": true}),
    );
    assert_eq!(status, 200, "{v}");
    let translated = v["translatedText"].as_str().unwrap();
    // The server's glossary applies (as `translate --glossary` does offline).
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
        text,
    );
    assert_eq!(translated, expected.trim_end());
    assert!(translated.contains("Rakhmon"), "{translated}");
    assert_eq!(
        v["glossary"]["applied"],
        json!([{"target": "Rakhmon", "count": 1}])
    );
    // Apertium keeps the Spanish thousands separator: a finding whose span points at it in
    // the translated text.
    let findings = v["check"]["findings"].as_array().unwrap();
    let repeated = findings
        .iter()
        .find(|f| f["check"] == "number")
        .unwrap_or_else(|| panic!("no number finding: {v}"));
    let line = translated
        .lines()
        .nth(repeated["target_line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    let span = &repeated["target_span"];
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&line[a..b], "1.500");
    assert_eq!(v["check"]["summary"]["findings"], findings.len());

    // A glossary in the request (TSV), on top of the server's.
    let tsv = "src_lang\ttgt_lang\tsource\ttarget\nes\ten\tperiodistas\tnewsmen\n";
    let (status, v) = post_json(
        &server.url("/translate"),
        &json!({"q": ["El presidente Rajmón habló con los periodistas."], "source": "es", "target": "en", "glossary": tsv}),
    );
    assert_eq!(status, 200, "{v}");
    let translated = v["translatedText"][0].as_str().unwrap();
    assert!(
        translated.contains("newsmen") && translated.contains("Rakhmon"),
        "{translated}"
    );
    let applied = &v["glossary"][0]["applied"];
    assert!(
        applied
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["target"] == "newsmen"),
        "{v}"
    );

    // A loaded glossary by name; an unknown name and bad glossary text are errors.
    let (status, v) = post_form(
        &server.url("/translate"),
        &[
            ("q", "Rajmón llegó."),
            ("source", "es"),
            ("target", "en"),
            ("glossary", "news-names.es-en"),
        ],
    );
    assert_eq!(status, 200, "{v}");
    assert!(v["translatedText"].as_str().unwrap().contains("Rakhmon"));
    let (status, v) = post_form(
        &server.url("/translate"),
        &[
            ("q", "Hola"),
            ("source", "es"),
            ("target", "en"),
            ("glossary", "house-names"),
        ],
    );
    assert_eq!(status, 400);
    assert!(
        error_of(&v).contains("glossary `house-names` is not loaded (loaded: news-names.es-en)"),
        "{v}"
    );
    let (status, v) = post_form(
        &server.url("/translate"),
        &[
            ("q", "Hola"),
            ("source", "es"),
            ("target", "en"),
            (
                "glossary",
                "src_lang\ttgt_lang\tsource\ttarget\nes\tzz\tuno\tone\n",
            ),
        ],
    );
    assert_eq!(status, 400);
    assert!(
        error_of(&v).starts_with("Invalid request: glossary:2: "),
        "{v}"
    );
}

#[test]
fn check_endpoint_keeps_the_cli_contract() {
    if !common::hunspell("en_US") || !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium"]);
    let dir = tempfile::tempdir().unwrap();
    let target = "The presidnet met 300 journalists in Dushanbe.\n";
    let source = "El presidente se reunió con 350 periodistas en Dusambé.\n";
    std::fs::write(dir.path().join("t.txt"), target).unwrap();
    std::fs::write(dir.path().join("s.txt"), source).unwrap();
    // Target alone, then source and target: the findings of `check --format json`.
    for (form, args) in [
        (
            vec![("target_text", target), ("target", "en")],
            vec!["check", "t.txt", "--to", "en", "--format", "json"],
        ),
        (
            vec![
                ("target_text", target),
                ("source_text", source),
                ("source", "es"),
                ("target", "en"),
            ],
            vec![
                "check", "--source", "s.txt", "t.txt", "--from", "es", "--to", "en", "--format",
                "json",
            ],
        ),
    ] {
        let (status, v) = post_form(&server.url("/check"), &form);
        assert_eq!(status, 200, "{v}");
        let out = common::run_in(dir.path(), &args, b"");
        let cli = json(&common::stdout(&out));
        assert_eq!(v["findings"], cli["findings"], "{args:?}");
        assert_eq!(v["summary"]["findings"], cli["summary"]["findings"]);
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["check"] == "typo"),
            "{v}"
        );
    }
    let (status, v) = post_form(
        &server.url("/check"),
        &[
            ("target_text", target),
            ("source_text", source),
            ("source", "es"),
            ("target", "en"),
        ],
    );
    assert_eq!(status, 200);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "number"),
        "{v}"
    );
    let (status, v) = post_form(&server.url("/check"), &[("source_text", source)]);
    assert_eq!(
        (status, error_of(&v)),
        (400, "Invalid request: missing target_text parameter")
    );
}

#[test]
fn files_are_translated_and_downloaded() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium"]);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read(root.join("examples/noticia-es.md")).unwrap();
    let (ct, body) = multipart(
        &[("source", "es"), ("target", "en")],
        ("file", "noticia-es.md", &markdown),
    );
    let (status, body) = post_raw(&server.url("/translate_file"), &ct, body);
    assert_eq!(status, 200, "{body}");
    let url = json(&body)["translatedFileUrl"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with(&format!("http://{}/download_file/", server.addr)),
        "{url}"
    );
    let response = agent().get(&url).call().unwrap();
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("filename=\"noticia-es.md\""));
    let (_, downloaded) = get(&url);
    let expected = common::run(
        &[
            "translate",
            "examples/noticia-es.md",
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
        ],
        b"",
    );
    assert_eq!(downloaded, common::stdout(&expected));
    assert_eq!(get(&server.url("/download_file/nothing-here.md")).0, 404);

    // What cannot be read is a clear 400 naming the file and line.
    let cases: &[(&str, &[u8], &str)] = &[
        ("report.docx", b"PK\x03\x04", "Invalid request: file format not supported"),
        ("broken.xlf", b"<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n<file>\n<body><trans-unit id=\"1\"><source>Hola</source></body>\n", "broken.xlf:"),
        ("latin1.txt", b"Hola\nSe\xf1or\n", "latin1.txt:2: input is not valid UTF-8"),
        ("", b"Hola", "Invalid request: empty file"),
    ];
    for (name, data, error) in cases {
        let (ct, body) = multipart(&[("source", "es"), ("target", "en")], ("file", name, data));
        let (status, body) = post_raw(&server.url("/translate_file"), &ct, body);
        assert_eq!(status, 400, "{name}: {body}");
        assert!(error_of(&json(&body)).contains(error), "{name}: {body}");
    }
    let (ct, body) = multipart(&[("target", "en")], ("file", "a.txt", b"Hola"));
    let (status, body) = post_raw(&server.url("/translate_file"), &ct, body);
    assert_eq!(
        (status, error_of(&json(&body))),
        (400, "Invalid request: missing source parameter")
    );
}

#[test]
fn keys_and_limits() {
    if !apertium_en_es() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.txt");
    std::fs::write(&keys, "# key  per-minute  chars\nnewsroom 2\nshort -1 10\n").unwrap();
    let keys = keys.to_str().unwrap();
    // A bad keys file stops the server before it listens, naming file and line.
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "ok 5\nnot-a-number lots\n").unwrap();
    let out = common::run(
        &[
            "serve",
            "--port",
            "0",
            "--backend",
            "apertium",
            "--api-keys",
            bad.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("bad.txt:2: "),
        "{}",
        common::stderr(&out)
    );

    let server = Server::start(&[
        "--backend",
        "apertium",
        "--api-keys",
        keys,
        "--require-api-key",
        "--batch-limit",
        "2",
        "--body-limit",
        "2000",
    ]);
    let url = server.url("/translate");
    let form = |key: &'static str, q: &'static str| {
        vec![
            ("q", q),
            ("source", "en"),
            ("target", "es"),
            ("api_key", key),
        ]
    };
    let (status, v) = post_form(&url, &[("q", "Hi"), ("source", "en"), ("target", "es")]);
    assert_eq!(
        (status, error_of(&v)),
        (400, "Please contact the server operator to get an API key")
    );
    let (status, v) = post_form(&url, &form("stolen", "Hi"));
    assert_eq!((status, error_of(&v)), (403, "Invalid API key"));
    assert_eq!(post_form(&url, &form("newsroom", "Hi")).0, 200);
    assert_eq!(post_form(&url, &form("newsroom", "Hello")).0, 200);
    let (status, v) = post_form(&url, &form("newsroom", "Hi"));
    assert_eq!((status, error_of(&v)), (429, "Slowdown: 2 per 1 minute"));
    // Another key is not limited by the first one's use; its own character limit holds.
    assert_eq!(post_form(&url, &form("short", "Hi there")).0, 200);
    let (status, v) = post_form(&url, &form("short", "Hello there"));
    assert_eq!(
        (status, error_of(&v)),
        (400, "Invalid request: request (11) exceeds text limit (10)")
    );
    let (status, v) = post_json(
        &url,
        &json!({"q": ["a", "b", "c"], "source": "en", "target": "es", "api_key": "short"}),
    );
    assert_eq!(
        (status, error_of(&v)),
        (400, "Invalid request: request (3) exceeds text limit (2)")
    );
    let (status, body) = post_raw(
        &url,
        "application/x-www-form-urlencoded",
        format!("api_key=short&source=en&target=es&q={}", "a".repeat(3000)).into_bytes(),
    );
    assert_eq!(status, 413, "{body}");
    assert!(error_of(&json(&body)).contains("limit is 2000 bytes"));
}

#[test]
fn concurrency_limit_answers_429() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium", "--max-concurrency", "1"]);
    let url = server.url("/translate");
    // A long text keeps the only work slot busy (Apertium takes a while on it).
    let long = "The committee met again on Tuesday to discuss the budget. ".repeat(400);
    let busy = {
        let url = url.clone();
        std::thread::spawn(move || loop {
            // Until it gets the slot (a probe below may hold it for a moment).
            let status = post_form(&url, &[("q", &long), ("source", "en"), ("target", "es")]).0;
            if status != 429 {
                return status;
            }
        })
    };
    // Wait until it is in flight (the gauge counts this /metrics request too).
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        let (_, metrics) = get(&server.url("/metrics"));
        if metrics
            .lines()
            .any(|l| l == "tarjuman_http_requests_in_flight 2")
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut refused = None;
    while start.elapsed() < Duration::from_secs(30) && !busy.is_finished() {
        let (status, v) = post_form(&url, &[("q", "Hi"), ("source", "en"), ("target", "es")]);
        if status == 429 {
            refused = Some(v);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(busy.join().unwrap(), 200);
    let refused = refused.expect("a request while the slot was busy got 429");
    assert_eq!(
        error_of(&refused),
        "Slowdown: 1 requests in flight (the server's limit)"
    );
    // Free again.
    assert_eq!(
        post_form(&url, &[("q", "Hi"), ("source", "en"), ("target", "es")]).0,
        200
    );
}

#[test]
fn bad_input_gets_its_error_and_the_server_keeps_serving() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium", "--body-timeout", "1.5"]);
    let url = server.url("/translate");
    let addr = server.addr.clone();

    // A client that never finishes its body: the others are served meanwhile, and it is let
    // go with 408.
    let slow = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
            .write_all(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nq=Hello&source=en")
            .unwrap();
        read_response(&mut stream)
    });
    let start = Instant::now();
    let (status, v) = post_form(
        &url,
        &[("q", "Good morning."), ("source", "en"), ("target", "es")],
    );
    assert_eq!(status, 200, "{v}");
    assert!(start.elapsed() < Duration::from_secs(10));
    let (status, body) = slow.join().unwrap();
    assert_eq!(status, 408, "{body}");
    assert!(
        error_of(&json(&body)).starts_with("Request timeout"),
        "{body}"
    );

    // 10 MB of q: over the body limit (4 MiB by default), answered before it is all sent.
    let big = format!("source=en&target=es&q={}", "a".repeat(10_000_000));
    let (status, body) = send_while_reading(&server.addr, &big);
    assert_eq!(status, 413, "{body}");
    assert!(
        error_of(&json(&body)).contains("limit is 4194304 bytes"),
        "{body}"
    );
    // Invalid UTF-8, in a form and in JSON.
    let (status, body) = post_raw(
        &url,
        "application/x-www-form-urlencoded",
        b"q=Se%F1or&source=es&target=en".to_vec(),
    );
    assert_eq!(
        (status, error_of(&json(&body))),
        (
            400,
            "Invalid request: the q parameter is not valid UTF-8 (byte 2)"
        )
    );
    let (status, body) = post_raw(
        &url,
        "application/json",
        b"{\"q\": \"Se\xf1or\", \"source\": \"es\", \"target\": \"en\"}".to_vec(),
    );
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&json(&body)).contains("not valid UTF-8"), "{body}");
    // Invalid JSON, empty q, unknown languages and formats.
    let (status, body) = post_raw(&url, "application/json", b"{q: nope}".to_vec());
    assert_eq!(status, 400);
    assert!(error_of(&json(&body)).starts_with("Failed to decode JSON object"));
    let (status, v) = post_json(&url, &json!({"q": [], "source": "en", "target": "es"}));
    assert_eq!(
        (status, error_of(&v)),
        (400, "Invalid request: missing q parameter")
    );
    let (status, v) = post_json(
        &url,
        &json!({"q": "Hi", "source": "en", "target": "klingon"}),
    );
    assert_eq!((status, error_of(&v)), (400, "klingon is not supported"));
    let (status, v) = post_json(
        &url,
        &json!({"q": "Hi", "source": "en", "target": "es", "format": "pdf"}),
    );
    assert_eq!((status, error_of(&v)), (400, "pdf format is not supported"));
    // A raw request that is not HTTP at all does not disturb anyone.
    let (status, _) = raw(&server.addr, b"NONSENSE\r\n\r\n");
    assert_eq!(status, 400);

    // Still serving, and an empty text in a batch comes back as it was.
    let (status, v) = post_json(
        &url,
        &json!({"q": ["Good night.", "  "], "source": "en", "target": "es"}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["translatedText"][1], "  ");
    let (status, body) = get(&server.url("/health"));
    assert_eq!((status, json(&body)), (200, json!({"status": "ok"})));
}

/// POSTs a large form on a raw connection while reading the response on another thread (the
/// server may answer, and close, before the body is all sent).
fn send_while_reading(addr: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut reader = stream.try_clone().unwrap();
    let response = std::thread::spawn(move || read_response(&mut reader));
    let head = format!(
        "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    for chunk in body.as_bytes().chunks(64 << 10) {
        if stream.write_all(chunk).is_err() {
            break;
        }
    }
    response.join().unwrap()
}

#[test]
fn sigterm_finishes_the_request_in_flight() {
    if !apertium_en_es() {
        return;
    }
    let mut server = Server::start(&["--backend", "apertium"]);
    let body = "q=Good+evening%2C+friends.&source=en&target=es";
    let (head, tail) = body.split_at(20);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.terminate();
    // No new connections once the signal is taken…
    let start = Instant::now();
    while TcpStream::connect(&server.addr).is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still accepting after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // …but the request in flight is finished.
    stream.write_all(tail.as_bytes()).unwrap();
    let (status, response) = read_response(&mut stream);
    assert_eq!(status, 200, "{response}");
    let expected = offline(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
        ],
        "Good evening, friends.",
    );
    assert_eq!(json(&response)["translatedText"], expected.trim_end());
    let code = server
        .wait_exit(Duration::from_secs(20))
        .expect("the server exits");
    assert_eq!(code.code(), Some(0), "{}", server.log());
    assert!(server.log().contains("SIGTERM"), "{}", server.log());
}

#[test]
fn metrics_access_log_and_memory() {
    if !apertium_en_es() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.jsonl");
    let tm = dir.path().join("tm.sqlite");
    let server = Server::start(&[
        "--backend",
        "apertium",
        "--access-log",
        log.to_str().unwrap(),
        "--tm",
        tm.to_str().unwrap(),
    ]);
    let url = server.url("/translate");
    for _ in 0..2 {
        let (status, v) = post_form(
            &url,
            &[
                ("q", "The weather is good today."),
                ("source", "en"),
                ("target", "es"),
            ],
        );
        assert_eq!(status, 200, "{v}");
    }
    assert_eq!(
        post_form(&url, &[("q", "Hi"), ("source", "en"), ("target", "zz")]).0,
        400
    );
    let (status, metrics) = get(&server.url("/metrics"));
    assert_eq!(status, 200);
    for line in [
        "tarjuman_http_requests_total{path=\"/translate\",status=\"200\"} 2",
        "tarjuman_http_requests_total{path=\"/translate\",status=\"400\"} 1",
        "tarjuman_errors_total{kind=\"bad-request\"} 1",
        "# TYPE tarjuman_http_request_duration_seconds histogram",
        "tarjuman_http_request_duration_seconds_count 3",
        "# TYPE tarjuman_engine_batch_segments histogram",
        "tarjuman_segments_total 2",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "{line} not in:\n{metrics}"
        );
    }
    // One JSON line per request, in order.
    let lines = common::json_lines(&std::fs::read_to_string(&log).unwrap());
    let statuses: Vec<u64> = lines
        .iter()
        .map(|l| l["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![200, 200, 400, 200]);
    assert_eq!(lines[3]["path"], "/metrics");
    for l in &lines[..3] {
        assert_eq!(l["path"], "/translate");
        assert_eq!(l["method"], "POST");
        assert!(l["ms"].as_f64().unwrap() >= 0.0 && l["time"].as_str().unwrap().ends_with('Z'));
    }
    // The translation memory was filled once and then served the repeat.
    let out = common::run(&["tm", "--tm", tm.to_str().unwrap(), "stats"], b"");
    let stats = json(&common::stdout(&out));
    assert_eq!(stats["entries"], 1, "{stats}");
    assert_eq!(stats["hits"], 1, "{stats}");
}

#[test]
fn the_page_is_served() {
    if !apertium_en_es() {
        return;
    }
    let server = Server::start(&["--backend", "apertium"]);
    let (status, page) = get(&server.url("/"));
    assert_eq!(status, 200);
    for needle in [
        "<textarea",
        "id=\"source\"",
        "id=\"target\"",
        "type=\"file\"",
        "/translate",
        "/languages",
    ] {
        assert!(page.contains(needle), "{needle} not in the page");
    }
}
