//! Neighbour search for the typo check: which known words an unknown word is one slip away
//! from, without asking the dictionary about hundreds of made-up edits of it.
//!
//! Words are compared lowercased, as `char`s. A [`DeleteIndex`] holds, for every word of a
//! list, the word itself and the word with one letter deleted (never the first: a slip at
//! the first letter is rare, and names and cognates differ there), each as a 64-bit hash.
//! Two words share such a key when one letter separates them (a letter dropped, added or
//! replaced) or two neighbours are swapped, so the keys of an unknown word find its
//! neighbours with one binary search each; every candidate is then verified by its edit
//! distance.
//!
//! [`Stems`] is the dictionary's own word list (the stems of the Hunspell `.dic` file),
//! grouped by first letter, with each group's index, in one image cached beside the
//! compiled lexicon and probed in place; a group's stems are decoded the first time a word
//! of that letter is looked up, so a text with few unknown words pays for a few groups
//! only. Inflected
//! forms are found through their stem: the end of the unknown word (up to three letters)
//! is kept as it is and the rest is looked up, and the result is verified as a whole word
//! by the dictionary (`gobalen` → `global` + `en` → `globalen`).

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::OnceLock;

use super::hunspell;
use super::hunspell::cache::{self, Body, CacheStatus};

/// Multiplier of the polynomial hash of a `char` sequence.
const MUL: u64 = 0x0000_0100_0000_01b3;

/// Final mix of a key (so that keys of similar words spread over the sorted table).
fn finish(h: u64, len: usize) -> u64 {
    let mut x = h ^ ((len as u64) << 56);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

fn code(c: char) -> u64 {
    u64::from(c) + 1
}

/// The letters of `word` in lower case (as `char::to_lowercase` makes them), in a slice
/// of the right size from the start (the stems of a dictionary are tens of thousands).
pub(super) fn lowercase(word: &str) -> Box<[char]> {
    let mut out = Vec::with_capacity(word.len());
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.into_boxed_slice()
}

/// The hash of a whole word (the first of its [`keys`]).
fn word_hash(w: &[char]) -> u64 {
    let h = w
        .iter()
        .fold(0u64, |h, &c| h.wrapping_mul(MUL).wrapping_add(code(c)));
    finish(h, w.len())
}

/// The deletion keys of `w`: the hash of `w` and of `w` with one letter (not the first)
/// deleted, each once (deleting either letter of a pair gives the same word). Each key
/// costs a constant number of operations: the hash of `w` without letter `i` is the hash
/// of its first `i` letters shifted by the rest's length, plus the hash of the rest.
pub(super) fn keys(w: &[char], out: &mut Vec<u64>) {
    let n = w.len();
    // prefix[i] = the hash of the first i letters (on the stack for words of ordinary
    // length: the index of a dictionary computes the keys of every stem).
    let mut stack = [0u64; 64];
    let mut heap = Vec::new();
    let prefix: &mut [u64] = if n < stack.len() {
        &mut stack[..=n]
    } else {
        heap.resize(n + 1, 0);
        &mut heap
    };
    for i in 0..n {
        prefix[i + 1] = prefix[i].wrapping_mul(MUL).wrapping_add(code(w[i]));
    }
    out.push(finish(prefix[n], n));
    if n < 2 {
        return;
    }
    // Walking i down from n-1: suffix = Σ_{k > i} code(w[k]) · MUL^(n-1-k), and
    // shift = MUL^(n-1-i), the factor of the prefix before letter i.
    let mut suffix = 0u64;
    let mut shift = 1u64;
    for i in (1..n).rev() {
        if w[i] != w[i - 1] || i == 1 {
            let h = prefix[i].wrapping_mul(shift).wrapping_add(suffix);
            out.push(finish(h, n - 1));
        }
        suffix = suffix.wrapping_add(code(w[i]).wrapping_mul(shift));
        shift = shift.wrapping_mul(MUL);
    }
}

/// Words by their deletion keys (see the module documentation).
///
/// An entry keeps the low 32 bits of its key beside the word id (8 bytes: the index of a
/// German dictionary's stems holds millions of entries, and halving them halves the
/// memory a run touches for them); the top bits of the key choose its group. A lookup may
/// therefore, about once in 2^40 comparisons, return a word that shares no key with the
/// word asked about: every caller verifies its candidates by their letters.
#[derive(Debug, Default, Clone)]
pub(super) struct DeleteIndex {
    /// (low 32 bits of the key, word id), grouped by the top `bits` bits of the key (in the
    /// order the words came within a group): a lookup reads the handful of entries of its
    /// group.
    keys: Vec<(u32, u32)>,
    /// Where the entries of each value of the top `bits` bits begin in `keys` (one more
    /// entry at the end).
    starts: Vec<u32>,
    bits: u32,
}

impl DeleteIndex {
    /// An index of `words`, each given with its id.
    ///
    /// The entries are placed by one counting pass over the top bits of their keys, not
    /// sorted: a lookup compares the keys of its group one by one anyway. The keys are
    /// computed into a table of the size the words' lengths bound (no regrowth).
    pub(super) fn build<'a>(words: impl Iterator<Item = (u32, &'a [char])>) -> DeleteIndex {
        let words: Vec<(u32, &[char])> = words.collect();
        let bound: usize = words.iter().map(|(_, w)| w.len().max(1)).sum();
        let mut table: Vec<(u64, u32)> = Vec::with_capacity(bound);
        let mut buf = Vec::with_capacity(32);
        for &(id, w) in &words {
            buf.clear();
            keys(w, &mut buf);
            table.extend(buf.iter().map(|&k| (k, id)));
        }
        // About four keys per group.
        let bits = (table.len() / 4).max(1).ilog2().clamp(1, 24);
        let group = |k: u64| (k >> (64 - bits)) as usize;
        let mut starts = vec![0u32; (1 << bits) + 1];
        for &(k, _) in &table {
            starts[group(k) + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let mut next: Vec<u32> = starts[..starts.len() - 1].to_vec();
        let mut keys = vec![(0u32, 0u32); table.len()];
        for (k, id) in table {
            let g = group(k);
            keys[next[g] as usize] = (k as u32, id);
            next[g] += 1;
        }
        DeleteIndex { keys, starts, bits }
    }

    /// The ids of the words that share a deletion key with `w` (each once, in increasing
    /// order), appended to `out`.
    pub(super) fn candidates(&self, w: &[char], out: &mut Vec<u32>) {
        lookup(
            w,
            self.bits,
            self.keys.len(),
            |g| Some((*self.starts.get(g)?, *self.starts.get(g + 1)?)),
            |i| self.keys.get(i).copied(),
            out,
        );
    }

    /// Appends the index to `keys` (8 bytes an entry: low key bits, word id) and `starts`
    /// (4 bytes a group start, relative to the index's first entry): the layout that
    /// [`IndexView`] reads in place.
    fn write(&self, keys: &mut Vec<u8>, starts: &mut Vec<u8>) {
        for &(k, id) in &self.keys {
            keys.extend_from_slice(&k.to_le_bytes());
            keys.extend_from_slice(&id.to_le_bytes());
        }
        for &s in &self.starts {
            starts.extend_from_slice(&s.to_le_bytes());
        }
    }
}

/// The common lookup of [`DeleteIndex::candidates`] and [`IndexView::candidates`]: the keys
/// of `w`, each looked for in its group (`group(g)`: where group `g`'s entries begin and
/// end; `entry(i)`: entry `i`). Entries outside the index are skipped, so a damaged index
/// read in place gives wrong candidates at worst (callers verify them by their letters).
fn lookup(
    w: &[char],
    bits: u32,
    len: usize,
    group: impl Fn(usize) -> Option<(u32, u32)>,
    entry: impl Fn(usize) -> Option<(u32, u32)>,
    out: &mut Vec<u32>,
) {
    let start = out.len();
    if len == 0 || !(1..=32).contains(&bits) {
        return;
    }
    let mut buf = Vec::with_capacity(w.len() + 1);
    keys(w, &mut buf);
    for k in buf {
        let Some((from, to)) = group((k >> (64 - bits)) as usize) else {
            continue;
        };
        let low = k as u32;
        for i in from as usize..(to as usize).min(len) {
            match entry(i) {
                Some(e) if e.0 == low => out.push(e.1),
                Some(_) => {}
                None => break,
            }
        }
    }
    out[start..].sort_unstable();
    let mut seen = start;
    for i in start..out.len() {
        if i == start || out[i] != out[seen - 1] {
            out[seen] = out[i];
            seen += 1;
        }
    }
    out.truncate(seen);
}

/// A [`DeleteIndex`] read in place from a stems image (see [`Stems`]).
#[derive(Debug, Clone, Copy)]
struct IndexView<'a> {
    /// 8 bytes an entry.
    keys: &'a [u8],
    /// 4 bytes a group start.
    starts: &'a [u8],
    bits: u32,
}

