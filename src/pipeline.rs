//! Wires the stages: segment → detect → route → backend, over one or more documents.
//!
//! Segments of all documents are grouped by route, so that each backend sees the whole input's
//! segments of a pair in a few large batches instead of one call per sentence.

use std::collections::HashMap;

use indicatif::{ProgressBar, ProgressStyle};

use crate::detect::Detector;
use crate::doc::{Detection, DetectionSource, Document, Format, Note, SegmentStatus, Severity};
use crate::error::Result;
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
    /// The translation memory: consulted before the backends, filled after them.
    pub memory: Option<crate::tm::Memory>,
}

impl Pipeline {
    /// Splits a document into the units that are detected on their own: a JSONL record is its
    /// own document (no language prior carried across records); other formats are one unit.
    fn units(doc: &Document) -> Vec<std::ops::Range<usize>> {
        match doc.format {
            Format::Jsonl => (0..doc.blocks.len()).map(|i| i..i + 1).collect(),
            _ => std::iter::once(0..doc.blocks.len()).collect(),
        }
    }

    /// Segments a document and sets the language of the document and of every segment.
    pub fn analyse(&self, doc: &mut Document) {
        for unit in Self::units(doc) {
            let mut part = Document::new(doc.format, doc.origin.clone());
            part.blocks = doc.blocks[unit.clone()].to_vec();
            // A first guess of the document language picks the abbreviation rules.
            part.lang = match self.from {
                Some(l) => Some(given(l)),
                None => {
                    let sample: String = part
                        .blocks
                        .iter()
                        .filter(|b| b.kind.is_translatable())
                        .flat_map(|b| [b.text.as_str(), "\n"])
                        .take(200)
                        .collect();
                    self.detector.detect(&sample)
                }
            };
            self.segmenter.segment_document(&mut part);
            match self.from {
                Some(l) => {
                    // The user named the source language; only segments clearly in the target
                    // language are told apart from it.
                    let target = self.router.target();
                    for seg in part.segments_mut() {
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
                    }
                    part.lang = Some(given(l));
                }
                None => self.detector.detect_document(&mut part),
            }
            let lang = part.lang;
            for (dst, src) in doc.blocks[unit].iter_mut().zip(part.blocks) {
                *dst = src;
            }
            if doc.format != Format::Jsonl || doc.lang.is_none() {
                doc.lang = lang;
            }
        }
        doc.number_segments();
    }

    /// Runs the whole pipeline over `docs`, filling translations, statuses and notes.
    ///
    /// Per-segment problems (no route, a segment the engine rejected) are recorded on the
    /// segment and counted in the summary; an `Err` means a backend could not be used at all.
    pub fn translate(&self, docs: &mut [Document]) -> Result<Summary> {
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
        for (hops, refs) in work {
            for chunk in refs.chunks(CHUNK) {
                let mut texts: Vec<String> = chunk
                    .iter()
                    .map(|&r| normalise_space(&index.get(docs, r).text))
                    .collect();
                let mut notes: Vec<Vec<Note>> = vec![Vec::new(); chunk.len()];
                let mut errors: Vec<Option<String>> = vec![None; chunk.len()];
                let engine = self.engine_id(&hops);
                let key = hops.first().zip(hops.last()).map(|(a, z)| crate::tm::Key {
                    from: a.pair.from,
                    to: z.pair.to,
                    engine: &engine,
                    glossary: "",
                });
                let mut cached = vec![false; chunk.len()];
                if let (Some(memory), Some(key)) = (&self.memory, &key) {
                    let sources: Vec<&str> = texts.iter().map(String::as_str).collect();
                    let hits = memory.lookup(key, &sources)?;
                    for (i, hit) in hits.into_iter().enumerate() {
                        if let Some(hit) = hit {
                            texts[i] = hit.text;
                            notes[i] = hit.notes;
                            notes[i].push(Note::new(
                                crate::tm::HIT,
                                Severity::Info,
                                "from the translation memory",
                            ));
                            cached[i] = true;
                        }
                    }
                }
                let sources = self.memory.as_ref().map(|_| texts.clone());
                for (k, hop) in hops.iter().enumerate() {
                    let live: Vec<usize> = (0..chunk.len())
                        .filter(|&i| errors[i].is_none() && !cached[i])
                        .collect();
                    if live.is_empty() {
                        break;
                    }
                    let backend = self.router.backend(hop.backend)?;
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
                        let Some(res) = results.get(slot) else {
                            errors[i] = Some(format!("{}: no result", backend.name()));
                            continue;
                        };
                        match res.clone() {
                            Ok(t) => {
                                texts[i] = t.text;
                                notes[i].extend(t.notes);
                            }
                            Err(e) => {
                                errors[i] = Some(format!(
                                    "{} ({}): {}",
                                    backend.name(),
                                    hop.pair,
                                    e.message
                                ));
                            }
                        }
                    }
                    if hops.len() > 1 && k == 0 {
                        for (i, n) in notes.iter_mut().enumerate() {
                            if errors[i].is_none() && !cached[i] {
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
                if let (Some(memory), Some(key), Some(sources)) = (&self.memory, &key, &sources) {
                    let fresh: Vec<(&str, &str, &[Note])> = (0..chunk.len())
                        .filter(|&i| !cached[i] && errors[i].is_none())
                        .map(|i| (sources[i].as_str(), texts[i].as_str(), notes[i].as_slice()))
                        .collect();
                    memory.store(key, &fresh)?;
                }
                summary.cached += cached.iter().filter(|&&c| c).count();
                for (i, &r) in chunk.iter().enumerate() {
                    let seg = index.get_mut(docs, r);
                    seg.notes.append(&mut notes[i]);
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
        Ok(summary)
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
