//! Apertium backend: runs the `apertium` command (Debian packages `apertium` and
//! `apertium-XXX-YYY`) for a language pair such as `spa-eng`.
//!
//! # One process per batch, every segment on its own
//!
//! To Apertium a line break is blank space inside one running text: fed one segment per line,
//! its transfer rules reorder and join words across segments (`nonsense`, `verb`, `cow`, `cows`
//! came back as `Vacas`, `de`, `vaca`, `de verbo de barbaridad`). So the backend writes
//! Apertium's own stream format and runs the pipeline in null-flush mode (`apertium -f none
//! -z MODE`): every segment ends with a NUL byte, each stage of the pipeline translates what
//! came before a NUL on its own and flushes it with a NUL. A segment is written the way
//! `apertium-destxt` writes a text file (stream characters escaped with `\`, a `~` as a
//! superblank, and `.[]` at the end: without that period Apertium drops a final one), after a
//! superblank with its number, `[7]`; what comes back is checked against the numbers, and a
//! segment whose chunk is missing or out of place is run again alone.
//!
//! # Markup
//!
//! The words of an inline element go inside a wordbound blank, `[[e3]]casa roja[[/]]`, which
//! Apertium carries with the words through reordering and joining (`[[e1; e2]]` for words
//! joined from two elements). Each word is marked with its innermost element only; elements
//! get the words of their children too. An element with no text (an image) rides on the word
//! before it (`a4`: after this word) or after it (`b4`: before it). Element boundaries inside a
//! word are widened to the whole word, which Apertium would otherwise split.
//!
//! # The tagger's state
//!
//! One stage does not treat each segment on its own: the HMM part-of-speech tagger of
//! `apertium-tagger` keeps a state across null flushes (see [`pipeline`]). For a mode with such
//! a tagger the backend runs the mode's stages itself instead of `apertium`, with the tagger
//! stage arranged so that every segment is tagged as a fresh tagger tags it; other modes (and a
//! configured `command`, which is run as it is) go through `apertium -f none -z`.
//!
//! Apertium marks words it does not know with `*` (and generation/transfer problems with `#`
//! and `@`); those marks are taken out of the text and become notes on the segment instead.

