//! Large inputs in chunks: plain text cut at safe boundaries and JSONL read record by
//! record, so that `check` holds one chunk at a time, not the file.
//!
//! Text is cut at a blank line if the chunk has one, else after a line that ends a sentence,
//! else at any line break, else (a single long line) after a sentence end inside the line,
//! else at a space. A chunk knows the line and column where it starts, so findings point
//! into the file.

use std::io::{BufRead, Read};

use crate::doc::{Block, BlockKind, Document, Format};
use crate::error::{Error, Result};

use super::{CheckKind, Finding, Severity};

/// Bytes of text per chunk (a chunk may end earlier at a safe boundary).
pub const TEXT_CHUNK: usize = 256 * 1024;
/// JSONL records per chunk.
pub const JSONL_RECORDS: usize = 4096;
/// JSONL bytes per chunk.
pub const JSONL_BYTES: usize = 4 * 1024 * 1024;

/// A piece of a text input.
#[derive(Debug, Clone, PartialEq)]
pub struct TextChunk {
    /// The text.
    pub text: String,
    /// 1-based line of the file where it starts.
    pub line: usize,
    /// Byte column in that line where it starts.
    pub col: usize,
}

/// Text chunks of `reader`, each about `size` bytes.
pub struct TextChunks<R> {
    reader: R,
    origin: String,
    carry: Vec<u8>,
    line: usize,
    col: usize,
    size: usize,
    eof: bool,
}

impl<R: Read> TextChunks<R> {
    /// Chunks of about `size` bytes of `reader` (`origin` names it in errors).
    pub fn new(reader: R, origin: &str, size: usize) -> TextChunks<R> {
        TextChunks {
            reader,
            origin: origin.to_string(),
            carry: Vec::new(),
            line: 1,
            col: 0,
            size: size.max(64),
            eof: false,
        }
    }

    fn fill(&mut self) -> Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        while !self.eof && self.carry.len() < self.size {
            match self.reader.read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.carry.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(Error::Io {
                        origin: self.origin.clone(),
                        source,
                    })
                }
            }
        }
        Ok(())
    }
}

/// Where to cut `b` (more than `min` bytes in, if possible): see the module comment.
fn cut(b: &[u8], min: usize) -> usize {
    let after_min = |p: usize| p >= min;
    // A blank line.
    if let Some(p) = b
        .windows(2)
        .rposition(|w| w == b"\n\n")
        .map(|p| p + 2)
        .filter(|&p| after_min(p))
    {
        return p;
    }
    // A line break after a sentence end, then any line break.
    let ends = |p: usize| {
        let line = &b[..p];
        let trimmed = line
            .iter()
            .rposition(|c| !matches!(c, b' ' | b'\t' | b'\r'))
            .map(|i| line[i]);
        matches!(
            trimmed,
            Some(b'.' | b'!' | b'?' | b':' | b';' | b'"' | b')' | b']' | b'\'')
        ) || line.ends_with("”".as_bytes())
            || line.ends_with("»".as_bytes())
            || line.ends_with("…".as_bytes())
    };
    let breaks: Vec<usize> = b
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .map(|(i, _)| i)
        .collect();
    if let Some(&p) = breaks.iter().rev().find(|&&p| after_min(p + 1) && ends(p)) {
        return p + 1;
    }
    if let Some(&p) = breaks.iter().rev().find(|&&p| after_min(p + 1)) {
        return p + 1;
    }
    // Inside a long line: after a sentence end and a space, then at a space.
    if let Some(p) = b
        .windows(2)
        .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
        .map(|p| p + 2)
        .filter(|&p| after_min(p))
    {
        return p;
    }
    if let Some(p) = b
        .iter()
        .rposition(|c| *c == b' ')
        .map(|p| p + 1)
        .filter(|&p| after_min(p))
    {
        return p;
    }
    // No space at all: at the last character boundary.
    match std::str::from_utf8(b) {
        Ok(_) => b.len(),
        Err(e) if e.valid_up_to() + 4 > b.len() && e.valid_up_to() > 0 => e.valid_up_to(),
        Err(_) => b.len(),
    }
}

impl<R: Read> Iterator for TextChunks<R> {
    type Item = Result<TextChunk>;

