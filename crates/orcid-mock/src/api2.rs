//! The member API v2.1 (`/v2.1/{orcid}/…`): its pieces of the request
//! flow of [`crate::api`] (the v2.1 model, the XSD and rules of
//! `orcid_validate`, the validator's `ids_clash` for duplicates, the
//! views of [`crate::views`]), and `/v2.0/` served through it.
//!
//! A bulk of works (`POST /works`) is split into its works, each read and
//! validated on its own (a JSON work whose XML image fails the XSD gives
//! 9001 in place; one that does not read sinks the bulk), and gets one
//! AMENDED notification for all of them.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use orcid_model::scalar::DateTime;
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::common::Source;
use orcid_model::v2_1::notification::{Notification as Notification2, Notifications};
use orcid_model::{Document, ItemSection, Root, Version};
use orcid_validate::{validate_json, validate_xml, Context, Report};

use crate::api::{
    check_record, duplicate_activity, duplicate_person, parse_item, require_scope, rule_error,
    visible, xsd_error, ApiVersion, Caller, Req,
};
use crate::bulk::split_xml;
use crate::config::ClientConfig;
use crate::http::{ApiError, Fmt, Negotiated};
use crate::items;
use crate::search::Kind;
use crate::store::{Notification, Researcher, Store};
use crate::views::{self, ActivityItems, PersonView};
use crate::MockState;

/// The member API v2.1.
pub(crate) struct V2_1;

/// A work of a bulk as the body gives it.
pub(crate) enum RawWork {
    Xml(String),
    Json(String),
    NotAWork(String),
}

