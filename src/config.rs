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
use crate::error::{Error, LineIndex, Result};
use crate::lang::Lang;
use crate::qa::CheckConfig;
use crate::segment::SegmentConfig;

/// The most CPU threads a model may be given: beyond that, thread creation fails in the
/// engine's OpenMP runtime rather than doing any good.
pub const MAX_THREADS: usize = 1024;

/// The most model replicas: each holds its own copy of the model in memory.
pub const MAX_REPLICAS: usize = 64;

/// Checks a thread budget and a replica count against [`MAX_THREADS`] and [`MAX_REPLICAS`];
/// the message starts with the setting's name (`threads …`, `replicas …`).
pub fn check_engine_limits(
    threads: Option<usize>,
    replicas: Option<usize>,
) -> std::result::Result<(), String> {
    if let Some(t) = threads.filter(|&t| t > MAX_THREADS) {
        return Err(format!(
            "threads {t} is more than the {MAX_THREADS} a model can use (0 or leaving it out uses every core)"
        ));
    }
    if let Some(r) = replicas.filter(|&r| r > MAX_REPLICAS) {
        return Err(format!(
            "replicas {r} is more than {MAX_REPLICAS}: each replica holds its own copy of the model in memory"
        ));
    }
    Ok(())
}

/// The name of the config file looked for when `--config` is not given.
pub const DEFAULT_FILE: &str = "tarjuman.toml";

/// The environment variable naming the config file used when `--config` is not given.
pub const CONFIG_VAR: &str = "TARJUMAN_CONFIG";

/// Set by [`Config::ignore_default_files`].
static NO_DEFAULT_CONFIG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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
    /// `[feed] translate`: elements of other namespaces that feeds translate too.
    pub feed_elements: Vec<crate::doc::rss_atom::FeedElement>,
}

/// `[feed]` settings as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeedConfig {
    /// `prefix:name` (a prefix of [`FEED_PREFIXES`]) or `{namespace-uri}name`.
    #[serde(default)]
    translate: Vec<Spanned<String>>,
}

/// The namespace prefixes `[feed] translate` knows, as feeds commonly bind them.
pub const FEED_PREFIXES: [(&str, &str); 8] = [
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("atom", "http://www.w3.org/2005/Atom"),
    ("georss", "http://www.georss.org/georss"),
    ("slash", "http://purl.org/rss/1.0/modules/slash/"),
];

/// Reads one `[feed] translate` entry.
fn feed_element(entry: &str) -> std::result::Result<crate::doc::rss_atom::FeedElement, String> {
    let (ns, name) = if let Some(rest) = entry.strip_prefix('{') {
        let (uri, name) = rest
            .split_once('}')
            .ok_or_else(|| format!("`{entry}`: `{{` without `}}`"))?;
        (uri.to_string(), name)
    } else {
        let (prefix, name) = entry.split_once(':').ok_or_else(|| {
            format!(
                "`{entry}`: give `prefix:name` (e.g. `dc:description`) or `{{namespace-uri}}name`"
            )
        })?;
        let uri = FEED_PREFIXES
            .iter()
            .find(|(p, _)| *p == prefix)
            .map(|(_, u)| u.to_string())
            .ok_or_else(|| {
                format!(
                    "`{entry}`: unknown prefix `{prefix}` (known: {}; or write `{{namespace-uri}}{name}`)",
                    FEED_PREFIXES.map(|(p, _)| p).join(", ")
                )
            })?;
        (uri, name)
    };
    let valid = !ns.trim().is_empty()
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(format!("`{entry}`: not a namespace and element name"));
    }
    Ok(crate::doc::rss_atom::FeedElement {
        ns,
        name: name.to_string(),
    })
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
    /// 1-based line of the route in the config file (for messages; 0 when built in code).
    pub line: usize,
}

/// `[detect]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectConfig {
    /// Candidate languages; default: every language a route takes, plus the target.
    #[serde(default)]
    pub langs: Option<Vec<Lang>>,
}

/// A config error: what is wrong and, where it is known, the line of the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line in the config text.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// A value with where it is in the config text.
type Spanned<T> = toml::Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    backends: BTreeMap<String, Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    #[serde(default)]
    routes: Vec<Spanned<RawRoute>>,
    #[serde(default)]
    detect: DetectConfig,
    #[serde(default)]
    segment: Option<Spanned<SegmentConfig>>,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    models: ModelsConfig,
    #[serde(default)]
    feed: RawFeedConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    from: OneOrMany,
    to: OneOrMany,
    backend: Spanned<String>,
}

