//! The connect page reads the connected researcher's name from their
//! record in the API version of its client configuration (v3.0 unless
//! configured otherwise): against a canned ORCID that records each request.

use orcid_client::{ClientConfig, Environment};
use orcid_connect::{ConnectApp, ConnectConfig, ConnectEvent, ConnectServer};
use orcid_model::Version;
use orcid_test_kit::http::{agent, query, Canned, Recorded, TestServer};
use std::sync::{Arc, Mutex};

const ORCID: &str = "0000-0002-1825-0097";
const CLIENT_ID: &str = "APP-TESTCLIENT0001";

fn personal_details(credit: &str) -> String {
    format!(
        r#"<personal-details:personal-details xmlns:personal-details="http://www.orcid.org/ns/personal-details" xmlns:common="http://www.orcid.org/ns/common" path="/{ORCID}/personal-details">
  <personal-details:name visibility="public" path="{ORCID}">
    <personal-details:given-names>Josiah</personal-details:given-names>
    <personal-details:family-name>Carberry</personal-details:family-name>
    <personal-details:credit-name>{credit}</personal-details:credit-name>
  </personal-details:name>
</personal-details:personal-details>"#
    )
}

/// A canned ORCID: the token endpoint, and the personal details in
/// `/v2.1/` and `/v3.0/` (each with its own credit name, so that the page
/// shows which one it read); `details` false answers 403 there.
fn orcid(details: bool) -> TestServer {
    TestServer::start(move |r: &Recorded, _| {
        match (r.method.as_str(), r.path()) {
        ("POST", "/oauth/token") => Canned::new(200).json(&format!(
            r#"{{"access_token":"a3f7e2b0-1111-2222-3333-444455556666","token_type":"bearer",
                "refresh_token":"b3f7e2b0-1111-2222-3333-444455556666","expires_in":3600,
                "scope":"/read-limited /activities/update","name":"Name From Token","orcid":"{ORCID}"}}"#
        )),
        ("GET", p) if details && p == format!("/v3.0/{ORCID}/personal-details") => {
            Canned::new(200).xml(&personal_details("J. Carberry (v3.0)"))
        }
        ("GET", p) if details && p == format!("/v2.1/{ORCID}/personal-details") => {
            Canned::new(200).xml(&personal_details("J. Carberry (v2.1)"))
        }
        _ => Canned::new(403).json(
            r#"{"response-code":403,"developer-message":"no","user-message":"no","error-code":9017,"more-info":"x"}"#,
        ),
    }
    })
}

/// Connects through a page in front of `orcid` with API `version` (none:
/// the default); the page's answer and the events.
fn connect(orcid: &TestServer, version: Option<Version>) -> (String, Vec<ConnectEvent>) {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let public_url = format!("http://{}", listener.local_addr().unwrap());
    let mut client = ClientConfig::new(
        CLIENT_ID,
        "test-secret",
        "",
        Environment::custom(&orcid.base),
    );
    if let Some(v) = version {
        client = client.with_api_version(v);
    }
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let config = ConnectConfig::new(client, public_url, dir.path().join("store.sqlite3"))
        .on_event(move |e| seen.lock().unwrap().push(e.clone()));
    let app = ConnectServer::start(listener, ConnectApp::new(config).unwrap()).unwrap();

    let start = agent()
        .get(&format!("{}/connect/start", app.url()))
        .call()
        .unwrap();
    assert_eq!(start.status().as_u16(), 302);
    let location = start.headers()["location"].to_str().unwrap().to_string();
    let cookie = start.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let state = query(&location).remove("state").expect("a state");
    let mut back = agent()
        .get(&format!(
            "{}/connect/callback?code=Q1w2E3&state={state}",
            app.url()
        ))
        .header("Cookie", &cookie)
        .call()
        .unwrap();
    assert_eq!(back.status().as_u16(), 200);
    let body = back.body_mut().read_to_string().unwrap();
    let events = events.lock().unwrap().clone();
    (body, events)
}

fn paths(orcid: &TestServer) -> Vec<String> {
    orcid
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect()
}

fn connected(events: &[ConnectEvent]) -> &orcid_connect::Connected {
    match events {
        [ConnectEvent::Connected(c)] => c,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_researcher_is_read_with_api_v3_0_by_default() {
    let orcid = orcid(true);
    let (page, events) = connect(&orcid, None);
    assert_eq!(
        paths(&orcid),
        [
            "POST /oauth/token".to_string(),
            format!("GET /v3.0/{ORCID}/personal-details"),
        ]
    );
    let read = &orcid.requests()[1];
    assert_eq!(
        read.header("authorization"),
        Some("Bearer a3f7e2b0-1111-2222-3333-444455556666")
    );
    assert!(page.contains("J. Carberry (v3.0)"), "{page}");
    let c = connected(&events);
    assert_eq!(c.name.as_deref(), Some("J. Carberry (v3.0)"));
    assert!(c.name_from_record);
}

#[test]
fn the_configured_api_version_is_the_one_read() {
    let orcid = orcid(true);
    let (page, events) = connect(&orcid, Some(Version::V2_1));
    assert_eq!(
        paths(&orcid)[1..],
        [format!("GET /v2.1/{ORCID}/personal-details")]
    );
    assert!(page.contains("J. Carberry (v2.1)"), "{page}");
    assert_eq!(
        connected(&events).name.as_deref(),
        Some("J. Carberry (v2.1)")
    );
}

#[test]
fn an_unreadable_record_falls_back_to_the_token_name() {
    let orcid = orcid(false);
    let (page, events) = connect(&orcid, None);
    assert_eq!(paths(&orcid).len(), 2, "{:?}", paths(&orcid));
    assert!(page.contains("Your ORCID iD is connected"), "{page}");
    assert!(page.contains("Name From Token"), "{page}");
    let c = connected(&events);
    assert_eq!(c.name.as_deref(), Some("Name From Token"));
    assert!(!c.name_from_record);
}
