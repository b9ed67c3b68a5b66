//! `tarjuman worker`: translate the jobs of a NATS JetStream work queue (see [`crate::queue`])
//! with the engines the options name, until stopped (SIGINT/SIGTERM: the job in hand is
//! finished first).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::translate::TranslateJob;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::queue::worker::{self, Engine};
use crate::queue::{client, QueueOptions};
use crate::setup::Service;

/// `tarjuman worker`.
#[derive(Debug, Clone)]
pub struct WorkerJob {
    /// The queue.
    pub queue: QueueOptions,
    /// The engines (`--model`, `--backend`, `--config`, `--from`, `--to`, engine settings).
    pub translate: TranslateJob,
    /// Only these pairs (`ar-en,de-en`); default every pair the engines serve directly.
    pub pairs: Option<String>,
    /// Stop after this long without a job (default: run until stopped).
    pub idle_exit: Option<Duration>,
    /// The worker's name in announcements and messages (default `HOST-PID`).
    pub name: Option<String>,
    /// Jobs worked on at once (default: the model's replicas plus one, so that a job is
    /// fetched and stored while the engine translates).
    pub concurrent: Option<usize>,
}

fn parse_pairs(list: &str) -> Result<Vec<(Lang, Lang)>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|p| {
            let (f, t) = p.split_once('-').ok_or_else(|| {
                Error::Usage(format!("--pairs: `{p}` is not FROM-TO (e.g. ar-en)"))
            })?;
            let lang = |c: &str| {
                Lang::from_code(c).map_err(|e| Error::Usage(format!("--pairs: {p}: {e}")))
            };
            Ok((lang(f)?, lang(t)?))
        })
        .collect()
}

/// The engine batches a worker's model runs at once: its replicas as `--threads` and
/// `--replicas` plan them (by default one single-thread replica per thread, as
/// [`crate::backend::ct2::Ct2Options::thread_plan`] has it).
fn engine_replicas(job: &TranslateJob) -> usize {
    let mut options = crate::backend::ct2::Ct2Options::default();
    job.engine.apply(&mut options);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    options.thread_plan(cores).0.max(1)
}

/// Runs `tarjuman worker`. Returns 0 when stopped; an unreachable server, options that serve
/// no pair and a broken model are errors (exit 2).
pub fn worker(job: &WorkerJob) -> Result<i32> {
    let wanted = job.pairs.as_deref().map(parse_pairs).transpose()?;
    let service = Service::load(&job.translate, |_, b| b)?;
    let router = service.router();
    let mut engines = Vec::new();
    for (pair, id) in router.direct_pairs() {
        if wanted
            .as_ref()
            .is_some_and(|w| !w.contains(&(pair.from, pair.to)))
        {
            continue;
        }
        engines.push(Engine {
            pair,
            engine: router.portable_engine_id(id),
            backend: router.backend(id)?,
        });
    }
    if let Some(w) = &wanted {
        for (f, t) in w {
            if !engines.iter().any(|e| e.pair.from == *f && e.pair.to == *t) {
                return Err(Error::Usage(format!(
                    "--pairs: the engines do not translate {f}-{t} directly"
                )));
            }
        }
    }
    if engines.is_empty() {
        return Err(Error::Usage(
            "worker: the options serve no language pair".into(),
        ));
    }
    let name = job.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "host".into());
        format!("{host}-{}", std::process::id())
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            origin: "tokio runtime".into(),
            source,
        })?;
    let stats = runtime.block_on(async {
        let queue = client::connect(&job.queue, &format!("tarjuman worker {name}"))
            .await
            .map_err(|e| Error::Usage(e.to_string()))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        tokio::spawn(async move {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
            }
            flag.store(true, Ordering::Relaxed);
        });
        let pairs: Vec<String> = engines
            .iter()
            .map(|e| format!("{}-{} ({})", e.pair.from, e.pair.to, e.engine))
            .collect();
        say(&format!(
            "tarjuman worker {name}: serving {} from {}",
            pairs.join(", "),
            job.queue.url
        ));
        let concurrent = job
            .concurrent
            .unwrap_or_else(|| engine_replicas(&job.translate) + 1);
        worker::run(&queue, &engines, &name, stop, job.idle_exit, concurrent)
            .await
            .map_err(|e| Error::Usage(e.to_string()))
    })?;
    say(&format!(
        "tarjuman worker {name}: {} jobs ({} segments) done, {} given up",
        stats.jobs, stats.segments, stats.dead
    ));
    Ok(0)
}

/// Writes `line` and a newline to standard error in one write: workers started together
/// often share one log file, where a line written in pieces (as `eprintln!` formats) would
/// interleave with another worker's.
fn say(line: &str) {
    use std::io::Write;
    let _ = std::io::stderr()
        .lock()
        .write_all(format!("{line}\n").as_bytes());
}