impl IndexView<'_> {
    fn candidates(&self, w: &[char], out: &mut Vec<u32>) {
        lookup(
            w,
            self.bits,
            self.keys.len() / 8,
            |g| Some((u32_at(self.starts, 4 * g)?, u32_at(self.starts, 4 * g + 4)?)),
            |i| Some((u32_at(self.keys, 8 * i)?, u32_at(self.keys, 8 * i + 4)?)),
            out,
        );
    }
}

/// The little-endian `u32` at byte `at` of `b`, if there is one.
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let x: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(x))
}

/// The little-endian `u64` at byte `at` of `b`, if there is one.
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let x: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(x))
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions) of two
/// `char` sequences, or `max + 1` as soon as it is certain to exceed `max`.
pub(crate) fn distance_within(a: &[char], b: &[char], max: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return max + 1;
    }
    // Common prefix and suffix cost nothing.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return n.max(m);
    }
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// What one slip did to a word, told from the word as written (`w`) and the word meant
/// (`c`), one edit apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Shape {
    /// Two neighbouring letters swapped (`Präsdient`).
    Swap,
    /// A letter typed twice (`Regierrung`).
    Doubled,
    /// A doubled letter typed once (`comit`).
    Undoubled,
    /// A letter left out inside the word (`Regirung`).
    Dropped,
    /// A letter written without its diacritic, or with another one (`configuraçao`,
    /// `Mudigkeit`, `sélectioné`).
    Accent,
    /// The word cut short at its end (`Kazakhsta`).
    Truncated,
    /// A letter too many that doubles nothing (`simplye`).
    Extra,
    /// One letter for another (`oara`).
    Replaced,
    /// A name's end garbled by up to two edits (`Tajikists`).
    GarbledEnd,
    /// One part of a compound one edit from a word, beside a known other part: a slip of
    /// some shape, or a compound the dictionary lacks.
    Part,
    /// Anything further apart.
    Other,
}

impl Shape {
    /// Whether the shape is one no change of ending makes: two letters swapped, a letter
    /// doubled or a doubled letter typed once, a letter dropped.
    pub(super) fn is_hand_slip(self) -> bool {
        matches!(
            self,
            Shape::Swap | Shape::Doubled | Shape::Undoubled | Shape::Dropped | Shape::Accent
        )
    }

    /// Whether the shape is one that hands make (a swap, a letter doubled, dropped, added,
    /// a cut end) rather than one that also separates real words (one letter for another).
    pub(super) fn is_slip(self) -> bool {
        matches!(
            self,
            Shape::Swap
                | Shape::Doubled
                | Shape::Undoubled
                | Shape::Dropped
                | Shape::Accent
                | Shape::Truncated
                | Shape::Extra
        )
    }

    /// The shape of the difference between `w` (written) and `c` (meant).
    pub(super) fn of(w: &[char], c: &[char]) -> Shape {
        let pre = w.iter().zip(c).take_while(|(x, y)| x == y).count();
        let suf = w[pre..]
            .iter()
            .rev()
            .zip(c[pre..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (dw, dc) = (w.len() - pre - suf, c.len() - pre - suf);
        match (dw, dc) {
            (2, 2) if w[pre] == c[pre + 1] && w[pre + 1] == c[pre] => Shape::Swap,
            // A diacritic left out or the wrong one (not one added to a plain letter, which
            // makes other words: `Problemlöser` is no `problemloser`; nor on the first
            // letter, which French and Spanish capitals may go without: `Etat`).
            (1, 1)
                if pre > 0
                    && base_letter(w[pre]) == base_letter(c[pre])
                    && base_letter(c[pre]) != c[pre]
                    && !optional_mark(c[pre]) =>
            {
                Shape::Accent
            }
            (1, 1) => Shape::Replaced,
            (1, 0) => {
                // The letter written too many, wherever in a run of equal letters it is.
                let x = w[pre];
                if (pre > 0 && w[pre - 1] == x) || w.get(pre + 1) == Some(&x) {
                    Shape::Doubled
                } else {
                    Shape::Extra
                }
            }
            (0, 1) => {
                let x = c[pre];
                if pre + 1 == c.len() && suf == 0 {
                    Shape::Truncated
                } else if (pre > 0 && c[pre - 1] == x) || c.get(pre + 1) == Some(&x) {
                    Shape::Undoubled
                } else {
                    Shape::Dropped
                }
            }
            (0, 2) if suf == 0 && pre == w.len() => Shape::Truncated,
            _ => Shape::Other,
        }
    }
}

/// A lowercase Latin letter without its diacritic (`ã` → `a`, `ç` → `c`, `ü` → `u`); other
/// characters as they are (Russian `ё` is not `е`: writing `е` for it is the norm, no slip).
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => 's',
        'ţ' | 'ť' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// A mark whose absence often makes another right word rather than a slip: the umlauts,
/// which German inflection and derivation add and take away (`überzahlt`, paid too much,
/// is no slip of `überzählt`), and the circumflex on `i` and `u`, which French spelling has
/// made optional since 1990 (`chaine`, `apparait`).
fn optional_mark(c: char) -> bool {
    matches!(c, 'ä' | 'ö' | 'ü' | 'î' | 'û')
}

/// A stem of the dictionary's word list: lowercased, and as written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Form<'a> {
    pub(super) lower: &'a [char],
    pub(super) word: &'a str,
}

/// A stem as the image is made from it.
struct Stem {
    lower: Box<[char]>,
    word: Box<str>,
}

/// The decoded stems of one group: their letters and words in one buffer each (one
/// allocation a group, not two a stem), and each stem's spans in them.
#[derive(Debug, Default)]
struct Decoded {
    letters: Vec<char>,
    words: String,
    /// (first letter, letter count, first byte of the word, its length).
    spans: Vec<[usize; 4]>,
}

impl Decoded {
    /// Stem `i` (`None` for spans a damaged image made up).
    fn form(&self, i: usize) -> Option<Form<'_>> {
        let [l, ln, w, wn] = *self.spans.get(i)?;
        Some(Form {
            lower: self.letters.get(l..l.checked_add(ln)?)?,
            word: self.words.get(w..w.checked_add(wn)?)?,
        })
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = Form<'_>> + '_ {
        (0..self.spans.len()).filter_map(|i| self.form(i))
    }

