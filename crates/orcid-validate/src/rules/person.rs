//! Person items (`docs/orcid-api.md` §5.8, `PersonValidator`).

use orcid_model::v2_1::common::RelationshipType;
use orcid_model::v2_1::external_identifier::ExternalIdentifier;
use orcid_model::v2_1::keyword::Keyword;
use orcid_model::v2_1::researcher_url::ResearcherUrl;

use super::common::{is_blank, java_len, show, Sink, BOTH, NOT_MODEL};
use super::values::{check_value, Value};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::v3_0;
use orcid_model::v3_0::Root as V3;
use orcid_model::{Root, Version};

/// ORCID's `SiteConstants.URL_MAX_LENGTH`.
pub const URL_MAX_LENGTH: usize = 2000;
/// ORCID's `SiteConstants.MAX_LENGTH_255`.
pub const MAX_LENGTH_255: usize = 255;

/// A researcher-url's url: non-empty, at most 2000 characters.
///
/// `docs/orcid-api.md` §5.8: researcher-url `url` non-empty, ≤ 2000 chars,
/// else `OrcidValidationException` = 9020 (§4.2).
pub const RESEARCHER_URL_URL: Rule = Rule {
    id: "orcid.researcher-url.url",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ResearcherUrlResearcherUrl],
    sections_v3_0: &[V3::ResearcherUrlResearcherUrl],
    operations: BOTH,
    summary: "A researcher-url's `url` must be non-empty and at most 2000 characters; ORCID \
              answers \"Url field must not be empty\" / \"… longer than 2000 characters\".",
    hint: "give the full URL (https://…), at most 2000 characters",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateResearcherUrl lines 33-38: blank, or over \
                SiteConstants.URL_MAX_LENGTH = 2000 UTF-16 units); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 34-39); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A researcher-url's url-name: non-empty, at most 2000 characters.
///
/// `docs/orcid-api.md` §5.8: `url-name` non-empty, ≤ 2000, else 9020.
pub const RESEARCHER_URL_NAME: Rule = Rule {
    id: "orcid.researcher-url.url-name",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ResearcherUrlResearcherUrl],
    sections_v3_0: &[V3::ResearcherUrlResearcherUrl],
    operations: BOTH,
    summary: "A researcher-url's `url-name` must be at most 2000 characters, and in v2.1 \
              non-empty (v3.0 takes a researcher-url without a name); ORCID answers \"Url \
              name must not be empty\" / \"… longer than 2000 characters\".",
    hint: "name the link (e.g. \"Lab homepage\"), at most 2000 characters",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateResearcherUrl lines 44-50: blank or over 2000); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 45-47: over 2000 only, when not blank); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A person external identifier's type: non-empty, at most 255 characters.
///
/// `docs/orcid-api.md` §5.8: external-identifier type and value non-empty,
/// ≤ 255, else 9020 ("Common name field must not be empty"). Unlike activity ids, the
/// type is free text (e.g. `Scopus Author ID`).
pub const EXTERNAL_IDENTIFIER_TYPE: Rule = Rule {
    id: "orcid.external-identifier.type",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ExternalIdentifierExternalIdentifier],
    sections_v3_0: &[V3::ExternalIdentifierExternalIdentifier],
    operations: BOTH,
    summary: "A person external identifier's `external-id-type` (its \"common name\") must \
              be non-empty and at most 255 characters.",
    hint: "name the identifier system (e.g. Scopus Author ID), at most 255 characters",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateExternalIdentifier lines 96-102: blank, or over \
                SiteConstants.MAX_LENGTH_255); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 85-91); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A person external identifier's value: non-empty, at most 255 characters.
///
/// `docs/orcid-api.md` §5.8: external-identifier type and value non-empty,
/// ≤ 255, else 9020 ("Reference field must not be empty").
pub const EXTERNAL_IDENTIFIER_VALUE: Rule = Rule {
    id: "orcid.external-identifier.value",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ExternalIdentifierExternalIdentifier],
    sections_v3_0: &[V3::ExternalIdentifierExternalIdentifier],
    operations: BOTH,
    summary: "A person external identifier's `external-id-value` (its \"reference\") must be \
              non-empty and at most 255 characters.",
    hint: "give the identifier (e.g. 7004212345), at most 255 characters",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateExternalIdentifier lines 109-115); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 98-104); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A person external identifier's relationship must be `self`.
