//! The connect page's routes over real HTTP on loopback, against the ORCID
//! mock: the flow, every way the redirect can be refused, denial, and
//! failed exchanges. A bare HTTP client plays the browser (cookies by hand).

mod support;

use std::time::Duration;

use orcid_client::ExposeSecret;
use orcid_connect::{ConnectApp, ConnectConfig, ConnectEvent};
use orcid_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID, DEMO_PASSWORD};
use orcid_test_kit::http::{agent, query};
use support::{Options, Setup, INSTITUTION};

/// An answer: status, headers we look at, body.
struct Answer {
    status: u16,
    location: Option<String>,
    set_cookie: Option<String>,
    headers: ureq::http::HeaderMap,
    body: String,
}

fn get(url: &str, cookie: Option<&str>) -> Answer {
    let mut req = agent().get(url);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    answer(req.call().expect("HTTP works"))
}

fn post_form(url: &str, form: &[(&str, &str)]) -> Answer {
    answer(
        agent()
            .post(url)
            .send_form(form.iter().copied())
            .expect("HTTP works"),
    )
}

fn answer(mut resp: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header("location");
    let set_cookie = header("set-cookie");
    let headers = resp.headers().clone();
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Answer {
        status,
        location,
        set_cookie,
        headers,
        body,
    }
}

/// `name=value` of a `Set-Cookie`, to send back as `Cookie`.
fn cookie_of(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().trim().to_string()
}

/// `/connect/start`: where it sends the browser, and the cookie it sets.
fn start(s: &Setup) -> (String, String) {
    let a = get(&format!("{}/connect/start", s.app.url()), None);
    assert_eq!(a.status, 302, "{}", a.body);
    let set_cookie = a.set_cookie.expect("a binding cookie");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Path=/connect"), "{set_cookie}");
    (a.location.expect("a Location"), cookie_of(&set_cookie))
}

/// Start, then the mock (auto-approve) answers: the redirect URL back to
/// the page with a code and the state, and the browser's cookie.
fn approved_redirect(s: &Setup) -> (String, String) {
    let (authorize, cookie) = start(s);
    let a = get(&authorize, None);
    assert_eq!(a.status, 302, "{}", a.body);
    (a.location.expect("redirect back"), cookie)
}

fn query_param(url: &str, name: &str) -> Option<String> {
    query(url).remove(name)
}

#[test]
fn start_page_explains_and_links_to_start() {
    let s = Setup::start(Options::default());
    let a = get(&format!("{}/", s.app.url()), None);
    assert_eq!(a.status, 200);
    assert!(a.body.contains("href=\"/connect/start\""), "{}", a.body);
    assert!(a.body.contains("Create or Connect your ORCID iD"));
    assert!(a.body.contains("University of Testing &amp; Examples"));
    assert!(a.body.contains("What is ORCID?"));
    // The default scopes are listed with what they allow.
    for scope in ["/read-limited", "/activities/update", "/person/update"] {
        assert!(a.body.contains(&format!("<code>{scope}</code>")), "{scope}");
    }
    // Against the mock, the page says it is not the real registry.
    assert!(a.body.contains("not the ORCID registry"));
    assert!(!a.body.contains("<script"));
    let h = |n: &str| a.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert_eq!(h("cache-control"), "no-store");
    assert_eq!(h("referrer-policy"), "no-referrer");
    assert_eq!(h("x-frame-options"), "DENY");
    assert!(h("content-security-policy").contains("default-src 'none'"));
    assert!(h("content-type").starts_with("text/html"));
    // Any other path: a page, not a bare 404.
    let a = get(&format!("{}/nope", s.app.url()), None);
    assert_eq!(a.status, 404);
    assert!(a.body.contains("Page not found"));
}

