//! The scoring model (v2: information never hurts): configuration, the component scorers and
//! explanations.
//!
//! Each component is a number in `[0, 1]`; the total is their weighted mean over the
//! components that *apply*. Whether a component applies is decided by the **opportunity**
//! alone, so it is the same for every candidate and never changes their order:
//!
//! - **skills** applies when the opportunity has requirements: for each requirement, the best
//!   over the person's skills of `relatedness × level factor`; the component is the weighted
//!   mean over requirements.
//! - **region** applies to every opportunity (each is in a country): how close the person's
//!   origin (or heritage origin) is to that country along the UN M49 hierarchy.
//! - **network** applies to every opportunity (each has a host in the network): the strength
//!   of the strongest referral path from the person to the host, 0 for everyone when the
//!   host has no ties. (Were it to apply only to hosts with ties, a person whose tie is the
//!   host's only one would score higher by withholding it.)
//! - **language** applies when the opportunity asks for languages: the share of them spoken
//!   at the level asked.
//!
//! Where a component applies and the person gave no information (no origin, no tie, no
//! language, no level), it counts as 0 and the explanation says "no information given".
//! Hence withholding a piece of information never raises a score, and adding one never lowers
//! it: an unknown level is credited at most as the lowest level
//! ([`LevelCredit::unknown`]).
//!
//! Hard filters (not scores): the engagement kind is accepted, every must-have requirement is
//! met, and the availability windows overlap. Minimum evidence: with
//! [`MatchConfig::require_evidence`] (the default) a pair whose skills component is 0 is not
//! returned, however well it scores on origin, ties or languages.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::geo::{Closeness, Regions};
use crate::id::{OpportunityId, ProfileId, RegionId, SkillId};
use crate::index::ProfileView;
use crate::model::{Level, Opportunity, Origin, Requirement};
use crate::network::Strengths;
use crate::taxonomy::{MAX_RELATION_HOPS, Relation, Taxonomy};

mod explanation;

pub use explanation::{ComponentExplanation, Exclusion, Explanation, RequirementCredit};

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
    /// weights must be finite and non-negative with a positive sum; credits, factors and steps
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
        if w.skills + w.region + w.network + w.language <= 0.0 {
            return Err(Error::config(
                "weights",
                "at least one weight must be positive",
            ));
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

/// A component of the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    /// Skills.
    Skills,
    /// Origin region.
    Region,
    /// Referral network.
    Network,
    /// Languages.
    Language,
}

impl Component {
    /// All components, in the order of [`Components`].
    pub const ALL: [Component; 4] = [
        Component::Skills,
        Component::Region,
        Component::Network,
        Component::Language,
    ];

    /// The name (`skills`, `region`, `network`, `language`).
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Skills => "skills",
            Component::Region => "region",
            Component::Network => "network",
            Component::Language => "language",
        }
    }

    fn weight(self, w: &Weights) -> f32 {
        match self {
            Component::Skills => w.skills,
            Component::Region => w.region,
            Component::Network => w.network,
            Component::Language => w.language,
        }
    }
}

/// The value of each component for one pair; `None` where it does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Components(pub [Option<f32>; 4]);

impl Components {
    /// The value of one component.
    pub fn get(&self, c: Component) -> Option<f32> {
        self.0[c as usize]
    }

