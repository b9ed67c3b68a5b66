//! `tarjuman feed`: many feeds at once. `--jobs` workers fetch and parse feeds concurrently and
//! hand them to one translation stage, which gathers whatever is ready into one batch for the
//! pipeline (so the engine sees large batches), then writes each feed atomically.
//!
//! Resume: the pipeline commits every translated batch to the translation memory before any
//! output is written, and outputs and the report are replaced atomically; a run started again
//! after a crash finds the finished work as memory hits and writes every feed whole, once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use tokio::sync::{mpsc, Semaphore};

use super::translate::{build_pipeline, job_inputs, mark_fuzzy, qa_checker, TranslateJob};
use super::{check_engine_flags, report_notes};
use crate::bulk::{self, Counts, Input, QaCounts, ReportLine};
use crate::doc::{self, Document};
use crate::error::{Error, Result};
use crate::output::{check_conflicts, same_file, write_atomically, Planned, Sink};
use crate::qa::{BlockFinding, Checker};
use crate::transport::{LocalEngines, QueueTransport, Transport};

/// A batch is handed to the pipeline once it holds this many segments (or nothing else is
/// ready).
pub const BATCH_SEGMENTS: usize = 8192;

/// `tarjuman feed`.
#[derive(Debug, Clone, Default)]
pub struct FeedJob {
    /// Feed files, directories, http(s) URLs and list files.
    pub inputs: Vec<String>,
    /// Where translated feeds go (created if missing).
    pub out_dir: PathBuf,
    /// Concurrent fetch/parse workers (at least 1).
    pub jobs: usize,
    /// The JSONL report; default `OUT_DIR/report.jsonl`.
    pub report: Option<PathBuf>,
    /// How feeds are fetched over HTTP (timeout, size limit, conditional requests).
    pub fetch: bulk::FetchOptions,
    /// Languages, backends, engine settings, translation memory and `--check`/`--fail-on`, as
    /// for `translate` (`input`, `output` and `format` are not used).
    pub translate: TranslateJob,
    /// Where the engine work is done: `None` here (local engines), or workers reached through
    /// this queue (`--queue`).
    pub queue: Option<crate::queue::QueueOptions>,
}

type Parsed = (usize, Result<(Document, Option<u16>)>);

