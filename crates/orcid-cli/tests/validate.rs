//! End-to-end tests of `orcid validate`, `orcid schema` and `orcid explain`.

mod checked;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use checked::run;
use orcid_test_kit::paths::{real_record_path, workspace_root};
use serde_json::Value;
use tempfile::TempDir;

/// `orcid` run from the workspace root, so fixture paths in messages are
/// the short relative ones, without colours.
fn orcid() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    // These tests exercise v2.1 payloads; ambiguous ones are read as v2.1
    // (v3.0 has its own tests in tests/v3_0.rs).
    cmd.env("ORCID_API_VERSION", "2.1");
    cmd.current_dir(workspace_root()).env("NO_COLOR", "1");
    cmd
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{text}"))
}

/// The `<!-- expect: CODE at LINE:COL -->` lines of a fixture.
fn expectations(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once("<!-- expect: "))
        .map(|(_, rest)| {
            let rest = rest.trim_end().trim_end_matches("-->").trim();
            let (code, at) = rest.split_once(" at ").expect("`CODE at LINE:COL`");
            (code.trim().to_string(), at.trim().to_string())
        })
        .collect()
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

// --- XSD fixtures ----------------------------------------------------------

#[test]
fn every_xsd_fixture_is_reported_at_its_expected_place() {
    let files = sorted_files(&workspace_root().join("fixtures/invalid/xsd"), "xml");
    assert!(files.len() >= 15, "{} XSD fixtures", files.len());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("fixtures/invalid/xsd/{name}");
        let expected = expectations(&fs::read_to_string(&path).unwrap());
        assert!(!expected.is_empty(), "{rel} has no expect line");
        let r = run(orcid().args(["validate", &rel]));
        assert_eq!(r.code, 1, "{rel}: {}{}", r.stdout, r.stderr);
        for (code, at) in expected {
            let header = format!("{rel}:{at}: error[{code}]");
            assert!(
                r.stdout.lines().any(|l| l.starts_with(&header)),
                "{rel}: no `{header}` in\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains(&format!("{rel}: invalid")),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("\n1 file, 0 valid, 1 invalid, "),
            "{}",
            r.stdout
        );
    }
}

#[test]
fn human_findings_show_the_source_line_path_orcid_error_and_hint() {
    let r = run(orcid().args(["validate", "fixtures/invalid/xsd/enumeration-work-type.xml"]));
    assert_eq!(r.code, 1);
    let out = &r.stdout;
    assert!(out
        .contains("fixtures/invalid/xsd/enumeration-work-type.xml:5:3: error[xsd.enumeration]: "));
    assert!(
        out.contains(" 5 │   <work:type>journal-articel</work:type>"),
        "{out}"
    );
    assert!(out.contains("= path: /work:work/work:type"), "{out}");
    assert!(
        out.contains("= ORCID would answer: 400 / error 9001"),
        "{out}"
    );
    assert!(out.contains("= hint: "), "{out}");
    assert!(!out.contains('\x1b'), "no colours when not a terminal");
}

// --- snapshots ---------------------------------------------------------------

