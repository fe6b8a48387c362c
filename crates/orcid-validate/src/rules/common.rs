//! Rules shared by several sections: external identifiers, fuzzy dates and
//! translated titles; and the [`Sink`] that collects findings. Section
//! numbers (§) refer to `docs/orcid-api.md`.

use orcid_model::scalar::{days_in_month, Day, Month, Year};
use orcid_model::v2_1::common::{ExternalId, ExternalIds};
use orcid_model::v3_0::Root as V3;
use orcid_model::{v3_0, Root, Version};

use super::identifiers;
use super::{Finding, Operation, Rule};
use crate::diagnostic::{NodePath, Severity};

/// Sections whose external ids ORCID validates (§5 "External ids").
pub(crate) const EXTERNAL_ID_SECTIONS: &[Root] = &[
    Root::WorkWork,
    Root::FundingFunding,
    Root::PeerReviewPeerReview,
    Root::BulkBulk,
];
/// Sections with fuzzy dates that ORCID validates (§5).
pub(crate) const DATE_SECTIONS: &[Root] = &[
    Root::WorkWork,
    Root::FundingFunding,
    Root::EducationEducation,
    Root::EmploymentEmployment,
    Root::PeerReviewPeerReview,
    Root::BulkBulk,
];
pub(crate) const BOTH: &[Operation] = &[Operation::Create, Operation::Update];
/// The versions of a rule the typed model of neither version enforces.
pub(crate) const NOT_MODEL: &[Version] = &[];
/// v3.0 sections whose external ids ORCID validates (`docs/orcid-api.md`
/// §9.2, `ExternalIDValidator` v3).
pub(crate) const EXTERNAL_ID_SECTIONS_V3_0: &[V3] = &[
    V3::WorkWork,
    V3::FundingFunding,
    V3::PeerReviewPeerReview,
    V3::ResearchResourceResearchResource,
    V3::BulkBulk,
];
/// The seven v3.0 affiliation sections.
pub(crate) const AFFILIATIONS_V3_0: &[V3] = &[
    V3::DistinctionDistinction,
    V3::EducationEducation,
    V3::EmploymentEmployment,
    V3::InvitedPositionInvitedPosition,
    V3::MembershipMembership,
    V3::QualificationQualification,
    V3::ServiceService,
];
/// v3.0 sections with fuzzy dates that ORCID validates (§9.2). Not the
/// research resource: the v3 `ActivityValidator#validateResearchResource`
/// never calls `validateFuzzyDate` (§10).
pub(crate) const DATE_SECTIONS_V3_0: &[V3] = &[
    V3::WorkWork,
    V3::FundingFunding,
    V3::DistinctionDistinction,
    V3::EducationEducation,
    V3::EmploymentEmployment,
    V3::InvitedPositionInvitedPosition,
    V3::MembershipMembership,
    V3::QualificationQualification,
    V3::ServiceService,
    V3::PeerReviewPeerReview,
    V3::BulkBulk,
];

/// ≥ 1 external identifier on a work, funding or peer review.
///
/// `docs/orcid-api.md` §5.2: at least one external id on a work, a funding (on
/// API requests) and a peer review, else 9023
/// (`ActivityValidator#validateWork/validateFunding/validatePeerReview`).
pub const EXTERNAL_IDS_REQUIRED: Rule = Rule {
    id: "orcid.external-id.required",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    sections_v3_0: EXTERNAL_ID_SECTIONS_V3_0,
    operations: BOTH,
    summary: "A work, funding or peer review needs at least one external identifier \
              (`external-ids/external-id`, for a peer review `review-identifiers/external-id`).",
    hint: "add an external-id with a type from ORCID's list, a value and a relationship \
           (e.g. doi / 10.1087/20120404 / self); use source-work-id with your local id if \
           there is no public one",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.2, §5.1, §5.5, §5.7, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 217-219, validateFunding 306-309 on API requests, \
                validatePeerReview 409-410); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 233-235, validateFunding 319-322, validatePeerReview 483-484, \
                validateResearchResource 588-589 and 600-601 for each item); \
                ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// Each external id's type must be one of ORCID's identifier types
