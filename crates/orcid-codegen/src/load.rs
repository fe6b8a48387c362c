//! Front end: parse ORCID's XSDs with xsd-parser and interpret them into its
//! meta model (`MetaTypes`). Nothing here knows about Rust output.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use orcid_schemas::SchemaSet;
use xsd_parser::config::{
    InterpreterConfig, InterpreterFlags, ParserConfig, ParserFlags, Resolver, Schema,
};
use xsd_parser::models::meta::MetaTypes;
use xsd_parser::{exec_interpreter, exec_parser};

/// Parses and interprets the entry schemas of one version found under
/// `schema_dir`.
pub fn load(schema_dir: &Path, set: SchemaSet) -> Result<MetaTypes> {
    let version = set.version();
    // The entry schemas (and why notification-custom is not one) are
    // listed once, in orcid-schemas.
    let files: Vec<PathBuf> = set
        .entries()
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
    let schemas = files
        .into_iter()
        .map(|f| entry_schema(schema_dir, set, f))
        .collect::<Result<Vec<_>>>()?;
    let parser = ParserConfig {
        resolver: vec![Resolver::File],
        flags: ParserFlags::all(),
        schemas,
        ..ParserConfig::default()
    };
    let schemas = exec_parser(parser)
        .with_context(|| format!("xsd-parser could not parse the v{version} schemas"))?;

    let interpreter = InterpreterConfig {
        flags: InterpreterFlags::BUILDIN_TYPES
            | InterpreterFlags::DEFAULT_TYPEDEFS
            | InterpreterFlags::WITH_XS_ANY_TYPE,
        ..InterpreterConfig::default()
    };
    exec_interpreter(interpreter, &schemas)
        .with_context(|| format!("xsd-parser could not interpret the v{version} schemas"))
}

/// Imports of 2.1 files that 3.0 entry schemas make upstream, and the 3.0
/// file the generator reads in their place. `client-3.0.xsd`,
/// `group-id-3.0.xsd` and `notification-permission-3.0.xsd` import
/// `common-2.1.xsd` (and the last `activities-2.1.xsd`). One model holds one
/// definition per namespace, and ORCID's v3 Java classes for these roots use
/// the v3 common types, so the v3 model reads them against the 3.0 files;
/// the XSD validator's tables come from the same model.
const V3_0_IMPORT_REDIRECTS: &[(&str, &str)] = &[
    ("../common_2.1/common-2.1.xsd", "common_3.0/common-3.0.xsd"),
    (
        "../record_2.1/activities-2.1.xsd",
        "record_3.0/activities-3.0.xsd",
    ),
];

/// The parser's input for one entry schema: the file itself, or for a 3.0
/// entry that imports 2.1 files, its text with those imports redirected
/// ([`V3_0_IMPORT_REDIRECTS`]) to absolute paths of the 3.0 files.
fn entry_schema(schema_dir: &Path, set: SchemaSet, file: PathBuf) -> Result<Schema> {
    if set != SchemaSet::V3_0 {
        return Ok(Schema::File(file));
    }
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    if !V3_0_IMPORT_REDIRECTS
        .iter()
        .any(|(from, _)| text.contains(from))
    {
        return Ok(Schema::File(file));
    }
    let mut text = text;
    for (from, to) in V3_0_IMPORT_REDIRECTS {
        let target = std::fs::canonicalize(schema_dir.join(to))
            .with_context(|| format!("{} is missing; run `cargo xtask sync-schemas`", to))?;
        text = text.replace(from, &format!("file://{}", target.display()));
    }
    let name = std::fs::canonicalize(&file)?.display().to_string();
    Ok(Schema::NamedSchema(name, text))
}