/// A language code or a list of them (`from = "de"`, `from = ["de", "ru"]`).
struct OneOrMany(Vec<Lang>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a language code (\"de\") or a list of codes ([\"de\", \"ru\"])")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<OneOrMany, E> {
                Lang::from_code(v)
                    .map(|l| OneOrMany(vec![l]))
                    .map_err(E::custom)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<OneOrMany, A::Error> {
                let mut langs = Vec::new();
                while let Some(code) = seq.next_element::<String>()? {
                    langs.push(Lang::from_code(&code).map_err(serde::de::Error::custom)?);
                }
                if langs.is_empty() {
                    return Err(serde::de::Error::custom("an empty list of languages"));
                }
                Ok(OneOrMany(langs))
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl Config {
    /// Reads and checks a config file. Errors name the file and, where there is one, the line
    /// of the setting at fault.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut cfg = Config::parse(&text, base).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: e.line,
            message: e.message,
        })?;
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// The config file to use when none is given: `$TARJUMAN_CONFIG` when set (an empty value
    /// means none), else `tarjuman.toml` in the working directory, else in the user's config
    /// directory (`~/.config/tarjuman/tarjuman.toml`); `None` if none of them, or after
    /// [`Config::ignore_default_files`] (`--no-config`).
    pub fn default_path() -> Option<PathBuf> {
        if NO_DEFAULT_CONFIG.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        if let Some(named) = std::env::var_os(CONFIG_VAR) {
            // A named file that is missing is the load's error, not a silent fallback.
            return (!named.is_empty()).then(|| PathBuf::from(named));
        }
        let here = PathBuf::from(DEFAULT_FILE);
        if here.is_file() {
            return Some(here);
        }
        let user = dirs::config_dir()?.join("tarjuman").join(DEFAULT_FILE);
        user.is_file().then_some(user)
    }

    /// Makes [`Config::default_path`] find nothing for the rest of the process (`--no-config`):
    /// only a config named on the command line is read.
    pub fn ignore_default_files() {
        NO_DEFAULT_CONFIG.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Parses config text; relative model paths are resolved against `base`. Every setting is
    /// checked here, including the engine options of backends no route may need, so that a bad
    /// value is reported with its line before any work starts.
    pub fn parse(text: &str, base: &Path) -> std::result::Result<Config, ConfigError> {
        let lines = LineIndex::new(text);
        let at = |span: std::ops::Range<usize>, message: String| ConfigError {
            line: Some(lines.line(span.start)),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            line: e.span().map(|s| lines.line(s.start)),
            message: e.message().trim_end().to_string(),
        })?;
        let mut backends = BTreeMap::new();
        for (name, table) in raw.backends {
            let span = table.span();
            let spec = backend_spec(table.into_inner(), base).map_err(|(key, message)| {
                at(
                    key.unwrap_or(span.clone()),
                    format!("backend `{name}`: {message}"),
                )
            })?;
            backends.insert(name, spec);
        }
        let mut routes: Vec<Route> = Vec::new();
        for r in raw.routes {
            let span = r.span();
            let r = r.into_inner();
            let backend = r.backend.get_ref();
            if !backends.contains_key(backend) {
                return Err(at(
                    r.backend.span(),
                    format!(
                        "route names backend `{backend}`, which is not defined under [backends]"
                    ),
                ));
            }
            for &from in &r.from.0 {
                for &to in &r.to.0 {
                    if from == to {
                        continue;
                    }
                    if let Some(dup) = routes.iter().find(|x| x.from == from && x.to == to) {
                        return Err(at(
                            span.clone(),
                            format!(
                                "route {from}→{to} is given twice (backends `{}` and `{backend}`)",
                                dup.backend
                            ),
                        ));
                    }
                    routes.push(Route {
                        from,
                        to,
                        backend: backend.clone(),
                        line: lines.line(span.start),
                    });
                }
            }
        }
        let segment = match raw.segment {
            Some(s) => {
                let span = s.span();
                let segment = s.into_inner();
                segment
                    .validate()
                    .map_err(|e| at(span, format!("[segment.abbreviations]: {e}")))?;
                segment
            }
            None => SegmentConfig::default(),
        };
        let mut feed_elements = Vec::new();
        for entry in raw.feed.translate {
            let element = feed_element(entry.get_ref())
                .map_err(|m| at(entry.span(), format!("[feed] translate: {m}")))?;
            feed_elements.push(element);
        }
        Ok(Config {
            feed_elements,
            path: None,
            backends,
            routes,
            detect: raw.detect,
            segment,
            check: raw.check,
            models: ModelsConfig {
                index: raw.models.index,
                dir: raw.models.dir.map(|d| resolve(base, &d.to_string_lossy())),
            },
        })
    }
}

/// A backend error: the span of the setting at fault (if known) and the message.
type SpecError = (Option<std::ops::Range<usize>>, String);

/// Builds a backend from its table. An option that does not deserialize, or that is invalid on
/// its own, is found key by key, so that the error points at its line.
fn backend_spec(
    mut table: BTreeMap<String, Spanned<toml::Value>>,
    base: &Path,
) -> std::result::Result<BackendSpec, SpecError> {
    let kind = match table.remove("type") {
        Some(v) => match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            _ => return Err((Some(v.span()), "`type` must be a string".into())),
        },
        None => {
            return Err((
                None,
                "missing `type` (\"ct2\", \"apertium\" or \"libretranslate\")".into(),
            ))
        }
    };
    match kind.as_str() {
        "ct2" => {
            let model = match table.remove("model") {
                Some(v) => match v.get_ref() {
                    toml::Value::String(s) => resolve(base, s),
                    _ => {
                        return Err((
                            Some(v.span()),
                            "`model` must be a string (the model directory)".into(),
                        ))
                    }
                },
                None => return Err((None, "missing `model` (the model directory)".into())),
            };
            let options: Ct2Options = options_from(&table)?;
            // Each setting alone on the defaults: the first invalid one is the culprit.
            for (key, value) in &table {
                let one: Ct2Options =
                    options_from(&BTreeMap::from([(key.clone(), value.clone())]))?;
                let limits = check_engine_limits(
                    (key == "threads").then_some(one.threads),
                    (key == "replicas").then_some(one.replicas),
                );
                if let Err(message) = limits {
                    return Err((Some(value.span()), message));
                }
                if let Err(e) = one.validate() {
                    return Err((Some(value.span()), e.to_string()));
                }
            }
            options.validate().map_err(|e| (None, e.to_string()))?;
            Ok(BackendSpec::Ct2 { model, options })
        }
        "apertium" => Ok(BackendSpec::Apertium(options_from(&table)?)),
        "libretranslate" => {
            let url_span = table.get("url").map(|v| v.span());
            let options: LibreTranslateOptions = options_from(&table)?;
            if options.url.trim().is_empty() {
                return Err((url_span, "missing `url` (the LibreTranslate server)".into()));
            }
            Ok(BackendSpec::LibreTranslate(options))
        }
        other => Err((
            None,
            format!(
                "unknown type `{other}` (expected \"ct2\", \"apertium\" or \"libretranslate\")"
            ),
        )),
    }
}

