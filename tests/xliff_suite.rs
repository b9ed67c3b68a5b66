//! The XLIFF reader and writer on real catalogues that translators wrote: Symfony's validator,
//! form and security messages (XLIFF 1.2, 50-odd languages each, from Debian's
//! `php-symfony-*` packages, fetched by `scripts/fetch-testdata`). Human work is never
//! overwritten, untranslated files come back byte for byte, translated ones stay well-formed
//! with their sources untouched, a catalogue is never translated into a second language, and
//! the catalogues' placeholders (`{{ limit }}`, `%count%`) come through a real engine unchanged.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;
use tarjuman::doc::{self, Format, ReadOptions, SegmentStatus};
use tarjuman::segment::Segmenter;

fn catalogues() -> Option<Vec<PathBuf>> {
    let dir = std::env::var_os("TARJUMAN_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".testdata"))
        .join("symfony-xliff");
    if !dir.exists() {
        assert!(
            !common::strict(),
            "{} is required (run scripts/fetch-testdata)",
            dir.display()
        );
        eprintln!(
            "notice: skipping: {} not found (run scripts/fetch-testdata)",
            dir.display()
        );
        return None;
    }
    let mut out = Vec::new();
    for component in std::fs::read_dir(&dir).unwrap().flatten() {
        for f in std::fs::read_dir(component.path()).unwrap().flatten() {
            if f.path().extension().is_some_and(|x| x == "xlf") {
                out.push(f.path());
            }
        }
    }
    out.sort();
    Some(out)
}

/// One `trans-unit` as read by a plain XML reader: its id, the text of its source, its target
/// (None when absent) and the target's `state`.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    id: String,
    source: String,
    target: Option<String>,
    state: Option<String>,
}

fn units(text: &str) -> Vec<Unit> {
    let mut r = Reader::from_str(text);
    let mut out: Vec<Unit> = Vec::new();
    let mut inside: Option<&'static str> = None;
    loop {
        match r.read_event() {
            Ok(Event::Eof) => break,
            Err(e) => panic!("not well-formed: {e}"),
            Ok(Event::Start(e)) => match e.name().as_ref() {
                b"trans-unit" => {
                    let id = e
                        .try_get_attribute("id")
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    out.push(Unit {
                        id,
                        source: String::new(),
                        target: None,
                        state: None,
                    });
                }
                b"source" => inside = Some("source"),
                b"target" => {
                    inside = Some("target");
                    let u = out.last_mut().expect("target inside a unit");
                    u.target = Some(String::new());
                    u.state = e
                        .try_get_attribute("state")
                        .ok()
                        .flatten()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                }
                _ => {}
            },
            Ok(Event::Empty(e)) if e.name().as_ref() == b"target" => {
                out.last_mut().expect("target inside a unit").target = Some(String::new());
            }
            Ok(Event::Text(t)) => {
                let t = t.unescape().expect("text").into_owned();
                match (inside, out.last_mut()) {
                    (Some("source"), Some(u)) => u.source.push_str(&t),
                    (Some("target"), Some(u)) => u.target.get_or_insert_default().push_str(&t),
                    _ => {}
                }
            }
            Ok(Event::CData(t)) => {
                let t = String::from_utf8_lossy(&t).into_owned();
                match (inside, out.last_mut()) {
                    (Some("source"), Some(u)) => u.source.push_str(&t),
                    (Some("target"), Some(u)) => u.target.get_or_insert_default().push_str(&t),
                    _ => {}
                }
            }
            Ok(Event::End(_)) => inside = None,
            Ok(_) => {}
        }
    }
    out
}

/// Whether a unit is one to translate by default: no target, an empty one, or a state that
/// says nobody translated it yet.
fn wanted(u: &Unit) -> bool {
    u.target.as_deref().is_none_or(|t| t.trim().is_empty())
        || matches!(u.state.as_deref(), Some("new" | "needs-translation"))
}

fn rot13(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a') + 13) % 26 + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A') + 13) % 26 + b'A') as char,
            _ => c,
        })
        .collect()
}

fn xmllint_rejects(paths: &[PathBuf]) -> HashSet<PathBuf> {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .args(paths)
        .output()
        .expect("xmllint runs");
    let err = String::from_utf8_lossy(&out.stderr);
    paths
        .iter()
        .filter(|p| err.contains(&format!("{}:", p.display())))
        .cloned()
        .collect()
}

