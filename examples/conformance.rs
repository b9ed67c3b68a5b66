//! The format conformance run behind `scripts/conformance`: public test files (fetched by
//! `scripts/fetch-testdata` into `.testdata/`, the Markdown files of the crates in the cargo
//! registry, HTML documentation under `/usr/share/doc`) go through `tarjuman translate` with
//! Apertium (English → Spanish), and per format it prints: files, exit codes, how many keep
//! their structure (Markdown: pulldown-cmark events but the text; XML formats: elements and
//! attributes; PO: `msgfmt -c` accepts the output when it accepts the input), how many come
//! back byte for byte when nothing is translated, and (XLIFF) approved targets overwritten.
//!
//! Usage: `cargo run --release --example conformance -- TARJUMAN_BINARY [LIMIT_PER_FORMAT]`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;
use tarjuman::doc::{self, markdown, Format};

#[derive(Default)]
struct Row {
    files: usize,
    exits: BTreeMap<i32, usize>,
    structure_kept: usize,
    structure_checked: usize,
    exact: usize,
    approved_overwritten: usize,
    /// Files that exit 0 with a warning of their reader (read leniently: an RSS file without
    /// `<channel>`, embedded HTML that cannot be read, kept as it is).
    lenient: usize,
    /// Why files were refused (exit 2): the message without file and line, and how often.
    refusals: BTreeMap<String, usize>,
}

fn files_with(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with(&p, ext, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| ext.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push(p);
        }
    }
}

/// Markdown structure: events but text, titles blanked, shortcut links as full references.
fn md_structure(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut opaque = 0;
    for e in Parser::new_ext(md, markdown::options()) {
        match &e {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => opaque += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                opaque -= 1
            }
            Event::Text(_) | Event::SoftBreak if opaque == 0 => continue,
            // Inline markup whose words an engine moved may be lost (and reported): the block
            // structure, code and HTML are what must stay.
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            )
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::Code(_) => continue,
            _ => {}
        }
        out.push(format!("{e:?}"));
    }
    out
}

