//! `tarjuman check`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{input_format, parse_lang, resolve_format};
use crate::config::Config;
use crate::doc::{self, Document, Format};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::output::Sink;
use crate::qa::{
    spell, CheckConfig, CheckKind, CheckOptions, Checker, Report, Severity, SpellChecker,
};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckOutput {
    /// `FILE:LINE:COL: severity[check] message (suggestion: …)`, one per line.
    #[default]
    Human,
    /// `{"findings":[…],"summary":{…}}`.
    Json,
    /// One finding per line.
    Jsonl,
}

/// `tarjuman check`.
#[derive(Debug, Clone, Default)]
pub struct CheckJob {
    /// The translation to check (for TSV, PO and XLIFF: the file holding both sides).
    pub target: Option<PathBuf>,
    /// The source document; `None`: target-only checks.
    pub source: Option<PathBuf>,
    /// Glossary files.
    pub glossaries: Vec<PathBuf>,
    /// Source language code (`None`: detected).
    pub from: Option<String>,
    /// Target language code (`None`: detected).
    pub to: Option<String>,
    /// A `.dic` file or a directory of Hunspell dictionaries.
    pub dict: Option<PathBuf>,
    /// Input format: text, markdown, jsonl, tsv, po or xliff (`None`: by extension, else by
    /// content, else text).
    pub format: Option<String>,
    /// Output format.
    pub output_format: CheckOutput,
    /// Lowest severity that makes the exit code 1 (`None`: error).
    pub fail_on: Option<String>,
    /// Config file (its `[check]` table); `None`: the default places, if any.
    pub config: Option<PathBuf>,
    /// Output file; `None` or `-` for standard output.
    pub output: Option<PathBuf>,
}

