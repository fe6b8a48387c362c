//! The v2.1 <-> v3.0 mapping facts (after `docs/orcid-v3.md` §4), in one
//! place: element renames, enum value maps, elements v2.1 lacks, and the
//! v3.0 grouping wrappers.

use super::tree::{Element, Node};
use super::Loss;

/// Element renames, `(parent local name suffix, v2.1 name, v3.0 name)`:
/// applied to a child of an element whose local name ends with the suffix.
pub const RENAMES: &[(&str, &str, &str)] = &[
    ("work", "work:url", "common:url"),
    ("funding", "funding:url", "common:url"),
    ("funding", "funding:organization", "common:organization"),
    (
        "funding-summary",
        "funding:organization",
        "common:organization",
    ),
    ("education", "education:organization", "common:organization"),
    (
        "education",
        "education:department-name",
        "common:department-name",
    ),
    ("education", "education:role-title", "common:role-title"),
    (
        "education-summary",
        "education:organization",
        "common:organization",
    ),
    (
        "education-summary",
        "education:department-name",
        "common:department-name",
    ),
    (
        "education-summary",
        "education:role-title",
        "common:role-title",
    ),
    (
        "employment",
        "employment:organization",
        "common:organization",
    ),
    (
        "employment",
        "employment:department-name",
        "common:department-name",
    ),
    ("employment", "employment:role-title", "common:role-title"),
    (
        "employment-summary",
        "employment:organization",
        "common:organization",
    ),
    (
        "employment-summary",
        "employment:department-name",
        "common:department-name",
    ),
    (
        "employment-summary",
        "employment:role-title",
        "common:role-title",
    ),
];

/// Work types of v2.1 (its XSD enumeration).
pub const V2_1_WORK_TYPES: &[&str] = &[
    "artistic-performance",
    "book-chapter",
    "book-review",
    "book",
    "conference-abstract",
    "conference-paper",
    "conference-poster",
    "data-set",
    "dictionary-entry",
    "disclosure",
    "dissertation",
    "edited-book",
    "encyclopedia-entry",
    "invention",
    "journal-article",
    "journal-issue",
    "lecture-speech",
    "license",
    "magazine-article",
    "manual",
    "newsletter-article",
    "newspaper-article",
    "online-resource",
    "other",
    "patent",
    "registered-copyright",
    "report",
    "research-technique",
    "research-tool",
    "spin-off-company",
    "standards-and-policy",
    "supervised-student-publication",
    "technical-standard",
    "test",
    "translation",
    "trademark",
    "website",
    "working-paper",
];

/// Work (and peer-review subject) types renamed 1:1, `(v2.1, v3.0)`.
pub const TYPE_RENAMES: &[(&str, &str)] = &[("dissertation", "dissertation-thesis")];

/// CRediT roles of works with a legacy v2.1 value.
pub const WORK_CREDIT_ROLES: &[(&str, &str)] = &[
    ("writing-original-draft", "author"),
    ("writing-review-editing", "editor"),
    ("investigation", "co-investigator"),
    ("supervision", "principal-investigator"),
];

/// CRediT roles of fundings with a legacy v2.1 value.
pub const FUNDING_CREDIT_ROLES: &[(&str, &str)] = &[("supervision", "lead")];

pub use crate::values::CREDIT_PREFIX;

/// External-id relationships v2.1's XSD lacks.
pub const V3_ONLY_RELATIONSHIPS: &[&str] = &["version-of", "funded-by"];

/// Activities sections v2.1 lacks (ORCID hides them from v2 readers).
pub const V3_ONLY_SECTIONS: &[&str] = &[
    "activities:distinctions",
    "activities:invited-positions",
    "activities:memberships",
    "activities:qualifications",
    "activities:research-resources",
    "activities:services",
];

/// Notification item types of v2.1 (`notification:item-type`).
pub const V2_1_ITEM_TYPES: &[&str] = &["education", "employment", "funding", "work", "peer-review"];

