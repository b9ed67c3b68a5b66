//! Accuracy thresholds of the language detector on the shared lingua dev file.
//!
//! The file is `../shared/langid/lingua-dev.tsv` relative to the crate root, or the path in
//! `TARJUMAN_LANGID_TSV`. If it is missing the test prints a notice and passes, unless
//! `TARJUMAN_REQUIRE_SHARED=1`, in which case it fails.

use std::path::PathBuf;

use tarjuman::detect::Detector;
use tarjuman::Lang;

const LANGS: [&str; 11] = [
    "de", "en", "ru", "uk", "fr", "es", "it", "pl", "tr", "ar", "fa",
];

/// Minimum accuracy (percent) per kind of line.
const THRESHOLDS: [(&str, f64); 3] = [
    ("sentences", 99.0),
    ("word-pairs", 85.0),
    ("single-words", 70.0),
];

fn tsv_path() -> PathBuf {
    match std::env::var_os("TARJUMAN_LANGID_TSV") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/langid/lingua-dev.tsv"),
    }
}

#[test]
fn accuracy_on_lingua_dev_subset() {
    let path = tsv_path();
    let data = match std::fs::read_to_string(&path) {
        Ok(d) => d,
        Err(e) => {
            let required = std::env::var("TARJUMAN_REQUIRE_SHARED").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "TARJUMAN_REQUIRE_SHARED=1 but {} cannot be read: {e}",
                path.display()
            );
            eprintln!(
                "skipping langid accuracy test: {} not readable ({e})",
                path.display()
            );
            return;
        }
    };
    let candidates: Vec<Lang> = LANGS
        .iter()
        .map(|c| Lang::from_code(c).expect("known code"))
        .collect();
    let det = Detector::new(candidates);
    let mut tally: Vec<(usize, usize)> = vec![(0, 0); THRESHOLDS.len()];
    for line in data.lines().skip(1) {
        let mut parts = line.splitn(3, '\t');
        let (Some(code), Some(kind), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if !LANGS.contains(&code) {
            continue;
        }
        let Some(k) = THRESHOLDS.iter().position(|t| t.0 == kind) else {
            continue;
        };
        let want = Lang::from_code(code).expect("known code");
        let got = det.detect(text).map(|d| d.lang);
        tally[k].0 += 1;
        tally[k].1 += usize::from(got == Some(want));
    }
    let mut failures = Vec::new();
    for ((kind, min), (n, ok)) in THRESHOLDS.iter().zip(&tally) {
        assert!(*n > 0, "no `{kind}` lines in {}", path.display());
        let acc = 100.0 * *ok as f64 / *n as f64;
        eprintln!("{kind:<14} {ok:>5}/{n:<5} {acc:6.2}% (min {min}%)");
        if acc < *min {
            failures.push(format!("{kind}: {acc:.2}% < {min}%"));
        }
    }
    assert!(failures.is_empty(), "below threshold: {failures:?}");
}
