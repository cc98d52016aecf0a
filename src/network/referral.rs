//! Referral paths through the [`Network`]: who can introduce whom.
//!
//! Every search runs on the network's compact adjacency with per-thread scratch arrays that
//! are reused across queries. The strongest path within a hop limit is a hop-layered
//! Bellman-Ford (each round relaxes only the nodes the round before improved); with two ends
//! it runs from both and meets in the middle, so it explores about the square root of what a
//! one-ended search explores. Path strengths are products of tie strengths (at most 1), so a
//! walk that repeats a node is never stronger than the path without the detour, and the
//! searches return simple paths.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::id::NodeId;

use super::adjacency::Adjacency;
use super::yen::yen;
use super::{Hop, Network, Path};

/// Nodes and ties a search must avoid.
#[derive(Default)]
pub(super) struct Ban {
    pub(super) nodes: HashSet<u32>,
    pub(super) edges: HashSet<(u32, u32)>,
}

impl Ban {
    fn node(&self, v: u32) -> bool {
        !self.nodes.is_empty() && self.nodes.contains(&v)
    }

    fn edge(&self, a: u32, b: u32) -> bool {
        !self.edges.is_empty() && self.edges.contains(&(a.min(b), a.max(b)))
    }
}

/// Per-thread scratch, sized to the network and reset through touched lists.
#[derive(Default)]
struct Scratch {
    next_val: Vec<f32>,
    next_pred: Vec<u32>,
    best: Vec<f32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The layers of a hop-bounded search: `layers[h]` holds, sorted by node, the nodes whose best
/// strength improved with a walk of exactly `h + 1` ties, with that strength and the
/// predecessor on layer `h - 1` (the source for `h = 0`).
#[derive(Clone, Debug, Default)]
pub(super) struct Layers {
    pub(super) source: u32,
    pub(super) layers: Vec<Vec<(u32, f32, u32)>>,
}

impl Layers {
    /// Runs the search. With `first_reach`, each layer holds only nodes reached for the first
    /// time (a breadth-first search that keeps the strongest among the fewest hops) and the
    /// search stops at `first_reach`'s node.
    pub(super) fn run(
        adj: &Adjacency,
        source: u32,
        max_hops: u32,
        ban: &Ban,
        first_reach: Option<u32>,
    ) -> Layers {
        let n = adj.relay.len();
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let sc = &mut *guard;
            if sc.best.len() < n {
                sc.best.resize(n, 0.0);
                sc.next_val.resize(n, 0.0);
                sc.next_pred.resize(n, u32::MAX);
            }
            let mut out = Layers {
                source,
                layers: Vec::new(),
            };
            let mut touched: Vec<u32> = vec![source];
            sc.best[source as usize] = 1.0;
            let mut frontier: Vec<(u32, f32)> = vec![(source, 1.0)];
            let mut next: Vec<u32> = Vec::new();
            for _ in 0..max_hops {
                relax(
                    adj,
                    source,
                    &frontier,
                    ban,
                    first_reach.is_some(),
                    sc,
                    &mut next,
                );
                if next.is_empty() {
                    break;
                }
                let layer = settle(sc, &mut next, &mut touched);
                frontier = layer.iter().map(|e| (e.0, e.1)).collect();
                let reached =
                    first_reach.is_some_and(|t| layer.binary_search_by_key(&t, |e| e.0).is_ok());
                out.layers.push(layer);
                if reached {
                    break;
                }
            }
            for v in touched {
                sc.best[v as usize] = 0.0;
            }
            out
        })
    }

    /// The final strength of every reached node and the layer it was set on, sorted by node.
    pub(super) fn finals(&self) -> Vec<(u32, f32, u32)> {
        let mut all: Vec<(u32, f32, u32)> = self
            .layers
            .iter()
            .enumerate()
            .flat_map(|(h, l)| l.iter().map(move |e| (e.0, e.1, h as u32)))
            .collect();
        // The last improvement is the best: sort by node, then layer descending, keep the first.
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)));
        all.dedup_by_key(|e| e.0);
        all
    }

    /// The last layer that improved `node`'s strength: the one [`Layers::finals`] keeps.
    pub(super) fn last_layer_of(&self, node: u32) -> Option<usize> {
        (0..self.layers.len())
            .rev()
            .find(|&h| self.layers[h].binary_search_by_key(&node, |e| e.0).is_ok())
    }

    /// The path from the source to `node` as set on `layer`, as nodes.
    pub(super) fn nodes_to(&self, node: u32, layer: usize) -> Option<Vec<u32>> {
        let mut rev = vec![node];
        let mut v = node;
        for h in (0..=layer).rev() {
            let l = self.layers.get(h)?;
            let i = l.binary_search_by_key(&v, |e| e.0).ok()?;
            v = l[i].2;
            rev.push(v);
        }
        rev.reverse();
        (rev.first() == Some(&self.source)).then_some(rev)
    }
}

