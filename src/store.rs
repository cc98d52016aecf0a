//! Profiles compiled into flat arrays (struct of arrays) for scoring.

use crate::csr::Csr;
use crate::id::{NodeId, ProfileId, SkillId};
use crate::model::{EngagementSet, LanguageSkill, Origin, Profile, Window};
use crate::network::Network;

/// A borrowed view of one compiled profile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProfileView<'a> {
    pub(crate) skills: &'a [SkillId],
    /// Level per skill, 0 where unknown.
    pub(crate) levels: &'a [u8],
    pub(crate) origins: &'a [Origin],
    pub(crate) languages: &'a [LanguageSkill],
    pub(crate) engagements: EngagementSet,
    pub(crate) available: Option<Window>,
    /// The profile's node, when it has at least one tie.
    pub(crate) node: Option<NodeId>,
}

/// Every profile's scoring fields in flat arrays; skills sorted by id within a profile.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfileStore {
    skill_offsets: Vec<u32>,
    skills: Vec<SkillId>,
    levels: Vec<u8>,
    origins: Csr<Origin>,
    languages: Csr<LanguageSkill>,
    engagements: Vec<EngagementSet>,
    available: Vec<Option<Window>>,
    nodes: Vec<Option<NodeId>>,
}

impl ProfileStore {
    pub(crate) fn build(profiles: &[Profile], network: &Network) -> Option<ProfileStore> {
        let mut s = ProfileStore {
            skill_offsets: vec![0],
            ..ProfileStore::default()
        };
        let mut held: Vec<(SkillId, u8)> = Vec::new();
        for p in profiles {
            held.clear();
            held.extend(
                p.skills
                    .iter()
                    .map(|h| (h.skill, h.level.map_or(0, |l| l.get()))),
            );
            held.sort_unstable();
            held.dedup_by_key(|h| h.0);
            s.skills.extend(held.iter().map(|h| h.0));
            s.levels.extend(held.iter().map(|h| h.1));
            s.skill_offsets.push(u32::try_from(s.skills.len()).ok()?);
            if !s.origins.push(p.origins.iter().copied())
                || !s.languages.push(p.languages.iter().copied())
            {
                return None;
            }
            s.engagements.push(p.engagements);
            s.available.push(p.available);
            s.nodes
                .push(network.node(&p.key).filter(|&n| network.degree(n) > 0));
        }
        Some(s)
    }

    pub(crate) fn len(&self) -> usize {
        self.engagements.len()
    }

    pub(crate) fn get(&self, id: ProfileId) -> Option<ProfileView<'_>> {
        let i = id.index();
        let (a, b) = (
            *self.skill_offsets.get(i)? as usize,
            *self.skill_offsets.get(i + 1)? as usize,
        );
        Some(ProfileView {
            skills: &self.skills[a..b],
            levels: &self.levels[a..b],
            origins: self.origins.get(i),
            languages: self.languages.get(i),
            engagements: self.engagements[i],
            available: self.available[i],
            node: self.nodes[i],
        })
    }

    /// Bytes held by the arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.skill_offsets.capacity() * 4
            + self.skills.capacity() * 4
            + self.levels.capacity()
            + self.origins.heap_bytes()
            + self.languages.heap_bytes()
            + self.engagements.capacity()
            + self.available.capacity() * std::mem::size_of::<Option<Window>>()
            + self.nodes.capacity() * std::mem::size_of::<Option<NodeId>>()
    }
}
