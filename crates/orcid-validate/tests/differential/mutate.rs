//! The mutation corpus: deterministic (SplitMix64 with a fixed seed), one
//! function per mutation kind, each working on the light DOM so that the
//! mutant stays well-formed (except for `Malformed`, which breaks the text
//! on purpose).

use std::collections::BTreeSet;

use super::dom::{Doc, Elem, Node, Path};

/// SplitMix64: small, fast, good enough to pick mutation sites.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    DropElement,
    DuplicateElement,
    SwapSiblings,
    RenameUnknown,
    WrongNamespace,
    BadEnum,
    OverLong,
    EmptyString,
    BadDate,
    BadInteger,
    BadBoolean,
    BadUri,
    BadPattern,
    UnknownAttribute,
    XsiAttribute,
    RemoveAttribute,
    TextInElementOnly,
    WrongRoot,
    Equivalent,
    Malformed,
}

pub const KINDS: &[Kind] = &[
    Kind::DropElement,
    Kind::DuplicateElement,
    Kind::SwapSiblings,
    Kind::RenameUnknown,
    Kind::WrongNamespace,
    Kind::BadEnum,
    Kind::OverLong,
    Kind::EmptyString,
    Kind::BadDate,
    Kind::BadInteger,
    Kind::BadBoolean,
    Kind::BadUri,
    Kind::BadPattern,
    Kind::UnknownAttribute,
    Kind::XsiAttribute,
    Kind::RemoveAttribute,
    Kind::TextInElementOnly,
    Kind::WrongRoot,
    Kind::Equivalent,
    Kind::Malformed,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::DropElement => "drop-element",
            Kind::DuplicateElement => "duplicate-element",
            Kind::SwapSiblings => "swap-siblings",
            Kind::RenameUnknown => "rename-unknown",
            Kind::WrongNamespace => "wrong-namespace",
            Kind::BadEnum => "bad-enum",
            Kind::OverLong => "over-long",
            Kind::EmptyString => "empty-string",
            Kind::BadDate => "bad-date",
            Kind::BadInteger => "bad-integer",
            Kind::BadBoolean => "bad-boolean",
            Kind::BadUri => "bad-uri",
            Kind::BadPattern => "bad-pattern",
            Kind::UnknownAttribute => "unknown-attribute",
            Kind::XsiAttribute => "xsi-attribute",
            Kind::RemoveAttribute => "remove-attribute",
            Kind::TextInElementOnly => "text-in-element-only",
            Kind::WrongRoot => "wrong-root",
            Kind::Equivalent => "equivalent-rewrite",
            Kind::Malformed => "malformed",
        }
    }
}

/// What one mutation did.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The element (qualified name as written) or `element@attribute` hit.
    pub target: String,
    /// The value written (for value mutations), else empty.
    pub value: String,
    /// A one-line description.
    pub detail: String,
}

/// A site holding a simple value: an element's text or an attribute.
#[derive(Debug, Clone)]
enum Site {
    Text(Path),
    Attr(Path, usize),
}

impl Site {
    fn value(&self, d: &Doc) -> String {
        match self {
            Site::Text(p) => d.get(p).text(),
            Site::Attr(p, i) => d.get(p).attrs[*i].1.clone(),
        }
    }

    fn name(&self, d: &Doc) -> String {
        match self {
            Site::Text(p) => d.get(p).name.clone(),
            Site::Attr(p, i) => format!("{}@{}", d.get(p).name, d.get(p).attrs[*i].0),
        }
    }

    fn local(&self, d: &Doc) -> String {
        match self {
            Site::Text(p) => d.get(p).local().to_string(),
            Site::Attr(p, i) => d.get(p).attrs[*i].0.clone(),
        }
    }

    fn set(&self, d: &mut Doc, v: &str) {
        match self {
            Site::Text(p) => d.get_mut(p).set_text(v),
            Site::Attr(p, i) => d.get_mut(p).attrs[*i].1 = v.to_string(),
        }
    }
}

/// Every value site: leaf elements' text and non-namespace attributes.
fn sites(d: &Doc) -> Vec<Site> {
    let mut out = Vec::new();
    for p in d.paths() {
        let e = d.get(&p);
        for (i, (k, _)) in e.attrs.iter().enumerate() {
            // Namespace declarations and xsi: hints are not schema data.
            if k != "xmlns" && !k.starts_with("xmlns:") && !k.starts_with("xsi:") {
                out.push(Site::Attr(p.clone(), i));
            }
        }
        if !e.has_element_children() {
            out.push(Site::Text(p));
        }
    }
    out
}

