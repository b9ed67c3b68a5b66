//! CTranslate2 backend through `ct2rs`.
//!
//! A model directory is recognised by its layout (see [`ModelLayout::detect`]):
//!
//! * OPUS-MT / Marian: `model.bin` with `source.spm` and `target.spm`;
//! * Hugging Face: `model.bin` with `tokenizer.json`;
//! * Argos Translate packages: `model/` (the CTranslate2 model), `sentencepiece.model` and
//!   `metadata.json`, or an unpacked `.argosmodel` root holding one such folder;
//! * one shared SentencePiece model: `model.bin` with `sentencepiece.model` or `spm.model`;
//! * vocabulary only: `model.bin` with `source_vocabulary.txt` (or `shared_vocabulary.txt`, or
//!   the `.json` forms). If every ordinary entry of the source vocabulary is one character, the
//!   model works on characters (e.g. a transliteration model); otherwise on whitespace-separated
//!   words.
//!
//! Multilingual models (NLLB with codes such as `eng_Latn`, M2M-100 with `__en__`, OPUS-MT
//! multi-target models with `>>deu<<`) are recognised from their vocabulary and get the language
//! tokens they expect; see [`LangTokenStyle`].
//!
//! The engine itself is only compiled with the cargo feature `ct2`; without it the options,
//! layout detection and language-code mapping are still available, and [`Ct2Backend::load`]
//! returns an error.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Translation};
use crate::lang::Lang;

/// Settings of a CTranslate2 backend (config `[backends.NAME]` with `type = "ct2"`, or CLI flags).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ct2Options {
    /// `cpu`, `cuda` or `auto`.
    pub device: String,
    /// `auto`, `default`, `float32`, `int8`, `int8_float32`, `int16`, …
    pub compute_type: String,
    /// CPU threads for this model in all (0: every core). They are shared out among the
    /// replicas (see [`Ct2Options::thread_plan`]).
    pub threads: usize,
    /// Model replicas translating batches in parallel (0: one per thread, at most
    /// [`MAX_AUTO_REPLICAS`]). Many single-threaded replicas give more throughput on bulk input
    /// than one replica with many threads; each replica holds its own copy of the model.
    pub replicas: usize,
    /// Beam size (1: greedy).
    pub beam_size: usize,
    /// Maximum number of examples (or tokens, see `batch_type`) per engine batch.
    pub max_batch_size: usize,
    /// `examples` or `tokens`.
    pub batch_type: String,
    /// Maximum number of tokens generated per segment.
    pub max_decoding_length: usize,
    /// Target-language prefix token for multilingual models (NLLB `eng_Latn`, M2M `__en__`).
    /// `None`: derived from the model's vocabulary if it is multilingual.
    pub target_prefix: Option<String>,
    /// Whether to end every source with `</s>`. `None`: decided from the model layout (OPUS-MT,
    /// NLLB and M2M-100 need it, OpenNMT/Argos models do not, a Hugging Face `tokenizer.json`
    /// adds what it was saved with, and nothing is added when the model's `config.json` says
    /// CTranslate2 adds it itself).
    pub source_eos: Option<bool>,
}

impl Default for Ct2Options {
    fn default() -> Self {
        Ct2Options {
            device: "cpu".into(),
            compute_type: "default".into(),
            threads: 0,
            replicas: 0,
            beam_size: 2,
            max_batch_size: 64,
            batch_type: "examples".into(),
            max_decoding_length: 256,
            target_prefix: None,
            source_eos: None,
        }
    }
}

/// The most replicas chosen automatically (each holds a copy of the model).
pub const MAX_AUTO_REPLICAS: usize = 4;

/// Where a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Device {
    /// On the CPU.
    Cpu,
    /// On a CUDA GPU.
    Cuda,
    /// On a CUDA GPU if there is one, else on the CPU.
    Auto,
}

/// Numeric precision of the model computations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2ComputeType {
    /// Whatever the model was saved with.
    Default,
    /// The fastest type the device supports.
    Auto,
    /// 32-bit floats.
    Float32,
    /// 8-bit integers.
    Int8,
    /// 8-bit integer weights, 32-bit float computation.
    Int8Float32,
    /// 8-bit integer weights, 16-bit float computation.
    Int8Float16,
    /// 8-bit integer weights, bfloat16 computation.
    Int8Bfloat16,
    /// 16-bit integers.
    Int16,
    /// 16-bit floats.
    Float16,
    /// bfloat16.
    Bfloat16,
}

/// What `max_batch_size` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2BatchType {
    /// Segments per batch.
    Examples,
    /// Tokens per batch (longest source in the batch × number of segments, i.e. with padding).
    Tokens,
}

impl Ct2Options {
    /// Checks every setting, reporting the first invalid one as [`BackendError::Config`].
    pub fn validate(&self) -> Result<(), BackendError> {
        self.parsed_device()?;
        self.parsed_compute_type()?;
        self.parsed_batch_type()?;
        for (name, value) in [
            ("beam_size", self.beam_size),
            ("max_batch_size", self.max_batch_size),
            ("max_decoding_length", self.max_decoding_length),
        ] {
            if value == 0 {
                return Err(BackendError::Config(format!(
                    "ct2 {name} must be at least 1"
                )));
            }
        }
        if let Some(prefix) = &self.target_prefix {
            if prefix.trim().is_empty() {
                return Err(BackendError::Config(
                    "ct2 target_prefix is empty (leave it out to derive it from the model)".into(),
                ));
            }
        }
        Ok(())
    }

    /// How many replicas to run and how many threads each gets, on a machine with `cores`
    /// cores: `threads` (default: all cores) is the budget, split evenly among `replicas`
    /// (default: one replica per thread, at most [`MAX_AUTO_REPLICAS`]).
    pub fn thread_plan(&self, cores: usize) -> (usize, usize) {
        let budget = if self.threads == 0 {
            cores.max(1)
        } else {
            self.threads
        };
        let replicas = if self.replicas == 0 {
            budget.min(MAX_AUTO_REPLICAS)
        } else {
            self.replicas
        };
        (replicas, (budget / replicas).max(1))
    }

