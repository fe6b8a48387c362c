//! Builds the seed corpora of the fuzz targets from sample documents.
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example seed_corpus -- \
//!     fuzz/corpus schemas/cache/*/samples ../shared/orcid-real/v2.1
//! ```
//!
//! First argument: the corpus folder (gets `xml_read/` and `json_read/`);
//! then files or folders (searched recursively) of `.xml` / `.json` samples.
//!
//! - `xml_read/`: every XML sample as is, plus the XML written from every
//!   sample that reads (so JSON samples seed the XML reader too).
//! - `json_read/`: every JSON sample, plus the JSON written from every sample
//!   that reads, each prefixed with the selector byte of `json_read` (the
//!   index of the document's root in `Root::ALL`).
//!
//! Files are named by a hash of their content, like libFuzzer's, so running
//! this again adds nothing twice. Samples that do not read are still copied
//! (the reader's error paths are worth fuzzing too).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use orcid_model::{Document, Root};

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

    let xml_dir = out.join("xml_read");
    let json_dir = out.join("json_read");
    std::fs::create_dir_all(&xml_dir).expect("create xml_read corpus folder");
    std::fs::create_dir_all(&json_dir).expect("create json_read corpus folder");

    let (mut n_xml, mut n_json, mut unread) = (0usize, 0usize, 0usize);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("seed_corpus: skipping {} (not UTF-8 text)", file.display());
            continue;
        };
        let is_xml = file.extension().is_some_and(|e| e == "xml");
        let doc = if is_xml {
            write_seed(&xml_dir, text.as_bytes());
            n_xml += 1;
            Document::from_xml(&text).ok()
        } else {
            let doc = Document::from_json(&text, None)
                .ok()
                .or_else(|| Root::ALL.iter().find_map(|&r| Document::from_json(&text, Some(r)).ok()));
            let selector = doc.as_ref().map_or(0, |d| selector(d.root()));
            write_seed(&json_dir, &prefixed(selector, &text));
            n_json += 1;
            doc
        };
        let Some(doc) = doc else {
            unread += 1;
            continue;
        };
        for pretty in [false, true] {
            write_seed(&xml_dir, doc.to_xml(pretty).as_bytes());
            n_xml += 1;
            if let Ok(json) = doc.to_json(pretty) {
                write_seed(&json_dir, &prefixed(selector(doc.root()), &json));
                n_json += 1;
            }
        }
    }
    eprintln!(
        "seed_corpus: {} sample files ({unread} did not read) -> {n_xml} xml_read and {n_json} json_read seeds in {}",
        files.len(),
        out.display()
    );
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

fn selector(root: Root) -> u8 {
    let i = Root::ALL.iter().position(|&r| r == root).expect("root is in Root::ALL");
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
