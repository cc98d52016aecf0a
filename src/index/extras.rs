//! A profile's capital and interests in the store: tagged words after its languages in the
//! attribute array, so that the store keeps one array of small attributes and a profile
//! without them pays nothing.
//!
//! | word | meaning |
//! |---|---|
//! | `TAG \| INVEST`, then 4 words | the range to invest: `min` then `max`, each an `f64` in two words (high first) |
//! | `TAG \| DONATE`, then 4 words | the range to give per year, likewise |
//! | `TAG \| GOALS \| bits` | the causes, goal `n` at bit `n - 1` |
//! | `TAG \| SECTOR \| index` | one sector per word, ascending |
//!
//! Origins and languages never set the top bit (a country or language id in the low 16 bits,
//! a generation or proficiency above), so the first tagged word ends the languages.

use crate::capital::{Capital, UsdRange};
use crate::interests::{Goals, Interests, Sector};

/// Marks a word as one of the extras.
pub(crate) const TAG: u32 = 1 << 31;
const KIND: u32 = 0x7F << 24;
const INVEST: u32 = 1 << 24;
const DONATE: u32 = 2 << 24;
const GOALS: u32 = 3 << 24;
const SECTOR: u32 = 4 << 24;
const PAYLOAD: usize = 4;

/// A profile's attribute words split into its origins and languages, and its extras: the
/// extras start at the first tagged word after the `n_origins` origins (the origins are
/// never searched: a tagged word among them is the snapshot check's to refuse).
pub(crate) fn split(attrs: &[u32], n_origins: usize) -> (&[u32], &[u32]) {
    let n_origins = n_origins.min(attrs.len());
    let own = attrs[n_origins..]
        .iter()
        .position(|&w| w & TAG != 0)
        .map_or(attrs.len(), |k| n_origins + k);
    attrs.split_at(own)
}

/// Appends the words of a profile's capital and interests; none when it gives neither.
pub(crate) fn encode(capital: &Capital, interests: &Interests, out: &mut Vec<u32>) {
    for (kind, range) in [(INVEST, capital.invest), (DONATE, capital.donate_per_year)] {
        if let Some(r) = range {
            out.push(TAG | kind);
            for x in [r.min(), r.max()] {
                let bits = x.to_bits();
                out.extend([(bits >> 32) as u32, bits as u32]);
            }
        }
    }
    if !interests.causes.is_empty() {
        out.push(TAG | GOALS | interests.causes.bits());
    }
    let mut sectors: Vec<Sector> = interests.sectors.clone();
    sectors.sort_unstable();
    sectors.dedup();
    out.extend(sectors.iter().map(|s| TAG | SECTOR | s.index() as u32));
}

/// The number of words [`encode`] writes.
pub(crate) fn words(capital: &Capital, interests: &Interests) -> usize {
    let ranges =
        usize::from(capital.invest.is_some()) + usize::from(capital.donate_per_year.is_some());
    ranges * (1 + PAYLOAD) + usize::from(!interests.causes.is_empty()) + interests.sectors.len()
}

/// The extras of one profile, read from its words.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extras<'a> {
    words: &'a [u32],
}

