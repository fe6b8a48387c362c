//! ORCID API error codes (`docs/orcid-api.md` §4.2, from ORCID-Source
//! `orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java`
//! and `orcid-core/src/main/resources/i18n/api_en.properties`): the HTTP status each
//! comes with, what it means and its usual causes, for `orcid explain CODE`;
//! and the Layer 2 rules that predict each code.

use crate::rules::{Rule, RULES};

/// One ORCID error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrcidCode {
    /// The `error-code` (e.g. 9022).
    pub code: u16,
    /// The HTTP status that usually comes with it.
    pub http: u16,
    /// Other statuses it can come with (e.g. 9001 with 405/406/415).
    pub other_http: &'static [u16],
    /// Short name.
    pub title: &'static str,
    /// What it means (ORCID's developer message, abridged).
    pub meaning: &'static str,
    /// Usual causes, most common first.
    pub causes: &'static [&'static str],
}

/// Every ORCID error code (`docs/orcid-api.md` §4.2), by code.
pub static ORCID_CODES: &[OrcidCode] = &[
    OrcidCode {
        code: 9001,
        http: 400,
        other_http: &[405, 406, 415],
        title: "Invalid data",
        meaning: "The XML/JSON is not readable or fails the XSD (\"400 Bad Request: There is an \
                  issue with your data or the API endpoint…\"); 405/406/415 for a wrong method \
                  or media type.",
        causes: &[
            "the body does not validate against the v2.1 XSD (element order, missing \
             required element, value outside an enumeration or pattern)",
            "wrong Content-Type or Accept header (415 / 406)",
            "a bulk item that fails the XSD (reported in place, per item)",
        ],
    },
    OrcidCode {
        code: 9002,
        http: 401,
        other_http: &[],
        title: "Client not authorized",
        meaning: "The client application is not authorized (Spring AuthenticationException).",
        causes: &["bad client credentials"],
    },
    OrcidCode {
        code: 9004,
        http: 403,
        other_http: &[],
        title: "Forbidden: insufficient scope",
        meaning: "The client application is forbidden to perform the action (SecurityException).",
        causes: &["the token lacks the scope the endpoint needs"],
    },
    OrcidCode {
        code: 9005,
        http: 403,
        other_http: &[],
        title: "Forbidden: wrong scope",
        meaning: "The client application is forbidden to perform the action \
                  (IllegalStateException).",
        causes: &["e.g. an /orcid-profile/create token used on a claimed record"],
    },
    OrcidCode {
        code: 9006,
        http: 400,
        other_http: &[413],
        title: "Bad request",
        meaning: "IllegalArgumentException, incl. \"You are allowed to add up to 100 elements \
                  per request.\" for a bulk of more than 100 works.",
        causes: &[
            "more than 100 works in one bulk (some proxies answer 413 instead)",
            "an invalid argument in the request",
        ],
    },
    OrcidCode {
        code: 9007,
        http: 409,
        other_http: &[301],
        title: "Record deprecated",
        meaning: "The ORCID record is deprecated: GET answers 301 with the primary record's \
                  Location, other methods 409.",
        causes: &["the user merged this iD into another one"],
    },
    OrcidCode {
        code: 9008,
        http: 500,
        other_http: &[],
        title: "Internal error",
        meaning: "Anything ORCID's exception mapper does not know.",
        causes: &[
            "a server bug",
            "an oversize value that passes the XSD but not the database",
        ],
    },
    OrcidCode {
        code: 9009,
        http: 403,
        other_http: &[],
        title: "Notification already read",
        meaning: "The notification has already been read and cannot be archived.",
        causes: &["archiving a read notification"],
    },
    OrcidCode {
        code: 9010,
        http: 403,
        other_http: &[],
        title: "Not the source",
        meaning: "\"You are not the source of the ${activity}, so you are not allowed to update \
                  it.\"",
        causes: &["updating or deleting an item another client or the user added"],
    },
    OrcidCode {
        code: 9011,
        http: 404,
        other_http: &[],
        title: "Not found",
        meaning: "ORCID record or item not found (OrcidNotFoundException).",
        causes: &["unknown ORCID iD"],
    },
    OrcidCode {
        code: 9012,
        http: 400,
        other_http: &[],
        title: "Bad request",
        meaning: "OrcidBadRequestException.",
        causes: &["search `rows` out of range", "API version errors"],
    },
    OrcidCode {
        code: 9013,
        http: 403,
        other_http: &[],
        title: "Private item",
        meaning: "The item is private and you are not its source (OrcidVisibilityException).",
        causes: &["reading another client's private item"],
    },
    OrcidCode {
        code: 9014,
        http: 403,
        other_http: &[],
        title: "Forbidden",
        meaning: "OrcidForbiddenException.",
        causes: &["a PUT without changes by a client that is not the source"],
    },
    OrcidCode {
        code: 9015,
        http: 401,
        other_http: &[],
        title: "Invalid scope",
        meaning: "One of the provided scopes is not allowed.",
        causes: &["requesting a scope the client may not use"],
    },
    OrcidCode {
        code: 9016,
        http: 404,
        other_http: &[],
        title: "Resource not found",
        meaning: "The resource was not found (NoResultException).",
        causes: &[
            "unknown iD",
            "unknown put-code (e.g. the user deleted the item)",
            "a put-code of another record",
        ],
    },
    OrcidCode {
        code: 9017,
        http: 401,
        other_http: &[],
        title: "Client not authorized for this record",
        meaning: "The client application is not authorized for this ORCID record.",
        causes: &[
            "the token was issued for a different iD",
            "a public client on the member API",
        ],
    },
    OrcidCode {
        code: 9018,
        http: 409,
        other_http: &[],
        title: "Record locked",
        meaning: "The ORCID record is locked.",
        causes: &["ORCID locked the record"],
    },
    OrcidCode {
        code: 9019,
        http: 400,
        other_http: &[],
        title: "Put-code mismatch",
        meaning: "\"The put code in the URL was X whereas the one in the body was Y\" (Y is \
                  `null` when the body has no put-code).",
        causes: &[
            "the body of a PUT has no put-code",
            "the body's put-code differs from the URL's",
        ],
    },
    OrcidCode {
        code: 9020,
        http: 400,
        other_http: &[],
        title: "Invalid incoming message",
        meaning: "OrcidValidationException: generic semantic validation beyond the XSD.",
        causes: &[
            "an empty citation, translated title, credit-name or contributor-email",
            "an invalid contributor ORCID iD or URI",
            "a funding amount without value or currency",
            "a peer-review group-id without an allowed prefix",
            "invalid person items (empty or too long url, url-name, identifier fields)",
        ],
    },
    OrcidCode {
        code: 9021,
        http: 409,
        other_http: &[],
        title: "Duplicate activity",
        meaning: "\"You have already added this activity (matched by external identifiers), \
                  please see element with put-code ${putCode}. If you are trying to edit the \
                  item, please use PUT instead of POST.\"",
        causes: &[
            "POSTing a work/funding/peer review whose self external id matches one of your \
             existing items",
            "two works of one bulk sharing a self external id",
        ],
    },
    OrcidCode {
        code: 9022,
        http: 400,
        other_http: &[],
        title: "Title required",
        meaning: "Invalid activity: a title is required.",
        causes: &["a work or funding without a title, or with an empty one"],
    },
    OrcidCode {
        code: 9023,
        http: 400,
        other_http: &[],
        title: "External identifier required or invalid",
        meaning: "Invalid activity: an external identifier is required; or \"Invalid \
                  external-id <type|value|relationship>\".",
        causes: &[
            "a work, funding or peer review without external ids",
            "an external-id-type that is not in ORCID's identifier list",
            "an empty external-id-value",
            "an external id without relationship",
        ],
    },
    OrcidCode {
        code: 9024,
        http: 400,
        other_http: &[],
        title: "Put-code not expected",
        meaning: "\"Put-code is included when not expected. When posting new activities, the \
                  put code should be omitted.\"",
        causes: &["a POST (or a bulk work) that carries a put-code"],
    },
    OrcidCode {
        code: 9025,
        http: 409,
        other_http: &[],
        title: "Group-id record exists",
        meaning: "The given group-id-record already exists.",
        causes: &["creating a group-id record twice"],
    },
    OrcidCode {
        code: 9026,
        http: 400,
        other_http: &[],
        title: "Group-id does not exist",
        meaning: "The peer review's group-id record does not exist.",
        causes: &["a review-group-id that is not an issn: group and was never created"],
    },
    OrcidCode {
        code: 9029,
        http: 404,
        other_http: &[],
        title: "Notification not found",
        meaning: "Could not find the notification.",
        causes: &["unknown notification id"],
    },
    OrcidCode {
        code: 9030,
        http: 409,
        other_http: &[],
        title: "Person item duplicated",
        meaning: "\"The element '${value}' of type '${type}' is duplicated.\"",
        causes: &["adding a person item equal to one of your existing items"],
    },
    OrcidCode {
        code: 9031,
        http: 409,
        other_http: &[],
        title: "Put-code required",
        meaning: "Put-code is required to update elements (person items; normally pre-empted \
                  by 9019).",
        causes: &["updating a person item without put-code"],
    },
    OrcidCode {
        code: 9032,
        http: 409,
        other_http: &[],
        title: "Notifications not allowed",
        meaning: "The user does not allow notifications (code path currently unreachable).",
        causes: &[],
    },
    OrcidCode {
        code: 9034,
        http: 400,
        other_http: &[],
        title: "Put-code not valid",
        meaning: "The put-code provided is not valid.",
        causes: &[
            "a non-numeric put-code",
            "an unknown put-code in a bulk read (per item)",
        ],
    },
    OrcidCode {
        code: 9035,
        http: 403,
        other_http: &[],
        title: "Visibility change",
        meaning: "\"You can't change the visibility of an item, please remove the visibility or \
                  set it to the current value\".",
        causes: &["a PUT whose visibility differs from the stored item's"],
    },
    OrcidCode {
        code: 9036,
        http: 409,
        other_http: &[],
        title: "Record not claimed",
        meaning: "This record has not been claimed (API-created records under 10 days old, \
                  when the caller is not their creator).",
        causes: &["writing to a fresh unclaimed record created by another client"],
    },
    OrcidCode {
        code: 9037,
        http: 400,
        other_http: &[],
        title: "Invalid value",
        meaning: "\"Invalid ${type}, valid values are: ${values}.\"",
        causes: &[
            "a work without type",
            "a citation without citation-type",
            "a translated title without a valid language-code",
            "an empty country",
            "a peer review without type",
        ],
    },
    OrcidCode {
        code: 9038,
        http: 403,
        other_http: &[],
        title: "Required scope missing",
        meaning: "OrcidAccessControlException (its text says \"409 Conflict\", the status is \
                  403).",
        causes: &["a POST with a /read-limited-only token"],
    },
    OrcidCode {
        code: 9039,
        http: 403,
        other_http: &[],
        title: "Non-public item",
        meaning: "A non-public item requested on the public API.",
        causes: &["reading a limited or private item without a member token"],
    },
    OrcidCode {
        code: 9040,
        http: 409,
        other_http: &[],
        title: "Cannot delete",
        meaning: "The item can't be deleted.",
        causes: &["deleting a group-id record that peer reviews use"],
    },
    OrcidCode {
        code: 9041,
        http: 404,
        other_http: &[],
        title: "No biography",
        meaning: "The record has no biography.",
        causes: &["reading /biography of a record without one"],
    },
    OrcidCode {
        code: 9042,
        http: 400,
        other_http: &[],
        title: "Too many put-codes",
        meaning: "More than 100 put-codes in a bulk read.",
        causes: &["GET /works/{pc1,pc2,…} with more than 100 put-codes"],
    },
    OrcidCode {
        code: 9044,
        http: 409,
        other_http: &[],
        title: "Record deactivated",
        meaning: "The ORCID record is deactivated.",
        causes: &["the user deactivated the record"],
    },
    OrcidCode {
        code: 9045,
        http: 400,
        other_http: &[],
        title: "Unknown disambiguated organization",
        meaning: "The disambiguated organization is missing or not in ORCID's organization \
                  table.",
        causes: &["a (disambiguation-source, identifier) pair ORCID does not know"],
    },
    OrcidCode {
        code: 9046,
        http: 400,
        other_http: &[],
        title: "Organization required",
        meaning: "v3.0: the affiliation or funding has no organization (or, for a \
                  professional activity, neither a name nor a disambiguated organization).",
        causes: &["a v3.0 affiliation sent without <common:organization>"],
    },
    OrcidCode {
        code: 9047,
        http: 400,
        other_http: &[],
        title: "Invalid JSON",
        meaning: "The JSON body cannot be read.",
        causes: &[
            "malformed JSON",
            "unknown keys or wrong enum spellings in vnd.orcid+json",
        ],
    },
    OrcidCode {
        code: 9048,
        http: 409,
        other_http: &[],
        title: "Too many works",
        meaning: "The record would have more than 10,000 works.",
        causes: &["adding works (or a bulk) to a record near the 10,000 limit"],
    },
    OrcidCode {
        code: 9049,
        http: 400,
        other_http: &[],
        title: "Invalid date",
        meaning: "\"invalid date: ${dateString}\" (validateFuzzyDate).",
        causes: &[
            "a date that does not exist (2019-02-29)",
            "a one-digit month or day (2019-2)",
            "a day without a month",
        ],
    },
    OrcidCode {
        code: 9050,
        http: 400,
        other_http: &[],
        title: "End date without start date",
        meaning: "An end-date without a start-date (v3.0 fundings and research-resource \
                  proposals).",
        causes: &["a v3.0 funding or proposal with an end-date but no start-date"],
    },
    OrcidCode {
        code: 9051,
        http: 400,
        other_http: &[],
        title: "Invalid enum value",
        meaning: "\"invalid value '…' for enum '…'\": a value outside the Java enumeration \
                  (v3.0, where the XSD says xs:string).",
        causes: &[
            "an unknown work type, relationship, country, language or currency in v3.0",
            "v2.1's work type `dissertation` sent to v3.0 (`dissertation-thesis`)",
        ],
    },
    OrcidCode {
        code: 9052,
        http: 403,
        other_http: &[],
        title: "OBO token on old API",
        meaning: "An on-behalf-of token used on an API version before 3.0_rc2.",
        causes: &["OBO tokens with v2.x"],
    },
    OrcidCode {
        code: 9053,
        http: 400,
        other_http: &[],
        title: "Invalid ISSN",
        meaning: "The ISSN of an issn: group-id is invalid.",
        causes: &["an issn: group-id with an unknown ISSN"],
    },
    OrcidCode {
        code: 9054,
        http: 400,
        other_http: &[],
        title: "Invalid amount",
        meaning: "Invalid funding amount (v3.0): not a number as Java parses it.",
        causes: &["an amount with thousands separators or a currency sign (`1,000`, `$5`)"],
    },
    OrcidCode {
        code: 9055,
        http: 400,
        other_http: &[],
        title: "End date before start date",
        meaning: "The end date is before the start date (affiliations).",
        causes: &["an education or employment that ends before it starts"],
    },
    OrcidCode {
        code: 9058,
        http: 400,
        other_http: &[],
        title: "Invalid contributor role",
        meaning: "v3.0: the contributor role is neither a legacy role nor a CRediT role URI \
                  (the message says \"404\", the status is 400).",
        causes: &[
            "a CRediT URI without its trailing slash",
            "a free-text role",
        ],
    },
    OrcidCode {
        code: 9060,
        http: 400,
        other_http: &[],
        title: "City and country required",
        meaning: "v3.0: an education or employment organization without a city or country.",
        causes: &["an organization address without <common:city> or <common:country>"],
    },
    OrcidCode {
        code: 9061,
        http: 400,
        other_http: &[],
        title: "Country required",
        meaning: "v3.0: a professional activity whose organization has a city or region \
                  but no country.",
        causes: &["a distinction, membership, … address without a country"],
    },
    OrcidCode {
        code: 9062,
        http: 400,
        other_http: &[],
        title: "Organization id or external id required",
        meaning: "v3.0: a professional activity with neither a disambiguated organization \
                  nor an external id.",
        causes: &["a distinction, membership, … with only an organization name"],
    },
];

