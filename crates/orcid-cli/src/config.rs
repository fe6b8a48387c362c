//! The settings of the commands that talk to ORCID (`auth`, `record`,
//! `item`, `config`), where each comes from, and what those commands share:
//! the client, the store, the choice of a stored token and the rendering of
//! the client's errors.
//!
//! Each value is the first of: an environment variable, the configuration
//! file, the default. The file is `--config FILE`, else `$ORCID_CONFIG`,
//! else `config.toml` in the platform configuration directory.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use orcid_client::{ClientConfig, Environment, ErrorKind, OrcidClient, WireFormat};
use orcid_model::scalar::OrcidId;
use orcid_model::Version;
use orcid_store::{Store, StoredToken, Timestamp};
use secrecy::SecretString;
use serde::Deserialize;

use crate::error::CliError;

/// Environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "ORCID_CONFIG";
/// Environment variable of the client id.
pub const CLIENT_ID_ENV: &str = "ORCID_CLIENT_ID";
/// Environment variable of the client secret.
pub const CLIENT_SECRET_ENV: &str = "ORCID_CLIENT_SECRET";
/// Environment variable of the ORCID environment.
pub const ENVIRONMENT_ENV: &str = "ORCID_ENVIRONMENT";
/// Environment variable of the wire format.
pub const FORMAT_ENV: &str = "ORCID_FORMAT";
/// Environment variable of the ORCID API version (`2.1`, `3.0`).
pub const API_VERSION_ENV: &str = "ORCID_API_VERSION";
/// Environment variable of the store (the same as `orcid_store`'s).
pub const STORE_ENV: &str = orcid_store::STORE_ENV;

/// File name of the configuration in the platform configuration directory.
pub const CONFIG_FILE_NAME: &str = "config.toml";

/// The redirect URI given to commands that never exchange a code.
const UNUSED_REDIRECT: &str = "http://127.0.0.1/callback";

/// The configuration file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    client_id: Option<String>,
    client_secret: Option<String>,
    environment: Option<String>,
    format: Option<String>,
    store: Option<PathBuf>,
    validate: Option<bool>,
    api_version: Option<String>,
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Built in.
    Default,
    /// The configuration file.
    File,
    /// An environment variable.
    Env(&'static str),
    /// A command-line option.
    Flag(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File => f.write_str("config file"),
            Source::Env(name) => write!(f, "${name}"),
            Source::Flag(name) => f.write_str(name),
        }
    }
}

/// Which ORCID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvSetting {
    /// orcid.org / api.orcid.org.
    Production,
    /// sandbox.orcid.org / api.sandbox.orcid.org.
    Sandbox,
    /// One base URL for OAuth and the API (a mock).
    Custom(String),
}

impl EnvSetting {
    /// Parses `production`, `sandbox` or an `http(s)://` base URL.
    pub fn parse(text: &str) -> Result<EnvSetting, String> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(EnvSetting::Production),
            "sandbox" => Ok(EnvSetting::Sandbox),
            _ if t.starts_with("http://") || t.starts_with("https://") => {
                Ok(EnvSetting::Custom(t.trim_end_matches('/').to_string()))
            }
            _ => Err(format!(
                "`{}` is not an ORCID environment: say production, sandbox, or a base URL \
                 such as http://127.0.0.1:8090",
                masked_url(t)
            )),
        }
    }

    /// The client's environment.
    pub fn environment(&self) -> Environment {
        match self {
            EnvSetting::Production => Environment::Production,
            EnvSetting::Sandbox => Environment::Sandbox,
            EnvSetting::Custom(base) => Environment::custom(base.clone()),
        }
    }

    /// `production`, `sandbox` or the base URL, masked ([`masked_url`]):
    /// what messages show.
    pub fn shown(&self) -> String {
        match self {
            EnvSetting::Production => "production".into(),
            EnvSetting::Sandbox => "sandbox".into(),
            EnvSetting::Custom(base) => masked_url(base),
        }
    }
}

