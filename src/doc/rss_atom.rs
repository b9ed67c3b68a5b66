//! RSS (2.0, 0.9x, 1.0 and 0.90 in RDF) and Atom (1.0 and 0.3) feeds, read with `quick-xml`
//! and matched by namespace.
//!
//! What is translated: RSS `title` and `description` of the channel and of items (in no
//! namespace for RSS 2.0/0.9x, in the RSS 1.0 or 0.90 namespace in RDF) and
//! `content:encoded`; Atom's own text constructs (`title`, `subtitle`/0.3 `tagline`,
//! `rights` of the feed; `title`, `summary`, `content`, `rights` of entries). Elements of
//! other namespaces (`dc:title`, `media:description`, `itunes:summary`…) are kept byte for
//! byte. Plain text is one block; HTML (escaped, or inside CDATA, Atom `type="html"`) goes
//! through the HTML reader, and markup inside the element (Atom `type="xhtml"`, or a text
//! construct with child elements but no `type`) is read as markup and written as such, so
//! inline tags survive. Embedded HTML the HTML reader cannot read (an unclosed comment, a
//! missing quote) leaves its element as it is, with a warning, and the rest is translated.
//! Every other byte of the feed is written back as it was, except the language: RSS
//! `<language>` and Atom `xml:lang` on `<feed>` get the target (unless they name it already).
//!
//! Each item (entry) starts with an empty marker block that carries its id (`guid`, `link`,
//! `rdf:about` or Atom `id`), so that [`items`] can tell which blocks belong to which item.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::html::{self, Fragment, Mode};
use super::markup::{self, LineIndex};
use super::{Block, BlockKind, Document, Format, Warning};
use crate::error::{Error, Result};

/// Marker attribute: number of content blocks of a translated element that follow.
const GROUP: &str = "group";
/// How the group's content was written: `cdata`, `xml` (escaped) or `none` (markup).
const WRAP: &str = "wrap";
/// Marker attribute: the block is the text of RSS `<language>`.
const LANG_TEXT: &str = "lang_text";
/// Marker attribute: the block starts an item; its value is the item id.
const ITEM: &str = "item";
/// Marker attribute: the block is plain text (not HTML) before escaping.
const PLAIN: &str = "plain";

/// One item (RSS `<item>`, Atom `<entry>`) of a feed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The `guid`, `link` or `id` of the item (its position if it has none).
    pub id: String,
    /// The blocks of the document that belong to it.
    pub blocks: std::ops::Range<usize>,
}

/// The items of a feed document, in order.
pub fn items(doc: &Document) -> Vec<Item> {
    let starts: Vec<(usize, String)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b.attrs.get(ITEM) {
            Some(serde_json::Value::String(id)) => Some((i, id.clone())),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(starts.len());
    for (k, (i, id)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(doc.blocks.len(), |s| s.0);
        out.push(Item {
            id: id.clone(),
            blocks: *i..end,
        });
    }
    out
}

/// The namespaces a feed's elements are told apart by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace (RSS 2.0 and 0.9x).
    None,
    Rss10,
    Rss090,
    Rdf,
    Content,
    Atom10,
    Atom03,
    /// The namespace of the root element when it is none of the above (RSS 2.0 in the
    /// Userland or Harvard namespaces, Atom drafts in their own): the feed's own elements.
    Root,
    Other,
}

fn known_ns(uri: &[u8]) -> Ns {
    match uri {
        b"http://purl.org/rss/1.0/" => Ns::Rss10,
        b"http://my.netscape.com/rdf/simple/0.9/" => Ns::Rss090,
        b"http://www.w3.org/1999/02/22-rdf-syntax-ns#" => Ns::Rdf,
        b"http://purl.org/rss/1.0/modules/content/" => Ns::Content,
        b"http://www.w3.org/2005/Atom" => Ns::Atom10,
        b"http://purl.org/atom/ns#" => Ns::Atom03,
        _ => Ns::Other,
    }
}

