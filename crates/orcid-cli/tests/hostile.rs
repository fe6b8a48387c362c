//! Hostile and unlucky inputs (issue 14): thousands of findings, outputs
//! that name an input, endless or oversized inputs, and a password in the
//! environment's URL. Each gets a bounded, clear answer.

mod checked;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::thread;

use assert_cmd::Command;
use checked::{finish, run, Run};
use serde_json::Value;
use tempfile::TempDir;

fn orcid(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
    // These tests exercise v2.1 payloads; ambiguous ones are read as v2.1
    // (v3.0 has its own tests in tests/v3_0.rs).
    cmd.env("ORCID_API_VERSION", "2.1");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// `orcid ARGS` in `dir` with standard input read from `file`.
fn run_from(dir: &Path, args: &[&str], file: &Path) -> Run {
    let out = StdCommand::new(env!("CARGO_BIN_EXE_orcid"))
        .current_dir(dir)
        .args(args)
        .stdin(fs::File::open(file).unwrap())
        .output()
        .expect("runs");
    finish(out)
}

/// A work with a blank title: two findings (`xsd.pattern` and
/// `orcid.work.title-required`), on one line.
const BLANK_WORK: &str = "<work:work><work:title><common:title>   </common:title></work:title>\
                          <work:type>book</work:type></work:work>";

/// A bulk of `n` works with blank titles, one per line.
fn blank_bulk(n: usize) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bulk:bulk \
         xmlns:bulk=\"http://www.orcid.org/ns/bulk\" xmlns:work=\"http://www.orcid.org/ns/work\" \
         xmlns:common=\"http://www.orcid.org/ns/common\">\n",
    );
    for _ in 0..n {
        xml.push_str("  ");
        xml.push_str(BLANK_WORK);
        xml.push('\n');
    }
    xml.push_str("</bulk:bulk>\n");
    xml
}

/// Snippets drawn in the human format (one frame each).
fn snippets(stdout: &str) -> usize {
    stdout.matches("╭─[").count()
}

// --- 1. thousands of findings ------------------------------------------------