/// Offers every tie out of the frontier (through nodes that relay, or from the source) to
/// the node at its other end: a walk stronger than the node's best so far becomes its
/// candidate for the next layer (ties to the lower predecessor), and the node is listed in
/// `next` once. With `first_reach`, nodes reached before are not offered again.
fn relax(
    adj: &Adjacency,
    source: u32,
    frontier: &[(u32, f32)],
    ban: &Ban,
    first_reach: bool,
    sc: &mut Scratch,
    next: &mut Vec<u32>,
) {
    for &(u, su) in frontier {
        if u != source && !adj.relay[u as usize] {
            continue;
        }
        for i in adj.neighbours(u) {
            let v = adj.to[i];
            if v == source || ban.node(v) || ban.edge(u, v) {
                continue;
            }
            let best_v = sc.best[v as usize];
            if first_reach && best_v > 0.0 {
                continue;
            }
            let c = su * adj.strength[i];
            if c <= best_v {
                continue;
            }
            let nv = &mut sc.next_val[v as usize];
            if *nv == 0.0 {
                next.push(v);
            }
            if c > *nv || (c == *nv && u < sc.next_pred[v as usize]) {
                *nv = c;
                sc.next_pred[v as usize] = u;
            }
        }
    }
}

/// The candidates of `next` as a layer, sorted by node: each becomes its node's best, and
/// the candidates are cleared (nodes reached for the first time are added to `touched`).
fn settle(sc: &mut Scratch, next: &mut Vec<u32>, touched: &mut Vec<u32>) -> Vec<(u32, f32, u32)> {
    next.sort_unstable();
    let layer = next
        .iter()
        .map(|&v| {
            let e = (v, sc.next_val[v as usize], sc.next_pred[v as usize]);
            sc.next_val[v as usize] = 0.0;
            sc.next_pred[v as usize] = u32::MAX;
            if sc.best[v as usize] == 0.0 {
                touched.push(v);
            }
            sc.best[v as usize] = e.1;
            e
        })
        .collect();
    next.clear();
    layer
}

/// Builds a [`Path`] over a node sequence, with the strength multiplied in path order.
pub(super) fn path_of(adj: &Adjacency, nodes: &[u32]) -> Option<Path> {
    let start = NodeId::new(*nodes.first()?);
    let mut strength = 1.0f32;
    let mut hops = Vec::with_capacity(nodes.len().saturating_sub(1));
    for w in nodes.windows(2) {
        let tie = adj.tie(w[0], w[1])?;
        strength *= tie.strength;
        hops.push(Hop {
            to: NodeId::new(w[1]),
            tie,
        });
    }
    Some(Path {
        start,
        hops,
        strength,
    })
}

/// Options for [`Network::referral_paths`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ReferralOptions {
    /// Only paths that share no intermediary (found greedily: strongest first, then the
    /// strongest avoiding the intermediaries already used). Gives independent introducers.
    pub disjoint: bool,
}

