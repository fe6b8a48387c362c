//! Fuzzes the vnd.orcid+xml readers of both API versions and the XML round
//! trip.
//!
//! Input: arbitrary bytes, read as UTF-8 text (others are skipped).
//! Checks, for `v2_1::Document` and `v3_0::Document` alike: `from_xml`
//! never panics; a document it accepts is written (`to_xml`, compact and
//! pretty), read back to an equal document, and written as JSON without
//! panicking (`to_json` may return `Err`). Version detection never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

macro_rules! check {
    ($v:ident, $text:expr) => {{
        use orcid_model::$v::Document;
        if let Ok(doc) = Document::from_xml($text) {
            for pretty in [false, true] {
                let xml = doc.to_xml(pretty);
                let again = match Document::from_xml(&xml) {
                    Ok(d) => d,
                    Err(e) => panic!(
                        "{}: to_xml(pretty={pretty}) output does not read back: {e}\n--- written ---\n{xml}",
                        stringify!($v)
                    ),
                };
                assert!(
                    again == doc,
                    "{}: XML round trip (pretty={pretty}) changed the document\n--- first ---\n{doc:#?}\n--- again ---\n{again:#?}\n--- written ---\n{xml}",
                    stringify!($v)
                );
            }
            let _ = doc.to_json(false);
            let _ = doc.to_json(true);
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = orcid_model::detect_version(text, orcid_model::Format::Xml);
    check!(v2_1, text);
    check!(v3_0, text);
});
