//! The compiled index: the profiles' compact store, postings per skill, origin country and
//! language, and who accepts each kind of engagement (with the profiles'
//! [`digest`]s for the kinds beyond work), with the updates that keep them current without a
//! rebuild.
//!
//! # Postings
//!
//! Each list holds the sorted ids of the profiles with one skill (or origin country, or
//! language), delta-encoded as LEB128 varints: a skill held by a third of a million people
//! costs about one byte per holder. Lists built with the index are *main* lists; profiles
//! added or replaced later go to small sorted *delta* lists beside them, and are taken out of
//! the main lists, so every profile sits in exactly one of the two. [`Postings::remove`]
//! re-encodes a main list without an id in place (a list never grows when an id leaves it).
//!
//! The exact top-k search over the index is [`crate::search`].

mod compile;
pub(crate) mod digest;
mod engaged;
pub(crate) mod extras;
mod groups;
mod postings;
mod signature_bits;
mod store;

pub(crate) use compile::Failure;
pub(crate) use engaged::Engaged;
pub(crate) use groups::Groups;
pub(crate) use postings::{Part, Postings, or_into};
pub(crate) use store::{ProfileStore, ProfileView};

use std::collections::HashMap;

use crate::error::Result;
use crate::id::NodeId;
use crate::network::{Network, Strengths};

/// Profiles and the postings that find them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    pub(crate) store: ProfileStore,
    pub(crate) skills: Postings,
    pub(crate) countries: Postings,
    pub(crate) languages: Postings,
    /// Per broad concept, the profiles that hold any of its narrower skills.
    pub(crate) groups: Groups,
    /// Per engagement kind, the profiles that accept it (and their digests, for the kinds
    /// beyond work).
    pub(crate) engaged: Engaged,
    /// Per opportunity host: the profiles its network search reached, sorted by id, with the
    /// strength of the strongest path.
    pub(crate) reached: HashMap<NodeId, Vec<(u32, f32)>>,
}

/// The key of a profile's lists in the three postings.
pub(crate) struct Keys {
    pub(crate) skills: Vec<usize>,
    pub(crate) countries: Vec<usize>,
    pub(crate) languages: Vec<usize>,
}

pub(crate) fn keys(store: &ProfileStore, i: usize) -> Keys {
    let v = store.view(i);
    Keys {
        skills: v.skills.iter().map(|&s| usize::from(s)).collect(),
        countries: distinct(v.origins().map(|o| o.country.index())),
        languages: distinct(v.languages().map(|l| l.language.index())),
    }
}

