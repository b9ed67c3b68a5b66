//! Language-identification accuracy and speed of `tarjuman::detect::Detector` against plain
//! `whatlang` with the same allowlist, on the shared lingua dev file.
//!
//! ```text
//! cargo bench --no-default-features --bench langid
//! ```
//!
//! Reads `../shared/langid/lingua-dev.tsv` (relative to the crate root) or the file named by
//! `TARJUMAN_LANGID_TSV`; lines are `lang<TAB>kind<TAB>text`. Only the lines of the eleven
//! languages below are used, each as one unit, with those languages as candidates and no
//! document prior. Lines are also split by parity of their position in the file (even / odd)
//! so that a tuning run on one half can be checked on the other. It measures and prints; it
//! asserts nothing (`tests/detect.rs` holds the thresholds).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use tarjuman::detect::Detector;
use tarjuman::Lang;

const LANGS: [&str; 11] = [
    "de", "en", "ru", "uk", "fr", "es", "it", "pl", "tr", "ar", "fa",
];

struct Unit {
    lang: Lang,
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
        if !LANGS.contains(&code) {
            continue;
        }
        let Ok(lang) = Lang::from_code(code) else {
            continue;
        };
        units.push(Unit {
            lang,
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
    let langs: Vec<Lang> = units.iter().map(|u| u.lang).fold(Vec::new(), |mut v, l| {
        if !v.contains(&l) {
            v.push(l);
        }
        v
    });
    let allow: Vec<whatlang::Lang> = langs.iter().filter_map(|l| l.whatlang()).collect();
    let ours = Detector::new(langs.clone());
    let plain = whatlang::Detector::with_allowlist(allow);

    let mut kinds: Vec<String> = Vec::new();
    for u in &units {
        if !kinds.contains(&u.kind) {
            kinds.push(u.kind.clone());
        }
    }

    // (kind, half) → tally, where half is "all", "even", "odd".
    let mut by_kind: BTreeMap<(String, &str), Tally> = BTreeMap::new();
    let mut by_lang: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut times: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    for kind in &kinds {
        let sel: Vec<&Unit> = units.iter().filter(|u| &u.kind == kind).collect();
        let t0 = Instant::now();
        let got_ours: Vec<Option<Lang>> = sel
            .iter()
            .map(|u| ours.detect(&u.text).map(|d| d.lang))
            .collect();
        let t_ours = t0.elapsed().as_secs_f64();
        let t0 = Instant::now();
        let got_plain: Vec<Option<Lang>> = sel
            .iter()
            .map(|u| plain.detect_lang(&u.text).and_then(Lang::from_whatlang))
            .collect();
        let t_plain = t0.elapsed().as_secs_f64();
        times.insert(kind.clone(), (t_ours, t_plain, sel.len()));
        for ((u, o), p) in sel.iter().zip(&got_ours).zip(&got_plain) {
            let (ok_o, ok_p) = (*o == Some(u.lang), *p == Some(u.lang));
            let half = if u.index % 2 == 0 { "even" } else { "odd" };
            by_kind
                .entry((kind.clone(), "all"))
                .or_default()
                .add(ok_o, ok_p);
            by_kind
                .entry((kind.clone(), half))
                .or_default()
                .add(ok_o, ok_p);
            by_lang
                .entry((kind.clone(), u.lang.code().to_string()))
                .or_default()
                .add(ok_o, ok_p);
        }
    }

    println!("langid: {} ({} units)", path.display(), units.len());
    println!(
        "candidates: {}",
        langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")
    );
    println!();
    println!(
        "{:<14} {:>6} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9}",
        "kind", "n", "all tarj", "all wl", "even tarj", "even wl", "odd tarj", "odd wl"
    );
    for kind in &kinds {
        let get = |h: &str| by_kind.get(&(kind.clone(), h)).copied().unwrap_or_default();
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
    println!();
    print!("{:<6}", "lang");
    for kind in &kinds {
        print!(" | {:>22}", format!("{kind} tarj/wl"));
    }
    println!();
    for l in &langs {
        print!("{:<6}", l.code());
        for kind in &kinds {
            let t = by_lang
                .get(&(kind.clone(), l.code().to_string()))
                .copied()
                .unwrap_or_default();
            print!(
                " | {:>22}",
                format!("{:.1}% / {:.1}%", pct(t.ours, t.n), pct(t.plain, t.n))
            );
        }
        println!();
    }
    println!();
    println!(
        "{:<14} {:>16} {:>16}",
        "throughput", "tarjuman u/s", "whatlang u/s"
    );
    for kind in &kinds {
        if let Some(&(to, tp, n)) = times.get(kind) {
            println!(
                "{:<14} {:>16.0} {:>16.0}",
                kind,
                n as f64 / to.max(1e-9),
                n as f64 / tp.max(1e-9)
            );
        }
    }
}
