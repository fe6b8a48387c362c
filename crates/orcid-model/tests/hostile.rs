//! Hostile input (issue 14): nesting, characters XML cannot carry, wide
//! start tags. Every probe gets an error that names what was refused, with
//! its location; none aborts, panics or takes quadratic time.

use orcid_model::limits::{MAX_ATTRIBUTES, MAX_DEPTH};
use orcid_model::xml::XmlErrorKind;
use orcid_model::{Document, Error, Root};
use orcid_test_kit::hostile::{deep_json, wide_work, work_json, work_xml, WORK_OPEN};

fn xml_error(r: Result<Document, Error>) -> orcid_model::xml::XmlError {
    match r {
        Err(Error::Xml(e)) => e,
        other => panic!("expected an XML error, got {other:?}"),
    }
}

fn json_error(r: Result<Document, Error>) -> orcid_model::json::JsonError {
    match r {
        Err(Error::Json(e)) => e,
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn deep_json_is_refused_naming_the_limit() {
    // 20,000 levels used to overflow the stack of whoever looked at it.
    for levels in [MAX_DEPTH + 1, 20_000] {
        let text = deep_json(levels);
        for root in [None, Some(Root::WorkWork)] {
            let e = json_error(Document::from_json(&text, root));
            assert!(e.message.contains("MAX_DEPTH"), "{e}");
            assert_eq!((e.line, e.column), (1, 5 * MAX_DEPTH + 1), "{e}");
            assert_eq!(e.pointer, "/a".repeat(MAX_DEPTH), "{e}");
        }
    }
    // At the limit, the depth is not what is wrong.
    let e = Document::from_json(&deep_json(MAX_DEPTH), None).unwrap_err();
    assert!(!e.to_string().contains("MAX_DEPTH"), "{e}");
}

#[test]
fn deep_xml_is_refused() {
    let deep = |levels: usize| {
        format!(
            "{WORK_OPEN}{}{}</work:work>",
            "<a>".repeat(levels),
            "</a>".repeat(levels)
        )
    };
    // The model stops at the first element the schema does not allow.
    let e = xml_error(Document::from_xml(&deep(20_000)));
    assert!(matches!(e.kind, XmlErrorKind::UnexpectedElement(_)), "{e}");
}

#[test]
fn characters_xml_forbids_are_refused_in_xml() {
    for (title, c, column) in [
        ("A\u{0}B", 0x0, 1),
        ("A\u{1}B", 0x1, 1),
        ("A\u{FFFE}B", 0xFFFE, 1),
        ("A&#1;B", 0x1, 0),
        ("A&#x1F;B", 0x1F, 0),
        ("A&#xFFFF;B", 0xFFFF, 0),
    ] {
        let xml = work_xml(title);
        let e = xml_error(Document::from_xml(&xml));
        assert!(
            e.to_string().contains(&format!("U+{c:04X} is not allowed")),
            "{title:?}: {e}"
        );
        assert_eq!(e.line, 1);
        let at = xml.find(title).unwrap() + 1;
        assert_eq!(e.offset, at, "{title:?}: {e}");
        if column == 0 {
            assert_eq!(e.path, "/work:work/work:title/common:title", "{e}");
        }
    }
    // In an attribute value, as a reference.
    let xml = format!(
        r#"{WORK_OPEN}<work:title><common:title>A</common:title><common:translated-title language-code="e&#2;n">B</common:translated-title></work:title><work:type>book</work:type></work:work>"#
    );
    let e = xml_error(Document::from_xml(&xml));
    assert!(e.to_string().contains("U+0002 is not allowed"), "{e}");
    // `&#0;` was refused before, and still is.
    assert!(Document::from_xml(&work_xml("A&#0;B")).is_err());
}

#[test]
fn characters_xml_forbids_are_refused_in_json() {
    for (title, c) in [
        (r"A\u0000B", 0x0),
        (r"A\u0001B", 0x1),
        (r"A\ufffeB", 0xFFFE),
        (r"A\uFFFFB", 0xFFFF),
        ("A\u{FFFE}B", 0xFFFE),
    ] {
        let text = work_json(title);
        for root in [None, Some(Root::WorkWork)] {
            let e = json_error(Document::from_json(&text, root));
            assert!(
                e.message.contains(&format!("U+{c:04X} is not allowed")),
                "{title:?}: {e}"
            );
            assert_eq!(e.pointer, "/title/title/value", "{e}");
            let col = text.find(title).unwrap() + 2;
            assert_eq!((e.line, e.column), (1, col), "{title:?}: {e}");
        }
    }
    // Escaped surrogate pairs and ordinary escapes still read.
    let doc =
        Document::from_json(&work_json(r"\ud83d\ude00 \u00e9\t\n"), Some(Root::WorkWork)).unwrap();
    let Document::WorkWork(w) = doc else { panic!() };
    assert_eq!(
        w.title.as_ref().unwrap().title.as_deref(),
        Some("\u{1F600} é\t\n")
    );
}

#[test]
fn a_value_xml_cannot_carry_is_never_written_as_broken_xml() {
    let Document::WorkWork(mut w) = Document::from_xml(&work_xml("A")).unwrap() else {
        panic!()
    };
    w.title.as_mut().unwrap().title = Some("A\u{0}B\u{FFFF}".into());
    let doc = Document::WorkWork(w);
    // Refused where the caller can refuse ...
    match doc.try_to_xml(false) {
        Err(Error::Write(m)) => assert!(m.contains("U+0000 is not allowed"), "{m}"),
        other => panic!("{other:?}"),
    }
    // ... and never written: the infallible writer puts U+FFFD instead,
    // so what it writes is well-formed and reads back.
    let xml = doc.to_xml(false);
    assert!(xml.contains("A\u{FFFD}B\u{FFFD}"), "{xml}");
    assert!(Document::from_xml(&xml).is_ok());
    assert!(doc.try_to_xml(true).is_err());
}

#[test]
fn wide_start_tags_are_refused_naming_the_limit() {
    // 100,000 attributes took 12 s (quick-xml checks each name against every
    // earlier one); now the reader counts first and stops at the limit.
    for xmlns in [false, true] {
        let e = xml_error(Document::from_xml(&wide_work(100_000, xmlns)));
        assert!(e.to_string().contains("MAX_ATTRIBUTES"), "{e}");
        assert_eq!((e.line, e.column, e.offset), (1, 1, 0), "{e}");
    }
    // Namespace declarations up to the limit are fine (the root declares 2).
    assert!(Document::from_xml(&wide_work(MAX_ATTRIBUTES - 2, true)).is_ok());
    let e = xml_error(Document::from_xml(&wide_work(MAX_ATTRIBUTES - 1, true)));
    assert!(e.to_string().contains("MAX_ATTRIBUTES"), "{e}");
}

#[test]
fn an_invalid_escape_before_a_multibyte_character_is_an_error_not_a_panic() {
    // Found by the fuzz smoke: the check for characters XML cannot carry
    // stepped two bytes over `\` and landed inside `״` (two bytes).
    for text in [
        "{\"title\": {\"title\": {\"value\": \"a\\\u{5f4}b\"}}}",
        "{\"a\\\u{5f4}\": 1}",
        "{\"a\": \"\\",
    ] {
        assert!(
            Document::from_json(text, Some(Root::WorkWork)).is_err(),
            "{text}"
        );
    }
}
