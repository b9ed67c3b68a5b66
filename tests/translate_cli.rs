//! End-to-end tests of `tarjuman translate` with real engines: the shared CTranslate2 model and
//! Debian's Apertium.

mod common;

use common::*;
use std::path::Path;

#[test]
fn ct2_model_transliterates_text_and_jsonl() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let m = model.to_str().unwrap();
    let out = run(
        &[
            "translate",
            "--model",
            m,
            "--from",
            "ar",
            "--to",
            "en",
            "--beam-size",
            "2",
        ],
        "آتزمون\n".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "atzmon\n");

    let input = "{\"id\":\"a\",\"text\":\"آتزمون\"}\n{\"id\":7,\"text\":\"توكاييف\"}\n{\"id\":8,\"text\":\"رحمون\"}\n";
    let out = run(
        &[
            "translate",
            "--model",
            m,
            "--from",
            "ar",
            "--to",
            "en",
            "--format",
            "jsonl",
            "--beam-size",
            "2",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recs = json_lines(&stdout(&out));
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["id"], "a");
    assert_eq!(recs[0]["translation"], "atzmon");
    assert_eq!(recs[0]["lang"], "ar");
    assert_eq!(recs[1]["id"], 7);
    assert_eq!(recs[1]["translation"], "tokayev");
    assert_eq!(recs[2]["translation"], "rahmoun");
    assert!(recs[0]["notes"].as_array().is_some());
}

