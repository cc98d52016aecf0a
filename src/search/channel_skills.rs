//! A ceiling on a profile's skills component from its 64-bit skill signature (the store's
//! heads), for the search of opportunities beyond work that keep skill requirements (an
//! investment that asks for a trade). Read before a profile is scored: a profile whose
//! signature shares no bit with a requirement's related skills gets no credit for it, and
//! one that shares none with a must-have's is not eligible.

use crate::index::ProfileStore;
use crate::model::Opportunity;
use crate::score::SkillTable;

use super::channel_bound::UNIT;

/// One requirement: its weight, its related skills' signature bits by credit (best first,
/// each with the credit times the best level factor), and the bits of the skills that can
/// meet it when it is a must-have.
struct Requirement {
    weight: f64,
    tiers: Vec<(u64, f64)>,
    must: Option<u64>,
}

/// Per query, what a skill signature allows of the skills component.
pub(crate) struct SkillCeiling {
    requirements: Vec<Requirement>,
    weights: f64,
    /// The skills' share of the total (the bound counts them at 1).
    share: f64,
}

impl SkillCeiling {
    /// The ceiling for an opportunity with skill requirements whose skills weigh `share` of
    /// the total; `None` when it has none.
    pub(crate) fn new(
        store: &ProfileStore,
        o: &Opportunity,
        table: &SkillTable,
        share: f64,
    ) -> Option<SkillCeiling> {
        if o.requirements.is_empty() || share <= 0.0 {
            return None;
        }
        let requirements: Vec<Requirement> = o
            .requirements
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let factor = table
                    .levels
                    .get(i)
                    .map_or(1.0, |l| l.iter().map(|x| x.0).fold(0.0f32, f32::max));
                let mut tiers: Vec<(u64, f64)> = Vec::new();
                let mut must = 0u64;
                for (s, credit, can_meet) in table.related(i) {
                    let bit = u16::try_from(s.index()).map_or(u64::MAX, |s| store.signature_bit(s));
                    let c = f64::from(credit * factor);
                    match tiers.iter_mut().find(|t| t.1 == c) {
                        Some(t) => t.0 |= bit,
                        None => tiers.push((bit, c)),
                    }
                    if can_meet {
                        must |= bit;
                    }
                }
                tiers.sort_by(|a, b| b.1.total_cmp(&a.1));
                Requirement {
                    weight: f64::from(r.weight),
                    tiers,
                    must: r.must.then_some(must),
                }
            })
            .collect();
        Some(SkillCeiling {
            weights: requirements.iter().map(|r| r.weight).sum(),
            requirements,
            share,
        })
    }

    /// The units a profile with skill signature `sig` is below the bound that counted its
    /// skills at 1 (rounded down); `None` when it cannot meet a must-have.
    pub(crate) fn slack(&self, sig: u64) -> Option<u32> {
        let mut sum = 0.0;
        for r in &self.requirements {
            if r.must.is_some_and(|m| m & sig == 0) {
                return None;
            }
            let best = r.tiers.iter().find(|t| t.0 & sig != 0).map_or(0.0, |t| t.1);
            sum += r.weight * best;
        }
        let skills = if self.weights > 0.0 {
            (sum / self.weights).min(1.0)
        } else {
            1.0
        };
        Some((self.share * (1.0 - skills).max(0.0) * UNIT).floor() as u32)
    }
}