/// The namespace of an element; `root` is the URI of the root's namespace when that is not
/// a known one.
fn ns_of(r: &ResolveResult<'_>, root: Option<&[u8]>) -> Ns {
    match r {
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Bound(ns) => match known_ns(ns.as_ref()) {
            Ns::Other if root == Some(ns.as_ref()) => Ns::Root,
            known => known,
        },
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

/// Which kind of feed a document is, by its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `<rss>`: RSS 2.0 and 0.9x, with the namespace of its elements (none, or the root's).
    Rss(Ns),
    /// `<rdf:RDF>`: RSS 1.0 or 0.90, with the namespace of its elements.
    Rdf(Ns),
    /// `<feed>`: Atom 1.0 or 0.3 (or a draft in a namespace of its own), with its namespace.
    Atom(Ns),
}

/// What a translated element holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Text,
    Html,
    Xhtml,
}

type Name = (Ns, String);

/// Whether `path` (from the root) is a path of `names` in namespace `ns`.
fn is(path: &[Name], ns: Ns, names: &[&str]) -> bool {
    path.len() == names.len()
        && path
            .iter()
            .zip(names)
            .all(|((n, l), want)| *n == ns && (*want == "*" || l == want))
}

/// Which elements are translated, by path below the root; `tag` is the start tag as written.
fn content_of(kind: Kind, path: &[Name], tag: &str) -> Option<Content> {
    let last = path.last()?;
    let parent = &path[..path.len() - 1];
    match kind {
        Kind::Rss(ns) | Kind::Rdf(ns) => {
            let in_channel = match kind {
                Kind::Rss(_) => is(parent, ns, &["rss", "channel"]),
                _ => parent.len() == 2 && parent[1] == (ns, "channel".to_string()),
            };
            let in_item = match kind {
                Kind::Rss(_) => is(parent, ns, &["rss", "channel", "item"]),
                _ => parent.len() == 2 && parent[1] == (ns, "item".to_string()),
            };
            if (in_channel || in_item) && last.0 == ns {
                return match last.1.as_str() {
                    "title" => Some(Content::Text),
                    "description" => Some(Content::Html),
                    _ => None,
                };
            }
            (in_item && *last == (Ns::Content, "encoded".to_string())).then_some(Content::Html)
        }
        Kind::Atom(ns) => {
            if last.0 != ns || path.iter().any(|(n, _)| *n != ns) {
                return None;
            }
            let names: Vec<&str> = path.iter().map(|(_, l)| l.as_str()).collect();
            let wanted = matches!(
                names.as_slice(),
                ["feed", "title" | "subtitle" | "tagline" | "rights"]
                    | ["feed", "entry", "title" | "summary" | "content" | "rights"]
            );
            if !wanted || markup::attr_value(tag, "src").is_some() {
                return None;
            }
            let ty = markup::attr_value(tag, "type").map(|t| t.to_ascii_lowercase());
            if ns != Ns::Atom10 {
                // Atom 0.3: a MIME type and a mode (`xml` by default, `escaped`, `base64`).
                let mode = markup::attr_value(tag, "mode").unwrap_or_else(|| "xml".into());
                let html = ty.as_deref().is_some_and(|t| t.contains("html"));
                return match (mode.as_str(), html) {
                    ("base64", _) => None,
                    ("escaped", true) => Some(Content::Html),
                    ("xml", true) => Some(Content::Xhtml),
                    _ if ty.as_deref().is_none_or(|t| t.starts_with("text/")) => {
                        Some(Content::Text)
                    }
                    _ => None,
                };
            }
            match ty.as_deref() {
                None | Some("text") | Some("text/plain") => Some(Content::Text),
                Some("html") | Some("text/html") => Some(Content::Html),
                Some("xhtml") | Some("application/xhtml+xml") => Some(Content::Xhtml),
                Some(_) => None,
            }
        }
    }
}

struct Builder<'a> {
    doc: Document,
    pending: String,
    lines: &'a LineIndex,
}

impl Builder<'_> {
    fn markup(&mut self) {
        if !self.pending.is_empty() {
            let mut b = Block::new(BlockKind::Markup, "", 0);
            b.raw = std::mem::take(&mut self.pending);
            self.doc.blocks.push(b);
        }
    }

    fn marker(&mut self, key: &str, value: serde_json::Value, raw: &str) {
        self.markup();
        let mut b = Block::new(BlockKind::Markup, "", 0);
        b.raw = raw.to_string();
        b.attrs.insert(key.into(), value);
        self.doc.blocks.push(b);
    }
}

/// Reads an RSS (`format` [`Format::Rss`]: `<rss>` or `<rdf:RDF>`) or Atom (`<feed>`) feed.
/// Malformed XML or a root of another kind is an error naming the line. An RSS feed without
/// `<channel>` (well-formed, with no feed text) is read leniently: its bytes are kept as they
/// are, with a warning.
pub fn read(format: Format, origin: &str, text: &str) -> Result<Document> {
    read_with(format, origin, text, &[])
}

