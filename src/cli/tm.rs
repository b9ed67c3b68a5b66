//! `tarjuman tm stats|export|prune`: look after the translation memory.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::output::{preflight, Sink};
use crate::tm::{self, Memory};

/// What `tarjuman tm` is asked to do.
#[derive(Debug, Clone)]
pub enum TmAction {
    /// Print counts (JSON).
    Stats,
    /// Write every entry as JSON lines to a file (`None`: standard output).
    Export(Option<PathBuf>),
    /// Remove entries unused for this many days, optionally only those of one engine.
    Prune {
        /// Days since last use (0: every entry).
        unused_days: u64,
        /// Only this engine id.
        engine: Option<String>,
    },
}

/// `tarjuman tm`.
#[derive(Debug, Clone)]
pub struct TmJob {
    /// The memory file; default: the user cache directory's `tarjuman/tm.sqlite`.
    pub tm: Option<PathBuf>,
    /// The cluster's results bucket on this queue instead of a SQLite file.
    pub queue: Option<crate::queue::QueueOptions>,
    /// How to reach a `--tm nats://…` memory (credentials, TLS, prefix; the URL is the `--tm`
    /// value).
    pub remote: crate::queue::QueueOptions,
    /// The action.
    pub action: TmAction,
}

/// The memory file a command uses: the one given, else the default in the user cache dir
/// (whose directory is created: it is tarjuman's own).
pub fn memory_path(given: Option<&PathBuf>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.clone());
    }
    let path = tm::default_path()
        .ok_or_else(|| Error::Usage("no cache directory; give --tm FILE".into()))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::Output {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(path)
}

/// Runs `tarjuman tm`. Returns 0; errors are exit 2.
pub fn tm(job: &TmJob) -> Result<i32> {
    if let (Some(options), false) = (&job.queue, job.tm.as_deref().is_some_and(tm::is_remote)) {
        return tm_queue(options, &job.action);
    }
    let path = memory_path(job.tm.as_ref())?;
    if tm::is_remote(&path) {
        let url = path.to_string_lossy().into_owned();
        let options = crate::queue::QueueOptions {
            url,
            ..job.remote.clone()
        };
        let memory = crate::queue::memory::KvMemory::open(&options)
            .map_err(|e| Error::Usage(e.to_string()))?;
        return match &job.action {
            TmAction::Stats => {
                let stats = memory.stats()?;
                let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
                Sink::Stdout.write_all(format!("{text}\n").as_bytes())?;
                Ok(0)
            }
            TmAction::Export(out) => {
                let mut planned =
                    preflight(&[], &[("-o", Sink::from_arg(out.as_deref()))])?.remove(0);
                let mut buf = Vec::new();
                let n = memory.export(&mut buf)?;
                planned.write_all(&buf)?;
                planned.commit()?;
                let _ = writeln!(std::io::stderr(), "tarjuman: exported {n} entries");
                Ok(0)
            }
            TmAction::Prune {
                unused_days,
                engine,
            } => {
                let n = memory.prune(unused_days.saturating_mul(86_400), engine.as_deref())?;
                let _ = writeln!(std::io::stderr(), "tarjuman: removed {n} entries");
                Ok(0)
            }
        };
    }
    if !path.exists() {
        return Err(Error::Usage(format!(
            "no translation memory at {}",
            path.display()
        )));
    }
    // The export's output is checked (and planned) before the memory is opened.
    let planned = match &job.action {
        TmAction::Export(out) => Some(
            preflight(
                &[("the memory", path.as_path())],
                &[("-o", Sink::from_arg(out.as_deref()))],
            )?
            .remove(0),
        ),
        _ => None,
    };
    // Reading commands never change the file (nor create a table in someone else's database).
    let memory = match &job.action {
        TmAction::Stats | TmAction::Export(_) => Memory::open_read_only(&path)?,
        TmAction::Prune { .. } => Memory::open(&path)?,
    };
    // Entries of a memory made when CTranslate2 models were named by their path are shown and
    // selected by the id runs use now (the first run with the model renames them; until then
    // they are that model's entries all the same).
    match &job.action {
        TmAction::Stats => {
            let stats = engines_now(memory.stats()?);
            let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
            Sink::Stdout.write_all(format!("{text}\n").as_bytes())?;
        }
        TmAction::Export(_) => {
            let mut buf = Vec::new();
            let n = memory.export_with(&mut buf, &crate::route::current_engine_id)?;
            if let Some(mut planned) = planned {
                planned.write_all(&buf)?;
                planned.commit()?;
            }
            let _ = writeln!(std::io::stderr(), "tarjuman: exported {n} entries");
        }
        TmAction::Prune {
            unused_days,
            engine,
        } => {
            // Renamed first, as a run would, so that `--engine` with today's id (or the old
            // one, as an older `tm stats` showed it) takes the old entries too.
            for stored in memory.stats()?.pairs.iter().map(|p| &p.engine) {
                for hop in stored.split('>') {
                    if let Some(now) = crate::route::current_engine_id(hop) {
                        memory.adopt_engine(hop, &now)?;
                    }
                }
            }
            let engine = engine
                .as_deref()
                .map(|e| crate::route::current_engine_id(e).unwrap_or_else(|| e.to_string()));
            let n = memory.prune(unused_days.saturating_mul(86_400), engine.as_deref())?;
            let _ = writeln!(std::io::stderr(), "tarjuman: removed {n} entries");
        }
    }
    Ok(0)
}

