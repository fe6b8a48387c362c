//! The corpus of real ORCID payloads (issue 13): responses recorded from
//! ORCID's servers and bodies ORCID accepted, gathered from public projects'
//! test fixtures. `fixtures/real/INDEX.tsv` lists every file with its API
//! version, format, root element and kind; `fixtures/real/PROVENANCE.md`
//! says where each came from. The files themselves live in the shared data
//! (`../shared/orcid-corpus/`, next to the workspace), as found.
//!
//! Every file must read in its version (v2.0 with the v2.1 model: ORCID's
//! v2.0 and v2.1 share namespaces and element names) and round-trip: its own
//! format → model → same format → model, and across formats (XML → JSON →
//! model, JSON → XML → model), always to an equal model. Files ORCID wrote
//! that break ORCID's own XSD are the point of the corpus: they are listed
//! in [`KNOWN_FAILURES`] with the exact reason, and the test insists they
//! still fail that way, so fixing the reader shrinks the table.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use orcid_model::{AnyDocument, AnyRoot, Format, Version};
use orcid_test_kit::paths::real_corpus_dir;

/// Files that do not pass today, with the exact first failure.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    // ORCID's own v2.0 record output (the message listener's and indexer's
    // copy of a public record, with ORCID's `internal` namespace declared):
    // ORCID writes a `common:last-modified-date` first in `record:record`,
    // which neither record-2.0.xsd nor record-2.1.xsd has.
    (
        "v2.0/xml/orcid-source/orcid-activities-indexer-v20record.xml",
        r#"read: 21:5: element `common:last-modified-date` is not allowed here (at /record:record/common:last-modified-date)"#,
    ),
    (
        "v2.0/xml/orcid-source/orcid-activities-indexer-v20recordWithPDB.xml",
        r#"read: 21:5: element `common:last-modified-date` is not allowed here (at /record:record/common:last-modified-date)"#,
    ),
    (
        "v2.0/xml/orcid-source/orcid-message-listener-v20record.xml",
        r#"read: 3:5: element `common:last-modified-date` is not allowed here (at /record:record/common:last-modified-date)"#,
    ),
    (
        "v2.0/xml/orcid-source/orcid-message-listener-v20recordWithPDB.xml",
        r#"read: 3:5: element `common:last-modified-date` is not allowed here (at /record:record/common:last-modified-date)"#,
    ),
    // ORCID's hand-made v2.0/v2.1 test documents (orcid-core): JAXB reads
    // leniently, so they kept names from the release candidates and drafts
    // that the final XSDs do not have. (What they leave out that the XSD
    // requires, e.g. `funding:organization` in test-activities, reads: the
    // model holds every XSD-required property as `Option`.)
    // The v2.0 ones fail against the 2.0 XSDs too (not a 2.0/2.1
    // difference): checked in ORCID-Source's record_2.0 and group-id-2.0.
    (
        "v2.0/xml/orcid-source/test-fundings-2.0.xml",
        r#"read: 33:4: element `funding:external-identifiers` is not allowed here (at /activities:fundings/activities:group/funding:funding-summary/funding:external-identifiers)"#,
    ),
    (
        "v2.0/xml/orcid-source/test-group-id-2.0.xml",
        r#"read: 2:1: `group-id:group-id` is not a root element of the ORCID v2.1 schema (at /group-id:group-id)"#,
    ),
    (
        "v2.0/xml/orcid-source/test-peer-reviews-2.0.xml",
        r#"read: 28:4: element `peer-review:external-identifiers` is not allowed here (at /activities:peer-reviews/activities:group/peer-review:peer-review-summary/peer-review:external-identifiers)"#,
    ),
    (
        "v2.0/xml/orcid-source/test-record-2.0.xml",
        r#"read: 22:2: element `deprecated:deprecated (namespace `http://www.orcid.org/ns/deprecated`)` is not allowed here (at /record:record/deprecated:deprecated)"#,
    ),
    (
        "v2.0/xml/orcid-source/test-works-2.0.xml",
        r#"read: 35:6: element `work:external-id-type` is not allowed here (at /activities:works/activities:group/work:work-summary/common:external-ids/common:external-id/work:external-id-type)"#,
    ),
    (
        "v2.1/xml/orcid-source/test-fundings-2.1.xml",
        r#"read: 33:4: element `funding:external-identifiers` is not allowed here (at /activities:fundings/activities:group/funding:funding-summary/funding:external-identifiers)"#,
    ),
    (
        "v2.1/xml/orcid-source/test-peer-reviews-2.1.xml",
        r#"read: 28:4: element `peer-review:external-identifiers` is not allowed here (at /activities:peer-reviews/activities:group/peer-review:peer-review-summary/peer-review:external-identifiers)"#,
    ),
    (
        "v2.1/xml/orcid-source/test-record-2.1.xml",
        r#"read: 22:2: element `deprecated:deprecated (namespace `http://www.orcid.org/ns/deprecated`)` is not allowed here (at /record:record/deprecated:deprecated)"#,
    ),
    (
        "v2.1/xml/orcid-source/test-works-2.1.xml",
        r#"read: 35:6: element `work:external-id-type` is not allowed here (at /activities:works/activities:group/work:work-summary/common:external-ids/common:external-id/work:external-id-type)"#,
    ),
];

