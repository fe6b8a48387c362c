//! Layer 1: the XSD, complete for ORCID's v2.1 schemas, in pure Rust.
//!
//! A streaming validator over the XML events, driven by the content models
//! and facets that the codegen extracts from the XSDs
//! ([`orcid_model::v2_1::schema_table`], [`orcid_model::v2_1::simple_types`]).
//! It collects every error, each with its byte offset, an XPath with
//! ORCID's prefixes, and the format-neutral [`NodePath`].

pub mod content;
mod positions;
pub mod schema;
pub mod simple;

use std::borrow::Cow;
use std::collections::HashMap;

use orcid_model::limits::{self, Refusal, MAX_DEPTH};
use orcid_model::schema::{Content, SimpleRef, TypeRef};
use orcid_model::xml::{has_attributes, too_many_attributes, NsMatch, Observer};
use orcid_model::Version;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::codes::SchemaCode;
use crate::diagnostic::NodePath;
pub use positions::Positions;
use positions::{NewElement, Ns};
pub use schema::Schema;

/// One XSD finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XsdError {
    /// Its code, `xsd.*` (or `syntax`).
    pub code: SchemaCode,
    /// What is wrong.
    pub message: String,
    /// Byte offset of the element (or of the syntax error).
    pub offset: usize,
    /// XPath with ORCID's prefixes.
    pub xpath: String,
    /// Format-neutral path.
    pub node: NodePath,
}

/// The result of validating one XML document.
#[derive(Debug, Default)]
pub struct XsdReport {
    /// Every error, in document order.
    pub errors: Vec<XsdError>,
    /// Where each element is: node path -> (byte offset, XPath).
    pub positions: Positions,
    /// The root element (`prefix:local` with ORCID's prefix), when it is a
    /// v2.1 global element.
    pub root: Option<String>,
}

const XSI: &[u8] = b"http://www.w3.org/2001/XMLSchema-instance";
const XS: &[u8] = b"http://www.w3.org/2001/XMLSchema";

fn element_default(schema: &Schema, ns: Ns, local: &str) -> Option<&'static str> {
    let Ns::Known(id) = ns else { return None };
    let uri = schema.namespaces.get(usize::from(id))?.uri;
    schema
        .element_defaults
        .iter()
        .find(|(n, l, _)| *l == local && *n == uri)
        .map(|(_, _, d)| *d)
}

fn ns_of(schema: &Schema, r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Bound(ns) => schema
            .namespaces
            .iter()
            .find(|n| n.uri.as_bytes() == ns.as_ref())
            .map_or(Ns::Other, |n| Ns::Known(n.id)),
        ResolveResult::Unknown(_) => Ns::Other,
    }
}

fn ns_opt(ns: Ns) -> Option<Option<u16>> {
    match ns {
        Ns::None => Some(None),
        Ns::Known(i) => Some(Some(i)),
        Ns::Other => None,
    }
}

fn qname(schema: &Schema, ns: Option<u16>, local: &str) -> String {
    match ns {
        Some(i) => format!("{}:{local}", schema.namespaces[usize::from(i)].prefix),
        None => local.to_string(),
    }
}

/// A name as text: borrowed when it is UTF-8 (always, for a `&str` input).
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `part` as text, when it is a piece of `src` (as what the reader hands out
/// of a `&str` is): no second UTF-8 check.
fn in_source<'s>(src: &'s str, part: &[u8]) -> Option<&'s str> {
    let begin = (part.as_ptr() as usize).wrapping_sub(src.as_ptr() as usize);
    src.get(begin..begin.checked_add(part.len())?)
}

/// Whether every byte is XML whitespace.
fn is_xml_space(s: &[u8]) -> bool {
    s.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// What an element's character content is kept for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextUse {
    /// A simple value: all of it is checked.
    Value,
    /// Element-only or empty content: only whether there is any beyond
    /// whitespace (and a snippet of it). Leading whitespace is not kept.
    Stray,
    /// Nothing is checked (mixed content, or an undeclared element).
    None,
}

