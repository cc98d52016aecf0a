//! The diaspora map over a million synthetic profiles, on one thread, against a plain loop
//! over the same profiles' records in the same run.
//!
//! - `map_two_way/origin_residence/N`: [`Engine::map`] by origin and residence, suppression
//!   included, from the engine's compact store.
//! - `map_two_way/plain_loop/N`: the same counts by a loop over the dataset's `Profile`
//!   records into a dense array (no suppression): what a programme would write by hand.
//! - `map_two_way/origin_skill_group/N`: by origin and first-level skill group (twenty skills
//!   a person, each in one or more groups).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use diaspora_match::map::{Dimension, MapQuery};
use diaspora_match::{Engine, synth};

fn map(c: &mut Criterion) {
    let profiles: usize = std::env::var("MAP_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let data = common::registry(profiles, synth::Breadth::AsDrawn);
    let records = data.profiles.clone();
    let countries = data.reference.regions.len();
    let engine = Engine::builder(data).build().unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("map_two_way");
    group.sample_size(20);
    for (name, by) in [
        (
            "origin_residence",
            [Dimension::Origin, Dimension::Residence],
        ),
        (
            "origin_skill_group",
            [Dimension::Origin, Dimension::SkillGroup],
        ),
    ] {
        let q = MapQuery::by(&by);
        group.bench_with_input(BenchmarkId::new(name, profiles), &profiles, |b, _| {
            b.iter(|| one.install(|| black_box(engine.map(&q).unwrap())))
        });
    }
    group.bench_with_input(
        BenchmarkId::new("plain_loop", profiles),
        &profiles,
        |b, _| {
            b.iter(|| {
                let mut cells = vec![0u32; (countries + 1) * (countries + 1)];
                for p in &records {
                    let r = p.residence.map_or(countries, |r| r.index());
                    for o in &p.origins {
                        cells[o.country.index() * (countries + 1) + r] += 1;
                    }
                }
                black_box(cells)
            })
        },
    );
    group.finish();
}

criterion_group!(benches, map);
criterion_main!(benches);
