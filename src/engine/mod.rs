//! The [`Engine`]: a frozen, validated dataset that answers matching queries.
//!
//! | file | what |
//! |---|---|
//! | `builder.rs` | [`EngineBuilder`]: validation, network searches, the compiled index |
//! | `state.rs` | [`Engine`]'s state and accessors |
//! | `queries.rs` | candidates, opportunities for a person, every match, explanations, referral paths; [`merge_matches`] |
//! | `updates.rs` | profiles added, updated and removed without a rebuild; compaction |

mod builder;
mod queries;
mod state;
mod updates;

#[cfg(test)]
mod tests;

pub use builder::EngineBuilder;
pub use queries::merge_matches;
pub use state::Engine;
