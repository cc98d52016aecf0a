//! The network: nodes and ties in compact arrays (the ties in insertion order), with the
//! compact adjacency the searches read.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use crate::error::{Error, ErrorKind, Result};
use crate::id::NodeId;
use crate::limits::Limits;
use crate::util::Keys;
use crate::util::keys::Refused;
use crate::util::text::key_problem;

use super::adjacency::Adjacency;
use super::kinds::{NodeKind, Path, Tie};

/// What the network knows of a node besides its key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NodeData {
    pub(crate) kind: NodeKind,
    pub(crate) intermediary: bool,
}

/// One tie, as added: its two ends and the tie.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) tie: Tie,
}

impl Edge {
    fn touches(&self, n: u32) -> bool {
        self.a == n || self.b == n
    }
}

/// The graph of people, organisations and ties.
///
/// Nodes are kept as one small record per id and ties as one list in the order they were
/// added (16 bytes a tie); queries run on a compact adjacency (CSR: offsets, neighbour ids,
/// strengths) built once after the last change and shared by every query and thread.
/// `&Network` is a [`petgraph`] graph too (`network/petgraph.rs`): petgraph's algorithms run
/// on it as they are.
#[derive(Clone, Default)]
pub struct Network {
    /// Kind and consent per id; a removed node keeps its kind, without consent.
    pub(crate) nodes: Vec<NodeData>,
    /// Every tie once, in insertion order; a removed node's ties are dropped.
    pub(crate) ties: Vec<Edge>,
    /// Key per id, in one arena; a removed node's key is forgotten.
    pub(crate) keys: Keys,
    pub(crate) adjacency: OnceLock<Adjacency>,
    /// What every search checks its hops and `k` against.
    pub(crate) limits: Limits,
}

impl fmt::Debug for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Network")
            .field("nodes", &self.node_count())
            .field("ties", &self.ties.len())
            .finish()
    }
}

impl Network {
    /// An empty network.
    pub fn new() -> Network {
        Network::default()
    }

