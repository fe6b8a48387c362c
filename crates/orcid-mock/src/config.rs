//! Configuration: clients, researchers, and the switches where ORCID's
//! sources disagree (`docs/orcid-api.md` §8).
//!
//! Every field has a default, so a TOML file only names what it changes:
//!
//! ```toml
//! auto_approve = true
//!
//! [[clients]]
//! id = "APP-ABCDEFGHIJKLMNOP"
//! secret = "s3cret"
//! name = "My Repository"
//! redirect_uris = ["http://127.0.0.1", "https://repo.example.org/orcid/callback"]
//!
//! [[researchers]]
//! orcid = "0000-0001-5109-3700"
//! given_names = "Laure"
//! family_name = "Haak"
//! email = "laure@example.org"
//! default_visibility = "public"
//!
//! [rate_limit]
//! enabled = false
//! ```
//!
//! Clients and researchers of a file are added to the demo ones unless
//! `replace_demo = true`.

use std::path::{Path, PathBuf};

use orcid_model::v2_1::common::Visibility;
use serde::{Deserialize, Serialize};

/// The demo member client's id.
pub const DEMO_CLIENT_ID: &str = "APP-DEMO000000000000";
/// The demo member client's secret.
pub const DEMO_CLIENT_SECRET: &str = "demo-secret";
/// The demo researcher's ORCID iD (ORCID's documentation example, Josiah Carberry).
pub const DEMO_ORCID: &str = "0000-0002-1825-0097";
/// The demo researcher's password on the sign-in page.
pub const DEMO_PASSWORD: &str = "demo";
/// ORCID's lifetime of a persistent token (about 20 years,
/// `docs/orcid-api.md` §1.4).
pub const PERSISTENT_TOKEN_SECS: u64 = 631_138_519;

/// Errors of reading a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("{path}: {message}")]
    Toml {
        /// The file (empty for a string).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value is not acceptable.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The whole configuration of a mock server.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MockConfig {
    /// Base URL written in `Location` headers (`{api_base}/v2.1/{orcid}/work/{pc}`).
    /// `None`: the server's own `http://127.0.0.1:PORT` (or the request's `Host`
    /// when the router is embedded).
    pub api_base: Option<String>,
    /// Approve every authorization at once, for the researcher the request
    /// names (`orcid`, `email`), a new one (create-on-demand: `show_login=false`
    /// with `given_names`/`family_names`/`email`), or else the first researcher.
    pub auto_approve: bool,
    /// Keep the state in this SQLite file (created when missing; it holds every
    /// token in clear, so it is made readable by its owner only, mode `0600`).
    /// `None`: in memory.
    pub state_file: Option<PathBuf>,
    /// Drop the demo client and researcher and use only the ones below.
    pub replace_demo: bool,
    /// API clients (in addition to the demo client).
    pub clients: Vec<ClientConfig>,
    /// Researchers (in addition to the demo researcher).
    pub researchers: Vec<ResearcherConfig>,
    /// OAuth behaviour.
    pub oauth: OAuthConfig,
    /// Member API behaviour.
    pub api: ApiConfig,
    /// Rate-limit emulation.
    pub rate_limit: RateLimitConfig,
    /// Faults active from the start (also settable at run time, `POST /mock/faults`).
    pub faults: FaultConfig,
    /// Time limits of a connection (a client that sends half a request, or
    /// nothing, is cut off).
    pub timeouts: TimeoutConfig,
}

/// Time limits of a connection to the mock, in milliseconds (see
/// [`orcid_web::Timeouts`]):
///
/// ```toml
/// [timeouts]
/// header_read_ms = 10000
/// idle_ms = 60000
/// ```
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct TimeoutConfig {
    /// A request's head must arrive within this time (default
    /// [`orcid_web::DEFAULT_HEADER_READ_TIMEOUT`], 10 s).
    pub header_read_ms: u64,
    /// A connection on which no byte moves while it waits on its client is
    /// closed after this time (default [`orcid_web::DEFAULT_IDLE_TIMEOUT`],
    /// 60 s; injected latency does not count).
    pub idle_ms: u64,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig::from(orcid_web::Timeouts::default())
    }
}

