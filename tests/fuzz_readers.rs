//! A mutation fuzzer for every reader, run for a few seconds in the test suite: each reader is
//! fed thousands of damaged variants of seed documents (bytes flipped, inserted, deleted,
//! duplicated, cut; markup tokens, entities, escapes and deep nesting spliced in) and must
//! either parse or return an error, never panic. What parses is written back (the writer must
//! not panic either) and segmented.
//!
//! The sequence of inputs is fixed (a seeded generator); how many are tried depends on the
//! time budget: `TARJUMAN_FUZZ_SECS` seconds per reader (default 1.5). A panic is reported
//! with the input that caused it, escaped, so it can be turned into a test.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use tarjuman::doc::{self, Format};
use tarjuman::glossary::load::{parse_delimited, parse_tbx};
use tarjuman::glossary::Glossary;
use tarjuman::segment::Segmenter;

/// xorshift64*: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces that readers treat specially, spliced in at random places.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&amp;",
    "&nosuch;",
    "&#0;",
    "&#x110000;",
    "&#65;",
    "\"",
    "'",
    "\n",
    "\r\n",
    "\n\n",
    "\0",
    "\t",
    "\\",
    "\\q",
    "\\u",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ",",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x>",
    "<em>",
    "</em>",
    "<a href=\"x\">",
    "</a>",
    "<br/>",
    "<g id=\"1\">",
    "</g>",
    "<x id=\"2\"/>",
    "<source>",
    "</source>",
    "<target>",
    "</target>",
    "<item>",
    "</item>",
    "<entry>",
    "</entry>",
    "<title>",
    "</title>",
    "<channel>",
    "</channel>",
    "msgid \"",
    "msgstr \"",
    "msgid_plural \"",
    "msgstr[0] \"",
    "msgstr[-1] \"",
    "msgstr[99999999999999999999] \"",
    "msgctxt \"",
    "#, fuzzy\n",
    "\"Plural-Forms: nplurals=x;\\n\"",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "# ",
    "> ",
    "- ",
    "1. ",
    "[a](b)",
    "![i](s)",
    "<http://x>",
    "    ",
    "é",
    "東京",
    "🙂",
    "\u{feff}",
    "\u{200b}",
    "\u{0301}",
    "ß",
    "İ",
    "ﬁ",
    "\u{2028}",
    "|",
    "de",
    "en",
    "src_lang\ttgt_lang\tsource\ttarget\n",
    "<termEntry>",
    "</termEntry>",
    "<langSet xml:lang=\"de\">",
    "</langSet>",
    "<tig><term>",
    "</term></tig>",
    "Dr. ",
    "U.S. ",
    "z. B. ",
    "... ",
    "?! ",
    "1.5 ",
    "Mr.\n",
];

/// Mutates `input` a few times; sometimes splices in part of `other`.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(9) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            2 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            3 if !v.is_empty() => {
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(256)).min(v.len());
                let piece = v[start..end].to_vec();
                for _ in 0..1 + rng.below(3) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            4 => v.truncate(at),
            5 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(512)).min(other.len());
                v.splice(at..at, other[start..end].iter().copied());
            }
            6 => {
                // Deep nesting or a long run of one token.
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let n = 1 + rng.below(2000);
                let run: Vec<u8> = t.iter().copied().cycle().take(t.len() * n).collect();
                v.splice(at..at, run);
            }
            7 => {
                let b = [0u8, b'\n', b'<', b'&', b'"', 0xc3, 0xff, b' '][rng.below(8)];
                v.insert(at, b);
            }
            _ => {
                // A line repeated: many records, entries or paragraphs.
                let line_start = v[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let line_end = v[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(v.len(), |i| at + i + 1);
                let line = v[line_start..line_end].to_vec();
                for _ in 0..rng.below(50) {
                    v.splice(line_end..line_end, line.iter().copied());
                }
            }
        }
    }
    v
}

