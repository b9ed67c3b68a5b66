//! The cost of segmenting, detecting and analysing a document grows linearly with its size.
//!
//! Plain text with one sentence per line and no blank lines is a single block; that shape
//! once made `detect` quadratic (a line count from the block's start per segment). These
//! tests measure work, not time: the segmenter counts the chars its scanner looks at, the
//! detector the bytes of text it analyses. Work at 4n lines must stay within 4.4 times the
//! work at n lines (a quadratic step makes it about 16 times), so a slow or busy machine
//! cannot make them fail.
//!
//! The lines are real sentences of many languages from the shared lingua dev file (the test
//! prints a notice and passes when it is missing, unless `TARJUMAN_REQUIRE_SHARED=1`).

mod common;

use tarjuman::config::Config;
use tarjuman::detect::Detector;
use tarjuman::doc::{self, Format};
use tarjuman::pipeline::Pipeline;
use tarjuman::route::Router;
use tarjuman::segment::{segment_lines, Segmenter};
use tarjuman::Lang;

/// The sentences of the shared lingua dev file, or `None` if it is missing.
fn sentences() -> Option<Vec<String>> {
    let path = common::shared("langid/lingua-dev.tsv")?;
    let data = std::fs::read_to_string(path).expect("read lingua-dev.tsv");
    let out: Vec<String> = data
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let (_, kind, text) = (parts.next()?, parts.next()?, parts.next()?);
            (kind == "sentences").then(|| text.to_string())
        })
        .collect();
    assert!(out.len() > 1000, "too few sentences: {}", out.len());
    Some(out)
}

/// `n` lines drawn from `pool` by a fixed pseudo-random sequence, one per line, no blank line.
fn lines(pool: &[String], n: usize) -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = String::new();
    for _ in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let pick = &pool[(state % pool.len() as u64) as usize];
        out.push_str(pick);
        out.push('\n');
    }
    out
}

/// What `tarjuman detect` does to a text document: (segmenter work, detector work,
/// segments, line numbers handed out).
fn detect_work(text: &str) -> (u64, u64, usize, usize) {
    let segmenter = Segmenter::new(&Default::default());
    let detector = Detector::new(Vec::new());
    let mut doc = doc::parse(Format::Text, "lines.txt", text).expect("parse");
    doc.lang = detector.document_language(&doc);
    segmenter.segment_document(&mut doc);
    detector.detect_document(&mut doc);
    let mut lines = 0;
    let mut last = 0;
    for block in &doc.blocks {
        for line in segment_lines(block) {
            assert!(line >= last, "line numbers go back: {line} after {last}");
            last = line;
            lines += 1;
        }
    }
    (
        segmenter.work(),
        detector.work(),
        doc.segment_count(),
        lines,
    )
}

fn assert_linear(what: &str, small: u64, large: u64) {
    assert!(small > 0, "{what}: no work measured");
    let ratio = large as f64 / small as f64;
    assert!(
        ratio <= 4.4,
        "{what}: 4× the lines cost {ratio:.2}× the work ({small} → {large})"
    );
}

#[test]
fn detect_work_is_linear_in_lines() {
    let Some(pool) = sentences() else { return };
    let n = 1500;
    let small = lines(&pool, n);
    let large = lines(&pool, 4 * n);
    let (seg_s, det_s, segs_s, lines_s) = detect_work(&small);
    let (seg_l, det_l, segs_l, lines_l) = detect_work(&large);
    // One sentence per line: about one segment per line (a line without final punctuation
    // joins the next one).
    assert!(segs_s * 10 >= n * 7, "{segs_s} segments for {n} lines");
    assert!(
        segs_l * 10 >= 4 * n * 7,
        "{segs_l} segments for {} lines",
        4 * n
    );
    assert_eq!((lines_s, lines_l), (segs_s, segs_l));
    assert_linear("segmenter", seg_s, seg_l);
    assert_linear("detector", det_s, det_l);
    // Every segment is analysed once, plus a bounded sample for the document language.
    assert!(
        det_l <= 2 * large.len() as u64,
        "detector read {det_l} bytes of a {}-byte text",
        large.len()
    );
}

#[test]
fn pipeline_analysis_is_linear_in_lines() {
    let Some(pool) = sentences() else { return };
    let analyse = |text: &str| {
        let pipeline = Pipeline {
            segmenter: Segmenter::new(&Default::default()),
            detector: Detector::new(Vec::new()),
            router: Router::from_config(&Config::default(), Lang::from_code("en").expect("en")),
            from: None,
            progress: false,
            glossary: None,
            memory: None,
        };
        let mut doc = doc::parse(Format::Text, "lines.txt", text).expect("parse");
        pipeline.analyse(&mut doc);
        assert!(doc.segments().all(|s| s.lang.is_some() || !s.has_letters()));
        (pipeline.segmenter.work(), pipeline.detector.work())
    };
    let n = 1500;
    let (seg_s, det_s) = analyse(&lines(&pool, n));
    let (seg_l, det_l) = analyse(&lines(&pool, 4 * n));
    assert_linear("segmenter", seg_s, seg_l);
    assert_linear("detector", det_s, det_l);
}

#[test]
fn one_stray_quote_does_not_hold_a_long_block_together() {
    let Some(pool) = sentences() else { return };
    // An opening guillemet on the first line and a closing one 2,000 lines later: too far
    // apart to be a quotation, so every line still ends its own sentence.
    let mut text = String::from("«");
    text.push_str(&lines(&pool, 2000));
    text.push_str("» Fin.\n");
    let doc = {
        let mut d = doc::parse(Format::Text, "t.txt", &text).expect("parse");
        Segmenter::new(&Default::default()).segment_document(&mut d);
        d
    };
    let longest = doc.segments().map(|s| s.text.len()).max().unwrap_or(0);
    assert!(doc.segment_count() >= 1400, "{}", doc.segment_count());
    assert!(longest < 8192, "a segment of {longest} bytes");
}
