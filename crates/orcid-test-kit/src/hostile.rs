//! Generated hostile inputs for the tests of the readers' limits: a work
//! with a given title, deep nesting, wide start tags.

/// The start tag of [`work_xml`]'s work, with its two namespaces.
pub const WORK_OPEN: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">"#;

/// A valid work whose title is `title` (written as is: escapes stay).
pub fn work_xml(title: &str) -> String {
    format!(
        "{WORK_OPEN}<work:title><common:title>{title}</common:title></work:title><work:type>book</work:type></work:work>"
    )
}

/// The same work as vnd.orcid+json (`title` written as is).
pub fn work_json(title: &str) -> String {
    format!(r#"{{"title": {{"title": {{"value": "{title}"}}}}, "type": "BOOK"}}"#)
}

/// `{"a":{"a":…1…}}`, `levels` objects deep.
pub fn deep_json(levels: usize) -> String {
    format!("{}1{}", r#"{"a":"#.repeat(levels), "}".repeat(levels))
}

/// [`work_xml`] whose start tag has `n` more attributes `a0="0" a1="1" …`,
/// or with `xmlns` as many namespace declarations `xmlns:p0="urn:p:0" …`.
pub fn wide_work(n: usize, xmlns: bool) -> String {
    let mut tag = String::from(WORK_OPEN.trim_end_matches('>'));
    for i in 0..n {
        if xmlns {
            tag.push_str(&format!(r#" xmlns:p{i}="urn:p:{i}""#));
        } else {
            tag.push_str(&format!(r#" a{i}="{i}""#));
        }
    }
    tag.push('>');
    work_xml("A").replacen(WORK_OPEN, &tag, 1)
}
