//! Named locks beside the database, so that two processes (or two
//! connections of one) never run the same job on one store at once, e.g.
//! two pushes of one item set to one record, which would both create the
//! same items.
//!
//! A lock is an OS file lock (`flock` on Unix, `LockFileEx` on Windows) on a
//! file in the directory `<database>.locks/` beside the database: the OS
//! releases it when its holder ends, even by `kill -9` or a power cut, so a
//! lock is never left behind. The holder writes its process id, host and
//! start time into the file, for the message of whoever finds it taken. The
//! files stay (removing a lock file while another process waits on it
//! would let a third one lock a new file of the same name).

use std::fmt;
use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::Store;

/// Suffix of the lock directory beside the database file.
pub const LOCK_DIR_SUFFIX: &str = ".locks";

/// The longest pause between two tries while waiting for a lock.
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// Who holds a lock, as its holder wrote it in the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// The holder's process id.
    pub pid: u32,
    /// The holder's host name, if it could be found.
    pub host: Option<String>,
    /// When the holder took the lock.
    pub since: Timestamp,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "process {}", self.pid)?;
        if let Some(h) = &self.host {
            write!(f, " on {h}")?;
        }
        write!(f, ", since {}", self.since)
    }
}

impl LockHolder {
    /// This process.
    fn current() -> LockHolder {
        LockHolder {
            pid: std::process::id(),
            host: host_name(),
            since: Timestamp::now(),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "pid={}\nhost={}\nsince={}\n",
            self.pid,
            self.host.as_deref().unwrap_or(""),
            self.since.as_unix()
        )
    }

    /// Reads what [`LockHolder::to_text`] wrote; `None` if it is not (yet) all there.
    fn parse(text: &str) -> Option<LockHolder> {
        let mut pid = None;
        let mut host = None;
        let mut since = None;
        for line in text.lines() {
            match line.split_once('=') {
                Some(("pid", v)) => pid = v.parse().ok(),
                Some(("host", v)) => host = Some(v).filter(|h| !h.is_empty()).map(String::from),
                Some(("since", v)) => since = v.parse().ok().map(Timestamp::from_unix),
                _ => {}
            }
        }
        Some(LockHolder {
            pid: pid?,
            host,
            since: since?,
        })
    }
}

/// The host name, from the OS or the environment; `None` if unknown.
fn host_name() -> Option<String> {
    let from_file = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| fs::read_to_string(p).ok());
    from_file
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && h.len() <= 255 && !h.contains(['\n', '=']))
}

/// A lock taken with [`Store::lock`]; released when dropped, or by the OS
/// when the process ends.
#[derive(Debug)]
pub struct StoreLock {
    /// The locked file; `None` for an in-memory store.
    file: Option<File>,
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            // Closing the file releases the lock too; unlocking first makes
            // it immediate even if a clone of the handle lives on.
            let _ = f.unlock();
        }
    }
}

impl Store {
    /// The directory of this store's lock files (`<database>.locks`); `None`
    /// for an in-memory store.
    pub fn lock_dir(&self) -> Option<PathBuf> {
        self.path.as_ref().map(|p| {
            let mut dir = p.clone().into_os_string();
            dir.push(LOCK_DIR_SUFFIX);
            PathBuf::from(dir)
        })
    }

    /// Takes the lock `name` (any text; it names a job, e.g. a push of one
    /// item set to one record), waiting up to `wait` for another holder to
    /// release it. `on_wait` is called once, with the holder if known, when
    /// the lock is found taken and the caller is about to wait (not when
    /// `wait` is zero).
    ///
    /// Fails with [`Error::Locked`] (naming the holder, if known) when the
    /// lock is still taken after `wait`, or with [`Error::Io`] when the lock
    /// file cannot be made. An in-memory store is private to its connection:
    /// its locks are always free.
    pub fn lock(
        &self,
        name: &str,
        wait: Duration,
        on_wait: &mut dyn FnMut(Option<&LockHolder>),
    ) -> Result<StoreLock> {
        let Some(dir) = self.lock_dir() else {
            return Ok(StoreLock { file: None });
        };
        crate::create_dirs(&dir).map_err(|source| Error::Io {
            action: "cannot create the lock directory",
            path: dir.clone(),
            source,
        })?;
        let path = dir.join(lock_file_name(name));
        let mut file = open_lock_file(&path).map_err(|source| Error::Io {
            action: "cannot open the lock file",
            path: path.clone(),
            source,
        })?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(10);
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(source)) => {
                    return Err(Error::Io {
                        action: "cannot lock",
                        path,
                        source,
                    })
                }
            }
            let waited = start.elapsed();
            if waited >= wait {
                return Err(Error::Locked {
                    name: name.to_string(),
                    holder: read_holder(&path),
                    waited: wait,
                });
            }
            if !told {
                on_wait(read_holder(&path).as_ref());
                told = true;
            }
            std::thread::sleep(pause.min(wait - waited));
            pause = (pause * 2).min(MAX_PAUSE);
        }
        // Best effort: the lock holds whether or not the note is written.
        let _ = write_holder(&mut file, &LockHolder::current());
        Ok(StoreLock { file: Some(file) })
    }
}

/// The file name of lock `name`: a hash, so any name makes a valid,
/// short file name.
fn lock_file_name(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.lock")
}

#[cfg(unix)]
fn open_lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

fn write_holder(file: &mut File, holder: &LockHolder) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(holder.to_text().as_bytes())?;
    file.flush()
}

/// The holder noted in the lock file at `path`, if it can be read.
fn read_holder(path: &Path) -> Option<LockHolder> {
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(1024)
        .read_to_string(&mut text)
        .ok()?;
    LockHolder::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_notes_read_back_and_partial_ones_are_unknown() {
        let h = LockHolder {
            pid: 42,
            host: Some("box".into()),
            since: Timestamp::from_unix(1_800_000_000),
        };
        assert_eq!(LockHolder::parse(&h.to_text()), Some(h.clone()));
        assert_eq!(LockHolder::parse("pid=42\n"), None);
        assert_eq!(LockHolder::parse(""), None);
        assert!(h.to_string().starts_with("process 42 on box, since "));
    }

    #[test]
    fn lock_file_names_are_short_and_distinct() {
        let a = lock_file_name("push a");
        assert_eq!(a.len(), 32 + ".lock".len());
        assert_ne!(a, lock_file_name("push b"));
        assert_eq!(lock_file_name(&"x".repeat(10_000)).len(), a.len());
    }
}
