//! The local store of an ORCID integration, in SQLite.
//!
//! It keeps:
//!
//! * **tokens**: the OAuth tokens researchers granted, one per `(client_id, orcid)`
//!   ([`StoredToken`]; the secrets are [`SecretString`](secrecy::SecretString)s and never appear in
//!   `Debug`, `Display` or errors);
//! * **put-codes**: for every item this integration pushed, keyed by
//!   `(orcid, section, local_key)`, the put-code ORCID assigned, the hash of the
//!   content last sent and the last result ([`PutCodeEntry`]); the section is
//!   any item section of API v2.1 or v3.0 ([`Section`], stored by name), so an
//!   item is one entry whichever version wrote it, and the sections only v3.0
//!   has (`distinction`, `service`…) are kept too;
//! * **a journal of write intents** ([`Intent`]): recorded before each write and
//!   completed after it, so that a crash between the two is detected
//!   ([`Store::pending_intents`]);
//! * **named locks** ([`Store::lock`]): OS file locks in `<database>.locks/`,
//!   so that one job (a push of one item set to one record) never runs twice
//!   at once on one store; the OS releases them when their process dies.
//!
//! The database lives at [`Store::default_path`] (the platform data directory,
//! e.g. `~/.local/share/orcid-toolkit/store.sqlite3`, or `$ORCID_STORE`) or any
//! path given to [`Store::open`]. Tokens are stored in clear text, like the
//! peers do (NZ-ORCID-Hub, DSpace); on Unix the database and its `-wal`/`-shm`
//! files are made readable by their owner only (mode `0600`). The schema is
//! versioned in `PRAGMA user_version` and migrated on open ([`SCHEMA_VERSION`]);
//! the file uses WAL mode, so several processes can read while one writes.
//!
//! # Example
//!
//! ```
//! use orcid_model::ItemSection;
//! use orcid_store::{Store, StoredToken, Timestamp, TokenResponse, WriteOp};
//! use secrecy::ExposeSecret;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Store::in_memory()?; // or Store::open(path)? / Store::open_default()?
//!
//! // A token response from POST /oauth/token, as received.
//! let response: TokenResponse = serde_json::from_str(
//!     r#"{"access_token":"1cecf036-0000-4000-8000-000000000000","token_type":"bearer",
//!         "refresh_token":"2d3c1e4f-0000-4000-8000-000000000000","expires_in":631138518,
//!         "scope":"/read-limited /activities/update","name":"Sofia Garcia",
//!         "orcid":"0000-0001-2345-6789"}"#,
//! )?;
//! let issued = Timestamp::from_unix(1_795_341_600);
//! let token = StoredToken::from_response("APP-0000000000000001", response, issued)?;
//! assert!(!format!("{token:?}").contains("1cecf036"));
//! store.put_token(&token)?;
//!
//! let back = store.token("APP-0000000000000001", "0000-0001-2345-6789")?.unwrap();
//! assert_eq!(back.access_token.expose_secret(), "1cecf036-0000-4000-8000-000000000000");
//! assert!(back.has_scope("/activities/update"));
//! assert!(!back.is_expired(issued));
//!
//! // A crash-safe push of a work: announce it, call ORCID, record the outcome.
//! let id = store.begin_intent("0000-0001-2345-6789", ItemSection::Work, "doi:10.1000/xyz",
//!                             WriteOp::Create, "sha256:ab12")?;
//! // ... POST /v2.1/0000-0001-2345-6789/work answered 201, Location: .../work/733536
//! store.complete_intent(id, "created", Some(733_536))?;
//! let entry = store.put_code("0000-0001-2345-6789", ItemSection::Work, "doi:10.1000/xyz")?.unwrap();
//! assert_eq!(entry.put_code, 733_536);
//! assert!(store.pending_intents()?.is_empty());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod error;
mod journal;
mod lock;
mod migrations;
mod putcode;
mod section;
mod time;
mod token;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Params, Row};

