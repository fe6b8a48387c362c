//! `orcid convert` with ORCID API v3.0: the version detected from content,
//! forced with `--api`, or taken from `$ORCID_API_VERSION` (default 3.0).

mod checked;

use assert_cmd::Command;
use checked::run;
use orcid_test_kit::paths::{shared_dir, workspace_root};
use serde_json::Value;

fn orcid() -> Command {
    // No configuration file: HOME and XDG_CONFIG_HOME point at an empty
    // folder that lives as long as the test process.
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let home = HOME.get_or_init(|| tempfile::tempdir().unwrap()).path();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    cmd.current_dir(workspace_root())
        .env_remove("ORCID_API_VERSION")
        .env_remove("ORCID_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"));
    cmd
}

fn real(ext: &str) -> String {
    shared_dir()
        .join("orcid-real/v3.0")
        .join(format!("record-0000-0003-0902-4386.{ext}"))
        .display()
        .to_string()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("output is JSON")
}

const KEYWORD: &str = r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword" visibility="public"><keyword:content>oranges</keyword:content></keyword:keyword>"#;

#[test]
fn the_real_v3_0_record_converts_like_orcid_without_saying_the_version() {
    let r = run(orcid()
        .env("ORCID_API_VERSION", "2.1")
        .args(["convert", &real("xml")]));
    // The content shows v3.0 (affiliation groups), whatever the fallback.
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("note"), "{}", r.stderr);
    let theirs = std::fs::read_to_string(real("json")).unwrap();
    assert_eq!(json(&r.stdout), json(&theirs));

    let back = run(orcid().args(["convert", &real("json"), "--to", "xml"]));
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert!(back.stdout.contains("<activities:affiliation-group>"));
}

#[test]
fn forcing_the_wrong_version_is_a_clear_error() {
    let r = run(orcid().args(["convert", "--api", "2.1", &real("xml")]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("activities:distinctions") && r.stderr.contains(":103:"),
        "{}",
        r.stderr
    );
    let r = run(orcid().args(["convert", "--api", "4.0", &real("xml")]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("say 2.1 or 3.0"), "{}", r.stderr);
}

#[test]
fn an_ambiguous_document_takes_the_configured_version_and_says_so() {
    let r = run(orcid().args(["convert", "-"]).write_stdin(KEYWORD));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout)["visibility"], "public");
    assert!(r.stderr.contains("read as v3.0"), "{}", r.stderr);

    let r = run(orcid()
        .env("ORCID_API_VERSION", "2.1")
        .args(["convert", "-"])
        .write_stdin(KEYWORD));
    assert_eq!(json(&r.stdout)["visibility"], "PUBLIC");
    assert!(r.stderr.contains("read as v2.1"), "{}", r.stderr);

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "api_version = \"2.1\"\n").unwrap();
    let r = run(orcid()
        .env("ORCID_CONFIG", &config)
        .args(["convert", "-"])
        .write_stdin(KEYWORD));
    assert_eq!(json(&r.stdout)["visibility"], "PUBLIC", "{}", r.stderr);

    let r = run(orcid()
        .env("ORCID_API_VERSION", "2.1")
        .args(["convert", "--api", "3.0", "-"])
        .write_stdin(KEYWORD));
    assert_eq!(json(&r.stdout)["visibility"], "public");
    assert!(!r.stderr.contains("note"), "{}", r.stderr);
}

