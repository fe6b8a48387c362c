//! `orcid auth login|list|refresh|revoke`: connecting researchers with
//! ORCID's OAuth, and the tokens they granted. Tokens are never printed.

use std::io::{self, IsTerminal, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use orcid_client::{
    verify_state, AuthorizationCallback, OrcidClient, Scope, ScopeListError, TokenResponse,
};
use orcid_store::{Store, StoredToken, Timestamp};

use crate::cli::{AuthArgs, AuthCommand, AuthLoginArgs, AuthRefreshArgs, AuthRevokeArgs};
use crate::config::{client_error, client_error_text, parse_orcid, select_token, Settings};
use crate::error::CliError;

/// The scopes asked for when `--scope` is not given.
const DEFAULT_SCOPES: [Scope; 3] = [
    Scope::ReadLimited,
    Scope::ActivitiesUpdate,
    Scope::PersonUpdate,
];

/// The path of the loopback redirect URI.
const CALLBACK_PATH: &str = "/callback";

/// How long one connection to the listener may take to send its request.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `orcid auth`.
pub fn run(args: AuthArgs) -> Result<(), CliError> {
    let settings = Settings::load(args.file.config.as_deref())?;
    match args.command {
        AuthCommand::Login(a) => login(&settings, a),
        AuthCommand::List => list(&settings),
        AuthCommand::Refresh(a) => refresh(&settings, a),
        AuthCommand::Revoke(a) => revoke(&settings, a),
    }
}

/// `--scope` values: repeated, or separated by spaces or commas; the
/// leading `/` may be left out (see [`Scope::parse_requested`]).
fn parse_scopes(args: &[String]) -> Result<Vec<Scope>, CliError> {
    Scope::parse_requested(args, &DEFAULT_SCOPES).map_err(|e| match e {
        ScopeListError::Unknown(e) => CliError::Usage(format!(
            "{e} (e.g. /read-limited, /activities/update, /person/update, /authenticate)"
        )),
        e => CliError::Usage(e.to_string()),
    })
}

fn store_error(e: orcid_store::Error) -> CliError {
    CliError::Io(format!("orcid: store: {e}"))
}

/// The store's record of a token response (see
/// [`orcid_connect::stored_token`]). `previous` fills in what a refresh
/// answer may leave out (the iD, the name, the refresh token).
fn stored_token(
    client_id: &str,
    t: &TokenResponse,
    previous: Option<&StoredToken>,
) -> Result<StoredToken, CliError> {
    orcid_connect::stored_token(client_id, t, previous)
        .map_err(|e| CliError::Invalid(format!("orcid: {e}")))
}

fn who(t: &StoredToken) -> String {
    match &t.name {
        Some(n) => format!("{} ({n})", t.orcid),
        None => t.orcid.clone(),
    }
}

// ---------------------------------------------------------------- login

fn login(s: &Settings, a: AuthLoginArgs) -> Result<(), CliError> {
    let scopes = parse_scopes(&a.scopes)?;
    let prefill_orcid = a.orcid.as_deref().map(parse_orcid).transpose()?;
    let client_id = s.client_id()?.to_string();
    // Open the store first: a store that cannot be written would lose the
    // code, which cannot be exchanged twice.
    let store = s.open_store()?;
    let listener = TcpListener::bind(("127.0.0.1", a.port)).map_err(|e| {
        CliError::Io(format!(
            "orcid: cannot listen on 127.0.0.1:{} for ORCID's redirect: {e}",
            a.port
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| CliError::Io(format!("orcid: loopback listener: {e}")))?
        .port();
    listener
        .set_nonblocking(true)
        .map_err(|e| CliError::Io(format!("orcid: loopback listener: {e}")))?;
    let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    let client = OrcidClient::new(s.client_config(&redirect_uri, None)?)
        .map_err(|e| CliError::Io(format!("orcid: {e}")))?;

    let mut req = client.authorize(scopes);
    if let Some(v) = &a.email {
        req = req.email(v);
    }
    if let Some(v) = &a.given_names {
        req = req.given_names(v);
    }
    if let Some(v) = &a.family_names {
        req = req.family_names(v);
    }
    if a.given_names.is_some() || a.family_names.is_some() {
        // Create on demand: the registration form first.
        req = req.show_login(false);
    }
    if let Some(o) = prefill_orcid {
        req = req.orcid(o.0);
    }
    let auth = req
        .build()
        .map_err(|e| client_error("building the authorize URL", &e))?;

    eprintln!(
        "Open this URL in a browser to connect an ORCID iD (sign in or register, then authorize):"
    );
    {
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "{}", auth.url);
        let _ = out.flush();
    }
    if !a.no_browser && io::stderr().is_terminal() && open_browser(&auth.url) {
        eprintln!("(opened in your browser)");
    }
    eprintln!(
        "Waiting up to {} s for ORCID's redirect to {redirect_uri} (Ctrl-C to stop)...",
        a.timeout
    );

    let deadline = Instant::now() + Duration::from_secs(a.timeout);
    loop {
        let mut conn = accept(&listener, deadline, a.timeout)?;
        let Some(target) = read_callback(&mut conn) else {
            continue;
        };
        if !is_the_redirect(&target, &auth.state) {
            // Anyone on this machine can reach the port: a request without
            // the state sent to ORCID is answered and ignored, not trusted.
            respond(
                &mut conn,
                400,
                "Bad Request",
                &page(
                    "Not the expected redirect",
                    "<p>This address waits for ORCID's redirect to <code>orcid auth \
                     login</code>, and this request is not it: it was ignored.</p>",
                ),
            );
            eprintln!("(ignored a request to {redirect_uri} that is not ORCID's redirect)");
            continue;
        }
        match finish_login(&client, &client_id, &store, &auth.state, &target) {
            Ok(token) => {
                respond(
                    &mut conn,
                    200,
                    "OK",
                    &page(
                        "ORCID iD connected",
                        &format!(
                            "<p><strong>{}</strong> is now connected. You can close this \
                             window and go back to the terminal.</p>",
                            orcid_web::escape_html(&who(&token))
                        ),
                    ),
                );
                let text = format!(
                    "Connected {}\n  scopes:  {}\n  expires: {}\n  stored:  {}\n",
                    who(&token),
                    token.scope_string(),
                    token.expires_at,
                    s.store.value.display()
                );
                return crate::io::write_stdout(&text);
            }
            Err(e) => {
                let first = e
                    .message()
                    .and_then(|m| m.lines().next())
                    .unwrap_or("failed")
                    .trim_start_matches("orcid: ")
                    .to_string();
                respond(
                    &mut conn,
                    400,
                    "Bad Request",
                    &page(
                        "Connection failed",
                        &format!(
                            "<p>{}</p><p>Go back to the terminal and run \
                             <code>orcid auth login</code> again.</p>",
                            orcid_web::escape_html(&first)
                        ),
                    ),
                );
                return Err(e);
            }
        }
    }
}

/// Whether the request `target` is ORCID's redirect for this login: it
/// brings back the `state` sent (compared in constant time) with a code or
/// an error.
fn is_the_redirect(target: &str, state: &str) -> bool {
    let cb = AuthorizationCallback::parse(target);
    let answered = cb.code.as_deref().is_some_and(|c| !c.is_empty()) || cb.error.is_some();
    answered && verify_state(state, cb.state.as_deref().unwrap_or("")).is_ok()
}

/// Checks the redirect, exchanges the code at once and stores the token.
fn finish_login(
    client: &OrcidClient,
    client_id: &str,
    store: &Store,
    state: &str,
    target: &str,
) -> Result<StoredToken, CliError> {
    let code = AuthorizationCallback::parse(target)
        .into_code(state)
        .map_err(|e| client_error("the authorization", &e))?;
    let response = client
        .exchange_code(&code)
        .map_err(|e| client_error("exchanging the authorization code", &e))?;
    let token = stored_token(client_id, &response, None)?;
    store.put_token(&token).map_err(store_error)?;
    Ok(token)
}

/// The next connection, or a timeout error at `deadline` (also when other
/// requests keep coming).
fn accept(listener: &TcpListener, deadline: Instant, secs: u64) -> Result<TcpStream, CliError> {
    loop {
        if Instant::now() >= deadline {
            return Err(CliError::Invalid(format!(
                "orcid: no redirect from ORCID within {secs} s; run `orcid auth login` \
                 again (--timeout SECS waits longer)"
            )));
        }
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                return Ok(stream);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(CliError::Io(format!(
                    "orcid: loopback listener failed: {e}"
                )))
            }
        }
    }
}

/// Reads one request; returns its target if it is `GET /callback…`, and
/// answers anything else itself (404, 405, 400 for what is not HTTP).
fn read_callback(conn: &mut TcpStream) -> Option<String> {
    let _ = conn.set_read_timeout(Some(REQUEST_READ_TIMEOUT));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 32 * 1024 {
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => return None,
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let mut parts = text.lines().next().unwrap_or("").split_whitespace();
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => {
            let path = target.split(['?', '#']).next().unwrap_or("");
            if path == CALLBACK_PATH {
                Some(target.to_string())
            } else {
                respond(
                    conn,
                    404,
                    "Not Found",
                    &page(
                        "Not found",
                        "<p>This is the redirect listener of orcid auth login.</p>",
                    ),
                );
                None
            }
        }
        (Some(_), Some(_)) => {
            respond(
                conn,
                405,
                "Method Not Allowed",
                &page("Method not allowed", ""),
            );
            None
        }
        _ => {
            respond(
                conn,
                400,
                "Bad Request",
                &page("Bad request", "<p>This is not an HTTP request.</p>"),
            );
            None
        }
    }
}

/// Answers with `html` and the headers of the toolkit's pages (not cached,
/// no referrer: the redirect URL carries the code), then closes.
fn respond(conn: &mut TcpStream, status: u16, reason: &str, html: &str) {
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\n",
        html.len()
    );
    for (name, value) in orcid_web::PAGE_HEADERS {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    let _ = conn
        .write_all(head.as_bytes())
        .and_then(|()| conn.write_all(html.as_bytes()))
        .and_then(|()| conn.flush());
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - \
         orcid-toolkit</title><style>body{{font-family:sans-serif;max-width:40em;\
         margin:4em auto;line-height:1.5}}</style></head><body><h1>{title}</h1>{body}</body>\
         </html>\n"
    )
}

