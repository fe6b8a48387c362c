//! `cargo xtask identifiers`: refreshes
//! `crates/orcid-validate/data/identifier-types.txt` from ORCID's public
//! endpoint `GET {base}/v2.1/identifiers` (`Accept: application/json`).
//!
//! The base URL is `--base-url`, else `$ORCID_PUB_BASE_URL`, else
//! `https://pub.orcid.org`. The answer (a JSON array of objects with a
//! `name`, or the XML form) is fetched with ureq (`http://` and `https://`),
//! parsed, and written back sorted under the list file's header. The
//! validator only reads the file (`orcid_validate::rules::identifiers`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use orcid_validate::rules::identifiers::parse_list_file;

/// ORCID's public API base URL.
const DEFAULT_PUB_BASE_URL: &str = "https://pub.orcid.org";

/// Environment variable that overrides [`DEFAULT_PUB_BASE_URL`].
const PUB_BASE_URL_ENV: &str = "ORCID_PUB_BASE_URL";

/// The largest answer read.
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// The list file inside the workspace.
pub fn data_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("crates/orcid-validate/data/identifier-types.txt")
}

/// Errors of fetching or reading ORCID's identifier list. URLs in them
/// are shown by [`redact_url`].
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The body is neither the JSON nor the XML form.
    #[error("cannot read the identifier list: {0}")]
    Parse(String),
    /// The list is empty.
    #[error("the identifier list is empty")]
    Empty,
    /// Neither an `http://` nor an `https://` URL.
    #[error("unsupported URL `{0}`: use http:// or https://")]
    UnsupportedUrl(String),
    /// Network or protocol failure.
    #[error("GET {url}: {message}")]
    Http {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A status other than 200.
    #[error("GET {url}: HTTP status {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
}

/// The URL of the identifier list under `base_url`.
pub fn identifiers_url(base_url: &str) -> String {
    format!("{}/v2.1/identifiers", base_url.trim_end_matches('/'))
}

/// `url` without secrets, for messages and the list file's header:
/// credentials (`user:password@`) and the query are replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_string(),
    };
    let path = match tail.find(['?', '#']) {
        Some(i) if tail[i..].starts_with('?') => format!("{}?***", &tail[..i]),
        Some(i) => tail[..i].to_string(),
        None => tail.to_string(),
    };
    format!("{scheme}{host}{path}")
}

/// Fetches and parses `GET {base_url}/v2.1/identifiers` with
/// `Accept: application/json`: the sorted, unique names.
pub fn fetch_identifier_types(base_url: &str) -> Result<Vec<String>, ListError> {
    let url = identifiers_url(base_url);
    let shown = redact_url(&url);
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ListError::UnsupportedUrl(shown));
    }
    let err = |e: ureq::Error| ListError::Http {
        url: shown.clone(),
        message: e.to_string().replace(&url, &shown),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .timeout_connect(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .user_agent(concat!(
            "orcid-toolkit-xtask/",
            env!("CARGO_PKG_VERSION"),
            " (cargo xtask identifiers)"
        ))
        .build()
        .into();
    let mut response = agent
        .get(&url)
        .header("Accept", "application/json")
        .call()
        .map_err(err)?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(ListError::Status { url: shown, status });
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(err)?;
    parse_identifiers(&body)
}

/// Reads the identifier list ORCID's `/v2.1/identifiers` returns: a JSON
/// array of objects with a `name` field (`Accept: application/json`), or
/// the XML form `<identifiers><identifier><name>…</name></identifier>…`.
/// Returns the names, trimmed, sorted and deduplicated.
pub fn parse_identifiers(body: &str) -> Result<Vec<String>, ListError> {
    let text = body.trim_start_matches('\u{feff}').trim_start();
    let names = if text.starts_with('<') {
        parse_xml_list(text)?
    } else {
        parse_json_list(text)?
    };
    let set: BTreeSet<String> = names
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if set.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(set.into_iter().collect())
}

fn parse_json_list(text: &str) -> Result<Vec<String>, ListError> {
    use serde_json::Value;
    let v: Value = serde_json::from_str(text).map_err(|e| ListError::Parse(e.to_string()))?;
    // A bare array, or an object wrapping it (`{"identifier": […]}`).
    let items = match &v {
        Value::Array(a) => a,
        Value::Object(o) => o
            .values()
            .find_map(|x| x.as_array())
            .ok_or_else(|| ListError::Parse("no array of identifiers".into()))?,
        _ => {
            return Err(ListError::Parse(
                "expected a JSON array of identifier objects".into(),
            ))
        }
    };
    items
        .iter()
        .map(|it| match it {
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Object(w)) => w
                    .get("value")
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| ListError::Parse("`name` is not a string".into())),
                _ => Err(ListError::Parse(
                    "an identifier object has no `name`".into(),
                )),
            },
            Value::String(s) => Ok(s.clone()),
            _ => Err(ListError::Parse(
                "an identifier is neither an object nor a string".into(),
            )),
        })
        .collect()
}

