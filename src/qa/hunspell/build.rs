//! Expansion of every stem into its word forms, each with the properties the check asks
//! about, and the compiled table they go into.
//!
//! A word is known to the dictionary through a *derivation*: a stem, and a prefix, a suffix,
//! both, or two suffixes (the inner one's continuation class naming the outer one). The
//! check asks, of a string, what the first valid derivation in spellbook's (Nuspell's)
//! search order says, in five modes: as a whole word (once with, once without the hidden
//! title-case twins of mixed-case entries), and as the beginning, middle or end of a
//! compound. Derivations are therefore generated kind by kind in that order (the stem, a
//! suffix, a prefix, a prefix and a suffix, two suffixes, a prefix and two suffixes), stems in
//! file order, and a form keeps the first answer per mode.

use rustc_hash::FxHashMap as HashMap;

use super::aff::{Aff, Affix, Flags, Options, Stem};
use super::table::{Props, Table};

/// The modes a derivation is judged in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Full,
    Begin,
    Middle,
    End,
}

/// The answer per mode of a form, as it accumulates: 0 = no valid derivation yet, else
/// `1 | forbidden << 1 | keepcase << 2` of the first.
#[derive(Default, Clone, Copy)]
struct Acc {
    /// Whole word, hidden twins skipped.
    vis: u8,
    /// Whole word, hidden twins accepted.
    any: u8,
    begin: u8,
    middle: u8,
    end: u8,
    /// First stem entry (not NEEDAFFIX) with rule flags: `1 | forbidden << 1 | keep << 2`.
    rule: u8,
    rule_mask: u32,
}

struct Builder<'a> {
    o: &'a Options,
    forms: HashMap<Box<str>, Acc>,
}

fn answer(o: &Options, stem: &Flags) -> u8 {
    1 | (u8::from(stem.has_opt(o.forbidden)) << 1) | (u8::from(stem.has_opt(o.keep_case)) << 2)
}

impl Builder<'_> {
    /// Applies `f` to the answers of `w` (one lookup when the form is there already, as
    /// most generated forms are).
    fn with_slot(&mut self, w: &str, f: impl FnOnce(&mut Acc)) {
        match self.forms.get_mut(w) {
            Some(acc) => f(acc),
            None => {
                let mut acc = Acc::default();
                f(&mut acc);
                self.forms.insert(w.into(), acc);
            }
        }
    }

    /// Records a derivation of `w` from `stem` valid in the given modes.
    fn record(&mut self, w: &str, stem: &Stem, modes: [bool; 4]) {
        if !modes.iter().any(|&m| m) {
            return;
        }
        let a = answer(self.o, &stem.flags);
        self.with_slot(w, |acc| Builder::update(acc, a, stem.hidden, modes));
    }

    fn update(acc: &mut Acc, a: u8, hidden: bool, modes: [bool; 4]) {
        if modes[0] {
            if !hidden && acc.vis == 0 {
                acc.vis = a;
            }
            if acc.any == 0 {
                acc.any = a;
            }
        }
        // (Compound parts never come from hidden twins.)
        if !hidden {
            for (m, slot) in [
                (modes[1], &mut acc.begin),
                (modes[2], &mut acc.middle),
                (modes[3], &mut acc.end),
            ] {
                if m && *slot == 0 {
                    *slot = a;
                }
            }
        }
    }

    // The validity rules, mode by mode, of spellbook's affix stripping.

    fn pfx_valid(&self, p: &Affix, m: Mode) -> bool {
        (m != Mode::Full || !p.cont.has_opt(self.o.only_in_compound))
            && (m != Mode::End || p.cont.has_opt(self.o.compound_permit))
            && (m == Mode::Full || !p.cont.has_opt(self.o.compound_forbid))
    }

    fn sfx_valid(&self, s: &Affix, m: Mode) -> bool {
        (m != Mode::Full || !s.cont.has_opt(self.o.only_in_compound))
            && (m != Mode::Begin || s.cont.has_opt(self.o.compound_permit))
            && (m == Mode::Full || !s.cont.has_opt(self.o.compound_forbid))
    }

    fn inside(&self, f: &Flags, m: Mode) -> bool {
        let flag = match m {
            Mode::Full => return true,
            Mode::Begin => self.o.compound_begin,
            Mode::Middle => self.o.compound_middle,
            Mode::End => self.o.compound_end,
        };
        f.has_opt(self.o.compound) || f.has_opt(flag)
    }

    fn circ(&self, a: &Affix) -> bool {
        a.cont.has_opt(self.o.circumfix)
    }

    fn need(&self, a: &Affix) -> bool {
        a.cont.has_opt(self.o.need_affix)
    }

    /// Modes in which a stem with a single affix is valid (`pfx` tells which validity).
    fn one_affix_modes(&self, stem: &Stem, a: &Affix, pfx: bool) -> [bool; 4] {
        let modes = [Mode::Full, Mode::Begin, Mode::Middle, Mode::End];
        modes.map(|m| {
            let valid = if pfx {
                self.pfx_valid(a, m)
            } else {
                self.sfx_valid(a, m)
            };
            // (An affix that adds letters and is ONLYINCOMPOUND does not end a compound.)
            let only_inside =
                !a.add.is_empty() && m == Mode::End && a.cont.has_opt(self.o.only_in_compound);
            valid
                && !self.need(a)
                && !only_inside
                && !self.circ(a)
                && (m != Mode::Full || !stem.flags.has_opt(self.o.only_in_compound))
                && (m == Mode::Full || !stem.hidden)
                && (self.inside(&stem.flags, m) || self.inside(&a.cont, m))
        })
    }
}