impl From<orcid_web::Timeouts> for TimeoutConfig {
    fn from(t: orcid_web::Timeouts) -> Self {
        let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        TimeoutConfig {
            header_read_ms: ms(t.header_read),
            idle_ms: ms(t.idle),
        }
    }
}

impl From<TimeoutConfig> for orcid_web::Timeouts {
    fn from(t: TimeoutConfig) -> Self {
        orcid_web::Timeouts {
            header_read: std::time::Duration::from_millis(t.header_read_ms),
            idle: std::time::Duration::from_millis(t.idle_ms),
        }
    }
}

/// An API client (an ORCID "member" or "public" client).
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClientConfig {
    /// Client id, e.g. `APP-DEMO000000000000`.
    pub id: String,
    /// Client secret.
    pub secret: String,
    /// Display name (the `source-name` of what it writes).
    #[serde(default = "default_client_name")]
    pub name: String,
    /// Registered redirect URIs. As at ORCID, scheme, host and port must be
    /// equal and the path is a prefix match; a registered URI without a port
    /// accepts any port (a mock convenience for loopback callbacks).
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// A member client (member API, all scopes); `false`: a public client
    /// (`/authenticate`, `openid`, `/read-public` only; 401/9017 on the member API).
    #[serde(default = "yes")]
    pub member: bool,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .field("name", &self.name)
            .field("redirect_uris", &self.redirect_uris)
            .field("member", &self.member)
            .finish()
    }
}

impl std::fmt::Debug for ResearcherConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResearcherConfig")
            .field("orcid", &self.orcid)
            .field("given_names", &self.given_names)
            .field("family_name", &self.family_name)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .field("claimed", &self.claimed)
            .field("default_visibility", &self.default_visibility)
            .finish_non_exhaustive()
    }
}

fn default_client_name() -> String {
    "Mock Client".into()
}

fn yes() -> bool {
    true
}

/// A researcher (an ORCID record with a sign-in).
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResearcherConfig {
    /// The ORCID iD (`dddd-dddd-dddd-dddX`, checksum checked).
    pub orcid: String,
    /// Given names.
    pub given_names: String,
    /// Family name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// Published name.
    #[serde(default)]
    pub credit_name: Option<String>,
    /// Primary (verified) e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Password on the sign-in page.
    #[serde(default = "default_password")]
    pub password: String,
    /// Whether the record is claimed. On an unclaimed record a client's
    /// visibility is kept on create (`PRIVATE` if absent), `docs/orcid-api.md`
    /// §4.5.
    #[serde(default = "yes")]
    pub claimed: bool,
    /// Default visibility of new items (`private`, `limited`, `public`,
    /// `registered-only`): replaces the client's on create
    /// (`docs/orcid-api.md` §4.5).
    #[serde(default = "default_visibility")]
    pub default_visibility: String,
    /// Visibility of the name (the token response's `name` is empty unless public).
    #[serde(default = "public")]
    pub name_visibility: String,
    /// Biography text.
    #[serde(default)]
    pub biography: Option<String>,
    /// Visibility of the biography.
    #[serde(default = "public")]
    pub biography_visibility: String,
    /// Visibility of the e-mail address.
    #[serde(default = "default_visibility")]
    pub email_visibility: String,
}

fn default_password() -> String {
    DEMO_PASSWORD.into()
}

fn default_visibility() -> String {
    "limited".into()
}

fn public() -> String {
    "public".into()
}

/// Where an authorization error goes back to the client (`docs/orcid-api.md`
/// §1.2, §8).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorStyle {
    /// `redirect_uri#error=<code>` (the current front end, `orcid-angular`).
    Fragment,
    /// `redirect_uri?error=<code>&error_description=…&state=…` (legacy server).
    Query,
}

