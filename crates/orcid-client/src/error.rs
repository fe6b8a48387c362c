//! Errors: what ORCID answered ([`ApiError`]), what the client refused
//! before sending, and transport faults — each with an [`ErrorKind`] that
//! says what the caller should do.
//!
//! No error ever carries a token, a client secret or an authorization code:
//! the texts ORCID sends back are scrubbed of every secret the request
//! carried, and of anything after `token: ` (ORCID's 401 answer echoes the
//! bearer token: `Invalid access token: <token>`).

use std::fmt;
use std::time::Duration;

use orcid_model::scalar::PutCode;
use orcid_validate::Report;

/// What the caller should do about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Transient: wait and try again (HTTP 429, 502, 503, 504, connection
    /// faults, OAuth `temporarily_unavailable`). The client already retried
    /// idempotent requests (GET, PUT, DELETE) per its
    /// [`RetryPolicy`](crate::RetryPolicy); a POST is never retried
    /// blindly, see the crate docs ("Retries") for how to recover.
    Retryable,
    /// The token is invalid, expired, revoked, issued for another iD or
    /// lacks the scope; or the authorization code is invalid, reused or
    /// expired; or the `state` did not match. Send the user through the
    /// authorize flow again (or refresh the token). ORCID: 401
    /// `invalid_token`, 403 without bearer, `invalid_grant`, 9002, 9004,
    /// 9005, 9015, 9017, 9038, 9052.
    Reauthorize,
    /// The client's own registration or credentials are wrong
    /// (`invalid_client`, `unauthorized_client`, `unsupported_grant_type`).
    ClientConfig,
    /// The payload or request parameters must change; sending it again
    /// unchanged fails again. ORCID: 400s (9001, 9006, 9012, 9019, 9020,
    /// 9022–9024, 9026, 9031, 9037, 9042, 9045–9047, 9049–9051,
    /// 9053–9055, 9058, 9060–9062), `invalid_scope`; also payloads refused
    /// locally.
    FixPayload,
    /// The item already exists or the record cannot take more: 9021
    /// (duplicate; see [`ApiError::conflicting_put_code`] — use PUT on
    /// that put-code), 9025, 9030, 9040, 9048.
    Conflict,
    /// The record, item or notification does not exist (9011, 9016, 9029,
    /// 9034 for put-codes unknown in a bulk read, 9041).
    NotFound,
    /// Not allowed for this client: not the item's source (9010), item
    /// private (9013), no change by a non-source (9014), visibility change
    /// (9035), notification already read (9009), user opted out (9032),
    /// non-public item on the public API (9039); `access_denied`.
    Forbidden,
    /// The record itself cannot be written: deprecated (9007, with the
    /// primary record in [`ApiError::location`] on GET), locked (9018),
    /// not yet claimed (9036) or deactivated (9044).
    RecordUnavailable,
    /// ORCID failed (500, 9008, `server_error`).
    Server,
    /// An answer the client did not expect (no `Location` on a 201, a body
    /// that is not the expected document, a redirect).
    Unexpected,
}

impl ErrorKind {
    /// The classification of an ORCID `error-code` (the codes of
    /// `docs/orcid-api.md` §4.2 and ORCID-Source
    /// `orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java`);
    /// `None` for a code not in it.
    pub fn for_orcid_code(code: i64) -> Option<ErrorKind> {
        use ErrorKind::*;
        Some(match code {
            9002 | 9004 | 9005 | 9015 | 9017 | 9038 | 9052 => Reauthorize,
            9001 | 9006 | 9012 | 9019 | 9020 | 9022 | 9023 | 9024 | 9026 | 9031 | 9037 | 9042
            | 9045 | 9046 | 9047 | 9049 | 9050 | 9051 | 9053 | 9054 | 9055 | 9056 | 9058 | 9060
            | 9061 | 9062 => FixPayload,
            9021 | 9025 | 9030 | 9040 | 9048 => Conflict,
            9011 | 9016 | 9029 | 9034 | 9041 => NotFound,
            9009 | 9010 | 9013 | 9014 | 9032 | 9035 | 9039 => Forbidden,
            9007 | 9018 | 9036 | 9044 => RecordUnavailable,
            9008 => Server,
            _ => return None,
        })
    }

