//! Errors of the store. None of them ever carries a token: messages name files,
//! tables, schema versions and intent ids, never the values that were stored.

use std::io;
use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::journal::IntentId;

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong when opening or using a [`Store`](crate::Store).
///
/// The messages are meant for end users; they name the database file but never
/// contain a token or other stored value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No platform data directory could be determined and `ORCID_STORE` is not set.
    #[error(
        "cannot determine a data directory for the store on this platform; set {} to the database path",
        crate::STORE_ENV
    )]
    NoDataDir,

    /// A file-system operation on the database or its directory failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. "cannot create directory".
        action: &'static str,
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: io::Error,
    },

    /// The file exists but is not an SQLite database (or is encrypted or badly damaged).
    #[error(
        "{} is not an orcid-store database (not SQLite, or damaged beyond recognition)",
        location
    )]
    NotADatabase {
        /// The database file.
        location: String,
    },

    /// SQLite reports the database file as malformed.
    #[error("the database {location} is corrupt: {message}")]
    Corrupt {
        /// The database file.
        location: String,
        /// SQLite's description.
        message: String,
    },

    /// The database (or its directory, needed for the WAL files) cannot be written.
    #[error("the database {location} is read-only or its directory is not writable: {message}")]
    ReadOnly {
        /// The database file.
        location: String,
        /// SQLite's description.
        message: String,
    },

    /// The database file cannot be opened (missing permission, a directory, ...).
    #[error("cannot open the database {location}: {message}")]
    CannotOpen {
        /// The database file.
        location: String,
        /// SQLite's or the OS's description.
        message: String,
    },

    /// Another connection held a lock for longer than the busy timeout.
    #[error("the database {location} is locked by another process (waited {waited_ms} ms)")]
    Busy {
        /// The database file.
        location: String,
        /// How long this connection waited for the lock.
        waited_ms: u64,
    },

    /// The disk is full.
    #[error("no space left for the database {location}")]
    DiskFull {
        /// The database file.
        location: String,
    },

    /// The database was written by a newer version of this crate.
    #[error(
        "the database {location} has schema version {found}, newer than the {supported} this program supports; use a newer orcid-toolkit"
    )]
    SchemaTooNew {
        /// The database file.
        location: String,
        /// `PRAGMA user_version` of the file.
        found: i64,
        /// The latest version this build knows ([`SCHEMA_VERSION`](crate::SCHEMA_VERSION)).
        supported: i64,
    },

    /// Applying a schema migration failed; the database was left at its previous version.
    #[error("migrating the database {location} to schema version {version} failed: {source}")]
    Migration {
        /// The database file.
        location: String,
        /// The version the failed migration leads to.
        version: i64,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },

    /// A row holds a value this crate cannot interpret (e.g. an unknown operation name).
    #[error("unexpected value in the database, table {table}, column {column}")]
    InvalidData {
        /// Table name.
        table: &'static str,
        /// Column name.
        column: &'static str,
    },

    /// An argument is not acceptable (e.g. a scope containing whitespace).
    #[error("invalid {what}: {reason}")]
    InvalidArgument {
        /// Which argument.
        what: &'static str,
        /// Why it is refused.
        reason: &'static str,
    },

    /// [`Store::complete_intent`](crate::Store::complete_intent) was given an unknown id.
    #[error("no write intent with id {0}")]
    UnknownIntent(IntentId),

    /// [`Store::complete_intent`](crate::Store::complete_intent) was called twice for one intent.
    #[error("write intent {0} is already completed")]
    IntentAlreadyCompleted(IntentId),

    /// A successful create or update was completed without a put-code.
    #[error("write intent {0} succeeded but no put-code was given")]
    MissingPutCode(IntentId),

    /// A lock ([`Store::lock`](crate::Store::lock)) was still held by another
    /// process or connection after waiting as long as the caller allowed.
    #[error(
        "{name} is held by {}; waited {} s for it",
        holder.as_ref().map_or_else(|| "another process".to_string(), |h| h.to_string()),
        waited.as_secs()
    )]
    Locked {
        /// The lock's name.
        name: String,
        /// Its holder, as noted in the lock file, if known.
        holder: Option<crate::lock::LockHolder>,
        /// How long this caller waited.
        waited: std::time::Duration,
    },

    /// Any other SQLite error.
    #[error("database error on {location}: {source}")]
    Sqlite {
        /// The database file.
        location: String,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
}

impl Error {
    /// Classifies an SQLite error into the variants above.
    pub(crate) fn from_sqlite(location: &str, e: rusqlite::Error, busy_ms: u64) -> Error {
        let location = location.to_owned();
        if let rusqlite::Error::SqliteFailure(ref f, ref msg) = e {
            let message = msg.clone().unwrap_or_else(|| f.to_string());
            return match f.code {
                ErrorCode::NotADatabase => Error::NotADatabase { location },
                ErrorCode::DatabaseCorrupt => Error::Corrupt { location, message },
                ErrorCode::ReadOnly => Error::ReadOnly { location, message },
                ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                    Error::CannotOpen { location, message }
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::Busy {
                    location,
                    waited_ms: busy_ms,
                },
                ErrorCode::DiskFull => Error::DiskFull { location },
                _ => Error::Sqlite {
                    location,
                    source: e,
                },
            };
        }
        Error::Sqlite {
            location,
            source: e,
        }
    }
}
