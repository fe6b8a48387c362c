//! Rules shared by several sections: external identifiers, fuzzy dates and
//! translated titles; and the [`Sink`] that collects findings. Section
//! numbers (§) refer to `docs/orcid-api.md`.

use orcid_model::scalar::{days_in_month, Day, Month, Year};
use orcid_model::v2_1::common::{ExternalId, ExternalIds};

use super::identifiers;
use super::{Finding, Operation, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

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
    operations: BOTH,
    summary: "A work, funding or peer review needs at least one external identifier \
              (`external-ids/external-id`, for a peer review `review-identifiers/external-id`).",
    hint: "add an external-id with a type from ORCID's list, a value and a relationship \
           (e.g. doi / 10.1087/20120404 / self); use source-work-id with your local id if \
           there is no public one",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.2, §5.1, §5.5, §5.7; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork, validateFunding, validatePeerReview)",
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
    operations: BOTH,
    summary: "`external-id-type` must be one of ORCID's identifier types (the API names \
              served by GET /v2.1/identifiers, lower-case, e.g. `doi`, `isbn`, \
              `grant_number`); ORCID answers \"Invalid external-id <type>\".",
    hint: "use one of ORCID's identifier types, e.g. doi, isbn, issn, pmid, pmc, arxiv, \
           handle, uri, urn, source-work-id, grant_number, other-id (full list: \
           crates/orcid-validate/data/identifier-types.txt)",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.2; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview, validateFunding)",
};

/// Each external id's value must not be blank.
///
/// `docs/orcid-api.md` §5.2: a non-blank value, else 9023 (`ExternalIDValidator`).
pub const EXTERNAL_ID_VALUE_EMPTY: Rule = Rule {
    id: "orcid.external-id.value-empty",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    operations: BOTH,
    summary: "`external-id-value` must not be empty or blank; ORCID answers \
              \"Invalid external-id value\".",
    hint: "put the identifier itself in external-id-value (e.g. 10.1087/20120404 for a \
           doi), or remove the external-id",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.2; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview, validateFunding)",
};

/// Each external id needs a relationship.
///
/// `docs/orcid-api.md` §5.2: a relationship, else 9023 (`ExternalIDValidator`;
/// behind the `requireRelationship` setting in 2018, unconditional today).
pub const EXTERNAL_ID_RELATIONSHIP_MISSING: Rule = Rule {
    id: "orcid.external-id.relationship-missing",
    orcid_code: 9023,
    http: 400,
    sections: EXTERNAL_ID_SECTIONS,
    operations: BOTH,
    summary: "Every external id needs `external-id-relationship` (`self` or `part-of`); \
              ORCID answers \"Invalid external-id relationship\".",
    hint: "add <common:external-id-relationship>self</common:external-id-relationship> \
           (JSON \"external-id-relationship\": \"SELF\"), or part-of for an id of the \
           containing item (e.g. the ISSN of a journal)",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.2; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ExternalIDValidator.java \
                (validateWorkOrPeerReview, validateFunding)",
};

/// A day without a month (or a month without a year) in a fuzzy date.
///
/// `docs/orcid-api.md` §5.3: the validator's own check (a day without a month,
/// or a month without a year, 9020) comes after
/// `ActivityValidator#validateFuzzyDate` for API requests, which fails on the
/// date string `2017-null-05`, so the API answers 9049 (§4.2). A month
/// without a year cannot be represented: the model requires `year`.
pub const DATE_DAY_WITHOUT_MONTH: Rule = Rule {
    id: "orcid.date.day-without-month",
    orcid_code: 9049,
    http: 400,
    sections: DATE_SECTIONS,
    operations: BOTH,
    summary: "A fuzzy date (`publication-date`, `start-date`, `end-date`, \
              `review-completion-date`) with a `day` but no `month`; ORCID answers \
              \"invalid date: YYYY-null-DD\".",
    hint: "add the month, or remove the day",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.3, §4.2 (9049); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFuzzyDate)",
};

/// A fuzzy date that is not a real calendar date in ORCID's format.
///
/// `docs/orcid-api.md` §5.3: works, fundings, educations, employments and peer
/// reviews; a date must exist in the calendar (`validateFuzzyDate`, 9049).
/// ORCID parses `yyyy`, `yyyy-MM`, `yyyy-MM-dd` strictly, so a year must have
/// exactly four digits and a month or day exactly two: the validator's own
/// digit-count check (9020) is pre-empted by this 9049 for API requests.
pub const DATE_INVALID: Rule = Rule {
    id: "orcid.date.invalid",
    orcid_code: 9049,
    http: 400,
    sections: DATE_SECTIONS,
    operations: BOTH,
    summary: "A fuzzy date must be a real calendar date written as ORCID parses it: year \
              of 4 digits, month and day of 2 digits (`2017`, `2017-02`, `2017-02-28`); \
              ORCID answers \"invalid date: …\".",
    hint: "write the year with 4 digits and month/day with 2 (02, not 2), and use a day \
           that exists in that month",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.3, §4.2 (9049); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFuzzyDate)",
};

