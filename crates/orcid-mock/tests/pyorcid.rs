//! pyorcid (PyPI), a third-party Python client of the v3.0 API, reading
//! what was written through the mock's v3.0 API: the record summary with
//! every affiliation type, works, keywords, research resources, peer
//! reviews, expanded and plain search (`tests/data/pyorcid_driver.py`).
//!
//! Needs a Python with pyorcid: `$ORCID_PYORCID_PYTHON` (default
//! `python3`), e.g. `python3 -m venv /tmp/py && /tmp/py/bin/pip install
//! pyorcid==1.2.2`. Without it the test says it is skipped and returns,
//! unless `ORCID_PYORCID_TESTS=require` (set it in CI): then it fails.

mod common;

use std::process::Command;

use common::*;
use orcid_mock::DEMO_ORCID;
use orcid_test_kit::payloads::affiliation;

fn python() -> Option<String> {
    orcid_test_kit::optional::python_with(
        "ORCID_PYORCID_PYTHON",
        "ORCID_PYORCID_TESTS",
        "import pyorcid",
    )
}

#[test]
fn pyorcid_reads_what_the_v3_api_wrote() {
    let Some(python) = python() else {
        return;
    };
    let server = start();
    let token = demo_token(&server);
    let v3 = Api::v3(&server, &token);
    let v2 = Api::new(&server, &token);
    let mut writes = vec![
        ("work".to_string(), work3("Preprint on Lasers", "preprint", "10.5/p")),
        ("peer-review".to_string(), peer_review3("R-1", "issn:0317-8471")),
        ("research-resource".to_string(), research_resource("P-1", "Beamtime")),
        ("keywords".to_string(), r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword" xmlns:common="http://www.orcid.org/ns/common"><keyword:content>optics</keyword:content></keyword:keyword>"#.to_string()),
    ];
    for (t, role) in [
        ("employment", "Engineer"),
        ("education", "Student"),
        ("qualification", "PhD"),
        ("distinction", "Prize Winner"),
        ("invited-position", "Guest Professor"),
        ("membership", "Member"),
        ("service", "Reviewer"),
    ] {
        writes.push((t.to_string(), affiliation(t, &format!("{t}-id"), role)));
    }
    for (path, body) in &writes {
        let r = v3.post(&format!("{DEMO_ORCID}/{path}"), XML, body);
        assert_eq!(r.status, 201, "{path}: {}", r.body);
    }
    // A work written through v2.1 is on the same record.
    let r = v2.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.5/v2"));
    assert_eq!(r.status, 201, "{}", r.body);

    let out = Command::new(&python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/pyorcid_driver.py"
        ))
        .args([server.base_url(), &token, DEMO_ORCID])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert_eq!(v["name"], "Josiah", "{v}\n{stderr}");
    assert_eq!(v["family_name"], "Carberry", "{v}");
    assert_eq!(v["keywords"], serde_json::json!(["optics"]), "{v}");
    let works = v["works"].as_array().unwrap();
    assert!(works.contains(&"Preprint on Lasers".into()), "{v}");
    assert!(
        works.contains(&"Field Notes on Persistent Identifiers".into()),
        "{v}"
    );
    assert!(
        v["work_types"]
            .as_array()
            .unwrap()
            .contains(&"preprint".into()),
        "{v}"
    );
    for (key, role) in [
        ("employments", "Engineer"),
        ("educations", "Student"),
        ("qualifications", "PhD"),
        ("distinctions", "Prize Winner"),
        ("invited_positions", "Guest Professor"),
        ("memberships", "Member"),
        ("services", "Reviewer"),
    ] {
        assert_eq!(v[key], serde_json::json!([role]), "{key}: {v}");
    }
    assert_eq!(
        v["organizations"],
        serde_json::json!(["Example University"]),
        "{v}"
    );
    assert_eq!(v["research_resource_groups"], 1, "{v}");
    assert_eq!(v["peer_review_groups"], 1, "{v}");
    assert_eq!(v["expanded_ids"], serde_json::json!([DEMO_ORCID]), "{v}");
    assert_eq!(
        v["search_found"].as_u64(),
        Some(server.state().researchers().len() as u64),
        "{v}"
    );
    assert_eq!(v["search_page"], 1, "{v}");
}
