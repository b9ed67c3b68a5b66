//! Round trips of the markup formats through `tarjuman translate` with real engines: the shared
//! CTranslate2 transliteration model (Arabic-script names → Latin) and Apertium (Spanish →
//! English). Untranslatable parts must come out byte for byte, and the output must parse
//! (`xmllint` for XML/XHTML, `msgfmt -c` for PO).

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

fn has_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c))
}

/// Translates `name` (written with `content` into a temp dir) with the shared model; returns
/// the output text and its path.
fn ct2_translate(
    dir: &Path,
    name: &str,
    content: &str,
    extra: &[&str],
) -> Option<(String, std::path::PathBuf)> {
    let model = aren_model()?;
    if !has_ct2() {
        return None;
    }
    let input = dir.join(name);
    std::fs::write(&input, content).unwrap();
    let output = dir.join(format!("out-{name}"));
    let mut args = vec![
        "translate",
        input.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "2",
        "-o",
        output.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = run(&args, b"");
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    Some((std::fs::read_to_string(&output).unwrap(), output))
}

/// Lines of `src` without Arabic must come out unchanged, in the same places (but for the
/// language attribute, `"ar"` → `"en"`).
fn same_untranslated_lines(src: &str, out: &str) {
    let a: Vec<&str> = src.lines().collect();
    let b: Vec<&str> = out.lines().collect();
    assert_eq!(a.len(), b.len(), "line count changed:\n{out}");
    for (x, y) in a.iter().zip(&b) {
        if !has_arabic(x) {
            assert_eq!(
                &x.replace("=\"ar\"", "=\"en\""),
                y,
                "untranslatable line changed"
            );
        }
    }
}

/// The text between `open` and the next `close` in `s`.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s
        .find(open)
        .unwrap_or_else(|| panic!("{open} not in:\n{s}"))
        + open.len();
    let end = s[start..].find(close).unwrap() + start;
    &s[start..end]
}

const XHTML: &str = r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="ar" xml:lang="ar">
<head>
<title>توكاييف</title>
<style>p > a { color: red; }</style>
</head>
<body>
<h1><a href="/people/atzmon?x=1&amp;y=2">آتزمون</a></h1>
<p>قال <a href="/p/1">آتزمون</a> و <em>توكاييف</em> و <strong>رحمون</strong>.</p>
<p><img src="/i.png" alt="آتزمون" /> <span title="توكاييف">رحمون</span></p>
<pre>آتزمون <b>توكاييف</b></pre>
<p>اسم <code>آتزمون</code></p>
<p translate="no">آتزمون <i>رحمون</i></p>
<script>if (a &lt; b) { x("آتزمون"); }</script>
</body>
</html>
"#;

#[test]
fn html_inline_tags_attributes_and_untouched_parts() {
    let dir = tempfile::tempdir().unwrap();
    if !tool("xmllint") {
        return;
    }
    let Some((out, path)) = ct2_translate(dir.path(), "page.xhtml", XHTML, &[]) else {
        return;
    };
    xmllint(&path);
    same_untranslated_lines(XHTML, &out);
    for keep in [
        "<pre>آتزمون <b>توكاييف</b></pre>",
        "<code>آتزمون</code>",
        "<p translate=\"no\">آتزمون <i>رحمون</i></p>",
        "<script>if (a &lt; b) { x(\"آتزمون\"); }</script>",
        "<style>p > a { color: red; }</style>",
    ] {
        assert!(out.contains(keep), "{keep} changed:\n{out}");
    }
    assert!(
        out.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">"),
        "{out}"
    );
    assert_eq!(between(&out, "<title>", "</title>"), "tokayev");
    // An element around the whole segment wraps the whole translation.
    assert_eq!(
        between(&out, "<a href=\"/people/atzmon?x=1&amp;y=2\">", "</a>"),
        "atzmon"
    );
    // Inside a sentence, tags follow their words.
    let p = between(&out, "<p>", "</p>");
    assert!(!has_arabic(p), "{p}");
    assert_eq!(between(p, "<a href=\"/p/1\">", "</a>"), "atzmon", "{p}");
    assert_eq!(between(p, "<em>", "</em>"), "tokayev", "{p}");
    assert!(
        between(p, "<strong>", "</strong>").starts_with("rahm"),
        "{p}"
    );
    // alt and title attributes are translated.
    assert!(out.contains("alt=\"atzmon\""), "{out}");
    assert!(out.contains("title=\"tokayev\""), "{out}");
}

