//! Protecting terms from the engine: source hits are replaced by placeholders before MT and the
//! placeholders by the renderings after it.
//!
//! # Placeholder design
//!
//! A placeholder is `ZQX` followed by a number counted from 1 within the segment (`ZQX1`,
//! `ZQX2`, …). It is one capitalised Latin token of letters and digits that is no word of any
//! language the engines know: rule-based engines (Apertium) copy such a token as an unknown
//! word (marked `*ZQX1`, a mark the Apertium backend strips; the notes it makes for
//! placeholders are dropped by the pipeline), and subword models (SentencePiece/BPE) split it
//! into pieces they have learnt to copy, as they copy codes and numbers. Counting per segment
//! keeps placeholders short. Restoring tolerates what engines do around such tokens: a changed
//! case (`zqx1`, `Zqx1`), a space between letters and number (`ZQX 1`), a possessive or an `s`
//! glued to it. A placeholder that does not come back intact is *lost*: the caller then falls
//! back to translating the unprotected text and enforcing the glossary on the result.

use std::ops::Range;

use super::matcher::Hit;
use super::PairGlossary;

/// The replacements made in a text, in order and not overlapping: (range in the old text,
/// range in the new text). Maps places of the old text (where inline markup was) to the new.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits(pub Vec<(Range<usize>, Range<usize>)>);

impl Edits {
    /// Where byte `p` of the old text is in the new one. A place strictly inside a replaced
    /// range goes to the start of its replacement, or with `end` to its end.
    pub fn map(&self, p: usize, end: bool) -> usize {
        let k = self.0.partition_point(|(old, _)| old.start <= p);
        let Some((old, new)) = k.checked_sub(1).and_then(|k| self.0.get(k)) else {
            return p;
        };
        if p >= old.end {
            new.end + (p - old.end)
        } else if p == old.start || !end {
            new.start
        } else {
            new.end
        }
    }

    /// A range of the old text in the new one (an empty range stays empty).
    pub fn map_range(&self, r: &Range<usize>) -> Range<usize> {
        if self.0.is_empty() {
            return r.clone();
        }
        if r.is_empty() {
            let p = self.map(r.start, true);
            return p..p;
        }
        let start = self.map(r.start, false);
        start..self.map(r.end, true).max(start)
    }
}

/// The letters every placeholder starts with.
pub const PREFIX: &str = "ZQX";

/// A protected source text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Protected {
    /// The text with placeholders in place of the terms.
    pub text: String,
    /// One slot per placeholder; placeholder `ZQX{n}` is `slots[n - 1]`.
    pub slots: Vec<Slot>,
    /// The replacements made (term → placeholder), to map places of the text.
    pub edits: Edits,
}

/// A term replaced by a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The placeholder token.
    pub token: String,
    /// The entry (index in the pair glossary).
    pub entry: usize,
    /// The source text it replaced.
    pub source: String,
    /// Whether the source form was a possessive (German genitive).
    pub genitive: bool,
}

/// The result of restoring placeholders in a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The translation with renderings in place of the placeholders found.
    pub text: String,
    /// Indices of slots whose placeholder was not found (lost or mangled by the engine).
    pub lost: Vec<usize>,
    /// The replacements made (placeholder → rendering), to map places of the translation.
    pub edits: Edits,
}

/// Whether `token` looks like a placeholder (for filtering engine notes about it).
pub fn is_placeholder(token: &str) -> bool {
    token.len() > PREFIX.len()
        && token.as_bytes()[..PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes())
        && token.as_bytes()[PREFIX.len()..]
            .iter()
            .all(u8::is_ascii_digit)
}

/// Replaces every source term in `text` by a placeholder.
pub fn protect(glossary: &PairGlossary, text: &str) -> Protected {
    protect_hits(text, &glossary.find_sources(text))
}

/// Replaces the given hits (sorted, non-overlapping) of `text` by placeholders.
pub fn protect_hits(text: &str, hits: &[Hit]) -> Protected {
    let mut out = String::with_capacity(text.len());
    let mut slots = Vec::with_capacity(hits.len());
    let mut edits = Vec::with_capacity(hits.len());
    let mut pos = 0;
    for h in hits {
        out.push_str(&text[pos..h.range.start]);
        let token = format!("{PREFIX}{}", slots.len() + 1);
        edits.push((h.range.clone(), out.len()..out.len() + token.len()));
        out.push_str(&token);
        slots.push(Slot {
            token,
            entry: h.entry,
            source: text[h.range.clone()].to_string(),
            genitive: h.genitive,
        });
        pos = h.range.end;
    }
    out.push_str(&text[pos..]);
    Protected {
        text: out,
        slots,
        edits: Edits(edits),
    }
}

