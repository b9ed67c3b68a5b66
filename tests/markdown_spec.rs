//! The Markdown reader and writer against files we did not write: every example of the
//! CommonMark spec (npm package `commonmark-spec`, fetched by `scripts/fetch-testdata`) and
//! our own news files. Each document is read, segmented, "translated" (letters rotated by 13,
//! so every word changes but punctuation, word count and code stay; blanks collapsed as the
//! pipeline collapses them before any engine, line breaks included) and written back; parsed
//! again with pulldown-cmark, the output must have the same structure as the input — every
//! event but the words of text the same (code, HTML, link destinations, lists, tables…) —
//! and an untranslated document must come out byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::markdown_events::without_link_text;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use tarjuman::doc::{self, markdown, Format, InlineKind};
use tarjuman::pipeline::normalise_space;
use tarjuman::segment::Segmenter;

/// `.testdata/` (or `TARJUMAN_TESTDATA`), where `scripts/fetch-testdata` puts public test
/// data; `None` after a skip notice (a failure in strict mode) when `rel` is not there.
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

/// The examples of the CommonMark spec: (number, Markdown).
fn spec_examples(spec: &str) -> Vec<(usize, String)> {
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
        out.push((out.len() + 1, md.replace('→', "\t")));
    }
    out
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

/// How the test translates a segment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    /// Letters rotated by 13 outside inline code: every word changes, punctuation stays.
    Rot13,
    /// The text with ` ¡` after it: the words stay, so inline markup finds them again.
    Marked,
}

/// Reads, segments, translates and writes `md`; also whether a zero-width inline element (an
/// HTML tag or comment, a footnote reference) lies inside a translated segment, where its
/// place is a guess. A hard line break is no guess: it follows the word it followed.
fn translate(md: &str, engine: Engine) -> Option<(String, bool)> {
    let mut d = doc::parse(Format::Markdown, "spec.md", md).ok()?;
    Segmenter::default().segment_document(&mut d);
    let mut guessed = false;
    for b in &mut d.blocks {
        let codes: Vec<std::ops::Range<usize>> = b
            .inlines
            .iter()
            .filter(|i| matches!(i.kind, InlineKind::Code { .. }))
            .map(|i| i.span.clone())
            .collect();
        for s in &mut b.segments {
            // Zero-width elements inside, and elements whose words occur twice in the
            // segment, are put back by a guess (the placement is the inline-markup work's).
            guessed |= b.inlines.iter().any(|i| {
                let inside = s.span.start <= i.span.start && i.span.end <= s.span.end;
                let words = &b.text[i.span.clone()];
                let hard_break = matches!(&i.kind, InlineKind::Tag { name, open, .. }
                    if name == "br" && !open.starts_with('<'));
                (i.span.is_empty()
                    && !hard_break
                    && s.span.start < i.span.start
                    && i.span.start < s.span.end)
                    || (inside && !words.is_empty() && s.text.matches(words).count() > 1)
            });
            let tr = match engine {
                Engine::Marked => format!("{} ¡", normalise_space(&s.text)),
                Engine::Rot13 => s
                    .text
                    .char_indices()
                    .map(|(i, c)| {
                        if codes.iter().any(|r| r.contains(&(s.span.start + i))) {
                            c.to_string()
                        } else {
                            rot13(&c.to_string())
                        }
                    })
                    .collect(),
            };
            s.translation = Some(normalise_space(&tr));
        }
    }
    Some((doc::render(&d), guessed))
}

/// The events of `md` without its text (and line breaks inside it), link and image titles
/// blanked (they are translated); everything inside code blocks, HTML blocks and front matter
/// is kept exactly. With `blocks_only`, inline markup around words (emphasis, links, images,
/// inline HTML, footnote references) is left out too, and inline code is listed, sorted, at
/// the end (a translation may move it).
fn structure(md: &str, blocks_only: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut codes: Vec<String> = Vec::new();
    let mut opaque = 0;
    for e in Parser::new_ext(md, markdown::options()) {
        let inline_markup = matches!(
            e,
            Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            ) | Event::End(
                TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Superscript
                    | TagEnd::Subscript
                    | TagEnd::Link
                    | TagEnd::Image
            ) | Event::InlineHtml(_)
                | Event::FootnoteReference(_)
        );
        let e = match e {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                opaque += 1;
                e
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                opaque -= 1;
                e
            }
            Event::Text(_) | Event::SoftBreak if opaque == 0 => continue,
            _ if blocks_only && inline_markup => continue,
            Event::Code(c) if blocks_only => {
                codes.push(c.to_string());
                continue;
            }
            other => without_link_text(other),
        };
        out.push(format!("{e:?}"));
    }
    codes.sort();
    out.extend(codes.into_iter().map(|c| format!("Code({c:?})")));
    out
}

/// Failures of one file, by kind: untranslated round trip, block structure after Rot13,
/// whole structure after Marked (unless a zero-width element's place was guessed: counted
/// in `guessed`).
#[derive(Default)]
struct Failures {
    exact: Vec<String>,
    blocks: Vec<String>,
    inline: Vec<String>,
    /// Files whose block structure (or inline structure) changed where a place was guessed.
    guessed_blocks: usize,
    guessed: usize,
}