/// (exact, case-sensitive API names; `data/identifier-types.txt`).
///
/// `docs/orcid-api.md` §5.2: each needs a type from ORCID's identifier-type
/// list, else 9023 "Invalid external-id type" (`ExternalIDValidator`).
pub const EXTERNAL_ID_TYPE_UNKNOWN: Rule = Rule {
    id: "orcid.external-id.type-unknown",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    sections_v3_0: EXTERNAL_ID_SECTIONS_V3_0,
    operations: BOTH,
    summary: "`external-id-type` must be one of ORCID's identifier types (the API names \
              served by GET /v2.1/identifiers, lower-case, e.g. `doi`, `isbn`, \
              `grant_number`); ORCID answers \"Invalid external-id <type>\".",
    hint: "use one of ORCID's identifier types, e.g. doi, isbn, issn, pmid, pmc, arxiv, \
           handle, uri, urn, source-work-id, grant_number, other-id (full list: \
           crates/orcid-validate/data/identifier-types.txt)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview lines 30, 50; validateFunding 70: exact key of \
                IdentifierTypeManager#fetchIdentifierTypesByAPITypeName); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ExternalIDValidator.java \
                (lines 32, 54, 88, 117); ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// Each external id's value must not be blank.
///
/// `docs/orcid-api.md` §5.2: a non-blank value, else 9023 (`ExternalIDValidator`).
pub const EXTERNAL_ID_VALUE_EMPTY: Rule = Rule {
    id: "orcid.external-id.value-empty",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    sections_v3_0: EXTERNAL_ID_SECTIONS_V3_0,
    operations: BOTH,
    summary: "`external-id-value` must not be empty or blank; ORCID answers \
              \"Invalid external-id value\".",
    hint: "put the identifier itself in external-id-value (e.g. 10.1087/20120404 for a \
           doi), or remove the external-id",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (lines 34, 54, 74: PojoUtil.isEmpty, i.e. blank); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ExternalIDValidator.java \
                (lines 36, 58, 92, 121); ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// Each external id needs a relationship.
///
/// `docs/orcid-api.md` §5.2: a relationship, else 9023
/// (`ExternalIDValidator`). Until ORCID-Source `279b19dc9f` (2023-01-18)
/// the check sat behind the setting `requireRelationship`; since then both
/// versions' validators check it unconditionally, for works, fundings, peer
/// reviews (and a peer review's subject id) and, in v3.0, research
/// resources.
pub const EXTERNAL_ID_RELATIONSHIP_MISSING: Rule = Rule {
    id: "orcid.external-id.relationship-missing",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    sections_v3_0: EXTERNAL_ID_SECTIONS_V3_0,
    operations: BOTH,
    summary: "Every external id of a work, funding, peer review (its subject id too) or \
              research resource needs `external-id-relationship`; ORCID answers \"Invalid \
              external-id relationship\".",
    hint: "add <common:external-id-relationship>self</common:external-id-relationship> \
           (JSON \"external-id-relationship\": \"SELF\"), or part-of for an id of the \
           containing item (e.g. the ISSN of a journal)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview, validateFunding: `relationship` lines 38, 58, 78); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview, validatePeerReview, validateWork, validateFunding: \
                lines 40, 62, 96, 125); ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// A day without a month (or a month without a year) in a fuzzy date.
///
/// `docs/orcid-api.md` §5.3: `ActivityValidator#validateFuzzyDate` (both
/// versions, API requests) builds the date string `2017-null-05` and fails
/// to parse it, so the API answers 9049 (§4.2); the work validator's own
/// check of the same (9020) comes after it. A month without a year cannot
/// be represented: the model requires `year`.
pub const DATE_DAY_WITHOUT_MONTH: Rule = Rule {
    id: "orcid.date.day-without-month",
    orcid_code: 9049,
    http: 400,
    sections: DATE_SECTIONS,
    sections_v3_0: DATE_SECTIONS_V3_0,
    operations: BOTH,
    summary: "A fuzzy date (`publication-date`, `start-date`, `end-date`, \
              `review-completion-date`) with a `day` but no `month`; ORCID answers \
              \"invalid date: YYYY-null-DD\".",
    hint: "add the month, or remove the day",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.3, §4.2 (9049), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFuzzyDate line 512, getDateString line 537; called from validateWork \
                line 135, validateFunding 338-341, validateEmployment 365-368, \
                validateEducation 395-398, validatePeerReview 441); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFuzzyDate line 619; from validateWork 152, validateFunding 348-354, \
                validateAffiliation 469-472, validatePeerReview 516); InvalidFuzzyDateException \
                → 9049 (OrcidCoreExceptionMapper line 75)",
};

/// A fuzzy date that is not a real calendar date in ORCID's format.
///
/// `docs/orcid-api.md` §5.3: works, fundings, affiliations and peer
/// reviews (not research resources, whose dates v3.0 never validates); a
/// date must exist in the calendar (`validateFuzzyDate`, 9049). ORCID
/// parses `yyyy`, `yyyy-MM`, `yyyy-MM-dd` strictly, so a year must have
/// exactly four digits and a month or day two. In v2.1 ORCID first
/// left-pads month and day to two digits (the 2.1 → 2.0 conversion goes
/// through `Month#setValue`/`Day#setValue`), so `3` passes there; in v3.0
/// `3` is refused ("invalid date: 2017-3").
pub const DATE_INVALID: Rule = Rule {
    id: "orcid.date.invalid",
    orcid_code: 9049,
    http: 400,
    sections: DATE_SECTIONS,
    sections_v3_0: DATE_SECTIONS_V3_0,
    operations: BOTH,
    summary: "A fuzzy date must be a real calendar date written as ORCID parses it: year \
              of 4 digits, month and day of 2 digits (`2017`, `2017-02`, `2017-02-28`; v2.1 \
              pads a one-digit month or day with `0` first, v3.0 does not); ORCID answers \
              \"invalid date: …\".",
    hint: "write the year with 4 digits and month/day with 2 (02, not 2), and use a day \
           that exists in that month",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.3, §4.2 (9049), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFuzzyDate lines 512-535); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFuzzyDate lines 619-643); v2.1 padding: \
                orcid-api-web/src/main/java/org/orcid/api/memberV2/server/delegator/impl/\
                MemberV2ApiServiceVersionedDelegatorImpl.java (processObject line 577), \
                orcid-core/src/main/java/org/orcid/core/version/impl/\
                VersionConverterImplV2_0ToV2_1.java (downgrade); orcid-model \
                common_v2/Month.java, Day.java (setValue → tidyValue, leftPad)",
};

