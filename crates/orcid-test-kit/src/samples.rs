//! ORCID's upstream v2.1 and v3.0 samples in the schema cache, and the ones that are
//! not plain valid documents.

use std::path::PathBuf;

use crate::paths::{list_files, schema_cache};

/// Every v2.1 upstream XML sample, relative to the schema cache, sorted.
pub fn v2_1_samples() -> Vec<String> {
    list_files(&schema_cache())
        .into_iter()
        .filter(|rel| rel.ends_with(".xml"))
        .filter(|rel| rel.contains("_2.1/") || rel.starts_with("group-id-2.1/"))
        .collect()
}

/// Every v3.0 upstream XML sample, relative to the schema cache, sorted.
pub fn v3_0_samples() -> Vec<String> {
    v3_0_files("xml")
}

/// Every v3.0 upstream JSON sample, relative to the schema cache, sorted.
pub fn v3_0_json_samples() -> Vec<String> {
    v3_0_files("json")
}

fn v3_0_files(ext: &str) -> Vec<String> {
    list_files(&schema_cache())
        .into_iter()
        .filter(|rel| rel.ends_with(&format!(".{ext}")))
        .filter(|rel| rel.contains("_3.0/") || rel.starts_with("group-id-3.0/"))
        .collect()
}

/// [`v2_1_samples`] as full paths, in the same order.
pub fn v2_1_sample_paths() -> Vec<PathBuf> {
    let cache = schema_cache();
    v2_1_samples().iter().map(|rel| cache.join(rel)).collect()
}

/// The upstream full work sample (`work-full-2.1.xml`), and a
/// `<bulk:bulk>` of `copies` of its body, the `i`-th as `item(i, body)`
/// makes it: the inputs of the benches.
pub fn work_and_bulk(copies: usize, item: impl Fn(usize, &str) -> String) -> (String, String) {
    let path = schema_cache().join("record_2.1/samples/write_sample/work-full-2.1.xml");
    let work = std::fs::read_to_string(path).expect("run `cargo xtask sync-schemas` first");
    let body = work
        .split_once("?>")
        .map_or(work.as_str(), |(_, b)| b)
        .trim();
    let mut bulk = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\">\n",
    );
    for i in 0..copies {
        bulk.push_str(&item(i, body));
        bulk.push('\n');
    }
    bulk.push_str("</bulk:bulk>\n");
    (work, bulk)
}

/// What is known to be wrong with an upstream sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownIssue {
    /// Invalid against its own XSD: our reader rejects it, and so does libxml2.
    Invalid,
    /// Valid by the XSD spec but rejected by libxml2 2.9 (xs:dateTime with
    /// surrounding whitespace, which `whiteSpace=collapse` allows): our
    /// reader accepts it, xmllint rejects the original.
    LibxmlRejectsValid,
    /// Out of scope: not a member-API payload of the model.
    OutOfScope,
}

/// The upstream samples that are not plain valid documents, in one place:
/// path relative to the cache, issue, why.
pub const KNOWN_ISSUES: &[(&str, KnownIssue, &str)] = &[
    (
        "record_2.1/samples/read_samples/fundings-2.1.xml",
        KnownIssue::Invalid,
        "uses <funding:summary> where the XSD requires <funding:funding-summary>",
    ),
    (
        "record_2.1/samples/read_samples/peer-reviews-2.1.xml",
        KnownIssue::Invalid,
        "uses <peer-review:summary> where the XSD requires <peer-review:peer-review-summary>",
    ),
    (
        "record_2.1/samples/read_samples/keyword-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "record_2.1/samples/read_samples/keywords-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "record_2.1/samples/read_samples/researcher-url-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "record_3.0/samples/read_samples/peer-reviews-3.0.xml",
        KnownIssue::Invalid,
        "uses <peer-review:summary> where the XSD requires <peer-review:peer-review-summary>",
    ),
    (
        "notification_3.0/samples/notification-custom-3.0.xml",
        KnownIssue::OutOfScope,
        "a custom notification (see notification-custom-2.1.xml)",
    ),
    (
        "notification_2.1/samples/notification-custom-2.1.xml",
        KnownIssue::OutOfScope,
        "a custom notification: it reuses the element notification:notification of \
         notification-permission with another type, and is not member-writable",
    ),
];

/// The known issue of a sample (path relative to the cache), if any.
pub fn known_issue(rel: &str) -> Option<KnownIssue> {
    KNOWN_ISSUES
        .iter()
        .find(|(p, _, _)| *p == rel)
        .map(|(_, k, _)| *k)
}
