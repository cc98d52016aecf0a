//! The [`Engine`]: a frozen, validated dataset that answers matching queries.

use std::collections::HashMap;
use std::fmt;

#[cfg(feature = "rayon")]
use rayon::prelude::*;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::network::{Network, Strengths};
use crate::score::{Explanation, Match, MatchConfig, Names, Scorer, Target};
use crate::store::{ProfileStore, ProfileView};
use crate::topk::TopK;

/// Builds an [`Engine`]; see [`Engine::builder`].
#[derive(Debug)]
pub struct EngineBuilder {
    dataset: Dataset,
    config: MatchConfig,
}

impl EngineBuilder {
    /// Sets the scoring configuration (default: [`MatchConfig::default`]).
    pub fn config(mut self, config: MatchConfig) -> Self {
        self.config = config;
        self
    }

    /// Validates the configuration and the dataset, compiles the profiles into flat arrays and
    /// runs one network search per opportunity host.
    ///
    /// # Errors
    ///
    /// The first invalid configuration value or record; see [`MatchConfig::validate`] and
    /// [`Dataset::validate`].
    pub fn build(self) -> Result<Engine> {
        self.config.validate()?;
        self.dataset.validate()?;
        let dataset = self.dataset;
        let store = ProfileStore::build(&dataset.profiles, &dataset.network).ok_or_else(|| {
            Error::argument(
                "dataset",
                "too many skills, origins or languages for u32 offsets",
            )
        })?;
        let mut hosts: Vec<NodeId> = dataset
            .opportunities
            .iter()
            .map(|o| o.host)
            .filter(|&h| dataset.network.degree(h) > 0)
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        let search = |&h: &NodeId| {
            dataset
                .network
                .strengths_from(h, self.config.network_max_hops)
                .map(|s| (h, s))
        };
        #[cfg(feature = "rayon")]
        let host_strengths = hosts
            .par_iter()
            .map(search)
            .collect::<Result<HashMap<_, _>>>()?;
        #[cfg(not(feature = "rayon"))]
        let host_strengths = hosts
            .iter()
            .map(search)
            .collect::<Result<HashMap<_, _>>>()?;
        let profile_keys = dataset
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key.clone(), ProfileId::new(i as u32)))
            .collect();
        let opportunity_keys = dataset
            .opportunities
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), OpportunityId::new(i as u32)))
            .collect();
        Ok(Engine {
            dataset,
            config: self.config,
            store,
            host_strengths,
            profile_keys,
            opportunity_keys,
        })
    }
}

/// A frozen dataset and configuration that answers queries: the best candidates for an
/// opportunity, the best opportunities for a person, all opportunities at once, and the
/// explanation of any pair.
///
/// Ranking is exact (every eligible pair is scored) and deterministic: score descending, then
/// id ascending, the same list on one thread and on many. `Engine` is `Send + Sync`: share it
/// behind an [`Arc`](std::sync::Arc).
///
/// # Example
///
/// ```
/// use diaspora_match::{io, Engine};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
/// let reference = std::sync::Arc::new(io::load_reference(format!("{dir}/reference"))?);
/// let dataset = io::load_dataset(format!("{dir}/sample"), reference)?;
/// let engine = Engine::builder(dataset).build()?;
/// let opportunity = engine.opportunity_id("o-0001").unwrap();
/// let top = engine.candidates(opportunity, 5)?;
/// assert_eq!(top.len(), 5);
/// assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
/// let why = engine.explain(top[0].profile, opportunity)?;
/// assert_eq!(why.score, top[0].score);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Engine {
    dataset: Dataset,
    config: MatchConfig,
    store: ProfileStore,
    host_strengths: HashMap<NodeId, Strengths>,
    profile_keys: HashMap<String, ProfileId>,
    opportunity_keys: HashMap<String, OpportunityId>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("profiles", &self.store.len())
            .field("opportunities", &self.dataset.opportunities.len())
            .field("config", &self.config)
            .finish()
    }
}

impl Engine {
    /// Starts building an engine over a dataset.
    pub fn builder(dataset: Dataset) -> EngineBuilder {
        EngineBuilder {
            dataset,
            config: MatchConfig::default(),
        }
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The configuration.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.dataset.network
    }