    /// The `device` setting, parsed.
    pub fn parsed_device(&self) -> Result<Ct2Device, BackendError> {
        match self.device.trim().to_ascii_lowercase().as_str() {
            "cpu" => Ok(Ct2Device::Cpu),
            "cuda" | "gpu" => Ok(Ct2Device::Cuda),
            "auto" => Ok(Ct2Device::Auto),
            _ => Err(BackendError::Config(format!(
                "unknown ct2 device `{}` (expected cpu, cuda or auto)",
                self.device
            ))),
        }
    }

    /// The `compute_type` setting, parsed.
    pub fn parsed_compute_type(&self) -> Result<Ct2ComputeType, BackendError> {
        use Ct2ComputeType as C;
        match self.compute_type.trim().to_ascii_lowercase().as_str() {
            "default" => Ok(C::Default),
            "auto" => Ok(C::Auto),
            "float32" | "float" => Ok(C::Float32),
            "int8" => Ok(C::Int8),
            "int8_float32" => Ok(C::Int8Float32),
            "int8_float16" => Ok(C::Int8Float16),
            "int8_bfloat16" => Ok(C::Int8Bfloat16),
            "int16" => Ok(C::Int16),
            "float16" => Ok(C::Float16),
            "bfloat16" => Ok(C::Bfloat16),
            _ => Err(BackendError::Config(format!(
                "unknown ct2 compute type `{}` (expected auto, default, float32, int8, \
                 int8_float32, int8_float16, int8_bfloat16, int16, float16 or bfloat16)",
                self.compute_type
            ))),
        }
    }

    /// The `batch_type` setting, parsed.
    pub fn parsed_batch_type(&self) -> Result<Ct2BatchType, BackendError> {
        match self.batch_type.trim().to_ascii_lowercase().as_str() {
            "examples" | "example" => Ok(Ct2BatchType::Examples),
            "tokens" | "token" => Ok(Ct2BatchType::Tokens),
            _ => Err(BackendError::Config(format!(
                "unknown ct2 batch type `{}` (expected examples or tokens)",
                self.batch_type
            ))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Language tokens of multilingual models
// ---------------------------------------------------------------------------------------------

/// The FLORES-200 code NLLB uses for `lang` (e.g. `de` → `deu_Latn`, `fa` → `pes_Arab`), or
/// `None` if NLLB does not cover it.
pub fn nllb_code(lang: Lang) -> Option<&'static str> {
    let code = match lang.code() {
        "af" => "afr_Latn",
        "ak" => "aka_Latn",
        "am" => "amh_Ethi",
        "ar" => "arb_Arab",
        "az" => "azj_Latn",
        "be" => "bel_Cyrl",
        "bg" => "bul_Cyrl",
        "bn" => "ben_Beng",
        "bs" => "bos_Latn",
        "ca" => "cat_Latn",
        "cs" => "ces_Latn",
        "cy" => "cym_Latn",
        "da" => "dan_Latn",
        "de" => "deu_Latn",
        "el" => "ell_Grek",
        "en" => "eng_Latn",
        "eo" => "epo_Latn",
        "es" => "spa_Latn",
        "et" => "est_Latn",
        "eu" => "eus_Latn",
        "fa" => "pes_Arab",
        "fi" => "fin_Latn",
        "fr" => "fra_Latn",
        "ga" => "gle_Latn",
        "gl" => "glg_Latn",
        "gu" => "guj_Gujr",
        "he" => "heb_Hebr",
        "hi" => "hin_Deva",
        "hr" => "hrv_Latn",
        "hu" => "hun_Latn",
        "hy" => "hye_Armn",
        "id" => "ind_Latn",
        "is" => "isl_Latn",
        "it" => "ita_Latn",
        "ja" => "jpn_Jpan",
        "jv" => "jav_Latn",
        "ka" => "kat_Geor",
        "kk" => "kaz_Cyrl",
        "km" => "khm_Khmr",
        "kn" => "kan_Knda",
        "ko" => "kor_Hang",
        "ky" => "kir_Cyrl",
        "lt" => "lit_Latn",
        "lv" => "lvs_Latn",
        "mk" => "mkd_Cyrl",
        "ml" => "mal_Mlym",
        "mn" => "khk_Cyrl",
        "mr" => "mar_Deva",
        "ms" => "zsm_Latn",
        "my" => "mya_Mymr",
        "nb" => "nob_Latn",
        "ne" => "npi_Deva",
        "nl" => "nld_Latn",
        "nn" => "nno_Latn",
        "or" => "ory_Orya",
        "pa" => "pan_Guru",
        "pl" => "pol_Latn",
        "ps" => "pbt_Arab",
        "pt" => "por_Latn",
        "ro" => "ron_Latn",
        "ru" => "rus_Cyrl",
        "si" => "sin_Sinh",
        "sk" => "slk_Latn",
        "sl" => "slv_Latn",
        "sn" => "sna_Latn",
        "so" => "som_Latn",
        "sq" => "als_Latn",
        "sr" => "srp_Cyrl",
        "st" => "sot_Latn",
        "sv" => "swe_Latn",
        "sw" => "swh_Latn",
        "ta" => "tam_Taml",
        "te" => "tel_Telu",
        "tg" => "tgk_Cyrl",
        "th" => "tha_Thai",
        "tk" => "tuk_Latn",
        "tl" => "tgl_Latn",
        "tr" => "tur_Latn",
        "uk" => "ukr_Cyrl",
        "ur" => "urd_Arab",
        "uz" => "uzn_Latn",
        "vi" => "vie_Latn",
        "xh" => "xho_Latn",
        "yi" => "ydd_Hebr",
        "yo" => "yor_Latn",
        "zh" => "zho_Hans",
        "zu" => "zul_Latn",
        _ => return None,
    };
    Some(code)
}

/// How a multilingual model names its languages in the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangTokenStyle {
    /// NLLB: `eng_Latn`. Source `[src_code] tokens </s>`, target prefix `[tgt_code]`.
    Nllb,
    /// M2M-100: `__en__`. Source `[__src__] tokens </s>`, target prefix `[__tgt__]`.
    M2m,
    /// OPUS-MT multi-target models: `>>deu<<` as the first source token, no target prefix.
    Opus,
}

fn is_nllb_token(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 8
        && b[..3].iter().all(u8::is_ascii_lowercase)
        && b[3] == b'_'
        && b[4].is_ascii_uppercase()
        && b[5..].iter().all(u8::is_ascii_lowercase)
}

fn is_m2m_token(t: &str) -> bool {
    t.strip_prefix("__")
        .and_then(|r| r.strip_suffix("__"))
        .is_some_and(|c| (2..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase()))
}

fn is_opus_token(t: &str) -> bool {
    t.strip_prefix(">>")
        .and_then(|r| r.strip_suffix("<<"))
        .is_some_and(|c| {
            (2..=8).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        })
}

/// The language tokens found in a model's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangTokens {
    /// Naming convention.
    pub style: LangTokenStyle,
    /// Every language token of that style in the vocabulary.
    pub codes: HashSet<String>,
}

impl LangTokens {
    /// Looks for language tokens in `vocab`; `None` if the model is not multilingual (fewer than
    /// two tokens of any one style).
    pub fn detect<'a>(vocab: impl IntoIterator<Item = &'a str>) -> Option<LangTokens> {
        let mut nllb = HashSet::new();
        let mut m2m = HashSet::new();
        let mut opus = HashSet::new();
        for t in vocab {
            if is_nllb_token(t) {
                nllb.insert(t.to_string());
            } else if is_m2m_token(t) {
                m2m.insert(t.to_string());
            } else if is_opus_token(t) {
                opus.insert(t.to_string());
            }
        }
        [
            (LangTokenStyle::Nllb, nllb),
            (LangTokenStyle::M2m, m2m),
            (LangTokenStyle::Opus, opus),
        ]
        .into_iter()
        .filter(|(_, codes)| codes.len() >= 2)
        .max_by_key(|(_, codes)| codes.len())
        .map(|(style, codes)| LangTokens { style, codes })
    }

