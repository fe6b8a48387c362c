//! The journal of write intents, for crash-safe pushes.
//!
//! Before calling ORCID, a pusher records what it is about to do
//! ([`Store::begin_intent`](crate::Store::begin_intent)); after the response it
//! records the outcome ([`Store::complete_intent`](crate::Store::complete_intent)),
//! which also updates the put-code registry in the same transaction. Intents
//! still pending after a crash ([`Store::pending_intents`](crate::Store::pending_intents))
//! are the writes whose outcome is unknown: for a `create`, the item may exist on
//! ORCID without its put-code being known here, so the record must be read back
//! before retrying (otherwise ORCID answers 409 or a duplicate appears).
//!
//! This module holds the journal's types and the [`Store`] methods on the
//! `journal` table.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::Type;
use rusqlite::{params, Row};

use crate::error::{Error, Result};
use crate::putcode::{section_at, PutCodeEntry};
use crate::section::Section;
use crate::time::Timestamp;
use crate::Store;

/// Identifier of a journal entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IntentId(pub i64);

impl fmt::Display for IntentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The kind of write an intent announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteOp {
    /// `POST`: a new item; ORCID assigns the put-code.
    Create,
    /// `PUT`: an existing item, by put-code.
    Update,
    /// `DELETE`: an existing item, by put-code.
    Delete,
}

impl WriteOp {
    /// The name stored in the journal: `create`, `update` or `delete`.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteOp::Create => "create",
            WriteOp::Update => "update",
            WriteOp::Delete => "delete",
        }
    }
}

impl fmt::Display for WriteOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`WriteOp::from_str`]: the text is not `create`, `update` or `delete`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown write operation (expected create, update or delete)")]
pub struct UnknownWriteOp;

impl FromStr for WriteOp {
    type Err = UnknownWriteOp;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "create" => Ok(WriteOp::Create),
            "update" => Ok(WriteOp::Update),
            "delete" => Ok(WriteOp::Delete),
            _ => Err(UnknownWriteOp),
        }
    }
}

/// A journal entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    /// Its id.
    pub id: IntentId,
    /// The researcher's iD.
    pub orcid: String,
    /// Record section, of either API version.
    pub section: Section,
    /// The integration's key of the item.
    pub local_key: String,
    /// What was about to be done.
    pub op: WriteOp,
    /// Hash of the content being sent.
    pub content_hash: String,
    /// When the intent was recorded.
    pub started_at: Timestamp,
    /// When its outcome was recorded; `None` while pending.
    pub completed_at: Option<Timestamp>,
    /// The outcome, e.g. `created`, `error:9021`; `None` while pending.
    pub result: Option<String>,
    /// The put-code reported with the outcome.
    pub put_code: Option<i64>,
}

impl Intent {
    /// Whether the outcome is still unknown.
    pub fn is_pending(&self) -> bool {
        self.completed_at.is_none()
    }
}

/// Whether a result string reports a failure (`error` or `error:<code>`).
pub fn is_error_result(result: &str) -> bool {
    result == "error" || result.starts_with("error:")
}

// ---------------------------------------------------------------- the `journal` table

/// The columns [`intent_row`] maps.
const INTENT_SELECT: &str = "SELECT id, orcid, section, local_key, op, content_hash, started_at,
                                   completed_at, result, put_code FROM journal";

/// Maps a row of [`INTENT_SELECT`]; an unknown `op` fails as a conversion
/// failure, which [`Store::journal_err`] reports as [`Error::InvalidData`].
fn intent_row(r: &Row<'_>) -> rusqlite::Result<Intent> {
    let op: String = r.get(4)?;
    let op = op
        .parse::<WriteOp>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, Type::Text, Box::new(e)))?;
    Ok(Intent {
        id: IntentId(r.get(0)?),
        orcid: r.get(1)?,
        section: section_at(r, 2)?,
        local_key: r.get(3)?,
        op,
        content_hash: r.get(5)?,
        started_at: Timestamp::from_unix(r.get(6)?),
        completed_at: r.get::<_, Option<i64>>(7)?.map(Timestamp::from_unix),
        result: r.get(8)?,
        put_code: r.get(9)?,
    })
}

