//! The graph of connections between people and organisations, and referral paths through it.
//!
//! Nodes are people (profiles, and contacts who are not profiles) and organisations, each with
//! the crate's own [`NodeId`] and a pseudonymous key. Ties are undirected, with a
//! [`TieKind`] and a strength in `(0, 1]`. The strength of a path is the product of its tie
//! strengths, so a path is never stronger than its weakest tie and longer paths are weaker.
//!
//! Consent: a node (a person or an organisation) that has not agreed to act as an
//! intermediary never appears *inside* a path, only at one of its ends. Organisations give or
//! withhold that consent like people (`nodes.csv`'s `intermediary` column).
//!
//! The graph is stored in a [`petgraph`] graph; petgraph's node indices never leave this
//! module. The searches ([`Network::strongest_path`], [`Network::referral_paths`],
//! [`Network::fewest_hops`], [`Network::strengths_from`]) are in the `referral` module.

pub use crate::referral::{ReferralOptions, Strengths};

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use std::sync::OnceLock;

use petgraph::Undirected;
use petgraph::graph::NodeIndex;
use petgraph::stable_graph::StableGraph;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::error::{Error, ErrorKind, Result};
use crate::id::NodeId;

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A person: a profile, or a contact who is not a profile.
    Person,
    /// An organisation: a hospital, ministry, university, association, company.
    Organisation,
}

impl NodeKind {
    /// The external name (`person`, `organisation`).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Organisation => "organisation",
        }
    }
}

impl FromStr for NodeKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "person" => Ok(NodeKind::Person),
            "organisation" | "organization" => Ok(NodeKind::Organisation),
            _ => Err(()),
        }
    }
}

/// What a tie is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum TieKind {
    /// Relatives.
    Family,
    /// Members of the same diaspora community or association.
    Community,
    /// Former classmates.
    Alumni,
    /// Present or former colleagues.
    Colleague,
    /// Mentor and mentee.
    Mentor,
    /// A person's tie to an organisation (member, employee, partner), or between organisations.
    Organisational,
}

impl TieKind {
    /// Every kind.
    pub const ALL: [TieKind; 6] = [
        TieKind::Family,
        TieKind::Community,
        TieKind::Alumni,
        TieKind::Colleague,
        TieKind::Mentor,
        TieKind::Organisational,
    ];

    /// The external name (`family`, `community`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TieKind::Family => "family",
            TieKind::Community => "community",
            TieKind::Alumni => "alumni",
            TieKind::Colleague => "colleague",
            TieKind::Mentor => "mentor",
            TieKind::Organisational => "organisational",
        }
    }
}

impl fmt::Display for TieKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TieKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        TieKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// A tie between two nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tie {
    /// What it is.
    pub kind: TieKind,
    /// How strong, in `(0, 1]`.
    pub strength: f32,
}

/// One hop of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hop {
    /// The node reached.
    pub to: NodeId,
    /// The tie used.
    pub tie: Tie,
}

/// A path through the network: a start node and the hops from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The first node.
    pub start: NodeId,
    /// The hops, in order.
    pub hops: Vec<Hop>,
    /// The product of the tie strengths along the path (1 for an empty path).
    pub strength: f32,
}

impl Path {
    /// The nodes from start to end.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::once(self.start).chain(self.hops.iter().map(|h| h.to))
    }

    /// The last node.
    pub fn end(&self) -> NodeId {
        self.hops.last().map_or(self.start, |h| h.to)
    }

    /// The same path walked from its end to its start (ties are undirected).
    pub fn reversed(&self) -> Path {
        let nodes: Vec<NodeId> = self.nodes().collect();
        let hops = self
            .hops
            .iter()
            .rev()
            .zip(nodes.iter().rev().skip(1))
            .map(|(h, &to)| Hop { to, tie: h.tie })
            .collect();
        Path {
            start: self.end(),
            hops,
            strength: self.strength,
        }
    }
}

#[derive(Clone, Debug)]
struct NodeData {
    kind: NodeKind,
    intermediary: bool,
}

