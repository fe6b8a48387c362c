//! Rate-limit emulation, injected faults and the SQLite state file.

mod common;

use std::time::{Duration, Instant};

use common::*;
use orcid_mock::{FaultConfig, MockServer, DEMO_ORCID};

#[test]
fn rate_limit_503_after_the_burst() {
    let mut cfg = config();
    // ORCID's burst of 40; a slow refill keeps the test independent of the
    // machine's speed (ORCID refills 24/s).
    cfg.rate_limit.enabled = true;
    cfg.rate_limit.per_second = 0.5;
    assert_eq!(cfg.rate_limit.burst, 40);
    let server = MockServer::start(cfg).unwrap();
    let api = Api::new(&server, &demo_token(&server)); // 2 requests used
    let statuses: Vec<u16> = (0..45)
        .map(|_| api.get(&format!("{DEMO_ORCID}/works"), XML).status)
        .collect();
    assert!(statuses[..38].iter().all(|s| *s == 200), "{statuses:?}");
    let limited = statuses.iter().filter(|s| **s == 503).count();
    assert!(limited >= 4, "{statuses:?}");
    // /mock/* is never limited; the limiter can be switched off at run time.
    let r = read(
        agent()
            .post(&format!("{}/mock/rate-limit", server.base_url()))
            .header("Content-Type", "application/json")
            .send(r#"{"enabled": false}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);
}

#[test]
fn injected_failures_drops_and_latency() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let faults = format!("{}/mock/faults", server.base_url());
    let r = read(
        agent()
            .post(&faults)
            .header("Content-Type", "application/json")
            .send(r#"{"fail_next": 2}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 503);
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 503);
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);

    server.state().set_faults(FaultConfig {
        fail_next: 1,
        fail_status: Some(500),
        ..FaultConfig::default()
    });
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 500);

    // A dropped connection is an I/O error for the client, then all is well.
    server.state().set_faults(FaultConfig {
        drop_next: 1,
        ..FaultConfig::default()
    });
    let dropped = agent()
        .get(&format!("{}/v2.1/{DEMO_ORCID}/works", server.base_url()))
        .header("Authorization", &format!("Bearer {}", api.token))
        .call();
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);

    server.state().set_faults(FaultConfig {
        latency_ms: 150,
        ..FaultConfig::default()
    });
    let t = Instant::now();
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    let r = read(agent().delete(&faults).call());
    assert_eq!(r.json()["latency_ms"], 0);
}

#[test]
fn state_file_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config();
    cfg.state_file = Some(dir.path().join("mock.sqlite"));
    let server = MockServer::start(cfg.clone()).unwrap();
    let token = demo_token(&server);
    let api = Api::new(&server, &token);
    let pc = api
        .post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.7/kept"))
        .put_code();
    let minted = code_for(
        server.base_url(),
        orcid_mock::DEMO_CLIENT_ID,
        "/authenticate",
        "&show_login=false&given_names=Kept",
    );
    let minted = exchange(server.base_url(), orcid_mock::DEMO_CLIENT_ID, &minted).json()["orcid"]
        .as_str()
        .unwrap()
        .to_string();
    server.shutdown();

    let server = MockServer::start(cfg).unwrap();
    let api = Api::new(&server, &token);
    let g = api.get(&format!("{DEMO_ORCID}/work/{pc}"), JSON);
    assert_eq!(g.status, 200, "{}", g.body);
    assert_eq!(g.json()["put-code"], pc);
    assert_eq!(server.state().inbox(DEMO_ORCID).len(), 1);
    assert!(server.state().researcher(&minted).is_some());
    // New put-codes continue after the old ones.
    let pc2 = api
        .post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.7/new"))
        .put_code();
    assert!(pc2 > pc);
}

#[cfg(unix)]
#[test]
fn the_state_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mock.sqlite");
    let mut cfg = config();
    cfg.state_file = Some(path.clone());
    let server = MockServer::start(cfg).unwrap();
    // A token is written through to the file.
    let _token = demo_token(&server);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600, "the state file holds every token");
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut side = path.clone().into_os_string();
        side.push(suffix);
        let side = std::path::PathBuf::from(side);
        if side.exists() {
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    }
    server.shutdown();
}

/// A client that sends half a request line and then nothing is cut off
/// after the (configured) header-read limit.
#[test]
fn half_a_request_is_cut_off() {
    use std::io::{Read, Write};
    let mut cfg = config();
    cfg.timeouts.header_read_ms = 200;
    let server = MockServer::start(cfg).unwrap();
    let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
    // A generous bound: the test fails, rather than hangs, if the mock
    // keeps the connection open.
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET /v2.1/0000-0002").unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)
        .expect("the mock closes the connection");
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"));
    // The defaults.
    let t: orcid_web::Timeouts = orcid_mock::MockConfig::default().timeouts.into();
    assert_eq!(t, orcid_web::Timeouts::default());
    server.shutdown();
}
