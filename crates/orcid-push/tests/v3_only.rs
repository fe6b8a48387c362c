//! Pushing the sections only v3.0 has (distinction, service, …) with the
//! member API v3.0 against the mock: created, registered, unchanged on a
//! second run, updated on their put-codes, pruned; refused under v2.1.

mod common;

use common::Env;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_ORCID};
use orcid_model::v3_0::section::ItemSection as V3Section;
use orcid_model::Version;
use orcid_push::{load_as, registry_key, KeyMode, LocalItem, PushOptions};
use orcid_store::Section;

use orcid_test_kit::payloads::affiliation;

const WORK: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:title><common:title>Field Notes</common:title></work:title>
  <work:type>report</work:type>
  <common:external-ids><common:external-id>
    <common:external-id-type>doi</common:external-id-type>
    <common:external-id-value>10.7/v3only</common:external-id-value>
    <common:external-id-relationship>self</common:external-id-relationship>
  </common:external-id></common:external-ids>
</work:work>"#;

fn v3(prune: bool) -> PushOptions {
    PushOptions {
        api: Version::V3_0,
        prune,
        ..PushOptions::default()
    }
}

fn load(dir: &std::path::Path, api: Version) -> Vec<LocalItem> {
    load_as(&[dir.to_path_buf()], KeyMode::File, api).expect("the items load")
}

/// The demo client's v3-only items on the record: (section, put-code).
fn v3_only_on_record(env: &Env) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = env
        .server
        .state()
        .items_v3(DEMO_ORCID)
        .into_iter()
        .filter(|i| i.client_id == DEMO_CLIENT_ID)
        .map(|i| (i.section.name().to_string(), i.put_code))
        .filter(|(name, _)| Section::from_name(name).is_some_and(|s| s.v2_1().is_none()))
        .collect();
    v.sort();
    v
}

#[test]
fn v3_only_sections_are_pushed_registered_updated_and_pruned_with_api_v3_0() {
    let env = Env::new();
    let items = env.dir.path().join("items");
    std::fs::create_dir_all(&items).unwrap();
    let write = |name: &str, text: &str| std::fs::write(items.join(name), text).unwrap();
    write("prize.xml", &affiliation("distinction", "D-1", "Prize"));
    write("board.xml", &affiliation("service", "S-1", "Board member"));
    write("paper.xml", WORK);

    let loaded = load(&items, Version::V3_0);
    let mut kinds: Vec<&str> = loaded.iter().map(|i| i.kind.name()).collect();
    kinds.sort();
    assert_eq!(kinds, ["distinction", "service", "work"]);

    // First push: all three created, each registered under its section.
    let first = env.push(&loaded, v3(false));
    assert!(first.is_success(), "{first:#?}");
    assert_eq!(first.counts().created, 3, "{first:#?}");
    assert_eq!(env.writes(), 3);
    let entry = |section: V3Section, key: &str| {
        env.store
            .put_code(DEMO_ORCID, section, &registry_key("default", key))
            .unwrap()
            .expect("registered")
    };
    let prize = entry(V3Section::Distinction, "prize");
    let board = entry(V3Section::Service, "board");
    assert_eq!(
        v3_only_on_record(&env),
        [
            ("distinction".to_string(), prize.put_code),
            ("service".to_string(), board.put_code),
        ]
    );

    // Second push: nothing to send.
    env.reset_counts();
    let second = env.push(&load(&items, Version::V3_0), v3(false));
    assert_eq!(second.counts().unchanged, 3, "{second:#?}");
    assert_eq!(env.writes(), 0);

    // A changed distinction is updated on its put-code, not created again.
    write(
        "prize.xml",
        &affiliation("distinction", "D-1", "Grand Prize"),
    );
    env.reset_counts();
    let third = env.push(&load(&items, Version::V3_0), v3(false));
    assert!(third.is_success(), "{third:#?}");
    assert_eq!(third.counts().updated, 1, "{third:#?}");
    assert_eq!(third.counts().unchanged, 2, "{third:#?}");
    assert_eq!(env.writes(), 1);
    assert_eq!(
        entry(V3Section::Distinction, "prize").put_code,
        prize.put_code
    );
    let on_record = env
        .server
        .state()
        .items_v3(DEMO_ORCID)
        .into_iter()
        .find(|i| i.put_code == prize.put_code)
        .expect("still there");
    let xml = on_record.doc.to_xml(false);
    assert!(xml.contains("Grand Prize"), "{xml}");

    // The service file removed: pruned from the record and the registry.
    std::fs::remove_file(items.join("board.xml")).unwrap();
    let fourth = env.push(&load(&items, Version::V3_0), v3(true));
    assert!(fourth.is_success(), "{fourth:#?}");
    assert_eq!(fourth.counts().deleted, 1, "{fourth:#?}");
    assert_eq!(
        v3_only_on_record(&env),
        [("distinction".to_string(), prize.put_code)]
    );
    assert!(env
        .store
        .put_code(
            DEMO_ORCID,
            V3Section::Service,
            &registry_key("default", "board")
        )
        .unwrap()
        .is_none());
}

#[test]
fn v3_only_sections_cannot_be_read_as_v2_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("prize.xml"),
        affiliation("distinction", "D-1", "Prize"),
    )
    .unwrap();
    let errors = load_as(&[dir.path().to_path_buf()], KeyMode::File, Version::V2_1).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].file.ends_with("prize.xml"), "{errors:?}");
}