mod pipeline;

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Source, Translation};
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
    /// The pipelines of the modes run so far, cut at their HMM taggers (`None`: run by
    /// `apertium`).
    pipelines: Mutex<HashMap<String, Option<Arc<pipeline::Pipeline>>>>,
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
            pipelines: Mutex::default(),
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

    /// The pipeline of `mode` cut at its HMM taggers, if it has one and the mode file is found
    /// where `apertium` looks for it (`-d DIR`, else `$APERTIUM_DATADIR`, else
    /// `/usr/share/apertium`). Worked out once per mode.
    fn pipeline(&self, mode: &str) -> Option<Arc<pipeline::Pipeline>> {
        if self.options.command.is_some() {
            return None;
        }
        let mut known = self.pipelines.lock().unwrap_or_else(|e| e.into_inner());
        known
            .entry(mode.to_string())
            .or_insert_with(|| {
                let dir = self.options.directory.clone().unwrap_or_else(|| {
                    std::env::var_os("APERTIUM_DATADIR")
                        .map_or_else(|| PathBuf::from("/usr/share/apertium"), PathBuf::from)
                });
                pipeline::Pipeline::for_mode(&dir.join("modes").join(format!("{mode}.mode")))
                    .map(Arc::new)
            })
            .clone()
    }

    /// Runs `mode` in null-flush mode over `input`, a stream of NUL-terminated segments,
    /// reporting segments to `watch` as they come out.
    fn run(
        &self,
        mode: &str,
        input: String,
        watch: Option<pipeline::Watch<'_>>,
    ) -> Result<String, BackendError> {
        let engine = |message: String| BackendError::Engine {
            backend: self.name.clone(),
            message,
        };
        if let Some(p) = self.pipeline(mode) {
            return p
                .run(input, watch)
                .map_err(|e| engine(format!("Apertium mode {mode}: {e}")));
        }
        let mut cmd = Command::new(
            self.options
                .command
                .as_deref()
                .unwrap_or("apertium".as_ref()),
        );
        if let Some(d) = &self.options.directory {
            cmd.arg("-d").arg(d);
        }
        cmd.args(["-f", "none", "-z", mode]);
        let out = pipeline::pipe(cmd, input.as_bytes(), watch).map_err(|e| {
            engine(match e.kind() {
                std::io::ErrorKind::NotFound => format!("cannot start apertium: {e}"),
                _ => format!("apertium failed: {e}"),
            })
        })?;
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

    /// Translates `sources` in one process; segments whose output did not come back in place
    /// are run again, each alone.
    fn translate_stream(
        &self,
        mode: &str,
        sources: &[Source<'_>],
        done: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        let plans: Vec<Plan> = sources.iter().map(|s| Plan::new(s.text, s.spans)).collect();
        // Segments that open with placeholders get a second, plain run with a comma after
        // them, which tells the case their first word has inside a sentence (see `case_probe`).
        let probes: Vec<(usize, String)> = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| case_probe(s.text).map(|p| (i, p)))
            .collect();
        let mut input = String::with_capacity(
            sources.iter().map(|s| s.text.len() + 16).sum::<usize>()
                + probes.iter().map(|(_, p)| p.len() + 16).sum::<usize>(),
        );
        for (i, (s, plan)) in sources.iter().zip(&plans).enumerate() {
            encode(&mut input, i, s.text, plan);
        }
        for (j, (_, probe)) in probes.iter().enumerate() {
            encode(&mut input, sources.len() + j, probe, &Plan::default());
        }
        let watch = pipeline::Watch {
            segments: sources.len(),
            done,
        };
        let output = self.run(mode, input, Some(watch))?;
        let mut chunks = output.split('\0');
        let mut results = Vec::with_capacity(sources.len());
        for (i, (s, plan)) in sources.iter().zip(&plans).enumerate() {
            let decoded = chunks.next().and_then(|c| decode(c, i));
            let decoded = match decoded {
                Some(d) => d,
                None => {
                    let mut alone = String::new();
                    encode(&mut alone, 0, s.text, plan);
                    let out = self.run(mode, alone, None)?;
                    match out.split('\0').next().and_then(|c| decode(c, 0)) {
                        Some(d) => d,
                        None => {
                            results.push(Err(SegmentError {
                                message: format!(
                                    "Apertium's output for this segment could not be read: {:?}",
                                    out.split('\0').next().unwrap_or_default()
                                ),
                            }));
                            continue;
                        }
                    }
                }
            };
            results.push(Ok(finish(decoded, s, plan)));
        }
        for (j, (i, probe)) in probes.iter().enumerate() {
            let Some(decoded) = chunks.next().and_then(|c| decode(c, sources.len() + j)) else {
                continue;
            };
            let (inside, _, _) = strip_marks_at(&decoded.text, probe);
            if let Some(Ok(t)) = results.get_mut(*i) {
                follow_case(&mut t.text, inside.trim());
            }
        }
        Ok(results)
    }
}

/// The words of `text` (runs of letters and digits) with their byte ranges.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A segment that opens with placeholders (glossary names, codes: `ZQX1 items were deleted.`)
/// is a sentence whose first word, to Apertium, is the word after them: an unknown word does
/// not end the sentence start, and its rules capitalize that word (`ZQX1 Los elementos…`)
/// although it stands inside the sentence. The probe is the same text with a comma after the
/// placeholders (`ZQX1, items were deleted.`): there Apertium gives the word the case it has
/// inside a sentence — the source's, or the dictionary's for a name (`lunes` → `Monday`).
/// `None` when the segment does not open with a placeholder followed by a word.
fn case_probe(text: &str) -> Option<String> {
    let mut end = None;
    for (at, word) in words(text) {
        let gap = &text[end.unwrap_or(0)..at];
        // Placeholders separated by blanks only; the first may follow opening punctuation.
        let separated = match end {
            None => gap.chars().all(|c| !c.is_alphanumeric()),
            Some(_) => !gap.is_empty() && gap.chars().all(char::is_whitespace),
        };
        if !separated {
            return None;
        }
        if crate::glossary::protect::is_placeholder(word) {
            end = Some(at + word.len());
            continue;
        }
        let first = word.chars().next()?;
        return (end.is_some() && first.is_alphabetic()).then(|| {
            let e = end.unwrap_or_default();
            format!("{},{}", &text[..e], &text[e..])
        });
    }
    None
}

