//! What a pair is scored against: the opportunity and its host's reach, and the table of the
//! skills that give credit to each requirement.

use crate::id::SkillId;
use crate::model::Opportunity;
use crate::network::Strengths;
use crate::taxonomy::Relation;

use super::scorer::Scorer;

/// The per-opportunity context: the network strengths from its host, when it has ties.
pub(crate) struct Target<'a> {
    pub(crate) opportunity: &'a Opportunity,
    pub(crate) strengths: Option<&'a Strengths>,
}

pub(crate) const NO_SLOT: u32 = u32::MAX;

/// For one opportunity: the relation credit every related skill gives each requirement, found
/// once through the taxonomy so that scoring a profile is a table lookup per held skill.
pub(crate) struct SkillTable {
    /// Per skill: `start << 8 | count` of its entries, [`NO_SLOT`] for unrelated skills.
    pub(crate) slot: Vec<u32>,
    /// The requirements each related skill gives credit to, grouped by skill.
    pub(crate) entries: Vec<Entry>,
    /// Per requirement: the related skills, their credit and whether they meet a must-have.
    pub(crate) related: Vec<Vec<(SkillId, f32, bool)>>,
    /// Per requirement and held level (0 = unknown, 1-5): the level factor, and whether a
    /// skill that can meet the requirement meets it at that level.
    pub(crate) levels: Vec<[(f32, bool); 6]>,
}

/// One (related skill, requirement) pair of a [`SkillTable`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) requirement: u8,
    /// Whether the skill can meet the requirement as a must-have (same or narrower).
    pub(crate) must: bool,
    /// Relation credit before the level factor.
    pub(crate) credit: f32,
}

impl SkillTable {
    /// The table for `o` over a taxonomy of `skills` entries. An opportunity has at most
    /// [`MAX_REQUIREMENTS`] requirements ([`Dataset::validate`](crate::Dataset::validate)).
    pub(crate) fn new(scorer: &Scorer<'_>, o: &Opportunity, skills: usize) -> SkillTable {
        let m = o.requirements.len().min(MAX_REQUIREMENTS);
        let mut pairs: Vec<(u32, Entry)> = Vec::new();
        let mut related_all = Vec::with_capacity(m);
        for (i, req) in o.requirements.iter().take(m).enumerate() {
            let mut related = Vec::new();
            crate::taxonomy::expand(
                scorer.taxonomy,
                req.skill,
                scorer.config.relatedness.max_hops,
                |s, rel| {
                    if s.index() >= skills {
                        return;
                    }
                    let credit = scorer.relation_credit(rel);
                    let must = matches!(rel, Relation::Same | Relation::Narrower { .. });
                    pairs.push((
                        s.as_u32(),
                        Entry {
                            requirement: i as u8,
                            must,
                            credit,
                        },
                    ));
                    related.push((s, credit, must));
                },
            );
            related_all.push(related);
        }
        pairs.sort_by_key(|p| (p.0, p.1.requirement));
        let mut slot = vec![NO_SLOT; skills];
        let mut entries = Vec::with_capacity(pairs.len());
        let mut k = 0;
        while k < pairs.len() {
            let s = pairs[k].0;
            let start = entries.len();
            while k < pairs.len() && pairs[k].0 == s {
                entries.push(pairs[k].1);
                k += 1;
            }
            slot[s as usize] = (start as u32) << 8 | (entries.len() - start) as u32;
        }
        let levels = o
            .requirements
            .iter()
            .take(m)
            .map(|req| {
                std::array::from_fn(|held| {
                    let held = held as u8;
                    (
                        scorer.level_factor(held, req.min_level),
                        Scorer::level_meets(held, req.min_level),
                    )
                })
            })
            .collect();
        SkillTable {
            slot,
            entries,
            related: related_all,
            levels,
        }
    }

    /// The skills related to requirement `i`, with their credit and whether they can meet it
    /// as a must-have.
    pub(crate) fn related(&self, i: usize) -> impl Iterator<Item = (SkillId, f32, bool)> + '_ {
        self.related.get(i).into_iter().flatten().copied()
    }
}

/// Most requirements an opportunity may have (the index keeps a requirement number in a byte).
pub const MAX_REQUIREMENTS: usize = 255;
