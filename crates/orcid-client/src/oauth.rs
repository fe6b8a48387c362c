//! OAuth 2.0 with ORCID (`docs/orcid-api.md` §1): the authorize URL,
//! the redirect back, and the token endpoint (code exchange, refresh,
//! client credentials, revoke).
//!
//! None of the token-endpoint calls is retried: they are POSTs, and an
//! authorization code exchanged twice makes ORCID revoke every token issued
//! from it (`docs/orcid-api.md` §1.5). On a transport fault during
//! [`OrcidClient::exchange_code`] send the user through the authorize flow
//! again.

use std::fmt;
use std::time::{Duration, SystemTime};

use orcid_model::scalar::OrcidId;
use secrecy::{ExposeSecret, SecretString};

use crate::client::{HttpRequest, Method, OrcidClient};
use crate::error::Error;
use crate::scope::Scope;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// `prompt` of the authorize URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// `login`: force the user to sign in again.
    Login,
    /// `none`: with `openid` and no session, ORCID redirects with
    /// `error=login_required`.
    None,
}

impl Prompt {
    /// `login` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Prompt::Login => "login",
            Prompt::None => "none",
        }
    }
}

/// A builder of the URL that sends the user to ORCID's authorize page
/// (create-on-demand: a user without an iD registers there, pre-filled
/// from `given_names`/`family_names`/`email`, with `show_login(false)`).
///
/// Made by [`OrcidClient::authorize`]; [`AuthorizeRequest::build`] gives
/// the URL and a fresh random `state` to keep in the user's session.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    oauth_base: String,
    client_id: String,
    redirect_uri: String,
    scopes: Vec<Scope>,
    given_names: Option<String>,
    family_names: Option<String>,
    email: Option<String>,
    orcid: Option<String>,
    show_login: Option<bool>,
    lang: Option<String>,
    prompt: Option<Prompt>,
    nonce: Option<String>,
    state: Option<String>,
}

impl AuthorizeRequest {
    /// Adds a scope.
    pub fn scope(mut self, scope: Scope) -> Self {
        if !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
        self
    }

    /// Adds scopes.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        for s in scopes {
            self = self.scope(s);
        }
        self
    }

    /// Overrides the configured redirect URI (it must then also be given to
    /// [`OrcidClient::exchange_code_with_redirect_uri`]).
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = uri.into();
        self
    }

    /// Pre-fills the registration form's given names.
    pub fn given_names(mut self, v: impl Into<String>) -> Self {
        self.given_names = Some(v.into());
        self
    }

    /// Pre-fills the registration form's family names.
    pub fn family_names(mut self, v: impl Into<String>) -> Self {
        self.family_names = Some(v.into());
        self
    }

    /// Pre-fills the sign-in (if known to ORCID) or registration e-mail.
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }

    /// Pre-fills the sign-in form with an iD (takes precedence over
    /// `email` and `show_login`).
    pub fn orcid(mut self, v: impl Into<String>) -> Self {
        self.orcid = Some(v.into());
        self
    }

    /// `true`: show the sign-in form; `false`: the registration form first.
    pub fn show_login(mut self, v: bool) -> Self {
        self.show_login = Some(v);
        self
    }

    /// Display language (ar, cs, en, es, fr, de, it, ja, ko, pl, pt, ru,
    /// tr, zh_CN, zh_TW); ORCID also stores it as the user's preference.
    pub fn lang(mut self, v: impl Into<String>) -> Self {
        self.lang = Some(v.into());
        self
    }

    /// `prompt`.
    pub fn prompt(mut self, v: Prompt) -> Self {
        self.prompt = Some(v);
        self
    }

    /// OpenID Connect `nonce`.
    pub fn nonce(mut self, v: impl Into<String>) -> Self {
        self.nonce = Some(v.into());
        self
    }

    /// Sends this `state` rather than a fresh random one: for a state that
    /// carries its own check (the connect page signs its states, so that it
    /// keeps nothing per visitor). It must be unguessable and used once.
    pub fn state(mut self, v: impl Into<String>) -> Self {
        self.state = Some(v.into());
        self
    }

    /// The URL, with the `state` given to [`AuthorizeRequest::state`] or
    /// else a fresh random one. Fails without a scope.
    pub fn build(&self) -> Result<AuthorizeUrl, Error> {
        if self.scopes.is_empty() {
            return Err(Error::Config(
                "an authorize URL needs at least one scope".into(),
            ));
        }
        let state = self.state.clone().unwrap_or_else(random_state);
        let scope = Scope::join(&self.scopes);
        let show_login = self.show_login.map(|b| if b { "true" } else { "false" });
        let params: [(&str, Option<&str>); 12] = [
            ("client_id", Some(&self.client_id)),
            ("response_type", Some("code")),
            ("scope", Some(&scope)),
            ("redirect_uri", Some(&self.redirect_uri)),
            ("state", Some(&state)),
            ("given_names", self.given_names.as_deref()),
            ("family_names", self.family_names.as_deref()),
            ("email", self.email.as_deref()),
            ("orcid", self.orcid.as_deref()),
            ("show_login", show_login),
            ("lang", self.lang.as_deref()),
            ("prompt", self.prompt.map(Prompt::as_str)),
        ];
        let mut query = String::new();
        for (k, v) in params
            .iter()
            .chain([("nonce", self.nonce.as_deref())].iter())
        {
            if let Some(v) = v {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(k);
                query.push('=');
                query.push_str(&encode_component(v));
            }
        }
        Ok(AuthorizeUrl {
            url: format!("{}/oauth/authorize?{query}", self.oauth_base),
            state,
        })
    }
}

