//! Reading a large input in chunks, so that memory is bounded by the chunk and not by the file.
//!
//! Only formats whose units are independent of each other are cut: JSONL between records (any
//! line start), plain text between paragraphs (the start of a line after a blank line). A plain
//! text paragraph much larger than a chunk (a corpus with one sentence per line and no blank
//! lines) is cut at a line that ends a sentence (final punctuation, then a line starting with
//! no lowercase letter), a place the segmenter splits at too. A single line much larger than a
//! chunk (a long export on one line) is cut inside the line after a plain sentence end: `.`,
//! `!` or `?` after a lowercase word of three letters or more (not an abbreviation or an
//! initial), then a space and an uppercase letter. With no such place the block is read whole,
//! however large. Chunks start on a line start or after a space, so UTF-8 is never cut inside a
//! character.
//!
//! A chunk is parsed by the format's own reader ([`Chunk::parse`]), and its lines (and the lines
//! of its errors) are made those of the whole input.

use std::io::Read;
use std::path::Path;

use super::{BlockKind, Document, Format};
use crate::error::{Error, Result};

/// The default chunk size in bytes.
pub const DEFAULT_CHUNK: usize = 4 << 20;

/// Where a chunk may end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Before any line that is not blank (JSONL records).
    Lines,
    /// Before a line that is not blank and follows a blank one (plain text paragraphs).
    Paragraphs,
}

impl Cut {
    /// How a format may be cut, or `None` when it must be read whole.
    pub fn for_format(format: Format) -> Option<Cut> {
        match format {
            Format::Jsonl => Some(Cut::Lines),
            Format::Text => Some(Cut::Paragraphs),
            _ => None,
        }
    }
}

/// An input opened for reading: a file, or standard input for `None` or `-`.
pub struct Input {
    /// The name used in messages (`-` for standard input).
    pub origin: String,
    /// The file, when the input is one (it can be read again from the start).
    pub path: Option<std::path::PathBuf>,
    reader: Box<dyn Read + Send>,
}

impl Input {
    /// Opens `path` (standard input for `None` or `-`). A directory is an error.
    pub fn open(path: Option<&Path>) -> Result<Input> {
        match path {
            Some(p) if p.as_os_str() != "-" => {
                let origin = p.display().to_string();
                let io = |source| Error::Io {
                    origin: origin.clone(),
                    source,
                };
                if p.is_dir() {
                    return Err(io(std::io::Error::other("is a directory, not a file")));
                }
                let file = std::fs::File::open(p).map_err(io)?;
                Ok(Input {
                    origin,
                    path: Some(p.to_path_buf()),
                    reader: Box::new(file),
                })
            }
            _ => Ok(Input {
                origin: "-".into(),
                path: None,
                reader: Box::new(std::io::stdin()),
            }),
        }
    }

    /// An input read from `reader`, named `origin` in messages.
    pub fn from_reader(origin: &str, reader: impl Read + Send + 'static) -> Input {
        Input {
            origin: origin.to_string(),
            path: None,
            reader: Box::new(reader),
        }
    }

    fn io(&self, source: std::io::Error) -> Error {
        Error::Io {
            origin: self.origin.clone(),
            source,
        }
    }

    /// Reads up to `n` bytes (fewer only at the end of the input).
    pub fn read_head(&mut self, n: usize) -> Result<Vec<u8>> {
        let mut head = Vec::with_capacity(n.min(1 << 24));
        (&mut self.reader)
            .take(n as u64)
            .read_to_end(&mut head)
            .map_err(|e| self.io(e))?;
        Ok(head)
    }

    /// Reads everything that is left, after `head`.
    pub fn read_rest(mut self, mut head: Vec<u8>) -> Result<Vec<u8>> {
        self.reader.read_to_end(&mut head).map_err(|e| self.io(e))?;
        Ok(head)
    }
}

