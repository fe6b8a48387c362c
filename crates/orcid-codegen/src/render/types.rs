//! Type definitions: structs with their field docs, the item enum of a
//! repeated choice, and the enums and unions of string values with their
//! spellings (`ALL`, `as_xml`, `as_json`, `from_xml`, `from_json`, `Display`).

use super::{concat, esc, list, pub_fn, Renderer};
use crate::ir::{Body, ChoiceList, Enum, Field, FieldKind, FieldValue, JsonShape, Occurs, Struct};
use crate::ir::{Union, ValueType};

impl Renderer<'_> {
    /// The struct, and the item enum of its repeated choice if it has one.
    pub(super) fn struct_def(&self, out: &mut String, s: &Struct) {
        let kind = if s.is_element_type {
            "the anonymous type of element"
        } else {
            "complex type"
        };
        emit!(out, "/// XSD {kind} `{}`.", s.xsd_name);
        emit!(out, "#[derive(Debug, Clone, PartialEq)]");
        emit!(out, "pub struct {} {{", s.rust_name);
        if let Body::ChoiceList(c) = &s.body {
            emit!(
                out,
                "/// The repeated choice of {} (JSON key `{}`, R9).",
                list(&c.alternatives, |a| format!("`{}`", a.1)),
                c.json_key
            );
            emit!(out, "pub {}: Vec<{}>,", c.rust_name, c.item_enum);
        }
        for f in s.fields() {
            emit!(out, "/// {}", self.field_doc(f));
            emit!(out, "pub {}: {},", f.rust_name, self.field_type(f));
        }
        emit!(out, "}}");
        if let Body::ChoiceList(c) = &s.body {
            self.choice_item_enum(out, s, c);
        }
    }

    fn choice_item_enum(&self, out: &mut String, s: &Struct, c: &ChoiceList) {
        emit!(out, "/// One item of [`{}::{}`].", s.rust_name, c.rust_name);
        emit!(out, "#[derive(Debug, Clone, PartialEq)]");
        emit!(out, "pub enum {} {{", c.item_enum);
        for (variant, local, ns, sidx) in &c.alternatives {
            emit!(
                out,
                "/// Element `{}:{}`.",
                self.m.namespaces[*ns].prefix,
                local
            );
            emit!(out, "{variant}(Box<{}>),", self.struct_path(*sidx));
        }
        emit!(out, "}}");
    }

    /// The doc line of a field: what the XSD says and how JSON spells it.
    fn field_doc(&self, f: &Field) -> String {
        let kind = match f.kind {
            FieldKind::Attribute => "attribute",
            FieldKind::Element => "element",
            FieldKind::Text => "text content",
        };
        let occurs = match f.occurs {
            Occurs::Required => "required".to_string(),
            Occurs::Lenient => "required; absent in some of ORCID's output".to_string(),
            Occurs::Optional => "optional".to_string(),
            Occurs::Many { min, max: None } => format!("{min}..unbounded"),
            Occurs::Many { min, max: Some(m) } => format!("{min}..{m}"),
        };
        let mut simple = String::new();
        if let FieldValue::Simple(ValueType::Scalar {
            simple: Some(s), ..
        }) = &f.value
        {
            simple = format!(", type `{s}`");
        }
        let json = match f.json {
            JsonShape::Skip => "; not in vnd.orcid+json (R13)",
            JsonShape::Wrapped => "; JSON `{\"value\": …}`",
            JsonShape::NumberFromString => "; JSON number (R3)",
            _ => "",
        };
        if f.kind == FieldKind::Text {
            return format!("Text content{simple}{json}.");
        }
        format!(
            "XSD {kind} `{}` ({occurs}{simple}){json}.",
            self.xml_qname(f)
        )
    }

    /// An XSD enumeration: the enum, `ALL` and its spellings.
    pub(super) fn enum_def(&self, out: &mut String, e: &Enum) {
        emit!(out, "/// XSD enumeration `{}`.", e.xsd_name);
        emit!(
            out,
            "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
        );
        emit!(out, "pub enum {} {{", e.rust_name);
        for (v, xml, json) in &e.variants {
            if xml == json {
                emit!(out, "/// `{xml}`.");
            } else {
                emit!(out, "/// XML `{xml}`, JSON `{json}`.");
            }
            emit!(out, "{v},");
        }
        emit!(out, "}}");
        emit!(out, "impl {} {{", e.rust_name);
        emit!(out, "/// Every value, in schema order.");
        emit!(
            out,
            "pub const ALL: &'static [Self] = &[{}];",
            list(&e.variants, |v| format!("Self::{}", v.0))
        );
        type Variant = (String, String, String);
        let to = |spelling: fn(&Variant) -> &String| {
            let arms = concat(&e.variants, |v| {
                format!("Self::{} => {},", v.0, esc(spelling(v)))
            });
            format!("match self {{ {arms} }}")
        };
        let from = |spelling: fn(&Variant) -> &String| {
            let arms = concat(&e.variants, |v| {
                format!("{} => Some(Self::{}),", esc(spelling(v)), v.0)
            });
            format!("match s {{ {arms} _ => None }}")
        };
        spelling_fns(
            out,
            [
                "The XML spelling.",
                "The vnd.orcid+json spelling (R7).",
                "Parses the XML spelling.",
                "Parses the vnd.orcid+json spelling.",
            ],
            [to(|v| &v.1), to(|v| &v.2), from(|v| &v.1), from(|v| &v.2)],
        );
        emit!(out, "}}");
    }

    /// An XSD union of enumerations: one variant per member enum.
    pub(super) fn union_def(&self, out: &mut String, u: &Union) {
        emit!(out, "/// XSD union `{}`.", u.xsd_name);
        emit!(out, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]");
        emit!(out, "pub enum {} {{", u.rust_name);
        for (v, e) in &u.members {
            emit!(out, "/// A value of `{}`.", self.m.enums[*e].xsd_name);
            emit!(out, "{v}({}),", self.enum_path(*e));
        }
        emit!(out, "}}");
        emit!(out, "impl {} {{", u.rust_name);
        let to = |method: &str| {
            let arms = concat(&u.members, |(v, _)| {
                format!("Self::{v}(x) => x.{method}(),")
            });
            format!("match self {{ {arms} }}")
        };
        let from = |method: &str| {
            let tries = concat(&u.members, |(v, e)| {
                format!(
                    "if let Some(x) = {}::{method}(s) {{ return Some(Self::{v}(x)); }}",
                    self.enum_path(*e)
                )
            });
            format!("{tries} None")
        };
        spelling_fns(
            out,
            [
                "The XML spelling.",
                "The vnd.orcid+json spelling.",
                "Parses the XML spelling (members tried in order).",
                "Parses the vnd.orcid+json spelling.",
            ],
            [
                to("as_xml"),
                to("as_json"),
                from("from_xml"),
                from("from_json"),
            ],
        );
        emit!(out, "}}");
    }
}

/// The four spelling functions of an enum or union, from their docs and
/// bodies, in the order `as_xml`, `as_json`, `from_xml`, `from_json`.
fn spelling_fns(out: &mut String, docs: [&str; 4], bodies: [String; 4]) {
    const SIGNATURES: [&str; 4] = [
        "as_xml(self) -> &'static str",
        "as_json(self) -> &'static str",
        "from_xml(s: &str) -> Option<Self>",
        "from_json(s: &str) -> Option<Self>",
    ];
    for ((doc, signature), body) in docs.iter().zip(SIGNATURES).zip(bodies) {
        pub_fn(out, doc, signature, &body);
    }
}

/// `Display` of an enum: its XML spelling.
pub(super) fn display(out: &mut String, name: &str) {
    emit!(out, "impl std::fmt::Display for {name} {{ fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{ f.write_str(self.as_xml()) }} }}");
}
