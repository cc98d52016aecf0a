//! Test support: every sieve of the search checked against exact scores as it cuts.
//!
//! A wrong bound shows up in `tests/index.rs` only as a list that differs from the brute
//! force's, far from its cause. Here the search reports each profile a sieve drops (and each
//! bound it computes) while one [`Filter`] is watched, and the audit scores that profile
//! exactly on the spot: a sieve may drop only a profile that cannot be listed or cannot beat
//! the limit it was given, and a bound may never be below the exact value. The tests beside
//! each sieve ([`audited`]) run every opportunity of random synthetic populations under random
//! configurations with their sieve watched.

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use crate::engine::Engine;
use crate::id::OpportunityId;
use crate::io;
use crate::score::MatchConfig;
use crate::synth;
use crate::util::bitset;

use super::MARGIN;
use super::counts::HighCounts;
use super::top_k::Search;

/// The sieves of the search, one watched at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Filter {
    /// The engagement and must-have masks: whoever they drop is not eligible.
    Eligibility,
    /// The tiers other terms require ([`Terms::required_with`](super::terms::Terms)).
    Required,
    /// The bit-sliced counts of a large tier ([`HighCounts`](super::counts::HighCounts)).
    Counts,
    /// The heads' test ([`Signatures`](super::signature::Signatures)): its verdict and its
    /// skills bound.
    Signature,
    /// The availability window.
    Window,
    /// The cheap bound ([`Quick`](super::bounds::Quick)).
    Quick,
    /// The end of the search: the bound of every profile not seen ([`Bounds`](super::Bounds)).
    End,
    /// The tie cut ([`Search::tie_cut`]): a larger id than the `k`-th, which scores at the
    /// ceiling.
    Tie,
}

thread_local! {
    static WATCHED: Cell<Option<Filter>> = const { Cell::new(None) };
    static CHECKS: Cell<usize> = const { Cell::new(0) };
}

/// Whether `filter` is watched on this thread.
fn watching(filter: Filter) -> bool {
    WATCHED.get() == Some(filter)
}

/// Slack for the `f32` rounding of exact values against `f64` bounds, far below [`MARGIN`].
const ROUNDING: f64 = 1e-6;

impl Search<'_, '_> {
    /// The exact total and skills component of profile `i`, or `None` when it cannot be
    /// listed (ineligible, without evidence, or at or below the least score).
    fn exact(&self, i: u32) -> Option<(f64, Option<f32>)> {
        let p = self.index.store.view(i as usize);
        let network = self.quick.network(i, true);
        let requirements = self.target.opportunity.requirements.len();
        let (mut best, mut met) = (vec![0f32; requirements], vec![false; requirements]);
        let scratch = (&mut best[..], &mut met[..]);
        self.scorer
            .score_table(&p, self.target, self.table, network, scratch)
            .map(|(score, c)| (f64::from(score), c.0[0]))
    }

    /// `filter` dropped profile `i` because it cannot beat `limit`.
    pub(super) fn audit_cut(&self, filter: Filter, i: u32, limit: f64) {
        if !watching(filter) {
            return;
        }
        CHECKS.set(CHECKS.get() + 1);
        if let Some((score, _)) = self.exact(i) {
            assert!(
                score + MARGIN / 2.0 < limit,
                "{filter:?} dropped profile {i}, which scores {score} against a limit of {limit}"
            );
        }
    }

    /// The tie cut dropped profile `i`: it must rank after the `k`-th (a lower score, or the
    /// same score and a larger id), or not be listable.
    pub(super) fn audit_tie(&self, i: u32) {
        if !watching(Filter::Tie) {
            return;
        }
        CHECKS.set(CHECKS.get() + 1);
        let Some((worst, id)) = self.top.worst() else {
            panic!("the tie cut dropped profile {i} before the top was full");
        };
        if let Some((score, _)) = self.exact(i) {
            let worst = f64::from(worst);
            assert!(
                score < worst || (score == worst && i > id),
                "the tie cut dropped profile {i}, which scores {score}, against the k-th {worst} (profile {id})"
            );
        }
    }

    /// `filter` dropped profile `i` as one that cannot be listed at all.
    pub(super) fn audit_excluded(&self, filter: Filter, i: u32) {
        self.audit_cut(filter, i, f64::NEG_INFINITY);
    }

    /// `filter` bounded profile `i`'s total (or, for [`Filter::Signature`], its skills
    /// component) by `bound`.
    pub(super) fn audit_bound(&self, filter: Filter, i: u32, bound: f64) {
        if !watching(filter) {
            return;
        }
        CHECKS.set(CHECKS.get() + 1);
        let Some((total, skills)) = self.exact(i) else {
            return;
        };
        let exact = match filter {
            Filter::Signature => skills.map_or(0.0, f64::from),
            _ => total,
        };
        assert!(
            exact <= bound + ROUNDING,
            "{filter:?} bounded profile {i} by {bound}, below its exact {exact}"
        );
    }

