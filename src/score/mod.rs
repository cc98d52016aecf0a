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

//!
//! | file | what |
//! |---|---|
//! | `config.rs` | [`MatchConfig`] and its parts, with the reasons for the defaults |
//! | `components.rs` | [`Component`], [`Components`], [`Match`] |
//! | `table.rs` | the opportunity side of scoring: requirements' related skills |
//! | `scorer.rs` | the brute-force scorer and explanations' names |
//! | `explanation.rs` | [`Explanation`]: each component in words, adding up |

mod components;
mod config;
mod explanation;
mod scorer;
mod table;

#[cfg(test)]
mod tests;

pub use components::{Component, Components, Match};
pub use config::{LevelCredit, MAX_NETWORK_HOPS, MatchConfig, RegionSteps, Relatedness, Weights};
pub use explanation::{ComponentExplanation, Exclusion, Explanation, RequirementCredit};
pub(crate) use scorer::{Names, Scorer};
pub use table::MAX_REQUIREMENTS;
pub(crate) use table::{SkillTable, Target};
