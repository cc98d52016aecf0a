//! The [`Engine`]: a validated dataset compiled into the index that answers matching queries.
//!
//! | file | what |
//! |---|---|
//! | `builder.rs` | [`EngineBuilder`]: validation, network searches, the compiled index |
//! | `compile.rs` | profiles compiled chunk by chunk: nodes, checks, store parts |
//! | `profile_nodes.rs` | each profile's network node, whose key is the profile's: the keys kept once |
//! | `footprint.rs` | [`Footprint`]: the bytes an engine holds, by part |
//! | `keyed.rs` | [`WithKeys`]: results with keys beside ids, for JSON |
//! | `state.rs` | [`Engine`]'s state and accessors |
//! | `records.rs` | the profiles, opportunities and reference data read back: [`Engine::profile`], [`Engine::to_dataset`] |
//! | `queries.rs` | candidates, opportunities for a person, every match, explanations, referral paths; [`merge_matches`] |
//! | `updates.rs` | profiles added, updated and removed without a rebuild; compaction |

mod builder;
mod compile;
mod footprint;
mod keyed;
mod profile_nodes;
mod queries;
mod records;
mod state;
mod updates;

#[cfg(test)]
mod tests;

pub use builder::EngineBuilder;
pub(crate) use builder::assemble;
pub use footprint::Footprint;
pub use keyed::WithKeys;
pub(crate) use profile_nodes::ProfileNodes;
pub use queries::merge_matches;
pub use state::Engine;
