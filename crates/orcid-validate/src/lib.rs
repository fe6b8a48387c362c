//! Validation of ORCID API v2.1 payloads before they are sent.
//!
//! Two layers, both for `vnd.orcid+xml` and `vnd.orcid+json`:
//! 1. the XSD, complete for ORCID's schemas, in pure Rust ([`xsd`]);
//! 2. the rules ORCID's server enforces beyond the XSD, each predicting the
//!    ORCID error code ([`rules`]).
//!
//! Every finding is a [`Diagnostic`] with a stable code, a location
//! (line:column plus XPath or JSON Pointer), the predicted ORCID error and a
//! hint.

pub mod diagnostic;
pub mod orcid_codes;
pub mod rules;

pub use diagnostic::{Diagnostic, Location, NodePath, OrcidError, Severity, Step};
pub use rules::{Context, Operation, Rule, RULES};
pub mod json_index;
mod validate;
pub mod xsd;

pub use validate::{
    json_pointer, validate_document, validate_json, validate_str, validate_xml, Report, JSON_ERROR,
    XML_SCHEMA_ERROR,
};
