//! `tarjuman languages`: every language pair that can be translated now — config routes,
//! installed models, the Apertium pairs installed on the system, and the pairs two of them
//! make through English — with the engine that serves it.

use std::io::Write;
use std::path::PathBuf;

use crate::backend::apertium::ApertiumOptions;
use crate::config::{BackendSpec, Config};
use crate::error::{Error, Result};
use crate::route::{Plan, Router};
use crate::setup::{add_installed_models, model_store};

/// `tarjuman languages`.
#[derive(Debug, Clone, Default)]
pub struct LanguagesJob {
    /// `--models-dir`.
    pub models_dir: Option<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--format json`.
    pub json: bool,
}

/// One pair that can be served.
struct Served {
    from: crate::Lang,
    to: crate::Lang,
    /// The engines of its hops, in order.
    engines: Vec<String>,
    /// What the engines are: `config`, `installed` or `apertium`.
    source: &'static str,
    /// What to give on the command line to use it (empty: nothing).
    usage: String,
}

fn source_of(name: &str) -> &'static str {
    if name.starts_with("model:") {
        "installed"
    } else {
        "config"
    }
}

fn collect(router: &Router, fixed: Option<(&'static str, &str)>, out: &mut Vec<Served>) {
    for (from, to) in router.pairs() {
        let Plan::Translate(hops) = router.for_target(to).plan(from) else {
            continue;
        };
        let engines: Vec<String> = hops
            .iter()
            .map(|h| router.backend_name(h.backend).to_string())
            .collect();
        let source = fixed.map_or_else(
            || {
                if engines.iter().all(|e| source_of(e) == "installed") {
                    "installed"
                } else {
                    "config"
                }
            },
            |f| f.0,
        );
        out.push(Served {
            from,
            to,
            engines,
            source,
            usage: fixed.map_or_else(String::new, |f| f.1.to_string()),
        });
    }
}

/// Runs `tarjuman languages`.
pub fn languages(job: &LanguagesJob) -> Result<i32> {
    let path = job.config.clone().or_else(Config::default_path);
    let mut config = match &path {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let translate_job = crate::cli::TranslateJob {
        models_dir: job.models_dir.clone(),
        ..Default::default()
    };
    let store = model_store(&translate_job, Some(&config));
    add_installed_models(&mut config, &store, &Default::default());
    let mut served = Vec::new();
    if let Some(first) = config.routes.first() {
        let router = Router::from_config(&config, first.to);
        collect(&router, None, &mut served);
    }
    // Apertium's installed modes (used with --backend apertium).
    if let Ok(router) = Router::single_all(
        "apertium",
        BackendSpec::Apertium(ApertiumOptions::default()),
        None,
        None,
    ) {
        collect(
            &router,
            Some(("apertium", "--backend apertium")),
            &mut served,
        );
    }
    served.sort_by(|a, b| {
        (a.from, a.to, a.engines.len(), a.source).cmp(&(b.from, b.to, b.engines.len(), b.source))
    });
    let text = if job.json {
        let v: Vec<serde_json::Value> = served
            .iter()
            .map(|s| {
                serde_json::json!({
                    "from": s.from.code(),
                    "to": s.to.code(),
                    "from_name": s.from.name(),
                    "to_name": s.to.name(),
                    "engines": s.engines,
                    "pivot": (s.engines.len() > 1).then_some(crate::route::PIVOT),
                    "source": s.source,
                    "usage": (!s.usage.is_empty()).then_some(&s.usage),
                })
            })
            .collect();
        serde_json::Value::Array(v).to_string() + "\n"
    } else {
        let mut t = String::new();
        for s in &served {
            let via = if s.engines.len() > 1 {
                format!(" (via {})", crate::route::PIVOT)
            } else {
                String::new()
            };
            let usage = if s.usage.is_empty() {
                String::new()
            } else {
                format!("  [{}]", s.usage)
            };
            t.push_str(&format!(
                "{} → {}\t{}{via}{usage}\n",
                s.from.code(),
                s.to.code(),
                s.engines.join(" + ")
            ));
        }
        if served.is_empty() {
            eprintln!(
                "nothing can be translated: no config routes, no models installed in {}, no Apertium pairs",
                store.dir().display()
            );
        }
        t
    };
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|_| o.flush())
        .map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(0)
}
