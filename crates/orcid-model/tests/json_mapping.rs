//! vnd.orcid+json acceptance: the real record pair, the bulk sample, R14
//! leniency and precise errors.

mod support;

use orcid_model::{Document, Error, Root};
use orcid_test_kit::paths::{real_record, schema_cache};
use serde_json::Value;
use support::strip_nulls;

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn real_record_xml_to_json_equals_orcids_json() {
    let (xml, json) = real_record();
    let doc = Document::from_xml(&xml).unwrap();
    assert_eq!(doc.root(), Root::RecordRecord);
    // Semantic equality, nulls and empty arrays included (R10).
    assert_eq!(value(&doc.to_json(true).unwrap()), value(&json));
    assert_eq!(value(&doc.to_json(false).unwrap()), value(&json));
}

#[test]
fn real_record_json_to_xml_to_json_is_the_identity() {
    let (xml, json) = real_record();
    let from_json = Document::from_json(&json, None).unwrap();
    assert_eq!(
        from_json.root(),
        Root::RecordRecord,
        "root inferred from keys"
    );
    let xml_again = from_json.to_xml(true);
    let back = Document::from_xml(&xml_again).unwrap();
    assert_eq!(value(&back.to_json(true).unwrap()), value(&json));
    // The XML written from JSON means the same as ORCID's XML: compare the
    // models (timestamps as instants, R8).
    assert_eq!(back, Document::from_xml(&xml).unwrap());
}

#[test]
fn bulk_write_sample_reads_and_writes_back_equal() {
    let text = std::fs::read_to_string(
        schema_cache().join("record_2.1/samples/write_sample/bulk-work-2.1.json"),
    )
    .unwrap();
    let doc = Document::from_json(&text, None).unwrap();
    assert_eq!(doc.root(), Root::BulkBulk);
    let mut ours = value(&doc.to_json(true).unwrap());
    let mut theirs = value(&text);
    // The sample omits absent properties; ORCID (and we) write them as null.
    strip_nulls(&mut ours);
    strip_nulls(&mut theirs);
    assert_eq!(ours, theirs);
    // The bulk items keep their order and kind through XML too.
    let again = Document::from_xml(&doc.to_xml(true)).unwrap();
    assert_eq!(again, doc);
}

const WORK: &str = r#"{
  "title": {"title": {"value": "A title"}},
  "type": "JOURNAL_ARTICLE",
  "external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "10.1/x", "external-id-relationship": "SELF"}]}
}"#;

#[test]
fn r14_leniency_single_object_bare_value_and_null() {
    let strict = Document::from_json(WORK, Some(Root::WorkWork)).unwrap();
    // A bare object where an array is expected, a bare string for a value
    // wrapper, explicit nulls: all the same document.
    let lenient = r#"{
      "title": {"title": "A title", "subtitle": null},
      "type": "JOURNAL_ARTICLE",
      "url": null,
      "external-ids": {"external-id": {"external-id-type": "doi", "external-id-value": "10.1/x", "external-id-relationship": "SELF"}}
    }"#;
    assert_eq!(
        Document::from_json(lenient, Some(Root::WorkWork)).unwrap(),
        strict
    );
    // Output is always canonical.
    let out = value(&strict.to_json(false).unwrap());
    assert_eq!(
        out["title"]["title"],
        serde_json::json!({"value": "A title"})
    );
    assert_eq!(out["url"], Value::Null);
    assert!(out["external-ids"]["external-id"].is_array());
}

/// A month given as a JSON number reads as its decimal text, unpadded, as
/// Jackson sets ORCID's `String` field (docs/orcid-api.md §2.3: v3.0's date
/// check then refuses `3`); the JSON writer pads it as ORCID's output does
/// (R8).
#[test]
fn fuzzy_dates_are_strings_a_month_number_reads_as_its_text_and_json_pads_it() {
    let json = r#"{"title": {"title": {"value": "t"}}, "type": "BOOK",
        "publication-date": {"year": {"value": "2017"}, "month": {"value": 3}, "day": null}}"#;
    let doc = Document::from_json(json, Some(Root::WorkWork)).unwrap();
    let out = value(&doc.to_json(false).unwrap());
    assert_eq!(
        out["publication-date"],
        serde_json::json!({"year": {"value": "2017"}, "month": {"value": "03"}, "day": null, "media-type": null})
    );
    assert!(doc.to_xml(false).contains("<common:month>3</common:month>"));
}

