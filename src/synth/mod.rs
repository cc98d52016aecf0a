//! Synthetic diaspora populations drawn from the real reference tables.
//!
//! Everything is drawn from a seeded generator ([`SplitMix64`]), so the same seed and sizes
//! give the same dataset, byte for byte, on every machine. The draws follow real data:
//!
//! - (origin, residence) pairs in proportion to the UN DESA International Migrant Stock 2024
//!   corridors (`migrant_stock_2024.csv`);
//! - an O*NET occupation per person (half of them one that the opportunities recruit for),
//!   then O*NET skills and knowledge areas in proportion to the occupation's importance
//!   ratings times their specificity (how few occupations rate them important: Reading
//!   Comprehension is important for most, Radiology for few), with the level from O*NET's
//!   level ratings, plus a few of the occupation's technologies (hot and specific ones more
//!   often);
//! - languages from the CLDR population shares of the origin and residence countries;
//! - opportunities in origin countries in proportion to the diaspora's size, twice as often in
//!   least developed countries; an engagement kind, then an occupation that suits it (any for
//!   work assignments; managers, business and engineering for investment; health, education
//!   and community services for philanthropy; food, lodging and travel for tourism); and
//!   requirements from what the occupation specifically needs, generic skills at most half of
//!   the weight;
//! - ties inside communities (same origin and residence), occupations and origins, and to host
//!   organisations in the origin country, with endpoints drawn so that degrees are skewed;
//! - capital for the people who accept to invest or donate, interests (ISIC sectors and
//!   Sustainable Development Goals) that follow their occupation; tickets, funding gaps,
//!   sectors and causes for investments, donations and tourism offers (`channels.rs`, from
//!   random streams of their own, so that the rest is drawn as before).
//!
//! A few shares are assumptions rather than data (the generation mix, the engagement kinds a
//! person accepts, the mix of tie kinds, the share of registrants in demanded occupations,
//! the pairing of engagement kinds with occupations, every amount of money, the sector and
//! goal of an occupation); each is a named constant or function with its reason.
//!
//! | file | what |
//! |---|---|
//! | `tables.rs` | [`SourceTables`]: UN DESA migrant stock, O*NET occupations |
//! | `config.rs` | [`SynthConfig`], the shares and mixes, [`Stage`] and [`Progress`] |
//! | `population.rs` | [`Population`], [`generate`] |
//! | `people.rs`, `opportunities.rs`, `ties.rs` | what is drawn, chunk by chunk |
//! | `draw.rs` | the draws of one person or opportunity |
//! | `channels.rs` | capital, interests, tickets, gaps, sectors and causes |
//! | `write.rs` | a population straight to files |
//! | `skeleton.rs` | a population straight into an engine: [`Population::skeleton`], [`Population::profile_chunks`] |
//! | `rng.rs` | [`SplitMix64`] and weighted draws |

mod channels;
mod config;
mod draw;
mod opportunities;
mod people;
mod population;
mod rng;
mod skeleton;
mod tables;
mod ties;
mod write;

#[cfg(test)]
mod tests;

pub use config::{Breadth, Progress, Stage, SynthConfig};
pub use population::{Population, generate};
pub use rng::SplitMix64;
pub use tables::{Occupation, SourceTables};