/// An element of another namespace to translate too (`ReadOptions::feed_elements`, the
/// config's `[feed] translate`), by namespace URI and local name: `dc:description` is
/// `http://purl.org/dc/elements/1.1/` and `description`. It is translated where the feed's own
/// `title`/`description` are (in the channel or an item; in the feed or an entry), its content
/// read as escaped HTML as RSS `description` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedElement {
    /// The namespace URI.
    pub ns: String,
    /// The local name.
    pub name: String,
}

/// [`read`], translating `extra` elements of other namespaces too.
pub fn read_with(
    format: Format,
    origin: &str,
    text: &str,
    extra: &[FeedElement],
) -> Result<Document> {
    let lines = LineIndex::new(text);
    markup::check_xml(origin, text, &lines, "feed")?;
    let err = |at: usize, message: String| Error::Parse {
        origin: origin.to_string(),
        line: lines.line(at),
        message,
    };
    let mut reader = NsReader::from_str(text);
    let mut b = Builder {
        doc: Document::new(format, origin),
        pending: String::new(),
        lines: &lines,
    };
    let mut path: Vec<Name> = Vec::new();
    let mut kind: Option<Kind> = None;
    // The URI of the root's namespace, when it is not a known one.
    let mut root_ns: Option<Vec<u8>> = None;
    let mut channel = false;
    // The item being read: index of its marker block, and its id candidates.
    let mut item: Option<(usize, Option<String>, Option<String>)> = None;
    let mut items = 0;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            err(
                reader.error_position() as usize,
                format!("malformed feed: {e}"),
            )
        })?;
        let end = reader.buffer_position() as usize;
        let raw = &text[start..end];
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if kind.is_none() => {
                let (resolved, local) = reader.resolve_element(e.name());
                if let ResolveResult::Bound(uri) = &resolved {
                    if known_ns(uri.as_ref()) == Ns::Other {
                        root_ns = Some(uri.as_ref().to_vec());
                    }
                }
                let ns = ns_of(&resolved, root_ns.as_deref());
                let local = String::from_utf8_lossy(local.as_ref()).into_owned();
                kind = match (format, ns, local.as_str()) {
                    (Format::Rss, Ns::None | Ns::Root, "rss") => Some(Kind::Rss(ns)),
                    (Format::Rss, Ns::Rdf, "RDF") => Some(Kind::Rdf(Ns::Rss10)),
                    (Format::Atom, Ns::Atom10 | Ns::Atom03 | Ns::Root | Ns::None, "feed") => {
                        // A draft's namespace (or none) is read as Atom 0.3.
                        Some(Kind::Atom(ns))
                    }
                    _ => None,
                };
                let Some(k) = kind else {
                    return Err(err(
                        start,
                        format!(
                            "not {} feed: the root is <{}>",
                            if format == Format::Atom {
                                "an Atom"
                            } else {
                                "an RSS"
                            },
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ));
                };
                if let Kind::Atom(_) = k {
                    if markup::tag_attrs(raw).iter().any(|(k, _)| k == "xml:lang") {
                        b.markup();
                        let mut lb = Block::new(BlockKind::Markup, "", 0);
                        lb.raw = raw.to_string();
                        lb.suffix = raw.to_string();
                        lb.attrs.insert(html::LANG_ATTRS.into(), "xml:lang".into());
                        b.doc.blocks.push(lb);
                    } else {
                        b.pending.push_str(raw);
                    }
                } else {
                    b.pending.push_str(raw);
                }
                path.push((ns, local));
            }
            Event::Start(e) => {
                let (resolved, local) = reader.resolve_element(e.name());
                let mut ns = ns_of(&resolved, root_ns.as_deref());
                let local = String::from_utf8_lossy(local.as_ref()).into_owned();
                let asked = match &resolved {
                    ResolveResult::Bound(uri) if !extra.is_empty() => extra
                        .iter()
                        .any(|x| x.ns.as_bytes() == uri.as_ref() && x.name == local),
                    _ => false,
                };
                // RSS 1.0 and 0.90 are told apart by the namespace of their channel.
                if let Some(Kind::Rdf(_)) = kind {
                    if path.len() == 1 && matches!(ns, Ns::Rss10 | Ns::Rss090) && local == "channel"
                    {
                        kind = Some(Kind::Rdf(ns));
                    }
                }
                let k = kind.unwrap_or(Kind::Rss(Ns::None));
                if local == "channel" && path.len() <= 1 {
                    channel = true;
                }
                if ns == Ns::Rss090 && !matches!(k, Kind::Rdf(Ns::Rss090)) {
                    ns = Ns::Other;
                }
                path.push((ns, local.clone()));
                let in_item = is_item(k, &path);
                if in_item {
                    b.markup();
                    item = Some((b.doc.blocks.len(), None, None));
                    items += 1;
                    b.marker(ITEM, items.to_string().into(), "");
                    if let Kind::Rdf(_) = k {
                        if let (Some(about), Some((_, guid, _))) =
                            (markup::attr_value(raw, "rdf:about"), item.as_mut())
                        {
                            *guid = Some(about);
                        }
                    }
                }
                let own_ns = match k {
                    Kind::Rss(n) | Kind::Rdf(n) | Kind::Atom(n) => n,
                };
                let is_lang =
                    matches!(k, Kind::Rss(_)) && is(&path, own_ns, &["rss", "channel", "language"]);
                let content = content_of(k, &path, raw).or_else(|| {
                    (asked && in_feed_or_item(k, &path[..path.len() - 1])).then_some(Content::Html)
                });
                let own = |n: &str| ns == own_ns && local == n;
                let depth = if matches!(k, Kind::Rss(_)) { 4 } else { 3 };
                let wants_id = item.is_some()
                    && path.len() == depth
                    && (own("guid") || own("id") || own("link"));
                if !is_lang && content.is_none() && !wants_id {
                    b.pending.push_str(raw);
                    continue;
                }
                let span = reader.read_to_end(e.name()).map_err(|e| {
                    err(
                        reader.error_position() as usize,
                        format!("malformed feed: {e}"),
                    )
                })?;
                path.pop();
                let inner = &text[span.start as usize..span.end as usize];
                let after = reader.buffer_position() as usize;
                let close = &text[span.end as usize..after];
                if wants_id {
                    if let Some((_, guid, link)) = item.as_mut() {
                        let value = markup::unescape(inner.trim());
                        let value = if value.is_empty() {
                            markup::attr_value(raw, "href").unwrap_or_default()
                        } else {
                            value
                        };
                        if local == "link" {
                            link.get_or_insert(value);
                        } else {
                            guid.get_or_insert(value);
                        }
                    }
                }
                b.pending.push_str(raw);
                if is_lang {
                    b.marker(LANG_TEXT, true.into(), inner);
                } else if let Some(content) = content {
                    group(&mut b, origin, content, inner, span.start as usize, &local)?;
                } else {
                    b.pending.push_str(inner);
                }
                b.pending.push_str(close);
            }
            Event::End(_) => {
                let closing_item = kind.is_some_and(|k| is_item(k, &path));
                path.pop();
                b.pending.push_str(raw);
                if closing_item {
                    if let Some((at, guid, link)) = item.take() {
                        if let Some(id) = guid.or(link).filter(|s| !s.is_empty()) {
                            b.doc.blocks[at].attrs.insert(ITEM.into(), id.into());
                        }
                    }
                }
            }
            Event::Empty(e) => {
                if let Some((_, _, link)) = item.as_mut() {
                    let (_, local) = reader.resolve_element(e.name());
                    if local.as_ref() == b"link" {
                        let rel = markup::attr_value(raw, "rel");
                        if let (Some(href), true) = (
                            markup::attr_value(raw, "href"),
                            rel.as_deref().is_none_or(|r| r == "alternate"),
                        ) {
                            link.get_or_insert(href);
                        }
                    }
                }
                b.pending.push_str(raw);
            }
            _ => b.pending.push_str(raw),
        }
    }
    match kind {
        None => {
            return Err(err(
                0,
                format!(
                    "not {} feed: no root element",
                    if format == Format::Atom {
                        "an Atom"
                    } else {
                        "an RSS"
                    }
                ),
            ))
        }
        Some(Kind::Rss(_) | Kind::Rdf(_)) if !channel => {
            // Well-formed, but nothing in it is a feed's text: read leniently, written back
            // byte for byte, and said (never silently accepted).
            b.doc.warnings.push(Warning {
                line: lines.line(root_offset(text)),
                message: "the RSS feed has no <channel>: nothing to translate, written as it is"
                    .into(),
            });
        }
        _ => {}
    }
    b.markup();
    Ok(b.doc)
}

