//! What a placement gives: an [`Assignment`] of [`Placement`]s, and the [`Reason`] each
//! unplaced person or empty place has.

use std::collections::HashMap;

use crate::id::{OpportunityId, ProfileId};

use super::deferred_acceptance::Holdings;
use super::instance::Instance;

/// One person placed in one opportunity.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Placement {
    /// The person.
    pub person: ProfileId,
    /// The opportunity.
    pub opportunity: OpportunityId,
    /// The pair's score.
    pub score: f32,
}

/// Why a person was not placed, or a place was not filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// No acceptable pair at all.
    NoEligibleCandidate,
    /// Zero capacity.
    ZeroCapacity,
    /// A diversity cap kept the pair apart.
    Cap,
    /// Every acceptable partner is full with partners it prefers (or, for `optimal`, that
    /// give a larger total).
    Outranked,
}

/// In words: `no eligible candidate`, `zero capacity`, `a cap` or `outranked`.
impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::NoEligibleCandidate => "no eligible candidate",
            Reason::ZeroCapacity => "zero capacity",
            Reason::Cap => "a cap",
            Reason::Outranked => "outranked",
        })
    }
}

/// The result of [`stable`](super::stable) or [`optimal`](super::optimal).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    /// Who is placed where, sorted by opportunity then person.
    pub placements: Vec<Placement>,
    /// People with capacity who were placed nowhere, with the reason.
    pub unplaced: Vec<(ProfileId, Reason)>,
    /// Opportunities with places left, how many, and the reason.
    pub unfilled: Vec<(OpportunityId, u32, Reason)>,
    /// The sum of the placed pairs' scores.
    pub total_score: f64,
}

impl Assignment {
    /// The placed pairs, as `(person, opportunity)`.
    pub fn placements_of(&self) -> Vec<(ProfileId, OpportunityId)> {
        self.placements
            .iter()
            .map(|p| (p.person, p.opportunity))
            .collect()
    }

    /// The acceptable pairs that would both rather be together than keep what they have
    /// (respecting capacities and caps). Empty for every result of [`stable`](super::stable).
    pub fn blocking_pairs(&self, inst: &Instance) -> Vec<(ProfileId, OpportunityId)> {
        let mut h = Holdings::new(inst);
        let index: HashMap<(u32, u32), u32> = inst
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.person, e.opportunity), i as u32))
            .collect();
        for pl in &self.placements {
            if let Some(&e) = index.get(&(pl.person.as_u32(), pl.opportunity.as_u32())) {
                h.add(e);
            }
        }
        let mut out = Vec::new();
        for p in 0..inst.people() as u32 {
            let prefs = inst.person_prefs.get(p as usize);
            let mine: Vec<u32> = prefs
                .iter()
                .copied()
                .filter(|&e| h.holds(inst.edges[e as usize].opportunity, e))
                .collect();
            let worst_mine = mine.iter().map(|&e| inst.person_rank[e as usize]).max();
            for &e in prefs {
                if mine.contains(&e) {
                    continue;
                }
                let wants = h.taken[p as usize] < inst.person_capacity[p as usize]
                    || worst_mine.is_some_and(|w| inst.person_rank[e as usize] < w);
                if wants && h.consider(e).is_ok() {
                    out.push((
                        ProfileId::new(p),
                        OpportunityId::new(inst.edges[e as usize].opportunity),
                    ));
                }
            }
        }
        out
    }
}