#[test]
fn start_redirects_to_orcid_with_scopes_and_a_fresh_state() {
    let s = Setup::start(Options::default());
    let (first, cookie1) = start(&s);
    let (second, cookie2) = {
        let a = get(&format!("{}/connect/start", s.app.url()), Some(&cookie1));
        (
            a.location.unwrap(),
            a.set_cookie.map(|c| cookie_of(&c)).unwrap(),
        )
    };
    assert!(
        first.starts_with(&format!("{}/oauth/authorize?", s.mock.base_url())),
        "{first}"
    );
    assert_eq!(query_param(&first, "client_id").unwrap(), DEMO_CLIENT_ID);
    assert_eq!(query_param(&first, "response_type").unwrap(), "code");
    assert_eq!(
        query_param(&first, "scope").unwrap(),
        "/read-limited /activities/update /person/update"
    );
    assert_eq!(
        query_param(&first, "redirect_uri").unwrap(),
        format!("{}/connect/callback", s.app.url())
    );
    let (st1, st2) = (
        query_param(&first, "state").unwrap(),
        query_param(&second, "state").unwrap(),
    );
    // Issued time, nonce and two HMAC tags, in hex.
    assert_eq!(st1.len(), 80);
    assert_ne!(st1, st2, "every start has a fresh state");
    // The browser keeps its binding across starts.
    assert_eq!(cookie1, cookie2);
}

/// Every answer of the page, whatever its status, carries the page headers.
#[test]
fn every_answer_carries_the_page_headers() {
    let s = Setup::start(Options::default());
    let base = s.app.url();
    let agent = agent();
    let cases = [
        ("GET", "/", 200),
        ("GET", "/connect/start", 302),
        ("GET", "/connect/callback", 400),
        ("GET", "/nope", 404),
        ("GET", "/connect/start/x", 404),
        ("POST", "/", 405),
        ("POST", "/connect/start", 405),
        ("DELETE", "/connect/callback", 405),
        ("POST", "/nope", 404),
    ];
    for (method, path, status) in cases {
        let url = format!("{base}{path}");
        let resp = match method {
            "GET" => agent.get(&url).call(),
            "POST" => agent.post(&url).send_empty(),
            _ => agent.delete(&url).call(),
        }
        .expect("HTTP works");
        assert_eq!(resp.status().as_u16(), status, "{method} {path}");
        for (name, value) in orcid_web::PAGE_HEADERS {
            assert_eq!(
                resp.headers().get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{method} {path}: {name}"
            );
        }
    }
}

/// A flood of starts from one client (more than the old limit of 10,000
/// authorizations under way) does not lock out another browser: the page
/// keeps nothing per start.
#[test]
fn a_flood_of_starts_does_not_lock_out_others() {
    let s = Setup::start(Options::default());
    let url = format!("{}/connect/start", s.app.url());
    let flood = agent();
    for i in 0..10_001 {
        let resp = flood.get(&url).call().expect("HTTP works");
        assert_eq!(resp.status().as_u16(), 302, "start {i}");
    }
    let (back, cookie) = approved_redirect(&s);
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(s.token_count(), 1);
}

/// A client that sends half a request line and then nothing is cut off
/// after the (configured) header-read limit.
#[test]
fn half_a_request_is_cut_off() {
    use std::io::{Read, Write};
    let s = Setup::start(Options {
        tweak: |c| {
            c.with_timeouts(orcid_web::Timeouts {
                header_read: Duration::from_millis(200),
                ..orcid_web::Timeouts::default()
            })
        },
        ..Options::default()
    });
    let mut conn = std::net::TcpStream::connect(s.app.addr()).unwrap();
    // A generous bound: the test fails, rather than hangs, if the page
    // keeps the connection open.
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    conn.write_all(b"GET /connect/sta").unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer)
        .expect("the page closes the connection");
    assert!(!String::from_utf8_lossy(&answer).contains("302"));
}

#[test]
fn the_flow_stores_the_id_and_token_and_shows_the_id() {
    let s = Setup::start(Options::default());
    let (back, cookie) = approved_redirect(&s);
    assert!(back.starts_with(&format!("{}/connect/callback?", s.app.url())));
    let code = query_param(&back, "code").unwrap();

    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("Your ORCID iD is connected"));
    let id_uri = format!("{}/{DEMO_ORCID}", s.mock.base_url());
    assert!(
        a.body
            .contains(&format!("<a id=\"orcid-id\" href=\"{id_uri}\"")),
        "{}",
        a.body
    );
    assert!(a.body.contains("Josiah Carberry"));

    let token = s.token(DEMO_ORCID).expect("the token is stored");
    assert_eq!(token.name.as_deref(), Some("Josiah Carberry"));
    assert!(token.has_scope("/activities/update"));
    assert!(token.refresh_token.is_some());
    let access = token.access_token.expose_secret().to_string();
    assert!(!access.is_empty());
    // Secrets are never on the page.
    for secret in [access.as_str(), DEMO_CLIENT_SECRET, code.as_str()] {
        assert!(!a.body.contains(secret), "the page shows a secret");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.store_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the store is private: {mode:o}");
    }
    match s.events().as_slice() {
        [ConnectEvent::Connected(c)] => {
            assert_eq!(c.orcid, DEMO_ORCID);
            assert_eq!(c.name.as_deref(), Some("Josiah Carberry"));
            // Read from the record (the mock's `/v3.0/…/personal-details`).
            assert!(c.name_from_record, "{c:?}");
        }
        other => panic!("{other:?}"),
    }

    // The same redirect again: the state was used.
    let again = get(&back, Some(&cookie));
    assert_eq!(again.status, 400);
    assert!(
        again.body.contains("This link was already used"),
        "{}",
        again.body
    );
    assert_eq!(s.token_count(), 1);
}

