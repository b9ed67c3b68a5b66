//! HTML and XHTML pages and fragments, tokenized with `quick-xml` in its lenient mode.
//!
//! Every run of text between block-level tags becomes a [`Block`] whose `text` has the markup
//! removed; inline elements (`<a>`, `<em>`, `<strong>`, `<b>`, `<i>`, `<span>`…) are kept as
//! [`InlineKind::Tag`] spans over the text, with their tags exactly as written. `alt` and
//! `title` attributes become blocks of their own. `<code>`, `<pre>`, `<script>`, `<style>`,
//! `<textarea>` and elements with `translate="no"` are kept byte for byte, as is all markup
//! between blocks; the `lang` attribute of `<html>` is set to the target language.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::inline;
use super::markup::{self, LineIndex};
use super::{Block, BlockKind, Document, Format, Inline, InlineKind};
use crate::error::{Error, Result};

/// Attribute holding, on a markup block, the names of the language attributes of its tag.
pub(crate) const LANG_ATTRS: &str = "lang_attrs";
/// Attribute marking a block whose text is an attribute value (escaped as such on output).
pub(crate) const IN_ATTR: &str = "in_attr";
/// On the block of an `alt`/`title` value of an inline tag: the tag as written. Such blocks
/// are written inside their tag, by the block of the text the tag is in.
const DETACHED: &str = "detached";
/// On the block of a text: how many detached blocks of its inline tags precede it.
const DETACHED_BEFORE: &str = "detached_before";
/// On a detached block: the attribute it is the value of.
const KEY: &str = "key";

const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
];
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose content is kept as written.
const KEEP: &[&str] = &["code", "pre", "kbd", "samp", "var"];
/// Elements whose content is not markup at all.
const RAW_TEXT: &[&str] = &["script", "style", "textarea"];
/// Attributes whose values are translated.
const TRANSLATED_ATTRS: &[&str] = &["alt", "title"];

/// How the fragment reader treats elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// HTML: block-level elements end a block, inline ones stay inside it.
    Html,
    /// XLIFF inline codes: every element is inline.
    AllInline,
}

/// A piece of text being gathered into a block.
#[derive(Default)]
struct Run {
    /// Byte offset in the source where the run starts, once it has started.
    start: Option<usize>,
    end: usize,
    text: String,
    inlines: Vec<Inline>,
    /// Open inline elements.
    open: Vec<OpenTag>,
    /// Blocks of `alt`/`title` values of inline tags of this run, just before its block.
    detached: usize,
}

/// An inline element whose closing tag has not come yet.
struct OpenTag {
    name: String,
    /// The opening tag as written, and any elements with no text right after it.
    open: String,
    /// Where its text starts in the run's text.
    from: usize,
    /// How many inline elements the run had when it opened (those after it are inside it).
    inlines_at: usize,
}

/// Turns markup into blocks.
pub(crate) struct Fragment<'a> {
    src: &'a str,
    /// Offset of `src` in the whole input (for line numbers).
    base: usize,
    lines: &'a LineIndex,
    mode: Mode,
    blocks: Vec<Block>,
    pending: String,
    run: Run,
    kind: BlockKind,
}

impl<'a> Fragment<'a> {
    /// A reader for `src`, which starts at byte `base` of the input indexed by `lines`.
    pub(crate) fn new(src: &'a str, base: usize, lines: &'a LineIndex, mode: Mode) -> Self {
        Fragment {
            src,
            base,
            lines,
            mode,
            blocks: Vec::new(),
            pending: String::new(),
            run: Run::default(),
            kind: BlockKind::Paragraph,
        }
    }

