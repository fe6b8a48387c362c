//! Front end: parse ORCID's XSDs with xsd-parser and interpret them into its
//! meta model (`MetaTypes`). Nothing here knows about Rust output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xsd_parser::config::{
    InterpreterConfig, InterpreterFlags, ParserConfig, ParserFlags, Resolver, Schema,
};
use xsd_parser::models::meta::MetaTypes;
use xsd_parser::{exec_interpreter, exec_parser};

/// Parses and interprets the v2.1 entry schemas found under `schema_dir`.
pub fn load_v2_1(schema_dir: &Path) -> Result<MetaTypes> {
    // The entry schemas (and why notification-custom is not one) are
    // listed once, in orcid-schemas.
    let files: Vec<PathBuf> = orcid_schemas::V2_1_ENTRY_SCHEMAS
        .iter()
        .map(|(_, f)| schema_dir.join(f))
        .collect();
    for f in &files {
        if !f.is_file() {
            anyhow::bail!(
                "schema file {} is missing; run `cargo xtask sync-schemas` first",
                f.display()
            );
        }
    }
    let parser = ParserConfig {
        resolver: vec![Resolver::File],
        flags: ParserFlags::all(),
        schemas: files.into_iter().map(Schema::File).collect(),
        ..ParserConfig::default()
    };
    let schemas = exec_parser(parser).context("xsd-parser could not parse the v2.1 schemas")?;

    let interpreter = InterpreterConfig {
        flags: InterpreterFlags::BUILDIN_TYPES
            | InterpreterFlags::DEFAULT_TYPEDEFS
            | InterpreterFlags::WITH_XS_ANY_TYPE,
        ..InterpreterConfig::default()
    };
    exec_interpreter(interpreter, &schemas)
        .context("xsd-parser could not interpret the v2.1 schemas")
}