/// Expands the stems of a parsed dictionary into the compiled table; `None` when it has
/// more than `limit` forms.
pub(crate) fn build(aff: &Aff, stems: &[Stem], limit: usize) -> Option<Table> {
    let mut b = Builder {
        o: &aff.opts,
        forms: HashMap::default(),
    };
    b.forms.reserve(stems.len().saturating_mul(4).min(limit));
    let ax = Affixes::of(aff);
    // Kind by kind, stems in file order; the forms only grow, so the limit is checked
    // before each stem and once at the end.
    for kind in KINDS {
        for st in stems {
            if b.forms.len() > limit {
                return None;
            }
            kind(&mut b, &ax, st);
        }
    }
    if b.forms.len() > limit {
        return None;
    }
    let mut entries: Vec<(Box<str>, Props)> = b
        .forms
        .into_iter()
        .filter_map(|(w, a)| {
            let p = Props::from_answers(a.vis, a.any, a.begin, a.middle, a.end, a.rule);
            (!p.is_empty()).then_some((w, p.with_rules(a.rule_mask)))
        })
        .collect();
    // (A fixed order: the same dictionary compiles to the same bytes.)
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(Table::from_entries(&entries))
}

/// Every how many stems [`estimate`] expands one.
const SAMPLE_STRIDE: usize = 64;

/// An estimate of the number of forms `stems` expand to, made in a fraction of the time:
/// the distinct forms of every [`SAMPLE_STRIDE`]th stem (in file order, so across the
/// alphabet), scaled to all stems. Forms that several stems share are counted once per
/// sampled stem, so it errs high rather than low.
pub(crate) fn estimate(aff: &Aff, stems: &[Stem]) -> usize {
    let mut b = Builder {
        o: &aff.opts,
        forms: HashMap::default(),
    };
    let ax = Affixes::of(aff);
    let sample: Vec<&Stem> = stems.iter().step_by(SAMPLE_STRIDE).collect();
    for kind in KINDS {
        for st in &sample {
            kind(&mut b, &ax, st);
        }
    }
    b.forms.len().saturating_mul(stems.len()) / sample.len().max(1)
}

/// A derivation kind: records the forms of one stem that derivations of that kind make.
type Kind = fn(&mut Builder, &Affixes, &Stem);

/// The derivation kinds, in spellbook's search order.
const KINDS: [Kind; 7] = [
    the_stem,
    a_suffix,
    a_prefix,
    a_prefix_and_a_suffix,
    two_suffixes,
    two_suffixes_then_a_prefix,
    a_suffix_a_prefix_then_a_suffix,
];

/// Modes of a derivation that makes whole words only.
const FULL_ONLY: [bool; 4] = [true, false, false, false];

/// The affixes of a dictionary by flag.
struct Affixes<'a> {
    prefixes: HashMap<u16, Vec<&'a Affix>>,
    suffixes: HashMap<u16, Vec<&'a Affix>>,
}