/// Elements v2.1 lacks, `(parent local name, element)`; `*` is any parent.
pub const V3_ONLY_ELEMENTS: &[(&str, &str)] = &[
    ("*", "common:external-id-normalized"),
    ("*", "common:external-id-normalized-error"),
    ("*", "common:assertion-origin-orcid"),
    ("*", "common:assertion-origin-client-id"),
    ("*", "common:assertion-origin-name"),
    ("work-summary", "common:url"),
    ("work-summary", "work:journal-title"),
    ("funding-summary", "common:url"),
    ("peer-review-summary", "peer-review:reviewer-role"),
    ("peer-review-summary", "peer-review:review-type"),
    ("peer-review-summary", "peer-review:review-url"),
    ("education", "common:url"),
    ("education", "common:external-ids"),
    ("education-summary", "common:url"),
    ("education-summary", "common:external-ids"),
    ("employment", "common:url"),
    ("employment", "common:external-ids"),
    ("employment-summary", "common:url"),
    ("employment-summary", "common:external-ids"),
];

const COMMON_NS: &str = "http://www.orcid.org/ns/common";

fn ensure_common_ns(root: &mut Element) {
    if !root.attrs.iter().any(|(k, _)| k == "xmlns:common") {
        root.attrs.push(("xmlns:common".into(), COMMON_NS.into()));
    }
}

fn rename(parent: &str, name: &str, up: bool) -> Option<&'static str> {
    RENAMES.iter().find_map(|&(p, v2, v3)| {
        let (from, to) = if up { (v2, v3) } else { (v3, v2) };
        (parent == p && name == from).then_some(to)
    })
}

/// Rewrites a v2.1 tree to v3.0 in place.
/// v3.0 elements its XSD requires that a v2.1 document has no value for,
/// `(parent local name, element)`: [`super::upgrade`] refuses a document
/// that would need one. The v3.0 model reads their absence (ORCID's own
/// output leaves required properties out), so reading the upgraded
/// document would not refuse it.
pub const V3_REQUIRED_WITHOUT_V2_1_VALUE: &[(&str, &str)] = &[
    ("peer-review-summary", "peer-review:reviewer-role"),
    ("peer-review-summary", "peer-review:review-type"),
];

/// The first `(parent, element)` of [`V3_REQUIRED_WITHOUT_V2_1_VALUE`]
/// missing in the upgraded tree under `e`.
pub(crate) fn missing_v3_required(e: &Element) -> Option<(String, &'static str)> {
    if let Some((_, element)) = V3_REQUIRED_WITHOUT_V2_1_VALUE
        .iter()
        .find(|(parent, element)| e.local() == *parent && e.child(element).is_none())
    {
        return Some((e.name.clone(), element));
    }
    e.children.iter().find_map(|n| match n {
        Node::Element(c) => missing_v3_required(c),
        Node::Text(_) => None,
    })
}

/// v2.1 lists its XSD requires to hold at least one item that a downgrade
/// can empty, `(parent local name, item)`: a permission notification whose
/// items are all of v3.0-only types. [`super::downgrade`] refuses such a
/// document (the v2.1 model reads an empty list; the XSD does not).
pub const V2_1_NON_EMPTY_LISTS: &[(&str, &str)] = &[("items", "notification:item")];

/// The first `(parent, item)` of [`V2_1_NON_EMPTY_LISTS`] left empty in
/// the downgraded tree under `e`.
pub(crate) fn emptied_v2_1_list(e: &Element) -> Option<(String, &'static str)> {
    if let Some((_, item)) = V2_1_NON_EMPTY_LISTS
        .iter()
        .find(|(parent, item)| e.local() == *parent && e.child(item).is_none())
    {
        return Some((e.name.clone(), item));
    }
    e.children.iter().find_map(|n| match n {
        Node::Element(c) => emptied_v2_1_list(c),
        Node::Text(_) => None,
    })
}

