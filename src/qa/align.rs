//! Sentence alignment of a source and a target: length-based dynamic programming in the
//! Gale–Church family, strengthened by anchors that survive translation.
//!
//! Every segment becomes an [`Item`]: its length in characters and its anchors (numbers with
//! their values, dates, names, URLs, question and exclamation marks). A path through the
//! source × target grid is built from beads 1–1, 1–0 (dropped), 0–1 (added), 2–1, 1–2 and
//! 2–2. The cost of a bead is −log of its prior plus, for matching beads, −log of the
//! probability of the length difference under the Gale–Church normal model, plus a cost for
//! anchors on one side that are missing on the other and a bonus for shared anchors. Skip
//! beads carry only their prior: a segment whose numbers and names appear nowhere in the
//! target is then cheaper to drop than to glue onto its neighbour.
//!
//! The grid is searched in a band around the diagonal (widened by the difference in
//! segment counts), so memory and time grow linearly with the document length.

use std::ops::Range;

use crate::lang::Lang;

use super::numbers;

/// A segment as the aligner sees it.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// Length in characters.
    pub len: usize,
    /// Anchors: normalised strings expected to survive translation.
    pub anchors: Vec<String>,
}

/// The anchor of a placeholder: as it is written, but a printf argument number left out
/// (`%3$s` is the `%s` of a translation that reorders its arguments).
fn placeholder_anchor(p: &str) -> String {
    match super::pairs::printf_argument(p) {
        Some((_, rest)) => format!("u%{}", &p[rest..]),
        None => format!("u{p}"),
    }
}

impl Item {
    /// The length and anchors of `text` in language `lang`.
    pub fn new(text: &str, lang: Option<Lang>) -> Item {
        Item::marked(text, lang, 'n', None)
    }

    /// [`Item::new`], with `mark` (`n`, or `N` where capitals are no sign of names) before
    /// each name anchor.
    ///
    /// Every word and token is looked at once: a word that begins with an ASCII byte other
    /// than a capital is no name without decoding it, the address scan runs only over a text
    /// with `://`, `www.` or `@` in it, and the tokens come from [`tokens`], a byte scan.
    fn marked(text: &str, lang: Option<Lang>, mark: char, ws: Option<Vec<Range<usize>>>) -> Item {
        // One word split serves the number words and the names.
        let ws = ws.unwrap_or_else(|| super::words(text));
        let mut anchors: Vec<String> = numbers::extract_in(text, &ws, lang)
            .into_iter()
            .map(|n| format!("#{}", n.value.key()))
            .collect();
        for r in ws.iter().skip(1) {
            let w = &text[r.clone()];
            // Names: capitalised words not at the start of the sentence, compared by their
            // first five letters (survives inflection such as Putins/Putin's).
            match w.as_bytes().first() {
                Some(b) if b.is_ascii_uppercase() => {}
                Some(b) if *b >= 0x80 => {
                    if !w.chars().next().is_some_and(char::is_uppercase) {
                        continue;
                    }
                }
                _ => continue,
            }
            if w.chars().nth(2).is_none() {
                continue;
            }
            let mut key = String::with_capacity(12);
            key.push(mark);
            for c in strip_possessive(w).chars().take(5) {
                if c.is_ascii() {
                    key.push(c.to_ascii_lowercase());
                } else {
                    key.extend(c.to_lowercase());
                }
            }
            anchors.push(key);
        }
        if text.contains("://") || text.contains("www.") || text.contains('@') {
            for tok in tokens(text) {
                if tok.contains("://") || tok.starts_with("www.") || tok.contains('@') {
                    anchors.push(format!("u{}", tok.trim_end_matches(['.', ',', ')'])));
                }
            }
        }
        // Placeholders survive translation as they are. (Both marks are ASCII: a byte search.)
        if memchr::memchr2(b'%', b'{', text.as_bytes()).is_some() {
            for r in super::pairs::placeholders(text) {
                anchors.push(placeholder_anchor(&text[r]));
            }
        }
        // Markup and code (`<command>expert</command>`, `--force`, `priority=low`), but not
        // words in capitals (names, above) nor digits (numbers, above).
        for tok in code_tokens(text) {
            if !tok.chars().all(char::is_alphabetic)
                && !tok.contains("://")
                && !tok.contains('@')
                && !tok.bytes().any(|c| c.is_ascii_digit())
            {
                anchors.push(format!("c{}", markup_key(tok)));
            }
        }
        if text.contains('?') {
            anchors.push("?".into());
        }
        if text.contains('!') {
            anchors.push("!".into());
        }
        Item {
            len: text.chars().count(),
            anchors,
        }
    }
}

