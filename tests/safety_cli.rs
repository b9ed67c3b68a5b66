//! Never destroying or half-writing a file, at any scale: outputs that are inputs are refused,
//! every output location is checked before the first byte is written, file modes follow the
//! umask or are kept, a memory that is not ours is left untouched, two runs share a memory,
//! absurd engine settings and bad configs are clear errors with lines, and large inputs are
//! read in chunks with the same result as whole.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

/// Runs `tarjuman` in `dir` and asserts exit 2 with `needle` on stderr, nothing on stdout, and
/// the directory exactly as it was (names and contents).
fn refused(dir: &Path, args: &[&str], needle: &str) {
    let before = snapshot(dir);
    let out = run_in(dir, args, b"");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(needle),
        "{args:?}: expected `{needle}` in: {err}"
    );
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    assert_eq!(snapshot(dir), before, "{args:?}: the directory changed");
}

/// Every file under `dir` (recursively) with its length and a hash of its bytes.
fn snapshot(dir: &Path) -> Vec<(String, usize, u64)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable").flatten() {
            let p = e.path();
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() && !p.is_symlink() {
                all.push((format!("{name}/"), 0, 0));
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap_or_default();
                let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
                all.push((name, bytes.len(), hash));
            }
        }
    }
    all.sort();
    all
}

const GLOSSARY: &str =
    "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\nde\ten\tKiew\tKyiv\tKiev\t\t\n";

#[test]
fn an_output_that_is_an_input_is_refused_before_anything() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.txt"), "Kiev is a city.\n").unwrap();
    std::fs::write(d.join("src.txt"), "Kiew ist eine Stadt.\n").unwrap();
    std::fs::write(d.join("g.tsv"), GLOSSARY).unwrap();
    std::os::unix::fs::symlink("in.txt", d.join("link.txt")).unwrap();
    std::fs::hard_link(d.join("in.txt"), d.join("hard.txt")).unwrap();
    let same = "same file as";
    for out in ["in.txt", "./in.txt", "link.txt", "hard.txt"] {
        refused(
            d,
            &[
                "translate",
                "in.txt",
                "--backend",
                "apertium",
                "--to",
                "es",
                "-o",
                out,
            ],
            same,
        );
        refused(d, &["detect", "in.txt", "-o", out], same);
        refused(
            d,
            &[
                "glossary",
                "apply",
                "in.txt",
                "--glossary",
                "g.tsv",
                "-o",
                out,
            ],
            same,
        );
        refused(
            d,
            &[
                "glossary",
                "apply",
                "other.txt",
                "--glossary",
                "g.tsv",
                "--source",
                "in.txt",
                "-o",
                "o.txt",
                "--report-json",
                out,
            ],
            same,
        );
    }
    // The glossary, the memory and the other outputs are files to keep too.
    refused(
        d,
        &[
            "glossary",
            "apply",
            "in.txt",
            "--glossary",
            "g.tsv",
            "-o",
            "g.tsv",
        ],
        same,
    );
    refused(
        d,
        &[
            "glossary",
            "apply",
            "in.txt",
            "--glossary",
            "g.tsv",
            "-o",
            "o.txt",
            "--report-json",
            "o.txt",
        ],
        "the same file",
    );
    std::fs::write(d.join("tm.sqlite"), "").unwrap();
    refused(
        d,
        &[
            "translate",
            "in.txt",
            "--backend",
            "apertium",
            "--to",
            "es",
            "--tm",
            "tm.sqlite",
            "-o",
            "tm.sqlite",
        ],
        same,
    );
    assert_eq!(
        std::fs::read_to_string(d.join("in.txt")).unwrap(),
        "Kiev is a city.\n"
    );
}

#[test]
fn every_output_location_is_checked_before_the_first_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.txt"), "Kiev is a city.\n").unwrap();
    std::fs::write(d.join("g.tsv"), GLOSSARY).unwrap();
    refused(
        d,
        &[
            "glossary",
            "apply",
            "in.txt",
            "--glossary",
            "g.tsv",
            "-o",
            "o.txt",
            "--report-json",
            "missing/r.json",
        ],
        "no such directory missing",
    );
    refused(
        d,
        &["detect", "in.txt", "-o", "missing/d.jsonl"],
        "no such directory",
    );
    refused(
        d,
        &[
            "translate",
            "in.txt",
            "--backend",
            "apertium",
            "--to",
            "es",
            "--tm",
            "missing/tm.sqlite",
            "-o",
            "o.txt",
        ],
        "no such directory",
    );
}

