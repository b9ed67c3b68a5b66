//! Markdown: headings, paragraphs, list items, block quotes, fenced code and thematic breaks as
//! blocks; emphasis, strong, inline code, links and images as [`Inline`]s over the plain text.
//!
//! Block text is the plain text with inline markup removed, so that segmentation, detection and
//! translation never see `**` or link destinations. A block nobody changed is written back
//! byte for byte; a translated block is rebuilt from its prefix, the translated text with inline
//! markup put back around the words it covered (where those words survive translation; see
//! [`lost_inlines`]), and its suffix.

use super::{numbered_lines, Block, BlockKind, Document, Format, Inline, InlineKind, Segment};

/// Key in [`Block::attrs`] for the prefix of continuation lines (`> ` in quotes, indentation in
/// list items).
const CONTINUATION: &str = "continuation";

/// Reads Markdown into a document.
pub fn read(origin: &str, text: &str) -> Document {
    let mut doc = Document::new(Format::Markdown, origin);
    let lines: Vec<(usize, &str)> = numbered_lines(text).collect();
    let mut pending = String::new(); // blank lines before the next block
    let mut i = 0;
    while i < lines.len() {
        let (no, line) = lines[i];
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            pending.push_str(line);
            i += 1;
            continue;
        }
        let before = std::mem::take(&mut pending);
        // Fenced code.
        if let Some(fence) = fence_of(body) {
            let mut raw = line.to_string();
            i += 1;
            while i < lines.len() {
                raw.push_str(lines[i].1);
                let closing = lines[i].1.trim();
                i += 1;
                if closing.starts_with(&fence)
                    && closing
                        .trim_start_matches(fence.chars().next().unwrap_or('`'))
                        .is_empty()
                {
                    break;
                }
            }
            push_verbatim(&mut doc, BlockKind::Code, no, before, raw);
            continue;
        }
        // Thematic break, HTML and tables are kept verbatim.
        if is_thematic_break(body)
            || body.trim_start().starts_with('<')
            || body.trim_start().starts_with('|')
        {
            push_verbatim(&mut doc, BlockKind::Markup, no, before, line.to_string());
            i += 1;
            continue;
        }
        // ATX heading.
        if let Some((level, prefix, content, closing)) = heading(body) {
            let eol = &line[body.len()..];
            let mut b = inline_block(BlockKind::Heading { level }, content, no);
            b.prefix = format!("{before}{prefix}");
            b.suffix = format!("{closing}{eol}");
            b.raw = format!("{before}{line}");
            doc.blocks.push(b);
            i += 1;
            continue;
        }
        // Block quote or list item or paragraph: gather continuation lines.
        let (kind, prefix, cont) = if let Some(p) = quote_prefix(body) {
            (BlockKind::Quote, p.to_string(), None)
        } else if let Some(p) = list_marker(body) {
            let width = p.chars().count();
            (BlockKind::ListItem, p.to_string(), Some(" ".repeat(width)))
        } else {
            (BlockKind::Paragraph, String::new(), None)
        };
        let mut raw = format!("{before}{line}");
        let mut content = body[prefix.len()..].to_string();
        let mut cont_prefix = cont.unwrap_or_default();
        let mut last_eol = &line[body.len()..];
        i += 1;
        while i < lines.len() {
            let (_, next) = lines[i];
            let nb = next.trim_end_matches(['\n', '\r']);
            if nb.trim().is_empty()
                || fence_of(nb).is_some()
                || heading(nb).is_some()
                || is_thematic_break(nb)
            {
                break;
            }
            let stripped = match kind {
                BlockKind::Quote => match quote_prefix(nb) {
                    Some(p) => {
                        cont_prefix = p.to_string();
                        &nb[p.len()..]
                    }
                    None => break,
                },
                BlockKind::ListItem => {
                    if list_marker(nb).is_some() {
                        break;
                    }
                    let indent = nb.len() - nb.trim_start().len();
                    cont_prefix = nb[..indent].to_string();
                    &nb[indent..]
                }
                _ => {
                    if quote_prefix(nb).is_some() || list_marker(nb).is_some() {
                        break;
                    }
                    nb
                }
            };
            content.push('\n');
            content.push_str(stripped);
            raw.push_str(next);
            last_eol = &next[nb.len()..];
            i += 1;
        }
        let mut b = inline_block(kind, &content, no);
        b.prefix = format!("{before}{prefix}");
        b.suffix = last_eol.to_string();
        b.raw = raw;
        if !cont_prefix.is_empty() {
            b.attrs
                .insert(CONTINUATION.into(), serde_json::Value::String(cont_prefix));
        }
        doc.blocks.push(b);
    }
    if !pending.is_empty() {
        match doc.blocks.last_mut() {
            Some(last) => {
                last.suffix.push_str(&pending);
                last.raw.push_str(&pending);
            }
            None => push_verbatim(&mut doc, BlockKind::Markup, 1, String::new(), pending),
        }
    }
    doc
}

