//! CTranslate2 backend, through `ct2rs` in the engine library (`ct2-engine/`, loaded on first
//! use; see `plugin.rs`).
//!
//! A model directory is recognised by its layout (see [`ModelLayout::detect`]):
//!
//! * OPUS-MT / Marian: `model.bin` with `source.spm` and `target.spm`;
//! * Hugging Face: `model.bin` with `tokenizer.json`;
//! * Argos Translate packages: `model/` (the CTranslate2 model), `sentencepiece.model` and
//!   `metadata.json`, or an unpacked `.argosmodel` root holding one such folder;
//! * one shared SentencePiece model: `model.bin` with `sentencepiece.model`, `spm.model` or
//!   `sentencepiece.bpe.model`;
//! * characters only: `model.bin` and a source vocabulary whose every ordinary entry is one
//!   character (e.g. a transliteration model), no tokenizer.
//!
//! Every layout needs the vocabulary files CTranslate2 loads (`shared_vocabulary`, or
//! `source_vocabulary` and `target_vocabulary`, `.json` or `.txt`). Detection is strict: a
//! directory that lacks a file its layout needs (one `.spm` of a pair, a vocabulary, the
//! tokenizer of a subword or word vocabulary) is an error naming that file, never a guess.
//!
//! A model says which languages it translates in `metadata.json` (Argos Translate's format,
//! read beside `model.bin` for any layout) or through the language tokens of a multilingual
//! vocabulary; see [`ModelLayout::languages`]. A plain CTranslate2 directory says nothing.
//!
//! Multilingual models (NLLB with codes such as `eng_Latn`, M2M-100 with `__en__`, OPUS-MT
//! multi-target models with `>>deu<<`) are recognised from their vocabulary and get the language
//! tokens they expect; see [`LangTokenStyle`].
//!
//! The engine calls are only compiled with the cargo feature `ct2`; without it the options,
//! layout detection and language-code mapping are still available, and [`Ct2Backend::load`]
//! returns an error. With it, [`Ct2Backend::load`] fails with [`BackendError::Engine`] when the
//! engine library is not installed.

use std::path::Path;

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Translation};
#[cfg(test)]
use crate::lang::Lang;

#[cfg(feature = "ct2")]
mod engine;
pub mod fingerprint;
mod lang_tokens;
mod layout;
#[cfg(feature = "ct2")]
mod plugin;

