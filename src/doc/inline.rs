//! Putting inline elements (emphasis, links, codes, XML tags) back around the translated words
//! of a markup block when it is written, and telling which of them cannot be put back.
//!
//! An element whose ends both lie outside translated text stays where it was; one strictly
//! inside a translated segment goes around the first occurrence of its words in the
//! translation after the element placed before it (else anywhere; else, when the translation
//! has as many words as the source, around the words at the same positions), unless that place
//! crosses one already taken; any other is lost (reported as `inline-lost`).
//!
//! Cost is linear in the block (n log n at worst) whatever the number of elements, their
//! nesting depth and the number of segments: where every element goes is decided once per
//! block by binary searches over the translated segments; in a segment with many elements,
//! whether an element's words occur in the translation at all is read off a table made once
//! from a suffix automaton of the translation, the word tables for placement by position are
//! made once, and whether a place crosses one already taken is two range queries. Nothing
//! recurses.

use std::cell::OnceCell;
use std::ops::Range;

use super::{Block, Inline, InlineKind, Segment};

/// From this many elements in one segment on, their searches use the indexes (the results are
/// the same without them).
const INDEXED: usize = 8;

/// The largest translation (bytes) a suffix automaton is built for (about 60 bytes of memory a
/// byte); a longer one is searched directly.
const MAX_AUTOMATON: usize = 1 << 20;

/// The opening and closing markup of an inline element of a markup format (for code, the
/// element as written, which stands in place of its text).
fn tag_marks(kind: &InlineKind) -> (&str, &str) {
    match kind {
        InlineKind::Tag { open, close, .. } => (open, close),
        InlineKind::Code { raw } => (raw, ""),
    }
}

/// Whether the writer replaces the segment's text with its translation.
fn replaced(s: &Segment) -> bool {
    s.translation.as_deref().is_some_and(|t| t != s.text)
}

/// Where an inline element goes when its block is written with translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// Both ends lie outside translated text: the tags stay where they were.
    Stable,
    /// Strictly inside one translated segment (its index in the block): put back around its
    /// words.
    Inside(usize),
    /// Its ends fall in different translated segments, or inside one and outside: lost.
    Lost,
}

/// Whether translated segment `s` holds element `inl` strictly inside it.
fn holds(s: &Segment, inl: &Inline) -> bool {
    inl.span.start >= s.span.start
        && inl.span.end <= s.span.end
        && (inl.span != s.span || matches!(inl.kind, InlineKind::Code { .. }))
        && !(inl.span.is_empty() && (inl.span.start == s.span.start || inl.span.end == s.span.end))
}

/// Where every inline element of a block goes, decided once for the block.
struct Layout {
    /// The translated segments (indexes into the block's segments), in block order.
    translated: Vec<usize>,
    /// Whether the translated segments are in text order and do not overlap (as the segmenter
    /// makes them), so that binary searches find them.
    ordered: bool,
    /// Per element (its index in the block's inlines), where it goes.
    of: Vec<Placement>,
    /// Per segment (its index in the block), the elements inside it, in block order.
    inside: Vec<Vec<usize>>,
}

impl Layout {
    fn new(b: &Block) -> Layout {
        let translated: Vec<usize> = (0..b.segments.len())
            .filter(|&i| replaced(&b.segments[i]))
            .collect();
        let ordered = translated
            .windows(2)
            .all(|w| b.segments[w[0]].span.end <= b.segments[w[1]].span.start);
        let mut layout = Layout {
            translated,
            ordered,
            of: Vec::with_capacity(b.inlines.len()),
            inside: vec![Vec::new(); b.segments.len()],
        };
        for (k, inl) in b.inlines.iter().enumerate() {
            let p = layout.placement(b, inl);
            if let Placement::Inside(s) = p {
                layout.inside[s].push(k);
            }
            layout.of.push(p);
        }
        layout
    }

