//! A real LibreTranslate client, `libretranslatepy` from PyPI (installed by
//! `scripts/setup-debian` into `.venv/`), against `tarjuman serve` on 127.0.0.1 with Apertium
//! (en↔es) and with the shared CTranslate2 model: translate, batch, detect, languages and
//! errors, with and without API keys. The client prints what it got; the test compares it
//! with what `tarjuman translate` makes of the same texts offline.

mod serve_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use serve_common::common;
use serve_common::*;

/// The Python with `libretranslatepy` (`TARJUMAN_CLIENT_PYTHON`, else `.venv/bin/python`);
/// `None` after a skip notice (a panic in strict mode) when there is none.
fn client_python() -> Option<PathBuf> {
    let python = std::env::var_os("TARJUMAN_CLIENT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let ok = Command::new(&python)
        .args(["-c", "import libretranslatepy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !common::strict(),
            "libretranslatepy is required (scripts/setup-debian installs it into .venv)"
        );
        eprintln!("notice: skipping: no Python with libretranslatepy (run scripts/setup-debian)");
        return None;
    }
    Some(python)
}

/// Runs the client with `jobs` against `server`; returns its results by job name.
fn client(python: &Path, server: &Server, jobs: &Value) -> Value {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/libretranslate_client.py");
    let out = Command::new(python)
        .arg(script)
        .arg(format!("{}/", server.base))
        .arg(jobs.to_string())
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the client failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&String::from_utf8_lossy(&out.stdout))
}

fn ok(results: &Value, name: &str) -> Value {
    results[name]
        .get("ok")
        .unwrap_or_else(|| panic!("{name}: {}", results[name]))
        .clone()
}