fn sites_where(d: &Doc, f: impl Fn(&Site, &str) -> bool) -> Vec<Site> {
    sites(d).into_iter().filter(|s| f(s, &s.value(d))).collect()
}

fn set_value(d: &mut Doc, s: &Site, v: &str) -> Change {
    let old = s.value(d);
    let target = s.name(d);
    s.set(d, v);
    Change {
        detail: format!("{target}: `{}` -> `{}`", clip(&old), clip(v)),
        target,
        value: v.to_string(),
    }
}

fn clip(s: &str) -> String {
    let mut c: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        c.push_str(&format!("…({} chars)", s.chars().count()));
    }
    c.replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
}

/// Applies `kind` to a copy of `seed`; `None` when the seed has no site for it.
pub fn mutate(kind: Kind, seed: &Doc, rng: &mut Rng) -> Option<(String, Change)> {
    if kind == Kind::Malformed {
        return malformed(&seed.serialize(), rng);
    }
    let mut d = seed.clone();
    let change = match kind {
        Kind::DropElement => drop_element(&mut d, rng),
        Kind::DuplicateElement => duplicate_element(&mut d, rng),
        Kind::SwapSiblings => swap_siblings(&mut d, rng),
        Kind::RenameUnknown => rename_unknown(&mut d, rng),
        Kind::WrongNamespace => wrong_namespace(&mut d, rng),
        Kind::BadEnum => bad_enum(&mut d, rng),
        Kind::OverLong => over_long(&mut d, rng),
        Kind::EmptyString => empty_string(&mut d, rng),
        Kind::BadDate => bad_date(&mut d, rng),
        Kind::BadInteger => bad_integer(&mut d, rng),
        Kind::BadBoolean => bad_boolean(&mut d, rng),
        Kind::BadUri => bad_uri(&mut d, rng),
        Kind::BadPattern => bad_pattern(&mut d, rng),
        Kind::UnknownAttribute => unknown_attribute(&mut d, rng),
        Kind::XsiAttribute => xsi_attribute(&mut d, rng),
        Kind::RemoveAttribute => remove_attribute(&mut d, rng),
        Kind::TextInElementOnly => text_in_element_only(&mut d, rng),
        Kind::WrongRoot => wrong_root(&mut d, rng),
        Kind::Equivalent => equivalent(&mut d, rng),
        Kind::Malformed => unreachable!(),
    }?;
    Some((d.serialize(), change))
}

fn non_root_paths(d: &Doc) -> Vec<Path> {
    d.paths().into_iter().filter(|p| !p.is_empty()).collect()
}

fn drop_element(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&non_root_paths(d))?.clone();
    let (last, parent) = p.split_last()?;
    let name = d.get(&p).name.clone();
    let pe = d.get_mut(parent);
    pe.children.remove(*last);
    Some(Change {
        detail: format!("drop {name} from {}", pe.name),
        target: name,
        value: String::new(),
    })
}

fn duplicate_element(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&non_root_paths(d))?.clone();
    let (last, parent) = p.split_last()?;
    let copy = d.get(&p).clone();
    let name = copy.name.clone();
    let pe = d.get_mut(parent);
    pe.children.insert(*last + 1, Node::Elem(copy));
    Some(Change {
        detail: format!("duplicate {name} in {}", pe.name),
        target: name,
        value: String::new(),
    })
}

fn swap_siblings(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let parents: Vec<Path> = d
        .paths()
        .into_iter()
        .filter(|p| {
            let names: BTreeSet<&str> = d
                .get(p)
                .children
                .iter()
                .filter_map(|c| {
                    if let Node::Elem(e) = c {
                        Some(e.name.as_str())
                    } else {
                        None
                    }
                })
                .collect();
            names.len() >= 2
        })
        .collect();
    let p = rng.pick(&parents)?.clone();
    let e = d.get_mut(&p);
    let idx = e.element_indices();
    let name = |e: &Elem, i: usize| match &e.children[i] {
        Node::Elem(c) => c.name.clone(),
        _ => unreachable!(),
    };
    for _ in 0..20 {
        let a = idx[rng.below(idx.len())];
        let b = idx[rng.below(idx.len())];
        let (na, nb) = (name(e, a), name(e, b));
        if na != nb {
            e.children.swap(a, b);
            return Some(Change {
                detail: format!("swap {na} and {nb} in {}", e.name),
                target: format!("{na}<->{nb}"),
                value: String::new(),
            });
        }
    }
    None
}

