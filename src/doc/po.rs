//! GNU gettext PO catalogues.
//!
//! Every entry with an empty `msgstr` becomes a [`BlockKind::Record`] block (two for plural
//! entries: `msgid` and `msgid_plural`); entries already translated, obsolete entries and the
//! header are kept as written. On output `msgstr` is filled; an entry gets the `fuzzy` flag when
//! a segment carries an error note or the translation lost a format placeholder (`%s`, `%d`…)
//! of a `c-format`/`python-format` entry. The header's `Language:` is set to the target.

use std::borrow::Cow;

use super::{Block, BlockKind, Document, Format, SegmentStatus, Severity};
use crate::error::{Error, Result};

/// On the record of a `msgid`: how many `msgstr[n]` the entry has (0 for a singular entry).
const PLURALS: &str = "plurals";
/// On the record of a `msgid_plural`.
const PLURAL_FORM: &str = "plural_form";
/// On the header block.
const HEADER: &str = "header";
/// On an entry whose translation is kept as it is.
const KEPT: &str = "kept";
/// On a record: the `#,` flags of the entry.
const FLAGS: &str = "flags";
/// On a record: the line ending of its first line (`\n`, `\r\n` or `\r`), for the lines
/// written.
const EOL: &str = "eol";

/// On the target block of a plural entry's `msgstr[0]`, as [`read_pairs`] reads it: the
/// entry's `msgid_plural`, whose placeholders that form may hold too (Russian `msgstr[0]`
/// serves 1, 21, 31…).
pub const PLURAL_SOURCE: &str = "plural_source";
/// On the target block of a plural form that the catalogue's plural rule (its header's
/// `Plural-Forms`, else its `Language`'s) gives to exactly one count, as [`read_pairs`]
/// reads it: such a form may leave the count out, as gettext allows.
pub const SINGLE_COUNT: &str = "single_count";
/// On both blocks of a unit pair of an entry marked `#, fuzzy`, as [`read_pairs`] reads it:
/// a translation that `msgfmt` leaves out of the compiled catalogue until a translator has
/// reviewed it.
pub const FUZZY: &str = "fuzzy";

/// One entry as read: its lines and where it starts.
struct Entry<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

/// Splits `text` into lines keeping their terminators (`\n`, `\r\n` or a lone `\r`, as
/// msgfmt reads them), paired with their 1-based numbers.
fn po_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut no = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // (A byte search: both are ASCII, so never inside a character.)
        let end = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) if rest[i..].starts_with("\r\n") => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        no += 1;
        Some((no, line))
    })
}

/// The keyword of a keyword line and what follows it (`msgstr""` has no space between).
fn keyword(t: &str) -> (&str, &str) {
    // ASCII is classified by byte (whitespace is U+0009–U+000D and the space there); from
    // the first other character on, by `char::is_whitespace`.
    let b = t.as_bytes();
    let end = match b
        .iter()
        .position(|&c| !c.is_ascii() || matches!(c, b'\t'..=b'\r' | b' ' | b'"'))
    {
        Some(i) if b[i].is_ascii() => i,
        Some(i) => t[i..]
            .find(|c: char| c.is_whitespace() || c == '"')
            .map_or(t.len(), |k| i + k),
        None => t.len(),
    };
    (&t[..end], &t[end..])
}

