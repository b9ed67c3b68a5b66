//! Apertium backend: runs the `apertium` command (Debian packages `apertium` and
//! `apertium-XXX-YYY`) for a language pair such as `spa-eng`.
//!
//! The whole batch goes through one `apertium` process, one segment per line. Apertium marks
//! words it does not know with `*` (and generation/transfer problems with `#` and `@`); those
//! marks are taken out of the text and become notes on the segment instead.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Translation};
use crate::doc::{Note, Severity};

/// Settings of an Apertium backend.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApertiumOptions {
    /// The mode to run, e.g. `spa-eng` (default: ISO 639-3 codes of the route's pair).
    pub pair: Option<String>,
    /// The `apertium` executable (default: `apertium` on the PATH).
    pub command: Option<PathBuf>,
    /// A data directory with modes not installed system-wide (`apertium -d`).
    pub directory: Option<PathBuf>,
}

/// An Apertium language pair.
pub struct ApertiumBackend {
    name: String,
    options: ApertiumOptions,
    modes: Vec<String>,
}

impl ApertiumBackend {
    /// Checks that `apertium` runs and lists its installed modes.
    pub fn new(options: ApertiumOptions) -> Result<Self, BackendError> {
        let mut cmd = Command::new(options.command.as_deref().unwrap_or("apertium".as_ref()));
        if let Some(d) = &options.directory {
            cmd.arg("-d").arg(d);
        }
        let out = cmd.arg("-l").stdin(Stdio::null()).output().map_err(|e| BackendError::Engine {
            backend: "apertium".into(),
            message: format!(
                "cannot run `apertium` ({e}); install it with `apt-get install apertium` and a pair package such as `apertium-eng-spa`"
            ),
        })?;
        let modes: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let name = match &options.pair {
            Some(p) => format!("apertium:{p}"),
            None => "apertium".to_string(),
        };
        let backend = ApertiumBackend {
            name,
            options,
            modes,
        };
        if let Some(p) = &backend.options.pair {
            if !backend.modes.iter().any(|m| m == p) {
                return Err(backend.missing_mode(p));
            }
        }
        Ok(backend)
    }

    /// The installed modes (`apertium -l`), e.g. `eng-spa`.
    pub fn modes(&self) -> &[String] {
        &self.modes
    }

    fn mode_for(&self, pair: LangPair) -> String {
        self.options
            .pair
            .clone()
            .unwrap_or_else(|| format!("{}-{}", pair.from.iso3(), pair.to.iso3()))
    }

    fn missing_mode(&self, mode: &str) -> BackendError {
        let installed = if self.modes.is_empty() {
            "none".to_string()
        } else {
            self.modes.join(", ")
        };
        BackendError::Engine {
            backend: self.name.clone(),
            message: format!(
                "Apertium mode `{mode}` is not installed (installed: {installed}); Debian packages are named like `apertium-eng-spa`"
            ),
        }
    }

    fn run(&self, mode: &str, input: &str) -> Result<String, BackendError> {
        let engine = |message: String| BackendError::Engine {
            backend: self.name.clone(),
            message,
        };
        let mut cmd = Command::new(
            self.options
                .command
                .as_deref()
                .unwrap_or("apertium".as_ref()),
        );
        if let Some(d) = &self.options.directory {
            cmd.arg("-d").arg(d);
        }
        let mut child = cmd
            .args(["-f", "txt", mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| engine(format!("cannot start apertium: {e}")))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| engine("no stdin for apertium".into()))?;
        let data = input.to_string();
        let writer = std::thread::spawn(move || stdin.write_all(data.as_bytes()));
        let out = child
            .wait_with_output()
            .map_err(|e| engine(format!("apertium failed: {e}")))?;
        match writer.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(engine(format!("writing to apertium: {e}"))),
            Err(_) => return Err(engine("writer thread panicked".into())),
        }
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(engine(format!(
                "apertium {mode} exited with {}: {}",
                out.status,
                err.trim()
            )));
        }
        String::from_utf8(out.stdout).map_err(|_| engine("apertium wrote invalid UTF-8".into()))
    }
}