/// Whether `head`, the first bytes of an input, is UTF-8 that can be read in chunks: valid
/// (but perhaps cut inside its last character), without a UTF-16 or UTF-32 byte-order mark,
/// and not starting with a NUL byte in its first four (UTF-16 or UTF-32 without a mark, such
/// as feedparser's `csucs4.xml`, is valid UTF-8 byte by byte: read whole, it is decoded by its
/// byte pattern).
pub fn streamable_utf8(head: &[u8]) -> bool {
    if head.starts_with(&[0xff, 0xfe])
        || head.starts_with(&[0xfe, 0xff])
        || head.iter().take(4).any(|&b| b == 0)
    {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

/// A piece of the input, cut at a place the format allows.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// The text (the input's byte-order mark removed).
    pub text: String,
    /// The 1-based line of the input the chunk starts on.
    pub line: usize,
    /// The 0-based byte of the input the chunk starts at.
    pub byte: usize,
    /// 0 for the first chunk, 1 for the next, …
    pub index: usize,
    /// Whether the input started with a UTF-8 byte-order mark (first chunk only); the parsed
    /// chunk is written back with it, as a whole document is.
    pub bom: bool,
}

impl Chunk {
    /// Parses the chunk as `format` (see [`super::parse`]) and gives its blocks the lines they
    /// have in the whole input. A chunk after the first never starts with the document's title.
    pub fn parse(&self, format: Format, origin: &str) -> Result<Document> {
        self.parse_with(format, origin, &super::ReadOptions::default())
    }

    /// [`Chunk::parse`] with reading options.
    pub fn parse_with(
        &self,
        format: Format,
        origin: &str,
        opts: &super::ReadOptions,
    ) -> Result<Document> {
        let mut doc =
            super::parse_with(format, origin, &self.text, opts).map_err(|e| self.shift(e))?;
        doc.bom = self.bom;
        let offset = self.line - 1;
        for (i, b) in doc.blocks.iter_mut().enumerate() {
            b.line += offset;
            if i == 0 && self.index > 0 && b.kind == BlockKind::Title {
                b.kind = BlockKind::Paragraph;
            }
        }
        Ok(doc)
    }

    /// An error about the chunk, with the lines (and bytes) of the whole input.
    pub fn shift(&self, e: Error) -> Error {
        let offset = self.line - 1;
        match e {
            Error::Parse {
                origin,
                line,
                message,
            } => Error::Parse {
                origin,
                line: line + offset,
                message,
            },
            Error::InvalidUtf8 { origin, line, byte } => Error::InvalidUtf8 {
                origin,
                line: line + offset,
                byte: byte + self.byte,
            },
            other => other,
        }
    }
}

/// Cuts an input into chunks of about `size` bytes.
pub struct ChunkReader {
    input: Input,
    cut: Cut,
    size: usize,
    /// Bytes read and not yet handed out.
    buf: Vec<u8>,
    eof: bool,
    /// How far `buf` has been scanned for cut places (a line start).
    scanned: usize,
    /// Whether the last line scanned was blank.
    prev_blank: bool,
    /// Whether the last line scanned ended a sentence.
    prev_sentence_end: bool,
    /// Places to cut found so far: paragraph (or record) starts and, in plain text, line starts
    /// after a sentence end; each as (the last at or before `size`, the first after it).
    paragraph: (Option<usize>, Option<usize>),
    sentence: (Option<usize>, Option<usize>),
    line: usize,
    byte: usize,
    index: usize,
    /// How far past `scanned` the buffer holds no line break (so a long line is searched once).
    searched: usize,
    /// How far the buffer has been searched for a sentence end inside a long line.
    inline_searched: usize,
}

impl ChunkReader {
    /// Reads `input` in chunks of about `size` bytes, cut where `cut` allows; `head` holds the
    /// bytes already read from it.
    pub fn new(input: Input, head: Vec<u8>, cut: Cut, size: usize) -> Self {
        ChunkReader {
            input,
            cut,
            size: size.max(1),
            buf: head,
            eof: false,
            scanned: 0,
            prev_blank: false,
            prev_sentence_end: false,
            paragraph: (None, None),
            sentence: (None, None),
            line: 1,
            byte: 0,
            index: 0,
            searched: 0,
            inline_searched: 0,
        }
    }

    /// The input's name.
    pub fn origin(&self) -> &str {
        &self.input.origin
    }

    /// The input's file, when it is one.
    pub fn path(&self) -> Option<&Path> {
        self.input.path.as_deref()
    }

    /// Reads more of the input into the buffer; false at its end.
    fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let want = self.size.max(64 << 10);
        let before = self.buf.len();
        (&mut self.input.reader)
            .take(want as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| self.input.io(e))?;
        if self.buf.len() == before {
            self.eof = true;
            return Ok(false);
        }
        Ok(true)
    }

    /// Scans the complete lines of the buffer not yet scanned for places to cut.
    fn scan(&mut self) {
        let size = self.size;
        let note = |place: &mut (Option<usize>, Option<usize>), at: usize| {
            if at <= size {
                place.0 = Some(at);
            } else if place.1.is_none() {
                place.1 = Some(at);
            }
        };
        loop {
            let from = self.searched.max(self.scanned);
            let end = match memchr::memchr(b'\n', &self.buf[from..]) {
                Some(i) => from + i + 1,
                None if self.eof && self.scanned < self.buf.len() => self.buf.len(),
                None => {
                    self.searched = self.buf.len();
                    return;
                }
            };
            let start = self.scanned;
            let line = &self.buf[start..end];
            let blank = std::str::from_utf8(line).is_ok_and(|l| l.trim().is_empty());
            if !blank && start > 0 {
                match self.cut {
                    Cut::Lines => note(&mut self.paragraph, start),
                    Cut::Paragraphs if self.prev_blank => note(&mut self.paragraph, start),
                    Cut::Paragraphs => {
                        if self.prev_sentence_end && !starts_lowercase(line) {
                            note(&mut self.sentence, start);
                        }
                    }
                }
            }
            self.prev_sentence_end = !blank && ends_sentence(line);
            self.prev_blank = blank;
            self.scanned = end;
        }
    }

    /// Where to end the next chunk, if the buffer has been scanned far enough to say: the last
    /// paragraph start within the chunk size, else the first one after it if it comes soon
    /// (within twice the size), else a sentence end at a line end near enough, else one inside
    /// a line (plain text; see the module documentation), else the first line-end place
    /// however far.
    fn place(&mut self) -> Option<usize> {
        if self.buf.len() <= self.size {
            return None;
        }
        let (size, scanned, len, eof) = (self.size, self.scanned, self.buf.len(), self.eof);
        let past = |n: usize| scanned >= n || (eof && scanned == len);
        if past(size) {
            if let Some(at) = self.paragraph.0 {
                return Some(at);
            }
        }
        let near = |at: &usize| *at <= 2 * size;
        if let Some(at) = self.paragraph.1.filter(near) {
            return Some(at);
        }
        if past(2 * size) {
            if let Some(at) = self.sentence.0.or(self.sentence.1.filter(near)) {
                return Some(at);
            }
        }
        if len >= 2 * size {
            if let Some(at) = self.inside_long_line() {
                return Some(at);
            }
        }
        if past(2 * size) {
            return self.sentence.1.or(self.paragraph.1);
        }
        None
    }

    /// In plain text with no place at a line end near enough: the place after the first plain
    /// sentence end past the chunk size (see the module documentation). Each byte is looked at
    /// once.
    fn inside_long_line(&mut self) -> Option<usize> {
        if self.cut != Cut::Paragraphs {
            return None;
        }
        let from = self.inline_searched.max(self.size);
        // A place needs the two bytes after the space: stop short of the end.
        let to = self.buf.len().saturating_sub(4);
        if from >= to {
            return None;
        }
        let found = plain_sentence_end(&self.buf, from, to);
        self.inline_searched = to;
        found
    }

    /// The next chunk, or `None` at the end of the input.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        loop {
            self.scan();
            if let Some(at) = self.place() {
                return self.emit(at).map(Some);
            }
            if !self.fill()? {
                self.scan();
                if let Some(at) = self.place().filter(|&at| at < self.buf.len()) {
                    return self.emit(at).map(Some);
                }
                if self.buf.is_empty() && self.index > 0 {
                    return Ok(None);
                }
                // The rest; for an empty input one empty chunk, which its reader reports.
                let all = self.buf.len();
                return self.emit(all).map(Some);
            }
        }
    }

    /// Hands out the first `at` bytes of the buffer.
    fn emit(&mut self, at: usize) -> Result<Chunk> {
        let rest = self.buf.split_off(at);
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        let (line, mut byte, index) = (self.line, self.byte, self.index);
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        self.byte += at;
        let bom = index == 0 && bytes.starts_with(b"\xef\xbb\xbf");
        if bom {
            // The byte-order mark is not text; byte offsets still count it.
            bytes.drain(..3);
            byte += 3;
        }
        self.index += 1;
        // The rest is scanned again from its start (it is at most about a chunk).
        self.scanned = 0;
        self.searched = 0;
        self.inline_searched = 0;
        self.prev_blank = false;
        self.prev_sentence_end = false;
        self.paragraph = (None, None);
        self.sentence = (None, None);
        let text = String::from_utf8(bytes).map_err(|e| {
            let bad = e.utf8_error().valid_up_to();
            let in_chunk = 1 + memchr::memchr_iter(b'\n', &e.as_bytes()[..bad]).count();
            Error::InvalidUtf8 {
                origin: self.input.origin.clone(),
                line: line + in_chunk - 1,
                byte: byte + bad,
            }
        })?;
        Ok(Chunk {
            text,
            line,
            byte,
            index,
            bom,
        })
    }
}

