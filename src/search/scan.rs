//! The search for opportunities that use the components beyond work (a ticket, a funding gap,
//! a sector, causes, countries of settlement sought): every profile that accepts the
//! opportunity's kind of engagement is scored by the brute-force scorer's own function, so
//! the list is the brute force's by construction.
//!
//! Such opportunities are few beside those of work, and their kinds (investment, donation,
//! tourism) are accepted by a part of the registry only; the postings per sector and cause
//! and the bucketed capital ranges that would let the MaxScore search of `top_k.rs` bound
//! them are not built yet.

use crate::index::Index;
use crate::score::{Components, Scorer, Target};
use crate::util::{TopK, bitset};

impl Index {
    /// The exact top `k` for an opportunity by scoring every profile that accepts its kind.
    pub(crate) fn scan(
        &self,
        scorer: &Scorer<'_>,
        target: &Target<'_>,
        k: usize,
    ) -> TopK<Components> {
        let o = target.opportunity;
        let mut top = TopK::new(k);
        let Some(engaged) = self.engaged.get(o.engagement as usize) else {
            return top;
        };
        for id in bitset::ones(engaged.words()) {
            let view = self.store.view(id as usize);
            if let Some((score, components)) = scorer.score(&view, target) {
                top.push(score, id, components);
            }
        }
        top
    }
}