/// The graph of people, organisations and ties.
///
/// Mutations go to a petgraph [`StableGraph`] (so removals never shift ids); queries run on a
/// compact adjacency (CSR: offsets, neighbour ids, strengths) built once after the last
/// mutation and shared by every query and thread.
#[derive(Clone, Default)]
pub struct Network {
    graph: StableGraph<NodeData, Tie, Undirected>,
    /// Key per id; empty for a removed node.
    keys: Vec<String>,
    by_key: HashMap<String, NodeId>,
    /// Number of removed nodes (tombstones in `graph`).
    removed: usize,
    adjacency: OnceLock<Adjacency>,
}

/// Neighbours of every node, sorted by id, one entry per neighbour (the strongest tie).
#[derive(Clone, Debug, Default)]
pub(crate) struct Adjacency {
    pub(crate) offsets: Vec<u32>,
    pub(crate) to: Vec<u32>,
    pub(crate) strength: Vec<f32>,
    pub(crate) kind: Vec<TieKind>,
    /// Whether each node may be inside a path.
    pub(crate) relay: Vec<bool>,
}

impl Adjacency {
    pub(crate) fn neighbours(&self, u: u32) -> std::ops::Range<usize> {
        let u = u as usize;
        match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// The tie between two nodes, if any (binary search in the sorted row).
    pub(crate) fn tie(&self, a: u32, b: u32) -> Option<Tie> {
        let r = self.neighbours(a);
        let row = &self.to[r.clone()];
        row.binary_search(&b).ok().map(|i| Tie {
            kind: self.kind[r.start + i],
            strength: self.strength[r.start + i],
        })
    }

    fn bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.to.capacity() * 4
            + self.strength.capacity() * 4
            + self.kind.capacity()
            + self.relay.capacity()
    }
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("nodes", &self.node_count())
            .field("ties", &self.graph.edge_count())
            .finish()
    }
}

impl Network {
    /// An empty network.
    pub fn new() -> Network {
        Network::default()
    }

    fn changed(&mut self) {
        self.adjacency = OnceLock::new();
    }

    /// Adds a node.
    ///
    /// `intermediary` is the consent to appear inside other people's referral paths, for an
    /// organisation as for a person.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateKey`] when the key is taken, [`ErrorKind::Argument`] when it is
    /// empty.
    pub fn add_node(&mut self, key: &str, kind: NodeKind, intermediary: bool) -> Result<NodeId> {
        if key.is_empty() {
            return Err(Error::argument("key", "node keys cannot be empty"));
        }
        if self.by_key.contains_key(key) {
            return Err(ErrorKind::DuplicateKey {
                at: Default::default(),
                key: key.to_string(),
                first: Default::default(),
            }
            .into());
        }
        let id = NodeId::from_index(self.keys.len())
            .ok_or_else(|| Error::argument("key", "too many nodes"))?;
        // A StableGraph hands out indices in order while nothing has been removed; after a
        // removal it would reuse the hole, so a placeholder keeps ids and indices equal.
        let index = self.graph.add_node(NodeData { kind, intermediary });
        if index.index() != id.index() {
            return Err(Error::argument(
                "key",
                "node ids and graph indices diverged",
            ));
        }
        self.keys.push(key.to_string());
        self.by_key.insert(key.to_string(), id);
        self.changed();
        Ok(id)
    }

    /// Adds an undirected tie. Several ties between the same two nodes are allowed (a
    /// colleague who is also a cousin); paths use the strongest.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a node that is not in the network (or was removed);
    /// [`ErrorKind::Argument`] for a tie from a node to itself or a strength that is not in
    /// `(0, 1]` (NaN included).
    pub fn add_tie(&mut self, a: NodeId, b: NodeId, tie: Tie) -> Result<()> {
        for n in [a, b] {
            self.check(n)?;
        }
        if a == b {
            return Err(Error::argument(
                "tie",
                "a tie must join two different nodes",
            ));
        }
        if !(tie.strength > 0.0 && tie.strength <= 1.0) {
            return Err(Error::argument("strength", "must be in (0, 1]"));
        }
        self.graph.add_edge(ix(a), ix(b), tie);
        self.changed();
        Ok(())
    }

