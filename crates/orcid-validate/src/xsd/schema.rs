//! The generated tables of one API version that the XSD layer runs on:
//! one [`Schema`] per [`Version`], the only place that names a version's
//! tables.

use orcid_model::facets::SimpleType;
use orcid_model::schema::{ComplexType, TypeRef};
use orcid_model::xml::Namespace;
use orcid_model::{v2_1, v3_0, Version};

/// A version's content models, global elements, namespaces and simple
/// types, with the few facts of its XSDs the generated tables do not carry.
#[derive(Debug)]
pub struct Schema {
    /// The API version.
    pub version: Version,
    /// Every complex type reachable from a global element.
    pub complex_types: &'static [ComplexType],
    /// The global elements as (namespace id, local name, type).
    pub global_elements: &'static [(u16, &'static str, TypeRef)],
    /// The namespaces, indexed by id.
    pub namespaces: &'static [Namespace],
    /// The named simple types, sorted by name.
    pub simple_types: &'static [SimpleType],
    /// Element declarations with a `default` value, as (namespace, local
    /// name, default). An element with no character or element children
    /// takes its default, which is what gets validated (XSD 1.0 Part 1
    /// §3.3.4, cvc-elt 5.1.1).
    pub element_defaults: &'static [(&'static str, &'static str, &'static str)],
    /// Named types that may stand in for a declared type through
    /// `xsi:type`, as (declared, derived): the types derived from a type
    /// some element is declared with (XSD 1.0 Part 1 §3.4.6; a complex type
    /// with simple content is validly derived from its simple base). The
    /// schemas block no substitution.
    pub xsi_type_derived: &'static [(&'static str, &'static str)],
}

/// `work:citation-type` defaults to `formatted-unspecified` in both
/// versions (work-2.1.xsd, work-3.0.xsd).
const CITATION_DEFAULT: &[(&str, &str, &str)] = &[(
    "http://www.orcid.org/ns/work",
    "citation-type",
    "formatted-unspecified",
)];

/// v2.1's schemas.
pub static V2_1: Schema = Schema {
    version: Version::V2_1,
    complex_types: v2_1::schema_table::COMPLEX_TYPES,
    global_elements: v2_1::schema_table::GLOBAL_ELEMENTS,
    namespaces: v2_1::ns::ALL,
    simple_types: v2_1::simple_types::SIMPLE_TYPES,
    element_defaults: CITATION_DEFAULT,
    xsi_type_derived: &[
        ("xs:anyURI", "common:url"),
        ("xs:boolean", "history:claimed"),
        ("xs:string", "common:amount"),
        ("common:email", "common:contributor-email"),
        ("common:email", "work:contributor-email"),
        ("common:credit-name", "personal-details:credit-name"),
    ],
};

/// v3.0's schemas.
pub static V3_0: Schema = Schema {
    version: Version::V3_0,
    complex_types: v3_0::schema_table::COMPLEX_TYPES,
    global_elements: v3_0::schema_table::GLOBAL_ELEMENTS,
    namespaces: v3_0::ns::ALL,
    simple_types: v3_0::simple_types::SIMPLE_TYPES,
    element_defaults: CITATION_DEFAULT,
    xsi_type_derived: &[
        ("xs:anyURI", "common:url"),
        ("xs:boolean", "history:claimed"),
        ("xs:string", "common:amount"),
        ("common:email", "common:contributor-email"),
        ("common:credit-name", "personal-details:credit-name"),
    ],
};

impl Schema {
    /// The tables of `version`.
    pub fn of(version: Version) -> &'static Schema {
        match version {
            Version::V2_1 => &V2_1,
            Version::V3_0 => &V3_0,
        }
    }

    /// The index of `version` among [`Version::ALL`] (for per-version
    /// caches).
    pub(crate) fn slot(&self) -> usize {
        match self.version {
            Version::V2_1 => 0,
            Version::V3_0 => 1,
        }
    }
}