pub(crate) fn upgrade_tree(root: &mut Element) {
    ensure_common_ns(root);
    up(root);
}

fn up(e: &mut Element) {
    let parent = e.local().to_owned();
    let is_type = |n: &str| n == "work:type" || n == "peer-review:subject-type";
    for c in e.children.iter_mut() {
        if let Node::Element(c) = c {
            if let Some(to) = rename(&parent, &c.name, true) {
                c.name = to.to_owned();
            }
            if is_type(&c.name) {
                let t = c.text();
                if let Some(&(_, v3)) = TYPE_RENAMES.iter().find(|(v2, _)| *v2 == t) {
                    c.set_text(v3);
                }
            }
            up(c);
        }
    }
    // v3.0 groups each affiliation summary in an affiliation-group, and
    // each peer-review summary in a peer-review-group.
    let group = match e.name.as_str() {
        "activities:educations" | "activities:employments" => Some("activities:affiliation-group"),
        "activities:group"
            if e.children.iter().any(
                |n| matches!(n, Node::Element(x) if x.name == "peer-review:peer-review-summary"),
            ) =>
        {
            Some("activities:peer-review-group")
        }
        _ => None,
    };
    if let Some(group) = group {
        let children = std::mem::take(&mut e.children);
        for c in children {
            match c {
                Node::Element(s) if s.local().ends_with("-summary") => {
                    e.children.push(Node::Element(Element {
                        name: group.into(),
                        attrs: Vec::new(),
                        children: vec![
                            Node::Element(Element {
                                name: "common:external-ids".into(),
                                attrs: Vec::new(),
                                children: Vec::new(),
                            }),
                            Node::Element(s),
                        ],
                    }))
                }
                other => e.children.push(other),
            }
        }
    }
}

/// Rewrites a v3.0 tree to v2.1 in place, recording what v2.1 cannot hold.
pub(crate) fn downgrade_tree(root: &mut Element, losses: &mut Vec<Loss>) {
    let path = format!("/{}", root.name);
    down(root, &path, losses);
    fill_url_name(root, &path, losses);
}

fn child_paths(e: &Element, base: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else {
            out.push(String::new());
            continue;
        };
        let same = |n: &Node| matches!(n, Node::Element(x) if x.name == c.name);
        let total = e.children.iter().filter(|n| same(n)).count();
        let idx = e.children[..i].iter().filter(|n| same(n)).count() + 1;
        if total > 1 {
            out.push(format!("{base}/{}[{idx}]", c.name));
        } else {
            out.push(format!("{base}/{}", c.name));
        }
    }
    out
}

fn has_items(e: &Element) -> bool {
    e.children.iter().any(|n| match n {
        Node::Element(c) => {
            c.local() != "last-modified-date" && (c.local() != "external-ids" || has_items(c))
        }
        Node::Text(t) => !t.trim().is_empty(),
    })
}

