//! A light DOM over quick-xml: parse, mutate, serialise. Entity and
//! character references are resolved on parse and re-escaped on output,
//! so every serialised tree is well-formed XML.

use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Elem(Elem),
    Text(String),
    /// Comments, processing instructions, DOCTYPE: kept verbatim.
    Raw(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elem {
    /// The qualified name as written (`prefix:local` or `local`).
    pub name: String,
    /// Attributes as written (qualified name, unescaped value), including
    /// namespace declarations.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The XML declaration, comments and PIs before the root, verbatim.
    pub prolog: Vec<String>,
    pub root: Elem,
}

/// A path of child indices from the root (empty: the root itself).
pub type Path = Vec<usize>;

impl Elem {
    pub fn new(name: &str) -> Elem {
        Elem {
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn prefix(&self) -> Option<&str> {
        self.name.split_once(':').map(|(p, _)| p)
    }

    pub fn local(&self) -> &str {
        self.name
            .split_once(':')
            .map_or(self.name.as_str(), |(_, l)| l)
    }

    pub fn has_element_children(&self) -> bool {
        self.children.iter().any(|c| matches!(c, Node::Elem(_)))
    }

    /// The concatenated text children.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Node::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Replaces all children with one text node.
    pub fn set_text(&mut self, t: &str) {
        self.children = vec![Node::Text(t.to_string())];
    }

    /// Indices (in `children`) of element children.
    pub fn element_indices(&self) -> Vec<usize> {
        self.children
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Node::Elem(_)))
            .map(|(i, _)| i)
            .collect()
    }
}

impl Doc {
    pub fn get(&self, path: &[usize]) -> &Elem {
        let mut e = &self.root;
        for &i in path {
            e = match &e.children[i] {
                Node::Elem(c) => c,
                _ => panic!("path through a non-element"),
            };
        }
        e
    }

    pub fn get_mut(&mut self, path: &[usize]) -> &mut Elem {
        let mut e = &mut self.root;
        for &i in path {
            e = match &mut e.children[i] {
                Node::Elem(c) => c,
                _ => panic!("path through a non-element"),
            };
        }
        e
    }

    /// Every element's path, in document order (root first).
    pub fn paths(&self) -> Vec<Path> {
        fn walk(e: &Elem, here: &mut Path, out: &mut Vec<Path>) {
            out.push(here.clone());
            for (i, c) in e.children.iter().enumerate() {
                if let Node::Elem(c) = c {
                    here.push(i);
                    walk(c, here, out);
                    here.pop();
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// The namespace declarations in scope at `path` (prefix -> URI; the
    /// default namespace under the empty prefix), innermost last.
    pub fn ns_in_scope(&self, path: &[usize]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut e = &self.root;
        let push = |e: &Elem, out: &mut Vec<(String, String)>| {
            for (k, v) in &e.attrs {
                let p = if k == "xmlns" {
                    String::new()
                } else if let Some(p) = k.strip_prefix("xmlns:") {
                    p.to_string()
                } else {
                    continue;
                };
                out.retain(|(q, _)| *q != p);
                out.push((p, v.clone()));
            }
        };
        push(e, &mut out);
        for &i in path {
            e = match &e.children[i] {
                Node::Elem(c) => c,
                _ => unreachable!(),
            };
            push(e, &mut out);
        }
        out
    }

    pub fn serialize(&self) -> String {
        let mut out = String::new();
        for p in &self.prolog {
            out.push_str(p);
        }
        write_elem(&self.root, &mut out);
        out.push('\n');
        out
    }
}

fn write_elem(e: &Elem, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (k, v) in &e.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        escape(v, true, out);
        out.push('"');
    }
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for c in &e.children {
        match c {
            Node::Elem(c) => write_elem(c, out),
            Node::Text(t) => escape(t, false, out),
            Node::Raw(r) => out.push_str(r),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

/// Parses a well-formed document.
pub fn parse(text: &str) -> Result<Doc, String> {
    let mut r = Reader::from_str(text);
    r.config_mut().trim_text(false);
    let mut prolog = Vec::new();
    let mut stack: Vec<Elem> = Vec::new();
    let mut root = None;
    loop {
        let ev = r
            .read_event()
            .map_err(|e| format!("{e} at {}", r.error_position()))?;
        let raw = |open: &str, body: &[u8], close: &str| {
            format!("{open}{}{close}", String::from_utf8_lossy(body))
        };
        let node = match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let empty = matches!(ev, Event::Empty(_));
                let mut el = Elem::new(&String::from_utf8_lossy(s.name().as_ref()));
                for a in s.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let v = a
                        .decode_and_unescape_value(r.decoder())
                        .map_err(|e| e.to_string())?;
                    el.attrs.push((
                        String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                        v.into_owned(),
                    ));
                }
                if empty {
                    Some(Node::Elem(el))
                } else {
                    stack.push(el);
                    None
                }
            }
            Event::End(_) => Some(Node::Elem(stack.pop().ok_or("unbalanced end tag")?)),
            Event::Text(t) => Some(Node::Text(
                t.decode().map_err(|e| e.to_string())?.into_owned(),
            )),
            Event::CData(t) => Some(Node::Text(String::from_utf8_lossy(&t).into_owned())),
            Event::GeneralRef(g) => {
                let s = match g.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => {
                        let n = g.decode().map_err(|e| e.to_string())?;
                        quick_xml::escape::resolve_predefined_entity(&n)
                            .ok_or(format!("unknown entity {n}"))?
                            .to_string()
                    }
                };
                Some(Node::Text(s))
            }
            Event::Comment(c) => Some(Node::Raw(raw("<!--", &c, "-->"))),
            Event::PI(p) => Some(Node::Raw(raw("<?", &p, "?>"))),
            Event::Decl(d) => Some(Node::Raw(raw("<?", &d, "?>"))),
            Event::DocType(d) => Some(Node::Raw(raw("<!DOCTYPE ", &d, ">"))),
            Event::Eof => break,
        };
        let Some(node) = node else { continue };
        match stack.last_mut() {
            Some(parent) => match (parent.children.last_mut(), node) {
                // Merge adjacent text (entity references split it).
                (Some(Node::Text(prev)), Node::Text(t)) => prev.push_str(&t),
                (_, node) => parent.children.push(node),
            },
            None => match node {
                Node::Elem(_) if root.is_some() => return Err("two root elements".into()),
                Node::Elem(e) => root = Some(e),
                Node::Raw(r) if root.is_none() => prolog.push(r),
                Node::Text(t) if root.is_none() => prolog.push(t),
                _ => {}
            },
        }
    }
    if !stack.is_empty() {
        return Err("unclosed element".into());
    }
    Ok(Doc {
        prolog,
        root: root.ok_or("no root element")?,
    })
}