/// A small RSS feed in Arabic (the shared model's source language).
fn rss(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>{title}</title>\n<link>http://127.0.0.1/</link>\n<description>أخبار</description>\n<language>ar</language>\n<item><title>توكاييف</title><guid>a</guid></item>\n<item><title>رحمون</title><guid>b</guid></item>\n</channel>\n</rss>\n"
    )
}

#[test]
fn a_feed_run_that_cannot_work_leaves_nothing_behind() {
    let Some(model) = aren_model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("news.xml"), rss("آتزمون")).unwrap();
    std::fs::write(d.join("g.tsv"), "not a glossary\n").unwrap();
    std::fs::write(d.join("notadb.sqlite"), "plain text, not SQLite").unwrap();
    std::fs::write(d.join("bad.toml"), "[backends.x]\ntype = \"ct2\"\n").unwrap();
    std::fs::write(
        d.join("beam.toml"),
        format!(
            "[backends.x]\ntype = \"ct2\"\nmodel = \"{}\"\nbeam_size = 0\n[[routes]]\nfrom = \"ar\"\nto = \"en\"\nbackend = \"x\"\n",
            model.display()
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("route.toml"),
        "[backends.x]\ntype = \"apertium\"\n[[routes]]\nfrom = [\"ar\", \"qq\"]\nto = \"en\"\nbackend = \"x\"\n",
    )
    .unwrap();
    std::fs::write(d.join("syntax.toml"), "[backends.x\n").unwrap();
    let broken = d.join("broken-model");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("model.bin"), "not a model").unwrap();
    std::fs::write(broken.join("source_vocabulary.txt"), "a\n").unwrap();
    std::fs::write(broken.join("target_vocabulary.txt"), "a\n").unwrap();
    let m = model.to_str().unwrap();
    let base = |extra: &[&'static str], model: &str| -> Vec<String> {
        let mut v: Vec<String> = [
            "feed",
            "news.xml",
            "--out-dir",
            "out/sub",
            "--tm",
            "tm.sqlite",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if !model.is_empty() {
            v.extend(["--model".into(), model.into()]);
        }
        v.extend(["--from", "ar", "--to", "en"].iter().map(|s| s.to_string()));
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            base(&["--report", "missing/r.jsonl"], m),
            "no such directory",
        ),
        (base(&["--report", "news.xml"], m), "same file"),
        (base(&[], "no/such/model"), "no/such/model"),
        (base(&[], "broken-model"), "broken-model"),
        (base(&["--config", "bad.toml"], ""), "bad.toml:1:"),
        (base(&["--config", "beam.toml"], ""), "beam.toml:4:"),
        (base(&["--config", "route.toml"], ""), "route.toml:4:"),
        (base(&["--config", "syntax.toml"], ""), "syntax.toml:1:"),
        (base(&["--config", "missing.toml"], ""), "missing.toml"),
        (base(&["--glossary", "g.tsv"], m), "g.tsv:1:"),
        (base(&["--langs", "ar,qq"], m), "qq"),
        (base(&["--threads", "100000"], m), "--threads 100000"),
        (base(&["--replicas", "1000"], m), "--replicas 1000"),
        (base(&["--beam-size", "0"], m), "--beam-size"),
    ];
    for (args, needle) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(d, &args, needle);
    }
    // A memory that is not a database is refused (and kept as it was).
    let mut args = base(&[], m);
    let tm = args.iter().position(|a| a == "tm.sqlite").unwrap();
    args[tm] = "notadb.sqlite".into();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(d, &args, "notadb.sqlite");
}

#[test]
fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.txt"), "Kiev is a city.\n").unwrap();
    std::fs::write(d.join("g.tsv"), GLOSSARY).unwrap();
    let mode = |name: &str| {
        std::fs::metadata(d.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    let bin = env!("CARGO_BIN_EXE_tarjuman");
    for (umask, expected) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let name = format!("new-{umask}.txt");
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" glossary apply in.txt --glossary g.tsv -o {name} --report-json r-{name}"
            ))
            .arg(bin)
            .current_dir(d)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        assert_eq!(mode(&name), expected, "umask {umask}");
        assert_eq!(mode(&format!("r-{name}")), expected, "umask {umask}");
    }
    std::fs::write(d.join("kept.txt"), "old").unwrap();
    std::fs::set_permissions(d.join("kept.txt"), std::fs::Permissions::from_mode(0o664)).unwrap();
    let out = run_in(
        d,
        &[
            "glossary",
            "apply",
            "in.txt",
            "--glossary",
            "g.tsv",
            "-o",
            "kept.txt",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mode("kept.txt"), 0o664);
    assert_eq!(
        std::fs::read_to_string(d.join("kept.txt")).unwrap(),
        "Kyiv is a city.\n"
    );
}

