//! End-to-end tests of `orcid convert`.

mod checked;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use checked::run;
use orcid_test_kit::paths::{fixture, real_record_path, workspace_root};
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// `orcid` run from the workspace root, so fixture paths in messages are
/// the short relative ones.
fn orcid() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    // These tests exercise v2.1 payloads; ambiguous ones are read as v2.1
    // (v3.0 has its own tests in tests/v3_0.rs).
    cmd.env("ORCID_API_VERSION", "2.1");
    cmd.current_dir(workspace_root());
    cmd
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("output is JSON")
}

fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            fs::copy(&p, &target).unwrap();
        }
    }
}

// --- the real record -----------------------------------------------------

#[test]
fn real_record_xml_to_json_equals_the_real_json() {
    let r = run(orcid().arg("convert").arg(real_record_path("xml")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = json(&fs::read_to_string(real_record_path("json")).unwrap());
    assert_eq!(json(&r.stdout), expected);
}

#[test]
fn real_record_json_round_trips_through_xml() {
    let original = json(&fs::read_to_string(real_record_path("json")).unwrap());
    for root in [None, Some("record")] {
        let mut to_xml = orcid();
        to_xml.arg("convert").arg(real_record_path("json"));
        if let Some(root) = root {
            to_xml.args(["--root", root]);
        }
        let xml = run(&mut to_xml);
        assert_eq!(xml.code, 0, "{}", xml.stderr);
        assert!(xml.stdout.starts_with("<?xml"));
        assert!(xml.stdout.contains("<record:record "));

        let back = run(orcid().arg("convert").write_stdin(xml.stdout));
        assert_eq!(back.code, 0, "{}", back.stderr);
        assert_eq!(json(&back.stdout), original, "root {root:?}");
    }
}

// --- formats, stdin, stdout ---------------------------------------------

#[test]
fn stdin_to_stdout_with_and_without_dash() {
    let xml = fs::read_to_string(fixture("work.xml")).unwrap();
    let from_file = run(orcid().args(["convert", "fixtures/work.xml"]));
    let implicit = run(orcid().arg("convert").write_stdin(xml.clone()));
    let dash = run(orcid().args(["convert", "-"]).write_stdin(xml));
    assert_eq!(from_file.code, 0);
    assert_eq!(implicit.code, 0, "{}", implicit.stderr);
    assert_eq!(dash.code, 0, "{}", dash.stderr);
    assert_eq!(implicit.stdout, from_file.stdout);
    assert_eq!(dash.stdout, from_file.stdout);
    assert_eq!(json(&implicit.stdout)["type"], "REPORT");
}

#[test]
fn default_is_pretty_and_compact_is_one_line() {
    for (file, to) in [("fixtures/work.xml", "json"), ("fixtures/work.json", "xml")] {
        let pretty = run(orcid().args(["convert", file]));
        let explicit = run(orcid().args(["convert", "--pretty", file]));
        let compact = run(orcid().args(["convert", "--compact", file]));
        assert_eq!(pretty.stdout, explicit.stdout);
        assert!(pretty.stdout.lines().count() > 10, "{to} is pretty");
        assert_eq!(compact.code, 0);
        assert_eq!(
            compact.stdout.lines().count(),
            1,
            "{to}: {}",
            compact.stdout
        );
        assert!(compact.stdout.ends_with('\n'));
    }
    // Same document either way.
    let pretty = run(orcid().args(["convert", "fixtures/work.xml"]));
    let compact = run(orcid().args(["convert", "--compact", "fixtures/work.xml"]));
    assert_eq!(json(&pretty.stdout), json(&compact.stdout));
}

#[test]
fn to_same_format_rewrites_canonically() {
    let xml = run(orcid().args(["convert", "--to", "xml", "fixtures/work.xml"]));
    assert_eq!(xml.code, 0, "{}", xml.stderr);
    assert!(xml
        .stdout
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<work:work "));
    assert!(!xml.stdout.contains("<!--"), "comments are not kept");
    assert!(
        xml.stdout.contains("\n    <work:title>"),
        "four-space indent"
    );
    // Idempotent.
    let again = run(orcid()
        .args(["convert", "--to", "xml"])
        .write_stdin(xml.stdout.clone()));
    assert_eq!(again.stdout, xml.stdout);

    let js = run(orcid().args(["convert", "--to", "json", "fixtures/work.json"]));
    assert_eq!(js.code, 0, "{}", js.stderr);
    assert_eq!(
        json(&js.stdout)["citation"],
        Value::Null,
        "absent keys are written as null"
    );
}

#[test]
fn xml_and_json_fixtures_are_the_same_work() {
    let from_xml = run(orcid().args(["convert", "--to", "xml", "fixtures/work.xml"]));
    let from_json = run(orcid().args(["convert", "--to", "xml", "fixtures/work.json"]));
    assert_eq!(from_xml.stdout, from_json.stdout);
    let a = run(orcid().args(["convert", "fixtures/work.xml"]));
    let b = run(orcid().args(["convert", "--to", "json", "fixtures/work.json"]));
    assert_eq!(a.stdout, b.stdout);
}

// --- output files ------------------------------------------------------

#[test]
fn one_file_to_output_file() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("work.json");
    let r = run(orcid()
        .args(["convert", "fixtures/work.xml", "-o"])
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let written = fs::read_to_string(&out).unwrap();
    let stdout = run(orcid().args(["convert", "fixtures/work.xml"])).stdout;
    assert_eq!(written, stdout);
    assert_eq!(
        files_under(tmp.path()),
        ["work.json"],
        "no temporary files left"
    );
}

#[test]
fn one_file_into_existing_directory() {
    let tmp = TempDir::new().unwrap();
    let r = run(orcid()
        .args(["convert", "fixtures/work.json", "-o"])
        .arg(tmp.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files_under(tmp.path()), ["work.xml"]);
}

#[test]
fn failed_conversion_leaves_output_untouched() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out.json");
    fs::write(&out, "previous content\n").unwrap();
    let r = run(orcid()
        .args(["convert", "fixtures/invalid/malformed.xml", "-o"])
        .arg(&out));
    assert_eq!(r.code, 1);
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous content\n");
    assert_eq!(files_under(tmp.path()), ["out.json"]);
}

// --- directories and several files ---------------------------------------

#[test]
fn directory_converts_into_mirrored_output_directory() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let r = run(orcid().args(["convert", "fixtures/batch", "-o"]).arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        files_under(&out),
        [
            "nested/deeper/keyword.json",
            "nested/researcher-url.xml",
            "work.json"
        ]
    );
    let work = json(&fs::read_to_string(out.join("work.json")).unwrap());
    assert_eq!(work["type"], "BOOK");
    let url = fs::read_to_string(out.join("nested/researcher-url.xml")).unwrap();
    assert!(url.contains("<researcher-url:url-name>Lab notebook</researcher-url:url-name>"));
}

#[test]
fn directory_with_a_bad_file_converts_the_others_and_exits_1() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("batch"), &input);
    fs::copy(
        fixture("invalid/malformed.xml"),
        input.join("nested/bad.xml"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = run(orcid()
        .current_dir(tmp.path())
        .args(["convert", "--to", "json", "in", "-o", "out"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let bad = Path::new("in").join("nested").join("bad.xml");
    assert!(
        r.stderr
            .contains(&format!("{}:7:20: malformed XML", bad.display())),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 of 4 files failed"), "{}", r.stderr);
    assert_eq!(
        files_under(&out),
        [
            "nested/deeper/keyword.json",
            "nested/researcher-url.json",
            "work.json"
        ]
    );
}

#[test]
fn output_directory_inside_input_directory_is_not_read() {
    let tmp = TempDir::new().unwrap();
    copy_tree(&fixture("batch"), tmp.path());
    for _ in 0..2 {
        let r = run(orcid()
            .current_dir(tmp.path())
            .args(["convert", ".", "-o", "converted"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        files_under(&tmp.path().join("converted")),
        [
            "nested/deeper/keyword.json",
            "nested/researcher-url.xml",
            "work.json"
        ]
    );
}

#[test]
fn several_files_need_an_output_directory() {
    let r = run(orcid().args(["convert", "fixtures/work.xml", "fixtures/work.json"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("-o OUTDIR"), "{}", r.stderr);

    let tmp = TempDir::new().unwrap();
    let r = run(orcid()
        .args(["convert", "fixtures/work.xml", "fixtures/work.json", "-o"])
        .arg(tmp.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files_under(tmp.path()), ["work.json", "work.xml"]);
}

#[test]
fn colliding_outputs_are_reported() {
    let tmp = TempDir::new().unwrap();
    let r = run(orcid()
        .args([
            "convert",
            "--to",
            "json",
            "fixtures/work.xml",
            "fixtures/work.json",
            "-o",
        ])
        .arg(tmp.path()));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("fixtures/work.json: not written"),
        "{}",
        r.stderr
    );
    assert_eq!(files_under(tmp.path()), ["work.json"]);
}

#[test]
fn directory_without_output_is_a_usage_error() {
    let r = run(orcid().args(["convert", "fixtures/batch"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("a directory input needs an output directory: add `-o OUTDIR`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Usage: orcid convert"), "{}", r.stderr);
}

#[test]
fn output_that_is_a_file_for_a_directory_is_a_usage_error() {
    let r = run(orcid().args(["convert", "fixtures/batch", "-o", "fixtures/work.xml"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a directory"), "{}", r.stderr);
}

// --- errors ------------------------------------------------------------

#[test]
fn malformed_xml_reports_file_line_column_and_path() {
    let r = run(orcid().args(["convert", "fixtures/invalid/malformed.xml"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr, @"fixtures/invalid/malformed.xml:7:20: malformed XML: ill-formed document: expected `</work:type>`, but `</work:titel>` was found (at XML element /work:work/work:type)");
}

#[test]
fn schema_error_in_xml_reports_element_path() {
    let r = run(orcid().args(["convert", "fixtures/invalid/xsd/unexpected-element.xml"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr, @"fixtures/invalid/xsd/unexpected-element.xml:5:3: element `work:colour` is not allowed here (at XML element /work:work/work:colour)");
}

/// ORCID's own output does not always keep the XSD's order of elements
/// (JAXB reads any order): convert reads it, says where on stderr, and
/// writes the XSD's order; `validate` still refuses it (see validate.rs).
#[test]
fn element_out_of_order_converts_with_a_warning_in_schema_order() {
    let r = run(orcid().args([
        "convert",
        "fixtures/invalid/out-of-order.xml",
        "--api",
        "2.1",
        "--to",
        "xml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stderr, @"orcid: warning: fixtures/invalid/out-of-order.xml:5:3: element `work:title` is out of order (the schema fixes the order of elements) (at /work:work/work:title); read anyway, and written in the schema's order");
    let title = r.stdout.find("<work:title>").expect("title written");
    let kind = r.stdout.find("<work:type>").expect("type written");
    assert!(title < kind, "written in the XSD's order:\n{}", r.stdout);
    let v = run(orcid().args(["validate", "fixtures/invalid/out-of-order.xml"]));
    assert_eq!(v.code, 1, "{}", v.stdout);
}

#[test]
fn malformed_json_reports_file_line_column() {
    let r = run(orcid().args(["convert", "fixtures/invalid/malformed.json"]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stderr, @"fixtures/invalid/malformed.json:5:3: expected `,` or `}` (at the document root)");
}

#[test]
fn unknown_json_field_is_named_with_its_pointer() {
    let r = run(orcid().args([
        "convert",
        "--root",
        "work",
        "fixtures/invalid/unknown-field.json",
    ]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stderr, @"fixtures/invalid/unknown-field.json:4:12: unknown field `colour`, expected one of `title`, `subtitle`, `translated-title` (at JSON pointer /title/colour)");
}

#[test]
fn uninferable_root_asks_for_root() {
    let r = run(orcid().args(["convert", "fixtures/invalid/ambiguous-root.json"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("fixtures/invalid/ambiguous-root.json: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--root"), "{}", r.stderr);

    for root in ["keyword", "keyword:keyword", "other-name"] {
        let ok = run(orcid().args([
            "convert",
            "--root",
            root,
            "fixtures/invalid/ambiguous-root.json",
        ]));
        assert_eq!(ok.code, 0, "{}", ok.stderr);
        assert!(ok.stdout.contains("graph theory</"), "{}", ok.stdout);
    }
}

#[test]
fn unknown_root_name_is_a_usage_error() {
    let r = run(orcid().args(["convert", "--root", "nonsense", "fixtures/work.json"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("known roots:"), "{}", r.stderr);
}

#[test]
fn not_xml_or_json_and_not_utf8_exit_1() {
    let r = run(orcid()
        .arg("convert")
        .write_stdin("title: not a document\n"));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("<stdin>: input is neither XML"),
        "{}",
        r.stderr
    );

    let r = run(orcid()
        .arg("convert")
        .write_stdin(&b"<a>\n<b>\xff</b></a>"[..]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("<stdin>:2:4: input is not valid UTF-8"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_file_exits_2() {
    let r = run(orcid().args(["convert", "fixtures/no-such-file.xml"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read `fixtures/no-such-file.xml`"),
        "{}",
        r.stderr
    );
    let tmp = TempDir::new().unwrap();
    let r = run(orcid()
        .args([
            "convert",
            "fixtures/work.xml",
            "fixtures/no-such-file.xml",
            "-o",
        ])
        .arg(tmp.path()));
    assert_eq!(r.code, 2);
    assert_eq!(
        files_under(tmp.path()),
        Vec::<String>::new(),
        "nothing converted"
    );
}

#[test]
fn unwritable_output_exits_2() {
    let r = run(orcid().args([
        "convert",
        "fixtures/work.xml",
        "-o",
        "fixtures/no-such-dir/x.json",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cannot write `fixtures/no-such-dir/x.json`"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["convert", "--bogus"][..],
        &["convert", "--to", "yaml", "fixtures/work.xml"],
        &["convert", "--root"],
        &["convert", "-", "-"],
        &["frobnicate"],
        &[],
    ] {
        let r = run(orcid().args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
}

// --- help and version ----------------------------------------------------

#[test]
fn help_mentions_every_flag() {
    orcid()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("convert"))
        .stdout(predicate::str::contains("--version"))
        .stdout(predicate::str::contains("--help"))
        .stdout(predicate::str::contains("Exit status"));
    orcid()
        .args(["convert", "-h"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[possible values: json, xml]"));
    let help = orcid().args(["convert", "--help"]).assert().success();
    let out = String::from_utf8(help.get_output().stdout.clone()).unwrap();
    for flag in [
        "--to",
        "--pretty",
        "--compact",
        "--root",
        "-o, --output",
        "--help",
        "--version",
    ] {
        assert!(out.contains(flag), "convert --help lacks {flag}:\n{out}");
    }
    for topic in ["Exit status", "Examples", "inferred", "Possible values"] {
        assert!(out.contains(topic), "convert --help lacks {topic}:\n{out}");
    }
}

#[test]
fn version() {
    orcid()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("orcid {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn output_directory_may_be_the_input_directory_but_inputs_are_never_overwritten() {
    let tmp = TempDir::new().unwrap();
    copy_tree(&fixture("batch"), tmp.path());
    let r = run(orcid()
        .current_dir(tmp.path())
        .args(["convert", ".", "-o", "."]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files_under(tmp.path()),
        [
            "nested/deeper/keyword.json",
            "nested/deeper/keyword.xml",
            "nested/researcher-url.json",
            "nested/researcher-url.xml",
            "notes.txt",
            "work.json",
            "work.xml"
        ]
    );
    // a.json -> a.xml and a.xml -> a.json would each replace the other input.
    let other = TempDir::new().unwrap();
    fs::copy(fixture("work.xml"), other.path().join("a.xml")).unwrap();
    fs::copy(
        fixture("batch/nested/researcher-url.json"),
        other.path().join("a.json"),
    )
    .unwrap();
    let r = run(orcid()
        .current_dir(other.path())
        .args(["convert", ".", "-o", "."]));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.matches("is another input").count(),
        2,
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read(other.path().join("a.xml")).unwrap(),
        fs::read(fixture("work.xml")).unwrap()
    );
    assert_eq!(
        fs::read(other.path().join("a.json")).unwrap(),
        fs::read(fixture("batch/nested/researcher-url.json")).unwrap()
    );
}
