//! Fuzzy skill resolution: the bigram candidate index against the full scan of every label.
//!
//! Input: the first 50 typo inputs of `tests/data/resolve_typos.tsv` (real labels with one or
//! two typing errors), resolved against the shipped taxonomy (about 11,900 skills, 24,000
//! distinct normalised labels), one thread. Both strategies are measured in the same run;
//! throughput is in queries.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diaspora_match::{FuzzyStrategy, ResolveOptions, io};

fn resolve(c: &mut Criterion) {
    let reference = io::load_reference(io::bundled_reference_dir()).unwrap();
    let t = &reference.taxonomy;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/resolve_typos.tsv");
    let queries: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .take(50)
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let mut group = c.benchmark_group("resolve_typos");
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.sample_size(10);
    for (name, strategy) in [
        ("indexed", FuzzyStrategy::Indexed),
        ("full_scan", FuzzyStrategy::Exhaustive),
    ] {
        let options = ResolveOptions {
            strategy,
            ..ResolveOptions::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                for q in &queries {
                    black_box(t.resolve_with(q, &options));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, resolve);
criterion_main!(benches);
