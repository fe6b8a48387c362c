//! Fuzzes `orcid_validate::validate_str`: format detection, then either
//! format's validation, with the root of a JSON text inferred.
//!
//! Input: arbitrary bytes, read as UTF-8 text (others are skipped).
//! Checks: `validate_str` never panics, aborts or overflows the stack, and
//! reports the format it detected (`orcid_model::detect_format`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_model::detect_format;
use orcid_validate::{validate_str, Context};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let report = validate_str(text, None, &Context::default());
    assert_eq!(
        report.format,
        detect_format(text).map(|f| f.media_type()),
        "{report:?}"
    );
});
