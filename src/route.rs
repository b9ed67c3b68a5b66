//! Routing: which backend translates a segment of a given language into the target language —
//! directly, through an English pivot, not at all (already in the target language), or nowhere
//! (no route: reported per segment).
//!
//! Backends are loaded lazily, the first time a route needs them, and then shared.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::backend::apertium::ApertiumBackend;
use crate::backend::ct2::{Ct2Backend, ModelLanguages, ModelLayout, ReadableLanguages};
use crate::backend::libretranslate::LibreTranslateBackend;
use crate::backend::{Backend, LangPair};
use crate::config::{BackendSpec, Config};
use crate::error::{Error, Result};
use crate::lang::Lang;

/// Index of a backend in a [`Router`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BackendId(usize);

/// One step of a route: a backend and the pair it translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hop {
    /// The backend.
    pub backend: BackendId,
    /// The pair it is asked to translate.
    pub pair: LangPair,
}

/// What to do with a segment in a given source language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The segment is already in the target language: leave it untouched.
    PassThrough,
    /// Translate in one or more hops (two for a pivot through English).
    Translate(Vec<Hop>),
    /// No backend can translate this language into the target.
    NoRoute,
}

struct Slot {
    name: String,
    spec: BackendSpec,
    loaded: OnceLock<std::result::Result<Arc<dyn Backend>, String>>,
}

/// Maps source languages to backends for one target language.
///
/// The backends and routes are shared: [`Router::for_target`] gives a router for another
/// target over the same (already loaded) backends.
pub struct Router {
    target: Lang,
    slots: Arc<Vec<Slot>>,
    direct: Arc<HashMap<(Lang, Lang), BackendId>>,
    /// Why the routes serve only the languages they do, when that was inferred (a model
    /// without metadata reads the scripts of its vocabulary), for no-route messages.
    limit: Option<Arc<str>>,
}

/// The pivot language used when no direct route exists.
pub const PIVOT: &str = "en";

impl Router {
    /// A router for `target` over the routes of `config`.
    pub fn from_config(config: &Config, target: Lang) -> Router {
        let mut slots = Vec::new();
        let mut ids = HashMap::new();
        for (name, spec) in &config.backends {
            ids.insert(name.clone(), BackendId(slots.len()));
            slots.push(Slot {
                name: name.clone(),
                spec: spec.clone(),
                loaded: OnceLock::new(),
            });
        }
        let direct = config
            .routes
            .iter()
            .filter_map(|r| ids.get(&r.backend).map(|&id| ((r.from, r.to), id)))
            .collect();
        Router {
            target,
            slots: Arc::new(slots),
            direct: Arc::new(direct),
            limit: None,
        }
    }

