//! `tarjuman check` end to end: German/English news pairs with one injected error each.

mod common;

use common::{json_lines, run, run_in, stdout};
use serde_json::Value;

const SOURCE: &str = "\
Scholz reist nach Kiew

Bundeskanzler Olaf Scholz ist am Donnerstag zu einem Besuch in Kiew eingetroffen.
Er wurde am Bahnhof von Außenminister Dmytro Kuleba empfangen.

Die Bundesregierung kündigte neue Hilfen in Höhe von 1.500 Millionen Euro an.
Nach Angaben des Ministeriums sollen davon 12 Prozent in den Wiederaufbau von Schulen fließen.
Die Opposition in Berlin kritisierte, dass die Zusage viel zu spät komme.

Am 28. Juni will Scholz beim Gipfel in Brüssel über weitere Sanktionen sprechen.
Der Kanzler sagte, Europa müsse geschlossen bleiben.
";

const TARGET: &str = "\
Scholz travels to Kyiv

Chancellor Olaf Scholz arrived in Kyiv for a visit on Thursday.
He was received at the railway station by Foreign Minister Dmytro Kuleba.

The federal government announced new aid worth 1,500 million euros.
According to the ministry, 12 percent of this is to go to the reconstruction of schools.
The opposition in Berlin criticized that the pledge came far too late.

On June 28, Scholz wants to discuss further sanctions at the summit in Brussels.
The chancellor said that Europe must remain united.
";

/// Runs `check` on the pair and returns the findings.
fn check_pair(source: &str, target: &str) -> (Vec<Value>, i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("src.txt"), source).expect("write");
    std::fs::write(dir.path().join("tgt.txt"), target).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check", "--source", "src.txt", "--target", "tgt.txt", "--from", "de", "--to", "en",
            "--format", "jsonl",
        ],
        b"",
    );
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        common::stderr(&out)
    );
    (json_lines(&stdout(&out)), code)
}

fn find<'a>(findings: &'a [Value], check: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["check"] == check).collect()
}

fn errors(findings: &[Value]) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

#[test]
fn clean_pair_has_no_errors() {
    if !common::hunspell("en_US") {
        return;
    }
    let (f, code) = check_pair(SOURCE, TARGET);
    assert!(errors(&f).is_empty(), "{f:#?}");
    assert_eq!(code, 0);
}

#[test]
fn typo_is_found_with_suggestion() {
    if !common::hunspell("en_US") {
        return;
    }
    let (f, code) = check_pair(SOURCE, &TARGET.replace("reconstruction", "reconstuction"));
    let typos = find(&f, "typo");
    assert_eq!(typos.len(), 1, "{f:#?}");
    assert_eq!(typos[0]["target_line"], 7);
    assert_eq!(typos[0]["text"], "reconstuction");
    assert_eq!(typos[0]["suggestion"], "reconstruction");
    assert_eq!(code, 1);
}

#[test]
fn names_from_the_source_are_not_typos() {
    if !common::hunspell("en_US") {
        return;
    }
    let (f, _) = check_pair(SOURCE, TARGET);
    assert!(find(&f, "typo").is_empty(), "{f:#?}");
}

#[test]
fn dropped_sentence_is_found_at_its_source_line() {
    let target = TARGET.replace(
        "According to the ministry, 12 percent of this is to go to the reconstruction of schools.\n",
        "",
    );
    let (f, _) = check_pair(SOURCE, &target);
    let dropped = find(&f, "dropped");
    assert_eq!(dropped.len(), 1, "{f:#?}");
    assert_eq!(dropped[0]["source_line"], 7);
    assert!(dropped[0]["target_line"].is_null());
    assert_eq!(dropped[0]["severity"], "error");
}

