//! Turning the bytes of an input into text, and keeping the output's declared encoding true.
//!
//! The encoding of an input comes from, in this order: its byte-order mark (UTF-8, UTF-16 and
//! UTF-32, little and big endian); an HTTP `Content-Type` charset when the input was fetched;
//! the first bytes of an XML document without a mark (`<?xml` in UTF-16 or UTF-32); the
//! `encoding` of an XML declaration; an HTML `<meta charset>` (or `http-equiv`
//! `Content-Type`) in the first 1,024 bytes; the `charset` of a PO header. Anything else is
//! UTF-8. Every encoding of the WHATWG Encoding Standard is read (through `encoding_rs`:
//! Windows-125x, ISO-8859-x, KOI8-R/U, Shift_JIS, GBK, Big5, EUC-KR…), and UTF-32.
//!
//! Output is always UTF-8: [`declare_utf8`] rewrites a declaration that names another
//! encoding (when the output is not plain ASCII, which reads the same in both, or the declared
//! encoding is not ASCII-compatible, like UTF-16). A UTF-8 byte-order mark is kept (the
//! readers see it as a leading U+FEFF, which [`super::parse`] takes off and
//! [`super::render`] puts back); another encoding's mark is not written.

use std::path::Path;

use encoding_rs::Encoding;

use super::Format;
use crate::error::{Error, Result};

/// Reads an input (a path, or standard input for `None` or `-`) as text, decoded as
/// [`decode`] does. Returns the origin name used in messages and the text.
pub fn read_input(path: Option<&Path>) -> Result<(String, String)> {
    use std::io::Read;
    let (origin, bytes) = match path {
        Some(p) if p.as_os_str() != "-" => {
            let origin = p.display().to_string();
            if p.is_dir() {
                return Err(Error::Io {
                    origin,
                    source: std::io::Error::other("is a directory, not a file"),
                });
            }
            let bytes = std::fs::read(p).map_err(|source| Error::Io {
                origin: origin.clone(),
                source,
            })?;
            (origin, bytes)
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    origin: "-".into(),
                    source,
                })?;
            ("-".to_string(), bytes)
        }
    };
    let text = decode(&origin, bytes)?;
    Ok((origin, text))
}

/// Decodes the bytes of an input by its byte-order mark or declaration (see the module
/// documentation). A UTF-8 byte-order mark stays, as a leading U+FEFF. Bytes that are not
/// valid in the encoding are an error naming the line of the first one.
pub fn decode(origin: &str, bytes: Vec<u8>) -> Result<String> {
    decode_declared(origin, bytes, None)
}

/// [`decode`], with the charset of an HTTP `Content-Type` header, which comes after a
/// byte-order mark but before what the document declares.
pub fn decode_declared(origin: &str, bytes: Vec<u8>, http_charset: Option<&str>) -> Result<String> {
    let b = bytes.as_slice();
    let utf32 = match b {
        [0xFF, 0xFE, 0, 0, ..] | [b'<', 0, 0, 0, ..] => Some(false),
        [0, 0, 0xFE, 0xFF, ..] | [0, 0, 0, b'<', ..] => Some(true),
        _ => None,
    };
    if let Some(big_endian) = utf32 {
        return decode_utf32(origin, b, big_endian);
    }
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return utf8(origin, bytes);
    }
    let bom_or_sniffed = match b {
        [0xFF, 0xFE, ..] | [b'<', 0, b'?', 0, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] | [0, b'<', 0, b'?', ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    let declared = || {
        http_charset
            .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
            .or_else(|| declared_label(b).and_then(|l| Encoding::for_label(l.as_bytes())))
            // A document read as ASCII cannot be in UTF-16, whatever it says.
            .map(|e| {
                if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                }
            })
    };
    match bom_or_sniffed.or_else(declared) {
        // An HTML page that declares nothing and is not UTF-8 (pages written before UTF-8
        // was the default): read as windows-1252, the WHATWG encoding standard's default for
        // such documents, as browsers do. XML without a declaration must be UTF-8.
        None if looks_like_html(b) && std::str::from_utf8(b).is_err() => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(b);
            Ok(text.into_owned())
        }
        None => utf8(origin, bytes),
        Some(e) if e == encoding_rs::UTF_8 => utf8(origin, bytes),
        Some(e) => {
            let (text, _, malformed) = e.decode(b);
            if malformed {
                let at = text.find('\u{fffd}').unwrap_or(0);
                let line = 1 + text[..at].matches('\n').count();
                return Err(Error::Parse {
                    origin: origin.to_string(),
                    line,
                    message: format!("input is not valid {} (its declared encoding)", e.name()),
                });
            }
            // `decode` takes off the byte-order mark of UTF-16.
            Ok(text.into_owned())
        }
    }
}

