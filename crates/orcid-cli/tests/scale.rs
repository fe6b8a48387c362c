//! End-to-end tests of the scale features: archives read as streams, JSON
//! Lines, `--jobs`, results in input order, and bulks converted and
//! validated work by work with the same results as a whole-document read.

mod checked;

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use checked::run;
use orcid_model::Document;
use orcid_test_kit::paths::workspace_root;
use orcid_validate::{validate_xml, Context};
use serde_json::Value;
use tempfile::TempDir;

fn orcid(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    // These tests exercise v2.1 payloads; ambiguous ones are read as v2.1
    // (v3.0 has its own tests in tests/v3_0.rs).
    cmd.env("ORCID_API_VERSION", "2.1");
    cmd.current_dir(dir);
    cmd
}

/// The members of the test archive: (path in the archive, fixture).
const MEMBERS: &[(&str, &str)] = &[
    (
        "ORCID_2023_10_summaries/097/0000-0002-1825-0097.xml",
        "fixtures/valid/work.xml",
    ),
    (
        "ORCID_2023_10_summaries/097/README.txt",
        "fixtures/batch/notes.txt",
    ),
    (
        "ORCID_2023_10_summaries/12X/0000-0001-5109-312X.json",
        "fixtures/batch/nested/researcher-url.json",
    ),
    (
        "ORCID_2023_10_summaries/200/0000-0003-0902-4200.xml",
        "fixtures/invalid/malformed.xml",
    ),
    (
        "ORCID_2023_10_summaries/300/0000-0003-0902-4300.xml",
        "fixtures/valid/keyword.xml",
    ),
    (
        "ORCID_2023_10_summaries/400/bulk.xml",
        "fixtures/valid/bulk.xml",
    ),
    (
        "ORCID_2023_10_summaries/500/0000-0003-0902-4500.xml",
        "fixtures/valid/funding.xml",
    ),
];

/// Writes `archive.tar.gz` (and `archive.tar`) with [`MEMBERS`] into `dir`.
fn archive(dir: &Path) {
    let mut tar = tar::Builder::new(Vec::new());
    for (path, fixture) in MEMBERS {
        let bytes = fs::read(workspace_root().join(fixture)).unwrap();
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, path, bytes.as_slice())
            .unwrap();
    }
    let tar = tar.into_inner().unwrap();
    fs::write(dir.join("archive.tar"), &tar).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    fs::write(dir.join("archive.tar.gz"), gz.finish().unwrap()).unwrap();
}

/// The document members, in archive order.
fn documents() -> Vec<(&'static str, &'static str)> {
    MEMBERS
        .iter()
        .copied()
        .filter(|(p, _)| p.ends_with(".xml") || p.ends_with(".json"))
        .collect()
}

#[test]
fn jsonl_of_an_archive_has_one_line_per_document_in_archive_order() {
    let tmp = TempDir::new().unwrap();
    archive(tmp.path());
    let r = run(orcid(tmp.path()).args(["convert", "--jsonl", "archive.tar.gz"]));
    assert_eq!(r.code, 1, "the malformed member fails: {}", r.stderr);
    assert!(
        r.stderr
            .contains("archive.tar.gz/ORCID_2023_10_summaries/200/0000-0003-0902-4200.xml:"),
        "{}",
        r.stderr
    );
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let docs = documents();
    assert_eq!(lines.len(), docs.len(), "{}", r.stdout);
    for (line, (path, fixture)) in lines.iter().zip(&docs) {
        assert_eq!(line["path"], format!("archive.tar.gz/{path}"));
        if fixture.contains("malformed") {
            assert!(line["error"].as_str().unwrap().contains("malformed XML"));
            continue;
        }
        // The document is what `orcid convert --compact --to json` writes.
        let one =
            run(orcid(&workspace_root()).args(["convert", "--compact", "--to", "json", fixture]));
        assert_eq!(one.code, 0, "{fixture}: {}", one.stderr);
        let expected: Value = serde_json::from_str(&one.stdout).unwrap();
        assert_eq!(line["document"], expected, "{fixture}");
        let text = fs::read_to_string(workspace_root().join(fixture)).unwrap();
        if let Ok(doc) = Document::from_xml(&text) {
            assert_eq!(line["root"], doc.root().qualified_name());
        }
    }
    // The plain tar gives the same lines, with its own name.
    let plain = run(orcid(tmp.path()).args(["convert", "--jsonl", "archive.tar"]));
    assert_eq!(
        plain.stdout.replace("archive.tar/", "archive.tar.gz/"),
        r.stdout
    );
}

