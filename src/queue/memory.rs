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

/// One entry of the cluster's translation memory (the `P_tm` bucket), under the same key as
/// the SQLite memory's: normalised source, languages, engine, glossary fingerprint.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MemoryEntry {
    source: String,
    target: String,
    #[serde(default)]
    notes: Vec<crate::doc::Note>,
    from: String,
    to: String,
    engine: String,
    #[serde(default)]
    glossary: String,
    created: i64,
}

/// The bucket key of a memory entry: the [`crate::tm::Key`] and the normalised source, hashed
/// (bucket keys are limited to a small alphabet).
pub fn memory_key(key: &crate::tm::Key<'_>, source: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        key.engine,
        key.from.code(),
        key.to.code(),
        key.glossary,
        source,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let hex: String = h.finalize()[..20]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("m{hex}")
}

/// The cluster's shared translation memory: a JetStream key-value bucket used by the pipeline
/// as the SQLite [`crate::tm::Memory`] is (`--tm nats://HOST:PORT`), so that producers on
/// different machines share their hits. It keeps its own small runtime, so that the
/// pipeline's threads can call it synchronously.
///
/// Use is not recorded (that would be a write per hit): `prune --unused-days` counts from
/// when an entry was stored, and `hits` in the stats is 0.
pub struct KvMemory {
    url: String,
    store: kv::Store,
    js: async_nats::jetstream::Context,
    bucket: String,
    runtime: Option<tokio::runtime::Runtime>,
}

use async_nats::jetstream::kv;

impl KvMemory {
    /// Connects to the server of `options` and opens (creating if needed) its memory bucket.
    pub fn open(options: &super::QueueOptions) -> Result<KvMemory, crate::tm::TmError> {
        let remote = |message: String| crate::tm::TmError::Remote {
            url: options.url.clone(),
            message,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| remote(format!("tokio runtime: {e}")))?;
        let bucket = options.memory_bucket();
        let (store, js) = runtime
            .block_on(async {
                let q = super::client::connect(options, "tarjuman tm").await?;
                let store = super::client::open_bucket(&q.js, options, &bucket, 1).await?;
                Ok::<_, QueueError>((store, q.js))
            })
            .map_err(|e| remote(e.to_string()))?;
        Ok(KvMemory {
            url: options.url.clone(),
            store,
            js,
            bucket,
            runtime: Some(runtime),
        })
    }

    /// Runs `f` on the memory's own runtime.
    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        match &self.runtime {
            Some(rt) => rt.block_on(f),
            None => futures_executor_unreachable(),
        }
    }

    fn remote(&self, what: &str, e: impl std::fmt::Display) -> crate::tm::TmError {
        crate::tm::TmError::Remote {
            url: self.url.clone(),
            message: format!("{what}: {e}"),
        }
    }

    /// Every entry with its key.
    fn all(&self) -> Result<Vec<(String, MemoryEntry)>, crate::tm::TmError> {
        self.block_on(async {
            let mut keys = self
                .store
                .keys()
                .await
                .map_err(|e| self.remote("list the memory", e))?;
            let mut names = Vec::new();
            while let Some(k) = keys.next().await {
                names.push(k.map_err(|e| self.remote("list the memory", e))?);
            }
            let got: Vec<Option<(String, MemoryEntry)>> = futures_util::stream::iter(names)
                .map(|k| async move {
                    let bytes = self.store.get(k.as_str()).await.ok()??;
                    let v = serde_json::from_slice::<MemoryEntry>(&bytes).ok()?;
                    Some((k, v))
                })
                .buffered(64)
                .collect()
                .await;
            Ok(got.into_iter().flatten().collect())
        })
    }

    /// Entries per pair and engine; `bytes` is the bucket's size.
    pub fn stats(&self) -> Result<Stats, crate::tm::TmError> {
        let values = self.all()?;
        let mut pairs: std::collections::BTreeMap<(String, String, String), u64> =
            Default::default();
        for (_, v) in &values {
            *pairs
                .entry((v.from.clone(), v.to.clone(), v.engine.clone()))
                .or_default() += 1;
        }
        let bytes = self.block_on(async {
            match self.js.get_stream(format!("KV_{}", self.bucket)).await {
                Ok(mut s) => s.info().await.map(|i| i.state.bytes).unwrap_or(0),
                Err(_) => 0,
            }
        });
        Ok(Stats {
            entries: values.len() as u64,
            hits: 0,
            pairs: pairs
                .into_iter()
                .map(|((from, to, engine), entries)| PairStats {
                    from,
                    to,
                    engine,
                    entries,
                })
                .collect(),
            bytes,
        })
    }

    /// Writes every entry as a JSON line (the SQLite memory's export shape; `used` is when it
    /// was stored). Returns how many.
    pub fn export(&self, out: &mut dyn std::io::Write) -> Result<u64, crate::tm::TmError> {
        let mut n = 0;
        for (_, v) in self.all()? {
            let entry = ExportEntry {
                source: v.source,
                target: v.target,
                from: v.from,
                to: v.to,
                engine: v.engine,
                glossary: v.glossary,
                created: v.created,
                used: v.created,
                hits: 0,
            };
            let line = serde_json::to_string(&entry).unwrap_or_default();
            writeln!(out, "{line}")?;
            n += 1;
        }
        Ok(n)
    }

    /// Removes entries stored at least `older_secs` ago (0: all), only of `engine` if given.
    /// Returns how many.
    pub fn prune(&self, older_secs: u64, engine: Option<&str>) -> Result<u64, crate::tm::TmError> {
        let cut = now().saturating_sub(older_secs as i64);
        let mut n = 0;
        for (k, v) in self.all()? {
            if (older_secs == 0 || v.created <= cut) && engine.is_none_or(|e| e == v.engine) {
                self.block_on(self.store.purge(k.as_str()))
                    .map_err(|e| self.remote("prune", e))?;
                n += 1;
            }
        }
        Ok(n)
    }
}

