//! Every error path of the client, typed: ORCID's error bodies, status codes and transport faults.

mod common;

use std::time::{Duration, Instant};

use common::*;
use orcid_client::{
    ClientConfig, Environment, ErrorDetail, ErrorKind, OrcidClient, RateLimit, RetryPolicy,
    SecretString, Section,
};
use orcid_model::scalar::PutCode;
use orcid_model::ItemSection;

fn token() -> SecretString {
    SecretString::from(ACCESS_TOKEN)
}

#[test]
fn oauth_json_error_on_the_api_is_reauthorize_and_hides_the_token() {
    let server = TestServer::always(
        Canned::new(401)
            .header(
                "WWW-Authenticate",
                r#"Bearer realm="ORCID T2 API", error="invalid_token""#,
            )
            .json(&format!(
                r#"{{"error":"invalid_token","error_description":"Invalid access token: {ACCESS_TOKEN}"}}"#
            )),
    );
    let t = token();
    let err = server
        .client()
        .member(&t)
        .read_section(&orcid(), Section::List(ItemSection::Work))
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 401);
    assert_eq!(api.kind, ErrorKind::Reauthorize);
    assert_eq!(api.oauth_error(), Some("invalid_token"));
    let shown = format!("{err} | {err:?}");
    assert!(!shown.contains(ACCESS_TOKEN), "{shown}");
    assert!(!shown.contains("8a7f2c3e"), "{shown}");
    assert!(
        shown.contains("Invalid access token: [REDACTED]"),
        "{shown}"
    );
}

#[test]
fn orcid_json_error_parses_with_classification() {
    let server = TestServer::always(Canned::new(409).body(
        "application/vnd.orcid+json",
        r#"{"response-code":409,"developer-message":"409 Conflict: You have already added this activity (matched by external identifiers), please see element with put-code 4321. If you are trying to edit the item, please use PUT instead of POST.","user-message":"There was an error when updating the record.","error-code":9021,"more-info":"https://members.orcid.org/api/resources/troubleshooting"}"#,
    ));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .add(&orcid(), &work_doc("T", "10.5555/1", None))
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 409);
    assert_eq!(api.kind, ErrorKind::Conflict);
    assert_eq!(api.error_code(), Some(9021));
    assert_eq!(api.conflicting_put_code(), Some(PutCode(4321)));
    match &api.detail {
        ErrorDetail::Orcid {
            response_code,
            user_message,
            more_info,
            ..
        } => {
            assert_eq!(*response_code, Some(409));
            assert!(user_message.is_some() && more_info.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn orcid_xml_error_parses_with_classification() {
    let cases = [
        (404, 9016, ErrorKind::NotFound),
        (401, 9017, ErrorKind::Reauthorize),
        (403, 9038, ErrorKind::Reauthorize),
        (400, 9019, ErrorKind::FixPayload),
        (409, 9018, ErrorKind::RecordUnavailable),
        (500, 9008, ErrorKind::Server),
        (403, 9013, ErrorKind::Forbidden),
    ];
    for (status, code, kind) in cases {
        let body = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<error:error xmlns:error="http://www.orcid.org/ns/error"><error:response-code>{status}</error:response-code><error:developer-message>{status} Something: with &lt;details&gt;</error:developer-message><error:user-message>Oops.</error:user-message><error:error-code>{code}</error:error-code><error:more-info>https://members.orcid.org/api/resources/troubleshooting</error:more-info></error:error>"#
        );
        let server = TestServer::always(Canned::new(status).xml(&body));
        let t = token();
        let err = server
            .client()
            .member(&t)
            .read_item(&orcid(), ItemSection::Work, PutCode(1))
            .unwrap_err();
        let api = err.api().unwrap();
        assert_eq!(api.status, status);
        assert_eq!(api.error_code(), Some(code));
        assert_eq!(api.kind, kind, "{code}");
        assert_eq!(err.kind(), kind);
        assert_eq!(
            api.message(),
            Some(format!("{status} Something: with <details>").as_str())
        );
    }
}

#[test]
fn plain_text_error_is_kept_short() {
    let server = TestServer::always(Canned::new(400).body("text/plain", &"x".repeat(5000)));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .read_section(&orcid(), Section::List(ItemSection::Work))
        .unwrap_err();
    match &err.api().unwrap().detail {
        ErrorDetail::Other { body, content_type } => {
            assert_eq!(body.len(), 512);
            assert_eq!(content_type.as_deref(), Some("text/plain"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::FixPayload);
}

#[test]
fn get_put_delete_are_retried_through_503s_honouring_retry_after() {
    // Two 503s with Retry-After: 1 (capped at 50 ms by the test policy), then success.
    let stored = work_xml("T", "10.5555/1", Some(5));
    let server = TestServer::start(move |r, i| {
        if i % 3 < 2 {
            Canned::new(503).header("Retry-After", "1")
        } else if r.method == "DELETE" {
            Canned::new(204)
        } else {
            Canned::new(200).xml(&stored)
        }
    });
    let client = server.client();
    let t = token();
    let api = client.member(&t);
    let start = Instant::now();
    let w = api.read_work(&orcid(), PutCode(5)).unwrap();
    assert_eq!(w.put_code, Some(PutCode(5)));
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(900), "{elapsed:?}");
    api.update(&orcid(), PutCode(5), &work_doc("T", "10.5555/1", Some(5)))
        .unwrap();
    api.delete(&orcid(), ItemSection::Work, PutCode(5)).unwrap();
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        ["GET", "GET", "GET", "PUT", "PUT", "PUT", "DELETE", "DELETE", "DELETE"]
    );
}

#[test]
fn retries_give_up_after_the_policy() {
    let server = TestServer::always(Canned::new(429).header("Retry-After", "0"));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .read_section(&orcid(), Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Retryable);
    assert_eq!(err.api().unwrap().retry_after, Some(Duration::ZERO));
    assert_eq!(server.count(), 4); // 1 + max_retries 3
}

#[test]
fn post_is_not_retried() {
    let server = TestServer::always(Canned::new(503).header("Retry-After", "0"));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .add(&orcid(), &work_doc("T", "10.5555/1", None))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Retryable);
    assert_eq!(server.count(), 1);
}

#[test]
fn connection_faults_are_retried_for_get_and_reported_as_transport() {
    // A port with nothing listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cfg = ClientConfig::new(
        "APP-1",
        CLIENT_SECRET,
        "https://x.example/cb",
        Environment::custom(format!("http://127.0.0.1:{port}")),
    )
    .with_rate_limit(None)
    .with_retry(RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(40),
        max_backoff: Duration::from_millis(40),
        max_retry_after: Duration::ZERO,
    });
    let client = OrcidClient::new(cfg).unwrap();
    let t = token();
    let start = Instant::now();
    let err = client
        .member(&t)
        .read_section(&orcid(), Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Retryable);
    assert!(matches!(err, orcid_client::Error::Transport(_)), "{err:?}");
    // Two backoffs of 20..40 ms happened.
    assert!(start.elapsed() >= Duration::from_millis(40));
}

