//! Search over the mock's researchers: `/v2.1/search`, `/v3.0/search`,
//! `/v3.0/expanded-search` and `/v3.0/csv-search` (`docs/orcid-v3.md` §1,
//! §3; `docs/orcid-api.md` §8).
//!
//! ORCID runs the query on Solr; the mock understands a small subset of
//! it: whitespace-separated terms, each `field:value` or a bare value
//! (any field), joined by `AND` (the default) or `OR`; values may be
//! quoted and may end in `*` (prefix). Fields: `orcid`, `given-names`,
//! `family-name`, `credit-name`, `other-names`, `email`, `text` (any);
//! `*:*` (or no `q`) matches every record. Only what the researcher made
//! public is searched and shown: the name, public other names, a public
//! e-mail, public employments and educations (institutions).
//!
//! `start` ≥ 0 and `rows` (v2.1: 0..=200, default 100; v3.0: 0..=1000,
//! default 1000), else 400/9012.

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::{ItemSection, Version};

use crate::api::Caller;
use crate::http::{document_response, ApiError, Negotiated};
use crate::store::{Researcher, Store};
use crate::views;

/// Which search endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `search:search`: iDs only.
    Plain,
    /// `expanded-search:expanded-search` (v3.0).
    Expanded,
    /// `text/csv` (v3.0).
    Csv,
}

/// What a researcher shows to search: public data only.
struct Public {
    orcid: String,
    given_names: Option<String>,
    family_name: Option<String>,
    credit_name: Option<String>,
    other_names: Vec<String>,
    email: Option<String>,
    current_institutions: Vec<String>,
    past_institutions: Vec<String>,
}

fn is_public(v: Option<Visibility>) -> bool {
    v == Some(Visibility::Public)
}

fn public_of(store: &Store, r: &Researcher) -> Public {
    let p = &r.profile;
    let named = r.name_visibility() == Visibility::Public;
    let other_names = store
        .items_of(&p.orcid, ItemSection::OtherName)
        .into_iter()
        .filter(|i| {
            is_public(<crate::api2::V2_1 as crate::api::ApiVersion>::visibility(
                &i.doc,
            ))
        })
        .map(|i| crate::items::title(&i.doc))
        .collect();
    let mut current = Vec::new();
    let mut past = Vec::new();
    for section in [Section3::Employment, Section3::Education] {
        for i in store.items_of(&p.orcid, section) {
            let (orcid_model::v3_0::Document::EmploymentEmployment(a)
            | orcid_model::v3_0::Document::EducationEducation(a)) = &i.doc
            else {
                continue;
            };
            if a.visibility != Some(orcid_model::v3_0::common::Visibility::Public) {
                continue;
            }
            let Some(name) = a.organization.as_ref().and_then(|o| o.name.as_ref()) else {
                continue;
            };
            let list = if a.end_date.is_some() {
                &mut past
            } else {
                &mut current
            };
            if !list.contains(name) {
                list.push(name.clone());
            }
        }
    }
    Public {
        orcid: p.orcid.clone(),
        given_names: named.then(|| p.given_names.clone()),
        family_name: p.family_name.clone().filter(|_| named),
        credit_name: p.credit_name.clone().filter(|_| named),
        other_names,
        email: p
            .email
            .clone()
            .filter(|_| r.email_visibility() == Visibility::Public),
        current_institutions: current,
        past_institutions: past,
    }
}

/// One query term.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    All,
    Field(String, String),
    Any(String),
}

/// Splits `q` into terms and whether they are OR-ed.
fn parse_query(q: &str) -> (Vec<Term>, bool) {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let or = tokens.iter().any(|t| t == "OR");
    let terms = tokens
        .into_iter()
        .filter(|t| t != "AND" && t != "OR")
        .map(|t| {
            if t == "*:*" || t == "*" {
                return Term::All;
            }
            match t.split_once(':') {
                // An iD or a URL value after a field name keeps its colons.
                Some((field, value))
                    if !field.is_empty()
                        && field
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    Term::Field(field.to_ascii_lowercase(), value.to_lowercase())
                }
                _ => Term::Any(t.to_lowercase()),
            }
        })
        .collect();
    (terms, or)
}