/// OAuth behaviour, with ORCID's values as defaults.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct OAuthConfig {
    /// Lifetime of an authorization code in seconds (code default 1440 min;
    /// ORCID's news said 10 min; `docs/orcid-api.md` §1.5).
    pub code_ttl_secs: u64,
    /// Lifetime of access tokens (persistent: ~20 years, `docs/orcid-api.md` §1.4).
    pub token_ttl_secs: u64,
    /// `revoke_old` when a refresh request omits it (`true` in ORCID's code,
    /// `docs/orcid-api.md` §1.7).
    pub revoke_old_default: bool,
    /// Status of an unknown scope at the token endpoint (401 newest code, 400
    /// in 2018, `docs/orcid-api.md` §1.6).
    pub invalid_scope_status: u16,
    /// How client-handled authorize errors are returned.
    pub authorize_error_style: ErrorStyle,
    /// A token request must repeat the authorization's `redirect_uri`
    /// exactly when either carried one (ORCID's granter, `docs/orcid-api.md`
    /// §1.3).
    pub strict_token_redirect_uri: bool,
    /// Status of a `redirect_uri` mismatch at the token endpoint: 500
    /// `server_error` as `OAuthErrorUtils` maps it; 400 gives `invalid_grant`.
    pub token_redirect_mismatch_status: u16,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        OAuthConfig {
            code_ttl_secs: 1440 * 60,
            token_ttl_secs: PERSISTENT_TOKEN_SECS,
            revoke_old_default: true,
            invalid_scope_status: 401,
            authorize_error_style: ErrorStyle::Fragment,
            strict_token_redirect_uri: true,
            token_redirect_mismatch_status: 500,
        }
    }
}

/// Member API behaviour.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Most works in one bulk POST (100, `docs/orcid-api.md` §4.3).
    pub bulk_write_max: usize,
    /// Status of a bulk over the limit: 400 (code, 9006) or 413 (proxy;
    /// `docs/orcid-api.md` §8).
    pub bulk_over_limit_status: u16,
    /// Most put-codes in one bulk read (100 in code; 50 in the 2.1 README).
    pub bulk_read_max: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            bulk_write_max: orcid_validate::rules::MAX_BULK_WORKS,
            bulk_over_limit_status: 400,
            bulk_read_max: 100,
        }
    }
}

/// Rate-limit emulation: a token bucket in front of the OAuth and API
/// routes (ORCID: 24 requests/s, burst 40, then 503, `docs/orcid-api.md` §6).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// On or off.
    pub enabled: bool,
    /// Sustained requests per second.
    pub per_second: f64,
    /// Burst size.
    pub burst: u32,
    /// `Retry-After` seconds to send with the 503 (ORCID's proxy sends none).
    pub retry_after_secs: Option<u64>,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            per_second: 24.0,
            burst: 40,
            retry_after_secs: None,
        }
    }
}

/// Injected faults (for client tests). Counters count down per request to
/// the OAuth and API routes; `/mock/*` is never affected.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Delay before every answer, in milliseconds.
    pub latency_ms: u64,
    /// Answer the next N requests with `fail_status`.
    pub fail_next: u32,
    /// Status of injected failures (default 503).
    pub fail_status: Option<u16>,
    /// Drop the connection of the next N requests without an answer.
    pub drop_next: u32,
}

