//! The member API v2.1 (`/v2.1/{orcid}/…`), checked in ORCID's order
//! (`docs/orcid-api.md` §4.2, "Order of checks on a write"):
//!
//! 1. bearer token: missing → 403, invalid/expired/revoked → 401 `invalid_token`;
//! 2. path and method (404, 405/9001), `Accept` (406/9001), `Content-Type`
//!    (415/9001), the body against the XSD (400/9001 XML, 400/9047 JSON);
//! 3. the record (404/9016);
//! 4. the token's iD (401/9017) and scopes (403/9038);
//! 5. PUT: URL and body put-codes (400/9019);
//! 6. the stored item (404/9016), ORCID's rules (their codes, incl. 9024,
//!    9035), duplicates (409/9021, 409/9030), the source (403/9010).

use std::collections::BTreeSet;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use orcid_model::scalar::{DateTime, PutCode};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::common::Visibility;
use orcid_model::v2_1::notification::Notifications;
use orcid_model::{Document, Root};
use orcid_validate::{validate_json, validate_xml, Context, Diagnostic, Operation, Severity};

use crate::bulk::split_xml;
use crate::config::ClientConfig;
use crate::http::{document_response, empty, negotiate, ApiError, Fmt, Negotiated};
use crate::items::{self, Envelope, SectionScopes};
use crate::store::{AmendedItem, Notification, Researcher, Store, StoredItem, Token};
use crate::util::{now_ms, redact};
use crate::views::{self, ActivityItems, PersonView};
use crate::{scopes, MockState};
use orcid_model::ItemSection;

/// The authenticated caller.
pub(crate) struct Caller {
    pub(crate) token: Token,
    pub(crate) client: ClientConfig,
    pub(crate) scopes: BTreeSet<String>,
}

impl Caller {
    pub(crate) fn has_any(&self, wanted: &[&str]) -> bool {
        wanted.iter().any(|s| self.scopes.contains(*s))
    }

    /// Whether the caller may see an item (`docs/orcid-api.md` §1.9, reads).
    pub(crate) fn check_read(
        &self,
        source_client: Option<&str>,
        vis: Option<Visibility>,
        read_scope: &str,
    ) -> Result<(), ApiError> {
        if source_client == Some(self.client.id.as_str()) {
            return Ok(());
        }
        match vis.unwrap_or(Visibility::Private) {
            Visibility::Public => Ok(()),
            Visibility::Private => Err(ApiError::new(
                403,
                9013,
                "The item is private and you are not the source of it.",
            )),
            Visibility::Limited | Visibility::RegisteredOnly => {
                if self.token.orcid.is_some() && self.scopes.contains(read_scope) {
                    Ok(())
                } else {
                    Err(scope_error(&[read_scope]))
                }
            }
        }
    }

    fn can_see(&self, vis: Visibility, read_scope: &str) -> bool {
        self.check_read(None, Some(vis), read_scope).is_ok()
    }
}

pub(crate) fn scope_error(needed: &[&str]) -> ApiError {
    ApiError::with_detail(
        403,
        9038,
        "Insufficient or wrong scope: the access token does not grant what this request needs.",
        &format!("needs one of: {}", needed.join(", ")),
    )
}

pub(crate) fn require_scope(caller: &Caller, needed: &[&str]) -> Result<(), ApiError> {
    if caller.has_any(needed) {
        Ok(())
    } else {
        Err(scope_error(needed))
    }
}

/// Bearer authentication: 403 without a token, 401 `invalid_token` for an
/// unknown, expired or revoked one (`docs/orcid-api.md` §4.1).
pub(crate) fn authenticate(
    state: &MockState,
    headers: &HeaderMap,
) -> Result<Caller, Box<Response>> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| rest.trim().to_string())
        })
        .filter(|t| !t.is_empty());
    let Some(token) = bearer else {
        return Err(Box::new(crate::http::oauth_error(
            403,
            "forbidden",
            "Full authentication is required to access this resource",
        )));
    };
    let found = state
        .store()
        .tokens
        .get(&token)
        .filter(|t| t.is_active(now_ms()))
        .cloned();
    let client = found
        .as_ref()
        .and_then(|t| state.client(&t.client_id).cloned());
    match (found, client) {
        (Some(t), Some(c)) => Ok(Caller {
            scopes: scopes::expand(&t.scopes),
            token: t,
            client: c,
        }),
        _ => {
            tracing::info!(token = %redact(&token), "invalid access token");
            let desc = format!("Invalid access token: {token}");
            let mut r = crate::http::oauth_error(401, "invalid_token", &desc);
            let www = format!(
                "Bearer realm=\"ORCID T2 API\", error=\"invalid_token\", error_description=\"{}\"",
                desc.replace('"', "'")
            );
            if let Ok(v) = www.parse() {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
            Err(Box::new(r))
        }
    }
}