/// Percent-encodes a query value, spaces as `%20` (ORCID's scope list).
fn encode_component(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// 128 random bits, hex.
fn random_state() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An authorize URL and the `state` it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    /// Where to send the user's browser.
    pub url: String,
    /// Keep it in the user's session; compare it on the way back with
    /// [`verify_state`] or [`AuthorizationCallback::into_code`].
    pub state: String,
}

/// Compares the `state` sent with the one returned, in constant time.
pub fn verify_state(expected: &str, returned: &str) -> Result<(), Error> {
    let (a, b) = (expected.as_bytes(), returned.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff));
    }
    if diff == 0 && !a.is_empty() {
        Ok(())
    } else {
        Err(Error::StateMismatch)
    }
}

/// What ORCID put on the redirect URI. Both ORCID's forms of error are
/// read: query (`?error=…&error_description=…&state=…`) and fragment
/// (`#error=…`). Debug hides the code.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCallback {
    /// `code` (six characters).
    pub code: Option<String>,
    /// `state` as returned.
    pub state: Option<String>,
    /// `error`, e.g. `access_denied`.
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
}

impl fmt::Debug for AuthorizationCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCallback")
            .field("code", &self.code.as_ref().map(|_| crate::error::REDACTED))
            .field("state", &self.state)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

impl AuthorizationCallback {
    /// Reads the full redirect URL (or just its query, with or without `?`).
    pub fn parse(redirect: &str) -> AuthorizationCallback {
        let (before_fragment, fragment) = match redirect.split_once('#') {
            Some((a, b)) => (a, Some(b)),
            None => (redirect, None),
        };
        let query = match before_fragment.split_once('?') {
            Some((_, q)) => q,
            None if !before_fragment.contains("://") => before_fragment,
            None => "",
        };
        let mut cb = AuthorizationCallback {
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for part in [Some(query), fragment].into_iter().flatten() {
            for (k, v) in url::form_urlencoded::parse(part.as_bytes()) {
                let v = Some(v.into_owned());
                match k.as_ref() {
                    "code" => cb.code = v,
                    "state" => cb.state = v,
                    "error" => cb.error = v,
                    "error_description" => cb.error_description = v,
                    _ => {}
                }
            }
        }
        cb
    }

    /// The code, once the `state` is checked against the one sent; an
    /// error redirect becomes [`Error::Authorization`] (`access_denied`
    /// when the user denied access).
    pub fn into_code(self, expected_state: &str) -> Result<String, Error> {
        if let Some(error) = self.error {
            return Err(Error::Authorization {
                error,
                description: self.error_description,
            });
        }
        verify_state(expected_state, self.state.as_deref().unwrap_or(""))?;
        self.code.filter(|c| !c.is_empty()).ok_or_else(|| {
            Error::UnexpectedResponse("the redirect carries neither a code nor an error".into())
        })
    }
}

/// ORCID's token response, kept whole (`docs/orcid-api.md` §1.4). Debug hides
/// the tokens.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The access token (a UUID at ORCID).
    pub access_token: SecretString,
    /// `bearer`.
    pub token_type: String,
    /// The refresh token (also given for client-credentials tokens).
    pub refresh_token: Option<SecretString>,
    /// Lifetime in seconds (~20 years for persistent tokens).
    pub expires_in: Option<u64>,
    /// The scopes granted, space-separated, as sent.
    pub scope: String,
    /// The user's public display name (empty when not public; absent for
    /// client-credentials tokens).
    pub name: Option<String>,
    /// The user's iD (absent/`null` for client-credentials tokens).
    pub orcid: Option<OrcidId>,
    /// OpenID Connect `id_token` (with the `openid` scope).
    pub id_token: Option<SecretString>,
    /// When the client received the response (to compute expiry).
    pub received_at: SystemTime,
}