    /// The number of the first stem that is not less than `lower`.
    fn partition(&self, lower: &[char]) -> usize {
        let (mut lo, mut hi) = (0, self.spans.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.form(mid).is_some_and(|f| f.lower < lower) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Some stems of a group (see [`Stems::starting_with`]).
#[derive(Debug, Clone)]
pub(super) struct FormRange<'a> {
    group: Option<&'a Decoded>,
    range: std::ops::Range<usize>,
}

impl<'a> FormRange<'a> {
    /// The stems.
    pub(super) fn iter(&self) -> impl Iterator<Item = Form<'a>> + 'a {
        let group = self.group;
        self.range
            .clone()
            .filter_map(move |i| group.and_then(|g| g.form(i)))
    }

    /// How many.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.range.len()
    }
}

impl<'a> IntoIterator for FormRange<'a> {
    type Item = Form<'a>;
    type IntoIter = Box<dyn Iterator<Item = Form<'a>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The letters of `form` that index entry `id` stands for (see [`Stems`]): the form, or
/// the form without its last letter or two (`None` for an id a damaged image made up).
fn letters_of<'a>(form: &Form<'a>, id: u32) -> Option<&'a [char]> {
    let n = form.lower.len().checked_sub((id % 4) as usize)?;
    Some(&form.lower[..n])
}

/// The stems of one first letter, sorted by their lowercase form, and their deletion index
/// over each form (id `4k`) and, for longer forms, the form without its last letter (id
/// `4k + 1`, forms of six letters or more) or its last two (id `4k + 2`, seven or more): an
/// ending the affix rules strip before they add theirs (`Regierungs` gives `Regierung`,
/// `совместный` gives `совместное`).
fn group_index<'a>(forms: impl Iterator<Item = &'a [char]>) -> DeleteIndex {
    DeleteIndex::build(forms.enumerate().flat_map(|(k, lower)| {
        let k = 4 * k as u32;
        let n = lower.len();
        (0..3u32)
            .filter(move |&cut| cut == 0 || n >= 5 + cut as usize)
            .map(move |cut| (k + cut, &lower[..n - cut as usize]))
    }))
}

/// Where a group of [`Stems`] lies in the image.
#[derive(Debug, Clone, Copy)]
struct GroupRef {
    first: char,
    /// Its forms: the first form's number and the count.
    forms: (usize, usize),
    /// Its index entries: the first entry's number and the count.
    keys: (usize, usize),
    /// Its index's group starts: the first one's number and the count.
    starts: (usize, usize),
    bits: u32,
}

/// The sections of a stems image, in order (see [`Stems`]).
const SECTIONS: usize = 8;
const S_GROUPS: usize = 0;
const S_FORMS: usize = 1;
const S_LETTERS: usize = 2;
const S_WORDS: usize = 3;
const S_KEYS: usize = 4;
const S_STARTS: usize = 5;
const S_HASHES: usize = 6;
const S_EXTRAS: usize = 7;
/// The image's own header: the section boundaries (`SECTIONS + 1` offsets), u64 each.
const IMAGE_HEADER: usize = 8 * (SECTIONS + 1);

/// The dictionary's stems by first letter (see the module documentation), in one byte
/// image that is written to the cache beside the compiled lexicon and read there in place
/// (or made in memory when the cache cannot be written):
///
/// ```text
/// header    the offsets of the sections below and of the end, u64 each
/// groups    per first letter, 32 bytes: the letter, first form, form count, first index
///           entry, entry count, first group start, start count, key bits (u32 each)
/// forms     per stem, 16 bytes: first letter, letter count, first byte of the word as
///           written, its length (u32 each); by group, sorted by the lowercase letters
/// letters   the stems' lowercase letters, u32 each
/// words     the stems as written, UTF-8
/// keys      the groups' deletion indexes' entries ([`DeleteIndex`]), 8 bytes each
/// starts    the indexes' group starts, u32 each
/// hashes    the hashes of the lowercase stems, an open-addressing table of u64 (0: empty;
///           the lowest bit set in every hash), a power of two slots, at most half full
/// extras    u32s: compounds (0 or 1); prefix count, each as its length and letters;
///           ending count, likewise; TRY letter count and letters
/// ```
///
/// A run reads the header, the group table and the extras when the stems are first asked
/// for; a group's stems are decoded the first time a word of its letter is looked up, and
/// its index is probed where it lies. Every read is bounds-checked: a damaged image gives
/// wrong answers at worst.
pub(super) struct Stems {
    image: Body,
    /// The section boundaries.
    sections: [usize; SECTIONS + 1],
    groups: Vec<GroupRef>,
    /// Each group's decoded stems, made on first need.
    forms: Vec<OnceLock<Decoded>>,
    /// The prefixes the affix file adds to stems (`un`, `ver`, `re`), lowercase, two letters
    /// or more, longest first.
    prefixes: Vec<Box<[char]>>,
    /// The endings the affix file adds to stems (`s`, `en`, `ung`), lowercase, up to four
    /// letters, each packed into one number ([`ending_key`]), sorted: the typo search asks
    /// about an ending for every candidate it makes, and a number compares at once.
    endings: Vec<u128>,
    /// Whether the affix file makes compounds of words (`COMPOUNDFLAG`, `COMPOUNDBEGIN`).
    compounds: bool,
    /// The letters of the affix file's `TRY` line (the letters a slip most likely left
    /// out, most frequent first), lowercase, each once: its letters and apostrophe (a
    /// hyphen or full stop added makes two words, which the dictionary checks apart).
    try_letters: Vec<char>,
}

