//! The ORCID API version of a document, and how to tell it from content.
//!
//! v2.1 and v3.0 share their XML namespaces, so a document says its
//! version only through what it uses (see `docs/orcid-api.md`, "Telling
//! v2.1 from v3.0"): a namespace or element only one version has, or, in
//! JSON, how enum values are spelled (v2.1 writes Java constants such as
//! `PUBLIC`, v3.0 the XML spelling `public`). Documents that use nothing
//! version-specific (a keyword, an error) are [`Detected::Ambiguous`]; the
//! caller's configured version (default [`Version::V3_0`]) decides.

use std::fmt;
use std::str::FromStr;

use crate::Format;

/// An ORCID API version this toolkit models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Version {
    /// API v2.1 ([`crate::v2_1`]).
    V2_1,
    /// API v3.0 ([`crate::v3_0`]), ORCID's default since 2019.
    #[default]
    V3_0,
}

impl Version {
    /// Both versions, oldest first.
    pub const ALL: [Version; 2] = [Version::V2_1, Version::V3_0];

    /// The version as ORCID writes it in paths: `2.1`, `3.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2_1 => "2.1",
            Version::V3_0 => "3.0",
        }
    }

    /// The API path prefix: `/v2.1`, `/v3.0`.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Version::V2_1 => "/v2.1",
            Version::V3_0 => "/v3.0",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version name that is not `2.1` or `3.0`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown ORCID API version `{0}`; say 2.1 or 3.0")]
pub struct UnknownVersion(pub String);

impl FromStr for Version {
    type Err = UnknownVersion;

    /// Accepts `2.1`, `v2.1`, `3.0`, `v3.0` (and `3`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().trim_start_matches(['v', 'V']) {
            "2.1" => Ok(Version::V2_1),
            "3.0" | "3" => Ok(Version::V3_0),
            _ => Err(UnknownVersion(s.to_string())),
        }
    }
}

/// What a document's content says about its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// The content uses something only this version has; `marker` names it.
    Certain {
        /// The version.
        version: Version,
        /// What gave it away (an element name, a JSON spelling).
        marker: &'static str,
    },
    /// Nothing in the content is version-specific.
    Ambiguous,
}

impl Detected {
    /// The detected version, or `fallback` when the content does not say.
    pub fn or(self, fallback: Version) -> Version {
        match self {
            Detected::Certain { version, .. } => version,
            Detected::Ambiguous => fallback,
        }
    }
}

/// XML markers, checked in order: (substring, version, what it is). The
/// namespaces and elements only one version has. `xsi:schemaLocation` is
/// not one: ORCID's output has none, and upstream's 3.0
/// `bulk-work-err.xml` names `bulk-2.1.xsd`.
const XML_MARKERS: &[(&str, Version, &str)] = &[
    (
        "http://www.orcid.org/ns/distinction",
        Version::V3_0,
        "the distinction namespace",
    ),
    (
        "http://www.orcid.org/ns/invited-position",
        Version::V3_0,
        "the invited-position namespace",
    ),
    (
        "http://www.orcid.org/ns/membership",
        Version::V3_0,
        "the membership namespace",
    ),
    (
        "http://www.orcid.org/ns/qualification",
        Version::V3_0,
        "the qualification namespace",
    ),
    (
        "http://www.orcid.org/ns/service",
        Version::V3_0,
        "the service namespace",
    ),
    (
        "http://www.orcid.org/ns/research-resource",
        Version::V3_0,
        "the research-resource namespace",
    ),
    (
        "http://www.orcid.org/ns/expanded-search",
        Version::V3_0,
        "the expanded-search namespace",
    ),
    (
        "http://www.orcid.org/ns/summary",
        Version::V3_0,
        "the summary namespace",
    ),
    (
        ":affiliation-group",
        Version::V3_0,
        "activities:affiliation-group",
    ),
    (
        ":peer-review-group",
        Version::V3_0,
        "activities:peer-review-group",
    ),
    (
        ":external-id-normalized",
        Version::V3_0,
        "common:external-id-normalized",
    ),
    (
        ":assertion-origin-",
        Version::V3_0,
        "common:assertion-origin-*",
    ),
    ("<common:url", Version::V3_0, "common:url"),
    ("<common:organization", Version::V3_0, "common:organization"),
    (
        "<common:department-name",
        Version::V3_0,
        "common:department-name",
    ),
    ("<common:role-title", Version::V3_0, "common:role-title"),
    ("<work:url", Version::V2_1, "work:url"),
    ("<funding:url", Version::V2_1, "funding:url"),
    (
        "<funding:organization",
        Version::V2_1,
        "funding:organization",
    ),
    (
        "<education:organization",
        Version::V2_1,
        "education:organization",
    ),
    (
        "<employment:organization",
        Version::V2_1,
        "employment:organization",
    ),
    (
        "<education:department-name",
        Version::V2_1,
        "education:department-name",
    ),
    (
        "<employment:department-name",
        Version::V2_1,
        "employment:department-name",
    ),
    (">version-of<", Version::V3_0, "the version-of relationship"),
    (
        ">dissertation<",
        Version::V2_1,
        "the 2.1 work type dissertation",
    ),
    (
        ">dissertation-thesis<",
        Version::V3_0,
        "the 3.0 work type dissertation-thesis",
    ),
];

