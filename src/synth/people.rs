//! Drawing people: profiles with skills of their occupation, origins, languages,
//! availability, capital and interests, and contacts who are not profiles.

use crate::id::RegionId;
use crate::model::{Engagement, EngagementSet, Generation, Origin, Profile};

use super::channels;
use super::config::{ACCEPTS, CHUNK, DEMAND_SHARE};
use super::draw::{draw_languages, draw_skills, window};
use super::population::{Attrs, CONTACTS, PROFILES, Population, chunk_rng};
use super::rng::SplitMix64;
use crate::util::map_chunks;

impl<'a> Population<'a> {
    /// Draws the profiles of one chunk.
    pub(crate) fn profile_chunk(&self, c: usize) -> Vec<(Profile, Attrs)> {
        let mut rng = chunk_rng(self.config.seed, PROFILES, c as u64);
        let mut beyond = chunk_rng(self.config.seed, channels::PEOPLE, c as u64);
        let range = c * CHUNK..((c + 1) * CHUNK).min(self.config.profiles);
        range
            .map(|i| self.profile(i, &mut rng, &mut beyond))
            .collect()
    }

    /// Draws profile `i`: its work from `rng`, its capital and interests from `beyond`.
    pub(crate) fn profile(
        &self,
        i: usize,
        rng: &mut SplitMix64,
        beyond: &mut SplitMix64,
    ) -> (Profile, Attrs) {
        let tables = self.tables;
        let (origin, residence, _) = tables.corridors[self.corridor.sample(rng).unwrap_or(0)];
        let generation = Generation::new(self.generation.sample(rng).unwrap_or(0) as u8 + 1)
            .unwrap_or(Generation::FIRST);
        let mut origins = vec![Origin {
            country: origin,
            generation,
        }];
        // Mixed heritage: a descendant's other parent from another community.
        if generation.get() > 1 && rng.chance(0.1) {
            let other = tables.corridors[self.corridor.sample(rng).unwrap_or(0)].0;
            if other != origin {
                origins.push(Origin {
                    country: other,
                    generation,
                });
            }
        }
        let occupation = match self.kinds.len() {
            n if n > 0 && rng.chance(DEMAND_SHARE) => self.kinds[rng.below(n)].1,
            _ => rng.below(tables.occupations.len()),
        };
        let skills = draw_skills(
            tables,
            &tables.occupations[occupation],
            self.config.skills_per_profile,
            rng,
        );
        let languages = draw_languages(&self.reference, origin, residence, generation, rng);
        let mut engagements: EngagementSet = Engagement::ALL
            .into_iter()
            .zip(ACCEPTS)
            .filter(|(_, p)| rng.chance(*p))
            .map(|(e, _)| e)
            .collect();
        if engagements.is_empty() {
            engagements.insert(Engagement::Remote);
        }
        let available = rng
            .chance(0.8)
            .then(|| window(rng, self.start, 30, 365))
            .flatten();
        let soc = &tables.occupations[occupation].code;
        let (capital, interests) = channels::person(beyond, soc, engagements);
        let profile = Profile {
            key: format!("p-{i:06}"),
            skills,
            origins,
            residence: Some(residence),
            languages,
            engagements,
            available,
            intermediary: rng.chance(0.7),
            capital,
            interests,
        };
        (
            profile,
            Attrs {
                origin,
                residence,
                occupation: occupation as u32,
            },
        )
    }

    /// Contacts who are not profiles (a tenth of the population), with their origin.
    pub(crate) fn contacts(&self) -> Vec<(String, bool, RegionId)> {
        let n = self.config.profiles / 10;
        let chunks = map_chunks(0..n.div_ceil(CHUNK), |c| {
            let mut rng = chunk_rng(self.config.seed, CONTACTS, c as u64);
            (c * CHUNK..((c + 1) * CHUNK).min(n))
                .map(|i| {
                    let origin =
                        self.tables.corridors[self.corridor.sample(&mut rng).unwrap_or(0)].0;
                    (format!("c-{i:05}"), rng.chance(0.7), origin)
                })
                .collect::<Vec<_>>()
        });
        chunks.into_iter().flatten().collect()
    }
}
