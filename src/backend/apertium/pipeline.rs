//! Running an Apertium mode stage by stage, so that its HMM tagger tags every segment as if it
//! were alone.
//!
//! # Why
//!
//! In null-flush mode every stage of a mode translates what came before a NUL on its own,
//! except `apertium-tagger`'s HMM (Debian's apertium 3.8.3, and the code has not changed since):
//! when a word's ambiguity class is not one the tagger was trained on, the tagger looks for the
//! smallest known class that holds it, and keeps the result as its *open class*, the tag set
//! it gives every unknown word from then on, for the rest of the process. The open class only
//! ever shrinks, so no input resets it. After `a lot of` (adjective or quantifier, a class the
//! eng-spa tagger never saw) the unknown `skip` in `to skip functions handling.` gets a smaller
//! tag set, and `functions` turns from a verb into a noun. A segment is affected when an earlier
//! segment of the same process changed the open class and the segment has a word that uses it:
//! an unknown word, or a word of an untrained class.
//!
//! # How
//!
//! The mode's pipeline (as `apertium-wblank-mode -z` writes it, the way `apertium -z` runs it)
//! runs as one shell pipeline as before, with the HMM tagger given `-d` (it then names every
//! word whose class it had to replace) and what goes into and out of the tagger copied aside.
//! A segment holding such a word *changes* the tagger's state; a segment holding one or an
//! unknown word *reads* it. Up to and including the first segment that changes the state, and
//! for every segment that reads nothing, that run is right. The later segments that read the
//! state are tagged again by fresh taggers: those that change nothing together in one,
//! followed by one that does, and every further one that changes the state in a tagger of its
//! own (a fresh tagger costs a few milliseconds; about one segment in a hundred changes the
//! state in English or Spanish text). Where a fresh tagger tags a segment differently, the
//! stages after the tagger run again over those segments only, and their output takes the
//! place of the first.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// A mode's pipeline with its HMM tagger stage singled out.
#[derive(Debug)]
pub(super) struct Pipeline {
    /// The stages before the tagger, as the mode writes them.
    before: Vec<String>,
    tagger: Tagger,
    /// The stages after the tagger.
    after: Vec<String>,
}

/// An HMM tagger stage.
#[derive(Debug)]
struct Tagger {
    /// Its command line.
    argv: Vec<String>,
    /// Whether an unknown word changes the state too (when the tagger's open class is itself
    /// not a trained class): then every segment with an unknown word changes it.
    unknown_changes: bool,
}

/// What `$1` (the generator's option) and `$2` (the tagger's) are for `apertium -f none`
/// without `-u` and `-a`.
const MODE_ARGS: [&str; 2] = ["-g", ""];

