//! The brute-force scorer: each component of one pair exactly, the total, and the explanation;
//! the oracle every faster path is checked against.

use crate::geo::{Closeness, Regions};
use crate::id::{OpportunityId, ProfileId, RegionId};
use crate::index::ProfileView;
use crate::model::{Level, Opportunity, Origin, Requirement};
use crate::taxonomy::{Relation, Taxonomy};

use super::reasons::Names;
use super::table::{NO_SLOT, SkillTable, Target};
use super::{
    Component, ComponentExplanation, Components, Exclusion, Explanation, MatchConfig,
    RequirementCredit, Weights,
};

/// The skills component from each requirement's `(weight, credit)`: `Σ weight·credit / Σ
/// weight` in `f32`, in requirement order, or `None` without requirements. Every path that
/// scores skills goes through here, so equal credits give equal bits; and since each step
/// (a product, a sum, a quotient by the same positive sum) rounds monotonically, higher
/// credits never give a lower value: the search's ceiling ([`Terms::ceiling`]) relies on both.
///
/// [`Terms::ceiling`]: crate::search
pub(crate) fn skills_mean(credits: impl Iterator<Item = (f32, f32)>) -> Option<f32> {
    let (mut num, mut den) = (0.0f32, 0.0f32);
    for (weight, credit) in credits {
        num += weight * credit;
        den += weight;
    }
    (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
}

/// The scoring functions over a frozen configuration and reference data.
pub(crate) struct Scorer<'a> {
    pub(crate) config: &'a MatchConfig,
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
}

