//! The request bodies of the real-payload corpus (`fixtures/real/`, kind
//! `request`: bodies projects send to ORCID's member API) validated as a
//! POST in their version. A body the validator flags with an error is
//! evidence for the rule audit: each is listed in [`FLAGGED`] with the codes
//! of its error findings, and the test insists on exactly those, so a rule
//! change shows up here.

use std::collections::BTreeMap;
use std::fs;

use orcid_model::{AnyRoot, Version};
use orcid_test_kit::paths::real_corpus_dir;
use orcid_validate::{validate_text, Context, Severity};

/// Request bodies that get error findings today: path and the codes of the
/// error findings, in report order.
const FLAGGED: &[(&str, &[&str])] = &[
    // ORCID-Source's old manual-test bodies predate 279b19dc9f (2023), since
    // which `ExternalIDValidator` refuses an id without a relationship on
    // fundings and peer reviews too (docs/orcid-api.md §10).
    (
        "v2.0/xml/orcid-source/manual-test-ma2_fund.xml",
        &["orcid.external-id.relationship-missing"],
    ),
    (
        "v2.0/xml/orcid-source/manual-test-ma2_peer.xml",
        &["orcid.external-id.relationship-missing"],
    ),
];

/// (path, version, root) of every `request` row of `fixtures/real/INDEX.tsv`.
fn requests() -> Vec<(String, String, String)> {
    orcid_test_kit::paths::real_corpus_index()
        .into_iter()
        .filter(|e| e.kind == "request")
        .map(|e| (e.path, e.version, e.root))
        .collect()
}

#[test]
fn request_bodies_validate_or_are_flagged_as_known() {
    let Some(corpus) = real_corpus_dir() else {
        return;
    };
    let flagged: BTreeMap<&str, &[&str]> = FLAGGED.iter().copied().collect();
    let bodies = requests();
    assert!(!bodies.is_empty(), "INDEX.tsv lists no request bodies");
    for (path, _) in FLAGGED {
        assert!(
            bodies.iter().any(|(p, _, _)| p == path),
            "FLAGGED names {path}, which is not a request body of INDEX.tsv"
        );
    }
    let mut problems = Vec::new();
    for (rel, version, root) in &bodies {
        let file = corpus.join(rel);
        let text = fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the corpus lives in the shared data; see fixtures/real/PROVENANCE.md)",
                file.display()
            )
        });
        let version = match version.as_str() {
            "2.0" | "2.1" => Version::V2_1,
            "3.0" => Version::V3_0,
            other => panic!("{rel}: unknown version {other}"),
        };
        let root = AnyRoot::from_name(root).unwrap();
        let report = validate_text(&text, Some(root), version, &Context::default());
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code.to_string())
            .collect();
        let want: Vec<String> = flagged
            .get(rel.as_str())
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        if errors != want {
            let detail: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("    {}: {}", d.code, d.message))
                .collect();
            problems.push(format!(
                "{rel}: errors {errors:?}, FLAGGED says {want:?}\n{}",
                detail.join("\n")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
