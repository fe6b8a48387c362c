//! v3.0: organizations of fundings, affiliations, peer reviews and research
//! resources (`docs/orcid-api.md` §9.2, the v3 `ActivityValidator`):
//! present (9046), disambiguated (9045), located (9060, 9061), and for the
//! five professional activities identified (9062).

use orcid_model::v3_0;
use orcid_model::v3_0::Root as V3;

use super::common::{is_blank, show, Sink, AFFILIATIONS_V3_0, BOTH, NOT_MODEL};
use super::values::{check_value, Value};
use super::Rule;
use crate::diagnostic::{NodePath, Severity};

/// The five affiliation types of v3.0 that ORCID calls professional
/// activities.
pub(crate) const PROFESSIONAL_V3_0: &[V3] = &[
    V3::DistinctionDistinction,
    V3::InvitedPositionInvitedPosition,
    V3::MembershipMembership,
    V3::QualificationQualification,
    V3::ServiceService,
];

/// v3.0: an affiliation needs an organization.
///
/// `docs/orcid-api.md` §9.2: the v3 `ActivityValidator` answers 9046 when
/// an affiliation has no `organization` (and for the five professional
/// activities when it has neither a disambiguated organization nor a name;
/// the XSD already refuses an empty name). A funding's organization is
/// required by the XSD.
pub const REQUIRED: Rule = Rule {
    id: "orcid.organization.required",
    orcid_code: 9046,
    http: 400,
    sections: &[],
    sections_v3_0: AFFILIATIONS_V3_0,
    operations: BOTH,
    summary: "(v3.0) An affiliation needs an `organization`, and a distinction, \
              invited-position, membership, qualification or service one with a `name` or \
              a `disambiguated-organization`; ORCID answers 9046.",
    hint: "add <common:organization> with the name, the address (city, country) and a \
           disambiguated-organization (ROR, RINGGOLD, GRID, FUNDREF or LEI)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateAffiliation lines 461-465 → validateDisambiguatedOrg line 368 or \
                validateDisambiguatedOrgAndExternalIdentifiersForProfessionalActivities lines \
                400-407: no organization, or no name and no disambiguated organization); \
                InvalidOrgException → 9046 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 73)",
};

/// v3.0: a disambiguated organization where ORCID requires one.
///
/// `docs/orcid-api.md` §9.2: fundings, educations, employments and every
/// host of a research resource need a `disambiguated-organization` with a
/// non-empty identifier; any organization that gives one (a peer review's
/// too) must not leave the identifier empty; else 9045.
pub const DISAMBIGUATED_REQUIRED: Rule = Rule {
    id: "orcid.organization.disambiguated-required",
    orcid_code: 9045,
    http: 400,
    sections: &[],
    sections_v3_0: &[
        V3::FundingFunding,
        V3::EducationEducation,
        V3::EmploymentEmployment,
        V3::DistinctionDistinction,
        V3::InvitedPositionInvitedPosition,
        V3::MembershipMembership,
        V3::QualificationQualification,
        V3::ServiceService,
        V3::PeerReviewPeerReview,
        V3::ResearchResourceResearchResource,
    ],
    operations: BOTH,
    summary: "(v3.0) The organization of a funding, education or employment, and each host \
              of a research resource, needs a `disambiguated-organization` with an \
              identifier; a peer review's given one must have an identifier too (not checked \
              for the five professional affiliations). ORCID tests the identifier with \
              `String.isEmpty` and answers 9045 (also when it is not in its organization \
              table, which only the server can check).",
    hint: "add <common:disambiguated-organization> with the organization's ROR \
           (https://ror.org/…), RINGGOLD, GRID, FUNDREF or LEI identifier and its \
           disambiguation-source",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateDisambiguatedOrg lines 367-380 for fundings 346, educations and \
                employments 462, a peer review's organization when it has a disambiguated one \
                512-513; lines 430-443 for research-resource hosts 593, 605; the identifier \
                tested with String.isEmpty); InvalidDisambiguatedOrgException → 9045 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 72)",
};

/// v3.0: education and employment need a city and a country.
///
/// `docs/orcid-api.md` §9.2: 9060 when an education's or employment's
/// organization address has no city or no country.
pub const CITY_AND_COUNTRY: Rule = Rule {
    id: "orcid.organization.city-and-country",
    orcid_code: 9060,
    http: 400,
    sections: &[],
    sections_v3_0: &[V3::EducationEducation, V3::EmploymentEmployment],
    operations: BOTH,
    summary: "(v3.0) The organization address of an education or employment needs both a \
              `city` and a `country`; ORCID answers 9060.",
    hint: "add <common:city> and <common:country> (ISO 3166-1 alpha-2) to the \
           organization's address",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateOrgAddress lines 383-392, called for educations and employments at \
                463); InvalidOrgAddressException → 9060 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 82)",
};

/// v3.0: a professional activity's city or region needs a country.
///
/// `docs/orcid-api.md` §9.2: 9061 for the five professional activities.
pub const COUNTRY_FOR_REGION: Rule = Rule {
    id: "orcid.organization.country-for-region",
    orcid_code: 9061,
    http: 400,
    sections: &[],
    sections_v3_0: PROFESSIONAL_V3_0,
    operations: BOTH,
    summary: "(v3.0) A distinction, invited-position, membership, qualification or service \
              whose organization address has a `city` or `region` needs a `country`; ORCID \
              answers 9061.",
    hint: "add <common:country> (ISO 3166-1 alpha-2), or remove city and region",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateDisambiguatedOrgAndExternalIdentifiersForProfessionalActivities lines \
                416-426); InvalidOrgAddressNoCountryButCityRegionException → 9061 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 83)",
};

