//! The skill vocabulary: labels, alternative labels, the broader/narrower hierarchy, and
//! resolution of free text onto it.
//!
//! The shipped taxonomy (see `data/README.md`) joins the ESCO skills (with their alternative
//! labels and broader skills and skill groups), the O*NET skills and knowledge areas (under the
//! O*NET content model) and the O*NET technologies (under their commodity categories) into one
//! vocabulary of about 12,000 entries. Each entry has a stable key (`esco:<uuid>`,
//! `onet:2.A.1.a`, `onet-t:Python`), a preferred label and a kind.
//!
//! Relations along the hierarchy are precomputed when the taxonomy is built: every skill keeps
//! its ancestors within [`MAX_RELATION_HOPS`] with their distance, so the scorer decides whether
//! two skills are the same, narrower, broader or siblings by comparing two short sorted lists,
//! never by walking the hierarchy per pair.

//!
//! | file | what |
//! |---|---|
//! | `records.rs` | the records a taxonomy is built from, and why one is refused |
//! | `vocabulary.rs` | [`Taxonomy`]: keys, labels, kinds, the hierarchy |
//! | `relations.rs` | [`Relation`]s along the hierarchy, and related skills |
//! | `resolve.rs` | free text onto skills: [`Taxonomy::resolve`], [`normalise`] |
//! | `labels.rs` | the label table of three languages and the synonyms |
//! | `words.rs` | the index of a label's content words |
//! | `fuzzy.rs` | the q-gram candidate index of fuzzy matching |
//! | `similarity.rs` | the string similarity it ranks candidates by |

mod fuzzy;
mod labels;
mod records;
mod relations;
mod resolve;
mod similarity;
mod vocabulary;
mod words;

#[cfg(test)]
mod tests;

pub use labels::LabelLanguage;
pub use records::{SkillKind, SkillRecord, Translation};
pub(crate) use relations::expand;
pub use relations::{MAX_RELATION_HOPS, Relation};
pub use resolve::{
    FuzzyStrategy, MAX_FUZZY_LEN, MIN_FUZZY_CHARS, MatchKind, Resolution, ResolveOptions,
    Suggestion, normalise,
};
pub use vocabulary::Taxonomy;