fn json_error(text: &str, root: Option<Root>) -> orcid_model::json::JsonError {
    match Document::from_json(text, root) {
        Err(Error::Json(e)) => e,
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn unknown_field_names_pointer_and_position() {
    let text = "{\n  \"title\": {\"title\": {\"value\": \"t\"}},\n  \"type\": \"BOOK\",\n  \"xput-code\": 1\n}";
    let e = json_error(text, Some(Root::WorkWork));
    assert!(e.message.contains("unknown field `xput-code`"), "{e}");
    assert_eq!((e.line, e.pointer.as_str()), (4, "/xput-code"), "{e}");
}

#[test]
fn xml_enum_spelling_in_json_is_an_error() {
    // R7: v2.1 JSON uses the Java constant; "journal-article" is 400/9047.
    let text = r#"{"title": {"title": {"value": "t"}}, "type": "journal-article"}"#;
    let e = json_error(text, Some(Root::WorkWork));
    assert!(
        e.message.contains("unknown variant `journal-article`"),
        "{e}"
    );
    assert!(e.message.contains("JOURNAL_ARTICLE"), "{e}");
    assert_eq!(e.pointer, "/type");
}

#[test]
fn nested_error_pointer() {
    let text = r#"{"title": {"title": {"value": "t"}}, "type": "BOOK",
      "external-ids": {"external-id": [{"external-id-type": "doi", "external-id-value": "x"},
                                       {"external-id-type": "doi", "external-id-value": "y", "external-id-relationship": "self"}]}}"#;
    let e = json_error(text, Some(Root::WorkWork));
    assert_eq!(
        e.pointer, "/external-ids/external-id/1/external-id-relationship",
        "{e}"
    );
    assert_eq!(e.line, 3, "{e}");
}

/// The text of a simple-content type is always required: a translated
/// title without its text is an error. (A required property is read as
/// absent: the model holds them as `Option`, `absent_in_practice.rs`.)
#[test]
fn missing_required_field_is_reported() {
    let e = json_error(
        r#"{"title": {"title": {"value": "t"}, "translated-title": {"language-code": "fr"}}, "type": "BOOK"}"#,
        Some(Root::WorkWork),
    );
    assert!(e.message.contains("missing field `value`"), "{e}");
    // A required property (the work's title) reads as absent.
    let Document::WorkWork(w) =
        Document::from_json(r#"{"type": "BOOK"}"#, Some(Root::WorkWork)).unwrap()
    else {
        panic!("not a work")
    };
    assert_eq!(w.title, None);
}

/// A required text that is there but `null` says so, and points at the key.
#[test]
fn null_required_field_is_reported_at_its_key() {
    let e = json_error(
        r#"{"title": {"title": {"value": "t"}, "translated-title": {"value": null, "language-code": "fr"}}, "type": "BOOK"}"#,
        Some(Root::WorkWork),
    );
    assert_eq!(
        e.message,
        "missing field `value`: it is null, and ORCID's schema requires a value"
    );
    assert_eq!(e.pointer, "/title/translated-title/value", "{e}");
}

#[test]
fn root_inference() {
    assert_eq!(orcid_model::infer_root(["bulk"]).unwrap(), Root::BulkBulk);
    let err = orcid_model::infer_root(["title", "type"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("--root"), "{err}");
    assert!(orcid_model::infer_root(["no-such-key"]).is_err());
    assert_eq!(Root::from_name("work").unwrap(), Root::WorkWork);
    assert_eq!(
        Root::from_name("activities:works").unwrap(),
        Root::ActivitiesWorks
    );
    assert!(Root::from_name("nope").is_err());
}

#[test]
fn r13_xml_only_fields_are_not_in_json() {
    // group-id-record's source is XML-only; display-index on a full work is
    // not a key of Java's Work.
    let xml = r#"<group-id:group-id-record xmlns:group-id="http://www.orcid.org/ns/group-id" xmlns:common="http://www.orcid.org/ns/common" put-code="7">
      <common:source-name>x</common:source-name>
      <group-id:name>n</group-id:name><group-id:group-id>issn:1234</group-id:group-id>
      <group-id:description>d</group-id:description><group-id:type>journal</group-id:type>
    </group-id:group-id-record>"#;
    let doc = Document::from_xml(xml).unwrap();
    let out = value(&doc.to_json(false).unwrap());
    assert_eq!(
        out,
        serde_json::json!({"name": "n", "group-id": "issn:1234", "description": "d", "type": "journal", "put-code": 7})
    );
}

#[test]
fn notification_timestamps_are_bare_and_item_put_code_is_json_only() {
    let text = std::fs::read_to_string(
        schema_cache().join("notification_2.1/samples/notification-permission-2.1.xml"),
    )
    .unwrap();
    let doc = Document::from_xml(&text).unwrap();
    let out = value(&doc.to_json(false).unwrap());
    assert!(
        out["created-date"].is_number() || out["created-date"].is_null(),
        "{out}"
    );
    for item in out["items"]["item"].as_array().unwrap() {
        assert!(item.as_object().unwrap().contains_key("put-code"));
    }
}

#[test]
fn person_display_index_is_a_number_and_summary_display_index_a_string() {
    let (xml, _) = real_record();
    let out = value(&Document::from_xml(&xml).unwrap().to_json(false).unwrap());
    let kw = &out["person"]["keywords"]["keyword"][0]["display-index"];
    assert!(kw.is_number(), "{kw}");
    let ws = &out["activities-summary"]["works"]["group"][0]["work-summary"][0]["display-index"];
    assert!(ws.is_string(), "{ws}");
}

#[test]
fn numbers_where_text_is_expected_are_read_as_their_text() {
    // Jackson coerces scalars: ORCID accepts `"amount": {"value": 1000}`.
    let funding = r#"{"type": "GRANT", "title": {"title": {"value": "F"}},
        "amount": {"value": 1000, "currency-code": "USD"},
        "organization": {"name": "Org", "address": {"city": "Auckland", "country": "NZ"}}}"#;
    let doc = Document::from_json(funding, Some(Root::FundingFunding)).unwrap();
    let out = value(&doc.to_json(false).unwrap());
    assert_eq!(
        out["amount"],
        serde_json::json!({"value": "1000", "currency-code": "USD"})
    );
    assert!(doc.to_xml(false).contains(">1000</funding:amount>"));
    // A fraction, a number in a value wrapper and a bare number for a text field.
    let fraction = funding.replace("1000", "1000.5");
    let doc = Document::from_json(&fraction, Some(Root::FundingFunding)).unwrap();
    assert_eq!(
        value(&doc.to_json(false).unwrap())["amount"]["value"],
        "1000.5"
    );
    let work = r#"{"title": {"title": {"value": 42}}, "type": "BOOK",
        "external-ids": {"external-id": [{"external-id-type": "other-id",
            "external-id-value": 12345, "external-id-relationship": "SELF"}]}}"#;
    let doc = Document::from_json(work, Some(Root::WorkWork)).unwrap();
    let out = value(&doc.to_json(false).unwrap());
    assert_eq!(out["title"]["title"]["value"], "42");
    assert_eq!(
        out["external-ids"]["external-id"][0]["external-id-value"],
        "12345"
    );
    // Objects are still refused where text is expected.
    let bad = work.replace("12345", "{\"x\": 1}");
    assert!(Document::from_json(&bad, Some(Root::WorkWork)).is_err());
}
