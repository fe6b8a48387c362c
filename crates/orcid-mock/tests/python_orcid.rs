//! python-orcid (PyPI `orcid`, ORCID's own Python client of the v2.0 API)
//! against the mock, its base URLs pointed at the mock: write, read,
//! update (with python-orcid's string put-code), bulk read, record,
//! public read and search with a client token, delete, and an unknown iD
//! (`tests/data/python_orcid_driver.py`).
//!
//! Needs a Python with python-orcid: `$ORCID_PYTHON_ORCID_PYTHON` (default
//! `python3`), e.g. `python3 -m venv /tmp/py && /tmp/py/bin/pip install
//! orcid==1.0.3`. Without it the test says it is skipped and returns,
//! unless `ORCID_PYTHON_ORCID_TESTS=require` (set it in CI): then it fails.

mod common;

use std::process::Command;

use common::*;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID};

fn python() -> Option<String> {
    orcid_test_kit::optional::python_with(
        "ORCID_PYTHON_ORCID_PYTHON",
        "ORCID_PYTHON_ORCID_TESTS",
        "import orcid; orcid.MemberAPI",
    )
}

#[test]
fn python_orcid_works_against_the_mock() {
    let Some(python) = python() else {
        return;
    };
    let server = start();
    let token = demo_token(&server);
    let out = Command::new(&python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/python_orcid_driver.py"
        ))
        .args([
            server.base_url(),
            &token,
            DEMO_ORCID,
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
        ])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let v: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    assert_eq!(v["title"], "Written by python-orcid", "{v}");
    // v2.0 writes ORCID iD URIs with http://.
    assert!(
        v["source_client_uri"]
            .as_str()
            .unwrap()
            .starts_with("http://"),
        "{v}"
    );
    assert_eq!(
        v["orcid_uri"],
        format!("http://orcid.org/{DEMO_ORCID}"),
        "{v}"
    );
    assert!(
        v["works"]
            .as_array()
            .unwrap()
            .contains(&"Updated by python-orcid".into()),
        "{v}"
    );
    assert!(v["display_index"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.is_string()));
    assert_eq!(
        v["bulk_titles"],
        serde_json::json!(["Updated by python-orcid"]),
        "{v}"
    );
    assert_eq!(v["family_name"], "Carberry", "{v}");
    assert_eq!(
        v["public_activities_path"],
        format!("/{DEMO_ORCID}/activities"),
        "{v}"
    );
    assert_eq!(v["search_found"], 1, "{v}");
    assert_eq!(v["search_ids"], serde_json::json!([DEMO_ORCID]), "{v}");
    assert_eq!(v["after_delete"], 404, "{v}");
    assert_eq!(
        v["unknown_developer_message"],
        "404 Not Found: The resource was not found. Full validation error: ORCID iD 0000-0000-0000-0001 not found",
        "{v}"
    );
}
