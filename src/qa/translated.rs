//! QA in the translation loop: checks a document as the pipeline leaves it, each translated
//! block against its source text (the checker's unit-pair mode), with the languages the
//! pipeline knows.

use super::{Checker, Finding, Report};
use crate::doc::{Block, BlockKind, Document, Format, SegmentStatus};

/// A finding of [`Checker::check_translated`] with the block of the document it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockFinding {
    /// Index of the block in `document.blocks`.
    pub block: usize,
    /// The finding; lines are those of the written output (see
    /// [`Checker::check_translated`]).
    pub finding: Finding,
}

/// One checked block: where its text stands in the input, the output and the unit layout.
struct Unit {
    block: usize,
    input_line: usize,
    output_line: usize,
    first: usize,
    end: usize,
}

/// Whether the writer keeps the source text where it was and puts the translation elsewhere
/// (XLIFF `<target>`, PO `msgstr`): findings are then placed at the source entry.
pub fn places_at_source(format: Format) -> bool {
    matches!(format, Format::Xliff | Format::Po)
}

impl Checker {
    /// Checks a translated document: every translatable block with at least one translated
    /// segment is a unit, its text (the source) against its translated text. Lines in the
    /// findings are those of the rendered output — the block's input line, shifted by the
    /// lines that translations before it added or removed — except for XLIFF and PO, where
    /// both are the line of the source entry. Returns the report and, per finding, its block.
    pub fn check_translated(&self, document: &Document) -> (Report, Vec<BlockFinding>) {
        let mut source = Document::new(Format::Text, document.origin.clone());
        let mut target = Document::new(Format::Text, document.origin.clone());
        let mut units = Vec::new();
        let mut shift: isize = 0;
        let mut next = 1;
        for (i, b) in document.blocks.iter().enumerate() {
            if !b.kind.is_translatable() {
                continue;
            }
            let translated = b.translated_text();
            let (nl_src, nl_tgt) = (
                b.text.matches('\n').count(),
                translated.matches('\n').count(),
            );
            let output_line = if places_at_source(document.format) {
                b.line
            } else {
                b.line.saturating_add_signed(shift).max(1)
            };
            shift += nl_tgt as isize - nl_src as isize;
            if !b
                .segments
                .iter()
                .any(|s| s.status == SegmentStatus::Translated)
            {
                continue;
            }
            let unit_block = |text: &str| {
                let mut u = Block::new(BlockKind::Paragraph, text, next);
                // Columns on the block's first line count from the start of the line.
                u.prefix = b.prefix.rsplit('\n').next().unwrap_or_default().to_string();
                u
            };
            source.blocks.push(unit_block(&b.text));
            target.blocks.push(unit_block(&translated));
            let end = next + 1 + nl_src.max(nl_tgt);
            units.push(Unit {
                block: i,
                input_line: b.line,
                output_line,
                first: next,
                end,
            });
            next = end;
        }
        if units.is_empty() {
            return (Report::default(), Vec::new());
        }
        let pairs: Vec<_> = (0..units.len()).map(|i| (Some(i), Some(i))).collect();
        let mut report = self.check_units(&mut source, &mut target, &pairs);
        let unit_of = |line: usize| {
            units
                .binary_search_by(|u| {
                    if u.end <= line {
                        std::cmp::Ordering::Less
                    } else if u.first > line {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .ok()
                .map(|k| &units[k])
        };
        let mut placed = Vec::with_capacity(report.findings.len());
        for f in &mut report.findings {
            let Some(u) = f.target_line.or(f.source_line).and_then(unit_of) else {
                continue;
            };
            f.target_line = f.target_line.map(|l| u.output_line + (l - u.first));
            f.source_line = f.source_line.map(|l| u.input_line + (l - u.first));
            placed.push(BlockFinding {
                block: u.block,
                finding: f.clone(),
            });
        }
        (report, placed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{self, Format};
    use crate::qa::{CheckKind, CheckOptions};
    use crate::segment::Segmenter;

    /// Translates the segments of `text` found in `tr` (a stand-in for an engine).
    fn translated(text: &str, tr: &[(&str, &str)]) -> Document {
        let mut d = doc::parse(Format::Text, "t.txt", text).expect("parses");
        Segmenter::new(&Default::default()).segment_document(&mut d);
        for seg in d.segments_mut() {
            if let Some((_, t)) = tr.iter().find(|(s, _)| *s == seg.text) {
                seg.translation = Some((*t).to_string());
                seg.status = SegmentStatus::Translated;
            }
        }
        d
    }

    #[test]
    fn findings_land_on_their_block_and_output_line() {
        // The first block loses a line break in translation, so the second moves up a line.
        let d = translated(
            "Uno dos\ntres.\n\nEl perro.\n",
            &[
                ("Uno dos\ntres.", "One two three."),
                ("El perro.", "The the dog."),
            ],
        );
        let checker = Checker::new(CheckOptions::default());
        let (report, placed) = checker.check_translated(&d);
        let f = placed
            .iter()
            .find(|p| p.finding.check == CheckKind::RepeatedWord)
            .expect("repeated word found");
        assert_eq!(f.block, 1);
        assert_eq!(f.finding.target_line, Some(3));
        assert_eq!(report.findings.len(), placed.len());
    }

    #[test]
    fn untranslated_blocks_are_not_checked() {
        let d = translated("El el perro.\n", &[]);
        let (report, placed) = Checker::new(CheckOptions::default()).check_translated(&d);
        assert!(report.findings.is_empty() && placed.is_empty());
    }
}
