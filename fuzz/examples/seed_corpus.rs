//! Builds the seed corpora of the fuzz targets from sample documents.
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example seed_corpus -- \
//!     fuzz/corpus schemas/cache/*/samples ../shared/orcid-real/v2.1
//! ```
//!
//! First argument: the corpus folder (gets one folder per target); then
//! files or folders (searched recursively) of `.xml` / `.json` samples.
//!
//! - `xml_read/` and `validate_xml/`: every XML sample as is, plus the XML
//!   written from every sample that reads (so JSON samples seed the XML
//!   readers too).
//! - `json_read/` and `validate_json/`: every JSON sample, plus the JSON
//!   written from every sample that reads, each prefixed with the selector
//!   byte of those targets (the index of the document's root in `Root::ALL`).
//! - `validate_str/`: all of these, without the selector byte.
//!
//! Every folder also gets hostile seeds made here (issue 14): nesting past
//! `orcid_model::limits::MAX_DEPTH`, start tags past `MAX_ATTRIBUTES`, and
//! characters XML 1.0 cannot carry, raw and escaped, in both formats. They
//! are kept a few kilobytes long: libFuzzer's default `-max_len` follows
//! the largest seed.
//!
//! Files are named by a hash of their content, like libFuzzer's, so running
//! this again adds nothing twice. Samples that do not read are still copied
//! (the reader's error paths are worth fuzzing too).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use orcid_model::{v2_1, v3_0, AnyDocument, Root, Version};

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: seed_corpus OUT_DIR SAMPLE_FILE_OR_DIR...");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    for src in args {
        collect(Path::new(&src), &mut files);
    }
    files.sort();

    let seeds = Seeds::new(&out);

    let (mut n_xml, mut n_json, mut unread) = (0usize, 0usize, 0usize);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("seed_corpus: skipping {} (not UTF-8 text)", file.display());
            continue;
        };
        let is_xml = file.extension().is_some_and(|e| e == "xml");
        // Each sample in the version its content shows (v2.1 when it
        // shows none), and a JSON one with its root found by trying them.
        let read = AnyDocument::read(&text, None, None, Version::V2_1)
            .ok()
            .map(|(d, _, _)| d);
        let doc = if is_xml {
            seeds.xml(&text);
            n_xml += 1;
            read
        } else {
            let doc = read
                .or_else(|| {
                    v2_1::Root::ALL.iter().find_map(|&r| {
                        v2_1::Document::from_json(&text, Some(r))
                            .ok()
                            .map(AnyDocument::V2_1)
                    })
                })
                .or_else(|| {
                    v3_0::Root::ALL.iter().find_map(|&r| {
                        v3_0::Document::from_json(&text, Some(r))
                            .ok()
                            .map(AnyDocument::V3_0)
                    })
                });
            let selector = doc.as_ref().map_or(0, any_selector);
            seeds.json(selector, &text);
            n_json += 1;
            doc
        };
        let Some(doc) = doc else {
            unread += 1;
            continue;
        };
        for pretty in [false, true] {
            seeds.xml(&doc.to_xml(pretty));
            n_xml += 1;
            if let Ok(json) = doc.to_json(pretty) {
                seeds.json(any_selector(&doc), &json);
                n_json += 1;
            }
        }
    }
    let work = selector(Root::WorkWork);
    let (hostile_xml, hostile_json) = (hostile_xml(), hostile_json());
    for xml in &hostile_xml {
        seeds.xml(xml);
    }
    for json in &hostile_json {
        seeds.json(work, json);
    }
    n_xml += hostile_xml.len();
    n_json += hostile_json.len();
    eprintln!(
        "seed_corpus: {} sample files ({unread} did not read) -> {n_xml} xml_read and {n_json} json_read seeds in {}",
        files.len(),
        out.display()
    );
}

/// The corpus folders of the targets.
struct Seeds {
    xml: Vec<PathBuf>,
    json: Vec<PathBuf>,
    any: PathBuf,
}

