//! Matches diaspora members to development opportunities in their countries and regions of
//! origin, and says why.
//!
//! Countries of origin, and the organisations that work with them, reach out to their
//! diasporas: nationals living abroad and their descendants, who carry skills, capital and
//! networks. Programmes offer temporary or permanent return assignments, remote knowledge
//! transfer and mentoring, investment, philanthropy and tourism. This crate finds the right
//! people for an opportunity and the right opportunities for a person, scores every pair on
//! skills, origin region, network ties and language, and on capital, interests and country
//! of settlement where the opportunity asks for them, explains each score, and names who can
//! introduce whom.
//!
//! # The flow of data
//!
//! 1. [`Reference::bundled`] gives the reference data built into the crate (the files of
//!    `data/reference`; [`io::load_reference`] reads custom ones): the ESCO and O*NET skill
//!    [`Taxonomy`], the UN M49 [`Regions`] and the ISO 639 / CLDR [`Languages`].
//! 2. [`io::load_dataset`] reads profiles, opportunities, nodes and ties and resolves every
//!    name to a dense `u32` id ([`SkillId`], [`RegionId`], ...), or fails with an [`Error`]
//!    naming the file, record and field; [`io::Loader::profile_json`] and
//!    [`io::Loader::opportunity_json`] do so for one record from elsewhere.
//!    [`synth::generate`] makes synthetic datasets.
//! 3. [`Engine::builder`] validates a [`Dataset`] and a [`MatchConfig`] once (within the
//!    [`Limits`]) and compiles the profiles into an index: flat per-profile arrays and postings
//!    per skill, origin country and language. The engine keeps no copy of the records
//!    ([`Engine::profile`] reads one back, [`Engine::footprint`] says what it holds);
//!    [`EngineBuilder::build_with_profiles`] takes the profiles in chunks, so that they never
//!    all sit in memory as records. [`Engine::save`] and [`Engine::open`] keep a built engine
//!    in one file.
//! 4. The engine answers [`Engine::candidates`], [`Engine::opportunities_for`],
//!    [`Engine::match_all`] and [`Engine::explain`]: exact (the same lists as the brute-force
//!    scorer, which stays available as [`Engine::candidates_brute_force`]), in parallel
//!    (feature `rayon`, on by default), ranked by score descending then id ascending, the same
//!    on every thread count. [`Engine::add_profile`], [`Engine::update_profile`] and
//!    [`Engine::remove_profile`] change the index without a rebuild; [`merge_matches`] joins
//!    the answers of shards. [`Engine::map`] counts the registry by origin, residence,
//!    skills, capital, sectors or causes, small counts suppressed ([`map`]).
//!
//! # Example
//!
//! The best candidates for one opportunity of the sample data, and why the first one ranks
//! first:
//!
//! ```
//! # #[cfg(feature = "bundled-reference")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use diaspora_match::{io, Component, Engine, MatchConfig, Reference};
//!
//! // The reference data built into the crate; the sample dataset of its source tree.
//! let reference = Arc::new(Reference::bundled()?);
//! let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
//! let dataset = io::load_dataset(sample, reference)?;
//! let engine = Engine::builder(dataset).config(MatchConfig::default()).build()?;
//!
//! let opportunity = engine.opportunity_id("o-0001").unwrap();
//! let top = engine.candidates(opportunity, 3)?;
//! assert_eq!(top.len(), 3);
//! assert!(top[0].score >= top[1].score && top[1].score >= top[2].score);
//!
//! let why = engine.explain(top[0].profile, opportunity)?;
//! assert!(why.is_eligible());
//! assert_eq!(why.score, top[0].score);
//! let skills = why.component(Component::Skills).unwrap();
//! assert!(skills.value.unwrap() > 0.0);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "bundled-reference"))]
//! # fn main() {}
//! ```
//!
//! # Scoring (model v2: information never hurts)
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
//! - **capital** applies to an investment with a ticket and a donation with a funding gap:
//!   1 when the person's range reaches the smallest ticket, the share of it their largest
//!   amount covers below, 0 when they only invest more than the largest ticket; for a gap,
//!   the share of it a year's largest gift covers.
//! - **interest** applies when the opportunity names an ISIC Rev.4 sector ([`Sector`]) or
//!   Sustainable Development Goals ([`Goal`]): the mean of the sector's credit (1 for the same
//!   sector or its section, [`InterestCredit::same_section`] for another of the section) and
//!   the share of its causes the person shares.
//! - **settlement** applies when the opportunity seeks countries of settlement (a
//!   market-entry opportunity wants insiders of a market): the person's residence against the
//!   closest of them, by the region steps.
//!
//! The weights depend on the kind of engagement ([`MatchConfig::weights_for`]): work is
//! about skills, an investment about capital, sector and trust, a donation about the cause,
//! tourism about roots and interests ([`Weights`], [`KindWeights`], each default with its
//! reason).
//!
//! Where a component applies and the person gave no information (no origin, no tie, no
//! language, no level), it counts as 0 and the explanation says "no information given".
//! Hence withholding a piece of information never raises a score, and adding one never lowers
//! it: an unknown level is credited at most as the lowest level
//! ([`LevelCredit::unknown`]).
//!
//! Hard filters (not scores): the engagement kind is accepted, every must-have requirement is
//! met, and the availability windows overlap. Minimum evidence: with
//! [`MatchConfig::require_evidence`] (the default) a pair whose evidence is 0 is not
//! returned, however well it scores on the rest: the evidence is the kind's
//! [primary component](Component::primary) (skills for work, capital for an investment or a
//! donation, interest for tourism), skills where the opportunity gives nothing the primary
//! reads.
//!
//! Every constant lives in [`MatchConfig`] with the reason for its default.
//!
//! # Personal data
//!
//! Profiles carry pseudonymous keys only. `Debug` of a [`Profile`] shows the key and redacts
//! the rest; errors about profiles name the key, field and line, never the value. Origin can
//! reveal ethnicity: [`MatchConfig::set_weight`] with [`Component::Region`] and 0 leaves it out
//! of every kind's score, and every explanation shows how much origin contributed.

