//! Markdown: CommonMark with the GitHub extensions (tables, footnotes, task lists,
//! strikethrough) and YAML (`---`) or TOML (`+++`) front matter, read with `pulldown-cmark`
//! and its source offsets.
//!
//! Every run of inline content (a paragraph, a heading, a table cell, a tight list item, a
//! footnote's text) becomes a block whose `text` is the plain text; emphasis, links, images
//! and inline HTML become [`InlineKind::Tag`]s with their markup exactly as written (`**`/`**`,
//! `[`/`](url "title")`, `[`/`][label]`), inline code and autolinks [`InlineKind::Code`]. The
//! title of an inline link or image is a block of its own, and so is the title of a link
//! reference definition (`[foo]: /url "title"`). A hard line break inside a sentence is an
//! element with no text whose markup is the break as written (`inline::LINE_BREAK`).
//! Everything else — front matter, code blocks (fenced and indented), HTML blocks and comments,
//! the labels and destinations of reference definitions, list markers, quote markers, table
//! rules, blank lines — lies between blocks and is written back byte for byte.
//!
//! Writing replaces only the bytes of translated text: a block whose text did not change is
//! written as read, and in a translated block the text outside translated segments is written
//! from the source bytes it was read from (escapes and entities as written). Translations are
//! escaped so that they read back as the same text and cannot start a new block.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use serde_json::{json, Value};

use super::inline;
use super::markup::LineIndex;
use super::{Block, BlockKind, Document, Format, Inline, InlineKind};

/// On a text block: `[[text start, text end, source start, source end], …]`, the source bytes
/// (relative to the block's run, after its prefix) each piece of the text was read from.
const PIECES: &str = "pieces";
/// On a text block: what stands at the start of its continuation lines (`> `, indentation).
const CONT: &str = "continuation";
/// On a text block whose text must stay on one line (a heading or a table cell).
const ONE_LINE: &str = "one_line";
/// On a table cell block: `|` is escaped in translations.
const CELL: &str = "cell";
/// On a text block: how many link-title blocks stand just before it.
const TITLES: &str = "titles";
/// On a link-title block: the closing markup of its link or image as written.
const TITLE_OF: &str = "title_of";
/// On a link-title block: `[start, end]`, the title's bytes inside that closing markup.
const TITLE_AT: &str = "title_at";
/// On a block that is the title of a link reference definition (`[foo]: /url "title"`): the
/// title's opening delimiter (`"`, `'` or `(`). The block's `raw` is the title's bytes between
/// its delimiters; the rest of the definition lies between blocks.
const REF_TITLE: &str = "ref_title";
/// On a text block: `[[text start, text end, closing markup as written, closing markup with
/// the label], …]` for shortcut and collapsed reference links (`[foo]`, `[foo][]`), whose
/// text is their label: when their text is translated they are written `[…][foo]`.
const LABELS: &str = "labels";

/// Inline HTML elements whose content is code: kept as written, never translated.
const HTML_CODE: &[&str] = &["code", "kbd", "samp", "var"];

/// The parser options tarjuman reads Markdown with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// An inline element whose end has not been read yet.
struct Open {
    name: &'static str,
    /// Where its markup starts in the source.
    start: usize,
    /// Where its opening delimiter ends (`*`, `**`, `~~`, `[`, `![`, `<`).
    open_end: usize,
    /// Where its content starts in the source, once the first event inside it was read.
    content: Option<usize>,
    /// A shortcut or collapsed reference link: its text is its label.
    label_link: bool,
    /// Where its content starts in the text.
    text_at: usize,
    /// An autolink (`<https://…>`): kept as code.
    autolink: bool,
    /// The title of an inline link or image, if it has letters.
    title: Option<String>,
    /// How many inline elements the run had when it opened (those after it are inside it).
    inlines_at: usize,
}

/// The inline content being gathered into a block.
#[derive(Default)]
struct Run {
    /// Source offset of its first event, once it started.
    start: Option<usize>,
    /// Source offset up to which the bytes are accounted for.
    cursor: usize,
    text: String,
    inlines: Vec<Inline>,
    /// `[text start, text end, source start, source end]`, source offsets absolute.
    pieces: Vec<[usize; 4]>,
    /// Whether the last piece is its source bytes as they are (kept up to date so that a
    /// piece grown by many small texts is not compared again whole at each).
    last_literal: bool,
    opens: Vec<Open>,
    /// Inline HTML start tags not yet closed: name, tag as written, position in the text,
    /// and in `inlines` (so that one left alone keeps its place among the others), and where
    /// it starts in the source.
    html: Vec<(String, String, usize, usize, usize)>,
    /// Link-title blocks of this run.
    titles: Vec<Block>,
    /// The last piece is a line break: the bytes up to the next content (the continuation
    /// prefix) belong to it.
    after_break: bool,
    cont: Option<String>,
    /// The hard line break read last, whose element (index in `inlines`) takes the bytes up
    /// to the next content (the continuation prefix), once that content is read.
    hard_break: Option<usize>,
    /// Shortcut and collapsed reference links: text span, closing markup, explicit one.
    labels: Vec<(usize, usize, String, String)>,
}

/// Whether piece `p` (`[text start, text end, source start, source end]`) is its source bytes
/// as they are.
fn literal(p: &[usize; 4], src: &str, txt: &str) -> bool {
    p[1] - p[0] == p[3] - p[2] && src.get(p[2]..p[3]) == txt.get(p[0]..p[1])
}

/// What encloses the inline content being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Heading(u8),
    Cell,
    Item,
    Quote,
    Other,
}

struct Reader<'a> {
    src: &'a str,
    lines: LineIndex,
    doc: Document,
    /// Source offset up to which blocks have been emitted.
    emitted: usize,
    run: Run,
    containers: Vec<Container>,
    /// The titles of link reference definitions, by place: their bytes between the
    /// delimiters, their text, their opening delimiter.
    defs: Vec<(std::ops::Range<usize>, String, char)>,
    /// How many of `defs` have been emitted (or passed).
    defs_done: usize,
}