impl Pipeline {
    /// The pipeline of the mode file `mode_file`, with its HMM tagger singled out; `None` when
    /// the mode has no HMM tagger (nothing to do: `apertium -z` is right as it is) or its
    /// pipeline cannot be read here (then `apertium` runs it as before).
    pub(super) fn for_mode(mode_file: &Path) -> Option<Pipeline> {
        if !mode_file.is_file() {
            return None;
        }
        let out = Command::new("apertium-wblank-mode")
            .arg("-z")
            .arg(mode_file)
            .stdin(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        Self::parse(text.trim(), probe)
    }

    /// Singles out the first HMM tagger stage of `pipeline`; `is_hmm` tells whether a tagger
    /// command line (with no explicit tagger type) runs an HMM, and whether its unknown words
    /// change its state.
    fn parse(pipeline: &str, is_hmm: impl Fn(&[String]) -> Option<bool>) -> Option<Pipeline> {
        let stages = split_stages(pipeline)?;
        for (k, stage) in stages.iter().enumerate() {
            let Some(argv) = words(stage).filter(|a| tagger_kind(a) == Some(Kind::MaybeHmm)) else {
                continue;
            };
            let Some(unknown_changes) = is_hmm(&argv) else {
                continue;
            };
            let trimmed = |s: &[String]| s.iter().map(|x| x.trim().to_string()).collect();
            return Some(Pipeline {
                before: trimmed(&stages[..k]),
                tagger: Tagger {
                    argv,
                    unknown_changes,
                },
                after: trimmed(&stages[k + 1..]),
            });
        }
        None
    }

    /// Runs the pipeline over `input`, a stream of NUL-terminated segments.
    pub(super) fn run(&self, input: String, watch: Option<Watch<'_>>) -> Result<String, String> {
        let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let file = |name: &str| dir.path().join(name);
        let quoted = |p: &Path| quote(&p.to_string_lossy());
        let tagger = std::iter::once(quote(&self.tagger.argv[0]))
            .chain(std::iter::once("-d".to_string()))
            .chain(self.tagger.argv[1..].iter().map(|a| quote(a)))
            .collect::<Vec<_>>()
            .join(" ");
        let mut stages: Vec<String> = self.before.clone();
        stages.push(format!("tee {}", quoted(&file("in"))));
        stages.push(format!("{tagger} 2>{}", quoted(&file("warnings"))));
        stages.push(format!("tee {}", quoted(&file("out"))));
        stages.extend(self.after.iter().cloned());
        let script = stages.join(" | ");
        let main = shell(&script, &input, watch)?;
        let read = |name: &str| {
            std::fs::read(file(name))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| format!("cannot read the tagger's {name}: {e}"))
        };
        let warned = warned_words(&read("warnings")?);
        if warned.is_empty() && !self.tagger.unknown_changes {
            return Ok(main);
        }
        let tagged_in = read("in")?;
        let tagged_out = read("out")?;
        let fresh = self.tagger.again(&tagged_in, &tagged_out, &warned)?;
        if fresh.is_empty() {
            return Ok(main);
        }
        // The stages after the tagger, over the segments tagged differently.
        let mut batch = String::new();
        for (_, t) in &fresh {
            batch.push_str(t);
            batch.push('\0');
        }
        let redone = if self.after.is_empty() {
            batch
        } else {
            shell(&self.after.join(" | "), &batch, None)?
        };
        let redone: Vec<&str> = redone.split('\0').collect();
        let mut chunks: Vec<&str> = main.split('\0').collect();
        let inputs: Vec<&str> = tagged_in.split('\0').collect();
        for ((i, _), new) in fresh.iter().zip(redone) {
            // The same segment: its chunk exists in the output and opens with the same
            // superblank (the segment's number) as the tagger's input did, if that had one.
            let same = match (chunks.get(*i), inputs.get(*i)) {
                (Some(old), Some(source)) => leading_blank(source)
                    .is_none_or(|b| leading_blank(old) == Some(b) && leading_blank(new) == Some(b)),
                _ => false,
            };
            if same {
                chunks[*i] = new;
            }
        }
        Ok(chunks.join("\0"))
    }
}

/// Runs `script` with `bash -c` and the mode's `$1` and `$2`, over `input`.
fn shell(script: &str, input: &str, watch: Option<Watch<'_>>) -> Result<String, String> {
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(script).arg("apertium").args(MODE_ARGS);
    let out = pipe(cmd, input.as_bytes(), watch).map_err(|e| format!("cannot run bash: {e}"))?;
    checked(out, script)
}

/// `s` quoted for the shell.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The superblank of digits a chunk opens with (`[12]`, the segment's number), if any.
fn leading_blank(chunk: &str) -> Option<&str> {
    let c = chunk.trim_start();
    let end = c.strip_prefix('[')?.find(']')? + 2;
    c[1..end - 1]
        .chars()
        .all(|ch| ch.is_ascii_digit())
        .then(|| &c[..end])
}

/// Whether the tagger command `argv` runs an HMM (`Some`), and if so whether its unknown
/// words change its state. `apertium-tagger -g` without a type option reads a perceptron model
/// if the file is one, an HMM otherwise; `-x` insists on a perceptron and fails on an HMM file.
fn probe(argv: &[String]) -> Option<bool> {
    let perceptron = Command::new(&argv[0])
        .arg("-x")
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if perceptron.success() {
        return None;
    }
    // A fresh tagger and one unknown word: a warning means its open class is untrained.
    let mut cmd = Command::new(&argv[0]);
    cmd.arg("-d").args(&argv[1..]);
    let out = pipe(cmd, b"^zqx/*zqx$\0", None).ok()?;
    if !out.status.success() {
        return None;
    }
    Some(!warned_words(&String::from_utf8_lossy(&out.stderr)).is_empty())
}