fn push_verbatim(doc: &mut Document, kind: BlockKind, line: usize, before: String, raw: String) {
    let mut b = Block::new(kind, "", line);
    b.raw = format!("{before}{raw}");
    b.prefix = b.raw.clone();
    doc.blocks.push(b);
}

fn inline_block(kind: BlockKind, content: &str, line: usize) -> Block {
    let (text, inlines) = parse_inlines(content);
    let mut b = Block::new(kind, text, line);
    b.inlines = inlines;
    b
}

fn fence_of(line: &str) -> Option<String> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    for c in ['`', '~'] {
        let n = t.chars().take_while(|&x| x == c).count();
        if n >= 3 {
            return Some(c.to_string().repeat(n));
        }
    }
    None
}

fn is_thematic_break(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3 && ['-', '*', '_'].iter().any(|&c| t.chars().all(|x| x == c))
}

/// `(level, prefix, content, closing)` of an ATX heading.
fn heading(line: &str) -> Option<(u8, &str, &str, &str)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if indent > 3 {
        return None;
    }
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let after = &t[hashes..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let ws = after.len() - after.trim_start().len();
    let prefix = &line[..indent + hashes + ws];
    let rest = &line[prefix.len()..];
    // Optional closing sequence of #s preceded by a space.
    let trimmed = rest.trim_end();
    let without = trimmed.trim_end_matches('#');
    let content_end =
        if without.len() < trimmed.len() && (without.is_empty() || without.ends_with(' ')) {
            without.trim_end().len()
        } else {
            trimmed.len()
        };
    Some((
        hashes as u8,
        prefix,
        &rest[..content_end],
        &rest[content_end..],
    ))
}

fn quote_prefix(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if indent > 3 || !t.starts_with('>') {
        return None;
    }
    let mut end = indent + 1;
    if line[end..].starts_with(' ') {
        end += 1;
    }
    Some(&line[..end])
}

fn list_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    let marker_len = if t.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 || !t[digits..].starts_with(['.', ')']) {
            return None;
        }
        digits + 1
    };
    let after = &t[marker_len..];
    if !after.starts_with([' ', '\t']) {
        return None;
    }
    let ws = after.len() - after.trim_start().len();
    Some(&line[..indent + marker_len + ws])
}

/// Splits inline markup off `src`: the plain text and the inline elements over it.
pub fn parse_inlines(src: &str) -> (String, Vec<Inline>) {
    let mut text = String::with_capacity(src.len());
    let mut inlines = Vec::new();
    parse_into(src, &mut text, &mut inlines);
    (text, inlines)
}

fn parse_into(src: &str, text: &mut String, inlines: &mut Vec<Inline>) {
    let b = src.as_bytes();
    let mut i = 0;
    while i < src.len() {
        let c = b[i];
        match c {
            b'\\' if i + 1 < src.len() && b[i + 1].is_ascii_punctuation() => {
                text.push(b[i + 1] as char);
                i += 2;
            }
            b'`' => {
                let n = src[i..].bytes().take_while(|&x| x == b'`').count();
                let fence = &src[i..i + n];
                if let Some(close) = src[i + n..].find(fence) {
                    let inner = &src[i + n..i + n + close];
                    let start = text.len();
                    text.push_str(inner);
                    inlines.push(Inline {
                        kind: InlineKind::Code,
                        span: start..text.len(),
                    });
                    i += n + close + n;
                } else {
                    text.push_str(fence);
                    i += n;
                }
            }
            b'[' | b'!' if c == b'[' || src[i + 1..].starts_with('[') => {
                let image = c == b'!';
                match link_at(src, if image { i + 1 } else { i }) {
                    Some((label, dest, end)) => {
                        let start = text.len();
                        parse_into(label, text, inlines);
                        let destination = dest.to_string();
                        let kind = if image {
                            InlineKind::Image { destination }
                        } else {
                            InlineKind::Link { destination }
                        };
                        inlines.push(Inline {
                            kind,
                            span: start..text.len(),
                        });
                        i = end;
                    }
                    None => {
                        text.push(c as char);
                        i += 1;
                    }
                }
            }
            b'*' | b'_' => {
                let n = src[i..].bytes().take_while(|&x| x == c).count().min(2);
                let delim = &src[i..i + n];
                let opens = src[i + n..]
                    .chars()
                    .next()
                    .is_some_and(|x| !x.is_whitespace())
                    && (c == b'*'
                        || i == 0
                        || !src[..i]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric));
                let close = if opens {
                    find_closing(src, i + n, delim)
                } else {
                    None
                };
                match close {
                    Some(close) => {
                        let start = text.len();
                        parse_into(&src[i + n..close], text, inlines);
                        let kind = if n == 2 {
                            InlineKind::Strong
                        } else {
                            InlineKind::Emphasis
                        };
                        inlines.push(Inline {
                            kind,
                            span: start..text.len(),
                        });
                        i = close + n;
                    }
                    None => {
                        text.push_str(delim);
                        i += n;
                    }
                }
            }
            _ => {
                let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
                text.push_str(&src[i..i + ch_len]);
                i += ch_len;
            }
        }
    }
}