impl<'a> Reader<'a> {
    /// Starts the run at `at` if it has not started; resolves the content start of elements
    /// just opened. Returns where the next item's source starts: the bytes not accounted for
    /// before `at` go to a preceding line break, else to the item.
    fn begin(&mut self, at: usize) -> usize {
        if self.run.start.is_none() {
            // A backslash escaping the first character belongs to the text, not the prefix.
            let bytes = self.src.as_bytes();
            let escaped = at > self.emitted
                && bytes[at - 1] == b'\\'
                && bytes.get(at).is_some_and(u8::is_ascii_punctuation);
            let start = if escaped { at - 1 } else { at };
            self.run.start = Some(start);
            self.run.cursor = start;
        }
        // The elements still waiting for their content are the last ones opened (each is
        // resolved here, at the first event after it): looked at from the top of the stack
        // down to the first resolved one, not all of them (deep nesting stays linear).
        let mut innermost = None;
        for o in self
            .run
            .opens
            .iter_mut()
            .rev()
            .take_while(|o| o.content.is_none())
        {
            // Bytes between the delimiter and the first content (a backslash) go with it.
            o.content = Some(o.open_end.min(at));
            innermost.get_or_insert(o.open_end.min(at));
        }
        if let Some(c) = innermost {
            self.run.cursor = c;
        }
        let from = self.run.cursor.min(at);
        let hard = self.run.hard_break.take();
        if self.run.after_break && at > from {
            match hard.and_then(|k| self.run.inlines.get_mut(k)) {
                // A hard break: its element writes the next line's prefix too.
                Some(Inline {
                    kind: InlineKind::Tag { open, .. },
                    ..
                }) => open.push_str(&self.src[from..at]),
                _ => {
                    if let Some(last) = self.run.pieces.last_mut() {
                        last[3] = at;
                        self.run.last_literal = literal(last, self.src, &self.run.text);
                    }
                }
            }
            if self.run.cont.is_none() {
                let gap = &self.src[from..at];
                let lead = gap.len() - gap.trim_start_matches([' ', '\t', '>']).len();
                self.run.cont = Some(gap[..lead].to_string());
            }
            self.run.after_break = false;
            return at;
        }
        self.run.after_break = false;
        from
    }

    /// Adds `text`, read from `from..end` of the source.
    fn piece(&mut self, text: &str, from: usize, end: usize) {
        let t0 = self.run.text.len();
        self.run.text.push_str(text);
        let t1 = self.run.text.len();
        let new = [t0, t1, from, end];
        let new_literal = literal(&new, self.src, &self.run.text);
        if let Some(last) = self.run.pieces.last_mut() {
            if last[1] == t0 && last[3] == from && self.run.last_literal && new_literal {
                last[1] = t1;
                last[3] = end;
                self.run.cursor = end;
                return;
            }
        }
        self.run.pieces.push(new);
        self.run.last_literal = new_literal;
        self.run.cursor = end;
    }

    fn text(&mut self, text: &str, r: std::ops::Range<usize>) {
        let from = self.begin(r.start);
        self.piece(text, from, r.end);
    }

    /// A line break. A soft one is a `\n` of the text, read from its bytes. A hard one (two
    /// spaces or a backslash before the line end) is a `\n` of the text read from no bytes,
    /// and before it an element with no text whose markup is the break exactly as written with
    /// the next line's prefix ([`inline::is_line_break`]): engines see a blank there, and the
    /// element is put back after the word it followed.
    fn line_break(&mut self, hard: bool, r: std::ops::Range<usize>) {
        let from = self.begin(r.start);
        if hard {
            let at = self.run.text.len();
            self.run.hard_break = Some(self.run.inlines.len());
            self.run.inlines.push(tag(
                inline::LINE_BREAK.to_string(),
                self.src[from..r.end].to_string(),
                String::new(),
                at..at,
            ));
            self.piece("\n", r.end, r.end);
        } else {
            self.piece("\n", from, r.end);
        }
        self.run.after_break = true;
    }

    /// Inline code, math or an autolink: its text in the sentence, its markup as code.
    fn code(&mut self, text: &str, r: std::ops::Range<usize>) {
        let from = self.begin(r.start);
        let at = self.run.text.len();
        self.piece(text, from, r.end);
        self.run.inlines.push(Inline {
            kind: InlineKind::Code {
                raw: self.src[from..r.end].to_string(),
            },
            span: at..self.run.text.len(),
        });
    }

    /// An element with no text of its own (a footnote reference, an HTML tag or comment).
    fn empty(&mut self, name: &str, r: std::ops::Range<usize>) {
        let from = self.begin(r.start);
        self.run.cursor = r.end;
        let raw = self.src[from..r.end].to_string();
        let at = self.run.text.len();
        self.run
            .inlines
            .push(tag(name.to_string(), raw, String::new(), at..at));
    }

