//! XML reading and writing for the generated model (`application/vnd.orcid+xml`).
//!
//! The reader accepts any prefixes or a default namespace, ignores comments,
//! processing instructions and `xsi:*` attributes, and reports every problem
//! with its line, column and element path. The writer uses ORCID's usual
//! prefixes, declares every namespace once on the root element and starts
//! with an XML declaration.

use std::borrow::Cow;
use std::fmt;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::limits::{self, Refusal, MAX_ATTRIBUTES, MAX_DEPTH};

/// An XML namespace with ORCID's usual prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Namespace {
    /// The namespace URI.
    pub uri: &'static str,
    /// ORCID's usual prefix.
    pub prefix: &'static str,
    /// Index into [`crate::v2_1::ns::ALL`].
    pub id: u16,
}

/// The namespace of a name seen by the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NsMatch {
    /// No namespace.
    None,
    /// One of the v2.1 namespaces (index into [`crate::v2_1::ns::ALL`]).
    Known(u16),
    /// Some other namespace.
    Other,
}

/// A qualified name for the writer.
#[derive(Debug, Clone, Copy)]
pub struct QName(pub Option<&'static Namespace>, pub &'static str);

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XMLNS: &str = "http://www.w3.org/2000/xmlns/";

/// A value that reads from and writes to XML text.
pub trait XmlValue: Sized {
    /// Parses the lexical form.
    fn parse_xml(text: &str) -> Result<Self, ValueError>;
    /// Appends the lexical form.
    fn write_xml(&self, out: &mut String);
}

/// A complex type that reads itself from an element.
pub trait FromXml: Sized {
    /// Reads the element whose start tag is `start` (attributes and content).
    fn from_xml<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, XmlError>;
}

/// A complex type that writes itself as an element.
pub trait ToXml {
    /// Writes the element named `name`.
    fn to_xml(&self, w: &mut XmlWriter, name: QName);
}

/// Why a lexical value was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError(pub String);

impl ValueError {
    /// A value outside an enumeration.
    pub fn not_in_enumeration(value: &str, type_name: &str) -> Self {
        ValueError(format!("`{value}` is not a value of `{type_name}`"))
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What went wrong while reading XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlErrorKind {
    /// Not well-formed XML.
    Syntax(String),
    /// The root element is not a root element of the version read: its
    /// name, and that version.
    UnknownRoot(String, crate::Version),
    /// An element that the content model does not allow here.
    UnexpectedElement(String),
    /// An attribute the type does not declare.
    UnexpectedAttribute(String),
    /// An element that comes before one it must follow (a note of
    /// [`XmlReader::take_notes`], not an error the reader stops at).
    OutOfOrder(String),
    /// An element given twice where one is allowed.
    Duplicate(String),
    /// A required element or attribute is missing.
    Missing {
        /// `element` or `attribute`.
        what: &'static str,
        /// Its qualified name.
        name: String,
    },
    /// More repetitions than allowed.
    TooMany {
        /// The list.
        name: String,
        /// The maximum.
        max: usize,
    },
    /// Text where only elements are allowed.
    UnexpectedText(String),
    /// A child element inside a simple value.
    ElementInValue(String),
    /// A value that does not parse.
    BadValue(String),
    /// Content after the root element.
    TrailingContent,
    /// Input past one of the readers' limits, or a character XML 1.0
    /// cannot carry ([`crate::limits`]).
    Refused(Refusal),
}

/// An XML reading error with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {kind} (at {path})")]
pub struct XmlError {
    /// What went wrong.
    pub kind: XmlErrorKind,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Byte offset in the input.
    pub offset: usize,
    /// Element path, e.g. `/work:work/work:title`.
    pub path: String,
}

impl fmt::Display for XmlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlErrorKind::Syntax(m) => write!(f, "malformed XML: {m}"),
            XmlErrorKind::UnknownRoot(n, version) => {
                write!(
                    f,
                    "`{n}` is not a root element of the ORCID v{version} schema"
                )
            }
            XmlErrorKind::UnexpectedElement(n) => write!(f, "element `{n}` is not allowed here"),
            XmlErrorKind::UnexpectedAttribute(n) => {
                write!(f, "attribute `{n}` is not allowed here")
            }
            XmlErrorKind::OutOfOrder(n) => write!(
                f,
                "element `{n}` is out of order (the schema fixes the order of elements)"
            ),
            XmlErrorKind::Duplicate(n) => write!(f, "element `{n}` may appear only once"),
            XmlErrorKind::Missing { what, name } => {
                write!(f, "required {what} `{name}` is missing")
            }
            XmlErrorKind::TooMany { name, max } => {
                write!(f, "`{name}` holds more than {max} items")
            }
            XmlErrorKind::UnexpectedText(t) => {
                write!(f, "text `{t}` is not allowed here (element-only content)")
            }
            XmlErrorKind::ElementInValue(n) => {
                write!(f, "element `{n}` is not allowed inside a simple value")
            }
            XmlErrorKind::BadValue(m) => write!(f, "{m}"),
            XmlErrorKind::TrailingContent => write!(f, "content after the root element"),
            XmlErrorKind::Refused(r) => write!(f, "{r}"),
        }
    }
}