/// The kind of tagger a command line runs, if it runs `apertium-tagger` to tag.
#[derive(Debug, PartialEq)]
enum Kind {
    /// `-g` and no type option: a perceptron or an HMM, depending on the model file.
    MaybeHmm,
    /// A perceptron, unigram or sliding-window tagger (no state across segments).
    Other,
}

fn tagger_kind(argv: &[String]) -> Option<Kind> {
    let program = Path::new(argv.first()?).file_name()?.to_str()?;
    if program != "apertium-tagger" {
        return None;
    }
    let (mut tags, mut typed) = (false, false);
    for a in &argv[1..] {
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            tags |= name == "tagger";
            typed |= matches!(name, "perceptron" | "sliding-window" | "unigram");
        } else if let Some(short) = a.strip_prefix('-') {
            tags |= short.contains('g');
            typed |= short.contains(['x', 'w', 'u']);
        }
    }
    tags.then_some(if typed { Kind::Other } else { Kind::MaybeHmm })
}

impl Tagger {
    /// Tags again, each in a fresh tagger as it would be alone, the segments whose tags the
    /// run that read `input` and wrote `output` may have taken from a changed state
    /// (`warned`: the surface forms it warned about); returns those tagged differently now,
    /// by their place in the stream, with their new tags.
    fn again(
        &self,
        input: &str,
        output: &str,
        warned: &HashSet<String>,
    ) -> Result<Vec<(usize, String)>, String> {
        let pieces: Vec<&str> = input.split('\0').collect();
        // The segments are the pieces before a NUL.
        let n = pieces.len() - 1;
        let tagged: Vec<&str> = output.split('\0').collect();
        if tagged.len() <= n {
            // Fewer segments came out than went in: nothing to line up (the reader of the
            // final output checks every segment's number anyway).
            return Ok(Vec::new());
        }
        let unattributed = warned.contains("");
        let state: Vec<State> = pieces[..n]
            .iter()
            .map(|p| State::of(p, warned, self.unknown_changes, unattributed))
            .collect();
        let Some(changer) = state.iter().position(|s| *s == State::Changes) else {
            return Ok(Vec::new());
        };
        let later = (changer + 1..n).filter(|&i| state[i] != State::Independent);
        let (readers, changers): (Vec<usize>, Vec<usize>) =
            later.partition(|&i| state[i] == State::Reads);
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut changers = changers.into_iter();
        let mut head = readers;
        head.extend(changers.next());
        if !head.is_empty() {
            groups.push(head);
        }
        groups.extend(changers.map(|i| vec![i]));
        // A few fresh taggers at a time.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
        let shares: Vec<Vec<Vec<usize>>> = (0..threads)
            .map(|t| groups.iter().skip(t).step_by(threads).cloned().collect())
            .collect();
        let results: Vec<Result<Vec<(usize, String)>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .iter()
                .map(|share| scope.spawn(|| self.tag_groups(share, &pieces)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a tagger thread panicked".into()))
                })
                .collect()
        });
        let mut fresh = Vec::new();
        for r in results {
            fresh.extend(r?.into_iter().filter(|(i, t)| tagged[*i] != t.as_str()));
        }
        fresh.sort_by_key(|(i, _)| *i);
        Ok(fresh)
    }

    /// Tags each group of segments in a fresh tagger.
    fn tag_groups(
        &self,
        groups: &[Vec<usize>],
        pieces: &[&str],
    ) -> Result<Vec<(usize, String)>, String> {
        let name = &self.argv[0];
        let mut out = Vec::new();
        for group in groups {
            let mut batch = String::new();
            for &i in group {
                batch.push_str(pieces[i]);
                batch.push('\0');
            }
            let mut cmd = Command::new(name);
            cmd.args(&self.argv[1..]);
            let result =
                pipe(cmd, batch.as_bytes(), None).map_err(|e| format!("cannot run {name}: {e}"))?;
            let text = checked(result, name)?;
            let chunks: Vec<&str> = text.split('\0').collect();
            if chunks.len() > group.len() {
                out.extend(group.iter().zip(chunks).map(|(&i, c)| (i, c.to_string())));
            }
        }
        Ok(out)
    }
}

/// How a segment stands to the tagger's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Its tags do not depend on the state.
    Independent,
    /// It has an unknown word, whose tags come from the state.
    Reads,
    /// It has a word of an untrained class: it changes the state (and reads it).
    Changes,
}

