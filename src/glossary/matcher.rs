//! Finding glossary terms in text: one Aho-Corasick automaton over every spelling of every
//! term (case forms and inflected forms generated up front), leftmost-longest, accepted only on
//! Unicode word boundaries.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::CaseRule;
use crate::lang::Lang;

/// A spelling to look for, belonging to entry `entry`.
#[derive(Debug, Clone)]
pub struct Form {
    /// Index of the entry in its [`super::PairGlossary`].
    pub entry: usize,
    /// The spelling.
    pub text: String,
    /// Case rule.
    pub case: CaseRule,
    /// Whether this spelling is a known wrong form (for target-side matchers).
    pub wrong: bool,
}

impl Form {
    /// A spelling of entry `entry`.
    pub fn new(entry: usize, text: &str, case: CaseRule) -> Self {
        Form {
            entry,
            text: text.to_string(),
            case,
            wrong: false,
        }
    }

    /// A known wrong spelling of entry `entry`.
    pub fn wrong(entry: usize, text: &str, case: CaseRule) -> Self {
        Form {
            wrong: true,
            ..Form::new(entry, text, case)
        }
    }
}

/// One occurrence of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte range of the whole occurrence, inflection included.
    pub range: std::ops::Range<usize>,
    /// Index of the entry.
    pub entry: usize,
    /// Where the bare spelling ends (before an added ending); equals `range.end` when the
    /// occurrence has no ending or its ending replaced the spelling's last letters.
    pub stem_end: usize,
    /// Whether the ending marks a possessive (German genitive -s, -s', -ens).
    pub genitive: bool,
    /// Whether the spelling found is a known wrong form.
    pub wrong: bool,
}

#[derive(Debug, Clone)]
struct Pattern {
    entry: usize,
    /// Byte length of the uninflected part.
    stem_len: usize,
    genitive: bool,
    wrong: bool,
}

/// An inflection rule: take `strip` off the end of a spelling, add `add`.
struct Rule {
    strip: &'static str,
    add: &'static str,
    genitive: bool,
}

const fn r(strip: &'static str, add: &'static str, genitive: bool) -> Rule {
    Rule {
        strip,
        add,
        genitive,
    }
}

/// German genitive of names: Putins, Tokajews, Lukaschenkos; after s/x/z/ß an apostrophe
/// (Nawalnys, Jelzins; Paris', Lars'); the older -ens and -es.
const DE: &[Rule] = &[
    r("", "s", true),
    r("", "es", true),
    r("", "ens", true),
    r("", "'", true),
    r("", "’", true),
];

/// Russian nominal endings, by the last letter of the spelling.
const RU_CONSONANT: &[Rule] = &[
    r("", "а", false),
    r("", "у", false),
    r("", "ом", false),
    r("", "е", false),
    r("", "ым", false),
    r("", "ым", false),
    r("", "ой", false),
    r("", "ы", false),
    r("", "ых", false),
    r("", "ыми", false),
    r("", "ов", false),
    r("", "ам", false),
    r("", "ами", false),
    r("", "ах", false),
    r("", "ем", false),
    r("", "я", false),
    r("", "ю", false),
];
const RU_A: &[Rule] = &[
    r("а", "ы", false),
    r("а", "и", false),
    r("а", "е", false),
    r("а", "у", false),
    r("а", "ой", false),
    r("а", "ою", false),
];
const RU_YA: &[Rule] = &[
    r("я", "и", false),
    r("я", "е", false),
    r("я", "ю", false),
    r("я", "ей", false),
];
const RU_IY: &[Rule] = &[
    r("й", "я", false),
    r("й", "ю", false),
    r("й", "ем", false),
    r("й", "и", false),
];
const RU_SOFT: &[Rule] = &[
    r("ь", "и", false),
    r("ь", "ю", false),
    r("ь", "ью", false),
    r("ь", "я", false),
    r("ь", "ем", false),
];

/// Ukrainian nominal endings after a consonant.
const UK_CONSONANT: &[Rule] = &[
    r("", "а", false),
    r("", "у", false),
    r("", "ом", false),
    r("", "і", false),
    r("", "ові", false),
    r("", "им", false),
    r("", "им", false),
    r("", "ю", false),
    r("", "я", false),
];

/// English plural -s on names (the Tokayevs); possessives need no rule ('s follows a
/// boundary).
const EN: &[Rule] = &[r("", "s", false)];

