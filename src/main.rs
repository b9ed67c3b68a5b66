//! The `tarjuman` command: parses arguments and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tarjuman::cli::{
    self, BackendKind, DetectJob, EngineFlags, GlossaryApplyJob, GlossaryCheckJob, TranslateJob,
};

/// Machine translation and localization for news.
#[derive(Parser)]
#[command(name = "tarjuman", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Translate a document (text, Markdown or JSONL) into another language.
    Translate(Box<TranslateArgs>),
    /// Detect the language of every segment (or of every JSONL record).
    Detect(DetectArgs),
    /// Check glossaries, or enforce one on an existing translation.
    #[command(subcommand)]
    Glossary(GlossaryCommand),
}

#[derive(Subcommand)]
enum GlossaryCommand {
    /// Validate glossary files (TSV, CSV, TBX) and print their statistics.
    Check {
        /// Glossary files, stacked in order.
        #[arg(required = true)]
        glossaries: Vec<PathBuf>,
    },
    /// Post-edit an existing translation: wrong forms of names become the renderings.
    Apply(GlossaryApplyArgs),
}

#[derive(Args)]
struct GlossaryApplyArgs {
    /// The translation to post-edit, or `-` for standard input.
    target: Option<PathBuf>,
    /// Glossary file; repeatable, later ones override earlier ones.
    #[arg(long = "glossary", value_name = "FILE", required = true)]
    glossaries: Vec<PathBuf>,
    /// The source text the translation was made from: also report violations.
    #[arg(long)]
    source: Option<PathBuf>,
    /// Language of the translation.
    #[arg(long, default_value = "en")]
    to: String,
    /// Language of the source (default: every glossary pair into --to).
    #[arg(long)]
    from: Option<String>,
    /// Input format: text, markdown or jsonl (default: by extension, else text).
    #[arg(long)]
    format: Option<String>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write the report (fixes, violations, inconsistencies) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendArg {
    Ct2,
    Apertium,
}

#[derive(Args)]
struct TranslateArgs {
    /// Input file, or `-` for standard input.
    input: Option<PathBuf>,
    /// Target language (ISO 639-1, e.g. `en`).
    #[arg(long)]
    to: String,
    /// Source language, or `auto` to detect it per segment.
    #[arg(long, default_value = "auto")]
    from: String,
    /// Config file with backends and routes (default: ./tarjuman.toml, then the user config dir).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A CTranslate2 model directory to use without a config file.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The engine to use without a config file.
    #[arg(long, value_enum)]
    backend: Option<BackendArg>,
    /// Candidate languages for detection, e.g. `de,en,ru`.
    #[arg(long)]
    langs: Option<String>,
    /// Input format: text, markdown or jsonl (default: by extension, else text).
    #[arg(long)]
    format: Option<String>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Glossary file (TSV, CSV or TBX); repeatable, later ones override earlier ones.
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct EngineArgs {
    /// Device for CTranslate2: cpu, cuda or auto.
    #[arg(long)]
    device: Option<String>,
    /// Threads per model replica (0: let the engine choose).
    #[arg(long)]
    threads: Option<usize>,
    /// Compute type: auto, default, float32, int8, int8_float32, int16, …
    #[arg(long)]
    compute_type: Option<String>,
    /// Number of model replicas translating in parallel.
    #[arg(long)]
    replicas: Option<usize>,
    /// Beam size (1 for greedy search).
    #[arg(long)]
    beam_size: Option<usize>,
    /// Largest batch given to the engine.
    #[arg(long)]
    max_batch_size: Option<usize>,
    /// What the batch size counts: examples or tokens.
    #[arg(long)]
    batch_type: Option<String>,
    /// Longest output, in tokens.
    #[arg(long)]
    max_decoding_length: Option<usize>,
}

#[derive(Args)]
struct DetectArgs {
    /// Input file, or `-` for standard input.
    input: Option<PathBuf>,
    /// Candidate languages, e.g. `de,en,ru` (default: all).
    #[arg(long)]
    langs: Option<String>,
    /// Input format: text, markdown or jsonl (default: by extension, else text).
    #[arg(long)]
    format: Option<String>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Translate(a) => cli::translate(&TranslateJob {
            input: a.input,
            to: a.to,
            from: Some(a.from),
            config: a.config,
            model: a.model,
            backend: a.backend.map(|b| match b {
                BackendArg::Ct2 => BackendKind::Ct2,
                BackendArg::Apertium => BackendKind::Apertium,
            }),
            langs: a.langs,
            format: a.format,
            output: a.output,
            glossaries: a.glossaries,
            engine: EngineFlags {
                device: a.engine.device,
                threads: a.engine.threads,
                compute_type: a.engine.compute_type,
                replicas: a.engine.replicas,
                beam_size: a.engine.beam_size,
                max_batch_size: a.engine.max_batch_size,
                batch_type: a.engine.batch_type,
                max_decoding_length: a.engine.max_decoding_length,
            },
        }),
        Command::Detect(a) => cli::detect(&DetectJob {
            input: a.input,
            langs: a.langs,
            format: a.format,
            output: a.output,
        }),
        Command::Glossary(GlossaryCommand::Check { glossaries }) => {
            cli::glossary_check(&GlossaryCheckJob { glossaries })
        }
        Command::Glossary(GlossaryCommand::Apply(a)) => cli::glossary_apply(&GlossaryApplyJob {
            glossaries: a.glossaries,
            target: a.target,
            source: a.source,
            to: Some(a.to),
            from: a.from,
            format: a.format,
            output: a.output,
            report_json: a.report_json,
        }),
    };
    match result.map_err(anyhow::Error::from) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("tarjuman: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
