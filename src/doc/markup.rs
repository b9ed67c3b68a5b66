//! Helpers shared by the markup readers and writers (HTML, RSS/Atom, XLIFF): line numbers from
//! byte offsets, a lexer for the attributes of a tag as written, escaping, and putting inline
//! tags back around translated words.

use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{Block, Inline, InlineKind, Segment};
use crate::error::{Error, Result};

/// Maps byte offsets of an input to 1-based line numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The 1-based line of byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// The name of the first element of an XML or HTML text, lowercase and without prefix.
pub(crate) fn root_element(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    for _ in 0..64 {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                return Some(String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase())
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
    None
}

/// The attributes of a start tag as written (`<a href="x" title='y' hidden>`): each name with
/// the byte range of its value inside `tag` (quotes excluded; empty at the name's end for an
/// attribute without a value). Unquoted HTML values are accepted.
pub(crate) fn tag_attrs(tag: &str) -> Vec<(String, Range<usize>)> {
    let b = tag.as_bytes();
    let mut i = 1;
    // Skip the element name.
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let start = j + 1;
                let end = tag[start..]
                    .bytes()
                    .position(|c| c == q)
                    .map_or(b.len(), |p| start + p);
                out.push((name, start..end));
                i = (end + 1).min(b.len());
            } else {
                let start = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                out.push((name, start..j));
                i = j;
            }
        } else {
            out.push((name, i..i));
        }
    }
    out
}

/// The value of attribute `key` in `tag`, unescaped (names compare without case).
pub(crate) fn attr_value(tag: &str, key: &str) -> Option<String> {
    let key = key.to_ascii_lowercase();
    tag_attrs(tag)
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, r)| unescape(&tag[r]))
}

/// `tag` with attribute `key` set to `value` (replaced where present — names compare without
/// case, so an attribute is never written twice — added before the end of the tag otherwise);
/// the rest of the tag is kept byte for byte.
pub(crate) fn set_attr(tag: &str, key: &str, value: &str) -> String {
    let value = escape_attr(value);
    let lower = key.to_ascii_lowercase();
    if let Some((_, r)) = tag_attrs(tag).into_iter().find(|(k, _)| *k == lower) {
        if r.is_empty() && !tag[..r.start].ends_with(['"', '\'', '=']) {
            return format!("{}=\"{value}\"{}", &tag[..r.start], &tag[r.start..]);
        }
        return format!("{}{value}{}", &tag[..r.start], &tag[r.end..]);
    }
    let end = if tag.ends_with("/>") {
        tag.len() - 2
    } else {
        tag.len().saturating_sub(1)
    };
    let head = tag[..end].trim_end();
    format!("{head} {key}=\"{value}\"{}", &tag[end..])
}

/// Escapes text content: `&`, `<`, `>`.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (text escaping plus double quotes).
pub(crate) fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

/// `tag` with its language attribute `key` set to the language `code`, unless it already
/// names that language (`en-US` stays for `en`).
pub(crate) fn set_lang(tag: &str, key: &str, code: &str) -> String {
    let same = attr_value(tag, key).is_some_and(|v| {
        let primary = v.split(['-', '_']).next().unwrap_or_default();
        primary.eq_ignore_ascii_case(code)
    });
    if same {
        tag.to_string()
    } else {
        set_attr(tag, key, code)
    }
}

/// Resolves character references and the XML and HTML5 named entities; anything it does not
/// know is kept as written.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let resolved = after
            .find(';')
            .filter(|&semi| semi <= 32)
            .and_then(|semi| entity(&after[..semi]).map(|c| (c, semi)));
        match resolved {
            Some((c, semi)) => {
                out.push_str(&c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text an entity or character reference (`name` between `&` and `;`) stands for: the
/// XML entities, the HTML5 named character references, decimal and hexadecimal references.
fn entity(name: &str) -> Option<std::borrow::Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(|c| c.to_string().into());
    }
    match name {
        "apos" => Some("'".into()),
        _ => quick_xml::escape::resolve_html5_entity(name).map(Into::into),
    }
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Checks the references in `raw` (text, or a tag with attribute values): each `&` must start
/// an XML entity, a character reference to a character XML allows, an entity the document
/// declares (`declared`), or an HTML5 named character reference (which feeds use, after the
/// RSS 0.91 DTD). Returns the offset and message of the first fault.
fn check_references(raw: &str, declared: &[String]) -> Option<(usize, String)> {
    for (at, _) in raw.match_indices('&') {
        let after = &raw[at + 1..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '#' | '_' | '-' | '.' | ':')))
            .unwrap_or(after.len());
        if !after[name_len..].starts_with(';') || name_len == 0 {
            return Some((at, "`&` that starts no entity (write `&amp;`)".into()));
        }
        let name = &after[..name_len];
        if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            match code.and_then(char::from_u32) {
                Some(c) if xml_char(c) => continue,
                _ => return Some((at, format!("`&{name};` is not a character XML allows"))),
            }
        }
        if declared.iter().any(|d| d == name) || entity(name).is_some() {
            continue;
        }
        return Some((at, format!("undefined entity `&{name};`")));
    }
    None
}