impl<'a> Affixes<'a> {
    fn of(aff: &'a Aff) -> Affixes<'a> {
        let mut prefixes: HashMap<u16, Vec<&Affix>> = HashMap::default();
        for p in &aff.prefixes {
            prefixes.entry(p.flag).or_default().push(p);
        }
        let mut suffixes: HashMap<u16, Vec<&Affix>> = HashMap::default();
        for s in &aff.suffixes {
            suffixes.entry(s.flag).or_default().push(s);
        }
        Affixes { prefixes, suffixes }
    }

    /// The suffixes of flag `f`.
    fn sfx_of(&self, f: u16) -> &[&'a Affix] {
        self.suffixes.get(&f).map_or(&[], Vec::as_slice)
    }

    /// The prefixes of flag `f`.
    fn pfx_of(&self, f: u16) -> &[&'a Affix] {
        self.prefixes.get(&f).map_or(&[], Vec::as_slice)
    }

    /// The suffixes a stem takes directly.
    fn stem_sfx(&self, st: &Stem) -> Vec<&'a Affix> {
        st.flags
            .iter()
            .flat_map(|f| self.sfx_of(f))
            .copied()
            .collect()
    }

    /// The prefixes a stem takes directly.
    fn stem_pfx(&self, st: &Stem) -> Vec<&'a Affix> {
        st.flags
            .iter()
            .flat_map(|f| self.pfx_of(f))
            .copied()
            .collect()
    }

    /// The prefixes a stem takes directly and those that the continuation flags `cont` of
    /// an affix already added allow, each once.
    fn stem_and_cont_pfx(&self, st: &Stem, cont: &Flags) -> Vec<&'a Affix> {
        let mut pfxs = self.stem_pfx(st);
        for c in cont.iter() {
            pfxs.extend(self.pfx_of(c).iter().copied());
        }
        dedup_ptr(&mut pfxs);
        pfxs
    }
}

/// Kind 1: the stem itself.
fn the_stem(b: &mut Builder, _: &Affixes, st: &Stem) {
    let o = b.o;
    let f = &st.flags;
    let need = f.has_opt(o.need_affix);
    let full = !need && !f.has_opt(o.only_in_compound);
    let modes = [
        full,
        !need && !st.hidden && b.inside(f, Mode::Begin),
        !need && !st.hidden && b.inside(f, Mode::Middle),
        !need && !st.hidden && b.inside(f, Mode::End),
    ];
    b.record(&st.word, st, modes);
    if !o.rule_flags.is_empty() && !need {
        let mask = o.rule_mask(f);
        if mask != 0 {
            let a = answer(o, f);
            b.with_slot(&st.word, |acc| {
                if acc.rule == 0 {
                    acc.rule = a;
                    acc.rule_mask = mask;
                }
            });
        }
    }
}

/// Kind 2: a suffix.
fn a_suffix(b: &mut Builder, ax: &Affixes, st: &Stem) {
    for s in ax.stem_sfx(st) {
        if let Some(w) = s.suffixed(&st.word) {
            let modes = b.one_affix_modes(st, s, false);
            b.record(&w, st, modes);
        }
    }
}

/// Kind 3: a prefix.
fn a_prefix(b: &mut Builder, ax: &Affixes, st: &Stem) {
    for p in ax.stem_pfx(st) {
        if let Some(w) = p.prefixed(&st.word, &st.word) {
            let modes = b.one_affix_modes(st, p, true);
            b.record(&w, st, modes);
        }
    }
}

/// Kind 4: a prefix and a suffix (either may be the one the stem names, the other named by its
/// continuation class).
fn a_prefix_and_a_suffix(b: &mut Builder, ax: &Affixes, st: &Stem) {
    let o = b.o;
    let f = &st.flags;
    let direct_pfx = ax.stem_pfx(st);
    let mut sfxs = ax.stem_sfx(st);
    for p in &direct_pfx {
        for c in p.cont.iter() {
            sfxs.extend(ax.sfx_of(c).iter().copied());
        }
    }
    dedup_ptr(&mut sfxs);
    for s in sfxs {
        if !s.cross {
            continue;
        }
        let Some(w1) = s.suffixed(&st.word) else {
            continue;
        };
        let mut pfxs = direct_pfx.clone();
        for c in s.cont.iter() {
            pfxs.extend(ax.pfx_of(c).iter().copied());
        }
        dedup_ptr(&mut pfxs);
        for p in pfxs {
            if !p.cross {
                continue;
            }
            let Some(w) = p.prefixed(&w1, &w1) else {
                continue;
            };
            let (np, ns) = (b.need(p), b.need(s));
            let cross_ok = (!np && f.has(s.flag) && (s.cont.has(p.flag) || f.has(p.flag)))
                || (!ns && f.has(p.flag) && (p.cont.has(s.flag) || f.has(s.flag)));
            let modes = [Mode::Full, Mode::Begin, Mode::Middle, Mode::End].map(|m| {
                b.pfx_valid(p, m)
                    && b.sfx_valid(s, m)
                    && !(np && ns)
                    && b.circ(p) == b.circ(s)
                    && cross_ok
                    && !(m == Mode::Full && f.has_opt(o.only_in_compound))
                    && (m == Mode::Full || !st.hidden)
                    && (b.inside(f, m) || b.inside(&s.cont, m) || b.inside(&p.cont, m))
            });
            b.record(&w, st, modes);
        }
    }
}

