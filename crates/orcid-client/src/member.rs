//! The member API (`docs/orcid-api.md` §2–§4, §7; v3.0 in
//! `docs/orcid-v3.md` §3): reading and writing a record's items with a
//! user's token, bulk works, permission notifications and group-id records.
//!
//! Reading and writing items is one code path over [`AnyDocument`] and the
//! API [`Version`] (`add_any`, `read_section_any`, …); the methods typed
//! with v2.1's [`Document`] (`add`, `read_section`, …) are that path at
//! v2.1. Bulk works are one code path over [`BulkWork`], a work of either
//! version ([`MemberApi::add_works_bulk`], [`MemberApi::read_works_bulk_as`]).
//! Notifications and group-id records are v2.1's.

use std::collections::HashMap;
use std::fmt;

use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::group_id::{GroupIdRecord, GroupIdRecords};
use orcid_model::v2_1::notification::Notification;
use orcid_model::v2_1::record::Record;
use orcid_model::v2_1::work::Work;
use orcid_model::{v3_0, AnyDocument, AnyRoot, Document, ItemSection, Root, Version};
use orcid_validate::{validate_any_document, validate_document, Context, Operation, Report};
use secrecy::SecretString;

use crate::client::{root_name_in, HttpRequest, HttpResponse, Method, OrcidClient};
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

    /// Its path segment ([`ApiSection::path_segment`]).
    pub fn path_segment(self) -> &'static str {
        ApiSection::from(self).path_segment()
    }

    /// The root of the document ORCID answers with ([`ApiSection::root`]
    /// in v2.1, which has every section of this enum).
    pub fn root(self) -> Root {
        ApiSection::from(self)
            .root()
            .v2_1
            .expect("every v2.1 section's answer has a v2.1 root")
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

/// A readable part of a record in either API version
/// (`GET /{orcid}/{segment}`). Item lists are named by their v3.0 section:
/// every v2.1 section has a v3.0 namesake ([`v3_section`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiSection {
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
    /// `summary`: the record's summary (v3.0 only).
    Summary,
    /// The list of one item section (`works`, `distinctions`, `address`,
    /// …): grouped summaries for activities (affiliation groups in v3.0),
    /// the items for person sections.
    List(v3_0::section::ItemSection),
}

impl ApiSection {
    const WHOLE: &'static [ApiSection] = &[
        ApiSection::Record,
        ApiSection::Person,
        ApiSection::PersonalDetails,
        ApiSection::Biography,
        ApiSection::Emails,
        ApiSection::Activities,
        ApiSection::Summary,
    ];

    /// Every section `version` has: the whole ones, then each item
    /// section's list.
    pub fn all(version: Version) -> impl Iterator<Item = ApiSection> {
        ApiSection::WHOLE
            .iter()
            .copied()
            .chain(
                v3_0::section::ItemSection::ALL
                    .iter()
                    .copied()
                    .map(ApiSection::List),
            )
            .filter(move |s| s.exists_in(version))
    }

    /// Its path segment.
    pub fn path_segment(self) -> &'static str {
        match self {
            ApiSection::Record => "record",
            ApiSection::Person => "person",
            ApiSection::PersonalDetails => "personal-details",
            ApiSection::Biography => "biography",
            ApiSection::Emails => "email",
            ApiSection::Activities => "activities",
            ApiSection::Summary => "summary",
            ApiSection::List(s) => s.list_path(),
        }
    }

    /// The root of the document ORCID answers with, as v3.0 names it.
    pub fn v3_root(self) -> v3_0::Root {
        match self {
            ApiSection::Record => v3_0::Root::RecordRecord,
            ApiSection::Person => v3_0::Root::PersonPerson,
            ApiSection::PersonalDetails => v3_0::Root::PersonalDetailsPersonalDetails,
            ApiSection::Biography => v3_0::Root::PersonalDetailsBiography,
            ApiSection::Emails => v3_0::Root::EmailEmails,
            ApiSection::Activities => v3_0::Root::ActivitiesActivitiesSummary,
            ApiSection::Summary => v3_0::Root::SummaryRecordSummary,
            ApiSection::List(s) => s.list_root(),
        }
    }

    /// The root of the answer in both versions (`v2_1` is `None` for what
    /// only v3.0 has).
    pub fn root(self) -> AnyRoot {
        any_root(self.v3_root())
    }

    /// Whether API `version` has this section.
    pub fn exists_in(self, version: Version) -> bool {
        match version {
            Version::V2_1 => self.root().v2_1.is_some(),
            Version::V3_0 => true,
        }
    }
}

