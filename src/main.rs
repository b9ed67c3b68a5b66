//! The `tarjuman` command: parses arguments and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tarjuman::backend::libretranslate::LibreTranslateOptions;
use tarjuman::cli::{
    self, BackendKind, CheckJob, CheckOutput, DetectJob, EngineFlags, FeedJob, GlossaryApplyJob,
    GlossaryCheckJob, LanguagesJob, ModelsAction, ModelsJob, ServeJob, TmAction, TmJob,
    TranslateJob, WorkerJob,
};
use tarjuman::queue::QueueOptions;
use tarjuman::serve::batch::BatchOptions;

/// Machine translation and localization for news.
#[derive(Parser)]
#[command(name = "tarjuman", version, about, long_about = None)]
struct Cli {
    /// Read no config file unless one is named with --config (not ./tarjuman.toml, not the
    /// user's ~/.config/tarjuman/tarjuman.toml, not $TARJUMAN_CONFIG).
    #[arg(long, global = true)]
    no_config: bool,
    /// Print only errors (no warnings, infos, progress bars or closing lines).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print infos too (pivots, where inline markup went, memory hits).
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: ColorArg,
    #[command(subcommand)]
    command: Command,
}

/// `--color`.
#[derive(Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Translate a document (text, Markdown, JSONL, HTML, RSS/Atom, XLIFF or PO) into another
    /// language.
    Translate(Box<TranslateArgs>),
    /// Detect the language of every segment (or of every JSONL record).
    Detect(DetectArgs),
    /// Translate many RSS/Atom feeds (files, directories, URLs, list files) into OUT_DIR.
    Feed(Box<FeedArgs>),
    /// Look after the translation memory: stats, export, prune.
    Tm(TmArgs),
    /// Check a translation: typos, dropped and added segments, numbers, spacing, …
    Check(CheckArgs),
    /// Check glossaries, or enforce one on an existing translation.
    #[command(subcommand)]
    Glossary(GlossaryCommand),
    /// Run a LibreTranslate-compatible HTTP service (with QA, glossaries and a web page).
    Serve(Box<ServeArgs>),
    /// Install, list, remove and update translation models (Argos Translate packages,
    /// CTranslate2 directories).
    Models(ModelsArgs),
    /// Every language pair that can be translated now, and the engine that serves it.
    Languages(LanguagesArgs),
    /// Translate the jobs of a NATS JetStream queue (what `feed --queue` sends) until stopped.
    Worker(Box<WorkerArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output, or write one page per command into DIR.
    Man {
        /// Write `tarjuman.1` and `tarjuman-COMMAND.1` pages into this directory instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
struct ModelsArgs {
    /// The model store (default: $TARJUMAN_MODELS_DIR, else the config's
    /// `[models] dir`, else $XDG_DATA_HOME/tarjuman/models).
    #[arg(long, global = true, value_name = "DIR")]
    models_dir: Option<PathBuf>,
    /// The package index, a URL or a file in Argos Translate's format (default: the config's
    /// `[models] index`, else the index `models update` fetched, else Argos Translate's).
    #[arg(long, global = true, value_name = "URL|FILE")]
    index: Option<String>,
    /// Config file (its `[models]` table).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Output format of `list` and `info`.
    #[arg(long, global = true, value_enum, default_value = "human")]
    format: ListFormat,
    #[command(subcommand)]
    action: ModelsCommand,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// The installed models (with --available: the index's packages).
    List {
        /// List the packages of the index instead.
        #[arg(long)]
        available: bool,
    },
    /// Install a package by name (from the index), an .argosmodel file or URL, or import a
    /// CTranslate2 model directory (with --name, --from, --to).
    Install {
        /// `translate-de_en` (or `de_en`), FILE.argosmodel, http(s)://…, or a directory.
        what: String,
        /// The name to import a directory under (default: translate-FROM_TO).
        #[arg(long)]
        name: Option<String>,
        /// A directory's source language.
        #[arg(long)]
        from: Option<String>,
        /// A directory's target language.
        #[arg(long)]
        to: Option<String>,
    },
    /// Remove an installed model.
    Remove {
        /// Its name (as `models list` shows it).
        name: String,
    },
    /// What an installed model is: languages, version, files, whether it can be loaded.
    Info {
        /// Its name.
        name: String,
    },
    /// Fetch the index again and install newer versions of the installed packages.
    Update,
}

#[derive(Args)]
struct LanguagesArgs {
    /// The model store (default: $TARJUMAN_MODELS_DIR, else the config's
    /// `[models] dir`, else $XDG_DATA_HOME/tarjuman/models).
    #[arg(long, value_name = "DIR")]
    models_dir: Option<PathBuf>,
    /// Config file with backends and routes (default: ./tarjuman.toml, then the user config dir).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: ListFormat,
}

/// How to reach a NATS server: credentials, TLS and the prefix of the subjects, streams and
/// buckets (for `--queue` and for a `--tm nats://…` memory).
#[derive(Args)]
struct NatsArgs {
    /// Credentials file (JWT and NKey seed) for the NATS server.
    #[arg(long, value_name = "FILE")]
    queue_creds: Option<PathBuf>,
    /// User name for the NATS server (with --queue-password).
    #[arg(long, requires = "queue_password")]
    queue_user: Option<String>,
    /// Password for the NATS server.
    #[arg(long, requires = "queue_user")]
    queue_password: Option<String>,
    /// CA certificate (PEM) to verify the NATS server's TLS certificate.
    #[arg(long, value_name = "FILE")]
    queue_tls_ca: Option<PathBuf>,
    /// Client certificate (PEM) for TLS (with --queue-tls-key).
    #[arg(long, value_name = "FILE", requires = "queue_tls_key")]
    queue_tls_cert: Option<PathBuf>,
    /// Client key (PEM) for TLS.
    #[arg(long, value_name = "FILE", requires = "queue_tls_cert")]
    queue_tls_key: Option<PathBuf>,
    /// Require TLS (also implied by a tls:// URL).
    #[arg(long)]
    queue_tls: bool,
    /// Prefix of the subjects, streams and buckets (independent deployments on one server).
    #[arg(long, default_value = "tarjuman")]
    queue_prefix: String,
}

impl NatsArgs {
    fn options(self, url: String) -> QueueOptions {
        QueueOptions {
            creds: self.queue_creds,
            user: self.queue_user.zip(self.queue_password),
            tls_ca: self.queue_tls_ca,
            tls_cert: self.queue_tls_cert.zip(self.queue_tls_key),
            tls_required: self.queue_tls,
            prefix: self.queue_prefix,
            ..QueueOptions::new(url)
        }
    }
}

/// How to reach a NATS JetStream queue and how its jobs are cut and retried.
#[derive(Args)]
struct QueueArgs {
    #[command(flatten)]
    nats: NatsArgs,
    /// Segments per job at most.
    #[arg(long, default_value_t = 256)]
    queue_batch: usize,
    /// Jobs out at once at most (back-pressure).
    #[arg(long, default_value_t = 32)]
    queue_in_flight: usize,
    /// Seconds a job may be held without acknowledgement before it is delivered again
    /// (workers extend it while they translate).
    #[arg(long, default_value_t = 30.0)]
    ack_wait: f64,
    /// Deliveries after which a job is given up and published on the dead-letter subject.
    #[arg(long, default_value_t = 3)]
    max_deliver: u32,
}

impl QueueArgs {
    fn options(self, url: String) -> QueueOptions {
        QueueOptions {
            batch_segments: self.queue_batch.max(1),
            in_flight: self.queue_in_flight.max(1),
            ack_wait: seconds(self.ack_wait).max(std::time::Duration::from_millis(500)),
            max_deliver: self.max_deliver.max(1),
            ..self.nats.options(url)
        }
    }

    /// How to reach a `--tm nats://…` memory (its URL is the `--tm` value).
    fn memory(&self) -> QueueOptions {
        let n = &self.nats;
        QueueOptions {
            creds: n.queue_creds.clone(),
            user: n.queue_user.clone().zip(n.queue_password.clone()),
            tls_ca: n.queue_tls_ca.clone(),
            tls_cert: n.queue_tls_cert.clone().zip(n.queue_tls_key.clone()),
            tls_required: n.queue_tls,
            prefix: n.queue_prefix.clone(),
            ..QueueOptions::new(String::new())
        }
    }
}

#[derive(Args)]
struct WorkerArgs {
    /// The NATS server: nats://HOST:PORT (several: comma-separated).
    #[arg(long, value_name = "URL")]
    queue: String,
    /// Only these language pairs, e.g. `ar-en,de-en` (default: every pair the engines serve).
    #[arg(long)]
    pairs: Option<String>,
    /// Source language of a plain CTranslate2 model.
    #[arg(long)]
    from: Option<String>,
    /// Target language of a plain CTranslate2 model.
    #[arg(long)]
    to: Option<String>,
    /// Config file with backends and routes (default: ./tarjuman.toml, then the user config dir).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A CTranslate2 model directory to use without a config file.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The engine to use without a config file.
    #[arg(long, value_enum)]
    backend: Option<BackendArg>,
    /// Exit after this many seconds without a job (default: run until SIGINT/SIGTERM).
    #[arg(long)]
    idle_exit: Option<f64>,
    /// Name in announcements and messages (default: HOST-PID).
    #[arg(long)]
    name: Option<String>,
    /// Jobs worked on at once (default: the model's replicas + 1, the replicas being one per
    /// thread of --threads unless --replicas says otherwise, so that the engine never waits
    /// for the next job to arrive or the last one to be stored).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    concurrent_jobs: Option<u64>,
    #[command(flatten)]
    queue_args: QueueArgs,
    #[command(flatten)]
    remote: RemoteArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0: any free port; the address is printed on stderr).
    #[arg(long, default_value_t = 5000)]
    port: u16,
    /// Serve only this source language (a plain CTranslate2 model needs it).
    #[arg(long)]
    from: Option<String>,
    /// Serve only this target language (a plain CTranslate2 model needs it).
    #[arg(long)]
    to: Option<String>,
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
    /// Glossary file (TSV, CSV or TBX), applied to every request and selectable by its file
    /// stem in a request's `glossary`; repeatable, later ones override earlier ones.
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,
    /// Translation memory file to consult and fill (none by default; `feed`'s may be shared).
    #[arg(long)]
    tm: Option<PathBuf>,
    /// API keys file: `KEY REQUESTS_PER_MINUTE [CHAR_LIMIT]` per line (-1: no limit).
    #[arg(long, value_name = "FILE")]
    api_keys: Option<PathBuf>,
    /// Refuse requests without an API key (needs --api-keys).
    #[arg(long)]
    require_api_key: bool,
    /// Requests per minute of a client without a key, by address (default: no limit).
    #[arg(long)]
    req_limit: Option<u32>,
    /// Characters per text (default: no limit).
    #[arg(long)]
    char_limit: Option<usize>,
    /// Texts per /translate request (default: no limit).
    #[arg(long)]
    batch_limit: Option<usize>,
    /// Bytes per request body.
    #[arg(long, default_value_t = 4 << 20)]
    body_limit: usize,
    /// Seconds a client has to send its whole request body.
    #[arg(long, default_value_t = 30.0)]
    body_timeout: f64,
    /// Requests worked on at once; more are answered 429.
    #[arg(long, default_value_t = 256)]
    max_concurrency: usize,
    /// Milliseconds a request's segments may wait for others to share an engine batch.
    #[arg(long, default_value_t = 5.0)]
    batch_wait_ms: f64,
    /// Segments in an engine batch at most (a batch stops taking requests then).
    #[arg(long, default_value_t = 1024)]
    max_batch: usize,
    /// Access log file, one JSON line per request (default: standard error; `-`: standard output).
    #[arg(long, value_name = "FILE")]
    access_log: Option<PathBuf>,
    /// Seconds to wait for requests in flight after SIGTERM.
    #[arg(long, default_value_t = 30.0)]
    shutdown_timeout: f64,
    /// Where installed models are (default: $TARJUMAN_MODELS_DIR, else the config's
    /// `[models] dir`, else the user's data directory's tarjuman/models).
    #[arg(long, value_name = "DIR")]
    models_dir: Option<PathBuf>,
    #[command(flatten)]
    remote: RemoteArgs,
    /// Have the engine batches translated by `tarjuman worker` processes through this NATS
    /// JetStream server (nats://HOST:PORT) instead of loading the models here.
    #[arg(long, value_name = "URL")]
    queue: Option<String>,
    #[command(flatten)]
    queue_args: QueueArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct BackendArgs {
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
    /// Glossary file (TSV, CSV or TBX); repeatable, later ones override earlier ones.
    #[arg(long = "glossary", value_name = "FILE")]
    glossaries: Vec<PathBuf>,
    /// Where installed models are (default: $TARJUMAN_MODELS_DIR, else the config's
    /// `[models] dir`, else the user's data directory's tarjuman/models).
    #[arg(long, value_name = "DIR")]
    models_dir: Option<PathBuf>,
    #[command(flatten)]
    remote: RemoteArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

impl BackendArgs {
    /// The translate job these options describe (input, output and checks left at defaults).
    fn job(self) -> TranslateJob {
        TranslateJob {
            to: self.to,
            from: Some(self.from),
            config: self.config,
            model: self.model,
            backend: self.backend.map(backend_kind),
            langs: self.langs,
            glossaries: self.glossaries,
            models_dir: self.models_dir,
            remote: self.remote.options(),
            engine: engine_flags(self.engine),
            ..TranslateJob::default()
        }
    }
}

#[derive(Args)]
struct FeedArgs {
    /// Feed files, directories of feeds, http(s) URLs, or list files (one input per line).
    #[arg(required = true)]
    inputs: Vec<String>,
    /// Directory for the translated feeds (NAME.xml → OUT_DIR/NAME.xml) and the report.
    #[arg(long, default_value = "translated")]
    out_dir: PathBuf,
    /// Feeds fetched and parsed at the same time.
    #[arg(long, default_value_t = 4)]
    jobs: usize,
    /// The JSONL report (default: OUT_DIR/report.jsonl).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Translation memory file (default: the user cache dir's tarjuman/tm.sqlite), or
    /// nats://HOST:PORT for the cluster's shared memory in JetStream's key-value store.
    #[arg(long)]
    tm: Option<PathBuf>,
    /// Use no translation memory (every segment goes to the engines; a killed run does not
    /// resume its finished work).
    #[arg(long, conflicts_with = "tm")]
    no_tm: bool,
    /// Seconds a feed's whole HTTP request may take (connection, answer and body).
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Largest feed accepted over HTTP, in bytes (suffixes K, M, G: 1024-based), enforced
    /// while downloading.
    #[arg(long, value_name = "SIZE", default_value = "32M", value_parser = parse_size)]
    max_size: u64,
    /// Where copies of fetched feeds and their ETag/Last-Modified are kept, so that the next
    /// run asks "changed since?" and an unchanged feed (304) is not downloaded again (default:
    /// the user cache dir's tarjuman/feeds).
    #[arg(long, value_name = "DIR")]
    http_cache: Option<PathBuf>,
    /// Always download feeds in full (no conditional requests, nothing cached).
    #[arg(long, conflicts_with = "http_cache")]
    no_http_cache: bool,
    /// Run the QA checker on every translated block against its source and report findings.
    #[arg(long)]
    check: bool,
    /// With --check: lowest severity that makes the exit code 1: error, warning or info.
    #[arg(long, requires = "check", value_parser = ["error", "warning", "info"])]
    fail_on: Option<String>,
    /// Have the translation done by `tarjuman worker` processes through this NATS JetStream
    /// server (nats://HOST:PORT) instead of in this process.
    #[arg(long, value_name = "URL")]
    queue: Option<String>,
    #[command(flatten)]
    queue_args: QueueArgs,
    #[command(flatten)]
    backend: BackendArgs,
}

#[derive(Args)]
struct TmArgs {
    /// Translation memory file (default: the user cache dir's tarjuman/tm.sqlite), or
    /// nats://HOST:PORT for the cluster's shared memory (what `feed --tm nats://…` fills).
    #[arg(long, global = true)]
    tm: Option<PathBuf>,
    /// The cluster's shared memory instead: the results bucket of this NATS JetStream server
    /// (what `tarjuman worker` stores); `prune --unused-days` counts from when an entry was
    /// stored.
    #[arg(long, value_name = "URL", global = true, conflicts_with = "tm")]
    queue: Option<String>,
    #[command(flatten)]
    queue_args: QueueArgs,
    #[command(subcommand)]
    action: TmCommand,
}

#[derive(Subcommand)]
enum TmCommand {
    /// Entries, hits and size, per language pair and engine (JSON).
    Stats,
    /// Every entry as a JSON line.
    Export {
        /// Output file (written atomically); standard output if absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Remove entries not used for some days.
    Prune {
        /// Days since an entry was last used (0 removes all).
        #[arg(long, default_value_t = 90)]
        unused_days: u64,
        /// Only entries of this engine id (as shown by `tm stats`).
        #[arg(long)]
        engine: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormatArg {
    Human,
    Json,
    Jsonl,
}

#[derive(Args)]
struct CheckArgs {
    /// The translation to check (a TSV file holds `source<TAB>target` pairs).
    #[arg(conflicts_with = "target_flag")]
    target: Option<PathBuf>,
    /// The translation to check (same as the positional argument).
    #[arg(long = "target", value_name = "TGT")]
    target_flag: Option<PathBuf>,
    /// The source document; without it only target-only checks run.
    #[arg(long, value_name = "SRC")]
    source: Option<PathBuf>,
    /// Glossary file (repeatable).
    #[arg(long, value_name = "G")]
    glossary: Vec<PathBuf>,
    /// Source language (default: detected).
    #[arg(long)]
    from: Option<String>,
    /// Target language (default: detected).
    #[arg(long)]
    to: Option<String>,
    /// Hunspell dictionary: a `.dic` file or a directory holding `xx_XX.dic`/`.aff`.
    #[arg(long)]
    dict: Option<PathBuf>,
    /// Input format: text, markdown, jsonl, tsv, po or xliff (default: by extension, else by
    /// content, else text). TSV, PO and XLIFF hold both sides; give them alone.
    #[arg(long = "input-format", alias = "in-format")]
    input_format: Option<String>,
    /// Output format: human, json or jsonl (`--format` is the older spelling).
    #[arg(
        long = "output-format",
        alias = "format",
        value_enum,
        default_value = "human"
    )]
    format: CheckFormatArg,
    /// Lowest severity that makes the exit code 1: error, warning or info.
    #[arg(long, default_value = "error")]
    fail_on: String,
    /// Config file (its `[check]` table).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Run only these checks (comma-separated names, see --list-checks).
    #[arg(long, value_name = "NAMES")]
    checks: Option<String>,
    /// Skip these checks (comma-separated names).
    #[arg(long, value_name = "NAMES")]
    skip_checks: Option<String>,
    /// Print the checks with what each looks for, and exit.
    #[arg(long)]
    list_checks: bool,
    /// JSONL: the field holding the source text (default `text`).
    #[arg(long, value_name = "FIELD")]
    source_field: Option<String>,
    /// JSONL: the field holding the target text (default `translation`).
    #[arg(long, value_name = "FIELD")]
    target_field: Option<String>,
    /// More files to check, each on its own (a TARGET each; TSV, PO, XLIFF and JSONL with
    /// both fields hold both sides).
    #[arg(value_name = "MORE")]
    more: Vec<PathBuf>,
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
    /// A remote LibreTranslate-compatible server (--url, --api-key).
    Libretranslate,
}

#[derive(Args)]
struct RemoteArgs {
    /// `--backend libretranslate`: the server's base URL, e.g. `http://127.0.0.1:5000`.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// `--backend libretranslate`: the API key to send (`api_key`).
    #[arg(long, value_name = "KEY")]
    api_key: Option<String>,
    /// `--backend libretranslate`: requests per minute at most (default: no limit).
    #[arg(long, value_name = "N")]
    requests_per_minute: Option<u32>,
}

impl RemoteArgs {
    fn options(self) -> LibreTranslateOptions {
        let mut o = LibreTranslateOptions::default();
        if let Some(url) = self.url {
            o.url = url;
        }
        o.api_key = self.api_key;
        if let Some(n) = self.requests_per_minute {
            o.requests_per_minute = n;
        }
        o
    }
}

#[derive(Args)]
struct TranslateArgs {
    /// Input files, or `-` for standard input (default). Several files need --out-dir.
    #[arg(conflicts_with = "text")]
    inputs: Vec<PathBuf>,
    /// Write each input to DIR under its own file name (created if missing); needed for
    /// several inputs.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "text"])]
    out_dir: Option<PathBuf>,
    /// Translate this text instead of a file (one-off sentences); the translation goes to the
    /// output with a final newline.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Input format: text, markdown, jsonl, html, rss, atom, xliff or po (default: by extension, else by content, else text).
    #[arg(long)]
    format: Option<String>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Translation memory file to consult and fill (default: the user cache dir's
    /// tarjuman/tm.sqlite, as for `feed`), or nats://HOST:PORT for the cluster's shared memory.
    #[arg(long)]
    tm: Option<PathBuf>,
    /// Use no translation memory: every segment goes to the engines.
    #[arg(long, conflicts_with = "tm")]
    no_tm: bool,
    /// Run the QA checker on every translated block against its source and report findings.
    #[arg(long)]
    check: bool,
    /// With --check: lowest severity that makes the exit code 1: error, warning or info.
    #[arg(long, requires = "check", value_parser = ["error", "warning", "info"])]
    fail_on: Option<String>,
    /// XLIFF: translate every unit, replacing the targets translators wrote (approved and
    /// final ones too; translate="no" is still honoured).
    #[arg(long)]
    overwrite: bool,
    /// Write a JSON report of the run here: counts, languages and their engines, failed
    /// segments, the glossary report, QA counts (with --check).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// How to reach a `--tm nats://…` memory.
    #[command(flatten)]
    nats: NatsArgs,
    #[command(flatten)]
    backend: BackendArgs,
}

#[derive(Args)]
struct EngineArgs {
    /// Device for CTranslate2: cpu, cuda or auto.
    #[arg(long)]
    device: Option<String>,
    /// CPU threads for a model in all (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Compute type: auto, default, float32, int8, int8_float32, int16, …
    #[arg(long)]
    compute_type: Option<String>,
    /// Model replicas translating batches in parallel (default: one per thread, at most 4).
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
    /// Input files, or `-` for standard input (default); with several, each line names its
    /// file.
    inputs: Vec<PathBuf>,
    /// Candidate languages, e.g. `de,en,ru` (default: all).
    #[arg(long)]
    langs: Option<String>,
    /// Input format: text, markdown, jsonl, html, rss, atom, xliff or po (default: by extension, else by content, else text).
    #[arg(long)]
    format: Option<String>,
    /// Output file (written atomically); standard output if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

fn backend_kind(b: BackendArg) -> BackendKind {
    match b {
        BackendArg::Ct2 => BackendKind::Ct2,
        BackendArg::Apertium => BackendKind::Apertium,
        BackendArg::Libretranslate => BackendKind::LibreTranslate,
    }
}

fn engine_flags(e: EngineArgs) -> EngineFlags {
    EngineFlags {
        device: e.device,
        threads: e.threads,
        compute_type: e.compute_type,
        replicas: e.replicas,
        beam_size: e.beam_size,
        max_batch_size: e.max_batch_size,
        batch_type: e.batch_type,
        max_decoding_length: e.max_decoding_length,
    }
}

/// Seconds from the command line as a duration (negative or not finite: zero).
fn seconds(s: f64) -> std::time::Duration {
    std::time::Duration::try_from_secs_f64(s).unwrap_or_default()
}

fn run_serve(a: ServeArgs) -> tarjuman::Result<i32> {
    cli::serve(&ServeJob {
        translate: TranslateJob {
            to: a.to.unwrap_or_default(),
            from: a.from,
            config: a.config,
            model: a.model,
            backend: a.backend.map(backend_kind),
            langs: a.langs,
            glossaries: a.glossaries,
            models_dir: a.models_dir,
            remote: a.remote.options(),
            engine: engine_flags(a.engine),
            tm: a.tm,
            tm_remote: Some(a.queue_args.memory()),
            ..TranslateJob::default()
        },
        queue: a.queue.map(|url| a.queue_args.options(url)),
        host: a.host,
        port: a.port,
        api_keys: a.api_keys,
        require_api_key: a.require_api_key,
        req_limit: a.req_limit,
        char_limit: a.char_limit,
        batch_limit: a.batch_limit,
        body_limit: a.body_limit,
        body_timeout: seconds(a.body_timeout),
        max_concurrency: a.max_concurrency,
        batching: BatchOptions {
            max_wait: seconds(a.batch_wait_ms / 1000.0),
            max_segments: a.max_batch,
        },
        access_log: a.access_log,
        shutdown_timeout: seconds(a.shutdown_timeout),
    })
}

fn run_translate(a: TranslateArgs) -> tarjuman::Result<i32> {
    let tm = if a.no_tm {
        None
    } else {
        Some(cli::memory_path(a.tm.as_ref())?)
    };
    if a.inputs.len() > 1 && a.out_dir.is_none() {
        return Err(tarjuman::Error::Usage(
            "several inputs need --out-dir DIR (each is written there under its own name)".into(),
        ));
    }
    let job = TranslateJob {
        input: a.inputs.first().cloned(),
        text: a.text,
        format: a.format,
        output: a.output,
        tm,
        check: a.check,
        fail_on: a.fail_on,
        overwrite: a.overwrite,
        tm_remote: Some(a.nats.options(String::new())),
        report: a.report,
        ..a.backend.job()
    };
    match &a.out_dir {
        Some(dir) => cli::translate_files(&job, &a.inputs, dir),
        None => cli::translate(&job),
    }
}

/// A size in bytes: digits with an optional K, M or G (1024-based; a trailing `B` or `iB` is
/// allowed).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1u64 << shift))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is not a size (e.g. 500K, 32M, 1G or a number of bytes)"))
}

fn run_feed(a: FeedArgs) -> tarjuman::Result<i32> {
    let tm = if a.no_tm {
        None
    } else {
        Some(cli::memory_path(a.tm.as_ref())?)
    };
    let tm_remote = a.queue_args.memory();
    let b = a.backend;
    let cache = if a.no_http_cache {
        None
    } else {
        a.http_cache
            .or_else(tarjuman::http::FeedCache::default_dir)
            .map(tarjuman::http::FeedCache::new)
    };
    cli::feed(&FeedJob {
        inputs: a.inputs,
        out_dir: a.out_dir,
        jobs: a.jobs,
        report: a.report,
        queue: a.queue.map(|url| a.queue_args.options(url)),
        fetch: tarjuman::bulk::FetchOptions {
            timeout: std::time::Duration::from_secs(a.timeout.max(1)),
            max_bytes: a.max_size,
            cache,
        },
        translate: TranslateJob {
            tm,
            tm_remote: Some(tm_remote),
            check: a.check,
            fail_on: a.fail_on,
            ..b.job()
        },
    })
}

// The checker and the pipeline allocate many small strings per segment on several threads;
// mimalloc's thread-local pages serve that pattern faster than the system allocator. It is
// built without transparent huge pages (`no_thp`): on a machine whose memory another
// process has just churned, faulting in 2 MiB pages cost more system time than the whole
// check.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    tarjuman::timeline::mark("main");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if cli.no_config {
        tarjuman::config::Config::ignore_default_files();
    }
    cli::ui::configure(cli::ui::Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: match cli.color {
            ColorArg::Auto => cli::ui::ColorChoice::Auto,
            ColorArg::Always => cli::ui::ColorChoice::Always,
            ColorArg::Never => cli::ui::ColorChoice::Never,
        },
    });
    cli::ui::init_diagnostics();
    let result = match cli.command {
        Command::Translate(a) => run_translate(*a),
        Command::Feed(a) => run_feed(*a),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "tarjuman", &mut script);
            let mut out = std::io::stdout().lock();
            std::io::Write::write_all(&mut out, &script)
                .and_then(|()| std::io::Write::flush(&mut out))
                .map(|()| 0)
                .map_err(|source| tarjuman::Error::Output {
                    path: PathBuf::from("<stdout>"),
                    source,
                })
        }
        Command::Man { dir } => {
            return match man_pages(dir) {
                Ok(code) => ExitCode::from(code as u8),
                Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("tarjuman: error: {}", message(&e));
                    ExitCode::from(2)
                }
            }
        }
        Command::Models(a) => cli::models(&ModelsJob {
            models_dir: a.models_dir,
            index: a.index,
            config: a.config,
            json: matches!(a.format, ListFormat::Json),
            action: match a.action {
                ModelsCommand::List { available } => ModelsAction::List { available },
                ModelsCommand::Install {
                    what,
                    name,
                    from,
                    to,
                } => ModelsAction::Install {
                    what,
                    name,
                    from,
                    to,
                },
                ModelsCommand::Remove { name } => ModelsAction::Remove(name),
                ModelsCommand::Info { name } => ModelsAction::Info(name),
                ModelsCommand::Update => ModelsAction::Update,
            },
        }),
        Command::Languages(a) => cli::languages(&LanguagesJob {
            models_dir: a.models_dir,
            config: a.config,
            json: matches!(a.format, ListFormat::Json),
        }),
        Command::Serve(a) => run_serve(*a),
        Command::Worker(a) => {
            let a = *a;
            cli::worker(&WorkerJob {
                queue: a.queue_args.options(a.queue),
                translate: TranslateJob {
                    to: a.to.unwrap_or_default(),
                    from: a.from,
                    config: a.config,
                    model: a.model,
                    backend: a.backend.map(backend_kind),
                    remote: a.remote.options(),
                    engine: engine_flags(a.engine),
                    ..TranslateJob::default()
                },
                pairs: a.pairs,
                idle_exit: a.idle_exit.map(seconds),
                name: a.name,
                concurrent: a.concurrent_jobs.map(|n| n as usize),
            })
        }
        Command::Tm(a) => cli::tm(&TmJob {
            tm: a.tm,
            remote: a.queue_args.memory(),
            queue: a.queue.map(|url| a.queue_args.options(url)),
            action: match a.action {
                TmCommand::Stats => TmAction::Stats,
                TmCommand::Export { output } => TmAction::Export(output),
                TmCommand::Prune {
                    unused_days,
                    engine,
                } => TmAction::Prune {
                    unused_days,
                    engine,
                },
            },
        }),
        Command::Check(a) => cli::check(&CheckJob {
            target: a.target.or(a.target_flag),
            source: a.source,
            glossaries: a.glossary,
            from: a.from,
            to: a.to,
            dict: a.dict,
            format: a.input_format,
            output_format: match a.format {
                CheckFormatArg::Human => CheckOutput::Human,
                CheckFormatArg::Json => CheckOutput::Json,
                CheckFormatArg::Jsonl => CheckOutput::Jsonl,
            },
            fail_on: Some(a.fail_on),
            config: a.config,
            output: a.output,
            checks: a.checks,
            skip_checks: a.skip_checks,
            list_checks: a.list_checks,
            source_field: a.source_field,
            target_field: a.target_field,
            more: a.more,
        }),
        Command::Detect(a) => cli::detect(&DetectJob {
            inputs: a.inputs,
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
        // A reader that went away (`tarjuman … | head`) is no error of ours: stop quietly.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("tarjuman: error: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// `tarjuman man`: the page of the whole command on standard output, or with `--dir` one page
/// per command (`tarjuman.1`, `tarjuman-translate.1`, `tarjuman-glossary-apply.1`, …) written
/// there, each to a temporary file renamed into place.
fn man_pages(dir: Option<PathBuf>) -> anyhow::Result<i32> {
    use anyhow::Context;
    use std::io::Write;
    let command = <Cli as clap::CommandFactory>::command();
    let Some(dir) = dir else {
        let mut out = std::io::stdout().lock();
        clap_mangen::Man::new(command).render(&mut out)?;
        out.flush()?;
        return Ok(0);
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut pages = Vec::new();
    collect_pages(command, "tarjuman", &mut pages);
    for (name, page) in pages {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page).render(&mut bytes)?;
        let path = dir.join(format!("{name}.1"));
        let tmp = dir.join(format!(".{name}.1.tmp"));
        std::fs::write(&tmp, &bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(0)
}

/// The command and its subcommands (not `help`), each named `tarjuman-SUB-SUB`.
fn collect_pages(command: clap::Command, name: &str, pages: &mut Vec<(String, clap::Command)>) {
    let subs: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .cloned()
        .collect();
    pages.push((name.to_string(), command.name(name.to_string())));
    for sub in subs {
        let sub_name = format!("{name}-{}", sub.get_name());
        collect_pages(sub, &sub_name, pages);
    }
}

/// Whether an error comes from writing to a pipe whose reader has gone.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An error and its causes on one line, each said once: a cause whose text the message already
/// holds (an OS error that the error itself quotes) is left out.
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