    /// A router with one backend (`--model` or `--backend` without a config file) into
    /// `target`, from `from` or, when `None`, from every language the backend says it
    /// translates into `target`:
    ///
    /// - a CTranslate2 model: the source languages of its metadata (see
    ///   [`ModelLayout::languages`]). A model that says nothing (a plain CTranslate2
    ///   directory) serves the languages written in the scripts of its source vocabulary
    ///   ([`ModelLayout::readable_languages`]; [`Router::limit`] says so for no-route
    ///   messages): text in another script would come out as garbage. A vocabulary without
    ///   letters needs `from`. With metadata, `from` and `target` must be among its
    ///   languages.
    /// - Apertium: the installed modes into `target` (`apertium -l`), and those that reach it
    ///   through English.
    ///
    /// Errors: a model directory that is missing or incomplete, metadata that contradicts
    /// `from`/`target`, a model without metadata or letters in its vocabulary and no `from`,
    /// Apertium not installed or
    /// without a mode into `target`.
    pub fn single(
        name: &str,
        spec: BackendSpec,
        from: Option<Lang>,
        target: Lang,
    ) -> Result<Router> {
        let loaded = OnceLock::new();
        let mut limit = None;
        let pairs: Vec<(Lang, Lang)> = match &spec {
            BackendSpec::Ct2 { model, .. } => {
                let (sources, why) = model_sources(model, from, target)?;
                limit = why.map(Arc::from);
                sources
                    .into_iter()
                    .filter(|&f| f != target)
                    .map(|f| (f, target))
                    .collect()
            }
            BackendSpec::Apertium(options) => match from {
                Some(f) => vec![(f, target)],
                None => {
                    let backend = ApertiumBackend::new(options.clone())?;
                    let pairs = installed_pairs(&backend, target);
                    if !pairs.iter().any(|&(_, t)| t == target) {
                        return Err(Error::Usage(format!(
                            "{}: no installed Apertium mode translates into {} ({target}); \
                             give --from, or install a pair package such as apertium-eng-{}",
                            backend.name(),
                            target.name(),
                            target.iso3()
                        )));
                    }
                    // Loaded already: the run uses this one.
                    let backend: Arc<dyn Backend> = Arc::new(backend);
                    let _ = loaded.set(Ok(backend));
                    pairs
                }
            },
            BackendSpec::LibreTranslate(options) => {
                let backend = LibreTranslateBackend::new(options.clone())?;
                let pairs = backend.pairs().to_vec();
                let router = Router {
                    target,
                    slots: Arc::new(Vec::new()),
                    direct: Arc::new(pairs.iter().map(|&p| (p, BackendId(0))).collect()),
                    limit: None,
                };
                let served = match from {
                    Some(f) => matches!(router.plan(f), Plan::Translate(_) | Plan::PassThrough),
                    None => !router.source_langs().is_empty(),
                };
                if !served {
                    return Err(Error::Usage(format!(
                        "{}: the server translates nothing from {} into {} ({target}) \
                         (its /languages lists what it serves)",
                        backend.name(),
                        from.map_or("any language".to_string(), |l| l.name().to_string()),
                        target.name(),
                    )));
                }
                let backend: Arc<dyn Backend> = Arc::new(backend);
                let _ = loaded.set(Ok(backend));
                pairs
            }
        };
        let slots = vec![Slot {
            name: name.to_string(),
            spec,
            loaded,
        }];
        let direct = pairs.into_iter().map(|p| (p, BackendId(0))).collect();
        Ok(Router {
            target,
            slots: Arc::new(slots),
            direct: Arc::new(direct),
            limit,
        })
    }

