//! Model directory layouts: which files a CTranslate2 model comes with, and so how its text
//! is tokenized.

use std::fs;
use std::path::{Path, PathBuf};

use super::lang_tokens::{LangTokenStyle, LangTokens};
use crate::backend::BackendError;
use crate::lang::Lang;

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
    /// One SentencePiece model shared by source and target (`sentencepiece.model`,
    /// `spm.model` or `sentencepiece.bpe.model`).
    SharedSpm {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// The SentencePiece model.
        spm: PathBuf,
    },
    /// No tokenizer: a model whose source tokens are single characters, fed character by
    /// character. ([`ModelLayout::detect`] gives only [`VocabUnit::Chars`] here: a vocabulary
    /// of words or subwords needs its tokenizer.)
    Vocabulary {
        /// The CTranslate2 model directory.
        model: PathBuf,
        /// What the source vocabulary is made of.
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

/// Names of one SentencePiece model shared by source and target (`sentencepiece.bpe.model`
/// is what NLLB and M2M-100 ship on Hugging Face).
const SHARED_SPMS: &[&str] = &[
    "sentencepiece.model",
    "spm.model",
    "sentencepiece.bpe.model",
];

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

/// What the model needs when neither a vocabulary file nor a tokenizer is there.
const NO_VOCABULARY: &str = "no vocabulary file: a CTranslate2 model needs \
    shared_vocabulary.json (or .txt), or source_vocabulary.json and target_vocabulary.json \
    (or .txt), beside model.bin";

/// Checks that the vocabulary files CTranslate2 loads are there: a shared vocabulary, or a
/// source and a target vocabulary. The error names the missing file.
fn check_vocabulary_files(dir: &Path) -> Result<(), BackendError> {
    let any = |stem: &str| first_file(dir, &[&format!("{stem}.json"), &format!("{stem}.txt")]);
    if any("shared_vocabulary").is_some() {
        return Ok(());
    }
    match (any("source_vocabulary"), any("target_vocabulary")) {
        (Some(_), Some(_)) => Ok(()),
        (Some(_), None) => Err(bad_model(
            dir,
            "target_vocabulary.txt (or .json) is missing: the model has a source vocabulary \
             but no target vocabulary (and no shared_vocabulary)",
        )),
        (None, Some(_)) => Err(bad_model(
            dir,
            "source_vocabulary.txt (or .json) is missing: the model has a target vocabulary \
             but no source vocabulary (and no shared_vocabulary)",
        )),
        (None, None) => Err(bad_model(dir, NO_VOCABULARY)),
    }
}

/// The message for a model without tokenizer files whose vocabulary (`file`) is not made of
/// characters: it names what the vocabulary looks like and the files that are missing.
fn missing_tokenizer(file: &str, vocab: &[String]) -> String {
    let ordinary: Vec<&str> = vocab
        .iter()
        .map(String::as_str)
        .filter(|t| !is_special_token(t))
        .collect();
    let example = |pred: &dyn Fn(&str) -> bool| ordinary.iter().copied().find(|t| pred(t));
    let what = if let Some(t) = example(&|t| t.starts_with('▁') && t.chars().count() > 1) {
        format!("SentencePiece pieces (such as `{t}`)")
    } else if let Some(t) = example(&|t| t.ends_with("@@")) {
        format!("BPE subwords (such as `{t}`)")
    } else {
        let t = example(&|t| t.chars().count() > 1).unwrap_or("");
        format!("words or subwords (such as `{t}`)")
    };
    format!(
        "the tokenizer is missing: {file} holds {what}, so the model needs the tokenizer it \
         was trained with — source.spm and target.spm (OPUS-MT), sentencepiece.model, \
         spm.model or sentencepiece.bpe.model (one SentencePiece model), or tokenizer.json \
         (Hugging Face) — and none of them is in the directory"
    )
}

/// Decides from a source vocabulary whether a tokenizer-less model works on characters or
/// words. Marker tokens (`<s>`, `<unk>` …) and language tokens (`eng_Latn`, `__en__`,
/// `>>deu<<`) are not counted.
pub fn vocab_unit(vocab: &[String]) -> Option<VocabUnit> {
    let ordinary: Vec<&str> = vocab
        .iter()
        .map(String::as_str)
        .filter(|t| !is_special_token(t) && !is_language_token(t))
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

/// A language token of a multilingual vocabulary.
fn is_language_token(t: &str) -> bool {
    use super::lang_tokens::{is_m2m_token, is_nllb_token, is_opus_token};
    is_nllb_token(t) || is_m2m_token(t) || is_opus_token(t)
}

pub(super) fn bad_model(path: &Path, message: impl Into<String>) -> BackendError {
    BackendError::BadModel {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Whether `dir` is an Argos Translate package directory: a `model/` folder with its
/// SentencePiece model or its `metadata.json` beside it.
fn is_argos_package(dir: &Path) -> bool {
    dir.join("model").is_dir()
        && (dir.join("sentencepiece.model").is_file() || dir.join("metadata.json").is_file())
}

impl ModelLayout {
    /// Works out the layout of `dir`, strictly: a directory that lacks a file its layout
    /// needs is an error naming that file, not a guess at another layout.
    ///
    /// Errors: [`BackendError::ModelNotFound`] if `dir` is not a directory,
    /// [`BackendError::BadModel`] if it holds no `model.bin`, misses a vocabulary file, has
    /// one SentencePiece model of an OPUS-MT pair without the other, or has a vocabulary of
    /// words or subwords without the tokenizer they were made with.
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
        check_vocabulary_files(dir)?;
        let source_spm = dir.join("source.spm");
        let target_spm = dir.join("target.spm");
        match (source_spm.is_file(), target_spm.is_file()) {
            (true, true) => {
                return Ok(ModelLayout::OpusMt {
                    model,
                    source_spm,
                    target_spm,
                })
            }
            (true, false) | (false, true) => {
                let (have, missing) = if source_spm.is_file() {
                    ("source.spm", "target.spm")
                } else {
                    ("target.spm", "source.spm")
                };
                return Err(bad_model(
                    dir,
                    format!(
                        "{missing} is missing: the model has {have}, and an OPUS-MT model \
                         needs both SentencePiece models (source.spm and target.spm)"
                    ),
                ));
            }
            (false, false) => {}
        }
        if let Some(tokenizer) = first_file(dir, &["tokenizer.json"]) {
            return Ok(ModelLayout::HfTokenizer { model, tokenizer });
        }
        if let Some(spm) = first_file(dir, SHARED_SPMS) {
            return Ok(ModelLayout::SharedSpm { model, spm });
        }
        // No tokenizer: only a model whose source tokens are single characters can do
        // without one. Any other vocabulary (SentencePiece pieces, BPE subwords, words)
        // means the tokenizer the model was trained with is missing, and splitting text by
        // guesswork would feed the model tokens it never saw.
        let Some(path) = first_file(dir, SOURCE_VOCABS) else {
            return Err(bad_model(dir, NO_VOCABULARY));
        };
        let file = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let vocab = read_vocab_file(&path).map_err(|e| bad_model(dir, e))?;
        match vocab_unit(&vocab) {
            Some(unit @ VocabUnit::Chars { .. }) => Ok(ModelLayout::Vocabulary { model, unit }),
            Some(VocabUnit::Words) => Err(bad_model(dir, missing_tokenizer(&file, &vocab))),
            None => Err(bad_model(
                dir,
                format!("{file} has no ordinary tokens (only markers such as <s>)"),
            )),
        }
    }

    fn argos(package: &Path) -> Result<ModelLayout, BackendError> {
        let model = package.join("model");
        if !model.join("model.bin").is_file() {
            return Err(bad_model(
                package,
                "model/model.bin is missing (an Argos Translate package keeps its CTranslate2 \
                 model in model/)",
            ));
        }
        if !package.join("sentencepiece.model").is_file() {
            // A package of a character-level model needs no tokenizer.
            if !package.join("bpe.model").is_file() {
                if let Some(Ok(vocab)) = read_source_vocabulary(&model) {
                    if let Some(unit @ VocabUnit::Chars { .. }) = vocab_unit(&vocab) {
                        check_vocabulary_files(&model)?;
                        return Ok(ModelLayout::Vocabulary { model, unit });
                    }
                }
            }
            let bpe = if package.join("bpe.model").is_file() {
                " (the package has bpe.model: BPE tokenizers are not supported)"
            } else {
                ""
            };
            return Err(bad_model(
                package,
                format!("sentencepiece.model is missing{bpe}"),
            ));
        }
        check_vocabulary_files(&model)?;
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

/// The languages a model directory says it translates, and where it says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelLanguages {
    /// Source languages; empty when the model does not say.
    pub sources: Vec<Lang>,
    /// Target languages; empty when the model does not say.
    pub targets: Vec<Lang>,
    /// Where the languages were read, for messages (`…/metadata.json`, or the vocabulary's
    /// language tokens).
    pub origin: String,
}

impl ModelLayout {
    /// Where a model's `metadata.json` is: in the Argos Translate package, or beside
    /// `model.bin` for the other layouts (tarjuman reads the Argos format there too, so
    /// that any model directory can say which languages it is for).
    pub fn metadata_path(&self) -> PathBuf {
        match self {
            ModelLayout::Argos { package, .. } => package.join("metadata.json"),
            // A character-level model in an Argos package (`package/model`).
            ModelLayout::Vocabulary { model, .. }
                if !model.join("metadata.json").is_file()
                    && model.file_name().is_some_and(|n| n == "model")
                    && model
                        .parent()
                        .is_some_and(|p| p.join("metadata.json").is_file()) =>
            {
                model
                    .parent()
                    .map_or_else(|| model.join("metadata.json"), |p| p.join("metadata.json"))
            }
            other => other.model_dir().join("metadata.json"),
        }
    }

    /// The languages the model says it translates: from `metadata.json` (Argos Translate's
    /// `from_code`/`to_code`, `from_codes`/`to_codes`, `source_languages`/
    /// `target_languages`, `languages`), else from the language tokens of a multilingual
    /// vocabulary (NLLB and M2M-100 name both sides; OPUS-MT `>>xxx<<` tokens only the
    /// targets). `None` when the directory says nothing: a plain CTranslate2 model.
    ///
    /// Errors: a `metadata.json` that is not JSON, or that names only languages tarjuman
    /// does not know on a side.
    pub fn languages(&self) -> Result<Option<ModelLanguages>, BackendError> {
        let path = self.metadata_path();
        if path.is_file() {
            if let Some(langs) = read_metadata_languages(&path)? {
                return Ok(Some(langs));
            }
        }
        let dir = self.model_dir();
        let mut vocab: Vec<String> = Vec::new();
        for read in [read_source_vocabulary(dir), read_target_vocabulary(dir)]
            .into_iter()
            .flatten()
        {
            vocab.extend(read.map_err(|e| bad_model(dir, e))?);
        }
        let Some(tokens) = LangTokens::detect(vocab.iter().map(String::as_str)) else {
            return Ok(None);
        };
        let langs: Vec<Lang> = crate::lang::LANGUAGES
            .iter()
            .filter_map(|info| Lang::from_code(info.iso1).ok())
            .filter(|&l| tokens.token_for(l).is_some())
            .collect();
        if langs.is_empty() {
            return Ok(None);
        }
        let (sources, style) = match tokens.style {
            LangTokenStyle::Nllb => (langs.clone(), "NLLB"),
            LangTokenStyle::M2m => (langs.clone(), "M2M-100"),
            LangTokenStyle::Opus => (Vec::new(), "OPUS-MT"),
        };
        Ok(Some(ModelLanguages {
            sources,
            targets: langs,
            origin: format!("the {style} language tokens of its vocabulary"),
        }))
    }
}

/// What a model can read, worked out from its source vocabulary when nothing says which
/// languages it translates from: the writing systems its tokens are written in, and the
/// languages written in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadableLanguages {
    /// The scripts of the source vocabulary (e.g. `Arabic`).
    pub scripts: Vec<whatlang::Script>,
    /// The languages tarjuman knows that are written in those scripts.
    pub languages: Vec<Lang>,
}

impl ReadableLanguages {
    /// The scripts as words, for messages: `Arabic script`, `Latin and Cyrillic script`.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.scripts.iter().map(|s| s.name()).collect();
        match names.split_last() {
            Some((last, [])) => format!("{last} script"),
            Some((last, rest)) => format!("{} and {last} script", rest.join(", ")),
            None => "no script".to_string(),
        }
    }
}

/// A script counts when at least this share of the vocabulary's tokens with letters is
/// written in it: vocabularies learnt from real text carry a few stray tokens of other scripts.
const SCRIPT_SHARE: f64 = 0.05;

impl ModelLayout {
    /// What the model can read, from the letters of its source vocabulary (each token counted
    /// under the script of its first letter; see [`ReadableLanguages`]). Within one script
    /// a vocabulary cannot tell languages apart: a model of Latin-script German reads French
    /// letters too. `None` when the model has no vocabulary file or no token with a letter.
    ///
    /// Errors: a vocabulary file that cannot be read.
    pub fn readable_languages(&self) -> Result<Option<ReadableLanguages>, BackendError> {
        let dir = self.model_dir();
        let Some(vocab) = read_source_vocabulary(dir) else {
            return Ok(None);
        };
        let vocab = vocab.map_err(|e| bad_model(dir, e))?;
        Ok(readable_from(&vocab))
    }
}

/// [`ModelLayout::readable_languages`] of a source vocabulary.
fn readable_from(vocab: &[String]) -> Option<ReadableLanguages> {
    use std::collections::HashMap;
    let mut script_of: HashMap<char, Option<whatlang::Script>> = HashMap::new();
    let mut counts: HashMap<whatlang::Script, usize> = HashMap::new();
    let mut total = 0usize;
    for token in vocab {
        if is_special_token(token) || is_language_token(token) {
            continue;
        }
        let Some(first) = token.chars().find(|c| c.is_alphabetic()) else {
            continue;
        };
        let script = *script_of
            .entry(first)
            .or_insert_with(|| whatlang::detect_script(first.encode_utf8(&mut [0; 4])));
        total += 1;
        if let Some(script) = script {
            *counts.entry(script).or_default() += 1;
        }
    }
    if total == 0 {
        return None;
    }
    let mut scripts: Vec<(whatlang::Script, usize)> = counts
        .into_iter()
        .filter(|&(_, n)| n as f64 >= SCRIPT_SHARE * total as f64)
        .collect();
    scripts.sort_by_key(|&(s, n)| (std::cmp::Reverse(n), s.name().to_string()));
    let scripts: Vec<whatlang::Script> = scripts.into_iter().map(|(s, _)| s).collect();
    let mut languages: Vec<Lang> = scripts
        .iter()
        .flat_map(|s| s.langs().iter().filter_map(|&w| Lang::from_whatlang(w)))
        .collect();
    languages.sort();
    languages.dedup();
    Some(ReadableLanguages { scripts, languages })
}

/// Argos Translate's own codes that are not ISO 639-1.
fn argos_code(code: &str) -> &str {
    match code {
        "zt" => "zh",
        "pb" => "pt",
        other => other,
    }
}

/// The codes in a metadata field: a string, a list of strings, or a list of objects with a
/// `code` (Argos' `languages`, `source_languages`, `target_languages`).
fn metadata_codes(value: Option<&serde_json::Value>) -> Vec<String> {
    use serde_json::Value;
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("code").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Reads the languages of an Argos-style `metadata.json`; `None` if it names none.
fn read_metadata_languages(path: &Path) -> Result<Option<ModelLanguages>, BackendError> {
    let text = fs::read_to_string(path)
        .map_err(|e| bad_model(path, format!("cannot read metadata.json: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| bad_model(path, format!("line {}: not valid JSON: {e}", e.line())))?;
    let field = |name: &str| metadata_codes(json.get(name));
    let both = field("languages");
    let mut from = field("from_code");
    from.extend(field("from_codes"));
    from.extend(field("source_languages"));
    from.extend(both.iter().cloned());
    let mut to = field("to_code");
    to.extend(field("to_codes"));
    to.extend(field("target_languages"));
    to.extend(both);
    if from.is_empty() && to.is_empty() {
        return Ok(None);
    }
    let side = |codes: Vec<String>, what: &str| -> Result<Vec<Lang>, BackendError> {
        let mut langs: Vec<Lang> = codes
            .iter()
            .filter_map(|c| Lang::from_code(argos_code(c.trim())).ok())
            .collect();
        langs.sort();
        langs.dedup();
        if langs.is_empty() && !codes.is_empty() {
            return Err(bad_model(
                path,
                format!(
                    "no {what} language tarjuman knows (it names `{}`)",
                    codes.join("`, `")
                ),
            ));
        }
        Ok(langs)
    };
    Ok(Some(ModelLanguages {
        sources: side(from, "source")?,
        targets: side(to, "target")?,
        origin: path.display().to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(tokens: &[&str]) -> Vec<String> {
        tokens.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn a_vocabulary_reads_the_scripts_of_its_tokens() {
        let code = |r: &ReadableLanguages| -> Vec<&str> {
            r.languages.iter().map(|l| l.code()).collect::<Vec<_>>()
        };
        let arabic = readable_from(&vocab(&["<s>", "</s>", "<unk>", "م", "ح", "د", "▁", " "]))
            .expect("letters");
        assert_eq!(arabic.describe(), "Arabic script");
        assert!(code(&arabic).contains(&"ar") && code(&arabic).contains(&"fa"));
        assert!(!code(&arabic).contains(&"de"));

        // Subword pieces of a Latin-script vocabulary with one stray Cyrillic piece in 40:
        // the stray piece does not make it read Russian.
        let mut latin: Vec<&str> = vec!["<s>", "__de__", "▁der", "▁die", "ung", "▁Haus", "▁über"];
        latin.extend(std::iter::repeat_n("▁und", 33));
        latin.push("▁и");
        let latin = readable_from(&vocab(&latin)).expect("letters");
        assert_eq!(latin.describe(), "Latin script");
        assert!(code(&latin).contains(&"de") && code(&latin).contains(&"fr"));
        assert!(!code(&latin).contains(&"ru"));

        let both = readable_from(&vocab(&["▁дом", "▁мир", "▁house", "▁world"])).expect("letters");
        assert_eq!(both.scripts.len(), 2, "{both:?}");
        assert!(code(&both).contains(&"ru") && code(&both).contains(&"en"));

        assert_eq!(readable_from(&vocab(&["<s>", "0", "1", "▁", ","])), None);
    }
}