    /// Removes a node and all its ties (the right to erasure). Its id is never reused and its
    /// key is forgotten; no later query returns a path through it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a node that is not in the network.
    pub fn remove_node(&mut self, node: NodeId) -> Result<()> {
        self.check(node)?;
        // The node stays as a tombstone without ties, so that ids and graph indices stay
        // equal (a StableGraph would hand a freed index to the next node).
        let ties: Vec<_> = self.graph.edges(ix(node)).map(|e| e.id()).collect();
        for e in ties {
            self.graph.remove_edge(e);
        }
        if let Some(w) = self.graph.node_weight_mut(ix(node)) {
            *w = NodeData {
                kind: w.kind,
                intermediary: false,
            };
        }
        let key = std::mem::take(&mut self.keys[node.index()]);
        self.by_key.remove(&key);
        self.removed += 1;
        self.changed();
        Ok(())
    }

    pub(crate) fn check(&self, n: NodeId) -> Result<()> {
        if self.contains(n) {
            Ok(())
        } else {
            Err(Error::unknown_id("node", n.as_u32(), self.keys.len()))
        }
    }

    /// Whether a node is in the network (added and not removed).
    pub fn contains(&self, node: NodeId) -> bool {
        self.keys.get(node.index()).is_some_and(|k| !k.is_empty())
    }

    /// Number of nodes in the network.
    pub fn node_count(&self) -> usize {
        self.keys.len() - self.removed
    }

    /// One more than the largest id ever given (ids of removed nodes stay unused).
    pub fn id_bound(&self) -> usize {
        self.keys.len()
    }

