//! `tarjuman worker` and `tarjuman feed --queue` against a real `nats-server -js` (Debian's
//! package) on 127.0.0.1 with a temporary file store, translating with the shared CTranslate2
//! model: output equal to the local `feed`; workers killed with SIGKILL, the producer killed,
//! the server restarted mid-run; a poison input; an unreachable server.

mod common;

use common::*;
use std::collections::HashSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `nats-server -js` on a free loopback port with its own store; killed when dropped.
struct Nats {
    child: Option<Child>,
    port: u16,
    store: tempfile::TempDir,
    extra: Vec<String>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Nats {
    /// Starts a server, or `None` (a skip notice; a failure in strict mode) without one.
    fn start() -> Option<Nats> {
        Nats::start_with(&[])
    }

    /// [`Nats::start`] with more server options (e.g. `--user`, `--pass`).
    fn start_with(extra: &[&str]) -> Option<Nats> {
        let ok = Command::new("nats-server")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                !strict(),
                "nats-server is required (TARJUMAN_REQUIRE_SHARED=1; scripts/setup-debian)"
            );
            eprintln!("notice: skipping: nats-server not installed");
            return None;
        }
        let mut nats = Nats {
            child: None,
            port: free_port(),
            store: tempfile::tempdir().unwrap(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        nats.spawn();
        Some(nats)
    }

    fn spawn(&mut self) {
        let child = Command::new("nats-server")
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.store.path())
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        self.child = Some(child);
        let t0 = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "nats-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server (SIGKILL) and starts it again on the same port and store.
    fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Child processes killed when dropped.
#[derive(Default)]
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A name-like string of Arabic letters, different for every `i`.
fn synthetic_name(i: usize) -> String {
    const LETTERS: [char; 12] = ['ب', 'ت', 'د', 'ر', 'س', 'ك', 'ل', 'م', 'ن', 'ف', 'ق', 'ح'];
    const VOWELS: [char; 3] = ['ا', 'و', 'ي'];
    let mut s = String::new();
    let mut n = i + 1;
    while n > 0 {
        s.push(LETTERS[n % 12]);
        s.push(VOWELS[(n / 12) % 3]);
        n /= 36;
    }
    s.push(LETTERS[i % 7]);
    s
}

/// `n_feeds` RSS feeds of `n_items` items each; an item's title and description are two
/// different names (two segments).
fn write_feeds(dir: &Path, n_feeds: usize, n_items: usize, poison: Option<(usize, &str)>) {
    std::fs::create_dir_all(dir).unwrap();
    for f in 0..n_feeds {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>أخبار</title>\n<link>http://127.0.0.1/</link>\n<description>أخبار</description>\n<language>ar</language>\n");
        for i in 0..n_items {
            let k = f * n_items + i;
            let title = match poison {
                Some((p, name)) if p == k => name.to_string(),
                _ => synthetic_name(2 * k),
            };
            s.push_str(&format!(
                "<item>\n<title>{title}</title>\n<guid isPermaLink=\"false\">f{f}-{i}</guid>\n<description>{}</description>\n</item>\n",
                synthetic_name(2 * k + 1)
            ));
        }
        s.push_str("</channel>\n</rss>\n");
        std::fs::write(dir.join(format!("f{f:02}.xml")), s).unwrap();
    }
}

fn engine_args(model: &Path) -> Vec<String> {
    [
        "--model",
        model.to_str().unwrap(),
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "1",
        "--threads",
        "1",
    ]
    .map(String::from)
    .to_vec()
}

fn feed_cmd(model: &Path, feeds: &Path, out: &Path, tm: &Path) -> Command {
    feed_cmd_with(&engine_args(model), feeds, out, tm)
}

/// `tarjuman feed` with the engine options `engine`.
fn feed_cmd_with(engine: &[String], feeds: &Path, out: &Path, tm: &Path) -> Command {
    let mut c = tarjuman();
    c.arg("feed")
        .args(engine)
        .arg("--out-dir")
        .arg(out)
        .arg("--tm")
        .arg(tm)
        .args(["--jobs", "2"])
        .arg(feeds)
        .stdin(Stdio::null());
    c
}

fn queue_feed_cmd(
    nats: &Nats,
    model: &Path,
    feeds: &Path,
    out: &Path,
    tm: &Path,
    extra: &[&str],
) -> Command {
    let mut c = feed_cmd(model, feeds, out, tm);
    c.args(["--queue", &nats.url(), "--ack-wait", "2"])
        .args(extra);
    c
}

fn spawn_worker(
    nats: &Nats,
    model: &Path,
    log: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Child {
    spawn_worker_with(&nats.url(), &engine_args(model), log, extra, env)
}

/// A `tarjuman worker` of the queue at `url` with the engine options `engine`.
fn spawn_worker_with(
    url: &str,
    engine: &[String],
    log: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Child {
    let mut c = tarjuman();
    c.args(["worker", "--queue", url, "--ack-wait", "2"])
        .args(engine)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        );
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

fn report(out: &Path) -> Vec<serde_json::Value> {
    json_lines(&std::fs::read_to_string(out.join("report.jsonl")).expect("report written"))
}

/// Every item of the report exactly once, none failed; returns the queue line.
fn check_report(out: &Path, n_items_total: usize) -> serde_json::Value {
    let lines = report(out);
    let mut seen = HashSet::new();
    for l in lines.iter().filter(|l| l["type"] == "item") {
        assert!(
            seen.insert(l["item"].as_str().unwrap().to_string()),
            "doubled: {l}"
        );
        assert_eq!(l["failed"], 0, "{l}");
    }
    assert_eq!(seen.len(), n_items_total);
    lines
        .into_iter()
        .find(|l| l["type"] == "queue")
        .expect("a queue line")
}

/// The translated feeds of two output directories are byte for byte the same.
fn same_outputs(a: &Path, b: &Path) {
    let xml = |d: &Path| {
        let mut v: Vec<String> = files_in(d)
            .into_iter()
            .filter(|n| n.ends_with(".xml"))
            .collect();
        v.sort();
        v
    };
    let names = xml(a);
    assert!(!names.is_empty());
    assert_eq!(names, xml(b));
    for n in names {
        let (x, y) = (
            std::fs::read_to_string(a.join(&n)).unwrap(),
            std::fs::read_to_string(b.join(&n)).unwrap(),
        );
        assert!(
            x == y,
            "{n} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn setup() -> Option<(Nats, PathBuf)> {
    let model = aren_model()?;
    if !has_ct2() {
        return None;
    }
    Some((Nats::start()?, model))
}

/// A small pseudo-random sequence (no dependency, the same every run).
/// Sends a signal (`STOP`, `CONT`, …) to a child process with kill(1).
fn signal(c: &Child, sig: &str) {
    let st = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(c.id().to_string())
        .status()
        .unwrap();
    assert!(st.success(), "kill -{sig} failed");
}

/// Waits until the cluster's results bucket holds at least `n` entries (60 s at most).
fn wait_for_results(nats: &Nats, n: u64) {
    let t0 = Instant::now();
    loop {
        let o = tarjuman()
            .args(["tm", "--queue", &nats.url(), "stats"])
            .output()
            .unwrap();
        if o.status.success() {
            let stats: serde_json::Value =
                serde_json::from_str(&stdout(&o)).unwrap_or(serde_json::Value::Null);
            if stats["entries"].as_u64().unwrap_or(0) >= n {
                return;
            }
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no results stored within 60 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn three_workers_give_the_local_output() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let (n_feeds, n_items) = (8, 250);
    write_feeds(&feeds, n_feeds, n_items, None);
    let local = dir.path().join("local");
    let o = feed_cmd(&model, &feeds, &local, &dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let log = dir.path().join("workers.log");
    let mut workers = Procs::default();
    for i in 0..3 {
        workers.0.push(spawn_worker(
            &nats,
            &model,
            &log,
            &["--name", &format!("w{i}")],
            &[],
        ));
    }
    let queued = dir.path().join("queued");
    let o = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &queued,
        &dir.path().join("q.sqlite"),
        &["--queue-batch", "64"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(&local, &queued);
    let q = check_report(&queued, n_feeds * n_items);
    assert!(q["jobs"].as_u64().unwrap() > 0 && q["dead"] == 0, "{q}");
    // Graceful stop: each worker prints what it did.
    for c in &workers.0 {
        Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status()
            .unwrap();
    }
    for c in &mut workers.0 {
        c.wait().unwrap();
    }
    let text = std::fs::read_to_string(&log).unwrap();
    let done: Vec<u64> = text
        .lines()
        .filter_map(|l| l.split(": ").nth(1)?.split(" jobs").next()?.parse().ok())
        .collect();
    assert_eq!(done.len(), 3, "{text}");
    assert!(
        done.iter().filter(|&&n| n > 0).count() >= 2,
        "work did not spread: {text}"
    );
    assert_eq!(
        done.iter().sum::<u64>(),
        q["jobs"].as_u64().unwrap(),
        "{text}"
    );
}

#[test]
fn workers_killed_twenty_times_lose_and_double_nothing() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let (n_feeds, n_items) = (10, 250);
    write_feeds(&feeds, n_feeds, n_items, None);
    let log = dir.path().join("workers.log");
    let mut workers = Procs::default();
    for _ in 0..3 {
        workers.0.push(spawn_worker(&nats, &model, &log, &[], &[]));
    }
    let out = dir.path().join("out");
    let mut producer = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &dir.path().join("q.sqlite"),
        &["--queue-batch", "8"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut rng = Lcg(17);
    let mut kills = 0;
    let t0 = Instant::now();
    while kills < 20 && producer.try_wait().unwrap().is_none() {
        // Kills come faster than the ack wait (2 s): a batch held by a killed worker keeps the
        // run going until it is redelivered, so the run outlasts the twenty kills on any machine.
        std::thread::sleep(Duration::from_millis(30 + rng.next(70)));
        let k = rng.next(3) as usize;
        workers.0[k].kill().unwrap(); // SIGKILL
        workers.0[k].wait().unwrap();
        workers.0[k] = spawn_worker(&nats, &model, &log, &[], &[]);
        kills += 1;
    }
    let o = producer.wait_with_output().unwrap();
    eprintln!("{kills} workers killed in {:?}", t0.elapsed());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(kills, 20, "the run ended before 20 kills");
    check_report(&out, n_feeds * n_items);
    let local = dir.path().join("local");
    let o = feed_cmd(&model, &feeds, &local, &dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(&local, &out);
}

#[test]
fn producer_killed_then_rerun_resumes_from_stored_results() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let (n_feeds, n_items) = (8, 250);
    write_feeds(&feeds, n_feeds, n_items, None);
    let log = dir.path().join("workers.log");
    let mut workers = Procs::default();
    workers.0.push(spawn_worker(&nats, &model, &log, &[], &[]));
    let out = dir.path().join("out");
    let tm = dir.path().join("q.sqlite");
    let mut producer = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, &["--queue-batch", "16"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Stop the only worker as soon as some results are stored: the run cannot finish after
    // that, however fast the machine is.
    wait_for_results(&nats, 1);
    signal(&workers.0[0], "STOP");
    let killed = producer.try_wait().unwrap().is_none();
    producer.kill().unwrap();
    producer.wait().unwrap();
    assert!(killed, "the producer finished before it could be killed");
    drop(workers);
    let mut workers = Procs::default();
    for _ in 0..2 {
        workers.0.push(spawn_worker(&nats, &model, &log, &[], &[]));
    }
    // Whatever was written is whole.
    for n in files_in(&out).iter().filter(|n| n.ends_with(".xml")) {
        let text = std::fs::read_to_string(out.join(n)).unwrap();
        assert_eq!(text.matches("<item>").count(), n_items, "{n}");
    }
    let o = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, &["--queue-batch", "16"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let q = check_report(&out, n_feeds * n_items);
    // Work finished for the killed run (in the memory, or in the results bucket) was not sent
    // again.
    let cached: u64 = report(&out)
        .iter()
        .filter(|l| l["type"] == "feed")
        .map(|l| l["cached"].as_u64().unwrap())
        .sum();
    eprintln!("rerun: {q}, {cached} segments from the memory");
    assert!(q["stored"].as_u64().unwrap() + cached > 0, "{q}");
    assert!(
        q["sent"].as_u64().unwrap() < 2 * (n_feeds * n_items) as u64,
        "{q}"
    );
    let local = dir.path().join("local");
    let o = feed_cmd(&model, &feeds, &local, &dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(&local, &out);
}

#[test]
fn server_restarted_mid_run_completes() {
    let Some((mut nats, model)) = setup() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let (n_feeds, n_items) = (8, 250);
    write_feeds(&feeds, n_feeds, n_items, None);
    let log = dir.path().join("workers.log");
    let mut workers = Procs::default();
    workers.0.push(spawn_worker(&nats, &model, &log, &[], &[]));
    let out = dir.path().join("out");
    let mut producer = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &dir.path().join("q.sqlite"),
        &["--queue-batch", "16"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Freeze the worker once some results are stored, so that the restart falls mid-run.
    wait_for_results(&nats, 1);
    signal(&workers.0[0], "STOP");
    assert!(
        producer.try_wait().unwrap().is_none(),
        "finished before the restart"
    );
    nats.restart();
    signal(&workers.0[0], "CONT");
    workers.0.push(spawn_worker(&nats, &model, &log, &[], &[]));
    let o = producer.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_report(&out, n_feeds * n_items);
}

#[test]
fn poison_input_is_dead_lettered_and_reported_while_the_rest_proceeds() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let poison = "سمّ";
    write_feeds(&feeds, 1, 40, Some((7, poison)));
    let log = dir.path().join("workers.log");
    let env = [("TARJUMAN_WORKER_ABORT_ON", poison)];
    let mut workers = Procs::default();
    for _ in 0..2 {
        workers.0.push(spawn_worker(
            &nats,
            &model,
            &log,
            &["--max-deliver", "2"],
            &env,
        ));
    }
    let out = dir.path().join("out");
    let mut producer = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &dir.path().join("q.sqlite"),
        &["--queue-batch", "4", "--max-deliver", "2"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Crashed workers are started again, as a supervisor would.
    let t0 = Instant::now();
    while producer.try_wait().unwrap().is_none() {
        if t0.elapsed() > Duration::from_secs(50) {
            let _ = producer.kill();
            let o = producer.wait_with_output().unwrap();
            panic!(
                "the run does not end: {}\n{}",
                stderr(&o),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        for w in &mut workers.0 {
            if w.try_wait().unwrap().is_some() {
                *w = spawn_worker(&nats, &model, &log, &["--max-deliver", "2"], &env);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = producer.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = report(&out);
    let dead: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["type"] == "dead_letter")
        .collect();
    assert_eq!(dead.len(), 1, "{lines:?}");
    assert_eq!(
        dead[0]["segments"], 1,
        "the poison segment alone: {}",
        dead[0]
    );
    assert_eq!(dead[0]["pair"], "ar-en");
    for l in lines.iter().filter(|l| l["type"] == "item") {
        let want = if l["item"] == "f0-7" { 1 } else { 0 };
        assert_eq!(l["failed"], want, "{l}");
    }
    let text = std::fs::read_to_string(out.join("f00.xml")).unwrap();
    assert!(
        text.contains(poison),
        "the poison title is kept untranslated"
    );
}

#[test]
fn unreachable_server_is_exit_2_with_the_url() {
    let Some(model) = aren_model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 1, 2, None);
    let url = format!("nats://127.0.0.1:{}", free_port());
    let o = feed_cmd(
        &model,
        &feeds,
        &dir.path().join("out"),
        &dir.path().join("q.sqlite"),
    )
    .args(["--queue", &url])
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&url), "{}", stderr(&o));
    assert!(!dir.path().join("out/f00.xml").exists());
    let o = tarjuman()
        .args(["worker", "--queue", &url])
        .args(engine_args(&model))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&url), "{}", stderr(&o));
}

#[test]
fn tm_stats_export_prune_on_the_shared_results_bucket() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 1, 20, None);
    let mut workers = Procs::default();
    workers.0.push(spawn_worker(
        &nats,
        &model,
        &dir.path().join("w.log"),
        &[],
        &[],
    ));
    let out = dir.path().join("out");
    let o = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &dir.path().join("q.sqlite"),
        &[],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sent = check_report(&out, 20)["sent"].as_u64().unwrap();
    assert!(sent >= 40, "{sent}");
    let tm = |args: &[&str]| {
        tarjuman()
            .args(["tm", "--queue", &nats.url()])
            .args(args)
            .output()
            .unwrap()
    };
    let o = tm(&["stats"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(stats["entries"].as_u64(), Some(sent), "{stats}");
    assert_eq!(stats["pairs"][0]["from"], "ar");
    // The model by its name and content fingerprint, not its path.
    let engine = stats["pairs"][0]["engine"].as_str().unwrap();
    let fp = engine
        .strip_prefix("ct2:aren-transliteration@")
        .and_then(|r| r.strip_suffix(":beam1"))
        .unwrap_or_else(|| panic!("{engine}"));
    assert!(
        fp.len() == 16 && fp.chars().all(|c| c.is_ascii_hexdigit()),
        "{engine}"
    );
    let o = tm(&["export"]);
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len() as u64, sent);
    // Each exported translation is what the output feed holds for that name.
    let text = std::fs::read_to_string(out.join("f00.xml")).unwrap();
    for l in &lines {
        let target = l["target"].as_str().unwrap();
        assert!(
            text.contains(&format!(">{target}<")),
            "{target} not in the output"
        );
    }
    let o = tm(&[
        "prune",
        "--unused-days",
        "0",
        "--engine",
        "apertium:default",
    ]);
    assert!(stderr(&o).contains("removed 0 entries"), "{}", stderr(&o));
    let o = tm(&["prune", "--unused-days", "0"]);
    assert!(
        stderr(&o).contains(&format!("removed {sent} entries")),
        "{}",
        stderr(&o)
    );
    let o = tm(&["stats"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(stats["entries"], 0, "{stats}");
}

#[test]
fn credentials_are_passed_to_the_server() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let Some(nats) = Nats::start_with(&["--user", "tarjuman", "--pass", "s3cret"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 1, 5, None);
    let out = dir.path().join("out");
    let tm = dir.path().join("q.sqlite");
    // Without them: refused, exit 2 with the URL.
    let o = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, &[])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&nats.url()), "{}", stderr(&o));
    // With them: a worker and the producer get through.
    let creds = ["--queue-user", "tarjuman", "--queue-password", "s3cret"];
    let mut workers = Procs::default();
    workers.0.push(spawn_worker(
        &nats,
        &model,
        &dir.path().join("w.log"),
        &creds,
        &[],
    ));
    let o = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, &creds)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_report(&out, 5);
    // The key-value memory (`--tm nats://…`) takes the same credentials: without them refused
    // with the URL, with them a run fills it.
    let tm_kv = |extra: &[&str]| {
        tarjuman()
            .args(["tm", "--tm", &nats.url()])
            .args(extra)
            .arg("stats")
            .output()
            .unwrap()
    };
    let o = tm_kv(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&nats.url()), "{}", stderr(&o));
    let o = queue_feed_cmd(&nats, &model, &feeds, &out, Path::new(&nats.url()), &creds)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tm_kv(&creds);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stats["entries"].as_u64().unwrap() >= 10, "{stats}");
    // A TLS file that is not there is named.
    let o = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &tm,
        &["--queue-tls-ca", "/nonexistent/ca.pem"],
    )
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("/nonexistent/ca.pem"), "{}", stderr(&o));
}

/// The cluster's translation memory (`--tm nats://…`, JetStream's key-value store) is the
/// pipeline's memory: two producers in separate working directories, with no SQLite file, share
/// it — the second run of the same feeds is served from it entirely, output the same — and
/// `tm --tm nats://… stats|export|prune` look after it.
#[test]
fn two_producers_share_the_key_value_translation_memory() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 2, 15, None);
    let mut workers = Procs::default();
    workers.0.push(spawn_worker(
        &nats,
        &model,
        &dir.path().join("w.log"),
        &[],
        &[],
    ));
    let url = nats.url();
    let run = |name: &str| {
        let home = dir.path().join(name);
        std::fs::create_dir_all(&home).unwrap();
        let out = home.join("out");
        let o = tarjuman()
            .current_dir(&home)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("HOME", &home)
            .arg("feed")
            .args(engine_args(&model))
            .arg("--out-dir")
            .arg(&out)
            .args([
                "--tm",
                &url,
                "--queue",
                &url,
                "--ack-wait",
                "2",
                "--jobs",
                "2",
            ])
            .arg(&feeds)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        out
    };
    // Segments and memory hits over the report's item lines.
    let counts = |out: &Path| {
        report(out)
            .iter()
            .filter(|l| l["type"] == "item")
            .fold((0, 0), |(s, c), l| {
                (
                    s + l["segments"].as_u64().unwrap(),
                    c + l["cached"].as_u64().unwrap(),
                )
            })
    };
    let a = run("a");
    let (segments, cached) = counts(&a);
    assert!(segments >= 60, "{segments}");
    assert_eq!(cached, 0);
    let b = run("b");
    assert_eq!(counts(&b), (segments, segments), "all from the memory");
    let queue = check_report(&b, 30);
    assert_eq!(queue["jobs"], 0, "{queue}");
    assert_eq!(queue["sent"], 0, "{queue}");
    same_outputs(&a, &b);
    // No SQLite memory anywhere.
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            assert!(!p.to_string_lossy().ends_with(".sqlite"), "{}", p.display());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    let tm = |args: &[&str]| {
        tarjuman()
            .args(["tm", "--tm", &url])
            .args(args)
            .output()
            .unwrap()
    };
    let o = tm(&["stats"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let entries = stats["entries"].as_u64().unwrap();
    // Every distinct segment once: the 60 item names and the channel's title (its title and
    // description are the same word).
    assert_eq!(entries, segments + 1, "{stats}");
    assert_eq!(stats["pairs"][0]["to"], "en", "{stats}");
    let o = tm(&["export"]);
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len() as u64, entries);
    let text = std::fs::read_to_string(b.join("f01.xml")).unwrap();
    let found = lines
        .iter()
        .filter(|l| text.contains(&format!(">{}<", l["target"].as_str().unwrap())))
        .count();
    assert!(
        found >= 15,
        "{found} of {} exported in f01.xml",
        lines.len()
    );
    let o = tm(&["prune", "--unused-days", "0"]);
    assert!(
        stderr(&o).contains(&format!("removed {entries} entries")),
        "{}",
        stderr(&o)
    );
    let o = tm(&["stats"]);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(stats["entries"], 0, "{stats}");
}

/// Waits for a producer while its worker runs; a worker that exits (or a run over 60 s) fails
/// the test with the worker's log.
fn wait_with_worker(mut producer: Child, workers: &mut Procs, log: &Path) -> std::process::Output {
    let t0 = Instant::now();
    while producer.try_wait().unwrap().is_none() {
        let dead = workers
            .0
            .iter_mut()
            .any(|w| w.try_wait().unwrap().is_some());
        if dead || t0.elapsed() > Duration::from_secs(60) {
            let _ = producer.kill();
            let o = producer.wait_with_output().unwrap();
            panic!(
                "the worker exited or the run does not end: {}\n{}",
                stderr(&o),
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    producer.wait_with_output().unwrap()
}

/// A `tarjuman serve` (a LibreTranslate-compatible server) on a free loopback port, up and
/// listening; killed when the returned [`Procs`] is dropped.
fn start_serve(args: &[&str]) -> (Procs, String) {
    let port = free_port();
    let child = tarjuman()
        .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let procs = Procs(vec![child]);
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "tarjuman serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (procs, format!("http://127.0.0.1:{port}"))
}

/// An engine that returns an error (it does not crash) for one segment: the remote engine
/// (`--backend libretranslate`) in front of a LibreTranslate-compatible server — `tarjuman
/// serve` with the shared model — whose `--char-limit` refuses the one title longer than the
/// limit. Through the queue, the item of that title reports its failed segment, every other
/// item is translated, the output and the exit code are the local run's, and nothing is
/// dead-lettered (an engine's answer is a result, not a crash).
#[test]
fn engine_error_on_one_segment_is_reported_for_its_item_and_the_rest_proceeds() {
    let Some((nats, model)) = setup() else { return };
    let (_server, base) = start_serve(&[
        "--model",
        model.to_str().unwrap(),
        "--from",
        "ar",
        "--to",
        "en",
        "--char-limit",
        "40",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    let long: String = (0..12).map(|i| synthetic_name(500 + i) + " ").collect();
    let long = long.trim().to_string();
    assert!(long.chars().count() > 40);
    write_feeds(&feeds, 1, 30, Some((7, &long)));
    let engine: Vec<String> = [
        "--backend",
        "libretranslate",
        "--url",
        &base,
        "--from",
        "ar",
        "--to",
        "en",
    ]
    .map(String::from)
    .to_vec();
    let local = dir.path().join("local");
    let lo = feed_cmd_with(&engine, &feeds, &local, &dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(lo.status.code(), Some(1), "{}", stderr(&lo));

    let log = dir.path().join("workers.log");
    let mut workers = Procs::default();
    workers
        .0
        .push(spawn_worker_with(&nats.url(), &engine, &log, &[], &[]));
    let queued = dir.path().join("queued");
    let producer = feed_cmd_with(&engine, &feeds, &queued, &dir.path().join("q.sqlite"))
        .args([
            "--queue",
            &nats.url(),
            "--ack-wait",
            "2",
            "--queue-batch",
            "8",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let o = wait_with_worker(producer, &mut workers, &log);
    assert_eq!(o.status.code(), lo.status.code(), "{}", stderr(&o));
    let lines = report(&queued);
    let mut items = 0;
    for l in lines.iter().filter(|l| l["type"] == "item") {
        items += 1;
        let want = if l["item"] == "f0-7" { 1 } else { 0 };
        assert_eq!(l["failed"], want, "{l}");
    }
    assert_eq!(items, 30);
    let q = lines
        .iter()
        .find(|l| l["type"] == "queue")
        .expect("queue line");
    assert_eq!(q["dead"], 0, "{q}");
    assert!(
        lines.iter().all(|l| l["type"] != "dead_letter"),
        "{lines:?}"
    );
    // The engine's message reaches the producer.
    assert!(stderr(&o).contains("exceeds text limit"), "{}", stderr(&o));
    same_outputs(&local, &queued);
    let text = std::fs::read_to_string(queued.join("f00.xml")).unwrap();
    assert!(text.contains(&long), "the refused title is kept as it was");
    let w = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!w.contains("giving up"), "{w}");
}

/// Messages in the jobs stream (`TARJUMAN_JOBS`: jobs published and not yet acknowledged, as
/// the stream keeps a job until a worker acknowledges it), asked with JetStream's API over
/// the plain NATS protocol — not through tarjuman's own client.
fn jobs_in_stream(nats: &Nats) -> u64 {
    use std::io::{BufRead, BufReader, Read, Write};
    let stream = TcpStream::connect(("127.0.0.1", nats.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("INFO"), "{line}");
    writer
        .write_all(
            b"CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB _INBOX.jobs 1\r\n\
              PUB $JS.API.STREAM.INFO.TARJUMAN_JOBS _INBOX.jobs 0\r\n\r\n",
        )
        .unwrap();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("PING") {
            writer.write_all(b"PONG\r\n").unwrap();
        } else if let Some(head) = line.strip_prefix("MSG ") {
            let size: usize = head.split_whitespace().last().unwrap().parse().unwrap();
            let mut body = vec![0u8; size + 2];
            reader.read_exact(&mut body).unwrap();
            let info: serde_json::Value = serde_json::from_slice(&body[..size]).unwrap();
            if info["error"]["code"] == 404 {
                return 0; // not made yet
            }
            return info["state"]["messages"]
                .as_u64()
                .unwrap_or_else(|| panic!("no stream state: {info}"));
        } else {
            assert!(!line.starts_with("-ERR"), "{line}");
            assert!(!line.is_empty(), "the server closed the connection");
        }
    }
}

/// `--queue-in-flight 3`: with no worker, the producer publishes three jobs and then waits —
/// the stream holds exactly three, however long one looks; with a worker, the stream never
/// holds more than three while many more jobs go through.
#[test]
fn in_flight_jobs_are_bounded() {
    let Some((nats, model)) = setup() else { return };
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 2, 60, None);
    let out = dir.path().join("out");
    let mut producer = queue_feed_cmd(
        &nats,
        &model,
        &feeds,
        &out,
        &dir.path().join("q.sqlite"),
        &["--queue-batch", "4", "--queue-in-flight", "3"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut procs = Procs::default();
    let t0 = Instant::now();
    let mut seen = 0;
    while seen < 3 {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the producer did not publish 3 jobs"
        );
        assert!(producer.try_wait().unwrap().is_none());
        std::thread::sleep(Duration::from_millis(20));
        seen = jobs_in_stream(&nats);
        assert!(seen <= 3, "{seen} jobs out at once");
    }
    // Nothing can finish without a worker: the producer stays at its bound (past a recheck,
    // where it publishes its jobs again, which the stream drops as duplicates).
    let t1 = Instant::now();
    while t1.elapsed() < Duration::from_millis(4500) {
        assert_eq!(jobs_in_stream(&nats), 3);
        std::thread::sleep(Duration::from_millis(100));
    }
    procs.0.push(spawn_worker(
        &nats,
        &model,
        &dir.path().join("w.log"),
        &[],
        &[],
    ));
    let mut max = 0;
    let mut polls = 0;
    while producer.try_wait().unwrap().is_none() {
        let n = jobs_in_stream(&nats);
        max = max.max(n);
        polls += 1;
        assert!(n <= 3, "{n} jobs out at once");
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "the run does not end"
        );
    }
    let o = producer.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let q = check_report(&out, 120);
    eprintln!("{polls} looks, at most {max} jobs in the stream; {q}");
    assert!(q["jobs"].as_u64().unwrap() >= 30, "{q}");
    assert_eq!(jobs_in_stream(&nats), 0);
}

/// Runs openssl with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs (scripts/setup-debian installs it)");
    assert!(o.status.success(), "openssl {args:?}: {}", stderr(&o));
}

/// A certificate authority `NAME.pem` (key `NAME.key`) made in `dir`.
fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "2",
            "-subj",
            &format!("/CN=tarjuman test {name}"),
        ],
    );
}

/// `server.pem`/`server.key` for 127.0.0.1, signed by the authority `ca`.
fn make_server_cert(dir: &Path, ca: &str) {
    make_cert(
        dir,
        ca,
        "server",
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n",
    );
}

/// `NAME.pem`/`NAME.key`, signed by the authority `ca`, with the extensions `ext`.
fn make_cert(dir: &Path, ca: &str, name: &str, ext: &str) {
    std::fs::write(
        dir.join(format!("{name}.ext")),
        format!("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n{ext}"),
    )
    .unwrap();
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={name}"),
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            &format!("{ca}.pem"),
            "-CAkey",
            &format!("{ca}.key"),
            "-CAcreateserial",
            "-out",
            &format!("{name}.pem"),
            "-days",
            "2",
            "-extfile",
            &format!("{name}.ext"),
        ],
    );
}

/// A server that speaks only TLS (certificates made here with openssl): a worker, the
/// producer and the key-value memory (`--tm tls://…`) get through with the right CA; with
/// another CA, or none, each is exit 2 with the URL and what is wrong with the certificate. A
/// server that verifies clients (mutual TLS) takes a client certificate of its CA and refuses a
/// client without one.
#[test]
fn tls_with_the_right_ca_works_and_a_wrong_ca_is_exit_2() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    let c = certs.path();
    make_ca(c, "ca");
    make_ca(c, "other");
    make_server_cert(c, "ca");
    let file = |n: &str| c.join(n).to_str().unwrap().to_string();
    let Some(nats) = Nats::start_with(&[
        "--tls",
        "--tlscert",
        &file("server.pem"),
        "--tlskey",
        &file("server.key"),
    ]) else {
        return;
    };
    let url = format!("tls://127.0.0.1:{}", nats.port);
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 1, 12, None);
    let ca = file("ca.pem");
    let tls = ["--queue-tls-ca", ca.as_str()];
    let mut workers = Procs::default();
    let log = dir.path().join("w.log");
    workers.0.push(spawn_worker_with(
        &url,
        &engine_args(&model),
        &log,
        &tls,
        &[],
    ));
    let out = dir.path().join("out");
    let o = feed_cmd_with(&engine_args(&model), &feeds, &out, Path::new(&url))
        .args(["--queue", &url, "--ack-wait", "2"])
        .args(tls)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}\n{}",
        stderr(&o),
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let q = check_report(&out, 12);
    assert!(q["jobs"].as_u64().unwrap() > 0, "{q}");
    // The memory over TLS holds what the run translated.
    let o = tarjuman()
        .args(["tm", "--tm", &url])
        .args(tls)
        .arg("stats")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stats["entries"].as_u64().unwrap() >= 24, "{stats}");

    // Another CA, or none (the system's roots): refused, exit 2, the URL and the reason.
    let other = file("other.pem");
    let wrong: [&[&str]; 2] = [&["--queue-tls-ca", other.as_str()], &[]];
    for extra in wrong {
        let out = dir.path().join("wrong");
        let o = feed_cmd_with(
            &engine_args(&model),
            &feeds,
            &out,
            &dir.path().join("l.sqlite"),
        )
        .args(["--queue", &url])
        .args(extra)
        .output()
        .unwrap();
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&url), "{err}");
        assert!(err.contains("--queue-tls-ca"), "{err}");
        assert!(err.to_lowercase().contains("certificate"), "{err}");
        assert!(!out.join("f00.xml").exists());
        let o = tarjuman()
            .args(["worker", "--queue", &url])
            .args(engine_args(&model))
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&url), "{}", stderr(&o));
        let o = tarjuman()
            .args(["tm", "--tm", &url])
            .args(extra)
            .arg("stats")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(&url), "{}", stderr(&o));
        assert!(
            stderr(&o).to_lowercase().contains("certificate"),
            "{}",
            stderr(&o)
        );
    }

    // Mutual TLS: a server that verifies clients takes the one with a certificate of its CA
    // (--queue-tls-cert/--queue-tls-key) and refuses the one without.
    make_cert(c, "ca", "client", "extendedKeyUsage=clientAuth\n");
    let Some(mutual) = Nats::start_with(&[
        "--tlsverify",
        "--tlscert",
        &file("server.pem"),
        "--tlskey",
        &file("server.key"),
        "--tlscacert",
        &ca,
    ]) else {
        return;
    };
    let url = format!("tls://127.0.0.1:{}", mutual.port);
    let (cert, key) = (file("client.pem"), file("client.key"));
    let stats = |extra: &[&str]| {
        tarjuman()
            .args(["tm", "--tm", &url, "--queue-tls-ca", &ca])
            .args(extra)
            .arg("stats")
            .output()
            .unwrap()
    };
    let o = stats(&["--queue-tls-cert", &cert, "--queue-tls-key", &key]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = stats(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&url), "{}", stderr(&o));
}

