//! Whole documents: format detection, root inference, reading and writing.

use crate::json::JsonError;
use crate::limits::Refusal;
use crate::xml::{Observer, XmlError, XmlReader, XmlWriter};

/// A wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/vnd.orcid+xml`.
    Xml,
    /// `application/vnd.orcid+json`.
    Json,
}

impl Format {
    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Xml => "application/vnd.orcid+xml",
            Format::Json => "application/vnd.orcid+json",
        }
    }
}

/// Errors of reading or writing a document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Malformed or schema-incompatible XML.
    #[error("{0}")]
    Xml(#[from] XmlError),
    /// Malformed or schema-incompatible JSON.
    #[error("{0}")]
    Json(#[from] JsonError),
    /// The input is neither XML nor JSON.
    #[error("input is neither XML (starts with `<`) nor JSON (starts with `{{`)")]
    UnknownFormat,
    /// No root name given and none can be inferred from the JSON keys.
    #[error("{0}")]
    Root(String),
    /// The model cannot be written in the requested format.
    #[error("cannot write: {0}")]
    Write(String),
}

/// Detects the format from the first non-blank character.
pub fn detect_format(text: &str) -> Option<Format> {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .as_bytes()
        .first()
    {
        Some(b'<') => Some(Format::Xml),
        Some(b'{') => Some(Format::Json),
        _ => None,
    }
}

/// The whole-document API of one generated version module: `Root` by name
/// and from JSON keys, `Document` read from and written to both formats.
macro_rules! document_api {
    ($v:ident, $label:literal, $version:expr) => {
        const _: () = {
            use crate::$v::{ns, Document, Root};

            impl Root {
                /// The API version of this root's module.
                pub const VERSION: crate::Version = $version;

                /// The API version this root belongs to.
                pub fn version(self) -> crate::Version {
                    Self::VERSION
                }
            }

            impl Document {
                /// The API version of this document's module.
                pub const VERSION: crate::Version = $version;

                /// The API version this document belongs to.
                pub fn version(&self) -> crate::Version {
                    Self::VERSION
                }
            }
impl Root {
    /// Finds a root by local name (`work`) or prefixed name (`work:work`).
    /// A local name that both an API document and a part of v3.0's record
    /// summary carry (`works`, `fundings`) means the API document
    /// (`activities:works`); `summary:works` names the other.
    pub fn from_name(name: &str) -> Result<Root, Error> {
        let (prefix, local) = match name.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, name),
        };
        let mut found: Vec<Root> = Root::ALL
            .iter()
            .copied()
            .filter(|r| r.local_name() == local && prefix.is_none_or(|p| p == r.namespace().prefix))
            .collect();
        if found.len() > 1 && found.iter().any(|r| r.namespace().prefix != "summary") {
            found.retain(|r| r.namespace().prefix != "summary");
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Error::Root(format!(
                concat!("`{}` is not a v", $label, " root element; known roots: {}"),
                name,
                Root::ALL
                    .iter()
                    .map(|r| r.local_name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            many => Err(Error::Root(format!(
                "`{name}` is ambiguous; say one of: {}",
                many.iter()
                    .map(|r| r.qualified_name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// `prefix:local`.
    pub fn qualified_name(self) -> String {
        format!("{}:{}", self.namespace().prefix, self.local_name())
    }
}

impl Root {
    /// Infers the root element of a JSON object from its keys (R1: JSON
    /// does not carry it). A root whose key set equals the object's wins;
    /// otherwise the only root that has every key.
    pub fn infer<'k>(keys: impl IntoIterator<Item = &'k str>) -> Result<Root, Error> {
    let keys: Vec<&str> = keys.into_iter().collect();
    let candidates: Vec<Root> = Root::ALL
        .iter()
        .copied()
        .filter(|r| keys.iter().all(|k| r.json_keys().contains(k)))
        .collect();
    let exact: Vec<Root> = candidates
        .iter()
        .copied()
        .filter(|r| r.json_keys().len() == keys.len())
        .collect();
    match (exact.as_slice(), candidates.as_slice()) {
        ([one], _) | (_, [one]) => Ok(*one),
        (_, []) => Err(Error::Root(format!(
            concat!("no v", $label, " root element has all of the keys {}; give the root with --root"),
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ))),
        (_, many) => Err(Error::Root(format!(
            "the root element cannot be inferred from the keys (it could be {}); give it with --root",
            many.iter().map(|r| r.local_name()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

}

impl Document {
    /// Reads a vnd.orcid+xml document (any prefixes, default namespace).
    /// It reads what ORCID writes where that strays from the XSD's letter
    /// (elements out of the sequence's order); [`Document::from_xml_noting`]
    /// also says where.
    pub fn from_xml(text: &str) -> Result<Document, Error> {
        Ok(Self::read_xml(XmlReader::new(text, ns::ALL))?.0)
    }

    /// [`Document::from_xml`], with the places read past the XSD's letter
    /// (see [`XmlReader::note_out_of_order`](crate::xml::XmlReader::note_out_of_order)),
    /// in document order.
    pub fn from_xml_noting(text: &str) -> Result<(Document, Vec<crate::xml::XmlError>), Error> {
        Self::read_xml(XmlReader::new(text, ns::ALL))
    }

    /// [`Document::from_xml`], showing every event read to `observer`
    /// (which, when reading succeeds, has seen the whole document).
    pub fn from_xml_observed(text: &str, observer: &mut dyn Observer) -> Result<Document, Error> {
        Ok(Self::read_xml(XmlReader::with_observer(text, ns::ALL, observer))?.0)
    }

    fn read_xml(mut r: XmlReader<'_>) -> Result<(Document, Vec<crate::xml::XmlError>), Error> {
        let start = r.root()?;
        let Some(root) = Root::from_qname(start.ns, start.local()) else {
            let name = String::from_utf8_lossy(start.event.name().as_ref()).into_owned();
            return Err(r
                .error_at(start.offset, crate::xml::XmlErrorKind::UnknownRoot(name, $version))
                .into());
        };
        let doc = Document::read_root(&mut r, root, &start)?;
        r.finish()?;
        Ok((doc, r.take_notes()))
    }

    /// Writes vnd.orcid+xml with ORCID's prefixes and an XML declaration;
    /// `pretty` indents by four spaces.
    ///
    /// What it writes is always well-formed: a character XML 1.0 cannot
    /// carry (which no value read by this crate holds, but a value built in
    /// code may) is written as U+FFFD. [`Document::try_to_xml`] refuses such
    /// a value instead, and `orcid-validate` reports it.
    pub fn to_xml(&self, pretty: bool) -> String {
        self.write_xml(pretty).0
    }

    /// [`Document::to_xml`], refusing a value that holds a character XML 1.0
    /// cannot carry ([`crate::limits::is_xml_char`]) with [`Error::Write`].
    pub fn try_to_xml(&self, pretty: bool) -> Result<String, Error> {
        match self.write_xml(pretty) {
            (xml, None) => Ok(xml),
            (_, Some(c)) => Err(Error::Write(Refusal::NotXmlChar(c).to_string())),
        }
    }

    /// The document, and the first character it had to replace.
    fn write_xml(&self, pretty: bool) -> (String, Option<char>) {
        let mut w = XmlWriter::new(pretty.then_some(4));
        w.begin_document(self.root().declared_namespaces());
        self.write_root(&mut w);
        let refused = w.refused();
        (w.finish(), refused)
    }

    /// Reads a vnd.orcid+json document; `root` says which element it is
    /// (R1), or `None` to infer it from the keys.
    pub fn from_json(text: &str, root: Option<Root>) -> Result<Document, Error> {
        let root = match root {
            Some(r) => r,
            None => {
                let keys: serde_json::Map<String, serde_json::Value> = crate::json::from_str(text)
                    .map_err(|mut e| {
                        if e.message.starts_with("invalid type") {
                            e.message = format!(
                                "a vnd.orcid+json document is a JSON object ({})",
                                e.message
                            );
                        }
                        e
                    })?;
                Root::infer(keys.keys().map(String::as_str))?
            }
        };
        Ok(crate::json::from_str_with(text, |d| {
            Document::deserialize_json(root, d)
        })?)
    }

    /// Writes vnd.orcid+json: every property present (`null` when absent,
    /// R10); `pretty` indents by two spaces.
    pub fn to_json(&self, pretty: bool) -> Result<String, Error> {
        let mut out = Vec::with_capacity(4096);
        let res = if pretty {
            let mut s = serde_json::Serializer::with_formatter(
                &mut out,
                serde_json::ser::PrettyFormatter::with_indent(b"  "),
            );
            self.serialize_json(&mut s)
        } else {
            let mut s = serde_json::Serializer::new(&mut out);
            self.serialize_json(&mut s)
        };
        res.map_err(|e| Error::Write(e.to_string()))?;
        String::from_utf8(out).map_err(|e| Error::Write(e.to_string()))
    }

    /// Reads either format, detected from the content.
    pub fn from_any(text: &str, root: Option<Root>) -> Result<(Document, Format), Error> {
        match detect_format(text) {
            Some(Format::Xml) => Ok((Document::from_xml(text)?, Format::Xml)),
            Some(Format::Json) => Ok((Document::from_json(text, root)?, Format::Json)),
            None => Err(Error::UnknownFormat),
        }
    }
}

impl serde::Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize_json(s)
    }
}

        };
    };
}

document_api!(v2_1, "2.1", crate::Version::V2_1);
document_api!(v3_0, "3.0", crate::Version::V3_0);

/// Infers the v2.1 root element of a JSON object from its keys
/// ([`crate::v2_1::Root::infer`]).
pub fn infer_root<'k>(keys: impl IntoIterator<Item = &'k str>) -> Result<crate::v2_1::Root, Error> {
    crate::v2_1::Root::infer(keys)
}
