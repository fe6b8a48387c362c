//! v3.0: the values ORCID's server checks where the v3.0 XSDs say
//! `xs:string` (`docs/orcid-api.md` §9.2): enum values (9051) and
//! contributor roles (9058). The value lists live in
//! [`orcid_model::values`].

use orcid_model::v3_0::Root as V3;
use orcid_model::values::{self as allowed, RoleOf};

use super::common::{is_blank, show, IdView, Sink, BOTH, NOT_MODEL};
use super::{Rule, WRITE_ROOTS_V3_0};
use crate::diagnostic::{NodePath, Severity};

/// v3.0: a value outside the Java enumeration ORCID maps it to.
///
/// `docs/orcid-api.md` §9.2: work type, citation type, relationship,
/// country, currency, funding type, peer-review role, type and
/// subject type, and resource type are `xs:string` in the v3.0 XSDs;
/// ORCID's adapters refuse a value outside the Java enum with
/// `IllegalEnumValueException`, 9051 (9001 when wrapped by JAX-RS, 9047 in
/// JSON).
pub const UNKNOWN_VALUE: Rule = Rule {
    id: "orcid.value.unknown",
    orcid_code: 9051,
    http: 400,
    sections: &[],
    sections_v3_0: WRITE_ROOTS_V3_0,
    operations: BOTH,
    summary: "(v3.0) A work type, citation type, relationship, country, currency, \
              funding type, peer-review role, type or subject type, or resource type that is \
              not one of ORCID's values; the v3.0 XSD takes any string, ORCID answers \
              \"invalid value … for enum …\" (9051; 9001 or 9047 on some paths).",
    hint: "use one of ORCID's values (the v2.1 XSD's lists, and for work types \
           crates/orcid-model/src/values.rs); spellings are lower-case with hyphens, \
           country codes upper-case",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-api-common/src/main/java/org/orcid/api/common/jaxb/OrcidValidationJaxbContextResolver.java \
                (lines 212-226, 324-325: the IllegalEnumValueException of the model's \
                fromValue is rethrown); IllegalEnumValueException → 9051 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 77); orcid-model src/main/java/org/orcid/jaxb/model/common/*.java \
                (fromValue)",
};

/// v3.0: a contributor role ORCID cannot store.
///
/// `docs/orcid-api.md` §9.2: a work or funding contributor role must be a
/// legacy role (value or Java constant name) or a CRediT URI (any case,
/// with its trailing `/`); else 9058 on persist.
pub const CONTRIBUTOR_ROLE: Rule = Rule {
    id: "orcid.contributor.role",
    orcid_code: 9058,
    http: 400,
    sections: &[],
    sections_v3_0: &[V3::WorkWork, V3::FundingFunding, V3::BulkBulk],
    operations: BOTH,
    summary: "(v3.0) A `contributor-role` must be one of the legacy roles (works: author, \
              editor, …; fundings: lead, co-lead, supported-by, other-contribution) or a \
              CRediT role URI with its trailing slash; ORCID answers 9058.",
    hint: "use e.g. author, or http://credit.niso.org/contributor-roles/methodology/ \
           (with the final /)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/adapter/v3/converter/WorkContributorsConverter.java \
                (line 57), \
                orcid-core/src/main/java/org/orcid/core/adapter/v3/converter/FundingContributorsConverter.java \
                (line 46); \
                orcid-core/src/main/java/org/orcid/core/contributors/roles/ContributorRoleConverterImpl.java \
                (toDBRole); InvalidContributorRoleException → 9058 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 81)",
};

/// What kind of enumerated value a field holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value {
    WorkType,
    CitationType,
    Relationship,
    Country,
    Currency,
    FundingType,
    ReviewerRole,
    ReviewType,
    SubjectType,
    ResourceType,
}

impl Value {
    fn name(self) -> &'static str {
        match self {
            Value::WorkType => "work type",
            Value::CitationType => "citation type",
            Value::Relationship => "relationship",
            Value::Country => "country code",
            Value::Currency => "currency code",
            Value::FundingType => "funding type",
            Value::ReviewerRole => "reviewer role",
            Value::ReviewType => "review type",
            Value::SubjectType => "subject type",
            Value::ResourceType => "resource type",
        }
    }

    fn allows(self, s: &str) -> bool {
        match self {
            Value::WorkType => allowed::is_work_type_v3_0(s),
            Value::CitationType => allowed::is_citation_type(s),
            Value::Relationship => allowed::is_relationship_v3_0(s),
            Value::Country => allowed::is_country(s),
            Value::Currency => allowed::is_currency(s),
            Value::FundingType => allowed::is_funding_type(s),
            Value::ReviewerRole => allowed::is_reviewer_role(s),
            Value::ReviewType => allowed::is_review_type(s),
            Value::SubjectType => allowed::is_subject_type_v3_0(s),
            Value::ResourceType => allowed::is_resource_type(s),
        }
    }

    /// A hint for a near miss: the value in ORCID's spelling.
    fn respelled(self, s: &str) -> Option<String> {
        let candidates = [
            s.to_ascii_lowercase().replace('_', "-"),
            s.to_ascii_uppercase(),
        ];
        candidates.into_iter().find(|c| c != s && self.allows(c))
    }
}

/// Checks that `value` at `at` is one of ORCID's values of `kind`.
pub(crate) fn check_value(sink: &mut Sink, kind: Value, value: &str, at: &NodePath) {
    if kind.allows(value) {
        return;
    }
    let mut msg = if is_blank(value) {
        format!("the {} is empty", kind.name())
    } else {
        format!("{} is not one of ORCID's {}s", show(value), kind.name())
    };
    if value == "dissertation" && matches!(kind, Value::WorkType | Value::SubjectType) {
        msg.push_str(" (v3.0 spells it `dissertation-thesis`)");
    } else if let Some(r) = kind.respelled(value) {
        msg.push_str(&format!(" (did you mean `{r}`?)"));
    }
    sink.push(&UNKNOWN_VALUE, at.clone(), msg);
}

/// Checks a contributor role at `at`.
pub(crate) fn check_role(sink: &mut Sink, role: &str, of: RoleOf, at: &NodePath) {
    if allowed::is_contributor_role_v3_0(role, of) {
        return;
    }
    let mut msg = format!(
        "contributor-role {} is neither a legacy {} role nor a CRediT role URI",
        show(role),
        match of {
            RoleOf::Work => "work",
            RoleOf::Funding => "funding",
        }
    );
    let lower = role.to_ascii_lowercase();
    if lower.starts_with(allowed::CREDIT_PREFIX) && !lower.ends_with('/') {
        msg.push_str(" (a CRediT URI needs its trailing `/`)");
    }
    sink.push(&CONTRIBUTOR_ROLE, at.clone(), msg);
}

/// The relationship of each id in `ids` (under `wrapper`) is one of v3.0's.
pub(crate) fn check_relationships(sink: &mut Sink, ids: &[IdView<'_>], wrapper: &NodePath) {
    for (i, id) in ids.iter().enumerate() {
        if let Some(r) = id.relationship {
            check_value(
                sink,
                Value::Relationship,
                r,
                &wrapper
                    .key("external-id")
                    .index(i)
                    .key("external-id-relationship"),
            );
        }
    }
}
