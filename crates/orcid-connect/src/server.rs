//! Serving the app on its own: from async code ([`serve`]), from a plain
//! thread until the process ends ([`serve_blocking`]), or in the
//! background with a handle ([`ConnectServer::start`], for tests and tools).

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::Router;
use orcid_web::BackgroundServer;

use crate::error::ConnectError;
use crate::{pages, router, ConnectApp};

/// The routes plus a "not found" page for every other path; every answer,
/// the fallback's included, carries the page headers.
fn standalone(app: ConnectApp) -> Router {
    let chrome = app.inner.chrome.clone();
    let store = app.config().store_path.clone();
    router(app)
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route(
            "/readyz",
            axum::routing::get(move || {
                let store = store.clone();
                async move { readyz(store).await }
            }),
        )
        .fallback(move || {
            let chrome = chrome.clone();
            async move {
                (
                    StatusCode::NOT_FOUND,
                    Html(pages::problem(
                        &chrome,
                        "Page not found",
                        "There is no page at this address.",
                        None,
                    )),
                )
                    .into_response()
            }
        })
        // The router's own layer does not reach the fallback.
        .layer(axum::middleware::map_response(orcid_web::page_headers))
}

/// `GET /readyz`: 200 `ready` when the store can be opened and read, 503
/// otherwise (the reason is logged, never shown: it names paths).
async fn readyz(store: std::path::PathBuf) -> axum::response::Response {
    let check = tokio::task::spawn_blocking(move || {
        orcid_store::Store::open(&store).and_then(|s| s.schema_version())
    })
    .await;
    match check {
        Ok(Ok(_)) => "ready".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the store cannot be read");
            (StatusCode::SERVICE_UNAVAILABLE, "the store cannot be read").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the readiness check failed",
            )
                .into_response()
        }
    }
}

/// Serves the app on `listener` until an error, with the configured
/// connection limits ([`ConnectConfig::timeouts`](crate::ConnectConfig::timeouts)).
pub async fn serve(listener: tokio::net::TcpListener, app: ConnectApp) -> io::Result<()> {
    serve_with_shutdown(listener, app, std::future::pending()).await
}

/// Serves the app on `listener` until `shutdown` completes, then lets the
/// requests under way finish.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    app: ConnectApp,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let timeouts = app.config().timeouts;
    orcid_web::serve_router(listener, standalone(app), timeouts, shutdown).await
}

/// Serves the app on `listener` on a runtime of its own, blocking the
/// calling thread until the process ends (or serving fails).
pub fn serve_blocking(
    listener: std::net::TcpListener,
    app: ConnectApp,
) -> Result<(), ConnectError> {
    orcid_web::serve_blocking(THREAD_NAME, listener, |listener| serve(listener, app))?;
    Ok(())
}

/// The name of the server's threads.
const THREAD_NAME: &str = "orcid-connect";

/// Starts the app in the background.
#[derive(Debug)]
pub struct ConnectServer;

impl ConnectServer {
    /// Serves `app` on `listener` from a background thread with its own
    /// runtime, until the handle is shut down or dropped. Bind the listener
    /// first when the public URL needs its port.
    pub fn start(
        listener: std::net::TcpListener,
        app: ConnectApp,
    ) -> Result<ConnectHandle, ConnectError> {
        let timeouts = app.config().timeouts;
        let server = BackgroundServer::start(THREAD_NAME, listener, standalone(app), timeouts)?;
        Ok(ConnectHandle { server })
    }
}

/// A connect page running in the background; stops when shut down or
/// dropped.
#[derive(Debug)]
pub struct ConnectHandle {
    server: BackgroundServer,
}

impl ConnectHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// `http://ADDR` (no trailing slash).
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(self) {
        self.server.shutdown();
    }
}
