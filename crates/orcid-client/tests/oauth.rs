//! OAuth: the authorize URL, the code exchange, refresh, revoke and client credentials.

mod common;

use common::*;
use orcid_client::{
    verify_state, AuthorizationCallback, Environment, Error, ErrorKind, ExposeSecret, OrcidClient,
    Prompt, Scope, SecretString,
};
use orcid_test_kit::http::query;

#[test]
fn authorize_url_has_every_parameter_and_a_fresh_state() {
    let server = TestServer::always(Canned::new(500));
    let client = server.client();
    let req = client
        .authorize([Scope::ActivitiesUpdate, Scope::ReadLimited])
        .scope(Scope::PersonUpdate)
        .given_names("Sofía")
        .family_names("García Márquez")
        .email("sofia+orcid@example.org")
        .orcid("0000-0002-1825-0097")
        .show_login(false)
        .lang("es")
        .prompt(Prompt::Login);
    let a = req.build().unwrap();
    let b = req.build().unwrap();
    assert!(a
        .url
        .starts_with(&format!("{}/oauth/authorize?", server.base)));
    let q = query(&a.url);
    assert_eq!(q["client_id"], "APP-TESTCLIENT0001");
    assert_eq!(q["response_type"], "code");
    assert_eq!(
        q["scope"],
        "/activities/update /read-limited /person/update"
    );
    assert_eq!(q["redirect_uri"], "https://app.example.org/orcid/callback");
    assert_eq!(q["state"], a.state);
    assert_eq!(q["given_names"], "Sofía");
    assert_eq!(q["family_names"], "García Márquez");
    assert_eq!(q["email"], "sofia+orcid@example.org");
    assert_eq!(q["orcid"], "0000-0002-1825-0097");
    assert_eq!(q["show_login"], "false");
    assert_eq!(q["lang"], "es");
    assert_eq!(q["prompt"], "login");
    // Spaces are %20 (not '+'), '@' and '+' are escaped.
    assert!(a
        .url
        .contains("scope=%2Factivities%2Fupdate%20%2Fread-limited"));
    assert!(a.url.contains("email=sofia%2Borcid%40example.org"));
    // A fresh, unguessable state per URL.
    assert_ne!(a.state, b.state);
    assert!(a.state.len() >= 32);
    // A state of the caller's own (one that carries its own check).
    let own = req.clone().state("signed-0123").build().unwrap();
    assert_eq!(own.state, "signed-0123");
    assert_eq!(query(&own.url)["state"], "signed-0123");
    assert_eq!(server.count(), 0);
}

#[test]
fn authorize_url_for_real_hosts() {
    for (env, host) in [
        (
            Environment::Production,
            "https://orcid.org/oauth/authorize?",
        ),
        (
            Environment::Sandbox,
            "https://sandbox.orcid.org/oauth/authorize?",
        ),
    ] {
        let c = OrcidClient::new(orcid_client::ClientConfig::new(
            "APP-1",
            "s",
            "https://x.example/cb",
            env,
        ))
        .unwrap();
        let u = c.authorize([Scope::Authenticate]).build().unwrap();
        assert!(u.url.starts_with(host), "{}", u.url);
    }
    assert_eq!(Environment::Production.api_base(), "https://api.orcid.org");
    assert_eq!(
        Environment::Sandbox.api_base(),
        "https://api.sandbox.orcid.org"
    );
    assert_eq!(
        Environment::Sandbox.public_api_base(),
        "https://pub.sandbox.orcid.org"
    );
}

#[test]
fn authorize_without_scope_is_refused() {
    let server = TestServer::always(Canned::new(500));
    assert!(server.client().authorize([]).build().is_err());
}