#[test]
fn apertium_translates_spanish_news_and_reports_unknown_words() {
    if !apertium("spa-eng") {
        return;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/noticia-es.md");
    let out = run(
        &[
            "translate",
            src.to_str().unwrap(),
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Structure survives: heading, link, quote, list items.
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("](https://www.interfax.ru/)"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("> ")), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("- ")).count(),
        2,
        "{text}"
    );
    // It is English now, and Apertium's unknown-word marks are gone from the text…
    assert!(text.contains("president"), "{text}");
    assert!(!text.contains("presidente"), "{text}");
    assert!(!text.contains('*') || text.contains("**"), "{text}");
    assert!(!text.contains(" *"), "{text}");
    // …and reported as notes naming the line instead.
    let err = stderr(&out);
    assert!(
        err.contains("noticia-es.md:5: warning[unknown-word]: `Rajmón`"),
        "{err}"
    );
}

#[test]
fn apertium_jsonl_notes_carry_unknown_words() {
    if !apertium("spa-eng") {
        return;
    }
    let input = "{\"id\":1,\"text\":\"El presidente tayiko, Emomali Rajmón, recibió a Putin en Dusambé.\"}\n";
    let out = run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
            "--format",
            "jsonl",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rec = &json_lines(&stdout(&out))[0];
    let tr = rec["translation"].as_str().unwrap();
    assert!(tr.starts_with("The"), "{tr}");
    assert!(!tr.contains('*'), "{tr}");
    let unknown: Vec<&str> = rec["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "unknown-word")
        .filter_map(|n| n["text"].as_str())
        .collect();
    assert!(
        unknown.contains(&"Rajmón") && unknown.contains(&"Dusambé"),
        "{unknown:?}"
    );
}

const MIXED: &str = "Putin in Zentralasien\n\nDer russische Präsident ist am Dienstag in Tadschikistan eingetroffen. Es ist seine erste Auslandsreise seit Beginn des Krieges.\n\nEin Sprecher äußerte sich danach auf Englisch. \"We expect more investment from Moscow in the coming years.\"\n\nDie Regierung in Duschanbe äußerte sich zunächst nicht zu den Gesprächen.\n\nВ Душанбе Путина встречал президент Таджикистана.\n";

#[test]
fn mixed_document_is_routed_per_segment() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A German → English route served by the shared model (a stand-in: any real engine would
    // do; what matters here is which segments reach it). English passes through; Russian has no
    // route.
    std::fs::write(
        dir.path().join("tarjuman.toml"),
        format!(
            "[backends.stand-in]\ntype = \"ct2\"\nmodel = \"{}\"\n\n[[routes]]\nfrom = \"de\"\nto = \"en\"\nbackend = \"stand-in\"\n\n[detect]\nlangs = [\"de\", \"en\", \"ru\", \"da\", \"nl\"]\n",
            model.display()
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("mixed.txt"), MIXED).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "translate",
            "mixed.txt",
            "--to",
            "en",
            "--format",
            "text",
            "-o",
            "out.txt",
        ],
        b"",
    );
    // A segment without a route is a partial failure: exit 1, the rest is written.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    let err = stderr(&out);
    // The English quote is untouched and the Russian line passes through untranslated…
    assert!(
        text.contains(" \"We expect more investment from Moscow in the coming years.\"\n"),
        "{text}"
    );
    assert!(!text.contains("Ein Sprecher"), "{text}");
    assert!(
        text.contains("В Душанбе Путина встречал президент Таджикистана."),
        "{text}"
    );
    // …with an error naming its line and language.
    assert!(
        err.contains("mixed.txt:9: error[no-route]: no route from Russian (ru) to en"),
        "{err}"
    );
    assert_eq!(err.matches("no-route").count(), 1, "{err}");
    // The German sentences went to the German backend.
    assert!(
        !text.contains("Der russische Präsident ist am Dienstag"),
        "{text}"
    );
    assert!(!text.contains("Die Regierung in Duschanbe"), "{text}");
    // Layout is kept: the same number of paragraphs.
    assert_eq!(
        text.split("\n\n").count(),
        MIXED.split("\n\n").count(),
        "{text}"
    );
}

#[test]
fn pivot_through_english_when_no_direct_pair() {
    if !apertium("spa-eng") || !apertium("eng-cat") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.toml"),
        "[backends.es-en]\ntype = \"apertium\"\npair = \"spa-eng\"\n[backends.en-ca]\ntype = \"apertium\"\npair = \"eng-cat\"\n\n[[routes]]\nfrom = \"es\"\nto = \"en\"\nbackend = \"es-en\"\n[[routes]]\nfrom = \"en\"\nto = \"ca\"\nbackend = \"en-ca\"\n",
    )
    .unwrap();
    let input = "{\"id\":1,\"text\":\"El presidente llegó ayer a la capital con su esposa.\"}\n{\"id\":2,\"text\":\"The government did not comment on the talks yesterday.\"}\n";
    let out = run_in(
        dir.path(),
        &[
            "translate",
            "--config",
            "t.toml",
            "--to",
            "ca",
            "--format",
            "jsonl",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recs = json_lines(&stdout(&out));
    // Spanish went es→en→ca, English en→ca directly.
    let pivot = |r: &serde_json::Value| {
        r["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "pivot")
    };
    assert!(pivot(&recs[0]), "{}", recs[0]);
    assert!(!pivot(&recs[1]), "{}", recs[1]);
    let t0 = recs[0]["translation"].as_str().unwrap();
    let t1 = recs[1]["translation"].as_str().unwrap();
    assert!(t0.contains("president") && t0 != recs[0]["text"], "{t0}");
    assert!(t1.contains("govern"), "{t1}");
    assert_eq!(recs[0]["lang"], "es");
    assert_eq!(recs[1]["lang"], "en");
}

#[test]
fn target_language_text_passes_through_untouched() {
    if !apertium("spa-eng") {
        return;
    }
    let input = "The talks ended on Tuesday without an agreement.\n\nLas conversaciones terminaron el martes sin acuerdo.\n";
    let out = run(
        &[
            "translate",
            "--backend",
            "apertium",
            "--to",
            "en",
            "--langs",
            "es,en",
        ],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("The talks ended on Tuesday without an agreement.\n\n"),
        "{text}"
    );
    assert!(!text.contains("Las conversaciones"), "{text}");
}
