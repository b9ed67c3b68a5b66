//! `tarjuman serve --queue`: the service hands its engine batches to a `tarjuman worker`
//! through a real `nats-server -js` on 127.0.0.1 and answers what the offline `translate` makes.

mod serve_common;

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serve_common::common;
use serve_common::*;

struct Killed(Vec<Child>);

impl Drop for Killed {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn serve_with_the_queue_answers_what_translate_makes() {
    let Some(model) = common::aren_model() else {
        return;
    };
    if !common::has_ct2() {
        return;
    }
    if !Command::new("nats-server")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(!common::strict(), "nats-server is required");
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = tempfile::tempdir().unwrap();
    let mut procs = Killed(Vec::new());
    procs.0.push(
        Command::new("nats-server")
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let t0 = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t0.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("nats://127.0.0.1:{port}");
    let m = model.to_str().unwrap();
    let engine = [
        "--model",
        m,
        "--from",
        "ar",
        "--to",
        "en",
        "--beam-size",
        "1",
    ];
    procs.0.push(
        common::tarjuman()
            .args(["worker", "--queue", &url])
            .args(engine)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut args = vec!["--queue", url.as_str()];
    args.extend(engine);
    let server = Server::start(&args);
    let names = NAMES.join(" ");
    let (status, v) = post_form(
        &server.url("/translate"),
        &[("q", &names), ("source", "ar"), ("target", "en")],
    );
    assert_eq!(status, 200, "{v}");
    let mut offline_args = vec!["translate"];
    offline_args.extend(engine);
    let expected = offline(&offline_args, &names);
    assert_eq!(v["translatedText"].as_str().unwrap(), expected.trim_end());
    assert!(v["translatedText"].as_str().unwrap().is_ascii(), "{v}");
}
