//! Layer 1 (XSD) on real data: every upstream sample, the known-invalid
//! samples, one fixture per facet kind with its exact code and position,
//! and the same checks through vnd.orcid+json.

use orcid_test_kit::paths::{real_record_path, schema_cache, workspace_root as root};
use orcid_test_kit::samples::{known_issue, v2_1_samples, KnownIssue};
use orcid_validate::{validate_json, validate_xml, xsd, Context, OrcidError};

#[test]
fn every_valid_upstream_sample_passes_the_xsd() {
    let mut n = 0;
    for name in v2_1_samples() {
        let report = xsd::validate(&std::fs::read_to_string(schema_cache().join(&name)).unwrap());
        // Invalid and out-of-scope samples fail; the dateTime-whitespace ones
        // are valid by the spec (only libxml2 rejects them).
        if matches!(
            known_issue(&name),
            Some(KnownIssue::Invalid | KnownIssue::OutOfScope)
        ) {
            assert!(!report.errors.is_empty(), "{name} should fail the XSD");
        } else {
            assert!(report.errors.is_empty(), "{name}: {:#?}", report.errors);
            n += 1;
        }
    }
    assert!(n >= 54, "{n}");
}

#[test]
fn real_record_passes_the_xsd() {
    let xml = std::fs::read_to_string(real_record_path("xml")).unwrap();
    assert!(xsd::validate(&xml).errors.is_empty());
}

/// Each fixture says what it expects in its second line:
/// `<!-- expect: CODE at LINE:COL -->`.
#[test]
fn every_facet_fixture_gives_its_code_and_position() {
    let dir = root().join("fixtures/invalid/xsd");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        let text = std::fs::read_to_string(&p).unwrap();
        let expect = text
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("<!-- expect: "))
            .and_then(|l| l.strip_suffix(" -->"))
            .unwrap_or_else(|| panic!("{}: no expect line", p.display()));
        let (code, at) = expect.split_once(" at ").unwrap();
        let (line, col) = at.split_once(':').unwrap();
        let report = validate_xml(&text, &Context::default());
        let first = report
            .diagnostics
            .first()
            .unwrap_or_else(|| panic!("{}: no finding", p.display()));
        let loc = first.location.as_ref().unwrap();
        assert_eq!(
            (first.code.as_str(), loc.line, loc.column),
            (code, line.parse().unwrap(), col.parse().unwrap()),
            "{}: {first:#?}",
            p.display()
        );
        assert_eq!(
            first.orcid_error,
            Some(OrcidError {
                code: 9001,
                http: 400
            })
        );
        assert!(first.hint.is_some());
        n += 1;
    }
    assert!(n >= 19, "{n}");
}

#[test]
fn all_errors_are_collected() {
    let xml = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common" visibility="secret" put-code="x">
  <work:title><common:title>   </common:title></work:title>
  <work:type>journal-articel</work:type>
  <common:publication-date><common:year>1850</common:year><common:month>13</common:month></common:publication-date>
</work:work>"#;
    let report = xsd::validate(xml);
    let codes: Vec<&str> = report.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "xsd.enumeration",
            "xsd.datatype",
            "xsd.pattern",
            "xsd.enumeration",
            "xsd.min-inclusive",
            "xsd.max-inclusive"
        ],
        "{:#?}",
        report.errors
    );
}

#[test]
fn json_payloads_get_the_xsd_layer_with_json_pointers() {
    let long = "x".repeat(1001);
    let json = format!(
        "{{\n  \"title\": {{\"title\": {{\"value\": \"{long}\"}}}},\n  \"type\": \"BOOK\"\n}}"
    );
    let report = validate_json(
        &json,
        Some(orcid_model::Root::WorkWork),
        &Context::default(),
    );
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "xsd.max-length")
        .unwrap_or_else(|| panic!("{report:#?}"));
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.path.as_str(), loc.line), ("/title/title", 2));
    assert_eq!(
        d.orcid_error,
        Some(OrcidError {
            code: 9047,
            http: 400
        }),
        "R14: JSON failures are 9047"
    );

    let report = validate_json(
        r#"{"title": {"title": {"value": "t"}}, "type": "journal-article"}"#,
        Some(orcid_model::Root::WorkWork),
        &Context::default(),
    );
    assert_eq!(report.diagnostics[0].code, "json.enumeration");
    assert_eq!(
        report.diagnostics[0].location.as_ref().unwrap().path,
        "/type"
    );

    let report = validate_json("{\"bulk\": [{\"work\": {\"title\": {\"title\": {\"value\": \"   \"}}, \"type\": \"BOOK\"}}]}", None, &Context::default());
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "xsd.pattern")
        .unwrap_or_else(|| panic!("{report:#?}"));
    assert_eq!(
        d.location.as_ref().unwrap().path,
        "/bulk/0/work/title/title"
    );
}

#[test]
fn rule_findings_inside_a_bulk_point_at_the_work() {
    let work = |title: &str| {
        format!(
            "  <work:work>\n    <work:title><common:title>{title}</common:title></work:title>\n    <work:type>book</work:type>\n    <common:external-ids><common:external-id><common:external-id-type>doi</common:external-id-type><common:external-id-value>10.1/same</common:external-id-value><common:external-id-relationship>self</common:external-id-relationship></common:external-id></common:external-ids>\n  </work:work>\n"
        )
    };
    let xml = format!(
        "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\" xmlns:work=\"http://www.orcid.org/ns/work\" xmlns:common=\"http://www.orcid.org/ns/common\">\n{}{}</bulk:bulk>\n",
        work("A"),
        work("B")
    );
    let report = validate_xml(&xml, &Context::default());
    let dup = report
        .diagnostics
        .iter()
        .find(|d| d.code == "orcid.bulk.duplicate")
        .unwrap_or_else(|| panic!("{report:#?}"));
    let loc = dup.location.as_ref().unwrap();
    assert!(loc.path.starts_with("/bulk:bulk/work:work[2]"), "{loc:?}");
    assert!(loc.line >= 7, "{loc:?}");
}
