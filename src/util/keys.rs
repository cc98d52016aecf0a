//! [`Keys`]: unique string keys in one arena, numbered in the order they were added, with a
//! hash table of ids for the lookup by key.
//!
//! A million eight-character keys held as `Vec<String>` plus `HashMap<String, u32>` take about
//! 125 bytes each (two heap blocks of 32 bytes, two 24-byte headers, the map's slots); here
//! they take the key's bytes, a 4-byte end offset and a 4-byte slot of the table (about 17
//! bytes).

use std::fmt;
use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// Unique non-empty keys without NUL bytes, each with a dense `u32` id. A removed key's bytes
/// are overwritten with zeros (the person is forgotten, not only unlisted) and its id is never
/// given again.
#[derive(Clone, Default)]
pub(crate) struct Keys {
    /// Every key's bytes, one after the other; a removed key's are zeros.
    bytes: Vec<u8>,
    /// Where key `i` ends in `bytes`; it starts where key `i - 1` ends.
    ends: Vec<u32>,
    /// The ids of the keys that are present, found by the hash of their key. SipHash with a
    /// random key per table, since keys come from outside.
    table: HashTable<u32>,
    hasher: RandomState,
    removed: usize,
}

/// Why a key could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The key is taken, by this id.
    Taken(u32),
    /// The arena would pass 4 GiB of key bytes or `u32::MAX` keys.
    Full,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys are pseudonymous but still personal: counts only.
        f.debug_struct("Keys")
            .field("len", &self.len())
            .field("removed", &self.removed)
            .finish()
    }
}

impl Keys {
    /// Room for `n` more keys without the table growing (each growth hashes every key again).
    pub(crate) fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.table.reserve(n, |&id| rehash(bytes, ends, hasher, id));
    }

    /// One more than the largest id given.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Number of keys present (given and not removed).
    pub(crate) fn present(&self) -> usize {
        self.ends.len() - self.removed
    }

    fn span(&self, id: u32) -> Option<&[u8]> {
        span(&self.bytes, &self.ends, id)
    }

    /// The key with an id; empty for an id never given or removed.
    pub(crate) fn get(&self, id: u32) -> &str {
        match self.span(id) {
            Some(b) if b.first().is_some_and(|&c| c != 0) => {
                std::str::from_utf8(b).unwrap_or_default()
            }
            _ => "",
        }
    }

    /// Whether an id was given and its key not removed.
    pub(crate) fn contains(&self, id: u32) -> bool {
        self.span(id)
            .is_some_and(|b| b.first().is_some_and(|&c| c != 0))
    }

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key.as_bytes())
    }

    /// The id of a key.
    pub(crate) fn find(&self, key: &str) -> Option<u32> {
        let h = self.hash(key);
        self.table
            .find(h, |&id| self.span(id) == Some(key.as_bytes()))
            .copied()
    }

    /// Adds a key under the next id. The caller has checked that it is non-empty and holds
    /// no NUL byte (`util::text::key_problem` refuses both).
    pub(crate) fn push(&mut self, key: &str) -> Result<u32, Refused> {
        let h = self.hash(key);
        self.push_hashed(key, h)
    }

    /// [`Keys::push`] with the key's hash already taken: one probe of the table finds a key
    /// that is taken or the slot of a new one.
    fn push_hashed(&mut self, key: &str, h: u64) -> Result<u32, Refused> {
        debug_assert!(!key.is_empty() && !key.as_bytes().contains(&0));
        let id = u32::try_from(self.ends.len()).map_err(|_| Refused::Full)?;
        let end = u32::try_from(self.bytes.len() + key.len()).map_err(|_| Refused::Full)?;
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        match self.table.entry(
            h,
            |&other| span(bytes, ends, other) == Some(key.as_bytes()),
            |&other| rehash(bytes, ends, hasher, other),
        ) {
            Entry::Occupied(taken) => Err(Refused::Taken(*taken.get())),
            Entry::Vacant(slot) => {
                slot.insert(id);
                self.bytes.extend_from_slice(key.as_bytes());
                self.ends.push(end);
                Ok(id)
            }
        }
    }

    /// Gives the next id to no key: a place that is empty from the start (a removed profile
    /// in a dataset).
    pub(crate) fn skip(&mut self) -> Result<u32, Refused> {
        let id = u32::try_from(self.ends.len()).map_err(|_| Refused::Full)?;
        let end = u32::try_from(self.bytes.len()).map_err(|_| Refused::Full)?;
        self.ends.push(end);
        self.removed += 1;
        Ok(id)
    }

    /// Forgets a key: its bytes become zeros and it is no longer found. Nothing happens to an
    /// id never given or already removed.
    pub(crate) fn remove(&mut self, id: u32) {
        if !self.contains(id) {
            return;
        }
        let h = self.hash(self.get(id));
        if let Ok(entry) = self.table.find_entry(h, |&other| other == id) {
            entry.remove();
        }
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.bytes[start..self.ends[i] as usize].fill(0);
        self.removed += 1;
    }

    /// Gives back the room reserved beyond what the keys take.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        let (bytes, ends, hasher) = (&self.bytes, &self.ends, &self.hasher);
        self.table
            .shrink_to_fit(|&id| rehash(bytes, ends, hasher, id));
    }

    /// The keys `all` under ids `0..`, an empty one a place given to no key; or why not (a
    /// key that is unsafe or repeated). The keys are checked and hashed in parallel, then put
    /// in the table in id order.
    pub(crate) fn from_keys(all: &[&str]) -> Result<Keys, &'static str> {
        let mut keys = Keys::default();
        let hashed = checked_hashes(all, &keys.hasher);
        if hashed.iter().any(Option::is_none) {
            return Err("a key with control or format characters");
        }
        keys.reserve(all.len());
        keys.bytes.reserve_exact(all.iter().map(|k| k.len()).sum());
        for (key, h) in all.iter().zip(hashed.into_iter().flatten()) {
            let added = if key.is_empty() {
                keys.skip()
            } else {
                keys.push_hashed(key, h)
            };
            added.map_err(|r| match r {
                Refused::Taken(_) => "a repeated key",
                Refused::Full => "more key bytes than the arena holds",
            })?;
        }
        keys.shrink_to_fit();
        Ok(keys)
    }

    /// Bytes held on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + 4 * self.ends.capacity() + self.table.allocation_size()
    }
}

