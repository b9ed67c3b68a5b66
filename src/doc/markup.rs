//! Helpers shared by the markup readers and writers (HTML, RSS/Atom, XLIFF): line numbers from
//! byte offsets, a lexer for the attributes of a tag as written, escaping and the XML check.
//! Putting inline tags back around translated words is [`super::inline`].

use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::Reader;

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
    // A new attribute goes after the last one; the space before the tag's end stays as written.
    let head = tag[..end].trim_end();
    format!(
        "{head} {key}=\"{value}\"{}{}",
        &tag[head.len()..end],
        &tag[end..]
    )
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
