//! Building an [`Engine`]: validation of the dataset and configuration, the hosts' network
//! searches, and the compiled index.

use std::collections::HashMap;

#[cfg(feature = "rayon")]
use rayon::prelude::*;

use crate::dataset::{Dataset, is_removed};
use crate::error::{Error, Location, Result};
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::index::{Failure, Index, ProfileStore};
use crate::limits::Limits;
use crate::model::Profile;
use crate::network::{Network, Strengths};
use crate::score::MatchConfig;
use crate::search::Reverse;

use super::Engine;

/// Builds an [`Engine`]; see [`Engine::builder`].
#[derive(Debug)]
pub struct EngineBuilder {
    pub(crate) dataset: Dataset,
    pub(crate) config: MatchConfig,
    pub(crate) limits: Limits,
    pub(crate) first: u32,
}

impl EngineBuilder {
    /// Sets the scoring configuration (default: [`MatchConfig::default`]).
    pub fn config(mut self, config: MatchConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets the [`Limits`] on the dataset and on query arguments (default:
    /// [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Makes this engine one shard of a larger population: its profiles carry the ids
    /// `first .. first + n` instead of `0 .. n` in every query and answer. Build one engine
    /// per part (each with the whole network and all opportunities), ask each for its top `k`
    /// and [`merge_matches`](crate::merge_matches) the lists: the result is exactly the top `k` of one engine over
    /// everyone.
    pub fn first_profile_id(mut self, first: ProfileId) -> Self {
        self.first = first.as_u32();
        self
    }

    /// Validates the configuration and the dataset, compiles the profiles into the index and
    /// runs one network search per opportunity host.
    ///
    /// # Errors
    ///
    /// The first invalid configuration value or record; see [`MatchConfig::validate`] and
    /// [`Dataset::validate`]; a shard whose ids would pass `u32::MAX`; a taxonomy of more than
    /// 65,536 skills or a profile with more than 255 origins (the compact store's limits).
    pub fn build(mut self) -> Result<Engine> {
        self.check_settings()?;
        // The network's searches answer to the engine's limits.
        self.dataset.network.set_limits(self.limits);
        // The keys' table (sequential) beside the checks of the fields and, when those pass,
        // the profile arrays and the host searches; errors are then reported in the order
        // of the records, as `Dataset::validate` does.
        let ds = &self.dataset;
        let max_hops = self.config.network_max_hops;
        #[cfg(feature = "rayon")]
        let (keys, (fields, built)) = rayon::join(|| ds.key_table(), || compile(ds, max_hops));
        #[cfg(not(feature = "rayon"))]
        let (keys, (fields, built)) = (ds.key_table(), compile(ds, max_hops));
        let profile_keys = ds.settle(fields, keys)?;
        self.check_limits()?;
        let (store, host_strengths) = built.ok_or_else(|| {
            Error::argument(
                "dataset",
                "the profiles were not compiled (a field is invalid)",
            )
        })??;
        // The profiles live on in the store and the key table only.
        let Dataset {
            reference,
            profiles,
            opportunities,
            network,
        } = self.dataset;
        drop(profiles);
        let opportunity_keys = opportunities
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), OpportunityId::new(i as u32)))
            .collect();
        let mut engine = Engine {
            reference,
            opportunities,
            network,
            config: self.config,
            limits: self.limits,
            index: Index::default(),
            reverse: Reverse::default(),
            host_strengths,
            profile_keys,
            opportunity_keys,
            first: self.first,
        };
        engine.index = Index::build(store, &engine.context().shape());
        engine.reverse = Reverse::build(&engine.context());
        Ok(engine)
    }

    /// The configuration and the limits are valid, and the network search stays within the
    /// hop limit.
    fn check_settings(&self) -> Result<()> {
        self.config.validate()?;
        self.limits.validate()?;
        if self.config.network_max_hops > self.limits.hops {
            return Err(Limits::exceeded(
                "hops",
                u64::from(self.limits.hops),
                Location::default(),
            ));
        }
        Ok(())
    }

    /// Every profile and opportunity is within the limits, and the shard's ids fit in `u32`.
    fn check_limits(&self) -> Result<()> {
        for (i, p) in self.dataset.profiles.iter().enumerate() {
            check_profile_limits(&self.limits, i, p)?;
        }
        for (i, o) in self.dataset.opportunities.iter().enumerate() {
            self.limits.check_requirements(o.requirements.len(), || {
                Location::default().index(i).key(&o.key)
            })?;
        }
        if u32::try_from(self.dataset.profiles.len())
            .ok()
            .and_then(|n| n.checked_add(self.first))
            .is_none_or(|end| end > ProfileId::MAX.as_u32())
        {
            return Err(Error::argument(
                "first_profile_id",
                "the shard's ids would not fit in u32",
            ));
        }
        Ok(())
    }
}

/// What compiling a dataset gives: the first invalid profile field, if any; else the profile
/// store and the hosts' network searches (or why they could not be made).
type Compiled = (
    Option<(usize, Error)>,
    Option<Result<(ProfileStore, HashMap<NodeId, Strengths>)>>,
);

/// Compiles the profiles into the store (checking each one's fields) and runs one network
/// search per opportunity host with ties. The compact adjacency is built first: the profile
/// arrays ask it whether each has ties, and the host searches walk it.
fn compile(ds: &Dataset, max_hops: u8) -> Compiled {
    ds.network.adjacency();
    let store = match ProfileStore::build(&ds.profiles, &ds.network, |i, p, node| {
        if is_removed(p) {
            Ok(())
        } else {
            ds.check_profile_at(i, p, node)
        }
    }) {
        Ok(store) => store,
        Err(Failure::Field(i, e)) => return (Some((i, e)), None),
        Err(Failure::Store(e)) => return (None, Some(Err(e))),
    };
    let mut hosts: Vec<NodeId> = ds
        .opportunities
        .iter()
        .map(|o| o.host)
        .filter(|&h| ds.network.has_ties(h))
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    let searched = search_hosts(&ds.network, &hosts, max_hops);
    (None, Some(searched.map(|s| (store, s))))
}

pub(crate) fn search_hosts(
    network: &Network,
    hosts: &[NodeId],
    max_hops: u8,
) -> Result<HashMap<NodeId, Strengths>> {
    let search = |&h: &NodeId| network.strengths_from(h, max_hops).map(|s| (h, s));
    #[cfg(feature = "rayon")]
    return hosts.par_iter().map(search).collect();
    #[cfg(not(feature = "rayon"))]
    return hosts.iter().map(search).collect();
}

pub(crate) fn check_profile_limits(limits: &Limits, i: usize, p: &Profile) -> Result<()> {
    limits.check_skills(p.skills.len(), || Location::default().index(i).key(&p.key))
}