/// Stats with every engine id as runs name it now ([`crate::route::current_engine_id`]),
/// entries of an old and a new id of one engine counted together.
fn engines_now(mut stats: tm::Stats) -> tm::Stats {
    let mut merged: Vec<tm::PairStats> = Vec::new();
    for mut p in std::mem::take(&mut stats.pairs) {
        if let Some(now) = crate::route::current_engine_id(&p.engine) {
            p.engine = now;
        }
        match merged
            .iter_mut()
            .find(|m| (&m.from, &m.to, &m.engine) == (&p.from, &p.to, &p.engine))
        {
            Some(m) => m.entries += p.entries,
            None => merged.push(p),
        }
    }
    merged.sort_by(|a, b| (&a.from, &a.to, &a.engine).cmp(&(&b.from, &b.to, &b.engine)));
    stats.pairs = merged;
    stats
}

/// `tarjuman tm --queue URL …`: the same actions on the cluster's results bucket.
fn tm_queue(options: &crate::queue::QueueOptions, action: &TmAction) -> Result<i32> {
    use crate::queue::{client, memory};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            origin: "tokio runtime".into(),
            source,
        })?;
    let usage = |e: crate::queue::QueueError| Error::Usage(e.to_string());
    runtime.block_on(async {
        let queue = client::connect(options, "tarjuman tm")
            .await
            .map_err(usage)?;
        match action {
            TmAction::Stats => {
                let stats = memory::stats(&queue).await.map_err(usage)?;
                let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
                Sink::Stdout.write_all(format!("{text}\n").as_bytes())?;
            }
            TmAction::Export(out) => {
                let mut planned =
                    preflight(&[], &[("-o", Sink::from_arg(out.as_deref()))])?.remove(0);
                let mut buf = Vec::new();
                let n = memory::export(&queue, &mut buf).await.map_err(usage)?;
                planned.write_all(&buf)?;
                planned.commit()?;
                let _ = writeln!(std::io::stderr(), "tarjuman: exported {n} entries");
            }
            TmAction::Prune {
                unused_days,
                engine,
            } => {
                let n = memory::prune(
                    &queue,
                    unused_days.saturating_mul(86_400),
                    engine.as_deref(),
                )
                .await
                .map_err(usage)?;
                let _ = writeln!(std::io::stderr(), "tarjuman: removed {n} entries");
            }
        }
        Ok(0)
    })
}