/// A translated title needs a valid language code.
///
/// `docs/orcid-api.md` §5.1 and §5.5: a translated title without a valid
/// language code is 9037, for works and fundings. The 2.1 XSD makes
/// `language-code` required and enumerates the same list as ORCID's
/// `LanguageCode` enum (ISO 639-1 plus `iw`, `in`, `ji`, `mo`, `zh_CN`,
/// `zh_TW`), so the typed model (a wrong code) or the XSD layer (none)
/// refuses any breach: there is no code that passes the XSD but fails ORCID.
pub const TRANSLATED_TITLE_LANGUAGE: Rule = Rule {
    id: "orcid.translated-title.language-code",
    orcid_code: 9037,
    http: 400,
    sections: &[Root::WorkWork, Root::FundingFunding, Root::BulkBulk],
    sections_v3_0: &[V3::WorkWork, V3::FundingFunding, V3::BulkBulk],
    operations: BOTH,
    summary: "A `translated-title` needs a `language-code` from ORCID's list (ISO 639-1 \
              plus the legacy `iw`, `in`, `ji`, `mo`, and `zh_CN`, `zh_TW`); ORCID answers \
              \"Invalid translated title -> language code, valid values are: …\".",
    hint: "add language-code=\"xx\" with the ISO 639-1 code of the translation (zh_CN / \
           zh_TW for Chinese)",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1],
    reference: "docs/orcid-api.md §5.1, §5.5, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork lines 104-110, validateFunding 294-302); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 122-128, validateFunding 307-315); \
                ActivityTypeValidationException → 9037 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 70); common-2.1.xsd `language-code`",
};

