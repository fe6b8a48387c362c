//! What the diagnostic codes of `orcid validate` mean: `syntax`, `xsd.*`
//! and `json.*` are described here; `orcid.*` are ORCID's server rules
//! ([`orcid_validate::RULES`]).

use orcid_validate::rules::rule_by_id;
use orcid_validate::{OrcidError, Rule, JSON_ERROR, XML_SCHEMA_ERROR};

/// A code of the schema layer (or of reading the input).
#[derive(Debug, Clone, Copy)]
pub struct SchemaCode {
    /// `xsd.pattern`, `json.unknown-field`, `syntax`, …
    pub code: &'static str,
    /// One line.
    pub summary: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Usual causes, most common first.
    pub causes: &'static [&'static str],
    /// The ORCID errors it predicts (XML and/or JSON inputs).
    pub orcid: &'static [(&'static str, OrcidError)],
}

const XML_AND_JSON: &[(&str, OrcidError)] = &[("XML", XML_SCHEMA_ERROR), ("JSON", JSON_ERROR)];
const JSON_ONLY: &[(&str, OrcidError)] = &[("JSON", JSON_ERROR)];

/// Every code of the schema layer.
pub static SCHEMA_CODES: &[SchemaCode] = &[
    SchemaCode {
        code: "syntax",
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
    SchemaCode {
        code: "xsd.unknown-root",
        summary: "Not a v2.1 root element",
        meaning: "The root element is not one of ORCID's v2.1 elements in its namespace.",
        causes: &[
            "a namespace of another API version (v2.0, v3.0) or a misspelled namespace",
            "a missing `xmlns:work=…` declaration, or a misspelled element name",
        ],
        orcid: &[("XML", XML_SCHEMA_ERROR)],
    },
    SchemaCode {
        code: "xsd.unexpected-element",
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
    SchemaCode {
        code: "xsd.missing-element",
        summary: "Required element missing",
        meaning: "An element that the XSD requires is absent.",
        causes: &[
            "a required child left out (e.g. `common:external-id-type` of an external id)",
            "the element is there, but inside another parent",
        ],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.unexpected-attribute",
        summary: "Attribute not allowed",
        meaning: "The element has an attribute that the XSD does not declare for it.",
        causes: &[
            "a misspelled attribute (`putcode` for `put-code`)",
            "an attribute of another API version",
        ],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.missing-attribute",
        summary: "Required attribute missing",
        meaning: "An attribute that the XSD requires is absent.",
        causes: &["a required attribute left out"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.unexpected-text",
        summary: "Text not allowed here",
        meaning: "Text (other than white space) inside an element that holds only elements.",
        causes: &["a value written in the parent instead of in its child element"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.pattern",
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
    SchemaCode {
        code: "xsd.enumeration",
        summary: "Value not in the list of allowed values",
        meaning: "The value is not one of the values its XSD type enumerates.",
        causes: &[
            "a misspelled work type, visibility, relationship or role",
            "a language or country code that ORCID does not list (language codes are \
             ORCID's own list, e.g. `en`, `zh_CN`)",
        ],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.max-length",
        summary: "Value too long",
        meaning: "The value is longer than the maximum length of its XSD type.",
        causes: &["a title, subtitle or short description over ORCID's limits"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.min-length",
        summary: "Value too short",
        meaning: "The value is shorter than the minimum length of its XSD type.",
        causes: &["an empty value where one is required"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.min-inclusive",
        summary: "Value below the minimum",
        meaning: "The number is smaller than the smallest value its XSD type allows.",
        causes: &["a fuzzy-date year, month or day out of range (month 0, year 0)"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.max-inclusive",
        summary: "Value above the maximum",
        meaning: "The number is larger than the largest value its XSD type allows.",
        causes: &["a fuzzy-date month over 12 or day over 31"],
        orcid: XML_AND_JSON,
    },
    SchemaCode {
        code: "xsd.datatype",
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
    SchemaCode {
        code: "json.syntax",
        summary: "Malformed JSON",
        meaning: "The input is not well-formed JSON.",
        causes: &[
            "a trailing comma, a missing quote or brace, or a truncated file",
            "comments (JSON has none)",
        ],
        orcid: JSON_ONLY,
    },
    SchemaCode {
        code: "json.unknown-field",
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
    SchemaCode {
        code: "json.enumeration",
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
    SchemaCode {
        code: "json.missing-field",
        summary: "Required JSON key missing",
        meaning: "A key that the model requires is absent.",
        causes: &["a required key left out (e.g. `value` of a wrapped scalar)"],
        orcid: JSON_ONLY,
    },
    SchemaCode {
        code: "json.type",
        summary: "JSON value of the wrong type",
        meaning: "The value has another JSON type than ORCID writes for this key.",
        causes: &[
            "a bare string where ORCID wraps it as `{\"value\": \"…\"}`",
            "a number written as a string, or the other way round",
            "a single object where an array is expected",
        ],
        orcid: JSON_ONLY,
    },
    SchemaCode {
        code: "json.root",
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

/// What a diagnostic code is.
#[derive(Debug, Clone, Copy)]
pub enum Described {
    /// A schema-layer code.
    Schema(&'static SchemaCode),
    /// One of ORCID's server rules.
    Rule(&'static Rule),
}

impl Described {
    /// One line.
    pub fn summary(&self) -> &'static str {
        match self {
            Described::Schema(c) => c.summary,
            Described::Rule(r) => r.summary,
        }
    }
}

/// The description of a diagnostic code, if it is one.
pub fn describe(code: &str) -> Option<Described> {
    if let Some(c) = SCHEMA_CODES.iter().find(|c| c.code == code) {
        return Some(Described::Schema(c));
    }
    rule_by_id(code).map(Described::Rule)
}

/// The schema-layer codes that predict the ORCID error `code`.
pub fn schema_codes_for(code: u16) -> Vec<&'static SchemaCode> {
    SCHEMA_CODES
        .iter()
        .filter(|c| c.orcid.iter().any(|(_, e)| e.code == code))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_the_library_emits_is_described() {
        for code in [
            "syntax",
            "xsd.pattern",
            "xsd.enumeration",
            "xsd.max-length",
            "xsd.min-length",
            "xsd.min-inclusive",
            "xsd.max-inclusive",
            "xsd.datatype",
            "xsd.unexpected-element",
            "xsd.missing-element",
            "xsd.unexpected-attribute",
            "xsd.missing-attribute",
            "xsd.unexpected-text",
            "xsd.unknown-root",
            "json.syntax",
            "json.unknown-field",
            "json.enumeration",
            "json.missing-field",
            "json.type",
            "json.root",
        ] {
            assert!(describe(code).is_some(), "{code}");
        }
        for r in orcid_validate::RULES {
            assert!(describe(r.id).is_some(), "{}", r.id);
        }
    }
}
