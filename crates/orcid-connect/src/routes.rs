//! The routes: the start page, the start of the authorization, and the
//! redirect back from ORCID.

use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use orcid_client::{ApiSection, AuthorizationCallback, ErrorKind};
use orcid_model::scalar::OrcidId;
use orcid_model::{v2_1, v3_0, AnyDocument};
use orcid_store::Store;

use crate::config::{ConnectEvent, Connected, CALLBACK_PATH, START_PATH};
use crate::pages;
use crate::pending::{Pending, StateProblem};
use crate::ConnectApp;

/// Refused redirects logged: at most 5 per 10 s, the others counted in the
/// next line's `held_back` (a flood of forged callbacks writes few lines).
static REFUSED: orcid_web::LogLimiter =
    orcid_web::LogLimiter::new(5, std::time::Duration::from_secs(10));

/// The cookie that binds a `state` to the browser it was handed to.
pub(crate) const COOKIE_NAME: &str = "orcid_connect";

/// The app's routes (see [`crate::router`]).
pub(crate) fn routes(app: ConnectApp) -> Router {
    Router::new()
        .route("/", get(index))
        .route(START_PATH, get(start))
        .route(CALLBACK_PATH, get(callback))
        // Nothing cached (the pages carry iDs), no referrer (the redirect
        // URL carries the code), no framing, no script.
        .layer(axum::middleware::map_response(orcid_web::page_headers))
        .with_state(app)
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

/// `GET /`.
async fn index(State(app): State<ConnectApp>) -> Response {
    let inner = &app.inner;
    html(
        StatusCode::OK,
        pages::index(&inner.chrome, &inner.config.scopes),
    )
}

/// 128 random bits, hex.
fn random_hex() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The browser's binding from its cookie, if it has a well-formed one.
fn binding_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `GET /connect/start`: a fresh `state`, signed and bound to the browser's
/// binding (nothing is kept), and a redirect to ORCID's authorize page.
async fn start(State(app): State<ConnectApp>, headers: HeaderMap) -> Response {
    let inner = &app.inner;
    let binding = binding_cookie(&headers).unwrap_or_else(random_hex);
    let auth = match inner
        .client
        .authorize(inner.config.scopes.iter().copied())
        .redirect_uri(inner.redirect_uri.clone())
        .state(inner.pending.issue(&binding))
        .build()
    {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the authorize URL");
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                pages::problem(
                    &inner.chrome,
                    "This page is not set up correctly",
                    "The link to ORCID could not be made.",
                    None,
                ),
            );
        }
    };
    let cookie = format!(
        "{COOKIE_NAME}={binding}; Path={}; Max-Age={}; HttpOnly; SameSite=Lax{}",
        inner.cookie_path,
        inner.config.state_ttl.as_secs().max(60),
        if inner.https { "; Secure" } else { "" }
    );
    let mut resp = StatusCode::FOUND.into_response();
    let headers = resp.headers_mut();
    match HeaderValue::from_str(&auth.url) {
        Ok(v) => {
            headers.insert(header::LOCATION, v);
        }
        Err(_) => {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                pages::problem(
                    &inner.chrome,
                    "This page is not set up correctly",
                    "The link to ORCID could not be made.",
                    None,
                ),
            )
        }
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, v);
    }
    resp
}

/// A state claimed by a redirect; released when dropped unless the redirect
/// connected someone, so that only real authorizations are remembered.
struct Claim<'a> {
    pending: &'a Pending,
    state: String,
    connected: bool,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if !self.connected {
            self.pending.release(&self.state);
        }
    }
}

/// Why the redirect route shows an error page.
struct Failure {
    status: StatusCode,
    title: &'static str,
    message: String,
    detail: Option<String>,
    /// For the event: which step failed, and why.
    stage: &'static str,
    reason: String,
}

impl Failure {
    fn event(&self) -> ConnectEvent {
        ConnectEvent::Failed {
            stage: self.stage,
            reason: self.reason.clone(),
        }
    }
}