    /// Audits the profiles the walk saw first and dropped: by the required filter where it
    /// does not hold them, else by the counts.
    pub(super) fn audit_walk(
        &self,
        newly: &[u32],
        counts: Option<&HighCounts>,
        filtered: bool,
        limit: f64,
    ) {
        let kept: std::collections::HashSet<u32> = self.s.cands.iter().copied().collect();
        for &i in newly.iter().filter(|i| !kept.contains(i)) {
            let required = filtered && !bitset::contains(&self.s.filter, i as usize);
            let filter = if required {
                Filter::Required
            } else {
                Filter::Counts
            };
            debug_assert!(required || counts.is_some());
            self.audit_cut(filter, i, limit);
        }
    }

    /// The search ends at `limit`: no profile it has not seen may beat it, or (left unseen by
    /// the tie cut) rank before the `k`-th.
    pub(super) fn audit_end(&self, limit: f64) {
        if !watching(Filter::End) {
            return;
        }
        let worst = self.top.worst().filter(|_| self.top.is_full());
        for i in 0..self.n as u32 {
            if bitset::contains(&self.s.seen, i as usize) {
                continue;
            }
            CHECKS.set(CHECKS.get() + 1);
            let Some((score, _)) = self.exact(i) else {
                continue;
            };
            // Left unseen by the tie cut: it ranks after the k-th.
            let after = worst
                .is_some_and(|(w, id)| score < f64::from(w) || (score == f64::from(w) && i > id));
            assert!(
                after || score + MARGIN / 2.0 < limit,
                "the search ended at {limit} without profile {i}, which scores {score}"
            );
        }
    }
}

/// The checks made while `filter` was watched over every opportunity of a synthetic
/// population of `profiles` drawn from `seed`, searched for the top `k` under `config`.
/// Panics at the first profile a sieve drops wrongly or bounds too low.
pub(crate) fn audited(
    filter: Filter,
    seed: u64,
    profiles: usize,
    config: MatchConfig,
    k: usize,
) -> usize {
    let engine = Engine::builder(synthetic(seed, profiles))
        .config(config)
        .build()
        .unwrap();
    WATCHED.set(Some(filter));
    CHECKS.set(0);
    for o in 0..engine.opportunities.len() {
        let target = engine.target(OpportunityId::new(o as u32)).unwrap();
        engine
            .index
            .top_k(&engine.context(), &engine.scorer(), &target, k);
    }
    WATCHED.set(None);
    CHECKS.get()
}

/// Proptest cases for the audits: `quick` in `cargo test`, times `PROPTEST_SCALE` in CI.
pub(crate) fn cases(quick: u32) -> u32 {
    let scale = std::env::var("PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok());
    quick.saturating_mul(scale.unwrap_or(1u32).max(1))
}

/// A random configuration: weights, related-skill credit and network reach.
pub(crate) fn config() -> impl proptest::strategy::Strategy<Value = MatchConfig> {
    use proptest::prelude::*;
    (
        [0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0],
        (0.0f32..1.0, 0.0f32..1.0, 0u8..=3, 0u8..=4),
    )
        .prop_filter_map("valid", |(w, (narrower, sibling, hops, net))| {
            let mut c = MatchConfig::default();
            [
                c.weights.skills,
                c.weights.region,
                c.weights.network,
                c.weights.language,
            ] = w;
            c.relatedness.narrower = narrower;
            c.relatedness.sibling = sibling;
            c.relatedness.max_hops = hops;
            c.network_max_hops = net;
            c.validate().is_ok().then_some(c)
        })
}

/// A synthetic population of `profiles` (20 skills each, one tie each) and 24 opportunities
/// of 8 requirements, on the bundled reference data.
pub(crate) fn synthetic(seed: u64, profiles: usize) -> crate::dataset::Dataset {
    static REFERENCE: OnceLock<(Arc<crate::dataset::Reference>, synth::SourceTables)> =
        OnceLock::new();
    let (reference, tables) = REFERENCE.get_or_init(|| {
        let dir = io::bundled_reference_dir();
        let reference = Arc::new(io::load_reference(&dir).unwrap());
        let tables = synth::SourceTables::load(&dir, &reference).unwrap();
        (reference, tables)
    });
    let config = synth::SynthConfig {
        profiles,
        opportunities: 24,
        ties: profiles,
        seed,
        skills_per_profile: Some(20),
        requirements_per_opportunity: Some(8),
        // Two populations in three ask for broad concepts: partial credit then reaches many
        // skills per requirement, in large tiers of many lists.
        breadth: [
            synth::Breadth::AsDrawn,
            synth::Breadth::Half,
            synth::Breadth::All,
        ][(seed % 3) as usize],
    };
    synth::generate(reference.clone(), tables, &config).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sieve is exercised: on one population under the default configuration, each
    /// watched filter makes checks (so the properties beside them are not vacuous).
    #[test]
    fn every_sieve_is_exercised() {
        for filter in [
            Filter::Eligibility,
            Filter::Required,
            Filter::Counts,
            Filter::Signature,
            Filter::Window,
            Filter::Quick,
            Filter::End,
        ] {
            let checks = audited(filter, 7, 4000, MatchConfig::default(), 20);
            assert!(checks > 0, "{filter:?} made no check");
        }
    }
}
