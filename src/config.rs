//! The TOML configuration: backends, routes (language pair → backend), detection and
//! segmentation settings.
//!
//! ```toml
//! [backends.opus-de-en]
//! type = "ct2"
//! model = "models/opus-mt-de-en"   # relative to this file
//! beam_size = 4
//!
//! [backends.apertium-es-en]
//! type = "apertium"
//! pair = "spa-eng"                 # default: from the route's languages
//!
//! [backends.remote]
//! type = "libretranslate"
//! url = "https://libretranslate.example.org"
//! api_key = "…"                    # optional; also batch_size, batch_chars,
//!                                  # requests_per_minute, retries, backoff, timeout
//!
//! [[routes]]
//! from = "de"
//! to = "en"
//! backend = "opus-de-en"
//!
//! [[routes]]
//! from = ["es", "ca"]
//! to = "en"
//! backend = "apertium-es-en"
//!
//! [detect]
//! langs = ["de", "en", "es", "ru"]  # candidate languages (default: those the routes take)
//!
//! [segment.abbreviations]
//! de = ["Abs", "Ziff"]
//!
//! [models]
//! index = "https://example.org/index.json"  # Argos Translate package index
//! dir = "~/models"                  # the model store
//!
//! [check]
//! disable = ["length"]               # checks `tarjuman check` does not run
//! [check.severity]
//! spacing = "error"                  # severity overrides per check
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::backend::apertium::ApertiumOptions;
use crate::backend::ct2::Ct2Options;
use crate::backend::libretranslate::LibreTranslateOptions;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::qa::CheckConfig;
use crate::segment::SegmentConfig;

/// The name of the config file looked for when `--config` is not given.
pub const DEFAULT_FILE: &str = "tarjuman.toml";

/// A whole configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (`None` when built in code or from CLI flags).
    pub path: Option<PathBuf>,
    /// Backends by name.
    pub backends: BTreeMap<String, BackendSpec>,
    /// Routes in file order.
    pub routes: Vec<Route>,
    /// Detection settings.
    pub detect: DetectConfig,
    /// Segmentation settings.
    pub segment: SegmentConfig,
    /// `tarjuman check` settings: checks switched off, severities changed.
    pub check: CheckConfig,
    /// `[models]`: the package index and the model store.
    pub models: ModelsConfig,
}

/// `[models]` settings (`tarjuman models`, automatic routes).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelsConfig {
    /// The package index (URL or file) `models install NAME`, `list --available` and
    /// `update` read.
    #[serde(default)]
    pub index: Option<String>,
    /// The model store (default: `$TARJUMAN_MODELS_DIR`, else the user's data directory).
    #[serde(default)]
    pub dir: Option<PathBuf>,
}

/// One backend as configured.
#[derive(Debug, Clone)]
pub enum BackendSpec {
    /// A CTranslate2 model directory.
    Ct2 {
        /// Model directory (resolved against the config file's directory).
        model: PathBuf,
        /// Engine options.
        options: Ct2Options,
    },
    /// An Apertium language pair.
    Apertium(ApertiumOptions),
    /// A remote LibreTranslate-compatible server.
    LibreTranslate(LibreTranslateOptions),
}

/// A language pair served by a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
    /// Name of the backend in [`Config::backends`].
    pub backend: String,
}

/// `[detect]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectConfig {
    /// Candidate languages; default: every language a route takes, plus the target.
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    backends: BTreeMap<String, toml::Table>,
    #[serde(default)]
    routes: Vec<RawRoute>,
    #[serde(default)]
    detect: DetectConfig,
    #[serde(default)]
    segment: SegmentConfig,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    models: ModelsConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    from: OneOrMany,
    to: OneOrMany,
    backend: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Lang),
    Many(Vec<Lang>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<Lang> {
        match self {
            OneOrMany::One(l) => vec![l],
            OneOrMany::Many(v) => v,
        }
    }
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut cfg = Config::parse(&text, base).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// The config file to use when none is given: `tarjuman.toml` in the working directory, else
    /// in the user's config directory (`~/.config/tarjuman/tarjuman.toml`); `None` if neither.
    pub fn default_path() -> Option<PathBuf> {
        let here = PathBuf::from(DEFAULT_FILE);
        if here.is_file() {
            return Some(here);
        }
        let user = dirs::config_dir()?.join("tarjuman").join(DEFAULT_FILE);
        user.is_file().then_some(user)
    }

    /// Parses config text; relative model paths are resolved against `base`.
    /// Errors are messages with the TOML position where there is one.
    pub fn parse(text: &str, base: &Path) -> std::result::Result<Config, String> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        let mut backends = BTreeMap::new();
        for (name, table) in raw.backends {
            let spec = backend_spec(&name, table, base)?;
            backends.insert(name, spec);
        }
        let mut routes: Vec<Route> = Vec::new();
        for r in raw.routes {
            if !backends.contains_key(&r.backend) {
                return Err(format!(
                    "route names backend `{}`, which is not defined under [backends]",
                    r.backend
                ));
            }
            let froms = r.from.into_vec();
            let tos = r.to.into_vec();
            for &from in &froms {
                for &to in &tos {
                    if from == to {
                        continue;
                    }
                    if let Some(dup) = routes.iter().find(|x| x.from == from && x.to == to) {
                        return Err(format!(
                            "route {from}→{to} is given twice (backends `{}` and `{}`)",
                            dup.backend, r.backend
                        ));
                    }
                    routes.push(Route {
                        from,
                        to,
                        backend: r.backend.clone(),
                    });
                }
            }
        }
        Ok(Config {
            path: None,
            backends,
            routes,
            detect: raw.detect,
            segment: raw.segment,
            check: raw.check,
            models: ModelsConfig {
                index: raw.models.index,
                dir: raw.models.dir.map(|d| resolve(base, &d.to_string_lossy())),
            },
        })
    }
}

