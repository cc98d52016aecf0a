//! Bit-sliced counts, word by word, of the requirement tiers each profile of a large tier is on.

use super::scratch::CountKey;
use super::signature::PATTERNS;

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
/// the pattern's need, it is out.
pub(crate) struct HighCounts {
    /// The `(term, first tier, tiers)` counted.
    pub(crate) key: Vec<CountKey>,
    pub(crate) planes: Vec<[u64; 4]>,
    /// The skills bound of a profile on none of the counted tiers.
    pub(crate) base: f64,
    /// What being on each counted tier adds, largest first.
    pub(crate) gains: Vec<f64>,
    /// The patterns that can hold a profile and reach the limit, sorted by their least
    /// count: the count, and what to flip in each pattern word so that the pattern's
    /// profiles are its ones.
    pub(crate) active: Vec<(u32, [u64; 2])>,
}

impl HighCounts {
    /// The largest count (the requirements counted).
    pub(crate) fn most(&self) -> u32 {
        self.gains.len() as u32
    }

    /// Sets the least count of each pattern for the needs of [`skill_needs`](super::signature::skill_needs).
    ///
    /// `fixed[j]` is the value of pattern bit `j` when every profile has it (then only the
    /// patterns with that value can hold a profile).
    pub(crate) fn set_needs(&mut self, needs: &[f64; PATTERNS], fixed: [Option<bool>; 2]) {
        let least = |need: f64| {
            let mut bound = self.base;
            for c in 0..=self.gains.len() {
                if bound + 1e-9 >= need {
                    return c as u32;
                }
                if let Some(g) = self.gains.get(c) {
                    bound += g;
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
}
