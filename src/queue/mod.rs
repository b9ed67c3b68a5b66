//! The queue transport: engine batches carried over NATS JetStream to `tarjuman worker`
//! processes on any number of hosts.
//!
//! - [`client`]: connecting (URL, credentials, TLS) with a clear error when the server cannot
//!   be reached, and the streams, consumers and key-value bucket every party expects.
//! - [`producer`]: [`producer::QueueBackend`], a [`crate::backend::Backend`] whose batches are
//!   published as jobs and whose results come back from the workers (`feed --queue`).
//! - [`worker`]: the worker loop (`tarjuman worker`).
//!
//! Subjects (all under one prefix, `tarjuman` by default):
//!
//! | subject | what | stream |
//! | --- | --- | --- |
//! | `P.jobs.FROM-TO` | a [`Job`]: one engine batch of a language pair | `P_JOBS` (work queue, file store) |
//! | `P.done.ID` | a [`Done`]: the results of job `ID`, or why it was given up | none (plain NATS) |
//! | `P.dead.ID` | a job given up after `max_deliver` deliveries, with the reason | `P_DEAD` (kept) |
//!
//! Results are stored per segment in the key-value bucket `P_results` (key: a hash of the
//! engine, the pair and the text) **before** the worker acknowledges the job, so a job whose
//! worker dies is redelivered, and a producer started again finds finished work there instead
//! of sending it again. Jobs carry `Nats-Msg-Id` = their id, so a job published twice within
//! the stream's duplicate window is stored once.

pub mod client;
pub mod memory;
pub mod producer;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::backend::LangPair;
use crate::doc::Note;

/// How to reach the queue and how jobs are cut and retried.
#[derive(Debug, Clone)]
pub struct QueueOptions {
    /// Server URL(s), comma-separated: `nats://HOST:PORT`, `tls://HOST:PORT`.
    pub url: String,
    /// A NATS credentials file (JWT and NKey seed).
    pub creds: Option<PathBuf>,
    /// User and password.
    pub user: Option<(String, String)>,
    /// CA certificate(s) (PEM) to verify the server with.
    pub tls_ca: Option<PathBuf>,
    /// Client certificate and key (PEM) for mutual TLS.
    pub tls_cert: Option<(PathBuf, PathBuf)>,
    /// Require TLS even for a `nats://` URL.
    pub tls_required: bool,
    /// Subject and stream prefix (several independent deployments on one server).
    pub prefix: String,
    /// Segments per job at most.
    pub batch_segments: usize,
    /// Jobs a producer has out at once at most (back-pressure).
    pub in_flight: usize,
    /// How long a worker may hold a job without acknowledging it before it is redelivered
    /// (workers extend it while they translate).
    pub ack_wait: Duration,
    /// Deliveries of a job after which it is given up (published on the dead-letter subject).
    pub max_deliver: u32,
    /// How long to try to reach the server at start.
    pub connect_timeout: Duration,
}

impl QueueOptions {
    /// Options for `url` with the defaults.
    pub fn new(url: impl Into<String>) -> QueueOptions {
        QueueOptions {
            url: url.into(),
            creds: None,
            user: None,
            tls_ca: None,
            tls_cert: None,
            tls_required: false,
            prefix: "tarjuman".into(),
            batch_segments: 256,
            in_flight: 32,
            ack_wait: Duration::from_secs(30),
            max_deliver: 3,
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// The work-queue stream.
    pub fn jobs_stream(&self) -> String {
        format!("{}_JOBS", self.prefix.to_ascii_uppercase())
    }

    /// The dead-letter stream.
    pub fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.prefix.to_ascii_uppercase())
    }

    /// The key-value bucket of segment results.
    pub fn results_bucket(&self) -> String {
        format!("{}_results", self.prefix)
    }

    /// The key-value bucket of the shared translation memory.
    pub fn memory_bucket(&self) -> String {
        format!("{}_tm", self.prefix)
    }

