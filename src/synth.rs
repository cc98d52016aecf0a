//! Synthetic diaspora populations drawn from the real reference tables.
//!
//! Everything is drawn from a seeded generator ([`SplitMix64`]), so the same seed and sizes
//! give the same dataset, byte for byte, on every machine. The draws follow real data:
//!
//! - (origin, residence) pairs in proportion to the UN DESA International Migrant Stock 2024
//!   corridors (`migrant_stock_2024.csv`);
//! - an O*NET occupation per person (half of them one that the opportunities recruit for),
//!   then O*NET skills and knowledge areas in proportion to the occupation's importance
//!   ratings times their specificity (how few occupations rate them important: Reading
//!   Comprehension is important for most, Radiology for few), with the level from O*NET's
//!   level ratings, plus a few of the occupation's technologies (hot and specific ones more
//!   often);
//! - languages from the CLDR population shares of the origin and residence countries;
//! - opportunities in origin countries in proportion to the diaspora's size, twice as often in
//!   least developed countries; an engagement kind, then an occupation that suits it (any for
//!   work assignments; managers, business and engineering for investment; health, education
//!   and community services for philanthropy; food, lodging and travel for tourism); and
//!   requirements from what the occupation specifically needs, generic skills at most half of
//!   the weight;
//! - ties inside communities (same origin and residence), occupations and origins, and to host
//!   organisations in the origin country, with endpoints drawn so that degrees are skewed.
//!
//! A few shares are assumptions rather than data (the generation mix, the engagement kinds a
//! person accepts, the mix of tie kinds, the share of registrants in demanded occupations,
//! the pairing of engagement kinds with occupations); each is a named constant or function
//! with its reason.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::dataset::{Dataset, Reference};
use crate::error::{Error, Location, Result};
use crate::id::{NodeId, RegionId, SkillId};
use crate::model::{
    Date, Engagement, EngagementSet, Generation, HeldSkill, LanguageSkill, Level, Opportunity,
    Origin, Proficiency, Profile, Requirement, Window,
};
use crate::network::{NodeKind, Tie, TieKind};

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64). Its output is fixed
/// by this code, not by a dependency's version, so generated data stays reproducible.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, n)`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            ((self.next_u64() as u128 * n as u128) >> 64) as usize
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Sampling in proportion to weights, by binary search over cumulative sums.
#[derive(Clone, Debug, Default)]
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        Weighted { cumulative }
    }

    fn sample(&self, rng: &mut SplitMix64) -> Option<usize> {
        let total = *self.cumulative.last()?;
        if total <= 0.0 {
            return None;
        }
        let x = rng.unit() * total;
        Some(
            self.cumulative
                .partition_point(|&c| c <= x)
                .min(self.cumulative.len() - 1),
        )
    }
}

/// An O*NET occupation with its rated skills and its technologies.
#[derive(Clone, Debug)]
pub struct Occupation {
    /// O*NET-SOC code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Skills and knowledge areas with O*NET importance (1-5) and level (0-7).
    pub skills: Vec<(SkillId, f32, f32)>,
    /// Technologies, with whether O*NET marks them as hot.
    pub technologies: Vec<(SkillId, bool)>,
}

/// The real distributions a population is drawn from.
#[derive(Clone, Debug)]
pub struct SourceTables {
    /// `(origin, destination, migrant stock)` for every corridor.
    pub corridors: Vec<(RegionId, RegionId, u64)>,
    /// Occupations with at least a few rated skills.
    pub occupations: Vec<Occupation>,
    /// Per skill id, the share of the occupations for which it is important (a rated skill
    /// at importance 3 or more) or that list it (a technology): how generic it is.
    pub important_share: Vec<f32>,
}

impl SourceTables {
    /// Whether a skill is important for fewer than a fifth of the occupations: specific to
    /// some work, not asked of everyone ("Reading Comprehension" and "Microsoft Excel" are
    /// not).
    pub fn is_specific(&self, skill: SkillId) -> bool {
        self.important_share
            .get(skill.index())
            .is_none_or(|&s| s < GENERIC_SHARE)
    }

    /// How much a draw favours a skill: `(1 - share)²`, 1 for a skill no occupation shares.
    fn specificity(&self, skill: SkillId) -> f64 {
        let share = f64::from(
            self.important_share
                .get(skill.index())
                .copied()
                .unwrap_or(0.0),
        );
        (1.0 - share).powi(2)
    }
}

/// Per skill id, the share of `occupations` for which it is important or that list it.
fn important_shares(occupations: &[Occupation], skills: usize) -> Vec<f32> {
    let mut count = vec![0u32; skills];
    for o in occupations {
        let important = o.skills.iter().filter(|s| s.1 >= IMPORTANT).map(|s| s.0);
        let mut ids: Vec<SkillId> = important
            .chain(o.technologies.iter().map(|t| t.0))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for s in ids {
            if let Some(c) = count.get_mut(s.index()) {
                *c += 1;
            }
        }
    }
    let n = occupations.len().max(1) as f32;
    count.into_iter().map(|c| c as f32 / n).collect()
}

