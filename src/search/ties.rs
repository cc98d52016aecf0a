//! Ties at the top: once the `k`-th score is the most that any profile still to be walked can
//! score, only a profile with a smaller id can enter.
//!
//! On requirements that name broad concepts, thousands of profiles often reach the most an
//! opportunity allows (every requirement met by a narrower skill at the level asked). Every
//! bound then equals the `k`-th score, no bound cuts them, and each had to be scored exactly.
//! But the order breaks ties by id, ascending: when the `k`-th score equals the *ceiling* (the
//! total the scorer would give a profile at the best unread tier of every term), a profile
//! with a larger id than the `k`-th cannot enter, whatever its own score. The walk then stops
//! at the `k`-th id, and the flush skips larger ids.
//!
//! The ceiling is computed in the scorer's own `f32` arithmetic ([`skills_mean`],
//! [`Components::total`]), not as a bound with a margin. Each step of that arithmetic (a
//! product by a weight, a sum, a quotient by the same positive sum, a clamp) rounds
//! monotonically, so credits no higher than the tiers' bounds give a total no higher than
//! the ceiling, to the bit: the comparison with the `k`-th score is exact.

use crate::model::Opportunity;
use crate::score::{Components, Weights, skills_mean};

use super::terms::{Kind, Terms};
use super::top_k::Search;

/// The least `f32` at or above `x` (for `x` in `[0, 1]`).
fn round_up(x: f64) -> f32 {
    let f = x as f32;
    if f64::from(f) < x { f.next_up() } else { f }
}

impl Terms<'_> {
    /// The most any profile not seen yet can score: each requirement at the bound of its best
    /// unread tier (the relation credit, level factor 1), the region and network at their
    /// unread bounds, each asked language with an unread tier spoken; `None` when no such
    /// profile can be listed. A profile walked on the next tier has not been on any tier read
    /// before, so this is at least its exact score.
    pub(crate) fn ceiling(&self, o: &Opportunity, weights: &Weights) -> Option<f32> {
        let bounds = self.bounds_at(&[])?;
        let mut credits = vec![0f32; o.requirements.len()];
        let mut languages = 0usize;
        for term in &self.terms {
            let unread = term.tiers.get(term.next);
            match (term.kind, unread) {
                (Kind::Requirement(i), Some(t)) => {
                    // A tier's bound is an `f32` relation credit: exact.
                    if let Some(c) = credits.get_mut(i) {
                        *c = round_up(t.bound);
                    }
                }
                (Kind::Language(_), Some(_)) => languages += 1,
                _ => {}
            }
        }
        let skills = skills_mean(
            o.requirements
                .iter()
                .map(|r| r.weight)
                .zip(credits.iter().copied()),
        );
        // The scorer's share of languages met: the same division.
        let language =
            (!o.languages.is_empty()).then(|| languages as f32 / o.languages.len() as f32);
        // The components beyond work do not apply: opportunities that use them are
        // searched by `channels.rs`.
        let work = [
            skills,
            Some(round_up(bounds.region)),
            Some(round_up(bounds.network)),
            language,
        ];
        Some(Components::of(work, [None; 3]).total(weights))
    }
}

impl Search<'_, '_> {
    /// The largest id that can still enter the top `k` from the tier being read: the `k`-th
    /// id when the `k`-th score is at or above the ceiling, else `u32::MAX` (no cut).
    pub(super) fn tie_cut(&self) -> u32 {
        match (self.ceiling, self.top.worst()) {
            (Some(ceiling), Some((score, id))) if self.top.is_full() && score >= ceiling => id,
            _ => u32::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::score::MatchConfig;

    use super::super::audit::{Filter, audited, cases, config};

    /// Skills alone: the shape where ties at the ceiling are common.
    fn skills_only(mut c: MatchConfig) -> MatchConfig {
        c.weights.region = 0.0;
        c.weights.network = 0.0;
        c.weights.language = 0.0;
        c
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The tie cut drops only profiles that rank after the `k`-th: a lower score, or the
        /// same score and a larger id.
        #[test]
        fn the_tie_cut_drops_only_profiles_ranked_after_the_kth(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), alone in any::<bool>(), k in 1usize..40) {
            let cfg = if alone { skills_only(cfg) } else { cfg };
            audited(Filter::Tie, seed, profiles, cfg, k);
        }
    }

    /// On broad requirements scored on skills alone, the cut is made (so the property above
    /// is not vacuous).
    #[test]
    fn the_tie_cut_is_exercised() {
        // Seed 8 draws every requirement broad.
        let checks = audited(
            Filter::Tie,
            8,
            4000,
            skills_only(MatchConfig::default()),
            20,
        );
        assert!(checks > 0, "the tie cut made no check");
    }
}
