//! Typed models of ORCID API v3.0 and v2.1 messages, generated from ORCID's
//! XSDs, that read and write both wire formats exactly as ORCID's server
//! does: `application/vnd.orcid+xml` and `application/vnd.orcid+json`.
//!
//! One model per version serves both formats: the generated types in
//! [`v3_0`] and [`v2_1`] carry their XML reader/writer and their serde
//! (JSON) implementation. [`Document`] and [`Root`] at the crate root are
//! v2.1's; [`v3_0::Document`] has the same API. [`AnyDocument`] reads either
//! version, as given, as the content shows ([`detect_version`]) or by a
//! fallback ([`Version`], default 3.0). [`convert`] upgrades a v2.1
//! document to v3.0 and downgrades v3.0 to v2.1, reporting each loss.
//!
//! ```
//! use orcid_model::{Document, Format};
//!
//! let xml = r#"<work:work xmlns:work="http://www.orcid.org/ns/work"
//!                         xmlns:common="http://www.orcid.org/ns/common">
//!   <work:title><common:title>On ORCID</common:title></work:title>
//!   <work:type>journal-article</work:type>
//! </work:work>"#;
//! let doc = Document::from_xml(xml)?;
//! let json = doc.to_json(true)?;
//! assert!(json.contains(r#""type" : "JOURNAL_ARTICLE""#) || json.contains(r#""type": "JOURNAL_ARTICLE""#));
//! let back = Document::from_json(&json, Some(doc.root()))?;
//! assert_eq!(back, doc);
//! # Ok::<(), orcid_model::Error>(())
//! ```

mod any;
pub mod facets;
pub mod identifiers;
pub mod json;
pub mod json_schema;
pub mod limits;
pub mod scalar;
pub mod schema;
pub mod section;
pub mod stream;
pub mod values;
pub mod version;
#[rustfmt::skip]
pub mod v2_1;
#[rustfmt::skip]
pub mod v3_0;
pub mod xml;

pub mod convert;
mod document;
#[cfg(test)]
mod proptests;

pub use any::{AnyDocument, AnyRoot, ReadDocument, VersionChoice};
pub use document::{detect_format, infer_root, Error, Format};
pub use section::{ItemSection, RecordPart, UnknownSection};
pub use v2_1::{Document, Root};
pub use version::{detect_version, Detected, UnknownVersion, Version};