impl Scorer<'_> {
    /// Credit of a relation, before the level factor.
    pub(crate) fn relation_credit(&self, rel: Relation) -> f32 {
        let r = &self.config.relatedness;
        let decay = |hops: u8| r.hop_decay.powi(i32::from(hops.saturating_sub(1)));
        match rel {
            Relation::Same => 1.0,
            Relation::Narrower { hops } => r.narrower * decay(hops),
            Relation::Broader { hops } => r.broader * decay(hops),
            Relation::Sibling => r.sibling,
        }
    }

    /// Factor for a held level (0 = unknown) against a minimum. An unknown level gets the
    /// configured factor, but never more than the lowest level would: telling a level never
    /// lowers the credit.
    pub(crate) fn level_factor(&self, held: u8, min: Option<Level>) -> f32 {
        let Some(min) = min else { return 1.0 };
        if held == 0 {
            return self
                .config
                .levels
                .unknown
                .min(self.level_factor(1, Some(min)));
        }
        if held >= min.get() {
            return 1.0;
        }
        (1.0 - self.config.levels.per_level_below * f32::from(min.get() - held)).max(0.0)
    }

    /// Whether a held level (0 = unknown) meets a must-have's minimum: an unknown level does
    /// not meet one.
    pub(crate) fn level_meets(held: u8, min: Option<Level>) -> bool {
        min.is_none_or(|m| held >= m.get())
    }

    /// The best credit for one requirement, and the held skill that gives it (ties: the
    /// lowest skill id, as the skills are sorted).
    pub(crate) fn requirement_credit(
        &self,
        req: &Requirement,
        p: &ProfileView<'_>,
    ) -> RequirementCredit {
        let max_hops = self.config.relatedness.max_hops;
        let mut best = RequirementCredit {
            requirement: *req,
            credit: 0.0,
            via: None,
        };
        for (held, level) in p.held() {
            let Some(rel) = self.taxonomy.relation(req.skill, held, max_hops) else {
                continue;
            };
            let credit = self.relation_credit(rel) * self.level_factor(level, req.min_level);
            if credit > best.credit {
                best.credit = credit;
                best.via = Some((held, rel, Level::new(level)));
            }
        }
        best
    }

    /// Whether a must-have requirement is met: the skill itself or a narrower one, at the
    /// minimum level when one is asked (an unknown level does not meet a minimum).
    pub(crate) fn must_met(&self, req: &Requirement, p: &ProfileView<'_>) -> bool {
        let max_hops = self.config.relatedness.max_hops;
        p.held().any(|(held, level)| {
            matches!(
                self.taxonomy.relation(req.skill, held, max_hops),
                Some(Relation::Same | Relation::Narrower { .. })
            ) && Self::level_meets(level, req.min_level)
        })
    }

    /// Runs the hard filters; calls `excluded` for each failure. Returns whether all passed.
    pub(crate) fn eligible(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        mut excluded: impl FnMut(Exclusion),
    ) -> bool {
        let mut ok = true;
        if !p.engagements.contains(o.engagement) {
            ok = false;
            excluded(Exclusion::Engagement(o.engagement));
        }
        if let (Some(a), Some(b)) = (p.available, o.window)
            && !a.overlaps(b)
        {
            ok = false;
            excluded(Exclusion::Availability);
        }
        for req in o.requirements.iter().filter(|r| r.must) {
            if !self.must_met(req, p) {
                ok = false;
                excluded(Exclusion::MissingMustHave(req.skill));
            }
        }
        ok
    }

    /// The skills component, calling `each` with every requirement's credit.
    pub(crate) fn skills(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        mut each: impl FnMut(RequirementCredit),
    ) -> Option<f32> {
        skills_mean(o.requirements.iter().map(|req| {
            let c = self.requirement_credit(req, p);
            let credit = c.credit;
            each(c);
            (req.weight, credit)
        }))
    }

    /// The best origin for the region component: its value, the origin and how close it is
    /// (`None` when the person gives no origin; the component is then 0).
    pub(crate) fn region(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
    ) -> Option<(f32, Origin, Closeness, Option<RegionId>)> {
        let s = &self.config.region;
        let mut best: Option<(f32, Origin, Closeness, Option<RegionId>)> = None;
        for origin in p.origins() {
            let (closeness, area) = self.regions.closeness(origin.country, o.country);
            let step = s.step(closeness);
            let v = step * s.generation[usize::from(origin.generation.get() - 1)];
            if best.is_none_or(|b| v > b.0) {
                best = Some((v, origin, closeness, area));
            }
        }
        best
    }

    /// The language component: the share of required languages met, and which were met;
    /// `None` when the opportunity asks for no language.
    pub(crate) fn language(p: &ProfileView<'_>, o: &Opportunity) -> Option<(f32, Vec<bool>)> {
        if o.languages.is_empty() {
            return None;
        }
        let met: Vec<bool> = o
            .languages
            .iter()
            .map(|req| {
                p.languages()
                    .any(|l| l.language == req.language && l.level >= req.level)
            })
            .collect();
        let n = met.iter().filter(|m| **m).count();
        Some((n as f32 / met.len() as f32, met))
    }

    /// The language component's value alone, without allocating.
    pub(crate) fn language_value(p: &ProfileView<'_>, o: &Opportunity) -> Option<f32> {
        if o.languages.is_empty() {
            return None;
        }
        let n = o
            .languages
            .iter()
            .filter(|req| {
                p.languages()
                    .any(|l| l.language == req.language && l.level >= req.level)
            })
            .count();
        Some(n as f32 / o.languages.len() as f32)
    }

    /// The region component: 0 when the person gives no origin (it applies to every
    /// opportunity, each being in a country).
    pub(crate) fn region_value(&self, p: &ProfileView<'_>, o: &Opportunity) -> Option<f32> {
        Some(self.region(p, o).map_or(0.0, |r| r.0))
    }

    /// The network component: 0 when the host or the person has no ties, or no path
    /// reaches the person.
    pub(crate) fn network(p: &ProfileView<'_>, t: &Target<'_>) -> Option<f32> {
        let strength = t
            .strengths
            .zip(p.node)
            .and_then(|(strengths, node)| strengths.get(node));
        Some(strength.unwrap_or(0.0))
    }

    /// The components of an eligible pair.
    pub(crate) fn components(&self, p: &ProfileView<'_>, t: &Target<'_>) -> Components {
        let o = t.opportunity;
        Components::of(
            [
                self.skills(p, o, |_| {}),
                self.region_value(p, o),
                Self::network(p, t),
                Self::language_value(p, o),
            ],
            self.channels(p, o),
        )
    }

    /// The component whose value is the evidence [`MatchConfig::require_evidence`] asks
    /// for: the kind's [primary](Component::primary) where it applies, else skills.
    pub(crate) fn evidence(c: &Components, o: &Opportunity) -> Component {
        let primary = Component::primary(o.engagement);
        if c.get(primary).is_some() {
            primary
        } else {
            Component::Skills
        }
    }

    /// Whether the components show the evidence [`MatchConfig::require_evidence`] asks for.
    pub(crate) fn has_evidence(&self, c: &Components, o: &Opportunity) -> bool {
        !self.config.require_evidence || c.get(Self::evidence(c, o)).is_some_and(|s| s > 0.0)
    }

    /// The total of an eligible pair's components, or `None` when it lacks evidence or
    /// scores at or below `min_score`.
    pub(crate) fn listed(&self, c: Components, o: &Opportunity) -> Option<(f32, Components)> {
        if !self.has_evidence(&c, o) {
            return None;
        }
        let total = c.total(self.config.weights_for(o.engagement));
        (total > self.config.min_score).then_some((total, c))
    }

    /// The score of a pair, or `None` when a hard filter excludes it, it lacks evidence or it
    /// scores at or below `min_score`. This is the brute-force oracle that every faster path
    /// must equal.
    pub(crate) fn score(&self, p: &ProfileView<'_>, t: &Target<'_>) -> Option<(f32, Components)> {
        if !self.eligible(p, t.opportunity, |_| {}) {
            return None;
        }
        self.listed(self.components(p, t), t.opportunity)
    }

    /// [`Scorer::score`] with the requirement credits read from a per-opportunity table
    /// instead of the taxonomy: the same arithmetic in the same order, so the same bits.
    /// `best` and `met` are scratch space, one entry per requirement; `network` is the
    /// network component, which the caller looked up as [`Scorer::score`] would.
    #[inline]
    pub(crate) fn score_table(
        &self,
        p: &ProfileView<'_>,
        t: &Target<'_>,
        table: &SkillTable,
        network: Option<f32>,
        scratch: (&mut [f32], &mut [bool]),
    ) -> Option<(f32, Components)> {
        let o = t.opportunity;
        let skills = Self::table_skills(p, o, table, scratch)?;
        let work = [
            skills,
            self.region_value(p, o),
            network,
            Self::language_value(p, o),
        ];
        self.listed(Components::of(work, self.channels(p, o)), o)
    }

    /// The hard filters and the skills component of [`Scorer::score_table`]: `None` when the
    /// pair is excluded (engagement, availability, a must-have), else the skills component
    /// (itself `None` without requirements). Always inlined: it is the inner loop of both
    /// searches, and a call costs the work search several percent.
    #[inline(always)]
    pub(crate) fn table_skills(
        p: &ProfileView<'_>,
        o: &Opportunity,
        table: &SkillTable,
        scratch: (&mut [f32], &mut [bool]),
    ) -> Option<Option<f32>> {
        let (best, met) = scratch;
        if !p.engagements.contains(o.engagement) {
            return None;
        }
        if let (Some(a), Some(b)) = (p.available, o.window)
            && !a.overlaps(b)
        {
            return None;
        }
        best.fill(0.0);
        met.fill(false);
        for (&s, &level) in p.skills.iter().zip(p.levels) {
            let slot = table.slot[usize::from(s)];
            if slot == NO_SLOT {
                continue;
            }
            let start = (slot >> 8) as usize;
            // Levels above 5 do not occur; one would count as 5 (both meet every minimum).
            let held = usize::from(level.min(5));
            for e in &table.entries[start..start + (slot & 0xFF) as usize] {
                let i = usize::from(e.requirement);
                let (factor, meets) = table.levels[i][held];
                let c = e.credit * factor;
                if c > best[i] {
                    best[i] = c;
                }
                met[i] |= e.must & meets;
            }
        }
        if o.requirements
            .iter()
            .zip(met.iter())
            .any(|(r, &m)| r.must && !m)
        {
            return None;
        }
        Some(skills_mean(
            o.requirements
                .iter()
                .map(|r| r.weight)
                .zip(best.iter().copied()),
        ))
    }

    /// Everything [`Scorer::score`] computes, with the reasons. `names` renders ids as words.
    pub(crate) fn explain(
        &self,
        ids: (ProfileId, OpportunityId),
        p: &ProfileView<'_>,
        t: &Target<'_>,
        names: &Names<'_>,
    ) -> Explanation {
        let o = t.opportunity;
        let mut exclusions = Vec::new();
        self.eligible(p, o, |e| exclusions.push(e));
        let mut requirements = Vec::new();
        let skills = self.skills(p, o, |c| requirements.push(c));
        let values = Components::of(
            [
                skills,
                self.region_value(p, o),
                Self::network(p, t),
                Self::language_value(p, o),
            ],
            self.channels(p, o),
        );
        if !self.has_evidence(&values, o) {
            exclusions.push(match Self::evidence(&values, o) {
                Component::Skills => Exclusion::NoEvidence,
                c => Exclusion::NoPrimaryEvidence(c),
            });
        }
        let [capital, interest, settlement] = Self::channels_informed(p, o);
        let informed = [
            !p.skills.is_empty(),
            p.has_origins(),
            p.node.is_some(),
            p.has_languages(),
            capital,
            interest,
            settlement,
        ];
        let [capital, interest, settlement] = self.channel_reasons(p, o, names);
        let reasons = [
            requirements.iter().map(|c| names.requirement(c)).collect(),
            self.region_reasons(p, o, names),
            self.network_reasons(p, t, names),
            Self::language_reasons(p, o, names),
            capital,
            interest,
            settlement,
        ];
        let weights = self.config.weights_for(o.engagement);
        let total = values.total(weights);
        Explanation {
            profile: ids.0,
            opportunity: ids.1,
            score: if exclusions.is_empty() && total > self.config.min_score {
                total
            } else {
                0.0
            },
            exclusion_reasons: exclusions.iter().map(|e| names.exclusion(e)).collect(),
            exclusions,
            components: Self::component_explanations(weights, &values, informed, reasons),
            requirements,
        }
    }

    /// Each component's value, effective weight, contribution and reasons.
    pub(crate) fn component_explanations(
        weights: &Weights,
        values: &Components,
        informed: [bool; 7],
        reasons: [Vec<String>; 7],
    ) -> Vec<ComponentExplanation> {
        let den: f32 = Component::ALL
            .into_iter()
            .filter(|&c| values.get(c).is_some())
            .map(|c| c.weight(weights))
            .filter(|&w| w > 0.0)
            .sum();
        Component::ALL
            .into_iter()
            .zip(informed)
            .zip(reasons)
            .map(|((c, informed), reasons)| {
                let weight = c.weight(weights);
                let value = values.get(c);
                let applies = value.is_some() && weight > 0.0 && den > 0.0;
                let effective_weight = if applies { weight / den } else { 0.0 };
                ComponentExplanation {
                    component: c,
                    value,
                    informed,
                    weight,
                    effective_weight,
                    contribution: if applies {
                        weight * value.unwrap_or(0.0) / den
                    } else {
                        0.0
                    },
                    reasons,
                }
            })
            .collect()
    }
}
