//! The heads' test: each profile's 64-bit skill signature against the unread requirement
//! tiers, in fixed-point integers.

use super::MARGIN;
use super::bounds::Bounds;

/// The fixed-point scale of [`Signatures`]: bounds in units of 2^-24, rounded up.
pub(crate) const UNIT: f64 = (1u32 << 24) as f64;

/// For one step of a search: per requirement, its unread tiers' signature bits and bounds,
/// the bits that can meet each must-have, and what the other components leave to skills.
///
/// A large tier's profiles all pass through [`Signatures::admits`], and whether a signature
/// shares a tier's bits is a coin toss: the test runs without branches on them, in integers
/// (a chain of float maxima cost three times as much).
pub(crate) struct Signatures {
    /// Every unread requirement tier: its signature bits and its bound times the
    /// requirement's share, in units of [`UNIT`] rounded up.
    pub(crate) tiers: Vec<(u64, u32)>,
    /// Where each requirement's tiers end in `tiers`.
    pub(crate) ends: Vec<usize>,
    /// Per must-have requirement, the bits of its unread tiers that can meet it.
    pub(crate) musts: Vec<u64>,
    /// Per pattern of [`skill_needs`], the least skills bound that can reach the limit, in
    /// units rounded down (`u32::MAX` when none can).
    pub(crate) needs: [u32; PATTERNS],
}

impl Signatures {
    /// Whether a profile with skill signature `sig` and `pattern` (see [`PATTERNS`]) can
    /// still reach the limit the signatures were made for, its other components at their
    /// unread maxima.
    /// Returns then a bound of its skills component: for each requirement the best unread
    /// tier whose bits the signature shares (a profile on a tier shares its bits; a shared
    /// bit may be a collision, which only loosens the bound). A signature that shares no bit
    /// with a must-have's tiers is refused.
    #[inline]
    pub(crate) fn admits(&self, sig: u64, pattern: usize) -> Option<f64> {
        let need = self.needs[pattern % PATTERNS];
        if need == u32::MAX || !self.musts.iter().fold(true, |ok, &m| ok & (m & sig != 0)) {
            return None;
        }
        let mut s = 0u32;
        let mut start = 0;
        for &end in &self.ends {
            s += self.tiers[start..end]
                .iter()
                .fold(0, |b, &(m, v)| b.max(if m & sig != 0 { v } else { 0 }));
            start = end;
        }
        (s >= need).then(|| (f64::from(s) / UNIT).min(1.0))
    }
}

/// The patterns a profile's bound depends on besides its skills: bit 0, the host's search
/// may have reached it (it is on the unread network tier); bit 1, it may speak an asked
/// language (it is on an unread language tier). Which components apply is the same for
/// every profile (the opportunity decides it).
pub(crate) const PATTERNS: usize = 4;

/// Per pattern (see [`PATTERNS`]), the least skills component with which a profile whose
/// other components are at `rest` (network and language at 0 where bits 0 and 1 say so)
/// reaches `limit` (less [`MARGIN`], and a hair lower so that rounding never cuts a profile
/// the bound would keep): `-inf` when any will (or skills do not count and the rest reaches
/// it), `+inf` when none can.
pub(crate) fn skill_needs(rest: Option<&Bounds>, limit: f64) -> [f64; PATTERNS] {
    let Some(b) = rest else {
        return [if -1.0 + MARGIN < limit {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        }; PATTERNS];
    };
    let target = limit - MARGIN;
    let w_skills = if b.skills_apply { b.weights[0] } else { 0.0 };
    std::array::from_fn(|pattern| {
        let values = [
            b.region,
            if pattern & 1 != 0 { b.network } else { 0.0 },
            if pattern & 2 != 0 { b.language } else { 0.0 },
        ];
        let (mut num, mut den) = (0.0, w_skills);
        for (j, value) in values.iter().enumerate() {
            if b.applies[j] {
                num += b.weights[j + 1] * value;
                den += b.weights[j + 1];
            }
        }
        if w_skills > 0.0 {
            // (w s + num) / den >= target  <=>  s >= (target den - num) / w.
            let need = (target * den - num) / w_skills - 1e-9;
            if need > 1.0 {
                f64::INFINITY
            } else if need <= 0.0 {
                f64::NEG_INFINITY
            } else {
                need
            }
        } else {
            let total = if den > 0.0 { (num / den).min(1.0) } else { 0.0 };
            if total >= target {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
    })
}

/// A need of [`skill_needs`] in units of [`UNIT`], rounded down: 0 when any bound meets it,
/// `u32::MAX` when none does.
pub(crate) fn need_units(need: f64) -> u32 {
    if need == f64::INFINITY {
        u32::MAX
    } else {
        // In [0, UNIT]: the cast neither wraps nor saturates.
        (need.max(0.0) * UNIT).floor() as u32
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::audit::{Filter, audited, cases, config};

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The heads' test bounds each profile's skills component from above, and refuses only
        /// profiles that cannot beat the limit.
        #[test]
        fn signatures_bound_skills_and_refuse_only_profiles_below_the_limit(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Signature, seed, profiles, cfg, k);
        }
    }
}
