//! The cluster's shared memory of engine results: the `P_results` key-value bucket that
//! workers fill and producers consult, looked after by `tarjuman tm --queue URL
//! stats|export|prune` as the SQLite memory is.
//!
//! A value is a [`Stored`]: the result of one segment as the engine received it (glossary
//! placeholders in place), with its pair, engine and the time it was stored. Keys are
//! [`super::result_key`] (engine, pair, text).

use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::client::Queue;
use super::{Outcome, QueueError};
use crate::tm::{ExportEntry, PairStats, Stats};

/// One stored result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    /// The segment as the engine received it.
    #[serde(default)]
    pub source: String,
    /// Source language code.
    #[serde(default)]
    pub from: String,
    /// Target language code.
    #[serde(default)]
    pub to: String,
    /// The engine (portable id).
    #[serde(default)]
    pub engine: String,
    /// When it was stored, seconds since the Unix epoch.
    #[serde(default)]
    pub at: i64,
    /// The result.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn err(q: &Queue, what: &str, e: impl std::fmt::Display) -> QueueError {
    QueueError::JetStream {
        url: q.options.url.clone(),
        message: format!("{what}: {e}"),
    }
}

/// Every stored value with its key.
async fn all(q: &Queue) -> Result<Vec<(String, Stored)>, QueueError> {
    let mut keys = match q.results.keys().await {
        Ok(k) => k,
        Err(e) => return Err(err(q, "list the results bucket", e)),
    };
    let mut names = Vec::new();
    while let Some(k) = keys.next().await {
        names.push(k.map_err(|e| err(q, "list the results bucket", e))?);
    }
    let mut out = Vec::with_capacity(names.len());
    for k in names {
        if let Ok(Some(bytes)) = q.results.get(k.as_str()).await {
            if let Ok(v) = serde_json::from_slice::<Stored>(&bytes) {
                out.push((k, v));
            }
        }
    }
    Ok(out)
}

/// Entries per pair and engine (`hits` is not counted in the bucket; `bytes` is its size).
pub async fn stats(q: &Queue) -> Result<Stats, QueueError> {
    let values = all(q).await?;
    let mut stats = Stats {
        entries: values.len() as u64,
        ..Stats::default()
    };
    let mut pairs: std::collections::BTreeMap<(String, String, String), u64> = Default::default();
    for (_, v) in &values {
        *pairs
            .entry((v.from.clone(), v.to.clone(), v.engine.clone()))
            .or_default() += 1;
    }
    stats.pairs = pairs
        .into_iter()
        .map(|((from, to, engine), entries)| PairStats {
            from,
            to,
            engine,
            entries,
        })
        .collect();
    if let Ok(mut stream) =
        q.js.get_stream(format!("KV_{}", q.options.results_bucket()))
            .await
    {
        if let Ok(info) = stream.info().await {
            stats.bytes = info.state.bytes;
        }
    }
    Ok(stats)
}

/// Writes every translated entry as a JSON line (the SQLite memory's export shape; `glossary`
/// is empty, `used` is when it was stored). Returns how many.
pub async fn export(q: &Queue, out: &mut dyn std::io::Write) -> Result<u64, QueueError> {
    let mut n = 0;
    for (_, v) in all(q).await? {
        let Some(target) = v.outcome.text else {
            continue;
        };
        let entry = ExportEntry {
            source: v.source,
            target,
            from: v.from,
            to: v.to,
            engine: v.engine,
            glossary: String::new(),
            created: v.at,
            used: v.at,
            hits: 0,
        };
        let line = serde_json::to_string(&entry).unwrap_or_default();
        writeln!(out, "{line}").map_err(|e| err(q, "export", e))?;
        n += 1;
    }
    Ok(n)
}

/// Removes entries stored at least `older_secs` ago (0: all), only of `engine` if given.
/// Returns how many.
pub async fn prune(q: &Queue, older_secs: u64, engine: Option<&str>) -> Result<u64, QueueError> {
    let cut = now().saturating_sub(older_secs as i64);
    let mut n = 0;
    for (k, v) in all(q).await? {
        if (older_secs == 0 || v.at <= cut) && engine.is_none_or(|e| e == v.engine) {
            q.results
                .purge(k.as_str())
                .await
                .map_err(|e| err(q, "prune", e))?;
            n += 1;
        }
    }
    Ok(n)
}