#[test]
fn missing_paragraph_and_added_boilerplate() {
    let target = TARGET
        .replace(
            "On June 28, Scholz wants to discuss further sanctions at the summit in Brussels.\nThe chancellor said that Europe must remain united.\n",
            "",
        )
        .replace(
            "He was received",
            "Also read: the best deals of the week on our partner site.\nHe was received",
        );
    let (f, _) = check_pair(SOURCE, &target);
    let dropped: Vec<i64> = find(&f, "dropped")
        .iter()
        .filter_map(|x| x["source_line"].as_i64())
        .collect();
    assert_eq!(dropped, [10, 11], "{f:#?}");
    let added = find(&f, "added");
    assert_eq!(added.len(), 1, "{f:#?}");
    assert_eq!(added[0]["target_line"], 4);
}

#[test]
fn changed_number_is_found() {
    let (f, _) = check_pair(SOURCE, &TARGET.replace("1,500 million", "1,600 million"));
    let n = find(&f, "number");
    assert_eq!(n.len(), 1, "{f:#?}");
    assert_eq!(n[0]["target_line"], 6);
    assert_eq!(n[0]["text"], "1,600");
    assert_eq!(n[0]["severity"], "error");
    let (f, _) = check_pair(SOURCE, &TARGET.replace("On June 28", "On July 28"));
    let n = find(&f, "number");
    assert_eq!(n.len(), 1, "{f:#?}");
    assert_eq!(n[0]["target_line"], 10);
}

#[test]
fn untranslated_sentence_is_found() {
    let target = TARGET.replace(
        "The opposition in Berlin criticized that the pledge came far too late.",
        "Die Opposition in Berlin kritisierte, dass die Zusage viel zu spät komme.",
    );
    let (f, _) = check_pair(SOURCE, &target);
    let u = find(&f, "untranslated");
    assert_eq!(u.len(), 1, "{f:#?}");
    assert_eq!(u[0]["target_line"], 8);
    assert_eq!(u[0]["source_line"], 8);
}

#[test]
fn doubled_word_is_found() {
    let (f, _) = check_pair(
        SOURCE,
        &TARGET.replace("at the summit", "at the the summit"),
    );
    let r = find(&f, "repeated-word");
    assert_eq!(r.len(), 1, "{f:#?}");
    assert_eq!(r[0]["target_line"], 10);
    assert_eq!(r[0]["text"], "the the");
    let span = r[0]["target_span"].as_array().expect("span");
    let line = TARGET.replace("at the summit", "at the the summit");
    let line = line.lines().nth(9).expect("line 10");
    let (s, e) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&line[s..e], "the the");
}

#[test]
fn torn_line_is_found() {
    let target = TARGET.replace(
        "The chancellor said that Europe must remain united.",
        "The chancellor said\n\nthat Europe must remain united.",
    );
    let (f, _) = check_pair(SOURCE, &target);
    let frag = find(&f, "fragment");
    assert_eq!(frag.len(), 1, "{f:#?}");
    assert_eq!(frag[0]["target_line"], 11);
}

#[test]
fn glossary_variant_and_missing_rendering_are_found() {
    let glossary =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("glossaries/news-names.de-en.tsv");
    let dir = tempfile::tempdir().expect("temp dir");
    // Line 3: a known wrong form (Kiev for Kyiv); line 11 of the source names Kiew again, but
    // the translation's sentence drops the city.
    let target = TARGET
        .replace(
            "Chancellor Olaf Scholz arrived in Kyiv",
            "Chancellor Olaf Scholz arrived in Kiev",
        )
        .replace("Scholz travels to Kyiv", "Scholz travels to the capital");
    std::fs::write(dir.path().join("src.txt"), SOURCE).expect("write");
    std::fs::write(dir.path().join("tgt.txt"), &target).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--source",
            "src.txt",
            "--target",
            "tgt.txt",
            "--from",
            "de",
            "--to",
            "en",
            "--format",
            "jsonl",
            "--glossary",
            glossary.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let findings = json_lines(&stdout(&out));
    let g = find(&findings, "glossary");
    let wrong: Vec<&&Value> = g.iter().filter(|f| f["text"] == "Kiev").collect();
    assert_eq!(wrong.len(), 1, "{g:#?}");
    assert_eq!(wrong[0]["target_line"], 3);
    assert_eq!(wrong[0]["suggestion"], "Kyiv");
    let missing: Vec<&&Value> = g.iter().filter(|f| f["text"] == "Kiew").collect();
    assert_eq!(missing.len(), 1, "{g:#?}");
    assert_eq!(missing[0]["target_line"], 1);
    // The untouched pair has no glossary finding.
    std::fs::write(dir.path().join("tgt.txt"), TARGET).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--source",
            "src.txt",
            "--target",
            "tgt.txt",
            "--from",
            "de",
            "--to",
            "en",
            "--format",
            "jsonl",
            "--glossary",
            glossary.to_str().expect("utf-8 path"),
        ],
        b"",
    );
    assert!(find(&json_lines(&stdout(&out)), "glossary").is_empty());
}

