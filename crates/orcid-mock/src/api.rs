//! The member API's request flow, one for both versions (`/v2.1/…` and
//! `/v3.0/…`), checked in ORCID's order (`docs/orcid-api.md` §4.2, "Order
//! of checks on a write"):
//!
//! 1. bearer token: missing → 403, invalid/expired/revoked → 401 `invalid_token`;
//! 2. path and method (404, 405/9001), `Accept` (406/9001), `Content-Type`
//!    (415/9001), the body against the XSD (400/9001 XML, 400/9047 JSON);
//! 3. the record (404/9016);
//! 4. the token's iD (401/9017) and scopes (403/9038);
//! 5. PUT: URL and body put-codes (400/9019);
//! 6. the stored item (404/9016), ORCID's rules (their codes, incl. 9024,
//!    9035), duplicates (409/9021, 409/9030), the source (403/9010).
//!
//! What differs between the versions is an [`ApiVersion`]: its types
//! (sections, documents, bulks, notifications), how it reads a body, its
//! duplicate rule, its read views and the few places where ORCID orders
//! the checks differently. [`crate::api2`] implements it for v2.1 (and
//! serves `/v2.0/` through it), [`crate::api3`] for v3.0 (its module docs
//! list the v3.0 differences).

use std::collections::BTreeSet;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::Version;
use orcid_validate::{Context, Diagnostic, Operation, Report, Severity};

use crate::config::ClientConfig;
use crate::http::{document_response, empty, negotiate, ApiError, Fmt, Negotiated, WireDocument};
use crate::items::{ApiSection, Envelope, SectionScopes};
use crate::search::Kind;
use crate::store::{AmendedItem, Notification, Researcher, Store, Stored, Token, VersionSection};
use crate::util::{now_ms, redact};
use crate::{scopes, MockState};

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

    pub(crate) fn can_see(&self, vis: Visibility, read_scope: &str) -> bool {
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
pub(crate) type ParseError = (ApiError, bool);

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

// ---------------------------------------------------------------- requests

/// A request below `/{orcid}`, authenticated and negotiated.
pub(crate) struct Req<'a> {
    pub(crate) state: &'a MockState,
    pub(crate) caller: &'a Caller,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) n: Negotiated,
    pub(crate) orcid: &'a str,
}

// ---------------------------------------------------------------- versions

/// The views of `GET /{orcid}/{what}` besides the sections, in both
/// versions (no segment: the record).
const VIEWS: &[&str] = &[
    "record",
    "person",
    "personal-details",
    "biography",
    "email",
    "activities",
];

/// An item as a version sees it.
pub(crate) type ItemOf<V> = Stored<<V as ApiVersion>::Section, <V as ApiVersion>::Doc>;

