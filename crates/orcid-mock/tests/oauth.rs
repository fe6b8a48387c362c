//! OAuth: authorize (auto-approve and the HTML forms), token grants, revoke.

mod common;

use common::*;
use orcid_mock::{MockConfig, MockServer, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID};

#[test]
fn create_on_demand_flow_with_auto_approve() {
    let server = start();
    let base = server.base_url();
    // The researcher registers inside the flow (show_login=false + names).
    let code = code_for(
        base,
        DEMO_CLIENT_ID,
        "/read-limited /activities/update",
        "&show_login=false&given_names=Ada&family_names=Lovelace&email=ada%40example.org",
    );
    assert_eq!(code.len(), 6);
    let r = exchange(base, DEMO_CLIENT_ID, &code);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let t = r.json();
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["scope"], "/read-limited /activities/update");
    assert_eq!(t["name"], "Ada Lovelace");
    let orcid = t["orcid"].as_str().unwrap().to_string();
    assert_ne!(orcid, DEMO_ORCID);
    assert!(
        orcid_model::scalar::OrcidId(orcid.clone()).is_valid(),
        "{orcid}"
    );
    assert!(t["expires_in"].as_i64().unwrap() > 600_000_000);
    assert_eq!(t["access_token"].as_str().unwrap().len(), 36);
    assert!(t["refresh_token"].is_string());
    let token = t["access_token"].as_str().unwrap().to_string();

    // The new record exists and the token works on it.
    let api = Api::new(&server, &token);
    let rec = api.get(&format!("{orcid}/record"), JSON);
    assert_eq!(rec.status, 200, "{}", rec.body);
    assert_eq!(rec.json()["orcid-identifier"]["path"], orcid.as_str());

    // A reused code is refused and revokes the token issued from it.
    let again = exchange(base, DEMO_CLIENT_ID, &code);
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["error"], "invalid_grant");
    assert!(again.json()["error_description"]
        .as_str()
        .unwrap()
        .starts_with("Reused authorization code"));
    let after = api.get(&format!("{orcid}/record"), JSON);
    assert_eq!(after.status, 401);
    assert_eq!(after.json()["error"], "invalid_token");

    // The same e-mail later signs in to the same record.
    let code2 = code_for(
        base,
        DEMO_CLIENT_ID,
        "/authenticate",
        "&email=ada%40example.org",
    );
    let t2 = exchange(base, DEMO_CLIENT_ID, &code2).json();
    assert_eq!(t2["orcid"], orcid.as_str());
}

#[test]
fn auto_approve_defaults_to_the_demo_researcher() {
    let server = start();
    let code = code_for(server.base_url(), DEMO_CLIENT_ID, "/authenticate", "");
    let t = exchange(server.base_url(), DEMO_CLIENT_ID, &code).json();
    assert_eq!(t["orcid"], DEMO_ORCID);
    assert_eq!(t["name"], "Josiah Carberry");
    // Unknown code.
    let r = exchange(server.base_url(), DEMO_CLIENT_ID, "zzzzzz");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_grant");
}

fn form_field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + key.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

