//! Wires the stages: segment → detect → route → backend, over one or more documents.
//!
//! Segments of all documents are grouped by route, so that each backend sees the whole input's
//! segments of a pair in a few large batches instead of one call per sentence.

use std::collections::HashMap;
use std::ops::Range;

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
use crate::verbatim::{self, Hidden};

/// How many segments go to a backend in one call (the backend sorts and batches further inside).
pub const CHUNK: usize = 4096;

/// Segments per engine call while a progress bar is shown, for engines whose calls are cheap
/// ([`crate::backend::Backend::cheap_calls`]).
pub const PROGRESS_STEP: usize = 256;

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

/// The kind of the note on a segment whose inline markup could not follow its words exactly.
pub const INLINE_MOVED: &str = "inline-moved";

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
    pub memory: Option<Box<dyn crate::tm::Store>>,
}

/// What the engines made of a chunk of segments.
struct HopResults {
    texts: Vec<String>,
    notes: Vec<Vec<Note>>,
    errors: Vec<Option<String>>,
    /// Per text: where each of its inline-markup spans is in the text (`None`: not known).
    spans: Vec<Vec<Option<Range<usize>>>>,
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
        let code = hide_code(part);
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
        put_back_code(part, code);
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
        let code = verbatim_ranges(docs);
        // Group the work by plan.
        let mut groups: HashMap<Vec<Hop>, Vec<SegRef>> = HashMap::new();
        for (di, doc) in docs.iter_mut().enumerate() {
            for seg in doc.segments_mut() {
                summary.segments += 1;
                let lang = seg.lang.map(|d| d.lang);
                let all_code = code
                    .get(&(di, seg.id))
                    .is_some_and(|c| !letters_outside(&seg.text, c));
                let plan = match lang {
                    _ if !seg.has_letters() || all_code => Plan::PassThrough,
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
                                "no route from {} ({l}) to {}{}; left untranslated",
                                l.name(),
                                self.router.target(),
                                self.router
                                    .limit()
                                    .map(|why| format!(": {why}"))
                                    .unwrap_or_default()
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
        // Diagnostics printed meanwhile (by any thread) go past the bar.
        let _past_bar = bar.as_ref().map(crate::cli::ui::show_bar);
        // Deterministic order of work: by first backend, then pair.
        let mut work: Vec<(Vec<Hop>, Vec<SegRef>)> = groups.into_iter().collect();
        work.sort_by_key(|(h, _)| {
            h.iter()
                .map(|x| (x.backend, x.pair.from.code(), x.pair.to.code()))
                .collect::<Vec<_>>()
        });
        let index = SegmentIndex::new(docs);
        let (pieces, splits) = inline_pieces(docs);
        let mut outcomes: Vec<Vec<(usize, Outcome)>> = vec![Vec::new(); docs.len()];
        self.enforce_passed_through(docs, &pieces, &code, &mut outcomes)?;
        for (hops, refs) in work {
            // With a bar, engines whose calls cost nothing extra get smaller calls, so that the
            // bar moves as segments are done rather than a chunk at a time.
            let step = match &bar {
                Some(_) if self.cheap_calls(&hops) => PROGRESS_STEP,
                _ => CHUNK,
            };
            for chunk in refs.chunks(step) {
                // The text each engine sees (blanks collapsed), where the inline markup of the
                // segment is in it, and its code (which no engine translates).
                let mut sources: Vec<String> = Vec::with_capacity(chunk.len());
                let mut source_spans: Vec<Vec<Range<usize>>> = Vec::with_capacity(chunk.len());
                let mut source_code: Vec<Vec<Range<usize>>> = Vec::with_capacity(chunk.len());
                for &r in chunk {
                    let text = &index.get(docs, r).text;
                    let p = pieces.get(&r).map(Vec::as_slice).unwrap_or_default();
                    let c = code.get(&r).map(Vec::as_slice).unwrap_or_default();
                    if p.is_empty() && c.is_empty() {
                        sources.push(normalise_space(text));
                        source_spans.push(Vec::new());
                        source_code.push(Vec::new());
                        continue;
                    }
                    let mut all: Vec<Range<usize>> = p.iter().chain(c).cloned().collect();
                    let spaced = splits.get(&r).map(|at| with_blanks(text, at, &all));
                    let text = match spaced {
                        Some((t, moved)) => {
                            all = moved;
                            std::borrow::Cow::Owned(t)
                        }
                        None => std::borrow::Cow::Borrowed(text.as_str()),
                    };
                    let (t, mut mapped) = normalise_space_spans(&text, &all);
                    let c_mapped = mapped.split_off(p.len());
                    sources.push(t);
                    source_spans.push(mapped);
                    source_code.push(c_mapped);
                }
                // The memory's key tells code from the same words without it.
                let keys: Vec<String> = sources
                    .iter()
                    .zip(&source_code)
                    .map(|(t, c)| verbatim::memory_key(t, c))
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
                    let all: Vec<&str> = keys.iter().map(String::as_str).collect();
                    hits = memory.lookup(key, &all)?;
                }
                let live: Vec<usize> = (0..chunk.len()).filter(|&i| hits[i].is_none()).collect();
                // The bar moves as segments are done: those from memory now, the others as
                // the last engine of the route reports them, the rest when the chunk is done.
                let moved = std::sync::atomic::AtomicUsize::new(0);
                let advance = |n: usize| {
                    if let Some(b) = &bar {
                        let before = moved.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                        let room = chunk.len().saturating_sub(before);
                        b.inc(n.min(room) as u64);
                    }
                };
                advance(chunk.len() - live.len());
                // Glossary terms (outside code) and code become placeholders: the terms'
                // first, the code's after them. `plain` hides only the code (numbered the same),
                // for the glossary's second run and its checks.
                let mut protected: Vec<Protected> = Vec::with_capacity(live.len());
                let mut plain: Vec<Hidden> = Vec::with_capacity(live.len());
                let mut plain_spans: Vec<Vec<Range<usize>>> = Vec::with_capacity(live.len());
                let mut inputs: Vec<String> = Vec::with_capacity(live.len());
                let mut input_spans: Vec<Vec<Range<usize>>> = Vec::with_capacity(live.len());
                for &i in &live {
                    let (text, spans, c) = (&sources[i], &source_spans[i], &source_code[i]);
                    let p = match &glossary {
                        Some(g) => {
                            let hits: Vec<_> = g
                                .find_sources(text)
                                .into_iter()
                                .filter(|h| {
                                    !c.iter()
                                        .any(|r| h.range.start < r.end && r.start < h.range.end)
                                })
                                .collect();
                            protect::protect_hits(text, &hits)
                        }
                        None => Protected {
                            text: text.clone(),
                            ..Protected::default()
                        },
                    };
                    let first = p.slots.len() + 1;
                    let h = verbatim::hide(text, c, first);
                    plain_spans.push(spans.iter().map(|r| h.edits.map_range(r)).collect());
                    let c_p: Vec<Range<usize>> = c.iter().map(|r| p.edits.map_range(r)).collect();
                    let hp = verbatim::hide(&p.text, &c_p, first);
                    inputs.push(hp.text.clone());
                    input_spans.push(
                        spans
                            .iter()
                            .map(|r| hp.edits.map_range(&p.edits.map_range(r)))
                            .collect(),
                    );
                    protected.push(p);
                    plain.push(h);
                }
                let plain_texts: Vec<String> = plain.iter().map(|h| h.text.clone()).collect();
                let mut live_found: Vec<Option<Outcome>> = vec![None; live.len()];
                let mut results = self.run_hops(&hops, inputs, input_spans, Some(&advance))?;
                if let Some(g) = &glossary {
                    results = self.glossary_pass(
                        g,
                        &hops,
                        (&plain_texts, &plain_spans),
                        &protected,
                        results,
                        &mut live_found,
                    )?;
                } else {
                    for n in &mut results.notes {
                        n.retain(|n| !n.text.as_deref().is_some_and(protect::is_placeholder));
                    }
                }
                // The code back, byte for byte.
                for (k, h) in plain.iter().enumerate() {
                    if results.errors[k].is_some() || h.parts.is_empty() {
                        continue;
                    }
                    let shown = verbatim::reveal(h, &results.texts[k]);
                    for r in results.spans[k].iter_mut().flatten() {
                        *r = shown.edits.map_range(r);
                    }
                    results.texts[k] = shown.text;
                }
                if let (Some(memory), Some(key)) = (&self.memory, &key) {
                    let fresh: Vec<(&str, &str, &[Note])> = (0..live.len())
                        .filter(|&k| results.errors[k].is_none())
                        .map(|k| {
                            (
                                keys[live[k]].as_str(),
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
                let mut places: Vec<Vec<Option<Range<usize>>>> = vec![Vec::new(); chunk.len()];
                for (k, &i) in live.iter().enumerate() {
                    places[i] = std::mem::take(&mut results.spans[k]);
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
                            seg.inline_places = std::mem::take(&mut places[i]);
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
                    let before = moved.load(std::sync::atomic::Ordering::Relaxed);
                    b.inc(chunk.len().saturating_sub(before) as u64);
                }
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        for doc in docs.iter_mut() {
            note_inline_markup(doc);
        }
        if self.glossary.is_some() {
            for (doc, mut found) in docs.iter_mut().zip(outcomes) {
                found.sort_by_key(|(id, _)| *id);
                summary.glossary.push(Report::build(doc, &found));
            }
        }
        Ok(summary)
    }

    /// Sends `texts` through the backends of `hops` in turn, with the inline-markup spans of
    /// each (byte ranges of the text), which backends that can follow markup carry along.
    /// With `done`, the last engine reports the segments it has finished as it goes (for the
    /// progress bar).
    fn run_hops(
        &self,
        hops: &[Hop],
        mut texts: Vec<String>,
        spans: Vec<Vec<Range<usize>>>,
        done: Option<&(dyn Fn(usize) + Sync)>,
    ) -> Result<HopResults> {
        let mut notes: Vec<Vec<Note>> = vec![Vec::new(); texts.len()];
        let mut errors: Vec<Option<String>> = vec![None; texts.len()];
        let mut places: Vec<Vec<Option<Range<usize>>>> = spans
            .into_iter()
            .map(|v| v.into_iter().map(Some).collect())
            .collect();
        places.resize(texts.len(), Vec::new());
        for (k, hop) in hops.iter().enumerate() {
            let backend = self.router.backend(hop.backend)?;
            let live: Vec<usize> = (0..texts.len()).filter(|&i| errors[i].is_none()).collect();
            if live.is_empty() {
                break;
            }
            // The spans still known, per text: what the engine is asked to follow.
            let asked: Vec<(Vec<usize>, Vec<Range<usize>>)> = places
                .iter()
                .map(|p| {
                    p.iter()
                        .enumerate()
                        .filter_map(|(j, r)| Some((j, r.clone()?)))
                        .unzip()
                })
                .collect();
            // Identical segments (items repeat across feeds) go to the engine once.
            let mut first: HashMap<(&str, &[Range<usize>]), usize> = HashMap::new();
            let mut inputs: Vec<crate::backend::Source<'_>> = Vec::with_capacity(live.len());
            let slots: Vec<usize> = live
                .iter()
                .map(|&i| {
                    let key = (texts[i].as_str(), asked[i].1.as_slice());
                    *first.entry(key).or_insert_with(|| {
                        inputs.push(crate::backend::Source {
                            text: key.0,
                            spans: key.1,
                        });
                        inputs.len() - 1
                    })
                })
                .collect();
            let results = match done {
                Some(done) if k + 1 == hops.len() => {
                    backend.translate_watched(hop.pair, &inputs, done)?
                }
                _ => backend.translate_marked(hop.pair, &inputs)?,
            };
            drop(first);
            drop(inputs);
            for (&i, &slot) in live.iter().zip(&slots) {
                let Some(res) = results.get(slot).cloned() else {
                    errors[i] = Some(format!("{}: no result", backend.name()));
                    continue;
                };
                match res {
                    Ok(t) => {
                        texts[i] = t.text;
                        notes[i].extend(t.notes);
                        let (which, _) = &asked[i];
                        if t.spans.len() == which.len() {
                            for (j, r) in which.iter().zip(t.spans) {
                                places[i][*j] = r;
                            }
                        } else {
                            places[i].iter_mut().for_each(|p| *p = None);
                        }
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
            spans: places,
        })
    }

    /// After the engines: puts the renderings back in place of the placeholders, translates
    /// again unprotected the segments whose placeholders the engine lost, and enforces the
    /// glossary on every translation. Fills `found` with what happened per segment.
    fn glossary_pass(
        &self,
        glossary: &PairGlossary,
        hops: &[Hop],
        (sources, source_spans): (&[String], &[Vec<Range<usize>>]),
        protected: &[Protected],
        results: HopResults,
        found: &mut [Option<Outcome>],
    ) -> Result<HopResults> {
        let HopResults {
            mut texts,
            mut notes,
            errors,
            mut spans,
        } = results;
        let remap = |spans: &mut Vec<Option<Range<usize>>>, edits: &protect::Edits| {
            for r in spans.iter_mut().flatten() {
                *r = edits.map_range(r);
            }
        };
        let mut retry: Vec<(usize, Vec<Use>)> = Vec::new();
        for i in 0..texts.len() {
            // The engine does not know the placeholders; that is their point, not a finding.
            notes[i].retain(|n| !n.text.as_deref().is_some_and(protect::is_placeholder));
            if errors[i].is_some() || protected[i].slots.is_empty() {
                if errors[i].is_none() {
                    let (text, outcome, edits) =
                        enforce::enforce_with_edits(glossary, Some(&sources[i]), &texts[i]);
                    texts[i] = text;
                    remap(&mut spans[i], &edits);
                    found[i] = Some(outcome);
                }
                continue;
            }
            let restored = protect::restore(glossary, &protected[i], &texts[i]);
            if restored.lost.is_empty() {
                remap(&mut spans[i], &restored.edits);
                let (text, outcome, edits) =
                    enforce::enforce_with_edits(glossary, Some(&sources[i]), &restored.text);
                texts[i] = text;
                remap(&mut spans[i], &edits);
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
            let input_spans = retry
                .iter()
                .map(|(i, _)| source_spans.get(*i).cloned().unwrap_or_default())
                .collect();
            let again = self.run_hops(hops, inputs, input_spans, None)?;
            for (k, (i, lost)) in retry.into_iter().enumerate() {
                let base = match &again.errors[k] {
                    None => {
                        notes[i].extend(again.notes[k].iter().cloned());
                        spans[i] = again.spans[k].clone();
                        again.texts[k].clone()
                    }
                    // The unprotected run failed: keep what the protected run gave.
                    Some(_) => {
                        spans[i].iter_mut().for_each(|r| *r = None);
                        texts[i].clone()
                    }
                };
                let (text, mut outcome, edits) =
                    enforce::enforce_with_edits(glossary, Some(&sources[i]), &base);
                remap(&mut spans[i], &edits);
                outcome.lost = lost;
                texts[i] = text;
                found[i] = Some(outcome);
            }
        }
        Ok(HopResults {
            texts,
            notes,
            errors,
            spans,
        })
    }

    /// Segments already in the target language are left as they are, but the glossary still
    /// holds for them: known wrong forms of names are fixed.
    fn enforce_passed_through(
        &self,
        docs: &mut [Document],
        pieces: &HashMap<SegRef, Vec<Range<usize>>>,
        code: &HashMap<SegRef, Vec<Range<usize>>>,
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
                // Code is not text to fix: it is hidden while the glossary looks.
                let hidden = verbatim::hide(
                    &seg.text,
                    code.get(&(di, seg.id))
                        .map(Vec::as_slice)
                        .unwrap_or_default(),
                    1,
                );
                let mut text = hidden.text.clone();
                let mut all = Outcome::default();
                // The inline markup follows the fixes.
                let mut places: Vec<Option<Range<usize>>> = pieces
                    .get(&(di, seg.id))
                    .map(|p| p.iter().map(|r| Some(hidden.edits.map_range(r))).collect())
                    .unwrap_or_default();
                for g in &glossaries {
                    let (fixed, outcome, edits) = enforce::enforce_with_edits(g, None, &text);
                    text = fixed;
                    for r in places.iter_mut().flatten() {
                        *r = edits.map_range(r);
                    }
                    all.merge(outcome);
                }
                if !all.fixes.is_empty() {
                    let shown = verbatim::reveal(&hidden, &text);
                    for r in places.iter_mut().flatten() {
                        *r = shown.edits.map_range(r);
                    }
                    seg.translation = Some(shown.text);
                    seg.inline_places = places;
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

    /// Whether every engine of a route takes smaller calls at no extra cost.
    fn cheap_calls(&self, hops: &[Hop]) -> bool {
        hops.iter().all(|h| {
            self.router
                .backend(h.backend)
                .is_ok_and(|b| b.cheap_calls())
        })
    }

    fn progress_bar(&self, total: usize) -> Option<ProgressBar> {
        if !self.progress || total < PROGRESS_MIN {
            return None;
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(
            // A bar as wide as the terminal leaves room for the rest of the line, which must
            // never wrap (a wrapped line is drawn again below itself).
            "{spinner} [{wide_bar}] {pos}/{len} segments {per_sec} {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        Some(bar)
    }
}

/// Notes what became of inline markup (a link, an emphasis…) in translated segments: an
/// `inline-moved` note for an element that could not be put exactly around the translation of
/// its words and was kept around the nearest words (at worst the whole sentence). No element
/// is ever dropped.
fn note_inline_markup(doc: &mut Document) {
    let format = doc.format;
    for block in &mut doc.blocks {
        if block.inlines.is_empty() {
            continue;
        }
        let mut notes: Vec<(usize, Note)> = Vec::new();
        for (i, inl) in crate::doc::moved_inlines(format, block) {
            let (label, text) = inline_label(block, inl);
            notes.push((
                i,
                Note::new(
                    INLINE_MOVED,
                    Severity::Info,
                    format!("the markup of {label} could not follow its words exactly; it was kept around the nearest words of the translation"),
                )
                .with_text(text),
            ));
        }
        for (i, note) in notes {
            if let Some(seg) = block.segments.get_mut(i) {
                seg.notes.push(note);
            }
        }
    }
}

/// How a note names an inline element (its words in quotes, or with no text its tag), and the
/// text the note is about.
fn inline_label(block: &crate::doc::Block, inl: &crate::doc::Inline) -> (String, String) {
    // Quoted shortened: the elements of deep nesting each hold all the words below them.
    let words = quote(
        block.text.get(inl.span.clone()).unwrap_or_default().trim(),
        120,
    );
    if !words.is_empty() {
        return (format!("“{words}”"), words);
    }
    match &inl.kind {
        crate::doc::InlineKind::Tag { open, .. } => (open.clone(), open.clone()),
        _ => ("an element with no text".to_string(), String::new()),
    }
}

/// `text` cut to at most `max` characters (at a word boundary when there is one), with ` …`
/// if cut; reads no more than `max + 1` characters of it.
fn quote(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = &text[..end];
            let cut = cut.rsplit_once(' ').map_or(cut, |(head, _)| head);
            format!("{cut} …")
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

/// [`normalise_space`], also moving `spans` (byte ranges of `text`) to the collapsed text. A
/// place inside a run of blanks goes to the blank that stands for the run.
pub fn normalise_space_spans(text: &str, spans: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    // Per word: where it starts in `text`, where in `out`, its length.
    let mut words: Vec<(usize, usize, usize)> = Vec::new();
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let at = w.as_ptr() as usize - text.as_ptr() as usize;
        words.push((at, out.len(), w.len()));
        out.push_str(w);
    }
    let map = |p: usize| -> usize {
        let k = words.partition_point(|&(at, _, _)| at <= p);
        match k.checked_sub(1).map(|k| words[k]) {
            None => 0,
            Some((at, o, len)) => o + (p - at).min(len),
        }
    };
    let mapped = spans
        .iter()
        .map(|r| {
            let start = map(r.start);
            start..map(r.end).max(start)
        })
        .collect();
    (out, mapped)
}

/// The pieces of inline markup of every segment of `docs` that the engines should follow
/// (byte ranges of the segment's text), by segment; and by segment, the places where a blank
/// must keep words apart for the engines: the text of an image (Markdown's alt text) glued to
/// a word before or after it is no part of that word.
#[allow(clippy::type_complexity)]
fn inline_pieces(
    docs: &[Document],
) -> (
    HashMap<SegRef, Vec<Range<usize>>>,
    HashMap<SegRef, Vec<usize>>,
) {
    let mut out = HashMap::new();
    let mut splits = HashMap::new();
    for (di, doc) in docs.iter().enumerate() {
        for block in &doc.blocks {
            if block.inlines.is_empty() {
                continue;
            }
            let per_segment = crate::doc::segment_pieces(doc.format, block);
            for (seg, pieces) in block.segments.iter().zip(per_segment) {
                if pieces.is_empty() {
                    continue;
                }
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let mut at: Vec<usize> = Vec::new();
                for (k, r) in &pieces {
                    let image = matches!(&block.inlines[*k].kind,
                        crate::doc::InlineKind::Tag { name, .. } if name == "img");
                    let Some(inner) = seg.text.get(r.clone()).filter(|t| image && !t.is_empty())
                    else {
                        continue;
                    };
                    if word(seg.text[..r.start].chars().next_back()) && word(inner.chars().next()) {
                        at.push(r.start);
                    }
                    if word(inner.chars().next_back()) && word(seg.text[r.end..].chars().next()) {
                        at.push(r.end);
                    }
                }
                if !at.is_empty() {
                    at.sort_unstable();
                    at.dedup();
                    splits.insert((di, seg.id), at);
                }
                out.insert((di, seg.id), pieces.into_iter().map(|(_, r)| r).collect());
            }
        }
    }
    (out, splits)
}

/// `text` with a blank at each of `at` (sorted byte offsets), and `ranges` moved along: a
/// range that starts at a blank's place starts after it, one that ends there ends before it.
fn with_blanks(text: &str, at: &[usize], ranges: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len() + at.len());
    let mut pos = 0;
    for &p in at
        .iter()
        .filter(|&&p| p <= text.len() && text.is_char_boundary(p))
    {
        if p < pos {
            continue;
        }
        out.push_str(&text[pos..p]);
        out.push(' ');
        pos = p;
    }
    out.push_str(&text[pos..]);
    let shift = |p: usize, start: bool| {
        p + at
            .iter()
            .filter(|&&s| if start { s <= p } else { s < p })
            .count()
    };
    let moved = ranges
        .iter()
        .map(|r| {
            if r.is_empty() {
                let p = shift(r.start, false);
                p..p
            } else {
                shift(r.start, true)..shift(r.end, false)
            }
        })
        .collect();
    (out, moved)
}

/// The code (inline elements never translated) of `block`, sorted by place.
fn block_code(block: &crate::doc::Block) -> Vec<Range<usize>> {
    let mut code: Vec<Range<usize>> = block
        .inlines
        .iter()
        .filter(|i| matches!(i.kind, crate::doc::InlineKind::Code { .. }))
        .filter(|i| !i.span.is_empty())
        .map(|i| i.span.clone())
        .collect();
    code.sort_by_key(|r| (r.start, r.end));
    code
}

/// The parts of `code` (byte ranges of a block's text, sorted) inside `span`, as byte ranges
/// of the segment's text, not overlapping.
fn segment_code(code: &[Range<usize>], span: &Range<usize>) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for r in code {
        let (a, b) = (r.start.max(span.start), r.end.min(span.end));
        if a >= b || ranges.last().is_some_and(|l| l.end > a - span.start) {
            continue;
        }
        ranges.push(a - span.start..b - span.start);
    }
    ranges
}

/// The parts of every segment of `docs` that no engine may translate (inline code), as byte
/// ranges of the segment's text, by segment (only segments that have some).
fn verbatim_ranges(docs: &[Document]) -> HashMap<SegRef, Vec<Range<usize>>> {
    let mut out = HashMap::new();
    for (di, doc) in docs.iter().enumerate() {
        for block in &doc.blocks {
            let code = block_code(block);
            if code.is_empty() {
                continue;
            }
            for seg in &block.segments {
                let ranges = segment_code(&code, &seg.span);
                if !ranges.is_empty() {
                    out.insert((di, seg.id), ranges);
                }
            }
        }
    }
    out
}

/// Takes the code out of the text of the segments of `doc` (each part becomes one blank), for
/// the detector: code is no evidence of the language of its sentence. Returns the texts to
/// put back with [`put_back_code`].
fn hide_code(doc: &mut Document) -> Vec<(usize, usize, String)> {
    let mut saved = Vec::new();
    for (bi, block) in doc.blocks.iter_mut().enumerate() {
        let code = block_code(block);
        if code.is_empty() {
            continue;
        }
        for (si, seg) in block.segments.iter_mut().enumerate() {
            let ranges = segment_code(&code, &seg.span);
            if ranges.is_empty() {
                continue;
            }
            let mut text = String::with_capacity(seg.text.len());
            let mut pos = 0;
            for r in &ranges {
                text.push_str(seg.text.get(pos..r.start).unwrap_or_default());
                text.push(' ');
                pos = r.end;
            }
            text.push_str(seg.text.get(pos..).unwrap_or_default());
            saved.push((bi, si, std::mem::replace(&mut seg.text, text)));
        }
    }
    saved
}

/// Puts back the texts [`hide_code`] took.
fn put_back_code(doc: &mut Document, saved: Vec<(usize, usize, String)>) {
    for (bi, si, text) in saved {
        if let Some(seg) = doc.blocks.get_mut(bi).and_then(|b| b.segments.get_mut(si)) {
            seg.text = text;
        }
    }
}

/// Whether `text` has letters outside `code` (byte ranges of it).
fn letters_outside(text: &str, code: &[Range<usize>]) -> bool {
    text.char_indices()
        .any(|(i, c)| c.is_alphabetic() && !code.iter().any(|r| r.contains(&i)))
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
