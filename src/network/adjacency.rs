//! Who is tied to whom, as compressed rows over the crate's node ids, for the searches.

use super::kinds::{Tie, TieKind};

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
        row.binary_search(&b).ok().map(|i| self.tie_at(r.start + i))
    }

    /// The tie of entry `i`.
    pub(crate) fn tie_at(&self, i: usize) -> Tie {
        Tie {
            kind: self.kind[i],
            strength: self.strength[i],
        }
    }

    pub(crate) fn bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.to.capacity() * 4
            + self.strength.capacity() * 4
            + self.kind.capacity()
            + self.relay.capacity()
    }
}