impl SourceTables {
    /// Reads `migrant_stock_2024.csv`, `occupations.csv` and `occupation_skills.csv` from the
    /// reference folder.
    ///
    /// # Errors
    ///
    /// A missing file, a malformed row, or a code or skill key the reference data lacks.
    pub fn load(dir: impl AsRef<Path>, reference: &Reference) -> Result<SourceTables> {
        let dir = dir.as_ref();
        let path = dir.join("migrant_stock_2024.csv");
        let mut corridors = Vec::new();
        for (line, r) in crate::io::csv_records(&path, &["origin", "destination", "stock"])? {
            let at = || Location::file(&path).line(line);
            let country = |i: usize, f: &str| {
                reference.regions.lookup(&r[i]).ok_or_else(|| {
                    Error::field(at(), f, "unknown country code")
                        .with_value(Some(r[i].into()), None)
                })
            };
            let stock = r[2].parse().map_err(|_| {
                Error::field(at(), "stock", "not a count").with_value(Some(r[2].into()), None)
            })?;
            corridors.push((country(0, "origin")?, country(1, "destination")?, stock));
        }
        let path = dir.join("occupations.csv");
        let mut occupations = Vec::new();
        let mut index = HashMap::new();
        for (_, r) in crate::io::csv_records(&path, &["soc", "title"])? {
            index.insert(r[0].to_string(), occupations.len());
            occupations.push(Occupation {
                code: r[0].into(),
                title: r[1].into(),
                skills: Vec::new(),
                technologies: Vec::new(),
            });
        }
        let path = dir.join("occupation_skills.csv");
        for (line, r) in
            crate::io::csv_records(&path, &["soc", "skill", "importance", "level", "hot"])?
        {
            let at = || Location::file(&path).line(line);
            let &o = index.get(&r[0]).ok_or_else(|| {
                Error::field(at(), "soc", "unknown occupation").with_value(Some(r[0].into()), None)
            })?;
            let skill = reference.taxonomy.by_key(&r[1]).ok_or_else(|| {
                Error::field(at(), "skill", "unknown skill key").with_value(Some(r[1].into()), None)
            })?;
            if r[2].is_empty() {
                occupations[o].technologies.push((skill, &r[4] == "1"));
            } else {
                let num = |i: usize, f: &str| -> Result<f32> {
                    r[i].parse().map_err(|_| {
                        Error::field(at(), f, "not a number").with_value(Some(r[i].into()), None)
                    })
                };
                occupations[o]
                    .skills
                    .push((skill, num(2, "importance")?, num(3, "level")?));
            }
        }
        // Occupations without ratings cannot give realistic skills.
        occupations.retain(|o| o.skills.len() >= MIN_RATED_SKILLS);
        let important_share = important_shares(&occupations, reference.taxonomy.len());
        Ok(SourceTables {
            corridors,
            occupations,
            important_share,
        })
    }
}

/// Occupations with fewer rated skills are left out.
const MIN_RATED_SKILLS: usize = 10;
/// O*NET importance at or above which a skill counts as part of the occupation (the scale is
/// 1-5; O*NET itself calls 3 "important").
const IMPORTANT: f32 = 3.0;
/// A skill important for this share of occupations or more is generic (O*NET rates every
/// occupation on the same basic skills: Reading Comprehension is important for most).
const GENERIC_SHARE: f32 = 0.2;
/// Largest share of an opportunity's requirement weight on generic skills: they are part of
/// every job, not what an opportunity is for.
const GENERIC_WEIGHT: f32 = 0.5;
/// Share of registrants whose occupation is one the programme's opportunities recruit for.
/// An assumption: people register with a diaspora programme for what it offers, so its
/// registry over-represents the professions it recruits.
const DEMAND_SHARE: f64 = 0.5;
/// Share of first, second and third generation. An assumption: the UN stock counts people born
/// abroad only; descendants are added at about a third of that, as registries of origin
/// countries report.
const GENERATION_MIX: [f64; 3] = [0.72, 0.21, 0.07];
/// Probability that a person accepts each engagement kind (in [`Engagement::ALL`] order).
/// An assumption: remote help is the easiest to give, permanent return the rarest.
const ACCEPTS: [f64; 7] = [0.08, 0.35, 0.4, 0.6, 0.15, 0.2, 0.3];
/// Share of opportunities per engagement kind (in [`Engagement::ALL`] order).
const OFFERED: [f64; 7] = [0.05, 0.35, 0.15, 0.3, 0.07, 0.05, 0.03];

/// The O*NET-SOC major groups (and groups) whose occupations make sense for an engagement
/// kind that is no work assignment: an investment is run by managers, business, financial and
/// engineering people; philanthropy goes to health, education and community services;
/// diaspora tourism to food, lodging, travel and recreation. Work assignments take any.
fn suits(engagement: Engagement, soc: &str) -> bool {
    let prefixes: &[&str] = match engagement {
        Engagement::Invest => &["11-", "13-", "17-"],
        Engagement::Donate => &["21-", "25-", "29-"],
        Engagement::Tourism => &["35-", "39-7", "39-9", "11-9051", "11-9081", "41-3041"],
        _ => &[""],
    };
    prefixes.iter().any(|p| soc.starts_with(p))
}
/// Whether the synthetic host organisations consent to relay introductions. An assumption:
/// the organisations that host diaspora opportunities (ministries, hospitals, universities,
/// development agencies) take part in a programme in order to connect people.
const ORGANISATIONS_RELAY: bool = true;