impl Store {
    /// Records that `op` on `(orcid, section, local_key)` with content `content_hash`
    /// is about to be sent to ORCID. Call before the HTTP request.
    pub fn begin_intent(
        &self,
        orcid: &str,
        section: impl Into<Section>,
        local_key: &str,
        op: WriteOp,
        content_hash: &str,
    ) -> Result<IntentId> {
        let section = section.into();
        self.execute(
            "INSERT INTO journal (orcid, section, local_key, op, content_hash, started_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                orcid,
                section.name(),
                local_key,
                op.as_str(),
                content_hash,
                Timestamp::now().as_unix()
            ],
        )?;
        Ok(IntentId(self.conn.last_insert_rowid()))
    }

    /// Records the outcome of intent `id` and, in the same transaction, applies it
    /// to the put-code registry:
    ///
    /// * success (a `result` that is not `error`/`error:…`, see [`is_error_result`]):
    ///   for `create`/`update` the entry is inserted or updated with `put_code`
    ///   (required, else [`Error::MissingPutCode`]), the intent's content hash and
    ///   `result`; for `delete` the entry is removed;
    /// * failure: an existing entry keeps its put-code and hash, and only its
    ///   `last_result` becomes `result`.
    ///
    /// Fails with [`Error::UnknownIntent`] or [`Error::IntentAlreadyCompleted`];
    /// then nothing changes.
    pub fn complete_intent(&self, id: IntentId, result: &str, put_code: Option<i64>) -> Result<()> {
        self.write_tx(|| {
            let intent = self.intent(id)?.ok_or(Error::UnknownIntent(id))?;
            if !intent.is_pending() {
                return Err(Error::IntentAlreadyCompleted(id));
            }
            let success = !is_error_result(result);
            if success && intent.op != WriteOp::Delete && put_code.is_none() {
                return Err(Error::MissingPutCode(id));
            }
            let now = Timestamp::now();
            self.execute(
                "UPDATE journal SET completed_at = ?2, result = ?3, put_code = ?4 WHERE id = ?1",
                params![id.0, now.as_unix(), result, put_code],
            )?;
            match (success, put_code) {
                (true, _) if intent.op == WriteOp::Delete => {
                    self.delete_put_code(&intent.orcid, intent.section, &intent.local_key)?;
                }
                (true, Some(put_code)) => self.upsert_put_code(&PutCodeEntry {
                    orcid: intent.orcid,
                    section: intent.section,
                    local_key: intent.local_key,
                    put_code,
                    content_hash: intent.content_hash,
                    last_result: result.to_owned(),
                    updated_at: now,
                })?,
                _ => self.set_last_result(
                    &intent.orcid,
                    intent.section,
                    &intent.local_key,
                    result,
                    now,
                )?,
            }
            Ok(())
        })
    }

    /// Intents whose outcome was never recorded, oldest first: after a crash,
    /// the writes that may or may not have reached ORCID.
    pub fn pending_intents(&self) -> Result<Vec<Intent>> {
        self.query_all(
            &format!("{INTENT_SELECT} WHERE completed_at IS NULL ORDER BY id"),
            [],
            intent_row,
        )
        .map_err(|e| self.journal_err(e))
    }

    /// The journal entry `id`, pending or completed.
    pub fn intent(&self, id: IntentId) -> Result<Option<Intent>> {
        self.query_opt(
            &format!("{INTENT_SELECT} WHERE id = ?1"),
            params![id.0],
            intent_row,
        )
        .map_err(|e| self.journal_err(e))
    }

    /// Deletes completed journal entries completed before `before`; returns how many.
    /// Pending entries are never deleted.
    pub fn prune_journal(&self, before: Timestamp) -> Result<usize> {
        self.execute(
            "DELETE FROM journal WHERE completed_at IS NOT NULL AND completed_at < ?1",
            params![before.as_unix()],
        )
    }

    /// An unknown `op` or section becomes [`Error::InvalidData`]; anything else is classified as usual.
    fn journal_err(&self, e: rusqlite::Error) -> Error {
        match e {
            rusqlite::Error::FromSqlConversionFailure(2, ..) => Error::InvalidData {
                table: "journal",
                column: "section",
            },
            rusqlite::Error::FromSqlConversionFailure(..) => Error::InvalidData {
                table: "journal",
                column: "op",
            },
            e => self.sql(e),
        }
    }
}
