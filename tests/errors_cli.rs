//! Error cases of the CLI: each gets a clear message, exit code 2, and leaves no output file.

mod common;

use common::*;

fn expect_error(dir: &std::path::Path, args: &[&str], stdin: &[u8], needle: &str) {
    expect_error_with(dir, &[], args, stdin, needle);
}

/// [`expect_error`] with environment variables set for the run.
fn expect_error_with(
    dir: &std::path::Path,
    env: &[(&str, &std::path::Path)],
    args: &[&str],
    stdin: &[u8],
    needle: &str,
) {
    let before = files_in(dir);
    let out = run_in_env(dir, env, args, stdin);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "args {args:?}: {err}");
    assert!(
        err.contains(needle),
        "args {args:?}: expected `{needle}` in: {err}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    assert_eq!(files_in(dir), before, "no output or temp file left behind");
}

#[test]
fn missing_model_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.txt"), "آتزمون\n").unwrap();
    expect_error(
        dir.path(),
        &[
            "translate",
            "in.txt",
            "--model",
            "no/such/model",
            "--from",
            "ar",
            "--to",
            "en",
            "-o",
            "out.txt",
        ],
        b"",
        "no/such/model",
    );
}

#[test]
fn corrupt_model_bin() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad-model");
    std::fs::create_dir(&bad).unwrap();
    for f in ["source_vocabulary.txt", "target_vocabulary.txt"] {
        std::fs::copy(model.join(f), bad.join(f)).unwrap();
    }
    let real = std::fs::read(model.join("model.bin")).unwrap();
    std::fs::write(bad.join("model.bin"), &real[..real.len() / 3]).unwrap();
    std::fs::write(dir.path().join("in.txt"), "آتزمون\n").unwrap();
    expect_error(
        dir.path(),
        &[
            "translate",
            "in.txt",
            "--model",
            "bad-model",
            "--from",
            "ar",
            "--to",
            "en",
            "-o",
            "out.txt",
        ],
        b"",
        "bad-model",
    );
}

#[test]
fn unknown_language_and_unknown_pair() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.txt"), "Hola.\n").unwrap();
    expect_error(
        dir.path(),
        &[
            "translate",
            "in.txt",
            "--backend",
            "apertium",
            "--to",
            "xx",
            "-o",
            "o.txt",
        ],
        b"",
        "unknown language code `xx`",
    );
    if apertium("spa-eng") {
        // Apertium has no German → English pair.
        expect_error(
            dir.path(),
            &[
                "translate",
                "in.txt",
                "--backend",
                "apertium",
                "--from",
                "de",
                "--to",
                "en",
                "-o",
                "o.txt",
            ],
            b"",
            "`deu-eng` is not installed",
        );
    }
}

#[test]
fn invalid_utf8_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.txt"),
        b"Erste Zeile.\nZweite \xff Zeile.\n",
    )
    .unwrap();
    expect_error(
        dir.path(),
        &[
            "translate",
            "bad.txt",
            "--backend",
            "apertium",
            "--to",
            "en",
            "-o",
            "out.txt",
        ],
        b"",
        "bad.txt:2: input is not valid UTF-8",
    );
    expect_error(
        dir.path(),
        &["detect", "-"],
        b"ok\n\xc3\x28\n",
        "-:2: input is not valid UTF-8",
    );
}

#[test]
fn empty_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "  \n\n").unwrap();
    expect_error(
        dir.path(),
        &[
            "translate",
            "empty.txt",
            "--backend",
            "apertium",
            "--to",
            "en",
            "-o",
            "out.txt",
        ],
        b"",
        "empty.txt: input is empty",
    );
    expect_error(dir.path(), &["detect"], b"", "-: input is empty");
}

#[test]
fn malformed_jsonl_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    expect_error(
        dir.path(),
        &["detect", "--format", "jsonl"],
        b"{\"id\":1,\"text\":\"Guten Tag\"}\n{\"id\":2,\"txt\":\"x\"}\n",
        "-:2: record has no `text` field",
    );
}

#[test]
fn no_engine_configured() {
    let dir = tempfile::tempdir().unwrap();
    expect_error(
        dir.path(),
        &["translate", "--to", "en"],
        b"Hallo Welt.\n",
        "nothing to translate with",
    );
}

#[test]
fn bad_config_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.toml"), "[backends.x]\ntype = \"ct2\"\n").unwrap();
    expect_error(
        dir.path(),
        &["translate", "--config", "t.toml", "--to", "en"],
        b"Hallo.\n",
        "t.toml:1: backend `x`: missing `model`",
    );
}

#[test]
fn existing_output_is_kept_on_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.txt"), "previous result\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "translate",
            "-",
            "--model",
            "missing",
            "--to",
            "en",
            "-o",
            "out.txt",
        ],
        b"x\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.txt")).unwrap(),
        "previous result\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["translate"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--to"));
    let out = run(&["frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_to_a_pipe_keeps_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs")
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    let out = run_in(
        dir.path(),
        &["detect", "-", "--langs", "de,en", "-o", "out.pipe"],
        "Der Kreml hat die Reise des Präsidenten am Dienstag bestätigt.\n".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = reader.join().unwrap();
    assert!(written.contains("\"lang\":\"de\""), "{written}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        kind.is_fifo(),
        "-o must not replace a pipe or device with a regular file"
    );
}

#[test]
fn missing_or_foreign_engine_library() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.txt"), "آتزمون\n").unwrap();
    std::fs::write(dir.path().join("not-a-library.so"), "plain text\n").unwrap();
    let model = model.to_str().unwrap();
    for (engine, needle) in [
        ("no-such-engine.so", "engine library"),
        ("not-a-library.so", "not-a-library.so"),
    ] {
        let engine = dir.path().join(engine);
        expect_error_with(
            dir.path(),
            &[("TARJUMAN_CT2_ENGINE", engine.as_path())],
            &[
                "translate",
                "in.txt",
                "--model",
                model,
                "--from",
                "ar",
                "--to",
                "en",
                "-o",
                "out.txt",
            ],
            b"",
            needle,
        );
    }
}