    fn placement(&self, b: &Block, inl: &Inline) -> Placement {
        let span = |j: usize| &b.segments[self.translated[j]].span;
        if !self.ordered {
            // Any segments: look at each.
            if let Some(&i) = self
                .translated
                .iter()
                .find(|&&i| holds(&b.segments[i], inl))
            {
                return Placement::Inside(i);
            }
            let strictly_inside =
                |p: usize| (0..self.translated.len()).any(|j| span(j).start < p && p < span(j).end);
            return if strictly_inside(inl.span.start) || strictly_inside(inl.span.end) {
                Placement::Lost
            } else {
                Placement::Stable
            };
        }
        // In order and apart: only the last segment starting at or before the element can hold
        // it, and only the last one starting before a place can have it strictly inside.
        let k = self
            .translated
            .partition_point(|&i| b.segments[i].span.start <= inl.span.start);
        if k > 0 && holds(&b.segments[self.translated[k - 1]], inl) {
            return Placement::Inside(self.translated[k - 1]);
        }
        let strictly_inside = |p: usize| {
            let j = self
                .translated
                .partition_point(|&i| b.segments[i].span.start < p);
            j > 0 && p < span(j - 1).end
        };
        if strictly_inside(inl.span.start) || strictly_inside(inl.span.end) {
            Placement::Lost
        } else {
            Placement::Stable
        }
    }

    /// The translated segments `inl` overlaps (indexes into the block's segments).
    fn overlapped<'l>(&'l self, b: &'l Block, inl: &'l Inline) -> impl Iterator<Item = usize> + 'l {
        let overlaps = move |i: &usize| {
            let s = &b.segments[*i].span;
            inl.span.start < s.end && inl.span.end > s.start
        };
        let (lo, hi) = if self.ordered {
            (
                self.translated
                    .partition_point(|&i| b.segments[i].span.end <= inl.span.start),
                self.translated
                    .partition_point(|&i| b.segments[i].span.start < inl.span.end),
            )
        } else {
            (0, self.translated.len())
        };
        self.translated[lo..hi.max(lo)]
            .iter()
            .copied()
            .filter(overlaps)
    }
}

/// Inline elements of `block` inside each of its segments (by the segment's index) whose words
/// are not in the translation, or that straddle translated text: their tags cannot be put
/// back. Segments that are not translated have none.
pub(crate) fn lost_by_segment(block: &Block) -> Vec<Vec<&Inline>> {
    let layout = Layout::new(block);
    let mut placed = vec![false; block.inlines.len()];
    for (i, members) in layout.inside.iter().enumerate() {
        let s = &block.segments[i];
        if members.is_empty() {
            continue;
        }
        let Some(tr) = s.translation.as_deref() else {
            continue;
        };
        for (k, _) in place_inside(block, s, tr, members) {
            placed[k] = true;
        }
    }
    let mut lost: Vec<Vec<&Inline>> = vec![Vec::new(); block.segments.len()];
    for (k, inl) in block.inlines.iter().enumerate() {
        match layout.of[k] {
            Placement::Stable => {}
            Placement::Lost => {
                for i in layout.overlapped(block, inl) {
                    if block.segments[i].translation.is_some() {
                        lost[i].push(inl);
                    }
                }
            }
            Placement::Inside(i) => {
                if !inl.span.is_empty() && !placed[k] {
                    lost[i].push(inl);
                }
            }
        }
    }
    lost
}

/// Inline elements of `block` inside translated segment `seg` whose words are not in the
/// translation, or that straddle translated text: their tags cannot be put back. (For all
/// segments of a block at once, [`lost_by_segment`].)
pub(crate) fn lost_inlines<'a>(block: &'a Block, seg: &Segment) -> Vec<&'a Inline> {
    let Some(i) = block
        .segments
        .iter()
        .position(|s| std::ptr::eq(s, seg))
        .or_else(|| {
            block
                .segments
                .iter()
                .position(|s| s.id == seg.id && s.span == seg.span)
        })
    else {
        return Vec::new();
    };
    lost_by_segment(block).swap_remove(i)
}

/// Places the inline elements `members` (indexes into the block's inlines, in order) inside
/// segment `seg` over its translation `tr`: each goes around the first occurrence of its words
/// after the previous one, if the words survived and the place does not cross an element
/// already placed. Returns (element index, place in `tr`).
fn place_inside(
    block: &Block,
    seg: &Segment,
    tr: &str,
    members: &[usize],
) -> Vec<(usize, Range<usize>)> {
    let mut placed: Vec<(usize, Range<usize>)> = Vec::with_capacity(members.len());
    let finder = Finder::new(seg, tr, members.len());
    let mut taken = Taken::new(tr.len(), members.len());
    let mut cursor = 0;
    for &k in members {
        let inl = &block.inlines[k];
        if inl.span.is_empty() {
            let at = cursor.min(tr.len());
            placed.push((k, at..at));
            continue;
        }
        let Some(span) = finder
            .find(inl.span.clone(), cursor)
            .or_else(|| finder.by_position(inl.span.clone()))
        else {
            continue;
        };
        if !taken.crosses(&span) {
            cursor = span.end;
            taken.insert(span.clone());
            placed.push((k, span));
        }
    }
    placed
}

