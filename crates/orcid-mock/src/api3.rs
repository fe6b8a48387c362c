//! The member API v3.0 (`/v3.0/{orcid}/…`, `docs/orcid-v3.md` §3) over the
//! same record store as v2.1: an item written in one version is read,
//! updated and deleted in the other under the same put-code.
//!
//! Checks come in v2.1's order (see [`crate::api`]), bodies are validated
//! as v3.0 (`orcid_validate::validate_text` with [`Version::V3_0`]: the
//! v3.0 XSD and ORCID's v3.0 rules, each with its code), and the status
//! codes and error bodies are v2.1's (the `error:error` structure is the
//! same in both versions). Differences from v2.1:
//!
//! * the v3-only sections `distinction`, `invited-position`, `membership`,
//!   `qualification`, `service` and `research-resource` (AFFILIATIONS
//!   scopes);
//! * duplicates (409/9021) need the same type and value (case and spaces
//!   aside) with both relationships `self` (or both absent), and apply to
//!   affiliations of the same type too, research resources on POST only
//!   (§2);
//! * an affiliation PUT checks the source (403/9010) before the rules;
//! * sections are read grouped (`affiliation-group`, `peer-review-group`),
//!   see [`crate::views3`].
//!
//! Bulk works (`POST /works`, `GET /works/{pc,…}`) as in v2.1: each work
//! gets ORCID's rules and the duplicate check, its error in place. ORCID
//! does not check a v3.0 bulk against the XSD; the mock reads it with the
//! typed model, so a work the model cannot read fails the whole bulk
//! (400/9001 or 9047) where ORCID might store what it could read.
//! Search, expanded search and CSV search: [`crate::search`].
//! Permission notifications are one inbox for both versions (a v3.0 one
//! with a v3-only item type is hidden from v2.1).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use orcid_model::scalar::{DateTime, PutCode};
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::common::{ExternalId, Visibility as Visibility3};
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::v3_0::{Document as Doc3, Root as Root3};
use orcid_model::{convert, detect_format, AnyRoot, Document, Format, ItemSection, Version};
use orcid_validate::{validate_text, Context, Diagnostic, Operation, Severity};

use crate::api::{
    authenticate, body_text, check_record, created, method_mismatch, parse_pc, person_view,
    require_scope, rule_error, xsd_error, Caller, Req,
};
use crate::http::{document_response_v3, empty, negotiate, ApiError, Fmt, Negotiated};
use crate::items::{self, SectionScopes};
use crate::store::{AmendedItem, Notification, Researcher, Store, StoredItemV3};
use crate::util::now_ms;
use crate::views::{self, ActivityItems};
use crate::{views3, MockState};

/// What the v3.0 API knows of a section beyond the schema.
trait Section3Ext: Sized + Copy {
    fn from_item_path(segment: &str) -> Option<Self>;
    fn from_list_path(segment: &str) -> Option<Self>;
    /// The v2.1 section of the same name, if v2.1 has it.
    fn v2(self) -> Option<ItemSection>;
    fn read_scope(self) -> &'static str;
    fn create_scopes(self) -> &'static [&'static str];
    fn update_scopes(self) -> &'static [&'static str];
    fn delete_scopes(self) -> &'static [&'static str];
}

impl Section3Ext for Section3 {
    fn from_item_path(segment: &str) -> Option<Section3> {
        Section3::ALL
            .iter()
            .copied()
            .find(|s| s.item_path() == segment)
    }
    fn from_list_path(segment: &str) -> Option<Section3> {
        Section3::ALL
            .iter()
            .copied()
            .find(|s| s.list_path() == segment)
    }
    fn v2(self) -> Option<ItemSection> {
        ItemSection::from_name(self.name())
    }
    // The v3-only sections (the five professional activities and research
    // resources) use the AFFILIATIONS scopes (DV3:1480-1560).
    fn read_scope(self) -> &'static str {
        self.v2()
            .map(|s| s.read_scope())
            .unwrap_or("/affiliations/read-limited")
    }
    fn create_scopes(self) -> &'static [&'static str] {
        self.v2()
            .map(|s| s.create_scopes())
            .unwrap_or(&["/affiliations/create"])
    }
    fn update_scopes(self) -> &'static [&'static str] {
        self.v2()
            .map(|s| s.update_scopes())
            .unwrap_or(&["/affiliations/update"])
    }
    fn delete_scopes(self) -> &'static [&'static str] {
        self.v2()
            .map(|s| s.delete_scopes())
            .unwrap_or(&["/affiliations/update"])
    }
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