#[test]
fn state_mismatch_is_an_error() {
    assert!(matches!(
        verify_state("abc123", "abc124"),
        Err(Error::StateMismatch)
    ));
    assert!(verify_state("abc123", "abc123").is_ok());
    let cb = AuthorizationCallback::parse(
        "https://app.example.org/orcid/callback?code=Q70Y3A&state=forged",
    );
    let e = cb.into_code("expected-state").unwrap_err();
    assert!(matches!(e, Error::StateMismatch));
    assert_eq!(e.kind(), ErrorKind::Reauthorize);
    // Missing state is a mismatch too.
    let cb = AuthorizationCallback::parse("https://app.example.org/orcid/callback?code=Q70Y3A");
    assert!(matches!(cb.into_code("s"), Err(Error::StateMismatch)));
    // Denied.
    let cb = AuthorizationCallback::parse(
        "https://app.example.org/orcid/callback?error=access_denied&error_description=User%20denied%20access&state=s",
    );
    match cb.into_code("s") {
        Err(Error::Authorization { error, description }) => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("User denied access"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn code_exchange_sends_the_form_and_reads_the_token() {
    let server = TestServer::always(
        Canned::new(200)
            .header("Cache-Control", "no-store")
            .json(TOKEN_JSON),
    );
    let client = server.client();
    let token = client.exchange_code("Q70Y3A").unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), "/oauth/token");
    assert_eq!(r.header("accept"), Some("application/json"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let f = r.form();
    assert_eq!(f["client_id"], "APP-TESTCLIENT0001");
    assert_eq!(f["client_secret"], CLIENT_SECRET);
    assert_eq!(f["grant_type"], "authorization_code");
    assert_eq!(f["code"], "Q70Y3A");
    assert_eq!(f["redirect_uri"], "https://app.example.org/orcid/callback");
    assert_eq!(f.len(), 5);

    assert_eq!(token.access_token.expose_secret(), ACCESS_TOKEN);
    assert_eq!(
        token.refresh_token.as_ref().unwrap().expose_secret(),
        REFRESH_TOKEN
    );
    assert_eq!(token.token_type, "bearer");
    assert_eq!(token.expires_in, Some(631138518));
    assert_eq!(
        token.scopes(),
        vec![
            Scope::ReadLimited,
            Scope::ActivitiesUpdate,
            Scope::PersonUpdate
        ]
    );
    assert!(token.has_scope(Scope::ActivitiesUpdate));
    assert_eq!(token.name.as_deref(), Some("Sofia Garcia"));
    assert_eq!(token.orcid.as_ref().unwrap().as_str(), ORCID);
    assert!(token.expires_at().is_some());

    let dbg = format!("{token:?}");
    assert!(
        !dbg.contains(ACCESS_TOKEN) && !dbg.contains(REFRESH_TOKEN),
        "{dbg}"
    );
}

#[test]
fn code_exchange_is_not_retried() {
    let server = TestServer::always(Canned::new(503).header("Retry-After", "0"));
    let err = server.client().exchange_code("Q70Y3A").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Retryable);
    assert_eq!(server.count(), 1);
}

#[test]
fn reused_code_is_a_typed_oauth_error_without_the_code() {
    let server = TestServer::always(Canned::new(400).json(
        r#"{"error":"invalid_grant","error_description":"Reused authorization code: Q70Y3A"}"#,
    ));
    let err = server.client().exchange_code("Q70Y3A").unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 400);
    assert_eq!(api.oauth_error(), Some("invalid_grant"));
    assert_eq!(api.kind, ErrorKind::Reauthorize);
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("Q70Y3A"), "{shown}");
    assert!(shown.contains("Reused authorization code"));
}

#[test]
fn refresh_sends_the_old_token_only_when_revoking() {
    let server = TestServer::always(Canned::new(200).json(TOKEN_JSON));
    let client = server.client();
    let refresh = SecretString::from(REFRESH_TOKEN);
    let old = SecretString::from("old-access-token-0000");

    client
        .refresh(&refresh, &[Scope::ActivitiesUpdate], Some(&old))
        .unwrap();
    client.refresh(&refresh, &[], None).unwrap();

    let reqs = server.requests();
    let (a, b) = (&reqs[0], &reqs[1]);
    assert_eq!(a.path(), "/oauth/token");
    let fa = a.form();
    assert_eq!(fa["grant_type"], "refresh_token");
    assert_eq!(fa["refresh_token"], REFRESH_TOKEN);
    assert_eq!(fa["client_id"], "APP-TESTCLIENT0001");
    assert_eq!(fa["client_secret"], CLIENT_SECRET);
    assert_eq!(fa["scope"], "/activities/update");
    assert_eq!(fa["revoke_old"], "true");
    assert_eq!(
        a.header("authorization"),
        Some("Bearer old-access-token-0000")
    );
    let fb = b.form();
    assert_eq!(fb["revoke_old"], "false");
    assert!(!fb.contains_key("scope"));
    assert_eq!(b.header("authorization"), None);
}

#[test]
fn revoke_posts_the_token() {
    let server = TestServer::always(Canned::new(200));
    let client = server.client();
    client.revoke(&SecretString::from(ACCESS_TOKEN)).unwrap();
    let r = &server.requests()[0];
    assert_eq!((r.method.as_str(), r.path()), ("POST", "/oauth/revoke"));
    let f = r.form();
    assert_eq!(f["token"], ACCESS_TOKEN);
    assert_eq!(f["client_id"], "APP-TESTCLIENT0001");
    assert_eq!(f["client_secret"], CLIENT_SECRET);
}

#[test]
fn client_credentials_token() {
    let server = TestServer::always(Canned::new(200).json(
        r#"{"access_token":"cc-token-1234-5678","token_type":"bearer","refresh_token":"cc-refresh-1234","expires_in":631138518,"scope":"/premium-notification","orcid":null}"#,
    ));
    let token = server
        .client()
        .client_credentials(&[Scope::PremiumNotification])
        .unwrap();
    let f = server.requests()[0].form();
    assert_eq!(f["grant_type"], "client_credentials");
    assert_eq!(f["scope"], "/premium-notification");
    assert_eq!(f["client_secret"], CLIENT_SECRET);
    assert!(token.orcid.is_none() && token.name.is_none());
    assert_eq!(token.scopes(), vec![Scope::PremiumNotification]);
    assert!(Scope::PremiumNotification.is_client_credentials());
}

#[test]
fn bad_client_secret_is_a_config_error_without_the_secret() {
    let server =
        TestServer::always(Canned::new(401).json(
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
        ));
    let err = server
        .client()
        .client_credentials(&[Scope::ReadPublic])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ClientConfig);
    assert_eq!(err.api().unwrap().status, 401);
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
}
