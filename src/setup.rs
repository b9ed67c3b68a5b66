//! From options to a running pipeline: the one place where the engine options of `translate`,
//! `feed` and `serve` (config file, `--model`, `--backend`, `--from`, `--langs`, `--glossary`,
//! `--tm`, engine settings) become a [`Router`], a [`Detector`], a [`Segmenter`] and a
//! [`Pipeline`].
//!
//! - [`build_pipeline`]: one target language, for a command run (`translate`, `feed`).
//! - [`Service`]: every pair the options serve, backends loaded once and shared by the
//!   pipelines of all (source, target) pairs (`serve`).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::backend::apertium::ApertiumOptions;
use crate::backend::ct2::Ct2Options;
use crate::backend::Backend;
use crate::cli::{BackendKind, TranslateJob};
use crate::config::{BackendSpec, Config};
use crate::detect::Detector;
use crate::error::{Error, Result};
use crate::glossary::Glossary;
use crate::lang::{self, Lang};
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

/// The config file of the options (`--config`, else the default places), loaded, with the
/// command line's engine settings applied and its routes checked against their models.
fn load_config(job: &TranslateJob) -> Result<Config> {
    let path = match &job.config {
        Some(p) => p.clone(),
        None => Config::default_path().ok_or_else(|| {
            Error::Usage(format!(
                "nothing to translate with: give --model DIR (a CTranslate2 model), --backend apertium, or a config file (--config FILE, or {} in the working directory or the user config directory)",
                crate::config::DEFAULT_FILE
            ))
        })?,
    };
    let mut config = Config::load(&path)?;
    for spec in config.backends.values_mut() {
        if let BackendSpec::Ct2 { options, .. } = spec {
            job.engine.apply(options);
        }
    }
    Router::check_routes(&config)?;
    Ok(config)
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
    let memory = job.tm.as_deref().map(crate::tm::Memory::open).transpose()?;
    Ok(Pipeline {
        segmenter,
        detector,
        router,
        from,
        progress: std::io::stderr().is_terminal(),
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
            .map(crate::tm::Memory::open)
            .transpose()?;
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
