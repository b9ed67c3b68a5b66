//! GNU gettext PO catalogues.
//!
//! Every entry with an empty `msgstr` becomes a [`BlockKind::Record`] block (two for plural
//! entries: `msgid` and `msgid_plural`); entries already translated, obsolete entries and the
//! header are kept as written. On output `msgstr` is filled; an entry gets the `fuzzy` flag when
//! a segment carries an error note or the translation lost a format placeholder (`%s`, `%d`…)
//! of a `c-format`/`python-format` entry. The header's `Language:` is set to the target.

use std::borrow::Cow;

use super::{numbered_lines, Block, BlockKind, Document, Format, SegmentStatus, Severity};
use crate::error::{Error, Result};

/// On the record of a `msgid`: how many `msgstr[n]` the entry has (0 for a singular entry).
const PLURALS: &str = "plurals";
/// On the record of a `msgid_plural`.
const PLURAL_FORM: &str = "plural_form";
/// On the header block.
const HEADER: &str = "header";
/// On a record: the `#,` flags of the entry.
const FLAGS: &str = "flags";

/// One entry as read: its lines and where it starts.
struct Entry<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

/// Reads a PO file.
pub fn read(origin: &str, text: &str) -> Result<Document> {
    let mut doc = Document::new(Format::Po, origin);
    let mut entries: Vec<(Option<Entry>, String)> = Vec::new();
    let mut current: Option<Entry> = None;
    let mut gap = String::new();
    for (no, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            if let Some(e) = current.take() {
                entries.push((Some(e), std::mem::take(&mut gap)));
            }
            gap.push_str(line);
            continue;
        }
        match current.as_mut() {
            Some(e) => e.lines.push(line),
            None => {
                if !gap.is_empty() {
                    entries.push((None, std::mem::take(&mut gap)));
                }
                current = Some(Entry {
                    line: no,
                    lines: vec![line],
                })
            }
        }
    }
    if let Some(e) = current.take() {
        entries.push((Some(e), String::new()));
    }
    if !gap.is_empty() {
        entries.push((None, gap));
    }
    for (entry, tail) in entries {
        if let Some(entry) = entry {
            read_entry(origin, &entry, &mut doc)?;
        }
        if !tail.is_empty() {
            doc.blocks.push(markup(tail));
        }
    }
    if !doc
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Record || b.attrs.contains_key(HEADER))
        && !text.contains("msgid")
    {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: 1,
            message: "not a PO file: no msgid".into(),
        });
    }
    Ok(doc)
}

fn markup(raw: String) -> Block {
    let mut b = Block::new(BlockKind::Markup, "", 0);
    b.raw = raw;
    b
}

