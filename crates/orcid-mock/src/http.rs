//! Content negotiation (`docs/orcid-api.md` §2.3) and ORCID's two error
//! formats: the `error:error` body of the API (§4.1) and OAuth's
//! `{"error", "error_description"}` (§1.6).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use orcid_model::v2_1::error::OrcidError;
use orcid_model::Document;

/// A wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// XML.
    Xml,
    /// JSON.
    Json,
}

/// A negotiated response type: the format and the media type to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Negotiated {
    /// Format.
    pub fmt: Fmt,
    /// `Content-Type` of the answer.
    pub media: &'static str,
}

impl Negotiated {
    /// `application/vnd.orcid+xml`, ORCID's answer to a missing or wildcard `Accept`.
    pub const DEFAULT: Negotiated = Negotiated {
        fmt: Fmt::Xml,
        media: "application/vnd.orcid+xml",
    };
}

/// The `Content-Type` ORCID sends for a negotiated media type: JAX-RS
/// copies the `qs` of the `@Produces` constant (`OrcidApiConstants`:
/// `VND_ORCID_XML = "application/vnd.orcid+xml; qs=5"`, `VND_ORCID_JSON`
/// qs=4, `ORCID_XML` qs=3, `ORCID_JSON` qs=2) and appends the charset, so
/// ORCID answers e.g. `application/vnd.orcid+xml; qs=5;charset=UTF-8`.
pub fn wire_content_type(media: &str) -> &'static str {
    match media {
        "application/vnd.orcid+xml" => "application/vnd.orcid+xml; qs=5;charset=UTF-8",
        "application/vnd.orcid+json" => "application/vnd.orcid+json; qs=4;charset=UTF-8",
        "application/orcid+xml" => "application/orcid+xml; qs=3;charset=UTF-8",
        "application/orcid+json" => "application/orcid+json; qs=2;charset=UTF-8",
        "application/xml" => "application/xml;charset=UTF-8",
        _ => "application/json;charset=UTF-8",
    }
}

/// What every v2.1 resource produces and consumes, in ORCID's order of preference.
pub const MEDIA_TYPES: &[(&str, Fmt)] = &[
    ("application/vnd.orcid+xml", Fmt::Xml),
    ("application/vnd.orcid+json", Fmt::Json),
    ("application/orcid+xml", Fmt::Xml),
    ("application/orcid+json", Fmt::Json),
    ("application/xml", Fmt::Xml),
    ("application/json", Fmt::Json),
];

/// Picks the response type from `Accept`: the supported type with the
/// highest client `q` (most specific range wins), ties broken by ORCID's
/// preference; a missing or wildcard `Accept` gives vnd.orcid+xml. `None`: 406.
pub fn negotiate(headers: &HeaderMap) -> Option<Negotiated> {
    let accept: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = accept.join(",");
    if accept.trim().is_empty() {
        return Some(Negotiated::DEFAULT);
    }
    let ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let media = it.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let mut q = 1.0f32;
            for p in it {
                if let Some((k, v)) = p.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("q") {
                        q = v.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            Some((media, q))
        })
        .collect();
    let mut best: Option<(f32, Negotiated)> = None;
    for (media, fmt) in MEDIA_TYPES {
        // The most specific matching range gives the quality.
        let mut spec = -1i32;
        let mut q = 0.0f32;
        for (r, rq) in &ranges {
            let s = if r == media {
                2
            } else if r == "application/*" {
                1
            } else if r == "*/*" || r == "*" {
                0
            } else {
                continue;
            };
            if s > spec {
                spec = s;
                q = *rq;
            }
        }
        if spec < 0 || q <= 0.0 {
            continue;
        }
        // A wildcard picks ORCID's default rather than a plain type.
        let n = if spec < 2 {
            Negotiated::DEFAULT
        } else {
            Negotiated { fmt: *fmt, media }
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, n));
        }
    }
    best.map(|(_, n)| n)
}

/// The format of a request body from `Content-Type`; `None`: 415.
pub fn content_type(headers: &HeaderMap) -> Option<Fmt> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let media = ct.split(';').next()?.trim().to_ascii_lowercase();
    MEDIA_TYPES
        .iter()
        .find(|(m, _)| *m == media)
        .map(|(_, f)| *f)
}

/// ORCID's "more info" link in error bodies.
pub const MORE_INFO: &str = "https://members.orcid.org/api/resources/troubleshooting";

/// An API error in ORCID's `error:error` form.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status (also `response-code`).
    pub status: u16,
    /// ORCID `error-code`.
    pub code: Option<u16>,
    /// `developer-message`.
    pub developer: String,
    /// `user-message`.
    pub user: String,
    /// Send no `Content-Type` (ORCID's 406 has none).
    pub no_content_type: bool,
}

/// The reason phrase of a status.
pub fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}

impl ApiError {
    /// An error whose developer message is `"{status} {reason}: {text}"`
    /// (ORCID's form) and user message `text`.
    pub fn new(status: u16, code: u16, text: impl Into<String>) -> ApiError {
        let text = text.into();
        ApiError {
            status,
            code: Some(code),
            developer: format!("{status} {}: {text}", reason(status)),
            user: text,
            no_content_type: false,
        }
    }

