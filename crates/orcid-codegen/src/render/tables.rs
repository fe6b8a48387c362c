//! Validation tables, as data: the facets of the named simple types
//! (`simple_types.rs`) and the content models as the XSD states them
//! (`schema_table.rs`).

use super::{esc, format_file, list, option_rs};
use crate::ir::TypeRefDef;
use crate::ir::{AttrDef, ComplexDef, ContentDef, Model, ParticleDef, SimpleRefDef, TermDef};
use anyhow::Result;

/// Renders the content models for the XSD validator.
pub fn render_schema_table(model: &Model) -> Result<String> {
    let mut out = String::new();
    emit!(
        out,
        "//! The v2.1 content models and global elements, as data for the XSD validator."
    );
    emit!(out, "#![allow(clippy::all, clippy::pedantic)]");
    emit!(out, "use crate::schema::*;");
    emit!(
        out,
        "/// Every complex type reachable from a global element."
    );
    emit!(out, "pub static COMPLEX_TYPES: &[ComplexType] = &[");
    for c in &model.complex_defs {
        emit!(out, "{},", complex_type_rs(c));
    }
    emit!(out, "];");
    emit!(
        out,
        "/// Every global element: (namespace id, local name, type), sorted."
    );
    emit!(
        out,
        "pub static GLOBAL_ELEMENTS: &[(u16, &str, TypeRef)] = &["
    );
    for (ns, local, ty) in &model.element_roots {
        emit!(out, "({ns}, {}, {}),", esc(local), type_ref_rs(ty));
    }
    emit!(out, "];");
    format_file(&out, "schema_table")
}

/// Renders the facets table used by validation (one entry per named simple
/// type).
pub fn render_facets(model: &Model) -> Result<String> {
    let mut out = String::new();
    emit!(out, "//! Facets of the v2.1 named simple types, as data.");
    emit!(out, "#![allow(clippy::all, clippy::pedantic)]");
    emit!(out, "use crate::facets::SimpleType;");
    emit!(
        out,
        "/// Every named simple type of the schema set, sorted by XSD name."
    );
    emit!(out, "pub const SIMPLE_TYPES: &[SimpleType] = &[");
    for (name, f) in &model.simple_types {
        let enum_values = model
            .enums
            .iter()
            .find(|e| &e.xsd_name == name)
            .map(|e| list(&e.variants, |v| esc(&v.1)))
            .unwrap_or_default();
        emit!(
            out,
            "SimpleType {{ name: {}, base: {}, patterns: &[{}], min_length: {:?}, max_length: {:?}, min_inclusive: {:?}, max_inclusive: {:?}, whitespace: {}, enumeration: &[{}] }},",
            esc(name),
            esc(&f.base),
            list(&f.patterns, |p| esc(p)),
            f.min_length,
            f.max_length,
            f.min_inclusive.as_deref(),
            f.max_inclusive.as_deref(),
            esc(f.whitespace),
            enum_values
        );
    }
    emit!(out, "];");
    format_file(&out, "facets")
}

fn complex_type_rs(c: &ComplexDef) -> String {
    let content = match &c.content {
        ContentDef::Empty => "Content::Empty".to_string(),
        ContentDef::MixedText => "Content::MixedText".to_string(),
        ContentDef::Text(s) => format!("Content::Text({})", simple_ref_rs(s)),
        ContentDef::Particle(p) => format!("Content::Elements(&{})", particle_rs(p)),
    };
    format!(
        "ComplexType {{ name: {}, attributes: &[{}], content: {content} }}",
        esc(&c.xsd_name),
        list(&c.attributes, attribute_rs)
    )
}

fn attribute_rs(a: &AttrDef) -> String {
    format!(
        "AttributeDecl {{ ns: {}, local: {}, ty: {}, required: {} }}",
        option_rs(a.ns),
        esc(&a.local),
        simple_ref_rs(&a.simple),
        a.required
    )
}

fn simple_ref_rs(r: &SimpleRefDef) -> String {
    match r {
        SimpleRefDef::Builtin(b) => format!("SimpleRef::Builtin({})", esc(b)),
        SimpleRefDef::Named(n) => format!("SimpleRef::Named({})", esc(n)),
        SimpleRefDef::Union(m) => format!("SimpleRef::Union(&[{}])", list(m, simple_ref_rs)),
    }
}

fn type_ref_rs(t: &TypeRefDef) -> String {
    match t {
        TypeRefDef::Complex(i) => format!("TypeRef::Complex({i})"),
        TypeRefDef::Simple(s) => format!("TypeRef::Simple({})", simple_ref_rs(s)),
    }
}

fn particle_rs(p: &ParticleDef) -> String {
    let term = match &p.term {
        TermDef::Element { ns, local, ty } => format!(
            "Term::Element(ElementDecl {{ ns: {}, local: {}, ty: {} }})",
            option_rs(*ns),
            esc(local),
            type_ref_rs(ty)
        ),
        TermDef::Sequence(c) => format!("Term::Sequence(&[{}])", list(c, particle_rs)),
        TermDef::Choice(c) => format!("Term::Choice(&[{}])", list(c, particle_rs)),
    };
    format!(
        "Particle {{ min: {}, max: {}, term: {term} }}",
        p.min,
        option_rs(p.max)
    )
}