/// Checks a catalogue the way msgfmt does before anything is read from it, naming the line of
/// the first fault: known keywords only, quoted strings with valid escapes, plural indices
/// that are small numbers, no keyword twice in one entry, plural forms only with
/// `msgid_plural`, no message defined twice, a number in the header's `nplurals`.
pub fn validate(origin: &str, text: &str) -> Result<()> {
    let err = |line: usize, message: String| Error::Parse {
        origin: origin.to_string(),
        line,
        message,
    };
    // (keyword, line) of the current entry; values of msgctxt and msgid (borrowed from
    // `text` while they are one string without escapes).
    let mut keys: Vec<(&str, usize)> = Vec::new();
    let mut ctxt: Option<Cow<str>> = None;
    let mut id: Option<(Cow<str>, usize)> = None;
    // The `msgstr` strings of an entry whose msgid is empty (the header's).
    let mut header: Vec<(usize, Cow<str>)> = Vec::new();
    let mut current: Option<usize> = None; // index in keys of the keyword strings go to
    type Seen<'a> = rustc_hash::FxHashMap<(Option<Cow<'a, str>>, Cow<'a, str>), usize>;
    let mut seen: Seen = Default::default();
    #[allow(clippy::type_complexity)]
    fn finish<'a>(
        err: &impl Fn(usize, String) -> Error,
        keys: &mut Vec<(&'a str, usize)>,
        ctxt: &mut Option<Cow<'a, str>>,
        id: &mut Option<(Cow<'a, str>, usize)>,
        header: &mut Vec<(usize, Cow<'a, str>)>,
        seen: &mut Seen<'a>,
    ) -> Result<()> {
        let plural = keys.iter().any(|(k, _)| *k == "msgid_plural");
        for &(k, line) in keys.iter() {
            if k == "msgstr" && plural {
                return Err(err(
                    line,
                    "`msgstr` in an entry with `msgid_plural` (use `msgstr[0]`…)".into(),
                ));
            }
            if k.starts_with("msgstr[") && !plural {
                return Err(err(
                    line,
                    format!("`{k}` in an entry without `msgid_plural`"),
                ));
            }
        }
        if let Some((msgid, line)) = id.take() {
            if !keys.iter().any(|(k, _)| k.starts_with("msgstr")) {
                return Err(err(line, "entry has no msgstr".into()));
            }
            if msgid.is_empty() && ctxt.is_none() {
                for (l, v) in header.iter() {
                    if let Some(at) = v.find("nplurals=") {
                        let n: String = v[at + 9..]
                            .chars()
                            .take_while(|c| !matches!(c, ';' | ' ' | '\n'))
                            .collect();
                        if !n
                            .trim()
                            .parse::<u32>()
                            .is_ok_and(|n| (1..=100).contains(&n))
                        {
                            return Err(err(
                                *l,
                                format!("`nplurals={}` is not a number of plural forms", n.trim()),
                            ));
                        }
                    }
                }
            }
            match seen.entry((ctxt.take(), msgid)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    return Err(err(
                        line,
                        format!("message defined twice (first on line {})", first.get()),
                    ));
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(line);
                }
            }
        } else if let Some((k, line)) = keys.first() {
            return Err(err(*line, format!("`{k}` without `msgid`")));
        }
        keys.clear();
        *ctxt = None;
        header.clear();
        Ok(())
    }
    for (no, line) in po_lines(text) {
        let t = line.trim();
        if t.is_empty() {
            finish(&err, &mut keys, &mut ctxt, &mut id, &mut header, &mut seen)?;
            current = None;
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        let (kw, rest) = if t.starts_with('"') {
            ("", t)
        } else {
            keyword(t)
        };
        if !kw.is_empty() {
            let known = match kw.strip_prefix("msgstr[").and_then(|n| n.strip_suffix(']')) {
                Some(n) => {
                    if !n.parse::<u32>().is_ok_and(|n| n < 100) {
                        return Err(err(
                            no,
                            format!("`{kw}`: a plural form is a number from 0 to 99"),
                        ));
                    }
                    true
                }
                None => matches!(kw, "msgctxt" | "msgid" | "msgid_plural" | "msgstr"),
            };
            if !known {
                return Err(err(no, format!("unknown keyword `{kw}`")));
            }
            // A new msgctxt or msgid after a msgstr starts the next entry.
            let starts = matches!(kw, "msgctxt" | "msgid");
            if starts && keys.iter().any(|(k, _)| k.starts_with("msgstr")) {
                finish(&err, &mut keys, &mut ctxt, &mut id, &mut header, &mut seen)?;
            }
            if keys.iter().any(|(k, _)| *k == kw) {
                return Err(err(no, format!("`{kw}` given twice in one entry")));
            }
            keys.push((kw, no));
            current = Some(keys.len() - 1);
        } else if current.is_none() {
            return Err(err(no, "string without a keyword".into()));
        }
        let inner =
            quoted(rest.trim()).ok_or_else(|| err(no, "expected a quoted string".into()))?;
        let value = check_escapes(inner).map_err(|m| err(no, m))?;
        match keys.last().map(|(k, _)| *k) {
            Some("msgctxt") => match ctxt.as_mut() {
                Some(c) => c.to_mut().push_str(&value),
                None => ctxt = Some(value),
            },
            Some("msgid") => match id.as_mut() {
                Some((v, _)) if !kw.is_empty() => *v = value,
                Some((v, _)) => v.to_mut().push_str(&value),
                None => id = Some((value, no)),
            },
            // Only the header's strings are read again (for `nplurals`): an entry with a
            // msgid of its own keeps none.
            Some("msgstr") if id.as_ref().is_none_or(|(v, _)| v.is_empty()) => {
                header.push((no, value))
            }
            _ => {}
        }
    }
    finish(&err, &mut keys, &mut ctxt, &mut id, &mut header, &mut seen)
}

/// The value of a string's inside, or what is wrong with an escape in it; borrowed when it
/// has no backslash (and no quote, which is an error).
fn check_escapes(inner: &str) -> std::result::Result<Cow<'_, str>, String> {
    if memchr::memchr2(b'\\', b'"', inner.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            return Err("unescaped `\"` inside a string".into());
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(e @ ('"' | '\\' | '\'' | '?')) => out.push(e),
            Some('a' | 'b' | 'f' | 'v') => {}
            Some('0'..='7') => {
                while chars.peek().is_some_and(|d| ('0'..='7').contains(d)) {
                    chars.next();
                }
            }
            Some('x') if chars.peek().is_some_and(char::is_ascii_hexdigit) => {
                while chars.peek().is_some_and(char::is_ascii_hexdigit) {
                    chars.next();
                }
            }
            Some(e) => return Err(format!("invalid escape `\\{e}`")),
            None => return Err("unterminated string".into()),
        }
    }
    Ok(Cow::Owned(out))
}

