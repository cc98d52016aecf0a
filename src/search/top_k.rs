//! The search loop: the exact top `k` profiles for an opportunity, as a [`Search`] that takes
//! tiers one at a time until no unseen profile can beat the `k`-th score.
//!
//! Read top to bottom, one query is: [`Search::prepare`] (the eligibility mask, whom the
//! host's search reached), then for each tier [`Search::next`] picks, [`Search::read`]:
//! count a large tier on the other requirements' tiers ([`Terms::high_counts`]), seed the
//! likeliest profiles first ([`Search::seed`]), filter by the tiers other terms require
//! ([`Search::required_filter`]), walk the tier ([`Search::walk`]) and score what is left
//! ([`Search::flush`]: the heads' test, the cheap bound, the exact score).

use crate::index::{Index, Part, or_into};
use crate::score::{Components, Scorer, SkillTable, Target, uses_channels};
use crate::util::{TopK, bitset};

use super::Context;
#[cfg(test)]
use super::audit::Filter;
use super::bounds::{Quick, region_steps};
use super::counts::HighCounts;
use super::scratch::{SCRATCH, Scratch};
use super::terms::{Kind, Terms};
use super::{BIG, MARGIN};

impl Index {
    /// The exact top `k` profiles for an opportunity, as the brute-force scorer ranks them.
    pub(crate) fn top_k(
        &self,
        cx: &Context<'_>,
        scorer: &Scorer<'_>,
        target: &Target<'_>,
        k: usize,
    ) -> TopK<Components> {
        if k == 0 || self.store.len() == 0 {
            return TopK::new(k);
        }
        let o = target.opportunity;
        if uses_channels(o) {
            return self.channels_top_k(cx, scorer, target, k);
        }
        let table = SkillTable::new(scorer, o, self.skills_listed());
        let steps = region_steps(cx, o);
        let terms = Terms::new(self, cx, o, &table, &steps);
        let quick = Quick::new(cx, o, &steps, terms.reached);
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let n = self.store.len();
            let mut search = Search {
                index: self,
                min_score: f64::from(cx.config.min_score),
                scorer,
                target,
                table: &table,
                terms,
                quick,
                s: &mut s,
                top: TopK::new(k),
                best: vec![0f32; o.requirements.len()],
                met: vec![false; o.requirements.len()],
                window: o.window.map(|w| [w.from().days(), w.to().days()]),
                ceiling: None,
                n,
                words: n.div_ceil(64),
                k,
            };
            search.prepare();
            while let Some((term, tier)) = search.next() {
                search.read(term, tier);
            }
            search.top
        })
    }
}

/// One query's search: what it reads and scores against, its terms, the per-thread memory,
/// and the top `k` so far.
pub(super) struct Search<'q, 's> {
    pub(super) index: &'q Index,
    /// Below this nobody is listed, even when fewer than `k` are.
    pub(super) min_score: f64,
    pub(super) scorer: &'q Scorer<'q>,
    pub(super) target: &'q Target<'q>,
    pub(super) table: &'q SkillTable,
    pub(super) terms: Terms<'q>,
    pub(super) quick: Quick<'q>,
    pub(super) s: &'s mut Scratch,
    pub(super) top: TopK<Components>,
    /// The exact scorer's memory: per requirement, the best credit and whether it is met.
    pub(super) best: Vec<f32>,
    pub(super) met: Vec<bool>,
    /// The opportunity's window in days, for the availability filter.
    pub(super) window: Option<[i32; 2]>,
    /// The most a profile of the tier being read can score, in the scorer's arithmetic
    /// ([`Terms::ceiling`]).
    pub(super) ceiling: Option<f32>,
    /// Profiles, and 64-bit words of a bitset over them.
    pub(super) n: usize,
    pub(super) words: usize,
    pub(super) k: usize,
}

