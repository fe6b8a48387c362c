//! The log of `orcid mock serve`: one line per request on standard error
//! (method, path without the query, status, duration), JSON on request,
//! and `RUST_LOG` filtering.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Starts `orcid mock serve` on a free port with `env` and `args`; its
/// child and base address (read from the banner on standard output).
fn start_mock(env: &[(&str, &str)], args: &[&str]) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    cmd.args(args)
        .args(["mock", "serve", "--addr", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .expect("the banner names the address")
        .trim()
        .to_string();
    // Keep draining stdout so the server never blocks on it.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    (child, addr)
}

/// `GET path` and the status line of the answer.
fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or("").to_string()
}

/// Stops the server and returns what it wrote on standard error.
fn stop(mut child: Child) -> String {
    // The log line is written before the answer's last byte reaches us at
    // the latest a moment later: give it that moment.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    err
}

const SECRET_QUERY: &str = "/mock/researchers?access_token=s3cr3t-t0ken";

#[test]
fn one_log_line_per_request_without_the_query() {
    let (child, addr) = start_mock(&[], &[]);
    assert!(get(&addr, SECRET_QUERY).contains(" 200"));
    let err = stop(child);
    let line = err
        .lines()
        .find(|l| l.contains("path=/mock/researchers"))
        .unwrap_or_else(|| panic!("no request line in:\n{err}"));
    assert!(line.contains("INFO"), "{line}");
    assert!(line.contains("method=GET"), "{line}");
    assert!(line.contains("status=200"), "{line}");
    assert!(line.contains("duration_ms="), "{line}");
    assert!(!err.contains("s3cr3t"), "a query secret in the log:\n{err}");
}

#[test]
fn json_log_lines() {
    let (child, addr) = start_mock(&[], &["--log-format", "json"]);
    get(&addr, "/nope?code=abc123");
    let err = stop(child);
    let event: serde_json::Value = err
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["path"] == "/nope")
        .unwrap_or_else(|| panic!("no JSON request line in:\n{err}"));
    assert_eq!(event["level"], "INFO");
    assert_eq!(event["method"], "GET");
    assert_eq!(event["status"], 404);
    assert!(event["duration_ms"].is_number(), "{event}");
    assert!(!err.contains("abc123"), "{err}");
}

#[test]
fn rust_log_off_and_quiet_silence_the_request_log() {
    for (env, args) in [
        (&[("RUST_LOG", "off")][..], &[][..]),
        (&[][..], &["-q"][..]),
        // RUST_LOG wins over -v.
        (&[("RUST_LOG", "warn")][..], &["-v"][..]),
    ] {
        let (child, addr) = start_mock(env, args);
        assert!(get(&addr, "/mock/researchers").contains(" 200"));
        let err = stop(child);
        assert!(
            !err.contains("/mock/researchers"),
            "{env:?} {args:?} logged:\n{err}"
        );
    }
}
