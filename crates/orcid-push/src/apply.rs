//! Carrying out a plan against ORCID: journaled writes, bulk creates,
//! recovery from 409, 404, 401 and from runs that stopped half-way.

use std::collections::{BTreeSet, HashMap};

use orcid_client::{
    ApiError, ApiSection, BulkAddOutcome, BulkWork, Deleted, Error as ClientError, ErrorKind,
    MemberApi,
};
use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::v3_0::section::ItemSection;
use orcid_model::{v2_1, v3_0, AnyDocument, Version};
use orcid_store::{IntentId, LockHolder, Store, StoreLock, WriteOp};
use serde::Serialize;
use serde_json::Value;

use crate::item::{
    content_hash_any, derived_key_v3, same_content_any, sent_hashes_any, set_put_code_any,
    LocalItem,
};
use crate::plan::{local_key, plan, registry_key, set_pending, Action, Plan, PushOptions};
use crate::{Error, ReadPurpose};

/// A point between the steps of a write, reported to the [`Observer`]
/// (tests stop the process there to check that a rerun converges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// The intent is journaled; the request is about to be sent.
    BeforeWrite,
    /// ORCID answered; the answer is not recorded yet.
    AfterWrite,
}

/// Follows a push as it goes (progress bars, logs, tests).
pub trait Observer {
    /// The plan is made (after recovering an earlier run).
    fn planned(&mut self, _plan: &Plan) {}
    /// One item is done.
    fn finished(&mut self, _outcome: &ItemOutcome) {}
    /// A write reached `point`.
    fn checkpoint(&mut self, _point: Checkpoint) {}
    /// Another push of the same set to the same record is running (by
    /// `holder`, if known): this one waits for it, up to
    /// [`PushOptions::wait`](crate::PushOptions::wait).
    fn waiting(&mut self, _holder: Option<&LockHolder>) {}
}

/// An [`Observer`] that does nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Observer for Quiet {}

/// What happened to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// Created (`POST`).
    Created,
    /// Updated (`PUT`).
    Updated,
    /// Already on the record with this content: nothing sent.
    Unchanged,
    /// Deleted (`--prune`).
    Deleted,
    /// Was already deleted on the record (ORCID answered 404); forgotten.
    AlreadyGone,
    /// ORCID said this client had already added it (409, 9021/9030): the
    /// existing item was taken over and updated.
    Adopted,
    /// The researcher had deleted it on ORCID (404 on update): created again.
    Recreated {
        /// The put-code it had before.
        previous: PutCode,
    },
    /// Refused before sending: the payload breaks a rule of ORCID's.
    Invalid {
        /// The first problem.
        reason: String,
    },
    /// ORCID refused it, or the call failed.
    Failed {
        /// ORCID's error code, OAuth error or HTTP status (`9021`,
        /// `invalid_token`, `http-500`, `transport`).
        code: String,
        /// What went wrong and what to do.
        message: String,
        /// The write may have happened (a connection lost after sending):
        /// the next run checks the record before sending again.
        unknown: bool,
    },
    /// Not tried: the push of this researcher stopped earlier.
    Skipped {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// The short name (`created`, `failed`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deleted => "deleted",
            Outcome::AlreadyGone => "already-gone",
            Outcome::Adopted => "adopted",
            Outcome::Recreated { .. } => "recreated",
            Outcome::Invalid { .. } => "invalid",
            Outcome::Failed { .. } => "failed",
            Outcome::Skipped { .. } => "skipped",
        }
    }

    /// Whether the item is now as wanted on the record.
    pub fn is_success(&self) -> bool {
        !matches!(
            self,
            Outcome::Invalid { .. } | Outcome::Failed { .. } | Outcome::Skipped { .. }
        )
    }
}

/// The outcome of one item of a push.
#[derive(Debug, Clone, Serialize)]
pub struct ItemOutcome {
    /// Its kind.
    #[serde(serialize_with = "crate::item::section_name")]
    pub kind: ItemSection,
    /// Its local key.
    pub key: String,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Its put-code on the record now, if it is there.
    pub put_code: Option<PutCode>,
    /// The file it comes from (none for a delete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<std::path::PathBuf>,
}

/// How a write of an earlier, interrupted run was resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Recovered {
    /// `create`, `update` or `delete`.
    pub op: &'static str,
    /// Kind (registry section).
    #[serde(serialize_with = "crate::item::section_name")]
    pub section: ItemSection,
    /// Local key.
    pub key: String,
    /// For a create: the put-code it was found under on the record, or
    /// `None` when it never arrived (it is created again).
    pub found: Option<PutCode>,
}