    /// Like [`ApiError::new`], with ORCID's `" Full validation error: …"` tail
    /// on the developer message.
    pub fn with_detail(status: u16, code: u16, text: &str, detail: &str) -> ApiError {
        let mut e = ApiError::new(status, code, text);
        if !detail.is_empty() {
            e.developer = format!("{} Full validation error: {detail}", e.developer);
        }
        e
    }

    /// 404/9016.
    pub fn not_found() -> ApiError {
        ApiError::new(404, 9016, "The resource was not found.")
    }

    /// 404/9016 for an iD with no record, in ORCID's words:
    /// `"404 Not Found: The resource was not found. Full validation error:
    /// ORCID iD {orcid} not found"` (clients such as inspire-service-orcid
    /// match on that text).
    pub fn orcid_not_found(orcid: &str) -> ApiError {
        ApiError::with_detail(
            404,
            9016,
            "The resource was not found.",
            &format!("ORCID iD {orcid} not found"),
        )
    }

    /// The error as a document.
    pub fn to_document(&self) -> Document {
        Document::ErrorError(Box::new(self.to_model()))
    }

    /// The error as the model's `error:error`.
    pub fn to_model(&self) -> OrcidError {
        OrcidError {
            response_code: Some(self.status as i64),
            developer_message: Some(self.developer.clone()),
            user_message: Some(self.user.clone()),
            error_code: self.code.map(i64::from),
            more_info: Some(orcid_model::scalar::Uri(MORE_INFO.into())),
        }
    }

    /// The response in the negotiated format.
    pub fn into_response(self, n: Negotiated) -> Response {
        let status = self.status;
        let no_ct = self.no_content_type;
        let mut r = document_response(status, n, &self.to_document());
        if no_ct {
            r.headers_mut().remove(header::CONTENT_TYPE);
        }
        r
    }
}

/// A document of either API version, as its body in a negotiated format.
pub trait WireDocument {
    /// The body: vnd.orcid+xml or vnd.orcid+json (the version's spellings).
    fn body(&self, fmt: Fmt) -> String;
}

macro_rules! wire_document {
    ($($ty:ty),*) => {$(
        impl WireDocument for $ty {
            fn body(&self, fmt: Fmt) -> String {
                match fmt {
                    Fmt::Xml => self.to_xml(true),
                    Fmt::Json => self
                        .to_json(false)
                        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")),
                }
            }
        }
    )*};
}
wire_document!(Document, orcid_model::v3_0::Document);

/// A document in the negotiated format.
pub fn document_response<D: WireDocument>(status: u16, n: Negotiated, doc: &D) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_static(wire_content_type(n.media)),
        )
        .body(Body::from(doc.body(n.fmt)))
        .unwrap_or_default()
}

/// An OAuth error: `{"error": …, "error_description": …}` as JSON.
pub fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description });
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
        .header(header::CONTENT_TYPE, "application/json;charset=UTF-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::PRAGMA, "no-cache")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// A JSON response.
pub fn json_response(status: u16, value: &serde_json::Value) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(value.to_string()))
        .unwrap_or_default()
}

/// An empty response.
pub fn empty(status: u16) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .body(Body::empty())
        .unwrap_or_default()
}

/// ORCID's `Cache-Control` on the API's 201 and 204 answers.
pub const NO_CACHE: &str = "no-cache, no-store, max-age=0, must-revalidate";

/// Middleware for the API routes: ORCID's 201 (created) and 204 (deleted)
/// answers carry `Cache-Control: no-cache, no-store, max-age=0,
/// must-revalidate`, `Pragma: no-cache`, `Expires: 0` and
/// `Access-Control-Allow-Origin: *`.
pub async fn orcid_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut r = next.run(req).await;
    if matches!(r.status().as_u16(), 201 | 204) {
        let h = r.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        h.insert(header::EXPIRES, HeaderValue::from_static("0"));
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    r
}

/// ORCID's status text (`OrcidApiConstants.STATUS_OK_MESSAGE`).
pub const STATUS_OK_MESSAGE: &str = "OK I am here";

/// `GET /status` and `GET /v2.x/status`, `/v3.0/status`: ORCID's health
/// check, `200 text/plain` "OK I am here", no token needed
/// (`viewStatusText` on every versioned API resource).
pub async fn status() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(STATUS_OK_MESSAGE))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Option<Negotiated> {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        negotiate(&h)
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Negotiated::DEFAULT));
        assert_eq!(accept("*/*"), Some(Negotiated::DEFAULT));
        assert_eq!(accept("application/json").unwrap().fmt, Fmt::Json);
        assert_eq!(
            accept("application/orcid+json").unwrap().media,
            "application/orcid+json"
        );
        assert_eq!(
            accept("application/json;q=0.5, application/vnd.orcid+xml")
                .unwrap()
                .fmt,
            Fmt::Xml
        );
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
        assert_eq!(accept("text/html, */*;q=0.1"), Some(Negotiated::DEFAULT));
    }
}