/// The record, checked against the token (404/9016, 401/9017).
pub(crate) fn check_record(
    state: &MockState,
    caller: &Caller,
    orcid: &str,
) -> Result<Researcher, ApiError> {
    let r = state
        .researcher(orcid)
        .ok_or_else(|| ApiError::orcid_not_found(orcid))?;
    let unauthorized = || {
        ApiError::new(
            401,
            9017,
            "The client application is not authorized for this ORCID record.",
        )
    };
    if !caller.client.member {
        return Err(unauthorized());
    }
    if caller.token.orcid.as_deref().is_some_and(|o| o != orcid) {
        return Err(unauthorized());
    }
    Ok(r)
}

pub(crate) fn body_text(headers: &HeaderMap, body: &Bytes) -> Result<(Fmt, String), ApiError> {
    let fmt = crate::http::content_type(headers)
        .ok_or_else(|| ApiError::new(415, 9001, "data must be in XML or JSON format"))?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::new(400, 9001, "The request body is not UTF-8."))?;
    Ok((fmt, text))
}

/// A body error: the error, and whether it sinks a whole bulk.
type ParseError = (ApiError, bool);

pub(crate) fn location(d: &Diagnostic) -> String {
    match &d.location {
        Some(l) if l.line > 0 => format!(" (line {}, column {}, {})", l.line, l.column, l.path),
        Some(l) if !l.path.is_empty() => format!(" ({})", l.path),
        _ => String::new(),
    }
}

pub(crate) fn xsd_error(d: Option<&Diagnostic>, fmt: Fmt, extra: &str) -> ApiError {
    let detail = match d {
        Some(d) => format!("{}{}", d.message, location(d)),
        None => extra.to_string(),
    };
    match fmt {
        Fmt::Xml => ApiError::with_detail(
            400,
            9001,
            "There is an issue with your data or the API endpoint. Please check the message and try again.",
            &detail,
        ),
        Fmt::Json => ApiError::new(400, 9047, format!("Invalid JSON - {detail}")),
    }
}

/// Reads and validates a body as `root`: XSD failures are errors; ORCID's
/// rule findings (errors only) are returned for the caller to order.
/// `in_bulk`: a JSON item whose XML image fails the XSD gives 9001 (ORCID
/// validates each work of a bulk), and a JSON read failure sinks the bulk.
fn parse_item(
    root: Root,
    fmt: Fmt,
    text: &str,
    ctx: &Context,
    in_bulk: bool,
) -> Result<(Document, Vec<Diagnostic>), ParseError> {
    let report = match fmt {
        Fmt::Xml => validate_xml(text, ctx),
        Fmt::Json => validate_json(text, Some(root), ctx),
    };
    let (rules, schema): (Vec<Diagnostic>, Vec<Diagnostic>) = report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .partition(|d| d.code.is_rule());
    if let Some(d) = schema.first() {
        if fmt == Fmt::Json && in_bulk {
            let read_failure = !d.code.is_xsd();
            return Err(if read_failure {
                (xsd_error(Some(d), Fmt::Json, ""), true)
            } else {
                (xsd_error(Some(d), Fmt::Xml, ""), false)
            });
        }
        return Err((xsd_error(Some(d), fmt, ""), false));
    }
    let doc = match fmt {
        Fmt::Xml => Document::from_xml(text),
        Fmt::Json => Document::from_json(text, Some(root)),
    }
    .map_err(|e| {
        (
            xsd_error(None, fmt, &e.to_string()),
            fmt == Fmt::Json && in_bulk,
        )
    })?;
    if doc.root() != root {
        return Err((
            xsd_error(
                None,
                Fmt::Xml,
                &format!(
                    "expected <{}>, found <{}>",
                    root.qualified_name(),
                    doc.root().qualified_name()
                ),
            ),
            false,
        ));
    }
    Ok((doc, rules))
}

/// The ORCID error for a rule finding, with ORCID's wording where known.
pub(crate) fn rule_error(
    d: &Diagnostic,
    url_pc: Option<i64>,
    body_pc: Option<PutCode>,
) -> ApiError {
    let e = d.orcid_error.unwrap_or(orcid_validate::OrcidError {
        code: 9020,
        http: 400,
    });
    match e.code {
        9024 => ApiError::new(
            e.http,
            9024,
            "Put-code is included when not expected. When posting new activities, the put code should be omitted.",
        ),
        9019 => ApiError::new(
            e.http,
            9019,
            format!(
                "The put code in the URL was {} whereas the one in the body was {}.",
                url_pc.map(|p| p.to_string()).unwrap_or_else(|| "null".into()),
                body_pc.map(|p| p.to_string()).unwrap_or_else(|| "null".into())
            ),
        ),
        9035 => ApiError::with_detail(
            e.http,
            9035,
            "You can't change the visibility of an item: only the record owner can.",
            &d.message,
        ),
        // ORCID's form: "{status} {reason}: {text}", no rule ids (clients
        // match on ORCID's wording; the rule id stays in the log).
        code => {
            tracing::debug!(rule = %d.code, at = %location(d), "rule finding");
            ApiError::new(e.http, code, d.message.clone())
        }
    }
}

