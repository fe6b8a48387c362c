//! A tiny HTTP/1.1 server on 127.0.0.1 with canned answers that records
//! every request it gets. One request per connection (`Connection: close`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use orcid_client::{ClientConfig, Environment, OrcidClient, RetryPolicy};

/// A request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }

    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Canned {
    pub fn new(status: u16) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    pub fn header(mut self, k: &str, v: &str) -> Canned {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn body(mut self, content_type: &str, body: &str) -> Canned {
        self.headers
            .push(("Content-Type".to_string(), content_type.to_string()));
        self.body = body.to_string();
        self
    }

    pub fn json(self, body: &str) -> Canned {
        self.body("application/json;charset=UTF-8", body)
    }

    pub fn xml(self, body: &str) -> Canned {
        self.body("application/vnd.orcid+xml; qs=5;charset=UTF-8", body)
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Canned + Send + Sync + 'static;

pub struct TestServer {
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server; `handler` gets each request and its 0-based index.
    pub fn start(
        handler: impl Fn(&Recorded, usize) -> Canned + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, stop2) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let _ = serve(stream, &reqs, &*handler);
            }
        });
        TestServer {
            base,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// Answers every request with the same thing.
    pub fn always(canned: Canned) -> TestServer {
        TestServer::start(move |_, _| canned.clone())
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// A config pointing at this server: no rate limit, fast retries.
    pub fn config(&self) -> ClientConfig {
        ClientConfig::new(
            "APP-TESTCLIENT0001",
            "client-secret-value-0123",
            "https://app.example.org/orcid/callback",
            Environment::custom(&self.base),
        )
        .with_rate_limit(None)
        .with_retry(RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_millis(50),
        })
    }

    pub fn client(&self) -> OrcidClient {
        OrcidClient::new(self.config()).unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(stream: TcpStream, reqs: &Mutex<Vec<Recorded>>, handler: &Handler) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let rec = Recorded {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
    };
    let index = {
        let mut r = reqs.lock().unwrap();
        r.push(rec.clone());
        r.len() - 1
    };
    let canned = handler(&rec, index);
    let mut out = format!("HTTP/1.1 {} X\r\n", canned.status);
    for (k, v) in &canned.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        canned.body.len()
    ));
    out.push_str(&canned.body);
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

pub const ORCID: &str = "0000-0002-1825-0097";

pub fn orcid() -> orcid_model::scalar::OrcidId {
    orcid_model::scalar::OrcidId(ORCID.to_string())
}

/// A valid work (no put-code unless given).
pub fn work_xml(title: &str, doi: &str, put_code: Option<i64>) -> String {
    let pc = put_code
        .map(|p| format!(r#" put-code="{p}""#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"{pc}>
    <work:title><common:title>{title}</common:title></work:title>
    <work:type>journal-article</work:type>
    <common:external-ids>
        <common:external-id>
            <common:external-id-type>doi</common:external-id-type>
            <common:external-id-value>{doi}</common:external-id-value>
            <common:external-id-relationship>self</common:external-id-relationship>
        </common:external-id>
    </common:external-ids>
</work:work>"#
    )
}

pub fn work_doc(title: &str, doi: &str, put_code: Option<i64>) -> orcid_model::Document {
    orcid_model::Document::from_xml(&work_xml(title, doi, put_code)).unwrap()
}

pub fn work(title: &str, doi: &str) -> orcid_model::v2_1::work::Work {
    match work_doc(title, doi, None) {
        orcid_model::Document::WorkWork(w) => *w,
        _ => unreachable!(),
    }
}

pub const TOKEN_JSON: &str = r#"{"access_token":"8a7f2c3e-1111-4222-8333-944445555666","token_type":"bearer","refresh_token":"9b8e3d4f-aaaa-4bbb-8ccc-dddddddddddd","expires_in":631138518,"scope":"/read-limited /activities/update /person/update","name":"Sofia Garcia","orcid":"0000-0002-1825-0097"}"#;
pub const ACCESS_TOKEN: &str = "8a7f2c3e-1111-4222-8333-944445555666";
pub const REFRESH_TOKEN: &str = "9b8e3d4f-aaaa-4bbb-8ccc-dddddddddddd";
pub const CLIENT_SECRET: &str = "client-secret-value-0123";