impl TokenResponse {
    /// Reads the JSON body of a token response. Error messages never
    /// repeat the body.
    pub fn from_json(text: &str) -> Result<TokenResponse, Error> {
        let bad = |what: &str| Error::UnexpectedResponse(format!("token response: {what}"));
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| bad("not JSON"))?;
        let map = value.as_object().ok_or_else(|| bad("not a JSON object"))?;
        let string = |k: &str| -> Result<Option<String>, Error> {
            match map.get(k) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad(&format!("`{k}` is not a string"))),
            }
        };
        let access_token = string("access_token")?
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("no `access_token`"))?;
        let expires_in = match map.get("expires_in") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            Some(_) => return Err(bad("`expires_in` is not a number")),
        };
        Ok(TokenResponse {
            access_token: SecretString::from(access_token),
            token_type: string("token_type")?.unwrap_or_else(|| "bearer".into()),
            refresh_token: string("refresh_token")?.map(SecretString::from),
            expires_in,
            scope: string("scope")?.unwrap_or_default(),
            name: string("name")?,
            orcid: string("orcid")?.filter(|o| !o.is_empty()).map(OrcidId),
            id_token: string("id_token")?.map(SecretString::from),
            received_at: SystemTime::now(),
        })
    }

    /// The scopes granted that this crate knows.
    pub fn scopes(&self) -> Vec<Scope> {
        Scope::parse_list(&self.scope)
    }

    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scope.split_whitespace().any(|s| s == scope.as_str())
    }

    /// When the token expires, if ORCID said.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_in
            .and_then(|s| self.received_at.checked_add(Duration::from_secs(s)))
    }
}

impl OrcidClient {
    /// Starts an authorize URL with the configured client id and redirect
    /// URI and the given scopes.
    pub fn authorize(&self, scopes: impl IntoIterator<Item = Scope>) -> AuthorizeRequest {
        let c = self.config();
        AuthorizeRequest {
            oauth_base: c.environment.oauth_base().to_string(),
            client_id: c.client_id.clone(),
            redirect_uri: c.redirect_uri.clone(),
            scopes: Vec::new(),
            given_names: None,
            family_names: None,
            email: None,
            orcid: None,
            show_login: None,
            lang: None,
            prompt: None,
            nonce: None,
            state: None,
        }
        .scopes(scopes)
    }

    /// Exchanges an authorization code for a token (`grant_type=authorization_code`,
    /// with the configured redirect URI). Never retried: a code used twice
    /// revokes its tokens.
    pub fn exchange_code(&self, code: &str) -> Result<TokenResponse, Error> {
        let redirect = self.config().redirect_uri.clone();
        self.exchange_code_with_redirect_uri(code, &redirect)
    }

