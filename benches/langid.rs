//! Language-identification accuracy and speed of `tarjuman::detect::Detector` against plain
//! `whatlang` with the same allowlist, on the shared lingua dev file.
//!
//! ```text
//! cargo bench -p tarjuman --no-default-features --bench langid
//! ```
//!
//! Reads `../shared/langid/lingua-dev.tsv` (relative to the crate root) or the file named by
//! `TARJUMAN_LANGID_TSV`; lines are `lang<TAB>kind<TAB>text`, each used as one unit with no
//! document prior. Three measurements:
//!
//! 1. **eleven** — the lines of the eleven languages of `tests/detect.rs`, with those eleven
//!    as candidates (the test holds the thresholds);
//! 2. **all** — every line of the file, with every language of the file that tarjuman knows
//!    as a candidate (plain whatlang gets those it can detect as its allowlist). A line whose
//!    language tarjuman cannot name, or cannot detect, counts as wrong for both;
//! 3. **close** — groups of close languages (Ibero-Romance, Germanic, East/South Slavic
//!    Cyrillic, West Slavic, Western South Slavic), each group's lines with that group as
//!    candidates; tallies are summed over the groups.
//!
//! Lines are also split by parity of their position in the file (even / odd) so that a tuning
//! run on one half can be checked on the other. It measures and prints; it asserts nothing.
//!
//! Each measurement also prints a calibration table: units binned by the confidence the
//! detector reports, with the share of them it got right (units whose language tarjuman
//! cannot name are left out: no confidence about the candidates can cover them).
//!
//! Environment: `TARJUMAN_LANGID_ONLY=eleven|all|close` runs one measurement;
//! `TARJUMAN_LANGID_FIT=1` also fits the calibration constants
//! (`DetectorOptions::calibration_scale` and `calibration_exponent`) on the even lines of
//! the measurements run, by the log-likelihood of the right language, and prints them;
//! `TARJUMAN_LANGID_CONFUSIONS=N` also prints the N most frequent confusions of each
//! measurement (tarjuman only; `TARJUMAN_LANGID_HALF=even|odd` restricts them to one half);
//! `TARJUMAN_LANGID_BY_LANG=0` drops the per-language tables.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use tarjuman::detect::{Detector, DetectorOptions};
use tarjuman::Lang;

const ELEVEN: [&str; 11] = [
    "de", "en", "ru", "uk", "fr", "es", "it", "pl", "tr", "ar", "fa",
];

const CLOSE: [&[&str]; 5] = [
    &["es", "ca", "pt", "gl", "it", "fr"],
    &["de", "nl", "da", "sv", "nb", "en"],
    &["ru", "uk", "be", "bg", "mk", "sr", "kk"],
    &["cs", "sk", "pl"],
    &["hr", "sr", "bs", "sl"],
];

struct Unit {
    code: String,
    lang: Option<Lang>,
    kind: String,
    text: String,
    /// Position of the line among the file's data lines.
    index: usize,
}

fn tsv_path() -> PathBuf {
    match std::env::var_os("TARJUMAN_LANGID_TSV") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/langid/lingua-dev.tsv"),
    }
}

fn load(data: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for (index, line) in data.lines().skip(1).enumerate() {
        let mut parts = line.splitn(3, '\t');
        let (Some(code), Some(kind), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        units.push(Unit {
            code: code.to_string(),
            lang: Lang::from_code(code).ok(),
            kind: kind.to_string(),
            text: text.to_string(),
            index,
        });
    }
    units
}

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    ours: usize,
    plain: usize,
}

impl Tally {
    fn add(&mut self, ours: bool, plain: bool) {
        self.n += 1;
        self.ours += usize::from(ours);
        self.plain += usize::from(plain);
    }
}

