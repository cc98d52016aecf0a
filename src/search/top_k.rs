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
use crate::score::{Components, Scorer, SkillTable, Target};
use crate::util::{TopK, bitset};

use super::Context;
use super::bounds::{Quick, region_steps};
use super::counts::HighCounts;
use super::scratch::{SCRATCH, Scratch};
use super::signature::Signatures;
use super::terms::{Kind, Terms};
use super::{BATCH, BIG, MARGIN};

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
struct Search<'q, 's> {
    index: &'q Index,
    /// Below this nobody is listed, even when fewer than `k` are.
    min_score: f64,
    scorer: &'q Scorer<'q>,
    target: &'q Target<'q>,
    table: &'q SkillTable,
    terms: Terms<'q>,
    quick: Quick<'q>,
    s: &'s mut Scratch,
    top: TopK<Components>,
    /// The exact scorer's memory: per requirement, the best credit and whether it is met.
    best: Vec<f32>,
    met: Vec<bool>,
    /// The opportunity's window in days, for the availability filter.
    window: Option<[i32; 2]>,
    /// Profiles, and 64-bit words of a bitset over them.
    n: usize,
    words: usize,
    k: usize,
}

impl Search<'_, '_> {
    /// The score to beat: the `k`-th score once `k` are held, else the least listed.
    fn threshold(&self) -> f64 {
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
        ok.extend_from_slice(self.index.engaged[o.engagement as usize].words());
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
        if bound <= 0.0 || bound + MARGIN < limit {
            return None;
        }
        self.terms.next_tier(limit, self.top.is_full())
    }

