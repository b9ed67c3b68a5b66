//! Installed translation models: the package store (`tarjuman models`).
//!
//! A store is a directory (`--models-dir`, else `$TARJUMAN_MODELS_DIR`, else the config's
//! `[models] dir`, else `$XDG_DATA_HOME/tarjuman/models`, i.e. `~/.local/share/tarjuman/models`) with one
//! directory per model. A model directory holds Argos Translate's `metadata.json` (which
//! languages it translates, its version) and either an Argos Translate package's contents
//! (`model/`, `sentencepiece.model`, …) or a plain CTranslate2 model (`model.bin` and its
//! tokenizer files) imported with a name and its languages. Directories Argos Translate's
//! `argospm` installed are read the same way.
//!
//! Installs are atomic: a package is unpacked and checked in a temporary directory inside the
//! store and renamed into place; a killed or failed install leaves only a `.tmp-…` directory
//! that listings ignore and the next install removes.
//!
//! - [`index`]: Argos Translate's package index (the JSON `argospm` reads).
//! - [`fetch`]: downloads (resumable, checksummed, with a progress bar on a terminal).
//! - [`install`]: `.argosmodel` archives and CTranslate2 directories into the store.

pub mod fetch;
pub mod index;
pub mod install;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::backend::ct2::ModelLayout;
use crate::lang::Lang;

/// The environment variable naming the store directory.
pub const MODELS_DIR_VAR: &str = "TARJUMAN_MODELS_DIR";

/// Errors of the model store, the index and downloads.
#[derive(Debug, thiserror::Error)]
pub enum ModelsError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A download failed.
    #[error("{url}: {message}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A download's SHA-256 is not the index's.
    #[error("{url}: checksum mismatch: the index says sha256 {expected}, the download is {got}; nothing was installed")]
    Checksum {
        /// What was fetched.
        url: String,
        /// The index's checksum.
        expected: String,
        /// The download's.
        got: String,
    },
    /// A package (archive or directory) is not usable.
    #[error("{origin}: {message}")]
    BadPackage {
        /// The archive, directory or URL.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// The index is not Argos Translate's format.
    #[error("{origin}: {message}")]
    Index {
        /// The index file or URL.
        origin: String,
        /// What is wrong (with the entry's position where there is one).
        message: String,
    },
    /// No such package.
    #[error("{0}")]
    NotFound(String),
}

impl From<ModelsError> for crate::error::Error {
    fn from(e: ModelsError) -> Self {
        crate::error::Error::Usage(e.to_string())
    }
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ModelsError + '_ {
    move |source| ModelsError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A package's `metadata.json` (Argos Translate's fields; others are kept in the file but
/// not read). Also the shape of one entry of the package index.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(default)]
pub struct PackageMeta {
    /// `type`: `translate` for translation packages (`sbd` ones are sentence splitters).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `code` (newer indexes name packages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `package_version`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub package_version: String,
    /// `argos_version`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub argos_version: String,
    /// `from_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_code: Option<String>,
    /// `from_name`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from_name: String,
    /// `to_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_code: Option<String>,
    /// `to_name`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub to_name: String,
    /// `links`: where the package can be downloaded (index entries).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// `checksum` (an extension of tarjuman's indexes, ignored by Argos Translate): the
    /// archive's SHA-256 in hex, optionally prefixed `sha256:`.
    #[serde(skip_serializing_if = "Option::is_none", alias = "sha256")]
    pub checksum: Option<String>,
    /// `size`: the archive's size in bytes, if the index says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl PackageMeta {
    /// The package's type (`translate` when unsaid).
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("translate")
    }

    /// The name `argospm` gives the package: `translate-de_en`.
    pub fn argospm_name(&self) -> String {
        let mut name = self.kind().to_string();
        if let (Some(f), Some(t)) = (&self.from_code, &self.to_code) {
            name.push_str(&format!("-{f}_{t}"));
        }
        name
    }

    /// The language pair it translates, if both codes are languages tarjuman knows.
    pub fn pair(&self) -> Option<(Lang, Lang)> {
        let code = |c: &Option<String>| {
            c.as_deref()
                .map(|c| if c == "zt" { "zh" } else { c })
                .and_then(|c| Lang::from_code(c).ok())
        };
        Some((code(&self.from_code)?, code(&self.to_code)?))
    }

    /// Whether `version` is newer than this package's `package_version` (dotted numbers;
    /// non-numeric parts compare as text).
    pub fn older_than(&self, version: &str) -> bool {
        version_key(&self.package_version) < version_key(version)
    }
}

fn version_key(v: &str) -> Vec<(u64, String)> {
    v.split(['.', '_', '-'])
        .map(|p| match p.parse::<u64>() {
            Ok(n) => (n, String::new()),
            Err(_) => (0, p.to_string()),
        })
        .collect()
}