/// `w` without the possessive endings `'s` and `’s` (each as often as it ends the word, the
/// straight one first).
fn strip_possessive(mut w: &str) -> &str {
    while let Some(rest) = w.strip_suffix("'s") {
        w = rest;
    }
    while let Some(rest) = w.strip_suffix("’s") {
        w = rest;
    }
    w
}

/// The whitespace-separated tokens of `text`, as `str::split_whitespace` gives them, found
/// by a byte scan: an ASCII byte is whitespace by a table, and only the lead bytes of the
/// other whitespace characters (`0xC2`: U+0085, U+00A0; `0xE1`: U+1680; `0xE2`: U+2000–
/// U+205F; `0xE3`: U+3000) are decoded (the tests compare every character and real text).
pub(super) fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let n = text.len();
        loop {
            if i >= n {
                return None;
            }
            match space_len(text, i) {
                0 => break,
                k => i += k,
            }
        }
        let start = i;
        while i < n && space_len(text, i) == 0 {
            i += 1;
        }
        Some(&text[start..i])
    })
}

/// Per byte: 1 for ASCII whitespace, 2 for the lead byte of a non-ASCII whitespace
/// character (decoded to tell), 0 otherwise.
static SPACE_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[0x0B] = 1;
    t[0x0C] = 1;
    t[b'\r' as usize] = 1;
    t[b' ' as usize] = 1;
    t[0xC2] = 2;
    t[0xE1] = 2;
    t[0xE2] = 2;
    t[0xE3] = 2;
    t
};

/// The length in bytes of the whitespace character at byte `i` of `text`, 0 when there is
/// none there (also inside a character).
#[inline]
fn space_len(text: &str, i: usize) -> usize {
    match SPACE_BYTES[usize::from(text.as_bytes()[i])] {
        0 => 0,
        1 => 1,
        _ => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

/// The tokens of `text` that translation keeps as they are: markup and code (`I<yes>`,
/// `C<--group>`, `<quote>expert</quote>`, `priority=low`, `--force`, `&d-i;`), paths and
/// addresses, words in capitals or with a capital inside (`API`, `GitLab`), words with
/// digits (`v4`, `x86`). Bare numbers are left to the number check (their separators
/// change with the language).
pub fn code_tokens(text: &str) -> impl Iterator<Item = &str> {
    tokens(text)
        .map(|tok| {
            // (Most tokens begin and end with an ASCII letter or digit, which no trim
            // takes off: those skip the searches.)
            let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
            let tok = if alnum(tok.as_bytes().first()) {
                tok
            } else {
                tok.trim_start_matches(['(', '[', '"', '\'', '«', '“', '‘', '¿', '¡'])
            };
            if alnum(tok.as_bytes().last()) {
                tok
            } else {
                tok.trim_end_matches([
                    '.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '»', '”', '’',
                ])
            }
        })
        .filter(|tok| code_token(tok, true))
}

/// Whether `tok` (trimmed) is one of the [`code_tokens`]; with `shortcut`, a token of ASCII
/// letters with at most one capital (most words) is answered without counting its letters
/// (the tests compare).
fn code_token(tok: &str, shortcut: bool) -> bool {
    if shortcut
        && tok
            .bytes()
            .try_fold(0u32, |caps, b| match b {
                b'a'..=b'z' => Some(caps),
                b'A'..=b'Z' if caps == 0 => Some(1),
                _ => None,
            })
            .is_some()
    {
        // Letters only (no mark, digit or leading `-`) and never all capitals unless a
        // single letter: not code.
        return false;
    }
    // Letters, capitals, markup or code characters and digits, counted in one pass.
    let (mut letters, mut upper, mut marked) = (0usize, 0usize, false);
    for c in tok.chars() {
        letters += usize::from(c.is_alphabetic());
        upper += usize::from(c.is_uppercase());
        marked |= matches!(
            c,
            '<' | '>' | '{' | '}' | '%' | '=' | '_' | '/' | '@' | '\\' | '&' | '$' | '0'..='9'
        );
    }
    if letters == 0 {
        return false;
    }
    marked || tok.starts_with('-') || (letters >= 2 && upper == letters) || upper >= 2
}

/// What of a code token ([`code_tokens`]) survives translation: of a token with markup,
/// what stands inside its angle brackets, except words that a translator renders
/// (`<keycap>Tab</keycap>` → `<keycap></keycap>`; a man page's `I<name>` → `I<>`, but
/// `B<--force>` stays); any other token as it is.
pub fn markup_key(tok: &str) -> std::borrow::Cow<'_, str> {
    if !tok.contains('<') {
        return tok.into();
    }
    let mut out = String::with_capacity(tok.len());
    let mut rest = tok;
    while let Some(open) = rest.find('<') {
        // A POD code (`I<`, `B<`): a capital before the bracket.
        let pod = rest[..open]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_uppercase());
        if pod {
            out.push(rest[..open].chars().next_back().unwrap_or('<'));
        }
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            break;
        };
        let inner = &rest[open + 1..open + close];
        out.push('<');
        if !(pod && inner.chars().all(char::is_alphabetic)) {
            out.push_str(inner);
        }
        out.push('>');
        rest = &rest[open + close + 1..];
    }
    out.into()
}