impl ApiVersion for V2_1 {
    const PREFIX: &'static str = "v2.1";
    const VERSION: Version = Version::V2_1;
    const EXTRA_VIEWS: &'static [&'static str] = &[];
    const AMEND_EACH_BULK_WORK: bool = false;
    const PERMISSION_VERSION: Option<&'static str> = None;

    type Section = ItemSection;
    type Doc = Document;
    type Root = Root;
    type Source = Source;
    type BulkRaw = RawWork;
    type BulkItem = BulkItem;
    type Notification = Notification2;

    crate::api::model_fields!(Document, Root, items::activity_external_ids);
    fn check_format(_: Fmt, _: &str) -> Result<(), ApiError> {
        Ok(())
    }
    fn validate(text: &str, fmt: Fmt, root: Root, ctx: &Context) -> Report {
        match fmt {
            Fmt::Xml => validate_xml(text, ctx),
            Fmt::Json => validate_json(text, Some(root), ctx),
        }
    }

    crate::api::envelope_fields!(std::convert::identity, std::convert::identity);
    fn client_source(client: &ClientConfig) -> Source {
        views::client_source(&client.id, &client.name)
    }
    fn summary(doc: &Document) -> Option<Document> {
        views::summary(doc)
    }
    fn title(doc: &Document) -> String {
        items::title(doc)
    }

    /// Activities clash by the validator's `ids_clash`; person items by
    /// their key (`items::person_duplicate_key`).
    fn check_duplicates(
        store: &Store,
        orcid: &str,
        section: ItemSection,
        client_id: &str,
        doc: &Document,
        exclude: Option<i64>,
    ) -> Result<(), ApiError> {
        let mut mine = store
            .items_of(orcid, section)
            .into_iter()
            .filter(|i| i.client_id == client_id && Some(i.put_code) != exclude);
        if section.is_activity() {
            let ids = items::activity_external_ids(doc);
            let clash = mine.find(|existing| {
                let theirs = items::activity_external_ids(&existing.doc);
                ids.iter().any(|a| {
                    theirs
                        .iter()
                        .any(|b| orcid_validate::rules::ids_clash(a, b))
                })
            });
            if let Some(existing) = clash {
                return Err(duplicate_activity(existing.put_code));
            }
        } else if let Some(key) = items::person_duplicate_key(doc) {
            if mine.any(|i| items::person_duplicate_key(&i.doc).as_ref() == Some(&key)) {
                return Err(duplicate_person(&key.0, &key.1));
            }
        }
        Ok(())
    }
    fn duplicates_on_put(_: ItemSection) -> bool {
        true
    }
    fn source_before_rules(_: ItemSection) -> bool {
        false
    }

    fn view(r: &Req<'_>, what: &str) -> Result<Document, ApiError> {
        view(r, what)
    }

    fn bulk_split(fmt: Fmt, text: &str) -> Result<Vec<RawWork>, ApiError> {
        Ok(match fmt {
            Fmt::Xml => split_xml(text)
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
                let v: serde_json::Value = serde_json::from_str(text)
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
        })
    }
    fn bulk_work(raw: RawWork) -> Result<Option<Result<Document, ApiError>>, ApiError> {
        let ctx = Context::default();
        let p = match raw {
            RawWork::Xml(t) => parse_item::<V2_1>(Root::WorkWork, Fmt::Xml, &t, &ctx, true),
            RawWork::Json(t) => parse_item::<V2_1>(Root::WorkWork, Fmt::Json, &t, &ctx, true),
            RawWork::NotAWork(name) => Err((
                xsd_error(None, Fmt::Xml, &format!("`{name}` is not a work")),
                false,
            )),
        };
        Ok(Some(match p {
            Ok((doc, rules)) => match rules.first() {
                Some(d) => Err(rule_error(d, None, Self::put_code(&doc))),
                None => Ok(doc),
            },
            Err((e, true)) => return Err(e),
            Err((e, false)) => Err(e),
        }))
    }
    fn bulk_item(res: Result<&Document, ApiError>) -> BulkItem {
        match res {
            Ok(Document::WorkWork(w)) => BulkItem::Work(w.clone()),
            Ok(_) => BulkItem::Error(Box::new(ApiError::not_found().to_model())),
            Err(e) => BulkItem::Error(Box::new(e.to_model())),
        }
    }

    crate::api::notification_fields!();
    /// Sent through v3.0: what v2.1 can hold of it (v3-only item types
    /// hide it).
    fn stored_notification(n: &Notification) -> Option<Notification2> {
        let xml = n.permission_xml.as_ref()?;
        let doc = if n.permission_version.as_deref() == Some("3.0") {
            let v3 = orcid_model::v3_0::Document::from_xml(xml).ok()?;
            orcid_model::convert::downgrade(&v3).ok()?.0
        } else {
            Document::from_xml(xml).ok()?
        };
        let mut x = Self::notification(doc)?;
        x.archived_date = n.archived_ms.map(DateTime::from_epoch_millis);
        Some(x)
    }

    fn search_kind(segment: &str) -> Option<Kind> {
        (segment == "search").then_some(Kind::Plain)
    }
    fn search_unnegotiated(_: Kind) -> Result<Negotiated, ApiError> {
        Err(crate::api::not_acceptable())
    }
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
        person_items.extend(visible::<V2_1>(store, caller, orcid, *s));
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
        works: visible::<V2_1>(store, caller, orcid, ItemSection::Work),
        fundings: visible::<V2_1>(store, caller, orcid, ItemSection::Funding),
        educations: visible::<V2_1>(store, caller, orcid, ItemSection::Education),
        employments: visible::<V2_1>(store, caller, orcid, ItemSection::Employment),
        peer_reviews: visible::<V2_1>(store, caller, orcid, ItemSection::PeerReview),
    }
}

/// The document of a whole section or of the person/record views, as v2.1 shows it.
pub(crate) fn view(r: &Req<'_>, what: &str) -> Result<Document, ApiError> {
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
            let items = visible::<V2_1>(&store, r.caller, o, section);
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
    let resp = crate::api::dispatch::<V2_1>(state, method, uri, headers, body).await;
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
