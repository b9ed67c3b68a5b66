//! The checker: segments source and target, aligns them, runs the checks over beads, units
//! and blocks in two passes (the second once the dictionary is in) and gathers the findings.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;

use rustc_hash::FxHashMap;

use crate::detect::Detector;
use crate::doc::{Block, Detection, DetectionSource, Document};
use crate::lang::Lang;
use crate::segment::{DocumentSpans, Segmenter};

use super::report::sort_findings;
use super::text::{has_words, same_words, words, words_into, words_within};
use super::{
    align, fragment, numbers, spacing, spell, Bead, CheckKind, CheckOptions, Finding, Report,
    Severity, SpellChecker, SpellError,
};

/// Runs the checks.
pub struct Checker {
    segmenter: Segmenter,
    detector: Detector,
    options: CheckOptions,
    /// The target-language dictionary once known: given in the options, or joined from
    /// `loading` when a check first needs it.
    spell: OnceLock<Option<SpellChecker>>,
    /// A thread loading the dictionary while the checks that need none run.
    loading: Mutex<Option<JoinHandle<Result<SpellChecker, SpellError>>>>,
    /// Why the loading thread gave no dictionary.
    dictionary_error: OnceLock<SpellError>,
    /// The process ends after the checks ([`Checker::ending_process`]).
    process_ends: bool,
}

/// A target segment waiting for the language check, which runs once the dictionary is in.
struct LangJob<'d> {
    seg: SegRef<'d>,
    /// The source text of its bead (`None`: a target-only check).
    source: Option<Cow<'d, str>>,
    /// The source line its findings point at.
    source_line: Option<usize>,
    /// Where the words of its block lie in its part's word buffer ([`Pending::words`]),
    /// when the first pass split them.
    block_words: Option<(usize, usize)>,
}

/// What the first pass (no dictionary needed) leaves for the dictionary pass: the word scans
/// of target blocks for the typo check, segments for the language check, and the word
/// evidence gathered on the way.
#[derive(Default)]
struct Pending<'d> {
    /// Each scanned block with the range of its words in `words`.
    scans: Vec<(&'d Block, Range<usize>)>,
    /// The words of all scanned blocks, one block after the other (one buffer for all).
    words: Vec<Range<usize>>,
    jobs: Vec<LangJob<'d>>,
    evidence: spell::Evidence,
}

/// A finding before it is placed: offsets are byte offsets in the block text.
#[derive(Clone)]
pub(crate) struct Raw {
    pub(crate) check: CheckKind,
    pub(crate) severity: Severity,
    pub(crate) span: Option<Range<usize>>,
    pub(crate) text: String,
    pub(crate) message: String,
    pub(crate) suggestion: Option<String>,
}

impl Raw {
    pub(crate) fn new(check: CheckKind, severity: Severity, message: impl Into<String>) -> Raw {
        Raw {
            check,
            severity,
            span: None,
            text: String::new(),
            message: message.into(),
            suggestion: None,
        }
    }
}

/// One side of a unit: its block and the block's segment spans.
type UnitSide<'d> = (&'d Block, &'d [Range<usize>]);

/// Block `i` of `doc` with its spans, if there is such a block.
fn unit_side<'d>(
    doc: &'d Document,
    spans: &'d DocumentSpans,
    i: Option<usize>,
) -> Option<UnitSide<'d>> {
    i.and_then(|i| Some((doc.blocks.get(i)?, spans.block(i))))
}

/// One segment with where it stands: a span of its block's text.
#[derive(Clone, Copy)]
struct SegRef<'d> {
    block: &'d Block,
    start: usize,
    end: usize,
}

impl<'d> SegRef<'d> {
    fn text(&self) -> &'d str {
        &self.block.text[self.start..self.end]
    }
    fn span(&self) -> Range<usize> {
        self.start..self.end
    }
    fn line(&self, lines: &Lines) -> usize {
        lines.of(self.block, self.start).0
    }
}

/// 1-based line and byte column (0-based) in that line of byte `pos` of `block.text`.
pub fn line_of(block: &Block, pos: usize) -> (usize, usize) {
    let pos = pos.min(block.text.len());
    let before = &block.text[..pos];
    let breaks = before.matches('\n').count();
    match before.rfind('\n') {
        Some(nl) => (block.line + breaks, pos - nl - 1),
        None => (block.line, first_line_lead(block) + pos),
    }
}

/// On a block's first line, the layout prefix (indentation, `## `, the source column of a TSV
/// line) stands before the text: its length.
fn first_line_lead(block: &Block) -> usize {
    block.prefix.rsplit('\n').next().map_or(0, str::len)
}

/// Where the lines of every block of the documents being checked start, made once per run:
/// placing a finding is then a binary search, not a count of the line breaks before it (which
/// made many findings in one long block quadratic).
struct Lines(FxHashMap<usize, Vec<usize>>);

impl Lines {
    fn new(docs: &[&Document]) -> Lines {
        let mut map = FxHashMap::default();
        for doc in docs {
            for b in &doc.blocks {
                let breaks = memchr::memchr_iter(b'\n', b.text.as_bytes()).collect();
                map.insert(std::ptr::from_ref(b) as usize, breaks);
            }
        }
        Lines(map)
    }

    /// [`line_of`] for a block of the documents indexed (any other is counted through).
    fn of(&self, block: &Block, pos: usize) -> (usize, usize) {
        let Some(breaks) = self.0.get(&(std::ptr::from_ref(block) as usize)) else {
            return line_of(block, pos);
        };
        let pos = pos.min(block.text.len());
        match breaks.partition_point(|&nl| nl < pos) {
            0 => (block.line, first_line_lead(block) + pos),
            k => (block.line + k, pos - breaks[k - 1] - 1),
        }
    }
}

fn segrefs<'d>(doc: &'d Document, spans: &DocumentSpans) -> Vec<SegRef<'d>> {
    doc.blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind.is_translatable())
        .flat_map(|(i, b)| block_segrefs(b, spans.block(i)))
        .collect()
}

/// The segments of a block that carry letters or digits: a lone `.` or `–` left over by a
/// stray space is reported by the spacing check, not aligned as a sentence.
fn block_segrefs<'d>(block: &'d Block, spans: &[Range<usize>]) -> Vec<SegRef<'d>> {
    spans
        .iter()
        .map(|r| SegRef {
            block,
            start: r.start,
            end: r.end,
        })
        .filter(|s| s.text().chars().any(char::is_alphanumeric))
        .collect()
}

impl Checker {
    /// A checker with the given options.
    pub fn new(mut options: CheckOptions) -> Checker {
        let spell = OnceLock::new();
        if let Some(s) = options.spell.take() {
            let _ = spell.set(Some(s));
        }
        Checker {
            segmenter: Segmenter::new(&Default::default()),
            detector: Detector::new(Vec::new()),
            options,
            spell,
            loading: Mutex::new(None),
            dictionary_error: OnceLock::new(),
            process_ends: false,
        }
    }

    /// A checker whose process ends after its checks (`tarjuman check`): the large
    /// temporaries of a check (the word evidence of a document: hundreds of thousands of
    /// small blocks) are left for the process exit to reclaim rather than freed one by one.
    pub fn ending_process(mut self) -> Checker {
        self.process_ends = true;
        self
    }

    /// Takes the dictionary from `loading`, a thread that is still loading it: the checks
    /// that need no dictionary (segmentation, alignment, numbers, spacing, …) run meanwhile,
    /// and the typo and language checks wait for it. A load error leaves those checks
    /// without a dictionary and is reported by [`Checker::dictionary_error`]. Ignored when
    /// the options already gave a dictionary.
    pub fn with_loading_dictionary(
        self,
        loading: JoinHandle<Result<SpellChecker, SpellError>>,
    ) -> Checker {
        if self.spell.get().is_none() {
            if let Ok(mut slot) = self.loading.lock() {
                *slot = Some(loading);
            }
        }
        self
    }

    /// The options the checker was made with (the dictionary is held by the checker itself:
    /// `options().spell` is always `None`).
    pub fn options(&self) -> &CheckOptions {
        &self.options
    }

    /// Why the dictionary given to [`Checker::with_loading_dictionary`] could not be loaded
    /// (waits for the loading thread).
    pub fn dictionary_error(&self) -> Option<&SpellError> {
        self.spell();
        self.dictionary_error.get()
    }

