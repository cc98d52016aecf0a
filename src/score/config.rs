//! [`MatchConfig`]: the weights, partial credits and steps of the scoring model, each with the
//! reason for its default, and their validation.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::geo::Closeness;
use crate::taxonomy::MAX_RELATION_HOPS;

/// Weights of the components in the total.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Skills: the purpose of a match, so the largest weight.
    pub skills: f32,
    /// Origin region. Origin can reveal ethnicity: set it to zero where that must not count.
    pub region: f32,
    /// Referral network.
    pub network: f32,
    /// Languages.
    pub language: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            // Skills decide whether the work gets done: more than half of the total.
            skills: 0.55,
            // Knowing the country matters, but should not outweigh competence.
            region: 0.15,
            // A referral path helps a placement start; a missing one should not sink it.
            network: 0.15,
            // Languages are often also a must-have filter; here they only rank.
            language: 0.15,
        }
    }
}

/// Partial credit for related skills along the taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Relatedness {
    /// Credit for a held skill one level narrower than the required one: a Django developer
    /// asked for programming is nearly as good as asked.
    pub narrower: f32,
    /// Credit for a held skill one level broader: general programming asked for Django
    /// is a start, not a match.
    pub broader: f32,
    /// Credit for a sibling (same direct broader skill): Java asked for Python.
    pub sibling: f32,
    /// Factor per extra level beyond the first, for narrower and broader skills.
    pub hop_decay: f32,
    /// Largest distance along the hierarchy that gives credit (a sibling is 2); at most
    /// [`MAX_RELATION_HOPS`].
    pub max_hops: u8,
}

impl Default for Relatedness {
    fn default() -> Self {
        Relatedness {
            // A more specific skill covers most of a general requirement.
            narrower: 0.8,
            // A more general skill covers half of a specific one.
            broader: 0.5,
            // Neighbouring skills transfer, less than either of the above.
            sibling: 0.4,
            // Each further level away halves the credit.
            hop_decay: 0.5,
            // Two levels: grandparent/grandchild and siblings; further is noise.
            max_hops: 2,
        }
    }
}

/// Credit for proficiency levels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LevelCredit {
    /// Factor when the requirement has a minimum level and the person gave none. It is never
    /// more than the factor of the lowest level (1), whatever is set here: stating a level
    /// must never lower a score.
    pub unknown: f32,
    /// Factor lost per level below the minimum.
    pub per_level_below: f32,
}

impl Default for LevelCredit {
    fn default() -> Self {
        LevelCredit {
            // Unknown is not a match: half credit, and never enough for a must-have with a level.
            unknown: 0.5,
            // One level short keeps 70 %, three levels short keeps 10 %.
            per_level_below: 0.3,
        }
    }
}

/// Region credit by how close the origin is to the opportunity's country.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionSteps {
    /// Same country.
    pub same_country: f32,
    /// Same M49 intermediate region (e.g. Western Africa).
    pub same_intermediate_region: f32,
    /// Same M49 sub-region (e.g. Sub-Saharan Africa).
    pub same_sub_region: f32,
    /// Same M49 region (e.g. Africa).
    pub same_region: f32,
    /// Factor for heritage origins: index 0 for the first generation, 1 and 2 for descendants.
    pub generation: [f32; 3],
}

impl RegionSteps {
    /// The credit for a closeness, before the generation factor.
    pub fn step(&self, closeness: Closeness) -> f32 {
        match closeness {
            Closeness::SameCountry => self.same_country,
            Closeness::SameIntermediateRegion => self.same_intermediate_region,
            Closeness::SameSubRegion => self.same_sub_region,
            Closeness::SameRegion => self.same_region,
            Closeness::None => 0.0,
        }
    }
}

impl Default for RegionSteps {
    fn default() -> Self {
        RegionSteps {
            same_country: 1.0,
            // Neighbouring countries share languages, institutions and trade.
            same_intermediate_region: 0.6,
            same_sub_region: 0.4,
            // A continent in common is weak evidence of local knowledge.
            same_region: 0.2,
            // Descendants know the country, usually less closely than people born there.
            generation: [1.0, 0.85, 0.7],
        }
    }
}