    /// The nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.keys.len() as u32)
            .map(NodeId::new)
            .filter(|&n| self.contains(n))
    }

    /// Number of ties.
    pub fn tie_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node with a key.
    pub fn node(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// The key of a node (empty for an unknown or removed id).
    pub fn key(&self, node: NodeId) -> &str {
        self.keys.get(node.index()).map_or("", String::as_str)
    }

    /// The kind of a node.
    pub fn kind(&self, node: NodeId) -> Option<NodeKind> {
        self.contains(node)
            .then(|| self.graph.node_weight(ix(node)).map(|n| n.kind))
            .flatten()
    }

    /// Whether a node may appear inside a path (organisations always may).
    pub fn is_intermediary(&self, node: NodeId) -> bool {
        self.contains(node)
            && self
                .graph
                .node_weight(ix(node))
                .is_some_and(|n| n.intermediary)
    }

    /// Whether a node has any tie (from the compact adjacency when it is built: cheap).
    pub(crate) fn has_ties(&self, node: NodeId) -> bool {
        match self.adjacency.get() {
            Some(adj) => !adj.neighbours(node.as_u32()).is_empty(),
            None => self.degree(node) > 0,
        }
    }

    /// Number of ties of a node.
    pub fn degree(&self, node: NodeId) -> usize {
        if !self.contains(node) {
            return 0;
        }
        self.graph.edges(ix(node)).count()
    }

    /// The ties of a node: the other end and the tie, in insertion order.
    pub fn ties(&self, node: NodeId) -> impl Iterator<Item = (NodeId, Tie)> + '_ {
        self.contains(node)
            .then(|| self.graph.edges(ix(node)))
            .into_iter()
            .flatten()
            .map(move |e| {
                let other = if e.source() == ix(node) {
                    e.target()
                } else {
                    e.source()
                };
                (NodeId::new(other.index() as u32), *e.weight())
            })
    }

    /// Every tie once, as `(a, b, tie)`, in insertion order.
    pub fn all_ties(&self) -> impl Iterator<Item = (NodeId, NodeId, Tie)> + '_ {
        let mut edges: Vec<_> = (&self.graph)
            .edge_references()
            .map(|e| (e.id().index(), e.source(), e.target(), *e.weight()))
            .collect();
        edges.sort_by_key(|e| e.0);
        edges.into_iter().map(|(_, a, b, t)| {
            (
                NodeId::new(a.index() as u32),
                NodeId::new(b.index() as u32),
                t,
            )
        })
    }

    /// The compact adjacency, built on first use after a change.
    pub(crate) fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| {
            let n = self.keys.len();
            // Both directions of every tie, grouped by node with a counting pass (no vector
            // per node: a million people would be a million allocations).
            let mut start = vec![0u32; n + 1];
            for e in (&self.graph).edge_references() {
                start[e.source().index() + 1] += 1;
                start[e.target().index() + 1] += 1;
            }
            for u in 0..n {
                start[u + 1] += start[u];
            }
            let total = start[n] as usize;
            let mut fill = start.clone();
            let mut entries = vec![(0u32, 0f32, TieKind::Family); total];
            for e in (&self.graph).edge_references() {
                let (a, b, t) = (e.source().index(), e.target().index(), *e.weight());
                for (from, to) in [(a, b), (b, a)] {
                    entries[fill[from] as usize] = (to as u32, t.strength, t.kind);
                    fill[from] += 1;
                }
            }
            let mut adj = Adjacency {
                offsets: Vec::with_capacity(n + 1),
                to: Vec::with_capacity(total),
                strength: Vec::with_capacity(total),
                kind: Vec::with_capacity(total),
                relay: Vec::with_capacity(n),
            };
            adj.offsets.push(0);
            for u in 0..n {
                let row = &mut entries[start[u] as usize..start[u + 1] as usize];
                // One entry per neighbour: the strongest tie (then the first kind).
                row.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
                let mut last = None;
                for &(v, s, k) in row.iter() {
                    if last != Some(v) {
                        adj.to.push(v);
                        adj.strength.push(s);
                        adj.kind.push(k);
                        last = Some(v);
                    }
                }
                adj.offsets.push(adj.to.len() as u32);
                adj.relay.push(self.is_intermediary(NodeId::new(u as u32)));
            }
            adj
        })
    }

    /// Bytes held by the compact adjacency (built if needed).
    pub fn adjacency_bytes(&self) -> usize {
        self.adjacency().bytes()
    }

    /// Formats a path with keys: `a -(alumni 0.80)- b -(organisational 0.90)- c`.
    pub fn describe(&self, path: &Path) -> String {
        let mut s = self.key(path.start).to_string();
        for h in &path.hops {
            s.push_str(&format!(
                " -({} {:.2})- {}",
                h.tie.kind,
                h.tie.strength,
                self.key(h.to)
            ));
        }
        s
    }

    /// Graphviz DOT of some paths: every node on them (organisations as boxes, people who
    /// did not consent to relay dashed) and every hop, labelled with tie kind and strength.
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::{Network, NodeKind, Tie, TieKind};
    /// let mut n = Network::new();
    /// let a = n.add_node("a", NodeKind::Person, true)?;
    /// let org = n.add_node("org", NodeKind::Organisation, true)?;
    /// n.add_tie(a, org, Tie { kind: TieKind::Alumni, strength: 0.8 })?;
    /// let path = n.strongest_path(a, org, 2)?.unwrap();
    /// let dot = n.to_dot(&[path]);
    /// assert!(dot.starts_with("graph referrals {"));
    /// assert!(dot.contains("\"a\" -- \"org\" [label=\"alumni 0.80\"]"));
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    pub fn to_dot(&self, paths: &[Path]) -> String {
        let mut nodes: Vec<NodeId> = paths.iter().flat_map(|p| p.nodes()).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let mut edges: Vec<(NodeId, NodeId, Tie)> = Vec::new();
        for p in paths {
            let mut prev = p.start;
            for h in &p.hops {
                let (a, b) = if prev < h.to {
                    (prev, h.to)
                } else {
                    (h.to, prev)
                };
                if !edges.iter().any(|e| e.0 == a && e.1 == b) {
                    edges.push((a, b, h.tie));
                }
                prev = h.to;
            }
        }
        self.dot(&nodes, &edges)
    }

    /// Graphviz DOT of a node's neighbourhood within `hops` ties (all ties among those nodes).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a node that is not in the network.
    pub fn neighbourhood_dot(&self, node: NodeId, hops: u8) -> Result<String> {
        self.check(node)?;
        let adj = self.adjacency();
        let mut nodes = vec![node];
        let mut frontier = vec![node.as_u32()];
        for _ in 0..hops {
            let mut next = Vec::new();
            for &u in &frontier {
                for i in adj.neighbours(u) {
                    let v = NodeId::new(adj.to[i]);
                    if !nodes.contains(&v) {
                        nodes.push(v);
                        next.push(v.as_u32());
                    }
                }
            }
            frontier = next;
        }
        nodes.sort_unstable();
        let mut edges = Vec::new();
        for &a in &nodes {
            for i in adj.neighbours(a.as_u32()) {
                let b = NodeId::new(adj.to[i]);
                if a < b && nodes.binary_search(&b).is_ok() {
                    edges.push((
                        a,
                        b,
                        Tie {
                            kind: adj.kind[i],
                            strength: adj.strength[i],
                        },
                    ));
                }
            }
        }
        Ok(self.dot(&nodes, &edges))
    }

    fn dot(&self, nodes: &[NodeId], edges: &[(NodeId, NodeId, Tie)]) -> String {
        let mut s = String::from("graph referrals {\n  node [fontname=\"Helvetica\"];\n");
        for &n in nodes {
            let shape = if self.kind(n) == Some(NodeKind::Organisation) {
                "box"
            } else {
                "ellipse"
            };
            let style = if self.is_intermediary(n) {
                "solid"
            } else {
                "dashed"
            };
            s.push_str(&format!(
                "  {:?} [shape={shape}, style={style}];\n",
                self.key(n)
            ));
        }
        for (a, b, t) in edges {
            s.push_str(&format!(
                "  {:?} -- {:?} [label=\"{} {:.2}\"];\n",
                self.key(*a),
                self.key(*b),
                t.kind,
                t.strength
            ));
        }
        s.push_str("}\n");
        s
    }
}