    /// The token naming `lang` in this model, if the vocabulary has one.
    pub fn token_for(&self, lang: Lang) -> Option<String> {
        let mut candidates: Vec<String> = Vec::new();
        match self.style {
            LangTokenStyle::Nllb => {
                if let Some(c) = nllb_code(lang) {
                    candidates.push(c.to_string());
                }
                // Another script or variety of the same language, in a stable order.
                let prefix = format!("{}_", lang.iso3());
                let mut others: Vec<&String> = self
                    .codes
                    .iter()
                    .filter(|c| c.starts_with(&prefix))
                    .collect();
                others.sort();
                candidates.extend(others.into_iter().cloned());
            }
            LangTokenStyle::M2m => {
                candidates.push(format!("__{}__", lang.code()));
                if lang.code() == "nb" {
                    candidates.push("__no__".into());
                }
                candidates.push(format!("__{}__", lang.iso3()));
            }
            LangTokenStyle::Opus => {
                candidates.push(format!(">>{}<<", lang.iso3()));
                if let Some(base) = nllb_code(lang).and_then(|c| c.split('_').next()) {
                    candidates.push(format!(">>{base}<<"));
                }
                if let Some(c) = nllb_code(lang) {
                    candidates.push(format!(">>{c}<<"));
                }
                candidates.push(format!(">>{}<<", lang.code()));
            }
        }
        candidates.into_iter().find(|c| self.codes.contains(c))
    }
}

/// The language tokens a segment is translated with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairTokens {
    /// Tokens put before the source tokens (NLLB/M2M source code, OPUS `>>xxx<<`).
    pub source_prefix: Vec<String>,
    /// Tokens the target is forced to start with (removed from the output again).
    pub target_prefix: Vec<String>,
}

/// Chooses the language tokens for `pair`.
///
/// `override_prefix` (from [`Ct2Options::target_prefix`], whitespace-separated tokens) wins over
/// the vocabulary. Returns `None` when the model is multilingual but has no token for the target
/// language.
pub fn select_pair_tokens(
    lang_tokens: Option<&LangTokens>,
    override_prefix: Option<&str>,
    pair: LangPair,
) -> Option<PairTokens> {
    let override_tokens: Option<Vec<String>> = override_prefix
        .map(|p| p.split_whitespace().map(str::to_string).collect())
        .filter(|v: &Vec<String>| !v.is_empty());
    let Some(lt) = lang_tokens else {
        return Some(PairTokens {
            source_prefix: Vec::new(),
            target_prefix: override_tokens.unwrap_or_default(),
        });
    };
    match lt.style {
        LangTokenStyle::Nllb | LangTokenStyle::M2m => {
            let target_prefix = match override_tokens {
                Some(t) => t,
                None => vec![lt.token_for(pair.to)?],
            };
            let source_prefix = lt.token_for(pair.from).into_iter().collect();
            Some(PairTokens {
                source_prefix,
                target_prefix,
            })
        }
        LangTokenStyle::Opus => match override_tokens {
            Some(t) => Some(PairTokens {
                source_prefix: Vec::new(),
                target_prefix: t,
            }),
            None => Some(PairTokens {
                source_prefix: vec![lt.token_for(pair.to)?],
                target_prefix: Vec::new(),
            }),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Layout detection
// ---------------------------------------------------------------------------------------------

/// How a model directory is laid out, i.e. where its CTranslate2 model and tokenizer are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelLayout {
    /// OPUS-MT (Marian): `source.spm` and `target.spm` next to `model.bin`.
    OpusMt {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// Source SentencePiece model.
        source_spm: PathBuf,
        /// Target SentencePiece model.
        target_spm: PathBuf,
    },
    /// A Hugging Face `tokenizer.json` next to `model.bin`.
    HfTokenizer {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// The `tokenizer.json` file.
        tokenizer: PathBuf,
    },
    /// An Argos Translate package: `model/`, `sentencepiece.model`, `metadata.json`.
    Argos {
        /// The package directory (holding `metadata.json`).
        package: PathBuf,
        /// The CTranslate2 model directory (`package/model`).
        model: PathBuf,
        /// The shared SentencePiece model.
        spm: PathBuf,
    },
    /// One SentencePiece model shared by source and target (`sentencepiece.model`/`spm.model`).
    SharedSpm {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// The SentencePiece model.
        spm: PathBuf,
    },
    /// No tokenizer: sources are split by the vocabulary alone.
    Vocabulary {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// Characters (every ordinary source-vocabulary entry is one character) or words.
        unit: VocabUnit,
    },
}

/// What a vocabulary-only model works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VocabUnit {
    /// Single characters. `space` is the vocabulary's token for a space (` ` or `▁`), if any;
    /// without one, each whitespace-separated word is translated on its own.
    Chars {
        /// The space token.
        space: Option<String>,
    },
    /// Whitespace-separated words.
    Words,
}

/// Tokens that are markers, not text, in CTranslate2/OpenNMT vocabularies.
fn is_special_token(t: &str) -> bool {
    matches!(t, "<unk>" | "<s>" | "</s>" | "<blank>" | "<pad>" | "<mask>")
        || (t.len() >= 3
            && t.starts_with('<')
            && t.ends_with('>')
            && !t[1..t.len() - 1].contains(['<', '>', ' ']))
}

/// Reads a CTranslate2 vocabulary file: one token per line (`.txt`, where a line may be a lone
/// space) or a JSON list of strings (`.json`).
fn read_vocab_file(path: &Path) -> Result<Vec<String>, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        return serde_json::from_str::<Vec<String>>(&text)
            .map_err(|e| format!("{} is not a JSON list of tokens: {e}", path.display()));
    }
    let mut tokens: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    if tokens.last().is_some_and(String::is_empty) {
        tokens.pop();
    }
    Ok(tokens)
}

