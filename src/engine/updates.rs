//! Updates without a rebuild: profiles added, updated and removed, and compaction.

use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::{NodeId, ProfileId};
use crate::model::Profile;
use crate::network::NodeKind;

use super::Engine;
use super::builder::{check_profile_limits, search_hosts};
use crate::dataset::check_profile;

impl Engine {
    /// Adds a profile without rebuilding the index; it gets the next id. It becomes a node of
    /// the network with its consent to relay (`intermediary`), as a loaded profile is, but
    /// without ties (add those to a dataset and rebuild).
    ///
    /// # Errors
    ///
    /// A field the dataset would refuse ([`Dataset::validate`](crate::Dataset::validate)), or a key already in use.
    pub fn add_profile(&mut self, profile: Profile) -> Result<ProfileId> {
        let i = self.profile_count();
        if let Some(first) = self.profile_nodes.find(&profile.key, &self.network) {
            return Err(ErrorKind::DuplicateKey {
                at: Location::default().index(i).key(&profile.key),
                key: profile.key.clone(),
                first: Some(Location::default().index(first as usize)),
            }
            .into());
        }
        self.check_profile(i, &profile)?;
        check_profile_limits(&self.limits, i, &profile)?;
        if self.network.node(&profile.key).is_some() {
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
        if self.profile_nodes.len() != i {
            return Err(Error::argument("profile", "the profile nodes lost count"));
        }
        let node = self
            .network
            .add_node(&profile.key, NodeKind::Person, profile.intermediary)?;
        if let Err(e) = self.index.add(&profile, &self.network) {
            self.network.remove_node(node)?;
            return Err(e);
        }
        self.profile_nodes
            .push(node)
            .map_err(|_| Error::argument("key", "a new node given to a profile already"))?;
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
        let old = self.local_key(i);
        if old.is_empty() {
            return Err(Error::unknown_id(
                "profile",
                id.as_u32(),
                self.profile_count(),
            ));
        }
        if old != profile.key {
            return Err(Error::field(
                Location::default().index(i as usize).key(old),
                "key",
                "an update keeps the key; remove the profile and add a new one instead",
            ));
        }
        self.check_profile(i as usize, &profile)?;
        check_profile_limits(&self.limits, i as usize, &profile)?;
        self.index.update(i, &profile, &self.network)?;
        self.set_consent(&profile.key, profile.intermediary)?;
        self.maybe_compact()
    }

    /// Checks a profile's fields against the engine's reference data and network, as the
    /// builder does.
    fn check_profile(&self, i: usize, p: &Profile) -> Result<()> {
        check_profile(
            &self.reference,
            &self.network,
            i,
            p,
            self.network.node(&p.key),
        )
    }

    /// Carries a person's consent to relay into the network: the node, the compact adjacency
    /// every referral search reads, and the hosts' searches that reached the node (only
    /// paths through it can change, and those first reach it).
    fn set_consent(&mut self, key: &str, consent: bool) -> Result<()> {
        let Some(n) = self.network.node(key) else {
            return Ok(());
        };
        if self.network.is_intermediary(n) == consent {
            return Ok(());
        }
        let hosts = self.hosts_reaching(n);
        self.network.set_intermediary(n, consent)?;
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
        let again = search_hosts(&self.network, hosts, self.config.network_max_hops)?;
        self.host_strengths.extend(again);
        let searched = self.host_strengths.len();
        self.host_strengths.retain(|&h, _| self.network.has_ties(h));
        if hosts.is_empty() && self.host_strengths.len() == searched {
            // No host's search reached the change and every host keeps a tie (a host can
            // lose its last tie unreached when the hop limit is 0): every strength stands.
            return Ok(());
        }
        let mut index = std::mem::take(&mut self.index);
        index.refresh_network(&self.context().shape());
        self.index = index;
        Ok(())
    }

    /// Erases a profile (the right to erasure): its data leaves the profile arrays, every
    /// postings list, the network (its node and ties, see [`Network::remove_node`](crate::Network::remove_node)) and the
    /// hosts' searches, which are run again where they had reached it. Its id is not reused;
    /// [`Engine::to_dataset`] gives an empty record at its place.
    ///
    /// # Errors
    ///
    /// An unknown or already erased id; a profile whose node hosts an opportunity.
    pub fn remove_profile(&mut self, id: ProfileId) -> Result<()> {
        let i = self.local(id)?;
        let Some(n) = self.profile_nodes.node(i) else {
            return Err(Error::unknown_id(
                "profile",
                id.as_u32(),
                self.index.store.len(),
            ));
        };
        if let Some(o) = self.opportunities.iter().find(|o| o.host == n) {
            let key = self.network.key(n);
            return Err(Error::field(
                Location::default().index(i as usize).key(key),
                "key",
                format!("hosts opportunity {}; remove that first", o.key),
            ));
        }
        self.index.remove(i)?;
        self.profile_nodes.remove(i);
        let hosts = self.hosts_reaching(n);
        let neighbours: Vec<NodeId> = self.network.neighbours(n).map(|t| t.0).collect();
        self.network.remove_node(n)?;
        // A neighbour left without ties has no network component any more.
        for v in neighbours {
            if !self.network.has_ties(v)
                && let Some(j) = self.profile_nodes.profile(v)
            {
                let p = self.profile(self.global(j))?;
                self.index.update(j, &p, &self.network)?;
            }
        }
        self.search_again(&hosts)?;
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