/// Duplicates among the caller's own items (409/9021 activities, 409/9030 person items).
fn check_duplicates(
    store: &Store,
    orcid: &str,
    section: ItemSection,
    client_id: &str,
    doc: &Document,
    exclude: Option<i64>,
) -> Result<(), ApiError> {
    let mine = store
        .items_of(orcid, section)
        .into_iter()
        .filter(|i| i.client_id == client_id && Some(i.put_code) != exclude);
    if section.is_activity() {
        let ids = items::activity_external_ids(doc);
        for existing in mine {
            let theirs = items::activity_external_ids(&existing.doc);
            if ids.iter().any(|a| {
                theirs
                    .iter()
                    .any(|b| orcid_validate::rules::ids_clash(a, b))
            }) {
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
    } else if let Some((ty, value)) = items::person_duplicate_key(doc) {
        for existing in mine {
            if items::person_duplicate_key(&existing.doc).as_ref()
                == Some(&(ty.clone(), value.clone()))
            {
                return Err(ApiError::new(
                    409,
                    9030,
                    format!("The element '{value}' of type '{ty}' is duplicated."),
                ));
            }
        }
    }
    Ok(())
}

pub(crate) fn item_path(orcid: &str, section: ItemSection, pc: i64) -> String {
    format!("/{orcid}/{}/{pc}", section.item_path())
}

/// Stores a new item with the server-owned envelope (`docs/orcid-api.md` §4.5).
fn insert_item(
    store: &mut Store,
    researcher: &Researcher,
    caller: &Caller,
    orcid: &str,
    section: ItemSection,
    mut doc: Document,
) -> StoredItem {
    let pc = store.next_put_code();
    let visibility = if researcher.profile.claimed {
        researcher.default_visibility()
    } else {
        items::visibility(&doc).unwrap_or(Visibility::Private)
    };
    let now = now_ms();
    items::set_envelope(
        &mut doc,
        &Envelope {
            put_code: pc,
            visibility,
            source: views::client_source(&caller.client.id, &caller.client.name),
            created_ms: now,
            modified_ms: now,
            path: item_path(orcid, section, pc),
        },
    );
    let item = StoredItem {
        put_code: pc,
        orcid: orcid.to_string(),
        section,
        client_id: caller.client.id.clone(),
        doc,
    };
    store.save_item(item.clone());
    tracing::info!(orcid, section = section.name(), put_code = pc, client = %caller.client.id, "created");
    item
}

/// Adds an AMENDED notification for activity writes (`docs/orcid-api.md` §7).
fn amend(store: &mut Store, orcid: &str, caller: &Caller, action: &str, changed: &[&StoredItem]) {
    let changed: Vec<&&StoredItem> = changed.iter().filter(|i| i.section.is_activity()).collect();
    if changed.is_empty() {
        return;
    }
    let put_code = store.next_put_code();
    let n = Notification {
        put_code,
        orcid: orcid.to_string(),
        notification_type: "AMENDED".into(),
        client_id: caller.client.id.clone(),
        client_name: caller.client.name.clone(),
        created_ms: now_ms(),
        items: changed
            .iter()
            .map(|i| AmendedItem {
                action: action.into(),
                item_type: i.section.notification_type(),
                item_name: items::title(&i.doc),
                put_code: i.put_code,
                external_ids: items::activity_external_ids(&i.doc)
                    .iter()
                    .map(|e| format!("{}:{}", e.external_id_type, e.external_id_value))
                    .collect(),
            })
            .collect(),
        permission_xml: None,
        archived_ms: None,
        permission_version: None,
    };
    store.save_notification(n);
}

pub(crate) fn parse_pc(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .map_err(|_| ApiError::new(400, 9034, format!("'{text}' is not a valid put code")))
}

pub(crate) fn created(location: String) -> Response {
    Response::builder()
        .status(StatusCode::CREATED)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- handlers

pub(crate) struct Req<'a> {
    pub(crate) state: &'a MockState,
    pub(crate) caller: &'a Caller,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) n: Negotiated,
    pub(crate) orcid: &'a str,
}

fn create_item(
    r: &Req<'_>,
    section: ItemSection,
    seg: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let ctx = Context {
        operation: Operation::Create,
        ..Context::default()
    };
    let (doc, rules) = parse_item(section.root(), fmt, &text, &ctx, false).map_err(|e| e.0)?;
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.create_scopes())?;
    if let Some(d) = rules.first() {
        return Err(rule_error(d, None, items::put_code(&doc)));
    }
    let mut store = r.state.store();
    check_duplicates(&store, r.orcid, section, &r.caller.client.id, &doc, None)?;
    let item = insert_item(&mut store, &researcher, r.caller, r.orcid, section, doc);
    amend(&mut store, r.orcid, r.caller, "CREATE", &[&item]);
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/v2.1/{}/{seg}/{}",
        r.orcid, item.put_code
    )))
}