struct Frame {
    ty: Option<TypeRef>,
    automaton: Option<&'static content::Automaton>,
    state: Option<usize>,
    /// Where this element's text starts in the shared text buffer.
    text_start: usize,
    text_use: TextUse,
    /// The element's id in [`Positions`].
    element: usize,
    /// Byte offset of its start tag.
    offset: usize,
    /// Its last child element so far (for [`Positions`]' links).
    last_child: usize,
    /// Where this element's counts of children by name start in the shared
    /// count stack (one per distinct name of its content model).
    counts_start: usize,
    /// Counts of children whose names its content model does not have.
    /// A map, not a list: a hostile element may have a great many.
    other_counts: HashMap<(Option<u16>, String), usize>,
    /// Whether element content was already broken (report once).
    broken: bool,
    has_child: bool,
    /// The declaration's default value, if any.
    default: Option<&'static str>,
}

/// Validates an XML document against the v2.1 schemas.
pub fn validate(text: &str) -> XsdReport {
    validate_as(text, Version::V2_1)
}

/// Validates an XML document against the schemas of `version`.
pub fn validate_as(text: &str, version: Version) -> XsdReport {
    let mut v = Validator::for_version(text, version);
    let mut r = NsReader::from_str(text);
    r.config_mut().trim_text(false);
    while !v.done {
        let offset = r.buffer_position() as usize;
        match r.read_resolved_event() {
            Ok((res, ev)) => {
                let ns = ns_of(v.schema, &res);
                v.event(&r, ns, &ev, offset);
            }
            Err(e) => {
                let at = r.error_position() as usize;
                v.malformed(&e, at);
            }
        }
    }
    v.report
}

/// The streaming validator, fed one event at a time: by [`validate`], or
/// by the model's reader in the same pass ([`Observer`]).
pub struct Validator<'s> {
    src: &'s str,
    schema: &'static Schema,
    report: XsdReport,
    stack: Vec<Frame>,
    /// The text of the open elements, innermost last.
    text: String,
    /// Counts of children by name of the open elements, innermost last.
    counts: Vec<usize>,
    seen_root: bool,
    /// The end of the document, or a syntax error, was reached.
    done: bool,
}

impl Observer for Validator<'_> {
    fn event(&mut self, reader: &NsReader<&[u8]>, ns: NsMatch, event: &Event<'_>, offset: usize) {
        let ns = match ns {
            NsMatch::None => Ns::None,
            NsMatch::Known(i) => Ns::Known(i),
            NsMatch::Other => Ns::Other,
        };
        Validator::event(self, reader, ns, event, offset);
    }
}

/// Where a finding is: an element (by id), or the document itself.
#[derive(Clone, Copy)]
enum At {
    Document,
    Element(usize),
}

impl<'s> Validator<'s> {
    fn error(&mut self, code: SchemaCode, message: String, offset: usize, at: At) {
        let (xpath, node) = match at {
            At::Document => (String::from("/"), NodePath::root()),
            At::Element(e) => (
                self.report.positions.xpath(e),
                self.report.positions.node(e),
            ),
        };
        self.push_error(code, message, offset, xpath, node);
    }

    fn attribute_error(
        &mut self,
        code: SchemaCode,
        message: String,
        offset: usize,
        element: usize,
        attribute: &str,
    ) {
        let xpath = self.report.positions.xpath(element);
        let node = self.report.positions.node(element).key(attribute);
        self.push_error(code, message, offset, xpath, node);
    }

    fn push_error(
        &mut self,
        code: SchemaCode,
        message: String,
        offset: usize,
        xpath: String,
        node: NodePath,
    ) {
        self.report.errors.push(XsdError {
            code,
            message,
            offset,
            xpath,
            node,
        });
    }

    /// Where the innermost open element is (the document when none is).
    fn here(&self) -> At {
        self.stack
            .last()
            .map_or(At::Document, |f| At::Element(f.element))
    }

    /// Adds character content to the innermost open element.
    fn push_text(&mut self, s: &str) {
        if let Some(f) = self.stack.last() {
            match f.text_use {
                TextUse::Value => self.text.push_str(s),
                TextUse::Stray => {
                    // Leading whitespace would be trimmed anyway.
                    if self.text.len() > f.text_start || !is_xml_space(s.as_bytes()) {
                        self.text.push_str(s);
                    }
                }
                TextUse::None => {}
            }
        }
    }

    /// A validator for the v2.1 document `src`. A character XML 1.0 cannot
    /// carry anywhere in `src` is its only finding.
    pub fn new(src: &'s str) -> Self {
        Self::for_version(src, Version::V2_1)
    }

