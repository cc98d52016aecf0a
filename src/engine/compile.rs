//! Compiling profiles into the engine chunk by chunk: each chunk's keys go to the key table
//! while its profiles are checked and compiled into parts of the store, in parallel; then the
//! chunk is dropped. What the build reports later (a limit, a profile the store cannot hold)
//! is kept, the first of each kind.

use crate::dataset::{Dataset, check_profile, is_removed, push_keys};
use crate::error::{Error, Location, Result};
use crate::id::ProfileId;
use crate::index::{Failure, ProfileStore};
use crate::limits::Limits;
use crate::model::Profile;
use crate::util::Keys;

use super::builder::check_profile_limits;

/// The profiles compiled so far.
pub(crate) struct Compilation<'a> {
    dataset: &'a Dataset,
    limits: &'a Limits,
    keys: Keys,
    parts: Vec<ProfileStore>,
    /// Profiles seen.
    count: usize,
    /// The first profile beyond a [`Limits`] bound, reported after the opportunities' checks.
    limit: Option<Error>,
    /// The first profile the compact store cannot hold, reported last.
    store: Option<Error>,
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
            keys: Keys::default(),
            parts: Vec::new(),
            count: 0,
            limit: None,
            store: None,
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
        let keys = &mut self.keys;
        #[cfg(feature = "rayon")]
        let (named, compiled) = rayon::join(
            || push_keys(keys, chunk, first),
            || ProfileStore::compile_parts(chunk, first, &ds.network, check),
        );
        #[cfg(not(feature = "rayon"))]
        let (named, compiled) = (
            push_keys(keys, chunk, first),
            ProfileStore::compile_parts(chunk, first, &ds.network, check),
        );
        match (named, compiled) {
            (Err((i, k)), Err(Failure::Field(j, e))) => return Err(if i <= j { k } else { e }),
            (Err((_, k)), _) => return Err(k),
            (Ok(()), Err(Failure::Field(_, e))) => return Err(e),
            (Ok(()), Err(Failure::Store(e))) => {
                self.store.get_or_insert(e);
            }
            (Ok(()), Ok(parts)) => self.parts.extend(parts),
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

    /// The key table and the store, once every chunk is in.
    ///
    /// # Errors
    ///
    /// In this order: the opportunities' first problem; the first profile beyond a limit;
    /// the first opportunity beyond a limit; a shard whose ids would pass `u32::MAX`; the
    /// first profile the compact store cannot hold.
    pub(crate) fn finish(self, first_id: u32) -> Result<(Keys, ProfileStore)> {
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
        if let Some(e) = self.store {
            return Err(e);
        }
        let mut keys = self.keys;
        keys.shrink_to_fit();
        Ok((keys, ProfileStore::from_parts(self.parts, self.count)?))
    }
}