impl<'a> Extras<'a> {
    pub(crate) fn new(words: &'a [u32]) -> Extras<'a> {
        Extras { words }
    }

    /// Each header word with the payload that follows it.
    fn entries(&self) -> impl Iterator<Item = (u32, &'a [u32])> + 'a {
        let words = self.words;
        let mut i = 0;
        std::iter::from_fn(move || {
            let &head = words.get(i)?;
            let len = if matches!(head & KIND, INVEST | DONATE) {
                PAYLOAD
            } else {
                0
            };
            let payload = words.get(i + 1..i + 1 + len).unwrap_or(&[]);
            i += 1 + len;
            Some((head, payload))
        })
    }

    fn range(&self, kind: u32) -> Option<UsdRange> {
        let (_, p) = self.entries().find(|(h, _)| h & KIND == kind)?;
        let f = |hi: u32, lo: u32| f64::from_bits(u64::from(hi) << 32 | u64::from(lo));
        match *p {
            [a, b, c, d] => UsdRange::new(f(a, b), f(c, d)).ok(),
            _ => None,
        }
    }

    /// The capital given.
    pub(crate) fn capital(&self) -> Capital {
        if self.words.is_empty() {
            return Capital::default();
        }
        Capital {
            invest: self.range(INVEST),
            donate_per_year: self.range(DONATE),
        }
    }

    /// The causes given.
    pub(crate) fn causes(&self) -> Goals {
        self.entries()
            .find(|(h, _)| h & KIND == GOALS)
            .and_then(|(h, _)| Goals::from_bits(h & 0xFF_FFFF))
            .unwrap_or_default()
    }

    /// The sectors given, ascending.
    pub(crate) fn sectors(&self) -> impl Iterator<Item = Sector> + 'a {
        self.entries()
            .filter(|(h, _)| h & KIND == SECTOR)
            .filter_map(|(h, _)| Sector::from_index((h & 0xFF_FFFF) as usize))
    }

    /// The interests given.
    pub(crate) fn interests(&self) -> Interests {
        Interests {
            sectors: self.sectors().collect(),
            causes: self.causes(),
        }
    }

    /// Why the words cannot be a profile's extras, if they cannot (for snapshots): every
    /// word tagged or a payload, each kind once and in order, ranges valid, goals and sectors
    /// that exist, sectors ascending.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        let mut last_kind = 0;
        let mut last_sector = None;
        let mut seen = 0;
        for (head, payload) in self.entries() {
            seen += 1 + payload.len();
            let kind = head & KIND;
            if head & TAG == 0 || !(INVEST..=SECTOR).contains(&kind) {
                return Some("an attribute after the languages that is not capital or an interest");
            }
            if kind < last_kind || (kind == last_kind && kind != SECTOR) {
                return Some("capital or interests out of order");
            }
            last_kind = kind;
            let value = head & 0xFF_FFFF;
            match kind {
                INVEST | DONATE if payload.len() != PAYLOAD || self.range(kind).is_none() => {
                    return Some("a capital range that is not one");
                }
                GOALS if value == 0 || Goals::from_bits(value).is_none() => {
                    return Some("causes that are not Sustainable Development Goals");
                }
                SECTOR => {
                    if Sector::from_index(value as usize).is_none() {
                        return Some("a sector that is not in ISIC Rev.4");
                    }
                    if last_sector.is_some_and(|s| s >= value) {
                        return Some("sectors not in strictly ascending order");
                    }
                    last_sector = Some(value);
                }
                _ => {}
            }
        }
        (seen != self.words.len()).then_some("a capital range cut short")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interests::Goal;

    #[test]
    fn capital_and_interests_round_trip_through_the_words() {
        let capital = Capital {
            invest: UsdRange::new(5_000.0, 50_000.5).ok(),
            donate_per_year: UsdRange::new(0.0, 1e12).ok(),
        };
        let interests = Interests {
            sectors: ["Q86", "A", "01"]
                .iter()
                .filter_map(|c| Sector::parse(c))
                .collect(),
            causes: [3, 6].into_iter().filter_map(Goal::new).collect(),
        };
        let mut out = Vec::new();
        encode(&capital, &interests, &mut out);
        assert_eq!(out.len(), words(&capital, &interests));
        let words = out;
        let e = Extras::new(&words);
        assert_eq!(e.capital(), capital);
        let mut sorted = interests.sectors.clone();
        sorted.sort_unstable();
        assert_eq!(
            e.interests(),
            Interests {
                sectors: sorted,
                ..interests.clone()
            }
        );
        assert_eq!(e.problem(), None);
        // Cut short, out of order, or a goal that does not exist: refused.
        assert!(Extras::new(&words[..3]).problem().is_some());
        let mut swapped = words.clone();
        swapped.swap(0, 5);
        assert!(Extras::new(&swapped).problem().is_some());
        assert!(Extras::new(&[TAG | GOALS | 1 << 17]).problem().is_some());
        assert!(
            Extras::new(&[TAG | SECTOR | 5, TAG | SECTOR | 5])
                .problem()
                .is_some()
        );
        // Nothing given, no words.
        let mut none = Vec::new();
        encode(&Capital::default(), &Interests::default(), &mut none);
        assert!(none.is_empty());
        assert_eq!(Extras::new(&none).capital(), Capital::default());
    }
}
