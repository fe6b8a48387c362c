//! The database file: permissions, WAL and concurrent connections, and clear
//! errors for files that are not (or no longer) a usable database.

mod common;

use orcid_model::ItemSection;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use orcid_store::secrecy::ExposeSecret;
use orcid_store::{Error, PutCodeEntry, Store, Timestamp, WriteOp};
use rusqlite::Connection;

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

#[cfg(unix)]
mod permissions {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_database_and_wal_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/store.sqlite3");
        let store = Store::open(&path).unwrap();
        store.put_token(&token(ORCID)).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        for suffix in ["-wal", "-shm"] {
            let p = companion(&path, suffix);
            assert!(p.exists(), "{} missing while open in WAL mode", p.display());
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }

    #[test]
    fn opening_tightens_wider_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.sqlite3");
        let first = Store::open(&path).unwrap();
        first.put_token(&token(ORCID)).unwrap();
        for p in [
            path.clone(),
            companion(&path, "-wal"),
            companion(&path, "-shm"),
        ] {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o664)).unwrap();
        }
        let second = Store::open(&path).unwrap();
        for p in [
            path.clone(),
            companion(&path, "-wal"),
            companion(&path, "-shm"),
        ] {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
        drop((first, second));

        // A pre-existing (e.g. copied) file with a world-readable mode.
        let copy = dir.path().join("copy.sqlite3");
        fs::copy(&path, &copy).unwrap();
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o644)).unwrap();
        let store = Store::open(&copy).unwrap();
        assert_eq!(mode(&copy), 0o600);
        let t = store.token(CLIENT, ORCID).unwrap().unwrap();
        assert_eq!(t.access_token.expose_secret(), ACCESS);
    }
}

#[test]
fn wal_mode_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let _store = Store::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    let mode: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn two_connections_read_while_one_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let writer = Store::open(&path).unwrap();
    let reader = Store::open(&path).unwrap();

    writer.put_token(&token(ORCID)).unwrap();
    assert!(reader.token(CLIENT, ORCID).unwrap().is_some());

    // A long read transaction elsewhere does not block writers (WAL), and keeps
    // its snapshot until it ends.
    let mut raw = Connection::open(&path).unwrap();
    let tx = raw.transaction().unwrap();
    let count = |tx: &rusqlite::Transaction<'_>| -> i64 {
        tx.query_row("SELECT count(*) FROM put_codes", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count(&tx), 0);
    let id = writer
        .begin_intent(ORCID, ItemSection::Work, "k", WriteOp::Create, "h")
        .unwrap();
    writer.complete_intent(id, "created", Some(1)).unwrap();
    assert_eq!(reader.entries(ORCID).unwrap().len(), 1);
    assert_eq!(count(&tx), 0);
    tx.commit().unwrap();
    let tx = raw.transaction().unwrap();
    assert_eq!(count(&tx), 1);
}

#[test]
fn concurrent_writers_from_several_threads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    Store::open(&path).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                for i in 0..25 {
                    let orcid = format!("0000-0000-{t:04}-{i:04}");
                    store.put_token(&token(&orcid)).unwrap();
                    let key = format!("doi:{t}/{i}");
                    let id = store
                        .begin_intent(&orcid, ItemSection::Work, &key, WriteOp::Create, "h")
                        .unwrap();
                    store
                        .complete_intent(id, "created", Some(i64::from(t * 100 + i)))
                        .unwrap();
                    store
                        .upsert_put_code(&PutCodeEntry {
                            orcid: orcid.clone(),
                            section: ItemSection::Funding.into(),
                            local_key: key,
                            put_code: 1,
                            content_hash: "h".into(),
                            last_result: "created".into(),
                            updated_at: Timestamp::now(),
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.tokens(CLIENT).unwrap().len(), 100);
    assert!(store.pending_intents().unwrap().is_empty());
    let e = store.entries("0000-0000-0003-0024").unwrap();
    assert_eq!(e.len(), 2);
    assert_eq!(e[1].put_code, 324);
}

#[test]
fn random_bytes_are_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.sqlite3");
    fs::write(&path, noise(8192, 0x9E37_79B9_7F4A_7C15)).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("garbage.sqlite3"), "{msg}");
    assert!(msg.contains("not an orcid-store database"), "{msg}");
    // The file was not replaced or truncated.
    assert_eq!(fs::read(&path).unwrap(), noise(8192, 0x9E37_79B9_7F4A_7C15));
}

#[test]
fn sqlite_header_followed_by_garbage_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.sqlite3");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(noise(8192 - 16, 42));
    fs::write(&path, bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, Error::NotADatabase { .. } | Error::Corrupt { .. }),
        "{err:?}"
    );
}

#[test]
fn damaged_pages_give_errors_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        for i in 0..200 {
            store
                .put_token(&token(&format!("0000-0000-0000-{i:04}")))
                .unwrap();
        }
    } // Last connection closed: the WAL is checkpointed into the file.
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() > 3 * 4096, "{}", bytes.len());
    let tail = bytes.len() - 4096 * 2;
    bytes[tail..].copy_from_slice(&noise(4096 * 2, 7));
    bytes[4096..4096 * 2].copy_from_slice(&noise(4096, 8));
    fs::write(&path, bytes).unwrap();

    let outcome = Store::open(&path).and_then(|s| {
        s.tokens(CLIENT)?;
        s.token(CLIENT, "0000-0000-0000-0199")
    });
    let err = outcome.expect_err("reading damaged pages must fail");
    assert!(
        matches!(err, Error::Corrupt { .. } | Error::NotADatabase { .. }),
        "{err:?}"
    );
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn a_directory_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::CannotOpen { .. }), "{err:?}");
    assert!(err.to_string().contains("directory"), "{err}");
}

#[test]
fn an_unwritable_location_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    fs::write(&file, "x").unwrap();
    // The "parent directory" is a regular file: nothing can be created there.
    let err = Store::open(file.join("store.sqlite3")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("cannot create the directory"), "{msg}");
    assert!(msg.contains("plain-file"), "{msg}");
}

#[cfg(unix)]
#[test]
fn a_read_only_database_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.sqlite3");
    drop(Store::open(&path).unwrap());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).unwrap();
    // Root ignores permission bits; there is nothing to observe then.
    let root = fs::write(dir.path().join("probe"), "").is_ok();
    let outcome = Store::open(&path).and_then(|s| s.put_token(&token(ORCID)));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    if root {
        return;
    }
    let err = outcome.unwrap_err();
    assert!(
        matches!(err, Error::ReadOnly { .. } | Error::CannotOpen { .. }),
        "{err:?}"
    );
    assert_no_secret(&err.to_string());
}