/// A start tag, with its resolved namespace.
pub struct Start<'a> {
    /// Its namespace.
    pub ns: NsMatch,
    /// The raw event.
    pub event: BytesStart<'a>,
    /// Whether it was `<x/>`.
    pub empty: bool,
    /// Byte offset of `<`.
    pub offset: usize,
}

impl Start<'_> {
    /// The local name.
    pub fn local(&self) -> &str {
        std::str::from_utf8(self.event.local_name().into_inner()).unwrap_or("")
    }

    fn qname(&self) -> String {
        String::from_utf8_lossy(self.event.name().as_ref()).into_owned()
    }
}

/// An attribute with its resolved namespace and unescaped value.
pub struct Attr<'a> {
    /// Its namespace (`NsMatch::None` for unprefixed attributes).
    pub ns: NsMatch,
    /// Local name.
    pub local: Cow<'a, str>,
    /// Qualified name as written.
    pub qname: String,
    /// Unescaped value.
    pub value: Cow<'a, str>,
}

/// A pull reader over a document in memory.
pub struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    src: &'a [u8],
    namespaces: &'static [Namespace],
    /// The open elements' names (for error paths), as byte ranges of `src`:
    /// names are only turned into text when an error is reported.
    path: Vec<PathName>,
    /// Sees every event read, if set.
    observer: Option<&'a mut dyn Observer>,
    /// The two namespaces matched last (elements mostly alternate between
    /// two), tried before the whole list.
    recent: Recent,
    /// Where the reader read past the XSD's letter, as ORCID's own output
    /// needs (see [`XmlReader::note_out_of_order`]).
    notes: Vec<XmlError>,
}

/// Something that sees every event an [`XmlReader`] reads, in document
/// order, to do more work in the same pass over the text (the streaming
/// XSD validator of `orcid-validate` does). When the reader stops at an
/// error, the observer has seen the events up to it.
pub trait Observer {
    /// `event` starts at byte `offset` of the source. `ns` is the namespace
    /// of a start or empty tag's name ([`NsMatch::None`] for other events).
    /// `reader` has just read the event: it resolves the event's attribute
    /// names.
    fn event(&mut self, reader: &NsReader<&[u8]>, ns: NsMatch, event: &Event<'_>, offset: usize);
}

/// An open element's name as written.
enum PathName {
    /// Where it is in the source.
    Span(usize, usize),
    /// A copy (only if the name does not lie in the source).
    Owned(String),
}

impl<'a> XmlReader<'a> {
    /// A reader over `src` that knows `namespaces`.
    pub fn new(src: &'a str, namespaces: &'static [Namespace]) -> Self {
        let mut inner = NsReader::from_str(src);
        let cfg = inner.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        Self {
            inner,
            src: src.as_bytes(),
            namespaces,
            path: Vec::new(),
            observer: None,
            recent: Recent::default(),
            notes: Vec::new(),
        }
    }

