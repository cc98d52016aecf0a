//! Small data structures the rest of the crate is built on: bitsets, compressed rows, key
//! tables and the top-`k` buffer.

pub(crate) mod bitset;
mod csr;
pub(crate) mod keys;
pub(crate) mod text;
mod topk;

pub(crate) use bitset::Bitset;

pub(crate) use csr::Csr;
pub(crate) use keys::Keys;
pub(crate) use topk::TopK;