/// Reads one entry into blocks.
fn read_entry(origin: &str, entry: &Entry<'_>, doc: &mut Document) -> Result<()> {
    let raw: String = entry.lines.concat();
    let mut fields: Vec<(String, String, usize)> = Vec::new(); // keyword, value, first line index
    let mut flags = String::new();
    for (i, line) in entry.lines.iter().enumerate() {
        let t = line.trim();
        let err = |message: &str| Error::Parse {
            origin: origin.to_string(),
            line: entry.line + i,
            message: message.to_string(),
        };
        if let Some(f) = t.strip_prefix("#,") {
            flags = f.trim().to_string();
            continue;
        }
        if t.starts_with('#') {
            if t.starts_with("#~") {
                doc.blocks.push(markup(raw));
                return Ok(());
            }
            continue;
        }
        if t.starts_with('"') {
            let s = unquote(t).ok_or_else(|| err("unterminated string"))?;
            match fields.last_mut() {
                Some(f) => f.1.push_str(&s),
                None => return Err(err("string without a keyword")),
            }
            continue;
        }
        let (kw, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let value = unquote(rest.trim()).ok_or_else(|| err("expected a quoted string"))?;
        fields.push((kw.to_string(), value.into_owned(), i));
    }
    let get = |k: &str| fields.iter().find(|f| f.0 == k);
    let Some(msgid) = get("msgid") else {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: entry.line,
            message: "entry has no msgid".into(),
        });
    };
    let msgstrs: Vec<&(String, String, usize)> = fields
        .iter()
        .filter(|f| f.0.starts_with("msgstr"))
        .collect();
    let Some(first_str) = msgstrs.first() else {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: entry.line,
            message: "entry has no msgstr".into(),
        });
    };
    if msgid.1.is_empty() {
        let mut b = markup(raw);
        b.attrs.insert(HEADER.into(), true.into());
        doc.blocks.push(b);
        return Ok(());
    }
    if msgstrs.iter().any(|f| !f.1.is_empty()) || !msgid.1.chars().any(char::is_alphabetic) {
        doc.blocks.push(markup(raw));
        return Ok(());
    }
    // Everything before the first msgstr is kept; the flags line is rewritten on output.
    let head: String = entry.lines[..first_str.2]
        .iter()
        .filter(|l| !l.trim_start().starts_with("#,"))
        .copied()
        .collect();
    let plural = get("msgid_plural");
    let mut b = Block::new(BlockKind::Record, msgid.1.clone(), entry.line + msgid.2);
    b.id = Some(Box::new(match get("msgctxt") {
        Some(c) => format!("{}\u{4}{}", c.1, msgid.1).into(),
        None => msgid.1.clone().into(),
    }));
    b.prefix = head;
    b.raw = raw;
    b.attrs.insert(FLAGS.into(), flags.into());
    let n = if plural.is_some() { msgstrs.len() } else { 0 };
    b.attrs.insert(PLURALS.into(), n.into());
    doc.blocks.push(b);
    if let Some(p) = plural {
        let mut pb = Block::new(BlockKind::Record, p.1.clone(), entry.line + p.2);
        pb.raw = String::new();
        pb.attrs.insert(PLURAL_FORM.into(), true.into());
        doc.blocks.push(pb);
    }
    Ok(())
}

/// One keyword of an entry read by [`read_pairs`]: its value and where that value sits.
struct Field<'a> {
    /// The keyword as written (`msgid`, `msgstr[1]`…).
    keyword: &'a str,
    /// The unescaped value; borrowed from the input while it is a single string without
    /// escapes, so that only values that become blocks are ever copied.
    value: Cow<'a, str>,
    /// 1-based line of the value's text: the keyword line, or the first continuation line
    /// holding text when the keyword line has `""`.
    line: usize,
    /// What stands before the value's text on that line (`msgstr "`, `"`).
    lead: &'a str,
}

