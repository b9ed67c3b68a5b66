//! The parts that need CTranslate2: loading a model and running the pipelined batches. The
//! engine calls go to the engine library (see [`plugin`]).

use std::fs;
use std::sync::Mutex;

use super::layout::bad_model;
use super::plugin::{self, Tokenizer, Translator, TranslatorConfig};
use super::*;
use crate::doc::{Note, Severity};

/// How the source gets its end-of-sentence token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceEos {
    /// Append `</s>`.
    Append,
    /// Add nothing (the model does not use it, or CTranslate2 adds it).
    Nothing,
    /// Let the Hugging Face tokenizer's post-processor add its special tokens.
    Tokenizer,
}

enum Tok {
    Spm(Tokenizer),
    Hf { tok: Tokenizer, decoder: bool },
    Chars { space: Option<String> },
}

impl Tok {
    /// Splits `text` into units translated separately (several only for character models
    /// without a space token), each a list of tokens without language or EOS tokens.
    fn encode(&self, text: &str, eos: SourceEos) -> Result<Vec<Vec<String>>, String> {
        match self {
            Tok::Spm(t) => {
                let mut pieces = t.encode(text, false)?;
                // ct2rs ends every source with `</s>`; whether it stays is decided later.
                if pieces.last().is_some_and(|p| p == "</s>") {
                    pieces.pop();
                }
                Ok(vec![pieces])
            }
            Tok::Hf { tok, .. } => Ok(vec![tok.encode(text, eos == SourceEos::Tokenizer)?]),
            Tok::Chars { space: Some(space) } => {
                let mut tokens = Vec::new();
                for (i, word) in text.split_whitespace().enumerate() {
                    if i > 0 {
                        tokens.push(space.clone());
                    }
                    tokens.extend(word.chars().map(String::from));
                }
                Ok(vec![tokens])
            }
            Tok::Chars { space: None } => Ok(text
                .split_whitespace()
                .map(|w| w.chars().map(String::from).collect())
                .collect()),
        }
    }

    /// Turns output tokens back into text.
    fn decode(&self, tokens: Vec<String>) -> Result<String, String> {
        match self {
            Tok::Spm(t)
            | Tok::Hf {
                tok: t,
                decoder: true,
            } => t.decode(&tokens),
            Tok::Hf { decoder: false, .. } => Ok(tokens.join(" ")),
            Tok::Chars { .. } => Ok(tokens
                .iter()
                .map(|t| if t == "▁" { " " } else { t.as_str() })
                .collect::<String>()
                .trim()
                .to_string()),
        }
    }
}