fn visibility(doc: &Doc3) -> Option<Visibility> {
    doc.item_envelope().and_then(|x| *x.visibility).map(vis2)
}

fn put_code(doc: &Doc3) -> Option<PutCode> {
    doc.item_envelope().and_then(|x| *x.put_code)
}

fn created_ms(doc: &Doc3) -> Option<i64> {
    doc.item_envelope()
        .and_then(|x| x.created_date.as_ref().map(|d| d.epoch_millis()))
}

/// Writes the server-owned envelope into an item.
fn set_envelope(
    doc: &mut Doc3,
    pc: i64,
    vis: Visibility,
    source: orcid_model::v3_0::common::Source,
    created_ms: i64,
    path: String,
) {
    if let Some(x) = doc.item_envelope_mut() {
        *x.put_code = Some(PutCode(pc));
        *x.visibility = Some(vis3(vis));
        *x.source = Some(source);
        *x.created_date = Some(DateTime::from_epoch_millis(created_ms));
        *x.last_modified_date = Some(DateTime::from_epoch_millis(now_ms()));
        *x.path = Some(path);
        *x.display_index = Some(crate::items::API_DISPLAY_INDEX.into());
    }
}

/// An item with the server-owned fields cleared, to compare contents.
fn content_only(doc: &Doc3) -> Doc3 {
    let mut d = doc.clone();
    if let Some(x) = d.item_envelope_mut() {
        *x.put_code = None;
        *x.visibility = None;
        *x.source = None;
        *x.created_date = None;
        *x.last_modified_date = None;
        *x.path = None;
        *x.display_index = None;
    }
    d
}

/// The external ids that count for duplicates (`docs/orcid-v3.md` §2):
/// works, fundings, peer-review identifiers, research-resource proposals
/// and affiliations.
fn duplicate_ids(doc: &Doc3) -> Vec<ExternalId> {
    let ids = match doc {
        Doc3::WorkWork(w) => w.external_ids.as_ref(),
        Doc3::FundingFunding(f) => f.external_ids.as_ref(),
        Doc3::PeerReviewPeerReview(p) => Some(&p.review_identifiers),
        Doc3::ResearchResourceResearchResource(r) => Some(&r.proposal.external_ids),
        Doc3::DistinctionDistinction(a)
        | Doc3::EducationEducation(a)
        | Doc3::EmploymentEmployment(a)
        | Doc3::InvitedPositionInvitedPosition(a)
        | Doc3::MembershipMembership(a)
        | Doc3::QualificationQualification(a)
        | Doc3::ServiceService(a) => a.external_ids.as_ref(),
        _ => None,
    };
    ids.map(|e| e.external_id.clone()).unwrap_or_default()
}

/// v3.0's duplicate test: same type and value (case and surrounding spaces
/// aside, standing in for ORCID's normalization), both `self` or both
/// without a relationship.
fn ids_clash(a: &ExternalId, b: &ExternalId) -> bool {
    let self_or_none = |r: &Option<String>| matches!(r.as_deref(), None | Some("self"));
    a.external_id_relationship == b.external_id_relationship
        && self_or_none(&a.external_id_relationship)
        && a.external_id_type.eq_ignore_ascii_case(&b.external_id_type)
        && a.external_id_value.trim().to_lowercase() == b.external_id_value.trim().to_lowercase()
}

/// The item as v2.1 sees it, if v2.1 can hold it.
fn downgraded(doc: &Doc3) -> Option<Document> {
    convert::downgrade(doc).ok().map(|(d, _)| d)
}