    /// The dictionary, waiting for the loading thread if there is one.
    fn spell(&self) -> Option<&SpellChecker> {
        self.spell
            .get_or_init(|| {
                let handle = self.loading.lock().ok().and_then(|mut h| h.take());
                match handle.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))) {
                    Some(Ok(s)) => Some(s),
                    Some(Err(e)) => {
                        let _ = self.dictionary_error.set(e);
                        None
                    }
                    None => None,
                }
            })
            .as_ref()
    }

    /// Whether the typo check will run: enabled, and a dictionary given or loading.
    fn typo_wanted(&self) -> bool {
        self.enabled(CheckKind::Typo)
            && match self.spell.get() {
                Some(s) => s.is_some(),
                None => self.loading.lock().is_ok_and(|h| h.is_some()),
            }
    }

    fn enabled(&self, c: CheckKind) -> bool {
        !self.options.config.disable.contains(&c)
    }

    /// The language given, or the one `doc` is written in (judged on a sample of bounded
    /// size, so that a long document costs no more than a few pages).
    fn given_or_detected(&self, doc: &Document, given: Option<Lang>) -> Option<Lang> {
        given.or_else(|| self.detector.document_language(doc).map(|d| d.lang))
    }

    /// Sets the document's language and segments it: the segment spans of its blocks, in a
    /// table of the checker's own (the blocks' [`crate::doc::Segment`]s are left as they are).
    fn prepare(&self, doc: &mut Document, lang: Option<Lang>) -> DocumentSpans {
        doc.lang = lang.map(|lang| Detection {
            lang,
            confidence: 1.0,
            source: DetectionSource::Given,
        });
        self.segmenter.document_spans(doc, lang)
    }

    /// Segments the source and the target, on several threads when they are large, and runs
    /// `beside` (work on both documents that needs no segments) meanwhile on a thread of its
    /// own.
    fn prepare_both<B: Send>(
        &self,
        source: &mut Document,
        from: Option<Lang>,
        target: &mut Document,
        to: Option<Lang>,
        beside: impl FnOnce(&Document, &Document) -> B + Send,
    ) -> (DocumentSpans, DocumentSpans, B) {
        if source.blocks.len() + target.blocks.len() < PARALLEL_MIN {
            let (s, t) = (self.prepare(source, from), self.prepare(target, to));
            return (s, t, beside(source, target));
        }
        for (doc, lang) in [(&mut *source, from), (&mut *target, to)] {
            doc.lang = lang.map(|lang| Detection {
                lang,
                confidence: 1.0,
                source: DetectionSource::Given,
            });
        }
        // Both documents in runs of blocks of about equal text, taken by whichever thread
        // is free (the two sides differ in length and in the cost of their language's
        // rules): the tables of each side's runs are joined in order.
        let threads = worker_threads();
        let (source, target) = (&*source, &*target);
        let n = threads * PARTS_PER_THREAD;
        let runs: Vec<BlockRun> = block_runs(source, n)
            .into_iter()
            .map(|blocks| (false, from, blocks))
            .chain(
                block_runs(target, n)
                    .into_iter()
                    .map(|blocks| (true, to, blocks)),
            )
            .collect();
        let items: Vec<&[BlockRun]> = runs.iter().map(std::slice::from_ref).collect();
        let (tables, besides) = std::thread::scope(|scope| {
            let besides = scope.spawn(move || beside(source, target));
            let tables = run_chunks(&items, threads, |run| {
                run.iter()
                    .map(|(side, lang, blocks)| (*side, self.segmenter.blocks_spans(blocks, *lang)))
                    .collect::<Vec<_>>()
            });
            let besides = besides
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (tables, besides)
        });
        let (tgt, src): (Vec<_>, Vec<_>) =
            tables.into_iter().flatten().partition(|(side, _)| *side);
        (
            DocumentSpans::concat(src.into_iter().map(|(_, t)| t).collect()),
            DocumentSpans::concat(tgt.into_iter().map(|(_, t)| t).collect()),
            besides,
        )
    }

    /// Checks a target document alone: the checks that need no source (typos, spacing,
    /// repeated words, punctuation, fragments, wrong language).
    pub fn check_target(&self, target: &mut Document) -> Report {
        let to = self.given_or_detected(target, self.options.to);
        let spans = self.prepare(target, to);
        let lines = &Lines::new(&[target]);
        let langs = Langs { from: None, to };
        let mut findings = Vec::new();
        let mut parts = self.target_blocks_pass(lines, target, langs, &mut findings);
        self.fragment_check(target, &mut findings);
        if self.enabled(CheckKind::Fragment) {
            findings.extend(super::lines::torn_in_target(target));
        }
        let segs = segrefs(target, &spans);
        parts.push(Pending {
            jobs: segs
                .iter()
                .map(|&seg| LangJob {
                    seg,
                    source: None,
                    source_line: None,
                    block_words: None,
                })
                .collect(),
            ..Pending::default()
        });
        self.dictionary_pass(lines, parts, langs, &mut findings);
        self.finish(findings, 0, segs.len())
    }

    /// Checks a target document against its source document: both are segmented, aligned,
    /// and every check runs.
    pub fn check_documents(&self, source: &mut Document, target: &mut Document) -> Report {
        if let Some(mut units) = super::lines::line_units(source, target) {
            // One sentence per line on both sides: checked line pair by line pair.
            let mut report = self.check_units(&mut units.source, &mut units.target, &units.pairs);
            if self.enabled(CheckKind::Fragment) {
                report.findings.extend(units.torn);
                sort_findings(&mut report.findings);
            }
            return report;
        }
        let from = self.given_or_detected(source, self.options.from);
        let to = self.given_or_detected(target, self.options.to);
        let (src_spans, tgt_spans, lines) =
            self.prepare_both(source, from, target, to, |s, t| Lines::new(&[s, t]));
        let lines = &lines;
        let langs = Langs { from, to };
        let mut findings = Vec::new();
        let mut parts = self.target_blocks_pass(lines, target, langs, &mut findings);
        self.fragment_check(target, &mut findings);
        let src = segrefs(source, &src_spans);
        let tgt = segrefs(target, &tgt_spans);
        let mut pending = Pending::default();
        if self.typo_wanted() {
            for b in source.blocks.iter().filter(|b| b.kind.is_translatable()) {
                pending.evidence.add_source(&b.text);
            }
        }
        let ratio = ratio_of(&src, &tgt);
        self.check_aligned_with(
            lines,
            &src,
            &tgt,
            ratio,
            langs,
            UnitWords::default(),
            &mut findings,
            &mut pending.jobs,
        );
        parts.push(pending);
        self.dictionary_pass(lines, parts, langs, &mut findings);
        self.finish(findings, src.len(), tgt.len())
    }

    /// Checks documents whose blocks are paired unit by unit (TSV lines, JSONL records):
    /// `pairs` holds `(source block, target block)` indices, `None` on the side where a unit
    /// is missing. The segments inside each unit are aligned; an empty or missing target unit
    /// is reported as dropped, a target unit without source as added.
    ///
    /// One pass over the units (on several threads for large inputs) runs every check that
    /// needs no dictionary and gathers the word evidence; the typo and language checks follow
    /// once the dictionary is in.
    pub fn check_units(
        &self,
        source: &mut Document,
        target: &mut Document,
        pairs: &[(Option<usize>, Option<usize>)],
    ) -> Report {
        let from = self.given_or_detected(source, self.options.from);
        let to = self.given_or_detected(target, self.options.to);
        // The line index and the length ratio are made while the documents are segmented.
        let (src_spans, tgt_spans, (lines, ratio)) =
            self.prepare_both(source, from, target, to, |s, t| {
                (Lines::new(&[s, t]), length_ratio(s, t))
            });
        crate::timeline::mark("segmented");
        let langs = Langs { from, to };
        let (source, target) = (&*source, &*target);
        let lines = &lines;
        // A target block named by several pairs gets its block checks (and its words
        // counted) once.
        let mut seen = vec![false; target.blocks.len()];
        let units: Vec<(Option<UnitSide>, Option<UnitSide>, bool)> = pairs
            .iter()
            .map(|&(si, ti)| {
                let first = ti
                    .and_then(|i| seen.get_mut(i))
                    .is_some_and(|s| !std::mem::replace(s, true));
                (
                    unit_side(source, &src_spans, si),
                    unit_side(target, &tgt_spans, ti),
                    first,
                )
            })
            .collect();
        let nsrc = units.iter().filter_map(|u| u.0).map(|(_, s)| s.len()).sum();
        let ntgt = units.iter().filter_map(|u| u.1).map(|(_, s)| s.len()).sum();
        let typo = self.typo_wanted();
        let results = std::thread::scope(|scope| {
            if typo && units.len() >= PARALLEL_MIN {
                // The typo judgment of a large input meets unknown words at once, and they
                // need the dictionary's stems (tens of milliseconds to read): read them
                // beside the first pass, as soon as the dictionary is in, rather than on
                // one thread after it while the other waits.
                scope.spawn(|| {
                    crate::timeline::mark("stems: waits for the dictionary");
                    if let Some(spell) = self.spell() {
                        crate::timeline::mark("stems: reads");
                        spell.prepare_judgment();
                    }
                    crate::timeline::mark("stems: done");
                });
            }
            self.first_pass(lines, &units, ratio, langs, typo)
        });
        crate::timeline::mark("first pass done");
        let mut findings = Vec::new();
        let mut parts = Vec::with_capacity(results.len());
        for (f, p) in results {
            findings.extend(f);
            parts.push(p);
        }
        self.dictionary_pass(lines, parts, langs, &mut findings);
        self.finish(findings, nsrc, ntgt)
    }

    /// The first pass of [`Checker::check_units`] over its units (every check that needs
    /// no dictionary; the words gathered for the typo check): findings and evidence per
    /// part.
    fn first_pass<'d>(
        &self,
        lines: &Lines,
        units: &[(Option<UnitSide<'d>>, Option<UnitSide<'d>>, bool)],
        ratio: f64,
        langs: Langs,
        typo: bool,
    ) -> Vec<(Vec<Finding>, Pending<'d>)> {
        // Parts of about equal text (both sides' bytes, and a little for the unit itself).
        let weight = |(s, t, _): &(Option<UnitSide>, Option<UnitSide>, bool)| {
            64 + s.map_or(0, |(b, _)| b.text.len()) + t.map_or(0, |(b, _)| b.text.len())
        };
        // The word evidence is gathered per thread, not per part: a word met in every part
        // is counted in one map per thread, and the dictionary pass merges one map per
        // thread however many parts there are. So the parts shrink as the work goes on
        // (the threads end together) at no cost in merging.
        let (mut parts, evidence) = in_guided_parts_with(
            units,
            PARALLEL_MIN,
            weight,
            spell::Evidence::default,
            |evidence, chunk| {
                let mut pending = Pending {
                    evidence: std::mem::take(evidence),
                    ..Pending::default()
                };
                let out = self.first_pass_part(lines, chunk, ratio, langs, typo, &mut pending);
                *evidence = std::mem::take(&mut pending.evidence);
                (out, pending)
            },
        );
        // The threads' evidence goes with the first parts (the dictionary pass merges it
        // all, in any order).
        let mut evidence = evidence.into_iter();
        for (_, p) in &mut parts {
            match evidence.next() {
                Some(e) => p.evidence = e,
                None => break,
            }
        }
        parts.extend(evidence.map(|evidence| {
            (
                Vec::new(),
                Pending {
                    evidence,
                    ..Pending::default()
                },
            )
        }));
        parts
    }

    /// One part of [`Checker::first_pass`]: its findings; the scans, words, language jobs
    /// and word evidence go to `pending`.
    fn first_pass_part<'d>(
        &self,
        lines: &Lines,
        chunk: &[(Option<UnitSide<'d>>, Option<UnitSide<'d>>, bool)],
        ratio: f64,
        langs: Langs,
        typo: bool,
        pending: &mut Pending<'d>,
    ) -> Vec<Finding> {
        crate::timeline::mark("first pass: part");
        let mut out = Vec::new();
        pending.scans.reserve(if typo { chunk.len() } else { 0 });
        pending
            .words
            .reserve(if typo { chunk.len() * 12 } else { 0 });
        pending.jobs.reserve(chunk.len());
        let mut source_words = Vec::new();
        for &(sb, tb, first) in chunk {
            // The unit's words, split once: the target's by the block pass (kept in
            // the part's buffer when the typo check wants them), the source's here;
            // the aligner's items take their segments' words from them.
            let target_from = pending.words.len();
            source_words.clear();
            let split = sb.filter(|(b, _)| typo && b.kind.is_translatable());
            if let Some((sb, _)) = split {
                words_into(&sb.text, &mut source_words);
            }
            if let Some((tb, _)) = tb.filter(|(b, _)| first && b.kind.is_translatable()) {
                self.block_pass(
                    lines,
                    tb,
                    sb.map(|(sb, _)| (sb.text.as_str(), split.map(|_| &source_words[..]))),
                    typo,
                    langs,
                    pending,
                    &mut out,
                );
            }
            if let Some((sb, _)) = split {
                pending.evidence.add_source_words(&sb.text, &source_words);
            }
            let target_to = pending.words.len();
            let words = UnitWords {
                source: (!source_words.is_empty()).then_some(&source_words[..]),
                target: (target_to > target_from).then(|| &pending.words[target_from..]),
                target_at: (target_to > target_from).then_some((target_from, target_to)),
            };
            self.check_unit(
                lines,
                sb,
                tb,
                ratio,
                langs,
                words,
                &mut out,
                &mut pending.jobs,
            );
        }
        out
    }

    /// One unit pair of [`Checker::check_units`].
    #[allow(clippy::too_many_arguments)]
    fn check_unit<'d>(
        &self,
        lines: &Lines,
        sb: Option<UnitSide<'d>>,
        tb: Option<UnitSide<'d>>,
        ratio: f64,
        langs: Langs,
        words: UnitWords,
        out: &mut Vec<Finding>,
        jobs: &mut Vec<LangJob<'d>>,
    ) {
        match (sb, tb) {
            (Some((sb, ss)), Some((tb, []))) => {
                if !ss.is_empty() {
                    let (severity, message) =
                        in_entry(tb, Severity::Error, "the target is empty".into());
                    out.push(Finding {
                        check: CheckKind::Dropped,
                        severity,
                        target_line: Some(tb.line),
                        source_line: Some(sb.line),
                        target_span: None,
                        text: sb.text.clone(),
                        message,
                        suggestion: None,
                    });
                }
            }
            (Some((sb, ss)), Some((tb, ts))) => {
                let mut raws = Vec::new();
                // A plural form of a catalogue entry (see the PO reader's marks).
                let plural = super::pairs::Plural {
                    also: tb
                        .attrs
                        .get(crate::doc::po::PLURAL_SOURCE)
                        .and_then(|v| v.as_str()),
                    single_count: tb.attrs.contains_key(crate::doc::po::SINGLE_COUNT),
                };
                super::pairs::check(&sb.text, &tb.text, plural, |c| self.enabled(c), &mut raws);
                out.extend(raws.into_iter().map(|r| place(lines, tb, r, Some(sb.line))));
                let src = block_segrefs(sb, ss);
                let tgt = block_segrefs(tb, ts);
                if src.is_empty() || tgt.is_empty() {
                    return;
                }
                self.check_aligned_with(lines, &src, &tgt, ratio, langs, words, out, jobs);
            }
            (Some((sb, _)), None) => out.push(Finding {
                check: CheckKind::Dropped,
                severity: Severity::Error,
                target_line: None,
                source_line: Some(sb.line),
                target_span: None,
                text: sb.text.clone(),
                message: "source unit has no target unit".into(),
                suggestion: None,
            }),
            (None, Some((tb, _))) => out.push(Finding {
                check: CheckKind::Added,
                severity: Severity::Warning,
                target_line: Some(tb.line),
                source_line: None,
                target_span: None,
                text: tb.text.clone(),
                message: "target unit has no source unit".into(),
                suggestion: None,
            }),
            (None, None) => {}
        }
    }

    fn finish(&self, mut findings: Vec<Finding>, nsrc: usize, ntgt: usize) -> Report {
        crate::timeline::mark("finish");
        findings.retain(|f| self.enabled(f.check));
        // Words of a segment in another language are not typos of this one.
        let foreign: Vec<(usize, Range<usize>)> = findings
            .iter()
            .filter(|f| matches!(f.check, CheckKind::WrongLanguage | CheckKind::Untranslated))
            .filter_map(|f| Some((f.target_line?, f.target_span.clone()?)))
            .collect();
        if !foreign.is_empty() {
            findings.retain(|f| {
                f.check != CheckKind::Typo
                    || !foreign.iter().any(|(line, span)| {
                        f.target_line == Some(*line)
                            && f.target_span
                                .as_ref()
                                .is_some_and(|s| s.start >= span.start && s.end <= span.end)
                    })
            });
        }
        for f in &mut findings {
            if let Some(&s) = self.options.config.severity.get(&f.check) {
                f.severity = s;
            }
        }
        sort_findings(&mut findings);
        Report {
            findings,
            source_segments: nsrc,
            target_segments: ntgt,
        }
    }

    /// The block checks of every translatable target block (on several threads for large
    /// documents); returns what the dictionary pass needs.
    fn target_blocks_pass<'d>(
        &self,
        lines: &Lines,
        target: &'d Document,
        langs: Langs,
        findings: &mut Vec<Finding>,
    ) -> Vec<Pending<'d>> {
        let blocks: Vec<&Block> = target
            .blocks
            .iter()
            .filter(|b| b.kind.is_translatable())
            .collect();
        let typo = self.typo_wanted();
        let results = in_parts(&blocks, PARALLEL_MIN, |chunk| {
            let mut out = Vec::new();
            let mut pending = Pending::default();
            for b in chunk {
                self.block_pass(lines, b, None, typo, langs, &mut pending, &mut out);
            }
            (out, pending)
        });
        let mut parts = Vec::with_capacity(results.len());
        for (f, p) in results {
            findings.extend(f);
            parts.push(p);
        }
        parts
    }

    /// The checks of one target block that need no dictionary (spacing, repeated words,
    /// punctuation); with `typo`, its words are counted as evidence and kept for the typo
    /// check. `source` is the unit's source text with its words where the caller split
    /// them already.
    #[allow(clippy::too_many_arguments)]
    fn block_pass<'d>(
        &self,
        lines: &Lines,
        b: &'d Block,
        source: Option<(&str, Option<&[Range<usize>]>)>,
        typo: bool,
        langs: Langs,
        pending: &mut Pending<'d>,
        out: &mut Vec<Finding>,
    ) {
        let repeated = self.enabled(CheckKind::RepeatedWord);
        // One word scan serves the evidence, the typo check and the repeated-word check; it
        // goes to the end of the part's word buffer (and stays there for the typo check).
        let first = pending.words.len();
        if typo || repeated {
            words_into(&b.text, &mut pending.words);
        }
        let scan = &pending.words[first..];
        let mut raws = Vec::new();
        if self.enabled(CheckKind::Spacing) {
            raws.extend(spacing::spacing(&b.text, langs.to));
        }
        if repeated {
            raws.extend(spacing::repeated_words(&b.text, scan));
        }
        if self.enabled(CheckKind::Punctuation) {
            raws.extend(spacing::balance(&b.text));
        }
        if let Some((source, split)) = source.filter(|_| !raws.is_empty()) {
            // What the source does too (aligned columns, a word it repeats itself, a quote
            // it leaves open) is no fault of the translation.
            let mut theirs = spacing::spacing(source, langs.from);
            match split {
                Some(ws) => theirs.extend(spacing::repeated_words(source, ws)),
                None => theirs.extend(spacing::repeated_words(source, &words(source))),
            }
            theirs.extend(spacing::balance(source));
            raws = spacing::not_in_source(raws, theirs);
            if self.enabled(CheckKind::DoubleSpace) {
                // Reported by the double-space check, against the source's count.
                raws.retain(|r| !(r.check == CheckKind::Spacing && r.message == "doubled space"));
            }
        }
        out.extend(raws.into_iter().map(|r| place(lines, b, r, None)));
        if typo {
            pending.evidence.add_target_words(&b.text, scan);
            pending.scans.push((b, first..pending.words.len()));
        } else {
            pending.words.truncate(first);
        }
    }

    fn fragment_check(&self, target: &Document, out: &mut Vec<Finding>) {
        if self.enabled(CheckKind::Fragment) {
            out.extend(fragment::find(target));
        }
    }

    /// The checks that need the dictionary: the typo check over the scanned blocks and the
    /// language check over the waiting segments. Waits for the dictionary, merges the
    /// evidence of all parts, judges each distinct word once, then checks the parts side by
    /// side.
    fn dictionary_pass(
        &self,
        lines: &Lines,
        mut parts: Vec<Pending>,
        langs: Langs,
        out: &mut Vec<Finding>,
    ) {
        crate::timeline::mark("dictionary pass: waits for the dictionary");
        let spell = self.spell();
        crate::timeline::mark("dictionary pass: merges");
        let typo = spell.filter(|_| self.enabled(CheckKind::Typo));
        let mut evidence = spell::Evidence::default();
        if typo.is_some() {
            evidence.merge_all(
                parts
                    .iter_mut()
                    .map(|p| std::mem::take(&mut p.evidence))
                    .collect(),
            );
            for t in &self.options.terms {
                for term in t.target_terms(langs.from, langs.to) {
                    evidence.add_term(&term);
                }
            }
        }
        crate::timeline::mark("dictionary pass: settles");
        if let Some(spell) = spell {
            evidence.settle(spell);
        }
        crate::timeline::mark("dictionary pass: checks");
        // One verdict per distinct unknown word for the whole document, whichever part
        // (thread) meets it first.
        let verdicts = spell::Verdicts::default();
        self.dictionary_checks(lines, &parts, langs, typo, &evidence, &verdicts, out);
        if self.process_ends && parts.len() > 1 {
            // A large document's (the parts come from several threads): freeing its
            // evidence took a fiftieth of a run.
            std::mem::forget(evidence);
            std::mem::forget(verdicts);
        }
    }

    /// The typo and language checks of [`Checker::dictionary_pass`] over the pending parts,
    /// with the settled evidence.
    #[allow(clippy::too_many_arguments)]
    fn dictionary_checks(
        &self,
        lines: &Lines,
        parts: &[Pending],
        langs: Langs,
        typo: Option<&SpellChecker>,
        evidence: &spell::Evidence,
        verdicts: &spell::Verdicts,
        out: &mut Vec<Finding>,
    ) {
        // The parts' scans and language jobs one by one, in the parts' order (each part's
        // scans, then its jobs), cut into pieces of about equal text: the first pieces judge
        // most of the unknown words and take longer, so that many small pieces, each taken
        // by whichever thread is free, end the pass together.
        let mut items: Vec<DictItem> = Vec::new();
        for p in parts {
            if typo.is_some() {
                items.extend(
                    p.scans
                        .iter()
                        .map(|(b, scan)| DictItem::Scan(b, &p.words[scan.clone()])),
                );
            }
            items.extend(p.jobs.iter().map(|job| {
                let words = job.block_words.and_then(|(from, to)| p.words.get(from..to));
                DictItem::Job(job, words)
            }));
        }
        let min = if parts.len() >= 2 { 2 } else { usize::MAX };
        let found = in_guided_parts(&items, min, DictItem::weight, |chunk| {
            crate::timeline::mark("dictionary pass: piece");
            let mut out = Vec::new();
            let mut judged = spell::Judged::new(verdicts);
            for item in chunk {
                match item {
                    DictItem::Scan(b, words) => {
                        if let Some(spell) = typo {
                            let raws = spell.check_words(&b.text, words, evidence, &mut judged);
                            out.extend(raws.into_iter().map(|r| place(lines, b, r, None)));
                        }
                    }
                    DictItem::Job(job, block_words) => {
                        let before = out.len();
                        self.language_check(
                            lines,
                            &job.seg,
                            *block_words,
                            job.source.as_deref(),
                            langs,
                            evidence,
                            &mut judged,
                            &mut out,
                        );
                        for f in &mut out[before..] {
                            f.source_line = job.source_line;
                        }
                    }
                }
            }
            out
        });
        crate::timeline::mark("dictionary pass: pieces done");
        let start = out.len();
        out.extend(found.into_iter().flatten());
        if let Some(spell) = typo {
            let variants = self.enabled(CheckKind::SpellingVariant);
            // The two searches over the whole document's words are independent: side by
            // side for a large document (its parts come from several threads).
            let mixed = if variants && parts.len() > 1 {
                std::thread::scope(|scope| {
                    let mixed = scope.spawn(|| mixed_spellings(lines, spell, evidence, parts));
                    searched_suggestions(spell, evidence, &mut out[start..]);
                    mixed
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e))
                })
            } else {
                searched_suggestions(spell, evidence, &mut out[start..]);
                variants
                    .then(|| mixed_spellings(lines, spell, evidence, parts))
                    .flatten()
            };
            crate::timeline::mark("dictionary pass: searched");
            out.extend(mixed);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_aligned_with<'d>(
        &self,
        lines: &Lines,
        src: &[SegRef<'d>],
        tgt: &[SegRef<'d>],
        ratio: f64,
        langs: Langs,
        words: UnitWords,
        out: &mut Vec<Finding>,
        jobs: &mut Vec<LangJob<'d>>,
    ) {
        if src.len() == 1 && tgt.len() == 1 {
            // One segment on each side (most units): nothing to align.
            let bead = [Bead {
                source: 0..1,
                target: 0..1,
            }];
            self.check_beads(
                lines,
                src,
                tgt,
                &bead,
                ratio,
                langs,
                words.target_at,
                out,
                jobs,
            );
            return;
        }
        // A segment's words from its unit's, where the unit's were split (segments of one
        // block each, `words` of that block).
        let seg_words = |seg: &SegRef<'d>, block: Option<&[Range<usize>]>| {
            (seg.text(), block.and_then(|w| words_within(w, seg.span())))
        };
        let (src_items, tgt_items) = align::items_with(
            src.iter().map(|s| seg_words(s, words.source)),
            langs.from,
            tgt.iter().map(|s| seg_words(s, words.target)),
            langs.to,
        );
        let mut beads = align::align(&src_items, &tgt_items, ratio);
        if !beads
            .iter()
            .any(|b| !b.source.is_empty() && !b.target.is_empty())
        {
            // Nothing matched (every source segment dropped, every target segment added):
            // the text was rewritten as a whole, not lost; it is compared as one.
            beads = vec![Bead {
                source: 0..src.len(),
                target: 0..tgt.len(),
            }];
        }
        let beads = split_short_merges(src, tgt, beads, ratio);
        let beads = absorb_merged(src, tgt, beads, ratio, langs);
        self.check_beads(
            lines,
            src,
            tgt,
            &beads,
            ratio,
            langs,
            words.target_at,
            out,
            jobs,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn check_beads<'d>(
        &self,
        lines: &Lines,
        src: &[SegRef<'d>],
        tgt: &[SegRef<'d>],
        beads: &[Bead],
        ratio: f64,
        langs: Langs,
        block_words: Option<(usize, usize)>,
        out: &mut Vec<Finding>,
        jobs: &mut Vec<LangJob<'d>>,
    ) {
        for (bi, bead) in beads.iter().enumerate() {
            let s = &src[bead.source.clone()];
            let t = &tgt[bead.target.clone()];
            match (s.len(), t.len()) {
                (0, 0) => {}
                (_, 0) => {
                    // The matching beads beside this one (before it, then after it): the
                    // sentence may be merged into either.
                    let beside: Vec<(&[SegRef], &[SegRef])> = [bi.checked_sub(1), Some(bi + 1)]
                        .into_iter()
                        .flatten()
                        .filter_map(|k| beads.get(k))
                        .filter(|b| !b.source.is_empty() && !b.target.is_empty())
                        .map(|b| (&src[b.source.clone()], &tgt[b.target.clone()]))
                        .collect();
                    for seg in s {
                        if seg.text().chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                            continue;
                        }
                        if let Some((_, n)) = beside
                            .iter()
                            .find(|(ns, nt)| merged_into(seg.text(), ns, nt, ratio, langs))
                        {
                            out.push(place(
                                lines,
                                n[0].block,
                                Raw {
                                    span: Some(n[0].span()),
                                    text: n[0].text().to_string(),
                                    ..Raw::new(
                                        CheckKind::Merged,
                                        Severity::Info,
                                        format!(
                                            "the source sentence `{}` is merged into this one",
                                            shorten(seg.text(), 60)
                                        ),
                                    )
                                },
                                Some(seg.line(lines)),
                            ));
                            continue;
                        }
                        let (severity, message) = in_entry(
                            seg.block,
                            Severity::Error,
                            format!(
                                "source sentence `{}` has no counterpart in the target",
                                shorten(seg.text(), 80)
                            ),
                        );
                        out.push(Finding {
                            check: CheckKind::Dropped,
                            severity,
                            target_line: None,
                            source_line: Some(seg.line(lines)),
                            target_span: None,
                            text: seg.text().to_string(),
                            message,
                            suggestion: None,
                        });
                    }
                }
                (0, _) => {
                    // The matching beads beside this one.
                    let beside: Vec<(&[SegRef], &[SegRef])> = [bi.checked_sub(1), Some(bi + 1)]
                        .into_iter()
                        .flatten()
                        .filter_map(|k| beads.get(k))
                        .filter(|b| !b.source.is_empty() && !b.target.is_empty())
                        .map(|b| (&src[b.source.clone()], &tgt[b.target.clone()]))
                        .collect();
                    let mut note_open = false;
                    for seg in t {
                        if seg.text().chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                            continue;
                        }
                        let (note, open) = align::translator_note(seg.text(), note_open);
                        note_open = open;
                        if let Some((ns, _)) = beside
                            .iter()
                            .find(|(ns, nt)| split_off(seg.text(), ns, nt, ratio))
                        {
                            out.push(place(
                                lines,
                                seg.block,
                                Raw {
                                    span: Some(seg.span()),
                                    text: seg.text().to_string(),
                                    ..Raw::new(
                                        CheckKind::Merged,
                                        Severity::Info,
                                        format!(
                                            "this segment and its neighbour render the source sentence `{}`, split",
                                            shorten(ns[0].text(), 60)
                                        ),
                                    )
                                },
                                Some(ns[0].line(lines)),
                            ));
                            continue;
                        }
                        out.push(place(
                            lines,
                            seg.block,
                            Raw {
                                span: Some(seg.span()),
                                text: seg.text().to_string(),
                                ..if note {
                                    Raw::new(
                                        CheckKind::Added,
                                        Severity::Info,
                                        "a note of the translator's, not in the source",
                                    )
                                } else {
                                    Raw::new(
                                        CheckKind::Added,
                                        Severity::Warning,
                                        "target segment has no counterpart in the source",
                                    )
                                }
                            },
                            None,
                        ));
                    }
                }
                (ns, nt) => {
                    let source_text: Cow<'d, str> = if ns == 1 {
                        Cow::Borrowed(s[0].text())
                    } else {
                        Cow::Owned(join(s))
                    };
                    let source_line = s[0].line(lines);
                    if ns != nt {
                        let span = t[0].span().start..t[nt - 1].span().end;
                        let msg = if ns > nt {
                            format!("{ns} source segments are rendered as {nt} target segment(s)")
                        } else {
                            format!("{ns} source segment(s) are rendered as {nt} target segments")
                        };
                        let same_block = t.iter().all(|x| std::ptr::eq(x.block, t[0].block));
                        out.push(place(
                            lines,
                            t[0].block,
                            Raw {
                                span: same_block.then_some(span.clone()),
                                text: if same_block {
                                    t[0].block.text[span].to_string()
                                } else {
                                    t[0].text().to_string()
                                },
                                ..Raw::new(CheckKind::Merged, Severity::Info, msg)
                            },
                            Some(source_line),
                        ));
                    }
                    let untranslated =
                        self.pair_checks(lines, &source_text, source_line, t, ratio, langs, out);
                    if !untranslated {
                        jobs.extend(t.iter().map(|&seg| LangJob {
                            seg,
                            source: Some(source_text.clone()),
                            source_line: Some(source_line),
                            block_words,
                        }));
                    }
                }
            }
        }
    }

    /// Whether the target text of a bead repeats its source word for word.
    fn untranslated(&self, source: &str, target: &str, langs: Langs) -> bool {
        self.enabled(CheckKind::Untranslated)
            && langs.from != langs.to
            && same_words(source, target)
            && has_text_words(target, 3)
    }

    /// Checks on one bead: the joined source text against target segments `t`. Returns
    /// whether the target repeats the source (then the language check is not wanted).
    #[allow(clippy::too_many_arguments)]
    fn pair_checks(
        &self,
        lines: &Lines,
        source: &str,
        source_line: usize,
        t: &[SegRef],
        ratio: f64,
        langs: Langs,
        out: &mut Vec<Finding>,
    ) -> bool {
        let target: Cow<str> = if t.len() == 1 {
            Cow::Borrowed(t[0].text())
        } else {
            Cow::Owned(join(t))
        };
        let first = t[0];
        // Where each segment starts in `target` (segments are joined with one space), so
        // that a span in `target` can be traced back to its segment and block.
        let starts: Vec<usize> = t
            .iter()
            .scan(0, |pos, seg| {
                let here = *pos;
                *pos += seg.text().len() + 1;
                Some(here)
            })
            .collect();
        let locate = |r: Range<usize>| -> Option<(&Block, Range<usize>)> {
            let k = starts.partition_point(|&o| o <= r.start).checked_sub(1)?;
            let seg = t[k];
            let (a, b) = (r.start - starts[k], r.end - starts[k]);
            (b <= seg.text().len()).then(|| (seg.block, seg.span().start + a..seg.span().start + b))
        };
        let whole = Some(first.span());
        let mut raws: Vec<(&Block, Raw)> = Vec::new();

        // Untranslated: identical to the source (the language check, which needs the
        // dictionary, comes later for the segments this leaves).
        let untranslated = self.untranslated(source, &target, langs);
        if untranslated {
            // Prose left as it was is an error; commands, names and code lines are often
            // meant to stay (`git commit --amend`).
            let severity = if prose(&target) {
                Severity::Error
            } else {
                Severity::Warning
            };
            raws.push((
                first.block,
                Raw {
                    span: whole.clone(),
                    text: target.to_string(),
                    ..Raw::new(
                        CheckKind::Untranslated,
                        severity,
                        "target is identical to the source",
                    )
                },
            ));
        }

        if self.enabled(CheckKind::Number) {
            for issue in numbers::compare(source, langs.from, &target, langs.to) {
                let (block, span) = match issue.target_span.clone().and_then(&locate) {
                    Some((b, s)) => (b, Some(s)),
                    None => (first.block, whole.clone()),
                };
                raws.push((
                    block,
                    Raw {
                        span,
                        text: issue.text,
                        suggestion: issue.suggestion,
                        ..Raw::new(CheckKind::Number, issue.severity, issue.message)
                    },
                ));
            }
        }

        if self.enabled(CheckKind::Glossary) {
            for terms in &self.options.terms {
                for issue in terms.check_pair(langs.from, langs.to, source, &target) {
                    let (block, span) = match issue.span.clone().and_then(&locate) {
                        Some((b, s)) => (b, Some(s)),
                        None => (first.block, whole.clone()),
                    };
                    raws.push((
                        block,
                        Raw {
                            span,
                            text: issue.text,
                            suggestion: issue.suggestion,
                            ..Raw::new(CheckKind::Glossary, issue.severity, issue.message)
                        },
                    ));
                }
            }
        }

        if self.enabled(CheckKind::Length) && !untranslated {
            let (ls, lt) = (source.chars().count() as f64, target.chars().count() as f64);
            if ls >= 20.0 && lt >= 1.0 {
                let r = lt / (ls * ratio);
                if !(0.45..=2.2).contains(&r) {
                    raws.push((first.block, Raw {
                        span: whole.clone(),
                        text: target.to_string(),
                        ..Raw::new(
                            CheckKind::Length,
                            Severity::Warning,
                            format!(
                                "target is {:.0}% of the expected length ({} vs {} characters in the source)",
                                r * 100.0,
                                lt,
                                ls
                            ),
                        )
                    }));
                }
            }
        }
        out.extend(
            raws.into_iter()
                .map(|(block, raw)| place(lines, block, raw, Some(source_line))),
        );
        untranslated
    }

    /// Wrong language / untranslated by the detector, for one target segment.
    #[allow(clippy::too_many_arguments)]
    fn language_check(
        &self,
        lines: &Lines,
        seg: &SegRef,
        block_words: Option<&[Range<usize>]>,
        source: Option<&str>,
        langs: Langs,
        evidence: &spell::Evidence,
        judged: &mut spell::Judged,
        out: &mut Vec<Finding>,
    ) {
        let from = langs.from;
        let Some(to) = langs.to else { return };
        if !self.enabled(CheckKind::Untranslated) && !self.enabled(CheckKind::WrongLanguage) {
            return;
        }
        let text = seg.text();
        if !has_words(text, 5) {
            return;
        }
        // Most segments are plainly in the target language: when the target dictionary
        // knows seven words in ten, the (much slower) detector is not asked. Words copied
        // from the source (names) say nothing either way and are left out, unless that
        // leaves fewer than three words.
        let mut own_known_pair = false;
        if let Some(spell) = self.spell() {
            // All words of three letters or more without digits, and those of them not in
            // the source. When the dictionary knows every word, it knows every one of those
            // too, and the source need not be searched.
            // (The segment's words are those of its block inside it, where the first pass
            // split the block and no word crosses the segment's ends.)
            let seg_words = block_words
                .and_then(|w| words_within(w, seg.span()))
                .unwrap_or_else(|| words(text));
            let mut counted: Vec<(&str, bool)> = seg_words
                .into_iter()
                .map(|r| &text[r])
                .filter(|w| w.len() >= 3 && !w.bytes().any(|b| b.is_ascii_digit()))
                .map(|w| (w, evidence.knows(spell, w)))
                .collect();
            if !counted.is_empty() && counted.iter().all(|(_, known)| *known) {
                return;
            }
            if let Some(src) = source {
                let own: Vec<(&str, bool)> = counted
                    .iter()
                    .copied()
                    .filter(|(w, _)| !src.contains(w))
                    .collect();
                // Two words of the translator's own, both known, beside words copied from
                // the source (`svc_unix.c - problema al crear el socket AF_UNIX`): a
                // detector's guess of a third language on so few words is no evidence
                // against them (the copied words may still show the source's language).
                own_known_pair = own.len() == 2 && own.iter().all(|(_, known)| *known);
                if own.len() >= 3 {
                    counted = own;
                }
            }
            // (When every word is known, seven in ten are: the test below covers both.)
            let n = counted.len();
            let need = (n * 7).div_ceil(10);
            let mut known = counted.iter().filter(|(_, known)| *known).count();
            if n > 0 && known >= need {
                return;
            }
            // A word one slip from a word of the language counts as known too (a typo is no
            // sign of another language); the typo judgment is asked only while the count
            // falls short.
            for &(w, _) in counted.iter().filter(|(_, known)| !known) {
                if spell.slip_of_word(w, evidence, judged) {
                    known += 1;
                    if known >= need {
                        return;
                    }
                }
            }
        }
        // The detector's verdict is the most probable language (one analysis of the text
        // gives both).
        let p = self.detector.probabilities(text);
        let Some(&(lang, confidence)) = p.first() else {
            return;
        };
        if lang == to || confidence < 0.9 {
            return;
        }
        // A second opinion among the languages in play keeps near-ties from firing.
        let p_to = p.iter().find(|x| x.0 == to).map_or(0.0, |x| x.1);
        if confidence < p_to * 3.0 {
            return;
        }
        if Some(lang) != from && own_known_pair {
            return;
        }
        let (check, msg) = if Some(lang) == from {
            (
                CheckKind::Untranslated,
                format!("segment is still in the source language ({})", lang.name()),
            )
        } else {
            (
                CheckKind::WrongLanguage,
                format!("segment is in {}, not {}", lang.name(), to.name()),
            )
        };
        if !self.enabled(check) {
            return;
        }
        // A detector's verdict on a short or code-laden text is weak evidence.
        let severity = if prose(text) && has_words(text, LANGUAGE_ERROR_WORDS) {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(place(
            lines,
            seg.block,
            Raw {
                span: Some(seg.span()),
                text: text.to_string(),
                ..Raw::new(check, severity, msg)
            },
            None,
        ));
    }
}

