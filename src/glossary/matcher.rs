//! Finding glossary terms in text: every spelling of every term (case forms and inflected forms
//! generated up front) in one trie searched at word starts (or, when some spelling does not
//! start with a letter or digit, one Aho-Corasick automaton), longest match first, accepted only
//! on Unicode word boundaries.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind, StartKind};

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

/// A radix trie (a trie whose chains of single children are merged into one edge) over
/// spellings that all start with a letter or digit, for an anchored search at word starts.
///
/// It is built from the sorted spellings and the lengths of the prefixes neighbours share (the
/// way a suffix tree is built from a suffix array): a sort, then one pass, so building costs
/// n log n, needs no failure links, and makes at most two nodes per spelling. A node's edges
/// are stored together, sorted by their first byte; an edge's label is a slice of the
/// spellings' bytes.
#[derive(Debug, Clone)]
struct Trie {
    /// All spellings, back to back (edge labels point into it).
    bytes: Vec<u8>,
    /// Per node: index of its first edge.
    edges_start: Vec<u32>,
    /// Per node: number of edges.
    edges_len: Vec<u32>,
    /// Per node: the pattern whose spelling ends here (`NONE` if none).
    pattern: Vec<u32>,
    /// Per edge: the first byte of its label.
    edge_first: Vec<u8>,
    /// Per edge: its label, as (start in `bytes`, length).
    edge_label: Vec<(u32, u32)>,
    /// Per edge: the node it leads to.
    edge_target: Vec<u32>,
    /// The root's edges by first byte (`NONE` where there is none).
    root: Box<[u32; 256]>,
}

const NONE: u32 = u32::MAX;

/// An edge while the trie is built: parent node, label (start, length), child node.
struct RawEdge {
    parent: u32,
    label: (u32, u32),
    child: u32,
}