/// Whether a line (with its line break) ends a sentence: final punctuation, perhaps followed by
/// closing quotes or brackets.
fn ends_sentence(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let text = text
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '“']);
    text.ends_with(['.', '!', '?', '…', '。', '！', '？', '؟', '।'])
}

/// The first place in `buf[from..to]` right after a plain sentence end inside a line: `. `, `! `
/// or `? ` after a word of at least three lowercase ASCII letters, before an uppercase ASCII
/// letter (or an uppercase letter of two UTF-8 bytes).
fn plain_sentence_end(buf: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to {
        let at = i + memchr::memchr(b' ', &buf[i..to])?;
        i = at + 1;
        if at < 4 || !matches!(buf[at - 1], b'.' | b'!' | b'?') {
            continue;
        }
        if !buf[at - 4..at - 1].iter().all(u8::is_ascii_lowercase) {
            continue;
        }
        let next = &buf[at + 1..];
        let upper = match next {
            [b, ..] if b.is_ascii_uppercase() => true,
            [b0, b1, ..] if (0xc0..0xe0).contains(b0) => std::str::from_utf8(&[*b0, *b1])
                .ok()
                .and_then(|c| c.chars().next())
                .is_some_and(char::is_uppercase),
            _ => false,
        };
        if upper {
            return Some(at + 1);
        }
    }
    None
}

