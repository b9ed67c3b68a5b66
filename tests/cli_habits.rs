//! Habits of the command line: shell completions and manual pages generated from the
//! argument definitions, `translate --text`, a closed pipe, and a README whose every
//! `tarjuman` command line names commands and flags that exist.

mod common;

use common::*;
use std::process::Command;

/// `translate` English → Spanish through Apertium.
const EN_ES: &[&str] = &[
    "translate",
    "--backend",
    "apertium",
    "--from",
    "en",
    "--to",
    "es",
];

/// `tarjuman translate --backend apertium --from en --to es EXTRA…` fed `stdin`.
fn en_es(extra: &[&str], stdin: &[u8]) -> std::process::Output {
    run(&[EN_ES, extra].concat(), stdin)
}

/// `tarjuman ARGS --help`: its exit code and text.
fn help(args: &[&str]) -> (Option<i32>, String) {
    let o = tarjuman().args(args).arg("--help").output().unwrap();
    (o.status.code(), stdout(&o))
}

/// The subcommands a help text lists under `Commands:`.
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The command lines of the README's code blocks that run `tarjuman` (continuation lines
/// joined, comments cut), as words.
fn readme_command_lines() -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut lines = Vec::new();
    let mut in_code = false;
    let mut pending = String::new();
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            pending.clear();
            continue;
        }
        if !in_code {
            continue;
        }
        let code = line.split(" #").next().unwrap_or("").trim_end();
        if let Some(head) = code.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(code);
        let whole = std::mem::take(&mut pending);
        if whole.trim_start().starts_with('#') {
            continue;
        }
        let words: Vec<String> = whole.split_whitespace().map(str::to_string).collect();
        // `tarjuman` as the command run: first on the line or after a pipe.
        if let Some(at) =
            (0..words.len()).find(|&i| words[i] == "tarjuman" && (i == 0 || words[i - 1] == "|"))
        {
            lines.push(words[at + 1..].to_vec());
        }
    }
    lines
}

#[test]
fn every_readme_command_and_flag_exists() {
    let lines = readme_command_lines();
    assert!(
        lines.len() >= 30,
        "only {} command lines found",
        lines.len()
    );
    let mut checked_flags = 0;
    for words in &lines {
        // The command path: words that the help of the command before lists as commands.
        let mut path: Vec<&str> = Vec::new();
        let (code, mut text) = help(&[]);
        assert_eq!(code, Some(0));
        for w in words {
            if listed_commands(&text).iter().any(|c| c == w) {
                path.push(w);
                let (code, t) = help(&path);
                assert_eq!(code, Some(0), "tarjuman {} --help", path.join(" "));
                text = t;
            } else {
                break;
            }
        }
        assert!(
            !path.is_empty(),
            "README: `tarjuman {}` names no command",
            words.join(" ")
        );
        for w in words
            .iter()
            .filter(|w| w.trim_start_matches('[').starts_with("--"))
        {
            let flag = w
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split('=')
                .next()
                .unwrap_or("");
            assert!(
                text.contains(&format!("{flag} ")) || text.contains(&format!("{flag}\n")),
                "README: `tarjuman {}`: {flag} is not in `tarjuman {} --help`",
                words.join(" "),
                path.join(" ")
            );
            checked_flags += 1;
        }
    }
    assert!(checked_flags >= 50, "{checked_flags}");
}

