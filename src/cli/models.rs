//! `tarjuman models`: list, install, remove, describe and update installed models.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::models::index::{Index, DEFAULT_INDEX};
use crate::models::{fetch, install, Installed, ModelsError, PackageMeta, Store};

/// What `tarjuman models` is asked to do.
#[derive(Debug, Clone)]
pub enum ModelsAction {
    /// `list [--available]`.
    List {
        /// The index's packages instead of the installed ones.
        available: bool,
    },
    /// `install NAME|FILE|URL|DIR`.
    Install {
        /// A package name from the index, an `.argosmodel` file or URL, or a CTranslate2
        /// model directory.
        what: String,
        /// The name to install a directory under.
        name: Option<String>,
        /// A directory's source language.
        from: Option<String>,
        /// A directory's target language.
        to: Option<String>,
    },
    /// `remove NAME`.
    Remove(String),
    /// `info NAME`.
    Info(String),
    /// `update`: refresh the index, upgrade installed packages it has newer versions of.
    Update,
}

/// `tarjuman models`.
#[derive(Debug, Clone)]
pub struct ModelsJob {
    /// `--models-dir`.
    pub models_dir: Option<PathBuf>,
    /// `--index URL|FILE`.
    pub index: Option<String>,
    /// `--config`: its `[models]` table (index, dir).
    pub config: Option<PathBuf>,
    /// `--format json`.
    pub json: bool,
    /// The subcommand.
    pub action: ModelsAction,
}

/// The store and index the options (and the config's `[models]`) name.
fn settings(job: &ModelsJob) -> Result<(Store, Option<String>)> {
    let config = match &job.config {
        Some(p) => Some(crate::config::Config::load(p)?),
        None => crate::config::Config::default_path()
            .map(|p| crate::config::Config::load(&p))
            .transpose()?,
    };
    let models = config.map(|c| c.models).unwrap_or_default();
    let index = job.index.clone().or(models.index);
    Ok((
        Store::locate(job.models_dir.as_deref(), models.dir.as_deref()),
        index,
    ))
}

/// The index: `--index`/config, else the one cached by `models update`, else the default
/// URL.
fn load_index(store: &Store, source: Option<&str>) -> Result<Index> {
    if let Some(s) = source {
        return Ok(Index::load(s)?);
    }
    let cached = store.cached_index();
    if cached.is_file() {
        return Ok(Index::load(&cached.to_string_lossy())?);
    }
    Ok(Index::load(DEFAULT_INDEX)?)
}

fn entry_json(m: &Installed) -> serde_json::Value {
    serde_json::json!({
        "name": m.name,
        "package": m.meta.argospm_name(),
        "from": m.meta.from_code,
        "to": m.meta.to_code,
        "version": m.meta.package_version,
        "kind": match m.kind { crate::models::ModelKind::Argos => "argos", crate::models::ModelKind::Ct2 => "ct2" },
        "dir": m.dir,
        "size": m.size(),
        "usable": m.check().is_ok(),
    })
}

fn available_json(p: &PackageMeta) -> serde_json::Value {
    serde_json::json!({
        "name": p.argospm_name(),
        "from": p.from_code,
        "to": p.to_code,
        "from_name": p.from_name,
        "to_name": p.to_name,
        "version": p.package_version,
        "links": p.links,
        "checksum": p.checksum,
    })
}

fn print(out: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(out.as_bytes())
        .and_then(|_| o.flush())
        .map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
}