/// Reads a PO file.
pub fn read(origin: &str, text: &str) -> Result<Document> {
    validate(origin, text)?;
    let mut doc = Document::new(Format::Po, origin);
    let mut entries: Vec<(Option<Entry>, String)> = Vec::new();
    let mut current: Option<Entry> = None;
    let mut gap = String::new();
    for (no, line) in po_lines(text) {
        if line.trim().is_empty() {
            if let Some(e) = current.take() {
                entries.push((Some(e), std::mem::take(&mut gap)));
            }
            gap.push_str(line);
            continue;
        }
        // Entries need no blank line between them: a comment, msgctxt or msgid after a msgstr
        // starts the next one.
        let t = line.trim_start();
        let next_entry = current.as_ref().is_some_and(|e| {
            e.lines.iter().any(|l| l.trim_start().starts_with("msgstr"))
                && (t.starts_with('#') || matches!(keyword(t).0, "msgctxt" | "msgid"))
        });
        if next_entry {
            if let Some(e) = current.take() {
                entries.push((Some(e), String::new()));
            }
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
    if doc.blocks.iter().any(|b| b.attrs.contains_key(KEPT)) {
        doc.kept_target = header_language(&doc, text);
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

/// The header's `Language:` value (when not empty) and the line it is on.
fn header_language(doc: &Document, text: &str) -> Option<(String, usize)> {
    let header = doc.blocks.iter().find(|b| b.attrs.contains_key(HEADER))?;
    let at = header.raw.find("\"Language:")?;
    let value = header.raw[at + "\"Language:".len()..]
        .split(['\\', '"'])
        .next()?
        .trim();
    if value.is_empty() {
        return None;
    }
    // The header is the first entry with that field; its line is counted in the input.
    let line = text
        .find("\"Language:")
        .map_or(1, |k| text[..k].matches('\n').count() + 1);
    Some((value.to_string(), line))
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
        let (kw, rest) = keyword(t);
        let value = unquote(rest.trim()).ok_or_else(|| err("expected a quoted string"))?;
        fields.push((kw.to_string(), value.into_owned(), i));
    }
    let get = |k: &str| fields.iter().find(|f| f.0 == k);
    let Some(msgid) = get("msgid") else {
        // Comments only (a comment block before a blank line): kept as they are.
        if fields.is_empty() {
            doc.blocks.push(markup(raw));
            return Ok(());
        }
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
    if msgid.1.is_empty() && get("msgctxt").is_none() {
        let mut b = markup(raw);
        b.attrs.insert(HEADER.into(), true.into());
        doc.blocks.push(b);
        return Ok(());
    }
    if msgstrs.iter().any(|f| !f.1.is_empty()) || !msgid.1.chars().any(char::is_alphabetic) {
        let mut b = markup(raw);
        if msgstrs.iter().any(|f| !f.1.is_empty()) {
            b.attrs.insert(KEPT.into(), true.into());
        }
        doc.blocks.push(b);
        return Ok(());
    }
    // Everything before the first msgstr is kept; the flags line is rewritten on output.
    let head: String = entry.lines[..first_str.2]
        .iter()
        .filter(|l| !l.trim_start().starts_with("#,"))
        .copied()
        .collect();
    let plural = get("msgid_plural");
    // KDE: `_: context\n` before the text is context, not text (and not in the msgstr).
    let text = match msgid.1.strip_prefix("_: ").and_then(|r| r.split_once('\n')) {
        Some((_, rest)) if rest.chars().any(char::is_alphabetic) => rest.to_string(),
        _ => msgid.1.clone(),
    };
    let mut b = Block::new(BlockKind::Record, text, entry.line + msgid.2);
    b.id = Some(Box::new(match get("msgctxt") {
        Some(c) => format!("{}\u{4}{}", c.1, msgid.1).into(),
        None => msgid.1.clone().into(),
    }));
    b.prefix = head;
    b.raw = raw;
    b.attrs.insert(FLAGS.into(), flags.into());
    let eol = entry.lines.first().map_or("\n", |l| {
        let body = l.trim_end_matches(['\n', '\r']);
        &l[body.len()..]
    });
    b.attrs
        .insert(EOL.into(), if eol.is_empty() { "\n" } else { eol }.into());
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
    read_pairs_in(origin, text, pieces_for(text.len()))
}

/// [`read_pairs`] of a text without byte order mark, read in up to `pieces` pieces side by
/// side (cut at blank lines, where every entry ends; see [`read_pairs_parallel`]).
fn read_pairs_in(origin: &str, text: &str, pieces: usize) -> Result<(Document, Document)> {
    if pieces > 1 {
        if let Some(read) = read_pairs_parallel(origin, text, pieces) {
            return read;
        }
    }
    validate(origin, text)?;
    let single = single_count_forms(text);
    let (source, target, seen_msgid) = pairs_from(origin, text, 0, single.as_deref())?;
    if !seen_msgid {
        return Err(no_msgid(origin));
    }
    Ok((source, target))
}

/// The error of a text without any `msgid`.
fn no_msgid(origin: &str) -> Error {
    Error::Parse {
        origin: origin.to_string(),
        line: 1,
        message: "not a PO file: no msgid".into(),
    }
}

/// Bytes of a catalogue per piece read on a thread of its own: smaller catalogues are read
/// in one.
const PIECE_BYTES: usize = 256 * 1024;

/// How many pieces [`read_pairs`] reads a text of `len` bytes in: one per [`PIECE_BYTES`],
/// at most four per thread, one without a second thread.
fn pieces_for(len: usize) -> usize {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 {
        return 1;
    }
    (len / PIECE_BYTES).clamp(1, threads.min(4) * 4)
}

/// [`read_pairs`] on several threads: the whole text is validated on one (the same check,
/// so the same first error) while the others read its pieces, cut after blank lines (a
/// blank line ends an entry in both passes, and nothing read carries over it but whether a
/// `msgid` was seen); the pieces' blocks are joined in order with their lines shifted.
/// `None` when the text gives no such cut (no `\n\n`, or a lone `\r` that makes line
/// counting differ) or a piece fails to read: the serial reading then decides.
fn read_pairs_parallel(
    origin: &str,
    text: &str,
    pieces: usize,
) -> Option<Result<(Document, Document)>> {
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        return None;
    }
    let cuts = blank_line_cuts(text, pieces);
    if cuts.len() < 3 {
        return None;
    }
    // Each piece with the number of lines before it.
    let mut parts: Vec<(&str, usize)> = Vec::with_capacity(cuts.len() - 1);
    let mut before = 0;
    for w in cuts.windows(2) {
        let piece = &text[w[0]..w[1]];
        parts.push((piece, before));
        before += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
    }
    let single = single_count_forms(text);
    let single = single.as_deref();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read_pieces = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&(piece, before)) = parts.get(k) else {
                break done;
            };
            crate::timeline::mark("po: piece");
            done.push((k, pairs_from(origin, piece, before, single)));
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4);
    let (checked, mut read) = std::thread::scope(|scope| {
        let checking = scope.spawn(|| {
            let checked = validate(origin, text);
            crate::timeline::mark("po: validated");
            // Then help with the pieces.
            (checked, read_pieces())
        });
        let helpers: Vec<_> = (2..threads).map(|_| scope.spawn(read_pieces)).collect();
        let mut read = read_pieces();
        for h in helpers {
            read.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        let (checked, theirs) = checking
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        read.extend(theirs);
        (checked, read)
    });
    if let Err(e) = checked {
        return Some(Err(e));
    }
    read.sort_unstable_by_key(|(k, _)| *k);
    let mut sources = Vec::with_capacity(read.len());
    let mut targets = Vec::with_capacity(read.len());
    let mut seen_msgid = false;
    for (_, piece) in read {
        let (s, t, seen) = piece.ok()?;
        sources.push(s);
        targets.push(t);
        seen_msgid |= seen;
    }
    if !seen_msgid {
        return Some(Err(no_msgid(origin)));
    }
    // The pieces' blocks moved into one document per side, the two sides side by side.
    let (source, target) = std::thread::scope(|scope| {
        let source = scope.spawn(|| joined(sources, origin));
        let target = joined(targets, origin);
        let source = source
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (source, target)
    });
    Some(Ok((source, target)))
}

/// The blocks of `pieces` in order, in the first piece's document (sized once for all).
fn joined(pieces: Vec<Document>, origin: &str) -> Document {
    let total = pieces.iter().map(|d| d.blocks.len()).sum::<usize>();
    let mut pieces = pieces.into_iter();
    let mut doc = pieces
        .next()
        .unwrap_or_else(|| Document::new(Format::Po, origin));
    doc.blocks.reserve(total - doc.blocks.len());
    for piece in pieces {
        doc.blocks.extend(piece.blocks);
    }
    doc
}

/// Byte offsets that cut `text` into about `pieces` pieces, each cut just after a blank
/// line (`\n\n`): 0, the cuts, `text.len()`.
fn blank_line_cuts(text: &str, pieces: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0];
    let step = text.len() / pieces.max(1);
    for k in 1..pieces {
        let from = (k * step).max(cuts.last().copied().unwrap_or(0));
        match memchr::memmem::find(&bytes[from..], b"\n\n") {
            Some(i) if from + i + 2 < text.len() => cuts.push(from + i + 2),
            _ => break,
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    cuts
}

/// Which plural forms of a catalogue stand for one count (see [`SINGLE_COUNT`]): by its
/// header's `Plural-Forms`, else by the rule gettext gives its header's `Language`.
fn single_count_forms(text: &str) -> Option<Vec<bool>> {
    let header = header_text(text)?;
    super::plural::single_count_forms(&header).or_else(|| {
        let at = header.find("Language:")? + "Language:".len();
        let code = header[at..].split('\n').next()?.trim();
        let code = code.split(['_', '-', '@', '.']).next()?;
        let (n, expr) = plural_forms(&code.to_ascii_lowercase())?;
        super::plural::single_count_forms(&format!("Plural-Forms: nplurals={n}; plural={expr};"))
    })
}

/// The target language a catalogue's header declares (`Language: pt_BR`), read from the
/// beginning of the file (`head`, which may end anywhere after the header).
pub fn declared_language(head: &str) -> Option<String> {
    let header = header_text(head.strip_prefix('\u{feff}').unwrap_or(head))?;
    let at = header.find("Language:")? + "Language:".len();
    let value = header[at..].split('\n').next()?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The `msgstr` of a catalogue's header entry (the first entry, with an empty `msgid`),
/// unescaped, if it has one.
fn header_text(text: &str) -> Option<String> {
    let mut out = String::new();
    let (mut empty_msgid, mut in_msgstr) = (false, false);
    for (_, line) in po_lines(text) {
        let t = line.trim();
        if t.is_empty() {
            if in_msgstr {
                break;
            }
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        if t.starts_with('"') {
            if in_msgstr {
                out.push_str(&unquote(t)?);
            }
            continue;
        }
        let (kw, rest) = keyword(t);
        match kw {
            "msgid" if !empty_msgid => {
                if unquote(rest.trim())?.is_empty() {
                    empty_msgid = true;
                } else {
                    return None;
                }
            }
            "msgstr" if empty_msgid && !in_msgstr => {
                in_msgstr = true;
                out.push_str(&unquote(rest.trim())?);
            }
            _ => break,
        }
    }
    in_msgstr.then_some(out)
}

/// The unit pairs of `text` (validated, or a piece of a validated text, cut after a blank
/// line, with `before` lines before it), and whether it has a `msgid`; `single` marks the
/// plural forms for one count (see [`SINGLE_COUNT`]).
fn pairs_from(
    origin: &str,
    text: &str,
    before: usize,
    single: Option<&[bool]>,
) -> Result<(Document, Document, bool)> {
    let mut source = Document::new(Format::Po, origin);
    let mut target = Document::new(Format::Po, origin);
    // One block per `msgstr` at most: sized once rather than grown by doubling.
    let units = memchr::memmem::find_iter(text.as_bytes(), b"msgstr").count();
    source.blocks.reserve(units);
    target.blocks.reserve(units);
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut obsolete = false;
    let mut seen_msgid = false;
    // Whether the entry in `fields` is marked fuzzy, and whether the next one is (its
    // comments may follow a `msgstr` without a blank line).
    let (mut fuzzy, mut next_fuzzy) = (false, false);
    let lines = po_lines(text).chain(std::iter::once((0, "")));
    for (no, line) in lines {
        let no = no + before;
        let start = line.trim_start();
        let t = start.trim_end();
        if t.is_empty() {
            if !obsolete {
                pair_entry(&mut fields, single, fuzzy, &mut source, &mut target);
            }
            fields.clear();
            obsolete = false;
            (fuzzy, next_fuzzy) = (next_fuzzy, false);
            continue;
        }
        let err = |message: &str| Error::Parse {
            origin: origin.to_string(),
            line: no,
            message: message.to_string(),
        };
        if let Some(comment) = t.strip_prefix('#') {
            if comment
                .strip_prefix(',')
                .is_some_and(|f| f.split(',').any(|f| f.trim() == "fuzzy"))
            {
                if fields.iter().any(|f| f.keyword.starts_with("msgstr")) {
                    next_fuzzy = true;
                } else {
                    fuzzy = true;
                }
            }
            obsolete |= comment.starts_with('~');
            seen_msgid |=
                comment.starts_with('~') && comment[1..].trim_start().starts_with("msgid");
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
        let (kw, rest) = keyword(t);
        // A msgctxt or msgid after a msgstr starts the next entry (no blank line needed).
        if matches!(kw, "msgctxt" | "msgid")
            && fields.iter().any(|f| f.keyword.starts_with("msgstr"))
        {
            pair_entry(&mut fields, single, fuzzy, &mut source, &mut target);
            fields.clear();
            (fuzzy, next_fuzzy) = (next_fuzzy, false);
        }
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
    Ok((source, target, seen_msgid))
}

/// The unit pairs of one entry, appended to `source` and `target`. Values are moved out of
/// `fields` into the blocks; a source value shared by several plural forms is copied for all
/// but its last use. Plural forms are marked as [`PLURAL_SOURCE`] and [`SINGLE_COUNT`] say,
/// the pairs of an entry marked fuzzy as [`FUZZY`] says.
fn pair_entry(
    fields: &mut [Field<'_>],
    single: Option<&[bool]>,
    fuzzy: bool,
    source: &mut Document,
    target: &mut Document,
) {
    let Some(msgid) = fields.iter().position(|f| f.keyword == "msgid") else {
        return; // no entry at all
    };
    if fields[msgid].value.is_empty() {
        return; // the header
    }
    let plural = fields.iter().position(|f| f.keyword == "msgid_plural");
    let form_of = |f: &Field<'_>| {
        f.keyword
            .strip_prefix("msgstr[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
    };
    // The field whose value a non-empty `msgstr`/`msgstr[n]` translates.
    let source_of = |f: &Field<'_>| {
        if !f.keyword.starts_with("msgstr") || f.value.is_empty() {
            return None;
        }
        Some(match plural {
            Some(p) if form_of(f) > 0 => p,
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
        // KDE: `_: context\n` before the text is context, not text.
        sb.text = match text.strip_prefix("_: ").and_then(|r| r.split_once('\n')) {
            Some((_, rest)) if rest.chars().any(char::is_alphabetic) => rest.to_string(),
            _ => text,
        };
        sb.prefix = s.lead.to_string();
        let form = form_of(&fields[i]);
        let mut tb = Block::new(BlockKind::Record, String::new(), fields[i].line);
        if let Some(p) = plural {
            if form == 0 && !fields[p].value.is_empty() {
                let also = serde_json::Value::String(fields[p].value.to_string());
                tb.attrs.insert(PLURAL_SOURCE.into(), also);
            }
            if single.and_then(|s| s.get(form)) == Some(&true) {
                tb.attrs.insert(SINGLE_COUNT.into(), true.into());
            }
        }
        if fuzzy {
            sb.attrs.insert(FUZZY.into(), true.into());
            tb.attrs.insert(FUZZY.into(), true.into());
        }
        let f = &mut fields[i];
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
fn quote(keyword: &str, text: &str, eol: &str) -> String {
    let esc = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    };
    let parts: Vec<&str> = text.split_inclusive('\n').collect();
    if parts.len() <= 1 {
        return format!("{keyword} \"{}\"{eol}", esc(text));
    }
    let mut out = format!("{keyword} \"\"{eol}");
    for p in parts {
        out.push_str(&format!("\"{}\"{eol}", esc(p)));
    }
    out
}

/// The plural forms of a language as gettext's documentation gives them: their number and
/// the `plural=` expression.
fn plural_forms(code: &str) -> Option<(usize, &'static str)> {
    const ONE: &str = "0";
    const EN: &str = "(n != 1)";
    const FR: &str = "(n > 1)";
    const RU: &str =
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)";
    Some(match code {
        "ja" | "zh" | "ko" | "vi" | "th" | "id" | "ms" | "lo" | "km" | "my" => (1, ONE),
        "en" | "de" | "nl" | "sv" | "da" | "no" | "nb" | "nn" | "fi" | "et" | "es" | "it"
        | "pt" | "el" | "bg" | "hu" | "tr" | "ca" | "eu" | "gl" | "he" | "af" | "sq" | "az"
        | "ka" | "kk" | "ky" | "uz" | "ur" | "hi" | "bn" | "ta" | "te" | "ml" | "kn" | "mr"
        | "gu" | "pa" | "ne" | "si" | "sw" | "eo" | "is" | "mn" | "fy" | "lb" | "nds" => (2, EN),
        "fr" | "oc" | "fil" | "tl" | "am" | "ln" | "fa" | "ti" | "br" => (2, FR),
        "ru" | "uk" | "be" | "sr" | "hr" | "bs" => (3, RU),
        "pl" => (
            3,
            "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
        ),
        "cs" | "sk" => (3, "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"),
        "lt" => (
            3,
            "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2)",
        ),
        "lv" => (3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),
        "ro" => (
            3,
            "(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2)",
        ),
        "sl" => (
            4,
            "(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3)",
        ),
        "ga" => (5, "(n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4)"),
        "ar" => (
            6,
            "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)",
        ),
        _ => return None,
    })
}

/// The `nplurals` of a header entry as written, if it has a `Plural-Forms` field.
fn header_nplurals(raw: &str) -> Option<usize> {
    let at = raw.find("nplurals=")?;
    raw[at + 9..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
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
    // How many plural forms a filled plural entry gets: as the header says, else as the
    // target language has (and the header is told), else as many as the entry has.
    let header = doc.blocks.iter().find(|b| b.attrs.contains_key(HEADER));
    let declared = header.and_then(|h| header_nplurals(&h.raw));
    let forms = target.and_then(|l| plural_forms(l.code()));
    let fills_plurals = doc
        .blocks
        .windows(2)
        .any(|w| w[1].attrs.contains_key(PLURAL_FORM) && filled(&w[0]) && filled(&w[1]));
    let add_forms = forms.filter(|_| declared.is_none() && fills_plurals);
    let nplurals = declared.or(forms.map(|f| f.0));
    let mut out = String::new();
    let mut i = 0;
    while i < doc.blocks.len() {
        let b = &doc.blocks[i];
        i += 1;
        if b.attrs.contains_key(HEADER) {
            let mut raw = match target {
                Some(l) => set_language(&b.raw, l.code()),
                None => b.raw.clone(),
            };
            if let Some((n, expr)) = add_forms {
                let eol = line_ending(&raw);
                if !raw.ends_with(['\n', '\r']) {
                    raw.push_str(eol);
                }
                raw.push_str(&format!(
                    "\"Plural-Forms: nplurals={n}; plural={expr};\\n\"{eol}"
                ));
            }
            out.push_str(&raw);
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
        let eol = b
            .attrs
            .get(EOL)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("\n");
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
        for (_, line) in po_lines(&b.prefix) {
            let t = line.trim_start();
            let comment = t.starts_with("# ")
                || t.starts_with("#.")
                || t.starts_with("#:")
                || t.trim_end() == "#";
            if !placed && !comment {
                out.push_str(&format!("#, {}{eol}", flag_list.join(", ")));
                placed = true;
            }
            out.push_str(line);
        }
        match tr_plural {
            None => out.push_str(&quote("msgstr", &tr, eol)),
            Some(tp) => {
                for n in 0..nplurals.unwrap_or(plurals).max(1) {
                    let text = if n == 0 { &tr } else { &tp };
                    out.push_str(&quote(&format!("msgstr[{n}]"), text, eol));
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
    let eol = line_ending(raw);
    for (_, line) in po_lines(raw) {
        let t = line.trim_start();
        if let Some(v) = t.strip_prefix("\"Language:") {
            // `pt_BR` stays for `pt`.
            let primary = v
                .trim()
                .split(['_', '-', '\\', '@'])
                .next()
                .unwrap_or_default();
            if primary.eq_ignore_ascii_case(code) {
                out.push_str(line);
                done = true;
                continue;
            }
        }
        if !done && t.starts_with("\"Language:") {
            let end = &line[line.trim_end_matches(['\n', '\r']).len()..];
            out.push_str(&format!("\"Language: {code}\\n\"{end}"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        if !out.ends_with(['\n', '\r']) {
            out.push_str(eol);
        }
        out.push_str(&format!("\"Language: {code}\\n\"{eol}"));
    }
    out
}

/// The line ending `text` uses (that of its first line; `\n` if it has none).
fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) if text[i..].starts_with('\r') => "\r",
        _ => "\n",
    }
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
    fn keyword_split_by_bytes_is_the_char_split() {
        fn by_chars(t: &str) -> (&str, &str) {
            let end = t
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(t.len());
            (&t[..end], &t[end..])
        }
        for t in [
            "msgid \"a\"",
            "msgstr\"\"",
            "msgstr[1] \"x\"",
            "msgid\t\"x\"",
            "msgid\u{b}\"x\"",
            "msgid\u{1c}\"x\"",
            "msgid\u{a0}\"x\"",
            "msgidé \"x\"",
            "msgéid\u{2003}\"x\"",
            "msgid\u{85}",
            "msgid",
            "",
            "é",
        ] {
            assert_eq!(keyword(t), by_chars(t), "{t:?}");
        }
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
            "msgid \"Datei \\\\q\"\n",                               // 32
            "msgstr \"File \\\\q\"",                                 // 33
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
    fn read_pairs_marks_the_pairs_of_fuzzy_entries() {
        let po = concat!(
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n",
            "#, fuzzy, python-format\n#| msgid \"Old %s\"\nmsgid \"New %s\"\nmsgstr \"Alt %s\"\n\n",
            "#, python-format\nmsgid \"Kept %s\"\nmsgstr \"Behalten %s\"\n",
            // The next entry's comments right after a `msgstr`, with no blank line.
            "#, fuzzy\nmsgid \"One\"\nmsgid_plural \"Many\"\nmsgstr[0] \"Eins\"\nmsgstr[1] \"Viele\"\n\n",
            "#, fuzzy-like\nmsgid \"Last\"\nmsgstr \"Letzte\"\n",
        );
        let (source, target) = read_pairs("a.po", po).unwrap();
        let marks = |d: &Document| -> Vec<bool> {
            d.blocks
                .iter()
                .map(|b| b.attrs.contains_key(FUZZY))
                .collect()
        };
        assert_eq!(marks(&source), [true, false, true, true, false]);
        assert_eq!(marks(&target), [true, false, true, true, false]);
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
        assert_eq!(line_of(keyword), (2, "unterminated string".into()));
        let orphan = "# c\n\"b\"\n";
        assert_eq!(line_of(orphan), (2, "string without a keyword".into()));
        let orphan_unterminated = "\"b\\\"\nmsgid \"a\"\n";
        assert_eq!(
            line_of(orphan_unterminated),
            (1, "string without a keyword".into())
        );
        assert_eq!(line_of("hello\n"), (1, "unknown keyword `hello`".into()));
        assert_eq!(
            line_of("# only a comment\n"),
            (1, "not a PO file: no msgid".into())
        );
    }
}

/// The parallel reading of [`read_pairs`] against the serial one on real catalogues.
#[cfg(test)]
mod parallel_tests {
    use super::*;

    /// Real catalogues as PO text: `msgunfmt` of up to `per_locale` installed gettext
    /// catalogues of a few languages.
    fn real_catalogues(per_locale: usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mos = crate::qa::text::installed_catalogues(&["de", "fr", "es", "ru"], per_locale);
        {
            for mo in mos {
                let Ok(o) = std::process::Command::new("msgunfmt").arg(&mo).output() else {
                    continue;
                };
                if let Ok(text) = String::from_utf8(o.stdout) {
                    if o.status.success() && text.len() > 2000 {
                        out.push((mo.display().to_string(), text));
                    }
                }
            }
        }
        out
    }

    /// The blocks of a reading as comparable values: kind, line, prefix, text.
    fn shown(read: &Result<(Document, Document)>) -> String {
        match read {
            Ok((s, t)) => {
                let side = |d: &Document| {
                    d.blocks
                        .iter()
                        .map(|b| format!("{:?} {} {:?} {:?}\n", b.kind, b.line, b.prefix, b.text))
                        .collect::<String>()
                };
                format!("{}---\n{}", side(s), side(t))
            }
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn pieces_read_as_the_whole_on_real_catalogues() {
        let catalogues = real_catalogues(12);
        assert!(
            !catalogues.is_empty(),
            "no installed catalogue to read (gettext's msgunfmt and /usr/share/locale)"
        );
        // All of them in one large catalogue too (several headers and repeated messages:
        // an error, which must be the serial reading's), and the same without repeats.
        let mut all = String::new();
        for (_, text) in &catalogues {
            all.push_str(text);
            all.push('\n');
        }
        let mut cut = 0;
        for (name, text) in catalogues.iter().chain([&("all".to_string(), all)]) {
            let serial = shown(&read_pairs_in(name, text, 1));
            for pieces in [2, 3, 7, 16] {
                cut += usize::from(blank_line_cuts(text, pieces).len() > 2);
                assert_eq!(
                    shown(&read_pairs_in(name, text, pieces)),
                    serial,
                    "{name} in {pieces} pieces"
                );
            }
        }
        assert!(cut > 0, "no catalogue was cut into pieces");
    }

    #[test]
    fn a_fault_in_a_later_piece_is_the_serial_readings() {
        let catalogues = real_catalogues(3);
        let Some((name, text)) = catalogues.iter().max_by_key(|(_, t)| t.len()) else {
            panic!("no installed catalogue to read");
        };
        let serial_ok = shown(&read_pairs_in(name, text, 1));
        assert!(!serial_ok.starts_with("error"), "{name}: {serial_ok}");
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // Faults three quarters into the file: an unknown keyword, a string without a
        // keyword after a blank line, a message given twice (its first entry repeated at the
        // end), an unterminated string; and CRLF blank lines (read in one piece).
        let at = lines.len() * 3 / 4;
        let first_entry: String = text
            .split("\n\n")
            .nth(1)
            .map(|e| format!("\n{e}\n"))
            .unwrap_or_default();
        let variants = [
            [
                &lines[..at].concat(),
                "msgfoo \"x\"\n",
                &lines[at..].concat(),
            ]
            .concat(),
            [
                &lines[..at].concat(),
                "\n\"stray\"\n",
                &lines[at..].concat(),
            ]
            .concat(),
            format!("{text}{first_entry}"),
            [
                &lines[..at].concat(),
                "\nmsgid \"open\n",
                &lines[at..].concat(),
            ]
            .concat(),
            text.replacen("\n\n", "\r\n\r\n", 3),
        ];
        for (i, v) in variants.iter().enumerate() {
            let serial = shown(&read_pairs_in(name, v, 1));
            if i < 4 {
                assert!(serial.starts_with("error: "), "variant {i}: {serial}");
            }
            for pieces in [2, 5, 16] {
                assert_eq!(
                    shown(&read_pairs_in(name, v, pieces)),
                    serial,
                    "variant {i}"
                );
            }
        }
    }
}
