//! Line-aligned text: a source and a target with one sentence (or a few) per line and the
//! same lines in the same order, as most bilingual exports and test sets are. Such files are
//! checked line pair by line pair (alignment happens within each pair), so a sentence merged
//! with its neighbour on the same line is a merge, never a drop far away.
//!
//! A sentence torn over two lines of the target (one line ends without sentence punctuation,
//! the next starts mid-sentence) is a `fragment`; with the torn lines joined, a target with
//! one line more than its source is line-aligned again.

use crate::doc::{Block, BlockKind, Document, Format};

use super::{CheckKind, Finding, Severity};

/// One non-blank line of a document: its 1-based line number, its text and the text before
/// it on its line (the block's layout prefix on a block's first line).
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub no: usize,
    /// The line without its line break.
    pub text: String,
    /// What stands before `text` on the line.
    pub lead: String,
}

/// The non-blank lines of the translatable blocks of `doc`.
pub fn lines(doc: &Document) -> Vec<Line> {
    let mut out = Vec::new();
    for b in doc.blocks.iter().filter(|b| b.kind.is_translatable()) {
        for (k, l) in b.text.split('\n').enumerate() {
            let l = l.trim_end_matches('\r');
            if l.trim().is_empty() {
                continue;
            }
            let lead = if k == 0 {
                b.prefix.rsplit('\n').next().unwrap_or("").to_string()
            } else {
                String::new()
            };
            out.push(Line {
                no: b.line + k,
                text: l.to_string(),
                lead,
            });
        }
    }
    out
}

/// Whether a line ends a sentence (or a quotation, or a bracket after one).
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with([
        '.', '!', '?', '…', ':', ';', '"', '”', '“', '»', '«', '’', '\'', ')', ']', '。', '؟',
    ])
}

/// Whether a line starts in the middle of a sentence: a lowercase letter, a comma or a
/// closing bracket.
fn starts_mid_sentence(line: &str) -> bool {
    line.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || matches!(c, ',' | ';' | ')' | ']'))
}

/// Whether `lines` look like one sentence (or a few) per line: at least two lines, and at
/// least two in three of them end a sentence (hard-wrapped prose ends few of its lines so).
pub fn sentence_per_line(lines: &[Line]) -> bool {
    lines.len() >= 2
        && lines.iter().filter(|l| ends_sentence(&l.text)).count() * 3 >= lines.len() * 2
}

/// The indices `i` of lines torn from the next one: `lines[i]` ends no sentence and
/// `lines[i + 1]` goes on mid-sentence.
pub fn torn(lines: &[Line]) -> Vec<usize> {
    (0..lines.len().saturating_sub(1))
        .filter(|&i| {
            !ends_sentence(&lines[i].text)
                && starts_mid_sentence(&lines[i + 1].text)
                && lines[i + 1].no == lines[i].no + 1
        })
        .collect()
}

/// The fragment finding of the line `lines[i]` torn from the next.
pub fn torn_finding(lines: &[Line], i: usize) -> Finding {
    let (a, b) = (&lines[i], &lines[i + 1]);
    let first = a.text.trim();
    let start = a.lead.len() + (a.text.len() - a.text.trim_start().len());
    let joined = format!("{} {}", first, b.text.trim());
    let shown: String = first.chars().take(40).collect();
    Finding {
        check: CheckKind::Fragment,
        severity: Severity::Error,
        target_line: Some(a.no),
        source_line: None,
        target_span: Some(start..start + first.len()),
        text: format!("{} / {}", first, b.text.trim()),
        message: format!(
            "torn sentence: `{shown}{}` is no sentence and goes on in line {}",
            if shown.len() < first.len() {
                " …"
            } else {
                ""
            },
            b.no
        ),
        suggestion: Some(joined),
    }
}

