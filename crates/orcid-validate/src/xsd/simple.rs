//! Simple values: whitespace facet, built-in lexical spaces, enumerations,
//! patterns (XSD regular expressions), lengths and numeric ranges.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use orcid_model::facets::{simple_type_in, SimpleType};
use orcid_model::schema::SimpleRef;

use super::Schema;
use regex::Regex;

/// A value that breaks its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The facet: `pattern`, `enumeration`, `max-length`, `min-length`,
    /// `min-inclusive`, `max-inclusive` or `datatype`.
    pub facet: &'static str,
    /// What is wrong.
    pub message: String,
}

fn violation(facet: &'static str, message: String) -> Violation {
    Violation { facet, message }
}

/// Checks `value` against `ty` of `schema`'s version.
pub fn check(schema: &Schema, value: &str, ty: SimpleRef) -> Result<(), Violation> {
    let all = schema.simple_types;
    match ty {
        SimpleRef::Builtin(b) => check_builtin(&normalize(value, b, None), b),
        SimpleRef::Named(name) => match all.binary_search_by(|t| t.name.cmp(name)) {
            Ok(i) => check_named(value, &all[i], &prepared(schema, i)),
            Err(_) => Ok(()),
        },
        SimpleRef::Union(members) => {
            let mut first = None;
            for m in members {
                match check(schema, value, *m) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            let allowed = union_values(schema, members);
            Err(violation(
                "enumeration",
                if allowed.is_empty() {
                    format!("`{}` is not a valid value of any member type", short(value))
                } else {
                    format!(
                        "`{}` is not one of the allowed values ({})",
                        short(value),
                        allowed
                    )
                },
            ))
        }
    }
}

fn union_values(schema: &Schema, members: &[SimpleRef]) -> String {
    let mut vals = Vec::new();
    for m in members {
        if let SimpleRef::Named(n) = m {
            if let Some(t) = simple_type_in(schema.simple_types, n) {
                vals.extend(
                    t.enumeration
                        .iter()
                        .map(|v| if v.is_empty() { "\"\"" } else { v }),
                );
            }
        }
    }
    summarize(&vals)
}

fn summarize(vals: &[&str]) -> String {
    if vals.len() > 12 {
        format!("{}, … {} values in all", vals[..10].join(", "), vals.len())
    } else {
        vals.join(", ")
    }
}

fn short(v: &str) -> String {
    let mut s: String = v.chars().take(60).collect();
    if v.chars().count() > 60 {
        s.push('…');
    }
    s.replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// Applies the whitespace facet; non-string built-ins always collapse.
/// A value the facet leaves as it is is borrowed.
fn normalize<'v>(value: &'v str, base: &str, facet: Option<&str>) -> Cow<'v, str> {
    let mode = match base {
        "string" => facet.unwrap_or("preserve"),
        "normalizedString" => "replace",
        _ => "collapse",
    };
    let tab_or_break = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r');
    match mode {
        "replace" if value.as_bytes().iter().any(tab_or_break) => {
            Cow::Owned(value.replace(['\t', '\n', '\r'], " "))
        }
        "collapse" => {
            let b = value.as_bytes();
            let collapsed = !b.iter().any(tab_or_break)
                && b.first() != Some(&b' ')
                && b.last() != Some(&b' ')
                && !b.windows(2).any(|w| w == b"  ");
            if collapsed {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(
                    value
                        .split([' ', '\t', '\n', '\r'])
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
        }
        _ => Cow::Borrowed(value),
    }
}

/// What checking a named simple type needs beyond its table entry.
struct Prepared {
    /// Its compiled patterns.
    patterns: Vec<Regex>,
    /// Its enumeration, sorted (some have hundreds of values).
    enumeration: Vec<&'static str>,
}

/// `schema.simple_types[i]` prepared, for this thread. Patterns are compiled once
/// for the program ([`pattern`]); each thread matches with clones of its
/// own, because a `Regex` used from several threads at once hands its
/// match caches out under a lock (regex's `Pool`), which made two threads
/// slower than one on the simple values.
fn prepared(schema: &Schema, i: usize) -> Rc<Prepared> {
    thread_local! {
        static LOCAL: RefCell<[Vec<Option<Rc<Prepared>>>; 2]> =
            const { RefCell::new([Vec::new(), Vec::new()]) };
    }
    LOCAL.with(|local| {
        let mut local = local.borrow_mut();
        let local = &mut local[schema.slot()];
        if local.len() <= i {
            local.resize(schema.simple_types.len().max(i + 1), None);
        }
        local[i]
            .get_or_insert_with(|| {
                let t = &schema.simple_types[i];
                let mut enumeration = t.enumeration.to_vec();
                enumeration.sort_unstable();
                Rc::new(Prepared {
                    patterns: t.patterns.iter().map(|p| pattern(p).clone()).collect(),
                    enumeration,
                })
            })
            .clone()
    })
}

fn check_named(value: &str, t: &SimpleType, prepared: &Prepared) -> Result<(), Violation> {
    let v = normalize(value, t.base, Some(t.whitespace));
    check_builtin(&v, t.base)?;
    if !t.enumeration.is_empty() && prepared.enumeration.binary_search(&v.as_ref()).is_err() {
        return Err(violation(
            "enumeration",
            format!(
                "`{}` is not a value of `{}` (allowed: {})",
                short(&v),
                t.name,
                summarize(t.enumeration)
            ),
        ));
    }
    for (p, re) in t.patterns.iter().zip(&prepared.patterns) {
        if !re.is_match(&v) {
            return Err(violation(
                "pattern",
                format!(
                    "`{}` does not match the pattern `{p}` of `{}`",
                    short(&v),
                    t.name
                ),
            ));
        }
    }
    let len = v.chars().count();
    if let Some(max) = t.max_length {
        if len > max {
            return Err(violation(
                "max-length",
                format!(
                    "{len} characters, more than the {max} allowed by `{}`",
                    t.name
                ),
            ));
        }
    }
    if let Some(min) = t.min_length {
        if len < min {
            return Err(violation(
                "min-length",
                format!(
                    "{len} characters, fewer than the {min} required by `{}`",
                    t.name
                ),
            ));
        }
    }
    if let Some(lo) = t.min_inclusive {
        if numeric_lt(&v, lo) {
            return Err(violation(
                "min-inclusive",
                format!("`{v}` is less than {lo}, the minimum of `{}`", t.name),
            ));
        }
    }
    if let Some(hi) = t.max_inclusive {
        if numeric_lt(hi, &v) {
            return Err(violation(
                "max-inclusive",
                format!("`{v}` is greater than {hi}, the maximum of `{}`", t.name),
            ));
        }
    }
    Ok(())
}

fn numeric_lt(a: &str, b: &str) -> bool {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x < y,
        _ => false,
    }
}

fn check_builtin(v: &str, base: &str) -> Result<(), Violation> {
    let ok = match base {
        "integer" | "int" | "long" | "short" | "byte" | "nonNegativeInteger"
        | "positiveInteger" => {
            let d = v.strip_prefix(['+', '-']).unwrap_or(v);
            let mut ok = !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
            if ok {
                let n: i128 = v.parse().unwrap_or(i128::MAX);
                ok = match base {
                    "int" => i32::try_from(n).is_ok(),
                    "long" => i64::try_from(n).is_ok(),
                    "short" => i16::try_from(n).is_ok(),
                    "byte" => i8::try_from(n).is_ok(),
                    "nonNegativeInteger" => n >= 0,
                    "positiveInteger" => n > 0,
                    _ => true,
                };
            }
            ok
        }
        "decimal" => {
            let d = v.strip_prefix(['+', '-']).unwrap_or(v);
            let (i, f) = d.split_once('.').unwrap_or((d, ""));
            (!i.is_empty() || !f.is_empty())
                && i.bytes().all(|b| b.is_ascii_digit())
                && f.bytes().all(|b| b.is_ascii_digit())
        }
        "boolean" => matches!(v, "true" | "false" | "1" | "0"),
        // XSD 1.0 (which libxml2 and Xerces implement) has no year 0000.
        "dateTime" => orcid_model::scalar::parse_xs_datetime(v).is_some() && !is_year_zero(v),
        "anyURI" => is_uri_reference(v),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let what = match base {
            "dateTime" => "an xs:dateTime (e.g. 2017-03-07T10:15:30.123Z)".to_string(),
            "anyURI" => "an xs:anyURI (a URI reference: a valid scheme and authority, `%` followed by two hex digits, at most one `#`)".to_string(),
            other => format!("an xs:{other}"),
        };
        Err(violation(
            "datatype",
            format!("`{}` is not {what}", short(v)),
        ))
    }
}

/// Whether an `xs:dateTime` has the year `0000`, which XSD 1.0 prohibits
/// (Part 2 §3.2.7: "'0000' is prohibited"; XSD 1.1 allows it).
fn is_year_zero(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    body.split('-')
        .next()
        .is_some_and(|y| !y.is_empty() && y.bytes().all(|b| b == b'0'))
}

/// An `xs:anyURI` lexical value (XSD 1.0 Part 2 §3.2.17): a URI reference
/// after the XLink §5.4 escaping of the characters URIs cannot hold (spaces,
/// controls, non-ASCII, `<>"{}|\^` and the backquote), so those are accepted, as libxml2
/// and Xerces do. The escaped string must then be an RFC 3986 URI
/// reference: a valid scheme if there is one (`1http://x` and `::` are not),
/// a first path segment without `:` when there is no scheme, an authority
/// of `[userinfo@]host[:digits]` (`http://a@b@c/` and `http://x:port/` are
/// not), `%` always followed by two hex digits, at most one `#`; `[` and `]`
/// only around an IP literal and, as RFC 2396/2732 (which XSD 1.0 cites)
/// allow, in the query and fragment.
pub fn is_uri_reference(v: &str) -> bool {
    // XLink escaping: each such character becomes `%XX`, which is valid
    // wherever an unreserved character is; `_` stands in for it.
    let needs_escape = |c: u8| b" \"<>\\^`{|}".contains(&c) || !(0x20..0x7f).contains(&c);
    let s: Cow<'_, [u8]> = if v.bytes().any(needs_escape) {
        Cow::Owned(
            v.chars()
                .map(|c| match c {
                    ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => b'_',
                    c if (c as u32) < 0x20 || (c as u32) >= 0x7f => b'_',
                    c => c as u8,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(v.as_bytes())
    };
    let unreserved = |c: u8| c.is_ascii_alphanumeric() || b"-._~".contains(&c);
    let sub_delim = |c: u8| b"!$&'()*+,;=".contains(&c);
    // Every byte of `part` satisfies `ok` or starts a valid %-escape.
    let all = |part: &[u8], ok: &dyn Fn(u8) -> bool| {
        let mut i = 0;
        while i < part.len() {
            if part[i] == b'%' {
                if !(part.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && part.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
            } else if ok(part[i]) {
                i += 1;
            } else {
                return false;
            }
        }
        true
    };
    let pchar = |c: u8| unreserved(c) || sub_delim(c) || c == b':' || c == b'@';
    let query_char = |c: u8| pchar(c) || b"/?[]".contains(&c);

    let (rest, fragment) = match s.iter().position(|&c| c == b'#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (&s[..], None),
    };
    if fragment.is_some_and(|f| !all(f, &query_char)) {
        return false;
    }
    let (rest, query) = match rest.iter().position(|&c| c == b'?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if query.is_some_and(|q| !all(q, &query_char)) {
        return false;
    }
    // Scheme, or a relative reference whose first segment has no `:`.
    let first_segment_end = rest.iter().position(|&c| c == b'/').unwrap_or(rest.len());
    let rest = match rest[..first_segment_end].iter().position(|&c| c == b':') {
        Some(colon) => {
            let scheme = &rest[..colon];
            let valid = scheme.first().is_some_and(u8::is_ascii_alphabetic)
                && scheme
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || b"+-.".contains(&c));
            if !valid {
                return false;
            }
            &rest[colon + 1..]
        }
        None => rest,
    };
    let path = match rest.strip_prefix(b"//") {
        Some(after) => {
            let end = after.iter().position(|&c| c == b'/').unwrap_or(after.len());
            let authority = &after[..end];
            let host_port = match authority.iter().position(|&c| c == b'@') {
                Some(at) => {
                    if !all(&authority[..at], &|c| {
                        unreserved(c) || sub_delim(c) || c == b':'
                    }) {
                        return false;
                    }
                    &authority[at + 1..]
                }
                None => authority,
            };
            let port = if host_port.first() == Some(&b'[') {
                let Some(close) = host_port.iter().position(|&c| c == b']') else {
                    return false;
                };
                if !host_port[1..close]
                    .iter()
                    .all(|&c| unreserved(c) || sub_delim(c) || c == b':' || c == b'%')
                {
                    return false;
                }
                match &host_port[close + 1..] {
                    [] => None,
                    [b':', port @ ..] => Some(port),
                    _ => return false,
                }
            } else {
                let (host, port) = match host_port.iter().position(|&c| c == b':') {
                    Some(i) => (&host_port[..i], Some(&host_port[i + 1..])),
                    None => (host_port, None),
                };
                if !all(host, &|c| unreserved(c) || sub_delim(c)) {
                    return false;
                }
                port
            };
            if port.is_some_and(|p| !p.iter().all(u8::is_ascii_digit)) {
                return false;
            }
            &after[end..]
        }
        None => rest,
    };
    all(path, &|c| pchar(c) || c == b'/')
}

/// Compiles (once) an XSD pattern: implicitly anchored; `\s`/`\S` are XML
/// whitespace only; `.` excludes `\n` and `\r`; `\d` is Unicode's Nd, as in
/// XSD (and Rust's regex). The compiled regexes live for the program (the
/// schema has a handful of patterns): handing out a clone per call would
/// give each call a fresh, empty match cache and make matching slow.
pub fn pattern(p: &'static str) -> &'static Regex {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
    guard.entry(p).or_insert_with(|| {
        let translated = translate_xsd_regex(p);
        let re = Regex::new(&format!("^(?:{translated})$"))
            .unwrap_or_else(|_| Regex::new("^.*$").unwrap());
        Box::leak(Box::new(re))
    })
}

/// Translates XSD regex syntax into the `regex` crate's.
pub fn translate_xsd_regex(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str(" \\t\\n\\r"),
                Some('s') => out.push_str("[ \\t\\n\\r]"),
                Some('S') if in_class => {
                    out.push_str("\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21-\\x{10FFFF}")
                }
                Some('S') => out.push_str("[^ \\t\\n\\r]"),
                Some('i') => out.push_str(if in_class { "\\p{L}_:" } else { "[\\p{L}_:]" }),
                Some('c') => out.push_str(if in_class {
                    "\\p{L}\\p{Nd}._:\\-"
                } else {
                    "[\\p{L}\\p{Nd}._:\\-]"
                }),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push_str("\\\\"),
            },
            '[' => {
                in_class = true;
                out.push('[');
            }
            ']' => {
                in_class = false;
                out.push(']');
            }
            '.' if !in_class => out.push_str("[^\\n\\r]"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xsd_patterns() {
        let non_empty = "[\\s\\S]*[^\\s\\n\\r]+[\\s\\S]*";
        assert!(pattern(non_empty).is_match("a"));
        assert!(pattern(non_empty).is_match("  a \n"));
        assert!(!pattern(non_empty).is_match("  \n\t"));
        let orcid = "(\\d{4}-){3,}\\d{3}[\\dX]";
        assert!(pattern(orcid).is_match("0000-0002-1825-0097"));
        assert!(!pattern(orcid).is_match("8888-XXXX"));
        // implicitly anchored
        assert!(!pattern(orcid).is_match("x0000-0002-1825-0097"));
    }

    #[test]
    fn uris() {
        assert!(is_uri_reference("http://example.org/a%20b"));
        assert!(is_uri_reference("https://doi.org/10.1000/182"));
        // XSD 1.0 anyURI escapes spaces and other unsafe characters first
        // (XLink §5.4), as libxml2 and Xerces do.
        assert!(is_uri_reference("http://exa mple.org/"));
        assert!(is_uri_reference("http://example.org/ä{x}"));
        assert!(is_uri_reference("mailto:someone@example.org"));
        assert!(is_uri_reference(""));
        assert!(is_uri_reference("//example.org/a:b?q=[1]#f[2]"));
        assert!(is_uri_reference("http://[::1]:8080/"));
        assert!(!is_uri_reference("http://example.org/#a#b"));
        assert!(!is_uri_reference("1http://example.org/"));
        assert!(!is_uri_reference("::"));
        assert!(!is_uri_reference("http://a@b@c/"));
        assert!(!is_uri_reference("http://example.org:port/"));
        assert!(!is_uri_reference("http://example.org/a[b]"));
        assert!(!is_uri_reference("http://[::1/x"));
        assert!(!is_uri_reference("http://example.org/%zz"));
        assert!(!is_uri_reference("http://example.org/%2"));
    }

    #[test]
    fn builtins() {
        use super::super::schema::V2_1;
        assert!(check(&V2_1, "12", SimpleRef::Builtin("integer")).is_ok());
        assert!(check(&V2_1, " 12\n", SimpleRef::Builtin("integer")).is_ok());
        assert!(check(&V2_1, "1.5", SimpleRef::Builtin("integer")).is_err());
        assert!(check(&V2_1, "true", SimpleRef::Builtin("boolean")).is_ok());
        assert!(check(&V2_1, "yes", SimpleRef::Builtin("boolean")).is_err());
        assert!(check(
            &V2_1,
            "2001-12-31T12:00:00\n\t",
            SimpleRef::Builtin("dateTime")
        )
        .is_ok());
        assert!(check(&V2_1, "not-a-date", SimpleRef::Builtin("dateTime")).is_err());
        assert!(check(
            &V2_1,
            "0000-01-01T00:00:00Z",
            SimpleRef::Builtin("dateTime")
        )
        .is_err());
        assert!(check(
            &V2_1,
            "-0001-01-01T00:00:00Z",
            SimpleRef::Builtin("dateTime")
        )
        .is_ok());
    }
}
