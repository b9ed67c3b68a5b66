//! Throughput of the CTranslate2 backend on 2,000 Arabic-script names with the shared
//! transliteration model.
//!
//! ```text
//! cargo bench --bench ct2_names
//! ```
//!
//! Settings from the environment: `BENCH_BEAM` (default 2), `BENCH_THREADS` (threads per
//! replica, default 1), `BENCH_REPLICAS` (default 1), `BENCH_BATCH` (max batch size, default 64),
//! `BENCH_RUNS` (default 3), `BENCH_COMPUTE` (compute type, default `default`), `TARJUMAN_SHARED` (the shared directory, default `../shared`).
//!
//! The names go to `target/bench-names.txt` and the translations of the last run to
//! `target/bench-names.rust.txt`, so that `scripts/bench_ct2_wheel.py` can time the official
//! Python wheel on the same input and compare the outputs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tarjuman::backend::ct2::{Ct2Backend, Ct2Options};
use tarjuman::backend::{Backend, LangPair};
use tarjuman::Lang;

const COUNT: usize = 2_000;

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("ignoring {name}={v}: not a number");
            default
        }),
        Err(_) => default,
    }
}

/// `COUNT` one-word names built from Arabic consonants and long vowels by a fixed
/// pseudo-random sequence, so every run (and the Python script) sees the same list.
fn names() -> Vec<String> {
    let consonants: Vec<char> = "بتثجحخدذرزسشصضطظعغفقكلمنهي".chars().collect();
    let vowels = ["", "", "ا", "و", "ي"];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..COUNT)
        .map(|_| {
            let mut name = String::new();
            if next(6) == 0 {
                name.push_str("ال");
            }
            for _ in 0..2 + next(3) {
                name.push(consonants[next(consonants.len())]);
                name.push_str(vowels[next(vowels.len())]);
            }
            name
        })
        .collect()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn main() {
    let shared = std::env::var_os("TARJUMAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let model = shared.join("models/aren-transliteration");
    if !model.join("model.bin").is_file() {
        eprintln!("notice: {} not found; nothing to measure", model.display());
        return;
    }

    let names = names();
    let out_dir = target_dir();
    let names_file = out_dir.join("bench-names.txt");
    if let Err(e) = std::fs::create_dir_all(&out_dir)
        .and_then(|_| std::fs::write(&names_file, names.join("\n") + "\n"))
    {
        eprintln!("cannot write {}: {e}", names_file.display());
    }

    let options = Ct2Options {
        beam_size: env_usize("BENCH_BEAM", 2),
        threads: env_usize("BENCH_THREADS", 1),
        replicas: env_usize("BENCH_REPLICAS", 1),
        max_batch_size: env_usize("BENCH_BATCH", 64),
        compute_type: std::env::var("BENCH_COMPUTE").unwrap_or_else(|_| "default".into()),
        ..Ct2Options::default()
    };
    let backend = match Ct2Backend::load(&model, &options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot load the model: {e}");
            std::process::exit(1);
        }
    };
    let (Ok(from), Ok(to)) = (Lang::from_code("ar"), Lang::from_code("en")) else {
        unreachable!("ar and en are known languages");
    };
    let pair = LangPair { from, to };
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();

    // Warm-up.
    if let Err(e) = backend.translate(pair, &refs[..64]) {
        eprintln!("translation failed: {e}");
        std::process::exit(1);
    }

    let runs = env_usize("BENCH_RUNS", 3).max(1);
    let mut rates = Vec::with_capacity(runs);
    let mut last = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = match backend.translate(pair, &refs) {
            Ok(out) => out,
            Err(e) => {
                eprintln!("translation failed: {e}");
                std::process::exit(1);
            }
        };
        let secs = start.elapsed().as_secs_f64();
        rates.push(names.len() as f64 / secs);
        last = out;
    }
    let failed = last.iter().filter(|r| r.is_err()).count();
    let texts: Vec<String> = last
        .into_iter()
        .map(|r| r.map(|t| t.text).unwrap_or_default())
        .collect();
    let _ = std::fs::write(
        out_dir.join("bench-names.rust.txt"),
        texts.join("\n") + "\n",
    );

    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let best = rates[rates.len() - 1];
    println!(
        "ct2rs (tarjuman Ct2Backend): {} names, beam {}, threads {}, replicas {}, batch {}, \
         compute {}: \
         median {:.0} segments/s, best {:.0} segments/s over {} runs ({} failed)",
        names.len(),
        options.beam_size,
        options.threads,
        options.replicas,
        options.max_batch_size,
        options.compute_type,
        median,
        best,
        runs,
        failed
    );
    println!("names: {}", names_file.display());
}