#[test]
fn one_thread_and_two_threads_give_the_same_output() {
    let tmp = TempDir::new().unwrap();
    archive(tmp.path());
    // A directory of more files than a batch holds, and the archive.
    let dir = tmp.path().join("many");
    fs::create_dir(&dir).unwrap();
    let sources = [
        "fixtures/valid/work.xml",
        "fixtures/invalid/xsd/enumeration-work-type.xml",
        "fixtures/valid/keyword.xml",
        "fixtures/batch/nested/researcher-url.json",
    ];
    for i in 0..150 {
        let from = workspace_root().join(sources[i % sources.len()]);
        let ext = from.extension().unwrap().to_str().unwrap().to_string();
        fs::copy(&from, dir.join(format!("{i:03}.{ext}"))).unwrap();
    }
    for args in [
        &["convert", "--jsonl", "many", "archive.tar.gz"][..],
        &["validate", "many", "archive.tar.gz"],
        &["validate", "--format", "json", "many", "archive.tar.gz"],
    ] {
        let one = run(orcid(tmp.path()).args(args).args(["--jobs", "1"]));
        let two = run(orcid(tmp.path()).args(args).args(["--jobs", "2"]));
        assert_eq!(one.stdout, two.stdout, "{args:?}");
        assert_eq!(one.code, two.code, "{args:?}");
        assert!(!one.stdout.is_empty());
    }
    // Input order: the directory in name order, then the archive.
    let r =
        run(orcid(tmp.path()).args(["convert", "--jsonl", "-j", "2", "many", "archive.tar.gz"]));
    let paths: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(paths.len(), 150 + documents().len());
    assert!(paths[..150].windows(2).all(|w| w[0] < w[1]), "{paths:?}");
    assert!(paths[150..]
        .iter()
        .all(|p| p.starts_with("archive.tar.gz/")));
}

