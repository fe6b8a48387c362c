//! Fuzzes the vnd.orcid+xml reader and the XML round trip.
//!
//! Input: arbitrary bytes, read as UTF-8 text (others are skipped).
//! Checks: `Document::from_xml` never panics; a document it accepts is
//! written (`to_xml`, compact and pretty), read back to an equal document,
//! and written as JSON without panicking (`to_json` may return `Err`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_model::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = Document::from_xml(text) else {
        return;
    };
    for pretty in [false, true] {
        let xml = doc.to_xml(pretty);
        let again = match Document::from_xml(&xml) {
            Ok(d) => d,
            Err(e) => panic!(
                "to_xml(pretty={pretty}) output does not read back: {e}\n--- written ---\n{xml}"
            ),
        };
        assert!(
            again == doc,
            "XML round trip (pretty={pretty}) changed the document\n--- first ---\n{doc:#?}\n--- again ---\n{again:#?}\n--- written ---\n{xml}"
        );
    }
    let _ = doc.to_json(false);
    let _ = doc.to_json(true);
});
