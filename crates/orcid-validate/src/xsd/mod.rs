//! Layer 1: the XSD, complete for ORCID's v2.1 schemas, in pure Rust.
//!
//! A streaming validator over the XML events, driven by the content models
//! and facets that the codegen extracts from the XSDs
//! ([`orcid_model::v2_1::schema_table`], [`orcid_model::v2_1::simple_types`]).
//! It collects every error, each with its byte offset, an XPath with
//! ORCID's prefixes, and the format-neutral [`NodePath`].

pub mod content;
pub mod simple;

use std::collections::HashMap;

use orcid_model::schema::{Content, SimpleRef, TypeRef};
use orcid_model::v2_1::ns::ALL as NAMESPACES;
use orcid_model::v2_1::schema_table::{COMPLEX_TYPES, GLOBAL_ELEMENTS};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::diagnostic::NodePath;

/// One XSD finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XsdError {
    /// Stable code, `xsd.*` (or `syntax`).
    pub code: &'static str,
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
    pub positions: HashMap<NodePath, (usize, String)>,
    /// The root element (`prefix:local` with ORCID's prefix), when it is a
    /// v2.1 global element.
    pub root: Option<String>,
}

const XSI: &[u8] = b"http://www.w3.org/2001/XMLSchema-instance";
const XS: &[u8] = b"http://www.w3.org/2001/XMLSchema";

/// Element declarations with a `default` value constraint, as
/// (namespace, local name, default). An element with no character or
/// element children takes its default, which is what gets validated (XSD 1.0
/// Part 1 §3.3.4, cvc-elt 5.1.1). The generated table does not carry value
/// constraints; the v2.1 schemas have this one (work-2.1.xsd).
const ELEMENT_DEFAULTS: &[(&str, &str, &str)] = &[(
    "http://www.orcid.org/ns/work",
    "citation-type",
    "formatted-unspecified",
)];

fn element_default(ns: Ns, local: &str) -> Option<&'static str> {
    let Ns::Known(id) = ns else { return None };
    let uri = NAMESPACES[usize::from(id)].uri;
    ELEMENT_DEFAULTS
        .iter()
        .find(|(n, l, _)| *n == uri && *l == local)
        .map(|(_, _, d)| *d)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    None,
    Known(u16),
    Other,
}

