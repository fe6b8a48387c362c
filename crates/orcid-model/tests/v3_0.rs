//! ORCID API v3.0 in both wire formats: every upstream 3.0 sample, and the
//! real record ORCID served as v3.0 XML and JSON.

mod support;

use orcid_model::v3_0::{Document, Root};
use orcid_test_kit::paths::{real_record_of, schema_cache};
use orcid_test_kit::samples::{
    known_issue, v3_0_json_samples, v3_0_samples, KnownIssue, KNOWN_ISSUES,
};
use serde_json::Value;
use support::{canonical, strip_nulls};

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn real_v3_0_record_xml_to_json_equals_orcids_json() {
    let (xml, json) = real_record_of("v3.0");
    let doc = Document::from_xml(&xml).unwrap();
    assert_eq!(doc.root(), Root::RecordRecord);
    assert_eq!(value(&doc.to_json(true).unwrap()), value(&json));
}

#[test]
fn real_v3_0_record_json_to_xml_is_orcids_xml() {
    let (xml, json) = real_record_of("v3.0");
    let from_json = Document::from_json(&json, None).unwrap();
    assert_eq!(from_json.root(), Root::RecordRecord);
    let back = Document::from_xml(&from_json.to_xml(true)).unwrap();
    assert_eq!(back, Document::from_xml(&xml).unwrap());
    assert_eq!(value(&back.to_json(false).unwrap()), value(&json));
}

#[test]
fn every_v3_0_xml_sample_round_trips() {
    let samples = v3_0_samples();
    assert!(samples.len() >= 50, "only {} samples", samples.len());
    for (p, _, _) in KNOWN_ISSUES.iter().filter(|(p, _, _)| p.contains("3.0")) {
        assert!(
            samples.iter().any(|s| s == p),
            "known-issue list names a missing sample {p}"
        );
    }
    let mut failures = Vec::new();
    for rel in &samples {
        let text = std::fs::read_to_string(schema_cache().join(rel)).unwrap();
        let issue = known_issue(rel);
        if matches!(issue, Some(KnownIssue::Invalid | KnownIssue::OutOfScope)) {
            assert!(
                Document::from_xml(&text).is_err(),
                "{rel}: a known-bad sample now reads; update the known-issue list"
            );
            continue;
        }
        let doc = match Document::from_xml(&text) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let out = doc.to_xml(true);
        if canonical(&text) != canonical(&out) {
            failures.push(format!("{rel}: XML round trip differs"));
            continue;
        }
        let json = doc.to_json(true).unwrap();
        let back = Document::from_json(&json, Some(doc.root()))
            .unwrap_or_else(|e| panic!("{rel}: {e}\n{json}"));
        assert_eq!(back.to_json(true).unwrap(), json, "{rel}: JSON round trip");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Whether our JSON means what ORCID's sample says: equal, where a bare
/// scalar in the sample may be the `{"value": …}` we write (R14 leniency).
fn same_modulo_wrappers(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            o.len() == t.len()
                && o.iter()
                    .all(|(k, v)| t.get(k).is_some_and(|tv| same_modulo_wrappers(v, tv)))
        }
        (Value::Array(o), Value::Array(t)) => {
            o.len() == t.len() && o.iter().zip(t).all(|(a, b)| same_modulo_wrappers(a, b))
        }
        (Value::Object(o), t) if o.len() == 1 && o.contains_key("value") => {
            same_modulo_wrappers(&o["value"], t)
        }
        (o, t) => o == t,
    }
}

/// Reads a JSON sample: by its keys, else as the longest root name its file
/// name starts with that reads (`keywords-3.0.json` holds one keyword).
fn read_json_sample(rel: &str, text: &str) -> Result<Document, String> {
    if let Ok(doc) = Document::from_json(text, None) {
        return Ok(doc);
    }
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let mut roots: Vec<Root> = Root::ALL
        .iter()
        .copied()
        .filter(|r| stem.starts_with(r.local_name()))
        .collect();
    roots.sort_by_key(|r| std::cmp::Reverse(r.local_name().len()));
    let mut last = format!("{rel}: no root matches the file name");
    for root in roots {
        match Document::from_json(text, Some(root)) {
            Ok(doc) => return Ok(doc),
            Err(e) => last = format!("{rel} as {}: {e}", root.local_name()),
        }
    }
    Err(last)
}

