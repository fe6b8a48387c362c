//! The project's intermediate representation of the schema, built from
//! xsd-parser's meta model. It is what the renderer turns into Rust, and the
//! only place that knows how XSD constructs map onto Rust shapes:
//!
//! * a complex type with element content becomes a struct whose fields are
//!   its attributes and its elements, nested sequences and single choices
//!   flattened (each alternative an optional field; exclusivity is a
//!   validation concern, and it is also how vnd.orcid+json spells them);
//! * a repeated choice of elements (only `bulk:bulk`) becomes a `Vec` of an
//!   enum, one variant per alternative;
//! * a complex type with simple content and no attributes becomes a plain
//!   value field; with attributes, a struct with a `value` field;
//! * enumerations become enums, the one union becomes an enum of its members;
//! * restricted string types become `String`, with their facets kept as data.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{anyhow, bail, Result};
use xsd_parser::models::meta::{
    AttributeMetaVariant, Base, ElementMetaVariant, MetaType, MetaTypeVariant, MetaTypes,
};
use xsd_parser::models::schema::xs::{FormChoiceType, Use};
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::models::{IdentType, TypeIdent};

/// One XML namespace of the schema set and the Rust module that mirrors it.
#[derive(Debug, Clone)]
pub struct Namespace {
    /// The namespace URI.
    pub uri: String,
    /// ORCID's usual prefix (`work`, `common`, `peer-review`, ...).
    pub prefix: String,
    /// Rust module name (`work`, `common`, `peer_review`, ...).
    pub module: String,
}

/// Scalars with hand-written Rust types in the model crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    /// `xs:string` and its restrictions.
    String,
    /// `xs:dateTime`.
    DateTime,
    /// `xs:anyURI`.
    Uri,
    /// `xs:integer` and friends.
    Integer,
    /// `xs:boolean`.
    Bool,
    /// `xs:decimal` (kept lexically).
    Decimal,
    /// `common:put-code`.
    PutCode,
    /// `common:year`.
    Year,
    /// `common:month`.
    Month,
    /// `common:day`.
    Day,
    /// `common:orcid-path`.
    OrcidId,
}

/// What a simple value is in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    /// A scalar; `facets` names the XSD simple type whose facets apply.
    Scalar {
        /// The Rust scalar.
        scalar: Scalar,
        /// The XSD simple type whose facets apply, if any.
        simple: Option<String>,
    },
    /// A generated enum (index into [`Model::enums`]).
    Enum(usize),
    /// A generated union enum (index into [`Model::unions`]).
    Union(usize),
}

/// Occurrence of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly one, always there (the text of a simple-content type).
    Required,
    /// Exactly one by the XSD, but held as `Option`: ORCID's Java beans can
    /// hold `null` in any property and its server writes them (`null` in
    /// JSON, no element in XML), so the readers take its absence and the
    /// writers leave it out. The XSD layer, the JSON Schema and the
    /// proptest strategies keep it required: validation still reports it
    /// in a payload about to be sent.
    Lenient,
    /// Zero or one.
    Optional,
    /// Any number (`min`, `max`; `max == None` is unbounded).
    Many {
        /// Fewest occurrences.
        min: usize,
        /// Most occurrences (`None`: unbounded).
        max: Option<usize>,
    },
}

impl Occurs {
    /// How the model holds and reads it: [`Occurs::Lenient`] as
    /// [`Occurs::Optional`], and a list with any number of items (the
    /// readers do not count; the XSD layer does).
    pub fn held(self) -> Occurs {
        match self {
            Occurs::Lenient => Occurs::Optional,
            Occurs::Many { max, .. } => Occurs::Many { min: 0, max },
            other => other,
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A generated struct (index into [`Model::structs`]).
    Struct(usize),
    /// A simple value.
    Simple(ValueType),
}

/// Where a field lives in XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An attribute.
    Attribute,
    /// A child element.
    Element,
    /// The element's own text (simple content).
    Text,
}

/// How a field is spelled in vnd.orcid+json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonShape {
    /// Not in JSON at all (R13: XML-only).
    Skip,
    /// The value's natural JSON form.
    Plain,
    /// `{"value": …}` (R4, R8).
    Wrapped,
    /// A string in XML, a JSON number (person-item `display-index`, R3).
    NumberFromString,
    /// An enum spelled as in XML rather than as the Java constant.
    XmlSpelling,
    /// One alternative of a repeated choice inside element content: its
    /// items go, as one-key objects, into the struct's one choice array
    /// (v3.0 affiliation group `summaries`).
    InChoiceArray,
    /// A wrapper element whose one repeated child JSON writes in its place,
    /// keyed by the child's name (`@XmlElementWrapper` in Java: v3.0
    /// research-resource `resource-items` -> `"resource-item": [...]`).
    Unwrapped,
}

/// One field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust field name.
    pub rust_name: String,
    /// XML local name (also the JSON key, R2).
    pub local: String,
    /// Namespace index for qualified elements/attributes.
    pub ns: Option<usize>,
    /// Attribute, element or text.
    pub kind: FieldKind,
    /// Occurrence.
    pub occurs: Occurs,
    /// The value.
    pub value: FieldValue,
    /// JSON spelling.
    pub json: JsonShape,
    /// Position in the content model (flattened); fields of one choice share
    /// the group but keep distinct positions.
    pub choice_group: Option<usize>,
}

/// A repeated choice of elements (`bulk:bulk`).
#[derive(Debug, Clone)]
pub struct ChoiceList {
    /// Rust field name of the list.
    pub rust_name: String,
    /// JSON key of the list (R2: `bulk`).
    pub json_key: String,
    /// Rust name of the item enum.
    pub item_enum: String,
    /// Alternatives: (variant name, local name, ns, struct index).
    pub alternatives: Vec<(String, String, usize, usize)>,
    /// Occurrence bounds.
    pub min: usize,
    /// Upper bound (`None`: unbounded).
    pub max: Option<usize>,
}

/// The body of a struct.
#[derive(Debug, Clone)]
pub enum Body {
    /// Element content: fields in sequence order.
    Elements(Vec<Field>),
    /// Simple content: the text field.
    Text(Field),
    /// A repeated choice.
    ChoiceList(ChoiceList),
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Stable key, e.g. `type work:work-title` or `element work:work`.
    pub key: String,
    /// XSD name for docs, e.g. `work:work-title`.
    pub xsd_name: String,
    /// Whether it is the anonymous type of a global element.
    pub is_element_type: bool,
    /// Namespace index (module).
    pub ns: usize,
    /// Rust type name.
    pub rust_name: String,
    /// Attributes.
    pub attributes: Vec<Field>,
    /// Content.
    pub body: Body,
}