/// Mix of tie kinds: community, organisational, colleague, family, alumni, mentor.
const TIE_MIX: [(TieKind, f64, f32, f32); 6] = [
    (TieKind::Community, 0.35, 0.3, 0.7),
    (TieKind::Organisational, 0.25, 0.5, 0.95),
    (TieKind::Colleague, 0.15, 0.4, 0.8),
    (TieKind::Family, 0.1, 0.7, 1.0),
    (TieKind::Alumni, 0.1, 0.4, 0.8),
    (TieKind::Mentor, 0.05, 0.5, 0.9),
];

/// Sizes and seed of a synthetic population.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SynthConfig {
    /// Number of profiles.
    pub profiles: usize,
    /// Number of opportunities.
    pub opportunities: usize,
    /// Number of ties.
    pub ties: usize,
    /// Seed.
    pub seed: u64,
    /// Skills per profile. `None` (the default) draws 6 to 15 of the occupation's important
    /// skills and 1 to 4 of its technologies; `Some(n)` draws exactly `n` where the
    /// occupation has that many (benches use 20).
    pub skills_per_profile: Option<usize>,
    /// Requirements per opportunity. `None` (the default) draws 3 to 6 of the occupation's
    /// most important skills and, six times in ten, a technology; `Some(n)` draws `n - 1`
    /// skills and one technology (benches use 8).
    pub requirements_per_opportunity: Option<usize>,
}

impl Default for SynthConfig {
    /// The shipped sample: 300 profiles, 40 opportunities, 1,000 ties, seed 2024.
    fn default() -> Self {
        SynthConfig {
            profiles: 300,
            opportunities: 40,
            ties: 1000,
            seed: 2024,
            skills_per_profile: None,
            requirements_per_opportunity: None,
        }
    }
}

/// Profiles per chunk. Each chunk draws from its own generator, seeded from the population's
/// seed and the chunk's number, so chunks can be drawn on any thread in any order and the
/// output is the same byte for byte.
const CHUNK: usize = 4096;
/// Ties per chunk, likewise.
const TIE_CHUNK: usize = 65_536;
/// Chunks drawn at once when streaming: bounds the memory held for output in flight.
const BATCH: usize = 32;

/// What the generator is doing, for [`Population::write`]'s progress callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Drawing and writing profiles.
    Profiles,
    /// Drawing opportunities and their hosts.
    Opportunities,
    /// Drawing and writing ties.
    Ties,
}

/// Progress of [`Population::write`]: `done` of `total` items of a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Items done in this stage.
    pub done: u64,
    /// Items in this stage.
    pub total: u64,
}

/// What a person draws that ties depend on.
#[derive(Clone, Copy, Debug)]
struct Attrs {
    origin: RegionId,
    residence: RegionId,
    occupation: u32,
}

/// A synthetic population: profiles, opportunities with their host organisations, contacts
/// who are not profiles, and ties, drawn from the real tables.
///
/// [`Population::generate`] builds a [`Dataset`] in memory; [`Population::write`] streams the
/// same records to files in the format [`io`](crate::io) loads, holding only what ties need
/// (three small numbers per person), so populations of tens of millions fit.
#[derive(Clone, Debug)]
pub struct Population<'a> {
    reference: Arc<Reference>,
    tables: &'a SourceTables,
    config: SynthConfig,
    corridor: Weighted,
    generation: Weighted,
    countries: Vec<RegionId>,
    country_pick: Weighted,
    start: i32,
    /// Each opportunity's engagement kind and occupation (from their own random stream);
    /// [`DEMAND_SHARE`] of profiles are drawn from these occupations.
    kinds: Vec<(Engagement, usize)>,
}

fn chunk_rng(seed: u64, stream: u64, chunk: u64) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = mix.next_u64();
    let mut rng = SplitMix64::new(base ^ chunk.wrapping_mul(0xE703_7ED1_A0B4_28DB));
    rng.next_u64();
    rng
}

const PROFILES: u64 = 1;
const CONTACTS: u64 = 2;
const OPPORTUNITIES: u64 = 3;
const TIES: u64 = 4;

#[cfg(feature = "rayon")]
fn map_chunks<T: Send>(
    range: std::ops::Range<usize>,
    f: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    use rayon::prelude::*;
    range.into_par_iter().map(f).collect()
}

#[cfg(not(feature = "rayon"))]
fn map_chunks<T>(range: std::ops::Range<usize>, f: impl Fn(usize) -> T) -> Vec<T> {
    range.map(f).collect()
}

/// Ties drawn by one chunk: (node, node, kind, strength).
type TieRow = (u32, u32, TieKind, f32);

/// The groups ties are drawn within.
struct Groups {
    by_origin: HashMap<RegionId, Vec<u32>>,
    by_community: HashMap<(RegionId, RegionId), Vec<u32>>,
    by_occupation: HashMap<u32, Vec<u32>>,
    origin_keys: Vec<RegionId>,
    community_keys: Vec<(RegionId, RegionId)>,
    occupation_keys: Vec<u32>,
    orgs: Vec<(u32, RegionId)>,
}

