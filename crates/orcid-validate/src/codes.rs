//! The codes of diagnostics, each with what it means beside it: the
//! schema layer's (`syntax`, `xsd.*`, `json.*`, [`SchemaCode`], described
//! in [`SCHEMA_CODES`]) and ORCID's server rules (`orcid.*`, [`RULES`]).
//! `orcid explain` and every output format read them from here.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::rules::{rule_by_id, Rule, RULES};
use crate::{OrcidError, JSON_ERROR, XML_SCHEMA_ERROR};

/// What a code of the schema layer (or of reading the input) means.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// `xsd.pattern`, `json.unknown-field`, `syntax`, …
    pub code: &'static str,
    /// How to fix a finding (the diagnostic's hint), when one sentence fits
    /// every case.
    pub hint: Option<&'static str>,
    /// A few words shown next to the marker under the source line.
    pub label: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Usual causes, most common first.
    pub causes: &'static [&'static str],
    /// The ORCID errors it predicts (XML and/or JSON inputs).
    pub orcid: &'static [(&'static str, OrcidError)],
}

/// A code of the schema layer, in the order of [`SCHEMA_CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaCode {
    /// `syntax`.
    Syntax,
    /// `xsd.unknown-root`.
    UnknownRoot,
    /// `xsd.unexpected-element`.
    UnexpectedElement,
    /// `xsd.missing-element`.
    MissingElement,
    /// `xsd.unexpected-attribute`.
    UnexpectedAttribute,
    /// `xsd.missing-attribute`.
    MissingAttribute,
    /// `xsd.unexpected-text`.
    UnexpectedText,
    /// `xsd.pattern`.
    Pattern,
    /// `xsd.enumeration`.
    Enumeration,
    /// `xsd.max-length`.
    MaxLength,
    /// `xsd.min-length`.
    MinLength,
    /// `xsd.min-inclusive`.
    MinInclusive,
    /// `xsd.max-inclusive`.
    MaxInclusive,
    /// `xsd.datatype`.
    Datatype,
    /// `json.syntax`.
    JsonSyntax,
    /// `json.unknown-field`.
    JsonUnknownField,
    /// `json.enumeration`.
    JsonEnumeration,
    /// `json.missing-field`.
    JsonMissingField,
    /// `json.type`.
    JsonType,
    /// `json.root`.
    JsonRoot,
}

impl SchemaCode {
    /// Every code, in the order of [`SCHEMA_CODES`].
    pub const ALL: &'static [SchemaCode] = &[
        SchemaCode::Syntax,
        SchemaCode::UnknownRoot,
        SchemaCode::UnexpectedElement,
        SchemaCode::MissingElement,
        SchemaCode::UnexpectedAttribute,
        SchemaCode::MissingAttribute,
        SchemaCode::UnexpectedText,
        SchemaCode::Pattern,
        SchemaCode::Enumeration,
        SchemaCode::MaxLength,
        SchemaCode::MinLength,
        SchemaCode::MinInclusive,
        SchemaCode::MaxInclusive,
        SchemaCode::Datatype,
        SchemaCode::JsonSyntax,
        SchemaCode::JsonUnknownField,
        SchemaCode::JsonEnumeration,
        SchemaCode::JsonMissingField,
        SchemaCode::JsonType,
        SchemaCode::JsonRoot,
    ];

    /// What it means.
    pub fn info(self) -> &'static CodeInfo {
        &SCHEMA_CODES[self as usize]
    }

    /// Its stable spelling (`xsd.pattern`).
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    /// The code spelled `code`.
    pub fn parse(code: &str) -> Option<SchemaCode> {
        SchemaCode::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// The input cannot be read as a document of ORCID's (malformed, or
    /// not one of its root elements): nothing else can be checked.
    pub fn stops_checking(self) -> bool {
        matches!(self, SchemaCode::Syntax | SchemaCode::UnknownRoot)
    }

    /// The codes that predict the ORCID error `orcid_code`.
    pub fn predicting(orcid_code: u16) -> impl Iterator<Item = SchemaCode> {
        SchemaCode::ALL
            .iter()
            .copied()
            .filter(move |c| c.info().orcid.iter().any(|(_, e)| e.code == orcid_code))
    }
}

/// The code of a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Of the schema layer or of reading the input.
    Schema(SchemaCode),
    /// One of ORCID's server rules.
    Rule(&'static Rule),
}

