//! Works (`docs/orcid-api.md` §5.1 and §5.4, `ActivityValidator#validateWork`).

use std::sync::LazyLock;

use orcid_model::v2_1::work::Work;
use orcid_model::v3_0::Root as V3;
use orcid_model::values::{self as allowed, RoleOf};
use orcid_model::{v3_0, Root, Version};
use regex::Regex;

use super::common::{
    check_date, check_external_ids, ids_of, ids_of_v3_0, is_blank, show, DateParts, IdView, Sink,
    BOTH, EXTERNAL_ID_RELATIONSHIP_MISSING, NOT_MODEL,
};
use super::values::{check_role, check_value, Value};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};

const WORK: &[Root] = &[Root::WorkWork, Root::BulkBulk];
const WORK_V3_0: &[V3] = &[V3::WorkWork, V3::BulkBulk];

/// A work's `language-code` must be one of ORCID's.
///
/// `docs/orcid-api.md` §5.1, §9.2: `ActivityValidator#validateWork` checks
/// a non-empty language code against `LanguageCode` (9037, "Invalid
/// language code"). The 2.1 XSD enumerates the same list, so only v3.0
/// (`xs:string`) needs the check.
pub const LANGUAGE_CODE: Rule = Rule {
    id: "orcid.work.language-code",
    orcid_code: 9037,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work's `language-code` must be one of ORCID's language codes (ISO 639-1 \
              plus `iw`, `in`, `ji`, `mo`, `zh_CN`, `zh_TW`); ORCID answers \"Invalid \
              language code, valid values are: …\".",
    hint: "use the ISO 639-1 code of the work's language, e.g. en, de, zh_CN",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1],
    reference: "docs/orcid-api.md §5.1, §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 122-128: exact match in LanguageCode.getValues()); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 140-146); ActivityTypeValidationException → 9037 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 70)",
};

/// v3.0: a work needs an external id with relationship `self`.
///
/// `docs/orcid-api.md` §9.2: the v3 `ExternalIDValidator` refuses a work
/// (alone or in a bulk) without a `self` id: "Invalid external-id  At least
/// one identifier with 'self' relationship is required" (9023).
pub const SELF_ID_REQUIRED: Rule = Rule {
    id: "orcid.work.self-id-required",
    orcid_code: 9023,
    http: 400,
    sections: &[],
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "(v3.0) A work needs at least one external id with relationship `self`; \
              ORCID answers \"At least one identifier with 'self' relationship is \
              required\".",
    hint: "add the work's own identifier (doi, isbn, …; source-work-id with your local \
           id if there is no public one) with <common:external-id-relationship>self\
           </common:external-id-relationship>",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ExternalIDValidator.java \
                (validateWork lines 100-107, called with apiRequest = true by \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                line 297); ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// v3.0: a work's `funded-by` id must be a grant number, proposal id, URI
/// or DOI.
///
/// `docs/orcid-api.md` §9.2: the v3 `ActivityValidator#validateWork`
/// answers 9020 for a `funded-by` id of another type.
pub const FUNDED_BY_TYPE: Rule = Rule {
    id: "orcid.work.funded-by-type",
    orcid_code: 9020,
    http: 400,
    sections: &[],
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "(v3.0) A work's external id with relationship `funded-by` must have the type \
              `grant_number`, `proposal-id`, `uri` or `doi`.",
    hint: "give the grant as grant_number (or proposal-id, uri, doi), or use another \
           relationship",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork lines 247-249); \
                orcid-core/src/main/java/org/orcid/core/utils/activities/ExternalIdentifierFundedByHelper.java \
                (grant_number, proposal-id, uri, doi); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64). v2.1 has no funded-by relationship",
};

