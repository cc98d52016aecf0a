//! [`SynthConfig`], the shares and mixes the generator draws with, and the progress it reports.

use crate::model::Engagement;
use crate::network::TieKind;

/// Occupations with fewer rated skills are left out.
pub(crate) const MIN_RATED_SKILLS: usize = 10;

/// O*NET importance at or above which a skill counts as part of the occupation (the scale is
/// 1-5; O*NET itself calls 3 "important").
pub(crate) const IMPORTANT: f32 = 3.0;

/// A skill important for this share of occupations or more is generic (O*NET rates every
/// occupation on the same basic skills: Reading Comprehension is important for most).
pub(crate) const GENERIC_SHARE: f32 = 0.2;

/// Largest share of an opportunity's requirement weight on generic skills: they are part of
/// every job, not what an opportunity is for.
pub(crate) const GENERIC_WEIGHT: f32 = 0.5;

/// Share of registrants whose occupation is one the programme's opportunities recruit for.
/// An assumption: people register with a diaspora programme for what it offers, so its
/// registry over-represents the professions it recruits.
pub(crate) const DEMAND_SHARE: f64 = 0.5;

/// Share of first, second and third generation. An assumption: the UN stock counts people born
/// abroad only; descendants are added at about a third of that, as registries of origin
/// countries report.
pub(crate) const GENERATION_MIX: [f64; 3] = [0.72, 0.21, 0.07];

/// Probability that a person accepts each engagement kind (in [`Engagement::ALL`] order).
/// An assumption: remote help is the easiest to give, permanent return the rarest.
pub(crate) const ACCEPTS: [f64; 7] = [0.08, 0.35, 0.4, 0.6, 0.15, 0.2, 0.3];

/// Share of opportunities per engagement kind (in [`Engagement::ALL`] order).
pub(crate) const OFFERED: [f64; 7] = [0.05, 0.35, 0.15, 0.3, 0.07, 0.05, 0.03];

/// The O*NET-SOC major groups (and groups) whose occupations make sense for an engagement
/// kind that is no work assignment: an investment is run by managers, business, financial and
/// engineering people; philanthropy goes to health, education and community services;
/// diaspora tourism to food, lodging, travel and recreation. Work assignments take any.
pub(crate) fn suits(engagement: Engagement, soc: &str) -> bool {
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
pub(crate) const ORGANISATIONS_RELAY: bool = true;

/// Mix of tie kinds: community, organisational, colleague, family, alumni, mentor.
pub(crate) const TIE_MIX: [(TieKind, f64, f32, f32); 6] = [
    (TieKind::Community, 0.35, 0.3, 0.7),
    (TieKind::Organisational, 0.25, 0.5, 0.95),
    (TieKind::Colleague, 0.15, 0.4, 0.8),
    (TieKind::Family, 0.1, 0.7, 1.0),
    (TieKind::Alumni, 0.1, 0.4, 0.8),
    (TieKind::Mentor, 0.05, 0.5, 0.9),
];

/// How many of an opportunity's requirements name broad concepts. A requirement is made broad
/// by moving its skill up to its broadest direct broader entry in the taxonomy (the one with
/// the most narrower entries): an O*NET skill to its group ("Content", "Social Skills"), a
/// technology to its commodity category ("Medical software", "Data base user interface and
/// query software"), an ESCO skill to its skill group or broader skill. Partial credit then
/// reaches every skill under it, as when a programme asks for "nursing" or "computer
/// programming". Benches use it to measure that cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Breadth {
    /// The occupation's skills as drawn.
    #[default]
    AsDrawn,
    /// Every second requirement (the second, the fourth, ...) is broad; the first, which may
    /// be a must-have, stays as drawn.
    Half,
    /// Every requirement is broad.
    All,
}

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
    /// How many requirements name broad concepts ([`Breadth`]); as drawn by default.
    pub breadth: Breadth,
}

impl Default for SynthConfig {
    /// The shipped sample: 300 profiles, 50 opportunities, 1,000 ties, seed 2024.
    fn default() -> Self {
        SynthConfig {
            profiles: 300,
            opportunities: 50,
            ties: 1000,
            seed: 2024,
            skills_per_profile: None,
            requirements_per_opportunity: None,
            breadth: Breadth::AsDrawn,
        }
    }
}

/// Profiles per chunk. Each chunk draws from its own generator, seeded from the population's
/// seed and the chunk's number, so chunks can be drawn on any thread in any order and the
/// output is the same byte for byte.
pub(crate) const CHUNK: usize = 4096;

/// Ties per chunk, likewise.
pub(crate) const TIE_CHUNK: usize = 65_536;

/// Chunks drawn at once when streaming: bounds the memory held for output in flight.
pub(crate) const BATCH: usize = 32;

/// Chunks drawn at once into a build ([`Population::profile_chunks`](super::Population::profile_chunks)) and into the skeleton: 16,384
/// records (about 10 MB) in flight instead of 131,072. The records are freed as soon as they are
/// compiled, but the allocator keeps much of what it gave them: with batches of 32 chunks the
/// engine's resident memory at a million profiles was about 50 bytes a profile above its own
/// arrays, with 4 about 25.
pub(crate) const BUILD_BATCH: usize = 4;

/// What the generator is doing, for [`Population::write`](super::Population::write)'s progress callback.
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

/// In words: `profiles`, `opportunities`, `ties`.
impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stage::Profiles => "profiles",
            Stage::Opportunities => "opportunities",
            Stage::Ties => "ties",
        })
    }
}

/// Progress of [`Population::write`](super::Population::write): `done` of `total` items of a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Items done in this stage.
    pub done: u64,
    /// Items in this stage.
    pub total: u64,
}
