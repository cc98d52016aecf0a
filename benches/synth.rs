//! Synthetic population throughput: 100,000 profiles with 100 opportunities and 1,000,000
//! ties, seed 7, drawn from the shipped reference tables; built in memory (a `Dataset` with its
//! petgraph network) and streamed to files in a temporary folder. Throughput is in profiles.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diaspora_match::io;
use diaspora_match::synth::{Population, SourceTables, SynthConfig};

fn generation(c: &mut Criterion) {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = SourceTables::load(&dir, &reference).unwrap();
    let config = SynthConfig {
        profiles: 100_000,
        opportunities: 100,
        ties: 1_000_000,
        seed: 7,
        ..Default::default()
    };
    let population = Population::new(reference, &tables, config).unwrap();
    let out =
        std::env::temp_dir().join(format!("diaspora-match-bench-synth-{}", std::process::id()));
    let mut group = c.benchmark_group("synth_100k_profiles_1m_ties");
    group.throughput(Throughput::Elements(config.profiles as u64));
    group.sample_size(10);
    group.bench_function("in_memory", |b| {
        b.iter(|| black_box(population.generate().unwrap()))
    });
    group.bench_function("streamed_to_files", |b| {
        b.iter(|| population.write(&out, |_| true).unwrap())
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, generation);
criterion_main!(benches);
