//! What a push would do, from the local items and the put-code registry
//! alone (no network).

use std::collections::BTreeSet;
use std::time::Duration;

use orcid_model::scalar::PutCode;
use orcid_model::v3_0::section::ItemSection;
use orcid_model::Version;
use orcid_store::{Intent, PutCodeEntry, Store};
use orcid_validate::{validate_any_document, Context, Operation};
use serde::Serialize;

use crate::item::{set_put_code_any, LocalItem};
use crate::Error;

/// Prefix of the registry keys of pushed items (`push:<set>:<key>`), so a
/// push only ever considers — and `--prune` only ever deletes — items that
/// a push of the same set created, never ones added with `orcid item add`.
pub const KEY_PREFIX: &str = "push:";

/// The registry key of `key` in push set `set`.
pub fn registry_key(set: &str, key: &str) -> String {
    format!("{KEY_PREFIX}{set}:{key}")
}

/// The local key of a registry key of push set `set`, if it is one.
pub fn local_key<'a>(set: &str, registry_key: &'a str) -> Option<&'a str> {
    registry_key
        .strip_prefix(KEY_PREFIX)?
        .strip_prefix(set)?
        .strip_prefix(':')
}

/// What to do with one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Not on the record yet (as far as the registry knows): `POST`.
    Create,
    /// On the record with other content: `PUT` on the put-code.
    Update {
        /// The put-code on the record.
        put_code: PutCode,
    },
    /// On the record with this content: nothing to send.
    Unchanged {
        /// The put-code on the record.
        put_code: PutCode,
    },
    /// Pushed earlier, no longer local, and `--prune` asked: `DELETE`.
    Delete {
        /// The put-code on the record.
        put_code: PutCode,
    },
    /// Refused by validation before sending (what ORCID would answer).
    Invalid {
        /// The first problem, with its code.
        reason: String,
    },
}

impl Action {
    /// The short name: `create`, `update`, `unchanged`, `delete`, `invalid`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update { .. } => "update",
            Action::Unchanged { .. } => "unchanged",
            Action::Delete { .. } => "delete",
            Action::Invalid { .. } => "invalid",
        }
    }

    /// Whether it needs a write call.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update { .. } | Action::Delete { .. }
        )
    }
}

/// One step of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// The item's kind.
    #[serde(serialize_with = "crate::item::section_name")]
    pub kind: ItemSection,
    /// Its local key.
    pub key: String,
    /// What to do.
    #[serde(flatten)]
    pub action: Action,
    /// Index of the local item in the pushed set (`None` for a delete).
    #[serde(skip)]
    pub item: Option<usize>,
    /// The file it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<std::path::PathBuf>,
}

/// Counts of a plan's steps by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanCounts {
    /// To create.
    pub create: usize,
    /// To update.
    pub update: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// To delete.
    pub delete: usize,
    /// Refused by validation.
    pub invalid: usize,
}

/// What a push of one researcher's items would do.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The researcher.
    pub orcid: String,
    /// One step per local item, then the deletes; in the order of the items.
    pub steps: Vec<Step>,
    /// Writes of an earlier run whose outcome is unknown (it stopped
    /// between sending and recording the answer): `apply` first looks for
    /// them on the record.
    #[serde(serialize_with = "ser_intents")]
    pub unresolved: Vec<Intent>,
}

fn ser_intents<S: serde::Serializer>(v: &[Intent], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for i in v {
        seq.serialize_element(&serde_json::json!({
            "op": i.op.as_str(),
            "section": i.section.name(),
            "key": i.local_key,
        }))?;
    }
    seq.end()
}

impl Plan {
    /// Steps by action.
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for s in &self.steps {
            match s.action {
                Action::Create => c.create += 1,
                Action::Update { .. } => c.update += 1,
                Action::Unchanged { .. } => c.unchanged += 1,
                Action::Delete { .. } => c.delete += 1,
                Action::Invalid { .. } => c.invalid += 1,
            }
        }
        c
    }

    /// How many steps need a write call.
    pub fn writes(&self) -> usize {
        self.steps.iter().filter(|s| s.action.writes()).count()
    }
}