    /// [`exchange_code`](Self::exchange_code) for an authorize URL made
    /// with another redirect URI (they must be equal).
    pub fn exchange_code_with_redirect_uri(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<TokenResponse, Error> {
        let mut req = self.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ]);
        req.secrets.push(SecretString::from(code));
        self.token_call(&req)
    }

    /// A new token from a refresh token (`grant_type=refresh_token`).
    ///
    /// * `scopes`: empty = the parent's scopes, else a subset of them.
    /// * `revoke_old`: `Some(old_access_token)` revokes that token
    ///   (`revoke_old=true` with it as `Authorization: Bearer`, as ORCID
    ///   needs); `None` keeps it (`revoke_old=false`).
    pub fn refresh(
        &self,
        refresh_token: &SecretString,
        scopes: &[Scope],
        revoke_old: Option<&SecretString>,
    ) -> Result<TokenResponse, Error> {
        let scope = Scope::join(scopes);
        let mut fields = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose_secret()),
            (
                "revoke_old",
                if revoke_old.is_some() {
                    "true"
                } else {
                    "false"
                },
            ),
        ];
        if !scopes.is_empty() {
            fields.push(("scope", &scope));
        }
        let mut req = self.token_request(&fields);
        req.secrets.push(refresh_token.clone());
        req.bearer = revoke_old.cloned();
        self.token_call(&req)
    }

    /// A client-credentials (2-legged) token, e.g. for `/read-public`,
    /// `/premium-notification` or `/group-id-record/update`.
    pub fn client_credentials(&self, scopes: &[Scope]) -> Result<TokenResponse, Error> {
        if scopes.is_empty() {
            return Err(Error::Config(
                "client_credentials needs at least one scope".into(),
            ));
        }
        let scope = Scope::join(scopes);
        let req = self.token_request(&[("grant_type", "client_credentials"), ("scope", &scope)]);
        self.token_call(&req)
    }

    /// Revokes an access or refresh token (`POST /oauth/revoke`); revoking
    /// either removes both. ORCID answers 200 for unknown tokens too.
    pub fn revoke(&self, token: &SecretString) -> Result<(), Error> {
        let c = self.config();
        let body = form(&[
            ("client_id", &c.client_id),
            ("client_secret", c.client_secret.expose_secret()),
            ("token", token.expose_secret()),
        ]);
        let mut req = HttpRequest::new(Method::Post, self.oauth_url("/oauth/revoke"), JSON);
        req.body = Some((FORM, body));
        req.secrets.push(token.clone());
        self.execute_expect(&req, &[200, 204])?;
        Ok(())
    }

    fn token_request(&self, fields: &[(&str, &str)]) -> HttpRequest {
        let c = self.config();
        let mut all: Vec<(&str, &str)> = vec![
            ("client_id", &c.client_id),
            ("client_secret", c.client_secret.expose_secret()),
        ];
        all.extend_from_slice(fields);
        let mut req = HttpRequest::new(Method::Post, self.oauth_url("/oauth/token"), JSON);
        req.body = Some((FORM, form(&all)));
        req
    }

    fn token_call(&self, req: &HttpRequest) -> Result<TokenResponse, Error> {
        let resp = self.execute_expect(req, &[200])?;
        TokenResponse::from_json(&resp.body)
    }
}

fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_comparison() {
        assert!(verify_state("abc", "abc").is_ok());
        assert!(verify_state("abc", "abd").is_err());
        assert!(verify_state("abc", "ab").is_err());
        assert!(verify_state("", "").is_err());
    }

    #[test]
    fn callback_forms() {
        let cb = AuthorizationCallback::parse("https://app.example/cb?code=Ab12Cd&state=s1");
        assert_eq!(cb.clone().into_code("s1").unwrap(), "Ab12Cd");
        assert!(matches!(cb.into_code("s2"), Err(Error::StateMismatch)));
        let denied = AuthorizationCallback::parse(
            "https://app.example/cb?error=access_denied&error_description=User%20denied%20access&state=s1",
        );
        match denied.into_code("s1") {
            Err(e @ Error::Authorization { .. }) => {
                assert_eq!(e.kind(), crate::ErrorKind::Forbidden)
            }
            other => panic!("{other:?}"),
        }
        let frag = AuthorizationCallback::parse("https://app.example/cb#error=login_required");
        assert_eq!(frag.error.as_deref(), Some("login_required"));
        assert!(!format!("{:?}", AuthorizationCallback::parse("code=Zz9999")).contains("Zz9999"));
    }
}
