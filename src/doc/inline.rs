//! Putting inline elements (emphasis, links, images, codes, XML tags) back around the
//! translated words of a markup block when it is written. No element is ever lost: each one
//! gets a place in the output text (see the comment below), and the tags are written in one
//! sweep that can only produce a well-formed tree. Linear in the block (n log n at worst)
//! whatever the number of elements and segments; nothing recurses.

use std::ops::Range;

use super::{Block, Inline, InlineKind, Segment};

// ---------------------------------------------------------------------------------------------
// Inline markup in translated text.
//
// Every inline element of a block gets a range in the block's output text (its text with each
// translated segment replaced): an element outside translated text keeps its place; an
// element (or the part of one) inside a translated segment goes where the engine said its
// words went (`Segment::inline_places`), else around its words where they survived, else
// (word for word) around the words at the same positions, else around the words at the same
// relative place — never nowhere. An element with no text (an image, a line break, an XLIFF
// `<x/>`) is a point. Children are kept inside their parents; the tags are then written in one
// sweep that can only produce a well-formed tree: an element that would close while one opened
// inside it is still open closes after it instead. Elements not put exactly where their words
// are get an `inline-moved` note. Time is O(n log n) in the number of elements and linear in
// the text; nothing recurses.
// ---------------------------------------------------------------------------------------------

/// The name of an element that stands for a line break written as markup inside a block
/// (Markdown's hard line break).
pub(crate) const LINE_BREAK: &str = "br";

/// Whether `inl` is a line break written as markup: an element with no text named
/// [`LINE_BREAK`] whose markup ends a line and is no tag (Markdown's two spaces or backslash,
/// the line end and the next line's prefix, exactly as written). In a translation it goes
/// between words, never at either end of the text, and the blanks of the translation around
/// it are its own: its markup is written as read.
pub(crate) fn is_line_break(inl: &Inline) -> bool {
    inl.span.is_empty()
        && matches!(&inl.kind, InlineKind::Tag { name, open, close }
            if name == LINE_BREAK && close.is_empty() && open.contains('\n') && !open.contains('<'))
}

/// Where a line break placed at `at` of a translation goes: not inside a word (after it),
/// and with words on both sides (after the first, before the last) when the translation has
/// two or more.
fn break_place(tr: &str, at: usize) -> usize {
    let mut at = at.min(tr.len());
    while !tr.is_char_boundary(at) {
        at -= 1;
    }
    let glued = |at: usize| {
        tr[..at].ends_with(|c: char| !c.is_whitespace())
            && tr[at..].starts_with(|c: char| !c.is_whitespace())
    };
    if glued(at) {
        at += tr[at..].find(char::is_whitespace).unwrap_or(tr.len() - at);
    }
    if tr[..at].trim().is_empty() {
        // Before every word: after the first.
        let lead = tr.len() - tr.trim_start().len();
        let first_end = tr[lead..]
            .find(char::is_whitespace)
            .map(|e| lead + e)
            .filter(|&e| !tr[e..].trim().is_empty());
        if let Some(e) = first_end {
            at = e;
        }
    } else if tr[at..].trim().is_empty() {
        // After every word: before the last.
        let body = tr.trim_end();
        let last_start = body.rfind(char::is_whitespace).map(|s| s + 1);
        if let Some(s) = last_start.filter(|&s| !tr[..s].trim().is_empty()) {
            at = tr[..s].trim_end().len();
        }
    }
    at
}

/// The opening and closing markup of an inline element of a markup format (for code, the
/// element as written, which stands in place of its text).
fn tag_marks(kind: &InlineKind) -> (&str, &str) {
    match kind {
        InlineKind::Tag { open, close, .. } => (open, close),
        InlineKind::Code { raw } => (raw, ""),
    }
}

/// Whether an element's closing tag lies beyond its block (it has none in the block): an
/// element left open where the block ended, or one with no text made of such start tags. Truly
/// empty elements (HTML void elements, `<x/>`) and comments are not.
fn closes_beyond(inl: &Inline) -> bool {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let InlineKind::Tag { name, open, close } = &inl.kind else {
        return false;
    };
    close.is_empty()
        && (!inl.span.is_empty()
            || (!name.is_empty()
                && !VOID.contains(&name.as_str())
                && open.starts_with('<')
                && !open.starts_with("<!")
                && !open.starts_with("<?")
                && !open.trim_end().ends_with("/>")))
}

/// Whether the writer replaces the segment's text with its translation.
fn replaced(s: &Segment) -> bool {
    s.translation.as_deref().is_some_and(|t| t != s.text)
}

/// The segments of `b` that the writers use (in order, inside the text, not overlapping), as
/// indices into `b.segments`.
fn usable_segments(b: &Block) -> Vec<usize> {
    let mut pos = 0;
    let mut out = Vec::with_capacity(b.segments.len());
    for (i, s) in b.segments.iter().enumerate() {
        if s.span.start < pos || s.span.end > b.text.len() || s.span.start > s.span.end {
            continue;
        }
        pos = s.span.end;
        out.push(i);
    }
    out
}

/// The pieces of inline elements that lie inside each segment of `block` and must be placed in
/// its translation: per segment (indexed like `block.segments`), the element's index in
/// `block.inlines` and the piece's byte range in the segment's text. An element that covers a
/// whole segment has no piece there (it goes around the whole translation); one that runs over
/// several segments has a piece where it starts and one where it ends.
pub(crate) fn segment_pieces(block: &Block) -> Vec<Vec<(usize, Range<usize>)>> {
    let mut out = vec![Vec::new(); block.segments.len()];
    let segs = usable_segments(block);
    if block.inlines.is_empty() || segs.is_empty() {
        return out;
    }
    let span = |i: usize| block.segments[i].span.clone();
    // The usable segment whose span holds `p`: strictly inside, or (with `at_start`) at its start.
    let find = |p: usize, at_start: bool| -> Option<usize> {
        let k = segs.partition_point(|&i| span(i).end <= p);
        let &i = segs.get(k)?;
        let r = span(i);
        ((r.start < p || (at_start && r.start == p)) && p < r.end).then_some(i)
    };
    for (k, inl) in block.inlines.iter().enumerate() {
        let (a, b) = (inl.span.start, inl.span.end);
        if a > b || b > block.text.len() {
            continue;
        }
        if a == b {
            if let Some(i) = find(a, false) {
                let s = span(i).start;
                out[i].push((k, a - s..a - s));
            }
            continue;
        }
        let first = find(a, true);
        if let Some(i) = first {
            let r = span(i);
            if !(a == r.start && b >= r.end) {
                out[i].push((k, a - r.start..b.min(r.end) - r.start));
            }
        }
        // The segment the element ends in (strictly after its start, up to its end).
        let k_end = segs.partition_point(|&i| span(i).end < b);
        if let Some(&i) = segs.get(k_end) {
            let r = span(i);
            if Some(i) != first && r.start < b && b < r.end {
                out[i].push((k, 0..b - r.start));
            }
        }
    }
    out
}

/// How an element was put in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    /// Where its words are (by the engine, or found in the translation).
    Exact,
    /// Around the words at about the same place: its own words could not be found.
    Moved,
}

/// Words (maximal runs of non-whitespace) of `text` with their byte ranges.
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

/// Above this length a translation is searched through an index of where the pieces' words
/// occur (one pass), not once per piece.
const INDEX_FROM: usize = 4096;