/// Deserializes engine options from a backend's settings; an error names the setting at fault
/// (found by trying the settings one at a time).
fn options_from<T: serde::de::DeserializeOwned>(
    table: &BTreeMap<String, Spanned<toml::Value>>,
) -> std::result::Result<T, SpecError> {
    let plain = |t: &BTreeMap<String, Spanned<toml::Value>>| {
        toml::Value::Table(
            t.iter()
                .map(|(k, v)| (k.clone(), v.get_ref().clone()))
                .collect(),
        )
    };
    plain(table).try_into().map_err(|e: toml::de::Error| {
        let culprit = table.iter().find(|(k, v)| {
            plain(&BTreeMap::from([((*k).clone(), (*v).clone())]))
                .try_into::<T>()
                .is_err()
        });
        let message = e.message().trim_end().to_string();
        match culprit {
            Some((key, v)) if !message.contains(key.as_str()) => {
                (Some(v.span()), format!("`{key}`: {message}"))
            }
            Some((_, v)) => (Some(v.span()), message),
            None => (None, message),
        }
    })
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
    fn errors_are_specific_and_name_the_line() {
        let err = |text: &str| Config::parse(text, Path::new(".")).unwrap_err();
        let e = err("[[routes]]\nfrom=\"de\"\nto=\"en\"\nbackend=\"nope\"\n");
        assert!(e.message.contains("`nope`"), "{e}");
        assert_eq!(e.line, Some(4));
        let e = err("[backends.x]\ntype=\"ct2\"\nmodel=\"m\"\nbeam=3\n");
        assert!(
            e.message.contains("backend `x`") && e.message.contains("beam"),
            "{e}"
        );
        assert_eq!(e.line, Some(4));
        let e = err("[[routes]]\nfrom=\"xx\"\nto=\"en\"\nbackend=\"a\"\n");
        assert!(e.message.contains("unknown language code `xx`"), "{e}");
        assert_eq!(e.line, Some(2));
        let e = err("[[routes]]\nfrom=[\"de\", \"zz\"]\nto=\"en\"\nbackend=\"a\"\n");
        assert!(
            e.message.contains("`zz`") && !e.message.contains("untagged"),
            "{e}"
        );
        let e = err("[backends.x]\ntype=\"moses\"\n");
        assert!(e.message.contains("moses"), "{e}");
        assert_eq!(e.line, Some(1));
        // Engine settings are checked when the config is read, each at its own line.
        for (setting, needle) in [
            ("beam_size = 0", "beam_size must be at least 1"),
            ("compute_type = \"int3\"", "int3"),
            ("threads = 100000", "threads 100000"),
            ("replicas = 1000", "replicas 1000"),
            ("max_batch_size = \"many\"", "`max_batch_size`"),
        ] {
            let e = err(&format!(
                "[backends.x]\ntype = \"ct2\"\nmodel = \"m\"\n\n{setting}\nbatch_type = \"tokens\"\n"
            ));
            assert!(e.message.contains(needle), "{setting}: {e}");
            assert_eq!(e.line, Some(5), "{setting}: {e}");
        }
        let e = err("[segment.abbreviations]\nqq = [\"Abs\"]\n");
        assert!(e.message.contains("qq"), "{e}");
        let e = err("[backends.x\ntype=1\n");
        assert_eq!(e.line, Some(1), "{e}");
    }
}
