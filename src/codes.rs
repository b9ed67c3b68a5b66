//! Codes in running text: the parts that no engine may change — format placeholders
//! (`%s`, `%1$d`, `%(name)s`, `{0}`, `{name}`, `{{ name }}`, `{% tag %}`, `%name%`, `${name}`,
//! Qt's `%1`), URLs and e-mail addresses.
//!
//! This is a stage between the segmenter and the engines: [`mark`] turns every such run of a
//! block's text into an [`InlineKind::Code`] element, the kind the readers already give to
//! inline code (Markdown backticks, HTML `<code>`, XLIFF `<ph>`). From there the engines and the
//! inline-markup path keep it byte for byte, as they keep inline code, and the writers write it
//! as it was read.
//!
//! What counts as a placeholder depends on the format: in software catalogues (PO, XLIFF) the
//! printf, brace, template and Symfony forms are placeholders by convention; in news formats
//! (text, Markdown, HTML, feeds, JSONL) `%i` in "100%ige" or `{sic}` in a quote are words, so
//! only URLs and e-mail addresses are protected there.

use std::ops::Range;

use crate::doc::{Block, Document, Format, Inline, InlineKind};
use crate::qa::pairs;

/// Marks the verbatim runs of every block of `doc` as inline code (see the module doc).
///
/// Runs that overlap inline code already there, or that would cross an inline element's
/// boundary, are left alone: a placeholder is only protected when it can be one atom.
pub fn mark(doc: &mut Document) {
    let software = matches!(doc.format, Format::Po | Format::Xliff);
    for block in &mut doc.blocks {
        mark_block(block, software);
    }
}

/// [`mark`] for one block; `software` says whether placeholders count (PO, XLIFF).
pub fn mark_block(block: &mut Block, software: bool) {
    let runs = runs(&block.text, software);
    for run in runs {
        insert(block, run);
    }
}

/// The verbatim runs of `text`, in order, none overlapping (an earlier or longer run wins).
pub fn runs(text: &str, software: bool) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    found.extend(pairs::urls(text));
    found.extend(pairs::emails(text));
    if software {
        found.extend(templates(text));
        found.extend(percent_names(text));
        found.extend(dollar_braces(text));
        found.extend(pairs::braces(text));
        found.extend(pairs::printf(text));
        found.extend(qt_args(text));
    }
    // Longest first at each start, then keep what does not overlap a run already kept.
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for r in found {
        if r.is_empty() {
            continue;
        }
        if out.last().is_some_and(|l| r.start < l.end) {
            continue;
        }
        out.push(r);
    }
    out
}

/// Adds `run` to `block` as inline code, unless it overlaps code already there or crosses the
/// boundary of another inline element (or would contain one).
fn insert(block: &mut Block, run: Range<usize>) {
    let mut at = block.inlines.len();
    for (k, inl) in block.inlines.iter().enumerate() {
        let s = &inl.span;
        let overlaps = s.start < run.end && run.start < s.end;
        let is_code = matches!(inl.kind, InlineKind::Code { .. });
        if is_code && (overlaps || s == &run) {
            return;
        }
        // A point element (an image, a line break) inside the run would be swallowed.
        if s.is_empty() && run.start < s.start && s.start < run.end {
            return;
        }
        if overlaps {
            let contains_run = s.start <= run.start && run.end <= s.end;
            if !contains_run {
                return;
            }
        }
        // Document order: after every element that starts before the run or at its start
        // (those at its start either contain it or are points before its text).
        if at == block.inlines.len() && s.start > run.start {
            at = k;
        }
    }
    let Some(raw) = block.text.get(run.clone()) else {
        return;
    };
    let code = Inline {
        kind: InlineKind::Code {
            raw: raw.to_string(),
        },
        span: run,
    };
    block.inlines.insert(at, code);
}

/// Template tags: `{{ name }}`, `{{name|filter}}`, `{{{raw}}}` (Twig, Jinja, Handlebars, Angular)
/// and `{% tag %}`, on one line, at most 100 bytes.
pub fn templates(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // Handlebars' raw form `{{{name}}}` first, so that its braces are taken whole.
    for (open, close) in [("{{{", "}}}"), ("{{", "}}"), ("{%", "%}")] {
        let mut from = 0;
        while let Some(k) = text[from..].find(open) {
            let start = from + k;
            let inner = start + open.len();
            match text[inner..].find(close) {
                Some(e) if e <= 100 && !text[inner..inner + e].contains(['\n', '{', '}']) => {
                    let end = inner + e + close.len();
                    out.push(start..end);
                    from = end;
                }
                _ => from = inner,
            }
        }
    }
    out
}

/// Symfony- and Drupal-style named parameters between percent signs: `%name%`, `%count%`,
/// `%user.name%` (a letter or `_` first, no spaces).
pub fn percent_names(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        let first = b.get(i + 1).copied().unwrap_or(b' ');
        if !(first.is_ascii_alphabetic() || first == b'_') {
            i += 1;
            continue;
        }
        let len = b[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
            .count();
        if b.get(i + 1 + len) == Some(&b'%') && len <= 40 {
            out.push(i..i + len + 2);
            i += len + 2;
        } else {
            i += 1;
        }
    }
    out
}

