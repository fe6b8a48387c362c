//! The put-code registry and the journal of write intents.

mod common;

use common::ORCID;
use orcid_model::v3_0::section::ItemSection as V3Section;
use orcid_model::ItemSection;
use orcid_store::{Error, PutCodeEntry, Section, Store, Timestamp, WriteOp};

fn entry(section: &str, key: &str, put_code: i64) -> PutCodeEntry {
    PutCodeEntry {
        orcid: ORCID.into(),
        section: Section::from_name(section).unwrap(),
        local_key: key.into(),
        put_code,
        content_hash: format!("sha256:{key}"),
        last_result: "created".into(),
        updated_at: Timestamp::from_unix(1_795_341_600),
    }
}

#[test]
fn put_code_round_trip_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dirs/store.sqlite3");
    let big = entry("work", "doi:10.1000/xyz", 9_007_199_254_740_993); // > 2^53, > i32
    {
        let store = Store::open(&path).unwrap();
        store.upsert_put_code(&big).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store
            .put_code(ORCID, ItemSection::Work, "doi:10.1000/xyz")
            .unwrap(),
        Some(big)
    );
    assert_eq!(
        store
            .put_code(ORCID, ItemSection::Funding, "doi:10.1000/xyz")
            .unwrap(),
        None
    );
    assert_eq!(
        store.put_code(ORCID, ItemSection::Work, "other").unwrap(),
        None
    );
    assert_eq!(
        store
            .put_code("0000-0002-1825-0097", ItemSection::Work, "doi:10.1000/xyz")
            .unwrap(),
        None
    );
}

#[test]
fn upsert_replaces_and_entries_are_ordered() {
    let store = Store::in_memory().unwrap();
    store.upsert_put_code(&entry("work", "b", 2)).unwrap();
    store.upsert_put_code(&entry("funding", "z", 3)).unwrap();
    store.upsert_put_code(&entry("work", "a", 1)).unwrap();
    let mut other = entry("work", "a", 99);
    other.orcid = "0000-0002-1825-0097".into();
    store.upsert_put_code(&other).unwrap();

    let mut updated = entry("work", "b", 2);
    updated.content_hash = "sha256:new".into();
    updated.last_result = "updated".into();
    updated.updated_at = Timestamp::from_unix(1_795_400_000);
    store.upsert_put_code(&updated).unwrap();

    let all = store.entries(ORCID).unwrap();
    let keys: Vec<_> = all
        .iter()
        .map(|e| (e.section.name(), e.local_key.as_str(), e.put_code))
        .collect();
    assert_eq!(
        keys,
        [("funding", "z", 3), ("work", "a", 1), ("work", "b", 2)]
    );
    assert_eq!(all[2], updated);
    assert_eq!(store.entries("0000-0002-1825-0097").unwrap(), [other]);
    assert_eq!(store.entries("0000-0000-0000-0000").unwrap(), []);
}

#[test]
fn delete_put_code() {
    let store = Store::in_memory().unwrap();
    store.upsert_put_code(&entry("work", "a", 1)).unwrap();
    assert!(store
        .delete_put_code(ORCID, ItemSection::Work, "a")
        .unwrap());
    assert!(!store
        .delete_put_code(ORCID, ItemSection::Work, "a")
        .unwrap());
    assert!(store.entries(ORCID).unwrap().is_empty());
}