///
/// `docs/orcid-api.md` §5.8: relationship must be `self`, else 9020 ("Relationship
/// field should be self for person identifiers").
pub const EXTERNAL_IDENTIFIER_RELATIONSHIP: Rule = Rule {
    id: "orcid.external-identifier.relationship-self",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ExternalIdentifierExternalIdentifier],
    sections_v3_0: &[V3::ExternalIdentifierExternalIdentifier],
    operations: BOTH,
    summary: "A person external identifier needs `external-id-relationship` `self`; ORCID \
              answers \"Relationship field should be self for person identifiers\".",
    hint: "add <common:external-id-relationship>self</common:external-id-relationship> \
           (JSON \"SELF\")",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateExternalIdentifier lines 122-123); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 111-112); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A person external identifier needs a url of at most 2000 characters.
///
/// `docs/orcid-api.md` §5.8: `url` required, ≤ 2000, else 9020.
pub const EXTERNAL_IDENTIFIER_URL: Rule = Rule {
    id: "orcid.external-identifier.url",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::ExternalIdentifierExternalIdentifier],
    sections_v3_0: &[V3::ExternalIdentifierExternalIdentifier],
    operations: BOTH,
    summary: "A person external identifier needs a non-empty `external-id-url` of at most \
              2000 characters.",
    hint: "add external-id-url with the identifier's public page (https://…)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateExternalIdentifier lines 129-135: blank, or over 2000); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 118-124); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A keyword must have content.
///
/// `docs/orcid-api.md` §5.8: keyword content non-empty, else 9020 ("Keyword cannot be
/// null").
pub const KEYWORD_CONTENT: Rule = Rule {
    id: "orcid.keyword.content-required",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::KeywordKeyword],
    sections_v3_0: &[V3::KeywordKeyword],
    operations: BOTH,
    summary: "A keyword's `content` must not be empty; ORCID answers \"Keyword cannot be \
              null\".",
    hint: "write the keyword, or do not send the item",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateKeyword lines 176-177); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 157-158); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// An address needs a country.
///
/// `docs/orcid-api.md` §5.8: address country required, else 9020 ("Country cannot be
/// null"). The 2.1 XSD makes `address:country` required and enumerated, so
/// the XSD layer refuses an address without one (and the typed model a
/// wrong value).
pub const ADDRESS_COUNTRY: Rule = Rule {
    id: "orcid.address.country-required",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::AddressAddress],
    sections_v3_0: &[V3::AddressAddress],
    operations: BOTH,
    summary: "An address needs a `country` (ISO 3166 alpha-2); ORCID answers \"Country \
              cannot be null\".",
    hint: "add <address:country>US</address:country> with the ISO 3166-1 alpha-2 code",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1],
    reference: "docs/orcid-api.md §5.8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateAddress lines 202-203); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (lines 179-180); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

fn check_text(
    sink: &mut Sink,
    rule: &'static Rule,
    value: &str,
    max: usize,
    what: &str,
    at: NodePath,
) {
    if is_blank(value) {
        sink.push(rule, at, format!("{what} is empty"));
    } else {
        let n = java_len(value);
        if n > max {
            sink.push(
                rule,
                at,
                format!("{what} has {n} characters; ORCID allows at most {max}"),
            );
        }
    }
}

/// Checks a researcher-url at `at`.
pub(crate) fn check_researcher_url(
    sink: &mut Sink,
    ctx: &Context,
    r: &ResearcherUrl,
    at: &NodePath,
) {
    item::check_envelope(sink, ctx, r.put_code, r.visibility, at);
    // An absent url has nothing to check: the XSD layer reports it.
    if let Some(url) = &r.url {
        check_url(sink, url.as_str(), at);
    }
    // The model reads a researcher-url without a name (ORCID's output has
    // them); v2.1 refuses one on input.
    match &r.url_name {
        Some(name) => check_text(
            sink,
            &RESEARCHER_URL_NAME,
            name,
            URL_MAX_LENGTH,
            "url-name",
            at.key("url-name"),
        ),
        None => sink.push(
            &RESEARCHER_URL_NAME,
            at.clone(),
            "the researcher-url has no url-name; v2.1 requires one".to_string(),
        ),
    }
}

/// Checks a person external identifier at `at`.
pub(crate) fn check_external_identifier(
    sink: &mut Sink,
    ctx: &Context,
    e: &ExternalIdentifier,
    at: &NodePath,
) {
    item::check_envelope(sink, ctx, e.put_code, e.visibility, at);
    check_person_id(
        sink,
        e.external_id_type.as_deref(),
        e.external_id_value.as_deref(),
        e.external_id_relationship.map(RelationshipType::as_xml),
        e.external_id_url.as_ref().map(|u| u.as_str()),
        at,
    );
}

