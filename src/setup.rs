//! From options to a running pipeline: the one place where the engine options of `translate`,
//! `feed` and `serve` (config file, `--model`, `--backend`, `--from`, `--langs`, `--glossary`,
//! `--tm`, engine settings) become a [`Router`], a [`Detector`], a [`Segmenter`] and a
//! [`Pipeline`].
//!
//! - [`build_pipeline`]: one target language, for a command run (`translate`, `feed`).
//! - [`Service`]: every pair the options serve, backends loaded once and shared by the
//!   pipelines of all (source, target) pairs (`serve`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::backend::apertium::ApertiumOptions;
use crate::backend::ct2::Ct2Options;
use crate::backend::Backend;
use crate::cli::{BackendKind, EngineFlags, TranslateJob};
use crate::config::{BackendSpec, Config};
use crate::detect::Detector;
use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::lang::{self, Lang};
use crate::models::Store;
use crate::pipeline::Pipeline;
use crate::route::Router;
use crate::segment::Segmenter;

fn parse_lang(code: &str, what: &str) -> Result<Lang> {
    Lang::from_code(code).map_err(|e| Error::Usage(format!("{what}: {e}")))
}

/// The source language of the options: `None` for `auto` or absent.
fn source_lang(job: &TranslateJob) -> Result<Option<Lang>> {
    match job.from.as_deref() {
        None | Some("auto") => Ok(None),
        Some(code) => Some(parse_lang(code, "--from")).transpose(),
    }
}

/// The single backend `--model`/`--backend` name, if they name one.
fn single_backend(job: &TranslateJob) -> Result<Option<(String, BackendSpec)>> {
    // Engine settings no machine can honour are refused before any engine starts (`serve`
    // comes here first; `translate` and `feed` have refused them already).
    crate::cli::check_engine_flags(&job.engine)?;
    Ok(match (job.backend, &job.model) {
        (Some(BackendKind::Apertium), Some(_)) => {
            return Err(Error::Usage(
                "--model is for the ct2 backend; the apertium backend takes no model".into(),
            ))
        }
        (Some(BackendKind::Apertium), None) => Some((
            "apertium".to_string(),
            BackendSpec::Apertium(ApertiumOptions::default()),
        )),
        (Some(BackendKind::LibreTranslate), Some(_)) => {
            return Err(Error::Usage(
                "--model is for the ct2 backend; the libretranslate backend takes --url".into(),
            ))
        }
        (Some(BackendKind::LibreTranslate), None) => Some((
            format!("libretranslate:{}", job.remote.url),
            BackendSpec::LibreTranslate(job.remote.clone()),
        )),
        (Some(BackendKind::Ct2), None) => {
            return Err(Error::Usage("--backend ct2 needs --model DIR".into()))
        }
        (_, Some(model)) => {
            let mut options = Ct2Options::default();
            job.engine.apply(&mut options);
            Some((
                format!("ct2:{}", model.display()),
                BackendSpec::Ct2 {
                    model: model.clone(),
                    options,
                },
            ))
        }
        (None, None) => None,
    })
}

/// The model store of the options: `--models-dir`, else `$TARJUMAN_MODELS_DIR`, else the
/// config's `[models] dir`, else the user's data directory.
pub fn model_store(job: &TranslateJob, config: Option<&Config>) -> Store {
    Store::locate(
        job.models_dir.as_deref(),
        config.and_then(|c| c.models.dir.as_deref()),
    )
}

