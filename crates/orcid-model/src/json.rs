//! Helpers that give generated serde code ORCID's vnd.orcid+json spellings
//! (rules R1–R16 of `docs/orcid-json-mapping.md`), and the leniencies of
//! ORCID's reader (R14): a bare object where an array is expected, a bare
//! value where a `{"value": …}` wrapper is expected, `null` as absent.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::limits::{self, Refusal, MAX_DEPTH};
use crate::xml::XmlValue;

/// An object key, borrowed from the input when possible.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Serialises `{"value": T}` (R4, R8).
pub struct Wrap<'a, T>(pub &'a T);

impl<T: Serialize> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("value", self.0)?;
        m.end()
    }
}

/// Writes `{key: value}`: one item of a polymorphic JSON array (an
/// affiliation group's `summaries`).
pub struct OneKey<'a, T>(pub &'static str, pub &'a T);

impl<T: Serialize> Serialize for OneKey<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, self.1)?;
        m.end()
    }
}

/// Reads `{"value": T}`, `{"value": null}` or, leniently (R14), a bare `T`.
pub struct Wrapped<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Wrapped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Wrapped<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object {\"value\": …}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Wrapped<T>, A::Error> {
                let mut value: Option<Option<T>> = None;
                while let Some(k) = map.next_key::<Key<'de>>()? {
                    match k.as_str() {
                        "value" => {
                            if value.is_some() {
                                return Err(de::Error::duplicate_field("value"));
                            }
                            value = Some(map.next_value::<Option<Coerced<T>>>()?.map(|c| c.0));
                        }
                        other => return Err(de::Error::unknown_field(other, &["value"])),
                    }
                }
                Ok(Wrapped(value.flatten()))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Wrapped<T>, E> {
                T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(|t| Wrapped(Some(t)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Wrapped<T>, E> {
                T::deserialize(v.to_string().into_deserializer()).map(|t| Wrapped(Some(t)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Wrapped<T>, E> {
                T::deserialize(v.into_deserializer()).map(|t| Wrapped(Some(t)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Wrapped<T>, E> {
                coerce(v, v.to_string()).map(|t| Wrapped(Some(t)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Wrapped<T>, E> {
                coerce(v, v.to_string()).map(|t| Wrapped(Some(t)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Wrapped<T>, E> {
                coerce(v, v.to_string()).map(|t| Wrapped(Some(t)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Wrapped<T>, E> {
                coerce(v, v.to_string()).map(|t| Wrapped(Some(t)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Wrapped<T>, E> {
                Ok(Wrapped(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Reads `T` from a JSON scalar, as Jackson coerces scalars
/// (`ALLOW_COERCION_OF_SCALARS`, on by default in ORCID's reader): a
/// number or boolean where `T` wants text is read as its decimal text
/// (`{"value": 1000}` for an `amount` is `"1000"`; a fraction is written
/// the shortest way, `1000.5`, where Jackson keeps the token's text).
/// Types that read numbers themselves (`Month`, `Day`, put-codes) get the
/// number first.
pub struct Coerced<T>(pub T);

/// `T` from `v`, else from its text `text`; the first error if neither reads.
fn coerce<'de, T, V, E>(v: V, text: String) -> Result<T, E>
where
    T: Deserialize<'de>,
    V: IntoDeserializer<'de, E>,
    E: de::Error,
{
    T::deserialize(v.into_deserializer()).or_else(|e: E| {
        T::deserialize(IntoDeserializer::<'de, E>::into_deserializer(text)).map_err(|_| e)
    })
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Coerced<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Coerced<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Coerced<T>, E> {
                T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Coerced)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Coerced<T>, E> {
                T::deserialize(v.to_string().into_deserializer()).map(Coerced)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Coerced<T>, E> {
                T::deserialize(v.into_deserializer()).map(Coerced)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Coerced<T>, E> {
                coerce(v, v.to_string()).map(Coerced)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Coerced<T>, E> {
                coerce(v, v.to_string()).map(Coerced)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Coerced<T>, E> {
                coerce(v, v.to_string()).map(Coerced)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Coerced<T>, E> {
                coerce(v, v.to_string()).map(Coerced)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Coerced<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Coerced)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Coerced<T>, A::Error> {
                T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Coerced)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Reads an array, a single object (R14 `ACCEPT_SINGLE_VALUE_AS_ARRAY`) or
/// `null` (an empty list).
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany<T>, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(x) = seq.next_element()? {
                    v.push(x);
                }
                Ok(OneOrMany(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<OneOrMany<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OneOrMany<T>, E> {
                Ok(OneOrMany(Vec::new()))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<OneOrMany<T>, E> {
                T::deserialize(de::value::BorrowedStrDeserializer::new(v))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany<T>, E> {
                T::deserialize(v.to_string().into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Serialises a string that holds an integer as a JSON number (R3:
/// person-item `display-index`).
pub struct NumberFromString<'a>(pub &'a str);

impl Serialize for NumberFromString<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.trim().parse::<i64>() {
            Ok(n) => s.serialize_i64(n),
            Err(_) => Err(serde::ser::Error::custom(format_args!(
                "display-index `{}` is not an integer, so it cannot be written as vnd.orcid+json",
                self.0
            ))),
        }
    }
}

/// Reads a JSON number (or a string) into its decimal text.
pub struct NumberOrString(pub String);

impl<'de> Deserialize<'de> for NumberOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberOrString, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberOrString, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberOrString, E> {
                Ok(NumberOrString(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Serialises an enum with its XML spelling (R7 exceptions held as Java
/// `String`s, e.g. group-id-record `type`).
pub struct XmlSpelled<'a, T>(pub &'a T);

impl<T: XmlValue> Serialize for XmlSpelled<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::new();
        self.0.write_xml(&mut out);
        s.serialize_str(&out)
    }
}

/// Reads a value in its XML spelling.
pub struct XmlSpelledOwned<T>(pub T);

impl<'de, T: XmlValue> Deserialize<'de> for XmlSpelledOwned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let k = Key::deserialize(d)?;
        T::parse_xml(k.as_str())
            .map(XmlSpelledOwned)
            .map_err(|e| de::Error::custom(e.0))
    }
}

/// A JSON reading error: what, where (line:column and JSON Pointer).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message} (at {})", if pointer.is_empty() { "the document root" } else { pointer.as_str() })]
pub struct JsonError {
    /// The message.
    pub message: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// JSON Pointer (RFC 6901) of the value, e.g. `/title/title/value`;
    /// empty for the whole document.
    pub pointer: String,
}

thread_local! {
    /// Whether this thread's JSON reading took a required property as
    /// absent ([`lenient`]) since [`take_absent_required`] last looked.
    static ABSENT_REQUIRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The value of a property the XSD requires, read leniently (ORCID's own
/// output has `null` there): `None` when absent or `null`, which is noted
/// for [`take_absent_required`].
pub fn lenient<T>(value: Option<Option<T>>) -> Option<T> {
    let value = value.flatten();
    if value.is_none() {
        ABSENT_REQUIRED.with(|a| a.set(true));
    }
    value
}

/// Whether a required property was read as absent on this thread since the
/// last call (which resets it): a validator that reads a payload to send
/// looks for such keys only then.
pub fn take_absent_required() -> bool {
    ABSENT_REQUIRED.with(|a| a.replace(false))
}

/// The value of a required property as read: `None` when the key is
/// absent, `Some(None)` when it is `null`. Both are the error "missing
/// field" (so that callers classify them alike); a `null` says so, since
/// the key is there to see.
pub fn required<T, E: de::Error>(value: Option<Option<T>>, key: &'static str) -> Result<T, E> {
    match value {
        Some(Some(v)) => Ok(v),
        Some(None) => Err(E::custom(format_args!(
            "missing field `{key}`: it is null, and ORCID's schema requires a value"
        ))),
        None => Err(E::missing_field(key)),
    }
}

/// Deserialises `T` from JSON text with path and position in errors.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    from_str_with(text, |d| T::deserialize(d))
}

/// The deserializer handed to [`from_str_with`]'s closure.
pub type TrackingDeserializer<'a, 'b, 'c> = serde_path_to_error::Deserializer<
    'b,
    'b,
    &'c mut serde_json::Deserializer<serde_json::de::StrRead<'a>>,
>;

/// Runs `f` on a JSON deserializer of `text`, tracking the JSON path, and
/// checks that nothing but whitespace follows the value. Text that nests
/// deeper than [`MAX_DEPTH`] or holds a character XML 1.0 cannot carry
/// (raw or escaped) is refused before `f` runs ([`check`]).
pub fn from_str_with<'a, T>(
    text: &'a str,
    f: impl for<'b, 'c> FnOnce(TrackingDeserializer<'a, 'b, 'c>) -> Result<T, serde_json::Error>,
) -> Result<T, JsonError> {
    check(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let result = f(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let value = result.map_err(|e| to_json_error(&track.path(), &e))?;
    de.end().map_err(|e| to_json_error_at_root(&e))?;
    Ok(value)
}

fn to_json_error_at_root(e: &serde_json::Error) -> JsonError {
    let mut j = to_json_error(&serde_path_to_error::Track::new().path(), e);
    j.pointer = String::new();
    j
}

fn to_json_error(path: &serde_path_to_error::Path, e: &serde_json::Error) -> JsonError {
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; we report those separately.
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let mut pointer = pointer(path);
    // An unknown key fails before its value is entered, a required key
    // that is null after its object is read: point at the key.
    let at_key = message.strip_prefix("unknown field `").or_else(|| {
        message
            .strip_prefix("missing field `")
            .filter(|r| r.contains("`: it is null"))
    });
    if let Some(rest) = at_key {
        if let Some(key) = rest.split('`').next() {
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
    }
    JsonError {
        message,
        line: e.line(),
        column: e.column(),
        pointer,
    }
}

/// JSON Pointer (RFC 6901) of a serde path.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    // A syntax error between members leaves an `Unknown` segment: the
    // pointer then names the enclosing value.
    for seg in path.iter().filter(|s| !matches!(s, Segment::Unknown)) {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// An open object or array, while [`check`] scans.
enum Open {
    /// An object, and the byte range of its latest key (quotes included).
    Object {
        key: Option<(usize, usize)>,
        want_key: bool,
    },
    /// An array, and the index of its current element.
    Array(usize),
}

/// Refuses JSON text that nests deeper than [`MAX_DEPTH`] or holds a
/// character outside XML 1.0's `Char` production ([`limits::is_xml_char`]),
/// raw or as a `\u` escape (an escaped surrogate pair is one character, and
/// lone surrogates are left to serde_json, which refuses them). One pass,
/// no recursion; the error has the line, column and JSON Pointer of what
/// was refused. Syntax errors are left to serde_json.
pub fn check(text: &str) -> Result<(), JsonError> {
    let b = text.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i = check_string(text, i)
                    .map_err(|(at, c)| refused(text, at, &open, Refusal::NotXmlChar(c)))?;
                if let Some(Open::Object { key, want_key }) = open.last_mut() {
                    if *want_key {
                        *key = Some((start, i));
                        *want_key = false;
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                if open.len() >= MAX_DEPTH {
                    return Err(refused(text, i, &open, Refusal::TooDeep));
                }
                open.push(if b[i] == b'{' {
                    Open::Object {
                        key: None,
                        want_key: true,
                    }
                } else {
                    Open::Array(0)
                });
            }
            b'}' | b']' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Object { want_key, .. }) => *want_key = true,
                Some(Open::Array(n)) => *n += 1,
                None => {}
            },
            _ => {
                if let Some((at, c)) = limits::first_non_xml_char(&text[i..next_char(text, i)]) {
                    return Err(refused(text, i + at, &open, Refusal::NotXmlChar(c)));
                }
            }
        }
        i = next_char(text, i);
    }
    Ok(())
}

/// The byte offset of the character after the one at `i`.
fn next_char(text: &str, i: usize) -> usize {
    let mut j = i + 1;
    while !text.is_char_boundary(j) {
        j += 1;
    }
    j
}

/// Scans the string that starts at the quote at `start`; returns the offset
/// after its closing quote (or the end), or where and which character XML
/// cannot carry it holds.
fn check_string(text: &str, start: usize) -> Result<usize, (usize, char)> {
    let b = text.as_bytes();
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Ok(i + 1),
            b'\\' if b.get(i + 1) == Some(&b'u') => {
                let Some(code) = hex4(b, i + 2) else {
                    i += 2;
                    continue;
                };
                let pair = (0xD800..0xDC00).contains(&code)
                    && b.get(i + 6) == Some(&b'\\')
                    && b.get(i + 7) == Some(&b'u')
                    && hex4(b, i + 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo));
                if pair {
                    i += 12; // a supplementary character: always allowed
                    continue;
                }
                if let Some(c) = char::from_u32(code).filter(|&c| !limits::is_xml_char(c)) {
                    return Err((i, c));
                }
                i += 6;
            }
            // Any other escape: the backslash and the whole character after
            // it (which may take several bytes when the escape is invalid).
            b'\\' if i + 1 < b.len() => i = next_char(text, i + 1),
            b'\\' => i += 1,
            _ => {
                let end = next_char(text, i);
                if let Some((_, c)) = limits::first_non_xml_char(&text[i..end]) {
                    return Err((i, c));
                }
                i = end;
            }
        }
    }
    Ok(b.len())
}

/// The value of four hex digits at `at`.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

/// The error for what [`check`] refused at byte `at`, inside `open`.
fn refused(text: &str, at: usize, open: &[Open], why: Refusal) -> JsonError {
    let (line, column) = crate::xml::line_col(text.as_bytes(), at);
    let mut pointer = String::new();
    for o in open {
        match o {
            Open::Object {
                key: Some((s, e)),
                want_key: false,
            } => {
                let key = serde_json::from_str::<String>(&text[*s..*e])
                    .unwrap_or_else(|_| text[*s..*e].trim_matches('"').to_string());
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Open::Object { .. } => {}
            Open::Array(n) => {
                pointer.push('/');
                pointer.push_str(&n.to_string());
            }
        }
    }
    JsonError {
        message: why.to_string(),
        line,
        column,
        pointer,
    }
}
