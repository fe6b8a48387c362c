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

use std::fmt;
use std::str::FromStr;

use crate::time::Timestamp;

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
    /// Record section.
    pub section: String,
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
