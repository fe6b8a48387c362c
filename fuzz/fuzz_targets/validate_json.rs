//! Fuzzes `orcid_validate::validate_json`, both layers over JSON text.
//!
//! Input: one selector byte, then the JSON text (UTF-8; others are skipped),
//! as for `json_read`: the selector picks the root,
//! `Root::ALL[byte % Root::ALL.len()]`; the text is validated both with root
//! inference (`None`) and with that root.
//! Checks: `validate_json` never panics, aborts or overflows the stack; a
//! payload found valid reads into the model with that root and writes back
//! as XML (no character XML cannot carry got through).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_model::{Document, Root};
use orcid_validate::{validate_json, Context};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let root = Root::ALL[usize::from(selector) % Root::ALL.len()];
    for root in [None, Some(root)] {
        let report = validate_json(text, root, &Context::default());
        if report.is_valid() {
            let doc = Document::from_json(text, root).expect("a valid payload reads");
            doc.try_to_xml(false)
                .expect("a valid payload writes as XML");
        }
    }
});
