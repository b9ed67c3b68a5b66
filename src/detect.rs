//! Language detection: `whatlang` per segment, limited to candidate languages, refined by
//! hand-written language knowledge, calibrated, and steadied by the preferred languages and
//! the document's language.
//!
//! # How a text is scored
//!
//! For every candidate language `L` of the text's main script the detector adds up, in log
//! space, four kinds of evidence:
//!
//! 1. `whatlang`'s combined alphabet/trigram score for `L`, scaled by the number of distinct
//!    trigrams of the text (so it grows with the amount of text, like the other terms);
//! 2. the log-likelihood of the text's letters under `L`'s letter frequencies (a unigram
//!    model written from published frequency tables: it is what tells `і`/`ї`/`є` from
//!    `ы`/`э`, `پ`/`گ`/`ی` from `ي`/`ة`, `ß` from `ñ` — and also that a long Cyrillic text
//!    without a single `і` is unlikely to be Ukrainian);
//! 3. hits in `L`'s list of frequent function words;
//! 4. spelling cues: letter groups typical of, or at odds with, `L` (`sch`, `ough`, `ción`,
//!    `gli`, `ów`, `ння`, `^ال` …).
//!
//! # Confidence
//!
//! The weighted sum is a score, not yet a probability: its terms are not independent, and it
//! grows with the amount of text faster than the evidence does. It is divided by a
//! temperature `scale · n^exponent` (`n` the letters of the text's main script;
//! [`DetectorOptions::calibration_scale`], [`DetectorOptions::calibration_exponent`]) and
//! turned into probabilities with a softmax; the winner's probability is the reported
//! confidence. The two constants were fitted on the even lines of the lingua dev file, so
//! that among texts reported with confidence *c* about a share *c* is right (the langid
//! bench prints the table and refits them). A confidence is thus a margin over the runner-up
//! weighed by the amount of text: two close scores on a two-word text give little.
//!
//! # Preferred languages
//!
//! A detector may prefer some languages ([`Detector::with_preferred`]): a priori, a text is
//! in one of them with probability [`DetectorOptions::preferred_prior`], the rest spread
//! over the other candidates, added as log odds to the calibrated scores. The translate
//! pipeline prefers what its routes can translate and the target, so that an ambiguous text
//! goes to a language that is served, while one whose evidence clearly points elsewhere is
//! still named (and then reported as having no route).
//!
//! Hand-written models (`detect/models.rs`) cover most Latin, Cyrillic, Arabic and
//! Devanagari languages tarjuman can name (not yet Javanese, Uzbek, Turkmen, Akan), so that
//! close languages (es/ca/pt/gl, de/nl/af, da/nb/nn/sv, ru/uk/be/bg/mk/sr/kk, cs/sk, hr/bs/sr/sl, id/ms, zu/xh …) are
//! told apart by their own letters, words and spellings. A language `whatlang` cannot score
//! (Galician, Bosnian, Nynorsk, Malay, Kazakh, Serbian in Latin letters, Albanian …) is a
//! candidate when it has a model: it borrows the best `whatlang` score of its *proxies*
//! (close relatives, or for a few, languages that merely write alike) minus a small
//! penalty, so that a tie goes to the language `whatlang` knows; its own evidence has to do
//! the rest.
//!
//! A candidate without a hand-written model gets, for terms 2–4, the best value a modelled
//! candidate got lowered by a tenth of its distance to the modelled candidates' mean: close
//! to neutral toward the unmodelled language's own texts, but no longer able to ride on a
//! modelled relative's strong evidence (see `unmodelled_knowledge`).
//!
//! # The document prior
//!
//! The document's language is detected on its text, or on an evenly spread sample of
//! [`DOCUMENT_SAMPLE`] bytes of a long one ([`Detector::document_language`]). Inside the
//! document, a segment is a priori in the document's language with probability
//! [`DetectorOptions::document_prior`]; the remaining mass is spread over the other
//! candidates of the segment's script. The prior is weighed by the share of the document's
//! text outside the segment, which is what it knows about the segment: a segment that is the
//! whole document (a one-sentence record) is judged on its own evidence, not counted twice.
//! This prior is added (as log odds) to the segment's calibrated scores, so a short or
//! ambiguous segment keeps the document language, while a segment
//! whose own evidence is strong (an English quote, a Russian line) overrides it — provided
//! the other language's probability, prior included, reaches
//! [`DetectorOptions::override_confidence`]. A segment
//! with too little text to judge (fewer than [`DetectorOptions::min_words`] words or
//! [`DetectorOptions::min_letters`] letters: a name, a number) inherits the document
//! language outright, unless that language cannot be written in the segment's script.
//!
//! # Cost
//!
//! Each segment is analysed once (on all cores for a document of many segments), plus the
//! bounded sample for the document's language: detecting a document costs time linear in
//! its size ([`Detector::work`] counts the bytes analysed; `tests/scale.rs` checks it).

mod models;

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

use whatlang::dev::RawLangInfo;
use whatlang::Script;

use crate::doc::{Detection, DetectionSource, Document, Segment};
use crate::lang::Lang;
use crate::segment::Work;

use models::{ModelScript, MODELS};

/// Tuning knobs of a [`Detector`]. The defaults are what the accuracy benchmark
/// (`cargo bench -p tarjuman --no-default-features --bench langid`) was run with.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorOptions {
    /// Weight of `whatlang`'s score (per distinct trigram of the text).
    pub whatlang_weight: f64,
    /// Weight of the letter-frequency log-likelihood.
    pub letter_weight: f64,
    /// Weight of one function-word hit.
    pub word_weight: f64,
    /// Weight of the spelling-cue score.
    pub pattern_weight: f64,
    /// Prior probability that a segment is in its document's language (0..1).
    pub document_prior: f64,
    /// Segments with fewer words than this inherit the document language (unless it
    /// cannot be written in the segment's script).
    pub min_words: usize,
    /// Segments with fewer letters than this inherit the document language (same proviso).
    pub min_letters: usize,
    /// A segment is given a language other than the document's only if that language's
    /// probability, with the document prior counted in, reaches this (0..1).
    pub override_confidence: f64,
    /// Calibration: the evidence scores of a text with `n` letters are divided by
    /// `calibration_scale · n^calibration_exponent` before they become probabilities, so
    /// that a reported confidence is close to the share of right answers among texts given
    /// that confidence (fitted on the even lines of the lingua dev file; BENCHMARKS.md has
    /// the table). Short texts get little confidence, long ones much.
    pub calibration_scale: f64,
    /// See [`DetectorOptions::calibration_scale`].
    pub calibration_exponent: f64,
    /// Prior probability (0..1) that a text is in one of the preferred languages
    /// ([`Detector::with_preferred`]); the rest is spread over the other candidates.
    pub preferred_prior: f64,
}