impl std::fmt::Debug for Stems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stems")
            .field("image", &self.image)
            .field("groups", &self.groups.len())
            .finish_non_exhaustive()
    }
}

impl Default for Stems {
    fn default() -> Stems {
        Stems {
            image: Body::Owned(Vec::new()),
            sections: [0; SECTIONS + 1],
            groups: Vec::new(),
            forms: Vec::new(),
            prefixes: Vec::new(),
            endings: Vec::new(),
            compounds: false,
            try_letters: Vec::new(),
        }
    }
}

/// An ending of one to four letters as one number: its letters' code points, 32 bits each,
/// from the top (no letter is NUL, so endings of different lengths differ); `None` for an
/// ending of another length (the stems keep none such).
fn ending_key(e: &[char]) -> Option<u128> {
    if e.is_empty() || e.len() > 4 {
        return None;
    }
    Some(e.iter().enumerate().fold(0u128, |k, (i, &c)| {
        k | u128::from(u32::from(c)) << (96 - 32 * i)
    }))
}

/// A hash as the stems' hash table keeps it (never 0, the empty slot).
fn slot_hash(h: u64) -> u64 {
    h | 1
}

/// Appends `v` as a little-endian u32.
fn put(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

/// Appends a list of letter sequences: the count, then each as its length and letters.
fn put_lists(out: &mut Vec<u8>, lists: &[Box<[char]>]) {
    put(out, lists.len());
    for l in lists {
        put(out, l.len());
        for &c in l.iter() {
            put(out, c as usize);
        }
    }
}

/// Reads u32s in sequence from a section (see [`put`]).
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u32(&mut self) -> Option<u32> {
        let v = u32_at(self.bytes, self.at)?;
        self.at += 4;
        Some(v)
    }

    fn letters(&mut self, n: usize) -> Option<Box<[char]>> {
        // (A count no section could hold is refused before it allocates.)
        if n > self.bytes.len() / 4 {
            return None;
        }
        (0..n)
            .map(|_| self.u32().and_then(char::from_u32))
            .collect()
    }

    fn lists(&mut self) -> Option<Vec<Box<[char]>>> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() / 4 {
            return None;
        }
        (0..n)
            .map(|_| {
                let len = self.u32()? as usize;
                self.letters(len)
            })
            .collect()
    }
}

impl Stems {
    /// The stems of a Hunspell `.dic` text (its first line is the count; each line a word,
    /// then `/flags` and morphological fields). Words with characters other than letters,
    /// apostrophes and hyphens, and words under three letters, are left out.
    /// The prefixes come from the affix file `aff` (its `PFX` rules). (Made in memory;
    /// [`Stems::load`] goes through the cache.)
    #[cfg(test)]
    pub(super) fn from_files(text: &str, aff: &str) -> Stems {
        Stems::open(Body::Owned(Stems::image(text, aff))).unwrap_or_default()
    }

    /// The stems of the dictionary `dic` (and the `.aff` beside it) through the cache in
    /// `dir` (`None`: made in memory), as [`super::hunspell::Lexicon::load_in`] does with
    /// the compiled lexicon: same key, written beside it (`.stems`), read in place; a
    /// missing, damaged or stale file is made again and written over; an unwritable cache
    /// only costs the making. An unreadable word list gives no stems.
    pub(super) fn load(dic: &Path, dir: Option<&Path>) -> (Stems, CacheStatus) {
        let aff_path = dic.with_extension("aff");
        let key = dir.and_then(|_| cache::Key::of(&aff_path, dic));
        let target = dir
            .zip(key.as_ref())
            .map(|(d, k)| (d, k.file_in(d, dic, "stems"), k));
        let mut status = CacheStatus::Disabled;
        if let Some((_, file, key)) = &target {
            status = match cache::read(file, cache::STEMS, key) {
                Ok(cache::Cached::Body(body, _)) => match Stems::open(body) {
                    Some(stems) => return (stems, CacheStatus::Hit),
                    None => {
                        tracing::debug!("{}: cache ignored: layout", file.display());
                        CacheStatus::Invalid
                    }
                },
                Ok(cache::Cached::TooLarge) => CacheStatus::Invalid,
                Err(s) => s,
            };
        }
        let Ok(text) = hunspell::read_text(dic) else {
            return (Stems::default(), status);
        };
        let aff = hunspell::read_text(&aff_path).unwrap_or_default();
        let image = Stems::image(&text, &aff);
        if let Some((dir, file, key)) = &target {
            if let Err(e) = cache::write(dir, file, cache::STEMS, key, [0, 0], &image) {
                tracing::debug!("{}: cache not written: {e}", file.display());
                status = CacheStatus::Unwritable;
            }
        }
        (Stems::open(Body::Owned(image)).unwrap_or_default(), status)
    }