/// Whether a text matches a value: a whole word or the whole text, or a
/// word prefix with a trailing `*`.
fn text_matches(text: &str, value: &str) -> bool {
    let text = text.to_lowercase();
    if let Some(prefix) = value.strip_suffix('*') {
        return text.starts_with(prefix) || text.split_whitespace().any(|w| w.starts_with(prefix));
    }
    text == value || text.split_whitespace().any(|w| w == value)
}

fn field_matches(p: &Public, field: &str, value: &str) -> bool {
    let any = |v: &Option<String>| v.as_deref().is_some_and(|t| text_matches(t, value));
    match field {
        "orcid" => {
            let v = value.trim_start_matches("https://orcid.org/");
            p.orcid.eq_ignore_ascii_case(v) || text_matches(&p.orcid, v)
        }
        "given-names" | "given-name" => any(&p.given_names),
        "family-name" | "family-names" => any(&p.family_name),
        "credit-name" => any(&p.credit_name),
        "other-names" | "other-name" => p.other_names.iter().any(|n| text_matches(n, value)),
        "email" => any(&p.email),
        "affiliation-org-name" => p
            .current_institutions
            .iter()
            .chain(&p.past_institutions)
            .any(|n| text_matches(n, value)),
        "text" => [
            "orcid",
            "given-names",
            "family-name",
            "credit-name",
            "other-names",
            "email",
            "affiliation-org-name",
        ]
        .iter()
        .any(|f| field_matches(p, f, value)),
        _ => false,
    }
}

fn matches(p: &Public, terms: &[Term], or: bool) -> bool {
    if terms.is_empty() {
        return true;
    }
    let one = |t: &Term| match t {
        Term::All => true,
        Term::Field(f, v) => field_matches(p, f, v),
        Term::Any(v) => field_matches(p, "text", v),
    };
    if or {
        terms.iter().any(one)
    } else {
        terms.iter().all(one)
    }
}

fn bad_request(text: &str) -> ApiError {
    ApiError::new(400, 9012, text.to_string())
}

