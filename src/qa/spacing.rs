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

/// Where the word that ends before byte `i` of `text` begins: after the last whitespace
/// character before `i` (a no-break space is two bytes long), or at 0.
fn word_start(text: &str, i: usize) -> usize {
    text[..i]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(x, c)| x + c.len_utf8())
}

/// The span of two numbers that a colon at `colon` and whitespace up to `after` part
/// (`13: 30`), when both stand alone: not the end of a word (`IPv6: 2001:db8::`) and not
/// followed by letters or another colon.
fn torn_numbers(text: &str, colon: usize, after: usize) -> Option<(usize, usize)> {
    let from = text[..colon]
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .len();
    let to = text[after..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(text.len(), |x| after + x);
    let alone_before = !text[..from].ends_with(|c: char| c.is_alphanumeric() || c == '.');
    let alone_after = !text[to..].starts_with(|c: char| c.is_alphanumeric() || c == ':');
    (alone_before && alone_after).then_some((from, to))
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
                // A full stop that begins a name (`.rsrc`, `.NET`, `.gitignore`) is no
                // punctuation.
                let dot_name = n == '.' && chars.get(e + 1).is_some_and(|x| x.1.is_alphanumeric());
                let punct =
                    matches!(n, '.' | ',') || (!french && matches!(n, ';' | ':' | '!' | '?'));
                let after_word = p.is_alphanumeric() || matches!(p, ')' | ']' | '"' | '”' | '’');
                if punct && after_word && !ellipsis && !dot_name {
                    // The word before the space, for the message and the suggestion.
                    let ws = word_start(text, i);
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
                } else if let Some((from, to)) =
                    (p == ':' && n.is_ascii_digit() && k >= 2 && chars[k - 2].1.is_ascii_digit())
                        .then(|| torn_numbers(text, chars[k - 1].0, run_end))
                        .flatten()
                {
                    out.push(Raw {
                        span: Some(from..to),
                        text: text[from..to].to_string(),
                        suggestion: Some(format!("{}{}", &text[from..i], &text[run_end..to])),
                        ..Raw::new(
                            CheckKind::Spacing,
                            Severity::Warning,
                            "whitespace after the colon of a time or score",
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
            let ws = word_start(text, i);
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
/// no-break space followed by whitespace or punctuation; `:` after a digit and followed by
/// whitespace — the only place a run after a colon is reported, a time; a sentence end
/// followed by a capital or a non-ASCII letter). Most texts hold none, and the char-level
/// scan is skipped for them.
fn suspect(text: &str) -> bool {
    let b = text.as_bytes();
    if text.contains('\u{a0}') {
        return true;
    }
    (0..b.len().saturating_sub(1)).any(|i| match b[i] {
        b' ' | b'\t' => matches!(
            b[i + 1],
            b' ' | b'\t' | b'.' | b',' | b';' | b':' | b'!' | b'?' | 0xC2
        ),
        b':' => matches!(b[i + 1], b' ' | b'\t') && i > 0 && b[i - 1].is_ascii_digit(),
        b'.' | b'!' | b'?' => b[i + 1].is_ascii_uppercase() || b[i + 1] >= 0x80,
        _ => false,
    })
}

/// The findings of `ours` (a target's) without those the source has as well (`theirs`):
/// matched one for one by check and message, a repeated word by check alone (`Three
/// three` / `Tres tres`).
pub(super) fn not_in_source(ours: Vec<Raw>, theirs: Vec<Raw>) -> Vec<Raw> {
    let key = |r: &Raw| -> (CheckKind, String) {
        match r.check {
            CheckKind::RepeatedWord => (r.check, String::new()),
            _ => (r.check, r.message.clone()),
        }
    };
    let mut left: Vec<(CheckKind, String)> = theirs.iter().map(key).collect();
    ours.into_iter()
        .filter(|r| {
            let k = key(r);
            match left.iter().position(|x| *x == k) {
                Some(i) => {
                    left.swap_remove(i);
                    false
                }
                None => true,
            }
        })
        .collect()
}

/// Words written twice in a row (`the the`), ignoring case, among the words `ws` of `text`
/// (as found by [`super::words`]). "had had" and "that that" are grammatical and not
/// reported.
pub(super) fn repeated_words(text: &str, ws: &[std::ops::Range<usize>]) -> Vec<Raw> {
    repeated_words_with(text, ws, true)
}

/// [`repeated_words`], with or without its first-letter shortcut (the tests compare).
fn repeated_words_with(text: &str, ws: &[std::ops::Range<usize>], shortcut: bool) -> Vec<Raw> {
    let mut out = Vec::new();
    // A byte that may begin a hyphen (`-`, or `‐`: E2 80 90).
    let may_hyphen = |w: &str| w.bytes().any(|c| c == b'-' || c == 0xE2);
    for pair in ws.windows(2) {
        let (a, b) = (&text[pair[0].clone()], &text[pair[1].clone()]);
        // Most neighbours differ at their first letter: without a hyphen on either side
        // the words are compared as they are, and two different ASCII first letters
        // settle it.
        if let (Some(fa), Some(fb)) = (a.as_bytes().first(), b.as_bytes().first()) {
            if shortcut
                && fa.is_ascii()
                && fb.is_ascii()
                && !fa.eq_ignore_ascii_case(fb)
                && !may_hyphen(a)
                && !may_hyphen(b)
            {
                continue;
            }
        }
        let between = &text[pair[0].end..pair[1].start];
        if !between.chars().all(|c| c == ' ' || c == '\u{a0}') || between.is_empty() {
            continue;
        }
        if !a.chars().any(char::is_alphabetic) {
            continue;
        }
        // The second word is the first part of a name with dots (`par exemple exemple.com`,
        // `config config.php`): a host or a file, not the word again.
        if text[pair[1].end..]
            .strip_prefix('.')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_alphanumeric()))
        {
            continue;
        }
        // A word repeated as the first or last part of a hyphenated word (`PEM
        // PEM-enkodiert`, `sous-module module`) is repeated too.
        let (whole_a, whole_b) = (a, b);
        // But a last part that is a pronoun joined to its verb (Portuguese
        // `certificar-se se …`, "make sure whether"), and the word
        // after it another word written alike.
        // (A single letter before a hyphen is no word of its own: `e E-mail`, `à A-Z`.)
        let (a, b) = match (b.split_once(['-', '‐']), a.rsplit_once(['-', '‐'])) {
            (Some((head, _)), _) if head.len() == a.len() && head.chars().nth(1).is_none() => {
                continue
            }
            (Some((head, _)), _) if head.len() == a.len() => (a, head),
            (_, Some((_, tail))) if tail.len() == b.len() && enclitic(tail) => continue,
            (_, Some((_, tail))) if tail.len() == b.len() => (tail, b),
            _ => (a, b),
        };
        // What the two words become: the hyphenated one where there is one.
        let kept = if whole_b.len() > b.len() {
            whole_b
        } else {
            whole_a
        };
        // Compared case-folded char by char: most pairs differ at the first letter.
        let fold = |w: &'_ str| w.chars().flat_map(char::to_lowercase).collect::<String>();
        let same = if a.is_ascii() && b.is_ascii() {
            a.eq_ignore_ascii_case(b)
        } else {
            a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase))
        };
        if !same
            || matches!(
                fold(a).as_str(),
                "had" | "that" | "sie" | "die" | "das" | "vous" | "nous"
            )
        {
            continue;
        }
        // Written alike (or but for the capital of the first, `The the`), the second is a
        // slip; a word and then its capitals (`le nom NOM`) is a word and its metavariable,
        // a note; other mixes of case may be meant.
        let capital_first = |x: &str, y: &str| {
            let mut xs = x.chars();
            let mut ys = y.chars();
            match (xs.next(), ys.next()) {
                (Some(p), Some(q)) => p.to_lowercase().eq(q.to_lowercase()) && xs.eq(ys),
                _ => false,
            }
        };
        let metavariable = b.chars().any(char::is_alphabetic)
            && !b.chars().any(char::is_lowercase)
            && a.chars().any(char::is_lowercase);
        let severity = if a == b || capital_first(a, b) {
            Severity::Error
        } else if metavariable {
            Severity::Info
        } else {
            Severity::Warning
        };
        out.push(Raw {
            span: Some(pair[0].start..pair[1].end),
            text: text[pair[0].start..pair[1].end].to_string(),
            suggestion: Some(kept.to_string()),
            ..Raw::new(
                CheckKind::RepeatedWord,
                severity,
                format!("word `{a}` written twice"),
            )
        });
    }
    out
}

/// Whether `w` is a pronoun that Portuguese, French, Italian or Romanian join to a verb
/// with a hyphen (`certificar-se`, `dit-il`, `dá-lhe`), case aside.
fn enclitic(w: &str) -> bool {
    const PRONOUNS: [&str; 26] = [
        "se", "me", "te", "lo", "la", "le", "los", "las", "les", "nos", "vos", "lhe", "lhes", "o",
        "a", "os", "as", "il", "ils", "elle", "elles", "on", "je", "tu", "ce", "moi",
    ];
    w.len() <= 5 && PRONOUNS.iter().any(|p| w.eq_ignore_ascii_case(p))
}

/// Unbalanced brackets and quotes in `text` (a paragraph: a quotation may run over several
/// sentences and lines). Emoticons (`;-)`, `:(`) and list markers (`a)`, `2)`) are no
/// brackets. A straight quote `"` opens when it stands before a word and closes after one
/// (also after the full stop, `"….`"), so that a stray one between two spaces is found
/// where it is, and an inch mark (`15"`) is skipped.
pub(super) fn balance(text: &str) -> Vec<Raw> {
    if !may_unbalance(text) {
        return Vec::new();
    }
    balance_scan(text)
}

/// Whether `text` holds a character that [`balance`] looks at: an ASCII bracket or
/// straight quote, `«` `»` (bytes C2 AB, C2 BB) or `„` `“` `”` (E2 80 9E, 9C, 9D). A text
/// with none of them (most, even with dashes, ellipses and apostrophes, E2 80 xx too) has
/// nothing to balance.
fn may_unbalance(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' => true,
        0xC2 => matches!(b.get(i + 1), Some(0xAB | 0xBB)),
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9C..=0x9E)),
        _ => false,
    })
}

