//! `tarjuman glossary check` and `tarjuman glossary apply`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    chunk_size, input_format, open_source, parse_lang, read_document, report_notes, NoteReport,
    Source,
};
use crate::doc::{self, Detection, DetectionSource, Document, ReadOptions};
use crate::error::{Error, Result};
use crate::glossary::report::{Outcome, Report, ReportBuilder};
use crate::glossary::{enforce, Glossary, PairGlossary};
use crate::lang::Lang;
use crate::output::{preflight, Planned, Sink};
use crate::segment::Segmenter;

/// `tarjuman glossary check`.
#[derive(Debug, Clone, Default)]
pub struct GlossaryCheckJob {
    /// Glossary files, stacked in order.
    pub glossaries: Vec<PathBuf>,
}

/// Validates glossary files and prints their statistics on standard output. Returns 0; a bad
/// row is an error naming its file and line (exit 2).
pub fn glossary_check(job: &GlossaryCheckJob) -> Result<i32> {
    if job.glossaries.is_empty() {
        return Err(Error::Usage(
            "glossary check: give at least one glossary file".into(),
        ));
    }
    let mut out = String::new();
    for path in &job.glossaries {
        let one = Glossary::load(std::slice::from_ref(path))?;
        out.push_str(&format!("{}: {}\n", path.display(), describe(&one)));
    }
    if job.glossaries.len() > 1 {
        let all = Glossary::load(&job.glossaries)?;
        out.push_str(&format!("stacked: {}\n", describe(&all)));
    }
    Sink::Stdout.write_all(out.as_bytes())?;
    Ok(0)
}

fn describe(g: &Glossary) -> String {
    let s = g.stats();
    let pairs: Vec<String> = s.pairs.iter().map(|(p, n)| format!("{p} {n}")).collect();
    format!(
        "ok, {} entries, {} source spellings, {} variants ({})",
        s.entries,
        s.sources,
        s.variants,
        pairs.join(", ")
    )
}

/// `tarjuman glossary apply`.
#[derive(Debug, Clone, Default)]
pub struct GlossaryApplyJob {
    /// Glossary files, stacked in order.
    pub glossaries: Vec<PathBuf>,
    /// The translation to post-edit; `None` or `-` for standard input.
    pub target: Option<PathBuf>,
    /// The source the translation was made from, to report violations.
    pub source: Option<PathBuf>,
    /// Language of the translation (default `en`).
    pub to: Option<String>,
    /// Language of the source; default: every glossary pair into `to`.
    pub from: Option<String>,
    /// Input format name; `None`: by extension, else text.
    pub format: Option<String>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
    /// Where to write the report as JSON.
    pub report_json: Option<PathBuf>,
}

fn given(lang: Lang) -> Detection {
    Detection {
        lang,
        confidence: 1.0,
        source: DetectionSource::Given,
    }
}

fn segmented(doc: &mut Document, lang: Option<Lang>) {
    doc.lang = lang.map(given);
    Segmenter::new(&Default::default()).segment_document(doc);
}

