//! The worker side: take jobs of the pairs this worker's engines serve, translate them, store
//! every segment's result in the results bucket, and only then acknowledge and announce them
//! (acknowledged first, so that a job the producer hears about is gone from the stream, and
//! `--queue-in-flight` bounds the stream's jobs exactly).
//!
//! A worker that dies mid-job never acknowledges it: JetStream delivers it again after the
//! ack wait (the worker extends that wait while it translates, so a slow batch is not taken
//! twice). A job delivered more than `max_deliver` times (it crashed or failed every worker
//! that took it) is not tried again: it is published on the dead-letter subject, acknowledged
//! and announced as given up, and the run goes on.
//!
//! For tests of that path, `TARJUMAN_WORKER_ABORT_ON=TEXT` makes a worker abort (as an engine
//! crash would) when a job holds a segment containing `TEXT`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::consumer::PullConsumer;
use async_nats::jetstream::{AckKind, Message};
use futures_util::StreamExt;

use super::client::Queue;
use super::memory::Stored;
use super::{result_key, DeadLetter, Done, Job, Outcome, QueueError};
use crate::backend::{Backend, LangPair};

/// One engine of a worker: the pair it serves, the engine id jobs must ask for, the backend.
#[derive(Clone)]
pub struct Engine {
    /// The pair.
    pub pair: LangPair,
    /// Its portable engine id ([`crate::route::Router::portable_engine_id`]).
    pub engine: String,
    /// The backend that translates.
    pub backend: Arc<dyn Backend>,
}

/// What a worker did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct WorkerStats {
    /// Jobs translated and acknowledged.
    pub jobs: usize,
    /// Segments in them.
    pub segments: usize,
    /// Jobs given up (dead-lettered) by this worker.
    pub dead: usize,
}

/// What one delivery came to, for [`WorkerStats`].
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    jobs: usize,
    segments: usize,
    dead: usize,
}

impl WorkerStats {
    fn add(&mut self, t: Tally) {
        self.jobs += t.jobs;
        self.segments += t.segments;
        self.dead += t.dead;
    }
}

/// Serves jobs until `stop` is set (then finishes the jobs in hand) or, with `idle_exit`,
/// until no job came for that long. Up to `concurrent` jobs are worked on at once (at least
/// one): while one is translated the next is fetched, and an engine with several replicas
/// gets a job for each.
pub async fn run(
    queue: &Queue,
    engines: &[Engine],
    name: &str,
    stop: Arc<AtomicBool>,
    idle_exit: Option<Duration>,
    concurrent: usize,
) -> Result<WorkerStats, QueueError> {
    let concurrent = concurrent.max(1);
    let mut consumers: Vec<(PullConsumer, &Engine)> = Vec::new();
    for e in engines {
        consumers.push((queue.consumer(e.pair).await?, e));
    }
    let abort_on: Option<Arc<str>> = std::env::var("TARJUMAN_WORKER_ABORT_ON")
        .ok()
        .filter(|s| !s.is_empty())
        .map(Arc::from);
    let name: Arc<str> = Arc::from(name);
    let mut stats = WorkerStats::default();
    let mut idle_since = tokio::time::Instant::now();
    let mut next = 0usize;
    let mut in_hand: tokio::task::JoinSet<Tally> = tokio::task::JoinSet::new();
    // One pair waits on the server; several are polled in turn.
    let expires = if consumers.len() == 1 {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(100)
    };
    while !stop.load(Ordering::Relaxed) {
        // Collect what has finished; wait for a slot when all are taken.
        while let Some(done) = in_hand.try_join_next() {
            stats.add(done.unwrap_or_default());
        }
        if in_hand.len() >= concurrent {
            if let Some(done) = in_hand.join_next().await {
                stats.add(done.unwrap_or_default());
            }
            continue;
        }
        let mut got = None;
        for k in 0..consumers.len() {
            let (consumer, engine) = &consumers[(next + k) % consumers.len()];
            let batch = consumer
                .batch()
                .max_messages(1)
                .expires(expires)
                .messages()
                .await;
            let Ok(mut batch) = batch else {
                // The server is away (restarting): wait for the client to reconnect.
                tokio::time::sleep(Duration::from_millis(250)).await;
                continue;
            };
            if let Some(Ok(msg)) = batch.next().await {
                got = Some((msg, *engine));
                next = (next + k + 1) % consumers.len();
                break;
            }
        }
        let Some((msg, engine)) = got else {
            if in_hand.is_empty() && idle_exit.is_some_and(|d| idle_since.elapsed() >= d) {
                break;
            }
            continue;
        };
        idle_since = tokio::time::Instant::now();
        in_hand.spawn(handle(
            queue.clone(),
            engine.clone(),
            Arc::clone(&name),
            msg,
            abort_on.clone(),
        ));
    }
    while let Some(done) = in_hand.join_next().await {
        stats.add(done.unwrap_or_default());
    }
    Ok(stats)
}