pub use lang_tokens::{nllb_code, select_pair_tokens, LangTokenStyle, LangTokens, PairTokens};
use layout::backend_name;
pub use layout::{
    read_source_vocabulary, read_target_vocabulary, vocab_unit, ModelLanguages, ModelLayout,
    VocabUnit,
};

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
                message: "tarjuman was built without the `ct2` feature; rebuild with the \
                          default features to use CTranslate2 models"
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

    fn cheap_calls(&self) -> bool {
        true
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
            self.engine.translate(&self.name, &tokens, texts, &[])
        }
        #[cfg(not(feature = "ct2"))]
        {
            let _ = (pair, texts);
            match self.never {}
        }
    }

    fn translate_marked(
        &self,
        pair: LangPair,
        sources: &[super::Source<'_>],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        #[cfg(feature = "ct2")]
        {
            let Some(tokens) = self.engine.pair_tokens(pair) else {
                return Err(BackendError::UnsupportedPair {
                    backend: self.name.clone(),
                    pair,
                });
            };
            let texts: Vec<&str> = sources.iter().map(|s| s.text).collect();
            let spans: Vec<&[std::ops::Range<usize>]> = sources.iter().map(|s| s.spans).collect();
            self.engine.translate(&self.name, &tokens, &texts, &spans)
        }
        #[cfg(not(feature = "ct2"))]
        {
            let _ = (pair, sources);
            match self.never {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::lang_tokens::{is_m2m_token, is_nllb_token, is_opus_token};
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

    /// The message of the `BadModel` error `ModelLayout::detect` gives for `dir`.
    fn bad_message(dir: &Path) -> String {
        match ModelLayout::detect(dir) {
            Err(BackendError::BadModel { message, .. }) => message,
            other => panic!("{}: {other:?}", dir.display()),
        }
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

        // Every CTranslate2 layout needs its vocabulary files.
        let novocab = root.join("novocab");
        write(&novocab.join("model.bin"), "");
        write(&novocab.join("sentencepiece.model"), "");
        let message = bad_message(&novocab);
        assert!(message.contains("shared_vocabulary"), "{message}");
        let half = root.join("half");
        write(&half.join("model.bin"), "");
        write(&half.join("source_vocabulary.txt"), "a\nb\n");
        write(&half.join("spm.model"), "");
        let message = bad_message(&half);
        assert!(message.contains("target_vocabulary.txt"), "{message}");

        let opus = root.join("opus");
        write(&opus.join("model.bin"), "");
        write(&opus.join("shared_vocabulary.json"), r#"["<unk>","▁the"]"#);
        write(&opus.join("source.spm"), "");
        let message = bad_message(&opus);
        assert!(message.starts_with("target.spm is missing"), "{message}");
        write(&opus.join("target.spm"), "");
        write(&opus.join("tokenizer.json"), "");
        assert_eq!(ModelLayout::detect(&opus).expect("opus").kind(), "opus-mt");
        fs::remove_file(opus.join("source.spm")).expect("rm");
        let message = bad_message(&opus);
        assert!(message.starts_with("source.spm is missing"), "{message}");

        let hf = root.join("hf");
        write(&hf.join("model.bin"), "");
        write(&hf.join("shared_vocabulary.txt"), "a\n");
        write(&hf.join("tokenizer.json"), "");
        write(&hf.join("sentencepiece.model"), "");
        assert_eq!(ModelLayout::detect(&hf).expect("hf").kind(), "hf-tokenizer");

        let sp = root.join("sp");
        write(&sp.join("model.bin"), "");
        write(&sp.join("shared_vocabulary.txt"), "a\n");
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
        write(&chars.join("target_vocabulary.txt"), "<s>\na\nb\n");
        assert_eq!(
            ModelLayout::detect(&chars).expect("chars"),
            ModelLayout::Vocabulary {
                model: chars.clone(),
                unit: VocabUnit::Chars {
                    space: Some(" ".into())
                }
            }
        );

        // Without a tokenizer, a vocabulary of words, SentencePiece pieces or BPE subwords
        // is an incomplete model, not a character model.
        for (name, vocab, what) in [
            ("words", r#"["<unk>","hello","a"]"#, "`hello`"),
            (
                "pieces",
                r#"["<unk>","▁the","s"]"#,
                "SentencePiece pieces (such as `▁the`)",
            ),
            (
                "bpe",
                r#"["<unk>","th@@","e"]"#,
                "BPE subwords (such as `th@@`)",
            ),
        ] {
            let dir = root.join(name);
            write(&dir.join("model.bin"), "");
            write(&dir.join("shared_vocabulary.json"), vocab);
            let message = bad_message(&dir);
            assert!(message.contains("the tokenizer is missing"), "{message}");
            assert!(message.contains("shared_vocabulary.json"), "{message}");
            assert!(message.contains(what), "{message}");
            assert!(message.contains("source.spm and target.spm"), "{message}");
        }

        let argos_root = root.join("argos");
        let pkg = argos_root.join("translate-en_de-1_0");
        write(&pkg.join("model/model.bin"), "");
        write(
            &pkg.join("metadata.json"),
            r#"{"from_code": "en", "to_code": "de"}"#,
        );
        let message = bad_message(&pkg);
        assert!(
            message.starts_with("sentencepiece.model is missing"),
            "{message}"
        );
        write(&pkg.join("sentencepiece.model"), "");
        let message = bad_message(&pkg);
        assert!(message.contains("shared_vocabulary"), "{message}");
        write(
            &pkg.join("model/shared_vocabulary.json"),
            r#"["<unk>","▁Haus"]"#,
        );
        for dir in [&argos_root, &pkg] {
            match ModelLayout::detect(dir).expect("argos") {
                ModelLayout::Argos { package, model, .. } => {
                    assert_eq!(package, pkg);
                    assert_eq!(model, pkg.join("model"));
                }
                other => panic!("not argos: {other:?}"),
            }
        }
        let langs = ModelLayout::detect(&pkg)
            .expect("argos")
            .languages()
            .expect("metadata")
            .expect("languages");
        assert_eq!(
            (langs.sources, langs.targets),
            (vec![lang("en")], vec![lang("de")])
        );
        assert!(langs.origin.ends_with("metadata.json"), "{}", langs.origin);
    }

    #[test]
    fn model_languages_from_metadata_and_vocabulary() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        fs::write(dir.join("model.bin"), "").expect("write");
        fs::write(dir.join("source_vocabulary.txt"), "<s>\nا\nب\n").expect("write");
        fs::write(dir.join("target_vocabulary.txt"), "<s>\na\nb\n").expect("write");
        let layout = || ModelLayout::detect(dir).expect("layout");
        // A plain CTranslate2 model says nothing.
        assert_eq!(layout().languages().expect("read"), None);
        // Argos' format beside model.bin: single codes, lists, objects, Argos' own codes.
        let meta = dir.join("metadata.json");
        for (json, sources, targets) in [
            (r#"{"from_code": "ar", "to_code": "en"}"#, "ar", "en"),
            (
                r#"{"from_codes": ["ar", "fa"], "to_code": "en-US"}"#,
                "ar fa",
                "en",
            ),
            (
                r#"{"source_languages": [{"code": "zt"}], "target_languages": [{"code": "pb"}]}"#,
                "zh",
                "pt",
            ),
            (
                r#"{"languages": [{"code": "de"}, {"code": "fr"}]}"#,
                "de fr",
                "de fr",
            ),
            (r#"{"package_version": "1.0"}"#, "", ""),
        ] {
            fs::write(&meta, json).expect("write");
            let got = layout().languages().expect("read");
            let codes = |v: &[Lang]| v.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ");
            match got {
                Some(l) => assert_eq!(
                    (codes(&l.sources), codes(&l.targets)),
                    (sources.to_string(), targets.to_string()),
                    "{json}"
                ),
                None => assert_eq!((sources, targets), ("", ""), "{json}"),
            }
        }
        // Errors name the file.
        fs::write(&meta, "{\"from_code\": \"ar\",\n").expect("write");
        match layout().languages() {
            Err(BackendError::BadModel { path, message }) => {
                assert_eq!(path, meta);
                assert!(message.contains("line 2"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        fs::write(&meta, r#"{"from_code": "xx", "to_code": "en"}"#).expect("write");
        match layout().languages() {
            Err(BackendError::BadModel { message, .. }) => {
                assert!(message.contains("`xx`"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // Without metadata, NLLB language tokens name both sides; OPUS-MT ones the targets.
        fs::remove_file(&meta).expect("rm");
        fs::write(
            dir.join("target_vocabulary.txt"),
            "<s>\na\neng_Latn\ndeu_Latn\narb_Arab\n",
        )
        .expect("write");
        let l = layout().languages().expect("read").expect("tokens");
        assert_eq!(l.sources, vec![lang("ar"), lang("de"), lang("en")]);
        assert_eq!(l.targets, l.sources);
        fs::write(
            dir.join("target_vocabulary.txt"),
            "<s>\na\n>>deu<<\n>>fra<<\n",
        )
        .expect("write");
        let l = layout().languages().expect("read").expect("tokens");
        assert!(l.sources.is_empty());
        assert_eq!(l.targets, vec![lang("de"), lang("fr")]);
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
