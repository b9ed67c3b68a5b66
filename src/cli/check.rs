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
    /// Only these checks (comma-separated names).
    pub checks: Option<String>,
    /// Not these checks (comma-separated names).
    pub skip_checks: Option<String>,
    /// Print the checks and exit.
    pub list_checks: bool,
    /// JSONL: the source field (`None`: `text`).
    pub source_field: Option<String>,
    /// JSONL: the target field (`None`: `translation`).
    pub target_field: Option<String>,
    /// More targets, each checked on its own (`-` is standard input).
    pub more: Vec<PathBuf>,
}

/// Runs `tarjuman check`: prints the findings and returns 1 if any is at or above
/// `--fail-on`, else 0. Several targets are checked one after the other, each in its own
/// target language (`--to`, else the language of its text), with one checker (one
/// dictionary) per language; large text and JSONL inputs are read in chunks. Meant to run
/// once per process: large documents are not freed.
pub fn check(job: &CheckJob) -> Result<i32> {
    if job.list_checks {
        let mut out = String::new();
        for c in CheckKind::ALL {
            out.push_str(&format!("{:<20} {}\n", c.name(), c.description()));
        }
        Sink::from_arg(None).write_all(out.as_bytes())?;
        return Ok(0);
    }
    let fail_on = parse_fail_on(job.fail_on.as_deref())?;
    let mut targets: Vec<PathBuf> = job.target.iter().cloned().collect();
    targets.extend(job.more.iter().cloned());
    // No file named and standard input is a pipe or a file: check standard input.
    if targets.is_empty() && !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        targets.push(PathBuf::from("-"));
    }
    if targets.is_empty() {
        return Err(Error::Usage(
            "check: give the target file (TGT or --target, `-` for standard input)".into(),
        ));
    }
    if job.source.is_some() && targets.len() > 1 {
        return Err(Error::Usage(
            "--source goes with one target; give several files without --source".into(),
        ));
    }
    if targets.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage("standard input (`-`) can be read once".into()));
    }
    refuse_output_over_input(
        job.output.as_deref(),
        targets
            .iter()
            .chain(&job.source)
            .chain(&job.glossaries)
            .chain(&job.config)
            .map(PathBuf::as_path),
    )?;
    let mut config = load_config(job.config.as_deref())?;
    select_checks(
        &mut config,
        job.checks.as_deref(),
        job.skip_checks.as_deref(),
    )?;
    let terms = glossary_terms(&job.glossaries)?;
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
    // The dictionary serves the typo check and keeps the language checks from asking the
    // detector about plainly target-language segments.
    let wants_dictionary = [
        CheckKind::Typo,
        CheckKind::Untranslated,
        CheckKind::WrongLanguage,
    ]
    .iter()
    .any(|c| !config.disable.contains(c));
    // The region of the spelling: as `--to` gives it, else as the first file declares it
    // (a PO header's `Language: pt_BR`, an XLIFF `trgLang="pt-BR"`) for that language.
    let region_for = |lang: Lang| {
        job.to.as_deref().and_then(region_of).or_else(|| {
            targets.iter().find_map(|t| {
                let declared = declared_language(t)?;
                let (code, _) = declared.split_once(['-', '_'])?;
                Lang::from_code(&code.to_ascii_lowercase())
                    .is_ok_and(|l| l == lang)
                    .then(|| region_of(&declared))
                    .flatten()
            })
        })
    };
    let load = move |lang: Lang, dict: Option<PathBuf>, region: Option<String>| {
        std::thread::spawn(move || {
            crate::timeline::mark("dictionary load");
            let s = SpellChecker::for_locale(lang, region.as_deref(), dict.as_deref());
            crate::timeline::mark("dictionary loaded");
            s
        })
    };
    // With `--to` given, the dictionary (the largest fixed cost) is loaded while the input
    // is read and parsed.
    let mut loading = to
        .filter(|_| wants_dictionary)
        .map(|lang| load(lang, job.dict.clone(), region_for(lang)));

    let mut inputs = Vec::with_capacity(targets.len());
    for t in &targets {
        inputs.push(open_input(t, job)?);
    }
    crate::timeline::mark("inputs read");
    // Each input is checked in its own target language: the one given, or the one its text
    // is in. One checker (and one dictionary) per language.
    let langs: Vec<Option<Lang>> = inputs
        .iter()
        .map(|i| to.or_else(|| i.detect_language()))
        .collect();
    let mut checkers: Vec<(Option<Lang>, Checker)> = Vec::new();
    let mut terms = Some(terms);
    for &lang in &langs {
        if checkers.iter().any(|(l, _)| *l == lang) {
            continue;
        }
        let loading = match loading.take().filter(|_| lang == to) {
            Some(handle) => Some(handle),
            None => lang
                .filter(|_| wants_dictionary)
                .map(|lang| load(lang, job.dict.clone(), region_for(lang))),
        };
        // Glossaries go to the first checker; the others get their own copy when there is
        // one to copy.
        let terms = match terms.take() {
            Some(t) => t,
            None => glossary_terms(&job.glossaries)?,
        };
        // The process ends after the checks: the checker's large temporaries are left for
        // the exit to reclaim.
        let mut checker = Checker::new(CheckOptions {
            from,
            to: lang,
            config: config.clone(),
            spell: None,
            terms,
        })
        .ending_process();
        if let Some(handle) = loading {
            checker = checker.with_loading_dictionary(handle);
        }
        checkers.push((lang, checker));
    }
    let mut text = String::new();
    let mut total = crate::qa::Summary::default();
    let mut failed = false;
    for (input, lang) in inputs.into_iter().zip(&langs) {
        let Some((_, checker)) = checkers.iter().find(|(l, _)| l == lang) else {
            continue;
        };
        let (report, target_origin, source_origin) = input.check(checker, job)?;
        text.push_str(&render(
            &report,
            job.output_format,
            &target_origin,
            source_origin.as_deref(),
        ));
        let s = report.summary();
        total.errors += s.errors;
        total.warnings += s.warnings;
        total.infos += s.infos;
        total.target_segments += s.target_segments;
        failed |= report.findings.iter().any(|f| f.severity >= fail_on);
    }
    for (_, checker) in &checkers {
        match checker.dictionary_error() {
            None => {}
            Some(e @ spell::SpellError::NotFound { .. }) if job.dict.is_none() => {
                tracing::warn!("tarjuman: notice: {e}; the typo check is skipped");
            }
            Some(e) => return Err(Error::Usage(format!("--dict: {e}"))),
        }
    }
    // The checkers (dictionaries, their stems and indexes: hundreds of thousands of small
    // blocks) are left for the process exit to reclaim, as large documents are (`release`).
    std::mem::forget(checkers);
    crate::timeline::mark("rendered");
    let to_stdout = job.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if job.output_format == CheckOutput::Human && to_stdout {
        text = text
            .lines()
            .map(|l| super::ui::paint(l, super::ui::Stream::Stdout) + "\n")
            .collect();
    }
    // The findings are made again in a second: written in full or not at all, without
    // waiting for the disk.
    Sink::from_arg(job.output.as_deref()).write_report(text.as_bytes())?;
    crate::timeline::mark("written");
    if job.output_format == CheckOutput::Human {
        eprintln!(
            "{} error(s), {} warning(s), {} info(s) in {} target segment(s)",
            total.errors, total.warnings, total.infos, total.target_segments
        );
    }
    Ok(i32::from(failed))
}

