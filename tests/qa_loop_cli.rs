//! QA in the translation loop with a real engine (Apertium spa→eng): `feed --check` against a
//! local HTTP server and `translate --check`. Apertium copies the Spanish thousands separator
//! of "1.500 millones" into "1.500 millions", which the number check flags as an error (a
//! wrong separator for English). (A doubled word of the source, "El el", is the source's
//! fault and no longer reported.)

mod common;

use common::*;
use std::collections::HashMap;
use std::path::Path;

const DOUBLED: &str = "El gobierno aprobó 1.500 millones.";
const CLEAN: &str = "El gobierno aprobó la ley.";

fn rss() -> String {
    let item = |id: &str, title: &str| {
        format!("<item>\n<title>{title}</title>\n<guid isPermaLink=\"false\">{id}</guid>\n<description>{CLEAN}</description>\n</item>\n")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>Noticias</title>\n<link>http://127.0.0.1/</link>\n<description>Noticias del día.</description>\n<language>es</language>\n{}{}</channel>\n</rss>\n",
        item("clean", CLEAN),
        item("doubled", DOUBLED)
    )
}

fn feed(dir: &Path, url: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let out = dir.join("out");
    let tm = dir.join("tm.sqlite");
    let mut args = vec![
        "feed",
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
        "--out-dir",
        out.to_str().expect("utf-8 path"),
        "--tm",
        tm.to_str().expect("utf-8 path"),
        url,
    ];
    args.extend_from_slice(extra);
    let o = run_in(dir, &args, b"");
    let code = o.status.code().unwrap_or(-1);
    assert_ne!(code, 2, "{}", stderr(&o));
    let report = std::fs::read_to_string(out.join("report.jsonl")).expect("report written");
    (code, json_lines(&report))
}

fn item<'a>(report: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    report
        .iter()
        .find(|l| l["type"] == "item" && l["item"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {report:?}"))
}

#[test]
fn feed_check_reports_findings_per_item_and_exit_follows_fail_on() {
    if !apertium("spa-eng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = serve(HashMap::from([("/news.xml".to_string(), rss())]));
    let url = format!("{base}/news.xml");

    // Without --check: no findings in the report, exit 0.
    let (code, report) = feed(dir.path(), &url, &[]);
    assert_eq!(code, 0, "{report:?}");
    assert!(report.iter().all(|l| l.get("findings").is_none()));

    // With --check: the copied separator is an error on its item, counted in the feed line.
    let (code, report) = feed(dir.path(), &url, &["--check"]);
    assert_eq!(code, 1, "{report:?}");
    let doubled = item(&report, "doubled");
    let findings = doubled["findings"].as_array().expect("findings");
    let wrong = findings
        .iter()
        .find(|f| f["check"] == "number")
        .unwrap_or_else(|| panic!("no number finding: {doubled}"));
    assert_eq!(wrong["severity"], "error");
    assert!(wrong["target_line"].as_u64().is_some());
    assert!(wrong["target_span"]
        .as_array()
        .is_some_and(|s| s.len() == 2));
    assert!(wrong["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(doubled["qa"]["errors"].as_u64() >= Some(1));
    let clean = item(&report, "clean");
    assert!(clean["findings"]
        .as_array()
        .expect("findings, maybe empty")
        .iter()
        .all(|f| f["check"] != "number"));
    let feed_line = report
        .iter()
        .find(|l| l["type"] == "feed")
        .expect("feed line");
    assert!(feed_line["qa"]["errors"].as_u64() >= Some(1));

    // The same findings demoted to info by the config: exit 0 at --fail-on error, 1 at info.
    std::fs::write(
        dir.path().join("qa.toml"),
        "[check.severity]\nnumber = \"info\"\ntypo = \"info\"\nlength = \"info\"\n",
    )
    .unwrap();
    let config = dir.path().join("qa.toml");
    let config = config.to_str().expect("utf-8 path");
    let (code, report) = feed(
        dir.path(),
        &url,
        &["--check", "--config", config, "--fail-on", "error"],
    );
    let errors: u64 = report
        .iter()
        .filter(|l| l["type"] == "feed")
        .filter_map(|l| l["qa"]["errors"].as_u64())
        .sum();
    assert_eq!(code, i32::from(errors > 0), "{report:?}");
    assert_eq!(item(&report, "doubled")["qa"]["infos"].as_u64(), Some(1));
    let (code, _) = feed(
        dir.path(),
        &url,
        &["--check", "--config", config, "--fail-on", "info"],
    );
    assert_eq!(code, 1);
}

#[test]
fn translate_check_prints_findings_and_sets_exit_code() {
    if !apertium("spa-eng") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("noticia.txt"),
        format!("Noticias\n\n{CLEAN}\n\n{DOUBLED}\n"),
    )
    .unwrap();
    let args = [
        "translate",
        "noticia.txt",
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
        "-o",
        "noticia.en.txt",
    ];
    let o = run_in(dir.path(), &args, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("error[number]"));

    let mut checked = args.to_vec();
    checked.push("--check");
    let o = run_in(dir.path(), &checked, b"");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let out = std::fs::read_to_string(dir.path().join("noticia.en.txt")).unwrap();
    let line = out
        .lines()
        .position(|l| l.contains("1.500"))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("Apertium did not copy the separator: {out}"));
    assert!(
        err.contains(&format!("noticia.en.txt:{line}:")) && err.contains("error[number]"),
        "{err}"
    );

    // PO: the entry with the QA error is marked fuzzy, the clean one is not.
    std::fs::write(
        dir.path().join("m.po"),
        format!("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"{CLEAN}\"\nmsgstr \"\"\n\nmsgid \"{DOUBLED}\"\nmsgstr \"\"\n"),
    )
    .unwrap();
    let po = [
        "translate",
        "m.po",
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
        "-o",
        "m.en.po",
        "--check",
        "--fail-on",
        "warning",
    ];
    let o = run_in(dir.path(), &po, b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = std::fs::read_to_string(dir.path().join("m.en.po")).unwrap();
    assert!(
        out.contains(&format!("#, fuzzy\nmsgid \"{DOUBLED}\"")),
        "{out}"
    );
    assert!(
        !out.contains(&format!("#, fuzzy\nmsgid \"{CLEAN}\"")),
        "{out}"
    );
    assert!(stderr(&o).contains("m.po:8:"), "{}", stderr(&o));
}