/// Runs `tarjuman check`: prints the findings and returns 1 if any is at or above
/// `--fail-on`, else 0. Meant to run once per process: large documents are not freed.
pub fn check(job: &CheckJob) -> Result<i32> {
    let fail_on = parse_fail_on(job.fail_on.as_deref())?;
    let mut terms: Vec<Box<dyn crate::qa::TermSource>> = Vec::new();
    if !job.glossaries.is_empty() {
        terms.push(Box::new(crate::glossary::Glossary::load(&job.glossaries)?));
    }
    let target_path = job
        .target
        .as_ref()
        .ok_or_else(|| Error::Usage("check: give the target file (TGT or --target)".into()))?;
    let from = job
        .from
        .as_deref()
        .filter(|c| *c != "auto")
        .map(|c| parse_lang(c, "--from"))
        .transpose()?;
    let to = job
        .to
        .as_deref()
        .filter(|c| *c != "auto")
        .map(|c| parse_lang(c, "--to"))
        .transpose()?;
    let config = load_config(job.config.as_deref())?;
    // The dictionary serves the typo check and keeps the language checks from asking the
    // detector about plainly target-language segments.
    let wants_dictionary = [
        CheckKind::Typo,
        CheckKind::Untranslated,
        CheckKind::WrongLanguage,
    ]
    .iter()
    .any(|c| !config.disable.contains(c));
    // With `--to` given, the dictionary (the largest fixed cost) is loaded while the input
    // is read and parsed.
    let region = job.to.as_deref().and_then(region_of);
    let early_dictionary = to.filter(|_| wants_dictionary).map(|lang| {
        let dict = job.dict.clone();
        let region = region.clone();
        std::thread::spawn(move || {
            SpellChecker::for_locale(lang, region.as_deref(), dict.as_deref())
        })
    });

    let is_tsv = match job.format.as_deref() {
        Some(f) => f.eq_ignore_ascii_case("tsv"),
        None => target_path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv")),
    };
    let given = if is_tsv {
        None
    } else {
        input_format(job.format.as_deref())?
    };
    let (target_origin, target_text) = doc::read_input(Some(target_path))?;
    let format = if is_tsv {
        Format::Text
    } else {
        resolve_format(given, Some(target_path), &target_text)
    };

    // Documents first, so that the target language can be detected for the dictionary.
    enum Mode {
        Target(Document),
        Documents(Document, Document),
        Units(Document, Document, Vec<(Option<usize>, Option<usize>)>),
    }
    let bilingual = is_tsv || matches!(format, Format::Po | Format::Xliff);
    let mode = if bilingual {
        if job.source.is_some() {
            return Err(Error::Usage(format!(
                "--source: a {} file holds both sides; give it alone",
                if is_tsv {
                    "TSV".to_string()
                } else {
                    format.to_string()
                }
            )));
        }
        let (s, t) = match format {
            _ if is_tsv => crate::qa::tsv::read(&target_origin, &target_text)?,
            Format::Po => doc::po::read_pairs(&target_origin, &target_text)?,
            _ => doc::xliff::read_pairs(&target_origin, &target_text)?,
        };
        let pairs = (0..s.blocks.len()).map(|i| (Some(i), Some(i))).collect();
        Mode::Units(s, t, pairs)
    } else {
        let target = doc::parse(format, &target_origin, &target_text)?;
        match &job.source {
            None => Mode::Target(target),
            Some(sp) => {
                let (so, st) = doc::read_input(Some(sp))?;
                let sformat = resolve_format(given, Some(sp), &st);
                if sformat != format {
                    return Err(Error::Usage(format!(
                        "--source is {sformat} but the target is {format}; give files of one format"
                    )));
                }
                let source = doc::parse(sformat, &so, &st)?;
                if format == Format::Jsonl {
                    let pairs = pair_records(&source, &target);
                    Mode::Units(source, target, pairs)
                } else {
                    Mode::Documents(source, target)
                }
            }
        }
    };

    let target_doc = match &mode {
        Mode::Target(t) | Mode::Documents(_, t) | Mode::Units(_, t, _) => t,
    };
    let detector = crate::detect::Detector::new(Vec::new());
    let to_lang = to.or_else(|| {
        let all: Vec<&str> = target_doc.blocks.iter().map(|b| b.text.as_str()).collect();
        detector.detect(&all.join("\n")).map(|d| d.lang)
    });
    // The dictionary loads on its own thread while the checks that need none run; the
    // checker waits for it only when the typo and language checks start.
    let loading = match (early_dictionary, to_lang) {
        (Some(handle), _) => Some(handle),
        (None, Some(lang)) if wants_dictionary => {
            let dict = job.dict.clone();
            Some(std::thread::spawn(move || {
                SpellChecker::for_lang(lang, dict.as_deref())
            }))
        }
        _ => None,
    };
    let mut checker = Checker::new(CheckOptions {
        from,
        to: to_lang,
        config,
        spell: None,
        terms,
    });
    if let Some(handle) = loading {
        checker = checker.with_loading_dictionary(handle);
    }
    let (report, source_origin) = match mode {
        Mode::Target(mut t) => {
            let report = checker.check_target(&mut t);
            release(t);
            (report, None)
        }
        Mode::Documents(mut s, mut t) => {
            let origin = s.origin.clone();
            let report = checker.check_documents(&mut s, &mut t);
            release(s);
            release(t);
            (report, Some(origin))
        }
        Mode::Units(mut s, mut t, pairs) => {
            let origin = s.origin.clone();
            let report = checker.check_units(&mut s, &mut t, &pairs);
            release(s);
            release(t);
            (report, Some(origin))
        }
    };
    match checker.dictionary_error() {
        None => {}
        Some(e @ spell::SpellError::NotFound { .. }) if job.dict.is_none() => {
            eprintln!("tarjuman: notice: {e}; the typo check is skipped");
        }
        Some(e) => return Err(Error::Usage(format!("--dict: {e}"))),
    }
    let text = render(
        &report,
        job.output_format,
        &target_origin,
        source_origin.as_deref(),
    );
    Sink::from_arg(job.output.as_deref()).write_all(text.as_bytes())?;
    let summary = report.summary();
    if job.output_format == CheckOutput::Human {
        eprintln!(
            "{} error(s), {} warning(s), {} info(s) in {} target segment(s)",
            summary.errors, summary.warnings, summary.infos, summary.target_segments
        );
    }
    Ok(i32::from(
        report.findings.iter().any(|f| f.severity >= fail_on),
    ))
}

/// The region of a language tag (`GB` of `en-GB` or `en_gb`), if it has one.
pub(crate) fn region_of(code: &str) -> Option<String> {
    let (_, region) = code.trim().split_once(['-', '_'])?;
    (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| region.to_ascii_uppercase())
}

