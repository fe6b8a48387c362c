//! The member API v3.0 (`/v3.0/{orcid}/…`, `docs/orcid-v3.md` §3) over the
//! same record store as v2.1: an item written in one version is read,
//! updated and deleted in the other under the same put-code.
//!
//! Its pieces ([`V3_0`]) of the request flow of [`crate::api`], so checks
//! come in v2.1's order: bodies are validated as v3.0
//! (`orcid_validate::validate_text` with [`Version::V3_0`]: the v3.0 XSD
//! and ORCID's v3.0 rules, each with its code), and the status
//! codes and error bodies are v2.1's (the `error:error` structure is the
//! same in both versions). Differences from v2.1:
//!
//! * the v3-only sections `distinction`, `invited-position`, `membership`,
//!   `qualification`, `service` and `research-resource` (AFFILIATIONS
//!   scopes, [`crate::items::SectionScopes`]);
//! * duplicates (409/9021) need the same type and the same value as ORCID
//!   normalizes it per type (`orcid_model::identifiers::same_id`; raw
//!   values for fundings) with both relationships `self` (or both absent),
//!   and apply to
//!   affiliations of the same type too, research resources on POST only
//!   (§2);
//! * an affiliation PUT checks the source (403/9010) before the rules;
//! * a body not in the format its `Content-Type` names is refused (400)
//!   before it is validated;
//! * sections are read grouped (`affiliation-group`, `peer-review-group`),
//!   see [`crate::views3`], and external ids carry `external-id-normalized`
//!   or its 8001 error where ORCID's reads do ([`views3::set_normalized`]).
//!
//! Bulk works (`POST /works`, `GET /works/{pc,…}`) as in v2.1: each work
//! gets ORCID's rules and the duplicate check, its error in place. ORCID
//! does not check a v3.0 bulk against the XSD; the mock reads it with the
//! typed model, so a work the model cannot read fails the whole bulk
//! (400/9001 or 9047) where ORCID might store what it could read. Each
//! work created gets its own AMENDED notification.
//! Search, expanded search and CSV search: [`crate::search`].
//! Permission notifications are one inbox for both versions (a v3.0 one
//! with a v3-only item type is hidden from v2.1).

use orcid_model::identifiers::{self, IdPlace};
use orcid_model::scalar::DateTime;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::bulk::{Bulk, BulkItem};
use orcid_model::v3_0::common::{ExternalId, Source, Visibility as Visibility3};
use orcid_model::v3_0::notification::{Notification as Notification3, Notifications};
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::v3_0::{Document as Doc3, Root as Root3};
use orcid_model::{convert, detect_format, AnyRoot, Document, Format, Version};
use orcid_validate::{validate_text, Context, Operation, Report, Severity};

use crate::api::{
    check_record, duplicate_activity, require_scope, rule_error, visible, xsd_error, ApiVersion,
    Caller, Req,
};
use crate::api2::V2_1;
use crate::config::ClientConfig;
use crate::http::{ApiError, Fmt, Negotiated};
use crate::items::{self, v2_section, ApiSection};
use crate::search::Kind;
use crate::store::{Notification, Store, StoredItemV3};
use crate::views::{self, ActivityItems};
use crate::views3;

/// The member API v3.0.
pub(crate) struct V3_0;

