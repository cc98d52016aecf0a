//! Compiling profiles into the engine chunk by chunk: each chunk's profiles are given their
//! network nodes (whose keys are theirs) while they are checked and compiled into parts of
//! the store, in parallel; then the chunk is dropped. What the build reports later (a limit, a profile the store cannot hold)
//! is kept, the first of each kind.

use std::collections::HashMap;

use crate::dataset::{Dataset, check_key, check_profile, is_removed};
use crate::error::{Error, Location, Result};
use crate::id::ProfileId;
use crate::index::{Failure, ProfileStore};
use crate::limits::Limits;
use crate::model::Profile;
use crate::network::{Network, NodeKind};

use super::builder::check_profile_limits;
use super::profile_nodes::ProfileNodes;

/// The profiles compiled so far.
pub(crate) struct Compilation<'a> {
    dataset: &'a Dataset,
    limits: &'a Limits,
    nodes: ProfileNodes,
    pending: Pending,
    /// The parts compiled so far, joined.
    store: ProfileStore,
    /// Profiles seen.
    count: usize,
    /// The first profile beyond a [`Limits`] bound, reported after the opportunities' checks.
    limit: Option<Error>,
    /// The first profile the compact store cannot hold, reported last.
    unfit: Option<Error>,
}

impl<'a> Compilation<'a> {
    /// Nothing compiled yet; profiles are checked against `dataset`'s reference data and
    /// network, which must be complete.
    pub(crate) fn new(dataset: &'a Dataset, limits: &'a Limits) -> Compilation<'a> {
        // The compact adjacency first: compiling asks it whether each profile has ties.
        dataset.network.adjacency();
        Compilation {
            dataset,
            limits,
            nodes: ProfileNodes::default(),
            pending: Pending::default(),
            store: ProfileStore::default(),
            count: 0,
            limit: None,
            unfit: None,
        }
    }

    /// Compiles the next chunk of profiles.
    ///
    /// # Errors
    ///
    /// The first profile of the chunk with an invalid field or a key that is empty, unsafe or
    /// already given (a key's problem before a field's in the same record); more profiles
    /// than `u32` ids.
    pub(crate) fn add(&mut self, chunk: &[Profile]) -> Result<()> {
        let first = self.count;
        if ProfileId::from_index(first + chunk.len()).is_none() {
            return Err(Error::argument("dataset", "too many records for u32 ids"));
        }
        let ds = self.dataset;
        let check = |i: usize, p: &Profile, node| {
            if is_removed(p) {
                Ok(())
            } else {
                check_profile(&ds.reference, &ds.network, i, p, node)
            }
        };
        let (nodes, pending) = (&mut self.nodes, &mut self.pending);
        #[cfg(feature = "rayon")]
        let (named, compiled) = rayon::join(
            || claim_nodes(nodes, pending, &ds.network, chunk, first),
            || ProfileStore::compile_parts(chunk, first, &ds.network, check),
        );
        #[cfg(not(feature = "rayon"))]
        let (named, compiled) = (
            claim_nodes(nodes, pending, &ds.network, chunk, first),
            ProfileStore::compile_parts(chunk, first, &ds.network, check),
        );
        match (named, compiled) {
            (Err((i, k)), Err(Failure::Field(j, e))) => return Err(if i <= j { k } else { e }),
            (Err((_, k)), _) => return Err(k),
            (Ok(()), Err(Failure::Field(_, e))) => return Err(e),
            (Ok(()), Err(Failure::Store(e))) => {
                self.unfit.get_or_insert(e);
            }
            (Ok(()), Ok(parts)) => {
                if self.unfit.is_none()
                    && let Err(e) = self.store.join(parts)
                {
                    self.unfit = Some(e);
                }
            }
        }
        if self.limit.is_none() {
            self.limit = chunk
                .iter()
                .enumerate()
                .find_map(|(j, p)| check_profile_limits(self.limits, first + j, p).err());
        }
        self.count += chunk.len();
        Ok(())
    }

    /// Each profile's node (the pending ones still to add) and the store, once every chunk is
    /// in.
    ///
    /// # Errors
    ///
    /// In this order: the opportunities' first problem; the first profile beyond a limit;
    /// the first opportunity beyond a limit; a shard whose ids would pass `u32::MAX`; the
    /// first profile the compact store cannot hold.
    pub(crate) fn finish(self, first_id: u32) -> Result<(ProfileNodes, Pending, ProfileStore)> {
        self.dataset.check_opportunities()?;
        if let Some(e) = self.limit {
            return Err(e);
        }
        for (i, o) in self.dataset.opportunities.iter().enumerate() {
            self.limits.check_requirements(o.requirements.len(), || {
                Location::default().index(i).key(&o.key)
            })?;
        }
        if u32::try_from(self.count)
            .ok()
            .and_then(|n| n.checked_add(first_id))
            .is_none_or(|end| end > ProfileId::MAX.as_u32())
        {
            return Err(Error::argument(
                "first_profile_id",
                "the shard's ids would not fit in u32",
            ));
        }
        if let Some(e) = self.unfit {
            return Err(e);
        }
        Ok((self.nodes, self.pending, self.store.joined()))
    }
}

/// Gives each of `profiles` (`profiles[0]` is profile `first`) its network node in `nodes`,
/// an erased profile's place none. A key the network does not hold yet goes to `pending`
/// (index, key, consent), its node added once every chunk is in; or the first profile whose
/// key is empty, unsafe or repeated, with its index.
pub(crate) fn claim_nodes(
    nodes: &mut ProfileNodes,
    pending: &mut Pending,
    network: &Network,
    profiles: &[Profile],
    first: usize,
) -> std::result::Result<(), (usize, Error)> {
    for (j, p) in profiles.iter().enumerate() {
        let i = first + j;
        if is_removed(p) {
            nodes.skip();
            continue;
        }
        let at = || Location::default().index(i).key(&p.key);
        let mut insert = |key: &str, _| match network.node(key) {
            Some(n) => nodes.push(n).err().map(|f| f as usize),
            None => pending.add(key, i, p.intermediary, nodes),
        };
        check_key(&p.key, i, &mut insert, at).map_err(|e| (i, e))?;
    }
    Ok(())
}

/// The profiles whose key names no node yet: each gets a node without ties when the build
/// has every profile ([`Pending::add_nodes`]).
#[derive(Default)]
pub(crate) struct Pending {
    /// Each pending key's local profile id and consent.
    profiles: HashMap<String, (u32, bool)>,
}

impl Pending {
    /// Records profile `i`'s key under a place without a node; or the profile that holds the
    /// key already.
    fn add(
        &mut self,
        key: &str,
        i: usize,
        consent: bool,
        nodes: &mut ProfileNodes,
    ) -> Option<usize> {
        if let Some(&(first, _)) = self.profiles.get(key) {
            return Some(first as usize);
        }
        self.profiles.insert(key.to_string(), (i as u32, consent));
        // The place is the profile's; its node comes in [`Pending::add_nodes`].
        nodes.skip();
        None
    }

    /// Adds a person node without ties for every pending profile, in id order, and gives it
    /// to the profile.
    pub(crate) fn add_nodes(self, network: &mut Network, nodes: &mut ProfileNodes) -> Result<()> {
        let mut profiles: Vec<(String, (u32, bool))> = self.profiles.into_iter().collect();
        profiles.sort_unstable_by_key(|p| p.1.0);
        for (key, (i, consent)) in profiles {
            let n = network.add_node(&key, NodeKind::Person, consent)?;
            nodes
                .set(i, n)
                .map_err(|_| Error::argument("dataset", "a node given to two profiles"))?;
        }
        Ok(())
    }
}