/// Reads a PO file as unit pairs for checking: block `i` of the target (a non-empty `msgstr`
/// or `msgstr[n]`) translates block `i` of the source (`msgid`, or `msgid_plural` for
/// `msgstr[1]` and later). The header, obsolete entries and untranslated entries are skipped;
/// fuzzy entries are kept. Target blocks sit at the line of their text with the keyword and
/// quote as prefix, so byte columns count from the start of the line (escapes inside the
/// string are counted once, as read).
pub fn read_pairs(origin: &str, text: &str) -> Result<(Document, Document)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut source = Document::new(Format::Po, origin);
    let mut target = Document::new(Format::Po, origin);
    // One block per `msgstr` at most: sized once rather than grown by doubling.
    let units = memchr::memmem::find_iter(text.as_bytes(), b"msgstr").count();
    source.blocks.reserve(units);
    target.blocks.reserve(units);
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut obsolete = false;
    let mut seen_msgid = false;
    let lines = numbered_lines(text).chain(std::iter::once((0, "")));
    for (no, line) in lines {
        let start = line.trim_start();
        let t = start.trim_end();
        if t.is_empty() {
            if !obsolete {
                pair_entry(&mut fields, &mut source, &mut target);
            }
            fields.clear();
            obsolete = false;
            continue;
        }
        let err = |message: &str| Error::Parse {
            origin: origin.to_string(),
            line: no,
            message: message.to_string(),
        };
        if let Some(comment) = t.strip_prefix('#') {
            obsolete |= comment.starts_with('~');
            continue;
        }
        if t.starts_with('"') {
            let unterminated = || err("unterminated string");
            let inner = quoted(t).ok_or_else(unterminated)?;
            let Some(f) = fields.last_mut() else {
                unescape(inner).ok_or_else(unterminated)?;
                return Err(err("string without a keyword"));
            };
            if f.value.is_empty() {
                f.value = unescape(inner).ok_or_else(unterminated)?;
                if !f.value.is_empty() {
                    f.line = no;
                    let lead_len = line.len() - start.len();
                    f.lead = &line[..lead_len + 1];
                }
            } else {
                if let Cow::Borrowed(v) = f.value {
                    let mut owned = String::with_capacity(v.len() + inner.len());
                    owned.push_str(v);
                    f.value = Cow::Owned(owned);
                }
                unescape_into(inner, f.value.to_mut()).ok_or_else(unterminated)?;
            }
            continue;
        }
        let (kw, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let value = quoted(rest.trim())
            .and_then(unescape)
            .ok_or_else(|| err("expected a quoted string"))?;
        seen_msgid |= kw == "msgid";
        let quote_at = line
            .bytes()
            .position(|b| b == b'"')
            .map_or(line.len(), |q| q + 1);
        fields.push(Field {
            keyword: kw,
            value,
            line: no,
            lead: &line[..quote_at],
        });
    }
    if !seen_msgid {
        return Err(Error::Parse {
            origin: origin.to_string(),
            line: 1,
            message: "not a PO file: no msgid".into(),
        });
    }
    Ok((source, target))
}

/// The unit pairs of one entry, appended to `source` and `target`. Values are moved out of
/// `fields` into the blocks; a source value shared by several plural forms is copied for all
/// but its last use.
fn pair_entry(fields: &mut [Field<'_>], source: &mut Document, target: &mut Document) {
    let Some(msgid) = fields.iter().position(|f| f.keyword == "msgid") else {
        return; // no entry at all
    };
    if fields[msgid].value.is_empty() {
        return; // the header
    }
    let plural = fields.iter().position(|f| f.keyword == "msgid_plural");
    // The field whose value a non-empty `msgstr`/`msgstr[n]` translates.
    let source_of = |f: &Field<'_>| {
        if !f.keyword.starts_with("msgstr") || f.value.is_empty() {
            return None;
        }
        let form = f
            .keyword
            .strip_prefix("msgstr[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        Some(match plural {
            Some(p) if form > 0 => p,
            _ => msgid,
        })
    };
    for i in 0..fields.len() {
        let Some(src) = source_of(&fields[i]) else {
            continue;
        };
        let shared = fields[i + 1..].iter().any(|g| source_of(g) == Some(src));
        let s = &mut fields[src];
        let text = if shared {
            s.value.to_string()
        } else {
            std::mem::take(&mut s.value).into_owned()
        };
        // The text is set after `Block::new`, which would copy it into `raw` (unused here).
        let mut sb = Block::new(BlockKind::Record, String::new(), s.line);
        sb.text = text;
        sb.prefix = s.lead.to_string();
        let f = &mut fields[i];
        let mut tb = Block::new(BlockKind::Record, String::new(), f.line);
        tb.text = std::mem::take(&mut f.value).into_owned();
        tb.prefix = f.lead.to_string();
        source.blocks.push(sb);
        target.blocks.push(tb);
    }
}

/// The inside of a C-style quoted string (`"…"`), still escaped.
fn quoted(s: &str) -> Option<&str> {
    s.strip_prefix('"')?.strip_suffix('"')
}

/// The content of a C-style quoted string, unescaped; `None` when it is not quoted or ends
/// in a lone backslash.
fn unquote(s: &str) -> Option<Cow<'_, str>> {
    quoted(s).and_then(unescape)
}