/// Removes Apertium's marks (`*unknown`, `#ungenerated`, `@untransferred`) from `line`,
/// returning the clean text and one note per marked word. A mark that already stood in the
/// `source` text (a hashtag, a handle) is text, not a mark, and stays.
pub fn strip_marks(line: &str, source: &str) -> (String, Vec<Note>) {
    let mut out = String::with_capacity(line.len());
    let mut notes = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut prev: Option<char> = None;
    // A mark's word stands in the source only where the source has that mark character:
    // looked up there (most sources have none), not searched for through the whole source for
    // every marked word (a long sentence of unknown names was quadratic).
    let in_source: Vec<usize> = source
        .match_indices(['*', '#', '@'])
        .map(|(at, _)| at)
        .collect();
    let stands_in_source =
        |token: &str| in_source.iter().any(|&at| source[at..].starts_with(token));
    while let Some((i, c)) = chars.next() {
        let at_word_start = prev.is_none_or(|p| !p.is_alphanumeric());
        let next_is_letter = chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if matches!(c, '*' | '#' | '@') && at_word_start && next_is_letter {
            let rest = &line[i + 1..];
            let end = rest
                .char_indices()
                .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’'))
                .map_or(rest.len(), |(k, _)| k);
            let word = rest[..end].trim_end_matches(['-', '\'', '’']);
            if stands_in_source(&line[i..i + 1 + word.len()]) {
                out.push(c);
                prev = Some(c);
                continue;
            }
            let (kind, what) = match c {
                '*' => ("unknown-word", "unknown to Apertium, copied untranslated"),
                '#' => ("generation-error", "Apertium could not generate this form"),
                _ => ("transfer-error", "Apertium could not transfer this word"),
            };
            notes.push(
                Note::new(kind, Severity::Warning, format!("`{word}`: {what}")).with_text(word),
            );
            prev = Some(c);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    (out, notes)
}

impl Backend for ApertiumBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, pair: LangPair) -> bool {
        let mode = self.mode_for(pair);
        self.modes.contains(&mode)
    }

    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        let mode = self.mode_for(pair);
        if !self.modes.contains(&mode) {
            return Err(self.missing_mode(&mode));
        }
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // One segment per line; segments never contain line breaks (they are normalised first),
        // but make sure of it here too.
        let lines: Vec<String> = texts.iter().map(|t| t.replace(['\n', '\r'], " ")).collect();
        let output = self.run(&mode, &(lines.join("\n") + "\n"))?;
        let out_lines: Vec<&str> = output.trim_end_matches('\n').split('\n').collect();
        let per_segment: Vec<String> = if out_lines.len() == lines.len() {
            out_lines.into_iter().map(str::to_string).collect()
        } else {
            // Line structure was not kept: fall back to one run per segment.
            lines
                .iter()
                .map(|l| {
                    self.run(&mode, &format!("{l}\n"))
                        .map(|o| o.trim_end().to_string())
                })
                .collect::<Result<_, _>>()?
        };
        Ok(per_segment
            .iter()
            .zip(&lines)
            .map(|(line, src)| {
                let (text, notes) = strip_marks(line.trim(), src);
                Ok(Translation { text, notes })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_notes() {
        let (t, n) = strip_marks(
            "The president of Tajikistan, *Emomali *Rajmón, received to Putin in *Dusambé.",
            "El presidente de Tayikistán, Emomali Rajmón, recibió a Putin en Dusambé.",
        );
        assert_eq!(
            t,
            "The president of Tajikistan, Emomali Rajmón, received to Putin in Dusambé."
        );
        let words: Vec<_> = n.iter().map(|x| x.text.as_deref().unwrap_or("")).collect();
        assert_eq!(words, vec!["Emomali", "Rajmón", "Dusambé"]);
        assert!(n.iter().all(|x| x.kind == "unknown-word"));
    }

    #[test]
    fn ordinary_symbols_stay() {
        let (t, n) = strip_marks("5 * 3 = 15 and #*hashtag, @user? no: a*b", "#hashtag @user");
        assert_eq!(t, "5 * 3 = 15 and #hashtag, @user? no: a*b");
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].text.as_deref(), Some("hashtag"));
    }
}
