//! `orcid schema json [ROOT]`: the JSON Schema of vnd.orcid+json.

use orcid_model::Root;
use serde_json::{json, Map, Value};

use crate::cli::{SchemaArgs, SchemaKind};
use crate::error::CliError;
use crate::io;

/// The JSON Schema dialect of every schema printed.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Base of the `$id`s of the schemas printed.
const ID_BASE: &str = "urn:orcid:v2.1:json";

/// Runs `orcid schema`.
pub fn run(args: SchemaArgs) -> Result<(), CliError> {
    match args.kind {
        SchemaKind::Json { root, compact } => {
            let schema = match root {
                Some(root) => root.json_schema(),
                None => every_root(),
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

/// One schema for every root: each root's schema is a resource of its own
/// (with an `$id`, so its internal `#/$defs/…` references stay its own)
/// under `$defs/<prefix:local>`, and the top level is an `anyOf` of them.
pub fn every_root() -> Value {
    let mut defs = Map::new();
    let mut any_of = Vec::new();
    for &root in Root::ALL {
        let name = root.qualified_name();
        let mut schema = match root.json_schema() {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        schema.remove("$schema");
        schema.insert("$id".into(), json!(format!("{ID_BASE}:{name}")));
        defs.insert(name.clone(), Value::Object(schema));
        any_of.push(json!({ "$ref": format!("#/$defs/{name}") }));
    }
    json!({
        "$schema": DRAFT_2020_12,
        "$id": ID_BASE,
        "title": "ORCID API v2.1 vnd.orcid+json (any root element)",
        "description": "Any ORCID v2.1 message in vnd.orcid+json. JSON does not name its root \
                        element: validate against `#/$defs/<prefix:local>` (e.g. \
                        `#/$defs/work:work`) to check one kind of message.",
        "anyOf": any_of,
        "$defs": defs,
    })
}
