//! The member API v2.1 (`docs/orcid-api.md` §2–§4, §7): reading and
//! writing a record's items with a user's token, bulk works, permission
//! notifications and group-id records.

use std::collections::HashMap;
use std::fmt;

use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::group_id::{GroupIdRecord, GroupIdRecords};
use orcid_model::v2_1::notification::Notification;
use orcid_model::v2_1::record::Record;
use orcid_model::v2_1::work::Work;
use orcid_model::{Document, ItemSection, Root};
use orcid_validate::{validate_document, Context, Operation, Report};
use secrecy::SecretString;

use crate::client::{HttpRequest, HttpResponse, Method, OrcidClient};
use crate::error::{ApiError, Error, ErrorKind, InvalidPayload};

/// A readable part of a record (`GET /{orcid}/{segment}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// `record`: the whole record.
    Record,
    /// `person`.
    Person,
    /// `personal-details`.
    PersonalDetails,
    /// `biography`.
    Biography,
    /// `email` (read-only).
    Emails,
    /// `activities`: summaries of every activity.
    Activities,
    /// The list of one item section (`works`, `researcher-urls`,
    /// `address`, …): grouped summaries for activities, the items for
    /// person sections.
    List(ItemSection),
}

impl Section {
    /// The sections that are not an item list.
    const WHOLE: &'static [Section] = &[
        Section::Record,
        Section::Person,
        Section::PersonalDetails,
        Section::Biography,
        Section::Emails,
        Section::Activities,
    ];

    /// Every section: the whole ones, then each item section's list.
    pub fn all() -> impl Iterator<Item = Section> {
        Section::WHOLE
            .iter()
            .copied()
            .chain(ItemSection::ALL.iter().copied().map(Section::List))
    }

    /// Its path segment.
    pub fn path_segment(self) -> &'static str {
        match self {
            Section::Record => "record",
            Section::Person => "person",
            Section::PersonalDetails => "personal-details",
            Section::Biography => "biography",
            Section::Emails => "email",
            Section::Activities => "activities",
            Section::List(s) => s.list_path(),
        }
    }

    /// The root of the document ORCID answers with.
    pub fn root(self) -> Root {
        match self {
            Section::Record => Root::RecordRecord,
            Section::Person => Root::PersonPerson,
            Section::PersonalDetails => Root::PersonalDetailsPersonalDetails,
            Section::Biography => Root::PersonalDetailsBiography,
            Section::Emails => Root::EmailEmails,
            Section::Activities => Root::ActivitiesActivitiesSummary,
            Section::List(s) => s.list_root(),
        }
    }
}

impl From<ItemSection> for Section {
    fn from(s: ItemSection) -> Section {
        Section::List(s)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path_segment())
    }
}

/// The result of a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// ORCID deleted it (204).
    Deleted,
    /// ORCID answered 404: it was already gone (e.g. the user deleted it);
    /// forget the put-code.
    AlreadyGone,
}

/// What happened to one work of [`MemberApi::add_works_bulk`], in input order.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BulkAddOutcome {
    /// Created; ORCID's stored copy (with put-code, source, dates).
    Created {
        /// The new put-code.
        put_code: PutCode,
        /// The work as stored.
        work: Box<Work>,
    },
    /// ORCID refused this work (its per-item `error`, e.g. 9021 duplicate
    /// with [`ApiError::conflicting_put_code`]).
    Rejected(ApiError),
    /// Refused locally by validation; not sent.
    Invalid(Box<Report>),
    /// The request carrying it failed as a whole. For a transport fault
    /// the works may or may not have been created (see the crate docs,
    /// "Retries").
    RequestFailed(Error),
    /// Not sent: an earlier request failed in a way later ones would too.
    NotSent,
}

impl BulkAddOutcome {
    /// The put-code, if created.
    pub fn put_code(&self) -> Option<PutCode> {
        match self {
            BulkAddOutcome::Created { put_code, .. } => Some(*put_code),
            _ => None,
        }
    }
}