#[test]
fn tsv_pairs_json_output_and_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tsv = "Der Zug kam um 19:09 Uhr an.\tThe train arrived at 7:09 p.m.\n\
               Es gab 3 Verletzte.\tThere were 4 injured.\n\
               Die Polizei ermittelt.\t\n\
               Er sagte das.\tHe said that .\n";
    std::fs::write(dir.path().join("units.tsv"), tsv).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "units.tsv",
            "--from",
            "de",
            "--to",
            "en",
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let f = v["findings"].as_array().expect("findings");
    let checks: Vec<(&str, i64)> = f
        .iter()
        .map(|x| {
            (
                x["check"].as_str().unwrap_or(""),
                x["target_line"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert!(checks.contains(&("number", 2)), "{checks:?}");
    assert!(checks.contains(&("dropped", 3)), "{checks:?}");
    assert!(checks.contains(&("spacing", 4)), "{checks:?}");
    assert!(!checks.iter().any(|c| c.1 == 1), "{checks:?}");
    assert_eq!(v["summary"]["target_segments"], 3);
    // The spacing finding's span points into the line, after the source column.
    let sp = f.iter().find(|x| x["check"] == "spacing").expect("spacing");
    let line = tsv.lines().nth(3).expect("line 4");
    let span = sp["target_span"].as_array().expect("span");
    let (s, e) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&line[s..e], "that .");

    // Re-graded and disabled through the config.
    std::fs::write(
        dir.path().join("tarjuman.toml"),
        "[check]\ndisable = [\"number\", \"dropped\"]\n[check.severity]\nspacing = \"info\"\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "units.tsv",
            "--from",
            "de",
            "--to",
            "en",
            "--format",
            "jsonl",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let f = json_lines(&stdout(&out));
    assert!(f
        .iter()
        .all(|x| x["check"] != "number" && x["check"] != "dropped"));
    assert!(f
        .iter()
        .any(|x| x["check"] == "spacing" && x["severity"] == "info"));
    let out = run_in(
        dir.path(),
        &["check", "units.tsv", "--fail-on", "info"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn shared_article_target_only() {
    let Some(path) = common::shared("corpus/putin-central-asia-2022-06-29.mt-en.txt") else {
        return;
    };
    if !common::hunspell("en_US") {
        return;
    }
    let out = run(
        &[
            "check",
            path.to_str().expect("utf-8 path"),
            "--format",
            "jsonl",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let f = json_lines(&stdout(&out));
    let typo = f
        .iter()
        .find(|x| x["check"] == "typo" && x["text"] == "Tajikists")
        .unwrap_or_else(|| panic!("Tajikists not found: {f:#?}"));
    assert_eq!(typo["suggestion"], "Tajikistan");
    assert!(f.iter().any(
        |x| x["check"] == "spacing" && x["text"].as_str().is_some_and(|t| t.contains("p.m ."))
    ));
    assert!(f.iter().any(|x| x["check"] == "fragment"
        && x["text"].as_str().is_some_and(|t| t.contains("This")
            && t.contains("news ticker")
            && t.contains("is constantly updated."))));
    for name in [
        "Rakhmon",
        "Tokayev",
        "Tokayev's",
        "Lukashenko",
        "Dushanbe",
        "Interfax",
        "Luhansk",
        "dpa",
    ] {
        assert!(
            !f.iter().any(|x| x["check"] == "typo" && x["text"] == name),
            "{name} flagged: {f:#?}"
        );
    }
}

#[test]
fn jsonl_records_pair_by_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("src.jsonl"),
        "{\"id\":\"a\",\"text\":\"Der Kanzler reiste am Montag nach Paris.\"}\n\
         {\"id\":\"b\",\"text\":\"Die Inflation stieg auf 7,9 Prozent.\"}\n\
         {\"id\":\"c\",\"text\":\"Die Polizei nahm 12 Personen fest.\"}\n",
    )
    .expect("write");
    // Records in another order; `c` is missing, `b` has a changed number.
    std::fs::write(
        dir.path().join("tgt.jsonl"),
        "{\"id\":\"b\",\"text\":\"Inflation rose to 7.8 percent.\"}\n\
         {\"id\":\"a\",\"text\":\"The chancellor travelled to Paris on Monday.\"}\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--source",
            "src.jsonl",
            "--target",
            "tgt.jsonl",
            "--from",
            "de",
            "--to",
            "en",
            "--format",
            "jsonl",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let f = json_lines(&stdout(&out));
    let number = find(&f, "number");
    assert_eq!(number.len(), 1, "{f:#?}");
    assert_eq!(number[0]["target_line"], 1);
    assert_eq!(number[0]["source_line"], 2);
    assert_eq!(number[0]["suggestion"], "7.9");
    let dropped = find(&f, "dropped");
    assert_eq!(dropped.len(), 1, "{f:#?}");
    assert_eq!(dropped[0]["source_line"], 3);
    assert!(find(&f, "added").is_empty());
}

#[test]
fn markdown_pair_is_read_through_the_markdown_reader() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("src.md"),
        "# Gipfel in Brüssel\n\nDie **EU** will bis 2030 rund 55 Prozent der Emissionen einsparen.\n\n- Erster Punkt der Agenda.\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("tgt.md"),
        "# Summit in Brussels\n\nThe **EU** wants to cut around 50 percent of emissions by 2030.\n\n- First item on the agenda.\n",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check", "--source", "src.md", "tgt.md", "--from", "de", "--to", "en", "--format",
            "jsonl",
        ],
        b"",
    );
    let f = json_lines(&stdout(&out));
    let number = find(&f, "number");
    assert_eq!(number.len(), 1, "{f:#?}");
    assert_eq!(number[0]["target_line"], 3);
    assert_eq!(number[0]["text"], "50");
    assert_eq!(errors(&f).len(), 1, "{f:#?}");
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["check", "-", "--fail-on", "sometimes"], b"Text.\n");
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["check", "/nonexistent/file.txt"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &["check", "-", "--to", "en", "--dict", "/nonexistent/dicts"],
        b"Text.\n",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn clean_news_with_names_has_no_findings_target_only() {
    if !common::hunspell("en_US") || !common::hunspell("de_DE") {
        return;
    }
    let en = "\
Kazakh President Kassym-Jomart Tokayev met Uzbek leader Shavkat Mirziyoyev in Samarkand on Friday.
The two presidents discussed water rights on the Syr Darya and a new rail link to Tashkent.
Mirziyoyev said the talks had been \"open and constructive\", according to the news agency Kazinform.
Analysts at the Carnegie Endowment expect the agreement to be signed in October.
";
    let out = run(
        &["check", "-", "--to", "en", "--format", "jsonl"],
        en.as_bytes(),
    );
    let f = json_lines(&stdout(&out));
    assert!(f.is_empty(), "{f:#?}");
    assert_eq!(out.status.code(), Some(0));

    let de = "\
Bundesaußenministerin Annalena Baerbock ist am Montag in Taschkent eingetroffen.
Sie traf dort den usbekischen Präsidenten Schawkat Mirsijojew zu einem Gespräch über Energiefragen.
Die Grünen-Politikerin kündigte an, die Zusammenarbeit im Klimaschutz auszubauen.
";
    let out = run(
        &["check", "-", "--to", "de", "--format", "jsonl"],
        de.as_bytes(),
    );
    let f = json_lines(&stdout(&out));
    assert!(errors(&f).is_empty(), "{f:#?}");
}

#[test]
fn segment_in_another_language_is_reported_once() {
    if !common::hunspell("en_US") {
        return;
    }
    let text = "The government announced new aid for the reconstruction of schools in the east of the country.\n\n\
                Le gouvernement a annoncé une nouvelle aide pour la reconstruction des écoles dans l'est du pays.\n\n\
                The opposition criticized that the pledge came far too late.\n";
    let out = run(
        &["check", "-", "--to", "en", "--format", "jsonl"],
        text.as_bytes(),
    );
    let f = json_lines(&stdout(&out));
    let wrong = find(&f, "wrong-language");
    assert_eq!(wrong.len(), 1, "{f:#?}");
    assert_eq!(wrong[0]["target_line"], 3);
    assert!(find(&f, "typo").is_empty(), "{f:#?}");
}

/// Runs `check --from de --to en --format jsonl` on one bilingual file and returns the
/// findings.
fn check_file(name: &str, content: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), content).expect("write");
    let out = run_in(
        dir.path(),
        &[
            "check", name, "--from", "de", "--to", "en", "--format", "jsonl",
        ],
        b"",
    );
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        common::stderr(&out)
    );
    json_lines(&stdout(&out))
}

/// The line (1-based) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    let i = text
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in text");
    i as u64 + 1
}

/// Asserts one finding of `check` at the line holding `needle`, its span covering `word`.
fn assert_at(findings: &[Value], file: &str, check: &str, needle: &str, word: &str) {
    let line = line_of(file, needle);
    let hit = findings.iter().find(|f| {
        f["check"] == check && f["target_line"] == line && f["text"].as_str() == Some(word)
    });
    let hit = hit.unwrap_or_else(|| panic!("no {check} `{word}` at line {line}: {findings:#?}"));
    let span = hit["target_span"].as_array().expect("span");
    let (a, b) = (
        span[0].as_u64().expect("start") as usize,
        span[1].as_u64().expect("end") as usize,
    );
    let text = file.lines().nth(line as usize - 1).expect("line");
    assert_eq!(&text[a..b], word, "{hit:#?}");
}

const PO_CLEAN: &str = r#"msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: en\n"

#: news.txt:1
msgid "Die Regierung kündigte Hilfen in Höhe von 1.500 Euro an."
msgstr "The government announced aid worth 1,500 euros."

#: news.txt:2
msgid "Nach Angaben der Behörden stieg die Zahl um 12 Prozent."
msgstr "According to the authorities, the number rose by 12 percent."

#, fuzzy
#: news.txt:3
msgid "Olaf Scholz sagte in Berlin, Europa müsse geschlossen bleiben."
msgstr "Olaf Scholz said in Berlin that Europe must remain united."

#: news.txt:4
msgid "Ein Minister ist in Wien eingetroffen."
msgid_plural "%d Minister sind in Wien eingetroffen."
msgstr[0] "A minister has arrived in Vienna."
msgstr[1] "%d ministers have arrived in Vienna."

#: news.txt:5
msgid "Dieser Satz ist noch nicht übersetzt."
msgstr ""
"#;

#[test]
fn po_file_is_checked_unit_by_unit() {
    if !common::hunspell("en_US") {
        return;
    }
    let clean = check_file("clean.po", PO_CLEAN);
    assert!(errors(&clean).is_empty(), "{clean:#?}");

    let bad = PO_CLEAN
        .replace("The government announced", "The govermnent announced")
        .replace("rose by 12 percent", "rose by 13 percent")
        .replace(
            "msgstr \"Olaf Scholz said in Berlin that",
            "msgstr \"Olaf Scholz said in in Berlin that",
        )
        .replace("%d ministers have arrived", "%d ministers have arived");
    let f = check_file("bad.po", &bad);
    assert_at(&f, &bad, "typo", "govermnent", "govermnent");
    assert_at(&f, &bad, "number", "rose by 13", "13");
    // The fuzzy entry is checked too.
    assert_at(&f, &bad, "repeated-word", "in in Berlin", "in in");
    // A plural form is checked against `msgid_plural`.
    assert_at(&f, &bad, "typo", "have arived", "arived");
    // Neither the header nor the untranslated entry is a unit.
    assert!(find(&f, "dropped").is_empty(), "{f:#?}");
    assert!(
        f.iter()
            .all(|x| x["target_line"] != line_of(&bad, "Language: en")),
        "{f:#?}"
    );
}

const XLIFF12_CLEAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="de" target-language="en" datatype="plaintext" original="news.txt">
    <body>
      <trans-unit id="1">
        <source>Die Regierung kündigte Hilfen in Höhe von 1.500 Euro an.</source>
        <target state="translated">The government announced aid worth 1,500 euros.</target>
      </trans-unit>
      <trans-unit id="2">
        <source>Nach Angaben der Behörden stieg die Zahl um 12 <g id="b">Prozent</g>.</source>
        <target>According to the authorities, the number rose by 12 <g id="b">percent</g>.</target>
      </trans-unit>
      <trans-unit id="3">
        <source>Olaf Scholz sagte in Berlin, Europa müsse geschlossen bleiben.</source>
        <target>Olaf Scholz said in Berlin that Europe must remain united.</target>
      </trans-unit>
      <trans-unit id="4">
        <source>Dieser Satz ist noch nicht übersetzt.</source>
      </trans-unit>
      <trans-unit id="5">
        <source>Auch dieser nicht.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"#;

const XLIFF20_CLEAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="de" trgLang="en">
  <file id="f1">
    <unit id="1">
      <segment>
        <source>Die Regierung kündigte Hilfen in Höhe von 1.500 Euro an.</source>
        <target>The government announced aid worth 1,500 euros.</target>
      </segment>
      <segment>
        <source>Nach Angaben der Behörden stieg die Zahl um 12 Prozent.</source>
        <target>According to the authorities, the number rose by 12 percent.</target>
      </segment>
    </unit>
    <unit id="2">
      <segment>
        <source>Olaf Scholz sagte in Berlin, Europa müsse geschlossen bleiben.</source>
        <target>Olaf Scholz said in Berlin that Europe must remain united.</target>
      </segment>
    </unit>
  </file>
</xliff>
"#;

#[test]
fn xliff_files_are_checked_unit_by_unit() {
    if !common::hunspell("en_US") {
        return;
    }
    for (name, clean) in [("v12.xlf", XLIFF12_CLEAN), ("v20.xliff", XLIFF20_CLEAN)] {
        let f = check_file(name, clean);
        assert!(errors(&f).is_empty(), "{name}: {f:#?}");
        assert!(find(&f, "dropped").is_empty(), "{name}: {f:#?}");

        let bad = clean
            .replace("The government announced", "The govermnent announced")
            .replace("rose by 12 <g", "rose by 13 <g")
            .replace("rose by 12 percent", "rose by 13 percent")
            .replace("said in Berlin that", "said in in Berlin that");
        let f = check_file(name, &bad);
        assert_at(&f, &bad, "typo", "govermnent", "govermnent");
        assert_at(&f, &bad, "number", "rose by 13", "13");
        assert_at(&f, &bad, "repeated-word", "in in Berlin", "in in");
    }
}

#[test]
fn many_unknown_words_are_all_reported_by_the_strength_of_their_evidence() {
    // Forty made-up words once each, near no word of the dictionary: each is noted (an
    // `info`, without a suggestion). Slips of the hand of dictionary words, however many
    // other unknown words there are, are errors with the word meant.
    if !common::hunspell("en_US") {
        return;
    }
    let syllables = ["zor", "vat", "ekil", "brun", "qua", "spel", "trob", "nix"];
    let mut made_up = Vec::new();
    for i in 0..40usize {
        let w: String = (0..3)
            .map(|k| syllables[(i * 7 + k * 3 + i / 8) % syllables.len()])
            .collect();
        made_up.push(format!("{w}{}", ["a", "o", "u", "e", "i"][i % 5]));
    }
    made_up.sort();
    made_up.dedup();
    let mut text = String::new();
    for w in &made_up {
        text.push_str(&format!(
            "The report mentions {w} in the second paragraph.\n\n"
        ));
    }
    let slips = [
        ("govermnent", "government"),
        ("reconstuction", "reconstruction"),
        ("comittee", "committee"),
        ("proccess", "process"),
    ];
    for (slip, _) in slips {
        text.push_str(&format!(
            "The {slip} was discussed early in the morning.\n\n"
        ));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("t.txt"), &text).expect("write");
    let out = run_in(
        dir.path(),
        &["check", "t.txt", "--to", "en", "--format", "jsonl"],
        b"",
    );
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{code:?}: {}",
        common::stderr(&out)
    );
    let findings = json_lines(&stdout(&out));
    let typos = find(&findings, "typo");
    for w in &made_up {
        let f = typos
            .iter()
            .find(|f| f["text"] == w.as_str())
            .unwrap_or_else(|| panic!("`{w}` not reported: {typos:?}"));
        assert_eq!(f["severity"], "info", "{f}");
        assert!(f["suggestion"].is_null(), "{f}");
    }
    for (slip, meant) in slips {
        let f = typos
            .iter()
            .find(|f| f["text"] == slip)
            .unwrap_or_else(|| panic!("`{slip}` not reported: {typos:?}"));
        assert_eq!(f["severity"], "error", "{f}");
        assert_eq!(f["suggestion"], meant, "{f}");
    }
}

