//! Model directory layouts: which files a CTranslate2 model comes with, and so how its text
//! is tokenized.

use std::fs;
use std::path::{Path, PathBuf};

use crate::backend::BackendError;

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
pub(super) fn is_special_token(t: &str) -> bool {
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

pub(super) fn bad_model(path: &Path, message: impl Into<String>) -> BackendError {
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
pub(super) fn backend_name(model_dir: &Path) -> String {
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