impl Default for DetectorOptions {
    fn default() -> Self {
        DetectorOptions {
            whatlang_weight: 2.0,
            letter_weight: 0.25,
            word_weight: 3.0,
            pattern_weight: 1.5,
            document_prior: 0.9,
            min_words: 2,
            min_letters: 4,
            override_confidence: 0.5,
            calibration_scale: 0.45,
            calibration_exponent: 0.35,
            preferred_prior: 0.95,
        }
    }
}

/// Detects languages of documents and segments.
#[derive(Debug, Clone)]
pub struct Detector {
    candidates: Vec<Lang>,
    options: DetectorOptions,
    /// Indexed by `whatlang::Lang as usize`: the tarjuman language and its model, if the
    /// whatlang language may be chosen.
    allowed: Vec<Option<Allowed>>,
    /// Candidates scored through proxies.
    borrowers: Vec<Borrower>,
    /// Languages a text is a priori more likely to be in (see [`Detector::with_preferred`]).
    preferred: Vec<Lang>,
    /// Bytes of text analysed (see [`Detector::work`]).
    work: Work,
}

#[derive(Debug, Clone, Copy)]
struct Allowed {
    lang: Lang,
    /// Its hand-written model in each [`ModelScript`], if any.
    models: [Option<usize>; SCRIPTS],
}

/// The evidence about a text before calibration and priors (see [`Detector::raw_scores`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RawScores {
    /// The candidates with their log scores, best first.
    pub scores: Vec<(Lang, f64)>,
    /// Words of the text's main script.
    pub words: usize,
    /// Letters of the text's main script (what the calibration scales by).
    pub letters: usize,
}

/// A candidate that `whatlang` cannot score in some script but a hand-written model covers
/// there: it borrows the best `whatlang` score of its proxies.
#[derive(Debug, Clone)]
struct Borrower {
    lang: Lang,
    model: usize,
    script: ModelScript,
    proxies: Vec<whatlang::Lang>,
    /// What the borrowed score costs, in log odds.
    penalty: f64,
}

/// A candidate language of one text.
struct Candidate {
    lang: Lang,
    /// Its hand-written model for the text's script, if any.
    model: Option<usize>,
    /// Its `whatlang` score (or its proxies' best, for a borrower).
    whatlang: f64,
    /// What a borrowed score costs (0 for a score of its own).
    penalty: f64,
}

/// The evidence about one text, before any document prior.
#[derive(Debug, Clone)]
struct Analysis {
    /// Candidates with their raw log scores, best first.
    scores: Vec<(Lang, f64)>,
    /// Candidates with their calibrated scores plus the preference for the preferred
    /// languages (log odds), best first: what the probabilities are made of.
    logits: Vec<(Lang, f64)>,
    /// Words of the main script.
    words: usize,
    /// Letters of the main script.
    letters: usize,
}