/// Gives the first word after the leading placeholders of `text` (a translation) the case of
/// its first letter in `probe` (the translation of the segment's [`case_probe`]), when both
/// open with placeholders and that word is the same word in both.
fn follow_case(text: &mut String, probe: &str) {
    let first_word = |t: &str| -> Option<(usize, String)> {
        let mut seen = false;
        for (at, w) in words(t) {
            if crate::glossary::protect::is_placeholder(w) {
                seen = true;
                continue;
            }
            return seen.then(|| (at, w.to_string()));
        }
        None
    };
    let (Some((at, word)), Some((_, inside))) = (first_word(text), first_word(probe)) else {
        return;
    };
    let (Some(now), Some(want)) = (word.chars().next(), inside.chars().next()) else {
        return;
    };
    // Only the case of that one letter changes, the rest of the word being the same, and only
    // where it keeps its byte length (the places of the segment's markup are byte ranges of
    // this text).
    if now != want
        && now.len_utf8() == want.len_utf8()
        && now.to_lowercase().eq(want.to_lowercase())
        && word[now.len_utf8()..] == inside[want.len_utf8()..]
    {
        text.replace_range(at..at + now.len_utf8(), want.encode_utf8(&mut [0; 4]));
    }
}

/// How the inline spans of a segment are written into the stream: the items of the wordbound
/// blank around each run of text.
#[derive(Debug, Default)]
struct Plan {
    /// Runs of the text in order, with the items of their wordbound blank (none: plain text).
    runs: Vec<(Range<usize>, Vec<Item>)>,
    /// The parent of each span.
    parents: Vec<Option<usize>>,
}

/// One entry of a wordbound blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// The words belong to span `k` (their innermost element).
    In(usize),
    /// Span `k`, which has no text, comes right after these words.
    After(usize),
    /// Span `k`, which has no text, comes right before these words.
    Before(usize),
}

impl Item {
    fn write(self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = match self {
            Item::In(k) => write!(out, "e{k}"),
            Item::After(k) => write!(out, "a{k}"),
            Item::Before(k) => write!(out, "b{k}"),
        };
    }

    fn parse(s: &str) -> Option<Item> {
        let s = s.trim();
        let n = s.get(1..)?.parse().ok()?;
        match s.as_bytes().first()? {
            b'e' => Some(Item::In(n)),
            b'a' => Some(Item::After(n)),
            b'b' => Some(Item::Before(n)),
            _ => None,
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Widens `at` to the start (`back`) or end of the word it falls inside, if it does.
fn snap(text: &str, at: usize, back: bool) -> usize {
    let inside = text[..at].chars().next_back().is_some_and(is_word_char)
        && text[at..].chars().next().is_some_and(is_word_char);
    if !inside {
        return at;
    }
    if back {
        text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    } else {
        text[at..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len(), |(i, _)| at + i)
    }
}

/// The word a span with no text at `at` rides on, and whether it comes after that word: the
/// word it is glued to, else the word before it, else the word after it. `None` when the text
/// has no word.
fn anchor(text: &str, at: usize) -> Option<(Range<usize>, bool)> {
    let glued_after = text[at..].chars().next().is_some_and(is_word_char);
    let glued_before = text[..at].chars().next_back().is_some_and(is_word_char);
    if glued_after && !glued_before {
        return Some((at..word_end(text, at), false));
    }
    let before = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_word_char(c))
        .map(|(i, c)| i + c.len_utf8());
    if let Some(end) = before {
        let end = if glued_before {
            word_end(text, at)
        } else {
            end
        };
        return Some((word_start(text, end)..end, true));
    }
    let start = text[at..]
        .char_indices()
        .find(|&(_, c)| is_word_char(c))
        .map(|(i, _)| at + i)?;
    Some((start..word_end(text, start), false))
}

/// The start of the word ending at `end`.
fn word_start(text: &str, end: usize) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The end of the word starting at `start`.
fn word_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(i, _)| start + i)
}