    /// A router with one backend for every pair it serves, into any target (what a service
    /// offers): `from`/`to` narrow the pairs down, and are required where the backend cannot
    /// tell them.
    ///
    /// - a CTranslate2 model: its metadata's source and target languages (see
    ///   [`ModelLayout::languages`]); a plain model needs both `from` and `to`.
    /// - Apertium: every installed mode between two languages (`apertium -l`).
    ///
    /// The router's own target is the first target served; use [`Router::for_target`].
    pub fn single_all(
        name: &str,
        spec: BackendSpec,
        from: Option<Lang>,
        to: Option<Lang>,
    ) -> Result<Router> {
        let loaded = OnceLock::new();
        let pairs: Vec<(Lang, Lang)> = match &spec {
            BackendSpec::Ct2 { model, .. } => {
                let langs = ModelLayout::detect(model)?.languages()?;
                let sources = match (from, &langs) {
                    (Some(f), _) => vec![f],
                    (None, Some(l)) if !l.sources.is_empty() => l.sources.clone(),
                    _ => {
                        return Err(Error::Usage(format!(
                            "{}: the model does not say which language it translates from; give \
                         --from LANG, route it in a config file, or put a metadata.json beside \
                         model.bin such as {{\"from_code\": \"ar\", \"to_code\": \"en\"}}",
                            model.display()
                        )))
                    }
                };
                let targets = match (to, &langs) {
                    (Some(t), _) => vec![t],
                    (None, Some(l)) if !l.targets.is_empty() => l.targets.clone(),
                    _ => {
                        return Err(Error::Usage(format!(
                            "{}: the model does not say which language it translates into; give \
                         --to LANG, route it in a config file, or put a metadata.json beside \
                         model.bin such as {{\"from_code\": \"ar\", \"to_code\": \"en\"}}",
                            model.display()
                        )))
                    }
                };
                let mut pairs = Vec::new();
                for &t in &targets {
                    if let Some(langs) = &langs {
                        if let Some(msg) = contradiction(langs, from, t) {
                            return Err(Error::Usage(format!("{}: {msg}", model.display())));
                        }
                    }
                    pairs.extend(sources.iter().filter(|&&f| f != t).map(|&f| (f, t)));
                }
                pairs
            }
            BackendSpec::Apertium(options) => {
                let backend = ApertiumBackend::new(options.clone())?;
                let pairs: Vec<(Lang, Lang)> = match &options.pair {
                    Some(mode) => mode_pair(mode).into_iter().collect(),
                    None => backend
                        .modes()
                        .iter()
                        .filter_map(|m| mode_pair(m))
                        .collect(),
                };
                let pairs: Vec<(Lang, Lang)> = pairs
                    .into_iter()
                    .filter(|&(f, t)| from.is_none_or(|x| x == f) && to.is_none_or(|x| x == t))
                    .collect();
                if pairs.is_empty() {
                    return Err(Error::Usage(format!(
                        "{}: no installed Apertium mode translates {} into {}; install a pair \
                         package such as apertium-eng-spa (`apertium -l` lists the modes)",
                        backend.name(),
                        from.map_or("any language".to_string(), |l| l.name().to_string()),
                        to.map_or("any language".to_string(), |l| l.name().to_string()),
                    )));
                }
                let backend: Arc<dyn Backend> = Arc::new(backend);
                let _ = loaded.set(Ok(backend));
                pairs
            }
            BackendSpec::LibreTranslate(options) => {
                let backend = LibreTranslateBackend::new(options.clone())?;
                let pairs: Vec<(Lang, Lang)> = backend
                    .pairs()
                    .iter()
                    .copied()
                    .filter(|&(f, t)| from.is_none_or(|x| x == f) && to.is_none_or(|x| x == t))
                    .collect();
                let backend: Arc<dyn Backend> = Arc::new(backend);
                let _ = loaded.set(Ok(backend));
                pairs
            }
        };
        let mut pairs = pairs;
        pairs.sort();
        pairs.dedup();
        let target = pairs
            .first()
            .map(|p| p.1)
            .ok_or_else(|| Error::Usage(format!("{name}: serves no language pair")))?;
        let slots = vec![Slot {
            name: name.to_string(),
            spec,
            loaded,
        }];
        let direct = pairs.into_iter().map(|p| (p, BackendId(0))).collect();
        Ok(Router {
            target,
            slots: Arc::new(slots),
            direct: Arc::new(direct),
            limit: None,
        })
    }

    /// The same routes and backends (shared, loaded once) for another target language.
    pub fn for_target(&self, target: Lang) -> Router {
        Router {
            target,
            slots: Arc::clone(&self.slots),
            direct: Arc::clone(&self.direct),
            limit: self.limit.clone(),
        }
    }

    /// Every (source, target) pair some plan translates, directly or through the pivot,
    /// sorted.
    pub fn pairs(&self) -> Vec<(Lang, Lang)> {
        let mut langs: Vec<Lang> = self.direct.keys().flat_map(|&(f, t)| [f, t]).collect();
        langs.sort();
        langs.dedup();
        let mut pairs = Vec::new();
        for &to in &langs {
            let router = self.for_target(to);
            for &from in &langs {
                if from != to && matches!(router.plan(from), Plan::Translate(_)) {
                    pairs.push((from, to));
                }
            }
        }
        pairs.sort();
        pairs
    }

    /// Loads every backend and returns a router whose backends are `wrap(name, backend)`
    /// (e.g. a batching layer in front of each engine), with the same routes and target.
    pub fn map_backends(
        &self,
        wrap: impl Fn(&str, Arc<dyn Backend>) -> Arc<dyn Backend>,
    ) -> Result<Router> {
        let mut slots = Vec::with_capacity(self.slots.len());
        for (i, slot) in self.slots.iter().enumerate() {
            let backend = wrap(&slot.name, self.backend(BackendId(i))?);
            let loaded = OnceLock::new();
            let _ = loaded.set(Ok(backend));
            slots.push(Slot {
                name: slot.name.clone(),
                spec: slot.spec.clone(),
                loaded,
            });
        }
        Ok(Router {
            target: self.target,
            slots: Arc::new(slots),
            direct: Arc::clone(&self.direct),
            limit: self.limit.clone(),
        })
    }