fn backend_spec(
    name: &str,
    mut table: toml::Table,
    base: &Path,
) -> std::result::Result<BackendSpec, String> {
    let ctx = |e: String| format!("backend `{name}`: {e}");
    let kind = match table.remove("type") {
        Some(toml::Value::String(s)) => s,
        Some(_) => return Err(ctx("`type` must be a string".into())),
        None => {
            return Err(ctx(
                "missing `type` (\"ct2\", \"apertium\" or \"libretranslate\")".into(),
            ))
        }
    };
    match kind.as_str() {
        "ct2" => {
            let model = match table.remove("model") {
                Some(toml::Value::String(s)) => s,
                _ => return Err(ctx("missing `model` (the model directory)".into())),
            };
            let model = resolve(base, &model);
            let options: Ct2Options = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ctx(e.to_string().trim_end().to_string()))?;
            Ok(BackendSpec::Ct2 { model, options })
        }
        "apertium" => {
            let options: ApertiumOptions = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ctx(e.to_string().trim_end().to_string()))?;
            Ok(BackendSpec::Apertium(options))
        }
        "libretranslate" => {
            let options: LibreTranslateOptions = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ctx(e.to_string().trim_end().to_string()))?;
            if options.url.trim().is_empty() {
                return Err(ctx("missing `url` (the LibreTranslate server)".into()));
            }
            Ok(BackendSpec::LibreTranslate(options))
        }
        other => Err(ctx(format!(
            "unknown type `{other}` (expected \"ct2\", \"apertium\" or \"libretranslate\")"
        ))),
    }
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    let expanded = match p.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map_or_else(|| PathBuf::from(p), |h| h.join(rest)),
        None => PathBuf::from(p),
    };
    if expanded.is_absolute() {
        expanded
    } else {
        base.join(expanded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CFG: &str = r#"
[backends.opus]
type = "ct2"
model = "models/opus-mt-de-en"
beam_size = 4

[backends.ap]
type = "apertium"

[[routes]]
from = "de"
to = "en"
backend = "opus"

[[routes]]
from = ["es", "ca"]
to = "en"
backend = "ap"

[segment.abbreviations]
de = ["Abs"]
"#;

    #[test]
    fn parses_backends_and_routes() {
        let c = Config::parse(CFG, Path::new("/etc/t")).unwrap();
        assert_eq!(c.routes.len(), 3);
        match &c.backends["opus"] {
            BackendSpec::Ct2 { model, options } => {
                assert_eq!(model, Path::new("/etc/t/models/opus-mt-de-en"));
                assert_eq!(options.beam_size, 4);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(c.segment.abbreviations["de"], vec!["Abs".to_string()]);
    }

    #[test]
    fn errors_are_specific() {
        let e = Config::parse(
            "[[routes]]\nfrom=\"de\"\nto=\"en\"\nbackend=\"nope\"\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e.contains("`nope`"), "{e}");
        let e = Config::parse(
            "[backends.x]\ntype=\"ct2\"\nmodel=\"m\"\nbeam=3\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e.contains("backend `x`") && e.contains("beam"), "{e}");
        let e = Config::parse(
            "[[routes]]\nfrom=\"xx\"\nto=\"en\"\nbackend=\"a\"\n",
            Path::new("."),
        )
        .unwrap_err();
        assert!(e.contains("xx"), "{e}");
        let e = Config::parse("[backends.x]\ntype=\"moses\"\n", Path::new(".")).unwrap_err();
        assert!(e.contains("moses"), "{e}");
    }
}
