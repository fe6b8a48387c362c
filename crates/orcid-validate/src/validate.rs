//! The public entry points: validate XML text, JSON text or a typed value,
//! with both layers, into [`Report`]s.

use orcid_model::xml::{Lines, Observer};
use orcid_model::{
    detect_format, v2_1, v3_0, AnyDocument, AnyRoot, Document, Error as ModelError, Format, Root,
    Version,
};

use crate::codes::{Code, SchemaCode};
use crate::diagnostic::{Diagnostic, Location, NodePath, OrcidError, Severity, Step};
use crate::rules::{self, Context, Finding};
use crate::xsd::{self, Positions, XsdError, XsdReport};

/// One API version's model, as the entry points use it: they are written
/// once, over this trait, for both versions.
pub(crate) trait Api {
    /// The version's document.
    type Doc;
    /// The version's root element.
    type Root: Copy;
    /// The version.
    const VERSION: Version;
    fn read_xml(text: &str, observer: &mut dyn Observer) -> Result<Self::Doc, ModelError>;
    fn read_json(text: &str, root: Option<Self::Root>) -> Result<Self::Doc, ModelError>;
    fn try_to_xml(doc: &Self::Doc) -> Result<String, ModelError>;
    fn to_xml(doc: &Self::Doc) -> String;
    fn root(doc: &Self::Doc) -> Self::Root;
    fn root_name(root: Self::Root) -> String;
    fn is_bulk(root: Self::Root) -> bool;
    fn check(doc: &Self::Doc, ctx: &Context) -> Vec<Finding>;
    /// The JSON Schema of the root's vnd.orcid+json documents, built once
    /// per root and process (a bulk validates thousands of works).
    fn json_schema(root: Self::Root) -> std::sync::Arc<serde_json::Value>;
}

/// The JSON Schemas built so far, by API version and root name.
type SchemaCache = std::sync::Mutex<
    std::collections::HashMap<(Version, String), std::sync::Arc<serde_json::Value>>,
>;

/// `build()` of the root `name` of `version`, from the cache when built before.
fn cached_schema(
    version: Version,
    name: String,
    build: impl FnOnce() -> serde_json::Value,
) -> std::sync::Arc<serde_json::Value> {
    static CACHE: std::sync::OnceLock<SchemaCache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (version, name);
    if let Some(s) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return s;
    }
    let schema = std::sync::Arc::new(build());
    if let Ok(mut c) = cache.lock() {
        c.insert(key, schema.clone());
    }
    schema
}

macro_rules! api {
    ($marker:ident, $m:ident, $version:expr, $check:path) => {
        /// The entry points' view of this version's model.
        pub(crate) struct $marker;
        impl Api for $marker {
            type Doc = $m::Document;
            type Root = $m::Root;
            const VERSION: Version = $version;
            fn read_xml(
                text: &str,
                observer: &mut dyn Observer,
            ) -> Result<$m::Document, ModelError> {
                $m::Document::from_xml_observed(text, observer)
            }
            fn read_json(text: &str, root: Option<$m::Root>) -> Result<$m::Document, ModelError> {
                $m::Document::from_json(text, root)
            }
            fn try_to_xml(doc: &$m::Document) -> Result<String, ModelError> {
                doc.try_to_xml(false)
            }
            fn to_xml(doc: &$m::Document) -> String {
                doc.to_xml(false)
            }
            fn root(doc: &$m::Document) -> $m::Root {
                doc.root()
            }
            fn root_name(root: $m::Root) -> String {
                root.qualified_name()
            }
            fn is_bulk(root: $m::Root) -> bool {
                root == $m::Root::BulkBulk
            }
            fn check(doc: &$m::Document, ctx: &Context) -> Vec<Finding> {
                $check(doc, ctx)
            }
            fn json_schema(root: $m::Root) -> std::sync::Arc<serde_json::Value> {
                cached_schema($version, root.qualified_name(), || root.json_schema())
            }
        }
    };
}
api!(V2_1Api, v2_1, Version::V2_1, rules::check);
api!(V3_0Api, v3_0, Version::V3_0, rules::check_v3_0);

