//! ORCID's scopes (`docs/orcid-api.md` §1.9): the complete list, which
//! grant each belongs to, and the inheritance between them.

use std::collections::BTreeSet;

/// Scopes a researcher grants in the 3-legged flow (incl. legacy 1.2 scopes
/// that ORCID still parses).
pub const USER_SCOPES: &[&str] = &[
    "/authenticate",
    "openid",
    "/read-limited",
    "/activities/update",
    "/person/update",
    "/activities/read-limited",
    "/person/read-limited",
    "/email/read-private",
    "/orcid-bio/read-limited",
    "/orcid-profile/read-limited",
    "/orcid-works/read-limited",
    "/orcid-works/create",
    "/orcid-works/update",
    "/funding/read-limited",
    "/funding/create",
    "/funding/update",
    "/affiliations/read-limited",
    "/affiliations/create",
    "/affiliations/update",
    "/peer-review/read-limited",
    "/peer-review/create",
    "/peer-review/update",
    "/orcid-patents/read-limited",
    "/orcid-patents/create",
    "/orcid-patents/update",
    "/orcid-bio/update",
    "/orcid-bio/external-identifiers/create",
];

/// Client-credentials scopes (`ScopePathType.isClientCreditalScope`).
pub const CLIENT_CREDENTIALS_SCOPES: &[&str] = &[
    "/read-public",
    "/webhook",
    "/premium-notification",
    "/group-id-record/read",
    "/group-id-record/update",
    "/orcid-profile/create",
];

/// Other defined scopes (neither user- nor client-credentials-grantable here).
pub const OTHER_SCOPES: &[&str] = &["/basic-notification", "/identifier-types/create"];

/// Scopes a public (non-member) client may obtain.
pub const PUBLIC_CLIENT_SCOPES: &[&str] = &["/authenticate", "openid", "/read-public"];

/// Whether ORCID knows the scope at all (internal scopes count as unknown:
/// ORCID throws `OrcidInvalidScopeException` for both).
pub fn is_known(scope: &str) -> bool {
    USER_SCOPES.contains(&scope)
        || CLIENT_CREDENTIALS_SCOPES.contains(&scope)
        || OTHER_SCOPES.contains(&scope)
}

/// Whether a scope is granted by the client-credentials grant.
pub fn is_client_credentials(scope: &str) -> bool {
    CLIENT_CREDENTIALS_SCOPES.contains(&scope)
}

/// Splits a scope parameter (space-separated, repeated spaces collapsed;
/// `+` already decoded by the form parser). `/orcid-grants` is rewritten to
/// `/funding` as ORCID does.
pub fn parse(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in text.split_whitespace() {
        let s = s.replace("/orcid-grants", "/funding");
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn direct(scope: &str) -> &'static [&'static str] {
    match scope {
        "openid" => &["/authenticate"],
        "/read-limited" | "/orcid-profile/read-limited" => {
            &["/activities/read-limited", "/person/read-limited"]
        }
        "/activities/read-limited" => &[
            "/orcid-works/read-limited",
            "/funding/read-limited",
            "/affiliations/read-limited",
            "/peer-review/read-limited",
            "/orcid-patents/read-limited",
        ],
        "/person/read-limited" => &["/orcid-bio/read-limited"],
        "/activities/update" => &[
            "/orcid-works/create",
            "/orcid-works/update",
            "/funding/create",
            "/funding/update",
            "/affiliations/create",
            "/affiliations/update",
            "/peer-review/create",
            "/peer-review/update",
            "/orcid-patents/create",
            "/orcid-patents/update",
        ],
        "/person/update" => &["/orcid-bio/update"],
        "/orcid-bio/update" => &["/orcid-bio/external-identifiers/create"],
        _ => &[],
    }
}

/// Every scope a set of granted scopes implies (itself included): the
/// inheritance of `ScopePathType`, and `/read-public` for every user scope.
pub fn expand<S: AsRef<str>>(granted: &[S]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<String> = granted.iter().map(|s| s.as_ref().to_string()).collect();
    while let Some(s) = todo.pop() {
        if !out.insert(s.clone()) {
            continue;
        }
        if USER_SCOPES.contains(&s.as_str()) {
            todo.push("/read-public".into());
        }
        for d in direct(&s) {
            todo.push((*d).to_string());
        }
    }
    out
}

/// A human description for the authorize page.
pub fn describe(scope: &str) -> &'static str {
    match scope {
        "/authenticate" => "Get your ORCID iD",
        "openid" => "Sign you in with your ORCID iD (OpenID Connect)",
        "/read-limited" | "/orcid-profile/read-limited" => {
            "Read your information with visibility set to Trusted Organizations"
        }
        "/activities/update" => "Add/update your research activities (works, affiliations, etc)",
        "/person/update" => "Add/update other information about you (country, keywords, etc.)",
        "/activities/read-limited" => {
            "Read your research activities with visibility set to Trusted Organizations"
        }
        "/person/read-limited" => {
            "Read your biographical information with visibility set to Trusted Organizations"
        }
        "/email/read-private" => "Read your private email addresses",
        _ => "Legacy ORCID API 1.2 permission",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inheritance() {
        let e = expand(&["/activities/update"]);
        assert!(e.contains("/orcid-works/create"));
        assert!(e.contains("/read-public"));
        assert!(!e.contains("/orcid-works/read-limited"));
        let e = expand(&["/read-limited"]);
        assert!(e.contains("/orcid-works/read-limited"));
        assert!(e.contains("/orcid-bio/read-limited"));
        let e = expand(&["/person/update"]);
        assert!(e.contains("/orcid-bio/external-identifiers/create"));
        let e = expand(&["openid"]);
        assert!(e.contains("/authenticate") && e.contains("/read-public"));
        assert_eq!(expand(&["/read-public"]).len(), 1);
    }

    #[test]
    fn parsing() {
        assert_eq!(
            parse("/read-limited   /orcid-grants/create"),
            vec!["/read-limited", "/funding/create"]
        );
    }
}
