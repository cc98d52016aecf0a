//! The walk of one tier: its profiles marked seen, and those that pass the required filter and
//! the counts gathered in `cands` for the flush.
//!
//! A large tier is walked as a bitset, in id order, a chunk of words at a time: the counts'
//! test then runs once per word, and whenever `3 k` profiles are gathered (then twice as
//! many, and so on) they are scored at once. The limit rises as the walk goes, so the counts are set again and the later
//! profiles meet a higher bar; and once the top `k` is full of profiles at the ceiling, the
//! walk stops at the `k`-th id (see `ties.rs`). A small tier is walked list by list.

use crate::index::Part;
use crate::util::bitset;

use super::counts::HighCounts;
use super::scratch::{Scratch, Speakers};
use super::top_k::Search;

/// Words of a large tier gathered between two looks at how many profiles are waiting.
const CHUNK_WORDS: usize = 64;

/// The pattern words of word `w` for [`HighCounts::keep`]: the profiles the host's search
/// reached (none when it reached nobody), and those that may speak an asked language (all
/// when that is not known).
fn pattern(reach: &[u64], speak: &Speakers, w: usize) -> [u64; 2] {
    [
        reach.get(w).copied().unwrap_or(0),
        speak.bits.get(w).copied().unwrap_or(u64::MAX),
    ]
}

impl Search<'_, '_> {
    /// Walks tier `tier` of term `term` and marks it read: as a bitset when it is `large`
    /// (and then scoring as it goes), else list by list. `filtered` says whether the required
    /// filter (in the scratch's `filter`) applies; the counts, when given, were set for
    /// `limit`.
    pub(super) fn walk(
        &mut self,
        term: usize,
        tier: usize,
        counts: Option<&mut HighCounts>,
        filtered: bool,
        limit: f64,
        large: bool,
    ) {
        if large {
            self.walk_bits(term, tier, counts, filtered, limit);
        } else {
            self.walk_lists(term, tier, counts.as_deref(), filtered, limit);
        }
        self.terms.terms[term].next = tier + 1;
    }

    /// Walks a large tier as a bitset in id order, scoring the profiles gathered in batches of
    /// `3 k`, then twice as many, and so on.
    fn walk_bits(
        &mut self,
        term: usize,
        tier: usize,
        mut counts: Option<&mut HighCounts>,
        filtered: bool,
        #[cfg_attr(not(test), allow(unused_variables))] limit: f64,
    ) {
        // The limit the counts were last set for (the audit checks their cuts against it).
        #[cfg(test)]
        let mut limit = limit;
        let (index, words) = (self.index, self.words);
        let dense = self.terms.dense_tier(index, term, tier);
        if dense.is_none() {
            self.s.tier_bits.get(&self.terms, index, term, tier, words);
        }
        let mut batch = self.k.saturating_mul(3).max(4 * super::BATCH);
        let mut chunk = [0u64; CHUNK_WORDS];
        #[cfg(test)]
        let mut newly = Vec::new();
        let mut w = 0;
        // Profiles past the tie cut are left unseen: no tier can bring them in.
        let mut cut = self.tie_cut();
        while w < words.min(cut as usize / 64 + 1) {
            let end = (w + CHUNK_WORDS).min(words.min(cut as usize / 64 + 1));
            let bits = match dense {
                Some(d) => d,
                None => self.s.tier_bits.peek(term, tier).unwrap_or(&[]),
            };
            for (c, v) in chunk.iter_mut().zip(w..end) {
                *c = bits.get(v).copied().unwrap_or(0);
            }
            self.gather(
                w,
                &chunk[..end - w],
                counts.as_deref(),
                filtered,
                cut,
                #[cfg(test)]
                &mut newly,
            );
            w = end;
            if self.s.cands.len() >= batch {
                #[cfg(test)]
                {
                    self.audit_walk(&newly, counts.as_deref(), filtered, limit);
                    newly.clear();
                }
                let now = self.threshold();
                let sigs = self.terms.signatures(now);
                self.flush(&sigs, now, counts.as_deref());
                cut = self.tie_cut();
                // Each batch twice the last: a few flushes fill the top and reach the tie
                // cut, and the rest of a tier is scored best bound first, mostly in one.
                batch = batch.saturating_mul(2);
                if let Some(c) = counts.as_deref_mut() {
                    let now = self.threshold();
                    c.set_needs(&self.terms.needs(now), self.fixed());
                    #[cfg(test)]
                    {
                        limit = now;
                    }
                }
            }
        }
        #[cfg(test)]
        {
            self.audit_walk(&newly, counts.as_deref(), filtered, limit);
            let bits = dense.or_else(|| self.s.tier_bits.peek(term, tier));
            let left: Vec<u32> = bitset::ones(bits.unwrap_or(&[]))
                .filter(|&i| !bitset::contains(&self.s.seen, i as usize))
                .collect();
            for i in left {
                assert!(i > cut, "the walk left profile {i} below the cut {cut}");
                self.audit_tie(i);
            }
        }
    }

