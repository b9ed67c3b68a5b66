//! The format conformance run behind `scripts/conformance`: public test files (fetched by
//! `scripts/fetch-testdata` into `.testdata/`, the Markdown files of the crates in the cargo
//! registry, HTML documentation under `/usr/share/doc`, gawk's PO example) go through
//! `tarjuman translate` with Apertium, each into its own declared target language (XLIFF
//! `target-language`/`trgLang`, the PO `Language` header; `es` when a file declares none), from
//! its declared source language (else `en`). The engines are every plain mode `apertium -l`
//! lists, as config routes, so that a target no installed pair serves is a `no-route` (exit 1,
//! the segments left as they were), counted in its own column.
//!
//! Per format it prints: files, exit codes (0/1/2/other), files and segments no pair routes,
//! structure kept (Markdown: pulldown-cmark events but the text; XML formats: `xmllint` accepts
//! the output and its elements and attributes are the input's; PO: `msgfmt -c` accepts it),
//! bytes kept outside translated text (checked with other parsers than tarjuman's, see
//! `outside_text`), untranslated round trips, translators' targets kept, and valid files refused.
//!
//! Usage: `cargo run --release --example conformance -- TARJUMAN_BINARY [LIMIT_PER_FORMAT]`;
//! `CONFORMANCE_JOBS` (default 2) processes at a time; `CONFORMANCE_FORMATS=po,xliff` only
//! those corpora (`html`, `markdown`, `po`, `rss/atom`, `xliff`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;
use tarjuman::doc::{self, markdown, Format};
use tarjuman::lang::Lang;

#[derive(Default)]
struct Row {
    files: usize,
    exits: BTreeMap<i32, usize>,
    /// Files whose only failures are segments no installed pair routes (exit 1).
    no_route_files: usize,
    no_route_segments: usize,
    structure_kept: usize,
    structure_checked: usize,
    outside_kept: usize,
    outside_checked: usize,
    exact: usize,
    targets_seen: usize,
    targets_kept: usize,
    /// Bilingual outputs (PO, XLIFF) `tarjuman check` read (exit 0 or 1), of those checked.
    check_read: usize,
    check_run: usize,
    /// Files that exit 0 with a warning of their reader.
    lenient: usize,
    /// Files whose outcome is not exit 0 with structure and bytes kept (other than no-route):
    /// the file and why.
    odd: Vec<String>,
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

/// The byte ranges of the titles of `md`'s link reference definitions (translated text),
/// between their delimiters: the title closes its definition, and its opening delimiter is
/// the last one before it that no backslash escapes.
fn md_def_titles(parser: &Parser<'_>, md: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (_, def) in parser.reference_definitions().iter() {
        if def.title.is_none() {
            continue;
        }
        let span = def.span.clone();
        let Some(src) = md.get(span.clone()) else {
            continue;
        };
        let open = match src.as_bytes().last() {
            Some(b'"') => b'"',
            Some(b'\'') => b'\'',
            Some(b')') => b'(',
            _ => continue,
        };
        let b = src.as_bytes();
        let end = b.len() - 1;
        let start = (0..end).rev().find(|&i| {
            b[i] == open && b[..i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 0
        });
        if let Some(i) = start {
            out.push((span.start + i + 1, span.start + end));
        }
    }
    out.sort_unstable();
    out
}

/// `md[from..to]` with the bytes of the titles in `titles` (sorted ranges) left out.
fn without_titles(md: &str, from: usize, to: usize, titles: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = from;
    for &(s, e) in titles.iter().filter(|(s, e)| *s >= from && *e <= to) {
        out.push_str(&md[at..s]);
        out.push_str("«title»");
        at = e;
    }
    out.push_str(&md[at..to]);
    out
}

/// Markdown bytes outside translated text: every byte between the runs of inline content of
/// the leaf blocks (paragraphs, headings, table cells), in order (markers, fences, code blocks,
/// HTML blocks, reference definitions but their titles, front matter, blank lines), and the
/// destinations of links and images (which inline content moved by an engine may carry
/// elsewhere, but never change).
fn md_outside(md: &str) -> (Vec<String>, Vec<String>) {
    let mut gaps = Vec::new();
    let mut urls = Vec::new();
    let mut opaque = 0;
    let mut run: Option<(usize, usize)> = None;
    let mut last = 0;
    let parser = Parser::new_ext(md, markdown::options());
    let titles = md_def_titles(&parser, md);
    // Per open link or image: whether it is a collapsed reference.
    let mut links: Vec<bool> = Vec::new();
    let close = |run: &mut Option<(usize, usize)>, gaps: &mut Vec<String>, last: &mut usize| {
        if let Some((s, e)) = run.take() {
            // A backslash escape right before a run is the run's (pulldown-cmark's text
            // starts after it): a translation escapes what its own words need.
            let gap = without_titles(md, *last, s, &titles);
            gaps.push(gap.trim_end_matches('\\').to_string());
            *last = e;
        }
    };
    for (e, range) in parser.into_offset_iter() {
        let inline = opaque == 0
            && matches!(
                e,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineHtml(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::FootnoteReference(_)
                    | Event::InlineMath(_)
                    | Event::Start(
                        Tag::Emphasis
                            | Tag::Strong
                            | Tag::Strikethrough
                            | Tag::Link { .. }
                            | Tag::Image { .. }
                    )
                    | Event::End(
                        TagEnd::Emphasis
                            | TagEnd::Strong
                            | TagEnd::Strikethrough
                            | TagEnd::Link
                            | TagEnd::Image
                    )
            );
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &e {
            urls.push(dest_url.to_string());
        }
        // pulldown-cmark's range of a collapsed reference (`[foo][]`) ends before its `[]`,
        // which is the link's markup all the same.
        let mut range = range;
        match &e {
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                links.push(matches!(
                    link_type,
                    LinkType::Collapsed | LinkType::CollapsedUnknown
                ));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let collapsed = links.pop() == Some(true);
                if collapsed && md[range.end..].starts_with("[]") {
                    range.end += 2;
                }
            }
            _ => {}
        }
        match &e {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => opaque += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                opaque -= 1
            }
            _ => {}
        }
        if inline {
            run = Some(match run {
                Some((s, end)) => (s.min(range.start), end.max(range.end)),
                None => (range.start, range.end),
            });
        } else {
            close(&mut run, &mut gaps, &mut last);
        }
    }
    close(&mut run, &mut gaps, &mut last);
    gaps.push(without_titles(md, last, md.len(), &titles));
    urls.sort();
    (gaps, urls)
}

