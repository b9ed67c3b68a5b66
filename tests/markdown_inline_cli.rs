//! Markdown inline markup through the engines: links (inline, reference, shortcut, autolinks),
//! emphasis, strong, strikethrough, images and inline code come out of `tarjuman translate` as
//! many as went in — counted by pulldown-cmark on input and output — every link and image to
//! the same destination, every inline code byte for byte, every link that had words with
//! words. Through Apertium (en→es) on the READMEs of the crates in `Cargo.lock` (in the cargo
//! registry), and through the shared CTranslate2 model (ar→en) on a page of names whose
//! renderings alone are known. The glossary keeps markup too (`**Dusambé**` →
//! `**Dushanbe**`).
//!
//! `TARJUMAN_SURVEY=all` runs every README of the registry's crates instead of the richest
//! ones and prints the totals (the figures in BENCHMARKS.md).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{apertium, aren_model, has_ct2, run, stderr, stdout, strict};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use tarjuman::doc::markdown;

/// What the inline markup of a Markdown document is, less its words.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Census {
    /// Link destinations (autolinks apart), sorted.
    links: Vec<String>,
    /// Autolink destinations, sorted.
    autolinks: Vec<String>,
    /// Image destinations, sorted.
    images: Vec<String>,
    /// Inline code, sorted.
    code: Vec<String>,
    /// Emphasis, strong, strikethrough, inline HTML counts (by name).
    counts: BTreeMap<&'static str, usize>,
    /// Links (by destination) that hold no text and no image.
    empty_links: Vec<String>,
}

impl Census {
    fn of(md: &str) -> Census {
        let mut c = Census::default();
        // Open links: destination, whether something is inside.
        let mut open: Vec<(String, bool)> = Vec::new();
        let mut image_depth = 0usize;
        for e in Parser::new_ext(md, markdown::options()) {
            match e {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                        c.autolinks.push(dest_url.to_string());
                    } else {
                        c.links.push(dest_url.to_string());
                    }
                    open.push((dest_url.to_string(), false));
                }
                Event::End(TagEnd::Link) => {
                    if let Some((dest, full)) = open.pop() {
                        if !full {
                            c.empty_links.push(dest);
                        }
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    c.images.push(dest_url.to_string());
                    open.iter_mut().for_each(|l| l.1 = true);
                    image_depth += 1;
                }
                Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                Event::Text(t) if !t.trim().is_empty() => open.iter_mut().for_each(|l| l.1 = true),
                Event::Code(code) => {
                    c.code.push(code.to_string());
                    open.iter_mut().for_each(|l| l.1 = true);
                }
                Event::Start(Tag::Emphasis) => *c.counts.entry("emphasis").or_default() += 1,
                Event::Start(Tag::Strong) => *c.counts.entry("strong").or_default() += 1,
                Event::Start(Tag::Strikethrough) => {
                    *c.counts.entry("strikethrough").or_default() += 1
                }
                Event::InlineHtml(_) => *c.counts.entry("inline html").or_default() += 1,
                Event::FootnoteReference(_) => {
                    *c.counts.entry("footnote reference").or_default() += 1
                }
                _ => {}
            }
        }
        c.links.sort();
        c.autolinks.sort();
        c.images.sort();
        c.code.sort();
        c.empty_links.sort();
        c
    }

    fn total(&self) -> usize {
        self.links.len()
            + self.autolinks.len()
            + self.images.len()
            + self.code.len()
            + self.counts.values().sum::<usize>()
    }
}

/// Totals of a set of files: elements in and out by kind, and what differs.
#[derive(Debug, Default)]
struct Totals {
    files: usize,
    inn: BTreeMap<String, usize>,
    out: BTreeMap<String, usize>,
    differ: Vec<String>,
    empty_links_new: usize,
    moved: usize,
}

impl Totals {
    fn add(&mut self, name: &str, a: &Census, b: &Census, moved: usize) {
        self.files += 1;
        self.moved += moved;
        for (which, c) in [(&mut self.inn, a), (&mut self.out, b)] {
            *which.entry("links".into()).or_default() += c.links.len();
            *which.entry("autolinks".into()).or_default() += c.autolinks.len();
            *which.entry("images".into()).or_default() += c.images.len();
            *which.entry("inline code".into()).or_default() += c.code.len();
            for (k, v) in &c.counts {
                *which.entry(k.to_string()).or_default() += v;
            }
        }
        let new_empty = b.empty_links.len().saturating_sub(a.empty_links.len());
        self.empty_links_new += new_empty;
        let same = Census {
            empty_links: Vec::new(),
            ..a.clone()
        } == Census {
            empty_links: Vec::new(),
            ..b.clone()
        };
        if !same || new_empty > 0 {
            let mut what = Vec::new();
            if a.links != b.links {
                what.push(format!("links {:?} → {:?}", a.links, b.links));
            }
            if a.autolinks != b.autolinks {
                what.push(format!("autolinks {:?} → {:?}", a.autolinks, b.autolinks));
            }
            if a.images != b.images {
                what.push(format!("images {:?} → {:?}", a.images, b.images));
            }
            if a.code != b.code {
                let lost: Vec<&String> = a.code.iter().filter(|c| !b.code.contains(c)).collect();
                let new: Vec<&String> = b.code.iter().filter(|c| !a.code.contains(c)).collect();
                what.push(format!("code {lost:?} → {new:?}"));
            }
            if a.counts != b.counts {
                what.push(format!("counts {:?} → {:?}", a.counts, b.counts));
            }
            if new_empty > 0 {
                what.push(format!("links without text {:?}", b.empty_links));
            }
            self.differ.push(format!("{name}: {}", what.join("; ")));
        }
    }

