//! Wires the stages: segment → detect → route → backend, over one or more documents.
//!
//! Segments of all documents are grouped by route, so that each backend sees the whole input's
//! segments of a pair in a few large batches instead of one call per sentence.

use std::collections::HashMap;

use indicatif::{ProgressBar, ProgressStyle};

use crate::detect::{for_each_segment, Detector};
use crate::doc::{Detection, DetectionSource, Document, Format, Note, SegmentStatus, Severity};
use crate::error::Result;
use crate::glossary::protect::{self, Protected};
use crate::glossary::report::{Outcome, Report, Use};
use crate::glossary::{enforce, Glossary, PairGlossary};
use crate::lang::Lang;
use crate::route::{Hop, Plan, Router};
use crate::segment::Segmenter;

/// How many segments go to a backend in one call (the backend sorts and batches further inside).
pub const CHUNK: usize = 4096;

/// Inputs with at least this many segments to translate get a progress bar (on a terminal).
pub const PROGRESS_MIN: usize = 500;

/// Counts of what happened to the segments of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Segments seen.
    pub segments: usize,
    /// Segments translated.
    pub translated: usize,
    /// Segments left as they were because they are already in the target language or have no
    /// text to translate.
    pub passed_through: usize,
    /// Segments that could not be translated (no route, backend error).
    pub failed: usize,
    /// Of the translated segments, those served by the translation memory (no backend call).
    pub cached: usize,
    /// The glossary report of every document, in input order (empty without a glossary).
    pub glossary: Vec<Report>,
}

/// Where a segment is: document index and segment id.
type SegRef = (usize, usize);

/// The translation pipeline.
pub struct Pipeline {
    /// The sentence splitter.
    pub segmenter: Segmenter,
    /// The language detector.
    pub detector: Detector,
    /// The router (which also owns the backends).
    pub router: Router,
    /// The source language, when the user gave it (`--from`); `None` for detection.
    pub from: Option<Lang>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Names to render one way: protected before the engine, restored and enforced after.
    pub glossary: Option<Glossary>,
    /// The translation memory: consulted before the backends, filled after them.
    pub memory: Option<crate::tm::Memory>,
}

/// What the engines made of a chunk of segments.
struct HopResults {
    texts: Vec<String>,
    notes: Vec<Vec<Note>>,
    errors: Vec<Option<String>>,
}

impl Pipeline {
    /// Segments a document and sets the language of the document and of every segment.
    ///
    /// A JSONL record is its own document (no language prior carried across records); other
    /// formats are one unit. The blocks are moved, not copied, into the unit being analysed.
    pub fn analyse(&self, doc: &mut Document) {
        let blocks = std::mem::take(&mut doc.blocks);
        let mut part = Document::new(doc.format, doc.origin.clone());
        if doc.format == Format::Jsonl {
            doc.blocks.reserve(blocks.len());
            for block in blocks {
                part.blocks.push(block);
                part.lang = None;
                self.analyse_unit(&mut part);
                if doc.lang.is_none() {
                    doc.lang = part.lang;
                }
                doc.blocks.append(&mut part.blocks);
            }
        } else {
            part.blocks = blocks;
            self.analyse_unit(&mut part);
            doc.lang = part.lang;
            doc.blocks = part.blocks;
        }
        doc.number_segments();
    }

    /// [`Pipeline::analyse`] of one unit (a whole document, or one JSONL record).
    fn analyse_unit(&self, part: &mut Document) {
        // The document language picks the abbreviation rules and steadies short segments.
        part.lang = match self.from {
            Some(l) => Some(given(l)),
            None => self.detector.document_language(part),
        };
        // Placeholders, URLs and addresses become inline code that no engine may change.
        crate::codes::mark(part);
        self.segmenter.segment_document(part);
        match self.from {
            Some(l) => {
                // The user named the source language; only segments clearly in the target
                // language are told apart from it.
                let target = self.router.target();
                for_each_segment(part, |seg| {
                    let detected = self.detector.detect_in_context(&seg.text, Some(l));
                    seg.lang = Some(match detected {
                        Some(d)
                            if d.lang == target
                                && d.source == DetectionSource::Detected
                                && d.confidence >= GIVEN_OVERRIDE_CONFIDENCE
                                && is_prose(&seg.text) =>
                        {
                            d
                        }
                        _ => given(l),
                    });
                });
            }
            None => self.detector.detect_document(part),
        }
    }