/// The closing delimiter for emphasis opened at `from`: not preceded by whitespace.
fn find_closing(src: &str, from: usize, delim: &str) -> Option<usize> {
    let mut search = from;
    while let Some(off) = src[search..].find(delim) {
        let pos = search + off;
        let prev_ws = src[..pos]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let doubled = src[pos + delim.len()..].starts_with(&delim[..1]) && delim.len() == 1;
        if pos > from && !prev_ws && !doubled {
            return Some(pos);
        }
        search = pos + delim.len().max(if doubled { 2 } else { 1 });
    }
    None
}

/// `[label](dest)` starting at `open` (the `[`): label, destination and the end offset.
fn link_at(src: &str, open: usize) -> Option<(&str, &str, usize)> {
    let mut depth = 0usize;
    let mut close = None;
    for (off, ch) in src[open..].char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + off);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if !src[close + 1..].starts_with('(') {
        return None;
    }
    let dest_start = close + 2;
    let dest_len = src[dest_start..].find(')')?;
    Some((
        &src[open + 1..close],
        &src[dest_start..dest_start + dest_len],
        dest_start + dest_len + 1,
    ))
}

/// Renders `text[span]` with the inline markup of `inlines` that lies inside `span`.
fn render_span(text: &str, span: std::ops::Range<usize>, inlines: &[Inline]) -> String {
    // Opening and closing marks per position; outer elements open first and close last.
    let mut opens: Vec<(usize, usize, String)> = Vec::new(); // (pos, -len, mark)
    let mut closes: Vec<(usize, usize, String)> = Vec::new();
    for (k, inl) in inlines.iter().enumerate() {
        if inl.span.start < span.start || inl.span.end > span.end {
            continue;
        }
        let (o, c) = marks(&inl.kind);
        opens.push((inl.span.start, usize::MAX - inl.span.len() - k, o));
        closes.push((inl.span.end, inl.span.len() * 1000 + k, c));
    }
    opens.sort();
    closes.sort();
    let mut out = String::new();
    let (mut oi, mut ci) = (0, 0);
    let mut pos = span.start;
    let mut boundaries: Vec<usize> = opens
        .iter()
        .map(|o| o.0)
        .chain(closes.iter().map(|c| c.0))
        .collect();
    boundaries.push(span.end);
    boundaries.sort_unstable();
    boundaries.dedup();
    for at in boundaries {
        if at > pos {
            out.push_str(&escape(&text[pos..at]));
            pos = at;
        }
        while ci < closes.len() && closes[ci].0 == at {
            out.push_str(&closes[ci].2);
            ci += 1;
        }
        while oi < opens.len() && opens[oi].0 == at {
            out.push_str(&opens[oi].2);
            oi += 1;
        }
    }
    out
}

fn marks(kind: &InlineKind) -> (String, String) {
    match kind {
        InlineKind::Emphasis => ("*".into(), "*".into()),
        InlineKind::Strong => ("**".into(), "**".into()),
        InlineKind::Code => ("`".into(), "`".into()),
        InlineKind::Link { destination } => ("[".into(), format!("]({destination})")),
        InlineKind::Image { destination } => ("![".into(), format!("]({destination})")),
        InlineKind::Tag { open, close, .. } => (open.clone(), close.clone()),
    }
}

/// Escapes characters that would otherwise start markup.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '*' | '`' | '[' | ']') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Inline elements inside a translated segment whose words cannot be found in the translation,
/// so their markup cannot be put back (the pipeline reports them as notes).
pub fn lost_inlines<'a>(block: &'a Block, seg: &Segment) -> Vec<&'a Inline> {
    let Some(tr) = seg.translation.as_deref() else {
        return Vec::new();
    };
    inlines_in(block, seg)
        .filter(|inl| {
            let words = &block.text[inl.span.clone()];
            !(inl.span == seg.span || tr.contains(words))
        })
        .collect()
}

fn inlines_in<'a>(block: &'a Block, seg: &Segment) -> impl Iterator<Item = &'a Inline> {
    let span = seg.span.clone();
    block
        .inlines
        .iter()
        .filter(move |i| i.span.start >= span.start && i.span.end <= span.end && !i.span.is_empty())
}

