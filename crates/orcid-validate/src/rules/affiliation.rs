//! Education and employment (`docs/orcid-api.md` §5.6).

use orcid_model::v2_1::common::FuzzyDate;
use orcid_model::v3_0;
use orcid_model::Root;

use super::common::{
    check_date_range, ids_of_v3_0, DateParts, Sink, AFFILIATIONS_V3_0, BOTH, NOT_MODEL,
};
use super::organization::{check_organization, is_disambiguated, OrgRules, ID_REQUIRED};
use super::values::check_relationships;
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};

/// An affiliation that ends before it starts.
///
/// `docs/orcid-api.md` §5.6 (a start date after the end date is 400/9055) and
/// §4.2. Compared at the precision
/// both dates give (2017 vs 2017-05 is not "before").
pub const END_BEFORE_START: Rule = Rule {
    id: "orcid.affiliation.end-before-start",
    orcid_code: 9055,
    http: 400,
    sections: &[Root::EducationEducation, Root::EmploymentEmployment],
    sections_v3_0: AFFILIATIONS_V3_0,
    operations: BOTH,
    summary: "An education or employment (in v3.0 any of the seven affiliations) whose \
              `end-date` is before its `start-date`; ORCID answers 9055.",
    hint: "swap or correct start-date and end-date",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.6, §4.2 (9055), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateEmployment lines 367-371, validateEducation 397-401, API requests, \
                only with a start date); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateAffiliation 471-475); \
                orcid-core/src/main/java/org/orcid/core/utils/FuzzyDateUtils.java and \
                orcid-core/src/main/java/org/orcid/core/utils/v3/FuzzyDateUtils.java \
                (compareTo: yyyyMMdd strings, a missing month or day `00`); \
                StartDateAfterEndDateException → 9055 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 80)",
};

/// Checks the start and end dates of an affiliation at `at`.
pub(crate) fn check_dates(
    sink: &mut Sink,
    start: &Option<FuzzyDate>,
    end: &Option<FuzzyDate>,
    at: &NodePath,
) {
    check_date_range(
        sink,
        start.as_ref().and_then(DateParts::of),
        end.as_ref().and_then(DateParts::of),
        at,
        Some(&END_BEFORE_START),
        false,
    );
}

/// Which of v3.0's affiliation types an affiliation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Education or employment.
    EducationOrEmployment,
    /// Distinction, invited-position, membership, qualification, service.
    Professional,
}

/// Checks a v3.0 affiliation of `kind` at `at`.
pub(crate) fn check_affiliation_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    a: &v3_0::common::Affiliation,
    kind: Kind,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, a.put_code, a.visibility, at);
    check_date_range(
        sink,
        a.start_date.as_ref().and_then(DateParts::of_v3_0),
        a.end_date.as_ref().and_then(DateParts::of_v3_0),
        at,
        Some(&END_BEFORE_START),
        false,
    );
    let rules = match kind {
        Kind::EducationOrEmployment => OrgRules::EDUCATION_OR_EMPLOYMENT,
        Kind::Professional => OrgRules::PROFESSIONAL,
    };
    check_organization(
        sink,
        a.organization.as_ref(),
        rules,
        &at.key("organization"),
        at,
    );
    let wrapper = at.key("external-ids");
    let ids = ids_of_v3_0(a.external_ids.as_ref());
    check_relationships(sink, ids.as_deref().unwrap_or(&[]), &wrapper);
    let has_ids = ids.as_ref().is_some_and(|i| !i.is_empty());
    if kind == Kind::Professional
        && !has_ids
        && !a.organization.as_ref().is_some_and(is_disambiguated)
    {
        sink.push(
            &ID_REQUIRED,
            at.clone(),
            "the activity has neither a disambiguated organization nor an external id".to_string(),
        );
    }
}