/// `GET /connect/callback`: ORCID's redirect back.
async fn callback(
    State(app): State<ConnectApp>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let cb = AuthorizationCallback::parse(query.as_deref().unwrap_or(""));
    let inner = &app.inner;
    let chrome = &inner.chrome;

    // Nothing from the redirect is trusted before the state is checked.
    let state = cb.state.as_deref().filter(|s| !s.is_empty());
    let checked = match state {
        None if cb.code.is_none() && cb.error.is_none() => Err(Failure {
            status: StatusCode::BAD_REQUEST,
            title: "Nothing to finish here",
            message: "This address is where ORCID sends you back after you sign in. Start from \
                      the connect page instead."
                .into(),
            detail: None,
            stage: "state",
            reason: "redirect without parameters".into(),
        }),
        None => Err(Failure {
            status: StatusCode::BAD_REQUEST,
            title: "This link cannot be checked",
            message: "ORCID's answer came back without the check value (state) this page \
                      sent, so it cannot be trusted."
                .into(),
            detail: None,
            stage: "state",
            reason: "redirect without a state".into(),
        }),
        Some(s) => inner
            .pending
            .claim(s, binding_cookie(&headers).as_deref())
            .map(|()| Claim {
                pending: &inner.pending,
                state: s.to_string(),
                connected: false,
            })
            .map_err(state_failure),
    };
    let mut claim = match checked {
        Ok(claim) => claim,
        Err(f) => {
            if let Some(held_back) = REFUSED.check() {
                tracing::warn!(reason = %f.reason, held_back, "redirect refused");
            }
            app.emit(f.event()).await;
            return html(
                f.status,
                pages::problem(chrome, f.title, &f.message, f.detail.as_deref()),
            );
        }
    };

    if let Some(error) = cb.error.as_deref() {
        if error == "access_denied" {
            tracing::info!("the researcher denied access");
            app.emit(ConnectEvent::Denied).await;
            return html(StatusCode::FORBIDDEN, pages::denied(chrome));
        }
        let description = cb.error_description.as_deref().unwrap_or("");
        tracing::warn!(error, description, "ORCID redirected with an error");
        app.emit(ConnectEvent::Failed {
            stage: "authorize",
            reason: format!("{error}: {description}"),
        })
        .await;
        let detail = if description.is_empty() {
            format!("ORCID's answer: {error}")
        } else {
            format!("ORCID's answer: {error} ({description})")
        };
        return html(
            StatusCode::BAD_REQUEST,
            pages::problem(
                chrome,
                "ORCID could not complete the sign-in",
                "ORCID sent you back with an error instead of a permission.",
                Some(&detail),
            ),
        );
    }

    let Some(code) = cb.code.filter(|c| !c.is_empty()) else {
        let f = Failure {
            status: StatusCode::BAD_REQUEST,
            title: "ORCID's answer is incomplete",
            message: "ORCID sent you back without a permission code.".into(),
            detail: None,
            stage: "authorize",
            reason: "redirect without a code".into(),
        };
        app.emit(f.event()).await;
        return html(f.status, pages::problem(chrome, f.title, &f.message, None));
    };

    // Exchange at once (codes are short-lived and single-use), store, and
    // tell the hook, all on the blocking pool.
    let worker = app.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let result = worker.exchange_and_store(&code);
        let event = match &result {
            Ok(who) => ConnectEvent::Connected(who.clone()),
            Err(f) => f.event(),
        };
        worker.emit_blocking(&event);
        result
    })
    .await;
    match outcome {
        Ok(Ok(who)) => {
            claim.connected = true;
            html(StatusCode::OK, pages::success(chrome, &who))
        }
        Ok(Err(f)) => html(
            f.status,
            pages::problem(chrome, f.title, &f.message, f.detail.as_deref()),
        ),
        Err(join) => {
            tracing::error!(error = %join, "the exchange task failed");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                pages::problem(
                    chrome,
                    "Something went wrong on our side",
                    "The connection could not be completed.",
                    None,
                ),
            )
        }
    }
}

fn state_failure(p: StateProblem) -> Failure {
    let (title, message) = match p {
        StateProblem::Unknown => (
            "This link is not valid here",
            "This page did not start this sign-in, or it started it too long ago (or the page \
             was restarted meanwhile).",
        ),
        StateProblem::Expired => (
            "This link has expired",
            "The sign-in took longer than this page waits for it.",
        ),
        StateProblem::Used => (
            "This link was already used",
            "Each sign-in link works once. If you have just connected your iD, it is done; \
             otherwise, start again.",
        ),
        StateProblem::OtherBrowser => (
            "This sign-in was started elsewhere",
            "It was started in another browser or window, or your browser did not keep this \
             page's cookie. Start again in this browser.",
        ),
    };
    Failure {
        status: StatusCode::BAD_REQUEST,
        title,
        message: message.into(),
        detail: None,
        stage: "state",
        reason: p.as_str().into(),
    }
}

