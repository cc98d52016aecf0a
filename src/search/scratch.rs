//! Per-thread memory of the search, reused across queries.

use std::cell::RefCell;

use crate::index::{Index, or_into};
use crate::util::bitset;

use super::terms::{Kind, Terms};

/// Per-thread memory reused across queries.
#[derive(Default)]
pub(crate) struct Scratch {
    /// Bit `i` is set when profile `i` was already looked at in this query, or cannot be
    /// eligible for the opportunity.
    pub(crate) seen: Vec<u64>,
    /// The profiles the tier being read may yield, and one required tier's profiles.
    pub(crate) filter: Vec<u64>,
    pub(crate) mask: Vec<u64>,
    /// The profiles that can be eligible for the opportunity.
    pub(crate) ok: Vec<u64>,
    /// Profiles of the tier being read that are to be scored, with their bound.
    pub(crate) pending: Vec<(f64, u32, Option<f32>)>,
    /// Profiles of the tier being read that accept the engagement.
    pub(crate) cands: Vec<u32>,
    /// The skills bound of each profile left in `cands` by its head's test.
    pub(crate) bounds: Vec<f64>,
    /// Tiers read into bitsets in this query.
    pub(crate) tier_bits: TierBits,
    /// The profiles the host's search reached.
    pub(crate) reach: Vec<u64>,
    /// The profiles on a language tier, once a tier gives many profiles to test.
    pub(crate) speak: Speakers,
    pub(crate) batch: Vec<u32>,
}

/// The profiles on any of a query's language tiers, as a bitset built once per query when a
/// tier first gives many profiles to test (empty before, or when reading the lists would cost
/// more than reading a quarter of the profiles' ids: then every profile may speak).
#[derive(Default)]
pub(crate) struct Speakers {
    pub(crate) bits: Vec<u64>,
    pub(crate) built: bool,
}

impl Speakers {
    pub(crate) fn clear(&mut self) {
        self.bits.clear();
        self.built = false;
    }

    /// Whether profile `i` may speak one of the query's languages: true wherever the set is
    /// not built.
    #[inline]
    pub(crate) fn may_speak(&self, i: usize) -> bool {
        let (w, bit) = bitset::slot(i);
        self.bits.get(w).is_none_or(|x| x & bit != 0)
    }

    /// Builds the bitset when `profiles` (to be tested next) are many and it is not built.
    pub(crate) fn ensure(
        &mut self,
        terms: &Terms<'_>,
        index: &Index,
        words: usize,
        profiles: usize,
    ) {
        if self.built || profiles < 1024 {
            return;
        }
        self.built = true;
        let languages =
            (0..terms.terms.len()).filter(|&u| matches!(terms.terms[u].kind, Kind::Language(_)));
        let cost: usize = languages
            .clone()
            .flat_map(|u| &terms.terms[u].tiers)
            .map(|t| t.cost)
            .sum();
        if cost == 0 || cost > words * 16 {
            return;
        }
        self.bits.resize(words, 0);
        for u in languages {
            for j in 0..terms.terms[u].tiers.len() {
                terms.read_tier(index, u, j, |part| or_into(&mut self.bits, part));
            }
        }
    }
}

thread_local! {
    pub(crate) static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What a [`HighCounts`](super::counts::HighCounts) counts: a term, its first tier counted and how many tiers from it.
pub(crate) type CountKey = (usize, usize, usize);

/// The tiers of one query read into bitsets, kept for the filters of the later large tiers
/// (which ask for the same region, language and requirement tiers again), and the bit planes
/// of the last [`HighCounts`](super::counts::HighCounts).
#[derive(Default)]
pub(crate) struct TierBits {
    pub(crate) held: Vec<((usize, usize), Vec<u64>)>,
    pub(crate) spare: Vec<Vec<u64>>,
    /// What the last [`HighCounts`](super::counts::HighCounts) counted, and its planes.
    pub(crate) planes: Option<(Vec<CountKey>, Vec<[u64; 4]>)>,
    /// The memory of planes no longer held (half a megabyte at a million profiles).
    pub(crate) spare_planes: Vec<[u64; 4]>,
}

impl TierBits {
    /// Forgets the last query's tiers (keeping their memory).
    pub(crate) fn clear(&mut self) {
        self.spare.extend(self.held.drain(..).map(|e| e.1));
        if let Some((_, planes)) = self.planes.take() {
            self.spare_planes = planes;
        }
    }

    /// Tier `j` of term `u` as a bitset, when it was read already.
    pub(crate) fn peek(&self, u: usize, j: usize) -> Option<&[u64]> {
        self.held
            .iter()
            .find(|e| e.0 == (u, j))
            .map(|e| e.1.as_slice())
    }

    /// Tier `j` of term `u` as a bitset over `words` words.
    pub(crate) fn get(
        &mut self,
        terms: &Terms<'_>,
        index: &Index,
        u: usize,
        j: usize,
        words: usize,
    ) -> &[u64] {
        let k = self.place(terms, index, u, j, words);
        self.at(k)
    }

    /// Where tier `j` of term `u` is held, read into a bitset over `words` words first if it
    /// is not; it stays there until the query ends.
    pub(crate) fn place(
        &mut self,
        terms: &Terms<'_>,
        index: &Index,
        u: usize,
        j: usize,
        words: usize,
    ) -> usize {
        match self.held.iter().position(|e| e.0 == (u, j)) {
            Some(k) => k,
            None => {
                let mut bits = self.spare.pop().unwrap_or_default();
                bits.clear();
                bits.resize(words, 0);
                terms.read_tier(index, u, j, |part| or_into(&mut bits, part));
                self.held.push(((u, j), bits));
                self.held.len() - 1
            }
        }
    }

    /// The bitset held at place `k` ([`TierBits::place`]).
    pub(crate) fn at(&self, k: usize) -> &[u64] {
        self.held.get(k).map_or(&[], |e| e.1.as_slice())
    }
}