fn ix(n: NodeId) -> NodeIndex {
    NodeIndex::new(n.index())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(kind: TieKind, strength: f32) -> Tie {
        Tie { kind, strength }
    }

    #[test]
    fn strongest_path_prefers_strength_and_respects_consent_and_hops() {
        let mut n = Network::new();
        let a = n.add_node("a", NodeKind::Person, true).unwrap();
        let b = n.add_node("b", NodeKind::Person, true).unwrap();
        let c = n.add_node("c", NodeKind::Person, false).unwrap();
        let org = n.add_node("org", NodeKind::Organisation, false).unwrap();
        n.add_tie(a, b, tie(TieKind::Alumni, 0.8)).unwrap();
        n.add_tie(b, org, tie(TieKind::Organisational, 0.9))
            .unwrap();
        n.add_tie(a, c, tie(TieKind::Family, 1.0)).unwrap();
        n.add_tie(c, org, tie(TieKind::Colleague, 1.0)).unwrap();
        n.add_tie(a, org, tie(TieKind::Community, 0.1)).unwrap();
        // c would give 1.0 but has not consented to relay.
        let p = n.strongest_path(a, org, 3).unwrap().unwrap();
        assert_eq!(p.nodes().collect::<Vec<_>>(), [a, b, org]);
        assert!((p.strength - 0.72).abs() < 1e-6);
        assert_eq!(
            n.describe(&p),
            "a -(alumni 0.80)- b -(organisational 0.90)- org"
        );
        // c can still be an end.
        assert_eq!(n.strongest_path(org, c, 1).unwrap().unwrap().strength, 1.0);
        // With one hop only the direct, weak tie remains.
        let p = n.strongest_path(a, org, 1).unwrap().unwrap();
        assert_eq!((p.hops.len(), p.strength), (1, 0.1));
        assert!(n.strongest_path(a, org, 0).unwrap().is_none());
        let r = p.reversed();
        assert_eq!((r.start, r.end()), (org, a));
    }

    #[test]
    fn bad_ties_are_refused() {
        let mut n = Network::new();
        let a = n.add_node("a", NodeKind::Person, true).unwrap();
        let b = n.add_node("b", NodeKind::Person, true).unwrap();
        assert!(n.add_node("a", NodeKind::Person, true).is_err());
        for s in [0.0, -0.5, 1.5, f32::NAN, f32::INFINITY] {
            assert!(n.add_tie(a, b, tie(TieKind::Family, s)).is_err(), "{s}");
        }
        assert!(n.add_tie(a, a, tie(TieKind::Family, 0.5)).is_err());
        assert!(matches!(
            n.add_tie(a, NodeId::new(9), tie(TieKind::Family, 0.5))
                .unwrap_err()
                .kind(),
            ErrorKind::UnknownId { .. }
        ));
        assert!(n.strengths_from(NodeId::new(9), 2).is_err());
        assert_eq!(n.tie_count(), 0);
    }
}
