//! Tokens: round trips, listing without secrets, deletion, expiry, and that no
//! secret ever shows in Debug, Display or errors.

mod common;

use common::*;
use orcid_store::secrecy::{ExposeSecret, SecretString};
use orcid_store::{Error, Store, StoredToken, Timestamp, TokenResponse};

#[test]
fn token_round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        store.put_token(&token(ORCID)).unwrap();
    }
    // A new connection (a new process, in effect) reads the same values.
    let store = Store::open(&path).unwrap();
    let t = store.token(CLIENT, ORCID).unwrap().expect("stored");
    assert_eq!(t.client_id, CLIENT);
    assert_eq!(t.orcid, ORCID);
    assert_eq!(t.name.as_deref(), Some("Sofia Garcia"));
    assert_eq!(t.access_token.expose_secret(), ACCESS);
    assert_eq!(
        t.refresh_token.as_ref().map(|r| r.expose_secret()),
        Some(REFRESH)
    );
    assert_eq!(
        t.scopes,
        ["/read-limited", "/activities/update", "/person/update"]
    );
    assert_eq!(t.issued_at, ISSUED);
    assert_eq!(
        t.expires_at,
        Timestamp::from_unix(1_795_341_600 + 631_138_518)
    );
    assert!(store
        .token(CLIENT, "0000-0002-1825-0097")
        .unwrap()
        .is_none());
    assert!(store.token("APP-OTHER", ORCID).unwrap().is_none());
}

#[test]
fn optional_fields_round_trip() {
    let store = Store::in_memory().unwrap();
    let t = StoredToken {
        client_id: CLIENT.into(),
        orcid: ORCID.into(),
        name: None,
        access_token: SecretString::from(ACCESS),
        refresh_token: None,
        scopes: vec![],
        issued_at: ISSUED,
        expires_at: ISSUED.saturating_add_secs(3600),
    };
    store.put_token(&t).unwrap();
    let back = store.token(CLIENT, ORCID).unwrap().unwrap();
    assert_eq!(back.name, None);
    assert!(back.refresh_token.is_none());
    assert!(back.scopes.is_empty());
    assert_eq!(back.expires_at, t.expires_at);
}

#[test]
fn put_token_replaces_the_token_of_the_same_client_and_orcid() {
    let store = Store::in_memory().unwrap();
    store.put_token(&token(ORCID)).unwrap();
    let mut newer = token(ORCID);
    newer.access_token = SecretString::from("second-access");
    newer.refresh_token = None;
    newer.scopes = vec!["/authenticate".into()];
    newer.issued_at = ISSUED.saturating_add_secs(60);
    store.put_token(&newer).unwrap();

    let back = store.token(CLIENT, ORCID).unwrap().unwrap();
    assert_eq!(back.access_token.expose_secret(), "second-access");
    assert!(back.refresh_token.is_none());
    assert_eq!(back.scopes, ["/authenticate"]);
    assert_eq!(store.tokens(CLIENT).unwrap().len(), 1);
}

#[test]
fn tokens_lists_one_client_without_secrets() {
    let store = Store::in_memory().unwrap();
    store.put_token(&token("0000-0003-0000-0001")).unwrap();
    store.put_token(&token("0000-0001-0000-0002")).unwrap();
    let mut other = token("0000-0002-0000-0003");
    other.client_id = "APP-OTHER".into();
    store.put_token(&other).unwrap();

    let list = store.tokens(CLIENT).unwrap();
    let ids: Vec<_> = list.iter().map(|s| s.orcid.as_str()).collect();
    assert_eq!(ids, ["0000-0001-0000-0002", "0000-0003-0000-0001"]);
    assert!(list
        .iter()
        .all(|s| s.has_refresh_token && s.client_id == CLIENT));
    assert_eq!(list[0], token("0000-0001-0000-0002").summary());
    assert_no_secret(&format!("{list:?}"));
    assert_no_secret(&list[0].to_string());
    assert_eq!(store.tokens("APP-NONE").unwrap(), []);
}

#[test]
fn delete_token() {
    let store = Store::in_memory().unwrap();
    store.put_token(&token(ORCID)).unwrap();
    assert!(store.delete_token(CLIENT, ORCID).unwrap());
    assert!(!store.delete_token(CLIENT, ORCID).unwrap());
    assert!(store.token(CLIENT, ORCID).unwrap().is_none());
}