impl State {
    /// The state of the tagger input `chunk`, given the surface forms the tagger warned about
    /// (`unattributed`: a warning named no surface form: the part after a `+` of a joined
    /// word, so any segment with a joined word may change the state).
    fn of(chunk: &str, warned: &HashSet<String>, unknown: bool, unattributed: bool) -> State {
        let mut state = State::Independent;
        for unit in units(chunk) {
            let changes = warned.contains(unit.surface)
                || (unknown && unit.unknown)
                || (unattributed && unit.joined);
            if changes {
                return State::Changes;
            }
            if unit.unknown {
                state = State::Reads;
            }
        }
        state
    }
}

/// A lexical unit of the tagger's input, `^surface/analysis/…$`.
#[derive(Debug, PartialEq)]
struct Unit<'a> {
    /// The surface form as the stream has it (escapes kept, as the tagger names it).
    surface: &'a str,
    /// No analysis the tagger classifies (none, or only `*unknown` ones).
    unknown: bool,
    /// An analysis joins words with `+`.
    joined: bool,
}

/// The lexical units of a stream chunk. Like the tagger, this knows only `\` escapes and `^…$`:
/// a `^` is a unit wherever it stands unescaped.
fn units(chunk: &str) -> Vec<Unit<'_>> {
    let bytes = chunk.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'^' => {
                let start = i + 1;
                let mut j = start;
                let mut slashes: Vec<usize> = Vec::new();
                let mut joined = false;
                while j < bytes.len() && bytes[j] != b'$' {
                    match bytes[j] {
                        b'\\' => j += 1,
                        b'/' => slashes.push(j),
                        b'+' if !slashes.is_empty() => joined = true,
                        _ => {}
                    }
                    j += 1;
                }
                let end = j.min(bytes.len());
                let surface_end = slashes.first().copied().unwrap_or(end);
                let unknown = slashes.iter().all(|&s| bytes.get(s + 1) == Some(&b'*'));
                out.push(Unit {
                    surface: chunk.get(start..surface_end).unwrap_or_default(),
                    unknown,
                    joined,
                });
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The surface forms `apertium-tagger -d` names as words of a class it was not trained on
/// (`Word 'a lot of'.` after `… new ambiguity class was found.`); an empty string for a
/// warning that names none.
fn warned_words(stderr: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut pending = false;
    for line in stderr.lines() {
        if line.contains("new ambiguity class was found") {
            if pending {
                out.insert(String::new());
            }
            pending = true;
        } else if pending {
            if let Some(word) = line.strip_prefix("Word '") {
                out.insert(word.strip_suffix("'.").unwrap_or(word).to_string());
                pending = false;
            }
        }
    }
    if pending {
        out.insert(String::new());
    }
    out
}

/// Splits a shell pipeline at the `|` that are outside quotes; `None` for what is more than a
/// plain pipeline (`||`, `;`, `&`, subshells, line breaks).
fn split_stages(pipeline: &str) -> Option<Vec<String>> {
    let mut stages = Vec::new();
    let mut current = String::new();
    let mut chars = pipeline.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                current.push(c);
                for q in chars.by_ref() {
                    current.push(q);
                    if q == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                current.push(c);
                while let Some(q) = chars.next() {
                    current.push(q);
                    if q == '\\' {
                        current.extend(chars.next());
                    } else if q == '"' {
                        break;
                    }
                }
            }
            '\\' => {
                current.push(c);
                current.extend(chars.next());
            }
            '|' if chars.peek() == Some(&'|') => return None,
            '|' => stages.push(std::mem::take(&mut current)),
            ';' | '&' | '(' | ')' | '`' | '\n' => return None,
            c => current.push(c),
        }
    }
    stages.push(current);
    Some(stages)
}

