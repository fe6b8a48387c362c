//! The facets of the schema's named simple types, as data (generated into
//! [`crate::v2_1::simple_types::SIMPLE_TYPES`] and
//! [`crate::v3_0::simple_types::SIMPLE_TYPES`]); validation reads them.

/// A named XSD simple type with its facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimpleType {
    /// XSD name, e.g. `common:string-1000`.
    pub name: &'static str,
    /// Built-in base type (`string`, `integer`, `dateTime`, ...).
    pub base: &'static str,
    /// `xs:pattern`s (each derivation step's must hold).
    pub patterns: &'static [&'static str],
    /// `xs:minLength`.
    pub min_length: Option<usize>,
    /// `xs:maxLength`.
    pub max_length: Option<usize>,
    /// `xs:minInclusive`.
    pub min_inclusive: Option<&'static str>,
    /// `xs:maxInclusive`.
    pub max_inclusive: Option<&'static str>,
    /// `xs:whiteSpace` (`preserve`, `replace` or `collapse`).
    pub whitespace: &'static str,
    /// `xs:enumeration` values (empty when not an enumeration).
    pub enumeration: &'static [&'static str],
}

/// Looks a v2.1 simple type up by XSD name.
pub fn simple_type(name: &str) -> Option<&'static SimpleType> {
    simple_type_in(crate::v2_1::simple_types::SIMPLE_TYPES, name)
}

/// Looks a simple type up by XSD name in one version's table
/// (`crate::v3_0::simple_types::SIMPLE_TYPES`): the same name may have
/// other facets in another version (`common:relationship-type` is an
/// enumeration in v2.1, a plain string in v3.0).
pub fn simple_type_in(all: &'static [SimpleType], name: &str) -> Option<&'static SimpleType> {
    all.binary_search_by(|t| t.name.cmp(name))
        .ok()
        .map(|i| &all[i])
}