    /// The image of the stems of `.dic` text `text` and affix text `aff` (see [`Stems`]).
    fn image(text: &str, aff: &str) -> Vec<u8> {
        let mut groups: HashMap<char, Vec<Stem>> = HashMap::default();
        for line in text.lines().skip(1) {
            let end = line.find(['/', '\t', ' ']).unwrap_or(line.len());
            let word = &line[..end];
            if word.len() < 3
                || !word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
            {
                continue;
            }
            let lower = lowercase(word);
            if lower.len() < 3 {
                continue;
            }
            groups.entry(lower[0]).or_default().push(Stem {
                lower,
                word: word.into(),
            });
        }
        let mut groups: Vec<(char, Vec<Stem>)> = groups.into_iter().collect();
        groups.sort_by_key(|g| g.0);
        let n_forms: usize = groups
            .iter_mut()
            .map(|(_, forms)| {
                // One form per lowercase spelling: the first (a stem listed as a name and
                // as a common word keeps the one listed first).
                forms.sort_by(|a, b| a.lower.cmp(&b.lower));
                forms.dedup_by(|a, b| a.lower == b.lower);
                forms.len()
            })
            .sum();
        let mut sec: [Vec<u8>; SECTIONS] = Default::default();
        let slots = (n_forms.max(4) * 2).next_power_of_two();
        let mut hashes = vec![0u64; slots];
        let (mut n_letters, mut n_words, mut n_keys, mut n_starts, mut first) = (0, 0, 0, 0, 0);
        for (c, forms) in &groups {
            let index = group_index(forms.iter().map(|f| &f.lower[..]));
            for f in forms {
                put(&mut sec[S_FORMS], n_letters);
                put(&mut sec[S_FORMS], f.lower.len());
                put(&mut sec[S_FORMS], n_words);
                put(&mut sec[S_FORMS], f.word.len());
                for &l in f.lower.iter() {
                    put(&mut sec[S_LETTERS], l as usize);
                }
                sec[S_WORDS].extend_from_slice(f.word.as_bytes());
                n_letters += f.lower.len();
                n_words += f.word.len();
                let h = slot_hash(word_hash(&f.lower));
                let mut s = h as usize & (slots - 1);
                while hashes[s] != 0 && hashes[s] != h {
                    s = (s + 1) & (slots - 1);
                }
                hashes[s] = h;
            }
            let (mut keys, mut starts) = (Vec::new(), Vec::new());
            index.write(&mut keys, &mut starts);
            for v in [
                *c as usize,
                first,
                forms.len(),
                n_keys,
                index.keys.len(),
                n_starts,
                index.starts.len(),
                index.bits as usize,
            ] {
                put(&mut sec[S_GROUPS], v);
            }
            first += forms.len();
            n_keys += index.keys.len();
            n_starts += index.starts.len();
            sec[S_KEYS].extend_from_slice(&keys);
            sec[S_STARTS].extend_from_slice(&starts);
        }
        for h in hashes {
            sec[S_HASHES].extend_from_slice(&h.to_le_bytes());
        }
        // The text an affix rule adds (`PFX flag strip add condition`; a header line
        // `PFX flag Y count` has no condition), lowercase, letters only.
        let added = |kind: &str| {
            aff.lines()
                .filter_map(|l| {
                    let mut f = l.split_whitespace();
                    (f.next() == Some(kind)).then_some(())?;
                    let add = f.nth(2)?.split('/').next()?;
                    f.next()?;
                    let lower: Box<[char]> = add.chars().flat_map(char::to_lowercase).collect();
                    lower.iter().all(|c| c.is_alphabetic()).then_some(lower)
                })
                .collect::<Vec<_>>()
        };
        let mut prefixes = added("PFX");
        prefixes.retain(|p| p.len() >= 2);
        prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        prefixes.dedup();
        let mut endings = added("SFX");
        endings.retain(|e| (1..=4).contains(&e.len()));
        endings.sort();
        endings.dedup();
        // (`COMPOUNDRULE` alone makes numbers such as `21st` in English.)
        let compounds = aff
            .lines()
            .any(|l| l.starts_with("COMPOUNDFLAG") || l.starts_with("COMPOUNDBEGIN"));
        let mut try_letters: Vec<char> = Vec::new();
        for c in aff
            .lines()
            .find_map(|l| l.strip_prefix("TRY"))
            .filter(|rest| rest.starts_with([' ', '\t']))
            .unwrap_or_default()
            .trim()
            .chars()
            .flat_map(char::to_lowercase)
        {
            if (c.is_alphabetic() || c == '\'') && !try_letters.contains(&c) {
                try_letters.push(c);
            }
        }
        let extras = &mut sec[S_EXTRAS];
        put(extras, usize::from(compounds));
        put_lists(extras, &prefixes);
        put_lists(extras, &endings);
        put_lists(extras, &[try_letters.into_boxed_slice()]);
        let mut image = Vec::with_capacity(IMAGE_HEADER + sec.iter().map(Vec::len).sum::<usize>());
        let mut at = IMAGE_HEADER;
        for part in &sec {
            image.extend_from_slice(&(at as u64).to_le_bytes());
            at += part.len();
        }
        image.extend_from_slice(&(at as u64).to_le_bytes());
        for part in &sec {
            image.extend_from_slice(part);
        }
        image
    }

    /// The stems of an image: its header, group table and extras read and checked against
    /// the image's size (`None` when they do not fit).
    fn open(image: Body) -> Option<Stems> {
        let mut sections = [0usize; SECTIONS + 1];
        for (i, s) in sections.iter_mut().enumerate() {
            *s = usize::try_from(u64_at(&image, 8 * i)?).ok()?;
        }
        if sections[0] != IMAGE_HEADER
            || sections.windows(2).any(|w| w[0] > w[1])
            || sections[SECTIONS] != image.len()
        {
            return None;
        }
        let section = |i: usize| &image[sections[i]..sections[i + 1]];
        let table = section(S_GROUPS);
        let mut groups = Vec::with_capacity(table.len() / 32);
        for g in table.chunks_exact(32) {
            let v = |i: usize| u32_at(g, 4 * i).map(|x| x as usize);
            groups.push(GroupRef {
                first: char::from_u32(u32_at(g, 0)?)?,
                forms: (v(1)?, v(2)?),
                keys: (v(3)?, v(4)?),
                starts: (v(5)?, v(6)?),
                bits: u32_at(g, 28)?,
            });
        }
        if groups.windows(2).any(|w| w[0].first >= w[1].first)
            || !section(S_HASHES).len().is_power_of_two()
        {
            return None;
        }
        let mut extras = Reader {
            bytes: section(S_EXTRAS),
            at: 0,
        };
        let compounds = extras.u32()? != 0;
        let prefixes = extras.lists()?;
        let mut endings: Vec<u128> = extras
            .lists()?
            .iter()
            .filter_map(|e| ending_key(e))
            .collect();
        endings.sort_unstable();
        let try_letters = extras.lists()?.into_iter().next()?.into_vec();
        let forms = groups.iter().map(|_| OnceLock::new()).collect();
        Some(Stems {
            image,
            sections,
            groups,
            forms,
            prefixes,
            endings,
            compounds,
            try_letters,
        })
    }

    /// Section `i` of the image.
    fn section(&self, i: usize) -> &[u8] {
        self.image
            .get(self.sections[i]..self.sections[i + 1])
            .unwrap_or_default()
    }

    /// The number of the group of stems that begin with `c`.
    fn group_of(&self, c: char) -> Option<usize> {
        self.groups.binary_search_by_key(&c, |g| g.first).ok()
    }