fn rename_unknown(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&non_root_paths(d))?.clone();
    let e = d.get_mut(&p);
    let old = e.name.clone();
    let local = match rng.below(3) {
        0 => format!("{}-x", e.local()),
        1 => "unknown-element".to_string(),
        _ => e.local().to_uppercase(),
    };
    e.name = match e.prefix() {
        Some(pre) => format!("{pre}:{local}"),
        None => local,
    };
    Some(Change {
        detail: format!("rename {old} to {}", e.name),
        target: old,
        value: e.name.clone(),
    })
}

fn wrong_namespace(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&non_root_paths(d))?.clone();
    let scope = d.ns_in_scope(&p);
    let e = d.get(&p);
    let own = e.prefix().unwrap_or("").to_string();
    let own_uri = scope
        .iter()
        .find(|(k, _)| *k == own)
        .map(|(_, v)| v.clone());
    let others: Vec<&(String, String)> = scope
        .iter()
        .filter(|(k, v)| !k.is_empty() && Some(v) != own_uri.as_ref())
        .collect();
    let local = e.local().to_string();
    let old = e.name.clone();
    let variant = rng.below(3);
    let e = d.get_mut(&p);
    let how = match (variant, rng.pick(&others)) {
        (0, Some((pre, uri))) => {
            // Another ORCID namespace already bound in scope.
            e.name = format!("{pre}:{local}");
            format!("into {uri}")
        }
        (1, _) => {
            // A foreign namespace declared on the element.
            e.name = format!("zz:{local}");
            e.attrs
                .push(("xmlns:zz".into(), "http://example.org/not-orcid".into()));
            "into http://example.org/not-orcid".to_string()
        }
        _ => {
            // No namespace at all.
            e.name = local.clone();
            e.attrs.push(("xmlns".into(), String::new()));
            "into no namespace".to_string()
        }
    };
    Some(Change {
        detail: format!("move {old} {how}"),
        target: old,
        value: e.name.clone(),
    })
}

fn enum_values() -> BTreeSet<&'static str> {
    orcid_model::v2_1::simple_types::SIMPLE_TYPES
        .iter()
        .flat_map(|t| t.enumeration.iter().copied())
        .filter(|v| !v.is_empty())
        .collect()
}

fn bad_enum(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let values = enum_values();
    let s = rng
        .pick(&sites_where(d, |_, v| values.contains(v.trim())))?
        .clone();
    let v = s.value(d).trim().to_string();
    let mut chars: Vec<char> = v.chars().collect();
    let new = match rng.below(6) {
        0 => {
            // Change one character (visibility `public` -> `publik`).
            let i = rng.below(chars.len());
            chars[i] = if chars[i] == 'k' { 'q' } else { 'k' };
            chars.into_iter().collect()
        }
        1 => v.to_uppercase(),
        2 => format!("{v}-bad"),
        3 => v.replace('-', "_"),
        4 => format!(" {v}\n"),
        _ => v.chars().take(chars.len().saturating_sub(1)).collect(),
    };
    Some(set_value(d, &s, &new))
}

fn over_long(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let s = rng
        .pick(&sites_where(d, |s, v| {
            matches!(s, Site::Text(_)) && !v.trim().is_empty()
        }))?
        .clone();
    let v = s.value(d);
    let target = *rng.pick(&[151, 256, 351, 501, 1001, 2085, 4001, 5001])?;
    let mut new = v.clone();
    while new.chars().count() < target {
        new.push(' ');
        new.push_str(v.trim());
    }
    Some(set_value(d, &s, &new))
}

fn empty_string(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    // Elements with a declared default (work:citation-type) are valid when
    // empty: aim at them now and then.
    let defaults = sites_where(d, |s, _| {
        matches!(s, Site::Text(_)) && s.local(d) == "citation-type"
    });
    if !defaults.is_empty() && rng.chance(30) {
        let s = rng.pick(&defaults)?.clone();
        return Some(set_value(d, &s, ""));
    }
    let s = rng.pick(&sites(d))?.clone();
    let new = *rng.pick(&["", " ", "  \n\t ", "\u{a0}", "\n"])?;
    Some(set_value(d, &s, new))
}