/// Whether a line starts (after spaces) with a lowercase letter.
fn starts_lowercase(line: &[u8]) -> bool {
    std::str::from_utf8(line)
        .ok()
        .and_then(|l| l.trim_start().chars().next())
        .is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str, cut: Cut, size: usize) -> Vec<Chunk> {
        let input = Input {
            origin: "t".into(),
            path: None,
            reader: Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
        };
        let mut r = ChunkReader::new(input, Vec::new(), cut, size);
        let mut out = Vec::new();
        while let Some(c) = r.next_chunk().expect("reads") {
            out.push(c);
        }
        out
    }

    #[test]
    fn paragraphs_are_never_cut_and_the_bytes_come_back() {
        let text =
            "Titel\n\nErster Absatz, Zeile eins\nund zwei.\n\n\n  \nZweiter Absatz.\n\nDritter.\n";
        for size in 1..text.len() + 2 {
            let cs = chunks(text, Cut::Paragraphs, size);
            let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(joined, text);
            for c in &cs {
                // Every chunk after the first starts a paragraph, right after a blank line.
                if c.index > 0 {
                    assert!(!c.text.starts_with(['\n', ' ']), "{:?}", c.text);
                    assert!(
                        joined[..c.byte].ends_with("\n\n") || joined[..c.byte].ends_with("\n  \n")
                    );
                }
                assert_eq!(c.line, 1 + text[..c.byte].matches('\n').count());
            }
        }
    }

    #[test]
    fn an_input_within_the_size_is_one_chunk() {
        let text = "Titel\n\nEin Absatz.\n\n2022\n";
        for size in [text.len(), text.len() + 1, 1 << 20] {
            let cs = chunks(text, Cut::Paragraphs, size);
            assert_eq!(cs.len(), 1);
            assert_eq!(cs[0].text, text);
        }
        let cs = chunks("", Cut::Lines, 10);
        assert_eq!(cs.len(), 1, "an empty input is one empty chunk");
        assert!(cs[0].parse(Format::Jsonl, "t").is_err());
    }

    #[test]
    fn huge_paragraphs_are_cut_at_sentence_ends_only() {
        let lines = [
            "Der Präsident sprach am Montag.",
            "Die Gespräche gehen weiter.",
            "Ein Satz, der umbrochen",
            "weitergeht.",
            "„Wir kommen“, sagte er.",
        ];
        let text: String = lines
            .iter()
            .cycle()
            .take(50)
            .map(|l| format!("{l}\n"))
            .collect();
        let cs = chunks(&text, Cut::Paragraphs, 60);
        assert!(cs.len() > 5, "{}", cs.len());
        let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
        for c in cs.iter().skip(1) {
            assert!(!c.text.starts_with("weitergeht"), "cut inside a sentence");
        }
    }

    #[test]
    fn a_huge_line_is_cut_after_plain_sentence_ends_only() {
        let sentences = [
            "Der Präsident sprach am Montag.",
            "Dr. Weber kam mit Hrn. Koch.",
            "Die Gespräche gehen weiter!",
            "Er zahlte 3.5 Mio. Euro.",
            "Übermorgen folgt mehr?",
        ];
        let text: String = sentences
            .iter()
            .cycle()
            .take(60)
            .map(|s| format!("{s} "))
            .collect();
        let text = format!("{}\nZweite Zeile.\n", text.trim_end());
        let cs = chunks(&text, Cut::Paragraphs, 100);
        assert!(cs.len() > 5, "{}", cs.len());
        let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
        for c in cs.iter().skip(1) {
            assert_eq!(c.line, 1 + text[..c.byte].matches('\n').count());
            let before = &text[..c.byte];
            // After a sentence end, never after an abbreviation or a title.
            assert!(
                [". ", "! ", "? ", "\n"].iter().any(|e| before.ends_with(e))
                    && !["Dr. ", "Hrn. ", "Mio. "]
                        .iter()
                        .any(|e| before.ends_with(e))
                    && c.text.starts_with(char::is_uppercase),
                "cut after {:?}",
                &before[before.len().saturating_sub(20)..]
            );
        }
        // JSONL records are never cut inside.
        let record = format!("{{\"text\":\"{}\"}}\n", text.replace('\n', " "));
        assert_eq!(chunks(&record, Cut::Lines, 100).len(), 1);
    }

    #[test]
    fn records_and_lines_and_bad_bytes() {
        let text = "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n  \n";
        let cs = chunks(text, Cut::Lines, 5);
        let joined: String = cs.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(joined, text);
        let lines: Vec<usize> = cs.iter().map(|c| c.line).collect();
        assert_eq!(lines, [1, 3, 4]);
        let doc = cs[2].parse(Format::Jsonl, "t").expect("parses");
        assert_eq!(doc.blocks[0].line, 4);
        assert_eq!(doc.blocks[0].text, "c");
        let err = cs[1]
            .shift(Error::Parse {
                origin: "t".into(),
                line: 1,
                message: "x".into(),
            })
            .to_string();
        assert_eq!(err, "t:3: x");

        let mut bad = b"{\"text\":\"a\"}\n".repeat(3);
        bad.extend_from_slice(b"{\"text\":\"\xff\"}\n");
        let input = Input {
            origin: "b.jsonl".into(),
            path: None,
            reader: Box::new(std::io::Cursor::new(bad)),
        };
        let mut r = ChunkReader::new(input, Vec::new(), Cut::Lines, 20);
        let mut err = None;
        while err.is_none() {
            match r.next_chunk() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => err = Some(e.to_string()),
            }
        }
        let err = err.expect("invalid UTF-8 found");
        assert!(
            err.starts_with("b.jsonl:4: input is not valid UTF-8 (byte 48"),
            "{err}"
        );
    }
}
