//! Reading glossary files: TSV or CSV with a header, and TBX (basic).
//!
//! Every rejected row is an [`Error::Parse`] naming the file and line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use super::{CaseRule, Entry};
use crate::error::{Error, LineIndex, Result};
use crate::lang::Lang;

/// The columns of a TSV/CSV glossary.
pub const COLUMNS: [&str; 7] = [
    "src_lang", "tgt_lang", "source", "target", "variants", "case", "note",
];

/// Reads one glossary file: `.tbx` as TBX, `.csv` as comma-separated, anything else as
/// tab-separated. `-` is standard input (TBX when it starts with `<`, else tab-separated).
pub fn load_file(path: &Path) -> Result<Vec<Entry>> {
    if path.as_os_str() == "-" {
        let origin = "<stdin>";
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes).map_err(|source| {
            Error::Io {
                origin: origin.to_string(),
                source,
            }
        })?;
        let text = crate::doc::decode_utf8(origin, bytes)?;
        return if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
        {
            parse_tbx(origin, &text)
        } else {
            parse_delimited(origin, &text, '\t')
        };
    }
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        origin: origin.clone(),
        source,
    })?;
    let text = crate::doc::decode_utf8(&origin, bytes)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("tbx") => parse_tbx(&origin, &text),
        Some("csv") => parse_delimited(&origin, &text, ','),
        _ => parse_delimited(&origin, &text, '\t'),
    }
}

fn parse_err(origin: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        origin: origin.to_string(),
        line,
        message: message.into(),
    }
}

