//! The SARIF 2.1.0 format, for code-scanning tools.
//!
//! One run of the tool `orcid`; its rules are the diagnostic codes found,
//! each result points at the file (`artifactLocation.uri`, relative paths
//! stay relative) and line:column (in Unicode code points,
//! `columnKind: unicodeCodePoints`), and carries the predicted ORCID error
//! in `properties`. Unreadable inputs are tool execution notifications.

use std::path::Path;

use orcid_validate::Diagnostic;
use serde_json::{json, Map, Value};

use super::{severity_name, FileResult, Outcome};

/// The SARIF document (pretty, ending in a newline).
pub fn document(files: &[FileResult]) -> String {
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    let mut notifications: Vec<Value> = Vec::new();
    for f in files {
        let report = match &f.outcome {
            Outcome::Checked(r) => r,
            Outcome::Unreadable(msg) => {
                notifications.push(json!({
                    "level": "error",
                    "message": {"text": msg},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&f.path)}}}],
                }));
                continue;
            }
        };
        for d in &report.diagnostics {
            let index = match rule_ids.iter().position(|id| *id == d.code.as_str()) {
                Some(i) => i,
                None => {
                    rule_ids.push(d.code.as_str());
                    rules.push(rule(d));
                    rules.len() - 1
                }
            };
            results.push(result(&f.path, d, index));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "orcid",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// A `reportingDescriptor` for the code of `d`.
fn rule(d: &Diagnostic) -> Value {
    let mut rule = Map::new();
    rule.insert("id".into(), json!(d.code));
    let description = d.code.summary();
    rule.insert("shortDescription".into(), json!({ "text": description }));
    if let Some(hint) = &d.hint {
        rule.insert("help".into(), json!({ "text": hint }));
    }
    rule.insert(
        "defaultConfiguration".into(),
        json!({"level": severity_name(d.severity)}),
    );
    if let Some(e) = d.orcid_error {
        rule.insert(
            "properties".into(),
            json!({"orcidErrorCode": e.code, "httpStatus": e.http}),
        );
    }
    Value::Object(rule)
}

/// A `result`.
fn result(path: &str, d: &Diagnostic, rule_index: usize) -> Value {
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": uri(path) }));
    let mut location = Map::new();
    if let Some(l) = &d.location {
        if l.line > 0 {
            let mut region = json!({ "startLine": l.line });
            if l.column > 0 {
                region["startColumn"] = json!(l.column);
            }
            physical.insert("region".into(), region);
        }
        if !l.path.is_empty() {
            location.insert(
                "logicalLocations".into(),
                json!([{ "fullyQualifiedName": l.path }]),
            );
        }
    }
    location.insert("physicalLocation".into(), Value::Object(physical));
    let mut properties = Map::new();
    if let Some(e) = d.orcid_error {
        properties.insert("orcidErrorCode".into(), json!(e.code));
        properties.insert("httpStatus".into(), json!(e.http));
    }
    if let Some(l) = &d.location {
        if !l.path.is_empty() {
            properties.insert("path".into(), json!(l.path));
        }
    }
    if let Some(hint) = &d.hint {
        properties.insert("hint".into(), json!(hint));
    }
    json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": severity_name(d.severity),
        "message": { "text": d.message },
        "locations": [Value::Object(location)],
        "properties": Value::Object(properties),
    })
}

/// A URI reference for a path: relative paths stay relative (with `/`),
/// absolute ones become `file:` URIs; everything but unreserved characters
/// and `/` is percent-encoded.
fn uri(path: &str) -> String {
    let normalized = path.replace('\\', "/");
    let absolute = Path::new(path).is_absolute() || normalized.starts_with('/');
    let mut out = String::new();
    if absolute {
        out.push_str("file://");
        if !normalized.starts_with('/') {
            out.push('/');
        }
    }
    for b in normalized.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if absolute => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris() {
        assert_eq!(uri("fixtures/work.xml"), "fixtures/work.xml");
        assert_eq!(uri("a b/c:d.xml"), "a%20b/c%3Ad.xml");
        assert_eq!(uri("/tmp/x.xml"), "file:///tmp/x.xml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("é.xml"), "%C3%A9.xml");
    }
}
