//! The values ORCID's server accepts where the v3.0 XSDs only say
//! `xs:string`: work types, relationships, contributor roles, resource types
//! and peer-review subject types. ORCID checks them in Java (the enums of
//! orcid-model's `common/*.java`, `IllegalEnumValueException`), so a
//! validator that reads only the XSD accepts values the server refuses.
//!
//! The Java enums that are the same in both versions (country, currency,
//! language, citation type, funding type, peer-review role and type, the
//! legacy contributor roles) are enumerated by the v2.1 XSDs, so their one
//! home is the generated v2.1 enum ([`crate::v2_1::common::Iso3166Country`]
//! and so on); the functions here reach them from there.
//!
//! ```
//! use orcid_model::values;
//!
//! assert!(values::is_work_type_v3_0("dissertation-thesis"));
//! assert!(!values::is_work_type_v3_0("dissertation")); // v2.1's spelling
//! assert!(values::is_relationship_v3_0("version-of"));
//! assert!(values::is_contributor_role_v3_0(
//!     "http://credit.niso.org/contributor-roles/software/",
//!     values::RoleOf::Work,
//! ));
//! ```

use crate::v2_1;

/// Work types of v3.0 (`common/WorkType.java`): v2.1's list without
/// `dissertation`, plus the types added in 2019 and later.
pub const WORK_TYPES_V3_0: &[&str] = &[
    "annotation",
    "artistic-performance",
    "blog-post",
    "book-chapter",
    "book-review",
    "book",
    "cartographic-material",
    "clinical-study",
    "conference-abstract",
    "conference-output",
    "conference-paper",
    "conference-poster",
    "conference-presentation",
    "conference-proceedings",
    "data-management-plan",
    "data-set",
    "design",
    "dictionary-entry",
    "disclosure",
    "dissertation-thesis",
    "edited-book",
    "encyclopedia-entry",
    "image",
    "invention",
    "journal-article",
    "journal-issue",
    "learning-object",
    "lecture-speech",
    "license",
    "magazine-article",
    "manual",
    "moving-image",
    "musical-composition",
    "newsletter-article",
    "newspaper-article",
    "online-resource",
    "other",
    "patent",
    "physical-object",
    "preprint",
    "public-speech",
    "registered-copyright",
    "report",
    "research-technique",
    "research-tool",
    "review",
    "software",
    "sound",
    "spin-off-company",
    "standards-and-policy",
    "supervised-student-publication",
    "technical-standard",
    "test",
    "trademark",
    "transcription",
    "translation",
    "undefined",
    "website",
    "working-paper",
];

/// Spellings `WorkType.fromValue` also takes on input, `(alias, type)`.
pub const WORK_TYPE_ALIASES_V3_0: &[(&str, &str)] = &[
    ("article-journal", "journal-article"),
    ("chapter", "book-chapter"),
    ("dataset", "data-set"),
    ("standard", "standards-and-policy"),
];

/// Peer-review subject types of v3.0 beyond the work types
/// (`common/PeerReviewSubjectType.java`).
pub const EXTRA_SUBJECT_TYPES_V3_0: &[&str] = &[
    "grant",
    "contract",
    "award",
    "salary-award",
    "research-resource-proposal",
];

/// External-id relationships of v3.0 (`common/Relationship.java`).
pub const RELATIONSHIPS_V3_0: &[&str] = &["self", "part-of", "version-of", "funded-by"];

/// Research-resource item types (`common/ResourceType.java`).
pub const RESOURCE_TYPES_V3_0: &[&str] =
    &["infrastructures", "collections", "equipment", "services"];

/// The id types a work's `funded-by` id may have (`ActivityValidator`, v3).
pub const FUNDED_BY_TYPES: &[&str] = &["grant_number", "proposal-id", "uri", "doi"];

/// The prefix of a CRediT contributor role URI.
pub const CREDIT_PREFIX: &str = "http://credit.niso.org/contributor-roles/";

/// The 14 CRediT roles, as the last segment of their URI.
pub const CREDIT_ROLES: &[&str] = &[
    "conceptualization",
    "data-curation",
    "formal-analysis",
    "funding-acquisition",
    "investigation",
    "methodology",
    "project-administration",
    "resources",
    "software",
    "supervision",
    "validation",
    "visualization",
    "writing-original-draft",
    "writing-review-editing",
];

/// Whose contributor a role belongs to: the legacy roles differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleOf {
    /// A work contributor (`author`, `editor`, …).
    Work,
    /// A funding contributor (`lead`, `co-lead`, …).
    Funding,
}

/// Whether ORCID's v3.0 server takes `s` as a work type (the list or an
/// alias).
pub fn is_work_type_v3_0(s: &str) -> bool {
    WORK_TYPES_V3_0.contains(&s) || WORK_TYPE_ALIASES_V3_0.iter().any(|(a, _)| *a == s)
}