/// The words of a simple command as the shell would pass them, with the mode's `$1` and `$2`
/// ([`MODE_ARGS`]); `None` when the stage uses anything else the shell would expand or
/// redirect.
fn words(stage: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut word = String::new();
    // Whether the word has quotes (an empty quoted word is a word; an empty `$2` is none).
    let mut quoted = false;
    let mut chars = stage.chars().peekable();
    let param = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Option<&str> {
        let braced = chars.next_if_eq(&'{').is_some();
        let n = chars.next()?.to_digit(10)?;
        if braced && chars.next() != Some('}') {
            return None;
        }
        MODE_ARGS
            .get(usize::try_from(n).ok()?.checked_sub(1)?)
            .copied()
    };
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if !word.is_empty() || quoted {
                    out.push(std::mem::take(&mut word));
                }
                quoted = false;
            }
            '\'' => {
                quoted = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        q => word.push(q),
                    }
                }
            }
            '"' => {
                quoted = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            e @ ('"' | '\\' | '$' | '`') => word.push(e),
                            e => {
                                word.push('\\');
                                word.push(e);
                            }
                        },
                        '$' => word.push_str(param(&mut chars)?),
                        '`' => return None,
                        q => word.push(q),
                    }
                }
            }
            '\\' => word.extend(chars.next()),
            '$' => word.push_str(param(&mut chars)?),
            c if c.is_alphanumeric() || "-_./=+,:@%".contains(c) => word.push(c),
            _ => return None,
        }
    }
    if !word.is_empty() || quoted {
        out.push(word);
    }
    (!out.is_empty()).then_some(out)
}

/// Follows a process's output for a progress bar: `done(n)` as `n` more NUL-terminated
/// segments come out, up to `segments` in all (what follows them, such as case probes, is not
/// counted).
#[derive(Clone, Copy)]
pub(super) struct Watch<'a> {
    /// How many segments to report at most.
    pub(super) segments: usize,
    /// Called with the number of segments that just came out.
    pub(super) done: &'a (dyn Fn(usize) + Sync),
}

/// Runs `cmd` with `input` on its stdin, collecting stdout and stderr; with `watch`, stdout
/// is read as it comes and every NUL in it is reported.
pub(super) fn pipe(
    mut cmd: Command,
    input: &[u8],
    watch: Option<Watch<'_>>,
) -> std::io::Result<Output> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let mut stdout = child.stdout.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let mut stderr = child.stderr.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let errors = std::thread::spawn(move || {
        let mut err = Vec::new();
        stderr.read_to_end(&mut err).map(|_| err)
    });
    let mut out = Vec::new();
    let mut seen = 0;
    let mut buf = vec![0u8; 64 * 1024];
    let read = loop {
        match stdout.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                let got = &buf[..n];
                if let Some(w) = watch {
                    let new = memchr::memchr_iter(0, got)
                        .count()
                        .min(w.segments.saturating_sub(seen));
                    if new > 0 {
                        seen += new;
                        (w.done)(new);
                    }
                }
                out.extend_from_slice(got);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    drop(stdout);
    let status = child.wait()?;
    read?;
    let stderr = match errors.join() {
        Ok(r) => r?,
        Err(_) => return Err(std::io::Error::other("stderr reader panicked")),
    };
    match writer.join() {
        Ok(r) => r?,
        Err(_) => return Err(std::io::Error::other("writer thread panicked")),
    }
    Ok(Output {
        status,
        stdout: out,
        stderr,
    })
}

