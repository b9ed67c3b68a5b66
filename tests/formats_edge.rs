//! The format readers and writers on the cases other projects' files bring (issue 13) and on
//! bad input (issue 15), through `tarjuman translate` with Apertium (Spanish → English):
//! human work is never overwritten, every byte that is not translated text stays, valid files
//! are read, and bad ones get an error naming file and line (exit 2) with nothing written.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// Whether `tool` runs; prints a skip notice (or panics in strict mode) when not.
fn tool(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        assert!(!strict(), "{tool} is required (TARJUMAN_REQUIRE_SHARED=1)");
        eprintln!("notice: skipping: {tool} is not installed");
    }
    ok
}

fn xmllint(path: &Path) {
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg(path)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "xmllint rejects {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `content` to `dir/name` and translates it es → en with Apertium (`extra` options
/// added); returns the exit code, the output (if written) and stderr.
fn translate(
    dir: &Path,
    name: &str,
    content: &[u8],
    extra: &[&str],
) -> (i32, Option<String>, String) {
    let input = dir.join(name);
    std::fs::write(&input, content).unwrap();
    let output = dir.join(format!("out-{name}"));
    let _ = std::fs::remove_file(&output);
    let mut args = vec![
        "translate",
        input.to_str().unwrap(),
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = run(&args, b"");
    let text = std::fs::read(&output)
        .ok()
        .map(|b| String::from_utf8(b).expect("output is UTF-8"));
    (out.status.code().unwrap_or(-1), text, stderr(&out))
}

/// Asserts a translation failed with exit 2, naming `file:line`, and wrote nothing.
fn refused(dir: &Path, name: &str, content: &[u8], line: usize, what: &str) {
    let (code, out, err) = translate(dir, name, content, &[]);
    assert_eq!(code, 2, "{name}: {err}");
    assert!(out.is_none(), "{name}: an output was written");
    let at = format!("{name}:{line}: ");
    assert!(
        err.contains(&at) && err.contains(what),
        "{name}: expected `{at}…{what}`, got: {err}"
    );
}

fn ready() -> Option<tempfile::TempDir> {
    (apertium("spa-eng") && tool("xmllint")).then(|| tempfile::tempdir().unwrap())
}

/// The `<target>` of trans-unit/segment `id` (`None` if it has none).
fn target_of<'a>(out: &'a str, id: &str) -> Option<&'a str> {
    let at = out.find(&format!("id=\"{id}\""))?;
    let rest = &out[at..];
    let end = rest
        .find("</trans-unit>")
        .or_else(|| rest.find("</segment>"))?;
    let unit = &rest[..end];
    let t = unit.find("<target")?;
    let open_end = unit[t..].find('>')? + t + 1;
    let close = unit[open_end..].find("</target>")? + open_end;
    Some(&unit[open_end..close])
}

const XLIFF12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="es" target-language="en-US" datatype="plaintext" original="app">
    <body>
      <trans-unit id="1" approved="yes"><source>Uno</source><target>Un</target></trans-unit>
      <trans-unit id="2"><source>Dos</source><target state="final">Deux</target></trans-unit>
      <trans-unit id="3"><source>Tres</source><target state="translated">Trois</target></trans-unit>
      <trans-unit id="4"><source>El gato negro.</source><target></target></trans-unit>
      <trans-unit id="5">
        <source>El perro <g id="1">grande</g> come <x id="2"/> pan <ph id="3">{0}</ph>.</source>
      </trans-unit>
      <trans-unit id="6" translate="no"><source>Guardar</source></trans-unit>
      <group translate="no"><trans-unit id="7"><source>Abrir</source></trans-unit></group>
      <trans-unit id="8"><source>Casa <bx id="4"/>roja<ex id="4"/> y <mrk mtype="protected">Madrid Río</mrk>.</source><target state="needs-translation">x</target>
        <alt-trans><source>Casa</source><target>House</target></alt-trans>
      </trans-unit>
      <trans-unit id="9"><source>Ventana</source><target state="new"/></trans-unit>
    </body>
  </file>
</xliff>
"#;