#[test]
fn the_rate_limiter_delays_a_burst() {
    let server = TestServer::always(Canned::new(204));
    let client = OrcidClient::new(server.config().with_rate_limit(Some(RateLimit {
        per_second: 20.0,
        burst: 4,
    })))
    .unwrap();
    let t = token();
    let api = client.member(&t);
    let start = Instant::now();
    for i in 0..10 {
        api.delete(&orcid(), ItemSection::Keyword, PutCode(i))
            .unwrap();
    }
    let elapsed = start.elapsed();
    // 4 free, 6 more at 20/s: at least ~300 ms.
    assert!(elapsed >= Duration::from_millis(280), "{elapsed:?}");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 10);
    // The first four went out at once, the next six were paced.
    assert!(reqs[3].at.duration_since(reqs[0].at) < reqs[9].at.duration_since(reqs[3].at));
    assert_eq!(RateLimit::default(), RateLimit::ORCID);
    assert_eq!(
        (RateLimit::ORCID.per_second, RateLimit::ORCID.burst),
        (24.0, 40)
    );
}

#[test]
fn debug_of_config_token_and_error_never_shows_secrets() {
    let server = TestServer::always(Canned::new(200).json(TOKEN_JSON));
    let client = server.client();
    let token = client.exchange_code("Q70Y3A").unwrap();
    let t = token.access_token.clone();
    let api = client.member(&t);
    let shown = format!(
        "{:?} {:?} {:?} {:?} {:#?}",
        client.config(),
        client,
        token,
        api,
        token
    );
    for secret in [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("REDACTED"));

    // An error whose body echoes every secret.
    let echo = format!(
        r#"{{"error":"invalid_request","error_description":"got {CLIENT_SECRET} {REFRESH_TOKEN} {ACCESS_TOKEN}"}}"#
    );
    let server = TestServer::always(Canned::new(400).json(&echo));
    let err = server
        .client()
        .refresh(
            &SecretString::from(REFRESH_TOKEN),
            &[],
            Some(&SecretString::from(ACCESS_TOKEN)),
        )
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    for secret in [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn every_error_code_of_the_table_has_a_kind() {
    let table = [
        (9001, ErrorKind::FixPayload),
        (9002, ErrorKind::Reauthorize),
        (9004, ErrorKind::Reauthorize),
        (9005, ErrorKind::Reauthorize),
        (9006, ErrorKind::FixPayload),
        (9007, ErrorKind::RecordUnavailable),
        (9008, ErrorKind::Server),
        (9009, ErrorKind::Forbidden),
        (9010, ErrorKind::Forbidden),
        (9011, ErrorKind::NotFound),
        (9012, ErrorKind::FixPayload),
        (9013, ErrorKind::Forbidden),
        (9014, ErrorKind::Forbidden),
        (9015, ErrorKind::Reauthorize),
        (9016, ErrorKind::NotFound),
        (9017, ErrorKind::Reauthorize),
        (9018, ErrorKind::RecordUnavailable),
        (9019, ErrorKind::FixPayload),
        (9020, ErrorKind::FixPayload),
        (9021, ErrorKind::Conflict),
        (9022, ErrorKind::FixPayload),
        (9023, ErrorKind::FixPayload),
        (9024, ErrorKind::FixPayload),
        (9025, ErrorKind::Conflict),
        (9026, ErrorKind::FixPayload),
        (9029, ErrorKind::NotFound),
        (9030, ErrorKind::Conflict),
        (9031, ErrorKind::FixPayload),
        (9032, ErrorKind::Forbidden),
        (9034, ErrorKind::NotFound),
        (9035, ErrorKind::Forbidden),
        (9036, ErrorKind::RecordUnavailable),
        (9037, ErrorKind::FixPayload),
        (9038, ErrorKind::Reauthorize),
        (9039, ErrorKind::Forbidden),
        (9040, ErrorKind::Conflict),
        (9041, ErrorKind::NotFound),
        (9042, ErrorKind::FixPayload),
        (9044, ErrorKind::RecordUnavailable),
        (9045, ErrorKind::FixPayload),
        (9047, ErrorKind::FixPayload),
        (9048, ErrorKind::Conflict),
        (9049, ErrorKind::FixPayload),
        (9050, ErrorKind::FixPayload),
        (9051, ErrorKind::FixPayload),
        (9052, ErrorKind::Reauthorize),
        (9053, ErrorKind::FixPayload),
        (9054, ErrorKind::FixPayload),
        (9055, ErrorKind::FixPayload),
    ];
    for (code, kind) in table {
        assert_eq!(ErrorKind::for_orcid_code(code), Some(kind), "{code}");
    }
    // Every code orcid-validate knows is classified too.
    for c in orcid_validate::orcid_codes::ORCID_CODES {
        assert!(
            ErrorKind::for_orcid_code(i64::from(c.code)).is_some(),
            "{} unclassified",
            c.code
        );
    }
    // 503 wins over the body's code.
    let e = orcid_client::ApiError::new(
        503,
        ErrorDetail::Orcid {
            response_code: Some(503),
            developer_message: None,
            user_message: None,
            error_code: Some(9008),
            more_info: None,
        },
    );
    assert_eq!(e.kind, ErrorKind::Retryable);
}

#[test]
fn deprecated_record_redirect_is_not_followed() {
    let server = TestServer::always(
        Canned::new(301)
            .header("Location", "https://api.orcid.org/v2.1/0000-0001-5109-3700/record")
            .xml(r#"<error:error xmlns:error="http://www.orcid.org/ns/error"><error:response-code>301</error:response-code><error:developer-message>301 Moved Permanently: This account is deprecated. Please refer to account: https://orcid.org/0000-0001-5109-3700.</error:developer-message><error:error-code>9007</error:error-code></error:error>"#),
    );
    let t = token();
    let err = server
        .client()
        .member(&t)
        .read_record(&orcid())
        .unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 301);
    assert_eq!(api.kind, ErrorKind::RecordUnavailable);
    assert_eq!(
        api.location.as_deref(),
        Some("https://api.orcid.org/v2.1/0000-0001-5109-3700/record")
    );
    assert_eq!(server.count(), 1);
}
