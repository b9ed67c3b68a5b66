//! A compiled Hunspell lexicon: the spell check's "is this word spelled right?".
//!
//! A Hunspell dictionary (`.aff` rules, `.dic` stems) is expanded once into every word form
//! it accepts ([`build`]), each with what the check needs to know of it — whether it stands
//! alone as a word, may begin, continue or end a compound, is forbidden, keeps its case,
//! carries `COMPOUNDRULE` flags — and stored in a string table with an open-addressing hash
//! index ([`table`]). That table is kept in the user's cache directory ([`cache`]), so a run
//! reads it instead of expanding again. A check is then Hunspell's case handling
//! (as written; title case → lower case; all capitals → title case and lower case; `KEEPCASE`;
//! German `SS` → `ß` with `CHECKSHARPS`), `BREAK` splitting, and a compound search with one
//! hash probe per part: no affix is stripped at check time.
//!
//! The verdicts are those of spellbook (a Rust port of Nuspell), against which the module is
//! tested on real words of nine dictionaries (`tests/hunspell_agreement.rs`). A dictionary
//! that uses a directive the lexicon does not model ([`LexiconError::Unsupported`]) is left
//! to the caller's fallback.

mod aff;
mod build;
pub mod cache;
mod table;

use std::path::{Path, PathBuf};

use aff::{Aff, Options, Repeat};
use table::{Props, Table};

pub(crate) use aff::read_text;
pub use cache::CacheStatus;

/// Errors reading a dictionary into a lexicon.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A dictionary file could not be read.
    #[error("{}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A line of a dictionary file is malformed.
    #[error("{}:{line}: {message}", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The dictionary expands to more word forms than [`FORM_LIMIT`] (Russian, French,
    /// Brazilian Portuguese):
    /// its table would be larger and slower to read than the dictionary is to load.
    #[error("{}: more than {limit} word forms", .path.display())]
    TooLarge {
        /// The `.dic` file.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// The `.aff` file uses a directive whose effect the lexicon does not model.
    #[error("{}: {directive} is not supported by the compiled lexicon", .path.display())]
    Unsupported {
        /// The `.aff` file.
        path: PathBuf,
        /// The directive.
        directive: String,
    },
}

/// The most word forms a compiled lexicon holds (about 45 MB of table, read in about as
/// long as spellbook takes to load such a dictionary): en_US, en_GB, de_* and es_ES expand
/// to 0.17–0.71 million forms; ru_RU (1.44 million, an 82 MB table), fr_FR (3.0) and pt_BR
/// (10.5) stay with spellbook.
pub const FORM_LIMIT: usize = 1_000_000;

/// The fewest stems a dictionary has for its size to be estimated before it is expanded
/// (a smaller one is expanded up to the limit at once).
const ESTIMATE_MIN_STEMS: usize = 20_000;

/// The estimate of a dictionary's forms must exceed the limit by a `1 / ESTIMATE_MARGIN`
/// part of it for the expansion to be skipped. Estimates of the installed dictionaries
/// (actual forms in brackets): en_US 0.169 M (0.17), de_DE 0.45 M (0.71: compounds), es_ES
/// 0.74 M, pt_PT 1.20 M, ru_RU 1.46 M (1.44), fr_FR 3.35 M (3.0). A wrong refusal would
/// cost speed only: spellbook gives the same verdicts.
const ESTIMATE_MARGIN: usize = 10;

/// The longest word checked (longer ones are wrong), as in Hunspell.
const MAX_WORD_LEN: usize = 360;

/// A compiled dictionary, ready to check words.
#[derive(Debug)]
pub struct Lexicon {
    opts: Options,
    table: Table,
}

/// A word's letter case, as the check tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Casing {
    /// No capital.
    Lower,
    /// The first letter capital, the rest not.
    Init,
    /// All capitals.
    All,
    /// Capitals inside, the first letter small (`iPhone`).
    Mixed,
    /// Capitals inside, the first letter capital (`McDonald`).
    MixedInit,
}

impl Casing {
    pub(crate) fn of(w: &str) -> Casing {
        let (mut upper, mut lower) = (0, 0);
        for c in w.chars() {
            upper += usize::from(c.is_uppercase());
            lower += usize::from(c.is_lowercase());
        }
        if upper == 0 {
            return Casing::Lower;
        }
        let first = w.chars().next().is_some_and(char::is_uppercase);
        if first && upper == 1 {
            Casing::Init
        } else if lower == 0 {
            Casing::All
        } else if first {
            Casing::MixedInit
        } else {
            Casing::Mixed
        }
    }
}

