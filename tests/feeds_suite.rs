//! The RSS/Atom reader and writer against feedparser's test suite (PyPI `feedparser` sdist,
//! fetched by `scripts/fetch-testdata`): RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 feeds with
//! namespaces, languages, entities and twenty-odd encodings. Every feed that is well-formed
//! XML (to `xmllint`) is read — but for RSS without a `<channel>`, which is refused by
//! design; written back untranslated it is the same text (in UTF-8, its declaration saying
//! so); translated (letters rotated by 13) it is still well-formed to `xmllint`, and its
//! elements and attributes are those of the input.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;
use tarjuman::doc::{self, Format};
use tarjuman::segment::Segmenter;

fn testdata(rel: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TARJUMAN_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".testdata"));
    let path = dir.join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !common::strict(),
        "{} is required (run scripts/fetch-testdata)",
        path.display()
    );
    eprintln!(
        "notice: skipping: {} not found (run scripts/fetch-testdata)",
        path.display()
    );
    None
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

fn rot13(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            _ => c,
        })
        .collect()
}

/// The files among `paths` that `xmllint` finds not well-formed (one run for all).
fn not_well_formed(paths: &[PathBuf]) -> HashSet<PathBuf> {
    let mut bad = HashSet::new();
    for chunk in paths.chunks(500) {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .args(chunk)
            .output()
            .expect("xmllint runs");
        let err = String::from_utf8_lossy(&out.stderr);
        for p in chunk {
            if err.contains(&format!("{}:", p.display())) {
                bad.insert(p.clone());
            }
        }
    }
    bad
}

/// The elements and attributes of `text` in order (text inside them left out), as a
/// structure to compare: translation changes text, never markup of the feed itself.
fn tags(text: &str) -> Vec<String> {
    let mut r = Reader::from_str(text);
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                // Language attributes are set, `alt` and `title` translated.
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .filter(|a| {
                        !matches!(a.key.as_ref(), b"xml:lang" | b"lang" | b"alt" | b"title")
                    })
                    .map(|a| {
                        format!(
                            "{}={}",
                            String::from_utf8_lossy(a.key.as_ref()),
                            String::from_utf8_lossy(&a.value)
                        )
                    })
                    .collect();
                attrs.sort();
                out.push(format!(
                    "<{} {}>",
                    String::from_utf8_lossy(e.name().as_ref()),
                    attrs.join(" ")
                ));
            }
            Ok(Event::End(e)) => {
                out.push(format!("</{}>", String::from_utf8_lossy(e.name().as_ref())))
            }
            Ok(_) => {}
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    files: usize,
    feeds: usize,
    no_channel: usize,
    refused: Vec<String>,
    inexact: Vec<String>,
    broken: Vec<String>,
    translated: usize,
}

/// `text` with the value of its XML declaration's `encoding` made `UTF-8`.
fn declared_utf8(text: &str) -> String {
    let Some(at) = text.find("encoding=") else {
        return text.to_string();
    };
    let q = at + "encoding=".len();
    let Some(quote) = text[q..].chars().next() else {
        return text.to_string();
    };
    let Some(end) = text[q + 1..].find(quote) else {
        return text.to_string();
    };
    format!("{}{quote}UTF-8{}", &text[..q], &text[q + 1 + end..])
}

#[test]
fn feedparser_suite_reads_and_keeps_structure() {
    let Some(dir) = testdata("feedparser/tests") else {
        return;
    };
    if !tool_ok("xmllint") {
        return;
    }
    let mut paths = Vec::new();
    for sub in ["wellformed", "encoding", "entities"] {
        files(&dir.join(sub), &mut paths);
    }
    paths.sort();
    let mut t = Tally {
        files: paths.len(),
        ..Tally::default()
    };
    // The feeds among the files: decoded, sniffed as RSS or Atom, well-formed.
    let mut feeds = Vec::new();
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        let name = p.display().to_string();
        let Ok(text) = doc::decode(&name, bytes) else {
            continue; // bytes its declared encoding does not allow
        };
        if let Some(format @ (Format::Rss | Format::Atom)) = Format::sniff(&text) {
            feeds.push((p.clone(), name, text, format));
        }
    }
    let bad: HashSet<PathBuf> =
        not_well_formed(&feeds.iter().map(|f| f.0.clone()).collect::<Vec<_>>());
    let out_dir = tempfile::tempdir().unwrap();
    let mut written: Vec<(PathBuf, String, String)> = Vec::new();
    for (p, name, text, format) in feeds.into_iter().filter(|f| !bad.contains(&f.0)) {
        t.feeds += 1;
        let mut d = match doc::parse(format, &name, &text) {
            Ok(d) => d,
            Err(e) => {
                t.refused.push(e.to_string());
                continue;
            }
        };
        // RSS without <channel>: read leniently, with a warning (and written back as read).
        if d.warnings
            .iter()
            .any(|w| w.message.contains("no <channel>"))
        {
            t.no_channel += 1;
            assert!(d.blocks.iter().all(|b| !b.kind.is_translatable()), "{name}");
        }
        let same = doc::render(&d);
        if same != text && same != declared_utf8(&text) {
            t.inexact.push(name);
            continue;
        }
        Segmenter::default().segment_document(&mut d);
        for s in d.segments_mut() {
            s.translation = Some(rot13(&s.text));
            s.status = tarjuman::doc::SegmentStatus::Translated;
        }
        d.target = Some(tarjuman::Lang::from_code("en").unwrap());
        t.translated += usize::from(d.segment_count() > 0);
        let out = doc::render(&d);
        let path = out_dir.path().join(format!("{}.xml", written.len()));
        std::fs::write(&path, &out).unwrap();
        if tags(text.trim_start_matches('\u{feff}')) != tags(out.trim_start_matches('\u{feff}')) {
            t.broken.push(format!("{}: markup changed", p.display()));
        }
        written.push((path, name, out));
    }
    let outputs: Vec<PathBuf> = written.iter().map(|w| w.0.clone()).collect();
    for b in not_well_formed(&outputs) {
        let w = written.iter().find(|w| w.0 == b).unwrap();
        t.broken
            .push(format!("{}: output not well-formed:\n{}", w.1, w.2));
    }
    for x in t.refused.iter().chain(&t.inexact).chain(&t.broken) {
        eprintln!("{x}");
    }
    eprintln!(
        "{} files, {} well-formed feeds: {} refused, {} RSS without <channel> (read with a warning), {} not exact untranslated, {} broken by translation ({} translated)",
        t.files,
        t.feeds,
        t.refused.len(),
        t.no_channel,
        t.inexact.len(),
        t.broken.len(),
        t.translated
    );
    assert!(t.feeds > 1000, "{} feeds", t.feeds);
    assert!(t.refused.is_empty() && t.inexact.is_empty() && t.broken.is_empty());
}

fn tool_ok(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    assert!(ok || !common::strict(), "{tool} is required");
    ok
}
