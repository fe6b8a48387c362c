//! Writing XML: `ToXml` for every struct (attributes, then content in
//! sequence order).

use super::{esc, Renderer};
use crate::ir::{Body, ChoiceList, Field, FieldValue, Occurs, Struct};

impl Renderer<'_> {
    /// `impl ToXml`.
    pub(super) fn impl_to_xml(&self, out: &mut String, s: &Struct) {
        emit!(out, "impl crate::xml::ToXml for {} {{", s.rust_name);
        emit!(
            out,
            "fn to_xml(&self, w: &mut crate::xml::XmlWriter, name: crate::xml::QName) {{"
        );
        emit!(out, "w.open(name);");
        for f in &s.attributes {
            self.write_attribute(out, f);
        }
        match &s.body {
            Body::Text(f) => emit!(out, "w.text(&self.{});", f.rust_name),
            Body::ChoiceList(c) => self.write_choice_list(out, c),
            Body::Elements(fields) => {
                for f in fields {
                    self.write_element(out, f);
                }
            }
        }
        emit!(out, "w.close(name);");
        emit!(out, "}}");
        emit!(out, "}}");
    }

    /// The `Option<&Namespace>` a writer is given for a field.
    fn ns_info_opt(&self, ns: Option<usize>) -> String {
        ns.map_or("None".to_string(), |n| {
            format!("Some(&{})", self.ns_info(n))
        })
    }

    fn write_attribute(&self, out: &mut String, f: &Field) {
        let ns = self.ns_info_opt(f.ns);
        let local = esc(&f.local);
        match f.occurs.held() {
            Occurs::Required => emit!(out, "w.attribute({ns}, {local}, &self.{});", f.rust_name),
            _ => emit!(
                out,
                "if let Some(v) = &self.{} {{ w.attribute({ns}, {local}, v); }}",
                f.rust_name
            ),
        }
    }

    fn write_choice_list(&self, out: &mut String, c: &ChoiceList) {
        emit!(out, "for item in &self.{} {{", c.rust_name);
        emit!(out, "match item {{");
        for (variant, local, ns, _) in &c.alternatives {
            emit!(
                out,
                "{}::{variant}(v) => v.to_xml(w, crate::xml::QName(Some(&{}), {})),",
                c.item_enum,
                self.ns_info(*ns),
                esc(local)
            );
        }
        emit!(out, "}}");
        emit!(out, "}}");
    }

    fn write_element(&self, out: &mut String, f: &Field) {
        let qn = format!(
            "crate::xml::QName({}, {})",
            self.ns_info_opt(f.ns),
            esc(&f.local)
        );
        let write = match &f.value {
            FieldValue::Struct(_) => format!("v.to_xml(w, {qn})"),
            FieldValue::Simple(_) => format!("w.value_element({qn}, v)"),
        };
        let name = &f.rust_name;
        match f.occurs.held() {
            Occurs::Required => emit!(out, "{{ let v = &self.{name}; {write}; }}"),
            Occurs::Optional | Occurs::Lenient => {
                emit!(out, "if let Some(v) = &self.{name} {{ {write}; }}")
            }
            Occurs::Many { .. } => emit!(out, "for v in &self.{name} {{ {write}; }}"),
        }
    }
}