/// Inline elements of translated text: they may move with their words, or (HTML) be lost and
/// reported; the structure checks leave them out.
const INLINE: &[&str] = &[
    "b", "i", "em", "strong", "a", "span", "g", "x", "ph", "pc", "bx", "ex", "mrk", "sc", "ec",
    "code", "kbd", "samp", "var", "tt", "u", "s", "small", "big", "sub", "sup", "abbr", "cite",
    "q", "dfn", "br", "img", "font",
];

/// Attributes that translation writes (languages, states) or translates (alternative text,
/// titles).
const WRITTEN_ATTRS: &[&str] = &[
    "xml:lang",
    "lang",
    "alt",
    "title",
    "state",
    "target-language",
    "trgLang",
    "approved",
];

fn xml_tags(text: &str) -> Option<Vec<String>> {
    let mut r = Reader::from_str(text.trim_start_matches('\u{feff}'));
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(XmlEvent::Eof) => return Some(out),
            Err(_) => return None,
            Ok(XmlEvent::Start(e)) | Ok(XmlEvent::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // Targets are what translation writes.
                if name == "target" || INLINE.contains(&name.as_str()) {
                    continue;
                }
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .filter(|a| !WRITTEN_ATTRS.iter().any(|w| w.as_bytes() == a.key.as_ref()))
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
                if name != "target" && !INLINE.contains(&name.as_str()) {
                    out.push(format!("</{name}>"));
                }
            }
            Ok(_) => {}
        }
    }
}

/// `tag` (the raw text of a start tag, without `<`/`>`) without the attributes translation
/// writes.
fn without_written_attrs(tag: &str) -> String {
    let mut out = tag.to_string();
    for key in WRITTEN_ATTRS {
        let mut from = 0;
        // HTML attribute names are case-insensitive (`TITLE=`).
        while let Some(at) = out[from..]
            .to_ascii_lowercase()
            .find(&key.to_ascii_lowercase())
            .map(|a| a + from)
        {
            let before_ok = out[..at].ends_with(|c: char| c.is_whitespace());
            let rest = out[at + key.len()..].trim_start();
            if !before_ok || !rest.starts_with('=') {
                from = at + key.len();
                continue;
            }
            let value = rest[1..].trim_start();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
            let value_len = match quote {
                Some(q) => value[1..].find(q).map_or(value.len(), |e| e + 2),
                None => value
                    .find(|c: char| c.is_whitespace() || c == '/')
                    .unwrap_or(value.len()),
            };
            let end = out.len() - value.len() + value_len;
            let start = out[..at].trim_end().len();
            out.replace_range(start..end, "");
            from = start;
        }
    }
    out
}

/// Local names of the elements whose content feeds and XLIFF translate (RSS and Atom text
/// constructs, XLIFF targets) when they are in the document's own namespaces (see
/// [`own_ns`]): what is inside them is translated text.
const XML_TRANSLATED: &[&str] = &[
    "title",
    "description",
    "summary",
    "subtitle",
    "rights",
    "content",
    "tagline",
    "copyright",
    "info",
    "target",
    // The channel's language: the writer sets it to the target language.
    "language",
];

/// Namespaces whose elements are those of RSS 1.0/0.90, Atom 1.0/0.3 and XLIFF 1.2/2.0.
const FEED_NS: &[&[u8]] = &[
    b"http://purl.org/rss/1.0/",
    b"http://my.netscape.com/rdf/simple/0.9/",
    b"http://www.w3.org/2005/Atom",
    b"http://purl.org/atom/ns#",
    b"urn:oasis:names:tc:xliff:document:1.2",
    b"urn:oasis:names:tc:xliff:document:2.0",
];