#[test]
fn interactive_sign_in_consent_and_deny() {
    let mut cfg = MockConfig::default();
    cfg.rate_limit.enabled = false;
    let server = MockServer::start(cfg).unwrap();
    let base = server.base_url();
    let a = agent();
    let page = read(
        a.get(&authorize_url(base, DEMO_CLIENT_ID, "/read-limited", ""))
            .call(),
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<form"), "{}", page.body);
    let rid = form_field(&page.body, "request_id");

    // Wrong password: the form again.
    let bad = read(a.post(&format!("{base}/oauth/authorize")).send_form([
        ("request_id", rid.as_str()),
        ("action", "signin"),
        ("username", DEMO_ORCID),
        ("password", "nope"),
    ]));
    assert!(bad.body.contains("Invalid ORCID iD"), "{}", bad.body);

    let consent = read(a.post(&format!("{base}/oauth/authorize")).send_form([
        ("request_id", rid.as_str()),
        ("action", "signin"),
        ("username", DEMO_ORCID),
        ("password", "demo"),
    ]));
    assert_eq!(consent.status, 200);
    assert!(
        consent.body.contains("Authorize access"),
        "{}",
        consent.body
    );
    let done = read(
        a.post(&format!("{base}/oauth/authorize"))
            .send_form([("request_id", rid.as_str()), ("action", "approve")]),
    );
    assert_eq!(done.status, 302);
    let q = query(done.header("location").unwrap());
    assert_eq!(q["state"], "st4te");
    let t = exchange(base, DEMO_CLIENT_ID, &q["code"]).json();
    assert_eq!(t["orcid"], DEMO_ORCID);

    // Register a new record, then deny.
    let page = read(
        a.get(&authorize_url(
            base,
            DEMO_CLIENT_ID,
            "/authenticate",
            "&show_login=false",
        ))
        .call(),
    );
    let rid = form_field(&page.body, "request_id");
    assert!(page.body.find("id=\"register\"").unwrap() < page.body.find("id=\"signin\"").unwrap());
    let consent = read(a.post(&format!("{base}/oauth/authorize")).send_form([
        ("request_id", rid.as_str()),
        ("action", "register"),
        ("given_names", "Grace"),
        ("family_names", "Hopper"),
        ("email", "grace@example.org"),
        ("password", "pw"),
    ]));
    assert!(consent.body.contains("Grace Hopper"), "{}", consent.body);
    let denied = read(
        a.post(&format!("{base}/oauth/authorize"))
            .send_form([("request_id", rid.as_str()), ("action", "deny")]),
    );
    assert_eq!(denied.status, 302);
    let q = query(denied.header("location").unwrap());
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["error_description"], "User denied access");
    assert_eq!(q["state"], "st4te");
}

