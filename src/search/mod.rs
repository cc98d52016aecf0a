//! The exact top-k search over the compiled index, and the reverse direction.
//!
//! # Search
//!
//! The search is a generalised *MaxScore*. Each part of the score that can only be positive
//! for profiles on some lists becomes a *term*: each skill requirement (its tiers are the
//! related skills grouped by the credit their relation gives), the origin region (countries
//! grouped by closeness), each language asked for, and the network (the profiles the host's
//! search reached). For profiles not seen on any list taken so far, every term is bounded by
//! the best tier it has left, and the total by the weighted mean of those bounds over the
//! components that might apply ([`Bounds`]). The search takes tiers one at a time, the one
//! that lowers that bound the most per posting first, scores every new profile on them
//! exactly, and stops as soon as the bound falls below the current `k`-th score (or no
//! unseen profile can pass a must-have requirement). Every profile that could still enter
//! the top `k` has then been scored by the same arithmetic as the brute-force scorer, so the
//! result is the same list in the same order with the same scores.
//!
//! A requirement that names a broad concept has tiers of hundreds of skills; where a tier
//! holds all of a concept's narrower skills, the index's one list of their holders stands in
//! for theirs (`index/groups.rs`). A large tier is walked as a bitset in id order and scored
//! in doubling batches (`walk.rs`), and once the `k`-th score is the most any profile still
//! to come can score, only smaller ids can enter and the walk stops there (`ties.rs`): on
//! broad requirements thousands of profiles often tie at that ceiling.
//!
//! The profiles of a tier pass through sieves, each a bound that never cuts a profile that
//! could still beat the `k`-th score, the cheap ones first:
//!
//! 1. bitsets of whole tiers: the engagement and must-have masks; tiers of other terms that
//!    a profile must also be on (`Terms::required_with`: one term's best tiers, a component
//!    or its absence, or the union of the region's, languages' and network's best tiers);
//! 2. for a large tier (over a 64th of the profiles), word by word
//!    ([`HighCounts`](counts::HighCounts)): a bit-sliced count of the other requirements'
//!    best unread tier and best two each profile is on, against the least count its
//!    *pattern* needs (which components apply to it, whether the host's search reached it,
//!    whether it speaks an asked language: [`PATTERNS`](signature::PATTERNS)); then each
//!    profile the count keeps, by the gains of the tiers it is on (`HighCounts::weigh`: the
//!    requirements weigh differently, and a count assumes the heaviest). Before such a tier
//!    is walked, its profiles on the region's and languages' best tiers and on the most
//!    counted tiers are scored first, to raise the `k`-th score (seeding), unless `k`
//!    profiles are held, the tier ends the search and the counts already cut some of its
//!    profiles;
//! 3. each profile's 32-byte head alone: its 64-bit skill signature (the 40 most held skills
//!    have a bit each, the rest share the others: `SignatureBits`) against the unread
//!    requirement tiers, in fixed-point integers, against its pattern's need
//!    ([`Signatures`](signature::Signatures)); its skills bound is the lesser of the
//!    signature's and the counts' weighed one. A head is prefetched when the walk keeps its
//!    profile (and each batch prefetches the next batch's), so the heads' cache misses
//!    overlap with the walk and the tests instead of stalling them;
//! 4. a cheap bound from its origins and languages (skills still by the signature);
//! 5. the exact score, best bound first.
//!
//! # Opportunities beyond work
//!
//! An opportunity that uses capital, interest or settlement (an investment, a donation, a
//! tourism offer, or work that seeks countries of settlement) is searched by `channels.rs`,
//! in three passes over the profiles that accept its kind. Each has a 64-bit *digest*
//! (`index/digest.rs`: capital buckets, the sections and division of its sectors, its
//! causes, its origin), kept in one dense array per kind beyond work
//! ([`Engaged`](crate::index::Engaged)); per query, tables turn a digest into a bound in
//! fixed-point units without decoding the profile (`channel_bound.rs`), and the profiles that
//! cannot show their kind's evidence are dropped there. The profiles in the highest bins of
//! the bounds' histogram are scored first; then every other profile whose bound reaches the
//! `k`-th score, best first, its skill signature read before it is scored
//! (`channel_skills.rs`).

//! Each sieve has a property test beside it (`audit.rs` is their harness): on random
//! synthetic populations under random configurations, every profile a sieve drops is scored
//! exactly on the spot and must fall below the limit the sieve was given, and every bound it
//! computes must be at least the exact value. A wrong bound then fails at its sieve, not as a
//! list that differs from the brute force's in `tests/index.rs`.

#[cfg(test)]
pub(crate) mod audit;
mod bounds;
mod channel_bound;
mod channel_skills;
mod channels;
mod counts;
mod flush;
mod required;
mod reverse;
mod scratch;
mod signature;
mod terms;
mod tiers;
mod ties;
mod top_k;
mod walk;

use std::collections::HashMap;

use crate::geo::Regions;
use crate::id::NodeId;
use crate::index::Shape;
use crate::model::Opportunity;
use crate::network::Strengths;
use crate::score::MatchConfig;
use crate::taxonomy::Taxonomy;

pub(crate) use bounds::Bounds;
pub(crate) use reverse::Reverse;

/// Profiles whose data is loaded together before they are scored exactly (their cache misses
/// then overlap); twice as many for the cheap bound, four times for the heads' test.
const BATCH: usize = 32;

/// Safety margin for pruning: a profile is skipped only when its bound is below the `k`-th
/// score by more than this, far above the rounding error of an `f32` weighted mean.
const MARGIN: f64 = 1e-5;

/// Tiers with at least a 64th of the profiles, and at least this many, are counted on the
/// other requirements' best tiers word by word ([`HighCounts`](counts::HighCounts)) before any profile is looked
/// at.
const BIG: usize = 64;

/// Everything a query needs besides the index: the configuration, the reference data, the
/// opportunities and the hosts' network searches.
pub(crate) struct Context<'a> {
    pub(crate) config: &'a MatchConfig,
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
    pub(crate) languages: usize,
    pub(crate) opportunities: &'a [Opportunity],
    pub(crate) host_strengths: &'a HashMap<NodeId, Strengths>,
}

impl<'a> Context<'a> {
    /// What the index needs of it.
    pub(crate) fn shape(&self) -> Shape<'a> {
        Shape {
            skills: self.taxonomy.len(),
            countries: self.regions.len(),
            languages: self.languages,
            taxonomy: self.taxonomy,
            host_strengths: self.host_strengths,
        }
    }
}