    fn inline_html(&mut self, html: &str, r: std::ops::Range<usize>) {
        let (name, closing, empty) = html_tag(html);
        if closing {
            let at = self.run.html.iter().rposition(|(n, ..)| *n == name);
            if let Some(i) = at {
                let from = self.begin(r.start);
                self.run.cursor = r.end;
                let mut inner: Vec<(String, String, usize, usize, usize)> =
                    self.run.html.drain(i..).collect();
                let (n, open, start, idx, open_from) = inner.remove(0);
                let nothing_inside = inner.is_empty() && idx >= self.run.inlines.len();
                // Tags left open inside stand alone where they were.
                for (n, o, p, k, _) in inner.into_iter().rev() {
                    let k = k.min(self.run.inlines.len());
                    self.run.inlines.insert(k, tag(n, o, String::new(), p..p));
                }
                let close = self.src[from..r.end].to_string();
                let end = self.run.text.len();
                if start == end {
                    // Around no text (an image link): two tags in their places.
                    let idx = idx.min(self.run.inlines.len());
                    self.run
                        .inlines
                        .insert(idx, tag(n.clone(), open, String::new(), start..start));
                    self.run
                        .inlines
                        .push(tag(n, close, String::new(), end..end));
                } else if HTML_CODE.contains(&n.as_str()) && nothing_inside {
                    // Code written as HTML: as written, in place of its text.
                    self.run.inlines.push(Inline {
                        kind: InlineKind::Code {
                            raw: self.src[open_from..r.end].to_string(),
                        },
                        span: start..end,
                    });
                } else {
                    self.run.inlines.push(tag(n, open, close, start..end));
                }
                return;
            }
        } else if !empty && !name.is_empty() {
            let from = self.begin(r.start);
            self.run.cursor = r.end;
            let raw = self.src[from..r.end].to_string();
            let (at, k) = (self.run.text.len(), self.run.inlines.len());
            self.run.html.push((name, raw, at, k, from));
            return;
        }
        self.empty(&name, r.clone());
        // A line break written in HTML (`<br>`) keeps the words on either side apart: a blank
        // for the stages, read from no bytes.
        if name == "br"
            && !closing
            && self
                .run
                .text
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace())
        {
            self.piece(" ", r.end, r.end);
        }
    }

    fn open(&mut self, tag_: &Tag<'_>, r: std::ops::Range<usize>) {
        let start = self.begin(r.start);
        let at = &self.src[r.start..];
        let run_of = |c: char| at.len() - at.trim_start_matches(c).len();
        let (name, len, autolink, title, label_link) = match tag_ {
            Tag::Emphasis => ("em", 1, false, None, false),
            Tag::Strong => ("strong", 2, false, None, false),
            Tag::Strikethrough => ("del", run_of('~').clamp(1, 2), false, None, false),
            Tag::Superscript => ("sup", 1, false, None, false),
            Tag::Subscript => ("sub", 1, false, None, false),
            Tag::Link {
                link_type, title, ..
            }
            | Tag::Image {
                link_type, title, ..
            } => {
                let image = matches!(tag_, Tag::Image { .. });
                let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                let title = (*link_type == LinkType::Inline
                    && title.chars().any(char::is_alphabetic))
                .then(|| title.to_string());
                let label = matches!(link_type, LinkType::Shortcut | LinkType::Collapsed);
                let name = if image { "img" } else { "a" };
                (name, if image { 2 } else { 1 }, auto, title, label)
            }
            _ => ("span", 0, false, None, false),
        };
        self.run.opens.push(Open {
            name,
            start,
            open_end: (r.start + len).min(r.end),
            content: None,
            label_link,
            text_at: self.run.text.len(),
            autolink,
            title,
            inlines_at: self.run.inlines.len(),
        });
    }

    fn close(&mut self, r: std::ops::Range<usize>) {
        let Some(open) = self.run.opens.pop() else {
            return;
        };
        // pulldown-cmark's range of a collapsed reference link (`[foo][]`) ends before its
        // `[]`: the `[]` is part of the closing markup (replaced whole when the link has to
        // name its label).
        let mut r = r;
        if open.label_link && self.src[r.end..].starts_with("[]") {
            r.end += 2;
        }
        let end = self.run.text.len();
        let Some(content) = open.content else {
            // Nothing inside: the whole element is its opening markup.
            self.run.cursor = r.end;
            let raw = self.src[open.start..r.end].to_string();
            self.run
                .inlines
                .push(tag(open.name.into(), raw, String::new(), end..end));
            return;
        };
        let close_from = self.run.cursor.min(r.end);
        self.run.cursor = r.end;
        // The bytes after a line break up to here (its next line's prefix) are part of this
        // closing markup: no later content takes them.
        self.run.after_break = false;
        self.run.hard_break = None;
        if end == open.text_at && !open.autolink {
            // Only elements with no text inside (an image with no text in a link): one
            // element with no text, written as it was, so that they stay nested.
            let raw = self.src[open.start..r.end].to_string();
            self.run.inlines.truncate(open.inlines_at);
            self.run
                .inlines
                .push(tag(open.name.into(), raw, String::new(), end..end));
            return;
        }
        if open.autolink {
            let raw = self.src[open.start..r.end].to_string();
            self.run.inlines.push(Inline {
                kind: InlineKind::Code { raw },
                span: open.text_at..end,
            });
            return;
        }
        let openm = self.src[open.start..content].to_string();
        let closem = self.src[close_from..r.end].to_string();
        if open.label_link {
            let label = &self.src[content..close_from];
            let explicit = format!("][{label}]");
            self.run
                .labels
                .push((open.text_at, end, closem.clone(), explicit));
        }
        if let Some(title) = open.title {
            if let Some(at) = title_range(&closem) {
                let mut b = Block::new(BlockKind::Paragraph, title, self.lines.line(r.start));
                b.raw = String::new();
                b.attrs.insert(TITLE_OF.into(), closem.clone().into());
                b.attrs.insert(TITLE_AT.into(), json!([at.start, at.end]));
                self.run.titles.push(b);
            }
        }
        self.run
            .inlines
            .push(tag(open.name.into(), openm, closem, open.text_at..end));
    }

    /// The kind of block the enclosing containers give a run.
    fn kind(&self) -> BlockKind {
        for c in self.containers.iter().rev() {
            match c {
                Container::Heading(level) => return BlockKind::Heading { level: *level },
                Container::Cell => return BlockKind::Paragraph,
                Container::Item => return BlockKind::ListItem,
                Container::Quote => return BlockKind::Quote,
                Container::Other => {}
            }
        }
        BlockKind::Paragraph
    }

    /// Emits the titles of the link reference definitions that end before `pos`: the bytes
    /// before each title go to a markup block, the title itself is a block of its own.
    fn defs_before(&mut self, pos: usize) {
        while let Some((at, title, delim)) = self.defs.get(self.defs_done) {
            if at.end > pos {
                break;
            }
            self.defs_done += 1;
            if at.start < self.emitted {
                continue;
            }
            if at.start > self.emitted {
                let mut m = Block::new(BlockKind::Markup, "", self.lines.line(self.emitted));
                m.raw = self.src[self.emitted..at.start].to_string();
                self.doc.blocks.push(m);
            }
            let mut b = Block::new(
                BlockKind::Paragraph,
                title.clone(),
                self.lines.line(at.start),
            );
            b.raw = self.src[at.clone()].to_string();
            b.attrs.insert(REF_TITLE.into(), delim.to_string().into());
            self.doc.blocks.push(b);
            self.emitted = at.end;
        }
    }

    /// Ends the current run: a block if it has words outside code, nothing otherwise (its
    /// bytes then go with the markup around it).
    fn flush(&mut self) {
        let mut run = std::mem::take(&mut self.run);
        let Some(start) = run.start else { return };
        let end = run.cursor.max(start);
        for (n, o, p, k, _) in run.html.drain(..).rev() {
            let k = k.min(run.inlines.len());
            run.inlines.insert(k, tag(n, o, String::new(), p..p));
        }
        // Words outside inline code: a run of code alone is not translated.
        let mut in_code = vec![false; run.text.len()];
        for i in run.inlines.iter() {
            if matches!(i.kind, InlineKind::Code { .. }) {
                if let Some(flags) = in_code.get_mut(i.span.clone()) {
                    flags.fill(true);
                }
            }
        }
        let words = run
            .text
            .char_indices()
            .any(|(i, c)| c.is_alphabetic() && !in_code[i]);
        if !words {
            return;
        }
        self.defs_before(start);
        let gap = &self.src[self.emitted..start];
        let lead_at = gap.rfind('\n').map_or(0, |n| n + 1);
        if lead_at > 0 {
            let mut m = Block::new(BlockKind::Markup, "", self.lines.line(self.emitted));
            m.raw = gap[..lead_at].to_string();
            self.doc.blocks.push(m);
        }
        let n_titles = run.titles.len();
        self.doc.blocks.append(&mut run.titles);
        let kind = self.kind();
        let mut b = Block::new(kind.clone(), String::new(), self.lines.line(start));
        b.text = run.text;
        run.inlines
            .sort_by(|a, b| (a.span.start, b.span.end).cmp(&(b.span.start, a.span.end)));
        b.inlines = run.inlines;
        b.prefix = gap[lead_at..].to_string();
        b.raw = format!("{}{}", b.prefix, &self.src[start..end]);
        let pieces: Vec<Value> = run
            .pieces
            .iter()
            .map(|p| json!([p[0], p[1], p[2] - start, p[3] - start]))
            .collect();
        b.attrs.insert(PIECES.into(), pieces.into());
        if let Some(cont) = run.cont {
            b.attrs.insert(CONT.into(), cont.into());
        }
        let cell = self.containers.last() == Some(&Container::Cell);
        if cell || matches!(kind, BlockKind::Heading { .. }) {
            b.attrs.insert(ONE_LINE.into(), true.into());
        }
        if cell {
            b.attrs.insert(CELL.into(), true.into());
        }
        if n_titles > 0 {
            b.attrs.insert(TITLES.into(), n_titles.into());
        }
        if !run.labels.is_empty() {
            let labels: Vec<Value> = run
                .labels
                .into_iter()
                .map(|(s, e, c, x)| json!([s, e, c, x]))
                .collect();
            b.attrs.insert(LABELS.into(), labels.into());
        }
        self.doc.blocks.push(b);
        self.emitted = end;
    }
}

