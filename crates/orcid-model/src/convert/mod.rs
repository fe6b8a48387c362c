//! Conversion between ORCID API v2.1 and v3.0 documents.
//!
//! Both versions use the same namespace URIs and mostly the same element
//! names, so a document is converted on its XML form: written by the source
//! model, rewritten by the rules of [`mapping`] (the one home of the v2.1 <->
//! v3.0 mapping facts, after `docs/orcid-v3.md` §4), and read by the target
//! model. [`upgrade`] keeps every v2.1 field; [`downgrade`] reports each
//! element or value v2.1 cannot hold as a [`Loss`] (ORCID's server hides the
//! same things from v2 readers) and never drops anything silently.

pub mod mapping;
mod tree;

use crate::{v2_1, v3_0};
use tree::Element;

/// Something the target version cannot hold, dropped or changed by
/// [`downgrade`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// XPath-like path of the dropped or changed element in the source
    /// document, e.g. `/work:work/common:external-ids/common:external-id[2]`.
    pub path: String,
    /// What was dropped or changed, in words.
    pub what: String,
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.what)
    }
}

/// Why a document could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The root has no counterpart in the target version (e.g. a v3.0
    /// `distinction` or `research-resource` downgraded to v2.1).
    #[error("{root} (API {from}) has no API {to} form")]
    Unrepresentable {
        /// Qualified name of the source root.
        root: String,
        /// Source version.
        from: crate::Version,
        /// Target version.
        to: crate::Version,
    },
    /// The source document could not be written as XML (a character XML
    /// cannot carry).
    #[error("cannot write the source document: {0}")]
    Source(crate::Error),
    /// The target version requires an element the source document has no
    /// value for (v3.0's `reviewer-role` and `review-type` of a v2.1
    /// `peer-review-summary`, [`mapping::V3_REQUIRED_WITHOUT_V2_1_VALUE`];
    /// a v2.1 notification item when every item is of a v3.0-only type,
    /// [`mapping::V2_1_NON_EMPTY_LISTS`]). The target model would read the
    /// document (it takes absent required elements), its XSD would not.
    #[error("API {to} requires {element} in {parent}, which the source document has no value for")]
    Missing {
        /// Target version.
        to: crate::Version,
        /// Qualified name of the parent element.
        parent: String,
        /// Qualified name of the missing element.
        element: &'static str,
    },
    /// The rewritten document does not read in the target model.
    #[error("the converted document does not read as API {to}: {source}")]
    Target {
        /// Target version.
        to: crate::Version,
        /// The target model's error.
        #[source]
        source: crate::Error,
    },
}

/// Upgrades a v2.1 document to v3.0; every v2.1 field is kept.
pub fn upgrade(doc: &v2_1::Document) -> Result<v3_0::Document, ConvertError> {
    let xml = doc.try_to_xml(false).map_err(ConvertError::Source)?;
    let mut root =
        Element::parse(&xml).map_err(|e| ConvertError::Source(crate::Error::Write(e)))?;
    let root_name = root.name.clone();
    if v3_0::Root::from_name(&root_name).is_err() {
        return Err(ConvertError::Unrepresentable {
            root: root_name,
            from: crate::Version::V2_1,
            to: crate::Version::V3_0,
        });
    }
    mapping::upgrade_tree(&mut root);
    if let Some((parent, element)) = mapping::missing_v3_required(&root) {
        return Err(ConvertError::Missing {
            to: crate::Version::V3_0,
            parent,
            element,
        });
    }
    let out = root.to_xml();
    v3_0::Document::from_xml(&out).map_err(|source| ConvertError::Target {
        to: crate::Version::V3_0,
        source,
    })
}

/// `doc` in API `version`: [`upgrade`] from v2.1, [`downgrade`] from v3.0
/// (with what v2.1 cannot hold), or `doc` itself when it is in `version`.
///
/// ```
/// use orcid_model::{convert, AnyDocument, Version};
///
/// let xml = r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>graphene</keyword:content></keyword:keyword>"#;
/// let (doc, _, _) = AnyDocument::read(xml, None, Some(Version::V2_1), Version::V2_1)?;
/// let (v3, losses) = convert::to_version(&doc, Version::V3_0)?;
/// assert_eq!(v3.version(), Version::V3_0);
/// assert!(losses.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_version(
    doc: &crate::AnyDocument,
    version: crate::Version,
) -> Result<(crate::AnyDocument, Vec<Loss>), ConvertError> {
    use crate::{AnyDocument, Version};
    Ok(match (doc, version) {
        (AnyDocument::V2_1(d), Version::V3_0) => (AnyDocument::V3_0(upgrade(d)?), Vec::new()),
        (AnyDocument::V3_0(d), Version::V2_1) => {
            let (d, losses) = downgrade(d)?;
            (AnyDocument::V2_1(d), losses)
        }
        (doc, _) => (doc.clone(), Vec::new()),
    })
}

/// Downgrades a v3.0 document to v2.1, with every element or value v2.1
/// cannot hold reported as a [`Loss`].
pub fn downgrade(doc: &v3_0::Document) -> Result<(v2_1::Document, Vec<Loss>), ConvertError> {
    let xml = doc.try_to_xml(false).map_err(ConvertError::Source)?;
    let mut root =
        Element::parse(&xml).map_err(|e| ConvertError::Source(crate::Error::Write(e)))?;
    let root_name = root.name.clone();
    if v2_1::Root::from_name(&root_name).is_err() {
        return Err(ConvertError::Unrepresentable {
            root: root_name,
            from: crate::Version::V3_0,
            to: crate::Version::V2_1,
        });
    }
    let mut losses = Vec::new();
    mapping::downgrade_tree(&mut root, &mut losses);
    if let Some((parent, element)) = mapping::emptied_v2_1_list(&root) {
        return Err(ConvertError::Missing {
            to: crate::Version::V2_1,
            parent,
            element,
        });
    }
    let out = root.to_xml();
    let doc = v2_1::Document::from_xml(&out).map_err(|source| ConvertError::Target {
        to: crate::Version::V2_1,
        source,
    })?;
    Ok((doc, losses))
}
