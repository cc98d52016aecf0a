//! A score taken apart: each component's value, effective weight, contribution and reasons,
//! what kept a pair from being listed, and the text form whose contributions add up to the
//! printed score.

use std::fmt;

use crate::id::{OpportunityId, ProfileId, SkillId};
use crate::model::{Engagement, Level, Requirement};
use crate::taxonomy::Relation;

use super::Component;

/// Why a pair is not listed: a hard filter, or no evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Exclusion {
    /// The person does not accept the opportunity's kind of engagement.
    Engagement(Engagement),
    /// A must-have requirement is not met.
    MissingMustHave(SkillId),
    /// The availability window does not overlap the opportunity's.
    Availability,
    /// No requirement gets credit from the person's skills
    /// ([`MatchConfig::require_evidence`](crate::MatchConfig::require_evidence)).
    NoEvidence,
    /// The [primary component](Component::primary) of an investment, a donation or tourism
    /// is 0 (capital, interest).
    NoPrimaryEvidence(Component),
}

/// How one requirement was credited.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RequirementCredit {
    /// The requirement.
    pub requirement: Requirement,
    /// Credit in `[0, 1]`.
    pub credit: f32,
    /// The held skill that gave it, its relation to the required one and its level.
    pub via: Option<(SkillId, Relation, Option<Level>)>,
}

/// The reasoning behind one component.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ComponentExplanation {
    /// The component.
    pub component: Component,
    /// Its value: `None` when it does not apply to the opportunity; 0 when it applies and
    /// the person gave no information for it.
    pub value: Option<f32>,
    /// Whether the person gave the information this component reads (an origin, a tie, a
    /// language, a skill). When not, the value is 0: "no information given".
    pub informed: bool,
    /// Its configured weight.
    pub weight: f32,
    /// Its weight after dropping the components that do not apply to the opportunity (or
    /// have weight 0): `weight / Σ applicable weights`, 0 when it does not apply. The
    /// effective weights of a pair add up to 1.
    pub effective_weight: f32,
    /// Its share of the total: `effective_weight × value`. The contributions add up to the
    /// total.
    pub contribution: f32,
    /// Reasons in words, naming skills by label, places by name and people by key.
    pub reasons: Vec<String>,
}

/// A score taken apart: each component's value, weight, contribution and reasons, and what
/// kept the pair from being listed, if anything.
///
/// `Display` prints the total, then one line per component with its value, effective weight
/// and contribution, the contributions rounded so that they add up to the printed total,
/// then the reasons, every requirement included. Capital, interest and settlement are shown
/// only where the opportunity uses them. The alternate form (`{:#}`) folds the
/// requirements after the fourth into one "and N more: ..." line.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    /// The person.
    pub profile: ProfileId,
    /// The opportunity.
    pub opportunity: OpportunityId,
    /// The total, 0 when excluded.
    pub score: f32,
    /// What excluded the pair; empty for an eligible pair.
    pub exclusions: Vec<Exclusion>,
    /// The exclusions in words.
    pub exclusion_reasons: Vec<String>,
    /// One entry per component, in [`Component::ALL`] order.
    pub components: Vec<ComponentExplanation>,
    /// Per-requirement credits.
    pub requirements: Vec<RequirementCredit>,
}

/// How many requirement lines the alternate `Display` of an [`Explanation`] shows before
/// folding the rest into one line.
const SHOWN_REQUIREMENTS: usize = 4;

impl Explanation {
    /// Whether the pair passed every hard filter and the evidence rule.
    pub fn is_eligible(&self) -> bool {
        self.exclusions.is_empty()
    }

    /// One component's entry.
    pub fn component(&self, c: Component) -> Option<&ComponentExplanation> {
        self.components.iter().find(|e| e.component == c)
    }

    /// The weighted mean the components give, whether or not the pair is listed: the
    /// total of an eligible pair, what an excluded one would have scored.
    pub fn components_total(&self) -> f32 {
        self.components.iter().map(|c| c.contribution).sum()
    }