/// The same item as XML and as JSON, which must read to equal models.
const PAIRS: &[(&str, &str)] = &[
    (
        "v2.0/xml/orcid-conversion-lib/test-conversionlib-record-2.0.record.xml",
        "v2.0/json/orcid-conversion-lib/test-conversionlib-record-2.0.record.json",
    ),
    (
        "v2.1/xml/orcid-conversion-lib/test-conversionlib-record-2.1.record.xml",
        "v2.1/json/orcid-conversion-lib/test-conversionlib-record-2.1.record.json",
    ),
    (
        "v3.0/xml/orcid-conversion-lib/test-conversionlib-record-3.0.record.xml",
        "v3.0/json/orcid-conversion-lib/test-conversionlib-record-3.0.record.json",
    ),
];

use orcid_test_kit::paths::RealCorpusEntry as Entry;

fn corpus_dir() -> PathBuf {
    real_corpus_dir().expect("checked by each test")
}

fn index() -> Vec<Entry> {
    orcid_test_kit::paths::real_corpus_index()
}

fn read_text(rel: &str) -> String {
    let path = corpus_dir().join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the corpus lives in the shared data; see fixtures/real/PROVENANCE.md)",
            path.display()
        )
    })
}

/// The model a corpus version is read with: ORCID's v2.0 and v2.1 share
/// their namespaces and elements, so v2.0 is read with the v2.1 model.
fn model_version(version: &str) -> Version {
    match version {
        "2.0" | "2.1" => Version::V2_1,
        "3.0" => Version::V3_0,
        other => panic!("INDEX.tsv: unknown version {other}"),
    }
}

/// Reads `text` in `version`; `root` names the root of a JSON text (XML
/// names its own, checked against the index after reading).
fn read(text: &str, root: &str, version: Version) -> Result<AnyDocument, String> {
    let root = match orcid_model::detect_format(text) {
        Some(Format::Json) => Some(AnyRoot::from_name(root).map_err(|e| e.to_string())?),
        _ => None,
    };
    AnyDocument::read(text, root, Some(version), version)
        .map(|(doc, _, _)| doc)
        .map_err(|e| e.to_string())
}

/// Reads one entry and round-trips it; the first failure, named by stage.
fn check(e: &Entry) -> Result<(), String> {
    let text = read_text(&e.path);
    let version = model_version(&e.version);
    let doc = read(&text, &e.root, version).map_err(|m| format!("read: {m}"))?;
    let format = orcid_model::detect_format(&text);
    let expected = match e.format.as_str() {
        "xml" => Format::Xml,
        "json" => Format::Json,
        other => panic!("{}: unknown format {other}", e.path),
    };
    assert_eq!(format, Some(expected), "{}: INDEX.tsv format", e.path);
    assert_eq!(doc.version(), version, "{}", e.path);
    assert_eq!(
        doc.root_name(),
        e.root,
        "{}: INDEX.tsv root differs from the document's",
        e.path
    );
    let xml = doc.to_xml(true);
    let from_xml =
        read(&xml, &e.root, version).map_err(|m| format!("model -> XML -> model: {m}"))?;
    if from_xml != doc {
        return Err("model -> XML -> model: the model differs".into());
    }
    let json = doc
        .to_json(true)
        .map_err(|m| format!("model -> JSON: {m}"))?;
    let from_json =
        read(&json, &e.root, version).map_err(|m| format!("model -> JSON -> model: {m}"))?;
    if from_json != doc {
        return Err("model -> JSON -> model: the model differs".into());
    }
    // Across formats both ways: XML written from the JSON-read model reads
    // back equal, and JSON written from the XML-read model too.
    let cross_json = from_xml
        .to_json(false)
        .map_err(|m| format!("XML -> JSON: {m}"))?;
    if read(&cross_json, &e.root, version).as_ref() != Ok(&doc) {
        return Err("XML -> model -> JSON -> model: the model differs".into());
    }
    let cross_xml = from_json.to_xml(false);
    if read(&cross_xml, &e.root, version).as_ref() != Ok(&doc) {
        return Err("JSON -> model -> XML -> model: the model differs".into());
    }
    Ok(())
}