/// `w` with its first letter capital and the rest small.
pub(crate) fn titlecase(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut cs = w.chars();
    if let Some(c) = cs.next() {
        out.extend(c.to_uppercase());
    }
    for c in cs {
        out.extend(c.to_lowercase());
    }
    out
}

/// What a successful lookup says of the word found: its stem's FORBIDDENWORD and KEEPCASE.
#[derive(Debug, Clone, Copy)]
struct Found {
    forbidden: bool,
    keep: bool,
}

/// Which whole-word answer a lookup takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hidden {
    Accept,
    Skip,
}

/// A compound position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Begin,
    Middle,
}

impl Lexicon {
    /// Reads and expands a dictionary in memory (no cache), up to [`FORM_LIMIT`] forms.
    pub fn build(dic: &Path) -> Result<Lexicon, LexiconError> {
        Lexicon::build_limited(dic, FORM_LIMIT)
    }

    /// [`Lexicon::build`] up to `limit` forms.
    pub fn build_limited(dic: &Path, limit: usize) -> Result<Lexicon, LexiconError> {
        let aff_path = dic.with_extension("aff");
        let aff_text = aff::read_text(&aff_path)?;
        let aff = Aff::parse(&aff_text, &aff_path, true)?;
        let dic_text = aff::read_text(dic)?;
        let stems = aff::parse_dic(&aff, &dic_text, dic)?;
        // A large dictionary whose sample expands to more forms than the limit (by a
        // margin) is refused before the expansion, which would stop at the limit only
        // after most of a second.
        if stems.len() >= ESTIMATE_MIN_STEMS {
            let estimate = build::estimate(&aff, &stems);
            tracing::debug!("{}: about {estimate} forms", dic.display());
            if estimate > limit.saturating_add(limit / ESTIMATE_MARGIN) {
                return Err(LexiconError::TooLarge {
                    path: dic.to_path_buf(),
                    limit,
                });
            }
        }
        let table = build::build(&aff, &stems, limit).ok_or_else(|| LexiconError::TooLarge {
            path: dic.to_path_buf(),
            limit,
        })?;
        Ok(Lexicon {
            opts: aff.opts,
            table,
        })
    }

    /// Reads only the options of the `.aff` beside `dic` (for a table from the cache).
    fn options(dic: &Path) -> Result<Options, LexiconError> {
        let aff_path = dic.with_extension("aff");
        let aff_text = aff::read_text(&aff_path)?;
        Ok(Aff::parse(&aff_text, &aff_path, false)?.opts)
    }

    /// Loads the dictionary `dic` (and the `.aff` beside it) through the cache in the user's
    /// cache directory: the compiled table is read from there when it is present, intact and
    /// made from these very files; otherwise it is built and written there for the next run.
    /// A cache that cannot be read or written only costs the build.
    pub fn load(dic: &Path) -> Result<(Lexicon, CacheStatus), LexiconError> {
        Lexicon::load_in(dic, cache::default_dir().as_deref())
    }

    /// [`Lexicon::load`] with the cache in `dir` (`None`: no cache).
    pub fn load_in(dic: &Path, dir: Option<&Path>) -> Result<(Lexicon, CacheStatus), LexiconError> {
        Lexicon::load_limited(dic, dir, FORM_LIMIT)
    }

