//! Bit-sliced counts, word by word, of the requirement tiers each profile of a large tier is on.

use crate::index::Index;
use crate::util::bitset;

use super::scratch::{CountKey, TierBits};
use super::signature::PATTERNS;
use super::terms::{Kind, Terms};

/// On how many of the other requirements' best unread tiers, and unions of their best two,
/// each profile is, as four bit planes per word of 64 profiles, and per pattern (see
/// [`PATTERNS`]) the least count with which a profile of the tier being read can still reach
/// the limit: a filter for a large tier that costs a few operations per 64 profiles instead
/// of a look at each.
///
/// For a requirement, a profile not seen yet (so on none of its tiers already read) has at
/// most the bound of the first unread tier it is on: the best one's if it is on that, the
/// second's if it is on the union of the two, the third's otherwise. So, over the third's,
/// being on the union adds the difference of the second and third bounds, and being on the
/// best that of the first and second. The most a profile on `c` of the counted sets can
/// have is the base (every requirement at its lower bound) plus the `c` largest gains; below
/// the pattern's need, it is out. A profile the count keeps is then weighed
/// ([`HighCounts::weigh`]): the base plus the gains of the sets it is on, which also bounds
/// its skills in the heads' test ([`HighCounts::bound_of`]).
pub(crate) struct HighCounts<'a> {
    /// The `(term, first tier, tiers)` counted.
    pub(crate) key: Vec<CountKey>,
    pub(crate) planes: Vec<[u64; 4]>,
    /// The skills bound of a profile on none of the counted tiers.
    pub(crate) base: f64,
    /// The counted sets, largest gain first: what being on each adds, and its bitsets.
    pub(crate) sets: Vec<Set<'a>>,
    /// The patterns that can hold a profile and reach the limit, sorted by their least
    /// count: the count, and what to flip in each pattern word so that the pattern's
    /// profiles are its ones.
    pub(crate) active: Vec<(u32, [u64; 2])>,
    /// Per pattern, the least skills bound that reaches the limit ([`HighCounts::weigh`]).
    pub(crate) needs: [f64; PATTERNS],
}

/// The most sets a [`HighCounts`] counts: four bit planes count to 15.
const MOST_COUNTED: usize = 15;

/// One counted set: what being on it adds, and its tiers (one, or the two of a union).
#[derive(Clone, Copy)]
pub(crate) struct Set<'a> {
    gain: f64,
    tiers: [Source<'a>; 2],
}

/// Where a counted tier's bitset is: one dense list of the index, read in place; a bitset the
/// query's [`TierBits`] holds (by its place there); none (the second of a single tier).
#[derive(Clone, Copy)]
enum Source<'a> {
    Dense(&'a [u64]),
    Held(usize),
    None,
}

