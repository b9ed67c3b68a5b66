//! Other projects' HTML through Apertium (en→es): Debian's packaged documentation (libxslt's
//! HTML manual, installed by `scripts/setup-debian` with `libxslt1-dev`) and feedparser's Atom
//! feeds whose text constructs are `type="xhtml"` (`scripts/fetch-testdata`). Every output
//! keeps its `<a href>` links (each with text where it had text), its image links
//! (`<a …><img …></a>`), has no end tag that closes nothing beyond the input's, and is no less
//! well-formed than the input (`xmllint --html` error count; XML feeds must stay well-formed).
//!
//! `TARJUMAN_SURVEY=all` takes every page of the manual instead of the first ones by name and
//! prints the totals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{apertium, run, stderr, strict};

/// What the markup of an HTML page holds that translation must keep.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Census {
    /// `<a>` start tags with an `href`.
    links: usize,
    /// `<a …>` whose content is only an `<img …>`.
    image_links: usize,
    /// End tags of inline elements that close no open element.
    stray: usize,
    /// Links with an `href` that hold neither text nor an element with no text (an image).
    empty_links: usize,
}

const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "tt",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The census of `html`, read by a small tokenizer (tags, comments, text; `script` and
/// `style` contents skipped).
fn census(html: &str) -> Census {
    let mut c = Census::default();
    // Open elements: name, holds something, is a link with href.
    let mut stack: Vec<(String, bool, bool)> = Vec::new();
    // A link just opened whose content so far is only an image: (depth, seen image).
    let mut image_link: Option<(usize, bool)> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if !text.trim().is_empty() {
            stack.iter_mut().for_each(|e| e.1 = true);
            image_link = None;
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if closing {
            if let Some((depth, seen)) = image_link.take() {
                if name == "a" && seen && stack.len() == depth {
                    c.image_links += 1;
                }
            }
            match stack.iter().rposition(|e| e.0 == name) {
                Some(i) => {
                    for e in &stack[i..] {
                        if e.2 && !e.1 {
                            c.empty_links += 1;
                        }
                    }
                    stack.truncate(i);
                }
                None if INLINE.contains(&name.as_str()) => c.stray += 1,
                None => {}
            }
            continue;
        }
        let empty = tag.ends_with('/') || VOID.contains(&name.as_str());
        if empty {
            stack.iter_mut().for_each(|e| e.1 = true);
            image_link = match image_link {
                Some((d, false)) if name == "img" && stack.len() == d => Some((d, true)),
                _ => None,
            };
            continue;
        }
        image_link = None;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = rest
                .to_ascii_lowercase()
                .find(&close)
                .map_or("", |e| &rest[e..]);
            continue;
        }
        let href = name == "a" && tag.contains("href");
        if href {
            c.links += 1;
        }
        stack.push((name.clone(), false, href));
        if name == "a" {
            image_link = Some((stack.len(), false));
        }
    }
    c
}

/// How many errors `xmllint` (`--html` unless `xml`) finds in `path`.
fn xmllint_errors(path: &Path, xml: bool) -> usize {
    let mut cmd = Command::new("xmllint");
    cmd.arg("--noout");
    if !xml {
        cmd.arg("--html");
    }
    let out = cmd.arg(path).output().expect("xmllint runs");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(": ") && l.to_ascii_lowercase().contains("error"))
        .count()
}