/// A work's title must not be empty.
///
/// `docs/orcid-api.md` §5.1 (a non-empty title is required, 9022) and §4.2.
pub const TITLE_REQUIRED: Rule = Rule {
    id: "orcid.work.title-required",
    orcid_code: 9022,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work needs a non-empty `title/title`; ORCID answers \"A title is required\".",
    hint: "put the work's title in <work:title><common:title>…</common:title></work:title>",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.1, §4.2 (9022), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 80-81: PojoUtil.isEmpty, i.e. blank); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 98-99); ActivityTitleValidationException → 9022 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 65)",
};

/// A work needs a type.
///
/// `docs/orcid-api.md` §5.1 (`work:type` is required, 9037). The 2.1 XSD
/// makes `work:type` required and enumerated, so the XSD layer refuses a
/// work without one (and the typed model a wrong value).
pub const TYPE_REQUIRED: Rule = Rule {
    id: "orcid.work.type-required",
    orcid_code: 9037,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work needs a `type` from ORCID's work-type list; ORCID answers \"Invalid \
              work type, valid values are: …\".",
    hint: "add <work:type>journal-article</work:type> (JSON \"type\": \"JOURNAL_ARTICLE\") \
           or another work type",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1, Version::V3_0],
    reference: "docs/orcid-api.md §5.1, §4.2 (9037), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 114-119); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 132-137); ActivityTypeValidationException → 9037 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 70)",
};

/// A translated title's language code without the translated title.
///
/// `docs/orcid-api.md` §5.1 (a language code without a translated title is 9020)
/// (`ActivityValidator#validateWork`: "Please specify a translated title or
/// remove the language code"). Works only: ORCID skips the check for
/// fundings when the translated title is empty.
pub const TRANSLATED_TITLE_EMPTY: Rule = Rule {
    id: "orcid.work.translated-title-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work's `translated-title` with a `language-code` but no text; ORCID answers \
              \"Please specify a translated title or remove the language code\".",
    hint: "write the translated title, or remove the translated-title element",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.1, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 99-100: empty title and non-empty language code); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 117-118); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64). validateFunding has no such check",
};

/// A citation needs its type.
///
/// `docs/orcid-api.md` §5.1 (a citation needs a `citation-type`, 9037). The 2.1
/// XSD makes `citation-type` required in `citation`, so its XSD layer
/// refuses a citation without one.
pub const CITATION_TYPE_REQUIRED: Rule = Rule {
    id: "orcid.work.citation-type-required",
    orcid_code: 9037,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work's `citation` needs a `citation-type`; ORCID answers \"Invalid citation \
              type, valid values are: …\".",
    hint: "add <work:citation-type>bibtex</work:citation-type> (or formatted-apa, \
           formatted-unspecified, …) before citation-value",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1, Version::V3_0],
    reference: "docs/orcid-api.md §5.1, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 204-209); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 220-225); ActivityTypeValidationException → 9037 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 70)",
};

/// A citation must not be empty.
///
/// `docs/orcid-api.md` §5.1 (an empty citation is 9020: "Please specify a citation or remove
/// the parent tag").
pub const CITATION_EMPTY: Rule = Rule {
    id: "orcid.work.citation-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A work's `citation/citation-value` must not be empty; ORCID answers \"Please \
              specify a citation or remove the parent tag\".",
    hint: "put the citation text in citation-value, or remove the citation element",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.1, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 212-213); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 228-229); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A contributor's ORCID iD path must have the iD form.
///
/// `docs/orcid-api.md` §5.4: `path` must match `\d{4}-\d{4}-\d{4}-\d{3}[\dX]`
/// (no checksum check), else 9020 (`OrcidStringUtils#isValidOrcid`). Narrower
/// than the XSD's `(\d{4}-){3,}\d{3}[\dX]`.
pub const CONTRIBUTOR_ORCID_PATH: Rule = Rule {
    id: "orcid.work.contributor-orcid-path",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A contributor's `contributor-orcid/path` must be a bare ORCID iD \
              (`0000-0002-1825-0097`); ORCID answers \"Invalid contributor ORCID\".",
    hint: "give the 16-character iD in 4 groups (dddd-dddd-dddd-dddX) without URL prefix",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.4, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 250-252); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 267-269); \
                orcid-utils/src/main/java/org/orcid/utils/OrcidStringUtils.java (isValidOrcid \
                line 60, ORCID_STRING line 18); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// A contributor's ORCID iD URI must be an ORCID URI.
