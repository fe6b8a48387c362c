//! Two pushes of one set to one record on one store at the same time: the
//! second refuses or waits for the first, and nothing is created twice.
//! The order is fixed with channels: the first push stops between a write
//! and recording its answer until the test lets it go.

mod common;

use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::Duration;

use common::Env;
use orcid_client::OrcidClient;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_ORCID};
use orcid_model::scalar::OrcidId;
use orcid_push::{Checkpoint, Error, LocalItem, Observer, PushOptions, PushReport, Pusher, Quiet};
use orcid_store::{LockHolder, Store};
use secrecy::SecretString;

/// An upper bound no correct run approaches: the waiting push is released
/// as soon as the test hears that it waits.
const GENEROUS: Duration = Duration::from_secs(600);

/// Stops at the first answer, before it is recorded, until told to go on.
struct PauseAtFirstAnswer {
    paused: Sender<()>,
    go: Receiver<()>,
    done: bool,
}

impl Observer for PauseAtFirstAnswer {
    fn checkpoint(&mut self, point: Checkpoint) {
        if !self.done && point == Checkpoint::AfterWrite {
            self.done = true;
            self.paused.send(()).unwrap();
            self.go.recv().unwrap();
        }
    }
}

/// Says who the push waits for.
struct TellWaiting(Sender<Option<u32>>);

impl Observer for TellWaiting {
    fn waiting(&mut self, holder: Option<&LockHolder>) {
        self.0.send(holder.map(|h| h.pid)).unwrap();
    }
}

fn push(
    client: &OrcidClient,
    token: &SecretString,
    store: &Store,
    items: &[LocalItem],
    wait: Duration,
    observer: &mut dyn Observer,
) -> Result<PushReport, Error> {
    let options = PushOptions {
        wait,
        ..PushOptions::default()
    };
    Pusher::new(client.member(token), store, DEMO_CLIENT_ID, options).push(
        &OrcidId(DEMO_ORCID.into()),
        items,
        observer,
    )
}

#[test]
fn a_second_push_of_the_same_set_refuses_or_waits_and_nothing_is_created_twice() {
    let env = Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = env.items(&dir);
    let path = env.dir.path().join("store.sqlite3");
    let (client, token) = (env.client.clone(), env.token.clone());
    let (paused_tx, paused_rx) = channel();
    let (go_tx, go_rx) = channel();
    let (waiting_tx, waiting_rx) = channel();

    std::thread::scope(|s| {
        // Owned here, so that a failed assertion drops it and the paused
        // push ends instead of waiting for ever.
        let go_tx = go_tx;
        let first = s.spawn(|| {
            let store = Store::open(&path).unwrap();
            let mut pause = PauseAtFirstAnswer {
                paused: paused_tx,
                go: go_rx,
                done: false,
            };
            push(&client, &token, &store, &items, GENEROUS, &mut pause)
        });
        paused_rx.recv().unwrap();

        // The first push is between ORCID's answer and recording it. A
        // second one that will not wait refuses, names it, sends nothing.
        let store = Store::open(&path).unwrap();
        let err = push(&client, &token, &store, &items, Duration::ZERO, &mut Quiet).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Busy { .. }), "{err:?}");
        assert!(
            text.contains("another push of set `default` to 0000-0002-1825-0097 is running"),
            "{text}"
        );
        assert!(
            text.contains(&format!("process {}", std::process::id())),
            "{text}"
        );

        // One that waits, waits for the first to end, then has nothing to do.
        let second = s.spawn(|| {
            let store = Store::open(&path).unwrap();
            push(
                &client,
                &token,
                &store,
                &items,
                GENEROUS,
                &mut TellWaiting(waiting_tx),
            )
        });
        assert_eq!(waiting_rx.recv().unwrap(), Some(std::process::id()));
        go_tx.send(()).unwrap();
        let first = first.join().unwrap().unwrap();
        assert!(first.is_success(), "{first:#?}");
        assert_eq!(first.counts().created, 6);
        let second = second.join().unwrap().unwrap();
        assert!(second.is_success(), "{second:#?}");
        assert_eq!(second.writes, 0, "{second:#?}");
        assert_eq!(second.counts().unchanged, 6);
    });
    // Only the first push wrote: the bulk of works, the employment, the keyword.
    assert_eq!(env.writes(), 3);
    env.assert_converged(&env.store, &items);
}
