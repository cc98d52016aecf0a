//! Referral searches on synthetic diaspora networks drawn by `synth` (seed 7): 100,000 profiles
//! with 1,000,000 ties (110,737 nodes with contacts and host organisations), and 1,000,000
//! profiles with 10,000,000 ties. Queries: 64 fixed (person, node) pairs joined within three
//! ties. Measured in the same run on the same graph: this crate's two-ended strongest path
//! (three ties, consent respected, path returned), petgraph's one-ended `astar` on the same
//! ties (cost -ln strength, no hop limit, path returned) and petgraph's `dijkstra` to the goal
//! (distances only; both on the first pair only at 1,000,000 profiles), and the k = 3
//! strongest referral paths (Yen). Throughput is in queries.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use diaspora_match::synth::{self, SplitMix64};
use diaspora_match::{Network, NodeId, ReferralOptions, io};
use petgraph::graph::{NodeIndex, UnGraph};

fn network(profiles: usize) -> Network {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig {
        profiles,
        opportunities: 1000,
        ties: profiles * 10,
        seed: 7,
        ..Default::default()
    };
    synth::generate(reference, &tables, &config)
        .unwrap()
        .network
}

/// Pairs joined within three ties: a random person with ties, and the reached node in the
/// middle of the reached set by id.
fn pairs(net: &Network, profiles: usize, n: usize) -> Vec<(NodeId, NodeId)> {
    let mut rng = SplitMix64::new(11);
    let mut out = Vec::new();
    while out.len() < n {
        let a = NodeId::new(rng.below(profiles) as u32);
        if net.neighbours(a).next().is_none() {
            continue;
        }
        let reach: Vec<NodeId> = net
            .strengths_from(a, 3)
            .unwrap()
            .iter()
            .map(|x| x.0)
            .collect();
        if reach.len() > 10 {
            out.push((a, reach[reach.len() / 2]));
        }
    }
    out
}

fn searches(c: &mut Criterion) {
    for profiles in [100_000, 1_000_000] {
        let net = network(profiles);
        let queries = pairs(&net, profiles, 64);
        let mut pg: UnGraph<(), f32> = UnGraph::with_capacity(net.id_bound(), net.tie_count());
        for _ in 0..net.id_bound() {
            pg.add_node(());
        }
        for (a, b, t) in net.all_ties() {
            pg.add_edge(
                NodeIndex::new(a.index()),
                NodeIndex::new(b.index()),
                -t.strength.ln(),
            );
        }
        let mut group = c.benchmark_group(format!("referral_{profiles}_profiles"));
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.sample_size(10);
        group.bench_function(BenchmarkId::new("strongest_path_two_ended", 3), |b| {
            b.iter(|| {
                for &(x, y) in &queries {
                    black_box(net.strongest_path(x, y, 3).unwrap());
                }
            })
        });
        // petgraph's searches take seconds per query on the larger graph: time the first
        // query there (throughput is per query, so the figures compare).
        let slow = if profiles > 100_000 {
            &queries[..1]
        } else {
            &queries[..]
        };
        group.throughput(Throughput::Elements(slow.len() as u64));
        group.bench_function("petgraph_astar_one_ended", |b| {
            b.iter(|| {
                for &(x, y) in slow {
                    let goal = NodeIndex::new(y.index());
                    black_box(petgraph::algo::astar(
                        &pg,
                        NodeIndex::new(x.index()),
                        |n| n == goal,
                        |e| *e.weight(),
                        |_| 0.0,
                    ));
                }
            })
        });
        group.bench_function("petgraph_dijkstra_to_goal", |b| {
            b.iter(|| {
                for &(x, y) in slow {
                    let goal = NodeIndex::new(y.index());
                    black_box(petgraph::algo::dijkstra(
                        &pg,
                        NodeIndex::new(x.index()),
                        Some(goal),
                        |e| *e.weight(),
                    ));
                }
            })
        });
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_function(BenchmarkId::new("referral_paths_k3", 3), |b| {
            b.iter(|| {
                for &(x, y) in &queries {
                    black_box(
                        net.referral_paths(x, y, 3, 3, ReferralOptions::default())
                            .unwrap(),
                    );
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, searches);
criterion_main!(benches);