    /// A validator for the document `src` in API `version`.
    pub fn for_version(src: &'s str, version: Version) -> Self {
        let schema = Schema::of(version);
        let mut v = Validator {
            src,
            schema,
            report: XsdReport {
                positions: Positions::new(schema.namespaces),
                ..XsdReport::default()
            },
            stack: Vec::new(),
            text: String::new(),
            counts: Vec::new(),
            seen_root: false,
            done: false,
        };
        if let Some((at, c)) = limits::first_non_xml_char(src) {
            v.refuse(Refusal::NotXmlChar(c), at);
        }
        v
    }

    /// Stops at input the readers refuse ([`orcid_model::limits`]).
    fn refuse(&mut self, why: Refusal, offset: usize) {
        let here = self.here();
        self.error(SchemaCode::Syntax, why.to_string(), offset, here);
        self.done = true;
    }

    /// Whether it has seen the whole document (or stopped at a syntax error).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// What it found.
    pub fn into_report(self) -> XsdReport {
        self.report
    }

    /// The reader could not read on at byte `at`.
    fn malformed(&mut self, e: &quick_xml::Error, at: usize) {
        if self.done {
            return;
        }
        let here = self.here();
        self.error(SchemaCode::Syntax, format!("malformed XML: {e}"), at, here);
        self.done = true;
    }

    /// Stops at a syntax error of the document (not in an element).
    fn stop(&mut self, message: &str, offset: usize) {
        self.error(SchemaCode::Syntax, message.into(), offset, At::Document);
        self.done = true;
    }