impl<'a> Population<'a> {
    /// A population over the reference data and the source tables.
    ///
    /// # Errors
    ///
    /// Empty source tables, or sizes too large for `u32` ids.
    pub fn new(
        reference: Arc<Reference>,
        tables: &'a SourceTables,
        config: SynthConfig,
    ) -> Result<Population<'a>> {
        if tables.corridors.is_empty() || tables.occupations.is_empty() {
            return Err(Error::argument(
                "tables",
                "no corridors or occupations to draw from",
            ));
        }
        let nodes = config
            .profiles
            .checked_add(config.opportunities)
            .and_then(|n| n.checked_add(config.profiles / 10 + 1));
        if nodes.and_then(NodeId::from_index).is_none() {
            return Err(Error::argument("profiles", "too many for u32 ids"));
        }
        let corridor = Weighted::new(tables.corridors.iter().map(|c| c.2 as f64));
        // Opportunity countries: diaspora size, doubled for least developed countries.
        let mut diaspora: HashMap<RegionId, f64> = HashMap::new();
        for &(o, _, s) in &tables.corridors {
            *diaspora.entry(o).or_default() += s as f64;
        }
        let mut countries: Vec<(RegionId, f64)> = diaspora
            .into_iter()
            .map(|(c, s)| {
                (
                    c,
                    if reference.regions.is_least_developed(c) {
                        2.0 * s
                    } else {
                        s
                    },
                )
            })
            .collect();
        countries.sort_by_key(|c| c.0);
        let country_pick = Weighted::new(countries.iter().map(|c| c.1));
        let mut population = Population {
            tables,
            config,
            corridor,
            generation: Weighted::new(GENERATION_MIX),
            countries: countries.into_iter().map(|c| c.0).collect(),
            country_pick,
            start: Date::from_ymd(2027, 1, 1).map_or(0, Date::days),
            reference,
            kinds: Vec::new(),
        };
        population.kinds = population.opportunity_kinds();
        Ok(population)
    }

    fn chunks(&self) -> usize {
        self.config.profiles.div_ceil(CHUNK)
    }

    /// Draws the profiles of one chunk.
    fn profile_chunk(&self, c: usize) -> Vec<(Profile, Attrs)> {
        let mut rng = chunk_rng(self.config.seed, PROFILES, c as u64);
        let range = c * CHUNK..((c + 1) * CHUNK).min(self.config.profiles);
        range.map(|i| self.profile(i, &mut rng)).collect()
    }

    fn profile(&self, i: usize, rng: &mut SplitMix64) -> (Profile, Attrs) {
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
        let profile = Profile {
            key: format!("p-{i:06}"),
            skills,
            origins,
            residence: Some(residence),
            languages,
            engagements,
            available,
            intermediary: rng.chance(0.7),
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
    fn contacts(&self) -> Vec<(String, bool, RegionId)> {
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

    /// Opportunities and host organisations (keys, country), hosts numbered from
    /// `first_org_node`.
    /// An opportunity's engagement kind and an occupation that suits it (any, for a work
    /// assignment).
    fn opportunity_kind(&self, rng: &mut SplitMix64) -> (Engagement, usize) {
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
    fn opportunity_kinds(&self) -> Vec<(Engagement, usize)> {
        let mut rng = chunk_rng(self.config.seed, OPPORTUNITIES, 1);
        (0..self.config.opportunities)
            .map(|_| self.opportunity_kind(&mut rng))
            .collect()
    }

    fn opportunities(&self, first_org_node: u32) -> (Vec<Opportunity>, Vec<(String, RegionId)>) {
        let r = &*self.reference;
        let mut rng = chunk_rng(self.config.seed, OPPORTUNITIES, 0);
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
            let requirements = draw_requirements(
                self.tables,
                occ,
                self.config.requirements_per_opportunity,
                &mut rng,
            );
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
            });
        }
        (out, orgs)
    }

    fn groups(
        &self,
        attrs: &[Attrs],
        contacts: &[(String, bool, RegionId)],
        orgs: &[(String, RegionId)],
    ) -> Groups {
        let mut g = Groups {
            by_origin: HashMap::new(),
            by_community: HashMap::new(),
            by_occupation: HashMap::new(),
            origin_keys: Vec::new(),
            community_keys: Vec::new(),
            occupation_keys: Vec::new(),
            orgs: Vec::new(),
        };
        for (i, a) in attrs.iter().enumerate() {
            let n = i as u32;
            g.by_origin.entry(a.origin).or_default().push(n);
            g.by_community
                .entry((a.origin, a.residence))
                .or_default()
                .push(n);
            g.by_occupation.entry(a.occupation).or_default().push(n);
        }
        let first_contact = attrs.len() as u32;
        for (i, c) in contacts.iter().enumerate() {
            g.by_origin
                .entry(c.2)
                .or_default()
                .push(first_contact + i as u32);
        }
        let first_org = first_contact + contacts.len() as u32;
        g.orgs = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (first_org + i as u32, o.1))
            .collect();
        g.origin_keys = g
            .by_origin
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        g.origin_keys.sort_unstable();
        g.community_keys = g
            .by_community
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        g.community_keys.sort_unstable();
        g.occupation_keys = g
            .by_occupation
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        g.occupation_keys.sort_unstable();
        g
    }

    /// Draws the ties of one chunk.
    fn tie_chunk(&self, g: &Groups, c: usize) -> Vec<TieRow> {
        let mut rng = chunk_rng(self.config.seed, TIES, c as u64);
        let want = TIE_CHUNK.min(self.config.ties - c * TIE_CHUNK);
        let tie_kind = Weighted::new(TIE_MIX.iter().map(|t| t.1));
        // Skewed choice inside a group: low positions are picked far more often, which gives
        // the heavy-tailed degrees of real social graphs.
        let skewed =
            |rng: &mut SplitMix64, n: usize| ((rng.unit().powi(3)) * n as f64) as usize % n.max(1);
        let pair_in = |rng: &mut SplitMix64, list: &[u32]| -> Option<(u32, u32)> {
            if list.len() < 2 {
                return None;
            }
            let a = list[skewed(rng, list.len())];
            let b = list[rng.below(list.len())];
            (a != b).then_some((a, b))
        };
        let mut out = Vec::with_capacity(want);
        let mut attempts = 0usize;
        while out.len() < want && attempts < want * 50 + 1000 {
            attempts += 1;
            let (kind, _, lo, hi) = TIE_MIX[tie_kind.sample(&mut rng).unwrap_or(0)];
            let pair = match kind {
                TieKind::Organisational if !g.orgs.is_empty() => {
                    let (org, country) = g.orgs[skewed(&mut rng, g.orgs.len())];
                    g.by_origin
                        .get(&country)
                        .filter(|l| !l.is_empty())
                        .map(|l| (l[rng.below(l.len())], org))
                }
                TieKind::Organisational => None,
                TieKind::Community if !g.community_keys.is_empty() => {
                    let k = g.community_keys[rng.below(g.community_keys.len())];
                    g.by_community.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                TieKind::Colleague | TieKind::Mentor if !g.occupation_keys.is_empty() => {
                    let k = g.occupation_keys[rng.below(g.occupation_keys.len())];
                    g.by_occupation.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                _ if !g.origin_keys.is_empty() => {
                    let k = g.origin_keys[rng.below(g.origin_keys.len())];
                    g.by_origin.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                _ => None,
            };
            let Some((a, b)) = pair else { continue };
            let strength = ((lo + (hi - lo) * rng.unit() as f32) * 100.0).round() / 100.0;
            out.push((a, b, kind, strength.clamp(0.01, 1.0)));
        }
        out
    }

    /// Builds the whole population in memory.
    ///
    /// # Errors
    ///
    /// None in practice; the network's checks are kept.
    pub fn generate(&self) -> Result<Dataset> {
        self.generate_with_progress(|_| {})
    }

    /// [`Population::generate`], calling `progress` (from any thread) after each chunk of
    /// profiles and of ties.
    ///
    /// # Errors
    ///
    /// As [`Population::generate`].
    pub fn generate_with_progress(&self, progress: impl Fn(Progress) + Sync) -> Result<Dataset> {
        use std::sync::atomic::{AtomicU64, Ordering};
        let done = AtomicU64::new(0);
        let total = self.config.profiles as u64;
        let chunks = map_chunks(0..self.chunks(), |c| {
            let chunk = self.profile_chunk(c);
            let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            progress(Progress {
                stage: Stage::Profiles,
                done: d,
                total,
            });
            chunk
        });
        let mut profiles = Vec::with_capacity(self.config.profiles);
        let mut attrs = Vec::with_capacity(self.config.profiles);
        for (p, a) in chunks.into_iter().flatten() {
            profiles.push(p);
            attrs.push(a);
        }
        let contacts = self.contacts();
        let first_org = (profiles.len() + contacts.len()) as u32;
        let (opportunities, orgs) = self.opportunities(first_org);
        let mut dataset = Dataset::new(self.reference.clone());
        for p in &profiles {
            dataset
                .network
                .add_node(&p.key, NodeKind::Person, p.intermediary)?;
        }
        for (key, consent, _) in &contacts {
            dataset.network.add_node(key, NodeKind::Person, *consent)?;
        }
        for (key, _) in &orgs {
            dataset
                .network
                .add_node(key, NodeKind::Organisation, ORGANISATIONS_RELAY)?;
        }
        let groups = self.groups(&attrs, &contacts, &orgs);
        let done = AtomicU64::new(0);
        let total = self.config.ties as u64;
        let ties = map_chunks(0..self.config.ties.div_ceil(TIE_CHUNK), |c| {
            let chunk = self.tie_chunk(&groups, c);
            let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
            progress(Progress {
                stage: Stage::Ties,
                done: d,
                total,
            });
            chunk
        });
        for (a, b, kind, strength) in ties.into_iter().flatten() {
            dataset
                .network
                .add_tie(NodeId::new(a), NodeId::new(b), Tie { kind, strength })?;
        }
        dataset.profiles = profiles;
        dataset.opportunities = opportunities;
        Ok(dataset)
    }

    /// Streams the population to `dir` as `profiles.jsonl`, `opportunities.json`,
    /// `nodes.csv` and `ties.csv`, byte for byte what [`io::write_dataset`](crate::io::write_dataset)
    /// writes for [`Population::generate`]'s dataset. `progress` is called after every chunk;
    /// returning `false` cancels (the files written so far are left as they are).
    ///
    /// # Errors
    ///
    /// A file that cannot be written, or [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled).
    ///
    /// # Complexity
    ///
    /// Memory holds three numbers per person, the grouping of people for ties, and
    /// 32 chunks of output in flight; never the whole population.
    pub fn write(
        &self,
        dir: impl AsRef<std::path::Path>,
        mut progress: impl FnMut(Progress) -> bool,
    ) -> Result<()> {
        use std::io::Write;
        let dir = dir.as_ref();
        let r = &*self.reference;
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let mut cancel = |p: Progress| {
            if progress(p) {
                Ok(())
            } else {
                Err(Error::from(crate::error::ErrorKind::Cancelled))
            }
        };

        // Profiles, a batch of chunks at a time, serialised in parallel, written in order.
        let path = dir.join("profiles.jsonl");
        let mut w = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&path).map_err(|e| io_error(&path, e))?,
        );
        let mut attrs: Vec<Attrs> = Vec::with_capacity(self.config.profiles);
        let total = self.config.profiles as u64;
        let chunks = self.chunks();
        for first in (0..chunks).step_by(BATCH) {
            let batch = map_chunks(first..(first + BATCH).min(chunks), |c| {
                let mut buf = Vec::with_capacity(CHUNK * 600);
                let mut a = Vec::with_capacity(CHUNK);
                for (p, at) in self.profile_chunk(c) {
                    if serde_json::to_writer(
                        &mut buf,
                        &crate::io::ProfileRecord::from_profile(&p, r),
                    )
                    .is_ok()
                    {
                        buf.push(b'\n');
                    }
                    a.push(at);
                }
                (buf, a)
            });
            for (buf, a) in batch {
                w.write_all(&buf).map_err(|e| io_error(&path, e))?;
                attrs.extend(a);
            }
            cancel(Progress {
                stage: Stage::Profiles,
                done: attrs.len() as u64,
                total,
            })?;
        }
        w.flush().map_err(|e| io_error(&path, e))?;

        // Opportunities and nodes.
        let contacts = self.contacts();
        let first_org = (attrs.len() + contacts.len()) as u32;
        let (opportunities, orgs) = self.opportunities(first_org);
        let path = dir.join("opportunities.json");
        let recs: Vec<crate::io::OpportunityRecord> = opportunities
            .iter()
            .map(|o| {
                let host = node_key(o.host.as_u32(), attrs.len(), first_org, &contacts, &orgs);
                crate::io::OpportunityRecord::with_host_key(o, r, &host)
            })
            .collect();
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| io_error(&path, e))?);
        serde_json::to_writer_pretty(&mut w, &recs).map_err(|e| io_error(&path, e.into()))?;
        writeln!(w)
            .and_then(|()| w.flush())
            .map_err(|e| io_error(&path, e))?;
        cancel(Progress {
            stage: Stage::Opportunities,
            done: recs.len() as u64,
            total: recs.len() as u64,
        })?;

        let path = dir.join("nodes.csv");
        let mut w =
            std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| io_error(&path, e))?);
        let mut text = String::from("key,kind,intermediary\n");
        for (key, consent, _) in &contacts {
            text.push_str(&format!("{key},person,{consent}\n"));
        }
        for (key, _) in &orgs {
            text.push_str(&format!("{key},organisation,{ORGANISATIONS_RELAY}\n"));
        }
        w.write_all(text.as_bytes())
            .and_then(|()| w.flush())
            .map_err(|e| io_error(&path, e))?;

        // Ties, a batch of chunks at a time.
        let groups = self.groups(&attrs, &contacts, &orgs);
        let path = dir.join("ties.csv");
        let mut w = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&path).map_err(|e| io_error(&path, e))?,
        );
        w.write_all(b"from,to,kind,strength\n")
            .map_err(|e| io_error(&path, e))?;
        let tie_chunks = self.config.ties.div_ceil(TIE_CHUNK);
        let mut done = 0u64;
        for first in (0..tie_chunks).step_by(BATCH) {
            let batch = map_chunks(first..(first + BATCH).min(tie_chunks), |c| {
                let rows = self.tie_chunk(&groups, c);
                let mut buf = String::with_capacity(rows.len() * 40);
                for (a, b, kind, s) in &rows {
                    buf.push_str(&node_key(*a, attrs.len(), first_org, &contacts, &orgs));
                    buf.push(',');
                    buf.push_str(&node_key(*b, attrs.len(), first_org, &contacts, &orgs));
                    buf.push(',');
                    buf.push_str(kind.as_str());
                    buf.push(',');
                    buf.push_str(&s.to_string());
                    buf.push('\n');
                }
                (buf, rows.len())
            });
            for (buf, n) in batch {
                w.write_all(buf.as_bytes())
                    .map_err(|e| io_error(&path, e))?;
                done += n as u64;
            }
            cancel(Progress {
                stage: Stage::Ties,
                done,
                total: self.config.ties as u64,
            })?;
        }
        w.flush().map_err(|e| io_error(&path, e))?;
        Ok(())
    }
}