impl Code {
    /// Its stable spelling: `xsd.pattern`, `orcid.work.title-required`, …
    pub fn as_str(&self) -> &'static str {
        match self {
            Code::Schema(c) => c.as_str(),
            Code::Rule(r) => r.id,
        }
    }

    /// The code spelled `code`, a schema code or a rule id.
    pub fn parse(code: &str) -> Option<Code> {
        SchemaCode::parse(code)
            .map(Code::Schema)
            .or_else(|| rule_by_id(code).map(Code::Rule))
    }

    /// A few words shown next to the marker under the source line (rules:
    /// `here`).
    pub fn label(&self) -> &'static str {
        match self {
            Code::Schema(c) => c.info().label,
            Code::Rule(_) => "here",
        }
    }

    /// One line about it.
    pub fn summary(&self) -> &'static str {
        match self {
            Code::Schema(c) => c.info().summary,
            Code::Rule(r) => r.summary,
        }
    }

    /// Whether it is one of ORCID's server rules (layer 2).
    pub fn is_rule(&self) -> bool {
        matches!(self, Code::Rule(_))
    }

    /// Whether it is a finding of the XSD (`xsd.*`).
    pub fn is_xsd(&self) -> bool {
        matches!(self, Code::Schema(c) if c.as_str().starts_with("xsd."))
    }

    /// See [`SchemaCode::stops_checking`].
    pub fn stops_checking(&self) -> bool {
        matches!(self, Code::Schema(c) if c.stops_checking())
    }

    /// Every code: the schema layer's, then the rules.
    pub fn all() -> impl Iterator<Item = Code> {
        SchemaCode::ALL
            .iter()
            .copied()
            .map(Code::Schema)
            .chain(RULES.iter().map(Code::Rule))
    }
}

impl From<SchemaCode> for Code {
    fn from(c: SchemaCode) -> Code {
        Code::Schema(c)
    }
}

