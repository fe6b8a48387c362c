//! The connect page in a real browser: headless Chromium driven through
//! WebDriver (Debian's `chromium` and `chromium-driver`) clicks the connect
//! button, signs in on the ORCID mock's page, and authorizes (or denies);
//! the test then reads the store.
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` (or
//! `$ORCID_CHROMIUM` and `$ORCID_CHROMEDRIVER`) the tests say they are
//! skipped and return, unless `ORCID_BROWSER_TESTS=require` (CI sets it):
//! then they fail. `ORCID_BROWSER_SCREENSHOTS=DIR` saves a PNG of each page.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use orcid_client::{ClientConfig, Environment, ExposeSecret, OrcidClient};
use orcid_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID, DEMO_PASSWORD};
use support::{Options, Setup, INSTITUTION};
use tempfile::TempDir;

/// One browser at a time: the machine may be small and shared.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long to wait for a page.
const PAGE_WAIT: Duration = Duration::from_secs(30);

struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

/// The browser and its driver, or `None` (after saying why) when they are
/// not installed and not required.
fn tools() -> Option<Tools> {
    let path = |var: &str, default: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default))
    };
    let tools = Tools {
        chromium: path("ORCID_CHROMIUM", "/usr/bin/chromium"),
        chromedriver: path("ORCID_CHROMEDRIVER", "/usr/bin/chromedriver"),
    };
    let missing: Vec<String> = [&tools.chromium, &tools.chromedriver]
        .into_iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Some(tools);
    }
    let msg = format!(
        "browser test needs {} (apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    orcid_test_kit::optional::missing("ORCID_BROWSER_TESTS", &msg);
    None
}

/// A running chromedriver, in its own process group so that the browser
/// it starts goes with it.
struct Driver {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Driver {
    fn start(tools: &Tools) -> Driver {
        let dir = tempfile::tempdir().unwrap();
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let mut cmd = Command::new(&tools.chromedriver);
        cmd.arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                dir.path().join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd.spawn().expect("chromedriver starts");
        let mut driver = Driver { child, port, dir };
        driver.wait_ready();
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("chromedriver.log")).unwrap_or_default()
    }

    fn wait_ready(&mut self) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("chromedriver exited ({status}):\n{}", self.log());
            }
            if let Ok(mut r) = agent.get(format!("{}/status", self.url())).call() {
                let body = r.body_mut().read_to_string().unwrap_or_default();
                if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready after 30 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The driver and the browser processes it started (same group).
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", self.child.id())])
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session with a fresh profile.
async fn browser(tools: &Tools, driver: &Driver, profile: &Path) -> Client {
    let args = [
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--window-size=1100,1000".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": tools.chromium.display().to_string(),
            "args": args,
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("a Chromium session: {e}\n{}", driver.log()))
}

/// Waits for the element `css` to appear.
async fn wait_for(c: &Client, css: &str) -> Element {
    match c
        .wait()
        .at_most(PAGE_WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(err) => {
            let url = c.current_url().await.map(|u| u.to_string());
            let source = c.source().await.unwrap_or_default();
            panic!("no `{css}` on the page ({err}); at {url:?}:\n{source}");
        }
    }
}

async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("ORCID_BROWSER_SCREENSHOTS") {
        let png = c.screenshot().await.expect("a screenshot");
        let path = PathBuf::from(dir).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("browser: saved {}", path.display());
    }
}

/// From the connect page through the mock's sign-in to its consent form.
async fn sign_in_at_the_mock(c: &Client, s: &Setup) {
    c.goto(&format!("{}/", s.app.url())).await.unwrap();
    let button = wait_for(c, "a#orcid-connect").await;
    // The text after the drawn iD mark.
    let label = button.text().await.unwrap();
    assert!(
        label.trim().ends_with("Create or Connect your ORCID iD"),
        "{label}"
    );
    let heading = c.find(Locator::Css("h1")).await.unwrap();
    assert!(heading.text().await.unwrap().contains(INSTITUTION));
    eprintln!("browser: the connect page is shown; clicking the button");
    screenshot(c, "1-start").await;
    button.click().await.unwrap();

    let signin = wait_for(c, "form#signin").await;
    let at = c.current_url().await.unwrap().to_string();
    assert!(
        at.starts_with(&format!("{}/oauth/authorize?", s.mock.base_url())),
        "{at}"
    );
    assert!(at.contains("state="), "{at}");
    eprintln!("browser: on the mock's sign-in page; signing in as {DEMO_ORCID}");
    screenshot(c, "2-sign-in").await;
    signin
        .find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(DEMO_ORCID)
        .await
        .unwrap();
    signin
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    signin
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(c, "form#consent").await;
    eprintln!("browser: on the mock's consent page");
    screenshot(c, "3-consent").await;
}

/// Starts the mock (with its sign-in and consent pages), the connect app
/// and Chromium; clicks the connect button, signs in at the mock and
/// answers its consent page with `choice` (`approve` or `deny`).
async fn answer_consent(tools: &Tools, choice: &str) -> (Setup, Driver, TempDir, Client) {
    let s = Setup::start(Options {
        auto_approve: false,
        ..Options::default()
    });
    let driver = Driver::start(tools);
    let profile = tempfile::tempdir().unwrap();
    let c = browser(tools, &driver, profile.path()).await;
    sign_in_at_the_mock(&c, &s).await;
    c.find(Locator::Css(&format!(
        "form#consent button[value={choice}]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    (s, driver, profile, c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_connects_in_chromium() {
    let Some(tools) = tools() else { return };
    let _one_at_a_time = SERIAL.lock().await;
    let (s, _driver, _profile, c) = answer_consent(&tools, "approve").await;

    let id = wait_for(&c, "#orcid-id").await;
    let uri = format!("{}/{DEMO_ORCID}", s.mock.base_url());
    assert_eq!(id.text().await.unwrap().trim(), uri);
    assert_eq!(
        id.attr("href").await.unwrap().as_deref(),
        Some(uri.as_str())
    );
    let name = c.find(Locator::Css("#orcid-name")).await.unwrap();
    assert_eq!(name.text().await.unwrap(), "Josiah Carberry");
    let at = c.current_url().await.unwrap().to_string();
    assert!(
        at.starts_with(&format!("{}/connect/callback?code=", s.app.url())),
        "{at}"
    );
    eprintln!("browser: landed on the success page at /connect/callback, showing {uri}");
    screenshot(&c, "4-connected").await;
    let page = c.source().await.unwrap();
    c.close().await.unwrap();

    // The store has the iD and the token, and the token is the one ORCID
    // (the mock) issued: it reads the record.
    let token = s
        .token(DEMO_ORCID)
        .expect("the token of 0000-0002-1825-0097 is in the store");
    assert_eq!(token.client_id, DEMO_CLIENT_ID);
    assert!(token.has_scope("/activities/update"));
    assert!(!page.contains(token.access_token.expose_secret()));
    let mock_base = s.mock.base_url().to_string();
    let access = token.access_token.clone();
    let record = tokio::task::spawn_blocking(move || {
        let client = OrcidClient::new(ClientConfig::new(
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            "",
            Environment::custom(mock_base),
        ))
        .unwrap();
        client
            .member(&access)
            .read_record(&orcid_model::scalar::OrcidId(DEMO_ORCID.into()))
    })
    .await
    .unwrap();
    assert!(record.is_ok(), "the stored token works: {record:?}");
    eprintln!(
        "browser: the store holds the token of {DEMO_ORCID} (scopes {}), and it reads the record",
        token.scope_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_denies_access_in_chromium() {
    let Some(tools) = tools() else { return };
    let _one_at_a_time = SERIAL.lock().await;
    let (s, _driver, _profile, c) = answer_consent(&tools, "deny").await;

    let heading = wait_for(&c, "h1#denied").await;
    assert_eq!(heading.text().await.unwrap(), "You denied access");
    let at = c.current_url().await.unwrap().to_string();
    assert!(
        at.starts_with(&format!("{}/connect/callback?", s.app.url()))
            && at.contains("error=access_denied"),
        "{at}"
    );
    eprintln!("browser: denied at the mock; the page says \"You denied access\"");
    screenshot(&c, "5-denied").await;
    c.find(Locator::Css("a#try-again"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "a#orcid-connect").await;
    eprintln!("browser: \"try again\" leads back to the connect page");
    c.close().await.unwrap();

    assert_eq!(s.token_count(), 0, "nothing is stored after a denial");
    assert!(s.token(DEMO_ORCID).is_none());
}