/// Checks a v3.0 person external identifier at `at`.
pub(crate) fn check_external_identifier_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    e: &v3_0::external_identifier::ExternalIdentifier,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, e.put_code, e.visibility, at);
    check_person_id(
        sink,
        e.external_id_type.as_deref(),
        e.external_id_value.as_deref(),
        e.external_id_relationship.as_deref(),
        e.external_id_url.as_ref().map(|u| u.as_str()),
        at,
    );
}

/// The checks of a person external identifier in either version.
fn check_person_id(
    sink: &mut Sink,
    ty: Option<&str>,
    value: Option<&str>,
    relationship: Option<&str>,
    url: Option<&str>,
    at: &NodePath,
) {
    // An absent type or value has nothing to check (the XSD layer reports
    // it); the messages below name it as an empty one.
    if let Some(ty) = ty {
        check_text(
            sink,
            &EXTERNAL_IDENTIFIER_TYPE,
            ty,
            MAX_LENGTH_255,
            "external-id-type",
            at.key("external-id-type"),
        );
    }
    if let Some(value) = value {
        check_text(
            sink,
            &EXTERNAL_IDENTIFIER_VALUE,
            value,
            MAX_LENGTH_255,
            "external-id-value",
            at.key("external-id-value"),
        );
    }
    let (ty, value) = (ty.unwrap_or_default(), value.unwrap_or_default());
    match relationship {
        Some("self") => {}
        Some(other) => sink.push(
            &EXTERNAL_IDENTIFIER_RELATIONSHIP,
            at.key("external-id-relationship"),
            format!(
                "external-id-relationship is {}; a person identifier must be `self`",
                show(other)
            ),
        ),
        None => sink.push(
            &EXTERNAL_IDENTIFIER_RELATIONSHIP,
            at.clone(),
            format!(
                "the {} identifier {} has no external-id-relationship; it must be `self`",
                show(ty),
                show(value)
            ),
        ),
    }
    match url {
        None => sink.push(
            &EXTERNAL_IDENTIFIER_URL,
            at.clone(),
            format!(
                "the {} identifier {} has no external-id-url",
                show(ty),
                show(value)
            ),
        ),
        Some(u) => check_text(
            sink,
            &EXTERNAL_IDENTIFIER_URL,
            u,
            URL_MAX_LENGTH,
            "external-id-url",
            at.key("external-id-url"),
        ),
    }
}

pub(crate) fn check_keyword(sink: &mut Sink, ctx: &Context, k: &Keyword, at: &NodePath) {
    item::check_envelope(sink, ctx, k.put_code, k.visibility, at);
    if let Some(content) = &k.content {
        check_keyword_content(sink, content, at);
    }
}

/// Checks a v3.0 researcher-url at `at` (v3.0 takes one without a name).
pub(crate) fn check_researcher_url_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    r: &v3_0::researcher_url::ResearcherUrl,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, r.put_code, r.visibility, at);
    // An absent url has nothing to check: the XSD layer reports it.
    if let Some(url) = &r.url {
        check_url(sink, url.as_str(), at);
    }
    // v3 `validateResearcherUrl`: the length of a non-blank name only.
    if let Some(name) = r.url_name.as_deref().filter(|n| !is_blank(n)) {
        check_text(
            sink,
            &RESEARCHER_URL_NAME,
            name,
            URL_MAX_LENGTH,
            "url-name",
            at.key("url-name"),
        );
    }
}

/// Checks a v3.0 keyword at `at`.
pub(crate) fn check_keyword_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    k: &v3_0::keyword::Keyword,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, k.put_code, k.visibility, at);
    if let Some(content) = &k.content {
        check_keyword_content(sink, content, at);
    }
}

/// Checks a v3.0 address at `at`: a country, one of ORCID's codes.
pub(crate) fn check_address_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    a: &v3_0::address::Address,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, a.put_code, a.visibility, at);
    // An absent country has nothing to check: the XSD layer reports it.
    match a.country.as_deref() {
        Some(c) if is_blank(c) => sink.push(
            &ADDRESS_COUNTRY,
            at.key("country"),
            "the address has no country".to_string(),
        ),
        Some(c) => check_value(sink, Value::Country, c, &at.key("country")),
        None => {}
    }
}

/// A researcher-url's `url`, in either version.
fn check_url(sink: &mut Sink, url: &str, at: &NodePath) {
    check_text(
        sink,
        &RESEARCHER_URL_URL,
        url,
        URL_MAX_LENGTH,
        "url",
        at.key("url"),
    );
}

/// A keyword's `content`, in either version.
fn check_keyword_content(sink: &mut Sink, content: &str, at: &NodePath) {
    if is_blank(content) {
        sink.push(
            &KEYWORD_CONTENT,
            at.key("content"),
            "the keyword's content is empty".to_string(),
        );
    }
}