fn down(e: &mut Element, path: &str, losses: &mut Vec<Loss>) {
    let parent = e.local().to_owned();
    let paths = child_paths(e, path);
    let children = std::mem::take(&mut e.children);
    for (mut node, p) in children.into_iter().zip(paths) {
        let Node::Element(c) = &mut node else {
            e.children.push(node);
            continue;
        };
        // Whole sections and elements v2.1 lacks.
        if V3_ONLY_SECTIONS.contains(&c.name.as_str()) {
            if has_items(c) {
                losses.push(Loss {
                    path: p,
                    what: format!("section {} has no API 2.1 form", c.name),
                });
            }
            continue;
        }
        if V3_ONLY_ELEMENTS
            .iter()
            .any(|&(par, n)| (par == "*" || par == parent) && n == c.name)
        {
            if has_items(c) || c.children.is_empty() {
                losses.push(Loss {
                    path: p,
                    what: format!("{} has no API 2.1 form: dropped", c.name),
                });
            }
            continue;
        }
        if c.name == "common:external-id" {
            let rel = c.child("common:external-id-relationship").map(|r| r.text());
            if let Some(rel) = rel.filter(|r| V3_ONLY_RELATIONSHIPS.contains(&r.as_str())) {
                losses.push(Loss {
                    path: p,
                    what: format!(
                        "external id with relationship `{rel}` has no API 2.1 form: dropped"
                    ),
                });
                continue;
            }
        }
        if c.name == "notification:item" {
            let t = c
                .child("notification:item-type")
                .map(|t| t.text())
                .unwrap_or_default();
            if !V2_1_ITEM_TYPES.contains(&t.as_str()) {
                losses.push(Loss {
                    path: p,
                    what: format!("notification item of type `{t}` has no API 2.1 form: dropped"),
                });
                continue;
            }
        }
        if let Some(to) = rename(&parent, &c.name, false) {
            c.name = to.to_owned();
        }
        match c.name.as_str() {
            "work:type" | "peer-review:subject-type" => {
                let t = c.text();
                if let Some(&(v2, _)) = TYPE_RENAMES.iter().find(|(_, v3)| *v3 == t) {
                    c.set_text(v2);
                } else if !V2_1_WORK_TYPES.contains(&t.as_str()) {
                    losses.push(Loss {
                        path: p.clone(),
                        what: format!("type `{t}` has no API 2.1 value: written as `other`"),
                    });
                    c.set_text("other");
                }
            }
            "work:contributor-role" | "funding:contributor-role" => {
                let t = c.text();
                if let Some(credit) = t.strip_prefix(CREDIT_PREFIX) {
                    let credit = credit.trim_end_matches('/');
                    let table = if c.name.starts_with("work") {
                        WORK_CREDIT_ROLES
                    } else {
                        FUNDING_CREDIT_ROLES
                    };
                    match table.iter().find(|(k, _)| *k == credit) {
                        Some(&(_, legacy)) => {
                            losses.push(Loss {
                                path: p.clone(),
                                what: format!("CRediT role `{credit}` written as `{legacy}`"),
                            });
                            c.set_text(legacy);
                        }
                        None => {
                            losses.push(Loss {
                                path: p,
                                what: format!(
                                    "CRediT role `{credit}` has no API 2.1 value: dropped"
                                ),
                            });
                            continue;
                        }
                    }
                }
            }
            _ => {}
        }
        down(c, &p, losses);
        // Flatten v3.0 groupings.
        if c.name == "activities:affiliation-group" || c.name == "activities:peer-review-group" {
            for g in std::mem::take(&mut c.children) {
                match g {
                    Node::Element(x) if x.local().ends_with("-summary") => {
                        e.children.push(Node::Element(x))
                    }
                    Node::Element(x) if x.local() == "external-ids" && has_items(&x) => losses
                        .push(Loss {
                            path: format!("{p}/{}", x.name),
                            what: "group external ids have no API 2.1 form: dropped".into(),
                        }),
                    _ => {}
                }
            }
            continue;
        }
        fill_url_name(c, &p, losses);
        e.children.push(node);
    }
}

/// researcher-url: `url-name` is required in v2.1; fill it with the url.
fn fill_url_name(c: &mut Element, p: &str, losses: &mut Vec<Loss>) {
    if c.name == "researcher-url:researcher-url" && c.child("researcher-url:url-name").is_none() {
        if let Some(url) = c.child("researcher-url:url").map(|u| u.text()) {
            let at = c
                .children
                .iter()
                .position(|n| matches!(n, Node::Element(x) if x.name == "researcher-url:url"))
                .unwrap_or(0);
            c.children.insert(
                at,
                Node::Element(Element {
                    name: "researcher-url:url-name".into(),
                    attrs: Vec::new(),
                    children: vec![Node::Text(url.clone())],
                }),
            );
            losses.push(Loss {
                path: p.to_owned(),
                what: "url-name is required in API 2.1: filled with the url".into(),
            });
        }
    }
}
