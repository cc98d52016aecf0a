//! A profile's digest: one `u64` that bounds the components beyond work (capital, interest)
//! and the region without decoding the profile. [`Engaged`](super::Engaged) keeps the
//! digests of the profiles that accept an investment, a donation or tourism, in id order.
//! The search for investments, donations and tourism offers
//! ([`crate::search`]'s `channels.rs`) reads it for every profile that accepts the kind, and
//! decodes in full only the few whose bound can reach the top.
//!
//! | bits | what |
//! |---|---|
//! | 0 to 20 | the ISIC sections the person names as sectors, section `A` at bit 0 (and, for a person naming several divisions, their sections) |
//! | 21 to 37 | the causes: goal `n` at bit `21 + n - 1` |
//! | 38 to 44 | the one division the person names: its [`Sector::index`](crate::interests::Sector::index) + 1; 0 for none, [`SEVERAL_DIVISIONS`] for more |
//! | 45 to 49 | the bucket of the most the person would invest ([`bucket`]; 0 for none) |
//! | 50 to 54 | the bucket of the most they would give a year |
//! | 55 to 63 | their country of origin's id; [`NO_ORIGIN`] for none, [`SEVERAL`] for more than one |
//!
//! Every field bounds what the scorer reads from the profile from above (a bucket's edge is
//! above every amount in it; a profile of several origins is bounded by the best country; one
//! of several divisions by the credit of its section), so the bound it gives is never below
//! the exact score.

use super::ProfileView;

const SECTIONS: u32 = 21;
const CAUSES_AT: u32 = SECTIONS;
const DIVISION_AT: u32 = 38;
/// Where the invest bucket starts.
pub(crate) const INVEST_AT: u32 = 45;
/// Where the donate bucket starts.
pub(crate) const DONATE_AT: u32 = 50;
/// The width of a bucket field.
pub(crate) const BUCKET_BITS: u32 = 5;
const ORIGIN_AT: u32 = 55;

/// The division field of a person who names several divisions (or one whose index does not
/// fit the field).
pub(crate) const SEVERAL_DIVISIONS: u8 = 127;

/// The origin field of a profile without origins.
pub(crate) const NO_ORIGIN: u16 = (1 << 9) - 2;
/// The origin field of a profile of several origins (or of a country id too large for it).
pub(crate) const SEVERAL: u16 = (1 << 9) - 1;

/// The highest bucket: amounts from `2^30` USD up, without an upper edge.
pub(crate) const TOP_BUCKET: u8 = 31;

/// The upper edge of bucket `b` in `1 .. TOP_BUCKET`, in USD: `2^b`. An amount in the bucket
/// is below it, and at least the previous bucket's edge.
pub(crate) fn edge(b: u8) -> f64 {
    2f64.powi(i32::from(b))
}

/// The bucket of a largest amount: 0 for none or nothing (no credit), else the least `b` whose
/// [`edge`] is above it, [`TOP_BUCKET`] from `2^30` up.
pub(crate) fn bucket(max: Option<f64>) -> u8 {
    let Some(max) = max.filter(|m| *m > 0.0) else {
        return 0;
    };
    // A first guess from the logarithm, then moved until the edges hold exactly.
    let mut b = (max.log2().floor() + 1.0).clamp(1.0, f64::from(TOP_BUCKET)) as u8;
    while b < TOP_BUCKET && max >= edge(b) {
        b += 1;
    }
    while b > 1 && max < edge(b - 1) {
        b -= 1;
    }
    b
}

/// The digest of a compiled profile.
pub(crate) fn of(v: &ProfileView<'_>) -> u64 {
    let extras = v.extras();
    let mut d = 0u64;
    let mut division = 0u8;
    for s in extras.sectors() {
        let index = u8::try_from(s.index() + 1)
            .ok()
            .filter(|&i| i < SEVERAL_DIVISIONS);
        match (s.is_section(), division, index) {
            (true, _, _) => d |= u64::from(section_bits(s.code())),
            (false, 0, Some(i)) => division = i,
            _ => division = SEVERAL_DIVISIONS,
        }
    }
    if division == SEVERAL_DIVISIONS {
        for s in extras.sectors() {
            d |= u64::from(section_bits(s.section().code()));
        }
    }
    d |= u64::from(division) << DIVISION_AT;
    d |= u64::from(extras.causes().bits()) << CAUSES_AT;
    let capital = extras.capital();
    d |= u64::from(bucket(capital.invest.map(|r| r.max()))) << INVEST_AT;
    d |= u64::from(bucket(capital.donate_per_year.map(|r| r.max()))) << DONATE_AT;
    let mut origins = v.origins();
    let origin = match (origins.next(), origins.next()) {
        (None, _) => NO_ORIGIN,
        (Some(one), None) => u16::try_from(one.country.index())
            .ok()
            .filter(|&c| c < NO_ORIGIN)
            .unwrap_or(SEVERAL),
        (Some(_), Some(_)) => SEVERAL,
    };
    d | u64::from(origin) << ORIGIN_AT
}