/// Runs `tarjuman models`. Exit code 0; every failure is an error (exit 2) and leaves the
/// store as it was.
pub fn models(job: &ModelsJob) -> Result<i32> {
    let (store, index_source) = settings(job)?;
    let progress = super::ui::chatty_terminal();
    match &job.action {
        ModelsAction::List { available: false } => {
            let all = store.list()?;
            if job.json {
                let v: Vec<_> = all.iter().map(entry_json).collect();
                print(&(serde_json::Value::Array(v).to_string() + "\n"))?;
            } else {
                let mut s = String::new();
                for m in &all {
                    let status = match m.check() {
                        Ok(()) => String::new(),
                        Err(e) => format!("  (unusable: {e})"),
                    };
                    s.push_str(&format!(
                        "{}\t{} → {}\t{}{status}\n",
                        m.name,
                        m.meta.from_code.as_deref().unwrap_or("?"),
                        m.meta.to_code.as_deref().unwrap_or("?"),
                        m.meta.package_version
                    ));
                }
                if all.is_empty() {
                    eprintln!("no models installed in {}", store.dir().display());
                }
                print(&s)?;
            }
        }
        ModelsAction::List { available: true } => {
            let index = load_index(&store, index_source.as_deref())?;
            if job.json {
                let v: Vec<_> = index.packages.iter().map(available_json).collect();
                print(&(serde_json::Value::Array(v).to_string() + "\n"))?;
            } else {
                let mut s = String::new();
                for p in &index.packages {
                    s.push_str(&format!(
                        "{}\t{} → {}\t{}\n",
                        p.argospm_name(),
                        p.from_code.as_deref().unwrap_or("?"),
                        p.to_code.as_deref().unwrap_or("?"),
                        p.package_version
                    ));
                }
                print(&s)?;
            }
        }
        ModelsAction::Install {
            what,
            name,
            from,
            to,
        } => {
            let lang = |c: &Option<String>, what: &str| -> Result<Option<Lang>> {
                c.as_deref().map(|c| super::parse_lang(c, what)).transpose()
            };
            let (from, to) = (lang(from, "--from")?, lang(to, "--to")?);
            let path = Path::new(what);
            let installed = if path.is_dir() {
                install::import_dir(&store, path, name.as_deref(), from, to)?
            } else {
                if name.is_some() || from.is_some() || to.is_some() {
                    return Err(Error::Usage(
                        "--name, --from and --to are for importing a CTranslate2 model directory; a package names itself in its metadata.json".into(),
                    ));
                }
                if path.is_file() {
                    install::install_archive(&store, path, what)?
                } else if fetch::is_url(what) {
                    install_url(&store, what, None, progress)?
                } else if what.contains('/') || what.ends_with(".argosmodel") {
                    return Err(Error::Usage(format!("{what}: no such file or directory")));
                } else {
                    let index = load_index(&store, index_source.as_deref())?;
                    let Some(package) = index.find(what) else {
                        return Err(ModelsError::NotFound(format!(
                            "{}: no package `{what}` (`tarjuman models list --available` lists them)",
                            index.origin
                        ))
                        .into());
                    };
                    install_from_index(&store, package, progress)?
                }
            };
            eprintln!(
                "installed {} ({} → {}, version {}) in {}",
                installed.name,
                installed.meta.from_code.as_deref().unwrap_or("?"),
                installed.meta.to_code.as_deref().unwrap_or("?"),
                installed.meta.package_version,
                installed.dir.display()
            );
        }
        ModelsAction::Remove(name) => {
            let removed = store.remove(name)?;
            eprintln!("removed {} ({})", removed.name, removed.dir.display());
        }
        ModelsAction::Info(name) => {
            let m = store.get(name)?;
            let files = m.files();
            if job.json {
                let mut v = entry_json(&m);
                v["metadata"] = serde_json::to_value(&m.meta).unwrap_or_default();
                v["files"] = files
                    .iter()
                    .map(|(f, n)| serde_json::json!({"path": f, "size": n}))
                    .collect();
                if let Err(e) = m.check() {
                    v["problem"] = serde_json::Value::String(e);
                }
                print(&(v.to_string() + "\n"))?;
            } else {
                let mut s = format!(
                    "name: {}\npackage: {}\nlanguages: {} ({}) → {} ({})\nversion: {}\ndirectory: {}\n",
                    m.name,
                    m.meta.argospm_name(),
                    m.meta.from_code.as_deref().unwrap_or("?"),
                    m.meta.from_name,
                    m.meta.to_code.as_deref().unwrap_or("?"),
                    m.meta.to_name,
                    m.meta.package_version,
                    m.dir.display()
                );
                s.push_str(&match m.check() {
                    Ok(()) => "usable: yes\n".to_string(),
                    Err(e) => format!("usable: no: {e}\n"),
                });
                s.push_str("files:\n");
                for (f, n) in &files {
                    s.push_str(&format!("  {f}\t{n}\n"));
                }
                print(&s)?;
            }
        }
        ModelsAction::Update => {
            let source = index_source.as_deref().unwrap_or(DEFAULT_INDEX);
            let index = Index::load(source)?;
            std::fs::create_dir_all(store.dir()).map_err(|source| Error::Output {
                path: store.dir().to_path_buf(),
                source,
            })?;
            // The index is kept for later `list --available` and `install NAME`.
            let text = serde_json::to_string_pretty(&index.packages).unwrap_or_default();
            crate::output::write_atomically(&store.cached_index(), text.as_bytes())?;
            eprintln!(
                "index: {} packages from {}",
                index.packages.len(),
                index.origin
            );
            for m in store.list()? {
                let name = m.meta.argospm_name();
                let Some(newer) = index
                    .find(&name)
                    .filter(|p| m.meta.older_than(&p.package_version))
                else {
                    continue;
                };
                let installed = install_from_index(&store, newer, progress)?;
                eprintln!(
                    "updated {} from version {} to {}",
                    installed.name, m.meta.package_version, installed.meta.package_version
                );
            }
        }
    }
    Ok(0)
}

/// Downloads the package at `url` (resuming an earlier partial download) into the store's
/// `.downloads/` and installs it; the archive is removed afterwards.
fn install_url(
    store: &Store,
    url: &str,
    checksum: Option<&str>,
    progress: bool,
) -> Result<Installed> {
    let downloads = store.dir().join(".downloads");
    std::fs::create_dir_all(&downloads).map_err(|source| Error::Output {
        path: downloads.clone(),
        source,
    })?;
    let base = url
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty())
        .unwrap_or("package.argosmodel");
    let base: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dest = downloads.join(base.trim_start_matches('.'));
    if let Err(e) = fetch::download(url, &dest, checksum, progress) {
        // Kept when a part of the download is there to be continued.
        let _ = std::fs::remove_dir(&downloads);
        return Err(e.into());
    }
    let result = install::install_archive(store, &dest, url);
    let _ = std::fs::remove_file(&dest);
    // Gone when empty: Argos Translate reads every directory of a store as a package.
    let _ = std::fs::remove_dir(&downloads);
    Ok(result?)
}

/// Installs an index entry from the first of its links that works.
fn install_from_index(store: &Store, package: &PackageMeta, progress: bool) -> Result<Installed> {
    if package.links.is_empty() {
        return Err(ModelsError::BadPackage {
            origin: package.argospm_name(),
            message: "the index gives no link to download it from".into(),
        }
        .into());
    }
    let mut last = None;
    for link in &package.links {
        match install_url(store, link, package.checksum.as_deref(), progress) {
            Ok(m) => return Ok(m),
            // A package that downloads but is bad, or a wrong checksum, is final.
            Err(e @ Error::Usage(_)) if !e.to_string().contains("cannot download") => {
                return Err(e)
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::Usage("no link worked".into())))
}