/// Works on one delivery of a job: translates it, stores the results, acknowledges and
/// announces it (or gives it up, or lets it be delivered again).
async fn handle(
    queue: Queue,
    engine: Engine,
    name: Arc<str>,
    msg: Message,
    abort_on: Option<Arc<str>>,
) -> Tally {
    let mut tally = Tally::default();
    let options = &queue.options;
    let delivered = msg.info().map(|i| i.delivered).unwrap_or(1);
    let job: Job = match serde_json::from_slice(&msg.payload) {
        Ok(job) => job,
        Err(e) => {
            // Not a job of ours: nothing can ever translate it.
            let _ = msg.ack_with(AckKind::Term).await;
            tracing::warn!("tarjuman worker: dropped a message that is not a job: {e}");
            return tally;
        }
    };
    if job.engine != engine.engine {
        let reason = format!(
            "asks for engine {}, the workers of {}-{} have {}",
            job.engine, job.from, job.to, engine.engine
        );
        if delivered >= i64::from(options.max_deliver) {
            give_up(&queue, &name, &msg, job, reason, delivered, &mut tally).await;
        } else {
            // Another worker of this pair may have that engine.
            let _ = msg
                .ack_with(AckKind::Nak(Some(Duration::from_secs(1))))
                .await;
        }
        return tally;
    }
    if delivered > i64::from(options.max_deliver) {
        let reason = format!(
            "delivered {} times without being done (its input crashed or failed the engine every time)",
            delivered - 1
        );
        give_up(&queue, &name, &msg, job, reason, delivered, &mut tally).await;
        return tally;
    }
    if let Some(needle) = abort_on.as_deref() {
        if job.texts.iter().any(|t| t.contains(needle)) {
            eprintln!(
                "tarjuman worker: aborting on job {} (TARJUMAN_WORKER_ABORT_ON)",
                job.id
            );
            std::process::abort();
        }
    }
    // Translate on the blocking pool, telling the server we are alive meanwhile.
    let backend = Arc::clone(&engine.backend);
    let pair = engine.pair;
    let texts = job.texts.clone();
    let mut work = tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        backend.translate(pair, &refs)
    });
    let mut tick = tokio::time::interval((options.ack_wait / 3).max(Duration::from_millis(200)));
    tick.tick().await;
    let result = loop {
        tokio::select! {
            r = &mut work => break r,
            _ = tick.tick() => { let _ = msg.ack_with(AckKind::Progress).await; }
        }
    };
    let outcomes: Vec<Outcome> = match result {
        Ok(Ok(results)) if results.len() == job.texts.len() => results
            .into_iter()
            .map(|r| match r {
                Ok(t) => Outcome {
                    text: Some(t.text),
                    notes: t.notes,
                    error: None,
                },
                Err(e) => Outcome {
                    text: None,
                    notes: Vec::new(),
                    error: Some(e.message),
                },
            })
            .collect(),
        other => {
            let reason = match other {
                Ok(Ok(r)) => format!(
                    "the engine returned {} results for {} segments",
                    r.len(),
                    job.texts.len()
                ),
                Ok(Err(e)) => e.to_string(),
                Err(e) => format!("the engine panicked: {e}"),
            };
            if delivered >= i64::from(options.max_deliver) {
                give_up(&queue, &name, &msg, job, reason, delivered, &mut tally).await;
            } else {
                tracing::warn!(
                    "tarjuman worker: job {} failed ({reason}); it will be retried",
                    job.id
                );
                let _ = msg
                    .ack_with(AckKind::Nak(Some(Duration::from_secs(1))))
                    .await;
            }
            return tally;
        }
    };
    if let Some(n) = finish(queue.clone(), name.to_string(), msg, job, outcomes).await {
        tally.jobs += 1;
        tally.segments += n;
    }
    tally
}

