//! Helpers for the mock's HTTP tests (real requests on 127.0.0.1 with ureq).
#![allow(dead_code)]

use std::collections::HashMap;

use orcid_mock::{
    ClientConfig, MockConfig, MockHandle, MockServer, ResearcherConfig, DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
};

pub const XML: &str = "application/vnd.orcid+xml";
pub const JSON: &str = "application/vnd.orcid+json";
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// A second member client.
pub const OTHER_CLIENT: &str = "APP-OTHER00000000000";
/// A second researcher.
pub const OTHER_ORCID: &str = "0000-0001-5109-3700";

/// The config of most tests: auto-approve, no rate limit, a second client
/// and a second researcher.
pub fn config() -> MockConfig {
    let mut c = MockConfig {
        auto_approve: true,
        ..MockConfig::default()
    };
    c.rate_limit.enabled = false;
    c.clients.push(ClientConfig {
        id: OTHER_CLIENT.into(),
        secret: "other-secret".into(),
        name: "Other Member".into(),
        redirect_uris: vec!["http://127.0.0.1".into()],
        member: true,
    });
    c.researchers.push(ResearcherConfig {
        orcid: OTHER_ORCID.into(),
        given_names: "Laure".into(),
        family_name: Some("Haak".into()),
        credit_name: None,
        email: Some("laure@example.org".into()),
        password: "pw".into(),
        claimed: true,
        default_visibility: "public".into(),
        name_visibility: "public".into(),
        biography: None,
        biography_visibility: "public".into(),
        email_visibility: "private".into(),
    });
    c
}

pub fn start() -> MockHandle {
    MockServer::start(config()).expect("mock starts")
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// A response, read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// `error-code` of an `error:error` body in either format.
    pub fn error_code(&self) -> Option<i64> {
        if self.body.trim_start().starts_with('{') {
            self.json()["error-code"].as_i64()
        } else {
            let start = self.body.find("<error:error-code>")? + "<error:error-code>".len();
            let end = self.body[start..].find('<')? + start;
            self.body[start..end].parse().ok()
        }
    }

    /// The put-code at the end of `Location`.
    pub fn put_code(&self) -> i64 {
        let loc = self.header("location").expect("Location header");
        loc.rsplit('/')
            .next()
            .unwrap()
            .parse()
            .expect("numeric put-code")
    }
}

pub fn read(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    let r = r.expect("HTTP exchange");
    let status = r.status().as_u16();
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = r.into_body().read_to_string().unwrap_or_default();
    Resp {
        status,
        headers,
        body,
    }
}

/// A member-API client bound to a token.
pub struct Api<'a> {
    pub base: &'a str,
    pub token: String,
    pub agent: ureq::Agent,
}

impl<'a> Api<'a> {
    pub fn new(server: &'a MockHandle, token: &str) -> Api<'a> {
        Api {
            base: server.base_url(),
            token: token.to_string(),
            agent: agent(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v2.1/{}", self.base, path.trim_start_matches('/'))
    }

    pub fn get(&self, path: &str, accept: &str) -> Resp {
        read(
            self.agent
                .get(&self.url(path))
                .header("Authorization", &format!("Bearer {}", self.token))
                .header("Accept", accept)
                .call(),
        )
    }

    pub fn post(&self, path: &str, ct: &str, body: &str) -> Resp {
        read(
            self.agent
                .post(&self.url(path))
                .header("Authorization", &format!("Bearer {}", self.token))
                .header("Accept", ct)
                .header("Content-Type", ct)
                .send(body),
        )
    }

    pub fn put(&self, path: &str, ct: &str, body: &str) -> Resp {
        read(
            self.agent
                .put(&self.url(path))
                .header("Authorization", &format!("Bearer {}", self.token))
                .header("Accept", ct)
                .header("Content-Type", ct)
                .send(body),
        )
    }

    pub fn delete(&self, path: &str) -> Resp {
        read(
            self.agent
                .delete(&self.url(path))
                .header("Authorization", &format!("Bearer {}", self.token))
                .call(),
        )
    }
}

/// Query parameters of a URL (after `?`, before `#`).
pub fn query_of(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let q = q.split('#').next().unwrap_or("");
    form_urlencoded_parse(q)
}

fn form_urlencoded_parse(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(h, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The authorize URL for a client.
pub fn authorize_url(base: &str, client: &str, scope: &str, extra: &str) -> String {
    format!(
        "{base}/oauth/authorize?client_id={client}&response_type=code&scope={}&redirect_uri={REDIRECT}&state=st4te{extra}",
        scope.replace(' ', "%20")
    )
}

/// Runs the auto-approve flow and returns the code.
pub fn code_for(base: &str, client: &str, scope: &str, extra: &str) -> String {
    let r = read(
        agent()
            .get(&authorize_url(base, client, scope, extra))
            .call(),
    );
    assert_eq!(r.status, 302, "{}", r.body);
    let loc = r.header("location").unwrap().to_string();
    assert!(loc.starts_with(REDIRECT), "{loc}");
    let q = query_of(&loc);
    assert_eq!(q.get("state").map(String::as_str), Some("st4te"), "{loc}");
    q.get("code").cloned().expect("code")
}

pub fn secret_of(client: &str) -> &'static str {
    if client == DEMO_CLIENT_ID {
        DEMO_CLIENT_SECRET
    } else {
        "other-secret"
    }
}

/// Exchanges a code.
pub fn exchange(base: &str, client: &str, code: &str) -> Resp {
    read(agent().post(&format!("{base}/oauth/token")).send_form([
        ("client_id", client),
        ("client_secret", secret_of(client)),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
    ]))
}

/// A 3-legged token of `client` for the researcher chosen by `extra`
/// (e.g. `&orcid=…`; empty: the demo researcher).
pub fn user_token(server: &MockHandle, client: &str, scope: &str, extra: &str) -> String {
    let code = code_for(server.base_url(), client, scope, extra);
    let r = exchange(server.base_url(), client, &code);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"].as_str().unwrap().to_string()
}

/// The usual token: demo client, demo researcher, read-limited + updates.
pub fn demo_token(server: &MockHandle) -> String {
    user_token(
        server,
        DEMO_CLIENT_ID,
        "/read-limited /activities/update /person/update",
        "",
    )
}

/// A client-credentials token.
pub fn client_token(server: &MockHandle, client: &str, scope: &str) -> Resp {
    read(
        agent()
            .post(&format!("{}/oauth/token", server.base_url()))
            .send_form([
                ("client_id", client),
                ("client_secret", secret_of(client)),
                ("grant_type", "client_credentials"),
                ("scope", scope),
            ]),
    )
}

/// The work sample with its DOI set.
pub fn work_xml(doi: &str) -> String {
    include_str!("../data/work.xml").replace("DOI_VALUE", doi)
}

/// The JSON work sample with its DOI set.
pub fn work_json(doi: &str) -> String {
    include_str!("../data/work.json").replace("DOI_VALUE", doi)
}