/// `inner` with its escapes (`\n`, `\t`, `\r`, `\"`, `\\`) resolved, borrowed when it has
/// none; other escapes are kept as written. `None` when it ends in a lone backslash.
fn unescape(inner: &str) -> Option<Cow<'_, str>> {
    let Some(at) = inner.find('\\') else {
        return Some(Cow::Borrowed(inner));
    };
    let mut out = String::with_capacity(inner.len());
    out.push_str(&inner[..at]);
    unescape_into(&inner[at..], &mut out)?;
    Some(Cow::Owned(out))
}

/// Appends `inner` with its escapes resolved to `out` (see [`unescape`]), copying the runs
/// between backslashes whole. `None` when it ends in a lone backslash.
fn unescape_into(mut inner: &str, out: &mut String) -> Option<()> {
    while let Some(at) = inner.find('\\') {
        out.push_str(&inner[..at]);
        let unescaped = match inner.as_bytes().get(at + 1)? {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'"' => '"',
            b'\\' => '\\',
            _ => {
                // Kept as written: the backslash, then the next character as ordinary text.
                out.push('\\');
                inner = &inner[at + 1..];
                continue;
            }
        };
        out.push(unescaped);
        inner = &inner[at + 2..];
    }
    out.push_str(inner);
    Some(())
}

