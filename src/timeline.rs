//! A timeline of one run for finding serial phases: with `TARJUMAN_TIMELINE` set (to
//! anything but empty or `0`), [`mark`] writes one line per call to standard error:
//! milliseconds since the first mark of the process, the calling thread's CPU time so far,
//! the thread and the phase. Off, a mark costs one relaxed atomic load after the first.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// The variable that turns the timeline on.
pub const VAR: &str = "TARJUMAN_TIMELINE";

/// 0: not looked at yet; 1: off; 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static START: OnceLock<Instant> = OnceLock::new();

/// Whether the timeline is on (reads the environment once).
pub fn on() -> bool {
    match STATE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let on = std::env::var_os(VAR).is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            if on {
                // The clock's own reading, to line the marks up with a scheduler trace
                // (`perf sched record -k mono`).
                eprintln!(
                    "timeline start {:?} pid {}",
                    START.get_or_init(Instant::now),
                    std::process::id()
                );
            }
            on
        }
    }
}

/// Writes the phase `what` with the time and the thread, when the timeline is on.
pub fn mark(what: &str) {
    if !on() {
        return;
    }
    let wall = START.get().map(Instant::elapsed).unwrap_or_default();
    let thread = std::thread::current();
    let name = thread
        .name()
        .map_or_else(|| format!("{:?}", thread.id()), str::to_string);
    eprintln!(
        "timeline {:8.2} ms  cpu {:7.2} ms  {:<14} {what}",
        wall.as_secs_f64() * 1e3,
        thread_cpu_ms(),
        name
    );
}

/// The calling thread's time on a CPU so far, in milliseconds (0 where unknown).
fn thread_cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}