const XLIFF12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="ar" target-language="fr" datatype="plaintext" original="names.txt">
    <body>
      <trans-unit id="n1" resname="first">
        <source>آتزمون</source>
        <note from="editor">اسم شخص</note>
      </trans-unit>
      <trans-unit id="n2">
        <source><g id="1">توكاييف</g></source>
        <target state="needs-translation"></target>
      </trans-unit>
      <trans-unit id="n3" translate="yes">
        <source>123</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

const XLIFF20: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar">
  <file id="f1">
    <unit id="u1">
      <notes><note>اسم</note></notes>
      <segment id="s1">
        <source>رحمون</source>
      </segment>
    </unit>
    <unit id="u2">
      <segment id="s2" state="initial">
        <source><pc id="1">آتزمون</pc></source>
        <target></target>
      </segment>
    </unit>
  </file>
</xliff>
"#;

#[test]
fn xliff_12_and_20_targets_states_ids_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    if !tool("xmllint") {
        return;
    }
    let Some((out, path)) = ct2_translate(dir.path(), "names.xlf", XLIFF12, &[]) else {
        return;
    };
    xmllint(&path);
    assert!(out.contains("target-language=\"en\""), "{out}");
    assert!(out.contains("<source>آتزمون</source>\n        <target state=\"translated\">atzmon</target>\n        <note from=\"editor\">اسم شخص</note>"), "{out}");
    assert!(
        out.contains("<target state=\"translated\"><g id=\"1\">tokayev</g></target>"),
        "{out}"
    );
    assert!(out.contains("<trans-unit id=\"n3\" translate=\"yes\">\n        <source>123</source>\n      </trans-unit>"), "{out}");
    assert_eq!(out.matches("<target").count(), 2);

    let (out, path) = ct2_translate(dir.path(), "names2.xliff", XLIFF20, &[]).unwrap();
    xmllint(&path);
    assert!(out.contains("srcLang=\"ar\" trgLang=\"en\""), "{out}");
    assert!(out.contains("<notes><note>اسم</note></notes>"), "{out}");
    assert!(out.contains("<segment id=\"s1\" state=\"translated\">\n        <source>رحمون</source>\n        <target>rahmoun</target>\n      </segment>"), "{out}");
    assert!(
        out.contains("<segment id=\"s2\" state=\"translated\">"),
        "{out}"
    );
    assert!(
        out.contains("<target><pc id=\"1\">atzmon</pc></target>"),
        "{out}"
    );
}

const PO: &str = r#"# Names.
msgid ""
msgstr ""
"Project-Id-Version: names 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Language: \n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#. A person.
#: names.c:10
msgid "آتزمون"
msgstr ""

#: names.c:11
#, c-format
msgid "توكاييف %d"
msgstr ""

msgctxt "menu"
msgid "رحمون"
msgid_plural "رحمون"
msgstr[0] ""
msgstr[1] ""

msgid "kept"
msgstr "as is"
"#;