impl Struct {
    /// Every field: the content's fields in sequence order, then the
    /// attributes (a repeated choice is not a field).
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        let content: &[Field] = match &self.body {
            Body::Elements(f) => f,
            Body::Text(f) => std::slice::from_ref(f),
            Body::ChoiceList(_) => &[],
        };
        content.iter().chain(&self.attributes)
    }

    /// [`Struct::fields`], mutable.
    pub fn fields_mut(&mut self) -> impl Iterator<Item = &mut Field> {
        let content: &mut [Field] = match &mut self.body {
            Body::Elements(f) => f,
            Body::Text(f) => std::slice::from_mut(f),
            Body::ChoiceList(_) => &mut [],
        };
        content.iter_mut().chain(&mut self.attributes)
    }
}

/// A generated enum of string values.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Stable key.
    pub key: String,
    /// XSD name.
    pub xsd_name: String,
    /// Namespace index.
    pub ns: usize,
    /// Rust type name.
    pub rust_name: String,
    /// (variant name, XML value, JSON value).
    pub variants: Vec<(String, String, String)>,
}

/// A generated union of enums.
#[derive(Debug, Clone)]
pub struct Union {
    /// Stable key.
    pub key: String,
    /// XSD name.
    pub xsd_name: String,
    /// Namespace index.
    pub ns: usize,
    /// Rust type name.
    pub rust_name: String,
    /// Member enums (variant name, enum index).
    pub members: Vec<(String, usize)>,
}

/// Facets of a named simple type, kept as data for validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// `xs:pattern` values (all must match, one per derivation step).
    pub patterns: Vec<String>,
    /// `xs:minLength`.
    pub min_length: Option<usize>,
    /// `xs:maxLength`.
    pub max_length: Option<usize>,
    /// `xs:minInclusive`.
    pub min_inclusive: Option<String>,
    /// `xs:maxInclusive`.
    pub max_inclusive: Option<String>,
    /// Whitespace facet (`preserve`, `replace`, `collapse`).
    pub whitespace: &'static str,
    /// The built-in base (`string`, `integer`, `dateTime`, ...).
    pub base: String,
}

/// A global element usable as a document root.
#[derive(Debug, Clone)]
pub struct Root {
    /// Namespace index.
    pub ns: usize,
    /// Local name.
    pub local: String,
    /// Struct index.
    pub struct_idx: usize,
    /// Rust variant name in the `Document` enum.
    pub variant: String,
}

/// Validation IR: a complex type with its content model as the XSD states
/// it (not flattened), for the XSD validator.
#[derive(Debug, Clone)]
pub struct ComplexDef {
    /// Stable key (as [`Struct::key`]).
    pub key: String,
    /// XSD name.
    pub xsd_name: String,
    /// Attributes.
    pub attributes: Vec<AttrDef>,
    /// Content model.
    pub content: ContentDef,
}

/// An attribute declaration.
#[derive(Debug, Clone)]
pub struct AttrDef {
    /// Namespace index for qualified attributes.
    pub ns: Option<usize>,
    /// Local name.
    pub local: String,
    /// Value type.
    pub simple: SimpleRefDef,
    /// `use="required"`.
    pub required: bool,
}

/// Content of a complex type.
#[derive(Debug, Clone)]
pub enum ContentDef {
    /// No content.
    Empty,
    /// Mixed content with no particles: any text.
    MixedText,
    /// Simple content.
    Text(SimpleRefDef),
    /// Element content.
    Particle(ParticleDef),
}

/// A particle with its occurrence.
#[derive(Debug, Clone)]
pub struct ParticleDef {
    /// minOccurs.
    pub min: usize,
    /// maxOccurs (`None`: unbounded).
    pub max: Option<usize>,
    /// What it is.
    pub term: TermDef,
}

/// A particle's term.
#[derive(Debug, Clone)]
pub enum TermDef {
    /// An element.
    Element {
        /// Namespace index (qualified elements).
        ns: Option<usize>,
        /// Local name.
        local: String,
        /// Its type.
        ty: TypeRefDef,
    },
    /// `xs:sequence` (also `xs:all`, which ORCID does not use).
    Sequence(Vec<ParticleDef>),
    /// `xs:choice`.
    Choice(Vec<ParticleDef>),
}

/// An element's type.
#[derive(Debug, Clone)]
pub enum TypeRefDef {
    /// Index into [`Model::complex_defs`].
    Complex(usize),
    /// A simple type.
    Simple(SimpleRefDef),
}

/// A simple type reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimpleRefDef {
    /// An XSD built-in (`string`, `dateTime`, `integer`, ...).
    Builtin(String),
    /// A named (or synthesised) simple type in [`Model::simple_types`].
    Named(String),
    /// A union of members.
    Union(Vec<SimpleRefDef>),
}

/// The whole model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Complex types for validation.
    pub complex_defs: Vec<ComplexDef>,
    /// Global elements for validation: (namespace, local name, type).
    pub element_roots: Vec<(usize, String, TypeRefDef)>,
    /// Namespaces (index = `ns` fields).
    pub namespaces: Vec<Namespace>,
    /// Structs.
    pub structs: Vec<Struct>,
    /// Enums.
    pub enums: Vec<Enum>,
    /// Unions.
    pub unions: Vec<Union>,
    /// Facets of named simple types, by XSD name.
    pub simple_types: BTreeMap<String, Facets>,
    /// Root elements.
    pub roots: Vec<Root>,
    /// The vnd.orcid+json rules of the model's API version.
    pub rules: crate::json_rules::Rules,
}