/// A translated title needs a valid language code.
///
/// `docs/orcid-api.md` §5.1 and §5.5: a translated title without a valid
/// language code is 9037, for works and fundings. The 2.1 XSD makes
/// `language-code` required and enumerates the same list as ORCID's
/// `LanguageCode` enum (ISO 639-1 plus `iw`, `in`, `ji`, `mo`, `zh_CN`,
/// `zh_TW`), so the typed model refuses any breach: there is no code that
/// passes the XSD but fails ORCID.
pub const TRANSLATED_TITLE_LANGUAGE: Rule = Rule {
    id: "orcid.translated-title.language-code",
    orcid_code: 9037,
    http: 400,
    sections: &[Root::WorkWork, Root::FundingFunding, Root::BulkBulk],
    operations: BOTH,
    summary: "A `translated-title` needs a `language-code` from ORCID's list (ISO 639-1 \
              plus the legacy `iw`, `in`, `ji`, `mo`, and `zh_CN`, `zh_TW`); ORCID answers \
              \"Invalid translated title -> language code, valid values are: …\".",
    hint: "add language-code=\"xx\" with the ISO 639-1 code of the translation (zh_CN / \
           zh_TW for Chinese)",
    severity: Severity::Error,
    model_enforced: true,
    reference: "docs/orcid-api.md §5.1, §5.5; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork, validateFunding); common-2.1.xsd `language-code`",
};

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

/// Checks the external ids of a work, funding or peer review: at least one
/// (`require_one`), and each one valid. `wrapper` is the path of the
/// `external-ids` (or `review-identifiers`) element; `parent` the path of
/// the item (where a missing wrapper is reported).
pub(crate) fn check_external_ids(
    sink: &mut Sink,
    ids: Option<&ExternalIds>,
    wrapper: &NodePath,
    parent: &NodePath,
    require_one: bool,
) {
    let list: &[ExternalId] = ids.map(|i| i.external_id.as_slice()).unwrap_or(&[]);
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
        check_external_id(sink, id, &wrapper.key("external-id").index(i));
    }
}

/// Checks one external id at `at` (the `external-id` element, or a
/// `subject-external-identifier`).
pub(crate) fn check_external_id(sink: &mut Sink, id: &ExternalId, at: &NodePath) {
    let t = id.external_id_type.as_str();
    if !identifiers::is_known_type(t) {
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
    if is_blank(&id.external_id_value) {
        sink.push(
            &EXTERNAL_ID_VALUE_EMPTY,
            at.key("external-id-value"),
            format!(
                "external-id-value of the {} id is empty",
                if is_blank(t) { "external" } else { t }
            ),
        );
    }
    if id.external_id_relationship.is_none() {
        sink.push(
            &EXTERNAL_ID_RELATIONSHIP_MISSING,
            at.clone(),
            format!(
                "external id {} {} has no external-id-relationship",
                if is_blank(t) { "(no type)" } else { t },
                show(&id.external_id_value)
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
}

impl<'a> DateParts<'a> {
    /// Of a `common:fuzzy-date`.
    pub(crate) fn of(d: &'a orcid_model::v2_1::common::FuzzyDate) -> Self {
        DateParts {
            year: &d.year,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
        }
    }

    /// Of a `common:publication-date`.
    pub(crate) fn of_publication(d: &'a orcid_model::v2_1::common::PublicationDate) -> Self {
        DateParts {
            year: &d.year,
            month: d.month.as_ref(),
            day: d.day.as_ref(),
        }
    }

    /// The string ORCID builds and parses (`getDateString`).
    pub(crate) fn date_string(&self) -> String {
        let y = self.year.as_str();
        match (self.month, self.day) {
            (m, Some(d)) => format!(
                "{y}-{}-{}",
                m.map(|m| m.as_str()).unwrap_or("null"),
                d.as_str()
            ),
            (Some(m), None) => format!("{y}-{}", m.as_str()),
            (None, None) => y.to_string(),
        }
    }

    /// `(year, month, day)` when it is a valid date in ORCID's strict form.
    pub(crate) fn valid(&self) -> Option<(i64, Option<i64>, Option<i64>)> {
        let y = digits(self.year.as_str(), 4)?;
        if y == 0 {
            return None;
        }
        let m = match self.month {
            Some(m) => Some(digits(m.as_str(), 2).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let d = match (self.day, m) {
            (Some(d), Some(m)) => {
                Some(digits(d.as_str(), 2).filter(|d| *d >= 1 && *d <= days_in_month(y, m))?)
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

/// Whether `end` is before `start`, compared at the precision both give.
pub(crate) fn ends_before_start(
    start: (i64, Option<i64>, Option<i64>),
    end: (i64, Option<i64>, Option<i64>),
) -> bool {
    if end.0 != start.0 {
        return end.0 < start.0;
    }
    match (start.1, end.1) {
        (Some(sm), Some(em)) if sm != em => em < sm,
        (Some(_), Some(_)) => matches!((start.2, end.2), (Some(sd), Some(ed)) if ed < sd),
        _ => false,
    }
}
