//! Collections of documents: tar archives of records (`.tar`, `.tar.gz`,
//! `.tgz`: read as a stream, never extracted), the ordered parallel
//! pipeline that `orcid convert` and `orcid validate` run them through, the
//! progress bar, and output that spills to a temporary file when it grows.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orcid_model::stream::{Item, StreamError};
use rayon::prelude::*;

use crate::error::CliError;

/// Tunes mimalloc (the global allocator, see `main.rs`) for bounded memory
/// and for threads: arena memory is committed as it is used, freed memory
/// goes back to the system after 100 ms, and mimalloc is built without
/// transparent huge pages (the `no_thp` feature, Cargo.toml).
///
/// Returning memory at once, with huge pages, kept RSS low but cost two
/// threads 15-20% of their time: every purge is an `madvise` that flushes
/// the other thread's TLB, and every reuse a page fault that zeroes a 2 MB
/// page. mimalloc's default delay (10 ms) still purged often enough to
/// double the page faults of two threads. With 100 ms and no huge pages, a
/// gigabyte bulk on two threads peaks at 47 MB (validate) and 44 MB
/// (convert); see docs/performance.md.
pub fn tune_allocator() {
    // Option numbers in `enum mi_option_e` (mimalloc.h, the same in the 2.x
    // and 3.x sources bundled by libmimalloc-sys 0.1): arena_eager_commit =
    // 4, purge_delay = 15.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is always allowed; these two only change
    // when memory is committed and returned.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
}

/// An archive format, told by the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// `.tar`
    Tar,
    /// `.tar.gz` or `.tgz`
    TarGz,
}

/// The archive format of `path`, if its name says it is one.
pub fn archive_kind(path: &Path) -> Option<ArchiveKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(ArchiveKind::TarGz)
    } else if name.ends_with(".tar") {
        Some(ArchiveKind::Tar)
    } else {
        None
    }
}

/// Whether a file name is that of a document (`.xml` or `.json`).
pub fn has_document_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("json"))
}

/// Whether the files found under directories need their sizes: only for
/// the progress bar, which is drawn on a terminal. Not asking saves a
/// `stat` per file, which is most of listing a directory of small files.
pub fn sizes_wanted() -> bool {
    io::stderr().is_terminal()
}

/// If a directory entry is a file (a regular file, or a link to one), its
/// size (0 unless `sized`).
pub fn file_entry(entry: &std::fs::DirEntry, path: &Path, sized: bool) -> Option<u64> {
    // The entry's type comes with the listing; a link needs a `stat`.
    let regular = entry.file_type().is_ok_and(|t| t.is_file());
    if !regular && !path.is_file() {
        return None;
    }
    Some(if sized {
        entry.metadata().map_or(0, |m| m.len())
    } else {
        0
    })
}