impl Search<'_, '_> {
    /// The score to beat: the `k`-th score once `k` are held, else the least listed.
    pub(super) fn threshold(&self) -> f64 {
        if self.top.is_full() {
            f64::from(self.top.worst_score().unwrap_or(0.0))
        } else {
            self.min_score
        }
    }

    /// Clears the scratch and marks, before any tier is read, who cannot be listed.
    fn prepare(&mut self) {
        self.s.pending.clear();
        self.s.cands.clear();
        self.eligibility();
        self.s.tier_bits.clear();
        self.reached();
        self.s.speak.clear();
    }

    /// The profiles that can be eligible: they accept the engagement and are on a tier that
    /// can meet every must-have requirement (when reading those is cheap). The ineligible are
    /// taken as seen: no walk gives them, and no walk needs to read the eligibility mask.
    fn eligibility(&mut self) {
        let (n, words) = (self.n, self.words);
        let o = self.target.opportunity;
        let Scratch { seen, mask, ok, .. } = &mut *self.s;
        seen.clear();
        seen.resize(words, 0);
        ok.clear();
        ok.extend_from_slice(self.index.engaged.words(o.engagement));
        ok.resize(words, 0);
        let terms = &self.terms;
        for t in 0..terms.terms.len() {
            let Kind::Requirement(i) = terms.terms[t].kind else {
                continue;
            };
            if !o.requirements[i].must {
                continue;
            }
            let tiers = &terms.terms[t].tiers;
            let cost: usize = tiers
                .iter()
                .filter(|x| x.must)
                .map(|x| x.cost.max(x.postings))
                .sum();
            if cost > 4 * words + n / 4 {
                continue;
            }
            mask.clear();
            mask.resize(words, 0);
            for j in (0..tiers.len()).filter(|&j| tiers[j].must) {
                terms.read_tier(self.index, t, j, |part| or_into(mask, part));
            }
            for (a, m) in ok.iter_mut().zip(mask.iter()) {
                *a &= m;
            }
        }
        for (s, a) in seen.iter_mut().zip(ok.iter()) {
            *s = !a;
        }
        #[cfg(test)]
        for i in 0..n as u32 {
            if !bitset::contains(&self.s.ok, i as usize) {
                self.audit_excluded(Filter::Eligibility, i);
            }
        }
    }

    /// Whom the host's search reached, as a bitset for the heads' test: the others' network
    /// component is 0.
    fn reached(&mut self) {
        let reach = &mut self.s.reach;
        reach.clear();
        if !self.terms.reached.is_empty() {
            reach.resize(self.words, 0);
            for &(i, _) in self.terms.reached {
                or_into(reach, Part::Id(i));
            }
        }
    }

    /// The next tier to read, or `None` when no unseen profile can beat the threshold.
    fn next(&mut self) -> Option<(usize, usize)> {
        let limit = self.threshold();
        let bound = self.terms.bound();
        let next = if bound <= 0.0 || bound + MARGIN < limit {
            None
        } else {
            self.terms.next_tier(limit, self.top.is_full())
        };
        #[cfg(test)]
        if next.is_none() {
            self.audit_end(limit);
        }
        next
    }

    /// Reads one tier: counts it when large, seeds, filters, walks and scores its profiles.
    fn read(&mut self, term: usize, tier: usize) {
        let o = self.target.opportunity;
        self.ceiling = self
            .terms
            .ceiling(o, self.scorer.config.weights_for(o.engagement));
        let mut limit = self.threshold();
        let postings = self.terms.terms[term].tiers[tier].postings;
        // A large tier: walked as a bitset, its profiles counted on the best tiers of the
        // other requirements, word by word.
        let large = postings >= (self.n / 64).max(BIG);
        let mut counts = if large {
            let words = self.words;
            let tier_bits = &mut self.s.tier_bits;
            self.terms.high_counts(
                self.index,
                term,
                count_budget(postings, words),
                words,
                tier_bits,
            )
        } else {
            None
        };
        let finishing = {
            let after = self.terms.bound_with(Some(term));
            after <= 0.0 || after + MARGIN < limit
        };
        if let Some(c) = counts.as_mut()
            && self.worth_seeding(c, finishing, limit)
        {
            self.seed(term, tier, c);
            limit = self.threshold();
        }
        // Taken before the tier is marked read: its profiles are on it.
        let sigs = self.terms.signatures(limit);
        let filtered = self.required_filter(term, limit, postings);
        // The counts' filter is applied word by word as the tier is walked (only where it
        // has profiles left).
        if let Some(c) = counts.as_mut() {
            c.set_needs(&self.terms.needs(limit), self.fixed());
        }
        self.walk(term, tier, counts.as_mut(), filtered, limit, large);
        self.flush(&sigs, limit, counts.as_ref());
        if let Some(c) = counts {
            self.s.tier_bits.planes = Some((c.key, c.planes));
        }
    }