/// Looks for an element's words in a segment's translation.
struct Finder<'t> {
    seg: &'t Segment,
    tr: &'t str,
    /// For segments with many elements: for each end `j` in the segment's text, the length of
    /// the longest suffix of `text[..j]` that occurs in the translation (so that the words
    /// `text[a..j]` occur there exactly when it is at least `j - a`).
    found: Option<Vec<u32>>,
    /// The words of the segment's text and of the translation, made when first needed.
    words: OnceCell<(Words, Words)>,
}

impl<'t> Finder<'t> {
    fn new(seg: &'t Segment, tr: &'t str, members: usize) -> Self {
        let found =
            (members >= INDEXED && tr.len() <= MAX_AUTOMATON && seg.text.len() < u32::MAX as usize)
                .then(|| Automaton::new(tr.as_bytes()).longest_suffixes(seg.text.as_bytes()));
        Finder {
            seg,
            tr,
            found,
            words: OnceCell::new(),
        }
    }

    /// The first occurrence of the words under `span` (a range of the block text inside the
    /// segment) in the translation at or after `cursor`, else the first anywhere.
    fn find(&self, span: Range<usize>, cursor: usize) -> Option<Range<usize>> {
        let rel = span.start.checked_sub(self.seg.span.start)?..span.end - self.seg.span.start;
        let words = self.seg.text.get(rel.clone())?;
        if let Some(found) = &self.found {
            if (found[rel.end] as usize) < words.len() {
                return None;
            }
        }
        self.tr
            .get(cursor..)
            .and_then(|t| t.find(words))
            .map(|o| cursor + o)
            .or_else(|| self.tr.find(words))
            .map(|at| at..at + words.len())
    }

    /// Maps an element's span in the segment to the translation by word position, when the
    /// translation has as many words as the source (a name-by-name rendering, as
    /// transliteration gives): the element covers the same words, less the same trailing
    /// punctuation.
    fn by_position(&self, span: Range<usize>) -> Option<Range<usize>> {
        let (seg, tr) = (self.seg, self.tr);
        let (src, dst) = self.words.get_or_init(|| (words(&seg.text), words(tr)));
        if src.len() != dst.len() || span.start < seg.span.start {
            return None;
        }
        let (start, end) = (span.start - seg.span.start, span.end - seg.span.start);
        // Words are in order and apart: binary searches find the first word starting at
        // `start` and the first word that `end` falls in or at the end of.
        let first = src.partition_point(|w| w.start < start);
        if src.get(first)?.start != start {
            return None;
        }
        let last = src.partition_point(|w| w.end < end);
        if src.get(last)?.start >= end {
            return None;
        }
        let tail = seg.text.get(end..src[last].end)?;
        if tail.chars().any(char::is_alphanumeric) || last < first {
            return None;
        }
        let to = dst[last].end;
        let to = if tr[..to].ends_with(tail) {
            to - tail.len()
        } else if tail.is_empty() {
            to
        } else {
            // Strip whatever punctuation the translation has at the end of the word.
            tr[..to]
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .len()
        };
        (to > dst[first].start).then(|| dst[first].start..to)
    }
}

/// The byte ranges of words.
type Words = Vec<Range<usize>>;

