//! The spell check: Hunspell-format dictionaries through `spellbook`, with evidence from the
//! source, the glossary and the document itself so that names are not called typos.
//!
//! A word is never a typo when it contains a digit, belongs to a URL, e-mail address,
//! hashtag, mention, path or code, is an acronym (all capitals), has inner capitals
//! (`iPhone`), has at most three letters, or occurs in the source or a glossary rendering.
//!
//! An unknown **capitalised** word is taken for a name unless the document (or source or
//! glossary) holds a well-attested word a small edit away from it — a word the dictionary
//! knows, or one that occurs at least twice, or one from the source or glossary — and the
//! two are not inflections of each other (`Tajik`/`Tajiks`). `Tajikists` next to
//! `Tajikistan` is a typo; `Rakhmon` with nothing near it is a name. A capitalised word that
//! occurs twice or more is consistent and taken as a name.
//!
//! An unknown **lowercase** word is a typo; its suggestion comes from the glossary and the
//! document first, then from the dictionary. A dictionary suggestion that only splits the
//! word (`livestream` → `live stream`) means the word is a closed compound and not reported.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use crate::lang::Lang;

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
    dict: spellbook::Dictionary,
    path: PathBuf,
    /// The primary dictionary's locale, `en-US` style (from its file name).
    locale: String,
    /// Whether the region was asked for.
    fixed: bool,
    /// The other regional dictionaries of the language, by locale.
    variant_paths: Vec<(String, PathBuf)>,
    variants: std::sync::OnceLock<Vec<(String, spellbook::Dictionary)>>,
    /// The stems of the primary dictionary by their first two letters, read from the `.dic`
    /// file the first time a capitalised word is unknown.
    stems: std::sync::OnceLock<HashMap<[char; 2], Vec<Stem>>>,
}

/// A stem of the dictionary's word list, lowercased, with its characters counted.
struct Stem {
    lower: Vec<char>,
    word: String,
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

fn read_text(path: &Path) -> Result<String, SpellError> {
    let bytes = std::fs::read(path).map_err(|source| SpellError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Old dictionaries are in ISO 8859-1; spellbook wants UTF-8.
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().into_iter().map(char::from).collect(),
    })
}