/// The place of the pieces of one segment in its translation.
struct SegmentFit<'a> {
    src: &'a str,
    tr: &'a str,
    src_words: Vec<Range<usize>>,
    tr_words: Vec<Range<usize>>,
    cursor: usize,
    /// The pieces (byte ranges of `src`) whose words may be looked for.
    pieces: Vec<Range<usize>>,
    /// For a long translation: every place where the words of each piece occur in it, by
    /// words (built on the first search).
    found: std::cell::OnceCell<std::collections::HashMap<&'a str, Vec<usize>>>,
}

impl<'a> SegmentFit<'a> {
    fn new(src: &'a str, tr: &'a str, pieces: Vec<Range<usize>>) -> Self {
        SegmentFit {
            src,
            tr,
            src_words: words(src),
            tr_words: words(tr),
            cursor: 0,
            pieces,
            found: std::cell::OnceCell::new(),
        }
    }

    /// Where the words of every piece occur in the translation (overlaps included).
    fn occurrences(&self) -> &std::collections::HashMap<&'a str, Vec<usize>> {
        self.found.get_or_init(|| {
            let mut patterns: Vec<&'a str> = self
                .pieces
                .iter()
                .filter_map(|r| self.src.get(r.clone()))
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            patterns.sort_unstable();
            patterns.dedup();
            let mut out: std::collections::HashMap<&'a str, Vec<usize>> =
                patterns.iter().map(|p| (*p, Vec::new())).collect();
            if let Ok(ac) = aho_corasick::AhoCorasick::new(&patterns) {
                for m in ac.find_overlapping_iter(self.tr) {
                    if let Some(list) = out.get_mut(patterns[m.pattern().as_usize()]) {
                        list.push(m.start());
                    }
                }
            }
            out
        })
    }

    /// Places the piece `r` of the source (an empty range is a point).
    fn place(&mut self, r: &Range<usize>) -> (Range<usize>, Fit) {
        if r.is_empty() {
            return (self.point(r.start), Fit::Moved);
        }
        if self.src.get(r.clone()).is_some_and(|p| p.trim().is_empty()) {
            // Only blanks: the piece is where the segment ends or starts.
            let at = if r.end >= self.src.len() {
                self.tr.len()
            } else {
                0
            };
            return (at..at, Fit::Exact);
        }
        if let Some(found) = self.find(r).or_else(|| self.by_position(r)) {
            self.cursor = found.end;
            return (found, Fit::Exact);
        }
        (self.proportional(r), Fit::Moved)
    }

    /// The piece's words, found in the translation at word boundaries: first after the
    /// previous piece, else anywhere.
    fn find(&self, r: &Range<usize>) -> Option<Range<usize>> {
        let piece = self.src.get(r.clone())?;
        let words = piece.trim();
        if words.is_empty() {
            return None;
        }
        // At word boundaries, unless the piece is glued to a word in the source too (part of
        // a word there, it may be part of one in the translation).
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let lead = r.start + (piece.len() - piece.trim_start().len());
        let src_before = alnum(self.src[..lead].chars().next_back());
        let src_after = alnum(self.src[lead + words.len()..].chars().next());
        let boundary = |at: usize, end: usize| {
            let glued_before =
                alnum(words.chars().next()) && alnum(self.tr[..at].chars().next_back());
            let glued_after =
                alnum(words.chars().next_back()) && alnum(self.tr[end..].chars().next());
            (!glued_before || src_before) && (!glued_after || src_after)
        };
        let search = |from: usize| {
            if self.tr.len() > INDEX_FROM {
                let list = self.occurrences().get(words)?;
                let k = list.partition_point(|&at| at < from);
                return list[k..]
                    .iter()
                    .copied()
                    .find(|&at| boundary(at, at + words.len()));
            }
            self.tr
                .get(from..)?
                .match_indices(words)
                .map(|(i, _)| from + i)
                .find(|&at| boundary(at, at + words.len()))
        };
        let at = search(self.cursor).or_else(|| search(0))?;
        Some(at..at + words.len())
    }

    /// Word for word (a translation with as many words as the source, as transliteration
    /// gives): the words at the same positions, less the same trailing punctuation.
    fn by_position(&self, r: &Range<usize>) -> Option<Range<usize>> {
        let (src, dst) = (&self.src_words, &self.tr_words);
        if src.len() != dst.len() {
            return None;
        }
        let first = src.partition_point(|w| w.start < r.start);
        if src.get(first).is_none_or(|w| w.start != r.start) {
            return None;
        }
        // The word that holds the piece's end.
        let last = src.partition_point(|w| w.end < r.end);
        if src.get(last).is_none_or(|w| w.start >= r.end) || last < first {
            return None;
        }
        let tail = &self.src[r.end..src[last].end];
        if tail.chars().any(char::is_alphanumeric) {
            return None;
        }
        let to = dst[last].end;
        let to = if self.tr[..to].ends_with(tail) {
            to - tail.len()
        } else {
            self.tr[..to]
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .len()
        };
        (to > dst[first].start).then(|| dst[first].start..to)
    }

    /// The index of the source word that holds or follows byte `p`.
    fn word_at(&self, p: usize) -> usize {
        self.src_words.partition_point(|w| w.end <= p)
    }

    /// The target words at the same relative place as the source words of `r` (at least one
    /// word; the whole translation when it has none).
    fn proportional(&self, r: &Range<usize>) -> Range<usize> {
        let (n, m) = (self.src_words.len().max(1), self.tr_words.len());
        if m == 0 {
            return 0..self.tr.len();
        }
        let first = self.word_at(r.start);
        let last = self.word_at(r.end.saturating_sub(1)).max(first);
        let a = (first * m / n).min(m - 1);
        let b = ((last + 1) * m).div_ceil(n).clamp(a + 1, m);
        self.tr_words[a].start..self.tr_words[b - 1].end
    }

    /// A point at the same relative place: after the target word that corresponds to the last
    /// source word that starts before it (before that word's final punctuation if the point
    /// stood before the source word's), or at the start.
    fn point(&self, p: usize) -> Range<usize> {
        let before = self.src_words.partition_point(|w| w.start < p);
        let (n, m) = (self.src_words.len().max(1), self.tr_words.len());
        if before == 0 || m == 0 {
            return 0..0;
        }
        let k = (before * m).div_ceil(n).clamp(1, m);
        let word = &self.tr_words[k - 1];
        let mut at = word.end;
        let w = &self.src_words[before - 1];
        let tail = self.src.get(p.min(w.end)..w.end).unwrap_or_default();
        if !tail.is_empty() && !tail.chars().any(char::is_alphanumeric) {
            let stem = self.tr[word.clone()].trim_end_matches(|c: char| !c.is_alphanumeric());
            at = word.start + stem.len().max(1).min(word.len());
            while !self.tr.is_char_boundary(at) {
                at += 1;
            }
        }
        at..at
    }
}

/// `r` without the blanks at its ends; `None` if nothing else is in it.
fn trim(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let t = text.get(r.clone())?;
    let inner = t.trim();
    if inner.is_empty() {
        return None;
    }
    let start = r.start + (t.len() - t.trim_start().len());
    Some(start..start + inner.len())
}

/// Sets an element's range, noting that it moved.
type Mover<'a> = dyn FnMut(usize, Range<usize>, &mut [Range<usize>]) + 'a;

