//! The model's own test support: a semantic XML comparison and JSON null
//! stripping (paths and upstream samples come from `orcid-test-kit`).
#![allow(dead_code)]

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

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
