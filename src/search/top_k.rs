//! The search loop: the exact top `k` profiles for an opportunity.

use super::bounds::{Quick, region_steps};
use super::scratch::{SCRATCH, Scratch, Speakers};
use super::signature::Signatures;
use super::terms::{Kind, Terms};
use super::{BATCH, BIG, MARGIN};
use crate::index::{Context, Index, Part, ids_in, or_into, set_bits};

use crate::score::{Scorer, SkillTable, Target};
use crate::topk::TopK;

impl Index {
    /// The exact top `k` profiles for an opportunity, as the brute-force scorer ranks them.
    pub(crate) fn top_k(
        &self,
        cx: &Context<'_>,
        scorer: &Scorer<'_>,
        target: &Target<'_>,
        k: usize,
    ) -> TopK<crate::score::Components> {
        let mut top = TopK::new(k);
        if k == 0 || self.store.len() == 0 {
            return top;
        }
        let o = target.opportunity;
        let table = SkillTable::new(scorer, o, self.skills_listed());
        let steps = region_steps(cx, o);
        let mut terms = Terms::new(self, cx, o, &table, &steps);
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let n = self.store.len();
            let words = n.div_ceil(64);
            s.seen.clear();
            s.seen.resize(words, 0);
            let Scratch {
                seen,
                filter,
                mask,
                ok,
                pending,
                cands,
                bounds,
                tier_bits,
                reach,
                speak,
                batch,
            } = &mut *s;
            pending.clear();
            cands.clear();
            // The profiles that can be eligible: they accept the engagement and are on a
            // tier that can meet every must-have requirement (when reading those is cheap).
            ok.clear();
            ok.extend_from_slice(&self.engaged[o.engagement as usize]);
            ok.resize(words, 0);
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
                    terms.read_tier(self, t, j, |part| or_into(mask, part));
                }
                for (a, m) in ok.iter_mut().zip(mask.iter()) {
                    *a &= m;
                }
            }
            // The ineligible are taken as seen: no walk gives them, and no walk needs to read
            // the eligibility mask.
            for (s, a) in seen.iter_mut().zip(ok.iter()) {
                *s = !a;
            }
            tier_bits.clear();
            // Whom the host's search reached, for the heads' test: the others' network
            // component is 0.
            reach.clear();
            if !terms.reached.is_empty() {
                reach.resize(words, 0);
                for &(i, _) in terms.reached {
                    or_into(reach, Part::Id(i));
                }
            }
            speak.clear();
            let mut best = vec![0f32; o.requirements.len()];
            let mut met = vec![false; o.requirements.len()];
            let window = o.window.map(|w| [w.from().days(), w.to().days()]);
            let quick = Quick::new(cx, o, &steps, terms.reached);
            let threshold = |top: &TopK<_>| {
                if top.is_full() {
                    f64::from(top.worst_score().unwrap_or(0.0))
                } else {
                    f64::from(cx.config.min_score)
                }
            };
            // A profile not looked at before that passed its head's test: kept for exact
            // scoring when its cheap bound (skills by the signature, everything else exact)
            // can still beat the k-th score.
            let fresh = |i: u32,
                         skills_bound: f64,
                         limit: f64,
                         pending: &mut Vec<(f64, u32, Option<f32>)>| {
                let iu = i as usize;
                if let (Some(a), Some(b)) = (self.store.window_days(iu), window)
                    && !(a[0] <= b[1] && b[0] <= a[1])
                {
                    return;
                }
                let p = self.store.view(iu);
                // The reached list is searched only for those the bitset says it holds.
                let reached = reach
                    .get(iu / 64)
                    .is_some_and(|w| w & (1 << (iu % 64)) != 0);
                let network = quick.network(i, reached);
                let q = quick.bound(&p, network, skills_bound);
                if q + MARGIN >= limit {
                    pending.push((q, i, network));
                }
            };
            // Scores the profiles gathered from a tier: first from their heads alone (skill
            // signature and which components apply: most profiles of a large tier end here,
            // without their skills or attributes being read), then the cheap bound for many
            // profiles at once (their loads overlap), then, best bound first (the k-th score
            // rises fastest and the rest are cut), exactly.
            let mut flush = |cands: &mut Vec<u32>,
                             bounds: &mut Vec<f64>,
                             (reach, speak): (&[u64], &[u64]),
                             pending: &mut Vec<(f64, u32, Option<f32>)>,
                             sigs: &Signatures,
                             limit: f64,
                             top: &mut TopK<_>| {
                let mut kept = 0;
                bounds.clear();
                // Heads are read a batch at a time, apart from the test: their loads then
                // overlap instead of waiting one by one behind the test's work.
                let mut heads = [0u64; 4 * BATCH];
                for start in (0..cands.len()).step_by(4 * BATCH) {
                    let end = (start + 4 * BATCH).min(cands.len());
                    // The next batch's heads start loading while this one is tested.
                    for &i in cands
                        .get(end..(end + 4 * BATCH).min(cands.len()))
                        .unwrap_or(&[])
                    {
                        self.store.prefetch_head(i as usize);
                    }
                    for (h, &i) in heads.iter_mut().zip(&cands[start..end]) {
                        *h = self.store.signature(i as usize);
                    }
                    for (c, &sig) in (start..end).zip(&heads) {
                        let i = cands[c] as usize;
                        let (w, bit) = (i / 64, i % 64);
                        let pattern = reach.get(w).map_or(0, |x| (x >> bit) as usize & 1)
                            | (speak.get(w).map_or(1, |x| (x >> bit) as usize & 1) << 1);
                        if let Some(b) = sigs.admits(sig, pattern) {
                            cands[kept] = cands[c];
                            bounds.push(b);
                            kept += 1;
                        }
                    }
                }
                cands.truncate(kept);
                for (chunk, b) in cands.chunks(2 * BATCH).zip(bounds.chunks(2 * BATCH)) {
                    std::hint::black_box(self.store.touch_attrs(chunk));
                    for (&i, &b) in chunk.iter().zip(b) {
                        fresh(i, b, limit, pending);
                    }
                }
                cands.clear();
                pending.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                'exact: for chunk in pending.chunks(BATCH) {
                    batch.clear();
                    batch.extend(chunk.iter().map(|e| e.1));
                    std::hint::black_box(self.store.touch(batch));
                    for &(q, i, network) in chunk {
                        if q + MARGIN < threshold(top) {
                            break 'exact;
                        }
                        let p = self.store.view(i as usize);
                        if let Some((score, c)) =
                            scorer.score_table(&p, target, &table, network, (&mut best, &mut met))
                        {
                            top.push(score, i, c);
                        }
                    }
                }
                pending.clear();
            };
            loop {
                let limit = threshold(&top);
                let bound = terms.bound();
                if bound <= 0.0 || bound + MARGIN < limit {
                    break;
                }
                let Some((term, tier)) = terms.next_tier(limit, top.is_full()) else {
                    break;
                };
                let postings = terms.terms[term].tiers[tier].postings;
                // A large tier: its profiles are counted on the best tiers of the other
                // requirements, word by word.
                let mut counts = if postings >= (n / 64).max(BIG) {
                    terms.high_counts(self, term, 2 * words, words, tier_bits)
                } else {
                    None
                };
                let mut limit = limit;
                let finishing = {
                    let after = terms.bound_with(Some(term));
                    after <= 0.0 || after + MARGIN < limit
                };
                // Pattern bits that every profile shares: nobody reached, nobody known to
                // speak or not.
                let fixed = |speak: &Speakers| {
                    [
                        reach.is_empty().then_some(false),
                        speak.bits.is_empty().then_some(true),
                    ]
                };
                // A tier that ends the search once k profiles are held is seeded only when
                // the counts cut nothing at the current limit (its walk would keep every
                // profile on it): otherwise the walk keeps few and the seed's reads are lost.
                let seed = match counts.as_mut() {
                    Some(c) if top.is_full() && finishing => {
                        c.set_needs(&terms.needs(limit), fixed(speak));
                        c.active.first().is_some_and(|a| a.0 == 0)
                    }
                    Some(_) => true,
                    None => false,
                };
                if let Some(counts) = counts.as_ref().filter(|_| seed) {
                    // First, to raise the limit, the profiles of the tier that are likeliest
                    // to be at the top: on the best unread tiers
                    // of the region and the languages and on the most requirements' best
                    // tiers, enough to fill the top k thrice over, as some will not be
                    // eligible (conditions dropped, the least weighty first, until there are).
                    mask.clear();
                    let on_tier = terms.bitset(self, tier_bits, term, tier, words);
                    mask.extend(
                        (0..words).map(|w| on_tier.get(w).copied().unwrap_or(0) & !seen[w]),
                    );
                    let conditions = terms.seed_terms(term, (2 * words).max(n / 8));
                    for keep in (0..=conditions.len()).rev() {
                        filter.clear();
                        filter.extend_from_slice(mask);
                        for &u in &conditions[..keep] {
                            let bits = terms.bitset(self, tier_bits, u, terms.terms[u].next, words);
                            for (f, e) in filter.iter_mut().zip(bits) {
                                *f &= e;
                            }
                        }
                        // How many profiles are on at least c counted tiers, for every c,
                        // estimated from every fourth word (it only picks how many to seed;
                        // a full count cost as much as the seed's scoring).
                        let mut found = [0usize; 17];
                        for (w, &f) in filter.iter().enumerate().step_by(4) {
                            for b in set_bits(f) {
                                found[counts.count(w, b)] += 4;
                            }
                        }
                        for c in (0..16).rev() {
                            found[c] += found[c + 1];
                        }
                        let Some(c) = (0..=counts.most())
                            .rev()
                            .find(|&c| found[c as usize] >= k.saturating_mul(3))
                        else {
                            continue;
                        };
                        for w in 0..words {
                            let cand = filter[w] & counts.at_least(w, c);
                            seen[w] |= cand;
                            cands.extend(ids_in(w, cand));
                        }
                        let sigs = terms.signatures(limit);
                        speak.ensure(&terms, self, words, cands.len());
                        flush(
                            cands,
                            bounds,
                            (reach, &speak.bits),
                            pending,
                            &sigs,
                            limit,
                            &mut top,
                        );
                        limit = threshold(&top);
                        break;
                    }
                }
                // Taken before the tier is marked read: its profiles are on it.
                let sigs = terms.signatures(limit);
                // Profiles on this tier that cannot be on the tiers it requires of other
                // terms cannot beat the threshold: a bitset of the required ones filters them.
                let required = if top.is_full() {
                    terms.required_with(term, limit, postings.max(4096))
                } else {
                    Vec::new()
                };
                let filtered = !required.is_empty();
                if filtered {
                    filter.clear();
                    filter.resize(words, u64::MAX);
                    for group in required {
                        let tiers: Vec<(usize, usize)> = group
                            .into_iter()
                            .flat_map(|(u, r)| r.map(move |j| (u, j)))
                            .collect();
                        // A dense list is read in place; a group of one tier is not copied.
                        if let [(u, j)] = tiers[..] {
                            let bits = terms.bitset(self, tier_bits, u, j, words);
                            for (f, b) in filter.iter_mut().zip(bits) {
                                *f &= b;
                            }
                            continue;
                        }
                        mask.clear();
                        mask.resize(words, 0);
                        for (u, j) in tiers {
                            let bits = terms.bitset(self, tier_bits, u, j, words);
                            for (m, b) in mask.iter_mut().zip(bits) {
                                *m |= b;
                            }
                        }
                        for (f, m) in filter.iter_mut().zip(mask.iter()) {
                            *f &= m;
                        }
                    }
                }
                // The counts' filter is applied word by word as the tier is walked (only
                // where it has profiles left).
                if let Some(counts) = counts.as_mut() {
                    counts.set_needs(&terms.needs(limit), fixed(speak));
                }
                // A counted tier is walked as a bitset, so that the counts' test runs once per
                // word, not once per profile.
                if counts.is_some() && terms.dense_tier(self, term, tier).is_none() {
                    tier_bits.get(&terms, self, term, tier, words);
                }
                let counted = counts.as_ref();
                let filter: &[u64] = if filtered { filter } else { &[] };
                let filter_at = |w: usize| if filtered { filter[w] } else { u64::MAX };
                let keep = |w: usize| match counted {
                    Some(c) => c.keep(
                        w,
                        [
                            reach.get(w).copied().unwrap_or(0),
                            speak.bits.get(w).copied().unwrap_or(u64::MAX),
                        ],
                    ),
                    None => u64::MAX,
                };
                // A counted tier comes as a bitset and is walked word by word, with one branch
                // per word on the filter's verdict: the counts' test runs where that leaves
                // profiles.
                let mut visit = |part: Part<'_>| match part {
                    Part::Id(i) => {
                        let (w, bit) = (i as usize / 64, 1u64 << (i % 64));
                        if seen[w] & bit != 0 {
                            return;
                        }
                        seen[w] |= bit;
                        if filter_at(w) & bit != 0 && keep(w) & bit != 0 {
                            self.store.prefetch_head(i as usize);
                            cands.push(i);
                        }
                    }
                    Part::Bits(bits) => {
                        for ((w, &b), s) in bits.iter().enumerate().zip(seen.iter_mut()) {
                            let new = b & !*s;
                            *s |= new;
                            let cand = new & filter_at(w);
                            if cand != 0 {
                                for i in ids_in(w, cand & keep(w)) {
                                    self.store.prefetch_head(i as usize);
                                    cands.push(i);
                                }
                            }
                        }
                    }
                };
                match tier_bits.peek(term, tier) {
                    Some(bits) => {
                        visit(Part::Bits(bits));
                        terms.terms[term].next = tier + 1;
                    }
                    None => terms.traverse(self, term, tier, visit),
                }
                speak.ensure(&terms, self, words, cands.len());
                flush(
                    cands,
                    bounds,
                    (reach, &speak.bits),
                    pending,
                    &sigs,
                    limit,
                    &mut top,
                );
                if let Some(c) = counts {
                    tier_bits.planes = Some((c.key, c.planes));
                }
            }
        });
        top
    }
}