/// RSS's content module: its `encoded` is translated HTML.
const CONTENT_NS: &[u8] = b"http://purl.org/rss/1.0/modules/content/";

/// Whether an element in namespace `ns` (`None`: no namespace) is one of the document's own:
/// no namespace (RSS 2.0/0.9x), the root element's namespace (RSS 2.0 in the Userland or
/// Harvard namespaces, whatever prefix it is written with), or a feed or XLIFF namespace.
/// Matched by URI, never by the prefix's spelling.
fn own_ns(ns: Option<&[u8]>, root_ns: Option<&[u8]>) -> bool {
    match ns {
        None => true,
        Some(uri) => Some(uri) == root_ns || FEED_NS.contains(&uri),
    }
}

/// The namespace URI of a resolved name: `None` for no namespace, `Some(b"")` for a prefix
/// no declaration binds (never one of ours).
fn ns_uri(r: &quick_xml::name::ResolveResult<'_>) -> Option<Vec<u8>> {
    use quick_xml::name::ResolveResult;
    match r {
        ResolveResult::Unbound => None,
        ResolveResult::Bound(ns) => Some(ns.as_ref().to_vec()),
        ResolveResult::Unknown(_) => Some(Vec::new()),
    }
}

/// XML bytes outside translated text: every event outside the translated elements, as
/// written (start tags without the attributes translation writes, the declaration without its
/// encoding), whitespace before a target left out (a new target brings its own). Elements
/// are told apart by namespace URI and local name (`<r:title>` in the root's namespace is
/// RSS's `title`, `<dc:title>` is not).
fn xml_outside(text: &str) -> Option<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut r = quick_xml::NsReader::from_str(text);
    r.config_mut().trim_text(false);
    let mut out: Vec<String> = Vec::new();
    let mut depth_in = 0usize;
    let mut rss_root = false;
    let mut seen_root = false;
    let mut root_ns: Option<Vec<u8>> = None;
    loop {
        let ev = r.read_event().ok()?;
        // (namespace URI, local name) of an element.
        let name = match &ev {
            XmlEvent::Start(e) | XmlEvent::Empty(e) => {
                let (ns, local) = r.resolve_element(e.name());
                Some((
                    ns_uri(&ns),
                    String::from_utf8_lossy(local.as_ref()).into_owned(),
                ))
            }
            XmlEvent::End(e) => {
                let (ns, local) = r.resolve_element(e.name());
                Some((
                    ns_uri(&ns),
                    String::from_utf8_lossy(local.as_ref()).into_owned(),
                ))
            }
            _ => None,
        };
        // Only RSS and Atom documents (and XLIFF targets) have translated elements: a `title`
        // of another vocabulary is not.
        if let (XmlEvent::Start(_), Some((ns, local))) = (&ev, &name) {
            if !seen_root {
                seen_root = true;
                rss_root = matches!(local.as_str(), "rss" | "feed" | "RDF" | "xliff");
                root_ns = ns.clone();
            }
        }
        let translated = name.as_ref().is_some_and(|(ns, local)| {
            rss_root
                && ((own_ns(ns.as_deref(), root_ns.as_deref())
                    && XML_TRANSLATED.contains(&local.as_str()))
                    || (ns.as_deref() == Some(CONTENT_NS) && local == "encoded"))
        });
        let is_target = name.as_ref().is_some_and(|(ns, local)| {
            local == "target" && own_ns(ns.as_deref(), root_ns.as_deref())
        });
        match &ev {
            XmlEvent::Eof => return Some(out),
            XmlEvent::Start(_) if depth_in > 0 || translated => {
                if depth_in == 0 && is_target && out.last().is_some_and(|l| l.trim().is_empty()) {
                    out.pop();
                }
                depth_in += 1;
                continue;
            }
            XmlEvent::End(_) if depth_in > 0 => {
                depth_in -= 1;
                continue;
            }
            XmlEvent::Empty(_) if depth_in > 0 || translated => {
                if is_target && out.last().is_some_and(|l| l.trim().is_empty()) {
                    out.pop();
                }
                continue;
            }
            _ if depth_in > 0 => continue,
            _ => {}
        }
        out.push(match ev {
            XmlEvent::Start(e) => {
                format!("<{}>", without_written_attrs(&String::from_utf8_lossy(&e)))
            }
            XmlEvent::Empty(e) => {
                format!("<{}/>", without_written_attrs(&String::from_utf8_lossy(&e)))
            }
            XmlEvent::End(e) => format!("</{}>", String::from_utf8_lossy(&e)),
            XmlEvent::Decl(e) => {
                let d = String::from_utf8_lossy(&e).into_owned();
                let mut s = String::new();
                same_but_declaration_strip(&format!("<?{d}?>"), &mut s);
                s
            }
            XmlEvent::Text(e) => String::from_utf8_lossy(&e).into_owned(),
            XmlEvent::CData(e) => format!("<![CDATA[{}]]>", String::from_utf8_lossy(&e)),
            XmlEvent::Comment(e) => format!("<!--{}-->", String::from_utf8_lossy(&e)),
            XmlEvent::PI(e) => format!("<?{}?>", String::from_utf8_lossy(&e)),
            XmlEvent::DocType(e) => format!("<!DOCTYPE{}>", String::from_utf8_lossy(&e)),
            XmlEvent::Eof => unreachable!(),
        });
    }
}