/// What one API version brings to the shared request flow: its types and
/// the few places where it differs.
pub(crate) trait ApiVersion: 'static {
    /// The path segment of the version (`v2.1`), in requests and `Location`s.
    const PREFIX: &'static str;
    /// The version, for the searches.
    const VERSION: Version;
    /// The views of `GET /{orcid}/{what}` besides the sections and [`VIEWS`]
    /// (v3.0: `summary`).
    const EXTRA_VIEWS: &'static [&'static str];
    /// Whether each work of a bulk gets its own AMENDED notification (v3.0)
    /// rather than one for the whole bulk (v2.1).
    const AMEND_EACH_BULK_WORK: bool;
    /// `Notification::permission_version` of what is sent through it.
    const PERMISSION_VERSION: Option<&'static str>;

    /// Its sections.
    type Section: ApiSection + VersionSection<Doc = Self::Doc>;
    /// Its documents.
    type Doc: Clone + PartialEq + WireDocument;
    /// Its document roots.
    type Root: Copy + PartialEq;
    /// Its `common:source`.
    type Source;
    /// A work of a bulk as the body gives it, before its checks.
    type BulkRaw;
    /// An entry of a bulk answer (a work or an error).
    type BulkItem;
    /// Its `notification:notification`.
    type Notification;

    /// The root of one item of a section.
    fn root(section: Self::Section) -> Self::Root;
    /// The root of a permission notification.
    fn notification_root() -> Self::Root;
    /// The root of a document.
    fn doc_root(doc: &Self::Doc) -> Self::Root;
    /// A root as `prefix:local`.
    fn root_name(root: Self::Root) -> String;
    /// A body's own format check before validation (v3.0: it must be in the
    /// format its `Content-Type` names).
    fn check_format(fmt: Fmt, text: &str) -> Result<(), ApiError>;
    /// Validates a body as `root` against the version's XSD and rules.
    fn validate(text: &str, fmt: Fmt, root: Self::Root, ctx: &Context) -> Report;
    /// Reads a body.
    fn read(text: &str, fmt: Fmt, root: Self::Root) -> Result<Self::Doc, String>;

    /// The put-code of an item.
    fn put_code(doc: &Self::Doc) -> Option<PutCode>;
    /// The visibility of an item (v2.1's type: the same four values).
    fn visibility(doc: &Self::Doc) -> Option<Visibility>;
    /// The creation time of an item (epoch ms).
    fn created_ms(doc: &Self::Doc) -> Option<i64>;
    /// The source of an item.
    fn source(doc: &Self::Doc) -> Option<Self::Source>;
    /// `common:source` for a client.
    fn client_source(client: &ClientConfig) -> Self::Source;
    /// Writes the server-owned envelope into an item.
    fn set_envelope(doc: &mut Self::Doc, env: Envelope<Self::Source>);
    /// An item with the server-owned fields cleared, to compare contents.
    fn content_only(doc: &Self::Doc) -> Self::Doc;
    /// The summary of an activity item; `None` for person items.
    fn summary(doc: &Self::Doc) -> Option<Self::Doc>;
    /// A short name of an item for AMENDED notifications.
    fn title(doc: &Self::Doc) -> String;
    /// The external ids of an activity as AMENDED notifications list them
    /// (`type:value`).
    fn notified_ids(doc: &Self::Doc) -> Vec<String>;

    /// Duplicates among the caller's own items (409/9021 activities,
    /// 409/9030 person items), `exclude` being the item a PUT replaces.
    fn check_duplicates(
        store: &Store,
        orcid: &str,
        section: Self::Section,
        client_id: &str,
        doc: &Self::Doc,
        exclude: Option<i64>,
    ) -> Result<(), ApiError>;
    /// Whether a PUT checks duplicates.
    fn duplicates_on_put(section: Self::Section) -> bool;
    /// Whether a PUT checks the source (403/9010) before ORCID's rules.
    fn source_before_rules(section: Self::Section) -> bool;
    /// Sets the fields the server computes from an item's content
    /// (v3.0: the external ids' normalization), as a read shows them.
    fn server_fields(_doc: &mut Self::Doc) {}

    /// The document of a whole section or of a view ([`VIEWS`], [`Self::EXTRA_VIEWS`]).
    fn view(r: &Req<'_>, what: &str) -> Result<Self::Doc, ApiError>;

    /// The works of a bulk body.
    fn bulk_split(fmt: Fmt, text: &str) -> Result<Vec<Self::BulkRaw>, ApiError>;
    /// One work of a bulk, checked: `Ok(None)` is skipped, `Ok(Some(Err))` is
    /// an error in place, `Err` sinks the whole bulk.
    #[allow(clippy::type_complexity)]
    fn bulk_work(raw: Self::BulkRaw) -> Result<Option<Result<Self::Doc, ApiError>>, ApiError>;
    /// An entry of a bulk answer: a work, or the error in its place.
    fn bulk_item(res: Result<&Self::Doc, ApiError>) -> Self::BulkItem;
    /// The bulk answer.
    fn bulk_doc(items: Vec<Self::BulkItem>) -> Self::Doc;

    /// The notification of a body read as [`Self::notification_root`].
    fn notification(doc: Self::Doc) -> Option<Self::Notification>;
    /// Its put-code.
    fn notification_put_code(n: &Self::Notification) -> Option<PutCode>;
    /// Sets what the server owns: put-code, dates and source.
    fn stamp_notification(n: &mut Self::Notification, pc: i64, now: i64, source: Self::Source);
    /// The notification in XML, as the inbox keeps it.
    fn notification_xml(n: Self::Notification) -> String;
    /// A stored permission notification as the version shows it.
    fn stored_notification(n: &Notification) -> Option<Self::Notification>;
    /// One notification as a document.
    fn notification_doc(n: Self::Notification) -> Self::Doc;
    /// The notification list document.
    fn notifications_doc(list: Vec<Self::Notification>) -> Self::Doc;

    /// The search of a path segment (`search`; v3.0 also `expanded-search`, `csv-search`).
    fn search_kind(segment: &str) -> Option<Kind>;
    /// A search whose `Accept` names nothing the API produces: the format
    /// to answer in anyway, or the 406.
    fn search_unnegotiated(kind: Kind) -> Result<Negotiated, ApiError>;
}

