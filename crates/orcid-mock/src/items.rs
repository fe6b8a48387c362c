//! The sections a client writes and uniform access to the items' envelope
//! (put-code, visibility, source, dates, path) across the generated types.

use orcid_model::scalar::{DateTime, PutCode};
use orcid_model::v2_1::common::{ExternalId, RelationshipType, Source, Visibility};
use orcid_model::{Document, Root};

/// A section that holds items with put-codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// `work`.
    Work,
    /// `funding`.
    Funding,
    /// `education`.
    Education,
    /// `employment`.
    Employment,
    /// `peer-review`.
    PeerReview,
    /// `researcher-urls`.
    ResearcherUrl,
    /// `other-names`.
    OtherName,
    /// `keywords`.
    Keyword,
    /// `address`.
    Address,
    /// `external-identifiers`.
    ExternalIdentifier,
}

impl Section {
    /// Every section.
    pub const ALL: &'static [Section] = &[
        Section::Work,
        Section::Funding,
        Section::Education,
        Section::Employment,
        Section::PeerReview,
        Section::ResearcherUrl,
        Section::OtherName,
        Section::Keyword,
        Section::Address,
        Section::ExternalIdentifier,
    ];

    /// The path segment of one item (`work`, `researcher-urls`, `address`, …),
    /// `docs/orcid-api.md` §2.1.
    pub fn item_segment(self) -> &'static str {
        match self {
            Section::Work => "work",
            Section::Funding => "funding",
            Section::Education => "education",
            Section::Employment => "employment",
            Section::PeerReview => "peer-review",
            Section::ResearcherUrl => "researcher-urls",
            Section::OtherName => "other-names",
            Section::Keyword => "keywords",
            Section::Address => "address",
            Section::ExternalIdentifier => "external-identifiers",
        }
    }

    /// The path segment of the whole section (`works`, `researcher-urls`, `address`, …).
    pub fn list_segment(self) -> &'static str {
        match self {
            Section::Work => "works",
            Section::Funding => "fundings",
            Section::Education => "educations",
            Section::Employment => "employments",
            Section::PeerReview => "peer-reviews",
            other => other.item_segment(),
        }
    }

    /// The section whose item path is `seg`.
    pub fn from_item_segment(seg: &str) -> Option<Section> {
        Section::ALL
            .iter()
            .copied()
            .find(|s| s.item_segment() == seg)
    }

    /// The section whose list path is `seg`.
    pub fn from_list_segment(seg: &str) -> Option<Section> {
        Section::ALL
            .iter()
            .copied()
            .find(|s| s.list_segment() == seg)
    }

    /// The root element of one item.
    pub fn root(self) -> Root {
        match self {
            Section::Work => Root::WorkWork,
            Section::Funding => Root::FundingFunding,
            Section::Education => Root::EducationEducation,
            Section::Employment => Root::EmploymentEmployment,
            Section::PeerReview => Root::PeerReviewPeerReview,
            Section::ResearcherUrl => Root::ResearcherUrlResearcherUrl,
            Section::OtherName => Root::OtherNameOtherName,
            Section::Keyword => Root::KeywordKeyword,
            Section::Address => Root::AddressAddress,
            Section::ExternalIdentifier => Root::ExternalIdentifierExternalIdentifier,
        }
    }

    /// An activity (works, funding, affiliations, peer review) rather than a person item.
    pub fn is_activity(self) -> bool {
        matches!(
            self,
            Section::Work
                | Section::Funding
                | Section::Education
                | Section::Employment
                | Section::PeerReview
        )
    }

    /// The scope that lets a client read limited items of the section.
    pub fn read_scope(self) -> &'static str {
        match self {
            Section::Work => "/orcid-works/read-limited",
            Section::Funding => "/funding/read-limited",
            Section::Education | Section::Employment => "/affiliations/read-limited",
            Section::PeerReview => "/peer-review/read-limited",
            _ => "/orcid-bio/read-limited",
        }
    }

    /// The scopes that let a client create (POST) items; any one suffices.
    pub fn create_scopes(self) -> &'static [&'static str] {
        match self {
            Section::Work => &["/orcid-works/create"],
            Section::Funding => &["/funding/create"],
            Section::Education | Section::Employment => &["/affiliations/create"],
            Section::PeerReview => &["/peer-review/create"],
            Section::ExternalIdentifier => &[
                "/orcid-bio/update",
                "/orcid-bio/external-identifiers/create",
            ],
            _ => &["/orcid-bio/update"],
        }
    }

    /// The scopes that let a client update (PUT) items; any one suffices.
    pub fn update_scopes(self) -> &'static [&'static str] {
        match self {
            Section::Work => &["/orcid-works/update"],
            Section::Funding => &["/funding/update"],
            Section::Education | Section::Employment => &["/affiliations/update"],
            Section::PeerReview => &["/peer-review/update"],
            Section::ExternalIdentifier => &[
                "/orcid-bio/update",
                "/orcid-bio/external-identifiers/create",
            ],
            _ => &["/orcid-bio/update"],
        }
    }

    /// The scopes that let a client delete items.
    pub fn delete_scopes(self) -> &'static [&'static str] {
        match self {
            Section::ExternalIdentifier => &["/orcid-bio/update"],
            other => other.update_scopes(),
        }
    }

    /// The word ORCID's messages use (`You are not the source of the work…`).
    pub fn label(self) -> &'static str {
        match self {
            Section::Work => "work",
            Section::Funding => "funding",
            Section::Education => "education",
            Section::Employment => "employment",
            Section::PeerReview => "peer-review",
            Section::ResearcherUrl => "researcher-url",
            Section::OtherName => "other-name",
            Section::Keyword => "keyword",
            Section::Address => "address",
            Section::ExternalIdentifier => "external-identifier",
        }
    }

    /// The item type in an AMENDED notification (`WORK`, `FUNDING`, …).
    pub fn notification_type(self) -> &'static str {
        match self {
            Section::Work => "WORK",
            Section::Funding => "FUNDING",
            Section::Education => "EDUCATION",
            Section::Employment => "EMPLOYMENT",
            Section::PeerReview => "PEER_REVIEW",
            Section::ResearcherUrl => "RESEARCHER_URL",
            Section::OtherName => "OTHER_NAME",
            Section::Keyword => "KEYWORD",
            Section::Address => "ADDRESS",
            Section::ExternalIdentifier => "EXTERNAL_IDENTIFIER",
        }
    }

    /// The section of an item document.
    pub fn of(doc: &Document) -> Option<Section> {
        Section::ALL
            .iter()
            .copied()
            .find(|s| s.root() == doc.root())
    }
}

