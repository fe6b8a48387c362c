//! Hostile input (issue 14) through both layers: nesting, characters XML
//! cannot carry, wide start tags, many findings. Each probe is one clear
//! finding that names what was refused, with its location.

use std::sync::mpsc;
use std::time::Duration;

use orcid_model::limits::{MAX_ATTRIBUTES, MAX_DEPTH};
use orcid_model::{Document, Root};
use orcid_test_kit::hostile::{deep_json, wide_work, work_json, work_xml, WORK_OPEN};
use orcid_validate::{
    validate_document, validate_json, validate_str, validate_xml, xsd, Context, Report,
};

/// The only finding of `report`, which must mention `needle`.
fn only(report: &Report, needle: &str) -> (usize, usize, String) {
    assert!(!report.is_valid(), "{report:#?}");
    assert_eq!(report.diagnostics.len(), 1, "{report:#?}");
    let d = &report.diagnostics[0];
    assert!(d.message.contains(needle), "{needle}: {}", d.message);
    let l = d.location.as_ref().expect("a location");
    (l.line, l.column, l.path.clone())
}

/// Runs `f` on its own thread with a 2 MiB stack (the smallest a server
/// worker has) and a generous deadline: the probes below used to abort the
/// process or take minutes.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || tx.send(f()))
        .unwrap();
    rx.recv_timeout(Duration::from_secs(120))
        .expect("finished within the deadline, without overflowing its stack")
}

#[test]
fn deep_json_is_one_finding_naming_the_limit() {
    let text = deep_json(20_000);
    let (a, b, c) = bounded(move || {
        let ctx = Context::default();
        (
            validate_json(&text, None, &ctx),
            validate_json(&text, Some(Root::WorkWork), &ctx),
            validate_str(&text, None, &ctx),
        )
    });
    for r in [a, b, c] {
        let (line, column, path) = only(&r, "MAX_DEPTH");
        // At the member whose value is one level too deep.
        assert_eq!((line, column), (1, 5 * (MAX_DEPTH - 1) + 2));
        assert_eq!(path, "/a".repeat(MAX_DEPTH));
    }
}

#[test]
fn deep_xml_is_one_finding_naming_the_limit() {
    let deep = |levels: usize| {
        format!(
            "{WORK_OPEN}{}{}</work:work>",
            "<a>".repeat(levels),
            "</a>".repeat(levels)
        )
    };
    let text = deep(20_000);
    let (r, x) = bounded(move || {
        (
            validate_xml(&text, &Context::default()),
            xsd::validate(&text),
        )
    });
    // The XSD layer reports the first unknown element, then the depth.
    assert_eq!(r.diagnostics.len(), 2, "{r:#?}");
    assert!(r.diagnostics[1].message.contains("MAX_DEPTH"), "{r:#?}");
    let d = &r.diagnostics[1];
    let at = WORK_OPEN.len() + 3 * (MAX_DEPTH - 1);
    assert_eq!(d.location.as_ref().unwrap().column, at + 1);
    assert_eq!(x.errors[1].offset, at);
    // One level less: no word of the limit.
    let r = validate_xml(&deep(MAX_DEPTH - 2), &Context::default());
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("MAX_DEPTH")));
}

#[test]
fn characters_xml_forbids_are_findings_in_both_formats() {
    let ctx = Context::default();
    for (title, c) in [
        ("A\u{0}B", 0x0),
        ("A\u{1}B", 0x1),
        ("A\u{FFFE}B", 0xFFFE),
        ("A&#1;B", 0x1),
        ("A&#xFFFF;B", 0xFFFF),
    ] {
        let xml = work_xml(title);
        let needle = format!("U+{c:04X} is not allowed");
        let (line, column, _) = only(&validate_xml(&xml, &ctx), &needle);
        assert_eq!(
            (line, column),
            (1, xml.find(title).unwrap() + 2),
            "{title:?}"
        );
        // The XSD layer on its own.
        let x = xsd::validate(&xml);
        assert_eq!(x.errors.len(), 1, "{:#?}", x.errors);
        assert!(x.errors[0].message.contains(&needle), "{:#?}", x.errors);
    }
    let attr = format!(
        r#"{WORK_OPEN}<work:title><common:title>A</common:title><common:translated-title language-code="e&#2;n">B</common:translated-title></work:title><work:type>book</work:type></work:work>"#
    );
    only(&validate_xml(&attr, &ctx), "U+0002 is not allowed");
    assert!(xsd::validate(&attr).errors[0]
        .message
        .contains("U+0002 is not allowed"));
    for (title, c) in [
        (r"A\u0000B", 0x0),
        (r"A\u0001B", 0x1),
        (r"A\ufffeB", 0xFFFE),
    ] {
        let text = work_json(title);
        let (line, column, path) = only(
            &validate_json(&text, None, &ctx),
            &format!("U+{c:04X} is not allowed"),
        );
        assert_eq!(path, "/title/title/value");
        assert_eq!(line, 1);
        assert!(column > 0);
    }
}

#[test]
fn a_typed_value_with_such_a_character_is_a_finding() {
    let Document::WorkWork(mut w) = Document::from_xml(&work_xml("A")).unwrap() else {
        panic!()
    };
    w.title.as_mut().unwrap().title = Some("A\u{0}".into());
    let r = validate_document(&Document::WorkWork(w), &Context::default());
    assert!(!r.is_valid());
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("U+0000 is not allowed")),
        "{r:#?}"
    );
}

#[test]
fn wide_start_tags_are_one_finding_naming_the_limit() {
    // 100,000 attributes took over a minute: quick-xml checks each name
    // against every earlier one, and each of the 100,000 findings was
    // located from the start of the text.
    let text = wide_work(100_000, false);
    let (r, x) = bounded(move || {
        (
            validate_xml(&text, &Context::default()),
            xsd::validate(&text),
        )
    });
    let (line, column, _) = only(&r, "MAX_ATTRIBUTES");
    assert_eq!((line, column), (1, 1));
    assert_eq!(x.errors.len(), 1, "{:#?}", x.errors);
    // Up to the limit, each attribute is one finding.
    let r = validate_xml(&wide_work(MAX_ATTRIBUTES - 2, false), &Context::default());
    assert_eq!(r.diagnostics.len(), MAX_ATTRIBUTES - 2, "{r:#?}");
}

#[test]
fn many_findings_are_located_in_linear_time() {
    // 200,000 unknown children on one line: each finding's line and column
    // used to be counted from the start of the text.
    let text = format!("{WORK_OPEN}{}</work:work>", "<a/>".repeat(200_000));
    let r = bounded(move || validate_xml(&text, &Context::default()));
    let last = r
        .diagnostics
        .iter()
        .rev()
        .find(|d| d.message.contains("`a`"));
    let l = last.unwrap().location.as_ref().unwrap();
    assert_eq!((l.line, l.column), (1, WORK_OPEN.len() + 4 * 199_999 + 1));
}

#[test]
fn many_distinct_unknown_children_are_counted_in_linear_time() {
    // Children the content model does not know were counted by name in a
    // list searched for each one: 100,000 distinct names took minutes.
    let children: String = (0..100_000).map(|i| format!("<a{i}/>")).collect();
    let text = format!("{WORK_OPEN}{children}</work:work>");
    let x = bounded(move || xsd::validate(&text));
    assert_eq!(
        x.errors.len(),
        100_001,
        "one per child, and the missing title"
    );
}