fn pct(k: usize, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * k as f64 / n as f64
    }
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Tallies of one measurement.
#[derive(Default)]
struct Results {
    /// (kind, half) → tally, where half is "all", "even", "odd".
    by_kind: BTreeMap<(String, &'static str), Tally>,
    /// (kind, language code) → tally.
    by_lang: BTreeMap<(String, String), Tally>,
    /// kind → (tarjuman seconds, whatlang seconds, units).
    times: BTreeMap<String, (f64, f64, usize)>,
    /// (expected, got) → count, tarjuman only.
    confusions: BTreeMap<(String, String), usize>,
    kinds: Vec<String>,
    codes: Vec<String>,
    /// Per unit whose language tarjuman knows: (reported confidence, right, odd line).
    calibration: Vec<(f64, bool, bool)>,
    /// With `TARJUMAN_LANGID_FIT`: per even-line unit, the raw scores with the right
    /// language's index among them (if there) and the letter count.
    raw: Vec<(Vec<f64>, Option<usize>, usize)>,
}

/// Runs `units` through a detector choosing among `candidates` and plain whatlang with the
/// same allowlist, adding to `res`.
fn measure(units: &[&Unit], candidates: &[Lang], res: &mut Results) {
    let allow: Vec<whatlang::Lang> = candidates.iter().filter_map(|l| l.whatlang()).collect();
    let ours = Detector::new(candidates.to_vec());
    let plain = whatlang::Detector::with_allowlist(allow);
    let half_filter = std::env::var("TARJUMAN_LANGID_HALF").ok();
    for u in units {
        if !res.kinds.contains(&u.kind) {
            res.kinds.push(u.kind.clone());
        }
        if !res.codes.contains(&u.code) {
            res.codes.push(u.code.clone());
        }
    }
    let kinds = res.kinds.clone();
    for kind in &kinds {
        let sel: Vec<&Unit> = units.iter().copied().filter(|u| &u.kind == kind).collect();
        if sel.is_empty() {
            continue;
        }
        let t0 = Instant::now();
        let detections: Vec<Option<tarjuman::doc::Detection>> =
            sel.iter().map(|u| ours.detect(&u.text)).collect();
        let t_ours = t0.elapsed().as_secs_f64();
        let got_ours: Vec<Option<Lang>> = detections.iter().map(|d| d.map(|d| d.lang)).collect();
        for (u, d) in sel.iter().zip(&detections) {
            if let (Some(want), Some(d)) = (u.lang, d) {
                res.calibration
                    .push((d.confidence, d.lang == want, u.index % 2 == 1));
            }
        }
        if std::env::var_os("TARJUMAN_LANGID_FIT").is_some() {
            for u in sel.iter().filter(|u| u.index % 2 == 0) {
                let (Some(want), Some(raw)) = (u.lang, ours.raw_scores(&u.text)) else {
                    continue;
                };
                let at = raw.scores.iter().position(|x| x.0 == want);
                let scores = raw.scores.iter().map(|x| x.1).collect();
                res.raw.push((scores, at, raw.letters));
            }
        }
        let t0 = Instant::now();
        let got_plain: Vec<Option<Lang>> = sel
            .iter()
            .map(|u| plain.detect_lang(&u.text).and_then(Lang::from_whatlang))
            .collect();
        let t_plain = t0.elapsed().as_secs_f64();
        let t = res.times.entry(kind.clone()).or_insert((0.0, 0.0, 0));
        t.0 += t_ours;
        t.1 += t_plain;
        t.2 += sel.len();
        for ((u, o), p) in sel.iter().zip(&got_ours).zip(&got_plain) {
            let want = u.lang;
            let ok_o = want.is_some() && *o == want;
            let ok_p = want.is_some() && *p == want;
            let half = if u.index % 2 == 0 { "even" } else { "odd" };
            for h in ["all", half] {
                res.by_kind
                    .entry((kind.clone(), h))
                    .or_default()
                    .add(ok_o, ok_p);
            }
            res.by_lang
                .entry((kind.clone(), u.code.clone()))
                .or_default()
                .add(ok_o, ok_p);
            if !ok_o && half_filter.as_deref().is_none_or(|f| f == half) {
                let got = o.map_or("-", |l| l.code()).to_string();
                *res.confusions.entry((u.code.clone(), got)).or_default() += 1;
            }
        }
    }
}

fn report(title: &str, res: &Results) {
    println!("== {title}");
    println!(
        "{:<14} {:>6} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9}",
        "kind", "n", "all tarj", "all wl", "even tarj", "even wl", "odd tarj", "odd wl"
    );
    for kind in &res.kinds {
        let get = |h: &str| {
            res.by_kind
                .get(&(kind.clone(), h))
                .copied()
                .unwrap_or_default()
        };
        let (a, e, o) = (get("all"), get("even"), get("odd"));
        println!(
            "{:<14} {:>6} | {:>8.2}% {:>8.2}% | {:>8.2}% {:>8.2}% | {:>8.2}% {:>8.2}%",
            kind,
            a.n,
            pct(a.ours, a.n),
            pct(a.plain, a.n),
            pct(e.ours, e.n),
            pct(e.plain, e.n),
            pct(o.ours, o.n),
            pct(o.plain, o.n)
        );
    }
    if env_usize("TARJUMAN_LANGID_BY_LANG") != Some(0) {
        println!();
        print!("{:<6}", "lang");
        for kind in &res.kinds {
            print!(" | {:>22}", format!("{kind} tarj/wl"));
        }
        println!();
        for code in &res.codes {
            print!("{code:<6}");
            for kind in &res.kinds {
                let t = res
                    .by_lang
                    .get(&(kind.clone(), code.clone()))
                    .copied()
                    .unwrap_or_default();
                print!(
                    " | {:>22}",
                    format!("{:.1}% / {:.1}%", pct(t.ours, t.n), pct(t.plain, t.n))
                );
            }
            println!();
        }
    }
    if let Some(n) = env_usize("TARJUMAN_LANGID_CONFUSIONS") {
        let mut c: Vec<(&(String, String), &usize)> = res.confusions.iter().collect();
        c.sort_by(|a, b| b.1.cmp(a.1));
        println!();
        println!("most frequent confusions (expected → got: count):");
        for ((want, got), k) in c.into_iter().take(n) {
            println!("  {want} → {got}: {k}");
        }
    }
    calibration_table(&res.calibration);
    println!();
    println!(
        "{:<14} {:>16} {:>16}",
        "throughput", "tarjuman u/s", "whatlang u/s"
    );
    for kind in &res.kinds {
        if let Some(&(to, tp, n)) = res.times.get(kind) {
            println!(
                "{:<14} {:>16.0} {:>16.0}",
                kind,
                n as f64 / to.max(1e-9),
                n as f64 / tp.max(1e-9)
            );
        }
    }
    println!();
}

/// Bins of reported confidence.
const BINS: [f64; 9] = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0];