    /// The stems of group `g`, decoded on first need (letters that are no `char` in a
    /// damaged image become U+FFFD).
    fn forms_of(&self, g: usize) -> &Decoded {
        self.forms[g].get_or_init(|| {
            let (first, count) = self.groups[g].forms;
            let (table, letters, words) = (
                self.section(S_FORMS),
                self.section(S_LETTERS),
                self.section(S_WORDS),
            );
            let end = first.saturating_add(count).min(table.len() / 16);
            let mut raw: Vec<[usize; 4]> = (first.min(end)..end)
                .filter_map(|i| {
                    let v = |j: usize| u32_at(table, 16 * i + 4 * j).map(|x| x as usize);
                    Some([v(0)?, v(1)?, v(2)?, v(3)?])
                })
                .collect();
            // The group's letters and words lie together (see `image`): decode from the
            // first stem's to the last one's end.
            let span = |a: usize, b: usize, len: usize| {
                let from = raw.iter().map(|r| r[a]).min().unwrap_or(0).min(len);
                let to = raw
                    .iter()
                    .map(|r| r[a].saturating_add(r[b]))
                    .max()
                    .unwrap_or(0)
                    .clamp(from, len);
                (from, to)
            };
            let (lf, lt) = span(0, 1, letters.len() / 4);
            let (wf, wt) = span(2, 3, words.len());
            let decoded_letters: Vec<char> = letters[4 * lf..4 * lt]
                .chunks_exact(4)
                .map(|c| {
                    let x = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                    char::from_u32(x).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect();
            let decoded_words = String::from_utf8_lossy(&words[wf..wt]).into_owned();
            for r in &mut raw {
                r[0] = r[0].wrapping_sub(lf);
                r[2] = r[2].wrapping_sub(wf);
            }
            Decoded {
                letters: decoded_letters,
                words: decoded_words,
                spans: raw,
            }
        })
    }

    /// The deletion index of group `g`, where it lies in the image.
    fn index_of(&self, g: usize) -> IndexView<'_> {
        let r = &self.groups[g];
        let range = |s: &[u8],
                     (first, count): (usize, usize),
                     size: usize|
         -> Option<std::ops::Range<usize>> {
            let from = first.checked_mul(size)?;
            let to = from.checked_add(count.checked_mul(size)?)?;
            (to <= s.len()).then_some(from..to)
        };
        let (keys, starts) = (self.section(S_KEYS), self.section(S_STARTS));
        IndexView {
            keys: range(keys, r.keys, 8).map_or(&[], |x| &keys[x]),
            starts: range(starts, r.starts, 4).map_or(&[], |x| &starts[x]),
            bits: r.bits,
        }
    }

    /// Every stem (in no particular order).
    #[cfg(test)]
    pub(super) fn forms(&self) -> impl Iterator<Item = Form<'_>> {
        (0..self.groups.len()).flat_map(|g| self.forms_of(g).iter())
    }

    /// The letters of the affix file's `TRY` line, lowercase, most frequent first.
    pub(super) fn try_letters(&self) -> &[char] {
        &self.try_letters
    }

    /// The affix file's prefixes that `lower` begins with, leaving four letters or more.
    pub(super) fn prefixes_of<'a>(&'a self, lower: &'a [char]) -> impl Iterator<Item = &'a [char]> {
        self.prefixes
            .iter()
            .map(|p| &p[..])
            .filter(move |p| lower.len() >= p.len() + 4 && lower.starts_with(p))
    }

    /// Whether the affix file makes compounds.
    pub(super) fn compounds(&self) -> bool {
        self.compounds
    }

    /// Whether `e` is an ending the affix file adds.
    pub(super) fn is_ending(&self, e: &[char]) -> bool {
        ending_key(e).is_some_and(|k| self.endings.binary_search(&k).is_ok())
    }

    /// Whether `p` is one of the affix file's prefixes.
    pub(super) fn is_prefix(&self, p: &[char]) -> bool {
        self.prefixes.iter().any(|x| **x == *p)
    }

    /// Whether the hash of `lower` is in the stems' hash table: most words asked about
    /// are no stem, and a missing hash says so without decoding or searching a group.
    fn hash_known(&self, lower: &[char]) -> bool {
        let table = self.section(S_HASHES);
        let slots = table.len() / 8;
        if slots == 0 {
            return false;
        }
        let h = slot_hash(word_hash(lower));
        let mut s = h as usize & (slots - 1);
        for _ in 0..slots {
            match u64_at(table, 8 * s) {
                Some(0) | None => return false,
                Some(v) if v == h => return true,
                Some(_) => s = (s + 1) & (slots - 1),
            }
        }
        false
    }

    /// Whether `lower` is a stem.
    pub(super) fn contains(&self, lower: &[char]) -> bool {
        self.hash_known(lower)
            && lower
                .first()
                .and_then(|&c| self.group_of(c))
                .is_some_and(|g| {
                    let d = self.forms_of(g);
                    d.form(d.partition(lower)).is_some_and(|f| f.lower == lower)
                })
    }

    /// Whether `lower` (five letters or more) is a stem, or a stem without its last letter
    /// (the form the affix rules make of `Leitungs`, `Regierungs`).
    pub(super) fn contains_form(&self, lower: &[char]) -> bool {
        self.contains(lower)
            || (lower.len() >= 5
                && self
                    .starting_with(lower)
                    .iter()
                    .any(|f| f.lower.len() == lower.len() + 1))
    }

    /// Whether some stem begins with `prefix`: one search, where [`Stems::starting_with`]
    /// also counts them.
    pub(super) fn begins_any(&self, prefix: &[char]) -> bool {
        prefix
            .first()
            .and_then(|&c| self.group_of(c))
            .is_some_and(|g| {
                let d = self.forms_of(g);
                d.form(d.partition(prefix))
                    .is_some_and(|f| f.lower.starts_with(prefix))
            })
    }

