//! `tarjuman detect`.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{input_format, read_document, round3};
use crate::detect::Detector;
use crate::doc::Format;
use crate::error::{Error, Result};
use crate::lang;
use crate::output::Sink;
use crate::segment::{segment_lines, Segmenter};

/// `tarjuman detect`.
#[derive(Debug, Clone, Default)]
pub struct DetectJob {
    /// Input file; `None` or `-` for standard input.
    pub input: Option<PathBuf>,
    /// Candidate languages (comma-separated codes).
    pub langs: Option<String>,
    /// Input format name; `None`: by extension, else text.
    pub format: Option<String>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
}

/// Runs `tarjuman detect`: one JSON line per segment (or per record, for JSONL input) with
/// `text`, `lang` and `confidence` (`lang` is null where there is nothing to tell by).
pub fn detect(job: &DetectJob) -> Result<i32> {
    let format = input_format(job.format.as_deref())?;
    let candidates = match &job.langs {
        Some(list) => lang::parse_list(list).map_err(|e| Error::Usage(format!("--langs: {e}")))?,
        None => Vec::new(),
    };
    let detector = Detector::new(candidates);
    let mut document = read_document(job.input.as_ref(), format)?;
    let mut out = String::new();
    let push = |record: Value, out: &mut String| {
        out.push_str(&record.to_string());
        out.push('\n');
    };
    if document.format == Format::Jsonl {
        // Each record is one unit and its own document.
        for block in &document.blocks {
            let d = detector.detect(block.text.trim());
            let mut rec = serde_json::Map::new();
            if let Some(id) = &block.id {
                rec.insert("id".into(), (**id).clone());
            }
            rec.insert("text".into(), Value::String(block.text.clone()));
            rec.insert(
                "lang".into(),
                d.map_or(Value::Null, |d| json!(d.lang.code())),
            );
            rec.insert(
                "confidence".into(),
                json!(d.map_or(0.0, |d| round3(d.confidence))),
            );
            push(Value::Object(rec), &mut out);
        }
    } else {
        let segmenter = Segmenter::new(&Default::default());
        // The document language picks the abbreviation rules and steadies short segments.
        document.lang = detector.document_language(&document);
        segmenter.segment_document(&mut document);
        detector.detect_document(&mut document);
        for block in &document.blocks {
            for (seg, line) in block.segments.iter().zip(segment_lines(block)) {
                push(
                    json!({
                        "line": line,
                        "text": seg.text,
                        "lang": seg.lang.map(|d| d.lang.code()),
                        "confidence": seg.lang.map_or(0.0, |d| round3(d.confidence)),
                        "source": seg.lang.map(|d| d.source),
                    }),
                    &mut out,
                );
            }
        }
    }
    Sink::from_arg(job.output.as_deref()).write_all(out.as_bytes())?;
    Ok(0)
}
