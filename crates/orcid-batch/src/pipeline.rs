//! The ordered parallel pipeline: units go to a pool of threads in bounded
//! batches, and their results come back in the order the units came in.

use std::num::NonZeroUsize;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::Error;

/// The number of threads for a `--jobs` option: the one asked for, else
/// one per core.
pub fn jobs(requested: Option<NonZeroUsize>) -> usize {
    requested.map_or_else(
        || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        NonZeroUsize::get,
    )
}

/// A pool of `threads` threads, for [`ordered`] (and, installed, for
/// [`ordered_iter`]).
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| Error::Threads { threads, source })
}

/// Units are grouped in batches of at most this many per thread...
pub const BATCH_PER_THREAD: usize = 128;
/// ...and of about this many bytes (a batch ends with the unit that
/// reaches it).
pub const BATCH_BYTES: u64 = 2 << 20;
/// The first batch of [`ordered_iter`] has this many units per thread;
/// each next batch twice as many, up to [`BATCH_PER_THREAD`].
pub const FIRST_BATCH_PER_THREAD: usize = 4;

/// Something with a size, for batching.
pub trait Weight {
    /// About how many bytes it is (0 when unknown: then only the count
    /// bounds a batch).
    fn weight(&self) -> u64;
}

/// Gathers units into a batch until it holds `limit` units or
/// [`BATCH_BYTES`].
struct Batcher<U> {
    batch: Vec<U>,
    bytes: u64,
    limit: usize,
}

impl<U: Weight> Batcher<U> {
    fn new(limit: usize) -> Self {
        Batcher {
            batch: Vec::new(),
            bytes: 0,
            limit,
        }
    }

    /// Adds `unit`; the batch, if this made it full.
    fn push(&mut self, unit: U) -> Option<Vec<U>> {
        self.bytes += unit.weight();
        self.batch.push(unit);
        if self.batch.len() >= self.limit || self.bytes >= BATCH_BYTES {
            self.bytes = 0;
            return Some(std::mem::take(&mut self.batch));
        }
        None
    }

    /// What is left (maybe nothing).
    fn rest(self) -> Vec<U> {
        self.batch
    }
}

/// Runs `work` on every unit that `produce` hands out, on the threads of
/// `pool`, and hands the results to `sink` in production order; `sink`
/// returns `false` to stop.
///
/// Memory stays bounded: units go through in batches (at most
/// [`BATCH_PER_THREAD`] per thread, about [`BATCH_BYTES`]), and with more
/// than one thread a producer thread reads the next batches while the
/// current one is worked on, at most a few batches ahead of `sink`.
/// `produce` gets a function to hand out a unit, which returns `false`
/// once the pipeline stops (the sink asked to): `produce` should then
/// return. With one thread, everything runs on the calling thread.
pub fn ordered<U, T>(
    pool: &rayon::ThreadPool,
    produce: impl FnOnce(&mut dyn FnMut(U) -> bool) + Send,
    work: impl Fn(U) -> T + Sync,
    mut sink: impl FnMut(T) -> bool,
) where
    U: Weight + Send,
    T: Send,
{
    let threads = pool.current_num_threads();
    if threads <= 1 {
        let mut go = true;
        produce(&mut |u| {
            go = go && sink(work(u));
            go
        });
        return;
    }
    let (tx, rx) = mpsc::sync_channel::<Vec<U>>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batcher = Batcher::new(BATCH_PER_THREAD * threads);
            produce(&mut |u| match batcher.push(u) {
                Some(batch) => tx.send(batch).is_ok(),
                None => true,
            });
            let rest = batcher.rest();
            if !rest.is_empty() {
                let _ = tx.send(rest);
            }
        });
        // A dispatcher hands each batch to the pool, so that this thread
        // takes the results of one batch while the pool works on the next.
        let (done_tx, done_rx) = mpsc::sync_channel::<Vec<T>>(1);
        let work = &work;
        scope.spawn(move || {
            for batch in rx.iter() {
                let results: Vec<T> = pool.install(|| batch.into_par_iter().map(work).collect());
                if done_tx.send(results).is_err() {
                    // Dropping the receiver stops the producer at its next send.
                    return;
                }
            }
        });
        'batches: for results in done_rx.iter() {
            for r in results {
                if !sink(r) {
                    break 'batches;
                }
            }
        }
        drop(done_rx);
    });
}

