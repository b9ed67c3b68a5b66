//! Routing: which backend translates a segment of a given language into the target language —
//! directly, through an English pivot, not at all (already in the target language), or nowhere
//! (no route: reported per segment).
//!
//! Backends are loaded lazily, the first time a route needs them, and then shared.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::backend::apertium::ApertiumBackend;
use crate::backend::ct2::Ct2Backend;
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
pub struct Router {
    target: Lang,
    slots: Vec<Slot>,
    direct: HashMap<(Lang, Lang), BackendId>,
    /// A backend that takes any source language (a single `--model` or `--backend` with
    /// `--from auto`).
    any_source: Option<BackendId>,
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
            slots,
            direct,
            any_source: None,
        }
    }

    /// A router with one backend: from `from` (or from any language when `None`) into `target`.
    pub fn single(name: &str, spec: BackendSpec, from: Option<Lang>, target: Lang) -> Router {
        let slots = vec![Slot {
            name: name.to_string(),
            spec,
            loaded: OnceLock::new(),
        }];
        let mut direct = HashMap::new();
        let mut any_source = None;
        match from {
            Some(f) => {
                direct.insert((f, target), BackendId(0));
            }
            None => any_source = Some(BackendId(0)),
        }
        Router {
            target,
            slots,
            direct,
            any_source,
        }
    }

    /// The target language.
    pub fn target(&self) -> Lang {
        self.target
    }

    /// Source languages that some route (direct or pivot) takes into the target; `None` if a
    /// backend takes any language.
    pub fn source_langs(&self) -> Option<Vec<Lang>> {
        if self.any_source.is_some() {
            return None;
        }
        let mut langs: Vec<Lang> = self
            .direct
            .keys()
            .map(|&(f, _)| f)
            .filter(|&f| matches!(self.plan(f), Plan::Translate(_)))
            .collect();
        langs.sort();
        langs.dedup();
        Some(langs)
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
        if let Some(backend) = self.any_source {
            let pair = LangPair { from, to };
            // A backend that cannot take this pair means no route for these segments; one that
            // cannot load at all is reported when it is used.
            let usable = self.backend(backend).map_or(true, |b| b.supports(pair));
            return if usable {
                Plan::Translate(vec![Hop { backend, pair }])
            } else {
                Plan::NoRoute
            };
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

    /// What a backend's translations depend on, for the translation memory: its kind and
    /// model directory (CTranslate2, with the beam size) or mode (Apertium).
    pub fn engine_id(&self, id: BackendId) -> String {
        match &self.slots[id.0].spec {
            BackendSpec::Ct2 { model, options } => {
                let model = std::fs::canonicalize(model).unwrap_or_else(|_| model.clone());
                format!("ct2:{}:beam{}", model.display(), options.beam_size)
            }
            BackendSpec::Apertium(o) => {
                format!("apertium:{}", o.pair.as_deref().unwrap_or("default"))
            }
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

fn load(spec: &BackendSpec) -> std::result::Result<Arc<dyn Backend>, crate::backend::BackendError> {
    Ok(match spec {
        BackendSpec::Ct2 { model, options } => Arc::new(Ct2Backend::load(model, options)?),
        BackendSpec::Apertium(options) => Arc::new(ApertiumBackend::new(options.clone())?),
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
        assert_eq!(
            r.source_langs().unwrap(),
            vec![l("de"), l("en"), l("fr"), l("ru")]
        );
    }
}