fn rules(lang: Lang, form: &str) -> &'static [Rule] {
    let last = form.chars().next_back().unwrap_or(' ');
    let lower = last.to_lowercase().next().unwrap_or(last);
    match lang.code() {
        "de" if matches!(lower, 's' | 'x' | 'z' | 'ß') => &DE[3..],
        "de" if last.is_alphabetic() => &DE[..3],
        "ru" | "be" => match lower {
            'а' => RU_A,
            'я' => RU_YA,
            'й' => RU_IY,
            'ь' => RU_SOFT,
            c if is_cyrillic_consonant(c) => RU_CONSONANT,
            _ => &[],
        },
        "uk" => match lower {
            'а' => RU_A,
            'я' => RU_YA,
            'й' => RU_IY,
            'ь' => RU_SOFT,
            c if is_cyrillic_consonant(c) => UK_CONSONANT,
            _ => &[],
        },
        "en" if last.is_alphabetic() && lower != 's' => EN,
        _ => &[],
    }
}

fn is_cyrillic_consonant(c: char) -> bool {
    ('\u{0430}'..='\u{045f}').contains(&c) && !"аеёиоуыэюяіїєь".contains(c)
}

/// The spellings of `text` a case rule admits.
fn case_forms(text: &str, case: CaseRule) -> Vec<String> {
    let mut v = vec![text.to_string()];
    if case == CaseRule::Insensitive {
        let lower = text.to_lowercase();
        let mut chars = lower.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        for f in [lower.clone(), text.to_uppercase(), capital] {
            if !v.contains(&f) {
                v.push(f);
            }
        }
    }
    v
}

/// Whether `c` is part of a word (for boundaries).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `range` of `text` starts and ends at word boundaries.
pub fn at_boundaries(text: &str, range: &std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// An automaton over the spellings of many terms.
///
/// When every spelling starts with a letter or digit (the usual case), the automaton is
/// anchored and only tried at word starts whose first byte can begin a spelling; the text
/// between is skipped byte by byte without touching the automaton, which keeps large glossaries
/// fast on text where names are rare.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// Anchored search at word starts (else an unanchored scan).
    anchored: bool,
    /// Bytes a spelling can start with.
    first: Box<[bool; 256]>,
}

