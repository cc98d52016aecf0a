//! The graph of connections between people and organisations, and referral paths through it.
//!
//! Nodes are people (profiles, and contacts who are not profiles) and organisations, each with
//! the crate's own [`NodeId`] and a pseudonymous key. Ties are undirected, with a
//! [`TieKind`] and a strength in `(0, 1]`. The strength of a path is the product of its tie
//! strengths, so a path is never stronger than its weakest tie and longer paths are weaker.
//!
//! Consent: a person who has not agreed to act as an intermediary never appears *inside* a
//! path, only at one of its ends. Organisations can always relay.
//!
//! The graph is stored in a [`petgraph`] graph; petgraph's node indices never leave this
//! module.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

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
#[derive(Clone, Default)]
pub struct Network {
    graph: UnGraph<NodeData, Tie>,
    keys: Vec<String>,
    by_key: HashMap<String, NodeId>,
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("nodes", &self.graph.node_count())
            .field("ties", &self.graph.edge_count())
            .finish()
    }
}

impl Network {
    /// An empty network.
    pub fn new() -> Network {
        Network::default()
    }

    /// Adds a node.
    ///
    /// `intermediary` is the consent to appear inside other people's referral paths; it is
    /// ignored for organisations, which can always relay.
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
        let intermediary = intermediary || kind == NodeKind::Organisation;
        self.graph.add_node(NodeData { kind, intermediary });
        self.keys.push(key.to_string());
        self.by_key.insert(key.to_string(), id);
        Ok(id)
    }

    /// Adds an undirected tie. Several ties between the same two nodes are allowed (a
    /// colleague who is also a cousin); paths use the strongest.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for a node that is not in the network; [`ErrorKind::Argument`]
    /// for a tie from a node to itself or a strength that is not in `(0, 1]` (NaN included).
    pub fn add_tie(&mut self, a: NodeId, b: NodeId, tie: Tie) -> Result<()> {
        for n in [a, b] {
            if n.index() >= self.keys.len() {
                return Err(Error::unknown_id("node", n.as_u32(), self.keys.len()));
            }
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
        Ok(())
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.keys.len()
    }

    /// Number of ties.
    pub fn tie_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node with a key.
    pub fn node(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// The key of a node (empty for an unknown id).
    pub fn key(&self, node: NodeId) -> &str {
        self.keys.get(node.index()).map_or("", String::as_str)
    }

    /// The kind of a node.
    pub fn kind(&self, node: NodeId) -> Option<NodeKind> {
        self.graph.node_weight(ix(node)).map(|n| n.kind)
    }

    /// Whether a node may appear inside a path (organisations always may).
    pub fn is_intermediary(&self, node: NodeId) -> bool {
        self.graph
            .node_weight(ix(node))
            .is_some_and(|n| n.intermediary)
    }

    /// Number of ties of a node.
    pub fn degree(&self, node: NodeId) -> usize {
        if node.index() >= self.keys.len() {
            return 0;
        }
        self.graph.edges(ix(node)).count()
    }

    /// The ties of a node: the other end and the tie, in insertion order.
    pub fn ties(&self, node: NodeId) -> impl Iterator<Item = (NodeId, Tie)> + '_ {
        let valid = node.index() < self.keys.len();
        valid
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

    /// Every tie once, as `(a, b, tie)` in insertion order.
    pub fn all_ties(&self) -> impl Iterator<Item = (NodeId, NodeId, Tie)> + '_ {
        self.graph.edge_references().map(|e| {
            (
                NodeId::new(e.source().index() as u32),
                NodeId::new(e.target().index() as u32),
                *e.weight(),
            )
        })
    }

    /// The strongest path strength from `source` to every node within `max_hops` ties,
    /// respecting consent.
    ///
    /// The scorer calls this once per opportunity (from its host) instead of one search per
    /// candidate.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] when `source` is not in the network.
    ///
    /// # Complexity
    ///
    /// A hop-bounded Bellman-Ford: each round relaxes only the nodes improved in the round
    /// before, so the cost is bounded by `max_hops` times the ties of the reached nodes.
    pub fn strengths_from(&self, source: NodeId, max_hops: u8) -> Result<Strengths> {
        if source.index() >= self.keys.len() {
            return Err(Error::unknown_id("node", source.as_u32(), self.keys.len()));
        }
        let mut best: HashMap<NodeId, f32> = HashMap::new();
        best.insert(source, 1.0);
        // layers[h] holds, for the nodes improved by a walk of exactly h + 1 ties, the value
        // and the predecessor on layer h - 1 (or the source).
        let mut layers: Vec<HashMap<NodeId, (f32, NodeId)>> = Vec::new();
        let mut frontier: Vec<(NodeId, f32)> = vec![(source, 1.0)];
        for _ in 0..max_hops {
            let mut next: HashMap<NodeId, (f32, NodeId)> = HashMap::new();
            for &(u, su) in &frontier {
                if u != source && !self.is_intermediary(u) {
                    continue;
                }
                for (v, tie) in self.ties(u) {
                    if v == source {
                        continue;
                    }
                    let c = su * tie.strength;
                    if best.get(&v).is_some_and(|&b| c <= b) {
                        continue;
                    }
                    let e = next.entry(v).or_insert((c, u));
                    if c > e.0 || (c == e.0 && u < e.1) {
                        *e = (c, u);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            for (&v, &(c, _)) in &next {
                best.insert(v, c);
            }
            frontier = next.iter().map(|(&v, &(c, _))| (v, c)).collect();
            frontier.sort_unstable_by_key(|e| e.0);
            layers.push(next);
        }
        best.remove(&source);
        Ok(Strengths {
            source,
            best,
            layers,
        })
    }

    /// The strongest path from `from` to `to` within `max_hops` ties, or `None`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] when either node is not in the network.
    pub fn strongest_path(&self, from: NodeId, to: NodeId, max_hops: u8) -> Result<Option<Path>> {
        if to.index() >= self.keys.len() {
            return Err(Error::unknown_id("node", to.as_u32(), self.keys.len()));
        }
        let s = self.strengths_from(from, max_hops)?;
        Ok(s.path_to(self, to))
    }

    /// The strongest tie between two nodes.
    fn tie_between(&self, a: NodeId, b: NodeId) -> Option<Tie> {
        self.graph
            .edges_connecting(ix(a), ix(b))
            .map(|e| *e.weight())
            .max_by(|x, y| x.strength.total_cmp(&y.strength).then(y.kind.cmp(&x.kind)))
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
}

/// The answer of [`Network::strengths_from`]: strongest path strengths from one node.
#[derive(Clone, Debug)]
pub struct Strengths {
    source: NodeId,
    best: HashMap<NodeId, f32>,
    layers: Vec<HashMap<NodeId, (f32, NodeId)>>,
}

impl Strengths {
    /// The node searched from.
    pub fn source(&self) -> NodeId {
        self.source
    }

    /// The strongest path strength to a node, `None` when it is not reached (or is the source).
    pub fn get(&self, node: NodeId) -> Option<f32> {
        self.best.get(&node).copied()
    }

    /// Number of nodes reached.
    pub fn len(&self) -> usize {
        self.best.len()
    }

    /// Whether no node was reached.
    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// The strongest path from the source to `node`, with the fewest ties among the strongest.
    pub fn path_to(&self, network: &Network, node: NodeId) -> Option<Path> {
        let strength = self.get(node)?;
        // The first layer on which the node got its final value.
        let layer = self
            .layers
            .iter()
            .position(|l| l.get(&node).is_some_and(|e| e.0 == strength))?;
        let mut rev = Vec::with_capacity(layer + 1);
        let mut v = node;
        for h in (0..=layer).rev() {
            let &(_, u) = self.layers[h].get(&v)?;
            rev.push((u, v));
            v = u;
        }
        let hops = rev
            .into_iter()
            .rev()
            .map(|(u, v)| network.tie_between(u, v).map(|tie| Hop { to: v, tie }))
            .collect::<Option<Vec<_>>>()?;
        Some(Path {
            start: self.source,
            hops,
            strength,
        })
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
