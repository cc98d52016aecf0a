//! The queries: candidates for an opportunity, opportunities for a person, every match,
//! explanations and referral paths; each exact, and each with its brute-force oracle.

#[cfg(feature = "rayon")]
use rayon::prelude::*;

use crate::error::Result;
use crate::id::{OpportunityId, ProfileId};
use crate::score::{Components, Explanation, Match, Names, Target};
use crate::util::TopK;

use super::Engine;

impl Engine {
    /// The score of one pair, or `None` when it is excluded or scores at or below
    /// `min_score`.
    ///
    /// # Errors
    ///
    /// An unknown id.
    pub fn score(&self, profile: ProfileId, opportunity: OpportunityId) -> Result<Option<Match>> {
        let (p, t) = (self.view(profile)?, self.target(opportunity)?);
        Ok(self
            .scorer()
            .score(&p, &t)
            .map(|(score, components)| Match {
                profile,
                opportunity,
                score,
                components,
            }))
    }

    /// The `k` best candidates for an opportunity, best first, from the index.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    ///
    /// # Complexity
    ///
    /// Reads the postings of the opportunity's requirements (and related skills), of the
    /// countries near it, of the languages it asks for and of the profiles its host can reach,
    /// best bound per posting first, and stops when no unseen profile can beat the `k`-th
    /// score. On a million synthetic profiles this touches a few thousand of them; in the
    /// worst case (every profile scores alike) it scores everyone once.
    pub fn candidates(&self, opportunity: OpportunityId, k: usize) -> Result<Vec<Match>> {
        self.check_k(k)?;
        let t = self.target(opportunity)?;
        Ok(self.indexed(&t, opportunity, k))
    }

    fn indexed(&self, t: &Target<'_>, opportunity: OpportunityId, k: usize) -> Vec<Match> {
        let top = self.index.top_k(&self.context(), &self.scorer(), t, k);
        self.matches_for(top, opportunity)
    }

    fn matches_for(&self, top: TopK<Components>, opportunity: OpportunityId) -> Vec<Match> {
        top.into_sorted()
            .into_iter()
            .map(|e| Match {
                profile: self.global(e.id),
                opportunity,
                score: e.score,
                components: e.item,
            })
            .collect()
    }

    /// The `k` best candidates for an opportunity by scoring every profile, split over the
    /// rayon pool: the oracle that [`Engine::candidates`] equals, and the baseline of the
    /// benches.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    ///
    /// # Complexity
    ///
    /// `O(n · r · s)` for `n` profiles, `r` requirements and `s` skills per profile;
    /// `O(n log k)` for the selection.
    pub fn candidates_brute_force(
        &self,
        opportunity: OpportunityId,
        k: usize,
    ) -> Result<Vec<Match>> {
        self.check_k(k)?;
        let t = self.target(opportunity)?;
        Ok(self.rank_profiles(&t, opportunity, k, true))
    }

    fn rank_profiles(
        &self,
        t: &Target<'_>,
        opportunity: OpportunityId,
        k: usize,
        parallel: bool,
    ) -> Vec<Match> {
        let scorer = self.scorer();
        let store = &self.index.store;
        let offer = |mut top: TopK<_>, i: usize| {
            if let Some((score, components)) = scorer.score(&store.view(i), t) {
                top.push(score, i as u32, components);
            }
            top
        };
        let n = store.len();
        #[cfg(feature = "rayon")]
        let top = if parallel {
            (0..n)
                .into_par_iter()
                .with_min_len(1024)
                .fold(|| TopK::new(k), offer)
                .reduce(|| TopK::new(k), TopK::merge)
        } else {
            (0..n).fold(TopK::new(k), offer)
        };
        #[cfg(not(feature = "rayon"))]
        let top = {
            let _ = parallel;
            (0..n).fold(TopK::new(k), offer)
        };
        self.matches_for(top, opportunity)
    }

