//! Fuzzes the mock's request handling in-process: the bytes are read as an
//! HTTP/1.1 request (request line, headers, body) and handed to
//! `orcid_mock::router`, as the serve loop would after hyper parsed them.
//!
//! Input: `METHOD TARGET HTTP/1.1\r\n`, header lines, `\r\n`, then the body;
//! inputs that are not such a request head are skipped.
//!
//! Checks: no handler panics, and every answer's body can be read whole.
//! (Statuses are not checked: the fuzzer may inject faults of any status
//! through `/mock/faults`.)
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request};
use libfuzzer_sys::fuzz_target;
use orcid_mock::{MockConfig, MockState};

fn state() -> &'static (tokio::runtime::Runtime, MockState) {
    static STATE: OnceLock<(tokio::runtime::Runtime, MockState)> = OnceLock::new();
    STATE.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut config = MockConfig::default();
        config.auto_approve = true;
        config.rate_limit.enabled = false;
        let state = MockState::new(config).unwrap();
        state.set_default_base_url("http://127.0.0.1:8090");
        (rt, state)
    })
}

/// The request the bytes spell, if they spell one.
fn request(data: &[u8]) -> Option<Request<Body>> {
    let split = data.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&data[..split]).ok()?;
    let body = data[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = Method::from_bytes(first.next()?.as_bytes()).ok()?;
    let target = first.next()?;
    let mut builder = Request::builder().method(method).uri(target);
    for line in lines {
        let (name, value) = line.split_once(':')?;
        builder = builder.header(name.trim(), value.trim());
    }
    builder.body(Body::from(body)).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(req) = request(data) else {
        return;
    };
    let (rt, state) = state();
    let mut app = orcid_mock::router(state.clone());
    let resp = rt.block_on(async {
        let resp = tower_service::Service::call(&mut app, req).await.unwrap();
        axum::body::to_bytes(resp.into_body(), 64 << 20).await
    });
    assert!(resp.is_ok(), "the answer's body could not be read");
});