    fn next(&mut self) -> Option<Result<TextChunk>> {
        if let Err(e) = self.fill() {
            return Some(Err(e));
        }
        if self.carry.is_empty() {
            return None;
        }
        let at = if self.eof && self.carry.len() <= self.size {
            self.carry.len()
        } else {
            // Within the first `size` bytes: a chunk is never larger than asked.
            let window = &self.carry[..self.size.min(self.carry.len())];
            cut(window, self.size / 4).max(1)
        };
        let rest = self.carry.split_off(at);
        let bytes = std::mem::replace(&mut self.carry, rest);
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return Some(Err(Error::Parse {
                    origin: self.origin.clone(),
                    line: self.line,
                    message: "the text is not UTF-8".into(),
                }))
            }
        };
        let chunk = TextChunk {
            text,
            line: self.line,
            col: self.col,
        };
        let breaks = chunk.text.matches('\n').count();
        if breaks > 0 {
            self.line += breaks;
            self.col = chunk.text.len() - chunk.text.rfind('\n').map_or(0, |i| i + 1);
        } else {
            self.col += chunk.text.len();
        }
        Some(Ok(chunk))
    }
}

/// The document of a text chunk, its lines those of the file. A chunk after the first
/// has no title.
pub fn text_document(origin: &str, chunk: &TextChunk) -> Option<Document> {
    if chunk.text.trim().is_empty() {
        return None;
    }
    let mut doc = crate::doc::parse(Format::Text, origin, &chunk.text).ok()?;
    for b in &mut doc.blocks {
        b.line += chunk.line - 1;
    }
    if chunk.line > 1 || chunk.col > 0 {
        if let Some(b) = doc
            .blocks
            .first_mut()
            .filter(|b| b.kind == BlockKind::Title)
        {
            b.kind = BlockKind::Paragraph;
        }
    }
    Some(doc)
}

/// Moves the findings on a chunk's first line to the chunk's column.
pub fn shift_columns(findings: &mut [Finding], chunk: &TextChunk) {
    if chunk.col == 0 {
        return;
    }
    for f in findings
        .iter_mut()
        .filter(|f| f.target_line == Some(chunk.line))
    {
        if let Some(s) = &mut f.target_span {
            *s = s.start + chunk.col..s.end + chunk.col;
        }
    }
}

/// The field names of bilingual JSONL records.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The source text (`text` in `translate`'s output).
    pub source: String,
    /// The target text (`translation`).
    pub target: String,
    /// Whether the target field was named on the command line (then records without it
    /// are not read as target-only text).
    pub target_given: bool,
}

/// A chunk of JSONL records as two documents of record blocks (lines those of the file),
/// paired unit by unit, and a `malformed` finding per line that is no JSON object.
pub struct JsonlChunk {
    /// Source texts (empty when the records have none).
    pub source: Document,
    /// Target texts.
    pub target: Document,
    /// (source block, target block) per record.
    pub pairs: Vec<(Option<usize>, Option<usize>)>,
    /// Whether the records hold source texts.
    pub bilingual: bool,
    /// Lines that could not be read.
    pub malformed: Vec<Finding>,
}

/// JSONL chunks of `reader`.
pub struct JsonlChunks<R> {
    reader: R,
    origin: String,
    fields: Fields,
    line: usize,
    done: bool,
}

impl<R: BufRead> JsonlChunks<R> {
    /// Chunks of the records of `reader`.
    pub fn new(reader: R, origin: &str, fields: Fields) -> JsonlChunks<R> {
        JsonlChunks {
            reader,
            origin: origin.to_string(),
            fields,
            line: 0,
            done: false,
        }
    }
}

fn malformed(line: usize, message: String) -> Finding {
    Finding {
        check: CheckKind::Malformed,
        severity: Severity::Error,
        target_line: Some(line),
        source_line: None,
        target_span: None,
        text: String::new(),
        message,
        suggestion: None,
    }
}

impl<R: BufRead> Iterator for JsonlChunks<R> {
    type Item = Result<JsonlChunk>;

