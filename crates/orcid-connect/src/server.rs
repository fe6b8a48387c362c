//! Serving the app on its own: from async code ([`serve`]), from a plain
//! thread until the process ends ([`serve_blocking`]), or in the
//! background with a handle ([`ConnectServer::start`], for tests and tools).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::Router;

use crate::error::ConnectError;
use crate::{pages, router, ConnectApp};

/// The routes plus a "not found" page for every other path.
fn standalone(app: ConnectApp) -> Router {
    let chrome = app.inner.chrome.clone();
    router(app).fallback(move || {
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
}

/// Serves the app on `listener` until an error.
pub async fn serve(listener: tokio::net::TcpListener, app: ConnectApp) -> io::Result<()> {
    axum::serve(listener, standalone(app)).await
}

/// Serves the app on `listener` until `shutdown` completes, then lets the
/// requests under way finish.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    app: ConnectApp,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, standalone(app))
        .with_graceful_shutdown(shutdown)
        .await
}

fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("orcid-connect")
        .enable_all()
        .build()
}

/// Serves the app on `listener` on a runtime of its own, blocking the
/// calling thread until the process ends (or serving fails).
pub fn serve_blocking(
    listener: std::net::TcpListener,
    app: ConnectApp,
) -> Result<(), ConnectError> {
    listener.set_nonblocking(true)?;
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        serve(listener, app).await
    })?;
    Ok(())
}

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
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let rt = runtime()?;
        let listener = {
            let _guard = rt.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("orcid-connect".into())
            .spawn(move || {
                let res = rt.block_on(serve_with_shutdown(listener, app, async {
                    let _ = rx.await;
                }));
                if let Err(e) = res {
                    tracing::error!(error = %e, "the connect page stopped");
                }
                rt.shutdown_background();
            })?;
        Ok(ConnectHandle {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }
}

/// A connect page running in the background; stops when shut down or
/// dropped.
#[derive(Debug)]
pub struct ConnectHandle {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ConnectHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ConnectHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
