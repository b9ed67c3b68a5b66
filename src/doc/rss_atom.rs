//! RSS 2.0 and Atom feeds, read with `quick-xml`.
//!
//! Titles, descriptions, summaries, subtitles and content are translated: plain text as one
//! block, HTML (escaped or inside CDATA, or Atom `type="xhtml"` markup) through the HTML
//! reader, so inline tags survive. Every other byte of the feed is written back as it was,
//! except the language: RSS `<language>` and Atom `xml:lang` on `<feed>` get the target.
//!
//! Each item (entry) starts with an empty marker block that carries its id (`guid`, `link` or
//! Atom `id`), so that [`items`] can tell which blocks belong to which item.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::html::{self, Fragment, Mode};
use super::markup::{self, LineIndex};
use super::{Block, BlockKind, Document, Format};
use crate::error::{Error, Result};

/// Marker attribute: number of content blocks of a translated element that follow.
const GROUP: &str = "group";
/// How the group's content was written: `cdata`, `xml` (escaped) or `none` (XHTML markup).
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

/// What a translated element holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Text,
    Html,
    Xhtml,
}

/// Which elements are translated, by path of local names below the root.
fn content_of(format: Format, path: &[String], tag: &str) -> Option<Content> {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    match format {
        Format::Rss => match names.as_slice() {
            ["rss", "channel", "title"] | ["rss", "channel", "item", "title"] => {
                Some(Content::Text)
            }
            ["rss", "channel", "description"]
            | ["rss", "channel", "item", "description"]
            | ["rss", "channel", "item", "encoded"] => Some(Content::Html),
            _ => None,
        },
        _ => match names.as_slice() {
            ["feed", "title" | "subtitle"] | ["feed", "entry", "title" | "summary" | "content"] => {
                if markup::attr_value(tag, "src").is_some() {
                    return None;
                }
                match markup::attr_value(tag, "type").as_deref() {
                    None | Some("text") => Some(Content::Text),
                    Some("html") => Some(Content::Html),
                    Some("xhtml") => Some(Content::Xhtml),
                    Some(_) => None,
                }
            }
            _ => None,
        },
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

/// Reads an RSS 2.0 (`format` [`Format::Rss`]) or Atom feed. Malformed XML, or a root element
/// that is not `<rss>`/`<feed>`, is an error naming the line.
pub fn read(format: Format, origin: &str, text: &str) -> Result<Document> {
    let lines = LineIndex::new(text);
    let err = |at: usize, message: String| Error::Parse {
        origin: origin.to_string(),
        line: lines.line(at),
        message,
    };
    let mut reader = Reader::from_str(text);
    let mut b = Builder {
        doc: Document::new(format, origin),
        pending: String::new(),
        lines: &lines,
    };
    let mut path: Vec<String> = Vec::new();
    // The item being read: index of its marker block, and its id candidates.
    let mut item: Option<(usize, Option<String>, Option<String>)> = None;
    let mut items = 0;
    let root = if format == Format::Rss { "rss" } else { "feed" };
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
            Event::Eof => {
                if let Some(open) = path.last() {
                    return Err(err(
                        text.len(),
                        format!("malformed feed: <{open}> is not closed"),
                    ));
                }
                break;
            }
            Event::Start(e) => {
                let name = local(e.name().as_ref());
                if path.is_empty() && name != root {
                    return Err(err(
                        start,
                        format!("not a {format} feed: the root is <{name}>"),
                    ));
                }
                path.push(name.clone());
                let in_item = matches!(
                    path.iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .as_slice(),
                    ["rss", "channel", "item"] | ["feed", "entry"]
                );
                if in_item {
                    b.markup();
                    item = Some((b.doc.blocks.len(), None, None));
                    items += 1;
                    b.marker(ITEM, items.to_string().into(), "");
                }
                if format == Format::Atom && path.len() == 1 {
                    let langs = markup::tag_attrs(raw)
                        .into_iter()
                        .any(|(k, _)| k == "xml:lang");
                    if langs {
                        b.markup();
                        let mut lb = Block::new(BlockKind::Markup, "", 0);
                        lb.raw = raw.to_string();
                        lb.suffix = raw.to_string();
                        lb.attrs.insert(html::LANG_ATTRS.into(), "xml:lang".into());
                        b.doc.blocks.push(lb);
                        continue;
                    }
                }
                let is_lang = format == Format::Rss && path == ["rss", "channel", "language"];
                let content = content_of(format, &path, raw);
                let wants_id = item.is_some() && matches!(name.as_str(), "guid" | "id" | "link");
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
                        if name == "link" {
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
                    group(&mut b, origin, content, inner, span.start as usize, &name)?;
                } else {
                    b.pending.push_str(inner);
                }
                b.pending.push_str(close);
            }
            Event::End(_) => {
                let closing_item = matches!(
                    path.iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .as_slice(),
                    ["rss", "channel", "item"] | ["feed", "entry"]
                );
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
                if path.is_empty() {
                    return Err(err(start, format!("not a {format} feed")));
                }
                if let Some((_, _, link)) = item.as_mut() {
                    if local(e.name().as_ref()) == "link" {
                        if let Some(href) = markup::attr_value(raw, "href") {
                            link.get_or_insert(href);
                        }
                    }
                }
                b.pending.push_str(raw);
            }
            Event::Text(_) | Event::CData(_) if path.is_empty() => {
                if !raw.trim().is_empty() {
                    return Err(err(
                        start,
                        "malformed feed: text outside the root element".into(),
                    ));
                }
                b.pending.push_str(raw);
            }
            _ => b.pending.push_str(raw),
        }
    }
    if path.is_empty() && b.doc.blocks.is_empty() && !text.contains(&format!("<{root}")) {
        return Err(err(1, format!("not a {format} feed")));
    }
    b.markup();
    Ok(b.doc)
}

/// Adds the blocks of one translated element, led by a group marker holding its content as
/// written.
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
        let (mut bs, tail) = Fragment::new(&payload, at, b.lines, Mode::Html).read(origin)?;
        blocks.append(&mut bs);
        if !tail.is_empty() {
            let mut t = Block::new(BlockKind::Markup, "", 0);
            t.raw = tail;
            blocks.push(t);
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

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or(&name).to_string()
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
            match target {
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