const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// ORCID's usual prefixes, by namespace URI.
pub const PREFIXES: &[(&str, &str)] = &[
    ("http://www.orcid.org/ns/activities", "activities"),
    ("http://www.orcid.org/ns/address", "address"),
    ("http://www.orcid.org/ns/bulk", "bulk"),
    ("http://www.orcid.org/ns/client", "client"),
    ("http://www.orcid.org/ns/common", "common"),
    ("http://www.orcid.org/ns/deprecated", "deprecated"),
    ("http://www.orcid.org/ns/education", "education"),
    ("http://www.orcid.org/ns/email", "email"),
    ("http://www.orcid.org/ns/employment", "employment"),
    ("http://www.orcid.org/ns/error", "error"),
    (
        "http://www.orcid.org/ns/external-identifier",
        "external-identifier",
    ),
    ("http://www.orcid.org/ns/funding", "funding"),
    ("http://www.orcid.org/ns/group-id", "group-id"),
    ("http://www.orcid.org/ns/history", "history"),
    ("http://www.orcid.org/ns/keyword", "keyword"),
    ("http://www.orcid.org/ns/notification", "notification"),
    ("http://www.orcid.org/ns/other-name", "other-name"),
    ("http://www.orcid.org/ns/peer-review", "peer-review"),
    ("http://www.orcid.org/ns/person", "person"),
    (
        "http://www.orcid.org/ns/personal-details",
        "personal-details",
    ),
    ("http://www.orcid.org/ns/preferences", "preferences"),
    ("http://www.orcid.org/ns/record", "record"),
    ("http://www.orcid.org/ns/researcher-url", "researcher-url"),
    ("http://www.orcid.org/ns/search", "search"),
    ("http://www.orcid.org/ns/work", "work"),
    ("http://www.orcid.org/ns/distinction", "distinction"),
    ("http://www.orcid.org/ns/expanded-search", "expanded-search"),
    (
        "http://www.orcid.org/ns/invited-position",
        "invited-position",
    ),
    ("http://www.orcid.org/ns/membership", "membership"),
    ("http://www.orcid.org/ns/qualification", "qualification"),
    (
        "http://www.orcid.org/ns/research-resource",
        "research-resource",
    ),
    ("http://www.orcid.org/ns/service", "service"),
    ("http://www.orcid.org/ns/summary", "summary"),
];

/// Rust names that differ from the XSD name, to say what things are and to
/// avoid clashing with prelude names (`Error`, `Result`).
const RUST_NAMES: &[(&str, &str)] = &[
    ("error:error", "OrcidError"),
    ("search:result", "SearchResult"),
    ("common:source-type", "Source"),
    ("common:orcid-id", "OrcidIdentifier"),
];

/// Element types that stay distinct from the type they extend because ORCID's
/// JSON gives them another shape (a Java class of their own).
const KEEP_DISTINCT: &[&str] = &["external-identifier:external-identifier"];

/// Global elements that get a struct of their own although their XSD type is
/// shared, because Java (and so JSON) gives them another class: a
/// `publication-date` is a `common:fuzzy-date` in the XSD but a
/// `PublicationDate` (with `media-type`) in JSON (R8).
const DISTINCT_ELEMENTS: &[(&str, &str)] = &[("common:publication-date", "PublicationDate")];

/// Fields whose XSD type is shared with a different JSON class: (owner,
/// element, element whose type to use instead). In the XSD a person's
/// `external-identifier` is a `common:external-id`, but Java (and so JSON)
/// uses `PersonExternalIdentifier` there, with the keys of an element summary.
const FIELD_TYPE_OVERRIDES: &[(&str, &str, &str)] = &[(
    "external-identifier:external-identifiers",
    "external-identifier",
    "external-identifier:external-identifier",
)];

/// XSD simple types that map onto hand-written scalars.
const CUSTOM_SCALARS: &[(&str, Scalar)] = &[
    ("common:put-code", Scalar::PutCode),
    ("common:year", Scalar::Year),
    ("common:month", Scalar::Month),
    ("common:day", Scalar::Day),
    ("common:orcid-path", Scalar::OrcidId),
];

/// Builds the model from xsd-parser's meta types.
pub fn build(meta: &MetaTypes, rules: &crate::json_rules::Rules) -> Result<Model> {
    let mut b = Builder {
        meta,
        rules,
        model: Model {
            rules: *rules,
            ..Model::default()
        },
        ns_map: BTreeMap::new(),
        struct_ids: BTreeMap::new(),
        enum_ids: BTreeMap::new(),
        union_ids: BTreeMap::new(),
        complex_ids: BTreeMap::new(),
    };
    b.namespaces()?;
    // Every global element whose type has element content or attributes is a
    // possible document root.
    let elements: Vec<TypeIdent> = meta
        .items
        .keys()
        .filter(|id| id.type_ == IdentType::Element && b.ns_map.contains_key(&id.ns.0))
        .cloned()
        .collect();
    for id in elements {
        let target = b.follow_element(&id)?;
        // A complex type with simple content is a field value inside other
        // types, but as a document root it is a struct with a `value`
        // (`personal-details:credit-name` is a sample root).
        let as_root = match b.struct_for_element_type(&target, id.name.as_str())? {
            Some(idx) => Some(idx),
            None if matches!(b.get(&target)?.variant, MetaTypeVariant::ComplexType(_)) => {
                Some(b.struct_of(&target)?)
            }
            None => None,
        };
        if let Some(idx) = as_root {
            let ns = b.ns_map[&id.ns.0];
            let local = id.name.as_str().to_string();
            let variant = format!(
                "{}{}",
                pascal(&b.model.namespaces[ns].prefix),
                pascal(&local)
            );
            b.model.roots.push(Root {
                ns,
                local,
                struct_idx: idx,
                variant,
            });
        }
    }
    let globals: Vec<TypeIdent> = meta
        .items
        .keys()
        .filter(|id| id.type_ == IdentType::Element && b.ns_map.contains_key(&id.ns.0))
        .cloned()
        .collect();
    for id in globals {
        let ns = b.ns_map[&id.ns.0];
        let target = b.follow_element(&id)?;
        let ty = b.type_ref(&target)?;
        b.model
            .element_roots
            .push((ns, id.name.as_str().to_string(), ty));
    }
    b.model
        .element_roots
        .sort_by(|a, c| (a.0, &a.1).cmp(&(c.0, &c.1)));
    b.model.roots.sort_by(|a, c| {
        (&b.model.namespaces[a.ns].prefix, &a.local)
            .cmp(&(&b.model.namespaces[c.ns].prefix, &c.local))
    });
    b.dedupe_names();
    b.check_json_classes()?;
    Ok(b.model)
}

struct Builder<'a> {
    meta: &'a MetaTypes,
    rules: &'a crate::json_rules::Rules,
    model: Model,
    /// xsd-parser namespace id -> our index.
    ns_map: BTreeMap<usize, usize>,
    struct_ids: BTreeMap<String, usize>,
    enum_ids: BTreeMap<String, usize>,
    union_ids: BTreeMap<String, usize>,
    complex_ids: BTreeMap<String, usize>,
}

