//! Front end: parse ORCID's XSDs with xsd-parser and interpret them into its
//! meta model (`MetaTypes`). Nothing here knows about Rust output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use xsd_parser::config::{
    InterpreterConfig, InterpreterFlags, ParserConfig, ParserFlags, Resolver, Schema,
};
use xsd_parser::models::meta::MetaTypes;
use xsd_parser::{exec_interpreter, exec_parser};

/// The v2.1 schema files that together define every member-API root element,
/// relative to the synced `src/main/resources` folder. The order is fixed
/// because xsd-parser's output order follows it.
///
/// `record-2.1.xsd` imports every record section; bulk, search, group-id,
/// notification-permission and client are separate entry points.
/// `notification-custom-2.1.xsd` is left out on purpose: it declares a second
/// `notification:notification` element in the same namespace as
/// notification-permission, and custom notifications are not member-writable.
pub const V2_1_ENTRY_SCHEMAS: &[&str] = &[
    "record_2.1/record-2.1.xsd",
    "record_2.1/bulk-2.1.xsd",
    "record_2.1/search-2.1.xsd",
    "group-id-2.1/group-id-2.1.xsd",
    "notification_2.1/notification-permission-2.1.xsd",
    "client_2.1/client-2.1.xsd",
];

/// Parses and interprets the v2.1 entry schemas found under `schema_dir`.
pub fn load_v2_1(schema_dir: &Path) -> Result<MetaTypes> {
    let files: Vec<PathBuf> = V2_1_ENTRY_SCHEMAS
        .iter()
        .map(|f| schema_dir.join(f))
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