fn diff(name: &str, md: &str, out: &str, a: &[String], b: &[String]) -> Option<String> {
    if a == b {
        return None;
    }
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    Some(format!(
        "{name}: structure changed at event {at}: {:?} became {:?}\n--- input\n{md}--- output\n{out}",
        a.get(at),
        b.get(at)
    ))
}

fn check_file(name: &str, md: &str, f: &mut Failures) {
    let Ok(d) = doc::parse(Format::Markdown, name, md) else {
        return; // empty input
    };
    if doc::render(&d) != md {
        f.exact
            .push(format!("{name}: untranslated round trip is not exact"));
        return;
    }
    if let Some((out, guessed)) = translate(md, Engine::Rot13) {
        let e = diff(name, md, &out, &structure(md, true), &structure(&out, true));
        match e {
            Some(_) if guessed => f.guessed_blocks += 1,
            e => f.blocks.extend(e),
        }
    }
    if let Some((out, guessed)) = translate(md, Engine::Marked) {
        let e = diff(
            name,
            md,
            &out,
            &structure(md, false),
            &structure(&out, false),
        );
        match e {
            Some(_) if guessed => f.guessed += 1,
            e => f.inline.extend(e),
        }
    }
}

#[test]
fn commonmark_spec_examples_keep_their_structure() {
    let Some(path) = testdata("commonmark-spec/spec.txt") else {
        return;
    };
    let spec = std::fs::read_to_string(path).expect("reads the spec");
    let examples = spec_examples(&spec);
    assert!(examples.len() > 600, "{} examples", examples.len());
    let mut f = Failures::default();
    for (n, md) in &examples {
        check_file(&format!("example {n}"), md, &mut f);
    }
    // The spec itself is a Markdown document of ten thousand lines.
    check_file("spec.txt", &spec, &mut f);
    for e in f.exact.iter().chain(&f.blocks).chain(&f.inline) {
        eprintln!("{e}\n");
    }
    eprintln!(
        "{} files: {} not exact, {} block structure changed, {} inline structure changed; with a guessed place: {} blocks, {} inline",
        examples.len() + 1,
        f.exact.len(),
        f.blocks.len(),
        f.inline.len(),
        f.guessed_blocks,
        f.guessed
    );
    assert!(f.exact.is_empty() && f.blocks.is_empty() && f.inline.is_empty());
}

#[test]
fn news_files_keep_their_structure() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut f = Failures::default();
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("examples/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let md = std::fs::read_to_string(&path).expect("reads");
            check_file(&path.display().to_string(), &md, &mut f);
            n += 1;
        }
    }
    assert!(n > 0);
    let all: Vec<&String> = f.exact.iter().chain(&f.blocks).chain(&f.inline).collect();
    assert!(
        all.is_empty() && f.guessed == 0 && f.guessed_blocks == 0,
        "{all:?}"
    );
}

/// The `name-version` directory names of the packages in the workspace's `Cargo.lock`.
fn locked_crates() -> std::collections::HashSet<String> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .unwrap_or_default();
    let mut out = std::collections::HashSet::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|r| r.trim().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_string())
            })
        };
        if let (Some(name), Some(version)) = (field("name "), field("version ")) {
            out.insert(format!("{name}-{version}"));
        }
    }
    out
}

/// The Markdown files (READMEs, change logs…) of the crates in `Cargo.lock` that cargo
/// downloaded to build tarjuman: real documents written by many hands, the same set on every
/// machine (other crates in the registry are left out).
fn crate_markdown_files() -> Vec<PathBuf> {
    let locked = locked_crates();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut files = Vec::new();
    let Some(src) = home.map(|h| h.join("registry/src")) else {
        return files;
    };
    for index in std::fs::read_dir(src).into_iter().flatten().flatten() {
        for krate in std::fs::read_dir(index.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if !locked.contains(krate.file_name().to_string_lossy().as_ref()) {
                continue;
            }
            for f in std::fs::read_dir(krate.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn crate_readmes_keep_their_structure() {
    let files = crate_markdown_files();
    assert!(
        files.len() >= 50 || !common::strict(),
        "only {} Markdown files in the cargo registry",
        files.len()
    );
    let mut f = Failures::default();
    for p in &files {
        let Ok(md) = std::fs::read_to_string(p) else {
            continue;
        };
        check_file(&p.display().to_string(), &md, &mut f);
    }
    for e in f.exact.iter().chain(&f.blocks).chain(&f.inline) {
        eprintln!("{e}\n");
    }
    eprintln!(
        "{} files: {} not exact, {} block structure changed, {} inline structure changed; with a guessed place: {} blocks, {} inline",
        files.len(),
        f.exact.len(),
        f.blocks.len(),
        f.inline.len(),
        f.guessed_blocks,
        f.guessed
    );
    assert!(f.exact.is_empty() && f.blocks.is_empty() && f.inline.is_empty());
}