#[test]
fn symfony_catalogues_keep_human_work_and_structure() {
    let Some(files) = catalogues() else {
        return;
    };
    assert!(files.len() >= 150, "{} catalogues", files.len());
    let out_dir = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    let (mut to_translate, mut kept) = (0, 0);
    for path in &files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let before = units(&text);
        assert!(!before.is_empty(), "{name}: no units");

        // Read as they are: exactly the units nobody translated become blocks, and the file
        // comes back byte for byte.
        let d = doc::parse(Format::Xliff, &name, &text).unwrap_or_else(|e| panic!("{e}"));
        let wanted_units = before.iter().filter(|u| wanted(u)).count();
        let translatable =
            |d: &doc::Document| d.blocks.iter().filter(|b| b.kind.is_translatable()).count();
        assert_eq!(
            translatable(&d),
            wanted_units,
            "{name}: {:?}",
            before.iter().filter(|u| wanted(u)).collect::<Vec<_>>()
        );
        assert_eq!(doc::render(&d), text, "{name}: not byte for byte");

        // Translated by default: the units with a translator's target keep it exactly; the
        // others get the translation; sources and ids are untouched.
        let mut d = d;
        Segmenter::default().segment_document(&mut d);
        for s in d.segments_mut() {
            s.translation = Some(rot13(&s.text));
            s.status = SegmentStatus::Translated;
        }
        let out = doc::render(&d);
        let after = units(&out);
        assert_eq!(after.len(), before.len(), "{name}");
        for (b, a) in before.iter().zip(&after) {
            assert_eq!((&a.id, &a.source), (&b.id, &b.source), "{name}");
            if wanted(b) {
                to_translate += 1;
                assert_eq!(
                    a.target.as_deref(),
                    Some(rot13(&b.source).as_str()),
                    "{name}"
                );
            } else {
                kept += 1;
                assert_eq!((&a.target, &a.state), (&b.target, &b.state), "{name}");
            }
        }

        // Every unit translated anew (`--overwrite`): one target each, well-formed.
        let mut d = doc::parse_with(
            Format::Xliff,
            &name,
            &text,
            &ReadOptions {
                overwrite: true,
                ..ReadOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(translatable(&d), before.len(), "{name}");
        Segmenter::default().segment_document(&mut d);
        for s in d.segments_mut() {
            s.translation = Some(rot13(&s.text));
            s.status = SegmentStatus::Translated;
        }
        let out = doc::render(&d);
        let after = units(&out);
        for (b, a) in before.iter().zip(&after) {
            assert_eq!((&a.id, &a.source), (&b.id, &b.source), "{name}");
            assert_eq!(
                a.target.as_deref(),
                Some(rot13(&b.source).as_str()),
                "{name}"
            );
        }
        let p = out_dir.path().join(format!("{}.xlf", written.len()));
        std::fs::write(&p, &out).unwrap();
        written.push(p);
    }
    let bad = xmllint_rejects(&written);
    assert!(bad.is_empty(), "not well-formed: {bad:?}");
    eprintln!(
        "{} catalogues: {to_translate} units to translate, {kept} translators' targets kept",
        files.len()
    );
    assert!(to_translate > 0 && kept > 5000);
}

/// The placeholders of a Symfony message: `{{ name }}` and `%name%`, in order.
fn placeholders(s: &str) -> Vec<String> {
    let mut out: Vec<String> = tarjuman::codes::templates(s)
        .into_iter()
        .chain(tarjuman::codes::percent_names(s))
        .map(|r| s[r].to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn symfony_placeholders_come_through_apertium_unchanged() {
    let Some(files) = catalogues() else {
        return;
    };
    if !common::apertium("eng-spa") || !common::apertium("eng-cat") {
        return;
    }
    let mut checked = 0;
    for path in &files {
        let lang = match path.file_stem().and_then(|s| s.to_str()) {
            Some(s) if s.ends_with(".es") => "es",
            Some(s) if s.ends_with(".ca") => "ca",
            _ => continue,
        };
        let p = path.to_str().unwrap();
        let o = common::run(
            &[
                "translate",
                "--backend",
                "apertium",
                "--from",
                "en",
                "--to",
                lang,
                "--overwrite",
                p,
            ],
            b"",
        );
        assert!(o.status.code() != Some(2), "{p}: {}", common::stderr(&o));
        let out = common::stdout(&o);
        for u in units(&out) {
            let target = u.target.unwrap_or_default();
            assert!(!target.trim().is_empty(), "{p}: unit {} untranslated", u.id);
            assert_eq!(
                placeholders(&target),
                placeholders(&u.source),
                "{p}: unit {}: {:?} → {:?}",
                u.id,
                u.source,
                target
            );
            checked += 1;
        }
    }
    assert!(checked >= 300, "{checked} units");
}

#[test]
fn a_catalogue_is_never_translated_into_a_second_language() {
    let Some(files) = catalogues() else {
        return;
    };
    if !common::apertium("eng-spa") {
        return;
    }
    // A Slovak catalogue with units still to translate: into Spanish, the Slovak targets and
    // the Spanish ones would share one file that says `target-language="es"`.
    let sk = files
        .iter()
        .find(|p| p.ends_with("Validator/validators.sk.xlf"))
        .expect("Validator/validators.sk.xlf");
    let text = std::fs::read_to_string(sk).unwrap();
    assert!(units(&text).iter().any(wanted));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlf");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "translate",
            "--backend",
            "apertium",
            "--from",
            "en",
            "--to",
            "es",
            sk.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let a = args(&[]);
    let o = common::run(&a.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{a:?}: {err}");
    let line = text
        .lines()
        .position(|l| l.contains("target-language="))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("validators.sk.xlf:{line}: ")) && err.contains("`sk`"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
    // With --overwrite every target is replaced: one language, and the file says which.
    let a = args(&["--overwrite"]);
    let o = common::run(&a.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert_ne!(o.status.code(), Some(2), "{}", common::stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("target-language=\"es\""));
    assert!(!written.contains("target-language=\"sk\""));

    // The same for a PO catalogue with a German translation in it; once its translations are
    // gone (a template with a stale Language field), it may go into any language.
    let po = dir.path().join("de.po");
    let catalogue = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: de\\n\"\n\nmsgid \"House\"\nmsgstr \"Haus\"\n\nmsgid \"Tree\"\nmsgstr \"\"\n";
    std::fs::write(&po, catalogue).unwrap();
    let p = po.to_str().unwrap();
    let cmd = [
        "translate",
        "--backend",
        "apertium",
        "--from",
        "en",
        "--to",
        "es",
        p,
    ];
    let o = common::run(&cmd, b"");
    assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("de.po:4: "),
        "{}",
        common::stderr(&o)
    );
    std::fs::write(&po, catalogue.replace("Haus", "")).unwrap();
    let o = common::run(&cmd, b"");
    assert_ne!(o.status.code(), Some(2), "{}", common::stderr(&o));
    assert!(common::stdout(&o).contains("\"Language: es\\n\""));
}

/// Every catalogue goes into its own target language (Luxembourgish `lb` too, which tarjuman's
/// language table once lacked: "unknown language code", exit 2 on a valid file). The engines
/// are the installed Apertium pairs as config routes, so units into a language no pair serves
/// are `no-route` (exit 1, left as they were) and the file is written with its translators'
/// targets; a catalogue with nothing left to translate exits 0, byte for byte.
#[test]
fn catalogues_go_into_their_own_language_and_a_missing_pair_is_no_route() {
    let Some(files) = catalogues() else {
        return;
    };
    if !common::apertium("eng-spa") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("apertium.toml");
    std::fs::write(
        &config,
        "[backends.eng-spa]\ntype = \"apertium\"\npair = \"eng-spa\"\n\n[[routes]]\nfrom = \"en\"\nto = \"es\"\nbackend = \"eng-spa\"\n",
    )
    .unwrap();
    // The Luxembourgish catalogues and a Slovak one with units still to translate.
    let picked: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.ends_with(".lb.xlf") || p.ends_with("Validator/validators.sk.xlf")
        })
        .collect();
    assert_eq!(picked.len(), 4, "{picked:?}");
    for path in picked {
        let text = std::fs::read_to_string(path).unwrap();
        let lang = text
            .split("target-language=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap();
        let out = dir.path().join("out.xlf");
        let _ = std::fs::remove_file(&out);
        let o = common::run(
            &[
                "translate",
                "--no-config",
                "--config",
                config.to_str().unwrap(),
                "--from",
                "en",
                "--to",
                lang,
                path.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            b"",
        );
        let err = common::stderr(&o);
        let wanted_units = units(&text).iter().filter(|u| wanted(u)).count();
        if wanted_units == 0 {
            assert_eq!(o.status.code(), Some(0), "{}: {err}", path.display());
        } else {
            assert_eq!(o.status.code(), Some(1), "{}: {err}", path.display());
            // Every error is a missing route (a unit may hold several segments).
            assert!(
                err.contains("error[no-route]")
                    && err
                        .lines()
                        .filter(|l| l.contains(": error"))
                        .all(|l| l.contains("error[no-route]")),
                "{}: {err}",
                path.display()
            );
        }
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            text,
            "{}",
            path.display()
        );
    }
}