/// HTML bytes outside translated text: tags as written (without the attributes translation
/// writes; inline elements of sentences left out), comments, and the content of `script`,
/// `style` and `pre` elements.
fn html_outside(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let mut raw_until: Option<&str> = None;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        if let Some(end_tag) = raw_until {
            // Inside script/style/pre: everything up to its end tag is kept as it is.
            let Some(close) = lower[lt..].find(end_tag).map(|p| p + lt) else {
                break;
            };
            out.push(html[i..close].to_string());
            i = close;
            raw_until = None;
            continue;
        }
        if html[lt..].starts_with("<!--") {
            let end = html[lt..].find("-->").map_or(html.len(), |e| lt + e + 3);
            out.push(html[lt..end].to_string());
            i = end;
            continue;
        }
        // A tag: up to the `>` outside quotes.
        let mut quote = None;
        let mut end = html.len();
        for (k, c) in html[lt + 1..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = lt + 1 + k + 1;
                    break;
                }
                _ => {}
            }
        }
        let tag = &html[lt + 1..end.saturating_sub(1).max(lt + 1)];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() && !tag.starts_with('!') && !tag.starts_with('?') {
            // A `<` of text.
            i = lt + 1;
            continue;
        }
        if !INLINE.contains(&name.as_str()) {
            out.push(without_written_attrs(tag));
        }
        if !tag.starts_with('/') && matches!(name.as_str(), "script" | "style" | "pre") {
            raw_until = Some(match name.as_str() {
                "script" => "</script",
                "style" => "</style",
                _ => "</pre",
            });
        }
        i = end;
    }
    out
}

/// Whether the PO lines outside translated text of `before` come back in `after`: every line
/// but those of the `msgstr` strings of entries that had no translation (and of the header,
/// whose `Language`, `Plural-Forms` and charset translation writes); and the translations the
/// input had (msgstr of non-fuzzy entries): how many there were and how many are kept. The
/// first difference, if any.
fn po_outside(before: &str, after: &str) -> (Option<String>, usize, usize) {
    let a = po_entries(before);
    let b = po_entries(after);
    let (mut seen, mut kept) = (0, 0);
    let mut diff = None;
    if a.len() != b.len() {
        diff = Some(format!("{} entries became {}", a.len(), b.len()));
    }
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        let header = x.msgid_empty && !x.has_ctxt;
        let translated = x.msgstr.iter().any(|l| {
            let t = l.trim();
            let literal = t.find('"').map_or("", |q| &t[q..]);
            literal != "\"\""
        });
        if x.before != y.before && diff.is_none() {
            diff = Some(first_diff(&x.before, &y.before) + &format!(" (entry {i})"));
        }
        if translated && !header {
            let same = x.msgstr == y.msgstr;
            if !x.fuzzy {
                seen += 1;
                kept += usize::from(same);
            }
            if !same && diff.is_none() {
                diff = Some(first_diff(&x.msgstr, &y.msgstr) + &format!(" (entry {i})"));
            }
        }
    }
    (diff, seen, kept)
}

#[derive(Default)]
struct PoEntry {
    before: Vec<String>,
    msgstr: Vec<String>,
    msgid_empty: bool,
    has_ctxt: bool,
    fuzzy: bool,
}

fn po_entries(po: &str) -> Vec<PoEntry> {
    let mut entries = Vec::new();
    let mut cur = PoEntry::default();
    let mut in_msgstr = false;
    let mut in_msgid = false;
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = po.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let end_of_line = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if end_of_line {
            lines.push(&po[start..=i]);
            start = i + 1;
        }
    }
    if start < po.len() {
        lines.push(&po[start..]);
    }
    for line in lines {
        let t = line.trim();
        let cont = t.starts_with('"');
        if in_msgstr && !cont && !t.starts_with("msgstr") {
            entries.push(std::mem::take(&mut cur));
            in_msgstr = false;
        }
        if t.starts_with("msgstr") || (in_msgstr && cont) {
            in_msgstr = true;
            in_msgid = false;
            cur.msgstr.push(line.to_string());
            continue;
        }
        if t.starts_with("msgid ") || t.starts_with("msgid\"") {
            in_msgid = true;
            cur.msgid_empty = t.trim_start_matches("msgid").trim() == "\"\"";
        } else if t.starts_with("msgid_plural") || t.starts_with("msgctxt") {
            in_msgid = false;
            cur.has_ctxt |= t.starts_with("msgctxt");
        } else if cont && in_msgid && t != "\"\"" {
            cur.msgid_empty = false;
        } else if t.starts_with("#,") && t.contains("fuzzy") {
            cur.fuzzy = true;
        }
        cur.before.push(line.to_string());
    }
    entries.push(cur);
    entries
}