/// One put-code of [`MemberApi::read_works_bulk`].
#[derive(Debug, Clone)]
pub struct BulkReadOutcome {
    /// The put-code asked for.
    pub put_code: PutCode,
    /// The work, or ORCID's per-item error (9034 unknown put-code →
    /// [`ErrorKind::NotFound`], 9013 private).
    pub result: Result<Box<Work>, ApiError>,
}

/// A query of group-id records (`GET /group-id-record?…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupIdQuery {
    /// One page (1-based) of every record.
    Page {
        /// Page number, from 1.
        page: u32,
        /// Records per page.
        page_size: u32,
    },
    /// By exact group id (e.g. `issn:1234-5678`).
    GroupId(String),
    /// By name.
    Name(String),
}

impl OrcidClient {
    /// The member API with an access token: a user's (3-legged) for
    /// record items, a client-credentials one for notifications and
    /// group-id records.
    pub fn member<'a>(&'a self, token: &'a SecretString) -> MemberApi<'a> {
        MemberApi {
            client: self,
            token,
        }
    }
}

/// The member API v2.1 with one access token. Made by [`OrcidClient::member`].
pub struct MemberApi<'a> {
    client: &'a OrcidClient,
    token: &'a SecretString,
}

impl fmt::Debug for MemberApi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberApi")
            .field("client", self.client)
            .field("token", self.token)
            .finish()
    }
}

