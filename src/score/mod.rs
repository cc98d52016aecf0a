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
//! | `weights.rs` | [`Weights`] per kind of engagement ([`KindWeights`]), with their reasons |
//! | `components.rs` | [`Component`], [`Components`], [`Match`] |
//! | `table.rs` | the opportunity side of scoring: requirements' related skills |
//! | `channels.rs` | the components beyond work: capital, interest, settlement |
//! | `reasons.rs` | the components of work in words, and the names explanations use |
//! | `scorer.rs` | the brute-force scorer and explanations' names |
//! | `explanation.rs` | [`Explanation`]: each component in words, adding up |

mod channels;
mod components;
mod config;
mod explanation;
mod reasons;
mod scorer;
mod table;
mod weights;

#[cfg(test)]
mod tests;

pub(crate) use channels::{
    capital_applies, donate_credit_of_max, interest_of, invest_credit_of_max, uses_channels,
};
pub use components::{Component, Components, Match};
pub use config::{
    InterestCredit, LevelCredit, MAX_NETWORK_HOPS, MatchConfig, RegionSteps, Relatedness,
};
pub use explanation::{ComponentExplanation, Exclusion, Explanation, RequirementCredit};
pub(crate) use reasons::Names;
pub(crate) use scorer::{Scorer, skills_mean};
pub use table::MAX_REQUIREMENTS;
pub(crate) use table::{SkillTable, Target};
pub use weights::{KindWeights, Weights};