#[test]
fn a_database_that_is_not_a_memory_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('x');")
            .unwrap();
    }
    std::fs::write(d.join("in.txt"), "Hello.\n").unwrap();
    refused(
        d,
        &["tm", "--tm", "other.sqlite", "stats"],
        "not a tarjuman translation memory",
    );
    refused(
        d,
        &["tm", "--tm", "other.sqlite", "export"],
        "not a tarjuman translation memory",
    );
    refused(
        d,
        &["tm", "--tm", "other.sqlite", "prune", "--unused-days", "0"],
        "not a tarjuman translation memory",
    );
    refused(
        d,
        &[
            "translate",
            "in.txt",
            "--backend",
            "apertium",
            "--to",
            "es",
            "--tm",
            "other.sqlite",
            "-o",
            "o.txt",
        ],
        "not a tarjuman translation memory",
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables, ["people"]);
}

#[test]
fn tm_export_never_writes_over_the_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    {
        let memory = tarjuman::tm::Memory::open(&d.join("tm.sqlite")).unwrap();
        let key = tarjuman::tm::Key {
            from: tarjuman::Lang::from_code("de").unwrap(),
            to: tarjuman::Lang::from_code("en").unwrap(),
            engine: "apertium",
            glossary: "",
        };
        memory.store(&key, &[("Hallo.", "Hello.", &[])]).unwrap();
    }
    refused(
        d,
        &["tm", "--tm", "tm.sqlite", "export", "-o", "tm.sqlite"],
        "same file",
    );
    let out = run_in(
        d,
        &["tm", "--tm", "tm.sqlite", "export", "-o", "all.jsonl"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = json_lines(&std::fs::read_to_string(d.join("all.jsonl")).unwrap());
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["target"], "Hello.");
}

/// Two feed runs started together on one memory both complete: the second waits for the
/// first's write lock instead of failing at once with "database is locked". Both runs read the
/// same feeds (in another order) into a memory that already knows them, so their lookups
/// count hits (writes) while the other run stores: the case that failed in 6 of 20 tries
/// before lookups took the write lock at their start.
#[test]
fn two_feed_runs_share_one_memory() {
    if !apertium("spa-eng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for run_name in ["a", "b"] {
        let feeds = d.join(format!("in-{run_name}"));
        std::fs::create_dir_all(&feeds).unwrap();
        for k in 0..6 {
            std::fs::write(
                feeds.join(format!("f{k}.xml")),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Noticias {run_name} {k}</title><link>http://x</link><description>Hola mundo.</description><language>es</language><item><title>El presidente llegó hoy {k}.</title><guid>{k}</guid></item><item><title>La reunión sigue mañana {run_name} {k}.</title><guid>g{k}</guid></item></channel></rss>\n"
                ),
            )
            .unwrap();
        }
    }
    let spawn = |out: &str, first: &str, second: &str| {
        tarjuman()
            .args([
                "feed",
                first,
                second,
                "--out-dir",
                out,
                "--tm",
                "shared.sqlite",
                "--backend",
                "apertium",
                "--from",
                "es",
                "--to",
                "en",
                "--jobs",
                "2",
            ])
            .current_dir(d)
            .env("HOME", d)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tarjuman runs")
    };
    for round in 0..8 {
        let a = spawn(&format!("out-{round}-a"), "in-a", "in-b");
        let b = spawn(&format!("out-{round}-b"), "in-b", "in-a");
        for (run_name, child) in [("a", a), ("b", b)] {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}, run {run_name}: {}",
                stderr(&out)
            );
            assert_eq!(
                files_in(&d.join(format!("out-{round}-{run_name}"))).len(),
                13,
                "12 feeds and the report"
            );
        }
    }
    let stats = run_in(d, &["tm", "--tm", "shared.sqlite", "stats"], b"");
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
}