fn tag(name: String, open: String, close: String, span: std::ops::Range<usize>) -> Inline {
    Inline {
        kind: InlineKind::Tag { name, open, close },
        span,
    }
}

/// The name of an inline HTML tag, whether it is an end tag, and whether it has no end tag
/// (self-closing, void, a comment or declaration).
fn html_tag(html: &str) -> (String, bool, bool) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let body = html.trim_start_matches('<');
    if body.starts_with(['!', '?']) {
        return (String::new(), false, true);
    }
    let closing = body.starts_with('/');
    let name: String = body
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let empty = html.trim_end().ends_with("/>") || VOID.contains(&name.as_str());
    (name, closing, empty)
}

/// The bytes of the title inside the closing markup of an inline link (`](url "title")`).
fn title_range(close: &str) -> Option<std::ops::Range<usize>> {
    let body = close
        .strip_suffix(')')?
        .trim_end_matches([' ', '\t', '\n', '\r']);
    let last = body.chars().next_back()?;
    let opener = match last {
        '"' => '"',
        '\'' => '\'',
        ')' => '(',
        _ => return None,
    };
    let end = body.len() - 1;
    let b = body.as_bytes();
    let mut i = end;
    while i > 0 {
        i -= 1;
        if b[i] == opener as u8 && (i == 0 || b[i - 1] != b'\\') {
            return Some(i + 1..end);
        }
    }
    None
}

/// The bytes of the title of a link reference definition (`def`, the definition's source
/// from its label to the title's closing delimiter) between its delimiters, and its opening
/// delimiter.
fn def_title_range(def: &str) -> Option<(std::ops::Range<usize>, char)> {
    let opener = match def.chars().next_back()? {
        '"' => '"',
        '\'' => '\'',
        ')' => '(',
        _ => return None,
    };
    let end = def.len() - 1;
    let b = def.as_bytes();
    // The opener: the last one before the end that no backslash escapes, after a blank.
    let mut i = end;
    while i > 0 {
        i -= 1;
        if b[i] != opener as u8 {
            continue;
        }
        let slashes = b[..i].iter().rev().take_while(|c| **c == b'\\').count();
        if slashes % 2 == 1 {
            continue;
        }
        return b[..i]
            .last()
            .is_some_and(u8::is_ascii_whitespace)
            .then_some((i + 1..end, opener));
    }
    None
}

/// Reads Markdown into a document.
pub fn read(origin: &str, text: &str) -> Document {
    let parser = Parser::new_ext(text, options());
    // Link reference definitions are no events: their titles (translatable text, when they
    // have letters) come from the parser's table of them, each found in its definition.
    let mut defs: Vec<(std::ops::Range<usize>, String, char)> = parser
        .reference_definitions()
        .iter()
        .filter_map(|(_, d)| {
            let title = d.title.as_deref()?;
            if !title.chars().any(char::is_alphabetic) {
                return None;
            }
            let (at, delim) = def_title_range(text.get(d.span.clone())?)?;
            let at = d.span.start + at.start..d.span.start + at.end;
            Some((at, title.to_string(), delim))
        })
        .collect();
    defs.sort_by_key(|d| d.0.start);
    let mut r = Reader {
        src: text,
        lines: LineIndex::new(text),
        doc: Document::new(Format::Markdown, origin),
        emitted: 0,
        run: Run::default(),
        containers: Vec::new(),
        defs,
        defs_done: 0,
    };
    // Inside code blocks, HTML blocks and front matter nothing is translated.
    let mut opaque = 0usize;
    for (event, range) in parser.into_offset_iter() {
        if opaque > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                    opaque += 1
                }
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                    opaque -= 1
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(t) => match t {
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                    r.flush();
                    opaque += 1;
                }
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. } => r.open(&t, range),
                other => {
                    r.flush();
                    r.containers.push(match other {
                        Tag::Heading { level, .. } => Container::Heading(level as u8),
                        Tag::TableCell => Container::Cell,
                        Tag::Item => Container::Item,
                        Tag::BlockQuote(_) => Container::Quote,
                        _ => Container::Other,
                    });
                }
            },
            Event::End(t) => match t {
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image => r.close(range),
                _ => {
                    r.flush();
                    r.containers.pop();
                }
            },
            Event::Text(t) => r.text(&t, range),
            Event::Code(c) | Event::InlineMath(c) | Event::DisplayMath(c) => r.code(&c, range),
            Event::InlineHtml(h) => r.inline_html(&h, range),
            Event::Html(_) => {}
            Event::FootnoteReference(_) => r.empty("footnote", range),
            Event::SoftBreak => r.line_break(false, range),
            Event::HardBreak => r.line_break(true, range),
            Event::TaskListMarker(_) | Event::Rule => r.flush(),
        }
    }
    r.flush();
    r.defs_before(text.len());
    if r.emitted < text.len() {
        let mut m = Block::new(BlockKind::Markup, "", r.lines.line(r.emitted));
        m.raw = text[r.emitted..].to_string();
        r.doc.blocks.push(m);
    }
    r.doc
}