///
/// `docs/orcid-api.md` §5.4: v3.0 matches `contributor-orcid/uri` against
/// `OrcidStringUtils.ORCID_URI_2_1_STRING` (`https://` only), else 9020. v2.1
/// never sees the uri sent: the 2.1 → 2.0 conversion rebuilds it as
/// `http://orcid.org/` + path, so there the rule fires for a
/// `contributor-orcid` without a path (`…/null`) or with a path that does
/// not end the uri pattern.
pub const CONTRIBUTOR_ORCID_URI: Rule = Rule {
    id: "orcid.work.contributor-orcid-uri",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A contributor's `contributor-orcid/uri` must be an ORCID URI: in v3.0 an \
              `https` one (`https://orcid.org/0000-0002-1825-0097`); in v2.1 ORCID rebuilds \
              it from `path`, so a `contributor-orcid` needs a path there. ORCID answers \
              \"Invalid contributor URI\".",
    hint: "write the uri as https://orcid.org/ followed by the iD (sandbox: \
           https://sandbox.orcid.org/…), and give the iD in path too",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.4, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 244-246: isValidOrcidUri, http only); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 261-263: isValidOrcid2_1Uri, https only); \
                orcid-utils/src/main/java/org/orcid/utils/OrcidStringUtils.java \
                (ORCID_URI_STRING line 19, ORCID_URI_2_1_STRING line 20); v2.1 uri rebuilt \
                from the path: \
                orcid-core/src/main/java/org/orcid/core/version/impl/VersionConverterImplV2_0ToV2_1.java \
                (OrcidIdBaseMapper line 184), \
                orcid-api-web/src/main/java/org/orcid/api/memberV2/server/delegator/impl/MemberV2ApiServiceVersionedDelegatorImpl.java \
                (processObject line 577)",
};

/// An empty credit-name.
///
/// `docs/orcid-api.md` §5.4: an empty `credit-name` is 9020 ("Please specify a
/// contributor credit name or remove the empty tag").
pub const CONTRIBUTOR_CREDIT_NAME_EMPTY: Rule = Rule {
    id: "orcid.work.contributor-credit-name-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A contributor's `credit-name` must not be empty; ORCID answers \"Please \
              specify a contributor credit name or remove the empty tag\".",
    hint: "write the contributor's name, or remove the empty credit-name element",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.4, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 256-258); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 273-275); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

/// An empty contributor-email.
///
/// `docs/orcid-api.md` §5.4: an empty `contributor-email` is 9020 ("Please specify a
/// contributor email or remove the empty tag").
pub const CONTRIBUTOR_EMAIL_EMPTY: Rule = Rule {
    id: "orcid.work.contributor-email-empty",
    orcid_code: 9020,
    http: 400,
    sections: WORK,
    sections_v3_0: WORK_V3_0,
    operations: BOTH,
    summary: "A contributor's `contributor-email` must not be empty; ORCID answers \
              \"Please specify a contributor email or remove the empty tag\".",
    hint: "write the e-mail address, or remove the empty contributor-email element",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.4, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 261-263); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 278-280); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
};

static ORCID_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{4}-){3}[0-9]{3}[0-9X]$").expect("valid regex"));
/// `OrcidStringUtils.ORCID_URI_2_1_STRING`, which the v3 validator uses
/// (`isValidOrcid2_1Uri`): `https` only.
static ORCID_URI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^https://(?:[^/]*orcid\.org|localhost.*/orcid-web)/(?:[0-9]{4}-){3,}[0-9]{3}[0-9X]$",
    )
    .expect("valid regex")
});
/// The path part of `OrcidStringUtils.ORCID_URI_STRING`: in v2.1 ORCID
/// replaces the uri sent by `http://orcid.org/` + path before validating it.
static ORCID_URI_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{4}-){3,}[0-9]{3}[0-9X]$").expect("valid regex"));
thread_local! {
    // Each thread matches with a clone: a Regex used by several threads at
    // once hands out its match caches under a lock.
    static ORCID_PATH_HERE: Regex = ORCID_PATH.clone();
    static ORCID_URI_HERE: Regex = ORCID_URI.clone();
    static ORCID_URI_PATH_HERE: Regex = ORCID_URI_PATH.clone();
}