    fn event(&mut self, r: &NsReader<&[u8]>, ns: Ns, ev: &Event<'_>, offset: usize) {
        if self.done {
            return;
        }
        let src = self.src;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                if self.stack.is_empty() && self.seen_root {
                    self.stop("content after the root element", offset);
                    return;
                }
                self.seen_root = true;
                if self.stack.len() >= MAX_DEPTH {
                    self.refuse(Refusal::TooDeep, offset);
                    return;
                }
                if too_many_attributes(e) {
                    self.refuse(Refusal::TooManyAttributes, offset);
                    return;
                }
                self.start(r, src, ns, e, offset);
                if matches!(ev, Event::Empty(_)) {
                    self.end();
                }
            }
            Event::End(_) => self.end(),
            Event::Text(t) => {
                if !self.stack.is_empty() {
                    let decoded = match in_source(src, t) {
                        Some(s) => Ok(Cow::Borrowed(s)),
                        None => t.decode(),
                    };
                    match decoded {
                        Ok(s) => self.push_text(&s),
                        Err(e) => {
                            let here = self.here();
                            self.error(
                                SchemaCode::Syntax,
                                format!("malformed text: {e}"),
                                offset,
                                here,
                            );
                            self.done = true;
                        }
                    }
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    self.stop("text outside the root element", offset);
                }
            }
            Event::CData(t) => {
                if !self.stack.is_empty() {
                    self.push_text(&String::from_utf8_lossy(t));
                } else {
                    self.stop("CDATA outside the root element", offset);
                }
            }
            Event::GeneralRef(g) => {
                if self.stack.is_empty() {
                    // quick-xml reports a reference outside the root as
                    // an event, but no reference may appear there.
                    self.stop("reference outside the root element", offset);
                    return;
                }
                let resolved = match g.resolve_char_ref() {
                    Ok(Some(c)) if !limits::is_xml_char(c) => {
                        self.refuse(Refusal::NotXmlChar(c), offset);
                        return;
                    }
                    Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
                    _ => g.decode().ok().and_then(|n| {
                        quick_xml::escape::resolve_predefined_entity(&n).map(Cow::Borrowed)
                    }),
                };
                match resolved {
                    Some(s) => self.push_text(&s),
                    None => {
                        let here = self.here();
                        self.error(
                            SchemaCode::Syntax,
                            "unknown entity reference".into(),
                            offset,
                            here,
                        );
                        self.done = true;
                    }
                }
            }
            Event::Eof => {
                if !self.seen_root {
                    self.error(
                        SchemaCode::Syntax,
                        "no root element".into(),
                        offset,
                        At::Document,
                    );
                } else if !self.stack.is_empty() {
                    self.error(
                        SchemaCode::Syntax,
                        "unexpected end of document".into(),
                        offset,
                        At::Document,
                    );
                }
                self.done = true;
            }
            _ => {}
        }
    }

    fn start(&mut self, r: &NsReader<&[u8]>, src: &str, ns: Ns, e: &BytesStart<'_>, offset: usize) {
        let name = e.name();
        let written =
            in_source(src, name.as_ref()).map_or_else(|| text_of(name.as_ref()), Cow::Borrowed);
        // The local name follows the first `:` (as quick-xml splits it).
        let local_start = name
            .as_ref()
            .iter()
            .position(|&b| b == b':')
            .map_or(0, |i| i + 1);
        let local = &written[local_start..];
        // Which declaration applies?
        let (ty, element) = if self.stack.is_empty() {
            self.start_root(&written, local_start, ns, offset)
        } else {
            self.start_child(&written, local_start, ns, offset)
        };
        // A valid `xsi:type` names the type to validate against.
        let attributes = has_attributes(e);
        let ty = attributes
            .then(|| xsi_type_value(r, e))
            .flatten()
            .and_then(|v| xsi_type(self.schema, r, &v, ty).ok())
            .or(ty);
        // Attributes.
        if attributes {
            self.attributes(r, e, ty, offset, element);
        } else {
            self.missing_attributes(ty, &[], offset, element);
        }
        let default = element_default(self.schema, ns, local);
        let (automaton, text_use) = match ty {
            Some(TypeRef::Simple(_)) => (None, TextUse::Value),
            Some(TypeRef::Complex(ci)) => {
                match self.schema.complex_types[usize::from(ci)].content {
                    Content::Text(_) => (None, TextUse::Value),
                    Content::MixedText => (None, TextUse::None),
                    Content::Empty => (None, TextUse::Stray),
                    Content::Elements(_) => (content::automaton(self.schema, ci), TextUse::Stray),
                }
            }
            None => (None, TextUse::None),
        };
        let counts_start = self.counts.len();
        if let Some(a) = automaton {
            self.counts.resize(counts_start + a.names, 0);
        }
        self.stack.push(Frame {
            default,
            ty,
            automaton,
            state: None,
            text_start: self.text.len(),
            text_use,
            element,
            offset,
            last_child: usize::MAX,
            counts_start,
            other_counts: HashMap::new(),
            broken: false,
            has_child: false,
        });
    }

    /// The root element: its global declaration, or `xsd.unknown-root`.
    fn start_root(
        &mut self,
        written: &str,
        local_start: usize,
        ns: Ns,
        offset: usize,
    ) -> (Option<TypeRef>, usize) {
        let local = &written[local_start..];
        let decl = ns_opt(ns).and_then(|n| {
            self.schema
                .global_elements
                .iter()
                .find(|(gns, gl, _)| Some(*gns) == n && *gl == local)
                .map(|(_, _, t)| *t)
        });
        let element = self.report.positions.push(
            None,
            NewElement {
                name: written,
                local_start,
                ns,
                index: 0,
                repeatable: false,
                offset,
            },
        );
        if decl.is_some() {
            self.report.root = ns_opt(ns).map(|n| qname(self.schema, n, local));
        } else {
            let message = format!(
                "`{written}` is not a global element of the ORCID v{} schemas",
                self.schema.version
            );
            // At the root's XPath; its node path is empty.
            self.error(
                SchemaCode::UnknownRoot,
                message,
                offset,
                At::Element(element),
            );
        }
        (decl, element)
    }

    /// A child element: what its parent's content model says of it, its
    /// position among the children of the same name, and any error.
    fn start_child(
        &mut self,
        written: &str,
        local_start: usize,
        ns: Ns,
        offset: usize,
    ) -> (Option<TypeRef>, usize) {
        let local = &written[local_start..];
        let schema = self.schema;
        let Some(parent) = self.stack.last_mut() else {
            return (None, 0);
        };
        parent.has_child = true;
        let key = ns_opt(ns);
        let Matched {
            ty: matched,
            repeatable,
            slot,
            problem,
        } = match_child(schema, parent, key, local, written);
        // Children are counted by name (namespace and local name).
        let idx = match (key, slot) {
            (None, _) => 0,
            (Some(_), Some(s)) => {
                let c = &mut self.counts[parent.counts_start + s];
                *c += 1;
                *c - 1
            }
            (Some(k), None) => {
                let c = parent
                    .other_counts
                    .entry((k, local.to_string()))
                    .or_insert(0);
                *c += 1;
                *c - 1
            }
        };
        let element = self.report.positions.push(
            Some((parent.element, &mut parent.last_child)),
            NewElement {
                name: written,
                local_start,
                ns,
                index: idx,
                repeatable,
                offset,
            },
        );
        if let Some((code, msg)) = problem {
            self.error(code, msg, offset, At::Element(element));
        }
        (matched, element)
    }

    fn attributes(
        &mut self,
        r: &NsReader<&[u8]>,
        e: &BytesStart<'_>,
        ty: Option<TypeRef>,
        offset: usize,
        element: usize,
    ) {
        let decls = match ty {
            Some(TypeRef::Complex(ci)) => self.schema.complex_types[usize::from(ci)].attributes,
            _ => &[],
        };
        let mut seen_few = [false; 8];
        let mut seen_many = Vec::new();
        let seen: &mut [bool] = if decls.len() <= seen_few.len() {
            &mut seen_few[..decls.len()]
        } else {
            seen_many.resize(decls.len(), false);
            &mut seen_many
        };
        for a in e.attributes() {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    self.error(
                        SchemaCode::Syntax,
                        format!("malformed attribute: {err}"),
                        offset,
                        At::Element(element),
                    );
                    continue;
                }
            };
            if a.key.as_namespace_binding().is_some() {
                continue;
            }
            let (res, local) = r.resolve_attribute(a.key);
            let local = text_of(local.into_inner());
            let written = || String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = match a.decode_and_unescape_value(r.decoder()) {
                Ok(v) => v,
                Err(err) => {
                    self.error(
                        SchemaCode::Syntax,
                        format!("attribute `{}`: {err}", written()),
                        offset,
                        At::Element(element),
                    );
                    continue;
                }
            };
            // The raw text was checked whole; references may add characters.
            if let Cow::Owned(v) = &value {
                if let Some((_, c)) = limits::first_non_xml_char(v) {
                    self.refuse(Refusal::NotXmlChar(c), offset);
                    return;
                }
            }
            if matches!(&res, ResolveResult::Bound(n) if n.as_ref() == XSI) {
                if ty.is_some() {
                    if let Some(problem) = xsi_problem(self.schema, r, &local, &value, ty) {
                        self.attribute_error(
                            SchemaCode::UnexpectedAttribute,
                            format!("attribute `{}`: {problem}", written()),
                            offset,
                            element,
                            &local,
                        );
                    }
                }
                continue;
            }
            let ans = ns_opt(ns_of(self.schema, &res));
            match decls
                .iter()
                .position(|d| Some(d.ns) == ans && d.local == local)
            {
                Some(i) => {
                    seen[i] = true;
                    if let Err(v) = simple::check(self.schema, &value, decls[i].ty) {
                        let code = facet_code(v.facet);
                        self.attribute_error(
                            code,
                            format!("attribute `{}`: {}", written(), v.message),
                            offset,
                            element,
                            &local,
                        );
                    }
                }
                None if ty.is_some() => {
                    self.attribute_error(
                        SchemaCode::UnexpectedAttribute,
                        format!("attribute `{}` is not allowed here", written()),
                        offset,
                        element,
                        &local,
                    );
                }
                None => {}
            }
        }
        self.missing_attributes(ty, seen, offset, element);
    }

    /// Reports the required attributes of `ty` that are not `seen` (by
    /// index in its declarations; all of them when `seen` is empty).
    fn missing_attributes(
        &mut self,
        ty: Option<TypeRef>,
        seen: &[bool],
        offset: usize,
        element: usize,
    ) {
        let decls = match ty {
            Some(TypeRef::Complex(ci)) => self.schema.complex_types[usize::from(ci)].attributes,
            _ => &[],
        };
        for (i, d) in decls.iter().enumerate() {
            if d.required && !seen.get(i).copied().unwrap_or(false) {
                self.error(
                    SchemaCode::MissingAttribute,
                    format!(
                        "required attribute `{}` is missing",
                        qname(self.schema, d.ns, d.local)
                    ),
                    offset,
                    At::Element(element),
                );
            }
        }
    }

    fn end(&mut self) {
        let Some(f) = self.stack.pop() else { return };
        self.counts.truncate(f.counts_start);
        let at = At::Element(f.element);
        let offset = f.offset;
        match f.ty {
            Some(TypeRef::Simple(s)) => self.check_value(&f, s),
            Some(TypeRef::Complex(ci)) => {
                let t = &self.schema.complex_types[usize::from(ci)];
                let text = &self.text[f.text_start..];
                match t.content {
                    Content::Text(s) => self.check_value(&f, s),
                    Content::MixedText => {}
                    Content::Empty => {
                        if !text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
                            self.error(
                                SchemaCode::UnexpectedText,
                                format!("`{}` must be empty", t.name),
                                offset,
                                at,
                            );
                        }
                    }
                    Content::Elements(_) => {
                        if !text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
                            let snippet: String = text.trim().chars().take(40).collect();
                            self.error(SchemaCode::UnexpectedText, format!("text `{snippet}` is not allowed: `{}` has element-only content", t.name), offset, at);
                        }
                        if let Some(a) = f.automaton {
                            if !f.broken && !a.accepts(f.state) {
                                let expected = expected_names(self.schema, a, f.state);
                                self.error(
                                    SchemaCode::MissingElement,
                                    format!("`{}` is incomplete: missing {expected}", t.name),
                                    offset,
                                    at,
                                );
                            }
                        }
                    }
                }
            }
            None => {}
        }
        self.text.truncate(f.text_start);
    }

    fn check_value(&mut self, f: &Frame, s: SimpleRef) {
        if f.has_child {
            return; // already reported as an unexpected element
        }
        // No character children at all (whitespace counts as some): the
        // declared default, if any, is the value.
        let text = &self.text[f.text_start..];
        let value = match f.default {
            Some(d) if text.is_empty() => d,
            _ => text,
        };
        if let Err(v) = simple::check(self.schema, value, s) {
            let code = facet_code(v.facet);
            self.error(code, v.message, f.offset, At::Element(f.element));
        }
    }
}

