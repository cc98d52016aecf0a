//! The graph of connections between people and organisations, and referral paths through it.
//!
//! Nodes are people (profiles, and contacts who are not profiles) and organisations, each with
//! the crate's own [`NodeId`](crate::NodeId) and a pseudonymous key. Ties are undirected, with a
//! [`TieKind`] and a strength in `(0, 1]`. The strength of a path is the product of its tie
//! strengths, so a path is never stronger than its weakest tie and longer paths are weaker.
//!
//! Consent: a node (a person or an organisation) that has not agreed to act as an
//! intermediary never appears *inside* a path, only at one of its ends. Organisations give or
//! withhold that consent like people (`nodes.csv`'s `intermediary` column).
//!
//! Nodes and ties are kept in compact arrays, and `&Network` is a [`petgraph`] graph, so
//! petgraph's algorithms run on it as they are (`petgraph.rs`). The searches ([`Network::strongest_path`], [`Network::referral_paths`],
//! [`Network::fewest_hops`]) are in `referral.rs`, [`Network::strengths_from`] in `strengths.rs`.
//!
//! | file | what |
//! |---|---|
//! | `kinds.rs` | [`NodeKind`], [`TieKind`], [`Tie`], [`Path`] |
//! | `graph.rs` | [`Network`]: nodes, ties, consent |
//! | `petgraph.rs` | `&Network` as a petgraph graph: [`TieRef`], [`TieRefs`], [`Neighbours`], [`NodeIds`] |
//! | `adjacency.rs` | the compact adjacency the searches read |
//! | `referral.rs` | strongest paths, referral paths, fewest hops |
//! | `strengths.rs` | [`Strengths`]: the strongest path strength from a node to every node |
//! | `yen.rs` | Yen's `k` strongest loopless paths |
//! | `snapshot.rs` | the network in an engine snapshot |

mod adjacency;
mod graph;
mod kinds;
mod petgraph;
mod referral;
mod snapshot;
mod strengths;
mod yen;

#[cfg(test)]
mod tests;

pub use graph::Network;
pub use kinds::{Hop, NodeKind, Path, Tie, TieKind};
pub use petgraph::{Neighbours, NodeIds, TieRef, TieRefs};
pub use referral::ReferralOptions;
pub use strengths::Strengths;
