//! Plain text: paragraphs separated by blank lines. A first paragraph of one short line with no
//! final punctuation is the title. Whitespace between paragraphs is kept exactly.

use super::{numbered_lines, Block, BlockKind, Document, Format};

/// Reads plain text into a document.
pub fn read(origin: &str, text: &str) -> Document {
    let mut doc = Document::new(Format::Text, origin);
    let mut pending_ws = String::new();
    let mut para: Option<(usize, String)> = None;
    for (no, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            if let Some((start, body)) = para.take() {
                push_paragraph(&mut doc, start, body, std::mem::take(&mut pending_ws));
            }
            pending_ws.push_str(line);
        } else {
            match &mut para {
                Some((_, body)) => body.push_str(line),
                None => para = Some((no, line.to_string())),
            }
        }
    }
    if let Some((start, body)) = para.take() {
        push_paragraph(&mut doc, start, body, std::mem::take(&mut pending_ws));
    }
    if let Some(last) = doc.blocks.last_mut() {
        last.suffix.push_str(&pending_ws);
    }
    doc
}

fn push_paragraph(doc: &mut Document, line: usize, body: String, before: String) {
    // Trailing newline(s) of the paragraph belong to the layout, not to the text.
    let text_len = body.trim_end_matches(['\n', '\r']).len();
    let (text, tail) = body.split_at(text_len);
    let is_title = doc.blocks.is_empty()
        && !text.contains('\n')
        && text.chars().count() <= 150
        && !text.trim_end().ends_with(['.', '!', '?', ':', ';', ',']);
    let kind = if is_title {
        BlockKind::Title
    } else {
        BlockKind::Paragraph
    };
    let mut block = Block::new(kind, text, line);
    block.prefix = before;
    block.suffix = tail.to_string();
    doc.blocks.push(block);
}

/// Writes a document as plain text, translations in place.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        out.push_str(&b.prefix);
        out.push_str(&b.translated_text());
        out.push_str(&b.suffix);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_exact() {
        let src =
            "\n\nTitel der Meldung\n\nErster Absatz.\nZweite Zeile.\n\n\n\nZweiter Absatz.\n\n";
        let doc = read("t", src);
        assert_eq!(doc.blocks.len(), 3);
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
        assert_eq!(doc.blocks[0].line, 3);
        assert_eq!(doc.blocks[1].text, "Erster Absatz.\nZweite Zeile.");
        assert_eq!(doc.blocks[1].line, 5);
        assert_eq!(doc.blocks[2].line, 10);
        assert_eq!(write(&doc), src);
    }

    #[test]
    fn no_trailing_newline() {
        let src = "Ein Satz. Noch einer.";
        let doc = read("t", src);
        assert_eq!(doc.blocks[0].kind, BlockKind::Paragraph);
        assert_eq!(write(&doc), src);
    }
}