impl Analysis {
    /// Softmax probabilities of the scores, after adding `bonus` to `favoured`'s score.
    fn posterior(&self, favoured: Option<(Lang, f64)>) -> Vec<(Lang, f64)> {
        let adjusted: Vec<(Lang, f64)> = self
            .logits
            .iter()
            .map(|&(l, s)| match favoured {
                Some((f, bonus)) if f == l => (l, s + bonus),
                _ => (l, s),
            })
            .collect();
        let max = adjusted
            .iter()
            .map(|x| x.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = adjusted.iter().map(|x| (x.1 - max).exp()).sum();
        let mut out: Vec<(Lang, f64)> = adjusted
            .into_iter()
            .map(|(l, s)| (l, ((s - max).exp() / total).clamp(0.0, 1.0)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    fn contains(&self, lang: Lang) -> bool {
        self.logits.iter().any(|x| x.0 == lang)
    }
}

impl Detector {
    /// A detector choosing among `candidates` (empty: every language whatlang knows or a
    /// hand-written model covers). Candidates that neither whatlang nor a hand-written model
    /// can detect are never chosen.
    pub fn new(candidates: Vec<Lang>) -> Self {
        Self::with_options(candidates, DetectorOptions::default())
    }

    /// A detector choosing among `candidates` with the given tuning options.
    pub fn with_options(candidates: Vec<Lang>, options: DetectorOptions) -> Self {
        let all = whatlang::Lang::all();
        let mut allowed = vec![None; all.len()];
        for &w in all {
            let Some(lang) = Lang::from_whatlang(w) else {
                continue;
            };
            if !candidates.is_empty() && !candidates.contains(&lang) {
                continue;
            }
            if let Some(slot) = allowed.get_mut(w as usize) {
                *slot = Some(Allowed {
                    lang,
                    models: models_of(lang),
                });
            }
        }
        let borrowers = MODELS
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.proxies.is_empty())
            .filter_map(|(i, m)| {
                let lang = Lang::from_code(m.code).ok()?;
                if !candidates.is_empty() && !candidates.contains(&lang) {
                    return None;
                }
                let proxies = m
                    .proxies
                    .iter()
                    .filter_map(|p| Lang::from_code(p).ok()?.whatlang())
                    .collect();
                Some(Borrower {
                    lang,
                    model: i,
                    script: m.script,
                    proxies,
                    penalty: f64::from(m.borrow_penalty),
                })
            })
            .collect();
        Detector {
            candidates,
            options,
            allowed,
            borrowers,
            preferred: Vec::new(),
            work: Work::default(),
        }
    }

    /// The same detector, preferring `langs`: a text is a priori in one of them with
    /// probability [`DetectorOptions::preferred_prior`]. The translate pipeline prefers the
    /// languages its routes can translate, and the target, so that a short or ambiguous
    /// text goes to a language that can be served, while a text whose evidence clearly
    /// points elsewhere is still told apart (and reported as having no route).
    pub fn with_preferred(mut self, langs: Vec<Lang>) -> Self {
        self.preferred = langs;
        self
    }

    /// The preferred languages (empty: none).
    pub fn preferred(&self) -> &[Lang] {
        &self.preferred
    }

    /// Bytes of text this detector has analysed since it was made: a measure of work that
    /// tests use to check that detecting a document costs time linear in its size.
    pub fn work(&self) -> u64 {
        self.work.get()
    }

    /// The candidate languages (empty: all).
    pub fn candidates(&self) -> &[Lang] {
        &self.candidates
    }

    /// The tuning options.
    pub fn options(&self) -> &DetectorOptions {
        &self.options
    }

    /// Detects the language of `text` on its own, with no prior. `None` if there is too
    /// little text to tell (no letters) or no candidate fits its script.
    pub fn detect(&self, text: &str) -> Option<Detection> {
        let analysis = self.analyse(text)?;
        let (lang, confidence) = *analysis.posterior(None).first()?;
        Some(Detection {
            lang,
            confidence,
            source: DetectionSource::Detected,
        })
    }

    /// The raw evidence scores of the candidates for `text`, before calibration and priors.
    /// For calibration tools (the langid bench); `None` when there is nothing to tell.
    pub fn raw_scores(&self, text: &str) -> Option<RawScores> {
        self.analyse(text).map(|a| RawScores {
            scores: a.scores,
            words: a.words,
            letters: a.letters,
        })
    }

    /// Probabilities of the candidate languages for `text` on its own, best first. Empty if
    /// there is nothing to tell.
    pub fn probabilities(&self, text: &str) -> Vec<(Lang, f64)> {
        self.analyse(text)
            .map(|a| a.posterior(None))
            .unwrap_or_default()
    }

    /// Detects the language of one segment of a document whose language is `prior`, with
    /// the prior at full strength (as when the user named the language).
    ///
    /// With a prior, a segment with too little text inherits it
    /// ([`DetectionSource::Inherited`]); otherwise the prior is weighed against the segment's
    /// own evidence, and the source is `Detected` only if that evidence alone points to the
    /// result.
    pub fn detect_in_context(&self, text: &str, prior: Option<Lang>) -> Option<Detection> {
        self.detect_with_prior(text, prior, 1.0)
    }

    /// [`Detector::detect_in_context`] with the prior weighed by `weight` (0..1): the share
    /// of the document's text outside this segment. The document's language says something
    /// about a segment only through the rest of the document; a segment that is the whole
    /// document (a one-sentence record) is judged on its own evidence, not twice on it.
    pub fn detect_with_prior(
        &self,
        text: &str,
        prior: Option<Lang>,
        weight: f64,
    ) -> Option<Detection> {
        let weight = if weight.is_finite() {
            weight.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let Some(prior) = prior.filter(|_| weight > 0.0) else {
            return self.detect(text);
        };
        let inherited = |confidence: f64| Detection {
            lang: prior,
            confidence: confidence.clamp(0.0, 1.0),
            source: DetectionSource::Inherited,
        };
        let Some(analysis) = self.analyse(text) else {
            // Nothing to weigh: the posterior is the prior.
            return Some(inherited(self.options.document_prior));
        };
        if !analysis.contains(prior) {
            // The document language cannot be written in this script (or is not a
            // candidate): the segment speaks for itself.
            let (lang, confidence) = *analysis.posterior(None).first()?;
            return Some(Detection {
                lang,
                confidence,
                source: DetectionSource::Detected,
            });
        }
        let k = analysis.logits.len();
        let bonus = if k > 1 {
            let uniform = 1.0 / k as f64;
            let p = uniform + (self.options.document_prior - uniform) * weight;
            let p = p.clamp(1e-6, 1.0 - 1e-6);
            (p * (k - 1) as f64 / (1.0 - p)).ln()
        } else {
            0.0
        };
        let with_prior = analysis.posterior(Some((prior, bonus)));
        let prob_of = |lang: Lang| with_prior.iter().find(|x| x.0 == lang).map_or(0.0, |x| x.1);
        if analysis.words < self.options.min_words || analysis.letters < self.options.min_letters {
            return Some(inherited(prob_of(prior)));
        }
        let (winner, confidence) = *with_prior.first()?;
        if winner != prior && confidence < self.options.override_confidence {
            // Another language leads, but not clearly enough to leave the document's.
            return Some(inherited(prob_of(prior)));
        }
        let own_best = analysis.logits.first().map(|x| x.0);
        let source = if winner != prior || own_best == Some(prior) {
            DetectionSource::Detected
        } else {
            DetectionSource::Inherited
        };
        Some(Detection {
            lang: winner,
            confidence,
            source,
        })
    }

    /// The language of a document as a whole: detected on its translatable text, or on an
    /// evenly spread sample of [`DOCUMENT_SAMPLE`] bytes of it when it is longer (so that the
    /// cost does not grow with the document beyond that).
    pub fn document_language(&self, doc: &Document) -> Option<Detection> {
        self.detect(&document_sample(doc, DOCUMENT_SAMPLE))
    }

    /// Sets `doc.lang` (with [`Detector::document_language`], unless it is already set) and
    /// the language of every segment, each weighed against the document language.
    pub fn detect_document(&self, doc: &mut Document) {
        if doc.lang.is_none() {
            doc.lang = self.document_language(doc);
        }
        let prior = doc.lang.map(|d| d.lang);
        // Each segment weighs the prior by how much of the document lies outside it.
        let total: usize = doc.segments().map(|s| s.text.len()).sum();
        for_each_segment(doc, |seg| {
            let weight = if total == 0 {
                0.0
            } else {
                1.0 - seg.text.len() as f64 / total as f64
            };
            seg.lang = self.detect_with_prior(&seg.text, prior, weight);
        });
    }

    /// Turns raw evidence scores into an [`Analysis`]: calibrated for the amount of text
    /// (see [`DetectorOptions::calibration_scale`]) and with the preference for the
    /// preferred languages added.
    fn finish(&self, mut scores: Vec<(Lang, f64)>, words: usize, letters: usize) -> Analysis {
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        let o = &self.options;
        let temperature =
            (o.calibration_scale * (letters.max(1) as f64).powf(o.calibration_exponent)).max(1e-6);
        let preferred = |l: &Lang| self.preferred.contains(l);
        let k_preferred = scores.iter().filter(|x| preferred(&x.0)).count();
        let k_other = scores.len() - k_preferred;
        let bonus = if k_preferred > 0 && k_other > 0 {
            let p = o.preferred_prior.clamp(1e-6, 1.0 - 1e-6);
            (p / k_preferred as f64).ln() - ((1.0 - p) / k_other as f64).ln()
        } else {
            0.0
        };
        let mut logits: Vec<(Lang, f64)> = scores
            .iter()
            .map(|&(l, s)| (l, s / temperature + if preferred(&l) { bonus } else { 0.0 }))
            .collect();
        logits.sort_by(|a, b| b.1.total_cmp(&a.1));
        Analysis {
            scores,
            logits,
            words,
            letters,
        }
    }

    /// Gathers the evidence about `text`: `None` if it has no letters or no candidate fits
    /// its main script.
    fn analyse(&self, text: &str) -> Option<Analysis> {
        self.work.add(text.len() as u64);
        let raw = whatlang::dev::raw_detect(text);
        let script = raw
            .script_info
            .counters
            .first()
            .filter(|c| c.1 > 0)
            .map(|c| c.0)?;
        let lookup = |w: whatlang::Lang| self.allowed.get(w as usize).copied().flatten();
        match raw.lang_info? {
            RawLangInfo::OneScript(w) => {
                let a = lookup(w)?;
                Some(self.finish(vec![(a.lang, 0.0)], count_words(text), count_letters(text)))
            }
            RawLangInfo::Mandarin(w) => {
                let other = if w == whatlang::Lang::Jpn {
                    whatlang::Lang::Cmn
                } else {
                    whatlang::Lang::Jpn
                };
                let a = lookup(w).or_else(|| lookup(other))?;
                // No spaces between words: count every character as one.
                let letters = count_letters(text);
                Some(self.finish(vec![(a.lang, 0.0)], letters, letters))
            }
            RawLangInfo::MultiScript(combined) => {
                let model_script = match script {
                    Script::Latin => Some(ModelScript::Latin),
                    Script::Cyrillic => Some(ModelScript::Cyrillic),
                    Script::Arabic => Some(ModelScript::Arabic),
                    Script::Devanagari => Some(ModelScript::Devanagari),
                    _ => None,
                };
                let mut cands: Vec<Candidate> = combined
                    .scores
                    .iter()
                    .filter_map(|&(w, s)| {
                        let a = lookup(w)?;
                        let model = model_script
                            .and_then(|ms| a.models.get(ms as usize).copied().flatten());
                        Some(Candidate {
                            lang: a.lang,
                            model,
                            whatlang: s,
                            penalty: 0.0,
                        })
                    })
                    .collect();
                for b in &self.borrowers {
                    if Some(b.script) != model_script || cands.iter().any(|c| c.lang == b.lang) {
                        continue;
                    }
                    let borrowed = combined
                        .scores
                        .iter()
                        .filter(|x| b.proxies.contains(&x.0))
                        .map(|x| x.1)
                        .fold(f64::NEG_INFINITY, f64::max);
                    if borrowed.is_finite() {
                        cands.push(Candidate {
                            lang: b.lang,
                            model: Some(b.model),
                            whatlang: borrowed,
                            penalty: b.penalty,
                        });
                    }
                }
                if cands.is_empty() {
                    return None;
                }
                let mut wanted: Vec<usize> = cands.iter().filter_map(|c| c.model).collect();
                wanted.sort_unstable();
                wanted.dedup();
                let ev = Evidence::gather(text, model_script, &wanted);
                let trigrams = combined.trigram_raw_outcome.trigrams_count as f64;
                let o = &self.options;
                let knowledge = |m: usize| {
                    o.letter_weight * ev.letters[m]
                        + o.word_weight * ev.words[m]
                        + o.pattern_weight * ev.patterns[m]
                };
                let known: Vec<f64> = cands
                    .iter()
                    .filter_map(|c| c.model)
                    .map(knowledge)
                    .collect();
                let neutral = unmodelled_knowledge(&known).unwrap_or(0.0);
                let scores: Vec<(Lang, f64)> = cands
                    .iter()
                    .map(|c| {
                        let extra = match c.model {
                            _ if ev.letter_count == 0 => 0.0,
                            Some(m) => knowledge(m),
                            None => neutral,
                        };
                        let own = o.whatlang_weight * trigrams * c.whatlang;
                        (c.lang, own + extra - c.penalty)
                    })
                    .collect();
                let (words, letters) = if model_script.is_some() {
                    (ev.word_count, ev.letter_count)
                } else {
                    (count_words(text), count_letters(text))
                };
                Some(self.finish(scores, words, letters))
            }
        }
    }
}

/// Documents with fewer segments than this are detected on the calling thread alone.
const PARALLEL_MIN: usize = 256;

/// Runs `f` on every segment of `doc`, spread over the machine's cores when there are many
/// (each segment is detected on its own, so the order does not matter).
pub fn for_each_segment(doc: &mut Document, f: impl Fn(&mut Segment) + Sync) {
    let mut segments: Vec<&mut Segment> = doc.segments_mut().collect();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || segments.len() < PARALLEL_MIN {
        segments.into_iter().for_each(f);
        return;
    }
    // Four parts per thread, taken by whichever thread is free: segments differ in length.
    let part = segments.len().div_ceil(threads * 4).max(PARALLEL_MIN / 4);
    let parts = std::sync::Mutex::new(segments.chunks_mut(part));
    let f = &f;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = parts.lock().ok().and_then(|mut p| p.next());
                let Some(chunk) = next else { break };
                for seg in chunk.iter_mut() {
                    f(seg);
                }
            });
        }
    });
}