/// Splits one line into fields: plain split for TSV; for CSV, fields may be quoted with `"`
/// (a doubled `""` inside stands for one quote).
fn split_fields(line: &str, delim: char) -> std::result::Result<Vec<String>, String> {
    if delim == '\t' {
        return Ok(line.split('\t').map(str::to_string).collect());
    }
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && at_start {
            quoted = true;
            at_start = false;
        } else if c == delim {
            fields.push(std::mem::take(&mut field));
            at_start = true;
        } else {
            field.push(c);
            at_start = false;
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    fields.push(field);
    Ok(fields)
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses a TSV (`delim` = tab) or CSV (`delim` = comma) glossary. Blank lines and lines
/// starting with `#` are skipped; the first other line is the header.
pub fn parse_delimited(origin: &str, text: &str, delim: char) -> Result<Vec<Entry>> {
    let mut header: Option<HashMap<String, usize>> = None;
    let mut entries = Vec::new();
    for (n, raw) in crate::doc::numbered_lines(text) {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_fields(line, delim).map_err(|m| parse_err(origin, n, m))?;
        let Some(cols) = &header else {
            let mut map = HashMap::new();
            for (i, name) in fields.iter().enumerate() {
                let name = name.trim().to_ascii_lowercase();
                if !COLUMNS.contains(&name.as_str()) {
                    return Err(parse_err(
                        origin,
                        n,
                        format!(
                            "unknown column `{name}` in the header (expected {})",
                            COLUMNS.join(", ")
                        ),
                    ));
                }
                if map.insert(name.clone(), i).is_some() {
                    return Err(parse_err(origin, n, format!("column `{name}` twice")));
                }
            }
            for required in &COLUMNS[..4] {
                if !map.contains_key(*required) {
                    return Err(parse_err(
                        origin,
                        n,
                        format!("the header lacks the column `{required}`"),
                    ));
                }
            }
            header = Some(map);
            continue;
        };
        if fields.len() > cols.len() {
            return Err(parse_err(
                origin,
                n,
                format!("{} fields, the header has {}", fields.len(), cols.len()),
            ));
        }
        let get = |name: &str| {
            cols.get(name)
                .and_then(|&i| fields.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        entries.push(make_entry(
            origin,
            n,
            &get("src_lang"),
            &get("tgt_lang"),
            split_list(&get("source")),
            get("target"),
            split_list(&get("variants")),
            &get("case"),
            get("note"),
        )?);
    }
    if header.is_none() {
        return Err(parse_err(origin, 1, "no header line (expected columns src_lang, tgt_lang, source, target, variants, case, note)"));
    }
    check_conflicts(origin, &entries)?;
    Ok(entries)
}

#[allow(clippy::too_many_arguments)]
fn make_entry(
    origin: &str,
    line: usize,
    src_lang: &str,
    tgt_lang: &str,
    sources: Vec<String>,
    target: String,
    variants: Vec<String>,
    case: &str,
    note: String,
) -> Result<Entry> {
    let lang = |code: &str, col: &str| {
        if code.is_empty() {
            return Err(parse_err(origin, line, format!("empty `{col}`")));
        }
        Lang::from_code(code).map_err(|e| parse_err(origin, line, format!("`{col}`: {e}")))
    };
    let src_lang = lang(src_lang, "src_lang")?;
    let tgt_lang = lang(tgt_lang, "tgt_lang")?;
    if src_lang == tgt_lang {
        return Err(parse_err(
            origin,
            line,
            format!("source and target language are both {src_lang}"),
        ));
    }
    if sources.is_empty() {
        return Err(parse_err(origin, line, "empty `source`"));
    }
    if target.is_empty() {
        return Err(parse_err(origin, line, "empty `target`"));
    }
    if target.contains('|') {
        return Err(parse_err(
            origin,
            line,
            "`target` holds one rendering; `|` is not allowed there",
        ));
    }
    let case = match case.to_ascii_lowercase().as_str() {
        "" | "sensitive" => CaseRule::Sensitive,
        "insensitive" => CaseRule::Insensitive,
        other => {
            return Err(parse_err(
                origin,
                line,
                format!("`case` is `{other}`; expected sensitive or insensitive"),
            ))
        }
    };
    Ok(Entry {
        src_lang,
        tgt_lang,
        sources,
        target,
        variants,
        case,
        note,
        origin: origin.to_string(),
        line,
    })
}

/// Rejects a source spelling given two different renderings within one file.
fn check_conflicts(origin: &str, entries: &[Entry]) -> Result<()> {
    // Sized once (no rehashing of a large table), and keyed by the spelling itself when it is
    // lowercase ASCII already (no copy).
    let spellings = entries.iter().map(|e| e.sources.len()).sum();
    let mut seen: rustc_hash::FxHashMap<(Lang, Lang, Cow<'_, str>), (usize, &str)> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(spellings, Default::default());
    for e in entries {
        for s in &e.sources {
            let lower = if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                Cow::Borrowed(s.as_str())
            } else {
                Cow::Owned(s.to_lowercase())
            };
            let key = (e.src_lang, e.tgt_lang, lower);
            match seen.get(&key) {
                Some(&(line, target)) if target != e.target => {
                    return Err(parse_err(
                        origin,
                        e.line,
                        format!(
                            "source `{s}` is rendered `{}` here but `{target}` on line {line}",
                            e.target
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert(key, (e.line, &e.target));
                }
            }
        }
    }
    Ok(())
}

/// Whether a TBX administrative status marks a term not to be used.
const DEPRECATED: [&str; 3] = ["deprecatedTerm", "supersededTerm", "notRecommended"];

/// A `<tig>`/`<ntig>`/`<termSec>` being read.
#[derive(Default)]
struct TermGroup {
    term: Option<String>,
    deprecated: bool,
}

/// A `<langSet>`/`<langSec>` being read.
struct LangSet {
    lang: Lang,
    line: usize,
    good: Vec<String>,
    bad: Vec<String>,
    /// Terms directly in the language set (TBX-Min style), used when it has no term groups.
    bare: Vec<String>,
    group: Option<TermGroup>,
}

/// A `<termEntry>`/`<conceptEntry>` being read.
struct TermEntry {
    line: usize,
    langs: Vec<(Lang, Vec<String>, Vec<String>)>,
    note: Option<String>,
    set: Option<LangSet>,
}

/// What text is being gathered for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gather {
    Term,
    Note,
}

/// The state of a TBX file being read: the entry, language set and term group open, and the
/// text being gathered from an element and everything inside it (inline markup is dropped).
struct Tbx<'a> {
    origin: &'a str,
    entries: Vec<Entry>,
    found_any: bool,
    entry: Option<TermEntry>,
    /// (depth of the element, its text, what for).
    gather: Option<(usize, String, Gather)>,
}

impl Tbx<'_> {
    /// An element starts at `depth` (0 for the root) on `line`.
    fn start(
        &mut self,
        name: &str,
        line: usize,
        depth: usize,
        lang: Option<&str>,
        attrs: &[String],
    ) -> Result<()> {
        if self.gather.is_none() {
            self.open(name, line, depth, lang)?;
        }
        if let Some(group) = self
            .entry
            .as_mut()
            .and_then(|e| e.set.as_mut())
            .and_then(|s| s.group.as_mut())
        {
            if attrs
                .iter()
                .any(|v| DEPRECATED.iter().any(|m| v.contains(m)))
            {
                group.deprecated = true;
            }
        }
        Ok(())
    }

    /// The structure an element opens (outside gathered text).
    fn open(&mut self, name: &str, line: usize, depth: usize, lang: Option<&str>) -> Result<()> {
        match name {
            "termEntry" | "conceptEntry" => {
                if self.entry.is_some() {
                    return Err(parse_err(
                        self.origin,
                        line,
                        format!("<{name}> inside another term entry"),
                    ));
                }
                self.found_any = true;
                self.entry = Some(TermEntry {
                    line,
                    langs: Vec::new(),
                    note: None,
                    set: None,
                });
            }
            "langSet" | "langSec" => {
                let Some(entry) = self.entry.as_mut() else {
                    return Ok(());
                };
                if entry.set.is_some() {
                    return Err(parse_err(
                        self.origin,
                        line,
                        format!("<{name}> inside another language set"),
                    ));
                }
                let code = lang.unwrap_or_default();
                let code = code.split(['-', '_']).next().unwrap_or_default();
                let lang = Lang::from_code(code)
                    .map_err(|e| parse_err(self.origin, line, format!("xml:lang: {e}")))?;
                entry.set = Some(LangSet {
                    lang,
                    line,
                    good: Vec::new(),
                    bad: Vec::new(),
                    bare: Vec::new(),
                    group: None,
                });
            }
            "tig" | "ntig" | "termSec" => {
                if let Some(set) = self.entry.as_mut().and_then(|e| e.set.as_mut()) {
                    if set.group.is_none() {
                        set.group = Some(TermGroup::default());
                    }
                }
            }
            "term" if self.entry.as_ref().is_some_and(|e| e.set.is_some()) => {
                self.gather = Some((depth, String::new(), Gather::Term));
            }
            "note" | "descrip" if self.entry.as_ref().is_some_and(|e| e.note.is_none()) => {
                self.gather = Some((depth, String::new(), Gather::Note));
            }
            _ => {}
        }
        Ok(())
    }

    /// Text (entities resolved) inside the open elements.
    fn text(&mut self, text: &str) {
        if let Some((_, buf, _)) = self.gather.as_mut() {
            buf.push_str(text);
        }
        if let Some(group) = self
            .entry
            .as_mut()
            .and_then(|e| e.set.as_mut())
            .and_then(|s| s.group.as_mut())
        {
            if DEPRECATED.iter().any(|m| text.contains(m)) {
                group.deprecated = true;
            }
        }
    }

    /// The element `name` opened at `depth` ends.
    fn end(&mut self, name: &str, depth: usize) -> Result<()> {
        if let Some((d, _, _)) = &self.gather {
            if *d != depth {
                return Ok(());
            }
            let Some((_, buf, what)) = self.gather.take() else {
                return Ok(());
            };
            let text = buf.trim().to_string();
            let Some(entry) = self.entry.as_mut() else {
                return Ok(());
            };
            match what {
                Gather::Note => entry.note = Some(text),
                Gather::Term => {
                    let Some(set) = entry.set.as_mut() else {
                        return Ok(());
                    };
                    match set.group.as_mut() {
                        Some(group) if group.term.is_none() => {
                            if text.is_empty() {
                                return Err(parse_err(self.origin, set.line, "empty <term>"));
                            }
                            group.term = Some(text);
                        }
                        Some(_) => {}
                        None if !text.is_empty() => set.bare.push(text),
                        None => {}
                    }
                }
            }
            return Ok(());
        }
        match name {
            "tig" | "ntig" | "termSec" => {
                if let Some(set) = self.entry.as_mut().and_then(|e| e.set.as_mut()) {
                    if let Some(group) = set.group.take() {
                        if let Some(term) = group.term {
                            if group.deprecated {
                                set.bad.push(term);
                            } else {
                                set.good.push(term);
                            }
                        }
                    }
                }
            }
            "langSet" | "langSec" => {
                if let Some(entry) = self.entry.as_mut() {
                    if let Some(mut set) = entry.set.take() {
                        if set.good.is_empty() && set.bad.is_empty() {
                            set.good = std::mem::take(&mut set.bare);
                        }
                        entry.langs.push((set.lang, set.good, set.bad));
                    }
                }
            }
            "termEntry" | "conceptEntry" => {
                if let Some(entry) = self.entry.take() {
                    self.finish(entry)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Turns a whole term entry into glossary entries, one per ordered language pair.
    fn finish(&mut self, entry: TermEntry) -> Result<()> {
        let TermEntry {
            line, langs, note, ..
        } = entry;
        if langs.len() < 2 {
            return Err(parse_err(
                self.origin,
                line,
                "term entry with fewer than two languages",
            ));
        }
        let note = note.unwrap_or_default();
        for (src, s_good, s_bad) in &langs {
            for (tgt, t_good, t_bad) in &langs {
                if src == tgt {
                    continue;
                }
                let Some(target) = t_good.first() else {
                    continue;
                };
                let mut sources: Vec<String> = s_good.iter().chain(s_bad).cloned().collect();
                sources.dedup();
                let variants: Vec<String> = t_good[1..].iter().chain(t_bad).cloned().collect();
                self.entries.push(make_entry(
                    self.origin,
                    line,
                    src.code(),
                    tgt.code(),
                    sources,
                    target.clone(),
                    variants,
                    "sensitive",
                    note.clone(),
                )?);
            }
        }
        Ok(())
    }
}

/// Parses a TBX (basic) glossary: every `<termEntry>` (or TBX v3 `<conceptEntry>`) gives one
/// entry per pair of languages in it, source → target, for the pairs that have both. Terms
/// whose `administrativeStatus` is deprecated or not recommended become variants; the first
/// other term of the target language is the rendering. The first `<note>` or `<descrip>` of
/// an entry is its note.
///
/// Every language set's terms: preferred first; a source language's terms are all sources.
///
/// The file is read with an XML parser in one pass: a malformed file (an end tag that does not
/// close the element open there, a file that ends inside an element, an undefined entity) is
/// an error naming the line, never a file read with entries silently lost.
pub fn parse_tbx(origin: &str, text: &str) -> Result<Vec<Entry>> {
    use quick_xml::errors::IllFormedError;
    use quick_xml::events::Event;

    let lines = LineIndex::new(text);
    let at = |pos: u64| lines.line(usize::try_from(pos).unwrap_or(usize::MAX));
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // Open elements: local name and the line of the start tag.
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut tbx = Tbx {
        origin,
        entries: Vec::new(),
        found_any: false,
        entry: None,
        gather: None,
    };
    loop {
        let before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let message = match &e {
                    quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag {
                        expected,
                        found,
                    }) => {
                        let opened = open.last().map_or(0, |(_, l)| *l);
                        format!(
                            "</{found}> where <{expected}> (opened on line {opened}) should be closed"
                        )
                    }
                    quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
                        format!("</{name}> closes no open element")
                    }
                    other => format!("malformed XML: {other}"),
                };
                return Err(parse_err(origin, at(reader.error_position()), message));
            }
        };
        // The event starts after the whitespace-free text before it: its own first byte.
        let line = at(before);
        match event {
            Event::Start(_) | Event::Empty(_) => {
                let (e, empty) = match event {
                    Event::Empty(e) => (e, true),
                    Event::Start(e) => (e, false),
                    _ => continue,
                };
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut lang = None;
                let mut values = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|x| {
                        parse_err(origin, line, format!("malformed attribute: {x}"))
                    })?;
                    let value = a
                        .unescape_value()
                        .map_err(|x| parse_err(origin, line, format!("attribute value: {x}")))?
                        .into_owned();
                    if a.key.as_ref() == b"xml:lang" {
                        lang = Some(value.clone());
                    }
                    values.push(value);
                }
                tbx.start(&name, line, open.len(), lang.as_deref(), &values)?;
                if empty {
                    tbx.end(&name, open.len())?;
                } else {
                    open.push((name, line));
                }
            }
            Event::End(_) => {
                let Some((name, _)) = open.pop() else {
                    return Err(parse_err(origin, line, "an end tag with no element open"));
                };
                tbx.end(&name, open.len())?;
            }
            Event::Text(t) => {
                let s = t
                    .unescape()
                    .map_err(|x| parse_err(origin, line, format!("malformed text: {x}")))?;
                tbx.text(&s);
            }
            Event::CData(t) => tbx.text(&String::from_utf8_lossy(&t.into_inner())),
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((name, line)) = open.last() {
        return Err(parse_err(
            origin,
            lines.line(text.len()),
            format!("the file ends inside <{name}> opened on line {line}: truncated?"),
        ));
    }
    if !tbx.found_any {
        return Err(parse_err(
            origin,
            1,
            "no <termEntry> found: not a TBX file?",
        ));
    }
    check_conflicts(origin, &tbx.entries)?;
    Ok(tbx.entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n";

    #[test]
    fn tsv_rows_and_errors_name_the_line() {
        let ok = format!(
            "{HEAD}# people\nde\ten\tTokajew|Tokaev\tTokayev\tTokaev|Tokajev\t\tpresident\n"
        );
        let e = parse_delimited("g.tsv", &ok, '\t').expect("valid");
        assert_eq!(e[0].sources, ["Tokajew", "Tokaev"]);
        assert_eq!(e[0].line, 3);
        for (row, msg) in [
            ("de\ten\t\tX\t\t\t", "g.tsv:2: empty `source`"),
            ("de\txx\tA\tB\t\t\t", "g.tsv:2: `tgt_lang`"),
            ("de\ten\tA\t\t\t\t", "g.tsv:2: empty `target`"),
            ("de\ten\tA\tB\t\tmaybe\t", "g.tsv:2: `case`"),
        ] {
            let err = parse_delimited("g.tsv", &format!("{HEAD}{row}\n"), '\t')
                .expect_err(row)
                .to_string();
            assert!(err.starts_with(msg), "{err}");
        }
        let two = format!("{HEAD}de\ten\tRachmon\tRakhmon\t\t\t\nde\ten\trachmon\tRahmon\t\t\t\n");
        let err = parse_delimited("g.tsv", &two, '\t')
            .expect_err("conflict")
            .to_string();
        assert!(err.starts_with("g.tsv:3: source `rachmon`"), "{err}");
    }

    #[test]
    fn csv_quotes() {
        let text = "src_lang,tgt_lang,source,target,variants,case,note\nde,en,\"Kiew|Kyjiw\",Kyiv,Kiev,,\"capital, Ukraine\"\n";
        let e = parse_delimited("g.csv", text, ',').expect("valid");
        assert_eq!(e[0].sources, ["Kiew", "Kyjiw"]);
        assert_eq!(e[0].note, "capital, Ukraine");
    }

    #[test]
    fn tbx_basic() {
        let tbx = r#"<?xml version="1.0"?>
<martif type="TBX-Basic"><text><body>
<termEntry id="t1">
  <descrip type="definition">President of Kazakhstan</descrip>
  <langSet xml:lang="de"><tig><term>Tokajew</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>Tokayev</term></tig>
    <tig><term>Tokaev</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>
</body></text></martif>"#;
        let e = parse_tbx("g.tbx", tbx).expect("valid");
        let de_en = e.iter().find(|e| e.src_lang.code() == "de").expect("de→en");
        assert_eq!(de_en.target, "Tokayev");
        assert_eq!(de_en.variants, ["Tokaev"]);
        assert_eq!(de_en.line, 3);
        assert_eq!(de_en.note, "President of Kazakhstan");
    }

    const TBX: &str = r#"<?xml version="1.0"?>
<martif type="TBX-Basic"><text><body>
<termEntry id="t1">
  <langSet xml:lang="de"><tig><term>Tokajew</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>Tokayev</term></tig></langSet>
</termEntry>
<termEntry id="t2">
  <langSet xml:lang="de"><tig><term>Kiew</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>Kyiv &amp; co</term></tig></langSet>
</termEntry>
</body></text></martif>
"#;

    #[test]
    fn tbx_reads_every_entry_and_entities() {
        let e = parse_tbx("g.tbx", TBX).expect("valid");
        assert_eq!(e.len(), 4);
        assert!(e.iter().any(|e| e.target == "Kyiv & co" && e.line == 7));
    }

    #[test]
    fn truncated_tbx_is_an_error_at_the_end() {
        // Cut anywhere before the last end tag: never a glossary with entries left out.
        let end = TBX.rfind("</martif>").expect("root end");
        for cut in (TBX.find("<termEntry").expect("entry")..end).step_by(7) {
            if !TBX.is_char_boundary(cut) {
                continue;
            }
            let text = &TBX[..cut];
            let err = parse_tbx("g.tbx", text).expect_err("truncated").to_string();
            let last = 1 + text.matches('\n').count();
            assert!(
                err.starts_with(&format!("g.tbx:{last}: ")) || err.starts_with("g.tbx:"),
                "{err}"
            );
            assert!(
                err.contains("truncated") || err.contains("malformed"),
                "cut at {cut}: {err}"
            );
        }
    }

    #[test]
    fn swapped_end_tags_name_their_line() {
        let bad = TBX.replacen(
            "<tig><term>Kiew</term></tig>",
            "<tig><term>Kiew</tig></term>",
            1,
        );
        let err = parse_tbx("g.tbx", &bad).expect_err("swapped").to_string();
        assert!(err.starts_with("g.tbx:8: </tig>"), "{err}");
        let bad = TBX.replacen("</langSet>\n</termEntry>", "</termEntry>\n</langSet>", 1);
        let err = parse_tbx("g.tbx", &bad).expect_err("swapped").to_string();
        assert!(err.starts_with("g.tbx:5: </termEntry>"), "{err}");
        let bad = TBX.replacen("Kyiv &amp; co", "Kyiv &nosuch; co", 1);
        let err = parse_tbx("g.tbx", &bad).expect_err("entity").to_string();
        assert!(err.starts_with("g.tbx:9: "), "{err}");
    }
}
