//! The commands behind the CLI, as library calls: each takes a plain options struct (built by
//! `main.rs` from the command line) and returns what the process should exit with.
//!
//! Exit codes: 0 success, 1 findings or partial failures reported, 2 usage or input error
//! (returned as [`Error`]).

use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::backend::apertium::ApertiumOptions;
use crate::backend::ct2::Ct2Options;
use crate::config::{BackendSpec, Config};
use crate::detect::Detector;
use crate::doc::{self, Document, Format, Severity};
use crate::error::{Error, Result};
use crate::lang::{self, Lang};
use crate::output::Sink;
use crate::pipeline::{Pipeline, Summary};
use crate::route::Router;
use crate::segment::Segmenter;

/// Which engine a command-line `--backend` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// CTranslate2.
    Ct2,
    /// Apertium.
    Apertium,
}

/// Engine settings given on the command line; they override the config file's.
#[derive(Debug, Clone, Default)]
pub struct EngineFlags {
    /// `--device`.
    pub device: Option<String>,
    /// `--threads`.
    pub threads: Option<usize>,
    /// `--compute-type`.
    pub compute_type: Option<String>,
    /// `--replicas`.
    pub replicas: Option<usize>,
    /// `--beam-size`.
    pub beam_size: Option<usize>,
    /// `--max-batch-size`.
    pub max_batch_size: Option<usize>,
    /// `--batch-type`.
    pub batch_type: Option<String>,
    /// `--max-decoding-length`.
    pub max_decoding_length: Option<usize>,
}

impl EngineFlags {
    fn apply(&self, o: &mut Ct2Options) {
        if let Some(v) = &self.device {
            o.device = v.clone();
        }
        if let Some(v) = self.threads {
            o.threads = v;
        }
        if let Some(v) = &self.compute_type {
            o.compute_type = v.clone();
        }
        if let Some(v) = self.replicas {
            o.replicas = v;
        }
        if let Some(v) = self.beam_size {
            o.beam_size = v;
        }
        if let Some(v) = self.max_batch_size {
            o.max_batch_size = v;
        }
        if let Some(v) = &self.batch_type {
            o.batch_type = v.clone();
        }
        if let Some(v) = self.max_decoding_length {
            o.max_decoding_length = v;
        }
    }
}

/// `tarjuman translate`.
#[derive(Debug, Clone, Default)]
pub struct TranslateJob {
    /// Input file; `None` or `-` for standard input.
    pub input: Option<PathBuf>,
    /// Target language code.
    pub to: String,
    /// Source language code, or `auto`/`None` to detect.
    pub from: Option<String>,
    /// Config file.
    pub config: Option<PathBuf>,
    /// A model directory to use without a config file.
    pub model: Option<PathBuf>,
    /// The engine for `--model`/no-config use.
    pub backend: Option<BackendKind>,
    /// Candidate languages for detection (comma-separated codes).
    pub langs: Option<String>,
    /// Input format name; `None`: by extension, else text.
    pub format: Option<String>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
    /// Engine overrides.
    pub engine: EngineFlags,
}

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

fn parse_lang(code: &str, what: &str) -> Result<Lang> {
    Lang::from_code(code).map_err(|e| Error::Usage(format!("{what}: {e}")))
}

fn input_format(name: Option<&str>, input: Option<&PathBuf>) -> Result<Format> {
    match name {
        Some(n) => Format::from_name(n).ok_or_else(|| {
            Error::Usage(format!(
                "unknown format `{n}` (expected text, markdown or jsonl)"
            ))
        }),
        None => Ok(input
            .and_then(|p| Format::from_path(p))
            .unwrap_or(Format::Text)),
    }
}

fn read_document(input: Option<&PathBuf>, format: Format) -> Result<Document> {
    let (origin, text) = doc::read_input(input.map(PathBuf::as_path))?;
    doc::parse(format, &origin, &text)
}