/// The words of a unit's source and target block (as [`words`] finds them), where the
/// first pass has split them already.
#[derive(Clone, Copy, Default)]
struct UnitWords<'w> {
    source: Option<&'w [Range<usize>]>,
    target: Option<&'w [Range<usize>]>,
    /// Where `target` lies in the part's word buffer (for the language check's jobs).
    target_at: Option<(usize, usize)>,
}

#[derive(Clone, Copy)]
struct Langs {
    from: Option<Lang>,
    to: Option<Lang>,
}

/// Words a segment needs for the language detector's verdict on it to be an error.
const LANGUAGE_ERROR_WORDS: usize = 8;

/// Whether `text` is prose rather than a command, a name or code: at least four words of
/// three letters or more, and most whitespace-separated tokens plain words (no digits,
/// options, paths, placeholders or markup), two of them in lower case (a text in title case
/// is a name or a title: `Python Enhancement Proposals`, `WeChat Pay via Stripe`).
fn prose(text: &str) -> bool {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let (mut plain, mut lower) = (0, 0);
    for t in &tokens {
        let core = t.trim_matches(|c: char| !c.is_alphanumeric());
        if core.chars().count() >= 3
            && core.chars().all(char::is_alphabetic)
            && !t.starts_with('-')
            && !t.contains(['/', '\\', '<', '>', '=', '%', '{', '_', '@', '|', '['])
        {
            plain += 1;
            lower += usize::from(core.starts_with(char::is_lowercase));
        }
    }
    plain >= 4 && lower >= 2 && plain * 3 >= tokens.len() * 2
}