    /// Reads the whole fragment: the blocks, and the markup after the last one.
    pub(crate) fn read(mut self, origin: &str) -> Result<(Vec<Block>, String)> {
        let mut at = 0;
        'outer: while at < self.src.len() {
            let mut reader = Reader::from_str(&self.src[at..]);
            let config = reader.config_mut();
            config.check_end_names = false;
            config.allow_unmatched_ends = true;
            config.check_comments = false;
            let mut keep: Option<(String, usize)> = None;
            // An XLIFF code whose content is not text: name, depth, where it starts in `src`
            // and in the run's text.
            let mut code: Option<(String, usize, usize, usize)> = None;
            loop {
                let start = at + reader.buffer_position() as usize;
                let event = reader.read_event().map_err(|e| Error::Parse {
                    origin: origin.to_string(),
                    line: self
                        .lines
                        .line(self.base + at + reader.error_position() as usize),
                    message: format!("malformed markup: {e}"),
                })?;
                let end = at + reader.buffer_position() as usize;
                let raw = &self.src[start..end];
                if let Some((name, depth, from, text_at)) = code.as_mut() {
                    match &event {
                        Event::Start(e) if local(e.name().as_ref()) == *name => *depth += 1,
                        Event::End(e) if local(e.name().as_ref()) == *name => *depth -= 1,
                        Event::Text(_) => self.run.text.push_str(&markup::unescape(raw)),
                        Event::CData(c) => self.run.text.push_str(&String::from_utf8_lossy(c)),
                        Event::Eof => break 'outer,
                        _ => {}
                    }
                    if *depth == 0 {
                        let span = *text_at..self.run.text.len();
                        let raw = self.src[*from..end].to_string();
                        self.run.inlines.push(Inline {
                            kind: InlineKind::Code { raw },
                            span,
                        });
                        self.run.end = end;
                        code = None;
                    }
                    continue;
                }
                if let Some((name, depth)) = keep.as_mut() {
                    match &event {
                        Event::Start(e) if local(e.name().as_ref()) == *name => *depth += 1,
                        Event::End(e) if local(e.name().as_ref()) == *name => *depth -= 1,
                        Event::Eof => break 'outer,
                        _ => {}
                    }
                    self.pending.push_str(raw);
                    if *depth == 0 {
                        keep = None;
                    }
                    continue;
                }
                match event {
                    Event::Eof => break 'outer,
                    Event::Text(_) => {
                        let text = markup::unescape(raw);
                        self.text(start, end, &text);
                    }
                    Event::CData(c) => {
                        let text = String::from_utf8_lossy(&c).into_owned();
                        self.text(start, end, &text);
                    }
                    Event::Start(e) | Event::Empty(e) => {
                        let name = local(e.name().as_ref());
                        let empty = raw.ends_with("/>") || VOID.contains(&name.as_str());
                        if self.mode == Mode::Html && RAW_TEXT.contains(&name.as_str()) && !empty {
                            self.flush();
                            let close = find_close(self.src, end, &name);
                            self.pending.push_str(&self.src[start..close]);
                            at = close;
                            continue 'outer;
                        }
                        let no_translate = markup::attr_value(raw, "translate")
                            .is_some_and(|v| v.eq_ignore_ascii_case("no"));
                        // Code inside running text (and inline elements marked not to be
                        // translated) stays in its sentence, as text no engine sees.
                        let inline_code = match self.mode {
                            Mode::AllInline => is_code(&name, raw),
                            Mode::Html => {
                                name != "pre"
                                    && (KEEP.contains(&name.as_str())
                                        || (no_translate && INLINE.contains(&name.as_str())))
                            }
                        };
                        if !empty && inline_code {
                            self.begin(start);
                            code = Some((name, 1, start, self.run.text.len()));
                            continue;
                        }
                        if self.mode == Mode::Html
                            && (no_translate || KEEP.contains(&name.as_str()))
                        {
                            self.flush();
                            self.pending.push_str(raw);
                            if !empty {
                                keep = Some((name, 1));
                            }
                            continue;
                        }
                        let attrs = markup::tag_attrs(raw);
                        let has_text_attr = self.mode == Mode::Html
                            && attrs.iter().any(|(k, r)| {
                                TRANSLATED_ATTRS.contains(&k.as_str())
                                    && raw[r.clone()].chars().any(char::is_alphabetic)
                            });
                        let inline = self.mode == Mode::AllInline
                            || (INLINE.contains(&name.as_str()) || name == "img" || name == "wbr");
                        if inline {
                            if has_text_attr {
                                self.detached(start, raw, &attrs);
                            }
                            if empty {
                                self.inline_empty(start, end, &name, raw);
                            } else {
                                self.inline_open(start, end, name, raw);
                            }
                            continue;
                        }
                        self.flush();
                        self.kind = kind_of(&name);
                        if self.mode == Mode::Html && (name == "html" || name == "body") {
                            let langs: Vec<&str> = attrs
                                .iter()
                                .map(|(k, _)| k.as_str())
                                .filter(|k| *k == "lang" || *k == "xml:lang")
                                .collect();
                            if name == "html" {
                                self.lang_tag(raw, &langs);
                                continue;
                            }
                        }
                        if has_text_attr {
                            self.attr_blocks(start, raw, &attrs);
                        } else {
                            self.pending.push_str(raw);
                        }
                    }
                    Event::End(e) => {
                        let name = local(e.name().as_ref());
                        let matched = self.run.open.iter().rposition(|t| t.name == name);
                        match matched {
                            Some(i) if self.run.start.is_some() => {
                                self.inline_close(i, end, raw);
                            }
                            _ if self.mode == Mode::AllInline => {
                                self.inline_empty(start, end, &name, raw);
                            }
                            _ => {
                                self.flush();
                                self.pending.push_str(raw);
                            }
                        }
                    }
                    _ => {
                        if self.mode == Mode::AllInline && self.run.start.is_some() {
                            self.inline_empty(start, end, "", raw);
                        } else {
                            self.flush();
                            self.pending.push_str(raw);
                        }
                    }
                }
            }
        }
        self.flush();
        Ok((self.blocks, self.pending))
    }

    fn text(&mut self, start: usize, end: usize, text: &str) {
        if self.run.start.is_none() {
            if text.trim().is_empty() {
                self.pending.push_str(&self.src[start..end]);
                return;
            }
            self.run.start = Some(start);
        }
        self.run.text.push_str(text);
        self.run.end = end;
    }

    fn begin(&mut self, start: usize) {
        if self.run.start.is_none() {
            self.run.start = Some(start);
        }
    }

    fn inline_open(&mut self, start: usize, end: usize, name: String, raw: &str) {
        self.begin(start);
        self.run.open.push(OpenTag {
            name,
            open: raw.to_string(),
            from: self.run.text.len(),
            inlines_at: self.run.inlines.len(),
        });
        self.run.end = end;
    }

    fn inline_close(&mut self, i: usize, end: usize, raw: &str) {
        // Elements left open inside this one end with it.
        let mut closed: Vec<OpenTag> = self.run.open.drain(i..).collect();
        let this = closed.remove(0);
        for inner in closed.into_iter().rev() {
            self.close_element(inner, String::new());
        }
        self.close_element(this, raw.to_string());
        self.run.end = end;
    }

    /// Records an element whose closing tag (`close`; empty when it has none here) just came.
    /// Elements with no text keep their place next to the tags they stand by: one right after
    /// an opening tag becomes part of it, one right before a closing tag part of that, and an
    /// element with no text at all is, with everything in it, one element with no text.
    fn close_element(&mut self, tag_: OpenTag, close: String) {
        let len = self.run.text.len();
        let inside = tag_.inlines_at.min(self.run.inlines.len());
        let marks = |inl: Inline| match inl.kind {
            InlineKind::Tag { open, close, .. } => open + &close,
            _ => String::new(),
        };
        if tag_.from == len {
            let mut whole = tag_.open;
            for inl in self.run.inlines.drain(inside..) {
                whole.push_str(&marks(inl));
            }
            self.empty_here(tag_.name, whole, close);
            return;
        }
        let mut tail = String::new();
        if !close.is_empty() {
            let mut k = self.run.inlines.len();
            while k > inside && self.run.inlines[k - 1].span == (len..len) {
                k -= 1;
            }
            for inl in self.run.inlines.drain(k..) {
                tail.push_str(&marks(inl));
            }
        }
        tail.push_str(&close);
        self.run
            .inlines
            .push(tag(tag_.name, tag_.open, tail, tag_.from..len));
    }

    /// Records an element with no text (its tags as written) at the end of the run's text: part
    /// of the opening tag of an element that has just opened there, else an element of its own.
    fn empty_here(&mut self, name: String, open: String, close: String) {
        let at = self.run.text.len();
        if let Some(top) = self.run.open.last_mut().filter(|t| t.from == at) {
            top.open.push_str(&open);
            top.open.push_str(&close);
            return;
        }
        self.run.inlines.push(tag(name, open, close, at..at));
    }

    fn inline_empty(&mut self, start: usize, end: usize, name: &str, raw: &str) {
        self.begin(start);
        self.empty_here(name.to_string(), raw.to_string(), String::new());
        self.run.end = end;
    }

    /// Ends the current run: a block if it has text, markup otherwise.
    fn flush(&mut self) {
        // Elements still open end with the run.
        while let Some(open) = self.run.open.pop() {
            self.close_element(open, String::new());
        }
        let run = std::mem::take(&mut self.run);
        let Some(start) = run.start else { return };
        let raw = &self.src[start..run.end];
        let letters = run.text.chars().any(char::is_alphabetic);
        if !letters && run.detached == 0 {
            self.pending.push_str(raw);
            return;
        }
        let inlines = run.inlines;
        // A run without text still carries tags whose `alt`/`title` may be translated.
        let kind = if letters {
            self.kind.clone()
        } else {
            BlockKind::Markup
        };
        // The text is set after `Block::new`, which would copy it into `raw` (set below).
        let mut block = Block::new(kind, String::new(), self.lines.line(self.base + start));
        block.text = run.text;
        block.inlines = inlines;
        if run.detached > 0 {
            block
                .attrs
                .insert(DETACHED_BEFORE.into(), run.detached.into());
        }
        block.prefix = std::mem::take(&mut self.pending);
        block.raw = format!("{}{raw}", block.prefix);
        self.blocks.push(block);
    }

    /// Emits the `alt`/`title` values of an inline tag as detached blocks: the tag stays in
    /// the text, and the writer puts the translated values into it.
    fn detached(&mut self, start: usize, raw: &str, attrs: &[(String, std::ops::Range<usize>)]) {
        for (key, r) in attrs {
            let value = &raw[r.clone()];
            if !TRANSLATED_ATTRS.contains(&key.as_str()) || !value.chars().any(char::is_alphabetic)
            {
                continue;
            }
            let mut block = Block::new(
                BlockKind::Paragraph,
                markup::unescape(value),
                self.lines.line(self.base + start),
            );
            block.raw = String::new();
            block.attrs.insert(IN_ATTR.into(), true.into());
            block.attrs.insert(DETACHED.into(), raw.into());
            block.attrs.insert(KEY.into(), key.as_str().into());
            self.blocks.push(block);
            self.run.detached += 1;
        }
    }

    /// Emits the `alt`/`title` values of a tag as blocks of their own.
    fn attr_blocks(&mut self, start: usize, raw: &str, attrs: &[(String, std::ops::Range<usize>)]) {
        let mut pos = 0;
        for (key, r) in attrs {
            let value = &raw[r.clone()];
            if !TRANSLATED_ATTRS.contains(&key.as_str()) || !value.chars().any(char::is_alphabetic)
            {
                continue;
            }
            self.pending.push_str(&raw[pos..r.start]);
            let mut block = Block::new(
                BlockKind::Paragraph,
                markup::unescape(value),
                self.lines.line(self.base + start),
            );
            block.attrs.insert(IN_ATTR.into(), true.into());
            block.prefix = std::mem::take(&mut self.pending);
            block.raw = format!("{}{value}", block.prefix);
            self.blocks.push(block);
            pos = r.end;
        }
        self.pending.push_str(&raw[pos..]);
    }

    /// Emits a tag whose language attributes the writer sets to the target language.
    fn lang_tag(&mut self, raw: &str, langs: &[&str]) {
        let mut block = Block::new(BlockKind::Markup, "", 0);
        block.prefix = std::mem::take(&mut self.pending);
        block.raw = format!("{}{raw}", block.prefix);
        block.suffix = raw.to_string();
        let keys = if langs.is_empty() {
            "lang".to_string()
        } else {
            langs.join(",")
        };
        block.attrs.insert(LANG_ATTRS.into(), keys.into());
        self.blocks.push(block);
    }
}