/// Builds the router for a translate job: a single backend from `--model`/`--backend`, or the
/// config file's routes.
fn build_router(
    job: &TranslateJob,
    from: Option<Lang>,
    to: Lang,
) -> Result<(Router, Option<Config>)> {
    let single = match (job.backend, &job.model) {
        (Some(BackendKind::Apertium), Some(_)) => {
            return Err(Error::Usage(
                "--model is for the ct2 backend; the apertium backend takes no model".into(),
            ))
        }
        (Some(BackendKind::Apertium), None) => Some((
            "apertium".to_string(),
            BackendSpec::Apertium(ApertiumOptions::default()),
        )),
        (Some(BackendKind::Ct2), None) => {
            return Err(Error::Usage("--backend ct2 needs --model DIR".into()))
        }
        (_, Some(model)) => {
            let mut options = Ct2Options::default();
            job.engine.apply(&mut options);
            Some((
                format!("ct2:{}", model.display()),
                BackendSpec::Ct2 {
                    model: model.clone(),
                    options,
                },
            ))
        }
        (None, None) => None,
    };
    if let Some((name, spec)) = single {
        return Ok((Router::single(&name, spec, from, to), None));
    }
    let path = match &job.config {
        Some(p) => p.clone(),
        None => Config::default_path().ok_or_else(|| {
            Error::Usage(format!(
                "nothing to translate with: give --model DIR (a CTranslate2 model), --backend apertium, or a config file (--config FILE, or {} in the working directory or the user config directory)",
                crate::config::DEFAULT_FILE
            ))
        })?,
    };
    let mut config = Config::load(&path)?;
    for spec in config.backends.values_mut() {
        if let BackendSpec::Ct2 { options, .. } = spec {
            job.engine.apply(options);
        }
    }
    Ok((Router::from_config(&config, to), Some(config)))
}

/// Runs `tarjuman translate`. Returns the exit code (0, or 1 when some segments could not be
/// translated); errors are usage or input errors (exit 2).
pub fn translate(job: &TranslateJob) -> Result<i32> {
    let to = parse_lang(&job.to, "--to")?;
    let from = match job.from.as_deref() {
        None | Some("auto") => None,
        Some(code) => Some(parse_lang(code, "--from")?),
    };
    let format = input_format(job.format.as_deref(), job.input.as_ref())?;
    let (router, config) = build_router(job, from, to)?;
    let candidates = match (
        &job.langs,
        config.as_ref().and_then(|c| c.detect.langs.clone()),
    ) {
        (Some(list), _) => {
            lang::parse_list(list).map_err(|e| Error::Usage(format!("--langs: {e}")))?
        }
        (None, Some(list)) => list,
        (None, None) => match (from, router.source_langs()) {
            (Some(f), _) => vec![f, to],
            (None, Some(mut langs)) => {
                langs.push(to);
                langs.sort();
                langs.dedup();
                langs
            }
            (None, None) => Vec::new(),
        },
    };
    let segmenter = Segmenter::new(
        &config
            .as_ref()
            .map(|c| c.segment.clone())
            .unwrap_or_default(),
    );
    let mut document = read_document(job.input.as_ref(), format)?;
    let pipeline = Pipeline {
        segmenter,
        detector: Detector::new(candidates),
        router,
        from,
        progress: std::io::stderr().is_terminal(),
    };
    let summary = pipeline.translate(std::slice::from_mut(&mut document))?;
    let rendered = doc::render(&document);
    Sink::from_arg(job.output.as_deref()).write_all(rendered.as_bytes())?;
    report_notes(&document);
    Ok(exit_code(&summary))
}

fn exit_code(summary: &Summary) -> i32 {
    if summary.failed > 0 {
        1
    } else {
        0
    }
}

/// Prints warnings and errors attached to segments as `FILE:LINE: severity: message`.
fn report_notes(document: &Document) {
    let mut err = std::io::stderr().lock();
    for block in &document.blocks {
        for seg in &block.segments {
            let line = block.line + block.text[..seg.span.start].matches('\n').count();
            for note in seg.notes.iter().filter(|n| n.severity >= Severity::Warning) {
                let sev = if note.severity == Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                use std::io::Write;
                let _ = writeln!(
                    err,
                    "{}:{}: {}[{}]: {}",
                    document.origin, line, sev, note.kind, note.message
                );
            }
        }
    }
}

/// Runs `tarjuman detect`: one JSON line per segment (or per record, for JSONL input) with
/// `text`, `lang` and `confidence` (`lang` is null where there is nothing to tell by).
pub fn detect(job: &DetectJob) -> Result<i32> {
    let format = input_format(job.format.as_deref(), job.input.as_ref())?;
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
    if format == Format::Jsonl {
        // Each record is one unit and its own document.
        for block in &document.blocks {
            let d = detector.detect(block.text.trim());
            let mut rec = serde_json::Map::new();
            if let Some(id) = &block.id {
                rec.insert("id".into(), id.clone());
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
        document.lang = detector.detect(
            &document
                .blocks
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        segmenter.segment_document(&mut document);
        detector.detect_document(&mut document);
        for block in &document.blocks {
            for seg in &block.segments {
                let line = block.line + block.text[..seg.span.start].matches('\n').count();
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

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
