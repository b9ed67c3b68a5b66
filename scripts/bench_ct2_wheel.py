#!/usr/bin/env python3
"""Time the official CTranslate2 Python wheel on the names written by `cargo bench --bench ct2_names`.

Usage (the venv at /tmp/ct2venv has ctranslate2):

    cargo bench --bench ct2_names
    /tmp/ct2venv/bin/python scripts/bench_ct2_wheel.py

Settings from the environment, as for the Rust bench: BENCH_BEAM (2), BENCH_THREADS (1),
BENCH_REPLICAS (1), BENCH_BATCH (64), BENCH_RUNS (3), BENCH_COMPUTE (default),
TARJUMAN_SHARED (../shared).
Prints segments/s and how many outputs agree with target/bench-names.rust.txt.
"""

import os
import statistics
import sys
import time

import ctranslate2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def main():
    shared = os.environ.get("TARJUMAN_SHARED", os.path.join(ROOT, "..", "shared"))
    model = os.path.join(shared, "models", "aren-transliteration")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    names_file = sys.argv[1] if len(sys.argv) > 1 else os.path.join(target, "bench-names.txt")
    with open(names_file, encoding="utf-8") as f:
        names = [line.rstrip("\n") for line in f if line.strip()]

    beam = env_int("BENCH_BEAM", 2)
    threads = env_int("BENCH_THREADS", 1)
    replicas = env_int("BENCH_REPLICAS", 1)
    batch = env_int("BENCH_BATCH", 64)
    runs = max(1, env_int("BENCH_RUNS", 3))
    compute = os.environ.get("BENCH_COMPUTE", "default")

    translator = ctranslate2.Translator(
        model,
        device="cpu",
        compute_type=compute,
        intra_threads=threads,
        inter_threads=replicas,
    )

    def run():
        # Character model without a space token: one unit per word, as in the Rust backend.
        units, owners = [], []
        for i, name in enumerate(names):
            for word in name.split():
                units.append(list(word))
                owners.append(i)
        results = translator.translate_batch(units, beam_size=beam, max_batch_size=batch)
        out = [[] for _ in names]
        for owner, r in zip(owners, results):
            out[owner].append("".join(r.hypotheses[0]))
        return [" ".join(words) for words in out]

    run_units = names[:64]
    translator.translate_batch([list(n) for n in run_units], beam_size=beam)  # warm-up

    rates, texts = [], []
    for _ in range(runs):
        start = time.perf_counter()
        texts = run()
        rates.append(len(names) / (time.perf_counter() - start))

    print(
        f"ctranslate2 {ctranslate2.__version__} wheel: {len(names)} names, beam {beam}, "
        f"threads {threads}, replicas {replicas}, batch {batch}, compute {compute}: "
        f"median {statistics.median(rates):.0f} segments/s, best {max(rates):.0f} segments/s "
        f"over {runs} runs"
    )
    rust_file = os.path.join(target, "bench-names.rust.txt")
    if os.path.exists(rust_file):
        with open(rust_file, encoding="utf-8") as f:
            rust = [line.rstrip("\n") for line in f][: len(names)]
        same = sum(a == b for a, b in zip(texts, rust))
        print(f"outputs identical to the Rust bench: {same}/{len(names)}")


if __name__ == "__main__":
    main()