/// How much of a long document [`Detector::document_language`] reads, in bytes.
pub const DOCUMENT_SAMPLE: usize = 64 * 1024;

/// Pieces the sample of a long document is made of.
const SAMPLE_PIECES: usize = 64;

/// The text of the translatable blocks of `doc`, one per line: all of it when it is at most
/// `limit` bytes, else [`SAMPLE_PIECES`] pieces of about `limit / SAMPLE_PIECES` bytes
/// spread evenly over it (cut at whitespace, so that no word is cut in two).
fn document_sample(doc: &Document, limit: usize) -> String {
    let blocks = || doc.blocks.iter().filter(|b| b.kind.is_translatable());
    let total: usize = blocks().map(|b| b.text.len() + 1).sum();
    let mut out = String::with_capacity(total.min(limit + SAMPLE_PIECES));
    if total <= limit {
        for b in blocks() {
            out.push_str(&b.text);
            out.push('\n');
        }
        return out;
    }
    let piece = (limit / SAMPLE_PIECES).max(1);
    let stride = total / SAMPLE_PIECES;
    let mut next = 0;
    let mut offset = 0;
    for b in blocks() {
        let len = b.text.len() + 1;
        while next < total && next < offset + len && out.len() < limit {
            let from = next - offset;
            if let Some(p) = sample_piece(&b.text, from, piece) {
                out.push_str(p);
                out.push('\n');
            }
            next += stride.max(1);
        }
        offset += len;
    }
    out
}

