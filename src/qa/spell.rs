//! The spell check: Hunspell-format dictionaries (compiled by [`super::hunspell`]; spellbook
//! for suggestions and for dictionaries the compiled lexicon does not take), with evidence from the
//! source, the glossary and the document itself, and a severity that follows the strength of
//! that evidence.
//!
//! A word is never a typo when it contains a digit, belongs to a URL, e-mail address,
//! hashtag, mention, path or code, is an acronym (all capitals), has inner capitals
//! (`iPhone`), has at most three letters, or occurs in the source or a glossary rendering.
//!
//! An unknown word is judged by what it is near ([`super::lexicon`]): a word of the text,
//! the source or the glossary, or a dictionary word, one slip away — two letters swapped, a
//! letter doubled, dropped, added or replaced, the end cut off. The shape of the slip is the
//! evidence: a swap, a doubled or dropped letter, a cut end are what hands do and are
//! errors; one letter for another is a warning (dictionaries lack many words that are one
//! letter from one they know). A word that is a known word with an ending added, or a
//! compound of known words or of a prefix and a known word, is a word the dictionary lacks,
//! not a slip, and is not reported; nor is a respelling of a source word (`oktal`). An
//! unknown word near nothing is only noted (`info`).
//!
//! An unknown **capitalised** word (outside German, where every noun is capitalised, and
//! away from the start of a sentence) is taken for a name unless the shape of its
//! difference from a word says slip: a truncated or garbled end of a name (`Kazakhsta`,
//! `Tajikists`), two letters swapped, or a slip of a word elsewhere in the text.
//! Capitalisation and repetition are no evidence of a name then; otherwise a capitalised
//! word that occurs twice or more is consistent and taken as a name.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use crate::lang::Lang;

use super::hunspell::{Lexicon, LexiconError};
use super::lexicon::{distance_within, DeleteIndex, Shape, Stems};
use super::{CheckKind, Raw, Severity};

/// Errors loading a dictionary.
#[derive(Debug, thiserror::Error)]
pub enum SpellError {
    /// No dictionary for the language in any of the places searched.
    #[error("no Hunspell dictionary for {lang} (looked in {searched})")]
    NotFound {
        /// Language code.
        lang: String,
        /// The directories searched.
        searched: String,
    },
    /// A dictionary file could not be read.
    #[error("{}: {source}", .path.display())]
    Read {
        /// File.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A dictionary could not be parsed.
    #[error("{}: cannot parse dictionary: {message}", .path.display())]
    Parse {
        /// The `.dic` file.
        path: PathBuf,
        /// What spellbook said.
        message: String,
    },
}

/// A loaded dictionary, with the other regional variants of its language beside it.
///
/// A language written in several regional spellings (`en_US`/`en_GB`, `de_DE`/`de_CH`,
/// `pt_BR`/`pt_PT`) has one primary dictionary and the others as variants, loaded the first
/// time a word is unknown to the primary one. When the region was asked for (`--to en-GB`),
/// a word only another variant knows is reported as that variant's spelling; otherwise
/// every variant's spelling is accepted and a document that mixes them gets one note.
pub struct SpellChecker {
    dict: Speller,
    /// spellbook's dictionary for suggestions, loaded on first use (h/checkhot replaces
    /// the suggester with an edit search over [`SpellChecker::accepts`]).
    book: std::sync::OnceLock<Option<spellbook::Dictionary>>,
    path: PathBuf,
    /// The primary dictionary's locale, `en-US` style (from its file name).
    locale: String,
    /// Whether the region was asked for.
    fixed: bool,
    /// The other regional dictionaries of the language, by locale.
    variant_paths: Vec<(String, PathBuf)>,
    variants: std::sync::OnceLock<Vec<(String, Speller)>>,
    /// The English dictionary beside another language's, for the English words that
    /// texts take over (`USB-Stick`), loaded the first time a word would be reported.
    loan_path: Option<PathBuf>,
    loan: std::sync::OnceLock<Option<Speller>>,
    /// The stems of the primary dictionary and their deletion index, read in place from
    /// the cache (or made from the `.dic` file) the first time an unknown word is judged.
    stems: std::sync::OnceLock<Stems>,
    /// Which short word beginnings are prefixes of the language (see
    /// [`SpellChecker::productive_prefix`]), as they are asked.
    prefixes: std::sync::Mutex<HashMap<String, bool>>,
    /// The primary dictionary's answers to the questions the typo judgment asks (candidate
    /// spellings, parts of compounds), kept for the run.
    answers: Answers,
}

/// The answers of a dictionary, kept: spellbook's check of a non-word in a language that
/// makes compounds searches for compound splits (tens of microseconds), and the judgments
/// of different unknown words ask about the same parts and candidates again and again
/// (`…kennung`, `…informationen`). Shared by the checking threads, in shards so that they
/// seldom wait for each other.
#[derive(Default)]
struct Answers {
    shards: [std::sync::Mutex<HashMap<Box<str>, bool>>; ANSWER_SHARDS],
}

/// Shards of [`Answers`].
const ANSWER_SHARDS: usize = 16;

/// The most answers a shard of [`Answers`] keeps (it starts afresh when full).
const ANSWERS_PER_SHARD: usize = 8192;

impl Answers {
    /// `dict`'s check of `w`, asked once.
    fn check(&self, dict: &Speller, w: &str) -> bool {
        use std::hash::BuildHasher;
        let h = rustc_hash::FxBuildHasher.hash_one(w);
        let shard = &self.shards[(h >> 32) as usize % ANSWER_SHARDS];
        let lock = || shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = lock().get(w) {
            return known;
        }
        // (Not under the lock: another thread may ask the same at once, to the same answer.)
        let known = dict.check(w);
        let mut map = lock();
        // A long-lived checker (`serve`) keeps a bounded number of answers.
        if map.len() >= ANSWERS_PER_SHARD {
            map.clear();
        }
        map.insert(w.into(), known);
        known
    }
}

/// The regional spellings told apart per language, the default first.
const VARIANTS: [(&str, &[&str]); 3] = [
    ("en", &["US", "GB"]),
    ("de", &["DE", "CH"]),
    ("pt", &["BR", "PT"]),
];

impl std::fmt::Debug for SpellChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpellChecker")
            .field("path", &self.path)
            .finish()
    }
}

/// The directories searched for dictionaries, in order: `$DICPATH` (colon-separated), the
/// user's `~/.local/share/hunspell`, then the system places.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(p) = std::env::var_os("DICPATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    if let Some(d) = dirs::data_dir() {
        dirs.push(d.join("hunspell"));
    }
    for d in [
        "/usr/share/hunspell",
        "/usr/local/share/hunspell",
        "/usr/share/myspell",
        "/usr/share/myspell/dicts",
        "/Library/Spelling",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// The `.dic` file for `lang` in `dirs`: `xx_XX.dic` first, then any `xx_*.dic` (sorted),
/// then `xx.dic`.
pub fn find_dictionary(lang: Lang, dirs: &[PathBuf]) -> Option<PathBuf> {
    let code = lang.code();
    let preferred = match code {
        "en" => "en_US".to_string(),
        other => format!("{other}_{}", other.to_uppercase()),
    };
    for dir in dirs {
        let p = dir.join(format!("{preferred}.dic"));
        if p.is_file() && p.with_extension("aff").is_file() {
            return Some(p);
        }
    }
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "dic")
                    && p.file_stem().and_then(|s| s.to_str()).is_some_and(|s| {
                        s == code
                            || s.starts_with(&format!("{code}_"))
                            || s.starts_with(&format!("{code}-"))
                    })
                    && p.with_extension("aff").is_file()
            })
            .collect();
        names.sort();
        if let Some(p) = names.into_iter().next() {
            return Some(p);
        }
    }
    None
}

