//! The service's counters, served at `/metrics` in the Prometheus text format (version
//! 0.0.4): requests by path and status, their latency, segments and characters translated,
//! engine batch sizes, errors by kind, requests in flight and the process's memory.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A histogram with fixed bucket bounds.
struct Histogram {
    bounds: &'static [f64],
    /// Per bound, the observations at most that bound (not cumulative; summed when written).
    counts: Vec<AtomicU64>,
    count: AtomicU64,
    /// The sum of observations, in millionths (latencies in µs, sizes × 10⁶).
    sum_micros: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    fn observe(&self, value: f64) {
        if let Some(i) = self.bounds.iter().position(|&b| value <= b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add((value * 1e6).round() as u64, Ordering::Relaxed);
    }

    fn write(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {count}");
    }
}

const LATENCY_BOUNDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
const SIZE_BOUNDS: &[f64] = &[
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 4096.0,
];

/// The paths counted by name; any other path is counted as `other` (so that scanners cannot
/// grow the label set).
const KNOWN_PATHS: &[&str] = &[
    "/",
    "/translate",
    "/translate_file",
    "/download_file",
    "/detect",
    "/languages",
    "/frontend/settings",
    "/health",
    "/spec",
    "/metrics",
    "/check",
    "/suggest",
];

/// The path label of a request path.
pub fn path_label(path: &str) -> &'static str {
    if path.starts_with("/download_file/") {
        return "/download_file";
    }
    KNOWN_PATHS
        .iter()
        .find(|&&p| p == path)
        .copied()
        .unwrap_or("other")
}

/// The service's counters.
pub struct Metrics {
    started: Instant,
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    latency: Histogram,
    segments: AtomicU64,
    characters: AtomicU64,
    batch_segments: Histogram,
    batch_requests: Histogram,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    in_flight: AtomicI64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            started: Instant::now(),
            requests: Mutex::new(BTreeMap::new()),
            latency: Histogram::new(LATENCY_BOUNDS),
            segments: AtomicU64::new(0),
            characters: AtomicU64::new(0),
            batch_segments: Histogram::new(SIZE_BOUNDS),
            batch_requests: Histogram::new(SIZE_BOUNDS),
            errors: Mutex::new(BTreeMap::new()),
            in_flight: AtomicI64::new(0),
        }
    }
}

impl Metrics {
    /// A request started.
    pub fn begin(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    /// A request ended with `status` after `elapsed`.
    pub fn end(&self, path: &'static str, status: u16, elapsed: Duration) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        *self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((path, status))
            .or_default() += 1;
        self.latency.observe(elapsed.as_secs_f64());
        if status >= 400 {
            let kind = match status {
                400 => "bad-request",
                403 => "forbidden",
                404 => "not-found",
                405 => "method-not-allowed",
                408 => "timeout",
                413 => "too-large",
                429 => "limited",
                _ if status >= 500 => "server",
                _ => "other",
            };
            self.error(kind);
        }
    }

    /// An error of `kind` happened.
    pub fn error(&self, kind: &'static str) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(kind)
            .or_default() += 1;
    }

    /// `segments` segments of `characters` characters went through the pipeline.
    pub fn translated(&self, segments: usize, characters: usize) {
        self.segments.fetch_add(segments as u64, Ordering::Relaxed);
        self.characters
            .fetch_add(characters as u64, Ordering::Relaxed);
    }

    /// The engine ran a batch of `segments` segments gathered from `requests` calls.
    pub fn batch(&self, segments: usize, requests: usize) {
        self.batch_segments.observe(segments as f64);
        self.batch_requests.observe(requests as f64);
    }

    /// The counters in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP tarjuman_http_requests_total HTTP requests by path and status.\n");
        out.push_str("# TYPE tarjuman_http_requests_total counter\n");
        for ((path, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "tarjuman_http_requests_total{{path=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        self.latency.write(
            &mut out,
            "tarjuman_http_request_duration_seconds",
            "Time from request to response.",
        );
        out.push_str("# HELP tarjuman_http_requests_in_flight Requests being served.\n");
        out.push_str("# TYPE tarjuman_http_requests_in_flight gauge\n");
        let _ = writeln!(
            out,
            "tarjuman_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        out.push_str("# HELP tarjuman_segments_total Segments translated (or passed through).\n");
        out.push_str("# TYPE tarjuman_segments_total counter\n");
        let _ = writeln!(
            out,
            "tarjuman_segments_total {}",
            self.segments.load(Ordering::Relaxed)
        );
        out.push_str("# HELP tarjuman_characters_total Characters of text sent to translate.\n");
        out.push_str("# TYPE tarjuman_characters_total counter\n");
        let _ = writeln!(
            out,
            "tarjuman_characters_total {}",
            self.characters.load(Ordering::Relaxed)
        );
        self.batch_segments.write(
            &mut out,
            "tarjuman_engine_batch_segments",
            "Segments per engine batch.",
        );
        self.batch_requests.write(
            &mut out,
            "tarjuman_engine_batch_requests",
            "Requests whose segments shared one engine batch.",
        );
        out.push_str("# HELP tarjuman_errors_total Failed requests by kind.\n");
        out.push_str("# TYPE tarjuman_errors_total counter\n");
        for (kind, n) in self.errors.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(out, "tarjuman_errors_total{{kind=\"{kind}\"}} {n}");
        }
        if let Some(rss) = resident_bytes() {
            out.push_str("# HELP process_resident_memory_bytes Resident memory size in bytes.\n");
            out.push_str("# TYPE process_resident_memory_bytes gauge\n");
            let _ = writeln!(out, "process_resident_memory_bytes {rss}");
        }
        out.push_str("# HELP tarjuman_uptime_seconds Seconds since the service started.\n");
        out.push_str("# TYPE tarjuman_uptime_seconds gauge\n");
        let _ = writeln!(
            out,
            "tarjuman_uptime_seconds {:.3}",
            self.started.elapsed().as_secs_f64()
        );
        out
    }
}

/// The process's resident memory (Linux: `/proc/self/statm`).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}
