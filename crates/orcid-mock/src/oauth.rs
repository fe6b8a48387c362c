//! OAuth 2.0 as ORCID does it (`docs/orcid-api.md` §1): the authorize pages,
//! the token endpoint (authorization code, refresh token, client credentials)
//! and revoke.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use orcid_web::escape_html;

use crate::config::{ClientConfig, ErrorStyle, ResearcherConfig};
use crate::http::{empty, oauth_error};
use crate::scopes;
use crate::store::{AuthCode, PendingAuth, Researcher, Token};
use crate::util::{now_ms, random_code, redact, uuid_v4};
use crate::MockState;

// ---------------------------------------------------------------- authorize

/// A validated authorization request.
struct AuthRequest {
    client: ClientConfig,
    scopes: Vec<String>,
    redirect_uri: String,
    state: Option<String>,
}

fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_string();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in pairs {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
        sep = '&';
    }
    out
}

fn redirect(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap_or_default()
}

/// A client-handled authorize error, in the configured style (§1.2).
fn client_error(
    state: &MockState,
    redirect_uri: &str,
    error: &str,
    description: &str,
    st: Option<&str>,
) -> Response {
    match state.config().oauth.authorize_error_style {
        ErrorStyle::Fragment => redirect(&format!("{redirect_uri}#error={}", encode(error))),
        ErrorStyle::Query => {
            let mut pairs = vec![("error", error), ("error_description", description)];
            if let Some(s) = st {
                pairs.push(("state", s));
            }
            redirect(&with_query(redirect_uri, &pairs))
        }
    }
}

struct UriParts {
    scheme: String,
    authority_user: String,
    host: String,
    port: Option<String>,
    path: String,
}

fn split_uri(uri: &str) -> Option<UriParts> {
    let (scheme, rest) = uri.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (u.to_string(), h),
        None => (String::new(), authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => {
            (h.to_string(), Some(p.to_string()))
        }
        _ => (hostport.to_string(), None),
    };
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    Some(UriParts {
        scheme: scheme.to_ascii_lowercase(),
        authority_user: user,
        host,
        port,
        path: clean_path(&tail[..path_end]),
    })
}

/// Spring's `cleanPath`, roughly: `.` and `..` segments resolved, `//` collapsed.
fn clean_path(p: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in p.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = format!("/{}", segs.join("/"));
    if p.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    out
}

/// ORCID's redirect match (`OrcidOauthRedirectResolver#redirectMatches`):
/// scheme, user-info, host and port equal, path a prefix, query ignored. A
/// registered URI without a port accepts any port (mock convenience).
pub fn redirect_matches(registered: &str, requested: &str) -> bool {
    let (Some(r), Some(q)) = (split_uri(registered), split_uri(requested)) else {
        return false;
    };
    r.scheme == q.scheme
        && r.authority_user == q.authority_user
        && r.host == q.host
        && (r.port.is_none() || r.port == q.port)
        && (r.path == "/" || q.path.starts_with(&r.path))
}