    /// The classification of an OAuth `error` value; `None` if unknown.
    pub fn for_oauth_error(error: &str) -> Option<ErrorKind> {
        use ErrorKind::*;
        Some(match error {
            // `invalid_request` at the token endpoint is mostly an expired
            // code (docs/orcid-api.md §1.5, §1.6).
            "invalid_token"
            | "invalid_grant"
            | "invalid_request"
            | "forbidden"
            | "login_required"
            | "interaction_required"
            | "consent_required" => Reauthorize,
            "invalid_client"
            | "unauthorized_client"
            | "unsupported_grant_type"
            | "unsupported_response_type" => ClientConfig,
            "invalid_scope" => FixPayload,
            "access_denied" => Forbidden,
            "server_error" => Server,
            "temporarily_unavailable" => Retryable,
            _ => return None,
        })
    }

    /// The classification of a bare HTTP status.
    pub fn for_status(status: u16) -> ErrorKind {
        use ErrorKind::*;
        match status {
            429 | 502 | 503 | 504 => Retryable,
            401 => Reauthorize,
            403 => Forbidden,
            404 | 410 => NotFound,
            409 => Conflict,
            400 | 405 | 406 | 411 | 413 | 414 | 415 | 422 => FixPayload,
            500..=599 => Server,
            _ => Unexpected,
        }
    }

    /// Whether trying again later, unchanged, may succeed.
    pub fn is_retryable(self) -> bool {
        self == ErrorKind::Retryable
    }
}

/// The body of an error answer, as ORCID sent it (scrubbed of secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorDetail {
    /// ORCID's `error:error` (XML) or its JSON twin
    /// (`response-code`, `developer-message`, …).
    Orcid {
        /// `response-code`: the HTTP status ORCID meant (for a bulk item it
        /// differs from the response's status, which is 200).
        response_code: Option<i64>,
        /// `developer-message`.
        developer_message: Option<String>,
        /// `user-message`.
        user_message: Option<String>,
        /// `error-code`, e.g. 9021.
        error_code: Option<i64>,
        /// `more-info`.
        more_info: Option<String>,
    },
    /// OAuth's `{"error": …, "error_description": …}` (token endpoint,
    /// invalid bearer token on the API, authorize redirect).
    OAuth {
        /// `error`, e.g. `invalid_grant`.
        error: String,
        /// `error_description`.
        description: Option<String>,
    },
    /// Anything else (e.g. a proxy's plain-text 503), truncated.
    Other {
        /// The `Content-Type`, if any.
        content_type: Option<String>,
        /// The first 512 characters of the body.
        body: String,
    },
}

/// An error answer of ORCID (OAuth or member API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status (for an item of a bulk: its `response-code`).
    pub status: u16,
    /// What to do about it.
    pub kind: ErrorKind,
    /// The parsed body.
    pub detail: ErrorDetail,
    /// `Retry-After`, when the server sent one.
    pub retry_after: Option<Duration>,
    /// `Location` of a redirect (9007: the primary record of a deprecated one).
    pub location: Option<String>,
}

impl ApiError {
    /// Builds the error from a response's status and body. `secrets` are
    /// removed from every text kept.
    pub(crate) fn from_response(
        status: u16,
        content_type: Option<&str>,
        body: &str,
        secrets: &[&str],
    ) -> ApiError {
        let detail = parse_detail(content_type, body, secrets);
        ApiError::new(status, detail)
    }

    /// An error with its kind derived from the status and the detail.
    pub fn new(status: u16, detail: ErrorDetail) -> ApiError {
        let kind = classify(status, &detail);
        ApiError {
            status,
            kind,
            detail,
            retry_after: None,
            location: None,
        }
    }

    /// From ORCID's v2.1 error element (e.g. an item of a bulk answer).
    pub fn from_orcid_error(e: &orcid_model::v2_1::error::OrcidError) -> ApiError {
        ApiError::from_error_fields(
            e.response_code,
            e.developer_message.as_deref(),
            e.user_message.as_deref(),
            e.error_code,
            e.more_info.as_ref(),
        )
    }

