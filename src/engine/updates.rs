//! Updates without a rebuild: profiles added, updated and removed, and compaction.

use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::{NodeId, ProfileId};
use crate::model::Profile;

use super::Engine;
use super::builder::{check_profile_limits, search_hosts};

impl Engine {
    /// Adds a profile without rebuilding the index; it gets the next id. It is not in the
    /// network (add its ties to a dataset and rebuild for that).
    ///
    /// # Errors
    ///
    /// A field the dataset would refuse ([`Dataset::validate`](crate::Dataset::validate)), or a key already in use.
    pub fn add_profile(&mut self, profile: Profile) -> Result<ProfileId> {
        let i = self.dataset.profiles.len();
        if let Some(first) = self.profile_keys.find(&profile.key) {
            return Err(ErrorKind::DuplicateKey {
                at: Location::default().index(i).key(&profile.key),
                key: profile.key.clone(),
                first: Some(Location::default().index(first as usize)),
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
        if self.profile_keys.len() != i || !self.profile_keys.has_room(&profile.key) {
            return Err(Error::argument("key", "no room left in the key table"));
        }
        self.index.add(&profile, &self.dataset.network)?;
        self.profile_keys
            .push(&profile.key)
            .map_err(|_| Error::argument("key", "no room left in the key table"))?;
        self.dataset.profiles.push(profile);
        self.maybe_compact()?;
        Ok(self.global(id))
    }

    /// Replaces a profile's data, keeping its id and key. A change of consent to relay
    /// (`intermediary`) reaches the network at once: referral paths, and the network
    /// component of every host's opportunities, honour it from the next query on.
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
        let consent = profile.intermediary;
        self.index.update(i, &profile, &self.dataset.network)?;
        self.dataset.profiles[i as usize] = profile;
        self.set_consent(i, consent)?;
        self.maybe_compact()
    }

    /// Carries profile `i`'s consent to relay into the network: the node, the compact
    /// adjacency every referral search reads, and the hosts' searches that reached the node
    /// (only paths through it can change, and those first reach it).
    fn set_consent(&mut self, i: u32, consent: bool) -> Result<()> {
        let key = &self.dataset.profiles[i as usize].key;
        let Some(n) = self.dataset.network.node(key) else {
            return Ok(());
        };
        if self.dataset.network.is_intermediary(n) == consent {
            return Ok(());
        }
        let hosts = self.hosts_reaching(n);
        self.dataset.network.set_intermediary(n, consent)?;
        self.search_again(&hosts)
    }

    /// The hosts whose network search reached node `n`.
    fn hosts_reaching(&self, n: NodeId) -> Vec<NodeId> {
        let mut hosts: Vec<NodeId> = self
            .host_strengths
            .iter()
            .filter(|(_, s)| s.get(n).is_some())
            .map(|(&h, _)| h)
            .collect();
        hosts.sort_unstable();
        hosts
    }

    /// Runs the network searches of `hosts` again on the current network, drops the searches
    /// of hosts left without ties, and refreshes the index's lists of reached profiles.
    fn search_again(&mut self, hosts: &[NodeId]) -> Result<()> {
        let again = search_hosts(&self.dataset.network, hosts, self.config.network_max_hops)?;
        self.host_strengths.extend(again);
        self.host_strengths
            .retain(|&h, _| self.dataset.network.degree(h) > 0);
        let mut index = std::mem::take(&mut self.index);
        index.refresh_network(&self.context().shape());
        self.index = index;
        Ok(())
    }

    /// Erases a profile (the right to erasure): its data leaves the profile arrays, every
    /// postings list, the network (its node and ties, see [`Network::remove_node`](crate::Network::remove_node)) and the
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
        self.index.remove(i)?;
        self.profile_keys.remove(i);
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
            let hosts = self.hosts_reaching(n);
            let neighbours: Vec<NodeId> = self.dataset.network.ties(n).map(|t| t.0).collect();
            self.dataset.network.remove_node(n)?;
            // A neighbour left without ties has no network component any more.
            for v in neighbours {
                if self.dataset.network.degree(v) == 0
                    && let Some(j) = self.profile_keys.find(self.dataset.network.key(v))
                {
                    let p = &self.dataset.profiles[j as usize];
                    self.index.update(j, p, &self.dataset.network)?;
                }
            }
            self.search_again(&hosts)?;
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
    /// The compact store's limits (see [`EngineBuilder::build`](crate::EngineBuilder::build)).
    pub fn compact(&mut self) -> Result<()> {
        let mut index = std::mem::take(&mut self.index);
        let done = index.compact(&self.context().shape());
        self.index = index;
        done
    }

    /// Profiles added or replaced since the last compaction, counted per postings entry.
    pub fn pending_updates(&self) -> usize {
        self.index.pending()
    }
}