#[test]
fn authorize_errors() {
    let server = start();
    let base = server.base_url();
    let a = agent();
    let r = read(
        a.get(&authorize_url(base, "APP-NOPE", "/authenticate", ""))
            .call(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_request");
    let r = read(
        a.get(&format!(
            "{base}/oauth/authorize?client_id={DEMO_CLIENT_ID}&response_type=code&scope=/authenticate&redirect_uri=https://evil.example/cb"
        ))
        .call(),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Redirect URI mismatch"));
    // Unknown and client-credentials scopes: back to the client as #error.
    for scope in ["/nope", "/read-public", "/webhook"] {
        let r = read(
            a.get(&authorize_url(base, DEMO_CLIENT_ID, scope, ""))
                .call(),
        );
        assert_eq!(r.status, 302, "{scope}");
        assert_eq!(
            r.header("location").unwrap(),
            format!("{REDIRECT}#error=invalid_scope"),
            "{scope}"
        );
    }
    let r = read(
        a.get(
            &authorize_url(base, DEMO_CLIENT_ID, "/authenticate", "")
                .replace("response_type=code", "response_type=token"),
        )
        .call(),
    );
    assert!(r
        .header("location")
        .unwrap()
        .ends_with("#error=unsupported_response_type"));
}

#[test]
fn token_endpoint_errors() {
    let server = start();
    let base = server.base_url();
    let url = format!("{base}/oauth/token");
    let a = agent();
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", "wrong"),
        ("grant_type", "client_credentials"),
    ]));
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_client");
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ]));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    let r = read(a.get(&url).call());
    assert_eq!(r.status, 405);
    let r = read(
        a.post(&url)
            .header("Content-Type", "application/json")
            .send("{}"),
    );
    assert_eq!(r.status, 415);
    // Missing code: ORCID maps it to 500 server_error.
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("grant_type", "authorization_code"),
    ]));
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["error"], "server_error");
    // A code exchanged with a different redirect_uri.
    let code = code_for(base, DEMO_CLIENT_ID, "/authenticate", "");
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/other"),
    ]));
    assert_eq!(r.json()["error_description"], "Redirect URI mismatch.");
    // Another client's code.
    let code = code_for(base, DEMO_CLIENT_ID, "/authenticate", "");
    let r = exchange(base, OTHER_CLIENT, &code);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_grant");
    // Basic authentication works.
    let code = code_for(base, DEMO_CLIENT_ID, "/authenticate", "");
    let basic = base64_encode(&format!("{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}"));
    let r = read(
        a.post(&url)
            .header("Authorization", &format!("Basic {basic}"))
            .send_form([
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", REDIRECT),
            ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

fn base64_encode(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn client_credentials() {
    let server = start();
    let r = client_token(&server, DEMO_CLIENT_ID, "/read-public");
    assert_eq!(r.status, 200, "{}", r.body);
    let t = r.json();
    assert!(t["orcid"].is_null());
    assert!(t.get("name").is_none());
    assert_eq!(t["scope"], "/read-public");
    // Non-client-credentials scopes are dropped; none left → 400.
    let r = client_token(&server, DEMO_CLIENT_ID, "/read-limited");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_scope");
    // Unknown scope string → 401 (newest server code).
    let r = client_token(&server, DEMO_CLIENT_ID, "/web-hook");
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_scope");
    let r = client_token(
        &server,
        DEMO_CLIENT_ID,
        "/read-public /read-limited /webhook",
    );
    assert_eq!(r.json()["scope"], "/read-public /webhook");
    // A public-API read of a public item works with it; writes need scopes.
    let api = Api::new(&server, t["access_token"].as_str().unwrap());
    assert_eq!(api.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);
    let w = api.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.1/cc"));
    assert_eq!(w.status, 403);
    assert_eq!(w.error_code(), Some(9038));
}

#[test]
fn refresh_and_revoke() {
    let server = start();
    let base = server.base_url();
    let code = code_for(base, DEMO_CLIENT_ID, "/read-limited /activities/update", "");
    let first = exchange(base, DEMO_CLIENT_ID, &code).json();
    let access = first["access_token"].as_str().unwrap().to_string();
    let refresh = first["refresh_token"].as_str().unwrap().to_string();
    let url = format!("{base}/oauth/token");
    let a = agent();
    // Scope outside the parent's.
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
        ("scope", "/person/update"),
    ]));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "invalid_scope");
    // A subset, revoking the old token (default) named in the Bearer header.
    let r = read(
        a.post(&url)
            .header("Authorization", &format!("Bearer {access}"))
            .send_form([
                ("client_id", DEMO_CLIENT_ID),
                ("client_secret", DEMO_CLIENT_SECRET),
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.as_str()),
                ("scope", "/read-limited"),
            ]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let second = r.json();
    assert_eq!(second["scope"], "/read-limited");
    assert_eq!(second["orcid"], DEMO_ORCID);
    assert_ne!(second["refresh_token"], refresh.as_str());
    let old = Api::new(&server, &access);
    assert_eq!(old.get(&format!("{DEMO_ORCID}/works"), XML).status, 401);
    let new = Api::new(&server, second["access_token"].as_str().unwrap());
    assert_eq!(new.get(&format!("{DEMO_ORCID}/works"), XML).status, 200);
    // The old refresh token's parent is disabled now.
    let r = read(a.post(&url).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ]));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error_description"], "Parent token is disabled");

    // Revoke the new token by its refresh token.
    let r = read(a.post(&format!("{base}/oauth/revoke")).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("token", second["refresh_token"].as_str().unwrap()),
    ]));
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    let gone = new.get(&format!("{DEMO_ORCID}/works"), XML);
    assert_eq!(gone.status, 401);
    assert!(gone
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer realm=\"ORCID T2 API\""));
    // Unknown tokens revoke quietly; a missing one is a 400.
    let r = read(a.post(&format!("{base}/oauth/revoke")).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("token", "nope"),
    ]));
    assert_eq!(r.status, 200);
    let r = read(a.post(&format!("{base}/oauth/revoke")).send_form([
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ]));
    assert_eq!(r.status, 400);
}
