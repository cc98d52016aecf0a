//! The compiled index against the brute-force ranker, on synthetic populations.
//!
//! `synth` draws the populations with seed 7 from the shipped reference data: 20 skills per
//! profile, 1,000 opportunities with 8 requirements each (7 skills and a technology), and
//! one tie per profile (with ten, the 1,000 host searches alone take 10 s and 3.6 GB at a
//! million profiles: they belong to the network, not to the index). In one run:
//!
//! - `candidates_top100/{indexed,brute_force}_1_thread/N`: the top 100 of each of the work
//!   opportunities among every 32nd of the 1,000 (25 of 32 with seed 7; the other 7 are
//!   investments, donations and tourism), on a one-thread pool, for 100,000 and 1,000,000
//!   profiles. Every iteration answers the same queries on both sides, so the two figures
//!   compare like with like; criterion prints one query's rate as a throughput.
//! - `channels_top100/{indexed,brute_force}_1_thread/N`: the first eight investments,
//!   donations and tourism offers (tickets, funding gaps, sectors, causes).
//! - `candidates_top100/brute_force_pool/N`: the brute force on the whole pool, same queries.
//! - `match_all_top100/indexed_pool/N`: every opportunity's top 100 on the whole pool.
//! - `build_index/N`: compiling the dataset into an engine (validation, profile arrays,
//!   postings, one network search per host).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use diaspora_match::{Engagement, Engine, OpportunityId, synth};

fn ranker(c: &mut Criterion) {
    let sizes: Vec<usize> = match std::env::var("RANK_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.parse().ok()).collect(),
        Err(_) => vec![100_000, 1_000_000],
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for &profiles in &sizes {
        let data = common::registry(profiles, synth::Breadth::AsDrawn);
        let mut group = c.benchmark_group("build_index");
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(20));
        group.bench_with_input(BenchmarkId::from_parameter(profiles), &profiles, |b, _| {
            b.iter_batched(
                || data.clone(),
                |d| black_box(Engine::builder(d).build().unwrap()),
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();

        let engine = Engine::builder(data).build().unwrap();
        let f = engine.footprint();
        eprintln!(
            "{profiles} profiles: engine {f}, {:.1} bytes per profile",
            f.total() as f64 / profiles as f64
        );
        // Every 32nd opportunity that is work (the others use the components beyond work and
        // are searched apart, below).
        let work = |o: &OpportunityId| {
            !matches!(
                engine.opportunity(*o).unwrap().engagement,
                Engagement::Invest | Engagement::Donate | Engagement::Tourism
            )
        };
        let queries: Vec<OpportunityId> = (0..1000)
            .step_by(32)
            .map(OpportunityId::new)
            .filter(work)
            .collect();
        let mut group = c.benchmark_group("candidates_top100");
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.sample_size(20);
        group.bench_with_input(
            BenchmarkId::new("indexed_1_thread", profiles),
            &profiles,
            |b, _| {
                b.iter(|| {
                    one.install(|| {
                        for &o in &queries {
                            black_box(engine.candidates(o, 100).unwrap());
                        }
                    })
                })
            },
        );
        // An iteration of the brute force takes seconds: one per sample.
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.bench_with_input(
            BenchmarkId::new("brute_force_1_thread", profiles),
            &profiles,
            |b, _| {
                b.iter(|| {
                    one.install(|| {
                        for &o in &queries {
                            black_box(engine.candidates_brute_force(o, 100).unwrap());
                        }
                    })
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("brute_force_pool", profiles),
            &profiles,
            |b, _| {
                b.iter(|| {
                    for &o in &queries {
                        black_box(engine.candidates_brute_force(o, 100).unwrap());
                    }
                })
            },
        );
        group.finish();

        // The first eight investments, donations and tourism offers: tickets, gaps, sectors and
        // causes, searched by `search/scan.rs`.
        let channels: Vec<OpportunityId> = (0..1000)
            .map(OpportunityId::new)
            .filter(|o| !work(o))
            .take(8)
            .collect();
        let mut group = c.benchmark_group("channels_top100");
        group.throughput(Throughput::Elements(channels.len() as u64));
        group.sample_size(10);
        for (name, brute) in [("indexed_1_thread", false), ("brute_force_1_thread", true)] {
            group.bench_with_input(BenchmarkId::new(name, profiles), &profiles, |b, _| {
                b.iter(|| {
                    one.install(|| {
                        for &o in &channels {
                            black_box(if brute {
                                engine.candidates_brute_force(o, 100).unwrap()
                            } else {
                                engine.candidates(o, 100).unwrap()
                            });
                        }
                    })
                })
            });
        }
        group.finish();

        let mut group = c.benchmark_group("match_all_top100");
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::new("indexed_pool", profiles),
            &profiles,
            |b, _| b.iter(|| black_box(engine.match_all(100).unwrap())),
        );
        group.finish();
    }
}

criterion_group!(benches, ranker);
criterion_main!(benches);