/// Adds a backend and routes for every usable installed model to `config`, for the pairs
/// the config does not route itself (the config overrides). Returns how many were added.
/// A model that cannot be loaded is skipped with a warning.
pub fn add_installed_models(config: &mut Config, store: &Store, engine: &EngineFlags) -> usize {
    let Ok(models) = store.list() else {
        return 0;
    };
    let mut added = 0;
    for m in models {
        let Some((from, to)) = m.meta.pair().filter(|_| m.meta.kind() == "translate") else {
            continue;
        };
        if config.routes.iter().any(|r| r.from == from && r.to == to) {
            continue;
        }
        if let Err(e) = m.check() {
            tracing::warn!(
                "tarjuman: warning: installed model {} is not used: {e}",
                m.name
            );
            continue;
        }
        let name = format!("model:{}", m.name);
        let mut options = Ct2Options::default();
        engine.apply(&mut options);
        config.backends.insert(
            name.clone(),
            BackendSpec::Ct2 {
                model: m.dir.clone(),
                options,
            },
        );
        config.routes.push(crate::config::Route {
            from,
            to,
            backend: name,
            line: 0,
        });
        added += 1;
    }
    added
}

/// The config file of the options (`--config`, else the default places), loaded, with the
/// command line's engine settings applied, the installed models' routes added for pairs it
/// does not route, and its routes checked against their models. Without a config file, the
/// installed models alone.
fn load_config(job: &TranslateJob) -> Result<Config> {
    let path = job.config.clone().or_else(Config::default_path);
    let mut config = match &path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    for spec in config.backends.values_mut() {
        if let BackendSpec::Ct2 { options, .. } = spec {
            job.engine.apply(options);
        }
    }
    let store = model_store(job, Some(&config));
    add_installed_models(&mut config, &store, &job.engine);
    if path.is_none() && config.routes.is_empty() {
        return Err(Error::Usage(format!(
            "nothing to translate with: give --model DIR (a CTranslate2 model), --backend apertium, a config file (--config FILE, $TARJUMAN_CONFIG, or {} in the working directory or the user config directory), or install a model (`tarjuman models install translate-de_en`; none is installed in {})",
            crate::config::DEFAULT_FILE,
            store.dir().display()
        )));
    }
    Router::check_routes(&config)?;
    Ok(config)
}

/// The reading options of a job: `--overwrite`, and the feed elements of other namespaces its
/// config file (`--config`, else the default places; none without one) names under `[feed]
/// translate`.
pub fn read_options(job: &TranslateJob) -> Result<crate::doc::ReadOptions> {
    let feed_elements = match job.config.clone().or_else(Config::default_path) {
        Some(p) => Config::load(&p)?.feed_elements,
        None => Vec::new(),
    };
    Ok(crate::doc::ReadOptions {
        overwrite: job.overwrite,
        feed_elements,
    })
}

/// Builds the router for a translate job: a single backend from `--model`/`--backend`, or the
/// config file's routes.
pub fn build_router(
    job: &TranslateJob,
    from: Option<Lang>,
    to: Lang,
) -> Result<(Router, Option<Config>)> {
    if let Some((name, spec)) = single_backend(job)? {
        return Ok((Router::single(&name, spec, from, to)?, None));
    }
    let config = load_config(job)?;
    Ok((Router::from_config(&config, to), Some(config)))
}

/// The detection candidates the options give (`--langs`, else the config's `[detect] langs`);
/// `None` when they give none.
fn candidates(job: &TranslateJob, config: Option<&Config>) -> Result<Option<Vec<Lang>>> {
    match (&job.langs, config.and_then(|c| c.detect.langs.clone())) {
        (Some(list), _) => lang::parse_list(list)
            .map(Some)
            .map_err(|e| Error::Usage(format!("--langs: {e}"))),
        (None, list) => Ok(list),
    }
}

/// The detector of a pipeline from `from` into `router`'s target: among `candidates` if given
/// (else, with `from`, that language and the target; else every language), preferring the
/// languages the router can translate and the target.
fn detector(candidates: Option<Vec<Lang>>, from: Option<Lang>, router: &Router) -> Detector {
    let to = router.target();
    // The languages the routes can translate, and the target (text already in it passes
    // through).
    let mut routable = router.source_langs();
    routable.push(to);
    routable.sort();
    routable.dedup();
    let candidates = match (candidates, from) {
        (Some(list), _) => list,
        (None, Some(f)) => vec![f, to],
        // Every language the detector knows: a text clearly in a language no route
        // serves is told apart and reported, not forced into a routable one.
        (None, None) => Vec::new(),
    };
    // The routable languages are preferred: a short or ambiguous text goes to one of them
    // rather than to a close language no route serves (Spanish taken for Catalan,
    // Esperanto or Lithuanian).
    Detector::new(candidates).with_preferred(routable)
}