    /// The same routes and target with backends made by `make(name, engine_id)` for every
    /// backend, without loading any of the configured ones (e.g. a queue transport that sends
    /// the work to other processes; `engine_id` is [`Router::portable_engine_id`]).
    pub fn with_backends(&self, make: impl Fn(&str, String) -> Arc<dyn Backend>) -> Router {
        let slots = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let loaded = OnceLock::new();
                let _ = loaded.set(Ok(make(&slot.name, self.portable_engine_id(BackendId(i)))));
                Slot {
                    name: slot.name.clone(),
                    spec: slot.spec.clone(),
                    loaded,
                }
            })
            .collect();
        Router {
            target: self.target,
            slots: Arc::new(slots),
            direct: Arc::clone(&self.direct),
            limit: self.limit.clone(),
        }
    }

    /// Every pair a single backend translates directly, with the backend (a worker serves
    /// these; pivots are two such hops).
    pub fn direct_pairs(&self) -> Vec<(LangPair, BackendId)> {
        let mut pairs: Vec<(LangPair, BackendId)> = self
            .direct
            .iter()
            .map(|(&(from, to), &id)| (LangPair { from, to }, id))
            .collect();
        pairs.sort_by_key(|(p, _)| (p.from.code(), p.to.code()));
        pairs
    }

    /// What a backend's translations depend on, the same on every host (what jobs on the
    /// queue ask for): [`Router::engine_id`].
    pub fn portable_engine_id(&self, id: BackendId) -> String {
        self.engine_id(id)
    }

    /// The engine id memories made before models were named by their content used: the
    /// model's absolute path instead of its name and fingerprint (CTranslate2 only; `None` for
    /// the others, whose ids did not change). See [`crate::tm::Store::adopt_engine`].
    pub fn legacy_engine_id(&self, id: BackendId) -> Option<String> {
        match &self.slots[id.0].spec {
            BackendSpec::Ct2 { model, options } => {
                let model = std::fs::canonicalize(model).unwrap_or_else(|_| model.clone());
                Some(format!(
                    "ct2:{}{}:beam{}",
                    model.display(),
                    version_tag(&model),
                    options.beam_size
                ))
            }
            BackendSpec::Apertium(_) | BackendSpec::LibreTranslate(_) => None,
        }
    }

    /// Every backend whose engine id changed with content-named models: (its legacy id, its
    /// id now).
    pub fn legacy_engine_ids(&self) -> Vec<(String, String)> {
        (0..self.slots.len())
            .map(BackendId)
            .filter_map(|id| Some((self.legacy_engine_id(id)?, self.engine_id(id))))
            .collect()
    }

    /// Checks the routes of a config against what their CTranslate2 models say they
    /// translate (their `metadata.json` or language tokens). A model that cannot be read
    /// (or is not installed on this machine) is not an error here: it is reported when a
    /// segment needs its route.
    pub fn check_routes(config: &Config) -> Result<()> {
        let path = config.path.clone().unwrap_or_default();
        for route in &config.routes {
            let Some(BackendSpec::Ct2 { model, .. }) = config.backends.get(&route.backend) else {
                continue;
            };
            let Ok(Some(langs)) = ModelLayout::detect(model).and_then(|l| l.languages()) else {
                continue;
            };
            if let Some(msg) = contradiction(&langs, Some(route.from), route.to) {
                return Err(Error::Config {
                    path,
                    line: Some(route.line).filter(|&l| l > 0),
                    message: format!(
                        "route {} → {} uses backend `{}`, but {msg}",
                        route.from, route.to, route.backend
                    ),
                });
            }
        }
        Ok(())
    }

    /// The target language.
    pub fn target(&self) -> Lang {
        self.target
    }

    /// Why the routes serve only the languages they do, when that was inferred rather than
    /// said (a model without metadata reads the script of its source vocabulary): for the
    /// message of a segment no route serves.
    pub fn limit(&self) -> Option<&str> {
        self.limit.as_deref()
    }

    /// Source languages that some route (direct or pivot) takes into the target.
    pub fn source_langs(&self) -> Vec<Lang> {
        let mut langs: Vec<Lang> = self
            .direct
            .keys()
            .map(|&(f, _)| f)
            .filter(|&f| matches!(self.plan(f), Plan::Translate(_)))
            .collect();
        langs.sort();
        langs.dedup();
        langs
    }

    /// The plan for a segment in language `from`.
    pub fn plan(&self, from: Lang) -> Plan {
        let to = self.target;
        if from == to {
            return Plan::PassThrough;
        }
        let hop = |f: Lang, t: Lang| {
            self.direct.get(&(f, t)).map(|&backend| Hop {
                backend,
                pair: LangPair { from: f, to: t },
            })
        };
        if let Some(h) = hop(from, to) {
            return Plan::Translate(vec![h]);
        }
        if let Ok(pivot) = Lang::from_code(PIVOT) {
            if from != pivot && to != pivot {
                if let (Some(a), Some(b)) = (hop(from, pivot), hop(pivot, to)) {
                    return Plan::Translate(vec![a, b]);
                }
            }
        }
        Plan::NoRoute
    }

    /// The configured name of a backend.
    pub fn backend_name(&self, id: BackendId) -> &str {
        &self.slots[id.0].name
    }

    /// What a backend's translations depend on, for the translation memory and the queue,
    /// the same on every host: its kind and model (CTranslate2: the directory's name and its
    /// content fingerprint — not its path, so that copies of a model elsewhere share their
    /// entries —, its `metadata.json`'s package version and the beam size), mode (Apertium)
    /// or server (LibreTranslate).
    pub fn engine_id(&self, id: BackendId) -> String {
        match &self.slots[id.0].spec {
            BackendSpec::Ct2 { model, options } => ct2_engine_id(model, options.beam_size),
            BackendSpec::Apertium(o) => {
                format!("apertium:{}", o.pair.as_deref().unwrap_or("default"))
            }
            BackendSpec::LibreTranslate(o) => format!("libretranslate:{}", o.url),
        }
    }

    /// The backend, loading it on first use. A backend that failed to load fails again with
    /// the same message.
    pub fn backend(&self, id: BackendId) -> Result<Arc<dyn Backend>> {
        let slot = &self.slots[id.0];
        let loaded = slot
            .loaded
            .get_or_init(|| load(&slot.spec).map_err(|e| e.to_string()));
        match loaded {
            Ok(b) => Ok(Arc::clone(b)),
            Err(message) => Err(Error::Backend(crate::backend::BackendError::Engine {
                backend: slot.name.clone(),
                message: message.clone(),
            })),
        }
    }

    /// Loads every backend now (so that a broken model is reported before any work is done).
    pub fn load_all(&self) -> Result<()> {
        for i in 0..self.slots.len() {
            self.backend(BackendId(i))?;
        }
        Ok(())
    }
}

