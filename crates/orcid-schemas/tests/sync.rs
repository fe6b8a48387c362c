//! `sync` from a local mirror and over HTTP, hash verification, lock files.

mod common;

use std::fs;

use common::{committed_lock, copy_tree, list_files, mirror, serve_mirror, PINNED};
use orcid_schemas::{sha256_hex, sync, Lock, LockError, LockedFile, Source, SyncError};
use orcid_test_kit::http::Canned;

#[test]
fn committed_lock_matches_the_mirror() {
    let lock = committed_lock();
    assert_eq!(lock.repository, "ORCID/orcid-model");
    assert_eq!(lock.commit, PINNED);
    assert_eq!(lock.folder, "src/main/resources");
    assert!(lock.get("record_2.1/work-2.1.xsd").is_some());
    assert!(lock.get("xml.xsd").is_some());
    assert!(lock.get("record_2.1/README.md").is_none());
    let Some(mirror) = mirror() else { return };
    assert_eq!(Lock::from_dir(&mirror, PINNED).unwrap(), lock);
}

#[test]
fn sync_from_local_mirror() {
    let Some(mirror) = mirror() else { return };
    let lock = committed_lock();
    let dest = tempfile::tempdir().unwrap();
    let report = sync(&lock, &Source::Dir(mirror.clone()), dest.path()).unwrap();
    assert_eq!(report.verified, lock.files.len());
    assert_eq!(report.fetched, lock.files.len());
    let expected: Vec<String> = lock.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(list_files(dest.path()), expected);
    for f in &lock.files {
        let bytes = fs::read(dest.path().join(&f.path)).unwrap();
        assert_eq!(sha256_hex(&bytes), f.sha256, "{}", f.path);
    }
    assert!(report.to_string().contains("files verified"), "{report}");

    // A second run fetches nothing and does not even need the source.
    let again = sync(
        &lock,
        &Source::Dir("/nonexistent-mirror".into()),
        dest.path(),
    )
    .unwrap();
    assert_eq!((again.verified, again.fetched), (lock.files.len(), 0));

    // A damaged cached file is fetched again.
    fs::write(dest.path().join("xml.xsd"), "oops").unwrap();
    let repaired = sync(&lock, &Source::Dir(mirror), dest.path()).unwrap();
    assert_eq!(repaired.fetched, 1);
}