fn attr_str<'b>(b: &'b Block, key: &str) -> Option<&'b str> {
    b.attrs.get(key).and_then(Value::as_str)
}

fn pieces(b: &Block) -> Vec<[usize; 4]> {
    let Some(Value::Array(list)) = b.attrs.get(PIECES) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|p| {
            let a = p.as_array()?;
            let n = |i: usize| a.get(i)?.as_u64().and_then(|v| usize::try_from(v).ok());
            Some([n(0)?, n(1)?, n(2)?, n(3)?])
        })
        .collect()
}

/// How translated text of a block is escaped.
struct Escape {
    one_line: bool,
    cell: bool,
    cont: String,
    /// The block has links: a `!` at the end of a piece of text could make the link after
    /// it an image.
    bang: bool,
}

impl Escape {
    fn of(b: &Block) -> Self {
        Escape {
            one_line: b.attrs.contains_key(ONE_LINE),
            cell: b.attrs.contains_key(CELL),
            cont: attr_str(b, CONT).unwrap_or_default().to_string(),
            bang: b.inlines.iter().any(|i| {
                matches!(&i.kind, InlineKind::Tag { name, open, .. } if name == "a" && open.starts_with('['))
            }),
        }
    }

    /// `text` (translated) as Markdown that reads back as the same text inside its block:
    /// what would start inline markup is escaped, and on each new line what would start a
    /// block (on the first line too when `line_start`: the text starts a line). Its line
    /// breaks are written as `breaks` (what stands before the line end and the continuation
    /// prefix of each) when given, else as soft breaks with the block's continuation prefix.
    fn text(&self, text: &str, breaks: &[(&str, &str)], line_start: bool) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            if line_start && !self.one_line {
                let mut l = String::new();
                escape_inline(first.trim_start(), self.cell, &mut l);
                push_line(&mut out, &l, false);
            } else {
                escape_inline(first, self.cell, &mut out);
            }
        }
        for (i, line) in lines.enumerate() {
            let line = line.trim_start();
            if self.one_line {
                if !out.ends_with(' ') && !line.is_empty() {
                    out.push(' ');
                }
                escape_inline(line, self.cell, &mut out);
                continue;
            }
            // Spaces at the end of a line would make a hard break.
            let kept = out.trim_end_matches([' ', '\t']).len();
            out.truncate(kept);
            let (before, cont) = breaks.get(i).copied().unwrap_or(("", &self.cont));
            out.push_str(before);
            out.push('\n');
            out.push_str(cont);
            let mut l = String::with_capacity(line.len());
            escape_inline(line, self.cell, &mut l);
            push_line(&mut out, &l, false);
        }
        if self.bang && out.ends_with('!') && !out.ends_with("\\!") {
            out.insert(out.len() - 1, '\\');
        }
        out
    }
}

