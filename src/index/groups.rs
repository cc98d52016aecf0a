//! Broad concepts: for each skill with many narrower skills, one list of the profiles that hold
//! any of them.
//!
//! A requirement that names a broad concept ("Medical software", "computer programming")
//! gives partial credit to every narrower skill: one tier of hundreds of lists, which the
//! search would otherwise decode and merge on every query. The union is made once, when the
//! index is built, and kept current by the same updates as the skills' lists; a union held by
//! more than one profile in eight is a bitset, read in place. The search puts a group's list
//! in place of its narrower skills' lists where a tier holds all of them
//! ([`requirement_term`](crate::search)).

use crate::id::SkillId;
use crate::taxonomy::Taxonomy;
use crate::util::Csr;

use super::postings::Postings;
use super::store::ProfileStore;

/// Least narrower skills for a skill to get a group list: below that, reading the skills'
/// own lists costs about as much as the union.
pub(crate) const GROUP_MIN_CHILDREN: usize = 4;

/// Marks a skill without a group in [`Groups::slot`].
const NONE: u32 = u32::MAX;

/// The group lists and how skills map to them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Groups {
    /// Per skill: its group's number, or [`NONE`].
    slot: Vec<u32>,
    /// Per skill: the numbers of the groups it is directly under.
    above: Csr<u32>,
    /// Per group: the union of its narrower skills' signature bits.
    signature: Vec<u64>,
    /// Per group: the profiles that hold any of its narrower skills.
    pub(crate) postings: Postings,
}

impl Groups {
    /// The groups of `taxonomy` and their lists over `store`, whose skills' lists are
    /// `holders`.
    pub(crate) fn build(taxonomy: &Taxonomy, store: &ProfileStore, holders: &Postings) -> Groups {
        let skills = taxonomy.len();
        let mut slot = vec![NONE; skills];
        let mut count = 0u32;
        for (s, v) in slot.iter_mut().enumerate() {
            if taxonomy.children(SkillId::new(s as u32)).len() >= GROUP_MIN_CHILDREN {
                *v = count;
                count += 1;
            }
        }
        let mut above = Csr::default();
        for s in 0..skills {
            let parents = taxonomy.parents(SkillId::new(s as u32));
            // A skill has a handful of broader entries: the offsets cannot overflow.
            above.push(
                parents
                    .iter()
                    .map(|p| slot[p.index()])
                    .filter(|&g| g != NONE),
            );
        }
        let mut signature = vec![0u64; count as usize];
        for (s, &g) in slot.iter().enumerate() {
            if g != NONE {
                signature[g as usize] = taxonomy
                    .children(SkillId::new(s as u32))
                    .iter()
                    .filter_map(|c| u16::try_from(c.index()).ok())
                    .fold(0, |bits, c| bits | store.signature_bit(c));
            }
        }
        let mut groups = Groups {
            slot,
            above,
            signature,
            postings: Postings::default(),
        };
        // Each group's list is the union of its narrower skills' lists.
        let mut members = vec![Vec::new(); count as usize];
        for s in 0..skills {
            for &g in groups.above.get(s) {
                members[g as usize].push(s as u32);
            }
        }
        let postings = Postings::unions(&members, holders, store.len());
        groups.postings = postings;
        groups
    }

    /// The group of `skill`, when it has one.
    pub(crate) fn of(&self, skill: SkillId) -> Option<u32> {
        self.slot.get(skill.index()).copied().filter(|&g| g != NONE)
    }

    /// The signature bits of group `g`'s narrower skills.
    pub(crate) fn signature(&self, g: u32) -> u64 {
        self.signature.get(g as usize).copied().unwrap_or(0)
    }

    /// The groups whose lists hold a profile with `skills`, sorted and distinct.
    pub(crate) fn keys(&self, skills: &[u16]) -> Vec<usize> {
        let mut out: Vec<usize> = skills
            .iter()
            .flat_map(|&s| self.above.get(usize::from(s)))
            .map(|&g| g as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        // `above` has one offset per skill.
        self.slot.capacity() * 4
            + (self.above.item_count() + self.slot.len()) * 4
            + self.signature.capacity() * 8
            + self.postings.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use crate::engine::Engine;
    use crate::id::SkillId;
    use crate::{io, synth};

    use super::GROUP_MIN_CHILDREN;

    /// Each group's list holds exactly the profiles that hold one of its narrower skills,
    /// after the build and after updates, removals and additions.
    #[test]
    fn group_lists_hold_the_holders_of_narrower_skills() {
        let dir = io::bundled_reference_dir();
        let reference = Arc::new(io::load_reference(&dir).unwrap());
        let tables = synth::SourceTables::load(&dir, &reference).unwrap();
        let config = synth::SynthConfig {
            profiles: 3000,
            opportunities: 5,
            ties: 100,
            seed: 3,
            ..Default::default()
        };
        let data = synth::generate(reference.clone(), &tables, &config).unwrap();
        let mut engine = Engine::builder(data.clone()).build().unwrap();
        let check = |engine: &Engine| {
            let t = &reference.taxonomy;
            let index = &engine.index;
            let mut groups = 0;
            for s in 0..t.len() {
                let skill = SkillId::new(s as u32);
                let Some(g) = index.groups.of(skill) else {
                    assert!(t.children(skill).len() < GROUP_MIN_CHILDREN);
                    continue;
                };
                groups += 1;
                let mut listed = BTreeSet::new();
                index.groups.postings.for_each(g as usize, |i| {
                    assert!(listed.insert(i), "profile {i} twice in a group list");
                });
                let holders: BTreeSet<u32> = (0..index.store.len())
                    .filter(|&i| {
                        let v = index.store.view(i);
                        v.skills
                            .iter()
                            .any(|&h| t.parents(SkillId::new(u32::from(h))).contains(&skill))
                    })
                    .map(|i| i as u32)
                    .collect();
                assert_eq!(listed, holders, "group of {}", t.label(skill));
            }
            assert!(groups > 100);
        };
        check(&engine);
        let mut moved = data.profiles[10].clone();
        moved.key = data.profiles[0].key.clone();
        engine
            .update_profile(crate::ProfileId::new(0), moved)
            .unwrap();
        engine.remove_profile(crate::ProfileId::new(5)).unwrap();
        let mut added = data.profiles[20].clone();
        added.key = "added".into();
        engine.add_profile(added).unwrap();
        check(&engine);
        engine.compact().unwrap();
        check(&engine);
    }
}