    /// Runs the whole pipeline over `docs`, filling translations, statuses and notes.
    ///
    /// Per-segment problems (no route, a segment the engine rejected) are recorded on the
    /// segment and counted in the summary; an `Err` means a backend could not be used at all.
    pub fn translate(&self, docs: &mut [Document]) -> Result<Summary> {
        for doc in docs.iter() {
            doc.check_target(self.router.target())?;
        }
        for doc in docs.iter_mut() {
            self.analyse(doc);
            doc.target = Some(self.router.target());
        }
        let mut summary = Summary::default();
        // Group the work by plan.
        let mut groups: HashMap<Vec<Hop>, Vec<SegRef>> = HashMap::new();
        for (di, doc) in docs.iter_mut().enumerate() {
            for seg in doc.segments_mut() {
                summary.segments += 1;
                let lang = seg.lang.map(|d| d.lang);
                let plan = match lang {
                    _ if !seg.has_letters() => Plan::PassThrough,
                    Some(l) => self.router.plan(l),
                    None => Plan::NoRoute,
                };
                match plan {
                    Plan::PassThrough => {
                        seg.status = SegmentStatus::PassedThrough;
                        summary.passed_through += 1;
                    }
                    Plan::NoRoute => {
                        seg.status = SegmentStatus::Failed;
                        let msg = match lang {
                            Some(l) => format!(
                                "no route from {} ({l}) to {}; left untranslated",
                                l.name(),
                                self.router.target()
                            ),
                            None => "language could not be determined; left untranslated".into(),
                        };
                        seg.notes.push(Note::new("no-route", Severity::Error, msg));
                        summary.failed += 1;
                    }
                    Plan::Translate(hops) => groups.entry(hops).or_default().push((di, seg.id)),
                }
            }
        }
        let total: usize = groups.values().map(Vec::len).sum();
        let bar = self.progress_bar(total);
        // Deterministic order of work: by first backend, then pair.
        let mut work: Vec<(Vec<Hop>, Vec<SegRef>)> = groups.into_iter().collect();
        work.sort_by_key(|(h, _)| {
            h.iter()
                .map(|x| (x.backend, x.pair.from.code(), x.pair.to.code()))
                .collect::<Vec<_>>()
        });
        let index = SegmentIndex::new(docs);
        let mut outcomes: Vec<Vec<(usize, Outcome)>> = vec![Vec::new(); docs.len()];
        self.enforce_passed_through(docs, &mut outcomes)?;
        for (hops, refs) in work {
            for chunk in refs.chunks(CHUNK) {
                let sources: Vec<String> = chunk
                    .iter()
                    .map(|&r| normalise_space(&index.get(docs, r).text))
                    .collect();
                // The glossary is for the whole route (source → target), pivots or not.
                let glossary = match (&self.glossary, hops.first(), hops.last()) {
                    (Some(g), Some(first), Some(last)) => {
                        g.for_pair(first.pair.from, last.pair.to)?
                    }
                    _ => None,
                };
                // The memory first: what it knows skips the engines (and the glossary pass,
                // which is part of the key).
                let engine = self.engine_id(&hops);
                let fingerprint = glossary
                    .as_ref()
                    .map(|g| g.fingerprint())
                    .unwrap_or_default();
                let key = hops.first().zip(hops.last()).map(|(a, z)| crate::tm::Key {
                    from: a.pair.from,
                    to: z.pair.to,
                    engine: &engine,
                    glossary: &fingerprint,
                });
                let mut hits: Vec<Option<crate::tm::Hit>> = vec![None; chunk.len()];
                if let (Some(memory), Some(key)) = (&self.memory, &key) {
                    let all: Vec<&str> = sources.iter().map(String::as_str).collect();
                    hits = memory.lookup(key, &all)?;
                }
                let live: Vec<usize> = (0..chunk.len()).filter(|&i| hits[i].is_none()).collect();
                let live_sources: Vec<String> = live.iter().map(|&i| sources[i].clone()).collect();
                let protected: Vec<Protected> = match &glossary {
                    Some(g) => live_sources
                        .iter()
                        .map(|t| protect::protect(g, t))
                        .collect(),
                    None => Vec::new(),
                };
                let inputs: Vec<String> = match &glossary {
                    Some(_) => protected.iter().map(|p| p.text.clone()).collect(),
                    None => live_sources.clone(),
                };
                let mut live_found: Vec<Option<Outcome>> = vec![None; live.len()];
                let mut results = self.run_hops(&hops, inputs)?;
                if let Some(g) = &glossary {
                    results = self.glossary_pass(
                        g,
                        &hops,
                        &live_sources,
                        &protected,
                        results,
                        &mut live_found,
                    )?;
                }
                if let (Some(memory), Some(key)) = (&self.memory, &key) {
                    let fresh: Vec<(&str, &str, &[Note])> = (0..live.len())
                        .filter(|&k| results.errors[k].is_none())
                        .map(|k| {
                            (
                                live_sources[k].as_str(),
                                results.texts[k].as_str(),
                                results.notes[k].as_slice(),
                            )
                        })
                        .collect();
                    memory.store(key, &fresh)?;
                }
                // Back to one entry per segment of the chunk.
                let mut texts = vec![String::new(); chunk.len()];
                let mut notes: Vec<Vec<Note>> = vec![Vec::new(); chunk.len()];
                let mut errors: Vec<Option<String>> = vec![None; chunk.len()];
                let mut found: Vec<Option<Outcome>> = vec![None; chunk.len()];
                for (k, &i) in live.iter().enumerate() {
                    texts[i] = std::mem::take(&mut results.texts[k]);
                    notes[i] = std::mem::take(&mut results.notes[k]);
                    errors[i] = results.errors[k].take();
                    found[i] = live_found[k].take();
                }
                for (i, hit) in hits.into_iter().enumerate() {
                    if let Some(hit) = hit {
                        texts[i] = hit.text;
                        notes[i] = hit.notes;
                        notes[i].push(Note::new(
                            crate::tm::HIT,
                            Severity::Info,
                            "from the translation memory",
                        ));
                        summary.cached += 1;
                    }
                }
                for (i, &r) in chunk.iter().enumerate() {
                    let seg = index.get_mut(docs, r);
                    seg.notes.append(&mut notes[i]);
                    if let Some(o) = found[i].take() {
                        seg.notes.extend(o.notes());
                        outcomes[r.0].push((r.1, o));
                    }
                    match errors[i].take() {
                        None => {
                            seg.translation = Some(std::mem::take(&mut texts[i]));
                            seg.status = SegmentStatus::Translated;
                            summary.translated += 1;
                        }
                        Some(msg) => {
                            seg.status = SegmentStatus::Failed;
                            seg.notes
                                .push(Note::new("backend-error", Severity::Error, msg));
                            summary.failed += 1;
                        }
                    }
                }
                if let Some(b) = &bar {
                    b.inc(chunk.len() as u64);
                }
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        for doc in docs.iter_mut() {
            note_lost_inlines(doc);
        }
        if self.glossary.is_some() {
            for (doc, mut found) in docs.iter_mut().zip(outcomes) {
                found.sort_by_key(|(id, _)| *id);
                summary.glossary.push(Report::build(doc, &found));
            }
        }
        Ok(summary)
    }

    /// Sends `texts` through the backends of `hops` in turn.
    fn run_hops(&self, hops: &[Hop], mut texts: Vec<String>) -> Result<HopResults> {
        let mut notes: Vec<Vec<Note>> = vec![Vec::new(); texts.len()];
        let mut errors: Vec<Option<String>> = vec![None; texts.len()];
        for (k, hop) in hops.iter().enumerate() {
            let backend = self.router.backend(hop.backend)?;
            let live: Vec<usize> = (0..texts.len()).filter(|&i| errors[i].is_none()).collect();
            if live.is_empty() {
                break;
            }
            // Identical segments (items repeat across feeds) go to the engine once.
            let mut first: HashMap<&str, usize> = HashMap::new();
            let mut inputs: Vec<&str> = Vec::with_capacity(live.len());
            let slots: Vec<usize> = live
                .iter()
                .map(|&i| {
                    *first.entry(texts[i].as_str()).or_insert_with(|| {
                        inputs.push(texts[i].as_str());
                        inputs.len() - 1
                    })
                })
                .collect();
            let results = backend.translate(hop.pair, &inputs)?;
            drop(first);
            for (&i, &slot) in live.iter().zip(&slots) {
                let Some(res) = results.get(slot).cloned() else {
                    errors[i] = Some(format!("{}: no result", backend.name()));
                    continue;
                };
                match res {
                    Ok(t) => {
                        texts[i] = t.text;
                        notes[i].extend(t.notes);
                    }
                    Err(e) => {
                        errors[i] =
                            Some(format!("{} ({}): {}", backend.name(), hop.pair, e.message));
                    }
                }
            }
            if hops.len() > 1 && k == 0 {
                for (i, n) in notes.iter_mut().enumerate() {
                    if errors[i].is_none() {
                        n.push(Note::new(
                            "pivot",
                            Severity::Info,
                            format!(
                                "translated through {} (no direct route)",
                                hop.pair.to.name()
                            ),
                        ));
                    }
                }
            }
        }
        Ok(HopResults {
            texts,
            notes,
            errors,
        })
    }

    /// After the engines: puts the renderings back in place of the placeholders, translates
    /// again unprotected the segments whose placeholders the engine lost, and enforces the
    /// glossary on every translation. Fills `found` with what happened per segment.
    fn glossary_pass(
        &self,
        glossary: &PairGlossary,
        hops: &[Hop],
        sources: &[String],
        protected: &[Protected],
        results: HopResults,
        found: &mut [Option<Outcome>],
    ) -> Result<HopResults> {
        let HopResults {
            mut texts,
            mut notes,
            errors,
        } = results;
        let mut retry: Vec<(usize, Vec<Use>)> = Vec::new();
        for i in 0..texts.len() {
            // The engine does not know the placeholders; that is their point, not a finding.
            notes[i].retain(|n| !n.text.as_deref().is_some_and(protect::is_placeholder));
            if errors[i].is_some() || protected[i].slots.is_empty() {
                if errors[i].is_none() {
                    let (text, outcome) = enforce::enforce(glossary, Some(&sources[i]), &texts[i]);
                    texts[i] = text;
                    found[i] = Some(outcome);
                }
                continue;
            }
            let restored = protect::restore(glossary, &protected[i], &texts[i]);
            if restored.lost.is_empty() {
                let (text, outcome) = enforce::enforce(glossary, Some(&sources[i]), &restored.text);
                texts[i] = text;
                found[i] = Some(outcome);
            } else {
                let lost = restored
                    .lost
                    .iter()
                    .filter_map(|&k| protected[i].slots.get(k))
                    .map(|slot| Use {
                        source: slot.source.clone(),
                        target: glossary
                            .entries
                            .get(slot.entry)
                            .map(|e| e.target.clone())
                            .unwrap_or_default(),
                    })
                    .collect();
                texts[i] = restored.text;
                retry.push((i, lost));
            }
        }
        if !retry.is_empty() {
            let inputs: Vec<String> = retry.iter().map(|(i, _)| sources[*i].clone()).collect();
            let again = self.run_hops(hops, inputs)?;
            for (k, (i, lost)) in retry.into_iter().enumerate() {
                let base = match &again.errors[k] {
                    None => {
                        notes[i].extend(again.notes[k].iter().cloned());
                        again.texts[k].clone()
                    }
                    // The unprotected run failed: keep what the protected run gave.
                    Some(_) => texts[i].clone(),
                };
                let (text, mut outcome) = enforce::enforce(glossary, Some(&sources[i]), &base);
                outcome.lost = lost;
                texts[i] = text;
                found[i] = Some(outcome);
            }
        }
        Ok(HopResults {
            texts,
            notes,
            errors,
        })
    }

    /// Segments already in the target language are left as they are, but the glossary still
    /// holds for them: known wrong forms of names are fixed.
    fn enforce_passed_through(
        &self,
        docs: &mut [Document],
        outcomes: &mut [Vec<(usize, Outcome)>],
    ) -> Result<()> {
        let Some(glossary) = &self.glossary else {
            return Ok(());
        };
        let glossaries = glossary.for_target(self.router.target())?;
        if glossaries.is_empty() {
            return Ok(());
        }
        for (di, doc) in docs.iter_mut().enumerate() {
            for seg in doc.segments_mut() {
                if seg.status != SegmentStatus::PassedThrough || !seg.has_letters() {
                    continue;
                }
                let mut text = seg.text.clone();
                let mut all = Outcome::default();
                for g in &glossaries {
                    let (fixed, outcome) = enforce::enforce(g, None, &text);
                    text = fixed;
                    all.merge(outcome);
                }
                if !all.fixes.is_empty() {
                    seg.translation = Some(text);
                }
                if !all.forms.is_empty() {
                    seg.notes.extend(all.notes());
                    outcomes[di].push((seg.id, all));
                }
            }
        }
        Ok(())
    }

    /// The translation-memory engine id of a plan: its backends' ids, joined by `>`.
    fn engine_id(&self, hops: &[Hop]) -> String {
        hops.iter()
            .map(|h| self.router.engine_id(h.backend))
            .collect::<Vec<_>>()
            .join(">")
    }

    fn progress_bar(&self, total: usize) -> Option<ProgressBar> {
        if !self.progress || total < PROGRESS_MIN {
            return None;
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} translating [{bar:40}] {pos}/{len} segments ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Some(bar)
    }
}

/// Adds an `inline-lost` warning to translated segments whose inline markup (a link, an
/// emphasis…) cannot be put back because its words did not survive translation.
fn note_lost_inlines(doc: &mut Document) {
    let format = doc.format;
    for block in &mut doc.blocks {
        let lost: Vec<(usize, Vec<String>)> = block
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let words = crate::doc::lost_inlines(format, block, s)
                    .into_iter()
                    .map(|inl| block.text[inl.span.clone()].to_string())
                    .collect();
                (i, words)
            })
            .filter(|(_, w): &(usize, Vec<String>)| !w.is_empty())
            .collect();
        for (i, words) in lost {
            for w in words {
                block.segments[i].notes.push(
                    Note::new(
                        "inline-lost",
                        Severity::Warning,
                        format!("the markup around “{w}” could not be put back in the translation"),
                    )
                    .with_text(w),
                );
            }
        }
    }
}