/// Whether `lang` capitalises its nouns (German, Luxembourgish): there a capital is no sign
/// of a name.
pub fn capitalises_nouns(lang: Option<Lang>) -> bool {
    matches!(lang.map(Lang::code), Some("de" | "lb"))
}

/// Whether a target segment that has no counterpart in the source is a note of the
/// translator's (`(NdT : « ll » représente le code langue…`, `[Anm. d. Übers.: …]`): a
/// sentence the translator added on purpose, marked as such. `open` is whether an earlier
/// segment of the same run began a note in brackets that is not closed yet (the note's
/// later sentences); returns the answer and whether a bracket is still open after it.
pub fn translator_note(text: &str, open: bool) -> (bool, bool) {
    let t = text.trim_start();
    let inner = t.trim_start_matches(['(', '[', '{', '*', ' ', '\u{a0}']);
    let lower: String = inner
        .chars()
        .take(40)
        .flat_map(char::to_lowercase)
        .collect();
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    // Abbreviations and words for "translator's note" in the languages of the checks,
    // squeezed (`N. d. T.` → `n.d.t.`).
    const MARKERS: [&str; 16] = [
        "ndt",
        "n.d.t",
        "n.d.l.r",
        "n.delt",
        "n.del.t",
        "n.dot",
        "n.do.t",
        "n.t.:",
        "nt:",
        "anm.d.ü",
        "anmerkungdesübersetzers",
        "anmerkungderübersetzer",
        "прим.пер",
        "примечаниепереводчика",
        "translator'snote",
        "notadotradutor",
    ];
    let starts_note = MARKERS.iter().any(|m| squeezed.starts_with(m))
        || squeezed.starts_with("notedutraducteur")
        || squeezed.starts_with("notadeltraductor");
    let note = starts_note || open;
    let depth = t.matches(['(', '[']).count() as isize - t.matches([')', ']']).count() as isize;
    let still_open = note && if starts_note { depth > 0 } else { depth >= 0 };
    (note, still_open)
}

/// The items of source and target segments. Where either language capitalises its nouns,
/// a name anchor that the other side lacks costs nothing (one both sides have still
/// counts): a long German sentence has a dozen capitalised nouns that the other side
/// cannot share, and their cost would make the sentence and its translation a drop and an
/// addition.
pub fn items<'a>(
    source: impl Iterator<Item = &'a str>,
    from: Option<Lang>,
    target: impl Iterator<Item = &'a str>,
    to: Option<Lang>,
) -> (Vec<Item>, Vec<Item>) {
    items_with(
        source.map(|t| (t, None)),
        from,
        target.map(|t| (t, None)),
        to,
    )
}

/// [`items`] of segments given with their words where the caller has them (as
/// [`super::words`] finds them).
pub(super) fn items_with<'a>(
    source: impl Iterator<Item = (&'a str, Option<Vec<Range<usize>>>)>,
    from: Option<Lang>,
    target: impl Iterator<Item = (&'a str, Option<Vec<Range<usize>>>)>,
    to: Option<Lang>,
) -> (Vec<Item>, Vec<Item>) {
    let mark = if capitalises_nouns(from) || capitalises_nouns(to) {
        'N'
    } else {
        'n'
    };
    let src: Vec<Item> = source
        .map(|(t, ws)| Item::marked(t, from, mark, ws))
        .collect();
    let tgt: Vec<Item> = target
        .map(|(t, ws)| Item::marked(t, to, mark, ws))
        .collect();
    (src, tgt)
}

/// A group of source segments aligned with a group of target segments (either may be
/// empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    /// Indices of the source segments.
    pub source: Range<usize>,
    /// Indices of the target segments.
    pub target: Range<usize>,
}