    /// From ORCID's v3.0 error element (e.g. an item of a v3.0 bulk
    /// answer); the same fields as v2.1's.
    pub fn from_orcid_error_v3(e: &orcid_model::v3_0::error::OrcidError) -> ApiError {
        ApiError::from_error_fields(
            e.response_code,
            e.developer_message.as_deref(),
            e.user_message.as_deref(),
            e.error_code,
            e.more_info.as_ref(),
        )
    }

    /// The error of the fields of an `error:error`, either version.
    fn from_error_fields(
        response_code: Option<i64>,
        developer_message: Option<&str>,
        user_message: Option<&str>,
        error_code: Option<i64>,
        more_info: Option<&orcid_model::scalar::Uri>,
    ) -> ApiError {
        // No response code (ORCID's beans may leave it null): status 0.
        let status = response_code
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(0);
        ApiError::new(
            status,
            ErrorDetail::Orcid {
                response_code,
                developer_message: developer_message.map(|m| scrub(m, &[])),
                user_message: user_message.map(|m| scrub(m, &[])),
                error_code,
                more_info: more_info.map(|u| u.0.clone()),
            },
        )
    }

    /// ORCID's `error-code`, if the body had one.
    pub fn error_code(&self) -> Option<i64> {
        match &self.detail {
            ErrorDetail::Orcid { error_code, .. } => *error_code,
            _ => None,
        }
    }

