//! The identifier-type list: parsing ORCID's `/v2.1/identifiers` answer
//! (JSON and XML) and fetching it over plain HTTP from a local server on
//! 127.0.0.1 (no network, no `refresh` feature needed).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use orcid_validate::rules::identifiers::{
    fetch_identifier_types, identifier_types, identifiers_url, parse_identifiers, parse_list_file,
    render_identifier_file, IdentifierListError, IDENTIFIER_TYPES_FILE, SEEDED_SOURCE,
};

const JSON_BODY: &str = r#"[
  {"name":"doi","description":"Digital object identifier","resolutionPrefix":"https://doi.org/","deprecated":false},
  {"name":"agr","description":"Agricola","resolutionPrefix":null,"deprecated":false},
  {"name":"grant_number","description":"Grant number","resolutionPrefix":null,"deprecated":false},
  {"name":"doi","description":"duplicate","resolutionPrefix":null,"deprecated":false}
]"#;

/// Serves one request with `response` (raw HTTP) and sends back the
/// request it received.
fn serve_once(response: Vec<u8>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 1024];
        while !req.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            req.extend_from_slice(&buf[..n]);
        }
        tx.send(String::from_utf8_lossy(&req).into_owned()).unwrap();
        s.write_all(&response).unwrap();
    });
    (base, rx)
}

fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn parses_the_json_list() {
    assert_eq!(
        parse_identifiers(JSON_BODY).unwrap(),
        ["agr", "doi", "grant_number"]
    );
}

#[test]
fn parses_the_xml_list() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<identifiers>
  <identifier><name>pmid</name><description>PubMed &amp; co</description></identifier>
  <identifier><name> arxiv </name></identifier>
</identifiers>"#;
    assert_eq!(parse_identifiers(xml).unwrap(), ["arxiv", "pmid"]);
}

#[test]
fn refuses_bad_bodies() {
    assert!(matches!(
        parse_identifiers("[]"),
        Err(IdentifierListError::Empty)
    ));
    assert!(matches!(
        parse_identifiers("{"),
        Err(IdentifierListError::Parse(_))
    ));
    assert!(matches!(
        parse_identifiers("[{\"x\":1}]"),
        Err(IdentifierListError::Parse(_))
    ));
    assert!(matches!(
        parse_identifiers("<identifiers><identifier>"),
        Err(IdentifierListError::Parse(_))
    ));
}

#[test]
fn fetches_over_plain_http() {
    let (base, rx) = serve_once(ok(JSON_BODY));
    let types = fetch_identifier_types(&format!("{base}/")).unwrap();
    assert_eq!(types, ["agr", "doi", "grant_number"]);
    let req = rx.recv().unwrap();
    assert!(
        req.starts_with("GET /v2.1/identifiers HTTP/1.1\r\n"),
        "{req}"
    );
    assert!(
        req.to_ascii_lowercase()
            .contains("\r\naccept: application/json\r\n"),
        "{req}"
    );
}

#[test]
fn fetches_a_chunked_body() {
    let body = JSON_BODY.as_bytes();
    let (a, b) = body.split_at(40);
    let mut resp = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for part in [a, b] {
        resp.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        resp.extend_from_slice(part);
        resp.extend_from_slice(b"\r\n");
    }
    resp.extend_from_slice(b"0\r\n\r\n");
    let (base, _rx) = serve_once(resp);
    assert_eq!(
        fetch_identifier_types(&base).unwrap(),
        ["agr", "doi", "grant_number"]
    );
}

#[test]
fn reports_http_errors() {
    let (base, _rx) =
        serve_once(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".to_vec());
    match fetch_identifier_types(&base) {
        Err(IdentifierListError::Status { status, url }) => {
            assert_eq!(status, 503);
            assert_eq!(url, identifiers_url(&base));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        fetch_identifier_types("ftp://example.org"),
        Err(IdentifierListError::UnsupportedUrl(_))
    ));
}

#[cfg(not(feature = "refresh"))]
#[test]
fn https_needs_the_refresh_feature() {
    assert!(matches!(
        fetch_identifier_types("https://pub.orcid.org"),
        Err(IdentifierListError::UnsupportedUrl(_))
    ));
}

#[test]
fn rendered_file_round_trips_and_the_shipped_file_is_canonical() {
    let types = vec!["zbl".to_string(), "doi".to_string(), "doi".to_string()];
    let text = render_identifier_file(&types, "test");
    assert!(text.starts_with("# ORCID's external-identifier types"));
    assert_eq!(parse_list_file(&text), ["doi", "zbl"]);
    // The shipped list: sorted, unique, one API name a line.
    let shipped = parse_list_file(IDENTIFIER_TYPES_FILE);
    assert_eq!(shipped, identifier_types());
    assert!(shipped.len() >= 50);
    for t in &shipped {
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
            "{t}"
        );
    }
    let shipped: Vec<String> = shipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        render_identifier_file(&shipped, SEEDED_SOURCE),
        IDENTIFIER_TYPES_FILE,
        "data/identifier-types.txt is not in canonical form"
    );
}