/// How an installed model is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// An Argos Translate package (`model/` inside).
    Argos,
    /// A plain CTranslate2 model (`model.bin` at the top).
    Ct2,
}

/// One model in the store.
#[derive(Debug, Clone)]
pub struct Installed {
    /// Its name: the directory's name.
    pub name: String,
    /// Its directory.
    pub dir: PathBuf,
    /// Its `metadata.json`.
    pub meta: PackageMeta,
    /// Its layout.
    pub kind: ModelKind,
}

impl Installed {
    /// Reads the model in `dir`; `None` if `dir` holds no `metadata.json`.
    pub fn read(dir: &Path) -> Result<Option<Installed>, ModelsError> {
        let path = dir.join("metadata.json");
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        let meta: PackageMeta =
            serde_json::from_str(&text).map_err(|e| ModelsError::BadPackage {
                origin: path.display().to_string(),
                message: format!("line {}: not Argos Translate metadata: {e}", e.line()),
            })?;
        let kind = if dir.join("model.bin").is_file() {
            ModelKind::Ct2
        } else {
            ModelKind::Argos
        };
        Ok(Some(Installed {
            name: dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            dir: dir.to_path_buf(),
            meta,
            kind,
        }))
    }

    /// Whether the model's files are complete for tarjuman (its layout is recognized); the
    /// problem otherwise.
    pub fn check(&self) -> Result<(), String> {
        ModelLayout::detect(&self.dir)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Every file of the model (relative paths, sorted) with its size.
    pub fn files(&self) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        walk(&self.dir, &self.dir, &mut out);
        out.sort();
        out
    }

    /// The model's total size in bytes.
    pub fn size(&self) -> u64 {
        self.files().iter().map(|(_, n)| n).sum()
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let (Ok(rel), Ok(md)) = (p.strip_prefix(root), e.metadata()) {
            out.push((rel.to_string_lossy().into_owned(), md.len()));
        }
    }
}

/// The model store.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store at `explicit` (`--models-dir`), else `$TARJUMAN_MODELS_DIR`, else
    /// `configured` (the config's `[models] dir`), else the user's data directory's
    /// `tarjuman/models` (`$XDG_DATA_HOME`, `~/.local/share`). The directory need not exist
    /// yet.
    pub fn locate(explicit: Option<&Path>, configured: Option<&Path>) -> Store {
        let dir = explicit
            .map(Path::to_path_buf)
            .or_else(|| {
                std::env::var_os(MODELS_DIR_VAR)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .or_else(|| configured.map(Path::to_path_buf))
            .or_else(|| {
                std::env::var_os("XDG_DATA_HOME")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute())
                    .or_else(dirs::data_dir)
                    .map(|d| d.join("tarjuman").join("models"))
            })
            .unwrap_or_else(|| PathBuf::from(".tarjuman-models"));
        Store { dir }
    }

    /// A store at `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every installed model, by name. Directories without `metadata.json` and hidden
    /// ones (unfinished installs) are skipped; a `metadata.json` that cannot be read is an
    /// error naming it.
    pub fn list(&self) -> Result<Vec<Installed>, ModelsError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(&self.dir)(e)),
        };
        let mut out = Vec::new();
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if hidden || !p.is_dir() {
                continue;
            }
            if let Some(m) = Installed::read(&p)? {
                out.push(m);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The model called `name`: by directory name, else by its `argospm` name.
    pub fn get(&self, name: &str) -> Result<Installed, ModelsError> {
        let all = self.list()?;
        if let Some(m) = all.iter().find(|m| m.name == name) {
            return Ok(m.clone());
        }
        if let Some(m) = all.iter().find(|m| m.meta.argospm_name() == name) {
            return Ok(m.clone());
        }
        let names: Vec<&str> = all.iter().map(|m| m.name.as_str()).collect();
        Err(ModelsError::NotFound(format!(
            "no model `{name}` is installed in {} ({})",
            self.dir.display(),
            if names.is_empty() {
                "none is".to_string()
            } else {
                format!("installed: {}", names.join(", "))
            }
        )))
    }

    /// Removes the model called `name` (renamed aside first, so that it disappears at once).
    pub fn remove(&self, name: &str) -> Result<Installed, ModelsError> {
        let model = self.get(name)?;
        let aside = self.dir.join(format!(
            ".tmp-{}-removing-{}",
            std::process::id(),
            model.name
        ));
        std::fs::rename(&model.dir, &aside).map_err(io_err(&model.dir))?;
        std::fs::remove_dir_all(&aside).map_err(io_err(&aside))?;
        Ok(model)
    }

    /// The index cached by `models update` (`index.json` in the store).
    pub fn cached_index(&self) -> PathBuf {
        self.dir.join("index.json")
    }
}