fn update_item(
    r: &Req<'_>,
    section: ItemSection,
    pc: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let url_pc = parse_pc(pc)?;
    let stored = r.state.store().item_v2(r.orcid, section, url_pc).cloned();
    let ctx = Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url_pc)),
        stored_visibility: stored.as_ref().and_then(|s| items::visibility(&s.doc)),
    };
    let (doc, rules) = parse_item(section.root(), fmt, &text, &ctx, false).map_err(|e| e.0)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.update_scopes())?;
    let body_pc = items::put_code(&doc);
    if let Some(d) = rules
        .iter()
        .find(|d| d.orcid_error.is_some_and(|e| e.code == 9019))
    {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let stored = stored.ok_or_else(ApiError::not_found)?;
    if let Some(d) = rules.first() {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let mut store = r.state.store();
    check_duplicates(
        &store,
        r.orcid,
        section,
        &r.caller.client.id,
        &doc,
        Some(url_pc),
    )?;
    let unchanged = items::content_only(&doc) == items::content_only(&stored.doc);
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
            ApiError::new(
                403,
                9010,
                format!(
                    "You are not the source of the {}, so you are not allowed to update it.",
                    section.name()
                ),
            )
        });
    }
    if unchanged {
        return Ok(document_response(200, r.n, &stored.doc));
    }
    let mut doc = doc;
    items::set_envelope(
        &mut doc,
        &Envelope {
            put_code: url_pc,
            visibility: items::visibility(&stored.doc).unwrap_or(Visibility::Private),
            source: items::source(&stored.doc).unwrap_or_else(|| {
                views::client_source(&r.caller.client.id, &r.caller.client.name)
            }),
            created_ms: items::created_ms(&stored.doc).unwrap_or_else(now_ms),
            modified_ms: now_ms(),
            path: item_path(r.orcid, section, url_pc),
        },
    );
    let item = StoredItem { doc, ..stored };
    store.save_item(item.clone());
    amend(&mut store, r.orcid, r.caller, "UPDATE", &[&item]);
    Ok(document_response(200, r.n, &item.doc))
}

fn delete_item(r: &Req<'_>, section: ItemSection, pc: &str) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.delete_scopes())?;
    let mut store = r.state.store();
    let stored = store
        .item_v2(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    if stored.client_id != r.caller.client.id {
        return Err(ApiError::new(
            403,
            9010,
            format!(
                "You are not the source of the {}, so you are not allowed to update it.",
                section.name()
            ),
        ));
    }
    store.delete_item(pc);
    amend(&mut store, r.orcid, r.caller, "DELETE", &[&stored]);
    Ok(empty(204))
}

fn read_item(
    r: &Req<'_>,
    section: ItemSection,
    pc: &str,
    summary: bool,
) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let stored = r
        .state
        .store()
        .item_v2(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    r.caller.check_read(
        Some(&stored.client_id),
        items::visibility(&stored.doc),
        section.read_scope(),
    )?;
    let doc = if summary {
        views::summary(&stored.doc).ok_or_else(ApiError::not_found)?
    } else {
        stored.doc
    };
    Ok(document_response(200, r.n, &doc))
}

pub(crate) fn visible<'s>(
    store: &'s Store,
    caller: &Caller,
    orcid: &str,
    section: ItemSection,
) -> Vec<&'s StoredItem> {
    store
        .items_of(orcid, section)
        .into_iter()
        .filter(|i| {
            caller
                .check_read(
                    Some(&i.client_id),
                    items::visibility(&i.doc),
                    section.read_scope(),
                )
                .is_ok()
        })
        .collect()
}

pub(crate) fn person_view<'s>(
    store: &'s Store,
    caller: &Caller,
    researcher: &'s Researcher,
) -> PersonView<'s> {
    let orcid = &researcher.profile.orcid;
    let bio = "/orcid-bio/read-limited";
    let mut person_items = Vec::new();
    for s in ItemSection::ALL.iter().filter(|s| !s.is_activity()) {
        person_items.extend(visible(store, caller, orcid, *s));
    }
    PersonView {
        researcher,
        name: caller.can_see(researcher.name_visibility(), bio),
        biography: caller.can_see(researcher.biography_visibility(), bio),
        email: caller.has_any(&["/email/read-private"]) && caller.token.orcid.is_some()
            || caller.can_see(researcher.email_visibility(), bio),
        items: person_items,
    }
}