fn is_datetime_like(v: &str) -> bool {
    let b = v.trim().as_bytes();
    b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[..4].iter().all(u8::is_ascii_digit)
}

fn bad_date(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let fuzzy = sites_where(d, |s, _| {
        matches!(s, Site::Text(_)) && ["year", "month", "day"].contains(&s.local(d).as_str())
    });
    let stamps = sites_where(d, |s, v| matches!(s, Site::Text(_)) && is_datetime_like(v));
    let use_fuzzy = !fuzzy.is_empty() && (stamps.is_empty() || rng.chance(50));
    if use_fuzzy {
        let s = rng.pick(&fuzzy)?.clone();
        let new = *rng.pick(&[
            "13", "0", "00", "32", "31", "1850", "1899", "1900", "2100", "2101", "-1", "+5", "05",
            "2017a", "1.0", "12 ", " 7", "１２", "", "twelve", "0012", "1e1",
        ])?;
        Some(set_value(d, &s, new))
    } else {
        let s = rng.pick(&stamps)?.clone();
        let v = s.value(d).trim().to_string();
        let new = match *rng.pick(&[
            "2017-02-30T00:00:00Z",
            "2016-02-29T00:00:00Z",
            "2017-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2017-13-01T00:00:00Z",
            "2017-00-10T00:00:00Z",
            "2017-01-32T00:00:00Z",
            "2017-04-31T00:00:00Z",
            "2017-01-01T25:00:00Z",
            "2017-01-01T24:00:00Z",
            "2017-01-01T24:00:01Z",
            "2017-01-01T23:60:00Z",
            "2017-01-01T23:59:60Z",
            "2017-01-01T00:00:00+14:00",
            "2017-01-01T00:00:00+14:01",
            "2017-01-01T00:00:00-15:00",
            "2017-01-01T00:00:00+05:60",
            "2017-01-01T00:00:00",
            "2017-01-01T00:00:00.Z",
            "2017-01-01T00:00:00.123456789Z",
            "2017-01-01T0:00:00Z",
            "2017-1-01T00:00:00Z",
            "17-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "12017-01-01T00:00:00Z",
            "02017-01-01T00:00:00Z",
            "2017-01-01",
            "2017-01-01 00:00:00Z",
            "2017-01-01t00:00:00z",
            "not-a-date",
            "",
            "TRAILING",
            "LEADING",
            "PADDED",
        ])? {
            "TRAILING" => format!("{v}garbage"),
            "PADDED" => format!("\n\t{v} "),
            "LEADING" => format!("x{v}"),
            other => other.to_string(),
        };
        Some(set_value(d, &s, &new))
    }
}

fn bad_integer(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let sites = sites_where(d, |s, v| {
        let n = s.local(d);
        n == "put-code"
            || n == "num-found"
            || (!["year", "month", "day"].contains(&n.as_str())
                && !v.is_empty()
                && v.bytes().all(|b| b.is_ascii_digit()))
    });
    // The one xs:int element (`error:response-code`) is much rarer than
    // put-code attributes: aim at it, often with surrounding whitespace.
    let int_elements = sites_where(d, |s, _| {
        matches!(s, Site::Text(_)) && s.local(d) == "response-code"
    });
    if !int_elements.is_empty() && rng.chance(70) {
        let s = rng.pick(&int_elements)?.clone();
        let new = *rng.pick(&[
            " 12 ",
            "12 ",
            " 12",
            "\n404\n",
            "2147483648",
            "-2147483648",
            "+7",
            "4e2",
        ])?;
        return Some(set_value(d, &s, new));
    }
    let s = rng.pick(&sites)?.clone();
    let new = *rng.pick(&[
        "abc",
        "1.5",
        "",
        " 12 ",
        "+5",
        "-3",
        "0",
        "007",
        "1e3",
        "12a",
        "99999999999999999999999999999",
        "-99999999999999999999999999999999999999999999",
        "١٢",
        "0x1F",
        "1 2",
        "+",
        "-",
    ])?;
    Some(set_value(d, &s, new))
}

fn bad_boolean(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let s = rng
        .pick(&sites_where(d, |_, v| v == "true" || v == "false"))?
        .clone();
    let new = *rng.pick(&["TRUE", "yes", "1", "0", " true ", "", "2", "False", "t"])?;
    Some(set_value(d, &s, new))
}

