//! `tarjuman models` and `tarjuman languages` with real parts: `.argosmodel` packages built
//! here from the shared CTranslate2 model, an Argos Translate index and the packages served
//! over HTTP from 127.0.0.1, installs into temporary stores, translation with no config.

mod serve_common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use serve_common::common;
use sha2::{Digest, Sha256};

/// How the package server answers a path.
#[derive(Clone)]
enum Body {
    /// The bytes, honouring `Range`.
    Whole(Vec<u8>),
    /// The bytes, but the first full request is cut off after `n` bytes.
    CutOnce(Vec<u8>, usize),
    /// The bytes, a few hundred a second (an install to kill midway).
    Slow(Vec<u8>),
    /// The bytes in 64 KiB pieces ten times a second (a download a progress bar can show).
    Paced(Vec<u8>),
}

/// Each request's path and `Range` header.
type RequestLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// An HTTP server on 127.0.0.1 serving `files` (with `Range`), recording each request's
/// path and Range header.
struct PackageServer {
    base: String,
    files: Arc<Mutex<HashMap<String, Body>>>,
    log: RequestLog,
}

impl PackageServer {
    fn start() -> PackageServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let files: Arc<Mutex<HashMap<String, Body>>> = Arc::default();
        let log: RequestLog = Arc::default();
        let (f, l) = (files.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (files, log) = (f.clone(), l.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(&stream);
                    let mut request = String::new();
                    if reader.read_line(&mut request).is_err() {
                        return;
                    }
                    let mut range = None;
                    let mut line = String::new();
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("range:") {
                            range = Some(v.trim().to_string());
                        }
                        line.clear();
                    }
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                    log.lock().unwrap().push((path.clone(), range.clone()));
                    let body = files.lock().unwrap().get(&path).cloned();
                    let mut s = &stream;
                    let Some(body) = body else {
                        let _ = write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        return;
                    };
                    let (bytes, cut, slow) = match body {
                        Body::Whole(b) => (b, None, None),
                        Body::CutOnce(b, n) => {
                            files
                                .lock()
                                .unwrap()
                                .insert(path.clone(), Body::Whole(b.clone()));
                            (b, Some(n), None)
                        }
                        Body::Slow(b) => (b, None, Some((256, 50))),
                        Body::Paced(b) => (b, None, Some((1 << 16, 100))),
                    };
                    let start = range
                        .as_deref()
                        .and_then(|r| r.strip_prefix("bytes="))
                        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                        .filter(|&s| s < bytes.len());
                    let head = match start {
                        Some(st) => format!(
                            "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {st}-{}/{}\r\nConnection: close\r\n\r\n",
                            bytes.len() - st,
                            bytes.len() - 1,
                            bytes.len()
                        ),
                        None => format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            bytes.len()
                        ),
                    };
                    let _ = s.write_all(head.as_bytes());
                    let data = &bytes[start.unwrap_or(0)..];
                    if let Some((piece, pause)) = slow {
                        for chunk in data.chunks(piece) {
                            if s.write_all(chunk).is_err() {
                                return;
                            }
                            let _ = s.flush();
                            std::thread::sleep(Duration::from_millis(pause));
                        }
                    } else if let Some(n) = cut {
                        let _ = s.write_all(&data[..n.min(data.len())]);
                        let _ = s.flush();
                        let _ = stream.shutdown(std::net::Shutdown::Both);
                    } else {
                        let _ = s.write_all(data);
                    }
                });
            }
        });
        PackageServer { base, files, log }
    }

    fn put(&self, path: &str, body: Body) -> String {
        self.files.lock().unwrap().insert(path.to_string(), body);
        format!("{}{path}", self.base)
    }

    fn requests(&self, path: &str) -> Vec<Option<String>> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .collect()
    }
}