/// Runs `$body` with `$x` bound to the item inside any item document.
macro_rules! with_item {
    ($doc:expr, $x:ident => $body:expr) => {
        match $doc {
            Document::WorkWork($x) => Some($body),
            Document::FundingFunding($x) => Some($body),
            Document::EducationEducation($x) => Some($body),
            Document::EmploymentEmployment($x) => Some($body),
            Document::PeerReviewPeerReview($x) => Some($body),
            Document::ResearcherUrlResearcherUrl($x) => Some($body),
            Document::OtherNameOtherName($x) => Some($body),
            Document::KeywordKeyword($x) => Some($body),
            Document::AddressAddress($x) => Some($body),
            Document::ExternalIdentifierExternalIdentifier($x) => Some($body),
            _ => None,
        }
    };
}

/// The put-code of an item.
pub fn put_code(doc: &Document) -> Option<PutCode> {
    with_item!(doc, x => x.put_code).flatten()
}

/// The visibility of an item.
pub fn visibility(doc: &Document) -> Option<Visibility> {
    with_item!(doc, x => x.visibility).flatten()
}

/// The source of an item.
pub fn source(doc: &Document) -> Option<Source> {
    with_item!(doc, x => x.source.clone()).flatten()
}

/// Sets what the server owns: put-code, visibility, source, dates and path.
pub struct Envelope {
    /// Put-code.
    pub put_code: i64,
    /// Visibility.
    pub visibility: Visibility,
    /// Source (the calling client).
    pub source: Source,
    /// Creation time (epoch ms).
    pub created_ms: i64,
    /// Last modification (epoch ms).
    pub modified_ms: i64,
    /// `path` attribute (`/{orcid}/work/{pc}`).
    pub path: String,
}

