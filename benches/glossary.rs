//! Glossary throughput: a generated 10,000-entry German→English glossary applied to 100 MB of
//! generated English text (`glossary apply`: fix wrong forms, find renderings) and protecting
//! the same amount of German text (source-term search and placeholders).
//!
//! `cargo bench -p tarjuman --no-default-features --bench glossary` (set `GLOSSARY_BENCH_MB` for another
//! text size). Prints MB/s; asserts nothing.

use std::time::Instant;

use tarjuman::glossary::load::parse_delimited;
use tarjuman::glossary::{enforce, protect, Glossary};
use tarjuman::Lang;

/// A small deterministic generator (xorshift), so that every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "to", "ja", "mir", "sch", "ow", "ew", "bek", "zan", "ru", "li", "na", "dar", "gul",
    "tasch", "kent", "sa", "ro", "vi", "mo", "ba", "stan", "grad", "nik", "ol", "ur", "em", "al",
];

fn name(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..2 + rng.below(3) {
        s.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Tuesday",
    "that",
    "talks",
    "with",
    "officials",
    "in",
    "capital",
    "would",
    "continue",
    "after",
    "a",
    "meeting",
    "between",
    "president",
    "and",
    "minister",
    "of",
    "foreign",
    "affairs",
    "were",
    "held",
    "over",
    "border",
    "trade",
    "gas",
    "pipeline",
    "security",
    "forces",
    "reported",
    "protests",
    "election",
    "parliament",
];

fn main() {
    let mb: usize = std::env::var("GLOSSARY_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tsv = String::from("src_lang\ttgt_lang\tsource\ttarget\tvariants\tcase\tnote\n");
    let mut names = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while names.len() < 10_000 {
        let (src, tgt, v1, v2) = (
            name(&mut rng),
            name(&mut rng),
            name(&mut rng),
            name(&mut rng),
        );
        if [&src, &tgt, &v1, &v2].iter().any(|n| seen.contains(*n))
            || [&tgt, &v1, &v2].contains(&&src)
        {
            continue;
        }
        for n in [&src, &tgt, &v1, &v2] {
            seen.insert(n.clone());
        }
        tsv.push_str(&format!("de\ten\t{src}\t{tgt}\t{v1}|{v2}\tsensitive\t\n"));
        names.push((src, tgt, v1));
    }
    let entries = match parse_delimited("bench.tsv", &tsv, '\t') {
        Ok(e) => e,
        Err(e) => {
            eprintln!("generated glossary rejected: {e}");
            return;
        }
    };
    let glossary = Glossary::from_entries(entries);
    let (de, en) = match (Lang::from_code("de"), Lang::from_code("en")) {
        (Ok(d), Ok(e)) => (d, e),
        _ => return,
    };
    let start = Instant::now();
    let pair = match glossary.for_pair(de, en) {
        Ok(Some(p)) => p,
        _ => {
            eprintln!("glossary did not compile");
            return;
        }
    };
    println!(
        "compiled 10,000 entries in {:.2} s",
        start.elapsed().as_secs_f64()
    );

    // Paragraphs of ~600 bytes; about one name in 50 words (news text has fewer), half of them
    // wrong forms in the English text.
    let target_bytes = mb * 1_000_000;
    let make_text = |rng: &mut Rng, which: usize| {
        let mut paras: Vec<String> = Vec::new();
        let mut total = 0;
        while total < target_bytes {
            let mut p = String::with_capacity(700);
            while p.len() < 600 {
                if rng.below(50) == 0 {
                    let (src, tgt, var) = &names[rng.below(names.len())];
                    p.push_str(match (which, rng.below(2)) {
                        (0, _) => src,
                        (_, 0) => tgt,
                        _ => var,
                    });
                } else {
                    p.push_str(WORDS[rng.below(WORDS.len())]);
                }
                p.push(if rng.below(12) == 0 { '.' } else { ' ' });
            }
            total += p.len();
            paras.push(p);
        }
        (paras, total)
    };

    let (english, bytes) = make_text(&mut rng, 1);
    let start = Instant::now();
    let mut n = 0;
    for p in &english {
        n += pair.find_targets(p).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "scan only (renderings and wrong forms): {:.1} MB/s ({n} hits)",
        bytes as f64 / 1e6 / secs
    );
    let start = Instant::now();
    let (mut fixes, mut out_bytes) = (0, 0);
    for p in &english {
        let (fixed, outcome) = enforce::enforce(&pair, None, p);
        fixes += outcome.fixes.len();
        out_bytes += fixed.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "apply (enforce): {:.1} MB in {secs:.2} s = {:.1} MB/s ({fixes} fixes, {out_bytes} bytes out)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
    drop(english);

    let (german, bytes) = make_text(&mut rng, 0);
    let start = Instant::now();
    let mut slots = 0;
    for p in &german {
        slots += protect::protect(&pair, p).slots.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "protect: {:.1} MB in {secs:.2} s = {:.1} MB/s ({slots} placeholders)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
}
