//! Small data structures the rest of the crate is built on: bitsets, compressed rows, key
//! tables, the top-`k` buffer and a parallel map over chunks.

pub(crate) mod bitset;
mod csr;
pub(crate) mod keys;
mod par;
pub(crate) mod text;
mod topk;

pub(crate) use bitset::Bitset;

pub(crate) use csr::Csr;
pub(crate) use keys::Keys;
pub(crate) use par::map_chunks;
pub(crate) use topk::TopK;