/// The entities declared in the internal subset of a `<!DOCTYPE …>`.
fn declared_entities(doctype: &str) -> Vec<String> {
    doctype
        .match_indices("<!ENTITY")
        .filter_map(|(at, m)| {
            let rest = doctype[at + m.len()..].trim_start();
            let rest = rest.strip_prefix('%').map_or(rest, str::trim_start);
            let name: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// Checks that `text` is well-formed XML as far as the readers rely on it, naming the line of
/// the first fault: only characters XML allows (no NUL), every reference defined, one root
/// element and no text outside it, every element closed by its own end tag. `what` names the
/// format in messages (`feed`, `XLIFF`).
pub(crate) fn check_xml(origin: &str, text: &str, lines: &LineIndex, what: &str) -> Result<()> {
    let err = |at: usize, message: String| Error::Parse {
        origin: origin.to_string(),
        line: lines.line(at),
        message: format!("malformed {what}: {message}"),
    };
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| !xml_char(c)) {
        let what = if c == '\0' {
            "a NUL byte".to_string()
        } else {
            format!("the control character U+{:04X}", c as u32)
        };
        return Err(err(at, format!("{what}, which XML does not allow")));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_comments = true;
    let mut declared: Vec<String> = Vec::new();
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut root_done = false;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            match (&e, open.last()) {
                // A wrong end tag: the fault is the element left open, where it was opened.
                (
                    quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MismatchedEndTag {
                        found,
                        ..
                    }),
                    Some((open_at, name)),
                ) => Error::Parse {
                    origin: origin.to_string(),
                    line: lines.line(*open_at),
                    message: format!(
                        "malformed {what}: <{name}> is not closed (`</{found}>` on line {} ends another element)",
                        lines.line(at)
                    ),
                },
                _ => err(at, e.to_string()),
            }
        })?;
        let end = reader.buffer_position() as usize;
        let raw = &text[start..end];
        match &event {
            Event::Eof => break,
            Event::DocType(_) => declared.extend(declared_entities(raw)),
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if open.is_empty() && root_done {
                    return Err(err(start, format!("a second root element <{name}>")));
                }
                if let Some((at, m)) = check_references(raw, &declared) {
                    return Err(err(start + at, m));
                }
                if matches!(event, Event::Start(_)) {
                    open.push((start, name));
                } else if open.is_empty() {
                    root_done = true;
                }
            }
            Event::End(_) => {
                open.pop();
                if open.is_empty() {
                    root_done = true;
                }
            }
            Event::Text(_) => {
                if open.is_empty() && !raw.trim().is_empty() {
                    let at = start + (raw.len() - raw.trim_start().len());
                    return Err(err(at, "text outside the root element".into()));
                }
                if let Some((at, m)) = check_references(raw, &declared) {
                    return Err(err(start + at, m));
                }
            }
            Event::CData(_) if open.is_empty() => {
                return Err(err(start, "CDATA outside the root element".into()));
            }
            _ => {}
        }
    }
    if let Some((at, name)) = open.last() {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: lines.line(*at),
            message: format!("malformed {what}: <{name}> is not closed"),
        });
    }
    if !root_done {
        return Err(err(text.len(), "no root element".into()));
    }
    Ok(())
}

/// The opening and closing markup of an inline element of a markup format (for code, the
/// element as written, which stands in place of its text).
fn tag_marks(kind: &InlineKind) -> (&str, &str) {
    match kind {
        InlineKind::Tag { open, close, .. } => (open, close),
        InlineKind::Code { raw } => (raw, ""),
    }
}