impl ApiVersion for V3_0 {
    const PREFIX: &'static str = "v3.0";
    const VERSION: Version = Version::V3_0;
    const EXTRA_VIEWS: &'static [&'static str] = &["summary"];
    const AMEND_EACH_BULK_WORK: bool = true;
    const PERMISSION_VERSION: Option<&'static str> = Some("3.0");

    type Section = Section3;
    type Doc = Doc3;
    type Root = Root3;
    type Source = Source;
    type BulkRaw = BulkItem;
    type BulkItem = BulkItem;
    type Notification = Notification3;

    crate::api::model_fields!(Doc3, Root3, duplicate_ids);
    fn check_format(fmt: Fmt, text: &str) -> Result<(), ApiError> {
        let expected = match fmt {
            Fmt::Xml => Format::Xml,
            Fmt::Json => Format::Json,
        };
        if detect_format(text) == Some(expected) {
            Ok(())
        } else {
            Err(xsd_error(
                None,
                fmt,
                "the body is not in the format its Content-Type names",
            ))
        }
    }
    fn validate(text: &str, _: Fmt, root: Root3, ctx: &Context) -> Report {
        let any_root = AnyRoot {
            v2_1: None,
            v3_0: Some(root),
        };
        validate_text(text, Some(any_root), Version::V3_0, ctx)
    }

    crate::api::envelope_fields!(vis2, vis3);
    fn client_source(client: &ClientConfig) -> Source {
        views3::client_source(&client.id, &client.name)
    }
    fn summary(doc: &Doc3) -> Option<Doc3> {
        views3::summary(doc)
    }
    fn title(doc: &Doc3) -> String {
        title(doc)
    }

    /// Activities (affiliations too) clash by [`ids_clash`] (ORCID's
    /// normalized comparison); person items,
    /// the same in both versions, by v2.1's key.
    fn check_duplicates(
        store: &Store,
        orcid: &str,
        section: Section3,
        client_id: &str,
        doc: &Doc3,
        exclude: Option<i64>,
    ) -> Result<(), ApiError> {
        if section.is_activity() {
            let (place, ids) = (duplicate_place(doc), duplicate_ids(doc));
            let clash = store
                .items_of(orcid, section)
                .into_iter()
                .filter(|i| i.client_id == client_id && Some(i.put_code) != exclude)
                .find(|existing| {
                    let theirs = duplicate_ids(&existing.doc);
                    ids.iter()
                        .any(|a| theirs.iter().any(|b| ids_clash(place, a, b)))
                });
            return match clash {
                Some(existing) => Err(duplicate_activity(existing.put_code)),
                None => Ok(()),
            };
        }
        match (v2_section(section), downgraded(doc)) {
            (Some(v2), Some(d2)) => {
                V2_1::check_duplicates(store, orcid, v2, client_id, &d2, exclude)
            }
            _ => Ok(()),
        }
    }
    /// ORCID checks research resources for duplicates on POST only.
    fn duplicates_on_put(section: Section3) -> bool {
        section != Section3::ResearchResource
    }
    /// Affiliations check the source before the rules (`docs/orcid-v3.md` §2).
    fn source_before_rules(section: Section3) -> bool {
        views3::is_affiliation(section)
    }
    /// ORCID's `external-id-normalized(-error)` ([`views3::set_normalized`]).
    fn server_fields(doc: &mut Doc3) {
        views3::set_normalized(doc);
    }

    fn view(r: &Req<'_>, what: &str) -> Result<Doc3, ApiError> {
        view(r, what)
    }

    /// The bulk must read as a whole (see the module docs).
    fn bulk_split(fmt: Fmt, text: &str) -> Result<Vec<BulkItem>, ApiError> {
        let (doc, _) =
            crate::api::parse_item::<V3_0>(Root3::BulkBulk, fmt, text, &Context::default(), false)
                .map_err(|e| e.0)?;
        match doc {
            Doc3::BulkBulk(bulk) => Ok(bulk.bulk),
            _ => Err(ApiError::not_found()),
        }
    }
    /// ORCID's rules for each work; what is not a work is skipped.
    fn bulk_work(raw: BulkItem) -> Result<Option<Result<Doc3, ApiError>>, ApiError> {
        let BulkItem::Work(w) = raw else {
            return Ok(None);
        };
        let doc = Doc3::WorkWork(w);
        let ctx = Context {
            operation: Operation::Create,
            ..Context::default()
        };
        let report = orcid_validate::validate_any_document(
            &orcid_model::AnyDocument::V3_0(doc.clone()),
            &ctx,
        );
        let rule = report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error && d.code.is_rule());
        Ok(Some(match rule {
            Some(d) => Err(rule_error(d, None, Self::put_code(&doc))),
            None => Ok(doc),
        }))
    }
    fn bulk_item(res: Result<&Doc3, ApiError>) -> BulkItem {
        match res {
            Ok(Doc3::WorkWork(w)) => BulkItem::Work(w.clone()),
            Ok(_) => BulkItem::Error(error_v3(&ApiError::not_found())),
            Err(e) => BulkItem::Error(error_v3(&e)),
        }
    }

    crate::api::notification_fields!();
    /// A stored permission notification as v3.0 shows it.
    fn stored_notification(n: &Notification) -> Option<Notification3> {
        let xml = n.permission_xml.as_ref()?;
        let doc = if n.permission_version.as_deref() == Some("3.0") {
            Doc3::from_xml(xml).ok()?
        } else {
            convert::upgrade(&Document::from_xml(xml).ok()?).ok()?
        };
        match doc {
            Doc3::NotificationNotification(mut x) => {
                x.archived_date = n.archived_ms.map(DateTime::from_epoch_millis);
                Some(*x)
            }
            _ => None,
        }
    }

    fn search_kind(segment: &str) -> Option<Kind> {
        match segment {
            "search" => Some(Kind::Plain),
            "expanded-search" => Some(Kind::Expanded),
            "csv-search" => Some(Kind::Csv),
            _ => None,
        }
    }
    /// Search answers text/csv whatever the Accept header says.
    fn search_unnegotiated(kind: Kind) -> Result<Negotiated, ApiError> {
        if kind == Kind::Csv {
            Ok(Negotiated::DEFAULT)
        } else {
            Err(ApiError::new(
                406,
                9001,
                "the Accept header names no media type this API produces",
            ))
        }
    }
}

