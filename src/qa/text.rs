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

/// The words of `text[span]` (as [`words`] finds them, relative to the span), given the
/// words `all` of the whole `text`: those inside the span, when no word of `text` crosses
/// either end of it (a word's end is decided by the characters at and after it, so a word
/// inside the span is a word of the span too); `None` when one does (the caller splits the
/// span itself).
pub(crate) fn words_within(all: &[Range<usize>], span: Range<usize>) -> Option<Vec<Range<usize>>> {
    let first = all.partition_point(|w| w.end <= span.start);
    let mut out = Vec::new();
    for w in &all[first..] {
        if w.start >= span.end {
            break;
        }
        if w.start < span.start || w.end > span.end {
            return None;
        }
        out.push(w.start - span.start..w.end - span.start);
    }
    Some(out)
}

/// A rough sound key of a word in Latin or Cyrillic letters, for telling a loanword written
/// in the Cyrillic alphabet from the source word it renders (`прокси` / `proxy`, `медиа` /
/// `media`, `сокета` / `socket`): Cyrillic letters are transliterated, and both scripts are
/// brought to one spelling of each sound (`c` and `q` as `k`, `x` as `ks`, `y` as `i`, `w`
/// as `v`, `ph` as `f`, doubled letters once). `None` for a word with any other character
/// (a digit, another script, accented letters).
pub(super) fn sound_key(word: &str) -> Option<String> {
    let mut raw = String::with_capacity(word.len() + 4);
    for c in word.chars().flat_map(char::to_lowercase) {
        let t = match c {
            'a'..='z' => {
                raw.push(c);
                continue;
            }
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ю' => "iu",
            'я' => "ia",
            _ => return None,
        };
        raw.push_str(t);
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let piece: &str = match c {
            b'c' if next == Some(b'k') => {
                i += 1;
                "k"
            }
            b'p' if next == Some(b'h') => {
                i += 1;
                "f"
            }
            b'c' | b'q' => "k",
            b'x' => "ks",
            b'y' => "i",
            b'w' => "v",
            _ => {
                out.push(char::from(c));
                i += 1;
                continue;
            }
        };
        out.push_str(piece);
        i += 1;
    }
    let mut key = String::with_capacity(out.len());
    for c in out.chars() {
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    Some(key)
}

/// Whether `target` (a word in Cyrillic letters) sounds like the Latin word `source`,
/// possibly with an inflectional ending of up to three letters (`сокета` of `socket`):
/// a loanword rendering a word of the source. Both keys have at least four letters.
pub(super) fn sounds_like(target_key: &str, source_key: &str) -> bool {
    source_key.len() >= 4
        && target_key.len() >= 4
        && target_key.starts_with(source_key)
        && target_key.len() - source_key.len() <= 3
}

/// Real text for the tests of fast paths: every line of the files in `../shared/corpus/`
/// (next to the repository; required with `TARJUMAN_REQUIRE_SHARED=1`) and the strings
/// (messages and translations) of up to `per_locale` installed gettext catalogues of each
/// of English (GB), German, French, Spanish, Portuguese (BR) and Russian
/// (`/usr/share/locale/*/LC_MESSAGES/*.mo`, read as the NUL-separated strings they hold).
///
/// `None`, with a notice, when no catalogue is installed (a machine without the packages
/// `scripts/setup-debian` installs), so that the test skips; with
/// `TARJUMAN_REQUIRE_SHARED=1` (CI) that is a failure instead.
#[cfg(test)]
pub(crate) fn real_texts(per_locale: usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            for p in paths {
                let text = std::fs::read_to_string(&p).expect("readable corpus file");
                out.extend(text.lines().map(str::to_string));
            }
        }
        Err(e) => assert!(
            std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
            "{} is required: {e}",
            dir.display()
        ),
    }
    let mos = installed_catalogues(&["en_GB", "de", "fr", "es", "pt_BR", "ru"], per_locale);
    if mos.is_empty() {
        assert!(
            std::env::var("TARJUMAN_REQUIRE_SHARED").as_deref() != Ok("1"),
            "installed gettext catalogues (/usr/share/locale/*/LC_MESSAGES/*.mo) are required"
        );
        eprintln!("notice: skipping: no installed gettext catalogues (run scripts/setup-debian)");
        return None;
    }
    {
        for mo in mos {
            let Ok(bytes) = std::fs::read(&mo) else {
                continue;
            };
            out.extend(
                bytes
                    .split(|&b| b == 0)
                    .filter(|s| s.len() > 1)
                    .filter_map(|s| std::str::from_utf8(s).ok())
                    .map(str::to_string),
            );
        }
    }
    Some(out)
}

/// Up to `per_locale` installed gettext catalogues (`/usr/share/locale/LOCALE/LC_MESSAGES/
/// *.mo`, in name order) of each of `locales`, for tests on real translations.
#[cfg(test)]
pub(crate) fn installed_catalogues(locales: &[&str], per_locale: usize) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for loc in locales {
        let dir = std::path::Path::new("/usr/share/locale")
            .join(loc)
            .join("LC_MESSAGES");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut mos: Vec<_> = entries
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "mo"))
            .collect();
        mos.sort();
        out.extend(mos.into_iter().take(per_locale));
    }
    out
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

    /// The words of a span taken from the words of the whole text are the span's own:
    /// every line of real text, cut at every space and at every 7th character boundary.
    #[test]
    fn words_within_a_span_are_the_spans_own_words() {
        let (mut spans, mut taken) = (0, 0);
        let Some(real) = real_texts(1) else {
            return;
        };
        for t in real.iter().take(4000) {
            let all = words(t);
            let cuts: Vec<usize> = t
                .char_indices()
                .enumerate()
                .filter(|(k, (_, c))| *c == ' ' || k % 7 == 0)
                .map(|(_, (i, _))| i)
                .chain([t.len()])
                .collect();
            for pair in cuts.windows(2).step_by(2).chain(cuts.windows(3).step_by(5)) {
                let span = pair[0]..pair[pair.len() - 1];
                spans += 1;
                if let Some(got) = words_within(&all, span.clone()) {
                    assert_eq!(got, words(&t[span.clone()]), "{t:?} {span:?}");
                    taken += 1;
                }
            }
        }
        assert!(spans > 10_000 && taken * 4 > spans, "{spans} {taken}");
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let t = "Putin's ex-Soviet trip - 'quoted' words.";
        let w: Vec<&str> = words(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(w, ["Putin's", "ex-Soviet", "trip", "quoted", "words"]);
    }
    #[test]
    fn cyrillic_loanwords_sound_like_their_source_words() {
        let key = |w: &str| sound_key(w).unwrap_or_default();
        assert_eq!(key("прокси"), key("proxy"));
        assert_eq!(key("медиа"), key("media"));
        assert_eq!(key("сервер"), key("server"));
        assert!(sounds_like(&key("сокета"), &key("socket")));
        assert!(sounds_like(&key("прокси"), &key("proxy")));
        // Another word, or a word far longer than the source word, is no rendering of it.
        assert!(!sounds_like(&key("пакеты"), &key("proxy")));
        assert!(!sounds_like(&key("медиатекам"), &key("media")));
        assert_eq!(sound_key("Größe"), None);
    }
}
