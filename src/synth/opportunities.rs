//! Drawing opportunities: kinds paired with suitable occupations, countries by emigrant stock,
//! requirements by what the occupation specifically needs.

use std::collections::HashMap;

use crate::id::{NodeId, RegionId};
use crate::model::{Engagement, LanguageSkill, Opportunity, Proficiency};

use super::channels;
use super::config::{OFFERED, suits};
use super::draw::{broaden, draw_requirements, window};
use super::population::{OPPORTUNITIES, Population, chunk_rng};
use super::rng::{SplitMix64, Weighted};

impl<'a> Population<'a> {
    /// Opportunities and host organisations (keys, country), hosts numbered from
    /// `first_org_node`.
    /// An opportunity's engagement kind and an occupation that suits it (any, for a work
    /// assignment).
    pub(crate) fn opportunity_kind(&self, rng: &mut SplitMix64) -> (Engagement, usize) {
        let engagement = Engagement::ALL[Weighted::new(OFFERED).sample(rng).unwrap_or(1)];
        let occupations = &self.tables.occupations;
        let suited: Vec<usize> = (0..occupations.len())
            .filter(|&o| suits(engagement, &occupations[o].code))
            .collect();
        let occupation = match suited.len() {
            0 => rng.below(occupations.len()),
            n => suited[rng.below(n)],
        };
        (engagement, occupation)
    }

    /// Every opportunity's engagement kind and occupation, from their own random stream.
    pub(crate) fn opportunity_kinds(&self) -> Vec<(Engagement, usize)> {
        let mut rng = chunk_rng(self.config.seed, OPPORTUNITIES, 1);
        (0..self.config.opportunities)
            .map(|_| self.opportunity_kind(&mut rng))
            .collect()
    }

    pub(crate) fn opportunities(
        &self,
        first_org_node: u32,
    ) -> (Vec<Opportunity>, Vec<(String, RegionId)>) {
        let r = &*self.reference;
        let mut rng = chunk_rng(self.config.seed, OPPORTUNITIES, 0);
        let mut beyond = chunk_rng(self.config.seed, channels::OFFERS, 0);
        let mut orgs_in: HashMap<RegionId, Vec<u32>> = HashMap::new();
        let mut orgs: Vec<(String, RegionId)> = Vec::new();
        let mut out = Vec::with_capacity(self.config.opportunities);
        for j in 0..self.config.opportunities {
            let (engagement, occupation) = self.kinds[j];
            let country = self.countries[self.country_pick.sample(&mut rng).unwrap_or(0)];
            let host = match orgs_in.get(&country) {
                Some(list) if rng.chance(0.3) => list[rng.below(list.len())],
                _ => {
                    let n = first_org_node + orgs.len() as u32;
                    orgs.push((format!("org-{:04}", orgs.len() + 1), country));
                    orgs_in.entry(country).or_default().push(n);
                    n
                }
            };
            let occ = &self.tables.occupations[occupation];
            let mut requirements = draw_requirements(
                self.tables,
                occ,
                self.config.requirements_per_opportunity,
                &mut rng,
            );
            broaden(&r.taxonomy, self.config.breadth, &mut requirements);
            let offer = channels::offer(&mut beyond, engagement, &occ.code);
            if offer.no_requirements {
                requirements.clear();
            }
            let mut languages = Vec::new();
            let spoken = r.languages.spoken_in(country);
            if let Some(l) = spoken.iter().find(|l| l.official).or(spoken.first()) {
                languages.push(LanguageSkill {
                    language: l.language,
                    level: Proficiency::B2,
                });
            }
            if let Some(l) = spoken.first()
                && languages.iter().all(|x| x.language != l.language)
                && rng.chance(0.5)
            {
                languages.push(LanguageSkill {
                    language: l.language,
                    level: Proficiency::B1,
                });
            }
            let what = match engagement {
                Engagement::ReturnPermanent => "permanent return",
                Engagement::ReturnTemporary => "temporary return",
                Engagement::Visit => "short visit",
                Engagement::Remote => "remote mentoring",
                Engagement::Invest => "investment",
                Engagement::Donate => "philanthropy",
                Engagement::Tourism => "diaspora tourism",
            };
            out.push(Opportunity {
                key: format!("o-{:04}", j + 1),
                title: format!("{} ({what}), {}", occ.title, r.regions.name(country)),
                host: NodeId::new(host),
                country,
                engagement,
                requirements,
                languages,
                capacity: 1 + rng.below(5) as u32,
                window: window(&mut rng, self.start, 60, 240),
                ticket: offer.ticket,
                gap: offer.gap,
                sector: offer.sector,
                causes: offer.causes,
                settlement: Vec::new(),
            });
        }
        (out, orgs)
    }
}