#[test]
fn expiry_is_issue_time_plus_expires_in() {
    let t = StoredToken::from_response(CLIENT, response(ORCID, 3600), ISSUED).unwrap();
    assert_eq!(t.expires_at, Timestamp::from_unix(1_795_341_600 + 3600));
    assert_eq!(t.expires_at.to_string(), "2026-11-22T11:00:00Z");
    assert!(!t.is_expired(ISSUED));
    assert!(!t.is_expired(Timestamp::from_unix(1_795_341_600 + 3599)));
    assert!(t.is_expired(Timestamp::from_unix(1_795_341_600 + 3600)));
    assert!(t.is_expired(Timestamp::from_unix(1_795_341_600 + 7200)));
    assert!(t.summary().is_expired(t.expires_at));

    // ORCID's ~20-year persistent tokens.
    let t = StoredToken::from_response(CLIENT, response(ORCID, 631_138_519), ISSUED).unwrap();
    assert_eq!(t.expires_at.to_string(), "2046-11-22T06:15:19Z");
    // Absurd lifetimes saturate instead of overflowing.
    let t = StoredToken::from_response(CLIENT, response(ORCID, u64::MAX), ISSUED).unwrap();
    assert_eq!(t.expires_at, Timestamp::from_unix(i64::MAX));
    assert!(!t.is_expired(Timestamp::now()));
    // Expiry survives storage.
    let store = Store::in_memory().unwrap();
    store.put_token(&t).unwrap();
    assert_eq!(
        store.token(CLIENT, ORCID).unwrap().unwrap().expires_at,
        t.expires_at
    );
}

#[test]
fn from_response_details() {
    let t = token(ORCID);
    assert!(t.has_scope("/activities/update"));
    assert!(!t.has_scope("/activities"));
    assert_eq!(
        t.scope_string(),
        "/read-limited /activities/update /person/update"
    );

    // A non-public name comes as "" and is stored as None.
    let mut r = response(ORCID, 10);
    r.name = Some(String::new());
    assert_eq!(
        StoredToken::from_response(CLIENT, r, ISSUED).unwrap().name,
        None
    );

    // Client-credentials tokens name no researcher.
    let r: TokenResponse = serde_json::from_str(&format!(
        r#"{{"access_token":"{ACCESS}","token_type":"bearer","refresh_token":"{REFRESH}",
            "expires_in":631138518,"scope":"/read-public","orcid":null}}"#
    ))
    .unwrap();
    let err = StoredToken::from_response(CLIENT, r, ISSUED).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn debug_and_display_never_show_tokens() {
    let r = response(ORCID, 3600);
    assert_no_secret(&format!("{r:?}"));
    assert_no_secret(&format!("{r:#?}"));

    let t = token(ORCID);
    let debug = format!("{t:?}");
    assert_no_secret(&debug);
    assert_no_secret(&format!("{t:#?}"));
    assert!(debug.contains(ORCID), "{debug}");
    let display = t.to_string();
    assert_no_secret(&display);
    assert_eq!(
        display,
        "0000-0001-2345-6789 (Sofia Garcia) via client APP-5555555555555555, \
         scopes [/read-limited /activities/update /person/update], \
         issued 2026-11-22T10:00:00Z, expires 2046-11-22T06:15:18Z, refreshable"
    );

    let store = Store::in_memory().unwrap();
    store.put_token(&t).unwrap();
    let back = store.token(CLIENT, ORCID).unwrap();
    assert_no_secret(&format!("{back:?}"));
    assert_no_secret(&format!("{store:?}"));
}

#[test]
fn invalid_tokens_are_refused_without_leaking_them() {
    let store = Store::in_memory().unwrap();
    let cases: [fn(&mut StoredToken); 4] = [
        |t| t.client_id.clear(),
        |t| t.orcid.clear(),
        |t| t.scopes.push("/read-limited /person/update".into()),
        |t| t.scopes.push(String::new()),
    ];
    for change in cases {
        let mut t = token(ORCID);
        change(&mut t);
        let err = store.put_token(&t).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
        assert_no_secret(&err.to_string());
        assert_no_secret(&format!("{err:?}"));
    }
    assert!(store.tokens(CLIENT).unwrap().is_empty());
}