/// The stdout of a finished stage, or a message naming the stage and its stderr.
fn checked(out: Output, what: &str) -> Result<String, String> {
    if !out.status.success() {
        return Err(format!(
            "`{what}` exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{what}` wrote invalid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn stages_split_outside_quotes_only() {
        assert_eq!(
            split_stages("a 'x|y' | b \"p|q\" | c \\| d").expect("a pipeline"),
            strings(&["a 'x|y' ", " b \"p|q\" ", " c \\| d"])
        );
        assert_eq!(split_stages("a || b"), None);
        assert_eq!(split_stages("a; b"), None);
        assert_eq!(split_stages("a $(b) | c"), None);
    }

    #[test]
    fn words_as_the_shell_passes_them() {
        assert_eq!(
            words("apertium-tagger -z -g $2 '/usr/share/x y/eng.prob'").expect("words"),
            strings(&["apertium-tagger", "-z", "-g", "/usr/share/x y/eng.prob"])
        );
        assert_eq!(
            words("lt-proc -z $1 \"a\\\"b\" ${2} \"$2\"").expect("words"),
            strings(&["lt-proc", "-z", "-g", "a\"b", ""])
        );
        assert_eq!(words("cg-proc -w file 2>/dev/null"), None);
        assert_eq!(words("cat $HOME"), None);
        assert_eq!(words("ls *.bin"), None);
    }

    #[test]
    fn the_kind_of_tagger_from_its_options() {
        let kind = |s: &str| tagger_kind(&words(s).expect("words"));
        assert_eq!(
            kind("apertium-tagger -z -g $2 'a.prob'"),
            Some(Kind::MaybeHmm)
        );
        assert_eq!(
            kind("/usr/bin/apertium-tagger --tagger a.prob"),
            Some(Kind::MaybeHmm)
        );
        assert_eq!(kind("apertium-tagger -z -gx 'a.prob'"), Some(Kind::Other));
        assert_eq!(
            kind("apertium-tagger -g --sliding-window a.prob"),
            Some(Kind::Other)
        );
        assert_eq!(kind("apertium-tagger -t 8 a.dic a.crp a.tsx a.prob"), None);
        assert_eq!(kind("lt-proc -z -g a.bin"), None);
    }

    #[test]
    fn units_with_their_surface_forms() {
        let chunk = "[3]^a lot of/a lot of<adj>/a lot of<det>$ [[e1]]^skip/*skip$ \\^x ^del/de<pr>+el<det>$^\\/a/\\/a<n>$^.$";
        let units = units(chunk);
        let got: Vec<(&str, bool, bool)> = units
            .iter()
            .map(|u| (u.surface, u.unknown, u.joined))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a lot of", false, false),
                ("skip", true, false),
                ("del", false, true),
                ("\\/a", false, false),
                (".", true, false),
            ]
        );
    }

    #[test]
    fn warnings_name_their_words() {
        let stderr = "Warning: There is not coarse tag for the fine tag '\\$<mon>'\n\
            Error: A new ambiguity class was found. \n\
            Retraining the tagger is necessary so as to take it into account.\n\
            Word 'a lot of'.\n\
            New ambiguity class: {ADJ,DETQNT_ORD}\n\
            Error: A new ambiguity class was found. \n\
            Retraining the tagger is necessary so as to take it into account.\n\
            Word ''.\n";
        let got = warned_words(stderr);
        assert_eq!(got.len(), 2);
        assert!(got.contains("a lot of") && got.contains(""));
        assert!(warned_words("").is_empty());
    }

    #[test]
    fn segments_read_or_change_the_state() {
        let warned: HashSet<String> = ["a lot of".to_string()].into();
        let of = |c: &str| State::of(c, &warned, false, false);
        assert_eq!(of("[0]^a lot of/a lot of<adj>$^./.<sent>$"), State::Changes);
        assert_eq!(of("[1]^to/to<pr>$ ^skip/*skip$"), State::Reads);
        assert_eq!(of("[2]^the/the<det>$ ^house/house<n>$"), State::Independent);
        assert_eq!(
            State::of("[2]^x/*x$", &warned, true, false),
            State::Changes,
            "unknown words change an untrained open class"
        );
        assert_eq!(
            State::of("^del/de<pr>+el<det>$", &warned, false, true),
            State::Changes,
            "a warning without a word: any joined word may be it"
        );
    }

    /// The installed modes: eng-spa's tagger is an HMM, eng-cat's a perceptron (`-gx`).
    #[test]
    fn installed_modes_single_out_their_hmm_tagger() {
        let dir = Path::new("/usr/share/apertium/modes");
        if !dir.join("eng-spa.mode").is_file() {
            assert!(
                std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
                "Apertium mode eng-spa is required"
            );
            return;
        }
        let p = Pipeline::for_mode(&dir.join("eng-spa.mode")).expect("an HMM tagger");
        assert_eq!(
            Path::new(&p.tagger.argv[0])
                .file_name()
                .and_then(|n| n.to_str()),
            Some("apertium-tagger")
        );
        assert!(p.tagger.argv.iter().any(|a| a.ends_with("eng-spa.prob")));
        assert!(p.before.iter().any(|s| s.contains("automorf")));
        assert!(p.after.iter().any(|s| s.contains("autogen")));
        if dir.join("eng-cat.mode").is_file() {
            assert!(Pipeline::for_mode(&dir.join("eng-cat.mode")).is_none());
        }
        assert!(Pipeline::for_mode(&dir.join("no-such.mode")).is_none());
    }
}