/// Whitespace-separated words of `text` with their byte ranges.
fn words(text: &str) -> Words {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The places already taken in a translation, to tell whether a new place crosses one of them
/// (overlaps it without either holding the other). A new place `a..b` crosses a non-empty
/// place exactly when that one started before `a` and ends strictly inside it, or starts
/// strictly inside it and ends after `b`: with many places, two range queries (the least start
/// of the places ending in `a+1..b`, the greatest end of those starting there), each
/// O(log n).
struct Taken {
    /// Few places: a list looked through.
    list: Vec<Range<usize>>,
    /// Many places: per position, the greatest end of a place starting there and the least
    /// start of one ending there, as segment trees over `0..=len`.
    trees: Option<(RangeTree, RangeTree)>,
}

impl Taken {
    fn new(len: usize, members: usize) -> Self {
        let trees = (members >= INDEXED && len < NONE as usize - 1).then(|| {
            (
                RangeTree::new(len + 1, 0, u32::max),
                RangeTree::new(len + 1, u32::MAX, u32::min),
            )
        });
        Taken {
            list: Vec::new(),
            trees,
        }
    }

    fn insert(&mut self, r: Range<usize>) {
        if r.is_empty() {
            // An empty place neither crosses nor is crossed.
            return;
        }
        match &mut self.trees {
            Some((ends, starts)) => {
                ends.update(r.start, r.end as u32);
                starts.update(r.end, r.start as u32);
            }
            None => self.list.push(r),
        }
    }

    fn crosses(&self, r: &Range<usize>) -> bool {
        match &self.trees {
            Some((ends, starts)) => {
                if r.end < r.start + 2 {
                    return false;
                }
                let inner = r.start + 1..r.end;
                (starts.query(inner.clone()) as usize) < r.start
                    || ends.query(inner) as usize > r.end
            }
            None => self.list.iter().any(|p| {
                let disjoint = p.end <= r.start || r.end <= p.start;
                let nested = (p.start <= r.start && r.end <= p.end)
                    || (r.start <= p.start && p.end <= r.end);
                !disjoint && !nested
            }),
        }
    }
}

/// A segment tree over positions `0..n` folding values with an associative, commutative
/// `op` (max or min) whose identity is `id`.
struct RangeTree {
    n: usize,
    id: u32,
    op: fn(u32, u32) -> u32,
    t: Vec<u32>,
}

impl RangeTree {
    fn new(n: usize, id: u32, op: fn(u32, u32) -> u32) -> Self {
        RangeTree {
            n,
            id,
            op,
            t: vec![id; 2 * n],
        }
    }

    /// Folds `v` into position `i`.
    fn update(&mut self, i: usize, v: u32) {
        if i >= self.n {
            return;
        }
        let mut i = i + self.n;
        self.t[i] = (self.op)(self.t[i], v);
        while i > 1 {
            i /= 2;
            self.t[i] = (self.op)(self.t[2 * i], self.t[2 * i + 1]);
        }
    }

    /// The fold of positions `r` (the identity for none).
    fn query(&self, r: Range<usize>) -> u32 {
        let (mut l, mut h) = (r.start.min(self.n) + self.n, r.end.min(self.n) + self.n);
        let mut acc = self.id;
        while l < h {
            if l & 1 == 1 {
                acc = (self.op)(acc, self.t[l]);
                l += 1;
            }
            if h & 1 == 1 {
                h -= 1;
                acc = (self.op)(acc, self.t[h]);
            }
            l /= 2;
            h /= 2;
        }
        acc
    }
}

/// No state.
const NONE: u32 = u32::MAX;

/// A suffix automaton of a byte string: every substring of the string, and nothing else, is
/// read from its start state. Built in linear time; its transitions are kept as one list per
/// state in shared arrays.
struct Automaton {
    /// Per state: the length of its longest string, its suffix link, its first transition.
    len: Vec<u32>,
    link: Vec<u32>,
    first: Vec<u32>,
    /// Transitions: (byte, target state, next transition of the same state).
    edges: Vec<(u8, u32, u32)>,
}

impl Automaton {
    fn new(text: &[u8]) -> Self {
        let mut a = Automaton {
            len: Vec::with_capacity(2 * text.len() + 1),
            link: Vec::with_capacity(2 * text.len() + 1),
            first: Vec::with_capacity(2 * text.len() + 1),
            edges: Vec::with_capacity(3 * text.len()),
        };
        a.state(0, NONE);
        let mut last = 0u32;
        for &c in text {
            let cur = a.state(a.len[last as usize] + 1, NONE);
            let mut p = last;
            while p != NONE && a.next(p, c).is_none() {
                a.set(p, c, cur);
                p = a.link[p as usize];
            }
            if p == NONE {
                a.link[cur as usize] = 0;
            } else {
                let q = a.next(p, c).unwrap_or(0);
                if a.len[p as usize] + 1 == a.len[q as usize] {
                    a.link[cur as usize] = q;
                } else {
                    let clone = a.state(a.len[p as usize] + 1, a.link[q as usize]);
                    let mut e = a.first[q as usize];
                    while e != NONE {
                        let (b, to, next) = a.edges[e as usize];
                        a.set(clone, b, to);
                        e = next;
                    }
                    while p != NONE && a.next(p, c) == Some(q) {
                        a.set(p, c, clone);
                        p = a.link[p as usize];
                    }
                    a.link[q as usize] = clone;
                    a.link[cur as usize] = clone;
                }
            }
            last = cur;
        }
        a
    }

    fn state(&mut self, len: u32, link: u32) -> u32 {
        self.len.push(len);
        self.link.push(link);
        self.first.push(NONE);
        (self.len.len() - 1) as u32
    }

    fn next(&self, s: u32, c: u8) -> Option<u32> {
        let mut e = self.first[s as usize];
        while e != NONE {
            let (b, to, next) = self.edges[e as usize];
            if b == c {
                return Some(to);
            }
            e = next;
        }
        None
    }

    fn set(&mut self, s: u32, c: u8, to: u32) {
        let mut e = self.first[s as usize];
        while e != NONE {
            let edge = &mut self.edges[e as usize];
            if edge.0 == c {
                edge.1 = to;
                return;
            }
            e = edge.2;
        }
        self.edges.push((c, to, self.first[s as usize]));
        self.first[s as usize] = (self.edges.len() - 1) as u32;
    }

    /// For each end `j` in `0..=s.len()`, the length of the longest suffix of `s[..j]` that is
    /// a substring of the automaton's text.
    fn longest_suffixes(&self, s: &[u8]) -> Vec<u32> {
        let mut out = Vec::with_capacity(s.len() + 1);
        out.push(0);
        let (mut state, mut l) = (0u32, 0u32);
        for &c in s {
            while state != 0 && self.next(state, c).is_none() {
                state = self.link[state as usize];
                l = self.len[state as usize];
            }
            match self.next(state, c) {
                Some(n) => {
                    state = n;
                    l += 1;
                }
                None => l = 0,
            }
            out.push(l);
        }
        out
    }
}

/// Position, closing-before-opening order, nesting order, the markup, and for code the end of
/// the text its markup stands in place of.
type TagEvent = (usize, u8, (usize, usize), String, Option<usize>);

/// The tag markup of `tags` (element, range) as events sorted by position: at one position,
/// closing tags come before opening ones, inner elements close first and outer ones open first.
fn tag_events(tags: &[(&Inline, Range<usize>)]) -> Vec<TagEvent> {
    let mut events = Vec::with_capacity(tags.len() * 2);
    for (k, (inl, r)) in tags.iter().enumerate() {
        let (open, close) = tag_marks(&inl.kind);
        if let InlineKind::Code { raw } = &inl.kind {
            events.push((
                r.start,
                1,
                (usize::MAX, usize::MAX - k),
                raw.clone(),
                Some(r.end),
            ));
        } else if r.is_empty() {
            // Zero-width elements at one place keep their order.
            events.push((r.start, 1, (usize::MAX, k), format!("{open}{close}"), None));
        } else {
            events.push((
                r.start,
                1,
                (usize::MAX - r.len(), usize::MAX - k),
                open.to_string(),
                None,
            ));
            events.push((r.end, 0, (r.len(), k), close.to_string(), None));
        }
    }
    events.sort();
    events
}

/// Appends `text[*pos..to]` escaped, with the events at positions up to `to` put in.
fn emit(
    out: &mut String,
    text: &str,
    pos: &mut usize,
    to: usize,
    events: &[TagEvent],
    next: &mut usize,
    esc: &dyn Fn(&str) -> String,
) {
    while let Some((at, _, _, mark, skip)) = events.get(*next).filter(|e| e.0 <= to) {
        let at = (*at).clamp(*pos, to);
        out.push_str(&esc(text.get(*pos..at).unwrap_or_default()));
        *pos = at;
        out.push_str(mark);
        if let Some(end) = skip {
            // Code: its markup as written stands in place of its text.
            *pos = (*end).clamp(*pos, to);
        }
        *next += 1;
    }
    out.push_str(&esc(text.get(*pos..to).unwrap_or_default()));
    *pos = to;
}

/// Writes a block's text with translations in place and its inline tags put back: tags outside
/// translated text stay where they were, tags inside a translated segment go around their words
/// where these survived (see [`lost_inlines`] for the others).
pub(crate) fn render_block(b: &Block, esc: &dyn Fn(&str) -> String) -> String {
    let layout = Layout::new(b);
    let stable: Vec<(&Inline, Range<usize>)> = b
        .inlines
        .iter()
        .zip(&layout.of)
        .filter(|(_, p)| **p == Placement::Stable)
        .map(|(inl, _)| (inl, inl.span.clone()))
        .collect();
    let events = tag_events(&stable);
    let mut out = String::with_capacity(b.text.len() + 32);
    let (mut pos, mut next) = (0, 0);
    for (i, s) in b.segments.iter().enumerate().filter(|(_, s)| replaced(s)) {
        if s.span.start < pos || s.span.end > b.text.len() {
            continue;
        }
        emit(
            &mut out,
            &b.text,
            &mut pos,
            s.span.start,
            &events,
            &mut next,
            esc,
        );
        let tr = s.output();
        let inner: Vec<(&Inline, Range<usize>)> = place_inside(b, s, tr, &layout.inside[i])
            .into_iter()
            .map(|(k, r)| (&b.inlines[k], r))
            .collect();
        let inner_events = tag_events(&inner);
        let (mut tp, mut tn) = (0, 0);
        emit(&mut out, tr, &mut tp, tr.len(), &inner_events, &mut tn, esc);
        pos = s.span.end;
    }
    emit(
        &mut out,
        &b.text,
        &mut pos,
        b.text.len(),
        &events,
        &mut next,
        esc,
    );
    for (_, _, _, mark, _) in &events[next..] {
        out.push_str(mark);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placement code as it was before it was made linear (each element looked up in
    /// every segment, each segment's elements looked up in all elements, the lost elements of
    /// a segment placed again per element): the reference the fast code must agree with.
    mod reference {
        use super::super::{emit, tag_events};
        use crate::doc::{Block, Inline, InlineKind, Segment};
        use std::ops::Range;

        /// Whether the writer replaces the segment's text with its translation.
        fn replaced(s: &Segment) -> bool {
            s.translation.as_deref().is_some_and(|t| t != s.text)
        }

        /// Where an inline element goes when its block is written with translations.
        enum Placement<'a> {
            /// Both ends lie outside translated text: the tags stay where they were.
            Stable,
            /// Strictly inside one translated segment: put back around its words.
            Inside(&'a Segment),
            /// Its ends fall in different translated segments, or inside one and outside: lost.
            Lost,
        }

        fn placement<'a>(b: &'a Block, inl: &Inline) -> Placement<'a> {
            let translated = || b.segments.iter().filter(|s| replaced(s));
            if let Some(s) = translated().find(|s| {
                inl.span.start >= s.span.start
                    && inl.span.end <= s.span.end
                    && (inl.span != s.span || matches!(inl.kind, InlineKind::Code { .. }))
                    && !(inl.span.is_empty()
                        && (inl.span.start == s.span.start || inl.span.end == s.span.end))
            }) {
                return Placement::Inside(s);
            }
            let strictly_inside =
                |p: usize| translated().any(|s| s.span.start < p && p < s.span.end);
            if strictly_inside(inl.span.start) || strictly_inside(inl.span.end) {
                Placement::Lost
            } else {
                Placement::Stable
            }
        }

        /// Inline elements of `block` inside translated segment `seg` whose words are not in the
        /// translation, or that straddle translated text: their tags cannot be put back.
        pub(super) fn lost_inlines<'a>(block: &'a Block, seg: &Segment) -> Vec<&'a Inline> {
            if !replaced(seg) {
                return Vec::new();
            }
            let Some(tr) = seg.translation.as_deref() else {
                return Vec::new();
            };
            block
                .inlines
                .iter()
                .filter(|inl| inl.span.start < seg.span.end && inl.span.end > seg.span.start)
                .filter(|inl| match placement(block, inl) {
                    Placement::Stable => false,
                    Placement::Lost => true,
                    Placement::Inside(s) => {
                        s.id == seg.id
                            && !inl.span.is_empty()
                            && place_inside(block, s, tr)
                                .iter()
                                .all(|(k, _)| !std::ptr::eq(*k, *inl))
                    }
                })
                .collect()
        }

        /// Places the inline elements inside segment `seg` over its translation `tr`: each goes around
        /// the first occurrence of its words after the previous one, if the words survived and the
        /// place does not cross an element already placed.
        fn place_inside<'a>(
            block: &'a Block,
            seg: &Segment,
            tr: &str,
        ) -> Vec<(&'a Inline, Range<usize>)> {
            let mut placed: Vec<(&Inline, Range<usize>)> = Vec::new();
            let mut cursor = 0;
            for inl in &block.inlines {
                if !matches!(placement(block, inl), Placement::Inside(s) if s.id == seg.id) {
                    continue;
                }
                if inl.span.is_empty() {
                    let at = cursor.min(tr.len());
                    placed.push((inl, at..at));
                    continue;
                }
                let words = &block.text[inl.span.clone()];
                let found = tr
                    .get(cursor..)
                    .and_then(|t| t.find(words))
                    .map(|o| cursor + o)
                    .or_else(|| tr.find(words))
                    .map(|at| at..at + words.len())
                    .or_else(|| by_position(seg, tr, inl.span.clone()));
                let Some(span) = found else { continue };
                let crosses = placed.iter().any(|(_, p)| {
                    let disjoint = p.end <= span.start || span.end <= p.start;
                    let nested = (p.start <= span.start && span.end <= p.end)
                        || (span.start <= p.start && p.end <= span.end);
                    !disjoint && !nested
                });
                if !crosses {
                    cursor = span.end;
                    placed.push((inl, span));
                }
            }
            placed
        }

        /// Whitespace-separated words of `text` with their byte ranges.
        fn words(text: &str) -> Vec<Range<usize>> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                match (c.is_whitespace(), start) {
                    (true, Some(s)) => {
                        out.push(s..i);
                        start = None;
                    }
                    (false, None) => start = Some(i),
                    _ => {}
                }
            }
            if let Some(s) = start {
                out.push(s..text.len());
            }
            out
        }

        /// Maps an element's span in a segment to the translation by word position, when the
        /// translation has as many words as the source (a name-by-name rendering, as transliteration
        /// gives): the element covers the same words, less the same trailing punctuation.
        fn by_position(seg: &Segment, tr: &str, span: Range<usize>) -> Option<Range<usize>> {
            let src = words(&seg.text);
            let dst = words(tr);
            if src.len() != dst.len() || span.start < seg.span.start {
                return None;
            }
            let (start, end) = (span.start - seg.span.start, span.end - seg.span.start);
            let first = src.iter().position(|w| w.start == start)?;
            let last = src.iter().position(|w| w.start < end && end <= w.end)?;
            let tail = &seg.text[end..src[last].end];
            if tail.chars().any(char::is_alphanumeric) || last < first {
                return None;
            }
            let to = dst[last].end;
            let to = if tr[..to].ends_with(tail) {
                to - tail.len()
            } else if tail.is_empty() {
                to
            } else {
                // Strip whatever punctuation the translation has at the end of the word.
                tr[..to]
                    .trim_end_matches(|c: char| !c.is_alphanumeric())
                    .len()
            };
            (to > dst[first].start).then(|| dst[first].start..to)
        }

        /// Writes a block's text with translations in place and its inline tags put back: tags outside
        /// translated text stay where they were, tags inside a translated segment go around their words
        /// where these survived (see [`lost_inlines`] for the others).
        pub(super) fn render_block(b: &Block, esc: &dyn Fn(&str) -> String) -> String {
            let stable: Vec<(&Inline, Range<usize>)> = b
                .inlines
                .iter()
                .filter(|inl| matches!(placement(b, inl), Placement::Stable))
                .map(|inl| (inl, inl.span.clone()))
                .collect();
            let events = tag_events(&stable);
            let mut out = String::with_capacity(b.text.len() + 32);
            let (mut pos, mut next) = (0, 0);
            for s in b.segments.iter().filter(|s| replaced(s)) {
                if s.span.start < pos || s.span.end > b.text.len() {
                    continue;
                }
                emit(
                    &mut out,
                    &b.text,
                    &mut pos,
                    s.span.start,
                    &events,
                    &mut next,
                    esc,
                );
                let tr = s.output();
                let inner = place_inside(b, s, tr);
                let inner_events = tag_events(&inner);
                let (mut tp, mut tn) = (0, 0);
                emit(&mut out, tr, &mut tp, tr.len(), &inner_events, &mut tn, esc);
                pos = s.span.end;
            }
            emit(
                &mut out,
                &b.text,
                &mut pos,
                b.text.len(),
                &events,
                &mut next,
                esc,
            );
            for (_, _, _, mark, _) in &events[next..] {
                out.push_str(mark);
            }
            out
        }
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const WORDS: [&str; 9] = [
        "a", "Kiev", "casa", "the", "rojo.", "x", "día", "Tokayev,", "aa",
    ];

    /// A random block: words, sentences as segments (some translated: words kept, dropped,
    /// changed or moved), and inline elements (nested, side by side, empty, codes, across
    /// segments).
    fn block(rng: &mut Rng) -> Block {
        let n = 1 + rng.below(40);
        let mut text = String::new();
        let mut starts = Vec::new();
        for i in 0..n {
            if i > 0 {
                text.push(' ');
            }
            starts.push(text.len());
            text.push_str(WORDS[rng.below(WORDS.len())]);
        }
        let word_end = |i: usize| {
            starts[i]
                + text[starts[i]..]
                    .find(' ')
                    .unwrap_or(text.len() - starts[i])
        };
        let mut b = Block::new(crate::doc::BlockKind::Paragraph, text.clone(), 1);
        // Segments: consecutive runs of words.
        let mut i = 0;
        let mut id = 0;
        while i < n {
            let len = 1 + rng.below(6).min(n - i - 1);
            let span = starts[i]..word_end(i + len - 1);
            let mut s = Segment::new(id, &text, span.clone());
            id += 1;
            if rng.below(4) > 0 {
                let mut words: Vec<String> = s.text.split(' ').map(str::to_string).collect();
                for w in &mut words {
                    match rng.below(5) {
                        0 => *w = WORDS[rng.below(WORDS.len())].to_string(),
                        1 => *w = w.to_uppercase(),
                        _ => {}
                    }
                }
                if rng.below(3) == 0 && words.len() > 1 {
                    let a = rng.below(words.len());
                    let c = rng.below(words.len());
                    words.swap(a, c);
                }
                if rng.below(4) == 0 && words.len() > 1 {
                    words.remove(rng.below(words.len()));
                }
                s.translation = Some(words.join(" "));
            }
            b.segments.push(s);
            i += len;
        }
        // Inline elements over word ranges (and empty ones at word starts).
        let most = if rng.below(2) == 0 { 6 } else { 60 };
        let count = rng.below(most);
        let mut nest = (0, n);
        for k in 0..count {
            let (lo, hi) = if rng.below(3) == 0 {
                // Inside the previous one: nesting.
                let lo = nest.0 + rng.below(nest.1 - nest.0);
                (lo, lo + 1 + rng.below(nest.1 - lo))
            } else {
                let lo = rng.below(n);
                (lo, lo + 1 + rng.below((n - lo).min(4)))
            };
            nest = (lo, hi);
            let span = if rng.below(8) == 0 {
                starts[lo]..starts[lo]
            } else {
                starts[lo]..word_end(hi - 1)
            };
            let kind = if rng.below(6) == 0 {
                InlineKind::Code {
                    raw: format!("<code>{}</code>", &text[span.clone()]),
                }
            } else {
                InlineKind::Tag {
                    name: "em".into(),
                    open: format!("<em{k}>"),
                    close: format!("</em{k}>"),
                }
            };
            b.inlines.push(Inline { kind, span });
        }
        b.inlines.sort_by_key(|i| i.span.start);
        b
    }

    #[test]
    fn agrees_with_the_reference_on_random_blocks() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let esc = |s: &str| s.to_string();
        for round in 0..4000 {
            let b = block(&mut rng);
            assert_eq!(
                render_block(&b, &esc),
                reference::render_block(&b, &esc),
                "round {round}: {b:#?}"
            );
            let all = lost_by_segment(&b);
            for (i, s) in b.segments.iter().enumerate() {
                let want = reference::lost_inlines(&b, s);
                assert_eq!(all[i], want, "round {round}, segment {i}: {b:#?}");
                assert_eq!(lost_inlines(&b, s), want);
            }
        }
    }

    #[test]
    fn the_automaton_knows_every_substring_and_nothing_else() {
        let mut rng = Rng(7);
        for _ in 0..300 {
            let t: Vec<u8> = (0..rng.below(60)).map(|_| b"abc"[rng.below(3)]).collect();
            let s: Vec<u8> = (0..rng.below(30)).map(|_| b"abcd"[rng.below(4)]).collect();
            let got = Automaton::new(&t).longest_suffixes(&s);
            for j in 0..=s.len() {
                let want = (0..=j)
                    .rev()
                    .find(|&l| t.windows(l.max(1)).any(|w| l == 0 || w == &s[j - l..j]))
                    .unwrap_or(0);
                assert_eq!(got[j] as usize, want, "{t:?} {s:?} at {j}");
            }
        }
    }

    #[test]
    fn crossing_places_are_told_from_nested_and_apart_ones() {
        let mut rng = Rng(11);
        for _ in 0..300 {
            let len = 1 + rng.below(40);
            let mut few = Taken::new(len, 1);
            let mut many = Taken::new(len, INDEXED);
            for _ in 0..30 {
                let a = rng.below(len + 1);
                let r = a..a + rng.below(len + 1 - a);
                assert_eq!(few.crosses(&r), many.crosses(&r), "{r:?}");
                if !few.crosses(&r) {
                    few.insert(r.clone());
                    many.insert(r);
                }
            }
        }
    }
}