/// Whether `parent` is the channel (Atom: the feed) or an item (entry): where the feed's own
/// translated elements are.
fn in_feed_or_item(kind: Kind, parent: &[Name]) -> bool {
    match kind {
        Kind::Rss(ns) => {
            is(parent, ns, &["rss", "channel"]) || is(parent, ns, &["rss", "channel", "item"])
        }
        Kind::Rdf(ns) => {
            parent.len() == 2
                && (parent[1] == (ns, "channel".to_string())
                    || parent[1] == (ns, "item".to_string()))
        }
        Kind::Atom(ns) => {
            parent.len() == 1 || (parent.len() == 2 && parent[1] == (ns, "entry".to_string()))
        }
    }
}

/// Whether `path` is that of an item (entry).
fn is_item(kind: Kind, path: &[Name]) -> bool {
    match kind {
        Kind::Rss(ns) => is(path, ns, &["rss", "channel", "item"]),
        Kind::Rdf(ns) => path.len() == 2 && path[1] == (ns, "item".to_string()),
        Kind::Atom(ns) => path.len() == 2 && path[1] == (ns, "entry".to_string()),
    }
}

/// The offset of the root element's start tag (past the declaration, comments and doctype).
fn root_offset(text: &str) -> usize {
    let mut at = 0;
    while let Some(p) = text[at..].find('<') {
        let rest = &text[at + p..];
        if rest.starts_with("<?") || rest.starts_with("<!") {
            at += p + 2;
            continue;
        }
        return at + p;
    }
    0
}

