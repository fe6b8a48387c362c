//! Reading XML: `FromXml` for every struct (attributes, then the content
//! model, in any order of its sequence, then the required-field checks), and
//! `XmlValue` (parse and write one value) for enums and unions.

use super::{esc, Renderer};
use crate::ir::{Body, ChoiceList, Field, FieldKind, FieldValue, Occurs, Struct};

impl Renderer<'_> {
    /// `impl FromXml`: one local per field, filled while reading, then
    /// checked and moved into the struct.
    pub(super) fn impl_from_xml(&self, out: &mut String, s: &Struct) {
        emit!(out, "impl crate::xml::FromXml for {} {{", s.rust_name);
        emit!(out, "fn from_xml<'a>(r: &mut crate::xml::XmlReader<'a>, start: &crate::xml::Start<'a>) -> Result<Self, crate::xml::XmlError> {{");
        self.read_attributes(out, s);
        match &s.body {
            Body::Text(f) => emit!(
                out,
                "let {}: {} = r.read_content(start)?;",
                f.rust_name,
                self.field_inner(f)
            ),
            Body::ChoiceList(c) => self.read_choice_list(out, c),
            Body::Elements(fields) => self.read_elements(out, fields),
        }
        self.build_from_locals(out, s);
        emit!(out, "}}");
        emit!(out, "}}");
    }

    /// `let mut` for one field read from XML: a `Vec` if repeated, else an
    /// `Option` until the required check.
    fn xml_local(&self, out: &mut String, f: &Field) {
        let container = match f.occurs.held() {
            Occurs::Many { .. } => "Vec",
            _ => "Option",
        };
        let init = match f.occurs.held() {
            Occurs::Many { .. } => "Vec::new()",
            _ => "None",
        };
        emit!(
            out,
            "let mut {}: {container}<{}> = {init};",
            f.rust_name,
            self.field_inner(f)
        );
    }

    fn read_attributes(&self, out: &mut String, s: &Struct) {
        for f in &s.attributes {
            self.xml_local(out, f);
        }
        emit!(out, "for attr in r.attributes(start)? {{");
        emit!(out, "match (attr.ns, attr.local.as_ref()) {{");
        for f in &s.attributes {
            emit!(
                out,
                "({}, {}) => {{ {} = Some(r.attribute_value(start, &attr)?); }}",
                self.ns_match(f.ns),
                esc(&f.local),
                f.rust_name
            );
        }
        emit!(
            out,
            "_ => return Err(r.unexpected_attribute(start, &attr)),"
        );
        emit!(out, "}}");
        emit!(out, "}}");
    }

    /// A repeated choice: any alternative, in any order, up to `max`.
    fn read_choice_list(&self, out: &mut String, c: &ChoiceList) {
        emit!(
            out,
            "let mut {}: Vec<{}> = Vec::new();",
            c.rust_name,
            c.item_enum
        );
        emit!(out, "while let Some(child) = r.next_child(start)? {{");
        emit!(out, "match (child.ns, child.local()) {{");
        for (variant, local, ns, sidx) in &c.alternatives {
            emit!(
                out,
                "({}, {}) => {}.push({}::{variant}(Box::new(r.read_child::<{}>(&child)?))),",
                self.ns_const(*ns),
                esc(local),
                c.rust_name,
                c.item_enum,
                self.struct_path(*sidx)
            );
        }
        emit!(out, "_ => return Err(r.unexpected_element(&child)),");
        emit!(out, "}}");
        emit!(out, "}}");
        if let Some(max) = c.max {
            emit!(
                out,
                "if {}.len() > {max} {{ return Err(r.too_many(start, {}, {max})); }}",
                c.rust_name,
                esc(&c.json_key)
            );
        }
    }

    /// Element content: each child is mapped to its position in the
    /// sequence and stored in its field; one that goes back in the sequence
    /// is noted, not refused (see `XmlReader::note_out_of_order`).
    fn read_elements(&self, out: &mut String, fields: &[Field]) {
        for f in fields {
            self.xml_local(out, f);
        }
        if !fields.is_empty() {
            emit!(out, "let mut last = 0usize;");
        }
        emit!(out, "while let Some(child) = r.next_child(start)? {{");
        if fields.is_empty() {
            emit!(out, "return Err(r.unexpected_element(&child));");
        } else {
            self.element_position(out, fields);
            self.store_element(out, fields);
        }
        emit!(out, "}}");
    }

    fn element_position(&self, out: &mut String, fields: &[Field]) {
        emit!(out, "let pos: usize = match (child.ns, child.local()) {{");
        for (i, f) in fields.iter().enumerate() {
            emit!(
                out,
                "({}, {}) => {},",
                self.ns_match(f.ns),
                esc(&f.local),
                i + 1
            );
        }
        emit!(out, "_ => return Err(r.unexpected_element(&child)),");
        emit!(out, "}};");
        emit!(
            out,
            "if pos < last {{ r.note_out_of_order(&child); }} else {{ last = pos; }}"
        );
    }

    fn store_element(&self, out: &mut String, fields: &[Field]) {
        emit!(out, "match pos {{");
        for (i, f) in fields.iter().enumerate() {
            let read = match &f.value {
                FieldValue::Struct(si) => {
                    format!("r.read_child::<{}>(&child)?", self.struct_path(*si))
                }
                FieldValue::Simple(v) => {
                    format!("r.read_value::<{}>(&child)?", self.value_rust(v))
                }
            };
            let name = &f.rust_name;
            match f.occurs.held() {
                Occurs::Many { .. } => emit!(out, "{} => {name}.push({read}),", i + 1),
                _ => emit!(out, "{} => {{ if {name}.is_some() {{ return Err(r.duplicate_element(&child)); }} {name} = Some({read}); }}", i + 1),
            }
        }
        emit!(out, "_ => unreachable!(),");
        emit!(out, "}}");
    }

    /// `Ok(Self { .. })`, failing on a missing required attribute or
    /// element.
    fn build_from_locals(&self, out: &mut String, s: &Struct) {
        emit!(out, "Ok(Self {{");
        if let Body::ChoiceList(c) = &s.body {
            emit!(out, "{},", c.rust_name);
        }
        for f in s.fields() {
            let name = &f.rust_name;
            let qname = esc(&self.xml_qname(f));
            match (f.kind, f.occurs.held()) {
                (FieldKind::Text, _) => emit!(out, "{name},"),
                (_, Occurs::Required) => {
                    let what = if f.kind == FieldKind::Attribute {
                        "attribute"
                    } else {
                        "element"
                    };
                    emit!(
                        out,
                        "{name}: {name}.ok_or_else(|| r.missing(start, {}, {qname}))?,",
                        esc(what)
                    )
                }
                (_, Occurs::Many { min, .. }) if min > 0 => emit!(out, "{name}: if {name}.len() < {min} {{ return Err(r.missing(start, \"element\", {qname})); }} else {{ {name} }},"),
                _ => emit!(out, "{name},"),
            }
        }
        emit!(out, "}})");
    }
}

/// `impl XmlValue` of an enum or union: its XML spelling, and an error
/// naming the XSD type for any other text.
pub(super) fn xml_value(out: &mut String, name: &str, xsd_name: &str) {
    emit!(out, "impl crate::xml::XmlValue for {name} {{");
    emit!(out, "fn parse_xml(s: &str) -> Result<Self, crate::xml::ValueError> {{ Self::from_xml(s).ok_or_else(|| crate::xml::ValueError::not_in_enumeration(s, {})) }}", esc(xsd_name));
    emit!(
        out,
        "fn write_xml(&self, out: &mut String) {{ out.push_str(self.as_xml()) }}"
    );
    emit!(out, "}}");
}