/// Strips the value of an encoding declaration (output is UTF-8 and says so).
fn same_but_declaration_strip(s: &str, out: &mut String) {
    let lower = s.to_ascii_lowercase();
    *out = match ["encoding=", "charset="]
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
    };
}

/// Whether `a` and `b` are equal but for the value of an encoding declaration.
fn same_but_declaration(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (mut x, mut y) = (String::new(), String::new());
    same_but_declaration_strip(a, &mut x);
    same_but_declaration_strip(b, &mut y);
    x == y
}

fn tool_ok(tool: &str, args: &[&str], path: &Path) -> bool {
    Command::new(tool)
        .args(args)
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn msgfmt_ok(path: &Path) -> bool {
    tool_ok("msgfmt", &["-c", "-o", "/dev/null"], path)
}

fn xmllint_ok(path: &Path) -> bool {
    tool_ok("xmllint", &["--noout", "--nonet"], path)
}

/// The value of the first `key="…"` attribute in `text`.
fn attr_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = text[from..].find(key).map(|a| a + from) {
        let rest = &text[at + key.len()..];
        if text[..at].ends_with(char::is_whitespace) && rest.starts_with("=") {
            let rest = &rest[1..];
            let q = rest.chars().next()?;
            if q == '"' || q == '\'' {
                return rest[1..].split(q).next();
            }
        }
        from = at + key.len();
    }
    None
}

/// The languages a file declares: (source, target).
fn declared_langs(format: Format, text: &str) -> (Option<String>, Option<String>) {
    match format {
        Format::Xliff => (
            attr_value(text, "source-language").or_else(|| attr_value(text, "srcLang")),
            attr_value(text, "target-language").or_else(|| attr_value(text, "trgLang")),
        ),
        Format::Po => {
            let lang = text.split("Language:").nth(1).and_then(|r| {
                let v = r.split(['\\', '"', '\n']).next()?.trim();
                (!v.is_empty()).then_some(v)
            });
            (None, lang)
        }
        _ => (None, None),
    }
    .map_pair(|s| s.map(str::to_string))
}

trait MapPair<T> {
    fn map_pair<U>(self, f: impl Fn(T) -> U) -> (U, U);
}

impl<T> MapPair<T> for (T, T) {
    fn map_pair<U>(self, f: impl Fn(T) -> U) -> (U, U) {
        (f(self.0), f(self.1))
    }
}

/// A config with every plain installed Apertium mode as a backend and a route.
fn apertium_config(dir: &Path) -> PathBuf {
    let modes = Command::new("apertium")
        .arg("-l")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let mut toml = String::new();
    for mode in modes.split_whitespace() {
        let Some((a, b)) = mode.split_once('-') else {
            continue;
        };
        if a.len() != 3 || b.len() != 3 || b.contains('_') {
            continue;
        }
        let (Ok(from), Ok(to)) = (Lang::from_code(a), Lang::from_code(b)) else {
            continue;
        };
        toml.push_str(&format!(
            "[backends.{mode}]\ntype = \"apertium\"\npair = \"{mode}\"\n\n[[routes]]\nfrom = \"{}\"\nto = \"{}\"\nbackend = \"{mode}\"\n\n",
            from.code(),
            to.code()
        ));
    }
    let path = dir.join("apertium.toml");
    std::fs::write(&path, toml).expect("config written");
    path
}

struct Job {
    corpus: &'static str,
    path: PathBuf,
    text: String,
    format: Format,
    out: PathBuf,
}

struct Outcome {
    status: i32,
    stderr: String,
    output: Option<String>,
    from: String,
    to: String,
    exact: bool,
    /// `tarjuman check` on a bilingual output: exit code and first error line.
    check: Option<(i32, String)>,
}

fn run(job: &Job, bin: &str, config: &Path) -> Outcome {
    let (from, to) = declared_langs(job.format, &job.text);
    let from = from.unwrap_or_else(|| "en".into());
    let to = to.unwrap_or_else(|| "es".into());
    let origin = job.path.display().to_string();
    let exact = doc::parse(job.format, &origin, &job.text)
        .is_ok_and(|d| same_but_declaration(&doc::render(&d), &job.text));
    let r = Command::new(bin)
        .args(["translate", "--no-config", "--no-tm", "--config"])
        .arg(config)
        .arg(&job.path)
        .args(["--from", &from, "--to", &to, "--color", "never", "-o"])
        .arg(&job.out)
        .output();
    let (status, stderr) = match r {
        Ok(o) => (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ),
        Err(e) => (-1, e.to_string()),
    };
    let output = std::fs::read_to_string(&job.out).ok();
    let check = (output.is_some() && matches!(job.format, Format::Po | Format::Xliff)).then(|| {
        match Command::new(bin)
            .args([
                "check",
                "--no-config",
                "--color",
                "never",
                "--from",
                &from,
                "--to",
                &to,
            ])
            .arg(&job.out)
            .output()
        {
            Ok(o) => {
                let err = String::from_utf8_lossy(&o.stderr);
                let first = err.lines().find(|l| l.contains("error:")).unwrap_or("");
                (o.status.code().unwrap_or(-1), first.to_string())
            }
            Err(e) => (-1, e.to_string()),
        }
    });
    Outcome {
        check,
        status,
        stderr,
        output,
        from,
        to,
        exact,
    }
}

