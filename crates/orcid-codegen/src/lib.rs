//! Code generator for the ORCID v2.1 model.
//!
//! The pipeline is: ORCID's XSDs (synced by `cargo xtask sync-schemas`) ->
//! xsd-parser's parser and interpreter ([`load`]) -> the project's IR
//! ([`ir`], with the vnd.orcid+json facts of [`json_rules`]) -> Rust source
//! ([`render`]) written into `crates/orcid-model/src/v2_1/`.
//!
//! ```no_run
//! let files = orcid_codegen::generate(std::path::Path::new("schemas/cache"), "0f61fa6")?;
//! assert!(files.contains_key("work.rs"));
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod ir;
pub mod json_rules;
pub mod load;
pub mod render;
pub mod sections;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Where generated files go, relative to the workspace root.
pub const OUTPUT_DIR: &str = "crates/orcid-model/src/v2_1";
/// Where synced schemas are, relative to the workspace root.
pub const SCHEMA_DIR: &str = "schemas/cache";
/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "schemas/orcid-model.lock";

/// Builds the IR from the schemas in `schema_dir`.
pub fn model(schema_dir: &Path) -> Result<ir::Model> {
    let meta = load::load_v2_1(schema_dir)?;
    ir::build(&meta, &json_rules::Rules)
}

/// Generates every file: file name (inside [`OUTPUT_DIR`]) -> contents.
pub fn generate(schema_dir: &Path, pinned_commit: &str) -> Result<BTreeMap<String, String>> {
    render::render(&model(schema_dir)?, pinned_commit)
}

/// Reads the pinned commit from the lock file.
pub fn pinned_commit(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join(LOCK_FILE))
        .with_context(|| format!("reading {LOCK_FILE}"))?;
    for line in lock.lines() {
        if let Some(rest) = line.trim().strip_prefix("commit") {
            let v = rest.trim().trim_start_matches('=').trim().trim_matches('"');
            if !v.is_empty() {
                return Ok(v.to_string());
            }
        }
    }
    bail!("{LOCK_FILE} has no `commit = \"…\"` line")
}

/// Finds the workspace root (the folder holding `crates/orcid-codegen`).
pub fn workspace_root() -> Result<PathBuf> {
    let mut dir = std::env::current_dir()?;
    loop {
        if dir.join("crates/orcid-codegen/Cargo.toml").is_file() {
            return Ok(dir);
        }
        if !dir.pop() {
            bail!("not inside the orcid-toolkit workspace");
        }
    }
}

/// Files whose on-disk contents differ from what the generator produces.
pub fn stale_files(root: &Path) -> Result<Vec<String>> {
    let files = generate(&root.join(SCHEMA_DIR), &pinned_commit(root)?)?;
    let out = root.join(OUTPUT_DIR);
    let mut stale = Vec::new();
    for (name, text) in &files {
        let on_disk = std::fs::read_to_string(out.join(name)).unwrap_or_default();
        if &on_disk != text {
            stale.push(name.clone());
        }
    }
    if let Ok(entries) = std::fs::read_dir(&out) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".rs") && !files.contains_key(&name) {
                stale.push(format!("{name} (not generated any more)"));
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// `cargo xtask codegen [--check]`.
pub fn run_cli(check: bool) -> Result<()> {
    let root = workspace_root()?;
    if check {
        let stale = stale_files(&root)?;
        if stale.is_empty() {
            println!("generated code in {OUTPUT_DIR} is fresh");
            return Ok(());
        }
        bail!(
            "generated code is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        );
    }
    let files = generate(&root.join(SCHEMA_DIR), &pinned_commit(&root)?)?;
    let out = root.join(OUTPUT_DIR);
    std::fs::create_dir_all(&out)?;
    if let Ok(entries) = std::fs::read_dir(&out) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if name.ends_with(".rs") && !files.contains_key(&name) {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    let mut lines = 0;
    for (name, text) in &files {
        lines += text.lines().count();
        std::fs::write(out.join(name), text)?;
    }
    println!(
        "wrote {} files ({lines} lines) to {OUTPUT_DIR}",
        files.len()
    );
    Ok(())
}
