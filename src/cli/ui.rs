//! How the command line talks to its user: `-q/--quiet`, `-v/--verbose` and `--color`, set
//! once by the binary and read wherever diagnostics are printed.
//!
//! Diagnostics have the shape `FILE:LINE[:COL]: severity[kind]: message`; in colour the place
//! is bold and the severity red (error), yellow (warning) or cyan (info), as compilers print.

use std::io::IsTerminal;
use std::sync::OnceLock;

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
