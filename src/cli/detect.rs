//! `tarjuman detect`.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{chunk_size, input_format, open_source, round3, Source};
use crate::detect::Detector;
use crate::doc::{Document, Format};
use crate::error::{Error, Result};
use crate::lang;
use crate::output::{preflight, Sink};
use crate::segment::{segment_lines, Segmenter};

/// `tarjuman detect`.
#[derive(Debug, Clone, Default)]
pub struct DetectJob {
    /// Input files; none or `-` for standard input. With several, each answer line names its
    /// file (`"file"`).
    pub inputs: Vec<PathBuf>,
    /// Candidate languages (comma-separated codes).
    pub langs: Option<String>,
    /// Input format name; `None`: by extension, else text.
    pub format: Option<String>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
}

/// Runs `tarjuman detect`: one JSON line per segment (or per record, for JSONL input) with
/// `text`, `lang` and `confidence` (`lang` is null where there is nothing to tell by).
///
/// Plain text and JSONL are read and answered chunk by chunk, so memory is bounded by the
/// chunk; the document language that steadies short segments is then that of their chunk.
pub fn detect(job: &DetectJob) -> Result<i32> {
    let format = input_format(job.format.as_deref())?;
    let candidates = match &job.langs {
        Some(list) => lang::parse_list(list).map_err(|e| Error::Usage(format!("--langs: {e}")))?,
        None => Vec::new(),
    };
    let inputs: Vec<(&str, &std::path::Path)> = job
        .inputs
        .iter()
        .map(|p| ("the input", p.as_path()))
        .collect();
    if job.inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage("`-` (standard input) given twice".into()));
    }
    let mut output =
        preflight(&inputs, &[("-o", Sink::from_arg(job.output.as_deref()))])?.remove(0);
    let detector = Detector::new(candidates);
    let segmenter = Segmenter::new(&Default::default());
    let several = job.inputs.len() > 1;
    let sources: Vec<Option<&PathBuf>> = if job.inputs.is_empty() {
        vec![None]
    } else {
        job.inputs.iter().map(Some).collect()
    };
    for input in sources {
        let file = several.then(|| match input {
            Some(p) if p.as_os_str() != "-" => p.display().to_string(),
            _ => "<stdin>".to_string(),
        });
        match open_source(input, format, Some(chunk_size()), &Default::default())? {
            Source::Whole(mut document) => {
                let out = answer(&detector, &segmenter, &mut document, file.as_deref());
                output.write_all(out.as_bytes())?;
            }
            Source::Chunks(mut chunks, format) => {
                let origin = chunks.origin().to_string();
                while let Some(chunk) = chunks.next_chunk()? {
                    let mut document = chunk.parse(format, &origin)?;
                    let out = answer(&detector, &segmenter, &mut document, file.as_deref());
                    output.write_all(out.as_bytes())?;
                }
            }
        }
    }
    output.commit()?;
    Ok(0)
}

/// The JSON lines of one document (or chunk); each names `file` first when given.
fn answer(
    detector: &Detector,
    segmenter: &Segmenter,
    document: &mut Document,
    file: Option<&str>,
) -> String {
    let mut out = String::new();
    let push = |record: Value, out: &mut String| {
        let record = match (file, record) {
            (Some(f), Value::Object(fields)) => {
                let mut named = serde_json::Map::with_capacity(fields.len() + 1);
                named.insert("file".into(), Value::String(f.to_string()));
                named.extend(fields);
                Value::Object(named)
            }
            (_, record) => record,
        };
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
        return out;
    }
    // The document language picks the abbreviation rules and steadies short segments.
    document.lang = detector.document_language(document);
    segmenter.segment_document(document);
    detector.detect_document(document);
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
    out
}
