//! The writable item sections of a record, derived from the schema, and
//! rendered as `ItemSection` into the model crate (`section.rs`).
//!
//! What the XSDs say: a section is a list element of `person:person` or of
//! `activities:activities-summary` (inside `record:record`) that holds
//! items with a `put-code` attribute, directly (person items) or as
//! summaries inside groups (activities). Its item is the global element of
//! the same namespace without the `-summary` suffix.
//!
//! What only ORCID's API says, kept here as data: which of those sections
//! the member API does not write ([`READ_ONLY_ITEMS`]), and the URL path
//! segments ([`path_segments`]).

use std::fmt::Write as _;

use anyhow::{anyhow, bail, Context, Result};

use crate::ir::{Body, FieldKind, FieldValue, Model};

/// Items with a put-code that the member API only reads: ORCID's member
/// API has no POST/PUT/DELETE for emails (ORCID-Source
/// `orcid-api-web/src/main/java/org/orcid/api/memberV2/server/MemberV2ApiServiceImplV2_1.java`
/// declares write paths for the other person items only).
pub const READ_ONLY_ITEMS: &[&str] = &["email:email"];

/// Lists whose API path is not their element's local name: the addresses
/// of a record are read at `/{orcid}/address` (ORCID-Source
/// `MemberV2ApiServiceImplV2_1`, `ADDRESS` path constant).
const LIST_PATH_EXCEPTIONS: &[(&str, &str)] = &[("address:addresses", "address")];

/// Which part of a record a section is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Inside `person:person`.
    Person,
    /// Inside `activities:activities-summary`.
    Activities,
}

/// One writable section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDef {
    /// Rust variant name (`ResearcherUrl`).
    pub variant: String,
    /// The item's local name, the section's one spelling (`researcher-url`).
    pub name: String,
    /// `Root` variant of one item (`ResearcherUrlResearcherUrl`).
    pub item_root: String,
    /// The struct of one item.
    pub item_struct: usize,
    /// `Root` variant of an item's summary, for activities.
    pub summary_root: Option<String>,
    /// `Root` variant of the list (`ResearcherUrlResearcherUrls`).
    pub list_root: String,
    /// Person or activities.
    pub part: Part,
    /// Path segment of one item (`researcher-urls`, `work`).
    pub item_path: String,
    /// Path segment of the list (`researcher-urls`, `works`, `address`).
    pub list_path: String,
}

/// The URL path segments of a section: `(item, list)`. Person items are
/// addressed under their list (`/researcher-urls/{put-code}`), activities
/// under the item's name (`/work/{put-code}`), and the list path is the
/// list element's local name unless [`LIST_PATH_EXCEPTIONS`] says otherwise.
pub fn path_segments(part: Part, item_local: &str, list_qname: &str) -> (String, String) {
    let list_local = list_qname.rsplit(':').next().unwrap_or(list_qname);
    let list = LIST_PATH_EXCEPTIONS
        .iter()
        .find(|(q, _)| *q == list_qname)
        .map_or(list_local, |(_, p)| p)
        .to_string();
    let item = match part {
        Part::Person => list.clone(),
        Part::Activities => item_local.to_string(),
    };
    (item, list)
}

/// Finds the writable sections of `model`, in the order of the record's
/// XSD (person items first, then activities).
pub fn sections(model: &Model) -> Result<Vec<SectionDef>> {
    let record = root_struct(model, "record", "record")?;
    let mut out = Vec::new();
    for (part, local) in [
        (Part::Person, "person"),
        (Part::Activities, "activities-summary"),
    ] {
        let parent = child_struct(model, record, local)
            .with_context(|| format!("record:record has no `{local}` element"))?;
        for (list_idx, list_root) in list_elements(model, parent) {
            let Some(found) = item_under(model, list_idx, list_root) else {
                continue;
            };
            if let Some(def) = section_def(model, part, list_root, found)? {
                out.push(def);
            }
        }
    }
    if out.is_empty() {
        bail!("no writable item sections found under record:record");
    }
    Ok(out)
}

