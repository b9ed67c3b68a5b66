//! CTranslate2 backend through `ct2rs`.
//!
//! STUB — to be written: model directory layouts (OPUS-MT SentencePiece, HF tokenizer.json,
//! Argos packages, vocabulary-only models), target prefixes, batching.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Backend, BackendError, LangPair, SegmentError, Translation};

/// Settings of a CTranslate2 backend (config `[backends.NAME]` with `type = "ct2"`, or CLI flags).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Ct2Options {
    /// `cpu`, `cuda` or `auto`.
    pub device: String,
    /// `auto`, `default`, `float32`, `int8`, `int8_float32`, `int16`, …
    pub compute_type: String,
    /// Threads per replica (0: let CTranslate2 choose).
    pub threads: usize,
    /// Number of model replicas working in parallel.
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
}

impl Default for Ct2Options {
    fn default() -> Self {
        Ct2Options {
            device: "cpu".into(),
            compute_type: "default".into(),
            threads: 0,
            replicas: 1,
            beam_size: 2,
            max_batch_size: 64,
            batch_type: "examples".into(),
            max_decoding_length: 256,
            target_prefix: None,
        }
    }
}

/// A loaded CTranslate2 model with its tokenizer.
pub struct Ct2Backend {
    name: String,
    _model_dir: PathBuf,
}

impl Ct2Backend {
    /// Loads the model in `model_dir` with `options`.
    pub fn load(model_dir: &Path, _options: &Ct2Options) -> Result<Self, BackendError> {
        if !model_dir.is_dir() {
            return Err(BackendError::ModelNotFound(model_dir.to_path_buf()));
        }
        Ok(Ct2Backend {
            name: format!("ct2:{}", model_dir.display()),
            _model_dir: model_dir.to_path_buf(),
        })
    }
}

impl Backend for Ct2Backend {
    fn name(&self) -> &str {
        &self.name
    }

    fn supports(&self, _pair: LangPair) -> bool {
        true
    }

    fn translate(
        &self,
        _pair: LangPair,
        texts: &[&str],
    ) -> Result<Vec<Result<Translation, SegmentError>>, BackendError> {
        Ok(texts
            .iter()
            .map(|_| {
                Err(SegmentError {
                    message: "ct2 backend not written yet".into(),
                })
            })
            .collect())
    }
}