/// A short name of an item (its title) for notifications.
fn title(doc: &Doc3) -> String {
    match doc {
        Doc3::DistinctionDistinction(a)
        | Doc3::EducationEducation(a)
        | Doc3::EmploymentEmployment(a)
        | Doc3::InvitedPositionInvitedPosition(a)
        | Doc3::MembershipMembership(a)
        | Doc3::QualificationQualification(a)
        | Doc3::ServiceService(a) => a
            .organization
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        Doc3::ResearchResourceResearchResource(r) => r.proposal.title.title.clone(),
        Doc3::WorkWork(w) => w.title.title.clone(),
        other => downgraded(other)
            .map(|d| items::title(&d))
            .unwrap_or_default(),
    }
}

/// Duplicates among the caller's own items (409/9021 activities, 409/9030
/// person items).
fn check_duplicates(
    store: &Store,
    orcid: &str,
    section: Section3,
    client_id: &str,
    doc: &Doc3,
    exclude: Option<i64>,
) -> Result<(), ApiError> {
    if section.is_activity() {
        let ids = duplicate_ids(doc);
        let mine = store
            .items_of_v3(orcid, section)
            .into_iter()
            .filter(|i| i.client_id == client_id && Some(i.put_code) != exclude);
        for existing in mine {
            let theirs = duplicate_ids(&existing.doc);
            if ids.iter().any(|a| theirs.iter().any(|b| ids_clash(a, b))) {
                return Err(ApiError::new(
                    409,
                    9021,
                    format!(
                        "You have already added this activity (matched by external identifiers), \
                         please see element with put-code {}. If you are trying to edit the item, \
                         please use PUT instead of POST.",
                        existing.put_code
                    ),
                ));
            }
        }
        return Ok(());
    }
    // Person items are the same in both versions: v2.1's key.
    let (Some(v2), Some(d2)) = (section.v2(), downgraded(doc)) else {
        return Ok(());
    };
    if let Some((ty, value)) = items::person_duplicate_key(&d2) {
        let clash = store
            .items_of(orcid, v2)
            .into_iter()
            .filter(|i| i.client_id == client_id && Some(i.put_code) != exclude)
            .any(|i| {
                items::person_duplicate_key(&i.doc).as_ref() == Some(&(ty.clone(), value.clone()))
            });
        if clash {
            return Err(ApiError::new(
                409,
                9030,
                format!("The element '{value}' of type '{ty}' is duplicated."),
            ));
        }
    }
    Ok(())
}

fn item_path(orcid: &str, section: Section3, pc: i64) -> String {
    format!("/{orcid}/{}/{pc}", section.item_path())
}

/// Adds an AMENDED notification for an activity write (`docs/orcid-api.md` §7).
fn amend(store: &mut Store, caller: &Caller, action: &str, item: &StoredItemV3) {
    if !item.section.is_activity() {
        return;
    }
    let put_code = store.next_put_code();
    store.save_notification(Notification {
        put_code,
        orcid: item.orcid.clone(),
        notification_type: "AMENDED".into(),
        client_id: caller.client.id.clone(),
        client_name: caller.client.name.clone(),
        created_ms: now_ms(),
        items: vec![AmendedItem {
            action: action.into(),
            item_type: item.section.name().to_ascii_uppercase().replace('-', "_"),
            item_name: title(&item.doc),
            put_code: item.put_code,
            external_ids: duplicate_ids(&item.doc)
                .iter()
                .map(|e| format!("{}:{}", e.external_id_type, e.external_id_value))
                .collect(),
        }],
        permission_xml: None,
        archived_ms: None,
        permission_version: None,
    });
}

