//! The sections a client writes and uniform access to the items' envelope
//! (put-code, visibility, source, dates, path) across the generated types.

use orcid_model::scalar::{DateTime, PutCode};
use orcid_model::v2_1::common::{ExternalId, Source, Visibility};
use orcid_model::{Document, ItemSection};

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
        self.name().to_ascii_uppercase().replace('-', "_")
    }
}

/// The put-code of an item.
pub fn put_code(doc: &Document) -> Option<PutCode> {
    doc.item_envelope().and_then(|x| *x.put_code)
}

/// The visibility of an item.
pub fn visibility(doc: &Document) -> Option<Visibility> {
    doc.item_envelope().and_then(|x| *x.visibility)
}

/// The source of an item.
pub fn source(doc: &Document) -> Option<Source> {
    doc.item_envelope().and_then(|x| x.source.clone())
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
    if let Some(x) = doc.item_envelope_mut() {
        *x.put_code = Some(PutCode(env.put_code));
        *x.visibility = Some(env.visibility);
        *x.source = Some(env.source.clone());
        *x.created_date = Some(DateTime::from_epoch_millis(env.created_ms));
        *x.last_modified_date = Some(DateTime::from_epoch_millis(env.modified_ms));
        *x.path = Some(env.path.clone());
        *x.display_index = Some(API_DISPLAY_INDEX.into());
    }
}

/// The `display-index` ORCID gives items written through the API:
/// `DisplayIndexCalculatorHelper#setDisplayIndexOnNewEntity` sets 0 when
/// `isApiRequest` (1 for the user interface). The JSON writer turns it into
/// a number on person items and a string on activity summaries.
pub const API_DISPLAY_INDEX: &str = "0";

/// An item with the server-owned fields cleared, to compare contents.
pub fn content_only(doc: &Document) -> Document {
    let mut d = doc.clone();
    if let Some(x) = d.item_envelope_mut() {
        *x.put_code = None;
        *x.visibility = None;
        *x.source = None;
        *x.created_date = None;
        *x.last_modified_date = None;
        *x.path = None;
        *x.display_index = None;
    }
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

/// The duplicate key of a person item (9030, `docs/orcid-api.md` §5.8) as
/// ORCID's message shows it: `(type, value)`.
pub fn person_duplicate_key(doc: &Document) -> Option<(String, String)> {
    match doc {
        Document::ResearcherUrlResearcherUrl(r) => Some((
            ItemSection::ResearcherUrl.name().into(),
            r.url.as_str().to_string(),
        )),
        Document::ExternalIdentifierExternalIdentifier(e) => {
            Some((e.external_id_type.clone(), e.external_id_value.clone()))
        }
        Document::KeywordKeyword(k) => {
            Some((ItemSection::Keyword.name().into(), k.content.clone()))
        }
        Document::OtherNameOtherName(o) => {
            Some((ItemSection::OtherName.name().into(), o.content.clone()))
        }
        Document::AddressAddress(a) => Some((
            ItemSection::Address.name().into(),
            a.country.as_xml().to_string(),
        )),
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
        Document::ResearcherUrlResearcherUrl(r) => r
            .url_name
            .clone()
            .unwrap_or_else(|| r.url.as_str().to_string()),
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
    doc.item_envelope()
        .and_then(|x| x.created_date.as_ref().map(|d| d.epoch_millis()))
}