/// Line units of a source and a target text: two documents of one block per line (torn
/// target lines joined) paired block by block, and the fragment findings of the torn lines.
pub struct LineUnits {
    /// The source lines as blocks.
    pub source: Document,
    /// The target lines as blocks (a torn sentence's two lines in one block).
    pub target: Document,
    /// Block `i` of the source with block `i` of the target.
    pub pairs: Vec<(Option<usize>, Option<usize>)>,
    /// One finding per torn target line.
    pub torn: Vec<Finding>,
}

/// The line units of `source` and `target` when both are plain text with one sentence per
/// line and the same number of lines (once torn target lines are joined), else `None`.
pub fn line_units(source: &Document, target: &Document) -> Option<LineUnits> {
    if source.format != Format::Text || target.format != Format::Text {
        return None;
    }
    let (sl, tl) = (lines(source), lines(target));
    if !sentence_per_line(&sl) || !sentence_per_line(&tl) || tl.len() < sl.len() {
        return None;
    }
    let tears = if tl.len() == sl.len() {
        Vec::new()
    } else {
        let t = torn(&tl);
        (t.len() == tl.len() - sl.len()).then_some(t)?
    };
    let block = |l: &Line, text: &str| {
        let mut b = Block::new(BlockKind::Paragraph, text, l.no);
        b.prefix = l.lead.clone();
        b
    };
    let mut sdoc = Document::new(Format::Text, source.origin.clone());
    sdoc.blocks = sl.iter().map(|l| block(l, &l.text)).collect();
    let mut tdoc = Document::new(Format::Text, target.origin.clone());
    let mut i = 0;
    while i < tl.len() {
        if tears.contains(&i) {
            let text = format!("{}\n{}", tl[i].text, tl[i + 1].text);
            tdoc.blocks.push(block(&tl[i], &text));
            i += 2;
        } else {
            tdoc.blocks.push(block(&tl[i], &tl[i].text));
            i += 1;
        }
    }
    let pairs = (0..sdoc.blocks.len()).map(|i| (Some(i), Some(i))).collect();
    let torn = tears.iter().map(|&i| torn_finding(&tl, i)).collect();
    Some(LineUnits {
        source: sdoc,
        target: tdoc,
        pairs,
        torn,
    })
}

/// The torn lines of a target checked alone, when its lines are otherwise whole sentences.
pub fn torn_in_target(target: &Document) -> Vec<Finding> {
    if target.format != Format::Text {
        return Vec::new();
    }
    let tl = lines(target);
    if !sentence_per_line(&tl) {
        return Vec::new();
    }
    torn(&tl)
        .into_iter()
        .map(|i| torn_finding(&tl, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn a_torn_line_is_joined_and_reported() {
        let s = doc::parse(
            Format::Text,
            "s",
            "Erster Satz.\nDer zweite Satz ist lang.\nDritter Satz.\n",
        )
        .unwrap();
        let t = doc::parse(
            Format::Text,
            "t",
            "First sentence.\nThe second sentence\nis long.\nThird sentence.\n",
        )
        .unwrap();
        let u = line_units(&s, &t).expect("line-aligned");
        assert_eq!(u.target.blocks.len(), 3);
        assert_eq!(u.target.blocks[1].text, "The second sentence\nis long.");
        assert_eq!(u.torn.len(), 1);
        assert_eq!(u.torn[0].target_line, Some(2));
        assert_eq!(
            u.torn[0].suggestion.as_deref(),
            Some("The second sentence is long.")
        );
        assert_eq!(torn_in_target(&t).len(), 1);
    }

    #[test]
    fn hard_wrapped_prose_is_not_line_aligned() {
        let s = doc::parse(Format::Text, "s", "Ein langer Satz\nder umbrochen ist.\n").unwrap();
        let t = doc::parse(Format::Text, "t", "A long sentence\nthat is wrapped.\n").unwrap();
        assert!(line_units(&s, &t).is_none());
        assert!(torn_in_target(&t).is_empty());
    }
}