    /// Reads one tier: counts it when large, seeds, filters, walks and scores its profiles.
    fn read(&mut self, term: usize, tier: usize) {
        let mut limit = self.threshold();
        let postings = self.terms.terms[term].tiers[tier].postings;
        // A large tier: its profiles are counted on the best tiers of the other
        // requirements, word by word.
        let mut counts = if postings >= (self.n / 64).max(BIG) {
            let words = self.words;
            let tier_bits = &mut self.s.tier_bits;
            self.terms
                .high_counts(self.index, term, 2 * words, words, tier_bits)
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
            self.seed(term, tier, c, limit);
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
        self.walk(term, tier, counts.as_ref(), filtered);
        self.flush(&sigs, limit);
        if let Some(c) = counts {
            self.s.tier_bits.planes = Some((c.key, c.planes));
        }
    }

    /// Pattern bits that every profile shares: nobody reached, nobody known to speak or not.
    fn fixed(&self) -> [Option<bool>; 2] {
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
    fn seed(&mut self, term: usize, tier: usize, counts: &HighCounts, limit: f64) {
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
                seen,
                filter,
                mask,
                tier_bits,
                cands,
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
            for w in 0..words {
                let cand = filter[w] & counts.at_least(w, c);
                seen[w] |= cand;
                cands.extend(bitset::ids_in(w, cand));
            }
            let sigs = self.terms.signatures(limit);
            self.flush(&sigs, limit);
            return;
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

    /// Walks the tier, marking its profiles seen and gathering in `cands` those that pass
    /// the required filter and the counts. A counted tier comes as a bitset and is walked
    /// word by word, with one branch per word on the filter's verdict: the counts' test runs
    /// where that leaves profiles.
    fn walk(&mut self, term: usize, tier: usize, counts: Option<&HighCounts>, filtered: bool) {
        let (index, words) = (self.index, self.words);
        // A counted tier is walked as a bitset, so that the counts' test runs once per word,
        // not once per profile.
        if counts.is_some() && self.terms.dense_tier(index, term, tier).is_none() {
            self.s.tier_bits.get(&self.terms, index, term, tier, words);
        }
        let Scratch {
            seen,
            filter,
            cands,
            tier_bits,
            reach,
            speak,
            ..
        } = &mut *self.s;
        let filter: &[u64] = if filtered { filter } else { &[] };
        let filter_at = |w: usize| if filtered { filter[w] } else { u64::MAX };
        let keep = |w: usize| match counts {
            Some(c) => c.keep(
                w,
                [
                    reach.get(w).copied().unwrap_or(0),
                    speak.bits.get(w).copied().unwrap_or(u64::MAX),
                ],
            ),
            None => u64::MAX,
        };
        let mut visit = |part: Part<'_>| match part {
            Part::Id(i) => {
                let (w, bit) = bitset::slot(i as usize);
                if seen[w] & bit != 0 {
                    return;
                }
                seen[w] |= bit;
                if filter_at(w) & bit != 0 && keep(w) & bit != 0 {
                    index.store.prefetch_head(i as usize);
                    cands.push(i);
                }
            }
            Part::Bits(bits) => {
                for ((w, &b), s) in bits.iter().enumerate().zip(seen.iter_mut()) {
                    let new = b & !*s;
                    *s |= new;
                    let cand = new & filter_at(w);
                    if cand != 0 {
                        for i in bitset::ids_in(w, cand & keep(w)) {
                            index.store.prefetch_head(i as usize);
                            cands.push(i);
                        }
                    }
                }
            }
        };
        match tier_bits.peek(term, tier) {
            Some(bits) => {
                visit(Part::Bits(bits));
                self.terms.terms[term].next = tier + 1;
            }
            None => self.terms.traverse(index, term, tier, visit),
        }
    }

    /// Scores the profiles gathered in `cands`: first from their heads alone (skill
    /// signature and which components apply: most profiles of a large tier end here, without
    /// their skills or attributes being read), then the cheap bound for many profiles at once
    /// (their loads overlap), then, best bound first (the `k`-th score rises fastest and the
    /// rest are cut), exactly.
    fn flush(&mut self, sigs: &Signatures, limit: f64) {
        let pending = self.s.cands.len();
        self.s
            .speak
            .ensure(&self.terms, self.index, self.words, pending);
        self.heads_test(sigs);
        self.cheap_bounds(limit);
        self.score_exactly();
    }

    /// Keeps in `cands` the profiles whose head admits them, with their skills bound in
    /// `bounds`. Heads are read a batch at a time, apart from the test: their loads then
    /// overlap instead of waiting one by one behind the test's work.
    fn heads_test(&mut self, sigs: &Signatures) {
        let store = &self.index.store;
        let Scratch {
            cands,
            bounds,
            reach,
            speak,
            ..
        } = &mut *self.s;
        let mut kept = 0;
        bounds.clear();
        let mut heads = [0u64; 4 * BATCH];
        for start in (0..cands.len()).step_by(4 * BATCH) {
            let end = (start + 4 * BATCH).min(cands.len());
            // The next batch's heads start loading while this one is tested.
            for &i in cands
                .get(end..(end + 4 * BATCH).min(cands.len()))
                .unwrap_or(&[])
            {
                store.prefetch_head(i as usize);
            }
            for (h, &i) in heads.iter_mut().zip(&cands[start..end]) {
                *h = store.signature(i as usize);
            }
            for (c, &sig) in (start..end).zip(&heads) {
                let i = cands[c] as usize;
                let speaks = speak.may_speak(i);
                let pattern = bitset::contains(reach, i) as usize | (speaks as usize) << 1;
                if let Some(b) = sigs.admits(sig, pattern) {
                    cands[kept] = cands[c];
                    bounds.push(b);
                    kept += 1;
                }
            }
        }
        cands.truncate(kept);
    }

    /// Moves to `pending` the profiles of `cands` whose cheap bound can still reach `limit`,
    /// their attributes loaded a batch at a time.
    fn cheap_bounds(&mut self, limit: f64) {
        let len = self.s.cands.len();
        for start in (0..len).step_by(2 * BATCH) {
            let end = (start + 2 * BATCH).min(len);
            std::hint::black_box(self.index.store.touch_attrs(&self.s.cands[start..end]));
            for c in start..end {
                let (i, b) = (self.s.cands[c], self.s.bounds[c]);
                self.consider(i, b, limit);
            }
        }
        self.s.cands.clear();
    }

    /// A profile not looked at before that passed its head's test: kept for exact scoring
    /// when it is available in the opportunity's window and its cheap bound (skills by the
    /// signature, everything else exact) can still beat the `k`-th score.
    fn consider(&mut self, i: u32, skills_bound: f64, limit: f64) {
        let iu = i as usize;
        let store = &self.index.store;
        if let (Some(a), Some(b)) = (store.window_days(iu), self.window)
            && !(a[0] <= b[1] && b[0] <= a[1])
        {
            return;
        }
        let p = store.view(iu);
        // The reached list is searched only for those the bitset says it holds.
        let reached = bitset::contains(&self.s.reach, iu);
        let network = self.quick.network(i, reached);
        let q = self.quick.bound(&p, network, skills_bound);
        if q + MARGIN >= limit {
            self.s.pending.push((q, i, network));
        }
    }

    /// Scores the pending profiles exactly, best bound first, until a bound falls below the
    /// threshold; their data is loaded a batch at a time.
    fn score_exactly(&mut self) {
        let mut pending = std::mem::take(&mut self.s.pending);
        pending.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        'exact: for chunk in pending.chunks(BATCH) {
            let batch = &mut self.s.batch;
            batch.clear();
            batch.extend(chunk.iter().map(|e| e.1));
            std::hint::black_box(self.index.store.touch(batch));
            for &(q, i, network) in chunk {
                if q + MARGIN < self.threshold() {
                    break 'exact;
                }
                let p = self.index.store.view(i as usize);
                let scratch = (&mut self.best[..], &mut self.met[..]);
                if let Some((score, c)) =
                    self.scorer
                        .score_table(&p, self.target, self.table, network, scratch)
                {
                    self.top.push(score, i, c);
                }
            }
        }
        pending.clear();
        self.s.pending = pending;
    }
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