/// The distinct values, sorted: a profile is listed once per country and language, however
/// often it names them.
pub(crate) fn distinct(values: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = values.collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What the index needs besides the profiles: the sizes of its three key spaces (skills,
/// countries, languages), the taxonomy (for the broad concepts' lists) and the hosts'
/// network searches. The search's
/// [`Context`](crate::search::Context) gives it.
pub(crate) struct Shape<'a> {
    pub(crate) skills: usize,
    pub(crate) countries: usize,
    pub(crate) languages: usize,
    pub(crate) taxonomy: &'a crate::taxonomy::Taxonomy,
    pub(crate) host_strengths: &'a HashMap<NodeId, Strengths>,
}

impl Index {
    /// Builds the postings over a compiled store.
    pub(crate) fn build(store: ProfileStore, cx: &Shape<'_>) -> Index {
        let n = store.len();
        let st = &store;
        let build_skills = || {
            Postings::build(cx.skills, n, |ids, f| {
                for i in ids {
                    for &s in st.view(i as usize).skills {
                        f(usize::from(s), i);
                    }
                }
            })
        };
        let build_countries = || {
            Postings::build(cx.countries, n, |ids, f| {
                for i in ids {
                    for c in distinct(st.view(i as usize).origins().map(|o| o.country.index())) {
                        f(c, i);
                    }
                }
            })
        };
        let build_languages = || {
            Postings::build(cx.languages, n, |ids, f| {
                for i in ids {
                    for l in distinct(st.view(i as usize).languages().map(|l| l.language.index())) {
                        f(l, i);
                    }
                }
            })
        };
        #[cfg(feature = "rayon")]
        let (skills, (countries, languages)) = rayon::join(build_skills, || {
            rayon::join(build_countries, build_languages)
        });
        #[cfg(not(feature = "rayon"))]
        let (skills, countries, languages) = (build_skills(), build_countries(), build_languages());
        // The group lists are unions of the skills' lists.
        let groups = Groups::build(cx.taxonomy, st, &skills);
        let engaged = Engaged::build(st);
        let mut index = Index {
            store,
            skills,
            countries,
            languages,
            groups,
            engaged,
            ..Index::default()
        };
        index.refresh_network(cx);
        index
    }

    /// Recomputes the per-host lists of reached profiles.
    pub(crate) fn refresh_network(&mut self, cx: &Shape<'_>) {
        // The profile of each network node (u32::MAX for the others).
        let nodes = (0..self.store.len())
            .filter_map(|i| self.store.view(i).node)
            .map(|n| n.index() + 1)
            .max()
            .unwrap_or(0);
        let mut profile_of: Vec<u32> = vec![u32::MAX; nodes];
        for i in 0..self.store.len() {
            if let Some(n) = self.store.view(i).node
                && let Some(slot) = profile_of.get_mut(n.index())
            {
                *slot = i as u32;
            }
        }
        self.reached = cx
            .host_strengths
            .iter()
            .map(|(&h, s)| {
                let mut list: Vec<(u32, f32)> = s
                    .iter()
                    .filter(|e| e.1 > 0.0)
                    .filter_map(|(n, v)| {
                        profile_of
                            .get(n.index())
                            .filter(|&&p| p != u32::MAX)
                            .map(|&p| (p, v))
                    })
                    .collect();
                list.sort_unstable_by_key(|e| e.0);
                list.shrink_to_fit();
                (h, list)
            })
            .collect();
    }

    /// Bytes of the postings: skills, countries, languages, group lists, who accepts each
    /// kind (with the digests), and the profiles each host's network search reached.
    pub(crate) fn postings_bytes(&self) -> usize {
        self.engaged.heap_bytes()
            + self.skills.heap_bytes()
            + self.countries.heap_bytes()
            + self.languages.heap_bytes()
            + self.groups.heap_bytes()
            + self
                .reached
                .values()
                .map(|l| l.capacity() * 8)
                .sum::<usize>()
    }

    /// Ids in delta lists: what [`Index::compact`] would fold into the main lists.
    pub(crate) fn pending(&self) -> usize {
        self.skills.delta_len
            + self.countries.delta_len
            + self.languages.delta_len
            + self.groups.postings.delta_len
    }

    /// Calls `f` with each postings list of profile `i`'s keys (skills, countries,
    /// languages, groups) and the key.
    fn each_list(&mut self, i: usize, mut f: impl FnMut(&mut Postings, usize)) {
        let k = keys(&self.store, i);
        let groups = self.groups.keys(self.store.view(i).skills);
        groups
            .into_iter()
            .for_each(|g| f(&mut self.groups.postings, g));
        k.skills.into_iter().for_each(|s| f(&mut self.skills, s));
        k.countries
            .into_iter()
            .for_each(|c| f(&mut self.countries, c));
        k.languages
            .into_iter()
            .for_each(|l| f(&mut self.languages, l));
    }

    fn unlist(&mut self, i: usize) {
        self.each_list(i, |postings, key| {
            postings.remove(key, i as u32);
        });
        self.engaged.remove(i);
    }

    fn list(&mut self, i: usize) {
        self.each_list(i, |postings, key| postings.insert(key, i as u32));
        self.engaged.insert(&self.store, i);
    }

    /// Appends a profile (compiled by the caller into the store) to the postings.
    pub(crate) fn add(&mut self, p: &crate::model::Profile, network: &Network) -> Result<u32> {
        let id = self.store.len() as u32;
        self.store.add(p, network)?;
        self.list(id as usize);
        Ok(id)
    }

    /// Updates profile `id` to `p` (the engine's `update_profile`).
    pub(crate) fn update(
        &mut self,
        id: u32,
        p: &crate::model::Profile,
        network: &Network,
    ) -> Result<()> {
        self.unlist(id as usize);
        self.store.update(id, p, network)?;
        self.list(id as usize);
        Ok(())
    }

    /// Removes profile `id` from the store and every list (the engine's `remove_profile`).
    pub(crate) fn remove(&mut self, id: u32) -> Result<()> {
        self.unlist(id as usize);
        for list in self.reached.values_mut() {
            list.retain(|e| e.0 != id);
        }
        self.store.remove(id)
    }

    /// Rebuilds the main lists and the store from the current profiles.
    pub(crate) fn compact(&mut self, cx: &Shape<'_>) -> Result<()> {
        let mut store = std::mem::take(&mut self.store);
        store.compact()?;
        *self = Index::build(store, cx);
        Ok(())
    }

    /// Whether compaction is due: replaced or added profiles make up more than a sixteenth.
    pub(crate) fn compaction_due(&self) -> bool {
        let n = self.store.len().max(1);
        self.pending() > 4096.max(n / 16) || self.store.garbage() > 4096.max(n)
    }

    /// Whether any structure still refers to profile `id`.
    #[cfg(test)]
    pub(crate) fn refers_to(&self, id: u32) -> bool {
        self.skills.holds(id)
            || self.countries.holds(id)
            || self.languages.holds(id)
            || self.groups.postings.holds(id)
            || self.reached.values().any(|l| l.iter().any(|e| e.0 == id))
            || self.engaged.any(id as usize)
            || self.store.holds_anything(id as usize)
    }

    pub(crate) fn skills_listed(&self) -> usize {
        self.skills.counts.len()
    }
}