#[test]
fn bash_completion_completes_commands_and_flags() {
    let o = tarjuman().args(["completions", "bash"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("tarjuman.bash");
    std::fs::write(&script, &o.stdout).unwrap();
    // Real bash loads the script and completes as it would at a prompt.
    let complete = |line: &str| -> Vec<String> {
        let words: Vec<&str> = line.split(' ').collect();
        let program = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}; _tarjuman tarjuman '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let o = Command::new("bash")
            .args(["-c", &program])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).lines().map(str::to_string).collect()
    };
    let commands = complete("tarjuman tr");
    assert_eq!(commands, vec!["translate"]);
    let all = complete("tarjuman ");
    for c in [
        "translate",
        "check",
        "feed",
        "glossary",
        "serve",
        "models",
        "completions",
        "man",
    ] {
        assert!(all.iter().any(|w| w == c), "{c} not in {all:?}");
    }
    let flags = complete("tarjuman translate --ov");
    assert_eq!(flags, vec!["--overwrite"]);
    // zsh and fish scripts too, each naming every command.
    for shell in ["zsh", "fish"] {
        let o = tarjuman().args(["completions", shell]).output().unwrap();
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        for c in ["translate", "glossary", "worker"] {
            assert!(text.contains(c), "{shell}: {c}");
        }
    }
    let o = tarjuman().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn manual_pages_for_every_command() {
    let o = tarjuman().arg("man").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(
        page.contains(".TH tarjuman 1"),
        "{}",
        &page[..page.len().min(400)]
    );
    let dir = tempfile::tempdir().unwrap();
    let o = tarjuman()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names = files_in(dir.path());
    names.sort();
    // One page per command and subcommand, as `--help` lists them.
    let (_, top) = help(&[]);
    for c in listed_commands(&top).iter().filter(|c| *c != "help") {
        let name = format!("tarjuman-{c}.1");
        assert!(names.contains(&name), "{name} not in {names:?}");
        let page = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        assert!(page.contains(&format!(".TH tarjuman-{c} 1")), "{name}");
        let (_, sub) = help(&[c]);
        for s in listed_commands(&sub).iter().filter(|s| *s != "help") {
            assert!(names.contains(&format!("tarjuman-{c}-{s}.1")), "{c} {s}");
        }
    }
    assert!(names.iter().all(|n| n.ends_with(".1")), "{names:?}");
    // The roff is one that groff renders without complaint (UTF-8 through preconv, as man-db
    // reads it), when groff is installed.
    if Command::new("groff").arg("--version").output().is_ok() {
        let o = Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join("tarjuman-translate.1"))
            .output()
            .unwrap();
        assert!(o.status.success() && o.stderr.is_empty(), "{}", stderr(&o));
    }
}

#[test]
fn translate_text_is_the_translation_of_that_text() {
    if !apertium("eng-spa") {
        return;
    }
    let sentence = "The farmers protested in the capital on Tuesday.";
    let o = tarjuman()
        .args(EN_ES)
        .args(["--text", sentence])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let from_stdin = en_es(&[], format!("{sentence}\n").as_bytes());
    assert_eq!(stdout(&o), stdout(&from_stdin));
    assert!(stdout(&o).ends_with('\n'));
    assert_ne!(stdout(&o).trim(), sentence);
    // Text and a file at once: a usage error.
    let o = tarjuman()
        .args([
            "translate",
            "--backend",
            "apertium",
            "--to",
            "es",
            "--text",
            "Hello",
            "in.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--text"), "{}", stderr(&o));
}

