//! A mock ORCID, a store and a connected researcher, for push tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use orcid_client::{AuthorizationCallback, ClientConfig, Environment, OrcidClient, Scope};
use orcid_mock::config::ClientConfig as MockClient;
use orcid_mock::store::StoredItem;
use orcid_mock::{
    MockConfig, MockHandle, MockServer, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ORCID,
};
use orcid_model::scalar::OrcidId;
use orcid_push::{load, KeyMode, LocalItem, Observer, PushOptions, PushReport, Pusher, Quiet};
use orcid_store::{Store, StoredToken, Timestamp};
use secrecy::SecretString;
use tempfile::TempDir;

pub const OTHER_CLIENT: &str = "APP-OTHER00000000000";
const OTHER_SECRET: &str = "other-secret";
const REDIRECT: &str = "http://127.0.0.1:9/callback";

pub struct Env {
    pub server: MockHandle,
    pub dir: TempDir,
    pub client: OrcidClient,
    pub token: SecretString,
    pub store: Store,
}

/// The fixture set, copied so that tests can change it.
pub fn fixture_copy(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/push/josiah");
    let dst = dir.join("items");
    copy_dir(&src, &dst);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), to).unwrap();
        }
    }
}

pub fn client_for(base: &str, id: &str, secret: &str) -> OrcidClient {
    OrcidClient::new(
        ClientConfig::new(id, secret, REDIRECT, Environment::custom(base)).with_rate_limit(None),
    )
    .unwrap()
}

/// What `orcid auth login` does: a token of `client` for the demo researcher.
pub fn connect(client: &OrcidClient) -> orcid_client::TokenResponse {
    let auth = client
        .authorize([
            Scope::ReadLimited,
            Scope::ActivitiesUpdate,
            Scope::PersonUpdate,
        ])
        .build()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let resp = agent.get(&auth.url).call().unwrap();
    let location = resp.headers()["location"].to_str().unwrap();
    let code = AuthorizationCallback::parse(location)
        .into_code(&auth.state)
        .unwrap();
    client.exchange_code(&code).unwrap()
}

impl Env {
    pub fn new() -> Env {
        let mut config = MockConfig {
            auto_approve: true,
            ..MockConfig::default()
        };
        config.rate_limit.enabled = false;
        config.clients.push(MockClient {
            id: OTHER_CLIENT.into(),
            secret: OTHER_SECRET.into(),
            name: "Another Integration".into(),
            redirect_uris: vec!["http://127.0.0.1".into()],
            member: true,
        });
        let server = MockServer::start(config).expect("mock starts");
        let dir = tempfile::tempdir().unwrap();
        let client = client_for(server.base_url(), DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
        let t = connect(&client);
        let store = Store::open(dir.path().join("store.sqlite3")).unwrap();
        let issued = Timestamp::now();
        store
            .put_token(&StoredToken {
                client_id: DEMO_CLIENT_ID.into(),
                orcid: t.orcid.clone().unwrap().0,
                name: t.name.clone(),
                access_token: t.access_token.clone(),
                refresh_token: t.refresh_token.clone(),
                scopes: t.scope.split_whitespace().map(str::to_string).collect(),
                issued_at: issued,
                expires_at: issued.saturating_add_secs(t.expires_in.unwrap()),
            })
            .unwrap();
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

    /// The record holds exactly the local items (by content), once each,
    /// and the registry names each by its put-code; nothing is pending.
    pub fn assert_converged(&self, store: &Store, items: &[LocalItem]) {
        let own = self.own_on_record();
        assert_eq!(
            own.len(),
            items.len(),
            "own items on the record: {:?}",
            own.iter()
                .map(|i| (i.put_code, i.section))
                .collect::<Vec<_>>()
        );
        let entries = store.entries(DEMO_ORCID).unwrap();
        for item in items {
            let on_record: Vec<_> = own
                .iter()
                .filter(|s| orcid_push::same_content(&item.doc, &s.doc))
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
            assert_eq!(entry.put_code, on_record[0].put_code, "{}", item.key);
            assert_eq!(entry.content_hash, item.hash, "{}", item.key);
        }
        assert!(store.pending_intents().unwrap().is_empty());
    }
}
