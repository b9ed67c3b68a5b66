//! Bulk feeds: which inputs a `feed` run has (feed files, directories, http(s) URLs, list
//! files), fetching and parsing them, naming their outputs, and the per-item report.
//!
//! The run itself (concurrent fetch/parse workers feeding one batched translation stage) is in
//! `cli::feed`; resuming after a crash rests on the translation memory (every finished batch is
//! committed there) and on writing each output atomically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::doc::{self, Document, Format, SegmentStatus};
use crate::error::{Error, Result};
use crate::qa::{BlockFinding, Finding, Severity};

/// Largest feed fetched over HTTP, in bytes.
pub const MAX_BYTES: u64 = 32 << 20;

/// Where a feed comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// An http(s) URL.
    Url(String),
    /// Standard input (`-`), read once.
    Stdin(std::sync::Arc<[u8]>),
}

impl Source {
    /// The name used in messages and reports.
    pub fn origin(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Url(u) => u.clone(),
            Source::Stdin(_) => "<stdin>".into(),
        }
    }

    /// What makes two sources the same feed: a file's canonical path, a URL as written.
    fn identity(&self) -> String {
        match self {
            Source::File(p) => std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
            Source::Url(u) => u.clone(),
            Source::Stdin(_) => "-".into(),
        }
    }
}

/// One feed of a run: where it comes from and where its translation goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The source.
    pub source: Source,
    /// The output file name (unique within the run).
    pub name: String,
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Feed files in a directory: `.xml`, `.rss`, `.atom` (sorted by name).
fn feeds_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let err = |source| Error::Io {
        origin: dir.display().to_string(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(e.to_ascii_lowercase().as_str(), "xml" | "rss" | "atom")
                })
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The feeds of a run.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    /// Each feed once, in the order first named.
    pub inputs: Vec<Input>,
    /// Feeds named more than once (by a list file, a directory or the command line): fetched
    /// and translated once, for a note.
    pub duplicates: Vec<String>,
}

/// Expands the command-line inputs into feeds with unique output names, in a fixed order
/// (the same arguments always give the same names). A file whose content does not start with
/// `<` is a list file: one input per line, `#` comments and blank lines skipped. `-` is
/// standard input (read once): a feed, or a list of inputs relative to the current directory.
/// A feed named twice is kept once.
pub fn expand(args: &[String]) -> Result<Expanded> {
    let mut sources = Vec::new();
    let mut stdin_read = false;
    for arg in args {
        if arg == "-" {
            if stdin_read {
                return Err(Error::Usage(
                    "feed: `-` (standard input) given twice".into(),
                ));
            }
            stdin_read = true;
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(
                |source| Error::Io {
                    origin: "<stdin>".into(),
                    source,
                },
            )?;
            let text = doc::decode_utf8("<stdin>", bytes.clone())?;
            if is_feed_text(&text) {
                sources.push(Source::Stdin(bytes.into()));
            } else {
                list_entries(&text, Path::new(""), &mut sources, 0)?;
            }
            continue;
        }
        expand_one(arg, &mut sources, 0)?;
    }
    let mut seen = HashSet::new();
    let mut used = HashSet::new();
    let mut out = Expanded::default();
    for source in sources {
        if !seen.insert(source.identity()) {
            let origin = source.origin();
            if !out.duplicates.contains(&origin) {
                out.duplicates.push(origin);
            }
            continue;
        }
        let base = output_name(&source);
        let mut name = base.clone();
        let mut n = 2;
        while !used.insert(name.clone()) {
            let (stem, ext) = base.rsplit_once('.').unwrap_or((&base, "xml"));
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        out.inputs.push(Input { source, name });
    }
    Ok(out)
}

/// Whether a file's text is a document (starts with `<`) rather than a list of inputs.
fn is_feed_text(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
}

fn expand_one(arg: &str, out: &mut Vec<Source>, depth: usize) -> Result<()> {
    if is_url(arg) {
        out.push(Source::Url(arg.to_string()));
        return Ok(());
    }
    let path = Path::new(arg);
    if path.is_dir() {
        out.extend(feeds_in(path)?.into_iter().map(Source::File));
        return Ok(());
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        origin: arg.to_string(),
        source,
    })?;
    let text = doc::decode_utf8(arg, bytes)?;
    if is_feed_text(&text) || depth > 0 {
        out.push(Source::File(path.to_path_buf()));
        return Ok(());
    }
    list_entries(&text, path.parent().unwrap_or(Path::new("")), out, depth)
}

