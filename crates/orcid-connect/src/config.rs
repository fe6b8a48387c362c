//! What the connect page needs: the ORCID client, where the page is
//! reachable, the scopes to ask for, the store, and the institution's words.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use orcid_client::{ClientConfig, Environment, Scope};

use crate::error::ConnectError;

/// The scopes asked for by default: read limited-visibility items, and add
/// or update activities and person items (what a repository or CRIS that
/// writes to records needs). The same default as `orcid auth login`.
pub const DEFAULT_SCOPES: [Scope; 3] = [
    Scope::ReadLimited,
    Scope::ActivitiesUpdate,
    Scope::PersonUpdate,
];

/// The path of the redirect URI under the public URL. Register
/// `{public_url}/connect/callback` with your ORCID client.
pub const CALLBACK_PATH: &str = "/connect/callback";

/// The path of the route that starts the authorization under the public URL.
pub const START_PATH: &str = "/connect/start";

/// How long a `state` handed out by `/connect/start` stays valid by default.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(15 * 60);

/// The institution's words on the pages. Every text is plain text: it is
/// HTML-escaped on output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branding {
    /// The institution (or service) name, e.g. `University of Examples`.
    pub institution: String,
    /// A paragraph on the start page saying why the institution asks for
    /// the iD. `None`: a generic sentence with the institution's name.
    pub intro: Option<String>,
    /// Who to contact when something goes wrong, e.g.
    /// `research-support@example.edu`. Shown on error pages.
    pub contact: Option<String>,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            institution: "Our institution".into(),
            intro: None,
            contact: None,
        }
    }
}

/// A researcher who has just connected (their iD and token are in the
/// store). Never holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// The ORCID iD, e.g. `0000-0002-1825-0097`.
    pub orcid: String,
    /// The researcher's name: as their record shows it to this client
    /// (read with the new token in the client's API version, v3.0 by
    /// default), else the name ORCID's token answer carried, if any.
    pub name: Option<String>,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// Whether `name` was read from the record (`false`: from the token
    /// answer, or none).
    pub name_from_record: bool,
}

/// What happened on the redirect route, for the operator (logs, metrics,
/// linking the iD to a local account). Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectEvent {
    /// The code was exchanged and the iD and token stored.
    Connected(Connected),
    /// The researcher chose "Deny" at ORCID.
    Denied,
    /// The redirect was refused or the exchange or the store failed; the
    /// researcher saw an error page.
    Failed {
        /// What failed, e.g. `state`, `exchange`, `store`, `authorize`.
        stage: &'static str,
        /// Why, without secrets.
        reason: String,
    },
}

/// A hook called for every [`ConnectEvent`], on a blocking thread.
pub type EventHook = Arc<dyn Fn(&ConnectEvent) + Send + Sync>;

/// Everything the connect page needs.
///
/// The ORCID client's `redirect_uri` is replaced by
/// [`ConnectConfig::redirect_uri`] (`{public_url}/connect/callback`); that
/// URI must be registered with the client at ORCID.
#[derive(Clone)]
pub struct ConnectConfig {
    /// The ORCID client: id, secret and environment (production, sandbox or
    /// a custom base URL such as `orcid mock serve`'s).
    pub client: ClientConfig,
    /// Where browsers reach the app, including the path it is nested
    /// under, without a trailing slash: `http://127.0.0.1:8080` or
    /// `https://repository.example.edu/orcid`.
    pub public_url: String,
    /// The scopes asked for (default [`DEFAULT_SCOPES`]).
    pub scopes: Vec<Scope>,
    /// The store's database file (see `orcid_store::Store::open`); it is
    /// created with mode `0600` when missing.
    pub store_path: PathBuf,
    /// The institution's words.
    pub branding: Branding,
    /// How long a `state` stays valid (default [`DEFAULT_STATE_TTL`]).
    pub state_ttl: Duration,
    /// Called for every [`ConnectEvent`].
    pub on_event: Option<EventHook>,
    /// Time limits of a connection when the page serves itself ([`crate::serve`],
    /// [`crate::ConnectServer`]): a request's head within 10 s, no connection
    /// stalled on its client beyond 60 s by default ([`orcid_web::Timeouts`]).
    /// A host app that nests [`crate::router`] serves with its own limits.
    pub timeouts: orcid_web::Timeouts,
}

impl fmt::Debug for ConnectConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectConfig")
            .field("client", &self.client)
            .field("public_url", &self.public_url)
            .field("scopes", &self.scopes)
            .field("store_path", &self.store_path)
            .field("branding", &self.branding)
            .field("state_ttl", &self.state_ttl)
            .field("on_event", &self.on_event.as_ref().map(|_| "<hook>"))
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