#[test]
fn po_msgstr_filled_fuzzy_flagged_and_msgfmt_accepts() {
    let dir = tempfile::tempdir().unwrap();
    if !tool("msgfmt") {
        return;
    }
    let Some((out, path)) = ct2_translate(dir.path(), "names.po", PO, &[]) else {
        return;
    };
    let check = Command::new("msgfmt")
        .args(["-c", "-o", "/dev/null"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "msgfmt -c: {}\n{out}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        out.contains("#. A person.\n#: names.c:10\nmsgid \"آتزمون\"\nmsgstr \"atzmon\"\n"),
        "{out}"
    );
    assert!(out.contains("\"Language: en\\n\""), "{out}");
    assert!(
        out.contains("msgstr[0] \"rahmoun\"\nmsgstr[1] \"rahmoun\"\n"),
        "{out}"
    );
    assert!(out.contains("msgid \"kept\"\nmsgstr \"as is\"\n"), "{out}");
    // The placeholder is gone from the translation, or kept: fuzzy exactly when it is gone.
    let entry = between(&out, "#: names.c:11\n", "\n\n");
    let kept = between(entry, "msgstr \"", "\"").contains("%d");
    assert_eq!(entry.starts_with("#, fuzzy, c-format"), !kept, "{entry}");
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
  <title>توكاييف</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-11-28T00:00:00Z</updated>
  <entry>
    <title type="html">&lt;b&gt;آتزمون&lt;/b&gt;</title>
    <link href="http://127.0.0.1/a"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2026-11-28T00:00:00Z</updated>
    <summary>رحمون</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><em>توكاييف</em></p></div></content>
  </entry>
</feed>
"#;

#[test]
fn atom_round_trip_by_sniffing() {
    let dir = tempfile::tempdir().unwrap();
    if !tool("xmllint") {
        return;
    }
    // `.xml` says nothing: the format is sniffed from the root element.
    let Some((out, path)) = ct2_translate(dir.path(), "feed.xml", ATOM, &[]) else {
        return;
    };
    xmllint(&path);
    same_untranslated_lines(ATOM, &out);
    assert!(out.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    assert!(
        out.contains("<title type=\"html\">&lt;b&gt;atzmon&lt;/b&gt;</title>"),
        "{out}"
    );
    assert!(out.contains("<summary>rahmoun</summary>"), "{out}");
    assert!(out.contains("<p><em>tokayev</em></p>"), "{out}");
}

#[test]
fn apertium_html_keeps_tags_around_surviving_words() {
    if !apertium("spa-eng") || !tool("xmllint") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = "<!DOCTYPE html>\n<html lang=\"es\">\n<body>\n<p>El presidente <a href=\"/t\">Tokayev</a> llegó a <em>Dusambé</em> ayer.</p>\n<p translate=\"no\">El gato negro.</p>\n</body>\n</html>\n";
    let input = dir.path().join("noticia.html");
    std::fs::write(&input, page).unwrap();
    let out = run(
        &[
            "translate",
            input.to_str().unwrap(),
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
    let html = stdout(&out);
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("<a href=\"/t\">Tokayev</a>"), "{html}");
    assert!(html.contains("<em>Dusambé</em>"), "{html}");
    assert!(
        html.contains("<p translate=\"no\">El gato negro.</p>"),
        "{html}"
    );
    assert!(!html.contains("El presidente"), "{html}");
}

const RSS_ES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Noticias del día</title>
<link>http://127.0.0.1/es</link>
<description>Las noticias de hoy.</description>
<language>es</language>
<item>
<title>El presidente llegó a la capital</title>
<link>http://127.0.0.1/es/1</link>
<guid isPermaLink="false">es-1</guid>
<description>&lt;p&gt;El presidente &lt;b&gt;Tokayev&lt;/b&gt; llegó ayer con su esposa.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>El gobierno de <a href="/t?a=1&b=2">Tokayev</a> no comentó <em>las conversaciones</em>.</p><pre>no se traduce</pre>]]></content:encoded>
<pubDate>Sat, 28 Nov 2026 00:00:00 GMT</pubDate>
</item>
</channel>
</rss>
"#;

#[test]
fn apertium_rss_escaped_and_cdata_html() {
    if !apertium("spa-eng") || !tool("xmllint") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("noticias.rss");
    let output = dir.path().join("news.rss");
    std::fs::write(&input, RSS_ES).unwrap();
    let out = run(
        &[
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
        ],
        b"",
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    xmllint(&output);
    let rss = std::fs::read_to_string(&output).unwrap();
    for keep in [
        "<link>http://127.0.0.1/es/1</link>",
        "<guid isPermaLink=\"false\">es-1</guid>",
        "<pubDate>Sat, 28 Nov 2026 00:00:00 GMT</pubDate>",
        "<pre>no se traduce</pre>",
    ] {
        assert!(rss.contains(keep), "{keep} changed:\n{rss}");
    }
    assert!(rss.contains("<language>en</language>"), "{rss}");
    let title = between(&rss, "<item>\n<title>", "</title>");
    assert!(title.contains("president"), "{title}");
    let desc = between(&rss, "<item>", "</item>");
    let desc = between(desc, "<description>", "</description>");
    assert!(
        desc.starts_with("&lt;p&gt;") && desc.contains("&lt;b&gt;Tokayev&lt;/b&gt;"),
        "{desc}"
    );
    assert!(!desc.contains("presidente"), "{desc}");
    let content = between(&rss, "<content:encoded><![CDATA[", "]]></content:encoded>");
    assert!(
        content.contains("<a href=\"/t?a=1&b=2\">Tokayev</a>"),
        "{content}"
    );
    assert!(!content.contains("El gobierno"), "{content}");
    // The emphasis covered words the engine changed: Apertium carries it to their translation.
    assert!(content.contains("<em>the conversations</em>"), "{content}");
    let err = stderr(&out);
    assert!(!err.contains("inline-lost"), "{err}");
}
