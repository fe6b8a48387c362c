//! What ORCID's server writes although its XSD says otherwise reads, and
//! survives both formats: `null` (JSON) or no element (XML) where the XSD
//! requires one (`person/biography/content` on a record whose biography is
//! empty, `researcher-url/url-name`, an organization's `city` and `country`
//! when the organization was written through v3.0).

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
    assert_eq!(r.url.as_str(), "http://example.org");
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
    assert_eq!(f.organization.address.city, None);
    assert_eq!(f.organization.address.country, None);
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
    assert_eq!(f.organization.address.city, None);
    assert_eq!(
        f.organization
            .address
            .country
            .map(|c| c.as_xml().to_string()),
        Some("GB".to_string())
    );
}