/// Whether the writer replaces the segment's text with its translation.
fn replaced(s: &Segment) -> bool {
    s.translation.as_deref().is_some_and(|t| t != s.text)
}

/// Where an inline element goes when its block is written with translations.
enum Placement<'a> {
    /// Both ends lie outside translated text: the tags stay where they were.
    Stable,
    /// Strictly inside one translated segment: put back around its words.
    Inside(&'a Segment),
    /// Its ends fall in different translated segments, or inside one and outside: lost.
    Lost,
}

fn placement<'a>(b: &'a Block, inl: &Inline) -> Placement<'a> {
    let translated = || b.segments.iter().filter(|s| replaced(s));
    if let Some(s) = translated().find(|s| {
        inl.span.start >= s.span.start
            && inl.span.end <= s.span.end
            && (inl.span != s.span || matches!(inl.kind, InlineKind::Code { .. }))
            && !(inl.span.is_empty()
                && (inl.span.start == s.span.start || inl.span.end == s.span.end))
    }) {
        return Placement::Inside(s);
    }
    let strictly_inside = |p: usize| translated().any(|s| s.span.start < p && p < s.span.end);
    if strictly_inside(inl.span.start) || strictly_inside(inl.span.end) {
        Placement::Lost
    } else {
        Placement::Stable
    }
}

/// Inline elements of `block` inside translated segment `seg` whose words are not in the
/// translation, or that straddle translated text: their tags cannot be put back.
pub(crate) fn lost_inlines<'a>(block: &'a Block, seg: &Segment) -> Vec<&'a Inline> {
    if !replaced(seg) {
        return Vec::new();
    }
    let Some(tr) = seg.translation.as_deref() else {
        return Vec::new();
    };
    block
        .inlines
        .iter()
        .filter(|inl| inl.span.start < seg.span.end && inl.span.end > seg.span.start)
        .filter(|inl| match placement(block, inl) {
            Placement::Stable => false,
            Placement::Lost => true,
            Placement::Inside(s) => {
                s.id == seg.id
                    && !inl.span.is_empty()
                    && place_inside(block, s, tr)
                        .iter()
                        .all(|(k, _)| !std::ptr::eq(*k, *inl))
            }
        })
        .collect()
}

/// Places the inline elements inside segment `seg` over its translation `tr`: each goes around
/// the first occurrence of its words after the previous one, if the words survived and the
/// place does not cross an element already placed.
fn place_inside<'a>(block: &'a Block, seg: &Segment, tr: &str) -> Vec<(&'a Inline, Range<usize>)> {
    let mut placed: Vec<(&Inline, Range<usize>)> = Vec::new();
    let mut cursor = 0;
    for inl in &block.inlines {
        if !matches!(placement(block, inl), Placement::Inside(s) if s.id == seg.id) {
            continue;
        }
        if inl.span.is_empty() {
            let at = cursor.min(tr.len());
            placed.push((inl, at..at));
            continue;
        }
        let words = &block.text[inl.span.clone()];
        let found = tr
            .get(cursor..)
            .and_then(|t| t.find(words))
            .map(|o| cursor + o)
            .or_else(|| tr.find(words))
            .map(|at| at..at + words.len())
            .or_else(|| by_position(seg, tr, inl.span.clone()));
        let Some(span) = found else { continue };
        let crosses = placed.iter().any(|(_, p)| {
            let disjoint = p.end <= span.start || span.end <= p.start;
            let nested = (p.start <= span.start && span.end <= p.end)
                || (span.start <= p.start && p.end <= span.end);
            !disjoint && !nested
        });
        if !crosses {
            cursor = span.end;
            placed.push((inl, span));
        }
    }
    placed
}