/// v3.0: a `version-of` id without any `self` id.
///
/// `docs/orcid-api.md` §9.2: the v3 `ExternalIDValidator` refuses a
/// `version-of` relationship on a peer review or research resource whose
/// ids have no `self` one, with 9023.
pub const VERSION_OF_WITHOUT_SELF: Rule = Rule {
    id: "orcid.external-id.version-of-without-self",
    orcid_code: 9023,
    http: 400,
    sections: &[],
    sections_v3_0: &[
        V3::PeerReviewPeerReview,
        V3::ResearchResourceResearchResource,
    ],
    operations: BOTH,
    summary: "(v3.0) An external id with relationship `version-of` needs an id with \
              relationship `self` in the same list; ORCID answers \"Invalid external-id\".",
    hint: "add the item's own identifier with relationship self, or make the version-of id \
           self",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ExternalIDValidator.java \
                (validatePeerReview lines 66-77, used for peer reviews by \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                line 499 and for research-resource proposals and items, lines 591, 603); \
                ActivityIdentifierValidationException → 9023 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 66)",
};

/// v3.0: an end date without a start date.
///
/// `docs/orcid-api.md` §9.2: the v3 `ActivityValidator` refuses a funding,
/// or a research-resource proposal, with an `end-date` but no
/// `start-date` (9050); affiliations lost this check in 2019.
pub const END_WITHOUT_START: Rule = Rule {
    id: "orcid.date.end-without-start",
    orcid_code: 9050,
    http: 400,
    sections: &[],
    sections_v3_0: &[V3::FundingFunding, V3::ResearchResourceResearchResource],
    operations: BOTH,
    summary: "(v3.0) A funding or research-resource proposal with an `end-date` needs a \
              `start-date`; ORCID answers 9050.",
    hint: "add the start-date, or remove the end-date",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFunding lines 347-351, validateResearchResource 594-596; \
                validateAffiliation has no such check); MissingStartDateException → 9050 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 76)",
};

/// Checks a start and end date at `at`: each valid, and the end not before
/// the start (the section's `end_before_start` rule, if any), and for v3.0
/// fundings and proposals (`end_needs_start`) no end without a start.
pub(crate) fn check_date_range(
    sink: &mut Sink,
    start: Option<DateParts<'_>>,
    end: Option<DateParts<'_>>,
    at: &NodePath,
    end_before_start: Option<&'static Rule>,
    end_needs_start: bool,
) {
    let s = start.and_then(|d| check_date(sink, d, &at.key("start-date")));
    let e = end.and_then(|d| check_date(sink, d, &at.key("end-date")));
    if let (Some(rule), Some(s), Some(e)) = (end_before_start, s, e) {
        if ends_before_start(s, e) {
            sink.push(
                rule,
                at.key("end-date"),
                format!(
                    "end-date {} is before start-date {}",
                    fmt_date(e),
                    fmt_date(s)
                ),
            );
        }
    }
    if end_needs_start && start.is_none() && end.is_some() {
        sink.push(
            &END_WITHOUT_START,
            at.key("end-date"),
            "there is an end-date but no start-date".to_string(),
        );
    }
}

/// A date value as `yyyy[-MM[-dd]]`.
pub(crate) fn fmt_date(d: (i64, Option<i64>, Option<i64>)) -> String {
    match d {
        (y, Some(m), Some(dd)) => format!("{y:04}-{m:02}-{dd:02}"),
        (y, Some(m), None) => format!("{y:04}-{m:02}"),
        (y, _, _) => format!("{y:04}"),
    }
}

/// Collects findings.
pub(crate) struct Sink {
    /// What was found so far.
    pub findings: Vec<Finding>,
    /// The operation the rules are checked for.
    pub operation: Operation,
}

impl Sink {
    pub(crate) fn new(operation: Operation) -> Self {
        Sink {
            findings: Vec::new(),
            operation,
        }
    }

