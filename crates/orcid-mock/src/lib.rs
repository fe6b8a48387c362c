//! A local server that behaves like ORCID's: OAuth 2.0 (`/oauth/authorize`,
//! `/oauth/token`, `/oauth/revoke`) and the member API v2.1 (`/v2.1/{orcid}/…`)
//! and v3.0 (`/v3.0/{orcid}/…`) in XML and JSON, with ORCID's status and
//! error codes (`docs/orcid-api.md` §1–§7; section numbers (§) in this
//! crate's comments refer to that document; v3.0: `docs/orcid-v3.md`).
//!
//! * Both versions serve one record store: an item written in v2.1 is read,
//!   updated and deleted in v3.0 under the same put-code, and the other way
//!   round. Each item is kept in the version it was last written in, with
//!   its view in the other version computed on write
//!   (`orcid_model::convert`): v2.1 readers see what ORCID shows them (the
//!   v3-only sections hidden, new work types as `other`, `version-of` ids
//!   dropped), v3.0 readers see v2.1 items upgraded.
//! * v3.0 bodies are validated as v3.0 (the v3.0 XSD and ORCID's v3.0
//!   rules); v3.0 reads are grouped as ORCID groups them
//!   (`affiliation-group`, `peer-review-group`, see [`views3`]).
//! * External ids are normalized per type as ORCID does
//!   (`orcid_model::identifiers`): v3.0 reads of works, peer-review
//!   identifiers, research resources and affiliations (full items,
//!   summaries and groups) show `external-id-normalized`
//!   (`transient="true"`) or the 8001 `external-id-normalized-error`
//!   (fundings and the peer-review subject id neither), reads group by the
//!   normalized value, and v3.0's duplicate check (409/9021) compares
//!   normalized values (raw for fundings).
//!
//! * Requests are checked the way ORCID checks them: bearer token (403 when
//!   missing, 401 `invalid_token`), media types (406/415), the body against
//!   the XSD and ORCID's rules (through `orcid-validate`: 9001 for XML, 9047
//!   for JSON, each rule with its code), the record (404/9016), the token's
//!   iD (401/9017) and scopes (403/9038), put-codes (9019, 9024, 9016),
//!   visibility (9035), duplicates (409/9021, 9030) and the source (403/9010).
//! * Writes get what ORCID's server overwrites: a put-code, the calling
//!   client as source, dates, `display-index` 0 (ORCID's value for API
//!   writes), and on a claimed record the researcher's default visibility. Every activity write adds an AMENDED notification
//!   to the researcher's inbox (`GET /mock/inbox/{orcid}`).
//! * Answers look like ORCID's to third-party clients: its `Content-Type`
//!   (`application/vnd.orcid+xml; qs=5;charset=UTF-8`, …), its no-cache and
//!   CORS headers on 201/204, its error wording (no rule ids; an unknown iD
//!   is `… Full validation error: ORCID iD … not found`).
//! * Rate limits (24 requests/s, burst 40, then 503) and faults (latency,
//!   dropped connections, 5xx for the next N requests: `POST /mock/faults`)
//!   can be switched for client tests.
//! * State lives in memory, or in a SQLite file (`state_file`), written
//!   through on every change (tokens are stored as issued: a test tool).
//!
//! # Endpoints
//!
//! | Path | Methods |
//! |---|---|
//! | `/oauth/authorize` | GET (sign-in/registration page, or an immediate redirect with `auto_approve`), POST (the forms) |
//! | `/oauth/token` | POST: `authorization_code`, `refresh_token`, `client_credentials` |
//! | `/oauth/revoke` | POST |
//! | `/v2.1/{orcid}`, `/record`, `/person`, `/personal-details`, `/biography`, `/email`, `/activities` | GET |
//! | `/v2.1/{orcid}/works`, `/fundings`, `/educations`, `/employments`, `/peer-reviews` | GET (works and fundings grouped by shared external ids, peer reviews by group id); POST `/works` = bulk |
//! | `/v2.1/{orcid}/works/{pc,pc,…}` | GET (bulk read) |
//! | `/v2.1/{orcid}/{work,funding,education,employment,peer-review}` | POST |
//! | `/v2.1/{orcid}/{…}/{pc}`, `/{…}/summary/{pc}` | GET, PUT, DELETE; GET |
//! | `/v2.1/{orcid}/{researcher-urls,other-names,keywords,address,external-identifiers}[/{pc}]` | GET, POST; GET, PUT, DELETE |
//! | `/v2.1/{orcid}/notification-permission[/{pc}]` | POST, GET; GET, DELETE (archive) |
//! | `/v3.0/{orcid}`, `/record`, `/person`, `/personal-details`, `/biography`, `/email`, `/activities` | GET (v3.0 shapes; 11 activity sections) |
//! | `/v3.0/{orcid}/summary` | GET: `summary:record-summary` of the public data |
//! | `/v3.0/{orcid}/works`, `/fundings`, `/peer-reviews`, `/research-resources`, `/{distinctions,educations,employments,invited-positions,memberships,qualifications,services}` | GET (works, fundings, research resources grouped by shared ids; peer reviews by group id, then `peer-review-group`; affiliations as `affiliation-group`s); POST `/works` = bulk |
//! | `/v3.0/{orcid}/works/{pc,pc,…}` | GET (bulk read) |
//! | `/v3.0/{orcid}/{work,funding,peer-review,research-resource,distinction,education,employment,invited-position,membership,qualification,service}` | POST (research resources and the five professional activities on the AFFILIATIONS scopes) |
//! | `/v3.0/{orcid}/{…}/{pc}`, `/{…}/summary/{pc}` | GET, PUT, DELETE; GET |
//! | `/v3.0/{orcid}/{researcher-urls,other-names,keywords,address,external-identifiers}[/{pc}]` | GET, POST; GET, PUT, DELETE |
//! | `/v3.0/{orcid}/notification-permission[/{pc}]` | POST, GET; GET, DELETE (archive): one inbox with v2.1's |
//! | `/v2.0/…` | everything `/v2.1/…` serves, written as v2.0 writes it: ORCID iD URIs (`common:uri`) with `http://`, `Location` under `/v2.0/` |
//! | `/status`, `/v2.0/status`, `/v2.1/status`, `/v3.0/status` | GET, no token: `200 text/plain` `OK I am here` |
//! | `/v2.1/search`, `/v3.0/search`, `/v3.0/expanded-search`, `/v3.0/csv-search` | GET `?q=&start=&rows=` (`&fl=` for CSV) over the researchers' public data; a small subset of ORCID's Solr syntax, see `search.rs` |
//! | `/mock/inbox/{orcid}` | GET: notifications as JSON |
//! | `/mock/faults` | GET, POST ([`FaultConfig`] as JSON), DELETE |
//! | `/mock/rate-limit` | GET, POST ([`RateLimitConfig`] as JSON) |
//! | `/mock/researchers` | GET |
//! | `/mock/requests` | GET: [`RequestCounts`] of OAuth and API requests; DELETE resets |
//! | `/mock/records/{orcid}/items/{put-code}` | DELETE: the researcher deletes an item (any source) |
//!
//! Simplified: no group-id records, webhooks, OpenID Connect or
//! implicit grant; put-codes are global
//! counters; person-item and activity validation is what `orcid-validate`
//! checks (no organisation or peer-review group lookups, 9045/9026).
//!
//! ```
//! use std::io::{Read, Write};
//! use orcid_mock::{MockConfig, MockServer, DEMO_CLIENT_ID};
//!
//! // Authorize redirects at once with a code for the demo researcher.
//! let config = MockConfig { auto_approve: true, ..MockConfig::default() };
//! let server = MockServer::start(config)?;
//!
//! // Any HTTP client will do; here a bare request over std's TcpStream.
//! let mut s = std::net::TcpStream::connect(server.addr())?;
//! write!(
//!     s,
//!     "GET /oauth/authorize?client_id={DEMO_CLIENT_ID}&response_type=code&state=s1\
//!      &scope=/activities/update&redirect_uri=http://127.0.0.1:9/cb HTTP/1.1\r\n\
//!      Host: x\r\nConnection: close\r\n\r\n"
//! )?;
//! let mut answer = String::new();
//! s.read_to_string(&mut answer)?;
//! assert!(answer.starts_with("HTTP/1.1 302"));
//! assert!(answer.contains("location: http://127.0.0.1:9/cb?code="));
//! // Next: POST the code to `{base}/oauth/token` (grant_type=authorization_code,
//! // client_id, client_secret, code, redirect_uri), then call
//! // `{base}/v2.1/0000-0002-1825-0097/work` with `Authorization: Bearer …`.
//! server.shutdown();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use axum::http::HeaderMap;
use axum::routing::{any, get, post};
use axum::Router;
use orcid_web::BackgroundServer;

