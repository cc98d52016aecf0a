//! The network in a snapshot: every node in id order (key, kind, consent; a removed node as an
//! empty key), then every tie once, in insertion order. Reading adds them again through the
//! same checks as [`Network::add_node`] and [`Network::add_tie`].

use crate::error::Result;
use crate::id::NodeId;
use crate::snapshot::format::{In, Out};

use super::graph::NodeData;
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
        network.nodes.reserve_exact(nodes);
        network.keys.reserve(nodes);
        for _ in 0..nodes {
            let key = input.str()?;
            let kind = match input.u8()? {
                0 => NodeKind::Person,
                1 => NodeKind::Organisation,
                _ => return Err(input.bad("an unknown node kind")),
            };
            let relay = match input.u8()? {
                0 => false,
                1 => true,
                _ => return Err(input.bad("a consent that is neither 0 nor 1")),
            };
            if key.is_empty() {
                network
                    .add_removed()
                    .map_err(|()| input.bad("too many nodes"))?;
            } else {
                network
                    .add_node(key, kind, relay)
                    .map_err(|e| input.bad(format!("a node refused: {e}")))?;
            }
        }
        let ties = input.len(13)?;
        network.ties.reserve_exact(ties);
        for _ in 0..ties {
            let (a, b) = (NodeId::new(input.u32()?), NodeId::new(input.u32()?));
            let kind = *TieKind::ALL
                .get(usize::from(input.u8()?))
                .ok_or_else(|| input.bad("an unknown tie kind"))?;
            let strength = input.f32()?;
            network
                .add_tie(a, b, Tie { kind, strength })
                .map_err(|e| input.bad(format!("a tie refused: {e}")))?;
        }
        input.end()?;
        Ok(network)
    }

    /// Adds the place of a removed node: an id given to no key, without ties.
    fn add_removed(&mut self) -> std::result::Result<(), ()> {
        self.keys.skip().map_err(|_| ())?;
        self.nodes.push(NodeData {
            kind: NodeKind::Person,
            intermediary: false,
        });
        self.changed();
        Ok(())
    }
}
