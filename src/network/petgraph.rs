//! `&Network` as a [`petgraph`] graph: petgraph's traversals and algorithms (breadth-first
//! search, Dijkstra, connected components, ...) run on the network as they are.
//!
//! The graph petgraph sees is the compact adjacency the referral searches read: undirected,
//! one edge per pair of tied nodes (their strongest tie), weighted by [`Tie`], with every node
//! whatever its consent (consent is a rule of the referral searches, not of the graph). A
//! removed node is not among the node identifiers and has no edges; ids keep their holes,
//! so the graph is [`NodeIndexable`] but not compact.
//!
//! ```
//! use diaspora_match::{Network, NodeKind, Tie, TieKind};
//! use petgraph::algo::dijkstra;
//! let mut n = Network::new();
//! let a = n.add_node("a", NodeKind::Person, true)?;
//! let b = n.add_node("b", NodeKind::Person, true)?;
//! let c = n.add_node("c", NodeKind::Organisation, true)?;
//! n.add_tie(a, b, Tie { kind: TieKind::Family, strength: 0.5 })?;
//! n.add_tie(b, c, Tie { kind: TieKind::Organisational, strength: 0.5 })?;
//! // Hops from `a` to every node it reaches.
//! let hops = dijkstra(&n, a, None, |_| 1u32);
//! assert_eq!((hops[&a], hops[&b], hops[&c]), (0, 1, 2));
//! # Ok::<(), diaspora_match::Error>(())
//! ```

use std::collections::HashSet;

use petgraph::Undirected;
use petgraph::visit::{
    Data, EdgeRef, GraphBase, GraphProp, GraphRef, IntoEdgeReferences, IntoEdges, IntoNeighbors,
    IntoNodeIdentifiers, NodeCount, NodeIndexable, Visitable,
};

use crate::id::NodeId;

use super::adjacency::Adjacency;
use super::{Network, NodeKind, Tie};

/// One edge of the network as petgraph sees it: two tied nodes and their strongest tie.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TieRef {
    source: NodeId,
    target: NodeId,
    tie: Tie,
}

impl EdgeRef for TieRef {
    type NodeId = NodeId;
    type EdgeId = (NodeId, NodeId);
    type Weight = Tie;

    fn source(&self) -> NodeId {
        self.source
    }

    fn target(&self) -> NodeId {
        self.target
    }

    fn weight(&self) -> &Tie {
        &self.tie
    }

    /// The two ends, the smaller id first: the same for both directions of a tie.
    fn id(&self) -> (NodeId, NodeId) {
        (self.source.min(self.target), self.source.max(self.target))
    }
}

/// The edges of one node ([`IntoEdges::edges`]) or of the whole network, each once
/// ([`IntoEdgeReferences::edge_references`]), by node id then neighbour id.
#[derive(Clone, Debug)]
pub struct TieRefs<'a> {
    adjacency: &'a Adjacency,
    /// The node whose row is read, and where in the row.
    node: u32,
    at: usize,
    /// Every node's row, each tie from its smaller end; or the one node's row.
    all: bool,
}

impl Iterator for TieRefs<'_> {
    type Item = TieRef;

    fn next(&mut self) -> Option<TieRef> {
        let adj = self.adjacency;
        loop {
            let row = adj.neighbours(self.node);
            while self.at < row.end {
                let i = self.at;
                self.at += 1;
                if self.all && adj.to[i] < self.node {
                    continue;
                }
                return Some(TieRef {
                    source: NodeId::new(self.node),
                    target: NodeId::new(adj.to[i]),
                    tie: adj.tie_at(i),
                });
            }
            let next = self.node + 1;
            if !self.all || next as usize >= adj.relay.len() {
                return None;
            }
            self.node = next;
            self.at = adj.neighbours(next).start;
        }
    }
}

/// The neighbours of one node ([`IntoNeighbors::neighbors`]), by id.
#[derive(Clone, Debug)]
pub struct Neighbours<'a>(TieRefs<'a>);

impl Iterator for Neighbours<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        self.0.next().map(|t| t.target)
    }
}

/// The nodes in the network, by id ([`IntoNodeIdentifiers::node_identifiers`]).
#[derive(Clone, Debug)]
pub struct NodeIds<'a> {
    network: &'a Network,
    next: u32,
}

impl Iterator for NodeIds<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        while (self.next as usize) < self.network.id_bound() {
            let n = NodeId::new(self.next);
            self.next += 1;
            if self.network.contains(n) {
                return Some(n);
            }
        }
        None
    }
}

impl Network {
    fn row(&self, node: NodeId, all: bool) -> TieRefs<'_> {
        let adjacency = self.adjacency();
        TieRefs {
            adjacency,
            node: node.as_u32(),
            at: adjacency.neighbours(node.as_u32()).start,
            all,
        }
    }
}

impl GraphBase for &Network {
    type EdgeId = (NodeId, NodeId);
    type NodeId = NodeId;
}

impl GraphRef for &Network {}

impl Data for &Network {
    type NodeWeight = NodeKind;
    type EdgeWeight = Tie;
}

impl GraphProp for &Network {
    type EdgeType = Undirected;
}

impl NodeCount for &Network {
    fn node_count(&self) -> usize {
        Network::node_count(self)
    }
}

impl NodeIndexable for &Network {
    fn node_bound(&self) -> usize {
        self.id_bound()
    }

    fn to_index(&self, a: NodeId) -> usize {
        a.index()
    }

    fn from_index(&self, i: usize) -> NodeId {
        NodeId::new(i as u32)
    }
}

impl<'a> IntoNeighbors for &'a Network {
    type Neighbors = Neighbours<'a>;

    fn neighbors(self, a: NodeId) -> Neighbours<'a> {
        Neighbours(self.row(a, false))
    }
}

impl<'a> IntoEdges for &'a Network {
    type Edges = TieRefs<'a>;

    fn edges(self, a: NodeId) -> TieRefs<'a> {
        self.row(a, false)
    }
}

impl<'a> IntoEdgeReferences for &'a Network {
    type EdgeRef = TieRef;
    type EdgeReferences = TieRefs<'a>;

    fn edge_references(self) -> TieRefs<'a> {
        self.row(NodeId::new(0), true)
    }
}

impl<'a> IntoNodeIdentifiers for &'a Network {
    type NodeIdentifiers = NodeIds<'a>;

    fn node_identifiers(self) -> NodeIds<'a> {
        NodeIds {
            network: self,
            next: 0,
        }
    }
}

impl Visitable for &Network {
    type Map = HashSet<NodeId>;

    fn visit_map(&self) -> HashSet<NodeId> {
        HashSet::new()
    }

    fn reset_map(&self, map: &mut HashSet<NodeId>) {
        map.clear();
    }
}