/// Each key's hash, or `None` for a key that is unsafe (an empty key, a place given to no
/// key, hashes to 0 and is never looked up).
fn checked_hashes(keys: &[&str], hasher: &RandomState) -> Vec<Option<u64>> {
    let one = |key: &&str| -> Option<u64> {
        if key.is_empty() {
            Some(0)
        } else if crate::util::text::key_problem(key).is_some() {
            None
        } else {
            Some(hasher.hash_one(key.as_bytes()))
        }
    };
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        keys.par_iter().with_min_len(4096).map(one).collect()
    }
    #[cfg(not(feature = "rayon"))]
    keys.iter().map(one).collect()
}

/// The hash of key `id`, for the table when it moves its slots (the borrow of the table
/// keeps [`Keys::hash`] out of reach there).
fn rehash(bytes: &[u8], ends: &[u32], hasher: &RandomState, id: u32) -> u64 {
    hasher.hash_one(span(bytes, ends, id).unwrap_or_default())
}

/// The bytes of key `id` in the arena `bytes` whose keys end at `ends`, or `None` for an id
/// never given (a free function: the table's callbacks borrow the arena beside the table).
fn span<'a>(bytes: &'a [u8], ends: &[u32], id: u32) -> Option<&'a [u8]> {
    let i = id as usize;
    let end = *ends.get(i)? as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    Some(&bytes[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_numbered_found_refused_twice_and_forgotten() {
        let mut k = Keys::default();
        assert_eq!(k.push("p-1"), Ok(0));
        assert_eq!(k.push("p-22"), Ok(1));
        assert_eq!(k.push("ü"), Ok(2));
        assert_eq!(k.push("p-22"), Err(Refused::Taken(1)));
        assert_eq!(
            (k.find("p-22"), k.find("ü"), k.find("p-2")),
            (Some(1), Some(2), None)
        );
        assert_eq!(
            (k.get(0), k.get(1), k.get(2), k.get(3)),
            ("p-1", "p-22", "ü", "")
        );
        k.remove(1);
        k.remove(1);
        assert_eq!((k.find("p-22"), k.get(1), k.contains(1)), (None, "", false));
        assert_eq!((k.len(), k.present()), (3, 2));
        // The bytes are gone, and the key can be given again, under a new id.
        assert!(!k.bytes.windows(4).any(|w| w == b"p-22"));
        assert_eq!(k.push("p-22"), Ok(3));
        let present: Vec<_> = (0..4)
            .filter(|&i| k.contains(i))
            .map(|i| k.get(i))
            .collect();
        assert_eq!(present, ["p-1", "ü", "p-22"]);
        // A place given to no key.
        assert_eq!(k.skip(), Ok(4));
        assert_eq!(
            (k.get(4), k.contains(4), k.len(), k.present()),
            ("", false, 5, 3)
        );
    }

    #[test]
    fn many_keys_survive_the_table_growing() {
        let mut k = Keys::default();
        for i in 0..50_000 {
            assert_eq!(k.push(&format!("k{i}")), Ok(i));
        }
        for i in (0..50_000).step_by(3) {
            k.remove(i);
        }
        for i in 0..50_000u32 {
            let want = (i % 3 != 0).then_some(i);
            assert_eq!(k.find(&format!("k{i}")), want);
        }
        // About 17 bytes a key (6 bytes of key, 4 of offset, the table's slots).
        assert!(k.heap_bytes() < 50_000 * 24, "{}", k.heap_bytes());
    }
}