#[test]
fn unknown_missing_and_foreign_states_are_refused() {
    let s = Setup::start(Options::default());
    let cb = format!("{}/connect/callback", s.app.url());

    let a = get(&format!("{cb}?code=Ab12Cd&state=0123456789abcdef"), None);
    assert_eq!(a.status, 400);
    assert!(a.body.contains("This link is not valid here"), "{}", a.body);

    let a = get(&format!("{cb}?code=Ab12Cd"), None);
    assert_eq!(a.status, 400);
    assert!(a.body.contains("without the check value"), "{}", a.body);

    let a = get(&cb, None);
    assert_eq!(a.status, 400);
    assert!(a.body.contains("Nothing to finish here"));

    // A real state brought back by another browser (no cookie, or another
    // one) is refused, and stays usable by its own browser.
    let (back, cookie) = approved_redirect(&s);
    let a = get(&back, None);
    assert_eq!(a.status, 400);
    assert!(a.body.contains("started elsewhere"), "{}", a.body);
    let a = get(
        &back,
        Some("orcid_connect=00000000000000000000000000000000"),
    );
    assert!(a.body.contains("started elsewhere"), "{}", a.body);
    assert_eq!(s.token_count(), 0);
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(s.token_count(), 1);

    let failures = s
        .events()
        .iter()
        .filter(|e| matches!(e, ConnectEvent::Failed { stage: "state", .. }))
        .count();
    assert_eq!(failures, 5);
}

#[test]
fn an_expired_state_is_refused() {
    let s = Setup::start(Options {
        tweak: |c| c.with_state_ttl(Duration::from_millis(300)),
        ..Options::default()
    });
    let (back, cookie) = approved_redirect(&s);
    std::thread::sleep(Duration::from_millis(500));
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 400);
    assert!(a.body.contains("This link has expired"), "{}", a.body);
    assert_eq!(s.token_count(), 0);
}

/// Signs in at the mock's page as the demo researcher and answers the
/// consent form with `action`; returns the mock's redirect back.
fn through_the_mock_pages(s: &Setup, action: &str) -> (String, String) {
    let (authorize, cookie) = start(s);
    let page = get(&authorize, None);
    assert_eq!(page.status, 200, "{}", page.body);
    let request_id = {
        let at = page.body.find("name=\"request_id\" value=\"").unwrap() + 25;
        page.body[at..].split('"').next().unwrap().to_string()
    };
    let form = format!("{}/oauth/authorize", s.mock.base_url());
    let consent = post_form(
        &form,
        &[
            ("request_id", &request_id),
            ("action", "signin"),
            ("username", DEMO_ORCID),
            ("password", DEMO_PASSWORD),
        ],
    );
    assert!(consent.body.contains("id=\"consent\""), "{}", consent.body);
    let back = post_form(&form, &[("request_id", &request_id), ("action", action)]);
    assert_eq!(back.status, 302, "{}", back.body);
    (back.location.unwrap(), cookie)
}