/// Renders a translated segment: inline markup goes back around its words where the words
/// survived translation; an element covering the whole segment wraps the whole translation.
fn render_translated(block: &Block, seg: &Segment, tr: &str) -> String {
    let mut placed: Vec<Inline> = Vec::new();
    let mut cursor = 0;
    for inl in inlines_in(block, seg) {
        if inl.span == seg.span {
            placed.push(Inline {
                kind: inl.kind.clone(),
                span: 0..tr.len(),
            });
            continue;
        }
        let words = &block.text[inl.span.clone()];
        let found = tr[cursor..]
            .find(words)
            .map(|o| cursor + o)
            .or_else(|| tr.find(words));
        if let Some(at) = found {
            placed.push(Inline {
                kind: inl.kind.clone(),
                span: at..at + words.len(),
            });
            cursor = at + words.len();
        }
    }
    render_span(tr, 0..tr.len(), &placed)
}

/// Writes a document as Markdown. Unchanged blocks are written verbatim.
pub fn write(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        if !b.is_changed() {
            out.push_str(&b.raw);
            continue;
        }
        let mut body = String::new();
        let mut pos = 0;
        for s in &b.segments {
            if s.span.start < pos || s.span.end > b.text.len() {
                continue;
            }
            body.push_str(&render_span(&b.text, pos..s.span.start, &b.inlines));
            match s.translation.as_deref() {
                Some(tr) if tr != s.text => body.push_str(&render_translated(b, s, tr)),
                _ => body.push_str(&render_span(&b.text, s.span.clone(), &b.inlines)),
            }
            pos = s.span.end;
        }
        body.push_str(&render_span(&b.text, pos..b.text.len(), &b.inlines));
        if let Some(serde_json::Value::String(cont)) = b.attrs.get(CONTINUATION) {
            body = body.replace('\n', &format!("\n{cont}"));
        }
        out.push_str(&b.prefix);
        out.push_str(&body);
        out.push_str(&b.suffix);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Putin in Duschanbe\n\nDer **russische** Präsident traf [Rachmon](https://example.org/r) in `Duschanbe`.\nEr blieb zwei Tage.\n\n> Ein Zitat.\n> Zweite Zeile.\n\n- Punkt eins\n  weiter\n- Punkt zwei\n\n```\ncode bleibt\n```\n\n---\n";

    #[test]
    fn blocks_and_inlines() {
        let doc = read("a.md", SAMPLE);
        let kinds: Vec<_> = doc.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Heading { level: 1 },
                BlockKind::Paragraph,
                BlockKind::Quote,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Code,
                BlockKind::Markup
            ]
        );
        let p = &doc.blocks[1];
        assert_eq!(
            p.text,
            "Der russische Präsident traf Rachmon in Duschanbe.\nEr blieb zwei Tage."
        );
        assert_eq!(p.line, 3);
        assert_eq!(&p.text[p.inlines[0].span.clone()], "russische");
        assert_eq!(p.inlines[0].kind, InlineKind::Strong);
        assert_eq!(&p.text[p.inlines[1].span.clone()], "Rachmon");
        assert_eq!(doc.blocks[2].text, "Ein Zitat.\nZweite Zeile.");
        assert_eq!(doc.blocks[3].text, "Punkt eins\nweiter");
    }

    #[test]
    fn untouched_round_trip_is_exact() {
        let doc = read("a.md", SAMPLE);
        assert_eq!(write(&doc), SAMPLE);
    }

    #[test]
    fn translated_block_keeps_markup_around_surviving_words() {
        let mut doc = read("a.md", SAMPLE);
        let b = &mut doc.blocks[1];
        let span = 0..b.text.find('\n').unwrap();
        let mut seg = Segment::new(0, &b.text, span);
        seg.translation = Some("The Russian president met Rachmon in Duschanbe.".into());
        b.segments = vec![seg];
        let out = write(&doc);
        assert!(out.contains("The Russian president met [Rachmon](https://example.org/r) in `Duschanbe`.\nEr blieb zwei Tage.\n"), "{out}");
        let lost = lost_inlines(&doc.blocks[1], &doc.blocks[1].segments[0]);
        assert_eq!(lost.len(), 1, "the strong 'russische' is gone");
    }

    #[test]
    fn quote_continuation_prefix_is_restored() {
        let mut doc = read("a.md", SAMPLE);
        let b = &mut doc.blocks[2];
        let all = 0..b.text.len();
        let mut seg = Segment::new(0, &b.text, all);
        seg.translation = Some("A quote.\nSecond line.".into());
        b.segments = vec![seg];
        assert!(write(&doc).contains("> A quote.\n> Second line.\n"));
    }
}