    /// Marks the profiles of words `w0..` (`chunk`) not seen yet and at most `cut` as seen,
    /// and gathers those that pass the required filter and the counts.
    fn gather(
        &mut self,
        w0: usize,
        chunk: &[u64],
        counts: Option<&HighCounts>,
        filtered: bool,
        cut: u32,
        #[cfg(test)] newly: &mut Vec<u32>,
    ) {
        let store = &self.index.store;
        let Scratch {
            seen,
            filter,
            cands,
            reach,
            speak,
            tier_bits,
            ..
        } = &mut *self.s;
        for (w, &b) in (w0..).zip(chunk) {
            let new = b & !seen[w] & bitset::at_most(w, cut);
            seen[w] |= new;
            #[cfg(test)]
            newly.extend(bitset::ids_in(w, new));
            let mut cand = if filtered { new & filter[w] } else { new };
            if cand == 0 {
                continue;
            }
            if let Some(c) = counts {
                let bits = pattern(reach, speak, w);
                cand &= c.keep(w, bits);
                if cand != 0 {
                    cand = c.weigh(tier_bits, w, cand, bits);
                }
            }
            for i in bitset::ids_in(w, cand) {
                store.prefetch_head(i as usize);
                cands.push(i);
            }
        }
    }

    /// Walks a small tier list by list.
    fn walk_lists(
        &mut self,
        term: usize,
        tier: usize,
        counts: Option<&HighCounts>,
        filtered: bool,
        #[cfg_attr(not(test), allow(unused_variables))] limit: f64,
    ) {
        let index = self.index;
        let cut = self.tie_cut();
        let Scratch {
            seen,
            filter,
            cands,
            reach,
            speak,
            ..
        } = &mut *self.s;
        let filter_at = |w: usize| if filtered { filter[w] } else { u64::MAX };
        let keep = |w: usize| counts.map_or(u64::MAX, |c| c.keep(w, pattern(reach, speak, w)));
        #[cfg(test)]
        let (mut newly, mut tied) = (Vec::new(), Vec::new());
        let mut take = |i: u32| {
            let (w, bit) = bitset::slot(i as usize);
            if seen[w] & bit != 0 {
                return;
            }
            if i > cut {
                #[cfg(test)]
                tied.push(i);
                return;
            }
            seen[w] |= bit;
            #[cfg(test)]
            newly.push(i);
            if filter_at(w) & bit != 0 && keep(w) & bit != 0 {
                index.store.prefetch_head(i as usize);
                cands.push(i);
            }
        };
        self.terms.read_tier(index, term, tier, |part| match part {
            Part::Id(i) => take(i),
            Part::Bits(bits) => bitset::ones(bits).for_each(&mut take),
        });
        #[cfg(test)]
        {
            self.audit_walk(&newly, counts, filtered, limit);
            tied.iter().for_each(|&i| self.audit_tie(i));
        }
    }
}