/// ORCID's answer to an XML body that fails the XSD (400/9001).
pub const XML_SCHEMA_ERROR: OrcidError = OrcidError {
    code: 9001,
    http: 400,
};
/// ORCID's answer to a JSON body that cannot be read or fails the XSD (R14: 400/9047).
pub const JSON_ERROR: OrcidError = OrcidError {
    code: 9047,
    http: 400,
};

/// The findings for one payload.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// The payload's format (`None` when it is neither).
    pub format: Option<&'static str>,
    /// Its root element (`prefix:local`), when known.
    pub root: Option<String>,
    /// Every finding, in document order within each layer.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether ORCID would accept the payload (no error-level finding).
    pub fn is_valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Validates text in either format (detected from the content). `root`
/// says which element a JSON document is (R1); `None` infers it.
pub fn validate_str(text: &str, root: Option<Root>, ctx: &Context) -> Report {
    match detect_format(text) {
        Some(Format::Xml) => validate_xml(text, ctx),
        Some(Format::Json) => validate_json(text, root, ctx),
        None => Report {
            format: None,
            root: None,
            diagnostics: vec![Diagnostic {
                code: Code::Schema(SchemaCode::Syntax),
                severity: Severity::Error,
                message: "input is neither XML (starts with `<`) nor JSON (starts with `{`)".into(),
                location: Some(Location {
                    line: 1,
                    column: 1,
                    path: String::new(),
                }),
                node: None,
                orcid_error: Some(XML_SCHEMA_ERROR),
                hint: Some("send application/vnd.orcid+xml or application/vnd.orcid+json".into()),
            }],
        },
    }
}

/// Validates text in either format (detected from the content) as a
/// payload of API `version`. `root` says which element a JSON document is
/// (R1); `None` infers it. A root that `version` does not have (a v3.0-only
/// `distinction` validated as v2.1) is reported as such.
pub fn validate_text(text: &str, root: Option<AnyRoot>, version: Version, ctx: &Context) -> Report {
    match (version, detect_format(text)) {
        (Version::V2_1, Some(Format::Json)) => match root.map(|r| r.v2_1.ok_or(r)) {
            Some(Err(r)) => unknown_root(r, version),
            Some(Ok(r)) => validate_json(text, Some(r), ctx),
            None => validate_json(text, None, ctx),
        },
        (Version::V3_0, Some(Format::Json)) => match root.map(|r| r.v3_0.ok_or(r)) {
            Some(Err(r)) => unknown_root(r, version),
            Some(Ok(r)) => json::<V3_0Api>(text, Some(r), ctx),
            None => json::<V3_0Api>(text, None, ctx),
        },
        (Version::V2_1, _) => validate_str(text, None, ctx),
        (Version::V3_0, Some(Format::Xml)) => xml_parsed::<V3_0Api>(text, ctx).report,
        (Version::V3_0, None) => validate_str(text, None, ctx),
    }
}

/// Validates a document of either version (no source text: locations
/// carry the XPath of its XML image and no line).
pub fn validate_any_document(doc: &AnyDocument, ctx: &Context) -> Report {
    match doc {
        AnyDocument::V2_1(d) => validate_document(d, ctx),
        AnyDocument::V3_0(d) => document::<V3_0Api>(d, ctx),
    }
}

fn unknown_root(root: AnyRoot, version: Version) -> Report {
    let name = root
        .v2_1
        .map(v2_1::Root::qualified_name)
        .or_else(|| root.v3_0.map(v3_0::Root::qualified_name))
        .unwrap_or_default();
    Report {
        format: Some(Format::Json.media_type()),
        root: Some(name.clone()),
        diagnostics: vec![model_error(
            "",
            ModelError::Root(format!("`{name}` is not a v{version} root element")),
            JSON_ERROR,
        )],
    }
}

/// Validates a vnd.orcid+xml payload: the XSD, then ORCID's rules.
pub fn validate_xml(text: &str, ctx: &Context) -> Report {
    validate_xml_located(text, ctx).0
}

/// [`validate_xml`], also returning where every element is (node path ->
/// byte offset and XPath), for callers that locate findings of their own.
pub fn validate_xml_located(text: &str, ctx: &Context) -> (Report, Positions) {
    let v = validate_xml_parsed(text, ctx);
    (v.report, v.positions)
}