fn bad_uri(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    // Mostly the xs:anyURI elements; other http values are patterned strings.
    let any_uri = [
        "url",
        "external-id-url",
        "review-url",
        "subject-url",
        "more-info",
    ];
    let uris = sites_where(
        d,
        |s, _| matches!(s, Site::Text(p) if any_uri.contains(&d.get(p).local()) || d.get(p).name == "notification:uri"),
    );
    let http = sites_where(d, |_, v| v.trim().starts_with("http"));
    let s = if !uris.is_empty() && rng.chance(70) {
        rng.pick(&uris)?
    } else {
        rng.pick(&http)?
    }
    .clone();
    let new = *rng.pick(&[
        "http://exa mple.org/",
        "http://example.org/%zz",
        "http://example.org/%2",
        "http://example.org/a%20b",
        "http://example.org/{x}",
        "http://example.org/a|b",
        "http://example.org/a\"b",
        "http://example.org/a<b",
        "http://example.org/ä",
        "http://[::1]/x",
        "http://example.org/#a#b",
        "http://example.org:port/",
        "mailto:someone@example.org",
        "urn:isbn:0451450523",
        "::",
        "%",
        "",
        " http://example.org/ ",
        "http://example.org/\ta",
        "http://example.org/a^b",
        "http://example.org/a`b",
        "http://example.org/a\\b",
        "1http://example.org/",
        "//example.org/x",
        "http:/example.org",
        "http://a@b@c/",
        "http://example.org/a[b]",
        "http://example.org/?a[b]",
        "http://example.org/#a[b]",
        "http://example.org:/",
        "http://example.org:80:90/",
        "http://[::1/x",
        "-a:b",
        "x:y:z",
        "http://exa%mple.org/",
    ])?;
    Some(set_value(d, &s, new))
}

/// Values under the schema's patterns: ORCID iDs (`(\d{4}-){3,}\d{3}[\dX]`,
/// where `\d` is any Unicode decimal digit), client ids, ORCID URIs,
/// e-mail addresses (`[^@]+@[^\.]+\..+`, `.` not matching line ends).
fn bad_pattern(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let id_like = |v: &str| {
        let b = v.as_bytes();
        b.windows(10).any(|w| {
            w[..4].iter().all(u8::is_ascii_digit)
                && w[4] == b'-'
                && w[5..9].iter().all(u8::is_ascii_digit)
        })
    };
    let s = rng
        .pick(&sites_where(d, |s, v| {
            matches!(s, Site::Text(_)) && (id_like(v) || v.contains('@') || v.starts_with("APP-"))
        }))?
        .clone();
    let v = s.value(d);
    let new = if v.contains('@') {
        (*rng.pick(&[
            "a@b", "a@@b.c", "@b.c", "a@.c", "a@b.", "a@b.c\nx", "a\n@b.c", "a b@c.d", "ä@b.c",
            "a@b.c.d", "a@b..c", " a@b.c",
        ])?)
        .to_string()
    } else {
        let id = *rng.pick(&[
            "0000-0002-1825-0097",
            "0000-0002-1825-009X",
            "0000-0002-1825-009x",
            "0000-0002-1825-00970",
            "0000-0002-1825-009",
            "0000-0000-0002-1825-0097",
            "0000-0002-1825",
            "0000-0002-1825-0097 ",
            "٠٠٠٠-٠٠٠٢-١٨٢٥-٠٠٩٧",
            "０000-0002-1825-0097",
            "0000_0002_1825_0097",
            "APP-5555555555555555",
            "APP-555555555555555",
            "APP-55555555555555555",
            "APP-5555555555555_55",
            "app-5555555555555555",
        ])?;
        match rng.below(3) {
            0 if v.starts_with("http") => {
                let host = *rng.pick(&[
                    "https://orcid.org/",
                    "http://orcid.org/",
                    "https://sandbox.orcid.org/",
                    "https://localhost:8443/orcid-web/",
                    "https://example.org/",
                ])?;
                let client = if v.contains("/client/") {
                    "client/"
                } else {
                    ""
                };
                format!("{host}{client}{id}")
            }
            _ => id.to_string(),
        }
    };
    Some(set_value(d, &s, &new))
}