/// Whether `bytes` begin (after blanks and comments) with an HTML doctype or `<html>`.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes[..bytes.len().min(1024)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    let mut rest = head.as_slice();
    loop {
        while rest.first().is_some_and(u8::is_ascii_whitespace) {
            rest = &rest[1..];
        }
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else {
            break;
        }
    }
    rest.starts_with(b"<!doctype html") || rest.starts_with(b"<html")
}

/// Decodes `bytes` as [`decode`] does, without a byte-order mark.
pub fn decode_utf8(origin: &str, bytes: Vec<u8>) -> Result<String> {
    let mut s = decode(origin, bytes)?;
    if s.starts_with('\u{feff}') {
        s.drain(..3);
    }
    Ok(s)
}

/// Strict UTF-8 (a byte-order mark stays), naming the line of the first bad byte.
fn utf8(origin: &str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count();
        Error::InvalidUtf8 {
            origin: origin.to_string(),
            line,
            byte,
        }
    })
}

fn decode_utf32(origin: &str, bytes: &[u8], big_endian: bool) -> Result<String> {
    let mut out = String::with_capacity(bytes.len() / 4);
    let mut line = 1;
    for (i, c) in bytes.chunks(4).enumerate() {
        let word = <[u8; 4]>::try_from(c).ok().map(|w| {
            if big_endian {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        });
        match word.and_then(char::from_u32) {
            Some('\u{feff}') if i == 0 => {}
            Some(ch) => {
                line += usize::from(ch == '\n');
                out.push(ch);
            }
            None => {
                return Err(Error::Parse {
                    origin: origin.to_string(),
                    line,
                    message: "input is not valid UTF-32".into(),
                })
            }
        }
    }
    Ok(out)
}

/// The encoding an ASCII-compatible document declares: XML declaration, HTML `<meta>`, or
/// PO header, in its first bytes.
fn declared_label(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    declaration(head).map(|(_, label)| label)
}

/// Where the encoding declaration of a document is (the byte range of its value in `head`)
/// and what it says.
fn declaration(head: &[u8]) -> Option<(std::ops::Range<usize>, String)> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    // The value after `at` (quoted or not), up to a quote, space, `;`, `>` or `?`.
    let value = |at: usize| -> Option<(std::ops::Range<usize>, String)> {
        let mut i = at;
        while head.get(i).is_some_and(|c| *c == b' ') {
            i += 1;
        }
        if head.get(i).is_some_and(|c| *c == b'"' || *c == b'\'') {
            i += 1;
        }
        let end = i + head[i..].iter().position(|c| {
            matches!(
                c,
                b'"' | b'\'' | b' ' | b';' | b'>' | b'?' | b'\\' | b'\n' | b'\r'
            )
        })?;
        let label = std::str::from_utf8(&head[i..end]).ok()?.to_string();
        (!label.is_empty()).then_some((i..end, label))
    };
    let start = lower
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    if lower[start..].starts_with(b"<?xml") {
        let end = find(&lower, b"?>", start)?;
        let at = find(&lower[..end], b"encoding", start)?;
        let eq = find(&lower[..end], b"=", at)?;
        return value(eq + 1);
    }
    if let Some(meta) = find(&lower[..lower.len().min(1024)], b"<meta", 0) {
        let mut from = meta;
        while let Some(m) = find(&lower[..lower.len().min(1024)], b"<meta", from) {
            let end = find(&lower, b">", m).unwrap_or(lower.len());
            if let Some(c) = find(&lower[..end], b"charset", m) {
                let mut i = c + b"charset".len();
                while lower.get(i).is_some_and(|c| *c == b' ') {
                    i += 1;
                }
                if lower.get(i) == Some(&b'=') {
                    return value(i + 1);
                }
            }
            from = m + 5;
        }
        return None;
    }
    if find(&lower, b"msgid", 0).is_some() {
        let ct = find(&lower, b"content-type:", 0)?;
        let line_end = find(&lower, b"\\n", ct).unwrap_or(lower.len());
        let c = find(&lower[..line_end], b"charset=", ct)?;
        return value(c + b"charset=".len());
    }
    None
}