/// What [`validate_xml_parsed`] found, with what it built on the way.
#[derive(Debug)]
pub struct XmlValidation<D = Document> {
    /// The findings.
    pub report: Report,
    /// Where every element is.
    pub positions: Positions,
    /// The document as the model read it, when the rules were checked on
    /// it (`None` when the XML is malformed, its root is not a v2.1
    /// element, or the model cannot read it).
    pub document: Option<D>,
}

/// [`validate_xml_located`], also returning the document the rules were
/// checked on, so that a caller does not need to read the text again.
pub fn validate_xml_parsed(text: &str, ctx: &Context) -> XmlValidation {
    xml_parsed::<V2_1Api>(text, ctx)
}

fn xml_parsed<A: Api>(text: &str, ctx: &Context) -> XmlValidation<A::Doc> {
    // One pass over the text: the model reads it while the XSD validator
    // sees the same events. The model stops at its first problem; the XSD
    // then runs on its own, to find every error.
    let mut validator = xsd::Validator::for_version(text, A::VERSION);
    let read = A::read_xml(text, &mut validator);
    let (xsd, read) = match read {
        Ok(doc) if validator.is_done() => (validator.into_report(), Ok(doc)),
        other => (xsd::validate_as(text, A::VERSION), other),
    };
    let lines = Lines::new(text.as_bytes());
    let mut diagnostics: Vec<Diagnostic> = xsd
        .errors
        .iter()
        .map(|e| {
            let (line, column) = lines.line_col(e.offset);
            xsd_diagnostic(
                e,
                Some(Location {
                    line,
                    column,
                    path: e.xpath.clone(),
                }),
                XML_SCHEMA_ERROR,
            )
        })
        .collect();
    let syntax_broken = xsd.errors.iter().any(|e| e.code.stops_checking());
    let mut root = xsd.root.clone();
    let mut document = None;
    if !syntax_broken {
        match read {
            Ok(doc) => {
                let bulk = A::is_bulk(A::root(&doc));
                root = Some(A::root_name(A::root(&doc)));
                for f in A::check(&doc, ctx) {
                    let location = xml_location(&lines, &xsd, &xml_node(bulk, &f.node));
                    diagnostics.push(Diagnostic::of_finding(&f, location));
                }
                document = Some(doc);
            }
            Err(e) if xsd.errors.is_empty() => {
                diagnostics.push(model_error(text, e, XML_SCHEMA_ERROR))
            }
            Err(_) => {}
        }
    }
    let report = Report {
        format: Some(Format::Xml.media_type()),
        root,
        diagnostics,
    };
    XmlValidation {
        report,
        positions: xsd.positions,
        document,
    }
}

/// Validates a vnd.orcid+json payload as ORCID does (R14): read it (unknown
/// keys, wrong enum spellings → 9047), run the XSD on its XML image, then
/// ORCID's rules. Locations are JSON Pointers with line:column in `text`.
pub fn validate_json(text: &str, root: Option<Root>, ctx: &Context) -> Report {
    json::<V2_1Api>(text, root, ctx)
}