pub(crate) fn activity_items<'s>(
    store: &'s Store,
    caller: &Caller,
    orcid: &str,
) -> ActivityItems<'s> {
    ActivityItems {
        works: visible(store, caller, orcid, ItemSection::Work),
        fundings: visible(store, caller, orcid, ItemSection::Funding),
        educations: visible(store, caller, orcid, ItemSection::Education),
        employments: visible(store, caller, orcid, ItemSection::Employment),
        peer_reviews: visible(store, caller, orcid, ItemSection::PeerReview),
    }
}

/// GET of a whole section or of the person/record views.
pub(crate) fn read_view_v2(r: &Req<'_>, what: &str) -> Result<Response, ApiError> {
    let doc = view_doc_v2(r, what)?;
    Ok(document_response(200, r.n, &doc))
}

/// The document of a whole section or of the person/record views, as v2.1 shows it.
pub(crate) fn view_doc_v2(r: &Req<'_>, what: &str) -> Result<Document, ApiError> {
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let store = r.state.store();
    let o = r.orcid;
    let doc = match what {
        "" | "record" => {
            let pv = person_view(&store, r.caller, &researcher);
            let ai = activity_items(&store, r.caller, o);
            Document::RecordRecord(Box::new(views::record(&pv, &ai)))
        }
        "person" => Document::PersonPerson(Box::new(views::person(&person_view(
            &store,
            r.caller,
            &researcher,
        )))),
        "personal-details" => Document::PersonalDetailsPersonalDetails(Box::new(
            views::personal_details(&person_view(&store, r.caller, &researcher)),
        )),
        "biography" => {
            let bio = views::biography(&researcher).ok_or_else(|| {
                ApiError::new(404, 9041, "The biography of this record was not found.")
            })?;
            r.caller.check_read(
                None,
                Some(researcher.biography_visibility()),
                "/orcid-bio/read-limited",
            )?;
            Document::PersonalDetailsBiography(Box::new(bio))
        }
        "email" => {
            let pv = person_view(&store, r.caller, &researcher);
            Document::EmailEmails(Box::new(views::emails(&researcher, pv.email)))
        }
        "activities" => Document::ActivitiesActivitiesSummary(Box::new(views::activities(
            o,
            &activity_items(&store, r.caller, o),
        ))),
        seg => {
            let section = ItemSection::from_list_path(seg).ok_or_else(ApiError::not_found)?;
            let items = visible(&store, r.caller, o, section);
            match section {
                ItemSection::Work => Document::ActivitiesWorks(Box::new(views::works(o, &items))),
                ItemSection::Funding => {
                    Document::ActivitiesFundings(Box::new(views::fundings(o, &items)))
                }
                ItemSection::Education => {
                    Document::ActivitiesEducations(Box::new(views::educations(o, &items)))
                }
                ItemSection::Employment => {
                    Document::ActivitiesEmployments(Box::new(views::employments(o, &items)))
                }
                ItemSection::PeerReview => {
                    Document::ActivitiesPeerReviews(Box::new(views::peer_reviews(o, &items)))
                }
                s => views::person_list(o, s, &items).ok_or_else(ApiError::not_found)?,
            }
        }
    };
    drop(store);
    Ok(doc)
}

enum RawWork {
    Xml(String),
    Json(String),
    NotAWork(String),
}