fn http_error(results: &Value, name: &str) -> (u64, String) {
    let r = &results[name];
    (
        r["status"]
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: {r}")),
        r["body"]["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[test]
fn libretranslatepy_against_apertium() {
    let Some(python) = client_python() else {
        return;
    };
    if !common::apertium("eng-spa") || !common::apertium("spa-eng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.txt");
    std::fs::write(&keys, "desk-7 100\n").unwrap();
    let server = Server::start(&["--backend", "apertium"]);
    let text = "The minister said the talks would continue next week.";
    let spanish = "Los periodistas esperaban una respuesta del gobierno.";
    let results = client(
        &python,
        &server,
        &json!({
            "en-es": {"call": "translate", "q": text, "source": "en", "target": "es"},
            "es-en": {"call": "translate", "q": spanish, "source": "es", "target": "en"},
            "auto": {"call": "translate", "q": spanish, "source": "auto", "target": "en"},
            "batch": {"call": "batch", "q": [text, "Good morning."], "source": "en", "target": "es"},
            "detect": {"call": "detect", "q": spanish},
            "languages": {"call": "languages"},
            "unknown-target": {"call": "translate", "q": text, "source": "en", "target": "zz"},
            "empty": {"call": "translate", "q": "", "source": "en", "target": "es"},
            "key-ignored": {"call": "translate", "q": "Hello", "source": "en", "target": "es", "api_key": "any"},
        }),
    );
    let offline_pair = |from: &str, to: &str, q: &str| {
        offline(
            &[
                "translate",
                "--backend",
                "apertium",
                "--from",
                from,
                "--to",
                to,
            ],
            q,
        )
        .trim_end()
        .to_string()
    };
    assert_eq!(ok(&results, "en-es"), json!(offline_pair("en", "es", text)));
    assert_eq!(
        ok(&results, "es-en"),
        json!(offline_pair("es", "en", spanish))
    );
    assert_eq!(ok(&results, "auto"), ok(&results, "es-en"));
    assert_eq!(
        ok(&results, "batch")["translatedText"],
        json!([
            offline_pair("en", "es", text),
            offline_pair("en", "es", "Good morning.")
        ])
    );
    let detect = ok(&results, "detect");
    assert_eq!(detect[0]["language"], "es", "{detect}");
    let languages = ok(&results, "languages");
    let codes: Vec<&str> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"en") && codes.contains(&"es"),
        "{languages}"
    );
    assert_eq!(
        http_error(&results, "unknown-target"),
        (400, "zz is not supported".to_string())
    );
    assert_eq!(
        http_error(&results, "empty"),
        (400, "Invalid request: missing q parameter".to_string())
    );
    // Without a keys file, a key is not checked (as LibreTranslate does).
    assert_eq!(
        ok(&results, "key-ignored"),
        json!(offline_pair("en", "es", "Hello"))
    );

    // With keys required: the client's api_key is what lets it in.
    let keyed = Server::start(&[
        "--backend",
        "apertium",
        "--api-keys",
        keys.to_str().unwrap(),
        "--require-api-key",
    ]);
    let results = client(
        &python,
        &keyed,
        &json!({
            "with-key": {"call": "translate", "q": "Hello", "source": "en", "target": "es", "api_key": "desk-7"},
            "no-key": {"call": "translate", "q": "Hello", "source": "en", "target": "es"},
            "bad-key": {"call": "translate", "q": "Hello", "source": "en", "target": "es", "api_key": "nope"},
            "languages": {"call": "languages"},
        }),
    );
    assert_eq!(
        ok(&results, "with-key"),
        json!(offline_pair("en", "es", "Hello"))
    );
    assert_eq!(
        http_error(&results, "no-key"),
        (
            400,
            "Please contact the server operator to get an API key".to_string()
        )
    );
    assert_eq!(
        http_error(&results, "bad-key"),
        (403, "Invalid API key".to_string())
    );
    assert!(ok(&results, "languages").as_array().is_some());
}

#[test]
fn libretranslatepy_against_the_shared_model() {
    let Some(python) = client_python() else {
        return;
    };
    let Some(model) = common::aren_model() else {
        return;
    };
    if !common::has_ct2() {
        return;
    }
    // The plain model gets its languages from a metadata.json in a copy of the directory.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("aren");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(&model).unwrap() {
        let entry = entry.unwrap();
        std::os::unix::fs::symlink(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    std::fs::write(
        copy.join("metadata.json"),
        r#"{"from_code": "ar", "to_code": "en"}"#,
    )
    .unwrap();
    let server = Server::start(&["--model", copy.to_str().unwrap()]);
    let names = NAMES[..5].join(" ");
    let results = client(
        &python,
        &server,
        &json!({
            "ar-en": {"call": "translate", "q": names, "source": "ar", "target": "en"},
            "auto": {"call": "translate", "q": names, "source": "auto", "target": "en"},
            "batch": {"call": "batch", "q": [NAMES[5], NAMES[6]], "source": "ar", "target": "en"},
            "languages": {"call": "languages"},
            "wrong-way": {"call": "translate", "q": "Hello", "source": "en", "target": "ar"},
        }),
    );
    let model_path = model.to_str().unwrap();
    let offline_ar = |q: &str| {
        offline(
            &[
                "translate",
                "--model",
                model_path,
                "--from",
                "ar",
                "--to",
                "en",
            ],
            q,
        )
        .trim_end()
        .to_string()
    };
    assert_eq!(ok(&results, "ar-en"), json!(offline_ar(&names)));
    assert_eq!(ok(&results, "auto"), ok(&results, "ar-en"));
    assert_eq!(
        ok(&results, "batch")["translatedText"],
        json!([offline_ar(NAMES[5]), offline_ar(NAMES[6])])
    );
    assert_eq!(
        ok(&results, "languages"),
        json!([
            {"code": "ar", "name": "Arabic", "targets": ["en"]},
            {"code": "en", "name": "English", "targets": []}
        ])
    );
    assert_eq!(
        http_error(&results, "wrong-way"),
        (
            400,
            "Arabic (ar) is not available as a target language from English (en)".to_string()
        )
    );
}