/// A work contributor as the rules see it, in either version.
pub(crate) struct ContributorView<'a> {
    /// Whether `contributor-orcid` is there at all.
    pub orcid_given: bool,
    pub uri: Option<&'a str>,
    pub path: Option<&'a str>,
    pub credit_name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub role: Option<&'a str>,
}

/// A work as the rules see it, in either version.
pub(crate) struct WorkView<'a> {
    pub version: Version,
    /// `title/title` (`None`: absent, reported by the XSD layer).
    pub title: Option<&'a str>,
    /// `(text, language code)`.
    pub translated_title: Option<(&'a str, Option<&'a str>)>,
    /// `(citation type, citation value)`.
    pub citation: Option<(Option<&'a str>, Option<&'a str>)>,
    pub publication_date: Option<DateParts<'a>>,
    pub ids: Option<Vec<IdView<'a>>>,
    pub contributors: Vec<ContributorView<'a>>,
}

/// Checks a v2.1 work at `at` (the document root, or `bulk/<i>/work`).
pub(crate) fn check_work(sink: &mut Sink, ctx: &Context, w: &Work, at: &NodePath) {
    item::check_envelope(sink, ctx, w.put_code, w.visibility, at);
    let view = WorkView {
        version: Version::V2_1,
        title: w.title.as_ref().and_then(|t| t.title.as_deref()),
        translated_title: w
            .title
            .as_ref()
            .and_then(|t| t.translated_title.as_ref())
            .map(|t| (t.value.as_str(), t.language_code.map(|l| l.as_xml()))),
        citation: w.citation.as_ref().map(|c| {
            (
                c.citation_type.map(|t| t.as_xml()),
                c.citation_value.as_deref(),
            )
        }),
        publication_date: w
            .publication_date
            .as_ref()
            .and_then(DateParts::of_publication),
        ids: ids_of(w.external_ids.as_ref()),
        contributors: w
            .contributors
            .iter()
            .flat_map(|cs| &cs.contributor)
            .map(|c| ContributorView {
                orcid_given: c.contributor_orcid.is_some(),
                uri: c.contributor_orcid.as_ref().and_then(|o| o.uri.as_deref()),
                path: c
                    .contributor_orcid
                    .as_ref()
                    .and_then(|o| o.path.as_ref())
                    .map(|p| p.as_str()),
                credit_name: c.credit_name.as_deref(),
                email: c.contributor_email.as_deref(),
                role: None,
            })
            .collect(),
    };
    check_work_view(sink, &view, at);
}