    /// Each component's contribution in thousandths, rounded so that they add up to the
    /// score in thousandths (for a pair that is not listed, to
    /// [`Explanation::components_total`]) by largest remainder, ties by component order: the
    /// figures `Display` prints.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::Arc;
    /// use diaspora_match::{io, Engine};
    ///
    /// let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// let reference = Arc::new(io::load_reference(format!("{data}/reference"))?);
    /// let engine = Engine::builder(io::load_dataset(format!("{data}/sample"), reference)?).build()?;
    /// let o = engine.opportunity_id("o-0001").unwrap();
    /// let best = engine.candidates(o, 1)?[0];
    /// let why = engine.explain(best.profile, o)?;
    /// let parts = why.contributions_in_thousandths();
    /// assert_eq!(parts.iter().sum::<u32>(), (why.score * 1000.0).round() as u32);
    /// assert!(why.to_string().starts_with(&format!("score {:.3}", why.score)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contributions_in_thousandths(&self) -> Vec<u32> {
        let total = if self.score > 0.0 {
            self.score
        } else {
            self.components_total()
        };
        let total = (f64::from(total) * 1000.0).round().max(0.0) as u32;
        apportion(
            &self
                .components
                .iter()
                .map(|c| f64::from(c.contribution) * 1000.0)
                .collect::<Vec<_>>(),
            total,
        )
    }
}

/// Rounds non-negative `parts` to integers that add up to `total` (largest remainder).
fn apportion(parts: &[f64], total: u32) -> Vec<u32> {
    let mut out: Vec<u32> = parts.iter().map(|p| p.max(0.0).floor() as u32).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let r = |i: usize| parts[i].max(0.0) - parts[i].max(0.0).floor();
        r(b).total_cmp(&r(a)).then(a.cmp(&b))
    });
    let mut left = total.saturating_sub(out.iter().sum());
    for &i in order.iter().cycle().take(parts.len() * 2) {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// The components an opportunity of work does not use.
const BEYOND_WORK: [Component; 3] = [
    Component::Capital,
    Component::Interest,
    Component::Settlement,
];

/// Thousandths as a decimal: `652` as `0.652`.
fn thousandths(v: u32) -> String {
    format!("{}.{:03}", v / 1000, v % 1000)
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = self.contributions_in_thousandths();
        let sum: u32 = parts.iter().sum();
        if self.is_eligible() && self.score > 0.0 {
            writeln!(f, "score {}", thousandths(sum))?;
        } else {
            writeln!(f, "not listed (the components give {})", thousandths(sum))?;
            for r in &self.exclusion_reasons {
                writeln!(f, "  - {r}")?;
            }
            if self.is_eligible() {
                writeln!(f, "  - the total is at or below the minimum score")?;
            }
        }
        for (c, part) in self.components.iter().zip(parts) {
            if c.value.is_none() && BEYOND_WORK.contains(&c.component) {
                // Shown only for the opportunities that use them.
                continue;
            }
            write_component(f, c, part)?;
            let fold = f.alternate() && c.component == Component::Skills;
            let shown = if fold { SHOWN_REQUIREMENTS } else { usize::MAX };
            for r in c.reasons.iter().take(shown) {
                writeln!(f, "      {r}")?;
            }
            if c.reasons.len() > shown {
                // Each folded requirement by its label (the reason's head) and credit.
                let rest: Vec<String> = c.reasons[shown..]
                    .iter()
                    .zip(self.requirements.iter().skip(shown))
                    .map(|(r, q)| {
                        let label = r.split(" (weight").next().unwrap_or(r);
                        format!("{label} -> {:.2}", q.credit)
                    })
                    .collect();
                writeln!(f, "      and {} more: {}", rest.len(), rest.join(", "))?;
            }
        }
        Ok(())
    }
}

/// One component's line: value × effective weight = contribution, or why it does not count.
fn write_component(f: &mut fmt::Formatter<'_>, c: &ComponentExplanation, part: u32) -> fmt::Result {
    let name = c.component.as_str();
    match c.value {
        Some(v) if c.effective_weight > 0.0 => {
            let unknown = if c.informed {
                ""
            } else {
                "  (no information given: counts as 0)"
            };
            writeln!(
                f,
                "  {name:<10} {v:.3} × weight {:.3} = {}{unknown}",
                c.effective_weight,
                thousandths(part)
            )
        }
        Some(_) => writeln!(f, "  {name:<10} not counted (weight 0)"),
        None => writeln!(f, "  {name:<10} not applicable to this opportunity"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportioned_parts_add_up_to_the_total() {
        assert_eq!(apportion(&[333.4, 333.4, 333.2], 1000), [334, 333, 333]);
        assert_eq!(apportion(&[0.6, 0.6, 0.6, 0.2], 2), [1, 1, 0, 0]);
        assert_eq!(
            apportion(&[550.0, 150.0, 138.0, 150.0], 988),
            [550, 150, 138, 150]
        );
        assert_eq!(apportion(&[], 0), Vec::<u32>::new());
        // Rounding each part alone would print 0.001 + 0.001 + 0.001 for a total of 0.002.
        assert_eq!(apportion(&[0.6, 0.7, 0.7], 2).iter().sum::<u32>(), 2);
    }
}