    /// [`Lexicon::load_in`] up to `limit` forms.
    fn load_limited(
        dic: &Path,
        dir: Option<&Path>,
        limit: usize,
    ) -> Result<(Lexicon, CacheStatus), LexiconError> {
        let aff_path = dic.with_extension("aff");
        let Some(dir) = dir else {
            return Ok((Lexicon::build_limited(dic, limit)?, CacheStatus::Disabled));
        };
        let key = cache::Key::of(&aff_path, dic);
        let file = key.as_ref().map(|k| k.file_in(dir, dic, "lex"));
        let mut status = CacheStatus::Missing;
        if let (Some(k), Some(f)) = (&key, &file) {
            match cache::read(f, cache::LEXICON, k) {
                Ok(cache::Cached::Body(body, [entries, slots])) => {
                    let table = usize::try_from(entries)
                        .ok()
                        .zip(usize::try_from(slots).ok())
                        .and_then(|(e, s)| Table::from_parts(body, e, s));
                    match table {
                        Some(table) => {
                            let opts = Lexicon::options(dic)?;
                            return Ok((Lexicon { opts, table }, CacheStatus::Hit));
                        }
                        None => {
                            tracing::debug!("{}: cache ignored: sizes", f.display());
                            status = CacheStatus::Invalid;
                        }
                    }
                }
                // (Known from an earlier run to be too large.)
                Ok(cache::Cached::TooLarge) => {
                    return Err(LexiconError::TooLarge {
                        path: dic.to_path_buf(),
                        limit,
                    })
                }
                Err(s) => status = s,
            }
        }
        let lex = match Lexicon::build_limited(dic, limit) {
            Err(e @ LexiconError::TooLarge { .. }) => {
                if let (Some(k), Some(f)) = (&key, &file) {
                    if let Err(err) = cache::write_too_large(dir, f, k) {
                        tracing::debug!("{}: cache not written: {err}", f.display());
                    }
                }
                return Err(e);
            }
            r => r?,
        };
        if let (Some(k), Some(f)) = (&key, &file) {
            let t = &lex.table;
            let sizes = [t.entries as u64, t.slots as u64];
            status = match cache::write(dir, f, cache::LEXICON, k, sizes, &t.bytes) {
                Ok(()) => status,
                Err(e) => {
                    tracing::debug!("{}: cache not written: {e}", f.display());
                    CacheStatus::Unwritable
                }
            };
        }
        Ok((lex, status))
    }

    /// Whether `word` is spelled right.
    pub fn check(&self, word: &str) -> bool {
        if word.len() > MAX_WORD_LEN {
            return false;
        }
        let word = self.convert(word);
        if word.is_empty() {
            return true;
        }
        let trimmed = word.trim_end_matches('.');
        let abbreviated = trimmed.len() != word.len();
        if is_number(trimmed) {
            return true;
        }
        let trimmed: String = if self.opts.ignore.is_empty() {
            trimmed.to_string()
        } else {
            trimmed
                .chars()
                .filter(|c| !self.opts.ignore.contains(c))
                .collect()
        };
        if self.spell_break(&trimmed, 0) {
            return true;
        }
        abbreviated && self.spell_break(&word, 0)
    }

    /// The number of word forms in the table.
    pub fn forms(&self) -> usize {
        self.table.entries
    }

