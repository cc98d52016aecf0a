//! Sets of profile ids as bits in 64-bit words: an owned, growable [`Bitset`], and the same
//! operations on borrowed words, for the index's flat rows of bitsets and the search's
//! scratch sets (whose word-at-a-time loops read the words directly).
//!
//! Bit `i` lives in word `i / 64` at position `i % 64`. Reading past the last word finds
//! nothing; the borrowed operations never grow a slice, and ignore ids past its end.

/// The word holding bit `i`, and the bit's mask within it.
#[inline]
pub(crate) fn slot(i: usize) -> (usize, u64) {
    (i / 64, 1u64 << (i % 64))
}

/// Whether bit `i` of `words` is set (false past the end).
#[inline]
pub(crate) fn contains(words: &[u64], i: usize) -> bool {
    let (w, bit) = slot(i);
    words.get(w).is_some_and(|x| x & bit != 0)
}

/// Sets bit `i` of `words` (nothing past the end).
#[inline]
pub(crate) fn insert(words: &mut [u64], i: usize) {
    let (w, bit) = slot(i);
    if let Some(x) = words.get_mut(w) {
        *x |= bit;
    }
}

/// Clears bit `i` of `words`. Returns whether it was set.
#[inline]
pub(crate) fn remove(words: &mut [u64], i: usize) -> bool {
    let (w, bit) = slot(i);
    match words.get_mut(w) {
        Some(x) if *x & bit != 0 => {
            *x &= !bit;
            true
        }
        _ => false,
    }
}

/// `dst |= src`, word by word, over their common length.
#[inline]
pub(crate) fn union_into(dst: &mut [u64], src: &[u64]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= s;
    }
}

/// The positions of the set bits of `x`, lowest first.
#[inline]
pub(crate) fn set_bits(mut x: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        (x != 0).then(|| {
            let b = x.trailing_zeros();
            x &= x - 1;
            b
        })
    })
}

/// The bits of word `w` whose ids are at most `last`.
#[inline]
pub(crate) fn at_most(w: usize, last: u32) -> u64 {
    let first = w as u64 * 64;
    match u64::from(last).checked_sub(first) {
        None => 0,
        Some(d) if d >= 63 => u64::MAX,
        Some(d) => (1u64 << (d + 1)) - 1,
    }
}

/// The ids of the set bits of word `w` of a bitset.
#[inline]
pub(crate) fn ids_in(w: usize, x: u64) -> impl Iterator<Item = u32> {
    set_bits(x).map(move |b| w as u32 * 64 + b)
}

/// The ids of the set bits of `words`, ascending.
pub(crate) fn ones(words: &[u64]) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(|(w, &x)| ids_in(w, x))
}

/// How many ids below `i` the words hold.
pub(crate) fn rank(words: &[u64], i: usize) -> usize {
    let (w, b) = (i / 64, i % 64);
    let below: usize = words.iter().take(w).map(|x| x.count_ones() as usize).sum();
    below
        + words
            .get(w)
            .map_or(0, |x| (x & ((1u64 << b) - 1)).count_ones() as usize)
}

/// Ranks and selects over borrowed words in constant and logarithmic time: the number of
/// ids before each word, counted once.
pub(crate) struct Ranks<'a> {
    words: &'a [u64],
    /// Ids in the words before each word, and in all of them at the end.
    before: Vec<u32>,
}

impl<'a> Ranks<'a> {
    pub(crate) fn new(words: &'a [u64]) -> Ranks<'a> {
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut sum = 0u32;
        before.push(0);
        for w in words {
            sum += w.count_ones();
            before.push(sum);
        }
        Ranks { words, before }
    }

    /// How many ids the words hold.
    pub(crate) fn count(&self) -> usize {
        self.before.last().map_or(0, |&c| c as usize)
    }

    /// The place of id `i` among the ids, when it is one of them.
    pub(crate) fn rank(&self, i: u32) -> Option<usize> {
        let (w, b) = (i as usize / 64, i % 64);
        let word = *self.words.get(w)?;
        (word >> b & 1 == 1)
            .then(|| self.before[w] as usize + (word & ((1u64 << b) - 1)).count_ones() as usize)
    }

    /// The `j`-th id (`j < count()`).
    pub(crate) fn select(&self, j: usize) -> u32 {
        let w = self.before.partition_point(|&b| b as usize <= j) - 1;
        let mut x = self.words[w];
        for _ in 0..j - self.before[w] as usize {
            x &= x - 1;
        }
        (w as u32) << 6 | x.trailing_zeros()
    }
}

/// An owned set of ids that grows as ids are inserted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    /// An empty set with room for ids below `n`.
    #[cfg(test)]
    pub(crate) fn with_capacity(n: usize) -> Bitset {
        Bitset {
            words: vec![0; n.div_ceil(64)],
        }
    }