/// Reads and validates a body as the v3.0 `root`: XSD failures are errors
/// (400/9001 XML, 400/9047 JSON); ORCID's rule findings (errors only) are
/// returned for the caller to order.
fn parse_item(
    root: Root3,
    fmt: Fmt,
    text: &str,
    ctx: &Context,
) -> Result<(Doc3, Vec<Diagnostic>), ApiError> {
    let expected = match fmt {
        Fmt::Xml => Format::Xml,
        Fmt::Json => Format::Json,
    };
    if detect_format(text) != Some(expected) {
        return Err(xsd_error(
            None,
            fmt,
            "the body is not in the format its Content-Type names",
        ));
    }
    let any_root = AnyRoot {
        v2_1: None,
        v3_0: Some(root),
    };
    let report = validate_text(text, Some(any_root), Version::V3_0, ctx);
    let (rules, schema): (Vec<Diagnostic>, Vec<Diagnostic>) = report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .partition(|d| d.code.is_rule());
    if let Some(d) = schema.first() {
        return Err(xsd_error(Some(d), fmt, ""));
    }
    let doc = match fmt {
        Fmt::Xml => Doc3::from_xml(text),
        Fmt::Json => Doc3::from_json(text, Some(root)),
    }
    .map_err(|e| xsd_error(None, fmt, &e.to_string()))?;
    if doc.root() != root {
        return Err(xsd_error(
            None,
            Fmt::Xml,
            &format!(
                "expected <{}>, found <{}>",
                root.qualified_name(),
                doc.root().qualified_name()
            ),
        ));
    }
    Ok((doc, rules))
}

fn create_item(
    r: &Req<'_>,
    section: Section3,
    seg: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let ctx = Context {
        operation: Operation::Create,
        ..Context::default()
    };
    let (doc, rules) = parse_item(section.root(), fmt, &text, &ctx)?;
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.create_scopes())?;
    if let Some(d) = rules.first() {
        return Err(rule_error(d, None, put_code(&doc)));
    }
    let mut store = r.state.store();
    let item = insert_item(&mut store, r, &researcher, section, doc)?;
    amend(&mut store, r.caller, "CREATE", &item);
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/v3.0/{}/{seg}/{}",
        r.orcid, item.put_code
    )))
}

/// Checks for duplicates and stores a new item with the server-owned
/// envelope (`docs/orcid-api.md` §4.5).
fn insert_item(
    store: &mut Store,
    r: &Req<'_>,
    researcher: &Researcher,
    section: Section3,
    mut doc: Doc3,
) -> Result<StoredItemV3, ApiError> {
    check_duplicates(store, r.orcid, section, &r.caller.client.id, &doc, None)?;
    let pc = store.next_put_code();
    let vis = new_visibility(researcher, &doc);
    set_envelope(
        &mut doc,
        pc,
        vis,
        views3::client_source(&r.caller.client.id, &r.caller.client.name),
        now_ms(),
        item_path(r.orcid, section, pc),
    );
    let item = StoredItemV3 {
        put_code: pc,
        orcid: r.orcid.to_string(),
        section,
        client_id: r.caller.client.id.clone(),
        doc,
    };
    store.save_item_v3(item.clone());
    tracing::info!(orcid = r.orcid, section = section.name(), put_code = pc, client = %r.caller.client.id, "created (v3.0)");
    Ok(item)
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

/// `POST /works`: up to 100 works, each created or answered with an error
/// in place; HTTP 200. The bulk must read as a whole (see the module
/// docs); then each work gets ORCID's rules and the duplicate check.
fn bulk_create(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let (doc, _) = parse_item(Root3::BulkBulk, fmt, &text, &Context::default())?;
    let Doc3::BulkBulk(bulk) = doc else {
        return Err(ApiError::not_found());
    };
    let cfg = &r.state.config().api;
    if bulk.bulk.len() > cfg.bulk_write_max {
        return Err(ApiError::new(
            cfg.bulk_over_limit_status,
            9006,
            format!(
                "You are allowed to add up to {} elements per request.",
                cfg.bulk_write_max
            ),
        ));
    }
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, Section3::Work.create_scopes())?;
    let ctx = Context {
        operation: Operation::Create,
        ..Context::default()
    };
    let mut store = r.state.store();
    let mut out = Vec::new();
    for item in bulk.bulk {
        let orcid_model::v3_0::bulk::BulkItem::Work(w) = item else {
            continue;
        };
        let doc = Doc3::WorkWork(w);
        let report = orcid_validate::validate_any_document(
            &orcid_model::AnyDocument::V3_0(doc.clone()),
            &ctx,
        );
        let rule = report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error && d.code.is_rule());
        let result = match rule {
            Some(d) => Err(rule_error(d, None, put_code(&doc))),
            None => insert_item(&mut store, r, &researcher, Section3::Work, doc),
        };
        match result {
            Ok(item) => {
                amend(&mut store, r.caller, "CREATE", &item);
                if let Doc3::WorkWork(w) = item.doc {
                    out.push(orcid_model::v3_0::bulk::BulkItem::Work(w));
                }
            }
            Err(e) => out.push(orcid_model::v3_0::bulk::BulkItem::Error(error_v3(&e))),
        }
    }
    drop(store);
    Ok(document_response_v3(
        200,
        r.n,
        &Doc3::BulkBulk(Box::new(orcid_model::v3_0::bulk::Bulk { bulk: out })),
    ))
}