/// Makes the ranges of `siblings` (elements side by side in the source) not overlap where the
/// words allow: one that starts inside another starts after it (or the other ends before it);
/// one that lies inside another takes the words after it, or the other gives up its words
/// after it, or they share its words half and half. Elements with no text are left alone.
fn separate(
    siblings: &[usize],
    spans: &[Range<usize>],
    text: &str,
    to_end: &dyn Fn(usize) -> bool,
    ranges: &mut [Range<usize>],
    moved: &mut Mover<'_>,
) {
    let mut sorted: Vec<usize> = siblings
        .iter()
        .copied()
        .filter(|&k| !spans[k].is_empty())
        .collect();
    // One pass compares each element with the one before it; an element that gave up its
    // first words to another now starts later, so passes repeat (sorted anew) until nothing
    // moves (a few at most in practice; bounded).
    for _ in 0..8 {
        sorted.sort_by_key(|&k| (ranges[k].start, std::cmp::Reverse(ranges[k].end)));
        let before: Vec<Range<usize>> = sorted.iter().map(|&k| ranges[k].clone()).collect();
        separate_ranges(&sorted, spans, text, ranges, moved);
        if sorted.iter().zip(&before).all(|(&k, r)| ranges[k] == *r) {
            break;
        }
    }
    // An element with no text that fell inside a sibling goes to the nearer end of it.
    sorted.sort_by_key(|&k| (ranges[k].start, std::cmp::Reverse(ranges[k].end)));
    for &k in siblings.iter().filter(|&&k| spans[k].is_empty()) {
        let p = ranges[k].start;
        let i = sorted.partition_point(|&s| ranges[s].start < p);
        let Some(&s) = i.checked_sub(1).and_then(|i| sorted.get(i)) else {
            continue;
        };
        let mut r = ranges[s].clone();
        if to_end(s) {
            r.end = text.len();
        }
        if r.start < p && p < r.end {
            let at = if to_end(s) || p - r.start <= r.end - p {
                r.start
            } else {
                r.end
            };
            moved(k, at..at, ranges);
        }
    }
}

/// [`separate`] for the elements with text, sorted by start.
fn separate_ranges(
    sorted: &[usize],
    spans: &[Range<usize>],
    text: &str,
    ranges: &mut [Range<usize>],
    moved: &mut Mover<'_>,
) {
    if sorted.len() < 2 {
        return;
    }
    let mut last: Option<usize> = None;
    for &c in sorted {
        let Some(p) = last else {
            last = Some(c);
            continue;
        };
        let (pr, cr) = (ranges[p].clone(), ranges[c].clone());
        if cr.start >= pr.end {
            last = Some(c);
            continue;
        }
        if cr.end > pr.end {
            // Crossing: the later one starts after the earlier, or the earlier ends before it.
            if let Some(t) = trim(text, pr.end..cr.end) {
                moved(c, t, ranges);
            } else if let Some(t) = trim(text, pr.start..cr.start) {
                moved(p, t, ranges);
            }
            last = Some(c);
            continue;
        }
        // Inside: it takes the words after it, the other keeps those before it…
        if let (Some(before), Some(after)) =
            (trim(text, pr.start..cr.start), trim(text, cr.end..pr.end))
        {
            // Both sides have words: the other keeps the longer side.
            if before.len() >= after.len() {
                moved(p, before, ranges);
            } else {
                moved(p, after, ranges);
                last = Some(p);
                continue;
            }
        } else if let Some(before) = trim(text, pr.start..cr.start) {
            moved(p, before, ranges);
        } else if let Some(after) = trim(text, cr.end..pr.end) {
            moved(p, after, ranges);
            last = Some(p);
            continue;
        } else {
            // Same words: share them, the earlier in the source first.
            let words: Vec<Range<usize>> = words(&text[cr.clone()])
                .into_iter()
                .map(|w| cr.start + w.start..cr.start + w.end)
                .collect();
            let (first, second) = if spans[p].start <= spans[c].start {
                (p, c)
            } else {
                (c, p)
            };
            if words.len() >= 2 {
                let half = words.len() / 2;
                moved(first, words[0].start..words[half - 1].end, ranges);
                moved(
                    second,
                    words[half].start..words[words.len() - 1].end,
                    ranges,
                );
                last = Some(second);
                continue;
            }
            // One word for two: the later one takes the word after it, or the earlier one the
            // word before it (the next pass keeps them apart from the others).
            let end = cr.end.max(cr.start);
            if let Some(w) = self::words(&text[end..]).first() {
                moved(second, end + w.start..end + w.end, ranges);
                last = Some(second);
                continue;
            }
            if let Some(w) = self::words(&text[..cr.start]).pop() {
                moved(first, w, ranges);
                last = Some(second);
                continue;
            }
        }
        last = Some(c);
    }
}

/// Makes the elements of `siblings` that were left open when their block ended run to the end
/// of `text`, so that no link ends up inside another: a sibling that came before one in the
/// source and reaches past its start (both holding links) ends before it if it has words
/// there, else the other starts after it.
fn to_the_end(
    siblings: &[usize],
    spans: &[Range<usize>],
    runs_to_end: &dyn Fn(usize) -> bool,
    links: &[bool],
    text: &str,
    ranges: &mut [Range<usize>],
    moved: &mut Mover<'_>,
) {
    let len = text.len();
    for &k in siblings.iter().filter(|&&k| runs_to_end(k)) {
        for &s in siblings {
            if s == k || spans[s].start >= spans[k].start || !(links[s] && links[k]) {
                continue;
            }
            let (sr, kr) = (ranges[s].clone(), ranges[k].clone());
            if sr.end.max(sr.start) <= kr.start {
                continue;
            }
            if spans[s].is_empty() {
                moved(s, kr.start..kr.start, ranges);
            } else if let Some(t) = trim(text, sr.start..kr.start.max(sr.start)) {
                moved(s, t, ranges);
            } else if trim(text, sr.end.max(kr.start).min(len)..len).is_some() {
                let start = sr.end.max(kr.start).min(len);
                moved(k, start..len, ranges);
            } else {
                // The earlier one holds every word left: they share them, it first; or, with
                // one word only, it takes the word before the other (from a sibling that has
                // more than one).
                let ws: Vec<Range<usize>> = words(&text[sr.clone()])
                    .into_iter()
                    .map(|w| sr.start + w.start..sr.start + w.end)
                    .collect();
                if ws.len() >= 2 {
                    let half = ws.len() / 2;
                    moved(s, ws[0].start..ws[half - 1].end, ranges);
                    moved(k, ws[half].start..len, ranges);
                } else if let Some(w) = words(&text[..kr.start]).pop() {
                    let holder = siblings.iter().copied().find(|&t| {
                        t != s && t != k && ranges[t].start <= w.start && w.end <= ranges[t].end
                    });
                    match holder {
                        None => moved(s, w, ranges),
                        Some(t) => {
                            if let Some(rest) = trim(text, ranges[t].start..w.start) {
                                moved(t, rest, ranges);
                                moved(s, w, ranges);
                            }
                        }
                    }
                }
            }
        }
        ranges[k].end = len;
    }
}

