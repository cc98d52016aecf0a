//! The reverse direction's index: per skill, the opportunities it gives credit to, and per
//! opportunity the most it can score for a person who holds none of its skills; for
//! [`Engine::opportunities_for`](crate::Engine::opportunities_for).

use crate::id::SkillId;
use crate::search::Bounds;

use super::Context;

/// The opportunity side of the index. It depends on the opportunities and the configuration
/// only, so profile updates and compaction leave it as it is.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reverse {
    /// Per skill, the opportunities with a requirement the skill gives credit to.
    opportunity_skills: Vec<Vec<u32>>,
    /// Per opportunity, the most it can score for a person who holds none of its skills.
    opportunity_floor: Vec<f32>,
    /// The opportunities that use the components beyond work (a ticket, a gap, a sector,
    /// causes, countries of settlement): a person without a related skill may be listed for
    /// them, so they are scored for everyone.
    channels: Vec<u32>,
}

impl Reverse {
    /// Bytes held on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.opportunity_skills
            .iter()
            .map(|l| l.capacity() * 4 + std::mem::size_of::<Vec<u32>>())
            .sum::<usize>()
            + self.opportunity_floor.capacity() * 4
            + self.channels.capacity() * 4
    }

    /// The opportunity side of a context.
    pub(crate) fn build(cx: &Context<'_>) -> Reverse {
        let mut per_skill: Vec<Vec<u32>> = vec![Vec::new(); cx.taxonomy.len()];
        let mut floor = Vec::with_capacity(cx.opportunities.len());
        let mut channels = Vec::new();
        for (j, o) in cx.opportunities.iter().enumerate() {
            if crate::score::uses_channels(o) {
                channels.push(j as u32);
            }
            let mut related: Vec<SkillId> = Vec::new();
            for r in &o.requirements {
                crate::taxonomy::expand(
                    cx.taxonomy,
                    r.skill,
                    cx.config.relatedness.max_hops,
                    |s, _| related.push(s),
                );
            }
            related.sort_unstable();
            related.dedup();
            for s in related {
                per_skill[s.index()].push(j as u32);
            }
            let mut b = Bounds::new(cx.config, o);
            b.skills = 0.0;
            b.region = 1.0;
            b.network = 1.0;
            b.language = 1.0;
            floor.push(b.total() as f32);
        }
        Reverse {
            opportunity_skills: per_skill,
            opportunity_floor: floor,
            channels,
        }
    }

    /// Opportunities that give credit to a skill.
    pub(crate) fn opportunities_with(&self, skill: usize) -> &[u32] {
        self.opportunity_skills
            .get(skill)
            .map_or(&[], Vec::as_slice)
    }

    /// The opportunities that use the components beyond work, ascending.
    pub(crate) fn channel_opportunities(&self) -> &[u32] {
        &self.channels
    }

    /// The most an opportunity can score for a person who holds none of its skills (only for
    /// opportunities that do not use the components beyond work).
    pub(crate) fn opportunity_floor(&self, o: usize) -> f32 {
        self.opportunity_floor.get(o).copied().unwrap_or(1.0)
    }
}
