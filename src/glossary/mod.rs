//! Glossary stage: one rendering for every name, enforced before and after machine translation.
//!
//! A [`Glossary`] is a stack of glossary files (TSV, CSV or TBX). For one language pair it is
//! compiled into a [`PairGlossary`], which
//!
//! - finds source terms (with inflected forms) and replaces them by placeholders before MT
//!   ([`protect`]), and puts the rendering back after MT ([`protect::restore`]);
//! - replaces known wrong target forms by the rendering and reports source terms whose
//!   rendering is missing from the translation ([`enforce`]);
//! - collects what happened per document ([`report`]).

pub mod check;
pub mod enforce;
pub mod load;
pub mod matcher;
pub mod protect;
pub mod report;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::lang::Lang;
use matcher::{Form, Matcher};

/// Whether a term matches only in the case it is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CaseRule {
    /// Only the spelling as written (default).
    #[default]
    Sensitive,
    /// Also all-lowercase, all-uppercase and capitalised spellings.
    Insensitive,
}

/// One glossary entry: source spellings in one language and their one rendering in another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Source language.
    pub src_lang: Lang,
    /// Target language.
    pub tgt_lang: Lang,
    /// Source spellings (at least one).
    pub sources: Vec<String>,
    /// The rendering in the target language.
    pub target: String,
    /// Known wrong target forms, replaced by the rendering.
    pub variants: Vec<String>,
    /// Case rule for matching sources and variants.
    pub case: CaseRule,
    /// Free-text note.
    pub note: String,
    /// File the entry came from.
    pub origin: String,
    /// 1-based line of the entry in that file.
    pub line: usize,
}

/// Counts describing a loaded glossary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Entries after stacking.
    pub entries: usize,
    /// Source spellings.
    pub sources: usize,
    /// Known wrong variants.
    pub variants: usize,
    /// Entries per language pair, as `de→en`.
    pub pairs: Vec<(String, usize)>,
}

/// Compiled glossaries by language pair (`None`: no entry for the pair).
type PairCache = HashMap<(Lang, Lang), Option<Arc<PairGlossary>>>;

/// A stack of glossary files; later files override earlier ones source by source.
#[derive(Debug, Default)]
pub struct Glossary {
    entries: Vec<Entry>,
    compiled: Mutex<PairCache>,
}

impl Clone for Glossary {
    fn clone(&self) -> Self {
        Glossary::from_entries(self.entries.clone())
    }
}

/// The key a source spelling is told apart by: pair plus the lowercased spelling.
fn source_key(e: &Entry, s: &str) -> (Lang, Lang, String) {
    (e.src_lang, e.tgt_lang, s.to_lowercase())
}

impl Glossary {
    /// A glossary made of `entries` (assumed valid, e.g. from [`load::load_file`]).
    pub fn from_entries(entries: Vec<Entry>) -> Self {
        Glossary {
            entries,
            compiled: Mutex::new(HashMap::new()),
        }
    }

    /// Loads and stacks glossary files in order: an entry of a later file replaces the
    /// spellings it shares with earlier files.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Self> {
        let mut g = Glossary::default();
        for p in paths {
            g.stack(load::load_file(p.as_ref())?);
        }
        // Compile every pair now, so that a glossary too large to compile fails at load.
        let mut pairs: Vec<(Lang, Lang)> =
            g.entries.iter().map(|e| (e.src_lang, e.tgt_lang)).collect();
        pairs.sort_by_key(|(a, b)| (a.code(), b.code()));
        pairs.dedup();
        for (a, b) in pairs {
            g.for_pair(a, b)?;
        }
        Ok(g)
    }

    /// Puts `entries` on top of the glossary. A later entry that shares a source spelling with
    /// an earlier one takes that name over: the earlier entry's other spellings are rendered the
    /// later way too, and its rendering and wrong forms become wrong forms of the later one.
    pub fn stack(&mut self, mut entries: Vec<Entry>) {
        let mut earlier = std::mem::take(&mut self.entries);
        for new in &mut entries {
            let keys: std::collections::HashSet<_> =
                new.sources.iter().map(|s| source_key(new, s)).collect();
            let (taken, kept): (Vec<Entry>, Vec<Entry>) = earlier
                .into_iter()
                .partition(|e| e.sources.iter().any(|s| keys.contains(&source_key(e, s))));
            earlier = kept;
            for old in taken {
                for s in old.sources {
                    if !new
                        .sources
                        .iter()
                        .any(|x| x.to_lowercase() == s.to_lowercase())
                    {
                        new.sources.push(s);
                    }
                }
                for v in old.variants.into_iter().chain(std::iter::once(old.target)) {
                    if v != new.target && !new.variants.contains(&v) {
                        new.variants.push(v);
                    }
                }
            }
        }
        earlier.extend(entries);
        self.entries = earlier;
        if let Ok(mut c) = self.compiled.lock() {
            c.clear();
        }
    }

    /// The entries, in stacking order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Counts of entries, spellings and variants.
    pub fn stats(&self) -> Stats {
        let mut pairs: Vec<(String, usize)> = Vec::new();
        for e in &self.entries {
            let key = format!("{}→{}", e.src_lang, e.tgt_lang);
            match pairs.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => pairs.push((key, 1)),
            }
        }
        pairs.sort();
        Stats {
            entries: self.entries.len(),
            sources: self.entries.iter().map(|e| e.sources.len()).sum(),
            variants: self.entries.iter().map(|e| e.variants.len()).sum(),
            pairs,
        }
    }

    /// The compiled glossary for `from → to`, or `None` when no entry is for that pair.
    /// Compiled once per pair and shared.
    pub fn for_pair(&self, from: Lang, to: Lang) -> Result<Option<Arc<PairGlossary>>> {
        let build = || -> Result<Option<Arc<PairGlossary>>> {
            let entries: Vec<Entry> = self
                .entries
                .iter()
                .filter(|e| e.src_lang == from && e.tgt_lang == to)
                .cloned()
                .collect();
            if entries.is_empty() {
                return Ok(None);
            }
            Ok(Some(Arc::new(PairGlossary::new(from, to, entries)?)))
        };
        let Ok(mut cache) = self.compiled.lock() else {
            return build();
        };
        if let Some(c) = cache.get(&(from, to)) {
            return Ok(c.clone());
        }
        let built = build()?;
        cache.insert((from, to), built.clone());
        Ok(built)
    }

    /// The compiled glossaries for every pair whose target is `to` (for checking translations
    /// made elsewhere, whatever language they came from).
    pub fn for_target(&self, to: Lang) -> Result<Vec<Arc<PairGlossary>>> {
        let mut froms: Vec<Lang> = self
            .entries
            .iter()
            .filter(|e| e.tgt_lang == to)
            .map(|e| e.src_lang)
            .collect();
        froms.sort_by_key(|l| l.code());
        froms.dedup();
        let mut out = Vec::new();
        for f in froms {
            out.extend(self.for_pair(f, to)?);
        }
        Ok(out)
    }
}

