//! `tarjuman feed` end to end with the shared CTranslate2 model: feeds served by a local HTTP
//! server on 127.0.0.1 (one of them malformed), a list file and a directory; a second run that
//! makes no backend call; runs killed with SIGKILL and started again.

mod common;

use common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const NAMES: [&str; 6] = [
    "آتزمون",
    "توكاييف",
    "رحمون",
    "ميرزييوف",
    "نزارباييف",
    "باشينيان",
];

/// An RSS feed of `n` items whose titles are Arabic-script names and whose descriptions are
/// HTML with the name in a link.
fn rss(tag: &str, n: usize, name_of: impl Fn(usize) -> String) -> String {
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>{}</title>\n<link>http://127.0.0.1/{tag}</link>\n<description>أخبار</description>\n<language>ar</language>\n", NAMES[0]);
    for i in 0..n {
        let name = name_of(i);
        s.push_str(&format!(
            "<item>\n<title>{name}</title>\n<link>http://127.0.0.1/{tag}/{i}</link>\n<guid isPermaLink=\"false\">{tag}-{i}</guid>\n<description><![CDATA[<p><a href=\"/n/{i}\">{name}</a></p>]]></description>\n<pubDate>Sat, 28 Nov 2026 00:00:{:02} GMT</pubDate>\n</item>\n",
            i % 60
        ));
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

fn atom(tag: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">\n<title>{}</title>\n<id>urn:{tag}</id>\n<updated>2026-11-28T00:00:00Z</updated>\n<entry>\n<title>{}</title>\n<id>urn:{tag}:1</id>\n<updated>2026-11-28T00:00:00Z</updated>\n<summary type=\"html\">&lt;em&gt;{}&lt;/em&gt;</summary>\n</entry>\n</feed>\n", NAMES[1], NAMES[2], NAMES[3])
}

fn feed_args<'a>(model: &'a str, out: &'a str, tm: &'a str) -> Vec<&'a str> {
    vec![
        "feed",
        "--model",
        model,
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "1",
        "--out-dir",
        out,
        "--tm",
        tm,
        "--jobs",
        "3",
    ]
}

fn report(out: &Path) -> Vec<serde_json::Value> {
    json_lines(&std::fs::read_to_string(out.join("report.jsonl")).expect("report written"))
}

fn xmllint_ok(path: &Path) -> bool {
    Command::new("xmllint")
        .arg("--noout")
        .arg(path)
        .status()
        .map(|s| s.success())
        .unwrap_or(true)
}