impl Plan {
    fn new(text: &str, spans: &[Range<usize>]) -> Plan {
        if spans.is_empty() {
            return Plan::default();
        }
        let valid = |r: &Range<usize>| {
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        };
        // Element ranges widened to whole words.
        let ranges: Vec<Option<Range<usize>>> = spans
            .iter()
            .map(|r| {
                (valid(r) && !r.is_empty())
                    .then(|| snap(text, r.start, true)..snap(text, r.end, false))
            })
            .collect();
        let parents = super::span_parents(spans);
        // Anchors of the spans with no text.
        let mut anchors: Vec<(Range<usize>, Item)> = Vec::new();
        for (k, r) in spans.iter().enumerate() {
            if r.is_empty() && valid(r) {
                if let Some((w, after)) = anchor(text, r.start) {
                    anchors.push((
                        w,
                        if after {
                            Item::After(k)
                        } else {
                            Item::Before(k)
                        },
                    ));
                }
            }
        }
        let mut cuts: Vec<usize> = vec![0, text.len()];
        for r in ranges.iter().flatten() {
            cuts.extend([r.start, r.end]);
        }
        for (w, _) in &anchors {
            cuts.extend([w.start, w.end]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        // Elements by start (outer first), to sweep with a stack of the open ones.
        let mut order: Vec<usize> = (0..spans.len()).filter(|&k| ranges[k].is_some()).collect();
        order.sort_by_key(|&k| {
            let r = ranges[k].clone().unwrap_or_default();
            (r.start, std::cmp::Reverse(r.end), k)
        });
        anchors.sort_by_key(|(w, _)| w.start);
        let (mut next, mut next_anchor) = (0, 0);
        let mut stack: Vec<usize> = Vec::new();
        let mut runs = Vec::with_capacity(cuts.len());
        for pair in cuts.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let end_of = |k: usize| ranges[k].as_ref().map_or(0, |r| r.end);
            while stack.last().is_some_and(|&k| end_of(k) <= from) {
                stack.pop();
            }
            while let Some(&k) = order.get(next) {
                let r = ranges[k].clone().unwrap_or_default();
                if r.start > from {
                    break;
                }
                if r.end > from {
                    while stack.last().is_some_and(|&t| end_of(t) < r.end) {
                        stack.pop();
                    }
                    stack.push(k);
                }
                next += 1;
            }
            let mut items = Vec::new();
            if let Some(&k) = stack.last() {
                items.push(Item::In(k));
            }
            while let Some((w, item)) = anchors.get(next_anchor) {
                if w.start > from {
                    break;
                }
                if w.start == from {
                    items.push(*item);
                }
                next_anchor += 1;
            }
            runs.push((from..to, items));
        }
        Plan { runs, parents }
    }
}

/// Appends `text` to `out` escaped for Apertium's stream, as `apertium-destxt` does.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' | '[' | ']' | '^' | '$' | '@' | '/' | '<' | '>' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("[~]"),
            '\0' => {}
            c if c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Writes segment `id` to the stream: its number, its text with the wordbound blanks of
/// `plan`, the period and empty superblank `apertium-destxt` ends a text with, and a NUL.
fn encode(out: &mut String, id: usize, text: &str, plan: &Plan) {
    use std::fmt::Write as _;
    let _ = write!(out, "[{id}]");
    if plan.runs.is_empty() {
        escape_into(out, text);
    }
    for (range, items) in &plan.runs {
        let piece = &text[range.clone()];
        let inner = piece.trim();
        if items.is_empty() || inner.is_empty() {
            escape_into(out, piece);
            continue;
        }
        let lead = piece.len() - piece.trim_start().len();
        escape_into(out, &piece[..lead]);
        out.push_str("[[");
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            item.write(out);
        }
        out.push_str("]]");
        escape_into(out, inner);
        out.push_str("[[/]]");
        escape_into(out, &piece[lead + inner.len()..]);
    }
    out.push_str(".[]\0");
}

/// A chunk of Apertium's output read back: the text (marks still in) and the text ranges of
/// the wordbound blanks with their items.
#[derive(Debug, Default, PartialEq)]
struct Decoded {
    text: String,
    blanks: Vec<(Range<usize>, Vec<Item>)>,
}