impl HighCounts<'_> {
    /// The largest count (the requirements counted).
    pub(crate) fn most(&self) -> u32 {
        self.sets.len() as u32
    }

    /// Sets the least count of each pattern for the needs of [`skill_needs`](super::signature::skill_needs).
    ///
    /// `fixed[j]` is the value of pattern bit `j` when every profile has it (then only the
    /// patterns with that value can hold a profile).
    pub(crate) fn set_needs(&mut self, needs: &[f64; PATTERNS], fixed: [Option<bool>; 2]) {
        self.needs = *needs;
        let least = |need: f64| {
            let mut bound = self.base;
            for c in 0..=self.sets.len() {
                if bound + 1e-9 >= need {
                    return c as u32;
                }
                if let Some(set) = self.sets.get(c) {
                    bound += set.gain;
                }
            }
            u32::MAX
        };
        self.active = (0..PATTERNS)
            .filter(|&p| (0..2).all(|j| fixed[j].is_none_or(|v| (p & (1 << j) != 0) == v)))
            .map(|p| (p, least(needs[p])))
            .filter(|&(_, c)| c != u32::MAX)
            .map(|(p, c)| {
                // The words hold the profiles reached and speaking; flipped where the
                // pattern asks for zeros.
                let flip = std::array::from_fn(|j| if p & (1 << j) != 0 { 0 } else { u64::MAX });
                (c, flip)
            })
            .collect();
        // By count (a stable sort: patterns in order within a count), so that
        // [`HighCounts::keep`] compares each count once.
        self.active.sort_by_key(|&(c, _)| c);
    }

    /// The count of profile `bit` of word `w`.
    #[inline]
    pub(crate) fn count(&self, w: usize, bit: u32) -> usize {
        self.planes[w]
            .iter()
            .enumerate()
            .map(|(b, p)| ((p >> bit) as usize & 1) << b)
            .sum()
    }

    /// The profiles of word `w` whose count is at least `c`.
    #[inline]
    pub(crate) fn at_least(&self, w: usize, c: u32) -> u64 {
        let p = self.planes[w];
        // Bit-sliced `count >= c`, from the highest bit down.
        // Without branches on the bits of `c`: the patterns' counts differ, and a branch on
        // them is a guess that fails often.
        let (mut greater, mut equal) = (0u64, u64::MAX);
        for (b, &plane) in p.iter().enumerate().rev() {
            let set = 0u64.wrapping_sub(u64::from(c >> b & 1));
            greater |= equal & plane & !set;
            equal &= !(plane ^ set);
        }
        if c > 15 { 0 } else { greater | equal }
    }

    /// The profiles of word `w` that can still reach the limit, given the words of the
    /// pattern bitsets (see [`PATTERNS`]): reached by the host's search, speaking an asked
    /// language.
    #[inline]
    pub(crate) fn keep(&self, w: usize, bits: [u64; 2]) -> u64 {
        let (mut keep, mut at_least, mut last) = (0, 0, u32::MAX);
        for &(c, flip) in &self.active {
            if c != last {
                (at_least, last) = (self.at_least(w, c), c);
            }
            let mut m = at_least;
            for (b, f) in bits.iter().zip(flip) {
                m &= b ^ f;
            }
            keep |= m;
        }
        keep
    }

    /// Of the profiles `cand` of word `w` (kept by [`HighCounts::keep`]), those whose own
    /// bound ([`HighCounts::bound_of`]) reaches their pattern's need. Requirements weigh
    /// differently, so a profile on enough sets may still be on too light ones.
    #[inline]
    pub(crate) fn weigh(&self, held: &TierBits, w: usize, cand: u64, bits: [u64; 2]) -> u64 {
        let on = self.words(held, w);
        let mut kept = cand;
        for bit in bitset::set_bits(cand) {
            let pattern = (bits[0] >> bit & 1) | (bits[1] >> bit & 1) << 1;
            if self.bound_on(&on, bit) + 1e-9 < self.needs[pattern as usize] {
                kept &= !(1u64 << bit);
            }
        }
        kept
    }

    /// The skills bound of profile `i` of the tier counted, not seen before it: the base plus
    /// the gain of each set it is on (where the count takes the largest gains).
    pub(crate) fn bound_of(&self, held: &TierBits, i: u32) -> f64 {
        let (w, bit) = (i as usize / 64, i % 64);
        self.bound_on(&self.words(held, w), bit)
    }

    /// The bound of the profile at `bit` of a word whose sets' words are `on`.
    #[inline]
    fn bound_on(&self, on: &[u64; MOST_COUNTED], bit: u32) -> f64 {
        let mut bound = self.base;
        for (&o, set) in on.iter().zip(&self.sets) {
            if o >> bit & 1 != 0 {
                bound += set.gain;
            }
        }
        bound
    }

    /// Word `w` of each set.
    #[inline]
    fn words(&self, held: &TierBits, w: usize) -> [u64; MOST_COUNTED] {
        let mut on = [0u64; MOST_COUNTED];
        for (o, set) in on.iter_mut().zip(&self.sets) {
            *o = set.word(held, w);
        }
        on
    }
}

impl<'a> Set<'a> {
    /// The set's tiers as bitsets (an empty one for none).
    #[inline]
    fn bitsets<'h>(&self, held: &'h TierBits) -> [&'h [u64]; 2]
    where
        'a: 'h,
    {
        self.tiers.map(|source| match source {
            Source::Dense(bits) => bits,
            Source::Held(k) => held.at(k),
            Source::None => &[],
        })
    }

    /// Word `w` of the set: the profiles of those 64 on either of its tiers.
    #[inline]
    fn word(&self, held: &TierBits, w: usize) -> u64 {
        union_word(self.bitsets(held), w)
    }
}

/// Word `w` of the union of two bitsets (words past the end of either are empty).
#[inline]
fn union_word([a, b]: [&[u64]; 2], w: usize) -> u64 {
    a.get(w).copied().unwrap_or(0) | b.get(w).copied().unwrap_or(0)
}