/// Checks a v3.0 work at `at` (the document root, or `bulk/<i>/work`).
pub(crate) fn check_work_v3_0(sink: &mut Sink, ctx: &Context, w: &v3_0::work::Work, at: &NodePath) {
    item::check_envelope_v3_0(sink, ctx, w.put_code, w.visibility, at);
    let view = WorkView {
        version: Version::V3_0,
        title: w.title.as_ref().and_then(|t| t.title.as_deref()),
        translated_title: w
            .title
            .as_ref()
            .and_then(|t| t.translated_title.as_ref())
            .map(|t| (t.value.as_str(), t.language_code.as_deref())),
        citation: w
            .citation
            .as_ref()
            .map(|c| (c.citation_type.as_deref(), c.citation_value.as_deref())),
        publication_date: w
            .publication_date
            .as_ref()
            .and_then(DateParts::of_v3_0_publication),
        ids: ids_of_v3_0(w.external_ids.as_ref()),
        contributors: w
            .contributors
            .iter()
            .flat_map(|cs| &cs.contributor)
            .map(|c| ContributorView {
                orcid_given: c.contributor_orcid.is_some(),
                uri: c.contributor_orcid.as_ref().and_then(|o| o.uri.as_deref()),
                path: c
                    .contributor_orcid
                    .as_ref()
                    .and_then(|o| o.path.as_ref())
                    .map(|p| p.as_str()),
                credit_name: c.credit_name.as_deref(),
                email: c.contributor_email.as_deref(),
                role: c
                    .contributor_attributes
                    .as_ref()
                    .and_then(|a| a.contributor_role.as_deref()),
            })
            .collect(),
    };
    check_work_view(sink, &view, at);
    if let Some(t) = &w.r#type {
        check_value(sink, Value::WorkType, t, &at.key("type"));
    }
    if let Some(l) = w.language_code.as_deref().filter(|l| !is_blank(l)) {
        if !allowed::is_language(l) {
            sink.push(
                &LANGUAGE_CODE,
                at.key("language-code"),
                format!(
                    "language-code {} is not one of ORCID's language codes",
                    show(l)
                ),
            );
        }
    }
    if let Some(c) = &w.country {
        check_value(sink, Value::Country, &c.value, &at.key("country"));
    }
}