/// v3.0: a professional activity needs a disambiguated organization or
/// an external id.
///
/// `docs/orcid-api.md` §9.2: 9062 for the five professional activities.
pub const ID_REQUIRED: Rule = Rule {
    id: "orcid.organization.id-or-external-id",
    orcid_code: 9062,
    http: 400,
    sections: &[],
    sections_v3_0: PROFESSIONAL_V3_0,
    operations: BOTH,
    summary: "(v3.0) A distinction, invited-position, membership, qualification or service \
              needs a disambiguated organization identifier or at least one external id; \
              ORCID answers 9062.",
    hint: "add the organization's disambiguated-organization (e.g. its ROR id), or an \
           external-id of the activity",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §9.2, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateDisambiguatedOrgAndExternalIdentifiersForProfessionalActivities lines \
                410-413: no identifier by String.isEmpty and no external id); \
                InvalidNoOrgOrExternalIdException → 9062 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 84)",
};

/// Which organization rules a section has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrgRules {
    /// A disambiguated organization is required (9045).
    pub disambiguated: bool,
    /// City and country are required (9060).
    pub city_and_country: bool,
    /// A professional activity: a country for a city or region (9061).
    pub professional: bool,
}

impl OrgRules {
    /// Funding, research-resource host.
    pub(crate) const DISAMBIGUATED: OrgRules = OrgRules {
        disambiguated: true,
        city_and_country: false,
        professional: false,
    };
    /// Education, employment.
    pub(crate) const EDUCATION_OR_EMPLOYMENT: OrgRules = OrgRules {
        disambiguated: true,
        city_and_country: true,
        professional: false,
    };
    /// The five professional activities.
    pub(crate) const PROFESSIONAL: OrgRules = OrgRules {
        disambiguated: false,
        city_and_country: false,
        professional: true,
    };
    /// Peer review: only what is given is checked.
    pub(crate) const GIVEN_ONLY: OrgRules = OrgRules {
        disambiguated: false,
        city_and_country: false,
        professional: false,
    };
}

/// Whether `org` has a disambiguated organization with an identifier.
pub(crate) fn is_disambiguated(org: &v3_0::common::Organization) -> bool {
    org.disambiguated_organization
        .as_ref()
        // `String.isEmpty`, not blank (`validateDisambiguated…ForProfessionalActivities`).
        .is_some_and(|d| {
            d.disambiguated_organization_identifier
                .as_deref()
                .is_some_and(|i| !i.is_empty())
        })
}

/// Checks an organization at `at` (`None`: absent, reported at `item`).
pub(crate) fn check_organization(
    sink: &mut Sink,
    org: Option<&v3_0::common::Organization>,
    rules: OrgRules,
    at: &NodePath,
    item: &NodePath,
) {
    let Some(org) = org else {
        sink.push(
            &REQUIRED,
            item.clone(),
            "there is no organization".to_string(),
        );
        return;
    };
    // ORCID checks a given identifier (`String.isEmpty`) only where it
    // calls `validateDisambiguatedOrg`: not for the five professional
    // affiliations, which only need an identifier or an external id (9062).
    // An absent name, identifier or address has nothing to check here:
    // the XSD layer reports it.
    if rules.professional
        && org.disambiguated_organization.is_none()
        && org.name.as_deref().is_some_and(str::is_empty)
    {
        sink.push(
            &REQUIRED,
            at.key("name"),
            "the organization has neither a name nor a disambiguated-organization".to_string(),
        );
    }
    match &org.disambiguated_organization {
        Some(d)
            if !rules.professional
                && d.disambiguated_organization_identifier
                    .as_deref()
                    .is_some_and(str::is_empty) =>
        {
            sink.push(
                &DISAMBIGUATED_REQUIRED,
                at.key("disambiguated-organization")
                    .key("disambiguated-organization-identifier"),
                format!(
                    "the disambiguated organization ({}) has an empty identifier",
                    show(d.disambiguation_source.as_deref().unwrap_or_default())
                ),
            )
        }
        None if rules.disambiguated => sink.push(
            &DISAMBIGUATED_REQUIRED,
            at.clone(),
            format!(
                "organization {} has no disambiguated-organization",
                show(org.name.as_deref().unwrap_or_default())
            ),
        ),
        _ => {}
    }
    let Some(address) = &org.address else {
        return;
    };
    let at_address = at.key("address");
    let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !is_blank(s));
    if rules.city_and_country && !(has(&address.city) && has(&address.country)) {
        let missing = match (has(&address.city), has(&address.country)) {
            (false, false) => "neither a city nor a country",
            (false, true) => "no city",
            _ => "no country",
        };
        sink.push(
            &CITY_AND_COUNTRY,
            at_address.clone(),
            format!("the organization's address has {missing}"),
        );
    }
    if rules.professional && (has(&address.city) || has(&address.region)) && !has(&address.country)
    {
        sink.push(
            &COUNTRY_FOR_REGION,
            at_address.clone(),
            "the organization's address has a city or region but no country".to_string(),
        );
    }
    if let Some(c) = address.country.as_deref().filter(|c| !is_blank(c)) {
        check_value(sink, Value::Country, c, &at_address.key("country"));
    }
}
