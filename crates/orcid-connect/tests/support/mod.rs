//! What the HTTP and browser tests share: the ORCID mock (set up by
//! `orcid-test-kit`) and the connect page on loopback ports, a temporary
//! store, and the events the page reported.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use orcid_client::{ClientConfig, Environment};
use orcid_connect::{
    Branding, ConnectApp, ConnectConfig, ConnectEvent, ConnectHandle, ConnectServer,
};
use orcid_mock::{MockConfig, MockHandle, MockServer, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use orcid_store::{Store, StoredToken};
use orcid_test_kit::mock::mock_config;
use tempfile::TempDir;

/// The institution name the tests configure.
pub const INSTITUTION: &str = "University of Testing & Examples";

/// A mock ORCID, a connect page in front of it, and the page's store.
pub struct Setup {
    pub app: ConnectHandle,
    pub mock: MockHandle,
    pub dir: TempDir,
    pub events: Arc<Mutex<Vec<ConnectEvent>>>,
}

/// Options of [`Setup::start`].
pub struct Options {
    /// The mock approves at once (no sign-in or consent page).
    pub auto_approve: bool,
    /// The client secret the page uses (default: the demo client's).
    pub client_secret: String,
    /// Changes to the page's configuration.
    pub tweak: fn(ConnectConfig) -> ConnectConfig,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            auto_approve: true,
            client_secret: DEMO_CLIENT_SECRET.into(),
            tweak: |c| c,
        }
    }
}

impl Setup {
    pub fn start(options: Options) -> Setup {
        let mock_config = MockConfig {
            auto_approve: options.auto_approve,
            ..mock_config()
        };
        let mock = MockServer::start(mock_config).expect("the mock starts");
        let dir = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let public_url = format!("http://{}", listener.local_addr().unwrap());
        let client = ClientConfig::new(
            DEMO_CLIENT_ID,
            options.client_secret,
            "",
            Environment::custom(mock.base_url()),
        );
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        let config = ConnectConfig::new(client, public_url, dir.path().join("store.sqlite3"))
            .with_branding(Branding {
                institution: INSTITUTION.into(),
                intro: None,
                contact: Some("research-support@example.edu".into()),
            })
            .on_event(move |e| seen.lock().unwrap().push(e.clone()));
        let app = ConnectApp::new((options.tweak)(config)).expect("the page's configuration");
        let app = ConnectServer::start(listener, app).expect("the page starts");
        Setup {
            app,
            mock,
            dir,
            events,
        }
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.path().join("store.sqlite3")
    }

    /// The token stored for the demo client and `orcid`.
    pub fn token(&self, orcid: &str) -> Option<StoredToken> {
        Store::open(self.store_path())
            .unwrap()
            .token(DEMO_CLIENT_ID, orcid)
            .unwrap()
    }

    /// How many researchers the store holds for the demo client.
    pub fn token_count(&self) -> usize {
        Store::open(self.store_path())
            .unwrap()
            .tokens(DEMO_CLIENT_ID)
            .unwrap()
            .len()
    }

    pub fn events(&self) -> Vec<ConnectEvent> {
        self.events.lock().unwrap().clone()
    }
}
