//! The JSON Schema of vnd.orcid+json accepts what ORCID (and we) write:
//! every JSON fixture, the real record, and the JSON image of every
//! upstream sample; and it rejects what ORCID rejects on read.

mod support;

use orcid_model::{Document, Root};
use orcid_test_kit::paths::{real_record, schema_cache};
use orcid_test_kit::samples::{known_issue, v2_1_samples};
use serde_json::Value;

fn validator(root: Root) -> jsonschema::Validator {
    let schema = root.json_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{}: invalid schema: {e}", root.qualified_name()))
}

fn assert_valid(root: Root, json: &Value, what: &str) {
    let v = validator(root);
    let errors: Vec<String> = v
        .iter_errors(json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn real_record_json_matches_the_schema() {
    let (_, json) = real_record();
    assert_valid(
        Root::RecordRecord,
        &serde_json::from_str(&json).unwrap(),
        "real record",
    );
}

#[test]
fn json_image_of_every_sample_matches_the_schema() {
    for rel in v2_1_samples() {
        if known_issue(&rel).is_some() {
            continue;
        }
        let doc = Document::from_xml(&std::fs::read_to_string(schema_cache().join(&rel)).unwrap())
            .unwrap();
        let json: Value = serde_json::from_str(&doc.to_json(false).unwrap()).unwrap();
        assert_valid(doc.root(), &json, &rel);
    }
}

#[test]
fn every_json_fixture_matches_the_schema() {
    let dir = orcid_test_kit::paths::workspace_root().join("fixtures");
    let mut checked = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with("invalid") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let Ok(doc) = Document::from_json(&text, None) else {
                continue;
            };
            assert_valid(
                doc.root(),
                &serde_json::from_str(&text).unwrap(),
                &p.display().to_string(),
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} JSON fixtures checked");
}

#[test]
fn schema_rejects_what_orcid_rejects() {
    let v = validator(Root::WorkWork);
    let bad_enum =
        serde_json::json!({"title": {"title": {"value": "t"}}, "type": "journal-article"});
    assert!(!v.is_valid(&bad_enum), "XML enum spelling must fail (R7)");
    let unknown =
        serde_json::json!({"title": {"title": {"value": "t"}}, "type": "BOOK", "xput-code": 1});
    assert!(!v.is_valid(&unknown), "unknown keys must fail (R10)");
    let ok = serde_json::json!({"title": {"title": {"value": "t"}}, "type": "BOOK", "put-code": 12, "url": null});
    assert!(v.is_valid(&ok));
    let string_put_code =
        serde_json::json!({"title": {"title": {"value": "t"}}, "type": "BOOK", "put-code": "12"});
    assert!(!v.is_valid(&string_put_code), "put-code is a number (R3)");
}