#[test]
fn denial_shows_a_clear_page_and_stores_nothing() {
    let s = Setup::start(Options {
        auto_approve: false,
        ..Options::default()
    });
    let (back, cookie) = through_the_mock_pages(&s, "deny");
    assert_eq!(
        query_param(&back, "error").as_deref(),
        Some("access_denied")
    );
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 403);
    assert!(a.body.contains("You denied access"), "{}", a.body);
    assert!(a
        .body
        .contains("<a id=\"try-again\" href=\"/\">try again</a>"));
    assert_eq!(s.token_count(), 0);
    assert_eq!(s.events(), vec![ConnectEvent::Denied]);

    // Approving on the mock's pages works too.
    let (back, cookie) = through_the_mock_pages(&s, "approve");
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(s.token(DEMO_ORCID).is_some());
}

#[test]
fn other_errors_from_orcid_are_shown() {
    let s = Setup::start(Options::default());
    let (back, cookie) = approved_redirect(&s);
    let state = query_param(&back, "state").unwrap();
    let url = format!(
        "{}/connect/callback?error=server_error&error_description=%3Cb%3Eoops%3C%2Fb%3E&state={state}",
        s.app.url()
    );
    let a = get(&url, Some(&cookie));
    assert_eq!(a.status, 400);
    assert!(a.body.contains("ORCID could not complete the sign-in"));
    assert!(
        a.body.contains("server_error (&lt;b&gt;oops&lt;/b&gt;)"),
        "{}",
        a.body
    );
}

#[test]
fn a_refused_exchange_shows_an_error_page() {
    // A code ORCID does not know (spent, or forged).
    let s = Setup::start(Options::default());
    let (back, cookie) = approved_redirect(&s);
    let state = query_param(&back, "state").unwrap();
    let url = format!("{}/connect/callback?code=Zz9999&state={state}", s.app.url());
    let a = get(&url, Some(&cookie));
    assert_eq!(a.status, 502, "{}", a.body);
    assert!(
        a.body.contains("ORCID did not accept the sign-in"),
        "{}",
        a.body
    );
    assert!(a.body.contains("invalid_grant"), "{}", a.body);
    assert!(!a.body.contains("Zz9999"));
    assert_eq!(s.token_count(), 0);
    assert!(matches!(
        s.events().as_slice(),
        [ConnectEvent::Failed {
            stage: "exchange",
            ..
        }]
    ));

    // A wrong client secret: the page is misconfigured.
    let s = Setup::start(Options {
        client_secret: "not-the-secret".into(),
        ..Options::default()
    });
    let (back, cookie) = approved_redirect(&s);
    let a = get(&back, Some(&cookie));
    assert_eq!(a.status, 502, "{}", a.body);
    assert!(
        a.body.contains("This page is not set up correctly"),
        "{}",
        a.body
    );
    assert!(a.body.contains("research-support@example.edu"));
    assert!(!a.body.contains("not-the-secret"));
    assert_eq!(s.token_count(), 0);
}