    /// Pattern bits that every profile shares: nobody reached, nobody known to speak or not.
    pub(super) fn fixed(&self) -> [Option<bool>; 2] {
        [
            self.s.reach.is_empty().then_some(false),
            self.s.speak.bits.is_empty().then_some(true),
        ]
    }

    /// Whether to seed a counted tier. A tier that ends the search once `k` profiles are held
    /// is seeded only when the counts cut nothing at the current limit (its walk would keep
    /// every profile on it): otherwise the walk keeps few and the seed's reads are lost.
    fn worth_seeding(&self, counts: &mut HighCounts, finishing: bool, limit: f64) -> bool {
        if self.top.is_full() && finishing {
            counts.set_needs(&self.terms.needs(limit), self.fixed());
            counts.active.first().is_some_and(|a| a.0 == 0)
        } else {
            true
        }
    }

    /// First, to raise the limit, scores the profiles of the tier that are likeliest to be at
    /// the top: on the best unread tiers of the region and the languages and on the most
    /// requirements' best tiers, enough to fill the top `k` thrice over, as some will not be
    /// eligible (conditions dropped, the least weighty first, until there are).
    fn seed(&mut self, term: usize, tier: usize, counts: &HighCounts) {
        let (n, words, k) = (self.n, self.words, self.k);
        {
            let Scratch {
                seen,
                mask,
                tier_bits,
                ..
            } = &mut *self.s;
            mask.clear();
            let on_tier = self.terms.bitset(self.index, tier_bits, term, tier, words);
            mask.extend((0..words).map(|w| on_tier.get(w).copied().unwrap_or(0) & !seen[w]));
        }
        let conditions = self.terms.seed_terms(term, (2 * words).max(n / 8));
        for keep in (0..=conditions.len()).rev() {
            let Scratch {
                filter,
                mask,
                tier_bits,
                ..
            } = &mut *self.s;
            filter.clear();
            filter.extend_from_slice(mask);
            for &u in &conditions[..keep] {
                let next = self.terms.terms[u].next;
                let bits = self.terms.bitset(self.index, tier_bits, u, next, words);
                for (f, e) in filter.iter_mut().zip(bits) {
                    *f &= e;
                }
            }
            let Some(c) = least_count_seeding(filter, counts, k) else {
                continue;
            };
            self.seed_counted(c, counts);
            return;
        }
    }

    /// Scores the profiles of `filter` counted on at least `c` tiers, in id order, in batches
    /// of `3 k`, then twice as many, and so on, each against the limit the last raised. Among
    /// equal scores the smaller ids rank first: once the tie cut applies, the rest are left to
    /// the walk, which stops at the cut.
    fn seed_counted(&mut self, c: u32, counts: &HighCounts) {
        let mut batch = self.k.saturating_mul(3);
        let mut w = 0;
        loop {
            // Profiles past the tie cut are left unseen: no tier can bring them in.
            let cut = self.tie_cut();
            let end = self.words.min(cut as usize / 64 + 1);
            if w >= end {
                return;
            }
            let Scratch {
                seen,
                filter,
                cands,
                ..
            } = &mut *self.s;
            while w < end && cands.len() < batch {
                let cand = filter[w] & counts.at_least(w, c) & bitset::at_most(w, cut);
                seen[w] |= cand;
                cands.extend(bitset::ids_in(w, cand));
                w += 1;
            }
            let limit = self.threshold();
            let sigs = self.terms.signatures(limit);
            self.flush(&sigs, limit, Some(counts));
            batch = batch.saturating_mul(2);
        }
    }