fn error_v3(e: &ApiError) -> Box<orcid_model::v3_0::error::OrcidError> {
    let m = e.to_model();
    Box::new(orcid_model::v3_0::error::OrcidError {
        response_code: m.response_code,
        developer_message: m.developer_message,
        user_message: m.user_message,
        error_code: m.error_code,
        more_info: m.more_info,
    })
}

/// v3.0's visibility as v2.1's (the same four values).
fn vis2(v: Visibility3) -> Visibility {
    match v {
        Visibility3::Private => Visibility::Private,
        Visibility3::Limited => Visibility::Limited,
        Visibility3::Public => Visibility::Public,
        Visibility3::RegisteredOnly => Visibility::RegisteredOnly,
    }
}

fn vis3(v: Visibility) -> Visibility3 {
    match v {
        Visibility::Private => Visibility3::Private,
        Visibility::Limited => Visibility3::Limited,
        Visibility::Public => Visibility3::Public,
        Visibility::RegisteredOnly => Visibility3::RegisteredOnly,
    }
}

/// The external ids that count for duplicates (`docs/orcid-v3.md` §2):
/// works, fundings, peer-review identifiers, research-resource proposals
/// and affiliations.
fn duplicate_ids(doc: &Doc3) -> Vec<ExternalId> {
    let ids = match doc {
        Doc3::WorkWork(w) => w.external_ids.as_ref(),
        Doc3::FundingFunding(f) => f.external_ids.as_ref(),
        Doc3::PeerReviewPeerReview(p) => p.review_identifiers.as_ref(),
        Doc3::ResearchResourceResearchResource(r) => {
            r.proposal.as_ref().and_then(|p| p.external_ids.as_ref())
        }
        other => views3::affiliation(other).and_then(|a| a.external_ids.as_ref()),
    };
    ids.map(|e| e.external_id.clone()).unwrap_or_default()
}

/// Where [`duplicate_ids`] come from, which says how they compare.
fn duplicate_place(doc: &Doc3) -> IdPlace {
    match doc {
        Doc3::WorkWork(_) => IdPlace::Work,
        Doc3::FundingFunding(_) => IdPlace::Funding,
        Doc3::PeerReviewPeerReview(_) => IdPlace::PeerReview,
        Doc3::ResearchResourceResearchResource(_) => IdPlace::ResearchResource,
        _ => IdPlace::Affiliation,
    }
}

/// v3.0's duplicate test of a new id against an existing one: both `self`
/// or both without a relationship, the same type, and the same value as
/// ORCID compares it: normalized per type, except for fundings
/// ([`identifiers::same_id`]).
fn ids_clash(place: IdPlace, new: &ExternalId, existing: &ExternalId) -> bool {
    let self_or_none = |r: &Option<String>| matches!(r.as_deref(), None | Some("self"));
    new.external_id_relationship == existing.external_id_relationship
        && self_or_none(&new.external_id_relationship)
        // An id without type or value clashes with none.
        && match (
            &new.external_id_type,
            &new.external_id_value,
            &existing.external_id_type,
            &existing.external_id_value,
        ) {
            (Some(nt), Some(nv), Some(et), Some(ev)) => identifiers::same_id(place, (nt, nv), (et, ev)),
            _ => false,
        }
}

/// The item as v2.1 sees it, if v2.1 can hold it.
fn downgraded(doc: &Doc3) -> Option<Document> {
    convert::downgrade(doc).ok().map(|(d, _)| d)
}