/// NATS's decentralised authentication, made here from scratch: an operator, an account with
/// JetStream and a user, each an NKey pair (the `nkeys` crate) and a JWT signed by the level
/// above (`ed25519-nkey`, base64url without padding, as NATS's JWT format has it).
mod jwt {
    use nkeys::KeyPair;
    use serde_json::{json, Value};
    use sha2::{Digest, Sha256};

    fn b64(bytes: &[u8]) -> String {
        data_encoding::BASE64URL_NOPAD.encode(bytes)
    }

    /// A JWT of `kind` (`operator`, `account`, `user`) about `subject`, signed by `issuer`.
    pub fn encode(issuer: &KeyPair, subject: &str, name: &str, nats: Value) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut claims = json!({
            "iat": now,
            "iss": issuer.public_key(),
            "name": name,
            "sub": subject,
            "nats": nats,
        });
        // The id: a hash of the claims without it.
        let jti = data_encoding::BASE32_NOPAD.encode(&Sha256::digest(claims.to_string()));
        claims["jti"] = json!(jti);
        let header = b64(br#"{"typ":"JWT","alg":"ed25519-nkey"}"#);
        let payload = b64(claims.to_string().as_bytes());
        let signed = format!("{header}.{payload}");
        let signature = issuer.sign(signed.as_bytes()).unwrap();
        format!("{signed}.{}", b64(&signature))
    }

