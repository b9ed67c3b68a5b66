//! Torn sentences: a paragraph (or list item) that does not end a sentence and is continued
//! by the following ones, which start in lowercase or with a comma — "This / news ticker on
//! … / is constantly updated." spread over three lines by a broken conversion.

use crate::doc::{Block, BlockKind, Document};

use super::{line_of, CheckKind, Finding, Severity};

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with([
        '.', '!', '?', '…', ':', ';', '"', '”', '“', '»', '«', '’', '\'', ')', ']', '。',
    ])
}

/// The text after layout: leading whitespace and list bullets skipped.
fn body(text: &str) -> &str {
    text.trim_start()
        .trim_start_matches(['•', '·', '▪', '*'])
        .trim_start()
}

fn continues(text: &str) -> bool {
    body(text)
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || matches!(c, ',' | ';' | ')' | ']'))
}

fn candidate(b: &Block) -> bool {
    matches!(
        b.kind,
        BlockKind::Paragraph | BlockKind::ListItem | BlockKind::Quote | BlockKind::Title
    ) && !b.text.trim().is_empty()
}

/// `text` cut to about `max` characters at a word boundary, with `…` if cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The pieces of a torn sentence joined back: one space between pieces, none after an
/// opening bracket or before a closing bracket or comma.
fn rejoin(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts.iter().map(|p| body(p)) {
        let glue = !out.is_empty()
            && !out.ends_with(['(', '[', '„', '“'])
            && !p.starts_with([',', ';', ')', ']', '.']);
        if glue {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// The torn sentences of `doc`, one finding per chain, at the chain's first line.
pub fn find(doc: &Document) -> Vec<Finding> {
    let blocks: Vec<&Block> = doc.blocks.iter().filter(|b| candidate(b)).collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k + 1 < blocks.len() {
        let first = blocks[k];
        if ends_sentence(&first.text) || !continues(&blocks[k + 1].text) {
            k += 1;
            continue;
        }
        // A name or title torn out of its sentence ("… as reported by the portal / The
        // Moscow Times / , among others.") starts the chain on the line before it.
        while k > 0
            && !ends_sentence(&blocks[k - 1].text)
            && blocks[k - 1].kind != BlockKind::Title
            && blocks[k - 1].text.trim_end().ends_with(char::is_lowercase)
        {
            k -= 1;
        }
        let first = blocks[k];
        let mut end = k + 1;
        while end + 1 < blocks.len()
            && !ends_sentence(&blocks[end].text)
            && continues(&blocks[end + 1].text)
        {
            end += 1;
        }
        let mut parts: Vec<&str> = blocks[k..=end].iter().map(|b| b.text.trim()).collect();
        if let Some(p) = parts.first_mut() {
            *p = p.rsplit('\n').next().unwrap_or(p).trim();
        }
        // The torn piece is the last line of the first block.
        let text = first.text.trim_end();
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let lead = text[line_start..].len() - text[line_start..].trim_start().len();
        let trimmed = text[line_start..].trim();
        let (line, col) = line_of(first, line_start + lead);
        let first_line_len = trimmed.len();
        let last_line = blocks[end].line + blocks[end].text.trim_end().matches('\n').count();
        out.push(Finding {
            check: CheckKind::Fragment,
            severity: Severity::Error,
            target_line: Some(line),
            source_line: None,
            target_span: Some(col..col + first_line_len),
            text: parts.join(" / "),
            message: format!(
                "torn sentence: `{}` is no sentence and continues down to line {last_line}",
                shorten(body(trimmed), 40)
            ),
            suggestion: Some(rejoin(&parts)),
        });
        k = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn torn_chain_is_one_finding() {
        let text = "Intro sentence.\n\n  • This\n\n    news ticker on the trip\n\n    is constantly updated.\n\nNext paragraph.\n";
        let d = doc::parse(doc::Format::Text, "t", text).unwrap();
        let f = find(&d);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].target_line, Some(3));
        assert_eq!(
            f[0].text,
            "• This / news ticker on the trip / is constantly updated."
        );
        assert_eq!(
            f[0].suggestion.as_deref(),
            Some("This news ticker on the trip is constantly updated.")
        );
        // Two spaces, then `• This` (the bullet is three bytes).
        assert_eq!(f[0].target_span, Some(2..10));
    }

    #[test]
    fn headings_and_whole_paragraphs_are_not_fragments() {
        let text = "Title line\n\nUpdate from June 28:\n\nVladimir Putin travels.\n\nAlso read\n\nNATO counters.\n";
        let d = doc::parse(doc::Format::Text, "t", text).unwrap();
        assert!(find(&d).is_empty());
    }
}
