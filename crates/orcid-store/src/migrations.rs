//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! `MIGRATIONS[i]` brings a database from version `i` to version `i + 1`. A new
//! schema change is a new entry at the end; existing entries never change, since
//! databases in the field were created by them.
//!
//! Adding a migration is that one entry: [`SCHEMA_VERSION`] is the length of the
//! list, and [`migrate`] runs every entry past the file's version, in order, in
//! one `BEGIN IMMEDIATE` transaction, setting `user_version` after each. An entry
//! is a batch of SQL statements (schema or data, e.g. an `UPDATE` that rewrites
//! stored values); it must not open or close a transaction itself, nor use
//! statements SQLite refuses inside one (`VACUUM`, `PRAGMA journal_mode`). The
//! test that pins the version number (`tests/migrations.rs`) is then bumped too.

use orcid_model::ItemSection;

use crate::error::{Error, Result};
use crate::Store;

/// One migration: a batch of SQL, or SQL made from the model (for data
/// whose values the schema defines).
enum Migration {
    Sql(&'static str),
    Generated(fn() -> String),
}

/// The ordered migrations. Version 0 is an empty database.
const MIGRATIONS: &[Migration] = &[
    // 1: tokens and the put-code registry.
    Migration::Sql(
        "CREATE TABLE tokens (
        client_id     TEXT    NOT NULL,
        orcid         TEXT    NOT NULL,
        name          TEXT,
        access_token  TEXT    NOT NULL,
        refresh_token TEXT,
        scopes        TEXT    NOT NULL,
        issued_at     INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        PRIMARY KEY (client_id, orcid)
    ) WITHOUT ROWID;
    CREATE TABLE put_codes (
        orcid         TEXT    NOT NULL,
        section       TEXT    NOT NULL,
        local_key     TEXT    NOT NULL,
        put_code      INTEGER NOT NULL,
        content_hash  TEXT    NOT NULL,
        last_result   TEXT    NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (orcid, section, local_key)
    ) WITHOUT ROWID;",
    ),
    // 2: the journal of write intents (crash-safe pushes).
    Migration::Sql(
        "CREATE TABLE journal (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        orcid         TEXT    NOT NULL,
        section       TEXT    NOT NULL,
        local_key     TEXT    NOT NULL,
        op            TEXT    NOT NULL CHECK (op IN ('create', 'update', 'delete')),
        content_hash  TEXT    NOT NULL,
        started_at    INTEGER NOT NULL,
        completed_at  INTEGER,
        result        TEXT,
        put_code      INTEGER
    );
    CREATE INDEX journal_pending ON journal (id) WHERE completed_at IS NULL;",
    ),
    // 3: one spelling of each section, its name (`researcher-url`), where
    // versions before it stored the API path segment (`researcher-urls`).
    Migration::Generated(section_names),
];

/// SQL that renames every section stored under its item path segment to its
/// name ([`ItemSection::name`]). An entry already under the name wins over
/// one under the old spelling for the same key.
fn section_names() -> String {
    let mut sql = String::new();
    for s in ItemSection::ALL {
        let (old, new) = (s.item_path(), s.name());
        if old == new {
            continue;
        }
        sql.push_str(&format!(
            "UPDATE OR IGNORE put_codes SET section = '{new}' WHERE section = '{old}';
             DELETE FROM put_codes WHERE section = '{old}';
             UPDATE journal SET section = '{new}' WHERE section = '{old}';\n"
        ));
    }
    sql
}

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings `store` to [`SCHEMA_VERSION`], one transaction for all pending steps.
///
/// The transaction is `IMMEDIATE`, so two processes opening a new file at once
/// serialise here and the second one sees the first one's result.
pub(crate) fn migrate(store: &Store) -> Result<()> {
    if current_version(store)? == SCHEMA_VERSION {
        return Ok(());
    }
    store.write_tx(|| apply(store))
}

fn apply(store: &Store) -> Result<()> {
    // Re-read inside the lock: another process may have migrated meanwhile.
    let version = current_version(store)?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let target = i as i64 + 1;
        let sql = match migration {
            Migration::Sql(sql) => (*sql).to_owned(),
            Migration::Generated(make) => make(),
        };
        store
            .conn
            .execute_batch(&sql)
            .and_then(|()| store.conn.pragma_update(None, "user_version", target))
            .map_err(|e| match store.sql(e) {
                Error::Sqlite { source, .. } => Error::Migration {
                    location: store.location.clone(),
                    version: target,
                    source,
                },
                other => other,
            })?;
    }
    Ok(())
}

/// The database's version, refused if this build cannot handle it.
fn current_version(store: &Store) -> Result<i64> {
    let version = store.schema_version()?;
    check_not_newer(version, &store.location)?;
    Ok(version)
}

fn check_not_newer(version: i64, location: &str) -> Result<()> {
    if version < 0 {
        return Err(Error::InvalidData {
            table: "(database header)",
            column: "user_version",
        });
    }
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            location: location.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}