/// The first of `names` that exists as a file in `dir`.
fn first_file(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

const SOURCE_VOCABS: &[&str] = &[
    "source_vocabulary.txt",
    "source_vocabulary.json",
    "shared_vocabulary.txt",
    "shared_vocabulary.json",
];
const TARGET_VOCABS: &[&str] = &[
    "target_vocabulary.txt",
    "target_vocabulary.json",
    "shared_vocabulary.txt",
    "shared_vocabulary.json",
];

/// The source vocabulary of the CTranslate2 model in `model_dir`, if it has a vocabulary file.
pub fn read_source_vocabulary(model_dir: &Path) -> Option<Result<Vec<String>, String>> {
    first_file(model_dir, SOURCE_VOCABS).map(|p| read_vocab_file(&p))
}

/// The target vocabulary of the CTranslate2 model in `model_dir`, if it has a vocabulary file.
pub fn read_target_vocabulary(model_dir: &Path) -> Option<Result<Vec<String>, String>> {
    first_file(model_dir, TARGET_VOCABS).map(|p| read_vocab_file(&p))
}

/// Decides from a source vocabulary whether a tokenizer-less model works on characters or words.
pub fn vocab_unit(vocab: &[String]) -> Option<VocabUnit> {
    let ordinary: Vec<&str> = vocab
        .iter()
        .map(String::as_str)
        .filter(|t| !is_special_token(t))
        .collect();
    if ordinary.is_empty() {
        return None;
    }
    if ordinary.iter().all(|t| t.chars().count() == 1) {
        let space = [" ", "▁"]
            .into_iter()
            .find(|s| ordinary.contains(s))
            .map(str::to_string);
        Some(VocabUnit::Chars { space })
    } else {
        Some(VocabUnit::Words)
    }
}

fn bad_model(path: &Path, message: impl Into<String>) -> BackendError {
    BackendError::BadModel {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Whether `dir` is an Argos Translate package directory.
fn is_argos_package(dir: &Path) -> bool {
    dir.join("model").is_dir() && dir.join("sentencepiece.model").is_file()
}

impl ModelLayout {
    /// Works out the layout of `dir`.
    ///
    /// Errors: [`BackendError::ModelNotFound`] if `dir` is not a directory,
    /// [`BackendError::BadModel`] if it holds no `model.bin` or no usable tokenizer.
    pub fn detect(dir: &Path) -> Result<ModelLayout, BackendError> {
        if !dir.is_dir() {
            return Err(BackendError::ModelNotFound(dir.to_path_buf()));
        }
        if is_argos_package(dir) {
            return Self::argos(dir);
        }
        if !dir.join("model.bin").is_file() {
            // An unpacked .argosmodel: one package folder inside.
            let packages: Vec<PathBuf> = fs::read_dir(dir)
                .map_err(|e| bad_model(dir, format!("cannot list the directory: {e}")))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir() && is_argos_package(p))
                .collect();
            return match packages.as_slice() {
                [one] => Self::argos(one),
                [] => Err(bad_model(
                    dir,
                    "no model.bin (not a CTranslate2 model directory, nor an Argos Translate \
                     package)",
                )),
                _ => Err(bad_model(
                    dir,
                    format!(
                        "{} Argos Translate packages inside; point at one of them",
                        packages.len()
                    ),
                )),
            };
        }
        let model = dir.to_path_buf();
        let source_spm = dir.join("source.spm");
        let target_spm = dir.join("target.spm");
        if source_spm.is_file() && target_spm.is_file() {
            return Ok(ModelLayout::OpusMt {
                model,
                source_spm,
                target_spm,
            });
        }
        if let Some(tokenizer) = first_file(dir, &["tokenizer.json"]) {
            return Ok(ModelLayout::HfTokenizer { model, tokenizer });
        }
        if let Some(spm) = first_file(dir, &["sentencepiece.model", "spm.model"]) {
            return Ok(ModelLayout::SharedSpm { model, spm });
        }
        match read_source_vocabulary(dir) {
            Some(Ok(vocab)) => match vocab_unit(&vocab) {
                Some(unit) => Ok(ModelLayout::Vocabulary { model, unit }),
                None => Err(bad_model(
                    dir,
                    "the source vocabulary has no ordinary tokens",
                )),
            },
            Some(Err(e)) => Err(bad_model(dir, e)),
            None => {
                let half = if source_spm.is_file() {
                    " (source.spm without target.spm)"
                } else if target_spm.is_file() {
                    " (target.spm without source.spm)"
                } else {
                    ""
                };
                Err(bad_model(
                    dir,
                    format!(
                        "no usable tokenizer{half}: expected source.spm and target.spm, \
                         tokenizer.json, sentencepiece.model or spm.model, or a vocabulary \
                         file (source_vocabulary.txt / shared_vocabulary.txt)"
                    ),
                ))
            }
        }
    }

    fn argos(package: &Path) -> Result<ModelLayout, BackendError> {
        let model = package.join("model");
        if !model.join("model.bin").is_file() {
            return Err(bad_model(
                package,
                "Argos Translate package without model/model.bin",
            ));
        }
        Ok(ModelLayout::Argos {
            package: package.to_path_buf(),
            model,
            spm: package.join("sentencepiece.model"),
        })
    }

    /// The CTranslate2 model directory (holding `model.bin`).
    pub fn model_dir(&self) -> &Path {
        match self {
            ModelLayout::OpusMt { model, .. }
            | ModelLayout::HfTokenizer { model, .. }
            | ModelLayout::Argos { model, .. }
            | ModelLayout::SharedSpm { model, .. }
            | ModelLayout::Vocabulary { model, .. } => model,
        }
    }

    /// A short name of the layout kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelLayout::OpusMt { .. } => "opus-mt",
            ModelLayout::HfTokenizer { .. } => "hf-tokenizer",
            ModelLayout::Argos { .. } => "argos",
            ModelLayout::SharedSpm { .. } => "sentencepiece",
            ModelLayout::Vocabulary {
                unit: VocabUnit::Chars { .. },
                ..
            } => "vocabulary-chars",
            ModelLayout::Vocabulary {
                unit: VocabUnit::Words,
                ..
            } => "vocabulary-words",
        }
    }
}