/// Builds the pipeline a translate job describes (languages, backends, detection candidates,
/// segmentation rules, glossary, translation memory), without reading any input.
pub fn build_pipeline(job: &TranslateJob) -> Result<Pipeline> {
    let to = parse_lang(&job.to, "--to")?;
    let from = source_lang(job)?;
    let (router, config) = build_router(job, from, to)?;
    let detector = detector(candidates(job, config.as_ref())?, from, &router);
    let segmenter = Segmenter::new(
        &config
            .as_ref()
            .map(|c| c.segment.clone())
            .unwrap_or_default(),
    );
    let glossary = if job.glossaries.is_empty() {
        None
    } else {
        Some(Glossary::load(&job.glossaries)?)
    };
    let memory = job
        .tm
        .as_deref()
        .map(|spec| open_memory(spec, job.tm_remote.as_ref()))
        .transpose()?;
    if let (Some(spec), Some(memory)) = (job.tm.as_deref(), memory.as_deref()) {
        adopt_legacy_ids(spec, memory, &router)?;
    }
    Ok(Pipeline {
        segmenter,
        detector,
        router,
        from,
        progress: crate::cli::ui::chatty_terminal(),
        glossary,
        memory,
    })
}

/// Everything a long-running service loads once from the options: every language pair they
/// serve (all targets), the backends (loaded, possibly wrapped), the segmentation rules, the
/// detection candidates and the translation memory's path. Pipelines for single (source,
/// target) pairs are made from it on demand and share its backends.
pub struct Service {
    router: Router,
    config: Option<Config>,
    /// `--from`: the only source language served, when given.
    from: Option<Lang>,
    candidates: Option<Vec<Lang>>,
    segmenter: Segmenter,
    tm: Option<PathBuf>,
    tm_remote: Option<crate::queue::QueueOptions>,
    pairs: Vec<(Lang, Lang)>,
}

impl Service {
    /// Loads the options' backends (all of them, now) and works out the pairs they serve.
    /// `job.to` (optional here: empty for none) and `job.from` narrow a single backend's
    /// pairs down; with a config file, every route is served. `wrap` is put in front of
    /// every backend (e.g. a batching layer).
    pub fn load(
        job: &TranslateJob,
        wrap: impl Fn(&str, Arc<dyn Backend>) -> Arc<dyn Backend>,
    ) -> Result<Service> {
        Service::load_with(job, Ok, wrap)
    }

