//! The client and its transport: one blocking HTTP call with rate limiting,
//! retries and error mapping.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orcid_model::{AnyDocument, AnyRoot, Document, Format, Root, Version};
use secrecy::{ExposeSecret, SecretString};

use crate::config::{ClientConfig, RetryPolicy};
use crate::error::{scrub, ApiError, Error};
use crate::rate_limit::TokenBucket;

/// Largest response body read (a full record with thousands of works).
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// A blocking ORCID client: OAuth ([`OrcidClient::authorize`],
/// [`OrcidClient::exchange_code`], [`OrcidClient::refresh`],
/// [`OrcidClient::revoke`], [`OrcidClient::client_credentials`]) and the
/// member API (through [`OrcidClient::member`]).
///
/// Cheap to clone; clones share the connection pool and the rate limiter.
/// `Send + Sync`: one client can serve many threads.
#[derive(Clone)]
pub struct OrcidClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    agent: ureq::Agent,
    bucket: Option<TokenBucket>,
}

impl fmt::Debug for OrcidClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrcidClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl OrcidClient {
    /// A client for `config`. Fails if a base URL of the environment is not
    /// an absolute `http(s)` URL.
    pub fn new(config: ClientConfig) -> Result<OrcidClient, Error> {
        for base in [
            config.environment.oauth_base(),
            config.environment.api_base(),
        ] {
            let u = url::Url::parse(base)
                .map_err(|e| Error::Config(format!("base URL `{base}`: {e}")))?;
            if !matches!(u.scheme(), "http" | "https") || !u.has_host() {
                return Err(Error::Config(format!(
                    "base URL `{base}` is not an http(s) URL"
                )));
            }
        }
        if config.bulk_read_max == 0 || config.bulk_write_max == 0 {
            return Err(Error::Config("bulk sizes must be at least 1".into()));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(config.timeouts.connect))
            .timeout_global(Some(config.timeouts.global))
            .user_agent(config.user_agent.as_str())
            .build()
            .into();
        let bucket = config.rate_limit.map(TokenBucket::new);
        Ok(OrcidClient {
            inner: Arc::new(Inner {
                config,
                agent,
                bucket,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub(crate) fn oauth_url(&self, path: &str) -> String {
        format!("{}{path}", self.config().environment.oauth_base())
    }

    /// The URL of `path` under the member API of `version`
    /// (`{api_base}/v3.0/{path}`).
    pub(crate) fn api_url(&self, version: Version, path: &str) -> String {
        format!(
            "{}{}/{path}",
            self.config().environment.api_base(),
            version.path_prefix()
        )
    }

    /// Sends `req`, retrying per the policy; returns the final answer
    /// whatever its status.
    pub(crate) fn execute(&self, req: &HttpRequest) -> Result<HttpResponse, Error> {
        let policy = self.config().retry;
        let idempotent = req.method != Method::Post;
        let mut attempt: u32 = 0;
        loop {
            if let Some(b) = &self.inner.bucket {
                let waited = b.acquire();
                if !waited.is_zero() {
                    tracing::trace!(
                        waited_ms = waited.as_millis() as u64,
                        "rate limiter delayed a call"
                    );
                }
            }
            let result = self.send_once(req);
            let may_retry = idempotent && attempt < policy.max_retries;
            match result {
                Ok(resp) => {
                    tracing::debug!(
                        method = req.method.as_str(),
                        path = %path_of(&req.url),
                        status = resp.status,
                        attempt,
                        "ORCID call"
                    );
                    if may_retry && retried_status(req.method, resp.status) {
                        let delay = retry_delay(&policy, attempt, resp.retry_after);
                        tracing::info!(
                            method = req.method.as_str(),
                            path = %path_of(&req.url),
                            status = resp.status,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        std::thread::sleep(delay);
                        attempt += 1;
                        continue;
                    }
                    return Ok(resp);
                }
                Err(SendError::Fault(msg)) => {
                    let msg = self.scrub(req, &msg);
                    tracing::debug!(
                        method = req.method.as_str(),
                        path = %path_of(&req.url),
                        attempt,
                        error = %msg,
                        "ORCID call failed"
                    );
                    if may_retry {
                        let delay = retry_delay(&policy, attempt, None);
                        std::thread::sleep(delay);
                        attempt += 1;
                        continue;
                    }
                    return Err(Error::Transport(msg));
                }
                Err(SendError::Other(msg)) => return Err(Error::Transport(self.scrub(req, &msg))),
            }
        }
    }

    /// Sends `req` and turns any status outside `ok` into an error.
    pub(crate) fn execute_expect(
        &self,
        req: &HttpRequest,
        ok: &[u16],
    ) -> Result<HttpResponse, Error> {
        let resp = self.execute(req)?;
        if ok.contains(&resp.status) {
            Ok(resp)
        } else {
            Err(self.api_error(req, &resp).into())
        }
    }

    /// The typed error for an error answer to `req`.
    pub(crate) fn api_error(&self, req: &HttpRequest, resp: &HttpResponse) -> ApiError {
        let owned = self.secrets_of(req);
        let secrets: Vec<&str> = owned.iter().map(|s| s.expose_secret()).collect();
        let mut e = ApiError::from_response(
            resp.status,
            resp.content_type.as_deref(),
            &resp.body,
            &secrets,
        );
        e.retry_after = resp.retry_after;
        e.location = resp.location.clone();
        e
    }

    fn secrets_of(&self, req: &HttpRequest) -> Vec<SecretString> {
        let mut v = req.secrets.clone();
        v.push(self.config().client_secret.clone());
        if let Some(b) = &req.bearer {
            v.push(b.clone());
        }
        v
    }

    fn scrub(&self, req: &HttpRequest, text: &str) -> String {
        let owned = self.secrets_of(req);
        let secrets: Vec<&str> = owned.iter().map(|s| s.expose_secret()).collect();
        scrub(text, &secrets)
    }

    fn send_once(&self, req: &HttpRequest) -> Result<HttpResponse, SendError> {
        let agent = &self.inner.agent;
        let result = match req.method {
            Method::Get => with_headers(agent.get(&req.url), req).call(),
            Method::Delete => with_headers(agent.delete(&req.url), req).call(),
            Method::Post | Method::Put => {
                let b = if req.method == Method::Post {
                    with_headers(agent.post(&req.url), req)
                } else {
                    with_headers(agent.put(&req.url), req)
                };
                match &req.body {
                    Some((ct, body)) => b.header("Content-Type", *ct).send(&body[..]),
                    None => b.send_empty(),
                }
            }
        };
        let mut resp = result.map_err(SendError::from)?;
        let header = |name: &str| -> Option<String> {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let status = resp.status().as_u16();
        let content_type = header("content-type");
        let location = header("location");
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(SendError::from)?;
        Ok(HttpResponse {
            status,
            content_type,
            location,
            retry_after,
            body,
        })
    }

    /// The `Accept`/`Content-Type` of the configured wire format.
    pub(crate) fn media_type(&self) -> &'static str {
        self.config().wire_format.media_type()
    }

    /// Writes `doc` in the wire format.
    pub(crate) fn encode(&self, doc: &AnyDocument) -> Result<Vec<u8>, Error> {
        Ok(match self.config().wire_format {
            Format::Xml => doc.to_xml(false).into_bytes(),
            Format::Json => doc.to_json(false)?.into_bytes(),
        })
    }

    /// Reads a v2.1 success body as the document `root`.
    pub(crate) fn decode(&self, resp: &HttpResponse, root: Root) -> Result<Document, Error> {
        let any = AnyRoot {
            v2_1: Some(root),
            v3_0: None,
        };
        match self.decode_any(resp, Version::V2_1, any)? {
            AnyDocument::V2_1(doc) => Ok(doc),
            AnyDocument::V3_0(_) => Err(Error::UnexpectedResponse(
                "a v3.0 document where v2.1 was asked for".into(),
            )),
        }
    }

    /// Reads a success body of API `version` as the document `root` (in
    /// that version; a root the version lacks is an error).
    pub(crate) fn decode_any(
        &self,
        resp: &HttpResponse,
        version: Version,
        root: AnyRoot,
    ) -> Result<AnyDocument, Error> {
        let expected = root_name_in(root, version)?;
        let text = resp.body.as_str();
        if orcid_model::detect_format(text).is_none() {
            return Err(Error::UnexpectedResponse(format!(
                "HTTP {} with a body that is neither XML nor JSON (expected `{expected}`)",
                resp.status,
            )));
        }
        let (doc, _, _) =
            AnyDocument::read(text, Some(root), Some(version), version).map_err(|e| {
                Error::UnexpectedResponse(format!(
                    "the `{expected}` in the answer cannot be read: {e}"
                ))
            })?;
        if doc.root_name() != expected {
            return Err(Error::UnexpectedResponse(format!(
                "expected `{expected}`, got `{}`",
                doc.root_name()
            )));
        }
        Ok(doc)
    }
}

/// The qualified name of `root` in `version`, or an error if that version
/// has no such root.
pub(crate) fn root_name_in(root: AnyRoot, version: Version) -> Result<String, Error> {
    let name = match version {
        Version::V2_1 => root.v2_1.map(Root::qualified_name),
        Version::V3_0 => root.v3_0.map(orcid_model::v3_0::Root::qualified_name),
    };
    name.ok_or_else(|| {
        let other = root
            .v3_0
            .map(orcid_model::v3_0::Root::qualified_name)
            .or_else(|| root.v2_1.map(Root::qualified_name))
            .unwrap_or_default();
        Error::InvalidArgument(format!("`{other}` does not exist in ORCID API v{version}"))
    })
}

/// An HTTP method the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One request. Deliberately not `Debug`: it carries secrets.
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub accept: &'static str,
    pub bearer: Option<SecretString>,
    pub body: Option<(&'static str, Vec<u8>)>,
    /// Secrets the request carries besides the bearer token and the client
    /// secret (refresh token, code, revoked token), removed from errors.
    pub secrets: Vec<SecretString>,
}

impl HttpRequest {
    pub(crate) fn new(method: Method, url: String, accept: &'static str) -> HttpRequest {
        HttpRequest {
            method,
            url,
            accept,
            bearer: None,
            body: None,
            secrets: Vec::new(),
        }
    }
}

/// One answer. Not `Debug`: a token response's body is a secret.
pub(crate) struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: String,
}

enum SendError {
    /// Connection fault or timeout: worth retrying an idempotent request.
    Fault(String),
    /// Anything else.
    Other(String),
}

impl From<ureq::Error> for SendError {
    fn from(e: ureq::Error) -> SendError {
        match e {
            ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound => SendError::Fault(e.to_string()),
            other => SendError::Other(other.to_string()),
        }
    }
}

fn with_headers<B>(rb: ureq::RequestBuilder<B>, req: &HttpRequest) -> ureq::RequestBuilder<B> {
    let rb = rb.header("Accept", req.accept);
    match &req.bearer {
        Some(t) => rb.header("Authorization", format!("Bearer {}", t.expose_secret())),
        None => rb,
    }
}

/// The URL without its query (for logs).
fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Whether an answer with `status` to an idempotent `method` is retried:
/// 429, 502, 503 and 504 always; 500 for a GET too (reading again changes
/// nothing, and a push that cannot read the record cannot go on).
fn retried_status(method: Method, status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504) || (status == 500 && method == Method::Get)
}

/// The delay before retry number `attempt` (0-based).
pub(crate) fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    retry_after: Option<Duration>,
) -> Duration {
    if let Some(ra) = retry_after {
        return ra.min(policy.max_retry_after);
    }
    let exp = policy
        .initial_backoff
        .saturating_mul(2u32.saturating_pow(attempt.min(20)));
    let full = exp.min(policy.max_backoff);
    let half = full / 2;
    half + full.mul_f64(rand::random_range(0.0..=0.5))
}

/// `Retry-After`: delta-seconds or an HTTP-date (IMF-fixdate).
pub(crate) fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts: Vec<&str> = v.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|x| x == month)? + 1;
    let iso = format!("{year}-{m:02}-{:0>2}T{time}Z", day);
    let millis = orcid_model::scalar::parse_xs_datetime(&iso)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_millis() as i64;
    Some(Duration::from_millis(
        u64::try_from(millis - now).unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_500_is_retried_for_reads_only() {
        assert!(retried_status(Method::Get, 500));
        assert!(retried_status(Method::Put, 503));
        assert!(!retried_status(Method::Put, 500));
        assert!(!retried_status(Method::Delete, 500));
        assert!(!retried_status(Method::Get, 501));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(1),
        };
        let d0 = retry_delay(&p, 0, None);
        assert!(d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100));
        let d3 = retry_delay(&p, 3, None);
        assert!(d3 >= Duration::from_millis(150) && d3 <= Duration::from_millis(300));
        assert_eq!(
            retry_delay(&p, 0, Some(Duration::from_secs(30))),
            Duration::from_secs(1)
        );
    }
}