/// About `len` bytes of `text` from byte `from`, both ends moved to whitespace nearby so
/// that no word is cut (in text without spaces, such as Chinese, to a char boundary).
/// `None` if nothing is left.
fn sample_piece(text: &str, from: usize, len: usize) -> Option<&str> {
    /// How far an end may move to find whitespace.
    const REACH: usize = 48;
    let bytes = text.as_bytes();
    let to_space = |mut i: usize, forward: bool| {
        let limit = if forward {
            (i + REACH).min(bytes.len())
        } else {
            i.saturating_sub(REACH)
        };
        let mut j = i;
        while j != limit && !bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j = if forward { j + 1 } else { j - 1 };
        }
        if j == 0 || j == bytes.len() || bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            // Whitespace, or an end of the text.
            return j;
        }
        // No whitespace near: the nearest char boundary.
        while i > 0 && i < bytes.len() && !text.is_char_boundary(i) {
            i = if forward { i + 1 } else { i - 1 };
        }
        i
    };
    let a = if from == 0 {
        0
    } else {
        to_space(from.min(bytes.len()), true)
    };
    let b = if a + len >= bytes.len() {
        bytes.len()
    } else {
        to_space(a + len, false).max(a)
    };
    text.get(a..b).map(str::trim).filter(|p| !p.is_empty())
}

/// Words of any script in `text` (runs of letters).
fn count_words(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        let letter = c.is_alphabetic();
        if letter && !in_word {
            n += 1;
        }
        in_word = letter;
    }
    n
}

/// Letters of any script in `text`.
fn count_letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// The script a character belongs to, for the scripts with hand-written models.
fn char_script(c: char) -> Option<ModelScript> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(ModelScript::Latin),
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic() => {
            Some(ModelScript::Latin)
        }
        // Combining accents (Yoruba tones, decomposed text) and the Azerbaijani schwa.
        '\u{0300}'..='\u{036F}' | 'ə' | 'Ə' => Some(ModelScript::Latin),
        '\u{0400}'..='\u{052F}' => Some(ModelScript::Cyrillic),
        // Devanagari letters and signs, without the dandas and digits.
        '\u{0900}'..='\u{0963}' | '\u{0970}'..='\u{097F}' => Some(ModelScript::Devanagari),
        // Arabic letters, harakat and both sets of Eastern digits.
        '\u{0620}'..='\u{065F}'
        | '\u{0660}'..='\u{0669}'
        | '\u{066E}'..='\u{06D3}'
        | '\u{06F0}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}' => Some(ModelScript::Arabic),
        _ => None,
    }
}

/// Apostrophes that may stand inside a word (`l'homme`, `don't`, `п'ять`).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Number of [`ModelScript`]s.
const SCRIPTS: usize = 4;

/// The hand-written model of `lang` in each script, if any.
fn models_of(lang: Lang) -> [Option<usize>; SCRIPTS] {
    let mut out = [None; SCRIPTS];
    for (i, m) in MODELS.iter().enumerate() {
        if m.code == lang.code() {
            if let Some(slot) = out.get_mut(m.script as usize) {
                *slot = Some(i);
            }
        }
    }
    out
}

/// What a candidate without a hand-written model gets for the knowledge terms, given the
/// knowledge scores of the modelled candidates (`None` if there are none): the best of
/// them, lowered by [`UNMODELLED_SHORTFALL`] of its distance to their mean. Giving it the
/// best outright lets a language without a model ride on a modelled relative's strong
/// evidence (a Spanish sentence taken for Catalan); giving it the mean or the median
/// costs the unmodelled languages' own texts far more than it gains (measured with most
/// models switched off; see the langid bench).
fn unmodelled_knowledge(known: &[f64]) -> Option<f64> {
    let best = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if known.is_empty() || !best.is_finite() {
        return None;
    }
    let mean = known.iter().sum::<f64>() / known.len() as f64;
    Some(best - UNMODELLED_SHORTFALL * (best - mean))
}

/// See [`unmodelled_knowledge`]: the share of the distance from the best modelled
/// candidate's knowledge score to the mean that an unmodelled candidate gives up.
const UNMODELLED_SHORTFALL: f64 = 0.1;

/// The `key=value` items of a model's letter or pattern table. Malformed items (none in
/// the shipped tables: a unit test checks them) are skipped.
fn items(table: &'static str) -> impl Iterator<Item = (&'static str, f32)> {
    table.split_whitespace().filter_map(|item| {
        let (key, value) = item.rsplit_once('=')?;
        let value: f32 = value.parse().ok()?;
        (!key.is_empty() && value.is_finite()).then_some((key, value))
    })
}

/// The compiled hand-written knowledge shared by all detectors.
struct Knowledge {
    /// Log probability of each known letter under each model.
    letters: HashMap<char, Vec<f32>>,
    /// Log probability of a letter missing from a model's table.
    floor: f32,
    /// Function words → the models listing them.
    words: HashMap<&'static str, Vec<usize>>,
    /// Spelling cues (with `^`/`$` anchors) and their proper prefixes → the cue's
    /// (model, weight) hits (none for a mere prefix) and whether a longer cue starts with it.
    patterns: HashMap<String, Cue>,
    /// Longest cue, in chars.
    max_pattern: usize,
    /// The models of each script.
    by_script: [Vec<usize>; SCRIPTS],
}

/// One entry of [`Knowledge::patterns`].
#[derive(Default)]
struct Cue {
    hits: Vec<(usize, f32)>,
    /// Some longer cue starts with this one (so a scan must go on).
    extends: bool,
}

static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::build);

