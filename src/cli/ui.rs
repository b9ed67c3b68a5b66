//! How the command line talks to its user: `-q/--quiet`, `-v/--verbose` and `--color`, set
//! once by the binary and read wherever diagnostics are printed.
//!
//! Diagnostics have the shape `FILE:LINE[:COL]: severity[kind]: message`; in colour the place
//! is bold and the severity red (error), yellow (warning) or cyan (info), as compilers print.

use std::io::{IsTerminal, Write};
use std::sync::{Mutex, OnceLock};

/// When to colour diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything but an empty value) or `TERM` is
    /// `dumb`.
    #[default]
    Auto,
    /// Always (also into files and pipes).
    Always,
    /// Never.
    Never,
}

/// The user's choices for this process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui {
    /// Only errors: no warnings, infos, progress bars or closing lines.
    pub quiet: bool,
    /// Infos too (pivots, markup placement, memory hits).
    pub verbose: bool,
    /// The colour choice.
    pub color: ColorChoice,
}

static UI: OnceLock<Ui> = OnceLock::new();

/// Sets the choices for the rest of the process (the first call wins).
pub fn configure(ui: Ui) {
    let _ = UI.set(ui);
}

fn ui() -> Ui {
    UI.get().copied().unwrap_or_default()
}

/// `-q`: print only errors.
pub fn quiet() -> bool {
    ui().quiet
}

/// `-v`: print infos too.
pub fn verbose() -> bool {
    ui().verbose && !ui().quiet
}

/// Whether progress bars and closing lines may be drawn on standard error.
pub fn chatty_terminal() -> bool {
    !quiet() && std::io::stderr().is_terminal()
}

/// Which stream a diagnostic goes to.
#[derive(Debug, Clone, Copy)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Whether to colour what goes to `stream`.
pub fn colored(stream: Stream) -> bool {
    match ui().color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
            let terminal = match stream {
                Stream::Stdout => std::io::stdout().is_terminal(),
                Stream::Stderr => std::io::stderr().is_terminal(),
            };
            terminal && !no_color && !dumb
        }
    }
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Colours one diagnostic line (`PLACE: severity[kind]: message`) for `stream` when colour is
/// on; any other line is returned as it is.
pub fn paint(line: &str, stream: Stream) -> String {
    if !colored(stream) {
        return line.to_string();
    }
    for (word, colour) in [
        ("error", "\x1b[1;31m"),
        ("warning", "\x1b[1;33m"),
        ("info", "\x1b[1;36m"),
    ] {
        let tag = format!(": {word}[");
        if let Some(at) = line.find(&tag) {
            let place = &line[..at];
            let rest = &line[at + 2 + word.len()..];
            let (kind, message) = match rest.find("]") {
                Some(end) => rest.split_at(end + 1),
                None => (rest, ""),
            };
            return format!("{BOLD}{place}{RESET}: {colour}{word}{kind}{RESET}{message}");
        }
    }
    line.to_string()
}

/// The progress bar (or set of bars) being drawn, if any: diagnostics are printed past it.
enum Active {
    Bar(indicatif::ProgressBar),
    Multi(indicatif::MultiProgress),
}

static ACTIVE: Mutex<Option<Active>> = Mutex::new(None);

/// While alive, diagnostics are written above the bar it was made for (the bar is cleared,
/// the line written, the bar drawn again), so that no stale copy of a bar stays in the
/// scrollback.
#[must_use = "the bar is forgotten when the guard is dropped"]
pub struct BarGuard(());

impl Drop for BarGuard {
    fn drop(&mut self) {
        *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// Diagnostics go past `bar` until the guard is dropped.
pub fn show_bar(bar: &indicatif::ProgressBar) -> BarGuard {
    *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = Some(Active::Bar(bar.clone()));
    BarGuard(())
}

/// Diagnostics go past the bars of `multi` until the guard is dropped.
pub fn show_bars(multi: &indicatif::MultiProgress) -> BarGuard {
    *ACTIVE.lock().unwrap_or_else(|e| e.into_inner()) = Some(Active::Multi(multi.clone()));
    BarGuard(())
}

/// Writes `bytes` to standard error, past the active progress bar if one is drawn.
fn write_past_bars(bytes: &[u8]) -> std::io::Result<()> {
    let write = || {
        let mut err = std::io::stderr().lock();
        err.write_all(bytes).and_then(|()| err.flush())
    };
    let active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
    match &*active {
        Some(Active::Bar(bar)) => bar.suspend(write),
        Some(Active::Multi(multi)) => multi.suspend(write),
        None => write(),
    }
}

/// The writer of the diagnostics subscriber: one formatted event per `write`.
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        write_past_bars(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The environment variable with a diagnostics filter in `RUST_LOG`'s syntax (`warn`,
/// `tarjuman=info,async_nats=debug`, `off`); it overrides `-q`/`-v`.
pub const LOG_VAR: &str = "TARJUMAN_LOG";

/// Installs the diagnostics subscriber for the process (after [`configure`]): events at or
/// above the level the user chose (`-q`: errors; default: warnings; `-v`: infos; or the
/// `TARJUMAN_LOG` filter) are written to standard error as their message alone (diagnostics
/// carry their own `tarjuman: error:` or `FILE:LINE: warning[kind]:` prefix), past any
/// progress bar.
pub fn init_diagnostics() {
    let default = if quiet() {
        "error"
    } else if verbose() {
        "tarjuman=info,warn"
    } else {
        "warn"
    };
    let filter = std::env::var(LOG_VAR)
        .ok()
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .event_format(MessageOnly)
        .with_env_filter(filter)
        .with_writer(|| Stderr)
        .try_init();
}

/// Formats an event as its message alone, as written (a diagnostic carries its own prefix
/// and, when colour is on, its own colours).
struct MessageOnly;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for MessageOnly
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let mut message = Message(String::new());
        event.record(&mut message);
        writeln!(writer, "{}", message.0)
    }
}

/// The `message` field of an event.
struct Message(String);

impl tracing::field::Visit for Message {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_string();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            // `format_args!` messages print as written through `Debug`.
            self.0 = format!("{value:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_place_and_severity_only_when_asked() {
        configure(Ui {
            color: ColorChoice::Always,
            ..Ui::default()
        });
        let line = "a.txt:3: warning[unknown-word]: `Xyzzy`: unknown";
        let painted = paint(line, Stream::Stderr);
        assert!(painted.starts_with("\x1b[1ma.txt:3\x1b[0m: \x1b[1;33mwarning[unknown-word]"));
        assert!(painted.ends_with(": `Xyzzy`: unknown"));
        assert_eq!(
            paint("no diagnostic here", Stream::Stderr),
            "no diagnostic here"
        );
    }
}
