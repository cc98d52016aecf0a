//! The referral network against brute-force enumeration of all simple paths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity,
    clippy::needless_range_loop
)]

use diaspora_match::{Network, NodeId, NodeKind, Tie, TieKind};
use proptest::prelude::*;

fn graph() -> impl Strategy<Value = (Vec<(bool, bool)>, Vec<(usize, usize, u8, u8)>)> {
    (2usize..9).prop_flat_map(|n| {
        (
            proptest::collection::vec((any::<bool>(), proptest::bool::weighted(0.2)), n),
            proptest::collection::vec((0..n, 0..n, 0u8..6, 1u8..=20), 0..20),
        )
    })
}

fn build(nodes: &[(bool, bool)], ties: &[(usize, usize, u8, u8)]) -> Network {
    let mut net = Network::new();
    for (i, &(consent, org)) in nodes.iter().enumerate() {
        let kind = if org {
            NodeKind::Organisation
        } else {
            NodeKind::Person
        };
        net.add_node(&format!("n{i}"), kind, consent).unwrap();
    }
    for &(a, b, k, s) in ties {
        if a != b {
            // Strengths in twentieths, so that many paths tie.
            let tie = Tie {
                kind: TieKind::ALL[k as usize],
                strength: f32::from(s) / 20.0,
            };
            net.add_tie(NodeId::new(a as u32), NodeId::new(b as u32), tie)
                .unwrap();
        }
    }
    net
}

/// Best product over all simple paths from `from` within `hops`, intermediaries consenting.
fn brute(net: &Network, from: NodeId, hops: u8) -> Vec<Option<f32>> {
    fn walk(
        net: &Network,
        at: NodeId,
        strength: f32,
        left: u8,
        on: &mut Vec<NodeId>,
        best: &mut [Option<f32>],
    ) {
        if left == 0 || (on.len() > 1 && !net.is_intermediary(at)) {
            return;
        }
        for (next, tie) in net.ties(at) {
            if on.contains(&next) {
                continue;
            }
            let s = strength * tie.strength;
            let b = &mut best[next.index()];
            if b.is_none_or(|v| s > v) {
                *b = Some(s);
            }
            on.push(next);
            walk(net, next, s, left - 1, on, best);
            on.pop();
        }
    }
    let mut best = vec![None; net.node_count()];
    walk(net, from, 1.0, hops, &mut vec![from], &mut best);
    best[from.index()] = None;
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn strengths_equal_brute_force_and_paths_are_real((nodes, ties) in graph(), hops in 0u8..5) {
        let net = build(&nodes, &ties);
        for s in 0..nodes.len() {
            let source = NodeId::new(s as u32);
            let fast = net.strengths_from(source, hops).unwrap();
            let slow = brute(&net, source, hops);
            for t in 0..nodes.len() {
                let target = NodeId::new(t as u32);
                prop_assert_eq!(fast.get(target), slow[t], "{} -> {} within {}", s, t, hops);
                let path = fast.path_to(&net, target);
                prop_assert_eq!(path.is_some(), slow[t].is_some());
                if let Some(p) = path {
                    let nodes_on: Vec<NodeId> = p.nodes().collect();
                    prop_assert_eq!(nodes_on[0], source);
                    prop_assert_eq!(p.end(), target);
                    prop_assert!(p.hops.len() <= hops as usize);
                    // A simple path.
                    let mut sorted = nodes_on.clone();
                    sorted.sort();
                    sorted.dedup();
                    prop_assert_eq!(sorted.len(), nodes_on.len());
                    // Every hop is an existing tie, intermediaries consented, the product is the strength.
                    let mut product = 1.0f32;
                    for (w, h) in nodes_on.windows(2).zip(&p.hops) {
                        prop_assert!(net.ties(w[0]).any(|(n, t)| n == w[1] && t == h.tie));
                        product *= h.tie.strength;
                    }
                    for &mid in &nodes_on[1..nodes_on.len() - 1] {
                        prop_assert!(net.is_intermediary(mid));
                    }
                    prop_assert_eq!(product, p.strength);
                    // The search from the other end finds a path as strong (up to rounding: the
                    // product is taken in the other order).
                    let back = net.strongest_path(target, source, hops).unwrap().unwrap();
                    prop_assert!((back.strength - p.strength).abs() <= 1e-6 * p.strength);
                }
            }
        }
    }
}
