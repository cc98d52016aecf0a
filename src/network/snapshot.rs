//! The network in a snapshot: every node in id order (key, kind, consent; a removed node as an
//! empty key), then every tie once, in insertion order. Reading checks the keys as
//! [`Network::add_node`] does and the ties as [`Network::add_tie`] does, then builds the key
//! table and the compact adjacency side by side.

use crate::error::Result;
use crate::id::NodeId;
use crate::snapshot::format::{In, Out};
use crate::util::Keys;

use super::adjacency::Adjacency;
use super::graph::{Edge, NodeData};
use super::{Network, NodeKind, Tie, TieKind};

impl Network {
    /// Writes the nodes and the ties.
    pub(crate) fn write(&self, out: &mut Out) {
        out.u64(self.id_bound() as u64);
        for i in 0..self.id_bound() as u32 {
            let n = NodeId::new(i);
            out.str(self.key(n));
            out.u8(u8::from(self.kind(n) == Some(NodeKind::Organisation)));
            out.u8(u8::from(self.is_intermediary(n)));
        }
        let ties: Vec<_> = self.all_ties().collect();
        out.u64(ties.len() as u64);
        for (a, b, t) in ties {
            out.u32(a.as_u32());
            out.u32(b.as_u32());
            out.u8(TieKind::ALL.iter().position(|&k| k == t.kind).unwrap_or(0) as u8);
            out.f32(t.strength);
        }
    }

    /// Reads a network written by [`Network::write`].
    pub(crate) fn read(input: &mut In<'_>) -> Result<Network> {
        let mut network = Network::new();
        let nodes = input.len(10)?;
        let mut keys = Vec::with_capacity(nodes);
        network.nodes.reserve_exact(nodes);
        for _ in 0..nodes {
            let key = input.str()?;
            let kind = match input.u8()? {
                0 => NodeKind::Person,
                1 => NodeKind::Organisation,
                _ => return Err(input.bad("an unknown node kind")),
            };
            let intermediary = match input.u8()? {
                0 => false,
                1 => true,
                _ => return Err(input.bad("a consent that is neither 0 nor 1")),
            };
            if key.is_empty() && intermediary {
                return Err(input.bad("a removed node that consents"));
            }
            keys.push(key);
            network.nodes.push(NodeData { kind, intermediary });
        }
        let ties = input.len(13)?;
        network.ties.reserve_exact(ties);
        for _ in 0..ties {
            let (a, b) = (input.u32()?, input.u32()?);
            let kind = *TieKind::ALL
                .get(usize::from(input.u8()?))
                .ok_or_else(|| input.bad("an unknown tie kind"))?;
            let strength = input.f32()?;
            // As `add_tie` checks: two different nodes, present, and a strength in (0, 1].
            let present = |n: u32| keys.get(n as usize).is_some_and(|k| !k.is_empty());
            let fits = a != b && present(a) && present(b) && strength > 0.0 && strength <= 1.0;
            if !fits {
                return Err(input.bad(format!("a tie refused: {a} to {b}, strength {strength}")));
            }
            network.ties.push(Edge {
                a,
                b,
                tie: Tie { kind, strength },
            });
        }
        input.end()?;
        // The key table and the compact adjacency at once: neither needs the other.
        let (nodes, edges) = (&network.nodes, &network.ties);
        #[cfg(feature = "rayon")]
        let (table, adjacency) =
            rayon::join(|| Keys::from_keys(&keys), || Adjacency::build(nodes, edges));
        #[cfg(not(feature = "rayon"))]
        let (table, adjacency) = (Keys::from_keys(&keys), Adjacency::build(nodes, edges));
        network.keys = table.map_err(|why| input.bad(format!("a node refused: {why}")))?;
        network.adjacency = adjacency.into();
        Ok(network)
    }
}
