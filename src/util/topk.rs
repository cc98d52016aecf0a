//! A bounded top-k buffer with a total, deterministic order: score descending, then id
//! ascending. Partial buffers (one per thread or per shard) merge into exactly the top-k of
//! the whole.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// An entry ordered so that the heap's maximum is the *worst* entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ranked<T> {
    pub(crate) score: f32,
    pub(crate) id: u32,
    pub(crate) item: T,
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T> Eq for Ranked<T> {}
impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Ranked<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.id.cmp(&other.id))
    }
}

/// The best `k` entries seen so far.
#[derive(Clone, Debug)]
pub(crate) struct TopK<T> {
    k: usize,
    heap: BinaryHeap<Ranked<T>>,
}

impl<T> TopK<T> {
    pub(crate) fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
        }
    }

    /// Offers an entry; keeps it if it is among the best `k`.
    pub(crate) fn push(&mut self, score: f32, id: u32, item: T) {
        if self.k == 0 {
            return;
        }
        let entry = Ranked { score, id, item };
        if self.heap.len() < self.k {
            self.heap.push(entry);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && entry < *worst
        {
            *worst = entry;
        }
    }

    /// Whether `k` entries are held.
    pub(crate) fn is_full(&self) -> bool {
        self.heap.len() >= self.k
    }

    /// The score of the worst entry held.
    pub(crate) fn worst_score(&self) -> Option<f32> {
        self.heap.peek().map(|e| e.score)
    }

    /// The score and id of the worst entry held.
    pub(crate) fn worst(&self) -> Option<(f32, u32)> {
        self.heap.peek().map(|e| (e.score, e.id))
    }

    /// Merges another buffer into this one.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn merge(mut self, other: TopK<T>) -> Self {
        for e in other.heap {
            self.push(e.score, e.id, e.item);
        }
        self
    }

    /// The entries, best first.
    pub(crate) fn into_sorted(self) -> Vec<Ranked<T>> {
        self.heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_with_ties_by_id() {
        let mut t = TopK::new(3);
        for (s, id) in [(0.5, 4), (0.9, 2), (0.5, 1), (0.1, 0), (0.9, 7), (0.5, 3)] {
            t.push(s, id, ());
        }
        let got: Vec<_> = t.into_sorted().iter().map(|e| (e.score, e.id)).collect();
        assert_eq!(got, [(0.9, 2), (0.9, 7), (0.5, 1)]);
        let mut a = TopK::new(2);
        let mut b = TopK::new(2);
        a.push(0.3, 1, ());
        b.push(0.3, 0, ());
        b.push(0.2, 5, ());
        let got: Vec<_> = a.merge(b).into_sorted().iter().map(|e| e.id).collect();
        assert_eq!(got, [0, 1]);
        let mut z = TopK::new(0);
        z.push(1.0, 1, ());
        assert!(z.into_sorted().is_empty());
    }
}