    /// A reader that shows every event it reads to `observer`.
    pub fn with_observer(
        src: &'a str,
        namespaces: &'static [Namespace],
        observer: &'a mut dyn Observer,
    ) -> Self {
        let mut r = Self::new(src, namespaces);
        r.observer = Some(observer);
        r
    }

    /// Shows an event to the observer, if there is one.
    #[inline]
    fn observe(&mut self, ns: NsMatch, ev: &Event<'_>, offset: usize) {
        if let Some(o) = self.observer.as_deref_mut() {
            o.event(&self.inner, ns, ev, offset);
        }
    }

    /// Shows an event read without resolving names to the observer (which
    /// gets the namespace of a start tag's name).
    #[inline]
    fn observe_plain(&mut self, ev: &Event<'_>, offset: usize) {
        if self.observer.is_some() {
            let ns = match ev {
                Event::Start(e) | Event::Empty(e) => {
                    ns_match(self.namespaces, &self.inner.resolve_element(e.name()).0)
                }
                _ => NsMatch::None,
            };
            self.observe(ns, ev, offset);
        }
    }

    /// Where `start`'s name is in the source.
    fn path_name(&self, start: &Start<'a>) -> PathName {
        let name = start.event.name();
        let name = name.as_ref();
        let begin = (name.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
        match begin.checked_add(name.len()) {
            Some(end) if end <= self.src.len() => PathName::Span(begin, end),
            _ => PathName::Owned(String::from_utf8_lossy(name).into_owned()),
        }
    }

    /// Enters the element whose start tag is `event`: refuses it past
    /// [`MAX_DEPTH`] or with more than [`MAX_ATTRIBUTES`] attributes
    /// (counted without checking names, so that a wide tag costs one pass).
    fn open(
        &mut self,
        ns: NsMatch,
        event: BytesStart<'a>,
        empty: bool,
        offset: usize,
    ) -> Result<Start<'a>, XmlError> {
        let s = Start {
            ns,
            event,
            empty,
            offset,
        };
        if self.path.len() >= MAX_DEPTH {
            return Err(self.error_at(offset, XmlErrorKind::Refused(Refusal::TooDeep)));
        }
        if too_many_attributes(&s.event) {
            return Err(self.error_at(offset, XmlErrorKind::Refused(Refusal::TooManyAttributes)));
        }
        self.path.push(self.path_name(&s));
        Ok(s)
    }

    fn ns_of(&self, r: &ResolveResult<'_>) -> NsMatch {
        ns_match(self.namespaces, r)
    }

