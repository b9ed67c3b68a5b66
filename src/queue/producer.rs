//! The producer side: a [`Backend`] that hands its batches to workers through the queue.
//!
//! A backend call's texts are deduplicated, sorted by length and cut into parts of at most
//! `batch_segments` texts; each part is looked up in the results bucket (work a previous run
//! or another producer had done is not sent again) and what is missing is sent as one job. At most `in_flight` jobs are out at once (back-pressure).
//! Each job is awaited on its `done` subject; while it is out, the results bucket and the
//! dead-letter stream are checked every few seconds and the job published again (a no-op
//! inside the duplicate window), so an announcement lost while the server restarted costs a
//! few seconds, never the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{stream, StreamExt};
use serde::Serialize;
use tokio::sync::Semaphore;

use super::client::Queue;
use super::memory::Stored;
use super::{job_id, result_key, DeadLetter, Done, Job, Outcome};
use crate::backend::{Backend, BackendError, LangPair, SegmentError, Translation};

/// How often a job that is out is checked on (results bucket, dead letters) and re-published.
const RECHECK: Duration = Duration::from_secs(4);

/// Lookups in the results bucket at once.
const LOOKUPS: usize = 64;

/// A job given up by the workers (published on the dead-letter subject).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeadJob {
    /// The job id.
    pub job: String,
    /// The pair, e.g. `ar-en`.
    pub pair: String,
    /// Segments in it.
    pub segments: usize,
    /// Why it was given up.
    pub reason: String,
}

/// What went through the queue in a run.
#[derive(Debug, Default, Clone, Serialize)]
pub struct RunLog {
    /// Jobs published.
    pub jobs: usize,
    /// Segments sent in them.
    pub sent: usize,
    /// Segments found in the results bucket (done before, by this or another run).
    pub stored: usize,
    /// Jobs given up.
    pub dead: Vec<DeadJob>,
}

/// A backend whose work is done by `tarjuman worker` processes.
pub struct QueueBackend {
    name: String,
    engine: String,
    queue: Queue,
    handle: tokio::runtime::Handle,
    permits: Arc<Semaphore>,
    log: Arc<Mutex<RunLog>>,
}

impl QueueBackend {
    /// A backend named `name` that asks the workers for `engine` (a portable engine id),
    /// running its I/O on `handle`; `permits` bounds the jobs out at once over every backend of
    /// the run, and `log` gathers what happened.
    pub fn new(
        name: &str,
        engine: String,
        queue: Queue,
        handle: tokio::runtime::Handle,
        permits: Arc<Semaphore>,
        log: Arc<Mutex<RunLog>>,
    ) -> QueueBackend {
        QueueBackend {
            name: format!("queue:{name}"),
            engine,
            queue,
            handle,
            permits,
            log,
        }
    }

    async fn translate_async(&self, pair: LangPair, texts: &[&str]) -> Vec<Outcome> {
        let (from, to) = (pair.from.code(), pair.to.code());
        let mut unique: Vec<&str> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let slot: Vec<usize> = texts
            .iter()
            .map(|&t| {
                *seen.entry(t).or_insert_with(|| {
                    unique.push(t);
                    unique.len() - 1
                })
            })
            .collect();
        // Jobs of texts of about the same length, as the engine's own batches are cut from a
        // long call: a job of mixed lengths makes the engine's batches wait for their longest
        // text (padding), which a local call of thousands of texts sorted by length avoids.
        let mut order: Vec<usize> = (0..unique.len()).collect();
        order.sort_by_key(|&i| unique[i].len());
        // Each part is looked up in the results bucket and what is missing sent as a job at
        // once, part after part, so that the workers get the first job after one part's
        // lookups rather than the whole call's (the lookups take turns: `turn`).
        let turn = tokio::sync::Mutex::new(());
        let parts = order
            .chunks(self.queue.options.batch_segments.max(1))
            .map(|part| {
                let turn = &turn;
                let unique = &unique;
                async move {
                    let keys: Vec<String> = part
                        .iter()
                        .map(|&i| result_key(&self.engine, from, to, unique[i]))
                        .collect();
                    let mut found = {
                        let _turn = turn.lock().await;
                        lookup(&self.queue, &keys).await
                    };
                    let missing: Vec<usize> =
                        (0..part.len()).filter(|&k| found[k].is_none()).collect();
                    {
                        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
                        log.stored += part.len() - missing.len();
                    }
                    if !missing.is_empty() {
                        let texts: Vec<String> = missing
                            .iter()
                            .map(|&k| unique[part[k]].to_string())
                            .collect();
                        let outcomes = self.run_job(pair, texts).await;
                        for (&k, o) in missing.iter().zip(outcomes) {
                            found[k] = Some(o);
                        }
                    }
                    (part, found)
                }
            });
        let mut results: Vec<Option<Outcome>> = vec![None; unique.len()];
        for (part, found) in futures_util::future::join_all(parts).await {
            for (&i, o) in part.iter().zip(found) {
                results[i] = o;
            }
        }
        slot.iter()
            .map(|&u| {
                results[u].clone().unwrap_or_else(|| Outcome {
                    text: None,
                    notes: Vec::new(),
                    error: Some("no result from the queue".into()),
                })
            })
            .collect()
    }

