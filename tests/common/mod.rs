//! Helpers shared by the integration tests: where the shared data is, whether the external
//! engines are installed, and running the `tarjuman` binary.
#![allow(dead_code)]

pub mod markdown_events;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Whether missing shared files or engines must fail the test instead of skipping it
/// (`.ci/run` sets `TARJUMAN_REQUIRE_SHARED=1`).
pub fn strict() -> bool {
    std::env::var("TARJUMAN_REQUIRE_SHARED").is_ok_and(|v| v == "1")
}

/// The shared folder (`TARJUMAN_SHARED`, else `../shared` beside the repository), if present.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TARJUMAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

/// A path inside the shared folder, or `None` after printing a skip notice (panics in strict
/// mode).
pub fn shared(rel: &str) -> Option<PathBuf> {
    match shared_dir().map(|d| d.join(rel)).filter(|p| p.exists()) {
        Some(p) => Some(p),
        None => {
            assert!(
                !strict(),
                "shared file {rel} is required (TARJUMAN_REQUIRE_SHARED=1)"
            );
            eprintln!("notice: skipping: shared file {rel} not found (set TARJUMAN_SHARED)");
            None
        }
    }
}

/// The shared transliteration model.
pub fn aren_model() -> Option<PathBuf> {
    shared("models/aren-transliteration")
}

/// Whether the given Apertium mode is installed; prints a skip notice (or panics in strict
/// mode) when not.
pub fn apertium(mode: &str) -> bool {
    let ok = Command::new("apertium")
        .arg("-l")
        .stdin(Stdio::null())
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .any(|m| m == mode)
        })
        .unwrap_or(false);
    if !ok {
        assert!(
            !strict(),
            "Apertium mode {mode} is required (TARJUMAN_REQUIRE_SHARED=1)"
        );
        eprintln!("notice: skipping: Apertium mode {mode} is not installed");
    }
    ok
}

/// Whether the binary was built with the CTranslate2 backend.
pub fn has_ct2() -> bool {
    cfg!(feature = "ct2")
}

pub const ENGINE_VAR: &str = "TARJUMAN_CT2_ENGINE";

/// The CTranslate2 engine library cargo built for the tests (the `tarjuman-ct2`
/// dev-dependency): beside the test executable, in `target/*/deps`. The binary under test,
/// one directory up, is pointed at it.
pub fn engine_library() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = format!(
        "{}tarjuman_ct2{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    Some(exe.parent()?.join(name)).filter(|p| p.is_file())
}

/// A cache directory of its own for one run of the binary (`XDG_CACHE_HOME`): the default
/// translation memory and the feed cache of one test never serve another test. Under the
/// target directory's scratch space.
///
/// Each run writes its own dictionary caches there (tens of megabytes), so the first call in
/// a test process removes the directories that test processes no longer running left
/// behind: the scratch space holds the current runs' caches, not every run's.
pub fn fresh_cache_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    SWEPT.call_once(|| remove_finished_runs_caches(tmp));
    let dir = tmp.join(format!(
        "cache-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Removes the `cache-PID-N` directories under `tmp` whose test process is no longer
/// running (Linux: no `/proc/PID`; elsewhere nothing is removed).
fn remove_finished_runs_caches(tmp: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("cache-"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A command running the `tarjuman` binary under test, with the tests' engine library and a
/// cache directory of its own (a test that wants runs to share one sets `XDG_CACHE_HOME`).
pub fn tarjuman() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tarjuman"));
    command.env("XDG_CACHE_HOME", fresh_cache_dir());
    if let Some(engine) = engine_library().filter(|_| std::env::var_os(ENGINE_VAR).is_none()) {
        command.env(ENGINE_VAR, engine);
    }
    command
}

/// Runs `tarjuman` with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, stdin)
}

/// Runs `tarjuman` in `dir` with `args`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    run_in_env(dir, &[], args, stdin)
}

/// Runs `tarjuman` in `dir` with the environment variables `env` and `args`, feeding `stdin`.
pub fn run_in_env(dir: &Path, env: &[(&str, &Path)], args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = tarjuman()
        .envs(env.iter().copied())
        .args(args)
        .current_dir(dir)
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tarjuman runs");
    let mut pipe = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("tarjuman finishes");
    writer.join().expect("writer");
    out
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses JSON lines.
pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Files in `dir` (names), to check that nothing was left behind.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Whether the Hunspell dictionary `name` (e.g. `en_US`) is installed in /usr/share/hunspell;
/// prints a skip notice (or panics in strict mode) when not.
pub fn hunspell(name: &str) -> bool {
    let ok = Path::new("/usr/share/hunspell")
        .join(format!("{name}.dic"))
        .is_file();
    if !ok {
        assert!(
            !strict(),
            "Hunspell dictionary {name} is required (TARJUMAN_REQUIRE_SHARED=1)"
        );
        eprintln!("notice: skipping: Hunspell dictionary {name} is not installed (apt-get install hunspell-en-us hunspell-de-de)");
    }
    ok
}

/// A tiny HTTP/1.1 server on 127.0.0.1 serving `files` by path (404 otherwise), one thread per
/// connection. Returns its base URL.
pub fn serve(files: std::collections::HashMap<String, String>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = std::sync::Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = files.clone();
            std::thread::spawn(move || {
                use std::io::{BufRead, Write};
                let mut reader = std::io::BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let mut stream = &stream;
                let _ = match files.get(&path) {
                    Some(body) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    ),
                    None => write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                };
            });
        }
    });
    base
}
