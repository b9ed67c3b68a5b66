//! GNU gettext PO catalogues.
//!
//! Every entry with an empty `msgstr` becomes a [`BlockKind::Record`] block (two for plural
//! entries: `msgid` and `msgid_plural`); entries already translated, obsolete entries and the
//! header are kept as written. On output `msgstr` is filled; an entry gets the `fuzzy` flag when
//! a segment carries an error note or the translation lost a format placeholder (`%s`, `%d`…)
//! of a `c-format`/`python-format` entry. The header's `Language:` is set to the target.

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
        fields.push((kw.to_string(), value, i));
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
    b.id = Some(match get("msgctxt") {
        Some(c) => format!("{}\u{4}{}", c.1, msgid.1).into(),
        None => msgid.1.clone().into(),
    });
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

/// The content of a C-style quoted string, unescaped.
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
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
}
