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

/// A root element name as each API version reads it (`distinction` is a
/// v3.0 root only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyRoot {
    /// The v2.1 root, if v2.1 has one by that name.
    pub v2_1: Option<v2_1::Root>,
    /// The v3.0 root, if v3.0 has one by that name.
    pub v3_0: Option<v3_0::Root>,
}

impl AnyRoot {
    /// Parses a root name (`work`, `work:work`, `distinction`) in both
    /// versions; an error when neither has it.
    pub fn from_name(name: &str) -> Result<AnyRoot, Error> {
        let v2 = v2_1::Root::from_name(name);
        let v3 = v3_0::Root::from_name(name);
        match (v2, v3) {
            (Err(_), Err(e)) => Err(e),
            (a, b) => Ok(AnyRoot {
                v2_1: a.ok(),
                v3_0: b.ok(),
            }),
        }
    }

    /// The name in `version`, or an error naming what that version lacks.
    fn name_in(self, version: Version) -> Result<String, Error> {
        let name = match version {
            Version::V2_1 => self.v2_1.map(v2_1::Root::qualified_name),
            Version::V3_0 => self.v3_0.map(v3_0::Root::qualified_name),
        };
        name.ok_or_else(|| {
            let other = self
                .v2_1
                .map(v2_1::Root::qualified_name)
                .or_else(|| self.v3_0.map(v3_0::Root::qualified_name))
                .unwrap_or_default();
            Error::Root(format!("`{other}` is not a v{version} root element"))
        })
    }
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

/// What [`AnyDocument::read_noting`] read.
#[derive(Debug)]
pub struct ReadDocument {
    /// The document.
    pub doc: AnyDocument,
    /// The format it was written in.
    pub format: Format,
    /// How its version was chosen.
    pub choice: VersionChoice,
    /// Where the XML text strays from the XSD's letter and was read anyway
    /// (elements out of their sequence's order, as ORCID's own output has
    /// them), in document order; empty for JSON.
    pub notes: Vec<crate::xml::XmlError>,
}

impl AnyDocument {
    /// Reads either format in `version` when given, else in the version the
    /// content shows, else in `fallback`. `root` names the root element of
    /// a JSON input (`work`, `distinction`), in the chosen version.
    pub fn read(
        text: &str,
        root: Option<AnyRoot>,
        version: Option<Version>,
        fallback: Version,
    ) -> Result<(AnyDocument, Format, VersionChoice), Error> {
        let read = Self::read_noting(text, root, version, fallback)?;
        Ok((read.doc, read.format, read.choice))
    }

    /// [`AnyDocument::read`], also saying where an XML text strays from the
    /// XSD's letter in ways ORCID's own output does and the reader forgives
    /// ([`ReadDocument::notes`]).
    pub fn read_noting(
        text: &str,
        root: Option<AnyRoot>,
        version: Option<Version>,
        fallback: Version,
    ) -> Result<ReadDocument, Error> {
        let format = detect_format(text).ok_or(Error::UnknownFormat)?;
        let (version, choice) = match version {
            Some(v) => (v, VersionChoice::Given),
            None => match detect_version(text, format) {
                Detected::Certain { version, marker } => (version, VersionChoice::Detected(marker)),
                Detected::Ambiguous => (fallback, VersionChoice::Fallback),
            },
        };
        let root = root.map(|r| r.name_in(version)).transpose()?;
        let root = root.as_deref();
        let (doc, notes) = match (version, format) {
            (Version::V2_1, Format::Xml) => {
                let (doc, notes) = v2_1::Document::from_xml_noting(text)?;
                (AnyDocument::V2_1(doc), notes)
            }
            (Version::V3_0, Format::Xml) => {
                let (doc, notes) = v3_0::Document::from_xml_noting(text)?;
                (AnyDocument::V3_0(doc), notes)
            }
            (Version::V2_1, Format::Json) => {
                let root = root.map(v2_1::Root::from_name).transpose()?;
                (
                    AnyDocument::V2_1(v2_1::Document::from_json(text, root)?),
                    Vec::new(),
                )
            }
            (Version::V3_0, Format::Json) => {
                let root = root.map(v3_0::Root::from_name).transpose()?;
                (
                    AnyDocument::V3_0(v3_0::Document::from_json(text, root)?),
                    Vec::new(),
                )
            }
        };
        Ok(ReadDocument {
            doc,
            format,
            choice,
            notes,
        })
    }

    /// The document's API version.
    pub fn version(&self) -> Version {
        match self {
            AnyDocument::V2_1(d) => d.version(),
            AnyDocument::V3_0(d) => d.version(),
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
