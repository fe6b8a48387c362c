//! The ORCID mock as most tests want it, clients pointed at it, and the demo
//! researcher connected through the OAuth authorize and code exchange, as
//! `orcid auth login` does it.

use orcid_client::{
    AuthorizationCallback, AuthorizeRequest, ClientConfig, Environment, OrcidClient, Scope,
    TokenResponse,
};
use orcid_mock::{
    MockConfig, MockHandle, MockServer, ResearcherConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
};
use orcid_store::StoredToken;

use crate::http::agent;

/// The redirect URI the tests register and send (nothing listens there).
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// A second member client, added by [`other_client`].
pub const OTHER_CLIENT: &str = "APP-OTHER00000000000";
/// The secret of [`OTHER_CLIENT`].
pub const OTHER_SECRET: &str = "other-secret";
/// A second researcher, added by [`other_researcher`].
pub const OTHER_ORCID: &str = "0000-0001-5109-3700";

/// The scopes of a researcher connected to write: read-limited and both
/// updates.
pub const WRITE_SCOPES: [Scope; 3] = [
    Scope::ReadLimited,
    Scope::ActivitiesUpdate,
    Scope::PersonUpdate,
];

/// The mock's default configuration (the demo client and researcher) with
/// auto-approve and no rate limit.
pub fn mock_config() -> MockConfig {
    let mut config = MockConfig {
        auto_approve: true,
        ..MockConfig::default()
    };
    config.rate_limit.enabled = false;
    config
}

/// The mock's configuration of [`OTHER_CLIENT`], a second member client.
pub fn other_client() -> orcid_mock::ClientConfig {
    orcid_mock::ClientConfig {
        id: OTHER_CLIENT.into(),
        secret: OTHER_SECRET.into(),
        name: "Other Member".into(),
        redirect_uris: vec!["http://127.0.0.1".into()],
        member: true,
    }
}

/// The mock's configuration of [`OTHER_ORCID`], a second (claimed, public)
/// researcher.
pub fn other_researcher() -> ResearcherConfig {
    ResearcherConfig {
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
    }
}

/// [`mock_config`] with [`other_client`] and [`other_researcher`].
pub fn mock_config_with_others() -> MockConfig {
    let mut config = mock_config();
    config.clients.push(other_client());
    config.researchers.push(other_researcher());
    config
}

/// Starts the mock with [`mock_config`].
pub fn start_mock() -> MockHandle {
    MockServer::start(mock_config()).expect("mock starts")
}

/// A client configuration for the mock at `base`: [`REDIRECT`], no rate
/// limit.
pub fn client_config(base: &str, id: &str, secret: &str) -> ClientConfig {
    ClientConfig::new(id, secret, REDIRECT, Environment::custom(base)).with_rate_limit(None)
}

/// A client of the mock at `base` with the given credentials (see
/// [`client_config`]).
pub fn client_for(base: &str, id: &str, secret: &str) -> OrcidClient {
    OrcidClient::new(client_config(base, id, secret)).unwrap()
}

/// The demo client of the mock at `base` (see [`client_config`]).
pub fn demo_client(base: &str) -> OrcidClient {
    client_for(base, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
}

/// GETs an authorize URL of an auto-approving mock and returns where it
/// redirects.
pub fn follow_authorize(url: &str) -> String {
    let resp = agent().get(url).call().expect("authorize page");
    assert_eq!(resp.status().as_u16(), 302, "authorize should redirect");
    resp.headers()
        .get("location")
        .expect("Location")
        .to_str()
        .unwrap()
        .to_string()
}

/// The whole flow with the library against an auto-approving mock:
/// authorize URL, redirect with code and state, state checked, code
/// exchanged.
pub fn login(client: &OrcidClient, request: AuthorizeRequest) -> TokenResponse {
    let auth = request.build().unwrap();
    let redirect = follow_authorize(&auth.url);
    let code = AuthorizationCallback::parse(&redirect)
        .into_code(&auth.state)
        .unwrap();
    client.exchange_code(&code).unwrap()
}

/// What `orcid auth login` does: a token of `client` for the demo
/// researcher, with [`WRITE_SCOPES`].
pub fn connect(client: &OrcidClient) -> TokenResponse {
    login(client, client.authorize(WRITE_SCOPES))
}

/// The token as a store keeps it for `client_id`: `orcid-connect`'s
/// conversion, the one `orcid auth login` and the connect page use.
pub fn stored_token(client_id: &str, t: &TokenResponse) -> StoredToken {
    orcid_connect::stored_token(client_id, t, None).expect("the token names the researcher")
}