    /// Builds an error at byte `offset`.
    pub fn error_at(&self, offset: usize, kind: XmlErrorKind) -> XmlError {
        let (line, column) = line_col(self.src, offset);
        let mut path = String::new();
        for name in &self.path {
            path.push('/');
            match name {
                PathName::Span(start, end) => {
                    path.push_str(&String::from_utf8_lossy(&self.src[*start..*end]))
                }
                PathName::Owned(n) => path.push_str(n),
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        XmlError {
            kind,
            line,
            column,
            offset,
            path,
        }
    }

    fn syntax(&self, e: impl fmt::Display) -> XmlError {
        let pos = self.inner.error_position() as usize;
        self.error_at(pos, XmlErrorKind::Syntax(e.to_string()))
    }

    /// Reads up to the root element and returns its start tag. A
    /// character XML 1.0 cannot carry anywhere in the text is refused first.
    pub fn root(&mut self) -> Result<Start<'a>, XmlError> {
        if let Some((at, c)) = std::str::from_utf8(self.src)
            .ok()
            .and_then(limits::first_non_xml_char)
        {
            return Err(self.error_at(at, XmlErrorKind::Refused(Refusal::NotXmlChar(c))));
        }
        loop {
            let offset = self.inner.buffer_position() as usize;
            let (ns, ev) = match self.inner.read_resolved_event() {
                Ok((res, ev)) => (self.recent.ns_match(self.namespaces, &res), ev),
                Err(e) => return Err(self.syntax(e)),
            };
            self.observe(ns, &ev, offset);
            match ev {
                Event::Start(e) => {
                    return self.open(ns, e, false, offset);
                }
                Event::Empty(e) => {
                    return self.open(ns, e, true, offset);
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Eof => {
                    return Err(
                        self.error_at(offset, XmlErrorKind::Syntax("no root element".into()))
                    )
                }
                _ => {
                    return Err(self.error_at(
                        offset,
                        XmlErrorKind::Syntax("content before the root element".into()),
                    ))
                }
            }
        }
    }

    /// After the root element: only comments, PIs and whitespace may follow.
    pub fn finish(&mut self) -> Result<(), XmlError> {
        self.path.clear();
        loop {
            let offset = self.inner.buffer_position() as usize;
            let ev = self.inner.read_event().map_err(|e| self.syntax(e))?;
            self.observe_plain(&ev, offset);
            match ev {
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                _ => return Err(self.error_at(offset, XmlErrorKind::TrailingContent)),
            }
        }
    }

    /// The attributes of `start`, namespace-resolved; namespace declarations
    /// and `xsi:*` attributes are left out.
    pub fn attributes(&self, start: &Start<'a>) -> Result<Vec<Attr<'a>>, XmlError> {
        let mut out = Vec::new();
        if !has_attributes(&start.event) {
            return Ok(out);
        }
        for a in start.event.attributes() {
            let a =
                a.map_err(|e| self.error_at(start.offset, XmlErrorKind::Syntax(e.to_string())))?;
            let key = a.key;
            if key.as_namespace_binding().is_some() {
                continue;
            }
            let (res, local) = self.inner.resolve_attribute(key);
            if let ResolveResult::Bound(ns) = &res {
                if ns.as_ref() == XSI.as_bytes() || ns.as_ref() == XMLNS.as_bytes() {
                    continue;
                }
            }
            let ns = self.ns_of(&res);
            let local = String::from_utf8_lossy(local.into_inner()).into_owned();
            let qname = String::from_utf8_lossy(key.as_ref()).into_owned();
            let value = a
                .decode_and_unescape_value(self.inner.decoder())
                .map_err(|e| {
                    self.error_at(
                        start.offset,
                        XmlErrorKind::Syntax(format!("attribute `{qname}`: {e}")),
                    )
                })?;
            // Raw text was checked whole; references may add characters.
            if let Cow::Owned(v) = &value {
                if let Some((_, c)) = limits::first_non_xml_char(v) {
                    return Err(
                        self.error_at(start.offset, XmlErrorKind::Refused(Refusal::NotXmlChar(c)))
                    );
                }
            }
            let value = value.into_owned();
            out.push(Attr {
                ns,
                local: Cow::Owned(local),
                qname,
                value: Cow::Owned(value),
            });
        }
        Ok(out)
    }

    /// Parses an attribute's value.
    pub fn attribute_value<T: XmlValue>(
        &self,
        start: &Start<'a>,
        attr: &Attr<'_>,
    ) -> Result<T, XmlError> {
        T::parse_xml(&attr.value).map_err(|e| {
            self.error_at(
                start.offset,
                XmlErrorKind::BadValue(format!("attribute `{}`: {e}", attr.qname)),
            )
        })
    }

    /// The next child element of `parent`, or `None` at its end tag.
    /// Whitespace, comments and PIs are skipped; other text is an error.
    pub fn next_child(&mut self, parent: &Start<'a>) -> Result<Option<Start<'a>>, XmlError> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let offset = self.inner.buffer_position() as usize;
            let (ns, ev) = match self.inner.read_resolved_event() {
                Ok((res, ev)) => (self.recent.ns_match(self.namespaces, &res), ev),
                Err(e) => return Err(self.syntax(e)),
            };
            self.observe(ns, &ev, offset);
            match ev {
                Event::Start(e) => {
                    return Ok(Some(self.open(ns, e, false, offset)?));
                }
                Event::Empty(e) => {
                    return Ok(Some(self.open(ns, e, true, offset)?));
                }
                Event::End(_) => return Ok(None),
                Event::Text(t) => {
                    if !t.iter().all(u8::is_ascii_whitespace) {
                        let text = String::from_utf8_lossy(&t)
                            .trim()
                            .chars()
                            .take(40)
                            .collect();
                        return Err(self.error_at(offset, XmlErrorKind::UnexpectedText(text)));
                    }
                }
                Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.error_at(offset, XmlErrorKind::UnexpectedText("…".into())));
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => {
                    return Err(self.error_at(
                        offset,
                        XmlErrorKind::Syntax("unexpected end of document".into()),
                    ))
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.error_at(
                        offset,
                        XmlErrorKind::Syntax("declaration inside an element".into()),
                    ))
                }
            }
        }
    }