#[test]
fn an_archive_converts_into_a_mirrored_tree() {
    let tmp = TempDir::new().unwrap();
    archive(tmp.path());
    let r = run(orcid(tmp.path()).args(["convert", "archive.tar.gz", "-o", "out"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("1 of 6 files failed"), "{}", r.stderr);
    let base = tmp.path().join("out/ORCID_2023_10_summaries");
    assert!(base.join("097/0000-0002-1825-0097.json").is_file());
    assert!(base.join("12X/0000-0001-5109-312X.xml").is_file());
    assert!(base.join("400/bulk.json").is_file());
    assert!(!base.join("200").exists());
    // No temporary files are left behind.
    let mut leftovers = Vec::new();
    for e in fs::read_dir(tmp.path().join("out")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            leftovers.push(name);
        }
    }
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_archive_is_validated_member_by_member() {
    let tmp = TempDir::new().unwrap();
    archive(tmp.path());
    let r = run(orcid(tmp.path()).args(["validate", "--format", "json", "archive.tar.gz"]));
    assert_eq!(r.code, 1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    let docs = documents();
    assert_eq!(files.len(), docs.len());
    for (f, (path, fixture)) in files.iter().zip(&docs) {
        assert_eq!(f["path"], format!("archive.tar.gz/{path}"));
        assert_eq!(f["valid"], !fixture.contains("malformed"), "{fixture}: {f}");
    }
    // A damaged archive is unreadable (exit 2), after what could be read.
    let bytes = fs::read(tmp.path().join("archive.tar.gz")).unwrap();
    fs::write(tmp.path().join("broken.tar.gz"), &bytes[..bytes.len() / 2]).unwrap();
    let r = run(orcid(tmp.path()).args(["validate", "-q", "broken.tar.gz"]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("broken.tar.gz"), "{}", r.stderr);
}

/// A bulk of `n` works made from the upstream sample, with distinct DOIs;
/// `edit` may change work `i`.
fn bulk(n: usize, edit: impl Fn(usize, String) -> String) -> String {
    let sample =
        workspace_root().join("schemas/cache/record_2.1/samples/write_sample/work-full-2.1.xml");
    let work = fs::read_to_string(sample).expect("cargo xtask sync-schemas");
    let body = work.split_once("?>").unwrap().1.trim();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\">\n",
    );
    for i in 0..n {
        let w = body
            .replace("10.1087/20120404", &format!("10.1087/{i}"))
            .replace("local-identifier", &format!("local-{i}"));
        xml.push_str(&edit(i, w));
        xml.push('\n');
    }
    xml.push_str("</bulk:bulk>\n");
    xml
}

#[test]
fn a_large_bulk_converts_as_the_whole_document_does() {
    let tmp = TempDir::new().unwrap();
    let xml = bulk(400, |_, w| w);
    fs::write(tmp.path().join("bulk.xml"), &xml).unwrap();
    let doc = Document::from_xml(&xml).unwrap();
    for (flags, pretty) in [(&[][..], true), (&["--compact"][..], false)] {
        for jobs in ["1", "2"] {
            let r = run(orcid(tmp.path())
                .args(["convert", "-j", jobs, "bulk.xml"])
                .args(flags));
            assert_eq!(r.code, 0, "{}", r.stderr);
            assert_eq!(r.stdout, format!("{}\n", doc.to_json(pretty).unwrap()));
        }
    }
    let r = run(orcid(tmp.path()).args(["convert", "bulk.xml", "-o", "bulk.json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(tmp.path().join("bulk.json")).unwrap(),
        format!("{}\n", doc.to_json(true).unwrap())
    );
    // Standard input streams too.
    let r = run(orcid(tmp.path())
        .args(["convert", "--compact"])
        .write_stdin(xml.clone()));
    assert_eq!(r.stdout, format!("{}\n", doc.to_json(false).unwrap()));
}

#[test]
fn an_error_late_in_a_bulk_is_located_and_leaves_the_output_alone() {
    let tmp = TempDir::new().unwrap();
    let xml = bulk(300, |i, w| {
        if i == 250 {
            w.replace("<work:type>", "<work:bogus/><work:type>")
        } else {
            w
        }
    });
    fs::write(tmp.path().join("bulk.xml"), &xml).unwrap();
    fs::write(tmp.path().join("out.json"), "before\n").unwrap();
    let r = run(orcid(tmp.path()).args(["convert", "bulk.xml", "-o", "out.json"]));
    assert_eq!(r.code, 1);
    let orcid_model::Error::Xml(e) = Document::from_xml(&xml).unwrap_err() else {
        panic!()
    };
    assert!(
        r.stderr
            .starts_with(&format!("bulk.xml:{}:{}: ", e.line, e.column)),
        "{} vs {e}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("out.json")).unwrap(),
        "before\n"
    );
    let r = run(orcid(tmp.path()).args(["convert", "bulk.xml"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "", "nothing is written for a small input");
}

/// The CLI's findings for `file`, as (code, line, column, path, message).
fn cli_findings(dir: &Path, file: &str, jobs: &str) -> Vec<(String, u64, u64, String, String)> {
    let r = run(orcid(dir).args(["validate", "--format", "json", "-j", jobs, file]));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["location"]["line"].as_u64().unwrap(),
                d["location"]["column"].as_u64().unwrap(),
                d["location"]["path"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn lib_findings(xml: &str) -> Vec<(String, u64, u64, String, String)> {
    validate_xml(xml, &Context::default())
        .diagnostics
        .into_iter()
        .map(|d| {
            let l = d.location.unwrap();
            (
                d.code.to_string(),
                l.line as u64,
                l.column as u64,
                l.path,
                d.message,
            )
        })
        .collect()
}

#[test]
fn a_bulk_is_validated_work_by_work_with_the_findings_of_the_whole() {
    let tmp = TempDir::new().unwrap();
    // Over 100 works, a duplicate DOI, a schema error and rule findings.
    let xml = bulk(130, |i, w| match i {
        7 => w.replace("10.1087/7<", "10.1087/3<"),
        20 => w.replace(
            "<common:year>2012</common:year>",
            "<common:year>12</common:year>",
        ),
        40 => w.replace("Work Title", "  "),
        _ => w,
    });
    fs::write(tmp.path().join("bulk.xml"), &xml).unwrap();
    let expected = lib_findings(&xml);
    for code in [
        "orcid.bulk.too-many-works",
        "orcid.bulk.duplicate",
        "orcid.work.title-required",
        "xsd.pattern",
    ] {
        assert!(expected.iter().any(|f| f.0 == code), "{code}: {expected:?}");
    }
    for jobs in ["1", "2"] {
        assert_eq!(cli_findings(tmp.path(), "bulk.xml", jobs), expected);
    }
    // The fixtures with bulks, too.
    for entry in fs::read_dir(workspace_root().join("fixtures/invalid/rules")).unwrap() {
        let p = entry.unwrap().path();
        let text = fs::read_to_string(&p).unwrap();
        if !text.contains("<bulk:bulk") {
            continue;
        }
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        fs::write(tmp.path().join(&name), &text).unwrap();
        assert_eq!(
            cli_findings(tmp.path(), &name, "2"),
            lib_findings(&text),
            "{name}"
        );
    }
    // The human format shows the source line of a finding deep in the bulk.
    let r = run(orcid(tmp.path()).args(["validate", "bulk.xml"]));
    let year = expected.iter().find(|f| f.0.starts_with("xsd.")).unwrap();
    assert!(year.1 > 100, "{year:?}");
    let line = xml.lines().nth(year.1 as usize - 1).unwrap();
    assert!(r.stdout.contains(line.trim()), "{}", r.stdout);
}