/// A dictionary file's text (UTF-8, or ISO 8859-1 for old dictionaries: spellbook wants
/// UTF-8), read as the lexicon reads it.
fn read_text(path: &Path) -> Result<String, SpellError> {
    super::hunspell::read_text(path).map_err(|e| match e {
        LexiconError::Read { path, source } => SpellError::Read { path, source },
        other => SpellError::Parse {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    })
}

/// A dictionary's check of a word: the compiled lexicon ([`super::hunspell`]), or spellbook
/// for a dictionary that uses a directive the lexicon does not model.
enum Speller {
    Lexicon(Box<Lexicon>),
    Book(Box<spellbook::Dictionary>),
}

impl Speller {
    /// Whether the dictionary accepts `w`.
    fn check(&self, w: &str) -> bool {
        match self {
            Speller::Lexicon(l) => l.check(w),
            Speller::Book(b) => b.check(w),
        }
    }
}

/// Loads `dic` as a compiled lexicon (through the cache), or with spellbook when the
/// lexicon does not model one of its directives.
fn load_dictionary(dic: &Path) -> Result<Speller, SpellError> {
    match Lexicon::load(dic) {
        Ok((lex, status)) => {
            tracing::debug!("{}: compiled lexicon ({status:?})", dic.display());
            Ok(Speller::Lexicon(Box::new(lex)))
        }
        Err(e @ (LexiconError::Unsupported { .. } | LexiconError::TooLarge { .. })) => {
            tracing::debug!("{e}: checked with spellbook");
            load_book(dic).map(|b| Speller::Book(Box::new(b)))
        }
        Err(LexiconError::Read { path, source }) => Err(SpellError::Read { path, source }),
        Err(e @ LexiconError::Parse { .. }) => Err(SpellError::Parse {
            path: dic.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// Loads `dic` with spellbook.
fn load_book(dic: &Path) -> Result<spellbook::Dictionary, SpellError> {
    let aff_path = dic.with_extension("aff");
    let aff = read_text(&aff_path)?;
    let dic_text = read_text(dic)?;
    // A dictionary declared as Latin-1 but read as such is now UTF-8 text.
    let aff = aff.replace("SET ISO8859-1", "SET UTF-8");
    spellbook::Dictionary::new(&aff, &dic_text).map_err(|e| SpellError::Parse {
        path: dic.to_path_buf(),
        message: e.to_string(),
    })
}

/// `en_GB` (a dictionary's file stem) as `en-GB`.
fn locale_of(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .replace('_', "-")
}

impl SpellChecker {
    /// Loads a `.dic` file and the `.aff` file beside it (no regional variants).
    pub fn load(dic: &Path) -> Result<SpellChecker, SpellError> {
        Ok(SpellChecker {
            dict: load_dictionary(dic)?,
            book: std::sync::OnceLock::new(),
            path: dic.to_path_buf(),
            locale: locale_of(dic),
            fixed: true,
            variant_paths: Vec::new(),
            variants: std::sync::OnceLock::new(),
            loan_path: None,
            loan: std::sync::OnceLock::new(),
            stems: std::sync::OnceLock::new(),
            prefixes: std::sync::Mutex::default(),
            answers: Answers::default(),
        })
    }

    /// Finds and loads the dictionary for `lang`: in `explicit` (a `.dic` file or a
    /// directory) if given, else in [`search_dirs`].
    pub fn for_lang(lang: Lang, explicit: Option<&Path>) -> Result<SpellChecker, SpellError> {
        SpellChecker::for_locale(lang, None, explicit)
    }

    /// Finds and loads the dictionary for `lang` in the spelling of `region` (`GB` of
    /// `en-GB`; `None`: the language's default, with its other regional spellings accepted
    /// too), in `explicit` (a `.dic` file or a directory) if given, else in
    /// [`search_dirs`]. An explicit `.dic` file is used alone.
    pub fn for_locale(
        lang: Lang,
        region: Option<&str>,
        explicit: Option<&Path>,
    ) -> Result<SpellChecker, SpellError> {
        let dirs = match explicit {
            Some(p) if p.is_file() => return SpellChecker::load(p),
            Some(p) => vec![p.to_path_buf()],
            None => search_dirs(),
        };
        let code = lang.code();
        let find = |region: &str| {
            let stem = format!("{code}_{}", region.to_ascii_uppercase());
            dirs.iter()
                .map(|d| d.join(format!("{stem}.dic")))
                .find(|p| p.is_file() && p.with_extension("aff").is_file())
        };
        let asked = region.and_then(find);
        let Some(path) = asked.clone().or_else(|| find_dictionary(lang, &dirs)) else {
            return Err(SpellError::NotFound {
                lang: code.to_string(),
                searched: dirs
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let locale = locale_of(&path);
        let variant_paths = VARIANTS
            .iter()
            .filter(|(c, _)| *c == code)
            .flat_map(|(_, regions)| regions.iter())
            .filter_map(|r| find(r))
            .filter(|p| locale_of(p) != locale)
            .map(|p| (locale_of(&p), p))
            .collect();
        // English words are taken over into other languages' texts: the English dictionary
        // vouches for them.
        let loan_path = match Lang::from_code("en") {
            Ok(en) if code != "en" => find_dictionary(en, &dirs),
            _ => None,
        };
        Ok(SpellChecker {
            dict: load_dictionary(&path)?,
            book: std::sync::OnceLock::new(),
            path,
            locale,
            fixed: asked.is_some(),
            variant_paths,
            variants: std::sync::OnceLock::new(),
            loan_path,
            loan: std::sync::OnceLock::new(),
            stems: std::sync::OnceLock::new(),
            prefixes: std::sync::Mutex::default(),
            answers: Answers::default(),
        })
    }

    /// Loads the regional variants when one of `unknown` (words the primary dictionary does
    /// not know) has a regional respelling the primary dictionary knows (`colour`, `realise`,
    /// `Strasse`): most texts have none, and the second dictionary's load is saved.
    fn load_variants_for<'w>(&self, mut unknown: impl Iterator<Item = &'w str>) {
        if !self.variant_paths.is_empty()
            && self.variants.get().is_none()
            && unknown.any(|w| self.close_spelling(&self.dict, w).is_some())
        {
            self.variants();
        }
    }

    /// Reads what the typo judgment of unknown words needs beyond the dictionary (its
    /// stems), if not done yet: a thread that has nothing else to do can do it before the
    /// first unknown word asks.
    pub(super) fn prepare_judgment(&self) {
        self.stems();
    }

    /// The stems of the dictionary (an unreadable word list gives none).
    fn stems(&self) -> &Stems {
        self.stems.get_or_init(|| {
            let dir = super::hunspell::cache::default_dir();
            let (stems, status) = Stems::load(&self.path, dir.as_deref());
            tracing::debug!("{}: stems ({status:?})", self.path.display());
            stems
        })
    }

    /// Whether German-style capitalisation of nouns holds for the dictionary's language:
    /// there a capital says nothing about a name.
    fn nouns_capitalised(&self) -> bool {
        self.locale.starts_with("de") || self.locale.starts_with("lb")
    }

    /// The dictionary's spelling of the word `w` was meant to be, with the shape of the
    /// slip. Candidates, each one edit from `w` unless said otherwise:
    /// - a stem, after one of the affix file's prefixes or none, with the last letters of
    ///   `w` (up to three) kept as an ending (`gobalen` → `global` + `en`, `Unbekannnter` →
    ///   `un` + `bekannt` + `er`);
    /// - in a compound, one part corrected beside a known other part (`Copyriightangabe`);
    /// - `w` cut short by one or two letters (`Kazakhsta`);
    /// - for a name of the dictionary, `w` with a garbled end (the first six letters and
    ///   three quarters of `w` shared, two edits at most: `Tajikists`).
    ///
    /// Every candidate is verified as a whole word by the dictionary, in the case of `w`
    /// (or, for a name, capitalised); a corrected compound part of a language that makes
    /// compounds needs no verification (dictionaries list few compounds). A dictionary word
    /// that `w` only adds an ending to (`Islamists`) is no slip; nor is a candidate that
    /// `accept` (given `w` and the candidate, both lowercase) refuses. Words under five
    /// letters are not looked at. Returns the word, the shape and whether the word is a
    /// name of the dictionary (its stem is written capitalised).
    pub(super) fn correction(
        &self,
        w: &str,
        ev: &Evidence,
        accept: impl Fn(&[char], &[char]) -> bool,
    ) -> Option<(String, Shape, bool)> {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        let n = lw.len();
        if n < 5 || !lw.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let stems = self.stems();
        let lw_str: String = lw.iter().collect();
        let mut found: Vec<Candidate> = Vec::new();
        let mut add =
            |letters: Vec<char>, proper: bool, part: bool, shape: Option<Shape>, ending: usize| {
                // `w` as a known word with an ending added is a form the dictionary lacks.
                let inflected =
                    letters.len() < n && inflection(&letters.iter().collect::<String>(), &lw_str);
                if letters != lw
                    && !inflected
                    && accept(&lw, &letters)
                    && !found.iter().any(|f| f.letters == letters)
                {
                    found.push(Candidate {
                        shape: shape.unwrap_or_else(|| Shape::of(&lw, &letters)),
                        letters,
                        proper,
                        part,
                        ending,
                    });
                }
            };
        let mut near = Vec::new();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(stems.prefixes_of(&lw).map(<[char]>::len))
            .collect();
        for &start in &starts {
            for j in (n.saturating_sub(3).max(start + 4)..=n).rev() {
                near.clear();
                stems.near(&lw[start..j], &mut near);
                for (form, letters) in &near {
                    let cand = [&lw[..start], letters, &lw[j..]].concat();
                    let proper = start == 0 && form.word.starts_with(char::is_uppercase);
                    add(cand, proper, false, None, n - j);
                }
            }
            // Cut short by two letters: the stems that begin with the rest.
            for form in stems.starting_with(&lw[start..]) {
                if form.lower.len() == n - start + 2 {
                    let proper = start == 0 && form.word.starts_with(char::is_uppercase);
                    add([&lw[..start], form.lower].concat(), proper, false, None, 0);
                }
            }
        }
        if stems.compounds() && n >= 8 {
            // A part is known when it is a stem (or its form before an ending) or a word of
            // the text or source. Only slips of the hand are looked for in the other part,
            // and only when the dictionary does not accept that part as it is written.
            let known = |p: &[char]| stems.contains_form(p) || ev.known_lower(p);
            let accepted = |p: &[char]| {
                let lower: String = p.iter().collect();
                let mut cs = lower.chars();
                let title: String = cs
                    .next()
                    .map(|c| c.to_uppercase().chain(cs).collect())
                    .unwrap_or_default();
                self.accepts(&lower) || self.accepts(&title)
            };
            // (candidate, its ending, the written part it corrects)
            let mut parts: Vec<(Vec<char>, usize, std::ops::Range<usize>)> = Vec::new();
            for k in 4..n - 3 {
                let (left, right) = (&lw[..k], &lw[k..]);
                if known(left) {
                    for j in (k + (n - k).saturating_sub(3).max(5)..=n).rev() {
                        near.clear();
                        stems.near(&lw[k..j], &mut near);
                        for (_, letters) in &near {
                            if Shape::of(&lw[k..j], letters).is_hand_slip() {
                                parts.push(([left, letters, &lw[j..]].concat(), n - j, k..n));
                            }
                        }
                    }
                }
                // (A part of four letters or fewer is one slip from too many words: `hash`
                // in `Hashmethode` is no `hasch`.)
                if right.len() >= 4 && k >= 5 && known(right) {
                    near.clear();
                    stems.near(left, &mut near);
                    for (_, letters) in &near {
                        if Shape::of(left, letters).is_hand_slip() {
                            parts.push(([letters, right].concat(), 0, 0..k));
                        }
                    }
                }
            }
            let mut refused: Vec<std::ops::Range<usize>> = Vec::new();
            for (cand, ending, written) in parts {
                if refused.contains(&written) {
                    continue;
                }
                if known(&lw[written.clone()]) || accepted(&lw[written.clone()]) {
                    refused.push(written);
                    continue;
                }
                add(cand, false, true, None, ending);
            }
        }
        let shared = (n * 3).div_ceil(4).max(6);
        if n > shared {
            for form in stems.starting_with(&lw[..shared]) {
                if form.word.starts_with(char::is_uppercase)
                    && form.lower.len().abs_diff(n) <= 2
                    && distance_within(form.lower, &lw, 2) <= 2
                {
                    add(form.lower.to_vec(), true, false, Some(Shape::GarbledEnd), 0);
                }
            }
        }
        // Whole words before stems with an ending kept (an ending makes many candidates of
        // short stems), then by shape; corrected compound parts last.
        found.sort_by(|a, b| {
            (a.part, a.ending, a.shape, &a.letters).cmp(&(b.part, b.ending, b.shape, &b.letters))
        });
        tracing::debug!(
            "  {w}: {:?}",
            found
                .iter()
                .map(|c| (c.shape, c.letters.iter().collect::<String>()))
                .collect::<Vec<_>>()
        );
        let upper = w.chars().next().is_some_and(char::is_uppercase);
        let mut checked = 0;
        for c in found {
            let mut chars = c.letters.iter();
            let first = chars.next().copied().unwrap_or_default();
            let title: String = first.to_uppercase().chain(chars.copied()).collect();
            let as_written = if upper {
                title.clone()
            } else {
                c.letters.iter().collect()
            };
            if c.part {
                // Unverified: the dictionary lists few compounds.
                return Some((as_written, Shape::Part, false));
            }
            // A word of the text the dictionary knows needs no asking.
            if !c.proper && ev.known_lower(&c.letters) {
                return Some((as_written, c.shape, false));
            }
            if checked == MAX_VERIFIED {
                continue;
            }
            checked += 1;
            if self.accepts(&as_written) {
                return Some((as_written, c.shape, c.proper));
            }
            if c.proper && !upper && self.accepts(&title) {
                return Some((title, c.shape, true));
            }
        }
        self.whole_word_slip(w, &lw, upper, &accept)
    }

    /// A word the dictionary accepts whole that `w` is one slip of the hand from: two
    /// neighbouring letters swapped, a letter typed twice, or a letter left out (one of the
    /// letters `w` has, or a letter doubled). This finds slips in the endings of inflected forms, which the
    /// stems do not list (`Änderunegn` of `Änderungen`, `Leszeichen` of `Lesezeichen`).
    /// The first letter is never changed, and each candidate is verified in the case of `w`
    /// (in a language that makes compounds, only a stem with or without an ending, or a
    /// swap or doubling in the last four letters).
    ///
    /// The candidates are made one at a time in one buffer, in the order swaps, doubled
    /// letters taken out, letters put in, and each distinct candidate once: swaps of
    /// different places give different words, and so do insertions (a letter is never put
    /// before the same letter), so only taking out a letter of a run of three or more would
    /// repeat a word, and that is done for the run's first doubled letter only.
    fn whole_word_slip(
        &self,
        w: &str,
        lw: &[char],
        upper: bool,
        accept: &impl Fn(&[char], &[char]) -> bool,
    ) -> Option<(String, Shape, bool)> {
        let n = lw.len();
        let first = w.chars().next()?;
        if w.chars().count() != n {
            return None;
        }
        let mut letters: Vec<char> = lw.to_vec();
        letters.sort_unstable();
        letters.dedup();
        let stems = self.stems();
        let compounds = stems.compounds();
        // In a language that makes compounds, the dictionary's compounding rules accept too
        // many strings one edit from an unknown compound (`Formtatspezifikation`), and each
        // candidate costs the dictionary a search for compound splits: there a candidate is
        // asked about when it is a stem, itself or with an ending of the affix file, or when
        // two letters were swapped or one doubled in the last four (an inflected ending;
        // letters left out there would be too many candidates to ask about). (The ending
        // is looked up before the stem: a short sorted list against the stems' hash table.)
        // A candidate edited at `at` begins with the letters of `w` before it: whether
        // those are a stem is asked once per length (`begins`: 0 not asked, 1 no, 2 yes).
        let begins: Vec<std::cell::Cell<u8>> = vec![std::cell::Cell::new(0); n + 1];
        // The first length from which the letters of `w` begin no stem (`n + 1` if they
        // always do): a candidate edited at `at` from there on has those letters before the
        // edit, so no stem goes past `at` (the stems are asked once per length, by halves,
        // instead of once per candidate).
        let open = if compounds {
            let (mut lo, mut hi) = (1, n + 1);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if stems.begins_any(&lw[..mid]) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        } else {
            n + 1
        };
        let stem = |c: &[char], j: usize, at: usize| {
            if j > at {
                return stems.contains(&c[..j]);
            }
            let Some(cell) = begins.get(j) else {
                return stems.contains(&c[..j]);
            };
            if cell.get() == 0 {
                cell.set(1 + u8::from(stems.contains(&lw[..j])));
            }
            cell.get() == 2
        };
        // Whether the last `k` letters of `w` are an ending, for `k` up to four: a candidate
        // edited at `at` ends in the same letters after `at + 1`.
        let ends: [bool; 5] =
            std::array::from_fn(|k| k >= 1 && k <= n && stems.is_ending(&lw[n - k..]));
        let ending = |c: &[char], j: usize, at: usize| {
            if j > at + 1 {
                ends.get(c.len() - j).copied().unwrap_or(false)
            } else {
                stems.is_ending(&c[j..])
            }
        };
        let plausible = |c: &[char], at: usize| {
            if !compounds {
                return true;
            }
            let same = lw.iter().zip(c).take_while(|(a, b)| a == b).count();
            // From `open` on, no stem goes past the edit.
            let last = if at < open { c.len() } else { at.min(c.len()) };
            (c.len() <= n && same + 4 >= n)
                || (c.len().saturating_sub(4)..=last)
                    .any(|j| (j == c.len() || ending(c, j, at)) && stem(c, j, at))
        };
        let mut as_written = String::with_capacity(w.len() + 4);
        let mut verified = |c: &[char], at: usize| -> Option<(String, Shape, bool)> {
            // (From `open` on, most candidates are told no stem at once: that is asked
            // before the shape.)
            if at >= open && !plausible(c, at) {
                return None;
            }
            if !accept(lw, c) || (at < open && !plausible(c, at)) {
                return None;
            }
            as_written.clear();
            as_written.push(if upper { first } else { c[0] });
            as_written.extend(&c[1..]);
            self.accepts(&as_written)
                .then(|| (as_written.clone(), Shape::of(lw, c), false))
        };
        let mut c: Vec<char> = Vec::with_capacity(n + 1);
        for i in 1..n.saturating_sub(1) {
            if lw[i] != lw[i + 1] {
                c.clear();
                c.extend_from_slice(lw);
                c.swap(i, i + 1);
                if let Some(found) = verified(&c, i) {
                    return Some(found);
                }
            }
        }
        for i in 2..n {
            // (In a run of three, taking out the second or the third letter is one word.)
            if lw[i] == lw[i - 1] && !(i >= 3 && lw[i - 2] == lw[i]) {
                c.clear();
                c.extend_from_slice(&lw[..i]);
                c.extend_from_slice(&lw[i + 1..]);
                if let Some(found) = verified(&c, i) {
                    return Some(found);
                }
            }
        }
        for i in 1..=n {
            for &l in &letters {
                // (Doubling the letter before is the same word as doubling the one after.)
                if lw.get(i) == Some(&l) {
                    continue;
                }
                c.clear();
                c.extend_from_slice(&lw[..i]);
                c.push(l);
                c.extend_from_slice(&lw[i..]);
                if let Some(found) = verified(&c, i) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// How `lw` (lowercase) may be a word the dictionary lacks rather than a slip: a known
    /// word of four letters or more with one of the affix file's endings of one or two
    /// letters added (`islamists`, `Spezifizierer`, `Klons`), or a compound of two known
    /// words (`Shellbefehl`: `shell` from the source, `befehl` a stem; a linking `s`
    /// allowed) or of a prefix of the language and a known word (`reubicación`,
    /// `неподдерживаемый`). Known: a stem of the dictionary, a target word it knows, a word
    /// of the source or glossary (and, before an ending, with `thorough`, any form the
    /// dictionary accepts).
    fn formation(&self, lw: &[char], ev: &Evidence, thorough: bool) -> Option<Formation> {
        let n = lw.len();
        if n < 5 {
            return None;
        }
        let stems = self.stems();
        let known = |p: &[char]| p.len() >= 3 && (stems.contains(p) || ev.known_lower(p));
        let accepted = |p: &[char]| {
            if !thorough {
                return false;
            }
            let lower: String = p.iter().collect();
            let mut cs = lower.chars();
            let title: String = cs
                .next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default();
            self.accepts(&lower) || self.accepts(&title)
        };
        let ending_at =
            |p: &[char], j: usize| j >= 4 && p.len() - j <= 2 && stems.is_ending(&p[j..]);
        let ends: Vec<usize> = (n.saturating_sub(2).max(4)..n)
            .filter(|&j| ending_at(lw, j))
            .collect();
        if ends.iter().any(|&j| known(&lw[..j])) {
            return Some(Formation::Ending);
        }
        if ends.iter().any(|&j| accepted(&lw[..j])) {
            return Some(Formation::EndingOfForm);
        }
        if n < 7 {
            return None;
        }
        // A known word of four letters or more, itself or with an ending.
        let known_tail = |p: &[char]| {
            p.len() >= 4
                && (known(p)
                    || (p.len().saturating_sub(2).max(4)..p.len())
                        .any(|j| ending_at(p, j) && known(&p[..j]))
                    || accepted(p))
        };
        for k in 2..=n - 4 {
            let (left, right) = (&lw[..k], &lw[k..]);
            let left_ok = if k >= 4 {
                known(left) || (left[k - 1] == 's' && known(&left[..k - 1]))
            } else {
                self.productive_prefix(left)
            };
            if left_ok && known_tail(right) {
                return Some(Formation::Compound);
            }
        }
        None
    }

    /// Whether `lw` reads as a known word of five letters or more with one ending letter,
    /// or of six or more with two: a stem long enough that its ending is likelier than a
    /// slip of the hand (see [`SpellChecker::formation`]).
    fn long_stem_ending(&self, lw: &[char], ev: &Evidence) -> bool {
        let stems = self.stems();
        let n = lw.len();
        (n.saturating_sub(2).max(5)..n).any(|j| {
            (n - j == 1 || j >= 6)
                && stems.is_ending(&lw[j..])
                && (stems.contains(&lw[..j]) || ev.known_lower(&lw[..j]))
        })
    }

    /// Whether `p` (two or three letters) is a prefix of the language: one of the affix
    /// file's prefixes, or a beginning of many stems that are `p` and another stem (`не` +
    /// `важный` in a dictionary without prefix rules): at least [`PREFIX_WORDS`] of them and
    /// one in [`PREFIX_SHARE`] of the stems `p` begins. Counted once per prefix.
    fn productive_prefix(&self, p: &[char]) -> bool {
        let stems = self.stems();
        if stems.is_prefix(p) {
            return true;
        }
        let key: String = p.iter().collect();
        if let Some(&v) = self
            .prefixes
            .lock()
            .ok()
            .and_then(|m| m.get(&key).copied())
            .as_ref()
        {
            return v;
        }
        // Most words beginning with a prefix are the prefix and a word (`не` + `важный`);
        // of the words that begin with mere letters (`sch` + `wein`), few are.
        let (mut words, mut count) = (0usize, 0usize);
        for form in stems.starting_with(p) {
            let rest = &form.lower[p.len()..];
            if rest.len() >= 4 {
                words += 1;
                count += usize::from(stems.contains(rest));
            }
        }
        let v = count >= PREFIX_WORDS && count * PREFIX_SHARE >= words;
        if let Ok(mut m) = self.prefixes.lock() {
            m.insert(key, v);
        }
        v
    }

    /// Whether `w`, which would be reported as a typo of the word `meant`, is rather an
    /// English word taken over (`Stick` of `USB-Stick`, not `Strick`; asked of words in a
    /// hyphenated compound, and of capitalised words in German, which takes English nouns
    /// over as nouns): the English
    /// dictionary (loaded now, the first time it is needed) knows it, and it is not the
    /// word meant cut short (`problem` for `problema`, `document` for `documento`) or with
    /// a doubled letter single (`Program` for `Programm`), which are slips whatever English
    /// says.
    fn english_loan(&self, lw: &[char], w: &str, meant: Option<&str>) -> bool {
        if lw.len() < 4 || self.loan_path.is_none() {
            return false;
        }
        if let Some(m) = meant {
            let lm: Vec<char> = m.chars().flat_map(char::to_lowercase).collect();
            let undoubled = lm.len() == lw.len() + 1
                && (1..lm.len())
                    .any(|i| lm[i] == lm[i - 1] && lm[..i] == lw[..i] && lm[i + 1..] == lw[i..]);
            if lm.starts_with(lw) || undoubled {
                return false;
            }
        }
        let Some(loan) = self.loan.get_or_init(|| {
            self.loan_path
                .as_deref()
                .and_then(|p| load_dictionary(p).ok())
        }) else {
            return false;
        };
        let lower: String = lw.iter().collect();
        loan.check(w) || loan.check(&lower)
    }

    /// Whether `lw` (lowercase) is a German form that dictionaries leave to the writer,
    /// made regularly from a word they know:
    /// - the infinitive with `zu` of a separable verb (`auszubrennen` of `ausbrennen`);
    /// - the feminine of a person noun in `-er` (`Wählerin` of `Wähler`, `Verweigerinnen`
    ///   of `verweigern`, also in a compound: `Wahlverweigerin` of `Wahlverweigern`);
    /// - the superlative of an adjective (`fundamentalsten` of `fundamental`, whose
    ///   inflected forms it knows: `fundamentalen`).
    ///
    /// Only in German (a dictionary whose nouns are capitalised).
    fn german_form(&self, lw: &[char]) -> bool {
        if !self.nouns_capitalised() || lw.len() < 7 {
            return false;
        }
        let word: String = lw.iter().collect();
        let title = |s: &str| -> String {
            let mut cs = s.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default()
        };
        let known = |s: &str| self.accepts(s) || self.accepts(&title(s));
        // `zu` after a prefix of two letters or more, before an infinitive of four or more.
        let zu_infinitive = word.ends_with('n')
            && word.match_indices("zu").any(|(k, _)| {
                k >= 2
                    && word.len() - k - 2 >= 4
                    && known(&format!("{}{}", &word[..k], &word[k + 2..]))
            });
        if zu_infinitive {
            return true;
        }
        let feminine = ["innen", "in"].iter().any(|end| {
            word.strip_suffix(end)
                .filter(|stem| stem.ends_with("er") && stem.chars().count() >= 5)
                .is_some_and(|stem| self.accepts(&title(stem)) || known(&format!("{stem}n")))
        });
        if feminine {
            return true;
        }
        ["sten", "ste", "ster", "stes", "stem"].iter().any(|end| {
            word.strip_suffix(end).is_some_and(|rest| {
                let base = rest
                    .strip_suffix('e')
                    .filter(|b| b.ends_with(['s', 'ß', 'z', 't', 'd']));
                [Some(rest), base].into_iter().flatten().any(|adj| {
                    adj.chars().count() >= 5
                        && self.accepts(adj)
                        && self.accepts(&format!("{adj}en"))
                        && self.accepts(&format!("{adj}e"))
                })
            })
        })
    }

    /// Whether `part`, before a hyphen in a German compound, is the stem of a verb the
    /// dictionary knows (`Sortier-Definitionen` of `sortieren`, `Lösch-Taste` of
    /// `löschen`): German joins a verb's stem to a noun so.
    fn verb_stem(&self, part: &str) -> bool {
        if !self.nouns_capitalised() || part.chars().count() < 3 {
            return false;
        }
        let lower = part.to_lowercase();
        ["en", "n"]
            .iter()
            .any(|ending| self.dict.check(&format!("{lower}{ending}")))
    }

    /// Whether `part`, after a part of digits in a hyphenated word (`72-stöckigen`), is the
    /// end of a German compound of a number and a word (`zweistöckigen`,
    /// `mehrstöckigen`): German writes the number's digits with a hyphen instead.
    fn after_digits(&self, part: &str) -> bool {
        if !self.nouns_capitalised() || part.chars().count() < 4 {
            return false;
        }
        let lower = part.to_lowercase();
        ["zwei", "drei", "vier", "zehn", "mehr", "ein"]
            .iter()
            .any(|n| self.accepts(&format!("{n}{lower}")))
    }

    /// Whether the language has other regional dictionaries installed.
    fn has_variants(&self) -> bool {
        !self.variant_paths.is_empty()
    }

    /// spellbook's dictionary for the suggester: the checking one when it is spellbook's,
    /// else loaded on first use (`None` if it fails to load).
    fn book(&self) -> Option<&spellbook::Dictionary> {
        if let Speller::Book(b) = &self.dict {
            return Some(b);
        }
        self.book
            .get_or_init(|| load_book(&self.path).ok())
            .as_ref()
    }

    /// The primary dictionary's locale (`en-US`).
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The regional variants, loaded (side by side) on first use; one that fails to load
    /// is left out.
    fn variants(&self) -> &[(String, Speller)] {
        self.variants.get_or_init(|| {
            std::thread::scope(|scope| {
                let handles: Vec<_> = self
                    .variant_paths
                    .iter()
                    .map(|(name, p)| scope.spawn(move || (name.clone(), load_dictionary(p))))
                    .collect();
                handles
                    .into_iter()
                    .filter_map(|h| h.join().ok())
                    .filter_map(|(name, d)| Some((name, d.ok()?)))
                    .collect()
            })
        })
    }

    /// The index of a regional variant that knows `w` (asked only for words the primary
    /// dictionary does not know), once the variants are loaded (see
    /// [`SpellChecker::load_variants_for`]).
    fn variant_knowing(&self, w: &str) -> Option<u8> {
        self.variants
            .get()?
            .iter()
            .position(|(_, d)| d.check(w))
            .map(|i| i as u8)
    }

    /// The spelling of `w` that `dict` knows by a regional spelling rule (`colour` →
    /// `color`, `Strasse` → `Straße`, `acção` → `ação`).
    fn close_spelling(&self, dict: &Speller, w: &str) -> Option<String> {
        // The regional pairs of spelling of the language (British/American, Swiss/German,
        // Brazilian/European Portuguese), each tried once at each place it fits.
        const EN: [(&str, &str); 11] = [
            ("our", "or"),
            ("ise", "ize"),
            ("isa", "iza"),
            ("yse", "yze"),
            ("tre", "ter"),
            ("ogue", "og"),
            ("ence", "ense"),
            ("ll", "l"),
            ("mme", "m"),
            ("ae", "e"),
            ("oe", "e"),
        ];
        const DE: [(&str, &str); 1] = [("ß", "ss")];
        const PT: [(&str, &str); 4] = [("ct", "t"), ("pt", "t"), ("ô", "ó"), ("ê", "é")];
        let pairs: &[(&str, &str)] = match self.locale.get(..2) {
            Some("en") => &EN,
            Some("de") => &DE,
            Some("pt") => &PT,
            _ => &[],
        };
        for &(a, b) in pairs {
            for (x, y) in [(a, b), (b, a)] {
                for (i, _) in w.match_indices(x) {
                    let v = format!("{}{}{}", &w[..i], y, &w[i + x.len()..]);
                    if dict.check(&v) {
                        return Some(v);
                    }
                }
            }
        }
        None
    }

    /// A note when the document mixes regional spellings (only when no region was asked
    /// for): the message and the minority's words, most frequent first. A word counts for a
    /// spelling when one dictionary knows it, the other does not and has a spelling of it
    /// within two edits (`offences`/`offenses`), so that words one dictionary merely lacks
    /// are not counted.
    pub(super) fn mixed_spellings(&self, ev: &Evidence) -> Option<(String, Vec<String>)> {
        if self.fixed {
            return None;
        }
        let variants = self.variants.get()?;
        let candidate = |w: &str| {
            w.chars().count() >= 4
                && w.chars().all(char::is_alphabetic)
                && w.chars().next().is_some_and(char::is_lowercase)
        };
        // Per locale: its name, its words' occurrences, and (count, word) of its words.
        type Tally = (String, usize, Vec<(usize, String)>);
        let mut per: Vec<Tally> = std::iter::once(self.locale.clone())
            .chain(variants.iter().map(|(n, _)| n.clone()))
            .map(|n| (n, 0, Vec::new()))
            .collect();
        // The most frequent words of either kind are enough to tell (each test is a
        // dictionary search).
        let mut words: Vec<(&String, &WordStat)> = ev
            .target
            .iter()
            .filter(|(w, stat)| {
                candidate(w)
                    && (stat.variant.is_some()
                        || (stat.known && variants.iter().any(|(_, d)| !d.check(w))))
            })
            .collect();
        words.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        words.truncate(MIXED_WORDS);
        for (w, stat) in words {
            if let Some(v) = stat.variant {
                let v = usize::from(v);
                if self.close_spelling(&self.dict, w).is_some() {
                    per[v + 1].1 += stat.count;
                    per[v + 1].2.push((stat.count, w.clone()));
                }
            } else if stat.known {
                for (_, d) in variants {
                    if !d.check(w) && self.close_spelling(d, w).is_some() {
                        per[0].1 += stat.count;
                        per[0].2.push((stat.count, w.clone()));
                        break;
                    }
                }
            }
        }
        let used: Vec<&Tally> = per.iter().filter(|p| p.1 > 0).collect();
        if used.len() < 2 {
            return None;
        }
        let major = used.iter().max_by_key(|p| p.1)?;
        let mut minority: Vec<(usize, String)> = used
            .iter()
            .filter(|p| p.0 != major.0)
            .flat_map(|p| p.2.iter().cloned())
            .collect();
        minority.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let sample = |words: &[(usize, String)]| {
            let mut w: Vec<&(usize, String)> = words.iter().collect();
            w.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            w.iter()
                .take(3)
                .map(|x| format!("`{}`", x.1))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let parts: Vec<String> = used
            .iter()
            .map(|p| format!("{} ({})", p.0, sample(&p.2)))
            .collect();
        Some((
            format!(
                "the spelling mixes {}; most of the text is {}",
                parts.join(" and "),
                major.0
            ),
            minority.into_iter().map(|x| x.1).collect(),
        ))
    }

    /// The dictionary file in use.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the primary dictionary accepts `w` (asked once per run; see [`Answers`]).
    fn accepts(&self, w: &str) -> bool {
        self.answers.check(&self.dict, w)
    }

    /// Whether the dictionary knows `word` (or, when no region was asked for, one of the
    /// regional variants does).
    pub fn knows(&self, word: &str) -> bool {
        self.dict.check(word) || (!self.fixed && self.variant_knowing(word).is_some())
    }

    /// Typo findings in `text`, whose words [`super::words`] has found (offsets are byte
    /// offsets in `text`). `judged` remembers what was decided about each unknown word, so
    /// that a word is judged once however often it occurs (and on whichever thread: the
    /// verdicts are shared by the parts of a document checked side by side).
    pub(super) fn check_words(
        &self,
        text: &str,
        words: &[std::ops::Range<usize>],
        ev: &Evidence,
        judged: &mut Judged,
    ) -> Vec<Raw> {
        let mut out = Vec::new();
        // Whether the line of the word is a headline in title case (most words
        // capitalised: a capital says nothing there), judged once per line.
        // (start, headline, columns) of the line of the current word.
        let mut line: (usize, bool, bool) = (usize::MAX, false, false);
        for (k, r) in words.iter().cloned().enumerate() {
            let word = strip_possessive(&text[r.clone()]);
            // The (cheap) verdict first: the context is looked at only for a word that would
            // be reported.
            // (A hyphenated word the dictionary takes whole, `Standard-Eingaabe`, is still
            // looked at part by part: the dictionary takes any part after some hyphens.)
            let hyphenated = word.contains(['-', '‐']);
            if (self.word_ok(word, ev) && !hyphenated) || skip_context(text, r.start, r.end) {
                continue;
            }
            // An abbreviation: the dictionary knows it with its full stop (`evtl.`,
            // `approx.`), or it is the beginning of a word the dictionary knows and the text
            // goes on after the stop in lower case (`Verz. der Dateien`): a stop that ends
            // the text or comes before a capital may end a sentence (`no válid.`).
            if text[r.end..].starts_with('.')
                && (self.dict.check(&text[r.start..r.end + 1])
                    || (continues_lowercase(&text[r.end + 1..]) && self.abbreviation(word)))
            {
                continue;
            }
            // The metavariable of a command line, in lower case after a command that the
            // source has as it is and the dictionary does not know (`whatis befehl` for
            // `whatis command`): a noun written so on purpose.
            if self.nouns_capitalised()
                && !hyphenated
                && word.chars().next().is_some_and(char::is_lowercase)
                && k > 0
                && text[words[k - 1].end..r.start].chars().all(|c| c == ' ')
                && {
                    let prev = &text[words[k - 1].clone()];
                    prev.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                        && ev.in_source(prev)
                        && !self.dict.check(prev)
                }
                && {
                    let mut cs = word.chars();
                    let title: String = cs
                        .next()
                        .map(|c| c.to_uppercase().chain(cs).collect())
                        .unwrap_or_default();
                    self.dict.check(&title)
                }
            {
                continue;
            }
            // A compound that the source writes as one word (`e-mails` / `emails`) is meant.
            if hyphenated && ev.attested(&word.replace(['-', '‐'], "")) {
                continue;
            }
            let parts: Vec<&str> = if word.contains(['-', '‐']) {
                word.split(['-', '‐']).collect()
            } else {
                vec![word]
            };
            let compound = parts.len() > 1;
            let mut offset = r.start;
            let mut digits_before = false;
            let last = parts.len() - 1;
            for (nth, part) in parts.into_iter().enumerate() {
                let after_number = std::mem::replace(
                    &mut digits_before,
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()),
                );
                let span = offset..offset + part.len();
                // The joiner after the part: `-` (one byte) or `‐` (three).
                let joiner = text[span.end.min(text.len())..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                offset += part.len() + joiner;
                if self.word_ok(part, ev)
                    || (after_number && self.after_digits(part))
                    || (nth < last && self.verb_stem(part))
                {
                    continue;
                }
                // An elided article or pronoun (`l'analyse`, `d’installer`, `qu'il`): the
                // word after it is judged.
                let (part, span) = match elided(part) {
                    Some(k) => (&part[k..], span.start + k..span.end),
                    None => (part, span),
                };
                if self.word_ok(part, ev) {
                    continue;
                }
                // At the start of a sentence, or in a headline, a capital says nothing
                // about a name.
                let start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
                if line.0 != start {
                    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                    let columns = column_gaps(text[start..end].trim()) >= 3;
                    line = (start, headline(text, &words[k..], start), columns);
                }
                let capital = part.chars().next().is_some_and(char::is_uppercase);
                let sentence = capital && span.start == r.start && sentence_start(text, span.start);
                let initial = sentence || (capital && line.1);
                let key = self.verdict_key(part, initial, sentence);
                let verdict = judged.verdict(&key, || self.judge(part, initial, sentence, ev));
                if let Some(raw) = verdict {
                    // An English word in a hyphenated compound (`USB-Stick`,
                    // `Online-Shop`), unless it is the word meant cut short. (Standing
                    // alone, an English word in a Spanish text is left untranslated:
                    // `programs`.)
                    if compound && raw.severity >= Severity::Warning && {
                        let lw: Vec<char> = part.chars().flat_map(char::to_lowercase).collect();
                        self.english_loan(&lw, part, raw.suggestion.as_deref())
                    } {
                        continue;
                    }
                    // A line laid out in columns (a table head, a usage line) abbreviates
                    // its words: a slip there is a warning at most.
                    let severity = if line.2 {
                        raw.severity.min(Severity::Warning)
                    } else {
                        raw.severity
                    };
                    out.push(Raw {
                        span: Some(span),
                        severity,
                        ..raw
                    });
                }
            }
        }
        out
    }

    /// Whether the unknown word `w` is a slip of a word of the language: the typo check
    /// (taking a capital for a sentence start) reports it, with a suggestion, as a warning
    /// or an error. A typo is no sign of another language. The verdict is the one the typo
    /// check keeps in `judged` for the same word in the same place (a capital word as at a
    /// sentence start), so each distinct word is judged once per document.
    pub(super) fn slip_of_word(&self, w: &str, ev: &Evidence, judged: &mut Judged) -> bool {
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let key = self.verdict_key(w, capital, capital);
        judged
            .verdict(&key, || self.judge(w, capital, capital, ev))
            .is_some_and(|r| r.suggestion.is_some() && r.severity >= Severity::Warning)
    }

    /// The key of the verdict on `w` in [`Verdicts`]: the word, marked when it begins a
    /// sentence or a headline word, where [`SpellChecker::judge`] may judge it differently
    /// (not in a language that capitalises its nouns: there the place of a capital says
    /// nothing, and the verdict is the same everywhere).
    fn verdict_key<'w>(
        &self,
        w: &'w str,
        initial: bool,
        sentence: bool,
    ) -> std::borrow::Cow<'w, str> {
        if self.nouns_capitalised() {
            w.into()
        } else if sentence {
            format!("\u{1}{w}").into()
        } else if initial {
            format!("\u{2}{w}").into()
        } else {
            w.into()
        }
    }

    /// Whether `w`, written with a full stop after it, is the beginning of a word of the
    /// dictionary (`Verz.` of `Verzeichnis`, `Jobbez.`): an abbreviation, not a word cut
    /// short.
    fn abbreviation(&self, w: &str) -> bool {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        lw.len() >= 2
            && self
                .stems()
                .starting_with(&lw)
                .iter()
                .any(|f| f.lower.len() > lw.len())
    }

    /// Whether `lw` (lower case), which `suggestion` would end with one vowel more, is
    /// the genitive plural of a Russian feminine or neuter noun: no ending, so that it
    /// looks like its other forms cut short (`архитектур` of `архитектура`,
    /// `архитектуры`). Only after a vowel and a consonant: a stem that ends in two
    /// consonants takes a vowel between them (`настройка`, `настроек`), and `настройк` is
    /// cut short. At most two dictionary questions, for a word about to be reported.
    fn bare_plural(&self, lw: &[char], suggestion: &str) -> bool {
        const VOWELS: &str = "аеёиоуыэюя";
        let ls: Vec<char> = suggestion.chars().flat_map(char::to_lowercase).collect();
        let [.., v, c] = lw else {
            return false;
        };
        lw.len() >= 4
            && ls.len() == lw.len() + 1
            && ls.starts_with(lw)
            && ls.last().is_some_and(|e| VOWELS.contains(*e))
            && VOWELS.contains(*v)
            && ('а'..='я').contains(c)
            && !VOWELS.contains(*c)
            && !matches!(c, 'й' | 'ь' | 'ъ')
            && ["а", "о"].iter().any(|e| {
                let mut form: String = lw.iter().collect();
                form.push_str(e);
                self.accepts(&form)
            })
    }

    /// Whether `lw` (lower case) is a Spanish word of a prefix that ends in the vowel its
    /// base begins with, written with both vowels (`sobreescribir`, `contraataque`,
    /// `autoorganización`), where the dictionary knows the simplified spelling
    /// (`sobrescribir`): Spanish orthography (RAE 2010) admits both. One dictionary
    /// question, for a word about to be reported.
    fn unsimplified_prefix(&self, lw: &[char]) -> bool {
        const PREFIXES: [&str; 22] = [
            "sobre", "re", "pre", "contra", "entre", "ante", "auto", "micro", "macro", "semi",
            "multi", "ultra", "infra", "extra", "supra", "intra", "anti", "archi", "mini", "tele",
            "electro", "neo",
        ];
        if !self.locale.starts_with("es") {
            return false;
        }
        PREFIXES.iter().any(|p| {
            let n = p.chars().count();
            lw.len() > n + 3 && lw.iter().take(n).copied().eq(p.chars()) && p.ends_with(lw[n]) && {
                let simple: String = lw[..n].iter().chain(&lw[n + 1..]).collect();
                self.accepts(&simple)
            }
        })
    }

    fn word_ok(&self, w: &str, ev: &Evidence) -> bool {
        match ev.verdict(w) {
            Some(v) => v.ok,
            None => self.cheap_ok(w) || ev.attested(w) || self.knows(w),
        }
    }

    /// The tests that clear a word without the dictionary: three letters or fewer, digits,
    /// all capitals, a capital inside.
    fn cheap_ok(&self, w: &str) -> bool {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters <= 3
            || w.chars().any(|c| c.is_ascii_digit())
            || !w.chars().any(char::is_lowercase)
            || inner_capital(w)
            || w.chars().filter(|c| c.is_uppercase()).count() >= 2
    }

    /// The finding for the unknown word `w` (without its span), or `None` when it is no
    /// typo after all; `initial`: it begins a sentence or stands in a headline in title
    /// case, `sentence`: it begins a sentence. See the module documentation for
    /// the evidence and the severities.
    fn judge(&self, w: &str, initial: bool, sentence: bool, ev: &Evidence) -> Option<Raw> {
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        if let Some(v) = self.variant_knowing(w) {
            // Another region's spelling: reported only when a region was asked for and the
            // dictionary has the word in its own spelling.
            if !self.fixed {
                return None;
            }
            let name = &self.variants()[usize::from(v)].0;
            let own = self.close_spelling(&self.dict, w)?;
            return Some(Raw {
                text: w.to_string(),
                suggestion: Some(own.clone()),
                ..Raw::new(
                    CheckKind::Typo,
                    Severity::Info,
                    format!("`{w}` is {name} spelling; {} writes `{own}`", self.locale),
                )
            });
        }
        let typo = |suggestion: Option<String>, severity: Severity, message: String| Raw {
            text: w.to_string(),
            suggestion,
            ..Raw::new(CheckKind::Typo, severity, message)
        };
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        if ev.taken_over(&lw, self.stems())
            || self.german_form(&lw)
            || (self.nouns_capitalised() && ev.verb_taken_over(&lw))
        {
            return None;
        }
        let elsewhere =
            |n: &str| format!("unknown word `{w}`, close to `{n}` elsewhere in the text");
        if capitalised && !self.nouns_capitalised() {
            // A name, unless the shape of the difference says slip: then capitalisation and
            // repetition are no evidence of a name, at the start of a sentence or not.
            let neighbour = ev.neighbour(w, |v| ev.knows(self, v), |_, _| true);
            if let Some(n) = neighbour.as_ref().filter(|n| strong_slip(w, n)) {
                return Some(typo(Some(n.clone()), Severity::Error, elsewhere(n)));
            }
            if let Some((c, _, _)) =
                self.correction(w, ev, |_, _| true)
                    .filter(|(c, shape, name)| {
                        // A brand a common word away (`Interfax`/`interface`) is a name, and
                        // transliterations differ by a letter (`Gadafi`/`Gaddafi`); a known word
                        // with an ending (`Islamists`) is no garbled `Islamism`.
                        // A consonant left out of a longer name (`Islaic`) is no
                        // transliteration's.
                        *name
                            && (matches!(shape, Shape::Swap | Shape::Truncated | Shape::GarbledEnd)
                                || (*shape == Shape::Dropped && dropped_consonant(&lw, c)))
                            && self.formation(&lw, ev, true) != Some(Formation::Ending)
                            && !transliteration(w, c, ev)
                    })
            {
                return Some(typo(
                    Some(c),
                    Severity::Error,
                    format!("unknown word `{w}`"),
                ));
            }
            if let Some(s) = ev.truncated_source_word(w) {
                let message = format!("`{w}` looks cut short: the source has `{s}`");
                return Some(typo(Some(s), Severity::Error, message));
            }
            if !initial {
                if ev.count(w) >= 2 {
                    return None;
                }
                return neighbour.map(|n| typo(Some(n.clone()), Severity::Warning, elsewhere(&n)));
            }
            // At the start of a sentence the word may be a common one: judged as such below.
        }
        // A compound spelt with hyphens elsewhere in the text is meant.
        if ev.written_with_hyphen(&lw) {
            return None;
        }
        // Another ending of the same stem is another form of the word, unless the
        // difference is a slip of the hand.
        let slip = |a: &[char], b: &[char]| {
            let shape = Shape::of(a, b);
            (shape, !end_variant(a, b) || shape.is_hand_slip())
        };
        let found = match ev.neighbour(w, |v| ev.knows(self, v), |a, b| slip(a, b).1) {
            Some(n) => {
                let ln: Vec<char> = n.chars().flat_map(char::to_lowercase).collect();
                let severity = if slip(&lw, &ln).0.is_slip() {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let message = elsewhere(&n);
                Some(typo(Some(n), severity, message))
            }
            None => self
                .correction(w, ev, |a, b| slip(a, b).1)
                .and_then(|(c, shape, _)| {
                    // At the start of a sentence a name stays a name: only a common word
                    // counts.
                    if initial && !self.nouns_capitalised() && !self.accepts(&c.to_lowercase()) {
                        return None;
                    }
                    // A word cut short may be an abbreviation (`Выравн` in a table head),
                    // a corrected compound part a compound the dictionary lacks.
                    let severity = if shape.is_hand_slip() {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    Some(typo(Some(c), severity, format!("unknown word `{w}`")))
                }),
        };
        tracing::debug!(
            "judge {w}: formation {:?} found {:?}",
            self.formation(&lw, ev, true),
            found.as_ref().map(|r| (&r.suggestion, r.severity))
        );
        // A word the dictionary lacks (an inflection, a compound) is no slip. (Asked only
        // of words that would be reported: the forms the dictionary accepts are slow to
        // ask about.) A slip of the hand from a dictionary word outweighs a reading as a
        // compound (`Hinzzufügen` is no `Hinz` + `zufügen`) or as a form with an ending
        // (`Siguente` is no `siguen` + `te`), not one as a stem with an ending.
        if let Some(raw) = found {
            // Another transliteration of a name of the source than the dictionary's.
            if capitalised
                && raw
                    .suggestion
                    .as_deref()
                    .is_some_and(|s| transliteration(w, s, ev))
            {
                return None;
            }
            // A loanword rendering a source word by its sound (`прокси` of `proxy`, not
            // `прокис`), unless the word meant renders it too (`коммандной` for
            // `командной`, of `command`): a slip in the loanword.
            if ev.loanword_of_source(w)
                && !raw
                    .suggestion
                    .as_deref()
                    .is_some_and(|s| ev.loanword_of_source(s))
            {
                return None;
            }
            // An English noun taken over into German (`der Stick`), unless it is the word
            // meant cut short. (In a hyphenated compound, in any language: see
            // `check_words`.)
            if capitalised
                && self.nouns_capitalised()
                && self.english_loan(&lw, w, raw.suggestion.as_deref())
            {
                return None;
            }
            let hand = raw.severity == Severity::Error;
            // A word written the same way twice or more is meant (a name, a term), and so
            // is one near a word of the source (a term taken over: `Trigger`, `oktal`),
            // unless it is a slip of the hand.
            if !hand && (ev.count(w) >= 2 || ev.cognate_in_source(w)) {
                return None;
            }
            // A Russian noun's genitive plural, which has no ending (`архитектур` of
            // `архитектура`): dictionaries list some nouns in one number only.
            if raw
                .suggestion
                .as_deref()
                .is_some_and(|s| self.bare_plural(&lw, s))
            {
                return None;
            }
            // A Spanish compound written with the prefix's vowel twice (`Sobreescribe`),
            // which the Academy admits beside the simplified `sobrescribe`.
            if self.unsimplified_prefix(&lw) {
                return None;
            }
            // A word the dictionary knows whole, of which `w` is the beginning one to three
            // letters short, is a word cut off (`sélecteu`, `применя`): the dictionary
            // knows the forms of the stem and `w` is none of them, so no reading as a stem
            // with an ending outweighs it.
            let cut = raw.suggestion.as_ref().is_some_and(|s| {
                let ls: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
                ls.starts_with(&lw)
                    && (1..=3).contains(&(ls.len() - lw.len()))
                    && !inflection(
                        &ls.iter().collect::<String>(),
                        &lw.iter().collect::<String>(),
                    )
                    && self.accepts(s)
            });
            return match self.formation(&lw, ev, true) {
                // (A compound of known words stays one: `Ganzzahl` is no `ganzzahlig` cut.)
                Some(Formation::Ending | Formation::EndingOfForm) | None if cut => Some(raw),
                // A slip of the hand outweighs a short stem with a long ending (`cosola` is
                // no `coso` + `la` but `consola`; `систе` no `сист` + `е`).
                Some(Formation::Ending) if hand && !self.long_stem_ending(&lw, ev) => Some(raw),
                Some(Formation::Ending) => None,
                Some(Formation::Compound | Formation::EndingOfForm) if !hand => None,
                _ => Some(raw),
            };
        }
        // At the start of a sentence, a capital says nothing about a name (except in a
        // language that capitalises its nouns, or when the word is written so elsewhere in
        // the text too): the word is noted like any other, and the
        // dictionary's own search may still find the word meant (`Reccebidos`).
        let name_like = capitalised && (!sentence || self.nouns_capitalised() || ev.count(w) >= 2);
        if ev.cognate_in_source(w) || name_like || self.formation(&lw, ev, false).is_some() {
            // A term taken over from the source in the target's spelling (`oktal`), a
            // capitalised word near nothing (a name, a German compound), a compound.
            return None;
        }
        Some(typo(
            None,
            Severity::Info,
            format!("`{w}` is not in the dictionary (no known word is near it)"),
        ))
    }
}

impl SpellChecker {
    /// A known word one slip of the hand from `w` (two neighbouring letters swapped, a
    /// letter doubled or dropped) or `w` cut short by one letter (no split into two words),
    /// with the severity its shape earns: an error for a slip of the hand, a warning for a
    /// cut. Words under five letters and slips at the first letter are left alone, as in
    /// [`SpellChecker::correction`]. `None` when no such word is known, or `w` is a word
    /// the dictionary lacks.
    ///
    /// The search is our own and narrow: it makes only the edits whose shape can pass (the
    /// swaps, the deletions of a doubled letter, the insertions of a letter of the affix
    /// file's `TRY` line), in the order the dictionary's own suggester tries them (swaps,
    /// deletions, then each `TRY` letter at every place), and asks the dictionary about each
    /// in `w`'s case. The dictionary's suggester makes thousands of other edits (every
    /// letter replaced, moved, keyboard neighbours), each checked twice for a capitalised
    /// word, that this check throws away; it is kept for words in mixed case only.
    pub(super) fn searched_suggestion(&self, w: &str, ev: &Evidence) -> Option<(String, Severity)> {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        // (Short words are one slip from too many words.)
        if lw.len() < 5 || self.formation(&lw, ev, true).is_some() {
            return None;
        }
        self.slip_search(w, &lw)
    }

    /// The edit search of [`SpellChecker::searched_suggestion`] for `w` (`lw` lowercase).
    fn slip_search(&self, w: &str, lw: &[char]) -> Option<(String, Severity)> {
        let shape_of = |ls: &[char]| slip_severity(lw, ls);
        let Some(case) = Casing::of(w) else {
            return self.suggested_slip(w, shape_of);
        };
        let mut cand: Vec<char> = Vec::with_capacity(lw.len() + 1);
        let mut text = String::with_capacity(w.len() + 4);
        let mut ask = |cand: &[char]| -> Option<(String, Severity)> {
            let severity = shape_of(cand)?;
            case.write(cand, &mut text);
            self.accepts(&text).then(|| (text.clone(), severity))
        };
        // Two neighbours swapped.
        for i in 0..lw.len().saturating_sub(1) {
            if lw[i] != lw[i + 1] {
                cand.clear();
                cand.extend_from_slice(lw);
                cand.swap(i, i + 1);
                if let Some(found) = ask(&cand) {
                    return Some(found);
                }
            }
        }
        // A letter typed twice (a deletion of any other letter is no slip of the hand).
        for i in 1..lw.len() {
            if lw[i] == lw[i - 1] {
                cand.clear();
                cand.extend(lw[..i].iter().chain(&lw[i + 1..]));
                if let Some(found) = ask(&cand) {
                    return Some(found);
                }
            }
        }
        // A letter left out, or the last one cut off.
        for &x in self.stems().try_letters() {
            for i in 1..=lw.len() {
                cand.clear();
                cand.extend(lw[..i].iter().chain([&x]).chain(&lw[i..]));
                if let Some(found) = ask(&cand) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// The first of the dictionary suggester's edits (not its n-gram search) of `w` that
    /// `shape_of` takes (a word in mixed case: [`SpellChecker::searched_suggestion`]).
    fn suggested_slip(
        &self,
        w: &str,
        shape_of: impl Fn(&[char]) -> Option<Severity>,
    ) -> Option<(String, Severity)> {
        let mut sugg = Vec::new();
        self.book()?
            .suggester()
            .with_ngram_suggestions(false)
            .suggest(w, &mut sugg);
        sugg.into_iter()
            .filter(|s| !s.contains([' ', '-']))
            .find_map(|s| {
                let ls: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
                shape_of(&ls).map(|severity| (s, severity))
            })
    }
}

/// The severity a suggestion `ls` for the unknown word `lw` (both lowercase) earns in
/// [`SpellChecker::searched_suggestion`]: an error for a slip of the hand, a warning for the
/// word cut short by one or two letters, `None` for any other shape (one letter for another
/// or a letter too many separate many real words from words the dictionary lacks) or a
/// change of the first letter.
fn slip_severity(lw: &[char], ls: &[char]) -> Option<Severity> {
    let shape = Shape::of(lw, ls);
    let slip = ls.first() == lw.first()
        && distance_within(lw, ls, 2) <= 2
        && (shape.is_hand_slip() || shape == Shape::Truncated);
    slip.then_some(if shape.is_hand_slip() {
        Severity::Error
    } else {
        Severity::Warning
    })
}

/// How a word is capitalised, for writing an edit of its lowercase letters the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Casing {
    /// No capital.
    Lower,
    /// A capital first letter only.
    Title,
    /// Capitals only (two letters or more).
    Upper,
}

impl Casing {
    /// The casing of `w`; `None` for a word in mixed case (`iPhone`, `McDonald`).
    fn of(w: &str) -> Option<Casing> {
        let mut chars = w.chars();
        let first = chars.next()?;
        let (mut upper, mut lower) = (0, 0);
        for c in chars {
            upper += usize::from(c.is_uppercase());
            lower += usize::from(c.is_lowercase());
        }
        match (first.is_uppercase(), upper, lower) {
            (false, 0, _) => Some(Casing::Lower),
            (true, 0, _) => Some(Casing::Title),
            (true, _, 0) => Some(Casing::Upper),
            _ => None,
        }
    }

    /// `lower` (lowercase letters) in this casing, into `out`.
    fn write(self, lower: &[char], out: &mut String) {
        out.clear();
        match self {
            Casing::Lower => out.extend(lower),
            Casing::Title => {
                if let Some((first, rest)) = lower.split_first() {
                    out.extend(first.to_uppercase());
                    out.extend(rest);
                }
            }
            Casing::Upper => out.extend(lower.iter().flat_map(|c| c.to_uppercase())),
        }
    }
}

/// Whether `w` and `c` (lowercase) differ only in their endings, as two forms of one stem
/// do (`committen`/`committet`, `Pufferung`/`Puffern`): the first four letters or more
/// shared and each with one to three letters after them. (`w` cut short is no other form,
/// unless it is a word with an ending of its own, which [`SpellChecker::formation`] tells.)
fn end_variant(w: &[char], c: &[char]) -> bool {
    let p = w.iter().zip(c).take_while(|(a, b)| a == b).count();
    let (rw, rc) = (w.len() - p, c.len() - p);
    p >= 4 && (1..=3).contains(&rw) && (1..=3).contains(&rc)
}

/// How an unknown word may be a word the dictionary lacks ([`SpellChecker::formation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Formation {
    /// A known word (a stem, a word of the text or source) and an ending.
    Ending,
    /// A form the dictionary accepts and an ending (weaker: many beginnings of words are
    /// forms of their own).
    EndingOfForm,
    /// Two known words, or a prefix and a known word.
    Compound,
}

/// A candidate of [`SpellChecker::correction`].
struct Candidate {
    shape: Shape,
    /// The word meant, lowercase.
    letters: Vec<char>,
    /// Made from a stem written capitalised (a name).
    proper: bool,
    /// A compound with one part corrected.
    part: bool,
    /// Letters of `w` kept as an ending after the stem compared.
    ending: usize,
}

/// The most candidates of a [`SpellChecker::correction`] verified by the dictionary.
const MAX_VERIFIED: usize = 8;

/// Stems a prefix must begin (followed by another stem) to count as a prefix of the
/// language ([`SpellChecker::productive_prefix`]).
const PREFIX_WORDS: usize = 8;

/// The share (one in this many) of the stems beginning with a prefix that must be the
/// prefix and another stem.
const PREFIX_SHARE: usize = 6;

/// Words looked at for a mix of regional spellings.
const MIXED_WORDS: usize = 48;

/// The verdicts on the unknown words of a document (by word, and whether it begins a
/// sentence or a headline word), shared by the threads that check its parts, so that each
/// distinct word is judged once.
#[derive(Default)]
pub(super) struct Verdicts {
    map: std::sync::Mutex<HashMap<String, Option<Raw>>>,
}

impl Verdicts {
    /// How many verdicts are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn get(&self, key: &str) -> Option<Option<Raw>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).cloned()
    }

    fn put(&self, key: &str, verdict: &Option<Raw>) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if !map.contains_key(key) {
            map.insert(key.to_string(), verdict.clone());
        }
    }
}

/// What was decided about the unknown words of a document, as one part of it sees it: the
/// verdicts come from the document's [`Verdicts`] (a verdict is a function of its key,
/// whichever thread made it).
pub(super) struct Judged<'v> {
    verdicts: &'v Verdicts,
}

impl<'v> Judged<'v> {
    /// A part's view of the verdicts of `verdicts`.
    pub(super) fn new(verdicts: &'v Verdicts) -> Judged<'v> {
        Judged { verdicts }
    }

    /// The verdict on `key`: the document's, or `judge`'s (then kept for the document).
    /// (No lock is held while judging: two threads may judge the same word at once, to
    /// the same verdict.)
    fn verdict(&mut self, key: &str, judge: impl FnOnce() -> Option<Raw>) -> Option<Raw> {
        match self.verdicts.get(key) {
            Some(v) => v,
            None => {
                let v = judge();
                self.verdicts.put(key, &v);
                v
            }
        }
    }
}

/// What the document, its source and the glossaries say about words.
///
/// It is gathered first (possibly in parts on several threads, then [`Evidence::merge`]d)
/// and then [`Evidence::settle`]d against the dictionary: every distinct target word is
/// judged once, so that the typo and language checks look verdicts up instead of asking the
/// dictionary at every occurrence.
#[derive(Debug, Default)]
pub struct Evidence {
    source: HashSet<String>,
    terms: HashMap<String, String>,
    target: HashMap<String, WordStat>,
    settled: bool,
    /// The words of the text, source and glossary for the neighbour search: made by the
    /// first search after [`Evidence::settle`] (most texts need none), emptied by the next
    /// settle.
    near: std::sync::OnceLock<NearIndex>,
    /// The lowercase forms of the known words (target words the dictionary knows, source
    /// words, glossary words), for telling compounds and inflections: made on first use
    /// after [`Evidence::settle`].
    lower: std::sync::OnceLock<HashSet<Box<[char]>>>,
    /// The source words sorted, for the search of words a word is the beginning of.
    source_sorted: std::sync::OnceLock<Vec<String>>,
    /// The sound keys of the source's words in Latin letters, sorted, for telling loanwords
    /// in Cyrillic letters ([`Evidence::loanword_of_source`]).
    source_sounds: std::sync::OnceLock<Vec<String>>,
    /// The dictionary's answers for the settled words it was not asked about
    /// ([`WordStat::slot`]), asked the first time the language check counts the word:
    /// 0 not asked yet, 1 unknown, 2 known. (Without it each occurrence of a word the
    /// source also has would ask the run's answer memo again.)
    asked: Vec<std::sync::atomic::AtomicU8>,
}

/// Where a word of a [`NearIndex`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Term,
    Target,
    Source,
}

/// The words of the text, the source and the glossary, lowercased once, by their deletion
/// keys ([`DeleteIndex`]) and, for words of six letters or more, by their first six letters
/// (for ends garbled by two edits).
#[derive(Debug, Default, Clone)]
struct NearIndex {
    words: Vec<NearWord>,
    index: DeleteIndex,
    by_prefix: HashMap<[char; 6], Vec<u32>>,
}

/// A word in a [`NearIndex`].
#[derive(Debug, Clone)]
struct NearWord {
    lower: Box<[char]>,
    /// As written.
    word: String,
    origin: Origin,
}

impl NearIndex {
    fn build(ev: &Evidence) -> NearIndex {
        let mut words: Vec<NearWord> =
            Vec::with_capacity(ev.terms.len() + ev.target.len() + ev.source.len());
        let mut add = |word: &str, origin: Origin| {
            // (No neighbour search asks about words under three letters; a word under three
            // bytes has fewer, lowercased too.)
            if word.len() < 3 {
                return;
            }
            let lower = super::lexicon::lowercase(word);
            if lower.len() >= 3 {
                words.push(NearWord {
                    lower,
                    word: word.to_string(),
                    origin,
                });
            }
        };
        for word in ev.terms.values() {
            add(word, Origin::Term);
        }
        for word in ev.target.keys() {
            add(word, Origin::Target);
        }
        for word in &ev.source {
            add(word, Origin::Source);
        }
        let index = DeleteIndex::build(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| (i as u32, &w.lower[..])),
        );
        let mut by_prefix: HashMap<[char; 6], Vec<u32>> = HashMap::default();
        for (i, w) in words.iter().enumerate() {
            if let Some(p) = prefix6(&w.lower) {
                by_prefix.entry(p).or_default().push(i as u32);
            }
        }
        NearIndex {
            words,
            index,
            by_prefix,
        }
    }

    /// The words one deletion key or (for `lw` of seven letters or more) the first six
    /// letters away from `lw`.
    fn candidates(&self, lw: &[char]) -> Vec<u32> {
        let mut ids = Vec::new();
        self.index.candidates(lw, &mut ids);
        if lw.len() >= 7 {
            if let Some(more) = prefix6(lw).and_then(|p| self.by_prefix.get(&p)) {
                ids.extend(more);
                ids.sort_unstable();
                ids.dedup();
            }
        }
        ids
    }
}

fn prefix6(lw: &[char]) -> Option<[char; 6]> {
    lw.get(..6).and_then(|p| p.try_into().ok())
}

/// A distinct target word: how often it occurs and, once settled, what the dictionary and
/// the evidence say about it.
#[derive(Debug, Default, Clone, Copy)]
struct WordStat {
    count: usize,
    /// The dictionary knows the word (not asked for a word of four letters or more that
    /// the source or glossary has: it is no typo, and unknown words are the slow ones to
    /// look up).
    known: bool,
    /// The word occurs in the source or a glossary rendering.
    attested: bool,
    /// The word is no typo (short, has digits, all capitals, inner capital, known or
    /// attested).
    ok: bool,
    /// A regional variant that knows the word when the primary dictionary does not.
    variant: Option<u8>,
    /// For a word not looked up when settled (see `known`): its place in
    /// [`Evidence::asked`], where the dictionary's answer is kept once asked.
    slot: u32,
}

/// Distinct words judged on one thread below this many.
const SETTLE_PARALLEL_MIN: usize = 4096;

/// Words unknown to the primary dictionary checked against the regional variants on one
/// thread below this many.
const VARIANT_PARALLEL_MIN: usize = 256;

/// Unknown words (most frequent first) looked at for a regional respelling before the
/// regional dictionaries are loaded.
const VARIANT_PROBES: usize = 256;

impl Evidence {
    /// Adds the words of a source text.
    pub fn add_source(&mut self, text: &str) {
        self.add_source_words(text, &super::words(text));
    }

    /// Adds the words of a source text already found by [`super::words`].
    pub fn add_source_words(&mut self, text: &str, words: &[std::ops::Range<usize>]) {
        for r in words.iter().cloned() {
            let w = strip_possessive(&text[r]);
            self.insert_source(w);
            // (A byte that may begin a hyphen first: `-`, or E2 of `‐`.)
            if w.bytes().any(|b| b == b'-' || b == 0xE2) && w.contains(['-', '‐']) {
                for p in w.split(['-', '‐']) {
                    self.insert_source(p);
                }
            }
        }
    }

    /// Source words are kept as written (no allocation for words seen before); lookups try
    /// the exact form, then case-folded forms.
    fn insert_source(&mut self, w: &str) {
        if !self.source.contains(w) {
            self.source.insert(w.to_string());
        }
    }

    fn in_source(&self, w: &str) -> bool {
        if self.source.contains(w) {
            return true;
        }
        // (A form that is `w` itself was looked up already.)
        let lower = w.to_lowercase();
        if lower != w && self.source.contains(&lower) {
            return true;
        }
        let mut chars = lower.chars();
        let title: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        title != w && self.source.contains(&title)
    }

    fn bump(&mut self, w: &str) {
        match self.target.get_mut(w) {
            Some(c) => c.count += 1,
            None => {
                self.target.insert(
                    w.to_string(),
                    WordStat {
                        count: 1,
                        ..WordStat::default()
                    },
                );
            }
        }
        self.settled = false;
    }

    /// Adds what `other` gathered (source words, glossary words, target word counts).
    pub fn merge(&mut self, other: Evidence) {
        merge_source(&mut self.source, other.source);
        self.terms.extend(other.terms);
        merge_target(&mut self.target, other.target);
        self.settled = false;
    }

    /// [`Evidence::merge`] of each of `others` in turn, the source words on a thread of
    /// their own beside the target words when there are several.
    pub fn merge_all(&mut self, others: Vec<Evidence>) {
        if others.len() < 2 {
            for other in others {
                self.merge(other);
            }
            return;
        }
        let mut sources = Vec::with_capacity(others.len());
        let mut targets = Vec::with_capacity(others.len());
        for other in others {
            sources.push(other.source);
            self.terms.extend(other.terms);
            targets.push(other.target);
        }
        let (source, target) = (&mut self.source, &mut self.target);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for other in sources {
                    merge_source(source, other);
                }
            });
            for other in targets {
                merge_target(target, other);
            }
        });
        self.settled = false;
    }

    /// Judges every distinct target word once against `spell` and the gathered evidence
    /// (on several threads for large vocabularies). Words added later are judged at lookup.
    pub fn settle(&mut self, spell: &SpellChecker) {
        let judge = |ev: &Evidence, w: &str| {
            let cheap = spell.cheap_ok(w);
            let attested = ev.attested(w);
            let known = if attested && w.chars().nth(3).is_some() {
                false
            } else {
                spell.dict.check(w)
            };
            WordStat {
                count: 0,
                known,
                attested,
                ok: cheap || known || attested,
                variant: None,
                slot: 0,
            }
        };
        self.near = std::sync::OnceLock::new();
        self.lower = std::sync::OnceLock::new();
        self.source_sorted = std::sync::OnceLock::new();
        self.source_sounds = std::sync::OnceLock::new();
        let words: Vec<&String> = self.target.keys().collect();
        // A vocabulary this large has unknown words: the neighbour index they are judged by
        // (made of the words alone, not of their verdicts) and the sorted source words are
        // made beside the verdicts instead of after them.
        let early = words.len() >= SETTLE_PARALLEL_MIN;
        let this = &*self;
        let (verdicts, early_near) = if early {
            // The verdicts in short runs, taken by whichever thread is free (unknown words
            // cost the dictionary a search for compound splits, so equal halves end far
            // apart); the thread that builds the index takes runs when it is done.
            let threads = available_threads();
            let runs = Runs::new(&words, threads);
            let verdict = |w: &&String| judge(this, w);
            std::thread::scope(|scope| {
                let near = scope.spawn(|| {
                    crate::timeline::mark("settle: near index");
                    spell.stems();
                    let near = NearIndex::build(this);
                    this.sorted_source();
                    crate::timeline::mark("settle: near index built");
                    (near, runs.take(&verdict))
                });
                let helpers: Vec<_> = (2..threads)
                    .map(|_| scope.spawn(|| runs.take(&verdict)))
                    .collect();
                let mut done = runs.take(&verdict);
                crate::timeline::mark("settle: judged");
                for h in helpers {
                    done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
                }
                let (near, theirs) = near.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                done.extend(theirs);
                (runs.assemble(done), Some(near))
            })
        } else {
            (words.iter().map(|w| judge(this, w)).collect(), None)
        };
        // The map is unchanged since `keys()`, so `values_mut()` visits it in the same order.
        let mut slots = 0;
        for (stat, v) in self.target.values_mut().zip(verdicts) {
            stat.known = v.known;
            stat.attested = v.attested;
            stat.ok = v.ok;
            if v.attested && !v.known {
                stat.slot = slots;
                slots += 1;
            }
        }
        self.asked = (0..slots)
            .map(|_| std::sync::atomic::AtomicU8::new(0))
            .collect();
        // Words the dictionary does not know will be judged: the stems and the neighbour
        // index they are judged by are made now, on a thread of their own, beside the
        // regional dictionaries' load and checks (made lazily by the first judged word
        // instead, they would hold up every other thread that meets an unknown word).
        let judging = self.target.values().any(|s| !s.ok);
        let needs_near = early_near.is_none();
        let (near, found) = std::thread::scope(|scope| {
            let this = &*self;
            // What judging reads (made lazily by the first judged word instead, it would
            // hold up every other thread that meets an unknown word).
            let indexes = judging.then(|| {
                scope.spawn(move || {
                    crate::timeline::mark("settle: indexes");
                    let near = needs_near.then(|| {
                        spell.stems();
                        NearIndex::build(this)
                    });
                    this.lower_known();
                    this.sorted_source();
                    crate::timeline::mark("settle: indexes built");
                    near
                })
            });
            crate::timeline::mark("settle: regional");
            let found = this.regional_verdicts(spell);
            crate::timeline::mark("settle: regional done");
            let near =
                indexes.and_then(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            (near.or(early_near), found)
        });
        for (w, v) in found {
            if let Some(stat) = self.target.get_mut(&w) {
                stat.variant = Some(v);
                stat.ok |= !spell.fixed;
            }
        }
        if let Some(near) = near {
            let _ = self.near.set(near);
        }
        self.settled = true;
    }

    /// The unknown target words (not ok after the primary dictionary) that a regional
    /// variant knows, with the variant; loads the variants if an unknown word calls for
    /// them ([`SpellChecker::load_variants_for`]).
    fn regional_verdicts(&self, spell: &SpellChecker) -> Vec<(String, u8)> {
        let mut unknown: Vec<(&String, usize)> = self
            .target
            .iter()
            .filter(|(w, s)| !s.ok && w.chars().all(char::is_alphabetic))
            .map(|(w, s)| (w, s.count))
            .collect();
        if unknown.is_empty() || !spell.has_variants() {
            return Vec::new();
        }
        unknown.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let probes = unknown.iter().take(VARIANT_PROBES).map(|(w, _)| w.as_str());
        spell.load_variants_for(probes);
        if spell.variants.get().is_none_or(|v| v.is_empty()) {
            return Vec::new();
        }
        // Unknown words are the slow ones to check (compound splits): on several threads
        // from a few hundred on.
        let found = in_threads(&unknown, VARIANT_PARALLEL_MIN, |(w, _)| {
            spell.variant_knowing(w)
        });
        unknown
            .iter()
            .zip(found)
            .filter_map(|((w, _), v)| Some(((*w).clone(), v?)))
            .collect()
    }

    /// The settled verdict on `w` (`None` before [`Evidence::settle`] or for a word that is
    /// not a target word).
    fn verdict(&self, w: &str) -> Option<WordStat> {
        if !self.settled {
            return None;
        }
        self.target.get(w).copied()
    }

    /// Whether the dictionary knows `w`, from the settled verdicts when `w` is among them
    /// (`spell` is the checker the evidence was settled with).
    pub fn knows(&self, spell: &SpellChecker, w: &str) -> bool {
        match self.verdict(w) {
            // A word of the source was not looked up when settled (see `WordStat::known`):
            // asked now (once per run), or every word a German source also quotes would
            // count as unknown English.
            Some(v) if v.attested && !v.known && v.variant.is_none() => {
                use std::sync::atomic::Ordering::Relaxed;
                let Some(asked) = self.asked.get(v.slot as usize) else {
                    return spell.accepts(w);
                };
                match asked.load(Relaxed) {
                    0 => {
                        let known = spell.accepts(w);
                        asked.store(1 + u8::from(known), Relaxed);
                        known
                    }
                    answer => answer == 2,
                }
            }
            Some(v) => v.known || v.variant.is_some(),
            None => spell.knows(w),
        }
    }

    /// Adds the words of a glossary rendering.
    pub fn add_term(&mut self, term: &str) {
        for r in super::words(term) {
            let w = &term[r];
            self.terms.insert(w.to_lowercase(), w.to_string());
        }
        self.settled = false;
    }

    /// Adds the words of a target text (counted).
    pub fn add_target(&mut self, text: &str) {
        self.add_target_words(text, &super::words(text));
    }

    /// Adds the words of a target text already found by [`super::words`] (counted).
    pub fn add_target_words(&mut self, text: &str, words: &[std::ops::Range<usize>]) {
        for r in words.iter().cloned() {
            let w = strip_possessive(&text[r]);
            self.bump(w);
            if w.contains('-') {
                for p in w.split('-') {
                    self.bump(p);
                }
            }
        }
    }

    /// Whether the text, the source or the glossary has `lw` (lowercase) with hyphens
    /// (`Datei-Deskriptor` for `dateideskriptor`): a compound spelt both ways.
    fn written_with_hyphen(&self, lw: &[char]) -> bool {
        if lw.len() < 6 {
            return false;
        }
        let index = self.near_index();
        index.candidates(lw).into_iter().any(|i| {
            let v = &index.words[i as usize];
            v.lower.contains(&'-') && v.lower.iter().filter(|c| **c != '-').eq(lw.iter())
        })
    }

    /// Whether `p` (lowercase) is a word the dictionary knows in the text, or a word of the
    /// source or glossary.
    fn known_lower(&self, p: &[char]) -> bool {
        self.lower_known().contains(p)
    }

    /// The lowercase words of [`Evidence::known_lower`], gathered on first use.
    fn lower_known(&self) -> &HashSet<Box<[char]>> {
        self.lower.get_or_init(|| {
            let chars =
                |w: &str| -> Box<[char]> { w.chars().flat_map(char::to_lowercase).collect() };
            let mut set: HashSet<Box<[char]>> = HashSet::default();
            set.extend(
                self.target
                    .iter()
                    .filter(|(_, s)| s.known)
                    .map(|(w, _)| chars(w)),
            );
            set.extend(self.source.iter().map(|w| chars(w)));
            set.extend(self.terms.keys().map(|w| chars(w)));
            set
        })
    }

    /// The source words in sorted order, made on first use.
    fn sorted_source(&self) -> &[String] {
        self.source_sorted.get_or_init(|| {
            let mut v: Vec<String> = self.source.iter().cloned().collect();
            v.sort_unstable();
            v
        })
    }

    /// The neighbour index, made on first use after a settle (or for this search, for a
    /// caller that never settles).
    fn near_index(&self) -> std::borrow::Cow<'_, NearIndex> {
        if self.settled {
            std::borrow::Cow::Borrowed(self.near.get_or_init(|| NearIndex::build(self)))
        } else {
            std::borrow::Cow::Owned(NearIndex::build(self))
        }
    }

    /// Whether the source has a word of which `w` is a respelling: at least four letters,
    /// within two edits and a third of the length (`oktal`/`octal`). Asked only for words
    /// the dictionary has no spelling one slip away for, so that a misspelt translation of
    /// a shared stem (`permmite` for `permit`, the dictionary's `permite` one edit away) is
    /// still a typo.
    fn cognate_in_source(&self, w: &str) -> bool {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        let max = (lw.len() / 3).min(2);
        if lw.len() < 4 || max == 0 {
            return false;
        }
        let index = self.near_index();
        index.candidates(&lw).into_iter().any(|i| {
            let s = &index.words[i as usize];
            // A source word cut short (`servic` of `service`) is no term taken over; one
            // without its plural ending (`rebase` of `rebases`) is.
            s.origin == Origin::Source
                && s.lower.len() >= 4
                && *s.lower != *lw
                && (!s.lower.starts_with(&lw) || matches!(&s.lower[lw.len()..], ['s'] | ['e', 's']))
                && distance_within(&s.lower, &lw, max) <= max
        })
    }

    /// Whether `lw` (lowercase) is a source word taken over with the target language's
    /// affixes: a stem of four letters or more that a source word of five letters or more
    /// begins with (up to three letters of its own ending left off: `tagg` of `tagged`),
    /// after `ge` or a prefix of the affix file, and before nothing or an ending of the
    /// affix file (`getaggt`, `gemappt`). Such a word is meant, even
    /// one slip from a word of the dictionary (`getagt`).
    fn taken_over(&self, lw: &[char], stems: &Stems) -> bool {
        let n = lw.len();
        if n < 5 || self.source.is_empty() {
            return false;
        }
        let sorted = self.sorted_source();
        // (Without a prefix, a source word cut short and given an ending is as likely a
        // slip of the target word: `invalde`, `argumenos`.)
        let prefix_ok = |p: &[char]| p == ['g', 'e'] || stems.is_prefix(p);
        let ending_ok = |e: &[char]| e.is_empty() || stems.is_ending(e);
        for a in (2..=3.min(n)).filter(|&a| prefix_ok(&lw[..a])) {
            for b in (a + 4..=n).rev().take(4) {
                if !ending_ok(&lw[b..]) {
                    continue;
                }
                let core: String = lw[a..b].iter().collect();
                let k = core.chars().count();
                let from = sorted.partition_point(|s| s.as_str() < core.as_str());
                if sorted[from..]
                    .iter()
                    .take_while(|s| s.starts_with(&core))
                    .any(|s| {
                        let m = s.chars().count();
                        m >= 5 && m - k <= 3
                    })
                {
                    return true;
                }
            }
        }
        false
    }

    /// Whether the source has a capitalised word that `w` (capitalised) transliterates
    /// another way: the same consonants, three or more, in the same order, with other
    /// vowels or glides (`Dnepr` of `Dnieper`), and no more than two
    /// letters longer or shorter. A name cut short (`Kazakhsta`) or garbled at its end
    /// (`Tajikists`) loses or changes a consonant.
    fn transliterated_in_source(&self, w: &str) -> bool {
        fn skeleton(w: &str) -> Vec<char> {
            w.chars()
                .flat_map(char::to_lowercase)
                .filter(|c| c.is_alphabetic() && !"aeiouyjwäöüáéíóúàèìòùâêîôûh".contains(*c))
                .collect()
        }
        let own = skeleton(w);
        let n = w.chars().count();
        own.len() >= 3
            && self.source.iter().any(|s| {
                s.chars().next().is_some_and(char::is_uppercase)
                    && s != w
                    && s.chars().count().abs_diff(n) <= 2
                    && skeleton(s) == own
            })
    }

    /// Whether `lw` (lowercase) is a verb of the source conjugated as a German weak verb:
    /// a source word of four letters or more, or its stem before `-ing`, `-ed` or `-s`,
    /// with the ending of a weak verb's past or present (`posteten` of `posting`, `postete`
    /// of `posted`). The source's own stem, whole, keeps a slip of a German word (`invalde`
    /// for `invalide`, source `invalid`) a slip: `inval` is no source word's stem.
    fn verb_taken_over(&self, lw: &[char]) -> bool {
        if lw.len() < 6 || self.source.is_empty() {
            return false;
        }
        let word: String = lw.iter().collect();
        ["eten", "ete", "ten", "te", "tet", "test", "et", "t"]
            .iter()
            .filter_map(|end| word.strip_suffix(end))
            .filter(|stem| stem.chars().count() >= 4)
            .any(|stem| {
                ["", "ing", "ed", "s", "es"].iter().any(|e| {
                    let form = format!("{stem}{e}");
                    self.source.contains(&form)
                })
            })
    }

    /// A capitalised source word that `w` is the beginning of, one to three letters short
    /// and not by an inflectional ending (`Timoshenk` of `Timoshenko`, not `Putin` of
    /// `Putins`).
    fn truncated_source_word(&self, w: &str) -> Option<String> {
        let n = w.chars().count();
        if n < 5 {
            return None;
        }
        let sorted = self.sorted_source();
        // The words that begin with `w` stand together in sorted order.
        let from = sorted.partition_point(|s| s.as_str() < w);
        sorted[from..]
            .iter()
            .take_while(|s| s.starts_with(w))
            .filter(|s| {
                s.starts_with(w)
                    && (n + 1..=n + 3).contains(&s.chars().count())
                    && s.chars().next().is_some_and(char::is_uppercase)
                    && !inflection(&s.to_lowercase(), &w.to_lowercase())
            })
            .min()
            .cloned()
    }

    /// Whether `w`, a word in Cyrillic letters, renders a Latin-letter word of the source
    /// by its sound, with or without an ending (`прокси` of `proxy`, `сокета` of `socket`):
    /// a loanword the dictionary may lack, not a typo.
    fn loanword_of_source(&self, w: &str) -> bool {
        if !w.chars().any(|c| matches!(c, '\u{400}'..='\u{4ff}')) {
            return false;
        }
        let Some(key) = super::text::sound_key(w) else {
            return false;
        };
        let sounds = self.source_sounds.get_or_init(|| {
            let mut v: Vec<String> = self
                .source
                .iter()
                .filter(|s| s.is_ascii())
                .filter_map(|s| super::text::sound_key(s))
                .filter(|k| k.len() >= 4)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        });
        (0..=3.min(key.len())).any(|cut| {
            let stem = &key[..key.len() - cut];
            sounds.binary_search_by(|k| k.as_str().cmp(stem)).is_ok()
                && super::text::sounds_like(&key, stem)
        })
    }

    fn attested(&self, w: &str) -> bool {
        self.in_source(w) || (!self.terms.is_empty() && self.terms.contains_key(&w.to_lowercase()))
    }

    /// Whether the target has `w` with its first letter in lower case (`w` is a common
    /// word written at the start of a sentence, not a name).
    fn in_lower_case(&self, w: &str) -> bool {
        let mut cs = w.chars();
        let Some(first) = cs.next() else {
            return false;
        };
        let lower: String = first.to_lowercase().chain(cs).collect();
        lower != w && self.count(&lower) > 0
    }

    /// How often `w` occurs in the target.
    pub(super) fn count(&self, w: &str) -> usize {
        self.target.get(w).map_or(0, |s| s.count)
    }

    /// A well-attested word within a small edit distance of `w` (one edit for words under
    /// seven letters, two from then on) that is not an inflection of it: a glossary
    /// rendering, else a word of the text that occurs twice or more, is in the source or
    /// is `known` (a capitalised `w` looks at capitalised words only); `accept` (given `w`
    /// and the word, both lowercase) may refuse a word.
    fn neighbour(
        &self,
        w: &str,
        known: impl Fn(&str) -> bool,
        accept: impl Fn(&[char], &[char]) -> bool,
    ) -> Option<String> {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        let n = lw.len();
        if n < 5 {
            return None;
        }
        let max = if n < 7 { 1 } else { 2 };
        let lw_str: String = lw.iter().collect();
        let index = self.near_index();
        let close = |c: &NearWord| -> Option<usize> {
            if *c.lower == *lw
                || c.lower.len().abs_diff(n) > max
                || c.lower
                    .iter()
                    .any(|ch| !ch.is_alphabetic() && *ch != '-' && *ch != '\'')
                || text_forms(&c.lower.iter().collect::<String>(), &lw_str)
                || !accept(&lw, &c.lower)
            {
                return None;
            }
            let d = distance_within(&c.lower, &lw, max);
            (d <= max).then_some(d)
        };
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        // Ties go to the alphabetically first word, so results do not depend on hashing.
        fn consider<'a>(best: &mut Option<(usize, &'a str)>, v: &'a str, d: usize) {
            if best.is_none_or(|(bd, bv)| d < bd || (d == bd && v < bv)) {
                *best = Some((d, v));
            }
        }
        let mut best: Option<(usize, &str)> = None;
        let ids = index.candidates(&lw);
        for &i in &ids {
            let t = &index.words[i as usize];
            if t.origin == Origin::Term {
                if let Some(d) = close(t) {
                    consider(&mut best, &t.word, d);
                }
            }
        }
        if let Some((_, v)) = best {
            return Some(v.to_string());
        }
        for &i in &ids {
            let v = &index.words[i as usize];
            // A capitalised word looks at capitalised words; words in capitals only at
            // words in capitals.
            let shouting = v.word.chars().all(|c| !c.is_lowercase());
            if v.origin != Origin::Target
                || (capitalised && !v.word.starts_with(char::is_uppercase))
                || (shouting && w.chars().any(char::is_lowercase))
            {
                continue;
            }
            if let Some(d) = close(v) {
                let attested = self.in_source(&v.word) || known(&v.word);
                // A word the dictionary lacks too, written twice or more, is evidence
                // unless it is another form of the word `w` is a form of. (A name written
                // once, and never in lower case, garbled at its end is a slip:
                // `Tajikists`.)
                if attested
                    || (self.count(&v.word) >= 2
                        && !(unknown_forms(&lw, &v.lower, self.count(w))
                            && (!capitalised
                                || self.count(w) >= 2
                                || self.in_lower_case(w)
                                || self.in_lower_case(&v.word))))
                {
                    consider(&mut best, &v.word, d);
                }
            }
        }
        best.map(|(_, v)| v.to_string())
    }
}

/// Adds the source words `other` to `source` (taking the set when `source` is empty).
fn merge_source(source: &mut HashSet<String>, other: HashSet<String>) {
    if source.is_empty() {
        *source = other;
    } else {
        source.extend(other);
    }
}

/// Adds the target word counts `other` to `target` (taking the map when `target` is empty).
fn merge_target(target: &mut HashMap<String, WordStat>, other: HashMap<String, WordStat>) {
    if target.is_empty() {
        *target = other;
    } else {
        for (w, stat) in other {
            target.entry(w).or_default().count += stat.count;
        }
    }
}

/// Whether `w` (lowercase, written `w_count` times in the text) and `n` (lowercase), two
/// words of the text that the dictionary lacks both, are two forms of one word
/// (`despublicar`/`despublicarán`, `dépublier`/`dépubliée`,
/// `перенаправление`/`перенаправления`): a shared beginning of five letters or more, each
/// with up to three letters of ending after it. A word the dictionary lacks, written in
/// several forms, is no slip of its other forms, and neither is evidence against the other.
/// Not when the difference is one that hands make (a swap, a letter doubled or dropped), nor
/// when `w` is `n` cut short and written so once only.
fn unknown_forms(w: &[char], n: &[char], w_count: usize) -> bool {
    let p = w.iter().zip(n).take_while(|(a, b)| a == b).count();
    let (rw, rn) = (w.len() - p, n.len() - p);
    p >= 5
        && rw <= 3
        && rn <= 3
        && rw + rn > 0
        && (rw > 0 || w_count >= 2)
        && !Shape::of(w, n).is_hand_slip()
}

/// Whether `a` and `b` differ only by an inflectional ending.
fn inflection(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short).is_some_and(|rest| {
        matches!(
            rest,
            "s" | "es"
                | "n"
                | "ns"
                | "e"
                | "en"
                | "er"
                | "ern"
                | "em"
                | "es'"
                | "'s"
                | "’s"
                | "ian"
        )
    })
}

/// Whether `a` and `b`, two words of one text, are forms of one noun: [`inflection`], or a
/// Russian case ending (`секстиллион`, `секстиллиона`, `секстиллионов`). (Only between
/// words of the text: a word cut short of a dictionary word, `перемещени`, stays a slip.)
fn text_forms(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    inflection(a, b)
        || long.strip_prefix(short).is_some_and(|rest| {
            matches!(
                rest,
                "а" | "я"
                    | "ы"
                    | "и"
                    | "у"
                    | "ю"
                    | "е"
                    | "ом"
                    | "ем"
                    | "ой"
                    | "ей"
                    | "ов"
                    | "ев"
                    | "ам"
                    | "ям"
                    | "ах"
                    | "ях"
                    | "ами"
                    | "ями"
            )
        })
}

fn strip_possessive(w: &str) -> &str {
    for suf in ["'s", "’s", "'", "’"] {
        if let Some(s) = w.strip_suffix(suf) {
            return s;
        }
    }
    w
}

fn inner_capital(w: &str) -> bool {
    let mut prev_lower = false;
    for c in w.chars() {
        if c.is_uppercase() && prev_lower {
            return true;
        }
        prev_lower = c.is_lowercase();
    }
    false
}

/// Whether the word at `start..end` sits in a URL, e-mail address, hashtag, mention, path,
/// domain or code: judged by the whitespace-delimited chunk around it.
fn skip_context(text: &str, start: usize, end: usize) -> bool {
    let cs = text[..start].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let ce = text[end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| end + i);
    // Markup around a word (`<b>Kommentar:</b>`), the angle brackets of a metavariable of
    // a usage message (`<Datei>`, `[<Optionen>]`, `<neuer Pfad>`) and an accelerator
    // marker before a word (`_Datei`, `&Öffnen`) are no code: the chunk is judged without
    // them.
    let plain = plain_chunk(&text[cs..ce]);
    // Words joined by a slash (`Dirigent/Darsteller`, `und/oder`) are words, not a path.
    let slashed;
    let mut chunk = plain.as_str();
    if chunk.contains('/')
        && !chunk.starts_with('/')
        && chunk
            .split('/')
            .all(|p| p.chars().count() >= 2 && p.chars().all(char::is_alphabetic))
    {
        slashed = chunk.replace('/', " ");
        chunk = &slashed;
    }
    if chunk.contains("://")
        || chunk.starts_with("www.")
        || chunk.contains([
            '@', '#', '_', '/', '\\', '=', '<', '>', '{', '}', '|', '~', '`',
        ])
    {
        return true;
    }
    // Domains and dotted identifiers: a dot between two letters inside the chunk
    // (`example.com`, `config.toml`), but not an abbreviation's final dot.
    let b = chunk.as_bytes();
    (1..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'.'
            && b[i - 1].is_ascii_lowercase()
            && b[i + 1].is_ascii_lowercase()
            && b.get(i + 2).is_some_and(u8::is_ascii_lowercase)
    })
}