    /// The OAuth `error` value, if the body was an OAuth error.
    pub fn oauth_error(&self) -> Option<&str> {
        match &self.detail {
            ErrorDetail::OAuth { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The most useful human-readable message in the body.
    pub fn message(&self) -> Option<&str> {
        match &self.detail {
            ErrorDetail::Orcid {
                developer_message,
                user_message,
                ..
            } => developer_message.as_deref().or(user_message.as_deref()),
            ErrorDetail::OAuth { description, .. } => description.as_deref(),
            ErrorDetail::Other { body, .. } => (!body.is_empty()).then_some(body.as_str()),
        }
    }

    /// For a duplicate (9021): the put-code of the existing item ORCID
    /// names ("please see element with put-code N"); update that one.
    pub fn conflicting_put_code(&self) -> Option<PutCode> {
        if self.error_code() != Some(9021) {
            return None;
        }
        let msg = match &self.detail {
            ErrorDetail::Orcid {
                developer_message,
                user_message,
                ..
            } => developer_message.as_deref().or(user_message.as_deref())?,
            _ => return None,
        };
        let at = msg.find("put-code")? + "put-code".len();
        let digits: String = msg[at..]
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok().map(PutCode)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ORCID answered HTTP {}", self.status)?;
        match &self.detail {
            ErrorDetail::Orcid {
                error_code,
                developer_message,
                user_message,
                ..
            } => {
                if let Some(c) = error_code {
                    write!(f, ", error {c}")?;
                }
                if let Some(m) = developer_message.as_deref().or(user_message.as_deref()) {
                    write!(f, ": {m}")?;
                }
            }
            ErrorDetail::OAuth { error, description } => {
                write!(f, ", {error}")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
            }
            ErrorDetail::Other { body, .. } => {
                if !body.is_empty() {
                    write!(f, ": {body}")?;
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A payload refused before sending because validation found errors.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidPayload {
    /// The findings (errors and warnings).
    pub report: Report,
}

impl fmt::Display for InvalidPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "payload refused before sending: {} error(s)",
            self.report.error_count()
        )?;
        if let Some(d) = self
            .report
            .diagnostics
            .iter()
            .find(|d| d.severity == orcid_validate::Severity::Error)
        {
            write!(f, "; first: {} ({})", d.message, d.code)?;
            if let Some(e) = d.orcid_error {
                write!(f, ", ORCID would answer {}/{}", e.http, e.code)?;
            }
        }
        Ok(())
    }
}

/// Every error of the client.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// ORCID answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// Pre-send validation found errors; nothing was sent.
    #[error("{0}")]
    Invalid(Box<InvalidPayload>),
    /// The put-code in the body of an update differs from the one in the
    /// URL (ORCID would answer 400/9019); nothing was sent.
    #[error("the put-code in the body ({}) differs from the one to update ({url}); nothing was sent", .body.map_or("none".to_string(), |p| p.to_string()))]
    PutCodeMismatch {
        /// The put-code of the request path.
        url: PutCode,
        /// The put-code in the body.
        body: Option<PutCode>,
    },
    /// An argument cannot be used (a document that is not an item to
    /// `add`, a malformed iD); nothing was sent.
    #[error("{0}")]
    InvalidArgument(String),
    /// The `state` returned to the redirect URI is not the one sent.
    #[error("the OAuth state returned does not match the one sent (possible CSRF); start the authorization again")]
    StateMismatch,
    /// The authorize step ended with an error on the redirect URI
    /// (`access_denied` when the user denied access).
    #[error("authorization failed: {error}{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Authorization {
        /// OAuth `error`.
        error: String,
        /// OAuth `error_description`.
        description: Option<String>,
    },
    /// A connection fault or timeout (after the retries the policy allows).
    #[error("transport: {0}")]
    Transport(String),
    /// A success answer the client cannot use.
    #[error("unexpected answer: {0}")]
    UnexpectedResponse(String),
    /// Writing a document failed.
    #[error("encoding the payload: {0}")]
    Model(#[from] orcid_model::Error),
    /// The configuration or an argument is unusable.
    #[error("configuration: {0}")]
    Config(String),
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Error {
        Error::Api(Box::new(e))
    }
}

impl Error {
    /// What to do about it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => e.kind,
            Error::Invalid(_)
            | Error::PutCodeMismatch { .. }
            | Error::InvalidArgument(_)
            | Error::Model(_) => ErrorKind::FixPayload,
            Error::StateMismatch => ErrorKind::Reauthorize,
            Error::Authorization { error, .. } => {
                ErrorKind::for_oauth_error(error).unwrap_or(ErrorKind::Reauthorize)
            }
            Error::Transport(_) => ErrorKind::Retryable,
            Error::UnexpectedResponse(_) => ErrorKind::Unexpected,
            Error::Config(_) => ErrorKind::ClientConfig,
        }
    }

    /// ORCID's answer, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The validation report, if pre-send validation refused the payload.
    pub fn report(&self) -> Option<&Report> {
        match self {
            Error::Invalid(p) => Some(&p.report),
            _ => None,
        }
    }
}

fn classify(status: u16, detail: &ErrorDetail) -> ErrorKind {
    if matches!(status, 429 | 502 | 503 | 504) {
        return ErrorKind::Retryable;
    }
    let by_body = match detail {
        ErrorDetail::Orcid { error_code, .. } => error_code.and_then(ErrorKind::for_orcid_code),
        ErrorDetail::OAuth { error, .. } => ErrorKind::for_oauth_error(error),
        ErrorDetail::Other { .. } => None,
    };
    by_body.unwrap_or_else(|| ErrorKind::for_status(status))
}

const OTHER_BODY_MAX: usize = 512;

fn parse_detail(content_type: Option<&str>, body: &str, secrets: &[&str]) -> ErrorDetail {
    let text = body.trim_start_matches('\u{feff}').trim();
    if text.starts_with('{') {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text)
        {
            let s = |k: &str| -> Option<String> {
                match map.get(k)? {
                    serde_json::Value::String(v) => Some(scrub(v, secrets)),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }
            };
            let n = |k: &str| -> Option<i64> {
                match map.get(k)? {
                    serde_json::Value::Number(v) => v.as_i64(),
                    serde_json::Value::String(v) => v.trim().parse().ok(),
                    _ => None,
                }
            };
            if map.contains_key("response-code")
                || map.contains_key("developer-message")
                || map.contains_key("error-code")
            {
                return ErrorDetail::Orcid {
                    response_code: n("response-code"),
                    developer_message: s("developer-message"),
                    user_message: s("user-message"),
                    error_code: n("error-code"),
                    more_info: s("more-info"),
                };
            }
            if let Some(error) = s("error") {
                return ErrorDetail::OAuth {
                    error,
                    description: s("error_description"),
                };
            }
        }
    } else if text.starts_with('<') {
        if let Ok(orcid_model::Document::ErrorError(e)) = orcid_model::Document::from_xml(text) {
            return ErrorDetail::Orcid {
                response_code: e.response_code,
                developer_message: e.developer_message.as_deref().map(|m| scrub(m, secrets)),
                user_message: e.user_message.as_deref().map(|m| scrub(m, secrets)),
                error_code: e.error_code,
                more_info: e.more_info.as_ref().map(|u| u.0.clone()),
            };
        }
        if let Some(d) = lenient_xml_error(text, secrets) {
            return d;
        }
    }
    let cleaned = scrub(text, secrets);
    let body: String = cleaned.chars().take(OTHER_BODY_MAX).collect();
    ErrorDetail::Other {
        content_type: content_type.map(str::to_string),
        body,
    }
}

/// Reads the fields of an `error:error` the typed model refuses (e.g. with
/// an unexpected extra element), by local name.
fn lenient_xml_error(text: &str, secrets: &[&str]) -> Option<ErrorDetail> {
    let field = |name: &str| -> Option<String> {
        let open = text
            .find(&format!(":{name}>"))
            .or_else(|| text.find(&format!("<{name}>")))?;
        let start = open + text[open..].find('>')? + 1;
        let end = start + text[start..].find("</")?;
        Some(unescape(text[start..end].trim()))
    };
    if !text.contains("response-code>") && !text.contains("developer-message>") {
        return None;
    }
    Some(ErrorDetail::Orcid {
        response_code: field("response-code").and_then(|v| v.parse().ok()),
        developer_message: field("developer-message").map(|m| scrub(&m, secrets)),
        user_message: field("user-message").map(|m| scrub(&m, secrets)),
        error_code: field("error-code").and_then(|v| v.parse().ok()),
        more_info: field("more-info"),
    })
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The replacement for a secret in texts.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Removes every `secret` from `text`, and whatever token-like word
/// follows `token: `, `token=`, `authorization code: ` or `code=`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if s.len() >= 4 {
            out = out.replace(s, REDACTED);
        }
    }
    for marker in ["token: ", "token=", "authorization code: ", "code="] {
        out = redact_after(&out, marker);
    }
    out
}