/// `text` with the user-info of every URL in it (`scheme://user:pw@`)
/// replaced by `***`: for messages that may quote a URL, such as a client
/// error or a transport failure.
pub fn scrub_user_info(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        let end = after
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '`' | '<' | '>')
            })
            .unwrap_or(after.len());
        match after[..end].rfind('@') {
            Some(at) => {
                out.push_str("***");
                rest = &after[at..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// `url` as shown to people: its user-info (`user:password@`) and its query
/// and fragment replaced by `***` (`http://***@host/path?***`), since
/// either may hold a secret. Used wherever the CLI shows an environment's
/// URL: `orcid config show`, errors, banners.
pub fn masked_url(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let (rest, tail) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], Some(&rest[i..i + 1])),
        None => (rest, None),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = match authority.rfind('@') {
        Some(i) => format!("***@{}", &authority[i + 1..]),
        None => authority.to_string(),
    };
    let tail = tail.map(|mark| format!("{mark}***")).unwrap_or_default();
    format!("{scheme}{host}{path}{tail}")
}

/// A value and where it comes from.
#[derive(Debug, Clone)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it comes from.
    pub source: Source,
}

/// Everything the commands that talk to ORCID need.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file, if there is a place for one.
    pub file: Option<PathBuf>,
    /// How the file was chosen.
    pub file_source: Source,
    /// Whether it was read.
    pub file_found: bool,
    /// The client id.
    pub client_id: Option<Sourced<String>>,
    /// The client secret.
    pub client_secret: Option<Sourced<SecretString>>,
    /// Which ORCID.
    pub environment: Sourced<EnvSetting>,
    /// XML or JSON on the wire.
    pub format: Sourced<WireFormat>,
    /// The store.
    pub store: Sourced<PathBuf>,
    /// Pre-send validation.
    pub validate: Sourced<bool>,
    /// The member API version when `--api` is not given
    /// ([`api_version`]'s order, with this file).
    pub api_version: Sourced<Version>,
}

fn env_var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The default configuration file: `config.toml` in the platform
/// configuration directory of `orcid-toolkit`.
pub fn default_config_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "orcid-toolkit", "orcid-toolkit")
        .map(|d| d.config_dir().join(CONFIG_FILE_NAME))
}

/// Parses `xml` or `json`.
pub fn parse_format(text: &str) -> Result<WireFormat, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "xml" => Ok(WireFormat::Xml),
        "json" => Ok(WireFormat::Json),
        other => Err(format!("`{other}` is not a wire format: say xml or json")),
    }
}

fn config_error(msg: String) -> CliError {
    CliError::Io(format!("orcid: {msg}"))
}