fn node_key(
    n: u32,
    profiles: usize,
    first_org: u32,
    contacts: &[(String, bool, RegionId)],
    orgs: &[(String, RegionId)],
) -> String {
    let i = n as usize;
    if i < profiles {
        format!("p-{i:06}")
    } else if n < first_org {
        contacts[i - profiles].0.clone()
    } else {
        orgs[i - first_org as usize].0.clone()
    }
}

fn io_error(path: &std::path::Path, source: std::io::Error) -> Error {
    crate::error::ErrorKind::Io {
        path: path.to_path_buf(),
        source,
    }
    .into()
}

/// Generates a dataset in memory; see [`Population`].
///
/// # Errors
///
/// Empty source tables, or sizes too large for `u32` ids.
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use diaspora_match::{io, synth};
/// let dir = io::bundled_reference_dir();
/// let reference = Arc::new(io::load_reference(&dir)?);
/// let tables = synth::SourceTables::load(&dir, &reference)?;
/// let config = synth::SynthConfig { profiles: 50, opportunities: 5, ties: 100, seed: 1, ..Default::default() };
/// let a = synth::generate(reference.clone(), &tables, &config)?;
/// let b = synth::generate(reference, &tables, &config)?;
/// assert_eq!(a.profiles, b.profiles);
/// assert_eq!(a.network.tie_count(), 100);
/// a.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn generate(
    reference: Arc<Reference>,
    tables: &SourceTables,
    config: &SynthConfig,
) -> Result<Dataset> {
    Population::new(reference, tables, *config)?.generate()
}

