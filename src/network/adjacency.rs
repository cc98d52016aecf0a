//! Who is tied to whom, as compressed rows over the crate's node ids, for the searches.

use super::graph::{Edge, NodeData};
use super::kinds::{Tie, TieKind};

/// Neighbours of every node, sorted by id, one entry per neighbour (the strongest tie).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Adjacency {
    pub(crate) offsets: Vec<u32>,
    pub(crate) to: Vec<u32>,
    pub(crate) strength: Vec<f32>,
    pub(crate) kind: Vec<TieKind>,
    /// Whether each node may be inside a path.
    pub(crate) relay: Vec<bool>,
}

impl Adjacency {
    /// Adds the row of a new node without ties.
    pub(crate) fn push_isolated(&mut self, relay: bool) {
        let end = self.offsets.last().copied().unwrap_or(0);
        self.offsets.push(end);
        self.relay.push(relay);
    }

    /// The rows of `nodes.len()` nodes from every tie; a node relays when it consents (a
    /// removed node never does).
    pub(crate) fn build(nodes: &[NodeData], ties: &[Edge]) -> Adjacency {
        let n = nodes.len();
        // Both directions of every tie, grouped by node with a counting pass (no vector per
        // node: a million people would be a million allocations).
        let mut start = vec![0u32; n + 1];
        for e in ties {
            start[e.a as usize + 1] += 1;
            start[e.b as usize + 1] += 1;
        }
        for u in 0..n {
            start[u + 1] += start[u];
        }
        let total = start[n] as usize;
        let mut fill = start.clone();
        let mut entries = vec![(0u32, 0f32, TieKind::Family); total];
        for e in ties {
            for (from, to) in [(e.a, e.b), (e.b, e.a)] {
                let at = &mut fill[from as usize];
                entries[*at as usize] = (to, e.tie.strength, e.tie.kind);
                *at += 1;
            }
        }
        drop(fill);
        let mut adj = Adjacency {
            offsets: Vec::with_capacity(n + 1),
            to: Vec::with_capacity(total),
            strength: Vec::with_capacity(total),
            kind: Vec::with_capacity(total),
            relay: nodes.iter().map(|d| d.intermediary).collect(),
        };
        adj.offsets.push(0);
        for u in 0..n {
            let row = &mut entries[start[u] as usize..start[u + 1] as usize];
            // One entry per neighbour: the strongest tie (then the first kind).
            if row.len() > 1 {
                row.sort_unstable_by(|x, y| {
                    x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2))
                });
            }
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
        }
        adj
    }

    /// Drops node `n` from every row (its own row empties; it no longer relays), in one
    /// pass that moves the entries after each dropped one down: a removal without a rebuild.
    pub(crate) fn remove_node(&mut self, n: u32) {
        let rows = self.offsets.len().saturating_sub(1);
        let (mut start, mut kept) = (0usize, 0usize);
        for u in 0..rows {
            let end = self.offsets[u + 1] as usize;
            if u != n as usize {
                for i in start..end {
                    if self.to[i] != n {
                        self.to[kept] = self.to[i];
                        self.strength[kept] = self.strength[i];
                        self.kind[kept] = self.kind[i];
                        kept += 1;
                    }
                }
            }
            // Each row's old end was read above, before its new end is written over it.
            self.offsets[u + 1] = kept as u32;
            start = end;
        }
        self.to.truncate(kept);
        self.strength.truncate(kept);
        self.kind.truncate(kept);
        if let Some(r) = self.relay.get_mut(n as usize) {
            *r = false;
        }
    }

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
