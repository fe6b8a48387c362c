//! The HTTP and HTML plumbing that the toolkit's servers (`orcid-mock`,
//! `orcid-connect`) and the CLI's loopback page (`orcid auth login`) share.
//! It knows nothing of ORCID's API or model.
//!
//! * [`escape_html`]: text for HTML content and quoted attributes.
//! * [`PAGE_HEADERS`], [`set_page_headers`], [`page_headers`]: the response
//!   headers of a private page with no script and no form (not cached, no
//!   referrer, no framing, a strict content security policy).
//! * [`BackgroundServer`]: an axum [`Router`](axum::Router) (or a serve
//!   loop of your own) on a thread with its own tokio runtime, with its
//!   address and a shutdown that waits; [`serve_blocking`] for the calling
//!   thread.
//! * [`serve_router`], [`serve_http1`]: the HTTP/1.1 serve loop of both
//!   servers, with [`Timeouts`] on every connection (a request head within
//!   [`DEFAULT_HEADER_READ_TIMEOUT`], nothing stalled on the client beyond
//!   [`DEFAULT_IDLE_TIMEOUT`], both configurable), so that a client that
//!   sends half a request, or nothing, cannot hold a connection open.
//!   Every request answered is logged (`tracing`, target
//!   [`REQUEST_LOG_TARGET`], level info): method, path without the query
//!   string, status and duration in milliseconds.
//! * [`LogLimiter`]: at most so many log lines of a kind per time window
//!   (refused requests), so that a flood does not write one line each.
//!
//! ```
//! use std::io::{Read, Write};
//! use axum::{middleware::map_response, response::Html, routing::get, Router};
//! use orcid_web::{escape_html, page_headers, BackgroundServer, Timeouts};
//!
//! let greeting = format!("<p>{}</p>", escape_html("Tom & Jerry's"));
//! let router = Router::new()
//!     .route("/", get(move || async move { Html(greeting) }))
//!     .layer(map_response(page_headers));
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! let server = BackgroundServer::start("example", listener, router, Timeouts::default())?;
//!
//! let mut s = std::net::TcpStream::connect(server.local_addr())?;
//! write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
//! let mut answer = String::new();
//! s.read_to_string(&mut answer)?;
//! assert!(answer.starts_with("HTTP/1.1 200"));
//! assert!(answer.contains("cache-control: no-store"));
//! assert!(answer.ends_with("<p>Tom &amp; Jerry&#39;s</p>"));
//!
//! server.shutdown(); // waits for the server's thread
//! # Ok::<(), std::io::Error>(())
//! ```

#![warn(missing_docs)]

mod conn;
mod escape;
mod headers;
mod ratelimit;
mod server;

pub use conn::{
    serve_http1, serve_router, Timeouts, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    REQUEST_LOG_TARGET,
};
pub use escape::escape_html;
pub use headers::{page_headers, set_page_headers, NO_SCRIPT_CSP, PAGE_HEADERS};
pub use ratelimit::LogLimiter;
pub use server::{serve_blocking, BackgroundServer, Shutdown};
