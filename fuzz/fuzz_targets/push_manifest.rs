//! Fuzzes the reader of `orcid push` manifests (TOML naming, per
//! researcher, the folders or files of their items).
//!
//! Input: the manifest's text (UTF-8; others are skipped).
//!
//! Checks: `orcid_push::parse_manifest` never panics; a manifest it accepts
//! has at least one researcher, no researcher twice, no researcher without
//! items, and every item path resolved against the base (a relative path
//! lands under it, an absolute one stays as it is).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let base = Path::new("/base");
    let Ok(entries) = orcid_push::parse_manifest(text, base) else {
        return;
    };
    assert!(
        !entries.is_empty(),
        "an accepted manifest names a researcher"
    );
    for (i, e) in entries.iter().enumerate() {
        assert!(!e.items.is_empty(), "{} has no items", e.orcid.0);
        assert!(
            entries[..i].iter().all(|o| o.orcid != e.orcid),
            "{} is listed twice",
            e.orcid.0
        );
        for p in &e.items {
            assert!(
                p.is_absolute(),
                "{} is not resolved against the base",
                p.display()
            );
        }
    }
});