/// `POST /works`: up to 100 works, each created or answered with an error
/// in place; HTTP 200 (`docs/orcid-api.md` §4.3).
fn bulk_create(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let raws: Vec<RawWork> = match fmt {
        Fmt::Xml => split_xml(&text)
            .map_err(|e| xsd_error(None, Fmt::Xml, &e))?
            .into_iter()
            .map(|x| {
                if x.local == "work" {
                    RawWork::Xml(x.text)
                } else {
                    RawWork::NotAWork(x.local)
                }
            })
            .collect(),
        Fmt::Json => {
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| xsd_error(None, Fmt::Json, &e.to_string()))?;
            let list = match v.get("bulk") {
                Some(serde_json::Value::Array(a)) => a.clone(),
                Some(serde_json::Value::Null) | None => {
                    return Err(xsd_error(
                        None,
                        Fmt::Json,
                        "a bulk is {\"bulk\": [{\"work\": …}, …]}",
                    ))
                }
                Some(single) => vec![single.clone()],
            };
            list.into_iter()
                .map(|item| match item.get("work") {
                    Some(w) => RawWork::Json(w.to_string()),
                    None => RawWork::NotAWork("(not a work)".into()),
                })
                .collect()
        }
    };
    let cfg = &r.state.config().api;
    if raws.len() > cfg.bulk_write_max {
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
    require_scope(r.caller, ItemSection::Work.create_scopes())?;
    let ctx = Context::default();
    let mut parsed: Vec<Result<Document, ApiError>> = Vec::new();
    for raw in raws {
        let p = match raw {
            RawWork::Xml(t) => parse_item(Root::WorkWork, Fmt::Xml, &t, &ctx, true),
            RawWork::Json(t) => parse_item(Root::WorkWork, Fmt::Json, &t, &ctx, true),
            RawWork::NotAWork(name) => Err((
                xsd_error(None, Fmt::Xml, &format!("`{name}` is not a work")),
                false,
            )),
        };
        parsed.push(match p {
            Ok((doc, rules)) => match rules.first() {
                Some(d) => Err(rule_error(d, None, items::put_code(&doc))),
                None => Ok(doc),
            },
            Err((e, true)) => return Err(e),
            Err((e, false)) => Err(e),
        });
    }
    let mut store = r.state.store();
    let mut out = Vec::new();
    let mut made = Vec::new();
    for p in parsed {
        let result = p.and_then(|doc| {
            check_duplicates(
                &store,
                r.orcid,
                ItemSection::Work,
                &r.caller.client.id,
                &doc,
                None,
            )?;
            Ok(insert_item(
                &mut store,
                &researcher,
                r.caller,
                r.orcid,
                ItemSection::Work,
                doc,
            ))
        });
        match result {
            Ok(item) => {
                if let Document::WorkWork(w) = &item.doc {
                    out.push(BulkItem::Work(w.clone()));
                }
                made.push(item);
            }
            Err(e) => out.push(BulkItem::Error(Box::new(e.to_model()))),
        }
    }
    let refs: Vec<&StoredItem> = made.iter().collect();
    amend(&mut store, r.orcid, r.caller, "CREATE", &refs);
    drop(store);
    Ok(document_response(
        200,
        r.n,
        &Document::BulkBulk(Box::new(Bulk { bulk: out })),
    ))
}

/// `GET /works/{pc1,pc2,…}`: per-item errors in place, HTTP 200
/// (`docs/orcid-api.md` §4.3).
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
    let out: Vec<BulkItem> = parts
        .iter()
        .map(|p| {
            let found = p
                .parse::<i64>()
                .ok()
                .and_then(|pc| store.item_v2(r.orcid, ItemSection::Work, pc));
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
                        items::visibility(&i.doc),
                        ItemSection::Work.read_scope(),
                    )
                    .map(|_| i),
            };
            match res {
                Ok(i) => match &i.doc {
                    Document::WorkWork(w) => BulkItem::Work(w.clone()),
                    _ => BulkItem::Error(Box::new(ApiError::not_found().to_model())),
                },
                Err(e) => BulkItem::Error(Box::new(e.to_model())),
            }
        })
        .collect();
    drop(store);
    Ok(document_response(
        200,
        r.n,
        &Document::BulkBulk(Box::new(Bulk { bulk: out })),
    ))
}

// ------------------------------------------------ notification-permission

fn notification_doc(n: &Notification) -> Option<orcid_model::v2_1::notification::Notification> {
    let xml = n.permission_xml.as_ref()?;
    // Sent through v3.0: what v2.1 can hold of it (v3-only item types
    // hide it).
    let doc = if n.permission_version.as_deref() == Some("3.0") {
        let v3 = orcid_model::v3_0::Document::from_xml(xml).ok()?;
        orcid_model::convert::downgrade(&v3).ok()?.0
    } else {
        Document::from_xml(xml).ok()?
    };
    match doc {
        Document::NotificationNotification(mut x) => {
            x.archived_date = n.archived_ms.map(DateTime::from_epoch_millis);
            Some(*x)
        }
        _ => None,
    }
}

fn notif_create(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let (doc, _) = parse_item(
        Root::NotificationNotification,
        fmt,
        &text,
        &Context::default(),
        false,
    )
    .map_err(|e| e.0)?;
    r.state
        .researcher(r.orcid)
        .ok_or_else(|| ApiError::orcid_not_found(r.orcid))?;
    require_scope(r.caller, &["/premium-notification"])?;
    let Document::NotificationNotification(mut n) = doc else {
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
    n.source = Some(views::client_source(
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
        permission_xml: Some(Document::NotificationNotification(n).to_xml(false)),
        archived_ms: None,
        permission_version: None,
    });
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/v2.1/{}/notification-permission/{pc}",
        r.orcid
    )))
}

