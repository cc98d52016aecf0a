//! The engine's state: the reference data, the opportunities, the network, the compiled
//! profiles and their keys, and the small accessors every query and update goes through.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::dataset::{Dataset, Reference};
use crate::error::{Error, Location, Result};
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::index::Index;
use crate::index::ProfileView;
use crate::limits::Limits;
use crate::model::Opportunity;
use crate::network::{Network, Strengths};
use crate::score::{MatchConfig, Scorer, Target};
use crate::search::Context;
use crate::search::Reverse;

use super::{EngineBuilder, ProfileNodes};

/// A dataset and configuration compiled into an index that answers queries: the best
/// candidates for an opportunity, the best opportunities for a person, all opportunities at
/// once, and the explanation of any pair.
///
/// Ranking is exact and deterministic: score descending, then id ascending, the same list on
/// one thread and on many, and the same list as the brute-force scorer
/// ([`Engine::candidates_brute_force`]), which scores every pair and is kept as the oracle.
/// The indexed queries read postings best bound first and score only the profiles that can
/// still enter the top `k` (see [`Engine::candidates`]). `Engine` is `Send + Sync`: share it
/// behind an
/// [`Arc`](std::sync::Arc); profiles can be added, updated and removed through `&mut self`.
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
/// assert_eq!(top, engine.candidates_brute_force(opportunity, 5)?);
/// let why = engine.explain(top[0].profile, opportunity)?;
/// assert_eq!(why.score, top[0].score);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Engine {
    pub(crate) reference: Arc<Reference>,
    pub(crate) opportunities: Vec<Opportunity>,
    pub(crate) network: Network,
    pub(crate) config: MatchConfig,
    pub(crate) limits: Limits,
    pub(crate) index: Index,
    /// The opportunity side, for [`Engine::opportunities_for`].
    pub(crate) reverse: Reverse,
    pub(crate) host_strengths: HashMap<NodeId, Strengths>,
    /// Each local profile's network node, whose key is the profile's.
    pub(crate) profile_nodes: ProfileNodes,
    pub(crate) opportunity_keys: HashMap<String, OpportunityId>,
    /// The id of local profile 0 (non-zero for a shard).
    pub(crate) first: u32,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("profiles", &self.index.store.len())
            .field("opportunities", &self.opportunities.len())
            .field("first_profile_id", &self.first)
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
            limits: Limits::default(),
            first: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The profile with a key.
    pub fn profile_id(&self, key: &str) -> Option<ProfileId> {
        self.profile_nodes
            .find(key, &self.network)
            .map(|i| self.global(i))
    }

    /// The opportunity with a key.
    pub fn opportunity_id(&self, key: &str) -> Option<OpportunityId> {
        self.opportunity_keys.get(key).copied()
    }

    pub(crate) fn global(&self, local: u32) -> ProfileId {
        ProfileId::new(local + self.first)
    }

    pub(crate) fn local(&self, p: ProfileId) -> Result<u32> {
        let n = self.index.store.len();
        p.as_u32()
            .checked_sub(self.first)
            .filter(|&i| (i as usize) < n)
            .ok_or_else(|| Error::unknown_id("profile", p.as_u32(), n))
    }

    pub(crate) fn context(&self) -> Context<'_> {
        let r = &*self.reference;
        Context {
            config: &self.config,
            taxonomy: &r.taxonomy,
            regions: &r.regions,
            languages: r.languages.len(),
            opportunities: &self.opportunities,
            host_strengths: &self.host_strengths,
        }
    }

    pub(crate) fn scorer(&self) -> Scorer<'_> {
        let r = &*self.reference;
        Scorer {
            config: &self.config,
            taxonomy: &r.taxonomy,
            regions: &r.regions,
        }
    }

    pub(crate) fn target(&self, o: OpportunityId) -> Result<Target<'_>> {
        let opportunity = self.opportunities.get(o.index()).ok_or_else(|| {
            Error::unknown_id("opportunity", o.as_u32(), self.opportunities.len())
        })?;
        Ok(Target {
            opportunity,
            strengths: self.host_strengths.get(&opportunity.host),
        })
    }

    pub(crate) fn view(&self, p: ProfileId) -> Result<ProfileView<'_>> {
        let i = self.local(p)?;
        Ok(self.index.store.view(i as usize))
    }

    pub(crate) fn check_k(&self, k: usize) -> Result<()> {
        if k == 0 {
            Err(Error::argument("k", "must be at least 1"))
        } else if k > self.limits.k {
            Err(Limits::exceeded(
                "k",
                self.limits.k as u64,
                Location::default(),
            ))
        } else {
            Ok(())
        }
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    #[cfg(test)]
    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}