/// Whether an XLIFF inline element holds code rather than text: native code (`<ph>`, `<it>`,
/// `<bpt>`, `<ept>`), or a marker that protects its content (`<mrk translate="no">`,
/// `mtype="protected"`).
fn is_code(name: &str, tag: &str) -> bool {
    match name {
        "ph" | "it" | "bpt" | "ept" => true,
        "mrk" => {
            markup::attr_value(tag, "translate").is_some_and(|v| v == "no")
                || markup::attr_value(tag, "mtype").is_some_and(|v| v == "protected")
        }
        _ => false,
    }
}

fn tag(name: String, open: String, close: String, span: std::ops::Range<usize>) -> Inline {
    Inline {
        kind: InlineKind::Tag { name, open, close },
        span,
    }
}

/// The element name without namespace prefix, lowercase.
fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    let local = name.rsplit(':').next().unwrap_or(&name);
    local.to_ascii_lowercase()
}

/// The block kind a block-level element gives the text that follows it.
fn kind_of(name: &str) -> BlockKind {
    match name {
        "title" => BlockKind::Title,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading {
            level: name[1..].parse().unwrap_or(1),
        },
        "li" | "dt" | "dd" => BlockKind::ListItem,
        "blockquote" => BlockKind::Quote,
        _ => BlockKind::Paragraph,
    }
}