impl MemberApi<'_> {
    // ----- reading -----

    /// The whole record (`GET /{orcid}/record`).
    pub fn read_record(&self, orcid: &OrcidId) -> Result<Record, Error> {
        match self.read_section(orcid, Section::Record)? {
            Document::RecordRecord(r) => Ok(*r),
            other => Err(unexpected(Root::RecordRecord, &other)),
        }
    }

    /// One section (`GET /{orcid}/{section}`).
    pub fn read_section(&self, orcid: &OrcidId, section: Section) -> Result<Document, Error> {
        let path = format!("{}/{}", checked(orcid)?, section.path_segment());
        self.get(&path, section.root())
    }

    /// One item (`GET /{orcid}/{kind}/{put-code}`).
    pub fn read_item(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Document, Error> {
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        self.get(&path, kind.root())
    }

    /// One work, typed.
    pub fn read_work(&self, orcid: &OrcidId, put_code: PutCode) -> Result<Work, Error> {
        match self.read_item(orcid, ItemSection::Work, put_code)? {
            Document::WorkWork(w) => Ok(*w),
            other => Err(unexpected(Root::WorkWork, &other)),
        }
    }

    /// The summary of an activity (`GET /{orcid}/{kind}/summary/{put-code}`).
    pub fn read_summary(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Document, Error> {
        let root = kind
            .summary_root()
            .ok_or_else(|| Error::InvalidArgument(format!("`{kind}` items have no summary")))?;
        let path = format!(
            "{}/{}/summary/{}",
            checked(orcid)?,
            kind.item_path(),
            put_code
        );
        self.get(&path, root)
    }

    /// Works by put-code (`GET /{orcid}/works/{pc,pc,…}`), in requests of
    /// at most `bulk_read_max` put-codes; one outcome per put-code, in
    /// input order.
    pub fn read_works_bulk(
        &self,
        orcid: &OrcidId,
        put_codes: &[PutCode],
    ) -> Result<Vec<BulkReadOutcome>, Error> {
        let orcid = checked(orcid)?;
        let mut out = Vec::with_capacity(put_codes.len());
        for chunk in put_codes.chunks(self.client.config().bulk_read_max) {
            let list = chunk
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let bulk = match self.get(&format!("{orcid}/works/{list}"), Root::BulkBulk)? {
                Document::BulkBulk(b) => b,
                other => return Err(unexpected(Root::BulkBulk, &other)),
            };
            out.extend(match_bulk_read(chunk, bulk.bulk)?);
        }
        Ok(out)
    }

    // ----- writing -----

    /// Adds an item (`POST /{orcid}/{kind}`, kind from the document);
    /// returns the put-code from the `Location` of the 201. Validated
    /// first unless validation is off. Never retried (see the crate docs).
    pub fn add(&self, orcid: &OrcidId, item: &Document) -> Result<PutCode, Error> {
        let kind = item_section(item)?;
        self.client.check_payload(item, Operation::Create, None)?;
        let path = format!("{}/{}", checked(orcid)?, kind.item_path());
        self.post_for_put_code(&path, item)
    }

    /// Updates an item (`PUT /{orcid}/{kind}/{put-code}`); returns ORCID's
    /// stored copy. The body's put-code must equal `put_code`
    /// ([`Error::PutCodeMismatch`] otherwise, before anything is sent).
    pub fn update(
        &self,
        orcid: &OrcidId,
        put_code: PutCode,
        item: &Document,
    ) -> Result<Document, Error> {
        let kind = item_section(item)?;
        let body = put_code_of(item);
        if body != Some(put_code) {
            return Err(Error::PutCodeMismatch {
                url: put_code,
                body,
            });
        }
        self.client
            .check_payload(item, Operation::Update, Some(put_code))?;
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        let req = self.write_request(Method::Put, &path, item)?;
        let resp = self.client.execute_expect(&req, &[200])?;
        self.client.decode(&resp, kind.root())
    }

    /// Deletes an item (`DELETE /{orcid}/{kind}/{put-code}`); a 404 is
    /// [`Deleted::AlreadyGone`].
    pub fn delete(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Deleted, Error> {
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        self.delete_path(&path)
    }

    /// Adds works in bulk (`POST /{orcid}/works`), in requests of at most
    /// `bulk_write_max` (100) works; one outcome per work, in input order.
    ///
    /// Each work is validated on its own first (unless validation is off);
    /// invalid ones become [`BulkAddOutcome::Invalid`] and are not sent.
    /// A request that fails as a whole marks its works
    /// [`BulkAddOutcome::RequestFailed`]; the following requests are still
    /// sent only if that failure was about the payload
    /// ([`ErrorKind::FixPayload`]), otherwise their works are
    /// [`BulkAddOutcome::NotSent`].
    pub fn add_works_bulk(&self, orcid: &OrcidId, works: &[Work]) -> Vec<BulkAddOutcome> {
        let mut outcomes: Vec<Option<BulkAddOutcome>> = vec![None; works.len()];
        let orcid = match checked(orcid) {
            Ok(o) => o,
            Err(e) => {
                return works
                    .iter()
                    .map(|_| BulkAddOutcome::RequestFailed(e.clone()))
                    .collect()
            }
        };
        let mut pending: Vec<usize> = Vec::with_capacity(works.len());
        for (i, w) in works.iter().enumerate() {
            let doc = Document::WorkWork(Box::new(w.clone()));
            match self.client.check_payload(&doc, Operation::Create, None) {
                Ok(()) => pending.push(i),
                Err(Error::Invalid(p)) => {
                    outcomes[i] = Some(BulkAddOutcome::Invalid(Box::new(p.report)))
                }
                Err(e) => outcomes[i] = Some(BulkAddOutcome::RequestFailed(e)),
            }
        }
        let mut stop = false;
        for chunk in pending.chunks(self.client.config().bulk_write_max) {
            if stop {
                for &i in chunk {
                    outcomes[i] = Some(BulkAddOutcome::NotSent);
                }
                continue;
            }
            match self.post_bulk(orcid, works, chunk) {
                Ok(items) => {
                    for (&i, o) in chunk.iter().zip(items) {
                        outcomes[i] = Some(o);
                    }
                }
                Err(e) => {
                    stop = e.kind() != ErrorKind::FixPayload;
                    for &i in chunk {
                        outcomes[i] = Some(BulkAddOutcome::RequestFailed(e.clone()));
                    }
                }
            }
        }
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or(BulkAddOutcome::NotSent))
            .collect()
    }

    fn post_bulk(
        &self,
        orcid: &str,
        works: &[Work],
        chunk: &[usize],
    ) -> Result<Vec<BulkAddOutcome>, Error> {
        let doc = Document::BulkBulk(Box::new(Bulk {
            bulk: chunk
                .iter()
                .map(|&i| BulkItem::Work(Box::new(works[i].clone())))
                .collect(),
        }));
        let req = self.write_request(Method::Post, &format!("{orcid}/works"), &doc)?;
        let resp = self.client.execute_expect(&req, &[200])?;
        let items = match self.client.decode(&resp, Root::BulkBulk)? {
            Document::BulkBulk(b) => b.bulk,
            other => return Err(unexpected(Root::BulkBulk, &other)),
        };
        if items.len() != chunk.len() {
            return Err(Error::UnexpectedResponse(format!(
                "bulk answer has {} items for {} works sent",
                items.len(),
                chunk.len()
            )));
        }
        Ok(items
            .into_iter()
            .map(|item| match item {
                BulkItem::Work(w) => match w.put_code {
                    Some(put_code) => BulkAddOutcome::Created { put_code, work: w },
                    None => BulkAddOutcome::RequestFailed(Error::UnexpectedResponse(
                        "a created work in the bulk answer has no put-code".into(),
                    )),
                },
                BulkItem::Error(e) => BulkAddOutcome::Rejected(ApiError::from_orcid_error(&e)),
            })
            .collect())
    }

    // ----- notifications (client-credentials token with /premium-notification) -----

    /// Sends a permission notification to the user's inbox
    /// (`POST /{orcid}/notification-permission`); returns its put-code.
    pub fn send_permission_notification(
        &self,
        orcid: &OrcidId,
        notification: &Notification,
    ) -> Result<PutCode, Error> {
        let doc = Document::NotificationNotification(Box::new(notification.clone()));
        self.client.check_payload(&doc, Operation::Create, None)?;
        let path = format!("{}/notification-permission", checked(orcid)?);
        self.post_for_put_code(&path, &doc)
    }

    /// Reads one of the client's permission notifications.
    pub fn read_permission_notification(
        &self,
        orcid: &OrcidId,
        put_code: PutCode,
    ) -> Result<Notification, Error> {
        let path = format!("{}/notification-permission/{put_code}", checked(orcid)?);
        match self.get(&path, Root::NotificationNotification)? {
            Document::NotificationNotification(n) => Ok(*n),
            other => Err(unexpected(Root::NotificationNotification, &other)),
        }
    }

    /// Archives a permission notification (`DELETE`, 200 with the archived copy).
    pub fn archive_permission_notification(
        &self,
        orcid: &OrcidId,
        put_code: PutCode,
    ) -> Result<Notification, Error> {
        let path = format!("{}/notification-permission/{put_code}", checked(orcid)?);
        let req = self.request(Method::Delete, &path);
        let resp = self.client.execute_expect(&req, &[200])?;
        match self.client.decode(&resp, Root::NotificationNotification)? {
            Document::NotificationNotification(n) => Ok(*n),
            other => Err(unexpected(Root::NotificationNotification, &other)),
        }
    }

    // ----- group-id records (client-credentials token with /group-id-record/*) -----

    /// Creates a group-id record (`POST /group-id-record`); returns its put-code.
    pub fn add_group_id_record(&self, record: &GroupIdRecord) -> Result<PutCode, Error> {
        let doc = Document::GroupIdGroupIdRecord(Box::new(record.clone()));
        self.client.check_payload(&doc, Operation::Create, None)?;
        self.post_for_put_code("group-id-record", &doc)
    }

    /// Reads a group-id record.
    pub fn read_group_id_record(&self, put_code: PutCode) -> Result<GroupIdRecord, Error> {
        match self.get(
            &format!("group-id-record/{put_code}"),
            Root::GroupIdGroupIdRecord,
        )? {
            Document::GroupIdGroupIdRecord(r) => Ok(*r),
            other => Err(unexpected(Root::GroupIdGroupIdRecord, &other)),
        }
    }

    /// Updates a group-id record (body put-code must equal `put_code`).
    pub fn update_group_id_record(
        &self,
        put_code: PutCode,
        record: &GroupIdRecord,
    ) -> Result<GroupIdRecord, Error> {
        if record.put_code != Some(put_code) {
            return Err(Error::PutCodeMismatch {
                url: put_code,
                body: record.put_code,
            });
        }
        let doc = Document::GroupIdGroupIdRecord(Box::new(record.clone()));
        self.client
            .check_payload(&doc, Operation::Update, Some(put_code))?;
        let req = self.write_request(Method::Put, &format!("group-id-record/{put_code}"), &doc)?;
        let resp = self.client.execute_expect(&req, &[200])?;
        match self.client.decode(&resp, Root::GroupIdGroupIdRecord)? {
            Document::GroupIdGroupIdRecord(r) => Ok(*r),
            other => Err(unexpected(Root::GroupIdGroupIdRecord, &other)),
        }
    }

    /// Deletes a group-id record.
    pub fn delete_group_id_record(&self, put_code: PutCode) -> Result<Deleted, Error> {
        self.delete_path(&format!("group-id-record/{put_code}"))
    }

    /// Searches group-id records.
    pub fn search_group_id_records(&self, query: &GroupIdQuery) -> Result<GroupIdRecords, Error> {
        let enc = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let q = match query {
            GroupIdQuery::Page { page, page_size } => format!("page-size={page_size}&page={page}"),
            GroupIdQuery::GroupId(g) => format!("group-id={}", enc(g)),
            GroupIdQuery::Name(n) => format!("name={}", enc(n)),
        };
        match self.get(&format!("group-id-record?{q}"), Root::GroupIdGroupIdRecords)? {
            Document::GroupIdGroupIdRecords(r) => Ok(*r),
            other => Err(unexpected(Root::GroupIdGroupIdRecords, &other)),
        }
    }

    // ----- plumbing -----

    fn request(&self, method: Method, path: &str) -> HttpRequest {
        let mut req = HttpRequest::new(method, self.client.api_url(path), self.client.media_type());
        req.bearer = Some(self.token.clone());
        req
    }

    fn write_request(
        &self,
        method: Method,
        path: &str,
        doc: &Document,
    ) -> Result<HttpRequest, Error> {
        let mut req = self.request(method, path);
        req.body = Some((self.client.media_type(), self.client.encode(doc)?));
        Ok(req)
    }

    fn get(&self, path: &str, root: Root) -> Result<Document, Error> {
        let req = self.request(Method::Get, path);
        let resp = self.client.execute_expect(&req, &[200])?;
        self.client.decode(&resp, root)
    }

    fn post_for_put_code(&self, path: &str, doc: &Document) -> Result<PutCode, Error> {
        let req = self.write_request(Method::Post, path, doc)?;
        let resp = self.client.execute_expect(&req, &[201])?;
        put_code_from_location(&resp)
    }

    fn delete_path(&self, path: &str) -> Result<Deleted, Error> {
        let req = self.request(Method::Delete, path);
        let resp = self.client.execute(&req)?;
        match resp.status {
            200 | 204 => Ok(Deleted::Deleted),
            404 => Ok(Deleted::AlreadyGone),
            _ => Err(self.client.api_error(&req, &resp).into()),
        }
    }
}

impl OrcidClient {
    /// Pre-send validation: refuses a payload with error findings.
    pub(crate) fn check_payload(
        &self,
        doc: &Document,
        operation: Operation,
        url_put_code: Option<PutCode>,
    ) -> Result<(), Error> {
        if !self.config().validate {
            return Ok(());
        }
        let report = validate_document(
            doc,
            &Context {
                operation,
                url_put_code,
                ..Context::default()
            },
        );
        if report.is_valid() {
            Ok(())
        } else {
            tracing::debug!(
                root = %doc.root().qualified_name(),
                errors = report.error_count(),
                "payload refused before sending"
            );
            Err(Error::Invalid(Box::new(InvalidPayload { report })))
        }
    }
}

fn checked(orcid: &OrcidId) -> Result<&str, Error> {
    if orcid.is_valid() {
        Ok(orcid.as_str())
    } else {
        Err(Error::InvalidArgument(format!(
            "`{}` is not an ORCID iD (dddd-dddd-dddd-dddX with a valid check digit)",
            orcid.as_str()
        )))
    }
}

fn item_section(doc: &Document) -> Result<ItemSection, Error> {
    ItemSection::of_root(doc.root()).ok_or_else(|| {
        Error::InvalidArgument(format!(
            "`{}` is not an item that can be added or updated one by one",
            doc.root().qualified_name()
        ))
    })
}

/// The put-code in an item document's body.
pub fn put_code_of(doc: &Document) -> Option<PutCode> {
    if let Some(item) = doc.item_envelope() {
        return *item.put_code;
    }
    match doc {
        Document::GroupIdGroupIdRecord(x) => x.put_code,
        Document::NotificationNotification(x) => x.put_code,
        _ => None,
    }
}

/// The put-code of a 201: the last path segment of `Location`
/// (`…/v2.1/{orcid}/{section}/{put-code}`); hosts are not compared.
fn put_code_from_location(resp: &HttpResponse) -> Result<PutCode, Error> {
    let loc = resp
        .location
        .as_deref()
        .ok_or_else(|| Error::UnexpectedResponse("201 without a Location header".into()))?;
    let path = loc.split(['?', '#']).next().unwrap_or(loc);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    last.parse::<i64>().map(PutCode).map_err(|_| {
        Error::UnexpectedResponse(format!("the Location `{loc}` does not end in a put-code"))
    })
}

fn unexpected(expected: Root, got: &Document) -> Error {
    Error::UnexpectedResponse(format!(
        "expected `{}`, got `{}`",
        expected.qualified_name(),
        got.root().qualified_name()
    ))
}

/// Pairs a bulk read answer with the put-codes asked: works by their
/// put-code, errors in order over the rest.
fn match_bulk_read(asked: &[PutCode], items: Vec<BulkItem>) -> Result<Vec<BulkReadOutcome>, Error> {
    if items.len() != asked.len() {
        return Err(Error::UnexpectedResponse(format!(
            "bulk read answered {} items for {} put-codes",
            items.len(),
            asked.len()
        )));
    }
    let mut slots: Vec<Option<Result<Box<Work>, ApiError>>> = vec![None; asked.len()];
    let index: HashMap<PutCode, Vec<usize>> =
        asked
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, p)| {
                m.entry(*p).or_default().push(i);
                m
            });
    let mut leftovers = Vec::new();
    for (pos, item) in items.into_iter().enumerate() {
        match item {
            BulkItem::Work(w) => {
                let slot = w
                    .put_code
                    .and_then(|p| index.get(&p))
                    .and_then(|is| is.iter().copied().find(|&i| slots[i].is_none()));
                match slot {
                    Some(i) => slots[i] = Some(Ok(w)),
                    None => leftovers.push((pos, Ok(w))),
                }
            }
            BulkItem::Error(e) => leftovers.push((pos, Err(ApiError::from_orcid_error(&e)))),
        }
    }
    for (_, r) in leftovers {
        if let Some(slot) = slots.iter_mut().find(|s| s.is_none()) {
            *slot = Some(r);
        }
    }
    Ok(asked
        .iter()
        .zip(slots)
        .map(|(p, r)| BulkReadOutcome {
            put_code: *p,
            // Every slot is filled: as many items as put-codes, one slot each.
            result: match r {
                Some(r) => r,
                None => Err(ApiError::new(
                    0,
                    crate::error::ErrorDetail::Other {
                        content_type: None,
                        body: "no answer for this put-code".into(),
                    },
                )),
            },
        })
        .collect())
}