/// The struct of the root `prefix:local`.
fn root_struct(model: &Model, prefix: &str, local: &str) -> Result<usize> {
    model
        .roots
        .iter()
        .find(|r| model.namespaces[r.ns].prefix == prefix && r.local == local)
        .map(|r| r.struct_idx)
        .ok_or_else(|| anyhow!("no root element {prefix}:{local}"))
}

/// The struct of the element child `local` of struct `s`.
fn child_struct(model: &Model, s: usize, local: &str) -> Option<usize> {
    match &model.structs[s].body {
        Body::Elements(fields) => fields.iter().find_map(|f| match f.value {
            FieldValue::Struct(c) if f.local == local => Some(c),
            _ => None,
        }),
        _ => None,
    }
}

/// The element children of struct `s` that are global elements: (their
/// struct, their index in `model.roots`).
fn list_elements(model: &Model, s: usize) -> Vec<(usize, usize)> {
    let Body::Elements(fields) = &model.structs[s].body else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| {
            let FieldValue::Struct(c) = f.value else {
                return None;
            };
            let root = root_index(model, f.ns?, &f.local)?;
            Some((c, root))
        })
        .collect()
}

fn root_index(model: &Model, ns: usize, local: &str) -> Option<usize> {
    model
        .roots
        .iter()
        .position(|r| r.ns == ns && r.local == local)
}

/// The global elements with a `put-code` attribute among the element
/// children of struct `s`, looking `depth` levels down (through groups),
/// in schema order.
fn items_under(model: &Model, s: usize, depth: usize, out: &mut Vec<usize>) {
    let Body::Elements(fields) = &model.structs[s].body else {
        return;
    };
    for f in fields {
        let FieldValue::Struct(c) = f.value else {
            continue;
        };
        if let Some(root) = f.ns.and_then(|ns| root_index(model, ns, &f.local)) {
            if has_put_code(model, c) {
                if !out.contains(&root) {
                    out.push(root);
                }
                continue;
            }
        }
        if depth > 1 {
            items_under(model, c, depth - 1, out);
        }
    }
}

/// The item (or summary) root of the list `list_root` whose struct is
/// `list_idx`. A v3.0 affiliation group may hold the summaries of all seven
/// affiliation types; the list's own is the one its name is the plural of
/// (`distinctions` -> `distinction-summary`).
fn item_under(model: &Model, list_idx: usize, list_root: usize) -> Option<usize> {
    let mut found = Vec::new();
    // Person items sit in the list, activity summaries in a group, and
    // v3.0 peer-review summaries in a group of duplicates inside a group.
    items_under(model, list_idx, 3, &mut found);
    if found.len() <= 1 {
        return found.first().copied();
    }
    let list_local = &model.roots[list_root].local;
    found.into_iter().find(|r| {
        let local = &model.roots[*r].local;
        let item = local.strip_suffix("-summary").unwrap_or(local);
        list_local.strip_suffix('s') == Some(item)
    })
}

fn has_put_code(model: &Model, s: usize) -> bool {
    model.structs[s]
        .attributes
        .iter()
        .any(|a| a.kind == FieldKind::Attribute && a.local == "put-code")
}

/// The section of the list `list_root` whose items (or their summaries)
/// are the root `found`; `None` when the API does not write it.
fn section_def(
    model: &Model,
    part: Part,
    list_root: usize,
    found: usize,
) -> Result<Option<SectionDef>> {
    let found = &model.roots[found];
    let ns = found.ns;
    let prefix = &model.namespaces[ns].prefix;
    let (item_local, summary) = match found.local.strip_suffix("-summary") {
        Some(item) => (item.to_string(), Some(found.variant.clone())),
        None => (found.local.clone(), None),
    };
    if READ_ONLY_ITEMS.contains(&format!("{prefix}:{item_local}").as_str()) {
        return Ok(None);
    }
    let item = model
        .roots
        .iter()
        .find(|r| r.ns == ns && r.local == item_local)
        .ok_or_else(|| anyhow!("no root element {prefix}:{item_local} for its summary"))?;
    let list = &model.roots[list_root];
    let list_qname = format!("{}:{}", model.namespaces[list.ns].prefix, list.local);
    let (item_path, list_path) = path_segments(part, &item_local, &list_qname);
    Ok(Some(SectionDef {
        variant: camel(&item_local),
        name: item_local,
        item_root: item.variant.clone(),
        item_struct: item.struct_idx,
        summary_root: summary,
        list_root: list.variant.clone(),
        part,
        item_path,
        list_path,
    }))
}

