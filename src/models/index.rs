//! Argos Translate's package index: a JSON list of package metadata objects (the same file
//! `argospm update` downloads), each with `links` to its `.argosmodel` archive.

use std::path::Path;

use super::{fetch, io_err, ModelsError, PackageMeta};

/// The index Argos Translate's `argospm` reads by default.
pub const DEFAULT_INDEX: &str =
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json";

/// A package index.
#[derive(Debug, Clone)]
pub struct Index {
    /// Where it was read from.
    pub origin: String,
    /// Its packages, in index order.
    pub packages: Vec<PackageMeta>,
}

impl Index {
    /// Parses an index's text. Errors name `origin` and the entry (its position, 1-based)
    /// and line.
    pub fn parse(origin: &str, text: &str) -> Result<Index, ModelsError> {
        let bad = |message: String| ModelsError::Index {
            origin: origin.to_string(),
            message,
        };
        let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| {
            bad(format!(
                "line {}: not an Argos Translate package index (a JSON list of packages): {e}",
                e.line()
            ))
        })?;
        let mut packages = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            let meta: PackageMeta =
                serde_json::from_value(v).map_err(|e| bad(format!("package {}: {e}", i + 1)))?;
            packages.push(meta);
        }
        Ok(Index {
            origin: origin.to_string(),
            packages,
        })
    }

    /// Reads the index at `source`: an http(s) URL or a file.
    pub fn load(source: &str) -> Result<Index, ModelsError> {
        let bytes = if fetch::is_url(source) {
            fetch::get(source)?
        } else {
            std::fs::read(source).map_err(io_err(Path::new(source)))?
        };
        let text = String::from_utf8(bytes).map_err(|e| ModelsError::Index {
            origin: source.to_string(),
            message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        })?;
        Index::parse(source, &text)
    }

    /// The translation package called `name` (its `argospm` name such as `translate-de_en`,
    /// its `code`, or `FROM_TO`/`FROM-TO`); the newest version when the index lists several.
    pub fn find(&self, name: &str) -> Option<&PackageMeta> {
        let mut best: Option<&PackageMeta> = None;
        for p in &self.packages {
            let pair = match (&p.from_code, &p.to_code) {
                (Some(f), Some(t)) => vec![format!("{f}_{t}"), format!("{f}-{t}")],
                _ => Vec::new(),
            };
            let hit = p.argospm_name() == name
                || p.code.as_deref() == Some(name)
                || (p.kind() == "translate" && pair.iter().any(|x| x == name));
            if hit && best.is_none_or(|b| b.older_than(&p.package_version)) {
                best = Some(p);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_newest_by_any_name_and_names_bad_entries() {
        let text = r#"[
  {"package_version": "1.0", "from_code": "de", "to_code": "en", "links": ["a"]},
  {"package_version": "1.10", "from_code": "de", "to_code": "en", "links": ["b"]},
  {"package_version": "1.9", "from_code": "de", "to_code": "en", "links": ["c"]},
  {"type": "sbd", "package_version": "1.0", "from_code": "de", "code": "sbd-de"}
]"#;
        let index = Index::parse("i.json", text).unwrap();
        for name in ["translate-de_en", "de_en", "de-en"] {
            assert_eq!(
                index.find(name).unwrap().links,
                vec!["b".to_string()],
                "{name}"
            );
        }
        assert_eq!(index.find("sbd-de").unwrap().kind(), "sbd");
        assert!(index.find("translate-en_de").is_none());
        let e = Index::parse("i.json", "[{\"links\": 3}]").unwrap_err();
        assert!(e.to_string().contains("i.json: package 1"), "{e}");
        let e = Index::parse("i.json", "{\n\"x\": 1}").unwrap_err();
        assert!(e.to_string().contains("line"), "{e}");
    }

    #[test]
    fn versions_compare_as_numbers() {
        let m = PackageMeta {
            package_version: "1.9".into(),
            ..Default::default()
        };
        assert!(m.older_than("1.10"));
        assert!(m.older_than("2"));
        assert!(!m.older_than("1.9"));
        assert!(!m.older_than("1.2.3"));
    }
}