/// Prints units by reported confidence against the share right, for all lines and for the
/// odd lines (never looked at when the calibration was fitted), with the expected
/// calibration error (the mean gap between confidence and accuracy, weighted by units).
fn calibration_table(units: &[(f64, bool, bool)]) {
    println!();
    println!(
        "{:<13} | {:>6} {:>9} {:>9} | {:>6} {:>9} {:>9}",
        "confidence", "n", "mean conf", "right", "n odd", "mean conf", "right"
    );
    let mut gaps = [0.0f64; 2];
    let mut totals = [0usize; 2];
    for w in BINS.windows(2) {
        let (lo, hi) = (w[0], w[1]);
        let inside = |c: f64| c >= lo && (c < hi || (hi >= 1.0 && c <= 1.0));
        let mut cells = Vec::new();
        for (h, odd_only) in [false, true].into_iter().enumerate() {
            let sel: Vec<&(f64, bool, bool)> = units
                .iter()
                .filter(|u| inside(u.0) && (!odd_only || u.2))
                .collect();
            let n = sel.len();
            let conf = sel.iter().map(|u| u.0).sum::<f64>() / n.max(1) as f64;
            let right = sel.iter().filter(|u| u.1).count() as f64 / n.max(1) as f64;
            gaps[h] += (conf - right).abs() * n as f64;
            totals[h] += n;
            cells.push(format!(
                "{n:>6} {:>8.1}% {:>8.1}%",
                100.0 * conf,
                100.0 * right
            ));
        }
        println!(
            "[{lo:.2}, {hi:.2}{} | {}",
            if hi >= 1.0 { "]" } else { ")" },
            cells.join(" | ")
        );
    }
    println!(
        "expected calibration error: {:.2} points (all), {:.2} (odd)",
        100.0 * gaps[0] / totals[0].max(1) as f64,
        100.0 * gaps[1] / totals[1].max(1) as f64
    );
}

/// Mean negative log-likelihood of the right language when the raw scores of a text with
/// `n` letters are divided by `scale · n^exponent` (a unit whose language is not among the
/// candidates counts as probability 1e-9).
fn calibration_loss(raw: &[(Vec<f64>, Option<usize>, usize)], scale: f64, exponent: f64) -> f64 {
    let mut total = 0.0;
    for (scores, at, letters) in raw {
        let t = scale * (*letters.max(&1) as f64).powf(exponent);
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let z: f64 = scores.iter().map(|s| ((s - max) / t).exp()).sum();
        let p = at.map_or(1e-9, |i| ((scores[i] - max) / t).exp() / z);
        total -= p.max(1e-9).ln();
    }
    total / raw.len().max(1) as f64
}

