//! Building blocks of the JSON Schema (draft 2020-12) of vnd.orcid+json,
//! used by the generated `schemars::JsonSchema` implementations. The schema
//! describes what ORCID writes (R1–R16), with `null` allowed where a
//! property is absent.

use serde_json::{json, Value};

/// `T` or `null`.
pub fn nullable(s: Value) -> Value {
    json!({"anyOf": [s, {"type": "null"}]})
}

/// `{"value": T}` (R4, R8).
pub fn wrapped(s: Value) -> Value {
    json!({"type": "object", "properties": {"value": s}, "required": ["value"], "additionalProperties": false})
}

/// An array of `T` (R9).
pub fn array(s: Value) -> Value {
    json!({"type": "array", "items": s})
}

/// `{"<key>": T}`, a bulk item (R9).
pub fn single_key(key: &str, s: Value) -> Value {
    json!({"type": "object", "properties": {key: s}, "required": [key], "additionalProperties": false})
}

/// A string, with the length facets of its XSD simple type in `table`.
pub fn string(table: &'static [crate::facets::SimpleType], simple_type: Option<&str>) -> Value {
    let mut s = json!({"type": "string"});
    if let Some(t) = simple_type.and_then(|name| crate::facets::simple_type_in(table, name)) {
        if let Some(max) = t.max_length {
            s["maxLength"] = json!(max);
        }
        if let Some(min) = t.min_length {
            s["minLength"] = json!(min);
        }
        if !t.enumeration.is_empty() {
            s["enum"] = json!(t.enumeration);
        }
    }
    s
}

/// A decimal written as a string (R6: `amount`).
pub fn decimal() -> Value {
    json!({"type": "string", "pattern": "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$"})
}

/// A string from a fixed list.
pub fn string_enum(description: &str, values: &[&str]) -> schemars::Schema {
    let v = json!({"type": "string", "description": description, "enum": values});
    schemars::Schema::try_from(v).unwrap_or_default()
}
