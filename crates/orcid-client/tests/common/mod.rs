//! The client tests' own helpers: a config and a client pointed at the
//! kit's canned server, and the payloads and token the tests send and get.

#![allow(dead_code)]

use std::time::Duration;

use orcid_client::{ClientConfig, Environment, OrcidClient, RetryPolicy};
#[allow(unused_imports)] // Each test uses some of them.
pub use orcid_test_kit::http::{Canned, Recorded, TestServer};

/// Retries fast enough for tests.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(50),
    }
}

/// A client of a [`TestServer`].
pub trait ClientOf {
    /// A config pointing at this server: no rate limit, fast retries.
    fn config(&self) -> ClientConfig;
    /// A client with [`ClientOf::config`].
    fn client(&self) -> OrcidClient;
}

impl ClientOf for TestServer {
    fn config(&self) -> ClientConfig {
        ClientConfig::new(
            "APP-TESTCLIENT0001",
            CLIENT_SECRET,
            "https://app.example.org/orcid/callback",
            Environment::custom(&self.base),
        )
        .with_rate_limit(None)
        .with_retry(fast_retry())
    }

    fn client(&self) -> OrcidClient {
        OrcidClient::new(self.config()).unwrap()
    }
}

pub const ORCID: &str = "0000-0002-1825-0097";

pub fn orcid() -> orcid_model::scalar::OrcidId {
    orcid_model::scalar::OrcidId(ORCID.to_string())
}

/// A valid work (no put-code unless given).
pub fn work_xml(title: &str, doi: &str, put_code: Option<i64>) -> String {
    let pc = put_code
        .map(|p| format!(r#" put-code="{p}""#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common"{pc}>
    <work:title><common:title>{title}</common:title></work:title>
    <work:type>journal-article</work:type>
    <common:external-ids>
        <common:external-id>
            <common:external-id-type>doi</common:external-id-type>
            <common:external-id-value>{doi}</common:external-id-value>
            <common:external-id-relationship>self</common:external-id-relationship>
        </common:external-id>
    </common:external-ids>
</work:work>"#
    )
}

pub fn work_doc(title: &str, doi: &str, put_code: Option<i64>) -> orcid_model::Document {
    orcid_model::Document::from_xml(&work_xml(title, doi, put_code)).unwrap()
}

pub fn work(title: &str, doi: &str) -> orcid_model::v2_1::work::Work {
    match work_doc(title, doi, None) {
        orcid_model::Document::WorkWork(w) => *w,
        _ => unreachable!(),
    }
}

pub const TOKEN_JSON: &str = r#"{"access_token":"8a7f2c3e-1111-4222-8333-944445555666","token_type":"bearer","refresh_token":"9b8e3d4f-aaaa-4bbb-8ccc-dddddddddddd","expires_in":631138518,"scope":"/read-limited /activities/update /person/update","name":"Sofia Garcia","orcid":"0000-0002-1825-0097"}"#;
pub const ACCESS_TOKEN: &str = "8a7f2c3e-1111-4222-8333-944445555666";
pub const REFRESH_TOKEN: &str = "9b8e3d4f-aaaa-4bbb-8ccc-dddddddddddd";
pub const CLIENT_SECRET: &str = "client-secret-value-0123";