pub mod assign;
mod capital;
mod dataset;
mod engine;
mod error;
mod geo;
mod id;
mod index;
mod interests;
pub mod io;
mod language;
mod limits;
pub mod map;
mod model;
mod network;
mod score;
mod search;
mod snapshot;
pub mod synth;
mod taxonomy;
mod util;

pub use capital::{Capital, UsdRange};
pub use dataset::{Dataset, Reference};
pub use engine::{Engine, EngineBuilder, Footprint, WithKeys, merge_matches};
pub use error::{Error, ErrorKind, Location, Result};
pub use geo::{AreaLevel, Closeness, CountryRecord, Regions};
pub use id::{LanguageId, NodeId, OpportunityId, ProfileId, RegionId, SkillId};
pub use interests::{Goal, Goals, Interests, Sector};
pub use language::{Languages, SpokenLanguage};
pub use limits::Limits;
pub use model::{
    Date, Engagement, EngagementSet, Generation, HeldSkill, LanguageSkill, Level, Opportunity,
    Origin, Proficiency, Profile, Requirement, Window,
};
pub use network::{
    Hop, Neighbours, Network, NodeIds, NodeKind, Path, ReferralOptions, Strengths, Tie, TieKind,
    TieRef, TieRefs,
};
pub use score::{
    Component, ComponentExplanation, Components, Exclusion, Explanation, InterestCredit,
    KindWeights, LevelCredit, MAX_NETWORK_HOPS, MAX_REQUIREMENTS, Match, MatchConfig, RegionSteps,
    Relatedness, RequirementCredit, Weights,
};
pub use taxonomy::{
    FuzzyStrategy, LabelLanguage, MAX_FUZZY_LEN, MAX_RELATION_HOPS, MIN_FUZZY_CHARS, MatchKind,
    Relation, Resolution, ResolveOptions, SkillKind, SkillRecord, Suggestion, Taxonomy,
    Translation, normalise,
};

// The README's snippet takes the reference data built into the crate.
#[cfg(all(doctest, feature = "bundled-reference"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