/// Adds the blocks of one translated element, led by a group marker holding its content as
/// written. Embedded HTML the HTML reader cannot read keeps the element as it is, with a
/// warning.
fn group(
    b: &mut Builder<'_>,
    origin: &str,
    content: Content,
    inner: &str,
    at: usize,
    name: &str,
) -> Result<()> {
    let trimmed = inner.trim();
    let cdata = trimmed
        .strip_prefix("<![CDATA[")
        .and_then(|s| s.strip_suffix("]]>"))
        .filter(|s| !s.contains("]]>"));
    // Child elements where text was expected: markup, read and written as such.
    let children = cdata.is_none() && inner.contains('<');
    let content = if children { Content::Xhtml } else { content };
    let (payload, wrap) = match (content, cdata) {
        (Content::Xhtml, _) => (inner.to_string(), "none"),
        (_, Some(c)) => (c.to_string(), "cdata"),
        (_, None) => (markup::unescape(inner), "xml"),
    };
    let mut blocks = Vec::new();
    if content == Content::Text {
        if payload.chars().any(char::is_alphabetic) {
            let lead = payload.len() - payload.trim_start().len();
            let body = payload.trim();
            let kind = if name == "title" {
                BlockKind::Title
            } else {
                BlockKind::Paragraph
            };
            let mut block = Block::new(kind, body, b.lines.line(at));
            block.prefix = payload[..lead].to_string();
            block.suffix = payload[lead + body.len()..].to_string();
            block.raw = payload.clone();
            block.attrs.insert(PLAIN.into(), true.into());
            blocks.push(block);
        }
    } else {
        // Offsets inside unescaped or CDATA content are not those of the file, but its line
        // breaks are those of the file: lines count from the element's.
        let own_lines = LineIndex::new(&payload);
        let (base, lines) = if wrap == "none" {
            (at, b.lines)
        } else {
            (0, &own_lines)
        };
        match Fragment::new(&payload, base, lines, Mode::Html).read(origin) {
            Ok((mut bs, tail)) => {
                if wrap != "none" {
                    let first = b.lines.line(at) - 1;
                    for x in &mut bs {
                        x.line += first;
                    }
                }
                blocks.append(&mut bs);
                if !tail.is_empty() {
                    let mut t = Block::new(BlockKind::Markup, "", 0);
                    t.raw = tail;
                    blocks.push(t);
                }
            }
            Err(e) => {
                let reason = match &e {
                    Error::Parse { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                b.doc.warnings.push(Warning {
                    line: b.lines.line(at),
                    message: format!("the HTML in <{name}> cannot be read ({reason}); the element is kept as it is"),
                });
                b.pending.push_str(inner);
                return Ok(());
            }
        }
    }
    if blocks.iter().all(|x| !x.kind.is_translatable()) {
        b.pending.push_str(inner);
        return Ok(());
    }
    b.markup();
    let mut head = Block::new(BlockKind::Markup, "", 0);
    head.raw = inner.to_string();
    head.attrs.insert(GROUP.into(), blocks.len().into());
    head.attrs.insert(WRAP.into(), wrap.into());
    if wrap == "cdata" {
        let lead = inner.len() - inner.trim_start().len();
        head.prefix = inner[..lead].to_string();
        head.suffix = inner[lead + trimmed.len()..].to_string();
    }
    b.doc.blocks.push(head);
    b.doc.blocks.append(&mut blocks);
    Ok(())
}

/// Writes a feed back: markup as read, translated elements re-escaped the way they were
/// written (CDATA stays CDATA), the language set to the target.
pub fn write(doc: &Document) -> String {
    let target = doc.target.filter(|_| doc.is_translated()).map(|l| l.code());
    let mut out = String::new();
    let mut i = 0;
    while i < doc.blocks.len() {
        let b = &doc.blocks[i];
        i += 1;
        if b.attrs.contains_key(LANG_TEXT) {
            // `en-us` stays for `en`.
            let same = |code: &str| {
                let primary = b.raw.trim().split(['-', '_']).next().unwrap_or_default();
                primary.eq_ignore_ascii_case(code)
            };
            match target.filter(|c| !same(c)) {
                Some(code) => out.push_str(code),
                None => out.push_str(&b.raw),
            }
            continue;
        }
        if b.attrs.contains_key(html::LANG_ATTRS) {
            out.push_str(&html::write_blocks(std::slice::from_ref(b), target));
            continue;
        }
        let Some(n) = b.attrs.get(GROUP).and_then(serde_json::Value::as_u64) else {
            out.push_str(&if b.is_changed() {
                html::write_blocks(std::slice::from_ref(b), None)
            } else {
                b.raw.clone()
            });
            continue;
        };
        let n = (n as usize).min(doc.blocks.len() - i);
        let members = &doc.blocks[i..i + n];
        i += n;
        if !members.iter().any(Block::is_changed) {
            out.push_str(&b.raw);
            continue;
        }
        let body: String = match members.first() {
            Some(m) if m.attrs.contains_key(PLAIN) => {
                format!("{}{}{}", m.prefix, m.translated_text(), m.suffix)
            }
            _ => html::write_blocks(members, None),
        };
        match b.attrs.get(WRAP).and_then(serde_json::Value::as_str) {
            Some("cdata") => {
                out.push_str(&b.prefix);
                out.push_str("<![CDATA[");
                out.push_str(&body.replace("]]>", "]]]]><![CDATA[>"));
                out.push_str("]]>");
                out.push_str(&b.suffix);
            }
            Some("none") => out.push_str(&body),
            _ => out.push_str(&markup::escape_text(&body)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n  <title>أخبار</title>\n  <language>ar</language>\n  <item>\n    <title>آتزمون &amp; توكاييف</title>\n    <guid isPermaLink=\"false\">n-1</guid>\n    <description>&lt;p&gt;قال &lt;b&gt;آتزمون&lt;/b&gt;.&lt;/p&gt;</description>\n    <content:encoded><![CDATA[<p>وصل <a href=\"/t\">توكاييف</a>.</p>]]></content:encoded>\n    <pubDate>Sat, 28 Nov 2026 00:00:00 GMT</pubDate>\n  </item>\n</channel>\n</rss>\n";

    #[test]
    fn rss_blocks_items_and_exact_round_trip() {
        let doc = read(Format::Rss, "f.xml", RSS).unwrap();
        let texts: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| b.kind.is_translatable())
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(
            texts,
            ["أخبار", "آتزمون & توكاييف", "قال آتزمون.", "وصل توكاييف."]
        );
        let items = items(&doc);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "n-1");
        assert_eq!(write(&doc), RSS);
    }

    #[test]
    fn malformed_feed_names_line() {
        let e = read(
            Format::Rss,
            "bad.xml",
            "<rss>\n<channel>\n<title>x</titel>\n</channel></rss>",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("bad.xml:3: malformed feed"), "{e}");
        let e = read(
            Format::Rss,
            "bad.xml",
            "<rss>\n<channel>\n<title>x</title>\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not closed"), "{e}");
    }
}