    /// The limits every search checks its hop count and `k` against ([`Limits::hops`],
    /// [`Limits::paths`]); [`Limits::default`] unless set.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sets the limits of every later search.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    pub(crate) fn changed(&mut self) {
        self.adjacency = OnceLock::new();
    }

    /// Carries a node's consent into a built adjacency (the only part of it that depends on
    /// the node alone), without a rebuild.
    fn set_relay(&mut self, node: NodeId, consent: bool) {
        if let Some(relay) = self
            .adjacency
            .get_mut()
            .and_then(|adj| adj.relay.get_mut(node.index()))
        {
            *relay = consent;
        }
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
        if let Some(reason) = key_problem(key) {
            return Err(Error::argument("key", reason));
        }
        let duplicate = || -> Error {
            ErrorKind::DuplicateKey {
                at: Default::default(),
                key: key.to_string(),
                first: None,
            }
            .into()
        };
        let id = NodeId::from_index(self.keys.len())
            .filter(|_| self.keys.len() < u32::MAX as usize)
            .ok_or_else(|| Error::argument("key", "too many nodes"))?;
        // The key first: a key that is taken changes nothing.
        self.keys.push(key).map_err(|r| match r {
            Refused::Taken(_) => duplicate(),
            Refused::Full => Error::argument("key", "too many key bytes"),
        })?;
        self.nodes.push(NodeData { kind, intermediary });
        // A node without ties extends a built adjacency by an empty row.
        if let Some(adj) = self.adjacency.get_mut() {
            adj.push_isolated(intermediary);
        }
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
        self.ties.push(Edge {
            a: a.as_u32(),
            b: b.as_u32(),
            tie,
        });
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
        // The node stays as a tombstone without ties or consent: ids are never reused.
        let n = node.as_u32();
        let before = self.ties.len();
        self.ties.retain(|e| !e.touches(n));
        if let Some(w) = self.nodes.get_mut(node.index()) {
            w.intermediary = false;
        }
        self.keys.remove(node.as_u32());
        if self.ties.len() == before {
            // No row but its own changes: it just stops relaying.
            self.set_relay(node, false);
        } else if let Some(adj) = self.adjacency.get_mut() {
            adj.remove_node(n);
        }
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
        self.keys.contains(node.as_u32())
    }

    /// Number of nodes in the network.
    pub fn node_count(&self) -> usize {
        self.keys.present()
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
        self.ties.len()
    }

    /// The node with a key.
    pub fn node(&self, key: &str) -> Option<NodeId> {
        self.keys.find(key).map(NodeId::new)
    }

    /// The key of a node (empty for an unknown or removed id).
    pub fn key(&self, node: NodeId) -> &str {
        self.keys.get(node.as_u32())
    }

    /// The kind of a node.
    pub fn kind(&self, node: NodeId) -> Option<NodeKind> {
        self.contains(node)
            .then(|| self.nodes.get(node.index()).map(|n| n.kind))
            .flatten()
    }

    /// Whether a node may appear inside a path (organisations always may).
    pub fn is_intermediary(&self, node: NodeId) -> bool {
        self.contains(node) && self.nodes.get(node.index()).is_some_and(|n| n.intermediary)
    }

    /// Gives or withdraws a node's consent to appear inside other people's referral paths.
    /// Every later search honours it (the compact adjacency's flag is set in place).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`] for an unknown or removed node.
    pub fn set_intermediary(&mut self, node: NodeId, consent: bool) -> Result<()> {
        if !self.contains(node) {
            return Err(Error::unknown_id("node", node.as_u32(), self.keys.len()));
        }
        if let Some(data) = self.nodes.get_mut(node.index())
            && data.intermediary != consent
        {
            data.intermediary = consent;
            self.set_relay(node, consent);
        }
        Ok(())
    }

    /// Whether a node has any tie (from the compact adjacency: cheap once it is built).
    pub(crate) fn has_ties(&self, node: NodeId) -> bool {
        !self.adjacency().neighbours(node.as_u32()).is_empty()
    }

    /// The nodes tied to a node, each once with its strongest tie (the one every search
    /// uses), by id. Read from the compact adjacency: cheap once it is built.
    ///
    /// ```
    /// use diaspora_match::{Network, NodeKind, Tie, TieKind};
    /// let mut n = Network::new();
    /// let a = n.add_node("a", NodeKind::Person, true)?;
    /// let b = n.add_node("b", NodeKind::Person, true)?;
    /// n.add_tie(a, b, Tie { kind: TieKind::Family, strength: 0.4 })?;
    /// n.add_tie(b, a, Tie { kind: TieKind::Colleague, strength: 0.9 })?;
    /// let tied: Vec<_> = n.neighbours(a).collect();
    /// assert_eq!(tied, [(b, Tie { kind: TieKind::Colleague, strength: 0.9 })]);
    /// assert_eq!(n.degree(a), 2); // both ties count there
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    pub fn neighbours(&self, node: NodeId) -> impl Iterator<Item = (NodeId, Tie)> + '_ {
        let adj = self.adjacency();
        adj.neighbours(node.as_u32())
            .map(move |i| (NodeId::new(adj.to[i]), adj.tie_at(i)))
    }

    /// Number of ties of a node, several ties to one neighbour counted each. Scans every
    /// tie; [`Network::neighbours`] is the cheap question.
    pub fn degree(&self, node: NodeId) -> usize {
        if !self.contains(node) {
            return 0;
        }
        let n = node.as_u32();
        self.ties.iter().filter(|e| e.touches(n)).count()
    }

    /// The ties of a node: the other end and the tie, in insertion order. Scans every tie;
    /// [`Network::neighbours`] is the cheap question.
    pub fn ties(&self, node: NodeId) -> impl Iterator<Item = (NodeId, Tie)> + '_ {
        let n = node.as_u32();
        self.ties
            .iter()
            .filter(move |e| e.touches(n))
            .map(move |e| (NodeId::new(if e.a == n { e.b } else { e.a }), e.tie))
    }

    /// Every tie once, as `(a, b, tie)`, in insertion order.
    pub fn all_ties(&self) -> impl Iterator<Item = (NodeId, NodeId, Tie)> + '_ {
        self.ties
            .iter()
            .map(|e| (NodeId::new(e.a), NodeId::new(e.b), e.tie))
    }

    /// The compact adjacency, built on first use after a change.
    pub(crate) fn adjacency(&self) -> &Adjacency {
        self.adjacency
            .get_or_init(|| Adjacency::build(&self.nodes, &self.ties))
    }

    /// Gives back the room the nodes, the ties and the keys reserved for growth (the
    /// engine's build calls it: a built engine's network changes only by removals and
    /// consent).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.ties.shrink_to_fit();
        self.keys.shrink_to_fit();
    }

    /// Bytes held on the heap: the nodes, the ties, the keys, and the compact adjacency when
    /// it is built.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<NodeData>()
            + self.ties.capacity() * std::mem::size_of::<Edge>()
            + self.keys.heap_bytes()
            + self.adjacency.get().map_or(0, Adjacency::bytes)
    }

    /// Bytes of the key arena and table, part of [`Network::heap_bytes`].
    pub(crate) fn key_bytes(&self) -> usize {
        self.keys.heap_bytes()
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
    /// [`ErrorKind::UnknownId`] for a node that is not in the network;
    /// [`ErrorKind::Limit`] `hops` beyond [`Network::limits`].
    pub fn neighbourhood_dot(&self, node: NodeId, hops: u8) -> Result<String> {
        self.check(node)?;
        self.limits.check_hops(hops)?;
        let adj = self.adjacency();
        // Membership in a set: a node with 100,000 ties costs 100,000 lookups, not 10^10.
        let mut within: HashSet<u32> = HashSet::from([node.as_u32()]);
        let mut frontier = vec![node.as_u32()];
        for _ in 0..hops {
            let mut next = Vec::new();
            for &u in &frontier {
                for i in adj.neighbours(u) {
                    if within.insert(adj.to[i]) {
                        next.push(adj.to[i]);
                    }
                }
            }
            frontier = next;
        }
        let mut nodes: Vec<NodeId> = within.into_iter().map(NodeId::new).collect();
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