impl Knowledge {
    fn build() -> Knowledge {
        let n = MODELS.len();
        let floor = (1e-5f32).ln();
        let mut letters: HashMap<char, Vec<f32>> = HashMap::default();
        for (i, m) in MODELS.iter().enumerate() {
            let table: Vec<(char, f32)> = items(m.letters)
                .filter_map(|(k, v)| {
                    let mut cs = k.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => Some((c, v)),
                        _ => None,
                    }
                })
                .collect();
            let total: f32 = table.iter().map(|x| x.1).sum();
            for (c, pct) in table {
                let entry = letters.entry(c).or_insert_with(|| vec![floor; n]);
                if let Some(v) = entry.get_mut(i) {
                    *v = (pct / total).ln().max(floor);
                }
            }
        }
        let mut words: HashMap<&'static str, Vec<usize>> = HashMap::default();
        for (i, m) in MODELS.iter().enumerate() {
            for w in m.words.split_whitespace() {
                let entry = words.entry(w).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        let mut patterns: HashMap<String, Cue> = HashMap::default();
        let mut max_pattern = 0;
        for (i, m) in MODELS.iter().enumerate() {
            for (p, w) in items(m.patterns) {
                max_pattern = max_pattern.max(p.chars().count());
                for (end, _) in p.char_indices().skip(1) {
                    patterns.entry(p[..end].to_string()).or_default().extends = true;
                }
                let hits = &mut patterns.entry(p.to_string()).or_default().hits;
                match hits.iter_mut().find(|x| x.0 == i) {
                    Some(x) => x.1 += w,
                    None => hits.push((i, w)),
                }
            }
        }
        let mut by_script: [Vec<usize>; SCRIPTS] = Default::default();
        for (i, m) in MODELS.iter().enumerate() {
            if let Some(v) = by_script.get_mut(m.script as usize) {
                v.push(i);
            }
        }
        Knowledge {
            letters,
            floor,
            words,
            patterns,
            max_pattern,
            by_script,
        }
    }
}

/// Hand-written-knowledge scores of one text, per model.
struct Evidence {
    letters: Vec<f64>,
    words: Vec<f64>,
    patterns: Vec<f64>,
    word_count: usize,
    letter_count: usize,
}

impl Evidence {
    /// Scores the words of `text` written in `script` against the models `wanted` (letters
    /// and vowel harmony are scored for those only; words and cues for every model).
    fn gather(text: &str, script: Option<ModelScript>, wanted: &[usize]) -> Evidence {
        let k = &*KNOWLEDGE;
        let n = MODELS.len();
        let mut ev = Evidence {
            letters: vec![0.0; n],
            words: vec![0.0; n],
            patterns: vec![0.0; n],
            word_count: 0,
            letter_count: 0,
        };
        let Some(script) = script else {
            return ev;
        };
        let in_script: Vec<usize> = k
            .by_script
            .get(script as usize)
            .map_or(&[][..], |v| v.as_slice())
            .iter()
            .copied()
            .filter(|i| wanted.contains(i))
            .collect();
        let in_script = in_script.as_slice();
        let mut word = String::new();
        let mut bounded: Vec<char> = Vec::new();
        let mut buf = String::new();
        let mut flush = |word: &mut String, ev: &mut Evidence| {
            while word.ends_with(|c| is_apostrophe(c) || c == '·') {
                word.pop();
            }
            if word.is_empty() {
                return;
            }
            ev.word_count += 1;
            // Letters.
            for c in word.chars() {
                if is_apostrophe(c) || c == '·' {
                    continue;
                }
                ev.letter_count += 1;
                match k.letters.get(&c) {
                    Some(lp) => {
                        for &i in in_script {
                            ev.letters[i] += f64::from(lp.get(i).copied().unwrap_or(k.floor));
                        }
                    }
                    None => {
                        for &i in in_script {
                            ev.letters[i] += f64::from(k.floor);
                        }
                    }
                }
            }
            // Function words.
            if let Some(models) = k.words.get(word.as_str()) {
                for &i in models {
                    if let Some(w) = ev.words.get_mut(i) {
                        *w += 1.0;
                    }
                }
            }
            // Spelling cues over the word with its boundaries.
            bounded.clear();
            bounded.push('^');
            bounded.extend(word.chars());
            bounded.push('$');
            for start in 0..bounded.len() {
                buf.clear();
                for &c in bounded.iter().skip(start).take(k.max_pattern) {
                    buf.push(c);
                    let Some(cue) = k.patterns.get(buf.as_str()) else {
                        break;
                    };
                    for &(i, w) in &cue.hits {
                        if let Some(p) = ev.patterns.get_mut(i) {
                            *p += f64::from(w);
                        }
                    }
                    if !cue.extends {
                        break;
                    }
                }
            }
            // Vowel harmony.
            for &i in in_script {
                let Some(h) = MODELS.get(i).and_then(|m| m.harmony.as_ref()) else {
                    continue;
                };
                let front = word.chars().filter(|c| h.front.contains(*c)).count();
                let back = word.chars().filter(|c| h.back.contains(*c)).count();
                if front + back >= 2 {
                    ev.patterns[i] += f64::from(if front == 0 || back == 0 {
                        h.agree
                    } else {
                        h.mixed
                    });
                }
            }
            word.clear();
        };
        for c in text.chars() {
            let cs = char_script(c);
            if cs == Some(script) {
                if c.is_ascii() {
                    word.push(c.to_ascii_lowercase());
                } else {
                    for l in c.to_lowercase() {
                        // 'İ' lowercases to 'i' + combining dot: keep the letter only.
                        if l != '\u{0307}' {
                            word.push(l);
                        }
                    }
                }
            } else if !word.is_empty()
                && (is_apostrophe(c)
                    || (c == '\u{200C}' && script == ModelScript::Arabic)
                    || (c == '·' && script == ModelScript::Latin))
            {
                word.push(if is_apostrophe(c) { '\'' } else { c });
            } else {
                flush(&mut word, &mut ev);
            }
        }
        flush(&mut word, &mut ev);
        ev
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Block, BlockKind, Format, Segment};

    fn l(code: &str) -> Lang {
        Lang::from_code(code).expect("known code")
    }

    fn eleven() -> Vec<Lang> {
        [
            "de", "en", "ru", "uk", "fr", "es", "it", "pl", "tr", "ar", "fa",
        ]
        .iter()
        .map(|c| l(c))
        .collect()
    }

    fn document(paragraphs: &[&[&str]]) -> Document {
        let mut doc = Document::new(Format::Text, "test");
        for (i, sentences) in paragraphs.iter().enumerate() {
            let text = sentences.join(" ");
            let mut block = Block::new(BlockKind::Paragraph, text.clone(), i + 1);
            let mut pos = 0;
            for s in sentences.iter() {
                let start = text[pos..]
                    .find(s)
                    .map(|x| x + pos)
                    .expect("sentence in text");
                block
                    .segments
                    .push(Segment::new(0, &text, start..start + s.len()));
                pos = start + s.len();
            }
            doc.blocks.push(block);
        }
        doc.number_segments();
        doc
    }

