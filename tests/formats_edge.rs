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

const RSS_NS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Noticias del día</title>
  <language>es</language>
  <dc:language>es</dc:language>
  <item>
    <title>El gato negro</title>
    <dc:title>El gato negro</dc:title>
    <media:title>La casa roja</media:title>
    <description>&lt;p&gt;La casa &lt;b&gt;roja&lt;/b&gt; &amp;eacute; grande.&lt;/p&gt;</description>
    <dc:description>El perro come pan.</dc:description>
    <content:encoded><![CDATA[<p>El perro come pan.</p>]]></content:encoded>
    <guid>n-1</guid>
  </item>
</channel>
</rss>
"#;

#[test]
fn rss_elements_are_matched_by_namespace() {
    let Some(dir) = ready() else { return };
    let (code, out, err) = translate(dir.path(), "ns.xml", RSS_NS.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-ns.xml"));
    for kept in [
        "<dc:language>es</dc:language>",
        "<dc:title>El gato negro</dc:title>",
        "<media:title>La casa roja</media:title>",
        "<dc:description>El perro come pan.</dc:description>",
    ] {
        assert!(out.contains(kept), "changed: {kept}\n{out}");
    }
    assert!(out.contains("<language>en</language>"), "{out}");
    assert!(out.contains("<title>The black cat</title>"), "{out}");
    assert!(
        out.contains("<![CDATA[<p>The dog eats bread.</p>]]>"),
        "{out}"
    );
    // HTML inside the description keeps its tags; its entity is not escaped twice.
    assert!(out.contains("&lt;b&gt;"), "{out}");
    assert!(
        !out.contains("&amp;amp;") && !out.contains("&amp;eacute;"),
        "{out}"
    );
}

#[test]
fn rss_10_and_090_feeds_are_read_and_their_items_counted() {
    let Some(dir) = ready() else { return };
    let rss10 = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/">
    <title>Noticias</title>
    <link>http://example.org/</link>
    <description>Las noticias del día.</description>
  </channel>
  <item rdf:about="http://example.org/1">
    <title>El gato negro</title>
    <link>http://example.org/1</link>
    <dc:subject>El perro</dc:subject>
  </item>
  <item rdf:about="http://example.org/2"><title>La casa roja</title><link>http://example.org/2</link></item>
</rdf:RDF>
"#;
    let (code, out, err) = translate(dir.path(), "rss10.rdf", rss10.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-rss10.rdf"));
    assert!(out.contains("<title>The black cat</title>"), "{out}");
    assert!(out.contains("<title>The red house</title>"), "{out}");
    assert!(out.contains("<dc:subject>El perro</dc:subject>"), "{out}");
    let rss090 = "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">\n<channel><title>Noticias</title><link>http://example.org/</link><description>Hoy</description></channel>\n<item><title>El gato negro</title><link>http://example.org/1</link></item>\n</rdf:RDF>\n";
    let (code, out, err) = translate(dir.path(), "rss090.xml", rss090.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.unwrap().contains("<title>The black cat</title>"));
    // `feed` sniffs both as RSS and finds their items.
    let feeds = dir.path().join("feeds");
    std::fs::create_dir_all(&feeds).unwrap();
    std::fs::write(feeds.join("a.xml"), rss10).unwrap();
    std::fs::write(feeds.join("b.xml"), rss090).unwrap();
    let out_dir = dir.path().join("translated");
    let tm = dir.path().join("tm.sqlite");
    let out = run(
        &[
            "feed",
            feeds.to_str().unwrap(),
            "--backend",
            "apertium",
            "--from",
            "es",
            "--to",
            "en",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--tm",
            tm.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = std::fs::read_to_string(out_dir.join("report.jsonl")).unwrap();
    let items = json_lines(&report)
        .into_iter()
        .filter(|l| l["type"] == "item")
        .count();
    assert_eq!(items, 3, "{report}");
}

#[test]
fn atom_text_with_child_markup_and_broken_embedded_html() {
    let Some(dir) = ready() else { return };
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">
  <title>Ejemplo <b>Atom</b></title>
  <entry>
    <id>urn:1</id>
    <title type="html">&lt;p&gt;El gato &lt;!-- sin cerrar&lt;/p&gt;</title>
    <summary>El perro come pan.</summary>
  </entry>
  <entry>
    <id>urn:2</id>
    <content type="html">&lt;a href="x&gt;La casa roja&lt;/a&gt;</content>
  </entry>
</feed>
"#;
    let (code, out, err) = translate(dir.path(), "a.atom", atom.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-a.atom"));
    // Child markup of a text construct stays markup.
    assert!(out.contains("<title>Example <b>Atom</b></title>"), "{out}");
    assert!(!out.contains("&lt;b&gt;"), "{out}");
    // Broken HTML: the element is kept as it is, with a warning naming its line.
    assert!(
        out.contains("<title type=\"html\">&lt;p&gt;El gato &lt;!-- sin cerrar&lt;/p&gt;</title>"),
        "{out}"
    );
    assert!(err.contains("a.atom:6: warning[atom]"), "{err}");
    assert!(err.contains("a.atom:11: warning[atom]"), "{err}");
    assert!(
        out.contains("<summary>The dog eats bread.</summary>"),
        "{out}"
    );
    assert!(out.contains("xml:lang=\"en\""), "{out}");
}

#[test]
fn feed_bad_input_names_its_line() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    refused(
        d,
        "nul.xml",
        b"<rss version=\"2.0\"><channel>\n<title>Ho\0la</title></channel></rss>\n",
        2,
        "NUL",
    );
    refused(
        d,
        "entity.xml",
        b"<rss version=\"2.0\"><channel>\n<title>Hola</title>\n<description>&nosuch; casa</description></channel></rss>\n",
        3,
        "undefined entity `&nosuch;`",
    );
    refused(
        d,
        "roots.xml",
        b"<rss version=\"2.0\"><channel><title>Hola</title></channel></rss>\n<rss version=\"2.0\"><channel><title>Adi\xc3\xb3s</title></channel></rss>\n",
        2,
        "second root",
    );
    // Well-formed RSS without <channel>: never refused, never silently accepted. Written
    // back byte for byte (nothing in it is a feed's text) with a warning naming file and line.
    let nochannel =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<item><title>Hola</title></item>\n</rss>\n";
    let (code, out, err) = translate(d, "nochannel.xml", nochannel.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.as_deref(), Some(nochannel));
    assert!(
        err.contains("nochannel.xml:2: warning[rss]") && err.contains("no <channel>"),
        "{err}"
    );
    // An HTML5 entity in the XML of a feed is read as its character, not escaped again.
    let (code, out, err) = translate(
        d,
        "eacute.xml",
        b"<rss version=\"2.0\"><channel><title>Caf&eacute; con leche</title></channel></rss>\n",
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(!out.contains("&amp;eacute;"), "{out}");
}

/// `text` encoded as UTF-16 (little endian, with a byte-order mark).
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

#[test]
fn feeds_and_pages_in_other_encodings_come_out_in_utf8() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    // Windows-1252, declared: `ñ` is 0xF1, `€` is 0x80.
    let cp1252 = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<rss version=\"2.0\"><channel><title>El ni\xf1o gan\xf3 5 \x80</title></channel></rss>\n";
    let (code, out, err) = translate(d, "cp1252.xml", cp1252, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&d.join("out-cp1252.xml"));
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{out}"
    );
    assert!(out.contains('€'), "{out}");
    // UTF-16 with a byte-order mark (and a declaration saying so).
    let u16 = utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>El gato negro</title></feed>\n");
    let (code, out, err) = translate(d, "u16.xml", &u16, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&d.join("out-u16.xml"));
    assert!(
        out.contains("encoding=\"UTF-8\"") && out.contains("The black cat"),
        "{out}"
    );
    // KOI8-R HTML page declared by <meta>: read, and the page says UTF-8 afterwards.
    let koi = b"<html><head><meta charset=\"koi8-r\"><title>\xf0\xd2\xc9\xd7\xc5\xd4</title></head><body><p>El gato negro.</p></body></html>\n";
    let (code, out, err) = translate(d, "koi.html", koi, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(
        out.contains("<meta charset=\"UTF-8\">") && out.contains("Привет"),
        "{out}"
    );
    // A UTF-8 byte-order mark is kept.
    let bom =
        b"\xef\xbb\xbf<rss version=\"2.0\"><channel><title>El gato negro</title></channel></rss>\n";
    let (code, out, err) = translate(d, "bom.xml", bom, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(
        out.starts_with('\u{feff}') && out.contains("The black cat"),
        "{out}"
    );
}

fn msgfmt(path: &Path) {
    let out = Command::new("msgfmt")
        .args(["-c", "-o", "/dev/null"])
        .arg(path)
        .output()
        .expect("msgfmt runs");
    assert!(
        out.status.success(),
        "msgfmt -c rejects {}: {}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

const PO_HEADER: &str = "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n";

#[test]
fn po_catalogues_msgfmt_accepts_are_read_and_stay_valid() {
    let Some(dir) = ready() else { return };
    if !tool("msgfmt") {
        return;
    }
    let d = dir.path();
    // A comment block before a blank line, `msgstr""` without a space, an entry with a
    // context and an empty msgid (not the header), a KDE context, plural forms without a
    // Plural-Forms header, an obsolete entry.
    let po = format!(
        "# Translation of app.\n# Nobody.\n\n{PO_HEADER}\nmsgctxt \"bla\"\nmsgid \"\"\nmsgstr \"\"\n\nmsgid \"El gato negro.\"\nmsgstr\"\"\n\nmsgid \"_: menu\\nLa casa roja\"\nmsgstr \"\"\n\nmsgid \"Un perro\"\nmsgid_plural \"%d perros\"\nmsgstr[0] \"\"\nmsgstr[1] \"\"\n\n#~ msgid \"Viejo\"\n#~ msgstr \"Old\"\n"
    );
    let (code, out, err) = translate(d, "a.po", po.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    msgfmt(&d.join("out-a.po"));
    assert!(
        out.starts_with("# Translation of app.\n# Nobody.\n\n"),
        "{out}"
    );
    assert!(
        out.contains("msgctxt \"bla\"\nmsgid \"\"\nmsgstr \"\"\n"),
        "{out}"
    );
    assert_eq!(out.matches("Language: en").count(), 1, "{out}");
    assert!(out.contains("msgstr \"The black cat.\""), "{out}");
    assert!(
        out.contains("msgid \"_: menu\\nLa casa roja\"\nmsgstr \"The red house\""),
        "{out}"
    );
    assert!(
        out.contains("\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\""),
        "{out}"
    );
    assert!(
        out.contains("#~ msgid \"Viejo\"\n#~ msgstr \"Old\"\n"),
        "{out}"
    );

    // CR-only line endings are read, and the lines written end the same way.
    let cr = format!("{PO_HEADER}\nmsgid \"El gato negro.\"\nmsgstr \"\"\n").replace('\n', "\r");
    let (code, out, err) = translate(d, "cr.po", cr.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(!out.contains('\n'), "{out:?}");
    assert!(out.contains("msgstr \"The black cat.\"\r"), "{out:?}");

    // The declared charset is honoured: ISO-8859-1 in, UTF-8 (declared) out.
    let latin = format!("{PO_HEADER}\nmsgid \"El ni\u{f1}o gan\u{f3}.\"\nmsgstr \"\"\n")
        .replace("charset=UTF-8", "charset=ISO-8859-1");
    let latin: Vec<u8> = latin.chars().map(|c| c as u32 as u8).collect();
    let (code, out, err) = translate(d, "latin.po", &latin, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    msgfmt(&d.join("out-latin.po"));
    assert!(
        out.contains("charset=UTF-8") && out.contains("msgid \"El niño ganó.\""),
        "{out}"
    );

    // A file of obsolete entries only is read by `check` (nothing to check).
    let old = d.join("old.po");
    std::fs::write(&old, "#~ msgid \"Viejo\"\n#~ msgstr \"Old\"\n").unwrap();
    let out = run(
        &["check", old.to_str().unwrap(), "--from", "es", "--to", "en"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn po_bad_input_names_its_line_in_translate_and_check() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    let cases: [(&str, &str, usize, &str); 7] = [
        ("escape", "msgid \"a\"\nmsgstr \"\"\n\nmsgid \"Hola \\q\"\nmsgstr \"\"\n", 4, "invalid escape"),
        ("negative", "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[-1] \"\"\n", 3, "plural form"),
        ("huge", "msgid \"a\"\nmsgid_plural \"b\"\nmsgstr[99999999999999999999] \"\"\n", 3, "plural form"),
        ("twice", "msgid \"a\"\nmsgstr \"\"\nmsgstr \"\"\n", 3, "given twice"),
        ("duplicate", "msgid \"Hola\"\nmsgstr \"\"\n\nmsgid \"Hola\"\nmsgstr \"\"\n", 4, "defined twice"),
        ("nplurals", "msgid \"\"\nmsgstr \"\"\n\"Plural-Forms: nplurals=x; plural=0;\\n\"\n\nmsgid \"Hola\"\nmsgstr \"\"\n", 3, "nplurals"),
        ("unknown", "msgid \"Hola\"\nmsgtxt \"\"\n", 2, "unknown keyword"),
    ];
    for (name, po, line, what) in cases {
        let file = format!("{name}.po");
        refused(d, &file, po.as_bytes(), line, what);
        // `check` refuses them too, at the same line, instead of skipping the entry.
        let path = d.join(&file);
        let out = run(
            &[
                "check",
                path.to_str().unwrap(),
                "--from",
                "es",
                "--to",
                "en",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("{file}:{line}: ")),
            "{name}: {}",
            stderr(&out)
        );
    }
}

/// Runs `tarjuman feed` (Apertium, Spanish → English) on `inputs` into `dir/out`; returns the
/// exit code, stderr and the report's lines.
fn feed(dir: &Path, inputs: &[&str], extra: &[&str]) -> (i32, String, Vec<serde_json::Value>) {
    let out_dir = dir.join("out");
    let mut args = vec![
        "feed",
        "--backend",
        "apertium",
        "--from",
        "es",
        "--to",
        "en",
        "--out-dir",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let out = run_in(dir, &args, b"");
    let report = std::fs::read_to_string(out_dir.join("report.jsonl")).unwrap_or_default();
    (
        out.status.code().unwrap_or(-1),
        stderr(&out),
        json_lines(&report),
    )
}

/// A tiny HTTP server on 127.0.0.1 that answers every request with `body` and `content_type`;
/// returns its URL.
fn serve_bytes(body: Vec<u8>, content_type: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/news.xml", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            use std::io::{BufRead, Write};
            let mut reader = std::io::BufReader::new(&stream);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let mut stream = &stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    url
}

#[test]
fn feed_shows_reader_warnings_on_stderr_and_in_its_report() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<title>Noticias</title>\n<item><guid>a</guid>\n<title>La casa es roja.</title>\n<description>&lt;p&gt;El gato &lt;!-- sin cerrar&lt;/p&gt;</description>\n</item>\n</channel></rss>\n";
    std::fs::write(d.join("broken.xml"), rss).unwrap();
    std::fs::write(
        d.join("bare.xml"),
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<item><title>Hola</title></item>\n</rss>\n",
    )
    .unwrap();
    let (code, err, report) = feed(d, &["broken.xml", "bare.xml"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("broken.xml:6: warning[rss]"), "{err}");
    assert!(err.contains("bare.xml:2: warning[rss]"), "{err}");
    let line_of = |name: &str| {
        report
            .iter()
            .find(|l| l["type"] == "feed" && l["input"].as_str().unwrap_or("").ends_with(name))
            .cloned()
            .unwrap_or_default()
    };
    let broken = line_of("broken.xml");
    assert_eq!(broken["status"], "ok", "{report:?}");
    assert_eq!(broken["warnings"][0]["line"], 6, "{broken}");
    assert!(
        broken["warnings"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("kept as it is"),
        "{broken}"
    );
    let bare = line_of("bare.xml");
    assert!(
        bare["warnings"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("no <channel>"),
        "{bare}"
    );
    // The element with broken HTML is kept as it was, the rest translated.
    let out = std::fs::read_to_string(d.join("out/broken.xml")).unwrap();
    assert!(
        out.contains("<description>&lt;p&gt;El gato &lt;!-- sin cerrar&lt;/p&gt;</description>"),
        "{out}"
    );
    assert!(out.contains("The house is red"), "{out}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/bare.xml")).unwrap(),
        std::fs::read_to_string(d.join("bare.xml")).unwrap()
    );
}

#[test]
fn a_feed_over_http_is_read_in_the_charset_of_its_content_type() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    // Windows-1252 bytes (é = 0xE9, ñ = 0xF1) in a document that declares no encoding: not
    // UTF-8, so only the HTTP header can say how to read it.
    let mut body = b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Noticias</title>\n<item><guid>1</guid><title>El caf".to_vec();
    body.push(0xE9);
    body.extend_from_slice(b" de Espa");
    body.push(0xF1);
    body.extend_from_slice(b"a es bueno.</title></item>\n</channel></rss>\n");
    let url = serve_bytes(body.clone(), "text/xml; charset=\"windows-1252\"");
    let (code, err, report) = feed(d, &[&url], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report[report.len() - 1]["status"], "ok", "{report:?}");
    let out = std::fs::read(d.join("out/news.xml")).unwrap();
    let out = String::from_utf8(out).expect("the output is UTF-8");
    assert!(out.contains("Spain") || out.contains("España"), "{out}");
    assert!(!out.contains('\u{fffd}'), "{out}");
    xmllint(&d.join("out/news.xml"));
    // The same bytes without a charset are not UTF-8: that feed fails with its line.
    let bare = serve_bytes(body, "text/xml");
    let (code, err, _) = feed(d, &[&bare], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("news.xml") && err.contains(":3"), "{err}");
}

#[test]
fn a_config_names_other_feed_elements_to_translate() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    let rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:m=\"http://search.yahoo.com/mrss/\"><channel><title>Noticias</title>\n<item><guid>1</guid><title>La casa es roja.</title>\n<dc:description>El perro come pan.</dc:description>\n<dc:title>El gato duerme.</dc:title>\n<m:title>La mesa es grande.</m:title>\n</item>\n</channel></rss>\n";
    std::fs::write(d.join("news.xml"), rss).unwrap();
    // By default, other namespaces are kept byte for byte.
    let (code, err, _) = feed(d, &["news.xml"], &[]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(d.join("out/news.xml")).unwrap();
    assert!(out.contains("The house is red"), "{out}");
    assert!(
        out.contains("<dc:description>El perro come pan.</dc:description>"),
        "{out}"
    );
    // Named in the config (by prefix, and by namespace URI): translated; the rest kept.
    std::fs::write(
        d.join("t.toml"),
        "[feed]\ntranslate = [\"dc:description\", \"{http://search.yahoo.com/mrss/}title\"]\n",
    )
    .unwrap();
    let (code, err, _) = feed(d, &["news.xml"], &["--config", "t.toml"]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(d.join("out/news.xml")).unwrap();
    assert!(!out.contains("El perro come pan."), "{out}");
    assert!(out.contains("<dc:description>The dog"), "{out}");
    assert!(out.contains("<m:title>The table"), "{out}");
    assert!(
        out.contains("<dc:title>El gato duerme.</dc:title>"),
        "{out}"
    );
    xmllint(&d.join("out/news.xml"));
    // `translate` reads the same setting.
    let config = d.join("t.toml");
    let (code, out, err) = translate(
        d,
        "one.xml",
        rss.as_bytes(),
        &["--config", config.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.unwrap().contains("<dc:description>The dog"), "{err}");
    // An unknown prefix is an error naming the config file and line.
    std::fs::write(d.join("bad.toml"), "[feed]\n\ntranslate = [\"zz:title\"]\n").unwrap();
    let (code, err, _) = feed(d, &["news.xml"], &["--config", "bad.toml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad.toml") && err.contains(":3") && err.contains("unknown prefix `zz`"),
        "{err}"
    );
}

/// UTF-32 and UTF-16 without a byte-order mark are valid UTF-8 byte by byte (NULs): such an
/// input is read whole and decoded by its byte pattern, never taken for plain text in chunks.
#[test]
fn utf32_and_utf16_without_a_mark_are_decoded_not_streamed_as_text() {
    let Some(dir) = ready() else { return };
    let d = dir.path();
    let rss = "<?xml version=\"1.0\" encoding=\"utf-32\"?>\n<rss version=\"2.0\"><channel><title>La casa es roja.</title></channel></rss>\n";
    let utf32be: Vec<u8> = rss.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
    let utf16le: Vec<u8> = rss
        .replace("utf-32", "utf-16")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    for (name, bytes) in [("be32.xml", utf32be), ("le16.xml", utf16le)] {
        let (code, out, err) = translate(d, name, &bytes, &[]);
        assert_eq!(code, 0, "{name}: {err}");
        let out = out.unwrap();
        assert!(
            out.contains("<title>The house is red.</title>"),
            "{name}: {out}"
        );
        assert!(
            out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{out}"
        );
        xmllint(&d.join(format!("out-{name}")));
    }
}

/// A README as crates write them: front matter, setext headings, a reference link and its
/// definition, an autolink, indented and fenced code, an HTML block with a comment, a table,
/// an image with alternative text and title, a task list, strikethrough and a footnote.
const README: &str = r#"---
title: El gato negro
tags: [casa, perro]
---

Casa roja
=========

El perro come pan. Ver el [registro de cambios][changelog] y <https://example.org/casa>.

El gato
-------

    cargo install casa --perro
    el gato negro

<div align="center">
  <a href="https://example.org/casa">La casa roja</a>
  <!-- el perro come pan -->
</div>

| Nombre | Casa |
| --- | :-: |
| El perro | La casa roja |

![El gato negro](img/gato.png "La casa roja")

- [x] El perro come pan.
- [ ] El gato ~~negro~~ come.[^1]

```sh
echo "el gato negro"
```

[^1]: La casa roja.

[changelog]: https://example.org/CHANGELOG%3A.md "Registro de cambios"
"#;

#[test]
fn markdown_readme_keeps_everything_but_its_text() {
    let Some(dir) = ready() else { return };
    let (code, out, err) = translate(dir.path(), "README.md", README.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    // Lines with no translatable text come out byte for byte, in their places: front matter,
    // setext underlines, code (indented and fenced), the HTML block and its comment, the
    // table's delimiter row, the reference definition (URL, label and all but its title),
    // blank lines.
    let a: Vec<&str> = README.lines().collect();
    let b: Vec<&str> = out.lines().collect();
    assert_eq!(a.len(), b.len(), "{out}");
    let translated = [6, 9, 11, 22, 24, 26, 28, 29, 35, 37];
    // The definition's title is translated text; its label and destination are not.
    let title = "Registro de cambios";
    assert!(a[36].ends_with(&format!(" \"{title}\"")), "{}", a[36]);
    let kept = &a[36][..a[36].len() - title.len() - 1];
    assert!(
        b[36].starts_with(kept) && b[36].ends_with('"') && !b[36].contains(title),
        "{out}"
    );
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if !translated.contains(&(i + 1)) {
            assert_eq!(x, y, "line {} changed:\n{out}", i + 1);
        }
    }
    // Headings, table cells, alternative text, image titles, list items and footnotes are
    // translated, their markup kept.
    for line in [
        "Red house",
        "The cat",
        "| Name | House |",
        "| The dog | The red house |",
        "![The black cat](img/gato.png \"The red house\")",
        "- [x] The dog eats bread.",
        "[^1]: The red house.",
    ] {
        assert!(b.contains(&line), "no line `{line}`:\n{out}");
    }
    assert!(
        b[8].starts_with("The dog eats bread.")
            && b[8].contains("][changelog]")
            && b[8].ends_with(" <https://example.org/casa>."),
        "{out}"
    );
    assert!(b[28].contains("~~") && b[28].ends_with(".[^1]"), "{out}");
    // The same CommonMark structure (blocks, code, HTML, links) as the input.
    let structure = |md: &str| -> Vec<String> {
        use pulldown_cmark::{Event, Parser, Tag};
        Parser::new_ext(md, tarjuman::doc::markdown::options())
            .filter(|e| !matches!(e, Event::Text(_)))
            .map(|e| match e {
                // Titles are translated.
                Event::Start(Tag::Image { dest_url, .. }) => format!("image {dest_url}"),
                Event::Start(Tag::Link { dest_url, id, .. }) => format!("link {dest_url} {id}"),
                e => format!("{e:?}"),
            })
            .collect()
    };
    assert_eq!(structure(README), structure(&out), "{out}");
}

/// Tags written over several lines (as DocBook's HTML writes them, `<HTML\n>`): the language
/// attribute the writer adds goes in, and every byte of the tag stays.
#[test]
fn html_language_attribute_goes_into_a_tag_over_lines_without_losing_a_byte() {
    let Some(dir) = ready() else { return };
    let page = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\n<HTML\n><HEAD\n><TITLE\n>El gato negro</TITLE\n></HEAD\n><BODY\n><P\n>El perro come pan.</P\n></BODY\n></HTML\n>\n";
    let (code, out, err) = translate(dir.path(), "page.html", page.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert_eq!(
        out,
        page.replace("<HTML\n>", "<HTML lang=\"en\"\n>")
            .replace("El gato negro", "The black cat")
            .replace("El perro come pan.", "The dog eats bread."),
    );
}

/// XLIFF 2.0 spanning codes (`<sc/>`/`<ec/>`, within a segment and across two) and
/// placeholders survive: each once in its target, the file valid XML.
#[test]
fn xliff20_spanning_codes_survive_in_their_targets() {
    let Some(dir) = ready() else { return };
    let xlf = r#"<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="es" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <segment><source>El <sc id="1"/>gato<ec startRef="1"/> negro <ph id="2" equiv="{0}"/> come pan.</source></segment>
  </unit>
  <unit id="u2">
   <segment><source><sc id="3"/>La casa</source></segment>
   <segment><source>roja<ec startRef="3"/> es grande.</source></segment>
  </unit>
 </file>
</xliff>
"#;
    let (code, out, err) = translate(dir.path(), "sc.xlf", xlf.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    xmllint(&dir.path().join("out-sc.xlf"));
    let targets: Vec<&str> = out
        .split("<target>")
        .skip(1)
        .map(|t| t.split("</target>").next().unwrap())
        .collect();
    assert_eq!(targets.len(), 3, "{out}");
    for (t, codes) in targets.iter().zip([
        &[
            "<sc id=\"1\"/>",
            "<ec startRef=\"1\"/>",
            "<ph id=\"2\" equiv=\"{0}\"/>",
        ][..],
        &["<sc id=\"3\"/>"][..],
        &["<ec startRef=\"3\"/>"][..],
    ]) {
        for code in codes {
            assert_eq!(t.matches(code).count(), 1, "{code} in {t}\n{out}");
        }
    }
    assert!(
        targets[0].contains("cat") && targets[2].contains("big"),
        "{out}"
    );
}

/// HTML5 named entities in an HTML page reach the engine as the characters they stand for
/// (`Caf&eacute;` is the word `Café`), and untranslated text keeps them as written.
#[test]
fn html_page_entities_are_read_as_their_characters() {
    let Some(dir) = ready() else { return };
    let page = "<html><body><p>Caf&eacute; con leche &mdash; el gato negro.</p><p translate=\"no\">Caf&eacute;&nbsp;&hellip;</p></body></html>\n";
    let (code, out, err) = translate(dir.path(), "page.html", page.as_bytes(), &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(
        out.contains("<p>Coffee with milk — the black cat.</p>"),
        "{out}"
    );
    assert!(
        out.contains("<p translate=\"no\">Caf&eacute;&nbsp;&hellip;</p>"),
        "{out}"
    );
    assert!(!err.contains("eacute"), "{err}");
}

/// An HTML page that declares no charset and is not UTF-8 (libxslt's packaged manual, in
/// ISO-8859-1 with `content="text/html"`) is read as windows-1252, as browsers read it, instead
/// of being refused as "not valid UTF-8".
#[test]
fn an_html_page_without_a_charset_in_a_legacy_encoding_is_read() {
    let Some(dir) = ready() else { return };
    let page = b"<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html>\n<head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head>\n<body><p>El gato negro.</p><p>Jan Pokorn\xfd, 5 \x80</p></body>\n</html>\n";
    let (code, out, err) = translate(dir.path(), "legacy.html", page, &[]);
    assert_eq!(code, 0, "{err}");
    let out = out.unwrap();
    assert!(out.contains("<p>The black cat.</p>"), "{out}");
    assert!(out.contains("Pokorný") && out.contains('€'), "{out}");
}
