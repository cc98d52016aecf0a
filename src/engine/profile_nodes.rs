//! [`ProfileNodes`]: each profile's network node and each node's profile. A profile's key is
//! its node's key, kept once, in the network's key arena: the engine holds no second copy of
//! the keys and no second key table (about 22 bytes a profile at a million), only these two
//! `u32` arrays (8 bytes).

use crate::id::NodeId;
use crate::network::Network;
use crate::snapshot::format::{In, Out};

/// No node, no profile.
const NONE: u32 = u32::MAX;

/// The node of every local profile id and the profile of every node id.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfileNodes {
    /// Node per local profile id; [`NONE`] for a place given to no profile (erased, or empty
    /// in the dataset).
    node: Vec<u32>,
    /// Local profile id per node id; [`NONE`] for a node that is no profile's (a contact or an
    /// organisation) and beyond the last node a profile holds.
    profile: Vec<u32>,
}

impl ProfileNodes {
    /// One more than the largest local profile id given.
    pub(crate) fn len(&self) -> usize {
        self.node.len()
    }

    /// The node of local profile `i`, `None` for a place given to no profile.
    pub(crate) fn node(&self, i: u32) -> Option<NodeId> {
        self.node
            .get(i as usize)
            .filter(|&&n| n != NONE)
            .map(|&n| NodeId::new(n))
    }

    /// Whether local profile `i` is present.
    pub(crate) fn contains(&self, i: u32) -> bool {
        self.node(i).is_some()
    }

    /// The local profile whose node is `n`.
    pub(crate) fn profile(&self, n: NodeId) -> Option<u32> {
        self.profile.get(n.index()).copied().filter(|&i| i != NONE)
    }

    /// The key of local profile `i` (its node's), empty for a place given to no profile.
    pub(crate) fn key<'a>(&self, i: u32, network: &'a Network) -> &'a str {
        self.node(i).map_or("", |n| network.key(n))
    }

    /// The local profile with a key.
    pub(crate) fn find(&self, key: &str, network: &Network) -> Option<u32> {
        network.node(key).and_then(|n| self.profile(n))
    }

    /// Gives the next local id to the profile of node `n`; fails with the profile that holds
    /// `n` already.
    pub(crate) fn push(&mut self, n: NodeId) -> Result<u32, u32> {
        let i = self.node.len() as u32;
        self.claim(i, n)?;
        self.node.push(n.as_u32());
        Ok(i)
    }

    /// Gives the next local id to no node (yet): an erased profile's place, or one whose node
    /// is added later ([`ProfileNodes::set`]).
    pub(crate) fn skip(&mut self) -> u32 {
        self.node.push(NONE);
        self.node.len() as u32 - 1
    }

    /// Gives node `n` to local profile `i`, which holds none yet.
    pub(crate) fn set(&mut self, i: u32, n: NodeId) -> Result<(), u32> {
        debug_assert_eq!(self.node.get(i as usize), Some(&NONE));
        self.claim(i, n)?;
        if let Some(slot) = self.node.get_mut(i as usize) {
            *slot = n.as_u32();
        }
        Ok(())
    }

    fn claim(&mut self, i: u32, n: NodeId) -> Result<(), u32> {
        if let Some(holder) = self.profile(n) {
            return Err(holder);
        }
        if self.profile.len() <= n.index() {
            self.profile.resize(n.index() + 1, NONE);
        }
        self.profile[n.index()] = i;
        Ok(())
    }

    /// Forgets local profile `i`'s node (the node itself is the network's to remove).
    pub(crate) fn remove(&mut self, i: u32) {
        if let Some(n) = self.node(i) {
            self.profile[n.index()] = NONE;
            self.node[i as usize] = NONE;
        }
    }

    /// Gives back the room reserved for growth.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.node.shrink_to_fit();
        self.profile.shrink_to_fit();
    }

    /// Bytes held on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        4 * (self.node.capacity() + self.profile.capacity())
    }

    /// Writes every profile's node in id order ([`NONE`] for none).
    pub(crate) fn write(&self, out: &mut Out) {
        out.u64(self.node.len() as u64);
        for &n in &self.node {
            out.u32(n);
        }
    }

    /// Reads the nodes written by [`ProfileNodes::write`], refusing a node the network does
    /// not hold, a removed one, or one given to two profiles.
    pub(crate) fn read(input: &mut In<'_>, network: &Network) -> crate::error::Result<Self> {
        let n = input.len(4)?;
        let mut nodes = ProfileNodes {
            node: Vec::with_capacity(n),
            profile: Vec::with_capacity(network.id_bound()),
        };
        for _ in 0..n {
            let v = input.u32()?;
            let node = (v != NONE).then(|| NodeId::new(v));
            if node.is_some_and(|v| !network.contains(v)) {
                return Err(input.bad(format!(
                    "profile {}: a node the network does not hold",
                    nodes.len()
                )));
            }
            match node {
                None => {
                    nodes.skip();
                }
                Some(v) => {
                    nodes.push(v).map_err(|first| {
                        input.bad(format!(
                            "profile {}: the node of profile {first}",
                            nodes.len()
                        ))
                    })?;
                }
            }
        }
        input.end()?;
        Ok(nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NodeKind;

    #[test]
    fn profiles_find_their_nodes_keys_and_nodes_their_profiles() {
        let mut net = Network::new();
        let org = net.add_node("org", NodeKind::Organisation, true).unwrap();
        let a = net.add_node("p-a", NodeKind::Person, true).unwrap();
        let b = net.add_node("p-b", NodeKind::Person, false).unwrap();
        let mut p = ProfileNodes::default();
        assert_eq!(p.push(b), Ok(0));
        assert_eq!(p.skip(), 1);
        assert_eq!(p.push(a), Ok(2));
        assert_eq!(p.push(b), Err(0));
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p.key(0, &net), p.key(1, &net), p.key(2, &net)),
            ("p-b", "", "p-a")
        );
        assert_eq!(
            (p.find("p-a", &net), p.find("org", &net), p.find("x", &net)),
            (Some(2), None, None)
        );
        assert_eq!((p.profile(org), p.profile(a)), (None, Some(2)));
        p.remove(2);
        assert_eq!(
            (p.contains(2), p.profile(a), p.find("p-a", &net)),
            (false, None, None)
        );
        // The place is kept, and the node can be given again.
        assert_eq!(p.set(2, a), Ok(()));
        assert_eq!(p.find("p-a", &net), Some(2));
        assert_eq!(p.set(1, a), Err(2));
    }
}
