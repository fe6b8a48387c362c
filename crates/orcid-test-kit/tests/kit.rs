//! The kit's own checks: the canned server, query parsing, the sample list,
//! and (feature `mock`) a researcher connected against the mock.

use orcid_test_kit::http::{agent, query, read, Canned, TestServer};
use orcid_test_kit::paths::{list_files, workspace_root};
use orcid_test_kit::samples::{known_issue, v2_1_samples, v3_0_samples, KNOWN_ISSUES};

#[test]
fn the_canned_server_answers_and_records() {
    let server = TestServer::start(|r, i| Canned::new(200 + i as u16).json(&r.form()["a"]));
    let r = read(
        agent()
            .post(&format!("{}/x?y=1", server.base))
            .send_form([("a", "b c")]),
    );
    assert_eq!((r.status, r.body.as_str()), (200, "b c"));
    let seen = server.requests();
    assert_eq!((server.count(), seen[0].method.as_str()), (1, "POST"));
    assert_eq!(seen[0].path(), "/x");
    assert!(seen[0].header("Content-Type").is_some());
}

#[test]
fn query_parameters_are_decoded() {
    let q = query("http://h/cb?code=a%2Fb&state=x+y#frag");
    assert_eq!(q["code"], "a/b");
    assert_eq!(q["state"], "x y");
    assert!(query("http://h/cb").is_empty());
}

#[test]
fn the_workspace_and_its_samples_are_found() {
    assert!(workspace_root().join("Cargo.toml").is_file());
    assert!(list_files(&workspace_root().join("crates/orcid-test-kit"))
        .contains(&"src/lib.rs".to_string()));
    let mut samples = v2_1_samples();
    assert!(samples.len() > 50, "{}", samples.len());
    samples.extend(v3_0_samples());
    for (rel, issue, _) in KNOWN_ISSUES {
        assert!(samples.contains(&rel.to_string()), "{rel}");
        assert_eq!(known_issue(rel), Some(*issue));
    }
}

#[cfg(feature = "mock")]
#[test]
fn a_researcher_connects_against_the_mock() {
    use orcid_test_kit::mock::{connect, demo_client, start_mock, stored_token};

    let server = start_mock();
    let token = connect(&demo_client(server.base_url()));
    let stored = stored_token("APP-X", &token);
    assert_eq!(stored.orcid.len(), 19, "{}", stored.orcid);
    assert_eq!(stored.scopes.len(), 3);
}