pub use error::{Error, Result};
pub use journal::{is_error_result, Intent, IntentId, UnknownWriteOp, WriteOp};
pub use lock::{LockHolder, StoreLock, LOCK_DIR_SUFFIX};
pub use migrations::SCHEMA_VERSION;
pub use putcode::PutCodeEntry;
pub use secrecy;
pub use section::Section;
pub use time::Timestamp;
pub use token::{StoredToken, TokenResponse, TokenSummary};

/// Environment variable that overrides the default database path.
pub const STORE_ENV: &str = "ORCID_STORE";

/// File name of the database in the platform data directory.
pub const DEFAULT_FILE_NAME: &str = "store.sqlite3";

/// How long a connection waits for another one's lock before failing with [`Error::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const BUSY_MS: u64 = BUSY_TIMEOUT.as_millis() as u64;

/// A connection to the store. Cheap to open; open one per thread or process.
///
/// `Store` is `Send` but not `Sync`. Every method is atomic on its own;
/// writes take the database's write lock at once (`BEGIN IMMEDIATE`) and wait
/// up to [`BUSY_TIMEOUT`] for it.
pub struct Store {
    conn: Connection,
    location: String,
    path: Option<PathBuf>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to
    /// [`SCHEMA_VERSION`].
    ///
    /// Missing parent directories are created (mode `0700` on Unix). On Unix the
    /// file is created with mode `0600`; an existing file, and its `-wal`/`-shm`
    /// companions, readable or writable by group or others is tightened to its
    /// owner's bits only.
    ///
    /// Errors are specific: [`Error::NotADatabase`] for a file that is not
    /// SQLite, [`Error::Corrupt`], [`Error::ReadOnly`], [`Error::CannotOpen`],
    /// [`Error::SchemaTooNew`] for a database written by a newer version, and so on.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let location = path.display().to_string();
        prepare_file(path, &location)?;
        let store = Store::start(Connection::open(path), location, Some(path.to_path_buf()))?;
        store.tighten_companions()?;
        Ok(store)
    }

    /// Opens the database at [`Store::default_path`].
    pub fn open_default() -> Result<Store> {
        Store::open(Store::default_path()?)
    }

    /// The default database path: `$ORCID_STORE` if set and not empty, otherwise
    /// [`DEFAULT_FILE_NAME`] in the platform data directory of `orcid-toolkit`
    /// (`~/.local/share/orcid-toolkit/` on Linux, per XDG).
    pub fn default_path() -> Result<PathBuf> {
        if let Some(p) = std::env::var_os(STORE_ENV).filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        let dirs = directories::ProjectDirs::from("org", "orcid-toolkit", "orcid-toolkit")
            .ok_or(Error::NoDataDir)?;
        Ok(dirs.data_dir().join(DEFAULT_FILE_NAME))
    }

    /// A private, empty, fully migrated in-memory database (for tests).
    pub fn in_memory() -> Result<Store> {
        Store::start(Connection::open_in_memory(), ":memory:".to_owned(), None)
    }

    /// The database file, `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database (equals [`SCHEMA_VERSION`] after opening).
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    // ---------------------------------------------------------------- internals
    // (the query helpers are used by the table modules: token, putcode, journal)

    /// Wraps a just-opened connection (`path` is `None` in memory), configures
    /// it and migrates the database.
    fn start(
        conn: rusqlite::Result<Connection>,
        location: String,
        path: Option<PathBuf>,
    ) -> Result<Store> {
        let conn = conn.map_err(|e| Error::from_sqlite(&location, e, BUSY_MS))?;
        let store = Store {
            conn,
            location,
            path,
        };
        store.configure(store.path.is_some())?;
        migrations::migrate(&store)?;
        Ok(store)
    }

    /// Classifies an SQLite error of this database (see [`Error::from_sqlite`]).
    fn sql(&self, e: rusqlite::Error) -> Error {
        Error::from_sqlite(&self.location, e, BUSY_MS)
    }

    /// Runs one statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.conn.execute(sql, params).map_err(|e| self.sql(e))
    }

    /// The first row of a query, mapped by `row`, or `None` if there is none.
    /// Errors are left to the caller to classify.
    fn query_opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        row: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Option<T>> {
        self.conn.query_row(sql, params, row).optional()
    }

    /// All rows of a query (a cached statement), each mapped by `row`.
    /// Errors are left to the caller to classify.
    fn query_all<T>(
        &self,
        sql: &str,
        params: impl Params,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, row)?;
        rows.collect()
    }

    /// Connection settings; for a file, also switches to WAL, which is the first
    /// statement that reads the file and so the one that detects a non-database.
    fn configure(&self, file: bool) -> Result<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| self.sql(e))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| self.sql(e))?;
        if file {
            let _mode: String = self
                .conn
                .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
                .map_err(|e| self.sql(e))?;
            self.conn
                .pragma_update(None, "synchronous", "NORMAL")
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction: committed if `f` succeeds,
    /// rolled back if it fails or panics.
    fn write_tx<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        struct Guard<'a>(&'a Connection, bool);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                if !self.1 {
                    let _ = self.0.execute_batch("ROLLBACK");
                }
            }
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.sql(e))?;
        let mut guard = Guard(&self.conn, false);
        let value = f()?;
        self.conn.execute_batch("COMMIT").map_err(|e| self.sql(e))?;
        guard.1 = true;
        Ok(value)
    }

    #[cfg(unix)]
    fn tighten_companions(&self) -> Result<()> {
        if let Some(path) = &self.path {
            for suffix in ["-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                tighten(Path::new(&p))?;
            }
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn tighten_companions(&self) -> Result<()> {
        Ok(())
    }
}

/// Makes `path` ready to hold secrets, as [`Store::open`] does before SQLite
/// opens its file: creates missing parent directories (mode `0700` on Unix)
/// and the file itself, empty, with mode `0600`, or removes the group and
/// other bits of an existing file. SQLite gives its journal and WAL files the
/// mode of the database file, so they stay private too. For other SQLite
/// files that hold tokens, such as the ORCID mock's state file.
pub fn prepare_private_file(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    prepare_file(path, &path.display().to_string())
}

/// Creates missing parent directories and the database file itself with private
/// permissions, or tightens the permissions of an existing file.
fn prepare_file(path: &Path, location: &str) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs(parent).map_err(|source| Error::Io {
            action: "cannot create the directory",
            path: parent.to_path_buf(),
            source,
        })?;
    }
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::CannotOpen {
            location: location.to_owned(),
            message: "it is a directory".to_owned(),
        }),
        Ok(_) => tighten(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            create_private_file(path).map_err(|source| Error::Io {
                action: "cannot create the database file",
                path: path.to_path_buf(),
                source,
            })?;
            // It may have been created by another process meanwhile.
            tighten(path)
        }
        Err(source) => Err(Error::Io {
            action: "cannot access the database file",
            path: path.to_path_buf(),
            source,
        }),
    }
}

#[cfg(unix)]
fn create_dirs(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_dirs(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn create_private_file(_path: &Path) -> io::Result<()> {
    // SQLite creates the file; ACLs of the user's data directory apply.
    Ok(())
}

/// Removes group and other permission bits from `path` if it exists.
#[cfg(unix)]
fn tighten(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let io_err = |source| Error::Io {
        action: "cannot restrict the permissions of",
        path: path.to_path_buf(),
        source,
    };
    match fs::metadata(path) {
        Ok(m) => {
            let mode = m.permissions().mode();
            if mode & 0o077 != 0 {
                fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700))
                    .map_err(io_err)?;
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(e)),
    }
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> Result<()> {
    Ok(())
}
