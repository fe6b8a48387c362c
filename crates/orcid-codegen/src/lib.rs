//! Code generator for the ORCID v2.1 and v3.0 models.
//!
//! The pipeline is: ORCID's XSDs (synced by `cargo xtask sync-schemas`) ->
//! xsd-parser's parser and interpreter ([`load`]) -> the project's IR
//! ([`ir`], with the vnd.orcid+json facts of [`json_rules`]) -> Rust source
//! ([`render`]) written into `crates/orcid-model/src/v2_1/` and `.../v3_0/`.
//! One generator serves both versions; what differs between them is data
//! ([`json_rules::Rules`], the entry schemas of [`orcid_schemas::SchemaSet`]).
//!
//! ```no_run
//! use orcid_schemas::SchemaSet;
//! let files = orcid_codegen::generate(std::path::Path::new("schemas/cache"), "0f61fa6", SchemaSet::V3_0)?;
//! assert!(files.contains_key("distinction.rs"));
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
pub use orcid_schemas::SchemaSet;

/// Where the generated files of one version go, relative to the workspace
/// root (`crates/orcid-model/src/v2_1`).
pub fn output_dir(set: SchemaSet) -> String {
    format!("crates/orcid-model/src/{}", render::module_name(set))
}
/// Where synced schemas are, relative to the workspace root.
pub const SCHEMA_DIR: &str = "schemas/cache";
/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "schemas/orcid-model.lock";

/// Builds the IR of one version from the schemas in `schema_dir`.
pub fn model(schema_dir: &Path, set: SchemaSet) -> Result<ir::Model> {
    let meta = load::load(schema_dir, set)?;
    ir::build(&meta, &json_rules::Rules::new(set))
}

/// Generates every file of one version: file name (inside [`output_dir`])
/// -> contents.
pub fn generate(
    schema_dir: &Path,
    pinned_commit: &str,
    set: SchemaSet,
) -> Result<BTreeMap<String, String>> {
    render::render(&model(schema_dir, set)?, pinned_commit)
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

/// Generated `.rs` files on disk in `out` that the generator no longer
/// produces.
fn leftovers(out: &Path, files: &BTreeMap<String, String>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.ends_with(".rs") && !files.contains_key(&name)
        })
        .map(|e| e.path())
        .collect()
}

/// Files (as `<module>/<name>`) whose on-disk contents differ from what the
/// generator produces, for every version.
pub fn stale_files(root: &Path) -> Result<Vec<String>> {
    let commit = pinned_commit(root)?;
    let mut stale = Vec::new();
    for set in SchemaSet::ALL {
        let module = render::module_name(set);
        let files = generate(&root.join(SCHEMA_DIR), &commit, set)?;
        let out = root.join(output_dir(set));
        for (name, text) in &files {
            let on_disk = std::fs::read_to_string(out.join(name)).unwrap_or_default();
            if &on_disk != text {
                stale.push(format!("{module}/{name}"));
            }
        }
        for p in leftovers(&out, &files) {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            stale.push(format!("{module}/{name} (not generated any more)"));
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
            println!("generated code in crates/orcid-model/src/{{v2_1,v3_0}} is fresh");
            return Ok(());
        }
        bail!(
            "generated code is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        );
    }
    let commit = pinned_commit(&root)?;
    for set in SchemaSet::ALL {
        let files = generate(&root.join(SCHEMA_DIR), &commit, set)?;
        let out_rel = output_dir(set);
        let out = root.join(&out_rel);
        std::fs::create_dir_all(&out)?;
        for p in leftovers(&out, &files) {
            std::fs::remove_file(p)?;
        }
        let mut lines = 0;
        for (name, text) in &files {
            lines += text.lines().count();
            std::fs::write(out.join(name), text)?;
        }
        println!("wrote {} files ({lines} lines) to {out_rel}", files.len());
    }
    Ok(())
}
