//! Validation of ORCID API v2.1 payloads before they are sent.
//!
//! Two layers, both for `vnd.orcid+xml` and `vnd.orcid+json`:
//! 1. the XSD, complete for ORCID's schemas, in pure Rust ([`xsd`]);
//! 2. the rules ORCID's server enforces beyond the XSD, each predicting the
//!    ORCID error code ([`rules`]; the table is in `docs/rules.md`).
//!
//! Every finding is a [`Diagnostic`] with a stable code, a location
//! (line:column plus XPath or JSON Pointer), the predicted ORCID error and a
//! hint.
//!
//! ```
//! use orcid_model::{Document, Root};
//! use orcid_validate::{validate_document, validate_json, validate_xml, Context, Operation};
//!
//! // An XML string: the XSD says the work type is required.
//! let xml = r#"<work:work xmlns:work="http://www.orcid.org/ns/work"
//!                         xmlns:common="http://www.orcid.org/ns/common">
//!   <work:title><common:title>On ORCID</common:title></work:title>
//! </work:work>"#;
//! let report = validate_xml(xml, &Context::default());
//! assert!(!report.is_valid());
//! let d = &report.diagnostics[0];
//! assert_eq!(d.code, "xsd.missing-element");
//! assert_eq!(d.orcid_error.map(|e| (e.http, e.code)), Some((400, 9001)));
//! assert_eq!(d.location.as_ref().map(|l| l.line), Some(1));
//!
//! // A JSON string: ORCID's rules (put-code on create is 9024).
//! let json = r#"{"put-code": 7, "title": {"title": {"value": "On ORCID"}}, "type": "BOOK",
//!   "external-ids": {"external-id": [{"external-id-type": "doi",
//!     "external-id-value": "10.1/x", "external-id-relationship": "SELF"}]}}"#;
//! let report = validate_json(json, Some(Root::WorkWork), &Context::default());
//! assert_eq!(report.diagnostics[0].code, "orcid.item.put-code-on-create");
//! assert_eq!(report.diagnostics[0].location.as_ref().unwrap().path, "/put-code");
//!
//! // A typed value: the same work is fine as an update of item 7.
//! let doc = Document::from_json(json, Some(Root::WorkWork)).unwrap();
//! let ctx = Context { operation: Operation::Update, url_put_code: Some(orcid_model::scalar::PutCode(7)), ..Context::default() };
//! assert!(validate_document(&doc, &ctx).is_valid());
//! ```

pub mod codes;
pub mod diagnostic;
pub mod json_index;
mod json_required;
pub mod orcid_codes;
pub mod rules;
mod validate;
pub mod xsd;

pub use codes::{Code, CodeInfo, SchemaCode, SCHEMA_CODES};
pub use diagnostic::{Diagnostic, Location, NodePath, OrcidError, Severity, Step};
pub use rules::{Context, Operation, Rule, RULES};
pub use validate::{
    json_pointer, validate_any_document, validate_document, validate_json, validate_str,
    validate_text, validate_xml, validate_xml_located, validate_xml_parsed, Report, XmlValidation,
    JSON_ERROR, XML_SCHEMA_ERROR,
};
pub use xsd::Positions;
