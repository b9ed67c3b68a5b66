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

/// One keyword of an entry read by [`read_pairs`]: its value and where that value sits.
struct Field {
    keyword: String,
    value: String,
    /// 1-based line of the value's text: the keyword line, or the first continuation line
    /// holding text when the keyword line has `""`.
    line: usize,
    /// What stands before the value's text on that line (`msgstr "`, `"`).
    lead: String,
}

/// Reads a PO file as unit pairs for checking: block `i` of the target (a non-empty `msgstr`
/// or `msgstr[n]`) translates block `i` of the source (`msgid`, or `msgid_plural` for
/// `msgstr[1]` and later). The header, obsolete entries and untranslated entries are skipped;
/// fuzzy entries are kept. Target blocks sit at the line of their text with the keyword and
/// quote as prefix, so byte columns count from the start of the line (escapes inside the
/// string are counted once, as read).
pub fn read_pairs(origin: &str, text: &str) -> Result<(Document, Document)> {
    let mut source = Document::new(Format::Po, origin);
    let mut target = Document::new(Format::Po, origin);
    let mut fields: Vec<Field> = Vec::new();
    let mut obsolete = false;
    let mut seen_msgid = false;
    let lines = numbered_lines(text).chain(std::iter::once((0, "")));
    for (no, line) in lines {
        let t = line.trim();
        if t.is_empty() {
            if !obsolete {
                pair_entry(&fields, &mut source, &mut target);
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
        if t.starts_with("#~") {
            obsolete = true;
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        let lead_len = line.len() - line.trim_start().len();
        if t.starts_with('"') {
            let s = unquote(t).ok_or_else(|| err("unterminated string"))?;
            let Some(f) = fields.last_mut() else {
                return Err(err("string without a keyword"));
            };
            if f.value.is_empty() && !s.is_empty() {
                f.line = no;
                f.lead = line[..lead_len + 1].to_string();
            }
            f.value.push_str(&s);
            continue;
        }
        let (kw, rest) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
        let value = unquote(rest.trim()).ok_or_else(|| err("expected a quoted string"))?;
        seen_msgid |= kw == "msgid";
        let quote_at = line.find('"').map_or(line.len(), |q| q + 1);
        fields.push(Field {
            keyword: kw.to_string(),
            value,
            line: no,
            lead: line[..quote_at].to_string(),
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

/// The unit pairs of one entry, appended to `source` and `target`.
fn pair_entry(fields: &[Field], source: &mut Document, target: &mut Document) {
    let get = |k: &str| fields.iter().find(|f| f.keyword == k);
    let Some(msgid) = get("msgid").filter(|f| !f.value.is_empty()) else {
        return; // the header, or no entry at all
    };
    let plural = get("msgid_plural");
    for f in fields.iter().filter(|f| f.keyword.starts_with("msgstr")) {
        if f.value.is_empty() {
            continue;
        }
        let form = f
            .keyword
            .strip_prefix("msgstr[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        let src = match plural {
            Some(p) if form > 0 => p,
            _ => msgid,
        };
        // The text is set after `Block::new`, which would copy it into `raw` (unused here).
        let mut sb = Block::new(BlockKind::Record, String::new(), src.line);
        sb.text.clone_from(&src.value);
        sb.prefix.clone_from(&src.lead);
        let mut tb = Block::new(BlockKind::Record, String::new(), f.line);
        tb.text.clone_from(&f.value);
        tb.prefix.clone_from(&f.lead);
        source.blocks.push(sb);
        target.blocks.push(tb);
    }
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
