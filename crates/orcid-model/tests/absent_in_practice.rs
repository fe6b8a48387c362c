//! What ORCID's server writes although its XSD says otherwise reads, and
//! survives both formats. ORCID's Java beans can hold `null` in any
//! property, and its server writes `null` (JSON) or no element (XML) for
//! it, so the model holds every property its XSD requires exactly once as
//! an `Option` (`Occurs::Lenient` in orcid-codegen): it reads when absent,
//! stays absent through XML and back, and JSON writes it as `null`. Seen
//! in ORCID's output: `person/biography/content` on a record whose
//! biography is empty, `researcher-url/url-name`, an organization's `city`
//! and `country` when the organization was written through v3.0; the rule
//! is general (a work's title, a funding's organization, …). The XSD layer
//! of orcid-validate still reports such an absence in a payload to send.

use orcid_model::{v3_0, Document, Root};

#[test]
fn a_null_biography_content_reads_and_stays_null() {
    let json = r#"{"created-date":null,"last-modified-date":null,"content":null,"visibility":"PUBLIC","path":"/0000-0002-1825-0097/biography"}"#;
    let doc = Document::from_json(json, Some(Root::PersonalDetailsBiography)).unwrap();
    let Document::PersonalDetailsBiography(b) = &doc else {
        panic!("not a biography")
    };
    assert_eq!(b.content, None);
    // XML leaves the element out, as JAXB does for null.
    let xml = doc.to_xml(true);
    assert!(!xml.contains("content"), "{xml}");
    let back = Document::from_xml(&xml).unwrap();
    assert_eq!(back, doc);
    // JSON writes the key with null, as ORCID does.
    let out: serde_json::Value = serde_json::from_str(&back.to_json(false).unwrap()).unwrap();
    assert_eq!(out["content"], serde_json::Value::Null);
    // The same in v3.0.
    let json3 = json.replace("PUBLIC", "public");
    let v3 = v3_0::Document::from_json(&json3, Some(v3_0::Root::PersonalDetailsBiography)).unwrap();
    assert_eq!(v3_0::Document::from_xml(&v3.to_xml(false)).unwrap(), v3);
}

#[test]
fn a_null_url_name_reads_in_v2_1() {
    let json = r#"{"created-date":{"value":1487783120019},"last-modified-date":{"value":1487783120019},"source":null,"url-name":null,"url":{"value":"http://example.org"},"visibility":"PUBLIC","path":"/0000-0002-1825-0097/researcher-urls/1","put-code":1,"display-index":1}"#;
    let doc = Document::from_json(json, Some(Root::ResearcherUrlResearcherUrl)).unwrap();
    let Document::ResearcherUrlResearcherUrl(r) = &doc else {
        panic!("not a researcher-url")
    };
    assert_eq!(r.url_name, None);
    assert_eq!(
        r.url.as_ref().map(|u| u.as_str()),
        Some("http://example.org")
    );
    let xml = doc.to_xml(false);
    assert!(!xml.contains("url-name"), "{xml}");
    assert_eq!(Document::from_xml(&xml).unwrap(), doc);
}

/// v3.0 made an organization's city and country optional, so ORCID's v2.1
/// API serves an organization written through v3.0 without them as
/// `"city": null` / `"country": null` (and leaves the elements out in XML).
#[test]
fn an_organization_without_city_or_country_reads_in_v2_1() {
    let json = r#"{"created-date":null,"last-modified-date":null,"source":null,"put-code":7,"path":"/0000-0002-1825-0097/funding/7","type":"GRANT","organization-defined-type":null,"title":{"title":{"value":"A grant"},"translated-title":null},"short-description":null,"amount":null,"url":null,"start-date":null,"end-date":null,"external-ids":null,"contributors":null,"organization":{"name":"Wellcome Trust","address":{"city":null,"region":null,"country":null},"disambiguated-organization":null},"visibility":"PUBLIC"}"#;
    let doc = Document::from_json(json, Some(Root::FundingFunding)).unwrap();
    let Document::FundingFunding(f) = &doc else {
        panic!("not a funding")
    };
    let address = f.organization.as_ref().and_then(|o| o.address.as_ref());
    assert_eq!(address.map(|a| &a.city), Some(&None));
    assert_eq!(address.map(|a| &a.country), Some(&None));
    let xml = doc.to_xml(false);
    assert!(
        !xml.contains("common:city") && !xml.contains("common:country"),
        "{xml}"
    );
    assert_eq!(Document::from_xml(&xml).unwrap(), doc);
    let out: serde_json::Value = serde_json::from_str(&doc.to_json(false).unwrap()).unwrap();
    assert_eq!(
        out["organization"]["address"]["city"],
        serde_json::Value::Null
    );

    // The same funding written in v3.0 without a city downgrades to v2.1
    // with the city absent, as ORCID's v2.1 API shows it.
    let v3 = r#"<funding:funding xmlns:funding="http://www.orcid.org/ns/funding" xmlns:common="http://www.orcid.org/ns/common"><funding:type>grant</funding:type><funding:title><common:title>A grant</common:title></funding:title><common:organization><common:name>Wellcome Trust</common:name><common:address><common:country>GB</common:country></common:address></common:organization></funding:funding>"#;
    let v3 = v3_0::Document::from_xml(v3).unwrap();
    let (v2, _losses) = orcid_model::convert::downgrade(&v3).unwrap();
    let Document::FundingFunding(f) = &v2 else {
        panic!("not a funding")
    };
    let address = f.organization.as_ref().and_then(|o| o.address.as_ref());
    assert_eq!(address.map(|a| &a.city), Some(&None));
    assert_eq!(
        address
            .and_then(|a| a.country)
            .map(|c| c.as_xml().to_string()),
        Some("GB".to_string())
    );
}