impl Seeds {
    fn new(out: &Path) -> Seeds {
        let dir = |name: &str| {
            let d = out.join(name);
            std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("create {}: {e}", d.display()));
            d
        };
        Seeds {
            xml: vec![dir("xml_read"), dir("validate_xml")],
            json: vec![dir("json_read"), dir("validate_json")],
            any: dir("validate_str"),
        }
    }

    fn xml(&self, text: &str) {
        for d in &self.xml {
            write_seed(d, text.as_bytes());
        }
        write_seed(&self.any, text.as_bytes());
    }

    fn json(&self, selector: u8, text: &str) {
        for d in &self.json {
            write_seed(d, &prefixed(selector, text));
        }
        write_seed(&self.any, text.as_bytes());
    }
}

const WORK_OPEN: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">"#;

fn work_xml(open: &str, title: &str) -> String {
    format!("{open}<work:title><common:title>{title}</common:title></work:title><work:type>book</work:type></work:work>")
}

/// XML past the readers' limits, and with characters XML cannot carry.
fn hostile_xml() -> Vec<String> {
    let deep = |n: usize| {
        format!(
            "{WORK_OPEN}{}{}</work:work>",
            "<a>".repeat(n),
            "</a>".repeat(n)
        )
    };
    let wide = |n: usize, xmlns: bool| {
        let mut open = WORK_OPEN.trim_end_matches('>').to_string();
        for i in 0..n {
            open.push_str(&if xmlns {
                format!(r#" xmlns:p{i}="urn:{i}""#)
            } else {
                format!(r#" a{i}="{i}""#)
            });
        }
        open.push('>');
        work_xml(&open, "A")
    };
    let mut out = vec![
        deep(99),
        deep(101),
        deep(300),
        wide(63, false),
        wide(65, false),
        wide(300, false),
        wide(300, true),
    ];
    for title in [
        "A\u{0}B",
        "A\u{1}B",
        "A\u{FFFE}B",
        "A&#1;B",
        "A&#0;B",
        "A&#xFFFF;B",
        "A&#x1F600;B",
    ] {
        out.push(work_xml(WORK_OPEN, title));
    }
    out.push(work_xml(WORK_OPEN, r#"A</common:title><common:translated-title language-code="e&#2;n">B</common:translated-title><common:title>"#));
    out
}

/// JSON past the readers' limits, and with characters XML cannot carry.
fn hostile_json() -> Vec<String> {
    let deep =
        |n: usize, open: &str, close: &str| format!("{}1{}", open.repeat(n), close.repeat(n));
    let mut out = vec![
        deep(99, r#"{"a":"#, "}"),
        deep(101, r#"{"a":"#, "}"),
        deep(300, r#"{"a":"#, "}"),
        deep(300, "[", "]"),
        format!(
            r#"{{"title": {}"x"{}, "type": "BOOK"}}"#,
            r#"{"title":"#.repeat(150),
            "}".repeat(150)
        ),
    ];
    for title in [
        r"A\u0000B",
        r"A\u0001B",
        r"A\ufffeB",
        "A\u{FFFE}B",
        r"\ud83d\ude00",
        r"\ud800",
    ] {
        out.push(format!(
            r#"{{"title": {{"title": {{"value": "{title}"}}}}, "type": "BOOK"}}"#
        ));
    }
    out
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "xml" || e == "json") {
        files.push(path.to_path_buf());
    }
}

/// The selector byte of a document's root in its version's `Root::ALL`
/// (json_read picks `Root::ALL[byte % len]` in each version).
fn any_selector(doc: &AnyDocument) -> u8 {
    let i = match doc {
        AnyDocument::V2_1(d) => v2_1::Root::ALL.iter().position(|&r| r == d.root()),
        AnyDocument::V3_0(d) => v3_0::Root::ALL.iter().position(|&r| r == d.root()),
    };
    u8::try_from(i.expect("root is in Root::ALL")).expect("fewer than 256 roots")
}

fn selector(root: Root) -> u8 {
    let i = Root::ALL
        .iter()
        .position(|&r| r == root)
        .expect("root is in Root::ALL");
    u8::try_from(i).expect("fewer than 256 roots")
}

fn prefixed(selector: u8, text: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(text.len() + 1);
    v.push(selector);
    v.extend_from_slice(text.as_bytes());
    v
}

fn write_seed(dir: &Path, bytes: &[u8]) {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    let path = dir.join(format!("seed-{:016x}", h.finish()));
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