/// A short name of an item (its title) for notifications.
fn title(doc: &Doc3) -> String {
    if let Some(a) = views3::affiliation(doc) {
        return a
            .organization
            .as_ref()
            .and_then(|o| o.name.clone())
            .unwrap_or_default();
    }
    match doc {
        Doc3::ResearchResourceResearchResource(r) => r
            .proposal
            .as_ref()
            .and_then(|p| p.title.as_ref())
            .and_then(|t| t.title.clone())
            .unwrap_or_default(),
        Doc3::WorkWork(w) => w
            .title
            .as_ref()
            .and_then(|t| t.title.clone())
            .unwrap_or_default(),
        other => downgraded(other)
            .map(|d| items::title(&d))
            .unwrap_or_default(),
    }
}

/// The items of a section the caller may see, owned (for the views,
/// built after the store is let go).
fn visible_owned(
    store: &Store,
    caller: &Caller,
    orcid: &str,
    section: Section3,
) -> Vec<StoredItemV3> {
    visible::<V3_0>(store, caller, orcid, section)
        .into_iter()
        .cloned()
        .collect()
}

fn upgraded(doc: &Document) -> Result<Doc3, ApiError> {
    convert::upgrade(doc).map_err(|e| {
        tracing::warn!(error = %e, "a v2.1 view does not upgrade");
        ApiError::new(500, 9008, "Internal error: the view could not be built.")
    })
}

/// The document of a whole section or of a view, as v3.0 shows it.
fn view(r: &Req<'_>, what: &str) -> Result<Doc3, ApiError> {
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let o = r.orcid;
    let activities = || {
        let store = r.state.store();
        views3::activities(o, &|s| visible_owned(&store, r.caller, o, s))
    };
    let person_lists = |p: &mut orcid_model::v3_0::person::Person| {
        let store = r.state.store();
        views3::set_person_lists(p, o, &|s| visible_owned(&store, r.caller, o, s));
    };
    let doc = match what {
        "" | "record" => {
            // The person and history are the same in both versions: v2.1's
            // view upgraded, with v3.0's activities.
            let v2 = {
                let store = r.state.store();
                let pv = crate::api2::person_view(&store, r.caller, &researcher);
                let none = ActivityItems {
                    works: Vec::new(),
                    fundings: Vec::new(),
                    educations: Vec::new(),
                    employments: Vec::new(),
                    peer_reviews: Vec::new(),
                };
                Document::RecordRecord(Box::new(views::record(&pv, &none)))
            };
            match upgraded(&v2)? {
                Doc3::RecordRecord(mut rec) => {
                    if let Some(p) = rec.person.as_mut() {
                        person_lists(p);
                    }
                    rec.activities_summary = Some(activities());
                    Doc3::RecordRecord(rec)
                }
                other => other,
            }
        }
        "activities" => Doc3::ActivitiesActivitiesSummary(Box::new(activities())),
        "summary" => {
            let store = r.state.store();
            Doc3::SummaryRecordSummary(Box::new(views3::record_summary(
                &researcher,
                researcher.name_visibility() == Visibility::Public,
                &|s| store.items_of(o, s).into_iter().cloned().collect(),
            )))
        }
        "person" => match upgraded(&V2_1::view(r, what)?)? {
            Doc3::PersonPerson(mut p) => {
                person_lists(&mut p);
                Doc3::PersonPerson(p)
            }
            other => other,
        },
        "personal-details" => match upgraded(&V2_1::view(r, what)?)? {
            Doc3::PersonalDetailsPersonalDetails(mut d) => {
                let store = r.state.store();
                let v = visible::<V3_0>(&store, r.caller, o, Section3::OtherName);
                if let Some(Doc3::OtherNameOtherNames(x)) =
                    views3::person_list(o, Section3::OtherName, &v)
                {
                    d.other_names = Some(*x);
                }
                Doc3::PersonalDetailsPersonalDetails(d)
            }
            other => other,
        },
        "biography" | "email" => upgraded(&V2_1::view(r, what)?)?,
        seg => {
            let section = Section3::from_list_path(seg).ok_or_else(ApiError::not_found)?;
            if section.is_activity() {
                let store = r.state.store();
                let items = visible::<V3_0>(&store, r.caller, o, section);
                views3::activity_list(o, section, &items).ok_or_else(ApiError::not_found)?
            } else {
                let store = r.state.store();
                let items = visible::<V3_0>(&store, r.caller, o, section);
                views3::person_list(o, section, &items).ok_or_else(ApiError::not_found)?
            }
        }
    };
    Ok(doc)
}