/// The backend name for a model directory: `ct2:<directory name>`.
fn backend_name(model_dir: &Path) -> String {
    let name = model_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            fs::canonicalize(model_dir)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| model_dir.display().to_string());
    format!("ct2:{name}")
}

// ---------------------------------------------------------------------------------------------
// The backend
// ---------------------------------------------------------------------------------------------

/// A loaded CTranslate2 model with its tokenizer.
pub struct Ct2Backend {
    name: String,
    #[cfg(feature = "ct2")]
    engine: engine::Engine,
    #[cfg(not(feature = "ct2"))]
    never: std::convert::Infallible,
}

impl std::fmt::Debug for Ct2Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ct2Backend")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Ct2Backend {
    /// Loads the model in `model_dir` with `options`.
    ///
    /// Errors: [`BackendError::Config`] for an invalid option, [`BackendError::ModelNotFound`]
    /// if `model_dir` is missing, [`BackendError::BadModel`] if it is not a usable model
    /// (no `model.bin`, a corrupt one, no tokenizer), and [`BackendError::Engine`] if tarjuman
    /// was built without the `ct2` feature.
    pub fn load(model_dir: &Path, options: &Ct2Options) -> Result<Self, BackendError> {
        options.validate()?;
        let name = backend_name(model_dir);
        #[cfg(feature = "ct2")]
        {
            let layout = ModelLayout::detect(model_dir)?;
            let engine = engine::Engine::load(&layout, options)?;
            Ok(Ct2Backend { name, engine })
        }
        #[cfg(not(feature = "ct2"))]
        {
            Err(BackendError::Engine {
                backend: name,
                message: "tarjuman was built without the `ct2` feature; rebuild with \
                          `--features ct2` to use CTranslate2 models"
                    .into(),
            })
        }
    }

    /// The detected layout kind (`opus-mt`, `hf-tokenizer`, `argos`, `sentencepiece`,
    /// `vocabulary-chars`, `vocabulary-words`).
    pub fn layout_kind(&self) -> &'static str {
        #[cfg(feature = "ct2")]
        {
            self.engine.layout_kind
        }
        #[cfg(not(feature = "ct2"))]
        {
            match self.never {}
        }
    }

    /// The language-token style if the model is multilingual.
    pub fn lang_token_style(&self) -> Option<LangTokenStyle> {
        #[cfg(feature = "ct2")]
        {
            self.engine.lang_tokens.as_ref().map(|l| l.style)
        }
        #[cfg(not(feature = "ct2"))]
        {
            match self.never {}
        }
    }
}

impl Backend for Ct2Backend {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, pair: LangPair) -> bool {
        #[cfg(feature = "ct2")]
        {
            self.engine.pair_tokens(pair).is_some()
        }
        #[cfg(not(feature = "ct2"))]
        {
            let _ = pair;
            match self.never {}
        }
    }

    fn translate(
        &self,
        pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        #[cfg(feature = "ct2")]
        {
            let Some(tokens) = self.engine.pair_tokens(pair) else {
                return Err(BackendError::UnsupportedPair {
                    backend: self.name.clone(),
                    pair,
                });
            };
            self.engine.translate(&self.name, &tokens, texts)
        }
        #[cfg(not(feature = "ct2"))]
        {
            let _ = (pair, texts);
            match self.never {}
        }
    }
}

#[cfg(feature = "ct2")]
mod engine {
    //! The parts that need CTranslate2.

    use std::sync::Mutex;