    /// The weighted mean over the components that apply and have a positive weight, summed in
    /// component order (so the result is the same on every thread).
    pub fn total(&self, weights: &Weights) -> f32 {
        let (mut num, mut den) = (0.0f32, 0.0f32);
        for c in Component::ALL {
            let w = c.weight(weights);
            if let Some(v) = self.get(c)
                && w > 0.0
            {
                num += w * v;
                den += w;
            }
        }
        if den > 0.0 {
            (num / den).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// One scored pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    /// The person.
    pub profile: ProfileId,
    /// The opportunity.
    pub opportunity: OpportunityId,
    /// The total score in `(0, 1]`.
    pub score: f32,
    /// Each component's value.
    pub components: Components,
}

/// The per-opportunity context: the network strengths from its host, when it has ties.
pub(crate) struct Target<'a> {
    pub(crate) opportunity: &'a Opportunity,
    pub(crate) strengths: Option<&'a Strengths>,
}

const NO_SLOT: u32 = u32::MAX;

/// For one opportunity: the relation credit every related skill gives each requirement, found
/// once through the taxonomy so that scoring a profile is a table lookup per held skill.
pub(crate) struct SkillTable {
    /// Per skill: `start << 8 | count` of its entries, [`NO_SLOT`] for unrelated skills.
    slot: Vec<u32>,
    /// The requirements each related skill gives credit to, grouped by skill.
    entries: Vec<Entry>,
    /// Per requirement: the related skills, their credit and whether they meet a must-have.
    related: Vec<Vec<(SkillId, f32, bool)>>,
    /// Per requirement and held level (0 = unknown, 1-5): the level factor, and whether a
    /// skill that can meet the requirement meets it at that level.
    levels: Vec<[(f32, bool); 6]>,
}

/// One (related skill, requirement) pair of a [`SkillTable`].
#[derive(Clone, Copy, Debug)]
struct Entry {
    requirement: u8,
    /// Whether the skill can meet the requirement as a must-have (same or narrower).
    must: bool,
    /// Relation credit before the level factor.
    credit: f32,
}

impl SkillTable {
    /// The table for `o` over a taxonomy of `skills` entries. An opportunity has at most
    /// [`MAX_REQUIREMENTS`] requirements ([`Dataset::validate`](crate::Dataset::validate)).
    pub(crate) fn new(scorer: &Scorer<'_>, o: &Opportunity, skills: usize) -> SkillTable {
        let m = o.requirements.len().min(MAX_REQUIREMENTS);
        let mut pairs: Vec<(u32, Entry)> = Vec::new();
        let mut related_all = Vec::with_capacity(m);
        for (i, req) in o.requirements.iter().take(m).enumerate() {
            let mut related = Vec::new();
            crate::taxonomy::expand(
                scorer.taxonomy,
                req.skill,
                scorer.config.relatedness.max_hops,
                |s, rel| {
                    if s.index() >= skills {
                        return;
                    }
                    let credit = scorer.relation_credit(rel);
                    let must = matches!(rel, Relation::Same | Relation::Narrower { .. });
                    pairs.push((
                        s.as_u32(),
                        Entry {
                            requirement: i as u8,
                            must,
                            credit,
                        },
                    ));
                    related.push((s, credit, must));
                },
            );
            related_all.push(related);
        }
        pairs.sort_by_key(|p| (p.0, p.1.requirement));
        let mut slot = vec![NO_SLOT; skills];
        let mut entries = Vec::with_capacity(pairs.len());
        let mut k = 0;
        while k < pairs.len() {
            let s = pairs[k].0;
            let start = entries.len();
            while k < pairs.len() && pairs[k].0 == s {
                entries.push(pairs[k].1);
                k += 1;
            }
            slot[s as usize] = (start as u32) << 8 | (entries.len() - start) as u32;
        }
        let levels = o
            .requirements
            .iter()
            .take(m)
            .map(|req| {
                std::array::from_fn(|held| {
                    let held = held as u8;
                    (
                        scorer.level_factor(held, req.min_level),
                        Scorer::level_meets(held, req.min_level),
                    )
                })
            })
            .collect();
        SkillTable {
            slot,
            entries,
            related: related_all,
            levels,
        }
    }

    /// The skills related to requirement `i`, with their credit and whether they can meet it
    /// as a must-have.
    pub(crate) fn related(&self, i: usize) -> impl Iterator<Item = (SkillId, f32, bool)> + '_ {
        self.related.get(i).into_iter().flatten().copied()
    }
}

/// Most requirements an opportunity may have (the index keeps a requirement number in a byte).
pub const MAX_REQUIREMENTS: usize = 255;

/// The scoring functions over a frozen configuration and reference data.
pub(crate) struct Scorer<'a> {
    pub(crate) config: &'a MatchConfig,
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
}