/// Where every inline element of a block goes in its output text.
struct Layout {
    /// The block's text with translated segments in place (not escaped).
    text: String,
    /// Per element (indexed like `Block::inlines`): its range in `text`.
    ranges: Vec<Range<usize>>,
    /// Per element: how well it was placed.
    fit: Vec<Fit>,
    /// Per element: its parent element, if any.
    parents: Vec<Option<usize>>,
    /// Elements parents first (outer before inner; at one place, points first).
    order: Vec<usize>,
    /// Per element: the segment (index in `Block::segments`) its place was decided in.
    segment: Vec<Option<usize>>,
    /// Elements with no text that stood between blanks in the source, placed right before a
    /// word of the translation: a blank goes after them.
    pad: Vec<bool>,
    /// Where each part of `text` comes from, in order: (start in `text`, the block's text
    /// from that byte on, or the translation of that segment), so that the writer hands its
    /// escape function slices of the block's text and of the translations themselves.
    origins: Vec<(usize, Origin)>,
    /// Per code element: the range of `text` holding its own text, which its markup replaces
    /// (`None`: the code goes in as a point, and no text is replaced).
    code_text: Vec<Option<Range<usize>>>,
    /// Per code element put in as a point: whether a blank goes before it and after it.
    code_pad: Vec<(bool, bool)>,
}

/// Where a part of a [`Layout`]'s text comes from.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// The block's text, from this byte on.
    Block(usize),
    /// The translation of this segment (index in `Block::segments`).
    Translation(usize),
}

fn layout(b: &Block) -> Layout {
    let n = b.inlines.len();
    let segs = usable_segments(b);
    // The output text, and for every usable segment where its output starts.
    let mut text = String::with_capacity(b.text.len() + 16);
    let mut out_start = vec![0usize; b.segments.len()];
    // (source end, shift after it) per usable segment, for positions outside replaced text.
    let mut shifts: Vec<(usize, isize)> = Vec::with_capacity(segs.len());
    let mut origins: Vec<(usize, Origin)> = vec![(0, Origin::Block(0))];
    let mut pos = 0;
    for &i in &segs {
        let s = &b.segments[i];
        if !replaced(s) {
            out_start[i] = text.len() + (s.span.start - pos);
            continue;
        }
        text.push_str(&b.text[pos..s.span.start]);
        out_start[i] = text.len();
        origins.push((text.len(), Origin::Translation(i)));
        text.push_str(s.output());
        pos = s.span.end;
        origins.push((text.len(), Origin::Block(pos)));
        shifts.push((s.span.end, text.len() as isize - pos as isize));
    }
    text.push_str(&b.text[pos.min(b.text.len())..]);
    let direct = |p: usize| -> usize {
        let k = shifts.partition_point(|&(end, _)| end <= p);
        let shift = if k == 0 { 0 } else { shifts[k - 1].1 };
        (p as isize + shift).max(0) as usize
    };

    let spans: Vec<Range<usize>> = b.inlines.iter().map(|i| i.span.clone()).collect();
    let parents = crate::backend::span_parents(&spans);
    let order = crate::backend::span_order(&spans);

    let mut ranges: Vec<Range<usize>> = spans
        .iter()
        .map(|r| direct(r.start)..direct(r.end))
        .collect();
    let mut fit = vec![Fit::Exact; n];
    let mut segment: Vec<Option<usize>> = vec![None; n];
    let mut started = vec![false; n];
    let mut pad = vec![false; n];
    for (i, pieces) in segment_pieces(b).into_iter().enumerate() {
        let s = &b.segments[i];
        if pieces.is_empty() || !replaced(s) {
            continue;
        }
        let tr = s.output();
        let mut fitter =
            SegmentFit::new(&s.text, tr, pieces.iter().map(|(_, r)| r.clone()).collect());
        let engine = (s.inline_places.len() == pieces.len()).then_some(&s.inline_places);
        for (j, (k, piece)) in pieces.iter().enumerate() {
            let k = *k;
            let given = engine
                .and_then(|e| e[j].clone())
                .filter(|r| r.start <= r.end && r.end <= tr.len())
                .filter(|r| r.is_empty() == piece.is_empty())
                .filter(|r| tr.is_char_boundary(r.start) && tr.is_char_boundary(r.end))
                .and_then(|r| if r.is_empty() { Some(r) } else { trim(tr, r) });
            let (r, f) = match given {
                // The engine's place, unless it cut the piece's own words, found unchanged
                // right there (`#4` of which the engine kept only `4` inside the element).
                Some(r) if !r.is_empty() => {
                    let own = s.text.get(piece.clone()).unwrap_or_default().trim();
                    let found = (tr.get(r.clone()) != Some(own))
                        .then(|| fitter.find(piece))
                        .flatten()
                        .filter(|f| f.start <= r.end && r.start <= f.end);
                    (found.unwrap_or(r), Fit::Exact)
                }
                Some(r) => (r, Fit::Exact),
                None => fitter.place(piece),
            };
            let o = out_start[i];
            let whole = spans[k].clone();
            let seg = &s.span;
            if whole.is_empty() {
                // Between blanks in the source: after the blank in the translation too.
                let src = &s.text;
                let free = src[..piece.start].ends_with(char::is_whitespace)
                    && src[piece.start..].starts_with(char::is_whitespace);
                let mut at = r.start;
                if is_line_break(&b.inlines[k]) {
                    at = break_place(tr, at);
                } else if free {
                    at += tr[at..].len() - tr[at..].trim_start().len();
                    pad[k] = at < tr.len() && tr[..at].ends_with(char::is_whitespace);
                }
                ranges[k] = o + at..o + at;
            } else {
                // Where the element starts inside this segment, its start is the piece's; where
                // it ends inside it, its end is the piece's.
                if whole.start >= seg.start && !started[k] {
                    ranges[k].start = o + r.start;
                    started[k] = true;
                }
                if whole.end < seg.end || (whole.end == seg.end && whole.start >= seg.start) {
                    ranges[k].end = o + r.end;
                }
            }
            fit[k] = fit[k].max(f);
            segment[k].get_or_insert(i);
        }
    }
    // A parent holds its children: where the words of a child were placed exactly just beside
    // the place of its parent (an engine that lost the parent's blank around some of its
    // words), the parent grows to hold them (children first, so that growth goes all the way
    // up).
    for &k in order.iter().rev() {
        let Some(p) = parents[k] else { continue };
        if spans[k].is_empty() || spans[p].is_empty() || fit[k] != Fit::Exact {
            continue;
        }
        let (r, pr) = (ranges[k].clone(), ranges[p].clone());
        // Only a child right beside its parent (nothing but blanks and punctuation between):
        // words found farther away may be other words.
        let gap = if r.start >= pr.end {
            text.get(pr.end..r.start)
        } else if r.end <= pr.start {
            text.get(r.end..pr.start)
        } else {
            Some("")
        };
        let beside = gap.is_some_and(|g| !g.chars().any(char::is_alphanumeric));
        if !r.is_empty() && beside && (r.start < pr.start || r.end > pr.end) {
            ranges[p] = r.start.min(pr.start)..r.end.max(pr.end);
        }
    }
    // Keep children inside their parents, and elements that were side by side in the source
    // side by side (a link never ends up inside another). An element whose closing tag is not in
    // this block (it was left open when the block ended) runs to the end.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for &k in &order {
        match parents[k] {
            Some(p) => children[p].push(k),
            None => roots.push(k),
        }
    }
    let mut moved = |k: usize, r: Range<usize>, ranges: &mut [Range<usize>]| {
        if ranges[k] != r {
            ranges[k] = r;
            fit[k] = Fit::Moved;
        }
    };
    let runs_to_end = |k: usize| !spans[k].is_empty() && closes_beyond(&b.inlines[k]);
    separate(&roots, &spans, &text, &runs_to_end, &mut ranges, &mut moved);
    // Which elements are links or hold one (children come after their parents in `order`).
    let mut links: Vec<bool> = b
        .inlines
        .iter()
        .map(|i| matches!(&i.kind, InlineKind::Tag { name, .. } if name == "a"))
        .collect();
    for &k in order.iter().rev() {
        if let Some(p) = parents[k] {
            links[p] |= links[k];
        }
    }
    to_the_end(
        &roots,
        &spans,
        &runs_to_end,
        &links,
        &text,
        &mut ranges,
        &mut moved,
    );
    // Parents first: when an element is reached its range is final; its children are put
    // inside it, then set side by side.
    for &k in &order {
        let pr = ranges[k].clone();
        for &c in &children[k] {
            let r = ranges[c].clone();
            let clamped = if spans[c].is_empty() {
                let at = r.start.clamp(pr.start, pr.end);
                at..at
            } else {
                // Wholly outside its parent: the parent's word nearest to where it was.
                let a = r.start.max(pr.start);
                let b = r.end.min(pr.end).max(a);
                trim(&text, a..b).unwrap_or_else(|| {
                    let inner = words(text.get(pr.clone()).unwrap_or_default());
                    let pick = if r.start >= pr.end {
                        inner.last()
                    } else {
                        inner.first()
                    };
                    pick.map_or(pr.clone(), |w| pr.start + w.start..pr.start + w.end)
                })
            };
            if clamped != r {
                segment[c] = segment[c].or(segment[k]);
                moved(c, clamped, &mut ranges);
            }
        }
        separate(
            &children[k],
            &spans,
            &text,
            &runs_to_end,
            &mut ranges,
            &mut moved,
        );
        // One left open when the block ended runs to the end (its parent does too).
        to_the_end(
            &children[k],
            &spans,
            &runs_to_end,
            &links,
            &text,
            &mut ranges,
            &mut moved,
        );
    }
    for r in &mut ranges {
        r.end = r.end.max(r.start);
    }
    // Code stands in place of its own text only: where the translation does not have that
    // text at its place, the code goes in at the start of the place as a point, and the words
    // there stay.
    let mut code_text: Vec<Option<Range<usize>>> = vec![None; n];
    let mut code_pad = vec![(false, false); n];
    for (k, inl) in b.inlines.iter().enumerate() {
        if matches!(inl.kind, InlineKind::Code { .. }) && !ranges[k].is_empty() {
            let own = b.text.get(inl.span.clone()).unwrap_or_default();
            let here = text.get(ranges[k].clone()).unwrap_or_default();
            if same_words(own, here) {
                code_text[k] = Some(ranges[k].clone());
            } else {
                let at = ranges[k].start;
                ranges[k] = at..at;
                fit[k] = Fit::Moved;
                // Put in between words, it gets the blanks that keep it apart from them.
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                code_pad[k] = (
                    word(text[..at].chars().next_back()),
                    word(text[at..].chars().next()),
                );
            }
        }
    }
    // An element with text that reaches into code's own text holds the whole code (its markup
    // replaces that text, which would otherwise leave the element without its words).
    let matched: Vec<Range<usize>> = code_text.iter().flatten().cloned().collect();
    if !matched.is_empty() {
        for k in 0..n {
            if spans[k].is_empty() || code_text[k].is_some() || ranges[k].is_empty() {
                continue;
            }
            let mut r = ranges[k].clone();
            for c in &matched {
                if r.start < c.end && c.start < r.end {
                    r = r.start.min(c.start)..r.end.max(c.end);
                }
            }
            if r != ranges[k] {
                ranges[k] = r;
                fit[k] = Fit::Moved;
            }
        }
    }
    Layout {
        text,
        ranges,
        fit,
        parents,
        order,
        segment,
        pad,
        origins,
        code_text,
        code_pad,
    }
}