    use ct2rs::sys::{
        get_device_count, BatchType, ComputeType, Config, Device, TranslationOptions, Translator,
    };
    use ct2rs::tokenizers::{hf, sentencepiece as spm};
    use ct2rs::Tokenizer as _;

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
        Spm(spm::Tokenizer),
        Hf(Box<hf::Tokenizer>),
        Chars { space: Option<String> },
        Words,
    }

    impl Tok {
        /// Splits `text` into units translated separately (several only for character models
        /// without a space token), each a list of tokens without language or EOS tokens.
        fn encode(&self, text: &str, eos: SourceEos) -> Result<Vec<Vec<String>>, String> {
            match self {
                Tok::Spm(t) => {
                    let mut pieces = t.encode(text).map_err(|e| e.to_string())?;
                    // ct2rs ends every source with `</s>`; whether it stays is decided later.
                    if pieces.last().is_some_and(|p| p == "</s>") {
                        pieces.pop();
                    }
                    Ok(vec![pieces])
                }
                Tok::Hf(t) => {
                    // The `tokenizers` tokenizer itself, not ct2rs's wrapper trait.
                    let inner = std::ops::Deref::deref(t.as_ref());
                    let enc = inner
                        .encode(text, eos == SourceEos::Tokenizer)
                        .map_err(|e| e.to_string())?;
                    Ok(vec![enc.get_tokens().to_vec()])
                }
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
                Tok::Words => Ok(vec![text
                    .split_whitespace()
                    .map(|w| {
                        if is_special_token(w) {
                            "<unk>".to_string()
                        } else {
                            w.to_string()
                        }
                    })
                    .collect()]),
            }
        }

        /// Turns output tokens back into text.
        fn decode(&self, tokens: Vec<String>) -> Result<String, String> {
            match self {
                Tok::Spm(t) => t.decode(tokens).map_err(|e| e.to_string()),
                Tok::Hf(t) => {
                    if t.get_decoder().is_some() {
                        t.decode(tokens).map_err(|e| e.to_string())
                    } else {
                        Ok(tokens.join(" "))
                    }
                }
                Tok::Chars { .. } => Ok(tokens
                    .iter()
                    .map(|t| if t == "▁" { " " } else { t.as_str() })
                    .collect::<String>()
                    .trim()
                    .to_string()),
                Tok::Words => Ok(tokens.join(" ")),
            }
        }
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
        notes: Vec<Note>,
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
    fn engine_config(options: &Ct2Options) -> Result<(Config, usize), BackendError> {
        let device = match options.parsed_device()? {
            Ct2Device::Cpu => Device::CPU,
            Ct2Device::Cuda => {
                if get_device_count(Device::CUDA) <= 0 {
                    return Err(BackendError::Config(
                        "ct2 device `cuda` asked for, but no CUDA device is available (or \
                         CTranslate2 was built without CUDA)"
                            .into(),
                    ));
                }
                Device::CUDA
            }
            Ct2Device::Auto => {
                if get_device_count(Device::CUDA) > 0 {
                    Device::CUDA
                } else {
                    Device::CPU
                }
            }
        };
        let compute_type = match options.parsed_compute_type()? {
            Ct2ComputeType::Default => ComputeType::DEFAULT,
            Ct2ComputeType::Auto => ComputeType::AUTO,
            Ct2ComputeType::Float32 => ComputeType::FLOAT32,
            Ct2ComputeType::Int8 => ComputeType::INT8,
            Ct2ComputeType::Int8Float32 => ComputeType::INT8_FLOAT32,
            Ct2ComputeType::Int8Float16 => ComputeType::INT8_FLOAT16,
            Ct2ComputeType::Int8Bfloat16 => ComputeType::INT8_BFLOAT16,
            Ct2ComputeType::Int16 => ComputeType::INT16,
            Ct2ComputeType::Float16 => ComputeType::FLOAT16,
            Ct2ComputeType::Bfloat16 => ComputeType::BFLOAT16,
        };
        let (replicas, threads) = if device == Device::CPU {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            options.thread_plan(cores)
        } else {
            (options.replicas.max(1), options.threads.max(1))
        };
        let config = Config {
            device,
            compute_type,
            // CTranslate2 makes one replica per listed device index.
            device_indices: vec![0; replicas],
            num_threads_per_replica: threads,
            ..Config::default()
        };
        Ok((config, replicas))
    }

    impl Engine {
        pub(super) fn load(
            layout: &ModelLayout,
            options: &Ct2Options,
        ) -> Result<Self, BackendError> {
            let model_dir = layout.model_dir();
            let (config, replicas) = engine_config(options)?;
            let model_config = read_model_config(model_dir)?;

            let tok = match layout {
                ModelLayout::OpusMt {
                    source_spm,
                    target_spm,
                    ..
                } => spm::Tokenizer::from_file(source_spm, target_spm)
                    .map(Tok::Spm)
                    .map_err(|e| {
                        bad_model(model_dir, format!("cannot load source.spm/target.spm: {e}"))
                    })?,
                ModelLayout::HfTokenizer { tokenizer, .. } => hf::Tokenizer::from_file(tokenizer)
                    .map(|t| Tok::Hf(Box::new(t)))
                    .map_err(|e| {
                        bad_model(model_dir, format!("cannot load tokenizer.json: {e}"))
                    })?,
                ModelLayout::Argos { spm: path, .. } | ModelLayout::SharedSpm { spm: path, .. } => {
                    spm::Tokenizer::from_file(path, path)
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
                    VocabUnit::Words => Tok::Words,
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
                if let Tok::Hf(t) = &tok {
                    vocab.extend(t.get_vocab(true).into_keys());
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
            let options = TranslationOptions::<String, String> {
                beam_size: self.beam_size,
                max_decoding_length: self.max_decoding_length,
                max_input_length: self.max_input_length,
                max_batch_size: 0,
                batch_type: BatchType::Examples,
                ..TranslationOptions::default()
            };
            let source: Vec<Vec<&str>> = jobs
                .iter()
                .map(|j| j.tokens.iter().map(String::as_str).collect())
                .collect();
            let results = if target_prefix.is_empty() {
                self.translator.translate_batch(&source, &options, None)
            } else {
                let prefixes = vec![target_prefix.to_vec(); jobs.len()];
                self.translator
                    .translate_batch_with_target_prefix(&source, &prefixes, &options, None)
            }
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
                .map(|r| {
                    r.hypotheses
                        .into_iter()
                        .next()
                        .ok_or_else(|| "CTranslate2 returned no hypothesis".to_string())
                })
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
                        notes,
                    };
                }
            };
            let units = pieces.len();
            for (unit, p) in pieces.into_iter().enumerate() {
                if p.is_empty() {
                    continue;
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
        pub(super) fn translate(
            &self,
            name: &str,
            pt: &PairTokens,
            texts: &[&str],
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
            Ok(slots
                .into_iter()
                .zip(notes)
                .map(|(units, notes)| {
                    let mut parts = Vec::new();
                    for unit in units? {
                        parts.push(unit.ok_or_else(|| SegmentError {
                            message: "no translation came back".into(),
                        })?);
                    }
                    let text = parts
                        .iter()
                        .map(String::as_str)
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    Ok(Translation { text, notes })
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
        fn finish(
            &self,
            mut hyp: Vec<String>,
            prefix: &[String],
        ) -> Result<(String, usize), String> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(c: &str) -> Lang {
        Lang::from_code(c).expect("known code")
    }

    fn pair(from: &str, to: &str) -> LangPair {
        LangPair {
            from: lang(from),
            to: lang(to),
        }
    }

    #[test]
    fn thread_plan_shares_the_budget_among_replicas() {
        let plan = |threads, replicas, cores| {
            Ct2Options {
                threads,
                replicas,
                ..Ct2Options::default()
            }
            .thread_plan(cores)
        };
        // Defaults: every core, one single-threaded replica each (at most four replicas).
        assert_eq!(plan(0, 0, 2), (2, 1));
        assert_eq!(plan(0, 0, 16), (4, 4));
        // `--threads 1` means one core in all.
        assert_eq!(plan(1, 0, 8), (1, 1));
        assert_eq!(plan(8, 2, 2), (2, 4));
        assert_eq!(plan(2, 4, 2), (4, 1));
        assert_eq!(plan(0, 1, 6), (1, 6));
    }

    #[test]
    fn nllb_codes_cover_common_languages() {
        for (iso, nllb) in [
            ("de", "deu_Latn"),
            ("en", "eng_Latn"),
            ("ru", "rus_Cyrl"),
            ("uk", "ukr_Cyrl"),
            ("ar", "arb_Arab"),
            ("fa", "pes_Arab"),
            ("zh", "zho_Hans"),
            ("he", "heb_Hebr"),
            ("nb", "nob_Latn"),
        ] {
            assert_eq!(nllb_code(lang(iso)), Some(nllb), "{iso}");
        }
        assert_eq!(nllb_code(lang("la")), None);
        // Every mapped code is well-formed and starts with a plausible ISO 639-3 code.
        for info in crate::lang::LANGUAGES {
            let l = lang(info.iso1);
            if let Some(c) = nllb_code(l) {
                assert!(is_nllb_token(c), "{c}");
            }
        }
    }

    #[test]
    fn token_styles() {
        assert!(is_nllb_token("eng_Latn"));
        assert!(!is_nllb_token("eng_latn"));
        assert!(!is_nllb_token("▁eng_Latn"));
        assert!(is_m2m_token("__de__"));
        assert!(is_m2m_token("__ast__"));
        assert!(!is_m2m_token("__init__"));
        assert!(!is_m2m_token("__"));
        assert!(is_opus_token(">>deu<<"));
        assert!(!is_opus_token(">><<"));
    }

    fn vocab(tokens: &[&str]) -> Vec<String> {
        tokens.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn nllb_prefixes() {
        let v = vocab(&[
            "<s>", "</s>", "▁the", "eng_Latn", "deu_Latn", "rus_Cyrl", "arb_Arab",
        ]);
        let lt = LangTokens::detect(v.iter().map(String::as_str)).expect("multilingual");
        assert_eq!(lt.style, LangTokenStyle::Nllb);
        let p = select_pair_tokens(Some(&lt), None, pair("de", "en")).expect("supported");
        assert_eq!(p.source_prefix, vec!["deu_Latn"]);
        assert_eq!(p.target_prefix, vec!["eng_Latn"]);
        // Source language unknown to the model: no source token, still translatable.
        let p = select_pair_tokens(Some(&lt), None, pair("fr", "ar")).expect("supported");
        assert!(p.source_prefix.is_empty());
        assert_eq!(p.target_prefix, vec!["arb_Arab"]);
        // Target missing: unsupported, unless overridden.
        assert_eq!(select_pair_tokens(Some(&lt), None, pair("en", "fr")), None);
        let p =
            select_pair_tokens(Some(&lt), Some("fra_Latn"), pair("en", "fr")).expect("override");
        assert_eq!(p.target_prefix, vec!["fra_Latn"]);
        assert_eq!(p.source_prefix, vec!["eng_Latn"]);
    }

    #[test]
    fn nllb_falls_back_to_other_script() {
        let v = vocab(&["eng_Latn", "zho_Hant", "srp_Latn"]);
        let lt = LangTokens::detect(v.iter().map(String::as_str)).expect("multilingual");
        assert_eq!(lt.token_for(lang("zh")).as_deref(), Some("zho_Hant"));
        assert_eq!(lt.token_for(lang("sr")).as_deref(), Some("srp_Latn"));
    }

    #[test]
    fn m2m_prefixes() {
        let v = vocab(&["</s>", "__en__", "__de__", "__no__", "▁Hallo"]);
        let lt = LangTokens::detect(v.iter().map(String::as_str)).expect("multilingual");
        assert_eq!(lt.style, LangTokenStyle::M2m);
        let p = select_pair_tokens(Some(&lt), None, pair("en", "nb")).expect("supported");
        assert_eq!(p.source_prefix, vec!["__en__"]);
        assert_eq!(p.target_prefix, vec!["__no__"]);
        assert_eq!(select_pair_tokens(Some(&lt), None, pair("en", "ru")), None);
    }

    #[test]
    fn opus_multi_target() {
        let v = vocab(&[">>deu<<", ">>fra<<", ">>rus<<", "▁a"]);
        let lt = LangTokens::detect(v.iter().map(String::as_str)).expect("multilingual");
        assert_eq!(lt.style, LangTokenStyle::Opus);
        let p = select_pair_tokens(Some(&lt), None, pair("en", "de")).expect("supported");
        assert_eq!(p.source_prefix, vec![">>deu<<"]);
        assert!(p.target_prefix.is_empty());
    }

    #[test]
    fn monolingual_models() {
        let v = vocab(&["<s>", "</s>", "a", "b", "eng_Latn"]);
        assert_eq!(LangTokens::detect(v.iter().map(String::as_str)), None);
        assert_eq!(
            select_pair_tokens(None, None, pair("ar", "en")),
            Some(PairTokens::default())
        );
        let p = select_pair_tokens(None, Some("<2en> x"), pair("ar", "en")).expect("override");
        assert_eq!(p.target_prefix, vec!["<2en>", "x"]);
    }

    #[test]
    fn vocab_units() {
        assert_eq!(
            vocab_unit(&vocab(&["<blank>", "<s>", "</s>", "a", "ب"])),
            Some(VocabUnit::Chars { space: None })
        );
        assert_eq!(
            vocab_unit(&vocab(&["<unk>", "a", " ", "b"])),
            Some(VocabUnit::Chars {
                space: Some(" ".into())
            })
        );
        assert_eq!(
            vocab_unit(&vocab(&["<unk>", "a", "▁", "b"])),
            Some(VocabUnit::Chars {
                space: Some("▁".into())
            })
        );
        assert_eq!(
            vocab_unit(&vocab(&["<unk>", "a", "word"])),
            Some(VocabUnit::Words)
        );
        assert_eq!(vocab_unit(&vocab(&["<unk>", "<s>"])), None);
    }

    #[test]
    fn options_validation() {
        assert!(Ct2Options::default().validate().is_ok());
        let bad = |f: fn(&mut Ct2Options)| {
            let mut o = Ct2Options::default();
            f(&mut o);
            matches!(o.validate(), Err(BackendError::Config(_)))
        };
        assert!(bad(|o| o.device = "tpu".into()));
        assert!(bad(|o| o.compute_type = "int4".into()));
        assert!(bad(|o| o.batch_type = "sentences".into()));
        assert!(bad(|o| o.beam_size = 0));
        assert!(bad(|o| o.max_batch_size = 0));
        assert!(bad(|o| o.max_decoding_length = 0));
        assert!(bad(|o| o.target_prefix = Some(" ".into())));
        let o = Ct2Options {
            device: "AUTO".into(),
            compute_type: "int8_float32".into(),
            batch_type: "tokens".into(),
            ..Ct2Options::default()
        };
        assert!(o.validate().is_ok());
    }

    #[test]
    fn options_from_toml() {
        let o: Ct2Options =
            toml::from_str("device = \"cpu\"\nbeam_size = 4\nsource_eos = true\n").expect("parse");
        assert_eq!(o.beam_size, 4);
        assert_eq!(o.source_eos, Some(true));
        assert_eq!(o.max_batch_size, 64);
        assert!(toml::from_str::<Ct2Options>("beam = 4\n").is_err());
    }

    #[test]
    fn layout_detection() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let write = |p: &Path, s: &str| {
            if let Some(d) = p.parent() {
                fs::create_dir_all(d).expect("mkdir");
            }
            fs::write(p, s).expect("write");
        };

        assert!(matches!(
            ModelLayout::detect(&root.join("missing")),
            Err(BackendError::ModelNotFound(_))
        ));

        let empty = root.join("empty");
        fs::create_dir(&empty).expect("mkdir");
        assert!(matches!(
            ModelLayout::detect(&empty),
            Err(BackendError::BadModel { .. })
        ));

        let opus = root.join("opus");
        write(&opus.join("model.bin"), "");
        write(&opus.join("source.spm"), "");
        assert!(matches!(
            ModelLayout::detect(&opus),
            Err(BackendError::BadModel { message, .. }) if message.contains("source.spm without")
        ));
        write(&opus.join("target.spm"), "");
        write(&opus.join("tokenizer.json"), "");
        assert_eq!(ModelLayout::detect(&opus).expect("opus").kind(), "opus-mt");

        let hf = root.join("hf");
        write(&hf.join("model.bin"), "");
        write(&hf.join("tokenizer.json"), "");
        write(&hf.join("sentencepiece.model"), "");
        assert_eq!(ModelLayout::detect(&hf).expect("hf").kind(), "hf-tokenizer");

        let sp = root.join("sp");
        write(&sp.join("model.bin"), "");
        write(&sp.join("spm.model"), "");
        assert_eq!(
            ModelLayout::detect(&sp).expect("spm").kind(),
            "sentencepiece"
        );

        let chars = root.join("chars");
        write(&chars.join("model.bin"), "");
        write(
            &chars.join("source_vocabulary.txt"),
            "<blank>\n<s>\n</s>\nا\n \nب\n",
        );
        assert_eq!(
            ModelLayout::detect(&chars).expect("chars"),
            ModelLayout::Vocabulary {
                model: chars.clone(),
                unit: VocabUnit::Chars {
                    space: Some(" ".into())
                }
            }
        );

        let words = root.join("words");
        write(&words.join("model.bin"), "");
        write(
            &words.join("shared_vocabulary.json"),
            r#"["<unk>","hello","a"]"#,
        );
        assert_eq!(
            ModelLayout::detect(&words).expect("words").kind(),
            "vocabulary-words"
        );

        let argos_root = root.join("argos");
        let pkg = argos_root.join("translate-en_de-1_0");
        write(&pkg.join("model/model.bin"), "");
        write(&pkg.join("sentencepiece.model"), "");
        write(&pkg.join("metadata.json"), "{}");
        for dir in [&argos_root, &pkg] {
            match ModelLayout::detect(dir).expect("argos") {
                ModelLayout::Argos { package, model, .. } => {
                    assert_eq!(package, pkg);
                    assert_eq!(model, pkg.join("model"));
                }
                other => panic!("not argos: {other:?}"),
            }
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            backend_name(Path::new("/models/opus-mt-de-en")),
            "ct2:opus-mt-de-en"
        );
        assert_eq!(backend_name(Path::new("rel/m/")), "ct2:m");
    }

    #[cfg(not(feature = "ct2"))]
    #[test]
    fn load_without_feature_is_a_clear_error() {
        let tmp = tempfile::tempdir().expect("tempdir");
        match Ct2Backend::load(tmp.path(), &Ct2Options::default()) {
            Err(BackendError::Engine { message, .. }) => assert!(message.contains("ct2")),
            other => panic!("unexpected: {other:?}"),
        }
    }
}