fn given(l: Lang) -> Detection {
    Detection {
        lang: l,
        confidence: 1.0,
        source: DetectionSource::Given,
    }
}

/// How sure the detector must be before a segment of a document whose language the user gave is
/// taken to be in the target language instead (and left untranslated).
pub const GIVEN_OVERRIDE_CONFIDENCE: f64 = 0.8;

/// Whether `text` reads like prose: most of its visible characters are letters (not codes,
/// numbers or token strings such as `▁w123`), so that a language detection means something.
pub fn is_prose(text: &str) -> bool {
    let (mut letters, mut visible) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    visible > 0 && letters * 10 >= visible * 7
}

/// Collapses runs of whitespace (line breaks inside a sentence) into single spaces.
pub fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds a segment by (document, id) without walking the blocks each time.
struct SegmentIndex {
    /// Per document: for segment id, (block index, index in block).
    places: Vec<Vec<(usize, usize)>>,
}

impl SegmentIndex {
    fn new(docs: &[Document]) -> Self {
        let places = docs
            .iter()
            .map(|d| {
                let mut v = Vec::with_capacity(d.segment_count());
                for (bi, b) in d.blocks.iter().enumerate() {
                    for si in 0..b.segments.len() {
                        v.push((bi, si));
                    }
                }
                v
            })
            .collect();
        SegmentIndex { places }
    }

    fn get<'a>(&self, docs: &'a [Document], (d, id): SegRef) -> &'a crate::doc::Segment {
        let (b, s) = self.places[d][id];
        &docs[d].blocks[b].segments[s]
    }

    fn get_mut<'a>(
        &self,
        docs: &'a mut [Document],
        (d, id): SegRef,
    ) -> &'a mut crate::doc::Segment {
        let (b, s) = self.places[d][id];
        &mut docs[d].blocks[b].segments[s]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_mostly_letters() {
        assert!(is_prose("We expect more investment from Moscow."));
        assert!(is_prose("Am 28. Juni 2022 reiste Putin nach Duschanbe."));
        assert!(!is_prose("▁w9467 ▁w14503 ▁w17883"));
        assert!(!is_prose("2022-06-29 05:15"));
        assert!(!is_prose(""));
    }
}