// ---------------------------------------------------------------- the flow

/// Reads and validates a body as `root`: XSD failures are errors; ORCID's
/// rule findings (errors only) are returned for the caller to order.
/// `in_bulk`: a JSON item whose XML image fails the XSD gives 9001 (ORCID
/// validates each work of a bulk), and a JSON read failure sinks the bulk.
pub(crate) fn parse_item<V: ApiVersion>(
    root: V::Root,
    fmt: Fmt,
    text: &str,
    ctx: &Context,
    in_bulk: bool,
) -> Result<(V::Doc, Vec<Diagnostic>), ParseError> {
    V::check_format(fmt, text).map_err(|e| (e, false))?;
    let report = V::validate(text, fmt, root, ctx);
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
    let doc = V::read(text, fmt, root)
        .map_err(|e| (xsd_error(None, fmt, &e), fmt == Fmt::Json && in_bulk))?;
    if V::doc_root(&doc) != root {
        return Err((
            xsd_error(
                None,
                Fmt::Xml,
                &format!(
                    "expected <{}>, found <{}>",
                    V::root_name(root),
                    V::root_name(V::doc_root(&doc))
                ),
            ),
            false,
        ));
    }
    Ok((doc, rules))
}

/// 409/9021: an activity with the same external identifiers as `put_code`.
pub(crate) fn duplicate_activity(put_code: i64) -> ApiError {
    ApiError::new(
        409,
        9021,
        format!(
            "You have already added this activity (matched by external identifiers), \
             please see element with put-code {put_code}. If you are trying to edit the item, \
             please use PUT instead of POST."
        ),
    )
}

/// 409/9030: a person item with the same key (`docs/orcid-api.md` §5.8).
pub(crate) fn duplicate_person(ty: &str, value: &str) -> ApiError {
    ApiError::new(
        409,
        9030,
        format!("The element '{value}' of type '{ty}' is duplicated."),
    )
}

/// 403/9010: the caller is not the item's source.
fn not_source(section: impl ApiSection) -> ApiError {
    ApiError::new(
        403,
        9010,
        format!(
            "You are not the source of the {}, so you are not allowed to update it.",
            section.name()
        ),
    )
}

pub(crate) fn item_path(orcid: &str, section: impl ApiSection, pc: i64) -> String {
    format!("/{orcid}/{}/{pc}", section.item_path())
}

/// Checks for duplicates and stores a new item with the server-owned
/// envelope (`docs/orcid-api.md` §4.5).
fn insert_item<V: ApiVersion>(
    store: &mut Store,
    r: &Req<'_>,
    researcher: &Researcher,
    section: V::Section,
    mut doc: V::Doc,
) -> Result<ItemOf<V>, ApiError> {
    V::check_duplicates(store, r.orcid, section, &r.caller.client.id, &doc, None)?;
    V::server_fields(&mut doc);
    let pc = store.next_put_code();
    // A claimed record gives new items the researcher's default visibility.
    let visibility = if researcher.profile.claimed {
        researcher.default_visibility()
    } else {
        V::visibility(&doc).unwrap_or(Visibility::Private)
    };
    let now = now_ms();
    V::set_envelope(
        &mut doc,
        Envelope {
            put_code: pc,
            visibility,
            source: V::client_source(&r.caller.client),
            created_ms: now,
            modified_ms: now,
            path: item_path(r.orcid, section, pc),
        },
    );
    let item = Stored {
        put_code: pc,
        orcid: r.orcid.to_string(),
        section,
        client_id: r.caller.client.id.clone(),
        doc,
    };
    store.save_item(item.clone());
    tracing::info!(orcid = r.orcid, section = section.name(), put_code = pc, client = %r.caller.client.id, version = V::PREFIX, "created");
    Ok(item)
}