    #[test]
    fn german_document_with_english_quote_and_russian_line() {
        let det = Detector::new(eleven());
        let mut doc = document(&[
            &[
                "Die Bundesregierung hat am Mittwoch neue Maßnahmen gegen die steigenden Energiepreise beschlossen.",
                "Der Kanzler sprach von einem wichtigen Schritt für die Wirtschaft.",
            ],
            &[
                "\"We will not leave anyone behind,\" the minister told reporters in Berlin.",
                "Мы будем внимательно следить за развитием ситуации.",
            ],
            &["Moskau", "2022"],
            &["Die Opposition kritisierte die Pläne als unzureichend und zu spät."],
        ]);
        det.detect_document(&mut doc);
        let doc_lang = doc.lang.expect("document language");
        assert_eq!(doc_lang.lang, l("de"));
        let langs: Vec<(Lang, DetectionSource)> = doc
            .segments()
            .map(|s| {
                let d = s.lang.expect("segment language");
                assert!((0.0..=1.0).contains(&d.confidence));
                (d.lang, d.source)
            })
            .collect();
        assert_eq!(langs[0], (l("de"), DetectionSource::Detected));
        assert_eq!(langs[1], (l("de"), DetectionSource::Detected));
        assert_eq!(langs[2], (l("en"), DetectionSource::Detected));
        assert_eq!(langs[3], (l("ru"), DetectionSource::Detected));
        assert_eq!(langs[4], (l("de"), DetectionSource::Inherited));
        assert_eq!(langs[5], (l("de"), DetectionSource::Inherited));
        assert_eq!(langs[6], (l("de"), DetectionSource::Detected));
    }

    #[test]
    fn name_or_number_inherits_document_language() {
        let det = Detector::new(vec![]);
        for text in ["Moskau", "2022", "12.05.2023", "Olaf Scholz", "—"] {
            let d = det
                .detect_in_context(text, Some(l("de")))
                .expect("inherits");
            assert_eq!(d.lang, l("de"), "{text}");
            // `Scholz` is spelt the German way (`sch`, `lz`): the German model recognises it
            // on its own, so that name may count as detected.
            if text != "Olaf Scholz" {
                assert_eq!(d.source, DetectionSource::Inherited, "{text}");
            }
            assert!((0.0..=1.0).contains(&d.confidence));
        }
        assert!(det.detect_in_context("2022", None).is_none());
    }

    #[test]
    fn short_german_segment_stays_german_among_neighbours() {
        let cands: Vec<Lang> = ["de", "da", "nl", "en", "sv", "nb"]
            .iter()
            .map(|c| l(c))
            .collect();
        let det = Detector::new(cands);
        for text in [
            "Er kam nach Hause.",
            "Das ist gut.",
            "Hier in Bremen.",
            "Man weiß es nicht.",
            "Danke sehr!",
            "Alles klar.",
        ] {
            let d = det
                .detect_in_context(text, Some(l("de")))
                .expect("detected");
            assert_eq!(d.lang, l("de"), "{text}");
        }
    }

    #[test]
    fn ukrainian_versus_russian() {
        let det = Detector::new(eleven());
        let uk = [
            "Сьогодні в Києві відбулася зустріч міністрів закордонних справ.",
            "Він сказав, що ситуація залишається складною.",
            "Проте уряд не планує змінювати бюджет.",
        ];
        let ru = [
            "Сегодня в Киеве состоялась встреча министров иностранных дел.",
            "Он сказал, что ситуация остается сложной.",
            "Никогда не придирайтесь к мелочам.",
        ];
        for t in uk {
            assert_eq!(det.detect(t).map(|d| d.lang), Some(l("uk")), "{t}");
        }
        for t in ru {
            assert_eq!(det.detect(t).map(|d| d.lang), Some(l("ru")), "{t}");
        }
    }

    #[test]
    fn persian_versus_arabic() {
        let det = Detector::new(eleven());
        let fa = [
            "این سناریو از سه مرحله تشکیل شده است.",
            "دولت ایران روز گذشته اعلام کرد که مذاکرات ادامه خواهد یافت.",
            "کتابخانه",
        ];
        let ar = [
            "أعلنت الحكومة المصرية اليوم عن خطة جديدة لدعم الاقتصاد.",
            "وقال الوزير إن المفاوضات ستستمر الأسبوع المقبل.",
            "المدينة",
        ];
        for t in fa {
            assert_eq!(det.detect(t).map(|d| d.lang), Some(l("fa")), "{t}");
        }
        for t in ar {
            assert_eq!(det.detect(t).map(|d| d.lang), Some(l("ar")), "{t}");
        }
    }

    #[test]
    fn candidates_limit_the_answer() {
        let det = Detector::new(vec![l("de"), l("en")]);
        assert_eq!(det.candidates(), &[l("de"), l("en")]);
        let d = det
            .detect("Je pense donc je suis.")
            .expect("some candidate");
        assert!(d.lang == l("de") || d.lang == l("en"));
        // No candidate writes Cyrillic.
        assert!(det.detect("Привет, как дела?").is_none());
        // Probabilities sum to one.
        let p = det.probabilities("The quick brown fox jumps over the lazy dog.");
        let sum: f64 = p.iter().map(|x| x.1).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert_eq!(p.first().map(|x| x.0), Some(l("en")));
    }

    #[test]
    fn clear_foreign_segment_overrides_prior() {
        let det = Detector::new(eleven());
        let d = det
            .detect_in_context(
                "Il governo italiano ha approvato ieri la nuova legge sull'immigrazione.",
                Some(l("de")),
            )
            .expect("detected");
        assert_eq!(d.lang, l("it"));
        assert_eq!(d.source, DetectionSource::Detected);
        assert!(d.confidence > 0.5);
    }

    fn detector(codes: &[&str]) -> Detector {
        Detector::new(codes.iter().map(|c| l(c)).collect())
    }

    fn assert_detects(det: &Detector, want: &str, texts: &[&str]) {
        for t in texts {
            let got = det.detect(t).map(|d| d.lang.code());
            assert_eq!(got, Some(want), "{t}: {:?}", det.probabilities(t));
        }
    }

    #[test]
    fn spanish_versus_catalan() {
        let det = detector(&["es", "en", "ca"]);
        assert_detects(
            &det,
            "es",
            &["El presidente llegó ayer a la capital con su esposa."],
        );
        assert_detects(
            &det,
            "ca",
            &[
                "El president va arribar ahir a la ciutat amb la seva dona.",
                "Els veïns de l'illa no volen que s'hi construeixi cap hotel més.",
            ],
        );
    }

    #[test]
    fn portuguese_versus_spanish() {
        let det = detector(&["es", "pt", "gl", "ca"]);
        assert_detects(
            &det,
            "pt",
            &[
                "O governo não quer aumentar os impostos este ano.",
                "As crianças brincavam no jardim da avó.",
            ],
        );
        assert_detects(
            &det,
            "es",
            &[
                "El gobierno no quiere subir los impuestos este año.",
                "Los niños jugaban en el jardín de la abuela.",
            ],
        );
    }

