//! [`Section`]: the record section a registry entry or a journal intent is
//! kept under, for items of either API version.

use std::fmt;

use orcid_model::v3_0::section::ItemSection as V3Section;
use orcid_model::ItemSection as V2Section;

/// A section of the put-code registry and the journal: any item section of
/// API v2.1 or v3.0 (v3.0's sections include every v2.1 one, under the same
/// name), stored by its name (`work`, `researcher-url`, `distinction`).
///
/// An item is one entry whichever version wrote it: a v2.1 work and a v3.0
/// work are both [`Section`] `work`. Store methods take either version's
/// section (`impl Into<Section>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Section(V3Section);

impl Section {
    /// Every section, in v3.0's record order.
    pub fn all() -> impl Iterator<Item = Section> {
        V3Section::ALL.iter().copied().map(Section)
    }

    /// The section named `name` (its item's local name), if any.
    pub fn from_name(name: &str) -> Option<Section> {
        V3Section::from_name(name).map(Section)
    }

    /// Its one spelling, the item's local name (`work`, `invited-position`).
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The section as v3.0 names it (every section has one).
    pub fn v3_0(self) -> V3Section {
        self.0
    }

    /// The section as v2.1 names it; `None` for the sections only v3.0 has
    /// (distinction, invited-position, membership, qualification, service,
    /// research-resource).
    pub fn v2_1(self) -> Option<V2Section> {
        V2Section::from_name(self.name())
    }
}

impl From<V3Section> for Section {
    fn from(s: V3Section) -> Section {
        Section(s)
    }
}

impl From<V2Section> for Section {
    fn from(s: V2Section) -> Section {
        Section(match s {
            V2Section::OtherName => V3Section::OtherName,
            V2Section::ResearcherUrl => V3Section::ResearcherUrl,
            V2Section::Address => V3Section::Address,
            V2Section::Keyword => V3Section::Keyword,
            V2Section::ExternalIdentifier => V3Section::ExternalIdentifier,
            V2Section::Education => V3Section::Education,
            V2Section::Employment => V3Section::Employment,
            V2Section::Funding => V3Section::Funding,
            V2Section::PeerReview => V3Section::PeerReview,
            V2Section::Work => V3Section::Work,
        })
    }
}

impl PartialEq<V2Section> for Section {
    fn eq(&self, other: &V2Section) -> bool {
        *self == Section::from(*other)
    }
}

impl PartialEq<V3Section> for Section {
    fn eq(&self, other: &V3Section) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_v2_1_section_is_its_v3_0_namesake() {
        for &s in V2Section::ALL {
            let r = Section::from(s);
            assert_eq!(r.name(), s.name());
            assert_eq!(r.v2_1(), Some(s));
            assert_eq!(r, s);
            assert_eq!(Section::from_name(s.name()), Some(r));
        }
    }

    #[test]
    fn the_v3_only_sections_have_no_v2_1_name() {
        let only: Vec<&str> = Section::all()
            .filter(|s| s.v2_1().is_none())
            .map(Section::name)
            .collect();
        assert_eq!(
            only,
            [
                "distinction",
                "invited-position",
                "membership",
                "qualification",
                "research-resource",
                "service"
            ]
        );
        assert_eq!(
            Section::from(V3Section::Distinction).to_string(),
            "distinction"
        );
        assert_eq!(Section::from_name("distinctions"), None);
    }
}