/// The entry for `code`.
pub fn lookup(code: u16) -> Option<&'static OrcidCode> {
    ORCID_CODES.iter().find(|c| c.code == code)
}

/// The Layer 2 rules that predict `code`, in [`RULES`] order.
pub fn rules_for_code(code: u16) -> Vec<&'static Rule> {
    RULES.iter().filter(|r| r.orcid_code == code).collect()
}

/// A plain-text explanation of `code`: its status, meaning, causes and the
/// rules that predict it (for `orcid explain CODE`).
pub fn explain(code: u16) -> Option<String> {
    let c = lookup(code)?;
    let mut out = format!("ORCID error {} (HTTP {}", c.code, c.http);
    for h in c.other_http {
        out.push_str(&format!(" or {h}"));
    }
    out.push_str(&format!("): {}\n\n{}\n", c.title, c.meaning));
    if !c.causes.is_empty() {
        out.push_str("\nUsual causes:\n");
        for cause in c.causes {
            out.push_str(&format!("  - {cause}\n"));
        }
    }
    let rules = rules_for_code(code);
    if !rules.is_empty() {
        out.push_str("\nChecked before sending by:\n");
        for r in rules {
            out.push_str(&format!("  {}: {}\n    fix: {}\n", r.id, r.summary, r.hint));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        assert!(ORCID_CODES.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn explain_lists_rules() {
        let e = explain(9024).unwrap();
        assert!(e.starts_with("ORCID error 9024 (HTTP 400): Put-code not expected"));
        assert!(e.contains("orcid.item.put-code-on-create"));
        assert!(explain(1234).is_none());
        assert_eq!(lookup(9038).map(|c| c.http), Some(403));
    }
}