/// `GET /works/{pc1,pc2,…}`: per-item errors in place, HTTP 200.
fn bulk_read(r: &Req<'_>, pcs: &str) -> Result<Response, ApiError> {
    let parts: Vec<&str> = pcs
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let max = r.state.config().api.bulk_read_max;
    if parts.len() > max {
        return Err(ApiError::new(
            400,
            9042,
            format!("You are allowed to read up to {max} elements per request."),
        ));
    }
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let store = r.state.store();
    let out = parts
        .iter()
        .map(|p| {
            let found = p
                .parse::<i64>()
                .ok()
                .and_then(|pc| store.item_v3(r.orcid, Section3::Work, pc));
            let res = match found {
                None => Err(ApiError::new(
                    400,
                    9034,
                    format!("'{p}' is not a valid put code"),
                )),
                Some(i) => r
                    .caller
                    .check_read(
                        Some(&i.client_id),
                        visibility(&i.doc),
                        Section3::Work.read_scope(),
                    )
                    .map(|_| i),
            };
            match res.map(|i| &i.doc) {
                Ok(Doc3::WorkWork(w)) => orcid_model::v3_0::bulk::BulkItem::Work(w.clone()),
                Ok(_) => orcid_model::v3_0::bulk::BulkItem::Error(error_v3(&ApiError::not_found())),
                Err(e) => orcid_model::v3_0::bulk::BulkItem::Error(error_v3(&e)),
            }
        })
        .collect();
    drop(store);
    Ok(document_response_v3(
        200,
        r.n,
        &Doc3::BulkBulk(Box::new(orcid_model::v3_0::bulk::Bulk { bulk: out })),
    ))
}

/// A claimed record gives new items the researcher's default visibility.
fn new_visibility(researcher: &Researcher, doc: &Doc3) -> Visibility {
    if researcher.profile.claimed {
        researcher.default_visibility()
    } else {
        visibility(doc).unwrap_or(Visibility::Private)
    }
}

fn not_source(section: Section3) -> ApiError {
    ApiError::new(
        403,
        9010,
        format!(
            "You are not the source of the {}, so you are not allowed to update it.",
            section.name()
        ),
    )
}