/// Segments reported `no-route` in `stderr`, and whether every error reported is one.
fn no_routes(stderr: &str) -> (usize, bool) {
    let mut n = 0;
    let mut only = true;
    for line in stderr.lines() {
        if line.contains("error[no-route]") {
            n += line
                .rsplit_once(" times;")
                .and_then(|(a, _)| a.rsplit('(').next())
                .and_then(|c| c.trim().parse::<usize>().ok())
                .or_else(|| {
                    line.rsplit_once(" times)")
                        .and_then(|(a, _)| a.rsplit('(').next())
                        .and_then(|c| c.trim().parse().ok())
                })
                .unwrap_or(1);
        } else if line.contains(": error") || line.contains("error:") {
            only = false;
        }
    }
    (n, only)
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
    let jobs: usize = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2)
        .max(1);
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join(".testdata");
    let work = tempfile::tempdir().expect("temp dir");
    let config = apertium_config(work.path());

    // Corpora, by format.
    let mut corpora: BTreeMap<&'static str, Vec<PathBuf>> = BTreeMap::new();
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
        let p = work.path().join(format!("spec-{n:03}.md"));
        std::fs::write(&p, ex.replace('→', "\t")).expect("example written");
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
    files_with(&data.join("polib/tests"), &["po", "pot"], &mut po);
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

    // The jobs: valid inputs of each corpus, up to the limit.
    let only = std::env::var("CONFORMANCE_FORMATS").unwrap_or_default();
    let mut all = Vec::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, mut files) in corpora {
        if !only.is_empty() && !only.split(',').any(|f| f == name) {
            continue;
        }
        files.sort();
        let mut taken = 0;
        for (i, path) in files.iter().enumerate() {
            if taken >= limit {
                break;
            }
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let origin = path.display().to_string();
            let Ok(text) = doc::decode(&origin, bytes) else {
                *skipped.entry(name).or_default() += 1;
                continue;
            };
            let format = Format::from_path(path)
                .or_else(|| Format::sniff(&text))
                .unwrap_or(Format::Text);
            // Feeds: only those that are feeds and well-formed XML; PO: what msgfmt accepts.
            let valid = match name {
                "rss/atom" => matches!(format, Format::Rss | Format::Atom) && xmllint_ok(path),
                "xliff" => xmllint_ok(path),
                "po" => msgfmt_ok(path),
                _ => true,
            };
            if !valid {
                *skipped.entry(name).or_default() += 1;
                continue;
            }
            taken += 1;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            let out = work
                .path()
                .join(format!("out-{name}-{i}.{ext}").replace('/', "_"));
            all.push(Job {
                corpus: name,
                path: path.clone(),
                text,
                format,
                out,
            });
        }
    }

    // Run them, `jobs` at a time.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..all.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = all.get(i) else {
                    break;
                };
                let o = run(job, &bin, &config);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(o);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();

    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for (job, outcome) in all.iter().zip(results) {
        let Some(o) = outcome else { continue };
        let row = rows.entry(job.corpus).or_default();
        let file = job.path.display().to_string();
        row.files += 1;
        row.exact += usize::from(o.exact);
        *row.exits.entry(o.status).or_default() += 1;
        let (no_route, only_no_route) = no_routes(&o.stderr);
        row.no_route_segments += no_route;
        let first_error = || {
            o.stderr
                .lines()
                .find(|l| l.contains("error"))
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        };
        if o.status == 1 && only_no_route && no_route > 0 {
            row.no_route_files += 1;
        } else if o.status != 0 {
            row.odd.push(format!(
                "{file} ({} → {}): exit {}: {}",
                o.from,
                o.to,
                o.status,
                first_error()
            ));
        }
        if o.status == 0 && o.stderr.contains(&format!(": warning[{}]: ", job.format)) {
            row.lenient += 1;
        }
        if let Some((code, why)) = &o.check {
            row.check_run += 1;
            if matches!(code, 0 | 1) {
                row.check_read += 1;
            } else {
                row.odd.push(format!("{file}: check exit {code}: {why}"));
            }
        }
        let Some(result) = o.output else {
            continue;
        };
        let text = &job.text;
        row.structure_checked += 1;
        let kept = match job.format {
            Format::Markdown => md_structure(text) == md_structure(&result),
            Format::Po => msgfmt_ok(&job.out),
            Format::Rss | Format::Atom | Format::Xliff => {
                xmllint_ok(&job.out)
                    && xml_tags(text).is_some()
                    && xml_tags(text) == xml_tags(&result)
            }
            _ => xml_tags(text).is_none() || xml_tags(text) == xml_tags(&result),
        };
        row.structure_kept += usize::from(kept);
        if !kept {
            row.odd.push(format!("{file}: structure changed"));
        }
        row.outside_checked += 1;
        let mut why = String::new();
        let outside = match job.format {
            Format::Markdown => {
                let (a, urls_a) = md_outside(text);
                let (b, urls_b) = md_outside(&result);
                why = first_diff(&a, &b);
                a == b && urls_b.iter().all(|u| urls_a.binary_search(u).is_ok())
            }
            Format::Po => {
                let (diff, seen, kept) = po_outside(text, &result);
                row.targets_seen += seen;
                row.targets_kept += kept;
                why = diff.clone().unwrap_or_default();
                diff.is_none()
            }
            Format::Rss | Format::Atom | Format::Xliff => {
                let (a, b) = (xml_outside(text), xml_outside(&result));
                why = first_diff(a.as_deref().unwrap_or(&[]), b.as_deref().unwrap_or(&[]));
                a.is_some() && a == b
            }
            Format::Html => {
                let (a, b) = (html_outside(text), html_outside(&result));
                why = first_diff(&a, &b);
                a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| same_but_declaration(x, y))
            }
            _ => true,
        };
        row.outside_kept += usize::from(outside);
        if !outside {
            row.odd.push(format!(
                "{file}: bytes changed outside translated text: {why}"
            ));
        }
        if job.format == Format::Xliff {
            let (seen, kept) = xliff_targets_kept(text, &result);
            row.targets_seen += seen;
            row.targets_kept += kept;
            if kept < seen {
                row.odd.push(format!(
                    "{file}: {} translators' targets changed",
                    seen - kept
                ));
            }
        }
    }

    println!("| format | files | exit 0 | of which read with a reader warning | exit 1 | of which no-route (files / segments) | exit 2 (valid files refused) | other | structure kept | bytes kept outside translated text | untranslated byte for byte | translators' targets kept | `check` reads the output |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, row) in &rows {
        let e = |c: i32| row.exits.get(&c).copied().unwrap_or(0);
        let other: usize = row
            .exits
            .iter()
            .filter(|(c, _)| !matches!(c, 0..=2))
            .map(|(_, n)| n)
            .sum();
        println!(
            "| {name} | {} | {} | {} | {} | {} / {} | {} | {} | {}/{} | {}/{} | {}/{} | {}/{} | {}/{} |",
            row.files,
            e(0),
            row.lenient,
            e(1),
            row.no_route_files,
            row.no_route_segments,
            e(2),
            other,
            row.structure_kept,
            row.structure_checked,
            row.outside_kept,
            row.outside_checked,
            row.exact,
            row.files,
            row.targets_kept,
            row.targets_seen,
            row.check_read,
            row.check_run
        );
    }
    println!();
    println!(
        "{} files in {:.0} s ({} at a time); inputs left out as invalid: {:?}",
        all.len(),
        started.elapsed().as_secs_f64(),
        jobs,
        skipped
    );
    for (name, row) in &rows {
        for odd in &row.odd {
            eprintln!("{name}: {odd}");
        }
    }
}

