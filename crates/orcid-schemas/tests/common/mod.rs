//! Shared helpers of the integration tests: the local mirror, tree copies and
//! a tiny HTTP server bound to 127.0.0.1 that lives as long as the test.

#![allow(dead_code)]

use std::fs;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use orcid_schemas::Lock;

/// The pinned commit of the committed lock.
pub const PINNED: &str = "0f61fa681c8e2287f390631644906c8631b5fa6c";

/// The read-only local mirror of the pinned commit, if present.
pub fn mirror() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/orcid-model");
    if dir.is_dir() {
        Some(dir.canonicalize().unwrap_or(dir))
    } else {
        println!(
            "skipping: local mirror {} is absent (see schemas/README.md)",
            dir.display()
        );
        None
    }
}

/// The committed lock file.
pub fn committed_lock_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/orcid-model.lock")
}

/// The committed lock.
pub fn committed_lock() -> Lock {
    Lock::load(&committed_lock_path()).expect("committed lock loads")
}

/// Recursively copies `src` into `dst`.
pub fn copy_tree(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Every file below `dir`, as sorted `/`-separated relative paths.
pub fn list_files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, "", &mut out);
    }
    out.sort();
    out
}

/// A route handler: request URL (path and query) to status and body.
pub type Handler = dyn Fn(&str) -> (u16, Vec<u8>) + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1:0 (one request per connection, one
/// connection at a time), stopped when dropped or after 2 minutes.
pub struct TestServer {
    pub base: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start(handler: Box<Handler>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (req_count, stop_flag) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stop_flag.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        req_count.fetch_add(1, Ordering::SeqCst);
                        let _ = serve_one(stream, &*handler);
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break,
                }
            }
        });
        TestServer {
            base: format!("http://{addr}"),
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// Number of requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn serve_one(mut stream: TcpStream, handler: &Handler) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        if stream.read(&mut byte)? == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, body) = handler(&target);
    let mut response = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if status == 200 { "OK" } else { "Error" },
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    stream.write_all(&response)?;
    stream.flush()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves `GET /raw/{commit}/src/main/resources/{path}` from `dir` for the
/// given commit, and `GET /api/git/trees/{commit}?recursive=1` as a GitHub
/// tree listing of `dir` placed under `src/main/resources/` (plus a few
/// entries outside it). Anything else is a 404.
pub fn serve_mirror(dir: PathBuf, commit: &'static str) -> TestServer {
    TestServer::start(Box::new(move |url: &str| {
        let raw_prefix = format!("/raw/{commit}/src/main/resources/");
        if let Some(path) = url.strip_prefix(&raw_prefix) {
            if path.split('/').any(|p| p == ".." || p.is_empty()) {
                return (400, b"bad path".to_vec());
            }
            return match fs::read(dir.join(path)) {
                Ok(bytes) => (200, bytes),
                Err(_) => (404, b"404: Not Found".to_vec()),
            };
        }
        if url == format!("/api/git/trees/{commit}?recursive=1") {
            return (200, tree_json(&dir, commit).into_bytes());
        }
        (404, b"404: Not Found".to_vec())
    }))
}

/// A GitHub-style recursive tree listing of `dir` under `src/main/resources/`.
pub fn tree_json(dir: &Path, commit: &str) -> String {
    let mut entries = vec![
        r#"{"path":"README.md","mode":"100644","type":"blob","sha":"0"}"#.to_owned(),
        r#"{"path":"src","mode":"040000","type":"tree","sha":"0"}"#.to_owned(),
        r#"{"path":"src/main/resources","mode":"040000","type":"tree","sha":"0"}"#.to_owned(),
        r#"{"path":"src/test/resources/record_2.1/x.xsd","mode":"100644","type":"blob","sha":"0"}"#
            .to_owned(),
        r#"{"path":"src/main/resources/record_2.1","mode":"040000","type":"tree","sha":"0"}"#
            .to_owned(),
    ];
    for path in list_files(dir) {
        entries.push(format!(
            r#"{{"path":"src/main/resources/{path}","mode":"100644","type":"blob","sha":"0","size":1}}"#
        ));
    }
    format!(
        r#"{{"sha":"{commit}","url":"x","tree":[{}],"truncated":false}}"#,
        entries.join(",")
    )
}
