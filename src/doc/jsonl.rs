//! JSONL: one JSON object per line, `{"id": …, "text": …}`. Each record becomes one block of
//! kind [`BlockKind::Record`]; the other keys of the object are kept and written back, with
//! `translation`, `lang` and `notes` added.

use serde_json::{Map, Value};

use super::{numbered_lines, Block, BlockKind, Document, Format};
use crate::error::{Error, Result};

/// Reads JSONL. Blank lines are skipped; any other line that is not an object with a string
/// `text` is an error naming the line.
pub fn read(origin: &str, text: &str) -> Result<Document> {
    let (doc, skipped) = read_lenient(origin, text);
    match skipped.into_iter().next() {
        Some((line, message)) => Err(Error::Parse {
            origin: origin.to_string(),
            line,
            message,
        }),
        None => Ok(doc),
    }
}

/// Reads JSONL as [`read`] does, but skips the lines that are not an object with a string
/// `text`, and returns them as (line, what is wrong) — for `check`, which reports such a
/// line and checks the rest.
pub fn read_lenient(origin: &str, text: &str) -> (Document, Vec<(usize, String)>) {
    let mut doc = Document::new(Format::Jsonl, origin);
    let mut skipped = Vec::new();
    for (no, line) in numbered_lines(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(trimmed) {
            Ok(v) => v,
            Err(e) => {
                skipped.push((no, format!("invalid JSON: {e}")));
                continue;
            }
        };
        let Value::Object(mut obj) = value else {
            skipped.push((
                no,
                "expected a JSON object such as {\"id\": 1, \"text\": \"…\"}".into(),
            ));
            continue;
        };
        let text = match obj.get("text") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                skipped.push((no, "`text` must be a string".into()));
                continue;
            }
            None => {
                skipped.push((no, "record has no `text` field".into()));
                continue;
            }
        };
        let id = obj.get("id").cloned();
        // Keys we write ourselves are not carried over from the input.
        for k in ["translation", "lang", "confidence", "notes"] {
            obj.remove(k);
        }
        let mut block = Block::new(BlockKind::Record, text, no);
        block.id = id.map(Box::new);
        block.attrs = obj.into();
        doc.blocks.push(block);
    }
    (doc, skipped)
}

/// Writes one line per record: the input object plus `translation`, `lang` and `notes`.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        let mut obj: Map<String, Value> = b.attrs.to_map();
        if !obj.contains_key("text") {
            obj.insert("text".into(), Value::String(b.text.clone()));
        }
        obj.insert("translation".into(), Value::String(b.translated_text()));
        let lang = record_lang(b);
        obj.insert(
            "lang".into(),
            lang.map_or(Value::Null, |l| Value::String(l.code().into())),
        );
        let notes: Vec<Value> = b
            .segments
            .iter()
            .flat_map(|s| s.notes.iter())
            .filter_map(|n| serde_json::to_value(n).ok())
            .collect();
        obj.insert("notes".into(), Value::Array(notes));
        out.push_str(&Value::Object(obj).to_string());
        out.push('\n');
    }
    out
}

/// The language of a record: that of its longest segment (records are usually one language).
pub fn record_lang(b: &Block) -> Option<crate::lang::Lang> {
    b.segments
        .iter()
        .filter_map(|s| s.lang.map(|d| (s.text.len(), d.lang)))
        .max_by_key(|(len, _)| *len)
        .map(|(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_keeps_extra_keys() {
        let doc = read(
            "in.jsonl",
            "{\"id\":1,\"text\":\"Hallo\",\"src\":\"x\"}\n\n{\"id\":\"b\",\"text\":\"Welt\"}\n",
        )
        .unwrap();
        assert_eq!(doc.blocks.len(), 2);
        assert_eq!(doc.blocks[1].line, 3);
        assert_eq!(
            doc.blocks[1].id.as_deref(),
            Some(&Value::String("b".into()))
        );
        let out = write(&doc);
        assert!(
            out.starts_with("{\"id\":1,\"text\":\"Hallo\",\"src\":\"x\",\"translation\":\"Hallo\"")
        );
    }

    #[test]
    fn bad_lines_name_their_line() {
        let e = read("in.jsonl", "{\"text\":\"a\"}\n{oops\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("in.jsonl:2: invalid JSON"), "{e}");
        let e = read("in.jsonl", "{\"id\":1}\n").unwrap_err().to_string();
        assert!(e.contains("in.jsonl:1: record has no `text`"), "{e}");
        let e = read("in.jsonl", "[1,2]\n").unwrap_err().to_string();
        assert!(e.contains("expected a JSON object"), "{e}");
    }
}