    #[test]
    fn dutch_versus_german() {
        let det = detector(&["de", "nl", "en", "af"]);
        assert_detects(
            &det,
            "nl",
            &[
                "De regering wil de belastingen dit jaar niet verhogen.",
                "Het is een mooie dag om naar het strand te gaan.",
            ],
        );
        assert_detects(
            &det,
            "de",
            &[
                "Die Regierung will die Steuern dieses Jahr nicht erhöhen.",
                "Es ist ein schöner Tag, um an den Strand zu gehen.",
            ],
        );
    }

    #[test]
    fn bulgarian_versus_russian() {
        let det = detector(&["ru", "uk", "bg", "mk", "sr"]);
        assert_detects(
            &det,
            "bg",
            &[
                "Правителството не иска да вдига данъците тази година.",
                "Децата играеха в градината на баба си.",
            ],
        );
        assert_detects(
            &det,
            "ru",
            &[
                "Правительство не хочет повышать налоги в этом году.",
                "Дети играли в саду у бабушки.",
            ],
        );
    }

    #[test]
    fn czech_versus_slovak() {
        let det = detector(&["cs", "sk", "pl"]);
        assert_detects(
            &det,
            "cs",
            &[
                "Vláda letos nechce zvyšovat daně.",
                "Děti si hrály na zahradě u babičky.",
            ],
        );
        assert_detects(
            &det,
            "sk",
            &[
                "Vláda tento rok nechce zvyšovať dane.",
                "Deti sa hrali v záhrade u babičky.",
            ],
        );
    }

    #[test]
    fn languages_whatlang_cannot_score_borrow_a_proxy() {
        // Galician and Kazakh have no whatlang profile: their models borrow the score of
        // close or similarly written languages, and their own evidence decides.
        let det = detector(&["es", "pt", "gl"]);
        assert_detects(
            &det,
            "gl",
            &["Xa non hai ningunha razón para quedar na casa cando chove."],
        );
        let det = detector(&["ru", "kk"]);
        assert_detects(
            &det,
            "kk",
            &["Қазақстан Республикасының астанасы өте әдемі қала."],
        );
        assert_detects(&det, "ru", &["Столица Казахстана очень красивый город."]);
        // Serbian in Latin letters is told from Croatian by its spelling.
        let det = detector(&["hr", "sr"]);
        assert_detects(&det, "sr", &["Deca su celo vreme gledala u reku."]);
        assert_detects(&det, "hr", &["Djeca su cijelo vrijeme gledala u rijeku."]);
    }

    #[test]
    fn unmodelled_candidate_does_not_ride_on_a_relative() {
        let known = [-10.0, -30.0];
        let neutral = unmodelled_knowledge(&known).expect("some modelled candidate");
        assert!(neutral < -10.0 && neutral > -30.0);
        assert!(unmodelled_knowledge(&[]).is_none());
    }

    #[test]
    fn long_documents_are_sampled_evenly() {
        let det = detector(&["de", "en", "fr"]);
        // A short document is read whole.
        let short = document(&[&["Die Regierung hat am Mittwoch neue Maßnahmen beschlossen."]]);
        assert_eq!(
            document_sample(&short, DOCUMENT_SAMPLE),
            "Die Regierung hat am Mittwoch neue Maßnahmen beschlossen.\n"
        );
        // A long one: French first, German after; the sample is bounded, has no cut word,
        // and reaches the end, so the German majority decides.
        let fr = "Le gouvernement a présenté hier un nouveau plan pour soutenir l'économie.";
        let de = "Die Bundesregierung hat am Mittwoch neue Maßnahmen gegen die Preise beschlossen.";
        let mut paragraphs: Vec<Vec<&str>> = vec![vec![fr]; 300];
        paragraphs.extend(vec![vec![de]; 3000]);
        let refs: Vec<&[&str]> = paragraphs.iter().map(Vec::as_slice).collect();
        let long = document(&refs);
        let sample = document_sample(&long, 4096);
        assert!(sample.len() <= 4096 + 2 * SAMPLE_PIECES, "{}", sample.len());
        assert!(sample.contains(de) || sample.contains("Bundesregierung"));
        let words: std::collections::HashSet<&str> =
            format!("{fr} {de}").leak().split_whitespace().collect();
        for w in sample.split_whitespace() {
            assert!(words.contains(w), "cut word {w:?}");
        }
        assert_eq!(det.document_language(&long).map(|d| d.lang), Some(l("de")));
        // Text without spaces is cut at char boundaries, not lost.
        let zh = "中华人民共和国国务院总理今天在北京会见了来访的外国代表团成员。".repeat(400);
        let doc = document(&[&[zh.as_str()]]);
        let sample = document_sample(&doc, 2048);
        assert!(!sample.trim().is_empty() && sample.len() <= 2048 + 2 * SAMPLE_PIECES);
    }

    #[test]
    fn model_tables_are_well_formed() {
        let mut seen: Vec<(&str, ModelScript)> = Vec::new();
        for m in MODELS {
            assert!(
                !seen.contains(&(m.code, m.script)),
                "{} {:?} twice",
                m.code,
                m.script
            );
            seen.push((m.code, m.script));
            assert!(Lang::from_code(m.code).is_ok(), "{}", m.code);
            let mut letters: Vec<char> = Vec::new();
            for item in m.letters.split_whitespace() {
                let (k, v) = item.rsplit_once('=').expect("letter=percent");
                let v: f32 = v.parse().expect("percent");
                assert!(v > 0.0, "{}: {item}", m.code);
                let mut cs = k.chars();
                let c = cs.next().expect("a letter");
                assert!(cs.next().is_none(), "{}: {item} is not one letter", m.code);
                assert!(!letters.contains(&c), "{}: {c} twice", m.code);
                let joiner = c == '\u{200C}' && m.script == ModelScript::Arabic;
                assert!(
                    joiner || char_script(c) == Some(m.script),
                    "{}: {c} is not in its script",
                    m.code
                );
                letters.push(c);
            }
            for item in m.patterns.split_whitespace() {
                let (k, v) = item.rsplit_once('=').expect("cue=weight");
                assert!(!k.is_empty(), "{}: {item}", m.code);
                assert!(v.parse::<f32>().is_ok(), "{}: {item}", m.code);
            }
            for p in m.proxies {
                let w = Lang::from_code(p).ok().and_then(|l| l.whatlang());
                assert!(w.is_some(), "{}: proxy {p} unknown to whatlang", m.code);
            }
            assert_eq!(m.proxies.is_empty(), m.borrow_penalty == 0.0, "{}", m.code);
        }
    }
}
