//! OAuth tokens that researchers granted to this integration, and the
//! [`Store`] methods on the `tokens` table.

use std::fmt;

use rusqlite::{params, Row};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::Store;

/// The JSON body of a successful ORCID `POST /oauth/token`
/// (see `docs/orcid-api.md` §1.4), e.g.
///
/// ```json
/// {"access_token":"…","token_type":"bearer","refresh_token":"…","expires_in":631138518,
///  "scope":"/read-limited /activities/update","name":"Sofia Garcia","orcid":"0000-0001-2345-6789"}
/// ```
///
/// Its `Debug` output redacts both tokens. Fields ORCID may add (e.g. `id_token`) are ignored.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: SecretString,
    /// `bearer` (lowercase) at ORCID.
    #[serde(default)]
    pub token_type: String,
    /// The refresh token, if the grant issued one.
    #[serde(default)]
    pub refresh_token: Option<SecretString>,
    /// Lifetime in seconds from issue (about 20 years for persistent 3-legged tokens).
    pub expires_in: u64,
    /// Granted scopes, space-separated.
    #[serde(default)]
    pub scope: String,
    /// Public display name, or an empty string when the name is not public.
    #[serde(default)]
    pub name: Option<String>,
    /// The researcher's iD; `null` for client-credentials tokens.
    #[serde(default)]
    pub orcid: Option<String>,
}

/// A researcher's token for one client of this integration, keyed by `(client_id, orcid)`.
///
/// `Debug` and `Display` never show the access or refresh token: both are
/// [`SecretString`]s, read with [`secrecy::ExposeSecret::expose_secret`].
#[derive(Debug, Clone)]
pub struct StoredToken {
    /// The ORCID client (application) id the token was issued to.
    pub client_id: String,
    /// The researcher's ORCID iD, e.g. `0000-0001-2345-6789`.
    pub orcid: String,
    /// The researcher's public display name, `None` when ORCID sent none or an empty one.
    pub name: Option<String>,
    /// The bearer token.
    pub access_token: SecretString,
    /// The refresh token, if any.
    pub refresh_token: Option<SecretString>,
    /// Granted scopes, e.g. `/read-limited`, `/activities/update`. None contains whitespace.
    pub scopes: Vec<String>,
    /// When the token was issued (when the token response was received).
    pub issued_at: Timestamp,
    /// `issued_at + expires_in`.
    pub expires_at: Timestamp,
}

impl StoredToken {
    /// Builds the record for a token response received at `issued_at`.
    ///
    /// Fails with [`Error::InvalidArgument`] when the response names no researcher
    /// (a client-credentials token), since tokens are kept per `(client_id, orcid)`.
    pub fn from_response(
        client_id: impl Into<String>,
        response: TokenResponse,
        issued_at: Timestamp,
    ) -> Result<StoredToken> {
        let orcid = response
            .orcid
            .filter(|o| !o.trim().is_empty())
            .ok_or(Error::InvalidArgument {
            what: "token response",
            reason:
                "it names no ORCID iD (a client-credentials token cannot be stored per researcher)",
        })?;
        Ok(StoredToken {
            client_id: client_id.into(),
            orcid,
            name: response.name.filter(|n| !n.is_empty()),
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            scopes: split_scopes(&response.scope),
            issued_at,
            expires_at: issued_at.saturating_add_secs(response.expires_in),
        })
    }

    /// Whether the token has expired at `now` (it is valid up to, not including, `expires_at`).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }

    /// Whether the token was granted `scope` literally (no scope inheritance is applied).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The scopes as ORCID writes them: one space-separated string.
    pub fn scope_string(&self) -> String {
        self.scopes.join(" ")
    }

    /// The same record without its secrets.
    pub fn summary(&self) -> TokenSummary {
        TokenSummary {
            client_id: self.client_id.clone(),
            orcid: self.orcid.clone(),
            name: self.name.clone(),
            scopes: self.scopes.clone(),
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            has_refresh_token: self.refresh_token.is_some(),
        }
    }
}

impl fmt::Display for StoredToken {
    /// A one-line description without any secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.summary(), f)
    }
}

/// A stored token without its secrets, as listed by [`Store::tokens`](crate::Store::tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    /// The ORCID client id.
    pub client_id: String,
    /// The researcher's iD.
    pub orcid: String,
    /// The researcher's public display name.
    pub name: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// When the token was issued.
    pub issued_at: Timestamp,
    /// When it expires.
    pub expires_at: Timestamp,
    /// Whether a refresh token is stored.
    pub has_refresh_token: bool,
}

impl TokenSummary {
    /// Whether the token has expired at `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }
}

impl fmt::Display for TokenSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.orcid)?;
        if let Some(name) = &self.name {
            write!(f, " ({name})")?;
        }
        write!(
            f,
            " via client {}, scopes [{}], issued {}, expires {}",
            self.client_id,
            self.scopes.join(" "),
            self.issued_at,
            self.expires_at
        )?;
        if self.has_refresh_token {
            f.write_str(", refreshable")?;
        }
        Ok(())
    }
}

