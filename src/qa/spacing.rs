//! Checks on the surface of the target text: whitespace around punctuation (`p.m .`,
//! `7 :09`, `word ,`), doubled spaces, missing spaces after a sentence end, doubled words
//! (`the the`), and unbalanced quotes and brackets.

use crate::lang::Lang;

use super::{CheckKind, Raw, Severity};

/// Whitespace problems in `text`; `lang` is the text's language (French puts a space
/// before `; : ! ?`, so those are not reported for it).
pub(super) fn spacing(text: &str, lang: Option<Lang>) -> Vec<Raw> {
    if !suspect(text) {
        return Vec::new();
    }
    scan(text, lang)
}

/// The char-level scan of [`spacing`].
fn scan(text: &str, lang: Option<Lang>) -> Vec<Raw> {
    let french = lang.is_some_and(|l| l.code() == "fr");
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            // A run of horizontal whitespace.
            let mut e = k;
            while e < chars.len() && matches!(chars[e].1, ' ' | '\t' | '\u{a0}') {
                e += 1;
            }
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            let next = chars.get(e).map(|x| x.1);
            let run_end = chars.get(e).map_or(text.len(), |x| x.0);
            let inside_line = prev.is_some_and(|p| p != '\n');
            if let (true, Some(p), Some(n)) = (inside_line, prev, next) {
                let ellipsis = n == '.' && chars.get(e + 1).is_some_and(|x| x.1 == '.');
                let punct =
                    matches!(n, '.' | ',') || (!french && matches!(n, ';' | ':' | '!' | '?'));
                let after_word = p.is_alphanumeric() || matches!(p, ')' | ']' | '"' | '”' | '’');
                if punct && after_word && !ellipsis {
                    // The word before the space, for the message and the suggestion.
                    let ws = text[..i].rfind(char::is_whitespace).map_or(0, |x| x + 1);
                    let pe = run_end + n.len_utf8();
                    let shown = &text[ws..pe];
                    out.push(Raw {
                        span: Some(ws..pe),
                        text: shown.to_string(),
                        suggestion: Some(format!("{}{n}", &text[ws..i])),
                        ..Raw::new(
                            CheckKind::Spacing,
                            Severity::Warning,
                            format!("whitespace before `{n}`"),
                        )
                    });
                } else if e - k >= 2 && !n.is_whitespace() && p != '\n' {
                    out.push(Raw {
                        span: Some(i..run_end),
                        text: text[i..run_end].to_string(),
                        suggestion: Some(" ".into()),
                        ..Raw::new(CheckKind::Spacing, Severity::Warning, "doubled space")
                    });
                } else if p == ':'
                    && n.is_ascii_digit()
                    && k >= 2
                    && chars[k - 2].1.is_ascii_digit()
                {
                    out.push(Raw {
                        span: Some(chars[k - 2].0..run_end + 1),
                        text: text[chars[k - 2].0..run_end + 1].to_string(),
                        suggestion: None,
                        ..Raw::new(
                            CheckKind::Spacing,
                            Severity::Warning,
                            "whitespace inside a time",
                        )
                    });
                }
            }
            k = e;
            continue;
        }
        // `closed.The`: a sentence end with no space after it.
        if matches!(c, '.' | '!' | '?')
            && k >= 2
            && chars[k - 1].1.is_lowercase()
            && chars[k - 2].1.is_lowercase()
            && chars.get(k + 1).is_some_and(|x| x.1.is_uppercase())
            && chars.get(k + 2).is_some_and(|x| x.1.is_lowercase())
        {
            let ws = text[..i].rfind(char::is_whitespace).map_or(0, |x| x + 1);
            let we = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |x| i + x);
            let chunk = &text[ws..we];
            if !chunk.contains(['/', '@']) {
                out.push(Raw {
                    span: Some(ws..we),
                    text: chunk.to_string(),
                    suggestion: Some(format!("{} {}", &text[ws..=i], &text[i + 1..we])),
                    ..Raw::new(
                        CheckKind::Spacing,
                        Severity::Warning,
                        format!("no space after `{c}`"),
                    )
                });
            }
        }
        k += 1;
    }
    out
}

/// Whether `text` holds any byte pair that a spacing finding needs (a tab, space or
/// no-break space followed by whitespace or punctuation; `:` followed by whitespace; a
/// sentence end followed by a capital or a non-ASCII letter). Most texts hold none, and the
/// char-level scan is skipped for them.
fn suspect(text: &str) -> bool {
    let b = text.as_bytes();
    if text.contains('\u{a0}') {
        return true;
    }
    b.windows(2).any(|w| match w[0] {
        b' ' | b'\t' => matches!(
            w[1],
            b' ' | b'\t' | b'.' | b',' | b';' | b':' | b'!' | b'?' | 0xC2
        ),
        b':' => matches!(w[1], b' ' | b'\t'),
        b'.' | b'!' | b'?' => w[1].is_ascii_uppercase() || w[1] >= 0x80,
        _ => false,
    })
}

