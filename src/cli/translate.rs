//! `tarjuman translate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::check::{loop_checker, parse_fail_on};
use super::{
    check_engine_flags, chunk_size, input_format, open_source, parse_lang, report_notes,
    BackendKind, EngineFlags, NoteReport, Source,
};
use crate::doc::{self, Document, Format, Note, Severity};
use crate::error::{Error, Result};
use crate::glossary::report::Report;
use crate::output::{preflight, Planned, Sink};
use crate::pipeline::{Pipeline, Summary};
use crate::qa::translated::places_at_source;
use crate::qa::{BlockFinding, Checker};
pub(crate) use crate::setup::build_pipeline;

/// `tarjuman translate`.
#[derive(Debug, Clone, Default)]
pub struct TranslateJob {
    /// Input file; `None` or `-` for standard input.
    pub input: Option<PathBuf>,
    /// `--text`: translate this text instead of reading a file.
    pub text: Option<String>,
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
    /// `--backend libretranslate`: the server's settings (`--url`, `--api-key`,
    /// `--requests-per-minute`).
    pub remote: crate::backend::libretranslate::LibreTranslateOptions,
    /// `--models-dir`: where installed models are (default: the user's data directory).
    pub models_dir: Option<PathBuf>,
    /// Candidate languages for detection (comma-separated codes).
    pub langs: Option<String>,
    /// Input format name; `None`: by extension, else text.
    pub format: Option<String>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
    /// Engine overrides.
    pub engine: EngineFlags,
    /// A translation-memory file to consult and fill; `None` for none.
    pub tm: Option<PathBuf>,
    /// How to reach a `--tm nats://…` memory (credentials, TLS, prefix; the URL is the `--tm`
    /// value); `None`: the defaults.
    pub tm_remote: Option<crate::queue::QueueOptions>,
    /// Glossary files (`--glossary`, repeatable; later ones override earlier ones).
    pub glossaries: Vec<PathBuf>,
    /// Run the QA checker on the translation (`--check`).
    pub check: bool,
    /// Lowest finding severity that makes the exit code 1 (`None`: error); with `check`.
    pub fail_on: Option<String>,
    /// XLIFF: translate every unit, replacing existing targets (`--overwrite`).
    pub overwrite: bool,
    /// `--report FILE`: a JSON report of the run (counts, routes, failures, glossary, QA).
    pub report: Option<PathBuf>,
}

