//! How writing inline markup back scales with the number of tags: one HTML paragraph of
//! generated sentences, each with a bold run holding an italic word, a link of two words and an
//! image after a word (four elements per sentence), every sentence "translated" without any
//! placement from an engine, so that the writer places every tag itself:
//!
//! - `reversed`: the words in reverse order (every element's words are found again);
//! - `changed`: every word changed (no element's words are found: relative places).
//!
//! Times `doc::render` (layout, nesting and writing) and `doc::moved_inlines` for 1,000 to
//! 100,000 tags in one block; prints the time per tag. Asserts nothing but that every tag came
//! out.
//!
//! `cargo bench -p tarjuman --no-default-features --bench inline_markup` (`INLINE_BENCH_MAX`
//! sets the largest number of tags).

use std::time::Instant;

use tarjuman::doc::{self, Format};
use tarjuman::segment::Segmenter;

const WORDS: &[&str] = &[
    "perro", "gato", "casa", "rojo", "come", "carne", "verde", "ayer", "hoy", "grande", "calle",
    "ciudad", "noche", "agua", "libro", "mesa",
];

/// One paragraph of `sentences` sentences, four inline elements each; with `capitals`, each
/// sentence starts with a capital (one segment each), else the paragraph is one long segment.
fn page(sentences: usize, capitals: bool) -> String {
    let w = |i: usize| WORDS[i % WORDS.len()];
    let first = |i: usize| {
        let w = w(i);
        if capitals {
            w[..1].to_uppercase() + &w[1..]
        } else {
            w.to_string()
        }
    };
    let mut p = String::from("<html><body><p>");
    for s in 0..sentences {
        let k = s * 7;
        p.push_str(&format!(
            "{} <b>{} <i>{}</i></b> {} <a href=\"/{s}\">{} {}</a> {}<img src=\"i{s}.png\"/> {}. ",
            first(k),
            w(k + 1),
            w(k + 2),
            w(k + 3),
            w(k + 4),
            w(k + 5),
            w(k + 6),
            w(k + 7)
        ));
    }
    p.push_str("</p></body></html>\n");
    p
}

fn main() {
    let max: usize = std::env::var("INLINE_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("| tags | segments | translation | render | per tag | moved_inlines | moved |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut tags = 1_000;
    while tags <= max {
        for capitals in [true, false] {
            run(tags, capitals);
        }
        tags *= 10;
    }
}

fn run(tags: usize, capitals: bool) {
    let html = page(tags / 4, capitals);
    let mut d = doc::parse(Format::Html, "bench.html", &html).expect("parses");
    Segmenter::default().segment_document(&mut d);
    let segments: usize = d.blocks.iter().map(|b| b.segments.len()).sum();
    {
        for kind in ["reversed", "changed"] {
            for b in &mut d.blocks {
                for s in &mut b.segments {
                    let words: Vec<&str> = s.text.split_whitespace().collect();
                    let tr: Vec<String> = match kind {
                        "reversed" => words.iter().rev().map(|w| w.to_string()).collect(),
                        _ => words.iter().map(|w| format!("{w}x")).collect(),
                    };
                    s.translation = Some(tr.join(" "));
                }
            }
            let start = Instant::now();
            let out = doc::render(&d);
            let render = start.elapsed();
            assert_eq!(
                out.matches("<a href").count(),
                tags / 4,
                "every link comes out"
            );
            assert_eq!(
                out.matches("<img").count(),
                tags / 4,
                "every image comes out"
            );
            let start = Instant::now();
            let moved: usize = d
                .blocks
                .iter()
                .map(|b| doc::moved_inlines(Format::Html, b).len())
                .sum();
            let notes = start.elapsed();
            println!(
                "| {tags} | {segments} | {kind} | {:.1} ms | {:.2} µs | {:.1} ms | {moved} |",
                render.as_secs_f64() * 1e3,
                render.as_secs_f64() * 1e6 / tags as f64,
                notes.as_secs_f64() * 1e3,
            );
        }
    }
}