/// The query parameters of a search.
fn params(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The CSV columns ORCID offers (`fl`), in its default order.
const CSV_FIELDS: &[&str] = &[
    "orcid",
    "email",
    "given-names",
    "family-name",
    "given-and-family-names",
    "current-institution-affiliation-name",
    "past-institution-affiliation-name",
    "credit-name",
    "other-names",
];

fn csv_value(p: &Public, field: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match field {
        "orcid" => p.orcid.clone(),
        "email" => opt(&p.email),
        "given-names" => opt(&p.given_names),
        "family-name" => opt(&p.family_name),
        "given-and-family-names" => [opt(&p.given_names), opt(&p.family_name)]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        "current-institution-affiliation-name" => p.current_institutions.join(","),
        "past-institution-affiliation-name" => p.past_institutions.join(","),
        "credit-name" => opt(&p.credit_name),
        "other-names" => p.other_names.join(","),
        _ => String::new(),
    }
}

/// Answers a search request. `caller`: a valid token; plain search also
/// needs `/read-public` (expanded and CSV search need no scope).
pub(crate) fn search(
    store: &Store,
    caller: &Caller,
    version: Version,
    kind: Kind,
    query: Option<&str>,
    n: Negotiated,
) -> Result<Response, ApiError> {
    if kind == Kind::Plain {
        crate::api::require_scope(caller, &["/read-public"])?;
    }
    let params = params(query);
    let (max_rows, default_rows) = match version {
        Version::V2_1 => (200, 100),
        Version::V3_0 => (1000, 1000),
    };
    let rows = match param(&params, "rows") {
        None => default_rows,
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|r| *r <= max_rows)
            .ok_or_else(|| {
                bad_request(&format!(
                    "The rows parameter must be an integer between 0 and {max_rows}."
                ))
            })?,
    };
    let start = match param(&params, "start") {
        None => 0,
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| bad_request("The start parameter must be a non-negative integer."))?,
    };
    let (terms, or) = parse_query(param(&params, "q").unwrap_or(""));
    let found: Vec<Public> = store
        .researchers
        .values()
        .map(|r| public_of(store, r))
        .filter(|p| matches(p, &terms, or))
        .collect();
    let total = found.len() as i64;
    let page: Vec<&Public> = found.iter().skip(start).take(rows).collect();
    Ok(match (kind, version) {
        (Kind::Plain, Version::V2_1) => document_response(
            200,
            n,
            &orcid_model::Document::SearchSearch(Box::new(orcid_model::v2_1::search::Search {
                result: page
                    .iter()
                    .map(|p| orcid_model::v2_1::search::SearchResult {
                        orcid_identifier: Some(views::orcid_identifier(&p.orcid)),
                    })
                    .collect(),
                num_found: Some(total),
            })),
        ),
        (Kind::Plain, Version::V3_0) => document_response(
            200,
            n,
            &orcid_model::v3_0::Document::SearchSearch(Box::new(
                orcid_model::v3_0::search::Search {
                    result: page
                        .iter()
                        .map(|p| orcid_model::v3_0::search::SearchResult {
                            orcid_identifier: Some(orcid_model::v3_0::common::OrcidIdentifier {
                                uri: Some(format!("https://{}/{}", views::ORCID_HOST, p.orcid)),
                                path: Some(orcid_model::scalar::OrcidId(p.orcid.clone())),
                                host: Some(views::ORCID_HOST.into()),
                            }),
                        })
                        .collect(),
                    num_found: Some(total),
                },
            )),
        ),
        (Kind::Expanded, _) => document_response(
            200,
            n,
            &orcid_model::v3_0::Document::ExpandedSearchExpandedSearch(Box::new(
                orcid_model::v3_0::expanded_search::ExpandedSearch {
                    expanded_result: page
                        .iter()
                        .map(|p| orcid_model::v3_0::expanded_search::ExpandedResult {
                            orcid_id: Some(p.orcid.clone()),
                            given_names: p.given_names.clone(),
                            family_names: p.family_name.clone(),
                            credit_name: p.credit_name.clone(),
                            other_name: p.other_names.clone(),
                            email: p.email.iter().cloned().collect(),
                            institution_name: p
                                .current_institutions
                                .iter()
                                .chain(&p.past_institutions)
                                .cloned()
                                .collect(),
                        })
                        .collect(),
                    num_found: Some(total),
                },
            )),
        ),
        (Kind::Csv, _) => {
            let fields: Vec<String> = match param(&params, "fl") {
                Some(fl) if !fl.trim().is_empty() => fl
                    .split(',')
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty())
                    .collect(),
                _ => CSV_FIELDS.iter().map(|f| f.to_string()).collect(),
            };
            if let Some(bad) = fields.iter().find(|f| !CSV_FIELDS.contains(&f.as_str())) {
                return Err(bad_request(&format!("Unknown field in fl: {bad}")));
            }
            let mut out = fields.join(",");
            out.push('\n');
            for p in page {
                let line: Vec<String> =
                    fields.iter().map(|f| csv_field(&csv_value(p, f))).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(out))
                .unwrap_or_default()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        let (t, or) = parse_query("family-name:Carberry AND given-names:\"Josiah S\"");
        assert!(!or);
        assert_eq!(
            t,
            vec![
                Term::Field("family-name".into(), "carberry".into()),
                Term::Field("given-names".into(), "josiah s".into()),
            ]
        );
        let (t, or) = parse_query("orcid:0000-0002-1825-0097 OR smith*");
        assert!(or);
        assert_eq!(t[1], Term::Any("smith*".into()));
        assert_eq!(parse_query("*:*").0, vec![Term::All]);
        assert!(text_matches("Josiah Carberry", "carb*"));
        assert!(text_matches("Josiah Carberry", "josiah carberry"));
        assert!(!text_matches("Josiah Carberry", "carb"));
    }
}
