//! The TSV pair reader: one unit per line, `source<TAB>target`. It gives two documents of
//! record blocks with the same line numbers, block `i` of the target translating block `i`
//! of the source.

use crate::doc::{numbered_lines, Block, BlockKind, Document, Format};
use crate::error::{Error, Result};

/// Reads TSV pairs. Blank lines are skipped; a line without a tab is an error. Target
/// blocks carry the source column and the tab as their prefix, so byte columns count from
/// the start of the line.
pub fn read(origin: &str, text: &str) -> Result<(Document, Document)> {
    let mut source = Document::new(Format::Text, origin);
    let mut target = Document::new(Format::Text, origin);
    for (no, line) in numbered_lines(text) {
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let Some((s, t)) = line.split_once('\t') else {
            return Err(Error::Parse {
                origin: origin.to_string(),
                line: no,
                message: "expected `source<TAB>target`".into(),
            });
        };
        let t = t.split('\t').next().unwrap_or(t);
        source.blocks.push(Block::new(BlockKind::Record, s, no));
        let mut tb = Block::new(BlockKind::Record, t, no);
        tb.prefix = format!("{s}\t");
        target.blocks.push(tb);
    }
    if source.blocks.is_empty() {
        return Err(Error::EmptyInput {
            origin: origin.to_string(),
        });
    }
    Ok((source, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_lines() {
        let (s, t) = read("p.tsv", "Hallo Welt.\tHello world.\n\nZwei.\t\n").unwrap();
        assert_eq!(s.blocks.len(), 2);
        assert_eq!(t.blocks[0].text, "Hello world.");
        assert_eq!(t.blocks[1].line, 3);
        assert_eq!(t.blocks[1].text, "");
        assert!(read("p.tsv", "no tab here\n").is_err());
    }
}