    /// Profiles on this tier that cannot be on the tiers it requires of other terms cannot
    /// beat the threshold: a bitset of the required ones filters them. Returns whether there
    /// is such a filter (in `filter`).
    fn required_filter(&mut self, term: usize, limit: f64, postings: usize) -> bool {
        let required = if self.top.is_full() {
            self.terms.required_with(term, limit, postings.max(4096))
        } else {
            Vec::new()
        };
        if required.is_empty() {
            return false;
        }
        let words = self.words;
        let Scratch {
            filter,
            mask,
            tier_bits,
            ..
        } = &mut *self.s;
        filter.clear();
        filter.resize(words, u64::MAX);
        for group in required {
            let tiers: Vec<(usize, usize)> = group
                .into_iter()
                .flat_map(|(u, r)| r.map(move |j| (u, j)))
                .collect();
            // A dense list is read in place; a group of one tier is not copied.
            if let [(u, j)] = tiers[..] {
                let bits = self.terms.bitset(self.index, tier_bits, u, j, words);
                for (f, b) in filter.iter_mut().zip(bits) {
                    *f &= b;
                }
                continue;
            }
            mask.clear();
            mask.resize(words, 0);
            for (u, j) in tiers {
                let bits = self.terms.bitset(self.index, tier_bits, u, j, words);
                for (m, b) in mask.iter_mut().zip(bits) {
                    *m |= b;
                }
            }
            for (f, m) in filter.iter_mut().zip(mask.iter()) {
                *f &= m;
            }
        }
        true
    }
}

/// What the other requirements' tiers counted for a large tier of `postings` may each cost to
/// read: half the tier walked, and at least two bitsets' worth of words. Each is a pass over
/// its postings, paid once for the whole walk; each profile the counts then cut
/// ([`HighCounts::weigh`]) is an exact score saved. With a fixed two bitsets' words (the
/// budget before), a broad requirement's sparse tiers went uncounted, and on one query 25,927
/// of a common skill's 378,157 holders were scored exactly (1,484 with this budget); a fixed
/// eight cost the default rank bench 11 %.
fn count_budget(postings: usize, words: usize) -> usize {
    postings.max(2 * words) / 2
}

/// The most counted tiers `c` such that at least `3 k` profiles of `filter` are on `c` of
/// them, estimated from every fourth word (it only picks how many to seed; a full count
/// costs as much as the seed's scoring); `None` when not even 0 gives that many.
fn least_count_seeding(filter: &[u64], counts: &HighCounts, k: usize) -> Option<u32> {
    let mut found = [0usize; 17];
    for (w, &f) in filter.iter().enumerate().step_by(4) {
        for b in bitset::set_bits(f) {
            found[counts.count(w, b)] += 4;
        }
    }
    for c in (0..16).rev() {
        found[c] += found[c + 1];
    }
    (0..=counts.most())
        .rev()
        .find(|&c| found[c as usize] >= k.saturating_mul(3))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::audit::{Filter, audited, cases, config};

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The eligibility mask (engagement and must-haves) takes out only profiles that
        /// cannot be listed.
        #[test]
        fn the_eligibility_mask_takes_out_only_the_ineligible(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Eligibility, seed, profiles, cfg, k);
        }

        /// The availability test takes out only profiles that cannot be listed.
        #[test]
        fn the_window_takes_out_only_the_unavailable(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Window, seed, profiles, cfg, k);
        }
    }
}
