//! Configuration: where ORCID is, who the client is, and how it behaves.

use std::time::Duration;

use orcid_model::Version;
use secrecy::SecretString;

/// The wire format of member API requests and responses.
pub use orcid_model::Format as WireFormat;

/// Which ORCID registry to talk to (`docs/orcid-api.md` §1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://orcid.org` (OAuth) and `https://api.orcid.org` (member API).
    Production,
    /// `https://sandbox.orcid.org` and `https://api.sandbox.orcid.org`.
    Sandbox,
    /// Any other server, e.g. a local mock. Bases are scheme + host (+ port),
    /// without a trailing slash and without the `/v2.1` or `/v3.0` segment.
    Custom {
        /// Base of `/oauth/authorize`, `/oauth/token` and `/oauth/revoke`.
        oauth_base: String,
        /// Base of the member API (`{api_base}/v3.0/…`, `{api_base}/v2.1/…`).
        api_base: String,
    },
}

impl Environment {
    /// A server that answers OAuth and the API on one base, e.g.
    /// `Environment::custom("http://127.0.0.1:8080")` for a mock.
    pub fn custom(base: impl Into<String>) -> Environment {
        let base = base.into().trim_end_matches('/').to_string();
        Environment::Custom {
            oauth_base: base.clone(),
            api_base: base,
        }
    }

    /// Base of the OAuth endpoints (the web host).
    pub fn oauth_base(&self) -> &str {
        match self {
            Environment::Production => "https://orcid.org",
            Environment::Sandbox => "https://sandbox.orcid.org",
            Environment::Custom { oauth_base, .. } => oauth_base.trim_end_matches('/'),
        }
    }

    /// Base of the member API.
    pub fn api_base(&self) -> &str {
        match self {
            Environment::Production => "https://api.orcid.org",
            Environment::Sandbox => "https://api.sandbox.orcid.org",
            Environment::Custom { api_base, .. } => api_base.trim_end_matches('/'),
        }
    }

    /// Base of the public API (`pub.` host); for a custom server its API base.
    pub fn public_api_base(&self) -> &str {
        match self {
            Environment::Production => "https://pub.orcid.org",
            Environment::Sandbox => "https://pub.sandbox.orcid.org",
            Environment::Custom { api_base, .. } => api_base.trim_end_matches('/'),
        }
    }

    /// The host of ORCID iD URIs (`orcid.org` / `sandbox.orcid.org`); for a
    /// custom server its OAuth host.
    pub fn orcid_host(&self) -> &str {
        let base = self.oauth_base();
        let no_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
        no_scheme.split('/').next().unwrap_or(no_scheme)
    }
}

/// Timeouts of one HTTP call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To open the connection (incl. TLS).
    pub connect: Duration,
    /// For the whole call, from sending to the end of the body.
    pub global: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            global: Duration::from_secs(60),
        }
    }
}

/// When and how often to retry (`docs/orcid-api.md` §6).
///
/// Retried: answers 429, 502, 503, 504 and connection faults/timeouts, for
/// GET, PUT and DELETE only, and a 500 answer to a GET. POST is never retried (see the crate docs,
/// "Retries"). The delay before retry *n* (0-based) is
/// `min(max_backoff, initial_backoff · 2ⁿ)`, jittered to between half and
/// all of it; a `Retry-After` header replaces it, capped at
/// `max_retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first try (0 = never retry).
    pub max_retries: u32,
    /// Delay before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of the exponential delay.
    pub max_backoff: Duration,
    /// Upper bound of a wait asked for by `Retry-After`.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// Never retry.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        max_retry_after: Duration::ZERO,
    };
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms doubling up to 30 s, `Retry-After` honoured up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// A client-side token bucket: `per_second` requests on average, at most
/// `burst` at once. Shared by all clones of a client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Refill rate, requests per second.
    pub per_second: f64,
    /// Bucket size.
    pub burst: u32,
}

impl RateLimit {
    /// ORCID's documented limit: 24 requests/s, burst 40 (beyond it ORCID
    /// answers 503).
    pub const ORCID: RateLimit = RateLimit {
        per_second: 24.0,
        burst: 40,
    };
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::ORCID
    }
}

/// Everything the client needs. `Debug` shows the secret as `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The client id ORCID issued (`APP-…`).
    pub client_id: String,
    /// The client secret.
    pub client_secret: SecretString,
    /// The redirect URI registered with ORCID, sent in the authorize URL
    /// and the code exchange.
    pub redirect_uri: String,
    /// Which registry.
    pub environment: Environment,
    /// XML or JSON on the member API (default XML).
    pub wire_format: WireFormat,
    /// The member API version of the version-agnostic reads and deletes
    /// (`MemberApi::read_section_any`, …; default [`Version::V3_0`],
    /// ORCID's default). Writes go in the version of the document sent;
    /// the methods typed with v2.1's `Document` always speak v2.1.
    pub api_version: Version,
    /// Validate payloads before sending and refuse those with errors
    /// (default on).
    pub validate: bool,
    /// Retries.
    pub retry: RetryPolicy,
    /// Client-side rate limit (default [`RateLimit::ORCID`]; `None` = off).
    pub rate_limit: Option<RateLimit>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Put-codes per bulk read request (default 100, ORCID's limit in code;
    /// ORCID's v2.1 README says 50 — lower it if the server refuses 100).
    pub bulk_read_max: usize,
    /// Works per bulk add request (default 100, ORCID's limit).
    pub bulk_write_max: usize,
    /// `User-Agent` header.
    pub user_agent: String,
}

impl ClientConfig {
    /// A configuration with the defaults: XML, validation on, default
    /// retries, ORCID's rate limit, default timeouts.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        redirect_uri: impl Into<String>,
        environment: Environment,
    ) -> ClientConfig {
        ClientConfig {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            environment,
            wire_format: WireFormat::Xml,
            api_version: Version::V3_0,
            validate: true,
            retry: RetryPolicy::default(),
            rate_limit: Some(RateLimit::ORCID),
            timeouts: Timeouts::default(),
            bulk_read_max: 100,
            bulk_write_max: orcid_validate::rules::MAX_BULK_WORKS,
            user_agent: concat!("orcid-toolkit/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }

    /// Sets the wire format.
    pub fn with_wire_format(mut self, format: WireFormat) -> Self {
        self.wire_format = format;
        self
    }

    /// Sets the member API version ([`ClientConfig::api_version`]).
    pub fn with_api_version(mut self, version: Version) -> Self {
        self.api_version = version;
        self
    }

    /// Turns pre-send validation on or off.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets (or with `None` turns off) the client-side rate limit.
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Sets the timeouts.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }
}
