//! `orcid connect serve` end to end: the binary in front of the ORCID mock,
//! with a bare HTTP client as the browser. The page itself is tested in
//! `crates/orcid-connect` (routes over HTTP, and in headless Chromium).

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

use common::Env;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID};
use orcid_store::Store;
use orcid_test_kit::http::agent;

/// A running `orcid connect serve`, stopped when dropped.
struct Serving {
    child: Child,
    url: String,
}

impl Serving {
    fn start(env: &Env, args: &[&str]) -> Serving {
        let mut all = vec!["connect", "serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = env
            .orcid(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        if !line.starts_with("http://") {
            let _ = child.kill();
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("no URL printed ({line:?}); stderr: {err}");
        }
        Serving {
            child,
            url: line.trim().trim_end_matches('/').to_string(),
        }
    }

    /// Stops the server; what it wrote on standard error.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        err
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_string()
}

#[test]
fn connect_serve_stores_the_researcher_for_the_other_commands() {
    let env = Env::unconnected();
    let serving = Serving::start(
        &env,
        &[
            "--institution",
            "Test <University>",
            "--scope",
            "/activities/update,/read-limited",
        ],
    );
    let agent = agent();

    let mut page = agent.get(format!("{}/", serving.url)).call().unwrap();
    assert_eq!(page.status(), 200);
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.contains("Test &lt;University&gt;"), "{html}");
    assert!(html.contains("id=\"orcid-connect\" href=\"/connect/start\""));

    // The button, the mock (auto-approve), and back with the code.
    let start = agent
        .get(format!("{}/connect/start", serving.url))
        .call()
        .unwrap();
    assert_eq!(start.status(), 302);
    let authorize = header(&start, "location");
    assert!(authorize.starts_with(&format!("{}/oauth/authorize?", env.server.base_url())));
    assert!(
        authorize.contains("scope=%2Factivities%2Fupdate%20%2Fread-limited"),
        "{authorize}"
    );
    let cookie = header(&start, "set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let back = agent.get(&authorize).call().unwrap();
    let callback = header(&back, "location");
    assert!(callback.starts_with(&format!("{}/connect/callback?code=", serving.url)));
    let mut done = agent
        .get(&callback)
        .header("Cookie", &cookie)
        .call()
        .unwrap();
    assert_eq!(done.status(), 200);
    let html = done.body_mut().read_to_string().unwrap();
    assert!(
        html.contains(&format!("{}/{DEMO_ORCID}", env.server.base_url())),
        "{html}"
    );
    let err = serving.stop();
    assert!(
        err.contains("Redirect URI to register with the client: http://127.0.0.1:"),
        "{err}"
    );
    assert!(
        err.contains(&format!("connected {DEMO_ORCID} (Josiah Carberry)")),
        "{err}"
    );
    assert!(!err.contains(DEMO_CLIENT_SECRET), "{err}");
    // The page reads the researcher in the configured API version (the
    // tests' Env pins 2.1; the default is 3.0).
    assert!(err.contains("(API v2.1)"), "{err}");

    // The token is in the configured store, for the other commands.
    let token = Store::open(env.store_path())
        .unwrap()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .expect("the token is stored");
    assert_eq!(token.scopes, ["/activities/update", "/read-limited"]);
    let list = env.output(&["auth", "list"]);
    assert!(list.status.success());
    assert!(String::from_utf8_lossy(&list.stdout).contains(DEMO_ORCID));
}

#[test]
fn connect_serve_refuses_bad_settings() {
    let env = Env::unconnected();
    for (args, expect) in [
        (
            vec!["connect", "serve", "--scope", "/read-public"],
            "client credentials",
        ),
        (
            vec!["connect", "serve", "--scope", "/nope"],
            "not an ORCID scope",
        ),
        (
            vec!["connect", "serve", "--addr", "0.0.0.0:0"],
            "needs --public-url",
        ),
        (
            vec![
                "connect",
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--public-url",
                "orcid.example.edu",
            ],
            "public URL",
        ),
    ] {
        let out = env.output(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
    }
    let out = env
        .orcid(&["connect", "serve", "--addr", "127.0.0.1:0"])
        .env_remove("ORCID_CLIENT_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no ORCID client secret"));
}
