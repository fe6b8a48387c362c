//! Crash safety: a push stopped at any point between journaling a write,
//! sending it and recording ORCID's answer is finished by the next run,
//! with no duplicate on the record. (The CLI's tests kill a real process;
//! here the stop is a panic at each checkpoint.)

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::Env;
use orcid_push::{Checkpoint, Observer, PushOptions, Quiet};
use orcid_store::Store;

/// Counts checkpoints and panics at number `stop_at` (0-based).
struct CrashAt {
    seen: usize,
    stop_at: Option<usize>,
}

impl Observer for CrashAt {
    fn checkpoint(&mut self, point: Checkpoint) {
        if self.stop_at == Some(self.seen) {
            panic!("injected crash at checkpoint {} ({point:?})", self.seen);
        }
        self.seen += 1;
    }
}

fn options() -> PushOptions {
    PushOptions {
        prune: true,
        ..PushOptions::default()
    }
}

/// Sets up the record state before the crashing run (`prepare`), changes
/// the local items (`change`), then for every checkpoint of that run:
/// crash there, rerun, check convergence and that a third run sends nothing.
fn crash_everywhere(
    prepare: impl Fn(&Env, &std::path::Path, &Store),
    change: impl Fn(&std::path::Path),
) -> usize {
    crash_then_change(prepare, change, |_| {})
}

/// [`crash_everywhere`], with the local items changed again by `after`
/// between the crash and the rerun (the operator edits or deletes files).
fn crash_then_change(
    prepare: impl Fn(&Env, &std::path::Path, &Store),
    change: impl Fn(&std::path::Path),
    after: impl Fn(&std::path::Path),
) -> usize {
    let mut n = 0;
    loop {
        let env = Env::new();
        let dir = common::fixture_copy(env.dir.path());
        let store = Store::open(env.dir.path().join("crash.sqlite3")).unwrap();
        prepare(&env, &dir, &store);
        change(&dir);
        let items = env.items(&dir);
        let mut crash = CrashAt {
            seen: 0,
            stop_at: Some(n),
        };
        let crashed = catch_unwind(AssertUnwindSafe(|| {
            env.push_with(&store, &items, options(), &mut crash)
        }))
        .is_err();
        if !crashed {
            // Past the last checkpoint: every point was tried.
            return n;
        }
        after(&dir);
        let items = env.items(&dir);
        let report = env.push_with(&store, &items, options(), &mut Quiet);
        assert!(report.is_success(), "crash at {n}: {report:#?}");
        // The journal resolved the interrupted write: no 409 was needed.
        assert_eq!(report.counts().adopted, 0, "crash at {n}: {report:#?}");
        if n % 2 == 1 {
            assert!(!report.recovered.is_empty(), "crash at {n}: {report:#?}");
        }
        env.assert_converged(&store, &items);
        env.reset_counts();
        let third = env.push_with(&store, &items, options(), &mut Quiet);
        assert_eq!(third.writes, 0, "crash at {n}: {third:#?}");
        assert_eq!(env.writes(), 0, "crash at {n}");
        n += 1;
    }
}

#[test]
fn a_first_push_killed_anywhere_converges_on_rerun() {
    std::panic::set_hook(Box::new(|_| {}));
    let points = crash_everywhere(|_, _, _| {}, |_| {});
    // Bulk of four works, the employment, the keyword: 3 writes, 2 points each.
    assert_eq!(points, 6);
}

#[test]
fn an_update_create_and_prune_killed_anywhere_converges_on_rerun() {
    std::panic::set_hook(Box::new(|_| {}));
    let points = crash_everywhere(
        |env, dir, store| {
            let items = env.items(dir);
            let r = env.push_with(store, &items, options(), &mut Quiet);
            assert!(r.is_success());
        },
        |dir| {
            let w1 = dir.join("works/notes-1.xml");
            let text = std::fs::read_to_string(&w1).unwrap();
            std::fs::write(&w1, text.replace("Field Notes", "Revised Notes")).unwrap();
            let e = dir.join("employment.xml");
            let text = std::fs::read_to_string(&e).unwrap();
            std::fs::write(
                &e,
                text.replace("Research Fellow", "Senior Research Fellow"),
            )
            .unwrap();
            std::fs::remove_file(dir.join("works/notes-3.xml")).unwrap();
            for n in [5, 6] {
                std::fs::write(
                    dir.join(format!("works/notes-{n}.xml")),
                    text_of_work(dir, n),
                )
                .unwrap();
            }
            std::fs::write(
                dir.join("second-keyword.xml"),
                std::fs::read_to_string(dir.join("keyword.xml"))
                    .unwrap()
                    .replace("persistent identifiers", "put-codes"),
            )
            .unwrap();
        },
    );
    // delete, 2 updates, a bulk of 2 works, a keyword: 5 writes.
    assert_eq!(points, 10);
}

fn text_of_work(dir: &std::path::Path, n: u32) -> String {
    std::fs::read_to_string(dir.join("works/notes-2.xml"))
        .unwrap()
        .replace("fixture-2", &format!("fixture-{n}"))
        .replace("A Second Look", &format!("Look number {n}"))
}

/// The first push killed anywhere, then every local item edited so that
/// neither its content nor what identifies it (self id, role, keyword) is
/// what was sent: the creates ORCID applied are found by what was sent and
/// updated, never created twice.
#[test]
fn a_first_push_killed_anywhere_then_edited_converges_without_duplicates() {
    std::panic::set_hook(Box::new(|_| {}));
    let points = crash_then_change(|_, _, _| {}, |_| {}, edit_everything);
    assert_eq!(points, 6);
}

/// The first push killed anywhere, then some local items deleted and the
/// rerun pruning: the creates ORCID applied are found and deleted, none is
/// left behind on the record.
#[test]
fn a_first_push_killed_anywhere_then_deleted_and_pruned_leaves_no_orphan() {
    std::panic::set_hook(Box::new(|_| {}));
    let points = crash_then_change(
        |_, _, _| {},
        |_| {},
        |dir| {
            for f in ["employment.xml", "keyword.xml", "works/notes-1.xml"] {
                std::fs::remove_file(dir.join(f)).unwrap();
            }
        },
    );
    assert_eq!(points, 6);
}

fn edit_everything(dir: &std::path::Path) {
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("employment.xml", "Research Fellow", "Senior Lecturer");
    edit("keyword.xml", "persistent identifiers", "put-codes");
    for n in 1..=3 {
        edit(
            &format!("works/notes-{n}.xml"),
            &format!("fixture-{n}"),
            &format!("renamed-{n}"),
        );
    }
    edit("works/reach.work.json", "12345678", "87654321");
}
