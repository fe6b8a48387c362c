//! Criterion benchmarks of validation: one work, a bulk of works, and a
//! work whose start tag has 100,000 attributes (the XSD layer alone and both
//! layers).
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

/// `work` with `n` attributes on its root element (about 1 MB for 100,000):
/// refused at `orcid_model::limits::MAX_ATTRIBUTES`, in time linear in the
/// tag (it used to be quadratic: over a minute).
fn wide(work: &str, n: usize) -> String {
    let at = work.find("<work:work").expect("a work:work root") + "<work:work".len();
    let mut attrs = String::with_capacity(n * 12);
    for i in 0..n {
        attrs.push_str(&format!(" a{i}=\"{i}\""));
    }
    format!("{}{attrs}{}", &work[..at], &work[at..])
}

fn bench(c: &mut Criterion) {
    // ORCID accepts at most 100 works in a bulk.
    let (work, bulk) = inputs(100);
    let wide = wide(&work, 100_000);
    let ctx = Context::default();
    assert!(validate_xml(&work, &ctx).is_valid());
    assert!(validate_xml(&bulk, &ctx).is_valid());
    assert_eq!(validate_xml(&wide, &ctx).diagnostics.len(), 1);
    for (name, xml) in [
        ("work", work.as_str()),
        ("bulk-100", bulk.as_str()),
        ("wide-element", wide.as_str()),
    ] {
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