/// `peer-review` -> `PeerReview`.
fn camel(s: &str) -> String {
    s.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The fields every item carries that ORCID's server owns or sets, with
/// their Rust types: rendered as `ItemEnvelope`, one view over them for
/// every item document.
const ENVELOPE: &[(&str, &str)] = &[
    ("put_code", "Option<crate::scalar::PutCode>"),
    ("visibility", "Option<super::common::Visibility>"),
    ("source", "Option<super::common::Source>"),
    ("created_date", "Option<crate::scalar::DateTime>"),
    ("last_modified_date", "Option<crate::scalar::DateTime>"),
    ("path", "Option<String>"),
    ("display_index", "Option<String>"),
];

/// Checks that every item struct has the [`ENVELOPE`] fields.
pub fn check_envelope(model: &Model, defs: &[SectionDef]) -> Result<()> {
    for d in defs {
        let s = &model.structs[d.item_struct];
        for (name, _) in ENVELOPE {
            if !s.fields().any(|f| f.rust_name == *name) {
                bail!(
                    "item `{}` has no field `{name}` of the item envelope",
                    d.name
                );
            }
        }
    }
    Ok(())
}

/// Rust source of `ItemEnvelope` and the `Document` methods that give it.
fn render_envelope(defs: &[SectionDef]) -> String {
    let mut out = String::new();
    for (kind, r, doc) in [("Ref", "&'a ", "read"), ("Mut", "&'a mut ", "change")] {
        let _ = writeln!(
            out,
            "/// The fields of an item that ORCID's server owns or sets, to {doc} them \
             whatever the item's section.\n#[derive(Debug)]\npub struct ItemEnvelope{kind}<'a> {{"
        );
        for (name, ty) in ENVELOPE {
            let _ = writeln!(out, "/// `{name}`.\npub {name}: {r}{ty},");
        }
        out.push_str("}\n");
    }
    out.push_str("impl super::Document {\n");
    for (kind, fun, amp, doc) in [
        (
            "Ref",
            "item_envelope",
            "&",
            "The envelope of an item document; `None` for other roots.",
        ),
        (
            "Mut",
            "item_envelope_mut",
            "&mut ",
            "The envelope of an item document, to change it; `None` for other roots.",
        ),
    ] {
        let self_ref = if kind == "Ref" { "&self" } else { "&mut self" };
        let _ = writeln!(
            out,
            "/// {doc}\npub fn {fun}({self_ref}) -> Option<ItemEnvelope{kind}<'_>> {{ match self {{"
        );
        for d in defs {
            let fields: String = ENVELOPE
                .iter()
                .map(|(n, _)| format!("{n}: {amp}x.{n},"))
                .collect();
            let _ = writeln!(
                out,
                "super::Document::{}(x) => Some(ItemEnvelope{kind} {{ {fields} }}),",
                d.item_root
            );
        }
        out.push_str("_ => None, } }\n");
    }
    out.push_str("}\n");
    out
}

/// Rust source of `section.rs` (before formatting).
pub fn render(defs: &[SectionDef]) -> String {
    let mut out = String::new();
    out.push_str(
        "//! The writable item sections of a record: the lists of `person:person` and \
         `activities:activities-summary` whose items have a `put-code` and are written by \
         the member API one by one.\nuse super::Root;\n",
    );
    out.push_str(
        "/// Which part of a record a section is in.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         pub enum RecordPart {\n/// Inside `person:person`.\nPerson,\n\
         /// Inside `activities:activities-summary`.\nActivities,\n}\n",
    );
    out.push_str(
        "/// A section of a record whose items a client creates, updates and deletes one \
         by one (each has a put-code). Its one spelling is [`ItemSection::name`].\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         pub enum ItemSection {\n",
    );
    for d in defs {
        let _ = writeln!(out, "/// `{}`.\n{},", d.name, d.variant);
    }
    out.push_str("}\nimpl ItemSection {\n/// Every section, in the record's order.\n");
    out.push_str("pub const ALL: &'static [ItemSection] = &[");
    for d in defs {
        let _ = write!(out, "ItemSection::{},", d.variant);
    }
    out.push_str(
        "];\n/// The root of one item of each section, in the order of [`ItemSection::ALL`].\n",
    );
    out.push_str("pub const ROOTS: &'static [Root] = &[");
    for d in defs {
        let _ = write!(out, "Root::{},", d.item_root);
    }
    out.push_str("];\n");
    let arms = |f: &dyn Fn(&SectionDef) -> String| -> String {
        defs.iter()
            .map(|d| format!("ItemSection::{} => {},", d.variant, f(d)))
            .collect()
    };
    let q = |s: &str| format!("{s:?}");
    let methods: [(&str, &str, String); 7] = [
        (
            "The section's name: its item's local name (`work`, `researcher-url`).",
            "name(self) -> &'static str",
            arms(&|d| q(&d.name)),
        ),
        (
            "The root element of one item.",
            "root(self) -> Root",
            arms(&|d| format!("Root::{}", d.item_root)),
        ),
        (
            "The root element of an item's summary (activities only).",
            "summary_root(self) -> Option<Root>",
            arms(&|d| match &d.summary_root {
                Some(v) => format!("Some(Root::{v})"),
                None => "None".into(),
            }),
        ),
        (
            "The root element of the whole section (`activities:works`, `address:addresses`).",
            "list_root(self) -> Root",
            arms(&|d| format!("Root::{}", d.list_root)),
        ),
        (
            "Which part of a record the section is in.",
            "part(self) -> RecordPart",
            arms(&|d| format!("RecordPart::{:?}", d.part)),
        ),
        (
            "The API path segment of one item (`/{orcid}/{segment}/{put-code}`): `work`, \
             `researcher-urls`, `address`.",
            "item_path(self) -> &'static str",
            arms(&|d| q(&d.item_path)),
        ),
        (
            "The API path segment of the whole section (`/{orcid}/{segment}`): `works`, \
             `researcher-urls`, `address`.",
            "list_path(self) -> &'static str",
            arms(&|d| q(&d.list_path)),
        ),
    ];
    for (doc, sig, body) in methods {
        let _ = writeln!(
            out,
            "/// {doc}\npub const fn {sig} {{ match self {{ {body} }} }}"
        );
    }
    out.push_str(
        "/// The section whose item root is `root`.\n\
         pub fn of_root(root: Root) -> Option<ItemSection> {\n\
         ItemSection::ALL.iter().copied().find(|s| s.root() == root)\n}\n\
         /// The section named `name` (exactly [`ItemSection::name`]).\n\
         pub fn from_name(name: &str) -> Option<ItemSection> {\n\
         ItemSection::ALL.iter().copied().find(|s| s.name() == name)\n}\n}\n",
    );
    out.push_str(&render_envelope(defs));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_follow_the_api() {
        let seg = |p, i, l| path_segments(p, i, l);
        assert_eq!(
            seg(Part::Activities, "work", "activities:works"),
            ("work".into(), "works".into())
        );
        assert_eq!(
            seg(
                Part::Person,
                "researcher-url",
                "researcher-url:researcher-urls"
            ),
            ("researcher-urls".into(), "researcher-urls".into())
        );
        assert_eq!(
            seg(Part::Person, "address", "address:addresses"),
            ("address".into(), "address".into())
        );
    }

    #[test]
    fn camel_case() {
        assert_eq!(camel("peer-review"), "PeerReview");
        assert_eq!(camel("work"), "Work");
    }
}