impl Matcher {
    /// Builds a matcher over `forms`, with the inflection rules of `lang`.
    pub fn new(forms: Vec<Form>, lang: Lang) -> Result<Self, aho_corasick::BuildError> {
        let mut strings: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut push = |s: String, p: Pattern| {
            if !s.is_empty() && seen.insert(s.clone()) {
                strings.push(s);
                patterns.push(p);
            }
        };
        for f in &forms {
            for spelling in case_forms(&f.text, f.case) {
                let upper = spelling.chars().filter(|c| c.is_alphabetic()).count() > 1
                    && spelling == spelling.to_uppercase();
                push(
                    spelling.clone(),
                    Pattern {
                        entry: f.entry,
                        stem_len: spelling.len(),
                        genitive: false,
                        wrong: f.wrong,
                    },
                );
                for rule in rules(lang, &spelling) {
                    let (strip, add) = if upper {
                        (rule.strip.to_uppercase(), rule.add.to_uppercase())
                    } else {
                        (rule.strip.to_string(), rule.add.to_string())
                    };
                    let Some(stem) = spelling.strip_suffix(strip.as_str()) else {
                        continue;
                    };
                    push(
                        format!("{stem}{add}"),
                        Pattern {
                            entry: f.entry,
                            stem_len: if strip.is_empty() {
                                spelling.len()
                            } else {
                                stem.len() + add.len()
                            },
                            genitive: rule.genitive,
                            wrong: f.wrong,
                        },
                    );
                }
            }
        }
        let anchored = strings
            .iter()
            .all(|s| s.chars().next().is_some_and(is_word_char));
        let mut first = Box::new([false; 256]);
        for s in &strings {
            if let Some(&b) = s.as_bytes().first() {
                first[b as usize] = true;
            }
        }
        let ac = if strings.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .start_kind(if anchored {
                        StartKind::Anchored
                    } else {
                        StartKind::Unanchored
                    })
                    .build(&strings)?,
            )
        };
        Ok(Matcher {
            ac,
            patterns,
            anchored,
            first,
        })
    }

    fn hit(&self, m: &aho_corasick::Match) -> Hit {
        let p = &self.patterns[m.pattern().as_usize()];
        Hit {
            stem_end: m.start() + p.stem_len,
            range: m.range(),
            entry: p.entry,
            genitive: p.genitive,
            wrong: p.wrong,
        }
    }

    /// Anchored search at every word start.
    fn find_at_word_starts(&self, ac: &AhoCorasick, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut hits = Vec::new();
        let mut i = 0;
        let mut prev_word = false;
        while i < bytes.len() {
            let b = bytes[i];
            let (is_word, len) = if b < 0x80 {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = text[i..].chars().next();
                (c.is_some_and(is_word_char), c.map_or(1, char::len_utf8))
            };
            if is_word && !prev_word && self.first[b as usize] {
                let input = Input::new(text).range(i..).anchored(Anchored::Yes);
                if let Some(m) = ac.find(input) {
                    let after = text[m.end()..].chars().next();
                    if !after.is_some_and(is_word_char) {
                        hits.push(self.hit(&m));
                        i = m.end();
                        prev_word = false;
                        continue;
                    }
                }
            }
            prev_word = is_word;
            i += len;
        }
        hits
    }

    /// Number of patterns (spellings × case forms × inflections).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether the matcher has no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// All hits in `text`, in order, non-overlapping; longest match wins, and a match not on
    /// word boundaries is skipped (the search goes on from the next character).
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let Some(ac) = &self.ac else { return hits };
        if self.anchored {
            return self.find_at_word_starts(ac, text);
        }
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(Input::new(text).range(pos..)) else {
                break;
            };
            let range = m.range();
            if at_boundaries(text, &range) {
                hits.push(self.hit(&m));
                pos = range.end;
            } else {
                let step = text[range.start..].chars().next().map_or(1, char::len_utf8);
                pos = range.start + step;
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(c: &str) -> Lang {
        Lang::from_code(c).expect("known")
    }

    fn spans(m: &Matcher, text: &str) -> Vec<(String, usize, bool)> {
        m.find(text)
            .into_iter()
            .map(|h| (text[h.range].to_string(), h.entry, h.genitive))
            .collect()
    }

    #[test]
    fn boundaries_longest_match_and_german_genitive() {
        let m = Matcher::new(
            vec![
                Form::new(0, "Tokajew", CaseRule::Sensitive),
                Form::new(1, "Kassym-Schomart Tokajew", CaseRule::Sensitive),
                Form::new(2, "Putin", CaseRule::Sensitive),
                Form::new(3, "Minsk", CaseRule::Sensitive),
            ],
            lang("de"),
        )
        .expect("builds");
        assert_eq!(
            spans(
                &m,
                "Kassym-Schomart Tokajew traf Putin; Tokajews Regierung, Putins Plan, Minsker Abkommen."
            ),
            vec![
                ("Kassym-Schomart Tokajew".into(), 1, false),
                ("Putin".into(), 2, false),
                ("Tokajews".into(), 0, true),
                ("Putins".into(), 2, true),
            ]
        );
        assert!(m.find("Putinismus und Tokajewa").is_empty());
    }

    #[test]
    fn case_rules() {
        let m = Matcher::new(
            vec![
                Form::new(0, "Rachmon", CaseRule::Insensitive),
                Form::new(1, "Bild", CaseRule::Sensitive),
            ],
            lang("de"),
        )
        .expect("builds");
        assert_eq!(m.find("RACHMON und rachmon, Rachmon").len(), 3);
        assert_eq!(spans(&m, "bild Bild BILD"), vec![("Bild".into(), 1, false)]);
    }

    #[test]
    fn russian_case_endings() {
        let m = Matcher::new(
            vec![
                Form::new(0, "Токаев", CaseRule::Sensitive),
                Form::new(1, "Москва", CaseRule::Sensitive),
            ],
            lang("ru"),
        )
        .expect("builds");
        let found: Vec<_> = spans(
            &m,
            "Токаева, Токаеву, Токаевым; из Москвы в Москве. Токаевка",
        )
        .into_iter()
        .map(|(s, _, _)| s)
        .collect();
        assert_eq!(
            found,
            ["Токаева", "Токаеву", "Токаевым", "Москвы", "Москве"]
        );
    }
}
