//! A light reading of XSD files: declared element names and enumeration values.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The XML Schema namespace.
const XS_NS: &[u8] = b"http://www.w3.org/2001/XMLSchema";

/// What an XSD declares, as far as the schema diff is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XsdSummary {
    /// Every `xs:element name=…`, global or local. A global element is its
    /// bare name (`work`); a local one is prefixed by the names of its named
    /// enclosing elements, complex types, groups and attribute groups
    /// (`work/title`).
    pub elements: BTreeSet<String>,
    /// Every `xs:enumeration value=…`, grouped by the enclosing named
    /// `xs:simpleType` (`work-type`); for an anonymous simple type the group is
    /// the path of its named ancestors, attributes written `@name`
    /// (`external-id/@relationship`).
    pub enumerations: BTreeMap<String, BTreeSet<String>>,
}

/// Why an XSD could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not well-formed XML at byte {position}: {message}")]
pub struct XsdError {
    /// Byte offset where reading stopped.
    pub position: u64,
    /// Parser message.
    pub message: String,
}

struct Frame {
    /// Local name if the element is in the XML Schema namespace.
    kind: Option<String>,
    /// Its `name` attribute, if any.
    name: Option<String>,
}

/// Reads the element names and enumeration values declared by an XSD.
pub fn summarize_xsd(bytes: &[u8]) -> Result<XsdSummary, XsdError> {
    let mut reader = NsReader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut summary = XsdSummary::default();
    loop {
        let (in_xs, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((ns, event)) => (
                matches!(ns, ResolveResult::Bound(n) if n.as_ref() == XS_NS),
                event,
            ),
            Err(e) => {
                return Err(XsdError {
                    position: reader.buffer_position(),
                    message: e.to_string(),
                })
            }
        };
        let decoder = reader.decoder();
        match event {
            Event::Start(ref start) => {
                let frame = frame_of(start, in_xs, decoder);
                record(&frame, start, decoder, &stack, &mut summary);
                stack.push(frame);
            }
            Event::Empty(ref start) => {
                let frame = frame_of(start, in_xs, decoder);
                record(&frame, start, decoder, &stack, &mut summary);
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(summary)
}

impl XsdSummary {
    /// Total number of enumeration values.
    pub fn enumeration_count(&self) -> usize {
        self.enumerations.values().map(BTreeSet::len).sum()
    }
}

fn frame_of(start: &BytesStart<'_>, in_xs: bool, decoder: Decoder) -> Frame {
    let kind = in_xs.then(|| String::from_utf8_lossy(start.local_name().as_ref()).into_owned());
    let name = if in_xs {
        attr(start, b"name", decoder)
    } else {
        None
    };
    Frame { kind, name }
}

fn attr(start: &BytesStart<'_>, key: &[u8], decoder: Decoder) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| match a.decode_and_unescape_value(decoder) {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

fn record(
    frame: &Frame,
    start: &BytesStart<'_>,
    decoder: Decoder,
    stack: &[Frame],
    summary: &mut XsdSummary,
) {
    match (frame.kind.as_deref(), &frame.name) {
        (Some("element"), Some(name)) => {
            let mut path = scope_path(stack, false);
            path.push(name.clone());
            summary.elements.insert(path.join("/"));
        }
        (Some("enumeration"), _) => {
            if let Some(value) = attr(start, b"value", decoder) {
                summary
                    .enumerations
                    .entry(enumeration_group(stack))
                    .or_default()
                    .insert(value);
            }
        }
        _ => {}
    }
}

/// Names of the enclosing named declarations (elements, complex types,
/// groups, attribute groups, and attributes as `@name` if `with_attributes`).
fn scope_path(stack: &[Frame], with_attributes: bool) -> Vec<String> {
    stack
        .iter()
        .filter_map(|f| match (f.kind.as_deref(), &f.name) {
            (Some("element" | "complexType" | "group" | "attributeGroup"), Some(n)) => {
                Some(n.clone())
            }
            (Some("attribute"), Some(n)) if with_attributes => Some(format!("@{n}")),
            _ => None,
        })
        .collect()
}

fn enumeration_group(stack: &[Frame]) -> String {
    let named_simple_type = stack
        .iter()
        .rev()
        .find(|f| f.kind.as_deref() == Some("simpleType"))
        .and_then(|f| f.name.clone());
    if let Some(name) = named_simple_type {
        return name;
    }
    let path = scope_path(stack, true);
    if path.is_empty() {
        "(anonymous)".to_owned()
    } else {
        path.join("/")
    }
}

/// Differences between two [`XsdSummary`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XsdChanges {
    /// Element names only in the new file.
    pub elements_added: Vec<String>,
    /// Element names only in the old file.
    pub elements_removed: Vec<String>,
    /// Enumeration values only in the new file, by group.
    pub enumerations_added: BTreeMap<String, Vec<String>>,
    /// Enumeration values only in the old file, by group.
    pub enumerations_removed: BTreeMap<String, Vec<String>>,
}

impl XsdChanges {
    /// Compares `old` with `new`.
    pub fn between(old: &XsdSummary, new: &XsdSummary) -> Self {
        let diff = |a: &BTreeSet<String>, b: &BTreeSet<String>| -> Vec<String> {
            a.difference(b).cloned().collect()
        };
        let empty = BTreeSet::new();
        let mut changes = XsdChanges {
            elements_added: diff(&new.elements, &old.elements),
            elements_removed: diff(&old.elements, &new.elements),
            ..Default::default()
        };
        let groups: BTreeSet<&String> = old
            .enumerations
            .keys()
            .chain(new.enumerations.keys())
            .collect();
        for group in groups {
            let o = old.enumerations.get(group).unwrap_or(&empty);
            let n = new.enumerations.get(group).unwrap_or(&empty);
            let added = diff(n, o);
            let removed = diff(o, n);
            if !added.is_empty() {
                changes.enumerations_added.insert(group.clone(), added);
            }
            if !removed.is_empty() {
                changes.enumerations_removed.insert(group.clone(), removed);
            }
        }
        changes
    }

    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.elements_added.is_empty()
            && self.elements_removed.is_empty()
            && self.enumerations_added.is_empty()
            && self.enumerations_removed.is_empty()
    }
}
