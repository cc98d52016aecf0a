//! Building an [`Engine`]: validation of the dataset and configuration, the hosts' network
//! searches, and the compiled index.

use std::collections::HashMap;

#[cfg(feature = "rayon")]
use rayon::prelude::*;

use crate::dataset::Dataset;
use crate::error::{Error, Location, Result};
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::index::{Index, ProfileStore};
use crate::limits::Limits;
use crate::model::{Opportunity, Profile};
use crate::network::{Network, Strengths};
use crate::score::MatchConfig;
use crate::search::Reverse;

use super::Engine;
use super::compile::Compilation;
use super::profile_nodes::ProfileNodes;

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
    /// runs one network search per opportunity host. The dataset's profiles are dropped as
    /// they are compiled: the engine keeps them in its compact store (see
    /// [`Engine::profile`]).
    ///
    /// # Errors
    ///
    /// The first invalid configuration value or record; see [`MatchConfig::validate`] and
    /// [`Dataset::validate`]; a shard whose ids would pass `u32::MAX`; a taxonomy of more than
    /// 65,536 skills or a profile with more than 255 origins (the compact store's limits).
    pub fn build(self) -> Result<Engine> {
        self.build_with_profiles(std::iter::empty())
    }

    /// [`EngineBuilder::build`] over the dataset's profiles followed by the chunks of profiles
    /// that `chunks` yields, in order: each chunk is checked, compiled and dropped before the
    /// next is asked for, so a population never sits in memory as records, only as the
    /// engine's compact store (about a tenth of the size). The dataset holds the reference
    /// data, the opportunities and the whole network (every profile's node, if it has one).
    ///
    /// ```
    /// use diaspora_match::{io, Dataset, Engine};
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// let reference = std::sync::Arc::new(io::load_reference(format!("{dir}/reference"))?);
    /// let mut whole = io::load_dataset(format!("{dir}/sample"), reference)?;
    /// let all = Engine::builder(whole.clone()).build()?;
    /// // The same profiles, in chunks of 7.
    /// let profiles = std::mem::take(&mut whole.profiles);
    /// let chunks = profiles.chunks(7).map(|c| Ok(c.to_vec()));
    /// let chunked = Engine::builder(whole).build_with_profiles(chunks)?;
    /// let o = all.opportunity_id("o-0001").unwrap();
    /// assert_eq!(chunked.candidates(o, 10)?, all.candidates(o, 10)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`EngineBuilder::build`], with records numbered across the chunks; the first
    /// error a chunk is given as.
    pub fn build_with_profiles<I>(mut self, chunks: I) -> Result<Engine>
    where
        I: IntoIterator<Item = Result<Vec<Profile>>>,
    {
        self.check_settings()?;
        if OpportunityId::from_index(self.dataset.opportunities.len()).is_none() {
            return Err(Error::argument("dataset", "too many records for u32 ids"));
        }
        // The network's searches answer to the engine's limits.
        self.dataset.network.set_limits(self.limits);
        let own = std::mem::take(&mut self.dataset.profiles);
        let mut compilation = Compilation::new(&self.dataset, &self.limits);
        for chunk in std::iter::once(Ok(own)).chain(chunks) {
            compilation.add(&chunk?)?;
        }
        let (mut nodes, pending, store) = compilation.finish(self.first)?;
        pending.add_nodes(&mut self.dataset.network, &mut nodes)?;
        assemble(
            self.dataset,
            (self.config, self.limits, self.first),
            nodes,
            store,
        )
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
}

/// The engine over a dataset whose profiles are compiled into `store`, with their nodes in
/// `profile_nodes` (the dataset's own profile list is dropped): the hosts' network searches,
/// the postings, the opportunity side. `settings` are the configuration, the limits (which the network's
/// searches answer to from now on) and the shard's first id.
pub(crate) fn assemble(
    dataset: Dataset,
    settings: (MatchConfig, Limits, u32),
    mut profile_nodes: ProfileNodes,
    store: ProfileStore,
) -> Result<Engine> {
    let (config, limits, first) = settings;
    let Dataset {
        reference,
        profiles: _,
        opportunities,
        mut network,
    } = dataset;
    network.set_limits(limits);
    let hosts = search_all_hosts(&opportunities, &network, config.network_max_hops)?;
    network.shrink_to_fit();
    profile_nodes.shrink_to_fit();
    let opportunity_keys = opportunities
        .iter()
        .enumerate()
        .map(|(i, o)| (o.key.clone(), OpportunityId::new(i as u32)))
        .collect();
    let mut engine = Engine {
        reference,
        opportunities,
        network,
        config,
        limits,
        index: Index::default(),
        reverse: Reverse::default(),
        host_strengths: hosts,
        profile_nodes,
        opportunity_keys,
        first,
    };
    engine.index = Index::build(store, &engine.context().shape());
    engine.reverse = Reverse::build(&engine.context());
    Ok(engine)
}

/// One network search per opportunity host with ties.
fn search_all_hosts(
    opportunities: &[Opportunity],
    network: &Network,
    max_hops: u8,
) -> Result<HashMap<NodeId, Strengths>> {
    let mut hosts: Vec<NodeId> = opportunities
        .iter()
        .map(|o| o.host)
        .filter(|&h| network.has_ties(h))
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    search_hosts(network, &hosts, max_hops)
}

pub(crate) fn search_hosts(
    network: &Network,
    hosts: &[NodeId],
    max_hops: u8,
) -> Result<HashMap<NodeId, Strengths>> {
    // The engine keeps each host's strengths, not its paths: an explanation or a referral
    // path runs the host's search again.
    let search = |&h: &NodeId| {
        network.strengths_from(h, max_hops).map(|mut s| {
            s.forget_paths();
            (h, s)
        })
    };
    #[cfg(feature = "rayon")]
    return hosts.par_iter().map(search).collect();
    #[cfg(not(feature = "rayon"))]
    return hosts.iter().map(search).collect();
}

pub(crate) fn check_profile_limits(limits: &Limits, i: usize, p: &Profile) -> Result<()> {
    limits.check_skills(p.skills.len(), || Location::default().index(i).key(&p.key))
}