/// Whether two texts have the same words (blanks may differ).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// One step of writing the tags of a block: at a byte of the output text, an element's
/// opening tag, closing tag, or whole (an element with no text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Close(usize),
    Point(usize),
    Open(usize),
}

/// The tags of `l` in writing order, each with the byte of the output text it goes before.
/// Events are sorted by place: at one place, closing tags (inner first; an element with no
/// text that belongs inside a parent closing there, just before that parent's tag), then
/// elements with no text that belong to neither, then opening tags (outer first; an element
/// with no text that belongs right inside a parent opening there, just after it). An element
/// asked to close while one opened inside it is still open closes right after that one: its
/// range grows, and it counts as moved.
fn steps(b: &Block, l: &mut Layout) -> Vec<(usize, Step)> {
    let n = b.inlines.len();
    let mut rank = vec![0usize; n];
    for (i, &k) in l.order.iter().enumerate() {
        rank[k] = i;
    }
    // The last element (by rank) of each element's subtree: its descendants are the ranks
    // between its own and that one.
    let mut subtree_end: Vec<usize> = rank.clone();
    for &k in l.order.iter().rev() {
        if let Some(p) = l.parents[k] {
            subtree_end[p] = subtree_end[p].max(subtree_end[k]);
        }
    }
    const MAX: usize = usize::MAX;
    // An element with text opens and closes around its range; one with no text (or one left
    // with no range of text, as code put in as a point) is written whole at its place.
    let paired_v: Vec<bool> = (0..n)
        .map(|k| !b.inlines[k].span.is_empty() && !l.ranges[k].is_empty())
        .collect();
    let paired = |k: usize| paired_v[k];
    let mut events: Vec<(usize, u8, usize, usize, u8, usize, Step)> = Vec::with_capacity(2 * n);
    for k in 0..n {
        let r = l.ranges[k].clone();
        if paired(k) {
            // Over the same words, code is innermost (its markup replaces them).
            let code = matches!(b.inlines[k].kind, InlineKind::Code { .. });
            let depth = if code { MAX / 2 + rank[k] } else { rank[k] };
            events.push((r.end, 0, MAX - r.start, MAX - depth, 1, 0, Step::Close(k)));
            events.push((r.start, 2, MAX - r.end, depth, 0, 0, Step::Open(k)));
            continue;
        }
        let x = r.start;
        let event = match l.parents[k].filter(|&p| paired(p)) {
            Some(p) if l.ranges[p].end == x && l.ranges[p].start < x => {
                let pr = &l.ranges[p];
                (
                    x,
                    0,
                    MAX - pr.start,
                    MAX - rank[p],
                    0,
                    rank[k],
                    Step::Point(k),
                )
            }
            Some(p) if l.ranges[p].start == x => {
                let pr = &l.ranges[p];
                (x, 2, MAX - pr.end, rank[p], 1, rank[k], Step::Point(k))
            }
            _ => (x, 1, 0, 0, 0, rank[k], Step::Point(k)),
        };
        events.push(event);
    }
    events.sort_unstable();
    // An element whose closing tag lies beyond this block (it has none here) may only open where
    // every element open at that point has its closing tag beyond the block too: otherwise
    // the closing tag of that one would come inside it. It waits until then.
    let unclosed = |k: usize| closes_beyond(&b.inlines[k]);
    let mut out = Vec::with_capacity(events.len());
    let mut stack: Vec<usize> = Vec::new();
    let mut closing_here = 0usize;
    let mut waiting: Vec<usize> = Vec::new();
    let mut pending = vec![false; n];
    let mut opened = vec![false; n];
    let mut open_at = vec![0usize; n];
    let mut closed = vec![false; n];
    let pop = |stack: &mut Vec<usize>, closing_here: &mut usize| {
        let top = stack.pop();
        if top.is_some_and(|t| !unclosed(t)) {
            *closing_here -= 1;
        }
        top
    };
    let release = |x: usize,
                   stack: &mut Vec<usize>,
                   waiting: &mut Vec<usize>,
                   opened: &mut [bool],
                   out: &mut Vec<(usize, Step)>,
                   l: &mut Layout| {
        for w in waiting.drain(..) {
            l.ranges[w].start = x;
            l.fit[w] = Fit::Moved;
            if b.inlines[w].span.is_empty() {
                l.ranges[w].end = x;
                out.push((x, Step::Point(w)));
                continue;
            }
            stack.push(w);
            opened[w] = true;
            out.push((x, Step::Open(w)));
        }
    };
    for (x, _, _, _, _, _, step) in events {
        match step {
            Step::Close(k) if closed[k] => {}
            Step::Close(k) if stack.last() != Some(&k) => {
                if opened[k] {
                    l.fit[k] = Fit::Moved;
                }
                // Elements opened inside it, still open, that are not its own: it closes
                // before the first of them opened, if it holds text by then; else after them.
                let at = stack.iter().rposition(|&t| t == k);
                let early = at.and_then(|i| {
                    let above = &stack[i + 1..];
                    let first = *above.first()?;
                    let own = above
                        .iter()
                        .any(|&t| rank[k] < rank[t] && rank[t] <= subtree_end[k]);
                    (!unclosed(k) && !own && open_at[k] < open_at[first]).then_some((i, first))
                });
                match early {
                    Some((i, first)) => {
                        let pos = out
                            .iter()
                            .rposition(|&(_, s)| s == Step::Open(first))
                            .unwrap_or(out.len());
                        let x0 = open_at[first];
                        out.insert(pos, (x0, Step::Close(k)));
                        stack.remove(i);
                        closing_here -= 1;
                        l.ranges[k].end = x0;
                    }
                    None => pending[k] = true,
                }
                continue;
            }
            Step::Close(_) => {
                pop(&mut stack, &mut closing_here);
                out.push((x, step));
                while let Some(&top) = stack.last().filter(|&&t| pending[t]) {
                    pop(&mut stack, &mut closing_here);
                    l.ranges[top].end = x;
                    out.push((x, Step::Close(top)));
                }
                if closing_here == 0 {
                    release(x, &mut stack, &mut waiting, &mut opened, &mut out, l);
                }
            }
            Step::Open(k) if unclosed(k) && closing_here > 0 => {
                // The elements open above the last one that closes beyond may close here
                // early if each already holds text; else this one waits for them.
                let from = stack
                    .iter()
                    .rposition(|&t| unclosed(t))
                    .map_or(0, |i| i + 1);
                if waiting.is_empty() && stack[from..].iter().all(|&t| open_at[t] < x) {
                    while stack.len() > from {
                        if let Some(t) = pop(&mut stack, &mut closing_here) {
                            closed[t] = true;
                            l.ranges[t].end = x;
                            l.fit[t] = Fit::Moved;
                            out.push((x, Step::Close(t)));
                        }
                    }
                    stack.push(k);
                    opened[k] = true;
                    open_at[k] = x;
                    out.push((x, step));
                } else if waiting.is_empty() && stack[from..].iter().all(|&t| open_at[t] == x) {
                    // None of them holds text yet: this one opens before them instead.
                    let first = stack[from];
                    let at = out
                        .iter()
                        .rposition(|&(_, s)| s == Step::Open(first))
                        .unwrap_or(out.len());
                    out.insert(at, (x, step));
                    stack.insert(from, k);
                    opened[k] = true;
                    open_at[k] = x;
                } else {
                    waiting.push(k);
                }
            }
            Step::Open(k) => {
                if !unclosed(k) {
                    closing_here += 1;
                }
                stack.push(k);
                opened[k] = true;
                open_at[k] = x;
                out.push((x, step));
            }
            Step::Point(k) if unclosed(k) && (closing_here > 0 || !waiting.is_empty()) => {
                waiting.push(k)
            }
            Step::Point(_) => out.push((x, step)),
        }
    }
    let end = l.text.len();
    loop {
        if closing_here == 0 && !waiting.is_empty() {
            release(end, &mut stack, &mut waiting, &mut opened, &mut out, l);
        }
        let Some(top) = pop(&mut stack, &mut closing_here) else {
            break;
        };
        l.ranges[top].end = end;
        out.push((end, Step::Close(top)));
    }
    out
}