/// Stores every result, then acknowledges the job, then announces the results; returns its
/// segment count once acknowledged. A failure before the acknowledgement leaves the job to be
/// delivered again (storing twice is harmless). The results are announced even when the
/// acknowledgement failed: they are stored, and the job delivered again is done again
/// harmlessly. An announcement lost costs the producer a recheck of the bucket, never the job.
async fn finish(
    queue: Queue,
    name: String,
    msg: Message,
    job: Job,
    outcomes: Vec<Outcome>,
) -> Option<usize> {
    let options = &queue.options;
    let at = super::memory::now();
    let entries: Vec<(String, bytes::Bytes)> = job
        .texts
        .iter()
        .zip(&outcomes)
        .map(|(text, outcome)| {
            let stored = Stored {
                source: text.clone(),
                from: job.from.clone(),
                to: job.to.clone(),
                engine: job.engine.clone(),
                at,
                outcome: outcome.clone(),
            };
            (
                result_key(&job.engine, &job.from, &job.to, text),
                bytes::Bytes::from(serde_json::to_vec(&stored).unwrap_or_default()),
            )
        })
        .collect();
    if let Err(e) = store_results(&queue, entries).await {
        tracing::warn!(
            "tarjuman worker: could not store the results of job {} ({e}); it will be delivered again",
            job.id
        );
        return None;
    }
    let acked = msg.double_ack().await.is_ok();
    let done = Done {
        id: job.id.clone(),
        results: outcomes,
        dead: None,
        worker: name,
    };
    let _ = queue
        .client
        .publish(
            options.done_subject(&job.id),
            bytes::Bytes::from(serde_json::to_vec(&done).unwrap_or_default()),
        )
        .await;
    acked.then_some(job.texts.len())
}

/// Stores a job's results in the results bucket: every value but the last is published
/// without asking for an acknowledgement, the last one with one. The stream takes the
/// messages of one connection in the order they were sent, so the acknowledgement of the last
/// vouches for the others — unless the client reconnected meanwhile (what was in the broken
/// connection is lost): then every value is stored again, each acknowledged. One acknowledged
/// put per segment cost the server and the worker about as much CPU as the rest of the queue
/// (BENCHMARKS.md).
async fn store_results(queue: &Queue, entries: Vec<(String, bytes::Bytes)>) -> Result<(), String> {
    let kv = &queue.results;
    let Some(((last_key, last_value), rest)) = entries.split_last() else {
        return Ok(());
    };
    let acked_each = || async {
        let puts = entries.iter().map(|(k, v)| kv.put(k.as_str(), v.clone()));
        for r in futures_util::future::join_all(puts).await {
            r.map_err(|e| e.to_string())?;
        }
        Ok(())
    };
    if kv.use_jetstream_prefix {
        // A JetStream domain prefixes the subjects; `put` knows how.
        return acked_each().await;
    }
    let prefix = kv.put_prefix.as_deref().unwrap_or(&kv.prefix);
    let stats = queue.client.statistics();
    let connects = stats.connects.load(Ordering::Relaxed);
    let mut sent = true;
    for (key, value) in rest {
        if queue
            .client
            .publish(format!("{prefix}{key}"), value.clone())
            .await
            .is_err()
        {
            sent = false;
            break;
        }
    }
    let last = kv.put(last_key.as_str(), last_value.clone()).await;
    if sent && last.is_ok() && stats.connects.load(Ordering::Relaxed) == connects {
        return Ok(());
    }
    acked_each().await
}

/// Publishes a job on the dead-letter subject, acknowledges it and announces it as given up.
async fn give_up(
    queue: &Queue,
    name: &str,
    msg: &Message,
    job: Job,
    reason: String,
    delivered: i64,
    tally: &mut Tally,
) {
    let options = &queue.options;
    tracing::warn!("tarjuman worker: giving up job {}: {reason}", job.id);
    let id = job.id.clone();
    let letter = DeadLetter {
        job,
        reason: reason.clone(),
        delivered,
    };
    let published = match queue
        .js
        .publish(
            options.dead_subject(&id),
            bytes::Bytes::from(serde_json::to_vec(&letter).unwrap_or_default()),
        )
        .await
    {
        Ok(ack) => ack.await.is_ok(),
        Err(_) => false,
    };
    if !published {
        return; // delivered again later
    }
    if msg.double_ack().await.is_ok() {
        tally.dead += 1;
    }
    let done = Done {
        id: id.clone(),
        results: Vec::new(),
        dead: Some(reason),
        worker: name.to_string(),
    };
    let _ = queue
        .client
        .publish(
            options.done_subject(&id),
            bytes::Bytes::from(serde_json::to_vec(&done).unwrap_or_default()),
        )
        .await;
}