    /// `ICONV` applied to `w` (longest pattern at each place).
    fn convert<'w>(&self, w: &'w str) -> std::borrow::Cow<'w, str> {
        if self.opts.iconv.is_empty()
            || !self.opts.iconv.iter().any(|(a, _)| w.contains(a.as_str()))
        {
            return std::borrow::Cow::Borrowed(w);
        }
        let mut out = String::with_capacity(w.len());
        let mut i = 0;
        while i < w.len() {
            let rest = &w[i..];
            let best = self
                .opts
                .iconv
                .iter()
                .filter(|(a, _)| !a.is_empty() && rest.starts_with(a.as_str()))
                .max_by_key(|(a, _)| a.len());
            match best {
                Some((a, b)) => {
                    out.push_str(b);
                    i += a.len();
                }
                None => {
                    let c = rest.chars().next().unwrap_or_default();
                    out.push(c);
                    i += c.len_utf8().max(1);
                }
            }
        }
        std::borrow::Cow::Owned(out)
    }

    fn spell_break(&self, w: &str, depth: usize) -> bool {
        if let Some(f) = self.spell_casing(w) {
            return !f.forbidden;
        }
        if depth == 9 {
            return false;
        }
        let breaks = &self.opts.breaks;
        for b in breaks.iter().filter_map(|b| b.strip_prefix('^')) {
            if let Some(rest) = w.strip_prefix(b) {
                if self.spell_break(rest, depth + 1) {
                    return true;
                }
            }
        }
        for b in breaks
            .iter()
            .filter(|b| !b.starts_with('^'))
            .filter_map(|b| b.strip_suffix('$'))
        {
            if let Some(rest) = w.strip_suffix(b) {
                if self.spell_break(rest, depth + 1) {
                    return true;
                }
            }
        }
        for b in breaks
            .iter()
            .filter(|b| !b.starts_with('^') && !b.ends_with('$'))
        {
            if let Some((a, z)) = w.split_once(b.as_str()) {
                if z.is_empty() || !self.spell_break(a, depth + 1) {
                    continue;
                }
                if self.spell_break(z, depth + 1) {
                    return true;
                }
            }
        }
        false
    }

    fn spell_casing(&self, w: &str) -> Option<Found> {
        match Casing::of(w) {
            Casing::Lower | Casing::Mixed | Casing::MixedInit => self.check_word(w, Hidden::Accept),
            Casing::All => self.spell_upper(w),
            Casing::Init => self.spell_title(w),
        }
    }

    fn spell_upper(&self, w: &str) -> Option<Found> {
        if let Some(f) = self.check_word(w, Hidden::Accept) {
            return Some(f);
        }
        // An elided article before a name (`SANT'ELIA` → `Sant'Elia`, `sant'Elia`).
        if let Some(idx) = w.find('\'').filter(|&i| i != w.len() - 1) {
            let (a, z) = w.split_at(idx + 1);
            let z = titlecase(z);
            for a in [a.to_lowercase(), titlecase(a)] {
                if let Some(f) = self.check_word(&format!("{a}{z}"), Hidden::Accept) {
                    return Some(f);
                }
            }
        }
        if self.opts.check_sharps && w.contains("SS") {
            for v in [w.to_lowercase(), titlecase(w)] {
                if let Some(f) = self.spell_sharps(&mut v.into_bytes(), 0, 0, 0) {
                    return Some(f);
                }
            }
        }
        if let Some(f) = self
            .check_word(&titlecase(w), Hidden::Accept)
            .filter(|f| !f.keep)
        {
            return Some(f);
        }
        self.check_word(&w.to_lowercase(), Hidden::Accept)
            .filter(|f| !f.keep)
    }

    /// Tries `ß` for each `ss` from `pos` on (at most five), checking the variants that have
    /// at least one.
    fn spell_sharps(
        &self,
        w: &mut Vec<u8>,
        pos: usize,
        depth: usize,
        repl: usize,
    ) -> Option<Found> {
        let found = (depth < 5)
            .then(|| memchr::memmem::find(&w[pos..], b"ss").map(|i| i + pos))
            .flatten();
        if let Some(i) = found {
            w[i..i + 2].copy_from_slice("ß".as_bytes());
            if let Some(f) = self.spell_sharps(w, i + 2, depth + 1, repl + 1) {
                return Some(f);
            }
            w[i..i + 2].copy_from_slice(b"ss");
            return self.spell_sharps(w, i + 2, depth + 1, repl);
        }
        if repl > 0 {
            // (Both `ss` and `ß` are two bytes: the text stays UTF-8.)
            let s = std::str::from_utf8(w).ok()?;
            return self.check_word(s, Hidden::Accept);
        }
        None
    }

    fn spell_title(&self, w: &str) -> Option<Found> {
        if let Some(f) = self.check_word(w, Hidden::Skip) {
            return Some(f);
        }
        let lower = w.to_lowercase();
        let f = self.check_word(&lower, Hidden::Accept)?;
        // With CHECKSHARPS, a KEEPCASE word with `ß` may be capitalised.
        if f.keep && !(self.opts.check_sharps && lower.contains('ß')) {
            return None;
        }
        Some(f)
    }

    fn check_word(&self, w: &str, hidden: Hidden) -> Option<Found> {
        let p = self.table.get(w);
        if let Some(p) = p {
            let (found, forbid, keep) = match hidden {
                Hidden::Skip => (Props::VIS, Props::VIS_FORBID, Props::VIS_KEEP),
                Hidden::Accept => (Props::ANY, Props::ANY_FORBID, Props::ANY_KEEP),
            };
            if p.has(found) {
                return Some(Found {
                    forbidden: p.has(forbid),
                    keep: p.has(keep),
                });
            }
        }
        self.compound(w)
    }

    fn compound(&self, w: &str) -> Option<Found> {
        if self.opts.compounding() {
            if let Some(f) = self.compound_at(w, 0, Part::Begin) {
                return Some(f);
            }
        }
        if !self.opts.rules.is_empty() {
            return self.compound_rules(w, &mut Vec::new(), 0);
        }
        None
    }

    /// The split points after `start`: parts of at least `COMPOUNDMIN` characters.
    fn splits(&self, w: &str, start: usize) -> Vec<usize> {
        let min = self.opts.compound_min;
        let bounds: Vec<usize> = w[start..]
            .char_indices()
            .map(|(i, _)| i + start)
            .chain(std::iter::once(w.len()))
            .collect();
        // bounds[k]: the byte after k characters of the rest.
        let chars = bounds.len() - 1;
        if chars < 2 * min {
            return Vec::new();
        }
        bounds[min..=chars - min].to_vec()
    }

    fn compound_at(&self, w: &str, start: usize, part: Part) -> Option<Found> {
        for i in self.splits(w, start) {
            let Some(p1) = self.table.get(&w[start..i]) else {
                continue;
            };
            let bit = match part {
                Part::Begin => Props::BEGIN,
                Part::Middle => Props::MIDDLE,
            };
            if !p1.has(bit) {
                continue;
            }
            if self.opts.check_triple && three_equal(w, i) {
                continue;
            }
            if self.opts.check_case && case_at_boundary(w, i) {
                continue;
            }
            let found = Found {
                forbidden: false,
                keep: part == Part::Begin && p1.has(Props::BEGIN_KEEP),
            };
            if self.table.get(&w[i..]).is_some_and(|p2| p2.has(Props::END)) {
                return Some(found);
            }
            if self.compound_at(w, i, Part::Middle).is_some() {
                return Some(found);
            }
        }
        None
    }

    fn compound_rules(&self, w: &str, parts: &mut Vec<u32>, start: usize) -> Option<Found> {
        for i in self.splits(w, start) {
            let Some(p1) = self.table.get(&w[start..i]).filter(|p| p.has(Props::RULE)) else {
                continue;
            };
            parts.push(p1.rules);
            let direct = match self.table.get(&w[i..]).filter(|p| p.has(Props::RULE)) {
                Some(p2) => {
                    parts.push(p2.rules);
                    let ok = self.opts.rules.iter().any(|r| rule_matches(r, parts));
                    parts.pop();
                    ok
                }
                None => false,
            };
            let found = Found {
                forbidden: p1.has(Props::RULE_FORBID),
                keep: p1.has(Props::RULE_KEEP),
            };
            if direct {
                parts.pop();
                return Some(found);
            }
            let deeper = self.compound_rules(w, parts, i);
            parts.pop();
            if deeper.is_some() {
                return Some(found);
            }
        }
        None
    }
}

