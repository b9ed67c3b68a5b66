//! Text utilities of the checks: word boundaries and word-level comparisons.

use std::ops::Range;

/// Whether `a` and `b` have the same words, ignoring case and spacing.
pub(super) fn same_words(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q || same_ignoring_case(p, q) => {}
            _ => return false,
        }
    }
}

/// Whether `p` and `q` are equal once lowercased (ASCII compared in place).
pub(super) fn same_ignoring_case(p: &str, q: &str) -> bool {
    if p.is_ascii() && q.is_ascii() {
        p.eq_ignore_ascii_case(q)
    } else {
        p.to_lowercase() == q.to_lowercase()
    }
}

/// Whether `s` has at least `n` whitespace-separated words with a letter in them (counts no
/// further than `n`).
pub(super) fn has_words(s: &str, n: usize) -> bool {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .take(n)
        .count()
        >= n
}

/// Words of a text as byte ranges: runs of letters and digits with inner apostrophes and
/// hyphens.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    words_into(text, &mut out);
    out
}

/// Appends the [`words`] of `text` to `out`.
pub(crate) fn words_into(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let n = b.len();
    // The character at `i` (a char boundary below `n`) and its length.
    let char_at = |i: usize| {
        text[i..]
            .chars()
            .next()
            .map_or(('\0', 1), |c| (c, c.len_utf8()))
    };
    let alnum_at = |i: usize| {
        i < n && (b[i].is_ascii_alphanumeric() || (b[i] >= 0x80 && char_at(i).0.is_alphanumeric()))
    };
    let mut i = 0;
    while i < n {
        // Between words: ASCII is classified by byte, other characters are decoded.
        if b[i] < 0x80 {
            if !b[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let (c, len) = char_at(i);
            if !c.is_alphanumeric() {
                i += len;
                continue;
            }
        }
        let start = i;
        let end = loop {
            while i < n && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= n {
                break i;
            }
            let (c, len) = if b[i] < 0x80 {
                (char::from(b[i]), 1)
            } else {
                char_at(i)
            };
            if c.is_alphanumeric() {
                i += len;
            } else if matches!(c, '\'' | '’' | '-' | '‐') && alnum_at(i + len) {
                // A joiner inside a word: the next character is a letter or digit.
                i += len;
            } else {
                break i;
            }
        };
        out.push(start..end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char definition [`words`] must agree with.
    fn words_reference(text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut last_end = 0;
        for (i, c) in text.char_indices() {
            let joiner = !c.is_alphanumeric()
                && start.is_some()
                && matches!(c, '\'' | '’' | '-' | '‐')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if c.is_alphanumeric() || joiner {
                start.get_or_insert(i);
                last_end = i + c.len_utf8();
            } else if let Some(s) = start.take() {
                out.push(s..last_end);
            }
        }
        if let Some(s) = start {
            out.push(s..last_end);
        }
        out
    }

    #[test]
    fn words_match_the_char_definition() {
        let pieces = [
            "a", "Zx", "9", " ", "-", "‐", "'", "’", "é", "Ärger", "ß", "日本", "٣", ".", "—",
            "\u{a0}", "Δ", "x’", "-7",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", "q", "’s", " -"] {
                        let t = format!("{a}{b}{c}{d}");
                        assert_eq!(words(&t), words_reference(&t), "{t:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 20_000);
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let t = "Putin's ex-Soviet trip - 'quoted' words.";
        let w: Vec<&str> = words(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(w, ["Putin's", "ex-Soviet", "trip", "quoted", "words"]);
    }
}