impl Network {
    /// The strongest path from `from` to `to` within `max_hops` ties (the fewest ties among
    /// equally strong ones), or `None`. People who did not consent never appear inside it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) when either node is not in the
    /// network; [`ErrorKind::Limit`](crate::ErrorKind::Limit) `hops` beyond [`Network::limits`].
    ///
    /// # Complexity
    ///
    /// Two searches of `max_hops / 2` ties each, from both ends, meeting in the middle.
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::{Network, NodeKind, Tie, TieKind};
    /// let mut n = Network::new();
    /// let ama = n.add_node("p-ama", NodeKind::Person, true)?;
    /// let kofi = n.add_node("p-kofi", NodeKind::Person, true)?;
    /// let moh = n.add_node("org-moh", NodeKind::Organisation, true)?;
    /// n.add_tie(ama, kofi, Tie { kind: TieKind::Alumni, strength: 0.8 })?;
    /// n.add_tie(kofi, moh, Tie { kind: TieKind::Organisational, strength: 0.9 })?;
    /// let p = n.strongest_path(ama, moh, 3)?.unwrap();
    /// assert_eq!(n.describe(&p), "p-ama -(alumni 0.80)- p-kofi -(organisational 0.90)- org-moh");
    /// assert!((p.strength - 0.72).abs() < 1e-6);
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    pub fn strongest_path(&self, from: NodeId, to: NodeId, max_hops: u8) -> Result<Option<Path>> {
        self.check(from)?;
        self.check(to)?;
        self.limits.check_hops(max_hops)?;
        Ok(strongest(
            self.adjacency(),
            from.as_u32(),
            to.as_u32(),
            u32::from(max_hops),
            &Ban::default(),
        ))
    }

    /// The `k` strongest loopless paths from `from` to `to` within `max_hops` ties, strongest
    /// first (Yen's algorithm over the two-ended search), or with
    /// [`ReferralOptions::disjoint`] paths that share no intermediary.
    ///
    /// From a node to itself the answer is the empty path.
    ///
    /// # Errors
    ///
    /// An unknown node, or `k = 0`; [`ErrorKind::Limit`](crate::ErrorKind::Limit) `paths` or
    /// `hops` beyond [`Network::limits`].
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::ReferralOptions;
    /// use diaspora_match::{Network, NodeKind, Tie, TieKind};
    /// let mut n = Network::new();
    /// let [a, b, c, org] = ["a", "b", "c", "org"].map(|k| n.add_node(k, NodeKind::Person, true).unwrap());
    /// let t = |s| Tie { kind: TieKind::Community, strength: s };
    /// n.add_tie(a, b, t(0.9))?;
    /// n.add_tie(b, org, t(0.9))?;
    /// n.add_tie(a, c, t(0.5))?;
    /// n.add_tie(c, org, t(0.5))?;
    /// n.add_tie(b, c, t(1.0))?;
    /// let paths = n.referral_paths(a, org, 3, 3, ReferralOptions::default())?;
    /// let keys: Vec<String> = paths.iter().map(|p| p.nodes().map(|x| n.key(x)).collect::<Vec<_>>().join(">")).collect();
    /// // Two paths of strength 0.45 follow, in node order.
    /// assert_eq!(keys, ["a>b>org", "a>b>c>org", "a>c>b>org"]);
    /// let apart = n.referral_paths(a, org, 3, 3, ReferralOptions { disjoint: true })?;
    /// assert_eq!(apart.len(), 2); // through b, then through c
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    pub fn referral_paths(
        &self,
        from: NodeId,
        to: NodeId,
        k: usize,
        max_hops: u8,
        options: ReferralOptions,
    ) -> Result<Vec<Path>> {
        self.check(from)?;
        self.check(to)?;
        if k == 0 {
            return Err(Error::argument("k", "must be at least 1"));
        }
        self.limits.check_paths(k)?;
        self.limits.check_hops(max_hops)?;
        if from == to {
            return Ok(vec![Path {
                start: from,
                hops: Vec::new(),
                strength: 1.0,
            }]);
        }
        let adj = self.adjacency();
        let (f, t, h) = (from.as_u32(), to.as_u32(), u32::from(max_hops));
        if options.disjoint {
            let mut ban = Ban::default();
            let mut out = Vec::new();
            while out.len() < k {
                let Some(p) = strongest(adj, f, t, h, &ban) else {
                    break;
                };
                let nodes: Vec<u32> = p.nodes().map(NodeId::as_u32).collect();
                if nodes.len() == 2 {
                    ban.edges.insert((f.min(t), f.max(t)));
                }
                ban.nodes.extend(&nodes[1..nodes.len() - 1]);
                out.push(p);
            }
            sort_paths(&mut out);
            return Ok(out);
        }
        let mut out = yen(adj, f, t, h, k);
        sort_paths(&mut out);
        Ok(out)
    }