fn update_item(
    r: &Req<'_>,
    section: Section3,
    pc: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let url_pc = parse_pc(pc)?;
    let stored = r.state.store().item_v3(r.orcid, section, url_pc).cloned();
    let ctx = Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url_pc)),
        stored_visibility: stored.as_ref().and_then(|s| visibility(&s.doc)),
    };
    let (doc, rules) = parse_item(section.root(), fmt, &text, &ctx)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.update_scopes())?;
    let body_pc = put_code(&doc);
    if let Some(d) = rules
        .iter()
        .find(|d| d.orcid_error.is_some_and(|e| e.code == 9019))
    {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let stored = stored.ok_or_else(ApiError::not_found)?;
    // Affiliations check the source before the rules (`docs/orcid-v3.md` §2).
    if views3::is_affiliation(section) && stored.client_id != r.caller.client.id {
        return Err(not_source(section));
    }
    if let Some(d) = rules.first() {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let mut store = r.state.store();
    // ORCID checks research resources for duplicates on POST only.
    if section != Section3::ResearchResource {
        check_duplicates(
            &store,
            r.orcid,
            section,
            &r.caller.client.id,
            &doc,
            Some(url_pc),
        )?;
    }
    let unchanged = content_only(&doc) == content_only(&stored.doc);
    if stored.client_id != r.caller.client.id {
        return Err(if unchanged {
            ApiError::new(
                403,
                9014,
                format!(
                    "You are not the source of the {}; the item is unchanged.",
                    section.name()
                ),
            )
        } else {
            not_source(section)
        });
    }
    if unchanged {
        return Ok(document_response_v3(200, r.n, &stored.doc));
    }
    let mut doc = doc;
    let source = stored
        .doc
        .item_envelope()
        .and_then(|x| x.source.clone())
        .unwrap_or_else(|| views3::client_source(&r.caller.client.id, &r.caller.client.name));
    set_envelope(
        &mut doc,
        url_pc,
        visibility(&stored.doc).unwrap_or(Visibility::Private),
        source,
        created_ms(&stored.doc).unwrap_or_else(now_ms),
        item_path(r.orcid, section, url_pc),
    );
    let item = StoredItemV3 { doc, ..stored };
    store.save_item_v3(item.clone());
    amend(&mut store, r.caller, "UPDATE", &item);
    Ok(document_response_v3(200, r.n, &item.doc))
}

fn delete_item(r: &Req<'_>, section: Section3, pc: &str) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.delete_scopes())?;
    let mut store = r.state.store();
    let stored = store
        .item_v3(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    if stored.client_id != r.caller.client.id {
        return Err(not_source(section));
    }
    store.delete_item(pc);
    amend(&mut store, r.caller, "DELETE", &stored);
    Ok(empty(204))
}

fn read_item(
    r: &Req<'_>,
    section: Section3,
    pc: &str,
    summary: bool,
) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let stored = r
        .state
        .store()
        .item_v3(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    r.caller.check_read(
        Some(&stored.client_id),
        visibility(&stored.doc),
        section.read_scope(),
    )?;
    let doc = if summary {
        views3::summary(&stored.doc).ok_or_else(ApiError::not_found)?
    } else {
        stored.doc
    };
    Ok(document_response_v3(200, r.n, &doc))
}

/// The items of a section the caller may see.
fn visible(store: &Store, caller: &Caller, orcid: &str, section: Section3) -> Vec<StoredItemV3> {
    store
        .items_of_v3(orcid, section)
        .into_iter()
        .filter(|i| {
            caller
                .check_read(Some(&i.client_id), visibility(&i.doc), section.read_scope())
                .is_ok()
        })
        .cloned()
        .collect()
}

fn upgraded(doc: &Document) -> Result<Doc3, ApiError> {
    convert::upgrade(doc).map_err(|e| {
        tracing::warn!(error = %e, "a v2.1 view does not upgrade");
        ApiError::new(500, 9008, "Internal error: the view could not be built.")
    })
}

/// GET of a whole section or of the person/record views.
fn read_view(r: &Req<'_>, what: &str) -> Result<Response, ApiError> {
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let o = r.orcid;
    let activities = || {
        let store = r.state.store();
        views3::activities(o, &|s| visible(&store, r.caller, o, s))
    };
    let person_lists = |p: &mut orcid_model::v3_0::person::Person| {
        let store = r.state.store();
        views3::set_person_lists(p, o, &|s| visible(&store, r.caller, o, s));
    };
    let doc = match what {
        "" | "record" => {
            // The person and history are the same in both versions: v2.1's
            // view upgraded, with v3.0's activities.
            let v2 = {
                let store = r.state.store();
                let pv = person_view(&store, r.caller, &researcher);
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
                &|s| store.items_of_v3(o, s).into_iter().cloned().collect(),
            )))
        }
        "person" => match upgraded(&crate::api::view_doc_v2(r, what)?)? {
            Doc3::PersonPerson(mut p) => {
                person_lists(&mut p);
                Doc3::PersonPerson(p)
            }
            other => other,
        },
        "personal-details" => match upgraded(&crate::api::view_doc_v2(r, what)?)? {
            Doc3::PersonalDetailsPersonalDetails(mut d) => {
                let store = r.state.store();
                let v = visible(&store, r.caller, o, Section3::OtherName);
                drop(store);
                if let Some(Doc3::OtherNameOtherNames(x)) =
                    views3::person_list(o, Section3::OtherName, &v.iter().collect::<Vec<_>>())
                {
                    d.other_names = Some(*x);
                }
                Doc3::PersonalDetailsPersonalDetails(d)
            }
            other => other,
        },
        "biography" | "email" => upgraded(&crate::api::view_doc_v2(r, what)?)?,
        seg => {
            let section = Section3::from_list_path(seg).ok_or_else(ApiError::not_found)?;
            if section.is_activity() {
                let store = r.state.store();
                let items = visible(&store, r.caller, o, section);
                drop(store);
                views3::activity_list(o, section, &items.iter().collect::<Vec<_>>())
                    .ok_or_else(ApiError::not_found)?
            } else {
                let store = r.state.store();
                let items = visible(&store, r.caller, o, section);
                drop(store);
                views3::person_list(o, section, &items.iter().collect::<Vec<_>>())
                    .ok_or_else(ApiError::not_found)?
            }
        }
    };
    Ok(document_response_v3(200, r.n, &doc))
}