/// The bit of an ISIC section's letter (`A` to `U`); all 21 for a code that is none of them
/// (a bound must not miss a section).
pub(crate) fn section_bits(code: &str) -> u32 {
    match code.as_bytes() {
        [c @ b'A'..=b'U'] => 1 << (c - b'A'),
        _ => (1 << SECTIONS) - 1,
    }
}

/// The section bits of a digest.
pub(crate) fn sections(d: u64) -> u32 {
    (d & ((1 << SECTIONS) - 1)) as u32
}

/// The causes of a digest, goal `n` at bit `n - 1`.
pub(crate) fn causes(d: u64) -> u32 {
    ((d >> CAUSES_AT) & ((1 << 17) - 1)) as u32
}

/// The division field: a sector index + 1, 0 or [`SEVERAL_DIVISIONS`].
pub(crate) fn division(d: u64) -> u8 {
    ((d >> DIVISION_AT) & 127) as u8
}

/// A bucket field starting at `at` ([`INVEST_AT`] or [`DONATE_AT`]).
pub(crate) fn bucket_at(d: u64, at: u32) -> u8 {
    ((d >> at) & ((1 << BUCKET_BITS) - 1)) as u8
}

/// The origin field: a country id, [`NO_ORIGIN`] or [`SEVERAL`].
pub(crate) fn origin(d: u64) -> u16 {
    (d >> ORIGIN_AT) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capital::{Capital, UsdRange};
    use crate::id::RegionId;
    use crate::index::ProfileStore;
    use crate::interests::{Goal, Goals, Interests, Sector};
    use crate::model::{EngagementSet, Generation, Origin, Profile};
    use crate::network::Network;

    #[test]
    fn an_amount_is_below_its_buckets_edge_and_at_least_the_one_before() {
        assert_eq!(bucket(None), 0);
        assert_eq!(bucket(Some(0.0)), 0);
        let mut x = 0.01;
        while x < 1e12 {
            let b = bucket(Some(x));
            assert!((1..=TOP_BUCKET).contains(&b), "{x}");
            assert!(b == TOP_BUCKET || x < edge(b), "{x} in {b}");
            assert!(b == 1 || x >= edge(b - 1), "{x} in {b}");
            x *= 1.37;
        }
        // The exact edges go to the bucket above.
        assert_eq!(bucket(Some(edge(10))), 11);
        assert_eq!(bucket(Some(1.0)), 1);
        assert_eq!(bucket(Some(f64::MAX)), TOP_BUCKET);
    }

    fn digest(origins: &[u32], capital: Capital, interests: Interests) -> u64 {
        let p = Profile {
            key: "p".into(),
            skills: Vec::new(),
            origins: origins
                .iter()
                .map(|&c| Origin {
                    country: RegionId::new(c),
                    generation: Generation::FIRST,
                })
                .collect(),
            residence: None,
            languages: Vec::new(),
            engagements: EngagementSet::EMPTY,
            available: None,
            intermediary: false,
            capital,
            interests,
        };
        let mut store = ProfileStore::default();
        store.add(&p, &Network::new()).unwrap();
        of(&store.view(0))
    }

    #[test]
    fn a_digest_holds_sections_causes_buckets_and_origin() {
        let capital = Capital {
            invest: UsdRange::new(1_000.0, 50_000.0).ok(),
            donate_per_year: None,
        };
        let mut goals = Goals::EMPTY;
        goals.extend(Goal::new(6));
        goals.extend(Goal::new(17));
        let interests = Interests {
            sectors: vec![Sector::parse("Q86").unwrap(), Sector::parse("A").unwrap()],
            causes: goals,
        };
        let d = digest(&[42], capital, interests);
        // Section A named as a sector; division Q86 in its own field.
        assert_eq!(sections(d), 1);
        let q86 = Sector::parse("Q86").unwrap();
        assert_eq!(usize::from(division(d)), q86.index() + 1);
        assert_eq!(causes(d), 1 << 5 | 1 << 16);
        assert_eq!(bucket_at(d, INVEST_AT), bucket(Some(50_000.0)));
        assert_eq!(bucket_at(d, DONATE_AT), 0);
        assert_eq!(origin(d), 42);
        let none = || (Capital::default(), Interests::default());
        assert_eq!(origin(digest(&[], none().0, none().1)), NO_ORIGIN);
        assert_eq!(origin(digest(&[1, 2], none().0, none().1)), SEVERAL);
        assert_eq!(section_bits("Z"), (1 << 21) - 1);
        // Two divisions: the field says several, the sections hold both.
        let two = Interests {
            sectors: vec![q86, Sector::parse("A01").unwrap()],
            causes: Goals::EMPTY,
        };
        let d = digest(&[], Capital::default(), two);
        assert_eq!(division(d), SEVERAL_DIVISIONS);
        assert_eq!(sections(d), 1 | 1 << (b'Q' - b'A'));
    }
}