    /// Reads a complex child and pops it from the path.
    pub fn read_child<T: FromXml>(&mut self, child: &Start<'a>) -> Result<T, XmlError> {
        let v = T::from_xml(self, child)?;
        self.path.pop();
        Ok(v)
    }

    /// Reads the text content of `start` (up to its end tag), unescaped.
    pub fn read_text(&mut self, start: &Start<'a>) -> Result<String, XmlError> {
        if start.empty {
            return Ok(String::new());
        }
        let mut text = String::new();
        loop {
            let offset = self.inner.buffer_position() as usize;
            let ev = self.inner.read_event().map_err(|e| self.syntax(e))?;
            self.observe_plain(&ev, offset);
            match ev {
                Event::Text(t) => text.push_str(&t.decode().map_err(|e| self.syntax(e))?),
                Event::CData(t) => text.push_str(&t.decode().map_err(|e| self.syntax(e))?),
                Event::GeneralRef(r) => {
                    if let Some(c) = r.resolve_char_ref().map_err(|e| self.syntax(e))? {
                        if !limits::is_xml_char(c) {
                            let kind = XmlErrorKind::Refused(Refusal::NotXmlChar(c));
                            return Err(self.error_at(offset, kind));
                        }
                        text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| self.syntax(e))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => text.push_str(s),
                            None => {
                                return Err(self.error_at(
                                    offset,
                                    XmlErrorKind::Syntax(format!("unknown entity `&{name};`")),
                                ))
                            }
                        }
                    }
                }
                Event::End(_) => return Ok(text),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(e) | Event::Empty(e) => {
                    let n = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    return Err(self.error_at(offset, XmlErrorKind::ElementInValue(n)));
                }
                Event::Eof => {
                    return Err(self.error_at(
                        offset,
                        XmlErrorKind::Syntax("unexpected end of document".into()),
                    ))
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.error_at(
                        offset,
                        XmlErrorKind::Syntax("declaration inside an element".into()),
                    ))
                }
            }
        }
    }

    /// Reads and parses a simple-typed child element (and pops it).
    pub fn read_value<T: XmlValue>(&mut self, child: &Start<'a>) -> Result<T, XmlError> {
        let v = self.read_content(child)?;
        self.path.pop();
        Ok(v)
    }

    /// Reads and parses the simple content of the current element.
    pub fn read_content<T: XmlValue>(&mut self, start: &Start<'a>) -> Result<T, XmlError> {
        let text = self.read_text(start)?;
        T::parse_xml(&text).map_err(|e| self.error_at(start.offset, XmlErrorKind::BadValue(e.0)))
    }

    /// Error: an element not allowed here.
    pub fn unexpected_element(&self, child: &Start<'a>) -> XmlError {
        let kind = if child.ns == NsMatch::Other || child.ns == NsMatch::None {
            XmlErrorKind::UnexpectedElement(format!(
                "{} (namespace {})",
                child.qname(),
                self.ns_name(child)
            ))
        } else {
            XmlErrorKind::UnexpectedElement(child.qname())
        };
        self.error_at(child.offset, kind)
    }

    fn ns_name(&self, s: &Start<'a>) -> String {
        let (res, _) = self.inner.resolve_element(s.event.name());
        match res {
            ResolveResult::Bound(ns) => format!("`{}`", String::from_utf8_lossy(ns.as_ref())),
            ResolveResult::Unbound => "none".into(),
            ResolveResult::Unknown(p) => {
                format!("unbound prefix `{}`", String::from_utf8_lossy(&p))
            }
        }
    }

    /// Error: an attribute not allowed here.
    pub fn unexpected_attribute(&self, start: &Start<'a>, attr: &Attr<'_>) -> XmlError {
        self.error_at(
            start.offset,
            XmlErrorKind::UnexpectedAttribute(attr.qname.clone()),
        )
    }

    /// Notes an element out of its sequence's order and reads on: ORCID's
    /// own output does not always keep the XSD's order (its record-summary
    /// document puts `email-domains` first, JAXB reads either order), and
    /// the order of different elements carries nothing, so the element is
    /// kept and written back in the XSD's order. The XSD layer of
    /// `orcid-validate` still reports the order for a payload about to be
    /// sent. [`XmlReader::take_notes`] hands the notes out.
    pub fn note_out_of_order(&mut self, child: &Start<'a>) {
        let note = self.error_at(child.offset, XmlErrorKind::OutOfOrder(child.qname()));
        self.notes.push(note);
    }

    /// The places read past the XSD's letter so far (each an
    /// [`XmlError`] the reader did not stop at), in document order.
    pub fn take_notes(&mut self) -> Vec<XmlError> {
        std::mem::take(&mut self.notes)
    }

    /// Error: a second occurrence of a single element.
    pub fn duplicate_element(&self, child: &Start<'a>) -> XmlError {
        self.error_at(child.offset, XmlErrorKind::Duplicate(child.qname()))
    }

    /// Error: a required element or attribute is missing in `start`.
    pub fn missing(&self, start: &Start<'a>, what: &'static str, name: &str) -> XmlError {
        self.error_at(
            start.offset,
            XmlErrorKind::Missing {
                what,
                name: name.to_string(),
            },
        )
    }

    /// Error: too many items in a repeated choice.
    pub fn too_many(&self, start: &Start<'a>, name: &str, max: usize) -> XmlError {
        self.error_at(
            start.offset,
            XmlErrorKind::TooMany {
                name: name.to_string(),
                max,
            },
        )
    }
}