/// `text` as a PO string after `keyword`: one line, or one line per `\n` when it has several.
fn quote(keyword: &str, text: &str) -> String {
    let esc = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    };
    let parts: Vec<&str> = text.split_inclusive('\n').collect();
    if parts.len() <= 1 {
        return format!("{keyword} \"{}\"\n", esc(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    for p in parts {
        out.push_str(&format!("\"{}\"\n", esc(p)));
    }
    out
}

/// Whether a record gets a `msgstr`: every segment translated or passed through.
fn filled(b: &Block) -> bool {
    !b.segments.is_empty()
        && b.segments.iter().all(|s| {
            matches!(
                s.status,
                SegmentStatus::Translated | SegmentStatus::PassedThrough
            )
        })
}

/// The printf-style placeholders of a text (`%s`, `%d`, `%(name)s`, `%1$s`…), sorted.
fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(p) = rest.find('%') {
        let after = &rest[p + 1..];
        if let Some(stripped) = after.strip_prefix('%') {
            rest = stripped;
            continue;
        }
        let end = after
            .char_indices()
            .find(|&(_, c)| c.is_ascii_alphabetic() && c != 'l' && c != 'h')
            .map(|(i, c)| i + c.len_utf8());
        match end {
            Some(e) if e <= 24 => {
                out.push(format!("%{}", &after[..e]));
                rest = &after[e..];
            }
            _ => rest = after,
        }
    }
    out.sort();
    out
}

/// Whether a filled entry must be marked fuzzy.
fn needs_fuzzy(b: &Block, flags: &str, translated: &str) -> bool {
    let error = b
        .segments
        .iter()
        .any(|s| s.notes.iter().any(|n| n.severity == Severity::Error));
    let format = flags.contains("c-format") || flags.contains("python-format");
    error || (format && placeholders(&b.text) != placeholders(translated))
}

/// Writes the catalogue with `msgstr` filled.
pub fn write(doc: &Document) -> String {
    let target = doc.target.filter(|_| {
        doc.blocks
            .iter()
            .any(|b| b.kind == BlockKind::Record && filled(b))
    });
    let mut out = String::new();
    let mut i = 0;
    while i < doc.blocks.len() {
        let b = &doc.blocks[i];
        i += 1;
        if b.attrs.contains_key(HEADER) {
            match target {
                Some(l) => out.push_str(&set_language(&b.raw, l.code())),
                None => out.push_str(&b.raw),
            }
            continue;
        }
        if b.kind != BlockKind::Record || b.attrs.contains_key(PLURAL_FORM) {
            out.push_str(&b.raw);
            continue;
        }
        let plurals = b
            .attrs
            .get(PLURALS)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as usize;
        let plural = (plurals > 0)
            .then(|| doc.blocks.get(i))
            .flatten()
            .filter(|p| p.attrs.contains_key(PLURAL_FORM));
        if plural.is_some() {
            i += 1;
        }
        if !filled(b) || plural.is_some_and(|p| !filled(p)) {
            out.push_str(&b.raw);
            continue;
        }
        let flags = b
            .attrs
            .get(FLAGS)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        let tr = b.translated_text();
        let tr_plural = plural.map(|p| p.translated_text());
        let fuzzy = needs_fuzzy(b, flags, &tr)
            || plural.is_some_and(|p| needs_fuzzy(p, flags, tr_plural.as_deref().unwrap_or("")));
        let mut flag_list: Vec<&str> = flags
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if fuzzy && !flag_list.contains(&"fuzzy") {
            flag_list.insert(0, "fuzzy");
        }
        // The flags line goes after the other comments, before `#|` and the keywords.
        let mut placed = flag_list.is_empty();
        for line in b.prefix.split_inclusive('\n') {
            let t = line.trim_start();
            let comment = t.starts_with("# ")
                || t.starts_with("#.")
                || t.starts_with("#:")
                || t.trim_end() == "#";
            if !placed && !comment {
                out.push_str(&format!("#, {}\n", flag_list.join(", ")));
                placed = true;
            }
            out.push_str(line);
        }
        match tr_plural {
            None => out.push_str(&quote("msgstr", &tr)),
            Some(tp) => {
                for n in 0..plurals {
                    let text = if n == 0 { &tr } else { &tp };
                    out.push_str(&quote(&format!("msgstr[{n}]"), text));
                }
            }
        }
    }
    out
}

/// The header entry with its `Language:` field set to `code` (added if missing).
fn set_language(raw: &str, code: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    let mut done = false;
    for line in raw.split_inclusive('\n') {
        if !done && line.trim_start().starts_with("\"Language:") {
            out.push_str(&format!("\"Language: {code}\\n\"\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("\"Language: {code}\\n\"\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Note, Segment};

    const PO: &str = "# Test\nmsgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: ar\\n\"\n\n#: a.c:1\nmsgid \"آتزمون\"\nmsgstr \"\"\n\n#, c-format\nmsgid \"توكاييف %s\"\nmsgstr \"\"\n\nmsgid \"done\"\nmsgstr \"fait\"\n";

    fn fill(doc: &mut Document, i: usize, tr: &str, note: Option<Note>) {
        let b = doc
            .blocks
            .iter_mut()
            .filter(|b| b.kind == BlockKind::Record)
            .nth(i)
            .unwrap();
        let mut s = Segment::new(0, &b.text, 0..b.text.len());
        s.translation = Some(tr.into());
        s.status = SegmentStatus::Translated;
        s.notes.extend(note);
        b.segments = vec![s];
    }

    #[test]
    fn round_trip_fill_and_fuzzy() {
        let mut doc = read("a.po", PO).unwrap();
        assert_eq!(write(&doc), PO);
        assert_eq!(
            doc.blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Record)
                .count(),
            2
        );
        doc.target = Some(crate::Lang::from_code("en").unwrap());
        fill(&mut doc, 0, "atzmon", None);
        fill(&mut doc, 1, "tokayev", None);
        let out = write(&doc);
        assert!(
            out.contains("#: a.c:1\nmsgid \"آتزمون\"\nmsgstr \"atzmon\"\n"),
            "{out}"
        );
        assert!(
            out.contains("#, fuzzy, c-format\nmsgid \"توكاييف %s\"\nmsgstr \"tokayev\"\n"),
            "{out}"
        );
        assert!(out.contains("\"Language: en\\n\""), "{out}");
        assert!(out.contains("msgid \"done\"\nmsgstr \"fait\"\n"));
    }

    /// (line, prefix, text) of every block.
    fn placed(doc: &Document) -> Vec<(usize, &str, &str)> {
        doc.blocks
            .iter()
            .map(|b| (b.line, b.prefix.as_str(), b.text.as_str()))
            .collect()
    }

    #[test]
    fn read_pairs_escapes_continuations_plurals_and_places() {
        let po = concat!(
            "msgid \"\"\n",                                          // 1
            "msgstr \"\"\n",                                         // 2
            "\"Content-Type: text/plain; charset=UTF-8\\n\"\n",      // 3
            "\"Language: en\\n\"\n",                                 // 4
            "\n",                                                    // 5
            "#: a.c:1\n",                                            // 6
            "msgid \"Er sagte: \\\"Hallo\\\"\\tund\\\\ging.\\n\"\n", // 7
            "msgstr \"He said: \\\"hello\\\"\\tand\\\\left.\\n\"\n", // 8
            "\n",                                                    // 9
            "msgid \"\"\n",                                          // 10
            "\"Erste Zeile\\n\"\n",                                  // 11
            "\"zweite Zeile\"\n",                                    // 12
            "msgstr \"\"\n",                                         // 13
            "\"\"\n",                                                // 14
            "  \"First line\\n\"\r\n",                               // 15
            "\"second \\\"line\\\"\"\n",                             // 16
            "\n",                                                    // 17
            "#, c-format\n",                                         // 18
            "msgid \"Ein Artikel\"\n",                               // 19
            "msgid_plural \"%d Artikel\"\n",                         // 20
            "msgstr[0] \"One article\"\n",                           // 21
            "msgstr[1] \"%d articles\"\n",                           // 22
            "msgstr[2]  \"%d articles (many)\"\n",                   // 23
            "\n",                                                    // 24
            "msgid \"Offen\"\n",                                     // 25
            "msgstr \"\"\n",                                         // 26
            "\n",                                                    // 27
            "#~ msgid \"Alt\"\n",                                    // 28
            "#~ msgstr \"Old\"\n",                                   // 29
            "\n",                                                    // 30
            "msgctxt \"menu\"\n",                                    // 31
            "msgid \"Datei \\q\"\n",                                 // 32
            "msgstr \"File \\q\"",                                   // 33
        );
        let (source, target) = read_pairs("a.po", po).unwrap();
        assert_eq!(
            placed(&source),
            vec![
                (7, "msgid \"", "Er sagte: \"Hallo\"\tund\\ging.\n"),
                (11, "\"", "Erste Zeile\nzweite Zeile"),
                (19, "msgid \"", "Ein Artikel"),
                (20, "msgid_plural \"", "%d Artikel"),
                (20, "msgid_plural \"", "%d Artikel"),
                (32, "msgid \"", "Datei \\q"),
            ]
        );
        assert_eq!(
            placed(&target),
            vec![
                (8, "msgstr \"", "He said: \"hello\"\tand\\left.\n"),
                (15, "  \"", "First line\nsecond \"line\""),
                (21, "msgstr[0] \"", "One article"),
                (22, "msgstr[1] \"", "%d articles"),
                (23, "msgstr[2]  \"", "%d articles (many)"),
                (33, "msgstr \"", "File \\q"),
            ]
        );
        assert!(source
            .blocks
            .iter()
            .chain(&target.blocks)
            .all(|b| b.kind == BlockKind::Record && b.raw.is_empty()));
    }

    #[test]
    fn read_pairs_errors_name_their_line() {
        let line_of = |po: &str| match read_pairs("a.po", po) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a parse error, got {other:?}"),
        };
        let unterminated = "msgid \"a\"\nmsgstr \"\"\n\"b\\\"\n";
        assert_eq!(line_of(unterminated), (3, "unterminated string".into()));
        let keyword = "msgid \"a\"\nmsgstr \"b\\\"\n";
        assert_eq!(line_of(keyword), (2, "expected a quoted string".into()));
        let orphan = "# c\n\"b\"\n";
        assert_eq!(line_of(orphan), (2, "string without a keyword".into()));
        let orphan_unterminated = "\"b\\\"\nmsgid \"a\"\n";
        assert_eq!(
            line_of(orphan_unterminated),
            (1, "unterminated string".into())
        );
        assert_eq!(line_of("hello\n"), (1, "expected a quoted string".into()));
        assert_eq!(
            line_of("# only a comment\n"),
            (1, "not a PO file: no msgid".into())
        );
    }
}