/// Checks the fields that become keys or are joined on storage.
fn validate(token: &StoredToken) -> Result<()> {
    if token.client_id.is_empty() {
        return Err(Error::InvalidArgument {
            what: "client_id",
            reason: "it is empty",
        });
    }
    if token.orcid.is_empty() {
        return Err(Error::InvalidArgument {
            what: "orcid",
            reason: "it is empty",
        });
    }
    if token
        .scopes
        .iter()
        .any(|s| s.is_empty() || s.chars().any(char::is_whitespace))
    {
        return Err(Error::InvalidArgument {
            what: "scope",
            reason: "a scope is empty or contains whitespace",
        });
    }
    Ok(())
}

/// The scopes of a space-separated scope string, as ORCID sends and the store keeps them.
fn split_scopes(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

// ---------------------------------------------------------------- the `tokens` table

/// The columns [`token_row`] maps, secrets included.
const TOKEN_SELECT: &str = "SELECT client_id, orcid, name, access_token, refresh_token, scopes,
                                   issued_at, expires_at FROM tokens";

fn token_row(r: &Row<'_>) -> rusqlite::Result<StoredToken> {
    Ok(StoredToken {
        client_id: r.get(0)?,
        orcid: r.get(1)?,
        name: r.get(2)?,
        access_token: SecretString::from(r.get::<_, String>(3)?),
        refresh_token: r.get::<_, Option<String>>(4)?.map(SecretString::from),
        scopes: split_scopes(&r.get::<_, String>(5)?),
        issued_at: Timestamp::from_unix(r.get(6)?),
        expires_at: Timestamp::from_unix(r.get(7)?),
    })
}

/// The columns [`summary_row`] maps: no secret column is read.
const SUMMARY_SELECT: &str = "SELECT client_id, orcid, name, scopes, issued_at, expires_at,
                                     refresh_token IS NOT NULL FROM tokens";

fn summary_row(r: &Row<'_>) -> rusqlite::Result<TokenSummary> {
    Ok(TokenSummary {
        client_id: r.get(0)?,
        orcid: r.get(1)?,
        name: r.get(2)?,
        scopes: split_scopes(&r.get::<_, String>(3)?),
        issued_at: Timestamp::from_unix(r.get(4)?),
        expires_at: Timestamp::from_unix(r.get(5)?),
        has_refresh_token: r.get(6)?,
    })
}

impl Store {
    /// Stores `token`, replacing any token for the same `(client_id, orcid)`.
    ///
    /// Fails with [`Error::InvalidArgument`] for an empty client id or iD, or a
    /// scope that is empty or contains whitespace.
    pub fn put_token(&self, token: &StoredToken) -> Result<()> {
        validate(token)?;
        self.execute(
            "INSERT INTO tokens (client_id, orcid, name, access_token, refresh_token,
                                 scopes, issued_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (client_id, orcid) DO UPDATE SET
                 name = excluded.name,
                 access_token = excluded.access_token,
                 refresh_token = excluded.refresh_token,
                 scopes = excluded.scopes,
                 issued_at = excluded.issued_at,
                 expires_at = excluded.expires_at",
            params![
                token.client_id,
                token.orcid,
                token.name,
                token.access_token.expose_secret(),
                token.refresh_token.as_ref().map(|t| t.expose_secret()),
                token.scope_string(),
                token.issued_at.as_unix(),
                token.expires_at.as_unix(),
            ],
        )?;
        Ok(())
    }

    /// The token of researcher `orcid` for client `client_id`, if stored.
    pub fn token(&self, client_id: &str, orcid: &str) -> Result<Option<StoredToken>> {
        self.query_opt(
            &format!("{TOKEN_SELECT} WHERE client_id = ?1 AND orcid = ?2"),
            params![client_id, orcid],
            token_row,
        )
        .map_err(|e| self.sql(e))
    }

    /// All tokens of client `client_id`, ordered by iD, without their secrets
    /// (the secret columns are not even read).
    pub fn tokens(&self, client_id: &str) -> Result<Vec<TokenSummary>> {
        self.query_all(
            &format!("{SUMMARY_SELECT} WHERE client_id = ?1 ORDER BY orcid"),
            params![client_id],
            summary_row,
        )
        .map_err(|e| self.sql(e))
    }

    /// Deletes the token of `orcid` for `client_id`; `true` if there was one.
    ///
    /// This forgets the token locally only; revoke it at ORCID (`POST /oauth/revoke`) too.
    pub fn delete_token(&self, client_id: &str, orcid: &str) -> Result<bool> {
        let n = self.execute(
            "DELETE FROM tokens WHERE client_id = ?1 AND orcid = ?2",
            params![client_id, orcid],
        )?;
        Ok(n > 0)
    }
}