/// Fits the calibration constants on `raw` by a coarse, then a fine grid search.
fn fit_calibration(raw: &[(Vec<f64>, Option<usize>, usize)]) {
    let mut best = (f64::INFINITY, 1.0, 0.0);
    for scale in [0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.5, 2.0] {
        for exponent in [0.0, 0.15, 0.25, 0.35, 0.45, 0.55, 0.7] {
            let loss = calibration_loss(raw, scale, exponent);
            if loss < best.0 {
                best = (loss, scale, exponent);
            }
        }
    }
    let (_, s0, e0) = best;
    for ds in [0.8, 0.9, 1.0, 1.1, 1.2] {
        for de in [-0.05, 0.0, 0.05] {
            let (scale, exponent) = (s0 * ds, e0 + de);
            let loss = calibration_loss(raw, scale, exponent);
            if loss < best.0 {
                best = (loss, scale, exponent);
            }
        }
    }
    let o = DetectorOptions::default();
    println!(
        "calibration fit on {} even-line units: scale {:.3}, exponent {:.3} (loss {:.4}); \
         in use: scale {}, exponent {} (loss {:.4}); uncalibrated (1, 0): loss {:.4}",
        raw.len(),
        best.1,
        best.2,
        best.0,
        o.calibration_scale,
        o.calibration_exponent,
        calibration_loss(raw, o.calibration_scale, o.calibration_exponent),
        calibration_loss(raw, 1.0, 0.0)
    );
}

fn langs_of(codes: &[&str]) -> Vec<Lang> {
    codes
        .iter()
        .filter_map(|c| Lang::from_code(c).ok())
        .collect()
}

fn main() {
    let path = tsv_path();
    let data = match std::fs::read_to_string(&path) {
        Ok(d) => d,
        Err(e) => {
            println!(
                "langid bench: cannot read {} ({e}); set TARJUMAN_LANGID_TSV to run it. Skipped.",
                path.display()
            );
            return;
        }
    };
    let units = load(&data);
    let mut raw = Vec::new();
    let only = std::env::var("TARJUMAN_LANGID_ONLY").ok();
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);
    println!("langid: {} ({} units)", path.display(), units.len());
    println!();

    if run("eleven") {
        let sel: Vec<&Unit> = units
            .iter()
            .filter(|u| ELEVEN.contains(&u.code.as_str()))
            .collect();
        let mut res = Results::default();
        measure(&sel, &langs_of(&ELEVEN), &mut res);
        raw.append(&mut res.raw);
        report(
            &format!(
                "eleven languages ({} units), candidates {}",
                sel.len(),
                ELEVEN.join(",")
            ),
            &res,
        );
    }

    if run("all") {
        let mut codes: Vec<&str> = Vec::new();
        for u in &units {
            if !codes.contains(&u.code.as_str()) {
                codes.push(&u.code);
            }
        }
        let candidates = langs_of(&codes);
        let unknown: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| Lang::from_code(c).is_err())
            .collect();
        let no_whatlang: Vec<&str> = candidates
            .iter()
            .filter(|l| l.whatlang().is_none())
            .map(|l| l.code())
            .collect();
        let all: Vec<&Unit> = units.iter().collect();
        let mut res = Results::default();
        measure(&all, &candidates, &mut res);
        raw.append(&mut res.raw);
        report(
            &format!(
                "all {} languages ({} units), {} candidates; unknown to tarjuman: {}; \
                 unknown to whatlang: {}",
                codes.len(),
                all.len(),
                candidates.len(),
                unknown.join(","),
                no_whatlang.join(",")
            ),
            &res,
        );
    }

    if run("close") {
        let mut res = Results::default();
        let mut n = 0;
        for group in CLOSE {
            let sel: Vec<&Unit> = units
                .iter()
                .filter(|u| group.contains(&u.code.as_str()))
                .collect();
            n += sel.len();
            measure(&sel, &langs_of(group), &mut res);
        }
        raw.append(&mut res.raw);
        let groups: Vec<String> = CLOSE.iter().map(|g| g.join(",")).collect();
        report(
            &format!(
                "close groups ({n} units, each group's lines among its own languages): {}",
                groups.join(" / ")
            ),
            &res,
        );
    }
    if !raw.is_empty() {
        fit_calibration(&raw);
    }
}