    /// An operator's self-signed JWT.
    pub fn operator(op: &KeyPair) -> String {
        encode(
            op,
            &op.public_key(),
            "tarjuman-test-operator",
            json!({"type": "operator", "version": 2}),
        )
    }

    /// An account's JWT, signed by its operator, without limits; with JetStream or without.
    pub fn account(op: &KeyPair, acc: &KeyPair, jetstream: bool) -> String {
        let js = if jetstream { -1 } else { 0 };
        encode(
            op,
            &acc.public_key(),
            "tarjuman-test-account",
            json!({
                "type": "account",
                "version": 2,
                "limits": {
                    "subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
                    "wildcards": true, "conn": -1, "leaf": -1,
                    "mem_storage": js, "disk_storage": js, "streams": js, "consumer": js
                },
                "default_permissions": {"pub": {}, "sub": {}}
            }),
        )
    }

    /// A user's JWT, signed by its account, allowed everything.
    pub fn user(acc: &KeyPair, user: &KeyPair) -> String {
        encode(
            acc,
            &user.public_key(),
            "tarjuman-test-user",
            json!({
                "type": "user", "version": 2,
                "pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1
            }),
        )
    }

    /// A credentials file's text: the user's JWT and seed between the usual fences.
    pub fn creds(user_jwt: &str, user: &KeyPair) -> String {
        format!(
            "-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n\
             ************************* IMPORTANT *************************\n\
             NKEY Seed printed below can be used to sign and prove identity.\n\n\
             -----BEGIN USER NKEY SEED-----\n{}\n------END USER NKEY SEED------\n",
            user.seed().unwrap()
        )
    }
}

