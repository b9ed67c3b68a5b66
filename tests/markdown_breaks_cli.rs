//! Markdown hard line breaks and link reference definition titles through `tarjuman translate`
//! with Apertium (en→es): the pipeline collapses blanks before any engine, so a hard break
//! (two spaces or a backslash before the line end) inside a sentence once came out as a
//! blank, and the titles of reference definitions (`[foo]: /url "Title"`) were left
//! untranslated. On every CommonMark spec example that has either (npm `commonmark-spec`,
//! fetched by `scripts/fetch-testdata`) and on a page of our own: each break comes out as the
//! same bytes (marker, line end, the next line's prefix) between words, and each definition
//! keeps its label, destination and every byte but its title.

mod common;

use std::path::{Path, PathBuf};

use common::markdown_events::without_link_text;
use common::{apertium, run_in, stderr, strict};
use pulldown_cmark::{Event, Parser};
use tarjuman::doc::markdown;

const APERTIUM_EN_ES: &[&str] = &["--backend", "apertium", "--from", "en", "--to", "es"];

/// The examples of the CommonMark spec (from `.testdata`, or `None` after a skip notice).
fn spec_examples() -> Option<Vec<String>> {
    let dir = std::env::var_os("TARJUMAN_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".testdata"));
    let path = dir.join("commonmark-spec/spec.txt");
    let Ok(spec) = std::fs::read_to_string(&path) else {
        assert!(
            !strict(),
            "{} is required (run scripts/fetch-testdata)",
            path.display()
        );
        eprintln!("notice: skipping: {} not found", path.display());
        return None;
    };
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line != format!("{fence} example") {
            continue;
        }
        let mut md = String::new();
        for l in lines.by_ref() {
            if l == "." {
                break;
            }
            md.push_str(l);
            md.push('\n');
        }
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
        }
        out.push(md.replace('→', "\t"));
    }
    Some(out)
}

/// The bytes of every hard line break of `md`: from the break's marker to the next line's
/// first content (the marker, the line end, the next line's prefix).
fn breaks(md: &str) -> Vec<String> {
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(md, markdown::options())
        .into_offset_iter()
        .collect();
    let mut out = Vec::new();
    for (i, (e, r)) in events.iter().enumerate() {
        if matches!(e, Event::HardBreak) {
            let next = events.get(i + 1).map_or(r.end, |(_, n)| n.start.max(r.end));
            out.push(md[r.start..next].to_string());
        }
    }
    out
}

/// The events of `md` but its words: blocks, breaks, code, links with their destinations
/// (titles blanked: they are translated; a shortcut or collapsed reference whose text was
/// translated is written as a full one, `[text][label]`: the same link).
fn structure(md: &str) -> Vec<String> {
    Parser::new_ext(md, markdown::options())
        .filter(|e| !matches!(e, Event::Text(_) | Event::SoftBreak))
        .map(without_link_text)
        .map(|e| format!("{e:?}"))
        .collect()
}

/// A link reference definition: label, destination, title, its bytes but the title's.
type Definition = (String, String, Option<String>, String);

/// The link reference definitions of `md` in source order: label, destination, title, and
/// the definition's bytes with the title's own left out.
fn definitions(md: &str) -> Vec<Definition> {
    let parser = Parser::new_ext(md, markdown::options());
    let mut out: Vec<(usize, Definition)> = parser
        .reference_definitions()
        .iter()
        .map(|(label, d)| {
            let src = &md[d.span.clone()];
            let title = d.title.as_ref().map(|t| t.to_string());
            // Without the title: up to its opening delimiter and from its closing one.
            let outside = match (title.as_ref(), src.chars().next_back()) {
                (Some(_), Some(close @ ('"' | '\'' | ')'))) => {
                    let open = if close == ')' { '(' } else { close };
                    // The last opening delimiter no backslash escapes, after a blank.
                    let b = src.as_bytes();
                    let at = (1..b.len() - 1)
                        .rev()
                        .find(|&i| {
                            b[i] == open as u8
                                && b[i - 1].is_ascii_whitespace()
                                && b[..i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 0
                        })
                        .unwrap_or(0);
                    format!("{}{}", &src[..=at], close)
                }
                _ => src.to_string(),
            };
            (
                d.span.start,
                (label.to_string(), d.dest.to_string(), title, outside),
            )
        })
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, d)| d).collect()
}