/// The glossaries as the checker's term sources (none without `--glossary`).
fn glossary_terms(paths: &[PathBuf]) -> Result<Vec<Box<dyn crate::qa::TermSource>>> {
    let mut terms: Vec<Box<dyn crate::qa::TermSource>> = Vec::new();
    if !paths.is_empty() {
        terms.push(Box::new(crate::glossary::Glossary::load(paths)?));
    }
    Ok(terms)
}

/// Refuses an output file that is one of the inputs (the same path, or the same file
/// through a link), before anything is read or written.
fn refuse_output_over_input<'a>(
    output: Option<&Path>,
    inputs: impl Iterator<Item = &'a Path>,
) -> Result<()> {
    let Some(out) = output.filter(|o| o.as_os_str() != "-") else {
        return Ok(());
    };
    for input in inputs.filter(|i| i.as_os_str() != "-") {
        if same_file(out, input) {
            return Err(Error::Usage(format!(
                "-o {}: that is the input {}; write the findings elsewhere",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// Whether two paths name one file: the same device and inode when both exist, else the
/// same absolute path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::path::absolute(a), std::path::absolute(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Applies `--checks` (only these) and `--skip-checks` (not these) to the configuration.
fn select_checks(config: &mut CheckConfig, only: Option<&str>, skip: Option<&str>) -> Result<()> {
    let names = |list: &str, flag: &str| -> Result<Vec<CheckKind>> {
        list.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| {
                CheckKind::from_name(n).ok_or_else(|| {
                    Error::Usage(format!(
                        "{flag}: unknown check `{n}` (see `tarjuman check --list-checks`)"
                    ))
                })
            })
            .collect()
    };
    if let Some(list) = only {
        let keep = names(list, "--checks")?;
        for c in CheckKind::ALL {
            if !keep.contains(&c) && !config.disable.contains(&c) {
                config.disable.push(c);
            }
        }
    }
    if let Some(list) = skip {
        for c in names(list, "--skip-checks")? {
            if !config.disable.contains(&c) {
                config.disable.push(c);
            }
        }
    }
    Ok(())
}

/// One target of a run, opened: read whole (small inputs and the formats read whole) or
/// ready to be read in chunks (large text and JSONL).
enum Input {
    /// Read whole.
    Whole {
        path: PathBuf,
        origin: String,
        text: String,
        format: Format,
        tsv: bool,
    },
    /// Plain text read in chunks (target only).
    TextChunks {
        origin: String,
        reader: Box<dyn std::io::BufRead>,
        head: String,
    },
    /// JSONL read in chunks.
    Jsonl {
        origin: String,
        reader: Box<dyn std::io::BufRead>,
        head: String,
    },
}

/// The size above which text is checked in chunks.
const STREAM_ABOVE: u64 = 2 * crate::qa::stream::TEXT_CHUNK as u64;

/// Opens a target: its format (from `--input-format`, the extension, else the content) and
/// whether it is read in chunks (JSONL without `--source`; plain text above
/// [`STREAM_ABOVE`] bytes without `--source`).
fn open_input(path: &Path, job: &CheckJob) -> Result<Input> {
    use std::io::BufRead;
    let is_stdin = path.as_os_str() == "-";
    let origin = if is_stdin {
        "-".to_string()
    } else {
        path.display().to_string()
    };
    let io_err = |source: std::io::Error| Error::Io {
        origin: origin.clone(),
        source,
    };
    let is_tsv = match job.format.as_deref() {
        Some(f) => f.eq_ignore_ascii_case("tsv"),
        None => path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv")),
    };
    let given = if is_tsv {
        None
    } else {
        input_format(job.format.as_deref())?
    };
    let mut reader: Box<dyn BufRead> = if is_stdin {
        Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()))
    } else {
        if path.is_dir() {
            return Err(io_err(std::io::Error::other("is a directory, not a file")));
        }
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::fs::File::open(path).map_err(io_err)?,
        ))
    };
    // The head of the input decides its format when neither flag nor extension does.
    let head = String::from_utf8_lossy(reader.fill_buf().map_err(io_err)?).into_owned();
    let format = if is_tsv {
        Format::Text
    } else {
        resolve_format(given, (!is_stdin).then_some(path), &head)
    };
    let size = if is_stdin {
        None
    } else {
        std::fs::metadata(path).ok().map(|m| m.len())
    };
    if !is_tsv && job.source.is_none() && format == Format::Jsonl {
        return Ok(Input::Jsonl {
            origin,
            reader,
            head,
        });
    }
    let large = size.is_none_or(|n| n > STREAM_ABOVE);
    if !is_tsv && job.source.is_none() && format == Format::Text && large && !head.is_empty() {
        // Standard input of unknown size is read in chunks too; a small one is one chunk.
        return Ok(Input::TextChunks {
            origin,
            reader,
            head,
        });
    }
    // Sized once from the file's length (and a byte to see the end): grown by doubling, the
    // buffer would be copied and its pages touched several times over.
    let mut bytes = Vec::with_capacity(size.map_or(0, |n| usize::try_from(n).unwrap_or(0) + 1));
    std::io::Read::read_to_end(&mut reader, &mut bytes).map_err(io_err)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Parse {
        origin: origin.clone(),
        line: 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        message: "the file is not UTF-8".into(),
    })?;
    Ok(Input::Whole {
        path: path.to_path_buf(),
        origin,
        text,
        format,
        tsv: is_tsv,
    })
}