#[test]
fn thousands_of_findings_draw_a_bounded_number_of_snippets() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("bulk.xml"), blank_bulk(2100)).unwrap();

    let json = run(orcid(tmp.path()).args(["validate", "--format", "json", "bulk.xml"]));
    assert_eq!(json.code, 1, "{}", json.stderr);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    let all = doc["files"][0]["diagnostics"].as_array().unwrap().len();
    assert!(all > 4000, "{all} findings");

    let r = run(orcid(tmp.path()).args(["validate", "bulk.xml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(snippets(&r.stdout), 20, "{}", &r.stdout[..2000]);
    // The rest, counted by code, with where each code is first found.
    let rest = all - 20;
    assert!(
        r.stdout
            .contains(&format!("bulk.xml: {rest} more findings, by code")),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("× error[xsd.pattern], first at bulk.xml:"));
    assert!(r
        .stdout
        .contains("× error[orcid.work.title-required], first at bulk.xml:"));
    assert!(r.stdout.contains("--max-findings 0"));
    assert!(
        r.stdout.lines().count() < 400,
        "{} lines",
        r.stdout.lines().count()
    );
    // The status and summary lines still count every finding.
    assert!(
        r.stdout.contains(&format!(
            "bulk.xml: invalid (bulk:bulk, vnd.orcid+xml; {all} errors)"
        )),
        "{}",
        r.stdout
    );

    let r = run(orcid(tmp.path()).args(["validate", "--max-findings", "3", "bulk.xml"]));
    assert_eq!(snippets(&r.stdout), 3);
    let r = run(orcid(tmp.path()).args(["validate", "--max-findings", "0", "bulk.xml"]));
    assert_eq!(snippets(&r.stdout), all);
    assert!(!r.stdout.contains("more findings"));
}

#[test]
fn a_whole_document_with_thousands_of_findings_is_bounded_too() {
    let tmp = TempDir::new().unwrap();
    // Not a bulk: one work, thousands of unknown elements, one per line.
    let mut xml = String::from(
        "<work:work xmlns:work=\"http://www.orcid.org/ns/work\" \
         xmlns:common=\"http://www.orcid.org/ns/common\">\n\
         <work:title><common:title>T</common:title></work:title>\n",
    );
    for i in 0..3000 {
        xml.push_str(&format!("<work:type>not-a-type-{i}</work:type>\n"));
    }
    xml.push_str("</work:work>\n");
    fs::write(tmp.path().join("work.xml"), &xml).unwrap();
    let r = run(orcid(tmp.path()).args(["validate", "work.xml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(snippets(&r.stdout) <= 20, "{}", snippets(&r.stdout));
    assert!(r.stdout.lines().count() < 400, "{}", r.stdout);
}

// --- 2. an output that is an input ---------------------------------------------

/// A directory with `a.json` and `b.json` (two works), and what they hold.
fn two_works() -> (TempDir, Vec<u8>) {
    let tmp = TempDir::new().unwrap();
    let root = orcid_test_kit::paths::workspace_root();
    let work = fs::read(root.join("fixtures/work.json")).unwrap();
    fs::create_dir(tmp.path().join("in")).unwrap();
    fs::write(tmp.path().join("in/a.json"), &work).unwrap();
    fs::write(tmp.path().join("in/b.json"), &work).unwrap();
    (tmp, work)
}

fn assert_refused(r: &Run, dir: &Path, work: &[u8]) {
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("is an input"), "{}", r.stderr);
    for f in ["in/a.json", "in/b.json"] {
        assert_eq!(fs::read(dir.join(f)).unwrap(), work, "{f} changed");
    }
}

#[test]
fn jsonl_output_onto_an_input_is_refused() {
    let (tmp, work) = two_works();
    let r = run(orcid(tmp.path()).args(["convert", "--jsonl", "in", "-o", "in/a.json"]));
    assert_refused(&r, tmp.path(), &work);
    let r = run(orcid(tmp.path()).args([
        "convert",
        "--jsonl",
        "in/a.json",
        "in/b.json",
        "-o",
        "./in/../in/b.json",
    ]));
    assert_refused(&r, tmp.path(), &work);
    // Standard input that is the output file.
    let r = run_from(
        tmp.path(),
        &["convert", "--jsonl", "-o", "in/a.json"],
        &tmp.path().join("in/a.json"),
    );
    assert_refused(&r, tmp.path(), &work);
    // Elsewhere it is written.
    let r = run(orcid(tmp.path()).args(["convert", "--jsonl", "in", "-o", "all.jsonl"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(tmp.path().join("all.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );
}

#[test]
fn single_output_onto_its_input_is_refused() {
    let (tmp, work) = two_works();
    for out in ["in/a.json", "./in/a.json", "in/../in/a.json"] {
        let r = run(orcid(tmp.path()).args(["convert", "in/a.json", "-o", out]));
        assert_refused(&r, tmp.path(), &work);
    }
    // Into a directory where the output has the input's name.
    let r = run(orcid(tmp.path()).args(["convert", "--to", "json", "in/a.json", "-o", "in"]));
    assert_refused(&r, tmp.path(), &work);
    // Standard input read from the output file.
    let r = run_from(
        tmp.path(),
        &["convert", "--to", "json", "-o", "in/a.json"],
        &tmp.path().join("in/a.json"),
    );
    assert_refused(&r, tmp.path(), &work);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("in/a.json", tmp.path().join("link.json")).unwrap();
        let r = run(orcid(tmp.path()).args(["convert", "in/a.json", "-o", "link.json"]));
        assert_refused(&r, tmp.path(), &work);
        let r = run(orcid(tmp.path()).args(["convert", "link.json", "-o", "in/a.json"]));
        assert_refused(&r, tmp.path(), &work);
        fs::hard_link(tmp.path().join("in/b.json"), tmp.path().join("hard.json")).unwrap();
        let r = run(orcid(tmp.path()).args(["convert", "hard.json", "-o", "in/b.json"]));
        assert_refused(&r, tmp.path(), &work);
    }
    // Another file is fine.
    let r = run(orcid(tmp.path()).args(["convert", "in/a.json", "-o", "a.xml"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn directory_output_never_replaces_another_input() {
    let (tmp, work) = two_works();
    // `b.json` is also `out/a.json` (a hard link): converting `in/a.json`
    // to `out/a.json` would replace what the other input holds.
    fs::create_dir(tmp.path().join("out")).unwrap();
    #[cfg(unix)]
    {
        fs::hard_link(tmp.path().join("in/b.json"), tmp.path().join("out/a.json")).unwrap();
        let r = run(orcid(tmp.path()).args(["convert", "--to", "json", "in", "-o", "out"]));
        assert_ne!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("is another input"), "{}", r.stderr);
        assert_eq!(fs::read(tmp.path().join("out/a.json")).unwrap(), work);
    }
}

// --- 3. endless and oversized inputs -------------------------------------------

/// Runs `orcid ARGS` with standard input fed by `chunk` repeated up to
/// `limit` bytes (after `head`); returns the run and how many bytes the
/// command took before it closed its input.
fn fed(dir: &Path, args: &[&str], head: &[u8], chunk: &[u8], limit: usize) -> (Run, usize) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_orcid"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let head = head.to_vec();
    let chunk = chunk.to_vec();
    let writer = thread::spawn(move || {
        let mut written = 0;
        if stdin.write_all(&head).is_err() {
            return written;
        }
        written += head.len();
        while written < limit {
            match stdin.write(&chunk) {
                Ok(n) => written += n,
                Err(_) => break,
            }
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    let run = Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "panicked: {}", run.stderr);
    (run, written)
}

/// At most this many bytes may be taken from an input that is refused
/// early: what the pipe holds and the first read.
const EARLY: usize = 4 << 20;

#[test]
fn endless_zeros_are_refused_after_a_few_bytes() {
    let tmp = TempDir::new().unwrap();
    let zeros = vec![0u8; 64 * 1024];
    for args in [
        &["convert", "-"][..],
        &["convert", "--to", "xml", "-"][..],
        &["convert", "--jsonl", "-"][..],
    ] {
        let (r, taken) = fed(tmp.path(), args, b"", &zeros, 256 << 20);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("neither XML"), "{args:?}: {}", r.stderr);
        assert!(taken < EARLY, "{args:?}: {taken} bytes read");
    }
    let (r, taken) = fed(tmp.path(), &["validate", "-"], b"", &zeros, 256 << 20);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("neither XML"), "{}", r.stdout);
    assert!(taken < EARLY, "{taken} bytes read");
    // Blanks are not a document either, however many.
    let (r, taken) = fed(tmp.path(), &["convert", "-"], b"   \n", b"\0", 256 << 20);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(taken < EARLY, "{taken} bytes read");
}

#[test]
fn an_input_over_the_size_limit_is_refused_naming_the_limit() {
    let tmp = TempDir::new().unwrap();
    let text = vec![b'x'; 64 * 1024];
    let head = b"{\"title\": {\"title\": {\"value\": \"";
    for args in [
        &["convert", "--max-input-size", "1MiB", "-"][..],
        &["convert", "--max-input-size", "1MiB", "--to", "xml", "-"][..],
        &["validate", "--max-input-size", "1MiB", "-"][..],
    ] {
        let (r, taken) = fed(tmp.path(), args, head, &text, 64 << 20);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("1MiB") && r.stderr.contains("--max-input-size"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(taken < (1 << 20) + EARLY, "{args:?}: {taken} bytes read");
    }
    // The default is 256 MiB.
    let r = run(orcid(tmp.path()).args(["convert", "--help"]));
    assert!(r.stdout.contains("[default: 256MiB]"), "{}", r.stdout);
    // A file over the limit too.
    fs::write(
        tmp.path().join("big.json"),
        [&head[..], &text[..], b"\"}}}"].concat(),
    )
    .unwrap();
    let r = run(orcid(tmp.path()).args(["convert", "--max-input-size", "16KiB", "big.json"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("16KiB"), "{}", r.stderr);
}

#[test]
fn a_bulk_streams_past_the_limit_but_not_a_work_over_it() {
    let tmp = TempDir::new().unwrap();
    let xml = blank_bulk(1000);
    assert!(xml.len() > 64 * 1024);
    fs::write(tmp.path().join("bulk.xml"), &xml).unwrap();
    let r =
        run(orcid(tmp.path()).args(["validate", "-q", "--max-input-size", "64KiB", "bulk.xml"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("--max-input-size"), "{}", r.stderr);
    // One work larger than the limit is not read whole: the command stops
    // reading soon after the limit (and the bulk reader's read-ahead).
    let head = "<?xml version=\"1.0\"?>\n<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\" \
                xmlns:work=\"http://www.orcid.org/ns/work\" \
                xmlns:common=\"http://www.orcid.org/ns/common\">\n\
                <work:work><work:title><common:title>";
    let text = vec![b'x'; 64 * 1024];
    for args in [
        &["validate", "--max-input-size", "1MiB", "-"][..],
        &["convert", "--max-input-size", "1MiB", "-"][..],
    ] {
        let (r, taken) = fed(tmp.path(), args, head.as_bytes(), &text, 256 << 20);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("1MiB") && r.stderr.contains("--max-input-size"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(taken < (3 << 20) + EARLY, "{args:?}: {taken} bytes read");
    }
}

// --- 4. a password in the environment's URL ------------------------------------

#[test]
fn config_show_masks_user_info_and_query_of_the_environment_url() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("orcid.toml");
    fs::write(&file, "").unwrap();
    let r = run(orcid(tmp.path())
        .args(["config", "show", "--config"])
        .arg(&file)
        .env(
            "ORCID_ENVIRONMENT",
            "http://user:s3cret-pw@127.0.0.1:9/base?token=qtok",
        )
        .env("ORCID_STORE", tmp.path().join("store.sqlite3"))
        .env_remove("ORCID_CLIENT_ID")
        .env_remove("ORCID_CLIENT_SECRET"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("s3cret-pw"), "{}", r.stdout);
    assert!(!r.stdout.contains("qtok"), "{}", r.stdout);
    assert!(!r.stdout.contains("user:"), "{}", r.stdout);
    assert!(
        r.stdout.contains("http://***@127.0.0.1:9/base?***"),
        "{}",
        r.stdout
    );

    // A malformed value is echoed masked too.
    let r = run(orcid(tmp.path())
        .args(["config", "show", "--config"])
        .arg(&file)
        .env("ORCID_ENVIRONMENT", "ftp://user:s3cret-pw@host/")
        .env("ORCID_STORE", tmp.path().join("store.sqlite3")));
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("s3cret-pw"), "{}", r.stderr);
}

/// A tar with `members` (path, bytes) as regular files.
fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_path(path).unwrap();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append(&header, *bytes).unwrap();
    }
    builder.into_inner().unwrap()
}

#[test]
fn an_archive_member_over_the_limit_is_named_not_read_and_the_rest_is_checked() {
    let dir = TempDir::new().unwrap();
    let work =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/work.xml")).unwrap();
    // 4 KiB of blanks after the work: a valid document, but over a 2KiB limit.
    let mut big = work.clone();
    big.extend(std::iter::repeat_n(b' ', 4096));
    fs::write(
        dir.path().join("records.tar"),
        tar_of(&[("big.xml", &big), ("small.xml", &work)]),
    )
    .unwrap();
    let args = ["--max-input-size", "2KiB", "records.tar"];
    let r = run(orcid(dir.path()).arg("validate").args(args));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("records.tar/big.xml` is larger than the input limit of 2KiB")
            && r.stderr.contains("--max-input-size"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("records.tar/small.xml"), "{}", r.stdout);
    let r = run(orcid(dir.path()).args(["convert", "--jsonl"]).args(args));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("big.xml` is larger than the input limit"),
        "{}",
        r.stderr
    );
}