/// Adds an AMENDED notification for activity writes (`docs/orcid-api.md` §7).
fn amend<V: ApiVersion>(store: &mut Store, r: &Req<'_>, action: &str, changed: &[&ItemOf<V>]) {
    let items: Vec<AmendedItem> = changed
        .iter()
        .filter(|i| i.section.is_activity())
        .map(|i| AmendedItem {
            action: action.into(),
            item_type: i.section.notification_type(),
            item_name: V::title(&i.doc),
            put_code: i.put_code,
            external_ids: V::notified_ids(&i.doc),
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let put_code = store.next_put_code();
    store.save_notification(Notification {
        put_code,
        orcid: r.orcid.to_string(),
        notification_type: "AMENDED".into(),
        client_id: r.caller.client.id.clone(),
        client_name: r.caller.client.name.clone(),
        created_ms: now_ms(),
        items,
        permission_xml: None,
        archived_ms: None,
        permission_version: None,
    });
}

fn create_item<V: ApiVersion>(
    r: &Req<'_>,
    section: V::Section,
    seg: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let ctx = Context {
        operation: Operation::Create,
        ..Context::default()
    };
    let (doc, rules) =
        parse_item::<V>(V::root(section), fmt, &text, &ctx, false).map_err(|e| e.0)?;
    let researcher = check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.create_scopes())?;
    if let Some(d) = rules.first() {
        return Err(rule_error(d, None, V::put_code(&doc)));
    }
    let mut store = r.state.store();
    let item = insert_item::<V>(&mut store, r, &researcher, section, doc)?;
    amend::<V>(&mut store, r, "CREATE", &[&item]);
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/{}/{}/{seg}/{}",
        V::PREFIX,
        r.orcid,
        item.put_code
    )))
}

fn update_item<V: ApiVersion>(
    r: &Req<'_>,
    section: V::Section,
    pc: &str,
    body: &Bytes,
) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let url_pc = parse_pc(pc)?;
    let stored = r.state.store().item(r.orcid, section, url_pc).cloned();
    let ctx = Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url_pc)),
        stored_visibility: stored.as_ref().and_then(|s| V::visibility(&s.doc)),
    };
    let (doc, rules) =
        parse_item::<V>(V::root(section), fmt, &text, &ctx, false).map_err(|e| e.0)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.update_scopes())?;
    let body_pc = V::put_code(&doc);
    if let Some(d) = rules
        .iter()
        .find(|d| d.orcid_error.is_some_and(|e| e.code == 9019))
    {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let stored = stored.ok_or_else(ApiError::not_found)?;
    let mine = stored.client_id == r.caller.client.id;
    if V::source_before_rules(section) && !mine {
        return Err(not_source(section));
    }
    if let Some(d) = rules.first() {
        return Err(rule_error(d, Some(url_pc), body_pc));
    }
    let mut store = r.state.store();
    if V::duplicates_on_put(section) {
        V::check_duplicates(
            &store,
            r.orcid,
            section,
            &r.caller.client.id,
            &doc,
            Some(url_pc),
        )?;
    }
    let mut doc = doc;
    V::server_fields(&mut doc);
    let unchanged = V::content_only(&doc) == V::content_only(&stored.doc);
    if !mine {
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
        return Ok(document_response(200, r.n, &stored.doc));
    }
    V::set_envelope(
        &mut doc,
        Envelope {
            put_code: url_pc,
            visibility: V::visibility(&stored.doc).unwrap_or(Visibility::Private),
            source: V::source(&stored.doc).unwrap_or_else(|| V::client_source(&r.caller.client)),
            created_ms: V::created_ms(&stored.doc).unwrap_or_else(now_ms),
            modified_ms: now_ms(),
            path: item_path(r.orcid, section, url_pc),
        },
    );
    let item = Stored { doc, ..stored };
    store.save_item(item.clone());
    amend::<V>(&mut store, r, "UPDATE", &[&item]);
    Ok(document_response(200, r.n, &item.doc))
}

