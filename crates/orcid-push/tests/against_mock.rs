//! `orcid-push` against the ORCID mock over real HTTP: plan, apply,
//! idempotence, 409 adoption, 404 re-creation, prune, 401.

mod common;

use common::{connect, Env, OTHER_CLIENT};
use orcid_mock::DEMO_ORCID;
use orcid_model::scalar::PutCode;
use orcid_model::Document;
use orcid_model::ItemSection;
use orcid_push::{plan, registry_key, Action, Outcome, PushOptions};
use orcid_store::{PutCodeEntry, Store, Timestamp};

fn prune() -> PushOptions {
    PushOptions {
        prune: true,
        ..PushOptions::default()
    }
}

#[test]
fn first_push_creates_everything_and_a_second_sends_nothing() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = env.items(&dir);
    assert_eq!(items.len(), 6);

    let p = plan(&env.store, DEMO_ORCID, &items, &PushOptions::default()).unwrap();
    assert_eq!(p.counts().create, 6, "{p:#?}");
    assert_eq!(env.writes(), 0, "planning calls nobody");

    let report = env.push(&items, PushOptions::default());
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(report.counts().created, 6);
    // Four works in one bulk request, then the employment and the keyword.
    assert_eq!(report.writes, 3);
    assert_eq!(env.writes(), 3);
    env.assert_converged(&env.store, &items);

    env.reset_counts();
    let p = plan(&env.store, DEMO_ORCID, &items, &PushOptions::default()).unwrap();
    assert_eq!(p.counts().unchanged, 6);
    let again = env.push(&items, prune());
    assert!(again.is_success());
    assert_eq!(again.counts().unchanged, 6);
    let counts = env.server.state().request_counts();
    assert_eq!(counts.writes(), 0, "{counts:?}");
    assert_eq!(
        counts.get, 0,
        "nothing to recover, nothing to read: {counts:?}"
    );
}

#[test]
fn a_changed_file_is_updated_in_place() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    env.push(&env.items(&dir), PushOptions::default());
    let before: Vec<i64> = env.own_on_record().iter().map(|i| i.put_code).collect();

    let file = dir.join("works/notes-1.xml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Field Notes", "Revised Field Notes")).unwrap();
    let items = env.items(&dir);
    let p = plan(&env.store, DEMO_ORCID, &items, &PushOptions::default()).unwrap();
    let update: Vec<_> = p
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Update { .. }))
        .collect();
    assert_eq!(update.len(), 1);
    assert_eq!(update[0].key, "works/notes-1");
    assert_eq!(p.counts().unchanged, 5);

    env.reset_counts();
    let report = env.push(&items, PushOptions::default());
    assert_eq!(report.counts().updated, 1, "{report:#?}");
    assert_eq!(env.server.state().request_counts().put, 1);
    assert_eq!(env.writes(), 1);
    let after: Vec<i64> = env.own_on_record().iter().map(|i| i.put_code).collect();
    assert_eq!(before, after, "updated in place, same put-codes");
    env.assert_converged(&env.store, &items);
}

#[test]
fn a_lost_registry_adopts_existing_items_instead_of_duplicating() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = env.items(&dir);
    env.push(&items, PushOptions::default());

    // A new store: this integration forgot every put-code.
    let fresh = Store::open(env.dir.path().join("fresh.sqlite3")).unwrap();
    let report = env.push_with(
        &fresh,
        &items,
        PushOptions::default(),
        &mut orcid_push::Quiet,
    );
    assert!(report.is_success(), "{report:#?}");
    // Works: 409/9021 in the bulk answer, put-code from the message;
    // keyword: 409/9030, found by content; employment: found before posting.
    assert_eq!(report.counts().adopted, 6, "{report:#?}");
    env.assert_converged(&fresh, &items);

    // One work alone goes through the single POST: 409/9021 too.
    let one = Store::open(env.dir.path().join("one.sqlite3")).unwrap();
    let single: Vec<_> = items
        .iter()
        .filter(|i| i.key == "works/notes-2")
        .cloned()
        .collect();
    let r = env.push_with(
        &one,
        &single,
        PushOptions::default(),
        &mut orcid_push::Quiet,
    );
    assert_eq!(r.items[0].outcome, Outcome::Adopted, "{r:#?}");
    assert_eq!(env.own_on_record().len(), 6, "no duplicate");
}

#[test]
fn an_item_the_researcher_deleted_is_created_again_on_update() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    env.push(&env.items(&dir), PushOptions::default());
    let rkey = registry_key("default", "works/notes-2");
    let old = env
        .store
        .put_code(DEMO_ORCID, ItemSection::Work, &rkey)
        .unwrap()
        .unwrap()
        .put_code;
    assert!(env
        .server
        .state()
        .delete_item_as_researcher(DEMO_ORCID, old)
        .is_some());

    let file = dir.join("works/notes-2.xml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("A Second Look", "A Third Look")).unwrap();
    let items = env.items(&dir);
    let report = env.push(&items, PushOptions::default());
    let item = report
        .items
        .iter()
        .find(|i| i.key == "works/notes-2")
        .unwrap();
    assert_eq!(
        item.outcome,
        Outcome::Recreated {
            previous: PutCode(old)
        },
        "{report:#?}"
    );
    assert_ne!(item.put_code, Some(PutCode(old)));
    assert_eq!(report.counts().recreated, 1);
    env.assert_converged(&env.store, &items);
}