/// Finds placeholders in `text`: (byte range, number). Tolerates case changes and one space
/// between the letters and the number.
pub(crate) fn placeholders(text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + PREFIX.len() <= bytes.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_word = i == 0
            || !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if starts_word && bytes[i..i + PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes()) {
            let mut j = i + PREFIX.len();
            if bytes.get(j) == Some(&b' ') && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            let digits_start = j;
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if j > digits_start {
                if let Ok(n) = text[digits_start..j].parse::<usize>() {
                    found.push((i..j, n));
                    i = j;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// Puts the renderings back in place of the placeholders of `protected` in `translation`.
///
/// When the target is English and the source form was a possessive, the rendering gets `'s`
/// (`'` after a final s) unless the engine already wrote one or rendered it with "of".
pub fn restore(glossary: &PairGlossary, protected: &Protected, translation: &str) -> Restored {
    let english = glossary.to.code() == "en";
    let mut out = String::with_capacity(translation.len() + 16);
    let mut seen = vec![false; protected.slots.len()];
    let mut edits = Vec::new();
    let mut pos = 0;
    for (range, n) in placeholders(translation) {
        let Some(slot) = n.checked_sub(1).and_then(|k| protected.slots.get(k)) else {
            continue;
        };
        seen[n - 1] = true;
        let Some(entry) = glossary.entries.get(slot.entry) else {
            continue;
        };
        out.push_str(&translation[pos..range.start]);
        let new_start = out.len();
        let rendering = &entry.target;
        out.push_str(rendering);
        pos = range.end;
        if english && slot.genitive {
            let after = &translation[pos..];
            let before = translation[..range.start].trim_end();
            let has_possessive = ["'s", "’s", "'", "’"].iter().any(|p| after.starts_with(p));
            let of = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("of"));
            if after.starts_with('s') && !after[1..].starts_with(char::is_alphanumeric) {
                // The engine glued the German genitive -s on: make it English.
                pos += 1;
                out.push_str(possessive(rendering));
            } else if !has_possessive && !of {
                out.push_str(possessive(rendering));
            }
        }
        edits.push((range.start..pos, new_start..out.len()));
    }
    out.push_str(&translation[pos..]);
    let lost = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(i, _)| i)
        .collect();
    Restored {
        text: out,
        lost,
        edits: Edits(edits),
    }
}

fn possessive(name: &str) -> &'static str {
    if name.ends_with(['s', 'S']) {
        "'"
    } else {
        "'s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::load::parse_delimited;
    use crate::glossary::Glossary;
    use crate::lang::Lang;
    use std::sync::Arc;

    fn de_en() -> Arc<PairGlossary> {
        let text = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n\
                    de\ten\tTokajew\tTokayev\tTokaev\t\t\n\
                    de\ten\tEmomali Rachmon|Rachmon\tEmomali Rakhmon\tRahmon\t\t\n\
                    de\ten\tAstana\tAstana\t\t\t\n";
        let g = Glossary::from_entries(parse_delimited("t.tsv", text, '\t').expect("valid"));
        let (de, en) = (
            Lang::from_code("de").expect("de"),
            Lang::from_code("en").expect("en"),
        );
        g.for_pair(de, en).expect("compiles").expect("has entries")
    }

    #[test]
    fn placeholders_round_trip_with_possessives() {
        let g = de_en();
        let p = protect(&g, "Tokajews Regierung empfing Emomali Rachmon in Astana.");
        assert_eq!(p.text, "ZQX1 Regierung empfing ZQX2 in ZQX3.");
        let r = restore(&g, &p, "ZQX1 government received zqx 2 in ZQX3.");
        assert_eq!(
            r.text,
            "Tokayev's government received Emomali Rakhmon in Astana."
        );
        assert!(r.lost.is_empty());
        let r = restore(&g, &p, "The government of ZQX1 received ZQX2.");
        assert_eq!(
            r.text,
            "The government of Tokayev received Emomali Rakhmon."
        );
        assert_eq!(r.lost, vec![2]);
        let r = restore(&g, &p, "ZQX1s government ZQX2 ZQX3");
        assert!(r.text.starts_with("Tokayev's government"), "{}", r.text);
    }

    #[test]
    fn text_around_placeholders_may_be_any_script() {
        let g = de_en();
        let p = protect(&g, "Rachmon – „Tokajew“ in Astana… 東京");
        assert_eq!(p.text, "ZQX1 – „ZQX2“ in ZQX3… 東京");
        let r = restore(&g, &p, "ZQX1 – «ZQX2» в ZQX3… 東京 ZQX");
        assert_eq!(r.text, "Emomali Rakhmon – «Tokayev» в Astana… 東京 ZQX");
        assert!(r.lost.is_empty());
        // Every cut of a multi-byte text is safe to scan.
        let text = "–Ä東ZQX1é";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = placeholders(&text[..end]);
            }
        }
    }

    #[test]
    fn placeholder_tokens() {
        assert!(is_placeholder("ZQX12"));
        assert!(is_placeholder("zqx1"));
        assert!(!is_placeholder("ZQX"));
        assert!(!is_placeholder("ZQXa"));
        assert!(!is_placeholder("дд"));
        assert!(!is_placeholder("è京В"));
    }
}
