//! A required key missing or `null` in a JSON payload: the model reads it
//! (ORCID's own output has them), validation refuses it as
//! `json.missing-field` at its JSON pointer, as the reader used to.

use orcid_model::Root;
use orcid_validate::{validate_json, Context};

const IDS: &str = r#""external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "10.5555/1", "external-id-relationship": "SELF"}]}"#;

fn findings(json: &str) -> Vec<(String, String, String)> {
    validate_json(json, Some(Root::WorkWork), &Context::default())
        .diagnostics
        .into_iter()
        .map(|d| {
            (
                d.code.to_string(),
                d.location.map(|l| l.path).unwrap_or_default(),
                d.message,
            )
        })
        .collect()
}

#[test]
fn a_null_or_missing_required_key_is_a_missing_field_at_its_pointer() {
    let null = findings(&format!(r#"{{"title": null, "type": "BOOK", {IDS}}}"#));
    assert_eq!(
        null,
        vec![(
            "json.missing-field".to_string(),
            "/title".to_string(),
            "missing field `title`: it is null, and ORCID's schema requires a value".to_string()
        )]
    );
    let inner = findings(&format!(
        r#"{{"title": {{"title": null}}, "type": "BOOK", {IDS}}}"#
    ));
    assert_eq!(inner[0].0, "json.missing-field");
    assert_eq!(inner[0].1, "/title/title");
    let missing = findings(&format!(r#"{{"type": "BOOK", {IDS}}}"#));
    assert_eq!(
        missing,
        vec![(
            "json.missing-field".to_string(),
            String::new(),
            "missing field `title`".to_string()
        )]
    );
    // A work inside a bulk, the same, at its pointer in the bulk.
    let bulk = validate_json(
        &format!(r#"{{"bulk": [{{"work": {{"title": null, "type": "BOOK", {IDS}}}}}]}}"#),
        Some(Root::BulkBulk),
        &Context::default(),
    );
    let d = &bulk.diagnostics[0];
    assert_eq!(d.code.to_string(), "json.missing-field");
    assert_eq!(d.location.as_ref().unwrap().path, "/bulk/0/work/title");
    // A list the XSD requires is not a missing key (the reader takes it as
    // empty; the XSD layer counts its items).
    let empty = findings(
        r#"{"title": {"title": {"value": "A title"}}, "type": "BOOK", "external-ids": {}}"#,
    );
    assert!(
        empty.iter().all(|f| f.0 != "json.missing-field"),
        "{empty:?}"
    );
    // With everything there, no such finding.
    let ok = findings(&format!(
        r#"{{"title": {{"title": {{"value": "A title"}}}}, "type": "BOOK", {IDS}}}"#
    ));
    assert!(ok.is_empty(), "{ok:?}");
}
