//! The referral network against brute-force enumeration of all simple paths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity,
    clippy::needless_range_loop
)]

use diaspora_match::{ErrorKind, Network, NodeId, NodeKind, ReferralOptions, Tie, TieKind};
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
    let mut best = vec![None; net.id_bound()];
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `&Network` as a petgraph graph: its edges are the distinct tied pairs with their
    /// strongest tie, a removed node is gone from it, and petgraph's Dijkstra over
    /// `-ln(strength)` finds the strengths of the brute force when everyone consents.
    #[test]
    fn petgraph_sees_the_network_the_searches_see((nodes, ties) in graph(), gone in 0usize..9) {
        use petgraph::visit::{EdgeRef, IntoEdgeReferences, IntoNeighbors, IntoNodeIdentifiers};
        let mut net = build(&nodes, &ties);
        let gone = NodeId::new((gone % nodes.len()) as u32);
        net.remove_node(gone).unwrap();
        for n in net.nodes().collect::<Vec<_>>() {
            net.set_intermediary(n, true).unwrap();
        }
        // The strongest tie per pair, from the ties as added.
        let mut want: Vec<(NodeId, NodeId, f32)> = Vec::new();
        for (a, b, t) in net.all_ties() {
            let (a, b) = (a.min(b), a.max(b));
            match want.iter_mut().find(|w| w.0 == a && w.1 == b) {
                Some(w) => w.2 = w.2.max(t.strength),
                None => want.push((a, b, t.strength)),
            }
        }
        want.sort_by_key(|w| (w.0, w.1));
        let got: Vec<(NodeId, NodeId, f32)> =
            (&net).edge_references().map(|e| (e.source(), e.target(), e.weight().strength)).collect();
        prop_assert_eq!(&got, &want);
        prop_assert_eq!((&net).node_identifiers().collect::<Vec<_>>(), net.nodes().collect::<Vec<_>>());
        prop_assert_eq!((&net).neighbors(gone).count(), 0);
        for a in net.nodes().collect::<Vec<_>>() {
            let mut tied: Vec<NodeId> = net.ties(a).map(|t| t.0).collect();
            tied.sort();
            tied.dedup();
            prop_assert_eq!((&net).neighbors(a).collect::<Vec<_>>(), tied);
            let costs = petgraph::algo::dijkstra(&net, a, None, |e| -f64::from(e.weight().strength).ln());
            let slow = brute(&net, a, nodes.len() as u8);
            for b in net.nodes().collect::<Vec<_>>().into_iter().filter(|&b| b != a) {
                let fast = costs.get(&b).map(|c| (-c).exp());
                match (fast, slow[b.index()]) {
                    (Some(x), Some(y)) => prop_assert!((x - f64::from(y)).abs() <= 1e-5 * x, "{:?} -> {:?}: {} vs {}", a, b, x, y),
                    (x, y) => prop_assert!(x.is_none() && y.is_none(), "{:?} -> {:?}: {:?} vs {:?}", a, b, x, y),
                }
            }
        }
    }
}

/// Every simple path from `from` to `to` within `hops` ties whose intermediaries consented,
/// with its strength multiplied in path order.
fn all_paths(net: &Network, from: NodeId, to: NodeId, hops: u32) -> Vec<(Vec<NodeId>, f32)> {
    fn walk(
        net: &Network,
        to: NodeId,
        left: u32,
        on: &mut Vec<NodeId>,
        s: f32,
        out: &mut Vec<(Vec<NodeId>, f32)>,
    ) {
        let at = *on.last().unwrap();
        if at == to {
            out.push((on.clone(), s));
            return;
        }
        if left == 0 || (on.len() > 1 && !net.is_intermediary(at)) {
            return;
        }
        // The strongest tie per neighbour, as paths use.
        let mut best: Vec<(NodeId, f32)> = Vec::new();
        for (n, t) in net.ties(at) {
            match best.iter_mut().find(|b| b.0 == n) {
                Some(b) => b.1 = b.1.max(t.strength),
                None => best.push((n, t.strength)),
            }
        }
        for (n, st) in best {
            if !on.contains(&n) {
                on.push(n);
                walk(net, to, left - 1, on, s * st, out);
                on.pop();
            }
        }
    }
    let mut out = Vec::new();
    if from != to {
        walk(net, to, hops, &mut vec![from], 1.0, &mut out);
    }
    out
}

