//! The last steps of a search: the profiles a walk gathered are tested by their heads, bound
//! cheaply, and scored exactly, best bound first.

use crate::util::bitset;

#[cfg(test)]
use super::audit::Filter;
use super::counts::HighCounts;
use super::scratch::Scratch;
use super::signature::Signatures;
use super::top_k::Search;
use super::{BATCH, MARGIN};

impl Search<'_, '_> {
    /// Scores the profiles gathered in `cands`: first from their heads alone (skill
    /// signature and which components apply: most profiles of a large tier end here, without
    /// their skills or attributes being read), then the cheap bound for many profiles at once
    /// (their loads overlap), then, best bound first (the `k`-th score rises fastest and the
    /// rest are cut), exactly.
    ///
    /// The counts of the tier, when it was counted, bound each profile's skills too.
    pub(super) fn flush(&mut self, sigs: &Signatures, limit: f64, counts: Option<&HighCounts>) {
        let pending = self.s.cands.len();
        self.s
            .speak
            .ensure(&self.terms, self.index, self.words, pending);
        self.heads_test(sigs, limit, counts);
        self.cheap_bounds(limit);
        self.score_exactly();
    }

    /// Keeps in `cands` the profiles whose head admits them, with their skills bound in
    /// `bounds` (the least of the head's and the counts'). Heads are read a batch at a time,
    /// apart from the test: their loads then overlap instead of waiting one by one behind
    /// the test's work.
    fn heads_test(
        &mut self,
        sigs: &Signatures,
        #[cfg_attr(not(test), allow(unused_variables))] limit: f64,
        counts: Option<&HighCounts>,
    ) {
        // Profiles past the tie cut go no further (the cut only falls as the top fills).
        let cut = self.tie_cut();
        let store = &self.index.store;
        let Scratch {
            cands,
            bounds,
            reach,
            speak,
            tier_bits,
            ..
        } = &mut *self.s;
        let mut kept = 0;
        bounds.clear();
        #[cfg(test)]
        let tied: Vec<u32> = cands.iter().copied().filter(|&i| i > cut).collect();
        cands.retain(|&i| i <= cut);
        #[cfg(test)]
        let mut tested = Vec::new();
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
                let counted = |b: f64| match counts {
                    Some(counts) => b.min(counts.bound_of(tier_bits, cands[c])),
                    None => b,
                };
                let admitted = sigs.admits(sig, pattern).map(counted);
                #[cfg(test)]
                tested.push((cands[c], admitted));
                if let Some(b) = admitted {
                    cands[kept] = cands[c];
                    bounds.push(b);
                    kept += 1;
                }
            }
        }
        cands.truncate(kept);
        #[cfg(test)]
        tied.into_iter().for_each(|i| self.audit_tie(i));
        #[cfg(test)]
        for (i, admitted) in tested {
            match admitted {
                Some(b) => self.audit_bound(Filter::Signature, i, b),
                None => self.audit_cut(Filter::Signature, i, limit),
            }
        }
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
            #[cfg(test)]
            self.audit_excluded(Filter::Window, i);
            return;
        }
        let p = store.view(iu);
        // The reached list is searched only for those the bitset says it holds.
        let reached = bitset::contains(&self.s.reach, iu);
        let network = self.quick.network(i, reached);
        let q = self.quick.bound(&p, network, skills_bound);
        #[cfg(test)]
        self.audit_bound(Filter::Quick, i, q);
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
                if i > self.tie_cut() {
                    #[cfg(test)]
                    self.audit_tie(i);
                    continue;
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
