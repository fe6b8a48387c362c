//! Fuzzes `orcid_validate::validate_xml`, both layers over XML text.
//!
//! Input: arbitrary bytes, read as UTF-8 text (others are skipped).
//! Checks: `validate_xml` and the XSD layer alone (`xsd::validate`) never
//! panic, abort or overflow the stack, whatever the nesting or the width of
//! a start tag; every located finding has a line and column; a payload
//! found valid reads into the model and writes back as XML (no character
//! XML cannot carry got through).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_model::Document;
use orcid_validate::{validate_xml, xsd, Context};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let report = validate_xml(text, &Context::default());
    for d in &report.diagnostics {
        if let Some(l) = &d.location {
            assert!(l.line >= 1 && l.column >= 1, "{d:?}");
        }
    }
    if report.is_valid() {
        let doc = Document::from_xml(text).expect("a valid payload reads");
        doc.try_to_xml(false)
            .expect("a valid payload writes as XML");
    }
    let _ = xsd::validate(text);
});