impl fmt::Display for SchemaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for SchemaCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for Code {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

const XML_AND_JSON: &[(&str, OrcidError)] = &[("XML", XML_SCHEMA_ERROR), ("JSON", JSON_ERROR)];
const JSON_ONLY: &[(&str, OrcidError)] = &[("JSON", JSON_ERROR)];

/// Every code of the schema layer.
pub static SCHEMA_CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "syntax",
        hint: Some("fix the syntax at the given position"),
        label: "malformed",
        summary: "Malformed input",
        meaning: "The input is not well-formed XML, not UTF-8, or neither XML nor JSON: \
                  ORCID cannot read it at all.",
        causes: &[
            "an end tag that does not match its start tag, or an unclosed element",
            "an unescaped `&` or `<` in text (write `&amp;` and `&lt;`)",
            "a truncated file, or one saved in another encoding than UTF-8",
        ],
        orcid: &[("XML", XML_SCHEMA_ERROR)],
    },
    CodeInfo {
        code: "xsd.unknown-root",
        hint: Some("use one of ORCID's v2.1 elements as the root, in its namespace (e.g. work:work)"),
        label: "not a v2.1 root element",
        summary: "Not a v2.1 root element",
        meaning: "The root element is not one of ORCID's v2.1 elements in its namespace.",
        causes: &[
            "a namespace of another API version (v2.0, v3.0) or a misspelled namespace",
            "a missing `xmlns:work=…` declaration, or a misspelled element name",
        ],
        orcid: &[("XML", XML_SCHEMA_ERROR)],
    },
    CodeInfo {
        code: "xsd.unexpected-element",
        hint: Some("remove the element, or move it to where the schema expects it (the order of elements is fixed)"),
        label: "not expected here",
        summary: "Element not allowed here",
        meaning: "The XSD does not allow this element at this place: the order of the \
                  elements of a sequence is fixed, and most may occur only once.",
        causes: &[
            "elements in another order than the schema's",
            "an element given twice that may occur only once",
            "a misspelled element, or one in the wrong namespace (e.g. `work:title` vs \
             `common:title`)",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.missing-element",
        hint: Some("add the missing element"),
        label: "an element is missing here",
        summary: "Required element missing",
        meaning: "An element that the XSD requires is absent.",
        causes: &[
            "a required child left out (e.g. `common:external-id-type` of an external id)",
            "the element is there, but inside another parent",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.unexpected-attribute",
        hint: Some("remove the attribute"),
        label: "unexpected attribute in this element",
        summary: "Attribute not allowed",
        meaning: "The element has an attribute that the XSD does not declare for it.",
        causes: &[
            "a misspelled attribute (`putcode` for `put-code`)",
            "an attribute of another API version",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.missing-attribute",
        hint: Some("add the attribute"),
        label: "an attribute is missing in this element",
        summary: "Required attribute missing",
        meaning: "An attribute that the XSD requires is absent.",
        causes: &["a required attribute left out"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.unexpected-text",
        hint: Some("remove the text or put it in the element that holds it"),
        label: "text not allowed here",
        summary: "Text not allowed here",
        meaning: "Text (other than white space) inside an element that holds only elements.",
        causes: &["a value written in the parent instead of in its child element"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.pattern",
        hint: Some("change the value so that it matches the pattern the schema gives"),
        label: "does not match the pattern",
        summary: "Value does not match the pattern",
        meaning: "The value does not match the regular expression of its XSD type.",
        causes: &[
            "a blank (white space only) title or name: ORCID's string types need a \
             non-blank character",
            "an ORCID iD path not of the form 0000-0002-1825-0097",
            "leading or trailing white space where the pattern does not allow it",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.enumeration",
        hint: Some("use one of the listed values, spelled exactly"),
        label: "not one of the allowed values",
        summary: "Value not in the list of allowed values",
        meaning: "The value is not one of the values its XSD type enumerates.",
        causes: &[
            "a misspelled work type, visibility, relationship or role",
            "a language or country code that ORCID does not list (language codes are \
             ORCID's own list, e.g. `en`, `zh_CN`)",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.max-length",
        hint: Some("shorten the value"),
        label: "too long",
        summary: "Value too long",
        meaning: "The value is longer than the maximum length of its XSD type.",
        causes: &["a title, subtitle or short description over ORCID's limits"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.min-length",
        hint: Some("give a longer value"),
        label: "too short",
        summary: "Value too short",
        meaning: "The value is shorter than the minimum length of its XSD type.",
        causes: &["an empty value where one is required"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.min-inclusive",
        hint: Some("use a value within the range"),
        label: "too small",
        summary: "Value below the minimum",
        meaning: "The number is smaller than the smallest value its XSD type allows.",
        causes: &["a fuzzy-date year, month or day out of range (month 0, year 0)"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.max-inclusive",
        hint: Some("use a value within the range"),
        label: "too large",
        summary: "Value above the maximum",
        meaning: "The number is larger than the largest value its XSD type allows.",
        causes: &["a fuzzy-date month over 12 or day over 31"],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "xsd.datatype",
        hint: Some("write the value in the type's lexical form"),
        label: "not a value of the expected type",
        summary: "Value is not of the element's type",
        meaning: "The value is not in the lexical form of its XSD datatype.",
        causes: &[
            "a date-time not in ISO 8601 form (`2017-01-18T15:06:05.000Z`)",
            "a put-code that is not an integer",
            "a URL with spaces or other characters an anyURI cannot hold",
            "a year, month or day that is not two or four digits",
        ],
        orcid: XML_AND_JSON,
    },
    CodeInfo {
        code: "json.syntax",
        hint: Some("fix the syntax at the given position"),
        label: "malformed",
        summary: "Malformed JSON",
        meaning: "The input is not well-formed JSON.",
        causes: &[
            "a trailing comma, a missing quote or brace, or a truncated file",
            "comments (JSON has none)",
        ],
        orcid: JSON_ONLY,
    },
    CodeInfo {
        code: "json.unknown-field",
        hint: Some("remove the key: ORCID rejects keys its model does not have (R10)"),
        label: "unknown key",
        summary: "Unknown JSON key",
        meaning: "ORCID's v2.1 model has no such key here: ORCID rejects the document rather \
                  than ignore it.",
        causes: &[
            "a misspelled key",
            "a key of another API version (v3.0), or the XML name of a value that JSON \
             names differently",
        ],
        orcid: JSON_ONLY,
    },
    CodeInfo {
        code: "json.enumeration",
        hint: Some("v2.1 JSON spells enum values as Java constants, e.g. JOURNAL_ARTICLE, PUBLIC, SELF (R7)"),
        label: "not one of the allowed values",
        summary: "Unknown enumeration value in JSON",
        meaning: "The value is not one of the spellings of its enumeration: vnd.orcid+json \
                  spells most enumerations as Java constants.",
        causes: &[
            "`journal-article` written instead of `JOURNAL_ARTICLE`, `public` instead of \
             `PUBLIC`",
            "a misspelled value",
        ],
        orcid: JSON_ONLY,
    },
    CodeInfo {
        code: "json.missing-field",
        hint: Some("add the required key"),
        label: "a key is missing here",
        summary: "Required JSON key missing",
        meaning: "A key that the model requires is absent.",
        causes: &["a required key left out (e.g. `value` of a wrapped scalar)"],
        orcid: JSON_ONLY,
    },
    CodeInfo {
        code: "json.type",
        hint: Some("use the JSON type ORCID writes for this key (R3, R6)"),
        label: "not a value of the expected type",
        summary: "JSON value of the wrong type",
        meaning: "The value has another JSON type than ORCID writes for this key.",
        causes: &[
            "a bare string where ORCID wraps it as `{\"value\": \"…\"}`",
            "a number written as a string, or the other way round",
            "a single object where an array is expected",
        ],
        orcid: JSON_ONLY,
    },
    CodeInfo {
        code: "json.root",
        hint: Some("say which element the JSON is (e.g. --root work)"),
        label: "here",
        summary: "Root element of the JSON unknown",
        meaning: "JSON does not name its root element, and it cannot be inferred from the \
                  top-level keys. ORCID knows it from the endpoint; locally, say it with \
                  `--root`.",
        causes: &[
            "keys that several elements have (give `--root`)",
            "keys that no element has (a typo, or another API version)",
        ],
        orcid: JSON_ONLY,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_and_the_table_agree() {
        assert_eq!(SchemaCode::ALL.len(), SCHEMA_CODES.len());
        for (i, c) in SchemaCode::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert_eq!(SchemaCode::parse(c.as_str()), Some(*c));
        }
        for code in Code::all() {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert!(!code.summary().is_empty());
        }
        assert!(SchemaCode::predicting(9001).any(|c| c == SchemaCode::Pattern));
    }
}