/// Whether `s` has at least `n` words of text outside markup and code (identifiers such as
/// `progcomp_insert` and accelerators such as `_Right-to-left` count as words): a target made
/// only of tags, paths, options and placeholders (`<filename>/etc/apt/sources.list</filename>
/// <filename>/etc/apt/sources.list.d/</filename>`) has nothing to translate.
fn has_text_words(s: &str, n: usize) -> bool {
    let mut found = 0;
    let mut core = String::new();
    for tok in s.split_whitespace() {
        // The token without its tags.
        core.clear();
        let mut depth = 0usize;
        for c in tok.chars() {
            match c {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                _ if depth == 0 => core.push(c),
                _ => {}
            }
        }
        if core.chars().any(char::is_alphabetic)
            && !core.starts_with('-')
            && !core.contains(['/', '\\', '=', '@', '%', '{', '|'])
        {
            found += 1;
            if found >= n {
                return true;
            }
        }
    }
    false
}

/// Inputs smaller than this (in blocks or units) are checked on one thread.
const PARALLEL_MIN: usize = 2000;

/// Runs `work` over `items` in parts on all threads (up to four; a single part below `min`
/// items) and returns the results of the parts in input order.
///
/// There are several parts per thread, each taken by whichever thread is free: a thread that
/// gets less of the CPU (the dictionary loads beside the first pass) then does fewer parts
/// instead of holding up the end.
fn in_parts<T: Sync, R: Send>(items: &[T], min: usize, work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    in_weighted_parts(items, min, PARTS_PER_THREAD, |_| 1, work)
}