    /// Records that `rule` is broken at `node`.
    pub(crate) fn push(&mut self, rule: &'static Rule, node: NodePath, message: String) {
        self.findings.push(Finding {
            rule,
            node,
            message,
        });
    }
}

/// Java's `StringUtils.isBlank`/`PojoUtil.isEmpty`: empty or whitespace only.
pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Number of characters as Java's `String.length()` counts them (UTF-16
/// code units).
pub(crate) fn java_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A string for a message: quoted, shortened when long (60 characters).
/// Public so that callers composing rule findings of their own (the CLI's
/// streamed bulk check) quote values the same way.
pub fn show(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let head: String = s.chars().take(MAX).collect();
        format!("`{head}…`")
    } else {
        format!("`{s}`")
    }
}

/// An external id as the rules see it, in either version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdView<'a> {
    /// The type (`None`: absent, which the XSD layer reports).
    pub ty: Option<&'a str>,
    /// The value (`None`: absent, which the XSD layer reports).
    pub value: Option<&'a str>,
    /// The relationship as written in XML (`self`, `part-of`, …).
    pub relationship: Option<&'a str>,
}

impl<'a> From<&'a ExternalId> for IdView<'a> {
    fn from(id: &'a ExternalId) -> Self {
        IdView {
            ty: id.external_id_type.as_deref(),
            value: id.external_id_value.as_deref(),
            relationship: id.external_id_relationship.map(|r| r.as_xml()),
        }
    }
}

impl<'a> From<&'a v3_0::common::ExternalId> for IdView<'a> {
    fn from(id: &'a v3_0::common::ExternalId) -> Self {
        IdView {
            ty: id.external_id_type.as_deref(),
            value: id.external_id_value.as_deref(),
            relationship: id.external_id_relationship.as_deref(),
        }
    }
}

/// The ids of an optional v2.1 `external-ids` wrapper.
pub(crate) fn ids_of(ids: Option<&ExternalIds>) -> Option<Vec<IdView<'_>>> {
    ids.map(|i| i.external_id.iter().map(IdView::from).collect())
}

/// The ids of an optional v3.0 `external-ids` wrapper.
pub(crate) fn ids_of_v3_0(ids: Option<&v3_0::common::ExternalIds>) -> Option<Vec<IdView<'_>>> {
    ids.map(|i| i.external_id.iter().map(IdView::from).collect())
}