#[test]
fn prune_deletes_only_what_this_push_created() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    env.push(&env.items(&dir), PushOptions::default());

    // Another integration added the same work to the record.
    let other = env.other_client();
    let t = connect(&other);
    let notes3 =
        Document::from_xml(&std::fs::read_to_string(dir.join("works/notes-3.xml")).unwrap())
            .unwrap();
    let theirs = other
        .member(&t.access_token)
        .add(&env.orcid(), &notes3)
        .unwrap();
    // And this client added a keyword outside of push (`orcid item add`).
    let kw = Document::from_xml(
        &std::fs::read_to_string(dir.join("keyword.xml"))
            .unwrap()
            .replace("persistent identifiers", "ceramics"),
    )
    .unwrap();
    let by_hand = env
        .client
        .member(&env.token)
        .add(&env.orcid(), &kw)
        .unwrap();
    env.store
        .upsert_put_code(&PutCodeEntry {
            orcid: DEMO_ORCID.into(),
            section: ItemSection::Keyword.into(),
            local_key: "ceramics".into(),
            put_code: by_hand.0,
            content_hash: "sha256:x".into(),
            last_result: "created".into(),
            updated_at: Timestamp::now(),
        })
        .unwrap();

    std::fs::remove_file(dir.join("works/notes-3.xml")).unwrap();
    let items = env.items(&dir);
    let without = plan(&env.store, DEMO_ORCID, &items, &PushOptions::default()).unwrap();
    assert_eq!(without.counts().delete, 0, "no prune, no delete");
    let p = plan(&env.store, DEMO_ORCID, &items, &prune()).unwrap();
    assert_eq!(p.counts().delete, 1, "{p:#?}");

    env.reset_counts();
    let report = env.push(&items, prune());
    assert_eq!(report.counts().deleted, 1, "{report:#?}");
    assert_eq!(env.server.state().request_counts().delete, 1);
    let on_record = env.server.state().items(DEMO_ORCID);
    assert!(on_record
        .iter()
        .any(|i| i.put_code == theirs.0 && i.client_id == OTHER_CLIENT));
    assert!(on_record.iter().any(|i| i.put_code == by_hand.0));
    assert!(env
        .store
        .put_code(DEMO_ORCID, ItemSection::Keyword, "ceramics")
        .unwrap()
        .is_some());
    assert!(env
        .store
        .put_code(
            DEMO_ORCID,
            ItemSection::Work,
            &registry_key("default", "works/notes-3")
        )
        .unwrap()
        .is_none());
    // 6 pushed - 1 pruned + the keyword added by hand.
    assert_eq!(env.own_on_record().len(), 6);
}

#[test]
fn a_revoked_token_stops_the_push_and_asks_for_reauthorisation() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    env.push(&env.items(&dir), PushOptions::default());
    let file = dir.join("keyword.xml");
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("persistent", "durable"),
    )
    .unwrap();
    let new = dir.join("works/notes-4.xml");
    std::fs::write(
        &new,
        std::fs::read_to_string(dir.join("works/notes-1.xml"))
            .unwrap()
            .replace("fixture-1", "fixture-4"),
    )
    .unwrap();
    let items = env.items(&dir);
    env.client.revoke(&env.token).unwrap();

    let report = env.push(&items, PushOptions::default());
    let stopped = report.stopped.as_deref().expect("stopped");
    assert!(stopped.contains("authorise"), "{stopped}");
    assert!(!report.is_success());
    assert_eq!(report.writes, 1, "the first 401 ends the push: {report:#?}");
    assert!(report
        .items
        .iter()
        .all(|i| matches!(i.outcome, Outcome::Skipped { .. } | Outcome::Unchanged)));
    // The registry still says what is on the record.
    let kw = env
        .store
        .put_code(
            DEMO_ORCID,
            ItemSection::Keyword,
            &registry_key("default", "keyword"),
        )
        .unwrap()
        .unwrap();
    assert_eq!(kw.last_result, "error:invalid_token");
    assert!(env.store.pending_intents().unwrap().is_empty());
    assert!(env
        .store
        .put_code(
            DEMO_ORCID,
            ItemSection::Work,
            &registry_key("default", "works/notes-4")
        )
        .unwrap()
        .is_none());
}

#[test]
fn a_single_500_on_a_read_is_retried_and_a_lasting_one_is_named_as_what_it_is() {
    use orcid_mock::FaultConfig;
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = env.items(&dir);
    // The first request of a first push is the read of the employments
    // (this client's copy is looked for before an affiliation is created).
    env.server.state().set_faults(FaultConfig {
        fail_next: 1,
        fail_status: Some(500),
        ..FaultConfig::default()
    });
    let report = env.push(&items, PushOptions::default());
    assert!(report.is_success(), "{report:#?}");
    env.assert_converged(&env.store, &items);

    // A read that keeps failing stops the push, and the message says what
    // was read and why: there was no interrupted push to recover.
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = env.items(&dir);
    env.server.state().set_faults(FaultConfig {
        fail_next: 100,
        fail_status: Some(500),
        ..FaultConfig::default()
    });
    let err = orcid_push::Pusher::new(
        env.client.member(&env.token),
        &env.store,
        orcid_mock::DEMO_CLIENT_ID,
        PushOptions::default(),
    )
    .push(&env.orcid(), &items, &mut orcid_push::Quiet)
    .unwrap_err()
    .to_string();
    env.server.state().set_faults(FaultConfig::default());
    assert!(!err.contains("interrupted"), "{err}");
    assert!(err.contains("employment"), "{err}");
    assert!(err.contains("500"), "{err}");
}