/// Words written twice in a row (`the the`), ignoring case, among the words `ws` of `text`
/// (as found by [`super::words`]). "had had" and "that that" are grammatical and not
/// reported.
pub(super) fn repeated_words(text: &str, ws: &[std::ops::Range<usize>]) -> Vec<Raw> {
    let mut out = Vec::new();
    for pair in ws.windows(2) {
        let (a, b) = (&text[pair[0].clone()], &text[pair[1].clone()]);
        let between = &text[pair[0].end..pair[1].start];
        if !between.chars().all(|c| c == ' ' || c == '\u{a0}') || between.is_empty() {
            continue;
        }
        if !a.chars().any(char::is_alphabetic) {
            continue;
        }
        // Compared case-folded char by char: most pairs differ at the first letter.
        let fold = |w: &'_ str| w.chars().flat_map(char::to_lowercase).collect::<String>();
        let same = if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase))
        };
        if !same || matches!(fold(a).as_str(), "had" | "that" | "sie" | "die" | "das") {
            continue;
        }
        out.push(Raw {
            span: Some(pair[0].start..pair[1].end),
            text: text[pair[0].start..pair[1].end].to_string(),
            suggestion: Some(a.to_string()),
            ..Raw::new(
                CheckKind::RepeatedWord,
                Severity::Error,
                format!("word `{a}` written twice"),
            )
        });
    }
    out
}

/// Unbalanced brackets and quotes in `text`.
pub(super) fn balance(text: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    // Every bracket and quote looked at below is ASCII or starts with byte 0xC2 (`«` `»`)
    // or 0xE2 (`„` `“` `”`): a text with none of those bytes has nothing to balance.
    if !text.bytes().any(|b| {
        matches!(
            b,
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | 0xC2 | 0xE2
        )
    }) {
        return out;
    }
    let mut stack: Vec<(usize, char)> = Vec::new();
    let report = |out: &mut Vec<Raw>, at: usize, c: char, msg: String| {
        out.push(Raw {
            span: Some(at..at + c.len_utf8()),
            text: c.to_string(),
            ..Raw::new(CheckKind::Punctuation, Severity::Warning, msg)
        });
    };
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => stack.push((i, c)),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.last().is_some_and(|x| x.1 == open) {
                    stack.pop();
                } else {
                    report(&mut out, i, c, format!("`{c}` closes nothing"));
                }
            }
            _ => {}
        }
    }
    for (i, c) in stack {
        report(&mut out, i, c, format!("`{c}` is never closed"));
    }
    let count = |c: char| text.matches(c).count();
    let first = |cs: &[char]| text.char_indices().find(|x| cs.contains(&x.1));
    // Curly quotes: `„` opens (closed by `“` or `”`), `“` closes a `„` or opens an English
    // quote, `”` closes either.
    let mut quotes: Vec<(usize, char)> = Vec::new();
    let mut stray: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match c {
            '„' => quotes.push((i, c)),
            '“' if quotes.last().is_some_and(|q| q.1 == '„') => {
                quotes.pop();
            }
            '“' => quotes.push((i, c)),
            '”' if quotes.pop().is_none() && stray.is_none() => stray = Some((i, c)),
            _ => {}
        }
    }
    if let Some((i, c)) = quotes.first().copied().or(stray) {
        report(&mut out, i, c, "unbalanced quotation marks".into());
    }
    if count('"') % 2 == 1 {
        if let Some((i, c)) = first(&['"']) {
            report(&mut out, i, c, "unbalanced quotation marks".into());
        }
    }
    if count('«') != count('»') {
        if let Some((i, c)) = first(&['«', '»']) {
            report(&mut out, i, c, "unbalanced guillemets".into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte pre-filter never hides a finding of the full scan: every combination of
    /// two or three characters from a set of spaces, punctuation, digits and letters (in
    /// both scripts of the checks), inside a word frame.
    #[test]
    fn prefilter_never_hides_a_finding() {
        let alphabet = [
            " ", "  ", "\t", "\u{a0}", ".", ",", ";", ":", "!", "?", "7", "09", "a", "bc", "The",
            "Ärger", "é", ")", "\"", "”", "\n", "...",
        ];
        let fr = Lang::from_code("fr").ok();
        let mut checked = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    let t = format!("word{a}{b}{c}word Next");
                    for lang in [None, fr] {
                        if !suspect(&t) {
                            assert!(scan(&t, lang).is_empty(), "{t:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    fn texts(v: Vec<Raw>) -> Vec<String> {
        v.into_iter().map(|r| r.text).collect()
    }

    #[test]
    fn space_before_punctuation() {
        let f = spacing("Update from June 28, 7:09 p.m .: more", None);
        assert_eq!(texts(f), ["p.m ."]);
        let f = spacing("He said , no.", None);
        assert_eq!(f[0].suggestion.as_deref(), Some("said,"));
        assert!(spacing("Wait ... and see. Fine: yes.", None).is_empty());
        let fr = Lang::from_code("fr").ok();
        assert!(spacing("Pourquoi ? Parce que : voilà.", fr).is_empty());
    }

    #[test]
    fn doubled_and_missing_spaces() {
        assert_eq!(texts(spacing("two  spaces", None)), ["  "]);
        assert_eq!(texts(spacing("It closed.The end.", None)), ["closed.The"]);
        assert!(spacing("  indented line\n  next", None).is_empty());
    }

    #[test]
    fn doubled_words() {
        assert_eq!(
            texts(repeated_words(
                "in the the city",
                &super::super::words("in the the city")
            )),
            ["the the"]
        );
        assert!(repeated_words(
            "what he had had, that that is",
            &super::super::words("what he had had, that that is")
        )
        .is_empty());
        assert!(repeated_words(
            "the\nthe end, the. The",
            &super::super::words("the\nthe end, the. The")
        )
        .is_empty());
    }

    #[test]
    fn brackets_and_quotes() {
        assert_eq!(texts(balance("(open and [closed]")), ["("]);
        assert_eq!(texts(balance("„Zitat“ und „noch eins")), ["„"]);
        assert!(balance("„Zitat“ and “quote” and \"plain\" (ok)").is_empty());
    }
}