#[test]
fn xliff12_keeps_human_work_and_honours_translate_no() {
    let Some(dir) = ready() else { return };
    let (code, out, err) = translate(dir.path(), "a.xlf", XLIFF12.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-a.xlf"));
    // Approved, final and translated targets are kept, byte for byte.
    for line in XLIFF12.lines().filter(|l| {
        [
            "id=\"1\"",
            "id=\"2\"",
            "id=\"3\"",
            "id=\"6\"",
            "id=\"7\"",
            "<alt-trans>",
        ]
        .iter()
        .any(|k| l.contains(k))
    }) {
        assert!(out.contains(line), "changed: {line}\n{out}");
    }
    // Empty, missing and needs-translation targets are filled.
    assert_eq!(target_of(&out, "4"), Some("The black cat."), "{out}");
    assert!(
        target_of(&out, "9").is_some_and(|t| t.contains("Window")),
        "{out}"
    );
    let t8 = target_of(&out, "8").unwrap();
    assert!(t8.contains("house") || t8.contains("House"), "{out}");
    // Inline codes are all there, as written; protected content is unchanged.
    let t5 = target_of(&out, "5").unwrap();
    for code in [
        "<g id=\"1\">",
        "</g>",
        "<x id=\"2\"/>",
        "<ph id=\"3\">{0}</ph>",
    ] {
        assert_eq!(t5.matches(code).count(), 1, "{code} in {t5}");
    }
    for code in [
        "<bx id=\"4\"/>",
        "<ex id=\"4\"/>",
        "<mrk mtype=\"protected\">Madrid Río</mrk>",
    ] {
        assert_eq!(t8.matches(code).count(), 1, "{code} in {t8}");
    }
    // The target language names the same language already: kept.
    assert!(out.contains("target-language=\"en-US\""), "{out}");
    assert_eq!(out.matches("target-language").count(), 1);

    // --overwrite replaces the targets translators wrote; approval is withdrawn.
    let (code, out, err) = translate(dir.path(), "a.xlf", XLIFF12.as_bytes(), &["--overwrite"]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-a.xlf"));
    assert_eq!(target_of(&out, "1"), Some("One"), "{out}");
    assert!(
        out.contains("<trans-unit id=\"1\" approved=\"no\">"),
        "{out}"
    );
    assert_eq!(target_of(&out, "3"), Some("Three"), "{out}");
    // translate="no" holds even then.
    assert!(
        out.contains("<trans-unit id=\"6\" translate=\"no\"><source>Guardar</source></trans-unit>")
    );
    assert!(out.contains(
        "<group translate=\"no\"><trans-unit id=\"7\"><source>Abrir</source></trans-unit></group>"
    ));
}

const XLIFF20: &str = r#"<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="es" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <segment state="final"><source>Uno</source><target>Un</target></segment>
   <ignorable><source> </source></ignorable>
   <segment state="reviewed"><source>Dos</source><target>Deux</target></segment>
   <segment state="initial"><source>Tres perros.</source><target>x</target></segment>
   <segment state="translated"><source>Cuatro</source><target>Quatre</target></segment>
   <segment><source>El <pc id="1">gato</pc> negro<ph id="2"/> <mrk id="m1" translate="no">Río</mrk>.</source></segment>
  </unit>
  <unit id="u2" translate="no"><segment><source>Guardar</source></segment></unit>
 </file>
</xliff>
"#;

#[test]
fn xliff20_states_and_language_written_once() {
    let Some(dir) = ready() else { return };
    let (code, out, err) = translate(dir.path(), "b.xlf", XLIFF20.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-b.xlf"));
    assert_eq!(out.matches("trgLang").count(), 1, "{out}");
    for kept in [
        "<segment state=\"final\"><source>Uno</source><target>Un</target></segment>",
        "<segment state=\"reviewed\"><source>Dos</source><target>Deux</target></segment>",
        "<segment state=\"translated\"><source>Cuatro</source><target>Quatre</target></segment>",
        "<ignorable><source> </source></ignorable>",
        "<unit id=\"u2\" translate=\"no\"><segment><source>Guardar</source></segment></unit>",
    ] {
        assert!(out.contains(kept), "changed: {kept}\n{out}");
    }
    assert!(out.contains("<segment state=\"translated\"><source>Tres perros.</source><target>Three dogs.</target></segment>"), "{out}");
    let last = out.split("<segment").nth(5).unwrap();
    for code in [
        "<pc id=\"1\">",
        "</pc>",
        "<ph id=\"2\"/>",
        "<mrk id=\"m1\" translate=\"no\">Río</mrk>",
    ] {
        assert_eq!(
            last.matches(code).count(),
            2,
            "{code} in source and target: {last}"
        );
    }
}

#[test]
fn xliff_bad_input_names_its_line() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    refused(
        d,
        "noid.xlf",
        b"<xliff version=\"1.2\"><file><body>\n<trans-unit><source>Hola</source></trans-unit></body></file></xliff>\n",
        2,
        "without an id",
    );
    let mut lines = vec![
        "<?xml version=\"1.0\"?>".to_string(),
        "<xliff version=\"1.2\">".into(),
        "<file source-language=\"es\">".into(),
        "<body>".into(),
    ];
    lines.extend(
        (0..8).map(|i| format!("<trans-unit id=\"{i}\"><source>Hola</source></trans-unit>")),
    );
    lines.push("<trans-unit id=\"x\"><source>Hola".into()); // line 13
    lines.push("</trans-unit>".into());
    lines.push("</body></file></xliff>".into());
    refused(
        d,
        "unclosed.xlf",
        lines.join("\n").as_bytes(),
        13,
        "<source> is not closed",
    );
    refused(
        d,
        "nul.xlf",
        b"<xliff version=\"1.2\"><file><body>\n<trans-unit id=\"1\"><source>Ho\0la</source></trans-unit></body></file></xliff>\n",
        2,
        "NUL",
    );
    refused(
        d,
        "entity.xlf",
        b"<xliff version=\"1.2\"><file><body>\n\n<trans-unit id=\"1\"><source>Hola &nosuch;</source></trans-unit></body></file></xliff>\n",
        3,
        "undefined entity `&nosuch;`",
    );
    // `check` refuses the same files at the same lines.
    let src = d.join("unclosed.xlf");
    let out = run(
        &["check", src.to_str().unwrap(), "--from", "es", "--to", "en"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unclosed.xlf:13: "),
        "{}",
        stderr(&out)
    );
}