impl MockConfig {
    /// Reads a TOML configuration file.
    pub fn from_toml_file(path: &Path) -> Result<MockConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        MockConfig::from_toml_str(&text).map_err(|e| match e {
            ConfigError::Toml { message, .. } => ConfigError::Toml {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Reads a TOML configuration.
    pub fn from_toml_str(text: &str) -> Result<MockConfig, ConfigError> {
        let cfg: MockConfig = toml::from_str(text).map_err(|e| ConfigError::Toml {
            path: PathBuf::new(),
            message: e.to_string(),
        })?;
        cfg.check()?;
        Ok(cfg)
    }

    /// The demo member client.
    pub fn demo_client() -> ClientConfig {
        ClientConfig {
            id: DEMO_CLIENT_ID.into(),
            secret: DEMO_CLIENT_SECRET.into(),
            name: "Demo Member Client".into(),
            redirect_uris: vec!["http://127.0.0.1".into(), "http://localhost".into()],
            member: true,
        }
    }

    /// The demo researcher (claimed, default visibility `limited`).
    pub fn demo_researcher() -> ResearcherConfig {
        ResearcherConfig {
            orcid: DEMO_ORCID.into(),
            given_names: "Josiah".into(),
            family_name: Some("Carberry".into()),
            credit_name: None,
            email: Some("josiah.carberry@example.org".into()),
            password: DEMO_PASSWORD.into(),
            claimed: true,
            default_visibility: default_visibility(),
            name_visibility: public(),
            biography: Some("Professor of psychoceramics (demo record of the ORCID mock).".into()),
            biography_visibility: public(),
            email_visibility: default_visibility(),
        }
    }

    /// Every client: the demo client (unless `replace_demo`), then the configured ones.
    pub fn all_clients(&self) -> Vec<ClientConfig> {
        let mut v = Vec::new();
        if !self.replace_demo {
            v.push(Self::demo_client());
        }
        v.extend(self.clients.iter().cloned());
        v
    }

    /// Every researcher: the demo researcher (unless `replace_demo`), then the configured ones.
    pub fn all_researchers(&self) -> Vec<ResearcherConfig> {
        let mut v = Vec::new();
        if !self.replace_demo {
            v.push(Self::demo_researcher());
        }
        v.extend(self.researchers.iter().cloned());
        v
    }

    /// Checks values that serde cannot (iDs, visibilities, statuses).
    pub fn check(&self) -> Result<(), ConfigError> {
        for r in &self.researchers {
            if !orcid_model::scalar::OrcidId(r.orcid.clone()).is_valid() {
                return Err(ConfigError::Invalid(format!(
                    "researcher `{}`: not a valid ORCID iD (dddd-dddd-dddd-dddX with its check digit)",
                    r.orcid
                )));
            }
            for v in [
                &r.default_visibility,
                &r.name_visibility,
                &r.biography_visibility,
                &r.email_visibility,
            ] {
                parse_visibility(v)?;
            }
        }
        for c in &self.clients {
            if c.id.is_empty() || c.secret.is_empty() {
                return Err(ConfigError::Invalid(
                    "a client needs a non-empty id and secret".into(),
                ));
            }
        }
        if let Some(s) = self.faults.fail_status {
            if !(100..=599).contains(&s) {
                return Err(ConfigError::Invalid(format!(
                    "fail_status {s} is not an HTTP status"
                )));
            }
        }
        if self.rate_limit.per_second.is_nan() || self.rate_limit.per_second <= 0.0 {
            return Err(ConfigError::Invalid(
                "rate_limit.per_second must be > 0".into(),
            ));
        }
        if self.timeouts.header_read_ms == 0 || self.timeouts.idle_ms == 0 {
            return Err(ConfigError::Invalid(
                "timeouts.header_read_ms and timeouts.idle_ms must be > 0".into(),
            ));
        }
        Ok(())
    }
}

/// Parses a visibility in its XML or JSON spelling (`limited`, `LIMITED`).
pub fn parse_visibility(text: &str) -> Result<Visibility, ConfigError> {
    Visibility::ALL
        .iter()
        .copied()
        .find(|v| v.as_xml() == text || v.as_json() == text)
        .ok_or_else(|| {
            ConfigError::Invalid(format!(
                "`{text}` is not a visibility (private, limited, public, registered-only)"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_file() {
        let cfg = MockConfig::from_toml_str(
            r#"
auto_approve = true

[[clients]]
id = "APP-ABCDEFGHIJKLMNOP"
secret = "s3cret"
name = "My Repository"
redirect_uris = ["http://127.0.0.1", "https://repo.example.org/orcid/callback"]

[[researchers]]
orcid = "0000-0001-5109-3700"
given_names = "Laure"
family_name = "Haak"
default_visibility = "public"

[rate_limit]
enabled = false

[oauth]
authorize_error_style = "query"
"#,
        )
        .unwrap();
        assert!(cfg.auto_approve);
        assert_eq!(cfg.all_clients().len(), 2);
        assert_eq!(cfg.all_researchers()[1].password, DEMO_PASSWORD);
        assert!(!cfg.rate_limit.enabled);
        assert_eq!(cfg.rate_limit.burst, 40);
        assert_eq!(cfg.oauth.authorize_error_style, ErrorStyle::Query);
        assert!(MockConfig::from_toml_str("nope = 1").is_err());
        let shown = format!("{cfg:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains(DEMO_CLIENT_SECRET),
            "{shown}"
        );
        assert!(MockConfig::from_toml_str(
            "[[researchers]]\norcid = \"0000-0001-5109-3701\"\ngiven_names = \"X\""
        )
        .is_err());
    }
}