/// Reads the chunk of segment `id`; `None` if it is not that segment's (its number is missing).
fn decode(chunk: &str, id: usize) -> Option<Decoded> {
    let marker = format!("[{id}]");
    let body = chunk.trim_start().strip_prefix(marker.as_str())?;
    let body = body.trim_end();
    let body = body
        .strip_suffix(".[]")
        .or_else(|| body.strip_suffix("[]"))
        .unwrap_or(body);
    let mut out = Decoded::default();
    let mut chars = body.chars().peekable();
    let mut open: Option<(usize, Vec<Item>)> = None;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.text.push(n);
                }
            }
            '[' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut content = String::new();
                while let Some(n) = chars.next() {
                    if n == ']' && chars.peek() == Some(&']') {
                        chars.next();
                        break;
                    }
                    if n == '\\' {
                        if let Some(e) = chars.next() {
                            content.push(e);
                        }
                        continue;
                    }
                    content.push(n);
                }
                if content == "/" {
                    if let Some((start, items)) = open.take() {
                        out.blanks.push((start..out.text.len(), items));
                    }
                } else {
                    if let Some((start, items)) = open.take() {
                        out.blanks.push((start..out.text.len(), items));
                    }
                    let items = content.split(';').filter_map(Item::parse).collect();
                    open = Some((out.text.len(), items));
                }
            }
            '[' => {
                // A superblank: what it holds is text that Apertium kept out of the way.
                while let Some(n) = chars.next() {
                    match n {
                        ']' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                out.text.push(e);
                            }
                        }
                        n => out.text.push(n),
                    }
                }
            }
            c => out.text.push(c),
        }
    }
    if let Some((start, items)) = open.take() {
        out.blanks.push((start..out.text.len(), items));
    }
    spread_merged(&mut out);
    Some(out)
}

/// Apertium's transfer sometimes puts the blanks of a whole chunk on its first word and none on
/// the rest (`muy grande` → `[[e2; e3]]very[[/]] big`). A blank with n element items followed by
/// words without a blank gives its 2nd…nth items to the next n−1 of those words, in order.
fn spread_merged(d: &mut Decoded) {
    let mut extra = Vec::new();
    for k in 0..d.blanks.len() {
        let (range, items) = &d.blanks[k];
        let elements: Vec<Item> = items
            .iter()
            .copied()
            .filter(|i| matches!(i, Item::In(_)))
            .collect();
        if elements.len() < 2 {
            continue;
        }
        let next_blank = d.blanks.get(k + 1).map_or(d.text.len(), |(r, _)| r.start);
        let mut words = Vec::new();
        let mut at = range.end;
        while words.len() < elements.len() - 1 {
            let rest = &d.text[at..next_blank];
            let lead = rest.len() - rest.trim_start().len();
            if lead == 0 {
                break;
            }
            let word_len = rest[lead..]
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
                .unwrap_or(rest.len() - lead);
            if word_len == 0 {
                break;
            }
            words.push(at + lead..at + lead + word_len);
            at += lead + word_len;
        }
        if words.is_empty() {
            continue;
        }
        let keep: Vec<Item> = items
            .iter()
            .copied()
            .filter(|i| !matches!(i, Item::In(_)))
            .chain(std::iter::once(elements[0]))
            .collect();
        for (w, item) in words.into_iter().zip(elements.iter().skip(1)) {
            extra.push((w, vec![*item]));
        }
        d.blanks[k].1 = keep;
    }
    d.blanks.extend(extra);
    d.blanks.sort_by_key(|(r, _)| r.start);
}

/// Turns a decoded chunk into the segment's translation: marks out (as notes), text trimmed,
/// and the place of every span of `source`.
fn finish(decoded: Decoded, source: &Source<'_>, plan: &Plan) -> Translation {
    let (text, notes, removed) = strip_marks_at(&decoded.text, source.text);
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    // Positions in the decoded text → positions in the clean, trimmed text.
    let map = |p: usize| {
        let gone = removed.partition_point(|&r| r < p);
        (p - gone).saturating_sub(lead).min(trimmed.len())
    };
    let mut spans: Vec<Option<Range<usize>>> = vec![None; source.spans.len()];
    if !source.spans.is_empty() {
        let mut hull: Vec<Option<Range<usize>>> = vec![None; source.spans.len()];
        let mut point: Vec<Option<usize>> = vec![None; source.spans.len()];
        for (range, items) in &decoded.blanks {
            let r = map(range.start)..map(range.end);
            for item in items {
                match *item {
                    Item::In(k) if k < hull.len() => {
                        let h = hull[k].get_or_insert(r.clone());
                        *h = h.start.min(r.start)..h.end.max(r.end);
                    }
                    Item::After(k) if k < point.len() => point[k] = Some(r.end),
                    Item::Before(k) if k < point.len() => {
                        point[k].get_or_insert(r.start);
                    }
                    _ => {}
                }
            }
        }
        // The words of children belong to their parents too: deepest first, so that every
        // parent has gathered all its descendants' words before it passes them on.
        let depth = depths(&plan.parents);
        let mut order: Vec<usize> = (0..hull.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(depth[k]));
        for k in order {
            if let (Some(h), Some(p)) = (hull[k].clone(), plan.parents[k]) {
                let ph = hull[p].get_or_insert(h.clone());
                *ph = ph.start.min(h.start)..ph.end.max(h.end);
            }
        }
        for (k, r) in source.spans.iter().enumerate() {
            spans[k] = if r.is_empty() {
                point[k].map(|p| p..p)
            } else {
                hull[k].clone().filter(|h| !h.is_empty())
            };
        }
    }
    Translation {
        text: trimmed.to_string(),
        notes,
        spans,
    }
}

