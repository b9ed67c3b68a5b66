//! The glossary stage end to end: protect/restore through Apertium, `glossary apply` on
//! translations made elsewhere, reports, and rejected glossary rows.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn glossary(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("glossaries")
        .join(name)
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Whether `word` occurs in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn apertium_protect_and_restore_spanish_names() {
    if !apertium("spa-eng") {
        return;
    }
    let es = glossary("news-names.es-en.tsv");
    let input = "El presidente de Tayikistán, Emomali Rajmón, recibió a Tokáyev en Dusambé.\n\n\
                 Rajmón viajó después a Asjabad. El gobierno de Tokáyev apoyó a Zelenski en Kiev.\n";
    let out = run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
            "--glossary",
            arg(&es),
        ],
        input.as_bytes(),
    );
    let text = stdout(&out);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for rendering in [
        "Emomali Rakhmon",
        "Tokayev",
        "Dushanbe",
        "Ashgabat",
        "Zelensky",
        "Kyiv",
        "government of Tokayev",
    ] {
        assert!(
            text.contains(rendering),
            "`{rendering}` missing from: {text}"
        );
    }
    for wrong in [
        "Rajmón",
        "Tokáyev",
        "Dusambé",
        "Asjabad",
        "Kiev",
        "ZQX",
        "Tokayev's",
    ] {
        assert!(!text.contains(wrong), "`{wrong}` in: {text}");
    }
    assert!(has_word(&text, "Rakhmon"), "{text}");
    // Placeholders are unknown to Apertium by design: no unknown-word notes about them, and no
    // notes about the names they stood for.
    assert!(!err.contains("ZQX"), "{err}");
    assert!(!err.contains("Rajmón"), "{err}");
}

#[test]
fn apertium_jsonl_notes_and_without_glossary_the_engine_guess() {
    if !apertium("spa-eng") {
        return;
    }
    let es = glossary("news-names.es-en.tsv");
    let input = "{\"id\":1,\"text\":\"Emomali Rajmón recibió a Tokáyev en Dusambé.\"}\n";
    let base = [
        "translate",
        "--format",
        "jsonl",
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
    ];
    let plain = run(&base, input.as_bytes());
    let plain = json_lines(&stdout(&plain));
    let guess = plain[0]["translation"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        guess.contains("Rajmón"),
        "Apertium alone copies the Spanish spelling: {guess}"
    );

    let mut args = base.to_vec();
    args.extend(["--glossary", arg(&es)]);
    let out = run(&args, input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recs = json_lines(&stdout(&out));
    let t = recs[0]["translation"].as_str().unwrap_or_default();
    assert!(t.starts_with("Emomali Rakhmon "), "{t}");
    assert!(t.contains("Tokayev") && t.contains("Dushanbe"), "{t}");
    let notes = recs[0]["notes"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<&str> = notes.iter().filter_map(|n| n["kind"].as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "glossary-applied").count(),
        3,
        "{kinds:?}"
    );
    assert!(!kinds.contains(&"unknown-word"), "{kinds:?}");
}

#[test]
fn apply_turns_every_variant_into_the_rendering() {
    // English text made of every wrong form of the German→English glossary, one per sentence,
    // some with a possessive or a plural.
    let de = glossary("news-names.de-en.tsv");
    let tsv = std::fs::read_to_string(&de).expect("glossary");
    let mut text = String::new();
    let mut renderings = Vec::new();
    let mut wrong = Vec::new();
    for (i, line) in tsv
        .lines()
        .skip_while(|l| !l.starts_with("src_lang"))
        .skip(1)
        .enumerate()
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (target, variants) = (cols[3], cols[4]);
        for v in variants.split('|').filter(|v| !v.is_empty()) {
            let tail = match i % 3 {
                0 => "'s office",
                1 if !v.ends_with('s') => "s and others",
                _ => "",
            };
            text.push_str(&format!("Yesterday {v}{tail} said nothing.\n"));
            renderings.push(target.to_string());
            wrong.push(v.to_string());
        }
    }
    assert!(wrong.len() > 300);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("en.txt"), &text).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "glossary",
            "apply",
            "--glossary",
            arg(&de),
            "en.txt",
            "-o",
            "fixed.txt",
            "--report-json",
            "report.json",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fixed = std::fs::read_to_string(dir.path().join("fixed.txt")).expect("output");
    for (line, target) in fixed.lines().zip(&renderings) {
        assert!(line.contains(target.as_str()), "`{target}` missing: {line}");
    }
    let all_targets: Vec<&str> = renderings.iter().map(String::as_str).collect();
    for w in &wrong {
        // A wrong form may remain only inside a rendering that contains it.
        if all_targets.iter().any(|t| t.contains(w.as_str())) {
            continue;
        }
        assert!(!has_word(&fixed, w), "wrong form `{w}` left in the output");
    }
    assert!(
        fixed.contains("Yesterday Tokayev's office"),
        "possessive kept"
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("report.json")).expect("report"),
    )
    .expect("JSON report");
    assert_eq!(
        report["fixes"].as_array().map(Vec::len),
        Some(wrong.len()),
        "one fix per wrong form"
    );
}