fn window(rng: &mut SplitMix64, start: i32, min_len: usize, max_len: usize) -> Option<Window> {
    let from = start + rng.below(365) as i32;
    let to = from + (min_len + rng.below(max_len - min_len + 1)) as i32;
    Window::new(Date::from_days(from), Date::from_days(to))
}

/// O*NET level (0-7) to the crate's 1-5.
fn level_from_onet(lv: f32) -> Option<Level> {
    Level::new(((lv / 7.0 * 5.0).round() as u8).clamp(1, 5))
}

/// A person's skills from their occupation: important ones, the more specific to the
/// occupation the likelier (see [`SourceTables::specificity`]), at about its level, and a
/// few of its technologies.
fn draw_skills(
    tables: &SourceTables,
    occ: &Occupation,
    exactly: Option<usize>,
    rng: &mut SplitMix64,
) -> Vec<HeldSkill> {
    let important: Vec<&(SkillId, f32, f32)> =
        occ.skills.iter().filter(|s| s.1 >= IMPORTANT).collect();
    let pool: Vec<&(SkillId, f32, f32)> = if important.len() >= 4 && exactly.is_none() {
        important
    } else {
        occ.skills.iter().collect()
    };
    let (rated, techs) = match exactly {
        None => ((6 + rng.below(10)).min(pool.len()), None),
        Some(n) => {
            let t = (1 + rng.below(4)).min(n).min(occ.technologies.len());
            ((n - t).min(pool.len()), Some(n - (n - t).min(pool.len())))
        }
    };
    let mut weights: Vec<f64> = pool
        .iter()
        .map(|s| f64::from(s.1) * tables.specificity(s.0))
        .collect();
    let mut out = Vec::with_capacity(rated + 4);
    for _ in 0..rated {
        let Some(i) = Weighted::new(weights.iter().copied()).sample(rng) else {
            break;
        };
        weights[i] = 0.0;
        let (skill, _, lv) = *pool[i];
        // People rate themselves around the occupation's level, one step either way.
        let jitter = rng.below(3) as f32 - 1.0;
        let level = level_from_onet(lv)
            .and_then(|l| Level::new((f32::from(l.get()) + jitter).clamp(1.0, 5.0) as u8));
        out.push(HeldSkill {
            skill,
            level: if rng.chance(0.85) { level } else { None },
            years: None,
        });
    }
    let count = match techs {
        None => 1 + rng.below(4),
        Some(t) => t,
    };
    draw_technologies(tables, occ, out.len() + count, rng, &mut out);
    out
}