/// Bead shapes with −log prior. News translation rarely merges or splits, and rarely
/// drops, so merges are priced between a 1–1 and a skip.
const SHAPES: [(usize, usize, f64); 6] = [
    (1, 1, 0.10),
    (1, 0, 4.6),
    (0, 1, 4.6),
    (2, 1, 3.0),
    (1, 2, 3.0),
    (2, 2, 5.0),
];

/// Variance per character of the length difference (Gale & Church 1993).
const VARIANCE: f64 = 6.8;
/// Cost per anchor found on one side of a matching bead only.
const MISSING_ANCHOR: f64 = 1.5;
/// Bonus per anchor shared by both sides of a matching bead.
const SHARED_ANCHOR: f64 = 0.5;

/// Aligns `source` with `target`; `ratio` is the expected target/source length ratio.
/// The beads cover both sequences in order.
pub fn align(source: &[Item], target: &[Item], ratio: f64) -> Vec<Bead> {
    let n = source.len();
    let m = target.len();
    if n == 0 || m == 0 {
        return vec![Bead {
            source: 0..n,
            target: 0..m,
        }];
    }
    // Band: half-width around the diagonal j ≈ i·m/n.
    let band = 40 + n.abs_diff(m) + (n.max(m) / 20);
    let center = |i: usize| (i * m) / n;
    let lo = |i: usize| center(i).saturating_sub(band);
    let hi = |i: usize| (center(i) + band).min(m);
    // A row holds the band's cells, at most the whole target.
    let width = (2 * band + 2).min(m + 1);
    let idx = |i: usize, j: usize| -> Option<usize> {
        (j >= lo(i) && j <= hi(i)).then(|| i * width + (j - lo(i)))
    };
    let mut cost = vec![f64::INFINITY; (n + 1) * width];
    let mut back = vec![u8::MAX; (n + 1) * width];
    cost[0] = 0.0;
    let pre_s = prefix(source);
    let pre_t = prefix(target);
    let anchors = Anchors::new(source, target);
    let mut scratch = (Vec::new(), Vec::new());
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            let Some(here) = idx(i, j) else { continue };
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut best_k = u8::MAX;
            for (k, &(di, dj, prior)) in SHAPES.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let Some(prev) = idx(i - di, j - dj) else {
                    continue;
                };
                let c0 = cost[prev];
                if !c0.is_finite() {
                    continue;
                }
                let c = c0
                    + prior
                    + if di > 0 && dj > 0 {
                        let ls = pre_s[i] - pre_s[i - di];
                        let lt = pre_t[j] - pre_t[j - dj];
                        length_cost(ls, lt, ratio)
                            + anchors.cost(i - di..i, j - dj..j, &mut scratch)
                    } else {
                        0.0
                    };
                if c < best {
                    best = c;
                    best_k = k as u8;
                }
            }
            cost[here] = best;
            back[here] = best_k;
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(k) = idx(i, j).map(|x| back[x]).filter(|&k| k != u8::MAX) else {
            // Outside the band (cannot happen with the band covering n − m): keep the rest
            // as one bead rather than fail.
            beads.push(Bead {
                source: 0..i,
                target: 0..j,
            });
            break;
        };
        let (di, dj, _) = SHAPES[k as usize];
        beads.push(Bead {
            source: i - di..i,
            target: j - dj..j,
        });
        i -= di;
        j -= dj;
    }
    beads.reverse();
    beads
}

fn prefix(items: &[Item]) -> Vec<usize> {
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(0);
    let mut sum = 0;
    for it in items {
        sum += it.len;
        out.push(sum);
    }
    out
}

/// −log P(|δ| ≥ observed) under the Gale–Church model.
fn length_cost(ls: usize, lt: usize, ratio: f64) -> f64 {
    let ls = ls as f64;
    let lt = lt as f64;
    let mean = (ls + lt / ratio) / 2.0;
    if mean <= 0.0 {
        return 0.0;
    }
    let delta = (lt - ls * ratio) / (mean * VARIANCE).sqrt();
    let p = 2.0 * (1.0 - normal_cdf(delta.abs()));
    -(p.max(1e-12)).ln()
}