/// The last two namespaces matched by [`Recent::ns_match`].
#[derive(Default)]
struct Recent([Option<&'static Namespace>; 2]);

impl Recent {
    /// [`ns_match`], trying the namespaces matched last first.
    #[inline]
    fn ns_match(&mut self, namespaces: &'static [Namespace], r: &ResolveResult<'_>) -> NsMatch {
        let ResolveResult::Bound(ns) = r else {
            return ns_match(namespaces, r);
        };
        let uri = ns.as_ref();
        match self.0 {
            [Some(n), _] if n.uri.as_bytes() == uri => NsMatch::Known(n.id),
            [first, Some(n)] if n.uri.as_bytes() == uri => {
                self.0 = [Some(n), first];
                NsMatch::Known(n.id)
            }
            [first, _] => match namespaces.iter().find(|n| n.uri.as_bytes() == uri) {
                Some(n) => {
                    self.0 = [Some(n), first];
                    NsMatch::Known(n.id)
                }
                None => NsMatch::Other,
            },
        }
    }
}

fn ns_match(namespaces: &[Namespace], r: &ResolveResult<'_>) -> NsMatch {
    match r {
        ResolveResult::Unbound => NsMatch::None,
        ResolveResult::Bound(ns) => namespaces
            .iter()
            .find(|n| n.uri.as_bytes() == ns.as_ref())
            .map_or(NsMatch::Other, |n| NsMatch::Known(n.id)),
        ResolveResult::Unknown(_) => NsMatch::Other,
    }
}

/// Whether a start tag has anything after its name but XML whitespace
/// (attributes, or something malformed that reading them reports).
pub fn has_attributes(start: &BytesStart<'_>) -> bool {
    !start
        .attributes_raw()
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Whether a start tag has more than [`MAX_ATTRIBUTES`] attributes
/// (namespace declarations included), counted in one pass.
pub fn too_many_attributes(start: &BytesStart<'_>) -> bool {
    has_attributes(start)
        && start
            .attributes()
            .with_checks(false)
            .take(MAX_ATTRIBUTES + 1)
            .count()
            > MAX_ATTRIBUTES
}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_col(src: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Line and column of many offsets in one text: [`line_col`] for each,
/// in time that does not grow with the offset (a validator may have a
/// finding for every element of a long line).
pub struct Lines<'a> {
    src: &'a [u8],
    /// Offsets of the line feeds.
    newlines: Vec<usize>,
    /// Characters before each block of [`Lines::BLOCK`] bytes.
    blocks: Vec<usize>,
}

impl<'a> Lines<'a> {
    const BLOCK: usize = 256;

    /// Indexes `src` (one pass).
    pub fn new(src: &'a [u8]) -> Self {
        let newlines = memchr::memchr_iter(b'\n', src).collect();
        let mut blocks = Vec::with_capacity(src.len() / Self::BLOCK + 1);
        let mut chars = 0;
        blocks.push(0);
        for block in src.chunks(Self::BLOCK) {
            chars += char_starts(block);
            blocks.push(chars);
        }
        Lines {
            src,
            newlines,
            blocks,
        }
    }

    /// Characters (UTF-8 lead bytes) before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / Self::BLOCK;
        self.blocks[block] + char_starts(&self.src[block * Self::BLOCK..offset])
    }

    /// 1-based line and column (in characters) of byte `offset`, as
    /// [`line_col`] gives them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.newlines.partition_point(|&n| n < offset);
        let line_start = match line {
            0 => 0,
            n => self.newlines[n - 1] + 1,
        };
        let column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (line + 1, column)
    }
}

/// How many characters start in `bytes` (bytes that are not UTF-8
/// continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Writes XML with ORCID's prefixes.
pub struct XmlWriter {
    out: String,
    indent: Option<usize>,
    depth: usize,
    /// A start tag is open (`<x a="1"` written, `>` not yet).
    pending: bool,
    /// The current element has child elements.
    had_children: Vec<bool>,
    root_namespaces: Option<&'static [Namespace]>,
    scratch: String,
    /// The first character written that XML 1.0 cannot carry.
    refused: Option<char>,
}

impl XmlWriter {
    /// A writer; `indent` is the number of spaces per level (`None`: compact).
    pub fn new(indent: Option<usize>) -> Self {
        Self {
            out: String::with_capacity(4096),
            indent,
            depth: 0,
            pending: false,
            had_children: Vec::new(),
            root_namespaces: None,
            scratch: String::new(),
            refused: None,
        }
    }

    /// Writes the XML declaration and sets the namespaces to declare on the
    /// root element.
    pub fn begin_document(&mut self, namespaces: &'static [Namespace]) {
        self.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        if self.indent.is_some() {
            self.out.push('\n');
        }
        self.root_namespaces = Some(namespaces);
    }

    /// The first character of a value that XML 1.0 cannot carry (outside
    /// its `Char` production), if there was one: it was written as U+FFFD,
    /// so that the output stays well-formed. Values read by the readers
    /// never hold one ([`crate::limits`]); a value built in code may.
    pub fn refused(&self) -> Option<char> {
        self.refused
    }

    /// The written document.
    pub fn finish(mut self) -> String {
        if self.indent.is_some() {
            self.out.push('\n');
        }
        self.out
    }

    fn close_pending(&mut self) {
        if self.pending {
            self.out.push('>');
            self.pending = false;
        }
    }

    fn newline(&mut self) {
        if let Some(n) = self.indent {
            self.out.push('\n');
            for _ in 0..self.depth * n {
                self.out.push(' ');
            }
        }
    }

    fn push_name(&mut self, name: QName) {
        if let Some(ns) = name.0 {
            self.out.push_str(ns.prefix);
            self.out.push(':');
        }
        self.out.push_str(name.1);
    }

    /// Opens an element.
    pub fn open(&mut self, name: QName) {
        self.close_pending();
        if let Some(last) = self.had_children.last_mut() {
            *last = true;
        }
        if !self.had_children.is_empty() {
            self.newline();
        }
        self.out.push('<');
        self.push_name(name);
        if let Some(nss) = self.root_namespaces.take() {
            for ns in nss {
                self.out.push_str(" xmlns:");
                self.out.push_str(ns.prefix);
                self.out.push_str("=\"");
                self.out.push_str(ns.uri);
                self.out.push('"');
            }
        }
        self.pending = true;
        self.had_children.push(false);
        self.depth += 1;
    }

    /// Writes an attribute of the element just opened.
    pub fn attribute<T: XmlValue>(
        &mut self,
        ns: Option<&'static Namespace>,
        local: &str,
        value: &T,
    ) {
        self.out.push(' ');
        if let Some(ns) = ns {
            self.out.push_str(ns.prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push_str("=\"");
        self.scratch.clear();
        value.write_xml(&mut self.scratch);
        escape_into(&self.scratch, &mut self.out, true, &mut self.refused);
        self.out.push('"');
    }

    /// Writes the text content of the element just opened.
    pub fn text<T: XmlValue>(&mut self, value: &T) {
        self.scratch.clear();
        value.write_xml(&mut self.scratch);
        if self.scratch.is_empty() {
            return;
        }
        self.close_pending();
        let scratch = std::mem::take(&mut self.scratch);
        escape_into(&scratch, &mut self.out, false, &mut self.refused);
        self.scratch = scratch;
    }

    /// Writes `<name>value</name>`.
    pub fn value_element<T: XmlValue>(&mut self, name: QName, value: &T) {
        self.open(name);
        self.text(value);
        self.close(name);
    }

    /// Closes an element.
    pub fn close(&mut self, name: QName) {
        self.depth -= 1;
        let had_children = self.had_children.pop().unwrap_or(false);
        if self.pending {
            self.out.push_str("/>");
            self.pending = false;
            return;
        }
        if had_children {
            self.newline();
        }
        self.out.push_str("</");
        self.push_name(name);
        self.out.push('>');
    }
}

/// Escapes `s` into `out`; a character XML 1.0 cannot carry becomes U+FFFD
/// and the first one is kept in `refused`.
fn escape_into(s: &str, out: &mut String, attr: bool, refused: &mut Option<char>) {
    for c in s.chars() {
        match c {
            c if !limits::is_xml_char(c) => {
                refused.get_or_insert(c);
                out.push(char::REPLACEMENT_CHARACTER);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}

impl XmlValue for String {
    fn parse_xml(text: &str) -> Result<Self, ValueError> {
        Ok(text.to_string())
    }
    fn write_xml(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl XmlValue for i64 {
    fn parse_xml(text: &str) -> Result<Self, ValueError> {
        let t = text.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        t.parse()
            .map_err(|_| ValueError(format!("`{text}` is not an integer")))
    }
    fn write_xml(&self, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(*self));
    }
}

impl XmlValue for bool {
    fn parse_xml(text: &str) -> Result<Self, ValueError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(ValueError(format!(
                "`{text}` is not a boolean (true, false, 1 or 0)"
            ))),
        }
    }
    fn write_xml(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

#[cfg(test)]
mod tests {
    use super::{line_col, Lines};

    #[test]
    fn lines_agree_with_line_col() {
        let text = "a\u{e9}\u{1F600}b\n\n  \u{e9}x\r\n".repeat(40) + "tail \u{e9}";
        let lines = Lines::new(text.as_bytes());
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                lines.line_col(offset),
                line_col(text.as_bytes(), offset),
                "{offset}"
            );
        }
    }
}