fn xsi_type_value(r: &NsReader<&[u8]>, e: &BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let (res, local) = r.resolve_attribute(a.key);
        let xsi = matches!(&res, ResolveResult::Bound(n) if n.as_ref() == XSI);
        (xsi && local.as_ref() == b"type")
            .then(|| a.decode_and_unescape_value(r.decoder()).ok())
            .flatten()
            .map(|v| v.into_owned())
    })
}

/// The type an `xsi:type` value selects for an element declared with `ty`
/// (XSD 1.0 Part 1 §3.3.4, cvc-elt 4): the declared type itself or a type
/// derived from it.
fn xsi_type(
    schema: &Schema,
    r: &NsReader<&[u8]>,
    value: &str,
    ty: Option<TypeRef>,
) -> Result<TypeRef, String> {
    let v = value.trim_matches([' ', '\t', '\n', '\r']);
    let (res, local) = r.resolve(quick_xml::name::QName(v.as_bytes()), false);
    let local = String::from_utf8_lossy(local.as_ref()).into_owned();
    let named = match &res {
        ResolveResult::Bound(n) if n.as_ref() == XS => Some(format!("xs:{local}")),
        _ => ns_opt(ns_of(schema, &res))
            .flatten()
            .map(|n| qname(schema, Some(n), &local)),
    };
    let declared = match ty {
        Some(TypeRef::Complex(ci)) => Some(schema.complex_types[usize::from(ci)].name.to_string()),
        Some(TypeRef::Simple(SimpleRef::Named(n))) => Some(n.to_string()),
        Some(TypeRef::Simple(SimpleRef::Builtin(b))) => Some(format!("xs:{b}")),
        _ => None,
    };
    let problem =
        || format!("`{v}` is neither the declared type of this element nor derived from it");
    let (Some(named), Some(declared), Some(ty)) = (named, declared, ty) else {
        return Err(problem());
    };
    if named == declared {
        return Ok(ty);
    }
    if schema
        .xsi_type_derived
        .contains(&(declared.as_str(), named.as_str()))
    {
        if let Some(i) = schema.complex_types.iter().position(|t| t.name == named) {
            return Ok(TypeRef::Complex(i as u16));
        }
    }
    Err(problem())
}