mod api;
mod api2;
mod api3;
mod bulk;
pub mod config;
mod faults;
mod http;
pub mod items;
mod mockapi;
mod oauth;
pub mod scopes;
mod search;
pub mod store;
mod util;
pub mod views;
pub mod views3;

pub use config::{
    ApiConfig, ClientConfig, ConfigError, ErrorStyle, FaultConfig, MockConfig, OAuthConfig,
    RateLimitConfig, ResearcherConfig, TimeoutConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
    DEMO_ORCID, DEMO_PASSWORD,
};
pub use oauth::redirect_matches;
pub use store::{AmendedItem, Notification, Researcher};

use faults::{DropConnection, FaultState};
use store::Store;

/// Errors of starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The state file could not be opened or read.
    #[error("state file: {0}")]
    State(String),
}

pub(crate) struct Inner {
    config: MockConfig,
    clients: Vec<ClientConfig>,
    store: Mutex<Store>,
    faults: Mutex<FaultState>,
    base_url: RwLock<Option<String>>,
    requests: Mutex<RequestCounts>,
}

/// How many OAuth and API requests the mock answered, by method (the
/// control routes `/mock/*` are not counted). Tests assert on these, e.g.
/// that a second, unchanged push makes no write call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RequestCounts {
    /// `GET` requests.
    pub get: u64,
    /// `POST` requests (including OAuth token requests).
    pub post: u64,
    /// `PUT` requests.
    pub put: u64,
    /// `DELETE` requests.
    pub delete: u64,
    /// Requests with any other method.
    pub other: u64,
}