/// JSON markers: (key or quoted value, version, what it is).
const JSON_MARKERS: &[(&str, Version, &str)] = &[
    (
        "\"affiliation-group\"",
        Version::V3_0,
        "the key affiliation-group",
    ),
    (
        "\"peer-review-group\"",
        Version::V3_0,
        "the key peer-review-group",
    ),
    (
        "\"external-id-normalized\"",
        Version::V3_0,
        "the key external-id-normalized",
    ),
    (
        "\"assertion-origin-",
        Version::V3_0,
        "the keys assertion-origin-*",
    ),
    (
        "\"research-resources\"",
        Version::V3_0,
        "the key research-resources",
    ),
    ("\"distinctions\"", Version::V3_0, "the key distinctions"),
    (
        "\"media-type\"",
        Version::V2_1,
        "the key media-type (publication-date)",
    ),
];

/// JSON enum spellings: a JSON string that is one of these values tells
/// the version by its case (v2.1 Java constants, v3.0 XML spellings).
const JSON_ENUM_SPELLINGS: &[(&str, Version, &str)] = &[
    ("\"PUBLIC\"", Version::V2_1, "the v2.1 spelling PUBLIC"),
    ("\"LIMITED\"", Version::V2_1, "the v2.1 spelling LIMITED"),
    ("\"PRIVATE\"", Version::V2_1, "the v2.1 spelling PRIVATE"),
    (
        "\"REGISTERED_ONLY\"",
        Version::V2_1,
        "the v2.1 spelling REGISTERED_ONLY",
    ),
    ("\"SELF\"", Version::V2_1, "the v2.1 spelling SELF"),
    ("\"PART_OF\"", Version::V2_1, "the v2.1 spelling PART_OF"),
    (
        "\"JOURNAL_ARTICLE\"",
        Version::V2_1,
        "the v2.1 spelling JOURNAL_ARTICLE",
    ),
    ("\"public\"", Version::V3_0, "the v3.0 spelling public"),
    ("\"limited\"", Version::V3_0, "the v3.0 spelling limited"),
    ("\"private\"", Version::V3_0, "the v3.0 spelling private"),
    (
        "\"registered-only\"",
        Version::V3_0,
        "the v3.0 spelling registered-only",
    ),
    ("\"self\"", Version::V3_0, "the v3.0 spelling self"),
    ("\"part-of\"", Version::V3_0, "the v3.0 spelling part-of"),
    (
        "\"version-of\"",
        Version::V3_0,
        "the v3.0 spelling version-of",
    ),
];

/// Tells the version of a document from its content (see the module
/// docs). Conflicting markers resolve to the first one found in the
/// tables' order; the readers then report what does not fit.
pub fn detect_version(text: &str, format: Format) -> Detected {
    let tables: &[&[(&str, Version, &str)]] = match format {
        Format::Xml => &[XML_MARKERS],
        Format::Json => &[JSON_MARKERS, JSON_ENUM_SPELLINGS],
    };
    for table in tables {
        for (needle, version, marker) in *table {
            if text.contains(needle) {
                return Detected::Certain {
                    version: *version,
                    marker,
                };
            }
        }
    }
    Detected::Ambiguous
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print() {
        assert_eq!("3.0".parse::<Version>(), Ok(Version::V3_0));
        assert_eq!("v2.1".parse::<Version>(), Ok(Version::V2_1));
        assert!("2.0".parse::<Version>().is_err());
        assert_eq!(Version::default(), Version::V3_0);
        assert_eq!(Version::V2_1.to_string(), "2.1");
    }

    #[test]
    fn markers_decide_and_plain_items_are_ambiguous() {
        let v3 =
            r#"<distinction:distinction xmlns:distinction="http://www.orcid.org/ns/distinction"/>"#;
        assert_eq!(
            detect_version(v3, Format::Xml).or(Version::V2_1),
            Version::V3_0
        );
        let v2 = "<work:work><work:url>http://x</work:url></work:work>";
        assert_eq!(
            detect_version(v2, Format::Xml).or(Version::V3_0),
            Version::V2_1
        );
        let keyword = r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>x</keyword:content></keyword:keyword>"#;
        assert_eq!(detect_version(keyword, Format::Xml), Detected::Ambiguous);
        assert_eq!(
            detect_version(r#"{"visibility":"PUBLIC"}"#, Format::Json).or(Version::V3_0),
            Version::V2_1
        );
        assert_eq!(
            detect_version(
                r#"{"type":"journal-article","visibility":"public"}"#,
                Format::Json
            )
            .or(Version::V2_1),
            Version::V3_0
        );
        assert_eq!(
            detect_version(r#"{"content":"x"}"#, Format::Json),
            Detected::Ambiguous
        );
    }
}
