//! Every upstream v2.1 XML sample: read, written back, compared
//! semantically, and (with xmllint) the output validated against the XSD.

mod support;

use std::process::Command;

use orcid_model::Document;
use orcid_test_kit::paths::schema_cache;
use orcid_test_kit::samples::{known_issue, v2_1_samples, KnownIssue, KNOWN_ISSUES};
use support::canonical;

#[test]
fn sample_set_is_complete() {
    let samples = v2_1_samples();
    // 38 read samples + 13 write samples + common, group-id, client and two
    // notification samples.
    assert!(samples.len() >= 55, "only {} samples found", samples.len());
    for (p, _, _) in KNOWN_ISSUES.iter().filter(|(p, _, _)| p.contains("2.1")) {
        assert!(
            samples.iter().any(|s| s == p),
            "known-issue list names a missing sample {p}"
        );
    }
}

#[test]
fn every_valid_sample_round_trips_semantically() {
    let mut checked = 0;
    for rel in v2_1_samples() {
        let issue = known_issue(&rel);
        if matches!(issue, Some(KnownIssue::Invalid | KnownIssue::OutOfScope)) {
            continue;
        }
        let text = std::fs::read_to_string(schema_cache().join(&rel)).unwrap();
        let doc = Document::from_xml(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let out = doc.to_xml(true);
        assert_eq!(
            canonical(&text),
            canonical(&out),
            "{rel}: XML round trip differs"
        );
        // Reading our own output gives the same model, compact or pretty.
        assert_eq!(Document::from_xml(&out).unwrap(), doc, "{rel}");
        assert_eq!(
            Document::from_xml(&doc.to_xml(false)).unwrap(),
            doc,
            "{rel}"
        );
        // And the JSON image reads back to the same JSON.
        let json = doc.to_json(true).unwrap();
        let back = Document::from_json(&json, Some(doc.root()))
            .unwrap_or_else(|e| panic!("{rel}: {e}\n{json}"));
        assert_eq!(
            back.to_json(true).unwrap(),
            json,
            "{rel}: JSON round trip differs"
        );
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} samples checked");
}

#[test]
fn known_invalid_samples_are_rejected_with_a_location() {
    for (rel, issue, why) in KNOWN_ISSUES.iter().filter(|(p, _, _)| p.contains("2.1")) {
        let text = std::fs::read_to_string(schema_cache().join(rel)).unwrap();
        let result = Document::from_xml(&text);
        match issue {
            KnownIssue::Invalid | KnownIssue::OutOfScope => {
                let err = result.expect_err(&format!("{rel} should fail ({why})"));
                let orcid_model::Error::Xml(e) = err else {
                    panic!("{rel}: not an XML error")
                };
                assert!(e.line > 1, "{rel}: error without a useful line: {e}");
            }
            KnownIssue::LibxmlRejectsValid => {
                result.unwrap_or_else(|e| panic!("{rel} is valid by the spec but failed: {e}"));
            }
        }
    }
}

/// Writes a wrapper schema importing every v2.1 entry schema, so xmllint can
/// validate any root element.
fn wrapper_xsd(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("wrapper.xsd");
    std::fs::write(&path, orcid_schemas::wrapper_xsd(&schema_cache()).unwrap()).unwrap();
    path
}

fn xmllint_available() -> bool {
    let ok = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is required in CI (apt-get install libxml2-utils)"
        );
        eprintln!("SKIPPED: xmllint not installed (apt-get install libxml2-utils)");
    }
    ok
}

#[test]
fn written_xml_validates_against_the_xsd_with_xmllint() {
    if !xmllint_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let xsd = wrapper_xsd(tmp.path());
    let mut failures = Vec::new();
    let mut checked = 0;
    for rel in v2_1_samples() {
        let text = std::fs::read_to_string(schema_cache().join(&rel)).unwrap();
        let original_ok = xmllint(&xsd, &schema_cache().join(&rel));
        match known_issue(&rel) {
            Some(KnownIssue::Invalid | KnownIssue::LibxmlRejectsValid) => {
                assert!(
                    !original_ok,
                    "{rel} is listed as rejected by libxml2 but validates"
                );
            }
            Some(KnownIssue::OutOfScope) => {}
            None => assert!(original_ok, "{rel}: upstream sample does not validate"),
        }
        let Ok(doc) = Document::from_xml(&text) else {
            continue;
        };
        let out = tmp.path().join("out.xml");
        std::fs::write(&out, doc.to_xml(true)).unwrap();
        if !xmllint(&xsd, &out) {
            failures.push(rel.clone());
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "our output does not validate for: {failures:?}"
    );
    assert!(checked >= 52, "only {checked} outputs validated");
}

fn xmllint(xsd: &std::path::Path, file: &std::path::Path) -> bool {
    Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .expect("run xmllint")
        .status
        .success()
}

#[test]
fn any_prefixes_or_a_default_namespace_read_the_same() {
    let canonical = r#"<?xml version="1.0"?>
<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common" put-code="3">
  <work:title><common:title>A &amp; B</common:title></work:title>
  <work:type>book</work:type>
  <common:publication-date><common:year>2020</common:year><common:month>02</common:month></common:publication-date>
</work:work>"#;
    let default_ns = r#"<work xmlns="http://www.orcid.org/ns/work" xmlns:c="http://www.orcid.org/ns/common" put-code="3">
  <!-- a comment --><?pi ignored?>
  <title><c:title><![CDATA[A & B]]></c:title></title>
  <type>book</type>
  <c:publication-date><c:year>2020</c:year><c:month>02</c:month></c:publication-date>
</work>"#;
    let a = Document::from_xml(canonical).unwrap();
    let b = Document::from_xml(default_ns).unwrap();
    assert_eq!(a, b);
    // Written back with ORCID's prefixes, one declaration block, a declaration.
    let out = b.to_xml(false);
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><work:work xmlns:common="),
        "{out}"
    );
    assert_eq!(out.matches("xmlns:").count(), 2, "{out}");
    assert!(out.contains("<common:month>02</common:month>"));
}