fn unknown_attribute(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&d.paths())?.clone();
    let e = d.get_mut(&p);
    let (k, v) = match rng.below(6) {
        0 => ("foo", "bar"),
        1 => ("put-code", "12"),
        2 => ("visibility", "public"),
        3 => ("xml:lang", "en"),
        4 => ("zz:foo", "bar"),
        _ => ("display-index", "1"),
    };
    if e.attrs.iter().any(|(n, _)| n == k) {
        return None;
    }
    if k.starts_with("zz:") {
        e.attrs
            .push(("xmlns:zz".into(), "http://example.org/not-orcid".into()));
    }
    e.attrs.push((k.into(), v.into()));
    Some(Change {
        detail: format!("add {k}=\"{v}\" to {}", e.name),
        target: format!("{}@{k}", e.name),
        value: v.into(),
    })
}

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Adds `xmlns:{prefix}="{uri}"` to the element at `p` unless in scope.
fn bind(d: &mut Doc, p: &Path, prefix: &str, uri: &str) {
    if !d
        .ns_in_scope(p)
        .iter()
        .any(|(k, v)| k == prefix && v == uri)
    {
        d.get_mut(p)
            .attrs
            .push((format!("xmlns:{prefix}"), uri.to_string()));
    }
}

/// Attributes of the XML Schema instance namespace: location hints
/// (always allowed), `xsi:nil` (no element is nillable), `xsi:type` naming
/// the element's own name (a named type or an anonymous one), a built-in,
/// a type derived from a built-in, an unbound prefix; unknown `xsi:` names.
fn xsi_attribute(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let p = rng.pick(&d.paths())?.clone();
    let own = d.get(&p).name.clone();
    let (k, v) = match rng.below(10) {
        0 => ("nil", "true".to_string()),
        1 => ("nil", "false".to_string()),
        2 | 3 => ("type", own.clone()),
        4 => {
            bind(d, &p, "xs", "http://www.w3.org/2001/XMLSchema");
            ("type", "xs:string".to_string())
        }
        5 => {
            bind(d, &p, "common", "http://www.orcid.org/ns/common");
            (
                "type",
                (*rng.pick(&["common:url", "common:amount", "common:fuzzy-date"])?).to_string(),
            )
        }
        6 => ("type", "nope:thing".to_string()),
        7 => (
            "schemaLocation",
            "http://www.orcid.org/ns/work work.xsd".to_string(),
        ),
        8 => ("noNamespaceSchemaLocation", "x.xsd".to_string()),
        _ => ("foo", "1".to_string()),
    };
    let e = d.get(&p);
    let name = format!("xsi:{k}");
    if e.attrs.iter().any(|(n, _)| *n == name) {
        return None;
    }
    bind(d, &p, "xsi", XSI);
    d.get_mut(&p).attrs.push((name.clone(), v.clone()));
    Some(Change {
        detail: format!("add {name}=\"{v}\" to {own}"),
        target: format!("{own}@{name}"),
        value: v,
    })
}

fn remove_attribute(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let all: Vec<(Path, usize)> = d
        .paths()
        .into_iter()
        .flat_map(|p| {
            let e = d.get(&p);
            e.attrs
                .iter()
                .enumerate()
                .filter(|(_, (k, _))| {
                    k != "xmlns" && !k.starts_with("xmlns:") && !k.starts_with("xsi:")
                })
                .map(|(i, _)| (p.clone(), i))
                .collect::<Vec<_>>()
        })
        .collect();
    let required: Vec<(Path, usize)> = all
        .iter()
        .filter(|(p, i)| {
            ["currency-code", "language-code"].contains(&d.get(p).attrs[*i].0.as_str())
        })
        .cloned()
        .collect();
    let (p, i) = if !required.is_empty() && rng.chance(50) {
        rng.pick(&required)?
    } else {
        rng.pick(&all)?
    }
    .clone();
    let e = d.get_mut(&p);
    let (k, _) = e.attrs.remove(i);
    Some(Change {
        detail: format!("remove {k} from {}", e.name),
        target: format!("{}@{k}", e.name),
        value: String::new(),
    })
}

fn text_in_element_only(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let parents: Vec<Path> = d
        .paths()
        .into_iter()
        .filter(|p| d.get(p).has_element_children())
        .collect();
    let p = rng.pick(&parents)?.clone();
    let text = *rng.pick(&["stray text", "x", "a & b", "  \n  ", "\u{a0}", "0"])?;
    let e = d.get_mut(&p);
    let at = rng.below(e.children.len() + 1);
    e.children.insert(at, Node::Text(text.to_string()));
    Some(Change {
        detail: format!("text `{}` in {}", clip(text), e.name),
        target: e.name.clone(),
        value: text.into(),
    })
}

