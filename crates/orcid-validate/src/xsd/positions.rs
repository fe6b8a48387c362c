//! Where the elements of a validated document are, recorded cheaply while
//! streaming and turned into XPaths and node paths only when asked.
//!
//! Each element costs one entry in a vector (its parent, its name's place
//! in a shared buffer, its index among same-named siblings, its byte
//! offset) and no allocation of its own. XPaths and node paths are built
//! from these entries for findings and for look-ups, which are few.

use orcid_model::xml::Namespace;

use crate::diagnostic::{NodePath, Step};

/// No element (the root's parent, a leaf's first child, a last sibling).
const NONE: usize = usize::MAX;

/// An element's namespace, as the validator resolved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// No namespace.
    None,
    /// One of the version's namespaces (an index into its `ns::ALL`).
    Known(u16),
    /// Another namespace, or an unbound prefix.
    Other,
}

#[derive(Debug, Clone)]
struct Element {
    offset: usize,
    parent: usize,
    first_child: usize,
    next_sibling: usize,
    /// The name as written is `names[name_start..name_end]`; the local name
    /// starts at `local_start`.
    name_start: usize,
    local_start: usize,
    name_end: usize,
    ns: Ns,
    /// 0-based index among the siblings of the same name.
    index: usize,
    /// Whether the XPath and node path carry the index.
    repeatable: bool,
}

/// An element to record: its name as written (the local name starts at
/// `local_start`), namespace, index among same-named siblings, whether that
/// index shows in paths, and the byte offset of its start tag.
pub(crate) struct NewElement<'n> {
    pub name: &'n str,
    pub local_start: usize,
    pub ns: Ns,
    pub index: usize,
    pub repeatable: bool,
    pub offset: usize,
}

/// Where each element of a document is. [`Positions::get`] gives the byte
/// offset and XPath of the first element (in document order) with a given
/// node path.
#[derive(Debug, Clone)]
pub struct Positions {
    elements: Vec<Element>,
    names: String,
    /// The version's namespaces (for ORCID's prefixes in XPaths).
    namespaces: &'static [Namespace],
}

impl Default for Positions {
    fn default() -> Self {
        Positions::new(orcid_model::v2_1::ns::ALL)
    }
}

impl Positions {
    /// No elements yet, in a version whose namespaces are `namespaces`.
    pub(crate) fn new(namespaces: &'static [Namespace]) -> Self {
        Positions {
            elements: Vec::new(),
            names: String::new(),
            namespaces,
        }
    }

    /// The byte offset and XPath (with ORCID's prefixes) of the first
    /// element, in document order, whose node path is `node`.
    pub fn get(&self, node: &NodePath) -> Option<(usize, String)> {
        let e = self.find(node)?;
        Some((self.elements[e].offset, self.xpath(e)))
    }

    /// The byte offset of the first element whose node path is `node`.
    pub fn offset(&self, node: &NodePath) -> Option<usize> {
        self.find(node).map(|e| self.elements[e].offset)
    }

    /// Whether no element was recorded.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The number of elements recorded.
    pub fn len(&self) -> usize {
        self.elements.len()
    }

    /// Records an element and links it to its parent (`None` for the root);
    /// returns its id.
    pub(crate) fn push(&mut self, parent: Option<(usize, &mut usize)>, e: NewElement<'_>) -> usize {
        let id = self.elements.len();
        let name_start = self.names.len();
        self.names.push_str(e.name);
        let parent = match parent {
            Some((p, last_child)) => {
                if *last_child == NONE {
                    self.elements[p].first_child = id;
                } else {
                    self.elements[*last_child].next_sibling = id;
                }
                *last_child = id;
                p
            }
            None => NONE,
        };
        self.elements.push(Element {
            offset: e.offset,
            parent,
            first_child: NONE,
            next_sibling: NONE,
            name_start,
            local_start: name_start + e.local_start,
            name_end: self.names.len(),
            ns: e.ns,
            index: e.index,
            repeatable: e.repeatable,
        });
        id
    }

    fn written(&self, e: &Element) -> &str {
        &self.names[e.name_start..e.name_end]
    }

    fn local(&self, e: &Element) -> &str {
        &self.names[e.local_start..e.name_end]
    }

    /// The element's XPath step: `prefix:local` with ORCID's prefix (the
    /// name as written in a namespace the schemas do not know), and its
    /// 1-based index when it may repeat.
    fn push_step(&self, e: &Element, out: &mut String) {
        out.push('/');
        match e.ns {
            Ns::Known(i) => {
                out.push_str(self.namespaces[usize::from(i)].prefix);
                out.push(':');
                out.push_str(self.local(e));
            }
            Ns::None => out.push_str(self.local(e)),
            Ns::Other => out.push_str(self.written(e)),
        }
        if e.repeatable {
            out.push('[');
            out.push_str(&(e.index + 1).to_string());
            out.push(']');
        }
    }

    /// The XPath of element `id`.
    pub(crate) fn xpath(&self, id: usize) -> String {
        let mut chain = Vec::new();
        let mut e = id;
        while e != NONE {
            chain.push(e);
            e = self.elements[e].parent;
        }
        let mut out = String::new();
        for &e in chain.iter().rev() {
            self.push_step(&self.elements[e], &mut out);
        }
        out
    }

    /// The node path of element `id`: local names, and 0-based indices
    /// of the elements that may repeat.
    pub(crate) fn node(&self, id: usize) -> NodePath {
        let mut chain = Vec::new();
        let mut e = id;
        while e != NONE {
            chain.push(e);
            e = self.elements[e].parent;
        }
        let mut steps = Vec::new();
        // The root's path is empty.
        for &e in chain.iter().rev().skip(1) {
            let el = &self.elements[e];
            steps.push(Step::Key(self.local(el).to_string()));
            if el.repeatable {
                steps.push(Step::Index(el.index));
            }
        }
        NodePath(steps)
    }

    /// The first element, in document order, whose node path is `node`.
    fn find(&self, node: &NodePath) -> Option<usize> {
        if self.elements.is_empty() {
            return None;
        }
        self.find_below(0, &node.0)
    }

    /// The first element at `rest` below element `e` (itself if `rest` is
    /// empty). Children are visited in document order and each subtree
    /// comes before the next sibling, so the first match is the first in
    /// document order.
    fn find_below(&self, e: usize, rest: &[Step]) -> Option<usize> {
        let Some((Step::Key(k), after)) = rest.split_first() else {
            return rest.is_empty().then_some(e);
        };
        let mut c = self.elements[e].first_child;
        while c != NONE {
            let el = &self.elements[c];
            if self.local(el) == k {
                let below = if el.repeatable {
                    match after.split_first() {
                        Some((Step::Index(i), below)) if *i == el.index => Some(below),
                        _ => None,
                    }
                } else {
                    Some(after)
                };
                if let Some(found) = below.and_then(|b| self.find_below(c, b)) {
                    return Some(found);
                }
            }
            c = el.next_sibling;
        }
        None
    }
}