/// The threads a check spreads its work over: the machine's, at most four.
fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4)
}

/// The threads to cut `len` items into parts for, or `None` when they are one part: one
/// thread, or fewer items than `min` (at least two).
fn part_threads(len: usize, min: usize) -> Option<usize> {
    let threads = worker_threads();
    (threads > 1 && len >= min.max(2)).then_some(threads)
}

/// [`in_parts`] with parts of about equal `weight` (the sum of their items'), `per_thread`
/// parts per thread: real units differ in length a hundredfold, and a part of long units
/// would end long after the others.
fn in_weighted_parts<T: Sync, R: Send>(
    items: &[T],
    min: usize,
    per_thread: usize,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    in_weighted_parts_with(items, min, per_thread, weight, || (), |(), part| work(part)).0
}

/// [`in_weighted_parts`] for work that also gathers into a state of its thread (made by
/// `state`, one per thread that takes parts): the results of the parts in input order, and
/// the states.
fn in_weighted_parts_with<T: Sync, R: Send, S: Send>(
    items: &[T],
    min: usize,
    per_thread: usize,
    weight: impl Fn(&T) -> usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &[T]) -> R + Sync,
) -> (Vec<R>, Vec<S>) {
    in_chunks_with(
        items,
        min,
        |items, threads| weighted_chunks(items, threads * per_thread, weight),
        state,
        work,
    )
}