impl From<Section> for ApiSection {
    fn from(s: Section) -> ApiSection {
        match s {
            Section::Record => ApiSection::Record,
            Section::Person => ApiSection::Person,
            Section::PersonalDetails => ApiSection::PersonalDetails,
            Section::Biography => ApiSection::Biography,
            Section::Emails => ApiSection::Emails,
            Section::Activities => ApiSection::Activities,
            Section::List(k) => ApiSection::List(v3_section(k)),
        }
    }
}

impl From<v3_0::section::ItemSection> for ApiSection {
    fn from(s: v3_0::section::ItemSection) -> ApiSection {
        ApiSection::List(s)
    }
}

impl fmt::Display for ApiSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path_segment())
    }
}

/// The v3.0 section of a v2.1 one: its namesake (v3.0 has every v2.1
/// section, and more).
pub fn v3_section(s: ItemSection) -> v3_0::section::ItemSection {
    match s {
        ItemSection::OtherName => v3_0::section::ItemSection::OtherName,
        ItemSection::ResearcherUrl => v3_0::section::ItemSection::ResearcherUrl,
        ItemSection::Address => v3_0::section::ItemSection::Address,
        ItemSection::Keyword => v3_0::section::ItemSection::Keyword,
        ItemSection::ExternalIdentifier => v3_0::section::ItemSection::ExternalIdentifier,
        ItemSection::Education => v3_0::section::ItemSection::Education,
        ItemSection::Employment => v3_0::section::ItemSection::Employment,
        ItemSection::Funding => v3_0::section::ItemSection::Funding,
        ItemSection::PeerReview => v3_0::section::ItemSection::PeerReview,
        ItemSection::Work => v3_0::section::ItemSection::Work,
    }
}

/// The v2.1 section of a v3.0 one, `None` for the sections only v3.0 has
/// (`distinction`, `invited-position`, `membership`, `qualification`,
/// `service`, `research-resource`).
pub fn v2_section(s: v3_0::section::ItemSection) -> Option<ItemSection> {
    ItemSection::from_name(s.name())
}