impl Trie {
    /// `None` when the spellings are too many to index with 32 bits. The spellings must not be
    /// empty; of equal ones, the first keeps the node.
    fn new(strings: &[String]) -> Option<Self> {
        let total: usize = strings.iter().map(String::len).sum();
        if total >= NONE as usize || strings.len() >= (NONE / 2) as usize {
            return None;
        }
        // The spellings are first put into buckets by their first byte (a counting sort that
        // copies their bytes bucket after bucket), so that sorting and building then work on
        // one bucket's bytes at a time. Sorting indices into the whole set and reading the
        // spellings in sorted order touched memory at random: past the caches, every doubling
        // of a large glossary cost about three times the time.
        let mut starts = [0usize; 257];
        let mut byte_starts = [0usize; 257];
        for s in strings {
            let &first = s.as_bytes().first()?;
            starts[first as usize + 1] += 1;
            byte_starts[first as usize + 1] += s.len();
        }
        for b in 1..257 {
            starts[b] += starts[b - 1];
            byte_starts[b] += byte_starts[b - 1];
        }
        // Per slot (a spelling's place in bucket order): where its bytes are, its length and
        // the index it was given at (the pattern).
        let n = strings.len();
        let (mut offsets, mut lens, mut ids) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
        let mut bytes = vec![0u8; total];
        let (mut next, mut next_byte) = (starts, byte_starts);
        for (k, s) in strings.iter().enumerate() {
            let b = s.as_bytes()[0] as usize;
            let (slot, at) = (next[b], next_byte[b]);
            next[b] += 1;
            next_byte[b] += s.len();
            bytes[at..at + s.len()].copy_from_slice(s.as_bytes());
            offsets[slot] = at as u32;
            lens[slot] = s.len() as u32;
            ids[slot] = k as u32;
        }
        let key = |slot: u32| {
            let start = offsets[slot as usize] as usize;
            &bytes[start..start + lens[slot as usize] as usize]
        };
        // Within a bucket, sorted by the first eight bytes held inline (big-endian, so integer
        // order is byte order), the whole spellings compared only on a tie; equal spellings
        // stay in the order given (slots in a bucket are in that order).
        let head = |slot: u32| {
            let mut b = [0u8; 8];
            let s = key(slot);
            let n = s.len().min(8);
            b[..n].copy_from_slice(&s[..n]);
            u64::from_be_bytes(b)
        };
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut keyed: Vec<(u64, u32)> = Vec::new();
        for b in 0..256 {
            keyed.clear();
            keyed.extend((starts[b] as u32..starts[b + 1] as u32).map(|slot| (head(slot), slot)));
            keyed.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| key(a.1).cmp(key(b.1)))
                    .then(a.1.cmp(&b.1))
            });
            order.extend(keyed.iter().map(|&(_, slot)| slot));
        }

        // Nodes: the pattern ending there and the depth (bytes from the root); edges by
        // creation. The stack holds the path to the node of the previous spelling.
        let mut pattern = vec![NONE];
        let mut depth = vec![0usize];
        let mut incoming = vec![NONE];
        let mut edges: Vec<RawEdge> = Vec::with_capacity(2 * order.len());
        let mut stack: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for &slot in &order {
            let spelling = key(slot);
            let k = ids[slot as usize];
            let shared = prev
                .iter()
                .zip(spelling)
                .take_while(|(a, b)| a == b)
                .count();
            prev = spelling;
            let mut popped = NONE;
            while let Some(&top) = stack.last() {
                if depth[top as usize] <= shared {
                    break;
                }
                popped = top;
                stack.pop();
            }
            let &top = stack.last()?;
            let mut parent = top;
            if depth[top as usize] < shared && popped != NONE {
                // Split the edge from `top` to `popped` where the spellings part.
                let mid = pattern.len() as u32;
                pattern.push(NONE);
                depth.push(shared);
                let old = incoming[popped as usize] as usize;
                let (start, len) = edges[old].label;
                let head = (shared - depth[top as usize]) as u32;
                edges[old].parent = mid;
                edges[old].label = (start + head, len - head);
                incoming.push(edges.len() as u32);
                edges.push(RawEdge {
                    parent: top,
                    label: (start, head),
                    child: mid,
                });
                stack.push(mid);
                parent = mid;
            }
            if spelling.len() == depth[parent as usize] {
                // The same spelling again: the first given (sorted first) keeps it.
                if pattern[parent as usize] == NONE {
                    pattern[parent as usize] = k;
                }
                continue;
            }
            let leaf = pattern.len() as u32;
            pattern.push(k);
            depth.push(spelling.len());
            incoming.push(edges.len() as u32);
            let from = depth[parent as usize];
            edges.push(RawEdge {
                parent,
                label: (
                    offsets[slot as usize] + from as u32,
                    (spelling.len() - from) as u32,
                ),
                child: leaf,
            });
            stack.push(leaf);
        }
        // Lay each node's edges out together, in creation order, which is byte order: a
        // node's children are made in sorted order, and a split edge keeps its place.
        let nodes = pattern.len();
        let mut edges_len = vec![0u32; nodes];
        for e in &edges {
            edges_len[e.parent as usize] += 1;
        }
        let mut edges_start = vec![0u32; nodes];
        let mut next = 0u32;
        for (start, &len) in edges_start.iter_mut().zip(&edges_len) {
            *start = next;
            next += len;
        }
        let mut fill = edges_start.clone();
        let mut edge_first = vec![0u8; edges.len()];
        let mut edge_label = vec![(0u32, 0u32); edges.len()];
        let mut edge_target = vec![0u32; edges.len()];
        for e in &edges {
            let slot = fill[e.parent as usize] as usize;
            fill[e.parent as usize] += 1;
            edge_first[slot] = bytes[e.label.0 as usize];
            edge_label[slot] = e.label;
            edge_target[slot] = e.child;
        }
        let mut root = Box::new([NONE; 256]);
        for e in edges_start[0]..edges_start[0] + edges_len[0] {
            root[edge_first[e as usize] as usize] = e;
        }
        Some(Trie {
            bytes,
            edges_start,
            edges_len,
            pattern,
            edge_first,
            edge_label,
            edge_target,
            root,
        })
    }

    /// Whether some spelling starts with byte `b`.
    fn starts_with(&self, b: u8) -> bool {
        self.root[b as usize] != NONE
    }

    /// The edge of `node` whose label starts with `b`.
    fn edge(&self, node: u32, b: u8) -> Option<usize> {
        let start = self.edges_start[node as usize] as usize;
        let len = self.edges_len[node as usize] as usize;
        let firsts = &self.edge_first[start..start + len];
        let k = if len <= 8 {
            firsts.iter().position(|&x| x == b)?
        } else {
            firsts.binary_search(&b).ok()?
        };
        Some(start + k)
    }

    /// The longest spelling that starts at `at` in `text` and ends on a word boundary:
    /// (end, pattern index).
    fn longest_at(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let rest = &text.as_bytes()[at..];
        let mut edge = self.root[*rest.first()? as usize] as usize;
        let mut depth = 0;
        let mut best = None;
        while edge != NONE as usize {
            let (start, len) = self.edge_label[edge];
            let label = &self.bytes[start as usize..(start + len) as usize];
            // The edge was chosen by its first byte; compare the rest byte by byte (labels
            // are short, and most fail at once).
            let Some(here) = rest.get(depth..depth + label.len()) else {
                break;
            };
            if !here.iter().zip(label).skip(1).all(|(a, b)| a == b) {
                break;
            }
            depth += label.len();
            let node = self.edge_target[edge];
            let p = self.pattern[node as usize];
            if p != NONE && !text[at + depth..].chars().next().is_some_and(is_word_char) {
                best = Some((at + depth, p as usize));
            }
            let Some(&b) = rest.get(depth) else { break };
            edge = self.edge(node, b).unwrap_or(NONE as usize);
        }
        best
    }
}

