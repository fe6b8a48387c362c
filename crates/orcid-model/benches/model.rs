//! Criterion benchmarks of the library paths: XML -> model, model -> JSON,
//! JSON -> model and model -> XML, on one work and on a bulk of works.
//!
//! The inputs are made in-process from the upstream sample
//! `work-full-2.1.xml` (run `cargo xtask sync-schemas` first), so
//! `cargo bench --no-run` and `cargo test --benches` stay fast. The CLI on
//! the large corpus is `cargo xtask bench` (docs/performance.md).
#![allow(missing_docs)] // criterion_main! writes an undocumented `main`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use orcid_model::{Document, Root};

/// The work sample and a bulk of `copies` of it, as XML text.
fn inputs(copies: usize) -> (String, String) {
    orcid_test_kit::samples::work_and_bulk(copies, |_, body| body.to_string())
}

fn bench(c: &mut Criterion) {
    let (work, bulk) = inputs(200);
    for (name, xml) in [("work", work.as_str()), ("bulk-200", bulk.as_str())] {
        let doc = Document::from_xml(xml).expect("sample reads");
        let json = doc.to_json(false).expect("writes JSON");
        let root: Root = doc.root();
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(xml.len() as u64));
        g.bench_function("xml_to_model", |b| {
            b.iter(|| Document::from_xml(black_box(xml)).unwrap())
        });
        g.bench_function("model_to_xml", |b| b.iter(|| black_box(&doc).to_xml(false)));
        g.bench_function("model_to_json", |b| {
            b.iter(|| black_box(&doc).to_json(false).unwrap())
        });
        g.throughput(Throughput::Bytes(json.len() as u64));
        g.bench_function("json_to_model", |b| {
            b.iter(|| Document::from_json(black_box(&json), Some(root)).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
