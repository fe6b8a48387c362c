//! Named locks: a second taker refuses at once or waits for the first, a
//! lock dies with its holder, and in-memory stores need none.

use std::sync::mpsc;
use std::time::Duration;

use orcid_store::{Error, Store};

/// An upper bound no correct run approaches (the waiter is released as
/// soon as the test hears it waiting).
const GENEROUS: Duration = Duration::from_secs(600);

#[test]
fn a_second_taker_refuses_or_waits_and_other_names_are_free() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite3");
    let first = Store::open(&path).unwrap();
    let held = first
        .lock("push a", Duration::ZERO, &mut |_| panic!("free"))
        .unwrap();

    let second = Store::open(&path).unwrap();
    let err = second
        .lock("push a", Duration::ZERO, &mut |_| panic!("no waiting"))
        .unwrap_err();
    let Error::Locked { holder, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        holder.as_ref().map(|h| h.pid),
        Some(std::process::id()),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("push a is held by process"), "{text}");
    assert!(text.contains("waited 0 s"), "{text}");
    // Another name is another lock.
    drop(second.lock("push b", Duration::ZERO, &mut |_| {}).unwrap());

    let (waiting_tx, waiting_rx) = mpsc::channel();
    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let store = Store::open(&path).unwrap();
            let mut told = Vec::new();
            let lock = store.lock("push a", GENEROUS, &mut |h| {
                told.push(h.map(|h| h.pid));
                waiting_tx.send(()).unwrap();
            });
            (lock.map(|_| ()), told)
        });
        waiting_rx.recv().unwrap();
        drop(held);
        let (lock, told) = waiter.join().unwrap();
        lock.unwrap();
        assert_eq!(told, vec![Some(std::process::id())]);
    });
}

#[test]
fn the_lock_directory_is_beside_the_database_and_memory_needs_no_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.lock_dir(), Some(dir.path().join("s.sqlite3.locks")));
    let _held = store.lock("x", Duration::ZERO, &mut |_| {}).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("s.sqlite3.locks"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    let memory = Store::in_memory().unwrap();
    assert_eq!(memory.lock_dir(), None);
    let _a = memory.lock("x", Duration::ZERO, &mut |_| {}).unwrap();
    let _b = memory.lock("x", Duration::ZERO, &mut |_| {}).unwrap();
}