/// A glossary compiled for one language pair: matchers for source spellings, wrong target
/// forms and renderings.
#[derive(Debug)]
pub struct PairGlossary {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
    /// The entries for this pair; matcher hits index into this.
    pub entries: Vec<Entry>,
    sources: Matcher,
    /// Renderings and wrong forms together, so that a translation is scanned once.
    targets: Matcher,
}

impl PairGlossary {
    /// Compiles `entries` (all for `from → to`).
    pub fn new(from: Lang, to: Lang, entries: Vec<Entry>) -> Result<Self> {
        let mut src = Vec::new();
        let mut tgt = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for s in &e.sources {
                src.push(Form::new(i, s, e.case));
            }
            // Wrong forms in a translation: the listed variants, and the source spellings
            // copied through untranslated, unless one of them is the rendering itself.
            tgt.push(Form::new(i, &e.target, e.case));
        }
        // Renderings come first: a spelling that is one entry's rendering is never taken for
        // another entry's wrong form.
        for (i, e) in entries.iter().enumerate() {
            for v in e.variants.iter().chain(&e.sources) {
                if v != &e.target {
                    tgt.push(Form::wrong(i, v, e.case));
                }
            }
        }
        let build = |forms, lang| {
            Matcher::new(forms, lang).map_err(|e| {
                Error::Usage(format!("glossary {from}→{to} is too large to compile: {e}"))
            })
        };
        Ok(PairGlossary {
            from,
            to,
            sources: build(src, from)?,
            targets: build(tgt, to)?,
            entries,
        })
    }

    /// A fingerprint of the entries (sources, rendering, wrong forms, case rule), for keys of
    /// cached translations: the same glossary content gives the same fingerprint, whatever the
    /// files it came from. FNV-1a, 64 bits, in hex.
    pub fn fingerprint(&self) -> String {
        let mut rows: Vec<String> = self
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{:?}",
                    e.sources.join("|"),
                    e.target,
                    e.variants.join("|"),
                    e.case
                )
            })
            .collect();
        rows.sort();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in format!("{}→{}\u{1e}{}", self.from, self.to, rows.join("\u{1e}")).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// Source-term hits in `text` (source language), leftmost-longest, non-overlapping.
    pub fn find_sources(&self, text: &str) -> Vec<matcher::Hit> {
        self.sources.find(text)
    }

    /// Renderings and known wrong forms in `text` (target language), in one pass; a hit's
    /// `wrong` tells which.
    pub fn find_targets(&self, text: &str) -> Vec<matcher::Hit> {
        self.targets.find(text)
    }

    /// Known wrong target forms in `text`.
    pub fn find_variants(&self, text: &str) -> Vec<matcher::Hit> {
        self.targets
            .find(text)
            .into_iter()
            .filter(|h| h.wrong)
            .collect()
    }

    /// Renderings in `text`.
    pub fn find_renderings(&self, text: &str) -> Vec<matcher::Hit> {
        self.targets
            .find(text)
            .into_iter()
            .filter(|h| !h.wrong)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n";

    #[test]
    fn later_entries_take_names_over() {
        let base = load::parse_delimited(
            "base.tsv",
            &format!("{HEAD}de\ten\tSelenskyj|Selenski\tZelensky\tZelenskiy\t\t\nde\ten\tKiew\tKyiv\tKiev\t\t\n"),
            '\t',
        )
        .expect("valid");
        let house = load::parse_delimited(
            "house.tsv",
            &format!("{HEAD}de\ten\tselenskyj\tZelenskyy\t\t\t\n"),
            '\t',
        )
        .expect("valid");
        let mut g = Glossary::from_entries(base);
        g.stack(house);
        assert_eq!(g.entries().len(), 2);
        let z = g
            .entries()
            .iter()
            .find(|e| e.target == "Zelenskyy")
            .expect("house entry");
        assert_eq!(z.sources, ["selenskyj", "Selenski"]);
        assert_eq!(z.variants, ["Zelenskiy", "Zelensky"]);
        assert_eq!(z.origin, "house.tsv");
        let stats = g.stats();
        assert_eq!((stats.entries, stats.sources, stats.variants), (2, 3, 3));
    }
}