/// Options of a push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Name of the push set: pushes of different sets to one iD don't see
    /// each other's items (default `default`).
    pub set: String,
    /// Delete the items a push of this set created that are no longer local.
    pub prune: bool,
    /// Check items as ORCID would before planning to send them.
    pub validate: bool,
    /// How long to wait for another push of the same set to the same
    /// record (same client, same store) to end before giving up with
    /// [`Error::Busy`] (default [`DEFAULT_LOCK_WAIT`]; zero: give up at once).
    pub wait: Duration,
    /// The member API version the push speaks (default v2.1): items are
    /// sent, and the record read, in it; items of the other version are
    /// converted first (v2.1 → v3.0 loses nothing; an item that v2.1
    /// cannot hold whole is refused). The registry keys do not depend on
    /// it, so an item pushed with v2.1 is updated, not duplicated, by a
    /// push with v3.0.
    pub api: Version,
}

/// How long a push waits by default for another push of the same set to
/// the same record to end: five minutes.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(300);

impl Default for PushOptions {
    fn default() -> PushOptions {
        PushOptions {
            set: "default".into(),
            prune: false,
            validate: true,
            wait: DEFAULT_LOCK_WAIT,
            api: Version::V2_1,
        }
    }
}

/// The entries of `orcid` in the registry that belong to push set `set`.
pub(crate) fn set_entries(
    store: &Store,
    orcid: &str,
    set: &str,
) -> Result<Vec<PutCodeEntry>, Error> {
    Ok(store
        .entries(orcid)?
        .into_iter()
        .filter(|e| local_key(set, &e.local_key).is_some())
        .collect())
}

/// The pending intents of `orcid` that belong to push set `set`.
pub(crate) fn set_pending(store: &Store, orcid: &str, set: &str) -> Result<Vec<Intent>, Error> {
    Ok(store
        .pending_intents()?
        .into_iter()
        .filter(|i| i.orcid == orcid && local_key(set, &i.local_key).is_some())
        .collect())
}

/// The first problem of `item` as ORCID would see it, for `op`.
fn problem(item: &LocalItem, op: Operation, put_code: Option<PutCode>) -> Option<String> {
    let mut doc = item.doc.clone();
    set_put_code_any(&mut doc, put_code);
    let report = validate_any_document(
        &doc,
        &Context {
            operation: op,
            url_put_code: put_code,
            ..Context::default()
        },
    );
    if report.is_valid() {
        return None;
    }
    report
        .diagnostics
        .iter()
        .find(|d| d.severity == orcid_validate::Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .or_else(|| Some("refused by validation".into()))
}

/// Plans the push of `items` to the record of `orcid`, from the registry.
pub fn plan(
    store: &Store,
    orcid: &str,
    items: &[LocalItem],
    options: &PushOptions,
) -> Result<Plan, Error> {
    let mut steps = Vec::with_capacity(items.len());
    let mut local: BTreeSet<(ItemSection, String)> = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let rkey = registry_key(&options.set, &item.key);
        local.insert((item.kind, rkey.clone()));
        let entry = store.put_code(orcid, item.kind, &rkey)?;
        let mut action = match &entry {
            None => Action::Create,
            Some(e) if e.content_hash == item.hash => Action::Unchanged {
                put_code: PutCode(e.put_code),
            },
            Some(e) => Action::Update {
                put_code: PutCode(e.put_code),
            },
        };
        if options.validate {
            let check = match &action {
                Action::Create => problem(item, Operation::Create, None),
                Action::Update { put_code } => problem(item, Operation::Update, Some(*put_code)),
                _ => None,
            };
            if let Some(reason) = check {
                action = Action::Invalid { reason };
            }
        }
        steps.push(Step {
            kind: item.kind,
            key: item.key.clone(),
            action,
            item: Some(i),
            file: Some(item.file.clone()),
        });
    }
    if options.prune {
        for e in set_entries(store, orcid, &options.set)? {
            let kind = e.section.v3_0();
            if local.contains(&(kind, e.local_key.clone())) {
                continue;
            }
            let Some(key) = local_key(&options.set, &e.local_key) else {
                continue;
            };
            steps.push(Step {
                kind,
                key: key.to_string(),
                action: Action::Delete {
                    put_code: PutCode(e.put_code),
                },
                item: None,
                file: None,
            });
        }
    }
    Ok(Plan {
        orcid: orcid.to_string(),
        steps,
        unresolved: set_pending(store, orcid, &options.set)?,
    })
}