#[test]
fn index_is_sound() {
    if real_corpus_dir().is_none() {
        return;
    }
    let entries = index();
    assert!(entries.len() >= 150, "only {} files", entries.len());
    let mut per: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in &entries {
        assert!(
            e.path.starts_with(&format!("v{}/{}/", e.version, e.format)),
            "{}: not under v{}/{}/",
            e.path,
            e.version,
            e.format
        );
        assert!(
            ["response", "request", "fixture"].contains(&e.kind.as_str()),
            "{}: kind {}",
            e.path,
            e.kind
        );
        *per.entry((e.version.clone(), e.format.clone()))
            .or_default() += 1;
    }
    for (path, _) in KNOWN_FAILURES {
        assert!(
            entries.iter().any(|e| e.path == *path),
            "KNOWN_FAILURES names {path}, which INDEX.tsv does not list"
        );
    }
    // Every file the index lists is there, and every file there is listed.
    let listed: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    let mut present = orcid_test_kit::paths::list_files(&corpus_dir());
    present.retain(|p| p != "INDEX.tsv" && p != "PROVENANCE.md");
    let mut want: Vec<&str> = listed.clone();
    want.sort_unstable();
    assert_eq!(present, want, "the corpus and INDEX.tsv differ");
    eprintln!("corpus: {per:?}");
}

#[test]
fn every_file_reads_and_round_trips_or_fails_as_known() {
    if real_corpus_dir().is_none() {
        return;
    }
    let known: BTreeMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let mut problems = Vec::new();
    let mut passed = 0;
    for e in index() {
        let got = check(&e);
        match (got, known.get(e.path.as_str())) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => problems.push(format!(
                "{}: now passes; remove it from KNOWN_FAILURES",
                e.path
            )),
            (Err(m), None) => problems.push(format!("{}: {m}", e.path)),
            (Err(m), Some(want)) if m == *want => {}
            (Err(m), Some(want)) => problems.push(format!(
                "{}: fails differently: {m}\n   (KNOWN_FAILURES says: {want})",
                e.path
            )),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(passed > 0);
}

#[test]
fn pairs_read_to_equal_models() {
    if real_corpus_dir().is_none() {
        return;
    }
    let entries = index();
    for (xml, json) in PAIRS {
        let find = |p: &str| {
            entries
                .iter()
                .find(|e| e.path == p)
                .unwrap_or_else(|| panic!("PAIRS names {p}, which INDEX.tsv does not list"))
        };
        let (x, j) = (find(xml), find(json));
        assert_eq!(
            (&x.version, &x.root),
            (&j.version, &j.root),
            "{xml} / {json}"
        );
        let version = model_version(&x.version);
        let a = read(&read_text(xml), &x.root, version).unwrap();
        let b = read(&read_text(json), &j.root, version).unwrap();
        assert_eq!(a, b, "{xml} and {json} read to different models");
        // And each converts into the other.
        assert_eq!(
            read(&a.to_json(false).unwrap(), &j.root, version),
            Ok(b.clone())
        );
        assert_eq!(read(&b.to_xml(false), &x.root, version), Ok(a));
    }
}

/// ORCID's record-summary test document has `summary:email-domains` before
/// `summary:education-qualifications` and `summary:research-resources`,
/// which the XSD's sequence puts last. JAXB reads it; so does the model,
/// noting each element that went back in the sequence (and writing the
/// XSD's order).
#[test]
fn summary_document_out_of_order_reads_with_notes() {
    if real_corpus_dir().is_none() {
        return;
    }
    let text = read_text("v3.0/xml/orcid-source/summary-3.0.xml");
    let read = orcid_model::AnyDocument::read_noting(&text, None, None, Version::V3_0)
        .expect("summary-3.0.xml reads");
    let notes: Vec<String> = read
        .notes
        .iter()
        .map(|n| format!("{}:{}: {} ({})", n.line, n.column, n.kind, n.path))
        .collect();
    assert_eq!(
        notes,
        [
            "1:4842: element `summary:education-qualifications` is out of order (the schema fixes the order of elements) (/summary:record-summary/summary:education-qualifications)",
            "1:5538: element `summary:research-resources` is out of order (the schema fixes the order of elements) (/summary:record-summary/summary:research-resources)",
        ],
    );
    let again =
        orcid_model::AnyDocument::read_noting(&read.doc.to_xml(false), None, None, Version::V3_0)
            .unwrap();
    assert!(
        again.notes.is_empty(),
        "written in the XSD's order: {:?}",
        again.notes
    );
    assert_eq!(again.doc, read.doc);
}