    /// The profile with a key.
    pub fn profile_id(&self, key: &str) -> Option<ProfileId> {
        self.profile_keys.get(key).copied()
    }

    /// The opportunity with a key.
    pub fn opportunity_id(&self, key: &str) -> Option<OpportunityId> {
        self.opportunity_keys.get(key).copied()
    }

    /// Bytes held by the compiled profile arrays.
    pub fn profile_store_bytes(&self) -> usize {
        self.store.heap_bytes()
    }

    fn scorer(&self) -> Scorer<'_> {
        let r = &*self.dataset.reference;
        Scorer {
            config: &self.config,
            taxonomy: &r.taxonomy,
            regions: &r.regions,
        }
    }

    fn target(&self, o: OpportunityId) -> Result<Target<'_>> {
        let opportunity = self.dataset.opportunities.get(o.index()).ok_or_else(|| {
            Error::unknown_id("opportunity", o.as_u32(), self.dataset.opportunities.len())
        })?;
        Ok(Target {
            opportunity,
            strengths: self.host_strengths.get(&opportunity.host),
        })
    }

    fn view(&self, p: ProfileId) -> Result<ProfileView<'_>> {
        self.store
            .get(p)
            .ok_or_else(|| Error::unknown_id("profile", p.as_u32(), self.store.len()))
    }

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

    /// The `k` best candidates for an opportunity, best first.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    ///
    /// # Complexity
    ///
    /// Scores every profile: `O(n · r · s)` for `n` profiles, `r` requirements and `s` skills
    /// per profile, split over the rayon pool; `O(n log k)` for the selection.
    pub fn candidates(&self, opportunity: OpportunityId, k: usize) -> Result<Vec<Match>> {
        check_k(k)?;
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
        let offer = |mut top: TopK<_>, i: usize| {
            if let Some(p) = self.store.get(ProfileId::new(i as u32))
                && let Some((score, components)) = scorer.score(&p, t)
            {
                top.push(score, i as u32, components);
            }
            top
        };
        let n = self.store.len();
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
        top.into_sorted()
            .into_iter()
            .map(|e| Match {
                profile: ProfileId::new(e.id),
                opportunity,
                score: e.score,
                components: e.item,
            })
            .collect()
    }

    /// The `k` best opportunities for a person, best first.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    pub fn opportunities_for(&self, profile: ProfileId, k: usize) -> Result<Vec<Match>> {
        check_k(k)?;
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
        let n = self.dataset.opportunities.len();
        #[cfg(feature = "rayon")]
        let top = (0..n)
            .into_par_iter()
            .fold(|| TopK::new(k), offer)
            .reduce(|| TopK::new(k), TopK::merge);
        #[cfg(not(feature = "rayon"))]
        let top = (0..n).fold(TopK::new(k), offer);
        Ok(top
            .into_sorted()
            .into_iter()
            .map(|e| Match {
                profile,
                opportunity: OpportunityId::new(e.id),
                score: e.score,
                components: e.item,
            })
            .collect())
    }

    /// The `k` best candidates for every opportunity, in opportunity id order; opportunities
    /// run in parallel.
    ///
    /// # Errors
    ///
    /// `k = 0`.
    pub fn match_all(&self, k: usize) -> Result<Vec<Vec<Match>>> {
        check_k(k)?;
        let one = |i: usize| {
            let o = OpportunityId::new(i as u32);
            self.target(o).map(|t| self.rank_profiles(&t, o, k, false))
        };
        let n = self.dataset.opportunities.len();
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
        let r = &*self.dataset.reference;
        let names = Names {
            taxonomy: &r.taxonomy,
            regions: &r.regions,
            languages: &r.languages,
            network: &self.dataset.network,
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
            (Some(s), Some(node)) => s
                .path_to(&self.dataset.network, node)
                .map(|path| path.reversed()),
            _ => None,
        })
    }
}

fn check_k(k: usize) -> Result<()> {
    if k == 0 {
        Err(Error::argument("k", "must be at least 1"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }
}
