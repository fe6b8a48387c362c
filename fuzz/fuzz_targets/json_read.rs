//! Fuzzes the vnd.orcid+json readers of both API versions and the JSON
//! round trip (everything below holds for `v2_1` and `v3_0` alike).
//!
//! Input: one selector byte, then the JSON text (UTF-8; others are skipped).
//! The selector picks the explicit root, `Root::ALL[byte % Root::ALL.len()]`;
//! the text is read both with root inference (`None`) and with that root.
//! (The selector is its own byte, not the text's first byte, because nearly
//! every JSON text starts with `{` and would always select the same root.)
//!
//! Checks: `Document::from_json` never panics; a document it accepts has the
//! root asked for, and if `to_json` (compact or pretty) succeeds, its output
//! reads back, with that root, to an equal document.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The checks over one version's `Document` and `Root`.
macro_rules! version {
    ($v:ident) => {
        mod $v {
            use orcid_model::$v::{Document, Root};

            fn round_trip(doc: &Document, how: &str) {
                let root = doc.root();
                for pretty in [false, true] {
                    let Ok(json) = doc.to_json(pretty) else {
                        continue;
                    };
                    let again = match Document::from_json(&json, Some(root)) {
                        Ok(d) => d,
                        Err(e) => panic!(
                            "{how}: to_json(pretty={pretty}) output does not read back as {root:?}: {e}\n--- written ---\n{json}"
                        ),
                    };
                    assert!(
                        again == *doc,
                        "{how}: JSON round trip (pretty={pretty}) changed the document\n--- first ---\n{doc:#?}\n--- again ---\n{again:#?}\n--- written ---\n{json}"
                    );
                }
            }

            pub fn check(data: &[u8]) {
            let Some((&selector, rest)) = data.split_first() else {
                return;
            };
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };

            if let Ok(doc) = Document::from_json(text, None) {
                round_trip(&doc, "inferred root");
            }

            let root = Root::ALL[usize::from(selector) % Root::ALL.len()];
            if let Ok(doc) = Document::from_json(text, Some(root)) {
                assert_eq!(
                    doc.root(),
                    root,
                    "from_json(Some({root:?})) returned another root"
                );
                round_trip(&doc, "given root");
            }

            }
        }
    };
}

version!(v2_1);
version!(v3_0);

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = orcid_model::detect_version(text, orcid_model::Format::Json);
    }
    v2_1::check(data);
    v3_0::check(data);
});