    fn next(&mut self) -> Option<Result<JsonlChunk>> {
        if self.done {
            return None;
        }
        let mut source = Document::new(Format::Jsonl, self.origin.clone());
        let mut target = Document::new(Format::Jsonl, self.origin.clone());
        let mut records: Vec<(usize, Option<String>, Option<String>)> = Vec::new();
        let mut bad = Vec::new();
        let mut bytes = 0;
        let mut buf = Vec::new();
        while records.len() < JSONL_RECORDS && bytes < JSONL_BYTES {
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => bytes += n,
                Err(source) => {
                    self.done = true;
                    return Some(Err(Error::Io {
                        origin: self.origin.clone(),
                        source,
                    }));
                }
            }
            self.line += 1;
            let Ok(text) = std::str::from_utf8(&buf) else {
                bad.push(malformed(self.line, "the line is not UTF-8".into()));
                continue;
            };
            let text = text.trim_start_matches('\u{feff}').trim();
            if text.is_empty() {
                continue;
            }
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    bad.push(malformed(
                        self.line,
                        format!("the line is not valid JSON ({e}); it is skipped"),
                    ));
                    continue;
                }
            };
            let Some(obj) = value.as_object() else {
                bad.push(malformed(
                    self.line,
                    "the line is no JSON object; it is skipped".into(),
                ));
                continue;
            };
            let field = |name: &str| -> std::result::Result<Option<String>, String> {
                match obj.get(name) {
                    None | Some(serde_json::Value::Null) => Ok(None),
                    Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(format!("`{name}` is not a string; the record is skipped")),
                }
            };
            match (field(&self.fields.source), field(&self.fields.target)) {
                (Ok(s), Ok(t)) => records.push((self.line, s, t)),
                (Err(m), _) | (_, Err(m)) => bad.push(malformed(self.line, m)),
            }
        }
        if records.is_empty() && bad.is_empty() {
            return None;
        }
        // Records without the target field are target-only text (`text`) unless a target
        // field was named: `translate`'s input format checked alone.
        let bilingual = self.fields.target_given || records.iter().any(|r| r.2.is_some());
        let mut pairs = Vec::with_capacity(records.len());
        for (line, s, t) in records {
            if bilingual {
                let si = s.map(|s| {
                    source.blocks.push(Block::new(BlockKind::Record, s, line));
                    source.blocks.len() - 1
                });
                target
                    .blocks
                    .push(Block::new(BlockKind::Record, t.unwrap_or_default(), line));
                pairs.push((si, Some(target.blocks.len() - 1)));
            } else if let Some(s) = s {
                target.blocks.push(Block::new(BlockKind::Record, s, line));
            }
        }
        Some(Ok(JsonlChunk {
            source,
            target,
            pairs,
            bilingual,
            malformed: bad,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str, size: usize) -> Vec<TextChunk> {
        TextChunks::new(text.as_bytes(), "t", size)
            .collect::<Result<Vec<_>>>()
            .unwrap()
    }

    #[test]
    fn chunks_cover_the_text_and_know_where_they_start() {
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(&format!("Sentence number {i} ends here. "));
            if i % 7 == 0 {
                text.push('\n');
            }
            if i % 50 == 0 {
                text.push('\n');
            }
        }
        for size in [64, 300, 1000, 100_000] {
            let cs = chunks(&text, size);
            let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(joined, text);
            for c in &cs {
                let before = &text[..text.len()
                    - cs.iter()
                        .skip_while(|x| *x != c)
                        .map(|x| x.text.len())
                        .sum::<usize>()];
                assert_eq!(c.line, before.matches('\n').count() + 1);
                assert_eq!(
                    c.col,
                    before.len() - before.rfind('\n').map_or(0, |i| i + 1)
                );
            }
        }
    }

    #[test]
    fn a_long_line_is_cut_after_a_sentence() {
        let text = "One sentence here. Another one there. ".repeat(100);
        let cs = chunks(&text, 200);
        assert!(cs.len() > 5);
        for c in &cs[..cs.len() - 1] {
            assert!(c.text.ends_with(". "), "{:?}", c.text);
            assert_eq!(c.line, 1);
        }
    }

    #[test]
    fn malformed_jsonl_lines_are_reported_and_skipped() {
        let input = "{\"text\":\"Hallo.\",\"translation\":\"Hello.\"}\nnot json\n[1]\n{\"text\":\"Zwei.\",\"translation\":2}\n{\"text\":\"Drei.\",\"translation\":\"Three.\"}\n";
        let fields = Fields {
            source: "text".into(),
            target: "translation".into(),
            target_given: false,
        };
        let c: Vec<JsonlChunk> = JsonlChunks::new(input.as_bytes(), "j", fields)
            .collect::<Result<Vec<_>>>()
            .unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].bilingual);
        assert_eq!(c[0].target.blocks.len(), 2);
        assert_eq!(c[0].target.blocks[1].line, 5);
        let lines: Vec<Option<usize>> = c[0].malformed.iter().map(|f| f.target_line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4)]);
    }
}