/// Post-edits an existing translation with the glossary: known wrong forms become the
/// renderings. With a source, source terms whose rendering is missing are reported. Writes the
/// edited document, prints findings on stderr and, if asked, the report as JSON.
///
/// Returns 1 when violations were found, else 0.
pub fn glossary_apply(job: &GlossaryApplyJob) -> Result<i32> {
    if job.glossaries.is_empty() {
        return Err(Error::Usage("glossary apply: give --glossary FILE".into()));
    }
    // Every output is checked (and its temporary file made) before anything is read or written.
    let mut inputs: Vec<(&str, &Path)> = Vec::new();
    if let Some(t) = &job.target {
        inputs.push(("the translation", t));
    }
    if let Some(s) = &job.source {
        inputs.push(("--source", s));
    }
    for g in &job.glossaries {
        inputs.push(("--glossary", g));
    }
    let mut outputs = vec![("-o", Sink::from_arg(job.output.as_deref()))];
    if let Some(r) = &job.report_json {
        outputs.push(("--report-json", Sink::File(r.clone())));
    }
    let mut planned = preflight(&inputs, &outputs)?.into_iter();
    let (Some(mut output), report_out) = (planned.next(), planned.next()) else {
        return Err(Error::Usage("glossary apply: no output".into()));
    };
    let to = parse_lang(job.to.as_deref().unwrap_or("en"), "--to")?;
    let from = job
        .from
        .as_deref()
        .map(|f| parse_lang(f, "--from"))
        .transpose()?;
    let glossary = Glossary::load(&job.glossaries)?;
    let pairs: Vec<Arc<PairGlossary>> = match from {
        Some(f) => glossary.for_pair(f, to)?.into_iter().collect(),
        None => glossary.for_target(to)?,
    };
    if pairs.is_empty() {
        return Err(Error::Usage(format!(
            "the glossary has no entry translating into {} ({to}){}",
            to.name(),
            from.map(|f| format!(" from {f}")).unwrap_or_default()
        )));
    }
    let format = input_format(job.format.as_deref())?;
    // Without a source, plain text and JSONL are read, post-edited and written chunk by chunk
    // (memory bounded by the chunk, as `translate` does); with one, both are read whole to be
    // compared block by block.
    let chunk = job.source.is_none().then(chunk_size);
    let mut target = match open_source(job.target.as_ref(), format, chunk, &ReadOptions::default())?
    {
        Source::Whole(document) => document,
        Source::Chunks(mut chunks, format) => {
            let origin = chunks.origin().to_string();
            let mut builder = ReportBuilder::new(&origin);
            let (mut segments, mut count) = (0, 0);
            // The last chunk is written once the next one is read: an input of one chunk
            // gets the `glossary-inconsistent` notes in its records (JSONL) as when read
            // whole; a larger one has them on stderr and in the report only.
            let mut held: Option<Document> = None;
            // One line per cause over the whole input, printed when the run ends (or fails).
            let mut notes = NoteReport::default();
            let run = (|| -> Result<Report> {
                while let Some(chunk) = chunks.next_chunk()? {
                    let mut part = chunk.parse(format, &origin)?;
                    segmented(&mut part, Some(to));
                    let outcomes = enforce_segments(&pairs, &mut part);
                    builder.add(&part, &outcomes, segments);
                    segments += part.segment_count();
                    count += 1;
                    if let Some(done) = held.replace(part) {
                        notes.add(&done);
                        output.write_all(doc::render(&done).as_bytes())?;
                    }
                }
                let (report, found) = std::mem::take(&mut builder).finish();
                if let Some(mut last) = held.take() {
                    if count == 1 {
                        attach_notes(&mut last, found);
                        notes.add(&last);
                    } else {
                        notes.add(&last);
                        for (_, line, note) in found {
                            notes.note(&origin, note.severity, &note.kind, &note.message, line);
                        }
                    }
                    output.write_all(doc::render(&last).as_bytes())?;
                }
                Ok(report)
            })();
            notes.print();
            let report = run?;
            return finish_apply(output, report_out, &report, &origin);
        }
    };
    segmented(&mut target, Some(to));
    let source = match &job.source {
        Some(p) => {
            let mut s = read_document(Some(p), format)?;
            segmented(&mut s, from);
            Some(s)
        }
        None => None,
    };

    let mut outcomes = enforce_segments(&pairs, &mut target);
    if let Some(source) = &source {
        check_source(&pairs, source, &mut target, &mut outcomes);
    }
    let report = Report::build(&mut target, &outcomes);
    output.write_all(doc::render(&target).as_bytes())?;
    report_notes(&target);
    finish_apply(output, report_out, &report, &target.origin)
}