/// Writes the server-owned envelope into an item.
pub fn set_envelope(doc: &mut Document, env: &Envelope) {
    with_item!(doc, x => {
        x.put_code = Some(PutCode(env.put_code));
        x.visibility = Some(env.visibility);
        x.source = Some(env.source.clone());
        x.created_date = Some(DateTime::from_epoch_millis(env.created_ms));
        x.last_modified_date = Some(DateTime::from_epoch_millis(env.modified_ms));
        x.path = Some(env.path.clone());
    });
}

/// An item with the server-owned fields cleared, to compare contents.
pub fn content_only(doc: &Document) -> Document {
    let mut d = doc.clone();
    with_item!(&mut d, x => {
        x.put_code = None;
        x.visibility = None;
        x.source = None;
        x.created_date = None;
        x.last_modified_date = None;
        x.path = None;
        x.display_index = None;
    });
    d
}

/// The external ids that count for duplicates of activities (works,
/// funding, peer reviews); affiliations have none in v2.
pub fn activity_external_ids(doc: &Document) -> Vec<ExternalId> {
    match doc {
        Document::WorkWork(w) => w.external_ids.as_ref().map(|e| e.external_id.clone()),
        Document::FundingFunding(f) => f.external_ids.as_ref().map(|e| e.external_id.clone()),
        Document::PeerReviewPeerReview(p) => Some(p.review_identifiers.external_id.clone()),
        _ => None,
    }
    .unwrap_or_default()
}

/// Whether two external ids make two activities duplicates: same type and
/// value (exact) and the same relationship, not both `part-of`
/// (`areRelationshipsSameButNotBothPartOf`, `docs/orcid-api.md` §5.9).
pub fn ids_clash(a: &ExternalId, b: &ExternalId) -> bool {
    a.external_id_type == b.external_id_type
        && a.external_id_value == b.external_id_value
        && a.external_id_relationship == b.external_id_relationship
        && a.external_id_relationship != Some(RelationshipType::PartOf)
}

/// The duplicate key of a person item (9030, `docs/orcid-api.md` §5.8) as
/// ORCID's message shows it: `(type, value)`.
pub fn person_duplicate_key(doc: &Document) -> Option<(String, String)> {
    match doc {
        Document::ResearcherUrlResearcherUrl(r) => {
            Some(("researcher-url".into(), r.url.as_str().to_string()))
        }
        Document::ExternalIdentifierExternalIdentifier(e) => {
            Some((e.external_id_type.clone(), e.external_id_value.clone()))
        }
        Document::KeywordKeyword(k) => Some(("keyword".into(), k.content.clone())),
        Document::OtherNameOtherName(o) => Some(("other-name".into(), o.content.clone())),
        Document::AddressAddress(a) => Some(("address".into(), a.country.as_xml().to_string())),
        _ => None,
    }
}

/// A short name of an item (its title) for notifications.
pub fn title(doc: &Document) -> String {
    match doc {
        Document::WorkWork(w) => w.title.title.clone(),
        Document::FundingFunding(f) => f
            .title
            .as_ref()
            .map(|t| t.title.clone())
            .unwrap_or_default(),
        Document::EducationEducation(e) => e.organization.name.clone(),
        Document::EmploymentEmployment(e) => e.organization.name.clone(),
        Document::PeerReviewPeerReview(p) => p
            .subject_name
            .as_ref()
            .map(|t| t.title.clone())
            .unwrap_or_else(|| p.review_group_id.clone()),
        Document::ResearcherUrlResearcherUrl(r) => r.url_name.clone(),
        Document::OtherNameOtherName(o) => o.content.clone(),
        Document::KeywordKeyword(k) => k.content.clone(),
        Document::AddressAddress(a) => a.country.as_xml().to_string(),
        Document::ExternalIdentifierExternalIdentifier(e) => {
            format!("{}: {}", e.external_id_type, e.external_id_value)
        }
        _ => String::new(),
    }
}

/// The creation time of an item (epoch ms).
pub fn created_ms(doc: &Document) -> Option<i64> {
    with_item!(doc, x => x.created_date.as_ref().map(|d| d.epoch_millis())).flatten()
}
