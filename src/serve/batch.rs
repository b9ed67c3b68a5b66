//! Dynamic batching: the segments of concurrent requests are gathered into engine batches.
//!
//! A [`Batcher`] stands in front of a backend. Each request's pipeline calls it like any
//! backend, from its own thread; the call is queued, and one worker thread per backend takes
//! the queue in batches: the first waiting call, everything queued behind it, and whatever
//! arrives until the first call has waited `max_wait` — or sooner, when every request in
//! flight has joined, or the batch holds `max_segments`. While the engine runs a batch, the
//! next one fills up, so under load the engine sees batches as large as the load, and one
//! request alone waits for nobody.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::backend::{Backend, BackendError, LangPair, SegmentError, Translation};

/// What one call gets back: a result per segment, or why the whole engine call failed.
type Reply = Result<Vec<Result<Translation, SegmentError>>, String>;

/// One queued call.
struct Job {
    pair: LangPair,
    texts: Vec<String>,
    queued: Instant,
    reply: mpsc::SyncSender<Reply>,
}

/// How batches are cut.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions {
    /// The longest a call waits for others to join its batch.
    pub max_wait: Duration,
    /// A batch stops taking calls once it holds this many segments.
    pub max_segments: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            max_wait: Duration::from_millis(5),
            max_segments: 1024,
        }
    }
}

/// Told about every engine batch: how many segments it held and how many calls they came
/// from.
pub type BatchObserver = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// A backend that batches the calls of concurrent callers (see the module documentation).
pub struct Batcher {
    name: String,
    inner: Arc<dyn Backend>,
    queue: Mutex<mpsc::Sender<Job>>,
}

impl Batcher {
    /// Starts the worker thread of `inner`. `in_flight` tells how many requests may still
    /// call (a batch stops waiting once that many calls are in it); `observe` is told about
    /// every engine batch.
    pub fn start(
        inner: Arc<dyn Backend>,
        options: BatchOptions,
        in_flight: Arc<AtomicUsize>,
        observe: BatchObserver,
    ) -> Batcher {
        let (tx, rx) = mpsc::channel::<Job>();
        let worker = Arc::clone(&inner);
        let name = inner.name().to_string();
        let spawned = std::thread::Builder::new()
            .name(format!("batch {name}"))
            .spawn(move || work(worker, rx, options, in_flight, observe));
        if let Err(e) = spawned {
            // No worker: every call fails with this reason (the queue's receiver is gone).
            tracing::error!("tarjuman: cannot start the batching thread of {name}: {e}");
        }
        Batcher {
            name,
            inner,
            queue: Mutex::new(tx),
        }
    }
}

impl Backend for Batcher {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, pair: LangPair) -> bool {
        self.inner.supports(pair)
    }

    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let engine = |message: String| BackendError::Engine {
            backend: self.name.clone(),
            message,
        };
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job {
            pair,
            texts: texts.iter().map(|t| t.to_string()).collect(),
            queued: Instant::now(),
            reply,
        };
        let sent = self
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job);
        if sent.is_err() {
            return Err(engine("the batching thread is gone".into()));
        }
        match answer.recv() {
            Ok(Ok(results)) => Ok(results),
            Ok(Err(message)) => Err(engine(message)),
            Err(_) => Err(engine("the batching thread is gone".into())),
        }
    }
}

/// The worker: takes calls off the queue in batches until every sender is gone.
fn work(
    inner: Arc<dyn Backend>,
    queue: mpsc::Receiver<Job>,
    options: BatchOptions,
    in_flight: Arc<AtomicUsize>,
    observe: BatchObserver,
) {
    while let Ok(first) = queue.recv() {
        let deadline = first.queued + options.max_wait;
        let mut segments = first.texts.len();
        let mut jobs = vec![first];
        loop {
            // Everything already waiting joins.
            while segments < options.max_segments {
                match queue.try_recv() {
                    Ok(job) => {
                        segments += job.texts.len();
                        jobs.push(job);
                    }
                    Err(_) => break,
                }
            }
            // Full, or every request that could call has called: go.
            if segments >= options.max_segments || jobs.len() >= in_flight.load(Ordering::Acquire) {
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            match queue.recv_timeout(deadline - now) {
                Ok(job) => {
                    segments += job.texts.len();
                    jobs.push(job);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        observe(segments, jobs.len());
        run(inner.as_ref(), jobs);
    }
}

/// Runs one batch: one engine call per language pair, identical texts sent once; every call
/// gets its own results back.
fn run(inner: &dyn Backend, jobs: Vec<Job>) {
    let mut pairs: Vec<LangPair> = Vec::new();
    for job in &jobs {
        if !pairs.contains(&job.pair) {
            pairs.push(job.pair);
        }
    }
    let mut replies: Vec<Option<Reply>> = (0..jobs.len()).map(|_| None).collect();
    for pair in pairs {
        let members: Vec<usize> = (0..jobs.len()).filter(|&i| jobs[i].pair == pair).collect();
        let mut first: HashMap<&str, usize> = HashMap::new();
        let mut inputs: Vec<&str> = Vec::new();
        // Per member: the slot of each of its texts in `inputs`.
        let slots: Vec<Vec<usize>> = members
            .iter()
            .map(|&i| {
                jobs[i]
                    .texts
                    .iter()
                    .map(|t| {
                        *first.entry(t.as_str()).or_insert_with(|| {
                            inputs.push(t.as_str());
                            inputs.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let outcome = catch_unwind(AssertUnwindSafe(|| inner.translate(pair, &inputs)));
        for (k, &i) in members.iter().enumerate() {
            replies[i] = Some(match &outcome {
                Ok(Ok(results)) => Ok(slots[k]
                    .iter()
                    .map(|&s| {
                        results.get(s).cloned().unwrap_or_else(|| {
                            Err(SegmentError {
                                message: format!("{}: no result", inner.name()),
                            })
                        })
                    })
                    .collect()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err(format!("{}: the engine failed (panic)", inner.name())),
            });
        }
    }
    for (job, reply) in jobs.into_iter().zip(replies) {
        if let Some(reply) = reply {
            // The caller may have gone (its connection closed): nothing to do then.
            let _ = job.reply.send(reply);
        }
    }
}