#[test]
fn successful_create_records_the_put_code() {
    let store = Store::in_memory().unwrap();
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "doi:1", WriteOp::Create, "h1")
        .unwrap();
    let pending = store.pending_intents().unwrap();
    assert_eq!(pending.len(), 1);
    let p = &pending[0];
    assert_eq!(
        (p.id, p.op, p.content_hash.as_str()),
        (id, WriteOp::Create, "h1")
    );
    assert!(p.is_pending() && p.result.is_none() && p.put_code.is_none());
    assert!(store
        .put_code(ORCID, ItemSection::Work, "doi:1")
        .unwrap()
        .is_none());

    store.complete_intent(id, "created", Some(733_536)).unwrap();
    assert!(store.pending_intents().unwrap().is_empty());
    let e = store
        .put_code(ORCID, ItemSection::Work, "doi:1")
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.put_code, e.content_hash.as_str(), e.last_result.as_str()),
        (733_536, "h1", "created")
    );
    let done = store.intent(id).unwrap().unwrap();
    assert!(!done.is_pending());
    assert_eq!(done.result.as_deref(), Some("created"));
    assert_eq!(done.put_code, Some(733_536));
    assert!(done.completed_at.unwrap() >= done.started_at);
}

#[test]
fn update_error_and_delete_outcomes() {
    let store = Store::in_memory().unwrap();
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Create, "h1")
        .unwrap();
    store.complete_intent(id, "created", Some(10)).unwrap();

    // A failed update keeps put-code and hash; only the result changes.
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Update, "h2")
        .unwrap();
    store.complete_intent(id, "error:9021", Some(10)).unwrap();
    let e = store
        .put_code(ORCID, ItemSection::Work, "k")
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.put_code, e.content_hash.as_str(), e.last_result.as_str()),
        (10, "h1", "error:9021")
    );

    // A successful update stores the new hash.
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Update, "h2")
        .unwrap();
    store.complete_intent(id, "updated", Some(10)).unwrap();
    let e = store
        .put_code(ORCID, ItemSection::Work, "k")
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.content_hash.as_str(), e.last_result.as_str()),
        ("h2", "updated")
    );

    // A failed create of something unknown leaves no entry.
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "new", WriteOp::Create, "h")
        .unwrap();
    store.complete_intent(id, "error", None).unwrap();
    assert!(store
        .put_code(ORCID, ItemSection::Work, "new")
        .unwrap()
        .is_none());

    // A successful delete removes the entry.
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Delete, "h2")
        .unwrap();
    store.complete_intent(id, "deleted", None).unwrap();
    assert!(store
        .put_code(ORCID, ItemSection::Work, "k")
        .unwrap()
        .is_none());
    assert!(store.pending_intents().unwrap().is_empty());
}

#[test]
fn completion_errors_change_nothing() {
    let store = Store::in_memory().unwrap();
    let err = store
        .complete_intent(orcid_store::IntentId(42), "created", Some(1))
        .unwrap_err();
    assert!(matches!(err, Error::UnknownIntent(_)), "{err:?}");
    assert_eq!(err.to_string(), "no write intent with id #42");

    let id = store
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Create, "h")
        .unwrap();
    let err = store.complete_intent(id, "created", None).unwrap_err();
    assert!(
        matches!(err, Error::MissingPutCode(i) if i == id),
        "{err:?}"
    );
    assert_eq!(store.pending_intents().unwrap().len(), 1);
    assert!(store
        .put_code(ORCID, ItemSection::Work, "k")
        .unwrap()
        .is_none());

    store.complete_intent(id, "created", Some(5)).unwrap();
    let err = store.complete_intent(id, "updated", Some(6)).unwrap_err();
    assert!(
        matches!(err, Error::IntentAlreadyCompleted(i) if i == id),
        "{err:?}"
    );
    assert_eq!(
        store
            .put_code(ORCID, ItemSection::Work, "k")
            .unwrap()
            .unwrap()
            .put_code,
        5
    );
    assert_eq!(
        store.intent(id).unwrap().unwrap().result.as_deref(),
        Some("created")
    );
}

