//! ORCID's external-identifier types (`data/identifier-types.txt`), and how
//! to refresh them from ORCID's public endpoint
//! `GET {base}/v2.1/identifiers` (`docs/orcid-api.md` §5.2).
//!
//! The list is compiled in. [`fetch_identifier_types`] downloads the live
//! list: `http://` URLs with a small HTTP/1.1 client over
//! [`std::net::TcpStream`] (always available, used by the tests),
//! `https://` URLs with `ureq`, behind the `refresh` cargo feature, so the
//! default build has no HTTP client dependency.

use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The compiled-in list file.
pub const IDENTIFIER_TYPES_FILE: &str = include_str!("../../data/identifier-types.txt");

/// The `Source:` line of the shipped list (the list ORCID seeds its database
/// with, `docs/orcid-api.md` §5.2).
pub const SEEDED_SOURCE: &str = "the list seeded by ORCID-Source \
     orcid-persistence/src/main/resources/db/updates/identifier-type.xml and \
     identifier-types/*.xml (docs/orcid-api.md §5.2)";

/// ORCID's public API base URL.
pub const DEFAULT_PUB_BASE_URL: &str = "https://pub.orcid.org";

/// Environment variable that overrides [`DEFAULT_PUB_BASE_URL`] for the
/// refresh.
pub const PUB_BASE_URL_ENV: &str = "ORCID_PUB_BASE_URL";

static TYPES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| parse_list_file(IDENTIFIER_TYPES_FILE));

/// Every known identifier type (API names, sorted).
pub fn identifier_types() -> &'static [&'static str] {
    TYPES.as_slice()
}

/// Whether `t` is one of ORCID's identifier types (exact, case-sensitive,
/// as ORCID's `IdentifierTypeManager` compares).
pub fn is_known_type(t: &str) -> bool {
    TYPES.binary_search(&t).is_ok()
}

/// Known types close to an unknown `t`: the same name in another case or
/// with `_`/`-` swapped, or within a small edit distance. At most three.
pub fn suggest(t: &str) -> Vec<&'static str> {
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace('_', "-");
    let nt = norm(t);
    if nt.is_empty() {
        return Vec::new();
    }
    let exactish: Vec<&'static str> = TYPES.iter().copied().filter(|k| norm(k) == nt).collect();
    if !exactish.is_empty() {
        return exactish;
    }
    let max = match nt.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    let mut scored: Vec<(usize, &'static str)> = TYPES
        .iter()
        .copied()
        .filter_map(|k| {
            let d = levenshtein(&nt, &norm(k));
            (d <= max).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The names of a list file: one per line, `#` comments and blank lines
/// skipped, sorted and deduplicated.
pub fn parse_list_file(text: &str) -> Vec<&str> {
    let set: BTreeSet<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    set.into_iter().collect()
}

/// Errors of fetching or parsing the identifier list.
#[derive(Debug, thiserror::Error)]
pub enum IdentifierListError {
    /// The body is neither the JSON nor the XML form.
    #[error("cannot read the identifier list: {0}")]
    Parse(String),
    /// The list is empty.
    #[error("the identifier list is empty")]
    Empty,
    /// The URL cannot be fetched by this build.
    #[error("unsupported URL `{0}`: use http://, or https:// with the `refresh` feature")]
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

/// Reads the identifier list ORCID's `/v2.1/identifiers` returns: a JSON
/// array of objects with a `name` field (`Accept: application/json`), or
/// the XML form `<identifiers><identifier><name>…</name></identifier>…`.
/// Returns the names, trimmed, sorted and deduplicated.
pub fn parse_identifiers(body: &str) -> Result<Vec<String>, IdentifierListError> {
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
        return Err(IdentifierListError::Empty);
    }
    Ok(set.into_iter().collect())
}

fn parse_json_list(text: &str) -> Result<Vec<String>, IdentifierListError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| IdentifierListError::Parse(e.to_string()))?;
    // A bare array, or an object wrapping it (`{"identifier": […]}`).
    let items = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o
            .values()
            .find_map(|x| x.as_array())
            .ok_or_else(|| IdentifierListError::Parse("no array of identifiers".into()))?,
        _ => {
            return Err(IdentifierListError::Parse(
                "expected a JSON array of identifier objects".into(),
            ))
        }
    };
    items
        .iter()
        .map(|it| match it {
            serde_json::Value::Object(o) => match o.get("name") {
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(serde_json::Value::Object(w)) => w
                    .get("value")
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| IdentifierListError::Parse("`name` is not a string".into())),
                _ => Err(IdentifierListError::Parse(
                    "an identifier object has no `name`".into(),
                )),
            },
            serde_json::Value::String(s) => Ok(s.clone()),
            _ => Err(IdentifierListError::Parse(
                "an identifier is neither an object nor a string".into(),
            )),
        })
        .collect()
}

fn parse_xml_list(text: &str) -> Result<Vec<String>, IdentifierListError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut names = Vec::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event() {
            Err(e) => return Err(IdentifierListError::Parse(e.to_string())),
            Ok(Event::Eof) => break,
            Ok(Event::Start(s)) => {
                let local = s.local_name().as_ref().to_vec();
                if local == b"name" && stack.last().is_some_and(|p| p == b"identifier") {
                    current = Some(String::new());
                }
                stack.push(local);
            }
            Ok(Event::End(_)) => {
                if stack.pop().as_deref() == Some(b"name".as_slice()) {
                    if let Some(n) = current.take() {
                        names.push(n);
                    }
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(c) = current.as_mut() {
                    let s = t
                        .decode()
                        .map_err(|e| IdentifierListError::Parse(e.to_string()))?;
                    c.push_str(&s);
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = current.as_mut() {
                    match r.as_ref() {
                        b"amp" => c.push('&'),
                        b"lt" => c.push('<'),
                        b"gt" => c.push('>'),
                        b"quot" => c.push('"'),
                        b"apos" => c.push('\''),
                        _ => {}
                    }
                }
            }
            Ok(_) => {}
        }
    }
    if stack.is_empty() {
        Ok(names)
    } else {
        Err(IdentifierListError::Parse("unclosed XML element".into()))
    }
}