/// A `nats-server` in operator (JWT) mode, its account preloaded in a memory resolver: a worker
/// and a producer given `--queue-creds FILE` (a user of that account) translate a run; without
/// credentials, with a user of an account the server does not know, with a user JWT whose
/// signature does not match its seed, and with a file that is no credentials file, each command
/// is exit 2 naming the URL (or the file) and the reason, and nothing is written.
#[test]
fn jwt_credentials_file_is_passed_to_the_server() {
    let Some(model) = aren_model() else { return };
    if !has_ct2() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let op = nkeys::KeyPair::new_operator();
    let acc = nkeys::KeyPair::new_account();
    let user = nkeys::KeyPair::new_user();
    // JetStream in operator mode needs a system account (its own, without JetStream).
    let system = nkeys::KeyPair::new_account();
    let conf = dir.path().join("server.conf");
    std::fs::write(
        &conf,
        format!(
            "operator: \"{}\"\nsystem_account: {}\nresolver: MEMORY\n\
             resolver_preload: {{\n  {}: \"{}\"\n  {}: \"{}\"\n}}\n",
            jwt::operator(&op),
            system.public_key(),
            acc.public_key(),
            jwt::account(&op, &acc, true),
            system.public_key(),
            jwt::account(&op, &system, false),
        ),
    )
    .unwrap();
    let Some(nats) = Nats::start_with(&["-c", conf.to_str().unwrap()]) else {
        return;
    };
    let good = dir.path().join("good.creds");
    std::fs::write(&good, jwt::creds(&jwt::user(&acc, &user), &user)).unwrap();
    // A user of an account this server has never heard of.
    let stranger = nkeys::KeyPair::new_account();
    let unknown = dir.path().join("unknown-account.creds");
    std::fs::write(&unknown, jwt::creds(&jwt::user(&stranger, &user), &user)).unwrap();
    // The right user JWT with another user's seed: the nonce's signature does not match.
    let other_user = nkeys::KeyPair::new_user();
    let wrong_seed = dir.path().join("wrong-seed.creds");
    std::fs::write(
        &wrong_seed,
        jwt::creds(&jwt::user(&acc, &user), &other_user),
    )
    .unwrap();
    let garbage = dir.path().join("garbage.creds");
    std::fs::write(&garbage, "not a credentials file\n").unwrap();

    let feeds = dir.path().join("feeds");
    write_feeds(&feeds, 2, 10, None);
    let out = dir.path().join("out");
    let tm = dir.path().join("q.sqlite");
    let good_args = ["--queue-creds", good.to_str().unwrap()];

    // Refused: each with exit 2, the URL (or the file) and why; nothing written.
    let refusals: [(&[&str], &str); 4] = [
        (&[], "authorization violation"),
        (
            &["--queue-creds", unknown.to_str().unwrap()],
            "authorization violation",
        ),
        (
            &["--queue-creds", wrong_seed.to_str().unwrap()],
            "authorization violation",
        ),
        (&["--queue-creds", garbage.to_str().unwrap()], "credentials"),
    ];
    for (args, reason) in refusals {
        let o = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, args)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        let named = args.get(1).copied().unwrap_or(&nats.url()).to_string();
        assert!(err.contains(&named), "{args:?}: {err}");
        assert!(err.to_lowercase().contains(reason), "{args:?}: {err}");
        assert!(!out.join("f00.xml").exists(), "{args:?}");
        let o = tarjuman()
            .args(["worker", "--queue", &nats.url(), "--idle-exit", "1"])
            .args(engine_args(&model))
            .args(args)
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "worker {args:?}: {err}");
        assert!(err.contains(&named), "worker {args:?}: {err}");
        assert!(
            err.to_lowercase().contains(reason),
            "worker {args:?}: {err}"
        );
        eprintln!("refused as it should be: {}", err.trim());
    }

    // With the user's credentials: a worker and the producer get through, and the run is the
    // local run.
    let mut workers = Procs::default();
    let log = dir.path().join("w.log");
    workers
        .0
        .push(spawn_worker(&nats, &model, &log, &good_args, &[]));
    let o = queue_feed_cmd(&nats, &model, &feeds, &out, &tm, &good_args)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let q = check_report(&out, 20);
    assert!(q["sent"].as_u64().unwrap() >= 40, "{q}");
    let local = dir.path().join("local");
    let o = feed_cmd(&model, &feeds, &local, &dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_outputs(&local, &out);
    // `tm --queue` reads the results bucket with the same file, and is refused without it.
    let tm_stats = |extra: &[&str]| {
        tarjuman()
            .args(["tm", "--queue", &nats.url()])
            .args(extra)
            .arg("stats")
            .output()
            .unwrap()
    };
    let o = tm_stats(&good_args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stats: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(stats["entries"], q["sent"], "{stats}");
    let o = tm_stats(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&nats.url()), "{}", stderr(&o));
}