/// Runs `tarjuman feed`. Returns 0, or 1 when a feed could not be read, some segments could
/// not be translated or (with `--check`) a finding is at or above `--fail-on`; usage errors
/// and unusable backends are errors (exit 2).
///
/// Everything that can be checked before the first byte is written is: the inputs (list files
/// are read), the outputs against them, the report's directory, the configuration, glossaries
/// and memory. A run that ends with exit 2 removes the output directory and the memory file if
/// it created them and left nothing in them.
pub fn feed(job: &FeedJob) -> Result<i32> {
    if job.inputs.is_empty() {
        return Err(Error::Usage("feed: give at least one input".into()));
    }
    check_engine_flags(&job.translate.engine)?;
    let bulk::Expanded { inputs, duplicates } = bulk::expand(&job.inputs)?;
    for d in &duplicates {
        tracing::warn!(
            "tarjuman: note: {d} is named more than once; it is fetched and translated once"
        );
    }
    if job.out_dir.exists() && !job.out_dir.is_dir() {
        return Err(Error::Usage(format!(
            "--out-dir {} is not a directory",
            job.out_dir.display()
        )));
    }
    let report_path = job
        .report
        .clone()
        .unwrap_or_else(|| job.out_dir.join("report.jsonl"));
    check_outputs(job, &inputs, &report_path)?;
    let created_dirs = missing_ancestors(&job.out_dir);
    let memory_existed = job.translate.tm.as_deref().map(Path::exists);
    let result = feed_into(job, &inputs, &report_path);
    if result.is_err() {
        if let (Some(path), Some(false)) = (&job.translate.tm, memory_existed) {
            crate::tm::remove_if_unused(path);
        }
        // Innermost first; a directory something was written into stays.
        for dir in &created_dirs {
            remove_stale_temp_files(dir);
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

/// The directories of `dir` and its ancestors that do not exist yet, innermost first.
fn missing_ancestors(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors()
        .filter(|d| !d.as_os_str().is_empty())
        .take_while(|d| !d.exists())
        .map(Path::to_path_buf)
        .collect()
}

/// Refuses a run whose outputs would overwrite one of its inputs or each other, or whose
/// report cannot be written, before anything is read further or written.
fn check_outputs(job: &FeedJob, inputs: &[Input], report: &Path) -> Result<()> {
    for input in inputs {
        if let bulk::Source::File(p) = &input.source {
            let out = job.out_dir.join(&input.name);
            if same_file(p, &out) {
                return Err(Error::Usage(format!(
                    "feed: {} would be overwritten by its translation; choose another --out-dir",
                    p.display()
                )));
            }
        }
    }
    let mut read: Vec<(&str, &Path)> = job_inputs(&job.translate);
    let list_files: Vec<PathBuf> = job
        .inputs
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    read.extend(list_files.iter().map(|p| ("the input", p.as_path())));
    for input in inputs {
        if let bulk::Source::File(p) = &input.source {
            read.push(("the feed", p));
        }
    }
    let outs: Vec<PathBuf> = inputs.iter().map(|i| job.out_dir.join(&i.name)).collect();
    let mut written: Vec<(&str, &Path)> = vec![("--report", report)];
    written.extend(outs.iter().map(|p| ("the translated feed", p.as_path())));
    check_conflicts(&read, &written)?;
    if let Some(tm) = &job.translate.tm {
        check_conflicts(&[("--tm", tm)], &[("--report", report)])?;
    }
    let dir = match report.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() && !same_file(dir, &job.out_dir) {
        return Err(Error::Output {
            path: report.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no such directory {}", dir.display()),
            ),
        });
    }
    Ok(())
}

fn feed_into(job: &FeedJob, inputs: &[Input], report_path: &Path) -> Result<i32> {
    // The runtime first: the queue's transport connects on it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(job.jobs.clamp(1, 64))
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            origin: "tokio runtime".into(),
            source,
        })?;
    let transport: Box<dyn Transport> = match &job.queue {
        Some(options) => Box::new(QueueTransport::connect(options, &runtime)?),
        None => Box::new(LocalEngines),
    };
    let mut pipeline = build_pipeline(&job.translate)?;
    pipeline.router = transport.engines(pipeline.router)?;
    let (checker, fail_on) = qa_checker(&job.translate, &pipeline)?.unzip();
    let opts = Arc::new(crate::setup::read_options(&job.translate)?);
    std::fs::create_dir_all(&job.out_dir).map_err(|source| Error::Output {
        path: job.out_dir.clone(),
        source,
    })?;
    remove_stale_temp_files(&job.out_dir);
    // An unwritable report stops the run before any feed: a temporary file is made there now
    // (and dropped: one held for the whole run would be taken for a stale one by another run
    // into the same directory).
    drop(Planned::new(Sink::File(report_path.to_path_buf()))?);
    let checker = checker.map(Arc::new);
    let tty = pipeline.progress;
    pipeline.progress = false;
    let pipeline = Arc::new(pipeline);
    let bars = Bars::new(tty, inputs.len());
    let past_bars = bars.multi.as_ref().map(super::ui::show_bars);
    let results = runtime.block_on(run(job, inputs, pipeline, checker, opts, &bars))?;
    bars.finish();
    drop(past_bars);

    let mut lines = Vec::new();
    let mut failed_feeds = 0;
    for (input, result) in inputs.iter().zip(results) {
        match result {
            Some(Ok(mut feed_lines)) => lines.append(&mut feed_lines),
            Some(Err(e)) => {
                failed_feeds += 1;
                tracing::error!("tarjuman: error: {e}");
                lines.push(error_line(input, &e.to_string()));
            }
            None => {
                failed_feeds += 1;
                lines.push(error_line(input, "not processed"));
            }
        }
    }
    let failed = failed_feeds > 0;
    lines.extend(transport.report());
    let mut report = String::new();
    let mut total = Counts::default();
    let mut qa_total = QaCounts::default();
    for line in &lines {
        if let ReportLine::Feed { counts, qa, .. } = line {
            total.add(counts);
            if let Some(qa) = qa {
                qa_total.add(qa);
            }
        }
        report.push_str(&serde_json::to_string(line).unwrap_or_default());
        report.push('\n');
    }
    write_atomically(report_path, report.as_bytes())?;
    let feeds = match (inputs.len(), failed_feeds) {
        (1, 0) => "1 feed".to_string(),
        (1, _) => "1 feed (failed)".to_string(),
        (n, 0) => format!("{n} feeds"),
        (n, f) => format!("{n} feeds ({f} failed)"),
    };
    if !super::ui::quiet() {
        eprintln!(
            "tarjuman: {feeds}, {} segments: {} translated ({} from memory), {} unchanged, {} failed",
            total.segments, total.translated, total.cached, total.passed_through, total.failed
        );
    }
    let qa_failed = fail_on.is_some_and(|level| qa_total.any_at_least(level));
    if fail_on.is_some() && !super::ui::quiet() {
        eprintln!(
            "tarjuman: check: {} error(s), {} warning(s), {} info(s) (see {})",
            qa_total.errors,
            qa_total.warnings,
            qa_total.infos,
            report_path.display()
        );
    }
    Ok(if failed || qa_failed || total.failed > 0 {
        1
    } else {
        0
    })
}

/// Removes temporary files a killed run left in the output directory (`write_atomically`
/// names them `.tarjuman-*.tmp`).
fn remove_stale_temp_files(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".tarjuman-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn error_line(input: &Input, message: &str) -> ReportLine {
    ReportLine::Feed {
        input: input.source.origin(),
        output: None,
        status: "error",
        error: Some(message.to_string()),
        format: None,
        http_status: None,
        items: 0,
        counts: Counts::default(),
        findings: None,
        qa: None,
        warnings: Vec::new(),
    }
}