/// Whether the parts (rule-flag masks) match a `COMPOUNDRULE`, searched as spellbook does
/// (the first path to reach the end of the rule decides).
fn rule_matches(rule: &[(u8, Repeat)], parts: &[u32]) -> bool {
    let mut stack = vec![(0usize, 0usize)];
    while let Some((r, d)) = stack.pop() {
        if r == rule.len() {
            return d == parts.len();
        }
        let (flag, rep) = rule[r];
        let hit = parts.get(d).is_some_and(|m| m & (1 << flag) != 0);
        match rep {
            Repeat::Optional => {
                stack.push((r + 1, d));
                if hit {
                    stack.push((r + 1, d + 1));
                }
            }
            Repeat::Any => {
                stack.push((r + 1, d));
                if hit {
                    stack.push((r, d + 1));
                }
            }
            Repeat::One => {
                if hit {
                    stack.push((r + 1, d + 1));
                }
            }
        }
    }
    false
}

/// A number: digits with single `.`, `,` or `-` between them, an optional leading `-`.
fn is_number(w: &str) -> bool {
    let w = w.strip_prefix('-').unwrap_or(w);
    if w.is_empty() {
        return false;
    }
    let mut separated = true;
    for c in w.chars() {
        match c {
            '0'..='9' => separated = false,
            '.' | '-' | ',' if !separated => separated = true,
            _ => return false,
        }
    }
    !separated
}

/// Three equal letters around byte `i` (CHECKCOMPOUNDTRIPLE).
fn three_equal(w: &str, i: usize) -> bool {
    let mut ahead = w[i..].chars();
    let mut behind = w[..i].chars().rev();
    let (Some(c), Some(p)) = (ahead.next(), behind.next()) else {
        return false;
    };
    p == c && (ahead.next() == Some(c) || behind.next() == Some(c))
}

/// A capital on either side of byte `i` next to a letter (CHECKCOMPOUNDCASE).
fn case_at_boundary(w: &str, i: usize) -> bool {
    let (Some(c), Some(p)) = (w[i..].chars().next(), w[..i].chars().next_back()) else {
        return false;
    };
    (c.is_uppercase() && p.is_alphabetic()) || (p.is_uppercase() && c.is_alphabetic())
}

#[cfg(test)]
mod tests;
