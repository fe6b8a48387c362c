//! Helpers for the mock's HTTP tests (real requests on 127.0.0.1 with ureq):
//! a member-API client and the OAuth flow by hand, without orcid-client.
//! The mock's set-up and the HTTP plumbing come from `orcid-test-kit`.
#![allow(dead_code)]

use orcid_mock::{MockConfig, MockHandle, MockServer, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
#[allow(unused_imports)] // Each test uses some of them.
pub use orcid_test_kit::http::{agent, query, read, Resp};
#[allow(unused_imports)]
pub use orcid_test_kit::mock::{OTHER_CLIENT, OTHER_ORCID, OTHER_SECRET, REDIRECT};

pub const XML: &str = "application/vnd.orcid+xml";
pub const JSON: &str = "application/vnd.orcid+json";
/// ORCID's `Content-Type` for [`XML`] answers (the `qs` of its `@Produces`).
pub const XML_CT: &str = "application/vnd.orcid+xml; qs=5;charset=UTF-8";
/// ORCID's `Content-Type` for [`JSON`] answers.
pub const JSON_CT: &str = "application/vnd.orcid+json; qs=4;charset=UTF-8";

/// The config of most tests: auto-approve, no rate limit, a second client
/// and a second researcher.
pub fn config() -> MockConfig {
    orcid_test_kit::mock::mock_config_with_others()
}

pub fn start() -> MockHandle {
    MockServer::start(config()).expect("mock starts")
}

/// What the mock's answers carry beyond a plain response.
pub trait OrcidResp {
    /// `error-code` of an `error:error` body in either format.
    fn error_code(&self) -> Option<i64>;
    /// The put-code at the end of `Location`.
    fn put_code(&self) -> i64;
}

impl OrcidResp for Resp {
    fn error_code(&self) -> Option<i64> {
        if self.body.trim_start().starts_with('{') {
            self.json()["error-code"].as_i64()
        } else {
            let start = self.body.find("<error:error-code>")? + "<error:error-code>".len();
            let end = self.body[start..].find('<')? + start;
            self.body[start..end].parse().ok()
        }
    }

    fn put_code(&self) -> i64 {
        let loc = self.header("location").expect("Location header");
        loc.rsplit('/')
            .next()
            .unwrap()
            .parse()
            .expect("numeric put-code")
    }
}

/// A member-API client bound to a token.
pub struct Api<'a> {
    pub base: &'a str,
    pub token: String,
    pub agent: ureq::Agent,
    /// The API version in the path: `v2.1` or `v3.0`.
    pub version: &'static str,
}

