//! Upper bounds of the score of the profiles not seen yet, and the cheap bound of one profile.

use crate::model::Opportunity;
use crate::score::{MatchConfig, Scorer};

use super::Context;

/// Upper bounds of each component for the profiles not seen yet, and the weighted mean they
/// allow. Which components apply is the opportunity's alone (scoring model v2), so the mean
/// has one denominator for every profile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub(crate) weights: [f64; 4],
    /// Whether each optional component (region, network, language) applies to this
    /// opportunity and has a positive weight.
    pub(crate) applies: [bool; 3],
    /// Skills is counted (the opportunity has requirements and skills a positive weight).
    pub(crate) skills_apply: bool,
    pub(crate) skills: f64,
    pub(crate) region: f64,
    pub(crate) network: f64,
    pub(crate) language: f64,
}

impl Bounds {
    pub(crate) fn new(config: &MatchConfig, o: &Opportunity) -> Bounds {
        let w = config.weights_for(o.engagement);
        let weights = [
            f64::from(w.skills),
            f64::from(w.region),
            f64::from(w.network),
            f64::from(w.language),
        ];
        Bounds {
            weights,
            applies: [
                weights[1] > 0.0,
                // Every opportunity has a host: the network applies even when the host has
                // no ties (then it is 0 for everyone).
                weights[2] > 0.0,
                weights[3] > 0.0 && !o.languages.is_empty(),
            ],
            skills_apply: weights[0] > 0.0 && !o.requirements.is_empty(),
            skills: 1.0,
            region: 1.0,
            network: 1.0,
            language: 1.0,
        }
    }

    /// The sum of the weights of the components that apply: the denominator of every
    /// profile's total.
    pub(crate) fn denominator(&self) -> f64 {
        let optional: f64 = (0..3)
            .filter(|&j| self.applies[j])
            .map(|j| self.weights[j + 1])
            .sum();
        optional
            + if self.skills_apply {
                self.weights[0]
            } else {
                0.0
            }
    }

    /// The weighted mean of the bounds over the components that apply.
    pub(crate) fn total(&self) -> f64 {
        let den = self.denominator();
        if den <= 0.0 {
            return 0.0;
        }
        let mut num = if self.skills_apply {
            self.weights[0] * self.skills
        } else {
            0.0
        };
        for (j, v) in [self.region, self.network, self.language]
            .into_iter()
            .enumerate()
        {
            if self.applies[j] {
                num += self.weights[j + 1] * v;
            }
        }
        (num / den).min(1.0)
    }
}

/// The region step of every country for an opportunity, before the generation factor.
pub(crate) fn region_steps(cx: &Context<'_>, o: &Opportunity) -> Vec<f32> {
    (0..cx.regions.len())
        .map(|c| {
            let (closeness, _) = cx
                .regions
                .closeness(crate::id::RegionId::new(c as u32), o.country);
            cx.config.region.step(closeness)
        })
        .collect()
}

/// A cheap bound for one profile: region, network and language exactly (with exactly the
/// components that apply to it), skills by a given bound.
pub(crate) struct Quick<'a> {
    pub(crate) weights: [f64; 4],
    pub(crate) skills_apply: bool,
    /// Region step per country, times the best generation factor.
    pub(crate) steps: Vec<f64>,
    pub(crate) generation: [f64; 3],
    pub(crate) opportunity: &'a Opportunity,
    pub(crate) reached: &'a [(u32, f32)],
}

