//! Placement at programme scale: 100,000 people with 10 ranked opportunities each, 5,000
//! opportunities with 5 places (25,000 places), popularity skewed (an opportunity's chance to
//! be listed falls with its index), scores uniform, seed 7. `stable` (people proposing) and
//! `optimal` (total score) are measured in the same run; building the instance is not timed.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use diaspora_match::assign::{self, Instance, Objective, Proposer};
use diaspora_match::synth::SplitMix64;
use diaspora_match::{OpportunityId, ProfileId};

pub fn instance(
    people: usize,
    opportunities: usize,
    places: u32,
    listed: usize,
    seed: u64,
) -> Instance {
    let mut rng = SplitMix64::new(seed);
    let mut b = Instance::builder();
    for i in 0..people {
        b.person(format!("p{i}"), 1, None);
    }
    for j in 0..opportunities {
        b.opportunity(format!("o{j}"), places);
    }
    for i in 0..people {
        let mut chosen = Vec::with_capacity(listed);
        while chosen.len() < listed {
            let o = (rng.unit() * rng.unit() * opportunities as f64) as usize;
            if !chosen.contains(&o) {
                chosen.push(o);
            }
        }
        for o in chosen {
            let score = 0.001 + 0.999 * rng.unit() as f32;
            b.pair(
                ProfileId::new(i as u32),
                OpportunityId::new(o as u32),
                score,
            );
        }
    }
    b.build().unwrap()
}

fn placement(c: &mut Criterion) {
    let inst = instance(100_000, 5_000, 5, 10, 7);
    let mut group = c.benchmark_group("assign_100k_people_5k_opportunities");
    group.sample_size(10);
    group.bench_function("stable_people_proposing", |b| {
        b.iter(|| black_box(assign::stable(&inst, Proposer::People).unwrap()))
    });
    group.bench_function("optimal_total_score", |b| {
        b.iter(|| black_box(assign::optimal(&inst, Objective::TotalScore).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, placement);
criterion_main!(benches);