/// The `--fail-on` severity (`None`: error).
pub(crate) fn parse_fail_on(name: Option<&str>) -> Result<Severity> {
    match name {
        None => Ok(Severity::Error),
        Some(s) => Severity::from_name(s).ok_or_else(|| {
            Error::Usage(format!(
                "--fail-on: unknown severity `{s}` (expected error, warning or info)"
            ))
        }),
    }
}

/// The checker `translate --check` and `feed --check` run: the `[check]` table of `config`
/// (or of the default config file), the pipeline's languages and the target language's
/// Hunspell dictionary when one is installed (else the typo check is skipped with a notice).
pub(crate) fn loop_checker(
    config: Option<&Path>,
    from: Option<Lang>,
    to: Lang,
    glossary: Option<crate::glossary::Glossary>,
) -> Result<Checker> {
    let config = load_config(config)?;
    let wants_dict = [
        CheckKind::Typo,
        CheckKind::Untranslated,
        CheckKind::WrongLanguage,
    ]
    .iter()
    .any(|c| !config.disable.contains(c));
    let spell = if wants_dict {
        match SpellChecker::for_lang(to, None) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("tarjuman: notice: {e}; the typo check is skipped");
                None
            }
        }
    } else {
        None
    };
    Ok(Checker::new(CheckOptions {
        from,
        to: Some(to),
        config,
        spell,
        terms: glossary
            .into_iter()
            .map(|g| Box::new(g) as Box<dyn crate::qa::TermSource>)
            .collect(),
    }))
}

/// Lets go of a checked document. `check` is the command of a process that ends right
/// after it: a large document is left for the process exit to reclaim (freeing tens of
/// thousands of small blocks one by one costs about a twentieth of a large run, and a
/// helper thread doing it competed with writing the findings). Small documents are freed.
fn release(doc: Document) {
    if doc.blocks.len() >= 2000 {
        std::mem::forget(doc);
    }
}

fn load_config(path: Option<&Path>) -> Result<CheckConfig> {
    let path = match path {
        Some(p) => Some(p.to_path_buf()),
        None => Config::default_path(),
    };
    Ok(match path {
        Some(p) => Config::load(&p)?.check,
        None => CheckConfig::default(),
    })
}

/// Pairs JSONL records by `id` when every record has one, else by position.
fn pair_records(source: &Document, target: &Document) -> Vec<(Option<usize>, Option<usize>)> {
    let key = |v: &serde_json::Value| v.to_string();
    let all_ids = source
        .blocks
        .iter()
        .chain(&target.blocks)
        .all(|b| b.id.is_some());
    if !all_ids {
        let n = source.blocks.len().max(target.blocks.len());
        return (0..n)
            .map(|i| {
                (
                    (i < source.blocks.len()).then_some(i),
                    (i < target.blocks.len()).then_some(i),
                )
            })
            .collect();
    }
    let by_id: HashMap<String, usize> = target
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.id.as_ref().map(|id| (key(id), i)))
        .collect();
    let mut used = vec![false; target.blocks.len()];
    let mut pairs = Vec::new();
    for (i, b) in source.blocks.iter().enumerate() {
        let t = b.id.as_ref().and_then(|id| by_id.get(&key(id)).copied());
        if let Some(t) = t {
            used[t] = true;
        }
        pairs.push((Some(i), t));
    }
    for (t, u) in used.iter().enumerate() {
        if !u {
            pairs.push((None, Some(t)));
        }
    }
    pairs
}

/// The report in the chosen output format.
pub fn render(
    report: &Report,
    format: CheckOutput,
    target_origin: &str,
    source_origin: Option<&str>,
) -> String {
    let mut out = String::new();
    match format {
        CheckOutput::Human => {
            for f in &report.findings {
                out.push_str(&f.human(target_origin, source_origin));
                out.push('\n');
            }
        }
        CheckOutput::Json => {
            out.push_str(
                &json!({"findings": report.findings, "summary": report.summary()}).to_string(),
            );
            out.push('\n');
        }
        CheckOutput::Jsonl => {
            // Serialised straight from the struct (no `Value` tree per finding); a finding
            // holds only strings, numbers and nulls, which always serialise.
            for f in &report.findings {
                if let Ok(line) = serde_json::to_string(f) {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
    }
    out
}
