//! Synthetic diaspora populations drawn from the real reference tables.
//!
//! Everything is drawn from a seeded generator ([`SplitMix64`]), so the same seed and sizes
//! give the same dataset, byte for byte, on every machine. The draws follow real data:
//!
//! - (origin, residence) pairs in proportion to the UN DESA International Migrant Stock 2024
//!   corridors (`migrant_stock_2024.csv`);
//! - an O*NET occupation per person, then O*NET skills and knowledge areas in proportion to
//!   the occupation's importance ratings, with the level from O*NET's level ratings, plus a few
//!   of the occupation's technologies (hot technologies more often);
//! - languages from the CLDR population shares of the origin and residence countries;
//! - opportunities in origin countries in proportion to the diaspora's size, twice as often in
//!   least developed countries, with requirements from a real occupation's most important
//!   skills;
//! - ties inside communities (same origin and residence), occupations and origins, and to host
//!   organisations in the origin country, with endpoints drawn so that degrees are skewed.
//!
//! A few shares are assumptions rather than data (the generation mix, the engagement kinds a
//! person accepts, the mix of tie kinds); each is a named constant with its reason.

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
        for (line, r) in crate::io::records(&path, &["origin", "destination", "stock"])? {
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
        for (_, r) in crate::io::records(&path, &["soc", "title"])? {
            index.insert(r[0].to_string(), occupations.len());
            occupations.push(Occupation {
                code: r[0].into(),
                title: r[1].into(),
                skills: Vec::new(),
                technologies: Vec::new(),
            });
        }
        let path = dir.join("occupation_skills.csv");
        for (line, r) in crate::io::records(&path, &["soc", "skill", "importance", "level", "hot"])?
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
        Ok(SourceTables {
            corridors,
            occupations,
        })
    }
}

/// Occupations with fewer rated skills are left out.
const MIN_RATED_SKILLS: usize = 10;
/// O*NET importance at or above which a skill counts as part of the occupation (the scale is
/// 1-5; O*NET itself calls 3 "important").
const IMPORTANT: f32 = 3.0;
/// Share of first, second and third generation. An assumption: the UN stock counts people born
/// abroad only; descendants are added at about a third of that, as registries of origin
/// countries report.
const GENERATION_MIX: [f64; 3] = [0.72, 0.21, 0.07];
/// Probability that a person accepts each engagement kind (in [`Engagement::ALL`] order).
/// An assumption: remote help is the easiest to give, permanent return the rarest.
const ACCEPTS: [f64; 7] = [0.08, 0.35, 0.4, 0.6, 0.15, 0.2, 0.3];
/// Share of opportunities per engagement kind (in [`Engagement::ALL`] order).
const OFFERED: [f64; 7] = [0.05, 0.35, 0.15, 0.3, 0.07, 0.05, 0.03];
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
}

impl Default for SynthConfig {
    /// The shipped sample: 300 profiles, 40 opportunities, 1,000 ties, seed 2024.
    fn default() -> Self {
        SynthConfig {
            profiles: 300,
            opportunities: 40,
            ties: 1000,
            seed: 2024,
        }
    }
}