/// Shell- and JavaScript-style substitutions: `${name}`, `${count}` (no spaces or braces
/// inside, at most 40 bytes).
pub fn dollar_braces(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("${") {
        let inner = at + 2;
        if let Some(e) = text[inner..].find('}') {
            let name = &text[inner..inner + e];
            if !name.is_empty() && e <= 40 && !name.contains([' ', '{', '\n']) {
                out.push(at..inner + e + 1);
            }
        }
    }
    out
}

/// Qt- and KDE-style numbered arguments: `%1` … `%99` (not followed by a letter or digit,
/// so `%1$s` is printf's and `%1x` is nothing).
pub fn qt_args(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (at, _) in text.match_indices('%') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if (1..=2).contains(&digits) && b[at + 1] != b'0' {
            let end = at + 1 + digits;
            let next = b.get(end).copied().unwrap_or(b' ');
            if !(next.is_ascii_alphanumeric() || next == b'$') {
                out.push(at..end);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, software: bool) -> Vec<&str> {
        runs(text, software).into_iter().map(|r| &text[r]).collect()
    }

    /// Every run starts and ends on a character boundary, whatever stands around it (wide
    /// spaces, accented letters, CJK), and no input makes the search panic.
    #[test]
    fn runs_on_character_boundaries() {
        let text =
            "\u{a0}ftp://é.org\u{a0}%n\u{e9}%\u{3000}{{ é }}ü{x}%1é${é}ö@é.org \u{2009}a@b.cé%(é)s";
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for &a in &cuts {
            for &b in cuts.iter().filter(|&&b| b >= a) {
                let piece = &text[a..b];
                for software in [false, true] {
                    for r in runs(piece, software) {
                        assert!(piece.get(r.clone()).is_some(), "{piece:?} {r:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn software_placeholders_are_runs() {
        assert_eq!(
            texts("This value should be of type {{ type }}.", true),
            ["{{ type }}"]
        );
        assert_eq!(
            texts(
                "%count% files in {0} of {name} by %s and %(user)s, %1$d",
                true
            ),
            ["%count%", "{0}", "{name}", "%s", "%(user)s", "%1$d"]
        );
        assert_eq!(
            texts("Copy %1 to %2 ({% trans %}) ${HOME} {{{raw}}}", true),
            ["%1", "%2", "{% trans %}", "${HOME}", "{{{raw}}}"]
        );
        // Not placeholders: spaced braces, a lone percent, `%%`.
        assert!(texts("{not a placeholder} 50 % of 100%% done", true).is_empty());
    }

    #[test]
    fn news_text_keeps_its_words() {
        // In news formats only URLs and addresses are verbatim.
        assert_eq!(
            texts(
                "100%ige Sicherheit {sic} per %s: see https://example.org/a?b=1. or mail a.b@example.com.",
                false
            ),
            ["https://example.org/a?b=1", "a.b@example.com"]
        );
    }

    #[test]
    fn overlapping_runs_keep_the_longest() {
        // `%name%` starts with printf's `%n`; the named parameter wins.
        assert_eq!(texts("%name% and %d", true), ["%name%", "%d"]);
        // A URL holding braces is one run.
        assert_eq!(
            texts("at https://x.org/{id}/view now", true),
            ["https://x.org/{id}/view"]
        );
    }

    fn block(text: &str, inlines: Vec<Inline>) -> Block {
        let mut b = Block::new(crate::doc::BlockKind::Paragraph, text.to_string(), 1);
        b.inlines = inlines;
        b
    }

    fn tag(span: Range<usize>) -> Inline {
        Inline {
            kind: InlineKind::Tag {
                name: "b".into(),
                open: "<b>".into(),
                close: "</b>".into(),
            },
            span,
        }
    }

    #[test]
    fn codes_nest_inside_tags_and_never_cross_them() {
        // <b> around "Hello {name}" and around "and %" (22..27).
        let text = "Hello {name}, see {0} and %d";
        let mut b = block(text, vec![tag(0..12), tag(22..27)]);
        mark_block(&mut b, true);
        let spans: Vec<(Range<usize>, bool)> = b
            .inlines
            .iter()
            .map(|i| (i.span.clone(), matches!(i.kind, InlineKind::Code { .. })))
            .collect();
        // `{name}` nests in the first tag (after it), `{0}` lies between the tags, and `%d`
        // (26..28) crosses the second tag's end, so it is left alone.
        assert_eq!(
            spans,
            [
                (0..12, false),
                (6..12, true),
                (18..21, true),
                (22..27, false)
            ]
        );
        for i in &b.inlines {
            if let InlineKind::Code { raw } = &i.kind {
                assert_eq!(raw, &text[i.span.clone()]);
            }
        }
    }

    #[test]
    fn existing_code_and_points_are_respected() {
        let text = "Run {cmd} now {x}";
        let code = Inline {
            kind: InlineKind::Code {
                raw: "`{cmd}`".into(),
            },
            span: 4..9,
        };
        let img = Inline {
            kind: InlineKind::Tag {
                name: "img".into(),
                open: "<img/>".into(),
                close: String::new(),
            },
            span: 16..16,
        };
        let mut b = block(text, vec![code.clone(), img.clone()]);
        mark_block(&mut b, true);
        // `{cmd}` is code already; `{x}` (14..17) would swallow the image at 16: left alone.
        assert_eq!(b.inlines, vec![code, img]);
    }
}