    /// The subject of a pair's jobs.
    pub fn job_subject(&self, pair: LangPair) -> String {
        format!(
            "{}.jobs.{}-{}",
            self.prefix,
            pair.from.code(),
            pair.to.code()
        )
    }

    /// The subject a job's results are announced on.
    pub fn done_subject(&self, id: &str) -> String {
        format!("{}.done.{id}", self.prefix)
    }

    /// The dead-letter subject of a job.
    pub fn dead_subject(&self, id: &str) -> String {
        format!("{}.dead.{id}", self.prefix)
    }

    /// The durable consumer that serves a pair's jobs to every worker.
    pub fn consumer_name(&self, pair: LangPair) -> String {
        format!("{}-{}-{}", self.prefix, pair.from.code(), pair.to.code())
    }
}

/// Errors of the queue transport.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The server could not be reached (or refused the connection).
    #[error("cannot reach the NATS server at {url}: {message}")]
    Unreachable {
        /// The URL given.
        url: String,
        /// What the client said.
        message: String,
    },
    /// The server refused the credentials given (or asked for some and none were given).
    #[error("the NATS server at {url} refused the connection: {message}")]
    Refused {
        /// The URL given.
        url: String,
        /// What the server said, and which credentials were given.
        message: String,
    },
    /// A queue option is wrong (a credentials or certificate file, a URL).
    #[error("{0}")]
    Options(String),
    /// JetStream refused or failed an operation.
    #[error("NATS JetStream at {url}: {message}")]
    JetStream {
        /// The server URL.
        url: String,
        /// What failed.
        message: String,
    },
}

/// One engine batch: what a worker translates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// The job id (a hash of engine, pair and texts).
    pub id: String,
    /// Source language code.
    pub from: String,
    /// Target language code.
    pub to: String,
    /// The engine asked for (see [`crate::route::Router::portable_engine_id`]).
    pub engine: String,
    /// The segments, as the backend is to receive them.
    pub texts: Vec<String>,
}

/// The result of one segment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Outcome {
    /// The translation (absent when the engine rejected the segment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The engine's notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Why the segment could not be translated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A job's announcement on its `done` subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Done {
    /// The job id.
    pub id: String,
    /// One result per text of the job (empty when the job was given up).
    #[serde(default)]
    pub results: Vec<Outcome>,
    /// Why the job was given up (dead-lettered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead: Option<String>,
    /// The worker that did it.
    #[serde(default)]
    pub worker: String,
}

/// What is published on the dead-letter subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The job.
    pub job: Job,
    /// Why it was given up.
    pub reason: String,
    /// Deliveries it had.
    pub delivered: i64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key-value key of a segment's result: engine, pair and text, hashed.
pub fn result_key(engine: &str, from: &str, to: &str, text: &str) -> String {
    let mut h = Sha256::new();
    for part in [engine, from, to, text] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    format!("r{}", &hex(&h.finalize())[..40])
}

/// The id of a job: engine, pair and texts, hashed.
pub fn job_id(engine: &str, from: &str, to: &str, texts: &[String]) -> String {
    let mut h = Sha256::new();
    for part in [engine, from, to] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    for t in texts {
        h.update((t.len() as u64).to_le_bytes());
        h.update(t.as_bytes());
    }
    hex(&h.finalize())[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_distinct() {
        let a = result_key("ct2:m:beam1", "ar", "en", "x");
        assert_eq!(a, result_key("ct2:m:beam1", "ar", "en", "x"));
        assert_ne!(a, result_key("ct2:m:beam1", "ar", "en", "y"));
        assert_ne!(a, result_key("ct2:m:beam2", "ar", "en", "x"));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_ne!(
            job_id("e", "ar", "en", &t(&["ab", "c"])),
            job_id("e", "ar", "en", &t(&["a", "bc"]))
        );
    }
}
