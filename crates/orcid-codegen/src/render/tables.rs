//! Validation tables, as data: the facets of the named simple types
//! (`simple_types.rs`) and the content models as the XSD states them
//! (`schema_table.rs`).
//!
//! Unlike the other concerns, these are built as tokens with `quote!`: the
//! code reads as the table it writes, and string literals are escaped by
//! `proc_macro2`. Numbers go through [`num`], since `quote!` would suffix
//! them (`3usize`) and so change the output.

use anyhow::Result;
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::format_file;
use crate::ir::TypeRefDef;
use crate::ir::{AttrDef, ComplexDef, ContentDef, Model, ParticleDef, SimpleRefDef, TermDef};

/// `Some(v)` or `None` as tokens.
fn opt(v: Option<impl ToTokens>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// A number without a type suffix (`quote!` writes `3usize`).
fn num(n: usize) -> Literal {
    Literal::usize_unsuffixed(n)
}

/// Renders the content models for the XSD validator.
pub fn render_schema_table(model: &Model) -> Result<String> {
    let complex = model.complex_defs.iter().map(complex_type);
    let globals = model.element_roots.iter().map(|(ns, local, ty)| {
        let (ns, ty) = (num(*ns), type_ref(ty));
        quote!((#ns, #local, #ty))
    });
    let doc = format!(
        " The v{} content models and global elements, as data for the XSD validator.",
        model.rules.set().version()
    );
    let file = quote! {
        #![doc = #doc]
        #![allow(clippy::all, clippy::pedantic)]
        use crate::schema::*;
        /// Every complex type reachable from a global element.
        pub static COMPLEX_TYPES: &[ComplexType] = &[#(#complex),*];
        /// Every global element: (namespace id, local name, type), sorted.
        pub static GLOBAL_ELEMENTS: &[(u16, &str, TypeRef)] = &[#(#globals),*];
    };
    format_file(&file.to_string(), "schema_table", model.rules.set())
}

/// Renders the facets table used by validation (one entry per named simple
/// type).
pub fn render_facets(model: &Model) -> Result<String> {
    let entries = model.simple_types.iter().map(|(name, f)| {
        let enumeration: Vec<&str> = model
            .enums
            .iter()
            .find(|e| &e.xsd_name == name)
            .map(|e| e.variants.iter().map(|v| v.1.as_str()).collect())
            .unwrap_or_default();
        let (base, patterns, whitespace) = (&f.base, &f.patterns, f.whitespace);
        let min_length = opt(f.min_length.map(num));
        let max_length = opt(f.max_length.map(num));
        let min_inclusive = opt(f.min_inclusive.as_deref());
        let max_inclusive = opt(f.max_inclusive.as_deref());
        quote! {
            SimpleType {
                name: #name,
                base: #base,
                patterns: &[#(#patterns),*],
                min_length: #min_length,
                max_length: #max_length,
                min_inclusive: #min_inclusive,
                max_inclusive: #max_inclusive,
                whitespace: #whitespace,
                enumeration: &[#(#enumeration),*],
            }
        }
    });
    let doc = format!(
        " Facets of the v{} named simple types, as data.",
        model.rules.set().version()
    );
    let file = quote! {
        #![doc = #doc]
        #![allow(clippy::all, clippy::pedantic)]
        use crate::facets::SimpleType;
        /// Every named simple type of the schema set, sorted by XSD name.
        pub const SIMPLE_TYPES: &[SimpleType] = &[#(#entries),*];
    };
    format_file(&file.to_string(), "facets", model.rules.set())
}

fn complex_type(c: &ComplexDef) -> TokenStream {
    let content = match &c.content {
        ContentDef::Empty => quote!(Content::Empty),
        ContentDef::MixedText => quote!(Content::MixedText),
        ContentDef::Text(s) => {
            let s = simple_ref(s);
            quote!(Content::Text(#s))
        }
        ContentDef::Particle(p) => {
            let p = particle(p);
            quote!(Content::Elements(&#p))
        }
    };
    let name = &c.xsd_name;
    let attributes = c.attributes.iter().map(attribute);
    quote!(ComplexType { name: #name, attributes: &[#(#attributes),*], content: #content })
}

fn attribute(a: &AttrDef) -> TokenStream {
    let (ns, local, ty, required) = (
        opt(a.ns.map(num)),
        &a.local,
        simple_ref(&a.simple),
        a.required,
    );
    quote!(AttributeDecl { ns: #ns, local: #local, ty: #ty, required: #required })
}

fn simple_ref(r: &SimpleRefDef) -> TokenStream {
    match r {
        SimpleRefDef::Builtin(b) => quote!(SimpleRef::Builtin(#b)),
        SimpleRefDef::Named(n) => quote!(SimpleRef::Named(#n)),
        SimpleRefDef::Union(m) => {
            let m = m.iter().map(simple_ref);
            quote!(SimpleRef::Union(&[#(#m),*]))
        }
    }
}

fn type_ref(t: &TypeRefDef) -> TokenStream {
    match t {
        TypeRefDef::Complex(i) => {
            let i = num(*i);
            quote!(TypeRef::Complex(#i))
        }
        TypeRefDef::Simple(s) => {
            let s = simple_ref(s);
            quote!(TypeRef::Simple(#s))
        }
    }
}

fn particle(p: &ParticleDef) -> TokenStream {
    let term = match &p.term {
        TermDef::Element { ns, local, ty } => {
            let (ns, ty) = (opt(ns.map(num)), type_ref(ty));
            quote!(Term::Element(ElementDecl { ns: #ns, local: #local, ty: #ty }))
        }
        TermDef::Sequence(c) => {
            let c = c.iter().map(particle);
            quote!(Term::Sequence(&[#(#c),*]))
        }
        TermDef::Choice(c) => {
            let c = c.iter().map(particle);
            quote!(Term::Choice(&[#(#c),*]))
        }
    };
    let (min, max) = (num(p.min), opt(p.max.map(num)));
    quote!(Particle { min: #min, max: #max, term: #term })
}