#[test]
fn absurd_engine_settings_and_bad_configs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.txt"), "آتزمون\n").unwrap();
    let model = aren_model().map(|m| m.display().to_string());
    let m = model.as_deref().unwrap_or("model");
    for (flag, value, needle) in [
        (
            "--threads",
            "100000",
            "--threads 100000 is more than the 1024",
        ),
        ("--replicas", "1000", "--replicas 1000 is more than 64"),
        (
            "--max-batch-size",
            "0",
            "--max-batch-size must be at least 1",
        ),
    ] {
        refused(
            d,
            &[
                "translate",
                "in.txt",
                "--model",
                m,
                "--from",
                "ar",
                "--to",
                "en",
                flag,
                value,
                "-o",
                "o.txt",
            ],
            needle,
        );
    }
    for (setting, line, needle) in [
        ("beam_size = 0", 4, "beam_size must be at least 1"),
        ("compute_type = \"int3\"", 4, "int3"),
        ("threads = 100000", 4, "threads 100000"),
    ] {
        std::fs::write(
            d.join("c.toml"),
            format!("[backends.m]\ntype = \"ct2\"\nmodel = \"{m}\"\n{setting}\n\n[[routes]]\nfrom = \"ar\"\nto = \"en\"\nbackend = \"m\"\n"),
        )
        .unwrap();
        refused(
            d,
            &[
                "translate",
                "in.txt",
                "--config",
                "c.toml",
                "--to",
                "en",
                "-o",
                "o.txt",
            ],
            &format!("c.toml:{line}: backend `m`: "),
        );
        let err = stderr(&run_in(
            d,
            &["translate", "in.txt", "--config", "c.toml", "--to", "en"],
            b"",
        ));
        assert!(err.contains(needle), "{err}");
    }
    std::fs::write(
        d.join("c.toml"),
        "[backends.a]\ntype = \"apertium\"\n\n[[routes]]\nfrom = [\"es\", \"xx\"]\nto = \"en\"\nbackend = \"a\"\n",
    )
    .unwrap();
    refused(
        d,
        &["translate", "in.txt", "--config", "c.toml", "--to", "en"],
        "c.toml:5: unknown language code `xx`",
    );
}

#[test]
fn an_os_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["detect", "missing.txt"],
        vec!["glossary", "check", "missing.tsv"],
        vec![
            "translate",
            "missing.txt",
            "--backend",
            "apertium",
            "--to",
            "es",
        ],
    ] {
        let out = run_in(dir.path(), &args, b"");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    }
}

#[test]
fn a_truncated_or_misnested_tbx_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tbx = "<?xml version=\"1.0\"?>\n<martif type=\"TBX-Basic\"><text><body>\n<termEntry id=\"a\">\n<langSet xml:lang=\"de\"><tig><term>Kiew</term></tig></langSet>\n<langSet xml:lang=\"en\"><tig><term>Kyiv</term></tig></langSet>\n</termEntry>\n<termEntry id=\"b\">\n<langSet xml:lang=\"de\"><tig><term>Tokajew</term></tig></langSet>\n<langSet xml:lang=\"en\"><tig><term>Tokayev</term></tig></langSet>\n</termEntry>\n</body></text></martif>\n";
    std::fs::write(d.join("ok.tbx"), tbx).unwrap();
    let ok = run_in(d, &["glossary", "check", "ok.tbx"], b"");
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("4 entries"), "{}", stdout(&ok));
    let cut = &tbx[..tbx.find("Tokajew</term>").unwrap() + 14];
    std::fs::write(d.join("cut.tbx"), cut).unwrap();
    refused(
        d,
        &["glossary", "check", "cut.tbx"],
        "cut.tbx:8: the file ends inside <tig> opened on line 8",
    );
    std::fs::write(
        d.join("swapped.tbx"),
        tbx.replace("<term>Tokajew</term></tig>", "<term>Tokajew</tig></term>"),
    )
    .unwrap();
    refused(
        d,
        &["glossary", "check", "swapped.tbx"],
        "swapped.tbx:8: </tig>",
    );
}