/// [`in_guided_parts`] for work that also gathers into a state of its thread (see
/// [`in_weighted_parts_with`]).
fn in_guided_parts_with<T: Sync, R: Send, S: Send>(
    items: &[T],
    min: usize,
    weight: impl Fn(&T) -> usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &[T]) -> R + Sync,
) -> (Vec<R>, Vec<S>) {
    in_chunks_with(
        items,
        min,
        |items, threads| guided_chunks(items, threads, weight),
        state,
        work,
    )
}

/// Runs `work` over the parts `cut` makes of `items` for the threads (one part on one
/// thread below `min` items), each thread with a state of its own: the results of the
/// parts in input order, and the states.
fn in_chunks_with<'i, T: Sync, R: Send, S: Send>(
    items: &'i [T],
    min: usize,
    cut: impl FnOnce(&'i [T], usize) -> Vec<&'i [T]>,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &[T]) -> R + Sync,
) -> (Vec<R>, Vec<S>) {
    let Some(threads) = part_threads(items.len(), min) else {
        let mut own = state();
        let done = work(&mut own, items);
        return (vec![done], vec![own]);
    };
    run_chunks_with(&cut(items, threads), threads, state, work)
}

/// [`in_weighted_parts`] with parts that grow smaller as the work goes on (guided
/// scheduling): each a share of the weight left, down to a floor. Large parts first keep
/// the parts few; small parts last let the threads end together even where the cost of
/// items differs from their weight (the first parts judge most of the unknown words; a run
/// of segments that each ask the language detector costs several times its bytes).
fn in_guided_parts<T: Sync, R: Send>(
    items: &[T],
    min: usize,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    in_guided_parts_with(items, min, weight, || (), |(), part| work(part)).0
}

/// Runs `work` over `chunks` on `threads` threads, each chunk taken by whichever thread is
/// free; the results in the chunks' order.
fn run_chunks<T: Sync, R: Send>(
    chunks: &[&[T]],
    threads: usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    run_chunks_with(chunks, threads, || (), |(), chunk| work(chunk)).0
}

/// [`run_chunks`] where each thread also gathers into a state of its own (made by
/// `state`): the results in the chunks' order, and the threads' states.
fn run_chunks_with<T: Sync, R: Send, S: Send>(
    chunks: &[&[T]],
    threads: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &[T]) -> R + Sync,
) -> (Vec<R>, Vec<S>) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut own = state();
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = chunks.get(k) else {
                crate::timeline::mark("parts: worker done");
                break (done, own);
            };
            done.push((k, work(&mut own, chunk)));
        }
    };
    let (mut results, states) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        let mut results: Vec<(usize, R)> = Vec::new();
        let mut states = Vec::with_capacity(threads);
        for h in handles {
            let (done, own) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            results.extend(done);
            states.push(own);
        }
        (results, states)
    });
    results.sort_by_key(|(k, _)| *k);
    (results.into_iter().map(|(_, r)| r).collect(), states)
}

/// `items` cut into runs (none empty, in order, together all of `items`) for `threads`
/// threads: each run ends at the first item where its weight reaches
/// 1/([`GUIDED_SHARE`] × `threads`) of the weight left, or 1/([`GUIDED_MOST`] × `threads`)
/// of the total if that is more.
fn guided_chunks<T>(items: &[T], threads: usize, weight: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let total = items.iter().map(&weight).sum::<usize>().max(1);
    let floor = (total / (GUIDED_MOST * threads)).max(1);
    let mut chunks = Vec::new();
    let (mut start, mut left, mut sum) = (0, total, 0usize);
    let mut goal = (left / (GUIDED_SHARE * threads)).max(floor);
    for (i, item) in items.iter().enumerate() {
        sum += weight(item);
        if sum >= goal {
            chunks.push(&items[start..=i]);
            start = i + 1;
            left = left.saturating_sub(sum);
            sum = 0;
            goal = (left / (GUIDED_SHARE * threads)).max(floor);
        }
    }
    if start < items.len() {
        chunks.push(&items[start..]);
    }
    chunks
}

/// In [`guided_chunks`], a run holds about 1/(this × threads) of the weight left…
const GUIDED_SHARE: usize = 4;

/// …and at least 1/(this × threads) of the total.
const GUIDED_MOST: usize = 64;

/// A run of blocks to segment: whether they are the target's, their language, the blocks.
type BlockRun<'d> = (bool, Option<Lang>, &'d [Block]);

/// The blocks of `doc` in at most `n` runs of about equal text.
fn block_runs(doc: &Document, n: usize) -> Vec<&[Block]> {
    weighted_chunks(&doc.blocks, n, |b| 16 + b.text.len())
}

/// `items` cut into at most `n` runs (none empty, in order, together all of `items`), each
/// ending at the first item where the weight so far reaches its share of the total.
fn weighted_chunks<T>(items: &[T], n: usize, weight: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let n = n.max(1);
    let total = items.iter().map(&weight).sum::<usize>().max(1);
    let mut chunks = Vec::with_capacity(n);
    let (mut start, mut sum) = (0, 0usize);
    for (i, item) in items.iter().enumerate() {
        sum += weight(item);
        // Cut after `i` once the runs so far hold their share: k runs of n, k/n of the total.
        if chunks.len() + 1 < n && sum.saturating_mul(n) >= total * (chunks.len() + 1) {
            chunks.push(&items[start..=i]);
            start = i + 1;
        }
    }
    if start < items.len() {
        chunks.push(&items[start..]);
    }
    chunks
}

/// Parts per thread in [`in_parts`].
const PARTS_PER_THREAD: usize = 4;

