//! The writable item sections of a record ([`ItemSection`], generated from
//! the XSDs into `v2_1::section`): how they are named on a command line, in
//! a store, in messages.
//!
//! ```
//! use orcid_model::{ItemSection, Root};
//!
//! let s: ItemSection = "researcher-urls".parse()?;
//! assert_eq!(s, ItemSection::ResearcherUrl);
//! assert_eq!(s.name(), "researcher-url");
//! assert_eq!(s.item_path(), "researcher-urls");
//! assert_eq!(ItemSection::of_root(Root::WorkWork), Some(ItemSection::Work));
//! # Ok::<(), orcid_model::UnknownSection>(())
//! ```

use std::fmt;
use std::str::FromStr;

pub use crate::v2_1::section::{ItemSection, RecordPart};

impl ItemSection {
    /// The section `text` names: its [name](ItemSection::name), or either
    /// of its API path segments (`works`, `researcher-urls`), or its list
    /// element's name (`addresses`), so that both the singular and the
    /// plural are understood.
    pub fn parse(text: &str) -> Option<ItemSection> {
        ItemSection::ALL
            .iter()
            .copied()
            .find(|s| s.aliases().contains(&text))
    }

    /// The section whose one-item path segment is `segment` (`work`,
    /// `researcher-urls`).
    pub fn from_item_path(segment: &str) -> Option<ItemSection> {
        ItemSection::ALL
            .iter()
            .copied()
            .find(|s| s.item_path() == segment)
    }

    /// The section whose list path segment is `segment` (`works`,
    /// `address`).
    pub fn from_list_path(segment: &str) -> Option<ItemSection> {
        ItemSection::ALL
            .iter()
            .copied()
            .find(|s| s.list_path() == segment)
    }

    /// Every spelling [`ItemSection::parse`] accepts, the name first: the
    /// name, the two API path segments and the list element's local name
    /// (`addresses`).
    pub fn aliases(self) -> [&'static str; 4] {
        [
            self.name(),
            self.item_path(),
            self.list_path(),
            self.list_root().local_name(),
        ]
    }

    /// Whether the section's items are activities (works, funding,
    /// affiliations, peer review) rather than person items.
    pub fn is_activity(self) -> bool {
        self.part() == RecordPart::Activities
    }
}

/// v3.0's sections ([`crate::v3_0::section::ItemSection`]: v2.1's and the
/// six only v3.0 has) are spelled the same way.
impl crate::v3_0::section::ItemSection {
    /// The section `text` names, in any spelling of
    /// [`aliases`](crate::v3_0::section::ItemSection::aliases)
    /// (`distinction`, `distinctions`, `researcher-urls`).
    pub fn parse(text: &str) -> Option<crate::v3_0::section::ItemSection> {
        crate::v3_0::section::ItemSection::ALL
            .iter()
            .copied()
            .find(|s| s.aliases().contains(&text))
    }

    /// Every spelling [`parse`](crate::v3_0::section::ItemSection::parse)
    /// accepts, the name first: the name, the two API path segments and
    /// the list element's local name.
    pub fn aliases(self) -> [&'static str; 4] {
        [
            self.name(),
            self.item_path(),
            self.list_path(),
            self.list_root().local_name(),
        ]
    }

    /// Whether the section's items are activities rather than person items.
    pub fn is_activity(self) -> bool {
        self.part() == crate::v3_0::section::RecordPart::Activities
    }
}

impl fmt::Display for crate::v3_0::section::ItemSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ItemSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A text that names no [`ItemSection`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a record section that items are written to (one of: {names})", names = ItemSection::ALL.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "))]
pub struct UnknownSection(pub String);

impl FromStr for ItemSection {
    type Err = UnknownSection;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ItemSection::parse(s).ok_or_else(|| UnknownSection(s.to_string()))
    }
}

/// Written as its [name](ItemSection::name).
impl serde::Serialize for ItemSection {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Read from any spelling [`ItemSection::parse`] accepts.
impl<'de> serde::Deserialize<'de> for ItemSection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Root;

    #[test]
    fn every_spelling_parses_back() {
        for &s in ItemSection::ALL {
            for a in s.aliases() {
                assert_eq!(ItemSection::parse(a), Some(s), "{a}");
            }
            assert_eq!(s.to_string(), s.name());
            assert_eq!(ItemSection::of_root(s.root()), Some(s));
            assert_eq!(s.root().local_name(), s.name());
        }
        assert_eq!(ItemSection::parse("emails"), None);
        let json = serde_json::to_string(&ItemSection::ResearcherUrl).unwrap();
        assert_eq!(json, r#""researcher-url""#);
        let back: ItemSection = serde_json::from_str(r#""researcher-urls""#).unwrap();
        assert_eq!(back, ItemSection::ResearcherUrl);
        let e = "email".parse::<ItemSection>().unwrap_err();
        assert!(e.to_string().contains("researcher-url"), "{e}");
    }

    #[test]
    fn summaries_are_the_activities() {
        for &s in ItemSection::ALL {
            assert_eq!(s.summary_root().is_some(), s.is_activity(), "{s}");
        }
        assert_eq!(
            ItemSection::Work.summary_root(),
            Some(Root::WorkWorkSummary)
        );
        assert_eq!(ItemSection::Address.list_root(), Root::AddressAddresses);
    }

    #[test]
    fn every_v3_0_spelling_parses_back() {
        use crate::v3_0::section::ItemSection as S3;
        for &s in S3::ALL {
            for a in s.aliases() {
                assert_eq!(S3::parse(a), Some(s), "{a}");
            }
            assert_eq!(s.to_string(), s.name());
            assert_eq!(s.summary_root().is_some(), s.is_activity(), "{s}");
        }
        assert_eq!(S3::parse("distinctions"), Some(S3::Distinction));
        assert_eq!(S3::parse("invited-positions"), Some(S3::InvitedPosition));
        assert_eq!(S3::parse("summary"), None);
    }
}