/// The bit planes of the counts over `sets`, word by word, every set at once: a four-bit
/// counter per profile.
fn count_planes(sets: &[Set<'_>], bits: &mut TierBits, words: usize) -> Vec<[u64; 4]> {
    let mut planes = std::mem::take(&mut bits.spare_planes);
    let tiers: Vec<[&[u64]; 2]> = sets.iter().map(|set| set.bitsets(bits)).collect();
    planes.clear();
    planes.extend((0..words).map(|w| {
        let mut p = [0u64; 4];
        for &pair in &tiers {
            let mut carry = union_word(pair, w);
            for plane in p.iter_mut() {
                let next = *plane & carry;
                *plane ^= carry;
                carry = next;
            }
        }
        p
    }));
    planes
}

impl Terms<'_> {
    /// For the profiles of term `chosen`'s next tier: their [`HighCounts`] over the other
    /// requirements' best unread tiers and unions of their best two that cost at most
    /// `budget` to read (at most 15, the largest gains; [`HighCounts::set_needs`] then sets
    /// the limit), or `None` when none qualifies. The tiers are read through `bits`, which
    /// also keeps the planes for the next large tier of the query.
    pub(crate) fn high_counts<'i>(
        &self,
        index: &'i Index,
        chosen: usize,
        budget: usize,
        words: usize,
        bits: &mut TierBits,
    ) -> Option<HighCounts<'i>> {
        let (base, counted) = self.counted_tiers(chosen, budget);
        if counted.is_empty() {
            return None;
        }
        let mut key: Vec<CountKey> = counted
            .iter()
            .map(|&(_, u, span)| (u, self.terms[u].next, span))
            .collect();
        key.sort_unstable();
        let sets: Vec<Set<'i>> = counted
            .iter()
            .map(|&(gain, u, span)| {
                let j = self.terms[u].next;
                let first = self.source(index, bits, u, j, words);
                let second = match span {
                    2 => self.source(index, bits, u, j + 1, words),
                    _ => Source::None,
                };
                Set {
                    gain,
                    tiers: [first, second],
                }
            })
            .collect();
        let planes = match bits.planes.take() {
            Some((held, planes)) if held == key => planes,
            held => {
                if let Some((_, planes)) = held {
                    bits.spare_planes = planes;
                }
                count_planes(&sets, bits, words)
            }
        };
        Some(HighCounts {
            key,
            planes,
            base,
            sets,
            active: Vec::new(),
            needs: [f64::INFINITY; PATTERNS],
        })
    }

    /// Where tier `j` of term `u` is as a bitset: in place when it is one dense list, else
    /// read into `bits` (if it is not there already).
    fn source<'i>(
        &self,
        index: &'i Index,
        bits: &mut TierBits,
        u: usize,
        j: usize,
        words: usize,
    ) -> Source<'i> {
        match self.dense_tier(index, u, j) {
            Some(dense) => Source::Dense(dense),
            None => Source::Held(bits.place(self, index, u, j, words)),
        }
    }

    /// What to count for the profiles of term `chosen`'s next tier: `(gain, term, span)` for
    /// the other requirements' best unread tier (span 1) and the union of their best two
    /// (span 2), the 15 largest gains that cost at most `budget` to read; and the bound's
    /// base, what every profile of the tier is taken to have (the chosen tier's own credit,
    /// and every gain not counted).
    fn counted_tiers(&self, chosen: usize, budget: usize) -> (f64, Vec<(f64, usize, usize)>) {
        let mut base = 0.0;
        let mut counted: Vec<(f64, usize, usize)> = Vec::new();
        for (u, term) in self.terms.iter().enumerate() {
            let Kind::Requirement(i) = term.kind else {
                continue;
            };
            let share = self.req_share[i];
            let Some(top) = term.tiers.get(term.next) else {
                continue;
            };
            if u == chosen {
                base += share * top.bound;
                continue;
            }
            // The best unread tier and the one after it: a profile on the first has at most
            // its bound, one on the second (only) at most the second's, one on neither at
            // most the third's. Counted as the first tier and the union of the two.
            let bound = |j: usize| term.tiers.get(term.next + j).map_or(0.0, |t| t.bound);
            let cost = |j: usize| term.tiers.get(term.next + j).map_or(0, |t| t.cost);
            base += share * bound(2);
            for (span, gain) in [(1, bound(0) - bound(1)), (2, bound(1) - bound(2))] {
                let cost: usize = (0..span).map(cost).sum();
                if gain > 0.0 && cost <= budget && term.tiers.len() >= term.next + span {
                    counted.push((share * gain, u, span));
                } else {
                    // Not counted: every profile is taken to be on it.
                    base += share * gain.max(0.0);
                }
            }
        }
        counted.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for &(g, _, _) in counted.iter().skip(MOST_COUNTED) {
            base += g;
        }
        counted.truncate(MOST_COUNTED);
        (base, counted)
    }

    /// The region and language terms other than `chosen` whose best unread tier costs at most
    /// `budget` to read, the weightiest first (what being on it adds to the total's
    /// numerator).
    pub(crate) fn seed_terms(&self, chosen: usize, budget: usize) -> Vec<usize> {
        let w = &self.base.weights;
        let mut found: Vec<(f64, usize)> = self
            .terms
            .iter()
            .enumerate()
            .filter(|&(u, _)| u != chosen)
            .filter_map(|(u, t)| {
                let tier = t.tiers.get(t.next).filter(|x| x.cost <= budget)?;
                let weight = match t.kind {
                    Kind::Region => w[1],
                    Kind::Language(_) => w[3] / self.languages_asked.max(1) as f64,
                    _ => return None,
                };
                Some((weight * tier.bound, u))
            })
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.into_iter().map(|f| f.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::audit::{Filter, audited, cases, config};

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The counts drop from a large tier only profiles that cannot beat the limit: on
        /// random populations, each dropped profile's exact score is below it.
        #[test]
        fn counts_drop_only_profiles_below_the_limit(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Counts, seed, profiles, cfg, k);
        }
    }
}
