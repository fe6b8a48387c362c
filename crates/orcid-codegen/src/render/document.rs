//! The generated `mod.rs`: the module list, the namespace constants
//! (`ns`), the `Root` enum of root elements and the `Document` enum that
//! holds any of them.

use std::collections::{BTreeMap, BTreeSet};

use super::{concat, esc, list, pub_fn, Renderer};
use crate::ir::{Body, FieldValue, Root};

impl Renderer<'_> {
    /// The text of `mod.rs`; `files` are the other generated files.
    pub(super) fn module_root(
        &self,
        files: &BTreeMap<String, String>,
        pinned_commit: &str,
    ) -> String {
        let mut out = String::new();
        emit!(out, "//! The ORCID v{} message model, generated from ORCID/orcid-model at `{pinned_commit}`.", self.m.rules.set().version());
        emit!(out, "//!");
        emit!(
            out,
            "//! One module per XML namespace; [`Document`] is any root element."
        );
        emit!(out, "#![allow(clippy::all, clippy::pedantic)]");
        for ns in &self.m.namespaces {
            if files.contains_key(&format!("{}.rs", ns.module)) {
                emit!(out, "pub mod {};", ns.module);
            }
        }
        emit!(out, "pub mod simple_types;");
        emit!(out, "pub mod schema_table;");
        emit!(out, "pub mod section;");
        emit!(out, "#[cfg(test)] mod arbitrary;");
        self.ns_module(&mut out);
        self.root_enum(&mut out);
        self.document_enum(&mut out);
        out
    }

    /// `pub mod ns`: a `Namespace` and an `NsMatch` per namespace, and `ALL`.
    fn ns_module(&self, out: &mut String) {
        emit!(
            out,
            "/// The XML namespaces of v{}, with ORCID's usual prefixes.",
            self.m.rules.set().version()
        );
        emit!(out, "pub mod ns {{");
        emit!(out, "use crate::xml::{{Namespace, NsMatch}};");
        for (i, ns) in self.m.namespaces.iter().enumerate() {
            let up = self.ns_upper(i);
            emit!(out, "/// `{}`.", ns.uri);
            emit!(
                out,
                "pub const {up}_NS: Namespace = Namespace {{ uri: {}, prefix: {}, id: {i} }};",
                esc(&ns.uri),
                esc(&ns.prefix)
            );
            emit!(out, "/// Matches `{}` in a reader.", ns.uri);
            emit!(out, "pub const {up}: NsMatch = NsMatch::Known({i});");
        }
        emit!(out, "/// Every namespace, indexed by `Namespace::id`.");
        emit!(
            out,
            "pub const ALL: &[Namespace] = &[{}];",
            list(0..self.m.namespaces.len(), |i| format!(
                "{}_NS",
                self.ns_upper(i)
            ))
        );
        emit!(out, "}}");
    }

    /// `match self` over the roots, one arm per root from `arm`.
    fn match_roots(&self, arm: impl FnMut(&Root) -> String) -> String {
        format!("match self {{ {} }}", concat(&self.m.roots, arm))
    }

    /// `match root`, one arm per root that reads its type with `read`
    /// (a call such as `from_xml(r, start)`) into a `Document`.
    fn read_document(&self, read: &str) -> String {
        let arms = concat(&self.m.roots, |r| {
            format!(
                "Root::{} => Document::{}(Box::new({}::{read}?)),",
                r.variant,
                r.variant,
                self.struct_path(r.struct_idx)
            )
        });
        format!("Ok(match root {{ {arms} }})")
    }

    /// `enum Root` and what each root element knows about itself.
    fn root_enum(&self, out: &mut String) {
        emit!(
            out,
            "/// A root element of a v{} document (what a JSON document does not say, R1).",
            self.m.rules.set().version()
        );
        emit!(
            out,
            "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
        );
        emit!(out, "pub enum Root {{");
        for r in &self.m.roots {
            emit!(out, "/// `{}:{}`.", self.m.namespaces[r.ns].prefix, r.local);
            emit!(out, "{},", r.variant);
        }
        emit!(out, "}}");
        emit!(out, "impl Root {{");
        emit!(out, "/// Every root element.");
        emit!(
            out,
            "pub const ALL: &'static [Root] = &[{}];",
            list(&self.m.roots, |r| format!("Root::{}", r.variant))
        );
        self.root_fns(out);
        emit!(out, "}}");
    }

    fn root_fns(&self, out: &mut String) {
        pub_fn(
            out,
            "The element's namespace.",
            "namespace(self) -> &'static crate::xml::Namespace",
            &self.match_roots(|r| {
                format!("Root::{} => &ns::{}_NS,", r.variant, self.ns_upper(r.ns))
            }),
        );
        pub_fn(
            out,
            "The element's local name.",
            "local_name(self) -> &'static str",
            &self.match_roots(|r| format!("Root::{} => {},", r.variant, esc(&r.local))),
        );
        pub_fn(
            out,
            "The keys a vnd.orcid+json object of this root may have.",
            "json_keys(self) -> &'static [&'static str]",
            &self.match_roots(|r| {
                let keys = self.json_keys(&self.m.structs[r.struct_idx]);
                format!("Root::{} => &[{}],", r.variant, list(keys, |k| esc(&k)))
            }),
        );
        pub_fn(
            out,
            "Namespaces to declare on this root when writing XML.",
            "declared_namespaces(self) -> &'static [crate::xml::Namespace]",
            &self.match_roots(|r| {
                // A root whose type lives in another namespace (a v3.0
                // `distinction:distinction` is a `common:affiliation`)
                // declares its own namespace too.
                let mut nss = self.reachable_namespaces(r.struct_idx);
                nss.insert(r.ns);
                let nss = list(nss, |n| format!("ns::{}_NS", self.ns_upper(n)));
                format!("Root::{} => &[{nss}],", r.variant)
            }),
        );
        let schemas = self.match_roots(|r| {
            format!(
                "Root::{} => g.into_root_schema_for::<{}>().to_value(),",
                r.variant,
                self.struct_path(r.struct_idx)
            )
        });
        pub_fn(
            out,
            "The JSON Schema (draft 2020-12) of this root's vnd.orcid+json documents.",
            "json_schema(self) -> serde_json::Value",
            &format!("let g = schemars::SchemaGenerator::default(); {schemas}"),
        );
        let arms = concat(&self.m.roots, |r| {
            format!(
                "(ns::{}, {}) => Some(Root::{}),",
                self.ns_upper(r.ns),
                esc(&r.local),
                r.variant
            )
        });
        pub_fn(
            out,
            "The root for a namespace and local name.",
            "from_qname(ns: crate::xml::NsMatch, local: &str) -> Option<Root>",
            &format!("match (ns, local) {{ {arms} _ => None }}"),
        );
    }

    /// `enum Document` and its dispatch to the root's type.
    fn document_enum(&self, out: &mut String) {
        emit!(
            out,
            "/// Any v{} document: one variant per root element.",
            self.m.rules.set().version()
        );
        emit!(out, "#[derive(Debug, Clone, PartialEq)]");
        emit!(out, "pub enum Document {{");
        for r in &self.m.roots {
            emit!(out, "/// `{}:{}`.", self.m.namespaces[r.ns].prefix, r.local);
            emit!(
                out,
                "{}(Box<{}>),",
                r.variant,
                self.struct_path(r.struct_idx)
            );
        }
        emit!(out, "}}");
        emit!(out, "impl Document {{");
        pub_fn(
            out,
            "Which root element this is.",
            "root(&self) -> Root",
            &self.match_roots(|r| format!("Document::{}(_) => Root::{},", r.variant, r.variant)),
        );
        emit!(
            out,
            "pub(crate) fn read_root<'a>(r: &mut crate::xml::XmlReader<'a>, root: Root, start: &crate::xml::Start<'a>) -> Result<Document, crate::xml::XmlError> {{ use crate::xml::FromXml as _; {} }}",
            self.read_document("from_xml(r, start)")
        );
        emit!(
            out,
            "pub(crate) fn write_root(&self, w: &mut crate::xml::XmlWriter) {{ use crate::xml::ToXml as _; let root = self.root(); let name = crate::xml::QName(Some(root.namespace()), root.local_name()); {} }}",
            self.match_roots(|r| format!("Document::{}(v) => v.to_xml(w, name),", r.variant))
        );
        emit!(
            out,
            "pub(crate) fn serialize_json<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{ use serde::Serialize as _; {} }}",
            self.match_roots(|r| format!("Document::{}(v) => v.serialize(s),", r.variant))
        );
        emit!(
            out,
            "pub(crate) fn deserialize_json<'de, D: serde::Deserializer<'de>>(root: Root, d: D) -> Result<Document, D::Error> {{ use serde::Deserialize as _; {} }}",
            self.read_document("deserialize(d)")
        );
        emit!(out, "}}");
    }

    /// The namespaces of every element and attribute reachable from a
    /// struct (what a root declares when writing XML).
    fn reachable_namespaces(&self, root: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut nss = BTreeSet::new();
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            let s = &self.m.structs[i];
            nss.insert(s.ns);
            for f in s.fields() {
                if let Some(n) = f.ns {
                    nss.insert(n);
                }
                if let FieldValue::Struct(c) = f.value {
                    stack.push(c);
                }
            }
            if let Body::ChoiceList(c) = &s.body {
                for (_, _, ns, si) in &c.alternatives {
                    nss.insert(*ns);
                    stack.push(*si);
                }
            }
        }
        nss
    }
}