/// What is wrong with an `xsi:` attribute (XSD 1.0 Part 1 §3.3.4, §3.4.4),
/// if anything. The location hints are always allowed; no element of the
/// v2.1 schemas is nillable, so `xsi:nil` never is; `xsi:type` must name the
/// declared type or one derived from it (`ty` is the type it selected,
/// when it did); there are no other `xsi:` attributes.
fn xsi_problem(
    schema: &Schema,
    r: &NsReader<&[u8]>,
    local: &str,
    value: &str,
    ty: Option<TypeRef>,
) -> Option<String> {
    match local {
        "schemaLocation" | "noNamespaceSchemaLocation" => None,
        "nil" => Some(format!(
            "the element is not nillable (no element of the ORCID v{} schemas is)",
            schema.version
        )),
        "type" => xsi_type(schema, r, value, ty).err(),
        other => Some(format!(
            "`xsi:{other}` is not an attribute of the XML Schema instance namespace"
        )),
    }
}

fn facet_code(facet: &str) -> SchemaCode {
    match facet {
        "pattern" => SchemaCode::Pattern,
        "enumeration" => SchemaCode::Enumeration,
        "max-length" => SchemaCode::MaxLength,
        "min-length" => SchemaCode::MinLength,
        "min-inclusive" => SchemaCode::MinInclusive,
        "max-inclusive" => SchemaCode::MaxInclusive,
        _ => SchemaCode::Datatype,
    }
}

