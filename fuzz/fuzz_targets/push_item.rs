//! Fuzzes the reader of `orcid push` item files and what push computes
//! from an item (its registry key and content hash).
//!
//! Input: one selector byte, then the file's bytes. The selector says what
//! the file name declares (`paper.work.json`): nothing when it is past the
//! item sections, else `ItemSection::ALL[byte]`.
//!
//! Checks: `orcid_push::parse_item` never panics; a JSON item read with a
//! declared kind has that kind's root; for an item that can be pushed,
//! `set_put_code`, `content_hash` and `derived_key` do not panic, and the
//! hash ignores the put-code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcid_model::scalar::PutCode;
use orcid_model::{detect_format, Format, ItemSection};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let declared = ItemSection::ALL.get(usize::from(selector)).copied();
    let Ok(mut doc) = orcid_push::parse_item(bytes, declared) else {
        return;
    };
    let json = std::str::from_utf8(bytes)
        .ok()
        .and_then(detect_format)
        .is_some_and(|f| f == Format::Json);
    if let (true, Some(kind)) = (json, declared) {
        assert_eq!(doc.root(), kind.root(), "a JSON item has the declared root");
    }
    let Some(kind) = ItemSection::of_root(doc.root()) else {
        return;
    };
    let _ = orcid_push::derived_key(&doc, kind);
    orcid_push::set_put_code(&mut doc, None);
    let hash = orcid_push::content_hash(&doc);
    orcid_push::set_put_code(&mut doc, Some(PutCode(4711)));
    assert_eq!(
        orcid_push::content_hash(&doc),
        hash,
        "the content hash does not depend on the put-code"
    );
});