/// `chunk` without simple tags (`<b>`, `</b>`, `<br/>`), the angle brackets of a
/// metavariable at its ends, and an accelerator marker before its first word.
fn plain_chunk(chunk: &str) -> String {
    let mut out = String::with_capacity(chunk.len());
    // A line break or tab written as an escape (`\n` in a catalogue's text) ends a word.
    let unescaped = chunk.replace("\\n", " ").replace("\\t", " ");
    let mut rest = unescaped.trim_end();
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let name_end = after
            .trim_start_matches('/')
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map(|k| k + (after.len() - after.trim_start_matches('/').len()));
        let tag = name_end.and_then(|k| {
            let tail = &after[k..];
            let close = if tail.starts_with("/>") { 2 } else { 1 };
            (k > 0 && (tail.starts_with('>') || tail.starts_with("/>"))).then_some(k + close)
        });
        match tag {
            Some(len) if after[..len].chars().any(|c| c.is_ascii_alphabetic()) => {
                out.push_str(&rest[..i]);
                rest = &after[len..];
            }
            _ => {
                out.push_str(&rest[..=i]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // The brackets of a metavariable, at the ends of the chunk.
    let trimmed = out
        .trim_start_matches(['[', '<'])
        .trim_end_matches([']', '>', ':', ',', '.', ')']);
    let inner_code = trimmed.contains(['<', '>']);
    let mut plain = if inner_code {
        out.clone()
    } else {
        let lead = out.len() - out.trim_start_matches(['[', '<']).len();
        let body = &out[lead..];
        let body = body.trim_end_matches([']', '>', ':', ',', '.', ')']);
        let tail_start = lead + body.len();
        format!("{body}{}", out[tail_start..].replace(['>', ']'], ""))
    };
    if let Some(rest) = plain.strip_prefix(['_', '&']) {
        if rest.starts_with(char::is_alphabetic) && !rest.contains(['_', '&', ';']) {
            plain = rest.to_string();
        }
    }
    plain
}

/// Whether `c` is `w` (lowercase, six letters or more) with one more letter, a Latin
/// consonant other than `h`, `j`, `w` and `y` (letters that transliterations of one name
/// differ in, as they do in vowels), and not next to the same letter (a doubled one).
fn dropped_consonant(w: &[char], c: &str) -> bool {
    let c: Vec<char> = c.chars().flat_map(char::to_lowercase).collect();
    if w.len() < 6 || c.len() != w.len() + 1 {
        return false;
    }
    let i = w.iter().zip(&c).take_while(|(a, b)| a == b).count();
    let letter = c[i];
    w[i..] == c[i + 1..]
        && letter.is_ascii_alphabetic()
        && !"aeiouhjwy".contains(letter)
        && c.get(i + 1) != Some(&letter)
        && (i == 0 || c[i - 1] != letter)
}

/// Whether the capitalised unknown word `w` is another transliteration of the name the
/// dictionary writes `known`: the two differ only by a glide (`j`, `y`: `Dnepr`/`Dnjepr`,
/// `Tokayev`/`Tokajev`), and a capitalised word of the source has the consonants of `w`
/// in the same order (`Dnieper`). A glide is where transliterations of one name part
/// ways; a slip of the hand in a noun rarely drops or adds one.
fn transliteration(w: &str, known: &str, ev: &Evidence) -> bool {
    let bare = |x: &str| -> Vec<char> {
        x.chars()
            .flat_map(char::to_lowercase)
            .filter(|c| !matches!(c, 'j' | 'y'))
            .collect()
    };
    w.chars().next().is_some_and(char::is_uppercase)
        && !w.eq_ignore_ascii_case(known)
        && bare(w) == bare(known)
        && ev.transliterated_in_source(w)
}

/// Whether `n` (a word of the text) is what `w` was meant to be by the shape of the
/// difference: a truncated or garbled end, or two letters swapped (see
/// [`SpellChecker::slip_of`]).
fn strong_slip(w: &str, n: &str) -> bool {
    let a: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = n.chars().flat_map(char::to_lowercase).collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let d = distance_within(&a, &b, 2);
    (prefix >= 6 && prefix * 4 >= a.len() * 3 && d <= 2)
        || (d == 1 && a.len() == b.len() && a.len() >= 5 && {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            diff.len() == 2 && diff[1] == diff[0] + 1
        })
}

/// Whether `rest` (the text after a full stop) goes on in lower case on the same line.
fn continues_lowercase(rest: &str) -> bool {
    rest.trim_start_matches([' ', '\u{a0}'])
        .chars()
        .next()
        .is_some_and(|c| {
            c.is_lowercase() || c.is_ascii_digit() || matches!(c, ',' | ';' | ':' | ')')
        })
}

/// Gaps of two spaces or more in `line` (the columns of a table are set apart by them).
fn column_gaps(line: &str) -> usize {
    line.split(' ')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| !w[0].is_empty() && w[1].is_empty())
        .count()
}

/// Where the word after an elided article or pronoun begins in `w` (`l'analyse`,
/// `d’installer`, `jusqu'à`, `dell'anno`): after an apostrophe that follows one to three
/// letters, or one of the longer elided conjunctions.
fn elided(w: &str) -> Option<usize> {
    let (i, c) = w.char_indices().find(|(_, c)| matches!(c, '\'' | '’'))?;
    let head = &w[..i];
    let n = head.chars().count();
    let long = ["jusqu", "lorsqu", "puisqu", "quoiqu", "quelqu"]
        .iter()
        .any(|x| head.eq_ignore_ascii_case(x));
    let rest = i + c.len_utf8();
    ((1..=3).contains(&n) || long)
        .then_some(rest)
        .filter(|&k| w[k..].chars().count() >= 2)
}

/// Whether the line of `text` that begins at byte `start` is a headline in title case: of
/// its words (`words` from one on that line, in order) at least four of four letters or
/// more, and three in four of those capitalised.
fn headline(text: &str, words: &[std::ops::Range<usize>], start: usize) -> bool {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let (mut long, mut capital) = (0, 0);
    for r in words.iter().take_while(|r| r.start < end) {
        let w = &text[r.clone()];
        if w.chars().count() >= 4 {
            long += 1;
            capital += usize::from(w.starts_with(char::is_uppercase));
        }
    }
    // The words before the first one given (earlier on the line) are not counted: a
    // line is judged from its first word looked at, which is its first word in practice.
    long >= 4 && capital * 4 >= long * 3
}

/// Whether the word at byte `at` of `text` begins a sentence: nothing but spaces, quotes,
/// brackets, dashes, accelerator markers or tags since the start of the text, a line
/// break, a sentence end or a gap of two spaces or more.
fn sentence_start(text: &str, at: usize) -> bool {
    let mut chars = text[..at].chars().rev().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A gap of several spaces begins a column (the text of a usage line).
            ' ' if chars.peek() == Some(&' ') => return true,
            ' ' | '\u{a0}' | '"' | '\'' | '“' | '„' | '«' | '»' | '‘' | '(' | '[' | '-' | '–'
            | '—' | '*' | '•' | '_' | '&' => {}
            // A tag before the word (`<b>Kommentar`): what stands before the tag counts.
            '>' => {
                if !chars.by_ref().any(|c| c == '<') {
                    return false;
                }
            }
            '.' | '!' | '?' | '…' | '\n' | ':' => return true,
            _ => return false,
        }
    }
    true
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions), by chars.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, a.len().max(b.len()))
}