/// Generates a dataset.
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
/// let config = synth::SynthConfig { profiles: 50, opportunities: 5, ties: 100, seed: 1 };
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
    if tables.corridors.is_empty() || tables.occupations.is_empty() {
        return Err(Error::argument(
            "tables",
            "no corridors or occupations to draw from",
        ));
    }
    if NodeId::from_index(config.profiles + config.opportunities + config.profiles / 10 + 1)
        .is_none()
    {
        return Err(Error::argument("profiles", "too many for u32 ids"));
    }
    let r = &*reference;
    let mut rng = SplitMix64::new(config.seed);
    let corridor = Weighted::new(tables.corridors.iter().map(|c| c.2 as f64));
    let occupation_pick = |rng: &mut SplitMix64| rng.below(tables.occupations.len());
    let start = Date::from_ymd(2027, 1, 1).map_or(0, Date::days);

    // --- profiles
    let mut profiles = Vec::with_capacity(config.profiles);
    let mut occupation_of = Vec::with_capacity(config.profiles);
    for i in 0..config.profiles {
        let (origin, residence, _) = tables.corridors[corridor.sample(&mut rng).unwrap_or(0)];
        let generation = match Weighted::new(GENERATION_MIX).sample(&mut rng) {
            Some(g) => Generation::new(g as u8 + 1).unwrap_or(Generation::FIRST),
            None => Generation::FIRST,
        };
        let mut origins = vec![Origin {
            country: origin,
            generation,
        }];
        // Mixed heritage: a descendant's other parent from another community of the same country.
        if generation.get() > 1 && rng.chance(0.1) {
            let other = tables.corridors[corridor.sample(&mut rng).unwrap_or(0)].0;
            if other != origin {
                origins.push(Origin {
                    country: other,
                    generation,
                });
            }
        }
        let occ = occupation_pick(&mut rng);
        occupation_of.push(occ);
        let skills = draw_skills(&tables.occupations[occ], &mut rng);
        let languages = draw_languages(r, origin, residence, generation, &mut rng);
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
            .then(|| window(&mut rng, start, 30, 365))
            .flatten();
        profiles.push(Profile {
            key: format!("p-{i:06}"),
            skills,
            origins,
            residence: Some(residence),
            languages,
            engagements,
            available,
            intermediary: rng.chance(0.7),
        });
    }

    // --- opportunity countries: diaspora size, doubled for least developed countries
    let mut diaspora: HashMap<RegionId, f64> = HashMap::new();
    for &(o, _, s) in &tables.corridors {
        *diaspora.entry(o).or_default() += s as f64;
    }
    let mut countries: Vec<(RegionId, f64)> = diaspora
        .into_iter()
        .map(|(c, s)| {
            (
                c,
                if r.regions.is_least_developed(c) {
                    2.0 * s
                } else {
                    s
                },
            )
        })
        .collect();
    countries.sort_by_key(|c| c.0);
    let country_pick = Weighted::new(countries.iter().map(|c| c.1));

    let mut dataset = Dataset::new(reference.clone());
    for p in &profiles {
        dataset
            .network
            .add_node(&p.key, NodeKind::Person, p.intermediary)?;
    }
    // Contacts who are not profiles: a tenth of the population, from the same origins.
    let contacts = config.profiles / 10;
    let mut by_origin: HashMap<RegionId, Vec<NodeId>> = HashMap::new();
    let mut by_community: HashMap<(RegionId, RegionId), Vec<NodeId>> = HashMap::new();
    let mut by_occupation: HashMap<usize, Vec<NodeId>> = HashMap::new();
    for (i, p) in profiles.iter().enumerate() {
        let n = NodeId::new(i as u32);
        by_origin.entry(p.origins[0].country).or_default().push(n);
        if let Some(res) = p.residence {
            by_community
                .entry((p.origins[0].country, res))
                .or_default()
                .push(n);
        }
        by_occupation.entry(occupation_of[i]).or_default().push(n);
    }
    for c in 0..contacts {
        let (origin, _, _) = tables.corridors[corridor.sample(&mut rng).unwrap_or(0)];
        let n =
            dataset
                .network
                .add_node(&format!("c-{c:05}"), NodeKind::Person, rng.chance(0.7))?;
        by_origin.entry(origin).or_default().push(n);
    }

    // --- opportunities and their hosts
    let mut orgs_in: HashMap<RegionId, Vec<NodeId>> = HashMap::new();
    let mut orgs: Vec<(NodeId, RegionId)> = Vec::new();
    for j in 0..config.opportunities {
        let country = countries[country_pick.sample(&mut rng).unwrap_or(0)].0;
        let host = match orgs_in.get(&country) {
            Some(list) if rng.chance(0.3) => list[rng.below(list.len())],
            _ => {
                let n = dataset.network.add_node(
                    &format!("org-{:04}", orgs.len() + 1),
                    NodeKind::Organisation,
                    true,
                )?;
                orgs.push((n, country));
                orgs_in.entry(country).or_default().push(n);
                n
            }
        };
        let occ = &tables.occupations[occupation_pick(&mut rng)];
        let engagement = Engagement::ALL[Weighted::new(OFFERED).sample(&mut rng).unwrap_or(1)];
        let requirements = draw_requirements(occ, &mut rng);
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
        dataset.opportunities.push(Opportunity {
            key: format!("o-{:04}", j + 1),
            title: format!("{} ({what}), {}", occ.title, r.regions.name(country)),
            host,
            country,
            engagement,
            requirements,
            languages,
            capacity: 1 + rng.below(5) as u32,
            window: window(&mut rng, start, 60, 240),
        });
    }

    // --- ties
    let tie_kind = Weighted::new(TIE_MIX.iter().map(|t| t.1));
    let origins_with_orgs: Vec<(NodeId, RegionId)> = orgs.clone();
    let community_keys: Vec<(RegionId, RegionId)> = {
        let mut k: Vec<_> = by_community
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        k.sort_unstable();
        k
    };
    let occupation_keys: Vec<usize> = {
        let mut k: Vec<_> = by_occupation
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        k.sort_unstable();
        k
    };
    let origin_keys: Vec<RegionId> = {
        let mut k: Vec<_> = by_origin
            .iter()
            .filter(|(_, v)| v.len() >= 2)
            .map(|(k, _)| *k)
            .collect();
        k.sort_unstable();
        k
    };
    // Skewed choice inside a group: low positions are picked far more often, which gives the
    // heavy-tailed degrees of real social graphs.
    let skewed =
        |rng: &mut SplitMix64, n: usize| ((rng.unit().powi(3)) * n as f64) as usize % n.max(1);
    let pair_in = |rng: &mut SplitMix64, list: &[NodeId]| -> Option<(NodeId, NodeId)> {
        if list.len() < 2 {
            return None;
        }
        let a = list[skewed(rng, list.len())];
        let b = list[rng.below(list.len())];
        (a != b).then_some((a, b))
    };
    let mut made = 0;
    let mut attempts = 0usize;
    let max_attempts = config.ties.saturating_mul(50) + 1000;
    while made < config.ties && attempts < max_attempts {
        attempts += 1;
        let (kind, _, lo, hi) = TIE_MIX[tie_kind.sample(&mut rng).unwrap_or(0)];
        let pair = match kind {
            TieKind::Organisational => {
                if origins_with_orgs.is_empty() {
                    None
                } else {
                    let (org, country) =
                        origins_with_orgs[skewed(&mut rng, origins_with_orgs.len())];
                    by_origin
                        .get(&country)
                        .filter(|l| !l.is_empty())
                        .map(|l| (l[rng.below(l.len())], org))
                }
            }
            TieKind::Community if !community_keys.is_empty() => {
                let k = community_keys[rng.below(community_keys.len())];
                by_community.get(&k).and_then(|l| pair_in(&mut rng, l))
            }
            TieKind::Colleague | TieKind::Mentor if !occupation_keys.is_empty() => {
                let k = occupation_keys[rng.below(occupation_keys.len())];
                by_occupation.get(&k).and_then(|l| pair_in(&mut rng, l))
            }
            _ if !origin_keys.is_empty() => {
                let k = origin_keys[rng.below(origin_keys.len())];
                by_origin.get(&k).and_then(|l| pair_in(&mut rng, l))
            }
            _ => None,
        };
        let Some((a, b)) = pair else { continue };
        let strength = ((lo + (hi - lo) * rng.unit() as f32) * 100.0).round() / 100.0;
        dataset.network.add_tie(
            a,
            b,
            Tie {
                kind,
                strength: strength.clamp(0.01, 1.0),
            },
        )?;
        made += 1;
    }
    dataset.profiles = profiles;
    Ok(dataset)
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