/// A matcher over the spellings of many terms.
///
/// When every spelling starts with a letter or digit (the usual case), the search is anchored
/// and only tried at word starts whose first byte can begin a spelling, in a trie of the
/// spellings; the text between is skipped byte by byte. Otherwise one Aho-Corasick automaton
/// scans the text.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The unanchored automaton (when some spelling does not start a word).
    ac: Option<AhoCorasick>,
    /// The anchored trie (when every spelling starts a word).
    trie: Option<Trie>,
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Builds a matcher over `forms`, with the inflection rules of `lang`.
    pub fn new(forms: Vec<Form>, lang: Lang) -> Result<Self, aho_corasick::BuildError> {
        let mut strings: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        // A spelling may come twice (two entries, or a case form equal to the spelling):
        // the first one given wins, in the trie and in the automaton alike.
        let mut push = |s: String, p: Pattern| {
            if !s.is_empty() {
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
        let trie = if anchored { Trie::new(&strings) } else { None };
        let ac = if strings.is_empty() || trie.is_some() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .start_kind(StartKind::Unanchored)
                    .build(&strings)?,
            )
        };
        Ok(Matcher { ac, trie, patterns })
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

    fn hit_at(&self, start: usize, end: usize, pattern: usize) -> Hit {
        let p = &self.patterns[pattern];
        Hit {
            stem_end: start + p.stem_len,
            range: start..end,
            entry: p.entry,
            genitive: p.genitive,
            wrong: p.wrong,
        }
    }

    /// Anchored search at every word start.
    fn find_at_word_starts(&self, trie: &Trie, text: &str) -> Vec<Hit> {
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
            if is_word && !prev_word && trie.starts_with(b) {
                if let Some((end, pattern)) = trie.longest_at(text, i) {
                    hits.push(self.hit_at(i, end, pattern));
                    i = end;
                    prev_word = false;
                    continue;
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
        if let Some(trie) = &self.trie {
            return self.find_at_word_starts(trie, text);
        }
        let Some(ac) = &self.ac else { return hits };
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

    /// The trie finds what a plain search finds: at every word start not inside an earlier
    /// hit, the longest spelling that starts there and ends on a word boundary.
    #[test]
    fn trie_agrees_with_a_plain_search() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        // A small alphabet, so that spellings share long prefixes and split edges.
        let alphabet = ["a", "b", "ab", "ä", " ", "-", "ба"];
        for round in 0..300 {
            let mut word = |max: usize| -> String {
                let mut w = String::from(["a", "b", "ä"][next(3)]);
                for _ in 1..1 + next(max) {
                    w.push_str(alphabet[next(alphabet.len())]);
                }
                w.trim_end().to_string()
            };
            // French has no inflection rules: the spellings are the forms as given.
            let spellings: Vec<String> = (0..1 + round % 40).map(|_| word(6)).collect();
            let forms = spellings
                .iter()
                .enumerate()
                .map(|(i, s)| Form::new(i, s, CaseRule::Sensitive))
                .collect();
            let text = word(60);
            let m = Matcher::new(forms, lang("fr")).expect("builds");
            assert!(m.trie.is_some());
            let found: Vec<(usize, usize, usize)> = m
                .find(&text)
                .iter()
                .map(|h| (h.range.start, h.range.end, h.entry))
                .collect();
            let mut plain = Vec::new();
            let mut i = 0;
            let mut prev_word = false;
            while let Some(c) = text[i..].chars().next() {
                let is_word = is_word_char(c);
                if is_word && !prev_word {
                    let best = (i + 1..=text.len()).rev().find(|&e| {
                        text.is_char_boundary(e)
                            && spellings.iter().any(|s| *s == text[i..e])
                            && !text[e..].chars().next().is_some_and(is_word_char)
                    });
                    if let Some(e) = best {
                        // Of equal spellings, the first given.
                        let entry = spellings.iter().position(|s| *s == text[i..e]);
                        plain.push((i, e, entry.unwrap_or(usize::MAX)));
                        i = e;
                        prev_word = false;
                        continue;
                    }
                }
                prev_word = is_word;
                i += c.len_utf8();
            }
            assert_eq!(found, plain, "text {text:?}, spellings {spellings:?}");
        }
    }
}