/// Adds distinct technologies of the occupation to `out` until it holds `target` skills
/// (a bounded number of tries): hot ones three times as likely, specific ones likelier.
fn draw_technologies(
    tables: &SourceTables,
    occ: &Occupation,
    target: usize,
    rng: &mut SplitMix64,
    out: &mut Vec<HeldSkill>,
) {
    let techs = Weighted::new(
        occ.technologies
            .iter()
            .map(|t| if t.1 { 3.0 } else { 1.0 } * tables.specificity(t.0)),
    );
    for _ in 0..target.saturating_sub(out.len()) * 8 {
        if out.len() >= target {
            break;
        }
        let Some(i) = techs.sample(rng) else {
            return;
        };
        let skill = occ.technologies[i].0;
        if out.iter().all(|h| h.skill != skill) {
            out.push(HeldSkill {
                skill,
                level: Level::new(2 + rng.below(4) as u8),
                years: Some(1 + rng.below(15) as u8),
            });
        }
    }
}

/// An opportunity's requirements from its occupation: what it specifically needs (its
/// skills, knowledge areas and technologies by importance times specificity), generic skills
/// at most [`GENERIC_WEIGHT`] of the weight.
fn draw_requirements(
    tables: &SourceTables,
    occ: &Occupation,
    exactly: Option<usize>,
    rng: &mut SplitMix64,
) -> Vec<Requirement> {
    let value = |s: &(SkillId, f32, f32)| f64::from(s.1) * tables.specificity(s.0);
    let mut ranked: Vec<&(SkillId, f32, f32)> = occ.skills.iter().collect();
    ranked.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.0.cmp(&b.0)));
    let (top_n, want, tech) = match exactly {
        None => (10, 3 + rng.below(4), None),
        Some(n) => ((2 * n).max(10), n.saturating_sub(1).max(1), Some(true)),
    };
    let top = &ranked[..ranked.len().min(top_n)];
    let mut weights: Vec<f64> = top.iter().map(|s| value(s)).collect();
    let mut out: Vec<Requirement> = Vec::with_capacity(want + 1);
    for k in 0..want.min(top.len()) {
        let Some(i) = Weighted::new(weights.iter().copied()).sample(rng) else {
            break;
        };
        weights[i] = 0.0;
        let (skill, im, lv) = *top[i];
        out.push(Requirement {
            skill,
            // O*NET importance 3-5 becomes weight 1-3, to one decimal.
            weight: ((im - 2.0).max(0.5) * 10.0).round() / 10.0,
            min_level: if rng.chance(0.5) {
                level_from_onet(lv).and_then(|l| Level::new(l.get().saturating_sub(1).max(1)))
            } else {
                None
            },
            must: k == 0 && rng.chance(0.3),
        });
    }
    if tech.unwrap_or_else(|| rng.chance(0.6)) {
        let techs = Weighted::new(occ.technologies.iter().map(|t| tables.specificity(t.0)));
        if let Some(i) = techs.sample(rng) {
            let skill = occ.technologies[i].0;
            if out.iter().all(|q| q.skill != skill) {
                out.push(Requirement {
                    skill,
                    weight: 1.0,
                    min_level: None,
                    must: false,
                });
            }
        }
    }
    cap_generic_weight(tables, &mut out);
    out
}