/// The files a translate job reads, named as on the command line (for refusing an output that
/// would overwrite one of them).
pub(crate) fn job_inputs(job: &TranslateJob) -> Vec<(&'static str, &Path)> {
    let mut inputs: Vec<(&'static str, &Path)> = Vec::new();
    if let Some(p) = &job.input {
        inputs.push(("the input", p));
    }
    if let Some(p) = &job.config {
        inputs.push(("--config", p));
    }
    for g in &job.glossaries {
        inputs.push(("--glossary", g));
    }
    if let Some(p) = &job.tm {
        inputs.push(("--tm", p));
    }
    inputs
}

/// Runs `tarjuman translate`. Returns the exit code (0, or 1 when some segments could not be
/// translated, a glossary term's rendering is missing from a translation, or, with `--check`,
/// a QA finding is at or above `--fail-on`); errors are usage or input errors (exit 2). With
/// `--check` the findings go to stderr in the human format.
///
/// The output is checked and its temporary file created before anything else; plain text and
/// JSONL are then read, translated and written chunk by chunk (one batch per chunk for the
/// engines), other formats whole. A run that fails leaves no output, and no memory file it
/// created and did not fill.
pub fn translate(job: &TranslateJob) -> Result<i32> {
    let format = input_format(job.format.as_deref())?;
    check_engine_flags(&job.engine)?;
    let sink = Sink::from_arg(job.output.as_deref());
    let mut outputs = vec![("-o", sink)];
    if let Some(r) = &job.report {
        outputs.push(("--report", Sink::File(r.clone())));
    }
    let mut planned = preflight(&job_inputs(job), &outputs)?.into_iter();
    let (Some(output), report) = (planned.next(), planned.next()) else {
        return Err(Error::Usage("no output planned".into()));
    };
    let memory_existed = job.tm.as_deref().map(Path::exists);
    let result = translate_into(job, format, output, report);
    if result.is_err() {
        if let (Some(path), Some(false)) = (&job.tm, memory_existed) {
            crate::tm::remove_if_unused(path);
        }
    }
    result
}

/// Runs `tarjuman translate` on several inputs with one pipeline (engines and models are
/// loaded once): each input `DIR/…/NAME` is written to `out_dir/NAME`, atomically, as it is
/// done. Every output is checked against every input before anything is read; two inputs with
/// the same file name, `-` among them, `-o` and `--text` are usage errors. `--report` then
/// holds one object per input under `files` and the totals. Returns the highest exit code of
/// the inputs.
pub fn translate_files(job: &TranslateJob, inputs: &[PathBuf], out_dir: &Path) -> Result<i32> {
    if job.text.is_some() {
        return Err(Error::Usage("--text takes no input files".into()));
    }
    if inputs.is_empty() {
        return Err(Error::Usage(
            "--out-dir needs input files (standard input goes to -o or standard output)".into(),
        ));
    }
    if job.output.is_some() {
        return Err(Error::Usage(
            "-o names one output; with --out-dir every input is written there under its own name"
                .into(),
        ));
    }
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Error::Usage(format!(
            "--out-dir {} is not a directory",
            out_dir.display()
        )));
    }
    let format = input_format(job.format.as_deref())?;
    check_engine_flags(&job.engine)?;
    let mut outputs: Vec<PathBuf> = Vec::with_capacity(inputs.len());
    let mut names = std::collections::HashMap::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            return Err(Error::Usage(
                "`-` (standard input) cannot be one of several inputs".into(),
            ));
        }
        let Some(name) = input.file_name() else {
            return Err(Error::Usage(format!("{} names no file", input.display())));
        };
        if let Some(other) = names.insert(name.to_os_string(), input) {
            return Err(Error::Usage(format!(
                "{} and {} would both be written to {}",
                other.display(),
                input.display(),
                out_dir.join(name).display()
            )));
        }
        outputs.push(out_dir.join(name));
    }
    let mut read = job_inputs(job);
    read.extend(inputs.iter().map(|p| ("the input", p.as_path())));
    let mut written: Vec<(&str, &Path)> = outputs
        .iter()
        .map(|p| ("the output", p.as_path()))
        .collect();
    if let Some(r) = &job.report {
        written.push(("--report", r));
    }
    crate::output::check_conflicts(&read, &written)?;
    let report = job
        .report
        .as_ref()
        .map(|r| Planned::new(Sink::File(r.clone())))
        .transpose()?;
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Output {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let memory_existed = job.tm.as_deref().map(Path::exists);
    let result = (|| -> Result<i32> {
        let started = std::time::Instant::now();
        let engines = Engines::new(job)?;
        let mut code = 0;
        let mut files = Vec::with_capacity(inputs.len());
        let mut total = Summary::default();
        for (input, out) in inputs.iter().zip(&outputs) {
            let one = TranslateJob {
                input: Some(input.clone()),
                output: Some(out.clone()),
                ..job.clone()
            };
            let output = Planned::new(Sink::File(out.clone()))?;
            let (c, summary, value) = translate_one(&one, format, output, &engines, false)?;
            code = code.max(c);
            add_summary(&mut total, summary);
            files.push(value);
        }
        closing_line(&total, started);
        if let Some(mut report) = report {
            let value = serde_json::json!({
                "files": files,
                "segments": total.segments,
                "translated": total.translated,
                "cached": total.cached,
                "passed_through": total.passed_through,
                "failed": total.failed,
                "seconds": (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
            });
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            report.write_all(text.as_bytes())?;
            report.commit()?;
        }
        Ok(code)
    })();
    if result.is_err() {
        if let (Some(path), Some(false)) = (&job.tm, memory_existed) {
            crate::tm::remove_if_unused(path);
        }
    }
    result
}

/// What a run builds once for all its inputs: the pipeline, the checker, the read options.
struct Engines {
    pipeline: Pipeline,
    checker: Option<(Checker, Severity)>,
    opts: doc::ReadOptions,
}

impl Engines {
    fn new(job: &TranslateJob) -> Result<Engines> {
        let pipeline = build_pipeline(job)?;
        let checker = qa_checker(job, &pipeline)?;
        let opts = crate::setup::read_options(job)?;
        Ok(Engines {
            pipeline,
            checker,
            opts,
        })
    }
}

/// The closing line on a terminal.
fn closing_line(summary: &Summary, started: std::time::Instant) {
    if super::ui::chatty_terminal() {
        eprintln!(
            "tarjuman: {} segments, {} translated ({} from the memory), {} passed through, {} failed in {:.1} s",
            summary.segments,
            summary.translated,
            summary.cached,
            summary.passed_through,
            summary.failed,
            started.elapsed().as_secs_f64()
        );
    }
}

fn translate_into(
    job: &TranslateJob,
    format: Option<Format>,
    output: Planned,
    report: Option<Planned>,
) -> Result<i32> {
    let engines = Engines::new(job)?;
    let (code, _, value) = translate_one(job, format, output, &engines, true)?;
    if let Some(mut report) = report {
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        report.write_all(text.as_bytes())?;
        report.commit()?;
    }
    Ok(code)
}

/// Translates one input into `output`: its exit code, counts and report object. `alone`: the
/// run's only input (its closing line is printed here).
fn translate_one(
    job: &TranslateJob,
    format: Option<Format>,
    mut output: Planned,
    engines: &Engines,
    alone: bool,
) -> Result<(i32, Summary, serde_json::Value)> {
    let started = std::time::Instant::now();
    let pipeline = &engines.pipeline;
    let mut run = RunReport::new(job);
    let checker = &engines.checker;
    // With --check the checker sees the whole document.
    let chunk = (!job.check).then(chunk_size);
    let opts = &engines.opts;
    let source = match &job.text {
        Some(text) => {
            let mut text = text.clone();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let format = format.unwrap_or(Format::Text);
            Source::Whole(doc::parse_with(format, "<--text>", &text, opts)?)
        }
        None => open_source(job.input.as_ref(), format, chunk, opts)?,
    };
    let mut document = match source {
        Source::Whole(document) => document,
        Source::Chunks(mut chunks, format) => {
            let mut total = Summary::default();
            let origin = chunks.origin().to_string();
            // One line per cause over the whole input, printed when the run ends (or fails).
            let mut notes = NoteReport::default();
            let result = (|| -> Result<()> {
                while let Some(chunk) = chunks.next_chunk()? {
                    let mut document = chunk.parse_with(format, &origin, opts)?;
                    let summary = pipeline.translate(std::slice::from_mut(&mut document))?;
                    notes.add(&document);
                    run.add(&document, pipeline);
                    output.write_all(doc::render(&document).as_bytes())?;
                    add_summary(&mut total, summary);
                }
                Ok(())
            })();
            notes.print();
            result?;
            output.commit()?;
            if alone {
                closing_line(&total, started);
            }
            let value = run.finish(&total, None, started);
            return Ok((exit_code(&total), total, value));
        }
    };
    let summary = pipeline.translate(std::slice::from_mut(&mut document))?;
    report_notes(&document);
    run.add(&document, pipeline);
    let mut qa_failed = false;
    let mut qa_counts = None;
    if let Some((checker, fail_on)) = checker {
        let (report, placed) = checker.check_translated(&document);
        mark_fuzzy(&mut document, &placed);
        let target_origin = if places_at_source(document.format) {
            document.origin.clone()
        } else {
            match job.output.as_deref() {
                Some(p) if p.as_os_str() != "-" => p.display().to_string(),
                _ => "<stdout>".to_string(),
            }
        };
        let mut err = std::io::stderr().lock();
        for f in &report.findings {
            let line = f.human(&target_origin, Some(&document.origin));
            let _ = writeln!(
                err,
                "{}",
                super::ui::paint(&line, super::ui::Stream::Stderr)
            );
        }
        let s = report.summary();
        let _ = writeln!(
            err,
            "{} error(s), {} warning(s), {} info(s) in {} translated segment(s)",
            s.errors, s.warnings, s.infos, s.target_segments
        );
        qa_failed = report.findings.iter().any(|f| f.severity >= *fail_on);
        qa_counts = Some(serde_json::json!({
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "segments": s.target_segments,
        }));
    }
    output.write_all(doc::render(&document).as_bytes())?;
    output.commit()?;
    if alone {
        closing_line(&summary, started);
    }
    let value = run.finish(&summary, qa_counts, started);
    let code = if qa_failed { 1 } else { exit_code(&summary) };
    Ok((code, summary, value))
}

/// Adds the counts of one chunk's run to the whole run's.
fn add_summary(total: &mut Summary, s: Summary) {
    total.segments += s.segments;
    total.translated += s.translated;
    total.passed_through += s.passed_through;
    total.failed += s.failed;
    total.cached += s.cached;
    total.glossary.extend(s.glossary);
}

/// The checker and `--fail-on` severity of a job run with `--check`; `None` without it.
pub(crate) fn qa_checker(
    job: &TranslateJob,
    pipeline: &Pipeline,
) -> Result<Option<(Checker, Severity)>> {
    if !job.check {
        if job.fail_on.is_some() {
            return Err(Error::Usage("--fail-on needs --check".into()));
        }
        return Ok(None);
    }
    let fail_on = parse_fail_on(job.fail_on.as_deref())?;
    let to = parse_lang(&job.to, "--to")?;
    let checker = loop_checker(
        job.config.as_deref(),
        pipeline.from,
        to,
        pipeline.glossary.clone(),
    )?;
    Ok(Some((checker, fail_on)))
}

/// Marks the PO entries QA found an error in as fuzzy: an error note on the block's first
/// segment (the PO writer flags such entries `#, fuzzy`). Other formats are left alone.
pub(crate) fn mark_fuzzy(document: &mut Document, placed: &[BlockFinding]) {
    if document.format != Format::Po {
        return;
    }
    for p in placed
        .iter()
        .filter(|p| p.finding.severity == Severity::Error)
    {
        let Some(seg) = document
            .blocks
            .get_mut(p.block)
            .and_then(|b| b.segments.first_mut())
        else {
            continue;
        };
        if !seg.notes.iter().any(|n| n.kind == QA_NOTE) {
            seg.notes.push(Note::new(
                QA_NOTE,
                Severity::Error,
                format!("{}: {}", p.finding.check, p.finding.message),
            ));
        }
    }
}

/// The kind of the note [`mark_fuzzy`] adds.
const QA_NOTE: &str = "qa";

fn exit_code(summary: &Summary) -> i32 {
    if summary.failed > 0 || summary.glossary.iter().any(Report::has_findings) {
        1
    } else {
        0
    }
}

/// What `translate --report` writes and the closing line on a terminal: counts, the languages
/// met with the engines that served them, the segments that failed, the glossary report and the
/// QA counts.
struct RunReport {
    input: String,
    output: String,
    /// Per source language (code, or `und` when none was detected): the route's engines and
    /// counts of segments, translated, passed through, failed.
    langs: std::collections::BTreeMap<String, LangCounts>,
    failures: Vec<serde_json::Value>,
    failures_left_out: usize,
}

#[derive(Default, serde::Serialize)]
struct LangCounts {
    engines: Vec<String>,
    segments: usize,
    translated: usize,
    passed_through: usize,
    failed: usize,
}

/// Failures listed one by one in the report; past that only counted.
const FAILURES_LISTED: usize = 10_000;

impl RunReport {
    fn new(job: &TranslateJob) -> RunReport {
        let name = |p: Option<&PathBuf>, std: &str| match p {
            Some(p) if p.as_os_str() != "-" => p.display().to_string(),
            _ => std.to_string(),
        };
        RunReport {
            input: if job.text.is_some() {
                "<--text>".to_string()
            } else {
                name(job.input.as_ref(), "<stdin>")
            },
            output: name(job.output.as_ref(), "<stdout>"),
            langs: Default::default(),
            failures: Vec::new(),
            failures_left_out: 0,
        }
    }

    fn add(&mut self, document: &Document, pipeline: &crate::pipeline::Pipeline) {
        for block in &document.blocks {
            for (seg, line) in block
                .segments
                .iter()
                .zip(crate::segment::segment_lines(block))
            {
                let lang = seg.lang.as_ref().map(|d| d.lang);
                let code = lang.map_or("und", |l| l.code()).to_string();
                let counts = self.langs.entry(code).or_insert_with(|| {
                    let engines = match lang.map(|l| pipeline.router.plan(l)) {
                        Some(crate::route::Plan::Translate(hops)) => hops
                            .iter()
                            .map(|h| pipeline.router.backend_name(h.backend).to_string())
                            .collect(),
                        _ => Vec::new(),
                    };
                    LangCounts {
                        engines,
                        ..Default::default()
                    }
                });
                counts.segments += 1;
                match seg.status {
                    crate::doc::SegmentStatus::Translated => counts.translated += 1,
                    crate::doc::SegmentStatus::Failed => {
                        counts.failed += 1;
                        if self.failures.len() < FAILURES_LISTED {
                            let why = seg
                                .notes
                                .iter()
                                .find(|n| n.severity == crate::doc::Severity::Error);
                            self.failures.push(serde_json::json!({
                                "line": line,
                                "kind": why.map(|n| n.kind.as_str()),
                                "message": why.map(|n| n.message.as_str()),
                                "text": seg.text,
                            }));
                        } else {
                            self.failures_left_out += 1;
                        }
                    }
                    _ => counts.passed_through += 1,
                }
            }
        }
    }

    /// The report object of the input.
    fn finish(
        self,
        summary: &Summary,
        qa: Option<serde_json::Value>,
        started: std::time::Instant,
    ) -> serde_json::Value {
        let seconds = started.elapsed().as_secs_f64();
        serde_json::json!({
            "input": self.input,
            "output": self.output,
            "segments": summary.segments,
            "translated": summary.translated,
            "cached": summary.cached,
            "passed_through": summary.passed_through,
            "failed": summary.failed,
            "seconds": (seconds * 1000.0).round() / 1000.0,
            "languages": self.langs,
            "failures": self.failures,
            "failures_left_out": self.failures_left_out,
            "glossary": summary.glossary,
            "qa": qa,
        })
    }
}