/// Large inputs are read, answered and written in chunks, and the result is the one a whole
/// read gives: `detect` on a real article repeated (paragraphs and long paragraphs cut at
/// sentence ends), `translate` of JSONL with the shared model and the translation memory.
#[test]
fn chunked_runs_give_what_whole_runs_give() {
    let Some(article) = shared("corpus/newstest-tymoshenko.de.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string(article).unwrap();
    let big: String = (0..12)
        .map(|i| format!("{text}\n{}\n", "\n".repeat(i % 3)))
        .collect();
    std::fs::write(d.join("big.txt"), &big).unwrap();
    let small = Path::new("2000");
    let detect = |env: &[(&str, &Path)], out: &str| {
        let o = run_in_env(d, env, &["detect", "big.txt", "-o", out], b"");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(d.join(out)).unwrap()
    };
    let whole = detect(&[], "whole.jsonl");
    let chunked = detect(&[("TARJUMAN_CHUNK_BYTES", small)], "chunked.jsonl");
    assert!(json_lines(&whole).len() > text.lines().count() * 11);
    assert_eq!(whole, chunked);

    // One long line (an export without line breaks): cut inside the line after sentence ends,
    // the same segments come out; and translated (Apertium), the same text.
    let one_line = format!("{}\n", big.split_whitespace().collect::<Vec<_>>().join(" "));
    std::fs::write(d.join("big.txt"), &one_line).unwrap();
    let whole = detect(&[], "whole-line.jsonl");
    let chunked = detect(&[("TARJUMAN_CHUNK_BYTES", small)], "chunked-line.jsonl");
    assert!(json_lines(&whole).len() > text.lines().count() * 11);
    assert_eq!(whole, chunked);
    if let Some(english) =
        shared("corpus/newstest-tymoshenko.en.txt").filter(|_| apertium("eng-spa"))
    {
        let english = std::fs::read_to_string(english).unwrap();
        let line: String = (0..6)
            .map(|_| english.split_whitespace().collect::<Vec<_>>().join(" ") + " ")
            .collect();
        std::fs::write(d.join("en.txt"), format!("{}\n", line.trim_end())).unwrap();
        let translate = |env: &[(&str, &Path)]| {
            let o = run_in_env(
                d,
                env,
                &[
                    "translate",
                    "en.txt",
                    "--backend",
                    "apertium",
                    "--from",
                    "en",
                    "--to",
                    "es",
                ],
                b"",
            );
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            stdout(&o)
        };
        let whole = translate(&[]);
        assert!(
            whole.len() > line.len() / 2 && whole.lines().count() == 1,
            "{whole}"
        );
        assert_eq!(translate(&[("TARJUMAN_CHUNK_BYTES", small)]), whole);
    }

    let Some(model) = aren_model() else { return };
    let names = [
        "آتزمون",
        "توكاييف",
        "رحمون",
        "ميرزييوف",
        "نزارباييف",
        "باشينيان",
    ];
    let jsonl: String = (0..600)
        .map(|i| format!("{{\"id\":{i},\"text\":\"{}\",\"k\":[{i}]}}\n", names[i % 6]))
        .collect();
    std::fs::write(d.join("names.jsonl"), &jsonl).unwrap();
    let translate = |env: &[(&str, &Path)], out: &str, tm: &str| {
        let o = run_in_env(
            d,
            env,
            &[
                "translate",
                "names.jsonl",
                "--model",
                model.to_str().unwrap(),
                "--from",
                "ar",
                "--to",
                "en",
                "--beam-size",
                "1",
                "--tm",
                tm,
                "-o",
                out,
            ],
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(d.join(out)).unwrap()
    };
    let whole = translate(&[], "whole-t.jsonl", "tm1.sqlite");
    let chunked = translate(
        &[("TARJUMAN_CHUNK_BYTES", small)],
        "chunked-t.jsonl",
        "tm2.sqlite",
    );
    let strip = |s: &str| -> Vec<serde_json::Value> {
        json_lines(s)
            .into_iter()
            .map(|mut v| {
                v.as_object_mut().unwrap().remove("notes");
                v
            })
            .collect()
    };
    assert_eq!(strip(&whole), strip(&chunked));
    assert_eq!(json_lines(&whole).len(), 600);
    assert!(json_lines(&whole)[1]["translation"]
        .as_str()
        .unwrap()
        .is_ascii());
    // Chunked again: every segment from the memory filled by the first chunked run.
    let again = translate(
        &[("TARJUMAN_CHUNK_BYTES", small)],
        "again.jsonl",
        "tm2.sqlite",
    );
    assert_eq!(strip(&again), strip(&chunked));
    assert!(again.contains("tm-hit"));
}

/// An error in a later chunk names the line in the whole input and leaves no output file.
#[test]
fn an_error_in_a_later_chunk_names_its_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut jsonl: String = (0..500)
        .map(|i| format!("{{\"id\":{i},\"text\":\"Record number {i} is here.\"}}\n"))
        .collect();
    jsonl.push_str("{\"id\": 500, \"text\": oops}\n");
    std::fs::write(d.join("in.jsonl"), &jsonl).unwrap();
    let before = snapshot(d);
    let out = run_in_env(
        d,
        &[("TARJUMAN_CHUNK_BYTES", Path::new("1000"))],
        &["detect", "in.jsonl", "-o", "out.jsonl"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("in.jsonl:501: invalid JSON"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(d), before);
}

/// A UTF-8 byte-order mark is kept by a run read in chunks, as by one read whole, from a file
/// and from standard input (Apertium eng-spa).
#[test]
fn a_byte_order_mark_survives_chunks() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body: String = (0..40)
        .map(|i| format!("The house number {i} is red.\nThe dog is in the garden.\n\n"))
        .collect();
    let mut input = b"\xef\xbb\xbf".to_vec();
    input.extend_from_slice(body.as_bytes());
    std::fs::write(d.join("in.txt"), &input).unwrap();
    let args = [
        "translate",
        "--backend",
        "apertium",
        "--from",
        "en",
        "--to",
        "es",
    ];
    let run = |env: &[(&str, &Path)], file: bool| {
        let mut a = args.to_vec();
        if file {
            a.push("in.txt");
        }
        let stdin: &[u8] = if file { b"" } else { &input };
        let o = run_in_env(d, env, &a, stdin);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    // --check reads the input whole.
    let whole = {
        let mut a = args.to_vec();
        a.extend(["--check", "--fail-on", "error", "in.txt"]);
        run_in(d, &a, b"").stdout
    };
    assert!(
        whole.starts_with(b"\xef\xbb\xbfEl ") && !whole[3..].contains(&0xef),
        "{}",
        String::from_utf8_lossy(&whole[..80])
    );
    let small = Path::new("300");
    assert_eq!(run(&[("TARJUMAN_CHUNK_BYTES", small)], true), whole);
    assert_eq!(run(&[("TARJUMAN_CHUNK_BYTES", small)], false), whole);
    assert_eq!(run(&[], true), whole);
}

/// Deep nesting in every reader (30,000 levels: far past what a recursive reader survives on
/// an 8 MiB stack) is read, detected and translated, or refused with a line, and never kills
/// the process; translated, the innermost words come out (Apertium eng-spa).
#[test]
fn deep_nesting_never_overflows_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let n = 30_000;
    let files: Vec<(&str, String)> = vec![
        (
            "span.html",
            format!(
                "<html><body><p>{}The house is red.{}</p></body></html>\n",
                "<span>".repeat(n),
                "</span>".repeat(n)
            ),
        ),
        (
            "div.html",
            format!(
                "<html><body>{}The house is red.{}</body></html>\n",
                "<div>".repeat(n),
                "</div>".repeat(n)
            ),
        ),
        (
            "unclosed.html",
            format!("<html><body>{}The house is red.\n", "<div><b>".repeat(n)),
        ),
        ("quote.md", format!("{} The house is red.\n", ">".repeat(n))),
        (
            "emphasis.md",
            format!("{}The house is red.{}\n", "*".repeat(n), "*".repeat(n)),
        ),
        (
            "brackets.md",
            format!("{}The house is red.{}\n", "[".repeat(n), "](u)".repeat(n)),
        ),
        (
            "list.md",
            (0..2000)
                .map(|i| format!("{}- The house is red.\n", "  ".repeat(i)))
                .collect(),
        ),
        (
            "g.xlf",
            format!(
                "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"><file source-language=\"en\" \
                 target-language=\"es\"><body><trans-unit id=\"1\"><source>{}The house is \
                 red.{}</source></trans-unit></body></file></xliff>\n",
                "<g id=\"1\">".repeat(n),
                "</g>".repeat(n)
            ),
        ),
        (
            "feed.xml",
            format!(
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>The house is \
                 red.</title><item><description>{}The house{}</description></item></channel>\
                 </rss>\n",
                "<x>".repeat(n),
                "</x>".repeat(n)
            ),
        ),
        (
            "deep.jsonl",
            format!(
                "{{\"id\":1,\"text\":\"The house is red.\",\"x\":{}{}}}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
    ];
    for (name, content) in &files {
        std::fs::write(d.join(name), content).unwrap();
        let out = run_in(d, &["detect", name], b"");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 2)),
            "detect {name}: {code:?}: {}",
            stderr(&out)
        );
        if *name == "deep.jsonl" {
            // serde_json's nesting limit: an error with the line, not a crash.
            assert!(stderr(&out).contains("deep.jsonl:1: "), "{}", stderr(&out));
        }
    }
    let tbx = format!(
        "<?xml version=\"1.0\"?><martif type=\"TBX\"><text><body><termEntry><langSet \
         xml:lang=\"de\"><tig><term>Kiew</term></tig></langSet><langSet xml:lang=\"en\"><tig>\
         <term>Kyiv</term></tig></langSet>{}{}</termEntry></body></text></martif>\n",
        "<note>".repeat(n),
        "</note>".repeat(n)
    );
    std::fs::write(d.join("deep.tbx"), tbx).unwrap();
    let out = run_in(d, &["glossary", "check", "deep.tbx"], b"");
    assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));

    if !apertium("eng-spa") {
        return;
    }
    for name in ["span.html", "emphasis.md", "brackets.md", "g.xlf"] {
        let out = run_in(
            d,
            &[
                "translate",
                name,
                "--backend",
                "apertium",
                "--from",
                "en",
                "--to",
                "es",
            ],
            b"",
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "translate {name}: {:?}: {}",
            out.status,
            stderr(&out)
        );
        assert!(
            stdout(&out).contains("La casa es roja"),
            "translate {name}: {}",
            stdout(&out).chars().take(300).collect::<String>()
        );
    }
}

