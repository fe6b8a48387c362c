//! The required keys of a vnd.orcid+json payload.
//!
//! The model holds every property ORCID's XSD requires as an `Option`
//! (ORCID's own output writes `null` for them), so its JSON reader takes a
//! required key that is missing or `null`. A payload to send still needs
//! them: this walks the payload along the model's JSON Schema, where such
//! a key is `required` (and nullable), and names each one missing or
//! `null`, as the reader did before (`json.missing-field`).

use serde_json::{Map, Value};

/// A required key missing or `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MissingKey {
    /// JSON Pointer: of the key when it is `null`, of its object when it
    /// is missing (where the reader used to point).
    pub pointer: String,
    /// The message, as the model's reader words it.
    pub message: String,
}

/// The required keys of `value` (a document of the root whose schema is
/// `schema`) that are missing or `null`, in document order.
pub(crate) fn missing_keys(value: &Value, schema: &Value) -> Vec<MissingKey> {
    let defs = schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    walk(value, schema, &defs, &mut String::new(), &mut out, 0);
    out
}

/// How deep the walk goes (the model's documents are far shallower; a
/// hostile payload is refused by the reader first).
const MAX_DEPTH: usize = 64;

fn resolve<'a>(schema: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    let mut s = schema;
    // A `$ref` chain is short; bound it anyway.
    for _ in 0..8 {
        match s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| defs.get(name))
        {
            Some(next) => s = next,
            None => break,
        }
    }
    s
}

/// The schema without a `null` alternative: `Some(X)` for `anyOf [X, null]`.
fn non_null(schema: &Value) -> Option<&Value> {
    let any = schema.get("anyOf")?.as_array()?;
    let rest: Vec<&Value> = any
        .iter()
        .filter(|s| s.get("type").and_then(Value::as_str) != Some("null"))
        .collect();
    match rest.as_slice() {
        [one] if rest.len() < any.len() => Some(one),
        _ => None,
    }
}

fn is_nullable(schema: &Value, defs: &Map<String, Value>) -> bool {
    non_null(resolve(schema, defs)).is_some()
}

/// Whether the property is a list (the reader takes a missing or `null`
/// list as empty; the XSD layer counts its items).
fn is_list(schema: &Value, defs: &Map<String, Value>) -> bool {
    let s = resolve(schema, defs);
    let s = non_null(s).map_or(s, |inner| resolve(inner, defs));
    s.get("type").and_then(Value::as_str) == Some("array")
}

/// Of the alternatives of an `anyOf` or `oneOf` (a bulk item,
/// `{"work": …}`), the
/// object schema whose properties hold every key of `map`.
fn alternative<'a>(
    schema: &'a Value,
    map: &Map<String, Value>,
    defs: &'a Map<String, Value>,
) -> Option<&'a Value> {
    schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))?
        .as_array()?
        .iter()
        .map(|s| resolve(s, defs))
        .find(|s| {
            s.get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !map.is_empty() && map.keys().all(|k| p.contains_key(k)))
        })
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn walk(
    value: &Value,
    schema: &Value,
    defs: &Map<String, Value>,
    pointer: &mut String,
    out: &mut Vec<MissingKey>,
    depth: usize,
) {
    if depth > MAX_DEPTH || value.is_null() {
        return;
    }
    let schema = resolve(schema, defs);
    if let Some(inner) = non_null(schema) {
        return walk(value, inner, defs, pointer, out, depth + 1);
    }
    match value {
        Value::Object(map) => {
            if schema.get("properties").is_none() {
                if let Some(alt) = alternative(schema, map, defs) {
                    return walk(value, alt, defs, pointer, out, depth + 1);
                }
            }
            let Some(props) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                .unwrap_or_default();
            // Missing keys first (at the object), as the reader did on
            // leaving the object; `null` ones at their key, in order.
            for key in &required {
                let list = props.get(*key).is_some_and(|p| is_list(p, defs));
                if !list && !map.contains_key(*key) {
                    out.push(MissingKey {
                        pointer: pointer.clone(),
                        message: format!("missing field `{key}`"),
                    });
                }
            }
            for (key, v) in map {
                let Some(prop) = props.get(key) else { continue };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                if v.is_null()
                    && required.contains(&key.as_str())
                    && is_nullable(prop, defs)
                    && !is_list(prop, defs)
                {
                    out.push(MissingKey {
                        pointer: pointer.clone(),
                        message: format!(
                            "missing field `{key}`: it is null, and ORCID's schema requires a value"
                        ),
                    });
                } else {
                    walk(v, prop, defs, pointer, out, depth + 1);
                }
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            let Some(item) = schema.get("items") else {
                return;
            };
            for (i, v) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(v, item, defs, pointer, out, depth + 1);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orcid_model::Root;

    fn missing(json: &str) -> Vec<(String, String)> {
        let v: Value = serde_json::from_str(json).unwrap();
        missing_keys(&v, &Root::WorkWork.json_schema())
            .into_iter()
            .map(|m| (m.pointer, m.message))
            .collect()
    }

    #[test]
    fn a_missing_or_null_required_key_is_named_and_optional_ones_are_not() {
        assert_eq!(
            missing(r#"{"type": "BOOK", "journal-title": null}"#),
            vec![(String::new(), "missing field `title`".to_string())]
        );
        assert_eq!(
            missing(r#"{"title": {"title": null, "subtitle": null}, "type": "BOOK"}"#),
            vec![(
                "/title/title".to_string(),
                "missing field `title`: it is null, and ORCID's schema requires a value"
                    .to_string()
            )]
        );
        assert_eq!(
            missing(r#"{"title": {"title": {"value": "t"}}, "type": null}"#)[0].0,
            "/type"
        );
        assert!(missing(r#"{"title": {"title": {"value": "t"}}, "type": "BOOK"}"#).is_empty());
        // Inside arrays, with the index in the pointer.
        let m = missing(
            r#"{"title": {"title": {"value": "t"}}, "type": "BOOK",
                "external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "x"},
                                                 {"external-id-value": "y"}]}}"#,
        );
        assert_eq!(
            m,
            vec![(
                "/external-ids/external-id/1".to_string(),
                "missing field `external-id-type`".to_string()
            )]
        );
    }
}