/// Translators' targets of an XLIFF 1.2 or 2.0 file (a non-empty target whose state does not
/// say nobody translated it, or an approved/final/reviewed one), and how many of them `result`
/// keeps byte for byte.
fn xliff_targets_kept(text: &str, result: &str) -> (usize, usize) {
    let units = |s: &str| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (open, close) in [("<trans-unit", "</trans-unit>"), ("<unit", "</unit>")] {
            for unit in s.split(open).skip(1) {
                let body = unit.split(close).next().unwrap_or_default();
                let id = attr_value(&format!(" {body}"), "id")
                    .unwrap_or_default()
                    .to_string();
                out.push((id, body.to_string()));
            }
        }
        out
    };
    let before = units(text);
    let after = units(result);
    let mut seen = 0;
    let mut kept = 0;
    for (id, body) in &before {
        let Some(start) = body.find("<target") else {
            continue;
        };
        let Some(end) = body.rfind("</target>") else {
            continue;
        };
        let target = &body[start..end];
        let content = target.split_once('>').map_or("", |(_, c)| c);
        let untranslated = [
            "state=\"new\"",
            "state=\"needs-translation\"",
            "state=\"initial\"",
        ]
        .iter()
        .any(|st| body.contains(st));
        if content.trim().is_empty() || untranslated {
            continue;
        }
        seen += 1;
        if after
            .iter()
            .any(|(aid, abody)| aid == id && abody.contains(target))
        {
            kept += 1;
        }
    }
    (seen, kept)
}

