//! The scoring model (v2: information never hurts): configuration, the component scorers and
//! explanations.
//!
//! The model itself (which components apply, what missing information counts for, the hard
//! filters and the evidence rule) is described once, in the crate documentation's "Scoring"
//! section.
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
pub(crate) use scorer::{Names, Scorer, skills_mean};
pub use table::MAX_REQUIREMENTS;
pub(crate) use table::{SkillTable, Target};