fn futures_executor_unreachable() -> ! {
    unreachable!("the runtime is only taken when the memory is dropped")
}

impl Drop for KvMemory {
    fn drop(&mut self) {
        // Dropped maybe inside another runtime (the feed's): not waiting for its tasks there.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl crate::tm::Store for KvMemory {
    fn lookup(
        &self,
        key: &crate::tm::Key<'_>,
        sources: &[&str],
    ) -> Result<Vec<Option<crate::tm::Hit>>, crate::tm::TmError> {
        let keys: Vec<String> = sources.iter().map(|s| memory_key(key, s)).collect();
        let got: Vec<Result<Option<bytes::Bytes>, String>> = self.block_on(
            futures_util::stream::iter(keys)
                .map(|k| async move { self.store.get(k.as_str()).await.map_err(|e| e.to_string()) })
                .buffered(64)
                .collect(),
        );
        got.into_iter()
            .zip(sources)
            .map(|(g, &s)| {
                let bytes = g.map_err(|e| self.remote("look up", e))?;
                Ok(bytes
                    .and_then(|b| serde_json::from_slice::<MemoryEntry>(&b).ok())
                    // A hash collision (or a foreign value) is a miss, never a wrong hit.
                    .filter(|v| v.source == s)
                    .map(|v| crate::tm::Hit {
                        text: v.target,
                        notes: v.notes,
                    }))
            })
            .collect()
    }

    fn store(
        &self,
        key: &crate::tm::Key<'_>,
        entries: &[(&str, &str, &[crate::doc::Note])],
    ) -> Result<(), crate::tm::TmError> {
        let at = now();
        let puts: Vec<(String, Vec<u8>)> = entries
            .iter()
            .map(|(source, target, notes)| {
                let v = MemoryEntry {
                    source: source.to_string(),
                    target: target.to_string(),
                    notes: notes.to_vec(),
                    from: key.from.code().to_string(),
                    to: key.to.code().to_string(),
                    engine: key.engine.to_string(),
                    glossary: key.glossary.to_string(),
                    created: at,
                };
                (
                    memory_key(key, source),
                    serde_json::to_vec(&v).unwrap_or_default(),
                )
            })
            .collect();
        let results: Vec<Result<u64, String>> = self.block_on(
            futures_util::stream::iter(puts)
                .map(|(k, v)| async move {
                    self.store
                        .put(k.as_str(), v.into())
                        .await
                        .map_err(|e| e.to_string())
                })
                .buffer_unordered(64)
                .collect(),
        );
        for r in results {
            r.map_err(|e| self.remote("store", e))?;
        }
        Ok(())
    }
}