    /// The set of the ids whose bits are set in `words`.
    pub(crate) fn from_words(words: Vec<u64>) -> Bitset {
        Bitset { words }
    }

    /// Adds `i`, growing the set when `i` is past its end.
    pub(crate) fn insert(&mut self, i: usize) {
        let (w, _) = slot(i);
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        insert(&mut self.words, i);
    }

    /// Removes `i`. Returns whether it was there.
    pub(crate) fn remove(&mut self, i: usize) -> bool {
        remove(&mut self.words, i)
    }

    /// Whether `i` is in the set.
    pub(crate) fn contains(&self, i: usize) -> bool {
        contains(&self.words, i)
    }

    /// The set's words (as many as its highest insert or its capacity needed).
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The bitset behaves as a set of integers under any sequence of inserts and removes,
        /// and lists its members in order.
        #[test]
        fn bitset_is_a_set(ops in prop::collection::vec((any::<bool>(), 0usize..300), 0..200)) {
            let (mut bits, mut model) = (Bitset::with_capacity(70), BTreeSet::new());
            for (add, i) in ops {
                if add {
                    bits.insert(i);
                    model.insert(i);
                } else {
                    prop_assert_eq!(bits.remove(i), model.remove(&i));
                }
            }
            for i in 0..320 {
                prop_assert_eq!(bits.contains(i), model.contains(&i));
            }
            let listed: Vec<usize> = ones(bits.words()).map(|i| i as usize).collect();
            prop_assert_eq!(listed, model.into_iter().collect::<Vec<_>>());
        }

        /// Rank and select agree with the list of members.
        #[test]
        fn ranks_and_selects_follow_the_members(ids in prop::collection::btree_set(0usize..400, 0..120)) {
            let mut bits = Bitset::with_capacity(400);
            ids.iter().for_each(|&i| bits.insert(i));
            let ranks = Ranks::new(bits.words());
            prop_assert_eq!(ranks.count(), ids.len());
            for (j, &i) in ids.iter().enumerate() {
                prop_assert_eq!(ranks.select(j), i as u32);
                prop_assert_eq!(ranks.rank(i as u32), Some(j));
                prop_assert_eq!(rank(bits.words(), i), j);
            }
            for i in (0..500u32).filter(|i| !ids.contains(&(*i as usize))) {
                prop_assert_eq!(ranks.rank(i), None);
            }
        }

        /// `at_most` keeps exactly the ids up to the last one.
        #[test]
        fn at_most_keeps_the_ids_up_to_the_last(w in 0usize..5, last in prop_oneof![0u32..400, Just(u32::MAX)]) {
            let kept: Vec<u32> = ids_in(w, at_most(w, last)).collect();
            let model: Vec<u32> = (w as u32 * 64..w as u32 * 64 + 64).filter(|&i| i <= last).collect();
            prop_assert_eq!(kept, model);
        }

        /// The borrowed operations ignore ids past the slice and union over the common length.
        #[test]
        fn borrowed_words_never_grow(a in prop::collection::vec(any::<u64>(), 0..4),
                                     b in prop::collection::vec(any::<u64>(), 0..4),
                                     i in 0usize..400) {
            let mut x = a.clone();
            insert(&mut x, i);
            prop_assert_eq!(x.len(), a.len());
            prop_assert_eq!(contains(&x, i), i < 64 * a.len());
            let mut u = a.clone();
            union_into(&mut u, &b);
            for (w, &v) in u.iter().enumerate() {
                prop_assert_eq!(v, a[w] | b.get(w).copied().unwrap_or(0));
            }
        }
    }
}
