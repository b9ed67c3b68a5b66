//! Reading glossary files: TSV or CSV with a header, and TBX (basic).
//!
//! Every rejected row is an [`Error::Parse`] naming the file and line.

use std::collections::HashMap;
use std::path::Path;

use super::{CaseRule, Entry};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// The columns of a TSV/CSV glossary.
pub const COLUMNS: [&str; 7] = [
    "src_lang", "tgt_lang", "source", "target", "variants", "case", "note",
];

/// Reads one glossary file: `.tbx` as TBX, `.csv` as comma-separated, anything else as
/// tab-separated.
pub fn load_file(path: &Path) -> Result<Vec<Entry>> {
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
    let mut seen: HashMap<(Lang, Lang, String), (usize, &str)> = HashMap::new();
    for e in entries {
        for s in &e.sources {
            let key = (e.src_lang, e.tgt_lang, s.to_lowercase());
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

/// Parses a TBX (basic) glossary: every `<termEntry>` (or TBX v3 `<conceptEntry>`) gives one
/// entry per pair of languages in it, source → target, for the pairs that have both. Terms
/// whose `administrativeStatus` is deprecated or not recommended become variants; the first
/// other term of the target language is the rendering.
///
/// Every language set's terms: preferred first; a source language's terms are all sources.
pub fn parse_tbx(origin: &str, text: &str) -> Result<Vec<Entry>> {
    let line_at = |pos: usize| 1 + text[..pos].matches('\n').count();
    let mut entries = Vec::new();
    let mut pos = 0;
    let mut found_any = false;
    while let Some((start, body, end)) = next_element(text, pos, &["termEntry", "conceptEntry"]) {
        found_any = true;
        pos = end;
        let line = line_at(start);
        // language → (accepted terms, deprecated terms)
        let mut langs: Vec<(Lang, Vec<String>, Vec<String>)> = Vec::new();
        let mut note = String::new();
        let mut lpos = 0;
        while let Some((ls, lbody, lend)) = next_element(body, lpos, &["langSet", "langSec"]) {
            lpos = lend;
            let open = &body[ls..body[ls..].find('>').map_or(body.len(), |k| ls + k)];
            let code = attribute(open, "xml:lang").unwrap_or_default();
            let code = code
                .split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_string();
            let lang = Lang::from_code(&code)
                .map_err(|e| parse_err(origin, line_at(start + ls), format!("xml:lang: {e}")))?;
            let mut good = Vec::new();
            let mut bad = Vec::new();
            let mut tpos = 0;
            while let Some((_, tig, tend)) = next_element(lbody, tpos, &["tig", "ntig", "termSec"])
            {
                tpos = tend;
                let Some((_, term, _)) = next_element(tig, 0, &["term"]) else {
                    continue;
                };
                let term = unescape(strip_tags(term).trim());
                if term.is_empty() {
                    return Err(parse_err(origin, line_at(start + ls), "empty <term>"));
                }
                let deprecated = ["deprecatedTerm", "supersededTerm", "notRecommended"]
                    .iter()
                    .any(|m| tig.contains(m));
                if deprecated {
                    bad.push(term);
                } else {
                    good.push(term);
                }
            }
            if good.is_empty() && bad.is_empty() {
                // A bare <term> directly in the language set (TBX-Min style).
                let mut tp = 0;
                while let Some((_, term, te)) = next_element(lbody, tp, &["term"]) {
                    tp = te;
                    let term = unescape(strip_tags(term).trim());
                    if !term.is_empty() {
                        good.push(term);
                    }
                }
            }
            langs.push((lang, good, bad));
        }
        if let Some((_, n, _)) = next_element(body, 0, &["note", "descrip"]) {
            note = unescape(strip_tags(n).trim());
        }
        if langs.len() < 2 {
            return Err(parse_err(
                origin,
                line,
                "term entry with fewer than two languages",
            ));
        }
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
                entries.push(make_entry(
                    origin,
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
    }
    if !found_any {
        return Err(parse_err(
            origin,
            1,
            "no <termEntry> found: not a TBX file?",
        ));
    }
    check_conflicts(origin, &entries)?;
    Ok(entries)
}

/// The next element named one of `names` at or after `from`: (start of its open tag, its
/// content, the position after its close tag). Self-closing elements have empty content.
fn next_element<'a>(text: &'a str, from: usize, names: &[&str]) -> Option<(usize, &'a str, usize)> {
    let mut pos = from;
    loop {
        let rel = text.get(pos..)?.find('<')?;
        let start = pos + rel;
        let rest = &text[start + 1..];
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if let Some(&n) = names.iter().find(|&&n| n == name) {
            let open_end = start + 1 + rest.find('>')?;
            if text[..open_end].ends_with('/') {
                return Some((start, "", open_end + 1));
            }
            let close = format!("</{n}>");
            let cend = text[open_end..].find(&close)? + open_end;
            return Some((start, &text[open_end + 1..cend], cend + close.len()));
        }
        pos = start + 1;
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let quote = tag[at..].chars().next()?;
    let rest = &tag[at + 1..];
    Some(unescape(&rest[..rest.find(quote)?]))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
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
}