/// Counts of a push's outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    /// Created.
    pub created: usize,
    /// Updated.
    pub updated: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Deleted (or already gone).
    pub deleted: usize,
    /// Adopted after a 409.
    pub adopted: usize,
    /// Created again after a 404.
    pub recreated: usize,
    /// Invalid, failed or skipped.
    pub failed: usize,
}

/// What a push of one researcher's items did.
#[derive(Debug, Clone, Serialize)]
pub struct PushReport {
    /// The researcher.
    pub orcid: String,
    /// One outcome per step of the plan, in its order.
    pub items: Vec<ItemOutcome>,
    /// Writes of an earlier run that were resolved first.
    pub recovered: Vec<Recovered>,
    /// Why the push of this researcher stopped early (e.g. the token was
    /// revoked: re-authorisation is needed).
    pub stopped: Option<String>,
    /// Write calls sent (POST, PUT, DELETE).
    pub writes: usize,
}

impl PushReport {
    /// Outcomes by kind.
    pub fn counts(&self) -> OutcomeCounts {
        let mut c = OutcomeCounts::default();
        for i in &self.items {
            match i.outcome {
                Outcome::Created => c.created += 1,
                Outcome::Updated => c.updated += 1,
                Outcome::Unchanged => c.unchanged += 1,
                Outcome::Deleted | Outcome::AlreadyGone => c.deleted += 1,
                Outcome::Adopted => c.adopted += 1,
                Outcome::Recreated { .. } => c.recreated += 1,
                Outcome::Invalid { .. } | Outcome::Failed { .. } | Outcome::Skipped { .. } => {
                    c.failed += 1
                }
            }
        }
        c
    }

    /// Whether every item is as wanted on the record.
    pub fn is_success(&self) -> bool {
        self.stopped.is_none() && self.items.iter().all(|i| i.outcome.is_success())
    }
}

/// The journal result of a failed call: `error:<ORCID code>`,
/// `error:<OAuth error>`, `error:http-<status>`, `error:invalid` or `error`.
pub fn failure_result(e: &ClientError) -> String {
    match e.api() {
        Some(api) => api_result(api),
        None if e.report().is_some() => "error:invalid".into(),
        None if matches!(e, ClientError::Transport(_)) => "error:transport".into(),
        None => "error".into(),
    }
}

fn api_result(api: &ApiError) -> String {
    match (api.error_code(), api.oauth_error()) {
        (Some(c), _) => format!("error:{c}"),
        (None, Some(o)) => format!("error:{o}"),
        (None, None) => format!("error:http-{}", api.status),
    }
}

/// Whether a failed POST may still have created the item.
fn outcome_unknown(e: &ClientError) -> bool {
    matches!(e, ClientError::Transport(_))
        || matches!(
            e.kind(),
            ErrorKind::Server | ErrorKind::Unexpected | ErrorKind::Retryable
        )
}

