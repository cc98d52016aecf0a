//! [`Footprint`]: the bytes an engine holds, by part.

use std::fmt;

use super::Engine;

/// The bytes an [`Engine`] holds on the heap, by part ([`Engine::footprint`]). The sizes are
/// the capacities of the arrays and tables, as allocated; the allocator's own overhead and
/// the reference data (shared, see [`Engine::reference`]) are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// The compiled profile arrays: heads, skills and levels, origins and languages,
    /// residences.
    pub profiles: usize,
    /// The postings lists (skills, countries, languages, group lists, the profiles each
    /// host reaches) and the opportunity side.
    pub postings: usize,
    /// The keys of the network's nodes (a profile's key is its node's) with their table, and
    /// each profile's node.
    pub keys: usize,
    /// The network (graph, compact adjacency) and each host's network search.
    pub network: usize,
}

impl Footprint {
    /// Every part added up.
    pub fn total(&self) -> usize {
        self.profiles + self.postings + self.keys + self.network
    }
}

/// The total and each part in megabytes:
/// `353.7 MB (profile arrays 105.8, postings 51.0, keys 22.5, network 174.4)`.
impl fmt::Display for Footprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = |b: usize| b as f64 / 1e6;
        write!(
            f,
            "{:.1} MB (profile arrays {:.1}, postings {:.1}, keys {:.1}, network {:.1})",
            mb(self.total()),
            mb(self.profiles),
            mb(self.postings),
            mb(self.keys),
            mb(self.network)
        )
    }
}

impl Engine {
    /// The bytes this engine holds, by part. The opportunities themselves (a few hundred
    /// bytes each) are not counted.
    ///
    /// ```
    /// # use diaspora_match::{io, Engine};
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// # let reference = std::sync::Arc::new(io::load_reference(format!("{dir}/reference"))?);
    /// # let engine = Engine::builder(io::load_dataset(format!("{dir}/sample"), reference)?).build()?;
    /// let f = engine.footprint();
    /// assert!(f.profiles > 0 && f.postings > 0 && f.keys > 0 && f.network > 0);
    /// assert_eq!(f.total(), f.profiles + f.postings + f.keys + f.network);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn footprint(&self) -> Footprint {
        Footprint {
            profiles: self.index.store.heap_bytes(),
            postings: self.index.postings_bytes() + self.reverse.heap_bytes(),
            keys: self.network.key_bytes() + self.profile_nodes.heap_bytes(),
            network: self.network.heap_bytes() - self.network.key_bytes()
                + self
                    .host_strengths
                    .values()
                    .map(|s| s.heap_bytes())
                    .sum::<usize>(),
        }
    }
}
