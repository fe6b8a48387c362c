//! Findings and where they are.

use serde::Serialize;

use crate::codes::Code;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// ORCID would reject the payload.
    Error,
    /// ORCID accepts it, but it is probably not what was meant.
    Warning,
}

/// The ORCID API error a finding predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct OrcidError {
    /// ORCID's `error-code` (e.g. 9022).
    pub code: u16,
    /// The HTTP status that comes with it (e.g. 400).
    pub http: u16,
}

/// A path inside the document, format-neutral: element local names (which
/// are also the JSON keys, R2) with 0-based indices for repeated elements.
/// `["external-ids", "external-id", 1, "external-id-type"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct NodePath(pub Vec<Step>);

/// One step of a [`NodePath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Step {
    /// A child element / JSON key (attributes too: `put-code`).
    Key(String),
    /// The n-th (0-based) of a repeated element / a JSON array index.
    Index(usize),
}

impl NodePath {
    /// The empty path (the root element itself).
    pub fn root() -> Self {
        NodePath(Vec::new())
    }

    /// This path with a key appended.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Step::Key(k.to_string()));
        p
    }

    /// This path with an index appended.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Step::Index(i));
        p
    }

    /// As a JSON Pointer (RFC 6901).
    pub fn to_json_pointer(&self) -> String {
        let mut out = String::new();
        for s in &self.0 {
            out.push('/');
            match s {
                Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
}

/// Where a finding is in the input text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub column: usize,
    /// XPath-like element path for XML (`/work:work/common:external-ids/common:external-id[2]`)
    /// or JSON Pointer for JSON (`/external-ids/external-id/1`).
    pub path: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Stable code: `xsd.<facet>` for schema findings (`xsd.pattern`,
    /// `xsd.unexpected-element`, …), `orcid.<rule>` for ORCID's server
    /// rules, `syntax` for malformed input; what it means is beside it
    /// ([`Code::summary`], [`crate::SCHEMA_CODES`]).
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where (absent only when the input has no position, e.g. a typed value).
    pub location: Option<Location>,
    /// Format-neutral path of the node, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodePath>,
    /// The ORCID error the server would answer with.
    pub orcid_error: Option<OrcidError>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// The diagnostic of a rule finding, at `location` (where the finding's
    /// node is in the input, when known).
    pub fn of_finding(f: &crate::rules::Finding, location: Option<Location>) -> Diagnostic {
        Diagnostic {
            code: Code::Rule(f.rule),
            severity: f.rule.severity,
            message: f.message.clone(),
            location,
            node: Some(f.node.clone()),
            orcid_error: Some(f.rule.orcid_error()),
            hint: Some(f.rule.hint.to_string()),
        }
    }
}
