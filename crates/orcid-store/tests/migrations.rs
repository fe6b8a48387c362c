//! Schema versions: fresh databases, upgrades from older versions, refusal of newer ones.

mod common;

use common::*;
use orcid_model::ItemSection;
use orcid_store::secrecy::ExposeSecret;
use orcid_store::{Error, Store, WriteOp, SCHEMA_VERSION};
use rusqlite::Connection;

/// The schema of version 1, frozen as it was shipped: a file created by that
/// version must open with every later one.
const V1: &str = "CREATE TABLE tokens (
        client_id     TEXT    NOT NULL,
        orcid         TEXT    NOT NULL,
        name          TEXT,
        access_token  TEXT    NOT NULL,
        refresh_token TEXT,
        scopes        TEXT    NOT NULL,
        issued_at     INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        PRIMARY KEY (client_id, orcid)
    ) WITHOUT ROWID;
    CREATE TABLE put_codes (
        orcid         TEXT    NOT NULL,
        section       TEXT    NOT NULL,
        local_key     TEXT    NOT NULL,
        put_code      INTEGER NOT NULL,
        content_hash  TEXT    NOT NULL,
        last_result   TEXT    NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (orcid, section, local_key)
    ) WITHOUT ROWID;
    PRAGMA user_version = 1;";

fn user_version(path: &std::path::Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn fresh_database_is_at_the_latest_version() {
    assert_eq!(SCHEMA_VERSION, 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.path(), Some(path.as_path()));
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    // Reopening changes nothing.
    assert_eq!(
        Store::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
    assert_eq!(
        Store::in_memory().unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn version_1_database_migrates_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(V1).unwrap();
        c.execute(
            "INSERT INTO tokens VALUES (?1, ?2, 'Sofia Garcia', ?3, ?4, '/read-limited /activities/update', 100, 200)",
            (CLIENT, ORCID, ACCESS, REFRESH),
        )
        .unwrap();
        c.execute(
            "INSERT INTO put_codes VALUES (?1, 'work', 'doi:1', 733536, 'h1', 'created', 150)",
            [ORCID],
        )
        .unwrap();
    }
    assert_eq!(user_version(&path), 1);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let t = store.token(CLIENT, ORCID).unwrap().unwrap();
    assert_eq!(t.access_token.expose_secret(), ACCESS);
    assert_eq!(t.scopes, ["/read-limited", "/activities/update"]);
    assert_eq!(t.expires_at.as_unix(), 200);
    let e = store
        .put_code(ORCID, ItemSection::Work, "doi:1")
        .unwrap()
        .unwrap();
    assert_eq!(e.put_code, 733_536);
    // The journal (version 2) is usable.
    let id = store
        .begin_intent(ORCID, ItemSection::Work, "doi:1", WriteOp::Update, "h2")
        .unwrap();
    store.complete_intent(id, "updated", Some(733_536)).unwrap();
    assert_eq!(
        store
            .put_code(ORCID, ItemSection::Work, "doi:1")
            .unwrap()
            .unwrap()
            .content_hash,
        "h2"
    );
}

/// Version 2 as it was shipped: the journal of write intents.
const V2_JOURNAL: &str = "CREATE TABLE journal (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        orcid         TEXT    NOT NULL,
        section       TEXT    NOT NULL,
        local_key     TEXT    NOT NULL,
        op            TEXT    NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        content_hash  TEXT    NOT NULL,
        started_at    INTEGER NOT NULL,
        completed_at  INTEGER,
        result        TEXT,
        put_code      INTEGER
    );
    PRAGMA user_version = 2;";

#[test]
fn version_2_section_spellings_become_the_sections_names() {
    // Before version 3, person items were stored under their API path
    // (`researcher-urls`, `keywords`); activities already under their name.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(V1).unwrap();
        c.execute_batch(V2_JOURNAL).unwrap();
        for (section, key, pc) in [
            ("researcher-urls", "url-1", 1),
            ("keywords", "kw-1", 2),
            ("work", "doi:1", 3),
            // The same key under both spellings: the name wins.
            ("other-names", "n-1", 4),
            ("other-name", "n-1", 5),
        ] {
            c.execute(
                "INSERT INTO put_codes VALUES (?1, ?2, ?3, ?4, 'h', 'created', 150)",
                (ORCID, section, key, pc),
            )
            .unwrap();
        }
        c.execute(
            "INSERT INTO journal (orcid, section, local_key, op, content_hash, started_at)
             VALUES (?1, 'external-identifiers', 'x-1', 'create', 'h', 160)",
            [ORCID],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let entries: Vec<(ItemSection, String, i64)> = store
        .entries(ORCID)
        .unwrap()
        .into_iter()
        .map(|e| (e.section.v2_1().unwrap(), e.local_key, e.put_code))
        .collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    for want in [
        (ItemSection::ResearcherUrl, "url-1", 1),
        (ItemSection::Keyword, "kw-1", 2),
        (ItemSection::Work, "doi:1", 3),
        (ItemSection::OtherName, "n-1", 5),
    ] {
        assert!(
            entries.contains(&(want.0, want.1.to_string(), want.2)),
            "{want:?} in {entries:?}"
        );
    }
    let pending = store.pending_intents().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].section, ItemSection::ExternalIdentifier);
}

#[test]
fn an_unknown_section_is_invalid_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    drop(Store::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO put_codes VALUES (?1, 'emails', 'e', 1, 'h', 'created', 150)",
            [ORCID],
        )
        .unwrap();
    let err = Store::open(&path).unwrap().entries(ORCID).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidData {
                table: "put_codes",
                column: "section"
            }
        ),
        "{err:?}"
    );
}

#[test]
fn newer_database_is_a_clear_error_and_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE from_the_future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    match &err {
        Error::SchemaTooNew {
            found, supported, ..
        } => assert_eq!((*found, *supported), (99, SCHEMA_VERSION)),
        other => panic!("unexpected {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("schema version 99"), "{msg}");
    assert!(msg.contains("newer"), "{msg}");
    assert!(msg.contains("future.sqlite3"), "{msg}");
    assert_eq!(user_version(&path), 99);
}

#[test]
fn a_failed_migration_rolls_back_to_the_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clash.sqlite3");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(V1).unwrap();
        // Something else already created a table named like migration 2's.
        c.execute_batch("CREATE TABLE journal (other TEXT);")
            .unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, Error::Migration { version: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("schema version 2"), "{err}");
    assert_eq!(user_version(&path), 1);
}

#[test]
fn two_processes_creating_the_same_database_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("race.sqlite3");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || Store::open(&path).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), SCHEMA_VERSION);
    }
}
