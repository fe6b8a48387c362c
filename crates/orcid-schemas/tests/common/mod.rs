//! The schemas tests' own helpers: the local mirror of the pinned commit,
//! the committed lock, and a canned server that plays GitHub (tree copies
//! and the HTTP server itself come from `orcid-test-kit`).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use orcid_schemas::Lock;
use orcid_test_kit::http::Canned;
pub use orcid_test_kit::http::TestServer;
pub use orcid_test_kit::paths::{copy_tree, list_files};
use orcid_test_kit::paths::{shared_dir, workspace_root};

/// The pinned commit of the committed lock.
pub const PINNED: &str = "0f61fa681c8e2287f390631644906c8631b5fa6c";

/// The read-only local mirror of the pinned commit, if present.
pub fn mirror() -> Option<PathBuf> {
    let dir = shared_dir().join("orcid-model");
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
    workspace_root().join("schemas/orcid-model.lock")
}

/// The committed lock.
pub fn committed_lock() -> Lock {
    Lock::load(&committed_lock_path()).expect("committed lock loads")
}

/// An answer with no content type.
fn answer(status: u16, body: Vec<u8>) -> Canned {
    Canned::new(status).bytes(body)
}

/// Serves `GET /raw/{commit}/src/main/resources/{path}` from `dir` for the
/// given commit, and `GET /api/git/trees/{commit}?recursive=1` as a GitHub
/// tree listing of `dir` placed under `src/main/resources/` (plus a few
/// entries outside it). Anything else is a 404.
pub fn serve_mirror(dir: PathBuf, commit: &'static str) -> TestServer {
    TestServer::start(move |request, _| {
        let url = request.target.as_str();
        let raw_prefix = format!("/raw/{commit}/src/main/resources/");
        if let Some(path) = url.strip_prefix(&raw_prefix) {
            if path.split('/').any(|p| p == ".." || p.is_empty()) {
                return answer(400, b"bad path".to_vec());
            }
            return match fs::read(dir.join(path)) {
                Ok(bytes) => answer(200, bytes),
                Err(_) => answer(404, b"404: Not Found".to_vec()),
            };
        }
        if url == format!("/api/git/trees/{commit}?recursive=1") {
            return answer(200, tree_json(&dir, commit).into_bytes());
        }
        answer(404, b"404: Not Found".to_vec())
    })
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
