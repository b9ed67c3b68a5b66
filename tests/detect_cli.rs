//! `tarjuman detect` output contract.

mod common;

use common::*;

#[test]
fn jsonl_gives_one_record_per_line_with_ids() {
    let input = "{\"id\":\"x1\",\"text\":\"Der Kreml teilte mit, dass Putin nach Duschanbe reist. Er bleibt zwei Tage.\"}\n{\"id\":2,\"text\":\"The Kremlin said Putin would travel to Dushanbe.\"}\n{\"id\":3,\"text\":\"Кремль сообщил, что Путин поедет в Душанбе.\"}\n";
    let out = run(
        &["detect", "--format", "jsonl", "--langs", "de,en,ru,uk"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recs = json_lines(&stdout(&out));
    assert_eq!(
        recs.len(),
        3,
        "one output line per input line, no splitting"
    );
    assert_eq!(recs[0]["id"], "x1");
    assert_eq!(recs[0]["lang"], "de");
    assert_eq!(recs[1]["lang"], "en");
    assert_eq!(recs[2]["lang"], "ru");
    for r in &recs {
        let c = r["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{r}");
        assert!(r["text"].is_string());
    }
}

#[test]
fn text_gives_one_record_per_segment() {
    let input = "Der Präsident ist am Dienstag in Tadschikistan eingetroffen, wie die Agentur meldete. Die Gespräche sollen zwei Tage dauern.\n\n2022\n";
    let out = run(&["detect", "--langs", "de,en"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let recs = json_lines(&stdout(&out));
    let langs: Vec<&str> = recs
        .iter()
        .map(|r| r["lang"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(recs.len(), 3, "{recs:?}");
    assert_eq!(langs[0], "de");
    assert_eq!(recs[2]["text"], "2022");
    // A bare number inherits the document language.
    assert_eq!(langs[2], "de");
    assert_eq!(recs[2]["line"], 3);
}