/// The end of the closing tag of raw-text element `name` after `from` (or the end of `src`).
fn find_close(src: &str, from: usize, name: &str) -> usize {
    let needle = format!("</{name}");
    let lower = src[from..].to_ascii_lowercase();
    match lower.find(&needle) {
        Some(off) => {
            let close = from + off;
            src[close..].find('>').map_or(src.len(), |g| close + g + 1)
        }
        None => src.len(),
    }
}

/// Reads an HTML page or fragment.
pub fn read(origin: &str, text: &str) -> Result<Document> {
    let lines = LineIndex::new(text);
    let (blocks, tail) = Fragment::new(text, 0, &lines, Mode::Html).read(origin)?;
    let mut doc = Document::new(Format::Html, origin);
    doc.blocks = blocks;
    if !tail.is_empty() {
        let mut end = Block::new(BlockKind::Markup, "", lines.line(text.len()));
        end.raw = tail;
        doc.blocks.push(end);
    }
    Ok(doc)
}

/// Writes blocks read by [`Fragment`] back as markup: unchanged blocks byte for byte, changed
/// ones with translations and their inline tags; language tags get `target` when `translated`.
pub(crate) fn write_blocks(blocks: &[Block], target: Option<&str>) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if let (Some(serde_json::Value::String(keys)), Some(code)) =
            (b.attrs.get(LANG_ATTRS), target)
        {
            out.push_str(&b.prefix);
            let mut tag = b.suffix.clone();
            for key in keys.split(',') {
                tag = markup::set_lang(&tag, key, code);
            }
            out.push_str(&tag);
            continue;
        }
        if b.attrs.contains_key(DETACHED) {
            continue;
        }
        let n = b
            .attrs
            .get(DETACHED_BEFORE)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as usize;
        let detached = &blocks[i.saturating_sub(n)..i];
        if !b.is_changed() && !detached.iter().any(Block::is_changed) {
            out.push_str(&b.raw);
            continue;
        }
        out.push_str(&b.prefix);
        if b.attrs.contains_key(IN_ATTR) {
            out.push_str(&inline::render_block(b, &markup::escape_attr));
        } else if detached.is_empty() {
            out.push_str(&inline::render_block(b, &markup::escape_text));
        } else {
            out.push_str(&inline::render_block(
                &with_attr_translations(b, detached),
                &markup::escape_text,
            ));
        }
        out.push_str(&b.suffix);
    }
    out
}