/// Any property the XSD requires reads as absent from JSON `null`: a
/// work's title, which stays absent through XML and back and is written
/// back as `null`.
#[test]
fn a_work_with_a_null_title_reads_and_stays_absent() {
    let json = r#"{"title":null,"type":"JOURNAL_ARTICLE","external-ids":{"external-id":[{"external-id-type":"doi","external-id-value":"10.5555/1","external-id-url":null,"external-id-relationship":"SELF"}]}}"#;
    let doc = Document::from_json(json, Some(Root::WorkWork)).unwrap();
    let Document::WorkWork(w) = &doc else {
        panic!("not a work")
    };
    assert_eq!(w.title, None);
    assert!(w.external_ids.is_some());
    let xml = doc.to_xml(false);
    assert!(!xml.contains("work:title"), "{xml}");
    assert_eq!(Document::from_xml(&xml).unwrap(), doc);
    let out: serde_json::Value = serde_json::from_str(&doc.to_json(false).unwrap()).unwrap();
    assert_eq!(out["title"], serde_json::Value::Null);
    assert_eq!(out["type"], "JOURNAL_ARTICLE");

    // A title wrapper without its title, the same.
    let json = json.replace(r#""title":null"#, r#""title":{"title":null}"#);
    let doc = Document::from_json(&json, Some(Root::WorkWork)).unwrap();
    let Document::WorkWork(w) = &doc else {
        panic!("not a work")
    };
    assert_eq!(w.title.as_ref().map(|t| &t.title), Some(&None));
    assert_eq!(Document::from_xml(&doc.to_xml(false)).unwrap(), doc);
}

/// A funding with `"organization": null` reads, in both versions.
#[test]
fn a_funding_with_a_null_organization_reads_and_stays_absent() {
    let json = r#"{"type":"GRANT","title":{"title":{"value":"A grant"},"translated-title":null},"organization":null,"visibility":"PUBLIC"}"#;
    let doc = Document::from_json(json, Some(Root::FundingFunding)).unwrap();
    let Document::FundingFunding(f) = &doc else {
        panic!("not a funding")
    };
    assert_eq!(f.organization, None);
    assert_eq!(
        f.title.as_ref().and_then(|t| t.title.as_deref()),
        Some("A grant")
    );
    let xml = doc.to_xml(false);
    assert!(!xml.contains("organization"), "{xml}");
    assert_eq!(Document::from_xml(&xml).unwrap(), doc);
    let out: serde_json::Value = serde_json::from_str(&doc.to_json(false).unwrap()).unwrap();
    assert_eq!(out["organization"], serde_json::Value::Null);

    let json3 = json.replace("GRANT", "grant").replace("PUBLIC", "public");
    let v3 = v3_0::Document::from_json(&json3, Some(v3_0::Root::FundingFunding)).unwrap();
    let v3_0::Document::FundingFunding(f3) = &v3 else {
        panic!("not a funding")
    };
    assert_eq!(f3.organization, None);
    assert_eq!(v3_0::Document::from_xml(&v3.to_xml(false)).unwrap(), v3);
}

/// An XML funding summary without `funding:organization` reads and is
/// written back without it.
#[test]
fn an_xml_funding_summary_without_organization_reads() {
    let xml = r#"<funding:funding-summary xmlns:funding="http://www.orcid.org/ns/funding" xmlns:common="http://www.orcid.org/ns/common" put-code="3" visibility="public"><funding:title><common:title>A grant</common:title></funding:title><funding:type>grant</funding:type><common:start-date><common:year>2014</common:year></common:start-date></funding:funding-summary>"#;
    let doc = Document::from_xml(xml).unwrap();
    let Document::FundingFundingSummary(f) = &doc else {
        panic!("not a funding summary")
    };
    assert_eq!(f.organization, None);
    assert_eq!(f.put_code, Some(orcid_model::scalar::PutCode(3)));
    let out = doc.to_xml(false);
    assert!(!out.contains("organization"), "{out}");
    assert!(out.contains("<common:year>2014</common:year>"), "{out}");
    assert_eq!(Document::from_xml(&out).unwrap(), doc);
    let back = Document::from_json(
        &doc.to_json(false).unwrap(),
        Some(Root::FundingFundingSummary),
    )
    .unwrap();
    assert_eq!(back, doc);
}
