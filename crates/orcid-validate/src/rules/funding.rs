//! Fundings (`docs/orcid-api.md` §5.5, `ActivityValidator#validateFunding`).

use orcid_model::v2_1::funding::Funding;
use orcid_model::v3_0;
use orcid_model::v3_0::Root as V3;
use orcid_model::values::RoleOf;
use orcid_model::Root;

use super::common::{
    check_date_range, check_external_ids, check_translated_title_language, ids_of, ids_of_v3_0,
    is_blank, show, DateParts, Sink, BOTH, EXTERNAL_ID_RELATIONSHIP_MISSING, NOT_MODEL,
};
use super::organization::{check_organization, OrgRules};
use super::values::{check_relationships, check_role, check_value, Value};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};

/// v3.0: a funding amount must be a number.
///
/// `docs/orcid-api.md` §9.2: the v3 `ActivityValidator#validateFunding`
/// parses the amount with Java's `Double.parseDouble` and answers 9054 when
/// it fails (`1,000` fails; `1000.50` and `1e3` pass).
pub const AMOUNT_NUMBER: Rule = Rule {
    id: "orcid.funding.amount-number",
    orcid_code: 9054,
    http: 400,
    sections: &[],
    sections_v3_0: &[V3::FundingFunding],
    operations: BOTH,
    summary: "(v3.0) A funding `amount` must be a plain number (`1000`, `1000.50`; no \
              thousands separators or currency signs); ORCID answers 9054.",
    hint: "write the amount as digits with an optional decimal point, e.g. 250000.00",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFunding lines 332-336: Double.parseDouble); InvalidAmountException → \
                9054 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 79)",
};

/// A funding's title must be present and non-empty.
///
/// `docs/orcid-api.md` §5.5 (title required, 9022) and §4.2. The model keeps
/// `funding:title` optional, so a missing title is reported too.
pub const TITLE_REQUIRED: Rule = Rule {
    id: "orcid.funding.title-required",
    orcid_code: 9022,
    http: 400,
    sections: &[Root::FundingFunding],
    sections_v3_0: &[V3::FundingFunding],
    operations: BOTH,
    summary: "A funding needs a non-empty `title/title`; ORCID answers \"A title is \
              required\".",
    hint: "add <funding:title><common:title>…</common:title></funding:title> with the \
           grant's title",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.5, §4.2 (9022), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding lines 289-290: StringUtils.isEmpty, so a title of spaces \
                passes); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFunding 302-303); ActivityTitleValidationException → 9022 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 65)",
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
    sections_v3_0: &[V3::FundingFunding],
    operations: BOTH,
    summary: "A funding `amount` needs both a value and a `currency-code`; ORCID answers \
              \"Please specify an amount or remove the amount tag\" (or \"Please specify a \
              currency code\").",
    hint: "write the amount (e.g. 1000) inside <funding:amount currency-code=\"USD\">, or \
           remove the amount element",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.5, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding lines 315-318); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFunding 328-331); OrcidValidationException → 9020 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 64)",
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
    sections_v3_0: &[V3::FundingFunding],
    operations: BOTH,
    summary: "A funding whose `end-date` is before its `start-date` (compared at the \
              precision both give). ORCID's v2.1 funding validator is not known to refuse \
              it (9055 is documented for affiliations), so this is a warning.",
    hint: "swap or correct start-date and end-date",
    severity: Severity::Warning,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.5, §5.6, §4.2 (9055), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateFunding lines 287-346: no date order check, unlike validateEducation \
                400-401); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateFunding 300-365: none either)",
};