/// One piece of work of the dictionary pass: a scanned block's typo check (its text and
/// the ranges of its words) or a segment's language check.
enum DictItem<'p, 'd> {
    Scan(&'d Block, &'p [Range<usize>]),
    /// A segment's language check, with the words of its block where they were split.
    Job(&'p LangJob<'d>, Option<&'p [Range<usize>]>),
}

impl DictItem<'_, '_> {
    /// The text the item reads, in bytes (and one for the item itself).
    fn weight(&self) -> usize {
        1 + match self {
            DictItem::Scan(b, _) => b.text.len(),
            DictItem::Job(job, _) => job.seg.end - job.seg.start,
        }
    }
}

/// The most words near nothing the neighbour index knows that the dictionary's own (slow)
/// search is asked about in one run.
const SEARCHED_WORDS: usize = 8;

/// Asks the dictionary's own search for the unknown words noted without a suggestion (the
/// [`SEARCHED_WORDS`] most frequent, ties alphabetically): a word it finds one slip away
/// (an inflected form the stems do not show, `desconhecid` / `desconhecido`) turns the note
/// into a warning, or an error for a slip of the hand.
fn searched_suggestions(
    spell: &SpellChecker,
    evidence: &spell::Evidence,
    findings: &mut [Finding],
) {
    let noted = |f: &Finding| {
        f.check == CheckKind::Typo && f.severity == Severity::Info && f.suggestion.is_none()
    };
    let mut words: Vec<&str> = findings
        .iter()
        .filter(|f| noted(f))
        .map(|f| f.text.as_str())
        .collect();
    words.sort_unstable();
    words.dedup();
    if words.is_empty() {
        return;
    }
    words.sort_by_key(|w| std::cmp::Reverse(evidence.count(w)));
    words.truncate(SEARCHED_WORDS);
    let found: Vec<(String, (String, Severity))> = in_parts(&words, 2, |part| {
        part.iter()
            .filter_map(|w| Some((w.to_string(), spell.searched_suggestion(w, evidence)?)))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    for f in findings.iter_mut().filter(|f| noted(f)) {
        if let Some((_, (s, severity))) = found.iter().find(|(w, _)| *w == f.text) {
            f.suggestion = Some(s.clone());
            f.severity = *severity;
            f.message = format!("unknown word `{}`", f.text);
        }
    }
}

/// One note for a document that mixes regional spellings, at the first word of the
/// less used one.
fn mixed_spellings(
    lines: &Lines,
    spell: &SpellChecker,
    evidence: &spell::Evidence,
    parts: &[Pending],
) -> Option<Finding> {
    let (message, minority) = spell.mixed_spellings(evidence)?;
    let first = parts.iter().find_map(|p| {
        p.scans.iter().find_map(|(b, scan)| {
            p.words[scan.clone()]
                .iter()
                .find(|r| minority.iter().any(|m| *m == b.text[(*r).clone()]))
                .map(|r| (*b, r.clone()))
        })
    });
    let (block, span) = first?;
    Some(place(
        lines,
        block,
        Raw {
            span: Some(span.clone()),
            text: block.text[span].to_string(),
            ..Raw::new(CheckKind::SpellingVariant, Severity::Info, message)
        },
        None,
    ))
}

/// Whether the source sentence `short`, which the alignment left without a counterpart,
/// is rather inside the neighbouring target segments `n` (whose source is `ns`): every
/// number of it found there, `n` long enough to hold it beside its own source (`ratio`:
/// target/source length), and, for a short sentence, a word of it seen there
/// ([`words_left`]). A dropped sentence leaves the target that much
/// shorter; a sentence merged into its neighbour (`Herr Präsident! Ich …` / `Mr President,
/// I …`) or aligned apart by a changed anchor does not.
fn merged_into(short: &str, ns: &[SegRef], n: &[SegRef], ratio: f64, langs: Langs) -> bool {
    let chars = short.chars().count();
    // The neighbour's target holds about as much as its own source and the short one
    // (a short sentence may be merged in fewer words).
    let own: usize = ns.iter().map(|s| s.text().chars().count()).sum();
    let held: usize = n.iter().map(|s| s.text().chars().count()).sum();
    let share = if chars <= 60 { 0.8 } else { 0.9 };
    let target = join(n);
    // A translation that condenses (`An information system can have a varying level of
    // importance …` / `Un système d'information a, selon les cas, une importance variable
    // ; …`) is short, but leaves three words of the sentence or more in the neighbour's
    // rendering that the neighbour's own source lacks.
    // A sentence that ends in a mark of its own (`It should look like the following:`),
    // which the neighbour's rendering ends in and its own source does not, is rendered
    // there, however condensed (`L'URI décrivant l'imprimante doit avoir la forme
    // suivante :`).
    let mark = |x: &str| {
        x.trim_end()
            .chars()
            .next_back()
            .filter(|c| matches!(c, ':' | '?' | '!' | '…'))
    };
    let ends_like =
        mark(short).is_some() && mark(&target) == mark(short) && mark(&join(ns)) != mark(short);
    // A placeholder of the sentence (`%(descendant_count)s`, `{name}`) that the neighbour's
    // rendering has and its own source lacks: the sentence is rendered there, however
    // condensed (a placeholder is never translated away).
    let placeholder_left =
        (short.contains(['%', '{'])) && placeholder_only_in(short, &target, &join(ns));
    let ends_like = ends_like || placeholder_left;
    if !ends_like
        && (held as f64) < share * ratio * (own + chars) as f64
        && !(chars > 60 && words_left(short, &target, &join(ns)) >= 3)
    {
        return false;
    }
    let theirs = numbers::extract(&target, langs.to);
    let mine: Vec<_> = numbers::extract(short, langs.from)
        .into_iter()
        .filter(|x| !x.soft)
        .collect();
    if !mine
        .iter()
        .all(|x| theirs.iter().any(|y| y.value.key() == x.value.key()))
    {
        return false;
    }
    // A short sentence barely changes the length: what it says must be seen there, a word
    // or a number that the neighbour's own source lacks (`call 101`).
    let own = join(ns);
    let number_left = || {
        let others = numbers::extract(&own, langs.from);
        mine.iter()
            .any(|x| !others.iter().any(|y| y.value.key() == x.value.key()))
    };
    ends_like || chars > 60 || number_left() || words_left(short, &target, &own) >= 1
}

/// Whether `short` has a printf or brace placeholder that `target` has too and `own` lacks.
fn placeholder_only_in(short: &str, target: &str, own: &str) -> bool {
    let tokens =
        |text| -> Vec<&str> { super::pairs::placeholders(text).map(|r| &text[r]).collect() };
    let (theirs, others) = (tokens(target), tokens(own));
    tokens(short)
        .iter()
        .any(|p| p.chars().count() > 2 && theirs.contains(p) && !others.contains(p))
}

/// Beads of one source segment without a counterpart whose sentence is merged into the
/// matching bead before or after it ([`merged_into`]), joined to that bead: the target
/// renders the sentences together (three source sentences in one quotation: `… said: "…"
/// I would also … "Anyone …"` / `… sagte: „… Jeder …“`), so that they are compared as
/// one, numbers included, and reported as a merge. A bead of several segments is left
/// to [`Checker::check_beads`], which judges each.
fn absorb_merged(
    src: &[SegRef],
    tgt: &[SegRef],
    beads: Vec<Bead>,
    ratio: f64,
    langs: Langs,
) -> Vec<Bead> {
    let lone = |b: &Bead| {
        b.target.is_empty()
            && b.source.len() == 1
            && src[b.source.start]
                .text()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count()
                >= 2
    };
    if !beads.iter().any(lone) {
        return beads;
    }
    let matching = |b: &Bead| !b.source.is_empty() && !b.target.is_empty();
    let merged = |seg: usize, b: &Bead| {
        matching(b)
            && merged_into(
                src[seg].text(),
                &src[b.source.clone()],
                &tgt[b.target.clone()],
                ratio,
                langs,
            )
    };
    let mut out: Vec<Bead> = Vec::with_capacity(beads.len());
    let mut k = 0;
    while k < beads.len() {
        let bead = &beads[k];
        if lone(bead) {
            let seg = bead.source.start;
            if let Some(prev) = out.last_mut().filter(|p| merged(seg, p)) {
                prev.source.end = seg + 1;
                k += 1;
                continue;
            }
            if let Some(next) = beads.get(k + 1).filter(|n| merged(seg, n)) {
                out.push(Bead {
                    source: seg..next.source.end,
                    target: next.target.clone(),
                });
                k += 2;
                continue;
            }
        }
        out.push(bead.clone());
        k += 1;
    }
    out
}

/// Whether the target segment `extra`, which the alignment left without a counterpart, is
/// the rest of the neighbouring target segments `nt` (whose source is `ns`): a sentence
/// the translator split in two (`Its many filters give access to …` / `Он имеет много
/// фильтров. Они дают доступ к …`). With it the neighbour's length is nearer what its
/// source predicts (`ratio`: target/source length) than without it, and not far beyond.
fn split_off(extra: &str, ns: &[SegRef], nt: &[SegRef], ratio: f64) -> bool {
    let own: usize = ns.iter().map(|s| s.text().chars().count()).sum();
    let held: usize = nt.iter().map(|s| s.text().chars().count()).sum();
    let expected = ratio * own as f64;
    let with = (held + extra.chars().count()) as f64;
    (with - expected).abs() < (held as f64 - expected).abs() && with <= 1.3 * expected
}

/// Beads that merge two source segments into one target segment that renders only one of
/// them, split into the segment the target renders and the other one, left without a
/// counterpart (and judged as a drop or a merge by [`merged_into`]). Two sentences joined
/// in translation keep their length and their content; a sentence taken out leaves the
/// target too short to hold both ([`SHORT_MERGE`]), or leaves nothing of itself there: none
/// of its code, names or look-alike words while the other's are there, and a target that
/// the other sentence alone fits better ([`lost_content`]).
fn split_short_merges(src: &[SegRef], tgt: &[SegRef], beads: Vec<Bead>, ratio: f64) -> Vec<Bead> {
    let len = |x: &SegRef| x.text().chars().count() as f64;
    let mut out = Vec::with_capacity(beads.len());
    for bead in beads {
        if bead.source.len() != 2 || bead.target.len() != 1 {
            out.push(bead);
            continue;
        }
        let (a, b) = (bead.source.start, bead.source.start + 1);
        let (la, lb) = (len(&src[a]), len(&src[b]));
        let t = tgt[bead.target.start].text();
        let lt = len(&tgt[bead.target.start]);
        let (kept, lost) = if lt >= SHORT_MERGE * ratio * (la + lb) {
            // Long enough for both: split only when one of them left nothing in it.
            match lost_content(src[a].text(), src[b].text(), t, ratio) {
                Some(true) => (b, a),
                Some(false) => (a, b),
                None => {
                    out.push(bead);
                    continue;
                }
            }
        } else {
            // The segment kept is the one whose placeholders, addresses, numbers and code
            // the target has, else the one whose length it fits better.
            let fit = |l: f64| (lt - ratio * l).abs() / (ratio * l).max(1.0);
            let shared = |seg: &SegRef, other: &SegRef| {
                let s = seg.text();
                super::pairs::placeholders(s)
                    .filter(|r| t.contains(&s[r.clone()]))
                    .count()
                    + numbers::extract(s, None)
                        .iter()
                        .filter(|n| !n.soft && t.contains(&s[n.span.clone()]))
                        .count()
                    + token_evidence(s, other.text(), t).0
            };
            let (sa, sb) = (shared(&src[a], &src[b]), shared(&src[b], &src[a]));
            let keep_a = if sa != sb {
                sa > sb
            } else {
                fit(la) <= fit(lb)
            };
            let (kept, lost) = if keep_a { (a, b) } else { (b, a) };
            let kept_len = if kept == a { la } else { lb };
            // (Shared placeholders or numbers say which is kept; a short sentence alone may
            // then take up to two and a half times its expected length.)
            let most = if sa != sb { 2.5 } else { 1.0 / SHORT_MERGE };
            if lt < SHORT_MERGE * ratio * kept_len || lt > most * ratio * kept_len {
                out.push(bead);
                continue;
            }
            (kept, lost)
        };
        let pair = Bead {
            source: kept..kept + 1,
            target: bead.target.clone(),
        };
        let alone = Bead {
            source: lost..lost + 1,
            target: bead.target.start..bead.target.start,
        };
        if lost < kept {
            out.extend([alone, pair]);
        } else {
            out.extend([pair, alone]);
        }
    }
    out
}

/// The share of the expected length below which a target segment is too short to render
/// two source segments merged ([`split_short_merges`]).
const SHORT_MERGE: f64 = 0.7;

/// For a target segment `t` long enough to render source sentences `a` and `b` merged,
/// whether it renders only one of them: `Some(true)` when `a` is lost, `Some(false)` when
/// `b` is, `None` when both may be there. A sentence is lost when the target shows nothing
/// of it (no code, address or name of its own, no word of it that a look-alike in
/// the target renders: [`token_evidence`], [`words_left`]) but shows the other one, and
/// either something of it that survives translation is missing (`I<yes>`, `API`) or the
/// target's length fits the other sentence alone better than both (`ratio`: target/source
/// length of the document). A merge keeps the words of both; a condensation that keeps
/// nothing of a sentence and not its length is a drop by every measure.
fn lost_content(a: &str, b: &str, t: &str, ratio: f64) -> Option<bool> {
    let lt = t.chars().count() as f64;
    let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
    let judge = |x: &str, lx: f64, y: &str, ly: f64| {
        let (present, missing) = token_evidence(x, y, t);
        if present > 0 || words_left(x, t, y) > 0 {
            return false;
        }
        let (py, _) = token_evidence(y, x, t);
        if py == 0 && words_left(y, t, x) == 0 {
            return false;
        }
        // (The target no longer than the other sentence alone allows.)
        lt <= ratio * ly / SHORT_MERGE && (missing > 0 || lt < ratio * (ly + lx / 2.0))
    };
    match (judge(a, la, b, lb), judge(b, lb, a, la)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// How many of the code tokens ([`align::code_tokens`]) that `seg` has and `other` lacks the
/// target `t` has (first) and lacks (second).
fn token_evidence(seg: &str, other: &str, t: &str) -> (usize, usize) {
    let mut present = 0;
    let mut missing = 0;
    let mut seen: Vec<&str> = Vec::new();
    // (Markup whose words the translator rendered, `<keycap>Tab</keycap>` /
    // `<keycap>Tabulador</keycap>`, is there by its tags.)
    let keys: Vec<_> = align::code_tokens(t).map(align::markup_key).collect();
    for tok in align::code_tokens(seg) {
        if seen.contains(&tok) || align::code_tokens(other).any(|o| o == tok) {
            continue;
        }
        seen.push(tok);
        let key = align::markup_key(tok);
        if t.contains(tok) || (key.contains("</") && keys.contains(&key)) {
            present += 1;
        } else {
            missing += 1;
        }
    }
    (present, missing)
}

/// How many distinct words of `short` (four letters or more) have a look-alike (a cognate
/// or a name: the same first letter, at most a quarter of its letters different, accents
/// aside) in `target` but none in `own`: the words a sentence merged into its neighbour
/// leaves in the neighbour's translation (`Präsident` / `President`); a word that begins
/// with the same five letters as one of `own` is counted as `own`'s. A sentence without
/// words of four letters counts as leaving one.
fn words_left(short: &str, target: &str, own: &str) -> usize {
    let fold = |w: &str| -> Vec<char> {
        w.chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'ä' | 'á' | 'à' | 'â' | 'ã' => 'a',
                'ë' | 'é' | 'è' | 'ê' => 'e',
                'ï' | 'í' | 'ì' | 'î' => 'i',
                'ö' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
                'ü' | 'ú' | 'ù' | 'û' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                other => other,
            })
            .collect()
    };
    let long = |text: &str| -> Vec<Vec<char>> {
        // (An elided article or pronoun is no part of the word: `d'information`.)
        words(text)
            .into_iter()
            .map(|r| fold(text[r].rsplit(['\'', '’']).next().unwrap_or_default()))
            .filter(|w| w.len() >= 4 && w.iter().all(|c| c.is_alphabetic()))
            .collect()
    };
    let (mut mine, theirs, others) = (long(short), long(target), long(own));
    if mine.is_empty() {
        return 1;
    }
    mine.sort_unstable();
    mine.dedup();
    let alike = |w: &[char], v: &[char]| {
        w[0] == v[0] && super::lexicon::distance_within(w, v, w.len() / 4) <= w.len() / 4
    };
    // (A word that begins as one of `own` does is that word's, whatever its ending:
    // `filtering` beside `filter`.)
    let stem = |w: &[char], v: &[char]| w.len() >= 5 && v.len() >= 5 && w[..5] == v[..5];
    mine.iter()
        .filter(|w| {
            theirs.iter().any(|v| alike(w, v)) && !others.iter().any(|v| alike(w, v) || stem(w, v))
        })
        .count()
}

/// `text` cut to about `max` characters at a word boundary, with ` …` if cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// Places a raw finding of `block`: line and span in that line.
fn place(lines: &Lines, block: &Block, raw: Raw, source_line: Option<usize>) -> Finding {
    let (severity, message) = in_entry(block, raw.severity, raw.message);
    let (line, target_span) = match &raw.span {
        Some(span) => {
            let (line, col) = lines.of(block, span.start);
            // A span that runs over a line break is cut at the end of its first line.
            let text =
                &block.text[span.start.min(block.text.len())..span.end.min(block.text.len())];
            let len = text.find('\n').unwrap_or(text.len());
            (line, Some(col..col + len))
        }
        None => (block.line, None),
    };
    Finding {
        check: raw.check,
        severity,
        target_line: Some(line),
        source_line,
        target_span,
        text: raw.text,
        message,
        suggestion: raw.suggestion,
    }
}

/// The severity and message of a finding in `block`: an error in a catalogue entry marked
/// fuzzy ([`crate::doc::po::FUZZY`]) is a warning, and says why. `msgfmt` leaves such a
/// translation out of the compiled catalogue, and the mark already asks a translator to
/// review it (msgmerge pairs a changed `msgid` with the old translation so).
fn in_entry(block: &Block, severity: Severity, message: String) -> (Severity, String) {
    if severity == Severity::Error && block.attrs.contains_key(crate::doc::po::FUZZY) {
        (
            Severity::Warning,
            format!("{message} (the entry is marked fuzzy)"),
        )
    } else {
        (severity, message)
    }
}

fn join(segs: &[SegRef]) -> String {
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(s.text());
    }
    out
}

fn ratio_of(src: &[SegRef], tgt: &[SegRef]) -> f64 {
    let ls: usize = src.iter().map(|s| s.text().chars().count()).sum();
    let lt: usize = tgt.iter().map(|s| s.text().chars().count()).sum();
    clamp_ratio(ls, lt)
}

fn length_ratio(source: &Document, target: &Document) -> f64 {
    let ls: usize = source.blocks.iter().map(|b| b.text.chars().count()).sum();
    let lt: usize = target.blocks.iter().map(|b| b.text.chars().count()).sum();
    clamp_ratio(ls, lt)
}

fn clamp_ratio(ls: usize, lt: usize) -> f64 {
    if ls == 0 || lt == 0 {
        1.0
    } else {
        (lt as f64 / ls as f64).clamp(0.5, 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_in_title_case_is_no_prose() {
        for name in [
            "Python Enhancement Proposals; PEP %s",
            "Common Vulnerabilities and Exposures; CVE %s",
            "WeChat Pay via Stripe",
            "Stripe Integration Security Guide",
        ] {
            assert!(!prose(name), "{name}");
        }
        for text in [
            "SOFORT (instant bank transfer)",
            "See the manual for more details.",
            "Most recent call last:",
        ] {
            assert!(prose(text), "{text}");
        }
    }

    #[test]
    fn weighted_parts_cover_the_items_in_order_with_even_weights() {
        // Real texts of very different lengths, weighted by their bytes.
        let Some(texts) = crate::qa::text::real_texts(4) else {
            return;
        };
        assert!(texts.len() > 1000, "too few real texts: {}", texts.len());
        let total: usize = texts.iter().map(String::len).sum();
        let heaviest = texts.iter().map(String::len).max().unwrap_or(0);
        for n in [1, 2, 8, 16, 64] {
            let chunks = weighted_chunks(&texts, n, String::len);
            assert!(
                !chunks.is_empty() && chunks.len() <= n,
                "{n}: {} chunks",
                chunks.len()
            );
            assert!(chunks.iter().all(|c| !c.is_empty()));
            let joined: Vec<&String> = chunks.iter().flat_map(|c| c.iter()).collect();
            assert_eq!(joined.len(), texts.len());
            assert!(joined.iter().zip(&texts).all(|(a, b)| std::ptr::eq(*a, b)));
            // No chunk is heavier than its share and one item; all but the last reach it.
            let share = total.div_ceil(n);
            for (k, c) in chunks.iter().enumerate() {
                let w: usize = c.iter().map(String::len).sum();
                assert!(
                    w <= share + heaviest,
                    "{n}: chunk {k} weighs {w}, share {share}"
                );
            }
            // The work runs once per chunk, results in input order.
            let lens = in_weighted_parts(&texts, 2, 4, String::len, |c| c.len());
            assert_eq!(lens.iter().sum::<usize>(), texts.len());
        }
        // Weightless items (all zero) still make chunks that cover them.
        let zeros = vec![0usize; 10];
        let chunks = weighted_chunks(&zeros, 4, |_| 0);
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 10);
    }

    #[test]
    fn guided_parts_cover_the_items_in_order_and_shrink() {
        // Items of uneven weight (1 to 100), as segments and blocks are.
        let items: Vec<usize> = (0..5000).map(|i| 1 + (i * 37) % 100).collect();
        let total: usize = items.iter().sum();
        for threads in [2, 4] {
            let chunks = guided_chunks(&items, threads, |w| *w);
            assert!(chunks.iter().all(|c| !c.is_empty()));
            let joined: Vec<&usize> = chunks.iter().flat_map(|c| c.iter()).collect();
            assert_eq!(joined.len(), items.len());
            assert!(joined.iter().zip(&items).all(|(a, b)| std::ptr::eq(*a, b)));
            let weights: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
            // The first part holds about 1/(GUIDED_SHARE × threads) of the total, the last
            // ones no more than their floor and an item.
            let first = total / (GUIDED_SHARE * threads);
            assert!(
                weights[0] >= first && weights[0] <= first + 100,
                "{weights:?}"
            );
            let floor = total / (GUIDED_MOST * threads);
            assert!(weights
                .iter()
                .rev()
                .skip(1)
                .take(3)
                .all(|w| *w <= floor + 100));
            assert!(
                chunks.len() > GUIDED_SHARE * threads,
                "{} parts",
                chunks.len()
            );
        }
        // The work runs once per part, results in input order.
        let sums = in_guided_parts(&items, 2, |w| *w, |c| c.iter().sum::<usize>());
        assert_eq!(sums.iter().sum::<usize>(), total);
        let firsts = in_guided_parts(&items, 2, |w| *w, |c| c.as_ptr() as usize);
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        // Weightless items still make parts that cover them.
        let zeros = vec![0usize; 10];
        let chunks = guided_chunks(&zeros, 2, |_| 0);
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 10);
    }

    #[test]
    fn spans_in_split_targets_point_at_the_right_segment() {
        let checker = Checker::new(CheckOptions {
            from: Lang::from_code("de").ok(),
            to: Lang::from_code("en").ok(),
            ..CheckOptions::default()
        });
        let mut src = crate::doc::parse(
            crate::doc::Format::Text,
            "s",
            "Der Bericht nennt zwölf Fälle und 7 Tote in Berlin, die Polizei ermittelt weiter.\n",
        )
        .unwrap();
        let target_text = "The report lists twelve cases in Berlin. There were 9 dead, and the police are still investigating.\n";
        let mut tgt = crate::doc::parse(crate::doc::Format::Text, "t", target_text).unwrap();
        let report = checker.check_documents(&mut src, &mut tgt);
        let merged: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.check == CheckKind::Merged)
            .collect();
        assert_eq!(merged.len(), 1, "{:#?}", report.findings);
        let n: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.check == CheckKind::Number)
            .collect();
        assert_eq!(n.len(), 1, "{:#?}", report.findings);
        let span = n[0].target_span.clone().unwrap();
        assert_eq!(&target_text[span], "9");
    }
    #[test]
    fn a_condensed_sentence_leaves_its_words_in_the_neighbour() {
        // The words of the first sentence (information, system, importance) are in the
        // rendering of the second, whose own source lacks them; elided articles aside.
        let short = "An information system can have a varying level of importance depending on the environment.";
        let target = "Un système d'information a, selon les cas, une importance variable ; parfois, il est vital à la survie d'une entreprise.";
        assert_eq!(
            words_left(
                short,
                target,
                "In some cases, it is vital to a company's survival."
            ),
            3
        );
        // A sentence that the neighbour does not render leaves nothing there.
        assert_eq!(
            words_left(
                short,
                "Il doit donc être protégé contre divers risques.",
                "It must be protected."
            ),
            0
        );
    }
}