    /// The `k` best opportunities for a person, best first, from the index of opportunity
    /// requirements: the opportunities that give credit to a skill the person holds are
    /// scored; the others only without [`MatchConfig::require_evidence`](crate::MatchConfig::require_evidence), and only while they
    /// could still beat the `k`-th score without skills.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    pub fn opportunities_for(&self, profile: ProfileId, k: usize) -> Result<Vec<Match>> {
        self.check_k(k)?;
        let p = self.view(profile)?;
        let scorer = self.scorer();
        let n = self.opportunities.len();
        let mut related = vec![false; n];
        for &s in p.skills {
            for &o in self.reverse.opportunities_with(usize::from(s)) {
                related[o as usize] = true;
            }
        }
        // Capital, interests or residence may list a person for these without a skill.
        for &o in self.reverse.channel_opportunities() {
            related[o as usize] = true;
        }
        let mut top = TopK::new(k);
        let offer = |top: &mut TopK<_>, j: usize| {
            if let Ok(t) = self.target(OpportunityId::new(j as u32))
                && let Some((score, components)) = scorer.score(&p, &t)
            {
                top.push(score, j as u32, components);
            }
        };
        for j in (0..n).filter(|&j| related[j]) {
            offer(&mut top, j);
        }
        // Without a related skill the skills component is 0: with the evidence rule, no
        // unrelated opportunity can be listed.
        let unrelated = if self.config.require_evidence { 0 } else { n };
        for j in (0..unrelated).filter(|&j| !related[j]) {
            let threshold = if top.is_full() {
                top.worst_score().unwrap_or(0.0)
            } else {
                self.config.min_score
            };
            if f64::from(self.reverse.opportunity_floor(j)) + 1e-5 < f64::from(threshold) {
                continue;
            }
            offer(&mut top, j);
        }
        Ok(self.opportunity_matches(top, profile))
    }

    fn opportunity_matches(&self, top: TopK<Components>, profile: ProfileId) -> Vec<Match> {
        top.into_sorted()
            .into_iter()
            .map(|e| Match {
                profile,
                opportunity: OpportunityId::new(e.id),
                score: e.score,
                components: e.item,
            })
            .collect()
    }

    /// The `k` best opportunities for a person by scoring every opportunity: the oracle of
    /// [`Engine::opportunities_for`].
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    pub fn opportunities_for_brute_force(
        &self,
        profile: ProfileId,
        k: usize,
    ) -> Result<Vec<Match>> {
        self.check_k(k)?;
        let p = self.view(profile)?;
        let scorer = self.scorer();
        let offer = |mut top: TopK<_>, i: usize| {
            let o = OpportunityId::new(i as u32);
            if let Ok(t) = self.target(o)
                && let Some((score, components)) = scorer.score(&p, &t)
            {
                top.push(score, i as u32, components);
            }
            top
        };
        let n = self.opportunities.len();
        #[cfg(feature = "rayon")]
        let top = (0..n)
            .into_par_iter()
            .fold(|| TopK::new(k), offer)
            .reduce(|| TopK::new(k), TopK::merge);
        #[cfg(not(feature = "rayon"))]
        let top = (0..n).fold(TopK::new(k), offer);
        Ok(self.opportunity_matches(top, profile))
    }

    /// The `k` best candidates for every opportunity, in opportunity id order, from the
    /// index; opportunities run in parallel.
    ///
    /// # Errors
    ///
    /// `k = 0`.
    pub fn match_all(&self, k: usize) -> Result<Vec<Vec<Match>>> {
        self.check_k(k)?;
        self.each_opportunity(|t, o| self.indexed(t, o, k))
    }

    /// [`Engine::match_all`] by brute force, one opportunity per task.
    ///
    /// # Errors
    ///
    /// `k = 0`.
    pub fn match_all_brute_force(&self, k: usize) -> Result<Vec<Vec<Match>>> {
        self.check_k(k)?;
        self.each_opportunity(|t, o| self.rank_profiles(t, o, k, false))
    }

    /// `rank(target, id)` for every opportunity, in parallel, in id order.
    fn each_opportunity(
        &self,
        rank: impl Fn(&Target<'_>, OpportunityId) -> Vec<Match> + Sync,
    ) -> Result<Vec<Vec<Match>>> {
        let one = |i: usize| {
            let o = OpportunityId::new(i as u32);
            self.target(o).map(|t| rank(&t, o))
        };
        let n = self.opportunities.len();
        #[cfg(feature = "rayon")]
        return (0..n).into_par_iter().map(one).collect();
        #[cfg(not(feature = "rayon"))]
        return (0..n).map(one).collect();
    }

    /// Takes a pair's score apart: each component's value, weight, contribution and reasons
    /// in words, and the hard filters that exclude it. Works for excluded pairs too.
    ///
    /// # Errors
    ///
    /// An unknown id.
    pub fn explain(&self, profile: ProfileId, opportunity: OpportunityId) -> Result<Explanation> {
        let (p, t) = (self.view(profile)?, self.target(opportunity)?);
        let r = &*self.reference;
        let names = Names {
            taxonomy: &r.taxonomy,
            regions: &r.regions,
            languages: &r.languages,
            network: &self.network,
        };
        Ok(self
            .scorer()
            .explain((profile, opportunity), &p, &t, &names))
    }

    /// The strongest referral path from a person to an opportunity's host, within the
    /// configured hop limit, as the network component sees it.
    ///
    /// # Errors
    ///
    /// An unknown id.
    pub fn referral_path(
        &self,
        profile: ProfileId,
        opportunity: OpportunityId,
    ) -> Result<Option<crate::network::Path>> {
        let (p, t) = (self.view(profile)?, self.target(opportunity)?);
        Ok(match (t.strengths, p.node) {
            (Some(s), Some(node)) => s.path_to(&self.network, node).map(|path| path.reversed()),
            _ => None,
        })
    }
}

/// Merges the top-`k` lists of several shards (or threads) into the top `k` of all: score
/// descending, then profile id, then opportunity id.
///
/// # Example
///
/// ```
/// use diaspora_match::{merge_matches, Components, Match, OpportunityId, ProfileId};
/// let m = |p, score| Match {
///     profile: ProfileId::new(p),
///     opportunity: OpportunityId::new(0),
///     score,
///     components: Components::default(),
/// };
/// let merged = merge_matches([vec![m(4, 0.9), m(7, 0.5)], vec![m(2, 0.5), m(1, 0.1)]], 3);
/// let ids: Vec<u32> = merged.iter().map(|m| m.profile.as_u32()).collect();
/// assert_eq!(ids, [4, 2, 7]);
/// ```
pub fn merge_matches(parts: impl IntoIterator<Item = Vec<Match>>, k: usize) -> Vec<Match> {
    let mut all: Vec<Match> = parts.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.profile.cmp(&b.profile))
            .then(a.opportunity.cmp(&b.opportunity))
    });
    all.truncate(k);
    all
}