fn load_dictionary(dic: &Path) -> Result<spellbook::Dictionary, SpellError> {
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
            path: dic.to_path_buf(),
            locale: locale_of(dic),
            fixed: true,
            variant_paths: Vec::new(),
            variants: std::sync::OnceLock::new(),
            stems: std::sync::OnceLock::new(),
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
        Ok(SpellChecker {
            dict: load_dictionary(&path)?,
            path,
            locale,
            fixed: asked.is_some(),
            variant_paths,
            variants: std::sync::OnceLock::new(),
            stems: std::sync::OnceLock::new(),
        })
    }

    /// Loads the regional variants when one of `unknown` (words the primary dictionary does
    /// not know) has a regional respelling the primary dictionary knows (`colour`, `realise`,
    /// `Strasse`): most texts have none, and the second dictionary's load is saved.
    fn load_variants_for<'w>(&self, mut unknown: impl Iterator<Item = &'w str>) {
        if !self.variant_paths.is_empty()
            && self.variants.get().is_none()
            && unknown.any(|w| Self::close_spelling(&self.dict, w).is_some())
        {
            self.variants();
        }
    }

    /// The stem index (see [`SpellChecker::stems`]); an unreadable word list gives none.
    fn stem_index(&self) -> &HashMap<[char; 2], Vec<Stem>> {
        self.stems.get_or_init(|| {
            let mut index: HashMap<[char; 2], Vec<Stem>> = HashMap::default();
            let Ok(text) = read_text(&self.path) else {
                return index;
            };
            for line in text.lines().skip(1) {
                let word = line.split('/').next().unwrap_or("").trim();
                if word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
                    continue;
                }
                let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
                if lower.len() < 5 {
                    continue;
                }
                index.entry([lower[0], lower[1]]).or_default().push(Stem {
                    lower,
                    word: word.to_string(),
                });
            }
            index
        })
    }

    /// A dictionary word that the capitalised unknown word `w` is a slip of, judged by the
    /// shape of the difference rather than by capitalisation or repetition: a truncated or
    /// garbled end (`Kazakhsta`, `Tajikists`: a name of the dictionary that shares a
    /// beginning of at least six letters and three quarters of `w`, within two edits; any
    /// word that `w` is the first letters of, one or two short), two letters swapped
    /// (`Präsdient`), or, in a language that capitalises its nouns, one edit inside the word
    /// (`Regirung`). A brand a common word away (`Interfax`/`interface`) is no slip. Transliterations of names differ elsewhere
    /// (`Tymoshenko`/`Timoshenko`, `Kharkiv`/`Kharkov`) and are not slips.
    fn slip_of(&self, w: &str, nouns_capitalised: bool) -> Option<String> {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        if lw.len() < 5 || !lw.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let candidates = self.stem_index().get(&[lw[0], lw[1]])?;
        let mut best: Option<(usize, &Stem)> = None;
        for stem in candidates {
            let c = &stem.lower;
            if c.len().abs_diff(lw.len()) > 2 || *c == lw {
                continue;
            }
            let prefix = c.iter().zip(&lw).take_while(|(a, b)| a == b).count();
            let suffix = c
                .iter()
                .rev()
                .zip(lw.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            let d = distance_chars(c, &lw);
            // A name of the dictionary with a garbled end, or any word cut short.
            // (In German every noun is capitalised: there a capital says nothing.)
            let proper =
                !nouns_capitalised && stem.word.chars().next().is_some_and(char::is_uppercase);
            let truncated = (proper && prefix >= 6 && prefix * 4 >= lw.len() * 3 && d <= 2)
                || (prefix == lw.len() && c.len() - lw.len() <= 2 && lw.len() >= 5);
            let swapped = d == 1 && c.len() == lw.len() && {
                let diff: Vec<usize> = (0..lw.len()).filter(|&i| c[i] != lw[i]).collect();
                diff.len() == 2 && diff[1] == diff[0] + 1
            };
            // One edit inside the word, not at its end (`Annalena` is no slip of `Annalen`).
            let noun = nouns_capitalised && d == 1 && prefix >= 2 && suffix >= 2 && lw.len() >= 6;
            if (truncated || swapped || noun)
                && best.is_none_or(|(bd, bs)| d < bd || (d == bd && stem.word < bs.word))
            {
                best = Some((d, stem));
            }
        }
        let (_, stem) = best?;
        // The stem in the case of `w` when the dictionary takes it so.
        let mut chars = stem.word.chars();
        let recased: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        Some(if self.dict.check(&recased) {
            recased
        } else {
            stem.word.clone()
        })
    }

    /// For a capitalised unknown word where a capital is no sign of a name (a German noun,
    /// the first word of a sentence): the dictionary's spelling one edit inside the word
    /// (`Unbekanter`, `Requuête`) or the word it is cut from (`Téléchar`). At a sentence
    /// start only a common (lowercase) word counts, so a name there stays a name.
    fn capital_slip(&self, w: &str, nouns: bool) -> Option<String> {
        let chars: Vec<char> = w.chars().collect();
        // Long words (German compounds) cost the dictionary many compound splits per probe:
        // they are left to the dictionary's search.
        if chars.len() < 5 || chars.len() > 16 {
            return None;
        }
        // The common word, at a sentence start; the noun as written in German.
        let probe: Vec<char> = if nouns {
            chars.clone()
        } else {
            let mut p = chars.clone();
            p[0] = p[0].to_lowercase().next().unwrap_or(p[0]);
            p
        };
        let known = |v: &[char]| {
            let s: String = v.iter().collect();
            self.dict.check(&s).then_some(s)
        };
        let n = probe.len();
        // Cheap edits that undo a slip, each checked against the dictionary: two letters
        // swapped, a letter typed twice or one too many (not a linking letter or an
        // ending), a doubled letter typed once. Edits at the first letter or in the last
        // two are left out: names and inflections differ there.
        let mut found = None;
        for i in 1..n.saturating_sub(2) {
            let mut v = probe.clone();
            v.swap(i, i + 1);
            if let Some(s) = known(&v) {
                found = Some(s);
                break;
            }
            let mut v = probe.clone();
            let removed = v.remove(i);
            if !(nouns && matches!(removed, 's' | 'e' | 'n')) {
                if let Some(s) = known(&v) {
                    found = Some(s);
                    break;
                }
            }
            let mut v = probe.clone();
            v.insert(i, probe[i]);
            if !(nouns && matches!(probe[i], 's' | 'e' | 'n')) {
                if let Some(s) = known(&v) {
                    found = Some(s);
                    break;
                }
            }
        }
        let found = found.or_else(|| {
            // Cut short: the dictionary's stems that begin with the word (one or two
            // letters more, not an ending).
            let lw: Vec<char> = probe.iter().flat_map(|c| c.to_lowercase()).collect();
            self.stem_index()
                .get(&[lw[0], lw[1]])?
                .iter()
                .filter(|st| {
                    st.lower.len() > lw.len()
                        && st.lower.len() - lw.len() <= 2
                        && st.lower.starts_with(&lw)
                        && !inflection(
                            &st.lower.iter().collect::<String>(),
                            &lw.iter().collect::<String>(),
                        )
                        && (nouns || !st.word.starts_with(char::is_uppercase))
                })
                .map(|st| st.word.clone())
                .min()
        })?;
        // In the case of `w`.
        let mut cs = found.chars();
        Some(
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or(found),
        )
    }

    /// The primary dictionary's locale (`en-US`).
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// The regional variants, loaded (side by side) on first use; one that fails to load
    /// is left out.
    fn variants(&self) -> &[(String, spellbook::Dictionary)] {
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
    fn close_spelling(dict: &spellbook::Dictionary, w: &str) -> Option<String> {
        // The regional pairs of spelling (British/American, Swiss/German, Brazilian/
        // European Portuguese), each tried once at each place it fits.
        const PAIRS: [(&str, &str); 16] = [
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
            ("ß", "ss"),
            ("ct", "t"),
            ("pt", "t"),
            ("ô", "ó"),
            ("ê", "é"),
        ];
        for (a, b) in PAIRS {
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
                if Self::close_spelling(&self.dict, w).is_some() {
                    per[v + 1].1 += stat.count;
                    per[v + 1].2.push((stat.count, w.clone()));
                }
            } else if stat.known {
                for (_, d) in variants {
                    if !d.check(w) && Self::close_spelling(d, w).is_some() {
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

    /// Whether the dictionary knows `word` (or, when no region was asked for, one of the
    /// regional variants does).
    pub fn knows(&self, word: &str) -> bool {
        self.dict.check(word) || (!self.fixed && self.variant_knowing(word).is_some())
    }

    /// Typo findings in `text`, whose words [`super::words`] has found (offsets are byte
    /// offsets in `text`). `judged` remembers what was decided about each unknown word, so
    /// that a word is judged (and spelling suggestions are searched) once however often it
    /// occurs.
    pub(super) fn check_words(
        &self,
        text: &str,
        words: &[std::ops::Range<usize>],
        ev: &Evidence,
        judged: &mut Judged,
    ) -> Vec<Raw> {
        let mut out = Vec::new();
        for r in words.iter().cloned() {
            let word = strip_possessive(&text[r.clone()]);
            // The (cheap) verdict first: the context is looked at only for a word that would
            // be reported.
            if self.word_ok(word, ev) || skip_context(text, r.start, r.end) {
                continue;
            }
            // An abbreviation the dictionary knows with its full stop (`evtl.`, `approx.`).
            if text[r.end..].starts_with('.') && self.dict.check(&text[r.start..r.end + 1]) {
                continue;
            }
            let parts: Vec<&str> = if word.contains(['-', '‐']) {
                word.split(['-', '‐']).collect()
            } else {
                vec![word]
            };
            let mut offset = r.start;
            for part in parts {
                let span = offset..offset + part.len();
                // The joiner after the part: `-` (one byte) or `‐` (three).
                let joiner = text[span.end.min(text.len())..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                offset += part.len() + joiner;
                if self.word_ok(part, ev) {
                    continue;
                }
                // At the start of a sentence a capital says nothing about a name.
                let initial = span.start == r.start
                    && part.chars().next().is_some_and(char::is_uppercase)
                    && sentence_start(text, span.start);
                let key: std::borrow::Cow<str> = if initial {
                    format!("\u{1}{part}").into()
                } else {
                    part.into()
                };
                let verdict = match judged.verdicts.get(key.as_ref()) {
                    Some(v) => v.clone(),
                    None => {
                        let full = judged.searches < SEARCHES_PER_PART;
                        let v = self.judge(part, initial, ev, full);
                        judged.searches += usize::from(full);
                        judged.verdicts.insert(key.into_owned(), v.clone());
                        v
                    }
                };
                if let Some(raw) = verdict {
                    out.push(Raw {
                        span: Some(span),
                        ..raw
                    });
                }
            }
        }
        out
    }

    fn word_ok(&self, w: &str, ev: &Evidence) -> bool {
        match ev.verdict(w) {
            Some(v) => v.ok,
            None => self.cheap_ok(w) || self.knows(w) || ev.attested(w),
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
    /// typo after all. Suggestions come from the glossary and the document, else from the
    /// dictionary's edits of the word (its slow n-gram search is left to
    /// [`SpellChecker::ngram_suggestion`]).
    fn judge(&self, w: &str, initial: bool, ev: &Evidence, full: bool) -> Option<Raw> {
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        if let Some(v) = self.variant_knowing(w) {
            // Another region's spelling: reported only when a region was asked for and the
            // dictionary has the word in its own spelling.
            if !self.fixed {
                return None;
            }
            let name = &self.variants()[usize::from(v)].0;
            let own = Self::close_spelling(&self.dict, w)?;
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
        let neighbour = ev.neighbour(w, |v| ev.knows(self, v));
        let typo = |suggestion: Option<String>, severity: Severity, message: String| Raw {
            text: w.to_string(),
            suggestion,
            ..Raw::new(CheckKind::Typo, severity, message)
        };
        if capitalised {
            // A slip of a word in the text, the glossary or the dictionary is a typo however
            // often it occurs; otherwise a capitalised unknown word is a name, unless it
            // occurs once and a well-attested word is a small edit away.
            if let Some(n) = neighbour.as_ref().filter(|n| strong_slip(w, n)) {
                let message = format!("unknown word `{w}`, close to `{n}` elsewhere in the text");
                return Some(typo(Some(n.clone()), Severity::Error, message));
            }
            let nouns = self.locale.starts_with("de") || self.locale.starts_with("lb");
            if let Some(d) = self.slip_of(w, nouns) {
                return Some(typo(
                    Some(d),
                    Severity::Error,
                    format!("unknown word `{w}`"),
                ));
            }
            if let Some(s) = ev.truncated_source_word(w) {
                let message = format!("`{w}` looks cut short: the source has `{s}`");
                return Some(typo(Some(s), Severity::Error, message));
            }
            // In German every noun is capitalised, and elsewhere the first word of a
            // sentence: there the dictionary's spelling of the word one edit away (or the
            // word cut short) is meant, when the edit is inside the word.
            if nouns || initial {
                if let Some(s) = self.capital_slip(w, nouns) {
                    return Some(typo(
                        Some(s),
                        Severity::Error,
                        format!("unknown word `{w}`"),
                    ));
                }
            }
            if ev.count(w) >= 2 {
                return None;
            }
            return neighbour.map(|n| {
                let message = format!("unknown word `{w}`, close to `{n}` elsewhere in the text");
                typo(Some(n), Severity::Error, message)
            });
        }
        if let Some(n) = neighbour {
            return Some(typo(
                Some(n),
                Severity::Error,
                format!("unknown word `{w}`"),
            ));
        }
        // The cheap edits first (a swap, a letter doubled or too many); the dictionary's
        // search only for the rest, within the part's budget.
        if let Some(s) = self.capital_slip(w, true) {
            let s = if capitalised { s } else { s.to_lowercase() };
            return Some(typo(
                Some(s),
                Severity::Error,
                format!("unknown word `{w}`"),
            ));
        }
        if !full {
            if ev.cognate_in_source(w, 3) {
                return None;
            }
            return Some(typo(None, Severity::Warning, format!("unknown word `{w}`")));
        }
        let mut sugg = Vec::new();
        self.dict
            .suggester()
            .with_ngram_suggestions(false)
            .suggest(w, &mut sugg);
        // A term taken over from the source in the target's spelling (`oktal` for
        // `octal`) is no typo, only a word the dictionary lacks: when the source word is
        // closer than anything the dictionary suggests.
        let nearest = sugg
            .iter()
            .filter(|s| !s.contains([' ', '-']))
            .map(|s| distance(&s.to_lowercase(), &w.to_lowercase()))
            .min()
            .unwrap_or(usize::MAX);
        if ev.cognate_in_source(w, nearest) {
            return None;
        }
        let squeeze = |s: &str| s.replace([' ', '-'], "").to_lowercase();
        // (Each part must be a word: some dictionaries suggest splits such as `se lcionadas`.)
        if sugg.iter().any(|s| {
            squeeze(s) == w.to_lowercase()
                && s.split([' ', '-'])
                    .all(|p| p.chars().count() >= 3 && self.dict.check(p))
        }) {
            // A closed compound of known words.
            return None;
        }
        let (suggestion, severity) = match self.graded(w, sugg) {
            Some((s, severity)) => (Some(s), severity),
            None => (None, Severity::Warning),
        };
        Some(typo(suggestion, severity, format!("unknown word `{w}`")))
    }

    /// The first of `sugg` for `w`, an error when it is one edit away (but not the
    /// suggestion with an ending added), else a warning.
    fn graded(&self, w: &str, mut sugg: Vec<String>) -> Option<(String, Severity)> {
        // A split whose parts are not all words is no suggestion.
        sugg.retain(|s| {
            !s.contains([' ', '-'])
                || s.split([' ', '-'])
                    .all(|p| p.chars().count() >= 2 && self.dict.check(p))
        });
        let s = first_suggestion(w, sugg, |v| self.dict.check(v))?;
        // A word that is the suggestion with an ending added (`manejador`/`manejado`) is
        // more likely a form the dictionary lacks than a slip.
        let (lw, ls) = (w.to_lowercase(), s.to_lowercase());
        let longer_form = lw.len() > ls.len() && lw.starts_with(&ls);
        let severity = if distance(&ls, &lw) <= 1 && !longer_form {
            Severity::Error
        } else {
            Severity::Warning
        };
        Some((s, severity))
    }

    /// A suggestion for `w` from the dictionary's n-gram search (which reads the whole word
    /// list: tens of milliseconds a word), graded like the others.
    pub(super) fn ngram_suggestion(&self, w: &str) -> Option<(String, Severity)> {
        let mut sugg = Vec::new();
        self.dict.suggest(w, &mut sugg);
        self.graded(w, sugg)
    }
}

/// Dictionary searches for suggestions (each some milliseconds) per part of a run; the
/// unknown words after them get the cheap edits only (and the n-gram search of the most
/// frequent ones at the end).
pub(super) const SEARCHES_PER_PART: usize = 8;

/// Words looked at for a mix of regional spellings.
const MIXED_WORDS: usize = 48;

/// What was decided about the unknown words of a part, and how many dictionary searches it
/// has made.
#[derive(Default)]
pub(super) struct Judged {
    verdicts: HashMap<String, Option<Raw>>,
    searches: usize,
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
    /// The words in lowercase for the neighbour search: made by the first search after
    /// [`Evidence::settle`] (most texts need none), emptied by the next settle.
    near: std::sync::OnceLock<NearIndex>,
    /// The source words by their first letter (lowercased), for the cognate search: made by
    /// its first use after [`Evidence::settle`].
    source_index: std::sync::OnceLock<HashMap<char, Vec<String>>>,
    /// The source words sorted, for the search of words a word is the beginning of.
    source_sorted: std::sync::OnceLock<Vec<String>>,
}

/// Glossary and target words lowercased once and grouped by their first character, so that
/// the neighbour search for an unknown word looks only at words that start like it, without
/// lowercasing the vocabulary for every unknown word.
#[derive(Debug, Default)]
struct NearIndex {
    terms: HashMap<char, Vec<NearWord>>,
    target: HashMap<char, Vec<NearWord>>,
}

/// A word in a [`NearIndex`].
#[derive(Debug)]
struct NearWord {
    lower: String,
    /// Characters in `lower`.
    chars: usize,
    /// As written.
    word: String,
}

impl NearIndex {
    fn build(ev: &Evidence) -> NearIndex {
        fn add(map: &mut HashMap<char, Vec<NearWord>>, lower: String, word: &str) {
            if let Some(first) = lower.chars().next() {
                map.entry(first).or_default().push(NearWord {
                    chars: lower.chars().count(),
                    lower,
                    word: word.to_string(),
                });
            }
        }
        let mut index = NearIndex::default();
        for (lower, word) in &ev.terms {
            add(&mut index.terms, lower.clone(), word);
        }
        for word in ev.target.keys() {
            add(&mut index.target, word.to_lowercase(), word);
        }
        index
    }
}

/// A distinct target word: how often it occurs and, once settled, what the dictionary and
/// the evidence say about it.
#[derive(Debug, Default, Clone, Copy)]
struct WordStat {
    count: usize,
    /// The dictionary knows the word.
    known: bool,
    /// The word is no typo (short, has digits, all capitals, inner capital, known or
    /// attested).
    ok: bool,
    /// A regional variant that knows the word when the primary dictionary does not.
    variant: Option<u8>,
}

/// Distinct words judged on one thread below this many.
const SETTLE_PARALLEL_MIN: usize = 4096;

impl Evidence {
    /// Adds the words of a source text.
    pub fn add_source(&mut self, text: &str) {
        for r in super::words(text) {
            let w = strip_possessive(&text[r]);
            self.insert_source(w);
            if w.contains(['-', '‐']) {
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
        let lower = w.to_lowercase();
        let mut chars = lower.chars();
        let title: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        self.source.contains(&lower) || self.source.contains(&title)
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
        if self.source.is_empty() {
            self.source = other.source;
        } else {
            self.source.extend(other.source);
        }
        self.terms.extend(other.terms);
        if self.target.is_empty() {
            self.target = other.target;
        } else {
            for (w, stat) in other.target {
                self.target.entry(w).or_default().count += stat.count;
            }
        }
        self.settled = false;
    }

    /// Judges every distinct target word once against `spell` and the gathered evidence
    /// (on several threads for large vocabularies). Words added later are judged at lookup.
    pub fn settle(&mut self, spell: &SpellChecker) {
        // The regional variants first, if any unknown word calls for them (so that every
        // word is judged with the same dictionaries, whatever the order).
        spell.load_variants_for(
            self.target
                .keys()
                .map(String::as_str)
                .filter(|w| !spell.cheap_ok(w) && w.chars().all(char::is_alphabetic))
                .filter(|w| !spell.dict.check(w)),
        );
        let judge = |ev: &Evidence, w: &str| {
            let known = spell.dict.check(w);
            let cheap = spell.cheap_ok(w);
            let variant = if known || cheap {
                None
            } else {
                spell.variant_knowing(w)
            };
            WordStat {
                count: 0,
                known,
                ok: cheap || known || (variant.is_some() && !spell.fixed) || ev.attested(w),
                variant,
            }
        };
        let words: Vec<&String> = self.target.keys().collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(4);
        let verdicts: Vec<WordStat> = if words.len() < SETTLE_PARALLEL_MIN || threads <= 1 {
            words.iter().map(|w| judge(self, w)).collect()
        } else {
            let this = &*self;
            let judge = &judge;
            std::thread::scope(|scope| {
                let handles: Vec<_> = words
                    .chunks(words.len().div_ceil(threads))
                    .map(|chunk| {
                        scope
                            .spawn(move || chunk.iter().map(|w| judge(this, w)).collect::<Vec<_>>())
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        // The map is unchanged since `keys()`, so `values_mut()` visits it in the same order.
        for (stat, v) in self.target.values_mut().zip(verdicts) {
            stat.known = v.known;
            stat.ok = v.ok;
            stat.variant = v.variant;
        }
        self.near = std::sync::OnceLock::new();
        self.source_index = std::sync::OnceLock::new();
        self.source_sorted = std::sync::OnceLock::new();
        self.settled = true;
    }

    /// The settled verdict on `w` (`None` before [`Evidence::settle`] or for a word that is
    /// not a target word).
    fn verdict(&self, w: &str) -> Option<WordStat> {
        if !self.settled {
            return None;
        }
        self.target.get(w).copied()
    }

    /// Whether the dictionary knows `w`, from the settled verdicts when `w` is among them.
    pub fn knows(&self, spell: &SpellChecker, w: &str) -> bool {
        match self.verdict(w) {
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

    /// Whether the source has a word of which `w` is a respelling: at least four letters,
    /// within two edits and a third of the length (`oktal`/`octal`), and closer than the
    /// dictionary's nearest suggestion (`nearest` edits away), so that a misspelt
    /// translation of a shared stem (`permmite` for `permit`, the dictionary's `permite`
    /// one edit away) is still a typo.
    fn cognate_in_source(&self, w: &str, nearest: usize) -> bool {
        let lw: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
        if lw.len() < 4 {
            return false;
        }
        let max = (lw.len() / 3).min(2).min(nearest.saturating_sub(1));
        if max == 0 {
            return false;
        }
        let index = self.source_index.get_or_init(|| {
            let mut m: HashMap<char, Vec<String>> = HashMap::default();
            for s in &self.source {
                if let Some(c) = s.chars().next().and_then(|c| c.to_lowercase().next()) {
                    m.entry(c).or_default().push(s.clone());
                }
            }
            m
        });
        index.get(&lw[0]).into_iter().flatten().any(|s| {
            let n = s.chars().count();
            if n < 4 || n.abs_diff(lw.len()) > max {
                return false;
            }
            let ls: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
            ls != lw && distance_chars(&ls, &lw) <= max
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
        let sorted = self.source_sorted.get_or_init(|| {
            let mut v: Vec<String> = self.source.iter().cloned().collect();
            v.sort_unstable();
            v
        });
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

    fn attested(&self, w: &str) -> bool {
        self.in_source(w) || self.terms.contains_key(&w.to_lowercase())
    }

    /// How often `w` occurs in the target.
    pub(super) fn count(&self, w: &str) -> usize {
        self.target.get(w).map_or(0, |s| s.count)
    }

    /// A well-attested word within a small edit distance of `w` that is not an inflection
    /// of it; glossary renderings first, then document words.
    fn neighbour(&self, w: &str, known: impl Fn(&str) -> bool) -> Option<String> {
        let n = w.chars().count();
        if n < 5 {
            return None;
        }
        let max = if n < 7 { 1 } else { 2 };
        let lw = w.to_lowercase();
        let first = lw.chars().next()?;
        let close = |c: &NearWord| -> Option<usize> {
            if c.lower == lw
                || c.chars.abs_diff(n) > max
                || inflection(&c.lower, &lw)
                || c.lower
                    .chars()
                    .any(|ch| !ch.is_alphabetic() && ch != '-' && ch != '\'')
            {
                return None;
            }
            let d = distance(&c.lower, &lw);
            (d <= max).then_some(d)
        };
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        let shape = |v: &str| {
            if capitalised {
                v.chars().next().is_some_and(char::is_uppercase)
            } else {
                true
            }
        };
        let mut best: Option<(usize, String)> = None;
        fn consider(best: &mut Option<(usize, String)>, v: &str, d: usize) {
            // Ties go to the alphabetically first word, so results do not depend on hashing.
            if best
                .as_ref()
                .is_none_or(|(bd, bv)| d < *bd || (d == *bd && v < bv.as_str()))
            {
                *best = Some((d, v.to_string()));
            }
        }
        // Settled evidence keeps its index; otherwise (a caller that never settles) one is
        // made for this search.
        let built;
        let index = if self.settled {
            self.near.get_or_init(|| NearIndex::build(self))
        } else {
            built = NearIndex::build(self);
            &built
        };
        for t in index.terms.get(&first).into_iter().flatten() {
            if let Some(d) = close(t) {
                consider(&mut best, &t.word, d);
            }
        }
        if best.is_some() {
            return best.map(|b| b.1);
        }
        for v in index.target.get(&first).into_iter().flatten() {
            if !shape(&v.word) {
                continue;
            }
            if let Some(d) = close(v) {
                if self.count(&v.word) >= 2 || self.in_source(&v.word) || known(&v.word) {
                    consider(&mut best, &v.word, d);
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// spellbook's first suggestion for `w`, in `w`'s case where the dictionary accepts that
/// case: for the same word spellbook suggests `Mercury` on one run and `mercury` on another.
fn first_suggestion(w: &str, sugg: Vec<String>, known: impl Fn(&str) -> bool) -> Option<String> {
    let first = sugg.into_iter().next()?;
    let upper = w.chars().next().is_some_and(char::is_uppercase);
    let mut chars = first.chars();
    let recased: String = match chars.next() {
        Some(c) if upper => c.to_uppercase().chain(chars).collect(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => return Some(first),
    };
    Some(if recased != first && known(&recased) {
        recased
    } else {
        first
    })
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
    let chunk = &text[cs..ce];
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

/// Whether `n` (a word of the text) is what `w` was meant to be by the shape of the
/// difference: a truncated or garbled end, or two letters swapped (see
/// [`SpellChecker::slip_of`]).
fn strong_slip(w: &str, n: &str) -> bool {
    let a: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = n.chars().flat_map(char::to_lowercase).collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let d = distance_chars(&a, &b);
    (prefix >= 6 && prefix * 4 >= a.len() * 3 && d <= 2)
        || (d == 1 && a.len() == b.len() && a.len() >= 5 && {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            diff.len() == 2 && diff[1] == diff[0] + 1
        })
}

/// Whether the word at byte `at` of `text` begins a sentence: nothing but spaces, quotes,
/// brackets or dashes since the start of the text, a line break or a sentence end.
fn sentence_start(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        match c {
            ' ' | '\u{a0}' | '"' | '\'' | '“' | '„' | '«' | '»' | '‘' | '(' | '[' | '-' | '–'
            | '—' | '*' | '•' => {}
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
    distance_chars(&a, &b)
}

/// [`distance`] of two char sequences.
fn distance_chars(a: &[char], b: &[char]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_suggestion_takes_the_word_s_case_when_known() {
        let known = |v: &str| ["mercury", "Mercury", "Paris"].contains(&v);
        for first in ["Mercury", "mercury"] {
            let sugg = vec![first.to_string(), "merger".to_string()];
            assert_eq!(
                first_suggestion("merkur", sugg.clone(), known).as_deref(),
                Some("mercury")
            );
            assert_eq!(
                first_suggestion("Merkur", sugg, known).as_deref(),
                Some("Mercury")
            );
        }
        // A proper noun the dictionary knows only capitalised keeps its capital.
        let sugg = vec!["Paris".to_string()];
        assert_eq!(
            first_suggestion("pariss", sugg, known).as_deref(),
            Some("Paris")
        );
        assert_eq!(first_suggestion("zzz", Vec::new(), known), None);
    }

    #[test]
    fn words_with_unicode_hyphens_are_split_at_the_right_bytes() {
        let Ok(spell) = SpellChecker::for_lang(Lang::from_code("de").unwrap(), None) else {
            return;
        };
        let text = "SPALTEN‐spaltige Ausgabe, Xyzzyqwv‐Ausgabe";
        let words = super::super::words(text);
        let ev = Evidence::default();
        let found = spell.check_words(text, &words, &ev, &mut Judged::default());
        for raw in found {
            let span = raw.span.expect("span");
            assert_eq!(&text[span], raw.text);
        }
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
    fn code_and_addresses_are_skipped() {
        let t =
            "see https://example.org/Tajikists or mail press@example.com #Tajikists config.toml";
        for w in ["Tajikists", "press", "config"] {
            let at = t.find(w).unwrap();
            assert!(skip_context(t, at, at + w.len()), "{w}");
        }
        let t = "Vladimir Putin travels.";
        assert!(!skip_context(t, 9, 14));
    }

    #[test]
    fn neighbours_need_attested_words() {
        let mut ev = Evidence::default();
        ev.add_target("Tajikistan is big. Tajikistan borders Afghanistan. The first stop is Tajikists. Rakhmon spoke.");
        assert_eq!(
            ev.neighbour("Tajikists", |_| false).as_deref(),
            Some("Tajikistan")
        );
        assert_eq!(ev.neighbour("Rakhmon", |_| false), None);
        ev.add_term("Kassym-Jomart Tokayev");
        assert_eq!(
            ev.neighbour("Tokajev", |_| false).as_deref(),
            Some("Tokayev")
        );
    }
}