/// Whether `s` is a v3.0 peer-review subject type.
pub fn is_subject_type_v3_0(s: &str) -> bool {
    is_work_type_v3_0(s) || EXTRA_SUBJECT_TYPES_V3_0.contains(&s)
}

/// Whether `s` is a v3.0 external-id relationship.
pub fn is_relationship_v3_0(s: &str) -> bool {
    RELATIONSHIPS_V3_0.contains(&s)
}

/// Whether ORCID's v3.0 server stores `s` as a contributor role: a legacy
/// role by its value (`co-investigator`) or its Java constant name
/// (`CO_INVESTIGATOR`), or a CRediT URI, compared ignoring case, with its
/// trailing `/` (`ContributorRoleConverterImpl#toDBRole`).
pub fn is_contributor_role_v3_0(s: &str, of: RoleOf) -> bool {
    let legacy = match of {
        RoleOf::Work => {
            v2_1::work::ContributorRole::from_xml(s).is_some()
                || v2_1::work::ContributorRole::from_json(s).is_some()
        }
        RoleOf::Funding => {
            v2_1::funding::ContributorRole::from_xml(s).is_some()
                || v2_1::funding::ContributorRole::from_json(s).is_some()
        }
    };
    legacy || credit_role(s).is_some()
}

/// The CRediT role of a CRediT URI (`software` of
/// `http://credit.niso.org/contributor-roles/software/`), ignoring case.
pub fn credit_role(s: &str) -> Option<&'static str> {
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix(CREDIT_PREFIX)?.strip_suffix('/')?;
    CREDIT_ROLES.iter().copied().find(|r| *r == rest)
}

/// Whether `s` is a country code ORCID takes (`common/Iso3166Country.java`,
/// the same list in both versions).
pub fn is_country(s: &str) -> bool {
    v2_1::common::Iso3166Country::from_xml(s).is_some()
}

/// Whether `s` is a currency code ORCID takes (`common/CurrencyCode.java`).
pub fn is_currency(s: &str) -> bool {
    v2_1::common::CurrencyCode::from_xml(s).is_some()
}

/// Whether `s` is a language code ORCID takes (`common/LanguageCode.java`).
pub fn is_language(s: &str) -> bool {
    v2_1::common::LanguageCode::from_xml(s).is_some()
}

/// Whether `s` is a citation type (`common/CitationType.java`).
pub fn is_citation_type(s: &str) -> bool {
    v2_1::work::CitationType::from_xml(s).is_some()
}

/// Whether `s` is a funding type (`common/FundingType.java`).
pub fn is_funding_type(s: &str) -> bool {
    v2_1::funding::FundingType::from_xml(s).is_some()
}

/// Whether `s` is a peer-review role (`common/Role.java`).
pub fn is_reviewer_role(s: &str) -> bool {
    v2_1::peer_review::Role::from_xml(s).is_some()
}

/// Whether `s` is a peer-review type (`common/PeerReviewType.java`).
pub fn is_review_type(s: &str) -> bool {
    v2_1::peer_review::PeerReviewType::from_xml(s).is_some()
}

/// Whether `s` is a research-resource item type.
pub fn is_resource_type(s: &str) -> bool {
    RESOURCE_TYPES_V3_0.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_work_types_are_v2_types_but_dissertation_plus_new_ones() {
        assert_eq!(WORK_TYPES_V3_0.len(), 59);
        for t in crate::convert::mapping::V2_1_WORK_TYPES {
            assert_eq!(is_work_type_v3_0(t), *t != "dissertation", "{t}");
        }
        for (alias, to) in WORK_TYPE_ALIASES_V3_0 {
            assert!(WORK_TYPES_V3_0.contains(to), "{alias} -> {to}");
        }
    }

    #[test]
    fn roles() {
        assert!(is_contributor_role_v3_0("author", RoleOf::Work));
        assert!(is_contributor_role_v3_0(
            "CHAIR_OR_TRANSLATOR",
            RoleOf::Work
        ));
        assert!(!is_contributor_role_v3_0("lead", RoleOf::Work));
        assert!(is_contributor_role_v3_0("co-lead", RoleOf::Funding));
        assert!(is_contributor_role_v3_0(
            "HTTP://CREDIT.NISO.ORG/contributor-roles/Methodology/",
            RoleOf::Funding
        ));
        assert!(!is_contributor_role_v3_0(
            "http://credit.niso.org/contributor-roles/methodology",
            RoleOf::Work
        ));
        assert!(!is_contributor_role_v3_0("writer", RoleOf::Work));
    }

    #[test]
    fn shared_lists() {
        assert!(is_country("DE") && !is_country("de") && !is_country("Germany"));
        assert!(is_currency("EUR") && !is_currency("eur"));
        assert!(is_language("en") && is_language("zh_CN") && !is_language("english"));
        assert!(is_citation_type("bibtex") && is_funding_type("salary-award"));
        assert!(is_reviewer_role("reviewer") && is_review_type("evaluation"));
        assert!(is_subject_type_v3_0("grant") && !is_subject_type_v3_0("grants"));
    }
}
