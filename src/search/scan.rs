//! The search for opportunities that use the components beyond work (a ticket, a funding gap,
//! a sector, causes, countries of settlement sought): every profile that accepts the
//! opportunity's kind of engagement is scored with the opportunity's table of related skills
//! ([`Scorer::table_skills`], then the other components once, for the bound and the score:
//! the brute force's arithmetic to the bit), so the list is the brute force's.
//!
//! Once `k` profiles are held, a profile is first bounded by every component but skills
//! exactly and skills at 1, in the scorer's own `f32` arithmetic (each step rounds
//! monotonically, so the bound is at least its exact total to the bit): below the `k`-th
//! score, or without the capital or interest an investment, a donation or tourism needs, it
//! is not scored.
//!
//! Such opportunities are few beside those of work, and their kinds (investment, donation,
//! tourism) are accepted by a part of the registry only; the postings per sector and cause
//! and the bucketed capital ranges that would let the MaxScore search of `top_k.rs` skip
//! whole lists are not built yet.

use crate::index::Index;
use crate::score::{Component, Components, Scorer, SkillTable, Target};
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
        let table = SkillTable::new(scorer, o, self.skills_listed());
        let weights = scorer.config.weights_for(o.engagement);
        let mut best = vec![0f32; o.requirements.len()];
        let mut met = vec![false; o.requirements.len()];
        let skills_bound = (!o.requirements.is_empty()).then_some(1.0);
        // Whom the host's search reached, by profile id: walked beside the ids, which ascend.
        let reached: &[(u32, f32)] = self.reached.get(&o.host).map_or(&[], Vec::as_slice);
        let mut next = 0;
        for id in bitset::ones(engaged.words()) {
            let view = self.store.view(id as usize);
            while reached.get(next).is_some_and(|r| r.0 < id) {
                next += 1;
            }
            let strength = reached.get(next).filter(|r| r.0 == id).map_or(0.0, |r| r.1);
            // As the scorer reads it from the host's search (every opportunity has a host).
            let network = Some(strength);
            let region = scorer.region_value(&view, o);
            let language = Scorer::language_value(&view, o);
            let channels = scorer.channels(&view, o);
            if top.is_full() {
                // Every component but skills exactly, skills at 1, in the scorer's own
                // arithmetic (monotone in each value): at least the profile's exact total. A
                // profile below the `k`-th score, or without evidence, cannot enter.
                let c = Components::of([skills_bound, region, network, language], channels);
                let kth = top.worst_score().unwrap_or(0.0);
                let evidence = Scorer::evidence(&c, o);
                if c.total(weights) < kth
                    || (evidence != Component::Skills && !scorer.has_evidence(&c, o))
                {
                    continue;
                }
            }
            // The rest as `Scorer::score_table` does it, with the components found above.
            let scratch = (&mut best[..], &mut met[..]);
            let Some(skills) = Scorer::table_skills(&view, o, &table, scratch) else {
                continue;
            };
            let c = Components::of([skills, region, network, language], channels);
            if let Some((score, components)) = scorer.listed(c, o) {
                top.push(score, id, components);
            }
        }
        top
    }
}
