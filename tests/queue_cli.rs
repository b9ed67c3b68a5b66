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
    let mut c = tarjuman();
    c.arg("feed")
        .args(engine_args(model))
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
    let mut c = tarjuman();
    c.args(["worker", "--queue", &nats.url(), "--ack-wait", "2"])
        .args(engine_args(model))
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
    assert_eq!(
        stats["pairs"][0]["engine"],
        "ct2:aren-transliteration:beam1"
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