#[test]
fn corrupted_file_is_detected() {
    let Some(mirror) = mirror() else { return };
    let lock = committed_lock();
    let tmp = tempfile::tempdir().unwrap();
    let bad_mirror = tmp.path().join("mirror");
    copy_tree(&mirror, &bad_mirror);
    let victim = "record_2.1/work-2.1.xsd";
    let mut bytes = fs::read(bad_mirror.join(victim)).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    fs::write(bad_mirror.join(victim), &bytes).unwrap();

    let dest = tmp.path().join("cache");
    // A stale corrupt copy in dest must not survive either.
    fs::create_dir_all(dest.join("record_2.1")).unwrap();
    fs::write(dest.join(victim), &bytes).unwrap();

    let err = sync(&lock, &Source::Dir(bad_mirror), &dest).unwrap_err();
    let expected = lock.get(victim).unwrap().sha256.clone();
    let actual = sha256_hex(&bytes);
    match &err {
        SyncError::HashMismatch {
            path,
            expected: e,
            actual: a,
            ..
        } => {
            assert_eq!(path, victim);
            assert_eq!(e, &expected);
            assert_eq!(a, &actual);
        }
        other => panic!("unexpected error {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(victim) && msg.contains(&expected) && msg.contains(&actual));
    assert!(!dest.join(victim).exists(), "corrupt copy left in dest");
    let leftovers: Vec<String> = list_files(&dest)
        .into_iter()
        .filter(|p| p.contains(".sync-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn file_missing_from_mirror_is_a_clear_error() {
    let Some(mirror) = mirror() else { return };
    let lock = committed_lock();
    let tmp = tempfile::tempdir().unwrap();
    let partial = tmp.path().join("mirror");
    copy_tree(&mirror, &partial);
    fs::remove_file(partial.join("common_2.1/common-2.1.xsd")).unwrap();
    let err = sync(&lock, &Source::Dir(partial), &tmp.path().join("cache")).unwrap_err();
    assert!(
        matches!(&err, SyncError::MissingInMirror { path, .. } if path == "common_2.1/common-2.1.xsd"),
        "{err:?}"
    );
    assert!(err.to_string().contains("common_2.1/common-2.1.xsd"));

    let err = sync(
        &lock,
        &Source::Dir(tmp.path().join("nope")),
        &tmp.path().join("cache2"),
    )
    .unwrap_err();
    assert!(matches!(err, SyncError::MirrorMissing { .. }), "{err:?}");
}

#[test]
fn sync_over_http_from_local_server() {
    let Some(mirror) = mirror() else { return };
    let lock = committed_lock();
    let server = serve_mirror(mirror, PINNED);
    let source = Source::Https {
        base_url: format!("{}/raw", server.base),
    };
    let dest = tempfile::tempdir().unwrap();
    let report = sync(&lock, &source, dest.path()).unwrap();
    assert_eq!(report.fetched, lock.files.len());
    assert_eq!(server.count(), lock.files.len());
    assert!(report.to_string().contains(&server.base), "{report}");
    for f in &lock.files {
        let bytes = fs::read(dest.path().join(&f.path)).unwrap();
        assert_eq!(sha256_hex(&bytes), f.sha256, "{}", f.path);
    }

    // Already cached: no request at all.
    let again = sync(&lock, &source, dest.path()).unwrap();
    assert_eq!(again.fetched, 0);
    assert_eq!(server.count(), lock.files.len());

    // A 404 names the file, the URL and the status.
    let mut missing = lock.clone();
    missing.files.push(LockedFile {
        path: "record_2.1/missing-2.1.xsd".into(),
        sha256: "0".repeat(64),
    });
    missing.files.sort();
    let err = sync(&missing, &source, dest.path()).unwrap_err();
    match &err {
        SyncError::HttpStatus { path, url, status } => {
            assert_eq!(path, "record_2.1/missing-2.1.xsd");
            assert_eq!(*status, 404);
            assert!(url.ends_with(&format!(
                "/raw/{PINNED}/src/main/resources/record_2.1/missing-2.1.xsd"
            )));
        }
        other => panic!("unexpected error {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("404") && msg.contains("record_2.1/missing-2.1.xsd"),
        "{msg}"
    );
    assert!(!dest.path().join("record_2.1/missing-2.1.xsd").exists());
}

#[test]
fn http_hash_mismatch_and_unreachable_server() {
    let lock = Lock::new(
        PINNED,
        vec![LockedFile {
            path: "xml.xsd".into(),
            sha256: sha256_hex(b"expected"),
        }],
    )
    .unwrap();
    let server = common::TestServer::always(Canned::new(200).bytes(b"tampered".to_vec()));
    let dest = tempfile::tempdir().unwrap();
    let source = Source::Https {
        base_url: server.base.clone(),
    };
    let err = sync(&lock, &source, dest.path()).unwrap_err();
    assert!(matches!(err, SyncError::HashMismatch { .. }), "{err:?}");
    assert!(!dest.path().join("xml.xsd").exists());
    drop(server);

    // Nothing listens on a freshly released port: a transport error, not a panic.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let source = Source::Https {
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let err = sync(&lock, &source, dest.path()).unwrap_err();
    assert!(matches!(err, SyncError::Http { .. }), "{err:?}");
    assert!(err.to_string().contains("xml.xsd"));
}

#[test]
fn lock_round_trips() {
    let lock = committed_lock();
    let text = lock.to_toml_string().unwrap();
    assert!(text.starts_with("# Managed by `cargo xtask sync-schemas`"));
    assert_eq!(Lock::parse(&text).unwrap(), lock);
    // The committed file is exactly what the tool writes.
    let on_disk = fs::read_to_string(common::committed_lock_path()).unwrap();
    assert_eq!(on_disk, text);

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("sub/test.lock");
    lock.save(&path).unwrap();
    assert_eq!(Lock::load(&path).unwrap(), lock);

    // Unsorted input is normalized.
    let unsorted = format!(
        "repository = \"ORCID/orcid-model\"\ncommit = \"{PINNED}\"\nfolder = \"src/main/resources\"\n\
         [[file]]\npath = \"b.xsd\"\nsha256 = \"{h}\"\n[[file]]\npath = \"a.xsd\"\nsha256 = \"{h}\"\n",
        h = "a".repeat(64)
    );
    let parsed = Lock::parse(&unsorted).unwrap();
    assert_eq!(parsed.files[0].path, "a.xsd");
}

#[test]
fn bad_locks_are_rejected() {
    let h = "a".repeat(64);
    let make = |commit: &str, path: &str, sha: &str| {
        format!(
            "repository = \"ORCID/orcid-model\"\ncommit = \"{commit}\"\nfolder = \"src/main/resources\"\n\
             [[file]]\npath = \"{path}\"\nsha256 = \"{sha}\"\n"
        )
    };
    for (text, what) in [
        (make(PINNED, "../escape.xsd", &h), "traversal"),
        (make(PINNED, "/abs.xsd", &h), "absolute"),
        (make(PINNED, "a//b.xsd", &h), "empty component"),
        (make(PINNED, "a.xsd", "ABC"), "bad sha"),
        (make("main", "a.xsd", &h), "bad commit"),
        (
            format!(
                "{}[[file]]\npath = \"a.xsd\"\nsha256 = \"{h}\"\n",
                make(PINNED, "a.xsd", &h)
            ),
            "duplicate",
        ),
        (
            format!("{}extra = 1\n", make(PINNED, "a.xsd", &h)),
            "unknown field",
        ),
        ("not toml [".to_owned(), "syntax"),
    ] {
        let err = Lock::parse(&text).expect_err(what);
        assert!(
            matches!(err, LockError::Invalid(_) | LockError::Toml(_)),
            "{what}: {err:?}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let err = Lock::load(&tmp.path().join("absent.lock")).unwrap_err();
    assert!(matches!(err, LockError::Read { .. }), "{err:?}");
}