/// The concurrent part: workers fetch and parse, the translation stage batches and writes.
/// Returns, per input, its report lines or its error.
async fn run(
    job: &FeedJob,
    inputs: &[Input],
    pipeline: Arc<crate::pipeline::Pipeline>,
    checker: Option<Arc<Checker>>,
    opts: Arc<doc::ReadOptions>,
    bars: &Bars,
) -> Result<Vec<Option<Result<Vec<ReportLine>>>>> {
    let (tx, mut rx) = mpsc::channel::<Parsed>(job.jobs.max(1) * 2);
    let permits = Arc::new(Semaphore::new(job.jobs.max(1)));
    for (i, input) in inputs.iter().enumerate() {
        let (tx, permits, input, fetch, opts) = (
            tx.clone(),
            permits.clone(),
            input.clone(),
            job.fetch.clone(),
            opts.clone(),
        );
        tokio::spawn(async move {
            let Ok(_permit) = permits.acquire_owned().await else {
                return;
            };
            let parsed = tokio::task::spawn_blocking(move || bulk::load(&input, &fetch, &opts))
                .await
                .unwrap_or_else(|e| Err(Error::Usage(format!("feed worker failed: {e}"))));
            let _ = tx.send((i, parsed)).await;
        });
    }
    drop(tx);
    let mut results: Vec<Option<Result<Vec<ReportLine>>>> =
        (0..inputs.len()).map(|_| None).collect();
    let mut statuses: Vec<Option<u16>> = vec![None; inputs.len()];
    while let Some(first) = rx.recv().await {
        // Gather what is ready into one batch.
        let mut batch: Vec<(usize, Document)> = Vec::new();
        let mut segments = 0;
        let mut next = Some(first);
        while let Some((i, parsed)) = next.take() {
            match parsed {
                Ok((doc, status)) => {
                    statuses[i] = status;
                    segments += doc
                        .blocks
                        .iter()
                        .filter(|b| b.kind.is_translatable())
                        .count();
                    bars.items(doc::rss_atom::items(&doc).len());
                    batch.push((i, doc));
                }
                Err(e) => {
                    bars.feed_done();
                    results[i] = Some(Err(e));
                }
            }
            if segments < BATCH_SEGMENTS {
                next = rx.try_recv().ok();
            }
        }
        if batch.is_empty() {
            continue;
        }
        let p = pipeline.clone();
        let checker = checker.clone();
        let (idx, mut docs): (Vec<usize>, Vec<Document>) = batch.into_iter().unzip();
        let (docs, summary, found) = tokio::task::spawn_blocking(move || {
            let summary = p.translate(&mut docs);
            let found: Vec<Option<Vec<BlockFinding>>> = docs
                .iter()
                .map(|d| {
                    checker
                        .as_ref()
                        .filter(|_| summary.is_ok())
                        .map(|c| c.check_translated(d).1)
                })
                .collect();
            (docs, summary, found)
        })
        .await
        .map_err(|e| Error::Usage(format!("translation stage failed: {e}")))?;
        let summary = summary?;
        bars.segments(summary.segments);
        for ((i, mut doc), found) in idx.into_iter().zip(docs).zip(found) {
            let path = job.out_dir.join(&inputs[i].name);
            report_notes(&doc);
            if let Some(found) = &found {
                mark_fuzzy(&mut doc, found);
            }
            let written = write_atomically(&path, doc::render(&doc).as_bytes());
            results[i] = Some(written.map(|_| {
                bulk::report(
                    &inputs[i].source.origin(),
                    &path.display().to_string(),
                    &doc,
                    found.as_deref(),
                    statuses[i],
                )
            }));
            bars.feed_done();
        }
    }
    Ok(results)
}

/// Progress on a terminal: feeds done, items read, segments per second.
struct Bars {
    multi: Option<MultiProgress>,
    feeds: ProgressBar,
    items: ProgressBar,
    segments: ProgressBar,
}

impl Bars {
    fn new(tty: bool, feeds: usize) -> Bars {
        let tty = tty && super::ui::chatty_terminal();
        let multi = tty.then(MultiProgress::new);
        let add = |bar: ProgressBar, template: &str| match &multi {
            Some(m) => {
                if let Ok(style) = ProgressStyle::with_template(template) {
                    bar.set_style(style.progress_chars("=> "));
                }
                m.add(bar)
            }
            None => ProgressBar::hidden(),
        };
        Bars {
            feeds: add(
                ProgressBar::new(feeds as u64),
                "feeds    [{bar:30}] {pos}/{len} ({elapsed})",
            ),
            items: add(ProgressBar::no_length(), "items    {pos} read"),
            segments: add(
                ProgressBar::no_length(),
                "segments {pos} translated ({per_sec})",
            ),
            multi,
        }
    }

    fn feed_done(&self) {
        self.feeds.inc(1);
    }

    fn items(&self, n: usize) {
        self.items.inc(n as u64);
    }

    fn segments(&self, n: usize) {
        self.segments.inc(n as u64);
    }

    fn finish(&self) {
        if self.multi.is_some() {
            self.feeds.finish();
            self.items.finish();
            self.segments.finish();
        }
    }
}