#[test]
fn a_reader_that_goes_away_is_no_error() {
    // `tarjuman completions bash | head -1`: the pipe closes early; exit 0 and nothing on
    // standard error.
    let o = Command::new("bash")
        .args([
            "-c",
            &format!(
                "set -o pipefail; {} completions bash | head -c 10 >/dev/null",
                env!("CARGO_BIN_EXE_tarjuman")
            ),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn config_from_the_environment_and_no_config() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A config in the working directory whose route names a backend it does not define.
    std::fs::write(
        d.join("tarjuman.toml"),
        "[backends.m]\ntype = \"apertium\"\npair = \"eng-spa\"\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"nowhere\"\n",
    )
    .unwrap();
    let translate = |extra: &[&str], env: Option<&std::path::Path>| {
        let mut c = tarjuman();
        c.current_dir(d)
            .env("HOME", d)
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("TARJUMAN_CONFIG")
            .args([
                "translate",
                "--from",
                "en",
                "--to",
                "es",
                "--text",
                "Good morning.",
            ])
            .args(extra);
        if let Some(p) = env {
            c.env("TARJUMAN_CONFIG", p);
        }
        c.output().unwrap()
    };
    let o = translate(&[], None);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("tarjuman.toml"), "{}", stderr(&o));
    // --no-config: the working directory's file is not read; nothing else to translate with.
    let o = translate(&["--no-config"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nothing to translate with"),
        "{}",
        stderr(&o)
    );
    // TARJUMAN_CONFIG names another file, which wins over the working directory's.
    let good = d.join("apertium.toml");
    std::fs::write(
        &good,
        "[backends.a]\ntype = \"apertium\"\npair = \"eng-spa\"\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"a\"\n",
    )
    .unwrap();
    let o = translate(&[], Some(&good));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let direct = en_es(&[], b"Good morning.\n");
    assert_eq!(stdout(&o), stdout(&direct));
    // … and --no-config ignores it too; a missing named file is an error that names it.
    let o = translate(&["--no-config"], Some(&good));
    assert_eq!(o.status.code(), Some(2));
    let o = translate(&[], Some(&d.join("gone.toml")));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gone.toml"), "{}", stderr(&o));
}

#[test]
fn check_output_format_has_one_name_and_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.txt");
    std::fs::write(&t, "The the house is red.\n").unwrap();
    let a = tarjuman()
        .args(["check", "--to", "en", "--output-format", "json"])
        .arg(&t)
        .output()
        .unwrap();
    let b = tarjuman()
        .args(["check", "--to", "en", "--format", "json"])
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(stdout(&a), stdout(&b));
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert!(
        v["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{v}"
    );
}

#[test]
fn standard_input_for_check_and_glossary_check() {
    // check with no file: standard input, when it is not a terminal.
    let o = run(&["check", "--to", "en"], b"The the house is red.\n");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("repeated-word"), "{}", stdout(&o));
    let named = run(&["check", "--to", "en", "-"], b"The the house is red.\n");
    assert_eq!(stdout(&o), stdout(&named));
    // … and on a terminal (script(1) gives it one) it asks for a file instead of waiting.
    let o = Command::new("script")
        .args([
            "-qec",
            &format!("{} check --to en", env!("CARGO_BIN_EXE_tarjuman")),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("give the target file"),
        "{}",
        stdout(&o)
    );
    // glossary check -: the glossary from standard input, same counts as from the file.
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/glossaries/news-names.de-en.tsv"
    );
    let from_file = run(&["glossary", "check", file], b"");
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let o = run(&["glossary", "check", "-"], &std::fs::read(file).unwrap());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let counts = |s: &str| {
        s.split_once(": ")
            .map(|(_, c)| c.to_string())
            .unwrap_or_default()
    };
    assert_eq!(counts(&stdout(&o)), counts(&stdout(&from_file)));
    // A broken glossary on standard input: one message naming the line, once.
    let o = run(&["glossary", "check", "-"], b"de\ten\nRachmon\tRakhmon\n");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("<stdin>:1:"), "{err}");
}