#[test]
fn snapshot_human_xml() {
    let r = run(orcid().args(["validate", "fixtures/invalid/xsd/pattern-blank-title.xml"]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_xml_pattern_blank_title", r.stdout);
}

#[test]
fn snapshot_human_json_unknown_field() {
    let r = run(orcid().args([
        "validate",
        "--root",
        "work",
        "fixtures/invalid/unknown-field.json",
    ]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_json_unknown_field", r.stdout);
}

#[test]
fn snapshot_human_rule_finding() {
    // fixtures/work.xml carries a put-code: fine for an update, refused on
    // a create (ORCID 9024).
    let r = run(orcid().args(["validate", "fixtures/work.xml"]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("human_rule_put_code_on_create", r.stdout);
}

#[test]
fn snapshot_json_xml() {
    let r = run(orcid().args([
        "validate",
        "--format",
        "json",
        "fixtures/invalid/xsd/pattern-blank-title.xml",
    ]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("json_xml_pattern_blank_title", r.stdout);
}

#[test]
fn snapshot_json_unknown_field() {
    let r = run(orcid().args([
        "validate",
        "--format",
        "json",
        "--root",
        "work",
        "fixtures/invalid/unknown-field.json",
    ]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("json_unknown_field", r.stdout);
}

#[test]
fn snapshot_json_rule_finding() {
    let r = run(orcid().args(["validate", "--format", "json", "fixtures/work.xml"]));
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("json_rule_put_code_on_create", r.stdout);
}

// --- valid inputs ------------------------------------------------------------

#[test]
fn work_fixtures_are_valid_updates_and_refused_creates() {
    for (file, format) in [
        ("fixtures/work.xml", "vnd.orcid+xml"),
        ("fixtures/work.json", "vnd.orcid+json"),
    ] {
        let update = run(orcid().args(["validate", "--op", "update", "--root", "work", file]));
        assert_eq!(update.code, 0, "{}", update.stdout);
        assert_eq!(
            update.stdout,
            format!("{file}: valid (work:work, {format})\n1 file, 1 valid, 0 invalid, 0 errors\n")
        );
        // The same put-code in the URL of the PUT is fine.
        let same = run(orcid().args([
            "validate",
            "--op",
            "update",
            "--put-code",
            "4711",
            "--root",
            "work",
            file,
        ]));
        assert_eq!(same.code, 0, "{}", same.stdout);

        // On a create, the put-code (4711) is the only finding.
        let create = run(orcid().args(["validate", "--format", "json", "--root", "work", file]));
        assert_eq!(create.code, 1);
        let doc = json(&create.stdout);
        let codes: Vec<&str> = doc["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["orcid.item.put-code-on-create"], "{file}");
        assert_eq!(
            doc["files"][0]["diagnostics"][0]["orcid_error"]["code"],
            9024
        );
    }
}

#[test]
fn a_put_code_other_than_the_urls_is_reported() {
    let r = run(orcid().args([
        "validate",
        "--format",
        "json",
        "--op",
        "update",
        "--put-code",
        "1",
        "fixtures/work.xml",
    ]));
    assert_eq!(r.code, 1);
    let doc = json(&r.stdout);
    assert_eq!(
        doc["files"][0]["diagnostics"][0]["code"],
        "orcid.item.put-code-mismatch"
    );
}

#[test]
fn valid_fixtures_are_valid() {
    let dir = workspace_root().join("fixtures/valid");
    for path in sorted_files(&dir, "xml") {
        let rel = format!(
            "fixtures/valid/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let r = run(orcid().args(["validate", &rel]));
        assert_eq!(r.code, 0, "{rel}: {}", r.stdout);
    }
}

#[test]
fn the_real_record_is_valid() {
    // A record is read, never written by clients: no server rule applies,
    // whatever the operation.
    for op in ["create", "update"] {
        let r = run(orcid()
            .args(["validate", "--format", "json", "--op", op])
            .arg(real_record_path("xml")));
        assert_eq!(r.code, 0, "{}", r.stdout);
        let doc = json(&r.stdout);
        assert_eq!(doc["files"][0]["root"], "record:record");
        assert_eq!(doc["files"][0]["format"], "application/vnd.orcid+xml");
        assert_eq!(doc["files"][0]["valid"], true);
        assert_eq!(doc["files"][0]["diagnostics"], Value::Array(vec![]));
    }
    let r = run(orcid()
        .args(["validate", "--root", "record"])
        .arg(real_record_path("json")));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains(": valid (record:record, vnd.orcid+json)"));
    let inferred = run(orcid().arg("validate").arg(real_record_path("json")));
    assert_eq!(inferred.code, 0, "{}", inferred.stdout);
}

#[test]
fn standard_input_is_read_with_and_without_dash() {
    let xml = fs::read_to_string(workspace_root().join("fixtures/valid/work.xml")).unwrap();
    for args in [&["validate"][..], &["validate", "-"][..]] {
        let r = run(orcid().args(args).write_stdin(xml.clone()));
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert!(r
            .stdout
            .starts_with("<stdin>: valid (work:work, vnd.orcid+xml)\n"));
    }
    let twice = run(orcid().args(["validate", "-", "-"]).write_stdin(xml));
    assert_eq!(twice.code, 2);
}

#[test]
fn quiet_counts_valid_files_only() {
    let r = run(orcid().args([
        "validate",
        "-q",
        "fixtures/valid/work.xml",
        "fixtures/invalid/xsd/syntax.xml",
    ]));
    assert_eq!(r.code, 1);
    assert!(
        !r.stdout.contains("fixtures/valid/work.xml"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("fixtures/invalid/xsd/syntax.xml: invalid"));
    assert!(
        r.stdout.ends_with("2 files, 1 valid, 1 invalid, 1 error\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn input_that_is_not_utf8_is_invalid() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("latin1.xml");
    fs::write(
        &file,
        b"<?xml version=\"1.0\"?>\n<work:work>caf\xe9</work:work>\n",
    )
    .unwrap();
    let r = run(orcid().args(["validate", "--format", "json"]).arg(&file));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let d = &json(&r.stdout)["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "syntax");
    assert_eq!(d["location"]["line"], 2);
    assert_eq!(d["location"]["column"], 15);
}

// --- directories ------------------------------------------------------------

/// A directory of two valid and two invalid files (and one that is not a
/// message), returned with its name relative to the temporary directory.
fn mixed_corpus() -> TempDir {
    let tmp = TempDir::new().unwrap();
    let corpus = tmp.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    let copy = |from: &str, to: &str| {
        fs::copy(workspace_root().join(from), corpus.join(to)).unwrap();
    };
    copy("fixtures/valid/work.xml", "a.xml");
    copy("fixtures/invalid/unknown-field.json", "b.json");
    copy("fixtures/valid/keyword.xml", "e.xml");
    copy(
        "fixtures/invalid/xsd/enumeration-work-type.xml",
        "sub/c.xml",
    );
    fs::write(corpus.join("d.txt"), "not a message").unwrap();
    tmp
}

fn in_dir(dir: &Path) -> Command {
    let mut cmd = orcid();
    cmd.current_dir(dir);
    cmd
}

#[test]
fn a_directory_is_validated_in_input_order() {
    let tmp = mixed_corpus();
    let r = run(in_dir(tmp.path()).args(["validate", "--root", "work", "corpus"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let statuses: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("corpus/") && (l.contains(": valid") || l.contains(": invalid")))
        .collect();
    assert_eq!(statuses.len(), 4, "{}", r.stdout);
    assert_eq!(
        statuses[0],
        "corpus/a.xml: valid (work:work, vnd.orcid+xml)"
    );
    assert_eq!(
        statuses[1],
        "corpus/b.json: invalid (work:work, vnd.orcid+json; 1 error)"
    );
    assert_eq!(
        statuses[2],
        "corpus/e.xml: valid (keyword:keyword, vnd.orcid+xml)"
    );
    // The root of an XML input that the model cannot read may be unknown.
    assert!(
        statuses[3].starts_with("corpus/sub/c.xml: invalid ("),
        "{}",
        statuses[3]
    );
    assert!(
        statuses[3].ends_with("vnd.orcid+xml; 1 error)"),
        "{}",
        statuses[3]
    );
    // Findings come before their file's status line, in input order.
    let b = r
        .stdout
        .find("corpus/b.json:4:5: error[json.unknown-field]")
        .unwrap();
    let c = r
        .stdout
        .find("corpus/sub/c.xml:5:3: error[xsd.enumeration]")
        .unwrap();
    assert!(b < r.stdout.find(statuses[1]).unwrap());
    assert!(r.stdout.find(statuses[2]).unwrap() < c);
    assert!(c < r.stdout.find(statuses[3]).unwrap());
    assert!(
        r.stdout
            .ends_with("\n4 files, 2 valid, 2 invalid, 2 errors\n"),
        "{}",
        r.stdout
    );

    // The same order and output on one thread.
    let one = run(in_dir(tmp.path()).args(["validate", "--root", "work", "-j", "1", "corpus"]));
    assert_eq!(one.stdout, r.stdout);
    assert_eq!(one.code, 1);
}

#[test]
fn a_directory_as_json() {
    let tmp = mixed_corpus();
    let r =
        run(in_dir(tmp.path()).args(["validate", "--format", "json", "--root", "work", "corpus"]));
    assert_eq!(r.code, 1);
    let doc = json(&r.stdout);
    assert_eq!(doc["version"], 1);
    let files = doc["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "corpus/a.xml",
            "corpus/b.json",
            "corpus/e.xml",
            "corpus/sub/c.xml"
        ]
    );
    let valid: Vec<bool> = files
        .iter()
        .map(|f| f["valid"].as_bool().unwrap())
        .collect();
    assert_eq!(valid, [true, false, true, false]);
    assert_eq!(files[1]["diagnostics"][0]["code"], "json.unknown-field");
    assert_eq!(files[3]["diagnostics"][0]["code"], "xsd.enumeration");
    assert_eq!(files[3]["diagnostics"][0]["location"]["line"], 5);
    assert_eq!(files[3]["diagnostics"][0]["location"]["column"], 3);
    assert_eq!(files[3]["diagnostics"][0]["orcid_error"]["code"], 9001);
    assert_eq!(files[3]["diagnostics"][0]["orcid_error"]["http"], 400);
    assert!(files.iter().all(|f| f["error"].is_null()));
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["valid"], 2);
    assert_eq!(summary["invalid"], 2);
    assert_eq!(summary["errors"], 2);
    assert_eq!(summary["warnings"], 0);
    assert_eq!(summary["unreadable"], 0);
}

#[test]
fn a_directory_as_sarif() {
    let tmp = mixed_corpus();
    let r =
        run(in_dir(tmp.path()).args(["validate", "--format", "sarif", "--root", "work", "corpus"]));
    assert_eq!(r.code, 1);
    let doc = json(&r.stdout);
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "orcid");
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["json.unknown-field", "xsd.enumeration"]);
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for res in results {
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(res["ruleId"], rules[index]);
        assert_eq!(res["level"], "error");
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
    let c = &results[1];
    let loc = &c["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "corpus/sub/c.xml");
    assert_eq!(loc["region"]["startLine"], 5);
    assert_eq!(loc["region"]["startColumn"], 3);
    assert_eq!(c["properties"]["orcidErrorCode"], 9001);
    assert_eq!(c["properties"]["httpStatus"], 400);
    assert_eq!(results[0]["properties"]["orcidErrorCode"], 9047);
}

#[test]
fn sarif_of_valid_files_has_no_results() {
    let r = run(orcid().args(["validate", "--format", "sarif", "fixtures/valid/work.xml"]));
    assert_eq!(r.code, 0);
    let doc = json(&r.stdout);
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["runs"][0]["results"], Value::Array(vec![]));
}

// --- usage and I/O errors ----------------------------------------------------

#[test]
fn a_missing_file_is_an_io_error() {
    for format in ["human", "json", "sarif"] {
        let r = run(orcid().args([
            "validate",
            "--format",
            format,
            "fixtures/work.xml",
            "fixtures/no-such-file.xml",
        ]));
        assert_eq!(r.code, 2, "{format}");
        assert!(r.stderr.contains("no-such-file.xml"), "{}", r.stderr);
    }
}

/// A file that exists but cannot be read: reading /proc/self/mem from
/// offset 0 fails (EIO), even as root.
#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_is_reported_and_the_others_checked() {
    let r = run(orcid().args(["validate", "/proc/self/mem", "fixtures/valid/work.xml"]));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("orcid: cannot read `/proc/self/mem`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("fixtures/valid/work.xml: valid"));
    assert!(
        r.stdout
            .ends_with("2 files, 1 valid, 0 invalid, 0 errors, 1 unreadable\n"),
        "{}",
        r.stdout
    );

    let r = run(orcid().args(["validate", "--format", "json", "/proc/self/mem"]));
    assert_eq!(r.code, 2);
    let doc = json(&r.stdout);
    let file = &doc["files"][0];
    assert_eq!(file["valid"], false);
    assert!(file["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot read `/proc/self/mem`"));
    assert_eq!(doc["summary"]["unreadable"], 1);
    assert_eq!(doc["summary"]["invalid"], 0);

    let r = run(orcid().args(["validate", "--format", "sarif", "/proc/self/mem"]));
    assert_eq!(r.code, 2);
    let invocation = &json(&r.stdout)["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate", "--bogus", "fixtures/work.xml"][..],
        &["validate", "--format", "xml", "fixtures/work.xml"][..],
        &["validate", "--op", "delete", "fixtures/work.xml"][..],
        &[
            "validate",
            "--put-code",
            "x",
            "--op",
            "update",
            "fixtures/work.xml",
        ][..],
        &["validate", "--put-code", "12", "fixtures/work.xml"][..],
        &[
            "validate",
            "--stored-visibility",
            "public",
            "fixtures/work.xml",
        ][..],
        &[
            "validate",
            "--stored-visibility",
            "secret",
            "--op",
            "update",
            "fixtures/work.xml",
        ][..],
        &["validate", "--jobs", "0", "fixtures/work.xml"][..],
        &["validate", "--root", "nonsense", "fixtures/work.json"][..],
        &["schema"][..],
        &["schema", "json", "nonsense"][..],
        &["schema", "yaml"][..],
        &["explain"][..],
    ] {
        let r = run(orcid().args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn stored_visibility_is_checked_on_updates() {
    let r = run(orcid().args([
        "validate",
        "--format",
        "json",
        "--op",
        "update",
        "--stored-visibility",
        "private",
        "fixtures/work.xml",
    ]));
    let doc = json(&r.stdout);
    let codes: Vec<&str> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // fixtures/work.xml is public.
    assert_eq!(codes, ["orcid.item.visibility-changed"], "{}", r.stdout);
    assert_eq!(r.code, 1);
}

#[test]
fn help_describes_formats_exit_codes_and_examples() {
    for (cmd, words) in [
        (
            "validate",
            &["human", "json", "sarif", "Exit status", "Examples", "--op"][..],
        ),
        ("schema", &["anyOf", "$defs", "Exit status", "Examples"][..]),
        (
            "explain",
            &["9021", "xsd.pattern", "Exit status", "Examples"][..],
        ),
    ] {
        let r = run(orcid().args([cmd, "--help"]));
        assert_eq!(r.code, 0);
        for w in words {
            assert!(r.stdout.contains(w), "`orcid {cmd} --help` lacks {w}");
        }
    }
}

// --- schema ------------------------------------------------------------------

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

fn schema(root: Option<&str>) -> Value {
    let mut cmd = orcid();
    cmd.args(["schema", "json"]);
    if let Some(root) = root {
        cmd.arg(root);
    }
    let r = run(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(&r.stdout)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("invalid schema: {e}"))
}

fn assert_matches(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// Every JSON file under `fixtures/`, except the invalid ones.
fn json_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![workspace_root().join("fixtures")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "invalid") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn schema_of_work_is_draft_2020_12() {
    let s = schema(Some("work"));
    assert_eq!(s["$schema"], DRAFT_2020_12);
    validator(&s);
    let compact = run(orcid().args(["schema", "json", "--compact", "work:work"]));
    assert_eq!(compact.code, 0);
    assert_eq!(compact.stdout.lines().count(), 1);
    assert_eq!(json(&compact.stdout), s);
}

#[test]
fn every_json_fixture_matches_the_schema_of_its_root() {
    let files = json_fixtures();
    assert!(files.len() >= 3, "{files:?}");
    let all = validator(&schema(None));
    for path in files {
        // Fixtures are named after their root (`work.json`, `researcher-url.json`),
        // or say it as a second extension, as `orcid push` reads them (`reach.work.json`).
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let root = stem.rsplit('.').next().unwrap_or(&stem).to_string();
        let instance = json(&fs::read_to_string(&path).unwrap());
        let one = validator(&schema(Some(&root)));
        assert_matches(&one, &instance, &path.display().to_string());
        assert_matches(&all, &instance, &format!("{} (every root)", path.display()));
    }
}

#[test]
fn the_schema_of_every_root_refers_to_each_root() {
    let s = schema(None);
    assert_eq!(s["$schema"], DRAFT_2020_12);
    let any_of = s["anyOf"].as_array().unwrap();
    let defs = s["$defs"].as_object().unwrap();
    assert_eq!(any_of.len(), defs.len());
    assert!(defs.contains_key("work:work"));
    assert!(defs.contains_key("record:record"));
    assert!(any_of.contains(&serde_json::json!({"$ref": "#/$defs/work:work"})));

    // One root's schema, reached through the combined document, still
    // checks that root: the real record matches it, a work does not.
    let mut record_only = s.clone();
    record_only["anyOf"] = serde_json::json!([{"$ref": "#/$defs/record:record"}]);
    let v = validator(&record_only);
    let record = json(&fs::read_to_string(real_record_path("json")).unwrap());
    assert_matches(&v, &record, "real record");
    let work = json(&fs::read_to_string(workspace_root().join("fixtures/work.json")).unwrap());
    assert!(!v.is_valid(&work));
    assert!(!v.is_valid(&serde_json::json!({"colour": "teal"})));
}

// --- explain -----------------------------------------------------------------

#[test]
fn explain_an_orcid_code() {
    let r = run(orcid().args(["explain", "9021"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("ORCID error 9021 (HTTP 409)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("orcid.bulk.duplicate"), "{}", r.stdout);

    let r = run(orcid().args(["explain", "9001"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("xsd.pattern"), "{}", r.stdout);
}

#[test]
fn explain_a_diagnostic_code() {
    let r = run(orcid().args(["explain", "xsd.pattern"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("xsd.pattern: "));
    assert!(
        r.stdout.contains("HTTP 400 with error 9001"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("HTTP 400 with error 9047"),
        "{}",
        r.stdout
    );

    let r = run(orcid().args(["explain", "orcid.work.title-required"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("HTTP 400 with error 9022"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("How to fix: "));
}

#[test]
fn every_code_validate_prints_can_be_explained() {
    let r = run(orcid().args(["validate", "--format", "json", "fixtures"]));
    let doc = json(&r.stdout);
    let mut codes: Vec<String> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().clone())
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 10, "{codes:?}");
    for code in codes {
        let e = run(orcid().args(["explain", &code]));
        assert_eq!(e.code, 0, "{code}: {}", e.stderr);
    }
}

#[test]
fn explain_an_unknown_code_exits_1() {
    for code in ["1234567", "9999", "xsd.patern", "nonsense"] {
        let r = run(orcid().args(["explain", code]));
        assert_eq!(r.code, 1, "{code}");
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr.contains(&format!("unknown code `{code}`")),
            "{}",
            r.stderr
        );
    }
    let r = run(orcid().args(["explain", "xsd.patern"]));
    assert!(
        r.stderr.contains("did you mean `xsd.pattern`?"),
        "{}",
        r.stderr
    );
}

/// Issue 14: a 100 KB JSON work nested 20,000 deep aborted the process (a
/// stack overflow, exit 134); it is one finding that names the limit.
#[test]
fn deep_json_is_a_finding_not_an_abort() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("deep.json");
    let text = format!("{}1{}", r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    fs::write(&path, text).unwrap();
    let r = run(orcid().arg("validate").arg(&path));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("MAX_DEPTH"), "{}", r.stdout);
}

/// The streamed bulk check agrees with ORCID's `createWorks`: a work that
/// fails validation is not stored, so a later work with its `self` id is
/// no duplicate.
#[test]
fn a_bulk_work_orcid_refuses_is_not_duplicated_by_a_later_one() {
    let text = fs::read_to_string(
        workspace_root().join("fixtures/invalid/rules/orcid.bulk.duplicate.xml"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let as_is = dir.path().join("dup.xml");
    fs::write(&as_is, &text).unwrap();
    let r = run(orcid().args(["validate", "--api", "2.1", as_is.to_str().unwrap()]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("orcid.bulk.duplicate"), "{}", r.stdout);

    let refused = dir.path().join("refused-first.xml");
    fs::write(
        &refused,
        text.replace(
            "<common:title>Paper one</common:title>",
            "<common:title></common:title>",
        ),
    )
    .unwrap();
    let r = run(orcid().args(["validate", "--api", "2.1", refused.to_str().unwrap()]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("orcid.work.title-required"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("orcid.bulk.duplicate"), "{}", r.stdout);
}