/// `:vVERSION` for a model directory whose `metadata.json` gives a package version (an
/// installed package updated in place is another engine), else nothing.
/// The engine id of a CTranslate2 model directory at a beam size (see [`Router::engine_id`]).
fn ct2_engine_id(model: &Path, beam_size: usize) -> String {
    let model = std::fs::canonicalize(model).unwrap_or_else(|_| model.to_path_buf());
    let name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "ct2:{name}@{}{}:beam{beam_size}",
        crate::backend::ct2::fingerprint::fingerprint(&model),
        version_tag(&model),
    )
}

/// The id a stored engine id has today: each hop of it (`a>b` for a pivot) that is a
/// CTranslate2 model named by its path, as memories made before content-named models have
/// them (`ct2:/PATH[:vVERSION]:beamN`, see [`Router::legacy_engine_id`]), becomes the model's
/// id now — when that directory is still there with the same package version, which is when a
/// run with that model renames the entries ([`crate::tm::Store::adopt_engine`]). `None` when
/// no hop changes. For `tm stats|export|prune`, which show and select entries by the ids that
/// runs use.
pub fn current_engine_id(stored: &str) -> Option<String> {
    let mut changed = false;
    let hops: Vec<String> = stored
        .split('>')
        .map(|hop| match current_hop(hop) {
            Some(now) => {
                changed = true;
                now
            }
            None => hop.to_string(),
        })
        .collect();
    changed.then(|| hops.join(">"))
}