/// The configuration file (`--config`, else `$ORCID_CONFIG`, else the
/// default place) and its contents: (path, how it was chosen, contents,
/// whether it was read). A missing default file is empty, a missing named
/// one an error.
fn read_file_config(
    flag: Option<&Path>,
) -> Result<(Option<PathBuf>, Source, FileConfig, bool), CliError> {
    let (file, file_source, explicit) = match (flag, env_var(CONFIG_ENV)) {
        (Some(p), _) => (Some(p.to_path_buf()), Source::Flag("--config"), true),
        (None, Some(p)) => (Some(PathBuf::from(p)), Source::Env(CONFIG_ENV), true),
        (None, None) => (default_config_file(), Source::Default, false),
    };
    let (parsed, file_found) = match &file {
        Some(path) => match fs::read_to_string(path) {
            Ok(text) => {
                let cfg: FileConfig = toml::from_str(&text).map_err(|e| {
                    config_error(format!("{}: {}", path.display(), e.to_string().trim_end()))
                })?;
                (cfg, true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && !explicit => {
                (FileConfig::default(), false)
            }
            Err(e) => {
                return Err(config_error(format!(
                    "cannot read the configuration file `{}`: {e}",
                    path.display()
                )))
            }
        },
        None => (FileConfig::default(), false),
    };
    Ok((file, file_source, parsed, file_found))
}

/// The ORCID API version to use: `flag` (`--api`), else
/// `$ORCID_API_VERSION`, else the configuration file's `api_version`, else
/// 3.0, ORCID's default. The file is the default one (or `$ORCID_CONFIG`);
/// commands with `--config` take [`Settings::api`].
pub fn api_version(flag: Option<Version>) -> Result<Sourced<Version>, CliError> {
    resolve_api_version(flag, || Ok(read_file_config(None)?.2.api_version))
}

/// [`api_version`]'s order, with the file's value read only when needed.
fn resolve_api_version(
    flag: Option<Version>,
    from_file: impl FnOnce() -> Result<Option<String>, CliError>,
) -> Result<Sourced<Version>, CliError> {
    if let Some(value) = flag {
        return Ok(Sourced {
            value,
            source: Source::Flag("--api"),
        });
    }
    let parse = |text: &str, source: Source| -> Result<Sourced<Version>, CliError> {
        let value = text
            .parse::<Version>()
            .map_err(|e| config_error(format!("api_version ({source}): {e}")))?;
        Ok(Sourced { value, source })
    };
    if let Some(v) = env_var(API_VERSION_ENV) {
        return parse(&v, Source::Env(API_VERSION_ENV));
    }
    match from_file()?.filter(|v| !v.trim().is_empty()) {
        Some(v) => parse(&v, Source::File),
        None => Ok(Sourced {
            value: Version::default(),
            source: Source::Default,
        }),
    }
}

impl Settings {
    /// Reads the settings; `flag` is `--config`.
    pub fn load(flag: Option<&Path>) -> Result<Settings, CliError> {
        let (file, file_source, parsed, file_found) = read_file_config(flag)?;
        let pick = |env: &'static str, from_file: Option<String>| -> Option<Sourced<String>> {
            env_var(env)
                .map(|value| Sourced {
                    value,
                    source: Source::Env(env),
                })
                .or_else(|| {
                    from_file
                        .filter(|v| !v.trim().is_empty())
                        .map(|value| Sourced {
                            value,
                            source: Source::File,
                        })
                })
        };
        let client_id = pick(CLIENT_ID_ENV, parsed.client_id).map(|s| Sourced {
            value: s.value.trim().to_string(),
            source: s.source,
        });
        let client_secret = pick(CLIENT_SECRET_ENV, parsed.client_secret).map(|s| Sourced {
            value: SecretString::from(s.value.trim().to_string()),
            source: s.source,
        });
        let environment = match pick(ENVIRONMENT_ENV, parsed.environment) {
            Some(s) => Sourced {
                value: EnvSetting::parse(&s.value)
                    .map_err(|e| config_error(format!("{} ({}): {e}", "environment", s.source)))?,
                source: s.source,
            },
            None => Sourced {
                value: EnvSetting::Production,
                source: Source::Default,
            },
        };
        let format = match pick(FORMAT_ENV, parsed.format) {
            Some(s) => Sourced {
                value: parse_format(&s.value)
                    .map_err(|e| config_error(format!("format ({}): {e}", s.source)))?,
                source: s.source,
            },
            None => Sourced {
                value: WireFormat::Xml,
                source: Source::Default,
            },
        };
        let store = if let Some(p) = env_var(STORE_ENV) {
            Sourced {
                value: PathBuf::from(p),
                source: Source::Env(STORE_ENV),
            }
        } else if let Some(p) = parsed.store {
            // Relative to the file that names it.
            let base = file
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(Path::new(""));
            Sourced {
                value: if p.is_absolute() { p } else { base.join(p) },
                source: Source::File,
            }
        } else {
            Sourced {
                value: Store::default_path().map_err(|e| config_error(e.to_string()))?,
                source: Source::Default,
            }
        };
        let validate = match parsed.validate {
            Some(v) => Sourced {
                value: v,
                source: Source::File,
            },
            None => Sourced {
                value: true,
                source: Source::Default,
            },
        };
        let api_version = resolve_api_version(None, || Ok(parsed.api_version))?;
        Ok(Settings {
            file,
            file_source,
            file_found,
            client_id,
            client_secret,
            environment,
            format,
            store,
            validate,
            api_version,
        })
    }

    /// The member API version: `flag` (`--api`), else the configured one.
    pub fn api(&self, flag: Option<Version>) -> Sourced<Version> {
        match flag {
            Some(value) => Sourced {
                value,
                source: Source::Flag("--api"),
            },
            None => self.api_version.clone(),
        }
    }

    fn where_to_set(&self, key: &str, env: &str) -> String {
        match &self.file {
            Some(f) => format!("set {env}, or `{key}` in {}", f.display()),
            None => format!("set {env}"),
        }
    }

    /// The client id, or a configuration error.
    pub fn client_id(&self) -> Result<&str, CliError> {
        self.client_id
            .as_ref()
            .map(|s| s.value.as_str())
            .ok_or_else(|| {
                config_error(format!(
                    "no ORCID client id is configured: {} (see `orcid config show`)",
                    self.where_to_set("client_id", CLIENT_ID_ENV)
                ))
            })
    }

    /// The client's configuration with `redirect_uri` and the wire format
    /// `format` (default: the configured one).
    pub fn client_config(
        &self,
        redirect_uri: &str,
        format: Option<WireFormat>,
    ) -> Result<ClientConfig, CliError> {
        let id = self.client_id()?;
        let secret = self.client_secret.as_ref().ok_or_else(|| {
            config_error(format!(
                "no ORCID client secret is configured: {} (see `orcid config show`)",
                self.where_to_set("client_secret", CLIENT_SECRET_ENV)
            ))
        })?;
        Ok(ClientConfig::new(
            id,
            secret.value.clone(),
            redirect_uri,
            self.environment.value.environment(),
        )
        .with_wire_format(format.unwrap_or(self.format.value))
        .with_validation(self.validate.value))
    }

    /// A client for the member API (no code exchange); `no_validate` turns
    /// pre-send validation off whatever the configuration says.
    pub fn client(
        &self,
        format: Option<WireFormat>,
        no_validate: bool,
    ) -> Result<OrcidClient, CliError> {
        let mut config = self.client_config(UNUSED_REDIRECT, format)?;
        if no_validate {
            config = config.with_validation(false);
        }
        OrcidClient::new(config).map_err(|e| config_error(e.to_string()))
    }

    /// Opens (creating if needed) the store.
    pub fn open_store(&self) -> Result<Store, CliError> {
        Store::open(&self.store.value).map_err(|e| {
            CliError::Io(format!(
                "orcid: cannot open the store `{}`: {e}",
                self.store.value.display()
            ))
        })
    }
}

/// Reads an iD given as `0000-0002-1825-0097` or as its URI.
pub fn parse_orcid(text: &str) -> Result<OrcidId, CliError> {
    OrcidId::parse(text).ok_or_else(|| {
        CliError::Usage(format!(
            "`{text}` is not an ORCID iD (dddd-dddd-dddd-dddX with a valid check digit)"
        ))
    })
}

/// The stored token of `orcid` for `client_id`, or of the only researcher
/// connected when `orcid` is not given.
pub fn select_token(
    store: &Store,
    client_id: &str,
    orcid: Option<&str>,
) -> Result<StoredToken, CliError> {
    let io = |e: orcid_store::Error| CliError::Io(format!("orcid: store: {e}"));
    let orcid = match orcid {
        Some(o) => parse_orcid(o)?.0,
        None => {
            let all = store.tokens(client_id).map_err(io)?;
            match all.as_slice() {
                [one] => one.orcid.clone(),
                [] => {
                    return Err(CliError::Invalid(format!(
                        "orcid: no researcher is connected to client {client_id}: run \
                         `orcid auth login` first"
                    )))
                }
                many => {
                    return Err(CliError::Usage(format!(
                        "several researchers are connected; say which with --orcid ({})",
                        many.iter()
                            .map(|t| t.orcid.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
    };
    match store.token(client_id, &orcid).map_err(io)? {
        Some(t) => {
            if t.is_expired(Timestamp::now()) {
                eprintln!(
                    "orcid: warning: the token of {orcid} expired at {}; try `orcid auth refresh`",
                    t.expires_at
                );
            }
            Ok(t)
        }
        None => Err(CliError::Invalid(format!(
            "orcid: no token for {orcid} (client {client_id}): run `orcid auth login` first"
        ))),
    }
}

/// The name of an error's classification and what to do about it.
pub fn kind_text(kind: ErrorKind) -> (&'static str, &'static str) {
    match kind {
        ErrorKind::Retryable => ("retryable", "a temporary failure: try again later"),
        ErrorKind::Reauthorize => (
            "needs re-authorisation",
            "the token is invalid, revoked, for another iD or lacks the scope: \
             run `orcid auth login` again (or `orcid auth refresh`)",
        ),
        ErrorKind::ClientConfig => (
            "client configuration",
            "check the client id, secret and environment (`orcid config show`)",
        ),
        ErrorKind::FixPayload => ("fix the payload", "sending it again unchanged fails again"),
        ErrorKind::Conflict => ("conflict", "the item already exists on the record"),
        ErrorKind::NotFound => ("not found", "the record or item does not exist"),
        ErrorKind::Forbidden => ("forbidden", "this client may not do that"),
        ErrorKind::RecordUnavailable => (
            "record unavailable",
            "the record is deprecated, locked, unclaimed or deactivated",
        ),
        ErrorKind::Server => ("server error", "ORCID failed; try again later"),
        ErrorKind::Unexpected => ("unexpected answer", "the answer could not be used"),
        _ => ("other", ""),
    }
}

/// The error of a failed call (exit 1), see [`client_error_text`].
pub fn client_error(doing: &str, e: &orcid_client::Error) -> CliError {
    CliError::Invalid(client_error_text(doing, e))
}

/// The message of a failed call: the typed error, its ORCID code and its
/// classification. The client's errors never hold a token.
pub fn client_error_text(doing: &str, e: &orcid_client::Error) -> String {
    let mut msg = format!("orcid: {doing} failed: {}", scrub_user_info(&e.to_string()));
    if let Some(report) = e.report() {
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity == orcid_validate::Severity::Error)
        {
            msg.push_str(&format!("\n  error[{}]: {}", d.code, d.message));
            if let Some(loc) = &d.location {
                if !loc.path.is_empty() {
                    msg.push_str(&format!(" (at {})", loc.path));
                }
            }
            if let Some(o) = d.orcid_error {
                msg.push_str(&format!("; ORCID would answer {}/{}", o.http, o.code));
            }
            if let Some(h) = &d.hint {
                msg.push_str(&format!("\n    hint: {h}"));
            }
        }
    }
    let kind = e.kind();
    let (name, advice) = kind_text(kind);
    let code = e.api().map(|a| match (a.error_code(), a.oauth_error()) {
        (Some(c), _) => format!("ORCID error {c}, HTTP {}", a.status),
        (None, Some(o)) => format!("OAuth error {o}, HTTP {}", a.status),
        (None, None) => format!("HTTP {}", a.status),
    });
    msg.push_str(&format!(
        "\n  classification: {name}{}{}",
        code.map(|c| format!(" ({c})")).unwrap_or_default(),
        if advice.is_empty() {
            String::new()
        } else {
            format!(": {advice}")
        }
    ));
    if let Some(api) = e.api() {
        if let Some(pc) = api.conflicting_put_code() {
            msg.push_str(&format!(
                "\n  hint: ORCID already has it as put-code {pc}; update that one \
                 (`orcid item update SECTION FILE --put-code {pc}`)"
            ));
        } else if api.error_code() == Some(9035) {
            msg.push_str(
                "\n  hint: an update may not change the visibility: leave it out, or give \
                 the one stored (`orcid record get SECTION PUT-CODE`)",
            );
        } else if api.error_code() == Some(9010) {
            msg.push_str("\n  hint: only the client that added an item may change it");
        }
    }
    msg
}

/// Whether `path` can be read by its group or others (Unix).
#[cfg(unix)]
pub fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

/// Whether `path` can be read by its group or others (Unix).
#[cfg(not(unix))]
pub fn readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments() {
        assert_eq!(EnvSetting::parse("Sandbox"), Ok(EnvSetting::Sandbox));
        assert_eq!(EnvSetting::parse("production"), Ok(EnvSetting::Production));
        assert_eq!(
            EnvSetting::parse("http://127.0.0.1:8090/"),
            Ok(EnvSetting::Custom("http://127.0.0.1:8090".into()))
        );
        assert!(EnvSetting::parse("staging").is_err());
    }

    #[test]
    fn urls_are_shown_without_secrets() {
        for (url, shown) in [
            ("http://127.0.0.1:8090", "http://127.0.0.1:8090"),
            ("http://user:pw@host:1/p", "http://***@host:1/p"),
            ("https://u@h", "https://***@h"),
            ("http://h/p?token=x#f", "http://h/p?***"),
            ("http://h#frag", "http://h#***"),
            ("http://a@b:pw@h/x@y", "http://***@h/x@y"),
            ("user:pw@host", "***@host"),
            ("", ""),
        ] {
            assert_eq!(masked_url(url), shown, "{url}");
        }
        assert_eq!(
            scrub_user_info("bad uri `http://me:pw@h:1/x?y` and https://ok/a@b, ftp://u@h"),
            "bad uri `http://***@h:1/x?y` and https://ok/a@b, ftp://***@h"
        );
        let e = EnvSetting::parse("ftp://me:pw@host/?k=v").unwrap_err();
        assert!(!e.contains("pw") && !e.contains("k=v"), "{e}");
        assert_eq!(
            EnvSetting::Custom("http://me:pw@h".into()).shown(),
            "http://***@h"
        );
    }

    #[test]
    fn orcid_ids() {
        assert_eq!(
            parse_orcid("https://orcid.org/0000-0002-1825-0097")
                .unwrap()
                .0,
            "0000-0002-1825-0097"
        );
        assert!(parse_orcid("0000-0002-1825-0098").is_err());
    }
}