    /// Runs one job; a job of several segments that the workers give up is cut in halves
    /// and each half sent again, so that a poison segment ends up alone in its job and its
    /// neighbours are translated.
    fn run_job<'a>(
        &'a self,
        pair: LangPair,
        texts: Vec<String>,
    ) -> futures_util::future::LocalBoxFuture<'a, Vec<Outcome>> {
        Box::pin(async move {
            let n = texts.len();
            match self.send_job(pair, texts.clone()).await {
                Ok(results) => results,
                Err((id, reason)) if n == 1 => self.given_up(&id, pair, n, reason),
                Err(_) => {
                    let right = texts[n / 2..].to_vec();
                    let mut left = texts;
                    left.truncate(n / 2);
                    let (mut a, b) = futures_util::future::join(
                        self.run_job(pair, left),
                        self.run_job(pair, right),
                    )
                    .await;
                    a.extend(b);
                    a
                }
            }
        })
    }

    /// Publishes one job and waits for its results, or for the reason it was given up
    /// (`Err((job id, reason))`).
    async fn send_job(
        &self,
        pair: LangPair,
        texts: Vec<String>,
    ) -> Result<Vec<Outcome>, (String, String)> {
        let q = &self.queue;
        let (from, to) = (pair.from.code(), pair.to.code());
        let id = job_id(&self.engine, from, to, &texts);
        let keys: Vec<String> = texts
            .iter()
            .map(|t| result_key(&self.engine, from, to, t))
            .collect();
        let _permit = self.permits.acquire().await;
        let job = Job {
            id: id.clone(),
            from: from.to_string(),
            to: to.to_string(),
            engine: self.engine.clone(),
            texts,
        };
        let n = job.texts.len();
        let payload = bytes::Bytes::from(serde_json::to_vec(&job).unwrap_or_default());
        let subject = q.options.job_subject(pair);
        let mut sub = loop {
            match q.client.subscribe(q.options.done_subject(&id)).await {
                Ok(s) => break s,
                Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
            }
        };
        let publish = || async {
            let mut headers = async_nats::HeaderMap::new();
            headers.insert(async_nats::header::NATS_MESSAGE_ID, id.as_str());
            match q
                .js
                .publish_with_headers(subject.clone(), headers, payload.clone())
                .await
            {
                Ok(ack) => ack.await.is_ok(),
                Err(_) => false,
            }
        };
        // Published once it is acknowledged by the stream; until then, tried again.
        let mut published = publish().await;
        {
            let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
            log.jobs += 1;
            log.sent += n;
        }
        loop {
            let wait = if published {
                RECHECK
            } else {
                Duration::from_millis(500)
            };
            tokio::select! {
                msg = sub.next() => match msg {
                    Some(msg) => {
                        let Ok(done) = serde_json::from_slice::<Done>(&msg.payload) else {
                            continue;
                        };
                        if let Some(reason) = done.dead {
                            return Err((id, reason));
                        }
                        if done.results.len() == n {
                            return Ok(done.results);
                        }
                    }
                    None => {
                        if let Ok(s) = q.client.subscribe(q.options.done_subject(&id)).await {
                            sub = s;
                        }
                    }
                },
                _ = tokio::time::sleep(wait) => {
                    if published {
                        let stored = lookup(q, &keys).await;
                        if stored.iter().all(Option::is_some) {
                            return Ok(stored.into_iter().flatten().collect());
                        }
                        if let Some(dead) = dead_letter(q, &id).await {
                            return Err((id, dead.reason));
                        }
                    }
                    // Lost with a server restart, or never stored: publish again (the
                    // stream drops it as a duplicate if it still has it).
                    published = publish().await || published;
                }
            }
        }
    }

    fn given_up(&self, id: &str, pair: LangPair, n: usize, reason: String) -> Vec<Outcome> {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if !log.dead.iter().any(|d| d.job == id) {
            log.dead.push(DeadJob {
                job: id.to_string(),
                pair: format!("{}-{}", pair.from.code(), pair.to.code()),
                segments: n,
                reason: reason.clone(),
            });
        }
        let message = format!("given up by the queue's workers (job {id}): {reason}");
        (0..n)
            .map(|_| Outcome {
                text: None,
                notes: Vec::new(),
                error: Some(message.clone()),
            })
            .collect()
    }
}

/// The stored results of `keys` (in order; `None` where there is none yet).
async fn lookup(q: &Queue, keys: &[String]) -> Vec<Option<Outcome>> {
    stream::iter(keys)
        .map(|k| async move {
            match q.results.get(k.as_str()).await {
                Ok(Some(bytes)) => serde_json::from_slice::<Stored>(&bytes)
                    .ok()
                    .map(|s| s.outcome),
                _ => None,
            }
        })
        .buffered(LOOKUPS)
        .collect()
        .await
}

/// The dead letter of job `id`, if it was given up.
async fn dead_letter(q: &Queue, id: &str) -> Option<DeadLetter> {
    let stream = q.js.get_stream(q.options.dead_stream()).await.ok()?;
    let raw = stream
        .get_last_raw_message_by_subject(&q.options.dead_subject(id))
        .await
        .ok()?;
    serde_json::from_slice(&raw.payload).ok()
}

impl Backend for QueueBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, _pair: LangPair) -> bool {
        // Which pairs are served is the workers' business; a job no worker takes waits.
        true
    }

    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        if tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread)
        {
            return Err(BackendError::Engine {
                backend: self.name.clone(),
                message: "called inside a current-thread runtime".into(),
            });
        }
        let outcomes = self.handle.block_on(self.translate_async(pair, texts));
        Ok(outcomes
            .into_iter()
            .map(|o| match (o.text, o.error) {
                (Some(text), None) => Ok(Translation {
                    text,
                    notes: o.notes,
                    spans: Vec::new(),
                }),
                (_, error) => Err(SegmentError {
                    message: error.unwrap_or_else(|| "no translation".into()),
                }),
            })
            .collect())
    }
}
