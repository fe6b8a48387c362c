//! `orcid schema json [--api VERSION] [ROOT]`: the JSON Schema of vnd.orcid+json.

use orcid_model::{v2_1, v3_0, Version};
use serde_json::{json, Map, Value};

use crate::cli::{SchemaArgs, SchemaKind};
use crate::error::CliError;
use crate::io;

/// The JSON Schema dialect of every schema printed.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Base of the `$id`s of the schemas printed (`urn:orcid:v3.0:json`).
fn id_base(version: Version) -> String {
    format!("urn:orcid:v{version}:json")
}

/// Runs `orcid schema`.
pub fn run(args: SchemaArgs) -> Result<(), CliError> {
    match args.kind {
        SchemaKind::Json { root, compact, api } => {
            let version = crate::config::api_version(api)?.value;
            let schema = match (root, version) {
                (None, _) => every_root(version),
                (Some(root), Version::V2_1) => root
                    .v2_1
                    .ok_or_else(|| not_a_root(root, version))?
                    .json_schema(),
                (Some(root), Version::V3_0) => root
                    .v3_0
                    .ok_or_else(|| not_a_root(root, version))?
                    .json_schema(),
            };
            let mut text = if compact {
                serde_json::to_string(&schema)
            } else {
                serde_json::to_string_pretty(&schema)
            }
            .map_err(|e| CliError::Invalid(format!("orcid: cannot write the schema: {e}")))?;
            text.push('\n');
            io::write_stdout(&text)
        }
    }
}

fn not_a_root(root: orcid_model::AnyRoot, version: Version) -> CliError {
    let name = root
        .v2_1
        .map(v2_1::Root::qualified_name)
        .or_else(|| root.v3_0.map(v3_0::Root::qualified_name))
        .unwrap_or_default();
    CliError::Usage(format!(
        "`{name}` is not a v{version} root element (say `--api 2.1|3.0`)"
    ))
}

/// Every root of `version`: (`prefix:local`, its schema).
fn roots(version: Version) -> Vec<(String, Value)> {
    match version {
        Version::V2_1 => v2_1::Root::ALL
            .iter()
            .map(|r| (r.qualified_name(), r.json_schema()))
            .collect(),
        Version::V3_0 => v3_0::Root::ALL
            .iter()
            .map(|r| (r.qualified_name(), r.json_schema()))
            .collect(),
    }
}

/// One schema for every root: each root's schema is a resource of its own
/// (with an `$id`, so its internal `#/$defs/…` references stay its own)
/// under `$defs/<prefix:local>`, and the top level is an `anyOf` of them.
pub fn every_root(version: Version) -> Value {
    let id_base = id_base(version);
    let mut defs = Map::new();
    let mut any_of = Vec::new();
    for (name, schema) in roots(version) {
        let mut schema = match schema {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        schema.remove("$schema");
        schema.insert("$id".into(), json!(format!("{id_base}:{name}")));
        defs.insert(name.clone(), Value::Object(schema));
        any_of.push(json!({ "$ref": format!("#/$defs/{name}") }));
    }
    json!({
        "$schema": DRAFT_2020_12,
        "$id": id_base,
        "title": format!("ORCID API v{version} vnd.orcid+json (any root element)"),
        "description": "Any ORCID v2.1 message in vnd.orcid+json. JSON does not name its root \
                        element: validate against `#/$defs/<prefix:local>` (e.g. \
                        `#/$defs/work:work`) to check one kind of message.",
        "anyOf": any_of,
        "$defs": defs,
    })
}
