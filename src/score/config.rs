//! [`MatchConfig`]: the weights, partial credits and steps of the scoring model, each with the
//! reason for its default, and their validation.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::geo::Closeness;
use crate::model::Engagement;
use crate::taxonomy::MAX_RELATION_HOPS;

use super::Component;
use super::weights::{KindWeights, Weights};

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

/// Partial credit for interests.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InterestCredit {
    /// Credit for a person whose sector is another of the same ISIC section (a health
    /// investor asked for social work), or the division of a section asked for.
    pub same_section: f32,
}

impl Default for InterestCredit {
    fn default() -> Self {
        InterestCredit {
            // A neighbouring trade is half the interest: it knows the market, not the trade.
            same_section: 0.5,
        }
    }
}

/// Everything that shapes a score. Validated once by [`MatchConfig::validate`] (the engine
/// builder calls it).
///
/// # Example
///
/// ```
/// use diaspora_match::{Component, MatchConfig};
/// let mut config = MatchConfig::default();
/// config.set_weight(Component::Region, 0.0); // origin must not count, for any kind
/// assert!(config.validate().is_ok());
/// config.weights.skills = f32::NAN;
/// assert_eq!(config.validate().unwrap_err().to_string(), "invalid config: `weights.skills`: must be finite and non-negative");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Component weights of every kind of engagement without its own in `kinds`: by default
    /// those of work (a return, a visit, remote work).
    pub weights: Weights,
    /// Component weights of the kinds that have their own: by default investment, donation
    /// and tourism.
    pub kinds: KindWeights,
    /// Credit for related skills.
    pub relatedness: Relatedness,
    /// Credit for levels.
    pub levels: LevelCredit,
    /// Region steps, for origins and, without the generation factor, for the countries of
    /// settlement an opportunity seeks.
    pub region: RegionSteps,
    /// Credit for interests.
    pub interest: InterestCredit,
    /// Longest referral path counted by the network component, in ties.
    pub network_max_hops: u8,
    /// Pairs scoring at or below this are not returned.
    pub min_score: f32,
    /// Minimum evidence: a pair is returned only when the [primary component](Component::primary) of
    /// its kind is above 0 (for work, at least one requirement gets credit). Without it, a
    /// person who gave only an origin would be listed for every opportunity in that country.
    pub require_evidence: bool,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            weights: Weights::default(),
            kinds: KindWeights::default(),
            relatedness: Relatedness::default(),
            levels: LevelCredit::default(),
            region: RegionSteps::default(),
            interest: InterestCredit::default(),
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
    /// The weights of an opportunity of kind `kind`: its own in [`MatchConfig::kinds`], else
    /// [`MatchConfig::weights`].
    pub fn weights_for(&self, kind: Engagement) -> &Weights {
        self.kinds.get(kind).unwrap_or(&self.weights)
    }

    /// Sets one component's weight for every kind: `set_weight(Component::Region, 0.0)`
    /// keeps origin out of every score.
    ///
    /// ```
    /// use diaspora_match::{Component, Engagement, MatchConfig};
    /// let mut config = MatchConfig::default();
    /// config.set_weight(Component::Region, 0.0);
    /// for kind in Engagement::ALL {
    ///     assert_eq!(config.weights_for(kind).region, 0.0);
    /// }
    /// ```
    pub fn set_weight(&mut self, c: Component, w: f32) {
        self.weights.set(c, w);
        for kind in Engagement::ALL {
            if let Some(weights) = self.kinds.slot_mut(kind) {
                weights.set(c, w);
            }
        }
    }

    /// Checks every value.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the first field out of range:
    /// weights (of every kind) must be finite and non-negative with a positive, finite sum; credits, factors and steps
    /// in `[0, 1]`, steps not increasing with distance; hop limits within their maxima;
    /// `min_score` in `[0, 1)`.
    pub fn validate(&self) -> Result<()> {
        self.weights.validate("weights")?;
        for kind in Engagement::ALL {
            if let Some(w) = self.kinds.get(kind) {
                w.validate(&format!("kinds.{}", kind.as_str()))?;
            }
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
            ("interest.same_section", self.interest.same_section),
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