impl<'a> Api<'a> {
    pub fn new(server: &'a MockHandle, token: &str) -> Api<'a> {
        Api {
            base: server.base_url(),
            token: token.to_string(),
            agent: agent(),
            version: "v2.1",
        }
    }

    /// A client of the member API v3.0.
    pub fn v3(server: &'a MockHandle, token: &str) -> Api<'a> {
        Api {
            version: "v3.0",
            ..Api::new(server, token)
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.base,
            self.version,
            path.trim_start_matches('/')
        )
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
    let q = query(&loc);
    assert_eq!(q.get("state").map(String::as_str), Some("st4te"), "{loc}");
    q.get("code").cloned().expect("code")
}

pub fn secret_of(client: &str) -> &'static str {
    if client == DEMO_CLIENT_ID {
        DEMO_CLIENT_SECRET
    } else {
        OTHER_SECRET
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

// ------------------------------------------------------ v3.0 payloads

/// A v3.0 work of `kind` with a `self` DOI.
pub fn work3(title: &str, kind: &str, doi: &str) -> String {
    format!(
        r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:title><common:title>{title}</common:title></work:title>
  <work:type>{kind}</work:type>
  <common:external-ids>
    <common:external-id>
      <common:external-id-type>doi</common:external-id-type>
      <common:external-id-value>{doi}</common:external-id-value>
      <common:external-id-relationship>self</common:external-id-relationship>
    </common:external-id>
  </common:external-ids>
  <common:url>https://example.org/{doi}</common:url>
</work:work>"#
    )
}

pub fn org() -> &'static str {
    r#"<common:organization>
        <common:name>Lab</common:name>
        <common:address><common:city>Bethesda</common:city><common:country>US</common:country></common:address>
        <common:disambiguated-organization>
          <common:disambiguated-organization-identifier>grid.455335.1</common:disambiguated-organization-identifier>
          <common:disambiguation-source>GRID</common:disambiguation-source>
        </common:disambiguated-organization>
      </common:organization>"#
}

/// A research resource whose proposal has the `self` id `id`.
pub fn research_resource(id: &str, title: &str) -> String {
    let org = org();
    format!(
        r#"<research-resource:research-resource xmlns:research-resource="http://www.orcid.org/ns/research-resource" xmlns:common="http://www.orcid.org/ns/common">
  <research-resource:proposal>
    <research-resource:title><common:title>{title}</common:title></research-resource:title>
    <research-resource:hosts>{org}</research-resource:hosts>
    <common:external-ids>
      <common:external-id>
        <common:external-id-type>proposal-id</common:external-id-type>
        <common:external-id-value>{id}</common:external-id-value>
        <common:external-id-relationship>self</common:external-id-relationship>
      </common:external-id>
    </common:external-ids>
    <common:start-date><common:year>2019</common:year></common:start-date>
  </research-resource:proposal>
  <research-resource:resource-items>
    <research-resource:resource-item>
      <research-resource:resource-name>Giant Laser</research-resource:resource-name>
      <research-resource:resource-type>infrastructures</research-resource:resource-type>
      <research-resource:hosts>{org}</research-resource:hosts>
      <common:external-ids>
        <common:external-id>
          <common:external-id-type>rrid</common:external-id-type>
          <common:external-id-value>rrid:laser-{id}</common:external-id-value>
          <common:external-id-relationship>self</common:external-id-relationship>
        </common:external-id>
      </common:external-ids>
    </research-resource:resource-item>
  </research-resource:resource-items>
</research-resource:research-resource>"#
    )
}

/// A v3.0 peer review in group `group` with the review id `id`.
pub fn peer_review3(id: &str, group: &str) -> String {
    format!(
        r#"<peer-review:peer-review xmlns:peer-review="http://www.orcid.org/ns/peer-review" xmlns:common="http://www.orcid.org/ns/common">
  <peer-review:reviewer-role>reviewer</peer-review:reviewer-role>
  <peer-review:review-identifiers>
    <common:external-id>
      <common:external-id-type>source-work-id</common:external-id-type>
      <common:external-id-value>{id}</common:external-id-value>
      <common:external-id-relationship>self</common:external-id-relationship>
    </common:external-id>
  </peer-review:review-identifiers>
  <peer-review:review-type>review</peer-review:review-type>
  <peer-review:review-completion-date><common:year>2021</common:year></peer-review:review-completion-date>
  <peer-review:review-group-id>{group}</peer-review:review-group-id>
  <peer-review:convening-organization>
    <common:name>Journal Society</common:name>
    <common:address><common:city>London</common:city><common:country>GB</common:country></common:address>
  </peer-review:convening-organization>
</peer-review:peer-review>"#
    )
}

/// The body is valid under the v3.0 XSDs (ORCID's rules are for writes,
/// not read payloads, so only the schema layer counts here).
pub fn assert_valid_v3(body: &str) {
    let report = orcid_validate::validate_text(
        body,
        None,
        orcid_model::Version::V3_0,
        &orcid_validate::Context::default(),
    );
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == orcid_validate::Severity::Error && !d.code.is_rule())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{body}");
}

/// Adds `put-code="pc"` to the root element of an XML body.
pub fn with_put_code(xml: &str, pc: i64) -> String {
    // After the XML declaration, if any.
    let start = if xml.starts_with("<?xml") {
        xml.find("?>").unwrap() + 2
    } else {
        0
    };
    let end = start + xml[start..].find('>').unwrap();
    format!("{} put-code=\"{pc}\"{}", &xml[..end], &xml[end..])
}
