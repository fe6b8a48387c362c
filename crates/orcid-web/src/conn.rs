//! The HTTP/1.1 serve loop of the toolkit's servers, with the limits that
//! keep one client from holding a connection open forever: a request head
//! must arrive within [`Timeouts::header_read`], and a connection on which
//! nothing moves while it waits on its client is closed after
//! [`Timeouts::idle`].

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;

/// The `tracing` target of the request log: one `info` event per request
/// answered by [`serve_http1`] (and so [`serve_router`]), with the fields
/// `method`, `path` (never the query string), `status` (`"dropped"` when
/// the handler closed the connection instead) and `duration_ms`.
pub const REQUEST_LOG_TARGET: &str = "orcid_web::request";

/// How long a client may take to send a request's head (request line and
/// headers) by default: 10 s. Browsers and HTTP clients send it at once.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection may stay without a byte moving while it waits on
/// its client (for a request, a request body, or to take the answer) by
/// default: 60 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The time limits of a connection to the toolkit's servers.
///
/// A connection that breaks one is closed (without an answer): a client
/// that sends half a request and then nothing does not keep it open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The time from when the server starts waiting for a request (after
    /// accepting the connection, or after the previous answer on a kept-alive
    /// one) until its head (request line and headers) is complete. Default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub header_read: Duration,
    /// The time a connection may stay without a byte read or written while
    /// the server waits on the client: for a request, the rest of a request
    /// body, or for the client to take the answer. The time a handler takes
    /// to compute its answer does not count. Default
    /// [`DEFAULT_IDLE_TIMEOUT`].
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: DEFAULT_HEADER_READ_TIMEOUT,
            idle: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// Serves `router` on `listener` over HTTP/1.1 with `timeouts` until
/// `shutdown` completes; then stops accepting, lets the requests under way
/// finish and closes idle connections.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let handler = move |req: Request| {
        let mut router = router.clone();
        async move { tower_service::Service::call(&mut router, req).await }
    };
    serve_http1(listener, handler, timeouts, shutdown).await
}

/// Like [`serve_router`], with a handler of your own: an `Err` from
/// `handler` closes the connection without an answer (a fault a test
/// server may want to inject).
pub async fn serve_http1<H, Fut, E>(
    listener: TcpListener,
    handler: H,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    H: Fn(Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Response, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    let (stop, stopped) = watch::channel(());
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let handler = handler.clone();
                    connections.spawn(connection(stream, handler, timeouts, stopped.clone()));
                }
                Err(e) => {
                    // Out of file descriptors, most likely: let some close.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
    drop(listener);
    let _ = stop.send(());
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Serves one connection until it ends, breaks a limit, or is told to stop.
async fn connection<H, Fut, E>(
    stream: TcpStream,
    handler: H,
    timeouts: Timeouts,
    mut stop: watch::Receiver<()>,
) where
    H: Fn(Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Response, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    let activity = Arc::new(Activity::new());
    let watched = activity.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let busy = Busy::new(watched.clone());
        let req = req.map(|inner| {
            Body::new(WatchedBody {
                inner,
                activity: watched.clone(),
            })
        });
        // The request log: never the query string (it may carry codes or
        // tokens), only method, path, status and time taken.
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let started = std::time::Instant::now();
        let answer = handler(req);
        async move {
            let answer = answer.await;
            drop(busy);
            let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
            let duration_ms = (duration_ms * 10.0).round() / 10.0;
            match &answer {
                Ok(resp) => tracing::info!(
                    target: REQUEST_LOG_TARGET,
                    method = %method,
                    path = %path,
                    status = resp.status().as_u16(),
                    duration_ms,
                    "request"
                ),
                Err(_) => tracing::info!(
                    target: REQUEST_LOG_TARGET,
                    method = %method,
                    path = %path,
                    status = "dropped",
                    duration_ms,
                    "request"
                ),
            }
            answer
        }
    });
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let stalled = activity.stalled(timeouts.idle);
    tokio::pin!(stalled);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection closed");
                }
                return;
            }
            () = &mut stalled => {
                tracing::debug!(idle = ?timeouts.idle, "closing a stalled connection");
                return;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// What a connection is doing, for its idle limit.
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last byte read or written.
    last: AtomicU64,
    /// Requests whose handler is computing the answer.
    busy: AtomicUsize,
    /// A handler waits for more of its request's body.
    body_wait: AtomicBool,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
            body_wait: AtomicBool::new(false),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// How long since a byte last moved.
    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }

    /// Whether the server waits on the client rather than on a handler.
    fn waits_on_client(&self) -> bool {
        self.busy.load(Ordering::Relaxed) == 0 || self.body_wait.load(Ordering::Relaxed)
    }

    /// Completes once nothing moved for `idle` while waiting on the client.
    async fn stalled(&self, idle: Duration) {
        loop {
            let quiet = self.quiet_for();
            if quiet >= idle {
                if self.waits_on_client() {
                    return;
                }
                // A handler is at work: look again one limit later.
                tokio::time::sleep(idle).await;
            } else {
                tokio::time::sleep(idle - quiet).await;
            }
        }
    }
}