#[test]
fn feeds_over_http_list_and_directory_then_all_from_memory() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = HashMap::new();
    files.insert(
        "/world.xml".to_string(),
        rss("world", 3, |i| NAMES[i % 6].to_string()),
    );
    files.insert("/asia/atom".to_string(), atom("asia"));
    files.insert(
        "/broken.xml".to_string(),
        "<rss version=\"2.0\"><channel><title>آتزمون</title><item></channel></rss>".to_string(),
    );
    let base = serve(files);
    let local = dir.path().join("local");
    std::fs::create_dir(&local).unwrap();
    std::fs::write(
        local.join("sport.xml"),
        rss("sport", 2, |i| NAMES[5 - i].to_string()),
    )
    .unwrap();
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!(
            "# feeds\n{base}/world.xml\n{base}/asia/atom\n{base}/broken.xml\n{base}/missing.xml\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let tm = dir.path().join("tm.sqlite");
    let (m, o, t) = (
        model.to_str().unwrap(),
        out.to_str().unwrap(),
        tm.to_str().unwrap(),
    );
    let mut args = feed_args(m, o, t);
    args.push(list.to_str().unwrap());
    args.push(local.to_str().unwrap());
    let first = run(&args, b"");
    assert_eq!(
        first.status.code(),
        Some(1),
        "a feed failed: {}",
        stderr(&first)
    );
    let err = stderr(&first);
    assert!(err.contains("broken.xml:1: malformed feed"), "{err}");
    assert!(err.contains("missing.xml: HTTP 404"), "{err}");
    assert_eq!(
        files_in(&out),
        ["atom.xml", "report.jsonl", "sport.xml", "world.xml"]
    );
    let world = std::fs::read_to_string(out.join("world.xml")).unwrap();
    assert!(world.contains("<language>en</language>"), "{world}");
    assert!(world.contains("<item>\n<title>atzmon</title>\n<link>http://127.0.0.1/world/0</link>\n<guid isPermaLink=\"false\">world-0</guid>\n<description><![CDATA[<p><a href=\"/n/0\">atzmon</a></p>]]></description>\n<pubDate>Sat, 28 Nov 2026 00:00:00 GMT</pubDate>\n</item>"), "{world}");
    assert!(world.contains("<title>tokayev</title>"), "{world}");
    let asia = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(asia.contains("xml:lang=\"en\""), "{asia}");
    assert!(asia.contains("<summary type=\"html\">&lt;em&gt;"), "{asia}");
    for f in ["world.xml", "atom.xml", "sport.xml"] {
        assert!(xmllint_ok(&out.join(f)), "{f} does not parse");
    }
    let lines = report(&out);
    let feeds: Vec<_> = lines.iter().filter(|l| l["type"] == "feed").collect();
    assert_eq!(feeds.len(), 5);
    let broken = feeds
        .iter()
        .find(|l| l["input"].as_str().unwrap().ends_with("broken.xml"))
        .unwrap();
    assert_eq!(broken["status"], "error");
    let items: Vec<_> = lines.iter().filter(|l| l["type"] == "item").collect();
    assert_eq!(items.len(), 3 + 1 + 2);
    assert!(items.iter().any(|l| l["item"] == "world-2"));
    assert!(items.iter().any(|l| l["item"] == "urn:asia:1"));
    let translated: u64 = feeds
        .iter()
        .map(|l| l["translated"].as_u64().unwrap())
        .sum();
    assert!(translated > 0);

    // Same feeds again: every segment comes from the memory, none goes to the engine.
    let before: HashMap<String, String> = ["world.xml", "atom.xml", "sport.xml"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read_to_string(out.join(f)).unwrap()))
        .collect();
    let second = run(&args, b"");
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    let lines = report(&out);
    let feeds: Vec<_> = lines
        .iter()
        .filter(|l| l["type"] == "feed" && l["status"] == "ok")
        .collect();
    let (tr, cached): (u64, u64) = feeds.iter().fold((0, 0), |(a, b), l| {
        (
            a + l["translated"].as_u64().unwrap(),
            b + l["cached"].as_u64().unwrap(),
        )
    });
    assert_eq!(
        (tr, cached),
        (translated, translated),
        "{}",
        stderr(&second)
    );
    assert!(stderr(&second).contains(&format!(
        "{translated} translated ({translated} from memory)"
    )));
    for (f, text) in before {
        assert_eq!(
            std::fs::read_to_string(out.join(&f)).unwrap(),
            text,
            "{f} changed"
        );
    }

    // A feed is never overwritten by its own translation.
    let l = local.to_str().unwrap();
    let mut onto_inputs = feed_args(m, l, t);
    onto_inputs.push(l);
    let refused = run(&onto_inputs, b"");
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("would be overwritten"));

    // The memory tools see what the runs stored.
    let stats = run(&["tm", "--tm", t, "stats"], b"");
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert!(stats["entries"].as_u64().unwrap() >= 6, "{stats}");
    assert!(stats["hits"].as_u64().unwrap() >= translated, "{stats}");
    let export = run(&["tm", "export", "--tm", t], b"");
    let entries = json_lines(&stdout(&export));
    assert!(entries
        .iter()
        .any(|e| e["source"] == "آتزمون" && e["target"] == "atzmon"));
    let prune = run(&["tm", "prune", "--tm", t, "--unused-days", "0"], b"");
    assert_eq!(prune.status.code(), Some(0), "{}", stderr(&prune));
    let stats = run(&["tm", "stats", "--tm", t], b"");
    assert!(
        stdout(&stats).contains("\"entries\": 0"),
        "{}",
        stdout(&stats)
    );
}