/// The anchors of both sides as numbers, so that a bead's cost compares integers: each
/// distinct anchor string gets its rank among all of them (the ids sort as the strings
/// do), and each item its sorted, deduplicated ids. Made once per alignment; the grid asks
/// for the cost of every bead it tries.
struct Anchors {
    source: Vec<Vec<u32>>,
    target: Vec<Vec<u32>>,
    /// The weight of each anchor id (see [`anchor_weight`]).
    weights: Vec<f64>,
}

impl Anchors {
    fn new(source: &[Item], target: &[Item]) -> Anchors {
        let mut all: Vec<&str> = source
            .iter()
            .chain(target)
            .flat_map(|x| x.anchors.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        let ids = |items: &[Item]| -> Vec<Vec<u32>> {
            items
                .iter()
                .map(|x| {
                    let mut v: Vec<u32> = x
                        .anchors
                        .iter()
                        .filter_map(|a| all.binary_search(&a.as_str()).ok())
                        .map(|k| k as u32)
                        .collect();
                    v.sort_unstable();
                    v.dedup();
                    v
                })
                .collect()
        };
        Anchors {
            source: ids(source),
            target: ids(target),
            weights: all.iter().map(|a| anchor_weight(a)).collect(),
        }
    }

    /// The anchor cost of the bead of source items `s` and target items `t`: the cost of
    /// anchors on one side only, less the bonus for shared ones. `scratch` holds the ids
    /// of beads of two items.
    fn cost(&self, s: Range<usize>, t: Range<usize>, scratch: &mut (Vec<u32>, Vec<u32>)) -> f64 {
        let (s, t) = (&self.source[s], &self.target[t]);
        if s.iter().chain(t).all(Vec::is_empty) {
            return 0.0;
        }
        fn gather<'a>(items: &'a [Vec<u32>], buf: &'a mut Vec<u32>) -> &'a [u32] {
            if let [one] = items {
                return one;
            }
            buf.clear();
            for x in items {
                buf.extend_from_slice(x);
            }
            buf.sort_unstable();
            buf.dedup();
            buf
        }
        let (bs, bt) = scratch;
        let (s, t) = (gather(s, bs), gather(t, bt));
        anchor_walk(s, t, |a: &u32| self.weights[*a as usize])
    }
}

/// The anchor cost of two sorted, deduplicated anchor lists: every anchor on one side only
/// costs its weight, every shared one earns a bonus. One walk over both lists, for the
/// interned ids of [`Anchors::cost`] and for anything else that sorts like them.
fn anchor_walk<T: Ord>(s: &[T], t: &[T], weight: impl Fn(&T) -> f64) -> f64 {
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut missing) = (0.0, 0.0);
    loop {
        match (s.get(i), t.get(j)) {
            (Some(a), Some(b)) if a == b => {
                shared += 1.0;
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                missing += weight(a);
                i += 1;
            }
            (Some(a), None) => {
                missing += weight(a);
                i += 1;
            }
            (_, Some(b)) => {
                missing += weight(b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    MISSING_ANCHOR * missing - SHARED_ANCHOR * shared
}

/// What an anchor on one side only costs, by its kind. Only number, URL and punctuation
/// anchors must survive; names may be translated (Russland/Russia), so a missing name
/// costs less. A number or address that a merge would lose is strong evidence of a drop;
/// `?` and `!` often go in a merge (`Herr Präsident! Ich …` / `Mr President, I …`).
/// (`N`: a name in a pair where capitals are no sign of names.)
fn anchor_weight(a: &str) -> f64 {
    match a.as_bytes().first() {
        Some(b'N') => 0.0,
        Some(b'n' | b'?' | b'!') => 0.3,
        // Code a translator may localise (`--help` / `--aide`).
        Some(b'c') => 0.5,
        _ => 2.0,
    }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf).
fn normal_cdf(x: f64) -> f64 {
    let z = x / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-z * z).exp();
    let erf = if z >= 0.0 { y } else { -y };
    0.5 * (1.0 + erf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchor cost by its definition on the anchor strings, which [`Anchors::cost`]
    /// must agree with.
    fn anchor_cost(source: &[Item], target: &[Item]) -> f64 {
        if source.iter().chain(target).all(|x| x.anchors.is_empty()) {
            return 0.0;
        }
        fn gather(items: &[Item]) -> Vec<&str> {
            let mut v: Vec<&str> = items
                .iter()
                .flat_map(|x| x.anchors.iter().map(String::as_str))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        let (s, t) = (gather(source), gather(target));
        anchor_walk(&s, &t, |a: &&str| anchor_weight(a))
    }

    /// The item of `text` as it was computed before [`Item::marked`] took its shortcuts:
    /// every word decoded, the possessive trimmed by `trim_end_matches`, tokens from
    /// `split_whitespace` — the definition the fast path must agree with.
    fn marked_reference(text: &str, lang: Option<Lang>, mark: char) -> Item {
        let ws = super::super::words(text);
        let mut anchors: Vec<String> = numbers::extract_in(text, &ws, lang)
            .into_iter()
            .map(|n| format!("#{}", n.value.key()))
            .collect();
        for (i, r) in ws.iter().enumerate() {
            let w = &text[r.clone()];
            let first = w.chars().next().unwrap_or(' ');
            if i > 0 && first.is_uppercase() && w.chars().nth(2).is_some() {
                let mut key = String::new();
                key.push(mark);
                key.extend(
                    w.trim_end_matches("'s")
                        .trim_end_matches("’s")
                        .chars()
                        .take(5)
                        .flat_map(char::to_lowercase),
                );
                anchors.push(key);
            }
        }
        let addresses = text.contains("://") || text.contains("www.") || text.contains('@');
        for tok in text.split_whitespace().filter(|_| addresses) {
            if tok.contains("://") || tok.starts_with("www.") || tok.contains('@') {
                anchors.push(format!("u{}", tok.trim_end_matches(['.', ',', ')'])));
            }
        }
        if text.contains(['%', '{']) {
            for r in super::super::pairs::printf(text)
                .into_iter()
                .chain(super::super::pairs::braces(text))
            {
                anchors.push(placeholder_anchor(&text[r]));
            }
        }
        let code = text
            .split_whitespace()
            .map(|tok| {
                tok.trim_start_matches(['(', '[', '"', '\'', '«', '“', '‘', '¿', '¡'])
                    .trim_end_matches([
                        '.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '»', '”', '’',
                    ])
            })
            .filter(|tok| code_token(tok, false));
        for tok in code {
            if !tok.chars().all(char::is_alphabetic)
                && !tok.contains("://")
                && !tok.contains('@')
                && !tok.chars().any(|c| c.is_ascii_digit())
            {
                anchors.push(format!("c{}", markup_key(tok)));
            }
        }
        if text.contains('?') {
            anchors.push("?".into());
        }
        if text.contains('!') {
            anchors.push("!".into());
        }
        Item {
            len: text.chars().count(),
            anchors,
        }
    }

    #[test]
    fn items_agree_with_the_reference_on_real_text() {
        let Some(mut texts) = super::super::text::real_texts(4) else {
            return;
        };
        texts.extend(
            [
                "Laut Putin's Sprecher Peskow's's und O’Neill’s Team: see https://x.org/a, \
                 www.example.com) or mail a@b.c. %s {0} <b>Fett</b> --force API GitLab \
                 x86 ÄÖÜ Ärger Édith 18. April 2022?! Zwölf",
                "\u{a0}Der\u{2003}Bund\u{3000}und\u{85}die\u{1680}Länder\u{205f}Über",
            ]
            .map(String::from),
        );
        let lang = |c: &str| Lang::from_code(c).ok();
        let (mut named, mut coded) = (0, 0);
        for t in &texts {
            for (l, mark) in [(lang("en"), 'n'), (lang("de"), 'N'), (None, 'n')] {
                let want = marked_reference(t, l, mark);
                let got = Item::marked(t, l, mark, None);
                assert_eq!(got.len, want.len, "{t:?}");
                assert_eq!(got.anchors, want.anchors, "{t:?}");
                named += want.anchors.iter().filter(|a| a.starts_with(mark)).count();
                coded += want.anchors.iter().filter(|a| a.starts_with('c')).count();
            }
        }
        assert!(named > 1000 && coded > 100, "{named} {coded}");
    }

    #[test]
    fn tokens_split_as_split_whitespace_does() {
        // Every character between letters, and as a run of its own.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let t = format!("a{c}b {c}{c} x{c}");
            assert_eq!(
                tokens(&t).collect::<Vec<_>>(),
                t.split_whitespace().collect::<Vec<_>>(),
                "U+{:04X}",
                c as u32
            );
        }
        let Some(texts) = super::super::text::real_texts(4) else {
            return;
        };
        let mut n = 0;
        for t in &texts {
            let want: Vec<&str> = t.split_whitespace().collect();
            assert_eq!(tokens(t).collect::<Vec<_>>(), want, "{t:?}");
            n += want.len();
        }
        assert!(n > 10_000, "{n}");
    }

    fn items(lens: &[usize]) -> Vec<Item> {
        lens.iter()
            .map(|&len| Item {
                len,
                anchors: Vec::new(),
            })
            .collect()
    }

    fn shapes(beads: &[Bead]) -> Vec<(usize, usize)> {
        beads
            .iter()
            .map(|b| (b.source.len(), b.target.len()))
            .collect()
    }

    #[test]
    fn one_to_one_when_lengths_fit() {
        let b = align(&items(&[80, 120, 60]), &items(&[85, 118, 66]), 1.0);
        assert_eq!(shapes(&b), [(1, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn a_missing_paragraph_is_dropped_not_smeared() {
        let src = items(&[80, 120, 60, 150, 140, 90, 70, 100]);
        // Source 3 and 4 are missing in the target.
        let tgt = items(&[82, 118, 63, 92, 72, 98]);
        let b = align(&src, &tgt, 1.0);
        let dropped: Vec<usize> = b
            .iter()
            .filter(|x| x.target.is_empty())
            .flat_map(|x| x.source.clone())
            .collect();
        assert_eq!(dropped, [3, 4]);
    }

    #[test]
    fn anchors_decide_between_merge_and_drop() {
        let mk = |len: usize, a: &[&str]| Item {
            len,
            anchors: a.iter().map(|s| s.to_string()).collect(),
        };
        let src = [mk(100, &["#1"]), mk(40, &["#2022", "nmerke"]), mk(90, &[])];
        let tgt = [mk(104, &["#1"]), mk(95, &[])];
        let b = align(&src, &tgt, 1.0);
        assert_eq!(shapes(&b), [(1, 1), (1, 0), (1, 1)]);
    }

    #[test]
    fn long_documents_stay_linear() {
        // Pseudo-random lengths (a linear congruential generator), as in real text.
        let mut x: u64 = 12345;
        let src: Vec<usize> = (0..3000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                30 + ((x >> 33) % 150) as usize
            })
            .collect();
        // Two sentences in three carry a number or name that survives translation (news
        // text has more); with lengths alone the edges of a long gap are ambiguous.
        let mk = |(i, &len): (usize, &usize)| Item {
            len,
            anchors: if i % 3 != 1 {
                vec![format!("#{i}")]
            } else {
                Vec::new()
            },
        };
        let src: Vec<Item> = src.iter().enumerate().map(mk).collect();
        let mut tgt = src.clone();
        tgt.drain(1500..1510);
        tgt.insert(
            200,
            Item {
                len: 55,
                anchors: vec!["nalso".into()],
            },
        );
        let b = align(&src, &tgt, 1.0);
        let dropped: Vec<usize> = b
            .iter()
            .filter(|x| x.target.is_empty())
            .flat_map(|x| x.source.clone())
            .collect();
        assert_eq!(dropped, (1500..1510).collect::<Vec<_>>());
        let added: Vec<usize> = b
            .iter()
            .filter(|x| x.source.is_empty())
            .flat_map(|x| x.target.clone())
            .collect();
        assert_eq!(added, [200]);
    }
    /// debhelper's manual in French (`man/po4a/po/fr.po`) adds a note in brackets of two
    /// sentences; a sentence in brackets without the mark, or after the note is closed, is
    /// no note.
    #[test]
    fn translators_notes_are_told_by_their_mark() {
        let first = "(NdT\u{a0}: «\u{a0}ll\u{a0}» représente le code langue sur deux caractères et «\u{a0}LL\u{a0}» la variante locale sur deux caractères également.";
        let second = "Par exemple\u{a0}: fr_BE pour le français de Belgique.)";
        assert_eq!(translator_note(first, false), (true, true));
        assert_eq!(translator_note(second, true), (true, false));
        assert_eq!(
            translator_note("Le programme affiche un résumé.", false),
            (false, false)
        );
        assert!(!translator_note("(Le programme affiche un résumé.)", false).0);
        for marked in [
            "[Anm. d. Übers.: Die Option heißt in älteren Versionen anders.]",
            "(N. del T.: el término se deja en inglés.)",
            "(Прим. пер.: термин оставлен без перевода.)",
            "(N.T.: o termo foi mantido em inglês.)",
        ] {
            assert!(translator_note(marked, false).0, "{marked}");
        }
    }

    #[test]
    fn german_nouns_are_no_names_that_split_a_pair() {
        // A long German sentence has many capitalised nouns that English writes in lower
        // case: as name anchors they made the pair a drop and an addition.
        let en = [
            "The grapher is the machine that gathers the data.",
            "The default setup runs the collector (every 5 minutes), which gathers data from all \
             hosts listed in the configuration file (only the local host by default), keeps the \
             history in round-robin files stored under the state directory and writes a web page \
             with the graphs into the cache directory.",
        ];
        let de = [
            "Der Grapher ist der Rechner, der die Daten sammelt.",
            "Die voreingestellte Konfiguration führt (alle 5 Minuten) den Sammler aus, der die \
             Daten von allen Rechnern, die in der Konfigurationsdatei stehen (nur der lokale Rechner \
             ist standardmäßig aufgeführt), sammelt, die Verlaufsdaten in Round-Robin-Dateien unter \
             dem Zustandsverzeichnis ablegt und im Zwischenspeicherverzeichnis eine Webseite mit den \
             Diagrammen für Administratoren und Benutzer erstellt.",
        ];
        let lang = |c: &str| Lang::from_code(c).ok();
        let (s, t) = super::items(en.into_iter(), lang("en"), de.into_iter(), lang("de"));
        assert!(t[1].anchors.iter().all(|a| !a.starts_with('n')));
        assert!(t[1].anchors.iter().any(|a| a.starts_with('N')));
        let ratio = 1.2;
        assert_eq!(shapes(&align(&s, &t, ratio)), [(1, 1), (1, 1)]);
        // With the capitals taken for names, the second pair costs more than a drop and an
        // addition: the rule is what keeps it.
        let named: Vec<Item> = de.iter().map(|x| Item::new(x, lang("de"))).collect();
        assert!(
            named[1]
                .anchors
                .iter()
                .filter(|a| a.starts_with('n'))
                .count()
                >= 10
        );
    }

    #[test]
    fn interned_anchor_costs_agree_with_the_strings() {
        // Sentences of real text, in runs of eight as the two sides of an alignment, every
        // bead of up to two items on each side.
        let Some(texts) = super::super::text::real_texts(3) else {
            return;
        };
        let sentences: Vec<&str> = texts
            .iter()
            .flat_map(|t| t.split_inclusive(['.', '?', '!']))
            .filter(|s| s.len() > 3)
            .collect();
        let lang = |c: &str| Lang::from_code(c).ok();
        let mut compared = 0;
        let mut with_anchors = 0;
        for run in sentences.chunks(16).take(400) {
            let (a, b) = run.split_at(run.len() / 2);
            let (src, tgt) =
                super::items(a.iter().copied(), lang("en"), b.iter().copied(), lang("de"));
            let anchors = Anchors::new(&src, &tgt);
            let mut scratch = (Vec::new(), Vec::new());
            for i in 0..src.len() {
                for j in 0..tgt.len() {
                    for (di, dj) in [(1, 1), (2, 1), (1, 2), (2, 2), (0, 1), (1, 0)] {
                        let (s, t) = (i..(i + di).min(src.len()), j..(j + dj).min(tgt.len()));
                        let want = anchor_cost(&src[s.clone()], &tgt[t.clone()]);
                        let got = anchors.cost(s, t, &mut scratch);
                        assert_eq!(got.to_bits(), want.to_bits(), "{a:?} {b:?} {i} {j}");
                        compared += 1;
                        with_anchors += usize::from(want != 0.0);
                    }
                }
            }
        }
        assert!(
            compared > 1000 && with_anchors > 500,
            "{compared} {with_anchors}"
        );
    }

    #[test]
    fn code_token_shortcut_agrees_with_the_count() {
        let (mut tokens, mut code) = (0, 0);
        let Some(mut texts) = super::super::text::real_texts(3) else {
            return;
        };
        texts.extend(["A I Ab AB aB abc ABC Abc-d a_b x86 --force <b> I<name> Ünd ÄB".into()]);
        for t in &texts {
            for tok in t.split_whitespace() {
                assert_eq!(code_token(tok, true), code_token(tok, false), "{tok:?}");
                tokens += 1;
                code += usize::from(code_token(tok, false));
            }
        }
        assert!(tokens > 10_000 && code > 100, "{tokens} {code}");
    }
}
