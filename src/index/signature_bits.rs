//! Which skills have a bit of their own in a profile's 64-bit signature: the 40 most held,
//! the rest sharing the other bits.

/// Skills with a signature bit of their own: the most held. The other 24 bits are shared by
/// the rest. (In the synthetic populations the 40 most held skills are about two in three
/// holdings; with 24 to 56 own bits the search was about equally fast, some 9 % faster than
/// with one hash over all 64 bits.)
pub(crate) const OWN_BITS: usize = 40;

/// Where each skill's bit is in a profile's signature. The most held skills have a bit each,
/// so that a profile holding some of them never looks as if it held another (with one hash
/// over all 64 bits, a profile of 20 skills set about 17 bits, and so seemed to hold a
/// quarter of the skills it did not); the others share the remaining bits by a hash. Chosen
/// from the skills held when the store is built. Any choice gives the same results (a
/// signature only bounds); a good one lets the heads' test cut more.
#[derive(Clone, Debug, Default)]
pub(crate) struct SignatureBits {
    /// Per compact skill id up to the highest held at the build: its bit's position. Skills
    /// past the end take a shared bit.
    pub(crate) pos: Vec<u8>,
}

impl SignatureBits {
    /// Own bits for the [`OWN_BITS`] skills held most often in `skills` (ties: the lower
    /// id), shared bits for the rest.
    pub(crate) fn from_skills(skills: &[u16]) -> SignatureBits {
        let len = skills
            .iter()
            .copied()
            .max()
            .map_or(0, |m| usize::from(m) + 1);
        let count = |part: &[u16]| {
            let mut counts = vec![0u32; len];
            for &s in part {
                counts[usize::from(s)] += 1;
            }
            counts
        };
        let add = |mut a: Vec<u32>, b: Vec<u32>| {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
            a
        };
        #[cfg(feature = "rayon")]
        let counts = {
            use rayon::prelude::*;
            skills
                .par_chunks(1 << 20)
                .map(count)
                .reduce(|| vec![0; len], add)
        };
        #[cfg(not(feature = "rayon"))]
        let counts = skills.chunks(1 << 20).map(count).fold(vec![0; len], add);
        let mut pos: Vec<u8> = (0..len).map(|s| Self::shared(s as u16)).collect();
        let mut order: Vec<usize> = (0..len).filter(|&s| counts[s] > 0).collect();
        order.sort_unstable_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        for (bit, &s) in order.iter().take(OWN_BITS).enumerate() {
            pos[s] = bit as u8;
        }
        SignatureBits { pos }
    }

    /// A skill's shared bit, from [`OWN_BITS`] up (a multiplicative hash).
    pub(crate) fn shared(skill: u16) -> u8 {
        let h = u64::from(u32::from(skill).wrapping_mul(0x9E37_79B9));
        (OWN_BITS as u64 + ((h * (64 - OWN_BITS as u64)) >> 32)) as u8
    }

    /// The bit of `skill` in a profile's signature.
    #[inline]
    pub(crate) fn bit(&self, skill: u16) -> u64 {
        let pos = self.pos.get(usize::from(skill)).copied();
        1 << pos.unwrap_or_else(|| Self::shared(skill))
    }

    /// The signature of a profile holding `skills`.
    pub(crate) fn of(&self, skills: impl Iterator<Item = u16>) -> u64 {
        skills.fold(0, |a, s| a | self.bit(s))
    }
}
