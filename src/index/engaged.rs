//! Per engagement kind, the profiles that accept it: a bitset over profile ids, and for the
//! kinds beyond work (investment, donation, tourism) the profiles' [`digest`]s in id order,
//! the `j`-th digest being the `j`-th profile of the bitset.
//!
//! The search for an opportunity beyond work bounds every profile that accepts its kind
//! from its digest: read from one dense array, a query streams 8 bytes per such profile,
//! not a cache line. A work kind keeps no digests (work is searched by its postings); a work
//! opportunity that also uses the components beyond work (countries of settlement sought)
//! computes them from the store.

use crate::model::Engagement;
use crate::util::Bitset;
use crate::util::bitset::rank;

use super::digest;
use super::store::ProfileStore;

/// Whether a kind keeps its profiles' digests.
fn dense(kind: Engagement) -> bool {
    matches!(
        kind,
        Engagement::Invest | Engagement::Donate | Engagement::Tourism
    )
}

/// Who accepts each kind, and their digests for the kinds beyond work.
#[derive(Clone, Debug, Default)]
pub(crate) struct Engaged {
    sets: Vec<Bitset>,
    /// Per kind, the digests of the profiles in its set, in id order; empty for work kinds.
    digests: Vec<Vec<u64>>,
}

impl Engaged {
    /// Who accepts each kind in a compiled store.
    pub(crate) fn build(store: &ProfileStore) -> Engaged {
        let n = store.len();
        let mut e = Engaged {
            sets: vec![Bitset::with_capacity(n); Engagement::ALL.len()],
            digests: vec![Vec::new(); Engagement::ALL.len()],
        };
        for i in 0..n {
            let kinds = store.engagements(i);
            if kinds.is_empty() {
                continue;
            }
            let d = kinds.iter().any(dense).then(|| digest::of(&store.view(i)));
            for kind in kinds.iter() {
                e.sets[kind as usize].insert(i);
                if let (true, Some(d)) = (dense(kind), d) {
                    e.digests[kind as usize].push(d);
                }
            }
        }
        for d in &mut e.digests {
            d.shrink_to_fit();
        }
        e
    }

    /// The words of the bitset of the profiles that accept `kind`.
    pub(crate) fn words(&self, kind: Engagement) -> &[u64] {
        self.sets.get(kind as usize).map_or(&[], |s| s.words())
    }

    /// The digests of the profiles that accept `kind`, in id order; `None` for a work kind.
    pub(crate) fn digests(&self, kind: Engagement) -> Option<&[u64]> {
        dense(kind).then(|| self.digests[kind as usize].as_slice())
    }

    /// Whether profile `i` accepts any kind.
    #[cfg(test)]
    pub(crate) fn any(&self, i: usize) -> bool {
        self.sets.iter().any(|s| s.contains(i))
    }

    /// Lists profile `i` of the store under each kind it accepts.
    pub(crate) fn insert(&mut self, store: &ProfileStore, i: usize) {
        let view = store.view(i);
        for kind in view.engagements.iter() {
            let k = kind as usize;
            if dense(kind) {
                let at = rank(self.sets[k].words(), i);
                self.digests[k].insert(at, digest::of(&view));
            }
            self.sets[k].insert(i);
        }
    }

    /// Takes profile `i` out of every kind.
    pub(crate) fn remove(&mut self, i: usize) {
        for (k, set) in self.sets.iter_mut().enumerate() {
            if !set.contains(i) {
                continue;
            }
            if dense(Engagement::ALL[k]) {
                let at = rank(set.words(), i);
                self.digests[k].remove(at);
            }
            set.remove(i);
        }
    }

    /// Bytes of the bitsets and the digests.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.sets.iter().map(|s| s.words().len() * 8).sum::<usize>()
            + self.digests.iter().map(|d| d.capacity() * 8).sum::<usize>()
    }
}