#[test]
fn one_warning_per_cause_and_nothing_new_from_the_memory() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Two unknown words, each in 30 paragraphs.
    let text: String = (0..30)
        .map(|i| format!("Xyzzy met Blorf on day {i}.\n\n"))
        .collect();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, &text).unwrap();
    let tm = dir.path().join("tm.sqlite");
    let args = |tm: &std::path::Path| {
        vec![
            "translate".to_string(),
            "--backend".into(),
            "apertium".into(),
            "--from".into(),
            "en".into(),
            "--to".into(),
            "es".into(),
            input.to_string_lossy().into_owned(),
            "--tm".into(),
            tm.to_string_lossy().into_owned(),
        ]
    };
    let a = args(&tm);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = run(&a, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let unknown: Vec<&str> = err.lines().filter(|l| l.contains("unknown-word")).collect();
    assert_eq!(unknown.len(), 2, "{err}");
    for word in ["Xyzzy", "Blorf"] {
        let line = unknown.iter().find(|l| l.contains(word)).expect(word);
        assert!(line.contains("30 times"), "{line}");
        assert!(
            line.starts_with(&format!("{}:1:", input.display())),
            "{line}"
        );
        assert!(line.contains("lines 1, 3, 5"), "{line}");
    }
    // The same input again, from the memory: the same output and nothing new to say.
    let again = run(&a, b"");
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), stdout(&o));
    assert!(
        !stderr(&again).contains("unknown-word"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn translate_report_and_closing_line() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("in.txt");
    std::fs::write(
        &input,
        "Xyzzy met the farmers.\n\nDas ist ein deutscher Satz über die Regierung.\n\nThe the river flooded.\n",
    )
    .unwrap();
    let report = d.join("r.json");
    let i = input.to_str().unwrap();
    let r = report.to_str().unwrap();
    let args = [
        "translate",
        "--backend",
        "apertium",
        "--to",
        "es",
        "--check",
        i,
        "--report",
        r,
    ];
    let o = run(&args, b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["input"], i);
    assert_eq!(v["segments"], 3);
    assert_eq!(v["translated"], 2);
    assert_eq!(v["failed"], 1);
    assert_eq!(
        v["languages"]["en"]["engines"],
        serde_json::json!(["apertium"])
    );
    assert_eq!(v["languages"]["en"]["translated"], 2);
    assert_eq!(v["languages"]["de"]["failed"], 1);
    let failure = &v["failures"][0];
    assert_eq!(failure["line"], 3);
    assert_eq!(failure["kind"], "no-route");
    assert!(failure["text"].as_str().unwrap().starts_with("Das ist"));
    // The QA counts are those --check printed.
    let err = stderr(&o);
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("{} error(s)", v["qa"]["errors"])),
        "{last} vs {}",
        v["qa"]
    );
    // A report that would replace the input is refused before anything is written.
    let o = en_es(&[i, "--report", i], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::read_to_string(&input)
        .unwrap()
        .starts_with("Xyzzy"));
    // On a terminal, a closing line with the counts; not when stderr is a pipe.
    let o = Command::new("script")
        .args([
            "-qec",
            &format!(
                "{} translate --backend apertium --to es {i} -o {}",
                env!("CARGO_BIN_EXE_tarjuman"),
                d.join("out.txt").display()
            ),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .env("XDG_CACHE_HOME", common::fresh_cache_dir())
        .output()
        .unwrap();
    let screen = stdout(&o);
    assert!(
        screen.contains("3 segments, 2 translated (0 from the memory), 0 passed through, 1 failed"),
        "{screen}"
    );
    let o = run(
        &["translate", "--backend", "apertium", "--to", "es", i],
        b"",
    );
    assert!(!stderr(&o).contains("segments,"), "{}", stderr(&o));
}

#[test]
fn quiet_verbose_and_colour() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(
        &input,
        "Xyzzy met the farmers.\n\nDas ist ein deutscher Satz über die Regierung.\n",
    )
    .unwrap();
    let i = input.to_str().unwrap();
    let tm = dir.path().join("tm.sqlite");
    let t = tm.to_str().unwrap();
    let base = [
        "translate",
        "--backend",
        "apertium",
        "--to",
        "es",
        i,
        "--tm",
        t,
    ];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        run(&a, b"")
    };
    let normal = with(&[]);
    let err = stderr(&normal);
    assert!(
        err.contains("warning[unknown-word]") && err.contains("error[no-route]"),
        "{err}"
    );
    assert!(!err.contains('\x1b'), "colour into a pipe: {err:?}");
    // -q: the error stays, the warning goes; same output and exit code.
    let quiet = with(&["-q"]);
    assert_eq!(quiet.status.code(), normal.status.code());
    assert_eq!(stdout(&quiet), stdout(&normal));
    let err = stderr(&quiet);
    assert!(
        err.contains("error[no-route]") && !err.contains("warning["),
        "{err}"
    );
    // -v: infos too — here, the segment served from the memory on this second run.
    let verbose = with(&["-v"]);
    assert!(
        stderr(&verbose).contains("info[tm-hit]"),
        "{}",
        stderr(&verbose)
    );
    assert!(!stderr(&with(&[])).contains("info["));
    // --color always: the place bold, the severity coloured; never: plain.
    let coloured = stderr(&with(&["--color", "always"]));
    assert!(
        coloured.contains("\x1b[1;31merror[no-route]\x1b[0m"),
        "{coloured:?}"
    );
    assert!(!stderr(&with(&["--color", "never"])).contains('\x1b'));
    // On a terminal: colour by default, none with NO_COLOR.
    let on_terminal = |no_color: bool| {
        let mut c = Command::new("script");
        c.args([
            "-qec",
            &format!(
                "{} {} 2>&1 >/dev/null",
                env!("CARGO_BIN_EXE_tarjuman"),
                base.join(" ")
            ),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .env("XDG_CACHE_HOME", common::fresh_cache_dir())
        .env("TERM", "xterm");
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        stdout(&c.output().unwrap())
    };
    assert!(
        on_terminal(false).contains("\x1b[1;31merror"),
        "{:?}",
        on_terminal(false)
    );
    let plain = on_terminal(true);
    assert!(
        plain.contains("error[no-route]") && !plain.contains("\x1b[1;31m"),
        "{plain:?}"
    );
}

#[test]
fn translate_and_feed_share_the_default_memory_and_no_tm_turns_it_off() {
    if !apertium("eng-spa") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let cache = d.path().join("cache");
    let input = d.path().join("a.txt");
    std::fs::write(&input, "The house is red.\n").unwrap();
    let (i, r) = (
        input.display().to_string(),
        d.path().join("r.json").display().to_string(),
    );
    let cached = |extra: &[&str]| {
        let o = run_in_env(
            d.path(),
            &[("XDG_CACHE_HOME", &cache)],
            &[EN_ES, &[i.as_str(), "--report", r.as_str()], extra].concat(),
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("casa"), "{}", stdout(&o));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&r).unwrap()).unwrap();
        report["cached"].as_u64().unwrap()
    };
    // --no-tm: nothing kept, nothing used.
    assert_eq!(cached(&["--no-tm"]), 0);
    assert!(!cache.join("tarjuman/tm.sqlite").exists());
    // By default the user cache dir's memory, as for feed: the second run is served from it.
    assert_eq!(cached(&[]), 0);
    assert!(cache.join("tarjuman/tm.sqlite").is_file());
    assert_eq!(cached(&[]), 1);
    assert_eq!(cached(&["--no-tm"]), 0);
    // feed fills and reads the same memory.
    let feed = d.path().join("news.xml");
    std::fs::write(
        &feed,
        "<rss version=\"2.0\"><channel><title>The house is red.</title><link>http://x/</link><description>d</description></channel></rss>",
    )
    .unwrap();
    let out = d.path().join("out");
    // `feed` English → Spanish into `out` (with `extra`): the feed line's memory hits.
    let feed_cached = |extra: &[&str]| {
        let base = [
            "feed",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
            "--out-dir",
        ];
        let (o_dir, f) = (out.to_str().unwrap(), feed.to_str().unwrap());
        let o = run_in_env(
            d.path(),
            &[("XDG_CACHE_HOME", &cache)],
            &[&base[..], &[o_dir, f], extra].concat(),
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let report = json_lines(&std::fs::read_to_string(out.join("report.jsonl")).unwrap());
        report.last().unwrap()["cached"].as_u64().unwrap()
    };
    assert_eq!(feed_cached(&[]), 1);
    // --no-tm on feed too; it conflicts with --tm.
    assert_eq!(feed_cached(&["--no-tm"]), 0);
    let o = run(
        &["feed", "--no-tm", "--tm", "x.sqlite", "--to", "es", "f.xml"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn several_inputs_for_translate_and_detect() {
    if !apertium("eng-spa") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(d.path().join("a.txt"), "The house is red.\n").unwrap();
    std::fs::write(sub.join("b.md"), "# Farm news\n\nThe cow eats grass.\n").unwrap();
    let (a, b) = ("a.txt", "sub/b.md");
    let alone = |input: &str| {
        let o = run_in(d.path(), &[EN_ES, &[input, "--no-tm"]].concat(), b"");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    // Several inputs without --out-dir: a usage error naming the flag, nothing written.
    let o = run_in(d.path(), &[EN_ES, &[a, b]].concat(), b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out-dir"), "{}", stderr(&o));
    // With --out-dir: each input under its own name, as translated alone; one report.
    let o = run_in(
        d.path(),
        &[
            EN_ES,
            &[a, b, "--out-dir", "out", "--report", "r.json", "--no-tm"],
        ]
        .concat(),
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = d.path().join("out");
    assert_eq!(files_in(&out), ["a.txt", "b.md"]);
    assert_eq!(
        std::fs::read_to_string(out.join("a.txt")).unwrap(),
        alone(a)
    );
    assert_eq!(std::fs::read_to_string(out.join("b.md")).unwrap(), alone(b));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["files"][1]["input"], "sub/b.md");
    assert_eq!(report["segments"], 3, "{report}");
    // Two inputs with one name, or an output over an input: refused before anything is written.
    std::fs::write(sub.join("a.txt"), "The dog.\n").unwrap();
    let o = run_in(
        d.path(),
        &[EN_ES, &[a, "sub/a.txt", "--out-dir", "o2"]].concat(),
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("would both be written"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path().join("o2/a.txt").exists());
    let o = run_in(
        d.path(),
        &[EN_ES, &[a, b, "--out-dir", "sub"]].concat(),
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(sub.join("b.md")).unwrap(),
        "# Farm news\n\nThe cow eats grass.\n"
    );
    // detect: every line names its file when there are several.
    let o = run_in(d.path(), &["detect", a, b], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["a.txt", "sub/b.md", "sub/b.md"]);
    assert!(lines.iter().all(|l| l["lang"] == "en"), "{lines:?}");
    let o = run_in(d.path(), &["detect", a], b"");
    assert!(json_lines(&stdout(&o))[0].get("file").is_none());
}

/// Runs `command` in a detached tmux session of `width` columns and returns the whole
/// scrollback once it has finished (`None`, with a notice, when tmux is not installed).
fn in_tmux(command: &str, width: u16) -> Option<String> {
    in_tmux_watching(command, width, |_| {})
}

/// [`in_tmux`], calling `watch` with the visible screen every 50 ms while the command runs.
fn in_tmux_watching(command: &str, width: u16, mut watch: impl FnMut(&str)) -> Option<String> {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(!strict(), "tmux is required (TARJUMAN_REQUIRE_SHARED=1)");
        eprintln!("notice: skipping: tmux not installed");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("tmux.sock");
    let done = dir.path().join("done");
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap()
    };
    let script = format!("{command}; touch {}; sleep 60", done.display());
    let w = width.to_string();
    let o = tmux(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        &w,
        "-y",
        "20",
        "bash",
        "-c",
        &script,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !done.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the command did not finish"
        );
        watch(&stdout(&tmux(&["capture-pane", "-p", "-t", "t"])));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let o = tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "t"]);
    let _ = tmux(&["kill-server"]);
    Some(stdout(&o))
}

#[test]
fn on_a_narrow_terminal_no_stale_bar_and_one_line_per_warning_cause() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Enough segments for a progress bar; one unknown word in a tenth of them.
    let text: String = (0..3000)
        .map(|i| {
            if i % 10 == 0 {
                format!("Xyzzy saw the red house number {i}.\n")
            } else {
                format!("The farmer sold {i} cows at the market today.\n")
            }
        })
        .collect();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, &text).unwrap();
    let command = format!(
        "XDG_CACHE_HOME={} {} translate --backend apertium --from en --to es {} -o {}",
        dir.path().join("cache").display(),
        env!("CARGO_BIN_EXE_tarjuman"),
        input.display(),
        dir.path().join("out.txt").display()
    );
    let Some(screen) = in_tmux(&command, 60) else {
        return;
    };
    let out = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert_eq!(out.lines().count(), 3000);
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    // The bar was cleared: no copy of it left in the scrollback.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("/3000 segments") || l.contains("[=")),
        "{screen}"
    );
    // Colours reach the terminal as colours, not as escaped text.
    assert!(
        !screen.contains("\\x1b") && !screen.contains("\\u{1b}"),
        "{screen}"
    );
    let unknown: Vec<&&str> = lines.iter().filter(|l| l.contains("Xyzzy")).collect();
    assert_eq!(unknown.len(), 1, "{screen}");
    assert!(unknown[0].contains("300 times"), "{screen}");
    let closing: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("tarjuman: 3000 segments"))
        .collect();
    assert_eq!(closing.len(), 1, "{screen}");
}

