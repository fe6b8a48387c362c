//! Measures reader/writer throughput on a synthetic bulk file (the numbers
//! behind the codegen decision in ARCHITECTURE.md):
//! `cargo run --release -p orcid-model --example throughput -- [copies]`.
use std::time::Instant;

use orcid_model::Document;

fn main() {
    let copies: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(22_085);
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/cache/record_2.1/samples/write_sample/work-full-2.1.xml"
    );
    let work = std::fs::read_to_string(root).expect("run `cargo xtask sync-schemas` first");
    let body = work
        .split_once("?>")
        .map_or(work.as_str(), |(_, b)| b)
        .trim();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\">\n");
    for _ in 0..copies {
        xml.push_str(body);
        xml.push('\n');
    }
    xml.push_str("</bulk:bulk>\n");
    let mb = xml.len() as f64 / 1e6;
    println!("input: {copies} works, {mb:.1} MB");

    let t = Instant::now();
    let mut n = 0usize;
    let mut r = quick_xml::NsReader::from_str(&xml);
    loop {
        match r.read_resolved_event().unwrap() {
            (_, quick_xml::events::Event::Eof) => break,
            (ns, quick_xml::events::Event::Start(e)) => {
                n += e.attributes().count()
                    + matches!(ns, quick_xml::name::ResolveResult::Bound(_)) as usize
            }
            _ => {}
        }
    }
    report("quick-xml NsReader loop (ceiling)", mb, t, n);

    let t = Instant::now();
    let doc = Document::from_xml(&xml).unwrap();
    report("XML -> model", mb, t, 0);
    let t = Instant::now();
    let json = doc.to_json(false).unwrap();
    report("model -> JSON", mb, t, json.len());
    let t = Instant::now();
    let back = Document::from_json(&json, Some(doc.root())).unwrap();
    report("JSON -> model", json.len() as f64 / 1e6, t, 0);
    let t = Instant::now();
    let out = back.to_xml(false);
    report("model -> XML", mb, t, out.len());
}

fn report(what: &str, mb: f64, t: Instant, _sink: usize) {
    let s = t.elapsed().as_secs_f64();
    println!("{what:38} {s:7.3} s  {:8.1} MB/s", mb / s);
}
