//! Fundings (`docs/orcid-api.md` §5.5, `ActivityValidator#validateFunding`).

use orcid_model::v2_1::funding::Funding;

use super::common::{
    check_date, check_external_ids, ends_before_start, is_blank, DateParts, Sink, BOTH,
};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

/// A funding's title must be present and non-empty.
///
/// `docs/orcid-api.md` §5.5 (title required, 9022) and §4.2. The model keeps
/// `funding:title` optional, so a missing title is reported too.
pub const TITLE_REQUIRED: Rule = Rule {
    id: "orcid.funding.title-required",
    orcid_code: 9022,
    http: 400,
    sections: &[Root::FundingFunding],
    operations: BOTH,
    summary: "A funding needs a non-empty `title/title`; ORCID answers \"A title is \
              required\".",
    hint: "add <funding:title><common:title>…</common:title></funding:title> with the \
           grant's title",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.5, §4.2 (9022); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding)",
};

/// Amount and currency go together.
///
/// `docs/orcid-api.md` §5.5: an amount needs a currency and vice versa, 9020 ("Please specify
/// a currency code" / "Please specify an amount or remove the amount tag").
/// The 2.1 XSD makes `currency-code` required on `amount`, so the typed
/// model only lets through a currency with an empty amount.
pub const AMOUNT_CURRENCY: Rule = Rule {
    id: "orcid.funding.amount-currency",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::FundingFunding],
    operations: BOTH,
    summary: "A funding `amount` needs both a value and a `currency-code`; ORCID answers \
              \"Please specify an amount or remove the amount tag\" (or \"Please specify a \
              currency code\").",
    hint: "write the amount (e.g. 1000) inside <funding:amount currency-code=\"USD\">, or \
           remove the amount element",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.5; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding)",
};

/// A funding that ends before it starts.
///
/// `docs/orcid-api.md` §5.6 and §4.2 document 9055 (end date before start date) for
/// affiliations only; ORCID's v2.1 funding validator is not known to compare
/// the dates, so this is a warning: the data is wrong, but ORCID may
/// accept it.
pub const END_BEFORE_START: Rule = Rule {
    id: "orcid.funding.end-before-start",
    orcid_code: 9055,
    http: 400,
    sections: &[Root::FundingFunding],
    operations: BOTH,
    summary: "A funding whose `end-date` is before its `start-date` (compared at the \
              precision both give). ORCID's v2.1 funding validator is not known to refuse \
              it (9055 is documented for affiliations), so this is a warning.",
    hint: "swap or correct start-date and end-date",
    severity: Severity::Warning,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.5 (no such check for fundings), §5.6, §4.2 (9055); \
                ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding, validateEducation)",
};

/// Checks a funding at `at`.
pub(crate) fn check_funding(sink: &mut Sink, ctx: &Context, f: &Funding, at: &NodePath) {
    item::check_envelope(sink, ctx, f.put_code, f.visibility, at);
    match &f.title {
        None => sink.push(
            &TITLE_REQUIRED,
            at.clone(),
            "the funding has no title".to_string(),
        ),
        Some(t) if is_blank(&t.title) => sink.push(
            &TITLE_REQUIRED,
            at.key("title").key("title"),
            "the funding's title is empty".to_string(),
        ),
        Some(_) => {}
    }
    check_external_ids(
        sink,
        f.external_ids.as_ref(),
        &at.key("external-ids"),
        at,
        true,
    );
    if let Some(a) = &f.amount {
        if is_blank(&a.value) {
            sink.push(
                &AMOUNT_CURRENCY,
                at.key("amount"),
                format!(
                    "amount has currency-code `{}` but no value",
                    a.currency_code.as_xml()
                ),
            );
        }
    }
    let start = f
        .start_date
        .as_ref()
        .and_then(|d| check_date(sink, DateParts::of(d), &at.key("start-date")));
    let end = f
        .end_date
        .as_ref()
        .and_then(|d| check_date(sink, DateParts::of(d), &at.key("end-date")));
    if let (Some(s), Some(e)) = (start, end) {
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

/// `2017`, `2017-02`, `2017-02-03`.
pub(crate) fn fmt_date(d: (i64, Option<i64>, Option<i64>)) -> String {
    match d {
        (y, Some(m), Some(dd)) => format!("{y:04}-{m:02}-{dd:02}"),
        (y, Some(m), None) => format!("{y:04}-{m:02}"),
        (y, _, _) => format!("{y:04}"),
    }
}