fn parse_xml_list(text: &str) -> Result<Vec<String>, ListError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut names = Vec::new();
    let mut current: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ListError::Parse(e.to_string()))?;
        match event {
            Event::Eof => break,
            Event::Start(s) => {
                let local = s.local_name().as_ref().to_vec();
                if local == b"name" && stack.last().is_some_and(|p| p == b"identifier") {
                    current = Some(String::new());
                }
                stack.push(local);
            }
            Event::End(_) => {
                let closed = stack.pop();
                if closed.as_deref() == Some(b"name".as_slice()) {
                    names.extend(current.take());
                }
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    let s = t.decode().map_err(|e| ListError::Parse(e.to_string()))?;
                    c.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = current.as_mut() {
                    let entity: &[u8] = r.as_ref();
                    match entity {
                        b"amp" => c.push('&'),
                        b"lt" => c.push('<'),
                        b"gt" => c.push('>'),
                        b"quot" => c.push('"'),
                        b"apos" => c.push('\''),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if stack.is_empty() {
        Ok(names)
    } else {
        Err(ListError::Parse("unclosed XML element".into()))
    }
}

/// The list file for `types`: a header naming `source`, then the sorted
/// names, one a line.
pub fn render_identifier_file(types: &[String], source: &str) -> String {
    let set: BTreeSet<&str> = types
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let mut out = String::new();
    out.push_str(
        "# ORCID's external-identifier types: the API names accepted in\n\
         # `external-id-type` of works, fundings and peer reviews (ORCID error 9023\n\
         # otherwise). One name a line; lines starting with `#` are comments.\n\
         #\n",
    );
    out.push_str(&format!("# Source: {source}.\n"));
    out.push_str("# Fetched or seeded lists are sorted; do not edit by hand.\n");
    out.push_str(
        "# API names = DB names lower-cased with `_` -> `-`, except `grant_number`\n\
         # (docs/orcid-api.md §5.2; ORCID-Source orcid-core/src/main/java/org/orcid/core/adapter/jsonidentifier/converter/ExternalIdentifierTypeConverter.java).\n\
         # Live list: GET https://pub.orcid.org/v2.1/identifiers\n\
         # Refresh: cargo xtask identifiers [--base-url URL] (env ORCID_PUB_BASE_URL).\n",
    );
    for t in set {
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// What a refresh changed in the list file.
#[derive(Debug, PartialEq, Eq)]
pub struct Refreshed {
    /// How many types the new list has.
    pub total: usize,
    /// Types new in the list.
    pub added: Vec<String>,
    /// Types no longer in the list.
    pub removed: Vec<String>,
}

/// Fetches the list from `base_url` and writes it, sorted and with its
/// header, to `path`; returns what changed.
pub fn refresh(base_url: &str, path: &Path) -> Result<Refreshed> {
    let shown = redact_url(&identifiers_url(base_url));
    let types = fetch_identifier_types(base_url)
        .with_context(|| format!("cannot refresh the identifier types from {shown}"))?;
    let old_text = std::fs::read_to_string(path).unwrap_or_default();
    let old: Vec<&str> = parse_list_file(&old_text);
    let added = types
        .iter()
        .filter(|t| !old.contains(&t.as_str()))
        .cloned()
        .collect();
    let removed = old
        .iter()
        .filter(|t| !types.iter().any(|n| n == *t))
        .map(|t| t.to_string())
        .collect();
    let text = render_identifier_file(&types, &format!("GET {shown}"));
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Refreshed {
        total: types.len(),
        added,
        removed,
    })
}

/// Fetches the list from `base_url` (or `$ORCID_PUB_BASE_URL`, or
/// `https://pub.orcid.org`) and writes it, sorted and with its header, to
/// [`data_file`]. Prints what changed.
pub fn run(base_url: Option<String>) -> Result<()> {
    let base = base_url
        .or_else(|| std::env::var(PUB_BASE_URL_ENV).ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PUB_BASE_URL.to_string());
    let path = data_file();
    let r = refresh(&base, &path)?;
    println!(
        "{}: {} identifier types ({} added, {} removed)",
        path.display(),
        r.total,
        r.added.len(),
        r.removed.len()
    );
    if !r.added.is_empty() {
        println!("  added: {}", r.added.join(", "));
    }
    if !r.removed.is_empty() {
        println!("  removed: {}", r.removed.join(", "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Parsing ORCID's answer (JSON and XML), rendering the list file, and
    //! fetching from a canned server on 127.0.0.1 (no network).

    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::thread;

    use orcid_validate::rules::identifiers::{identifier_types, IDENTIFIER_TYPES_FILE};

    use super::*;

    /// The `Source:` line of the shipped list (the seeded list).
    const SEEDED_SOURCE: &str = "the list seeded by ORCID-Source \
         orcid-persistence/src/main/resources/db/updates/identifier-type.xml and \
         identifier-types/*.xml (docs/orcid-api.md §5.2)";

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
            "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
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
        assert!(matches!(parse_identifiers("[]"), Err(ListError::Empty)));
        assert!(matches!(parse_identifiers("{"), Err(ListError::Parse(_))));
        assert!(matches!(
            parse_identifiers("[{\"x\":1}]"),
            Err(ListError::Parse(_))
        ));
        assert!(matches!(
            parse_identifiers("<identifiers><identifier>"),
            Err(ListError::Parse(_))
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
        let mut resp =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
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
    fn reports_http_errors_without_secrets() {
        let (base, _rx) = serve_once(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .to_vec(),
        );
        let with_secret = base.replace("http://", "http://user:s3cret@");
        let e = fetch_identifier_types(&with_secret).unwrap_err();
        match &e {
            ListError::Status { status, url } => {
                assert_eq!(*status, 503);
                assert_eq!(
                    *url,
                    identifiers_url(&base).replace("http://", "http://***@")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("HTTP status 503"), "{e}");
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(matches!(
            fetch_identifier_types("ftp://example.org"),
            Err(ListError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn reports_unreachable_servers() {
        // A port that was just free: nothing listens there any more.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = fetch_identifier_types(&format!("http://127.0.0.1:{port}")).unwrap_err();
        assert!(matches!(e, ListError::Http { .. }), "{e:?}");
        assert!(
            e.to_string()
                .starts_with(&format!("GET http://127.0.0.1:{port}/v2.1/identifiers: ")),
            "{e}"
        );
    }

    #[test]
    fn redacts_credentials_and_queries() {
        assert_eq!(
            redact_url("https://pub.orcid.org/v2.1/identifiers"),
            "https://pub.orcid.org/v2.1/identifiers"
        );
        assert_eq!(
            redact_url("http://u:p@127.0.0.1:8080/a?token=x#f"),
            "http://***@127.0.0.1:8080/a?***"
        );
        assert_eq!(redact_url("http://h?k=v"), "http://h?***");
    }

    #[test]
    fn refresh_writes_the_sorted_list_and_reports_changes() {
        let (base, _rx) = serve_once(ok(JSON_BODY));
        let dir = std::env::temp_dir().join(format!("xtask-identifiers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("identifier-types.txt");
        std::fs::write(&path, "# old\nagr\nzbl\n").unwrap();
        let r = refresh(&base, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            r,
            Refreshed {
                total: 3,
                added: vec!["doi".into(), "grant_number".into()],
                removed: vec!["zbl".into()],
            }
        );
        assert_eq!(
            text,
            render_identifier_file(
                &["agr".into(), "doi".into(), "grant_number".into()],
                &format!("GET {base}/v2.1/identifiers")
            )
        );
    }

    #[test]
    fn rendered_file_round_trips_and_the_shipped_file_is_canonical() {
        let types = vec!["zbl".to_string(), "doi".to_string(), "doi".to_string()];
        let text = render_identifier_file(&types, "test");
        assert!(text.starts_with("# ORCID's external-identifier types"));
        assert_eq!(parse_list_file(&text), ["doi", "zbl"]);
        let shipped: Vec<String> = identifier_types().iter().map(|s| s.to_string()).collect();
        assert_eq!(
            render_identifier_file(&shipped, SEEDED_SOURCE),
            IDENTIFIER_TYPES_FILE,
            "data/identifier-types.txt is not in canonical form"
        );
        assert_eq!(
            std::fs::read_to_string(data_file()).unwrap(),
            IDENTIFIER_TYPES_FILE
        );
    }
}