#[test]
fn a_large_input_checked_in_parts_gets_the_findings_it_gets_alone() {
    // From 2,000 units on, the checker splits its input into parts on several threads,
    // judges each unknown word once for all of them, and loads the other regional
    // dictionary only when an unknown word calls for it. None of that may change a
    // finding: units checked among 2,400 others are reported as when checked alone, a
    // word met in the first and in the last part alike, and a British spelling met only
    // in the last part is accepted with plain `en` and noted with `en-US`.
    if !common::hunspell("en_US") || !common::hunspell("en_GB") {
        return;
    }
    let special = [
        ("Die Regierung tagt heute.", "Governmnet meets today."),
        (
            "Er sprach mit der Regierung.",
            "He spoke with the governmnet yesterday.",
        ),
        (
            "Die Kommission tagt heute.",
            "The comittee meets today in the capital.",
        ),
        (
            "Die Farbe der Fahne ist neu.",
            "The colour of the flag is new.",
        ),
    ];
    let clean = "Der Rat tagt am Montag.\tThe council meets on Monday.\n";
    // (line of the unit in the large file, unit)
    let at = [(2, 1), (3, 0), (2_390, 2), (2_395, 3), (2_398, 1)];
    let mut large = String::new();
    for line in 1..=2_400 {
        match at.iter().find(|(l, _)| *l == line) {
            Some(&(_, k)) => large.push_str(&format!("{}\t{}\n", special[k].0, special[k].1)),
            None => large.push_str(clean),
        }
    }
    let small: String = at
        .iter()
        .map(|&(_, k)| format!("{}\t{}\n", special[k].0, special[k].1))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("large.tsv"), &large).expect("write");
    std::fs::write(dir.path().join("small.tsv"), &small).expect("write");
    let typos = |file: &str, to: &str| {
        let out = run_in(
            dir.path(),
            &[
                "check", file, "--from", "de", "--to", to, "--format", "jsonl",
            ],
            b"",
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            common::stderr(&out)
        );
        let mut found: Vec<(i64, String, String, String, String)> =
            find(&json_lines(&stdout(&out)), "typo")
                .iter()
                .map(|f| {
                    (
                        f["target_line"].as_i64().unwrap_or(0),
                        f["text"].to_string(),
                        f["severity"].to_string(),
                        f["suggestion"].to_string(),
                        f["message"].to_string(),
                    )
                })
                .collect();
        found.sort();
        found
    };
    for to in ["en", "en-US"] {
        let alone = typos("small.tsv", to);
        let among = typos("large.tsv", to);
        // The small file's line k+1 is the large file's line at[k].
        let placed: Vec<_> = alone
            .iter()
            .map(|(line, a, b, c, d)| {
                let l = at[(*line - 1) as usize].0;
                (l, a.clone(), b.clone(), c.clone(), d.clone())
            })
            .collect();
        assert_eq!(among, placed, "--to {to}");
        let lines = |word: &str| -> Vec<i64> {
            among
                .iter()
                .filter(|f| f.1 == format!("\"{word}\""))
                .map(|f| f.0)
                .collect()
        };
        assert_eq!(lines("governmnet"), [2, 2_398], "--to {to}: {among:?}");
        assert_eq!(lines("Governmnet"), [3], "--to {to}: {among:?}");
        assert_eq!(lines("comittee"), [2_390], "--to {to}: {among:?}");
        let colour = lines("colour");
        if to == "en" {
            assert!(colour.is_empty(), "{among:?}");
        } else {
            assert_eq!(colour, [2_395], "{among:?}");
        }
    }
}