// ------------------------------------------------ notification-permission

/// A stored permission notification as v3.0 shows it.
fn notification_doc(n: &Notification) -> Option<orcid_model::v3_0::notification::Notification> {
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

fn notif_create(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let (doc, _) = parse_item(
        Root3::NotificationNotification,
        fmt,
        &text,
        &Context::default(),
    )?;
    r.state
        .researcher(r.orcid)
        .ok_or_else(|| ApiError::orcid_not_found(r.orcid))?;
    require_scope(r.caller, &["/premium-notification"])?;
    let Doc3::NotificationNotification(mut n) = doc else {
        return Err(ApiError::not_found());
    };
    if n.put_code.is_some() {
        return Err(ApiError::new(
            400,
            9024,
            "Put-code is included when not expected. When posting new activities, the put code should be omitted.",
        ));
    }
    let mut store = r.state.store();
    let pc = store.next_put_code();
    let now = now_ms();
    n.put_code = Some(PutCode(pc));
    n.created_date = Some(DateTime::from_epoch_millis(now));
    n.sent_date = Some(DateTime::from_epoch_millis(now));
    n.source = Some(views3::client_source(
        &r.caller.client.id,
        &r.caller.client.name,
    ));
    store.save_notification(Notification {
        put_code: pc,
        orcid: r.orcid.to_string(),
        notification_type: "PERMISSION".into(),
        client_id: r.caller.client.id.clone(),
        client_name: r.caller.client.name.clone(),
        created_ms: now,
        items: Vec::new(),
        permission_xml: Some(Doc3::NotificationNotification(n).to_xml(false)),
        archived_ms: None,
        permission_version: Some(Version::V3_0.as_str().into()),
    });
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/v3.0/{}/notification-permission/{pc}",
        r.orcid
    )))
}

fn notif_get(r: &Req<'_>, id: &str, archive: bool) -> Result<Response, ApiError> {
    let mut n = crate::api::notif_find(r, id)?;
    if archive && n.archived_ms.is_none() {
        n.archived_ms = Some(now_ms());
        r.state.store().save_notification(n.clone());
    }
    let doc = notification_doc(&n).ok_or_else(ApiError::not_found)?;
    Ok(document_response_v3(
        200,
        r.n,
        &Doc3::NotificationNotification(Box::new(doc)),
    ))
}

fn notif_list(r: &Req<'_>) -> Result<Response, ApiError> {
    r.state
        .researcher(r.orcid)
        .ok_or_else(|| ApiError::orcid_not_found(r.orcid))?;
    require_scope(r.caller, &["/premium-notification"])?;
    let notification: Vec<_> = r
        .state
        .store()
        .notifications
        .iter()
        .filter(|n| {
            n.orcid == r.orcid
                && n.notification_type == "PERMISSION"
                && n.client_id == r.caller.client.id
        })
        .filter_map(notification_doc)
        .collect();
    Ok(document_response_v3(
        200,
        r.n,
        &Doc3::NotificationNotifications(Box::new(
            orcid_model::v3_0::notification::Notifications { notification },
        )),
    ))
}

