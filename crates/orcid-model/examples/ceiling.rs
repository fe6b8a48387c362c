//! The ceiling for `cargo xtask bench`: a raw, namespace-aware quick-xml
//! parse of the same inputs, single thread, doing no more than any reader
//! of the documents must do: resolve the namespace of every element and
//! attribute, unescape every attribute value and every text node. Nothing
//! is built or written.
//!
//! `cargo run --release -p orcid-model --example ceiling -- PATH...` where a
//! PATH is a file, a directory (its `.xml` files, recursively) or a
//! `.tar.gz` archive (its `.xml` members, decompressed as a stream). Prints
//! `documents bytes events`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Parses one document; returns the number of events.
fn parse<R: BufRead>(src: R, buf: &mut Vec<u8>) -> u64 {
    let mut r = NsReader::from_reader(src);
    let mut events = 0u64;
    let mut sink = 0usize;
    loop {
        buf.clear();
        let (ns, ev) = r.read_resolved_event_into(buf).expect("well-formed XML");
        events += 1;
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                sink += matches!(ns, ResolveResult::Bound(_)) as usize;
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    let (ans, _) = r.resolve_attribute(a.key);
                    sink += matches!(ans, ResolveResult::Bound(_)) as usize;
                    sink += a
                        .decode_and_unescape_value(r.decoder())
                        .expect("attribute value")
                        .len();
                }
            }
            Event::Text(t) => {
                sink += t.decode().expect("UTF-8 text").len();
            }
            Event::GeneralRef(g) => {
                sink += g.resolve_char_ref().ok().flatten().is_some() as usize;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    std::hint::black_box(sink);
    events
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "xml") {
            out.push(p);
        }
    }
}

fn main() {
    let mut docs = 0u64;
    let mut bytes = 0u64;
    let mut events = 0u64;
    let mut buf = Vec::with_capacity(1 << 16);
    for arg in std::env::args().skip(1) {
        let path = PathBuf::from(&arg);
        if arg.ends_with(".tar.gz") || arg.ends_with(".tgz") {
            let file = BufReader::with_capacity(1 << 18, File::open(&path).expect("archive"));
            let gz = flate2::read::MultiGzDecoder::new(file);
            let mut archive = tar::Archive::new(gz);
            let mut member = Vec::new();
            for entry in archive.entries().expect("tar") {
                let mut entry = entry.expect("tar entry");
                let name = entry.path().expect("name").to_string_lossy().into_owned();
                if !entry.header().entry_type().is_file() || !name.ends_with(".xml") {
                    continue;
                }
                member.clear();
                entry.read_to_end(&mut member).expect("member");
                bytes += member.len() as u64;
                docs += 1;
                events += parse(member.as_slice(), &mut buf);
            }
            continue;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            walk(&path, &mut files);
        } else {
            files.push(path);
        }
        for f in files {
            let file = File::open(&f).expect("readable file");
            bytes += file.metadata().map_or(0, |m| m.len());
            docs += 1;
            events += parse(BufReader::with_capacity(1 << 16, file), &mut buf);
        }
    }
    println!("{docs} {bytes} {events}");
}