    fn print(&self, what: &str) {
        for d in &self.differ {
            eprintln!("{d}");
        }
        let counts: Vec<String> = self
            .inn
            .iter()
            .map(|(k, v)| format!("{k} {v} → {}", self.out.get(k).copied().unwrap_or(0)))
            .collect();
        eprintln!(
            "{what}: {} files, {} with a difference; {}; links left without text {}; inline-moved {}",
            self.files,
            self.differ.len(),
            counts.join(", "),
            self.empty_links_new,
            self.moved
        );
    }
}

/// The READMEs of the crates `Cargo.lock` names, as the cargo registry holds them.
fn crate_readmes() -> Vec<PathBuf> {
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("Cargo.lock");
    let mut crates = Vec::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let Some(v) = line.strip_prefix("version = ") {
            if let Some(n) = name.take() {
                crates.push(format!("{n}-{}", v.trim_matches('"')));
            }
        }
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry/src")) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for index in std::fs::read_dir(src).into_iter().flatten().flatten() {
        for c in &crates {
            let p = index.path().join(c).join("README.md");
            if p.is_file() {
                files.push(p);
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Translates `input` with `engine` into `dir`; the output and how many `inline-moved` infos
/// were reported. Fails on `inline-lost` or an exit other than 0/1.
fn translate(input: &Path, dir: &Path, engine: &[&str]) -> (String, usize) {
    let name = input
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "x".into());
    let output = dir.join(format!("{name}.md"));
    let mut args = vec![
        "translate",
        input.to_str().expect("utf-8"),
        "--format",
        "markdown",
        "-o",
        output.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(engine);
    let out = run(&args, b"");
    let err = stderr(&out);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {err}",
        input.display()
    );
    assert!(!err.contains("inline-lost"), "{err}");
    let text = std::fs::read_to_string(&output).expect("output written");
    (text, err.matches("info[inline-moved]").count())
}

const APERTIUM_EN_ES: &[&str] = &["--backend", "apertium", "--from", "en", "--to", "es"];

#[test]
fn apertium_keeps_every_link_image_emphasis_and_code_of_crate_readmes() {
    if !apertium("eng-spa") {
        return;
    }
    let mut files = crate_readmes();
    assert!(
        files.len() >= 40 || !strict(),
        "only {} crate READMEs in the cargo registry",
        files.len()
    );
    let survey = std::env::var("TARJUMAN_SURVEY").is_ok_and(|v| v == "all");
    let mut sources: Vec<(PathBuf, String, Census)> = files
        .drain(..)
        .filter_map(|p| {
            let md = std::fs::read_to_string(&p).ok()?;
            let c = Census::of(&md);
            Some((p, md, c))
        })
        .collect();
    if !survey {
        // The richest READMEs (by inline elements per byte, enough of them to matter), so
        // that the suite stays fast.
        sources.retain(|(_, md, c)| c.total() >= 15 && md.len() <= 40_000);
        sources.sort_by(|a, b| {
            let density = |(_, md, c): &(PathBuf, String, Census)| c.total() * 1000 / md.len();
            density(b).cmp(&density(a)).then(a.0.cmp(&b.0))
        });
        sources.truncate(16);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let results = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((path, _, census)) = sources.get(i) else {
                    break;
                };
                let sub = dir.path().join(i.to_string());
                std::fs::create_dir_all(&sub).expect("dir");
                let (out, moved) = translate(path, &sub, APERTIUM_EN_ES);
                let after = Census::of(&out);
                results
                    .lock()
                    .expect("lock")
                    .push((i, path.clone(), census.clone(), after, moved));
            });
        }
    });
    let mut results = results.into_inner().expect("lock");
    results.sort_by_key(|r| r.0);
    let mut t = Totals::default();
    for (_, path, a, b, moved) in &results {
        t.add(&path.display().to_string(), a, b, *moved);
    }
    t.print("crate READMEs through Apertium en→es");
    assert!(t.files > 0 || !strict());
    assert!(t.differ.is_empty(), "{:#?}", t.differ);
}