/// The inputs of a list file (paths relative to `base`).
fn list_entries(text: &str, base: &Path, out: &mut Vec<Source>, depth: usize) -> Result<()> {
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = if is_url(line) || Path::new(line).is_absolute() {
            line.to_string()
        } else {
            base.join(line).display().to_string()
        };
        expand_one(&entry, out, depth + 1)?;
    }
    Ok(())
}

/// The output file name of a source: the file name, or for a URL its last path segment (with
/// `.xml` added when it has no extension), made safe for a file system.
fn output_name(source: &Source) -> String {
    let raw = match source {
        Source::File(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "feed.xml".into()),
        Source::Stdin(_) => "stdin.xml".into(),
        Source::Url(u) => {
            let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
            let rest = rest.split(['?', '#']).next().unwrap_or(rest);
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(host);
            if last.contains('.') && last != host {
                last.to_string()
            } else {
                format!("{last}.xml")
            }
        }
    };
    let safe: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.trim_matches('.').is_empty() {
        "feed.xml".into()
    } else {
        safe
    }
}

/// How feeds are fetched over HTTP.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Timeout of a whole request (connection, answer, body).
    pub timeout: Duration,
    /// Largest body accepted (decoded), checked while downloading.
    pub max_bytes: u64,
    /// Earlier copies and their validators, for conditional requests (`None`: always
    /// download).
    pub cache: Option<crate::http::FeedCache>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: MAX_BYTES,
            cache: None,
        }
    }
}

/// A feed's text and, when it came over HTTP, the final status (200, or 304 when the cached
/// copy was used).
#[derive(Debug, Clone)]
pub struct FetchedText {
    /// The decoded text.
    pub text: String,
    /// The HTTP status (`None` for a file or standard input).
    pub http_status: Option<u16>,
}

/// Reads a feed from its source (a file, standard input, or an HTTP GET through
/// [`crate::http::fetch_feed`]) and decodes it: by byte-order mark, else (fetched over HTTP)
/// the `charset` of the response's `Content-Type`, else the document's own declaration, else
/// UTF-8.
pub fn fetch(source: &Source, options: &FetchOptions) -> Result<FetchedText> {
    let origin = source.origin();
    let io = |e: std::io::Error| Error::Io {
        origin: origin.clone(),
        source: e,
    };
    let bytes = match source {
        Source::File(p) => std::fs::read(p).map_err(io)?,
        Source::Stdin(bytes) => bytes.to_vec(),
        Source::Url(u) => {
            let fetched = crate::http::fetch_feed(
                u,
                options.timeout,
                options.max_bytes,
                options.cache.as_ref(),
            )
            .map_err(|e| io(std::io::Error::other(e.to_string())))?;
            let charset = fetched.content_type.as_deref().and_then(charset_of);
            let text = without_bom(doc::decode_declared(
                &origin,
                fetched.body,
                charset.as_deref(),
            )?)?;
            return Ok(FetchedText {
                text,
                http_status: Some(fetched.status),
            });
        }
    };
    Ok(FetchedText {
        text: doc::decode_utf8(&origin, bytes)?,
        http_status: None,
    })
}

