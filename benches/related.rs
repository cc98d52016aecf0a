//! The cost of partial credit for related skills, on requirements that name broad concepts.
//!
//! `synth` draws 1,000,000 profiles with seed 7 from the shipped reference data (20 skills per
//! profile, one tie each) and 1,000 opportunities of 8 requirements, whose skills are then
//! moved up to their broadest direct broader entry in the taxonomy
//! ([`Breadth`](diaspora_match::synth::Breadth)): an O*NET skill to its group ("Content",
//! "Social Skills"), a technology to its commodity category ("Medical software"). Such a
//! requirement gives partial credit to every skill under it: tens to hundreds of skills and
//! up to 850,000 postings per requirement. Two shapes:
//!
//! - `half`: every second requirement is broad (the first, which may be a must-have, stays);
//! - `all`: every requirement is broad. Nobody holds a group itself, so without related-skill
//!   credit nobody gets skill credit and the queries return nothing: that baseline is shown
//!   for completeness, not as a comparison.
//!
//! Scored on skills only (the other weights 0), top 100 of each of 32 opportunities (every
//! 32nd), on a one-thread pool, in one run:
//!
//! - `broad_{half,all}_top100/related_1_thread/N`: the default related-skill credit;
//! - `broad_{half,all}_top100/exact_only_1_thread/N`: related-skill credit off (narrower,
//!   broader and sibling credit 0), the same queries on the same population: the baseline.
//!
//! `BROAD_SIZES=100000` benches a smaller registry.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use diaspora_match::{Engine, MatchConfig, OpportunityId, synth};

/// Skills only, with or without related-skill credit.
fn skills_only(related: bool) -> MatchConfig {
    let mut c = MatchConfig::default();
    c.weights.region = 0.0;
    c.weights.network = 0.0;
    c.weights.language = 0.0;
    if !related {
        c.relatedness.narrower = 0.0;
        c.relatedness.broader = 0.0;
        c.relatedness.sibling = 0.0;
    }
    c
}

fn related_credit(c: &mut Criterion) {
    let sizes: Vec<usize> = match std::env::var("BROAD_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.parse().ok()).collect(),
        Err(_) => vec![1_000_000],
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let shapes = [("half", synth::Breadth::Half), ("all", synth::Breadth::All)];
    for (&profiles, (shape, breadth)) in sizes.iter().flat_map(|p| shapes.map(|s| (p, s))) {
        let data = common::registry(profiles, breadth);
        let queries: Vec<OpportunityId> = (0..1000).step_by(32).map(OpportunityId::new).collect();
        let mut group = c.benchmark_group(format!("broad_{shape}_top100"));
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.sample_size(20);
        for (name, related) in [("related_1_thread", true), ("exact_only_1_thread", false)] {
            let engine = Engine::builder(data.clone())
                .config(skills_only(related))
                .build()
                .unwrap();
            group.bench_with_input(BenchmarkId::new(name, profiles), &profiles, |b, _| {
                b.iter(|| {
                    one.install(|| {
                        for &o in &queries {
                            black_box(engine.candidates(o, 100).unwrap());
                        }
                    })
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, related_credit);
criterion_main!(benches);