fn json<A: Api>(text: &str, root: Option<A::Root>, ctx: &Context) -> Report {
    orcid_model::json::take_absent_required();
    let read = A::read_json(text, root);
    let absent_required = orcid_model::json::take_absent_required();
    let doc = match read {
        Ok(d) => d,
        Err(e) => {
            let mut d = model_error(text, e, JSON_ERROR);
            // Point at the member itself (serde_json reports the position
            // after what it read, e.g. a key's closing quote).
            if let Some(loc) = d.location.as_mut() {
                if !loc.path.is_empty() {
                    if let Some(off) = crate::json_index::index(text).get(&loc.path) {
                        let (line, column) = Lines::new(text.as_bytes()).line_col(off);
                        loc.line = line;
                        loc.column = column;
                    }
                }
            }
            return Report {
                format: Some(Format::Json.media_type()),
                root: root.map(A::root_name),
                diagnostics: vec![d],
            };
        }
    };
    let index = crate::json_index::index(text);
    let lines = Lines::new(text.as_bytes());
    // The model reads a required key that is missing or null (ORCID's own
    // output has them); a payload to send needs it, as the reader used to
    // say: the same finding, and nothing else, as for any unreadable JSON.
    // Only a document read with a required key absent or null needs the
    // walk (`orcid_model::json::take_absent_required`).
    let missing = if absent_required {
        serde_json::from_str::<serde_json::Value>(text)
            .map(|v| crate::json_required::missing_keys(&v, &A::json_schema(A::root(&doc))))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    if !missing.is_empty() {
        let diagnostics = missing
            .into_iter()
            .map(|m| {
                let (line, column) = index
                    .get(m.pointer.as_str())
                    .map(|off| lines.line_col(off))
                    .unwrap_or((1, 1));
                let code = SchemaCode::JsonMissingField;
                Diagnostic {
                    code: Code::Schema(code),
                    severity: Severity::Error,
                    message: m.message,
                    location: Some(Location {
                        line,
                        column,
                        path: m.pointer,
                    }),
                    node: None,
                    orcid_error: Some(JSON_ERROR),
                    hint: code.info().hint.map(str::to_string),
                }
            })
            .collect();
        return Report {
            format: Some(Format::Json.media_type()),
            root: Some(A::root_name(A::root(&doc))),
            diagnostics,
        };
    }
    let bulk = A::is_bulk(A::root(&doc));
    let locate = |node: &NodePath| -> Option<Location> {
        let pointer = pointer_of(bulk, node);
        // The closest ancestor present in the text.
        let mut p = pointer.as_str();
        loop {
            if let Some(off) = index.get(p) {
                let (line, column) = lines.line_col(off);
                return Some(Location {
                    line,
                    column,
                    path: pointer.clone(),
                });
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => {
                    return Some(Location {
                        line: 0,
                        column: 0,
                        path: pointer.clone(),
                    })
                }
            }
        }
    };
    let image = A::to_xml(&doc);
    let xsd = xsd::validate_as(&image, A::VERSION);
    let mut diagnostics: Vec<Diagnostic> = xsd
        .errors
        .iter()
        .map(|e| xsd_diagnostic(e, locate(&e.node), JSON_ERROR))
        .collect();
    for f in A::check(&doc, ctx) {
        diagnostics.push(Diagnostic::of_finding(&f, locate(&f.node)));
    }
    Report {
        format: Some(Format::Json.media_type()),
        root: Some(A::root_name(A::root(&doc))),
        diagnostics,
    }
}

/// Validates a typed value (no source text: locations carry the XPath of
/// its XML image and no line).
pub fn validate_document(doc: &Document, ctx: &Context) -> Report {
    document::<V2_1Api>(doc, ctx)
}

fn document<A: Api>(doc: &A::Doc, ctx: &Context) -> Report {
    // A value built in code may hold a character XML cannot carry: the
    // writer puts U+FFFD in its place, and here it is an error.
    let (image, unwritable) = match A::try_to_xml(doc) {
        Ok(image) => (image, None),
        Err(e) => (A::to_xml(doc), Some(e)),
    };
    let xsd = xsd::validate_as(&image, A::VERSION);
    let mut diagnostics: Vec<Diagnostic> = unwritable
        .map(|e| model_error("", e, XML_SCHEMA_ERROR))
        .into_iter()
        .collect();
    diagnostics.extend(xsd.errors.iter().map(|e| {
        xsd_diagnostic(
            e,
            Some(Location {
                line: 0,
                column: 0,
                path: e.xpath.clone(),
            }),
            XML_SCHEMA_ERROR,
        )
    }));
    let bulk = A::is_bulk(A::root(doc));
    for f in A::check(doc, ctx) {
        let path = xsd_path(&xsd, &xml_node(bulk, &f.node));
        diagnostics.push(Diagnostic::of_finding(
            &f,
            Some(Location {
                line: 0,
                column: 0,
                path,
            }),
        ));
    }
    Report {
        format: None,
        root: Some(A::root_name(A::root(doc))),
        diagnostics,
    }
}

/// JSON Pointer of a node path (bulk items sit in `{"work": …}` wrappers, R9).
pub fn json_pointer(root: Root, node: &NodePath) -> String {
    pointer_of(root == Root::BulkBulk, node)
}

/// [`json_pointer`] of a node path in a bulk (`bulk`) or another document.
fn pointer_of(bulk: bool, node: &NodePath) -> String {
    let mut steps = node.0.clone();
    if bulk {
        // XSD paths name the item element first (`work`, 3, …); rule paths
        // already use the JSON form (`bulk`, 3, `work`, …).
        if matches!(steps.first(), Some(Step::Key(k)) if k == "bulk") {
            return NodePath(steps).to_json_pointer();
        }
        if let [Step::Key(k), Step::Index(i), ..] = steps.as_slice() {
            let (k, i) = (k.clone(), *i);
            steps.splice(
                0..2,
                [Step::Key("bulk".into()), Step::Index(i), Step::Key(k)],
            );
        }
    }
    NodePath(steps).to_json_pointer()
}

/// The XML form of a node path: inside a bulk, rule findings name
/// `bulk/<i>/work/…` (the JSON form) while elements are `work[i]/…`.
fn xml_node(bulk: bool, node: &NodePath) -> NodePath {
    if bulk {
        if let [Step::Key(b), Step::Index(i), Step::Key(k), rest @ ..] = node.0.as_slice() {
            if b == "bulk" {
                let mut steps = vec![Step::Key(k.clone()), Step::Index(*i)];
                steps.extend(rest.iter().cloned());
                return NodePath(steps);
            }
        }
    }
    node.clone()
}

fn xsd_path(xsd: &XsdReport, node: &NodePath) -> String {
    let mut n = node.clone();
    loop {
        if let Some((_, xp)) = xsd.positions.get(&n) {
            return xp;
        }
        if n.0.pop().is_none() {
            return String::new();
        }
    }
}

fn xml_location(lines: &Lines<'_>, xsd: &XsdReport, node: &NodePath) -> Option<Location> {
    let mut n = node.clone();
    let attr = node.0.last().cloned();
    loop {
        if let Some((off, xp)) = xsd.positions.get(&n) {
            let (line, column) = lines.line_col(off);
            let mut path = xp;
            // An attribute of the element found: name it in the path.
            if n.0.len() + 1 == node.0.len() {
                if let Some(Step::Key(a)) = &attr {
                    path = format!("{path}/@{a}");
                }
            }
            return Some(Location { line, column, path });
        }
        n.0.pop()?;
    }
}

fn xsd_diagnostic(e: &XsdError, location: Option<Location>, orcid: OrcidError) -> Diagnostic {
    Diagnostic {
        code: Code::Schema(e.code),
        severity: Severity::Error,
        message: e.message.clone(),
        location,
        node: Some(e.node.clone()),
        orcid_error: Some(orcid),
        hint: e.code.info().hint.map(str::to_string),
    }
}

fn model_error(text: &str, e: ModelError, orcid: OrcidError) -> Diagnostic {
    let (code, message, location) = match &e {
        ModelError::Xml(x) => (
            SchemaCode::Syntax,
            x.kind.to_string(),
            Some(Location {
                line: x.line,
                column: x.column,
                path: x.path.clone(),
            }),
        ),
        ModelError::Json(j) => {
            let code = if j.message.starts_with("unknown field") {
                SchemaCode::JsonUnknownField
            } else if j.message.starts_with("unknown variant") {
                SchemaCode::JsonEnumeration
            } else if j.message.starts_with("missing field") {
                SchemaCode::JsonMissingField
            } else if j.message.starts_with("invalid type")
                || j.message.starts_with("invalid value")
            {
                SchemaCode::JsonType
            } else {
                SchemaCode::JsonSyntax
            };
            (
                code,
                j.message.clone(),
                Some(Location {
                    line: j.line,
                    column: j.column,
                    path: j.pointer.clone(),
                }),
            )
        }
        ModelError::Root(m) => (
            SchemaCode::JsonRoot,
            m.clone(),
            Some(Location {
                line: 1,
                column: 1,
                path: String::new(),
            }),
        ),
        other => (SchemaCode::Syntax, other.to_string(), None),
    };
    let _ = text;
    // Which root a JSON body is comes from the endpoint, not from ORCID's
    // reader: a missing --root is our question, not an ORCID error.
    let orcid_error = if code == SchemaCode::JsonRoot {
        None
    } else {
        Some(orcid)
    };
    Diagnostic {
        code: Code::Schema(code),
        severity: Severity::Error,
        message,
        location,
        node: None,
        orcid_error,
        hint: code.info().hint.map(str::to_string),
    }
}