/// Appends `text` with the characters that would start inline markup escaped.
fn escape_inline(text: &str, cell: bool, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '~' => true,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => {
                let rest: String = chars[i + 1..].iter().take(33).collect();
                let name_len = rest
                    .find(|x: char| !(x.is_ascii_alphanumeric() || x == '#'))
                    .unwrap_or(rest.len());
                name_len > 0 && rest[name_len..].starts_with(';')
            }
            '|' => cell,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Where a backslash must go in `line` (the text of a line after its container prefix) so
/// that it does not start a block: before an ATX heading's `#`, a quote's `>`, a bullet, an
/// ordered list's `.`/`)`, a setext underline or a thematic break. `first` says whether the
/// line starts the block, where an ordered list may start with any number; on a continuation
/// line only what interrupts a paragraph counts (and the source's own lines never match).
fn block_start(line: &str, first: bool) -> Option<usize> {
    let line = line.trim_end_matches(['\n', '\r']);
    let t = line.trim_start_matches(' ');
    let lead = line.len() - t.len();
    if lead >= 4 || t.starts_with('\t') {
        return None;
    }
    let b = t.as_bytes();
    let c = *b.first()?;
    let spaced = |i: usize| b.get(i).is_none_or(|x| *x == b' ' || *x == b'\t');
    let only = |ch: u8| b.iter().all(|x| *x == ch || *x == b' ' || *x == b'\t');
    match c {
        b'#' => {
            let n = b.iter().take_while(|x| **x == b'#').count();
            (n <= 6 && spaced(n)).then_some(lead)
        }
        b'>' => Some(lead),
        b'-' | b'+' | b'*' if spaced(1) => Some(lead),
        b'-' | b'=' | b'*' | b'_' if only(c) => Some(lead),
        b'0'..=b'9' => {
            let n = b.iter().take_while(|x| x.is_ascii_digit()).count();
            let ordered = n <= 9 && matches!(b.get(n), Some(b'.' | b')')) && spaced(n + 1);
            let interrupts = &t[..n] == "1" && b.get(n + 1).is_some();
            (ordered && (first || interrupts)).then_some(lead + n)
        }
        _ => None,
    }
}

/// Appends `line`, with a backslash where it would start a block (see [`block_start`]).
fn push_line(out: &mut String, line: &str, first: bool) {
    match block_start(line, first) {
        Some(at) => {
            out.push_str(&line[..at]);
            out.push('\\');
            out.push_str(&line[at..]);
        }
        None => out.push_str(line),
    }
}

/// A rendered block made safe as a whole: blank lines (which would end it) are dropped and,
/// when `starts_block`, a backslash goes before what would make its first line start another
/// kind of block (the source's own first line never does).
fn fix_lines(out: &str, starts_block: bool) -> String {
    let mut fixed = String::with_capacity(out.len() + 4);
    for (i, line) in out.split_inclusive('\n').enumerate() {
        if i == 0 && starts_block {
            push_line(&mut fixed, line, true);
            continue;
        }
        let blank = line.trim_start_matches([' ', '\t', '>']).trim().is_empty();
        if i > 0 && blank && line.ends_with('\n') {
            continue;
        }
        fixed.push_str(line);
    }
    fixed
}

/// The source bytes of `b.text[range]`: whole pieces as read, parts of pieces read literally
/// as their bytes, parts of escaped pieces escaped anew.
fn source_of(
    b: &Block,
    run: &str,
    pieces: &[[usize; 4]],
    range: std::ops::Range<usize>,
    esc: &Escape,
) -> String {
    let mut out = String::with_capacity(range.len());
    for p in pieces
        .iter()
        .filter(|p| p[1] > range.start && p[0] < range.end)
    {
        let (t0, t1) = (p[0].max(range.start), p[1].min(range.end));
        let (Some(src), Some(txt)) = (run.get(p[2]..p[3]), b.text.get(p[0]..p[1])) else {
            continue;
        };
        if (t0, t1) == (p[0], p[1]) {
            out.push_str(src);
        } else if src == txt {
            out.push_str(&src[t0 - p[0]..t1 - p[0]]);
        } else {
            out.push_str(&esc.text(&b.text[t0..t1], &[], false));
        }
    }
    out
}

/// A copy of `b` whose shortcut and collapsed reference links whose words a translation
/// changed name their label (`[…][foo]`): their translated text no longer is one. `None` if
/// there are none.
fn with_labels(b: &Block) -> Option<Block> {
    let Some(Value::Array(labels)) = b.attrs.get(LABELS) else {
        return None;
    };
    let translated: Vec<std::ops::Range<usize>> = b
        .segments
        .iter()
        .filter(|s| s.translation.as_deref().is_some_and(|t| t != s.text))
        .map(|s| s.span.clone())
        .collect();
    let mut copy = b.clone();
    let mut any = false;
    for l in labels.iter().filter_map(Value::as_array) {
        let n = |i: usize| l.get(i)?.as_u64().and_then(|v| usize::try_from(v).ok());
        let s = |i: usize| l.get(i).and_then(Value::as_str);
        let (Some(start), Some(end), Some(close), Some(explicit)) = (n(0), n(1), s(2), s(3)) else {
            continue;
        };
        // Wherever a translation touches the link: even words found in the translation may
        // not be the ones the link ends up around (`[toml_edit]` in "ve toml_editar"), and a
        // shortcut whose text is not its label is no link at all.
        let changed = translated.iter().any(|t| t.start < end && start < t.end);
        if !changed {
            continue;
        }
        for inl in copy.inlines.iter_mut().filter(|i| i.span == (start..end)) {
            if let InlineKind::Tag { close: c, .. } = &mut inl.kind {
                if c == close {
                    *c = explicit.to_string();
                    any = true;
                }
            }
        }
    }
    any.then_some(copy)
}

/// The text of a changed block with translations in place and its inline markup put back.
fn render(b: &Block) -> String {
    if let Some(copy) = with_labels(b) {
        let mut copy = copy;
        copy.attrs.insert(LABELS.into(), Value::Null);
        return render(&copy);
    }
    let esc = Escape::of(b);
    let pieces = pieces(b);
    let run = b.raw.get(b.prefix.len()..).unwrap_or_default();
    // The soft line breaks of the text: where, what stands before the line end and the
    // continuation prefix (a hard break's `\n` is read from no bytes: its element writes it).
    let breaks: Vec<(usize, &str, &str)> = pieces
        .iter()
        .filter(|p| b.text.get(p[0]..p[1]) == Some("\n"))
        .filter_map(|p| {
            let src = run.get(p[2]..p[3])?;
            let nl = src.find('\n')?;
            let after = &src[nl + 1..];
            let cont = &after[..after.len() - after.trim_start_matches([' ', '\t', '>']).len()];
            Some((p[0], &src[..nl], cont))
        })
        .collect();
    let inside = |s: &str, buf: &str| {
        let at = (s.as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
        (!s.is_empty() && at < buf.len() && at + s.len() <= buf.len()).then_some(at)
    };
    // `render_block` hands the escape function slices of the block text for the text it
    // keeps and slices of translations for the rest: the first are written from the source
    // bytes they were read from, the second escaped, their line breaks written as those of
    // the source when the translation has as many. `after_break`: the slice comes right after
    // a hard line break, at the start of a line.
    let escape = |s: &str, after_break: bool| -> String {
        if let Some(at) = inside(s, &b.text) {
            return source_of(b, run, &pieces, at..at + s.len(), &esc);
        }
        for seg in &b.segments {
            let Some(tr) = seg.translation.as_deref() else {
                continue;
            };
            let Some(at) = inside(s, tr) else { continue };
            let own: Vec<(&str, &str)> = breaks
                .iter()
                .filter(|(p, _, _)| seg.span.contains(p))
                .map(|(_, h, c)| (*h, *c))
                .collect();
            // At the start of a segment that starts a line of the source, or after a hard
            // line break.
            let line_start = after_break
                || (at == 0
                    && b.text[..seg.span.start.min(b.text.len())]
                        .trim_end_matches([' ', '\t'])
                        .ends_with('\n'));
            let first = tr[..at].matches('\n').count();
            let own: &[(&str, &str)] = if own.len() == tr.matches('\n').count() {
                &own[first..]
            } else {
                &[]
            };
            return esc.text(s, own, line_start);
        }
        esc.text(s, &[], false)
    };
    let mut out = inline::render_block_lines(b, &escape);
    // The first line starts a block unless a `#` or `|` stands before it on its line.
    let lead = b.prefix.rsplit('\n').next().unwrap_or_default();
    let starts_block = !lead.contains(['#', '|']);
    out = fix_lines(&out, starts_block);
    if matches!(b.kind, BlockKind::Heading { .. }) {
        // A run of `#` at the end of a heading would be read as its closing sequence.
        let body = out.trim_end_matches('#');
        if body.len() < out.len() && (body.is_empty() || body.ends_with([' ', '\t'])) {
            out.insert(body.len(), '\\');
        }
    }
    out
}

/// A translated link title as written between the delimiter `delim` and its closing one: a
/// backslash before backslashes, delimiters and what would start an entity; on one line.
fn escape_title(text: &str, delim: char) -> String {
    let mut title = String::with_capacity(text.len() + 4);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            title.push(' ');
            continue;
        }
        let entity = c == '&' && {
            let rest: String = chars[i + 1..].iter().take(33).collect();
            let name = rest
                .find(|x: char| !(x.is_ascii_alphanumeric() || x == '#'))
                .unwrap_or(rest.len());
            name > 0 && rest[name..].starts_with(';')
        };
        if c == '\\' || c == delim || (delim == '(' && c == ')') || entity {
            title.push('\\');
        }
        title.push(c);
    }
    title
}