/// The char-level scan of [`balance`].
fn balance_scan(text: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let prev = |k: usize| k.checked_sub(1).map(|p| chars[p].1);
    let next = |k: usize| chars.get(k + 1).map(|x| x.1);
    let mut stack: Vec<(usize, char)> = Vec::new();
    let report = |out: &mut Vec<Raw>, at: usize, c: char, msg: String| {
        out.push(Raw {
            span: Some(at..at + c.len_utf8()),
            text: c.to_string(),
            ..Raw::new(CheckKind::Punctuation, Severity::Warning, msg)
        });
    };
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' | '{' | ')' | ']' | '}' if emoticon(&chars, k) => {}
            // (Not while a `(` is open: `(… registres ppc)` closes it.)
            ')' if list_marker(&chars, k) && !stack.iter().any(|x| x.1 == '(') => {}
            '(' | '[' | '{' => stack.push((i, c)),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.last().is_some_and(|x| x.1 == open) {
                    stack.pop();
                } else if let Some(pos) = stack.iter().rposition(|x| x.1 == open) {
                    // The brackets opened after the match are the ones left open.
                    for (j, o) in stack.drain(pos..).skip(1) {
                        report(&mut out, j, o, format!("`{o}` is never closed"));
                    }
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
    // Curly quotes: `„` opens (closed by `“` or `”`), `“` closes a `„` or opens an English
    // quote, `”` closes either.
    let mut quotes: Vec<(usize, char)> = Vec::new();
    let mut stray: Option<(usize, char)> = None;
    // Straight quotes by the side of the word they stand on.
    let mut straight_open: Option<usize> = None;
    let mut straight_bad: Option<(usize, &str)> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        match c {
            '„' => quotes.push((i, c)),
            '“' if quotes.last().is_some_and(|q| q.1 == '„') => {
                quotes.pop();
            }
            '“' => quotes.push((i, c)),
            '”' if quotes.pop().is_none() && stray.is_none() => stray = Some((i, c)),
            '"' => {
                let (p, n) = (prev(k), next(k));
                let space_before = p.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
                let space_after = n.is_none_or(|n| n.is_whitespace());
                let punct_after = n.is_some_and(|n| ".,;:!?)]}…—–-'’".contains(n));
                if p.is_some_and(|p| p.is_ascii_digit()) && (space_after || punct_after) {
                    // An inch mark.
                    continue;
                }
                // Beside a bracket or dash rather than a space, a quote may close a quoted
                // mark (`"~:["`, `"--%s"`) or open one (`"}"`).
                let spaced_before = p.is_none_or(char::is_whitespace);
                match (space_before, space_after || punct_after) {
                    (true, true) if straight_open.is_some() && (!space_after || !spaced_before) => {
                        straight_open = None;
                    }
                    (true, true) if straight_open.is_none() && !space_after => {
                        straight_open = Some(i);
                    }
                    (true, true) => {
                        straight_bad.get_or_insert((i, "stray quotation mark"));
                    }
                    (true, false) => {
                        if straight_open.is_some() {
                            straight_bad.get_or_insert((i, "unbalanced quotation marks"));
                        }
                        straight_open = Some(i);
                    }
                    (false, true) => {
                        if straight_open.take().is_none() {
                            straight_bad.get_or_insert((i, "unbalanced quotation marks"));
                        }
                    }
                    // Inside a word (`a"b`): no side to judge by.
                    (false, false) => {}
                }
            }
            _ => {}
        }
    }
    if let Some((i, c)) = quotes.first().copied().or(stray) {
        report(&mut out, i, c, "unbalanced quotation marks".into());
    }
    if let Some(i) = straight_open {
        straight_bad.get_or_insert((i, "unbalanced quotation marks"));
    }
    if let Some((i, msg)) = straight_bad {
        report(&mut out, i, '"', msg.into());
    }
    let count = |c: char| text.matches(c).count();
    if count('«') != count('»') {
        if let Some(&(i, c)) = chars.iter().find(|x| matches!(x.1, '«' | '»')) {
            report(&mut out, i, c, "unbalanced guillemets".into());
        }
    }
    out
}