fn wrong_root(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let old = d.root.name.clone();
    let local = d.root.local().to_string();
    let prefix = d.root.prefix().map(str::to_string);
    let how = match rng.below(5) {
        0 => {
            d.root.name = prefix.map_or("unknown-root".into(), |p| format!("{p}:unknown-root"));
            "rename to unknown-root"
        }
        1 => {
            let inner = std::mem::replace(&mut d.root, Elem::new("wrapper"));
            d.root.children.push(Node::Elem(inner));
            "wrap in <wrapper>"
        }
        2 => {
            d.root.name = local;
            d.root.attrs.push(("xmlns".into(), String::new()));
            "move the root to no namespace"
        }
        3 => {
            // A child promoted to root, keeping the root's declarations.
            let kids = d.root.element_indices();
            let i = *rng.pick(&kids)?;
            let decls: Vec<(String, String)> = d
                .root
                .attrs
                .iter()
                .filter(|(k, _)| k.starts_with("xmlns"))
                .cloned()
                .collect();
            let Node::Elem(mut child) = d.root.children.swap_remove(i) else {
                unreachable!()
            };
            for a in decls {
                if !child.attrs.iter().any(|(k, _)| *k == a.0) {
                    child.attrs.push(a);
                }
            }
            d.root = child;
            "promote a child to root"
        }
        _ => {
            // Another ORCID global element's name around this content.
            let others = [
                "work:work",
                "funding:funding",
                "person:person",
                "record:record",
                "common:source",
            ];
            let n = *rng.pick(&others)?;
            if n == old {
                return None;
            }
            let (pre, _) = n.split_once(':')?;
            d.root.name = n.into();
            if !d
                .root
                .attrs
                .iter()
                .any(|(k, _)| *k == format!("xmlns:{pre}"))
            {
                d.root.attrs.push((
                    format!("xmlns:{pre}"),
                    format!("http://www.orcid.org/ns/{pre}"),
                ));
            }
            "rename to another global element"
        }
    };
    Some(Change {
        detail: format!("{how} (was {old})"),
        target: old,
        value: d.root.name.clone(),
    })
}

/// Rewrites that keep the infoset the schema sees: another prefix, the
/// default namespace, comments and processing instructions between text or
/// elements, CDATA sections, character references.
fn equivalent(d: &mut Doc, rng: &mut Rng) -> Option<Change> {
    let leaves: Vec<Path> = d
        .paths()
        .into_iter()
        .filter(|p| !d.get(p).has_element_children() && !d.get(p).text().is_empty())
        .collect();
    let how = match rng.below(6) {
        v @ (0 | 1) => {
            let decls: Vec<(String, String)> = d
                .root
                .attrs
                .iter()
                .filter_map(|(k, v)| k.strip_prefix("xmlns:").map(|p| (p.to_string(), v.clone())))
                .collect();
            let (prefix, uri) = rng.pick(&decls)?.clone();
            let decl = format!("xmlns:{prefix}");
            let all = d.paths();
            // Only when no descendant rebinds the prefix or uses no prefix.
            if all.iter().any(|p| {
                let e = d.get(p);
                (!p.is_empty() && e.attrs.iter().any(|(k, _)| *k == decl || k == "xmlns"))
                    || (v == 1 && e.prefix().is_none())
            }) {
                return None;
            }
            let new_prefix = if v == 0 { Some("p0") } else { None };
            for p in &all {
                let e = d.get_mut(p);
                if e.prefix() == Some(prefix.as_str()) {
                    let local = e.local().to_string();
                    e.name = new_prefix.map_or(local.clone(), |np| format!("{np}:{local}"));
                }
                for (k, _) in &mut e.attrs {
                    if let Some(rest) = k.strip_prefix(&format!("{prefix}:")) {
                        if let Some(np) = new_prefix {
                            *k = format!("{np}:{rest}");
                        }
                    }
                }
            }
            match new_prefix {
                Some(np) => d.root.attrs.push((format!("xmlns:{np}"), uri.clone())),
                None => d.root.attrs.push(("xmlns".into(), uri.clone())),
            }
            if new_prefix.is_some() {
                // Attributes may still use the old prefix: keep its binding only then.
                let used = all.iter().any(|p| {
                    d.get(p)
                        .attrs
                        .iter()
                        .any(|(k, _)| k.starts_with(&format!("{prefix}:")))
                });
                if !used {
                    d.root.attrs.retain(|(k, _)| *k != decl);
                }
            }
            format!(
                "{} {uri}",
                if v == 0 {
                    "re-prefix"
                } else {
                    "default namespace for"
                }
            )
        }
        2 => {
            let p = rng.pick(&leaves)?.clone();
            let e = d.get_mut(&p);
            let t = e.text();
            let chars: Vec<char> = t.chars().collect();
            let at = rng.below(chars.len() + 1);
            let (a, b): (String, String) =
                (chars[..at].iter().collect(), chars[at..].iter().collect());
            e.children = vec![Node::Text(a), Node::Raw("<!-- c -->".into()), Node::Text(b)];
            format!("comment inside the text of {}", e.name)
        }
        3 => {
            let p = rng.pick(&leaves)?.clone();
            let e = d.get_mut(&p);
            let t = e.text();
            if t.contains("]]>") {
                return None;
            }
            e.children = vec![Node::Raw(format!("<![CDATA[{t}]]>"))];
            format!("CDATA for the text of {}", e.name)
        }
        4 => {
            let p = rng.pick(&leaves)?.clone();
            let e = d.get_mut(&p);
            let refs: String = e
                .text()
                .chars()
                .map(|c| format!("&#x{:X};", c as u32))
                .collect();
            e.children = vec![Node::Raw(refs)];
            format!("character references for the text of {}", e.name)
        }
        _ => {
            let parents: Vec<Path> = d
                .paths()
                .into_iter()
                .filter(|p| d.get(p).has_element_children())
                .collect();
            let p = rng.pick(&parents)?.clone();
            let e = d.get_mut(&p);
            let at = rng.below(e.children.len() + 1);
            e.children
                .insert(at, Node::Raw("<?orcid-test keep?>".into()));
            format!("processing instruction in {}", e.name)
        }
    };
    Some(Change {
        target: how.clone(),
        detail: how,
        value: String::new(),
    })
}