/// A handler at work, for as long as it lives.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: Arc<Activity>) -> Busy {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.body_wait.store(false, Ordering::Relaxed);
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The connection's socket, noting every byte that moves.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request body, noting when its handler waits for more of it.
struct WatchedBody {
    inner: Incoming,
    activity: Arc<Activity>,
}

impl hyper::body::Body for WatchedBody {
    type Data = <Incoming as hyper::body::Body>::Data;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let poll = Pin::new(&mut self.inner).poll_frame(cx);
        self.activity
            .body_wait
            .store(poll.is_pending(), Ordering::Relaxed);
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for WatchedBody {
    fn drop(&mut self) {
        self.activity.body_wait.store(false, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::Instant as StdInstant;

    use axum::routing::{get, post};

    use super::*;
    use crate::BackgroundServer;

    /// A generous bound a correct server never approaches: the test fails
    /// (rather than hangs) if the connection stays open.
    const NEVER: Duration = Duration::from_secs(30);

    fn server(timeouts: Timeouts) -> BackgroundServer {
        let router = Router::new()
            .route("/", get(|| async { "hello" }))
            .route("/echo", post(|body: String| async move { body }))
            .route(
                "/slow",
                get(|| async {
                    // Longer than the idle limit: the handler's own time
                    // does not count.
                    tokio::time::sleep(Duration::from_millis(600)).await;
                    "late"
                }),
            );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        BackgroundServer::start("orcid-web-test", listener, router, timeouts).unwrap()
    }

    /// Sends `bytes`, then reads until the server closes the connection
    /// (or [`NEVER`] passes: an error). What the server sent, and when.
    fn send_then_read(addr: SocketAddr, bytes: &[u8]) -> (io::Result<String>, Duration) {
        let started = StdInstant::now();
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(NEVER)).unwrap();
        s.write_all(bytes).unwrap();
        let mut answer = Vec::new();
        let read = s
            .read_to_end(&mut answer)
            .map(|_| String::from_utf8_lossy(&answer).into_owned());
        (read, started.elapsed())
    }

    const SHORT: Duration = Duration::from_millis(200);

    #[test]
    fn half_a_request_line_is_closed_after_the_header_timeout() {
        let server = server(Timeouts {
            header_read: SHORT,
            idle: NEVER * 2,
        });
        let (read, took) = send_then_read(server.local_addr(), b"GET /hal");
        let answer = read.expect("the server closes the connection");
        assert!(!answer.contains("200 OK"), "{answer}");
        assert!(took >= SHORT, "{took:?}");
        // Nothing at all: closed too.
        let (read, _) = send_then_read(server.local_addr(), b"");
        read.expect("the server closes an idle connection");
        // Whole requests are served as before.
        let (read, _) = send_then_read(
            server.local_addr(),
            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert!(read.unwrap().ends_with("hello"));
    }

    #[test]
    fn a_stalled_body_is_closed_after_the_idle_timeout() {
        let server = server(Timeouts {
            header_read: NEVER * 2,
            idle: SHORT,
        });
        let (read, took) = send_then_read(
            server.local_addr(),
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part",
        );
        let answer = read.expect("the server closes the connection");
        assert!(!answer.contains("200 OK"), "{answer}");
        assert!(took >= SHORT, "{took:?}");
    }

    #[test]
    fn a_handler_may_take_longer_than_the_idle_timeout() {
        let server = server(Timeouts {
            header_read: NEVER * 2,
            idle: SHORT,
        });
        let (read, _) = send_then_read(
            server.local_addr(),
            b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        let answer = read.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("late"), "{answer}");
    }

    #[test]
    fn defaults() {
        let t = Timeouts::default();
        assert_eq!(t.header_read, Duration::from_secs(10));
        assert_eq!(t.idle, Duration::from_secs(60));
    }
}