/// A v3.0 root and its v2.1 namesake, if any.
fn any_root(root: v3_0::Root) -> AnyRoot {
    AnyRoot {
        v2_1: Root::from_name(&root.qualified_name()).ok(),
        v3_0: Some(root),
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

/// A work of one API version, as bulk works send and answer it:
/// v2.1's [`Work`] or v3.0's [`v3_0::work::Work`]. Its type chooses the
/// version of [`MemberApi::add_works_bulk`] and
/// [`MemberApi::read_works_bulk_as`] (`/v2.1/…` or `/v3.0/…`), as an
/// [`AnyDocument`] chooses that of [`MemberApi::add_any`]. Sealed: only
/// these two types implement it.
pub trait BulkWork: Clone + fmt::Debug + sealed::BulkWire {
    /// The API version this work is of.
    const VERSION: Version;

    /// The put-code in its body.
    fn put_code(&self) -> Option<PutCode>;

    /// The work in `doc`, if `doc` is a work (`work:work`) of this version.
    fn of_document(doc: &AnyDocument) -> Option<&Self>;
}

mod sealed {
    use super::*;

    /// What the bulk code path needs of a work, per version; not nameable
    /// outside the crate, which seals [`BulkWork`].
    pub trait BulkWire: Sized {
        /// The work as a `work:work` document (what pre-send validation
        /// checks).
        fn work_document(&self) -> AnyDocument;
        /// A `bulk:bulk` of `works`.
        fn bulk_document(works: Vec<Self>) -> AnyDocument;
        /// The items of a `bulk:bulk` answer in this version: each a work
        /// or ORCID's error in its place; an error if `doc` is no bulk.
        fn bulk_items(doc: AnyDocument) -> Result<Vec<Answer<Self>>, Error>;
    }

    /// One item of a bulk answer, either version.
    pub enum Answer<W> {
        /// A work (created, or read).
        Work(Box<W>),
        /// ORCID's error in the work's place.
        Error(ApiError),
    }
}

use sealed::Answer;

impl BulkWork for Work {
    const VERSION: Version = Version::V2_1;

    fn put_code(&self) -> Option<PutCode> {
        self.put_code
    }

    fn of_document(doc: &AnyDocument) -> Option<&Self> {
        match doc {
            AnyDocument::V2_1(Document::WorkWork(w)) => Some(w),
            _ => None,
        }
    }
}

impl sealed::BulkWire for Work {
    fn work_document(&self) -> AnyDocument {
        AnyDocument::V2_1(Document::WorkWork(Box::new(self.clone())))
    }

    fn bulk_document(works: Vec<Self>) -> AnyDocument {
        AnyDocument::V2_1(Document::BulkBulk(Box::new(Bulk {
            bulk: works
                .into_iter()
                .map(|w| BulkItem::Work(Box::new(w)))
                .collect(),
        })))
    }

    fn bulk_items(doc: AnyDocument) -> Result<Vec<Answer<Self>>, Error> {
        match doc {
            AnyDocument::V2_1(Document::BulkBulk(b)) => Ok(b
                .bulk
                .into_iter()
                .map(|item| match item {
                    BulkItem::Work(w) => Answer::Work(w),
                    BulkItem::Error(e) => Answer::Error(ApiError::from_orcid_error(&e)),
                })
                .collect()),
            other => Err(not_a_bulk(&other)),
        }
    }
}

impl BulkWork for v3_0::work::Work {
    const VERSION: Version = Version::V3_0;

    fn put_code(&self) -> Option<PutCode> {
        self.put_code
    }

    fn of_document(doc: &AnyDocument) -> Option<&Self> {
        match doc {
            AnyDocument::V3_0(v3_0::Document::WorkWork(w)) => Some(w),
            _ => None,
        }
    }
}

impl sealed::BulkWire for v3_0::work::Work {
    fn work_document(&self) -> AnyDocument {
        AnyDocument::V3_0(v3_0::Document::WorkWork(Box::new(self.clone())))
    }

    fn bulk_document(works: Vec<Self>) -> AnyDocument {
        use v3_0::bulk::{Bulk, BulkItem};
        AnyDocument::V3_0(v3_0::Document::BulkBulk(Box::new(Bulk {
            bulk: works
                .into_iter()
                .map(|w| BulkItem::Work(Box::new(w)))
                .collect(),
        })))
    }

    fn bulk_items(doc: AnyDocument) -> Result<Vec<Answer<Self>>, Error> {
        use v3_0::bulk::BulkItem;
        match doc {
            AnyDocument::V3_0(v3_0::Document::BulkBulk(b)) => Ok(b
                .bulk
                .into_iter()
                .map(|item| match item {
                    BulkItem::Work(w) => Answer::Work(w),
                    BulkItem::Error(e) => Answer::Error(ApiError::from_orcid_error_v3(&e)),
                })
                .collect()),
            other => Err(not_a_bulk(&other)),
        }
    }
}

/// The answer to a bulk request that is not a `bulk:bulk` (of the
/// version asked).
fn not_a_bulk(doc: &AnyDocument) -> Error {
    Error::UnexpectedResponse(format!(
        "expected `bulk:bulk`, got a v{} `{}`",
        doc.version(),
        doc.root_name()
    ))
}

/// What happened to one work of [`MemberApi::add_works_bulk`], in input
/// order. `W` is the work's type, and so its API version: v2.1's [`Work`]
/// (the default) or v3.0's [`v3_0::work::Work`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BulkAddOutcome<W = Work> {
    /// Created; ORCID's stored copy (with put-code, source, dates).
    Created {
        /// The new put-code.
        put_code: PutCode,
        /// The work as stored.
        work: Box<W>,
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

impl<W> BulkAddOutcome<W> {
    /// The put-code, if created.
    pub fn put_code(&self) -> Option<PutCode> {
        match self {
            BulkAddOutcome::Created { put_code, .. } => Some(*put_code),
            _ => None,
        }
    }
}

/// One put-code of [`MemberApi::read_works_bulk`] (v2.1's [`Work`], the
/// default `W`) or [`MemberApi::read_works_bulk_as`] (either version).
#[derive(Debug, Clone)]
pub struct BulkReadOutcome<W = Work> {
    /// The put-code asked for.
    pub put_code: PutCode,
    /// The work, or ORCID's per-item error (9034 unknown put-code →
    /// [`ErrorKind::NotFound`], 9013 private).
    pub result: Result<Box<W>, ApiError>,
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
    /// group-id records. Its version ([`MemberApi::version`]) is the
    /// configured one ([`ClientConfig::api_version`](crate::ClientConfig::api_version)).
    pub fn member<'a>(&'a self, token: &'a SecretString) -> MemberApi<'a> {
        MemberApi {
            client: self,
            token,
            version: self.config().api_version,
        }
    }
}

/// The member API with one access token. Made by [`OrcidClient::member`].
///
/// The `*_any` methods speak the API version of [`MemberApi::version`]
/// (reads, deletes) or of the document sent (adds, updates); the methods
/// typed with v2.1's [`Document`] always speak v2.1.
pub struct MemberApi<'a> {
    client: &'a OrcidClient,
    token: &'a SecretString,
    version: Version,
}

impl fmt::Debug for MemberApi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberApi")
            .field("client", self.client)
            .field("token", self.token)
            .field("version", &self.version)
            .finish()
    }
}

