//! `tarjuman tm stats|export|prune`: look after the translation memory.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::output::Sink;
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
    /// The action.
    pub action: TmAction,
}

/// The memory file a command uses: the one given, else the default in the user cache dir.
pub fn memory_path(given: Option<&PathBuf>) -> Result<PathBuf> {
    given
        .cloned()
        .or_else(tm::default_path)
        .ok_or_else(|| Error::Usage("no cache directory; give --tm FILE".into()))
}

/// Runs `tarjuman tm`. Returns 0; errors are exit 2.
pub fn tm(job: &TmJob) -> Result<i32> {
    if let Some(options) = &job.queue {
        return tm_queue(options, &job.action);
    }
    let path = memory_path(job.tm.as_ref())?;
    if !path.exists() {
        return Err(Error::Usage(format!(
            "no translation memory at {}",
            path.display()
        )));
    }
    let memory = Memory::open(&path)?;
    match &job.action {
        TmAction::Stats => {
            let stats = memory.stats()?;
            let text = serde_json::to_string_pretty(&stats).unwrap_or_default();
            Sink::Stdout.write_all(format!("{text}\n").as_bytes())?;
        }
        TmAction::Export(out) => {
            let mut buf = Vec::new();
            let n = memory.export(&mut buf)?;
            Sink::from_arg(out.as_deref()).write_all(&buf)?;
            let _ = writeln!(std::io::stderr(), "tarjuman: exported {n} entries");
        }
        TmAction::Prune {
            unused_days,
            engine,
        } => {
            let n = memory.prune(unused_days.saturating_mul(86_400), engine.as_deref())?;
            let _ = writeln!(std::io::stderr(), "tarjuman: removed {n} entries");
        }
    }
    Ok(0)
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
                let mut buf = Vec::new();
                let n = memory::export(&queue, &mut buf).await.map_err(usage)?;
                Sink::from_arg(out.as_deref()).write_all(&buf)?;
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