fn valid(net: &Network, p: &diaspora_match::Path, from: NodeId, to: NodeId, hops: usize) -> bool {
    let nodes: Vec<NodeId> = p.nodes().collect();
    let mut sorted = nodes.clone();
    sorted.sort();
    sorted.dedup();
    let mut product = 1.0f32;
    for (w, h) in nodes.windows(2).zip(&p.hops) {
        if !net.ties(w[0]).any(|(n, t)| n == w[1] && t == h.tie) {
            return false;
        }
        product *= h.tie.strength;
    }
    nodes[0] == from
        && p.end() == to
        && p.hops.len() <= hops
        && sorted.len() == nodes.len()
        && nodes[1..nodes.len() - 1]
            .iter()
            .all(|&m| net.is_intermediary(m))
        && (product - p.strength).abs() <= 1e-6
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-6 * a.max(b)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn two_ended_strongest_and_k_strongest_equal_brute_force((nodes, ties) in graph(), hops in 1u8..6, k in 1usize..12) {
        let net = build(&nodes, &ties);
        let n = nodes.len();
        for f in 0..n {
            for t in 0..n {
                let (from, to) = (NodeId::new(f as u32), NodeId::new(t as u32));
                if from == to {
                    continue;
                }
                let mut all = all_paths(&net, from, to, u32::from(hops));
                all.sort_by(|a, b| b.1.total_cmp(&a.1));
                let best = net.strongest_path(from, to, hops).unwrap();
                prop_assert_eq!(best.is_some(), !all.is_empty());
                if let Some(p) = &best {
                    prop_assert!(valid(&net, p, from, to, hops as usize));
                    prop_assert!(close(p.strength, all[0].1), "{} vs {}", p.strength, all[0].1);
                }
                let paths = net.referral_paths(from, to, k, hops, ReferralOptions::default()).unwrap();
                prop_assert_eq!(paths.len(), all.len().min(k));
                for (i, p) in paths.iter().enumerate() {
                    prop_assert!(valid(&net, p, from, to, hops as usize));
                    prop_assert!(close(p.strength, all[i].1), "path {}: {} vs {}", i, p.strength, all[i].1);
                    prop_assert!(paths[..i].iter().all(|q| q.nodes().collect::<Vec<_>>() != p.nodes().collect::<Vec<_>>()));
                }
                let apart = net.referral_paths(from, to, k, hops, ReferralOptions { disjoint: true }).unwrap();
                let mut used = std::collections::HashSet::new();
                for p in &apart {
                    prop_assert!(valid(&net, p, from, to, hops as usize));
                    let inner: Vec<NodeId> = p.nodes().collect();
                    for m in &inner[1..inner.len() - 1] {
                        prop_assert!(used.insert(*m), "intermediary shared");
                    }
                }
                prop_assert_eq!(apart.first().map(|p| p.strength), best.map(|p| p.strength));
            }
        }
    }

    #[test]
    fn fewest_hops_equals_brute_force((nodes, ties) in graph()) {
        let net = build(&nodes, &ties);
        for f in 0..nodes.len() {
            for t in 0..nodes.len() {
                let (from, to) = (NodeId::new(f as u32), NodeId::new(t as u32));
                if from == to {
                    continue;
                }
                let all = all_paths(&net, from, to, nodes.len() as u32);
                let fewest = all.iter().map(|p| p.0.len() - 1).min();
                let got = net.fewest_hops(from, to).unwrap();
                prop_assert_eq!(got.as_ref().map(|p| p.hops.len()), fewest);
                if let Some(p) = got {
                    prop_assert!(valid(&net, &p, from, to, nodes.len()));
                    let strongest_of_fewest = all.iter().filter(|x| x.0.len() - 1 == p.hops.len()).map(|x| x.1).fold(0.0f32, f32::max);
                    prop_assert!(close(p.strength, strongest_of_fewest));
                }
            }
        }
    }

    #[test]
    fn a_removed_person_is_in_no_later_path((nodes, ties) in graph(), gone in 0usize..9) {
        let mut net = build(&nodes, &ties);
        let gone = NodeId::new((gone % nodes.len()) as u32);
        let key = net.key(gone).to_string();
        net.remove_node(gone).unwrap();
        prop_assert!(!net.contains(gone));
        prop_assert_eq!(net.node(&key), None);
        prop_assert_eq!(net.degree(gone), 0);
        prop_assert!(net.all_ties().all(|(a, b, _)| a != gone && b != gone));
        prop_assert!(net.strengths_from(gone, 3).is_err());
        let tie = Tie { kind: TieKind::Family, strength: 0.5 };
        prop_assert!(net.add_tie(gone, NodeId::new(0), tie).is_err());
        for f in net.nodes().collect::<Vec<_>>() {
            let s = net.strengths_from(f, 4).unwrap();
            prop_assert_eq!(s.get(gone), None);
            for t in net.nodes().collect::<Vec<_>>() {
                if f == t {
                    continue;
                }
                for p in net.referral_paths(f, t, 3, 4, ReferralOptions::default()).unwrap() {
                    prop_assert!(p.nodes().all(|x| x != gone));
                }
                if let Some(p) = s.path_to(&net, t) {
                    prop_assert!(p.nodes().all(|x| x != gone));
                }
            }
        }
        // Ids of later nodes are not shifted by the removal.
        let new = net.add_node("late", NodeKind::Person, true).unwrap();
        prop_assert_eq!(new.index(), nodes.len());
    }
}