/// The put-codes of the items in a section document whose source is
/// client `client_id`.
fn own_put_codes(section: &AnyDocument, client_id: &str) -> Vec<PutCode> {
    fn walk(v: &Value, client_id: &str, out: &mut Vec<PutCode>) {
        match v {
            Value::Object(m) => {
                let source = m
                    .get("source")
                    .and_then(|s| s.get("source-client-id"))
                    .and_then(|c| c.get("path"))
                    .and_then(Value::as_str);
                match (m.get("put-code").and_then(Value::as_i64), source) {
                    (Some(pc), Some(src)) if src == client_id => out.push(PutCode(pc)),
                    _ => m.values().for_each(|v| walk(v, client_id, out)),
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, client_id, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(v) = section
        .to_json(false)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    {
        walk(&v, client_id, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// Why a push of one researcher cannot go on.
enum Stop {
    /// The token is no good: re-authorise.
    Reauthorize(String),
    /// Anything else that makes writing unsafe.
    Fatal(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Fatal(e)
    }
}

impl From<orcid_store::Error> for Stop {
    fn from(e: orcid_store::Error) -> Stop {
        Stop::Fatal(Error::Store(e))
    }
}

fn reauth_message(orcid: &str, e: &ClientError) -> String {
    format!(
        "ORCID refused the token of {orcid} ({e}): the researcher must authorise this client \
         again (`orcid auth login`), or the token be refreshed (`orcid auth refresh`)"
    )
}

/// Takes the lock that a push of set `options.set` to `orcid` by client
/// `client_id` holds on `store` while it runs, waiting up to
/// `options.wait` for another holder (telling `observer`); held until the
/// returned guard is dropped, or the process ends. [`Pusher::push`] takes
/// it; take it yourself to keep such pushes out for a while.
///
/// Fails with [`Error::Busy`] if another push still holds it after the
/// wait, or [`Error::Store`] if the lock file cannot be made.
pub fn lock_set(
    store: &Store,
    client_id: &str,
    orcid: &OrcidId,
    options: &PushOptions,
    observer: &mut dyn Observer,
) -> Result<StoreLock, Error> {
    let name = format!(
        "the push of set {:?} to {} by client {client_id}",
        options.set, orcid.0
    );
    store
        .lock(&name, options.wait, &mut |h| observer.waiting(h))
        .map_err(|e| match e {
            orcid_store::Error::Locked { holder, waited, .. } => Error::Busy {
                set: options.set.clone(),
                orcid: orcid.0.clone(),
                holder,
                waited,
            },
            e => Error::Store(e),
        })
}

/// Pushes local items to records with one client and one store.
pub struct Pusher<'a> {
    api: MemberApi<'a>,
    store: &'a Store,
    client_id: String,
    options: PushOptions,
    bulk_max: usize,
}

impl std::fmt::Debug for Pusher<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pusher")
            .field("client_id", &self.client_id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// This client's items of one kind on the record that no registry entry
/// names ("strays": created by a run whose answer was lost, or by a
/// registry now gone), as read during one run.
#[derive(Default)]
struct Strays {
    /// Put-codes not taken over yet, in order.
    left: BTreeSet<PutCode>,
    /// The items read so far.
    docs: HashMap<PutCode, AnyDocument>,
    /// For each hash a payload may have had to be stored as one of them
    /// ([`sent_hashes`]), their put-codes; built on first use.
    by_sent: Option<HashMap<String, Vec<PutCode>>>,
}

impl Strays {
    /// The strays not taken over yet that were read, in put-code order.
    fn read(&self) -> impl Iterator<Item = (PutCode, &AnyDocument)> {
        self.left
            .iter()
            .filter_map(|pc| self.docs.get(pc).map(|d| (*pc, d)))
    }
}

/// The state of one push run of one researcher.
struct Run<'p, 'a> {
    p: &'p Pusher<'a>,
    orcid: OrcidId,
    items: &'p [LocalItem],
    observer: &'p mut dyn Observer,
    writes: usize,
    /// Own items not in the registry, by kind (read once, on demand).
    strays: HashMap<ItemSection, Strays>,
    /// Why the record is read now (for the error if reading fails).
    reading_for: ReadPurpose,
}

impl<'a> Pusher<'a> {
    /// A pusher writing with `api` (a researcher's token), recording in
    /// `store`; `client_id` is the client the token was issued to (the
    /// `source` of the items it writes). It speaks the API version of
    /// [`PushOptions::api`], whatever `api`'s.
    pub fn new(
        api: MemberApi<'a>,
        store: &'a Store,
        client_id: impl Into<String>,
        options: PushOptions,
    ) -> Pusher<'a> {
        let api = api.with_version(options.api);
        Pusher {
            api,
            store,
            client_id: client_id.into(),
            options,
            bulk_max: 100,
        }
    }

    /// Works per bulk request (at most 100, ORCID's limit).
    pub fn with_bulk_size(mut self, n: usize) -> Pusher<'a> {
        self.bulk_max = n.clamp(1, 100);
        self
    }

    /// Brings the record of `orcid` in step with `items`: takes the store's
    /// lock of this set, researcher and client (another push of them on
    /// this store is waited for, up to [`PushOptions::wait`], else
    /// [`Error::Busy`]), resolves the writes of an interrupted earlier run,
    /// plans, then deletes, updates and creates (works in bulk), journaling
    /// each write before sending it. The lock is released when the push
    /// returns, or by the OS if the process dies.
    ///
    /// Errors are about the lock, the store or reading the record; ORCID's
    /// answers to single items are in the report.
    pub fn push(
        &self,
        orcid: &OrcidId,
        items: &[LocalItem],
        observer: &mut dyn Observer,
    ) -> Result<PushReport, Error> {
        let converted;
        let items = if items.iter().all(|i| i.doc.version() == self.options.api) {
            items
        } else {
            converted = items
                .iter()
                .map(|i| in_version(i, self.options.api))
                .collect::<Result<Vec<_>, _>>()?;
            &converted[..]
        };
        let _lock = lock_set(self.store, &self.client_id, orcid, &self.options, observer)?;
        let mut run = Run {
            p: self,
            orcid: orcid.clone(),
            items,
            observer,
            writes: 0,
            strays: HashMap::new(),
            reading_for: ReadPurpose::Recover,
        };
        let mut report = PushReport {
            orcid: orcid.0.clone(),
            items: Vec::new(),
            recovered: Vec::new(),
            stopped: None,
            writes: 0,
        };
        match run.recover() {
            Ok(r) => report.recovered = r,
            Err(Stop::Reauthorize(msg)) => {
                report.stopped = Some(msg);
                return Ok(report);
            }
            Err(Stop::Fatal(e)) => return Err(e),
        }
        run.reading_for = ReadPurpose::FindCopy;
        let plan = plan(self.store, &orcid.0, items, &self.options)?;
        run.observer.planned(&plan);
        report.items = run.execute(&plan, &mut report.stopped)?;
        report.writes = run.writes;
        Ok(report)
    }
}

impl Run<'_, '_> {
    fn set(&self) -> &str {
        &self.p.options.set
    }

    fn store(&self) -> &Store {
        self.p.store
    }

    fn local_by_key(&self, kind: ItemSection, key: &str) -> Option<&LocalItem> {
        self.items.iter().find(|i| i.kind == kind && i.key == key)
    }

    // ----- recovery -----

    /// Resolves the writes of this set left pending by an earlier run.
    fn recover(&mut self) -> Result<Vec<Recovered>, Stop> {
        let pending = set_pending(self.store(), &self.orcid.0, self.set())?;
        let mut out = Vec::new();
        for intent in pending {
            let section = intent.section.v3_0();
            let key = local_key(self.set(), &intent.local_key)
                .unwrap_or(&intent.local_key)
                .to_string();
            let mut rec = Recovered {
                op: intent.op.as_str(),
                section,
                key: key.clone(),
                found: None,
            };
            match (intent.op, Some(section)) {
                (WriteOp::Create, Some(kind)) => {
                    // By what was sent, whatever the file became since;
                    // else by the file's content or identifying key now.
                    let found = match self.find_sent(kind, &intent.content_hash)? {
                        Some(pc) => Some(pc),
                        None => match self.local_by_key(kind, &key).cloned() {
                            Some(local) => self.find_stray(kind, &local.doc)?,
                            None => None,
                        },
                    };
                    match found {
                        Some(pc) => {
                            self.store()
                                .complete_intent(intent.id, "created", Some(pc.0))?;
                            self.forget_stray(kind, pc);
                            rec.found = Some(pc);
                        }
                        None => self
                            .store()
                            .complete_intent(intent.id, "error:lost", None)?,
                    }
                }
                // An update or delete is sent again if still needed: both
                // are idempotent.
                _ => self
                    .store()
                    .complete_intent(intent.id, "error:interrupted", None)?,
            }
            tracing::info!(op = rec.op, key = %rec.key, found = ?rec.found, "recovered");
            out.push(rec);
        }
        Ok(out)
    }

    /// Reads (once per run) which items of `kind` on the record have this
    /// client as their source and are named by no registry entry.
    fn load_strays(&mut self, kind: ItemSection) -> Result<(), Stop> {
        if self.strays.contains_key(&kind) {
            return Ok(());
        }
        let section = ApiSection::List(kind);
        let doc = match self.p.api.read_section_any(&self.orcid, section) {
            Ok(d) => d,
            Err(e) => return Err(self.read_failed(kind, e)),
        };
        let known: BTreeSet<i64> = self
            .store()
            .entries(&self.orcid.0)?
            .into_iter()
            .filter(|e| e.section == kind)
            .map(|e| e.put_code)
            .collect();
        let left = own_put_codes(&doc, &self.p.client_id)
            .into_iter()
            .filter(|pc| !known.contains(&pc.0))
            .collect();
        self.strays.insert(
            kind,
            Strays {
                left,
                ..Strays::default()
            },
        );
        Ok(())
    }

    /// The stray items of `kind`, each read once (one `GET` per item per
    /// run); an item gone meanwhile is left out.
    fn read_strays(&mut self, kind: ItemSection) -> Result<&Strays, Stop> {
        self.load_strays(kind)?;
        let unread: Vec<PutCode> = self.strays.get(&kind).map_or_else(Vec::new, |s| {
            s.left
                .iter()
                .filter(|pc| !s.docs.contains_key(pc))
                .copied()
                .collect()
        });
        for pc in unread {
            let read = self.p.api.read_item_any(&self.orcid, kind, pc);
            let s = self.strays.entry(kind).or_default();
            match read {
                Ok(d) => {
                    s.docs.insert(pc, d);
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    s.left.remove(&pc);
                }
                Err(e) => return Err(self.read_failed(kind, e)),
            }
        }
        Ok(self.strays.entry(kind).or_default())
    }

    /// Why reading `kind` failed with `e`, as a stop.
    fn read_failed(&self, kind: ItemSection, e: ClientError) -> Stop {
        if e.kind() == ErrorKind::Reauthorize {
            return Stop::Reauthorize(reauth_message(&self.orcid.0, &e));
        }
        Stop::Fatal(Error::Read {
            orcid: self.orcid.0.clone(),
            section: kind,
            purpose: self.reading_for,
            source: e,
        })
    }

    fn forget_stray(&mut self, kind: ItemSection, pc: PutCode) {
        if let Some(s) = self.strays.get_mut(&kind) {
            s.left.remove(&pc);
        }
    }

    /// The stray item of this client that carries `local`: the same
    /// content, else (only one) the same identifying key.
    fn find_stray(
        &mut self,
        kind: ItemSection,
        local: &AnyDocument,
    ) -> Result<Option<PutCode>, Stop> {
        let want = derived_key_v3(local, kind);
        let strays = self.read_strays(kind)?;
        let mut same_key = Vec::new();
        for (pc, stored) in strays.read() {
            if same_content_any(local, stored) {
                return Ok(Some(pc));
            }
            if want.is_some() && derived_key_v3(stored, kind) == want {
                same_key.push(pc);
            }
        }
        Ok(match same_key.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
    }

    /// The stray item of this client that ORCID stored from a payload whose
    /// [`content_hash`](crate::content_hash) was `sent` (what an
    /// interrupted create journaled), whatever the local file became since.
    fn find_sent(&mut self, kind: ItemSection, sent: &str) -> Result<Option<PutCode>, Stop> {
        self.read_strays(kind)?;
        let s = self.strays.entry(kind).or_default();
        if s.by_sent.is_none() {
            let mut index: HashMap<String, Vec<PutCode>> = HashMap::new();
            for (pc, doc) in s.read() {
                for h in sent_hashes_any(doc) {
                    index.entry(h).or_default().push(pc);
                }
            }
            s.by_sent = Some(index);
        }
        Ok(s.by_sent
            .as_ref()
            .and_then(|index| index.get(sent))
            .and_then(|pcs| pcs.iter().find(|pc| s.left.contains(pc)).copied()))
    }

    // ----- execution -----

    fn execute(
        &mut self,
        plan: &Plan,
        stopped: &mut Option<String>,
    ) -> Result<Vec<ItemOutcome>, Error> {
        let mut results: Vec<Option<ItemOutcome>> = vec![None; plan.steps.len()];
        let order = |pred: fn(&Action) -> bool| {
            plan.steps
                .iter()
                .enumerate()
                .filter(move |(_, s)| pred(&s.action))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        };
        let no_write = order(|a| !a.writes());
        let deletes = order(|a| matches!(a, Action::Delete { .. }));
        let updates = order(|a| matches!(a, Action::Update { .. }));
        let creates = order(|a| matches!(a, Action::Create));

        for i in no_write {
            let step = &plan.steps[i];
            let (outcome, pc) = match &step.action {
                Action::Unchanged { put_code } => (Outcome::Unchanged, Some(*put_code)),
                Action::Invalid { reason } => (
                    Outcome::Invalid {
                        reason: reason.clone(),
                    },
                    None,
                ),
                _ => continue,
            };
            self.finish(&mut results, plan, i, outcome, pc);
        }
        let (work_creates, other_creates): (Vec<usize>, Vec<usize>) = creates
            .into_iter()
            .partition(|&i| plan.steps[i].kind == ItemSection::Work);
        let singles = deletes
            .into_iter()
            .chain(updates)
            .chain(other_creates)
            .collect::<Vec<_>>();
        for i in singles {
            if stopped.is_some() {
                break;
            }
            match self.single(plan, i) {
                Ok((outcome, pc)) => self.finish(&mut results, plan, i, outcome, pc),
                Err(Stop::Reauthorize(msg)) => {
                    *stopped = Some(msg);
                }
                Err(Stop::Fatal(e)) => return Err(e),
            }
        }
        if stopped.is_none() && !work_creates.is_empty() {
            if let Err(stop) = self.create_works(plan, &work_creates, &mut results) {
                match stop {
                    Stop::Reauthorize(msg) => *stopped = Some(msg),
                    Stop::Fatal(e) => return Err(e),
                }
            }
        }
        let reason = stopped.clone().unwrap_or_default();
        Ok(results
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|| {
                    let step = &plan.steps[i];
                    ItemOutcome {
                        kind: step.kind,
                        key: step.key.clone(),
                        outcome: Outcome::Skipped {
                            reason: reason.clone(),
                        },
                        put_code: None,
                        file: step.file.clone(),
                    }
                })
            })
            .collect())
    }

    fn finish(
        &mut self,
        results: &mut [Option<ItemOutcome>],
        plan: &Plan,
        i: usize,
        outcome: Outcome,
        put_code: Option<PutCode>,
    ) {
        let step = &plan.steps[i];
        let o = ItemOutcome {
            kind: step.kind,
            key: step.key.clone(),
            outcome,
            put_code,
            file: step.file.clone(),
        };
        self.observer.finished(&o);
        results[i] = Some(o);
    }

    fn begin(
        &self,
        kind: ItemSection,
        key: &str,
        op: WriteOp,
        hash: &str,
    ) -> Result<IntentId, Stop> {
        Ok(self.store().begin_intent(
            &self.orcid.0,
            kind,
            &registry_key(self.set(), key),
            op,
            hash,
        )?)
    }

    fn complete(&self, id: IntentId, result: &str, pc: Option<PutCode>) -> Result<(), Stop> {
        Ok(self.store().complete_intent(id, result, pc.map(|p| p.0))?)
    }

    /// Sends one write with its checkpoints.
    fn send<T>(&mut self, call: impl FnOnce(&MemberApi<'_>) -> T) -> T {
        self.observer.checkpoint(Checkpoint::BeforeWrite);
        self.writes += 1;
        let r = call(&self.p.api);
        self.observer.checkpoint(Checkpoint::AfterWrite);
        r
    }

    /// A failed call as an outcome (after its intent is settled), or a stop.
    fn failure(&self, id: IntentId, e: &ClientError, create: bool) -> Result<Outcome, Stop> {
        if e.kind() == ErrorKind::Reauthorize {
            self.complete(id, &failure_result(e), None)?;
            return Err(Stop::Reauthorize(reauth_message(&self.orcid.0, e)));
        }
        let unknown = create && outcome_unknown(e);
        if !unknown {
            self.complete(id, &failure_result(e), None)?;
        }
        if let Some(report) = e.report() {
            if let Some(d) = report.diagnostics.first() {
                return Ok(Outcome::Invalid {
                    reason: format!("{}: {}", d.code, d.message),
                });
            }
        }
        Ok(failed(e, unknown))
    }

    fn single(&mut self, plan: &Plan, i: usize) -> Result<(Outcome, Option<PutCode>), Stop> {
        let step = &plan.steps[i];
        match &step.action {
            Action::Delete { put_code } => {
                let hash = self
                    .store()
                    .put_code(
                        &self.orcid.0,
                        step.kind,
                        &registry_key(self.set(), &step.key),
                    )?
                    .map(|e| e.content_hash)
                    .unwrap_or_default();
                let id = self.begin(step.kind, &step.key, WriteOp::Delete, &hash)?;
                let orcid = self.orcid.clone();
                let kind = step.kind;
                match self.send(|api| api.delete_any(&orcid, kind, *put_code)) {
                    Ok(Deleted::Deleted) => {
                        self.complete(id, "deleted", Some(*put_code))?;
                        Ok((Outcome::Deleted, None))
                    }
                    Ok(Deleted::AlreadyGone) => {
                        self.complete(id, "gone", Some(*put_code))?;
                        Ok((Outcome::AlreadyGone, None))
                    }
                    Err(e) => Ok((self.failure(id, &e, false)?, Some(*put_code))),
                }
            }
            Action::Update { put_code } => {
                let items = self.items;
                self.update(&items[step.item.unwrap_or_default()], *put_code, "updated")
            }
            Action::Create => {
                let items = self.items;
                self.create(&items[step.item.unwrap_or_default()])
            }
            _ => Ok((Outcome::Unchanged, None)),
        }
    }

    /// `PUT` of `item` on `put_code`; a 404 (deleted on the record) creates
    /// it again.
    fn update(
        &mut self,
        item: &LocalItem,
        put_code: PutCode,
        result: &str,
    ) -> Result<(Outcome, Option<PutCode>), Stop> {
        let mut doc = item.doc.clone();
        set_put_code_any(&mut doc, Some(put_code));
        let id = self.begin(item.kind, &item.key, WriteOp::Update, &item.hash)?;
        let orcid = self.orcid.clone();
        match self.send(|api| api.update_any(&orcid, put_code, &doc)) {
            Ok(_) => {
                self.complete(id, result, Some(put_code))?;
                Ok((
                    if result == "adopted" {
                        Outcome::Adopted
                    } else {
                        Outcome::Updated
                    },
                    Some(put_code),
                ))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                self.complete(id, "error:gone", None)?;
                tracing::info!(key = %item.key, %put_code, "deleted on the record: creating it again");
                match self.create(item)? {
                    (Outcome::Created, pc) => Ok((Outcome::Recreated { previous: put_code }, pc)),
                    other => Ok(other),
                }
            }
            Err(e) => Ok((self.failure(id, &e, false)?, Some(put_code))),
        }
    }

    /// `POST` of `item`; a 409 (this client added it already) adopts the
    /// existing item. Affiliations, which ORCID never reports as duplicates,
    /// are first looked for among this client's unregistered items.
    fn create(&mut self, item: &LocalItem) -> Result<(Outcome, Option<PutCode>), Stop> {
        if matches!(item.kind, ItemSection::Education | ItemSection::Employment) {
            if let Some(pc) = self.find_stray(item.kind, &item.doc)? {
                self.forget_stray(item.kind, pc);
                return self.update(item, pc, "adopted");
            }
        }
        let id = self.begin(item.kind, &item.key, WriteOp::Create, &item.hash)?;
        let orcid = self.orcid.clone();
        match self.send(|api| api.add_any(&orcid, &item.doc)) {
            Ok(pc) => {
                self.complete(id, "created", Some(pc))?;
                Ok((Outcome::Created, Some(pc)))
            }
            Err(e) if e.kind() == ErrorKind::Conflict && e.api().is_some() => {
                let api = e.api().cloned();
                self.complete(id, &failure_result(&e), None)?;
                self.adopt(item, api.as_ref())
            }
            Err(e) => Ok((self.failure(id, &e, true)?, None)),
        }
    }

    /// After a 409: finds this client's existing item (put-code named in
    /// ORCID's message, else by content or key among its unregistered
    /// items) and updates it with the local content.
    fn adopt(
        &mut self,
        item: &LocalItem,
        conflict: Option<&ApiError>,
    ) -> Result<(Outcome, Option<PutCode>), Stop> {
        let code = conflict
            .and_then(ApiError::error_code)
            .map(|c| c.to_string())
            .unwrap_or_else(|| "409".into());
        let named = conflict.and_then(ApiError::conflicting_put_code);
        let found = match named {
            Some(pc) => Some(pc),
            None => self.find_stray(item.kind, &item.doc)?,
        };
        let Some(pc) = found else {
            return Ok((
                Outcome::Failed {
                    code,
                    message: format!(
                        "ORCID says this client already added this {} ({}), and it is not \
                         among this client's items on the record that no other local item \
                         owns",
                        item.kind,
                        conflict.map(|a| a.to_string()).unwrap_or_default()
                    ),
                    unknown: false,
                },
                None,
            ));
        };
        let rkey = registry_key(self.set(), &item.key);
        let owner = self
            .store()
            .entries(&self.orcid.0)?
            .into_iter()
            .find(|e| e.section == item.kind && e.put_code == pc.0 && e.local_key != rkey);
        if let Some(owner) = owner {
            let other = local_key(self.set(), &owner.local_key)
                .unwrap_or(&owner.local_key)
                .to_string();
            return Ok((
                Outcome::Failed {
                    code,
                    message: format!(
                        "a duplicate of local item `{other}` ({} {pc} on the record): ORCID \
                         matches items by their external identifiers; give each item its own",
                        item.kind
                    ),
                    unknown: false,
                },
                None,
            ));
        }
        self.forget_stray(item.kind, pc);
        self.update(item, pc, "adopted")
    }

    /// Creates works in bulk requests (one journaled intent per work), in
    /// the push's API version: the same path for v2.1's and v3.0's works.
    fn create_works(
        &mut self,
        plan: &Plan,
        steps: &[usize],
        results: &mut [Option<ItemOutcome>],
    ) -> Result<(), Stop> {
        match self.p.api.version() {
            Version::V2_1 => self.create_works_as::<v2_1::work::Work>(plan, steps, results),
            Version::V3_0 => self.create_works_as::<v3_0::work::Work>(plan, steps, results),
        }
    }

    /// [`Run::create_works`] with works of type `W` (its version). A lone
    /// work, and a work that is not a `W` (none: items are loaded in the
    /// push's version), go through the single `POST`.
    fn create_works_as<W: BulkWork>(
        &mut self,
        plan: &Plan,
        steps: &[usize],
        results: &mut [Option<ItemOutcome>],
    ) -> Result<(), Stop> {
        let items = self.items;
        let work_of = |i: usize| W::of_document(&items[plan.steps[i].item.unwrap_or_default()].doc);
        let (bulk, singles): (Vec<usize>, Vec<usize>) = if steps.len() == 1 {
            (Vec::new(), steps.to_vec())
        } else {
            steps.iter().partition(|&&i| work_of(i).is_some())
        };
        for i in singles {
            let (o, pc) = self.single(plan, i)?;
            self.finish(results, plan, i, o, pc);
        }
        for chunk in bulk.chunks(self.p.bulk_max) {
            let mut works: Vec<W> = Vec::with_capacity(chunk.len());
            let mut intents = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let item = &items[plan.steps[i].item.unwrap_or_default()];
                let Some(w) = work_of(i) else {
                    continue;
                };
                works.push(w.clone());
                intents.push((
                    i,
                    self.begin(item.kind, &item.key, WriteOp::Create, &item.hash)?,
                ));
            }
            let orcid = self.orcid.clone();
            let outcomes = self.send(|api| api.add_works_bulk(&orcid, &works));
            let mut stop = None;
            for ((i, id), outcome) in intents.into_iter().zip(outcomes) {
                let item = &items[plan.steps[i].item.unwrap_or_default()];
                let (o, pc) = match outcome {
                    BulkAddOutcome::Created { put_code, .. } => {
                        self.complete(id, "created", Some(put_code))?;
                        (Outcome::Created, Some(put_code))
                    }
                    BulkAddOutcome::Rejected(api) => {
                        self.complete(id, &api_result(&api), None)?;
                        if ErrorKind::for_orcid_code(api.error_code().unwrap_or_default())
                            == Some(ErrorKind::Conflict)
                        {
                            match self.adopt(item, Some(&api)) {
                                Ok(r) => r,
                                Err(Stop::Reauthorize(m)) => {
                                    stop = Some(m);
                                    continue;
                                }
                                Err(e) => return Err(e),
                            }
                        } else {
                            (failed(&ClientError::from(api), false), None)
                        }
                    }
                    BulkAddOutcome::Invalid(report) => {
                        self.complete(id, "error:invalid", None)?;
                        let reason = report
                            .diagnostics
                            .first()
                            .map(|d| format!("{}: {}", d.code, d.message))
                            .unwrap_or_else(|| "refused by validation".into());
                        (Outcome::Invalid { reason }, None)
                    }
                    BulkAddOutcome::RequestFailed(e) => match self.failure(id, &e, true) {
                        Ok(o) => (o, None),
                        Err(Stop::Reauthorize(m)) => {
                            stop = Some(m);
                            continue;
                        }
                        Err(e) => return Err(e),
                    },
                    _ => {
                        self.complete(id, "error:not-sent", None)?;
                        continue;
                    }
                };
                self.finish(results, plan, i, o, pc);
            }
            if let Some(m) = stop {
                return Err(Stop::Reauthorize(m));
            }
        }
        Ok(())
    }
}

/// `item` in API `version`: upgraded from v2.1 (nothing is lost), or
/// downgraded from v3.0 when v2.1 holds all of it; its hash is of the
/// converted document.
fn in_version(item: &LocalItem, version: Version) -> Result<LocalItem, Error> {
    let refused = |message: String| Error::Convert {
        file: item.file.clone(),
        message,
    };
    let (doc, losses) =
        orcid_model::convert::to_version(&item.doc, version).map_err(|e| refused(e.to_string()))?;
    if let Some(loss) = losses.first() {
        return Err(refused(format!(
            "API v2.1 cannot hold all of this v3.0 item ({loss}); push it with v3.0"
        )));
    }
    Ok(LocalItem {
        hash: content_hash_any(&doc),
        doc,
        ..item.clone()
    })
}

/// [`Outcome::Failed`] for a call that failed with `e`; `unknown`: the
/// write may have happened.
fn failed(e: &ClientError, unknown: bool) -> Outcome {
    Outcome::Failed {
        code: failure_result(e)
            .trim_start_matches("error")
            .trim_start_matches(':')
            .to_string(),
        message: if unknown {
            format!("{e}; ORCID may have created it: the next push checks the record first")
        } else {
            e.to_string()
        },
        unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_put_codes_follow_the_source() {
        let xml = r#"<activities:works xmlns:activities="http://www.orcid.org/ns/activities" xmlns:common="http://www.orcid.org/ns/common" xmlns:work="http://www.orcid.org/ns/work">
  <activities:group>
    <common:external-ids/>
    <work:work-summary put-code="7">
      <common:source><common:source-client-id><common:uri>https://orcid.org/client/APP-A</common:uri><common:path>APP-A</common:path><common:host>orcid.org</common:host></common:source-client-id><common:source-name>A</common:source-name></common:source>
      <work:title><common:title>x</common:title></work:title>
      <work:type>report</work:type>
    </work:work-summary>
    <work:work-summary put-code="8">
      <common:source><common:source-client-id><common:uri>https://orcid.org/client/APP-B</common:uri><common:path>APP-B</common:path><common:host>orcid.org</common:host></common:source-client-id><common:source-name>B</common:source-name></common:source>
      <work:title><common:title>y</common:title></work:title>
      <work:type>report</work:type>
    </work:work-summary>
  </activities:group>
</activities:works>"#;
        let doc = AnyDocument::V2_1(orcid_model::Document::from_xml(xml).unwrap());
        assert_eq!(own_put_codes(&doc, "APP-A"), vec![PutCode(7)]);
        assert_eq!(own_put_codes(&doc, "APP-B"), vec![PutCode(8)]);
        assert!(own_put_codes(&doc, "APP-C").is_empty());
    }
}
