//! The response headers of the toolkit's own HTML pages.

use axum::http::header::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

/// The `Content-Security-Policy` of a page with no script, no form and
/// only inline CSS: nothing may be loaded, submitted or framed.
pub const NO_SCRIPT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The headers of a page that carries private data (an iD, an error about
/// a code) in a URL or its body, has no script and no form: not cached, no
/// referrer (the URL may carry an authorization code), no type sniffing, no
/// framing, and [`NO_SCRIPT_CSP`]. Names are lowercase, as HTTP/2 and
/// [`HeaderName::from_static`] want them.
pub const PAGE_HEADERS: [(&str, &str); 5] = [
    ("cache-control", "no-store"),
    ("referrer-policy", "no-referrer"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("content-security-policy", NO_SCRIPT_CSP),
];

/// Sets every one of [`PAGE_HEADERS`] on `headers`, replacing any value
/// already there.
pub fn set_page_headers(headers: &mut HeaderMap) {
    for (name, value) in PAGE_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
}

/// [`set_page_headers`] as a response mapper, to layer on a router:
///
/// ```
/// use axum::{middleware::map_response, response::Html, routing::get, Router};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { Html("<p>Hello</p>") }))
///     .layer(map_response(orcid_web::page_headers));
/// ```
pub async fn page_headers(mut response: Response) -> Response {
    set_page_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_is_set_and_replaces() {
        let mut h = HeaderMap::new();
        h.insert("cache-control", HeaderValue::from_static("max-age=60"));
        set_page_headers(&mut h);
        assert_eq!(h.len(), PAGE_HEADERS.len());
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none';"));
    }
}