fn xml_tags(text: &str) -> Option<Vec<String>> {
    let mut r = Reader::from_str(text.trim_start_matches('\u{feff}'));
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(XmlEvent::Eof) => return Some(out),
            Err(_) => return None,
            Ok(XmlEvent::Start(e)) | Ok(XmlEvent::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // Inline elements of translated text may move or (HTML) be lost and reported;
                // targets, states and languages are what translation writes.
                if matches!(
                    name.as_str(),
                    "target"
                        | "b"
                        | "i"
                        | "em"
                        | "strong"
                        | "a"
                        | "span"
                        | "g"
                        | "x"
                        | "ph"
                        | "pc"
                        | "bx"
                        | "ex"
                        | "mrk"
                        | "sc"
                        | "ec"
                ) {
                    continue;
                }
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .filter(|a| {
                        !matches!(
                            a.key.as_ref(),
                            b"xml:lang"
                                | b"lang"
                                | b"alt"
                                | b"title"
                                | b"state"
                                | b"target-language"
                                | b"trgLang"
                                | b"approved"
                        )
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
                out.push(format!("<{name} {}>", attrs.join(" ")));
            }
            Ok(XmlEvent::End(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if !matches!(
                    name.as_str(),
                    "target"
                        | "b"
                        | "i"
                        | "em"
                        | "strong"
                        | "a"
                        | "span"
                        | "g"
                        | "pc"
                        | "mrk"
                        | "ph"
                ) {
                    out.push(format!("</{name}>"));
                }
            }
            Ok(_) => {}
        }
    }
}

/// Whether `a` and `b` are equal but for the value of an encoding declaration (output is
/// UTF-8 and says so).
fn same_but_declaration(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let strip = |s: &str| -> String {
        let lower = s.to_ascii_lowercase();
        match ["encoding=", "charset="]
            .iter()
            .find_map(|k| lower.find(k).map(|at| at + k.len()))
        {
            Some(at) => {
                let at = at + usize::from(s[at..].starts_with(['"', '\'']));
                let end = s[at..]
                    .find([' ', '?', '>', ';', '\\', '"', '\''])
                    .map_or(s.len(), |e| at + e);
                format!("{}{}", &s[..at], &s[end..])
            }
            None => s.to_string(),
        }
    };
    strip(a) == strip(b)
}

fn msgfmt_ok(path: &Path) -> bool {
    Command::new("msgfmt")
        .args(["-c", "-o", "/dev/null"])
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn xmllint_ok(path: &Path) -> bool {
    Command::new("xmllint")
        .args(["--noout", "--nonet"])
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bin = args
        .get(1)
        .expect("usage: conformance TARJUMAN [LIMIT]")
        .clone();
    let limit: usize = args
        .get(2)
        .and_then(|l| l.parse().ok())
        .unwrap_or(usize::MAX);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join(".testdata");
    let work = tempfile::tempdir().expect("temp dir");

    // Corpora, by format.
    let mut corpora: BTreeMap<&str, Vec<PathBuf>> = BTreeMap::new();
    let spec = std::fs::read_to_string(data.join("commonmark-spec/spec.txt")).unwrap_or_default();
    let fence = "`".repeat(32);
    let mut n = 0;
    let mut md = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line != format!("{fence} example") {
            continue;
        }
        let mut ex = String::new();
        for l in lines.by_ref() {
            if l == "." {
                break;
            }
            ex.push_str(l);
            ex.push('\n');
        }
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
        }
        n += 1;
        let p = work.path().join(format!("spec-{n}.md"));
        std::fs::write(&p, ex.replace('→', "\t")).unwrap();
        md.push(p);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    for index in std::fs::read_dir(cargo_home.join("registry/src"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for krate in std::fs::read_dir(index.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for f in std::fs::read_dir(krate.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if f.path().extension().is_some_and(|e| e == "md") {
                    md.push(f.path());
                }
            }
        }
    }
    corpora.insert("markdown", md);
    let mut feeds = Vec::new();
    for sub in ["wellformed", "encoding"] {
        files_with(
            &data.join("feedparser/tests").join(sub),
            &["xml"],
            &mut feeds,
        );
    }
    corpora.insert("rss/atom", feeds);
    let mut po = Vec::new();
    files_with(&data.join("polib/tests"), &["po"], &mut po);
    files_with(
        Path::new("/usr/share/doc/gawk/examples/data"),
        &["po"],
        &mut po,
    );
    corpora.insert("po", po);
    let mut xlf = Vec::new();
    files_with(&root.join("tests/data/xliff"), &["xlf", "xliff"], &mut xlf);
    // Symfony's catalogues (Debian php-symfony-*): translators' targets in 50-odd languages.
    files_with(&data.join("symfony-xliff"), &["xlf"], &mut xlf);
    corpora.insert("xliff", xlf);
    let mut html = Vec::new();
    files_with(Path::new("/usr/share/doc"), &["html", "htm"], &mut html);
    corpora.insert("html", html);

    println!("| format | files | exit 0 | of which read with a reader warning | exit 1 | exit 2 | structure kept | untranslated byte for byte | translators' targets overwritten |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, mut files) in corpora {
        files.sort();
        let mut row = Row::default();
        for (i, path) in files.iter().enumerate() {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            // Pages over 200 KB (the Node.js manual) are the scaling work's.
            if bytes.len() > 200 << 10 {
                continue;
            }
            let origin = path.display().to_string();
            let Ok(text) = doc::decode(&origin, bytes) else {
                continue;
            };
            let format = Format::from_path(path)
                .or_else(|| Format::sniff(&text))
                .unwrap_or(Format::Text);
            // Feeds: only those that are feeds and well-formed XML.
            if name == "rss/atom"
                && (!matches!(format, Format::Rss | Format::Atom) || !xmllint_ok(path))
            {
                continue;
            }
            if name == "po" && !msgfmt_ok(path) {
                continue;
            }
            if row.files >= limit {
                break;
            }
            row.files += 1;
            if let Ok(d) = doc::parse(format, &origin, &text) {
                row.exact += usize::from(same_but_declaration(&doc::render(&d), &text));
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            let out = work
                .path()
                .join(format!("out-{name}-{i}.{ext}").replace('/', "_"));
            let run = Command::new(&bin)
                .args(["translate"])
                .arg(path)
                .args(["--backend", "apertium", "--from", "en", "--to", "es", "-o"])
                .arg(&out)
                .output();
            let status = run.as_ref().map_or(-1, |o| o.status.code().unwrap_or(-1));
            if status == 0 {
                let err = run
                    .as_ref()
                    .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                    .unwrap_or_default();
                row.lenient += usize::from(err.contains(&format!(": warning[{format}]: ")));
            }
            if status == 2 {
                let err = run
                    .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                    .unwrap_or_default();
                let why = err
                    .lines()
                    .next()
                    .and_then(|l| l.splitn(4, ':').nth(3))
                    .unwrap_or(&err)
                    .trim()
                    .chars()
                    .take(70)
                    .collect::<String>();
                *row.refusals.entry(why).or_default() += 1;
            }
            *row.exits.entry(status).or_default() += 1;
            let Ok(result) = std::fs::read_to_string(&out) else {
                continue;
            };
            row.structure_checked += 1;
            let kept = match format {
                Format::Markdown => md_structure(&text) == md_structure(&result),
                Format::Po => msgfmt_ok(&out),
                Format::Rss | Format::Atom | Format::Xliff => {
                    xmllint_ok(&out)
                        && xml_tags(&text).is_some()
                        && xml_tags(&text) == xml_tags(&result)
                }
                _ => xml_tags(&text).is_none() || xml_tags(&text) == xml_tags(&result),
            };
            row.structure_kept += usize::from(kept);
            if format == Format::Xliff {
                for unit in text.split("<trans-unit").skip(1) {
                    // Human work: approved, or a target whose state does not say that
                    // nobody translated it yet.
                    let unit_text = unit.split("</trans-unit>").next().unwrap_or_default();
                    let has_target = unit_text.contains("<target")
                        && !unit_text.contains("<target/>")
                        && !unit_text.contains("<target></target>");
                    let untouched_state = ["state=\"new\"", "state=\"needs-translation\""]
                        .iter()
                        .all(|st| !unit_text.contains(st));
                    if unit.contains("approved=\"yes\"") || (has_target && untouched_state) {
                        let id = unit.split('"').nth(1).unwrap_or_default();
                        let before = unit.split("</trans-unit>").next().unwrap_or_default();
                        let after = result
                            .split("<trans-unit")
                            .find(|u| u.split('"').nth(1) == Some(id))
                            .and_then(|u| u.split("</trans-unit>").next())
                            .unwrap_or_default();
                        row.approved_overwritten += usize::from(before != after);
                    }
                }
            }
        }
        let e = |c: i32| row.exits.get(&c).copied().unwrap_or(0);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {}/{} | {}/{} | {} |",
            row.files,
            e(0),
            row.lenient,
            e(1),
            e(2),
            row.structure_kept,
            row.structure_checked,
            row.exact,
            row.files,
            row.approved_overwritten
        );
        for (why, n) in &row.refusals {
            eprintln!("{name}: exit 2 ×{n}: {why}");
        }
    }
}