/// The depth of each span in the tree given by `parents`.
fn depths(parents: &[Option<usize>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parents.len()];
    for k in 0..parents.len() {
        // Climb to a span of known depth, then fill the path down.
        let mut path = vec![k];
        let mut at = k;
        let base = loop {
            match parents[at] {
                None => break 0,
                Some(p) if p < parents.len() && path.len() <= parents.len() => {
                    if let Some(d) = depth[p] {
                        break d + 1;
                    }
                    path.push(p);
                    at = p;
                }
                Some(_) => break 0,
            }
        };
        for (i, &node) in path.iter().rev().enumerate() {
            if depth[node].is_none() {
                depth[node] = Some(base + i);
            }
        }
    }
    depth.into_iter().map(Option::unwrap_or_default).collect()
}

/// Removes Apertium's marks (`*unknown`, `#ungenerated`, `@untransferred`) from `line`,
/// returning the clean text and one note per marked word. A mark that already stood in the
/// `source` text (a hashtag, a handle) is text, not a mark, and stays.
pub fn strip_marks(line: &str, source: &str) -> (String, Vec<Note>) {
    let (text, notes, _) = strip_marks_at(line, source);
    (text, notes)
}

/// [`strip_marks`], also giving the byte offsets in `line` of the marks it removed (in order).
fn strip_marks_at(line: &str, source: &str) -> (String, Vec<Note>, Vec<usize>) {
    let mut out = String::with_capacity(line.len());
    let mut notes = Vec::new();
    let mut removed = Vec::new();
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
        // Apertium splits a number from the letters glued to it (`0.9x`, `v.1.51Разработчик`)
        // and marks the letters as a word of their own: a mark right after a digit is a mark.
        let at_word_start = prev.is_none_or(|p| !p.is_alphanumeric() || p.is_numeric());
        let next_is_letter = chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if matches!(c, '*' | '#' | '@') && at_word_start && next_is_letter {
            let rest = &line[i + 1..];
            let end = rest
                .char_indices()
                .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '-' || ch == '\'' || ch == '’'))
                .map_or(rest.len(), |(k, _)| k);
            let word = rest[..end].trim_end_matches(['-', '\'', '’']);
            // A mark that stood in the source is text (`#hashtag`), unless it is doubled here
            // where the source had it once (`*ptr` of an unknown `ptr` comes back `**ptr`), or
            // marks a placeholder, which Apertium never knows.
            let marked = &line[i..i + 1 + word.len()];
            let doubled = prev == Some(c) && !stands_in_source(&format!("{c}{marked}"));
            if stands_in_source(marked)
                && !doubled
                && !crate::glossary::protect::is_placeholder(word)
            {
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
            removed.push(i);
            prev = Some(c);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    (out, notes, removed)
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
        let sources: Vec<Source<'_>> = texts.iter().map(|t| Source::plain(t)).collect();
        self.translate_marked(pair, &sources)
    }

    fn translate_marked(
        &self,
        pair: LangPair,
        sources: &[Source<'_>],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        self.translate_watched(pair, sources, &|_| {})
    }

    fn translate_watched(
        &self,
        pair: LangPair,
        sources: &[Source<'_>],
        done: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        let mode = self.mode_for(pair);
        if !self.modes.contains(&mode) {
            return Err(self.missing_mode(&mode));
        }
        if sources.is_empty() {
            return Ok(Vec::new());
        }
        self.translate_stream(&mode, sources, done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn installed(mode: &str) -> Option<ApertiumBackend> {
        let b = ApertiumBackend::new(ApertiumOptions::default()).ok()?;
        let ok = b.modes.iter().any(|m| m == mode);
        if !ok {
            assert!(
                std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
                "Apertium mode {mode} is required"
            );
        }
        ok.then_some(b)
    }

    fn es_en() -> LangPair {
        LangPair {
            from: crate::Lang::from_code("es").expect("es"),
            to: crate::Lang::from_code("en").expect("en"),
        }
    }

    #[test]
    fn the_stream_escapes_as_apertium_destxt_does() {
        use std::io::Write;
        let text = "a\\b [c] ^d$ @e /f <g> {h} i#j*k";
        let mut ours = String::new();
        encode(&mut ours, 3, text, &Plan::default());
        let Ok(mut child) = Command::new("apertium-destxt")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
        else {
            assert!(std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"));
            return;
        };
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write");
        drop(stdin);
        let out = child.wait_with_output().expect("destxt runs");
        let theirs = String::from_utf8_lossy(&out.stdout);
        assert_eq!(ours, format!("[3]{theirs}\0"), "ours vs apertium-destxt");
    }

    #[test]
    fn wordbound_blanks_around_innermost_elements_and_anchored_images() {
        let text = "La casa roja de Juan, supermercado.";
        // <a>casa <b>roja</b></a> de <i>Juan</i><img>, <u>super</u>mercado
        let spans = [3..12, 8..12, 16..20, 20..20, 22..27];
        let plan = Plan::new(text, &spans);
        let mut out = String::new();
        encode(&mut out, 0, text, &plan);
        assert_eq!(
            out,
            "[0]La [[e0]]casa[[/]] [[e1]]roja[[/]] de [[e2; a3]]Juan[[/]], [[e4]]supermercado[[/]]..[]\0"
        );
        assert_eq!(plan.parents, vec![None, Some(0), None, None, None]);
    }

    #[test]
    fn chunks_decode_with_their_blanks() {
        let d = decode("[4]The [[e1; e2]]*Dushanbe[[/]] \\$5[~] house.[]", 4).expect("ours");
        assert_eq!(d.text, "The *Dushanbe $5~ house");
        assert_eq!(d.blanks, vec![(4..13, vec![Item::In(1), Item::In(2)])]);
        // A chunk's blanks all on its first word are spread over the words that follow.
        let d = decode("[1]It is [[e0; e1]]very[[/]] big, said.[]", 1).expect("ours");
        assert_eq!(
            d.blanks,
            vec![(6..10, vec![Item::In(0)]), (11..14, vec![Item::In(1)])]
        );
        assert!(decode("[5]The house.[]", 4).is_none());
        assert!(decode("The house.[]", 4).is_none());
    }

    #[test]
    fn markup_follows_the_words_through_reordering() {
        let Some(b) = installed("spa-eng") else {
            return;
        };
        let text = "El perro negro come la carne roja de Juan ~5.";
        // <a>perro <b>negro</b></a> … <img> after roja, <i>Juan</i>
        let spans = [3..14, 9..14, 33..33, 37..41];
        let out = b
            .translate_marked(
                es_en(),
                &[Source {
                    text,
                    spans: &spans,
                }],
            )
            .expect("runs")
            .pop()
            .expect("one")
            .expect("translated");
        let t = &out.text;
        let at = |k: usize| out.spans[k].clone().map(|r| &t[r]);
        assert_eq!(at(1), Some("black"), "{t} {:?}", out.spans);
        assert!(
            at(0).is_some_and(|s| s.contains("dog") && s.contains("black")),
            "{t}"
        );
        assert_eq!(at(3), Some("Juan"), "{t}");
        let img = out.spans[2].clone().expect("placed");
        assert!(t[..img.start].ends_with("red"), "{t} {img:?}");
        // The text is what Apertium gives without markup.
        let plain = b
            .translate(es_en(), &[text])
            .expect("runs")
            .pop()
            .expect("one");
        assert_eq!(plain.expect("translated").text, *t);
    }

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
    fn a_mark_before_the_source_s_own_symbol_goes() {
        // `*ptr` of an unknown `ptr`: Apertium copies the `*` and marks the word.
        let (t, n) = strip_marks(
            "ffi_cif **ZQX1, **ptr and *ZQX2",
            "ffi_cif *ZQX1, *ptr and ZQX2",
        );
        assert_eq!(t, "ffi_cif *ZQX1, *ptr and ZQX2");
        assert_eq!(n.len(), 3);
    }

    /// Letters glued to a number are a word of their own to Apertium, marked after the digit
    /// (feedparser's test feeds: `0.9x`, `rss1.0withModules`, `v.1.51Разработчик`).
    #[test]
    fn a_mark_right_after_a_number_goes() {
        let (t, n) = strip_marks(
            "compatible con 0.9*x, rss1.0*withModules, v.1.51*Разработчик, 5*3",
            "compatible with 0.9x, rss1.0withModules, v.1.51Разработчик, 5*3",
        );
        assert_eq!(
            t,
            "compatible con 0.9x, rss1.0withModules, v.1.51Разработчик, 5*3"
        );
        assert_eq!(n.len(), 3);
        // A star that stands in the source after a number stays.
        let (t, n) = strip_marks("2*x + 1", "2*x + 1");
        assert_eq!((t.as_str(), n.len()), ("2*x + 1", 0));
    }

    #[test]
    fn ordinary_symbols_stay() {
        let (t, n) = strip_marks("5 * 3 = 15 and #*hashtag, @user? no: a*b", "#hashtag @user");
        assert_eq!(t, "5 * 3 = 15 and #hashtag, @user? no: a*b");
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].text.as_deref(), Some("hashtag"));
    }

    fn pair(from: &str, to: &str) -> LangPair {
        LangPair {
            from: crate::Lang::from_code(from).expect("from"),
            to: crate::Lang::from_code(to).expect("to"),
        }
    }

    #[test]
    fn a_case_probe_only_for_segments_opening_with_placeholders() {
        assert_eq!(
            case_probe("ZQX1 items were deleted.").as_deref(),
            Some("ZQX1, items were deleted.")
        );
        assert_eq!(
            case_probe("\u{201c}ZQX1 ZQX2 files").as_deref(),
            Some("\u{201c}ZQX1 ZQX2, files")
        );
        assert_eq!(case_probe("Hello ZQX1, the server"), None);
        assert_eq!(case_probe("ZQX1"), None);
        assert_eq!(case_probe("ZQX1 42 files"), None);
        assert_eq!(case_probe("ZQX1's files"), None);
    }

    #[test]
    fn only_the_first_letter_follows_the_probe() {
        let mut t = "ZQX1 Los elementos".to_string();
        follow_case(&mut t, "ZQX1, los elementos");
        assert_eq!(t, "ZQX1 los elementos");
        // Another word in the probe, or the probe lost its placeholder: left alone.
        let mut t = "ZQX1 Los elementos".to_string();
        follow_case(&mut t, "ZQX1, elementos");
        follow_case(&mut t, "los elementos");
        assert_eq!(t, "ZQX1 Los elementos");
    }

    /// A placeholder opening a sentence (a printf code, a glossary name) does not make Apertium
    /// capitalize the word after it: that word has the case Apertium gives it inside a
    /// sentence, and the words are those of the sentence without the placeholder.
    #[test]
    fn a_leading_placeholder_does_not_capitalize_the_next_word() {
        let Some(b) = installed("eng-spa") else {
            return;
        };
        let texts = [
            "ZQX1 items were deleted.",
            "ZQX1 ZQX2 has left the room.",
            "items were deleted.",
            "has left the room.",
        ];
        let out: Vec<String> = b
            .translate(pair("en", "es"), &texts)
            .expect("apertium")
            .into_iter()
            .map(|r| r.expect("segment").text)
            .collect();
        for (marked, alone, lead) in [(0, 2, "ZQX1 "), (1, 3, "ZQX1 ZQX2 ")] {
            let mut chars = out[alone].chars();
            let first = chars.next().expect("a translation");
            assert!(first.is_uppercase(), "{:?}", out[alone]);
            let inside = format!("{lead}{}{}", first.to_lowercase(), chars.as_str());
            assert_eq!(out[marked], inside);
        }
        let Some(b) = installed("spa-eng") else {
            return;
        };
        let texts = ["ZQX1 lunes es bueno.", "ZQX1 yo tengo un perro."];
        let out: Vec<String> = b
            .translate(pair("es", "en"), &texts)
            .expect("apertium")
            .into_iter()
            .map(|r| r.expect("segment").text)
            .collect();
        // Capitals of the dictionary stay.
        assert!(out[0].starts_with("ZQX1 Monday"), "{:?}", out[0]);
        assert!(out[1].starts_with("ZQX1 I "), "{:?}", out[1]);
    }
}
