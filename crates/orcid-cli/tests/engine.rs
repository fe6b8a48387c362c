//! `orcid validate --engine`: libxml2 through the cargo feature `libxml`,
//! a clear usage error without it.

use std::process::Command;

fn orcid(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orcid"))
        .args(args)
        .current_dir(orcid_test_kit::paths::workspace_root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(not(feature = "libxml"))]
#[test]
fn without_the_feature_libxml2_is_a_clear_usage_error() {
    for engine in ["libxml2", "both"] {
        let (code, _, err) = orcid(&["validate", "--engine", engine, "fixtures/work.xml"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("built without"), "{err}");
        assert!(err.contains("--features libxml"), "{err}");
    }
    // The built-in engine is the default and needs nothing (the fixture
    // carries a put-code, which a create refuses: exit 1, not a usage error).
    let (code, out, err) = orcid(&["validate", "--engine", "rust", "fixtures/work.xml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(!err.contains("built without"), "{err}");
}

/// Both engines agree on every upstream v2.1 sample xmllint accepts.
#[cfg(feature = "libxml")]
#[test]
fn both_engines_agree_on_every_sample_xmllint_accepts() {
    use orcid_test_kit::samples::{known_issue, v2_1_samples};
    let cache = orcid_test_kit::paths::schema_cache();
    let cache = cache.to_str().unwrap();
    let mut checked = 0;
    for rel in v2_1_samples() {
        if known_issue(&rel).is_some() || !rel.ends_with(".xml") {
            continue;
        }
        let path = format!("{cache}/{rel}");
        let (code, out, err) = orcid(&[
            "validate",
            "--engine",
            "both",
            "--schema-cache",
            cache,
            &path,
        ]);
        assert_eq!(code, 0, "{rel}: {out}{err}");
        assert!(out.contains("both engines agree: valid"), "{rel}: {out}");
        checked += 1;
    }
    assert!(checked > 40, "only {checked} samples");
}

/// A dateTime with trailing whitespace: valid by the XSD (`whiteSpace =
/// collapse`) and for the built-in engine, refused by libxml2 2.9.
#[cfg(feature = "libxml")]
#[test]
fn both_reports_a_crafted_disagreement() {
    let work = std::fs::read_to_string(orcid_test_kit::paths::fixture("work.xml")).unwrap();
    let crafted = work.replacen(
        "  <work:title>",
        "  <common:created-date>2001-12-31T12:00:00\n\t</common:created-date>\n  <work:title>",
        1,
    );
    assert_ne!(crafted, work);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crafted.xml");
    std::fs::write(&file, crafted).unwrap();
    let file = file.to_str().unwrap();
    let (code, out, err) = orcid(&["validate", "--engine", "both", file]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "engine-disagreement: the built-in validator says valid, libxml2 says invalid"
        ),
        "{out}"
    );
    assert!(out.contains("xs:dateTime"), "{out}");
    let (code, out, _) = orcid(&["validate", "--engine", "both", "--format", "json", file]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["engine-disagreement"], true);
    // libxml2 alone: invalid.
    let (code, out, _) = orcid(&["validate", "--engine", "libxml2", file]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("libxml2: invalid"), "{out}");
}
