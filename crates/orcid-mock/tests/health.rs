//! `GET /healthz` (liveness) and `GET /readyz` (readiness) of the mock.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use orcid_mock::{MockConfig, MockServer};

/// `GET path`: status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[test]
fn healthz_and_readyz_answer() {
    let server = MockServer::start(MockConfig::default()).unwrap();
    assert_eq!(get(server.addr(), "/healthz"), (200, "ok".to_string()));
    assert_eq!(get(server.addr(), "/readyz"), (200, "ready".to_string()));
}

#[test]
fn not_ready_when_the_state_file_directory_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("state");
    std::fs::create_dir(&sub).unwrap();
    let config = MockConfig {
        state_file: Some(sub.join("mock.json")),
        ..MockConfig::default()
    };
    let server = MockServer::start(config).unwrap();
    assert_eq!(get(server.addr(), "/readyz").0, 200);
    std::fs::remove_dir_all(&sub).unwrap();
    let (status, body) = get(server.addr(), "/readyz");
    assert_eq!(status, 503, "{body}");
    // Liveness does not depend on the state file.
    assert_eq!(get(server.addr(), "/healthz").0, 200);
}
