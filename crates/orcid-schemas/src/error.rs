//! Typed errors of the crate.

use std::io;
use std::path::PathBuf;

/// A boxed error from the HTTP client (kept opaque so the client is not part of the API).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors reading, parsing, validating or writing a lock file.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The lock file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// File or directory that failed.
        path: PathBuf,
        /// Underlying I/O error.
        source: io::Error,
    },
    /// The lock file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// File that failed.
        path: PathBuf,
        /// Underlying I/O error.
        source: io::Error,
    },
    /// The text is not valid TOML for a lock.
    #[error("invalid lock TOML: {0}")]
    Toml(String),
    /// The lock parsed but a field is invalid.
    #[error("invalid lock: {0}")]
    Invalid(String),
    /// An error in a named lock file.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The lock file.
        path: PathBuf,
        /// What is wrong with it.
        source: Box<LockError>,
    },
}

/// Errors while syncing (fetching, verifying and writing) pinned files.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The local mirror directory does not exist.
    #[error("local mirror {} does not exist or is not a directory", dir.display())]
    MirrorMissing {
        /// The mirror directory.
        dir: PathBuf,
    },
    /// A locked file is absent from the local mirror.
    #[error("{path}: not found in local mirror {} (looked for {})", mirror.display(), file.display())]
    MissingInMirror {
        /// Locked path.
        path: String,
        /// The mirror directory.
        mirror: PathBuf,
        /// The file that was looked for.
        file: PathBuf,
    },
    /// A file of the mirror could not be read.
    #[error("{path}: cannot read {}: {source}", file.display())]
    ReadSource {
        /// Locked path.
        path: String,
        /// The file that failed.
        file: PathBuf,
        /// Underlying I/O error.
        source: io::Error,
    },
    /// The server answered with a non-success HTTP status.
    #[error("{path}: HTTP {status} from {url}{}", if *status == 404 { " (not found: wrong commit, path or base URL?)" } else { "" })]
    HttpStatus {
        /// Locked path (or what was requested).
        path: String,
        /// Requested URL.
        url: String,
        /// HTTP status code.
        status: u16,
    },
    /// The HTTP request failed (connection, TLS, timeout, body too large…).
    #[error("{path}: request to {url} failed: {source}")]
    Http {
        /// Locked path (or what was requested).
        path: String,
        /// Requested URL.
        url: String,
        /// Underlying client error.
        source: BoxError,
    },
    /// The fetched bytes do not have the locked SHA-256.
    #[error("{path}: sha256 mismatch (from {origin}): expected {expected}, got {actual}")]
    HashMismatch {
        /// Locked path.
        path: String,
        /// Where the bytes came from.
        origin: String,
        /// SHA-256 recorded in the lock.
        expected: String,
        /// SHA-256 of the fetched bytes.
        actual: String,
    },
    /// A file in the destination could not be read, written or removed.
    #[error("cannot write {}: {source}", file.display())]
    Write {
        /// The destination file.
        file: PathBuf,
        /// Underlying I/O error.
        source: io::Error,
    },
    /// The lock contains a path that cannot be synced safely.
    #[error("invalid path in lock {path:?}: {reason}")]
    InvalidPath {
        /// The offending path.
        path: String,
        /// Why it is rejected.
        reason: String,
    },
}

/// Errors while moving the pin to a new commit.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The new commit or the resulting lock is invalid.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// Fetching or writing a file failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Listing the files of the new commit failed.
    #[error("cannot list the files of {what}: {reason}")]
    Listing {
        /// Mirror directory or API URL.
        what: String,
        /// What went wrong.
        reason: String,
    },
    /// The new commit has no covered file at all (wrong commit or directory?).
    #[error("no covered schema file found in {what}")]
    NoFiles {
        /// Mirror directory or API URL.
        what: String,
    },
}