fn redact_after(text: &str, marker: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(found) = lower[pos..].find(marker) {
        let start = pos + found + marker.len();
        out.push_str(&text[pos..start]);
        let word_len = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.~+/=".contains(c)))
            .unwrap_or(text.len() - start);
        let word = &text[start..start + word_len];
        // Leave ORCID's numeric codes ("error code: 9016") alone.
        if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) || word == REDACTED {
            out.push_str(word);
        } else {
            out.push_str(REDACTED);
        }
        pos = start + word_len;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_secrets_and_echoed_tokens() {
        let t = scrub(
            "Invalid access token: 3f2a-bc and s3cr3t; error code: 9016",
            &["s3cr3t"],
        );
        assert_eq!(
            t,
            "Invalid access token: [REDACTED] and [REDACTED]; error code: 9016"
        );
        assert_eq!(
            scrub("Reused authorization code: Ab3dE9", &[]),
            "Reused authorization code: [REDACTED]"
        );
    }

    #[test]
    fn every_documented_code_is_classified() {
        for code in [
            9001, 9002, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012, 9013, 9014, 9015,
            9016, 9017, 9018, 9019, 9020, 9021, 9022, 9023, 9024, 9025, 9026, 9029, 9030, 9031,
            9032, 9034, 9035, 9036, 9037, 9038, 9039, 9040, 9041, 9042, 9044, 9045, 9047, 9048,
            9049, 9050, 9051, 9052, 9053, 9054, 9055, 9046, 9058, 9060, 9061, 9062,
        ] {
            assert!(ErrorKind::for_orcid_code(code).is_some(), "{code}");
        }
    }

    #[test]
    fn conflicting_put_code_is_read_from_the_message() {
        let e = ApiError::new(
            409,
            ErrorDetail::Orcid {
                response_code: Some(409),
                developer_message: Some("409 Conflict: You have already added this activity (matched by external identifiers), please see element with put-code 1234. If you are trying to edit the item, please use PUT instead of POST.".into()),
                user_message: None,
                error_code: Some(9021),
                more_info: None,
            },
        );
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert_eq!(e.conflicting_put_code(), Some(PutCode(1234)));
    }
}