/// The threads the dictionary's work spreads over: the machine's, at most four.
fn available_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4)
}

/// Runs `f` over `items` on up to four threads (one below `min` items); the results in
/// input order. The items go in short runs to whichever thread is free ([`Runs`]).
fn in_threads<T: Sync, R: Send>(items: &[T], min: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = available_threads();
    if items.len() < min || threads <= 1 {
        return items.iter().map(f).collect();
    }
    let runs = Runs::new(items, threads);
    let f = &f;
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(|| runs.take(f))).collect();
        let mut done = runs.take(f);
        for h in helpers {
            done.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        runs.assemble(done)
    })
}

/// Items cut into short runs that threads take one at a time, whichever is free: items
/// whose cost differs (a known word against an unknown one) end together on every thread.
struct Runs<'a, T> {
    runs: Vec<&'a [T]>,
    next: std::sync::atomic::AtomicUsize,
}

/// Runs per thread in [`Runs`].
const RUNS_PER_THREAD: usize = 16;

impl<'a, T> Runs<'a, T> {
    /// `items` in runs for `threads` threads.
    fn new(items: &'a [T], threads: usize) -> Runs<'a, T> {
        let size = items
            .len()
            .div_ceil(threads.max(1) * RUNS_PER_THREAD)
            .max(1);
        Runs {
            runs: items.chunks(size).collect(),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Takes runs until none is left: `f` of their items, with the number of each run.
    fn take<R>(&self, f: &impl Fn(&T) -> R) -> Vec<(usize, Vec<R>)> {
        let mut done = Vec::new();
        loop {
            let k = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(run) = self.runs.get(k) else {
                break done;
            };
            done.push((k, run.iter().map(f).collect()));
        }
    }

    /// The results of all runs (as [`Runs::take`] gave them, from every thread) in the
    /// items' order.
    fn assemble<R>(&self, mut done: Vec<(usize, Vec<R>)>) -> Vec<R> {
        done.sort_unstable_by_key(|(k, _)| *k);
        done.into_iter().flat_map(|(_, r)| r).collect()
    }
}

#[cfg(test)]
impl SpellChecker {
    /// [`SpellChecker::whole_word_slip`] as it was first written (every candidate made
    /// first, repeats found by comparing with those tried): the oracle of its tests.
    ///
    /// A word the dictionary accepts whole that `w` is one slip of the hand from: two
    /// neighbouring letters swapped, a letter typed twice, or a letter left out (one of the
    /// letters `w` has, or a letter doubled). This finds slips in the endings of inflected forms, which the
    /// stems do not list (`Änderunegn` of `Änderungen`, `Leszeichen` of `Lesezeichen`).
    /// The first letter is never changed, and each candidate is verified in the case of `w`
    /// (in a language that makes compounds, only a stem with or without an ending, or a
    /// swap or doubling in the last four letters).
    fn whole_word_slip_slow(
        &self,
        w: &str,
        lw: &[char],
        upper: bool,
        accept: &impl Fn(&[char], &[char]) -> bool,
    ) -> Option<(String, Shape, bool)> {
        let n = lw.len();
        let written: Vec<char> = w.chars().collect();
        if written.len() != n {
            return None;
        }
        let mut letters: Vec<char> = lw.to_vec();
        letters.sort_unstable();
        letters.dedup();
        let mut tried: Vec<Vec<char>> = Vec::new();
        let mut cands: Vec<Vec<char>> = Vec::new();
        for i in 1..n - 1 {
            if lw[i] != lw[i + 1] {
                let mut c = lw.to_vec();
                c.swap(i, i + 1);
                cands.push(c);
            }
        }
        for i in 2..n {
            if lw[i] == lw[i - 1] {
                let mut c = lw.to_vec();
                c.remove(i);
                cands.push(c);
            }
        }
        for i in 1..=n {
            for &l in &letters {
                // (Doubling the letter before is the same word as doubling the one after.)
                if lw.get(i) == Some(&l) {
                    continue;
                }
                let mut c = lw.to_vec();
                c.insert(i, l);
                cands.push(c);
            }
        }
        let stems = self.stems();
        // In a language that makes compounds, the dictionary's compounding rules accept too
        // many strings one edit from an unknown compound (`Formtatspezifikation`), and each
        // candidate costs the dictionary a search for compound splits: there a candidate is
        // asked about when it is a stem, itself or with an ending of the affix file, or when
        // two letters were swapped or one doubled in the last four (an inflected ending;
        // letters left out there would be too many candidates to ask about).
        let plausible = |c: &[char]| {
            if !stems.compounds() {
                return true;
            }
            let same = lw.iter().zip(c).take_while(|(a, b)| a == b).count();
            (c.len() <= n && same + 4 >= n)
                || (c.len().saturating_sub(4)..=c.len())
                    .any(|j| stems.contains(&c[..j]) && (j == c.len() || stems.is_ending(&c[j..])))
        };
        for c in cands {
            if tried.contains(&c) || !accept(lw, &c) || !plausible(&c) {
                continue;
            }
            let as_written: String = c
                .iter()
                .enumerate()
                .map(|(i, &l)| if i == 0 && upper { written[0] } else { l })
                .collect();
            if self.accepts(&as_written) {
                return Some((as_written, Shape::of(lw, &c), false));
            }
            tried.push(c);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_unicode_hyphens_are_split_at_the_right_bytes() {
        let Ok(spell) = SpellChecker::for_lang(Lang::from_code("de").unwrap(), None) else {
            return;
        };
        let text = "SPALTEN‐spaltige Ausgabe, Xyzzyqwv‐Ausgabe";
        let words = super::super::words(text);
        let ev = Evidence::default();
        let found = spell.check_words(text, &words, &ev, &mut Judged::new(&Verdicts::default()));
        for raw in found {
            let span = raw.span.expect("span");
            assert_eq!(&text[span], raw.text);
        }
    }

    #[test]
    fn words_the_source_quotes_are_still_known_to_the_language_check() {
        let Ok(spell) = SpellChecker::for_lang(Lang::from_code("en").unwrap(), None) else {
            return;
        };
        // A German technical text quotes English words; its English translation uses them
        // as plain words. The settled verdicts skip the dictionary for words the source
        // has, but the language check must still count them as English.
        let mut ev = Evidence::default();
        ev.add_source("Der Befehl „exchange with name“ meldet den Server Qzxvbn an.");
        let text = "The exchange starts with the name of the Qzxvbn server.";
        ev.add_target_words(text, &super::super::words(text));
        ev.settle(&spell);
        for w in ["exchange", "with", "name", "server"] {
            assert!(ev.knows(&spell, w), "{w}");
        }
        assert!(!ev.knows(&spell, "Qzxvbn"));
    }

    /// The words of real text (the shared corpus, installed catalogues) of five letters
    /// or more, letters only, each once; `None` (the test skips) without the catalogues.
    fn real_words() -> Option<Vec<String>> {
        let mut seen = HashSet::default();
        let mut out = Vec::new();
        for line in super::super::text::real_texts(4)? {
            for r in super::super::words(&line) {
                let w = &line[r];
                if w.chars().count() >= 5
                    && w.chars().all(char::is_alphabetic)
                    && seen.insert(w.to_string())
                {
                    out.push(w.to_string());
                }
            }
        }
        Some(out)
    }

    #[test]
    fn settled_answers_for_source_words_are_the_dictionarys() {
        for code in ["en", "de"] {
            let Ok(spell) = SpellChecker::for_lang(Lang::from_code(code).unwrap(), None) else {
                continue;
            };
            // Every real word is in the source and the target: none is looked up when
            // settled, each is asked (and kept) by the language check's first count.
            let Some(words) = real_words() else {
                return;
            };
            let text = words.join(" ");
            let mut ev = Evidence::default();
            ev.add_source(&text);
            ev.add_target_words(&text, &super::super::words(&text));
            ev.settle(&spell);
            let mut kept = 0;
            for round in 0..2 {
                for w in words.iter().step_by(3) {
                    assert_eq!(
                        ev.knows(&spell, w),
                        spell.accepts(w),
                        "{code} {w} ({round})"
                    );
                    kept += usize::from(ev.verdict(w).is_some_and(|v| !v.known));
                }
            }
            assert!(kept >= 400, "{code}: {kept} answers kept");
        }
    }

    #[test]
    fn whole_word_slips_are_those_of_the_search_over_every_candidate() {
        // Real words the dictionary lacks and slips of real words it knows (in the
        // middle, in the last four letters, a letter of a run of three taken out), each
        // with a lenient and a refusing `accept`: the candidates made one at a time find
        // what the search over all candidates found.
        for code in ["en", "de"] {
            let Ok(spell) = SpellChecker::for_lang(Lang::from_code(code).unwrap(), None) else {
                continue;
            };
            let (mut asked, mut found) = (0, 0);
            let lenient = |_: &[char], _: &[char]| true;
            let refusing = |a: &[char], b: &[char]| !end_variant(a, b);
            let Some(words) = real_words() else {
                return;
            };
            for word in words.iter().step_by(7).take(700) {
                let chars: Vec<char> = word.chars().collect();
                let n = chars.len();
                let mut slips = vec![word.clone()];
                for at in [n / 2, n - 3] {
                    let mut swap = chars.clone();
                    swap.swap(at, at + 1);
                    let mut doubled = chars.clone();
                    doubled.insert(at, chars[at]);
                    let mut tripled = doubled.clone();
                    tripled.insert(at, chars[at]);
                    let mut dropped = chars.clone();
                    dropped.remove(at);
                    for s in [swap, doubled, tripled, dropped] {
                        slips.push(s.into_iter().collect());
                    }
                }
                for w in &slips {
                    if spell.knows(w) {
                        continue;
                    }
                    let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
                    let upper = w.starts_with(char::is_uppercase);
                    let ours = spell.whole_word_slip(w, &lw, upper, &lenient);
                    let slow = spell.whole_word_slip_slow(w, &lw, upper, &lenient);
                    assert_eq!(ours, slow, "{code} {w}");
                    let ours = spell.whole_word_slip(w, &lw, upper, &refusing);
                    let slow = spell.whole_word_slip_slow(w, &lw, upper, &refusing);
                    assert_eq!(ours, slow, "{code} {w} (refusing)");
                    asked += 1;
                    found += usize::from(ours.is_some());
                }
            }
            assert!(asked >= 300 && found >= 50, "{code}: {found} of {asked}");
        }
    }

    #[test]
    fn a_word_is_judged_once_for_the_typo_and_the_language_check() {
        let Ok(spell) = SpellChecker::for_lang(Lang::from_code("de").unwrap(), None) else {
            return;
        };
        // A German noun with a slip, at a sentence start and inside a sentence: in a
        // language that capitalises its nouns the place of the capital changes nothing, so
        // both occurrences and the language check's question share one verdict.
        let text = "Regierrung tagt. Die Regierrung tagt heute.";
        let words = super::super::words(text);
        let mut ev = Evidence::default();
        ev.add_target_words(text, &words);
        ev.settle(&spell);
        let verdicts = Verdicts::default();
        let mut judged = Judged::new(&verdicts);
        let found = spell.check_words(text, &words, &ev, &mut judged);
        assert_eq!(found.len(), 2);
        assert!(found
            .iter()
            .all(|r| r.suggestion.as_deref() == Some("Regierung")));
        assert_eq!(verdicts.len(), 1);
        assert!(spell.slip_of_word("Regierrung", &ev, &mut judged));
        assert_eq!(verdicts.len(), 1);
        // The verdict kept is the one a fresh judgment gives.
        let fresh = spell.judge("Regierrung", true, true, &ev).expect("a typo");
        assert_eq!(fresh.suggestion, found[0].suggestion);
    }

    #[test]
    fn kept_answers_are_the_dictionary_answers() {
        let Ok(spell) = SpellChecker::for_lang(Lang::from_code("de").unwrap(), None) else {
            return;
        };
        let words = [
            "Regierung",
            "Regierungssprecher",
            "Regierrung",
            "Xyzzyqwv",
            "Repositoriumsname",
        ];
        for _ in 0..2 {
            for w in words {
                assert_eq!(spell.accepts(w), spell.dict.check(w), "{w}");
            }
        }
    }

    /// The narrow edit search finds a suggestion exactly when the dictionary's own suggester
    /// (the search it replaces) has one of the shapes the check keeps, and names one of
    /// them: slips (a swap, a doubled letter, a dropped letter, a cut end) of words of the
    /// installed dictionaries' own word lists, in lower case, capitalised and in capitals.
    #[test]
    fn the_slip_search_agrees_with_the_dictionarys_suggester() {
        for code in ["en", "de"] {
            let Ok(spell) = SpellChecker::for_lang(Lang::from_code(code).unwrap(), None) else {
                continue;
            };
            let forms = spell
                .stems()
                .forms()
                .filter(|f| (6..=12).contains(&f.lower.len()))
                .filter(|f| f.word.chars().all(char::is_alphabetic))
                .map(|f| f.word.to_string())
                .collect::<std::collections::BTreeSet<_>>();
            let (mut asked, mut found, mut first) = (0, 0, 0);
            for word in forms.iter().step_by(forms.len() / 12 + 1) {
                let chars: Vec<char> = word.chars().collect();
                let n = chars.len();
                let mut swap = chars.clone();
                swap.swap(n / 2, n / 2 + 1);
                let mut doubled = chars.clone();
                doubled.insert(n / 2, chars[n / 2]);
                let mut dropped = chars.clone();
                dropped.remove(n / 2);
                let cut = chars[..n - 1].to_vec();
                for slip in [swap, doubled, dropped, cut] {
                    let slip: String = slip.into_iter().collect();
                    let upper = slip.to_uppercase();
                    for w in [slip.as_str(), upper.as_str()] {
                        if w.chars().count() < 5 || spell.knows(w) {
                            continue;
                        }
                        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
                        let mut theirs = Vec::new();
                        spell
                            .book()
                            .expect("spellbook loads the dictionary")
                            .suggester()
                            .with_ngram_suggestions(false)
                            .suggest(w, &mut theirs);
                        let theirs: Vec<String> = theirs
                            .into_iter()
                            .filter(|s| !s.contains([' ', '-']))
                            .filter(|s| {
                                let ls: Vec<char> =
                                    s.chars().flat_map(char::to_lowercase).collect();
                                slip_severity(&lw, &ls).is_some()
                            })
                            .collect();
                        let ours = spell.slip_search(w, &lw);
                        asked += 1;
                        assert_eq!(
                            ours.is_some(),
                            !theirs.is_empty(),
                            "{code} {w}: ours {ours:?}, the suggester's {theirs:?}"
                        );
                        if let Some((s, _)) = ours {
                            assert!(theirs.contains(&s), "{code} {w}: {s} not in {theirs:?}");
                            found += 1;
                            first += usize::from(theirs[0] == s);
                        }
                    }
                }
            }
            assert!(
                asked >= 40 && found >= asked / 2,
                "{code}: {found} of {asked}"
            );
            // The same first choice, but for ties the two searches order differently.
            assert!(
                first * 10 >= found * 9,
                "{code}: {first} of {found} the same"
            );
        }
    }

    #[test]
    fn column_gaps_are_runs_of_spaces() {
        assert_eq!(column_gaps("Size  Flags   Align"), 2);
        assert_eq!(column_gaps("--ctf-parent=NOM           Use the member"), 1);
        assert_eq!(column_gaps("a b c"), 0);
    }

    #[test]
    fn elided_articles_are_taken_off() {
        fn after(w: &str) -> Option<&str> {
            elided(w).map(|k| &w[k..])
        }
        assert_eq!(after("l'analyse"), Some("analyse"));
        assert_eq!(after("d’installer"), Some("installer"));
        assert_eq!(after("jusqu'ici"), Some("ici"));
        assert_eq!(after("Putin's"), None);
        assert_eq!(after("o'clock"), Some("clock"));
        assert_eq!(after("word"), None);
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance("tajikists", "tajikistan"), 2);
        assert_eq!(distance("teh", "the"), 1);
        assert_eq!(distance("abc", "abc"), 0);
    }

    #[test]
    fn inflections_are_not_neighbours() {
        assert!(inflection("tajiks", "tajik"));
        assert!(inflection("russia", "russian"));
        assert!(!inflection("tajikistan", "tajikists"));
    }

    #[test]
    fn forms_of_one_unknown_word_are_no_slips_of_each_other() {
        let c = |w: &str| w.chars().collect::<Vec<char>>();
        assert!(unknown_forms(&c("dépubliera"), &c("dépublier"), 1));
        assert!(unknown_forms(&c("dépubliée"), &c("dépublier"), 1));
        assert!(unknown_forms(
            &c("перенаправления"),
            &c("перенаправление"),
            3
        ));
        // Cut short: a form when written so more than once.
        assert!(unknown_forms(&c("despublicar"), &c("despublicarán"), 5));
        assert!(!unknown_forms(&c("despublicar"), &c("despublicarán"), 1));
        // Slips of the hand, and differences beyond the ending.
        assert!(!unknown_forms(&c("dépublire"), &c("dépublier"), 1));
        assert!(!unknown_forms(&c("dépublierr"), &c("dépublier"), 1));
        assert!(!unknown_forms(&c("dépbulier"), &c("dépublier"), 1));
    }

    #[test]
    fn code_and_addresses_are_skipped() {
        let t =
            "see https://example.org/Tajikists or mail press@example.com #Tajikists config.toml";
        for w in ["Tajikists", "press", "config"] {
            let at = t.find(w).unwrap();
            assert!(skip_context(t, at, at + w.len()), "{w}");
        }
        let t = "Vladimir Putin travels.";
        assert!(!skip_context(t, 9, 14));
        let t = "git log [<Optionen>] <neuer-Pfad> <a href=x>";
        for w in ["Optionen", "neuer"] {
            let at = t.find(w).unwrap();
            assert!(!skip_context(t, at, at + w.len()), "{w}");
        }
        let at = t.find("href").unwrap();
        assert!(skip_context(t, at, at + 4));
        let t = "_Datei &Bearbeiten file_name <b>Kommentar:</b> <Fortschritt und Pfad> x<yz Dirigent/Darsteller /usr/bin";
        for (w, skip) in [
            ("Datei", false),
            ("Bearbeiten", false),
            ("name", true),
            ("Kommentar", false),
            ("Fortschritt", false),
            ("Pfad", false),
            ("yz", true),
            ("Darsteller", false),
            ("bin", true),
        ] {
            let at = t.find(w).unwrap();
            assert_eq!(skip_context(t, at, at + w.len()), skip, "{w}");
        }
    }

    #[test]
    fn neighbours_need_attested_words() {
        let mut ev = Evidence::default();
        ev.add_target("Tajikistan is big. Tajikistan borders Afghanistan. The first stop is Tajikists. Rakhmon spoke.");
        assert_eq!(
            ev.neighbour("Tajikists", |_| false, |_, _| true).as_deref(),
            Some("Tajikistan")
        );
        assert_eq!(ev.neighbour("Rakhmon", |_| false, |_, _| true), None);
        ev.add_term("Kassym-Jomart Tokayev");
        assert_eq!(
            ev.neighbour("Tokajev", |_| false, |_, _| true).as_deref(),
            Some("Tokayev")
        );
    }
}
