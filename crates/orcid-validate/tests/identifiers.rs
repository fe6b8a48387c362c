//! The compiled-in identifier-type list and the list-file parser. Fetching
//! and rendering the list file (`cargo xtask identifiers`) are tested in
//! `xtask/src/identifiers.rs`.

use orcid_validate::rules::identifiers::{
    identifier_types, is_known_type, parse_list_file, IDENTIFIER_TYPES_FILE,
};

#[test]
fn list_file_skips_comments_and_blank_lines_sorted_and_unique() {
    let text = "# a comment\n\nzbl\n  doi  \n#doi-like\ndoi\n";
    assert_eq!(parse_list_file(text), ["doi", "zbl"]);
}

#[test]
fn shipped_list_is_the_compiled_list_of_api_names() {
    // The shipped list: sorted, unique, one API name a line.
    let shipped = parse_list_file(IDENTIFIER_TYPES_FILE);
    assert_eq!(shipped, identifier_types());
    assert!(shipped.len() >= 50);
    for t in &shipped {
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
            "{t}"
        );
        assert!(is_known_type(t), "{t}");
    }
}