#[test]
fn a_node_to_itself_and_bad_arguments() {
    let mut net = Network::new();
    let a = net.add_node("a", NodeKind::Person, true).unwrap();
    let b = net.add_node("b", NodeKind::Person, true).unwrap();
    net.add_tie(
        a,
        b,
        Tie {
            kind: TieKind::Family,
            strength: 0.5,
        },
    )
    .unwrap();
    for disjoint in [false, true] {
        let paths = net
            .referral_paths(a, a, 3, 3, ReferralOptions { disjoint })
            .unwrap();
        assert_eq!(paths.len(), 1);
        assert!(paths[0].hops.is_empty() && paths[0].strength == 1.0);
    }
    assert_eq!(net.strongest_path(a, a, 0).unwrap().unwrap().hops.len(), 0);
    assert!(net.strongest_path(a, b, 0).unwrap().is_none());
    assert!(
        net.referral_paths(a, b, 0, 3, ReferralOptions::default())
            .is_err()
    );
    assert!(net.fewest_hops(a, NodeId::new(7)).is_err());
    assert_eq!(net.fewest_hops(a, a).unwrap().unwrap().hops.len(), 0);
}

#[test]
fn dot_output_names_nodes_and_ties() {
    let mut net = Network::new();
    let a = net.add_node("p-1", NodeKind::Person, true).unwrap();
    let b = net.add_node("p-2", NodeKind::Person, false).unwrap();
    let org = net.add_node("org-1", NodeKind::Organisation, true).unwrap();
    net.add_tie(
        a,
        org,
        Tie {
            kind: TieKind::Mentor,
            strength: 0.5,
        },
    )
    .unwrap();
    net.add_tie(
        b,
        org,
        Tie {
            kind: TieKind::Family,
            strength: 1.0,
        },
    )
    .unwrap();
    let dot = net.neighbourhood_dot(org, 1).unwrap();
    assert!(dot.contains("\"org-1\" [shape=box, style=solid]"), "{dot}");
    assert!(
        dot.contains("\"p-2\" [shape=ellipse, style=dashed]"),
        "{dot}"
    );
    assert!(
        dot.contains("\"p-1\" -- \"org-1\" [label=\"mentor 0.50\"]"),
        "{dot}"
    );
    assert_eq!(dot.matches(" -- ").count(), 2);
    assert!(net.neighbourhood_dot(NodeId::new(9), 1).is_err());
}

/// An organisation relays introductions only with its consent, like a person: `nodes.csv`'s
/// `organisation,false` keeps it out of the inside of every path, and it can still be an end.
#[test]
fn organisations_relay_only_with_consent() {
    for consent in [false, true] {
        let mut net = Network::new();
        let a = net.add_node("p-1", NodeKind::Person, true).unwrap();
        let org = net
            .add_node("org-1", NodeKind::Organisation, consent)
            .unwrap();
        let b = net.add_node("p-2", NodeKind::Person, true).unwrap();
        let tie = Tie {
            kind: TieKind::Organisational,
            strength: 0.9,
        };
        net.add_tie(a, org, tie).unwrap();
        net.add_tie(org, b, tie).unwrap();
        assert_eq!(net.is_intermediary(org), consent);
        let through = net.strongest_path(a, b, 3).unwrap();
        assert_eq!(through.is_some(), consent, "consent {consent}");
        // An end of a path needs no consent.
        assert!(net.strongest_path(a, org, 3).unwrap().is_some());
    }
}

