//! `orcid connect serve`: the "Connect your ORCID iD" page of
//! `orcid_connect`, with the client, environment and store of the
//! configuration (see `orcid config show`).

use std::net::{IpAddr, SocketAddr, TcpListener};

use clap::{Args, Subcommand};
use orcid_connect::{Branding, ConnectApp, ConnectConfig, ConnectError, ConnectEvent};

use crate::cli::ConfigFileArg;
use crate::config::Settings;
use crate::error::CliError;

/// The long help of `orcid connect`.
pub const CONNECT_LONG_ABOUT: &str = "\
Run a \"Connect your ORCID iD\" page for researchers.

The start page explains ORCID, lists what you ask for, and has the connect
button. The button sends the researcher to ORCID's authorize page with the
scopes and a fresh `state`; ORCID sends them back to /connect/callback,
where the state is checked, the code is exchanged at once, and the iD and
token are kept in the store (the same one `orcid auth list`, `orcid item`
and `orcid push` use). The researcher sees their iD, or a clear page when
they denied access or something failed. Tokens are never shown or printed.

The client id, secret and ORCID environment (production, sandbox, or a base
URL such as a mock's) come from the configuration: ORCID_CLIENT_ID,
ORCID_CLIENT_SECRET, ORCID_ENVIRONMENT and ORCID_STORE, or config.toml (see
`orcid config show`). Register the redirect URI it prints,
PUBLIC-URL/connect/callback, with your client at ORCID.";

const CONNECT_SERVE_AFTER_HELP: &str = "\
The URL to open is printed on standard output; the redirect URI to register
and every connection, denial and failure on standard error.

Exit status:
  2  usage or configuration error, or the address cannot be used

Examples:
  orcid connect serve
  orcid connect serve --addr 127.0.0.1:8080 --institution \"University of Examples\" \\
      --scope /read-limited --scope /activities/update
  orcid connect serve --addr 0.0.0.0:8080 --public-url https://orcid.example.edu \\
      --contact research-support@example.edu
Against the local mock:
  orcid mock serve --addr 127.0.0.1:8090 &
  ORCID_ENVIRONMENT=http://127.0.0.1:8090 ORCID_CLIENT_ID=APP-DEMO000000000000 \\
      ORCID_CLIENT_SECRET=demo-secret orcid connect serve";

/// Options of `orcid connect`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    #[command(flatten)]
    pub file: ConfigFileArg,

    /// What to do.
    #[command(subcommand)]
    pub command: ConnectCommand,
}

/// The subcommands of `orcid connect`.
#[derive(Debug, Subcommand)]
pub enum ConnectCommand {
    /// Serve the connect page until interrupted
    #[command(after_help = CONNECT_SERVE_AFTER_HELP)]
    Serve(ConnectServeArgs),
}

/// Options of `orcid connect serve`.
#[derive(Debug, Args)]
pub struct ConnectServeArgs {
    /// Address to listen on (port 0: any free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Where browsers reach the page, with any path prefix, e.g.
    /// https://orcid.example.edu [default: http://ADDR]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,

    /// A scope to ask for, e.g. `/activities/update` (repeatable, or
    /// space/comma separated) [default: /read-limited /activities/update
    /// /person/update]
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// The institution's name on the pages
    #[arg(long, value_name = "NAME", default_value = "Our institution")]
    pub institution: String,

    /// A paragraph on the start page saying why you ask for the iD
    #[arg(long, value_name = "TEXT")]
    pub intro: Option<String>,

    /// Who to contact when something goes wrong (shown on error pages)
    #[arg(long, value_name = "TEXT")]
    pub contact: Option<String>,
}

/// Runs `orcid connect`.
pub fn run(args: ConnectArgs) -> Result<(), CliError> {
    let settings = Settings::load(args.file.config.as_deref())?;
    match args.command {
        ConnectCommand::Serve(a) => serve(&settings, a),
    }
}

fn connect_error(e: ConnectError) -> CliError {
    match e {
        ConnectError::PublicUrl { .. } | ConnectError::Scope(_) => CliError::Usage(e.to_string()),
        e => CliError::Io(format!("orcid: connect page: {e}")),
    }
}

/// Refusals logged: at most 5 per 10 s, the rest counted (a flood of bad
/// callbacks does not write a line each).
static REFUSALS: orcid_web::LogLimiter =
    orcid_web::LogLimiter::new(5, std::time::Duration::from_secs(10));

/// A log event for each event of the page (never a token).
fn report(event: &ConnectEvent) {
    match event {
        ConnectEvent::Connected(c) => tracing::info!(
            scopes = %c.scopes.join(" "),
            "connected {}{}",
            c.orcid,
            c.name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ),
        ConnectEvent::Denied => tracing::info!("denied: a researcher chose not to connect"),
        ConnectEvent::Failed { stage, reason } => {
            if let Some(held_back) = REFUSALS.check() {
                tracing::warn!(stage, reason = %reason, held_back, "refused");
            }
        }
        other => tracing::info!(event = ?other, "event"),
    }
}

fn serve(s: &Settings, a: ConnectServeArgs) -> Result<(), CliError> {
    let scopes = orcid_connect::parse_scopes(&a.scopes).map_err(connect_error)?;
    if a.addr.ip().is_unspecified() && a.public_url.is_none() {
        return Err(CliError::Usage(format!(
            "listening on {} needs --public-url: the address browsers use to reach the page \
             (e.g. https://orcid.example.edu)",
            a.addr
        )));
    }
    // The redirect URI is set by the page from the public URL; the
    // connected researcher is read in the configured API version.
    let api = s.api(None).value;
    let client = s.client_config("", None)?.with_api_version(api);
    let listener = TcpListener::bind(a.addr)
        .map_err(|e| CliError::Io(format!("orcid: cannot listen on {}: {e}", a.addr)))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Io(format!("orcid: cannot listen on {}: {e}", a.addr)))?;
    let public_url = a
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let config = ConnectConfig::new(client, public_url.clone(), s.store.value.clone())
        .with_scopes(scopes)
        .with_branding(Branding {
            institution: a.institution,
            intro: a.intro,
            contact: a.contact,
        })
        .on_event(report);
    let app = ConnectApp::new(config).map_err(connect_error)?;

    eprintln!(
        "Connect page of client {} against ORCID {} (API v{api}) on {local}; tokens go to the \
         store {}",
        app.config().client.client_id,
        s.environment.value.shown(),
        s.store.value.display()
    );
    eprintln!(
        "Redirect URI to register with the client: {}",
        app.redirect_uri()
    );
    if public_url.starts_with("http://") && !loopback(&public_url) {
        eprintln!(
            "orcid: warning: the page is served over plain http beyond this machine; put it \
             behind https (e.g. a reverse proxy) for real use"
        );
    }
    eprintln!("Open the page in a browser (Ctrl-C stops it):");
    crate::io::write_stdout(&format!("{}\n", app.start_page_url()))?;
    orcid_connect::serve_blocking(listener, app).map_err(connect_error)
}

/// Whether `url`'s host is this machine.
fn loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        assert!(loopback("http://127.0.0.1:8080"));
        assert!(loopback("http://localhost:8080/orcid"));
        assert!(loopback("http://[::1]:8080"));
        assert!(!loopback("http://orcid.example.edu"));
        assert!(!loopback("http://10.0.0.1"));
    }
}