/// Rewrites the encoding declaration of the output `text` (XML declaration, HTML `<meta>`,
/// PO header) to UTF-8 when it names another encoding and the output is not plain ASCII, or
/// the declared encoding is not ASCII-compatible or not one `encoding_rs` knows.
pub(crate) fn declare_utf8(format: Format, text: &mut String) {
    if matches!(format, Format::Text | Format::Markdown | Format::Jsonl) {
        return;
    }
    let offset = usize::from(text.starts_with('\u{feff}')) * 3;
    let head_len = text.len().min(offset + 4096);
    let Some((range, label)) = declaration(&text.as_bytes()[offset..head_len]) else {
        return;
    };
    // A label `encoding_rs` does not know (UTF-32 and UCS-4 in their many spellings, `utf16`)
    // was read by its byte pattern: the UTF-8 output says UTF-8.
    if let Some(enc) = Encoding::for_label(label.as_bytes()) {
        if enc == encoding_rs::UTF_8 || (enc.is_ascii_compatible() && text.is_ascii()) {
            return;
        }
    }
    let range = range.start + offset..range.end + offset;
    if text.is_char_boundary(range.start) && text.is_char_boundary(range.end) {
        text.replace_range(range, "UTF-8");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_page_that_declares_nothing_and_is_not_utf8_is_read_as_windows_1252() {
        let page = b"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head>\n<body><p>Jan Pokorn\xfd, 5 \x80</p></body></html>\n".to_vec();
        let text = decode("a.html", page).unwrap();
        assert!(text.contains("Jan Pokorný, 5 €"), "{text}");
        // XML, and HTML that is UTF-8, are not.
        assert!(decode(
            "a.xml",
            b"<rss><channel><title>Pokorn\xfd</title></channel></rss>".to_vec()
        )
        .is_err());
        assert_eq!(
            decode("b.html", "<html>Pokorný</html>".as_bytes().to_vec()).unwrap(),
            "<html>Pokorný</html>"
        );
    }

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big_endian {
                [0xFE, 0xFF]
            } else {
                [0xFF, 0xFE]
            });
        }
        for u in s.encode_utf16() {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn marks_sniffing_and_declarations() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<rss><channel><title>Ñandú</title></channel></rss>\n";
        for (be, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            assert_eq!(decode("f", utf16(xml, be, bom)).unwrap(), xml);
        }
        let mut utf32: Vec<u8> = vec![0xFF, 0xFE, 0, 0];
        for c in xml.chars() {
            utf32.extend((c as u32).to_le_bytes());
        }
        assert_eq!(decode("f", utf32).unwrap(), xml);
        let latin = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xd1and\xfa</a>".to_vec();
        assert_eq!(
            decode("f", latin).unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>Ñandú</a>"
        );
        let koi8 = b"<html><head><meta charset=\"koi8-r\"></head><body>\xf0\xd2\xc9\xd7\xc5\xd4</body></html>".to_vec();
        assert!(decode("f", koi8).unwrap().contains("Привет"));
        let http = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>\xcf\xf0\xe8</body></html>".to_vec();
        assert!(decode("f", http).unwrap().contains("При"));
        let po = b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"\xe9\"\n".to_vec();
        assert!(decode("f", po).unwrap().contains("msgstr \"é\""));
        // A UTF-8 mark stays; bad UTF-8 names its line.
        assert_eq!(decode("f", b"\xef\xbb\xbfa".to_vec()).unwrap(), "\u{feff}a");
        let e = decode("f", b"a\nb\xff".to_vec()).unwrap_err().to_string();
        assert!(e.starts_with("f:2: input is not valid UTF-8"), "{e}");
    }

    #[test]
    fn output_declares_utf8_when_it_must() {
        let mut t = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>".to_string();
        declare_utf8(Format::Rss, &mut t);
        assert_eq!(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>é</a>");
        let mut ascii = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>e</a>".to_string();
        declare_utf8(Format::Rss, &mut ascii);
        assert!(ascii.contains("ISO-8859-1"));
        let mut wide = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>e</a>".to_string();
        declare_utf8(Format::Atom, &mut wide);
        assert!(wide.contains("encoding=\"UTF-8\""));
        // Labels encoding_rs does not know (feedparser's UTF-32 and UCS-4 tests).
        for label in ["utf_32", "csucs4", "utf16", "UCS-4"] {
            let mut t = format!("<?xml version=\"1.0\" encoding=\"{label}\"?><rss></rss>");
            declare_utf8(Format::Rss, &mut t);
            assert!(t.contains("encoding=\"UTF-8\""), "{t}");
        }
        let mut html =
            "<html><head><meta charset=windows-1252></head><body>é</body></html>".to_string();
        declare_utf8(Format::Html, &mut html);
        assert!(html.contains("<meta charset=UTF-8>"), "{html}");
        let mut po = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n\nmsgid \"a\"\nmsgstr \"é\"\n".to_string();
        declare_utf8(Format::Po, &mut po);
        assert!(po.contains("charset=UTF-8\\n"), "{po}");
    }
}