#[test]
fn apply_reports_violations_and_inconsistent_renderings() {
    let de = glossary("news-names.de-en.tsv");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("de.txt"),
        "Tokajew traf Rachmon in Duschanbe.\n\nTokajews Regierung schwieg. Lukaschenko auch.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("en.txt"),
        "Tokayev met Rahmon in Dushanbe.\n\nTokaev's government was silent. So was the Belarusian leader.\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "glossary",
            "apply",
            "--glossary",
            arg(&de),
            "--source",
            "de.txt",
            "--from",
            "de",
            "en.txt",
            "--report-json",
            "r.json",
        ],
        b"",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "violations exit 1: {err}");
    assert_eq!(
        stdout(&out),
        "Tokayev met Rakhmon in Dushanbe.\n\nTokayev's government was silent. So was the Belarusian leader.\n"
    );
    assert!(
        err.contains("en.txt:3: warning[glossary-violation]"),
        "{err}"
    );
    assert!(err.contains("`Lukashenko`"), "{err}");
    assert!(err.contains("warning[glossary-inconsistent]"), "{err}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).expect("r"))
            .expect("JSON");
    let violations = r["violations"].as_array().cloned().unwrap_or_default();
    assert_eq!(violations.len(), 1, "{r}");
    assert_eq!(violations[0]["source"], "Lukaschenko");
    assert_eq!(violations[0]["target"], "Lukashenko");
    assert_eq!(violations[0]["line"], 3);
    let inconsistent = r["inconsistent"].as_array().cloned().unwrap_or_default();
    assert_eq!(inconsistent.len(), 1, "{r}");
    assert_eq!(inconsistent[0]["target"], "Tokayev");
    assert_eq!(r["fixes"].as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_rows_are_rejected_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let head = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n";
    let cases = [
        (
            "conflict.tsv",
            format!("{head}de\ten\tTokajew\tTokayev\t\t\t\nde\ten\tTokajew\tTokaev\t\t\t\n"),
            "conflict.tsv:3: source `Tokajew` is rendered `Tokaev` here but `Tokayev` on line 2",
        ),
        (
            "empty.tsv",
            format!("{head}de\ten\tTokajew\tTokayev\t\t\t\n# c\nde\ten\tRachmon\t\t\t\t\n"),
            "empty.tsv:4: empty `target`",
        ),
        (
            "lang.tsv",
            format!("{head}de\tzz\tTokajew\tTokayev\t\t\t\n"),
            "lang.tsv:2: `tgt_lang`",
        ),
        (
            "lang.csv",
            "src_lang,tgt_lang,source,target\nde,en,Kiew,Kyiv\n,en,Charkiw,Kharkiv\n".to_string(),
            "lang.csv:3: empty `src_lang`",
        ),
    ];
    for (name, body, needle) in &cases {
        std::fs::write(dir.path().join(name), body).expect("write");
        let out = run_in(dir.path(), &["glossary", "check", name], b"");
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(needle), "{name}: {}", stderr(&out));
        let out = run_in(
            dir.path(),
            &[
                "translate",
                "--backend",
                "apertium",
                "--from",
                "es",
                "--to",
                "en",
                "--glossary",
                name,
            ],
            b"Hola.\n",
        );
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn check_prints_stats_and_later_glossaries_override() {
    let de = glossary("news-names.de-en.tsv");
    let es = glossary("news-names.es-en.tsv");
    let out = run(&["glossary", "check", arg(&de), arg(&es)], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let entries: usize = text
        .lines()
        .next()
        .and_then(|l| l.split(", ").nth(1))
        .and_then(|w| w.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(entries >= 200, "{text}");
    assert!(text.contains("stacked: ok"), "{text}");

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("house.tsv"),
        "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\nde\ten\tSelenskyj\tZelenskyy\tZelensky\t\thouse style\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "glossary",
            "apply",
            "--glossary",
            arg(&de),
            "--glossary",
            "house.tsv",
            "-",
        ],
        b"Zelenskiy and Zelensky met Selenskyj.\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The house glossary takes the name over: its rendering wins, the old one becomes wrong.
    assert_eq!(stdout(&out), "Zelenskyy and Zelenskyy met Zelenskyy.\n");
}

#[test]
fn lost_placeholder_falls_back_to_enforcing_and_is_reported() {
    if !apertium("spa-eng") {
        return;
    }
    // Real Apertium behind a wrapper that drops the second placeholder from its output, as an
    // engine that garbles a token would.
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("lossy-apertium");
    std::fs::write(
        &script,
        "#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then exec apertium -l; fi\napertium \"$@\" | sed 's/[*]\\{0,1\\}ZQX2//g'\n",
    )
    .expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::fs::write(
        dir.path().join("t.toml"),
        format!(
            "[backends.lossy]\ntype = \"apertium\"\npair = \"spa-eng\"\ncommand = \"{}\"\n\n[[routes]]\nfrom = \"es\"\nto = \"en\"\nbackend = \"lossy\"\n",
            script.display()
        ),
    )
    .expect("config");
    let es = glossary("news-names.es-en.tsv");
    let out = run_in(
        dir.path(),
        &[
            "translate",
            "--config",
            "t.toml",
            "--from",
            "es",
            "--to",
            "en",
            "--format",
            "jsonl",
            "--glossary",
            arg(&es),
        ],
        "{\"id\":1,\"text\":\"Rajmón recibió a Tokáyev en Dusambé.\"}\n".as_bytes(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let recs = json_lines(&stdout(&out));
    let t = recs[0]["translation"].as_str().unwrap_or_default();
    assert!(
        t.contains("Rakhmon") && t.contains("Tokayev") && t.contains("Dushanbe"),
        "{t}"
    );
    assert!(!t.contains("ZQX") && !t.contains("Tokáyev"), "{t}");
    let kinds: Vec<&str> = recs[0]["notes"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["kind"].as_str()).collect())
        .unwrap_or_default();
    assert!(kinds.contains(&"glossary-placeholder-lost"), "{kinds:?}");
    assert!(kinds.contains(&"glossary-fixed"), "{kinds:?}");
    assert!(err.contains("warning[glossary-placeholder-lost]"), "{err}");
    assert!(err.contains("`Tokáyev`"), "{err}");
}

#[test]
fn tbx_glossary_checks_and_applies() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("names.tbx"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
 <text><body>
  <termEntry id="c1">
   <langSet xml:lang="de"><tig><term>Tokajew</term></tig></langSet>
   <langSet xml:lang="en">
    <tig><term>Tokayev</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>Tokaev</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
   </langSet>
  </termEntry>
  <termEntry id="c2">
   <langSet xml:lang="de"><tig><term>Duschanbe</term></tig></langSet>
   <langSet xml:lang="en"><tig><term>Dushanbe</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"#,
    )
    .expect("write");
    let out = run_in(dir.path(), &["glossary", "check", "names.tbx"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("4 entries"), "{}", stdout(&out));
    let out = run_in(
        dir.path(),
        &["glossary", "apply", "--glossary", "names.tbx", "-"],
        b"Tokaev flew to Duschanbe.\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Tokayev flew to Dushanbe.\n");
}

/// `glossary apply` reads plain text and JSONL in chunks (memory bounded by the chunk): the
/// output, the findings with their lines and the names rendered inconsistently over the whole
/// input are those of a run that reads it in one piece.
#[test]
fn apply_in_chunks_is_apply_in_one_piece() {
    let de = glossary("news-names.de-en.tsv");
    let dir = tempfile::tempdir().expect("tempdir");
    // Paragraphs and long lines, with wrong and right forms spread over the whole input.
    let mut text = String::new();
    let mut jsonl = String::new();
    for i in 0..400 {
        let name = ["Tokaev", "Tokayev", "Rahmon", "Rakhmon"][i % 4];
        let s = format!("In report {i} {name} spoke to the press. The talks went on.");
        text.push_str(&s);
        text.push_str(if i % 7 == 0 { "\n\n" } else { " " });
        jsonl.push_str(&serde_json::json!({ "id": i, "text": s }).to_string());
        jsonl.push('\n');
    }
    text.push('\n');
    std::fs::write(dir.path().join("en.txt"), &text).expect("write");
    std::fs::write(dir.path().join("en.jsonl"), &jsonl).expect("write");
    for input in ["en.txt", "en.jsonl"] {
        let apply = |chunk: &str| {
            let out = tarjuman()
                .current_dir(dir.path())
                .env("TARJUMAN_CHUNK_BYTES", chunk)
                .args(["glossary", "apply", "--glossary", arg(&de), input])
                .args(["--report-json", &format!("r{chunk}.json")])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let report =
                std::fs::read_to_string(dir.path().join(format!("r{chunk}.json"))).expect("r");
            let mut err: Vec<String> = stderr(&out).lines().map(str::to_string).collect();
            err.sort();
            (stdout(&out), report, err)
        };
        let (whole_out, whole_report, whole_err) = apply("1000000");
        let (out, report, err) = apply("700");
        if input == "en.txt" {
            assert_eq!(out, whole_out, "{input}");
        } else {
            // Records of an input read in one piece also carry the notes that need the whole
            // input (`glossary-inconsistent`); chunked, those are on stderr and in the report.
            let strip = |s: &str| -> Vec<serde_json::Value> {
                json_lines(s)
                    .into_iter()
                    .map(|mut r| {
                        if let Some(notes) = r["notes"].as_array_mut() {
                            notes.retain(|n| n["kind"] != "glossary-inconsistent");
                        }
                        r
                    })
                    .collect()
            };
            assert_eq!(strip(&out), strip(&whole_out), "{input}");
            assert!(whole_out.contains("glossary-inconsistent"), "{whole_out}");
        }
        assert_eq!(report, whole_report, "{input}");
        assert_eq!(err, whole_err, "{input}");
        // Every wrong form fixed, every fix at its line of the input.
        let edited = match input {
            "en.txt" => out.clone(),
            _ => json_lines(&out)
                .iter()
                .map(|r| r["translation"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert!(
            !has_word(&edited, "Tokaev") && !has_word(&edited, "Rahmon"),
            "{edited}"
        );
        let r: serde_json::Value = serde_json::from_str(&report).expect("JSON");
        let fixes = r["fixes"].as_array().cloned().unwrap_or_default();
        assert_eq!(fixes.len(), 200, "{input}");
        let lines: Vec<&str> = match input {
            "en.txt" => text.lines().collect(),
            _ => jsonl.lines().collect(),
        };
        for f in &fixes {
            let line = f["line"].as_u64().unwrap_or(0) as usize;
            let wrong = f["source"].as_str().unwrap_or("?");
            assert!(
                line > 0 && has_word(lines[line - 1], wrong),
                "{input}: {f} is not at its line"
            );
        }
        assert_eq!(r["inconsistent"].as_array().map(Vec::len), Some(2), "{r}");
        assert!(
            whole_err
                .iter()
                .any(|l| l.contains("warning[glossary-inconsistent]")),
            "{whole_err:?}"
        );
    }
}
