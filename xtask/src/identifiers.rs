//! `cargo xtask identifiers`: refreshes
//! `crates/orcid-validate/data/identifier-types.txt` from ORCID's public
//! endpoint `GET {base}/v2.1/identifiers` (`Accept: application/json`).
//!
//! The base URL is `--base-url`, else `$ORCID_PUB_BASE_URL`, else
//! `https://pub.orcid.org`. The fetching and parsing live in
//! `orcid_validate::rules::identifiers` (feature `refresh` for https), where
//! they are tested against a local server; this is a thin caller.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use orcid_validate::rules::identifiers::{
    fetch_identifier_types, identifiers_url, parse_list_file, render_identifier_file,
    DEFAULT_PUB_BASE_URL, PUB_BASE_URL_ENV,
};

/// The list file inside the workspace.
pub fn data_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("crates/orcid-validate/data/identifier-types.txt")
}

/// Reads ORCID's identifier-list answer (JSON array of objects with a
/// `name`, or `<identifiers><identifier><name>…`): the sorted, unique names.
#[allow(dead_code)] // part of the command's API; `run` fetches and parses in one go
pub fn parse_identifiers(body: &str) -> Result<Vec<String>> {
    Ok(orcid_validate::rules::identifiers::parse_identifiers(body)?)
}

/// Fetches the list from `base_url` (or `$ORCID_PUB_BASE_URL`, or
/// `https://pub.orcid.org`) and writes it, sorted and with its header, to
/// [`data_file`]. Prints what changed.
pub fn run(base_url: Option<String>) -> Result<()> {
    let base = base_url
        .or_else(|| std::env::var(PUB_BASE_URL_ENV).ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PUB_BASE_URL.to_string());
    let url = identifiers_url(&base);
    let types = fetch_identifier_types(&base)
        .with_context(|| format!("cannot refresh the identifier types from {url}"))?;
    let path = data_file();
    let old_text = std::fs::read_to_string(&path).unwrap_or_default();
    let old: Vec<&str> = parse_list_file(&old_text);
    let added: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| !old.contains(t))
        .collect();
    let removed: Vec<&str> = old
        .iter()
        .copied()
        .filter(|t| !types.iter().any(|n| n == t))
        .collect();
    let text = render_identifier_file(&types, &format!("GET {url}"));
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{}: {} identifier types ({} added, {} removed)",
        path.display(),
        types.len(),
        added.len(),
        removed.len()
    );
    if !added.is_empty() {
        println!("  added: {}", added.join(", "));
    }
    if !removed.is_empty() {
        println!("  removed: {}", removed.join(", "));
    }
    Ok(())
}