    /// [`Service::load`] with the router's backends first replaced by `engines` (e.g. a
    /// [`crate::transport::Transport`]'s: `serve --queue` loads no model of its own).
    pub fn load_with(
        job: &TranslateJob,
        engines: impl FnOnce(Router) -> Result<Router>,
        wrap: impl Fn(&str, Arc<dyn Backend>) -> Arc<dyn Backend>,
    ) -> Result<Service> {
        let from = source_lang(job)?;
        let to = match job.to.trim() {
            "" => None,
            code => Some(parse_lang(code, "--to")?),
        };
        let (router, config) = match single_backend(job)? {
            Some((name, spec)) => (Router::single_all(&name, spec, from, to)?, None),
            None => {
                let config = load_config(job)?;
                let target = to
                    .or_else(|| config.routes.first().map(|r| r.to))
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "{}: the config has no routes",
                            config.path.clone().unwrap_or_default().display()
                        ))
                    })?;
                (Router::from_config(&config, target), Some(config))
            }
        };
        let router = engines(router)?.map_backends(wrap)?;
        let pairs: Vec<(Lang, Lang)> = router
            .pairs()
            .into_iter()
            .filter(|&(f, t)| from.is_none_or(|x| x == f) && to.is_none_or(|x| x == t))
            .collect();
        if pairs.is_empty() {
            return Err(Error::Usage(
                "the options serve no language pair (check --from, --to and the routes)".into(),
            ));
        }
        let candidates = candidates(job, config.as_ref())?;
        let segmenter = Segmenter::new(
            &config
                .as_ref()
                .map(|c| c.segment.clone())
                .unwrap_or_default(),
        );
        Ok(Service {
            router,
            config,
            from,
            candidates,
            segmenter,
            tm: job.tm.clone(),
            tm_remote: job.tm_remote.clone(),
            pairs,
        })
    }

    /// The router over the shared backends (its target is the first one served).
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// Every (source, target) pair served, sorted.
    pub fn pairs(&self) -> &[(Lang, Lang)] {
        &self.pairs
    }

    /// Whether `from` → `to` is served.
    pub fn serves(&self, from: Lang, to: Lang) -> bool {
        self.pairs.binary_search(&(from, to)).is_ok()
    }

    /// The config file, if the options named one (or one was found).
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// The source language the options fix (`--from`), if any.
    pub fn from(&self) -> Option<Lang> {
        self.from
    }

    /// A pipeline from `from` (`None`: detected) into `to` over the shared backends, with
    /// `glossary`, the translation memory (its own connection) and no progress bar.
    pub fn pipeline(
        &self,
        from: Option<Lang>,
        to: Lang,
        glossary: Option<Glossary>,
    ) -> Result<Pipeline> {
        let router = self.router.for_target(to);
        let detector = detector(self.candidates.clone(), from, &router);
        let memory = self
            .tm
            .as_deref()
            .map(|spec| open_memory(spec, self.tm_remote.as_ref()))
            .transpose()?;
        if let (Some(spec), Some(memory)) = (self.tm.as_deref(), memory.as_deref()) {
            adopt_legacy_ids(spec, memory, &router)?;
        }
        Ok(Pipeline {
            segmenter: self.segmenter.clone(),
            detector,
            router,
            from,
            progress: false,
            glossary,
            memory,
        })
    }
}

/// Renames the entries a memory holds under the engine ids of before content-named models
/// (a CTranslate2 model's path) to the ids of the router's backends now, once per memory and
/// process (see [`crate::tm::Store::adopt_engine`]).
fn adopt_legacy_ids(spec: &Path, memory: &dyn crate::tm::Store, router: &Router) -> Result<()> {
    static DONE: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashSet<(PathBuf, String)>>,
    > = std::sync::OnceLock::new();
    let done = DONE.get_or_init(Default::default);
    for (old, new) in router.legacy_engine_ids() {
        let first = done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((spec.to_path_buf(), old.clone()));
        if first {
            memory.adopt_engine(&old, &new)?;
        }
    }
    Ok(())
}

/// Opens the translation memory a `--tm` value names: the cluster's key-value bucket for a
/// `nats://HOST:PORT` (or `tls://`) URL, reached with `remote`'s credentials, TLS files and
/// prefix (default: none and `tarjuman`), else the SQLite file at that path.
pub fn open_memory(
    spec: &Path,
    remote: Option<&crate::queue::QueueOptions>,
) -> Result<Box<dyn crate::tm::Store>> {
    if crate::tm::is_remote(spec) {
        let url = spec.to_string_lossy().into_owned();
        let options = match remote {
            Some(o) => crate::queue::QueueOptions { url, ..o.clone() },
            None => crate::queue::QueueOptions::new(url),
        };
        let kv = crate::queue::memory::KvMemory::open(&options)?;
        return Ok(Box::new(kv));
    }
    Ok(Box::new(crate::tm::Memory::open(spec)?))
}