pub(crate) fn notif_find(r: &Req<'_>, id: &str) -> Result<Notification, ApiError> {
    r.state
        .researcher(r.orcid)
        .ok_or_else(|| ApiError::orcid_not_found(r.orcid))?;
    require_scope(r.caller, &["/premium-notification"])?;
    let id = parse_pc(id)?;
    let n = r
        .state
        .store()
        .notifications
        .iter()
        .find(|n| n.orcid == r.orcid && n.put_code == id && n.notification_type == "PERMISSION")
        .cloned()
        .ok_or_else(|| ApiError::new(404, 9029, "The notification was not found."))?;
    if n.client_id != r.caller.client.id {
        return Err(ApiError::new(
            403,
            9010,
            "You are not the source of the notification, so you are not allowed to access it.",
        ));
    }
    Ok(n)
}

fn notif_get(r: &Req<'_>, id: &str) -> Result<Response, ApiError> {
    let n = notif_find(r, id)?;
    let doc = notification_doc(&n).ok_or_else(ApiError::not_found)?;
    Ok(document_response(
        200,
        r.n,
        &Document::NotificationNotification(Box::new(doc)),
    ))
}

fn notif_archive(r: &Req<'_>, id: &str) -> Result<Response, ApiError> {
    let mut n = notif_find(r, id)?;
    if n.archived_ms.is_none() {
        n.archived_ms = Some(now_ms());
        r.state.store().save_notification(n.clone());
    }
    let doc = notification_doc(&n).ok_or_else(ApiError::not_found)?;
    Ok(document_response(
        200,
        r.n,
        &Document::NotificationNotification(Box::new(doc)),
    ))
}

fn notif_list(r: &Req<'_>) -> Result<Response, ApiError> {
    r.state
        .researcher(r.orcid)
        .ok_or_else(|| ApiError::orcid_not_found(r.orcid))?;
    require_scope(r.caller, &["/premium-notification"])?;
    let list: Vec<_> = r
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
    Ok(document_response(
        200,
        r.n,
        &Document::NotificationNotifications(Box::new(Notifications { notification: list })),
    ))
}

// --------------------------------------------------------------- dispatch

pub(crate) fn method_mismatch() -> ApiError {
    ApiError::new(405, 9001, "Endpoint and method mismatch")
}

