//! Shared test support: where the data is, the known-invalid upstream
//! samples, and a semantic XML comparison.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The synced upstream files (`cargo xtask sync-schemas`).
pub fn schema_cache() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/cache");
    assert!(
        dir.join("record_2.1/record-2.1.xsd").is_file(),
        "schemas/cache is empty: run `cargo xtask sync-schemas` first"
    );
    dir
}

/// The real ORCID record pair.
pub fn real_record() -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/orcid-real/v2.1");
    let read = |n: &str| {
        std::fs::read_to_string(dir.join(n))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(n).display()))
    };
    (
        read("record-0000-0003-0902-4386.xml"),
        read("record-0000-0003-0902-4386.json"),
    )
}

/// Every v2.1 upstream XML sample, relative to the cache, sorted.
pub fn v2_1_samples() -> Vec<String> {
    let root = schema_cache();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xml") {
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel.contains("_2.1/") || rel.starts_with("group-id-2.1/") {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    out
}

/// What is known to be wrong with an upstream sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownIssue {
    /// Invalid against its own XSD: our reader rejects it, and so does libxml2.
    Invalid,
    /// Valid by the XSD spec but rejected by libxml2 2.9 (xs:dateTime with
    /// surrounding whitespace, which `whiteSpace=collapse` allows): our
    /// reader accepts it, xmllint rejects the original.
    LibxmlRejectsValid,
    /// Out of scope: not a member-API payload of the model.
    OutOfScope,
}

/// The upstream samples that are not plain valid documents, in one place.
pub const KNOWN_ISSUES: &[(&str, KnownIssue, &str)] = &[
    (
        "record_2.1/samples/read_samples/fundings-2.1.xml",
        KnownIssue::Invalid,
        "uses <funding:summary> where the XSD requires <funding:funding-summary>",
    ),
    (
        "record_2.1/samples/read_samples/peer-reviews-2.1.xml",
        KnownIssue::Invalid,
        "uses <peer-review:summary> where the XSD requires <peer-review:peer-review-summary>",
    ),
    (
        "record_2.1/samples/read_samples/keyword-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "record_2.1/samples/read_samples/keywords-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "record_2.1/samples/read_samples/researcher-url-2.1.xml",
        KnownIssue::LibxmlRejectsValid,
        "last-modified-date has trailing whitespace inside an xs:dateTime",
    ),
    (
        "notification_2.1/samples/notification-custom-2.1.xml",
        KnownIssue::OutOfScope,
        "a custom notification: it reuses the element notification:notification of \
         notification-permission with another type, and is not member-writable",
    ),
];

/// The known issue of a sample, if any.
pub fn known_issue(rel: &str) -> Option<KnownIssue> {
    KNOWN_ISSUES
        .iter()
        .find(|(p, _, _)| *p == rel)
        .map(|(_, k, _)| *k)
}

/// A namespace-resolved element tree for semantic comparison.
#[derive(Debug, PartialEq, Eq)]
pub struct Node {
    pub name: (String, String),
    pub attrs: Vec<((String, String), String)>,
    pub text: String,
    pub children: Vec<Node>,
}

fn resolved(r: &ResolveResult<'_>) -> String {
    match r {
        ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
        _ => String::new(),
    }
}

/// Parses XML into a canonical tree: namespace-resolved names, attributes
/// sorted (namespace declarations and `xsi:*` dropped), text trimmed,
/// comments and PIs ignored.
pub fn canonical(xml: &str) -> Node {
    let mut r = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        let (res, ev) = r.read_resolved_event().expect("well-formed XML");
        let ns = resolved(&res);
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                let mut n = stack.pop().unwrap();
                n.text = n.text.trim().to_string();
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => return n,
                }
                continue;
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().unwrap());
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().unwrap());
                }
                continue;
            }
            Event::GeneralRef(g) => {
                if let Some(top) = stack.last_mut() {
                    match g.resolve_char_ref().unwrap() {
                        Some(c) => top.text.push(c),
                        None => top.text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&g.decode().unwrap())
                                .unwrap(),
                        ),
                    }
                }
                continue;
            }
            Event::Eof => panic!("no root element"),
            _ => continue,
        };
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.unwrap();
            if a.key.as_namespace_binding().is_some() {
                continue;
            }
            let (ares, local) = r.resolve_attribute(a.key);
            let ans = resolved(&ares);
            if ans == "http://www.w3.org/2001/XMLSchema-instance" {
                continue;
            }
            let v = a
                .decode_and_unescape_value(r.decoder())
                .unwrap()
                .into_owned();
            attrs.push((
                (ans, String::from_utf8_lossy(local.as_ref()).into_owned()),
                v,
            ));
        }
        attrs.sort();
        let node = Node {
            name: (
                ns,
                String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
            ),
            attrs,
            text: String::new(),
            children: Vec::new(),
        };
        if empty {
            match stack.last_mut() {
                Some(p) => p.children.push(node),
                None => return node,
            }
        } else {
            stack.push(node);
        }
    }
}

/// Removes `null` members recursively (absent and `null` are the same on
/// input, R10).
pub fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