/// Drops the weightiest generic requirements while they hold more than [`GENERIC_WEIGHT`]
/// of the weight (never the last specific one's company: a list of generic skills only is
/// left as drawn).
fn cap_generic_weight(tables: &SourceTables, out: &mut Vec<Requirement>) {
    let specific = |r: &Requirement| tables.is_specific(r.skill);
    if !out.iter().any(specific) {
        return;
    }
    loop {
        let total: f32 = out.iter().map(|r| r.weight).sum();
        let generic: f32 = out.iter().filter(|r| !specific(r)).map(|r| r.weight).sum();
        if generic <= GENERIC_WEIGHT * total {
            return;
        }
        let Some(i) = (0..out.len())
            .filter(|&i| !specific(&out[i]))
            .max_by(|&a, &b| out[a].weight.total_cmp(&out[b].weight).then(b.cmp(&a)))
        else {
            return;
        };
        out.remove(i);
    }
}

fn draw_languages(
    r: &Reference,
    origin: RegionId,
    residence: RegionId,
    generation: Generation,
    rng: &mut SplitMix64,
) -> Vec<LanguageSkill> {
    let mut out: Vec<LanguageSkill> = Vec::new();
    let mut add = |language, level| match out
        .iter_mut()
        .find(|l: &&mut LanguageSkill| l.language == language)
    {
        Some(l) => l.level = l.level.max(level),
        None => out.push(LanguageSkill { language, level }),
    };
    let heritage_level = match generation.get() {
        1 => Proficiency::Native,
        2 => [Proficiency::B2, Proficiency::C1, Proficiency::Native][rng.below(3)],
        _ => [Proficiency::A2, Proficiency::B1, Proficiency::B2][rng.below(3)],
    };
    let spoken = r.languages.spoken_in(origin);
    if let Some(i) = Weighted::new(spoken.iter().map(|l| f64::from(l.percent))).sample(rng) {
        add(spoken[i].language, heritage_level);
    }
    // A second language of the origin country, often the official one.
    if let Some(l) = spoken.iter().find(|l| l.official)
        && rng.chance(0.6)
    {
        add(
            l.language,
            if generation.get() == 1 {
                Proficiency::C1
            } else {
                Proficiency::B1
            },
        );
    }
    let at_home = r.languages.spoken_in(residence);
    if let Some(l) = at_home.iter().find(|l| l.official).or(at_home.first()) {
        let level = if generation.get() > 1 {
            Proficiency::Native
        } else {
            [
                Proficiency::B1,
                Proficiency::B2,
                Proficiency::C1,
                Proficiency::C2,
            ][rng.below(4)]
        };
        add(l.language, level);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_fixed_and_uniform_enough() {
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        let mut counts = [0usize; 4];
        for _ in 0..40_000 {
            counts[r.below(4)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_000..11_000).contains(&c)),
            "{counts:?}"
        );
        let w = Weighted::new([0.0, 3.0, 1.0]);
        let mut hits = [0usize; 3];
        for _ in 0..40_000 {
            hits[w.sample(&mut r).unwrap()] += 1;
        }
        assert_eq!(hits[0], 0);
        assert!((28_000..32_000).contains(&hits[1]), "{hits:?}");
        assert!(Weighted::new([]).sample(&mut r).is_none());
    }
}
