//! Inline markup through the engines: links, emphasis, images and inline codes of HTML, RSS
//! description HTML, Atom XHTML and XLIFF come out of Apertium (es→en) and of the shared
//! CTranslate2 model (ar→en) as many as went in, each link with its attributes around words of
//! the translation, every output well-formed (`xmllint`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{apertium, aren_model, has_ct2, run, stderr, stdout, strict};
use quick_xml::events::Event;
use quick_xml::Reader;

fn xmllint_available() -> bool {
    let ok = Command::new("xmllint").arg("--version").output().is_ok();
    if !ok {
        assert!(!strict(), "xmllint is required (TARJUMAN_REQUIRE_SHARED=1)");
        eprintln!("notice: skipping: xmllint is not installed");
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
        "xmllint rejects {}: {}\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

/// Translates `content` (written to `name` in `dir`) with `engine` arguments; returns the
/// output and its path.
fn translate(dir: &Path, name: &str, content: &str, engine: &[&str]) -> (String, PathBuf) {
    let input = dir.join(name);
    std::fs::write(&input, content).expect("write input");
    let output = dir.join(format!("out-{name}"));
    let mut args = vec![
        "translate",
        input.to_str().expect("utf-8"),
        "-o",
        output.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(engine);
    let out = run(&args, b"");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("inline-lost"), "{err}");
    (
        std::fs::read_to_string(&output).expect("output written"),
        output,
    )
}

const APERTIUM: &[&str] = &["--backend", "apertium", "--from", "es", "--to", "en"];

fn ct2_args(model: &Path) -> Vec<String> {
    [
        "--model",
        model.to_str().expect("utf-8"),
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// What a piece of XML holds: start tags by name, and every link (its start tag as written,
/// less translated attributes, and its text).
#[derive(Debug, Default, PartialEq)]
struct Census {
    tags: BTreeMap<String, usize>,
    links: Vec<(String, String)>,
}

/// The census of `xml` (which must be well-formed); `skip` names elements whose content is not
/// looked at (e.g. the `<source>` of XLIFF when only targets count).
fn census(xml: &str, only: Option<&str>) -> Census {
    let mut r = Reader::from_str(xml);
    let mut c = Census::default();
    let mut inside = only.is_none();
    let mut open_links: Vec<(String, String, usize)> = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = r
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed ({e}): {xml}"));
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if Some(name.as_str()) == only {
                    inside = true;
                } else if inside {
                    *c.tags.entry(name.clone()).or_insert(0) += 1;
                    if name == "a" {
                        let href = e
                            .try_get_attribute("href")
                            .ok()
                            .flatten()
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                            .unwrap_or_default();
                        open_links.push((href, String::new(), depth));
                    }
                }
            }
            Event::Empty(e) if inside => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                *c.tags.entry(name).or_insert(0) += 1;
                for l in &mut open_links {
                    l.1.push_str("[img]");
                }
            }
            Event::Text(t) => {
                let t = t.unescape().map(|s| s.into_owned()).unwrap_or_default();
                for l in &mut open_links {
                    l.1.push_str(&t);
                }
            }
            Event::End(e) => {
                if open_links.last().is_some_and(|l| l.2 == depth) {
                    let (href, text, _) = open_links.pop().expect("open link");
                    c.links.push((href, text.trim().to_string()));
                }
                if Some(e.local_name().as_ref()) == only.map(str::as_bytes) {
                    inside = false;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    c
}

/// The same elements in and out; the same links (by target), each with text where it had
/// text (an image link keeps its image).
fn assert_kept(what: &str, src: &Census, out: &Census) {
    assert_eq!(src.tags, out.tags, "{what}: elements in ≠ out");
    let mut a: Vec<&String> = src.links.iter().map(|(h, _)| h).collect();
    let mut b: Vec<&String> = out.links.iter().map(|(h, _)| h).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "{what}: links in ≠ out");
    for (href, text) in &out.links {
        let had_text = src.links.iter().any(|(h, t)| h == href && !t.is_empty());
        assert!(
            !had_text || !text.is_empty(),
            "{what}: the link to {href} has no text: {:?}",
            out.links
        );
    }
}

/// The text of every `<tag>…</tag>` of `s`, raw.
fn all_between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// Undoes the escaping of RSS text (`&lt;` → `<` …).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

// ---- The documents, in Spanish (for Apertium) ----

const HTML_ES: &str = r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="es"><head><title>Noticias de la granja</title></head><body>
<h1>El <em>presidente</em> visita la granja</h1>
<p>El <a href="/perro" title="Perro negro">perro <b>negro</b></a> come carne con la <em>familia de Juan</em>. Ver la <a href="https://example.org/pagina">página web del proyecto</a> para más detalles.</p>
<p>La casa<img src="c.png" alt="casa"/> roja es <strong>muy grande</strong>, dijo <a href="/juan"><img src="j.png" alt="Juan"/></a> ayer.</p>
<p><span class="nota"><em>Primera frase aquí.</em> Segunda <i>frase</i> larga.</span> <a href="/mas">Leer más</a></p>
<p>Las <em>vacas <a href="/v">comen</a> hierba</em> y los perros <b>comen <i>carne</i></b>. <em>Fin de la historia. Y más</em> cosas.</p>
<ul><li><a href="/a">Abrir archivo</a></li><li>Guardar <b>como</b> nuevo<br/>documento</li></ul>
</body></html>
"#;

const RSS_ES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Noticias</title><link>https://example.org/</link><description>Noticias de la granja</description>
<item><title>El perro negro</title><link>https://example.org/1</link>
<description>&lt;p&gt;El &lt;a href="/perro"&gt;perro &lt;b&gt;negro&lt;/b&gt;&lt;/a&gt; come carne con la &lt;em&gt;familia de Juan&lt;/em&gt;. Ver la &lt;a href="https://example.org/p"&gt;página web&lt;/a&gt; y &lt;a href="/img"&gt;&lt;img src="i.png" alt="foto"/&gt;&lt;/a&gt; hoy.&lt;/p&gt;</description>
</item>
</channel></rss>
"#;

const ATOM_ES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es"><title>Noticias</title><id>urn:x</id><updated>2026-12-06T00:00:00Z</updated>
<entry><title>La granja</title><id>urn:x:1</id><updated>2026-12-06T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>El <a href="/perro">perro <b>negro</b></a> come carne con la <em>familia de Juan</em>. La casa<img src="c.png"/> roja es <a href="/g">muy grande</a>.</p></div></content>
</entry>
</feed>
"#;

const XLIFF_ES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="es" target-language="en" datatype="html" original="ui.html">
    <body>
      <trans-unit id="1">
        <source>Haga clic en <g id="1">Guardar como</g> para guardar <x id="2"/> el archivo.</source>
      </trans-unit>
      <trans-unit id="2">
        <source>El <bx id="3"/>perro negro<ex id="4"/> come <g id="5">carne <g id="6">roja</g></g>.</source>
      </trans-unit>
      <trans-unit id="3">
        <source>La casa <ph id="7">&lt;br/&gt;</ph> roja es <mrk mtype="term">muy grande</mrk>.</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

fn check_html(out: &str, path: &Path, src: &str) {
    xmllint(path);
    let body = |s: &str| {
        let end = s.find("</body>").expect("</body>") + "</body>".len();
        s[s.find("<body>").expect("<body>")..end].to_string()
    };
    assert_kept("HTML", &census(&body(src), None), &census(&body(out), None));
}

fn check_rss(out: &str, path: &Path, src: &str) {
    xmllint(path);
    let descs = |s: &str| -> Vec<String> {
        all_between(s, "<description>", "</description>")
            .into_iter()
            .map(|d| format!("<div>{}</div>", unescape(d)))
            .collect()
    };
    for (a, b) in descs(src).iter().zip(descs(out)) {
        assert_kept("RSS description", &census(a, None), &census(&b, None));
    }
}

fn check_atom(out: &str, path: &Path, src: &str) {
    xmllint(path);
    assert_kept(
        "Atom",
        &census(src, Some("content")),
        &census(out, Some("content")),
    );
}

fn check_xliff(out: &str, path: &Path, src: &str) {
    xmllint(path);
    let s = census(src, Some("source"));
    let t = census(out, Some("target"));
    assert_eq!(
        s.tags, t.tags,
        "XLIFF inline codes: sources ≠ targets\n{out}"
    );
    assert_eq!(
        all_between(out, "<target", "</target>").len(),
        3,
        "every unit has a target: {out}"
    );
}

#[test]
fn apertium_keeps_every_link_emphasis_image_and_code() {
    if !apertium("spa-eng") || !xmllint_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, path) = translate(dir.path(), "page.xhtml", HTML_ES, APERTIUM);
    check_html(&out, &path, HTML_ES);
    // Apertium carries the tags with their words through reordering.
    assert!(
        out.contains("<a href=\"/perro\" title=\"Black dog\"><b>black</b> dog</a>"),
        "{out}"
    );
    assert!(out.contains("<em>family of Juan</em>"), "{out}");
    assert!(out.contains("red house<img src=\"c.png\""), "{out}");
    assert!(
        out.contains("<a href=\"/juan\"><img src=\"j.png\" alt=\"Juan\"/></a>"),
        "{out}"
    );
    assert!(out.contains("<strong>very big</strong>"), "{out}");

    let (out, path) = translate(dir.path(), "feed.rss", RSS_ES, APERTIUM);
    check_rss(&out, &path, RSS_ES);
    assert!(
        out.contains("&lt;a href=\"/img\"&gt;&lt;img src=\"i.png\""),
        "{out}"
    );

    let (out, path) = translate(dir.path(), "feed.atom", ATOM_ES, APERTIUM);
    check_atom(&out, &path, ATOM_ES);

    let (out, path) = translate(dir.path(), "ui.xlf", XLIFF_ES, APERTIUM);
    check_xliff(&out, &path, XLIFF_ES);
    assert!(out.contains("<g id=\"6\">red</g>"), "{out}");
}

#[test]
fn apertium_glossary_renderings_keep_their_markup() {
    if !apertium("spa-eng") || !xmllint_available() {
        return;
    }
    let glossary = Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/news-names.es-en.tsv");
    let page = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"es\"><body>\n<p>El presidente <a href=\"/r\">Emomali Rajmón</a> recibió a <b>Tokáyev</b> en <b>Dusambé</b> ayer.</p>\n<p>Viajó a <em>Asjabad</em>, luego a <i>Kiev</i><img src=\"k.png\"/>.</p>\n</body></html>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = APERTIUM.to_vec();
    args.extend(["--glossary", glossary.to_str().expect("utf-8")]);
    let (out, path) = translate(dir.path(), "g.xhtml", page, &args);
    check_html(&out, &path, page);
    for kept in [
        "<a href=\"/r\">Emomali Rakhmon</a>",
        "<b>Tokayev</b>",
        "<b>Dushanbe</b>",
        "<em>Ashgabat</em>",
        "<i>Kyiv</i><img src=\"k.png\"/>",
    ] {
        assert!(out.contains(kept), "{kept} missing: {out}");
    }
}

// ---- The same through the shared CTranslate2 model (Arabic-script names → Latin) ----

const NAMES: &[&str] = &[
    "آتزمون",
    "توكاييف",
    "رحمون",
    "بوتين",
    "ميرزيوييف",
    "نزارباييف",
    "جباروف",
    "ماكرون",
    "علييف",
];

/// The rendering of every name of [`NAMES`] translated alone.
fn renderings(model: &Path, dir: &Path) -> Vec<String> {
    let jsonl: String = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{{\"id\":{i},\"text\":\"{n}\"}}\n"))
        .collect();
    let input = dir.join("names.jsonl");
    std::fs::write(&input, jsonl).expect("write");
    let mut args = vec![
        "translate",
        input.to_str().expect("utf-8"),
        "--format",
        "jsonl",
    ];
    let engine = ct2_args(model);
    args.extend(engine.iter().map(String::as_str));
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    common::json_lines(&stdout(&out))
        .iter()
        .map(|v| v["translation"].as_str().expect("translated").to_string())
        .collect()
}

#[test]
fn ct2_keeps_every_link_emphasis_image_and_code_around_the_tagged_names() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() || !xmllint_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let alone = renderings(&model, dir.path());
    let engine = ct2_args(&model);
    let engine: Vec<&str> = engine.iter().map(String::as_str).collect();
    let n = |i: usize| NAMES[i];

    let page = format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"ar\"><body>\n\
         <p>{} <a href=\"/t\" title=\"{}\">{}</a> {} <b>{} <i>{}</i></b> {}<img src=\"x.png\"/> {}</p>\n\
         <p><a href=\"/i\"><img src=\"i.png\"/></a> {} <em>{}</em></p>\n</body></html>\n",
        n(0), n(1), n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8)
    );
    let (out, path) = translate(dir.path(), "names.xhtml", &page, &engine);
    check_html(&out, &path, &page);
    // Each tag wraps exactly the rendering of its name alone.
    assert!(out.contains(&format!("\">{}</a>", alone[1])), "{out}");
    assert!(out.contains(&format!("title=\"{}\"", alone[1])), "{out}");
    assert!(
        out.contains(&format!("<b>{} <i>{}</i></b>", alone[3], alone[4])),
        "{out}"
    );
    assert!(
        out.contains(&format!("{}<img src=\"x.png\"/> {}", alone[5], alone[6])),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "<a href=\"/i\"><img src=\"i.png\"/></a> {}",
            alone[7]
        )),
        "{out}"
    );
    assert!(out.contains(&format!("<em>{}</em>", alone[8])), "{out}");

    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{}</title><link>https://example.org/</link><description>{}</description>\n<item><title>{}</title><description>&lt;p&gt;{} &lt;a href=\"/x\"&gt;{} &lt;b&gt;{}&lt;/b&gt;&lt;/a&gt; {} &lt;a href=\"/i\"&gt;&lt;img src=\"i.png\"/&gt;&lt;/a&gt;&lt;/p&gt;</description></item>\n</channel></rss>\n",
        n(0), n(1), n(2), n(3), n(4), n(5), n(6)
    );
    let (out, path) = translate(dir.path(), "names.rss", &rss, &engine);
    check_rss(&out, &path, &rss);
    assert!(
        out.contains(&format!(
            "&lt;a href=\"/x\"&gt;{} &lt;b&gt;{}&lt;/b&gt;&lt;/a&gt;",
            alone[4], alone[5]
        )),
        "{out}"
    );

    let atom = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{}</title><id>urn:x</id><updated>2026-12-06T00:00:00Z</updated>\n<entry><title>{}</title><id>urn:x:1</id><updated>2026-12-06T00:00:00Z</updated><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">{} <a href=\"/a\">{}</a> {}<br/>{} <em>{}</em></div></content></entry>\n</feed>\n",
        n(0), n(1), n(2), n(3), n(4), n(5), n(6)
    );
    let (out, path) = translate(dir.path(), "names.atom", &atom, &engine);
    check_atom(&out, &path, &atom);
    assert!(
        out.contains(&format!("<a href=\"/a\">{}</a>", alone[3])),
        "{out}"
    );

    let xliff = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file source-language=\"ar\" target-language=\"en\" datatype=\"plaintext\" original=\"n\"><body>\n<trans-unit id=\"1\"><source>{} <g id=\"1\">{}</g> <x id=\"2\"/>{}</source></trans-unit>\n<trans-unit id=\"2\"><source><bx id=\"3\"/>{} {}<ex id=\"4\"/> <ph id=\"5\">&lt;br/&gt;</ph> {}</source></trans-unit>\n<trans-unit id=\"3\"><source><g id=\"6\">{} <g id=\"7\">{}</g></g></source></trans-unit>\n</body></file></xliff>\n",
        n(0), n(1), n(2), n(3), n(4), n(5), n(6), n(7)
    );
    let (out, path) = translate(dir.path(), "names.xlf", &xliff, &engine);
    check_xliff(&out, &path, &xliff);
    assert!(
        out.contains(&format!("<g id=\"1\">{}</g>", alone[1])),
        "{out}"
    );
    assert!(
        out.contains(&format!("<g id=\"7\">{}</g>", alone[7])),
        "{out}"
    );
}

#[test]
fn apertium_leaves_code_inside_sentences_as_it_was() {
    if !apertium("spa-eng") || !xmllint_available() {
        return;
    }
    let page = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"es\"><body>\n<p>Ejecute <code>cargo build --release</code> para compilar el programa, pulse <kbd>perro</kbd> y el <var>gato negro</var> come <span translate=\"no\">la casa roja</span> ayer.</p>\n</body></html>\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, path) = translate(dir.path(), "code.xhtml", page, APERTIUM);
    check_html(&out, &path, page);
    for kept in [
        "<code>cargo build --release</code>",
        "<kbd>perro</kbd>",
        "<var>gato negro</var>",
        "<span translate=\"no\">la casa roja</span>",
    ] {
        assert!(out.contains(kept), "{kept} missing: {out}");
    }
    // One sentence, translated as one: no capital after the code, the words around it in
    // English.
    assert!(out.contains("to compile the program"), "{out}");
    assert!(out.contains("yesterday"), "{out}");
}