/// The checks of a work in either version.
fn check_work_view(sink: &mut Sink, w: &WorkView<'_>, at: &NodePath) {
    let v3 = w.version == Version::V3_0;
    let title = at.key("title");
    // Absent parts have nothing to check: the XSD layer reports them.
    if w.title.is_some_and(is_blank) {
        sink.push(
            &TITLE_REQUIRED,
            title.key("title"),
            "the work's title is empty".to_string(),
        );
    }
    if let Some((text, language)) = w.translated_title {
        // ORCID refuses an empty translated title only when a language
        // code is given (v2.1's XSD always makes it given).
        let given = language.filter(|l| !is_blank(l));
        if let (true, Some(language)) = (is_blank(text), given) {
            sink.push(
                &TRANSLATED_TITLE_EMPTY,
                title.key("translated-title"),
                format!("translated-title has language-code `{language}` but no text"),
            );
        }
        if let (true, false, Some(language)) = (v3, is_blank(text), language) {
            super::common::check_translated_title_language(
                sink,
                language,
                &title.key("translated-title"),
            );
        }
    }
    if let Some((citation_type, value)) = w.citation {
        if value.is_some_and(is_blank) {
            sink.push(
                &CITATION_EMPTY,
                at.key("citation").key("citation-value"),
                format!(
                    "citation-value is empty (citation-type `{}`)",
                    citation_type.unwrap_or_default()
                ),
            );
        }
        if let (true, Some(citation_type)) = (v3, citation_type) {
            check_value(
                sink,
                Value::CitationType,
                citation_type,
                &at.key("citation").key("citation-type"),
            );
        }
    }
    if let Some(d) = w.publication_date {
        check_date(sink, d, &at.key("publication-date"));
    }
    let wrapper = at.key("external-ids");
    check_external_ids(
        sink,
        w.ids.as_deref(),
        &wrapper,
        at,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    if v3 {
        check_ids_v3_0(sink, w.ids.as_deref().unwrap_or(&[]), &wrapper);
    }
    for (i, c) in w.contributors.iter().enumerate() {
        let cp = at.key("contributors").key("contributor").index(i);
        check_contributor(sink, c, i, w.version, &cp);
        if let (true, Some(role)) = (v3, c.role) {
            check_role(
                sink,
                role,
                RoleOf::Work,
                &cp.key("contributor-attributes").key("contributor-role"),
            );
        }
    }
}

/// v3.0: the relationships of a work's ids, a `self` one among them, and
/// the type of `funded-by` ids.
fn check_ids_v3_0(sink: &mut Sink, ids: &[IdView<'_>], wrapper: &NodePath) {
    for (i, id) in ids.iter().enumerate() {
        let node = wrapper.key("external-id").index(i);
        if let Some(r) = id.relationship {
            check_value(
                sink,
                Value::Relationship,
                r,
                &node.key("external-id-relationship"),
            );
            let ty = id.ty.unwrap_or_default();
            if r == "funded-by" && id.ty.is_some() && !allowed::FUNDED_BY_TYPES.contains(&ty) {
                sink.push(
                    &FUNDED_BY_TYPE,
                    node.key("external-id-type"),
                    format!(
                        "the funded-by id has type {}; a work's funded-by id must be \
                         grant_number, proposal-id, uri or doi",
                        show(ty)
                    ),
                );
            }
        }
    }
    // No ids at all is EXTERNAL_IDS_REQUIRED, which ORCID checks first.
    if !ids.is_empty() && !ids.iter().any(|i| i.relationship == Some("self")) {
        sink.push(
            &SELF_ID_REQUIRED,
            wrapper.clone(),
            format!(
                "the work has {} external id(s), none with relationship self: ORCID v3.0 \
                 requires a self identifier",
                ids.len()
            ),
        );
    }
}

/// The checks of one contributor of a work, at `cp`.
fn check_contributor(
    sink: &mut Sink,
    c: &ContributorView<'_>,
    i: usize,
    version: Version,
    cp: &NodePath,
) {
    let op = cp.key("contributor-orcid");
    // ORCID stops at the uri check, so a path it fails is not reported twice.
    let mut uri_refused = false;
    if version == Version::V2_1 {
        // ORCID discards the uri of a 2.1 payload and validates
        // `http://orcid.org/` + path instead: `…/null` without a path.
        let path = c.path.filter(|p| !is_blank(p));
        if c.orcid_given && path.is_none() {
            sink.push(
                &CONTRIBUTOR_ORCID_URI,
                op.clone(),
                "contributor-orcid has no path; ORCID v2.1 rebuilds the uri from the path \
                 (http://orcid.org/null) and refuses it"
                    .to_string(),
            );
        } else if let Some(p) = path {
            if !ORCID_URI_PATH_HERE.with(|re| re.is_match(p)) {
                sink.push(
                    &CONTRIBUTOR_ORCID_URI,
                    op.key("path"),
                    format!(
                        "contributor-orcid path {}: ORCID v2.1 rebuilds the uri from it \
                         (http://orcid.org/…), which is not an ORCID URI",
                        show(p)
                    ),
                );
                uri_refused = true;
            }
        }
    } else if let Some(uri) = c.uri {
        if !is_blank(uri) && !ORCID_URI_HERE.with(|re| re.is_match(uri)) {
            sink.push(
                &CONTRIBUTOR_ORCID_URI,
                op.key("uri"),
                format!(
                    "contributor-orcid uri {} is not an https ORCID URI",
                    show(uri)
                ),
            );
        }
    }
    if let Some(p) = c.path.filter(|_| !uri_refused) {
        if !is_blank(p) && !ORCID_PATH_HERE.with(|re| re.is_match(p)) {
            sink.push(
                &CONTRIBUTOR_ORCID_PATH,
                op.key("path"),
                format!(
                    "contributor-orcid path {} is not an ORCID iD (dddd-dddd-dddd-dddX)",
                    show(p)
                ),
            );
        }
    }
    if c.credit_name.is_some_and(is_blank) {
        sink.push(
            &CONTRIBUTOR_CREDIT_NAME_EMPTY,
            cp.key("credit-name"),
            format!("contributor {} has an empty credit-name", i + 1),
        );
    }
    if c.email.is_some_and(is_blank) {
        sink.push(
            &CONTRIBUTOR_EMAIL_EMPTY,
            cp.key("contributor-email"),
            format!("contributor {} has an empty contributor-email", i + 1),
        );
    }
}
