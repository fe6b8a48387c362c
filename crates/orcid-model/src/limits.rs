//! What the readers refuse in outside input, whatever its format: nesting
//! deeper than [`MAX_DEPTH`], start tags with more than [`MAX_ATTRIBUTES`]
//! attributes, and characters outside XML 1.0's `Char` production
//! ([`is_xml_char`]).
//!
//! This is the one home of these limits: the model's XML and JSON readers
//! ([`crate::xml::XmlReader`], [`crate::json::from_str_with`]) and the XSD
//! validator of `orcid-validate` use them from here. They are fixed (not
//! settings): ORCID's server, which reads both formats into the same XML
//! model, cannot accept more either.

use std::fmt;

/// The deepest nesting the readers accept: open elements in XML (the root
/// element is level 1), open objects and arrays in vnd.orcid+json (the
/// document's object is level 1).
///
/// ORCID's documents nest about 15 levels at most (the deepest of ORCID's
/// samples and of the real records in `../shared` nest 10 elements in XML
/// and 13 objects and arrays in JSON), so 100 leaves a wide margin for any
/// valid document while
/// keeping the work per level small: it stays below serde_json's own
/// recursion limit (128), so this error, which names the limit, comes first,
/// and a hundred levels of the generated readers fit with room to spare in
/// the smallest stack a reader runs on (a 2 MiB thread stack, debug build).
pub const MAX_DEPTH: usize = 100;

/// The most attributes (namespace declarations included) the XML readers
/// accept on one start tag.
///
/// No type of the v2.1 schemas declares more than 6 attributes; the root
/// element of a document usually declares every namespace it uses (ORCID's
/// writer declares 24, the largest start tag of ORCID's samples and real
/// records has 29). 64 is more than twice that, and it bounds the work per
/// start tag (checking attribute names for duplicates is quadratic in their
/// number) and the namespace bindings in scope (at most
/// `MAX_ATTRIBUTES * MAX_DEPTH`), on which every name lookup depends.
pub const MAX_ATTRIBUTES: usize = 64;

/// Whether `c` is in XML 1.0's `Char` production (XML 1.0 §2.2): tab,
/// line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and
/// U+10000–U+10FFFF. No XML 1.0 document can carry any other character,
/// not even as a character reference, so neither format of ORCID's API can.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The byte offset and value of the first character of `s` outside
/// XML 1.0's `Char` production, if any (one pass over the bytes).
pub fn first_non_xml_char(s: &str) -> Option<(usize, char)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x09 | 0x0A | 0x0D => {}
            x if x < 0x20 => return Some((i, char::from(x))),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8;
            // surrogates cannot occur in a `str`.
            0xEF if b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)) => {
                let c = if b[i + 2] == 0xBE {
                    '\u{FFFE}'
                } else {
                    '\u{FFFF}'
                };
                return Some((i, c));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Why a reader refused its input. The message names the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A start tag with more than [`MAX_ATTRIBUTES`] attributes.
    TooManyAttributes,
    /// A character outside XML 1.0's `Char` production.
    NotXmlChar(char),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooDeep => write!(
                f,
                "the document nests deeper than {MAX_DEPTH} levels, the readers' fixed limit \
                 (orcid_model::limits::MAX_DEPTH; ORCID's documents nest at most 15)"
            ),
            Refusal::TooManyAttributes => write!(
                f,
                "a start tag has more than {MAX_ATTRIBUTES} attributes and namespace \
                 declarations, the readers' fixed limit (orcid_model::limits::MAX_ATTRIBUTES; \
                 no ORCID element declares more than 6)"
            ),
            Refusal::NotXmlChar(c) => write!(
                f,
                "character U+{:04X} is not allowed: XML 1.0 cannot carry it (not even as a \
                 character reference), so neither format of ORCID's API can",
                u32::from(*c)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_chars() {
        for c in [
            '\0', '\u{1}', '\u{8}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
            let s = format!("ab{c}d");
            assert_eq!(first_non_xml_char(&s), Some((2, c)));
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'é',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{10000}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
            assert_eq!(first_non_xml_char(&format!("a{c}\u{EFBF}")), None);
        }
    }
}