/// Checks the external ids of a work, funding or peer review: at least one
/// (`require_one`), and each one valid. `ids` is `None` when the wrapper
/// is absent; `wrapper` is the path of the `external-ids` (or
/// `review-identifiers`) element; `parent` the path of the item (where a
/// missing wrapper is reported).
pub(crate) fn check_external_ids(
    sink: &mut Sink,
    ids: Option<&[IdView<'_>]>,
    wrapper: &NodePath,
    parent: &NodePath,
    require_one: bool,
    no_relationship: &'static Rule,
) {
    let list: &[IdView<'_>] = ids.unwrap_or(&[]);
    if require_one && list.is_empty() {
        let (node, what) = match ids {
            Some(_) => (wrapper.clone(), "has no external-id".to_string()),
            None => (
                parent.clone(),
                format!("has no {}", last_key(wrapper).unwrap_or("external-ids")),
            ),
        };
        sink.push(
            &EXTERNAL_IDS_REQUIRED,
            node,
            format!("the item {what}: ORCID requires at least one external identifier"),
        );
    }
    for (i, id) in list.iter().enumerate() {
        check_external_id(
            sink,
            *id,
            &wrapper.key("external-id").index(i),
            no_relationship,
        );
    }
}

/// Checks one external id at `at` (the `external-id` element, or a
/// `subject-external-identifier`); a missing relationship breaks
/// `no_relationship` ([`EXTERNAL_ID_RELATIONSHIP_MISSING`]).
pub(crate) fn check_external_id(
    sink: &mut Sink,
    id: IdView<'_>,
    at: &NodePath,
    no_relationship: &'static Rule,
) {
    // An absent type or value has nothing to check (the XSD layer reports
    // it); the messages below name it as they name an empty one.
    let t = id.ty.unwrap_or_default();
    if id.ty.is_some() && !identifiers::is_known_type(t) {
        let msg = if is_blank(t) {
            "external-id-type is empty; it must be one of ORCID's identifier types".to_string()
        } else {
            let mut m = format!(
                "external-id-type {} is not in ORCID's identifier list",
                show(t)
            );
            let close = identifiers::suggest(t);
            if !close.is_empty() {
                m.push_str(&format!(
                    " (did you mean {}?)",
                    close
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            m
        };
        sink.push(&EXTERNAL_ID_TYPE_UNKNOWN, at.key("external-id-type"), msg);
    }
    if id.value.is_some_and(is_blank) {
        sink.push(
            &EXTERNAL_ID_VALUE_EMPTY,
            at.key("external-id-value"),
            format!(
                "external-id-value of the {} id is empty",
                if is_blank(t) { "external" } else { t }
            ),
        );
    }
    if id.relationship.is_none() {
        sink.push(
            no_relationship,
            at.clone(),
            format!(
                "external id {} {} has no external-id-relationship",
                if is_blank(t) { "(no type)" } else { t },
                show(id.value.unwrap_or_default())
            ),
        );
    }
}

/// v3.0: the language code of a translated title at `at` must be one of
/// ORCID's (v2.1's XSD enforces it; v3.0's says `xs:string`).
pub(crate) fn check_translated_title_language(sink: &mut Sink, language: &str, at: &NodePath) {
    if !orcid_model::values::is_language(language) {
        sink.push(
            &TRANSLATED_TITLE_LANGUAGE,
            at.key("language-code"),
            format!(
                "translated-title language-code {} is not one of ORCID's language codes",
                show(language)
            ),
        );
    }
}

/// v3.0: a `version-of` id needs a `self` id beside it (peer reviews and
/// research resources; works need a `self` id anyway). `wrapper` is the
/// path of the ids.
pub(crate) fn check_version_of(sink: &mut Sink, ids: &[IdView<'_>], wrapper: &NodePath) {
    let has_self = ids.iter().any(|i| i.relationship == Some("self"));
    if has_self {
        return;
    }
    if let Some(i) = ids
        .iter()
        .position(|i| i.relationship == Some("version-of"))
    {
        sink.push(
            &VERSION_OF_WITHOUT_SELF,
            wrapper.key("external-id").index(i),
            format!(
                "the {} id {} is version-of, but no id is self",
                ids[i].ty.unwrap_or("(no type)"),
                show(ids[i].value.unwrap_or_default())
            ),
        );
    }
}

fn last_key(p: &NodePath) -> Option<&str> {
    match p.0.last() {
        Some(crate::diagnostic::Step::Key(k)) => Some(k.as_str()),
        _ => None,
    }
}

/// A fuzzy date's parts, as ORCID's `validateFuzzyDate` sees them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateParts<'a> {
    pub year: &'a Year,
    pub month: Option<&'a Month>,
    pub day: Option<&'a Day>,
    /// v2.1: ORCID turns a 2.1 payload into 2.0 before validating it
    /// (`MemberV2ApiServiceVersionedDelegatorImpl#processObject`, Orika in
    /// `VersionConverterImplV2_0ToV2_1`), copying month and day through
    /// `Month#setValue`/`Day#setValue`, which left-pad them to two digits
    /// with `0`: a v2.1 month `3` is validated as `03` (§2.3, §10).
    pub padded: bool,
}

impl<'a> DateParts<'a> {
    /// Of a v3.0 `common:fuzzy-date` (and publication date); `None`
    /// without a year (nothing to check: the XSD layer reports it).
    pub(crate) fn of_v3_0(d: &'a v3_0::common::FuzzyDate) -> Option<Self> {
        Some(DateParts {
            year: d.year.as_ref()?,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
            padded: false,
        })
    }

    /// Of a v3.0 `common:publication-date`.
    pub(crate) fn of_v3_0_publication(d: &'a v3_0::common::PublicationDate) -> Option<Self> {
        Some(DateParts {
            year: d.year.as_ref()?,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
            padded: false,
        })
    }

    /// Of a `common:fuzzy-date`.
    pub(crate) fn of(d: &'a orcid_model::v2_1::common::FuzzyDate) -> Option<Self> {
        Some(DateParts {
            year: d.year.as_ref()?,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
            padded: true,
        })
    }

    /// Of a `common:publication-date`.
    pub(crate) fn of_publication(
        d: &'a orcid_model::v2_1::common::PublicationDate,
    ) -> Option<Self> {
        Some(DateParts {
            year: d.year.as_ref()?,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
            padded: true,
        })
    }

    /// The month as ORCID's validator sees it (v2.1: left-padded).
    fn month_str(&self) -> Option<String> {
        self.month.map(|m| self.tidy(m.as_str()))
    }

    /// The day as ORCID's validator sees it (v2.1: left-padded).
    fn day_str(&self) -> Option<String> {
        self.day.map(|d| self.tidy(d.as_str()))
    }

    /// `StringUtils.leftPad(value, 2, '0')` in v2.1, as written in v3.0.
    fn tidy(&self, s: &str) -> String {
        if self.padded && s.chars().count() < 2 {
            format!("{}{s}", "0".repeat(2 - s.chars().count()))
        } else {
            s.to_string()
        }
    }

    /// The string ORCID builds and parses (`getDateString`).
    pub(crate) fn date_string(&self) -> String {
        let y = self.year.as_str();
        match (self.month_str(), self.day_str()) {
            (m, Some(d)) => format!("{y}-{}-{d}", m.as_deref().unwrap_or("null")),
            (Some(m), None) => format!("{y}-{m}"),
            (None, None) => y.to_string(),
        }
    }

    /// `(year, month, day)` when it is a valid date in ORCID's strict form.
    pub(crate) fn valid(&self) -> Option<(i64, Option<i64>, Option<i64>)> {
        let y = digits(self.year.as_str(), 4)?;
        if y == 0 {
            return None;
        }
        let m = match self.month_str() {
            Some(m) => Some(digits(&m, 2).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let d = match (self.day_str(), m) {
            (Some(d), Some(m)) => {
                Some(digits(&d, 2).filter(|d| *d >= 1 && *d <= days_in_month(y, m))?)
            }
            (Some(_), None) => return None,
            (None, _) => None,
        };
        Some((y, m, d))
    }
}

/// The value of exactly `n` ASCII digits.
fn digits(s: &str, n: usize) -> Option<i64> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Checks one fuzzy date at `at`; returns its value when valid.
pub(crate) fn check_date(
    sink: &mut Sink,
    date: DateParts<'_>,
    at: &NodePath,
) -> Option<(i64, Option<i64>, Option<i64>)> {
    if date.day.is_some() && date.month.is_none() {
        sink.push(
            &DATE_DAY_WITHOUT_MONTH,
            at.key("day"),
            format!(
                "{} has a day but no month; ORCID reads it as `{}`",
                last_key(at).unwrap_or("date"),
                date.date_string()
            ),
        );
        return None;
    }
    let v = date.valid();
    if v.is_none() {
        sink.push(
            &DATE_INVALID,
            at.clone(),
            format!(
                "{} `{}` is not a valid date as ORCID parses it (yyyy, yyyy-MM or yyyy-MM-dd, \
                 a real calendar date)",
                last_key(at).unwrap_or("date"),
                date.date_string()
            ),
        );
    }
    v
}

/// Whether `end` is before `start` as ORCID compares them: each date as
/// `yyyy-MM-dd` with a missing month or day written `00`, so that
/// `2017-05 .. 2017` ends before it starts (`docs/orcid-api.md` §5.6:
/// ORCID answered 9055 to exactly that).
pub(crate) fn ends_before_start(
    start: (i64, Option<i64>, Option<i64>),
    end: (i64, Option<i64>, Option<i64>),
) -> bool {
    let padded = |d: (i64, Option<i64>, Option<i64>)| (d.0, d.1.unwrap_or(0), d.2.unwrap_or(0));
    padded(end) < padded(start)
}
