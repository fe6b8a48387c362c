//! The sections a client writes and uniform access to the items' envelope
//! (put-code, visibility, source, dates, path) across the generated types.

use orcid_model::v2_1::common::{ExternalId, Source, Visibility};
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::{Document, ItemSection};

/// What the mock's request flow needs of a section, in either API version
/// (v2.1's [`ItemSection`] and v3.0's, its superset).
pub trait ApiSection: SectionScopes + Copy + PartialEq + 'static {
    /// Every section of the version.
    const ALL: &'static [Self];
    /// Works (the section of bulk writes and reads).
    const WORK: Self;
    /// The section's name (`work`, `researcher-url`).
    fn name(self) -> &'static str;
    /// The one-item path segment (`work`, `researcher-urls`).
    fn item_path(self) -> &'static str;
    /// The list path segment (`works`, `address`).
    fn list_path(self) -> &'static str;
    /// Whether its items are activities rather than person items.
    fn is_activity(self) -> bool;
    /// The section whose one-item path segment is `segment`.
    fn from_item_path(segment: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.item_path() == segment)
    }
    /// The section whose list path segment is `segment`.
    fn from_list_path(segment: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.list_path() == segment)
    }
}

macro_rules! api_section {
    ($($ty:ty),*) => {$(
        impl ApiSection for $ty {
            const ALL: &'static [Self] = <$ty>::ALL;
            const WORK: Self = <$ty>::Work;
            fn name(self) -> &'static str {
                <$ty>::name(self)
            }
            fn item_path(self) -> &'static str {
                <$ty>::item_path(self)
            }
            fn list_path(self) -> &'static str {
                <$ty>::list_path(self)
            }
            fn is_activity(self) -> bool {
                <$ty>::is_activity(self)
            }
        }
    )*};
}
api_section!(ItemSection, Section3);

/// What the mock knows of a section beyond the schema: ORCID's scopes.
pub trait SectionScopes {
    /// The scope that lets a client read limited items of the section.
    fn read_scope(self) -> &'static str;

    /// The scopes that let a client create (POST) items; any one suffices.
    fn create_scopes(self) -> &'static [&'static str];

    /// The scopes that let a client update (PUT) items; any one suffices.
    fn update_scopes(self) -> &'static [&'static str];

    /// The scopes that let a client delete items.
    fn delete_scopes(self) -> &'static [&'static str];

    /// The item type in an AMENDED notification (`WORK`, `PEER_REVIEW`, …):
    /// the section's name in upper case with `_` for `-`.
    fn notification_type(self) -> String;
}

impl SectionScopes for ItemSection {
    /// The scope that lets a client read limited items of the section.
    fn read_scope(self) -> &'static str {
        match self {
            ItemSection::Work => "/orcid-works/read-limited",
            ItemSection::Funding => "/funding/read-limited",
            ItemSection::Education | ItemSection::Employment => "/affiliations/read-limited",
            ItemSection::PeerReview => "/peer-review/read-limited",
            _ => "/orcid-bio/read-limited",
        }
    }

    /// The scopes that let a client create (POST) items; any one suffices.
    fn create_scopes(self) -> &'static [&'static str] {
        match self {
            ItemSection::Work => &["/orcid-works/create"],
            ItemSection::Funding => &["/funding/create"],
            ItemSection::Education | ItemSection::Employment => &["/affiliations/create"],
            ItemSection::PeerReview => &["/peer-review/create"],
            ItemSection::ExternalIdentifier => &[
                "/orcid-bio/update",
                "/orcid-bio/external-identifiers/create",
            ],
            _ => &["/orcid-bio/update"],
        }
    }

    /// The scopes that let a client update (PUT) items; any one suffices.
    fn update_scopes(self) -> &'static [&'static str] {
        match self {
            ItemSection::Work => &["/orcid-works/update"],
            ItemSection::Funding => &["/funding/update"],
            ItemSection::Education | ItemSection::Employment => &["/affiliations/update"],
            ItemSection::PeerReview => &["/peer-review/update"],
            ItemSection::ExternalIdentifier => &[
                "/orcid-bio/update",
                "/orcid-bio/external-identifiers/create",
            ],
            _ => &["/orcid-bio/update"],
        }
    }

    /// The scopes that let a client delete items.
    fn delete_scopes(self) -> &'static [&'static str] {
        match self {
            ItemSection::ExternalIdentifier => &["/orcid-bio/update"],
            other => other.update_scopes(),
        }
    }

    fn notification_type(self) -> String {
        notification_type(self.name())
    }
}