/// The URL of the identifier list under `base_url`.
pub fn identifiers_url(base_url: &str) -> String {
    format!("{}/v2.1/identifiers", base_url.trim_end_matches('/'))
}

/// Fetches and parses `GET {base_url}/v2.1/identifiers` with
/// `Accept: application/json`.
pub fn fetch_identifier_types(base_url: &str) -> Result<Vec<String>, IdentifierListError> {
    let url = identifiers_url(base_url);
    let body = if url.starts_with("http://") {
        plain_http_get(&url)?
    } else if url.starts_with("https://") {
        https_get(&url)?
    } else {
        return Err(IdentifierListError::UnsupportedUrl(url));
    };
    parse_identifiers(&body)
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
         # (docs/orcid-api.md §5.2; ORCID-Source orcid-core/src/main/java/org/orcid/core/adapter/\
         jsonidentifier/converter/ExternalIdentifierTypeConverter.java).\n\
         # Live list: GET https://pub.orcid.org/v2.1/identifiers\n\
         # Refresh: cargo xtask identifiers [--base-url URL] (env ORCID_PUB_BASE_URL).\n",
    );
    for t in set {
        out.push_str(t);
        out.push('\n');
    }
    out
}

const MAX_BODY: u64 = 16 * 1024 * 1024;

/// A minimal HTTP/1.1 GET over `TcpStream` for `http://` URLs (no TLS, no
/// redirects): `Connection: close`, `Content-Length` or chunked bodies.
fn plain_http_get(url: &str) -> Result<String, IdentifierListError> {
    use std::io::{Read, Write};
    use std::net::{TcpStream, ToSocketAddrs};
    use std::time::Duration;

    let err = |m: String| IdentifierListError::Http {
        url: url.to_string(),
        message: m,
    };
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| IdentifierListError::UnsupportedUrl(url.to_string()))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(IdentifierListError::UnsupportedUrl(url.to_string()));
    }
    let addr_text = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        && !authority.ends_with(']')
    {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let addrs: Vec<_> = addr_text
        .to_socket_addrs()
        .map_err(|e| err(format!("cannot resolve {authority}: {e}")))?
        .collect();
    let mut stream = None;
    let mut last = String::from("no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, Duration::from_secs(10)) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let mut stream = stream.ok_or_else(|| err(format!("cannot connect: {last}")))?;
    let timeout = Some(Duration::from_secs(30));
    stream
        .set_read_timeout(timeout)
        .map_err(|e| err(e.to_string()))?;
    stream
        .set_write_timeout(timeout)
        .map_err(|e| err(e.to_string()))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: application/json\r\n\
         User-Agent: orcid-validate/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| err(e.to_string()))?;
    let mut raw = Vec::new();
    stream
        .take(MAX_BODY)
        .read_to_end(&mut raw)
        .map_err(|e| err(e.to_string()))?;

    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| err("no end of the response headers".into()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| err(format!("bad status line `{status_line}`")))?;
    let mut chunked = false;
    let mut length: Option<usize> = None;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim();
            if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            } else if k == "content-length" {
                length = v.parse().ok();
            }
        }
    }
    if status != 200 {
        return Err(IdentifierListError::Status {
            url: url.to_string(),
            status,
        });
    }
    if chunked {
        body = dechunk(&body).ok_or_else(|| err("malformed chunked body".into()))?;
    } else if let Some(n) = length {
        if body.len() < n {
            return Err(err(format!("body has {} of {n} bytes", body.len())));
        }
        body.truncate(n);
    }
    String::from_utf8(body).map_err(|e| err(format!("body is not UTF-8: {e}")))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size.checked_add(2)? {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(feature = "refresh")]
fn https_get(url: &str) -> Result<String, IdentifierListError> {
    use std::time::Duration;
    let err = |m: String| IdentifierListError::Http {
        url: url.to_string(),
        message: m,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .user_agent(concat!("orcid-validate/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| err(e.to_string()))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(IdentifierListError::Status {
            url: url.to_string(),
            status,
        });
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| err(e.to_string()))
}

#[cfg(not(feature = "refresh"))]
fn https_get(url: &str) -> Result<String, IdentifierListError> {
    Err(IdentifierListError::UnsupportedUrl(url.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_list_is_sorted_and_has_the_seeded_types() {
        let t = identifier_types();
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        for k in [
            "doi",
            "grant_number",
            "source-work-id",
            "other-id",
            "isbn",
            "raid",
        ] {
            assert!(is_known_type(k), "{k}");
        }
        assert!(!is_known_type("DOI"));
        assert!(!is_known_type("grant-number"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("DOI"), vec!["doi"]);
        assert_eq!(suggest("grant-number"), vec!["grant_number"]);
        assert!(suggest("doix").contains(&"doi"));
        assert!(suggest("zzzzzzzzzzzz").is_empty());
        assert!(suggest("").is_empty());
    }

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(b"abcde".as_slice())
        );
        assert_eq!(dechunk(b"ff\r\nabc"), None);
        assert_eq!(dechunk(b"ffffffffffffffff\r\nabc"), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }
}
