//! The translation memory names a CTranslate2 model by its directory's name and its content
//! fingerprint, not by its path: two copies of the shared model in different places (as on
//! two hosts) share their entries, a changed copy does not, and a memory made when entries
//! were keyed by the model's path is still served (its entries are renamed on first use).

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// Arabic names, one paragraph (one segment) each.
const NAMES: &str = "محمد\n\nفاطمة الزهراء\n\nعبد الله\n\nخديجة\n\nيوسف\n";

/// A copy of the shared model at `dir/aren-transliteration`.
fn copy_model(model: &Path, dir: &Path) -> PathBuf {
    let to = dir.join("aren-transliteration");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(model).unwrap() {
        let e = e.unwrap();
        // Read and written (not copied): the copy is writable even if the original is not.
        std::fs::write(to.join(e.file_name()), std::fs::read(e.path()).unwrap()).unwrap();
    }
    to
}

fn translate(model: &Path, tm: &Path) -> String {
    let o = run(
        &[
            "translate",
            "--model",
            model.to_str().unwrap(),
            "--from",
            "ar",
            "--to",
            "en",
            "--beam-size",
            "1",
            "--tm",
            tm.to_str().unwrap(),
        ],
        NAMES.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

fn stats(tm: &Path) -> serde_json::Value {
    let o = run(&["tm", "--tm", tm.to_str().unwrap(), "stats"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// (entries, hits, engine ids) of a memory.
fn summary(tm: &Path) -> (u64, u64, Vec<String>) {
    let s = stats(tm);
    let engines = s["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["engine"].as_str().unwrap().to_string())
        .collect();
    (
        s["entries"].as_u64().unwrap(),
        s["hits"].as_u64().unwrap(),
        engines,
    )
}

#[test]
fn copies_of_a_model_at_different_paths_share_the_memory() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = copy_model(&model, &dir.path().join("host-a/models"));
    let b = copy_model(&model, &dir.path().join("elsewhere/b"));
    let tm = dir.path().join("tm.sqlite");
    let first = translate(&a, &tm);
    let (entries, hits, engines) = summary(&tm);
    assert_eq!((entries, hits), (5, 0), "{engines:?}");
    assert_eq!(engines.len(), 1);
    assert!(
        engines[0].starts_with("ct2:aren-transliteration@") && !engines[0].contains('/'),
        "{engines:?}"
    );
    // The other copy: every segment from the memory, nothing new stored.
    assert_eq!(translate(&b, &tm), first);
    assert_eq!(summary(&tm), (5, 5, engines.clone()));

    // A copy whose vocabulary differs (its last two entries swapped) is another engine.
    let c = copy_model(&model, &dir.path().join("changed"));
    let vocab = c.join("target_vocabulary.txt");
    let text = std::fs::read_to_string(&vocab).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    lines.swap(n - 1, n - 2);
    std::fs::write(&vocab, lines.join("\n") + "\n").unwrap();
    translate(&c, &tm);
    let (entries, _, more) = summary(&tm);
    assert_eq!(entries, 10, "{more:?}");
    assert_eq!(more.len(), 2, "{more:?}");
}

#[test]
fn a_memory_keyed_by_model_paths_is_still_served() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = copy_model(&model, &dir.path().join("a"));
    let tm = dir.path().join("tm.sqlite");
    let first = translate(&a, &tm);
    let (_, _, engines) = summary(&tm);
    // Make it a memory of before: entries under the model's absolute path, as tarjuman keyed
    // them (`ct2:PATH:beamN`; no metadata.json, so no version).
    let legacy = format!("ct2:{}:beam1", std::fs::canonicalize(&a).unwrap().display());
    {
        let conn = rusqlite::Connection::open(&tm).unwrap();
        let n = conn
            .execute("UPDATE tm SET engine = ?1", [&legacy])
            .unwrap();
        assert_eq!(n, 5);
    }
    assert_eq!(stored_engines(&tm), vec![legacy.clone()]);
    // Served from it, and its entries now carry the portable id.
    assert_eq!(translate(&a, &tm), first);
    assert_eq!(summary(&tm), (5, 5, engines));
}

/// The engine ids a memory file holds, read with SQLite directly.
fn stored_engines(tm: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(tm).unwrap();
    let mut stmt = conn
        .prepare("SELECT DISTINCT engine FROM tm ORDER BY 1")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

/// A memory keyed by model paths, before any run has renamed its entries: `tm stats` and
/// `tm export` show them under the id runs use now (and change nothing in the file), `tm
/// prune --engine` with that id (or the old one) removes them; entries of a model that is no
/// longer there keep their old id. Entries stored twice, under the old id and the new, are
/// one entry once a run has used the model (the old copy is not left behind as an engine of
/// its own).
#[test]
fn tm_commands_show_path_keyed_entries_under_the_id_of_now() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let a = copy_model(&model, &dir.path().join("a"));
    let tm = dir.path().join("tm.sqlite");
    let tm_arg = tm.to_str().unwrap();
    let first = translate(&a, &tm);
    let now = stored_engines(&tm);
    assert_eq!(now.len(), 1, "{now:?}");
    let now = now[0].clone();
    let legacy = format!("ct2:{}:beam1", std::fs::canonicalize(&a).unwrap().display());
    let gone = "ct2:/nonexistent/models/aren-transliteration:beam1";
    {
        let conn = rusqlite::Connection::open(&tm).unwrap();
        conn.execute("UPDATE tm SET engine = ?1", [&legacy])
            .unwrap();
        // Two entries of a model that is not on this machine any more.
        conn.execute(
            "INSERT INTO tm (source, src_lang, tgt_lang, engine, glossary, target, notes, created, used, hits)
             SELECT source, src_lang, tgt_lang, ?1, glossary, target, notes, created, used, hits
             FROM tm LIMIT 2",
            [gone],
        )
        .unwrap();
    }
    let before = std::fs::read(&tm).unwrap();
    let s = stats(&tm);
    let pairs: Vec<(String, u64)> = s["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["engine"].as_str().unwrap().to_string(),
                p["entries"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut want = vec![(now.clone(), 5), (gone.to_string(), 2)];
    want.sort();
    assert_eq!(pairs, want, "{s}");
    let o = run(&["tm", "--tm", tm_arg, "export"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 7);
    assert_eq!(
        lines.iter().filter(|l| l["engine"] == now.as_str()).count(),
        5,
        "{lines:?}"
    );
    assert_eq!(
        std::fs::read(&tm).unwrap(),
        before,
        "stats/export changed the file"
    );
    assert_eq!(stored_engines(&tm).len(), 2);
    // Pruned by today's id: the five entries stored under the path go.
    let o = run(
        &[
            "tm",
            "--tm",
            tm_arg,
            "prune",
            "--unused-days",
            "0",
            "--engine",
            &now,
        ],
        b"",
    );
    assert!(stderr(&o).contains("removed 5 entries"), "{}", stderr(&o));
    assert_eq!(stored_engines(&tm), vec![gone.to_string()]);
    // By the old id, as an older `tm stats` showed it: the same.
    translate(&a, &tm);
    {
        let conn = rusqlite::Connection::open(&tm).unwrap();
        conn.execute(
            "UPDATE tm SET engine = ?1 WHERE engine = ?2",
            [&legacy, &now],
        )
        .unwrap();
    }
    let o = run(
        &[
            "tm",
            "--tm",
            tm_arg,
            "prune",
            "--unused-days",
            "0",
            "--engine",
            &legacy,
        ],
        b"",
    );
    assert!(stderr(&o).contains("removed 5 entries"), "{}", stderr(&o));
    assert_eq!(stored_engines(&tm), vec![gone.to_string()]);

    // Stored twice (under the path and under the id of now): one engine, five entries, after
    // the next run.
    assert_eq!(translate(&a, &tm), first);
    {
        let conn = rusqlite::Connection::open(&tm).unwrap();
        conn.execute(
            "INSERT INTO tm (source, src_lang, tgt_lang, engine, glossary, target, notes, created, used, hits)
             SELECT source, src_lang, tgt_lang, ?1, glossary, target, notes, created, used, hits
             FROM tm WHERE engine = ?2",
            [&legacy, &now],
        )
        .unwrap();
    }
    assert_eq!(translate(&a, &tm), first);
    let mut want = vec![now.clone(), gone.to_string()];
    want.sort();
    assert_eq!(stored_engines(&tm), want);
    assert_eq!(summary(&tm).0, 7);
}