/// A document read from an archive.
pub struct Member {
    /// Its path inside the archive.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The member path as a relative path that stays inside a directory
/// (`None` for an absolute path or one with `..`).
pub fn safe_relative(member: &str) -> Option<PathBuf> {
    let p = Path::new(member);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads the `.xml` and `.json` members of the archive at `path`, in
/// archive order, and hands each to `each` (which returns `false` to stop).
/// `read` counts the bytes read from the archive file. An error (a corrupt
/// archive, a member that cannot be read) ends the walk; the members before
/// it have been handed out.
pub fn for_each_member(
    path: &Path,
    kind: ArchiveKind,
    read: Arc<AtomicU64>,
    mut each: impl FnMut(Member) -> bool,
) -> Result<(), String> {
    let shown = path.display();
    let file = File::open(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let counted = Counting {
        inner: BufReader::with_capacity(256 * 1024, file),
        count: read,
    };
    let src: Box<dyn Read> = match kind {
        ArchiveKind::Tar => Box::new(counted),
        ArchiveKind::TarGz => Box::new(flate2::read::MultiGzDecoder::new(counted)),
    };
    let mut archive = tar::Archive::new(src);
    let entries = archive
        .entries()
        .map_err(|e| format!("cannot read archive `{shown}`: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("cannot read archive `{shown}`: {e}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = match entry.path() {
            Ok(p) => p.to_string_lossy().into_owned(),
            Err(e) => return Err(format!("cannot read archive `{shown}`: {e}")),
        };
        if !has_document_extension(Path::new(&name)) {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size().min(1 << 26) as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read `{name}` in archive `{shown}`: {e}"))?;
        if !each(Member { path: name, bytes }) {
            break;
        }
    }
    Ok(())
}

/// The number of threads for `--jobs` (default: every core).
pub fn jobs(requested: Option<std::num::NonZeroUsize>) -> usize {
    requested.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n.get(),
    )
}

/// A pool of `jobs` threads.
pub fn pool(jobs: usize) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| CliError::Io(format!("orcid: cannot start {jobs} threads: {e}")))
}

/// Units handed to the pipeline are grouped in batches of at most this
/// many per thread...
const BATCH_PER_THREAD: usize = 128;
/// ...and about this many bytes.
const BATCH_BYTES: u64 = 2 << 20;
/// The first batch of [`ordered_iter`] has this many units per thread;
/// each next batch twice as many, up to [`BATCH_PER_THREAD`].
const FIRST_BATCH_PER_THREAD: usize = 4;

/// Something with a size, for batching.
pub trait Weight {
    /// About how many bytes it is.
    fn weight(&self) -> u64;
}

/// An item cut from a bulk (or why it could not be), for batching: it
/// weighs its size.
pub struct Cut(pub Result<Item, StreamError>);

impl Weight for Cut {
    fn weight(&self) -> u64 {
        self.0.as_ref().map_or(0, |i| i.text.len() as u64)
    }
}

/// Runs `work` on every unit that `produce` hands out, on the threads of
/// `pool`, and hands the results to `sink` in production order. Memory stays
/// bounded: units go through in batches (a few per thread, a few MB), and
/// with more than one thread a producer thread reads the next batches while
/// the current one is worked on. `produce` gets a function to hand out a unit,
/// which returns `false` when the pipeline stops (the sink asked to).
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
    let max_units = BATCH_PER_THREAD * threads;
    if threads <= 1 {
        // One thread: everything on this one, in order.
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
            let mut batch = Vec::new();
            let mut bytes = 0;
            produce(&mut |u| {
                bytes += u.weight();
                batch.push(u);
                if batch.len() >= max_units || bytes >= BATCH_BYTES {
                    bytes = 0;
                    return tx.send(std::mem::take(&mut batch)).is_ok();
                }
                true
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
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

/// Like [`ordered`] for units from an iterator (the items of a bulk inside
/// one input), on `threads` threads of the current pool (the calling thread
/// alone for 1). With more than one thread, every step is a
/// [`rayon::join`]: the pool works on one batch while the calling thread
/// gives the results of the previous one to `sink` and cuts the next one
/// from `units`, then joins the pool's work. No thread of its own reads
/// the input, so `threads` threads share all the work on `threads` cores.
/// The first batches are small, so that every thread has work soon after
/// the start.
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
    // Batches grow from a few units per thread to the full size.
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
    let mut batch = Vec::new();
    let mut bytes = 0;
    for u in units.by_ref() {
        bytes += u.weight();
        batch.push(u);
        if batch.len() >= limit || bytes >= BATCH_BYTES {
            break;
        }
    }
    batch
}

/// A progress bar on standard error, with the bytes read and their rate,
/// shown only when standard error is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    docs: u64,
}

impl Progress {
    /// A bar for `total` bytes (`verb`: "validating", "converting"); none
    /// when `show` is false or standard error is not a terminal.
    pub fn new(verb: &str, total: u64, show: bool) -> Progress {
        if !show || !io::stderr().is_terminal() {
            return Progress { bar: None, docs: 0 };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = format!(
            "{{spinner}} {verb} {{msg}} {{wide_bar}} {{binary_bytes}}/{{binary_total_bytes}} \
             {{binary_bytes_per_sec}} {{eta}}"
        );
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress {
            bar: Some(bar),
            docs: 0,
        }
    }

    /// Whether a bar is shown.
    pub fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// `n` more bytes done.
    pub fn add_bytes(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// A handle for other threads (the works of a bulk as they go).
    pub fn ticker(&self) -> Ticker {
        Ticker(self.bar.clone())
    }

    /// `n` more documents done.
    pub fn add_docs(&mut self, n: u64) {
        self.docs += n;
        if let Some(bar) = &self.bar {
            bar.set_message(format!(
                "{} document{}",
                self.docs,
                if self.docs == 1 { "" } else { "s" }
            ));
        }
    }

    /// Runs `f` with the bar hidden (to print on a terminal).
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Counts bytes done from any thread (see [`Progress::ticker`]).
#[derive(Clone, Default)]
pub struct Ticker(Option<ProgressBar>);

impl Ticker {
    /// `n` more bytes done.
    pub fn add_bytes(&self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

/// Inputs larger than this get a progress bar (on a terminal).
pub const PROGRESS_BYTES: u64 = 64 << 20;

/// Output kept in memory up to a limit, then in an anonymous temporary
/// file, so that results can wait for their turn in bounded memory.
pub struct Spill {
    mem: Vec<u8>,
    file: Option<File>,
    limit: usize,
}

impl Spill {
    /// Keeps up to `limit` bytes in memory.
    pub fn new(limit: usize) -> Spill {
        Spill {
            mem: Vec::new(),
            file: None,
            limit,
        }
    }

    /// Everything written, to `out`.
    pub fn copy_to(mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(mut f) = self.file.take() {
            f.write_all(&self.mem)?;
            f.rewind()?;
            io::copy(&mut f, out)?;
        } else {
            out.write_all(&self.mem)?;
        }
        Ok(())
    }

    /// Whether anything was written to the temporary file.
    #[cfg(test)]
    pub fn spilled(&self) -> bool {
        self.file.is_some()
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.mem.extend_from_slice(buf);
        if self.mem.len() > self.limit {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.mem)?;
            self.mem.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
            assert_eq!(got, (1..=1000).collect::<Vec<u64>>());
        }
    }

    #[test]
    fn safe_relative_paths() {
        assert_eq!(
            safe_relative("./a/b.xml"),
            Some(PathBuf::from("a").join("b.xml"))
        );
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative("a/../../b.xml"), None);
        assert_eq!(safe_relative("."), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(
            archive_kind(Path::new("x.TAR.GZ")),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(archive_kind(Path::new("x.tgz")), Some(ArchiveKind::TarGz));
        assert_eq!(archive_kind(Path::new("x.tar")), Some(ArchiveKind::Tar));
        assert_eq!(archive_kind(Path::new("x.xml")), None);
    }

    #[test]
    fn spill_goes_to_a_file_past_its_limit() {
        let mut s = Spill::new(10);
        s.write_all(b"0123456789abc").unwrap();
        s.write_all(b"de").unwrap();
        assert!(s.spilled());
        let mut out = Vec::new();
        s.copy_to(&mut out).unwrap();
        assert_eq!(out, b"0123456789abcde");
    }
}