#[test]
fn the_progress_bar_moves_as_segments_are_done() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let names = ["آتزمون", "تقيزاده", "رحمون", "توكايف", "نظربايف", "ميرزايف"];
    // Fewer segments than one chunk of the pipeline (4,096), each a paragraph of eight
    // names: a bar that moved a chunk at a time would jump from 0 to the end.
    let n = 4000;
    let text: String = (0..n)
        .map(|i| {
            let line: Vec<&str> = (0..8).map(|k| names[(i + k) % names.len()]).collect();
            format!("{}\n\n", line.join(" "))
        })
        .collect();
    let input = dir.path().join("names.txt");
    std::fs::write(&input, &text).unwrap();
    let engine = engine_library()
        .map(|p| format!("{}={} ", ENGINE_VAR, p.display()))
        .unwrap_or_default();
    let command = format!(
        "{engine}XDG_CACHE_HOME={} {} translate --model {} --from ar --to en --no-tm {} -o {}",
        dir.path().join("cache").display(),
        env!("CARGO_BIN_EXE_tarjuman"),
        model.display(),
        input.display(),
        dir.path().join("out.txt").display()
    );
    let Some((seen, screen)) = bar_positions(&command, n) else {
        return;
    };
    let out = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert_eq!(out.lines().filter(|l| !l.is_empty()).count(), n, "{screen}");
    let between: Vec<&usize> = seen.iter().filter(|&&p| p > 0 && p < n).collect();
    assert!(
        !between.is_empty(),
        "the bar showed only {seen:?}: it must move while segments are done"
    );
    assert!(
        !screen.contains(&format!("/{n} segments")),
        "no bar left behind: {screen}"
    );
}