impl RequestCounts {
    /// Writes: POST, PUT and DELETE.
    pub fn writes(&self) -> u64 {
        self.post + self.put + self.delete
    }
}

/// The shared state of a mock server (cheap to clone).
#[derive(Clone)]
pub struct MockState {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for MockState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockState")
            .field("clients", &self.inner.clients.len())
            .finish()
    }
}

impl MockState {
    /// A state for `config` (opens the state file, if any).
    pub fn new(config: MockConfig) -> Result<MockState, MockError> {
        config.check()?;
        let store = Store::open(&config)?;
        let clients = config.all_clients();
        let faults = FaultState::new(config.faults.clone(), config.rate_limit.clone());
        Ok(MockState {
            inner: Arc::new(Inner {
                base_url: RwLock::new(config.api_base.clone()),
                config,
                clients,
                store: Mutex::new(store),
                faults: Mutex::new(faults),
                requests: Mutex::new(RequestCounts::default()),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MockConfig {
        &self.inner.config
    }

    /// Every client.
    pub fn clients(&self) -> &[ClientConfig] {
        &self.inner.clients
    }

    pub(crate) fn client(&self, id: &str) -> Option<&ClientConfig> {
        self.inner.clients.iter().find(|c| c.id == id)
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.inner.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A researcher's record.
    pub fn researcher(&self, orcid: &str) -> Option<Researcher> {
        self.store().researchers.get(orcid).cloned()
    }

    /// Whether the mock can serve (for `GET /readyz`): its state can be
    /// read, and the directory of its state file, if any, exists. The
    /// reason when not.
    pub fn ready(&self) -> Result<(), String> {
        // Reading the state: a handler that panicked while holding it
        // leaves it poisoned, which the mock tolerates but reports here.
        if self.inner.store.lock().is_err() {
            return Err("the state was left inconsistent by a failed request".into());
        }
        if let Some(file) = &self.config().state_file {
            let dir = match file.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => std::path::Path::new("."),
            };
            if !dir.is_dir() {
                return Err("the state file's directory is missing".into());
            }
        }
        Ok(())
    }

    /// Every researcher (configured and registered), by iD.
    pub fn researchers(&self) -> Vec<Researcher> {
        self.store().researchers.values().cloned().collect()
    }

    /// A researcher's inbox, oldest first.
    pub fn inbox(&self, orcid: &str) -> Vec<Notification> {
        self.store()
            .notifications
            .iter()
            .filter(|n| n.orcid == orcid)
            .cloned()
            .collect()
    }

    /// Replaces the active faults.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .faults = faults;
    }

    /// The active faults (counters as they stand).
    pub fn faults(&self) -> FaultConfig {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .faults
            .clone()
    }

    /// Replaces the rate-limit settings (and refills the bucket).
    pub fn set_rate_limit(&self, rate: RateLimitConfig) {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .set_rate(rate);
    }

    /// The rate-limit settings.
    pub fn rate_limit(&self) -> RateLimitConfig {
        self.inner
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .rate
            .clone()
    }

    /// The requests answered so far on the OAuth and API routes.
    pub fn request_counts(&self) -> RequestCounts {
        *self
            .inner
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the request counters back to zero.
    pub fn reset_request_counts(&self) {
        *self
            .inner
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = RequestCounts::default();
    }

    pub(crate) fn count_request(&self, method: &axum::http::Method) {
        let mut c = self
            .inner
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let slot = match *method {
            axum::http::Method::GET => &mut c.get,
            axum::http::Method::POST => &mut c.post,
            axum::http::Method::PUT => &mut c.put,
            axum::http::Method::DELETE => &mut c.delete,
            _ => &mut c.other,
        };
        *slot += 1;
    }

    /// The items on a record as the v2.1 API sees them (every v2.1
    /// section, every source), by put-code.
    pub fn items(&self, orcid: &str) -> Vec<store::StoredItem> {
        self.record_items(orcid)
    }

    /// The items on a record as the v3.0 API sees them (every section,
    /// every source), by put-code.
    pub fn items_v3(&self, orcid: &str) -> Vec<store::StoredItemV3> {
        self.record_items(orcid)
    }

    /// The items on a record as the version of `S` sees them.
    fn record_items<S: store::VersionSection>(&self, orcid: &str) -> Vec<store::Stored<S, S::Doc>>
    where
        store::Stored<S, S::Doc>: Clone,
    {
        self.store()
            .items
            .values()
            .filter_map(S::view)
            .filter(|i| i.orcid == orcid)
            .cloned()
            .collect()
    }

    /// Deletes an item as the record's owner would in ORCID's user interface
    /// (whatever its source); `None` if no such item is on the record.
    pub fn delete_item_as_researcher(&self, orcid: &str, put_code: i64) -> Option<String> {
        let mut store = self.store();
        match store.items.get(&put_code) {
            Some(item) if item.orcid == orcid => {}
            _ => return None,
        }
        store
            .delete_item(put_code)
            .map(|i| i.section.name().to_string())
    }

    /// Sets the base URL used in `Location` headers unless one is configured.
    pub fn set_default_base_url(&self, base: &str) {
        let mut b = self
            .inner
            .base_url
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if b.is_none() {
            *b = Some(base.trim_end_matches('/').to_string());
        }
    }

    /// The base URL for `Location` headers: configured, else the server's
    /// address, else the request's `Host`.
    pub(crate) fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(b) = self
            .inner
            .base_url
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            return b;
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        format!("http://{host}")
    }
}

/// The mock's routes, for embedding in another axum server. Faults and the
/// rate limit apply to `/oauth/*`, `/status`, `/v2.0/*`, `/v2.1/*` and `/v3.0/*`; `/mock/*` is the control
/// API (inbox, faults). A dropped-connection fault answers an empty 500
/// here; [`MockServer`] drops the connection instead.
pub fn router(state: MockState) -> Router {
    let gated: Router<MockState> = Router::new()
        .route(
            "/oauth/authorize",
            get(oauth::authorize_get).post(oauth::authorize_post),
        )
        .route("/oauth/token", post(oauth::token).get(oauth::token_get))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/status", get(http::status))
        .route("/v2.0/status", get(http::status))
        .route("/v2.1/status", get(http::status))
        .route("/v3.0/status", get(http::status))
        .route("/v2.0/{*rest}", any(api2::dispatch_v2_0))
        .route("/v2.1/{*rest}", any(api::dispatch::<api2::V2_1>))
        .route("/v3.0/{*rest}", any(api::dispatch::<api3::V3_0>))
        .layer(axum::middleware::from_fn(http::orcid_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mockapi::count_requests,
        ));
    let control: Router<MockState> = Router::new()
        .route("/", get(mockapi::index))
        .route("/healthz", get(mockapi::healthz))
        .route("/readyz", get(mockapi::readyz))
        .route("/mock/inbox/{orcid}", get(mockapi::inbox))
        .route(
            "/mock/faults",
            get(mockapi::get_faults)
                .post(mockapi::set_faults)
                .delete(mockapi::clear_faults),
        )
        .route(
            "/mock/rate-limit",
            get(mockapi::get_rate_limit).post(mockapi::set_rate_limit),
        )
        .route("/mock/researchers", get(mockapi::researchers))
        .route(
            "/mock/requests",
            get(mockapi::get_requests).delete(mockapi::reset_requests),
        )
        .route(
            "/mock/records/{orcid}/items/{put_code}",
            axum::routing::delete(mockapi::delete_item_as_researcher),
        );
    gated.merge(control).with_state(state)
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// The name of the server's threads.
const THREAD_NAME: &str = "orcid-mock";

/// Serves [`router`] on `listener` until `shutdown`, with the configured
/// connection limits; a handler that answers with a [`DropConnection`]
/// closes the connection without an answer (the dropped-connection fault).
async fn serve(
    listener: tokio::net::TcpListener,
    state: MockState,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let timeouts = state.config().timeouts.into();
    let app = router(state);
    let handler = move |req: axum::extract::Request| {
        let mut app = app.clone();
        async move {
            let resp = tower_service::Service::call(&mut app, req)
                .await
                .unwrap_or_else(|e: Infallible| match e {});
            if resp.extensions().get::<DropConnection>().is_some() {
                return Err(Dropped);
            }
            Ok(resp)
        }
    };
    orcid_web::serve_http1(listener, handler, timeouts, shutdown).await
}

/// Starts mock servers in a background thread.
#[derive(Debug)]
pub struct MockServer;

impl MockServer {
    /// Starts a server on `127.0.0.1` with a free port.
    pub fn start(config: MockConfig) -> Result<MockHandle, MockError> {
        MockServer::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config)
    }

    /// Starts a server on `addr` in a background thread with its own runtime.
    pub fn start_on(addr: SocketAddr, config: MockConfig) -> Result<MockHandle, MockError> {
        let state = MockState::new(config)?;
        let listener = std::net::TcpListener::bind(addr)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        state.set_default_base_url(&base_url);
        let st = state.clone();
        let server = BackgroundServer::start_with(THREAD_NAME, listener, move |l, shutdown| {
            serve(l, st, shutdown)
        })?;
        tracing::info!(%base_url, "ORCID mock started");
        Ok(MockHandle {
            base_url,
            state,
            server,
        })
    }
}

/// A running mock server; stops when shut down or dropped.
#[derive(Debug)]
pub struct MockHandle {
    base_url: String,
    state: MockState,
    server: BackgroundServer,
}

impl MockHandle {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The server's state (inbox, faults, rate limit, researchers).
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(self) {
        self.server.shutdown();
    }
}

/// Runs a server on `addr` until the process ends (for `orcid mock serve`).
/// Prints the address, the demo client and the researchers on start.
pub fn serve_blocking(addr: SocketAddr, config: MockConfig) -> Result<(), MockError> {
    let state = MockState::new(config)?;
    let listener = std::net::TcpListener::bind(addr)?;
    let base = format!("http://{}", listener.local_addr()?);
    state.set_default_base_url(&base);
    println!("{}", banner(&state, &base));
    orcid_web::serve_blocking(THREAD_NAME, listener, |l| {
        serve(l, state, std::future::pending())
    })?;
    Ok(())
}

/// The start-up text: address, endpoints, the demo client and researchers.
pub fn banner(state: &MockState, base: &str) -> String {
    let cfg = state.config();
    let mut out = format!("ORCID mock (member API v2.1 and v3.0) listening on {base}\n");
    out.push_str(&format!(
        "  authorize: {base}/oauth/authorize   token: {base}/oauth/token   API: {base}/v2.1/ and {base}/v3.0/ (and {base}/v2.0/)\n"
    ));
    for c in state.clients() {
        if c.id == DEMO_CLIENT_ID {
            out.push_str(&format!(
                "  demo client: {} / secret {} (redirect URIs: {})\n",
                c.id,
                c.secret,
                c.redirect_uris.join(", ")
            ));
        } else {
            out.push_str(&format!(
                "  client: {} ({}{})\n",
                c.id,
                c.name,
                if c.member { "" } else { ", public" }
            ));
        }
    }
    for r in state.researchers() {
        let pw = if r.profile.orcid == DEMO_ORCID {
            format!(", password {}", r.profile.password)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  researcher: {} {}{} (default visibility {})\n",
            r.profile.orcid,
            r.display_name(),
            pw,
            r.profile.default_visibility
        ));
    }
    out.push_str(&format!(
        "  auto-approve: {}   state: {}   rate limit: {}\n",
        if cfg.auto_approve { "on" } else { "off" },
        cfg.state_file
            .as_ref()
            .map(|p| format!("SQLite {}", p.display()))
            .unwrap_or_else(|| "in memory".into()),
        if state.rate_limit().enabled {
            format!(
                "{}/s burst {}",
                state.rate_limit().per_second,
                state.rate_limit().burst
            )
        } else {
            "off".into()
        }
    ));
    out
}
