//! The records an engine keeps, read back: profiles from the compact store and the key
//! table, opportunities and reference data as they were given.
//!
//! The engine does not hold the [`Dataset`] it was built from: a profile lives on as its
//! compiled arrays (about 100 bytes at 20 skills) and its key in one arena, and
//! [`Engine::profile`] puts the record together again from them.

use std::sync::Arc;

use crate::assign::CapBy;
use crate::dataset::{Dataset, Reference};
use crate::error::{Error, Result};
use crate::id::{OpportunityId, ProfileId, RegionId};
use crate::model::{HeldSkill, Level, Opportunity, Profile};

use super::Engine;

impl Engine {
    /// The reference data (skills, countries, languages) the engine was built over.
    pub fn reference(&self) -> &Arc<Reference> {
        &self.reference
    }

    /// The opportunities; [`OpportunityId`] `i` is `opportunities()[i]`.
    pub fn opportunities(&self) -> &[Opportunity] {
        &self.opportunities
    }

    /// An opportunity.
    pub fn opportunity(&self, id: OpportunityId) -> Option<&Opportunity> {
        self.opportunities.get(id.index())
    }

    /// Number of profile ids given, erased ones included: the engine's profiles carry the
    /// ids `first .. first + profile_count()` (`first` is 0 unless the engine is a shard).
    pub fn profile_count(&self) -> usize {
        self.index.store.len()
    }

    /// The ids of the profiles present (not erased), in order.
    pub fn profile_ids(&self) -> impl Iterator<Item = ProfileId> + '_ {
        (0..self.profile_count() as u32)
            .filter(|&i| self.profile_nodes.contains(i))
            .map(|i| self.global(i))
    }

    /// The key of a profile; `None` for an unknown or erased id.
    pub fn profile_key(&self, id: ProfileId) -> Option<&str> {
        let i = self.local(id).ok()?;
        self.profile_nodes.node(i).map(|n| self.network.key(n))
    }

    /// The key of local profile `i` (empty when erased or out of range).
    pub(crate) fn local_key(&self, i: u32) -> &str {
        self.profile_nodes.key(i, &self.network)
    }

    /// The country that groups local profile `i < profile_count()` for placement caps.
    pub(crate) fn profile_group(&self, i: usize, by: CapBy) -> Option<RegionId> {
        match by {
            CapBy::Origin => self.index.store.view(i).origins().next().map(|o| o.country),
            CapBy::Residence => self.index.store.residence(i),
        }
    }

    /// A profile, put together from what the engine keeps: every field that a score, an
    /// explanation or a placement reads, as given; skills in id order, sectors in ISIC order;
    /// years of practice are
    /// not kept (`None`), since nothing scores them; `intermediary` is the consent of the
    /// person's network node.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId) for an unknown or erased id.
    pub fn profile(&self, id: ProfileId) -> Result<Profile> {
        let i = self.local(id)?;
        let Some(node) = self.profile_nodes.node(i) else {
            return Err(Error::unknown_id(
                "profile",
                id.as_u32(),
                self.profile_count(),
            ));
        };
        let key = self.network.key(node);
        let v = self.index.store.view(i as usize);
        Ok(Profile {
            key: key.to_string(),
            skills: v
                .held()
                .map(|(skill, level)| HeldSkill {
                    skill,
                    level: Level::new(level),
                    years: None,
                })
                .collect(),
            origins: v.origins().collect(),
            residence: self.index.store.residence(i as usize),
            languages: v.languages().collect(),
            engagements: v.engagements,
            available: v.available,
            intermediary: self.network.is_intermediary(node),
            capital: v.extras().capital(),
            interests: v.extras().interests(),
        })
    }

    /// A dataset of what the engine holds now: every profile as [`Engine::profile`] gives it
    /// (an erased one as an empty record at its place, so that ids do not move), the
    /// opportunities and the network. Building an engine from it gives the same answers.
    pub fn to_dataset(&self) -> Dataset {
        let profiles = (0..self.profile_count() as u32)
            .map(|i| {
                self.profile(self.global(i))
                    .unwrap_or_else(|_| crate::dataset::removed_profile())
            })
            .collect();
        Dataset {
            reference: Arc::clone(&self.reference),
            profiles,
            opportunities: self.opportunities.clone(),
            network: self.network.clone(),
        }
    }
}