/// A copy of `b` whose links carry the translated titles of `titles`.
fn with_titles(b: &Block, titles: &[Block]) -> Block {
    let mut b = b.clone();
    for inl in &mut b.inlines {
        let InlineKind::Tag { close, .. } = &mut inl.kind else {
            continue;
        };
        for t in titles.iter().filter(|t| t.is_changed()) {
            let at = t
                .attrs
                .get(TITLE_AT)
                .and_then(Value::as_array)
                .and_then(|a| {
                    let n = |i: usize| a.get(i)?.as_u64().and_then(|v| usize::try_from(v).ok());
                    Some(n(0)?..n(1)?)
                });
            let (Some(of), Some(at)) = (attr_str(t, TITLE_OF), at) else {
                continue;
            };
            if of != close.as_str() || close.get(at.clone()).is_none() {
                continue;
            }
            let delim = close[..at.start].chars().next_back().unwrap_or('"');
            let title = escape_title(&t.translated_text(), delim);
            *close = format!("{}{title}{}", &close[..at.start], &close[at.end..]);
        }
    }
    b
}

/// Writes a document as Markdown: blocks nobody changed byte for byte, translated text in
/// place of the text it translates.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        if b.attrs.contains_key(TITLE_OF) {
            continue; // written inside its link
        }
        if let Some(delim) = attr_str(b, REF_TITLE).and_then(|d| d.chars().next()) {
            // The title of a reference definition, between its delimiters.
            if b.is_changed() {
                out.push_str(&escape_title(&b.translated_text(), delim));
            } else {
                out.push_str(&b.raw);
            }
            continue;
        }
        let n = b
            .attrs
            .get(TITLES)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        let titles = &doc.blocks[i.saturating_sub(n)..i];
        let titles_changed = titles.iter().any(Block::is_changed);
        if !b.is_changed() && !titles_changed {
            out.push_str(&b.raw);
            continue;
        }
        out.push_str(&b.prefix);
        if titles_changed {
            out.push_str(&render(&with_titles(b, titles)));
        } else {
            out.push_str(&render(b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Segment;

    const SAMPLE: &str = "---\ntitle: Gipfel\n---\n# Putin in Duschanbe\n\nDer **russische** Präsident traf [Rachmon](https://example.org/r \"Der Präsident\") in `Duschanbe`.\nEr blieb zwei Tage.\n\n> Ein Zitat.\n> Zweite Zeile.\n\n- Punkt eins\n  weiter\n- Punkt zwei\n\n```\ncode bleibt\n```\n\n    eingerückter Code\n\n| Stadt | Land |\n|---|---|\n| Berlin | Deutschland |\n\n[ref]: https://example.org/%3A \"Titel\"\n\n<div>HTML bleibt</div>\n\n---\n";

    fn texts(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter(|b| b.kind.is_translatable())
            .map(|b| b.text.as_str())
            .collect()
    }

    fn translate(b: &mut Block, span: std::ops::Range<usize>, tr: &str) {
        let mut seg = Segment::new(0, &b.text, span);
        seg.translation = Some(tr.into());
        b.segments = vec![seg];
    }

    #[test]
    fn blocks_inlines_and_exact_round_trip() {
        let doc = read("a.md", SAMPLE);
        assert_eq!(
            texts(&doc),
            [
                "Putin in Duschanbe",
                "Der Präsident",
                "Der russische Präsident traf Rachmon in Duschanbe.\nEr blieb zwei Tage.",
                "Ein Zitat.\nZweite Zeile.",
                "Punkt eins\nweiter",
                "Punkt zwei",
                "Stadt",
                "Land",
                "Berlin",
                "Deutschland",
                "Titel",
            ]
        );
        let p = doc
            .blocks
            .iter()
            .find(|b| b.text.starts_with("Der russische"))
            .unwrap();
        assert_eq!(p.line, 6);
        let marks: Vec<(&str, &InlineKind)> = p
            .inlines
            .iter()
            .map(|i| (&p.text[i.span.clone()], &i.kind))
            .collect();
        assert_eq!(
            marks,
            [
                (
                    "russische",
                    &InlineKind::Tag {
                        name: "strong".into(),
                        open: "**".into(),
                        close: "**".into()
                    }
                ),
                (
                    "Rachmon",
                    &InlineKind::Tag {
                        name: "a".into(),
                        open: "[".into(),
                        close: "](https://example.org/r \"Der Präsident\")".into()
                    }
                ),
                (
                    "Duschanbe",
                    &InlineKind::Code {
                        raw: "`Duschanbe`".into()
                    }
                ),
            ]
        );
        assert_eq!(write(&doc), SAMPLE);
    }

    #[test]
    fn translated_block_keeps_markup_and_untranslated_bytes() {
        let src = "Der **russische** Präsident traf [Rachmon](/r) in `Duschanbe`.\nEr blieb \\*zwei\\* Tage &amp; Nächte.\n";
        let mut doc = read("a.md", src);
        let b = &mut doc.blocks[0];
        let end = b.text.find('\n').unwrap();
        translate(b, 0..end, "The Russian president met Rachmon in Duschanbe.");
        let out = write(&doc);
        assert_eq!(
            out,
            "The **Russian** president met [Rachmon](/r) in `Duschanbe`.\nEr blieb \\*zwei\\* Tage &amp; Nächte.\n"
        );
    }

    #[test]
    fn quote_continuation_and_escapes_in_translations() {
        let src = "> Ein Zitat.\n> Zweite Zeile.\n";
        let mut doc = read("a.md", src);
        let b = doc
            .blocks
            .iter_mut()
            .find(|b| b.kind == BlockKind::Quote)
            .unwrap();
        let all = 0..b.text.len();
        translate(b, all, "2019. A *quote*\n- second line");
        assert_eq!(write(&doc), "> 2019\\. A \\*quote\\*\n> \\- second line\n");
    }

    #[test]
    fn a_collapsed_reference_whose_words_changed_names_its_label_once() {
        let src = "See [*foo* bar][] and [baz][].\n\n[*foo* bar]: /url \"title\"\n[baz]: /b\n";
        let mut doc = read("a.md", src);
        assert_eq!(write(&doc), src);
        let i = doc
            .blocks
            .iter()
            .position(|b| b.text.contains("foo bar"))
            .unwrap();
        let b = &mut doc.blocks[i];
        let span = 0..b.text.len();
        translate(b, span, "Ver foo barra y baz.");
        let out = write(&doc);
        // Both links name their labels (the translation touches them), each once: no `[]`
        // left behind to be read as text.
        assert!(
            out.starts_with("Ver [*foo* barra][*foo* bar] y [baz][baz].\n"),
            "{out}"
        );
        assert!(
            out.ends_with("\n\n[*foo* bar]: /url \"title\"\n[baz]: /b\n"),
            "{out}"
        );
    }

    #[test]
    fn link_titles_are_translated_in_place() {
        let src = "See [the page](/p \"Die Seite\") now.\n";
        let mut doc = read("a.md", src);
        assert_eq!(texts(&doc), ["Die Seite", "See the page now."]);
        let t = &mut doc.blocks[0];
        let all = 0..t.text.len();
        translate(t, all, "The \"page\"");
        assert_eq!(
            write(&doc),
            "See [the page](/p \"The \\\"page\\\"\") now.\n"
        );
    }

    #[test]
    fn a_hard_break_is_written_as_read_between_translated_words() {
        let src = "- Der Hund  \n  bellt laut\\\n  heute.\n";
        let mut doc = read("a.md", src);
        assert_eq!(write(&doc), src);
        let b = doc
            .blocks
            .iter_mut()
            .find(|b| b.kind == BlockKind::ListItem)
            .unwrap();
        // The breaks are `\n` for the stages (a blank for the engines), and elements with no
        // text whose markup is the break and the next line's prefix.
        assert_eq!(b.text, "Der Hund\nbellt laut\nheute.");
        let marks: Vec<(usize, &str)> = b
            .inlines
            .iter()
            .filter(|i| inline::is_line_break(i))
            .map(|i| match &i.kind {
                InlineKind::Tag { open, .. } => (i.span.start, open.as_str()),
                InlineKind::Code { raw } => (i.span.start, raw.as_str()),
            })
            .collect();
        assert_eq!(marks, [(8, "  \n  "), (19, "\\\n  ")]);
        // A translation as engines give it (blanks collapsed): each break after the word it
        // followed, its bytes exactly, no blank of the translation beside it.
        let all = 0..b.text.len();
        translate(b, all, "The dog barks loudly today.");
        assert_eq!(write(&doc), "- The dog  \n  barks loudly\\\n  today.\n");
    }

    #[test]
    fn a_line_after_a_hard_break_does_not_start_a_block() {
        let src = "Eins  \nzwei drei.\n";
        let mut doc = read("a.md", src);
        let b = &mut doc.blocks[0];
        let all = 0..b.text.len();
        translate(b, all, "One - three.");
        let out = write(&doc);
        assert_eq!(out, "One  \n\\- three.\n");
    }

    #[test]
    fn reference_definition_titles_are_translated_between_their_delimiters() {
        let src = "Text [x].\n\n[x]: /u 'Der \\'Titel\\''\n> [y]:\n>  /v\n>  (Zwei\n>  Zeilen)\n\n[z]: /z \"123\"\n";
        let mut doc = read("a.md", src);
        assert_eq!(write(&doc), src);
        let titles: Vec<usize> = doc
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.attrs.contains_key(REF_TITLE))
            .map(|(i, _)| i)
            .collect();
        let texts: Vec<&str> = titles
            .iter()
            .map(|&i| doc.blocks[i].text.as_str())
            .collect();
        // A title without letters is no text to translate.
        assert_eq!(texts, ["Der 'Titel'", "Zwei\nZeilen"]);
        for (&i, tr) in titles.iter().zip(["The 'title'", "Two (lines) & &amp;"]) {
            let b = &mut doc.blocks[i];
            let all = 0..b.text.len();
            translate(b, all, tr);
        }
        assert_eq!(
            write(&doc),
            "Text [x].\n\n[x]: /u 'The \\'title\\''\n> [y]:\n>  /v\n>  (Two \\(lines\\) & \\&amp;)\n\n[z]: /z \"123\"\n"
        );
    }

    #[test]
    fn an_html_line_break_keeps_the_words_around_it_apart() {
        let src = "Der Hund<br>bellt und<br/>\nheute <br> nicht.\n";
        let mut doc = read("a.md", src);
        assert_eq!(write(&doc), src);
        let b = &mut doc.blocks[0];
        assert_eq!(b.text, "Der Hund bellt und \nheute  nicht.");
        let all = 0..b.text.len();
        translate(b, all, "The dog barks and today not.");
        let out = write(&doc);
        assert_eq!(out.matches("<br>").count(), 2, "{out}");
        assert_eq!(out.matches("<br/>").count(), 1, "{out}");
        assert!(out.starts_with("The dog<br>"), "{out}");
    }

    #[test]
    fn code_autolinks_and_html_are_not_text() {
        let src = "Run `cargo` at <https://x.org> with <b>bold</b> words.\n\n`only code`\n\n<!-- comment -->\n";
        let doc = read("a.md", src);
        assert_eq!(texts(&doc), ["Run cargo at https://x.org with bold words."]);
        let b = &doc.blocks[0];
        let codes = b
            .inlines
            .iter()
            .filter(|i| matches!(i.kind, InlineKind::Code { .. }))
            .count();
        assert_eq!(codes, 2);
        assert!(b.inlines.iter().any(|i| matches!(&i.kind,
            InlineKind::Tag { name, open, close } if name == "b" && open == "<b>" && close == "</b>")));
        assert_eq!(write(&doc), src);
    }
}
