//! Versioned schema migrations, tracked in `PRAGMA user_version`.
//!
//! `MIGRATIONS[i]` brings a database from version `i` to version `i + 1`. A new
//! schema change is a new entry at the end; existing entries never change, since
//! databases in the field were created by them.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// The ordered migrations. Version 0 is an empty database.
const MIGRATIONS: &[&str] = &[
    // 1: tokens and the put-code registry.
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
    // 2: the journal of write intents (crash-safe pushes).
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
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings `conn` to [`SCHEMA_VERSION`], one transaction for all pending steps.
///
/// The transaction is `IMMEDIATE`, so two processes opening a new file at once
/// serialise here and the second one sees the first one's result.
pub(crate) fn migrate(conn: &Connection, location: &str, busy_ms: u64) -> Result<()> {
    let sqlite = |e| Error::from_sqlite(location, e, busy_ms);
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sqlite)?;
    check_not_newer(version, location)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }

    conn.execute_batch("BEGIN IMMEDIATE").map_err(sqlite)?;
    let outcome = apply(conn, location, busy_ms);
    match outcome {
        Ok(()) => conn.execute_batch("COMMIT").map_err(|e| {
            let _ = conn.execute_batch("ROLLBACK");
            sqlite(e)
        }),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn apply(conn: &Connection, location: &str, busy_ms: u64) -> Result<()> {
    // Re-read inside the lock: another process may have migrated meanwhile.
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| Error::from_sqlite(location, e, busy_ms))?;
    check_not_newer(version, location)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let target = i as i64 + 1;
        conn.execute_batch(sql)
            .and_then(|()| conn.pragma_update(None, "user_version", target))
            .map_err(|e| match Error::from_sqlite(location, e, busy_ms) {
                Error::Sqlite { source, .. } => Error::Migration {
                    location: location.to_owned(),
                    version: target,
                    source,
                },
                other => other,
            })?;
    }
    Ok(())
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