impl MemberApi<'_> {
    /// The API version of the `*_any` reads and deletes.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The same API at another version.
    pub fn with_version(mut self, version: Version) -> Self {
        self.version = version;
        self
    }

    // ----- either version -----

    /// One section (`GET /{orcid}/{section}`) in [`MemberApi::version`]:
    /// in v3.0 e.g. `activities:distinctions` with its affiliation groups,
    /// or the `summary:record-summary`.
    pub fn read_section_any(
        &self,
        orcid: &OrcidId,
        section: ApiSection,
    ) -> Result<AnyDocument, Error> {
        self.read_section_in(self.version, orcid, section)
    }

    /// One item (`GET /{orcid}/{kind}/{put-code}`) in [`MemberApi::version`].
    pub fn read_item_any(
        &self,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<AnyDocument, Error> {
        self.read_item_in(self.version, orcid, kind, put_code)
    }

    /// The summary of an activity (`GET /{orcid}/{kind}/summary/{put-code}`)
    /// in [`MemberApi::version`].
    pub fn read_summary_any(
        &self,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<AnyDocument, Error> {
        self.read_summary_in(self.version, orcid, kind, put_code)
    }

    /// Adds an item (`POST /v{version}/{orcid}/{kind}`) in the document's
    /// own version, kind from the document; returns the put-code from the
    /// `Location` of the 201. Validated first (in that version) unless
    /// validation is off. Never retried (see the crate docs).
    pub fn add_any(&self, orcid: &OrcidId, item: &AnyDocument) -> Result<PutCode, Error> {
        let version = item.version();
        let kind = any_item_section(item)?;
        self.client
            .check_payload_any(item, Operation::Create, None)?;
        let path = format!("{}/{}", checked(orcid)?, kind.item_path());
        self.post_for_put_code(version, &path, item)
    }

    /// Updates an item (`PUT /v{version}/{orcid}/{kind}/{put-code}`) in the
    /// document's own version; returns ORCID's stored copy. The body's
    /// put-code must equal `put_code` ([`Error::PutCodeMismatch`]
    /// otherwise, before anything is sent).
    pub fn update_any(
        &self,
        orcid: &OrcidId,
        put_code: PutCode,
        item: &AnyDocument,
    ) -> Result<AnyDocument, Error> {
        let version = item.version();
        let kind = any_item_section(item)?;
        let body = put_code_of_any(item);
        if body != Some(put_code) {
            return Err(Error::PutCodeMismatch {
                url: put_code,
                body,
            });
        }
        self.client
            .check_payload_any(item, Operation::Update, Some(put_code))?;
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        let req = self.write_request(version, Method::Put, &path, item)?;
        let resp = self.client.execute_expect(&req, &[200])?;
        self.client
            .decode_any(&resp, version, any_root(kind.root()))
    }

    /// Deletes an item (`DELETE /{orcid}/{kind}/{put-code}`) in
    /// [`MemberApi::version`]. A 404 is [`Deleted::AlreadyGone`], not an
    /// error.
    pub fn delete_any(
        &self,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<Deleted, Error> {
        self.delete_in(self.version, orcid, kind, put_code)
    }

    fn read_section_in(
        &self,
        version: Version,
        orcid: &OrcidId,
        section: ApiSection,
    ) -> Result<AnyDocument, Error> {
        root_name_in(section.root(), version)?;
        let path = format!("{}/{}", checked(orcid)?, section.path_segment());
        self.get_any(version, &path, section.root())
    }

    fn read_item_in(
        &self,
        version: Version,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<AnyDocument, Error> {
        section_in(kind, version)?;
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        self.get_any(version, &path, any_root(kind.root()))
    }

    fn read_summary_in(
        &self,
        version: Version,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<AnyDocument, Error> {
        section_in(kind, version)?;
        let root = kind.summary_root().ok_or_else(|| {
            Error::InvalidArgument(format!("`{}` items have no summary", kind.name()))
        })?;
        let path = format!(
            "{}/{}/summary/{}",
            checked(orcid)?,
            kind.item_path(),
            put_code
        );
        self.get_any(version, &path, any_root(root))
    }

    fn delete_in(
        &self,
        version: Version,
        orcid: &OrcidId,
        kind: v3_0::section::ItemSection,
        put_code: PutCode,
    ) -> Result<Deleted, Error> {
        section_in(kind, version)?;
        let path = format!("{}/{}/{}", checked(orcid)?, kind.item_path(), put_code);
        self.delete_path(version, &path)
    }

    // ----- reading (v2.1, typed) -----

    /// The whole record (`GET /v2.1/{orcid}/record`).
    pub fn read_record(&self, orcid: &OrcidId) -> Result<Record, Error> {
        match self.read_section(orcid, Section::Record)? {
            Document::RecordRecord(r) => Ok(*r),
            other => Err(unexpected(Root::RecordRecord, &other)),
        }
    }

    /// One section (`GET /v2.1/{orcid}/{section}`).
    pub fn read_section(&self, orcid: &OrcidId, section: Section) -> Result<Document, Error> {
        v2(self.read_section_in(Version::V2_1, orcid, section.into())?)
    }

    /// One item (`GET /v2.1/{orcid}/{kind}/{put-code}`).
    pub fn read_item(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Document, Error> {
        v2(self.read_item_in(Version::V2_1, orcid, v3_section(kind), put_code)?)
    }

    /// One work, typed.
    pub fn read_work(&self, orcid: &OrcidId, put_code: PutCode) -> Result<Work, Error> {
        match self.read_item(orcid, ItemSection::Work, put_code)? {
            Document::WorkWork(w) => Ok(*w),
            other => Err(unexpected(Root::WorkWork, &other)),
        }
    }

    /// The summary of an activity (`GET /v2.1/{orcid}/{kind}/summary/{put-code}`).
    pub fn read_summary(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Document, Error> {
        v2(self.read_summary_in(Version::V2_1, orcid, v3_section(kind), put_code)?)
    }

    /// v2.1 works by put-code (`GET /v2.1/{orcid}/works/{pc,pc,…}`):
    /// [`MemberApi::read_works_bulk_as`] of v2.1's [`Work`].
    pub fn read_works_bulk(
        &self,
        orcid: &OrcidId,
        put_codes: &[PutCode],
    ) -> Result<Vec<BulkReadOutcome>, Error> {
        self.read_works_bulk_as::<Work>(orcid, put_codes)
    }

    /// Works by put-code (`GET /v{version}/{orcid}/works/{pc,pc,…}`) in the
    /// version of `W` (v2.1's [`Work`] or v3.0's [`v3_0::work::Work`]), in
    /// requests of at most `bulk_read_max` put-codes; one outcome per
    /// put-code, in input order.
    ///
    /// ```no_run
    /// # use orcid_client::{MemberApi, Error};
    /// # use orcid_model::{scalar::{OrcidId, PutCode}, v3_0};
    /// # fn f(api: &MemberApi<'_>, orcid: &OrcidId) -> Result<(), Error> {
    /// let read = api.read_works_bulk_as::<v3_0::work::Work>(orcid, &[PutCode(7), PutCode(8)])?;
    /// for r in read {
    ///     match r.result {
    ///         Ok(work) => println!("{}: {:?}", r.put_code, work.title.and_then(|t| t.title)),
    ///         Err(e) => println!("{}: {e}", r.put_code),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn read_works_bulk_as<W: BulkWork>(
        &self,
        orcid: &OrcidId,
        put_codes: &[PutCode],
    ) -> Result<Vec<BulkReadOutcome<W>>, Error> {
        let orcid = checked(orcid)?;
        let mut out = Vec::with_capacity(put_codes.len());
        for chunk in put_codes.chunks(self.client.config().bulk_read_max.max(1)) {
            let list = chunk
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let path = format!("{orcid}/works/{list}");
            let doc = self.get_any(W::VERSION, &path, any_root(v3_0::Root::BulkBulk))?;
            out.extend(match_bulk_read(chunk, W::bulk_items(doc)?)?);
        }
        Ok(out)
    }

    // ----- writing -----

    /// Adds an item (`POST /v2.1/{orcid}/{kind}`, kind from the
    /// document): [`MemberApi::add_any`] at v2.1.
    pub fn add(&self, orcid: &OrcidId, item: &Document) -> Result<PutCode, Error> {
        self.add_any(orcid, &AnyDocument::V2_1(item.clone()))
    }

    /// Updates an item (`PUT /v2.1/{orcid}/{kind}/{put-code}`):
    /// [`MemberApi::update_any`] at v2.1.
    pub fn update(
        &self,
        orcid: &OrcidId,
        put_code: PutCode,
        item: &Document,
    ) -> Result<Document, Error> {
        v2(self.update_any(orcid, put_code, &AnyDocument::V2_1(item.clone()))?)
    }

    /// Deletes an item (`DELETE /v2.1/{orcid}/{kind}/{put-code}`); a 404 is
    /// [`Deleted::AlreadyGone`].
    pub fn delete(
        &self,
        orcid: &OrcidId,
        kind: ItemSection,
        put_code: PutCode,
    ) -> Result<Deleted, Error> {
        self.delete_in(Version::V2_1, orcid, v3_section(kind), put_code)
    }

    /// Adds works in bulk (`POST /v{version}/{orcid}/works`) in the version
    /// of `W` (v2.1's [`Work`] or v3.0's [`v3_0::work::Work`]), in requests
    /// of at most `bulk_write_max` (100) works; one outcome per work, in
    /// input order.
    ///
    /// Each work is validated on its own first, in its version, as
    /// [`MemberApi::add_any`] does (unless validation is off); invalid ones
    /// become [`BulkAddOutcome::Invalid`] and are not sent.
    /// A request that fails as a whole marks its works
    /// [`BulkAddOutcome::RequestFailed`]; the following requests are still
    /// sent only if that failure was about the payload
    /// ([`ErrorKind::FixPayload`]), otherwise their works are
    /// [`BulkAddOutcome::NotSent`].
    ///
    /// ```no_run
    /// # use orcid_client::{BulkAddOutcome, MemberApi};
    /// # use orcid_model::{scalar::OrcidId, v3_0};
    /// # fn f(api: &MemberApi<'_>, orcid: &OrcidId, works: &[v3_0::work::Work]) {
    /// // v3.0 works: POST /v3.0/{orcid}/works
    /// for outcome in api.add_works_bulk(orcid, works) {
    ///     match outcome {
    ///         BulkAddOutcome::Created { put_code, .. } => println!("created {put_code}"),
    ///         BulkAddOutcome::Rejected(e) => println!("refused: {e}"),
    ///         other => println!("{other:?}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn add_works_bulk<W: BulkWork>(
        &self,
        orcid: &OrcidId,
        works: &[W],
    ) -> Vec<BulkAddOutcome<W>> {
        let mut outcomes: Vec<Option<BulkAddOutcome<W>>> = vec![None; works.len()];
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
            match self
                .client
                .check_payload_any(&w.work_document(), Operation::Create, None)
            {
                Ok(()) => pending.push(i),
                Err(Error::Invalid(p)) => {
                    outcomes[i] = Some(BulkAddOutcome::Invalid(Box::new(p.report)))
                }
                Err(e) => outcomes[i] = Some(BulkAddOutcome::RequestFailed(e)),
            }
        }
        let mut stop = false;
        for chunk in pending.chunks(self.client.config().bulk_write_max.max(1)) {
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

    fn post_bulk<W: BulkWork>(
        &self,
        orcid: &str,
        works: &[W],
        chunk: &[usize],
    ) -> Result<Vec<BulkAddOutcome<W>>, Error> {
        let doc = W::bulk_document(chunk.iter().map(|&i| works[i].clone()).collect());
        let req = self.write_request(W::VERSION, Method::Post, &format!("{orcid}/works"), &doc)?;
        let resp = self.client.execute_expect(&req, &[200])?;
        let answer = self
            .client
            .decode_any(&resp, W::VERSION, any_root(v3_0::Root::BulkBulk))?;
        let items = W::bulk_items(answer)?;
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
                Answer::Work(w) => match w.put_code() {
                    Some(put_code) => BulkAddOutcome::Created { put_code, work: w },
                    None => BulkAddOutcome::RequestFailed(Error::UnexpectedResponse(
                        "a created work in the bulk answer has no put-code".into(),
                    )),
                },
                Answer::Error(e) => BulkAddOutcome::Rejected(e),
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
        self.post_for_put_code(Version::V2_1, &path, &AnyDocument::V2_1(doc))
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
        let req = self.request(Version::V2_1, Method::Delete, &path);
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
        self.post_for_put_code(Version::V2_1, "group-id-record", &AnyDocument::V2_1(doc))
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
        let req = self.write_request(
            Version::V2_1,
            Method::Put,
            &format!("group-id-record/{put_code}"),
            &AnyDocument::V2_1(doc),
        )?;
        let resp = self.client.execute_expect(&req, &[200])?;
        match self.client.decode(&resp, Root::GroupIdGroupIdRecord)? {
            Document::GroupIdGroupIdRecord(r) => Ok(*r),
            other => Err(unexpected(Root::GroupIdGroupIdRecord, &other)),
        }
    }

    /// Deletes a group-id record.
    pub fn delete_group_id_record(&self, put_code: PutCode) -> Result<Deleted, Error> {
        self.delete_path(Version::V2_1, &format!("group-id-record/{put_code}"))
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

    // ----- search (any valid token; v3.0 adds expanded and CSV search) -----

    /// Searches the registry (`GET /search?q=…&start=…&rows=…`) in the
    /// client's API version: a `search:search` document of matching iDs.
    /// ORCID takes `rows` up to 1000 in v3.0 (200 in v2.1) and answers
    /// 400/9012 beyond.
    pub fn search(&self, query: &str, start: u32, rows: u32) -> Result<AnyDocument, Error> {
        let version = self.version();
        let root = AnyRoot::from_name("search:search")?;
        self.get_any(version, &search_path("search", query, start, rows), root)
    }

    /// v3.0's expanded search (`GET /expanded-search`): names, e-mails and
    /// institutions of the matching researchers, whatever the client's
    /// version.
    pub fn expanded_search(
        &self,
        query: &str,
        start: u32,
        rows: u32,
    ) -> Result<v3_0::expanded_search::ExpandedSearch, Error> {
        let path = search_path("expanded-search", query, start, rows);
        let root = AnyRoot::from_name("expanded-search:expanded-search")?;
        match self.get_any(Version::V3_0, &path, root)? {
            AnyDocument::V3_0(v3_0::Document::ExpandedSearchExpandedSearch(s)) => Ok(*s),
            other => Err(Error::UnexpectedResponse(format!(
                "expected `expanded-search:expanded-search`, got `{}`",
                other.root_name()
            ))),
        }
    }

    /// v3.0's CSV search (`GET /csv-search?q=…&fl=…`, `text/csv`): the
    /// answer as ORCID's Solr writes it. `fields` are the columns
    /// (`orcid`, `email`, `given-names`, `family-name`, …); empty for all.
    pub fn csv_search(
        &self,
        query: &str,
        fields: &[&str],
        start: u32,
        rows: u32,
    ) -> Result<String, Error> {
        let mut path = search_path("csv-search", query, start, rows);
        if !fields.is_empty() {
            path.push_str("&fl=");
            path.push_str(&encode_query(&fields.join(",")));
        }
        let mut req = self.request(Version::V3_0, Method::Get, &path);
        req.accept = "text/csv";
        Ok(self.client.execute_expect(&req, &[200])?.body)
    }

    // ----- plumbing -----

    fn request(&self, version: Version, method: Method, path: &str) -> HttpRequest {
        let mut req = HttpRequest::new(
            method,
            self.client.api_url(version, path),
            self.client.media_type(),
        );
        req.bearer = Some(self.token.clone());
        req
    }

    fn write_request(
        &self,
        version: Version,
        method: Method,
        path: &str,
        doc: &AnyDocument,
    ) -> Result<HttpRequest, Error> {
        let mut req = self.request(version, method, path);
        req.body = Some((self.client.media_type(), self.client.encode(doc)?));
        Ok(req)
    }

    /// A v2.1 `GET` of `root`.
    fn get(&self, path: &str, root: Root) -> Result<Document, Error> {
        let req = self.request(Version::V2_1, Method::Get, path);
        let resp = self.client.execute_expect(&req, &[200])?;
        self.client.decode(&resp, root)
    }

    fn get_any(&self, version: Version, path: &str, root: AnyRoot) -> Result<AnyDocument, Error> {
        let req = self.request(version, Method::Get, path);
        let resp = self.client.execute_expect(&req, &[200])?;
        self.client.decode_any(&resp, version, root)
    }

    fn post_for_put_code(
        &self,
        version: Version,
        path: &str,
        doc: &AnyDocument,
    ) -> Result<PutCode, Error> {
        let req = self.write_request(version, Method::Post, path, doc)?;
        let resp = self.client.execute_expect(&req, &[201])?;
        put_code_from_location(&resp)
    }

    fn delete_path(&self, version: Version, path: &str) -> Result<Deleted, Error> {
        let req = self.request(version, Method::Delete, path);
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
        let report = validate_document(doc, &send_context(operation, url_put_code));
        refuse_unless_valid(report, &doc.root().qualified_name())
    }

    /// Pre-send validation of a document of either version, in its own
    /// version.
    pub(crate) fn check_payload_any(
        &self,
        doc: &AnyDocument,
        operation: Operation,
        url_put_code: Option<PutCode>,
    ) -> Result<(), Error> {
        let doc = match doc {
            AnyDocument::V2_1(d) => return self.check_payload(d, operation, url_put_code),
            AnyDocument::V3_0(_) => doc,
        };
        if !self.config().validate {
            return Ok(());
        }
        let report = validate_any_document(doc, &send_context(operation, url_put_code));
        refuse_unless_valid(report, &doc.root_name())
    }
}

/// The request facts pre-send validation knows.
fn send_context(operation: Operation, url_put_code: Option<PutCode>) -> Context {
    Context {
        operation,
        url_put_code,
        ..Context::default()
    }
}

/// `Ok` for a report without errors, else the refusal of the payload
/// (document `root`).
fn refuse_unless_valid(report: Report, root: &str) -> Result<(), Error> {
    if report.is_valid() {
        Ok(())
    } else {
        tracing::debug!(
            root = %root,
            errors = report.error_count(),
            "payload refused before sending"
        );
        Err(Error::Invalid(Box::new(InvalidPayload { report })))
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

/// The item section of a document of either version, as v3.0 names it.
fn any_item_section(doc: &AnyDocument) -> Result<v3_0::section::ItemSection, Error> {
    let kind = match doc {
        AnyDocument::V2_1(d) => ItemSection::of_root(d.root()).map(v3_section),
        AnyDocument::V3_0(d) => v3_0::section::ItemSection::of_root(d.root()),
    };
    kind.ok_or_else(|| {
        Error::InvalidArgument(format!(
            "`{}` is not an item that can be added or updated one by one",
            doc.root_name()
        ))
    })
}

/// `kind`, if API `version` has it.
fn section_in(kind: v3_0::section::ItemSection, version: Version) -> Result<(), Error> {
    match version {
        Version::V2_1 if v2_section(kind).is_none() => Err(Error::InvalidArgument(format!(
            "`{}` items exist in ORCID API v3.0 only, not v2.1",
            kind.name()
        ))),
        _ => Ok(()),
    }
}

/// The v2.1 document of an answer read at v2.1.
fn v2(doc: AnyDocument) -> Result<Document, Error> {
    match doc {
        AnyDocument::V2_1(d) => Ok(d),
        AnyDocument::V3_0(d) => Err(Error::UnexpectedResponse(format!(
            "a v3.0 `{}` where v2.1 was asked for",
            d.root().qualified_name()
        ))),
    }
}

/// `{endpoint}?q=…&start=…&rows=…`, the query URL-encoded.
fn search_path(endpoint: &str, query: &str, start: u32, rows: u32) -> String {
    format!(
        "{endpoint}?q={}&start={start}&rows={rows}",
        encode_query(query)
    )
}

/// `application/x-www-form-urlencoded` encoding of a query value.
fn encode_query(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
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

/// The put-code in an item document's body, of either version.
pub fn put_code_of_any(doc: &AnyDocument) -> Option<PutCode> {
    match doc {
        AnyDocument::V2_1(d) => put_code_of(d),
        AnyDocument::V3_0(d) => match d.item_envelope() {
            Some(item) => *item.put_code,
            None => match d {
                v3_0::Document::GroupIdGroupIdRecord(x) => x.put_code,
                v3_0::Document::NotificationNotification(x) => x.put_code,
                _ => None,
            },
        },
    }
}

/// The put-code of a 201: the last path segment of `Location`
/// (`…/v3.0/{orcid}/{section}/{put-code}`); hosts are not compared.
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

/// Pairs a bulk read answer (each item a work or ORCID's error) with the
/// put-codes asked: works by their put-code, errors in order over the rest.
fn match_bulk_read<W: BulkWork>(
    asked: &[PutCode],
    items: Vec<Answer<W>>,
) -> Result<Vec<BulkReadOutcome<W>>, Error> {
    if items.len() != asked.len() {
        return Err(Error::UnexpectedResponse(format!(
            "bulk read answered {} items for {} put-codes",
            items.len(),
            asked.len()
        )));
    }
    let mut slots: Vec<Option<Result<Box<W>, ApiError>>> = vec![None; asked.len()];
    let index: HashMap<PutCode, Vec<usize>> =
        asked
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, p)| {
                m.entry(*p).or_default().push(i);
                m
            });
    let mut leftovers = Vec::new();
    for item in items {
        match item {
            Answer::Work(w) => {
                let slot = w
                    .put_code()
                    .and_then(|p| index.get(&p))
                    .and_then(|is| is.iter().copied().find(|&i| slots[i].is_none()));
                match slot {
                    Some(i) => slots[i] = Some(Ok(w)),
                    None => leftovers.push(Ok(w)),
                }
            }
            Answer::Error(e) => leftovers.push(Err(e)),
        }
    }
    for r in leftovers {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every v2.1 section has a v2.1 answer root, named as the v3.0 one.
    #[test]
    fn every_v2_1_section_has_its_root_and_path() {
        for s in Section::all() {
            assert_eq!(
                s.root().qualified_name(),
                ApiSection::from(s).v3_root().qualified_name(),
                "{s}"
            );
        }
        assert_eq!(Section::Biography.root(), Root::PersonalDetailsBiography);
        assert_eq!(Section::Emails.path_segment(), "email");
        let works = Section::List(ItemSection::Work);
        assert_eq!(works.root(), Root::ActivitiesWorks);
        assert_eq!(works.path_segment(), "works");
    }
}
