//! The CTranslate2 backend against the shared Arabic→English transliteration model.
//!
//! The model lives in `../shared/models/aren-transliteration` next to the repository (or
//! `$TARJUMAN_SHARED/models/aren-transliteration`). Without it these tests print a notice and
//! pass, unless `TARJUMAN_REQUIRE_SHARED=1`.
#![cfg(feature = "ct2")]

use std::fs;
use std::path::{Path, PathBuf};

use tarjuman::backend::ct2::{Ct2Backend, Ct2Options, LangTokenStyle};
use tarjuman::backend::{Backend, BackendError, LangPair, Translation};
use tarjuman::doc::Severity;
use tarjuman::Lang;

fn shared_dir() -> PathBuf {
    match std::env::var_os("TARJUMAN_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

/// The transliteration model, or `None` (after a notice) if it is not there.
fn model_dir() -> Option<PathBuf> {
    let dir = shared_dir().join("models/aren-transliteration");
    if dir.join("model.bin").is_file() {
        return Some(dir);
    }
    let required = std::env::var("TARJUMAN_REQUIRE_SHARED").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "shared model {} missing and TARJUMAN_REQUIRE_SHARED=1",
        dir.display()
    );
    eprintln!(
        "notice: shared model {} not found; skipping this test",
        dir.display()
    );
    None
}

fn ar_en() -> LangPair {
    LangPair {
        from: Lang::from_code("ar").expect("ar"),
        to: Lang::from_code("en").expect("en"),
    }
}

fn options(beam_size: usize) -> Ct2Options {
    Ct2Options {
        beam_size,
        threads: 1,
        ..Ct2Options::default()
    }
}

fn load(dir: &Path, opts: &Ct2Options) -> Ct2Backend {
    match Ct2Backend::load(dir, opts) {
        Ok(b) => b,
        Err(e) => panic!("loading {}: {e}", dir.display()),
    }
}

fn translate_ok(backend: &Ct2Backend, texts: &[&str]) -> Vec<Translation> {
    let out = backend.translate(ar_en(), texts).expect("batch");
    assert_eq!(out.len(), texts.len());
    out.into_iter()
        .map(|r| r.expect("segment translated"))
        .collect()
}

fn texts_of(ts: &[Translation]) -> Vec<String> {
    ts.iter().map(|t| t.text.clone()).collect()
}

#[test]
fn transliterates_names() {
    let Some(dir) = model_dir() else { return };
    let greedy = load(&dir, &options(1));
    assert_eq!(greedy.name(), "ct2:aren-transliteration");
    assert_eq!(greedy.layout_kind(), "vocabulary-chars");
    assert_eq!(greedy.lang_token_style(), None);
    assert!(greedy.supports(ar_en()));
    assert_eq!(
        texts_of(&translate_ok(&greedy, &["آتزمون", "توكاييف"])),
        ["atzmon", "tokayev"]
    );

    let beam = load(&dir, &options(2));
    let out = translate_ok(&beam, &["آتزمون", "توكاييف", "رحمون"]);
    assert_eq!(texts_of(&out), ["atzmon", "tokayev", "rahmoun"]);
    assert!(out.iter().all(|t| t.notes.is_empty()));
}

#[test]
fn empty_and_multiword_inputs() {
    let Some(dir) = model_dir() else { return };
    let b = load(&dir, &options(2));
    let out = translate_ok(&b, &["", "   ", "رحمون", "\n", "آتزمون  توكاييف"]);
    assert_eq!(
        texts_of(&out),
        ["", "", "rahmoun", "", "atzmon tokayev"],
        "empty inputs stay empty; words of a multi-word name are translated one by one"
    );
    // Nothing to translate at all: no engine call needed, still one result per input.
    assert_eq!(texts_of(&translate_ok(&b, &[" ", ""])), ["", ""]);
    assert!(translate_ok(&b, &[]).is_empty());
}

/// 200 deterministic names, some of two words.
fn names() -> Vec<String> {
    let given = [
        "محمد",
        "أحمد",
        "علي",
        "حسن",
        "حسين",
        "فاطمة",
        "زينب",
        "خالد",
        "عمر",
        "يوسف",
        "مريم",
        "سلمان",
        "رحمون",
        "كريم",
        "نور",
        "سعيد",
        "إبراهيم",
        "عبدالله",
        "ليلى",
        "هشام",
    ];
    let family = [
        "",
        "توكاييف",
        "آتزمون",
        "الحسيني",
        "بن سلمان",
        "النجار",
        "حداد",
        "منصور",
        "عباس",
        "الخطيب",
    ];
    let mut out = Vec::new();
    for (i, f) in family.iter().enumerate() {
        for (j, g) in given.iter().enumerate() {
            // Vary the order so that the batch is not already sorted by length.
            if (i + j) % 3 == 0 {
                out.push(format!("{f} {g}").trim().to_string());
            } else {
                out.push(format!("{g} {f}").trim().to_string());
            }
        }
    }
    out
}

#[test]
fn batch_matches_one_by_one() {
    let Some(dir) = model_dir() else { return };
    let names = names();
    assert_eq!(names.len(), 200);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();

    let mut opts = options(2);
    opts.max_batch_size = 16;
    let b = load(&dir, &opts);
    let batched = texts_of(&translate_ok(&b, &refs));
    let single: Vec<String> = refs
        .iter()
        .map(|n| translate_ok(&b, &[n])[0].text.clone())
        .collect();
    assert_eq!(batched, single);
    assert!(batched.iter().all(|t| !t.is_empty()));

    // Token-counted batches and parallel replicas give the same answers, in input order.
    let mut opts = options(2);
    opts.batch_type = "tokens".into();
    opts.max_batch_size = 100;
    opts.replicas = 2;
    let b2 = load(&dir, &opts);
    assert_eq!(texts_of(&translate_ok(&b2, &refs)), single);
}

#[test]
fn missing_directory() {
    let dir = std::env::temp_dir().join("tarjuman-no-such-model-dir");
    assert!(matches!(
        Ct2Backend::load(&dir, &Ct2Options::default()),
        Err(BackendError::ModelNotFound(p)) if p == dir
    ));
}

#[test]
fn invalid_options() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in [
        (|o: &mut Ct2Options| o.device = "tpu".into()) as fn(&mut Ct2Options),
        |o| o.compute_type = "int3".into(),
        |o| o.batch_type = "lines".into(),
        |o| o.beam_size = 0,
    ] {
        let mut o = Ct2Options::default();
        f(&mut o);
        assert!(matches!(
            Ct2Backend::load(tmp.path(), &o),
            Err(BackendError::Config(_))
        ));
    }
}

