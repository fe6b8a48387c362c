//! `orcid auth` and `orcid config` end to end: the binary against the ORCID
//! mock over real HTTP on loopback. The login tests follow the URL the CLI
//! prints, as a browser would.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Stdio};

use common::Env;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID};
use orcid_test_kit::http::agent;
use secrecy::ExposeSecret;

impl Env {
    /// Starts `orcid auth login ARGS` and reads the authorize URL it prints.
    fn start_login(&self, args: &[&str]) -> Login {
        let mut all = vec!["auth", "login", "--no-browser", "--timeout", "60"];
        all.extend_from_slice(args);
        let mut child = self
            .orcid(&all)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        loop {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("no URL printed; stderr: {err}");
            }
            if line.starts_with("http") {
                break;
            }
        }
        Login {
            url: line.trim().to_string(),
            child,
            stdout,
        }
    }
}

/// A running `orcid auth login`.
struct Login {
    url: String,
    child: Child,
    stdout: BufReader<ChildStdout>,
}

impl Login {
    /// Waits for the CLI; its status, the rest of stdout, and stderr.
    fn finish(mut self) -> (bool, String, String) {
        let mut out = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        let mut err = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = self.child.wait().unwrap();
        (status.success(), out, err)
    }
}

/// A browser: follows redirects, reports any status.
fn browser() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(agent: &ureq::Agent, url: &str) -> (u16, String) {
    let resp = agent.get(url).call().unwrap();
    let status = resp.status().as_u16();
    (status, resp.into_body().read_to_string().unwrap())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn login_follows_the_printed_url_then_list_refresh_and_revoke() {
    let env = Env::unconnected();
    let login = env.start_login(&[]);
    assert!(
        login
            .url
            .starts_with(&format!("{}/oauth/authorize?", env.server.base_url())),
        "{}",
        login.url
    );
    assert!(login.url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"));
    assert!(login.url.contains("%2Factivities%2Fupdate"));

    // The browser: authorize page (auto-approve) → redirect to the CLI.
    let (status, page) = get(&browser(), &login.url);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ORCID iD connected"), "{page}");
    assert!(page.contains(DEMO_ORCID));

    let (ok, out, err) = login.finish();
    assert!(ok, "stdout: {out}\nstderr: {err}");
    assert!(
        out.contains(&format!("Connected {DEMO_ORCID} (Josiah Carberry)")),
        "{out}"
    );
    assert!(out.contains("/activities/update"), "{out}");

    // The store holds the token, readable by its owner only.
    let token = env
        .store()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .expect("token stored");
    assert_eq!(token.name.as_deref(), Some("Josiah Carberry"));
    assert!(token.has_scope("/person/update"));
    assert!(token.refresh_token.is_some());
    let access = token.access_token.expose_secret().to_string();
    assert!(!out.contains(&access) && !err.contains(&access));
    #[cfg(unix)]
    assert_eq!(mode(&env.store_path()), 0o600);

    // The token works at the mock.
    let works = format!("{}/v2.1/{DEMO_ORCID}/works", env.server.base_url());
    let call = |t: &str| {
        agent()
            .get(&works)
            .header("Authorization", &format!("Bearer {t}"))
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(call(&access), 200);

    // auth list: the iD and name, never the token.
    let list = env.output(&["auth", "list"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let shown = text(&list.stdout);
    assert!(
        shown.contains(DEMO_ORCID) && shown.contains("Josiah Carberry"),
        "{shown}"
    );
    assert!(shown.contains("refreshable"), "{shown}");
    assert!(!shown.contains(&access), "{shown}");

    // auth refresh: a new token replaces the old one, which is revoked.
    let refreshed = env.output(&["auth", "refresh"]);
    assert!(refreshed.status.success(), "{}", text(&refreshed.stderr));
    assert!(text(&refreshed.stdout).contains(DEMO_ORCID));
    let new = env
        .store()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .unwrap();
    let new_access = new.access_token.expose_secret().to_string();
    assert_ne!(new_access, access);
    assert!(!text(&refreshed.stdout).contains(&new_access));
    assert_eq!(call(&access), 401);
    assert_eq!(call(&new_access), 200);

    // auth revoke: revoked at ORCID, then forgotten.
    let revoked = env.output(&["auth", "revoke", "--orcid", DEMO_ORCID]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(text(&revoked.stdout).contains("Revoked"));
    assert!(env
        .store()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .is_none());
    assert_eq!(call(&new_access), 401);
    let list = env.output(&["auth", "list"]);
    assert!(text(&list.stdout).contains("No researcher is connected"));
    // Nothing left to revoke.
    let again = env.output(&["auth", "revoke"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("auth login"));
}

/// The port of the loopback listener, from the authorize URL's redirect URI.
fn listener_port(url: &str) -> String {
    let port_at = url.find("127.0.0.1%3A").unwrap() + "127.0.0.1%3A".len();
    url[port_at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn login_answers_forged_requests_and_waits_for_the_real_redirect() {
    let env = Env::unconnected();
    let login = env.start_login(&[]);
    // Where ORCID redirects to; the browser has not gone there yet.
    let resp = agent().get(&login.url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let (before, state) = location.split_once("state=").expect("a state");
    assert!(!state.is_empty());
    let callback = before.split('?').next().unwrap();

    // Forged requests: another state, no code, an error without the state,
    // a request that is not HTTP. Each is answered and ignored.
    let forged = [
        format!("{before}state=forged{}", "0".repeat(24)),
        format!("{callback}?state={state}"),
        format!("{callback}?error=access_denied&state=forged"),
        format!("{callback}?code=Ab12Cd"),
        callback.to_string(),
    ];
    for url in &forged {
        let (status, page) = get(&browser(), url);
        assert_eq!(status, 400, "{url}: {page}");
        assert!(page.contains("Not the expected redirect"), "{url}: {page}");
    }
    let port = listener_port(&login.url);
    let mut raw = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    std::io::Write::write_all(&mut raw, b"\x16\x03\x01garbage\r\n\r\n").unwrap();
    let mut answer = String::new();
    raw.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");

    // The real redirect still completes the login, with its unused code.
    let (status, page) = get(&browser(), &location);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ORCID iD connected"), "{page}");
    let (ok, out, err) = login.finish();
    assert!(ok, "stdout: {out}\nstderr: {err}");
    assert!(out.contains(&format!("Connected {DEMO_ORCID}")), "{out}");
    assert!(env
        .store()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .is_some());
}

#[test]
fn login_stops_when_orcid_redirects_with_an_error() {
    let env = Env::unconnected();
    let login = env.start_login(&[]);
    let resp = agent().get(&login.url).call().unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let (before, state) = location.split_once("state=").expect("a state");
    let callback = before.split('?').next().unwrap();
    // The researcher denied access: ORCID's redirect carries the state.
    let denied =
        format!("{callback}?error=access_denied&error_description=User%20denied&state={state}");
    let (status, page) = get(&browser(), &denied);
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("Connection failed"), "{page}");
    let (ok, out, err) = login.finish();
    assert!(!ok, "{out}");
    assert!(err.contains("access_denied"), "{err}");
}

#[test]
fn login_creates_a_record_on_demand_and_ignores_other_paths() {
    let env = Env::unconnected();
    let login = env.start_login(&[
        "--given-names",
        "Sofia",
        "--family-names",
        "Garcia",
        "--email",
        "sofia@example.org",
        "--scope",
        "/activities/update,/read-limited",
    ]);
    assert!(login.url.contains("show_login=false"), "{}", login.url);
    assert!(login.url.contains("given_names=Sofia"), "{}", login.url);
    // A stray request (a favicon) does not end the wait.
    let port = listener_port(&login.url);
    let (status, _) = get(&browser(), &format!("http://127.0.0.1:{port}/favicon.ico"));
    assert_eq!(status, 404);

    let (status, page) = get(&browser(), &login.url);
    assert_eq!(status, 200, "{page}");
    let (ok, out, err) = login.finish();
    assert!(ok, "{err}");
    let line = out.lines().find(|l| l.starts_with("Connected ")).unwrap();
    assert!(line.ends_with("(Sofia Garcia)"), "{line}");
    let id = line
        .trim_start_matches("Connected ")
        .split(' ')
        .next()
        .unwrap();
    assert_ne!(id, DEMO_ORCID);
    assert!(env.server.state().researcher(id).is_some());
    let token = env.store().token(DEMO_CLIENT_ID, id).unwrap().unwrap();
    assert_eq!(
        token.scopes,
        vec![
            "/activities/update".to_string(),
            "/read-limited".to_string()
        ]
    );
}

#[test]
fn login_times_out_and_refuses_unknown_scopes() {
    let env = Env::unconnected();
    let out = env.output(&["auth", "login", "--no-browser", "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no redirect from ORCID"));
    let out = env.output(&["auth", "login", "--no-browser", "--scope", "/web-hook"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not an ORCID scope"));
}

#[test]
fn config_show_masks_the_secret_and_says_where_values_come_from() {
    let env = Env::unconnected();
    let file = env.dir.path().join("orcid.toml");
    std::fs::write(
        &file,
        "client_id = \"APP-FILE000000000000\"\nclient_secret = \"very-secret-value\"\n\
         environment = \"sandbox\"\nformat = \"json\"\nstore = \"my-store.sqlite3\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let out = env
        .orcid(&["config", "show", "--config", file.to_str().unwrap()])
        .env_remove("ORCID_CLIENT_ID")
        .env_remove("ORCID_CLIENT_SECRET")
        .env_remove("ORCID_ENVIRONMENT")
        .env_remove("ORCID_STORE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(!shown.contains("very-secret-value"), "{shown}");
    assert!(shown.contains("********  [config file]"), "{shown}");
    assert!(
        shown.contains("APP-FILE000000000000  [config file]"),
        "{shown}"
    );
    assert!(
        shown.contains("sandbox (OAuth https://sandbox.orcid.org"),
        "{shown}"
    );
    assert!(
        shown.contains("json (application/vnd.orcid+json)"),
        "{shown}"
    );
    assert!(
        shown.contains(
            &env.dir
                .path()
                .join("my-store.sqlite3")
                .display()
                .to_string()
        ),
        "{shown}"
    );
    #[cfg(unix)]
    assert!(shown.contains("chmod 600"), "{shown}");

    // The environment wins over the file.
    let out = env
        .orcid(&["config", "show", "--config", file.to_str().unwrap()])
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&format!("{DEMO_CLIENT_ID}  [$ORCID_CLIENT_ID]")),
        "{shown}"
    );
    assert!(shown.contains("[$ORCID_ENVIRONMENT]"), "{shown}");
    assert!(!shown.contains(DEMO_CLIENT_SECRET), "{shown}");

    // Without credentials the commands say how to set them (exit 2).
    let out = env
        .orcid(&["auth", "list"])
        .env_remove("ORCID_CLIENT_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("ORCID_CLIENT_ID"));
    // A bad file is an error with its name.
    std::fs::write(&file, "nonsense = 1\n").unwrap();
    let out = env
        .orcid(&["config", "show", "--config", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("orcid.toml"),
        "{}",
        text(&out.stderr)
    );
}