impl ConnectApp {
    /// Exchanges `code` and stores the token. Blocking.
    fn exchange_and_store(&self, code: &str) -> Result<Connected, Failure> {
        let inner = &self.inner;
        let response = inner
            .client
            .exchange_code_with_redirect_uri(code, &inner.redirect_uri)
            .map_err(|e| exchange_failure(&e))?;
        let token =
            crate::stored_token(&inner.config.client.client_id, &response, None).map_err(|_| {
                Failure {
                    status: StatusCode::BAD_GATEWAY,
                    title: "ORCID answered with an error",
                    message: "ORCID's answer did not name a valid ORCID iD.".into(),
                    detail: None,
                    stage: "exchange",
                    reason: "token response without a valid iD".into(),
                }
            })?;
        let mut who = Connected {
            orcid: token.orcid.clone(),
            name: token.name.clone(),
            scopes: token.scopes.clone(),
            name_from_record: false,
        };
        let path = &inner.config.store_path;
        Store::open(path)
            .and_then(|store| store.put_token(&token))
            .map_err(|e| {
                tracing::error!(store = %path.display(), error = %e, orcid = %who.orcid,
                    "ORCID granted access but the token could not be stored");
                Failure {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Your iD could not be saved",
                    message: "ORCID confirmed your iD and permission, but this page could not \
                              save them. Please start again."
                        .into(),
                    detail: None,
                    stage: "store",
                    reason: e.to_string(),
                }
            })?;
        tracing::info!(orcid = %who.orcid, scopes = %token.scope_string(), "researcher connected");
        if let Some(name) = self.read_name(&token) {
            who.name = Some(name);
            who.name_from_record = true;
        }
        Ok(who)
    }

    /// The researcher's name as their record shows it to this client
    /// (`GET /{orcid}/personal-details` with the new token, in the API
    /// version of the client's configuration): the credit name, else the
    /// given and family names. `None` (logged) when the record cannot be
    /// read or names nobody; the page then shows the name of ORCID's token
    /// answer. Blocking.
    fn read_name(&self, token: &orcid_store::StoredToken) -> Option<String> {
        let inner = &self.inner;
        let orcid = OrcidId::parse(&token.orcid)?;
        let version = inner.config.client.api_version;
        let doc = match inner
            .client
            .member(&token.access_token)
            .with_version(version)
            .read_section_any(&orcid, ApiSection::PersonalDetails)
        {
            Ok(doc) => doc,
            Err(e) => {
                tracing::warn!(orcid = %orcid.0, api = %version, error = %e,
                    "the connected researcher's personal details could not be read");
                return None;
            }
        };
        let name = display_name(&doc);
        tracing::debug!(orcid = %orcid.0, api = %version, found = name.is_some(),
            "read the connected researcher's name");
        name
    }
}

/// The name a `personal-details:personal-details` document shows: the
/// credit name, else the given names and family name; `None` for another
/// document or a record without a visible name.
fn display_name(doc: &AnyDocument) -> Option<String> {
    let (credit, given, family) = match doc {
        AnyDocument::V3_0(v3_0::Document::PersonalDetailsPersonalDetails(d)) => {
            let n = d.name.as_ref()?;
            (
                n.credit_name.clone(),
                n.given_names.clone(),
                n.family_name.clone(),
            )
        }
        AnyDocument::V2_1(v2_1::Document::PersonalDetailsPersonalDetails(d)) => {
            let n = d.name.as_ref()?;
            (
                n.credit_name.clone(),
                n.given_names.clone(),
                n.family_name.clone(),
            )
        }
        _ => return None,
    };
    let nonblank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    nonblank(credit).or_else(|| {
        let parts: Vec<String> = [given, family].into_iter().filter_map(nonblank).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

/// The page and event of a failed exchange. The client's errors never hold
/// the secret, the code or a token.
fn exchange_failure(e: &orcid_client::Error) -> Failure {
    tracing::warn!(error = %e, "code exchange failed");
    let (title, message) = match e.kind() {
        ErrorKind::Reauthorize => (
            "ORCID did not accept the sign-in",
            "ORCID refused the one-time code it gave this page, most likely because it \
             expired or was already used.",
        ),
        ErrorKind::ClientConfig => (
            "This page is not set up correctly",
            "ORCID refused this page's client credentials or redirect URI. The people who \
             run this page need to fix its configuration.",
        ),
        ErrorKind::Retryable => (
            "ORCID could not be reached",
            "ORCID did not answer in time or is busy. Please try again in a few minutes.",
        ),
        _ => (
            "ORCID answered with an error",
            "ORCID could not complete the connection.",
        ),
    };
    let detail = e.api().map(|api| match api.oauth_error() {
        Some(o) => format!("ORCID's answer: {o} (HTTP {})", api.status),
        None => format!("ORCID's answer: HTTP {}", api.status),
    });
    Failure {
        status: StatusCode::BAD_GATEWAY,
        title,
        message: message.into(),
        detail,
        stage: "exchange",
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie() {
        let mut h = HeaderMap::new();
        assert_eq!(binding_cookie(&h), None);
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; orcid_connect=0123456789abcdef0123456789abcdef"),
        );
        assert_eq!(
            binding_cookie(&h).as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("orcid_connect=<x>"),
        );
        assert_eq!(binding_cookie(&h), None);
        assert_eq!(random_hex().len(), 32);
    }
}