/// Opens `url` in the user's browser, if there is one to open.
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else if cfg!(windows) {
        let mut c = Command::new("rundll32");
        c.args(["url.dll,FileProtocolHandler", url]);
        c
    } else if let Some(browser) = std::env::var("BROWSER")
        .ok()
        .and_then(|b| b.split(':').next().map(str::to_string))
        .filter(|b| !b.trim().is_empty())
    {
        let mut c = Command::new(browser);
        c.arg(url);
        c
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    } else {
        return false;
    };
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}

// ---------------------------------------------------------------- list, refresh, revoke

fn list(s: &Settings) -> Result<(), CliError> {
    let client_id = s.client_id()?;
    let store = s.open_store()?;
    let tokens = store.tokens(client_id).map_err(store_error)?;
    if tokens.is_empty() {
        return crate::io::write_stdout(&format!(
            "No researcher is connected to client {client_id} (store {}).\n",
            s.store.value.display()
        ));
    }
    let now = Timestamp::now();
    let mut out = String::new();
    for t in &tokens {
        out.push_str(&format!(
            "{}  {}\n    scopes: {}\n    issued {}, {} {}{}\n",
            t.orcid,
            t.name.as_deref().unwrap_or("(name not public)"),
            t.scopes.join(" "),
            t.issued_at,
            if t.is_expired(now) {
                "EXPIRED"
            } else {
                "expires"
            },
            t.expires_at,
            if t.has_refresh_token {
                ", refreshable"
            } else {
                ""
            },
        ));
    }
    out.push_str(&format!(
        "{} researcher(s) connected to client {client_id}\n",
        tokens.len()
    ));
    crate::io::write_stdout(&out)
}