    /// The stems that begin with `prefix`.
    pub(super) fn starting_with(&self, prefix: &[char]) -> FormRange<'_> {
        let Some(g) = prefix.first().and_then(|&c| self.group_of(c)) else {
            return FormRange {
                group: None,
                range: 0..0,
            };
        };
        let d = self.forms_of(g);
        let from = d.partition(prefix);
        let len = (from..d.spans.len())
            .take_while(|&i| d.form(i).is_some_and(|f| f.lower.starts_with(prefix)))
            .count();
        FormRange {
            group: Some(d),
            range: from..from + len,
        }
    }

    /// Stems one edit from `lower` (or from `lower` with the stem's last letter taken off):
    /// `(form as written, the lowercase letters compared, distance)` for every candidate
    /// within one edit, appended to `out`.
    pub(super) fn near<'s>(&'s self, lower: &[char], out: &mut Vec<(Form<'s>, &'s [char])>) {
        let Some(g) = lower.first().and_then(|&c| self.group_of(c)) else {
            return;
        };
        let forms = self.forms_of(g);
        let mut ids = Vec::new();
        self.index_of(g).candidates(lower, &mut ids);
        for id in ids {
            let Some(form) = forms.form((id / 4) as usize) else {
                continue;
            };
            let Some(letters) = letters_of(&form, id) else {
                continue;
            };
            if letters != lower && distance_within(letters, lower, 1) == 1 {
                out.push((form, letters));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn slow_keys(w: &[char]) -> Vec<u64> {
        let hash = |v: &[char]| {
            finish(
                v.iter()
                    .fold(0u64, |h, &c| h.wrapping_mul(MUL).wrapping_add(code(c))),
                v.len(),
            )
        };
        let mut out = vec![hash(w)];
        for i in 1..w.len() {
            let mut v = w.to_vec();
            v.remove(i);
            out.push(hash(&v));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn deletion_keys_are_the_hashes_of_the_deleted_words() {
        for w in [
            "a",
            "ab",
            "abc",
            "regierung",
            "aabbcc",
            "präsident",
            "ммм",
            "xyzzy",
            // Longer than the stack buffer of `keys`.
            "donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalten",
        ] {
            let w = chars(w);
            let mut k = Vec::new();
            keys(&w, &mut k);
            k.sort_unstable();
            k.dedup();
            assert_eq!(k, slow_keys(&w), "{w:?}");
        }
    }

    #[test]
    fn candidates_are_the_words_that_share_a_key() {
        // Words over a small alphabet, so that many share deletion keys; enough of them
        // that the index has many groups.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let words: Vec<Vec<char>> = (0..6_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let len = 3 + (x % 6) as usize;
                (0..len)
                    .map(|i| char::from(b'a' + ((x >> (8 + 3 * i)) % 5) as u8))
                    .collect()
            })
            .collect();
        let key_sets: Vec<Vec<u64>> = words
            .iter()
            .map(|w| {
                let mut k = Vec::new();
                keys(w, &mut k);
                k
            })
            .collect();
        let index = DeleteIndex::build(words.iter().enumerate().map(|(i, w)| (i as u32, &w[..])));
        for (q, query) in words.iter().enumerate().step_by(97) {
            let mut ids = Vec::new();
            index.candidates(query, &mut ids);
            let expected: Vec<u32> = key_sets
                .iter()
                .enumerate()
                .filter(|(_, k)| k.iter().any(|k| key_sets[q].contains(k)))
                .map(|(i, _)| i as u32)
                .collect();
            assert_eq!(ids, expected, "{query:?}");
        }
    }

    #[test]
    fn one_slip_shares_a_key() {
        let words: Vec<Vec<char>> = ["regierung", "präsident", "kazakhstan", "global", "table"]
            .iter()
            .map(|w| chars(w))
            .collect();
        let index = DeleteIndex::build(words.iter().enumerate().map(|(i, w)| (i as u32, &w[..])));
        for (typo, meant) in [
            ("regirung", 0),
            ("regierrung", 0),
            ("präsdient", 1),
            ("kazakhsta", 2),
            ("glibal", 3),
            ("tabel", 4),
        ] {
            let mut ids = Vec::new();
            index.candidates(&chars(typo), &mut ids);
            assert!(ids.contains(&meant), "{typo}: {ids:?}");
        }
        let mut ids = Vec::new();
        index.candidates(&chars("xylophone"), &mut ids);
        assert!(ids.is_empty());
    }

    #[test]
    fn stems_are_lowercased_as_the_unicode_tables_say() {
        for w in [
            "Regierung",
            "STRAẞE",
            "İstanbul",
            "Ωμέγα",
            "ÉCOLE",
            "Präsident",
            "abc",
        ] {
            let expected: Vec<char> = w.chars().flat_map(char::to_lowercase).collect();
            assert_eq!(&*lowercase(w), &expected[..], "{w}");
        }
    }

    #[test]
    fn stems_are_found_through_their_hashes() {
        let stems = Stems::from_files("3\nRegierung/N\nglobal/A\nİzmir\n", "");
        for (w, stem) in [
            ("regierung", true),
            ("global", true),
            ("i̇zmir", true),
            ("regierun", false),
            ("globalen", false),
            ("izmir", false),
        ] {
            assert_eq!(stems.contains(&chars(w)), stem, "{w}");
        }
    }

    #[test]
    fn distances_and_shapes() {
        let d = |a: &str, b: &str| distance_within(&chars(a), &chars(b), 3);
        assert_eq!(d("tajikists", "tajikistan"), 2);
        assert_eq!(d("teh", "the"), 1);
        assert_eq!(d("abc", "abc"), 0);
        assert_eq!(d("abcdefgh", "hgfedcba"), 4);
        let s = |w: &str, c: &str| Shape::of(&chars(w), &chars(c));
        assert_eq!(s("präsdient", "präsident"), Shape::Swap);
        assert_eq!(s("regierrung", "regierung"), Shape::Doubled);
        assert_eq!(s("regirung", "regierung"), Shape::Dropped);
        assert_eq!(s("comit", "commit"), Shape::Undoubled);
        assert_eq!(s("kazakhsta", "kazakhstan"), Shape::Truncated);
        assert_eq!(s("kazakhst", "kazakhstan"), Shape::Truncated);
        assert_eq!(s("oara", "para"), Shape::Replaced);
        assert_eq!(s("configuraçao", "configuração"), Shape::Accent);
        assert_eq!(s("mudigkeit", "müdigkeit"), Shape::Replaced);
        assert_eq!(s("apparait", "apparaît"), Shape::Replaced);
        assert_eq!(s("sélectionè", "sélectionné"), Shape::Other);
        assert_eq!(s("informacion", "información"), Shape::Accent);
        assert_eq!(s("sélectionnè", "sélectionné"), Shape::Accent);
        assert_eq!(s("problemlöser", "problemloser"), Shape::Replaced);
        assert_eq!(s("etat", "état"), Shape::Replaced);
        assert_eq!(s("simplye", "simple"), Shape::Extra);
    }

    #[test]
    fn stems_are_grouped_and_found_through_their_ends() {
        let stems = Stems::from_files(
            "4\nRegierungs/hij\nglobal/A\nPräsident/N\nab\n",
            "PFX U Y 1\nPFX U 0 un .\nSFX A Y 2\nSFX A 0 en .\nSFX A 0 e/X .\n",
        );
        assert!(stems.contains(&chars("global")));
        assert!(!stems.contains(&chars("ab")));
        let mut out = Vec::new();
        stems.near(&chars("regirung"), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0.word, "Regierungs");
        assert_eq!(out[0].1.iter().collect::<String>(), "regierung");
        assert_eq!(stems.starting_with(&chars("glo")).len(), 1);
        assert!(stems.is_prefix(&chars("un")));
        assert!(stems.is_ending(&chars("en")) && stems.is_ending(&chars("e")));
        assert!(!stems.is_ending(&chars("un")));
        let w = chars("unglobal");
        assert_eq!(stems.prefixes_of(&w).count(), 1);
    }

    /// A small dictionary pair in a temporary directory: (dir, .dic path).
    fn stems_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let dic = dir.path().join("t.dic");
        std::fs::write(
            &dic,
            "5\nRegierungs/hij\nglobal/A\nPräsident/N\nPräsidentin\nab\n",
        )
        .expect("dic");
        std::fs::write(
            dic.with_extension("aff"),
            "TRY esianrtolcdugmphbyfvkwzESIANRTOLCDUGMPHBYFVKWZ'\nPFX U Y 1\nPFX U 0 un .\nSFX A Y 2\nSFX A 0 en .\nSFX A 0 e/X .\n",
        )
        .expect("aff");
        (dir, dic)
    }

    /// What a typo judgment asks of stems, for comparing two of them.
    fn answers(stems: &Stems, words: &[&str]) -> Vec<String> {
        let mut out = vec![
            format!("{:?}", stems.try_letters()),
            format!("{}", stems.compounds()),
        ];
        for w in words {
            let w = chars(w);
            let mut near = Vec::new();
            stems.near(&w, &mut near);
            let near: Vec<String> = near
                .iter()
                .map(|(f, l)| format!("{}:{}", f.word, l.iter().collect::<String>()))
                .collect();
            let starting: Vec<&str> = stems.starting_with(&w).iter().map(|f| f.word).collect();
            out.push(format!(
                "{} {} {} {near:?} {starting:?} {} {}",
                stems.contains(&w),
                stems.contains_form(&w),
                stems.prefixes_of(&w).count(),
                stems.is_ending(&w),
                stems.is_prefix(&w),
            ));
        }
        out
    }

    const ASKED: &[&str] = &[
        "regierungs",
        "regirung",
        "regierung",
        "global",
        "glibal",
        "präsdient",
        "präsidentin",
        "präsident",
        "unglobal",
        "en",
        "un",
        "ab",
        "xyz",
        "p",
        "",
    ];

    #[test]
    fn stems_cache_is_written_then_read_in_place_with_the_same_answers() {
        let (d, dic) = stems_fixture();
        let cache = d.path().join("cache");
        let text = std::fs::read_to_string(&dic).expect("dic");
        let aff = std::fs::read_to_string(dic.with_extension("aff")).expect("aff");
        let built = answers(&Stems::from_files(&text, &aff), ASKED);
        let (first, s) = Stems::load(&dic, Some(&cache));
        assert_eq!(s, CacheStatus::Missing);
        assert_eq!(answers(&first, ASKED), built);
        let (mapped, s) = Stems::load(&dic, Some(&cache));
        assert_eq!(s, CacheStatus::Hit);
        assert!(matches!(mapped.image, Body::Mapped { .. }));
        assert_eq!(answers(&mapped, ASKED), built);
        let files: Vec<String> = std::fs::read_dir(&cache)
            .expect("cache")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        assert!(
            files.len() == 1 && files[0].starts_with("hunspell-t-") && files[0].ends_with(".stems"),
            "{files:?}"
        );
        // No cache directory, or one that cannot be made: made in memory, same answers.
        let (none, s) = Stems::load(&dic, None);
        assert_eq!(s, CacheStatus::Disabled);
        assert_eq!(answers(&none, ASKED), built);
        let blocker = d.path().join("blocker");
        std::fs::write(&blocker, "x").expect("blocker");
        let (unwritable, s) = Stems::load(&dic, Some(&blocker.join("cache")));
        assert_eq!(s, CacheStatus::Unwritable);
        assert_eq!(answers(&unwritable, ASKED), built);
    }

    #[test]
    fn damaged_stems_cache_is_rebuilt_or_answers_without_panics() {
        let (d, dic) = stems_fixture();
        let cache = d.path().join("cache");
        let (good, _) = Stems::load(&dic, Some(&cache));
        let built = answers(&good, ASKED);
        drop(good);
        let file = std::fs::read_dir(&cache)
            .expect("cache")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .next()
            .expect("file");
        let whole = std::fs::read(&file).expect("read");
        // Truncated, a byte flipped, garbage, empty: ignored, made again and written over.
        let mut flipped = whole.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        for bad in [&whole[..whole.len() - 3], &flipped[..], b"junk", b""] {
            std::fs::write(&file, bad).expect("write");
            let (stems, s) = Stems::load(&dic, Some(&cache));
            assert_eq!(s, CacheStatus::Invalid);
            assert_eq!(answers(&stems, ASKED), built);
        }
        assert_eq!(std::fs::read(&file).expect("read"), whole);
        // A valid header over a damaged image (which the sampled checksum cannot see):
        // every byte of the image in turn replaced, each image opened (or refused) and
        // asked everything, without a panic.
        let key = cache::Key::of(&dic.with_extension("aff"), &dic).expect("key");
        let image = &whole[cache::HEADER..];
        for at in 0..image.len() {
            for v in [0u8, 0xff, image[at].wrapping_add(1)] {
                let mut bad = image.to_vec();
                bad[at] = v;
                if let Some(stems) = Stems::open(Body::Owned(bad)) {
                    answers(&stems, ASKED);
                }
            }
        }
        // And through the file, mapped.
        let mut bad = image.to_vec();
        for b in bad.iter_mut().skip(IMAGE_HEADER + 64) {
            *b = b.wrapping_mul(7).wrapping_add(3);
        }
        cache::write(&cache, &file, cache::STEMS, &key, [0, 0], &bad).expect("write");
        let (stems, _) = Stems::load(&dic, Some(&cache));
        answers(&stems, ASKED);
    }

    #[test]
    fn in_place_index_answers_as_the_built_one_on_a_real_dictionary() {
        // The stems of an installed dictionary (de_DE, en_US: whichever is there), each
        // group's index read in place against the index built in memory from the same
        // stems, for every stem and a slip of it.
        let Some(dic) = ["de_DE", "en_US"]
            .iter()
            .map(|n| std::path::PathBuf::from(format!("/usr/share/hunspell/{n}.dic")))
            .find(|p| p.is_file())
        else {
            eprintln!("no de_DE or en_US dictionary installed: skipped");
            return;
        };
        let (stems, _) = Stems::load(&dic, None);
        let mut checked = 0;
        for g in 0..stems.groups.len() {
            let forms: Vec<Form> = stems.forms_of(g).iter().collect();
            assert_eq!(forms.len(), stems.groups[g].forms.1);
            let built = group_index(forms.iter().map(|f| f.lower));
            let view = stems.index_of(g);
            for (k, f) in forms.iter().enumerate().step_by(7) {
                assert!(stems.contains(f.lower), "{}", f.word);
                let mut slip = f.lower.to_vec();
                if slip.len() > 3 {
                    slip.swap(1, 2);
                }
                for w in [f.lower, &slip[..]] {
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    built.candidates(w, &mut a);
                    view.candidates(w, &mut b);
                    assert_eq!(a, b, "{}", f.word);
                    assert!(w != f.lower || a.contains(&(4 * k as u32)));
                }
                checked += 1;
            }
        }
        assert!(checked > 5_000, "{checked}");
    }
}