/// A name-like string of Arabic letters, different for every `i`.
fn synthetic_name(i: usize) -> String {
    const LETTERS: [char; 12] = ['ب', 'ت', 'د', 'ر', 'س', 'ك', 'ل', 'م', 'ن', 'ف', 'ق', 'ح'];
    const VOWELS: [char; 3] = ['ا', 'و', 'ي'];
    let mut s = String::new();
    let mut n = i + 1;
    while n > 0 {
        s.push(LETTERS[n % 12]);
        s.push(VOWELS[(n / 12) % 3]);
        n /= 36;
    }
    s.push(LETTERS[i % 7]);
    s
}

#[test]
fn killed_runs_resume_with_every_item_once() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap();
    let (n_feeds, n_items) = (12, 150);
    for f in 0..n_feeds {
        let text = rss(&format!("f{f}"), n_items, |i| {
            synthetic_name(f * n_items + i)
        });
        std::fs::write(feeds.join(format!("f{f:02}.xml")), text).unwrap();
    }
    let out = dir.path().join("out");
    let tm = dir.path().join("tm.sqlite");
    let (m, o, t) = (
        model.to_str().unwrap(),
        out.to_str().unwrap(),
        tm.to_str().unwrap(),
    );
    let mut args = feed_args(m, o, t);
    args.push(feeds.to_str().unwrap());
    let mut killed = 0;
    for delay_ms in [300u64, 900, 1500, 2500] {
        let mut child = tarjuman()
            .args(&args)
            .env("HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        check_outputs_whole(&out, n_items);
    }
    eprintln!("killed {killed} runs");
    assert!(killed > 0, "every run finished before it could be killed");
    let last = run(&args, b"");
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    let names = files_in(&out);
    assert_eq!(names.len(), n_feeds + 1, "{names:?}");
    check_outputs_whole(&out, n_items);
    let lines = report(&out);
    let mut seen = std::collections::HashSet::new();
    for l in lines.iter().filter(|l| l["type"] == "item") {
        assert!(
            seen.insert(l["item"].as_str().unwrap().to_string()),
            "doubled: {l}"
        );
        assert_eq!(l["failed"], 0);
    }
    assert_eq!(seen.len(), n_feeds * n_items);
}

/// Every output present is a whole feed: each item exactly once, all translated.
fn check_outputs_whole(out: &Path, n_items: usize) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries.flatten() {
        let path: PathBuf = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".xml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("<item>").count(), n_items, "{name}");
        for i in 0..n_items {
            assert_eq!(
                text.matches(&format!("-{i}</guid>")).count(),
                1,
                "{name} item {i}"
            );
        }
        assert!(text.trim_end().ends_with("</rss>"), "{name} is cut");
        assert!(text.contains("<language>en</language>"), "{name}");
        assert!(
            !text.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)),
            "{name} has untranslated text"
        );
    }
}

#[test]
fn translate_with_memory_serves_the_second_run() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tm = dir.path().join("tm.sqlite");
    let args = [
        "translate",
        "--model",
        model.to_str().unwrap(),
        "--from",
        "ar",
        "--to",
        "en",
        "--format",
        "jsonl",
        "--tm",
        tm.to_str().unwrap(),
    ];
    let input = "{\"id\":1,\"text\":\"آتزمون\"}\n{\"id\":2,\"text\":\"توكاييف\"}\n{\"id\":3,\"text\":\"آتزمون\"}\n";
    let hit = |r: &serde_json::Value| {
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "tm-hit")
    };
    let first = run(&args, input.as_bytes());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let recs = json_lines(&stdout(&first));
    assert!(recs.iter().all(|r| !hit(r)));
    let second = run(&args, input.as_bytes());
    let again = json_lines(&stdout(&second));
    assert!(again.iter().all(hit), "{again:?}");
    for (a, b) in recs.iter().zip(&again) {
        assert_eq!(a["translation"], b["translation"]);
    }
    assert_eq!(again[0]["translation"], "atzmon");
}
