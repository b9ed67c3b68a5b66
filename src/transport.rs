//! Where a bulk run's engine batches are translated: the one small interface between the
//! bulk runner (`cli::feed`) and the engines.
//!
//! - [`LocalEngines`]: in this process, by the backends the options name (the default).
//! - [`QueueTransport`]: by `tarjuman worker` processes, through NATS JetStream
//!   ([`crate::queue`]).
//!
//! Everything else of a run (fetching, parsing, segmenting, detecting, the translation
//! memory, the glossary, the checks, writing) happens in the runner either way, so both give
//! the same output.

use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

use crate::bulk::ReportLine;
use crate::error::{Error, Result};
use crate::queue::client::{self, Queue};
use crate::queue::producer::{QueueBackend, RunLog};
use crate::queue::QueueOptions;
use crate::route::Router;

/// Where the engine work of a run is done.
pub trait Transport {
    /// The router the run's pipeline uses: `router`'s routes, with backends that translate
    /// here or send the work away.
    fn engines(&self, router: Router) -> Result<Router>;

    /// Lines for the run's report about the transport itself (empty for local engines).
    fn report(&self) -> Vec<ReportLine>;
}

/// The backends of the options, in this process.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalEngines;

impl Transport for LocalEngines {
    fn engines(&self, router: Router) -> Result<Router> {
        Ok(router)
    }

    fn report(&self) -> Vec<ReportLine> {
        Vec::new()
    }
}

/// Workers reached through NATS JetStream.
pub struct QueueTransport {
    queue: Queue,
    handle: tokio::runtime::Handle,
    permits: Arc<Semaphore>,
    log: Arc<Mutex<RunLog>>,
}

impl QueueTransport {
    /// Connects (on `runtime`) to the server the options name; an unreachable server is an
    /// error naming its URL.
    pub fn connect(options: &QueueOptions, runtime: &tokio::runtime::Runtime) -> Result<Self> {
        QueueTransport::connect_on(options, runtime.handle().clone(), "tarjuman feed")
    }

    /// [`QueueTransport::connect`] on a runtime's handle, from outside its async context (or
    /// inside `block_in_place`); `name` is the client's name on the server.
    pub fn connect_on(
        options: &QueueOptions,
        handle: tokio::runtime::Handle,
        name: &str,
    ) -> Result<Self> {
        let queue = handle
            .block_on(client::connect(options, name))
            .map_err(|e| Error::Usage(e.to_string()))?;
        Ok(QueueTransport {
            permits: Arc::new(Semaphore::new(options.in_flight.max(1))),
            queue,
            handle,
            log: Arc::default(),
        })
    }

    /// What went through the queue so far.
    pub fn log(&self) -> RunLog {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Transport for QueueTransport {
    fn engines(&self, router: Router) -> Result<Router> {
        Ok(router.with_backends(|name, engine| {
            Arc::new(QueueBackend::new(
                name,
                engine,
                self.queue.clone(),
                self.handle.clone(),
                Arc::clone(&self.permits),
                Arc::clone(&self.log),
            ))
        }))
    }

    fn report(&self) -> Vec<ReportLine> {
        let log = self.log();
        let mut lines: Vec<ReportLine> = log
            .dead
            .iter()
            .map(|d| ReportLine::DeadLetter {
                job: d.job.clone(),
                pair: d.pair.clone(),
                segments: d.segments,
                reason: d.reason.clone(),
            })
            .collect();
        lines.push(ReportLine::Queue {
            url: self.queue.options.url.clone(),
            jobs: log.jobs,
            sent: log.sent,
            stored: log.stored,
            dead: log.dead.len(),
        });
        lines
    }
}
