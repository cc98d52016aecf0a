//! The [`Engine`]: a frozen, validated dataset that answers matching queries.

use std::collections::HashMap;
use std::fmt;

#[cfg(feature = "rayon")]
use rayon::prelude::*;

use crate::dataset::{Dataset, is_erased};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::index::{Context, Index};
use crate::index::{Failure, ProfileStore, ProfileView};
use crate::limits::Limits;
use crate::model::Profile;
use crate::network::{Network, Strengths};
use crate::score::{Components, Explanation, Match, MatchConfig, Names, Scorer, Target};
use crate::search::Reverse;
use crate::util::TopK;

/// Builds an [`Engine`]; see [`Engine::builder`].
#[derive(Debug)]
pub struct EngineBuilder {
    dataset: Dataset,
    config: MatchConfig,
    limits: Limits,
    first: u32,
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
    /// and [`merge_matches`] the lists: the result is exactly the top `k` of one engine over
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
    pub fn build(self) -> Result<Engine> {
        self.config.validate()?;
        self.limits.validate()?;
        if self.config.network_max_hops > self.limits.hops {
            return Err(Limits::exceeded(
                "hops",
                u64::from(self.limits.hops),
                Location::default(),
            ));
        }
        // The keys' table (sequential) beside the checks of the fields and, when those pass,
        // the profile arrays and the host searches; errors are then reported in the order
        // of the records, as `Dataset::validate` does.
        let ds = &self.dataset;
        let max_hops = self.config.network_max_hops;
        let compile = || {
            // The compact adjacency first: the profile arrays ask it whether each has ties,
            // and the host searches walk it.
            ds.network.adjacency();
            let store = match ProfileStore::build(&ds.profiles, &ds.network, |i, p, node| {
                if is_erased(p) {
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
        };
        #[cfg(feature = "rayon")]
        let (keys, (fields, built)) = rayon::join(|| ds.key_table(), compile);
        #[cfg(not(feature = "rayon"))]
        let (keys, (fields, built)) = (ds.key_table(), compile());
        let profile_keys = ds.settle(fields, keys)?;
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
        let (store, host_strengths) = built.ok_or_else(|| {
            Error::argument(
                "dataset",
                "the profiles were not compiled (a field is invalid)",
            )
        })??;
        let dataset = self.dataset;
        let opportunity_keys = dataset
            .opportunities
            .iter()
            .enumerate()
            .map(|(i, o)| (o.key.clone(), OpportunityId::new(i as u32)))
            .collect();
        let mut engine = Engine {
            dataset,
            config: self.config,
            limits: self.limits,
            index: Index::default(),
            reverse: Reverse::default(),
            host_strengths,
            profile_keys,
            opportunity_keys,
            first: self.first,
        };
        engine.index = Index::build(store, &engine.context());
        engine.reverse = Reverse::build(&engine.context());
        Ok(engine)
    }
}

fn search_hosts(
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
/// [`Arc`](std::sync::Arc); profiles can be added, replaced and erased through `&mut self`.
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
    dataset: Dataset,
    config: MatchConfig,
    limits: Limits,
    index: Index,
    /// The opportunity side, for [`Engine::opportunities_for`].
    reverse: Reverse,
    host_strengths: HashMap<NodeId, Strengths>,
    /// Key to local profile index.
    profile_keys: HashMap<String, u32>,
    opportunity_keys: HashMap<String, OpportunityId>,
    /// The id of local profile 0 (non-zero for a shard).
    first: u32,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("profiles", &self.index.store.len())
            .field("opportunities", &self.dataset.opportunities.len())
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

    /// The dataset. A profile erased by [`Engine::remove_profile`] leaves an empty record
    /// (no key, no data) at its place, so that later ids do not move.
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
        self.profile_keys.get(key).map(|&i| self.global(i))
    }

    /// The opportunity with a key.
    pub fn opportunity_id(&self, key: &str) -> Option<OpportunityId> {
        self.opportunity_keys.get(key).copied()
    }

    /// Bytes held by the compiled profile arrays (without the postings).
    pub fn profile_store_bytes(&self) -> usize {
        self.index.store.heap_bytes()
    }

    /// Bytes held by the whole index: the profile arrays and the postings.
    pub fn index_bytes(&self) -> usize {
        self.index.heap_bytes()
    }

    fn global(&self, local: u32) -> ProfileId {
        ProfileId::new(local + self.first)
    }

    fn local(&self, p: ProfileId) -> Result<u32> {
        let n = self.index.store.len();
        p.as_u32()
            .checked_sub(self.first)
            .filter(|&i| (i as usize) < n)
            .ok_or_else(|| Error::unknown_id("profile", p.as_u32(), n))
    }

    fn context(&self) -> Context<'_> {
        let r = &*self.dataset.reference;
        Context {
            config: &self.config,
            taxonomy: &r.taxonomy,
            regions: &r.regions,
            languages: r.languages.len(),
            opportunities: &self.dataset.opportunities,
            host_strengths: &self.host_strengths,
        }
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
        let i = self.local(p)?;
        Ok(self.index.store.view(i as usize))
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
    /// scored; the others only without [`MatchConfig::require_evidence`], and only while they
    /// could still beat the `k`-th score without skills.
    ///
    /// # Errors
    ///
    /// `k = 0`, or an unknown id.
    pub fn opportunities_for(&self, profile: ProfileId, k: usize) -> Result<Vec<Match>> {
        self.check_k(k)?;
        let p = self.view(profile)?;
        let scorer = self.scorer();
        let n = self.dataset.opportunities.len();
        let mut related = vec![false; n];
        for &s in p.skills {
            for &o in self.reverse.opportunities_with(usize::from(s)) {
                related[o as usize] = true;
            }
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
        let n = self.dataset.opportunities.len();
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

    /// Adds a profile without rebuilding the index; it gets the next id. It is not in the
    /// network (add its ties to a dataset and rebuild for that).
    ///
    /// # Errors
    ///
    /// A field the dataset would refuse ([`Dataset::validate`]), or a key already in use.
    pub fn add_profile(&mut self, profile: Profile) -> Result<ProfileId> {
        let i = self.dataset.profiles.len();
        if self.profile_keys.contains_key(&profile.key) {
            return Err(ErrorKind::DuplicateKey {
                at: Location::default().index(i).key(&profile.key),
                key: profile.key.clone(),
                first: Location::default(),
            }
            .into());
        }
        self.dataset.check_profile(i, &profile)?;
        check_profile_limits(&self.limits, i, &profile)?;
        if self.dataset.network.node(&profile.key).is_some() {
            return Err(Error::field(
                Location::default().index(i).key(&profile.key),
                "key",
                "already a node of the network; rebuild the engine to add a profile with ties",
            ));
        }
        let id = u32::try_from(i)
            .ok()
            .filter(|&l| {
                l.checked_add(self.first)
                    .is_some_and(|g| g <= ProfileId::MAX.as_u32())
            })
            .ok_or_else(|| Error::argument("profile", "no id left"))?;
        self.index.add(&profile, &self.dataset.network)?;
        self.profile_keys.insert(profile.key.clone(), id);
        self.dataset.profiles.push(profile);
        self.maybe_compact()?;
        Ok(self.global(id))
    }

    /// Replaces a profile's data, keeping its id and key.
    ///
    /// # Errors
    ///
    /// An unknown id, a different key, or a field the dataset would refuse.
    pub fn update_profile(&mut self, id: ProfileId, profile: Profile) -> Result<()> {
        let i = self.local(id)?;
        let old = &self.dataset.profiles[i as usize];
        if old.key != profile.key {
            return Err(Error::field(
                Location::default().index(i as usize).key(&old.key),
                "key",
                "an update keeps the key; remove the profile and add a new one instead",
            ));
        }
        self.dataset.check_profile(i as usize, &profile)?;
        check_profile_limits(&self.limits, i as usize, &profile)?;
        self.index.replace(i, &profile, &self.dataset.network)?;
        self.dataset.profiles[i as usize] = profile;
        self.maybe_compact()
    }

    /// Erases a profile (the right to erasure): its data leaves the profile arrays, every
    /// postings list, the network (its node and ties, see [`Network::remove_node`]) and the
    /// hosts' searches, which are run again where they had reached it. Its id is not reused;
    /// [`Engine::dataset`] keeps an empty record at its place.
    ///
    /// # Errors
    ///
    /// An unknown or already erased id; a profile whose node hosts an opportunity.
    pub fn remove_profile(&mut self, id: ProfileId) -> Result<()> {
        let i = self.local(id)?;
        let key = self.dataset.profiles[i as usize].key.clone();
        if key.is_empty() {
            return Err(Error::unknown_id(
                "profile",
                id.as_u32(),
                self.index.store.len(),
            ));
        }
        let node = self.dataset.network.node(&key);
        if let Some(n) = node
            && let Some(o) = self.dataset.opportunities.iter().find(|o| o.host == n)
        {
            return Err(Error::field(
                Location::default().index(i as usize).key(&key),
                "key",
                format!("hosts opportunity {}; remove that first", o.key),
            ));
        }
        self.index.erase(i)?;
        self.profile_keys.remove(&key);
        self.dataset.profiles[i as usize] = Profile {
            key: String::new(),
            skills: Vec::new(),
            origins: Vec::new(),
            residence: None,
            languages: Vec::new(),
            engagements: crate::model::EngagementSet::EMPTY,
            available: None,
            intermediary: false,
        };
        if let Some(n) = node {
            let hosts: Vec<NodeId> = self
                .host_strengths
                .iter()
                .filter(|(_, s)| s.get(n).is_some())
                .map(|(&h, _)| h)
                .collect();
            let neighbours: Vec<NodeId> = self.dataset.network.ties(n).map(|t| t.0).collect();
            self.dataset.network.remove_node(n)?;
            // A neighbour left without ties has no network component any more.
            for v in neighbours {
                if self.dataset.network.degree(v) == 0
                    && let Some(&j) = self.profile_keys.get(self.dataset.network.key(v))
                {
                    let p = &self.dataset.profiles[j as usize];
                    self.index.replace(j, p, &self.dataset.network)?;
                }
            }
            let again = search_hosts(&self.dataset.network, &hosts, self.config.network_max_hops)?;
            self.host_strengths.extend(again);
            self.host_strengths
                .retain(|&h, _| self.dataset.network.degree(h) > 0);
            let mut index = std::mem::take(&mut self.index);
            index.refresh_network(&self.context());
            self.index = index;
        }
        Ok(())
    }

    fn maybe_compact(&mut self) -> Result<()> {
        if self.index.compaction_due() {
            self.compact()?;
        }
        Ok(())
    }

    /// Folds added and replaced profiles into the main postings and rewrites the profile
    /// arrays in id order. Runs by itself when they make up more than a sixteenth of the
    /// profiles.
    ///
    /// # Errors
    ///
    /// The compact store's limits (see [`EngineBuilder::build`]).
    pub fn compact(&mut self) -> Result<()> {
        let mut index = std::mem::take(&mut self.index);
        let done = index.compact(&self.context());
        self.index = index;
        done
    }

    /// Profiles added or replaced since the last compaction, counted per postings entry.
    pub fn pending_updates(&self) -> usize {
        self.index.pending()
    }

    fn check_k(&self, k: usize) -> Result<()> {
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

fn check_profile_limits(limits: &Limits, i: usize, p: &Profile) -> Result<()> {
    limits.check_skills(p.skills.len(), || Location::default().index(i).key(&p.key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Erasure leaves no trace: not in the profile arrays, in no postings list, in no host's
    /// reached list or network search, not in the network, not among the keys.
    #[test]
    fn erasure_leaves_no_trace_in_any_structure() {
        let dir = crate::io::bundled_reference_dir();
        let reference = std::sync::Arc::new(crate::io::load_reference(&dir).unwrap());
        let sample = dir.parent().unwrap().join("sample");
        let dataset = crate::io::load_dataset(sample, reference).unwrap();
        let mut engine = Engine::builder(dataset).build().unwrap();
        // A person some host's search reached, so every structure holds something of them.
        let (id, node) = (0..engine.dataset.profiles.len())
            .filter_map(|i| {
                let n = engine
                    .dataset
                    .network
                    .node(&engine.dataset.profiles[i].key)?;
                engine
                    .host_strengths
                    .values()
                    .any(|s| s.get(n).is_some())
                    .then_some((i as u32, n))
            })
            .next()
            .unwrap();
        let key = engine.dataset.profiles[id as usize].key.clone();
        assert!(engine.index().refers_to(id));
        engine.remove_profile(ProfileId::new(id)).unwrap();
        assert!(!engine.index().refers_to(id));
        assert!(
            engine
                .host_strengths
                .values()
                .all(|s| s.get(node).is_none())
        );
        assert!(
            engine
                .host_strengths
                .values()
                .all(|s| s.iter().all(|(n, _)| n != node))
        );
        assert_eq!(engine.dataset.network.node(&key), None);
        assert_eq!(engine.dataset.network.degree(node), 0);
        assert!(!engine.profile_keys.contains_key(&key));
        assert!(crate::dataset::is_erased(
            &engine.dataset.profiles[id as usize]
        ));
        // Compaction keeps it so.
        engine.compact().unwrap();
        assert!(!engine.index().refers_to(id));
    }

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }
}