#[test]
fn every_v3_0_json_sample_reads_and_writes_back() {
    let samples = v3_0_json_samples();
    assert!(samples.len() >= 25, "only {} samples", samples.len());
    let mut failures = Vec::new();
    for rel in &samples {
        let text = std::fs::read_to_string(schema_cache().join(rel)).unwrap();
        let doc = match read_json_sample(rel, &text) {
            Ok(d) => d,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let mut ours = value(&doc.to_json(false).unwrap());
        let mut theirs = value(&text);
        strip_nulls(&mut ours);
        strip_nulls(&mut theirs);
        if !same_modulo_wrappers(&ours, &theirs) {
            failures.push(format!(
                "{rel}: JSON differs:\n ours   {ours}\n theirs {theirs}"
            ));
        }
        let again = Document::from_json(&doc.to_json(true).unwrap(), Some(doc.root())).unwrap();
        assert_eq!(again, doc, "{rel}: via our JSON");
        let xml = doc.to_xml(true);
        assert_eq!(Document::from_xml(&xml).unwrap(), doc, "{rel}: via XML");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn xmllint(xsd: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file)
        .output()
        .expect("run xmllint");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn written_v3_0_xml_validates_against_the_3_0_xsds_with_xmllint() {
    let available = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is required in CI (apt-get install libxml2-utils)"
        );
        eprintln!("SKIPPED: xmllint not installed (apt-get install libxml2-utils)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let xsd = tmp.path().join("wrapper.xsd");
    let wrapper =
        orcid_schemas::wrapper_xsd_for(orcid_schemas::SchemaSet::V3_0, &schema_cache()).unwrap();
    std::fs::write(&xsd, wrapper).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    let (real, _) = real_record_of("v3.0");
    let mut inputs: Vec<(String, String)> = vec![("real v3.0 record".into(), real)];
    for rel in v3_0_samples() {
        // Some upstream samples break their own XSD (a whitespace-padded
        // dateTime, an empty journal-title): our output is only required
        // to validate where the input did.
        if xmllint(&xsd, &schema_cache().join(&rel)).is_err() {
            continue;
        }
        let text = std::fs::read_to_string(schema_cache().join(&rel)).unwrap();
        inputs.push((rel, text));
    }
    for (name, text) in inputs {
        let Ok(doc) = Document::from_xml(&text) else {
            continue;
        };
        let out = tmp.path().join("out.xml");
        std::fs::write(&out, doc.to_xml(true)).unwrap();
        if let Err(e) = xmllint(&xsd, &out) {
            failures.push(format!("{name}: {e}"));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 35, "only {checked} outputs validated");
}

#[test]
fn version_detection_never_contradicts_the_samples() {
    use orcid_model::{detect_version, Detected, Format, Version};
    let check = |rel: &str, expected: Version, format: Format| -> bool {
        let text = std::fs::read_to_string(schema_cache().join(rel)).unwrap();
        match detect_version(&text, format) {
            Detected::Certain { version, marker } => {
                assert_eq!(version, expected, "{rel}: detected by {marker}");
                true
            }
            Detected::Ambiguous => false,
        }
    };
    let mut certain = 0;
    for rel in v3_0_samples() {
        certain += usize::from(check(&rel, Version::V3_0, Format::Xml));
    }
    for rel in v3_0_json_samples() {
        certain += usize::from(check(&rel, Version::V3_0, Format::Json));
    }
    for rel in orcid_test_kit::samples::v2_1_samples() {
        certain += usize::from(check(&rel, Version::V2_1, Format::Xml));
    }
    assert!(certain > 60, "only {certain} samples tell their version");
    for (version, expected) in [("v2.1", Version::V2_1), ("v3.0", Version::V3_0)] {
        let (xml, json) = real_record_of(version);
        assert_eq!(
            detect_version(&xml, Format::Xml).or(Version::V2_1),
            expected
        );
        assert_eq!(
            detect_version(&json, Format::Json).or(Version::V2_1),
            expected
        );
        assert_eq!(
            detect_version(&json, Format::Json).or(Version::V3_0),
            expected
        );
    }
}

fn assert_schema_valid(root: Root, json: &Value, what: &str) {
    let schema = root.json_schema();
    let v = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("{}: invalid schema: {e}", root.qualified_name()));
    let errors: Vec<String> = v
        .iter_errors(json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn the_v3_0_json_schema_accepts_orcids_json_and_every_sample_image() {
    let (_, json) = real_record_of("v3.0");
    assert_schema_valid(Root::RecordRecord, &value(&json), "real v3.0 record");
    let mut checked = 0;
    for rel in v3_0_samples() {
        let Ok(doc) =
            Document::from_xml(&std::fs::read_to_string(schema_cache().join(&rel)).unwrap())
        else {
            continue;
        };
        assert_schema_valid(doc.root(), &value(&doc.to_json(false).unwrap()), &rel);
        checked += 1;
    }
    assert!(checked >= 50, "{checked}");
    // And it rejects what ORCID rejects on read: an unknown key.
    let schema = Root::WorkWork.json_schema();
    let v = jsonschema::validator_for(&schema).unwrap();
    assert!(!v.is_valid(&serde_json::json!({"title": null, "nonsense": 1})));
}