fn xmllint_available() -> bool {
    let ok = Command::new("xmllint").arg("--version").output().is_ok();
    if !ok {
        assert!(!strict(), "xmllint is required (TARJUMAN_REQUIRE_SHARED=1)");
        eprintln!("notice: skipping: xmllint is not installed");
    }
    ok
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

/// Translates every file (each a whole process, two at a time) and compares; returns the
/// per-file differences and the totals line.
fn survey(files: &[PathBuf], format: &str, xml: bool) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let found = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let out_path = dir.path().join(format!("{i}.{format}"));
                let args = [
                    "translate",
                    path.to_str().expect("utf-8"),
                    "--format",
                    format,
                    "--backend",
                    "apertium",
                    "--from",
                    "en",
                    "--to",
                    "es",
                    "-o",
                    out_path.to_str().expect("utf-8"),
                ];
                let out = run(&args, b"");
                let src = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
                let result = if matches!(out.status.code(), Some(0 | 1)) {
                    let dst = std::fs::read_to_string(&out_path).expect("output");
                    let new_errors =
                        xmllint_errors(&out_path, xml).saturating_sub(xmllint_errors(path, xml));
                    Ok((census(&src), census(&dst), new_errors))
                } else {
                    Err(stderr(&out))
                };
                found.lock().expect("lock").push((i, path.clone(), result));
            });
        }
    });
    let mut found = found.into_inner().expect("lock");
    found.sort_by_key(|f| f.0);
    let mut differ = Vec::new();
    let (mut links, mut image_links, mut stray_new, mut empty_new, mut wf_new) =
        ((0, 0), (0, 0), 0, 0, 0);
    let mut refused = 0;
    for (_, path, result) in &found {
        match result {
            // A page in another encoding that does not say so is refused (exit 2), by design
            // of the reader: not this test's business.
            Err(e) if e.contains("is not valid UTF-8") => refused += 1,
            Err(e) => differ.push(format!("{}: failed: {e}", path.display())),
            Ok((a, b, new_errors)) => {
                links.0 += a.links;
                links.1 += b.links;
                image_links.0 += a.image_links;
                image_links.1 += b.image_links;
                stray_new += b.stray.saturating_sub(a.stray);
                empty_new += b.empty_links.saturating_sub(a.empty_links);
                wf_new += new_errors;
                if a.links != b.links
                    || a.image_links != b.image_links
                    || b.stray > a.stray
                    || b.empty_links > a.empty_links
                    || *new_errors > 0
                {
                    differ.push(format!(
                        "{}: {a:?} → {b:?}, new xmllint errors {new_errors}",
                        path.display()
                    ));
                }
            }
        }
    }
    let totals = format!(
        "{} files ({refused} refused: not UTF-8, no encoding declared): links {} → {}, image links {} → {}, new stray end tags {stray_new}, new links without text {empty_new}, new xmllint errors {wf_new}, files with a difference {}",
        found.len(),
        links.0,
        links.1,
        image_links.0,
        image_links.1,
        differ.len()
    );
    (differ, totals)
}

#[test]
fn census_counts_links_image_links_and_stray_end_tags() {
    let c = census(
        "<p>A <a href=\"/x\">link</a> and <a href=\"/i\"> <img src=\"i.png\"/> </a> and \
         <a href=\"/e\"></a></em><!-- </b> --><script>if (a < b) {}</script></p>",
    );
    assert_eq!(
        c,
        Census {
            links: 3,
            image_links: 1,
            stray: 1,
            empty_links: 1
        }
    );
}

#[test]
fn debian_html_manual_keeps_links_image_links_and_its_tree() {
    if !apertium("eng-spa") || !xmllint_available() {
        return;
    }
    let root = Path::new("/usr/share/doc/libxslt1-dev/html");
    if !root.is_dir() {
        assert!(
            !strict(),
            "{} is required (scripts/setup-debian installs libxslt1-dev)",
            root.display()
        );
        eprintln!("notice: skipping: {} not found", root.display());
        return;
    }
    let mut pages = Vec::new();
    files(root, "html", &mut pages);
    pages.sort();

    if std::env::var("TARJUMAN_SURVEY").is_ok_and(|v| v == "all") {
        eprintln!("surveying all {} pages", pages.len());
    } else {
        // Pages of the manual with image links, small enough to keep the suite fast.
        pages.retain(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|s| s.len() <= 12_000 && census(&s).image_links > 0)
        });
        pages.truncate(14);
    }
    assert!(pages.len() >= 10 || !strict(), "{} pages", pages.len());
    let (differ, totals) = survey(&pages, "html", false);
    eprintln!("libxslt HTML manual through Apertium en→es: {totals}");
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn atom_xhtml_text_constructs_keep_their_links() {
    if !apertium("eng-spa") || !xmllint_available() {
        return;
    }
    let dir = std::env::var_os("TARJUMAN_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".testdata"))
        .join("feedparser/tests");
    let mut feeds = Vec::new();
    files(&dir, "xml", &mut feeds);
    feeds.retain(|p| {
        let s = String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
        s.contains("type=\"xhtml\"") && s.contains("http://www.w3.org/2005/Atom")
    });
    // Only feeds that are well-formed XML: the others are refused, by design.
    feeds.retain(|p| xmllint_errors(p, true) == 0);
    feeds.sort();
    if feeds.is_empty() {
        assert!(
            !strict(),
            "feedparser's tests are required (scripts/fetch-testdata)"
        );
        eprintln!("notice: skipping: no feedparser test feeds");
        return;
    }
    let (differ, totals) = survey(&feeds, "atom", true);
    eprintln!("feedparser Atom feeds with XHTML text constructs: {totals}");
    assert!(differ.is_empty(), "{differ:#?}");
}