fn budget() -> Duration {
    let secs = std::env::var("TARJUMAN_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(1.5);
    Duration::from_secs_f64(secs)
}

fn escaped(bytes: &[u8]) -> String {
    let s: String = String::from_utf8_lossy(bytes).escape_debug().collect();
    if s.chars().count() > 2000 {
        let head: String = s.chars().take(2000).collect();
        format!("{head}… ({} bytes)", bytes.len())
    } else {
        s
    }
}

/// Runs `check` on mutants of `seeds` for the time budget; panics (after the run) if any input
/// made it panic, naming the first such input.
fn fuzz(name: &str, seed: u64, seeds: &[Vec<u8>], check: impl Fn(&[u8])) {
    // One report per panic, not the default hook's backtrace for each.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let start = Instant::now();
    let mut tried = 0usize;
    let mut failures: Vec<(String, Vec<u8>)> = Vec::new();
    let mut slowest: (Duration, Vec<u8>) = (Duration::ZERO, Vec::new());
    // Every seed as it is, then mutants.
    let mut inputs = seeds.iter().cloned();
    while start.elapsed() < budget() || tried < seeds.len() {
        let input = match inputs.next() {
            Some(s) => s,
            None => {
                let a = &seeds[rng.below(seeds.len())];
                let b = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, a, b)
            }
        };
        tried += 1;
        let began = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
        if began.elapsed() > slowest.0 {
            slowest = (began.elapsed(), input.clone());
        }
        if let Err(p) = outcome {
            let message = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push((message, input));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    std::panic::set_hook(previous);
    eprintln!(
        "fuzz {name}: {tried} inputs in {:.1} s; slowest {:.3} s ({} bytes): \"{}\"",
        start.elapsed().as_secs_f64(),
        slowest.0.as_secs_f64(),
        slowest.1.len(),
        escaped(&slowest.1[..slowest.1.len().min(300)])
    );
    if let Some((message, input)) = failures.first() {
        panic!(
            "{name}: {} of {tried} inputs panicked; the first: {message}\ninput: \"{}\"",
            failures.len(),
            escaped(input)
        );
    }
}

/// A reader run the way the commands run it: UTF-8 decoded, parsed, and when it parses,
/// segmented and written back.
fn through_reader(format: Format, bytes: &[u8]) {
    let Ok(text) = doc::decode_utf8("fuzz", bytes.to_vec()) else {
        return;
    };
    if let Ok(mut d) = doc::parse(format, "fuzz", &text) {
        Segmenter::new(&Default::default()).segment_document(&mut d);
        for s in d.segments_mut() {
            s.translation = Some(format!("[{}]", s.text));
        }
        let _ = doc::render(&d);
    }
}

fn seeds(texts: &[&str]) -> Vec<Vec<u8>> {
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

/// A real file from a Debian package that the setup script installs, when present.
fn installed(path: &str) -> Option<Vec<u8>> {
    std::fs::read(path).ok().filter(|b| b.len() < 200_000)
}

#[test]
fn fuzz_text() {
    let mut s = seeds(&[
        "Titel der Meldung\n\nErster Absatz. Zweiter Satz!\nNeue Zeile.\n\n\nDritter Absatz\n",
        "Dr. Müller kam um 10.30 Uhr. „Wir kommen“, sagte er…\n\n2022\n",
        "Один. Два? Три!\n\n東京で会議。次の文。\n",
    ]);
    if let Some(corpus) = installed(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/newstest-tymoshenko.de.txt"
    )) {
        s.push(corpus);
    }
    fuzz("text", 1, &s, |b| through_reader(Format::Text, b));
}

#[test]
fn fuzz_markdown() {
    let s = seeds(&[
        "# Titel\n\nEin **fetter** und *kursiver* Satz mit `Code` und [Link](http://x.y).\n\n- eins\n- zwei\n\n> Zitat\n\n```\ncode\n```\n\n1. erstens\n",
        "Setext\n======\n\n![Bild](a.png) <http://auto.link> \\*escaped\\*\n\n    indented code\n\n| a | b |\n|---|---|\n",
    ]);
    fuzz("markdown", 2, &s, |b| through_reader(Format::Markdown, b));
}

#[test]
fn fuzz_jsonl() {
    let s = seeds(&[
        "{\"id\":1,\"text\":\"Hallo Welt.\",\"meta\":{\"a\":[1,2]}}\n\n{\"id\":\"b\",\"text\":\"Zweiter \\\"Satz\\\". Dritter.\"}\n",
        "{\"text\":\"\\u00e9\\ud83d\\ude42 ok\",\"translation\":\"x\",\"lang\":\"de\"}\n",
    ]);
    fuzz("jsonl", 3, &s, |b| through_reader(Format::Jsonl, b));
}

#[test]
fn fuzz_html() {
    let mut s = seeds(&[
        "<!DOCTYPE html>\n<html lang=\"de\"><head><title>Titel</title><meta name=\"description\" content=\"Beschreibung\"></head>\n<body><h1>Überschrift</h1><p>Ein <em>wichtiger</em> Satz mit <a href=\"/x\">Link</a>.<br>Zweiter Satz &amp; mehr&nbsp;Text.</p>\n<ul><li>eins</li><li>zwei</li></ul><script>var x = \"<p>\";</script><pre>code</pre></body></html>\n",
        "<p>Fragment <span><span><b>tief</b></span></span> &lt;kein Tag&gt;</p><img alt=\"Bild\" src=\"a.png\">",
    ]);
    s.extend(installed("/usr/share/gettext/projects/TP/teams.html"));
    fuzz("html", 4, &s, |b| through_reader(Format::Html, b));
}

#[test]
fn fuzz_rss_and_atom() {
    let rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Nachrichten</title><link>http://x</link><description>Neu &amp; wichtig</description><language>de</language>\n<item><title>Erste Meldung</title><guid>1</guid><description><![CDATA[<p>Ein <em>Satz</em>.</p>]]></description></item>\n<item><title>Zweite</title><description>&lt;b&gt;fett&lt;/b&gt; Text</description></item></channel></rss>\n";
    let atom = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\"><title>Titel</title><id>urn:x</id><updated>2026-11-28T00:00:00Z</updated>\n<entry><title type=\"html\">&lt;em&gt;Eintrag&lt;/em&gt;</title><id>urn:x:1</id><updated>2026-11-28T00:00:00Z</updated><summary>Zusammenfassung.</summary><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Inhalt</p></div></content></entry></feed>\n";
    let s = seeds(&[rss, atom]);
    fuzz("rss", 5, &s, |b| through_reader(Format::Rss, b));
    fuzz("atom", 6, &s, |b| through_reader(Format::Atom, b));
}

#[test]
fn fuzz_xliff() {
    let s = seeds(&[
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file source-language=\"de\" target-language=\"en\" datatype=\"plaintext\" original=\"x\"><body>\n<trans-unit id=\"1\"><source>Hallo <g id=\"1\">Welt</g>.</source><target>Hello</target></trans-unit>\n<trans-unit id=\"2\"><source>Zweiter <x id=\"2\"/> Satz &amp; mehr.</source></trans-unit>\n</body></file></xliff>\n",
        "<?xml version=\"1.0\"?>\n<xliff version=\"2.0\" xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" srcLang=\"de\" trgLang=\"en\"><file id=\"f\"><unit id=\"u\"><segment><source>Ein <pc id=\"1\">Satz</pc>.</source></segment></unit></file></xliff>\n",
    ]);
    fuzz("xliff", 7, &s, |b| {
        through_reader(Format::Xliff, b);
        if let Ok(text) = std::str::from_utf8(b) {
            let _ = doc::xliff::read_pairs("fuzz", text);
        }
    });
}

#[test]
fn fuzz_po() {
    let mut s = seeds(&[
        "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n#: src/x.c:1\n#, c-format\nmsgid \"Hello %s\\n\"\nmsgstr \"\"\n\nmsgctxt \"menu\"\nmsgid \"File\"\nmsgid_plural \"Files\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\n#~ msgid \"old\"\n#~ msgstr \"alt\"\n",
    ]);
    s.extend(installed("/usr/share/doc/gawk/examples/data/guide.po"));
    fuzz("po", 8, &s, |b| {
        through_reader(Format::Po, b);
        if let Ok(text) = std::str::from_utf8(b) {
            let _ = doc::po::read_pairs("fuzz", text);
        }
    });
}

/// A glossary that loads is also compiled and searched.
fn glossary_used(entries: Vec<tarjuman::glossary::Entry>) {
    let g = Glossary::from_entries(entries);
    for e in g.entries().to_vec() {
        if let Ok(Some(p)) = g.for_pair(e.src_lang, e.tgt_lang) {
            let text = format!("{} und {}s sowie {}.", e.sources[0], e.target, e.target);
            let _ = p.find_sources(&text);
            let _ = p.find_targets(&text);
            let _ = tarjuman::glossary::protect::protect(&p, &text);
        }
    }
}

#[test]
fn fuzz_glossaries() {
    let tsv = "src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n# names\nde\ten\tTokajew|Tokaev\tTokayev\tTokajev\tinsensitive\tpresident\nru\ten\tМосква\tMoscow\t\t\t\nde\ten\tKiew\tKyiv\tKiev\t\t\n";
    let csv = "src_lang,tgt_lang,source,target,variants,case,note\nde,en,\"Kiew|Kyjiw\",Kyiv,Kiev,,\"capital, Ukraine\"\n";
    let tbx = "<?xml version=\"1.0\"?>\n<martif type=\"TBX-Basic\"><text><body>\n<termEntry id=\"t1\"><descrip type=\"definition\">Präsident</descrip>\n<langSet xml:lang=\"de\"><tig><term>Tokajew</term></tig></langSet>\n<langSet xml:lang=\"en\"><tig><term>Tokayev</term></tig><tig><term>Tokaev</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote></tig></langSet>\n</termEntry>\n<conceptEntry id=\"c\"><langSec xml:lang=\"ru\"><termSec><term>Москва</term></termSec></langSec><langSec xml:lang=\"en\"><termSec><term>Moscow</term></termSec></langSec></conceptEntry>\n</body></text></martif>\n";
    let s = seeds(&[tsv, csv, tbx]);
    fuzz("glossary tsv", 9, &s, |b| {
        if let Ok(t) = std::str::from_utf8(b) {
            if let Ok(e) = parse_delimited("fuzz.tsv", t, '\t') {
                glossary_used(e);
            }
        }
    });
    fuzz("glossary csv", 10, &s, |b| {
        if let Ok(t) = std::str::from_utf8(b) {
            if let Ok(e) = parse_delimited("fuzz.csv", t, ',') {
                glossary_used(e);
            }
        }
    });
    fuzz("glossary tbx", 11, &s, |b| {
        if let Ok(t) = std::str::from_utf8(b) {
            if let Ok(e) = parse_tbx("fuzz.tbx", t) {
                glossary_used(e);
            }
        }
    });
}

/// The chunk reader hands back exactly the input, cut only at line starts, whatever the input
/// and the chunk size; each chunk of text parses or is an error, never a panic.
#[test]
fn fuzz_chunks() {
    use tarjuman::doc::stream::{ChunkReader, Cut};
    let s = seeds(&[
        "Titel\n\nEin Absatz.\nZweite Zeile.\n\n\n  \nZweiter Absatz. Mit Satz!\nNoch einer.\n",
        "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n  \n{\"text\":\"c\"}",
    ]);
    let rng = std::cell::RefCell::new(Rng(12));
    fuzz("chunks", 12, &s, |b| {
        let size = 1 + rng.borrow_mut().below(64);
        for cut in [Cut::Paragraphs, Cut::Lines] {
            let input = doc::stream::Input::from_reader("fuzz", std::io::Cursor::new(b.to_vec()));
            let mut reader = ChunkReader::new(input, Vec::new(), cut, size);
            let mut joined = Vec::new();
            loop {
                match reader.next_chunk() {
                    Ok(Some(c)) => {
                        // Chunks start on a line start, or inside a line longer than the
                        // chunk right after a plain sentence end (`. `, `! `, `? `).
                        let after_sentence_end = joined.len() >= 2
                            && joined.ends_with(b" ")
                            && matches!(joined[joined.len() - 2], b'.' | b'!' | b'?');
                        assert!(
                            c.index == 0 || joined.ends_with(b"\n") || after_sentence_end,
                            "cut inside a line"
                        );
                        joined.extend_from_slice(c.text.as_bytes());
                        let _ = c.parse(Format::Text, "fuzz");
                    }
                    Ok(None) => break,
                    Err(_) => return,
                }
            }
            let expected = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
            assert_eq!(joined, expected);
        }
    });
}