/// Whitespace-separated words of `text` with their byte ranges.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Maps an element's span in a segment to the translation by word position, when the
/// translation has as many words as the source (a name-by-name rendering, as transliteration
/// gives): the element covers the same words, less the same trailing punctuation.
fn by_position(seg: &Segment, tr: &str, span: Range<usize>) -> Option<Range<usize>> {
    let src = words(&seg.text);
    let dst = words(tr);
    if src.len() != dst.len() || span.start < seg.span.start {
        return None;
    }
    let (start, end) = (span.start - seg.span.start, span.end - seg.span.start);
    let first = src.iter().position(|w| w.start == start)?;
    let last = src.iter().position(|w| w.start < end && end <= w.end)?;
    let tail = &seg.text[end..src[last].end];
    if tail.chars().any(char::is_alphanumeric) || last < first {
        return None;
    }
    let to = dst[last].end;
    let to = if tr[..to].ends_with(tail) {
        to - tail.len()
    } else if tail.is_empty() {
        to
    } else {
        // Strip whatever punctuation the translation has at the end of the word.
        tr[..to]
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .len()
    };
    (to > dst[first].start).then(|| dst[first].start..to)
}

/// Position, closing-before-opening order, nesting order, the markup, and for code the end of
/// the text its markup stands in place of.
type TagEvent = (usize, u8, (usize, usize), String, Option<usize>);

/// The tag markup of `tags` (element, range) as events sorted by position: at one position,
/// closing tags come before opening ones, inner elements close first and outer ones open first.
fn tag_events(tags: &[(&Inline, Range<usize>)]) -> Vec<TagEvent> {
    let mut events = Vec::with_capacity(tags.len() * 2);
    for (k, (inl, r)) in tags.iter().enumerate() {
        let (open, close) = tag_marks(&inl.kind);
        if let InlineKind::Code { raw } = &inl.kind {
            events.push((
                r.start,
                1,
                (usize::MAX, usize::MAX - k),
                raw.clone(),
                Some(r.end),
            ));
        } else if r.is_empty() {
            // Zero-width elements at one place keep their order.
            events.push((r.start, 1, (usize::MAX, k), format!("{open}{close}"), None));
        } else {
            events.push((
                r.start,
                1,
                (usize::MAX - r.len(), usize::MAX - k),
                open.to_string(),
                None,
            ));
            events.push((r.end, 0, (r.len(), k), close.to_string(), None));
        }
    }
    events.sort();
    events
}

/// Appends `text[*pos..to]` escaped, with the events at positions up to `to` put in.
fn emit(
    out: &mut String,
    text: &str,
    pos: &mut usize,
    to: usize,
    events: &[TagEvent],
    next: &mut usize,
    esc: &dyn Fn(&str) -> String,
) {
    while let Some((at, _, _, mark, skip)) = events.get(*next).filter(|e| e.0 <= to) {
        let at = (*at).clamp(*pos, to);
        out.push_str(&esc(text.get(*pos..at).unwrap_or_default()));
        *pos = at;
        out.push_str(mark);
        if let Some(end) = skip {
            // Code: its markup as written stands in place of its text.
            *pos = (*end).clamp(*pos, to);
        }
        *next += 1;
    }
    out.push_str(&esc(text.get(*pos..to).unwrap_or_default()));
    *pos = to;
}

/// Writes a block's text with translations in place and its inline tags put back: tags outside
/// translated text stay where they were, tags inside a translated segment go around their words
/// where these survived (see [`lost_inlines`] for the others).
pub(crate) fn render_block(b: &Block, esc: &dyn Fn(&str) -> String) -> String {
    let stable: Vec<(&Inline, Range<usize>)> = b
        .inlines
        .iter()
        .filter(|inl| matches!(placement(b, inl), Placement::Stable))
        .map(|inl| (inl, inl.span.clone()))
        .collect();
    let events = tag_events(&stable);
    let mut out = String::with_capacity(b.text.len() + 32);
    let (mut pos, mut next) = (0, 0);
    for s in b.segments.iter().filter(|s| replaced(s)) {
        if s.span.start < pos || s.span.end > b.text.len() {
            continue;
        }
        emit(
            &mut out,
            &b.text,
            &mut pos,
            s.span.start,
            &events,
            &mut next,
            esc,
        );
        let tr = s.output();
        let inner = place_inside(b, s, tr);
        let inner_events = tag_events(&inner);
        let (mut tp, mut tn) = (0, 0);
        emit(&mut out, tr, &mut tp, tr.len(), &inner_events, &mut tn, esc);
        pos = s.span.end;
    }
    emit(
        &mut out,
        &b.text,
        &mut pos,
        b.text.len(),
        &events,
        &mut next,
        esc,
    );
    for (_, _, _, mark, _) in &events[next..] {
        out.push_str(mark);
    }
    out
}
