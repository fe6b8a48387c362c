//! Root names as users type them (`--root works`): every local name of a
//! version's roots finds one root, and the record summary's parts of v3.0
//! (`summary:works`) yield to the API documents of the same local name.

use orcid_model::{v2_1, v3_0, AnyRoot, Version};

#[test]
fn every_local_name_finds_one_root_in_each_version() {
    for r in v2_1::Root::ALL {
        let found = v2_1::Root::from_name(r.local_name())
            .unwrap_or_else(|e| panic!("{}: {e}", r.local_name()));
        assert_eq!(found.local_name(), r.local_name());
        assert_eq!(v2_1::Root::from_name(&r.qualified_name()).unwrap(), *r);
    }
    for r in v3_0::Root::ALL {
        let found = v3_0::Root::from_name(r.local_name())
            .unwrap_or_else(|e| panic!("{}: {e}", r.local_name()));
        assert_eq!(found.local_name(), r.local_name());
        assert_eq!(v3_0::Root::from_name(&r.qualified_name()).unwrap(), *r);
    }
}

#[test]
fn a_short_name_means_the_api_document_not_the_summary_part() {
    assert_eq!(
        v3_0::Root::from_name("works").unwrap().qualified_name(),
        "activities:works"
    );
    assert_eq!(
        v3_0::Root::from_name("summary:works")
            .unwrap()
            .qualified_name(),
        "summary:works"
    );
    let any = AnyRoot::from_name("fundings").unwrap();
    assert_eq!(any.v3_0.unwrap().qualified_name(), "activities:fundings");
    assert_eq!(any.v2_1.unwrap().qualified_name(), "activities:fundings");
    let text = r#"{"last-modified-date": null, "group": [], "path": "/0000-0002-1825-0097/works"}"#;
    let (doc, _, _) = orcid_model::AnyDocument::read(
        text,
        Some(AnyRoot::from_name("works").unwrap()),
        Some(Version::V3_0),
        Version::V3_0,
    )
    .unwrap();
    assert_eq!(doc.root_name(), "activities:works");
}