/// Whether the bracket at `k` belongs to an emoticon: `:)`, `;-)`, `:-(`, `:'(`, `(:`.
fn emoticon(chars: &[(usize, char)], k: usize) -> bool {
    let at = |j: Option<usize>| j.and_then(|j| chars.get(j)).map(|x| x.1);
    let eyes = |c: Option<char>| matches!(c, Some(':' | ';' | '=' | '8'));
    let before = at(k.checked_sub(1));
    let before2 = at(k.checked_sub(2));
    eyes(before) && !before2.is_some_and(char::is_alphanumeric)
        || (matches!(before, Some('-' | '\'' | '^' | 'o')) && eyes(before2))
        || (matches!(chars[k].1, '(')
            && eyes(at(Some(k + 1)))
            && !at(Some(k + 2)).is_some_and(char::is_alphanumeric))
}

/// Whether the `)` at `k` ends a list marker: one or two letters or digits at the start of
/// a line or after a space (`a)`, `2)`, `iv)`).
fn list_marker(chars: &[(usize, char)], k: usize) -> bool {
    let mut j = k;
    while j > 0 && chars[j - 1].1.is_alphanumeric() && k - j < 4 {
        j -= 1;
    }
    (1..=3).contains(&(k - j))
        && (j == 0 || chars[j - 1].1.is_whitespace())
        && !chars[j..k].iter().any(|x| x.1.is_uppercase() && k - j > 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_repeated_in_a_hyphenated_one_is_repeated() {
        for (text, kept) in [
            ("Kein PEM PEM-enkodiertes Zertifikat", "PEM-enkodiertes"),
            ("la fusion du sous-module module", "sous-module"),
            ("git update-ref ref [<Optionen>] --stdin [-z]", "update-ref"),
            ("the the end", "the"),
        ] {
            let found = repeated_words(text, &super::super::words(text));
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].suggestion.as_deref(), Some(kept), "{text}");
        }
        let text = "ein Zwei-Wege-Plan und Wege";
        assert!(repeated_words(text, &super::super::words(text)).is_empty());
    }

    /// A letter before a hyphen (`e E-mail`) and a host name (`exemple exemple.com`) are no
    /// word written again; the word really doubled beside them is.
    #[test]
    fn a_letter_before_a_hyphen_and_a_host_name_are_no_repetition() {
        for text in ["Nome e E-mail", "Le nom du site (par exemple exemple.com)"] {
            assert!(
                repeated_words(text, &super::super::words(text)).is_empty(),
                "{text}"
            );
        }
        for (text, doubled) in [
            ("Nome e e E-mail", "e e"),
            ("par exemple exemple le site exemple.com", "exemple exemple"),
        ] {
            let found = repeated_words(text, &super::super::words(text));
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].text, doubled, "{text}");
        }
    }

    /// debconf's manual in Brazilian Portuguese (debconf 1.5.82, `doc/man/po4a/po/pt_BR.po`):
    /// `certificar-se se` is "make sure whether", the pronoun of the verb and a conjunction;
    /// the same unit with a word really doubled is still found.
    #[test]
    fn a_pronoun_joined_to_its_verb_and_a_word_written_alike_are_no_repetition() {
        let text = "A biblioteca checa para certificar-se se atualmente está conversando com um \
                    FrontEnd examinando a variável DEBIAN_HAS_FRONTEND.";
        assert!(repeated_words(text, &super::super::words(text)).is_empty());
        let text = "A biblioteca checa para certificar-se se atualmente está conversando com com \
                    um FrontEnd examinando a variável DEBIAN_HAS_FRONTEND.";
        let found = repeated_words(text, &super::super::words(text));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "com com");
    }

    /// The first-letter shortcut of [`repeated_words`] changes no finding: on real text
    /// (the shared corpus, installed catalogues) as it is and with each of its first words
    /// doubled in turn in several spellings (as written, in capitals, beside a hyphenated
    /// word), the findings with and without it are the same.
    #[test]
    fn repeated_words_shortcut_changes_no_finding() {
        let (mut texts, mut found) = (0, 0);
        let Some(real) = super::super::text::real_texts(2) else {
            return;
        };
        for t in real.iter().take(3000) {
            let ws = super::super::words(t);
            let mut variants = vec![t.clone()];
            for r in ws.iter().take(6) {
                let w = &t[r.clone()];
                for doubled in [
                    format!("{w} {w}"),
                    format!("{w} {}", w.to_uppercase()),
                    format!("{w} {w}-Teil"),
                    format!("x-{w} {w}"),
                    format!("{w}\u{a0}{}", w.to_lowercase()),
                ] {
                    variants.push(format!("{}{doubled}{}", &t[..r.start], &t[r.end..]));
                }
            }
            for text in variants {
                let ws = super::super::words(&text);
                let fast = repeated_words_with(&text, &ws, true);
                let full = repeated_words_with(&text, &ws, false);
                let key = |v: &[Raw]| -> Vec<(Option<std::ops::Range<usize>>, String, Severity)> {
                    v.iter()
                        .map(|r| (r.span.clone(), r.message.clone(), r.severity))
                        .collect()
                };
                assert_eq!(key(&fast), key(&full), "{text:?}");
                texts += 1;
                found += full.len();
            }
        }
        assert!(texts > 10_000 && found > 5_000, "{texts} {found}");
    }

    /// The bracket and quote pre-filter never hides a finding of the full scan: every
    /// combination of three characters from a set of brackets, quotes, dashes and letters,
    /// and every line of real text (the shared corpus, installed catalogues).
    #[test]
    fn balance_prefilter_never_hides_a_finding() {
        let alphabet = [
            "(", ")", "[", "]", "{", "}", "\"", "«", "»", "„", "“", "”", "‘", "’", "…", "—", "–",
            " ", "a", ":", ";-", "é", "\u{a0}", "\u{202f}", "2",
        ];
        let mut checked = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    let t = format!("{a}word{b} x{c}");
                    if !may_unbalance(&t) {
                        assert!(balance_scan(&t).is_empty(), "{t:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        let (mut skipped, mut found) = (0, 0);
        let Some(real) = super::super::text::real_texts(20) else {
            return;
        };
        for t in real {
            let full = balance_scan(&t);
            found += usize::from(!full.is_empty());
            if !may_unbalance(&t) {
                assert!(full.is_empty(), "{t:?}");
                skipped += 1;
            }
        }
        assert!(skipped > 0 && found > 0, "{skipped} {found}");
    }

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

    /// On real text, the pre-filter turns away only texts whose full scan finds nothing.
    #[test]
    fn prefilter_agrees_with_the_scan_on_real_text() {
        let fr = Lang::from_code("fr").ok();
        let (mut skipped, mut found) = (0, 0);
        let Some(real) = super::super::text::real_texts(4) else {
            return;
        };
        for t in real {
            for lang in [None, fr] {
                let full = scan(&t, lang);
                found += usize::from(!full.is_empty());
                if !suspect(&t) {
                    assert!(full.is_empty(), "{t:?}");
                    skipped += 1;
                }
            }
        }
        assert!(skipped > 1000 && found > 10, "{skipped} {found}");
    }

    #[test]
    fn a_word_after_a_no_break_space_is_shown_whole() {
        // `rfind` of the space plus one byte landed inside U+00A0 and panicked.
        let f = spacing("limite de 32\u{a0}octets ; notez", None);
        assert_eq!(texts(f), ["octets ;"]);
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
    fn a_space_after_the_colon_of_a_time_or_score() {
        let found = spacing("gegen 13: 30 Uhr, mit 2: 0 gewonnen", None);
        assert_eq!(texts(found.clone()), ["13: 30", "2: 0"]);
        assert_eq!(found[0].suggestion.as_deref(), Some("13:30"));
        // A digit ending a word, or an address after the colon, is no time.
        assert!(spacing("in IPv6: 2001:db8::/32", None).is_empty());
        assert!(spacing("Version 1.2: 3 Fehler behoben", None).is_empty());
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

    #[test]
    fn quotations_over_sentences_emoticons_and_list_markers() {
        // A quotation over two sentences and lines, closed after the full stop.
        assert!(balance("He said: \"We will stay.\nWe will fight.\" Then he left.").is_empty());
        assert!(balance("the locals do not have to worry about the \"crusaders.\"").is_empty());
        assert!(balance("Fine ;-) and :) or :( and (a) first, b) second, 2) third").is_empty());
        assert!(balance("a 15\" screen").is_empty());
        // A stray straight quote between two spaces is found where it is.
        let f = balance("in the \"end\" the investors \" spotlight");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span, Some(27..28));
        assert_eq!(f[0].message, "stray quotation mark");
        assert_eq!(texts(balance("an \"open quote and more")), ["\""]);
        assert_eq!(texts(balance("nothing) here")), [")"]);
    }

    #[test]
    fn quoted_marks_brackets_closing_a_parenthesis_and_dotted_names() {
        // A straight quote around a mark or beside a bracket (pt_BR catalogues).
        assert!(balance("seguido por \"~:[\" e separadas por \"~;\".").is_empty());
        // (The quoted `}` itself closes nothing: the source has it too, see `not_in_source`.)
        assert_eq!(
            texts(balance("caractere inválido \"%c\" ao invés de \"}\".")),
            ["}"]
        );
        assert!(balance("a opção \"--%s\" requer um argumento").is_empty());
        // Three letters before `)` close an open parenthesis; they are no list marker.
        assert!(balance("NT_PPC_TM_CGPR (регистры общего назначения ppc)").is_empty());
        assert_eq!(texts(balance("first item ppc) and more (open")), ["("]);
        // The full stop of a name (`.rsrc`) after a space is no punctuation after a space.
        assert!(spacing("échec de la fusion de .rsrc: plusieurs", None).is_empty());
        assert_eq!(spacing("la fin de .", None).len(), 1);
    }
}