/// One hop of [`current_engine_id`].
fn current_hop(hop: &str) -> Option<String> {
    let rest = hop.strip_prefix("ct2:")?;
    if !rest.starts_with('/') {
        return None;
    }
    let (dir, beam) = rest.rsplit_once(":beam")?;
    let beam_size: usize = beam.parse().ok()?;
    // The path, with or without a version tag after it (a path may itself hold `:v`).
    let candidates = std::iter::once(dir).chain(dir.rsplit_once(":v").map(|(d, _)| d));
    for path in candidates {
        let path = Path::new(path);
        if path.is_dir()
            && format!(
                "ct2:{}{}:beam{beam_size}",
                path.display(),
                version_tag(path)
            ) == hop
        {
            return Some(ct2_engine_id(path, beam_size));
        }
    }
    None
}

fn version_tag(model: &Path) -> String {
    std::fs::read_to_string(model.join("metadata.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<crate::models::PackageMeta>(&t).ok())
        .map(|m| m.package_version)
        .filter(|v| !v.is_empty())
        .map_or_else(String::new, |v| format!(":v{v}"))
}

/// The source languages a single CTranslate2 model is used for: `from` if given, else those
/// its metadata names. See [`Router::single`].
fn model_sources(
    model: &Path,
    from: Option<Lang>,
    target: Lang,
) -> Result<(Vec<Lang>, Option<String>)> {
    let layout = ModelLayout::detect(model)?;
    let langs = layout.languages()?;
    if let Some(langs) = &langs {
        if let Some(msg) = contradiction(langs, from, target) {
            return Err(Error::Usage(format!("{}: {msg}", model.display())));
        }
    }
    match (from, langs) {
        (Some(f), _) => Ok((vec![f], None)),
        (None, Some(langs)) if !langs.sources.is_empty() => Ok((langs.sources, None)),
        (None, _) => {
            // Nothing says what the model translates from (OPUS-MT language tokens name
            // targets only): what it can read is what its source vocabulary is written in.
            match layout.readable_languages()? {
                Some(r) if r.languages.iter().any(|&l| l != target) => {
                    let why = read_only(model, &r);
                    Ok((r.languages, Some(why)))
                }
                _ => Err(Error::Usage(format!(
                    "{}: the model does not say which language it translates from (no \
                     metadata.json with from_code, no language tokens in its vocabulary, no \
                     letters in its source vocabulary to tell its script by), so text detected \
                     in another language would be sent to it all the same; give --from LANG, \
                     route it in a config file, or put a metadata.json beside model.bin such as \
                     {{\"from_code\": \"ar\", \"to_code\": \"en\"}}",
                    model.display()
                ))),
            }
        }
    }
}

/// Why a model without metadata serves only some languages, for no-route messages.
fn read_only(model: &Path, r: &ReadableLanguages) -> String {
    format!(
        "{} says nothing of its languages and its source vocabulary reads {} only",
        model.display(),
        r.describe()
    )
}

/// What is wrong with translating `from` → `to` with a model that says it translates
/// `langs`; `None` if nothing is.
fn contradiction(langs: &ModelLanguages, from: Option<Lang>, to: Lang) -> Option<String> {
    let list = |v: &[Lang]| v.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ");
    if !langs.targets.is_empty() && !langs.targets.contains(&to) {
        return Some(format!(
            "the model translates into {} (says {}), not into {} ({to})",
            list(&langs.targets),
            langs.origin,
            to.name()
        ));
    }
    match from {
        Some(f) if !langs.sources.is_empty() && !langs.sources.contains(&f) => Some(format!(
            "the model translates from {} (says {}), not from {} ({f})",
            list(&langs.sources),
            langs.origin,
            f.name()
        )),
        _ => None,
    }
}

/// The pair an Apertium mode named `xxx-yyy` (two ISO 639-3 codes) translates; `None` for
/// other modes (variants such as `eng-cat_valencia`, analysers, generators).
fn mode_pair(mode: &str) -> Option<(Lang, Lang)> {
    let (a, b) = mode.split_once('-')?;
    let code = |c: &str| {
        (c.len() == 3 && c.bytes().all(|b| b.is_ascii_lowercase()))
            .then(|| Lang::from_code(c).ok())
            .flatten()
    };
    let (from, to) = (code(a)?, code(b)?);
    (from != to).then_some((from, to))
}

/// The pairs an Apertium installation serves toward `target`: its modes into `target`, and
/// for a pivot through English, its modes into English and English into `target`.
fn installed_pairs(backend: &ApertiumBackend, target: Lang) -> Vec<(Lang, Lang)> {
    let pivot = Lang::from_code(PIVOT).ok();
    let mut pairs = Vec::new();
    for info in crate::lang::LANGUAGES {
        let Ok(from) = Lang::from_code(info.iso1) else {
            continue;
        };
        for to in std::iter::once(target).chain(pivot) {
            if from != to && backend.supports(LangPair { from, to }) {
                pairs.push((from, to));
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    pairs
}

fn load(spec: &BackendSpec) -> std::result::Result<Arc<dyn Backend>, crate::backend::BackendError> {
    Ok(match spec {
        BackendSpec::Ct2 { model, options } => Arc::new(Ct2Backend::load(model, options)?),
        BackendSpec::Apertium(options) => Arc::new(ApertiumBackend::new(options.clone())?),
        BackendSpec::LibreTranslate(options) => {
            Arc::new(LibreTranslateBackend::new(options.clone())?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn l(c: &str) -> Lang {
        Lang::from_code(c).unwrap()
    }

    #[test]
    fn direct_pivot_passthrough_noroute() {
        let cfg = Config::parse(
            r#"
[backends.a]
type = "apertium"
[backends.b]
type = "apertium"
[[routes]]
from = ["de", "ru"]
to = "en"
backend = "a"
[[routes]]
from = "en"
to = "es"
backend = "b"
[[routes]]
from = "fr"
to = "es"
backend = "b"
"#,
            Path::new("."),
        )
        .unwrap();
        let r = Router::from_config(&cfg, l("es"));
        assert_eq!(r.plan(l("es")), Plan::PassThrough);
        match r.plan(l("de")) {
            Plan::Translate(h) => {
                assert_eq!(h.len(), 2);
                assert_eq!(r.backend_name(h[0].backend), "a");
                assert_eq!(h[0].pair.to, l("en"));
                assert_eq!(r.backend_name(h[1].backend), "b");
            }
            other => panic!("{other:?}"),
        }
        match r.plan(l("fr")) {
            Plan::Translate(h) => assert_eq!(h.len(), 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.plan(l("tr")), Plan::NoRoute);
        assert_eq!(r.source_langs(), vec![l("de"), l("en"), l("fr"), l("ru")]);
    }

    #[test]
    fn a_single_model_serves_the_languages_its_metadata_names() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("model.bin"), "").unwrap();
        std::fs::write(dir.join("source_vocabulary.txt"), "<s>\nا\nب\n").unwrap();
        std::fs::write(dir.join("target_vocabulary.txt"), "<s>\na\nb\n").unwrap();
        let spec = || BackendSpec::Ct2 {
            model: dir.to_path_buf(),
            options: Default::default(),
        };
        // A plain model: the languages of its vocabulary's script (Arabic letters), and why.
        let r = Router::single("m", spec(), None, l("en")).unwrap();
        assert!(r.source_langs().contains(&l("ar")) && r.source_langs().contains(&l("fa")));
        assert!(!r.source_langs().contains(&l("de")));
        assert_eq!(r.plan(l("de")), Plan::NoRoute);
        assert!(r.limit().is_some_and(|why| why.contains("Arabic script")));
        let r = Router::single("m", spec(), Some(l("fa")), l("en")).unwrap();
        assert_eq!(r.source_langs(), vec![l("fa")]);
        // With metadata: its source languages, and nothing else.
        std::fs::write(
            dir.join("metadata.json"),
            r#"{"from_codes": ["ar", "fa"], "to_code": "en"}"#,
        )
        .unwrap();
        let r = Router::single("m", spec(), None, l("en")).unwrap();
        assert_eq!(r.source_langs(), vec![l("ar"), l("fa")]);
        assert!(matches!(r.plan(l("ar")), Plan::Translate(h) if h.len() == 1));
        assert_eq!(r.plan(l("de")), Plan::NoRoute);
        assert_eq!(r.plan(l("en")), Plan::PassThrough);
        // `--from` and `--to` must fit the metadata.
        for (from, to) in [(Some("de"), "en"), (None, "de"), (Some("ar"), "fr")] {
            let got = Router::single("m", spec(), from.map(l), l(to));
            assert!(matches!(got, Err(Error::Usage(_))), "{from:?} {to}");
        }
    }
}
