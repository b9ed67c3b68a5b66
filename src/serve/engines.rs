//! What the handlers translate and check with: the loaded [`Service`], a pipeline per
//! (source, target) pair and a checker per pair, made on first use and kept; glossaries by
//! name.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::error::Result;
use crate::glossary::{load, Glossary};
use crate::lang::Lang;
use crate::pipeline::Pipeline;
use crate::qa::{CheckConfig, CheckKind, CheckOptions, Checker, SpellChecker, TermSource};
use crate::setup::Service;

use super::request::ApiError;

/// The glossary a request uses.
pub enum GlossaryChoice {
    /// The server's (`--glossary` files stacked), if any.
    Default,
    /// A glossary of the request's own: a loaded one by name, or the server's with the
    /// request's entries on top.
    Own(Arc<Glossary>),
}

/// Pipelines by (source, target); `None` source: detected.
type Pipelines = HashMap<(Option<Lang>, Lang), Arc<Pipeline>>;

/// Checkers by (source, target); `None`: unknown.
type Checkers = HashMap<(Option<Lang>, Option<Lang>), Arc<Checker>>;

/// Pipelines and checkers over one [`Service`].
pub struct Engines {
    /// The loaded backends and pairs.
    pub service: Service,
    pipelines: Mutex<Pipelines>,
    checkers: Mutex<Checkers>,
    /// Every `--glossary` file by name (its file stem), in order.
    named: Vec<(String, Arc<Glossary>)>,
    /// The `--glossary` files stacked.
    default_glossary: Option<Glossary>,
    check: CheckConfig,
    /// Dictionaries found missing (reported once each).
    missing_dictionaries: Mutex<Vec<Lang>>,
}

impl Engines {
    /// Engines over `service` with the glossary files `glossaries`.
    pub fn new(service: Service, glossaries: &[PathBuf]) -> Result<Engines> {
        let mut named = Vec::new();
        for path in glossaries {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            named.push((name, Arc::new(Glossary::load(std::slice::from_ref(path))?)));
        }
        let default_glossary = if glossaries.is_empty() {
            None
        } else {
            Some(Glossary::load(glossaries)?)
        };
        let check = service
            .config()
            .map(|c: &Config| c.check.clone())
            .unwrap_or_default();
        Ok(Engines {
            service,
            pipelines: Mutex::new(HashMap::new()),
            checkers: Mutex::new(HashMap::new()),
            named,
            default_glossary,
            check,
            missing_dictionaries: Mutex::new(Vec::new()),
        })
    }

    /// The names of the loaded glossaries.
    pub fn glossary_names(&self) -> Vec<&str> {
        self.named.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Whether requests get a glossary by default.
    pub fn has_default_glossary(&self) -> bool {
        self.default_glossary.is_some()
    }

    /// The glossary a request's `glossary` parameter asks for: the name of a loaded glossary,
    /// or glossary text (TSV with a header line, as in a glossary file) stacked on the
    /// server's glossaries. Empty or absent: the server's.
    pub fn glossary(&self, param: Option<&str>) -> std::result::Result<GlossaryChoice, ApiError> {
        let Some(text) = param.filter(|t| !t.trim().is_empty()) else {
            return Ok(GlossaryChoice::Default);
        };
        if !text.contains('\t') && !text.contains('\n') {
            let name = text.trim();
            return self
                .named
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, g)| GlossaryChoice::Own(Arc::clone(g)))
                .ok_or_else(|| {
                    let names = self.glossary_names();
                    ApiError::bad(format!(
                        "Invalid request: glossary `{name}` is not loaded ({}); give the name of a loaded glossary or glossary text (TSV with a header line)",
                        if names.is_empty() {
                            "no glossary is loaded".to_string()
                        } else {
                            format!("loaded: {}", names.join(", "))
                        }
                    ))
                });
        }
        let entries = load::parse_delimited("glossary", text, '\t')
            .map_err(|e| ApiError::bad(format!("Invalid request: {e}")))?;
        let mut glossary = self.default_glossary.clone().unwrap_or_default();
        glossary.stack(entries);
        Ok(GlossaryChoice::Own(Arc::new(glossary)))
    }

    /// The pipeline from `from` (`None`: detected) into `to` with `glossary`. Pipelines with
    /// the server's glossary are made once per pair and kept.
    pub fn pipeline(
        &self,
        from: Option<Lang>,
        to: Lang,
        glossary: &GlossaryChoice,
    ) -> Result<Arc<Pipeline>> {
        match glossary {
            GlossaryChoice::Own(g) => Ok(Arc::new(self.service.pipeline(
                from,
                to,
                Some(Glossary::clone(g)),
            )?)),
            GlossaryChoice::Default => {
                if let Some(p) = self.lock_pipelines().get(&(from, to)) {
                    return Ok(Arc::clone(p));
                }
                let made = Arc::new(self.service.pipeline(
                    from,
                    to,
                    self.default_glossary.clone(),
                )?);
                Ok(Arc::clone(
                    self.lock_pipelines().entry((from, to)).or_insert(made),
                ))
            }
        }
    }

    fn lock_pipelines(&self) -> std::sync::MutexGuard<'_, Pipelines> {
        self.pipelines.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The checker for translations from `from` (`None`: unknown) into `to` with `glossary`,
    /// with the target language's Hunspell dictionary when one is installed and the config's
    /// `[check]` table. Checkers with the server's glossary are made once per pair and kept.
    pub fn checker(
        &self,
        from: Option<Lang>,
        to: Option<Lang>,
        glossary: &GlossaryChoice,
    ) -> Arc<Checker> {
        match glossary {
            GlossaryChoice::Own(g) => Arc::new(self.make_checker(
                from,
                to,
                Some(Box::new(Glossary::clone(g)) as Box<dyn TermSource>),
            )),
            GlossaryChoice::Default => {
                let mut checkers = self.checkers.lock().unwrap_or_else(|p| p.into_inner());
                Arc::clone(checkers.entry((from, to)).or_insert_with(|| {
                    let terms = self
                        .default_glossary
                        .clone()
                        .map(|g| Box::new(g) as Box<dyn TermSource>);
                    Arc::new(self.make_checker(from, to, terms))
                }))
            }
        }
    }

    fn make_checker(
        &self,
        from: Option<Lang>,
        to: Option<Lang>,
        terms: Option<Box<dyn TermSource>>,
    ) -> Checker {
        let wants_dictionary = [
            CheckKind::Typo,
            CheckKind::Untranslated,
            CheckKind::WrongLanguage,
        ]
        .iter()
        .any(|c| !self.check.disable.contains(c));
        let spell = match to.filter(|_| wants_dictionary) {
            None => None,
            Some(to) => match SpellChecker::for_lang(to, None) {
                Ok(s) => Some(s),
                Err(e) => {
                    let mut missing = self
                        .missing_dictionaries
                        .lock()
                        .unwrap_or_else(|p| p.into_inner());
                    if !missing.contains(&to) {
                        missing.push(to);
                        tracing::warn!("tarjuman: notice: {e}; the typo check is skipped");
                    }
                    None
                }
            },
        };
        Checker::new(CheckOptions {
            from,
            to,
            config: self.check.clone(),
            spell,
            terms: terms.into_iter().collect(),
        })
    }
}