#[test]
fn v3_only_roots_are_named_with_root() {
    let sample = workspace_root()
        .join("schemas/cache/record_3.0/samples/write_samples/distinction-3.0.json");
    let r = run(orcid().args([
        "convert",
        "--root",
        "distinction",
        "--to",
        "xml",
        &sample.display().to_string(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("<distinction:distinction"),
        "{}",
        r.stdout
    );
    let r = run(orcid().args([
        "convert",
        "--api",
        "2.1",
        "--root",
        "distinction",
        &sample.display().to_string(),
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("not a v2.1 root"), "{}", r.stderr);
}

#[test]
fn schema_json_speaks_v3_0_by_default_and_v2_1_on_request() {
    let r = run(orcid().args(["schema", "json", "--compact"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all = json(&r.stdout);
    assert_eq!(all["$id"], "urn:orcid:v3.0:json");
    assert!(all["$defs"]["distinction:distinction"].is_object());

    let r = run(orcid().args(["schema", "json", "distinction"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(json(&r.stdout)["properties"]["organization"].is_object());

    let r = run(orcid().args(["schema", "json", "--api", "2.1", "distinction"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a v2.1 root"), "{}", r.stderr);

    let r = run(orcid().args(["schema", "json", "--api", "2.1", "--compact"]));
    let all = json(&r.stdout);
    assert_eq!(all["$id"], "urn:orcid:v2.1:json");
    assert!(all["$defs"].get("distinction:distinction").is_none());
}

fn sample(rel: &str) -> String {
    orcid_test_kit::paths::schema_cache()
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn convert_to_api_upgrades_v2_1_and_downgrades_v3_0_with_warnings() {
    let up = run(orcid().env("ORCID_API_VERSION", "2.1").args([
        "convert",
        "--api",
        "2.1",
        "--to-api",
        "3.0",
        "--to",
        "xml",
        &sample("record_2.1/samples/write_sample/work-full-2.1.xml"),
    ]));
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert!(up.stdout.contains("<common:url>"), "{}", up.stdout);
    assert!(!up.stdout.contains("<work:url>"), "{}", up.stdout);
    assert!(!up.stderr.contains("warning"), "{}", up.stderr);

    let v3 = sample("record_3.0/samples/write_samples/work-full-3.0.xml");
    let down = run(orcid().args(["convert", "--api", "3.0", "--to-api", "2.1", &v3]));
    assert_eq!(down.code, 0, "{}", down.stderr);
    assert!(down.stdout.contains("<work:url>"), "{}", down.stdout);
    assert!(
        down.stderr.contains("warning")
            && down
                .stderr
                .contains("/work:work/common:external-ids/common:external-id[1]")
            && down.stderr.contains("version-of"),
        "{}",
        down.stderr
    );

    let strict = run(orcid().args([
        "convert", "--api", "3.0", "--to-api", "2.1", "--strict", &v3,
    ]));
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(strict.stdout.is_empty(), "{}", strict.stdout);
    assert!(strict.stderr.contains("--strict"), "{}", strict.stderr);
}

#[test]
fn convert_to_api_refuses_v3_only_roots() {
    let r = run(orcid().args([
        "convert",
        "--to-api",
        "2.1",
        &sample("record_3.0/samples/write_samples/distinction-3.0.xml"),
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("has no API 2.1 form"), "{}", r.stderr);
}

/// A folder of payloads moves between versions in one command (a
/// migration to v3.0): each file keeps its name and format, a file that
/// cannot move fails alone, and `--jsonl` takes `--to-api` too.
#[test]
fn convert_to_api_converts_directories_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("v3");
    std::fs::create_dir(&input).unwrap();
    for (from, to) in [
        (
            "record_3.0/samples/write_samples/work-full-3.0.xml",
            "work.xml",
        ),
        (
            "record_3.0/samples/write_samples/distinction-3.0.xml",
            "distinction.xml",
        ),
        (
            "record_3.0/samples/write_samples/work-full-3.0.json",
            "work2.json",
        ),
    ] {
        std::fs::copy(sample(from), input.join(to)).unwrap();
    }
    let out = dir.path().join("v2");
    let r = run(orcid().args([
        "convert",
        "--api",
        "3.0",
        "--to-api",
        "2.1",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]));
    // The distinction has no v2.1 form: that file fails, the others move.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("distinction.xml") && r.stderr.contains("has no API 2.1 form"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("version-of"),
        "the work's loss is reported: {}",
        r.stderr
    );
    let work = std::fs::read_to_string(out.join("work.xml")).unwrap();
    assert!(
        work.contains("<work:url>") && !work.contains("<common:url>"),
        "{work}"
    );
    let work2 = std::fs::read_to_string(out.join("work2.json")).unwrap();
    assert!(
        work2.contains("\"JOURNAL_ARTICLE\""),
        "v2.1 spellings: {work2}"
    );
    assert!(!out.join("distinction.xml").exists());

    // Back up to v3.0, as JSON Lines.
    let jsonl = dir.path().join("v3.jsonl");
    let r = run(orcid().args([
        "convert",
        "--api",
        "2.1",
        "--to-api",
        "3.0",
        "--jsonl",
        out.to_str().unwrap(),
        "-o",
        jsonl.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(lines.lines().count(), 2, "{lines}");
    assert!(
        lines.contains("\"journal-article\""),
        "v3.0 spelling: {lines}"
    );
}

#[test]
fn validate_speaks_v3_0_detected_forced_or_by_default() {
    // The real v3.0 record, in both formats: valid, version from the content.
    let r = run(orcid().args(["validate", &real("xml")]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("note"), "{}", r.stderr);
    let r = run(orcid().args([
        "validate",
        "--api",
        "3.0",
        "--format",
        "json",
        "--root",
        "record",
        &real("json"),
    ]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(json(&r.stdout)["summary"]["valid"], 1, "{}", r.stdout);

    // A v3.0-only section with an element its XSD does not allow: the XSD
    // layer of v3.0 finds it, with line and path.
    let distinction = std::fs::read_to_string(sample(
        "record_3.0/samples/write_samples/distinction-3.0.xml",
    ))
    .unwrap();
    let broken = distinction.replacen(
        "<common:external-id-type>",
        "<common:bogus/><common:external-id-type>",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("distinction.xml");
    std::fs::write(&path, &broken).unwrap();
    let r = run(orcid()
        .args(["validate", "--api", "3.0", "--op", "create"])
        .arg(&path));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("error[xsd.unexpected-element]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "/distinction:distinction/common:external-ids/common:external-id[1]/common:bogus"
        ),
        "{}",
        r.stdout
    );

    // The same file as v2.1: not a v2.1 root at all.
    std::fs::write(&path, &distinction).unwrap();
    let r = run(orcid().args(["validate", "--api", "2.1"]).arg(&path));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("xsd.unknown-root"), "{}", r.stdout);
    assert!(r.stdout.contains("ORCID v2.1 schemas"), "{}", r.stdout);

    // Nothing shows the version: the default (3.0) applies, and it says so.
    let keyword = dir.path().join("keyword.xml");
    std::fs::write(&keyword, KEYWORD).unwrap();
    let r = run(orcid().arg("validate").arg(&keyword));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("validated as v3.0"), "{}", r.stderr);
    let r = run(orcid()
        .env("ORCID_API_VERSION", "2.1")
        .arg("validate")
        .arg(&keyword));
    assert!(r.stderr.contains("validated as v2.1"), "{}", r.stderr);
}

#[test]
fn validate_checks_v3_0_server_rules_and_explains_them() {
    // A v3.0 work whose only id is part-of: ORCID v3.0 answers 9023.
    let r = run(orcid().args([
        "validate",
        "--format",
        "json",
        "fixtures/invalid/rules-v3.0/orcid.work.self-id-required.xml",
    ]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let out = json(&r.stdout);
    let d = &out["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "orcid.work.self-id-required", "{}", r.stdout);
    assert_eq!(d["orcid_error"]["code"], 9023, "{}", r.stdout);
    // v2.1's own spelling of a work type is refused by v3.0 with 9051.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("work.xml");
    let valid = std::fs::read_to_string(workspace_root().join("fixtures/valid-v3.0/work.xml"))
        .unwrap()
        .replace(
            "<work:type>preprint</work:type>",
            "<work:type>dissertation</work:type>",
        );
    std::fs::write(&path, valid).unwrap();
    let r = run(orcid().args(["validate", "--api", "3.0"]).arg(&path));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("orcid.value.unknown"), "{}", r.stdout);
    assert!(r.stdout.contains("dissertation-thesis"), "{}", r.stdout);
    // Every valid v3.0 fixture passes.
    let r = run(orcid().args(["validate", "--api", "3.0", "fixtures/valid-v3.0"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // `orcid explain` knows the v3.0 codes and where each rule applies.
    let r = run(orcid().args(["explain", "9060"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("orcid.organization.city-and-country"),
        "{}",
        r.stdout
    );
    let r = run(orcid().args(["explain", "orcid.work.self-id-required"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("v2.1: -; v3.0: work, bulk"),
        "{}",
        r.stdout
    );
}