impl<'a> Quick<'a> {
    pub(crate) fn new(
        cx: &Context<'_>,
        o: &'a Opportunity,
        steps: &[f32],
        reached: &'a [(u32, f32)],
    ) -> Quick<'a> {
        let w = cx.config.weights_for(o.engagement);
        let s = &cx.config.region;
        let steps = steps.iter().map(|&x| f64::from(x)).collect();
        Quick {
            weights: [
                f64::from(w.skills),
                f64::from(w.region),
                f64::from(w.network),
                f64::from(w.language),
            ],
            skills_apply: !o.requirements.is_empty(),
            steps,
            generation: s.generation.map(f64::from),
            opportunity: o,
            reached,
        }
    }

    /// The network component as [`Scorer`] computes it: the strength the host's search
    /// found, 0 when it did not reach the person (or the host has no ties).
    /// `reached` says whether the search may have reached profile `id` (when not, 0).
    #[inline]
    pub(crate) fn network(&self, id: u32, reached: bool) -> Option<f32> {
        let strength = reached
            .then(|| self.reached.binary_search_by_key(&id, |e| e.0).ok())
            .flatten()
            .map_or(0.0, |k| self.reached[k].1);
        Some(strength)
    }

    #[inline]
    pub(crate) fn bound(
        &self,
        p: &crate::index::ProfileView<'_>,
        network: Option<f32>,
        skills: f64,
    ) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        let w = &self.weights;
        if self.skills_apply && w[0] > 0.0 {
            num += w[0] * skills;
            den += w[0];
        }
        if w[1] > 0.0 {
            // 0 for a person who gives no origin.
            let mut r = 0.0f64;
            for origin in p.origins() {
                let step = self
                    .steps
                    .get(origin.country.index())
                    .copied()
                    .unwrap_or(1.0);
                let g = self.generation[usize::from(origin.generation.get().clamp(1, 3) - 1)];
                r = r.max(step * g);
            }
            num += w[1] * r;
            den += w[1];
        }
        if let Some(v) = network
            && w[2] > 0.0
        {
            num += w[2] * f64::from(v);
            den += w[2];
        }
        if let Some(v) = Scorer::language_value(p, self.opportunity)
            && w[3] > 0.0
        {
            num += w[3] * f64::from(v);
            den += w[3];
        }
        if den > 0.0 { (num / den).min(1.0) } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{NodeId, SkillId};

    #[test]
    fn bounds_share_one_denominator_set_by_the_opportunity() {
        let config = MatchConfig::default();
        let o = Opportunity {
            key: "o".into(),
            title: String::new(),
            host: NodeId::new(0),
            country: crate::id::RegionId::new(0),
            engagement: crate::model::Engagement::Remote,
            requirements: vec![crate::model::Requirement {
                skill: SkillId::new(0),
                weight: 1.0,
                min_level: None,
                must: false,
            }],
            languages: Vec::new(),
            capacity: 1,
            window: None,
            ticket: None,
            gap: None,
            sector: None,
            causes: Default::default(),
            settlement: Vec::new(),
        };
        let mut b = Bounds::new(&config, &o);
        b.skills = 0.0;
        // Skills, region and network apply (every opportunity has a country and a host); the
        // language does not (none asked): (0.15 + 0.15) / 0.85.
        assert!((b.total() - 0.30 / 0.85).abs() < 1e-6, "{}", b.total());
        b.region = 0.0;
        assert!((b.total() - 0.15 / 0.85).abs() < 1e-6, "{}", b.total());
        b.network = 0.0;
        assert_eq!(b.total(), 0.0);
        // Asking for a language adds its weight to every profile's denominator.
        let mut asks = o.clone();
        asks.languages.push(crate::model::LanguageSkill {
            language: crate::id::LanguageId::new(0),
            level: crate::model::Proficiency::ALL[3],
        });
        let mut b = Bounds::new(&config, &asks);
        b.skills = 1.0;
        b.region = 0.0;
        b.network = 0.0;
        b.language = 0.0;
        assert!((b.total() - 0.55).abs() < 1e-6, "{}", b.total());
    }
}

#[cfg(test)]
mod audits {
    use proptest::prelude::*;

    use super::super::audit::{Filter, audited, cases, config};

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The cheap bound is never below a profile's exact score.
        #[test]
        fn the_cheap_bound_is_never_below_the_exact_score(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Quick, seed, profiles, cfg, k);
        }

        /// When the search ends, no profile it has not seen can beat the limit: the bounds of
        /// the unread tiers hold for every one of them.
        #[test]
        fn the_search_ends_only_when_no_unseen_profile_can_beat_the_limit(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::End, seed, profiles, cfg, k);
        }
    }
}