fn delete_item<V: ApiVersion>(
    r: &Req<'_>,
    section: V::Section,
    pc: &str,
) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, section.delete_scopes())?;
    let mut store = r.state.store();
    let stored = store
        .item(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    if stored.client_id != r.caller.client.id {
        return Err(not_source(section));
    }
    store.delete_item(pc);
    amend::<V>(&mut store, r, "DELETE", &[&stored]);
    Ok(empty(204))
}

fn read_item<V: ApiVersion>(
    r: &Req<'_>,
    section: V::Section,
    pc: &str,
    summary: bool,
) -> Result<Response, ApiError> {
    let pc = parse_pc(pc)?;
    check_record(r.state, r.caller, r.orcid)?;
    require_scope(r.caller, &["/read-public"])?;
    let stored = r
        .state
        .store()
        .item(r.orcid, section, pc)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    r.caller.check_read(
        Some(&stored.client_id),
        V::visibility(&stored.doc),
        section.read_scope(),
    )?;
    let doc = if summary {
        V::summary(&stored.doc).ok_or_else(ApiError::not_found)?
    } else {
        stored.doc
    };
    Ok(document_response(200, r.n, &doc))
}

/// The items of a section the caller may see.
pub(crate) fn visible<'s, V: ApiVersion>(
    store: &'s Store,
    caller: &Caller,
    orcid: &str,
    section: V::Section,
) -> Vec<&'s ItemOf<V>> {
    store
        .items_of(orcid, section)
        .into_iter()
        .filter(|i| {
            caller
                .check_read(
                    Some(&i.client_id),
                    V::visibility(&i.doc),
                    section.read_scope(),
                )
                .is_ok()
        })
        .collect()
}

/// GET of a whole section or of a view.
fn read_view<V: ApiVersion>(r: &Req<'_>, what: &str) -> Result<Response, ApiError> {
    let doc = V::view(r, what)?;
    Ok(document_response(200, r.n, &doc))
}

// ------------------------------------------------------------------- bulk

/// `POST /works`: up to 100 works, each created or answered with an error
/// in place; HTTP 200 (`docs/orcid-api.md` §4.3).
fn bulk_create<V: ApiVersion>(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let raws = V::bulk_split(fmt, &text)?;
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
    let work = V::Section::WORK;
    require_scope(r.caller, work.create_scopes())?;
    let mut parsed = Vec::new();
    for raw in raws {
        parsed.extend(V::bulk_work(raw)?);
    }
    let mut store = r.state.store();
    let mut out = Vec::new();
    let mut made = Vec::new();
    for p in parsed {
        match p.and_then(|doc| insert_item::<V>(&mut store, r, &researcher, work, doc)) {
            Ok(item) => {
                out.push(V::bulk_item(Ok(&item.doc)));
                if V::AMEND_EACH_BULK_WORK {
                    amend::<V>(&mut store, r, "CREATE", &[&item]);
                } else {
                    made.push(item);
                }
            }
            Err(e) => out.push(V::bulk_item(Err(e))),
        }
    }
    let refs: Vec<&ItemOf<V>> = made.iter().collect();
    amend::<V>(&mut store, r, "CREATE", &refs);
    drop(store);
    Ok(document_response(200, r.n, &V::bulk_doc(out)))
}

