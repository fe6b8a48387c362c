//! v2.1 <-> v3.0 conversion (`orcid_model::convert`) over ORCID's samples
//! and the real records.

use orcid_model::convert::{downgrade, upgrade, ConvertError};
use orcid_model::{v2_1, v3_0};
use orcid_test_kit::paths::{real_record_of, schema_cache};
use orcid_test_kit::samples::{v2_1_samples, v3_0_samples};
use std::path::Path;

fn xmllint_available() -> bool {
    let ok = std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmllint is required in CI (apt-get install libxml2-utils)"
        );
        eprintln!("SKIPPED xmllint checks: xmllint not installed (apt-get install libxml2-utils)");
    }
    ok
}

fn xmllint(xsd: &Path, file: &Path) -> Result<(), String> {
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

fn wrapper(dir: &Path, set: orcid_schemas::SchemaSet, name: &str) -> std::path::PathBuf {
    let xsd = dir.join(name);
    std::fs::write(
        &xsd,
        orcid_schemas::wrapper_xsd_for(set, &schema_cache()).unwrap(),
    )
    .unwrap();
    xsd
}

/// v2.1 samples that are valid under the 2.1 XSDs (the input must be valid
/// for the output to be required valid).
fn valid_v2_1_samples(xsd21: Option<&Path>) -> Vec<(String, String)> {
    v2_1_samples()
        .into_iter()
        .filter(|rel| xsd21.is_none_or(|x| xmllint(x, &schema_cache().join(rel)).is_ok()))
        .map(|rel| {
            let text = std::fs::read_to_string(schema_cache().join(&rel)).unwrap();
            (rel, text)
        })
        .collect()
}

/// v2.1 samples v3.0 cannot hold, and why.
const NO_V3_FORM: &[(&str, &str)] = &[
    (
        "record_2.1/samples/read_samples/activities-2.1.xml",
        "a v3.0 peer-review-summary requires reviewer-role and review-type, which a v2.1 summary lacks",
    ),
    (
        "record_2.1/samples/read_samples/record-2.1.xml",
        "a v3.0 peer-review-summary requires reviewer-role and review-type, which a v2.1 summary lacks",
    ),
];

#[test]
fn v2_1_samples_upgrade_to_xsd_valid_v3_0_and_back_without_loss() {
    let lint = xmllint_available();
    let tmp = tempfile::tempdir().unwrap();
    let xsd21 = lint.then(|| wrapper(tmp.path(), orcid_schemas::SchemaSet::V2_1, "w21.xsd"));
    let xsd30 = lint.then(|| wrapper(tmp.path(), orcid_schemas::SchemaSet::V3_0, "w30.xsd"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for (rel, text) in valid_v2_1_samples(xsd21.as_deref()) {
        if NO_V3_FORM.iter().any(|(r, _)| *r == rel) {
            let doc = v2_1::Document::from_xml(&text).unwrap();
            assert!(
                upgrade(&doc).is_err(),
                "{rel} now upgrades: take it off NO_V3_FORM"
            );
            continue;
        }
        let Ok(doc) = v2_1::Document::from_xml(&text) else {
            continue;
        };
        let up = match upgrade(&doc) {
            Ok(up) => up,
            Err(e) => {
                failures.push(format!("{rel}: upgrade: {e}"));
                continue;
            }
        };
        if let Some(xsd) = &xsd30 {
            let out = tmp.path().join("up.xml");
            std::fs::write(&out, up.to_xml(true)).unwrap();
            // An empty journal-title (two v2.1 work samples) is valid in
            // 2.1 but not in 3.0; the upgrade keeps it, as it keeps every
            // v2.1 field, and `orcid validate --api 3.0` reports it.
            let errors: Vec<String> = match xmllint(xsd, &out) {
                Ok(()) => Vec::new(),
                Err(e) => e
                    .lines()
                    .filter(|l| {
                        l.contains("validity error")
                            && !l.contains("journal-title': [facet 'pattern']")
                    })
                    .map(str::to_owned)
                    .collect(),
            };
            if !errors.is_empty() {
                let e = errors.join("\n");
                failures.push(format!("{rel}: upgraded XML invalid under 3.0: {e}"));
            }
        }
        match downgrade(&up) {
            Ok((back, losses)) => {
                if !losses.is_empty() {
                    failures.push(format!("{rel}: round trip losses {losses:?}"));
                }
                if back != doc {
                    failures.push(format!("{rel}: round trip differs"));
                }
            }
            Err(e) => failures.push(format!("{rel}: downgrade: {e}")),
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} samples checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn v3_0_samples_downgrade_to_xsd_valid_v2_1_with_their_losses() {
    let lint = xmllint_available();
    let tmp = tempfile::tempdir().unwrap();
    let xsd21 = lint.then(|| wrapper(tmp.path(), orcid_schemas::SchemaSet::V2_1, "w21.xsd"));
    let xsd30 = lint.then(|| wrapper(tmp.path(), orcid_schemas::SchemaSet::V3_0, "w30.xsd"));
    let mut failures = Vec::new();
    let mut report = String::new();
    for rel in v3_0_samples() {
        let path = schema_cache().join(&rel);
        if let Some(x) = &xsd30 {
            if xmllint(x, &path).is_err() {
                continue;
            }
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(doc) = v3_0::Document::from_xml(&text) else {
            continue;
        };
        match downgrade(&doc) {
            Ok((down, losses)) => {
                report.push_str(&format!("{rel}:\n"));
                for l in &losses {
                    report.push_str(&format!("  {l}\n"));
                }
                if let Some(xsd) = &xsd21 {
                    let out = tmp.path().join("down.xml");
                    std::fs::write(&out, down.to_xml(true)).unwrap();
                    if let Err(e) = xmllint(xsd, &out) {
                        failures.push(format!("{rel}: downgraded XML invalid under 2.1: {e}"));
                    }
                }
            }
            Err(ConvertError::Unrepresentable { root, .. }) => {
                report.push_str(&format!("{rel}: unrepresentable root {root}\n"));
            }
            Err(e) => failures.push(format!("{rel}: {e}")),
        }
    }
    insta::assert_snapshot!("v3_0_sample_losses", report);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn real_records_convert_both_ways() {
    let (v3, _) = real_record_of("v3.0");
    let doc = v3_0::Document::from_xml(&v3).unwrap();
    let (down, losses) = downgrade(&doc).expect("real v3.0 record downgrades");
    let report: String = losses.iter().map(|l| format!("{l}\n")).collect();
    insta::assert_snapshot!("real_v3_0_record_losses", report);
    assert!(matches!(down.root(), v2_1::Root::RecordRecord));

    let (v2, _) = real_record_of("v2.1");
    let doc = v2_1::Document::from_xml(&v2).unwrap();
    let up = upgrade(&doc).expect("real v2.1 record upgrades");
    let (back, losses) = downgrade(&up).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(back, doc);
}

#[test]
fn downgrade_maps_types_roles_and_drops_version_of_with_losses() {
    let xml = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:title><common:title>T</common:title></work:title>
  <work:type>preprint</work:type>
  <common:external-ids>
    <common:external-id><common:external-id-type>doi</common:external-id-type><common:external-id-value>10.1/a</common:external-id-value><common:external-id-relationship>self</common:external-id-relationship></common:external-id>
    <common:external-id><common:external-id-type>doi</common:external-id-type><common:external-id-value>10.1/b</common:external-id-value><common:external-id-relationship>version-of</common:external-id-relationship></common:external-id>
  </common:external-ids>
  <common:url>https://example.org</common:url>
  <work:contributors><work:contributor><work:credit-name>A</work:credit-name><work:contributor-attributes><work:contributor-role>http://credit.niso.org/contributor-roles/writing-original-draft/</work:contributor-role></work:contributor-attributes></work:contributor></work:contributors>
</work:work>"#;
    let doc = v3_0::Document::from_xml(xml).unwrap();
    let (down, losses) = downgrade(&doc).unwrap();
    let out = down.to_xml(false);
    assert!(out.contains("<work:type>other</work:type>"), "{out}");
    assert!(
        out.contains("<work:url>https://example.org</work:url>"),
        "{out}"
    );
    assert!(
        out.contains("<work:contributor-role>author</work:contributor-role>"),
        "{out}"
    );
    assert!(!out.contains("10.1/b"), "{out}");
    let paths: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/work:work/work:type",
            "/work:work/common:external-ids/common:external-id[2]",
            "/work:work/work:contributors/work:contributor/work:contributor-attributes/work:contributor-role",
        ]
    );
}

#[test]
fn v3_only_roots_do_not_downgrade() {
    let xml = r#"<distinction:distinction xmlns:distinction="http://www.orcid.org/ns/distinction" xmlns:common="http://www.orcid.org/ns/common">
  <common:organization><common:name>O</common:name><common:address><common:city>C</common:city><common:country>NZ</common:country></common:address></common:organization>
</distinction:distinction>"#;
    let doc = v3_0::Document::from_xml(xml).unwrap();
    assert!(matches!(
        downgrade(&doc),
        Err(ConvertError::Unrepresentable { .. })
    ));
}

/// The model reads an absent required element or an empty required list,
/// so a conversion that would leave one refuses by itself: a permission
/// notification whose only item is of a v3.0-only type has no v2.1 form.
#[test]
fn a_downgrade_that_empties_the_notification_items_is_refused() {
    let permission = |item_type: &str| {
        format!(
            r#"<notification:notification xmlns:notification="http://www.orcid.org/ns/notification" xmlns:common="http://www.orcid.org/ns/common"><notification:notification-type>permission</notification:notification-type><notification:authorization-url><notification:uri>https://example.org/connect</notification:uri></notification:authorization-url><notification:notification-subject>Connect</notification:notification-subject><notification:notification-intro>Please connect.</notification:notification-intro><notification:items><notification:item><notification:item-type>{item_type}</notification:item-type><notification:item-name>An item</notification:item-name></notification:item></notification:items></notification:notification>"#
        )
    };
    let v3 = v3_0::Document::from_xml(&permission("distinction")).unwrap();
    match downgrade(&v3) {
        Err(ConvertError::Missing {
            parent, element, ..
        }) => {
            assert_eq!(
                (parent.as_str(), element),
                ("notification:items", "notification:item")
            );
        }
        other => panic!("expected Missing, got {other:?}"),
    }
    let v3 = v3_0::Document::from_xml(&permission("work")).unwrap();
    assert!(downgrade(&v3).is_ok());
}