/// A copy of `b` whose inline tags carry the translated `alt`/`title` values of `detached`.
fn with_attr_translations(b: &Block, detached: &[Block]) -> Block {
    let mut b = b.clone();
    for inl in &mut b.inlines {
        let InlineKind::Tag { open, close, .. } = &mut inl.kind else {
            continue;
        };
        for d in detached {
            let tag = d.attrs.get(DETACHED).and_then(serde_json::Value::as_str);
            let key = d.attrs.get(KEY).and_then(serde_json::Value::as_str);
            if let (Some(tag), Some(key)) = (tag, key) {
                if !d.is_changed() {
                    continue;
                }
                // The tag may be written together with elements with no text next to it.
                let new = markup::set_attr(tag, key, &d.translated_text());
                if open.contains(tag) {
                    *open = open.replacen(tag, &new, 1);
                } else if close.contains(tag) {
                    *close = close.replacen(tag, &new, 1);
                }
            }
        }
    }
    b
}

/// Writes an HTML document: markup as read, translations in place, `lang` updated.
pub fn write(doc: &Document) -> String {
    let target = doc.target.filter(|_| doc.is_translated()).map(|l| l.code());
    write_blocks(&doc.blocks, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Segment;

    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"ar\">\n<head><title>خبر</title><style>p < b { x }</style></head>\n<body>\n<p>قال <a href=\"/x?a=1&amp;b=2\">آتزمون</a> إن <em>توكاييف</em> وصل.</p>\n<pre>لا <b>تترجم</b></pre>\n<p translate=\"no\">آتزمون</p>\n<img src=\"a.png\" alt=\"صورة\">\n<script>if (a < b) {}</script>\n</body>\n</html>\n";

    #[test]
    fn blocks_inlines_and_exact_round_trip() {
        let mut doc = read("p.html", PAGE).unwrap();
        let texts: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| b.kind.is_translatable())
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(texts, ["خبر", "قال آتزمون إن توكاييف وصل.", "صورة"]);
        let p = doc
            .blocks
            .iter()
            .find(|b| b.text.starts_with("قال"))
            .unwrap();
        assert_eq!(p.inlines.len(), 2);
        assert_eq!(&p.text[p.inlines[0].span.clone()], "آتزمون");
        assert_eq!(p.line, 5);
        assert_eq!(write(&doc), PAGE);
        // The alt text of an image alone between blocks is written into its tag.
        let alt = doc.blocks.iter_mut().find(|b| b.text == "صورة").unwrap();
        let mut seg = Segment::new(0, &alt.text, 0..alt.text.len());
        seg.translation = Some("picture".into());
        alt.segments = vec![seg];
        assert!(write(&doc).contains("<img src=\"a.png\" alt=\"picture\">\n<script>"));
    }

    #[test]
    fn tags_go_back_around_surviving_words() {
        let mut doc = read("p.html", PAGE).unwrap();
        doc.target = Some(crate::Lang::from_code("en").unwrap());
        let b = doc
            .blocks
            .iter_mut()
            .find(|b| b.text.starts_with("قال"))
            .unwrap();
        let mut seg = Segment::new(0, &b.text, 0..b.text.len());
        seg.translation = Some("Said آتزمون that توكاييف arrived.".into());
        b.segments = vec![seg];
        let out = write(&doc);
        assert!(
            out.contains(
                "<p>Said <a href=\"/x?a=1&amp;b=2\">آتزمون</a> that <em>توكاييف</em> arrived.</p>"
            ),
            "{out}"
        );
        assert!(out.contains("<html lang=\"en\">"));
        assert!(out.contains("<pre>لا <b>تترجم</b></pre>"));
    }

    #[test]
    fn title_of_an_inline_tag_keeps_the_sentence_whole() {
        let src = "<p>قال <a href=\"/x\" title=\"توكاييف\">آتزمون</a> أمس.</p>\n";
        let mut doc = read("t.html", src).unwrap();
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["توكاييف", "قال آتزمون أمس.", ""]);
        assert_eq!(write(&doc), src);
        let title = &mut doc.blocks[0];
        let mut seg = Segment::new(0, &title.text, 0..title.text.len());
        seg.translation = Some("tokayev".into());
        title.segments = vec![seg];
        // Only the title changed: the sentence is written with the new title in its tag.
        assert_eq!(
            write(&doc),
            "<p>قال <a href=\"/x\" title=\"tokayev\">آتزمون</a> أمس.</p>\n"
        );
        let p = &mut doc.blocks[1];
        let mut seg = Segment::new(0, &p.text, 0..p.text.len());
        seg.translation = Some("qal atzmon ams.".into());
        p.segments = vec![seg];
        assert_eq!(
            write(&doc),
            "<p>qal <a href=\"/x\" title=\"tokayev\">atzmon</a> ams.</p>\n"
        );
    }

    #[test]
    fn tags_follow_words_by_position_when_words_change() {
        let mut doc = read("p.html", PAGE).unwrap();
        let b = doc
            .blocks
            .iter_mut()
            .find(|b| b.text.starts_with("قال"))
            .unwrap();
        let mut seg = Segment::new(0, &b.text, 0..b.text.len());
        seg.translation = Some("qal atzmon in tokayev wasal.".into());
        b.segments = vec![seg];
        let out = write(&doc);
        assert!(
            out.contains(
                "<p>qal <a href=\"/x?a=1&amp;b=2\">atzmon</a> in <em>tokayev</em> wasal.</p>"
            ),
            "{out}"
        );
        let p = doc
            .blocks
            .iter()
            .find(|b| b.text.starts_with("قال"))
            .unwrap();
        assert!(crate::doc::moved_inlines(Format::Html, p).is_empty());
    }
}