/// v3.0's sections: v2.1's scopes; the v3-only sections (the five
/// professional activities and research resources) use the AFFILIATIONS
/// scopes (DV3:1480-1560).
impl SectionScopes for Section3 {
    fn read_scope(self) -> &'static str {
        v2_section(self).map_or("/affiliations/read-limited", ItemSection::read_scope)
    }
    fn create_scopes(self) -> &'static [&'static str] {
        v2_section(self).map_or(&["/affiliations/create"], ItemSection::create_scopes)
    }
    fn update_scopes(self) -> &'static [&'static str] {
        v2_section(self).map_or(&["/affiliations/update"], ItemSection::update_scopes)
    }
    fn delete_scopes(self) -> &'static [&'static str] {
        v2_section(self).map_or(&["/affiliations/update"], ItemSection::delete_scopes)
    }
    fn notification_type(self) -> String {
        notification_type(self.name())
    }
}

/// The v2.1 section of a v3.0 section's name, if v2.1 has it.
pub fn v2_section(section: Section3) -> Option<ItemSection> {
    ItemSection::from_name(section.name())
}

fn notification_type(name: &str) -> String {
    name.to_ascii_uppercase().replace('-', "_")
}

/// Sets what the server owns: put-code, visibility, source, dates and path
/// (`S`: the version's `common:source`).
pub struct Envelope<S = Source> {
    /// Put-code.
    pub put_code: i64,
    /// Visibility.
    pub visibility: Visibility,
    /// Source (the calling client).
    pub source: S,
    /// Creation time (epoch ms).
    pub created_ms: i64,
    /// Last modification (epoch ms).
    pub modified_ms: i64,
    /// `path` attribute (`/{orcid}/work/{pc}`).
    pub path: String,
}

/// The `display-index` ORCID gives items written through the API:
/// `DisplayIndexCalculatorHelper#setDisplayIndexOnNewEntity` sets 0 when
/// `isApiRequest` (1 for the user interface). The JSON writer turns it into
/// a number on person items and a string on activity summaries.
pub const API_DISPLAY_INDEX: &str = "0";

/// The external ids that count for duplicates of activities (works,
/// funding, peer reviews); affiliations have none in v2.
pub fn activity_external_ids(doc: &Document) -> Vec<ExternalId> {
    match doc {
        Document::WorkWork(w) => w.external_ids.as_ref().map(|e| e.external_id.clone()),
        Document::FundingFunding(f) => f.external_ids.as_ref().map(|e| e.external_id.clone()),
        Document::PeerReviewPeerReview(p) => {
            p.review_identifiers.as_ref().map(|e| e.external_id.clone())
        }
        _ => None,
    }
    .unwrap_or_default()
}

/// The duplicate key of a person item (9030, `docs/orcid-api.md` §5.8) as
/// ORCID's message shows it: `(type, value)`; `None` also when a part of
/// the key is absent (such an item duplicates none).
pub fn person_duplicate_key(doc: &Document) -> Option<(String, String)> {
    match doc {
        Document::ResearcherUrlResearcherUrl(r) => Some((
            ItemSection::ResearcherUrl.name().into(),
            r.url.as_ref()?.as_str().to_string(),
        )),
        Document::ExternalIdentifierExternalIdentifier(e) => {
            Some((e.external_id_type.clone()?, e.external_id_value.clone()?))
        }
        Document::KeywordKeyword(k) => {
            Some((ItemSection::Keyword.name().into(), k.content.clone()?))
        }
        Document::OtherNameOtherName(o) => {
            Some((ItemSection::OtherName.name().into(), o.content.clone()?))
        }
        Document::AddressAddress(a) => Some((
            ItemSection::Address.name().into(),
            a.country?.as_xml().to_string(),
        )),
        _ => None,
    }
}

/// A short name of an item (its title) for notifications.
pub fn title(doc: &Document) -> String {
    match doc {
        Document::WorkWork(w) => w.title.as_ref().and_then(|t| t.title.clone()),
        Document::FundingFunding(f) => f.title.as_ref().and_then(|t| t.title.clone()),
        Document::EducationEducation(e) => e.organization.as_ref().and_then(|o| o.name.clone()),
        Document::EmploymentEmployment(e) => e.organization.as_ref().and_then(|o| o.name.clone()),
        Document::PeerReviewPeerReview(p) => p
            .subject_name
            .as_ref()
            .and_then(|t| t.title.clone())
            .or_else(|| p.review_group_id.clone()),
        Document::ResearcherUrlResearcherUrl(r) => r
            .url_name
            .clone()
            .or_else(|| r.url.as_ref().map(|u| u.as_str().to_string())),
        Document::OtherNameOtherName(o) => o.content.clone(),
        Document::KeywordKeyword(k) => k.content.clone(),
        Document::AddressAddress(a) => a.country.map(|c| c.as_xml().to_string()),
        Document::ExternalIdentifierExternalIdentifier(e) => Some(format!(
            "{}: {}",
            e.external_id_type.as_deref().unwrap_or_default(),
            e.external_id_value.as_deref().unwrap_or_default()
        )),
        _ => None,
    }
    .unwrap_or_default()
}
