//! Filling the cache directory with the pinned, hash-verified files.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::SyncError;
use crate::lock::{short_commit, validate_rel_path, Lock};
use crate::sha256_hex;
use crate::source::{Fetcher, Source};

/// What [`sync`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The pinned commit.
    pub commit: String,
    /// Number of files now present and verified in the destination.
    pub verified: usize,
    /// How many of them were fetched (the rest were already present with the right hash).
    pub fetched: usize,
    /// Files removed from the destination because they left the lock (update only).
    pub removed: usize,
    /// Description of the source the fetched files came from.
    pub source: String,
    /// The destination directory.
    pub dest: PathBuf,
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "orcid-model@{}: {} files verified, {} fetched",
            short_commit(&self.commit),
            self.verified,
            self.fetched
        )?;
        if self.removed > 0 {
            write!(f, ", {} removed", self.removed)?;
        }
        if self.fetched > 0 {
            write!(f, ", from {}", self.source)?;
        } else {
            write!(f, " (all already cached)")?;
        }
        write!(f, " -> {}", self.dest.display())
    }
}

/// Makes `dest` contain every file of `lock`, each with its locked SHA-256.
///
/// Files already present in `dest` with the right hash are not fetched again
/// (so a complete cache needs neither the mirror nor the network). Others are
/// fetched from `source`, verified, and written atomically (temporary file in
/// the same directory, then rename), so `dest` never holds a corrupt copy: a
/// present file with a wrong hash is removed before it is fetched again, and a
/// fetched file with a wrong hash is never written. Stops at the first error.
pub fn sync(lock: &Lock, source: &Source, dest: &Path) -> Result<SyncReport, SyncError> {
    let mut fetcher = Fetcher::new(source);
    let mut fetched = 0;
    for file in &lock.files {
        let target = target_path(dest, &file.path)?;
        if has_hash(&target, &file.sha256)? {
            continue;
        }
        remove_if_present(&target)?;
        if fetched == 0 {
            fetcher.check()?;
        }
        let (bytes, origin) = fetcher.fetch(&lock.commit, &lock.folder, &file.path)?;
        let actual = sha256_hex(&bytes);
        if actual != file.sha256 {
            return Err(SyncError::HashMismatch {
                path: file.path.clone(),
                origin,
                expected: file.sha256.clone(),
                actual,
            });
        }
        write_atomic(&target, &bytes)?;
        fetched += 1;
    }
    Ok(SyncReport {
        commit: lock.commit.clone(),
        verified: lock.files.len(),
        fetched,
        removed: 0,
        source: source.to_string(),
        dest: dest.to_path_buf(),
    })
}

/// `dest/path`, after checking that `path` cannot escape `dest`.
pub(crate) fn target_path(dest: &Path, path: &str) -> Result<PathBuf, SyncError> {
    validate_rel_path(path).map_err(|reason| SyncError::InvalidPath {
        path: path.to_owned(),
        reason,
    })?;
    Ok(dest.join(path))
}

/// Whether `file` exists and has the SHA-256 `expected`.
pub(crate) fn has_hash(file: &Path, expected: &str) -> Result<bool, SyncError> {
    match fs::read(file) {
        Ok(bytes) => Ok(sha256_hex(&bytes) == expected),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(SyncError::Write {
            file: file.to_path_buf(),
            source,
        }),
    }
}

/// Removes `file` if it exists.
pub(crate) fn remove_if_present(file: &Path) -> Result<bool, SyncError> {
    match fs::remove_file(file) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(SyncError::Write {
            file: file.to_path_buf(),
            source,
        }),
    }
}

/// Writes `bytes` to `target` through a temporary file in the same directory.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let err = |source| SyncError::Write {
        file: target.to_path_buf(),
        source,
    };
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".sync-")
        .suffix(".tmp")
        .tempfile_in(parent)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(target).map_err(|e| err(e.error))?;
    Ok(())
}