fn ns_of(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Unbound => Ns::None,
        ResolveResult::Bound(ns) => NAMESPACES
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

fn qname(ns: Option<u16>, local: &str) -> String {
    match ns {
        Some(i) => format!("{}:{local}", NAMESPACES[usize::from(i)].prefix),
        None => local.to_string(),
    }
}

struct Frame {
    ty: Option<TypeRef>,
    state: Option<usize>,
    text: String,
    offset: usize,
    xpath: String,
    node: NodePath,
    /// Counts of child elements by name (for XPath and node indices).
    counts: HashMap<(Option<u16>, String), usize>,
    /// Whether element content was already broken (report once).
    broken: bool,
    has_child: bool,
    /// The declaration's default value, if any.
    default: Option<&'static str>,
}

/// Validates an XML document against the v2.1 schemas.
pub fn validate(text: &str) -> XsdReport {
    let mut v = Validator {
        report: XsdReport::default(),
        stack: Vec::new(),
    };
    v.run(text);
    v.report
}

struct Validator {
    report: XsdReport,
    stack: Vec<Frame>,
}

impl Validator {
    fn error(
        &mut self,
        code: &'static str,
        message: String,
        offset: usize,
        xpath: &str,
        node: &NodePath,
    ) {
        self.report.errors.push(XsdError {
            code,
            message,
            offset,
            xpath: xpath.to_string(),
            node: node.clone(),
        });
    }

    fn run(&mut self, text: &str) {
        let mut r = NsReader::from_str(text);
        r.config_mut().trim_text(false);
        let mut seen_root = false;
        loop {
            let offset = r.buffer_position() as usize;
            let (ns, ev) = match r.read_resolved_event() {
                Ok((res, ev)) => (ns_of(&res), ev),
                Err(e) => {
                    let at = r.error_position() as usize;
                    let (xpath, node) = self
                        .stack
                        .last()
                        .map_or((String::from("/"), NodePath::root()), |f| {
                            (f.xpath.clone(), f.node.clone())
                        });
                    self.error("syntax", format!("malformed XML: {e}"), at, &xpath, &node);
                    return;
                }
            };
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    if self.stack.is_empty() && seen_root {
                        self.error(
                            "syntax",
                            "content after the root element".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                        return;
                    }
                    seen_root = true;
                    self.start(&r, ns, e, offset);
                    if matches!(ev, Event::Empty(_)) {
                        self.end();
                    }
                }
                Event::End(_) => self.end(),
                Event::Text(t) => {
                    if let Some(f) = self.stack.last_mut() {
                        match t.decode() {
                            Ok(s) => f.text.push_str(&s),
                            Err(e) => {
                                let (xp, nd) = (f.xpath.clone(), f.node.clone());
                                self.error(
                                    "syntax",
                                    format!("malformed text: {e}"),
                                    offset,
                                    &xp,
                                    &nd,
                                );
                                return;
                            }
                        }
                    } else if !t.iter().all(u8::is_ascii_whitespace) {
                        self.error(
                            "syntax",
                            "text outside the root element".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                        return;
                    }
                }
                Event::CData(t) => {
                    if let Some(f) = self.stack.last_mut() {
                        f.text.push_str(&String::from_utf8_lossy(&t));
                    } else {
                        self.error(
                            "syntax",
                            "CDATA outside the root element".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                        return;
                    }
                }
                Event::GeneralRef(g) => {
                    if self.stack.is_empty() {
                        // quick-xml reports a reference outside the root as
                        // an event, but no reference may appear there.
                        self.error(
                            "syntax",
                            "reference outside the root element".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                        return;
                    }
                    if let Some(f) = self.stack.last_mut() {
                        let resolved = match g.resolve_char_ref() {
                            Ok(Some(c)) => Some(c.to_string()),
                            _ => g.decode().ok().and_then(|n| {
                                quick_xml::escape::resolve_predefined_entity(&n).map(str::to_string)
                            }),
                        };
                        match resolved {
                            Some(s) => f.text.push_str(&s),
                            None => {
                                let (xp, nd) = (f.xpath.clone(), f.node.clone());
                                self.error(
                                    "syntax",
                                    "unknown entity reference".into(),
                                    offset,
                                    &xp,
                                    &nd,
                                );
                                return;
                            }
                        }
                    }
                }
                Event::Eof => {
                    if !seen_root {
                        self.error(
                            "syntax",
                            "no root element".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                    } else if !self.stack.is_empty() {
                        self.error(
                            "syntax",
                            "unexpected end of document".into(),
                            offset,
                            "/",
                            &NodePath::root(),
                        );
                    }
                    return;
                }
                _ => {}
            }
        }
    }

    fn start(&mut self, r: &NsReader<&[u8]>, ns: Ns, e: &BytesStart<'_>, offset: usize) {
        let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let written = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        // Which declaration applies?
        let (ty, xpath, node) = match self.stack.last_mut() {
            None => {
                let decl = ns_opt(ns).and_then(|n| {
                    GLOBAL_ELEMENTS
                        .iter()
                        .find(|(gns, gl, _)| Some(*gns) == n && *gl == local)
                        .map(|(_, _, t)| *t)
                });
                let xpath = format!(
                    "/{}",
                    ns_opt(ns).map_or(written.clone(), |n| qname(n, &local))
                );
                if decl.is_some() {
                    self.report.root = ns_opt(ns).map(|n| qname(n, &local));
                } else {
                    self.report.errors.push(XsdError {
                        code: "xsd.unknown-root",
                        message: format!(
                            "`{written}` is not a global element of the ORCID v2.1 schemas"
                        ),
                        offset,
                        xpath: xpath.clone(),
                        node: NodePath::root(),
                    });
                }
                (decl, xpath, NodePath::root())
            }
            Some(parent) => {
                parent.has_child = true;
                let key = ns_opt(ns);
                let mut matched = None;
                let mut repeatable = false;
                let mut problem: Option<(&'static str, String)> = None;
                match parent.ty {
                    Some(TypeRef::Complex(ci)) => match content::automaton(ci) {
                        Some(a) => {
                            let found = key.and_then(|n| a.find(a.next(parent.state), n, &local));
                            match found {
                                Some(p) => {
                                    parent.state = Some(p);
                                    matched = Some(a.positions[p].ty);
                                    repeatable = a.repeatable[p];
                                }
                                None => {
                                    let expected = expected_names(a, parent.state);
                                    match key.and_then(|n| a.find_anywhere(n, &local)) {
                                        Some(p) => {
                                            // Known here, but not now: out of order or too many.
                                            if !parent.broken {
                                                problem = Some((
                                                    "xsd.unexpected-element",
                                                    format!("element `{written}` is not expected here; expected {expected}"),
                                                ));
                                            }
                                            parent.broken = true;
                                            parent.state = Some(p);
                                            matched = Some(a.positions[p].ty);
                                            repeatable = a.repeatable[p];
                                        }
                                        None => {
                                            problem = Some((
                                                "xsd.unexpected-element",
                                                format!(
                                                    "element `{written}`{} is not allowed in `{}`; expected {expected}",
                                                    if key.is_none() { " (in a namespace the schema does not know)" } else { "" },
                                                    COMPLEX_TYPES[usize::from(ci)].name
                                                ),
                                            ));
                                        }
                                    }
                                }
                            }
                        }
                        None => {
                            problem = Some(("xsd.unexpected-element", format!("element `{written}` is not allowed: `{}` has no element content", COMPLEX_TYPES[usize::from(ci)].name)));
                        }
                    },
                    Some(TypeRef::Simple(_)) => {
                        problem = Some((
                            "xsd.unexpected-element",
                            format!("element `{written}` is not allowed inside a simple value"),
                        ));
                    }
                    None => {}
                }
                let n = key.map(|k| (k, local.clone()));
                let idx = match &n {
                    Some(k) => {
                        let c = parent.counts.entry(k.clone()).or_insert(0);
                        *c += 1;
                        *c - 1
                    }
                    None => 0,
                };
                let step_name = key.map_or(written.clone(), |k| qname(k, &local));
                let xpath = if repeatable {
                    format!("{}/{step_name}[{}]", parent.xpath, idx + 1)
                } else {
                    format!("{}/{step_name}", parent.xpath)
                };
                let mut node = parent.node.key(&local);
                if repeatable {
                    node = node.index(idx);
                }
                if let Some((code, msg)) = problem {
                    self.report.errors.push(XsdError {
                        code,
                        message: msg,
                        offset,
                        xpath: xpath.clone(),
                        node: node.clone(),
                    });
                }
                (matched, xpath, node)
            }
        };
        self.report
            .positions
            .entry(node.clone())
            .or_insert_with(|| (offset, xpath.clone()));
        // A valid `xsi:type` names the type to validate against.
        let ty = xsi_type_value(r, e)
            .and_then(|v| xsi_type(r, &v, ty).ok())
            .or(ty);
        // Attributes.
        self.attributes(r, e, ty, offset, &xpath, &node);
        let default = element_default(ns, &local);
        self.stack.push(Frame {
            default,
            ty,
            state: None,
            text: String::new(),
            offset,
            xpath,
            node,
            counts: HashMap::new(),
            broken: false,
            has_child: false,
        });
    }

    fn attributes(
        &mut self,
        r: &NsReader<&[u8]>,
        e: &BytesStart<'_>,
        ty: Option<TypeRef>,
        offset: usize,
        xpath: &str,
        node: &NodePath,
    ) {
        let decls = match ty {
            Some(TypeRef::Complex(ci)) => COMPLEX_TYPES[usize::from(ci)].attributes,
            _ => &[],
        };
        let mut seen = vec![false; decls.len()];
        for a in e.attributes() {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    self.error(
                        "syntax",
                        format!("malformed attribute: {err}"),
                        offset,
                        xpath,
                        node,
                    );
                    continue;
                }
            };
            if a.key.as_namespace_binding().is_some() {
                continue;
            }
            let (res, local) = r.resolve_attribute(a.key);
            let local = String::from_utf8_lossy(local.as_ref()).into_owned();
            let written = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = match a.decode_and_unescape_value(r.decoder()) {
                Ok(v) => v.into_owned(),
                Err(err) => {
                    self.error(
                        "syntax",
                        format!("attribute `{written}`: {err}"),
                        offset,
                        xpath,
                        node,
                    );
                    continue;
                }
            };
            if matches!(&res, ResolveResult::Bound(n) if n.as_ref() == XSI) {
                if ty.is_some() {
                    if let Some(problem) = xsi_problem(r, &local, &value, ty) {
                        self.error(
                            "xsd.unexpected-attribute",
                            format!("attribute `{written}`: {problem}"),
                            offset,
                            xpath,
                            &node.key(&local),
                        );
                    }
                }
                continue;
            }
            let ans = ns_opt(ns_of(&res));
            match decls
                .iter()
                .position(|d| Some(d.ns) == ans && d.local == local)
            {
                Some(i) => {
                    seen[i] = true;
                    if let Err(v) = simple::check(&value, decls[i].ty) {
                        let code = facet_code(v.facet);
                        self.error(
                            code,
                            format!("attribute `{written}`: {}", v.message),
                            offset,
                            xpath,
                            &node.key(&local),
                        );
                    }
                }
                None if ty.is_some() => {
                    self.error(
                        "xsd.unexpected-attribute",
                        format!("attribute `{written}` is not allowed here"),
                        offset,
                        xpath,
                        &node.key(&local),
                    );
                }
                None => {}
            }
        }
        for (i, d) in decls.iter().enumerate() {
            if d.required && !seen[i] {
                self.error(
                    "xsd.missing-attribute",
                    format!("required attribute `{}` is missing", qname(d.ns, d.local)),
                    offset,
                    xpath,
                    node,
                );
            }
        }
    }

    fn end(&mut self) {
        let Some(f) = self.stack.pop() else { return };
        match f.ty {
            Some(TypeRef::Simple(s)) => self.check_value(&f, s),
            Some(TypeRef::Complex(ci)) => {
                let t = &COMPLEX_TYPES[usize::from(ci)];
                match t.content {
                    Content::Text(s) => self.check_value(&f, s),
                    Content::MixedText => {}
                    Content::Empty => {
                        if !f.text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
                            self.error(
                                "xsd.unexpected-text",
                                format!("`{}` must be empty", t.name),
                                f.offset,
                                &f.xpath,
                                &f.node,
                            );
                        }
                    }
                    Content::Elements(_) => {
                        if !f.text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
                            let snippet: String = f.text.trim().chars().take(40).collect();
                            self.error("xsd.unexpected-text", format!("text `{snippet}` is not allowed: `{}` has element-only content", t.name), f.offset, &f.xpath, &f.node);
                        }
                        if let Some(a) = content::automaton(ci) {
                            if !f.broken && !a.accepts(f.state) {
                                let expected = expected_names(a, f.state);
                                self.error(
                                    "xsd.missing-element",
                                    format!("`{}` is incomplete: missing {expected}", t.name),
                                    f.offset,
                                    &f.xpath,
                                    &f.node,
                                );
                            }
                        }
                    }
                }
            }
            None => {}
        }
    }

    fn check_value(&mut self, f: &Frame, s: SimpleRef) {
        if f.has_child {
            return; // already reported as an unexpected element
        }
        // No character children at all (whitespace counts as some): the
        // declared default, if any, is the value.
        let value = match f.default {
            Some(d) if f.text.is_empty() => d,
            _ => f.text.as_str(),
        };
        if let Err(v) = simple::check(value, s) {
            let code = facet_code(v.facet);
            self.error(code, v.message, f.offset, &f.xpath, &f.node);
        }
    }
}

/// Named types that may stand in for a declared type through `xsi:type`,
/// as (declared, derived): every type of the v2.1 XSDs derived from a type
/// some element is declared with (XSD 1.0 Part 1 §3.4.6: a complex type
/// with simple content is validly derived from its simple base). The
/// schemas block no substitution.
const XSI_TYPE_DERIVED: &[(&str, &str)] = &[
    ("xs:anyURI", "common:url"),
    ("xs:boolean", "history:claimed"),
    ("xs:string", "common:amount"),
    ("common:email", "common:contributor-email"),
    ("common:email", "work:contributor-email"),
    ("common:credit-name", "personal-details:credit-name"),
];

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
fn xsi_type(r: &NsReader<&[u8]>, value: &str, ty: Option<TypeRef>) -> Result<TypeRef, String> {
    let v = value.trim_matches([' ', '\t', '\n', '\r']);
    let (res, local) = r.resolve(quick_xml::name::QName(v.as_bytes()), false);
    let local = String::from_utf8_lossy(local.as_ref()).into_owned();
    let named = match &res {
        ResolveResult::Bound(n) if n.as_ref() == XS => Some(format!("xs:{local}")),
        _ => ns_opt(ns_of(&res))
            .flatten()
            .map(|n| qname(Some(n), &local)),
    };
    let declared = match ty {
        Some(TypeRef::Complex(ci)) => Some(COMPLEX_TYPES[usize::from(ci)].name.to_string()),
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
    if XSI_TYPE_DERIVED.contains(&(declared.as_str(), named.as_str())) {
        if let Some(i) = COMPLEX_TYPES.iter().position(|t| t.name == named) {
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
    r: &NsReader<&[u8]>,
    local: &str,
    value: &str,
    ty: Option<TypeRef>,
) -> Option<String> {
    match local {
        "schemaLocation" | "noNamespaceSchemaLocation" => None,
        "nil" => {
            Some("the element is not nillable (no element of the ORCID v2.1 schemas is)".into())
        }
        "type" => xsi_type(r, value, ty).err(),
        other => Some(format!(
            "`xsi:{other}` is not an attribute of the XML Schema instance namespace"
        )),
    }
}

fn facet_code(facet: &str) -> &'static str {
    match facet {
        "pattern" => "xsd.pattern",
        "enumeration" => "xsd.enumeration",
        "max-length" => "xsd.max-length",
        "min-length" => "xsd.min-length",
        "min-inclusive" => "xsd.min-inclusive",
        "max-inclusive" => "xsd.max-inclusive",
        _ => "xsd.datatype",
    }
}

fn expected_names(a: &content::Automaton, state: Option<usize>) -> String {
    let names: Vec<String> = a
        .next(state)
        .iter()
        .map(|&p| format!("`{}`", qname(a.positions[p].ns, a.positions[p].local)))
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
