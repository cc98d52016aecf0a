//! A [`Population`]: the plan of a synthetic registry, drawn chunk by chunk (the same on any
//! number of threads), into memory or straight to files.

use std::collections::HashMap;
use std::sync::Arc;

use crate::dataset::{Dataset, Reference};
use crate::error::{Error, Result};
use crate::id::{NodeId, RegionId};
use crate::model::{Date, Engagement};
use crate::network::{NodeKind, Tie};
use crate::util::map_chunks;

use super::config::{
    CHUNK, GENERATION_MIX, ORGANISATIONS_RELAY, Progress, Stage, SynthConfig, TIE_CHUNK,
};
use super::rng::{SplitMix64, Weighted};
use super::tables::SourceTables;

/// What a person draws that ties depend on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attrs {
    pub(crate) origin: RegionId,
    pub(crate) residence: RegionId,
    pub(crate) occupation: u32,
}

/// A synthetic population: profiles, opportunities with their host organisations, contacts
/// who are not profiles, and ties, drawn from the real tables.
///
/// [`Population::generate`] builds a [`Dataset`] in memory; [`Population::write`] streams the
/// same records to files in the format [`io`](crate::io) loads, holding only what ties need
/// (three small numbers per person), so populations of tens of millions fit.
#[derive(Clone, Debug)]
pub struct Population<'a> {
    pub(crate) reference: Arc<Reference>,
    pub(crate) tables: &'a SourceTables,
    pub(crate) config: SynthConfig,
    pub(crate) corridor: Weighted,
    pub(crate) generation: Weighted,
    pub(crate) countries: Vec<RegionId>,
    pub(crate) country_pick: Weighted,
    pub(crate) start: i32,
    /// Each opportunity's engagement kind and occupation (from their own random stream);
    /// [`DEMAND_SHARE`](super::config::DEMAND_SHARE) of profiles are drawn from these occupations.
    pub(crate) kinds: Vec<(Engagement, usize)>,
}

pub(crate) fn chunk_rng(seed: u64, stream: u64, chunk: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = mix.next_u64();
    let mut rng = SplitMix64::new(base ^ chunk.wrapping_mul(0xE703_7ED1_A0B4_28DB));
    rng.next_u64();
    rng
}

pub(crate) const PROFILES: u64 = 1;

pub(crate) const CONTACTS: u64 = 2;

pub(crate) const OPPORTUNITIES: u64 = 3;

pub(crate) const TIES: u64 = 4;

/// Generates a dataset in memory; see [`Population`].
///
/// # Errors
///
/// Empty source tables, or sizes too large for `u32` ids.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use diaspora_match::{io, synth};
/// let dir = io::bundled_reference_dir();
/// let reference = Arc::new(io::load_reference(&dir)?);
/// let tables = synth::SourceTables::load(&dir, &reference)?;
/// let config = synth::SynthConfig { profiles: 50, opportunities: 5, ties: 100, seed: 1, ..Default::default() };
/// let a = synth::generate(reference.clone(), &tables, &config)?;
/// let b = synth::generate(reference, &tables, &config)?;
/// assert_eq!(a.profiles, b.profiles);
/// assert_eq!(a.network.tie_count(), 100);
/// a.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn generate(
    reference: Arc<Reference>,
    tables: &SourceTables,
    config: &SynthConfig,
) -> Result<Dataset> {
    Population::new(reference, tables, *config)?.generate()
}