#[test]
fn the_router_nests_under_a_path() {
    let mock = orcid_mock::MockServer::start(orcid_mock::MockConfig {
        auto_approve: true,
        ..Default::default()
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = orcid_client::ClientConfig::new(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        "",
        orcid_client::Environment::custom(mock.base_url()),
    );
    let config = ConnectConfig::new(
        client,
        format!("{base}/orcid/"),
        dir.path().join("s.sqlite3"),
    );
    let app = ConnectApp::new(config).unwrap();
    assert_eq!(app.redirect_uri(), format!("{base}/orcid/connect/callback"));
    let site = axum::Router::new()
        .route("/", axum::routing::get(|| async { "the host app" }))
        .nest("/orcid", orcid_connect::router(app));
    let rt = tokio::runtime::Runtime::new().unwrap();
    listener.set_nonblocking(true).unwrap();
    rt.spawn(async move {
        let l = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(l, site).await.unwrap();
    });

    assert_eq!(get(&format!("{base}/"), None).body, "the host app");
    let page = get(&format!("{base}/orcid"), None);
    assert!(
        page.body.contains("href=\"/orcid/connect/start\""),
        "{}",
        page.body
    );
    let a = get(&format!("{base}/orcid/connect/start"), None);
    assert!(a
        .set_cookie
        .as_deref()
        .unwrap()
        .contains("Path=/orcid/connect"));
    let cookie = cookie_of(&a.set_cookie.unwrap());
    let to_mock = get(&a.location.unwrap(), None);
    let back = to_mock.location.unwrap();
    assert!(back.starts_with(&format!("{base}/orcid/connect/callback?")));
    let done = get(&back, Some(&cookie));
    assert_eq!(done.status, 200, "{}", done.body);
    let store = orcid_store::Store::open(dir.path().join("s.sqlite3")).unwrap();
    assert!(store.token(DEMO_CLIENT_ID, DEMO_ORCID).unwrap().is_some());
    // Links back go to the nested start page.
    let again = get(&back, Some(&cookie));
    assert!(
        again.body.contains("href=\"/orcid\">Start again"),
        "{}",
        again.body
    );
    drop(rt);
}

#[test]
fn bad_configurations_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let client = || {
        orcid_client::ClientConfig::new(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            "",
            orcid_client::Environment::Sandbox,
        )
    };
    let store = dir.path().join("s.sqlite3");
    let err = ConnectApp::new(ConnectConfig::new(client(), "localhost:8080", &store)).unwrap_err();
    assert!(err.to_string().contains("public URL"), "{err}");
    let err = ConnectApp::new(
        ConnectConfig::new(client(), "http://127.0.0.1:8080", &store)
            .with_scopes([orcid_client::Scope::ReadPublic]),
    )
    .unwrap_err();
    assert!(err.to_string().contains("client credentials"), "{err}");
    // A store that cannot be created fails now, not after a code is spent.
    std::fs::write(dir.path().join("file"), "x").unwrap();
    let err = ConnectApp::new(ConnectConfig::new(
        client(),
        "http://127.0.0.1:8080",
        dir.path().join("file").join("s.sqlite3"),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("store"), "{err}");
    assert!(!format!("{err:?}").contains(DEMO_CLIENT_SECRET));
    let _ = INSTITUTION;
}

#[test]
fn production_and_sandbox_send_the_browser_to_orcid() {
    let dir = tempfile::tempdir().unwrap();
    for (env, authorize, note) in [
        (
            orcid_client::Environment::Production,
            "https://orcid.org/oauth/authorize?",
            None,
        ),
        (
            orcid_client::Environment::Sandbox,
            "https://sandbox.orcid.org/oauth/authorize?",
            Some("ORCID sandbox"),
        ),
    ] {
        let client = orcid_client::ClientConfig::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, "", env);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let public = format!("https://orcid.example.edu/connect-{}", authorize.len());
        let app = ConnectApp::new(
            ConnectConfig::new(client, &public, dir.path().join("s.sqlite3"))
                .with_scopes([orcid_client::Scope::Authenticate]),
        )
        .unwrap();
        let server = orcid_connect::ConnectServer::start(listener, app).unwrap();
        let a = get(&format!("{}/connect/start", server.url()), None);
        let location = a.location.unwrap();
        assert!(location.starts_with(authorize), "{location}");
        assert_eq!(query_param(&location, "scope").unwrap(), "/authenticate");
        assert_eq!(
            query_param(&location, "redirect_uri").unwrap(),
            format!("{public}/connect/callback")
        );
        // An https public URL: the cookie is Secure.
        assert!(a.set_cookie.unwrap().contains("; Secure"));
        let page = get(&format!("{}/", server.url()), None).body;
        match note {
            Some(n) => assert!(page.contains(n), "{page}"),
            None => assert!(!page.contains("class=\"note\""), "{page}"),
        }
    }
}

#[test]
fn healthz_and_readyz() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.sqlite3");
    let client = orcid_client::ClientConfig::new(
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        "",
        orcid_client::Environment::Sandbox,
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let app = ConnectApp::new(
        ConnectConfig::new(client, "http://127.0.0.1:1", &store)
            .with_scopes([orcid_client::Scope::Authenticate]),
    )
    .unwrap();
    let server = orcid_connect::ConnectServer::start(listener, app).unwrap();
    let live = get(&format!("{}/healthz", server.url()), None);
    assert_eq!((live.status, live.body.as_str()), (200, "ok"));
    let ready = get(&format!("{}/readyz", server.url()), None);
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));
    // The store is gone and a directory stands in its place: not ready,
    // and the answer does not name the path.
    std::fs::remove_file(&store).unwrap();
    std::fs::create_dir(&store).unwrap();
    let ready = get(&format!("{}/readyz", server.url()), None);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(!ready.body.contains("s.sqlite3"), "{}", ready.body);
    // Liveness does not depend on the store.
    assert_eq!(get(&format!("{}/healthz", server.url()), None).status, 200);
}
