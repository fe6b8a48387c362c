//! A mock ORCID, a store and a connected researcher, for push tests (the
//! mock, the client and the connection come from `orcid-test-kit`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use orcid_client::OrcidClient;
use orcid_mock::store::{StoredItem, StoredItemV3};
use orcid_mock::{MockHandle, MockServer, DEMO_CLIENT_ID, DEMO_ORCID};
use orcid_model::scalar::OrcidId;
use orcid_model::AnyDocument;
use orcid_push::{load, KeyMode, LocalItem, Observer, PushOptions, PushReport, Pusher, Quiet};
use orcid_store::Store;
use orcid_test_kit::mock::{
    client_for, demo_client, mock_config, other_client, stored_token, OTHER_SECRET,
};
#[allow(unused_imports)] // Each test uses some of them.
pub use orcid_test_kit::mock::{connect, OTHER_CLIENT};
use secrecy::SecretString;
use tempfile::TempDir;

pub struct Env {
    pub server: MockHandle,
    pub dir: TempDir,
    pub client: OrcidClient,
    pub token: SecretString,
    pub store: Store,
}

/// The fixture set, copied so that tests can change it.
pub fn fixture_copy(dir: &Path) -> PathBuf {
    let dst = dir.join("items");
    orcid_test_kit::paths::copy_tree(&orcid_test_kit::paths::fixture("push/josiah"), &dst);
    dst
}

impl Env {
    pub fn new() -> Env {
        let mut config = mock_config();
        config.clients.push(other_client());
        let server = MockServer::start(config).expect("mock starts");
        let dir = tempfile::tempdir().unwrap();
        let client = demo_client(server.base_url());
        let t = connect(&client);
        let store = Store::open(dir.path().join("store.sqlite3")).unwrap();
        store.put_token(&stored_token(DEMO_CLIENT_ID, &t)).unwrap();
        server.state().reset_request_counts();
        Env {
            server,
            dir,
            client,
            token: t.access_token,
            store,
        }
    }

    pub fn orcid(&self) -> OrcidId {
        OrcidId(DEMO_ORCID.into())
    }

    pub fn other_client(&self) -> OrcidClient {
        client_for(self.server.base_url(), OTHER_CLIENT, OTHER_SECRET)
    }

    pub fn items(&self, dir: &Path) -> Vec<LocalItem> {
        load(&[dir.to_path_buf()], KeyMode::File).expect("fixtures load")
    }

    pub fn push_with(
        &self,
        store: &Store,
        items: &[LocalItem],
        options: PushOptions,
        observer: &mut dyn Observer,
    ) -> PushReport {
        Pusher::new(
            self.client.member(&self.token),
            store,
            DEMO_CLIENT_ID,
            options,
        )
        .push(&self.orcid(), items, observer)
        .expect("push runs")
    }

    pub fn push(&self, items: &[LocalItem], options: PushOptions) -> PushReport {
        self.push_with(&self.store, items, options, &mut Quiet)
    }

    /// The items on the demo record whose source is the demo client.
    pub fn own_on_record(&self) -> Vec<StoredItem> {
        self.server
            .state()
            .items(DEMO_ORCID)
            .into_iter()
            .filter(|i| i.client_id == DEMO_CLIENT_ID)
            .collect()
    }

    pub fn reset_counts(&self) {
        self.server.state().reset_request_counts();
    }

    pub fn writes(&self) -> u64 {
        self.server.state().request_counts().writes()
    }

    /// The items on the demo record whose source is the demo client, in
    /// v3.0.
    pub fn own_on_record_v3(&self) -> Vec<StoredItemV3> {
        self.server
            .state()
            .items_v3(DEMO_ORCID)
            .into_iter()
            .filter(|i| i.client_id == DEMO_CLIENT_ID)
            .collect()
    }

    /// The record holds exactly the local items (by content, in v2.1),
    /// once each, and the registry names each by its put-code; nothing is
    /// pending.
    pub fn assert_converged(&self, store: &Store, items: &[LocalItem]) {
        let own = self.own_on_record();
        let own: Vec<_> = own
            .iter()
            .map(|i| {
                (
                    i.put_code,
                    i.section.name(),
                    AnyDocument::V2_1(i.doc.clone()),
                )
            })
            .collect();
        assert_converged_to(&own, store, items);
    }

    /// [`Env::assert_converged`], comparing in v3.0.
    pub fn assert_converged_v3(&self, store: &Store, items: &[LocalItem]) {
        let own = self.own_on_record_v3();
        let own: Vec<_> = own
            .iter()
            .map(|i| {
                (
                    i.put_code,
                    i.section.name(),
                    AnyDocument::V3_0(i.doc.clone()),
                )
            })
            .collect();
        assert_converged_to(&own, store, items);
    }
}

/// The record's own items `own` (put-code, section, document) hold each of
/// `items` once by content, the registry names it by that put-code with
/// its hash, and nothing is pending.
fn assert_converged_to(own: &[(i64, &str, AnyDocument)], store: &Store, items: &[LocalItem]) {
    assert_eq!(
        own.len(),
        items.len(),
        "own items on the record: {:?}",
        own.iter().map(|i| (i.0, i.1)).collect::<Vec<_>>()
    );
    let entries = store.entries(DEMO_ORCID).unwrap();
    for item in items {
        let on_record: Vec<_> = own
            .iter()
            .filter(|(_, _, doc)| orcid_push::same_content_any(&item.doc, doc))
            .collect();
        assert_eq!(
            on_record.len(),
            1,
            "{} is on the record {} times",
            item.key,
            on_record.len()
        );
        let rkey = orcid_push::registry_key("default", &item.key);
        let entry = entries
            .iter()
            .find(|e| e.local_key == rkey && e.section == item.kind)
            .unwrap_or_else(|| panic!("{} is not in the registry", item.key));
        assert_eq!(entry.put_code, on_record[0].0, "{}", item.key);
        assert_eq!(entry.content_hash, item.hash, "{}", item.key);
    }
    assert!(store.pending_intents().unwrap().is_empty());
}