fn malformed(text: &str, rng: &mut Rng) -> Option<(String, Change)> {
    let body = text.find("?>").map_or(0, |i| i + 2);
    let root_end = body + text[body..].find('>')? + 1;
    let (how, out) = match rng.below(8) {
        0 => {
            // Before the last `<`: the root's end tag is cut short.
            let cut = root_end + rng.below(text.rfind('<')? - root_end);
            ("truncate", text[..cut].to_string())
        }
        1 => {
            let i = text.rfind("</")?;
            ("mismatched end tag", format!("{}</mismatch>\n", &text[..i]))
        }
        2 => (
            "undefined entity",
            format!("{}&undefined;{}", &text[..root_end], &text[root_end..]),
        ),
        3 => (
            "unescaped <",
            format!("{}a < b{}", &text[..root_end], &text[root_end..]),
        ),
        4 => (
            "unescaped &",
            format!("{}AT&T{}", &text[..root_end], &text[root_end..]),
        ),
        5 => {
            // Repeat the root's first attribute.
            let start = text[body..].find('<')? + body;
            let tag = &text[start..root_end];
            let sp = tag.find(' ')?;
            let eq = tag[sp..].find("=\"")? + sp;
            let close = tag[eq + 2..].find('"')? + eq + 2;
            let attr = &tag[sp..=close];
            (
                "duplicate attribute",
                format!(
                    "{}{attr}{}",
                    &text[..start + close + 1],
                    &text[start + close + 1..]
                ),
            )
        }
        6 => ("second root", format!("{text}<extra/>\n")),
        _ => (
            "unbound prefix",
            format!("{}<nope:x/>{}", &text[..root_end], &text[root_end..]),
        ),
    };
    Some((
        out,
        Change {
            detail: how.to_string(),
            target: how.to_string(),
            value: String::new(),
        },
    ))
}

/// Seed fix-up: trims whitespace around xs:dateTime-looking leaf values
/// (upstream samples have them; libxml2 rejects them, see the known
/// disagreements), so that mutants of those samples isolate their mutation.
pub fn trim_datetimes(d: &mut Doc) -> usize {
    let mut n = 0;
    for s in sites_where(d, |s, v| {
        matches!(s, Site::Text(_)) && is_datetime_like(v) && v.trim() != v
    }) {
        let v = s.value(d).trim().to_string();
        s.set(d, &v);
        n += 1;
    }
    n
}