    /// A path with the fewest ties from `from` to `to` (the strongest among those), or `None`
    /// when they are not connected through consenting intermediaries.
    ///
    /// # Errors
    ///
    /// An unknown node.
    pub fn fewest_hops(&self, from: NodeId, to: NodeId) -> Result<Option<Path>> {
        self.check(from)?;
        self.check(to)?;
        if from == to {
            return Ok(Some(Path {
                start: from,
                hops: Vec::new(),
                strength: 1.0,
            }));
        }
        let adj = self.adjacency();
        let layers = Layers::run(
            adj,
            from.as_u32(),
            u32::MAX,
            &Ban::default(),
            Some(to.as_u32()),
        );
        let Some(layer) = layers
            .layers
            .iter()
            .position(|l| l.binary_search_by_key(&to.as_u32(), |e| e.0).is_ok())
        else {
            return Ok(None);
        };
        Ok(layers
            .nodes_to(to.as_u32(), layer)
            .and_then(|nodes| path_of(adj, &nodes)))
    }
}

/// Where the two searches meet: (strength, hops, meeting node, the forward layer that reached
/// it or none for the source itself, the backward layer or none for the target itself).
type Meeting = (f32, u32, u32, Option<u32>, Option<u32>);

/// The strongest path by the two-ended search, avoiding `ban`.
pub(super) fn strongest(
    adj: &Adjacency,
    from: u32,
    to: u32,
    max_hops: u32,
    ban: &Ban,
) -> Option<Path> {
    if from == to {
        return Some(Path {
            start: NodeId::new(from),
            hops: Vec::new(),
            strength: 1.0,
        });
    }
    let (a, b) = (max_hops.div_ceil(2), max_hops / 2);
    let fwd = Layers::run(adj, from, a, ban, None);
    let bwd = Layers::run(adj, to, b, ban, None);
    let (ff, bf) = (fwd.finals(), bwd.finals());
    let lookup = |list: &[(u32, f32, u32)], v: u32| {
        list.binary_search_by_key(&v, |e| e.0).ok().map(|i| list[i])
    };
    let mut best: Option<Meeting> = None;
    let mut offer = |s: f32, hops: u32, v: u32, fl: Option<u32>, bl: Option<u32>| {
        let better = match best {
            None => true,
            Some((bs, bh, bv, _, _)) => {
                s > bs || (s == bs && (hops < bh || (hops == bh && v < bv)))
            }
        };
        if better {
            best = Some((s, hops, v, fl, bl));
        }
    };
    if let Some((_, s, l)) = lookup(&ff, to) {
        offer(s, l + 1, to, Some(l), None);
    }
    if let Some((_, s, l)) = lookup(&bf, from) {
        offer(s, l + 1, from, None, Some(l));
    }
    for &(v, sb, lb) in &bf {
        if v == from || v == to || !adj.relay[v as usize] {
            continue;
        }
        if let Some((_, sf, lf)) = lookup(&ff, v) {
            offer(sf * sb, lf + lb + 2, v, Some(lf), Some(lb));
        }
    }
    let (_, _, v, fl, bl) = best?;
    let mut nodes = match fl {
        Some(l) => fwd.nodes_to(v, l as usize)?,
        None => vec![from],
    };
    if let Some(l) = bl {
        let mut back = bwd.nodes_to(v, l as usize)?;
        back.reverse();
        // `back` runs from the meeting node to `to`; the meeting node is already in `nodes`.
        nodes.extend(back.into_iter().skip(1));
    }
    path_of(adj, &nodes)
}

/// Strongest first, then fewer ties, then node order. The searches rank by strengths
/// multiplied in another order than a path's own product, so two paths of equal strength in
/// exact arithmetic can come out one unit in the last place apart, in either order; this puts
/// the list in the order of the strengths it reports.
fn sort_paths(paths: &mut [Path]) {
    paths.sort_by(|x, y| {
        y.strength
            .total_cmp(&x.strength)
            .then(x.hops.len().cmp(&y.hops.len()))
            .then_with(|| node_seq(x).cmp(&node_seq(y)))
    });
}

pub(super) fn node_seq(p: &Path) -> Vec<u32> {
    p.nodes().map(NodeId::as_u32).collect()
}
