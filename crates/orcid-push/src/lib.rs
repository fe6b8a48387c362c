//! Keeps a set of local items in step with researchers' ORCID records.
//!
//! An integration (a university's research information system, a
//! publisher) holds works, fundings, affiliations or person items for the
//! researchers who connected their iD. `orcid-push` makes each record carry
//! exactly those items, without duplicates and without stale put-codes:
//!
//! 1. [`load`] reads the items (XML or JSON files, folders read
//!    recursively), each with a local key: its path without the extension,
//!    or what identifies it on the record ([`KeyMode`]).
//! 2. [`plan`] compares them with the store's put-code registry, without
//!    calling ORCID: create, update (the content hash changed), unchanged,
//!    and with `prune`, delete (pushed earlier, no longer local).
//! 3. [`Pusher::push`] carries it out, holding the store's lock of the set,
//!    researcher and client ([`lock_set`]): a second push of them on the
//!    same store waits for the first ([`PushOptions::wait`]) or stops with
//!    [`Error::Busy`]. Each write is journaled in the store
//!    before it is sent and settled when ORCID answers, so a run killed at
//!    any point is finished by the next one: a create whose answer was lost
//!    is looked for among this client's items on the record, by the hash of
//!    what was sent ([`sent_hashes`]) whatever the local file became since,
//!    before anything is sent again. Works are created in bulk. ORCID's answers are handled
//!    as the best integrations do:
//!    * 409 (9021, 9030: this client already added it) → the existing item
//!      is adopted (its put-code from ORCID's message, else found by content
//!      or identifier among this client's items) and updated;
//!    * 404 on an update (the researcher deleted it) → created again, and
//!      reported as `recreated`;
//!    * 401 / `invalid_token` → the push of that researcher stops, and the
//!      report says re-authorisation is needed;
//!    * items of other sources are never touched: only put-codes this
//!      client's pushes recorded are updated or deleted.
//!
//! A second run after a successful one sends no write at all.
//!
//! Registry keys of pushes are `push:<set>:<key>` ([`registry_key`]), so a
//! push never sees nor prunes what `orcid item add` registered, nor the
//! items of another push set.
//!
//! A push speaks one member API version, [`PushOptions::api`] (default
//! v2.1): [`load_as`] reads the items in it (under v3.0 a v2.1 file is
//! upgraded, nothing lost), and the record is read and written in it. The
//! registry keys do not depend on the version, so the items of a v2.1 push
//! are updated (or found unchanged), never created twice, by a v3.0 push.
//! Works are created in bulk in either version (a v3.0 `bulk:bulk` under
//! v3.0), and the sections only v3.0 has
//! (distinction, invited-position, membership, qualification, service,
//! research-resource) are pushed like the others (the store's registry
//! keeps every v3.0 section); under v2.1 [`load_as`] cannot read them.
//!
//! ```no_run
//! use orcid_client::{ClientConfig, Environment, OrcidClient};
//! use orcid_model::scalar::OrcidId;
//! use orcid_push::{load, KeyMode, PushOptions, Pusher, Quiet};
//! use orcid_store::Store;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = OrcidClient::new(ClientConfig::new(
//!     "APP-XXXXXXXXXXXXXXXX",
//!     "client-secret",
//!     "https://example.org/orcid/callback",
//!     Environment::Sandbox,
//! ))?;
//! let store = Store::open_default()?;
//! let orcid = OrcidId("0000-0002-1825-0097".into());
//! let token = store.token("APP-XXXXXXXXXXXXXXXX", &orcid.0)?.expect("connected");
//! let items = load(&["works/".into()], KeyMode::File).map_err(|e| format!("{e:?}"))?;
//!
//! let options = PushOptions { prune: true, ..PushOptions::default() };
//! let pusher = Pusher::new(client.member(&token.access_token), &store, "APP-XXXXXXXXXXXXXXXX", options);
//! let report = pusher.push(&orcid, &items, &mut Quiet)?;
//! println!("{:?}, {} write calls", report.counts(), report.writes);
//! # Ok(())
//! # }
//! ```

mod apply;
mod item;
mod manifest;
mod plan;

pub use apply::{
    failure_result, lock_set, Checkpoint, ItemOutcome, Observer, Outcome, OutcomeCounts,
    PushReport, Pusher, Quiet, Recovered,
};
pub use item::{
    content_hash, content_hash_any, derived_key, derived_key_any, derived_key_v3, load, load_as,
    parse_item, parse_item_as, same_content, same_content_any, sent_hashes, sent_hashes_any,
    set_put_code, set_put_code_any, KeyMode, LoadError, LocalItem,
};
pub use manifest::{parse_manifest, read_manifest, ManifestEntry, ManifestError};
pub use plan::{
    local_key, plan, registry_key, Action, Plan, PlanCounts, PushOptions, Step, DEFAULT_LOCK_WAIT,
    KEY_PREFIX,
};

/// Why a push could not be planned or carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed (put-code registry or journal).
    #[error("store: {0}")]
    Store(#[from] orcid_store::Error),
    /// Another push of the same set to the same record, with the same
    /// client and store, was still running after waiting
    /// [`PushOptions::wait`]; nothing was sent.
    #[error(
        "another push of set `{set}` to {orcid} is running ({}); waited {} s for it to end, \
         and sent nothing",
        holder.as_ref().map_or_else(|| "its process is unknown".to_string(), |h| h.to_string()),
        waited.as_secs()
    )]
    Busy {
        /// The push set.
        set: String,
        /// The researcher.
        orcid: String,
        /// The other push's process, if known.
        holder: Option<orcid_store::LockHolder>,
        /// How long this push waited.
        waited: std::time::Duration,
    },
    /// Reading the record failed (after the client's retries); nothing more
    /// was written, since writing without knowing could duplicate items.
    #[error(
        "reading the {section} items of {orcid} (to {purpose}) failed: {source}; nothing more \
         was sent, since writing without knowing what is on the record could duplicate items"
    )]
    Read {
        /// The researcher.
        orcid: String,
        /// The section being read.
        section: orcid_model::v3_0::section::ItemSection,
        /// Why it was read.
        purpose: ReadPurpose,
        /// What failed.
        #[source]
        source: orcid_client::Error,
    },
    /// A local item is not in the API version of the push and cannot be
    /// converted to it whole; nothing was sent.
    #[error("{}: {message}", file.display())]
    Convert {
        /// The item's file.
        file: std::path::PathBuf,
        /// Why.
        message: String,
    },
}

/// Why a push reads the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPurpose {
    /// To resolve the writes of an earlier push that stopped half-way.
    Recover,
    /// To look for this client's copy of an item before creating it (or
    /// after ORCID said it already has one).
    FindCopy,
}

impl std::fmt::Display for ReadPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReadPurpose::Recover => "resolve the writes of an interrupted earlier push",
            ReadPurpose::FindCopy => "look for this client's copy of an item before writing it",
        })
    }
}