#[test]
fn the_progress_bar_follows_apertium_segment_by_segment() {
    if !apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Fewer segments than one chunk of the pipeline (4,096), all different: Apertium gets
    // them in one process, and the bar must follow its output as it streams.
    let n = 4000;
    let text: String = (0..n)
        .map(|i| format!("The farmer sold {i} red cows at the market of the old town today.\n"))
        .collect();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, &text).unwrap();
    let command = format!(
        "XDG_CACHE_HOME={} {} translate --backend apertium --from en --to es --no-tm {} -o {}",
        dir.path().join("cache").display(),
        env!("CARGO_BIN_EXE_tarjuman"),
        input.display(),
        dir.path().join("out.txt").display()
    );
    let Some((seen, screen)) = bar_positions(&command, n) else {
        return;
    };
    let out = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert_eq!(out.lines().count(), n, "{screen}");
    assert!(out.lines().all(|l| l.contains("vacas")), "{out}");
    let between: Vec<&usize> = seen.iter().filter(|&&p| p > 0 && p < n).collect();
    assert!(
        between.len() >= 2,
        "the bar showed only {seen:?}: it must move as Apertium's segments come out"
    );
    assert!(
        !screen.contains(&format!("/{n} segments")),
        "no bar left behind: {screen}"
    );
}

/// Runs `command` in tmux (100 columns) and collects every position its progress bar
/// showed out of `n` segments, with the final scrollback (`None` without tmux).
fn bar_positions(command: &str, n: usize) -> Option<(std::collections::BTreeSet<usize>, String)> {
    let total = format!("/{n} segments");
    let mut seen = std::collections::BTreeSet::new();
    let screen = in_tmux_watching(command, 100, |s| {
        for l in s.lines() {
            if let Some(at) = l.find(&total) {
                let digits: Vec<char> = l[..at]
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let pos: String = digits.into_iter().rev().collect();
                if let Ok(p) = pos.parse::<usize>() {
                    seen.insert(p);
                }
            }
        }
    })?;
    Some((seen, screen))
}
