//! A minimal XML element tree for rewriting documents this crate wrote.

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// A node: an element or (unescaped) text.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// An element with its qualified name (as written, `prefix:local`).
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    /// Parses a document (as written by this crate: declared prefixes).
    pub fn parse(text: &str) -> Result<Element, String> {
        let mut r = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(s) => stack.push(Self::start(&s)?),
                Event::Empty(s) => {
                    let e = Self::start(&s)?;
                    match stack.last_mut() {
                        Some(p) => p.children.push(Node::Element(e)),
                        None => return Ok(e),
                    }
                }
                Event::End(_) => {
                    let e = stack.pop().ok_or("unbalanced end tag")?;
                    match stack.last_mut() {
                        Some(p) => p.children.push(Node::Element(e)),
                        None => return Ok(e),
                    }
                }
                Event::Text(t) => {
                    if let Some(p) = stack.last_mut() {
                        let s = t.decode().map_err(|e| e.to_string())?;
                        let s = quick_xml::escape::unescape(&s).map_err(|e| e.to_string())?;
                        p.children.push(Node::Text(s.into_owned()));
                    }
                }
                Event::GeneralRef(g) => {
                    if let Some(p) = stack.last_mut() {
                        let name = g.decode().map_err(|e| e.to_string())?;
                        let s = quick_xml::escape::unescape(&format!("&{name};"))
                            .map_err(|e| e.to_string())?
                            .into_owned();
                        p.children.push(Node::Text(s));
                    }
                }
                Event::CData(c) => {
                    if let Some(p) = stack.last_mut() {
                        let s = String::from_utf8_lossy(&c).into_owned();
                        p.children.push(Node::Text(s));
                    }
                }
                Event::Eof => return Err("no root element".into()),
                _ => {}
            }
        }
    }

    fn start(s: &BytesStart<'_>) -> Result<Element, String> {
        let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in s.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let k = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            // Written by our own writer: UTF-8 (no decoder needed, whatever
            // quick-xml's `encoding` feature says).
            let raw = std::str::from_utf8(&a.value).map_err(|e| e.to_string())?;
            let v = quick_xml::escape::unescape(raw)
                .map_err(|e| e.to_string())?
                .into_owned();
            attrs.push((k, v));
        }
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }

    /// Local part of the name.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// The text content (concatenated text children).
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// Replaces the content with `text`.
    pub fn set_text(&mut self, text: &str) {
        self.children = vec![Node::Text(text.to_owned())];
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// Writes the element as a document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new(Vec::new());
        self.write(&mut w);
        String::from_utf8(w.into_inner()).unwrap_or_default()
    }

    fn write(&self, w: &mut Writer<Vec<u8>>) {
        let mut s = BytesStart::new(self.name.as_str());
        for (k, v) in &self.attrs {
            s.push_attribute((k.as_str(), v.as_str()));
        }
        if self.children.is_empty() {
            let _ = w.write_event(Event::Empty(s));
            return;
        }
        let _ = w.write_event(Event::Start(s));
        for c in &self.children {
            match c {
                Node::Element(e) => e.write(w),
                Node::Text(t) => {
                    let _ = w.write_event(Event::Text(BytesText::new(t)));
                }
            }
        }
        let _ = w.write_event(Event::End(BytesEnd::new(self.name.as_str())));
    }
}
