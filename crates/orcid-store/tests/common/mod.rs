//! Shared fixtures of the integration tests.
#![allow(dead_code)]

use orcid_store::{StoredToken, Timestamp, TokenResponse};

pub const CLIENT: &str = "APP-5555555555555555";
pub const ORCID: &str = "0000-0001-2345-6789";
/// Distinctive secrets: tests assert these never show up in Debug/Display/errors.
pub const ACCESS: &str = "ACCESS-f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
pub const REFRESH: &str = "REFRESH-9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
/// 2026-11-22T10:00:00Z
pub const ISSUED: Timestamp = Timestamp::from_unix(1_795_341_600);

pub fn response_json(orcid: &str, expires_in: u64) -> String {
    format!(
        r#"{{"access_token":"{ACCESS}","token_type":"bearer","refresh_token":"{REFRESH}",
            "expires_in":{expires_in},"scope":"/read-limited /activities/update /person/update",
            "name":"Sofia Garcia","orcid":"{orcid}"}}"#
    )
}

pub fn response(orcid: &str, expires_in: u64) -> TokenResponse {
    serde_json::from_str(&response_json(orcid, expires_in)).unwrap()
}

pub fn token(orcid: &str) -> StoredToken {
    StoredToken::from_response(CLIENT, response(orcid, 631_138_518), ISSUED).unwrap()
}

/// Asserts that `text` contains neither secret.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains(ACCESS), "access token leaked: {text}");
    assert!(!text.contains(REFRESH), "refresh token leaked: {text}");
    // Not even the distinctive uuid parts.
    assert!(!text.contains("f81d4fae"), "access token leaked: {text}");
    assert!(!text.contains("9b1deb4d"), "refresh token leaked: {text}");
}
