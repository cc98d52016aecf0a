//! Small data structures the rest of the crate is built on: compressed rows and the top-`k`
//! buffer.

mod csr;
mod topk;

pub(crate) use csr::Csr;
pub(crate) use topk::TopK;