#[test]
fn pending_intents_survive_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let (a, c) = {
        let store = Store::open(&path).unwrap();
        let a = store
            .begin_intent(ORCID, ItemSection::Work, "a", WriteOp::Create, "ha")
            .unwrap();
        let b = store
            .begin_intent(ORCID, ItemSection::Work, "b", WriteOp::Update, "hb")
            .unwrap();
        let c = store
            .begin_intent(ORCID, ItemSection::Funding, "c", WriteOp::Delete, "hc")
            .unwrap();
        store.complete_intent(b, "updated", Some(7)).unwrap();
        (a, c)
        // Dropped without completing a and c: the "crash".
    };
    let store = Store::open(&path).unwrap();
    let pending = store.pending_intents().unwrap();
    let ids: Vec<_> = pending
        .iter()
        .map(|i| (i.id, i.op, i.local_key.as_str()))
        .collect();
    assert_eq!(ids, [(a, WriteOp::Create, "a"), (c, WriteOp::Delete, "c")]);

    // Pruning never drops pending intents.
    assert_eq!(
        store.prune_journal(Timestamp::from_unix(i64::MAX)).unwrap(),
        1
    );
    assert_eq!(store.pending_intents().unwrap().len(), 2);
}

#[test]
fn write_op_names() {
    for op in [WriteOp::Create, WriteOp::Update, WriteOp::Delete] {
        assert_eq!(op.as_str().parse::<WriteOp>(), Ok(op));
        assert_eq!(op.to_string(), op.as_str());
    }
    assert!("post".parse::<WriteOp>().is_err());
    assert!(orcid_store::is_error_result("error:9021"));
    assert!(orcid_store::is_error_result("error"));
    assert!(!orcid_store::is_error_result("errors-fixed"));
    assert!(!orcid_store::is_error_result("unchanged"));
}

#[test]
fn the_sections_only_v3_0_has_are_kept_and_both_versions_share_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        for (i, s) in [
            V3Section::Distinction,
            V3Section::InvitedPosition,
            V3Section::Membership,
            V3Section::Qualification,
            V3Section::Service,
            V3Section::ResearchResource,
        ]
        .into_iter()
        .enumerate()
        {
            let id = store
                .begin_intent(ORCID, s, "grant:G-1", WriteOp::Create, "h")
                .unwrap();
            store
                .complete_intent(id, "created", Some(100 + i as i64))
                .unwrap();
        }
        // A work written through v2.1…
        let id = store
            .begin_intent(ORCID, ItemSection::Work, "doi:1", WriteOp::Create, "h1")
            .unwrap();
        store.complete_intent(id, "created", Some(7)).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let e = store
        .put_code(ORCID, V3Section::Service, "grant:G-1")
        .unwrap()
        .expect("a v3-only section is kept");
    assert_eq!((e.put_code, e.section.name()), (104, "service"));
    assert_eq!(e.section.v2_1(), None);
    assert_eq!(e.section, V3Section::Service);
    let names: Vec<&str> = store
        .entries(ORCID)
        .unwrap()
        .iter()
        .map(|e| e.section.name())
        .collect();
    assert_eq!(
        names,
        [
            "distinction",
            "invited-position",
            "membership",
            "qualification",
            "research-resource",
            "service",
            "work"
        ]
    );
    // …is the same entry as the work v3.0 names: an update through v3.0
    // finds its put-code.
    let w = store
        .put_code(ORCID, V3Section::Work, "doi:1")
        .unwrap()
        .expect("one entry for both versions");
    assert_eq!(w.put_code, 7);
    assert_eq!(w.section, ItemSection::Work);
    let id = store
        .begin_intent(ORCID, V3Section::Work, "doi:1", WriteOp::Update, "h2")
        .unwrap();
    store.complete_intent(id, "updated", Some(7)).unwrap();
    let all = store.entries(ORCID).unwrap();
    assert_eq!(
        all.iter()
            .filter(|e| e.section == ItemSection::Work)
            .count(),
        1
    );
    assert_eq!(
        store
            .put_code(ORCID, ItemSection::Work, "doi:1")
            .unwrap()
            .unwrap()
            .content_hash,
        "h2"
    );
    assert!(store
        .delete_put_code(
            ORCID,
            Section::from_name("distinction").unwrap(),
            "grant:G-1"
        )
        .unwrap());
}