/// The translation of a text from the translations of its units (the non-empty ones, joined by
/// blanks).
fn join_parts(parts: &[String]) -> String {
    parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// For a model that translates word by word, the translation of `text` from the translations
/// of its words (`parts`, one per whitespace-separated word) and where each span of `text` went:
/// around the translations of the words it covers (a span inside a word takes the word's
/// translation), or, for a span with no text, between the translations of the words around it.
fn word_places(
    text: &str,
    parts: &[String],
    spans: &[std::ops::Range<usize>],
) -> (String, Vec<Option<std::ops::Range<usize>>>) {
    let words: Vec<std::ops::Range<usize>> = text
        .split_whitespace()
        .map(|w| {
            let at = w.as_ptr() as usize - text.as_ptr() as usize;
            at..at + w.len()
        })
        .collect();
    // Where each word's translation is in the joined text (empty: at that place).
    let mut out = String::new();
    let mut places = Vec::with_capacity(parts.len());
    for p in parts {
        if p.is_empty() {
            places.push(out.len()..out.len());
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let start = out.len();
        out.push_str(p);
        places.push(start..out.len());
    }
    if words.len() != places.len() {
        return (out, Vec::new());
    }
    let placed = spans
        .iter()
        .map(|r| {
            if r.is_empty() {
                let p = r.start;
                // Glued to the start of a word (and not to the end of one): before it.
                if let Some(i) = words.iter().position(|w| w.start == p) {
                    if !words.iter().any(|w| w.end == p) {
                        let at = places[i].start;
                        return Some(at..at);
                    }
                }
                let before = words.partition_point(|w| w.start < p);
                let at = before.checked_sub(1).map_or(0, |i| places[i].end);
                return Some(at..at);
            }
            let first = words.partition_point(|w| w.end <= r.start);
            let last = words.partition_point(|w| w.start < r.end);
            let covered: Vec<&std::ops::Range<usize>> = places
                .get(first..last)?
                .iter()
                .filter(|p| !p.is_empty())
                .collect();
            Some(covered.first()?.start..covered.last()?.end)
        })
        .collect();
    (out, placed)
}

/// One piece of work for the engine: a unit of one input segment.
struct Job {
    input: usize,
    unit: usize,
    tokens: Vec<String>,
}

/// What came back for a job.
type JobOutput = Result<Vec<String>, String>;

/// What came back for a batch: one output per job, or why the whole batch failed.
type BatchOutput = Result<Vec<JobOutput>, String>;

/// One input after tokenization.
struct Prepared {
    input: usize,
    /// How many units the input has, or why it cannot be translated.
    units: Result<usize, SegmentError>,
    /// Its units with something to translate.
    jobs: Vec<Job>,
    /// Units copied as they are (placeholders, in a model that translates word by word).
    kept: Vec<(usize, String)>,
    notes: Vec<Note>,
}

/// Whether `word` is a placeholder (of the glossary or of code), maybe with punctuation
/// around it: a model that translates word by word copies such a word instead of translating
/// it (a character model turns `ZQX1` into letters of its own script).
fn is_placeholder_word(word: &str) -> bool {
    crate::glossary::protect::is_placeholder(word.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// What the pipeline stages report to the collecting thread.
enum Event {
    /// An input was tokenized (its jobs are on their way in batches).
    Prepared(Prepared),
    /// A batch ran.
    Ran(Vec<Job>, BatchOutput),
}

pub(super) struct Engine {
    translator: Translator,
    tok: Tok,
    eos: SourceEos,
    pub(super) lang_tokens: Option<LangTokens>,
    target_prefix: Option<String>,
    unk: String,
    beam_size: usize,
    max_decoding_length: usize,
    max_input_length: usize,
    max_batch_size: usize,
    batch_type: Ct2BatchType,
    replicas: usize,
    pub(super) layout_kind: &'static str,
}

// The `Backend` trait needs this; fail the build here rather than far away if a field
// stops being shareable.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Engine>();
};

/// The parts of the model's `config.json` that matter here.
#[derive(Debug, Default, Deserialize)]
struct ModelConfig {
    #[serde(default)]
    add_source_eos: Option<bool>,
    #[serde(default)]
    unk_token: Option<String>,
}

fn read_model_config(model_dir: &Path) -> Result<ModelConfig, BackendError> {
    let path = model_dir.join("config.json");
    if !path.is_file() {
        return Ok(ModelConfig::default());
    }
    let text = fs::read_to_string(&path)
        .map_err(|e| bad_model(model_dir, format!("cannot read config.json: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| bad_model(model_dir, format!("config.json is not valid: {e}")))
}

/// The engine configuration and the number of replicas it makes.
fn engine_config(options: &Ct2Options) -> Result<(TranslatorConfig<'static>, usize), BackendError> {
    let device = match options.parsed_device()? {
        Ct2Device::Cpu => "cpu",
        Ct2Device::Cuda => {
            if plugin::cuda_devices()? == 0 {
                return Err(BackendError::Config(
                    "ct2 device `cuda` asked for, but no CUDA device is available (or \
                     CTranslate2 was built without CUDA)"
                        .into(),
                ));
            }
            "cuda"
        }
        Ct2Device::Auto => {
            if plugin::cuda_devices()? > 0 {
                "cuda"
            } else {
                "cpu"
            }
        }
    };
    let compute_type = match options.parsed_compute_type()? {
        Ct2ComputeType::Default => "default",
        Ct2ComputeType::Auto => "auto",
        Ct2ComputeType::Float32 => "float32",
        Ct2ComputeType::Int8 => "int8",
        Ct2ComputeType::Int8Float32 => "int8_float32",
        Ct2ComputeType::Int8Float16 => "int8_float16",
        Ct2ComputeType::Int8Bfloat16 => "int8_bfloat16",
        Ct2ComputeType::Int16 => "int16",
        Ct2ComputeType::Float16 => "float16",
        Ct2ComputeType::Bfloat16 => "bfloat16",
    };
    let (replicas, threads) = if device == "cpu" {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        options.thread_plan(cores)
    } else {
        (options.replicas.max(1), options.threads.max(1))
    };
    let config = TranslatorConfig {
        device,
        compute_type,
        replicas,
        threads,
    };
    Ok((config, replicas))
}

impl Engine {
    pub(super) fn load(layout: &ModelLayout, options: &Ct2Options) -> Result<Self, BackendError> {
        let model_dir = layout.model_dir();
        // A missing engine library is reported as such, before anything asks it for work.
        plugin::library()?;
        let (config, replicas) = engine_config(options)?;
        let model_config = read_model_config(model_dir)?;

        let tok = match layout {
            ModelLayout::OpusMt {
                source_spm,
                target_spm,
                ..
            } => Tokenizer::sentencepiece(source_spm, target_spm)
                .map(Tok::Spm)
                .map_err(|e| {
                    bad_model(model_dir, format!("cannot load source.spm/target.spm: {e}"))
                })?,
            ModelLayout::HfTokenizer { tokenizer, .. } => Tokenizer::hugging_face(tokenizer)
                .and_then(|tok| {
                    let decoder = tok.has_decoder()?;
                    Ok(Tok::Hf { tok, decoder })
                })
                .map_err(|e| bad_model(model_dir, format!("cannot load tokenizer.json: {e}")))?,
            ModelLayout::Argos { spm: path, .. } | ModelLayout::SharedSpm { spm: path, .. } => {
                Tokenizer::sentencepiece(path, path)
                    .map(Tok::Spm)
                    .map_err(|e| {
                        bad_model(
                            model_dir,
                            format!("cannot load SentencePiece model {}: {e}", path.display()),
                        )
                    })?
            }
            ModelLayout::Vocabulary { unit, .. } => match unit {
                VocabUnit::Chars { space } => Tok::Chars {
                    space: space.clone(),
                },
                // `ModelLayout::detect` never gives this: a word vocabulary needs its
                // tokenizer.
                VocabUnit::Words => {
                    return Err(bad_model(
                        model_dir,
                        "a vocabulary of words needs the tokenizer the model was trained with",
                    ))
                }
            },
        };

        // Language tokens: from the vocabulary files, else from tokenizer.json.
        let mut vocab: Vec<String> = Vec::new();
        for read in [
            read_source_vocabulary(model_dir),
            read_target_vocabulary(model_dir),
        ]
        .into_iter()
        .flatten()
        {
            vocab.extend(read.map_err(|e| bad_model(model_dir, e))?);
        }
        if vocab.is_empty() {
            if let Tok::Hf { tok, .. } = &tok {
                vocab.extend(
                    tok.vocabulary()
                        .map_err(|e| bad_model(model_dir, format!("tokenizer.json: {e}")))?,
                );
            }
        }
        let lang_tokens = LangTokens::detect(vocab.iter().map(String::as_str));

        let multilingual_eos = matches!(
            lang_tokens.as_ref().map(|l| l.style),
            Some(LangTokenStyle::Nllb | LangTokenStyle::M2m)
        );
        let eos = match options.source_eos {
            Some(true) => SourceEos::Append,
            Some(false) => SourceEos::Nothing,
            None if model_config.add_source_eos == Some(true) => SourceEos::Nothing,
            None if multilingual_eos => SourceEos::Append,
            None => match layout {
                ModelLayout::OpusMt { .. } => SourceEos::Append,
                ModelLayout::HfTokenizer { .. } => SourceEos::Tokenizer,
                _ => SourceEos::Nothing,
            },
        };

        let translator = Translator::new(model_dir, &config).map_err(|e| {
            let message = e.to_string();
            if message.contains("compute type") {
                BackendError::Config(format!("ct2: {message}"))
            } else {
                bad_model(
                    model_dir,
                    format!("CTranslate2 cannot load model.bin: {message}"),
                )
            }
        })?;

        Ok(Engine {
            translator,
            tok,
            eos,
            lang_tokens,
            target_prefix: options.target_prefix.clone(),
            unk: model_config.unk_token.unwrap_or_else(|| "<unk>".into()),
            beam_size: options.beam_size,
            max_decoding_length: options.max_decoding_length,
            max_input_length: 1024,
            max_batch_size: options.max_batch_size,
            batch_type: options.parsed_batch_type()?,
            replicas,
            layout_kind: layout.kind(),
        })
    }

    pub(super) fn pair_tokens(&self, pair: LangPair) -> Option<PairTokens> {
        select_pair_tokens(
            self.lang_tokens.as_ref(),
            self.target_prefix.as_deref(),
            pair,
        )
    }

    /// The full source token list of one unit.
    fn source_tokens(&self, pieces: Vec<String>, pt: &PairTokens) -> Vec<String> {
        let mut tokens = Vec::with_capacity(pieces.len() + pt.source_prefix.len() + 1);
        tokens.extend(pt.source_prefix.iter().cloned());
        tokens.extend(pieces);
        if self.eos == SourceEos::Append {
            tokens.push("</s>".into());
        }
        tokens
    }

    /// Cuts `jobs` (sorted by length) into engine batches of at most `limit` examples (or
    /// padded tokens).
    fn batches(&self, jobs: &[Job], limit: usize) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < jobs.len() {
            let mut end = start + 1;
            while end < jobs.len() {
                let n = end + 1 - start;
                let cost = match self.batch_type {
                    Ct2BatchType::Examples => n,
                    // Sorted ascending, so the last job is the longest.
                    Ct2BatchType::Tokens => n * jobs[end].tokens.len(),
                };
                if cost > limit {
                    break;
                }
                end += 1;
            }
            out.push(start..end);
            start = end;
        }
        out
    }

    fn run_batch(&self, jobs: &[Job], target_prefix: &[String]) -> BatchOutput {
        let source: Vec<&[String]> = jobs.iter().map(|j| j.tokens.as_slice()).collect();
        let results = self
            .translator
            .translate(
                &source,
                target_prefix,
                self.beam_size,
                self.max_decoding_length,
                self.max_input_length,
            )
            .map_err(|e| format!("CTranslate2 failed: {e}"))?;
        if results.len() != jobs.len() {
            return Err(format!(
                "CTranslate2 returned {} results for {} inputs",
                results.len(),
                jobs.len()
            ));
        }
        Ok(results
            .into_iter()
            .map(|r| r.ok_or_else(|| "CTranslate2 returned no hypothesis".to_string()))
            .collect())
    }

    /// Tokenizes one input: its units (`None` for a unit with nothing to translate), or why
    /// it cannot be translated.
    fn prepare(&self, input: usize, text: &str, pt: &PairTokens) -> Prepared {
        let mut notes = Vec::new();
        let mut jobs = Vec::new();
        if text.trim().is_empty() {
            return Prepared {
                input,
                units: Ok(0),
                jobs,
                kept: Vec::new(),
                notes,
            };
        }
        let pieces = match self.tok.encode(text, self.eos) {
            Ok(p) => p,
            Err(e) => {
                let error = SegmentError {
                    message: format!("tokenization failed: {e}"),
                };
                return Prepared {
                    input,
                    units: Err(error),
                    jobs,
                    kept: Vec::new(),
                    notes,
                };
            }
        };
        let units = pieces.len();
        let word_by_word = matches!(self.tok, Tok::Chars { space: None });
        let mut kept = Vec::new();
        for (unit, p) in pieces.into_iter().enumerate() {
            if p.is_empty() {
                continue;
            }
            if word_by_word {
                let word = p.concat();
                if is_placeholder_word(&word) {
                    kept.push((unit, word));
                    continue;
                }
            }
            let tokens = self.source_tokens(p, pt);
            if tokens.len() > self.max_input_length {
                notes.push(Note::new(
                    "input-truncated",
                    Severity::Warning,
                    format!(
                        "the segment has {} tokens; CTranslate2 reads only the first {}",
                        tokens.len(),
                        self.max_input_length
                    ),
                ));
            }
            jobs.push(Job {
                input,
                unit,
                tokens,
            });
        }
        Prepared {
            input,
            units: Ok(units),
            jobs,
            kept,
            notes,
        }
    }

    /// Translates `texts` as a pipeline of three stages running at once, so that the engine
    /// never waits for the CPU-side work:
    ///
    /// 1. a tokenizer thread takes the inputs in windows (shortest first), tokenizes them,
    ///    sorts each window's units by token count and cuts it into batches;
    /// 2. `replicas` engine threads each take the next batch and run it;
    /// 3. this thread decodes finished batches and puts the texts back in input order.
    ///
    /// With `spans` (one list per text, or none), a model that translates word by word (a
    /// character model without a space token) also tells where each span's words went.
    pub(super) fn translate(
        &self,
        name: &str,
        pt: &PairTokens,
        texts: &[&str],
        spans: &[&[std::ops::Range<usize>]],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        use std::sync::mpsc;

        let mut slots: Vec<Result<Vec<Option<String>>, SegmentError>> =
            (0..texts.len()).map(|_| Ok(Vec::new())).collect();
        let mut notes: Vec<Vec<Note>> = vec![Vec::new(); texts.len()];
        // Inputs in order of length, so that windows hold inputs of similar size.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let window = (self.max_batch_size * 16).clamp(256, 8192);
        let workers = self.replicas.max(1);
        let mut batches_run = 0usize;
        let mut batches_failed = 0usize;
        let mut first_error: Option<String> = None;

        let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<Job>>(workers * 2);
        let batch_rx = Mutex::new(batch_rx);
        let (event_tx, event_rx) = mpsc::channel::<Event>();
        std::thread::scope(|scope| {
            // Stage 1: tokenize and batch.
            let tokenizer_events = event_tx.clone();
            let order = &order;
            scope.spawn(move || {
                for chunk in order.chunks(window) {
                    let mut jobs = Vec::new();
                    for &input in chunk {
                        let mut prepared = self.prepare(input, texts[input], pt);
                        jobs.append(&mut prepared.jobs);
                        if tokenizer_events.send(Event::Prepared(prepared)).is_err() {
                            return;
                        }
                    }
                    jobs.sort_by_key(|j| j.tokens.len());
                    // Enough batches to keep every replica busy, within the batch limit.
                    let limit = match self.batch_type {
                        Ct2BatchType::Examples => {
                            self.max_batch_size.min(jobs.len().div_ceil(workers)).max(1)
                        }
                        Ct2BatchType::Tokens => self.max_batch_size,
                    };
                    let ranges = self.batches(&jobs, limit);
                    let mut rest = jobs.into_iter();
                    for r in ranges {
                        let batch: Vec<Job> = rest.by_ref().take(r.len()).collect();
                        if batch_tx.send(batch).is_err() {
                            return;
                        }
                    }
                }
            });

            // Stage 2: run batches on the replicas.
            for _ in 0..workers {
                let events = event_tx.clone();
                let batch_rx = &batch_rx;
                scope.spawn(move || loop {
                    let next = batch_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(batch) = next else { break };
                    let output = self.run_batch(&batch, &pt.target_prefix);
                    if events.send(Event::Ran(batch, output)).is_err() {
                        break;
                    }
                });
            }
            drop(event_tx);

            // Stage 3: decode and collect, until every sender is gone.
            for event in event_rx {
                match event {
                    Event::Prepared(p) => {
                        notes[p.input].extend(p.notes);
                        slots[p.input] = p.units.map(|n| {
                            let mut units = vec![Some(String::new()); n];
                            for j in &p.jobs {
                                if let Some(u) = units.get_mut(j.unit) {
                                    *u = None;
                                }
                            }
                            for (k, word) in p.kept {
                                if let Some(u) = units.get_mut(k) {
                                    *u = Some(word);
                                }
                            }
                            units
                        });
                    }
                    Event::Ran(batch, output) => {
                        batches_run += 1;
                        let outputs: Vec<JobOutput> = match output {
                            Ok(v) => v,
                            Err(e) => {
                                batches_failed += 1;
                                first_error.get_or_insert_with(|| e.clone());
                                batch.iter().map(|_| Err(e.clone())).collect()
                            }
                        };
                        for (job, result) in batch.iter().zip(outputs) {
                            let decoded = result.and_then(|hyp| {
                                let (text, unknown) = self.finish(hyp, &pt.target_prefix)?;
                                if unknown > 0 {
                                    notes[job.input].push(self.unknown_note(unknown));
                                }
                                Ok(text)
                            });
                            let Some(entry) = slots.get_mut(job.input) else {
                                continue;
                            };
                            match (decoded, entry.as_mut()) {
                                (Ok(text), Ok(units)) => {
                                    if let Some(slot) = units.get_mut(job.unit) {
                                        *slot = Some(text);
                                    }
                                }
                                (Err(message), Ok(_)) => *entry = Err(SegmentError { message }),
                                (_, Err(_)) => {}
                            }
                        }
                    }
                }
            }
        });

        if batches_run > 0 && batches_failed == batches_run {
            return Err(BackendError::Engine {
                backend: name.to_string(),
                message: first_error.unwrap_or_else(|| "CTranslate2 failed".into()),
            });
        }
        let word_by_word = matches!(self.tok, Tok::Chars { space: None });
        Ok(slots
            .into_iter()
            .zip(notes)
            .enumerate()
            .map(|(i, (units, notes))| {
                let mut parts = Vec::new();
                for unit in units? {
                    parts.push(unit.ok_or_else(|| SegmentError {
                        message: "no translation came back".into(),
                    })?);
                }
                let asked = spans.get(i).copied().unwrap_or_default();
                let (text, spans) = if word_by_word && !asked.is_empty() {
                    word_places(texts[i], &parts, asked)
                } else {
                    (join_parts(&parts), Vec::new())
                };
                Ok(Translation { text, notes, spans })
            })
            .collect())
    }

    fn unknown_note(&self, unknown: usize) -> Note {
        Note::new(
            "unknown-token",
            Severity::Warning,
            format!(
                "the model produced {unknown} unknown token(s) ({}); they were left out",
                self.unk
            ),
        )
        .with_text(self.unk.clone())
    }

    /// Strips the target prefix and unknown tokens from a hypothesis and decodes it;
    /// returns the text and the number of unknown tokens dropped.
    fn finish(&self, mut hyp: Vec<String>, prefix: &[String]) -> Result<(String, usize), String> {
        if !prefix.is_empty() && hyp.starts_with(prefix) {
            hyp.drain(..prefix.len());
        }
        let before = hyp.len();
        hyp.retain(|t| *t != self.unk);
        let unknown = before - hyp.len();
        let text = self
            .tok
            .decode(hyp)
            .map_err(|e| format!("decoding the translation failed: {e}"))?;
        Ok((text, unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_by_word_places_follow_the_words() {
        let text = "aa  bb cc dd";
        let parts: Vec<String> = ["A", "", "Cc", "D d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // aa | bb cc (bb has no translation) | <img> after cc | <img>dd | inside dd
        let spans = [0..2, 4..9, 9..9, 10..10, 11..12];
        let (out, places) = word_places(text, &parts, &spans);
        assert_eq!(out, "A Cc D d");
        let got: Vec<Option<&str>> = places.iter().map(|r| r.clone().map(|r| &out[r])).collect();
        assert_eq!(
            got,
            vec![Some("A"), Some("Cc"), Some(""), Some(""), Some("D d")]
        );
        assert_eq!(places[2], Some(4..4));
        assert_eq!(places[3], Some(5..5));
        // Spans over words with no translation at all are not placed.
        let (_, places) = word_places(
            "aa bb",
            &["A".into(), String::new()],
            &[std::ops::Range { start: 3, end: 5 }],
        );
        assert_eq!(places, vec![None]);
    }
}
