//! Placement: people to opportunities with limited places, stable or optimal.
//!
//! An [`Instance`] holds the mutually acceptable pairs (usually the engine's top-k lists in
//! both directions, never a dense matrix), each with a score, the capacities of both sides
//! (places of an opportunity; how many engagements a person takes at once) and optional
//! [`Caps`] on how many people of one origin (or residence) country may be placed per
//! opportunity or across the programme.
//!
//! - [`stable`]: deferred acceptance (Gale-Shapley, hospitals/residents with capacities on
//!   both sides), person-proposing (the best stable placement for every person) or
//!   opportunity-proposing. Preferences follow the scores (ties by id) unless a person's own
//!   ranking overrides them. [`Assignment::blocking_pairs`] checks the result.
//! - [`optimal`]: the placement with the largest total score (min-cost flow by successive
//!   shortest paths with Dijkstra and potentials), optionally placing as many people as
//!   possible first.
//!
//! Both are deterministic and single-threaded: the same instance gives the same placement
//! whatever the thread pool.
//!
//! | file | what |
//! |---|---|
//! | `instance.rs` | [`Instance`], [`InstanceBuilder`], [`Caps`] |
//! | `deferred_acceptance.rs` | [`stable`]: deferred acceptance |
//! | `min_cost_flow.rs` | [`optimal`]: min-cost flow |
//! | `outcome.rs` | [`Assignment`], [`Placement`], [`Reason`] |
//! | `records.rs` | [`InstanceRecord`]: the JSON format |

mod deferred_acceptance;
mod instance;
mod min_cost_flow;
mod outcome;
mod records;

pub use deferred_acceptance::{Proposer, stable};
pub use instance::{CapBy, Caps, Instance, InstanceBuilder};
pub use min_cost_flow::{Objective, optimal};
pub use outcome::{Assignment, Placement, Reason};
pub use records::{InstanceRecord, PairRecord, PartyRecord};
