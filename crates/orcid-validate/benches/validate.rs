//! Criterion benchmarks of validation: one work, and a bulk of works (the
//! XSD layer alone and both layers).
//!
//! The inputs are made in-process from the upstream sample
//! `work-full-2.1.xml` (run `cargo xtask sync-schemas` first). The CLI on
//! the large corpus is `cargo xtask bench` (docs/performance.md).
#![allow(missing_docs)] // criterion_main! writes an undocumented `main`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use orcid_validate::{validate_xml, xsd, Context};

/// The work sample, and a bulk of `copies` of it with distinct DOIs (so
/// that ORCID's duplicate rule has nothing to say).
fn inputs(copies: usize) -> (String, String) {
    orcid_test_kit::samples::work_and_bulk(copies, |i, body| {
        body.replace("10.1087/20120404", &format!("10.1087/{i}"))
            .replace("local-identifier", &format!("local-{i}"))
    })
}

fn bench(c: &mut Criterion) {
    // ORCID accepts at most 100 works in a bulk.
    let (work, bulk) = inputs(100);
    let ctx = Context::default();
    assert!(validate_xml(&work, &ctx).is_valid());
    assert!(validate_xml(&bulk, &ctx).is_valid());
    for (name, xml) in [("work", work.as_str()), ("bulk-100", bulk.as_str())] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(xml.len() as u64));
        g.bench_function("xsd", |b| b.iter(|| xsd::validate(black_box(xml))));
        g.bench_function("validate_xml", |b| {
            b.iter(|| validate_xml(black_box(xml), &ctx))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