/// Checks a funding at `at`.
pub(crate) fn check_funding(sink: &mut Sink, ctx: &Context, f: &Funding, at: &NodePath) {
    item::check_envelope(sink, ctx, f.put_code, f.visibility, at);
    check_title(sink, f.title.as_ref().map(|t| t.title.as_deref()), at);
    check_external_ids(
        sink,
        ids_of(f.external_ids.as_ref()).as_deref(),
        &at.key("external-ids"),
        at,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    if let Some(a) = &f.amount {
        check_amount_present(sink, &a.value, a.currency_code.map(|c| c.as_xml()), at);
    }
    check_date_range(
        sink,
        f.start_date.as_ref().and_then(DateParts::of),
        f.end_date.as_ref().and_then(DateParts::of),
        at,
        Some(&END_BEFORE_START),
        false,
    );
}

/// Checks a v3.0 funding at `at`.
pub(crate) fn check_funding_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    f: &v3_0::funding::Funding,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, f.put_code, f.visibility, at);
    if let Some(t) = &f.r#type {
        check_value(sink, Value::FundingType, t, &at.key("type"));
    }
    check_title(sink, f.title.as_ref().map(|t| t.title.as_deref()), at);
    if let Some(t) = f
        .title
        .as_ref()
        .and_then(|t| t.translated_title.as_ref())
        .filter(|t| !is_blank(&t.value))
    {
        if let Some(language) = &t.language_code {
            check_translated_title_language(
                sink,
                language,
                &at.key("title").key("translated-title"),
            );
        }
    }
    let wrapper = at.key("external-ids");
    let ids = ids_of_v3_0(f.external_ids.as_ref());
    check_external_ids(
        sink,
        ids.as_deref(),
        &wrapper,
        at,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    check_relationships(sink, ids.as_deref().unwrap_or(&[]), &wrapper);
    if let Some(a) = &f.amount {
        check_amount_present(sink, &a.value, a.currency_code.as_deref(), at);
        if !is_blank(&a.value) && !is_java_double(&a.value) {
            sink.push(
                &AMOUNT_NUMBER,
                at.key("amount"),
                format!("amount {} is not a number", show(&a.value)),
            );
        }
        if let Some(c) = &a.currency_code {
            check_value(
                sink,
                Value::Currency,
                c,
                &at.key("amount").key("currency-code"),
            );
        }
    }
    check_date_range(
        sink,
        f.start_date.as_ref().and_then(DateParts::of_v3_0),
        f.end_date.as_ref().and_then(DateParts::of_v3_0),
        at,
        Some(&END_BEFORE_START),
        // A start-date without its year (which the XSD layer reports) is
        // still a start-date.
        f.start_date.is_none(),
    );
    for (i, c) in f
        .contributors
        .iter()
        .flat_map(|c| &c.contributor)
        .enumerate()
    {
        if let Some(role) = c
            .contributor_attributes
            .as_ref()
            .and_then(|a| a.contributor_role.as_deref())
        {
            check_role(
                sink,
                role,
                RoleOf::Funding,
                &at.key("contributors")
                    .key("contributor")
                    .index(i)
                    .key("contributor-attributes")
                    .key("contributor-role"),
            );
        }
    }
    check_organization(
        sink,
        f.organization.as_ref(),
        OrgRules::DISAMBIGUATED,
        &at.key("organization"),
        at,
    );
}

/// `title`: `None` without a `title` wrapper, `Some(None)` when the wrapper
/// has no `title` in it (reported by the XSD layer).
fn check_title(sink: &mut Sink, title: Option<Option<&str>>, at: &NodePath) {
    match title {
        None => sink.push(
            &TITLE_REQUIRED,
            at.clone(),
            "the funding has no title".to_string(),
        ),
        // `StringUtils.isEmpty`, not `isBlank`: a title of spaces passes.
        Some(Some("")) => sink.push(
            &TITLE_REQUIRED,
            at.key("title").key("title"),
            "the funding's title is empty".to_string(),
        ),
        Some(_) => {}
    }
}

fn check_amount_present(sink: &mut Sink, value: &str, currency: Option<&str>, at: &NodePath) {
    if is_blank(value) {
        let msg = match currency {
            Some(currency) => format!("amount has currency-code `{currency}` but no value"),
            None => "amount has no value".to_string(),
        };
        sink.push(&AMOUNT_CURRENCY, at.key("amount"), msg);
    }
}

/// Whether Java's `Double.parseDouble` reads `s`: surrounding whitespace,
/// an optional sign, digits with an optional point and exponent, an
/// optional `d`/`f` suffix, or `NaN`/`Infinity`.
fn is_java_double(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    if t == "NaN" || t == "Infinity" {
        return true;
    }
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    #[test]
    fn java_doubles() {
        for ok in [
            "1000",
            "1000.50",
            " 1e3 ",
            ".5",
            "5.",
            "-2",
            "1000d",
            "NaN",
            "+Infinity",
        ] {
            assert!(super::is_java_double(ok), "{ok}");
        }
        for bad in ["1,000", "$100", "", ".", "1e", "ten", "100 USD", "1.2.3"] {
            assert!(!super::is_java_double(bad), "{bad}");
        }
    }
}