impl<'a> Population<'a> {
    /// A population over the reference data and the source tables.
    ///
    /// # Errors
    ///
    /// Empty source tables, or sizes too large for `u32` ids.
    pub fn new(
        reference: Arc<Reference>,
        tables: &'a SourceTables,
        config: SynthConfig,
    ) -> Result<Population<'a>> {
        if tables.corridors.is_empty() || tables.occupations.is_empty() {
            return Err(Error::argument(
                "tables",
                "no corridors or occupations to draw from",
            ));
        }
        let nodes = config
            .profiles
            .checked_add(config.opportunities)
            .and_then(|n| n.checked_add(config.profiles / 10 + 1));
        if nodes.and_then(NodeId::from_index).is_none() {
            return Err(Error::argument("profiles", "too many for u32 ids"));
        }
        let corridor = Weighted::new(tables.corridors.iter().map(|c| c.2 as f64));
        // Opportunity countries: diaspora size, doubled for least developed countries.
        let mut diaspora: HashMap<RegionId, f64> = HashMap::new();
        for &(o, _, s) in &tables.corridors {
            *diaspora.entry(o).or_default() += s as f64;
        }
        let mut countries: Vec<(RegionId, f64)> = diaspora
            .into_iter()
            .map(|(c, s)| {
                (
                    c,
                    if reference.regions.is_least_developed(c) {
                        2.0 * s
                    } else {
                        s
                    },
                )
            })
            .collect();
        countries.sort_by_key(|c| c.0);
        let country_pick = Weighted::new(countries.iter().map(|c| c.1));
        let mut population = Population {
            tables,
            config,
            corridor,
            generation: Weighted::new(GENERATION_MIX),
            countries: countries.into_iter().map(|c| c.0).collect(),
            country_pick,
            start: Date::from_ymd(2027, 1, 1).map_or(0, Date::days),
            reference,
            kinds: Vec::new(),
        };
        population.kinds = population.opportunity_kinds();
        Ok(population)
    }

    pub(crate) fn chunks(&self) -> usize {
        self.config.profiles.div_ceil(CHUNK)
    }

    /// Builds the whole population in memory.
    ///
    /// # Errors
    ///
    /// None in practice; the network's checks are kept.
    pub fn generate(&self) -> Result<Dataset> {
        self.generate_with_progress(|_| {})
    }

    /// [`Population::generate`], calling `progress` (from any thread) after each chunk of
    /// profiles and of ties.
    ///
    /// # Errors
    ///
    /// As [`Population::generate`].
    pub fn generate_with_progress(&self, progress: impl Fn(Progress) + Sync) -> Result<Dataset> {
        use std::sync::atomic::{AtomicU64, Ordering};
        let done = AtomicU64::new(0);
        let total = self.config.profiles as u64;
        let chunks = map_chunks(0..self.chunks(), |c| {
            let chunk = self.profile_chunk(c);
            let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            progress(Progress {
                stage: Stage::Profiles,
                done: d,
                total,
            });
            chunk
        });
        let mut profiles = Vec::with_capacity(self.config.profiles);
        let mut attrs = Vec::with_capacity(self.config.profiles);
        for (p, a) in chunks.into_iter().flatten() {
            profiles.push(p);
            attrs.push(a);
        }
        let mut dataset = Dataset::new(self.reference.clone());
        for p in &profiles {
            dataset
                .network
                .add_node(&p.key, NodeKind::Person, p.intermediary)?;
        }
        let mut dataset = self.complete(dataset, &attrs, &progress)?;
        dataset.profiles = profiles;
        Ok(dataset)
    }

    /// Adds to a dataset whose network holds every profile's node, in order, the contacts,
    /// the organisations, the opportunities and the ties (drawn from the people's `attrs`).
    pub(crate) fn complete(
        &self,
        mut dataset: Dataset,
        attrs: &[Attrs],
        progress: &(impl Fn(Progress) + Sync),
    ) -> Result<Dataset> {
        use std::sync::atomic::{AtomicU64, Ordering};
        let contacts = self.contacts();
        let first_org = (attrs.len() + contacts.len()) as u32;
        let (opportunities, orgs) = self.opportunities(first_org);
        for (key, consent, _) in &contacts {
            dataset.network.add_node(key, NodeKind::Person, *consent)?;
        }
        for (key, _) in &orgs {
            dataset
                .network
                .add_node(key, NodeKind::Organisation, ORGANISATIONS_RELAY)?;
        }
        let groups = self.groups(attrs, &contacts, &orgs);
        let done = AtomicU64::new(0);
        let total = self.config.ties as u64;
        let ties = map_chunks(0..self.config.ties.div_ceil(TIE_CHUNK), |c| {
            let chunk = self.tie_chunk(&groups, c);
            let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            progress(Progress {
                stage: Stage::Ties,
                done: d,
                total,
            });
            chunk
        });
        for (a, b, kind, strength) in ties.into_iter().flatten() {
            dataset
                .network
                .add_tie(NodeId::new(a), NodeId::new(b), Tie { kind, strength })?;
        }
        dataset.opportunities = opportunities;
        Ok(dataset)
    }
}
