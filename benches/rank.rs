//! The brute-force ranker: one opportunity's top 10 over a synthetic population.
//!
//! Populations of 10,000 and 100,000 profiles (with one tie per profile on average times ten,
//! and 100 opportunities) are drawn by `synth` with seed 7 from the shipped reference data.
//! Each size is measured on one thread and on the whole rayon pool, in the same run; the
//! compiled index of a later version must beat these figures with the same results.
//! `match_all` (all 100 opportunities, top 10 each) is measured at 10,000 profiles.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use diaspora_match::{Engine, OpportunityId, io, synth};

fn engine(profiles: usize) -> Engine {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig {
        profiles,
        opportunities: 100,
        ties: profiles * 10,
        seed: 7,
    };
    let dataset = synth::generate(reference, &tables, &config).unwrap();
    Engine::builder(dataset).build().unwrap()
}

fn ranker(c: &mut Criterion) {
    let mut group = c.benchmark_group("candidates_top10");
    group.sample_size(20);
    for profiles in [10_000, 100_000] {
        let engine = engine(profiles);
        let o = OpportunityId::new(0);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        group.bench_with_input(
            BenchmarkId::new("brute_force_1_thread", profiles),
            &profiles,
            |b, _| b.iter(|| one.install(|| black_box(engine.candidates(o, 10).unwrap()))),
        );
        group.bench_with_input(
            BenchmarkId::new("brute_force_pool", profiles),
            &profiles,
            |b, _| b.iter(|| black_box(engine.candidates(o, 10).unwrap())),
        );
        if profiles == 10_000 {
            group.bench_with_input(
                BenchmarkId::new("match_all_100_opportunities", profiles),
                &profiles,
                |b, _| b.iter(|| black_box(engine.match_all(10).unwrap())),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, ranker);
criterion_main!(benches);