/// The `charset` parameter of a `Content-Type` header value (`text/xml; charset="koi8-r"`).
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// `text` without a leading byte-order mark.
fn without_bom(mut text: String) -> Result<String> {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Fetches and parses a feed: RSS or Atom by content (any other format tarjuman reads is
/// accepted too, by extension or content). Also gives the HTTP status of the fetch.
pub fn load(
    input: &Input,
    fetch_options: &FetchOptions,
    opts: &doc::ReadOptions,
) -> Result<(Document, Option<u16>)> {
    let fetched = fetch(&input.source, fetch_options)?;
    let text = fetched.text;
    let path = match &input.source {
        Source::File(p) => Some(p.as_path()),
        Source::Url(_) | Source::Stdin(_) => None,
    };
    let format = Format::sniff(&text)
        .filter(|f| *f != Format::Html || path.and_then(Format::from_path).is_none())
        .or_else(|| path.and_then(Format::from_path))
        .unwrap_or(Format::Text);
    let doc = doc::parse_with(format, &input.source.origin(), &text, opts)?;
    Ok((doc, fetched.http_status))
}

/// Counts of a feed or item's segments.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Segments.
    pub segments: usize,
    /// Translated (by a backend or from the memory).
    pub translated: usize,
    /// Of those, served by the translation memory.
    pub cached: usize,
    /// Left as they were (already in the target language, nothing to translate).
    pub passed_through: usize,
    /// Not translated (no route, engine error).
    pub failed: usize,
}

impl Counts {
    fn add_block(&mut self, block: &doc::Block) {
        for s in &block.segments {
            self.segments += 1;
            match s.status {
                SegmentStatus::Translated => {
                    self.translated += 1;
                    if s.notes.iter().any(|n| n.kind == crate::tm::HIT) {
                        self.cached += 1;
                    }
                }
                SegmentStatus::PassedThrough => self.passed_through += 1,
                SegmentStatus::Failed | SegmentStatus::Pending => self.failed += 1,
            }
        }
    }

    /// Adds another count to this one.
    pub fn add(&mut self, o: &Counts) {
        self.segments += o.segments;
        self.translated += o.translated;
        self.cached += o.cached;
        self.passed_through += o.passed_through;
        self.failed += o.failed;
    }
}

/// Counts of QA findings per severity (`feed --check`).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct QaCounts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

impl QaCounts {
    /// Counts one finding.
    pub fn count(&mut self, f: &Finding) {
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    /// Adds another count to this one.
    pub fn add(&mut self, o: &QaCounts) {
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
    }

    /// Whether any finding is at or above `level`.
    pub fn any_at_least(&self, level: Severity) -> bool {
        match level {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.errors + self.warnings + self.infos > 0,
        }
    }
}

/// One line of a run's report.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReportLine {
    /// A feed: translated and written, or failed.
    Feed {
        /// The input (path or URL).
        input: String,
        /// The output file, when written.
        #[serde(skip_serializing_if = "Option::is_none")]
        output: Option<String>,
        /// `ok` or `error`.
        status: &'static str,
        /// What went wrong.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// The feed's format.
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<Format>,
        /// For a feed fetched over HTTP: 200, or 304 when it had not changed since the last
        /// run and the cached copy was translated.
        #[serde(skip_serializing_if = "Option::is_none")]
        http_status: Option<u16>,
        /// Items in the feed.
        items: usize,
        /// Segment counts.
        #[serde(flatten)]
        counts: Counts,
        /// With `--check`: findings in the feed's own elements (channel title, description…).
        #[serde(skip_serializing_if = "Option::is_none")]
        findings: Option<Vec<Finding>>,
        /// With `--check`: findings per severity over the whole feed.
        #[serde(skip_serializing_if = "Option::is_none")]
        qa: Option<QaCounts>,
        /// What the reader read leniently (an element whose embedded HTML is broken, kept as
        /// it is; an RSS feed without `<channel>`), with its line; also printed on stderr.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<doc::Warning>,
    },
    /// An item of a feed.
    Item {
        /// The feed's input.
        input: String,
        /// The item id (`guid`, `link` or `id`).
        item: String,
        /// Segment counts.
        #[serde(flatten)]
        counts: Counts,
        /// With `--check`: the item's findings, as `check --format json` prints them.
        #[serde(skip_serializing_if = "Option::is_none")]
        findings: Option<Vec<Finding>>,
        /// With `--check`: the item's findings per severity.
        #[serde(skip_serializing_if = "Option::is_none")]
        qa: Option<QaCounts>,
    },
    /// A queue job the workers gave up (`feed --queue`): its segments are reported failed in
    /// their items.
    DeadLetter {
        /// The job id (its dead-letter subject is `PREFIX.dead.ID`).
        job: String,
        /// The language pair, e.g. `ar-en`.
        pair: String,
        /// Segments in the job.
        segments: usize,
        /// Why it was given up.
        reason: String,
    },
    /// What went through the queue (`feed --queue`), last line of the report.
    Queue {
        /// The server.
        url: String,
        /// Jobs published.
        jobs: usize,
        /// Segments sent in them.
        sent: usize,
        /// Segments whose results were already stored (earlier run, another producer).
        stored: usize,
        /// Jobs given up.
        dead: usize,
    },
}

/// The report lines of a translated feed: one per item, then one for the feed. `qa` holds
/// the findings of `--check` (`None` without it).
pub fn report(
    input: &str,
    output: &str,
    doc: &Document,
    qa: Option<&[BlockFinding]>,
    http_status: Option<u16>,
) -> Vec<ReportLine> {
    let items = doc::rss_atom::items(doc);
    let mut lines = Vec::with_capacity(items.len() + 1);
    let mut total = Counts::default();
    for b in &doc.blocks {
        total.add_block(b);
    }
    let findings_in = |blocks: &std::ops::Range<usize>| {
        qa.map(|all| {
            let found: Vec<Finding> = all
                .iter()
                .filter(|f| blocks.contains(&f.block))
                .map(|f| f.finding.clone())
                .collect();
            let mut counts = QaCounts::default();
            found.iter().for_each(|f| counts.count(f));
            (found, counts)
        })
    };
    for item in &items {
        let mut counts = Counts::default();
        for b in &doc.blocks[item.blocks.clone()] {
            counts.add_block(b);
        }
        let (findings, qa) = findings_in(&item.blocks).unzip();
        lines.push(ReportLine::Item {
            input: input.to_string(),
            item: item.id.clone(),
            counts,
            findings,
            qa,
        });
    }
    let (findings, qa) = qa
        .map(|all| {
            let own: Vec<Finding> = all
                .iter()
                .filter(|f| !items.iter().any(|i| i.blocks.contains(&f.block)))
                .map(|f| f.finding.clone())
                .collect();
            let mut counts = QaCounts::default();
            all.iter().for_each(|f| counts.count(&f.finding));
            (own, counts)
        })
        .unzip();
    lines.push(ReportLine::Feed {
        input: input.to_string(),
        output: Some(output.to_string()),
        status: "ok",
        error: None,
        format: Some(doc.format),
        http_status,
        items: items.len(),
        counts: total,
        findings,
        qa,
        warnings: doc.warnings.clone(),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_stable() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::create_dir(&a).unwrap();
        std::fs::write(a.join("news.xml"), "<rss/>").unwrap();
        std::fs::write(dir.path().join("news.xml"), "<rss/>").unwrap();
        let list = dir.path().join("feeds.txt");
        std::fs::write(
            &list,
            "# feeds\nnews.xml\nhttp://127.0.0.1:1/x/world?a=1\n\nhttp://127.0.0.1:1/y/top.rss\n",
        )
        .unwrap();
        let args = vec![a.display().to_string(), list.display().to_string()];
        let inputs = expand(&args).unwrap().inputs;
        let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["news.xml", "news-2.xml", "world.xml", "top.rss"]);
        assert_eq!(
            inputs[2].source,
            Source::Url("http://127.0.0.1:1/x/world?a=1".into())
        );
    }

    #[test]
    fn a_feed_named_twice_is_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("news.xml"), "<rss/>").unwrap();
        let list = dir.path().join("feeds.txt");
        std::fs::write(
            &list,
            "news.xml\n./news.xml\nhttp://127.0.0.1:1/a.xml\nhttp://127.0.0.1:1/a.xml\n",
        )
        .unwrap();
        let direct = dir.path().join("news.xml").display().to_string();
        let args = vec![list.display().to_string(), direct];
        let expanded = expand(&args).unwrap();
        let names: Vec<&str> = expanded.inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["news.xml", "a.xml"]);
        assert_eq!(expanded.duplicates.len(), 2, "{:?}", expanded.duplicates);
    }
}