/// An `.argosmodel` (zip) of the shared model: `DIR/metadata.json` with `meta`, and
/// `DIR/model/…` unless `with_model` is false.
fn argosmodel(model: &Path, dir: &str, meta: &Value, with_model: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.add_directory(format!("{dir}/"), opts).unwrap();
    zip.start_file(format!("{dir}/metadata.json"), opts)
        .unwrap();
    zip.write_all(serde_json::to_string_pretty(meta).unwrap().as_bytes())
        .unwrap();
    zip.start_file(format!("{dir}/README.md"), opts).unwrap();
    zip.write_all(b"Arabic-script names to Latin letters (test package).\n")
        .unwrap();
    if with_model {
        zip.add_directory(format!("{dir}/model/"), opts).unwrap();
        let mut names: Vec<PathBuf> = std::fs::read_dir(model)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            zip.start_file(format!("{dir}/model/{name}"), opts).unwrap();
            zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

fn meta(version: &str) -> Value {
    json!({
        "package_version": version,
        "argos_version": "1.0",
        "from_code": "ar",
        "from_name": "Arabic",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
    })
}

/// The shared model itself, ar → en, on `input` (what an installed package must match).
fn bare_model(model: &Path, input: &[u8]) -> Output {
    common::run(
        &[
            "translate",
            "--model",
            model.to_str().unwrap(),
            "--from",
            "ar",
            "--to",
            "en",
        ],
        input,
    )
}

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// Runs tarjuman in `home` with its data directory and config dir there, and no store
/// variable from outside.
fn run(home: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let data = home.join("data");
    common::run_in_env(home, &[("XDG_DATA_HOME", &data)], args, stdin)
}

/// The store `run` uses.
fn store(home: &Path) -> PathBuf {
    home.join("data").join("tarjuman").join("models")
}

/// Visible entries of the store (what `list` could show).
fn visible(home: &Path) -> Vec<String> {
    common::files_in(&store(home))
        .into_iter()
        .filter(|n| !n.starts_with('.') && n != "index.json")
        .collect()
}

fn setup() -> Option<(PathBuf, tempfile::TempDir, PackageServer)> {
    let model = common::aren_model()?;
    if !common::has_ct2() {
        return None;
    }
    Some((model, tempfile::tempdir().unwrap(), PackageServer::start()))
}

const NAMES: &str = "محمد\nفاطمة الزهراء\n";

#[test]
fn install_from_an_index_translate_without_config_remove() {
    let Some((model, home, server)) = setup() else {
        return;
    };
    let home = home.path();
    let package = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true);
    let link = server.put(
        "/translate-ar_en-1_0.argosmodel",
        Body::Whole(package.clone()),
    );
    let mut entry = meta("1.0");
    entry["links"] = json!([link]);
    entry["checksum"] = json!(format!("sha256:{}", sha256(&package)));
    let index = server.put(
        "/index.json",
        Body::Whole(json!([entry]).to_string().into_bytes()),
    );

    // Nothing installed: nothing to translate with, and the message says how to install.
    let out = run(home, &["translate", "--to", "en"], NAMES.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("models install"),
        "{}",
        common::stderr(&out)
    );

    let out = run(
        home,
        &[
            "models",
            "list",
            "--available",
            "--index",
            &index,
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let list: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(list[0]["name"], "translate-ar_en");
    assert_eq!(list[0]["from"], "ar");

    let out = run(
        home,
        &["models", "install", "translate-ar_en", "--index", &index],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert_eq!(visible(home), vec!["translate-ar_en"]);
    // The archive is gone once installed.
    assert!(!store(home).join(".downloads").exists());

    // No config: `--to en` uses the installed package; same output as the model itself.
    let out = run(home, &["translate", "--to", "en"], NAMES.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let direct = bare_model(&model, NAMES.as_bytes());
    assert_eq!(common::stdout(&out), common::stdout(&direct));
    assert!(common::stdout(&out).is_ascii());

    // `languages` names the package as the engine of ar → en.
    let out = run(home, &["languages", "--format", "json"], b"");
    assert_eq!(out.status.code(), Some(0));
    let langs: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let aren = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["from"] == "ar" && l["to"] == "en")
        .expect("ar → en listed");
    assert_eq!(aren["engines"], json!(["model:translate-ar_en"]));
    assert_eq!(aren["source"], "installed");

    // info: languages, version, files with sizes, usable.
    let out = run(
        home,
        &["models", "info", "translate-ar_en", "--format", "json"],
        b"",
    );
    let info: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(info["version"], "1.0");
    assert_eq!(info["usable"], true);
    let size = std::fs::metadata(model.join("model.bin")).unwrap().len();
    assert!(info["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "model/model.bin" && f["size"] == size));

    // A translation memory remembers the package's version with its translations.
    let out = run(
        home,
        &["translate", "--to", "en", "--tm", "tm.sqlite"],
        NAMES.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));

    // update: the index has 1.1 now → installed over 1.0.
    let package2 = argosmodel(&model, "translate-ar_en-1_1", &meta("1.1"), true);
    let link2 = server.put(
        "/translate-ar_en-1_1.argosmodel",
        Body::Whole(package2.clone()),
    );
    let mut entry2 = meta("1.1");
    entry2["links"] = json!([link2]);
    entry2["checksum"] = json!(sha256(&package2));
    let index2 = server.put(
        "/index2.json",
        Body::Whole(json!([entry, entry2]).to_string().into_bytes()),
    );
    let out = run(home, &["models", "update", "--index", &index2], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stderr(&out).contains("from version 1.0 to 1.1"),
        "{}",
        common::stderr(&out)
    );
    let out = run(home, &["models", "list", "--format", "json"], b"");
    let list: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["version"], "1.1");
    // The updated package is another engine for the memory: not served 1.0's translations.
    let out = run(
        home,
        &["translate", "--to", "en", "--tm", "tm.sqlite"],
        NAMES.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = run(home, &["tm", "--tm", "tm.sqlite", "stats"], b"");
    let stats: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(stats["hits"], 0, "{stats}");
    let engines: Vec<&str> = stats["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["engine"].as_str().unwrap())
        .collect();
    assert_eq!(engines.len(), 2, "{engines:?}");
    assert!(engines.iter().any(|e| e.contains(":v1.0:")), "{engines:?}");
    assert!(engines.iter().any(|e| e.contains(":v1.1:")), "{engines:?}");
    // The cached index serves `list --available` without --index now.
    let out = run(home, &["models", "list", "--available"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(common::stdout(&out).lines().count(), 2);

    let out = run(home, &["models", "remove", "translate-ar_en"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(visible(home).is_empty());
    let out = run(home, &["models", "remove", "translate-ar_en"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("no model `translate-ar_en`"));
    let out = run(home, &["translate", "--to", "en"], NAMES.as_bytes());
    assert_eq!(out.status.code(), Some(2));
}

/// Runs a failing install and checks: exit 2, the message, nothing installed, no
/// temporary directory left.
fn fails(home: &Path, args: &[&str], message: &str) {
    let out = run(home, args, b"");
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(message), "{args:?}: {err}");
    assert!(visible(home).is_empty(), "{args:?}: {:?}", visible(home));
    let tmp: Vec<String> = common::files_in(&store(home))
        .into_iter()
        .filter(|n| n.starts_with(".tmp-"))
        .collect();
    assert!(tmp.is_empty(), "{args:?}: {tmp:?}");
}

#[test]
fn bad_packages_and_indexes_install_nothing() {
    let Some((model, home, server)) = setup() else {
        return;
    };
    let home = home.path();
    let package = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true);
    let link = server.put("/p.argosmodel", Body::Whole(package.clone()));
    // Wrong checksum.
    let mut entry = meta("1.0");
    entry["links"] = json!([link]);
    entry["checksum"] = json!("0".repeat(64));
    let index = server.put(
        "/bad-sum.json",
        Body::Whole(json!([entry]).to_string().into_bytes()),
    );
    fails(
        home,
        &["models", "install", "translate-ar_en", "--index", &index],
        "checksum mismatch",
    );
    assert!(!store(home).join(".downloads").exists());
    // A corrupt download: not a zip.
    let mut corrupt = package.clone();
    corrupt.truncate(package.len() / 2);
    let link = server.put("/corrupt.argosmodel", Body::Whole(corrupt));
    fails(home, &["models", "install", &link], "not a zip archive");
    // A zip without a model, one without metadata, metadata without languages.
    let empty = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), false);
    std::fs::write(home.join("nomodel.argosmodel"), &empty).unwrap();
    fails(
        home,
        &["models", "install", "nomodel.argosmodel"],
        "no model",
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("x/README.md", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hello").unwrap();
    std::fs::write(
        home.join("nometa.argosmodel"),
        zip.finish().unwrap().into_inner(),
    )
    .unwrap();
    fails(
        home,
        &["models", "install", "nometa.argosmodel"],
        "no metadata.json",
    );
    let nolang = argosmodel(
        &model,
        "p",
        &json!({"package_version": "1.0", "type": "translate"}),
        true,
    );
    std::fs::write(home.join("nolang.argosmodel"), nolang).unwrap();
    fails(
        home,
        &["models", "install", "nolang.argosmodel"],
        "from_code and to_code",
    );
    // A package whose model lacks a vocabulary tarjuman needs.
    let broken_dir = home.join("broken");
    std::fs::create_dir_all(&broken_dir).unwrap();
    std::fs::copy(model.join("model.bin"), broken_dir.join("model.bin")).unwrap();
    fails(
        home,
        &[
            "models",
            "install",
            broken_dir.to_str().unwrap(),
            "--from",
            "ar",
            "--to",
            "en",
        ],
        "vocabulary",
    );
    // Unreachable index, an index that is not JSON, a name it does not have.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}/index.json", free.local_addr().unwrap());
    drop(free);
    fails(
        home,
        &["models", "install", "translate-ar_en", "--index", &gone],
        "cannot download",
    );
    let notjson = server.put("/notjson.json", Body::Whole(b"<html>".to_vec()));
    fails(
        home,
        &["models", "list", "--available", "--index", &notjson],
        "not an Argos Translate package index",
    );
    let good = server.put(
        "/good.json",
        Body::Whole(json!([meta("1.0")]).to_string().into_bytes()),
    );
    fails(
        home,
        &["models", "install", "translate-de_en", "--index", &good],
        "no package `translate-de_en`",
    );
    fails(
        home,
        &["models", "install", "missing.argosmodel"],
        "no such file",
    );
    // A plain directory without its languages.
    fails(
        home,
        &["models", "install", model.to_str().unwrap()],
        "--from and --to",
    );
}

#[test]
fn downloads_resume_and_killed_installs_leave_nothing() {
    let Some((model, home, server)) = setup() else {
        return;
    };
    let home = home.path();
    let package = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true);
    // The first download breaks off after a third: exit 2, nothing installed, the part kept.
    let url = server.put(
        "/cut.argosmodel",
        Body::CutOnce(package.clone(), package.len() / 3),
    );
    let mut entry = meta("1.0");
    entry["links"] = json!([url]);
    entry["checksum"] = json!(sha256(&package));
    let index = server.put(
        "/index.json",
        Body::Whole(json!([entry]).to_string().into_bytes()),
    );
    fails(
        home,
        &["models", "install", "translate-ar_en", "--index", &index],
        "broke off",
    );
    // The second continues where it stopped (a Range request) and installs.
    let out = run(
        home,
        &["models", "install", "translate-ar_en", "--index", &index],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let ranges = server.requests("/cut.argosmodel");
    assert_eq!(ranges.len(), 2);
    assert_eq!(ranges[0], None);
    assert_eq!(
        ranges[1].as_deref(),
        Some(format!("bytes={}-", package.len() / 3).as_str())
    );
    assert_eq!(visible(home), vec!["translate-ar_en"]);
    let out = run(home, &["models", "remove", "translate-ar_en"], b"");
    assert_eq!(out.status.code(), Some(0));

    // Killed midway through a slow download: nothing visible; the next install cleans up.
    let url = server.put("/slow.argosmodel", Body::Slow(package.clone()));
    let data = home.join("data");
    let mut child = common::tarjuman()
        .args(["models", "install", &url])
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_DATA_HOME", &data)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(visible(home).is_empty(), "{:?}", visible(home));
    let out = run(home, &["models", "list"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(common::stdout(&out), "");
    // A temporary directory a killed unpack left is removed by the next install.
    let stale = store(home).join(".tmp-999999999-abc");
    std::fs::create_dir_all(stale.join("model")).unwrap();
    std::fs::write(stale.join("metadata.json"), meta("1.0").to_string()).unwrap();
    let out = run(home, &["models", "list"], b"");
    assert_eq!(common::stdout(&out), "");
    std::fs::write(home.join("p.argosmodel"), &package).unwrap();
    let out = run(home, &["models", "install", "p.argosmodel"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(!stale.exists());
    assert_eq!(visible(home), vec!["translate-ar_en"]);
}

#[test]
fn directories_stores_config_and_pivots() {
    let Some((model, home, _server)) = setup() else {
        return;
    };
    let home = home.path();
    let m = model.to_str().unwrap();
    // A plain CTranslate2 directory, imported with a name and its languages, into
    // --models-dir; TARJUMAN_MODELS_DIR names another store.
    let mine = home.join("mine");
    let out = run(
        home,
        &[
            "models",
            "--models-dir",
            mine.to_str().unwrap(),
            "install",
            m,
            "--name",
            "aren",
            "--from",
            "ar",
            "--to",
            "en",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(mine.join("aren").join("model.bin").is_file());
    assert!(mine.join("aren").join("metadata.json").is_file());
    // The source directory is untouched.
    assert!(!model.join("metadata.json").exists());
    assert!(visible(home).is_empty());
    let out = common::run_in_env(
        home,
        &[("TARJUMAN_MODELS_DIR", &mine)],
        &["models", "list"],
        b"",
    );
    assert!(
        common::stdout(&out).starts_with("aren\tar → en"),
        "{}",
        common::stdout(&out)
    );
    let out = run(
        home,
        &[
            "translate",
            "--models-dir",
            mine.to_str().unwrap(),
            "--to",
            "en",
        ],
        NAMES.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let direct = common::run(
        &["translate", "--model", m, "--from", "ar", "--to", "en"],
        NAMES.as_bytes(),
    );
    assert_eq!(common::stdout(&out), common::stdout(&direct));

    // The config's `[models] dir` (relative to the config), below the variable.
    std::fs::write(home.join("tarjuman.toml"), "[models]\ndir = \"mine\"\n").unwrap();
    let out = run(home, &["models", "list"], b"");
    assert!(
        common::stdout(&out).starts_with("aren\t"),
        "{}",
        common::stderr(&out)
    );
    let other = home.join("other");
    let out = common::run_in_env(
        home,
        &[("TARJUMAN_MODELS_DIR", &other)],
        &["models", "list"],
        b"",
    );
    assert_eq!(common::stdout(&out), "");
    std::fs::remove_file(home.join("tarjuman.toml")).unwrap();

    // Pivot through English: the installed ar → en model, then a config route en → es
    // (Apertium). The config's own route for a pair overrides an installed model.
    if !(common::apertium("eng-spa")) {
        return;
    }
    std::fs::write(
        home.join("tarjuman.toml"),
        "[backends.ap]\ntype = \"apertium\"\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"ap\"\n",
    )
    .unwrap();
    let out = run(
        home,
        &[
            "languages",
            "--models-dir",
            mine.to_str().unwrap(),
            "--format",
            "json",
        ],
        b"",
    );
    let langs: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let ares = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["from"] == "ar" && l["to"] == "es" && l["source"] == "config")
        .expect("ar → es through English");
    assert_eq!(ares["engines"], json!(["model:aren", "ap"]));
    assert_eq!(ares["pivot"], "en");
    let text = "محمد\n";
    let out = run(
        home,
        &[
            "translate",
            "--models-dir",
            mine.to_str().unwrap(),
            "--to",
            "es",
        ],
        text.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let english = common::stdout(&common::run(
        &["translate", "--model", m, "--from", "ar", "--to", "en"],
        text.as_bytes(),
    ));
    let spanish = common::stdout(&common::run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
        ],
        english.as_bytes(),
    ));
    assert_eq!(common::stdout(&out), spanish);
    // The config routes ar → en itself: its backend wins over the installed model.
    std::fs::write(
        home.join("tarjuman.toml"),
        format!("[backends.mine]\ntype = \"ct2\"\nmodel = \"{m}\"\n[[routes]]\nfrom = \"ar\"\nto = \"en\"\nbackend = \"mine\"\n"),
    )
    .unwrap();
    let out = run(
        home,
        &[
            "languages",
            "--models-dir",
            mine.to_str().unwrap(),
            "--format",
            "json",
        ],
        b"",
    );
    let langs: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let aren: Vec<&Value> = langs
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["from"] == "ar" && l["to"] == "en")
        .collect();
    assert_eq!(aren.len(), 1, "{aren:?}");
    assert_eq!(aren[0]["engines"], json!(["mine"]));
}

/// The Python of the repository's `.venv` with Argos Translate's package code (`argospm`),
/// installed by scripts/setup-debian; `None` (or a panic in strict mode) without it.
fn argospm_python() -> Option<PathBuf> {
    let py = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let ok = std::process::Command::new(&py)
        .args(["-c", "import argostranslate.package"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !common::strict(),
            "argostranslate is required in .venv (scripts/setup-debian)"
        );
        eprintln!(
            "notice: skipping: argostranslate is not installed in .venv (scripts/setup-debian)"
        );
    }
    ok.then_some(py)
}

/// Runs the real `argospm` (Argos Translate's package manager) with `args`, its data,
/// config and cache directories in `home`, its packages in `packages`, its index at
/// `index` (a base URL). Its translation engine (ctranslate2, stanza, torch) is not
/// installed — only its package code is — so the one module its install step imports
/// afterwards just to clear a translator cache, `argostranslate.translate`, is stood in for.
fn argospm(py: &Path, home: &Path, packages: &Path, index: &str, args: &[&str]) -> Output {
    let script = "import sys, types\n\
        m = types.ModuleType('argostranslate.translate')\n\
        f = lambda: None\n\
        f.cache_clear = lambda: None\n\
        m.get_installed_languages = f\n\
        sys.modules['argostranslate.translate'] = m\n\
        from argostranslate.argospm import main\n\
        sys.argv = ['argospm'] + sys.argv[1:]\n\
        main()\n";
    std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("argos-data"))
        .env("XDG_CONFIG_HOME", home.join("argos-config"))
        .env("XDG_CACHE_HOME", home.join("argos-cache"))
        .env("ARGOS_PACKAGES_DIR", packages)
        .env("ARGOS_PACKAGE_INDEX", index)
        .output()
        .expect("python runs")
}

#[test]
fn argospm_and_tarjuman_read_the_same_packages() {
    let Some((model, home, server)) = setup() else {
        return;
    };
    let Some(py) = argospm_python() else {
        return;
    };
    let home = home.path();
    let package = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true);
    let link = server.put(
        "/translate-ar_en-1_0.argosmodel",
        Body::Whole(package.clone()),
    );
    let mut entry = meta("1.0");
    entry["links"] = json!([link]);
    entry["checksum"] = json!(sha256(&package));
    server.put(
        "/index.json",
        Body::Whole(json!([entry]).to_string().into_bytes()),
    );
    let index_base = format!("{}/", server.base);
    let index = format!("{}/index.json", server.base);

    // argospm installs the package from the local index into its store.
    let theirs = home.join("argos-packages");
    std::fs::create_dir_all(&theirs).unwrap();
    for args in [
        &["update"][..],
        &["search"],
        &["install", "translate-ar_en"],
    ] {
        let out = argospm(&py, home, &theirs, &index_base, args);
        assert!(
            out.status.success(),
            "argospm {args:?}: {}",
            common::stderr(&out)
        );
        if args == ["search"] {
            assert!(
                common::stdout(&out).contains("translate-ar_en: ar -> en"),
                "{}",
                common::stdout(&out)
            );
        }
    }
    // tarjuman installs the same package from the same index into its store.
    let out = run(
        home,
        &["models", "install", "translate-ar_en", "--index", &index],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));

    // Our reader on their store: one package, ar → en, version 1.0, usable; the same files
    // with the same sizes as our install; and it translates.
    let list = |dir: &Path| -> Value {
        let out = run(
            home,
            &[
                "models",
                "list",
                "--models-dir",
                dir.to_str().unwrap(),
                "--format",
                "json",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        serde_json::from_str(&common::stdout(&out)).unwrap()
    };
    let t = list(&theirs);
    let o = list(&store(home));
    assert_eq!(t.as_array().unwrap().len(), 1, "{t}");
    for key in ["package", "from", "to", "version", "kind", "size", "usable"] {
        assert_eq!(t[0][key], o[0][key], "{key}");
    }
    assert_eq!(t[0]["usable"], true);
    let info = |dir: &Path, name: &str| -> Value {
        let out = run(
            home,
            &[
                "models",
                "info",
                name,
                "--models-dir",
                dir.to_str().unwrap(),
                "--format",
                "json",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        serde_json::from_str(&common::stdout(&out)).unwrap()
    };
    let their_name = t[0]["name"].as_str().unwrap().to_string();
    assert_eq!(
        info(&theirs, &their_name)["files"],
        info(&store(home), "translate-ar_en")["files"]
    );
    let out = run(
        home,
        &[
            "translate",
            "--models-dir",
            theirs.to_str().unwrap(),
            "--to",
            "en",
        ],
        NAMES.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let ours = run(home, &["translate", "--to", "en"], NAMES.as_bytes());
    assert_eq!(common::stdout(&out), common::stdout(&ours));

    // Their reader on our store: argospm lists our install under the same name and can
    // remove it; then ours lists nothing.
    let out = argospm(&py, home, &store(home), &index_base, &["list"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out).trim(), "translate-ar_en");
    let out = argospm(
        &py,
        home,
        &store(home),
        &index_base,
        &["remove", "translate-ar_en"],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(list(&store(home)).as_array().unwrap().is_empty());
    // And ours removes theirs by the name argospm gives it.
    let out = run(
        home,
        &[
            "models",
            "remove",
            "translate-ar_en",
            "--models-dir",
            theirs.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let out = argospm(&py, home, &theirs, &index_base, &["list"]);
    assert_eq!(common::stdout(&out).trim(), "");
}

#[test]
fn serve_uses_the_installed_models() {
    let Some((model, home, _server)) = setup() else {
        return;
    };
    let home = home.path();
    let mine = home.join("store");
    let out = run(
        home,
        &[
            "models",
            "install",
            model.to_str().unwrap(),
            "--from",
            "ar",
            "--to",
            "en",
            "--models-dir",
            mine.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let server = serve_common::Server::start_in(home, &["--models-dir", mine.to_str().unwrap()]);
    let (status, body) = serve_common::get(&server.url("/languages"));
    assert_eq!(status, 200);
    let langs: Value = serde_json::from_str(&body).unwrap();
    let ar = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "ar")
        .expect("Arabic served");
    assert_eq!(ar["targets"], json!(["en"]));
    let (status, v) = serve_common::post_json(
        &server.url("/translate"),
        &json!({"q": "محمد", "source": "ar", "target": "en"}),
    );
    assert_eq!(status, 200, "{v}");
    let direct = bare_model(&model, "محمد\n".as_bytes());
    assert_eq!(v["translatedText"], common::stdout(&direct).trim_end());
}

/// A SentencePiece model of single characters over the shared model's source and target
/// letters (no `▁` before a word), trained with the real `sentencepiece` trainer of
/// `.venv` (scripts/setup-debian); `None` (or a panic in strict mode) without it.
fn char_sentencepiece(model: &Path, out: &Path) -> Option<()> {
    let py = argospm_python()?;
    let script = "import io, sys, sentencepiece as spm\n\
        def letters(p):\n\
        \x20   return [l.rstrip('\\n') for l in open(p, encoding='utf-8')][3:]\n\
        src = letters(sys.argv[1] + '/source_vocabulary.txt')\n\
        tgt = letters(sys.argv[1] + '/target_vocabulary.txt')\n\
        lines = [''.join(src)] * 3 + [''.join(tgt)] * 3\n\
        m = io.BytesIO()\n\
        spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=m,\n\
        \x20   model_type='char', vocab_size=len(set(''.join(src + tgt))) + 4,\n\
        \x20   character_coverage=1.0, add_dummy_prefix=False, minloglevel=2)\n\
        open(sys.argv[2], 'wb').write(m.getvalue())\n";
    let o = std::process::Command::new(py)
        .arg("-c")
        .arg(script)
        .arg(model)
        .arg(out)
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(())
}

/// Adds `name` with `bytes` under `dir/` of an `.argosmodel` made by [`argosmodel`].
fn with_file(package: Vec<u8>, dir: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(package)).unwrap();
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file(format!("{dir}/{name}"), opts).unwrap();
    zip.write_all(bytes).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_argos_package_with_sentencepiece_translates_through_it() {
    let Some((model, home, _server)) = setup() else {
        return;
    };
    let home = home.path();
    let spm = home.join("sentencepiece.model");
    if char_sentencepiece(&model, &spm).is_none() {
        return;
    }
    let dir = "translate-ar_en-1_0";
    let package = with_file(
        argosmodel(&model, dir, &meta("1.0"), true),
        dir,
        "sentencepiece.model",
        &std::fs::read(&spm).unwrap(),
    );
    std::fs::write(home.join("p.argosmodel"), &package).unwrap();
    let out = run(home, &["models", "install", "p.argosmodel"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(store(home)
        .join("translate-ar_en")
        .join("sentencepiece.model")
        .is_file());
    // Single names: the package tokenizes through its SentencePiece model, and gives what the
    // bare model gives letter by letter.
    let names = "محمد\n\nفاطمة\n\nعلي\n\nحسن\n\nآتزمون\n";
    let out = run(home, &["translate", "--to", "en"], names.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let direct = bare_model(&model, names.as_bytes());
    let got = common::stdout(&out);
    assert_eq!(got, common::stdout(&direct));
    let words: Vec<&str> = got.split_whitespace().collect();
    assert_eq!(words.len(), 5, "{got}");
    assert!(words.iter().all(|w| w.is_ascii()), "{got}");
    // A SentencePiece model that is not one (a truncated file) is a clear error, not garbage.
    std::fs::write(
        store(home)
            .join("translate-ar_en")
            .join("sentencepiece.model"),
        b"\x0a\x03abc",
    )
    .unwrap();
    let out = run(home, &["translate", "--to", "en"], names.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", common::stdout(&out));
    assert!(
        common::stderr(&out).contains("sentencepiece.model"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn two_installed_packages_make_a_pivot() {
    let Some((model, home, _server)) = setup() else {
        return;
    };
    let home = home.path();
    // ar → en (the shared model) and en → fa: the same model declared for English source
    // text, so that the second leg is a real CTranslate2 translation of the first leg's output.
    let mut en_fa = meta("1.0");
    en_fa["from_code"] = json!("en");
    en_fa["from_name"] = json!("English");
    en_fa["to_code"] = json!("fa");
    en_fa["to_name"] = json!("Persian");
    for (dir, m) in [
        ("translate-ar_en-1_0", meta("1.0")),
        ("translate-en_fa-1_0", en_fa),
    ] {
        let file = home.join(format!("{dir}.argosmodel"));
        std::fs::write(&file, argosmodel(&model, dir, &m, true)).unwrap();
        let out = run(home, &["models", "install", file.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }
    let out = run(home, &["languages", "--format", "json"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let langs: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    let arfa = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["from"] == "ar" && l["to"] == "fa")
        .expect("ar → fa through English");
    assert_eq!(arfa["pivot"], "en");
    assert_eq!(
        arfa["engines"],
        json!(["model:translate-ar_en", "model:translate-en_fa"])
    );
    let names = "محمد\nفاطمة\n";
    let out = run(home, &["translate", "--to", "fa"], names.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    // Each leg as its own run: the pivot is the second package applied to the first's output.
    let english = run(
        home,
        &["translate", "--from", "ar", "--to", "en"],
        names.as_bytes(),
    );
    assert_eq!(english.status.code(), Some(0));
    let persian = run(
        home,
        &["translate", "--from", "en", "--to", "fa"],
        common::stdout(&english).as_bytes(),
    );
    assert_eq!(
        persian.status.code(),
        Some(0),
        "{}",
        common::stderr(&persian)
    );
    assert_eq!(common::stdout(&out), common::stdout(&persian));
    assert_ne!(common::stdout(&out), common::stdout(&english));
}

#[test]
fn a_download_shows_a_progress_bar_only_on_a_terminal() {
    let Some((model, home, server)) = setup() else {
        return;
    };
    let home = home.path();
    let package = argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true);
    let url = server.put("/p.argosmodel", Body::Paced(package.clone()));
    // Under a terminal (script(1) gives the command a pseudo-terminal): a bar with the file's
    // name and byte counts, erased when the download ends.
    let command = format!("{} models install {url}", env!("CARGO_BIN_EXE_tarjuman"));
    let data = home.join("data");
    let out = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(home)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("TARJUMAN_MODELS_DIR")
        .env("XDG_DATA_HOME", &data)
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stdout(&out));
    let screen = common::stdout(&out);
    let bar = screen
        .rfind("p.argosmodel [")
        .unwrap_or_else(|| panic!("no bar: {screen:?}"));
    assert!(screen.contains("KiB/"), "{screen:?}");
    // After the bar's last drawing the line is erased: no stale bar is left on screen.
    let after = &screen[bar..];
    assert!(
        after.contains("\x1b[2K") || after.contains("\x1b[K"),
        "{after:?}"
    );
    assert_eq!(visible(home), vec!["translate-ar_en"]);
    // Not a terminal: no bar on standard error.
    let out = run(home, &["models", "remove", "translate-ar_en"], b"");
    assert_eq!(out.status.code(), Some(0));
    let out = run(home, &["models", "install", &url], b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let err = common::stderr(&out);
    assert!(!err.contains('[') && !err.contains('\x1b'), "{err:?}");
}

#[test]
fn feed_takes_models_from_models_dir() {
    let Some((model, home, _server)) = setup() else {
        return;
    };
    let home = home.path();
    let mine = home.join("elsewhere");
    let file = home.join("p.argosmodel");
    std::fs::write(
        &file,
        argosmodel(&model, "translate-ar_en-1_0", &meta("1.0"), true),
    )
    .unwrap();
    let dir = mine.to_str().unwrap();
    let out = run(
        home,
        &[
            "models",
            "install",
            "--models-dir",
            dir,
            file.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(visible(home).is_empty(), "installed into the default store");
    let feed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
        <title>محمد</title><link>http://example.org/</link><description>فاطمة</description>\
        <item><title>علي</title><description>حسن</description></item></channel></rss>\n";
    std::fs::write(home.join("news.xml"), feed).unwrap();
    // No config and no --model: the feed is translated by the package found in --models-dir.
    let args = [
        "feed",
        "--to",
        "en",
        "--tm",
        "tm.sqlite",
        "--out-dir",
        "out",
        "news.xml",
    ];
    let out = run(home, &args, b"");
    assert_eq!(out.status.code(), Some(2), "no models in the default store");
    let mut with_dir = args.to_vec();
    with_dir.extend(["--models-dir", dir]);
    let out = run(home, &with_dir, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let written = std::fs::read_to_string(home.join("out/news.xml")).unwrap();
    let direct = |name: &str| {
        let o = bare_model(&model, name.as_bytes());
        common::stdout(&o).trim().to_string()
    };
    for name in ["محمد", "فاطمة", "علي", "حسن"] {
        let latin = direct(name);
        assert!(
            written.contains(&format!(">{latin}<")),
            "{name} → {latin} not in {written}"
        );
    }
    // The same through TARJUMAN_MODELS_DIR.
    let data = home.join("data");
    let out = common::run_in_env(
        home,
        &[("XDG_DATA_HOME", &data), ("TARJUMAN_MODELS_DIR", &mine)],
        &["languages", "--format", "json"],
        b"",
    );
    let langs: Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert!(langs
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["from"] == "ar" && l["to"] == "en" && l["source"] == "installed"));
}