/// `GET /works/{pc1,pc2,…}`: per-item errors in place, HTTP 200
/// (`docs/orcid-api.md` §4.3).
fn bulk_read<V: ApiVersion>(r: &Req<'_>, pcs: &str) -> Result<Response, ApiError> {
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
    let work = V::Section::WORK;
    let store = r.state.store();
    let out = parts
        .iter()
        .map(|p| {
            let found = p
                .parse::<i64>()
                .ok()
                .and_then(|pc| store.item(r.orcid, work, pc));
            let res = match found {
                None => Err(ApiError::new(
                    400,
                    9034,
                    format!("'{p}' is not a valid put code"),
                )),
                Some(i) => r
                    .caller
                    .check_read(Some(&i.client_id), V::visibility(&i.doc), work.read_scope())
                    .map(|_| &i.doc),
            };
            V::bulk_item(res)
        })
        .collect();
    drop(store);
    Ok(document_response(200, r.n, &V::bulk_doc(out)))
}

// ------------------------------------------------ notification-permission

fn notif_create<V: ApiVersion>(r: &Req<'_>, body: &Bytes) -> Result<Response, ApiError> {
    let (fmt, text) = body_text(r.headers, body)?;
    let (doc, _) = parse_item::<V>(
        V::notification_root(),
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
    let mut n = V::notification(doc).ok_or_else(ApiError::not_found)?;
    if V::notification_put_code(&n).is_some() {
        return Err(ApiError::new(
            400,
            9024,
            "Put-code is included when not expected. When posting new activities, the put code should be omitted.",
        ));
    }
    let mut store = r.state.store();
    let pc = store.next_put_code();
    let now = now_ms();
    V::stamp_notification(&mut n, pc, now, V::client_source(&r.caller.client));
    store.save_notification(Notification {
        put_code: pc,
        orcid: r.orcid.to_string(),
        notification_type: "PERMISSION".into(),
        client_id: r.caller.client.id.clone(),
        client_name: r.caller.client.name.clone(),
        created_ms: now,
        items: Vec::new(),
        permission_xml: Some(V::notification_xml(n)),
        archived_ms: None,
        permission_version: V::PERMISSION_VERSION.map(String::from),
    });
    drop(store);
    let base = r.state.base_url(r.headers);
    Ok(created(format!(
        "{base}/{}/{}/notification-permission/{pc}",
        V::PREFIX,
        r.orcid
    )))
}

/// A permission notification the caller sent (404/9029, 403/9010).
fn notif_find(r: &Req<'_>, id: &str) -> Result<Notification, ApiError> {
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

/// GET (or, `archive`, DELETE) of a permission notification.
fn notif_get<V: ApiVersion>(r: &Req<'_>, id: &str, archive: bool) -> Result<Response, ApiError> {
    let mut n = notif_find(r, id)?;
    if archive && n.archived_ms.is_none() {
        n.archived_ms = Some(now_ms());
        r.state.store().save_notification(n.clone());
    }
    let doc = V::stored_notification(&n).ok_or_else(ApiError::not_found)?;
    Ok(document_response(200, r.n, &V::notification_doc(doc)))
}

fn notif_list<V: ApiVersion>(r: &Req<'_>) -> Result<Response, ApiError> {
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
        .filter_map(V::stored_notification)
        .collect();
    Ok(document_response(200, r.n, &V::notifications_doc(list)))
}

// --------------------------------------------------------------- dispatch

pub(crate) fn method_mismatch() -> ApiError {
    ApiError::new(405, 9001, "Endpoint and method mismatch")
}

/// 406/9001 without a `Content-Type`: the `Accept` header names nothing
/// the API produces.
pub(crate) fn not_acceptable() -> ApiError {
    let mut e = ApiError::new(
        406,
        9001,
        "the Accept header names no media type this API produces (application/vnd.orcid+xml, application/vnd.orcid+json, …)",
    );
    e.no_content_type = true;
    e
}

/// Every request of the version `V` (`/v2.1/…`, `/v3.0/…`).
pub(crate) async fn dispatch<V: ApiVersion>(
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
    let prefix = format!("/{}", V::PREFIX);
    let path = uri.path().trim_start_matches(prefix.as_str()).to_string();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(kind) = match segs.as_slice() {
        [seg] => V::search_kind(seg),
        _ => None,
    } {
        let n = match negotiate(&headers).map_or_else(|| V::search_unnegotiated(kind), Ok) {
            Ok(n) => n,
            Err(e) => return e.into_response(Negotiated::DEFAULT),
        };
        let res = if method == Method::GET {
            crate::search::search(&state.store(), &caller, V::VERSION, kind, uri.query(), n)
        } else {
            Err(method_mismatch())
        };
        return res.unwrap_or_else(|e| e.into_response(n));
    }
    let Some(n) = negotiate(&headers) else {
        return not_acceptable().into_response(Negotiated::DEFAULT);
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
    let res = route::<V>(&r, &method, rest, &body);
    match res {
        Ok(resp) => resp,
        Err(e) => {
            tracing::info!(%method, path = %uri.path(), status = e.status, code = ?e.code, "API error");
            e.into_response(n)
        }
    }
}

/// The handler of a path below `/{orcid}`.
fn route<V: ApiVersion>(
    r: &Req<'_>,
    m: &Method,
    rest: &[&str],
    body: &Bytes,
) -> Result<Response, ApiError> {
    let get_only = |f: &dyn Fn() -> Result<Response, ApiError>| {
        if *m == Method::GET {
            f()
        } else {
            Err(method_mismatch())
        }
    };
    let works = |seg: &str| seg == V::Section::WORK.list_path();
    match rest {
        [] => get_only(&|| read_view::<V>(r, "")),
        [what] if VIEWS.contains(what) || V::EXTRA_VIEWS.contains(what) => {
            get_only(&|| read_view::<V>(r, what))
        }
        ["notification-permission"] => match *m {
            Method::POST => notif_create::<V>(r, body),
            Method::GET => notif_list::<V>(r),
            _ => Err(method_mismatch()),
        },
        ["notification-permission", id] => match *m {
            Method::GET => notif_get::<V>(r, id, false),
            Method::DELETE => notif_get::<V>(r, id, true),
            _ => Err(method_mismatch()),
        },
        [seg] if works(seg) => match *m {
            Method::GET => read_view::<V>(r, seg),
            Method::POST => bulk_create::<V>(r, body),
            _ => Err(method_mismatch()),
        },
        [seg, pcs] if works(seg) => get_only(&|| bulk_read::<V>(r, pcs)),
        [seg] => match (
            V::Section::from_list_path(seg),
            V::Section::from_item_path(seg),
        ) {
            // Person sections: the list path is also where items are POSTed.
            (Some(list), Some(_)) => match *m {
                Method::GET => read_view::<V>(r, seg),
                Method::POST => create_item::<V>(r, list, seg, body),
                _ => Err(method_mismatch()),
            },
            (Some(_), None) => get_only(&|| read_view::<V>(r, seg)),
            (None, Some(item)) => match *m {
                Method::POST => create_item::<V>(r, item, seg, body),
                _ => Err(method_mismatch()),
            },
            (None, None) => Err(ApiError::not_found()),
        },
        [seg, pc] => match V::Section::from_item_path(seg) {
            Some(section) => match *m {
                Method::GET => read_item::<V>(r, section, pc, false),
                Method::PUT => update_item::<V>(r, section, pc, body),
                Method::DELETE => delete_item::<V>(r, section, pc),
                _ => Err(method_mismatch()),
            },
            None => Err(ApiError::not_found()),
        },
        [seg, "summary", pc] => match V::Section::from_item_path(seg).filter(|s| s.is_activity()) {
            Some(section) => get_only(&|| read_item::<V>(r, section, pc, true)),
            None => Err(ApiError::not_found()),
        },
        _ => Err(ApiError::not_found()),
    }
}

/// The accessors of a permission notification's server-owned fields, the
/// same in both versions' types (put-code, dates, source).
macro_rules! notification_fields {
    () => {
        fn notification_put_code(n: &Self::Notification) -> Option<orcid_model::scalar::PutCode> {
            n.put_code
        }
        fn stamp_notification(n: &mut Self::Notification, pc: i64, now: i64, source: Self::Source) {
            n.put_code = Some(orcid_model::scalar::PutCode(pc));
            n.created_date = Some(orcid_model::scalar::DateTime::from_epoch_millis(now));
            n.sent_date = Some(orcid_model::scalar::DateTime::from_epoch_millis(now));
            n.source = Some(source);
        }
    };
}
pub(crate) use notification_fields;

/// The server-owned fields of an item (put-code, visibility, source,
/// dates, path, display-index), the same in both versions' types:
/// `$vis_in` maps the version's visibility to v2.1's, `$vis_out` back.
macro_rules! envelope_fields {
    ($vis_in:expr, $vis_out:expr) => {
        fn put_code(doc: &Self::Doc) -> Option<orcid_model::scalar::PutCode> {
            doc.item_envelope().and_then(|x| *x.put_code)
        }
        fn visibility(doc: &Self::Doc) -> Option<orcid_model::v2_1::common::Visibility> {
            doc.item_envelope().and_then(|x| *x.visibility).map($vis_in)
        }
        fn created_ms(doc: &Self::Doc) -> Option<i64> {
            doc.item_envelope()
                .and_then(|x| x.created_date.as_ref().map(|d| d.epoch_millis()))
        }
        fn source(doc: &Self::Doc) -> Option<Self::Source> {
            doc.item_envelope().and_then(|x| x.source.clone())
        }
        fn set_envelope(doc: &mut Self::Doc, env: crate::items::Envelope<Self::Source>) {
            use orcid_model::scalar::{DateTime, PutCode};
            if let Some(x) = doc.item_envelope_mut() {
                *x.put_code = Some(PutCode(env.put_code));
                *x.visibility = Some($vis_out(env.visibility));
                *x.source = Some(env.source);
                *x.created_date = Some(DateTime::from_epoch_millis(env.created_ms));
                *x.last_modified_date = Some(DateTime::from_epoch_millis(env.modified_ms));
                *x.path = Some(env.path);
                *x.display_index = Some(crate::items::API_DISPLAY_INDEX.into());
            }
        }
        fn content_only(doc: &Self::Doc) -> Self::Doc {
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
    };
}
pub(crate) use envelope_fields;

/// The document functions of a version written the same in both versions'
/// model (`$doc`, `$root`: its document and root types; `$ids`: the
/// external ids of an activity; `Bulk` and `Notifications` the version's,
/// in scope where it is used).
macro_rules! model_fields {
    ($doc:ident, $root:ident, $ids:path) => {
        fn notified_ids(doc: &$doc) -> Vec<String> {
            $ids(doc)
                .iter()
                .map(|e| {
                    format!(
                        "{}:{}",
                        e.external_id_type.as_deref().unwrap_or_default(),
                        e.external_id_value.as_deref().unwrap_or_default()
                    )
                })
                .collect()
        }
        fn root(section: Self::Section) -> $root {
            section.root()
        }
        fn notification_root() -> $root {
            $root::NotificationNotification
        }
        fn doc_root(doc: &$doc) -> $root {
            doc.root()
        }
        fn root_name(root: $root) -> String {
            root.qualified_name()
        }
        fn read(text: &str, fmt: Fmt, root: $root) -> Result<$doc, String> {
            match fmt {
                Fmt::Xml => $doc::from_xml(text),
                Fmt::Json => $doc::from_json(text, Some(root)),
            }
            .map_err(|e| e.to_string())
        }
        fn bulk_doc(bulk: Vec<Self::BulkItem>) -> $doc {
            $doc::BulkBulk(Box::new(Bulk { bulk }))
        }
        fn notification(doc: $doc) -> Option<Self::Notification> {
            match doc {
                $doc::NotificationNotification(n) => Some(*n),
                _ => None,
            }
        }
        fn notification_xml(n: Self::Notification) -> String {
            $doc::NotificationNotification(Box::new(n)).to_xml(false)
        }
        fn notification_doc(n: Self::Notification) -> $doc {
            $doc::NotificationNotification(Box::new(n))
        }
        fn notifications_doc(notification: Vec<Self::Notification>) -> $doc {
            $doc::NotificationNotifications(Box::new(Notifications { notification }))
        }
    };
}
pub(crate) use model_fields;
