//! The XSD content models as data (generated into
//! [`crate::v2_1::schema_table`]): what the XSD validator walks. Unlike the
//! typed model, choices and nested sequences are kept as the XSD states them.

/// A simple type reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimpleRef {
    /// An XSD built-in by local name (`string`, `dateTime`, `anyURI`, ...).
    Builtin(&'static str),
    /// A named simple type in [`crate::v2_1::simple_types::SIMPLE_TYPES`].
    Named(&'static str),
    /// A union: valid when any member is.
    Union(&'static [SimpleRef]),
}

/// An element's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRef {
    /// Index into [`crate::v2_1::schema_table::COMPLEX_TYPES`].
    Complex(u16),
    /// A simple type.
    Simple(SimpleRef),
}

/// An attribute declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeDecl {
    /// Namespace id for a qualified attribute.
    pub ns: Option<u16>,
    /// Local name.
    pub local: &'static str,
    /// Value type.
    pub ty: SimpleRef,
    /// `use="required"`.
    pub required: bool,
}

/// A particle: a term with its occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Particle {
    /// minOccurs.
    pub min: u32,
    /// maxOccurs (`None`: unbounded).
    pub max: Option<u32>,
    /// The term.
    pub term: Term,
}

/// A particle's term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// An element declaration.
    Element(ElementDecl),
    /// `xs:sequence`.
    Sequence(&'static [Particle]),
    /// `xs:choice`.
    Choice(&'static [Particle]),
}

/// An element declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementDecl {
    /// Namespace id (index into [`crate::v2_1::ns::ALL`]) of a qualified element.
    pub ns: Option<u16>,
    /// Local name.
    pub local: &'static str,
    /// Its type.
    pub ty: TypeRef,
}

/// The content of a complex type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// No content at all.
    Empty,
    /// Text only (mixed, no particles).
    MixedText,
    /// Simple content of a simple type.
    Text(SimpleRef),
    /// Element content.
    Elements(&'static Particle),
}

/// A complex type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplexType {
    /// XSD name (anonymous types carry their element's name).
    pub name: &'static str,
    /// Attributes.
    pub attributes: &'static [AttributeDecl],
    /// Content.
    pub content: Content,
}
