//! Education and employment (`docs/orcid-api.md` §5.6).

use orcid_model::v2_1::common::FuzzyDate;

use super::common::{check_date, ends_before_start, DateParts, Sink, BOTH};
use super::funding::fmt_date;
use super::Rule;
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

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
    operations: BOTH,
    summary: "An education or employment whose `end-date` is before its `start-date`; \
              ORCID answers 9055.",
    hint: "swap or correct start-date and end-date",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.6, §4.2 (9055); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateEducation, validateEmployment)",
};

/// Checks the start and end dates of an affiliation at `at`.
pub(crate) fn check_dates(
    sink: &mut Sink,
    start: &Option<FuzzyDate>,
    end: &Option<FuzzyDate>,
    at: &NodePath,
) {
    let s = start
        .as_ref()
        .and_then(|d| check_date(sink, DateParts::of(d), &at.key("start-date")));
    let e = end
        .as_ref()
        .and_then(|d| check_date(sink, DateParts::of(d), &at.key("end-date")));
    if let (Some(s), Some(e)) = (s, e) {
        if ends_before_start(s, e) {
            sink.push(
                &END_BEFORE_START,
                at.key("end-date"),
                format!(
                    "end-date {} is before start-date {}",
                    fmt_date(e),
                    fmt_date(s)
                ),
            );
        }
    }
}