impl ConnectConfig {
    /// A configuration with the default scopes, branding and limits.
    pub fn new(
        client: ClientConfig,
        public_url: impl Into<String>,
        store_path: impl Into<PathBuf>,
    ) -> ConnectConfig {
        ConnectConfig {
            client,
            public_url: public_url.into().trim_end_matches('/').to_string(),
            scopes: DEFAULT_SCOPES.to_vec(),
            store_path: store_path.into(),
            branding: Branding::default(),
            state_ttl: DEFAULT_STATE_TTL,
            on_event: None,
            timeouts: orcid_web::Timeouts::default(),
        }
    }

    /// Sets the scopes.
    pub fn with_scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        self.scopes = Vec::new();
        for s in scopes {
            if !self.scopes.contains(&s) {
                self.scopes.push(s);
            }
        }
        self
    }

    /// Sets the institution's words.
    pub fn with_branding(mut self, branding: Branding) -> Self {
        self.branding = branding;
        self
    }

    /// Sets how long a `state` stays valid.
    pub fn with_state_ttl(mut self, ttl: Duration) -> Self {
        self.state_ttl = ttl;
        self
    }

    /// Sets the time limits of a connection (see [`ConnectConfig::timeouts`]).
    pub fn with_timeouts(mut self, timeouts: orcid_web::Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets a hook called for every [`ConnectEvent`] (on a blocking thread:
    /// it may do I/O, such as linking the iD to a local account).
    pub fn on_event(mut self, hook: impl Fn(&ConnectEvent) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(hook));
        self
    }

    /// `{public_url}/connect/callback`: the redirect URI to register with
    /// the ORCID client.
    pub fn redirect_uri(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.public_url.trim_end_matches('/'))
    }

    /// The environment of the ORCID client.
    pub fn environment(&self) -> &Environment {
        &self.client.environment
    }
}

/// Reads `--scope` style values with [`Scope::parse_requested`]: each may
/// hold several scopes separated by spaces or commas, and the leading `/`
/// may be left out (`read-limited`). Duplicates are dropped. Scopes granted
/// to the client itself (client credentials, e.g. `/read-public`) are
/// refused: a researcher cannot grant them. An empty input gives
/// [`DEFAULT_SCOPES`].
pub fn parse_scopes<S: AsRef<str>>(values: &[S]) -> Result<Vec<Scope>, ConnectError> {
    Scope::parse_requested(values, &DEFAULT_SCOPES).map_err(|e| ConnectError::Scope(e.to_string()))
}

/// The public URL, checked and split into the parts the app uses.
#[derive(Debug, Clone)]
pub(crate) struct PublicUrl {
    /// The path the app is nested under: `` or `/orcid` (no trailing slash).
    pub base_path: String,
    /// Whether browsers reach it over https (cookies get `Secure`).
    pub https: bool,
}

impl PublicUrl {
    pub(crate) fn parse(text: &str) -> Result<PublicUrl, ConnectError> {
        let bad = |reason: &str| ConnectError::PublicUrl {
            url: text.to_string(),
            reason: reason.to_string(),
        };
        let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("it must start with http:// or https://")),
        };
        if !url.has_host() {
            return Err(bad("it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or a fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it must not carry a user name or password"));
        }
        Ok(PublicUrl {
            base_path: url.path().trim_end_matches('/').to_string(),
            https,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        // The parsing itself is tested with `Scope::parse_requested`.
        let none: [&str; 0] = [];
        assert_eq!(parse_scopes(&none).unwrap(), DEFAULT_SCOPES.to_vec());
        assert_eq!(
            parse_scopes(&["activities/update,/read-limited"]).unwrap(),
            vec![Scope::ActivitiesUpdate, Scope::ReadLimited]
        );
        let e = parse_scopes(&["/read-public"]).unwrap_err();
        assert!(matches!(e, ConnectError::Scope(_)));
        assert_eq!(
            e.to_string(),
            "scope: `/read-public` is granted to the client itself (client credentials), not \
             by a researcher"
        );
        assert_eq!(
            parse_scopes(&["nope"]).unwrap_err().to_string(),
            "scope: `/nope` is not an ORCID scope"
        );
    }

    #[test]
    fn public_urls() {
        let p = PublicUrl::parse("https://repo.example.edu/orcid/").unwrap();
        assert_eq!(p.base_path, "/orcid");
        assert!(p.https);
        let p = PublicUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(p.base_path, "");
        assert!(!p.https);
        for bad in [
            "127.0.0.1:8080",
            "ftp://x",
            "http://x/?a=1",
            "http://x/#f",
            "http://u:p@x/",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_uri() {
        let client = ClientConfig::new(
            "APP-1",
            "s",
            "http://ignored/",
            Environment::custom("http://127.0.0.1:1"),
        );
        let c = ConnectConfig::new(client, "https://repo.example.edu/orcid/", "/tmp/x");
        assert_eq!(
            c.redirect_uri(),
            "https://repo.example.edu/orcid/connect/callback"
        );
        assert!(!format!("{c:?}").contains("\"s\""));
    }
}
