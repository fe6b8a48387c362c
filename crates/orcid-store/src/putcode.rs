//! The registry of items this integration pushed to ORCID records.

use crate::time::Timestamp;

/// One item this integration pushed, keyed by `(orcid, section, local_key)`.
///
/// `local_key` is the integration's own identifier of the item (e.g. a DOI or a
/// database id); `put_code` is the identifier ORCID assigned to it, needed to
/// update or delete it later; `content_hash` is the hash of the content last sent,
/// to skip pushes that would change nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PutCodeEntry {
    /// The researcher's iD.
    pub orcid: String,
    /// Record section, e.g. `work`, `funding`, `employment`, `keywords`.
    pub section: String,
    /// The integration's key of the item.
    pub local_key: String,
    /// ORCID's put-code (a Java `long` on ORCID's side).
    pub put_code: i64,
    /// Hash of the content last pushed (any stable text, e.g. hex SHA-256).
    pub content_hash: String,
    /// Outcome of the last push: `created`, `updated`, `unchanged`, `error:9021`, ...
    pub last_result: String,
    /// When this entry last changed.
    pub updated_at: Timestamp,
}
