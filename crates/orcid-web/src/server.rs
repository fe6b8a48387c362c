//! Serving on a runtime of its own: in the background with a handle
//! ([`BackgroundServer`]), or on the calling thread ([`serve_blocking`]).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use axum::Router;
use tokio::sync::oneshot;

use crate::conn::{serve_router, Timeouts};

/// A multi-threaded runtime of two workers whose threads are named `name`.
fn runtime(name: &str) -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
}

/// Makes `listener` non-blocking and hands it to `rt`.
fn tokio_listener(
    rt: &tokio::runtime::Runtime,
    listener: std::net::TcpListener,
) -> io::Result<tokio::net::TcpListener> {
    listener.set_nonblocking(true)?;
    let _guard = rt.enter();
    tokio::net::TcpListener::from_std(listener)
}

/// Runs `serve` on `listener` on a new runtime (threads named `name`),
/// blocking the calling thread until `serve` returns.
pub fn serve_blocking<F, Fut>(
    name: &str,
    listener: std::net::TcpListener,
    serve: F,
) -> io::Result<()>
where
    F: FnOnce(tokio::net::TcpListener) -> Fut,
    Fut: Future<Output = io::Result<()>>,
{
    let rt = runtime(name)?;
    let listener = tokio_listener(&rt, listener)?;
    rt.block_on(serve(listener))
}

/// Completes when its [`BackgroundServer`] is shut down or dropped: the
/// signal a serve loop given to [`BackgroundServer::start_with`] stops on.
#[derive(Debug)]
pub struct Shutdown(oneshot::Receiver<()>);

impl Future for Shutdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(|_| ())
    }
}

/// A server running on a thread of its own, with a tokio runtime of its
/// own; it stops when shut down or dropped, and both wait for the thread.
#[derive(Debug)]
pub struct BackgroundServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl BackgroundServer {
    /// Serves `router` on `listener` with the connection limits `timeouts`
    /// until shut down, then lets the requests under way finish (see
    /// [`serve_router`]). `name` names the threads and appears in the log
    /// if serving fails. Bind the listener first when the router needs to
    /// know its port.
    pub fn start(
        name: &str,
        listener: std::net::TcpListener,
        router: Router,
        timeouts: Timeouts,
    ) -> io::Result<BackgroundServer> {
        BackgroundServer::start_with(name, listener, move |listener, shutdown| {
            serve_router(listener, router, timeouts, shutdown)
        })
    }

    /// Like [`BackgroundServer::start`], with a serve loop of your own: `serve`
    /// gets the listener and the [`Shutdown`] signal and is run to its end
    /// on the server's runtime; an error it returns is logged. Serve with
    /// [`serve_http1`](crate::serve_http1) to keep the connection limits.
    pub fn start_with<F, Fut>(
        name: &str,
        listener: std::net::TcpListener,
        serve: F,
    ) -> io::Result<BackgroundServer>
    where
        F: FnOnce(tokio::net::TcpListener, Shutdown) -> Fut + Send + 'static,
        Fut: Future<Output = io::Result<()>>,
    {
        let addr = listener.local_addr()?;
        let rt = runtime(name)?;
        let listener = tokio_listener(&rt, listener)?;
        let (tx, rx) = oneshot::channel();
        let server = name.to_string();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                if let Err(e) = rt.block_on(serve(listener, Shutdown(rx))) {
                    tracing::error!(%server, error = %e, "the server stopped");
                }
                rt.shutdown_background();
            })?;
        Ok(BackgroundServer {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
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

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};

    use axum::routing::get;

    use super::*;

    /// A bare `GET path` over HTTP/1.1; the whole answer.
    fn get_text(addr: SocketAddr, path: &str) -> io::Result<String> {
        let mut s = TcpStream::connect(addr)?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )?;
        let mut answer = String::new();
        s.read_to_string(&mut answer)?;
        Ok(answer)
    }

    fn loopback() -> TcpListener {
        TcpListener::bind("127.0.0.1:0").unwrap()
    }

    #[test]
    fn starts_answers_and_shuts_down() {
        let listener = loopback();
        let bound = listener.local_addr().unwrap();
        let router = Router::new().route("/", get(|| async { "hello" }));
        let server =
            BackgroundServer::start("orcid-web-test", listener, router, Timeouts::default())
                .unwrap();
        let addr = server.local_addr();
        assert_eq!(addr, bound);
        assert_eq!(server.url(), format!("http://{bound}"));
        let answer = get_text(addr, "/").unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("hello"), "{answer}");
        assert!(get_text(addr, "/nope").unwrap().starts_with("HTTP/1.1 404"));
        server.shutdown();
        // The listener is closed once `shutdown` returns.
        assert!(TcpStream::connect(addr).is_err());
    }

    #[test]
    fn a_serve_loop_of_its_own_stops_when_dropped() {
        let server =
            BackgroundServer::start_with("orcid-web-test", loopback(), |l, stop| async move {
                tokio::select! {
                    _ = stop => Ok(()),
                    accepted = l.accept() => {
                        let (mut s, _) = accepted?;
                        tokio::io::AsyncWriteExt::write_all(&mut s, b"hi").await
                    }
                }
            })
            .unwrap();
        let addr = server.local_addr();
        let mut answer = String::new();
        TcpStream::connect(addr)
            .unwrap()
            .read_to_string(&mut answer)
            .unwrap();
        assert_eq!(answer, "hi");
        drop(server);
        assert!(TcpStream::connect(addr).is_err());
    }

    #[test]
    fn serve_blocking_returns_what_the_loop_returns() {
        let listener = loopback();
        let addr = listener.local_addr().unwrap();
        let r = serve_blocking("orcid-web-test", listener, |l| async move {
            assert_eq!(l.local_addr()?, addr);
            Err(io::Error::other("done"))
        });
        assert_eq!(r.unwrap_err().to_string(), "done");
    }
}