impl Scorer<'_> {
    /// Credit of a relation, before the level factor.
    fn relation_credit(&self, rel: Relation) -> f32 {
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
    fn level_factor(&self, held: u8, min: Option<Level>) -> f32 {
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
    fn level_meets(held: u8, min: Option<Level>) -> bool {
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
    fn must_met(&self, req: &Requirement, p: &ProfileView<'_>) -> bool {
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
    fn skills(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        mut each: impl FnMut(RequirementCredit),
    ) -> Option<f32> {
        let (mut num, mut den) = (0.0f32, 0.0f32);
        for req in &o.requirements {
            let c = self.requirement_credit(req, p);
            num += req.weight * c.credit;
            den += req.weight;
            each(c);
        }
        (den > 0.0).then(|| (num / den).clamp(0.0, 1.0))
    }

    /// The best origin for the region component: its value, the origin and how close it is
    /// (`None` when the person gives no origin; the component is then 0).
    fn region(
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
    fn language(p: &ProfileView<'_>, o: &Opportunity) -> Option<(f32, Vec<bool>)> {
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
    fn network(p: &ProfileView<'_>, t: &Target<'_>) -> Option<f32> {
        let strength = t
            .strengths
            .zip(p.node)
            .and_then(|(strengths, node)| strengths.get(node));
        Some(strength.unwrap_or(0.0))
    }

    /// The components of an eligible pair.
    pub(crate) fn components(&self, p: &ProfileView<'_>, t: &Target<'_>) -> Components {
        let o = t.opportunity;
        Components([
            self.skills(p, o, |_| {}),
            self.region_value(p, o),
            Self::network(p, t),
            Self::language_value(p, o),
        ])
    }

    /// Whether the components show the evidence [`MatchConfig::require_evidence`] asks for.
    fn has_evidence(&self, c: &Components) -> bool {
        !self.config.require_evidence || c.get(Component::Skills).is_some_and(|s| s > 0.0)
    }

    /// The total of an eligible pair's components, or `None` when it lacks evidence or
    /// scores at or below `min_score`.
    fn listed(&self, c: Components) -> Option<(f32, Components)> {
        if !self.has_evidence(&c) {
            return None;
        }
        let total = c.total(&self.config.weights);
        (total > self.config.min_score).then_some((total, c))
    }

    /// The score of a pair, or `None` when a hard filter excludes it, it lacks evidence or it
    /// scores at or below `min_score`. This is the brute-force oracle that every faster path
    /// must equal.
    pub(crate) fn score(&self, p: &ProfileView<'_>, t: &Target<'_>) -> Option<(f32, Components)> {
        if !self.eligible(p, t.opportunity, |_| {}) {
            return None;
        }
        self.listed(self.components(p, t))
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
        let (best, met) = scratch;
        let o = t.opportunity;
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
        let (mut num, mut den) = (0.0f32, 0.0f32);
        for (req, &b) in o.requirements.iter().zip(best.iter()) {
            num += req.weight * b;
            den += req.weight;
        }
        self.listed(Components([
            (den > 0.0).then(|| (num / den).clamp(0.0, 1.0)),
            self.region_value(p, o),
            network,
            Self::language_value(p, o),
        ]))
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
        let values = Components([
            skills,
            self.region_value(p, o),
            Self::network(p, t),
            Self::language_value(p, o),
        ]);
        if !self.has_evidence(&values) {
            exclusions.push(Exclusion::NoEvidence);
        }
        let informed = [
            !p.skills.is_empty(),
            p.has_origins(),
            p.node.is_some(),
            p.has_languages(),
        ];
        let reasons = [
            requirements.iter().map(|c| names.requirement(c)).collect(),
            self.region_reasons(p, o, names),
            self.network_reasons(p, t, names),
            Self::language_reasons(p, o, names),
        ];
        let total = values.total(&self.config.weights);
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
            components: self.component_explanations(&values, informed, reasons),
            requirements,
        }
    }

    /// Each component's value, effective weight, contribution and reasons.
    fn component_explanations(
        &self,
        values: &Components,
        informed: [bool; 4],
        reasons: [Vec<String>; 4],
    ) -> Vec<ComponentExplanation> {
        let weights = &self.config.weights;
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

    /// The region component in words.
    fn region_reasons(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        names: &Names<'_>,
    ) -> Vec<String> {
        let Some((v, origin, closeness, area)) = self.region(p, o) else {
            return vec!["the person gives no origin: no information given, counts as 0".into()];
        };
        let place = names.regions.name(origin.country);
        let kind = match origin.generation.get() {
            1 => "origin".to_string(),
            g => format!("heritage origin (generation {g})"),
        };
        let how = match (closeness, area) {
            (Closeness::SameCountry, _) => format!("the opportunity is in {place}"),
            (Closeness::None, _) => {
                format!("{} is in another region", names.regions.name(o.country))
            }
            (_, Some(a)) => format!(
                "{} shares {}",
                names.regions.name(o.country),
                names.regions.name(a)
            ),
            (_, None) => String::new(),
        };
        vec![format!("{kind} {place}: {how} -> {v:.2}")]
    }

    /// The network component in words.
    fn network_reasons(
        &self,
        p: &ProfileView<'_>,
        t: &Target<'_>,
        names: &Names<'_>,
    ) -> Vec<String> {
        let host = names.network.key(t.opportunity.host);
        let reason = match (t.strengths, p.node) {
            (None, _) => format!("host {host} has no ties: 0 for every candidate"),
            (_, None) => "the person has no ties: no information given, counts as 0".into(),
            (Some(s), Some(node)) => match s.path_to(names.network, node) {
                Some(path) => format!("via {}", names.network.describe(&path.reversed())),
                None => format!(
                    "no path to host {host} within {} ties -> 0",
                    self.config.network_max_hops
                ),
            },
        };
        vec![reason]
    }

    /// The language component in words.
    fn language_reasons(p: &ProfileView<'_>, o: &Opportunity, names: &Names<'_>) -> Vec<String> {
        if o.languages.is_empty() {
            return vec!["the opportunity asks for no language: not applicable".into()];
        }
        if !p.has_languages() {
            return vec!["the person lists no languages: no information given, counts as 0".into()];
        }
        let Some((_, met)) = Self::language(p, o) else {
            return Vec::new();
        };
        o.languages
            .iter()
            .zip(met)
            .map(|(l, m)| {
                format!(
                    "{} at {}: {}",
                    names.languages.name(l.language),
                    l.level,
                    if m {
                        "spoken, met"
                    } else {
                        "not spoken at that level"
                    }
                )
            })
            .collect()
    }
}

/// The name tables an explanation needs.
pub(crate) struct Names<'a> {
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
    pub(crate) languages: &'a crate::language::Languages,
    pub(crate) network: &'a crate::network::Network,
}

impl Names<'_> {
    fn exclusion(&self, e: &Exclusion) -> String {
        match e {
            Exclusion::Engagement(k) => format!("does not accept engagement `{k}`"),
            Exclusion::MissingMustHave(s) => {
                format!("missing must-have skill {:?}", self.taxonomy.label(*s))
            }
            Exclusion::Availability => {
                "availability does not overlap the opportunity's window".into()
            }
            Exclusion::NoEvidence => "no requirement gets credit from the person's skills".into(),
        }
    }

    fn requirement(&self, c: &RequirementCredit) -> String {
        let req = &c.requirement;
        let label = self.taxonomy.label(req.skill);
        let must = if req.must { ", must-have" } else { "" };
        let min = req
            .min_level
            .map(|l| format!(", level {}+", l.get()))
            .unwrap_or_default();
        let head = format!("{label:?} (weight {:.1}{min}{must})", req.weight);
        match c.via {
            None => format!("{head}: no matching or related skill -> 0"),
            Some((held, rel, level)) => {
                let lvl = level
                    .map(|l| format!(" at level {}", l.get()))
                    .unwrap_or_default();
                let how = match rel {
                    Relation::Same => format!("held{lvl}"),
                    Relation::Narrower { hops } => {
                        format!(
                            "partial credit via narrower {:?}{lvl} ({hops} level(s) down)",
                            self.taxonomy.label(held)
                        )
                    }
                    Relation::Broader { hops } => {
                        format!(
                            "partial credit via broader {:?}{lvl} ({hops} level(s) up)",
                            self.taxonomy.label(held)
                        )
                    }
                    Relation::Sibling => format!(
                        "partial credit via related {:?}{lvl}",
                        self.taxonomy.label(held)
                    ),
                };
                format!("{head}: {how} -> {:.2}", c.credit)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_and_bad_values_are_named() {
        MatchConfig::default().validate().unwrap();
        let mut c = MatchConfig::default();
        c.weights = Weights {
            skills: 0.0,
            region: 0.0,
            network: 0.0,
            language: 0.0,
        };
        assert!(c.validate().unwrap_err().to_string().contains("`weights`"));
        let mut c = MatchConfig::default();
        c.weights.network = -1.0;
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("weights.network")
        );
        let mut c = MatchConfig::default();
        c.region.same_region = 0.9;
        assert!(c.validate().unwrap_err().to_string().contains("region"));
        let mut c = MatchConfig::default();
        c.relatedness.max_hops = 9;
        assert!(c.validate().is_err());
        let mut c = MatchConfig::default();
        c.min_score = 1.0;
        assert!(c.validate().is_err());
        let mut c = MatchConfig::default();
        c.levels.unknown = f32::INFINITY;
        assert!(c.validate().is_err());
    }

    #[test]
    fn total_skips_components_that_do_not_apply() {
        let w = Weights {
            skills: 0.5,
            region: 0.25,
            network: 0.25,
            language: 0.0,
        };
        let c = Components([Some(1.0), None, Some(0.0), Some(1.0)]);
        // (0.5·1 + 0.25·0) / 0.75; language has weight zero and does not count.
        assert!((c.total(&w) - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(Components([None; 4]).total(&w), 0.0);
    }

    #[test]
    fn config_reads_from_json_with_defaults() {
        let c: MatchConfig = serde_json::from_str(r#"{"weights":{"region":0}}"#).unwrap();
        assert_eq!(c.weights.region, 0.0);
        assert_eq!(c.weights.skills, Weights::default().skills);
        assert!(serde_json::from_str::<MatchConfig>(r#"{"weight":{}}"#).is_err());
    }
}