#[test]
fn commonmark_hard_breaks_and_definition_titles_survive_apertium() {
    if !apertium("eng-spa") {
        return;
    }
    let Some(examples) = spec_examples() else {
        return;
    };
    let picked: Vec<&String> = examples
        .iter()
        .filter(|md| !breaks(md).is_empty() || definitions(md).iter().any(|d| d.2.is_some()))
        .collect();
    assert!(picked.len() >= 20, "{} examples", picked.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args: Vec<String> = Vec::new();
    for (i, md) in picked.iter().enumerate() {
        let name = format!("ex{i:03}.md");
        std::fs::write(dir.path().join(&name), md).expect("writes");
        args.push(name);
    }
    let mut all: Vec<&str> = vec!["translate"];
    all.extend(args.iter().map(String::as_str));
    all.extend(APERTIUM_EN_ES);
    all.extend(["--out-dir", "out"]);
    let o = run_in(dir.path(), &all, b"");
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "exit {:?}: {}",
        o.status.code(),
        stderr(&o)
    );
    let (mut hard, mut titles_changed, mut failures) = (0, 0, Vec::new());
    for (name, md) in args.iter().zip(&picked) {
        let out = std::fs::read_to_string(dir.path().join("out").join(name)).expect("output");
        let (b_in, b_out) = (breaks(md), breaks(&out));
        hard += b_in.len();
        if b_in != b_out {
            failures.push(format!(
                "{name}: breaks {b_in:?} became {b_out:?}\n{md}---\n{out}"
            ));
        }
        if structure(md) != structure(&out) {
            failures.push(format!("{name}: structure changed\n{md}---\n{out}"));
        }
        let (d_in, d_out) = (definitions(md), definitions(&out));
        let same = d_in.len() == d_out.len()
            && d_in
                .iter()
                .zip(&d_out)
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1 && a.3 == b.3);
        if !same {
            failures.push(format!(
                "{name}: definitions {d_in:?} became {d_out:?}\n{md}---\n{out}"
            ));
        }
        titles_changed += d_in
            .iter()
            .zip(&d_out)
            .filter(|(a, b)| a.2.is_some() && a.2 != b.2)
            .count();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(hard >= 9, "{hard} hard breaks");
    // "title" and the like are English words Apertium translates.
    assert!(titles_changed >= 10, "{titles_changed} titles translated");
}

/// A page of our own in real English: the breaks stay between the clauses they separated,
/// in a paragraph, a quote and a list item, and the definition's title is translated.
#[test]
fn hard_breaks_stay_between_their_words_and_titles_are_translated() {
    if !apertium("eng-spa") {
        return;
    }
    let md = "The cat is big  \nand the dog is small.\n\n> The house is red\\\n> and the car is blue.\n\n- The man eats bread  \n  and the woman drinks water.\n\nRead [the news][n].\n\n[n]: https://example.org/news \"The big house\"\n";
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("in.md"), md).expect("writes");
    let mut args = vec!["translate", "in.md", "-o", "out.md"];
    args.extend(APERTIUM_EN_ES);
    let o = run_in(dir.path(), &args, b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = std::fs::read_to_string(dir.path().join("out.md")).expect("output");
    assert_eq!(breaks(&out), breaks(md), "{out}");
    assert_eq!(structure(&out), structure(md), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    // Each break still ends the first clause: the cat, the house, the man before it; the dog,
    // the car, the woman after it.
    for (first, second, before, after) in [
        (0, 1, "gato", "perro"),
        (3, 4, "casa", "coche"),
        (6, 7, "hombre", "mujer"),
    ] {
        assert!(
            lines[first].contains(before) && !lines[first].contains(after),
            "{out}"
        );
        assert!(lines[second].contains(after), "{out}");
    }
    assert!(
        lines[0].ends_with("  ") && !lines[0].ends_with("   "),
        "{out}"
    );
    assert!(
        lines[3].ends_with("\\") && lines[4].starts_with("> "),
        "{out}"
    );
    let (d_in, d_out) = (definitions(md), definitions(&out));
    assert_eq!(d_out.len(), 1, "{out}");
    assert_eq!((&d_out[0].0, &d_out[0].1), (&d_in[0].0, &d_in[0].1));
    assert_eq!(d_out[0].3, d_in[0].3, "{out}");
    let title = d_out[0].2.as_deref().unwrap_or_default();
    assert!(title.contains("casa") && !title.contains("house"), "{out}");
}