impl Input {
    /// The language of the input's target text: of the whole document (judged on an evenly
    /// spread sample of bounded size), or of the beginning of a stream.
    fn detect_language(&self) -> Option<Lang> {
        let detector = crate::detect::Detector::new(Vec::new());
        let head = match self {
            Input::Whole {
                origin,
                text,
                format,
                tsv,
                ..
            } => {
                let doc = if *tsv {
                    crate::qa::tsv::read(origin, text).ok()?.1
                } else {
                    match format {
                        Format::Po => doc::po::read_pairs(origin, text).ok()?.1,
                        Format::Xliff => doc::xliff::read_pairs(origin, text).ok()?.1,
                        _ => doc::parse(*format, origin, text).ok()?,
                    }
                };
                return detector.document_language(&doc).map(|d| d.lang);
            }
            Input::TextChunks { head, .. } => head.clone(),
            Input::Jsonl { head, .. } => head
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| {
                    v.get("translation")
                        .or_else(|| v.get("text"))
                        .and_then(|t| t.as_str().map(str::to_string))
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        detector.detect(&head).map(|d| d.lang)
    }

    /// Checks the input: its report, target origin and source origin.
    fn check(self, checker: &Checker, job: &CheckJob) -> Result<(Report, String, Option<String>)> {
        match self {
            Input::Whole {
                path,
                origin,
                text,
                format,
                tsv,
            } => {
                let _ = path;
                check_whole(checker, job, origin, text, format, tsv)
            }
            Input::TextChunks { origin, reader, .. } => {
                let mut report = Report::default();
                for chunk in crate::qa::stream::TextChunks::new(
                    reader,
                    &origin,
                    crate::qa::stream::TEXT_CHUNK,
                ) {
                    let chunk = chunk?;
                    let Some(mut doc) = crate::qa::stream::text_document(&origin, &chunk) else {
                        continue;
                    };
                    let mut part = checker.check_target(&mut doc);
                    crate::qa::stream::shift_columns(&mut part.findings, &chunk);
                    report.findings.extend(part.findings);
                    report.target_segments += part.target_segments;
                }
                crate::qa::report::sort_findings(&mut report.findings);
                Ok((report, origin, None))
            }
            Input::Jsonl { origin, reader, .. } => {
                let fields = crate::qa::stream::Fields {
                    source: job.source_field.clone().unwrap_or_else(|| "text".into()),
                    target: job
                        .target_field
                        .clone()
                        .unwrap_or_else(|| "translation".into()),
                    target_given: job.target_field.is_some(),
                };
                let mut report = Report::default();
                let mut any = false;
                for chunk in crate::qa::stream::JsonlChunks::new(reader, &origin, fields) {
                    let mut chunk = chunk?;
                    any |= !chunk.target.blocks.is_empty();
                    report.findings.append(&mut chunk.malformed);
                    if chunk.target.blocks.is_empty() {
                        continue;
                    }
                    let part = if chunk.bilingual {
                        checker.check_units(&mut chunk.source, &mut chunk.target, &chunk.pairs)
                    } else {
                        checker.check_target(&mut chunk.target)
                    };
                    report.findings.extend(part.findings);
                    report.source_segments += part.source_segments;
                    report.target_segments += part.target_segments;
                }
                if !any && report.findings.is_empty() {
                    return Err(Error::EmptyInput { origin });
                }
                crate::qa::report::sort_findings(&mut report.findings);
                Ok((report, origin.clone(), Some(origin)))
            }
        }
    }
}

/// Checks a target read whole: TSV, PO and XLIFF unit by unit, other formats as a
/// document, alone or against `--source`.
fn check_whole(
    checker: &Checker,
    job: &CheckJob,
    target_origin: String,
    target_text: String,
    format: Format,
    is_tsv: bool,
) -> Result<(Report, String, Option<String>)> {
    let bilingual = is_tsv || matches!(format, Format::Po | Format::Xliff);
    if bilingual {
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
        let (mut s, mut t) = match format {
            _ if is_tsv => crate::qa::tsv::read(&target_origin, &target_text)?,
            Format::Po => doc::po::read_pairs(&target_origin, &target_text)?,
            _ => doc::xliff::read_pairs(&target_origin, &target_text)?,
        };
        crate::timeline::mark("units read");
        drop(target_text);
        let pairs: Vec<_> = (0..s.blocks.len()).map(|i| (Some(i), Some(i))).collect();
        let origin = s.origin.clone();
        let report = checker.check_units(&mut s, &mut t, &pairs);
        crate::timeline::mark("checked");
        release(s);
        release(t);
        crate::timeline::mark("released");
        return Ok((report, target_origin, Some(origin)));
    }
    if let (Format::Jsonl, Some(sp)) = (format, &job.source) {
        return check_jsonl_pair(checker, job, sp, target_origin, target_text);
    }
    let mut target = doc::parse(format, &target_origin, &target_text)?;
    drop(target_text);
    match &job.source {
        None => {
            let report = checker.check_target(&mut target);
            release(target);
            Ok((report, target_origin, None))
        }
        Some(sp) => {
            let (so, st) = doc::read_input(Some(sp))?;
            let given = input_format(job.format.as_deref())?;
            let sformat = resolve_format(given, Some(sp), &st);
            if sformat != format {
                return Err(Error::Usage(format!(
                    "--source is {sformat} but the target is {format}; give files of one format"
                )));
            }
            let mut source = doc::parse(sformat, &so, &st)?;
            drop(st);
            let report = if format == Format::Jsonl {
                let pairs = pair_records(&source, &target);
                checker.check_units(&mut source, &mut target, &pairs)
            } else {
                checker.check_documents(&mut source, &mut target)
            };
            release(source);
            release(target);
            Ok((report, target_origin, Some(so)))
        }
    }
}

/// The target language that a PO or XLIFF file declares in its first 16 KB (not read from
/// standard input, which is read once, later).
fn declared_language(path: &Path) -> Option<String> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        return None;
    }
    let mut head = Vec::with_capacity(16 * 1024);
    std::fs::File::open(path)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    // A read cut inside a character keeps what comes before it.
    let head = match std::str::from_utf8(&head) {
        Ok(h) => h,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
    };
    if head.contains("<xliff") {
        doc::xliff::declared_language(head)
    } else if head.contains("msgid") {
        doc::po::declared_language(head)
    } else {
        None
    }
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
                tracing::warn!("tarjuman: notice: {e}; the typo check is skipped");
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
/// Checks JSONL records against `--source` records. A line of either file that is not a
/// record is a `malformed` error at its line (the rest is checked), and, where records are
/// paired by position, still holds its place, so that the records after it stay paired.
fn check_jsonl_pair(
    checker: &Checker,
    job: &CheckJob,
    source_path: &Path,
    target_origin: String,
    target_text: String,
) -> Result<(Report, String, Option<String>)> {
    let (so, st) = doc::read_input(Some(source_path))?;
    let given = input_format(job.format.as_deref())?;
    let sformat = resolve_format(given, Some(source_path), &st);
    if sformat != Format::Jsonl {
        return Err(Error::Usage(format!(
            "--source is {sformat} but the target is {}; give files of one format",
            Format::Jsonl
        )));
    }
    let read = |origin: &str, text: &str| {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        if body.trim().is_empty() {
            return Err(Error::EmptyInput {
                origin: origin.to_string(),
            });
        }
        Ok(doc::jsonl::read_lenient(origin, body))
    };
    let (mut source, source_bad) = read(&so, &st)?;
    let (mut target, target_bad) = read(&target_origin, &target_text)?;
    drop((st, target_text));
    let pairs = pair_records_around(&source, &target, &source_bad, &target_bad);
    let mut report = checker.check_units(&mut source, &mut target, &pairs);
    let bad = |line: usize, message: &str, target: bool| crate::qa::Finding {
        check: crate::qa::CheckKind::Malformed,
        severity: Severity::Error,
        target_line: target.then_some(line),
        source_line: (!target).then_some(line),
        target_span: None,
        text: String::new(),
        message: format!(
            "the {} line is no record ({message}); it is skipped",
            if target { "target" } else { "source" }
        ),
        suggestion: None,
    };
    report
        .findings
        .extend(target_bad.iter().map(|(l, m)| bad(*l, m, true)));
    report
        .findings
        .extend(source_bad.iter().map(|(l, m)| bad(*l, m, false)));
    crate::qa::report::sort_findings(&mut report.findings);
    release(source);
    release(target);
    Ok((report, target_origin, Some(so)))
}

/// [`pair_records`] when some lines were skipped: records with ids are paired by id; else
/// by position counting the skipped lines, and a record whose partner line was skipped is
/// left out (that line has its `malformed` finding).
fn pair_records_around(
    source: &Document,
    target: &Document,
    source_bad: &[(usize, String)],
    target_bad: &[(usize, String)],
) -> Vec<(Option<usize>, Option<usize>)> {
    let by_id = source
        .blocks
        .iter()
        .chain(&target.blocks)
        .all(|b| b.id.is_some());
    if by_id || (source_bad.is_empty() && target_bad.is_empty()) {
        return pair_records(source, target);
    }
    // The place of every non-blank line: records and skipped lines, in line order.
    let places = |d: &Document, bad: &[(usize, String)]| -> Vec<Option<usize>> {
        let mut all: Vec<(usize, Option<usize>)> = d
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (b.line, Some(i)))
            .chain(bad.iter().map(|(l, _)| (*l, None)))
            .collect();
        all.sort_by_key(|p| p.0);
        all.into_iter().map(|p| p.1).collect()
    };
    let (s, t) = (places(source, source_bad), places(target, target_bad));
    let mut pairs = Vec::new();
    for k in 0..s.len().max(t.len()) {
        let (a, b) = (s.get(k).copied(), t.get(k).copied());
        match (a, b) {
            // A skipped line on either side: its partner is left out.
            (Some(None), _) | (_, Some(None)) => {}
            (a, b) => pairs.push((a.flatten(), b.flatten())),
        }
    }
    pairs
}

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