fn refresh(s: &Settings, a: AuthRefreshArgs) -> Result<(), CliError> {
    let client_id = s.client_id()?.to_string();
    let client = s.client(None, false)?;
    let store = s.open_store()?;
    let old = select_token(&store, &client_id, a.orcid.as_deref())?;
    let Some(refresh_token) = old.refresh_token.as_ref() else {
        return Err(CliError::Invalid(format!(
            "orcid: no refresh token is stored for {}: run `orcid auth login` again",
            old.orcid
        )));
    };
    let revoke_old = (!a.keep_old).then_some(&old.access_token);
    let response = client
        .refresh(refresh_token, &[], revoke_old)
        .map_err(|e| client_error("refreshing the token", &e))?;
    let token = stored_token(&client_id, &response, Some(&old))?;
    store.put_token(&token).map_err(store_error)?;
    crate::io::write_stdout(&format!(
        "Refreshed the token of {}\n  scopes:  {}\n  expires: {}\n{}",
        who(&token),
        token.scope_string(),
        token.expires_at,
        if a.keep_old {
            "  the old access token stays valid\n"
        } else {
            "  the old access token is revoked\n"
        }
    ))
}

fn revoke(s: &Settings, a: AuthRevokeArgs) -> Result<(), CliError> {
    let client_id = s.client_id()?.to_string();
    let store = s.open_store()?;
    let token = select_token(&store, &client_id, a.orcid.as_deref())?;
    if !a.local_only {
        let client = s.client(None, false)?;
        client.revoke(&token.access_token).map_err(|e| {
            CliError::Invalid(format!(
                "{}\n  the token is still stored; `orcid auth revoke --local-only` forgets it \
                 without ORCID",
                client_error_text("revoking the token at ORCID", &e)
            ))
        })?;
    }
    store
        .delete_token(&client_id, &token.orcid)
        .map_err(store_error)?;
    crate::io::write_stdout(&format!(
        "{} the token of {} and removed it from the store\n",
        if a.local_only {
            "Forgot (without revoking at ORCID)"
        } else {
            "Revoked"
        },
        who(&token)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        // The parsing itself is tested with `Scope::parse_requested`.
        assert_eq!(parse_scopes(&[]).unwrap(), DEFAULT_SCOPES.to_vec());
        assert_eq!(
            parse_scopes(&["activities/update,/read-limited".into()]).unwrap(),
            vec![Scope::ActivitiesUpdate, Scope::ReadLimited]
        );
        let usage = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            match parse_scopes(&args) {
                Err(CliError::Usage(m)) => m,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            usage(&["/read-public"]),
            "`/read-public` is granted to the client itself (client credentials), not by a \
             researcher"
        );
        assert_eq!(
            usage(&["nope"]),
            "`/nope` is not an ORCID scope (e.g. /read-limited, /activities/update, \
             /person/update, /authenticate)"
        );
    }
}