/// Every `/v3.0/…` request.
pub async fn dispatch(
    State(state): State<MockState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match authenticate(&state, &headers) {
        Ok(c) => c,
        Err(resp) => return *resp,
    };
    let path = uri.path().trim_start_matches("/v3.0").to_string();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Search answers text/csv whatever the Accept header says.
    if let [what @ ("search" | "expanded-search" | "csv-search")] = segs.as_slice() {
        let kind = match *what {
            "search" => crate::search::Kind::Plain,
            "expanded-search" => crate::search::Kind::Expanded,
            _ => crate::search::Kind::Csv,
        };
        let n = match negotiate(&headers) {
            Some(n) => n,
            None if kind == crate::search::Kind::Csv => Negotiated::DEFAULT,
            None => {
                return ApiError::new(
                    406,
                    9001,
                    "the Accept header names no media type this API produces",
                )
                .into_response(Negotiated::DEFAULT)
            }
        };
        let res = if method == Method::GET {
            crate::search::search(&state.store(), &caller, Version::V3_0, kind, uri.query(), n)
        } else {
            Err(method_mismatch())
        };
        return res.unwrap_or_else(|e| e.into_response(n));
    }
    let Some(n) = negotiate(&headers) else {
        let mut e = ApiError::new(
            406,
            9001,
            "the Accept header names no media type this API produces (application/vnd.orcid+xml, application/vnd.orcid+json, …)",
        );
        e.no_content_type = true;
        return e.into_response(Negotiated::DEFAULT);
    };
    let Some((&orcid, rest)) = segs.split_first() else {
        return ApiError::not_found().into_response(n);
    };
    let r = Req {
        state: &state,
        caller: &caller,
        headers: &headers,
        n,
        orcid,
    };
    let m = &method;
    let get_only = |f: &dyn Fn() -> Result<Response, ApiError>| {
        if *m == Method::GET {
            f()
        } else {
            Err(method_mismatch())
        }
    };
    let res = match rest {
        []
        | ["record"]
        | ["person"]
        | ["personal-details"]
        | ["biography"]
        | ["email"]
        | ["activities"]
        | ["summary"] => get_only(&|| read_view(&r, rest.first().copied().unwrap_or(""))),
        ["notification-permission"] => match *m {
            Method::POST => notif_create(&r, &body),
            Method::GET => notif_list(&r),
            _ => Err(method_mismatch()),
        },
        ["notification-permission", id] => match *m {
            Method::GET => notif_get(&r, id, false),
            Method::DELETE => notif_get(&r, id, true),
            _ => Err(method_mismatch()),
        },
        ["works"] => match *m {
            Method::GET => read_view(&r, "works"),
            Method::POST => bulk_create(&r, &body),
            _ => Err(method_mismatch()),
        },
        ["works", pcs] => get_only(&|| bulk_read(&r, pcs)),
        [seg] => match (Section3::from_list_path(seg), Section3::from_item_path(seg)) {
            // Person sections: the list path is also where items are POSTed.
            (Some(list), Some(_)) => match *m {
                Method::GET => read_view(&r, seg),
                Method::POST => create_item(&r, list, seg, &body),
                _ => Err(method_mismatch()),
            },
            (Some(_), None) => get_only(&|| read_view(&r, seg)),
            (None, Some(item)) => match *m {
                Method::POST => create_item(&r, item, seg, &body),
                _ => Err(method_mismatch()),
            },
            (None, None) => Err(ApiError::not_found()),
        },
        [seg, pc] => match Section3::from_item_path(seg) {
            Some(section) => match *m {
                Method::GET => read_item(&r, section, pc, false),
                Method::PUT => update_item(&r, section, pc, &body),
                Method::DELETE => delete_item(&r, section, pc),
                _ => Err(method_mismatch()),
            },
            None => Err(ApiError::not_found()),
        },
        [seg, "summary", pc] => match Section3::from_item_path(seg).filter(|s| s.is_activity()) {
            Some(section) => get_only(&|| read_item(&r, section, pc, true)),
            None => Err(ApiError::not_found()),
        },
        _ => Err(ApiError::not_found()),
    };
    match res {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(%method, path = %uri.path(), status = e.status, code = ?e.code, "API error");
            e.into_response(n)
        }
    }
}