/// Adds notes `(segment id, line, note)` to the segments of `doc`.
fn attach_notes(doc: &mut Document, notes: Vec<(usize, usize, crate::doc::Note)>) {
    let mut by_segment: std::collections::HashMap<usize, Vec<crate::doc::Note>> =
        std::collections::HashMap::new();
    for (seg, _, note) in notes {
        by_segment.entry(seg).or_default().push(note);
    }
    for s in doc.segments_mut() {
        if let Some(mut n) = by_segment.remove(&s.id) {
            s.notes.append(&mut n);
        }
    }
}

/// Post-edits every segment of `doc` with each glossary in turn; returns the outcomes
/// `(segment id, outcome)` and leaves the fixes as the segments' translations and notes.
fn enforce_segments(pairs: &[Arc<PairGlossary>], doc: &mut Document) -> Vec<(usize, Outcome)> {
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    for seg in doc.segments_mut() {
        let mut text = seg.text.clone();
        let mut all = Outcome::default();
        for g in pairs {
            let (fixed, o) = enforce::enforce(g, None, &text);
            text = fixed;
            all.merge(o);
        }
        if text != seg.text {
            seg.translation = Some(text);
        }
        seg.notes.extend(all.notes());
        outcomes.push((seg.id, all));
    }
    outcomes
}

/// Writes the JSON report (if asked), commits the outputs, prints the summary line and
/// returns the exit code: 1 when there are violations, else 0.
fn finish_apply(
    output: Planned,
    report_out: Option<Planned>,
    report: &Report,
    origin: &str,
) -> Result<i32> {
    let report_out = match report_out {
        Some(mut out) => {
            let mut json = serde_json::to_string_pretty(report).map_err(|e| Error::Output {
                path: out.path().to_path_buf(),
                source: std::io::Error::other(e),
            })?;
            json.push('\n');
            out.write_all(json.as_bytes())?;
            Some(out)
        }
        None => None,
    };
    output.commit()?;
    if let Some(out) = report_out {
        out.commit()?;
    }
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}: glossary: {} fixes, {} terms applied, {} violations, {} names rendered inconsistently",
        origin,
        report.fixes.len(),
        report.applied.iter().map(|t| t.count).sum::<usize>(),
        report.violations.len(),
        report.inconsistent.len()
    );
    Ok(if report.has_findings() { 1 } else { 0 })
}

/// Compares source and (edited) translation block by block when both have as many translatable
/// blocks, else as wholes, and records applied terms and violations on the translation's
/// segments.
fn check_source(
    pairs: &[Arc<PairGlossary>],
    source: &Document,
    target: &mut Document,
    outcomes: &mut Vec<(usize, Outcome)>,
) {
    let blocks = |d: &Document| -> Vec<usize> {
        (0..d.blocks.len())
            .filter(|&i| !d.blocks[i].segments.is_empty())
            .collect()
    };
    let (sb, tb) = (blocks(source), blocks(target));
    // (source text, translated text, segment id to report on)
    let mut units: Vec<(String, String, usize)> = Vec::new();
    if sb.len() == tb.len() {
        for (&s, &t) in sb.iter().zip(&tb) {
            let tblock = &target.blocks[t];
            let first = tblock.segments.first().map_or(0, |x| x.id);
            units.push((
                source.blocks[s].text.clone(),
                tblock.translated_text(),
                first,
            ));
        }
    } else {
        let all = |d: &Document, translated: bool| -> String {
            d.blocks
                .iter()
                .map(|b| {
                    if translated {
                        b.translated_text()
                    } else {
                        b.text.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        units.push((all(source, false), all(target, true), 0));
    }
    let mut notes: std::collections::HashMap<usize, Vec<crate::doc::Note>> =
        std::collections::HashMap::new();
    for (src, tgt, seg) in units {
        let mut found = Outcome::default();
        for g in pairs {
            let (_, o) = enforce::enforce(g, Some(&src), &tgt);
            found.applied.extend(o.applied);
            found.violations.extend(o.violations);
        }
        notes.entry(seg).or_default().extend(found.notes());
        outcomes.push((seg, found));
    }
    for s in target.segments_mut() {
        if let Some(mut n) = notes.remove(&s.id) {
            s.notes.append(&mut n);
        }
    }
}
