//! A "Connect your ORCID iD" web page, for an institution to run as is
//! (`orcid connect serve`) or to nest in its own axum app.
//!
//! | Route | What it does |
//! |---|---|
//! | `GET /` | Explains ORCID and what the institution asks for, with the "Create or Connect your ORCID iD" button. |
//! | `GET /connect/start` | Makes a fresh `state`, signed with a key random to the process, carrying its expiry and bound to the browser by a cookie (the page keeps nothing per visit), and redirects to ORCID's authorize page with the configured scopes. |
//! | `GET /connect/callback` | ORCID's redirect back. Checks the `state` (unknown, expired, reused or another browser's: an error page; a state that connected someone is kept until it expires, to refuse it again). A denial gives a "you denied access" page. Otherwise it exchanges the code at once, stores the iD and token in the [`orcid_store`] database (mode `0600`), reads the researcher's name from their record (`personal-details`, in the client's [`api_version`](orcid_client::ClientConfig::api_version), v3.0 by default; else the token answer's name), and shows the iD. |
//! | `GET /healthz` | Liveness: 200 `ok`. Only when served on its own ([`serve`], [`ConnectServer`]), not in [`router`]. |
//! | `GET /readyz` | Readiness: 200 `ready` when the store can be opened and read, 503 otherwise (the reason is logged). Only when served on its own. |
//!
//! Register `{public_url}/connect/callback` as a redirect URI of your ORCID
//! client. The same code works against production ORCID, the sandbox, or
//! the local mock (`orcid mock serve`, whose demo client accepts any
//! `http://127.0.0.1:PORT/…` redirect).
//!
//! The pages are plain HTML and CSS with no script; everything shown is
//! escaped. Answers are never cached and send no referrer. The client
//! secret, codes and tokens are never shown or logged (logs go to
//! `tracing`, target `orcid_connect`).
//!
//! # Running it
//!
//! ```no_run
//! use orcid_client::{ClientConfig, Environment};
//! use orcid_connect::{Branding, ConnectApp, ConnectConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ClientConfig::new(
//!     "APP-XXXXXXXXXXXXXXXX",
//!     std::env::var("ORCID_CLIENT_SECRET")?,
//!     "", // replaced by {public_url}/connect/callback
//!     Environment::Sandbox,
//! );
//! let config = ConnectConfig::new(client, "https://repository.example.edu", "/var/lib/orcid/store.sqlite3")
//!     .with_branding(Branding {
//!         institution: "University of Examples".into(),
//!         intro: None,
//!         contact: Some("research-support@example.edu".into()),
//!     })
//!     .on_event(|event| eprintln!("{event:?}"));
//! let app = ConnectApp::new(config)?;
//! let listener = std::net::TcpListener::bind("127.0.0.1:8080")?;
//! orcid_connect::serve_blocking(listener, app)?; // until the process ends
//! # Ok(()) }
//! ```
//!
//! # Embedding it
//!
//! [`router`] gives an [`axum::Router`] to nest under a path of your app;
//! the public URL then ends with that path.
//!
//! ```no_run
//! # use orcid_client::{ClientConfig, Environment};
//! # use orcid_connect::{ConnectApp, ConnectConfig};
//! # async fn run(client: ClientConfig) -> Result<(), Box<dyn std::error::Error>> {
//! let config = ConnectConfig::new(client, "https://www.example.edu/orcid", "store.sqlite3");
//! let app = ConnectApp::new(config)?;
//! let site = axum::Router::new()
//!     // … your routes …
//!     .nest("/orcid", orcid_connect::router(app));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, site).await?;
//! # Ok(()) }
//! ```
//!
//! [`ConnectConfig::on_event`] tells your code who connected
//! ([`ConnectEvent::Connected`] carries the iD, never the token), e.g. to link
//! the iD to a local account; the token is in the store
//! (`Store::token(client_id, orcid)`).

#![warn(missing_docs)]

mod config;
mod error;
mod pages;
mod pending;
mod routes;
mod server;
mod token;

use std::sync::Arc;

use orcid_client::{OrcidClient, ScopeListError};
use orcid_store::Store;

pub use config::{
    parse_scopes, Branding, ConnectConfig, ConnectEvent, Connected, EventHook, CALLBACK_PATH,
    DEFAULT_SCOPES, DEFAULT_STATE_TTL, START_PATH,
};
pub use error::ConnectError;
/// Escapes text for HTML (the pages' escaping; see [`orcid_web::escape_html`]).
pub use orcid_web::escape_html as escape;
pub use server::{serve, serve_blocking, serve_with_shutdown, ConnectHandle, ConnectServer};
pub use token::stored_token;

use config::PublicUrl;
use pages::Chrome;
use pending::Pending;

/// The app: its configuration, the ORCID client and the authorizations
/// under way. Cheap to clone (an `Arc`).
#[derive(Clone)]
pub struct ConnectApp {
    inner: Arc<Inner>,
}

struct Inner {
    config: ConnectConfig,
    client: OrcidClient,
    redirect_uri: String,
    chrome: Chrome,
    cookie_path: String,
    https: bool,
    pending: Pending,
}

impl std::fmt::Debug for ConnectApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectApp")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl ConnectApp {
    /// Checks `config`, builds the ORCID client, and opens the store once
    /// (creating it, mode `0600`), so that a store that cannot be written
    /// fails now rather than after a researcher's code is spent. Blocking.
    pub fn new(config: ConnectConfig) -> Result<ConnectApp, ConnectError> {
        let public = PublicUrl::parse(&config.public_url)?;
        if config.scopes.is_empty() {
            return Err(ConnectError::Scope("no scope is configured".into()));
        }
        if let Some(s) = config.scopes.iter().find(|s| s.is_client_credentials()) {
            return Err(ConnectError::Scope(
                ScopeListError::ClientCredentials(*s).to_string(),
            ));
        }
        let redirect_uri = config.redirect_uri();
        let mut client_config = config.client.clone();
        client_config.redirect_uri = redirect_uri.clone();
        let client = OrcidClient::new(client_config)?;
        Store::open(&config.store_path).map_err(|source| ConnectError::Store {
            path: config.store_path.clone(),
            source,
        })?;
        let chrome = Chrome::new(
            config.branding.clone(),
            public.base_path.clone(),
            &config.client.environment,
        );
        Ok(ConnectApp {
            inner: Arc::new(Inner {
                pending: Pending::new(config.state_ttl),
                cookie_path: format!("{}/connect", public.base_path),
                https: public.https,
                chrome,
                redirect_uri,
                client,
                config,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ConnectConfig {
        &self.inner.config
    }

    /// `{public_url}/connect/callback`: register it with the ORCID client.
    pub fn redirect_uri(&self) -> &str {
        &self.inner.redirect_uri
    }

    /// The start page's URL (`{public_url}/`).
    pub fn start_page_url(&self) -> String {
        format!("{}/", self.inner.config.public_url.trim_end_matches('/'))
    }

    /// Calls the event hook, if any, on the blocking pool.
    async fn emit(&self, event: ConnectEvent) {
        if let Some(hook) = self.inner.config.on_event.clone() {
            let _ = tokio::task::spawn_blocking(move || hook(&event)).await;
        }
    }

    /// Calls the event hook, if any, on this (blocking) thread.
    fn emit_blocking(&self, event: &ConnectEvent) {
        if let Some(hook) = &self.inner.config.on_event {
            hook(event);
        }
    }
}

/// The app's routes, to serve as they are or to nest under a path of your
/// own axum app (make the [`ConnectConfig::public_url`] end with that path).
pub fn router(app: ConnectApp) -> axum::Router {
    routes::routes(app)
}
