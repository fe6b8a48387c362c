//! A document of either API version, for tools that take both: read as the
//! version the content shows (or the caller's), written as read.
//!
//! ```
//! use orcid_model::{AnyDocument, Version};
//!
//! let xml = r#"<distinction:distinction xmlns:distinction="http://www.orcid.org/ns/distinction"
//!     xmlns:common="http://www.orcid.org/ns/common">
//!   <common:organization><common:name>ORCID</common:name>
//!     <common:address><common:city>Bethesda</common:city><common:country>US</common:country></common:address>
//!   </common:organization>
//! </distinction:distinction>"#;
//! // The distinction namespace exists only in v3.0: the fallback is not used.
//! let (doc, _, _) = AnyDocument::read(xml, None, None, Version::V2_1)?;
//! assert_eq!(doc.version(), Version::V3_0);
//! assert!(doc.to_json(false)?.contains("\"organization\""));
//! # Ok::<(), orcid_model::Error>(())
//! ```

use crate::version::{detect_version, Detected};
use crate::{detect_format, v2_1, v3_0, Error, Format, Version};

/// A document of either version.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyDocument {
    /// A v2.1 document.
    V2_1(v2_1::Document),
    /// A v3.0 document.
    V3_0(v3_0::Document),
}

/// How the version of a document read by [`AnyDocument::read`] was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChoice {
    /// The caller said it.
    Given,
    /// The content showed it; the marker names what did.
    Detected(&'static str),
    /// Nothing showed it: the caller's fallback.
    Fallback,
}

impl AnyDocument {
    /// Reads either format in `version` when given, else in the version the
    /// content shows, else in `fallback`. `root` names the root element of
    /// a JSON input (`work`, `distinction`), in the chosen version.
    pub fn read(
        text: &str,
        root: Option<&str>,
        version: Option<Version>,
        fallback: Version,
    ) -> Result<(AnyDocument, Format, VersionChoice), Error> {
        let format = detect_format(text).ok_or(Error::UnknownFormat)?;
        let (version, choice) = match version {
            Some(v) => (v, VersionChoice::Given),
            None => match detect_version(text, format) {
                Detected::Certain { version, marker } => (version, VersionChoice::Detected(marker)),
                Detected::Ambiguous => (fallback, VersionChoice::Fallback),
            },
        };
        let doc = match version {
            Version::V2_1 => {
                let root = root.map(v2_1::Root::from_name).transpose()?;
                AnyDocument::V2_1(v2_1::Document::from_any(text, root)?.0)
            }
            Version::V3_0 => {
                let root = root.map(v3_0::Root::from_name).transpose()?;
                AnyDocument::V3_0(v3_0::Document::from_any(text, root)?.0)
            }
        };
        Ok((doc, format, choice))
    }

    /// The document's API version.
    pub fn version(&self) -> Version {
        match self {
            AnyDocument::V2_1(_) => Version::V2_1,
            AnyDocument::V3_0(_) => Version::V3_0,
        }
    }

    /// The root element as `prefix:local`.
    pub fn root_name(&self) -> String {
        match self {
            AnyDocument::V2_1(d) => d.root().qualified_name(),
            AnyDocument::V3_0(d) => d.root().qualified_name(),
        }
    }

    /// Writes vnd.orcid+xml ([`v2_1::Document::to_xml`]).
    pub fn to_xml(&self, pretty: bool) -> String {
        match self {
            AnyDocument::V2_1(d) => d.to_xml(pretty),
            AnyDocument::V3_0(d) => d.to_xml(pretty),
        }
    }

    /// Writes vnd.orcid+json ([`v2_1::Document::to_json`]).
    pub fn to_json(&self, pretty: bool) -> Result<String, Error> {
        match self {
            AnyDocument::V2_1(d) => d.to_json(pretty),
            AnyDocument::V3_0(d) => d.to_json(pretty),
        }
    }
}