impl<'a> Builder<'a> {
    fn namespaces(&mut self) -> Result<()> {
        let mut found = Vec::new();
        for (id, module) in &self.meta.modules {
            let Some(ns) = &module.namespace else {
                continue;
            };
            let uri = String::from_utf8_lossy(&ns.0).to_string();
            if let Some((_, prefix)) = PREFIXES.iter().find(|(u, _)| *u == uri) {
                found.push((prefix.to_string(), uri, id.0));
            }
        }
        found.sort();
        for (prefix, uri, id) in found {
            self.ns_map.insert(id, self.model.namespaces.len());
            self.model.namespaces.push(Namespace {
                module: prefix.replace('-', "_"),
                prefix,
                uri,
            });
        }
        Ok(())
    }

    fn get(&self, id: &TypeIdent) -> Result<&'a MetaType> {
        self.meta
            .items
            .get(id)
            .ok_or_else(|| anyhow!("unknown type {}", self.qname(id)))
    }

    fn is_xs(&self, id: &TypeIdent) -> bool {
        self.meta
            .modules
            .get(&id.ns)
            .and_then(|m| m.namespace.as_ref())
            .is_some_and(|ns| ns.0.as_ref() == XS_NS.as_bytes())
    }

    fn prefix_of(&self, id: &TypeIdent) -> String {
        if let Some(i) = self.ns_map.get(&id.ns.0) {
            return self.model.namespaces[*i].prefix.clone();
        }
        if self.is_xs(id) {
            return "xs".into();
        }
        format!("ns{}", id.ns.0)
    }

    fn qname(&self, id: &TypeIdent) -> String {
        format!("{}:{}", self.prefix_of(id), id.name.as_str())
    }

    fn ns_index(&self, ns: usize) -> Result<usize> {
        self.ns_map
            .get(&ns)
            .copied()
            .ok_or_else(|| anyhow!("namespace id {ns} is not an ORCID namespace"))
    }

    /// Follows `Element` references to the element's type.
    fn follow_element(&self, id: &TypeIdent) -> Result<TypeIdent> {
        let mut cur = id.clone();
        for _ in 0..16 {
            if cur.type_ != IdentType::Element {
                return Ok(cur);
            }
            match &self.get(&cur)?.variant {
                MetaTypeVariant::Reference(r) => cur = r.type_.clone(),
                _ => return Ok(cur),
            }
        }
        bail!("reference cycle at {}", self.qname(id))
    }

    /// Returns the struct index for a complex type, or `None` when the type is
    /// simple (or simple content without attributes).
    fn struct_for_element_type(
        &mut self,
        id: &TypeIdent,
        elem_local: &str,
    ) -> Result<Option<usize>> {
        let ty = self.get(id)?;
        match &ty.variant {
            MetaTypeVariant::ComplexType(c) => {
                if c.content.is_none() && c.attributes.is_empty() {
                    // A mixed type with no particles holds text only
                    // (`common:source-name`); otherwise it is an empty struct.
                    if c.is_mixed {
                        return Ok(None);
                    }
                } else if let Some(content) = &c.content {
                    if self.is_simple(content)? && c.attributes.is_empty() {
                        return Ok(None);
                    }
                }
                let _ = elem_local;
                Ok(Some(self.struct_of(id)?))
            }
            MetaTypeVariant::Reference(r) if !self.is_xs(id) => {
                let t = r.type_.clone();
                self.struct_for_element_type(&t, elem_local)
            }
            _ => Ok(None),
        }
    }

    fn is_simple(&self, id: &TypeIdent) -> Result<bool> {
        if self.is_xs(id) || id.type_ == IdentType::BuildIn {
            return Ok(true);
        }
        Ok(match &self.get(id)?.variant {
            MetaTypeVariant::SimpleType(_)
            | MetaTypeVariant::Enumeration(_)
            | MetaTypeVariant::Union(_)
            | MetaTypeVariant::BuildIn(_) => true,
            MetaTypeVariant::Reference(r) => self.is_simple(&r.type_)?,
            MetaTypeVariant::ComplexType(c) => match &c.content {
                Some(content) => c.attributes.is_empty() && self.is_simple(content)?,
                None => c.is_mixed && c.attributes.is_empty(),
            },
            _ => false,
        })
    }

    /// Resolves a simple type (or simple-content complex type) to a value type.
    fn value_type(&mut self, id: &TypeIdent) -> Result<ValueType> {
        let qn = self.qname(id);
        if let Some((_, s)) = CUSTOM_SCALARS.iter().find(|(n, _)| *n == qn) {
            self.record_facets(id)?;
            return Ok(ValueType::Scalar {
                scalar: *s,
                simple: Some(qn),
            });
        }
        if self.is_xs(id) {
            let scalar = match id.name.as_str() {
                "dateTime" => Scalar::DateTime,
                "anyURI" => Scalar::Uri,
                "integer" | "int" | "long" | "short" | "nonNegativeInteger" | "positiveInteger" => {
                    Scalar::Integer
                }
                "boolean" => Scalar::Bool,
                "decimal" => Scalar::Decimal,
                _ => Scalar::String,
            };
            return Ok(ValueType::Scalar {
                scalar,
                simple: Some(qn),
            });
        }
        let ty = self.get(id)?;
        match &ty.variant {
            MetaTypeVariant::Enumeration(_) => Ok(ValueType::Enum(self.enum_of(id)?)),
            MetaTypeVariant::Union(u) => {
                // A union whose members are not all enumerations (3.0's
                // `iso-3166-country-or-empty` over a plain string) is the
                // value type of its first member.
                let first = u.types.0.first().map(|t| t.type_.clone());
                if let Some(first) = first {
                    if !matches!(self.value_type(&first)?, ValueType::Enum(_)) {
                        return self.value_type(&first);
                    }
                }
                Ok(ValueType::Union(self.union_of(id)?))
            }
            MetaTypeVariant::SimpleType(s) => {
                self.record_facets(id)?;
                let base = s.base.clone();
                let inner = self.value_type(&base)?;
                Ok(match inner {
                    ValueType::Scalar { scalar, .. } => {
                        // A named restriction keeps its own name for facets.
                        let simple = if id.type_ == IdentType::Type {
                            Some(qn)
                        } else {
                            None
                        };
                        ValueType::Scalar {
                            scalar,
                            simple: simple.or(Some(self.qname(&base))),
                        }
                    }
                    other => other,
                })
            }
            MetaTypeVariant::Reference(r) => {
                let t = r.type_.clone();
                let v = self.value_type(&t)?;
                // Keep the most specific named simple type for facets.
                Ok(match v {
                    ValueType::Scalar { scalar, simple }
                        if id.type_ == IdentType::Type && !self.is_xs(id) =>
                    {
                        self.record_facets(id)?;
                        ValueType::Scalar {
                            scalar,
                            simple: Some(qn).or(simple),
                        }
                    }
                    v => v,
                })
            }
            MetaTypeVariant::BuildIn(b) => {
                use xsd_parser::models::meta::BuildInMeta as B;
                let scalar = match b {
                    B::Bool => Scalar::Bool,
                    B::F32 | B::F64 => Scalar::Decimal,
                    B::Str | B::String => Scalar::String,
                    _ => Scalar::Integer,
                };
                Ok(ValueType::Scalar {
                    scalar,
                    simple: None,
                })
            }
            MetaTypeVariant::ComplexType(c) => match c.content.clone() {
                Some(content) => self.value_type(&content),
                None if c.is_mixed => Ok(ValueType::Scalar {
                    scalar: Scalar::String,
                    simple: None,
                }),
                None => bail!("{qn} has no simple content"),
            },
            _ => bail!("{qn}: unsupported simple type construct"),
        }
    }

    fn record_facets(&mut self, id: &TypeIdent) -> Result<()> {
        let qn = self.qname(id);
        if self.model.simple_types.contains_key(&qn) || self.is_xs(id) {
            return Ok(());
        }
        // Collect facets along the derivation chain: patterns accumulate (each
        // step must hold), lengths and bounds take the innermost value.
        let mut facets = Facets {
            whitespace: "preserve",
            ..Facets::default()
        };
        let mut cur = id.clone();
        for _ in 0..16 {
            if self.is_xs(&cur) {
                facets.base = cur.name.as_str().to_string();
                break;
            }
            let ty = self.get(&cur)?;
            let (constrains, next) = match &ty.variant {
                MetaTypeVariant::SimpleType(s) => (Some(&s.constrains), Some(s.base.clone())),
                MetaTypeVariant::Enumeration(e) => (Some(&e.constrains), base_of(&e.base)),
                MetaTypeVariant::Reference(r) => (None, Some(r.type_.clone())),
                MetaTypeVariant::BuildIn(b) => {
                    // xsd-parser's default typedefs map xs:integer to i32 and
                    // so on: recover the XSD built-in.
                    use xsd_parser::models::meta::BuildInMeta as B;
                    if facets.base.is_empty() {
                        facets.base = match b {
                            B::Bool => "boolean",
                            B::F32 | B::F64 => "decimal",
                            B::Str | B::String => "string",
                            _ => "integer",
                        }
                        .into();
                    }
                    break;
                }
                _ => (None, None),
            };
            if let Some(c) = constrains {
                for p in &c.patterns {
                    if !facets.patterns.contains(p) {
                        facets.patterns.push(p.clone());
                    }
                }
                facets.min_length = facets.min_length.or(c.min_length);
                facets.max_length = facets.max_length.or(c.max_length);
                use std::ops::Bound;
                if facets.min_inclusive.is_none() {
                    if let Bound::Included(v) = &c.range.start {
                        facets.min_inclusive = Some(v.clone());
                    }
                }
                if facets.max_inclusive.is_none() {
                    if let Bound::Included(v) = &c.range.end {
                        facets.max_inclusive = Some(v.clone());
                    }
                }
                use xsd_parser::models::meta::WhiteSpace;
                if facets.whitespace == "preserve" {
                    facets.whitespace = match c.whitespace {
                        WhiteSpace::Preserve => "preserve",
                        WhiteSpace::Replace => "replace",
                        WhiteSpace::Collapse => "collapse",
                    };
                }
            }
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        if facets.base.is_empty() {
            facets.base = "string".into();
        }
        self.model.simple_types.insert(qn, facets);
        Ok(())
    }

    fn key_of(&self, id: &TypeIdent) -> String {
        let kind = match id.type_ {
            IdentType::ElementType | IdentType::Element => "element",
            _ => "type",
        };
        format!("{kind} {}", self.qname(id))
    }

    fn enum_of(&mut self, id: &TypeIdent) -> Result<usize> {
        let key = self.key_of(id);
        if let Some(i) = self.enum_ids.get(&key) {
            return Ok(*i);
        }
        let MetaTypeVariant::Enumeration(e) = &self.get(id)?.variant else {
            bail!("{key} is not an enumeration")
        };
        let ns = self.ns_index(id.ns.0)?;
        let xsd_name = self.qname(id);
        let spelling = self.rules.enum_spelling(&xsd_name);
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for v in &e.variants.0 {
            let xml = v.ident.name.as_str().to_string();
            let mut rust = if xml.is_empty() {
                "Empty".to_string()
            } else {
                pascal(&xml)
            };
            if rust.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                rust = format!("V{rust}");
            }
            if rust == "Self" {
                rust = "Self_".into();
            }
            while !seen.insert(rust.clone()) {
                rust.push('_');
            }
            let json = crate::json_rules::json_enum_value(&xml, spelling);
            variants.push((rust, xml, json));
        }
        let idx = self.model.enums.len();
        self.model.enums.push(Enum {
            key: key.clone(),
            xsd_name: xsd_name.clone(),
            ns,
            rust_name: pascal(id.name.as_str()),
            variants,
        });
        self.enum_ids.insert(key, idx);
        self.record_facets(id)?;
        Ok(idx)
    }

    fn union_of(&mut self, id: &TypeIdent) -> Result<usize> {
        let key = self.key_of(id);
        if let Some(i) = self.union_ids.get(&key) {
            return Ok(*i);
        }
        let MetaTypeVariant::Union(u) = &self.get(id)?.variant else {
            bail!("{key} is not a union")
        };
        let members_ids: Vec<TypeIdent> = u.types.0.iter().map(|t| t.type_.clone()).collect();
        let mut members = Vec::new();
        for m in members_ids {
            match self.value_type(&m)? {
                ValueType::Enum(e) => members.push((self.model.enums[e].rust_name.clone(), e)),
                other => bail!("{key}: union member {other:?} is not an enumeration"),
            }
        }
        let ns = self.ns_index(id.ns.0)?;
        let idx = self.model.unions.len();
        self.model.unions.push(Union {
            key: key.clone(),
            xsd_name: self.qname(id),
            ns,
            rust_name: pascal(id.name.as_str()),
            members,
        });
        self.union_ids.insert(key, idx);
        Ok(idx)
    }

    /// An element declared as `<xs:complexType><xs:complexContent>
    /// <xs:extension base="T"/>` adds nothing to `T`: it is the same type.
    fn empty_extension_base(&self, id: &TypeIdent) -> Result<Option<TypeIdent>> {
        if id.type_ != IdentType::ElementType || KEEP_DISTINCT.contains(&self.qname(id).as_str()) {
            return Ok(None);
        }
        let MetaTypeVariant::ComplexType(c) = &self.get(id)?.variant else {
            return Ok(None);
        };
        let Base::Extension(base) = &c.base else {
            return Ok(None);
        };
        let Ok(MetaTypeVariant::ComplexType(b)) = self.get(base).map(|t| &t.variant) else {
            return Ok(None);
        };
        if c.attributes.len() != b.attributes.len() {
            return Ok(None);
        }
        let names = |content: &Option<TypeIdent>| -> Result<Vec<String>> {
            let Some(content) = content else {
                return Ok(vec![]);
            };
            Ok(match &self.get(content)?.variant {
                MetaTypeVariant::Sequence(g)
                | MetaTypeVariant::Choice(g)
                | MetaTypeVariant::All(g) => g
                    .elements
                    .0
                    .iter()
                    .map(|e| e.ident.name.as_str().to_string())
                    .collect(),
                _ => vec![format!("{content:?}")],
            })
        };
        if names(&c.content)? == names(&b.content)? {
            Ok(Some(base.clone()))
        } else {
            Ok(None)
        }
    }

    fn struct_of(&mut self, id: &TypeIdent) -> Result<usize> {
        let key = self.key_of(id);
        if let Some(i) = self.struct_ids.get(&key) {
            return Ok(*i);
        }
        if let Some(base) = self.empty_extension_base(id)? {
            let idx = self.struct_of(&base)?;
            self.struct_ids.insert(key, idx);
            return Ok(idx);
        }
        let xsd_name = self.qname(id);
        let rust_name = RUST_NAMES
            .iter()
            .find(|(x, _)| *x == xsd_name)
            .map_or_else(|| pascal(id.name.as_str()), |(_, r)| (*r).to_string());
        self.struct_as(
            id,
            key,
            xsd_name,
            rust_name,
            id.type_ == IdentType::ElementType,
        )
    }

    /// Builds the struct for complex type `id` under the given identity.
    fn struct_as(
        &mut self,
        id: &TypeIdent,
        key: String,
        xsd_name: String,
        rust_name: String,
        is_element_type: bool,
    ) -> Result<usize> {
        let ty = self.get(id)?;
        let MetaTypeVariant::ComplexType(c) = &ty.variant else {
            bail!("{key} is not a complex type")
        };
        let ns = self.ns_index(id.ns.0)?;
        // Reserve the index first (recursive types).
        let idx = self.model.structs.len();
        self.model.structs.push(Struct {
            key: key.clone(),
            xsd_name: xsd_name.clone(),
            is_element_type,
            ns,
            rust_name,
            attributes: vec![],
            body: Body::Elements(vec![]),
        });
        self.struct_ids.insert(key.clone(), idx);

        let mut attributes = Vec::new();
        for a in c.attributes.iter() {
            let AttributeMetaVariant::Type(t) = &a.variant else {
                bail!("{key}: xs:anyAttribute is not supported")
            };
            let local = a.ident.name.as_str().to_string();
            let qualified = a.form == FormChoiceType::Qualified;
            let value = self.value_type(t)?;
            attributes.push(Field {
                rust_name: snake(&local),
                ns: if qualified {
                    Some(self.ns_index(a.ident.ns.0)?)
                } else {
                    None
                },
                local,
                kind: FieldKind::Attribute,
                occurs: if a.use_ == Use::Required {
                    Occurs::Lenient
                } else {
                    Occurs::Optional
                },
                value: FieldValue::Simple(value),
                json: JsonShape::Plain,
                choice_group: None,
            });
        }

        let repeated = !matches!(c.max_occurs, MaxOccurs::Bounded(1));
        let body = match &c.content {
            None => Body::Elements(vec![]),
            Some(content) if self.is_simple(content)? => {
                let content = content.clone();
                let v = self.value_type(&content)?;
                Body::Text(Field {
                    rust_name: "value".into(),
                    local: "value".into(),
                    ns: None,
                    kind: FieldKind::Text,
                    occurs: Occurs::Required,
                    value: FieldValue::Simple(v),
                    json: JsonShape::Plain,
                    choice_group: None,
                })
            }
            Some(content) if repeated => {
                let content = content.clone();
                Body::ChoiceList(self.choice_list(
                    &xsd_name,
                    &content,
                    c.min_occurs,
                    &c.max_occurs,
                )?)
            }
            Some(content) => {
                let content = content.clone();
                let mut fields = Vec::new();
                let mut groups = 0usize;
                self.flatten(&xsd_name, &content, false, None, &mut fields, &mut groups)?;
                Body::Elements(fields)
            }
        };
        let mut s = std::mem::replace(
            &mut self.model.structs[idx],
            Struct {
                key: String::new(),
                xsd_name: String::new(),
                is_element_type: false,
                ns: 0,
                rust_name: String::new(),
                attributes: vec![],
                body: Body::Elements(vec![]),
            },
        );
        s.attributes = attributes;
        s.body = body;
        self.rules.apply(&mut s, &self.model)?;
        self.model.structs[idx] = s;
        Ok(idx)
    }

    fn choice_list(
        &mut self,
        owner: &str,
        content: &TypeIdent,
        min: usize,
        max: &MaxOccurs,
    ) -> Result<ChoiceList> {
        // Expected shape: sequence { choice { element* } }.
        let mut alts = Vec::new();
        let seq = self.get(content)?;
        let MetaTypeVariant::Sequence(g) = &seq.variant else {
            bail!("{owner}: repeated content is not a sequence")
        };
        if g.elements.0.len() != 1 {
            bail!("{owner}: repeated sequence with more than one particle is not supported");
        }
        let ElementMetaVariant::Type { type_, .. } = &g.elements.0[0].variant else {
            bail!("{owner}: bad particle")
        };
        let choice = self.get(type_)?;
        let MetaTypeVariant::Choice(cg) = &choice.variant else {
            bail!("{owner}: repeated sequence does not hold a choice")
        };
        let elems = cg.elements.0.clone();
        for e in elems {
            let ElementMetaVariant::Type { type_, .. } = &e.variant else {
                bail!("{owner}: xs:any is not supported")
            };
            let target = self.follow_element(type_)?;
            let local = e.ident.name.as_str().to_string();
            let Some(sidx) = self.struct_for_element_type(&target, &local)? else {
                bail!("{owner}: choice alternative {local} is simple")
            };
            alts.push((pascal(&local), local, self.ns_index(e.ident.ns.0)?, sidx));
        }
        let (json_key, item_enum) = self.rules.choice_list_names(owner);
        Ok(ChoiceList {
            rust_name: snake(&json_key),
            json_key,
            item_enum,
            alternatives: alts,
            min,
            max: match max {
                MaxOccurs::Unbounded => None,
                MaxOccurs::Bounded(n) => Some(*n),
            },
        })
    }

    /// Flattens a content group into fields.
    fn flatten(
        &mut self,
        owner: &str,
        group: &TypeIdent,
        optional: bool,
        in_choice: Option<usize>,
        out: &mut Vec<Field>,
        groups: &mut usize,
    ) -> Result<()> {
        let ty = self.get(group)?;
        let (g, is_choice) = match &ty.variant {
            MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g) => (g, false),
            MetaTypeVariant::Choice(g) => (g, true),
            _ => bail!("{}: unsupported content group", self.qname(group)),
        };
        // A field inside a sequence inside a choice belongs to that choice.
        let choice_group = if is_choice {
            *groups += 1;
            Some(*groups)
        } else {
            in_choice
        };
        let elems = g.elements.0.clone();
        for e in elems {
            let ElementMetaVariant::Type { type_, mode } = &e.variant else {
                bail!("{}: xs:any is not supported", self.qname(group))
            };
            let max = match e.max_occurs {
                MaxOccurs::Unbounded => None,
                MaxOccurs::Bounded(n) => Some(n),
            };
            let opt_here = optional || is_choice || in_choice.is_some() || e.min_occurs == 0;
            let is_group = matches!(mode, xsd_parser::models::meta::ElementMode::Group)
                || matches!(
                    self.get(type_)?.variant,
                    MetaTypeVariant::Sequence(_)
                        | MetaTypeVariant::Choice(_)
                        | MetaTypeVariant::All(_)
                );
            if is_group {
                if max != Some(1) {
                    bail!(
                        "{}: repeated nested group is not supported",
                        self.qname(group)
                    );
                }
                let t = type_.clone();
                self.flatten(owner, &t, opt_here, choice_group, out, groups)?;
                continue;
            }
            let local = e.ident.name.as_str().to_string();
            let mut target = self.follow_element(type_)?;
            if let Some((_, _, with)) = FIELD_TYPE_OVERRIDES
                .iter()
                .find(|(o, l, _)| *o == owner && *l == local)
            {
                target = self
                    .meta
                    .items
                    .keys()
                    .find(|k| k.type_ == IdentType::ElementType && self.qname(k) == *with)
                    .cloned()
                    .ok_or_else(|| anyhow!("{owner}: override type {with} not found"))?;
            }
            let element_qname = if type_.type_ == IdentType::Element {
                Some(self.qname(type_))
            } else {
                None
            };
            let value = if let Some((elem, rust)) = DISTINCT_ELEMENTS
                .iter()
                .find(|(e, _)| Some(*e) == element_qname.as_deref())
            {
                let key = format!("element {elem}");
                let idx = match self.struct_ids.get(&key) {
                    Some(i) => *i,
                    None => self.struct_as(
                        &target,
                        key,
                        (*elem).to_string(),
                        (*rust).to_string(),
                        true,
                    )?,
                };
                FieldValue::Struct(idx)
            } else {
                match self.struct_for_element_type(&target, &local)? {
                    Some(s) => FieldValue::Struct(s),
                    None => FieldValue::Simple(self.value_type(&target)?),
                }
            };
            let occurs = match max {
                Some(1) if opt_here => Occurs::Optional,
                Some(1) => Occurs::Lenient,
                _ => Occurs::Many {
                    min: if opt_here { 0 } else { e.min_occurs },
                    max,
                },
            };
            let qualified = e.form == FormChoiceType::Qualified;
            let ns = if qualified {
                Some(self.ns_index(e.ident.ns.0)?)
            } else {
                None
            };
            // The same element in two alternatives of a choice (orcid-id:
            // `(uri, path?) | path`) is one field.
            if let Some(prev) = out.iter_mut().find(|f| f.local == local && f.ns == ns) {
                if prev.value != value {
                    bail!("{owner}: element {local} appears twice with different types");
                }
                prev.occurs = match (prev.occurs, occurs) {
                    (Occurs::Lenient, Occurs::Lenient) => Occurs::Lenient,
                    (Occurs::Many { .. }, _) | (_, Occurs::Many { .. }) => {
                        bail!("{owner}: repeated element {local} in two places")
                    }
                    _ => Occurs::Optional,
                };
                continue;
            }
            out.push(Field {
                rust_name: snake(&local),
                ns,
                local,
                kind: FieldKind::Element,
                occurs,
                value,
                json: JsonShape::Plain,
                choice_group,
            });
        }
        Ok(())
    }

    /// The validation type of an element's (followed) type.
    fn type_ref(&mut self, id: &TypeIdent) -> Result<TypeRefDef> {
        if !self.is_xs(id) && id.type_ != IdentType::BuildIn {
            if let MetaTypeVariant::ComplexType(_) = &self.get(id)?.variant {
                return Ok(TypeRefDef::Complex(self.complex_def(id)?));
            }
        }
        Ok(TypeRefDef::Simple(self.simple_ref(id)?))
    }

    fn simple_ref(&mut self, id: &TypeIdent) -> Result<SimpleRefDef> {
        if self.is_xs(id) {
            return Ok(SimpleRefDef::Builtin(id.name.as_str().to_string()));
        }
        match &self.get(id)?.variant {
            MetaTypeVariant::Union(u) => {
                let members: Vec<TypeIdent> = u.types.0.iter().map(|t| t.type_.clone()).collect();
                let mut refs = Vec::new();
                for m in members {
                    refs.push(self.simple_ref(&m)?);
                }
                Ok(SimpleRefDef::Union(refs))
            }
            MetaTypeVariant::BuildIn(_) => {
                self.record_facets(id)?;
                Ok(SimpleRefDef::Named(self.qname(id)))
            }
            MetaTypeVariant::ComplexType(c) => match c.content.clone() {
                Some(content) => self.simple_ref(&content),
                None => Ok(SimpleRefDef::Builtin("string".into())),
            },
            MetaTypeVariant::Enumeration(_) => {
                // Make sure the values are in the facets table.
                self.enum_of(id)?;
                Ok(SimpleRefDef::Named(self.qname(id)))
            }
            _ => {
                self.record_facets(id)?;
                Ok(SimpleRefDef::Named(self.qname(id)))
            }
        }
    }

    fn complex_def(&mut self, id: &TypeIdent) -> Result<usize> {
        let key = self.key_of(id);
        if let Some(i) = self.complex_ids.get(&key) {
            return Ok(*i);
        }
        let MetaTypeVariant::ComplexType(c) = &self.get(id)?.variant else {
            bail!("{key} is not complex")
        };
        let c = c.clone();
        let idx = self.model.complex_defs.len();
        self.model.complex_defs.push(ComplexDef {
            key: key.clone(),
            xsd_name: self.qname(id),
            attributes: vec![],
            content: ContentDef::Empty,
        });
        self.complex_ids.insert(key, idx);
        let mut attributes = Vec::new();
        for a in c.attributes.iter() {
            let AttributeMetaVariant::Type(t) = &a.variant else {
                bail!("xs:anyAttribute is not supported")
            };
            let qualified = a.form == FormChoiceType::Qualified;
            attributes.push(AttrDef {
                ns: if qualified {
                    Some(self.ns_index(a.ident.ns.0)?)
                } else {
                    None
                },
                local: a.ident.name.as_str().to_string(),
                simple: self.simple_ref(t)?,
                required: a.use_ == Use::Required,
            });
        }
        let content = match &c.content {
            None if c.is_mixed => ContentDef::MixedText,
            None => ContentDef::Empty,
            Some(content) if self.is_simple(content)? => {
                ContentDef::Text(self.simple_ref(content)?)
            }
            Some(content) => {
                let max = match c.max_occurs {
                    MaxOccurs::Unbounded => None,
                    MaxOccurs::Bounded(n) => Some(n),
                };
                ContentDef::Particle(self.particle(content, c.min_occurs, max)?)
            }
        };
        self.model.complex_defs[idx].attributes = attributes;
        self.model.complex_defs[idx].content = content;
        Ok(idx)
    }

    fn particle(
        &mut self,
        group: &TypeIdent,
        min: usize,
        max: Option<usize>,
    ) -> Result<ParticleDef> {
        let (g, is_choice) = match &self.get(group)?.variant {
            MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g) => (g.clone(), false),
            MetaTypeVariant::Choice(g) => (g.clone(), true),
            _ => bail!("{}: unsupported content group", self.qname(group)),
        };
        let mut children = Vec::new();
        for e in &g.elements.0 {
            let ElementMetaVariant::Type { type_, mode } = &e.variant else {
                bail!("xs:any is not supported")
            };
            let emax = match e.max_occurs {
                MaxOccurs::Unbounded => None,
                MaxOccurs::Bounded(n) => Some(n),
            };
            let is_group = matches!(mode, xsd_parser::models::meta::ElementMode::Group)
                || matches!(
                    self.get(type_)?.variant,
                    MetaTypeVariant::Sequence(_)
                        | MetaTypeVariant::Choice(_)
                        | MetaTypeVariant::All(_)
                );
            if is_group {
                let t = type_.clone();
                children.push(self.particle(&t, e.min_occurs, emax)?);
                continue;
            }
            let target = self.follow_element(type_)?;
            let ty = self.type_ref(&target)?;
            let qualified = e.form == FormChoiceType::Qualified;
            children.push(ParticleDef {
                min: e.min_occurs,
                max: emax,
                term: TermDef::Element {
                    ns: if qualified {
                        Some(self.ns_index(e.ident.ns.0)?)
                    } else {
                        None
                    },
                    local: e.ident.name.as_str().to_string(),
                    ty,
                },
            });
        }
        Ok(ParticleDef {
            min,
            max,
            term: if is_choice {
                TermDef::Choice(children)
            } else {
                TermDef::Sequence(children)
            },
        })
    }

    /// Makes Rust type names unique within each module: when a named type and
    /// an element's anonymous type share a name, the named type gets `Type`.
    fn dedupe_names(&mut self) {
        let mut names: BTreeMap<(usize, String), Vec<(u8, usize)>> = BTreeMap::new();
        for (i, s) in self.model.structs.iter().enumerate() {
            names
                .entry((s.ns, s.rust_name.clone()))
                .or_default()
                .push((0, i));
        }
        for (i, e) in self.model.enums.iter().enumerate() {
            names
                .entry((e.ns, e.rust_name.clone()))
                .or_default()
                .push((1, i));
        }
        for (i, u) in self.model.unions.iter().enumerate() {
            names
                .entry((u.ns, u.rust_name.clone()))
                .or_default()
                .push((2, i));
        }
        for ((_, _), list) in names {
            if list.len() < 2 {
                continue;
            }
            for (kind, i) in list {
                match kind {
                    0 if !self.model.structs[i].is_element_type => {
                        self.model.structs[i].rust_name.push_str("Type")
                    }
                    1 => self.model.enums[i].rust_name.push_str("Enum"),
                    2 => self.model.unions[i].rust_name.push_str("Union"),
                    _ => {}
                }
            }
        }
        // Rust items with the same name as a Rust keyword-ish prelude type.
        for s in &mut self.model.structs {
            if s.rust_name == "Type" || s.rust_name == "Self" {
                s.rust_name.push_str("Value");
            }
        }
        for e in &mut self.model.enums {
            if e.rust_name == "Type" || e.rust_name == "Self" {
                e.rust_name = format!("{}Type", pascal(&self.model.namespaces[e.ns].prefix));
            }
        }
    }

    fn check_json_classes(&self) -> Result<()> {
        self.rules.check(&self.model)
    }
}

fn base_of(b: &Base) -> Option<TypeIdent> {
    match b {
        Base::None => None,
        Base::Extension(t) | Base::Restriction(t) => Some(t.clone()),
    }
}

/// `peer-review-summary` -> `PeerReviewSummary`, `zh_CN` -> `ZhCn`.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for part in s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(f) = chars.next() {
            out.push(f.to_ascii_uppercase());
            let rest: String = chars.collect();
            if rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
    }
    out
}

/// `put-code` -> `put_code`, `type` -> `r#type`.
pub fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c == '-' || c == '.' || c == ':' {
            out.push('_');
        } else if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "type" | "match" | "ref" | "self" | "move" | "use" | "mod" | "fn" | "impl" | "in"
        | "loop" => format!("r#{out}"),
        _ => out,
    }
}