/// The inline elements of `block` that could not be put exactly where their words went in the
/// translation (they are kept around the nearest words, at worst the whole sentence), each
/// with the segment (index in `block.segments`) it is reported on.
pub(crate) fn moved_inlines(block: &Block) -> Vec<(usize, &Inline)> {
    if block.inlines.is_empty() || !block.segments.iter().any(replaced) {
        return Vec::new();
    }
    let mut l = layout(block);
    steps(block, &mut l);
    let mut out: Vec<(usize, &Inline)> = l
        .order
        .iter()
        .filter(|&&k| l.fit[k] == Fit::Moved)
        .filter_map(|&k| Some((l.segment[k]?, &block.inlines[k])))
        .collect();
    out.sort_by_key(|(s, _)| *s);
    out
}

/// Writes a block's text with translations in place and its inline tags put back (see the
/// comment above [`tag_marks`]): every element comes out once, with both its tags, and the
/// tags nest; code is written as it was read in place of its text. `esc` is given slices of the
/// block's text (for text outside translations) and of the translations themselves.
pub(crate) fn render_block(b: &Block, esc: &dyn Fn(&str) -> String) -> String {
    render_block_lines(b, &|s, _| esc(s))
}

/// [`render_block`], with `esc` also told whether its slice starts a line: it comes right
/// after the markup of a line break ([`is_line_break`]), so what would start a block there
/// must be escaped. The blanks of a translation on either side of a line break are left out
/// (the break's markup holds its own).
pub(crate) fn render_block_lines(b: &Block, esc: &dyn Fn(&str, bool) -> String) -> String {
    let mut l = layout(b);
    let steps = if b.inlines.is_empty() {
        Vec::new()
    } else {
        steps(b, &mut l)
    };
    let mut out = String::with_capacity(l.text.len() + 32 * b.inlines.len());
    let mut pos = 0;
    // Whether the byte `p` of the output text is part of a translation.
    let translated = |p: usize| {
        let k = l.origins.partition_point(|(start, _)| *start <= p);
        k > 0 && matches!(l.origins[k - 1].1, Origin::Translation(_))
    };
    // Writes the text from `pos` to `to` through `esc`, one slice per origin; the first is
    // said to start a line when `line_start`.
    let write = |out: &mut String, pos: usize, to: usize, line_start: bool| {
        let mut at = pos;
        let mut line_start = line_start;
        while at < to {
            let k = l.origins.partition_point(|(start, _)| *start <= at) - 1;
            let (start, origin) = l.origins[k];
            let end = l.origins.get(k + 1).map_or(l.text.len(), |o| o.0).min(to);
            let slice = match origin {
                Origin::Block(from) => b.text.get(from + at - start..from + end - start),
                Origin::Translation(i) => b.segments[i].output().get(at - start..end - start),
            };
            match slice {
                Some(t) => out.push_str(&esc(t, line_start)),
                None => out.push_str(&esc(l.text.get(at..end).unwrap_or_default(), line_start)),
            }
            line_start = false;
            if end <= at {
                break;
            }
            at = end;
        }
    };
    // Right after a line break's markup: the next text starts a line.
    let mut line_start = false;
    for (x, step) in steps {
        let x = x.clamp(pos, l.text.len());
        let line_break = matches!(step, Step::Point(k) if is_line_break(&b.inlines[k]));
        if line_break {
            // A translation's blanks before the break are the break's.
            let mut to = x;
            while to > pos && translated(to - 1) {
                match l.text[..to].chars().next_back() {
                    Some(c) if c.is_whitespace() => to -= c.len_utf8(),
                    _ => break,
                }
            }
            if to > pos {
                write(&mut out, pos, to, line_start);
            }
            pos = x;
        } else if x > pos {
            write(&mut out, pos, x, line_start);
            pos = x;
        }
        line_start = false;
        match step {
            Step::Open(k) => {
                let (before, after) = l.code_pad[k];
                if before {
                    out.push(' ');
                }
                out.push_str(tag_marks(&b.inlines[k].kind).0);
                if after {
                    out.push(' ');
                }
                // Code: its markup as written stands in place of its own text (only that, and
                // only when it opens right where that text starts).
                if let Some(own) = l.code_text[k].as_ref().filter(|r| r.start == pos) {
                    pos = own.end.clamp(pos, l.text.len());
                }
            }
            Step::Close(k) => out.push_str(tag_marks(&b.inlines[k].kind).1),
            Step::Point(k) if line_break => {
                out.push_str(tag_marks(&b.inlines[k].kind).0);
                // And so are its blanks after it.
                while pos < l.text.len() && translated(pos) {
                    match l.text[pos..].chars().next() {
                        Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                        _ => break,
                    }
                }
                line_start = true;
            }
            Step::Point(k) => {
                let (open, close) = tag_marks(&b.inlines[k].kind);
                let (before, after) = l.code_pad[k];
                if before {
                    out.push(' ');
                }
                out.push_str(open);
                out.push_str(close);
                if after || (l.pad[k] && l.ranges[k].start == pos) {
                    out.push(' ');
                }
            }
        }
    }
    write(&mut out, pos, l.text.len(), line_start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::markup::escape_text;
    use crate::doc::{html, Document};
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// Sets one segment per sentence (split after `. `) and the translation `f` gives it.
    fn translate(doc: &mut Document, f: &mut dyn FnMut(&str) -> String) {
        for b in doc.blocks.iter_mut().filter(|b| b.kind.is_translatable()) {
            let mut start = 0;
            let mut segs = Vec::new();
            let text = b.text.clone();
            for (i, _) in text.match_indices(". ") {
                segs.push(start..i + 1);
                start = i + 2;
            }
            if start < text.len() {
                segs.push(start..text.len());
            }
            // Segments hold no blanks at their ends, as the segmenter's do.
            let segs: Vec<Range<usize>> = segs.into_iter().filter_map(|r| trim(&text, r)).collect();
            b.segments = segs
                .into_iter()
                .enumerate()
                .map(|(id, r)| {
                    let mut s = Segment::new(id, &text, r);
                    s.translation = Some(f(&s.text));
                    s
                })
                .collect();
        }
    }

    /// Checks that `xml` is well-formed (strict end tags) and counts its start tags by name.
    fn tags(xml: &str) -> std::collections::BTreeMap<String, usize> {
        let mut r = Reader::from_str(xml);
        let mut counts = std::collections::BTreeMap::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    *counts.entry(name).or_insert(0) += 1;
                }
                Ok(Event::Eof) => break,
                Err(e) => panic!("not well-formed ({e}): {xml}"),
                _ => {}
            }
        }
        counts
    }

    /// The text of `xml` (a fragment: end tags need not match), tags left out.
    fn text_of(xml: &str) -> String {
        let mut r = Reader::from_str(xml);
        r.config_mut().check_end_names = false;
        let mut out = String::new();
        loop {
            match r.read_event() {
                Ok(Event::Text(t)) => out.push_str(&t.unescape().unwrap_or_default()),
                // A line break ends a block of the HTML reader: words do not run across it.
                Ok(Event::Empty(e)) if e.name().as_ref() == b"br" => out.push(' '),
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        out
    }

    /// The number of `<a` elements of `xml` with text inside.
    fn links_with_text(xml: &str) -> usize {
        links_in(xml, true)
    }

    /// The number of `<a` elements of `xml` with text inside; with `flat`, none may be inside
    /// another (`usize::MAX` if one is).
    fn links_in(xml: &str, flat: bool) -> usize {
        let mut count = 0;
        let mut r = Reader::from_str(xml);
        let mut depth: Vec<(bool, bool)> = Vec::new();
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) => {
                    let is_a = e.name().as_ref() == b"a";
                    if flat && is_a && depth.iter().any(|d| d.0) {
                        // A link inside a link: no count can be right.
                        return usize::MAX;
                    }
                    depth.push((is_a, false));
                }
                Ok(Event::Text(t)) if !t.trim_ascii().is_empty() => {
                    for d in &mut depth {
                        d.1 = true;
                    }
                }
                Ok(Event::End(_)) => {
                    if let Some((is_a, text)) = depth.pop() {
                        count += usize::from(is_a && text);
                        if text {
                            if let Some(parent) = depth.last_mut() {
                                parent.1 = true;
                            }
                        }
                    }
                }
                Ok(Event::Eof) => break,
                Err(e) => panic!("{e}"),
                _ => {}
            }
        }
        count
    }

    fn page(body: &str) -> String {
        format!("<html><body>{body}</body></html>")
    }

    #[test]
    fn a_link_whose_words_changed_is_kept_and_reported() {
        let src = page("<p>Lea <a href=\"/x\" title=\"t\">el informe completo</a> hoy mismo.</p>");
        let mut doc = html::read("p.html", &src).unwrap();
        translate(&mut doc, &mut |s| match s {
            "t" => "t".into(),
            _ => "Read the whole report today.".into(),
        });
        let out = html::write(&doc);
        assert_eq!(tags(&out)["a"], 1, "{out}");
        assert!(out.contains("<a href=\"/x\" title=\"t\">"), "{out}");
        assert_eq!(links_with_text(&out), 1, "{out}");
        let p = doc.blocks.iter().find(|b| !b.inlines.is_empty()).unwrap();
        assert_eq!(moved_inlines(p).len(), 1);
    }

    #[test]
    fn an_image_link_stays_whole_and_in_place() {
        let src = page(
            "<p>Vea <a href=\"/i\"><img src=\"a.png\"></a> la foto y <a href=\"/j\"><img src=\"b.png\"/><br/></a></p>",
        );
        let mut doc = html::read("p.html", &src).unwrap();
        let p = doc.blocks.iter().find(|b| !b.inlines.is_empty()).unwrap();
        assert_eq!(p.inlines.len(), 2, "{:?}", p.inlines);
        translate(&mut doc, &mut |_| "See the photo and".into());
        let out = html::write(&doc);
        assert!(
            out.contains("<a href=\"/i\"><img src=\"a.png\"></a>"),
            "{out}"
        );
        assert!(
            out.ends_with("and<a href=\"/j\"><img src=\"b.png\"/><br/></a></p></body></html>")
                || out.contains("and <a href=\"/j\"><img src=\"b.png\"/><br/></a></p>"),
            "{out}"
        );
    }

    #[test]
    fn an_element_over_two_sentences_opens_in_one_and_closes_in_the_other() {
        let src = page("<p>Primera frase. <em>Segunda frase. Tercera</em> frase.</p>");
        let mut doc = html::read("p.html", &src).unwrap();
        translate(&mut doc, &mut |s| match s {
            "Primera frase." => "First sentence.".into(),
            "Segunda frase." => "Second sentence.".into(),
            _ => "Third sentence.".into(),
        });
        let out = html::write(&doc);
        assert!(
            out.contains("<p>First sentence. <em>Second sentence. Third</em> sentence.</p>"),
            "{out}"
        );
    }

    #[test]
    fn crossing_engine_places_still_nest() {
        let src = page("<p>Uno <a href=\"/a\">dos tres</a> <b>cuatro cinco</b> seis.</p>");
        let mut doc = html::read("p.html", &src).unwrap();
        translate(&mut doc, &mut |_| "one two three four five six.".into());
        let p = doc
            .blocks
            .iter_mut()
            .find(|b| !b.inlines.is_empty())
            .unwrap();
        // The engine says the link went to "two three four" and the bold to "four five".
        p.segments[0].inline_places = vec![Some(4..18), Some(14..23)];
        let out = html::write(&doc);
        tags(&out);
        assert_eq!(links_with_text(&out), 1, "{out}");
        assert!(out.contains("<a href=\"/a\">two three "), "{out}");
        let p = doc.blocks.iter().find(|b| !b.inlines.is_empty()).unwrap();
        assert!(!moved_inlines(p).is_empty());
    }

    #[test]
    fn pieces_of_a_segment_are_what_the_engine_is_asked_to_follow() {
        let src = page("<p>Uno <a href=\"/a\">dos <i>tres</i></a>. <span>Cuatro cinco.</span> Seis <em>siete. Ocho</em> nueve<img src=\"x\">.</p>");
        let doc = html::read("p.html", &src).unwrap();
        let mut doc = doc;
        translate(&mut doc, &mut |s| s.to_uppercase());
        let p = doc.blocks.iter().find(|b| !b.inlines.is_empty()).unwrap();
        let pieces = segment_pieces(p);
        let texts: Vec<Vec<&str>> = pieces
            .iter()
            .zip(&p.segments)
            .map(|(ps, s)| ps.iter().map(|(_, r)| &s.text[r.clone()]).collect())
            .collect();
        // The span covers its whole sentence: nothing to place there.
        assert_eq!(
            texts,
            vec![
                vec!["tres", "dos tres"],
                vec![],
                vec!["siete."],
                vec!["Ocho", ""]
            ]
        );
        let out = html::write(&doc);
        assert!(out.contains("<span>CUATRO CINCO.</span>"), "{out}");
        assert!(
            out.contains("<em>SIETE. OCHO</em> NUEVE<img src=\"x\">."),
            "{out}"
        );
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
            (self.next() % n as u64) as usize
        }
    }

    fn random_paragraph(rng: &mut Rng) -> String {
        const WORDS: &[&str] = &[
            "casa",
            "roja",
            "perro",
            "Juan",
            "come",
            "de",
            "la",
            "grande",
            "Tayikistán",
            "ayer",
        ];
        const TAGS: &[&str] = &["a", "em", "b", "span", "i"];
        let mut out = String::from("<p>");
        let mut open: Vec<&str> = Vec::new();
        for _ in 0..(5 + rng.below(40)) {
            match rng.below(10) {
                0 | 1 if open.len() < 6 => {
                    let mut t = TAGS[rng.below(TAGS.len())];
                    if t == "a" && open.contains(&"a") {
                        t = "span";
                    }
                    if t == "a" {
                        out.push_str(&format!("<a href=\"/{}\">", rng.below(100)));
                    } else {
                        out.push_str(&format!("<{t}>"));
                    }
                    open.push(t);
                }
                2 if !open.is_empty() => {
                    out.push_str(&format!("</{}>", open.pop().unwrap_or("span")));
                }
                3 => out.push_str(["<img src=\"x.png\"/>", "<br/>"][rng.below(2)]),
                5 if rng.below(3) == 0 => {
                    // Code (no engine translates it: its words stay as they are).
                    let n = rng.below(100);
                    out.push_str(&format!("<code>zq{n} zq{}</code> ", n + 1));
                }
                4 => out.push_str(". "),
                _ => {
                    out.push_str(WORDS[rng.below(WORDS.len())]);
                    out.push(' ');
                }
            }
        }
        out.push_str("fin.");
        while let Some(t) = open.pop() {
            out.push_str(&format!("</{t}>"));
        }
        out.push_str("</p>");
        out
    }

    #[test]
    fn any_translation_and_any_engine_places_give_well_formed_output_with_every_tag() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..2000 {
            let src = page(&random_paragraph(&mut rng));
            let want = tags(&src);
            let mut doc = html::read("r.html", &src).unwrap();
            translate(&mut doc, &mut |s| {
                let mut w: Vec<&str> = s.split_whitespace().collect();
                let n = w.len();
                for i in 0..n {
                    w.swap(i, rng.below(n));
                }
                // Words move and an engine may add one; none is dropped (a link whose words
                // are all gone has nothing left to hold).
                if rng.below(3) == 0 {
                    w.insert(rng.below(n + 1), "PLUS");
                }
                w.iter()
                    .map(|w| {
                        if w.starts_with("zq") {
                            w.to_string()
                        } else {
                            w.to_uppercase()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            for b in &mut doc.blocks {
                let pieces = segment_pieces(b);
                for (s, ps) in b.segments.iter_mut().zip(pieces) {
                    if round % 2 == 0 {
                        let len = s.output().len();
                        s.inline_places = ps
                            .iter()
                            .map(|(_, r)| {
                                let a = rng.below(len + 1);
                                let z = if r.is_empty() {
                                    a
                                } else {
                                    (a + 1 + rng.below(len + 1)).min(len)
                                };
                                (z > a || r.is_empty()).then_some(a..z)
                            })
                            .collect();
                    }
                }
            }
            let out = html::write(&doc);
            assert_eq!(tags(&out), want, "round {round}: {src}\n→ {out}");
            // Nothing of the translation is lost or written twice; only code put in where its
            // own words were not found adds its letters. (Letters are counted: an element put
            // in may change the blanks around it, and engine places at random fall anywhere.)
            let units =
                |t: &str| -> Vec<char> { t.chars().filter(|c| !c.is_whitespace()).collect() };
            for blk in doc.blocks.iter().filter(|b| b.kind.is_translatable()) {
                let written = text_of(&render_block(blk, &escape_text));
                let mut left = units(&written);
                for c in units(&blk.translated_text()) {
                    let at = left.iter().position(|x| *x == c);
                    assert!(at.is_some(), "round {round}: `{c}` lost: {src}\n→ {out}");
                    if let Some(at) = at {
                        left.remove(at);
                    }
                }
                assert!(
                    left.iter().all(|c| "zq0123456789".contains(*c)),
                    "round {round}: added {left:?}: {src}\n→ {out}"
                );
            }
            assert_eq!(
                // Engine places at random may leave no way to keep links apart; the writer's
                // own places always do.
                links_in(&out, round % 2 == 1),
                links_with_text(&src),
                "round {round}: {src}\n→ {out}"
            );
        }
    }
}