/// A long real catalogue (coreutils' German messages, decompiled from Debian's installed `.mo`
/// file with `msgunfmt`: ~400 KB, far beyond the sample the document language is judged on)
/// checked without `--from`/`--to`: both languages come out of the text, and the findings are
/// those of the run that names them.
#[test]
fn a_long_catalogues_languages_are_judged_from_a_sample_of_it() {
    let mo = std::path::Path::new("/usr/share/locale/de/LC_MESSAGES/coreutils.mo");
    if !mo.exists() {
        assert!(!common::strict(), "{} is required", mo.display());
        eprintln!("notice: skipping: {} not found", mo.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let po = dir.path().join("coreutils.po");
    let out = std::process::Command::new("msgunfmt")
        .arg(mo)
        .arg("-o")
        .arg(&po)
        .status()
        .expect("msgunfmt runs");
    assert!(out.success());
    assert!(std::fs::metadata(&po).expect("po").len() > 256 * 1024);
    let po = po.to_str().expect("utf-8 path");
    let detected = run(&["check", po, "--format", "jsonl"], b"");
    let named = run(
        &[
            "check", po, "--from", "en", "--to", "de", "--format", "jsonl",
        ],
        b"",
    );
    let (detected, named) = (json_lines(&stdout(&detected)), json_lines(&stdout(&named)));
    assert!(named.len() > 10, "{named:?}");
    assert_eq!(detected, named);
    // And named the other way round, the same text is judged differently: the comparison
    // above is not blind to the languages.
    let swapped = run(
        &[
            "check", po, "--from", "de", "--to", "en", "--format", "jsonl",
        ],
        b"",
    );
    assert_ne!(json_lines(&stdout(&swapped)), named);
}
