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
    ///
    /// Earlier entries are found through an index of their spellings, so stacking costs time in
    /// proportion to the spellings, not to the product of the two glossaries' sizes.
    pub fn stack(&mut self, mut entries: Vec<Entry>) {
        let mut earlier: Vec<Option<Entry>> = std::mem::take(&mut self.entries)
            .into_iter()
            .map(Some)
            .collect();
        let mut by_source: rustc_hash::FxHashMap<(Lang, Lang, String), Vec<usize>> =
            rustc_hash::FxHashMap::default();
        for (i, e) in earlier.iter().enumerate() {
            if let Some(e) = e {
                for s in &e.sources {
                    by_source.entry(source_key(e, s)).or_default().push(i);
                }
            }
        }
        for new in &mut entries {
            let mut taken: Vec<usize> = new
                .sources
                .iter()
                .filter_map(|s| by_source.get(&source_key(new, s)))
                .flatten()
                .copied()
                .filter(|&i| earlier[i].is_some())
                .collect();
            if taken.is_empty() {
                continue;
            }
            taken.sort_unstable();
            taken.dedup();
            let mut spellings: std::collections::HashSet<String> =
                new.sources.iter().map(|s| s.to_lowercase()).collect();
            let mut wrong: std::collections::HashSet<String> =
                new.variants.iter().cloned().collect();
            for i in taken {
                let Some(old) = earlier[i].take() else {
                    continue;
                };
                for s in old.sources {
                    if spellings.insert(s.to_lowercase()) {
                        new.sources.push(s);
                    }
                }
                for v in old.variants.into_iter().chain(std::iter::once(old.target)) {
                    if v != new.target && wrong.insert(v.clone()) {
                        new.variants.push(v);
                    }
                }
            }
        }
        let mut stacked: Vec<Entry> = earlier.into_iter().flatten().collect();
        stacked.extend(entries);
        self.entries = stacked;
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
        let mut counts: HashMap<(Lang, Lang), usize> = HashMap::new();
        for e in &self.entries {
            *counts.entry((e.src_lang, e.tgt_lang)).or_default() += 1;
        }
        let mut pairs: Vec<(String, usize)> = counts
            .into_iter()
            .map(|((a, b), n)| (format!("{a}→{b}"), n))
            .collect();
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
    /// The fingerprint, computed on first use.
    fingerprint: std::sync::OnceLock<String>,
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
            fingerprint: std::sync::OnceLock::new(),
        })
    }

    /// A fingerprint of the entries (sources, rendering, wrong forms, case rule), for keys of
    /// cached translations: the same glossary content gives the same fingerprint, whatever the
    /// files it came from. FNV-1a, 64 bits, in hex. Computed once per compiled glossary (the
    /// pipeline asks for it with every batch).
    pub fn fingerprint(&self) -> String {
        self.fingerprint
            .get_or_init(|| self.compute_fingerprint())
            .clone()
    }

    fn compute_fingerprint(&self) -> String {
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
        let head = format!("{}→{}", self.from, self.to);
        let parts = std::iter::once(head.as_str()).chain(rows.iter().map(String::as_str));
        for (i, part) in parts.enumerate() {
            let sep: &[u8] = if i == 0 { b"" } else { "\u{1e}".as_bytes() };
            for &byte in sep.iter().chain(part.as_bytes()) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
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
