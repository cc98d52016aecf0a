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
use crate::util::bitset::rank;
use crate::util::{Bitset, map_chunks};

use super::digest;
use super::store::ProfileStore;

/// Profiles per chunk of the build, a whole number of words (small in unit tests, so that
/// their populations span several).
const CHUNK: usize = if cfg!(test) { 256 } else { 1 << 16 };

/// Whether a kind keeps its profiles' digests.
fn dense(kind: Engagement) -> bool {
    matches!(
        kind,
        Engagement::Invest | Engagement::Donate | Engagement::Tourism
    )
}

/// Who accepts each kind, and their digests for the kinds beyond work.
#[derive(Clone, Debug)]
pub(crate) struct Engaged {
    sets: Vec<Bitset>,
    /// Per kind, the digests of the profiles in its set, in id order; empty for work kinds.
    digests: Vec<Vec<u64>>,
}

impl Default for Engaged {
    /// Nobody, under every kind.
    fn default() -> Engaged {
        Engaged {
            sets: vec![Bitset::default(); Engagement::ALL.len()],
            digests: vec![Vec::new(); Engagement::ALL.len()],
        }
    }
}

impl Engaged {
    /// Who accepts each kind in a compiled store: chunks of ids in parallel (with the
    /// `rayon` feature), each its words of every kind's bitset and its digests, joined in
    /// order.
    pub(crate) fn build(store: &ProfileStore) -> Engaged {
        let n = store.len();
        let kinds = Engagement::ALL.len();
        let chunk = |c: usize| {
            let ids = c * CHUNK..n.min((c + 1) * CHUNK);
            let mut words = vec![vec![0u64; ids.len().div_ceil(64)]; kinds];
            let mut digests = vec![Vec::new(); kinds];
            for i in ids {
                let accepted = store.engagements(i);
                let d = accepted
                    .iter()
                    .any(dense)
                    .then(|| digest::of(&store.view(i)));
                for kind in accepted.iter() {
                    let k = kind as usize;
                    let at = i % CHUNK;
                    words[k][at / 64] |= 1 << (at % 64);
                    if let (true, Some(d)) = (dense(kind), d) {
                        digests[k].push(d);
                    }
                }
            }
            (words, digests)
        };
        let parts = map_chunks(0..n.div_ceil(CHUNK), chunk);
        let mut e = Engaged::default();
        for k in 0..kinds {
            let mut words: Vec<u64> = parts.iter().flat_map(|p| p.0[k].iter().copied()).collect();
            words.shrink_to_fit();
            e.sets[k] = Bitset::from_words(words);
            let mut digests: Vec<u64> = parts.iter().flat_map(|p| p.1[k].iter().copied()).collect();
            // Collected through a flattening iterator: room for up to twice as many.
            digests.shrink_to_fit();
            e.digests[k] = digests;
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
