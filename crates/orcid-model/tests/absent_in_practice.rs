//! What ORCID's server writes although its XSD says otherwise reads, and
//! survives both formats: `null` (JSON) or no element (XML) where the XSD
//! requires one (`person/biography/content` on a record whose biography is
//! empty, `researcher-url/url-name`).

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