/// The first place where `a` and `b` differ, shortened.
fn first_diff(a: &[String], b: &[String]) -> String {
    let short = |s: Option<&String>| -> String {
        s.map_or("(nothing)".into(), |s| {
            format!("{:?}", s.chars().take(120).collect::<String>())
        })
    };
    match (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        Some(i) => format!("item {i}: {} became {}", short(a.get(i)), short(b.get(i))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feed in RSS 2.0's Userland namespace, its elements written with a prefix.
    fn userland(prefix: &str, title: &str, dc_title: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<{p}:rss version=\"2.0\" xmlns:{p}=\"http://backend.userland.com/rss2\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<{p}:channel>\n<{p}:title>{title}</{p}:title>\n<dc:title>{dc_title}</dc:title>\n<{p}:link>http://example.org/</{p}:link>\n</{p}:channel>\n</{p}:rss>\n",
            p = prefix
        )
    }

    #[test]
    fn feed_elements_are_told_apart_by_namespace_not_prefix() {
        for prefix in ["r", "rss2", "x"] {
            let before = userland(prefix, "Test feed", "Test feed");
            // The feed's own title translated: nothing outside translated text changed.
            let after = userland(prefix, "Fuente de prueba", "Test feed");
            assert_eq!(xml_outside(&before), xml_outside(&after), "prefix {prefix}");
            // Dublin Core's title is another vocabulary's: it must stay.
            let wrong = userland(prefix, "Test feed", "Fuente de prueba");
            assert_ne!(xml_outside(&before), xml_outside(&wrong), "prefix {prefix}");
        }
        // The prefix `r` bound to another namespace than the root's: not RSS's title.
        let other = |title: &str| {
            format!("<rss version=\"2.0\" xmlns:r=\"http://example.org/other\"><channel><r:title>{title}</r:title></channel></rss>")
        };
        assert_ne!(
            xml_outside(&other("Test feed")),
            xml_outside(&other("Fuente de prueba"))
        );
        // RSS content module, whatever its prefix.
        let content = |p: &str, html: &str| {
            format!("<rss version=\"2.0\" xmlns:{p}=\"http://purl.org/rss/1.0/modules/content/\"><channel><item><{p}:encoded>{html}</{p}:encoded></item></channel></rss>")
        };
        for p in ["content", "c"] {
            assert_eq!(
                xml_outside(&content(p, "Hello")),
                xml_outside(&content(p, "Hola"))
            );
        }
    }

    /// feedparser's feeds that write RSS 2.0 with a prefix (`<r:title>`), through tarjuman's
    /// reader and writer with every text construct changed: the check finds every byte
    /// outside translated text kept (it used to count them as changed).
    #[test]
    fn feedparser_prefixed_rss_keeps_bytes_outside_translation() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".testdata/feedparser/tests/wellformed/namespace");
        let mut seen = 0;
        for name in [
            "rss2.0NSwithModulesNoDefNS.xml",
            "rss2.0NSwithModulesNoDefNSLocalNameClash.xml",
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                assert!(
                    std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
                    "{name} is required (run scripts/fetch-testdata)"
                );
                eprintln!("notice: skipping: {name} not found (run scripts/fetch-testdata)");
                continue;
            };
            seen += 1;
            let format = Format::sniff(&text).expect("a feed");
            let mut d = doc::parse(format, name, &text).expect("reads");
            tarjuman::segment::Segmenter::default().segment_document(&mut d);
            let mut changed = 0;
            for s in d.blocks.iter_mut().flat_map(|b| b.segments.iter_mut()) {
                s.translation = Some(format!("{} ¡", s.text));
                changed += 1;
            }
            assert!(changed >= 3, "{name}: {changed} segments");
            let out = doc::render(&d);
            assert_ne!(out, text);
            let (a, b) = (xml_outside(&text), xml_outside(&out));
            assert!(
                a.is_some() && a == b,
                "{name}: {}",
                first_diff(&a.unwrap_or_default(), &b.unwrap_or_default())
            );
        }
        assert!(seen > 0 || std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"));
    }

    #[test]
    fn reference_definition_titles_are_translated_text() {
        let md = |title: &str, url: &str| {
            format!("See [the page][p].\n\n[p]: {url} \"{title}\"\n> [q]:\n>  /q\n>  ({title})\n")
        };
        let before = md("The big page", "/p");
        assert_eq!(
            md_outside(&before),
            md_outside(&md("La gran \\\"página\\\"", "/p"))
        );
        assert_ne!(
            md_outside(&before),
            md_outside(&md("The big page", "/other"))
        );
    }

    #[test]
    fn the_brackets_of_a_collapsed_reference_are_link_markup() {
        let md = "See [*foo* bar][] now.\n\n[*foo* bar]: /url\n";
        // Written with its label once its words are translated: the same link.
        let out = "Ver [*foo* barra][*foo* bar] ahora.\n\n[*foo* bar]: /url\n";
        assert_eq!(md_outside(md), md_outside(out));
        assert_ne!(
            md_outside(md),
            md_outside("Ver [*foo* barra][*foo* bar] ahora.\n\n[*foo* bar]: /other\n")
        );
    }
}