/// Consent given or withdrawn after the searches have run (their compact adjacency built)
/// is honoured by the next search; an unknown node is refused.
#[test]
fn consent_changed_after_a_search_is_honoured_at_once() {
    let mut net = Network::new();
    let a = net.add_node("p-1", NodeKind::Person, true).unwrap();
    let relay = net.add_node("p-2", NodeKind::Person, true).unwrap();
    let b = net.add_node("p-3", NodeKind::Person, true).unwrap();
    let tie = Tie {
        kind: TieKind::Family,
        strength: 0.9,
    };
    net.add_tie(a, relay, tie).unwrap();
    net.add_tie(relay, b, tie).unwrap();
    assert!(net.strongest_path(a, b, 3).unwrap().is_some());
    net.set_intermediary(relay, false).unwrap();
    assert!(!net.is_intermediary(relay));
    assert!(net.strongest_path(a, b, 3).unwrap().is_none());
    assert!(net.strengths_from(a, 3).unwrap().get(b).is_none());
    assert!(
        net.referral_paths(a, b, 3, 3, ReferralOptions::default())
            .unwrap()
            .is_empty()
    );
    net.set_intermediary(relay, true).unwrap();
    assert!(net.strongest_path(a, b, 3).unwrap().is_some());
    let gone = NodeId::new(99);
    assert!(matches!(
        net.set_intermediary(gone, false).unwrap_err().kind(),
        ErrorKind::UnknownId { .. }
    ));
}

/// Every search that takes a hop count or a number of paths answers to the network's
/// `Limits`; within them, a node with 100,000 ties is drawn and 5,000 paths through a clique
/// are listed (distinct, loopless, strongest first) in near-linear time.
#[test]
fn searches_answer_to_limits_and_large_answers_stay_near_linear() {
    let mut clique = Network::new();
    let nodes: Vec<NodeId> = (0..12)
        .map(|i| {
            clique
                .add_node(&format!("p-{i}"), NodeKind::Person, true)
                .unwrap()
        })
        .collect();
    for (i, &a) in nodes.iter().enumerate() {
        for (j, &b) in nodes.iter().enumerate().skip(i + 1) {
            let strength = 0.5 + ((i * 12 + j) % 7) as f32 / 16.0;
            let tie = Tie {
                kind: TieKind::Community,
                strength,
            };
            clique.add_tie(a, b, tie).unwrap();
        }
    }
    let (a, b) = (nodes[0], nodes[11]);
    let limit = |e: diaspora_match::Error| match e.kind() {
        ErrorKind::Limit { limit, .. } => *limit,
        other => panic!("{other}"),
    };
    let hops = clique.limits().hops + 1;
    assert_eq!(limit(clique.strengths_from(a, hops).unwrap_err()), "hops");
    assert_eq!(
        limit(clique.strongest_path(a, b, hops).unwrap_err()),
        "hops"
    );
    assert_eq!(
        limit(clique.neighbourhood_dot(a, hops).unwrap_err()),
        "hops"
    );
    let many = clique.limits().paths + 1;
    let e = clique
        .referral_paths(a, b, many, 4, ReferralOptions::default())
        .unwrap_err();
    assert_eq!(limit(e), "paths");

    clique.set_limits(diaspora_match::Limits {
        paths: 5_000,
        ..Default::default()
    });
    let paths = clique
        .referral_paths(a, b, 5_000, 6, ReferralOptions::default())
        .unwrap();
    assert_eq!(paths.len(), 5_000);
    let distinct: std::collections::HashSet<Vec<NodeId>> =
        paths.iter().map(|p| p.nodes().collect()).collect();
    assert_eq!(distinct.len(), 5_000);
    for w in paths.windows(2) {
        assert!(w[0].strength >= w[1].strength);
    }
    for p in &paths {
        let seq: Vec<NodeId> = p.nodes().collect();
        let unique: std::collections::HashSet<&NodeId> = seq.iter().collect();
        assert_eq!(unique.len(), seq.len(), "a loop");
        assert!(seq.len() <= 7 && seq[0] == a && seq[seq.len() - 1] == b);
    }

    let mut star = Network::new();
    let centre = star
        .add_node("org-hub", NodeKind::Organisation, true)
        .unwrap();
    for i in 0..100_000 {
        let leaf = star
            .add_node(&format!("p-{i}"), NodeKind::Person, true)
            .unwrap();
        star.add_tie(
            centre,
            leaf,
            Tie {
                kind: TieKind::Organisational,
                strength: 0.5,
            },
        )
        .unwrap();
    }
    let dot = star.neighbourhood_dot(centre, 1).unwrap();
    assert_eq!(dot.matches(" -- ").count(), 100_000);
}