/// Kind 5: two suffixes (whole words only).
fn two_suffixes(b: &mut Builder, ax: &Affixes, st: &Stem) {
    let o = b.o;
    if st.flags.has_opt(o.only_in_compound) {
        return;
    }
    for i in ax.stem_sfx(st) {
        if !b.sfx_valid(i, Mode::Full) || b.circ(i) {
            continue;
        }
        let Some(w1) = i.suffixed(&st.word) else {
            continue;
        };
        for c in i.cont.iter() {
            for &so in ax.sfx_of(c) {
                if !b.sfx_valid(so, Mode::Full) || b.need(so) || b.circ(so) {
                    continue;
                }
                if let Some(w) = so.suffixed(&w1) {
                    b.record(&w, st, FULL_ONLY);
                }
            }
        }
    }
}

/// Kind 6: a prefix and two suffixes, the prefix added last (the check strips the outer suffix
/// after the prefix).
fn two_suffixes_then_a_prefix(b: &mut Builder, ax: &Affixes, st: &Stem) {
    let o = b.o;
    let f = &st.flags;
    if f.has_opt(o.only_in_compound) {
        return;
    }
    for i in ax.stem_sfx(st) {
        if !b.sfx_valid(i, Mode::Full) || b.circ(i) {
            continue;
        }
        let Some(w1) = i.suffixed(&st.word) else {
            continue;
        };
        for c in i.cont.iter() {
            for &so in ax.sfx_of(c) {
                if !so.cross || !b.sfx_valid(so, Mode::Full) {
                    continue;
                }
                let Some(w2) = so.suffixed(&w1) else {
                    continue;
                };
                for p in ax.stem_and_cont_pfx(st, &so.cont) {
                    if !p.cross
                        || !b.pfx_valid(p, Mode::Full)
                        || b.need(p)
                        || b.circ(p) != b.circ(so)
                        || !(so.cont.has(p.flag) || f.has(p.flag))
                    {
                        continue;
                    }
                    if let Some(w) = p.prefixed(&w2, &w2) {
                        b.record(&w, st, FULL_ONLY);
                    }
                }
            }
        }
    }
}

/// Kind 7: a prefix and two suffixes, the outer suffix added last (the check strips it before
/// the prefix).
fn a_suffix_a_prefix_then_a_suffix(b: &mut Builder, ax: &Affixes, st: &Stem) {
    let o = b.o;
    let f = &st.flags;
    if f.has_opt(o.only_in_compound) {
        return;
    }
    for i in ax.stem_sfx(st) {
        if !i.cross || !b.sfx_valid(i, Mode::Full) {
            continue;
        }
        let Some(w1) = i.suffixed(&st.word) else {
            continue;
        };
        for p in ax.stem_and_cont_pfx(st, &i.cont) {
            if !p.cross || !b.pfx_valid(p, Mode::Full) {
                continue;
            }
            if !(i.cont.has(p.flag) || f.has(p.flag)) {
                continue;
            }
            // (spellbook checks this prefix's condition on the prefixed string.)
            let Some(base) = w1.strip_prefix(p.strip.as_str()) else {
                continue;
            };
            let w_p = format!("{}{}", p.add, base);
            if !p.cond.matches_start(&w_p) {
                continue;
            }
            let mut outers: Vec<&Affix> = Vec::new();
            for c in i.cont.iter().chain(p.cont.iter()) {
                outers.extend(ax.sfx_of(c).iter().copied());
            }
            dedup_ptr(&mut outers);
            for so in outers {
                if !so.cross || !b.sfx_valid(so, Mode::Full) || b.need(so) {
                    continue;
                }
                let (cp, ci, co) = (b.circ(p), b.circ(i), b.circ(so));
                let circumfix_ok = (cp == co && !ci) || (cp == ci && !co);
                if !circumfix_ok {
                    continue;
                }
                if let Some(w) = so.suffixed(&w_p) {
                    b.record(&w, st, FULL_ONLY);
                }
            }
        }
    }
}

/// Removes repeated affixes (by identity), keeping the first of each.
fn dedup_ptr(v: &mut Vec<&Affix>) {
    let mut seen = rustc_hash::FxHashSet::default();
    v.retain(|a| seen.insert(*a as *const Affix));
}
