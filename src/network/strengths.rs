//! [`Strengths`]: the strongest path strength from one node to every node within a hop
//! limit ([`Network::strengths_from`]), what the engine keeps per opportunity host.

use crate::error::Result;
use crate::id::NodeId;

use super::referral::{Ban, Layers, path_of};
use super::{Network, Path};

/// The answer of [`Network::strengths_from`]: strongest path strengths from one node.
#[derive(Clone, Debug)]
pub struct Strengths {
    source: u32,
    max_hops: u8,
    /// The search's layers, for [`Strengths::path_to`]; `None` once
    /// [`Strengths::forget_paths`] dropped them (a path is then searched again).
    layers: Option<Layers>,
    /// The reached nodes, sorted.
    nodes: Vec<u32>,
    /// Each reached node's final strength.
    strengths: Vec<f32>,
}

impl Strengths {
    fn new(layers: Layers, max_hops: u8) -> Strengths {
        let finals = layers.finals();
        Strengths {
            source: layers.source,
            max_hops,
            nodes: finals.iter().map(|e| e.0).collect(),
            strengths: finals.iter().map(|e| e.1).collect(),
            layers: Some(layers),
        }
    }

    /// Drops what only paths need (every layer of the search, about twice the rest): a path
    /// asked for later runs the search again on the network given to
    /// [`Strengths::path_to`]. An engine keeps one search per opportunity host this way and
    /// runs a host's search again whenever the network changes where it reached.
    pub(crate) fn forget_paths(&mut self) {
        self.layers = None;
    }

    /// Bytes held on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        let layers = self.layers.as_ref().map_or(0, |l| {
            l.layers
                .iter()
                .map(|v| v.capacity() * std::mem::size_of::<(u32, f32, u32)>())
                .sum::<usize>()
                + l.layers.capacity() * std::mem::size_of::<Vec<(u32, f32, u32)>>()
        });
        layers + self.nodes.capacity() * 4 + self.strengths.capacity() * 4
    }

    /// The node searched from.
    pub fn source(&self) -> NodeId {
        NodeId::new(self.source)
    }

    /// The strongest path strength to a node, `None` when it is not reached (or is the source).
    pub fn get(&self, node: NodeId) -> Option<f32> {
        self.find(node.as_u32()).map(|i| self.strengths[i])
    }

    fn find(&self, v: u32) -> Option<usize> {
        self.nodes.binary_search(&v).ok()
    }

    /// Number of nodes reached.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether no node was reached.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The reached nodes and their strengths, by node id.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, f32)> + '_ {
        self.nodes
            .iter()
            .zip(&self.strengths)
            .map(|(&n, &s)| (NodeId::new(n), s))
    }

    /// The strongest path from the source to `node`, with the fewest ties among the strongest.
    /// `network` is the one searched.
    pub fn path_to(&self, network: &Network, node: NodeId) -> Option<Path> {
        let i = self.find(node.as_u32())?;
        let (v, strength) = (self.nodes[i], self.strengths[i]);
        // Dropped layers come from the search run again.
        let run;
        let layers = match &self.layers {
            Some(l) => l,
            None => {
                run = Layers::run(
                    network.adjacency(),
                    self.source,
                    u32::from(self.max_hops),
                    &Ban::default(),
                    None,
                );
                &run
            }
        };
        let nodes = layers.nodes_to(v, layers.last_layer_of(v)?)?;
        let mut path = path_of(network.adjacency(), &nodes)?;
        // The search multiplied in the same order; keep its value exactly.
        path.strength = strength;
        Some(path)
    }
}

impl Network {
    /// The strongest path strength from `source` to every node within `max_hops` ties,
    /// respecting consent.
    ///
    /// The scorer calls this once per opportunity (from its host) instead of one search per
    /// candidate.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) when `source` is not in the network;
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) `hops` beyond [`Network::limits`].
    ///
    /// # Complexity
    ///
    /// Bounded by `max_hops` times the ties of the reached nodes; no allocation proportional
    /// to the network after the first query on a thread.
    pub fn strengths_from(&self, source: NodeId, max_hops: u8) -> Result<Strengths> {
        self.check(source)?;
        self.limits.check_hops(max_hops)?;
        let layers = Layers::run(
            self.adjacency(),
            source.as_u32(),
            u32::from(max_hops),
            &Ban::default(),
            None,
        );
        Ok(Strengths::new(layers, max_hops))
    }
}
