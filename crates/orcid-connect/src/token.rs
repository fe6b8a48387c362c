//! Turning ORCID's token response into the store's record.

use orcid_client::TokenResponse;
use orcid_store::{StoredToken, Timestamp};

use crate::error::ConnectError;

/// Lifetime assumed when ORCID's token response has no `expires_in`
/// (ORCID's persistent tokens last about 20 years).
const DEFAULT_LIFETIME_SECS: u64 = 631_138_519;

/// The store's record of a token response received by the client
/// `client_id`, as the connect page and `orcid auth login|refresh` keep it.
///
/// - The iD is the response's; it must be a valid ORCID iD. A response
///   without one (a refresh answer may leave it out) takes `previous`'s.
/// - An empty or blank name counts as none. A missing name or refresh
///   token is taken from `previous`, the token being refreshed, if any.
/// - The scopes are the granted ones, as ORCID wrote them.
/// - It is issued when the response was received and expires `expires_in`
///   seconds later (about 20 years when ORCID does not say).
///
/// Fails with [`ConnectError::TokenWithoutOrcid`] when neither the response
/// nor `previous` names an iD (a client-credentials token), and with
/// [`ConnectError::TokenInvalidOrcid`] when the response names an iD that is
/// not valid.
pub fn stored_token(
    client_id: &str,
    t: &TokenResponse,
    previous: Option<&StoredToken>,
) -> Result<StoredToken, ConnectError> {
    let orcid = match &t.orcid {
        Some(o) if o.is_valid() => o.0.clone(),
        Some(o) => return Err(ConnectError::TokenInvalidOrcid(o.0.clone())),
        None => previous
            .map(|p| p.orcid.clone())
            .ok_or(ConnectError::TokenWithoutOrcid)?,
    };
    let issued_at = Timestamp::from(t.received_at);
    Ok(StoredToken {
        client_id: client_id.to_string(),
        orcid,
        name: t
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| previous.and_then(|p| p.name.clone())),
        access_token: t.access_token.clone(),
        refresh_token: t
            .refresh_token
            .clone()
            .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
        scopes: t.scope.split_whitespace().map(str::to_string).collect(),
        issued_at,
        expires_at: issued_at.saturating_add_secs(t.expires_in.unwrap_or(DEFAULT_LIFETIME_SECS)),
    })
}

#[cfg(test)]
mod tests {
    use orcid_client::ExposeSecret;

    use super::*;

    fn response(json: &str) -> TokenResponse {
        TokenResponse::from_json(json).unwrap()
    }

    const FULL: &str = r#"{"access_token":"a1","token_type":"bearer","refresh_token":"r1",
        "expires_in":3600,"scope":"/read-limited  /activities/update","name":"Sofia Garcia",
        "orcid":"0000-0002-1825-0097"}"#;

    #[test]
    fn from_a_full_response() {
        let t = response(FULL);
        let s = stored_token("APP-1", &t, None).unwrap();
        assert_eq!(s.client_id, "APP-1");
        assert_eq!(s.orcid, "0000-0002-1825-0097");
        assert_eq!(s.name.as_deref(), Some("Sofia Garcia"));
        assert_eq!(s.access_token.expose_secret(), "a1");
        assert_eq!(s.refresh_token.as_ref().unwrap().expose_secret(), "r1");
        assert_eq!(s.scopes, ["/read-limited", "/activities/update"]);
        assert_eq!(s.issued_at, Timestamp::from(t.received_at));
        assert_eq!(s.expires_at, s.issued_at.saturating_add_secs(3600));
    }

    #[test]
    fn defaults_and_blank_name() {
        let t = response(r#"{"access_token":"a","name":"  ","orcid":"0000-0002-1825-0097"}"#);
        let s = stored_token("APP-1", &t, None).unwrap();
        assert_eq!(s.name, None);
        assert!(s.refresh_token.is_none());
        assert!(s.scopes.is_empty());
        assert_eq!(
            s.expires_at,
            s.issued_at.saturating_add_secs(DEFAULT_LIFETIME_SECS)
        );
    }

    #[test]
    fn refresh_keeps_what_the_answer_leaves_out() {
        let old = stored_token("APP-1", &response(FULL), None).unwrap();
        let t =
            response(r#"{"access_token":"a2","expires_in":60,"scope":"/read-limited","name":""}"#);
        let s = stored_token("APP-1", &t, Some(&old)).unwrap();
        assert_eq!(s.orcid, "0000-0002-1825-0097");
        assert_eq!(s.name.as_deref(), Some("Sofia Garcia"));
        assert_eq!(s.access_token.expose_secret(), "a2");
        assert_eq!(s.refresh_token.as_ref().unwrap().expose_secret(), "r1");
        assert_eq!(s.scopes, ["/read-limited"]);
        assert_eq!(s.expires_at, s.issued_at.saturating_add_secs(60));

        // What the answer says wins.
        let t = response(
            r#"{"access_token":"a3","refresh_token":"r3","name":"S. Garcia",
                "orcid":"0000-0002-1825-0097"}"#,
        );
        let s = stored_token("APP-1", &t, Some(&old)).unwrap();
        assert_eq!(s.name.as_deref(), Some("S. Garcia"));
        assert_eq!(s.refresh_token.as_ref().unwrap().expose_secret(), "r3");
    }

    #[test]
    fn needs_a_valid_orcid() {
        let t = response(r#"{"access_token":"a","scope":"/read-public"}"#);
        let e = stored_token("APP-1", &t, None).unwrap_err();
        assert!(matches!(e, ConnectError::TokenWithoutOrcid));
        assert_eq!(
            e.to_string(),
            "ORCID's token response names no iD (a client-credentials token?)"
        );

        let old = stored_token("APP-1", &response(FULL), None).unwrap();
        let t = response(r#"{"access_token":"a","orcid":"0000-0002-1825-0098"}"#);
        for previous in [None, Some(&old)] {
            let e = stored_token("APP-1", &t, previous).unwrap_err();
            assert!(matches!(e, ConnectError::TokenInvalidOrcid(_)));
            assert_eq!(
                e.to_string(),
                "ORCID's token response names `0000-0002-1825-0098`, which is not a valid \
                 ORCID iD"
            );
        }
    }
}