/// Every `/v2.1/…` request.
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
    let path = uri.path().trim_start_matches("/v2.1").to_string();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(n) = negotiate(&headers) else {
        let mut e = ApiError::new(
            406,
            9001,
            "the Accept header names no media type this API produces (application/vnd.orcid+xml, application/vnd.orcid+json, …)",
        );
        e.no_content_type = true;
        return e.into_response(Negotiated::DEFAULT);
    };
    if segs.as_slice() == ["search"] {
        let res = if method == Method::GET {
            crate::search::search(
                &state.store(),
                &caller,
                orcid_model::Version::V2_1,
                crate::search::Kind::Plain,
                uri.query(),
                n,
            )
        } else {
            Err(method_mismatch())
        };
        return res.unwrap_or_else(|e| e.into_response(n));
    }
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
    let res = match rest {
        []
        | ["record"]
        | ["person"]
        | ["personal-details"]
        | ["biography"]
        | ["email"]
        | ["activities"] => {
            if m == Method::GET {
                read_view_v2(&r, rest.first().copied().unwrap_or(""))
            } else {
                Err(method_mismatch())
            }
        }
        ["notification-permission"] => match *m {
            Method::POST => notif_create(&r, &body),
            Method::GET => notif_list(&r),
            _ => Err(method_mismatch()),
        },
        ["notification-permission", id] => match *m {
            Method::GET => notif_get(&r, id),
            Method::DELETE => notif_archive(&r, id),
            _ => Err(method_mismatch()),
        },
        [seg] if *seg == ItemSection::Work.list_path() => match *m {
            Method::GET => read_view_v2(&r, seg),
            Method::POST => bulk_create(&r, &body),
            _ => Err(method_mismatch()),
        },
        [seg, pcs] if *seg == ItemSection::Work.list_path() => match *m {
            Method::GET => bulk_read(&r, pcs),
            _ => Err(method_mismatch()),
        },
        [seg] => match (
            ItemSection::from_list_path(seg),
            ItemSection::from_item_path(seg),
        ) {
            // Person sections: the list path is also where items are POSTed.
            (Some(list), Some(_)) => match *m {
                Method::GET => read_view_v2(&r, seg),
                Method::POST => create_item(&r, list, seg, &body),
                _ => Err(method_mismatch()),
            },
            (Some(_), None) => match *m {
                Method::GET => read_view_v2(&r, seg),
                _ => Err(method_mismatch()),
            },
            (None, Some(item)) => match *m {
                Method::POST => create_item(&r, item, seg, &body),
                _ => Err(method_mismatch()),
            },
            (None, None) => Err(ApiError::not_found()),
        },
        [seg, pc] => match ItemSection::from_item_path(seg) {
            Some(section) => match *m {
                Method::GET => read_item(&r, section, pc, false),
                Method::PUT => update_item(&r, section, pc, &body),
                Method::DELETE => delete_item(&r, section, pc),
                _ => Err(method_mismatch()),
            },
            None => Err(ApiError::not_found()),
        },
        [seg, "summary", pc] => {
            match ItemSection::from_item_path(seg).filter(|s| s.is_activity()) {
                Some(section) if *m == Method::GET => read_item(&r, section, pc, true),
                Some(_) => Err(method_mismatch()),
                None => Err(ApiError::not_found()),
            }
        }
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

/// Every `/v2.0/…` request. v2.0 and v2.1 share the message structure
/// and the XSD namespaces; the only difference on the wire is that v2.0
/// writes ORCID iD URIs (`orcid-identifier`, `source-orcid`,
/// `source-client-id`, `contributor-orcid`: the `uri` elements) as
/// `http://` where v2.1 writes `https://` (`docs/orcid-api.md` §2.2;
/// ORCID's `VersionConverterImplV2_0ToV2_1` maps only `OrcidIdBase`). So
/// the request body's `uri`s are made v2.1's, the request is served as
/// v2.1, and the answer's `uri`s and `Location` are rewritten to v2.0.
pub async fn dispatch_v2_0(
    state: State<MockState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let v21 = format!("/v2.1{}", pq.strip_prefix("/v2.0").unwrap_or(pq));
    let uri = v21.parse::<Uri>().unwrap_or(uri);
    let body = match std::str::from_utf8(&body) {
        Ok(text) if !text.is_empty() => Bytes::from(rewrite_uris(text, "http://", "https://")),
        _ => body,
    };
    let resp = dispatch(state, method, uri, headers, body).await;
    to_v2_0(resp).await
}

/// A v2.1 answer as v2.0 writes it: `uri` values with `http://`, the
/// `Location` under `/v2.0/`.
async fn to_v2_0(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    if let Some(loc) = parts
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(|l| l.replacen("/v2.1/", "/v2.0/", 1))
        .and_then(|l| l.parse().ok())
    {
        parts.headers.insert(header::LOCATION, loc);
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match std::str::from_utf8(&bytes) {
        Ok(text) => Body::from(rewrite_uris(text, "https://", "http://")),
        Err(_) => Body::from(bytes),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Replaces the scheme `from` by `to` at the start of every `uri` value:
/// XML elements `<uri>`/`<prefix:uri>` and JSON keys `"uri"` (any
/// whitespace around the colon). Other values (`url`, text) are kept.
pub(crate) fn rewrite_uris(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(i) = rest.find("uri") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        out.push_str("uri");
        let after = &tail[3..];
        let before = head.chars().next_back();
        // XML: `<uri>` or `<p:uri>`.
        let xml_value = matches!(before, Some('<') | Some(':')) && after.starts_with('>');
        // JSON: `"uri"` then `:` then `"`.
        let json_value = before == Some('"') && after.starts_with('"');
        let value_at = if xml_value {
            Some(1)
        } else if json_value {
            let t = &after[1..];
            let t2 = t.trim_start();
            t2.strip_prefix(':')
                .map(str::trim_start)
                .filter(|v| v.starts_with('"'))
                .map(|v| after.len() - v.len() + 1)
        } else {
            None
        };
        match value_at {
            Some(at) if after[at..].starts_with(from) => {
                out.push_str(&after[..at]);
                out.push_str(to);
                rest = &after[at + from.len()..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod v2_0_tests {
    use super::rewrite_uris;

    #[test]
    fn uris_change_scheme_other_values_do_not() {
        let xml = "<common:uri>https://orcid.org/0000-0002-1825-0097</common:uri><common:url>https://x</common:url><uri>https://a</uri>";
        assert_eq!(
            rewrite_uris(xml, "https://", "http://"),
            "<common:uri>http://orcid.org/0000-0002-1825-0097</common:uri><common:url>https://x</common:url><uri>http://a</uri>"
        );
        let json = r#"{"uri":"https://orcid.org/client/APP-1","url":{"value":"https://x"},"title":"uri https://y"}"#;
        assert_eq!(
            rewrite_uris(json, "https://", "http://"),
            r#"{"uri":"http://orcid.org/client/APP-1","url":{"value":"https://x"},"title":"uri https://y"}"#
        );
        // python-orcid's json.dumps spacing, the other way round.
        assert_eq!(
            rewrite_uris(
                r#"{"uri": "http://orcid.org/x", "curi": "http://z"}"#,
                "http://",
                "https://"
            ),
            r#"{"uri": "https://orcid.org/x", "curi": "http://z"}"#
        );
    }
}
