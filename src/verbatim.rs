//! Text that no engine may translate (inline code: Markdown backticks, HTML `<code>`,
//! autolinks): hidden behind placeholders before the engine, put back byte for byte after it.
//!
//! The placeholders are those of the glossary (`ZQX` and a number, see
//! [`crate::glossary::protect`]), numbered after the glossary's own placeholders of the segment
//! (`first`), so that both kinds travel through the engine together and each restore step
//! leaves the other's alone. A placeholder the engine lost leaves its code out of the
//! translation; the markup writer then puts the code in at the nearest place and reports it
//! moved.

use std::ops::Range;

use crate::glossary::protect::{self, Edits, PREFIX};

/// A text with its verbatim parts replaced by placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// The text with placeholders.
    pub text: String,
    /// The hidden parts, in order; the placeholder of `parts[k]` is `ZQX{first + k}`.
    pub parts: Vec<String>,
    /// The number of the first placeholder.
    pub first: usize,
    /// The replacements made (part → placeholder and the blanks put around it), to map places
    /// of the text.
    pub edits: Edits,
    /// Per part: whether it was glued to a word before it and after it (a blank then keeps the
    /// placeholder apart, and is taken out again).
    pub glue: Vec<(bool, bool)>,
}

/// Replaces `ranges` of `text` (sorted, not overlapping, on character boundaries; others are
/// skipped) by placeholders numbered from `first`.
pub fn hide(text: &str, ranges: &[Range<usize>], first: usize) -> Hidden {
    let mut out = String::with_capacity(text.len());
    let mut parts = Vec::with_capacity(ranges.len());
    let mut edits = Vec::with_capacity(ranges.len());
    let mut glue = Vec::with_capacity(ranges.len());
    let mut pos = 0;
    for r in ranges {
        let Some(part) = text
            .get(r.clone())
            .filter(|_| r.start >= pos && !r.is_empty())
        else {
            continue;
        };
        out.push_str(&text[pos..r.start]);
        let token = format!("{PREFIX}{}", first + parts.len());
        // Glued to a word, a placeholder would be read as part of it: a blank keeps it apart.
        let glued_before = text[..r.start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let glued_after = text[r.end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        let start = out.len();
        if glued_before {
            out.push(' ');
        }
        out.push_str(&token);
        if glued_after {
            out.push(' ');
        }
        edits.push((r.clone(), start..out.len()));
        parts.push(part.to_string());
        glue.push((glued_before, glued_after));
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    Hidden {
        text: out,
        parts,
        first,
        edits: Edits(edits),
        glue,
    }
}

/// A translation with the hidden parts back in place of their placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revealed {
    /// The translation with the parts in place.
    pub text: String,
    /// The replacements made (placeholder → part), to map places of the translation.
    pub edits: Edits,
    /// Indices of parts whose placeholder was not found in the translation.
    pub lost: Vec<usize>,
}

/// Puts the parts of `hidden` back in place of their placeholders in `translation`; other
/// placeholders (the glossary's) are left as they are.
pub fn reveal(hidden: &Hidden, translation: &str) -> Revealed {
    let mut out = String::with_capacity(translation.len() + 16);
    let mut edits = Vec::new();
    let mut seen = vec![false; hidden.parts.len()];
    let mut pos = 0;
    for (range, n) in protect::placeholders(translation) {
        let Some(k) = n
            .checked_sub(hidden.first)
            .filter(|&k| k < hidden.parts.len())
        else {
            continue;
        };
        let (before, after) = hidden.glue.get(k).copied().unwrap_or_default();
        let mut from = range.start;
        let mut to = range.end;
        // The blanks `hide` put between the part and the words it was glued to.
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if before
            && from > pos
            && translation[..from].ends_with(' ')
            && word(translation[..from - 1].chars().next_back())
        {
            from -= 1;
        }
        if after && translation[to..].starts_with(' ') && word(translation[to + 1..].chars().next())
        {
            to += 1;
        }
        out.push_str(&translation[pos..from]);
        let start = out.len();
        out.push_str(&hidden.parts[k]);
        edits.push((from..to, start..out.len()));
        seen[k] = true;
        pos = to;
    }
    out.push_str(&translation[pos..]);
    let lost = (0..seen.len()).filter(|&k| !seen[k]).collect();
    Revealed {
        text: out,
        edits: Edits(edits),
        lost,
    }
}

/// `text` with `ranges` marked by backticks: the key of a text with verbatim parts in the
/// translation memory, so that it is not confused with the same words without code.
pub fn memory_key(text: &str, ranges: &[Range<usize>]) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2 * ranges.len());
    let mut pos = 0;
    for r in ranges {
        let Some(part) = text.get(r.clone()).filter(|_| r.start >= pos) else {
            continue;
        };
        out.push_str(&text[pos..r.start]);
        out.push('`');
        out.push_str(part);
        out.push('`');
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_byte_for_byte_and_other_placeholders_stay() {
        let text = "Run cargo build --release, then x.len()";
        let a = text.find("cargo").unwrap();
        let b = text.find("x.len").unwrap();
        let h = hide(text, &[a..a + 21, b..text.len()], 3);
        assert_eq!(h.text, "Run ZQX3, then ZQX4");
        let r = reveal(&h, "Ejecute ZQX3, luego zqx4 y ZQX1");
        assert_eq!(
            r.text,
            "Ejecute cargo build --release, luego x.len() y ZQX1"
        );
        assert!(r.lost.is_empty());
        // Places follow: the first part is where its placeholder was.
        let (_, new) = &r.edits.0[0];
        assert_eq!(&r.text[new.clone()], "cargo build --release");
        let r = reveal(&h, "Ejecute, luego ZQX4");
        assert_eq!(r.lost, vec![0]);
    }

    #[test]
    fn glued_parts_get_blanks_that_go_again() {
        let h = hide("a foo()bar", &[Range { start: 2, end: 7 }], 1);
        assert_eq!(h.text, "a ZQX1 bar");
        // What follows the part keeps its place.
        assert_eq!(h.edits.map_range(&(7..10)), 7..10);
        let r = reveal(&h, "un ZQX1 bar");
        assert_eq!(r.text, "un foo()bar");
        assert_eq!(r.edits.map_range(&(8..11)), 8..11);
        let h = hide("xfoo", &[Range { start: 1, end: 4 }], 1);
        assert_eq!(h.text, "x ZQX1");
        assert_eq!(reveal(&h, "y ZQX1").text, "yfoo");
        assert_eq!(
            memory_key("foo()bar", &[Range { start: 0, end: 5 }]),
            "`foo()`bar"
        );
    }
}