/// `serve` appends its access log: never to a file it reads, and a log it cannot open stops it
/// before the engines load, leaving no memory behind.
#[test]
fn serve_never_logs_into_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("keys.txt"), "k1 60\n").unwrap();
    std::fs::write(d.join("g.tsv"), GLOSSARY).unwrap();
    for (flag, file) in [("--api-keys", "keys.txt"), ("--glossary", "g.tsv")] {
        refused(
            d,
            &[
                "serve",
                "--backend",
                "apertium",
                "--port",
                "0",
                flag,
                file,
                "--access-log",
                file,
            ],
            &format!("--access-log {file} is the same file as {flag} {file}"),
        );
    }
    refused(
        d,
        &[
            "serve",
            "--backend",
            "apertium",
            "--port",
            "0",
            "--tm",
            "new.sqlite",
            "--access-log",
            "missing/access.log",
        ],
        "missing/access.log",
    );
}

/// `check` of JSONL: a line that is no record is an error at its line and the rest is
/// checked (exit 1, not 2), alone and against `--source`; records after a bad line stay
/// paired with their partners.
#[test]
fn a_malformed_jsonl_line_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("es.jsonl"),
        "{\"text\":\"La casa es roja.\"}\n{\"text\":5}\n{\"text\":\"Hay 3 gatos.\"}\n",
    )
    .expect("write");
    std::fs::write(
        d.join("en.jsonl"),
        "{\"text\":\"The house is red.\"}\nnot json\n{\"text\":\"There are 4 cats.\"}\n",
    )
    .expect("write");
    let out = run_in(
        d,
        &[
            "check", "en.jsonl", "--source", "es.jsonl", "--from", "es", "--to", "en", "--format",
            "jsonl",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let found = json_lines(&stdout(&out));
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        found.iter().filter(|f| f["check"] == kind).collect()
    };
    let bad = of("malformed");
    assert_eq!(bad.len(), 2, "{found:#?}");
    assert!(
        bad.iter().any(|f| f["target_line"] == 2),
        "the target's line 2: {found:#?}"
    );
    assert!(
        bad.iter().any(|f| f["source_line"] == 2),
        "the source's line 2: {found:#?}"
    );
    // Line 3 is still paired with line 3: the changed number is found there.
    let numbers = of("number");
    assert_eq!(numbers.len(), 1, "{found:#?}");
    assert_eq!(numbers[0]["target_line"], 3);
    assert_eq!(numbers[0]["source_line"], 3);
    // The target alone: the same line reported, the rest checked.
    let out = run_in(d, &["check", "en.jsonl", "--to", "en"], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("en.jsonl:2:1: error[malformed]"),
        "{}",
        stdout(&out)
    );
}