/// Everything that shapes a score. Validated once by [`MatchConfig::validate`] (the engine
/// builder calls it).
///
/// # Example
///
/// ```
/// use diaspora_match::MatchConfig;
/// let mut config = MatchConfig::default();
/// config.weights.region = 0.0; // origin must not count
/// assert!(config.validate().is_ok());
/// config.weights.skills = f32::NAN;
/// assert_eq!(config.validate().unwrap_err().to_string(), "invalid config: `weights.skills`: must be finite and non-negative");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Component weights.
    pub weights: Weights,
    /// Credit for related skills.
    pub relatedness: Relatedness,
    /// Credit for levels.
    pub levels: LevelCredit,
    /// Region steps.
    pub region: RegionSteps,
    /// Longest referral path counted by the network component, in ties.
    pub network_max_hops: u8,
    /// Pairs scoring at or below this are not returned.
    pub min_score: f32,
    /// Minimum evidence: a pair is returned only when at least one requirement gets credit
    /// (its skills component is above 0). Without it, a person who gave only an origin would
    /// be listed for every opportunity in that country.
    pub require_evidence: bool,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            weights: Weights::default(),
            relatedness: Relatedness::default(),
            levels: LevelCredit::default(),
            region: RegionSteps::default(),
            // Three ties: a friend of a friend of the host. Beyond that nobody will introduce.
            network_max_hops: 3,
            // Only pairs with some evidence are matches.
            min_score: 0.0,
            // Skills are what an opportunity asks for: no credit, no candidate.
            require_evidence: true,
        }
    }
}

/// Most hops the network component may search.
pub const MAX_NETWORK_HOPS: u8 = 6;

impl MatchConfig {
    /// Checks every value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the first field out of range:
    /// weights must be finite and non-negative with a positive, finite sum; credits, factors and steps
    /// in `[0, 1]`, steps not increasing with distance; hop limits within their maxima;
    /// `min_score` in `[0, 1)`.
    pub fn validate(&self) -> Result<()> {
        let w = &self.weights;
        for (name, v) in [
            ("weights.skills", w.skills),
            ("weights.region", w.region),
            ("weights.network", w.network),
            ("weights.language", w.language),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(name, "must be finite and non-negative"));
            }
        }
        let sum = w.skills + w.region + w.network + w.language;
        if sum <= 0.0 {
            return Err(Error::config(
                "weights",
                "at least one weight must be positive",
            ));
        }
        // Every total is a sum of weights times values in [0, 1]: it stays finite when the
        // weights' sum does.
        if !sum.is_finite() {
            return Err(Error::config("weights", "their sum must be finite"));
        }
        let r = &self.relatedness;
        let s = &self.region;
        for (name, v) in [
            ("relatedness.narrower", r.narrower),
            ("relatedness.broader", r.broader),
            ("relatedness.sibling", r.sibling),
            ("relatedness.hop_decay", r.hop_decay),
            ("levels.unknown", self.levels.unknown),
            ("levels.per_level_below", self.levels.per_level_below),
            ("region.same_country", s.same_country),
            (
                "region.same_intermediate_region",
                s.same_intermediate_region,
            ),
            ("region.same_sub_region", s.same_sub_region),
            ("region.same_region", s.same_region),
            ("region.generation[0]", s.generation[0]),
            ("region.generation[1]", s.generation[1]),
            ("region.generation[2]", s.generation[2]),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::config(name, "must be in [0, 1]"));
            }
        }
        if !(s.same_country >= s.same_intermediate_region
            && s.same_intermediate_region >= s.same_sub_region
            && s.same_sub_region >= s.same_region)
        {
            return Err(Error::config(
                "region",
                "steps must not increase with distance",
            ));
        }
        if r.max_hops > MAX_RELATION_HOPS {
            return Err(Error::config(
                "relatedness.max_hops",
                format!("must be at most {MAX_RELATION_HOPS}"),
            ));
        }
        if self.network_max_hops > MAX_NETWORK_HOPS {
            return Err(Error::config(
                "network_max_hops",
                format!("must be at most {MAX_NETWORK_HOPS}"),
            ));
        }
        if !(0.0..1.0).contains(&self.min_score) {
            return Err(Error::config("min_score", "must be in [0, 1)"));
        }
        Ok(())
    }
}
