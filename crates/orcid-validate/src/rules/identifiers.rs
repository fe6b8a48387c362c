//! ORCID's external-identifier types (`data/identifier-types.txt`): the
//! API names `GET {base}/v2.1/identifiers` serves (`docs/orcid-api.md`
//! §5.2), compiled in, and the look-ups the rules use.
//!
//! The list file is refreshed from ORCID by `cargo xtask identifiers`
//! (`xtask/src/identifiers.rs`); this crate only reads it.

use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The compiled-in list file.
pub const IDENTIFIER_TYPES_FILE: &str = include_str!("../../data/identifier-types.txt");

static TYPES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| parse_list_file(IDENTIFIER_TYPES_FILE));

/// Every known identifier type (API names, sorted).
pub fn identifier_types() -> &'static [&'static str] {
    TYPES.as_slice()
}

/// Whether `t` is one of ORCID's identifier types (exact, case-sensitive,
/// as ORCID's `IdentifierTypeManager` compares).
pub fn is_known_type(t: &str) -> bool {
    TYPES.binary_search(&t).is_ok()
}

/// Known types close to an unknown `t`: the same name in another case or
/// with `_`/`-` swapped, or within a small edit distance. At most three.
pub fn suggest(t: &str) -> Vec<&'static str> {
    let norm = |s: &str| s.trim().to_ascii_lowercase().replace('_', "-");
    let nt = norm(t);
    if nt.is_empty() {
        return Vec::new();
    }
    let exactish: Vec<&'static str> = TYPES.iter().copied().filter(|k| norm(k) == nt).collect();
    if !exactish.is_empty() {
        return exactish;
    }
    let max = match nt.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    let mut scored: Vec<(usize, &'static str)> = TYPES
        .iter()
        .copied()
        .filter_map(|k| {
            let d = levenshtein(&nt, &norm(k));
            (d <= max).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The names of a list file: one per line, `#` comments and blank lines
/// skipped, sorted and deduplicated.
pub fn parse_list_file(text: &str) -> Vec<&str> {
    let set: BTreeSet<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_list_is_sorted_and_has_the_seeded_types() {
        let t = identifier_types();
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        for k in [
            "doi",
            "grant_number",
            "source-work-id",
            "other-id",
            "isbn",
            "raid",
        ] {
            assert!(is_known_type(k), "{k}");
        }
        assert!(!is_known_type("DOI"));
        assert!(!is_known_type("grant-number"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("DOI"), vec!["doi"]);
        assert_eq!(suggest("grant-number"), vec!["grant_number"]);
        assert!(suggest("doix").contains(&"doi"));
        assert!(suggest("zzzzzzzzzzzz").is_empty());
        assert!(suggest("").is_empty());
    }
}