fn validate_authorize(
    state: &MockState,
    p: &HashMap<String, String>,
) -> Result<AuthRequest, Box<Response>> {
    let client = p
        .get("client_id")
        .and_then(|id| state.client(id))
        .cloned()
        .ok_or_else(|| {
            Box::new(oauth_error(
                400,
                "invalid_request",
                "Invalid parameter: client_id",
            ))
        })?;
    let redirect_uri = p.get("redirect_uri").cloned().unwrap_or_default();
    if redirect_uri.is_empty()
        || !client
            .redirect_uris
            .iter()
            .any(|r| redirect_matches(r, &redirect_uri))
    {
        return Err(Box::new(error_page(
            400,
            "Redirect URI mismatch",
            "The redirect_uri does not match any of the client's registered redirect URIs \
             (ORCID: /oauth/error/redirect-uri-mismatch).",
        )));
    }
    let st = p.get("state").map(String::as_str);
    if p.get("response_type").map(String::as_str) != Some("code") {
        return Err(Box::new(client_error(
            state,
            &redirect_uri,
            "unsupported_response_type",
            "Unsupported response type",
            st,
        )));
    }
    let requested = scopes::parse(p.get("scope").map(String::as_str).unwrap_or(""));
    if requested.is_empty() {
        return Err(Box::new(client_error(
            state,
            &redirect_uri,
            "invalid_scope",
            "Invalid scope: (none)",
            st,
        )));
    }
    for s in &requested {
        let allowed = scopes::USER_SCOPES.contains(&s.as_str())
            && (client.member || scopes::PUBLIC_CLIENT_SCOPES.contains(&s.as_str()));
        if !allowed {
            return Err(Box::new(client_error(
                state,
                &redirect_uri,
                "invalid_scope",
                &format!("Invalid scope: {s}"),
                st,
            )));
        }
    }
    Ok(AuthRequest {
        client,
        scopes: requested,
        redirect_uri,
        state: p.get("state").cloned(),
    })
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{t} | ORCID mock</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto;color:#222}}\
         header{{border-bottom:3px solid #a6ce39;margin-bottom:1em}}\
         form{{border:1px solid #ccc;padding:1em;margin:1em 0}}\
         label{{display:block;margin:.5em 0}}input[type=text],input[type=password],input[type=email]{{width:100%}}\
         button{{margin-right:1em;padding:.4em 1.2em}}.note{{color:#666;font-size:90%}}</style>\
         </head><body><header><h1>ORCID <small>mock</small></h1></header>\n{body}\n</body></html>\n",
        t = escape_html(title)
    )
}

fn error_page(status: u16, title: &str, text: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        Html(page(
            title,
            &format!(
                "<h2>{}</h2><p>{}</p>",
                escape_html(title),
                escape_html(text)
            ),
        )),
    )
        .into_response()
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape_html(name),
        escape_html(value)
    )
}

fn sign_in_page(
    state: &MockState,
    request_id: &str,
    pending: &PendingAuth,
    message: &str,
) -> Response {
    let client_name = state
        .client(&pending.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let pre = |k: &str| escape_html(pending.prefill.get(k).map(String::as_str).unwrap_or(""));
    let user = if pending.prefill.contains_key("orcid") {
        pre("orcid")
    } else {
        pre("email")
    };
    let signin = format!(
        "<form method=\"post\" action=\"/oauth/authorize\" id=\"signin\"><h3>Sign in</h3>{rid}{act}\
         <label>ORCID iD or email <input type=\"text\" name=\"username\" value=\"{user}\"></label>\
         <label>Password <input type=\"password\" name=\"password\"></label>\
         <button type=\"submit\">Sign in</button></form>",
        rid = hidden("request_id", request_id),
        act = hidden("action", "signin"),
    );
    let register = format!(
        "<form method=\"post\" action=\"/oauth/authorize\" id=\"register\"><h3>Register for an ORCID iD</h3>{rid}{act}\
         <label>Given names <input type=\"text\" name=\"given_names\" value=\"{g}\"></label>\
         <label>Family name <input type=\"text\" name=\"family_names\" value=\"{f}\"></label>\
         <label>Email <input type=\"email\" name=\"email\" value=\"{e}\"></label>\
         <label>Password <input type=\"password\" name=\"password\"></label>\
         <button type=\"submit\">Register</button></form>",
        rid = hidden("request_id", request_id),
        act = hidden("action", "register"),
        g = pre("given_names"),
        f = pre("family_names"),
        e = pre("email"),
    );
    let (first, second) = if pending.register_first {
        (register, signin)
    } else {
        (signin, register)
    };
    let msg = if message.is_empty() {
        String::new()
    } else {
        format!(
            "<p role=\"alert\"><strong>{}</strong></p>",
            escape_html(message)
        )
    };
    Html(page(
        "Sign in",
        &format!(
            "<p><strong>{}</strong> asks you to sign in with your ORCID iD.</p>{msg}{first}{second}\
             <p class=\"note\">Demo researcher: 0000-0002-1825-0097, password <code>demo</code>.</p>",
            escape_html(&client_name)
        ),
    ))
    .into_response()
}

fn consent_page(state: &MockState, request_id: &str, pending: &PendingAuth) -> Response {
    let client_name = state
        .client(&pending.client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let who = pending
        .orcid
        .as_deref()
        .and_then(|o| state.researcher(o))
        .map(|r| format!("{} ({})", r.display_name(), r.profile.orcid))
        .unwrap_or_default();
    let items: String = pending
        .scopes
        .iter()
        .map(|s| {
            format!(
                "<li>{} <code>{}</code></li>",
                escape_html(scopes::describe(s)),
                escape_html(s)
            )
        })
        .collect();
    Html(page(
        "Authorize access",
        &format!(
            "<p>Signed in as <strong>{who}</strong>.</p>\
             <p><strong>{client}</strong> has asked for the following access to your ORCID record:</p>\
             <ul>{items}</ul>\
             <form method=\"post\" action=\"/oauth/authorize\" id=\"consent\">{rid}\
             <button type=\"submit\" name=\"action\" value=\"approve\">Authorize access</button>\
             <button type=\"submit\" name=\"action\" value=\"deny\">Deny access</button></form>",
            who = escape_html(&who),
            client = escape_html(&client_name),
            rid = hidden("request_id", request_id),
        ),
    ))
    .into_response()
}

/// Issues a code and redirects to the client.
fn approve(state: &MockState, pending: &PendingAuth, orcid: &str) -> Response {
    let code = random_code(6);
    state.store().save_code(AuthCode {
        code: code.clone(),
        client_id: pending.client_id.clone(),
        orcid: orcid.to_string(),
        scopes: pending.scopes.clone(),
        redirect_uri: Some(pending.redirect_uri.clone()),
        issued_ms: now_ms(),
        used: false,
    });
    tracing::info!(client = %pending.client_id, orcid, code = %redact(&code), "authorization approved");
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &pending.state {
        pairs.push(("state", s));
    }
    redirect(&with_query(&pending.redirect_uri, &pairs))
}

fn deny(pending: &PendingAuth) -> Response {
    let mut pairs = vec![
        ("error", "access_denied"),
        ("error_description", "User denied access"),
    ];
    if let Some(s) = &pending.state {
        pairs.push(("state", s));
    }
    redirect(&with_query(&pending.redirect_uri, &pairs))
}

/// Registers a new researcher (create-on-demand) and returns the iD.
fn register(state: &MockState, given: &str, family: &str, email: &str, password: &str) -> String {
    let mut store = state.store();
    let orcid = store.mint_orcid();
    let now = now_ms();
    let demo = crate::config::MockConfig::demo_researcher();
    let profile = ResearcherConfig {
        orcid: orcid.clone(),
        given_names: if given.is_empty() {
            "New".into()
        } else {
            given.into()
        },
        family_name: (!family.is_empty()).then(|| family.to_string()),
        credit_name: None,
        email: (!email.is_empty()).then(|| email.to_string()),
        password: if password.is_empty() {
            demo.password
        } else {
            password.into()
        },
        claimed: true,
        default_visibility: demo.default_visibility,
        name_visibility: demo.name_visibility,
        biography: None,
        biography_visibility: demo.biography_visibility,
        email_visibility: demo.email_visibility,
    };
    store.save_researcher(Researcher {
        profile,
        created_ms: now,
        modified_ms: now,
    });
    tracing::info!(orcid, "registered a new researcher (create-on-demand)");
    orcid
}

fn find_researcher(state: &MockState, user: &str) -> Option<Researcher> {
    let store = state.store();
    store.researchers.get(user).cloned().or_else(|| {
        store
            .researchers
            .values()
            .find(|r| {
                r.profile
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(user))
            })
            .cloned()
    })
}

/// `GET /oauth/authorize`.
pub async fn authorize_get(
    State(state): State<MockState>,
    Query(p): Query<HashMap<String, String>>,
) -> Response {
    let req = match validate_authorize(&state, &p) {
        Ok(r) => r,
        Err(resp) => return *resp,
    };
    let mut prefill = HashMap::new();
    for k in ["email", "given_names", "family_names", "orcid"] {
        if let Some(v) = p.get(k).filter(|v| !v.is_empty()) {
            prefill.insert(k.to_string(), v.clone());
        }
    }
    let known_user = prefill
        .get("orcid")
        .and_then(|o| find_researcher(&state, o))
        .or_else(|| {
            prefill
                .get("email")
                .and_then(|e| find_researcher(&state, e))
        });
    let register_first =
        p.get("show_login").map(String::as_str) == Some("false") && known_user.is_none();
    let mut pending = PendingAuth {
        client_id: req.client.id.clone(),
        scopes: req.scopes,
        redirect_uri: req.redirect_uri,
        state: req.state,
        orcid: None,
        prefill,
        register_first,
        created_ms: now_ms(),
    };
    if state.config().auto_approve {
        let orcid = if let Some(r) = known_user {
            r.profile.orcid
        } else if register_first
            && ["given_names", "family_names", "email"]
                .iter()
                .any(|k| pending.prefill.contains_key(*k))
        {
            let g = pending
                .prefill
                .get("given_names")
                .cloned()
                .unwrap_or_default();
            let f = pending
                .prefill
                .get("family_names")
                .cloned()
                .unwrap_or_default();
            let e = pending.prefill.get("email").cloned().unwrap_or_default();
            register(&state, &g, &f, &e, "")
        } else {
            // The first configured researcher (the demo one by default).
            let first = state.config().all_researchers().into_iter().next();
            match first.or_else(|| {
                state
                    .store()
                    .researchers
                    .values()
                    .next()
                    .map(|r| r.profile.clone())
            }) {
                Some(r) => r.orcid,
                None => {
                    return error_page(
                        500,
                        "No researcher",
                        "The mock has no researcher to sign in.",
                    )
                }
            }
        };
        pending.orcid = Some(orcid.clone());
        return approve(&state, &pending, &orcid);
    }
    let id = uuid_v4();
    state.store().pending.insert(id.clone(), pending.clone());
    sign_in_page(&state, &id, &pending, "")
}

/// `POST /oauth/authorize`: the sign-in, registration and consent forms.
pub async fn authorize_post(State(state): State<MockState>, body: Bytes) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let id = get("request_id").to_string();
    let Some(mut pending) = state.store().pending.get(&id).cloned() else {
        return error_page(
            400,
            "Authorization request not found",
            "The authorization request has expired or was already answered; start again from the client.",
        );
    };
    match get("action") {
        "signin" => {
            let user = get("username").trim();
            match find_researcher(&state, user) {
                Some(r) if r.profile.password == get("password") => {
                    pending.orcid = Some(r.profile.orcid.clone());
                    state.store().pending.insert(id.clone(), pending.clone());
                    consent_page(&state, &id, &pending)
                }
                _ => sign_in_page(
                    &state,
                    &id,
                    &pending,
                    "Invalid ORCID iD, email or password.",
                ),
            }
        }
        "register" => {
            if get("given_names").trim().is_empty() {
                return sign_in_page(
                    &state,
                    &id,
                    &pending,
                    "Given names are required to register.",
                );
            }
            let email = get("email").trim();
            if !email.is_empty() && find_researcher(&state, email).is_some() {
                return sign_in_page(
                    &state,
                    &id,
                    &pending,
                    "This email is already used by a record: sign in instead.",
                );
            }
            let orcid = register(
                &state,
                get("given_names").trim(),
                get("family_names").trim(),
                email,
                get("password"),
            );
            pending.orcid = Some(orcid);
            state.store().pending.insert(id.clone(), pending.clone());
            consent_page(&state, &id, &pending)
        }
        "approve" => {
            let Some(orcid) = pending.orcid.clone() else {
                return sign_in_page(&state, &id, &pending, "Sign in first.");
            };
            state.store().pending.remove(&id);
            approve(&state, &pending, &orcid)
        }
        "deny" => {
            state.store().pending.remove(&id);
            deny(&pending)
        }
        _ => error_page(400, "Bad request", "Unknown action."),
    }
}

// -------------------------------------------------------------------- token

fn client_auth(
    state: &MockState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<ClientConfig, Box<Response>> {
    let bad = || oauth_error(401, "invalid_client", "Client authentication failed");
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        });
    let (id, secret) = match basic {
        Some(pair) => pair,
        None => (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned().unwrap_or_default(),
        ),
    };
    match state.client(&id) {
        Some(c) if !secret.is_empty() && c.secret == secret => Ok(c.clone()),
        _ => Err(Box::new(bad())),
    }
}

fn token_response(t: &Token, name: Option<String>) -> Response {
    let expires_in = ((t.expires_ms - now_ms()) / 1000).max(0);
    let q = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut body = format!(
        "{{\"access_token\":{},\"token_type\":\"bearer\",\"refresh_token\":{},\"expires_in\":{},\"scope\":{}",
        q(&t.access_token),
        q(&t.refresh_token),
        expires_in,
        q(&t.scopes.join(" "))
    );
    if let Some(n) = name {
        body.push_str(&format!(",\"name\":{}", q(&n)));
    }
    match &t.orcid {
        Some(o) => body.push_str(&format!(",\"orcid\":{}}}", q(o))),
        None => body.push_str(",\"orcid\":null}"),
    }
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json;charset=UTF-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::PRAGMA, "no-cache")
        .body(Body::from(body))
        .unwrap_or_default()
}

fn new_token(
    client_id: &str,
    orcid: Option<String>,
    scopes: Vec<String>,
    expires_ms: i64,
    from_code: Option<String>,
) -> Token {
    Token {
        access_token: uuid_v4(),
        refresh_token: uuid_v4(),
        client_id: client_id.to_string(),
        orcid,
        scopes,
        issued_ms: now_ms(),
        expires_ms,
        revoked: false,
        from_code,
    }
}

/// `GET /oauth/token`: refused as ORCID does.
pub async fn token_get() -> Response {
    oauth_error(
        405,
        "method_not_allowed",
        "Method GET is not supported for token requests. POST IS supported, but BASIC \
         authentication is the preferred method of authenticating clients.",
    )
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
}

/// `POST /oauth/token`.
pub async fn token(State(state): State<MockState>, headers: HeaderMap, body: Bytes) -> Response {
    if !is_form(&headers) {
        return oauth_error(
            415,
            "invalid_request",
            "Unsupported Media Type: the token endpoint takes application/x-www-form-urlencoded",
        );
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let client = match client_auth(&state, &headers, &form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let grant = form.get("grant_type").map(String::as_str).unwrap_or("");
    let resp = match grant {
        "" => oauth_error(400, "unsupported_grant_type", "grant_type is missing"),
        "authorization_code" => authorization_code(&state, &client, &form),
        "refresh_token" => refresh(&state, &client, &headers, &form),
        "client_credentials" => client_credentials(&state, &client, &form),
        other => oauth_error(
            400,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {other}"),
        ),
    };
    tracing::info!(client = %client.id, grant, status = resp.status().as_u16(), "token request");
    resp
}

fn authorization_code(
    state: &MockState,
    client: &ClientConfig,
    form: &HashMap<String, String>,
) -> Response {
    let cfg = &state.config().oauth;
    let Some(code) = form.get("code").filter(|c| !c.is_empty()) else {
        return oauth_error(
            500,
            "server_error",
            "An authorization code must be supplied.",
        );
    };
    let mut store = state.store();
    let Some(mut ac) = store.codes.get(code).cloned() else {
        return oauth_error(
            400,
            "invalid_grant",
            &format!("Invalid authorization code: {code}"),
        );
    };
    if ac.client_id != client.id {
        return oauth_error(
            400,
            "invalid_grant",
            &format!("Invalid authorization code: {code}"),
        );
    }
    if ac.used {
        // §1.5: reuse disables every token issued from the code.
        let issued: Vec<String> = store
            .tokens
            .values()
            .filter(|t| t.from_code.as_deref() == Some(code.as_str()))
            .map(|t| t.access_token.clone())
            .collect();
        for t in issued {
            store.revoke_token(&t);
        }
        tracing::warn!(client = %client.id, code = %redact(code), "authorization code reused: tokens revoked");
        return oauth_error(
            400,
            "invalid_grant",
            &format!("Reused authorization code: {code}"),
        );
    }
    if now_ms() - ac.issued_ms > (cfg.code_ttl_secs as i64) * 1000 {
        return oauth_error(400, "invalid_request", "Authorization code has expired");
    }
    let sent_redirect = form.get("redirect_uri").filter(|s| !s.is_empty());
    if cfg.strict_token_redirect_uri
        && (sent_redirect.is_some() || ac.redirect_uri.is_some())
        && sent_redirect != ac.redirect_uri.as_ref()
    {
        return if cfg.token_redirect_mismatch_status == 400 {
            oauth_error(400, "invalid_grant", "Redirect URI mismatch.")
        } else {
            oauth_error(
                cfg.token_redirect_mismatch_status,
                "server_error",
                "Redirect URI mismatch.",
            )
        };
    }
    let mut granted = ac.scopes.clone();
    if let Some(s) = form.get("scope").filter(|s| !s.trim().is_empty()) {
        let asked = scopes::parse(s);
        let bad: Vec<&String> = asked.iter().filter(|x| !ac.scopes.contains(x)).collect();
        if !bad.is_empty() {
            return oauth_error(
                400,
                "invalid_scope",
                &format!(
                    "Invalid scopes: {} available scopes for this code are: [{}]",
                    bad.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
                    ac.scopes.join(", ")
                ),
            );
        }
        granted = asked;
    }
    ac.used = true;
    store.save_code(ac.clone());
    let expires = now_ms() + (cfg.token_ttl_secs as i64) * 1000;
    let t = new_token(
        &client.id,
        Some(ac.orcid.clone()),
        granted,
        expires,
        Some(code.clone()),
    );
    store.save_token(t.clone());
    let name = store
        .researchers
        .get(&ac.orcid)
        .map(|r| r.public_name())
        .unwrap_or_default();
    drop(store);
    token_response(&t, Some(name))
}

fn refresh(
    state: &MockState,
    client: &ClientConfig,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Response {
    let cfg = &state.config().oauth;
    let rt = form.get("refresh_token").cloned().unwrap_or_default();
    let mut store = state.store();
    let Some(parent) = store
        .token_by_refresh(&rt)
        .cloned()
        .filter(|_| !rt.is_empty())
    else {
        return oauth_error(400, "unauthorized_client", "Unable to find refresh token");
    };
    if parent.client_id != client.id {
        return oauth_error(
            400,
            "invalid_request",
            "This refresh token does not belong to the client",
        );
    }
    if parent.revoked {
        return oauth_error(400, "unauthorized_client", "Parent token is disabled");
    }
    let allowed = scopes::expand(&parent.scopes);
    let scopes_new = match form.get("scope").filter(|s| !s.trim().is_empty()) {
        Some(s) => {
            let asked = scopes::parse(s);
            if let Some(bad) = asked.iter().find(|x| !allowed.contains(x.as_str())) {
                return oauth_error(
                    400,
                    "invalid_scope",
                    &format!("The given scope '{bad}' is not allowed for the parent token"),
                );
            }
            asked
        }
        None => parent.scopes.clone(),
    };
    let expires = match form.get("expires_in").filter(|s| !s.is_empty()) {
        None => parent.expires_ms,
        Some(s) => match s.parse::<i64>() {
            Ok(0) => parent.expires_ms,
            Ok(secs) if secs > 0 => {
                let e = now_ms() + secs * 1000;
                if e > parent.expires_ms {
                    return oauth_error(
                        400,
                        "invalid_request",
                        "Token expiration can't be after the parent token expiration",
                    );
                }
                e
            }
            _ => return oauth_error(400, "invalid_request", &format!("Invalid expires_in: {s}")),
        },
    };
    let revoke_old = match form.get("revoke_old").map(|s| s.to_ascii_lowercase()) {
        Some(v) => v == "true",
        None => cfg.revoke_old_default,
    };
    if revoke_old {
        // Disables the token named in the Authorization header (§1.7).
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .map(str::to_string);
        if let Some(b) = bearer {
            if store
                .tokens
                .get(&b)
                .is_some_and(|t| t.client_id == client.id)
            {
                store.revoke_token(&b);
            }
        }
    }
    let t = new_token(&client.id, parent.orcid.clone(), scopes_new, expires, None);
    store.save_token(t.clone());
    let name = parent
        .orcid
        .as_ref()
        .and_then(|o| store.researchers.get(o))
        .map(|r| r.public_name());
    drop(store);
    token_response(&t, name.or(parent.orcid.as_ref().map(|_| String::new())))
}

fn client_credentials(
    state: &MockState,
    client: &ClientConfig,
    form: &HashMap<String, String>,
) -> Response {
    let cfg = &state.config().oauth;
    let asked = scopes::parse(
        form.get("scope")
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
            .unwrap_or("/read-public"),
    );
    if let Some(bad) = asked.iter().find(|s| !scopes::is_known(s)) {
        return oauth_error(
            cfg.invalid_scope_status,
            "invalid_scope",
            &format!("Invalid scope: {bad}"),
        );
    }
    if asked.iter().any(|s| s == "/orcid-profile/create") {
        return oauth_error(400, "invalid_scope", "Invalid scope: /orcid-profile/create");
    }
    let kept: Vec<String> = asked
        .into_iter()
        .filter(|s| scopes::is_client_credentials(s))
        .filter(|s| client.member || s == "/read-public")
        .collect();
    if kept.is_empty() {
        return oauth_error(400, "invalid_scope", "Invalid scope (none)");
    }
    let expires = now_ms() + (cfg.token_ttl_secs as i64) * 1000;
    let t = new_token(&client.id, None, kept, expires, None);
    state.store().save_token(t.clone());
    token_response(&t, None)
}

/// `POST /oauth/revoke`: 200 with an empty body; the token (access or
/// refresh) and its pair are disabled; another client's token is ignored.
pub async fn revoke(State(state): State<MockState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let client = match client_auth(&state, &headers, &form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let Some(tok) = form.get("token").filter(|t| !t.is_empty()) else {
        return oauth_error(400, "invalid_request", "Missing token");
    };
    let mut store = state.store();
    let access = if store.tokens.contains_key(tok) {
        Some(tok.clone())
    } else {
        store.token_by_refresh(tok).map(|t| t.access_token.clone())
    };
    if let Some(a) = access {
        if store
            .tokens
            .get(&a)
            .is_some_and(|t| t.client_id == client.id)
        {
            store.revoke_token(&a);
            tracing::info!(client = %client.id, token = %redact(&a), "token revoked");
        } else {
            tracing::info!(client = %client.id, "revoke of another client's token ignored");
        }
    }
    empty(200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_rules() {
        assert!(redirect_matches(
            "http://127.0.0.1",
            "http://127.0.0.1:8080/cb"
        ));
        assert!(redirect_matches(
            "https://a.org/cb",
            "https://a.org/cb/x?y=1"
        ));
        assert!(!redirect_matches("https://a.org/cb", "https://a.org/other"));
        assert!(!redirect_matches("https://a.org/cb", "http://a.org/cb"));
        assert!(!redirect_matches(
            "https://a.org:8443/cb",
            "https://a.org/cb"
        ));
        assert!(!redirect_matches("https://a.org/cb", "https://b.org/cb"));
        assert!(!redirect_matches(
            "https://a.org/cb",
            "https://a.org/cb/../x"
        ));
    }

    #[test]
    fn query_building() {
        assert_eq!(
            with_query("http://x/cb?a=1", &[("code", "Ab3"), ("state", "s t")]),
            "http://x/cb?a=1&code=Ab3&state=s%20t"
        );
    }
}
