//! Where the tests' data lives, and copies of directory trees.

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root (`fixtures/`, `schemas/` live there).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fixtures/` of the workspace, or a path below it.
pub fn fixture(rel: &str) -> PathBuf {
    workspace_root().join("fixtures").join(rel)
}

/// The data shared between worktrees, next to the workspace (`../shared`):
/// ORCID's schemas and samples, and a real record.
pub fn shared_dir() -> PathBuf {
    workspace_root().join("../shared")
}

/// The corpus of real ORCID payloads indexed by `fixtures/real/INDEX.tsv`
/// (`../shared/orcid-corpus`: gathered from public projects, kept out of
/// the repository as fetched data must be). `None`, with a note on stderr,
/// on a machine without it, unless `ORCID_REAL_CORPUS=require` (then it
/// panics).
pub fn real_corpus_dir() -> Option<PathBuf> {
    let dir = shared_dir().join("orcid-corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    crate::optional::missing(
        "ORCID_REAL_CORPUS",
        &format!(
            "{} is missing (see fixtures/real/PROVENANCE.md)",
            dir.display()
        ),
    );
    None
}

/// One row of `fixtures/real/INDEX.tsv`: a file of the real corpus.
#[derive(Debug, Clone)]
pub struct RealCorpusEntry {
    /// Path below the corpus folder.
    pub path: String,
    /// API version (`2.0`, `2.1`, `3.0`).
    pub version: String,
    /// `xml` or `json`.
    pub format: String,
    /// The root element's local name.
    pub root: String,
    /// `response`, `request` or `fixture`.
    pub kind: String,
}

/// The rows of `fixtures/real/INDEX.tsv` (its header checked).
pub fn real_corpus_index() -> Vec<RealCorpusEntry> {
    let path = fixture("real/INDEX.tsv");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("INDEX.tsv is empty")
        .split('\t')
        .collect();
    assert_eq!(
        &header[..5],
        ["path", "version", "format", "root", "kind"],
        "INDEX.tsv header"
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), header.len(), "INDEX.tsv row {l:?}");
            RealCorpusEntry {
                path: f[0].to_owned(),
                version: f[1].to_owned(),
                format: f[2].to_owned(),
                root: f[3].to_owned(),
                kind: f[4].to_owned(),
            }
        })
        .collect()
}

/// The synced upstream files (`cargo xtask sync-schemas`); panics with the
/// command to run when they are missing.
pub fn schema_cache() -> PathBuf {
    let dir = workspace_root().join("schemas/cache");
    assert!(
        dir.join("record_2.1/record-2.1.xsd").is_file(),
        "schemas/cache is empty: run `cargo xtask sync-schemas` first"
    );
    dir
}

/// The real ORCID record in the format `ext` (`xml` or `json`).
pub fn real_record_path(ext: &str) -> PathBuf {
    shared_dir()
        .join("orcid-real/v2.1")
        .join(format!("record-0000-0003-0902-4386.{ext}"))
}

/// The real ORCID record pair: (XML, JSON).
pub fn real_record() -> (String, String) {
    real_record_of("v2.1")
}

/// The real ORCID record pair as ORCID served it in API `version`
/// (`v2.1`, `v3.0`): (XML, JSON).
pub fn real_record_of(version: &str) -> (String, String) {
    let read = |ext: &str| {
        let path = shared_dir()
            .join("orcid-real")
            .join(version)
            .join(format!("record-0000-0003-0902-4386.{ext}"));
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    (read("xml"), read("json"))
}

/// Recursively copies `src` into `dst` (created if missing).
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

/// Every file below `dir`, as sorted `/`-separated relative paths (none if
/// `dir` is not a directory).
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