/// Like [`ordered`] for units from an iterator (say, the items of one
/// large input), on `threads` threads of the current pool (the calling
/// thread alone for 1); run it inside [`rayon::ThreadPool::install`] to
/// choose the pool.
///
/// With more than one thread, every step is a [`rayon::join`]: the pool
/// works on one batch while the calling thread gives the results of the
/// previous one to `sink` and takes the next batch from `units`, then joins
/// the pool's work. No thread of its own reads the input, so `threads`
/// threads share all the work on `threads` cores. The first batches are
/// small ([`FIRST_BATCH_PER_THREAD`] units per thread), so that every
/// thread has work soon after the start.
pub fn ordered_iter<U, T>(
    threads: usize,
    units: impl Iterator<Item = U> + Send,
    work: impl Fn(U) -> T + Sync,
    mut sink: impl FnMut(T) -> bool + Send,
) where
    U: Weight + Send,
    T: Send,
{
    let mut units = units;
    if threads <= 1 {
        for u in units {
            if !sink(work(u)) {
                return;
            }
        }
        return;
    }
    let max_units = BATCH_PER_THREAD * threads;
    let mut limit = FIRST_BATCH_PER_THREAD * threads;
    let mut batch = next_batch(&mut units, limit);
    let mut sink_all = |results: Vec<T>| results.into_iter().all(&mut sink);
    let mut waiting: Option<Vec<T>> = None;
    while !batch.is_empty() {
        limit = (limit * 2).min(max_units);
        let previous = waiting.take();
        let units = &mut units;
        let ((go, next), results) = rayon::join(
            || {
                let go = previous.is_none_or(&mut sink_all);
                let next = if go {
                    next_batch(units, limit)
                } else {
                    Vec::new()
                };
                (go, next)
            },
            || batch.into_par_iter().map(&work).collect::<Vec<T>>(),
        );
        if !go {
            return;
        }
        waiting = Some(results);
        batch = next;
    }
    if let Some(results) = waiting {
        sink_all(results);
    }
}

/// Up to `limit` units (and about [`BATCH_BYTES`]) from `units`.
fn next_batch<U: Weight>(units: &mut impl Iterator<Item = U>, limit: usize) -> Vec<U> {
    let mut batcher = Batcher::new(limit);
    for u in units.by_ref() {
        if let Some(batch) = batcher.push(u) {
            return batch;
        }
    }
    batcher.rest()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    struct N(u64);
    impl Weight for N {
        fn weight(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn ordered_keeps_the_order_on_any_number_of_threads() {
        for threads in [1, 2, 3] {
            let p = pool(threads).unwrap();
            let mut got = Vec::new();
            ordered(
                &p,
                |give| {
                    for i in 0..1000 {
                        if !give(N(i)) {
                            break;
                        }
                    }
                },
                |n| n.0 * 2,
                |r| {
                    got.push(r);
                    r < 1000
                },
            );
            let want: Vec<u64> = (0..=500).map(|i| i * 2).collect();
            assert_eq!(got, want, "{threads} threads");
            let mut got = Vec::new();
            p.install(|| {
                ordered_iter(
                    threads,
                    (0..1000).map(N),
                    |n| n.0 + 1,
                    |r| {
                        got.push(r);
                        true
                    },
                )
            });
            assert_eq!(got, (1..=1000).collect::<Vec<u64>>(), "{threads} threads");
        }
    }

    #[test]
    fn ordered_iter_stops_when_the_sink_says_so() {
        let p = pool(2).unwrap();
        let mut got = Vec::new();
        p.install(|| {
            ordered_iter(
                2,
                (0..10_000).map(N),
                |n| n.0,
                |r| {
                    got.push(r);
                    r < 99
                },
            )
        });
        assert_eq!(got, (0..100).collect::<Vec<u64>>());
    }

    #[test]
    fn batches_end_at_their_count() {
        let mut b = Batcher::new(3);
        assert!(b.push(N(1)).is_none());
        assert!(b.push(N(1)).is_none());
        assert_eq!(b.push(N(1)).map(|b| b.len()), Some(3));
        assert!(b.push(N(1)).is_none());
        assert_eq!(b.rest().len(), 1);
    }

    #[test]
    fn batches_end_at_their_bytes() {
        let mut b = Batcher::new(1000);
        assert!(b.push(N(BATCH_BYTES / 2)).is_none());
        // The unit that reaches the bytes ends the batch.
        assert_eq!(b.push(N(BATCH_BYTES / 2)).map(|b| b.len()), Some(2));
        // The count of bytes starts again with the next batch.
        assert!(b.push(N(BATCH_BYTES / 2)).is_none());
        assert_eq!(b.push(N(BATCH_BYTES)).map(|b| b.len()), Some(2));
        // A unit larger than a batch is a batch of its own.
        assert_eq!(b.push(N(3 * BATCH_BYTES)).map(|b| b.len()), Some(1));

        let mut units = (0..10).map(|_| N(BATCH_BYTES / 4));
        assert_eq!(next_batch(&mut units, 100).len(), 4);
        assert_eq!(next_batch(&mut units, 3).len(), 3);
        assert_eq!(next_batch(&mut units, 100).len(), 3);
        assert!(next_batch(&mut units, 100).is_empty());
    }

    #[test]
    fn the_producer_stays_a_few_batches_ahead() {
        // The sink stops at the first result of an endless producer: the
        // producer must stop too, having made only a few batches.
        let threads = 2;
        let p = pool(threads).unwrap();
        let produced = AtomicUsize::new(0);
        let mut got = 0;
        ordered(
            &p,
            |give| {
                while give(N(0)) {
                    produced.fetch_add(1, Ordering::Relaxed);
                }
            },
            |n| n.0,
            |_| {
                got += 1;
                false
            },
        );
        assert_eq!(got, 1);
        let batch = BATCH_PER_THREAD * threads;
        let produced = produced.into_inner();
        assert!(produced <= 6 * batch, "{produced} units made ahead");
    }

    #[test]
    fn jobs_default_to_the_cores() {
        assert_eq!(jobs(NonZeroUsize::new(3)), 3);
        assert!(jobs(None) >= 1);
    }
}