/// A copy of the shared model's vocabularies in a temp dir, with `model_bin` as model.bin.
fn model_copy(src: &Path, model_bin: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in ["source_vocabulary.txt", "target_vocabulary.txt"] {
        fs::copy(src.join(f), tmp.path().join(f)).expect("copy vocabulary");
    }
    fs::write(tmp.path().join("model.bin"), model_bin).expect("write model.bin");
    tmp
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

fn expect_bad_model(dir: &Path, what: &str) -> String {
    match Ct2Backend::load(dir, &options(1)) {
        Err(BackendError::BadModel { message, .. }) => {
            eprintln!("{what}: {message}");
            message
        }
        Err(e) => panic!("{what}: expected BadModel, got {e}"),
        Ok(_) => panic!("{what}: loaded a broken model"),
    }
}

#[test]
fn corrupt_model_bin_is_an_error() {
    let Some(dir) = model_dir() else { return };
    let good = fs::read(dir.join("model.bin")).expect("read model.bin");

    let random = model_copy(&dir, &noise(100_000, 0x9e37_79b9_7f4a_7c15));
    expect_bad_model(random.path(), "random bytes");

    let truncated = model_copy(&dir, &good[..good.len() / 2]);
    expect_bad_model(truncated.path(), "truncated");

    let tiny = model_copy(&dir, &good[..20]);
    expect_bad_model(tiny.path(), "first 20 bytes");

    // A valid header followed by garbage.
    let mut body = good[..30].to_vec();
    body.extend(noise(50_000, 42));
    let header = model_copy(&dir, &body);
    expect_bad_model(header.path(), "header then garbage");

    let empty = model_copy(&dir, &[]);
    expect_bad_model(empty.path(), "empty");
}

#[test]
fn model_without_tokenizer_is_an_error() {
    let Some(dir) = model_dir() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    fs::copy(dir.join("model.bin"), tmp.path().join("model.bin")).expect("copy");
    let message = expect_bad_model(tmp.path(), "no vocabulary");
    assert!(message.contains("no vocabulary file"), "{message}");

    let none = tempfile::tempdir().expect("tempdir");
    let message = expect_bad_model(none.path(), "no model.bin");
    assert!(message.contains("no model.bin"), "{message}");
}

/// Copies the model and rewrites some target-vocabulary entries.
fn model_with_target_vocab(src: &Path, replace: &[(&str, &str)]) -> tempfile::TempDir {
    let good = fs::read(src.join("model.bin")).expect("read model.bin");
    let tmp = model_copy(src, &good);
    let path = tmp.path().join("target_vocabulary.txt");
    let vocab = fs::read_to_string(&path).expect("read vocabulary");
    let new: Vec<String> = vocab
        .lines()
        .map(|t| {
            replace
                .iter()
                .find(|(from, _)| *from == t)
                .map_or_else(|| t.to_string(), |(_, to)| to.to_string())
        })
        .collect();
    fs::write(&path, new.join("\n") + "\n").expect("write vocabulary");
    tmp
}

#[test]
fn unknown_tokens_become_notes() {
    let Some(dir) = model_dir() else { return };
    // The model's "a" now reads as the unknown token.
    let tmp = model_with_target_vocab(&dir, &[("a", "<unk>")]);
    let b = load(tmp.path(), &options(2));
    let out = translate_ok(&b, &["رحمون", "توكاييف"]);
    assert_eq!(texts_of(&out), ["rhmoun", "tokyev"]);
    for t in &out {
        assert_eq!(t.notes.len(), 1, "{t:?}");
        assert_eq!(t.notes[0].kind, "unknown-token");
        assert_eq!(t.notes[0].severity, Severity::Warning);
    }
}

#[test]
fn multilingual_target_prefix() {
    let Some(dir) = model_dir() else { return };
    // Make the model look like an NLLB one: two rare target letters become language codes.
    let tmp = model_with_target_vocab(&dir, &[("q", "eng_Latn"), ("x", "deu_Latn")]);
    let b = load(tmp.path(), &options(2));
    assert_eq!(b.lang_token_style(), Some(LangTokenStyle::Nllb));
    let to = |c: &str| LangPair {
        from: Lang::from_code("ar").expect("ar"),
        to: Lang::from_code(c).expect("code"),
    };
    assert!(b.supports(to("en")));
    assert!(b.supports(to("de")));
    assert!(!b.supports(to("fr")));
    assert!(matches!(
        b.translate(to("fr"), &["رحمون"]),
        Err(BackendError::UnsupportedPair { .. })
    ));
    let out = b.translate(to("en"), &["رحمون", "آتزمون"]).expect("batch");
    for r in out {
        let t = r.expect("segment");
        assert!(!t.text.is_empty());
        assert!(
            !t.text.contains("eng_Latn"),
            "prefix not stripped: {}",
            t.text
        );
    }

    // An explicit prefix overrides the vocabulary: any pair is accepted.
    let mut opts = options(2);
    opts.target_prefix = Some("deu_Latn".into());
    let b = load(tmp.path(), &opts);
    assert!(b.supports(to("fr")));
    let out = b.translate(to("fr"), &["رحمون"]).expect("batch");
    let t = out.into_iter().next().expect("one").expect("segment");
    assert!(!t.text.contains("deu_Latn"), "{}", t.text);
}

#[test]
fn backend_is_shareable_across_threads() {
    let Some(dir) = model_dir() else { return };
    let b = std::sync::Arc::new(load(&dir, &options(2)));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let b = std::sync::Arc::clone(&b);
            std::thread::spawn(move || translate_ok(&b, &["رحمون"])[0].text.clone())
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread"), "rahmoun");
    }
}