fn draw_skills(occ: &Occupation, rng: &mut SplitMix64) -> Vec<HeldSkill> {
    let important: Vec<&(SkillId, f32, f32)> =
        occ.skills.iter().filter(|s| s.1 >= IMPORTANT).collect();
    let pool: Vec<&(SkillId, f32, f32)> = if important.len() >= 4 {
        important
    } else {
        occ.skills.iter().collect()
    };
    let want = (6 + rng.below(10)).min(pool.len());
    let mut weights: Vec<f64> = pool.iter().map(|s| f64::from(s.1)).collect();
    let mut out = Vec::with_capacity(want + 4);
    for _ in 0..want {
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
    let techs = Weighted::new(occ.technologies.iter().map(|t| if t.1 { 3.0 } else { 1.0 }));
    for _ in 0..1 + rng.below(4) {
        let Some(i) = techs.sample(rng) else { break };
        let skill = occ.technologies[i].0;
        if out.iter().all(|h| h.skill != skill) {
            out.push(HeldSkill {
                skill,
                level: Level::new(2 + rng.below(4) as u8),
                years: Some(1 + rng.below(15) as u8),
            });
        }
    }
    out
}

fn draw_requirements(occ: &Occupation, rng: &mut SplitMix64) -> Vec<Requirement> {
    let mut ranked: Vec<&(SkillId, f32, f32)> = occ.skills.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = &ranked[..ranked.len().min(10)];
    let want = 3 + rng.below(4);
    let mut weights: Vec<f64> = top.iter().map(|s| f64::from(s.1)).collect();
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
    if !occ.technologies.is_empty() && rng.chance(0.6) {
        let (skill, _) = occ.technologies[rng.below(occ.technologies.len())];
        if out.iter().all(|q| q.skill != skill) {
            out.push(Requirement {
                skill,
                weight: 1.0,
                min_level: None,
                must: false,
            });
        }
    }
    out
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