fn expected_names(schema: &Schema, a: &content::Automaton, state: Option<usize>) -> String {
    let names: Vec<String> = a
        .next(state)
        .iter()
        .map(|&p| {
            let pos = &a.positions[p];
            format!("`{}`", qname(schema, pos.ns, pos.local))
        })
        .collect();
    let mut out = match names.len() {
        0 => "no more elements".to_string(),
        1 => names[0].clone(),
        _ => format!("one of {}", names.join(", ")),
    };
    if a.accepts(state) && !names.is_empty() {
        out.push_str(" or the end of the element");
    }
    out
}

/// What a parent's content model says of a child element.
struct Matched {
    /// The child's type, when the parent declares it.
    ty: Option<TypeRef>,
    /// Whether the child may repeat.
    repeatable: bool,
    /// Its name's slot among the parent's child counts.
    slot: Option<usize>,
    /// The error, if the child is not allowed there.
    problem: Option<(SchemaCode, String)>,
}

/// Steps `parent`'s automaton over the child `local` (in namespace `key`,
/// written `written`).
#[inline]
fn match_child(
    schema: &Schema,
    parent: &mut Frame,
    key: Option<Option<u16>>,
    local: &str,
    written: &str,
) -> Matched {
    let mut matched = None;
    let mut repeatable = false;
    let mut slot = None;
    let mut problem: Option<(SchemaCode, String)> = None;
    match parent.ty {
        Some(TypeRef::Complex(ci)) => match parent.automaton {
            Some(a) => {
                let found = key.and_then(|n| a.find(a.next(parent.state), n, local));
                match found {
                    Some(p) => {
                        parent.state = Some(p);
                        matched = Some(a.positions[p].ty);
                        repeatable = a.repeatable[p];
                        slot = Some(a.name_slot[p]);
                    }
                    None => {
                        let expected = expected_names(schema, a, parent.state);
                        match key.and_then(|n| a.find_anywhere(n, local)) {
                            Some(p) => {
                                // Known here, but not now: out of order or too many.
                                if !parent.broken {
                                    problem = Some((
                                        SchemaCode::UnexpectedElement,
                                        format!("element `{written}` is not expected here; expected {expected}"),
                                    ));
                                }
                                parent.broken = true;
                                parent.state = Some(p);
                                matched = Some(a.positions[p].ty);
                                repeatable = a.repeatable[p];
                                slot = Some(a.name_slot[p]);
                            }
                            None => {
                                problem = Some((
                                    SchemaCode::UnexpectedElement,
                                    format!(
                                        "element `{written}`{} is not allowed in `{}`; expected {expected}",
                                        if key.is_none() { " (in a namespace the schema does not know)" } else { "" },
                                        schema.complex_types[usize::from(ci)].name
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
            None => {
                problem = Some((
                    SchemaCode::UnexpectedElement,
                    format!(
                        "element `{written}` is not allowed: `{}` has no element content",
                        schema.complex_types[usize::from(ci)].name
                    ),
                ));
            }
        },
        Some(TypeRef::Simple(_)) => {
            problem = Some((
                SchemaCode::UnexpectedElement,
                format!("element `{written}` is not allowed inside a simple value"),
            ));
        }
        None => {}
    }
    Matched {
        ty: matched,
        repeatable,
        slot,
        problem,
    }
}