#[test]
fn apertium_markdown_inline_kinds_and_glossary() {
    if !apertium("spa-eng") {
        return;
    }
    let md = "# El `tarjuman` informa\n\n\
        El **presidente** de [Tayikistán](https://example.org/tj \"El país\") recibió a \
        *Tokáyev* en **Dusambé**. Ver [la página][web] o <https://example.org/x>, y ~~nada~~ \
        más. La casa![casa](c.png) roja es `muy grande` y el perro [![foto](p.png)](/perro) \
        come carne.\n\n\
        - Ejecute `cargo build --release` para [compilar][] el *programa*.\n\
        - El gato <kbd>Ctrl</kbd> negro [Dusambé](/d) y `Dusambé`.\n\n\
        [web]: https://example.org/web\n[compilar]: https://example.org/c\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in").join("doc.md");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::write(&input, md).expect("write");
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/news-names.es-en.tsv");
    let mut engine = vec!["--backend", "apertium", "--from", "es", "--to", "en"];
    engine.extend(["--glossary", glossary.to_str().expect("utf-8")]);
    let (out, _) = translate(&input, dir.path(), &engine);
    let (a, b) = (Census::of(md), Census::of(&out));
    assert_eq!(a, b, "{out}");
    for kept in [
        "**Dushanbe**",
        "*Tokayev*",
        "[Dushanbe](/d)",
        // Code is never translated, nor touched by the glossary.
        "`tarjuman`",
        "`muy grande`",
        "`cargo build --release`",
        "`Dusambé`",
        "<kbd>Ctrl</kbd>",
        "<https://example.org/x>",
        "[![photo](p.png)](/perro)",
        "](https://example.org/tj \"The country\")",
        "**president**",
    ] {
        assert!(out.contains(kept), "{kept} missing:\n{out}");
    }
}

// ---- The shared CTranslate2 model (Arabic-script names → Latin letters) ----

const NAMES: &[&str] = &[
    "آتزمون",
    "توكاييف",
    "رحمون",
    "بوتين",
    "ميرزيوييف",
    "نزارباييف",
    "جباروف",
    "ماكرون",
    "علييف",
    "أردوغان",
];

fn ct2_args(model: &Path) -> Vec<String> {
    [
        "--model",
        model.to_str().expect("utf-8"),
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Every name of [`NAMES`] translated alone.
fn renderings(engine: &[&str], dir: &Path) -> Vec<String> {
    let jsonl: String = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{{\"id\":{i},\"text\":\"{n}\"}}\n"))
        .collect();
    let input = dir.join("names.jsonl");
    std::fs::write(&input, jsonl).expect("write");
    let mut args = vec![
        "translate",
        input.to_str().expect("utf-8"),
        "--format",
        "jsonl",
    ];
    args.extend_from_slice(engine);
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    common::json_lines(&stdout(&out))
        .iter()
        .map(|v| v["translation"].as_str().expect("translated").to_string())
        .collect()
}

#[test]
fn ct2_puts_markdown_markup_around_the_renderings_of_its_names() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = ct2_args(&model);
    let engine: Vec<&str> = engine.iter().map(String::as_str).collect();
    let alone = renderings(&engine, dir.path());
    let n = |i: usize| NAMES[i];
    let md = format!(
        "# {} `ZQX1 code`\n\n\
         {} [{}](https://example.org/a \"{}\") **{} *{}*** {}![{}](i.png) `npm i x` {} \
         [{}][ref] <https://example.org/auto> ~~{}~~ [![{}](p.png)](/p).\n\n\
         [ref]: https://example.org/ref\n",
        n(0),
        n(0),
        n(1),
        n(1),
        n(2),
        n(3),
        n(4),
        n(5),
        n(6),
        n(7),
        n(8),
        n(9),
    );
    let input = dir.path().join("in").join("names.md");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::write(&input, &md).expect("write");
    let (out, moved) = translate(&input, dir.path(), &engine);
    assert_eq!(Census::of(&md), Census::of(&out), "{out}");
    assert_eq!(moved, 0, "{out}");
    for kept in [
        format!("# {} `ZQX1 code`", alone[0]),
        format!("[{}](https://example.org/a \"{}\")", alone[1], alone[1]),
        format!("**{} *{}***", alone[2], alone[3]),
        // An image's text glued to a word is no part of it: a blank keeps them apart.
        format!("{} ![{}](i.png) `npm i x` {}", alone[4], alone[5], alone[6]),
        format!("[{}][ref]", alone[7]),
        format!("~~{}~~", alone[8]),
        format!("[![{}](p.png)](/p)", alone[9]),
        "<https://example.org/auto>".to_string(),
    ] {
        assert!(out.contains(&kept), "{kept} missing:\n{out}");
    }
}
