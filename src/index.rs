//! The compiled index: postings per skill, origin country and language, and the exact top-k
//! search over them.
//!
//! # Postings
//!
//! Each list holds the sorted ids of the profiles with one skill (or origin country, or
//! language), delta-encoded as LEB128 varints: a skill held by a third of a million people
//! costs about one byte per holder. Lists built with the index are *main* lists; profiles
//! added or replaced later go to small sorted *delta* lists beside them, and are taken out of
//! the main lists, so every profile sits in exactly one of the two. [`Postings::remove`]
//! re-encodes a main list without an id in place (a list never grows when an id leaves it).
//!
//! # Search
//!
//! The search is a generalised *MaxScore*. Each part of the score that can only be positive
//! for profiles on some lists becomes a *term*: each skill requirement (its tiers are the
//! related skills grouped by the credit their relation gives), the origin region (countries
//! grouped by closeness), each language asked for, and the network (the profiles the host's
//! search reached). For profiles not seen on any list taken so far, every term is bounded by
//! the best tier it has left, and the total by the weighted mean of those bounds over the
//! components that might apply ([`Bounds`]). The search takes tiers one at a time, the one
//! that lowers that bound the most per posting first, scores every new profile on them
//! exactly, and stops as soon as the bound falls below the current `k`-th score (or no
//! unseen profile can pass a must-have requirement). Every profile that could still enter
//! the top `k` has then been scored by the same arithmetic as the brute-force scorer, so the
//! result is the same list in the same order with the same scores.
//!
//! The profiles of a tier pass through sieves, each a bound that never cuts a profile that
//! could still beat the `k`-th score, the cheap ones first:
//!
//! 1. bitsets of whole tiers: the engagement and must-have masks; tiers of other terms that
//!    a profile must also be on (`Terms::required_with`: one term's best tiers, a component
//!    or its absence, or the union of the region's, languages' and network's best tiers);
//! 2. for a large tier (over a 64th of the profiles), word by word ([`HighCounts`]): a
//!    bit-sliced count of the other requirements' best unread tier and best two each profile
//!    is on, against the least count its *pattern* needs (which components apply to it,
//!    whether the host's search reached it, whether it speaks an asked language:
//!    [`PATTERNS`]). Before such a tier is walked, its profiles on the region's and
//!    languages' best tiers and on the most counted tiers are scored first, to raise the
//!    `k`-th score (seeding), unless `k` profiles are held, the tier ends the search and the
//!    counts already cut some of its profiles;
//! 3. each profile's 32-byte head alone: its 64-bit skill signature (the 40 most held skills
//!    have a bit each, the rest share the others: `SignatureBits`) against the unread
//!    requirement tiers, in fixed-point integers, against its pattern's need
//!    ([`Signatures`]). A head is prefetched when the walk keeps its profile (and each batch
//!    prefetches the next batch's), so the heads' cache misses overlap with the walk and the
//!    tests instead of stalling them;
//! 4. a cheap bound from its origins and languages (skills still by the signature);
//! 5. the exact score, best bound first.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::error::Result;
use crate::geo::Regions;
use crate::id::{NodeId, SkillId};
use crate::model::{Engagement, Opportunity};
use crate::network::{Network, Strengths};
use crate::score::{MatchConfig, Scorer, SkillTable, Target};
use crate::store::ProfileStore;
use crate::taxonomy::Taxonomy;
use crate::topk::TopK;

/// Profiles whose data is loaded together before they are scored exactly (their cache misses
/// then overlap); twice as many for the cheap bound, four times for the heads' test.
const BATCH: usize = 32;

/// Safety margin for pruning: a profile is skipped only when its bound is below the `k`-th
/// score by more than this, far above the rounding error of an `f32` weighted mean.
const MARGIN: f64 = 1e-5;

/// Tiers with at least a 64th of the profiles, and at least this many, are counted on the
/// other requirements' best tiers word by word ([`HighCounts`]) before any profile is looked
/// at.
const BIG: usize = 64;

/// Sorted profile ids per key (skill, country or language), delta-varint encoded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    /// Byte offset of each main list; list `i` has room up to `starts[i + 1]`.
    starts: Vec<u64>,
    /// Bytes in use per main list.
    used: Vec<u32>,
    /// Ids per main list.
    counts: Vec<u32>,
    bytes: Vec<u8>,
    /// Per main list: its bitset's number in `bits`, or [`SPARSE`] for a varint list. A list
    /// holding more than one profile in eight is a bitset: smaller than its varints, and read
    /// 64 profiles at a time.
    dense: Vec<u32>,
    bits: Vec<u64>,
    /// Words per bitset.
    words: usize,
    /// Ids added after the build, per list, sorted.
    delta: HashMap<u32, Vec<u32>>,
    delta_len: usize,
}

/// A piece of a list: one id, or a whole bitset.
#[derive(Clone, Copy)]
enum Part<'a> {
    Id(u32),
    Bits(&'a [u64]),
}

/// Marks a varint list in [`Postings::dense`].
const SPARSE: u32 = u32::MAX;

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Calls `f` with the position of every set bit.
#[cfg(test)]
fn for_each_bit(bits: &[u64], mut f: impl FnMut(u32)) {
    for (w, &word) in bits.iter().enumerate() {
        ids_in(w, word).for_each(&mut f);
    }
}

/// The positions of the set bits of `x`, lowest first.
#[inline]
fn set_bits(mut x: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        (x != 0).then(|| {
            let b = x.trailing_zeros();
            x &= x - 1;
            b
        })
    })
}

/// The ids of the set bits of word `w` of a bitset.
#[inline]
fn ids_in(w: usize, x: u64) -> impl Iterator<Item = u32> {
    set_bits(x).map(move |b| w as u32 * 64 + b)
}

/// Decodes a main list's ids, calling `f` for each.
#[inline]
fn decode(bytes: &[u8], mut f: impl FnMut(u32)) {
    let (mut i, mut cur) = (0usize, 0u32);
    while i < bytes.len() {
        let mut b = bytes[i];
        i += 1;
        let mut v = u32::from(b & 0x7F);
        let mut shift = 7;
        while b & 0x80 != 0 && i < bytes.len() {
            b = bytes[i];
            i += 1;
            v |= u32::from(b & 0x7F) << shift;
            shift += 7;
        }
        cur = cur.wrapping_add(v);
        f(cur);
    }
}

impl Postings {
    /// Builds `lists` lists over `n` profiles from `(key, id)` pairs given in increasing id
    /// order.
    fn build(lists: usize, n: usize, pairs: impl Fn(&mut dyn FnMut(usize, u32))) -> Postings {
        let mut counts = vec![0u32; lists];
        pairs(&mut |key, _| counts[key] += 1);
        let words = n.div_ceil(64);
        let mut dense = vec![SPARSE; lists];
        let mut slots = 0u32;
        for (d, &c) in dense.iter_mut().zip(&counts) {
            if c as usize * 8 > n && n >= 1024 {
                *d = slots;
                slots += 1;
            }
        }
        let mut bits = vec![0u64; slots as usize * words];
        let mut offsets = Vec::with_capacity(lists + 1);
        let mut total = 0usize;
        for (&c, &d) in counts.iter().zip(&dense) {
            offsets.push(total);
            if d == SPARSE {
                total += c as usize;
            }
        }
        offsets.push(total);
        let mut ids = vec![0u32; total];
        let mut fill = offsets.clone();
        pairs(&mut |key, id| {
            if dense[key] == SPARSE {
                ids[fill[key]] = id;
                fill[key] += 1;
            } else {
                let w = dense[key] as usize * words + id as usize / 64;
                bits[w] |= 1 << (id % 64);
            }
        });
        let mut bytes = Vec::with_capacity(total + total / 2);
        let mut starts = Vec::with_capacity(lists + 1);
        let mut used = Vec::with_capacity(lists);
        for l in 0..lists {
            let start = bytes.len();
            starts.push(start as u64);
            let mut prev = 0;
            for &id in &ids[offsets[l]..offsets[l + 1]] {
                put_varint(&mut bytes, id - prev);
                prev = id;
            }
            used.push((bytes.len() - start) as u32);
        }
        starts.push(bytes.len() as u64);
        bytes.shrink_to_fit();
        Postings {
            starts,
            used,
            counts,
            bytes,
            dense,
            bits,
            words,
            delta: HashMap::new(),
            delta_len: 0,
        }
    }

    /// The bitset of a dense main list.
    #[inline]
    fn bitset(&self, key: usize) -> Option<&[u64]> {
        let d = *self.dense.get(key)?;
        (d != SPARSE).then(|| &self.bits[d as usize * self.words..(d as usize + 1) * self.words])
    }

    /// Calls `f` with every id of a varint main list and of the delta list, and with the
    /// bitset of a dense main list.
    #[inline]
    fn read(&self, key: usize, mut f: impl FnMut(Part<'_>)) {
        match self.bitset(key) {
            Some(b) => f(Part::Bits(b)),
            None => {
                if let Some(&start) = self.starts.get(key) {
                    let start = start as usize;
                    decode(&self.bytes[start..start + self.used[key] as usize], |x| {
                        f(Part::Id(x))
                    });
                }
            }
        }
        if let Some(d) = self.delta.get(&(key as u32)) {
            d.iter().for_each(|&x| f(Part::Id(x)));
        }
    }

    /// The bitset of dense list `key` when it has no delta entries (then it is the whole
    /// list).
    fn clean_bitset(&self, key: usize) -> Option<&[u64]> {
        self.bitset(key)
            .filter(|_| self.delta.get(&(key as u32)).is_none_or(Vec::is_empty))
    }

    /// Work to read list `key` into a bitset.
    fn cost(&self, key: usize) -> usize {
        match self.bitset(key) {
            Some(_) => self.words + self.delta.get(&(key as u32)).map_or(0, Vec::len),
            None => self.len(key),
        }
    }

    /// Number of ids on list `key`.
    fn len(&self, key: usize) -> usize {
        self.counts.get(key).map_or(0, |&c| c as usize)
            + self.delta.get(&(key as u32)).map_or(0, Vec::len)
    }

    /// Calls `f` with every id on list `key`: the main list in order, then the delta list.
    #[cfg(test)]
    fn for_each(&self, key: usize, mut f: impl FnMut(u32)) {
        self.read(key, |part| match part {
            Part::Id(x) => f(x),
            Part::Bits(bits) => for_each_bit(bits, &mut f),
        });
    }

    /// Takes `id` off list `key` (main or delta). Returns whether it was there.
    fn remove(&mut self, key: usize, id: u32) -> bool {
        if let Some(d) = self.delta.get_mut(&(key as u32))
            && let Ok(i) = d.binary_search(&id)
        {
            d.remove(i);
            self.delta_len -= 1;
            if d.is_empty() {
                self.delta.remove(&(key as u32));
            }
            return true;
        }
        if let Some(d) = self.dense.get(key).copied().filter(|&d| d != SPARSE) {
            let w = d as usize * self.words + id as usize / 64;
            let bit = 1u64 << (id % 64);
            if id as usize / 64 >= self.words || self.bits[w] & bit == 0 {
                return false;
            }
            self.bits[w] &= !bit;
            self.counts[key] -= 1;
            return true;
        }
        let Some(&start) = self.starts.get(key) else {
            return false;
        };
        let start = start as usize;
        let end = start + self.used[key] as usize;
        let mut ids = Vec::with_capacity(self.counts[key] as usize);
        decode(&self.bytes[start..end], |x| ids.push(x));
        let Ok(i) = ids.binary_search(&id) else {
            return false;
        };
        ids.remove(i);
        let mut enc = Vec::with_capacity(end - start);
        let mut prev = 0;
        for &x in &ids {
            put_varint(&mut enc, x - prev);
            prev = x;
        }
        // Removing an id merges two gaps into one, which never takes more bytes.
        self.bytes[start..start + enc.len()].copy_from_slice(&enc);
        self.bytes[start + enc.len()..end].fill(0);
        self.used[key] = enc.len() as u32;
        self.counts[key] -= 1;
        true
    }

    /// Puts `id` on the delta list `key`.
    fn insert(&mut self, key: usize, id: u32) {
        let d = self.delta.entry(key as u32).or_default();
        if let Err(i) = d.binary_search(&id) {
            d.insert(i, id);
            self.delta_len += 1;
        }
    }

    fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 8
            + self.used.capacity() * 4
            + self.counts.capacity() * 4
            + self.bytes.capacity()
            + self.dense.capacity() * 4
            + self.bits.capacity() * 8
            + self
                .delta
                .values()
                .map(|d| d.capacity() * 4 + 32)
                .sum::<usize>()
    }

    /// Whether any list holds `id`.
    #[cfg(test)]
    fn holds(&self, id: u32) -> bool {
        (0..self.counts.len()).any(|k| {
            let mut found = false;
            self.for_each(k, |x| found |= x == id);
            found
        })
    }
}

/// Profiles and the postings that find them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    pub(crate) store: ProfileStore,
    skills: Postings,
    countries: Postings,
    languages: Postings,
    /// Per engagement kind, a bitset of the profiles that accept it.
    engaged: Vec<Vec<u64>>,
    /// Per opportunity host: the profiles its network search reached, sorted by id, with the
    /// strength of the strongest path.
    reached: HashMap<NodeId, Vec<(u32, f32)>>,
    /// Per skill, the opportunities with a requirement the skill gives credit to; for
    /// [`Index::opportunities_for`].
    opportunity_skills: Vec<Vec<u32>>,
    /// Per opportunity, the most it can score for a person who holds none of its skills.
    opportunity_floor: Vec<f32>,
}

/// Per-thread memory reused across queries.
#[derive(Default)]
struct Scratch {
    /// Bit `i` is set when profile `i` was already looked at in this query, or cannot be
    /// eligible for the opportunity.
    seen: Vec<u64>,
    /// The profiles the tier being read may yield, and one required tier's profiles.
    filter: Vec<u64>,
    mask: Vec<u64>,
    /// The profiles that can be eligible for the opportunity.
    ok: Vec<u64>,
    /// Profiles of the tier being read that are to be scored, with their bound.
    pending: Vec<(f64, u32, Option<f32>)>,
    /// Profiles of the tier being read that accept the engagement.
    cands: Vec<u32>,
    /// The skills bound of each profile left in `cands` by its head's test.
    bounds: Vec<f64>,
    /// Tiers read into bitsets in this query.
    tier_bits: TierBits,
    /// The profiles the host's search reached.
    reach: Vec<u64>,
    /// The profiles on a language tier, once a tier gives many profiles to test.
    speak: Speakers,
    batch: Vec<u32>,
}

/// The profiles on any of a query's language tiers, as a bitset built once per query when a
/// tier first gives many profiles to test (empty before, or when reading the lists would cost
/// more than reading a quarter of the profiles' ids: then every profile may speak).
#[derive(Default)]
struct Speakers {
    bits: Vec<u64>,
    built: bool,
}

impl Speakers {
    fn clear(&mut self) {
        self.bits.clear();
        self.built = false;
    }

    /// Builds the bitset when `profiles` (to be tested next) are many and it is not built.
    fn ensure(&mut self, terms: &Terms<'_>, index: &Index, words: usize, profiles: usize) {
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
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What a [`HighCounts`] counts: a term, its first tier counted and how many tiers from it.
type CountKey = (usize, usize, usize);

/// The tiers of one query read into bitsets, kept for the filters of the later large tiers
/// (which ask for the same region, language and requirement tiers again), and the bit planes
/// of the last [`HighCounts`].
#[derive(Default)]
struct TierBits {
    held: Vec<((usize, usize), Vec<u64>)>,
    spare: Vec<Vec<u64>>,
    /// What the last [`HighCounts`] counted, and its planes.
    planes: Option<(Vec<CountKey>, Vec<[u64; 4]>)>,
    /// The memory of planes no longer held (half a megabyte at a million profiles).
    spare_planes: Vec<[u64; 4]>,
}

impl TierBits {
    /// Forgets the last query's tiers (keeping their memory).
    fn clear(&mut self) {
        self.spare.extend(self.held.drain(..).map(|e| e.1));
        if let Some((_, planes)) = self.planes.take() {
            self.spare_planes = planes;
        }
    }

    /// Tier `j` of term `u` as a bitset, when it was read already.
    fn peek(&self, u: usize, j: usize) -> Option<&[u64]> {
        self.held
            .iter()
            .find(|e| e.0 == (u, j))
            .map(|e| e.1.as_slice())
    }

    /// Tier `j` of term `u` as a bitset over `words` words.
    fn get(
        &mut self,
        terms: &Terms<'_>,
        index: &Index,
        u: usize,
        j: usize,
        words: usize,
    ) -> &[u64] {
        let k = match self.held.iter().position(|e| e.0 == (u, j)) {
            Some(k) => k,
            None => {
                let mut bits = self.spare.pop().unwrap_or_default();
                bits.clear();
                bits.resize(words, 0);
                terms.read_tier(index, u, j, |part| or_into(&mut bits, part));
                self.held.push(((u, j), bits));
                self.held.len() - 1
            }
        };
        self.held.get(k).map_or(&[], |e| e.1.as_slice())
    }
}

/// The key of a profile's lists in the three postings.
struct Keys {
    skills: Vec<usize>,
    countries: Vec<usize>,
    languages: Vec<usize>,
}

fn keys(store: &ProfileStore, i: usize) -> Keys {
    let v = store.view(i);
    Keys {
        skills: v.skills.iter().map(|&s| usize::from(s)).collect(),
        countries: distinct(v.origins().map(|o| o.country.index())),
        languages: distinct(v.languages().map(|l| l.language.index())),
    }
}

/// The distinct values, sorted: a profile is listed once per country and language, however
/// often it names them.
fn distinct(values: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = values.collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Everything the index needs besides the profiles.
pub(crate) struct Context<'a> {
    pub(crate) config: &'a MatchConfig,
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
    pub(crate) languages: usize,
    pub(crate) opportunities: &'a [Opportunity],
    pub(crate) host_strengths: &'a HashMap<NodeId, Strengths>,
}

impl Index {
    /// Builds the postings over a compiled store.
    pub(crate) fn build(store: ProfileStore, cx: &Context<'_>) -> Index {
        let n = store.len();
        let st = &store;
        let build_skills = || {
            Postings::build(cx.taxonomy.len(), n, |f| {
                for i in 0..n {
                    for &s in st.view(i).skills {
                        f(usize::from(s), i as u32);
                    }
                }
            })
        };
        let build_countries = || {
            Postings::build(cx.regions.len(), n, |f| {
                for i in 0..n {
                    for c in distinct(st.view(i).origins().map(|o| o.country.index())) {
                        f(c, i as u32);
                    }
                }
            })
        };
        let build_languages = || {
            Postings::build(cx.languages, n, |f| {
                for i in 0..n {
                    for l in distinct(st.view(i).languages().map(|l| l.language.index())) {
                        f(l, i as u32);
                    }
                }
            })
        };
        #[cfg(feature = "rayon")]
        let (skills, (countries, languages)) = rayon::join(build_skills, || {
            rayon::join(build_countries, build_languages)
        });
        #[cfg(not(feature = "rayon"))]
        let (skills, countries, languages) = (build_skills(), build_countries(), build_languages());
        let words = n.div_ceil(64);
        let mut engaged = vec![vec![0u64; words]; Engagement::ALL.len()];
        for i in 0..n {
            for e in st.engagements(i).iter() {
                engaged[e as usize][i / 64] |= 1 << (i % 64);
            }
        }
        let mut index = Index {
            store,
            skills,
            countries,
            languages,
            engaged,
            ..Index::default()
        };
        index.refresh_network(cx);
        index.refresh_opportunities(cx);
        index
    }

    /// Recomputes the per-host lists of reached profiles.
    pub(crate) fn refresh_network(&mut self, cx: &Context<'_>) {
        // The profile of each network node (u32::MAX for the others).
        let nodes = (0..self.store.len())
            .filter_map(|i| self.store.view(i).node)
            .map(|n| n.index() + 1)
            .max()
            .unwrap_or(0);
        let mut profile_of: Vec<u32> = vec![u32::MAX; nodes];
        for i in 0..self.store.len() {
            if let Some(n) = self.store.view(i).node
                && let Some(slot) = profile_of.get_mut(n.index())
            {
                *slot = i as u32;
            }
        }
        self.reached = cx
            .host_strengths
            .iter()
            .map(|(&h, s)| {
                let mut list: Vec<(u32, f32)> = s
                    .iter()
                    .filter(|e| e.1 > 0.0)
                    .filter_map(|(n, v)| {
                        profile_of
                            .get(n.index())
                            .filter(|&&p| p != u32::MAX)
                            .map(|&p| (p, v))
                    })
                    .collect();
                list.sort_unstable_by_key(|e| e.0);
                (h, list)
            })
            .collect();
    }

    /// Recomputes the opportunity-side index.
    pub(crate) fn refresh_opportunities(&mut self, cx: &Context<'_>) {
        let mut per_skill: Vec<Vec<u32>> = vec![Vec::new(); cx.taxonomy.len()];
        let mut floor = Vec::with_capacity(cx.opportunities.len());
        for (j, o) in cx.opportunities.iter().enumerate() {
            let mut related: Vec<SkillId> = Vec::new();
            for r in &o.requirements {
                expand(
                    cx.taxonomy,
                    r.skill,
                    cx.config.relatedness.max_hops,
                    |s, _| related.push(s),
                );
            }
            related.sort_unstable();
            related.dedup();
            for s in related {
                per_skill[s.index()].push(j as u32);
            }
            let mut b = Bounds::new(cx.config, o);
            b.skills = 0.0;
            b.region = 1.0;
            b.network = 1.0;
            b.language = 1.0;
            floor.push(b.total() as f32);
        }
        self.opportunity_skills = per_skill;
        self.opportunity_floor = floor;
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.store.heap_bytes() + self.postings_bytes()
    }

    /// Bytes of the three postings.
    pub(crate) fn postings_bytes(&self) -> usize {
        self.skills.heap_bytes() + self.countries.heap_bytes() + self.languages.heap_bytes()
    }

    /// Ids in delta lists: what [`Index::compact`] would fold into the main lists.
    pub(crate) fn pending(&self) -> usize {
        self.skills.delta_len + self.countries.delta_len + self.languages.delta_len
    }

    /// Calls `f` with each postings list of profile `i`'s keys (skills, countries,
    /// languages) and the key.
    fn each_list(&mut self, i: usize, mut f: impl FnMut(&mut Postings, usize)) {
        let k = keys(&self.store, i);
        k.skills.into_iter().for_each(|s| f(&mut self.skills, s));
        k.countries
            .into_iter()
            .for_each(|c| f(&mut self.countries, c));
        k.languages
            .into_iter()
            .for_each(|l| f(&mut self.languages, l));
    }

    fn unlist(&mut self, i: usize) {
        self.each_list(i, |postings, key| {
            postings.remove(key, i as u32);
        });
        for set in &mut self.engaged {
            if let Some(w) = set.get_mut(i / 64) {
                *w &= !(1 << (i % 64));
            }
        }
    }

    fn list(&mut self, i: usize) {
        self.each_list(i, |postings, key| postings.insert(key, i as u32));
        let v = self.store.view(i);
        for e in v.engagements.iter() {
            let set = &mut self.engaged[e as usize];
            if set.len() <= i / 64 {
                set.resize(i / 64 + 1, 0);
            }
            set[i / 64] |= 1 << (i % 64);
        }
    }

    /// Appends a profile (compiled by the caller into the store) to the postings.
    pub(crate) fn add(&mut self, p: &crate::model::Profile, network: &Network) -> Result<u32> {
        let id = self.store.len() as u32;
        self.store.add(p, network)?;
        self.list(id as usize);
        Ok(id)
    }

    /// Replaces profile `id`.
    pub(crate) fn replace(
        &mut self,
        id: u32,
        p: &crate::model::Profile,
        network: &Network,
    ) -> Result<()> {
        self.unlist(id as usize);
        self.store.replace(id, p, network)?;
        self.list(id as usize);
        Ok(())
    }

    /// Erases profile `id` from the store and every list.
    pub(crate) fn erase(&mut self, id: u32) -> Result<()> {
        self.unlist(id as usize);
        for list in self.reached.values_mut() {
            list.retain(|e| e.0 != id);
        }
        self.store.erase(id)
    }

    /// Rebuilds the main lists and the store from the current profiles.
    pub(crate) fn compact(&mut self, cx: &Context<'_>) -> Result<()> {
        let mut store = std::mem::take(&mut self.store);
        store.compact()?;
        *self = Index::build(store, cx);
        Ok(())
    }

    /// Whether compaction is due: replaced or added profiles make up more than a sixteenth.
    pub(crate) fn compaction_due(&self) -> bool {
        let n = self.store.len().max(1);
        self.pending() > 4096.max(n / 16) || self.store.garbage() > 4096.max(n)
    }

    /// Whether any structure still refers to profile `id`.
    #[cfg(test)]
    pub(crate) fn refers_to(&self, id: u32) -> bool {
        self.skills.holds(id)
            || self.countries.holds(id)
            || self.languages.holds(id)
            || self.reached.values().any(|l| l.iter().any(|e| e.0 == id))
            || self.engaged.iter().any(|set| {
                set.get(id as usize / 64)
                    .is_some_and(|w| w & (1 << (id % 64)) != 0)
            })
            || self.store.holds_anything(id as usize)
    }

    /// The exact top `k` profiles for an opportunity, as the brute-force scorer ranks them.
    pub(crate) fn top_k(
        &self,
        cx: &Context<'_>,
        scorer: &Scorer<'_>,
        target: &Target<'_>,
        k: usize,
    ) -> TopK<crate::score::Components> {
        let mut top = TopK::new(k);
        if k == 0 || self.store.len() == 0 {
            return top;
        }
        let o = target.opportunity;
        let table = SkillTable::new(scorer, o, self.skills_listed());
        let steps = region_steps(cx, o);
        let mut terms = Terms::new(self, cx, o, &table, &steps);
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            let n = self.store.len();
            let words = n.div_ceil(64);
            s.seen.clear();
            s.seen.resize(words, 0);
            let Scratch {
                seen,
                filter,
                mask,
                ok,
                pending,
                cands,
                bounds,
                tier_bits,
                reach,
                speak,
                batch,
            } = &mut *s;
            pending.clear();
            cands.clear();
            // The profiles that can be eligible: they accept the engagement and are on a
            // tier that can meet every must-have requirement (when reading those is cheap).
            ok.clear();
            ok.extend_from_slice(&self.engaged[o.engagement as usize]);
            ok.resize(words, 0);
            for t in 0..terms.terms.len() {
                let Kind::Requirement(i) = terms.terms[t].kind else {
                    continue;
                };
                if !o.requirements[i].must {
                    continue;
                }
                let tiers = &terms.terms[t].tiers;
                let cost: usize = tiers
                    .iter()
                    .filter(|x| x.must)
                    .map(|x| x.cost.max(x.postings))
                    .sum();
                if cost > 4 * words + n / 4 {
                    continue;
                }
                mask.clear();
                mask.resize(words, 0);
                for j in (0..tiers.len()).filter(|&j| tiers[j].must) {
                    terms.read_tier(self, t, j, |part| or_into(mask, part));
                }
                for (a, m) in ok.iter_mut().zip(mask.iter()) {
                    *a &= m;
                }
            }
            // The ineligible are taken as seen: no walk gives them, and no walk needs to read
            // the eligibility mask.
            for (s, a) in seen.iter_mut().zip(ok.iter()) {
                *s = !a;
            }
            tier_bits.clear();
            // Whom the host's search reached, for the heads' test: the others' network
            // component is 0.
            reach.clear();
            if !terms.reached.is_empty() {
                reach.resize(words, 0);
                for &(i, _) in terms.reached {
                    or_into(reach, Part::Id(i));
                }
            }
            speak.clear();
            let mut best = vec![0f32; o.requirements.len()];
            let mut met = vec![false; o.requirements.len()];
            let window = o.window.map(|w| [w.from().days(), w.to().days()]);
            let quick = Quick::new(cx, o, &steps, terms.reached);
            let threshold = |top: &TopK<_>| {
                if top.is_full() {
                    f64::from(top.worst_score().unwrap_or(0.0))
                } else {
                    f64::from(cx.config.min_score)
                }
            };
            // A profile not looked at before that passed its head's test: kept for exact
            // scoring when its cheap bound (skills by the signature, everything else exact)
            // can still beat the k-th score.
            let fresh = |i: u32,
                         skills_bound: f64,
                         limit: f64,
                         pending: &mut Vec<(f64, u32, Option<f32>)>| {
                let iu = i as usize;
                if let (Some(a), Some(b)) = (self.store.window_days(iu), window)
                    && !(a[0] <= b[1] && b[0] <= a[1])
                {
                    return;
                }
                let p = self.store.view(iu);
                // The reached list is searched only for those the bitset says it holds.
                let reached = reach
                    .get(iu / 64)
                    .is_some_and(|w| w & (1 << (iu % 64)) != 0);
                let network = quick.network(i, reached);
                let q = quick.bound(&p, network, skills_bound);
                if q + MARGIN >= limit {
                    pending.push((q, i, network));
                }
            };
            // Scores the profiles gathered from a tier: first from their heads alone (skill
            // signature and which components apply: most profiles of a large tier end here,
            // without their skills or attributes being read), then the cheap bound for many
            // profiles at once (their loads overlap), then, best bound first (the k-th score
            // rises fastest and the rest are cut), exactly.
            let mut flush = |cands: &mut Vec<u32>,
                             bounds: &mut Vec<f64>,
                             (reach, speak): (&[u64], &[u64]),
                             pending: &mut Vec<(f64, u32, Option<f32>)>,
                             sigs: &Signatures,
                             limit: f64,
                             top: &mut TopK<_>| {
                let mut kept = 0;
                bounds.clear();
                // Heads are read a batch at a time, apart from the test: their loads then
                // overlap instead of waiting one by one behind the test's work.
                let mut heads = [0u64; 4 * BATCH];
                for start in (0..cands.len()).step_by(4 * BATCH) {
                    let end = (start + 4 * BATCH).min(cands.len());
                    // The next batch's heads start loading while this one is tested.
                    for &i in cands
                        .get(end..(end + 4 * BATCH).min(cands.len()))
                        .unwrap_or(&[])
                    {
                        self.store.prefetch_head(i as usize);
                    }
                    for (h, &i) in heads.iter_mut().zip(&cands[start..end]) {
                        *h = self.store.signature(i as usize);
                    }
                    for (c, &sig) in (start..end).zip(&heads) {
                        let i = cands[c] as usize;
                        let (w, bit) = (i / 64, i % 64);
                        let pattern = reach.get(w).map_or(0, |x| (x >> bit) as usize & 1)
                            | (speak.get(w).map_or(1, |x| (x >> bit) as usize & 1) << 1);
                        if let Some(b) = sigs.admits(sig, pattern) {
                            cands[kept] = cands[c];
                            bounds.push(b);
                            kept += 1;
                        }
                    }
                }
                cands.truncate(kept);
                for (chunk, b) in cands.chunks(2 * BATCH).zip(bounds.chunks(2 * BATCH)) {
                    std::hint::black_box(self.store.touch_attrs(chunk));
                    for (&i, &b) in chunk.iter().zip(b) {
                        fresh(i, b, limit, pending);
                    }
                }
                cands.clear();
                pending.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                'exact: for chunk in pending.chunks(BATCH) {
                    batch.clear();
                    batch.extend(chunk.iter().map(|e| e.1));
                    std::hint::black_box(self.store.touch(batch));
                    for &(q, i, network) in chunk {
                        if q + MARGIN < threshold(top) {
                            break 'exact;
                        }
                        let p = self.store.view(i as usize);
                        if let Some((score, c)) =
                            scorer.score_table(&p, target, &table, network, (&mut best, &mut met))
                        {
                            top.push(score, i, c);
                        }
                    }
                }
                pending.clear();
            };
            loop {
                let limit = threshold(&top);
                let bound = terms.bound();
                if bound <= 0.0 || bound + MARGIN < limit {
                    break;
                }
                let Some((term, tier)) = terms.next_tier(limit, top.is_full()) else {
                    break;
                };
                let postings = terms.terms[term].tiers[tier].postings;
                // A large tier: its profiles are counted on the best tiers of the other
                // requirements, word by word.
                let mut counts = if postings >= (n / 64).max(BIG) {
                    terms.high_counts(self, term, 2 * words, words, tier_bits)
                } else {
                    None
                };
                let mut limit = limit;
                let finishing = {
                    let after = terms.bound_with(Some(term));
                    after <= 0.0 || after + MARGIN < limit
                };
                // Pattern bits that every profile shares: nobody reached, nobody known to
                // speak or not.
                let fixed = |speak: &Speakers| {
                    [
                        reach.is_empty().then_some(false),
                        speak.bits.is_empty().then_some(true),
                    ]
                };
                // A tier that ends the search once k profiles are held is seeded only when
                // the counts cut nothing at the current limit (its walk would keep every
                // profile on it): otherwise the walk keeps few and the seed's reads are lost.
                let seed = match counts.as_mut() {
                    Some(c) if top.is_full() && finishing => {
                        c.set_needs(&terms.needs(limit), fixed(speak));
                        c.active.first().is_some_and(|a| a.0 == 0)
                    }
                    Some(_) => true,
                    None => false,
                };
                if let Some(counts) = counts.as_ref().filter(|_| seed) {
                    // First, to raise the limit, the profiles of the tier that are likeliest
                    // to be at the top: on the best unread tiers
                    // of the region and the languages and on the most requirements' best
                    // tiers, enough to fill the top k thrice over, as some will not be
                    // eligible (conditions dropped, the least weighty first, until there are).
                    mask.clear();
                    let on_tier = terms.bitset(self, tier_bits, term, tier, words);
                    mask.extend(
                        (0..words).map(|w| on_tier.get(w).copied().unwrap_or(0) & !seen[w]),
                    );
                    let conditions = terms.seed_terms(term, (2 * words).max(n / 8));
                    for keep in (0..=conditions.len()).rev() {
                        filter.clear();
                        filter.extend_from_slice(mask);
                        for &u in &conditions[..keep] {
                            let bits = terms.bitset(self, tier_bits, u, terms.terms[u].next, words);
                            for (f, e) in filter.iter_mut().zip(bits) {
                                *f &= e;
                            }
                        }
                        // How many profiles are on at least c counted tiers, for every c,
                        // estimated from every fourth word (it only picks how many to seed;
                        // a full count cost as much as the seed's scoring).
                        let mut found = [0usize; 17];
                        for (w, &f) in filter.iter().enumerate().step_by(4) {
                            for b in set_bits(f) {
                                found[counts.count(w, b)] += 4;
                            }
                        }
                        for c in (0..16).rev() {
                            found[c] += found[c + 1];
                        }
                        let Some(c) = (0..=counts.most())
                            .rev()
                            .find(|&c| found[c as usize] >= k.saturating_mul(3))
                        else {
                            continue;
                        };
                        for w in 0..words {
                            let cand = filter[w] & counts.at_least(w, c);
                            seen[w] |= cand;
                            cands.extend(ids_in(w, cand));
                        }
                        let sigs = terms.signatures(limit);
                        speak.ensure(&terms, self, words, cands.len());
                        flush(
                            cands,
                            bounds,
                            (reach, &speak.bits),
                            pending,
                            &sigs,
                            limit,
                            &mut top,
                        );
                        limit = threshold(&top);
                        break;
                    }
                }
                // Taken before the tier is marked read: its profiles are on it.
                let sigs = terms.signatures(limit);
                // Profiles on this tier that cannot be on the tiers it requires of other
                // terms cannot beat the threshold: a bitset of the required ones filters them.
                let required = if top.is_full() {
                    terms.required_with(term, limit, postings.max(4096))
                } else {
                    Vec::new()
                };
                let filtered = !required.is_empty();
                if filtered {
                    filter.clear();
                    filter.resize(words, u64::MAX);
                    for group in required {
                        let tiers: Vec<(usize, usize)> = group
                            .into_iter()
                            .flat_map(|(u, r)| r.map(move |j| (u, j)))
                            .collect();
                        // A dense list is read in place; a group of one tier is not copied.
                        if let [(u, j)] = tiers[..] {
                            let bits = terms.bitset(self, tier_bits, u, j, words);
                            for (f, b) in filter.iter_mut().zip(bits) {
                                *f &= b;
                            }
                            continue;
                        }
                        mask.clear();
                        mask.resize(words, 0);
                        for (u, j) in tiers {
                            let bits = terms.bitset(self, tier_bits, u, j, words);
                            for (m, b) in mask.iter_mut().zip(bits) {
                                *m |= b;
                            }
                        }
                        for (f, m) in filter.iter_mut().zip(mask.iter()) {
                            *f &= m;
                        }
                    }
                }
                // The counts' filter is applied word by word as the tier is walked (only
                // where it has profiles left).
                if let Some(counts) = counts.as_mut() {
                    counts.set_needs(&terms.needs(limit), fixed(speak));
                }
                // A counted tier is walked as a bitset, so that the counts' test runs once per
                // word, not once per profile.
                if counts.is_some() && terms.dense_tier(self, term, tier).is_none() {
                    tier_bits.get(&terms, self, term, tier, words);
                }
                let counted = counts.as_ref();
                let filter: &[u64] = if filtered { filter } else { &[] };
                let filter_at = |w: usize| if filtered { filter[w] } else { u64::MAX };
                let keep = |w: usize| match counted {
                    Some(c) => c.keep(
                        w,
                        [
                            reach.get(w).copied().unwrap_or(0),
                            speak.bits.get(w).copied().unwrap_or(u64::MAX),
                        ],
                    ),
                    None => u64::MAX,
                };
                // A counted tier comes as a bitset and is walked word by word, with one branch
                // per word on the filter's verdict: the counts' test runs where that leaves
                // profiles.
                let mut visit = |part: Part<'_>| match part {
                    Part::Id(i) => {
                        let (w, bit) = (i as usize / 64, 1u64 << (i % 64));
                        if seen[w] & bit != 0 {
                            return;
                        }
                        seen[w] |= bit;
                        if filter_at(w) & bit != 0 && keep(w) & bit != 0 {
                            self.store.prefetch_head(i as usize);
                            cands.push(i);
                        }
                    }
                    Part::Bits(bits) => {
                        for ((w, &b), s) in bits.iter().enumerate().zip(seen.iter_mut()) {
                            let new = b & !*s;
                            *s |= new;
                            let cand = new & filter_at(w);
                            if cand != 0 {
                                for i in ids_in(w, cand & keep(w)) {
                                    self.store.prefetch_head(i as usize);
                                    cands.push(i);
                                }
                            }
                        }
                    }
                };
                match tier_bits.peek(term, tier) {
                    Some(bits) => {
                        visit(Part::Bits(bits));
                        terms.terms[term].next = tier + 1;
                    }
                    None => terms.traverse(self, term, tier, visit),
                }
                speak.ensure(&terms, self, words, cands.len());
                flush(
                    cands,
                    bounds,
                    (reach, &speak.bits),
                    pending,
                    &sigs,
                    limit,
                    &mut top,
                );
                if let Some(c) = counts {
                    tier_bits.planes = Some((c.key, c.planes));
                }
            }
        });
        top
    }

    fn skills_listed(&self) -> usize {
        self.skills.counts.len()
    }

    /// Opportunities that give credit to a skill.
    pub(crate) fn opportunities_with(&self, skill: usize) -> &[u32] {
        self.opportunity_skills
            .get(skill)
            .map_or(&[], Vec::as_slice)
    }

    /// The most an opportunity can score for a person who holds none of its skills.
    pub(crate) fn opportunity_floor(&self, o: usize) -> f32 {
        self.opportunity_floor.get(o).copied().unwrap_or(1.0)
    }
}

/// Adds a piece of a list to a bitset.
#[inline]
fn or_into(mask: &mut [u64], part: Part<'_>) {
    match part {
        Part::Id(i) => {
            if let Some(w) = mask.get_mut(i as usize / 64) {
                *w |= 1 << (i % 64);
            }
        }
        Part::Bits(bits) => {
            for (m, b) in mask.iter_mut().zip(bits) {
                *m |= b;
            }
        }
    }
}

/// Calls `f` with every skill related to `required` within `max_hops`, and the relation.
pub(crate) fn expand(
    taxonomy: &Taxonomy,
    required: SkillId,
    max_hops: u8,
    mut f: impl FnMut(SkillId, crate::taxonomy::Relation),
) {
    let mut candidates: Vec<SkillId> = vec![required];
    // Narrower: breadth first down the children.
    let mut frontier = vec![required];
    for _ in 0..max_hops {
        let mut next = Vec::new();
        for &s in &frontier {
            next.extend_from_slice(taxonomy.children(s));
        }
        candidates.extend_from_slice(&next);
        frontier = next;
    }
    // Broader and siblings.
    candidates.extend(taxonomy.ancestors(required).iter().map(|a| a.0));
    if max_hops >= 2 {
        for &p in taxonomy.parents(required) {
            candidates.extend_from_slice(taxonomy.children(p));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    for s in candidates {
        if let Some(rel) = taxonomy.relation(required, s, max_hops) {
            f(s, rel);
        }
    }
}

/// Upper bounds of each component for the profiles not seen yet, and the weighted mean they
/// allow. Which components apply is the opportunity's alone (scoring model v2), so the mean
/// has one denominator for every profile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    weights: [f64; 4],
    /// Whether each optional component (region, network, language) applies to this
    /// opportunity and has a positive weight.
    applies: [bool; 3],
    /// Skills is counted (the opportunity has requirements and skills a positive weight).
    skills_apply: bool,
    pub(crate) skills: f64,
    pub(crate) region: f64,
    pub(crate) network: f64,
    pub(crate) language: f64,
}

impl Bounds {
    pub(crate) fn new(config: &MatchConfig, o: &Opportunity) -> Bounds {
        let w = &config.weights;
        let weights = [
            f64::from(w.skills),
            f64::from(w.region),
            f64::from(w.network),
            f64::from(w.language),
        ];
        Bounds {
            weights,
            applies: [
                weights[1] > 0.0,
                // Every opportunity has a host: the network applies even when the host has
                // no ties (then it is 0 for everyone).
                weights[2] > 0.0,
                weights[3] > 0.0 && !o.languages.is_empty(),
            ],
            skills_apply: weights[0] > 0.0 && !o.requirements.is_empty(),
            skills: 1.0,
            region: 1.0,
            network: 1.0,
            language: 1.0,
        }
    }

    /// The sum of the weights of the components that apply: the denominator of every
    /// profile's total.
    fn denominator(&self) -> f64 {
        let optional: f64 = (0..3)
            .filter(|&j| self.applies[j])
            .map(|j| self.weights[j + 1])
            .sum();
        optional
            + if self.skills_apply {
                self.weights[0]
            } else {
                0.0
            }
    }

    /// The weighted mean of the bounds over the components that apply.
    pub(crate) fn total(&self) -> f64 {
        let den = self.denominator();
        if den <= 0.0 {
            return 0.0;
        }
        let mut num = if self.skills_apply {
            self.weights[0] * self.skills
        } else {
            0.0
        };
        for (j, v) in [self.region, self.network, self.language]
            .into_iter()
            .enumerate()
        {
            if self.applies[j] {
                num += self.weights[j + 1] * v;
            }
        }
        (num / den).min(1.0)
    }
}

/// The region step of every country for an opportunity, before the generation factor.
fn region_steps(cx: &Context<'_>, o: &Opportunity) -> Vec<f32> {
    (0..cx.regions.len())
        .map(|c| {
            let (closeness, _) = cx
                .regions
                .closeness(crate::id::RegionId::new(c as u32), o.country);
            cx.config.region.step(closeness)
        })
        .collect()
}

/// A cheap bound for one profile: region, network and language exactly (with exactly the
/// components that apply to it), skills by a given bound.
struct Quick<'a> {
    weights: [f64; 4],
    skills_apply: bool,
    /// Region step per country, times the best generation factor.
    steps: Vec<f64>,
    generation: [f64; 3],
    opportunity: &'a Opportunity,
    reached: &'a [(u32, f32)],
}

impl<'a> Quick<'a> {
    fn new(
        cx: &Context<'_>,
        o: &'a Opportunity,
        steps: &[f32],
        reached: &'a [(u32, f32)],
    ) -> Quick<'a> {
        let w = &cx.config.weights;
        let s = &cx.config.region;
        let steps = steps.iter().map(|&x| f64::from(x)).collect();
        Quick {
            weights: [
                f64::from(w.skills),
                f64::from(w.region),
                f64::from(w.network),
                f64::from(w.language),
            ],
            skills_apply: !o.requirements.is_empty(),
            steps,
            generation: s.generation.map(f64::from),
            opportunity: o,
            reached,
        }
    }

    /// The network component as [`Scorer`] computes it: the strength the host's search
    /// found, 0 when it did not reach the person (or the host has no ties).
    /// `reached` says whether the search may have reached profile `id` (when not, 0).
    #[inline]
    fn network(&self, id: u32, reached: bool) -> Option<f32> {
        let strength = reached
            .then(|| self.reached.binary_search_by_key(&id, |e| e.0).ok())
            .flatten()
            .map_or(0.0, |k| self.reached[k].1);
        Some(strength)
    }

    #[inline]
    fn bound(&self, p: &crate::store::ProfileView<'_>, network: Option<f32>, skills: f64) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        let w = &self.weights;
        if self.skills_apply && w[0] > 0.0 {
            num += w[0] * skills;
            den += w[0];
        }
        if w[1] > 0.0 {
            // 0 for a person who gives no origin.
            let mut r = 0.0f64;
            for origin in p.origins() {
                let step = self
                    .steps
                    .get(origin.country.index())
                    .copied()
                    .unwrap_or(1.0);
                let g = self.generation[usize::from(origin.generation.get().clamp(1, 3) - 1)];
                r = r.max(step * g);
            }
            num += w[1] * r;
            den += w[1];
        }
        if let Some(v) = network
            && w[2] > 0.0
        {
            num += w[2] * f64::from(v);
            den += w[2];
        }
        if let Some(v) = Scorer::language_value(p, self.opportunity)
            && w[3] > 0.0
        {
            num += w[3] * f64::from(v);
            den += w[3];
        }
        if den > 0.0 { (num / den).min(1.0) } else { 0.0 }
    }
}

/// The fixed-point scale of [`Signatures`]: bounds in units of 2^-24, rounded up.
const UNIT: f64 = (1u32 << 24) as f64;

/// For one step of a search: per requirement, its unread tiers' signature bits and bounds,
/// the bits that can meet each must-have, and what the other components leave to skills.
///
/// A large tier's profiles all pass through [`Signatures::admits`], and whether a signature
/// shares a tier's bits is a coin toss: the test runs without branches on them, in integers
/// (a chain of float maxima cost three times as much).
struct Signatures {
    /// Every unread requirement tier: its signature bits and its bound times the
    /// requirement's share, in units of [`UNIT`] rounded up.
    tiers: Vec<(u64, u32)>,
    /// Where each requirement's tiers end in `tiers`.
    ends: Vec<usize>,
    /// Per must-have requirement, the bits of its unread tiers that can meet it.
    musts: Vec<u64>,
    /// Per pattern of [`skill_needs`], the least skills bound that can reach the limit, in
    /// units rounded down (`u32::MAX` when none can).
    needs: [u32; PATTERNS],
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
    fn admits(&self, sig: u64, pattern: usize) -> Option<f64> {
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
const PATTERNS: usize = 4;

/// Per pattern (see [`PATTERNS`]), the least skills component with which a profile whose
/// other components are at `rest` (network and language at 0 where bits 0 and 1 say so)
/// reaches `limit` (less [`MARGIN`], and a hair lower so that rounding never cuts a profile
/// the bound would keep): `-inf` when any will (or skills do not count and the rest reaches
/// it), `+inf` when none can.
fn skill_needs(rest: Option<&Bounds>, limit: f64) -> [f64; PATTERNS] {
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
fn need_units(need: f64) -> u32 {
    if need == f64::INFINITY {
        u32::MAX
    } else {
        // In [0, UNIT]: the cast neither wraps nor saturates.
        (need.max(0.0) * UNIT).floor() as u32
    }
}

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
struct HighCounts {
    /// The `(term, first tier, tiers)` counted.
    key: Vec<CountKey>,
    planes: Vec<[u64; 4]>,
    /// The skills bound of a profile on none of the counted tiers.
    base: f64,
    /// What being on each counted tier adds, largest first.
    gains: Vec<f64>,
    /// The patterns that can hold a profile and reach the limit, sorted by their least
    /// count: the count, and what to flip in each pattern word so that the pattern's
    /// profiles are its ones.
    active: Vec<(u32, [u64; 2])>,
}

impl HighCounts {
    /// The largest count (the requirements counted).
    fn most(&self) -> u32 {
        self.gains.len() as u32
    }

    /// Sets the least count of each pattern for the needs of [`skill_needs`].
    ///
    /// `fixed[j]` is the value of pattern bit `j` when every profile has it (then only the
    /// patterns with that value can hold a profile).
    fn set_needs(&mut self, needs: &[f64; PATTERNS], fixed: [Option<bool>; 2]) {
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
    fn count(&self, w: usize, bit: u32) -> usize {
        self.planes[w]
            .iter()
            .enumerate()
            .map(|(b, p)| ((p >> bit) as usize & 1) << b)
            .sum()
    }

    /// The profiles of word `w` whose count is at least `c`.
    #[inline]
    fn at_least(&self, w: usize, c: u32) -> u64 {
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
    fn keep(&self, w: usize, bits: [u64; 2]) -> u64 {
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

/// One kind of list a tier is made of.
#[derive(Clone, Copy, Debug)]
enum List {
    Skill(u32),
    Country(u32),
    Language(u32),
    /// The profiles the host's network search reached.
    Reached,
}

/// Lists whose profiles share one bound for a term.
#[derive(Clone, Debug)]
struct Tier {
    bound: f64,
    /// Whether the lists' skills can meet the requirement as a must-have.
    must: bool,
    lists: Vec<List>,
    postings: usize,
    /// Work to read the tier into a bitset: words for a dense list, ids for the others.
    cost: usize,
    /// The signature bits of its skills (requirement tiers only).
    signature: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Requirement(usize),
    Region,
    Language(usize),
    Network,
}

#[derive(Clone, Debug)]
struct Term {
    kind: Kind,
    /// Tiers, best bound first.
    tiers: Vec<Tier>,
    /// The first tier not taken yet.
    next: usize,
}

/// The terms of one query and the bound for the profiles they have not shown yet.
struct Terms<'a> {
    terms: Vec<Term>,
    base: Bounds,
    /// Requirement weights over their sum.
    req_share: Vec<f64>,
    musts: Vec<usize>,
    languages_asked: usize,
    reached: &'a [(u32, f32)],
    /// Whether a profile needs skill credit to be listed ([`MatchConfig::require_evidence`]).
    evidence: bool,
}

impl<'a> Terms<'a> {
    fn new(
        index: &'a Index,
        cx: &Context<'_>,
        o: &Opportunity,
        table: &SkillTable,
        steps: &[f32],
    ) -> Terms<'a> {
        let base = Bounds::new(cx.config, o);
        let total_weight: f64 = o.requirements.iter().map(|r| f64::from(r.weight)).sum();
        let req_share: Vec<f64> = o
            .requirements
            .iter()
            .map(|r| {
                if total_weight > 0.0 {
                    f64::from(r.weight) / total_weight
                } else {
                    0.0
                }
            })
            .collect();
        let mut terms = Vec::new();
        for (i, _) in o.requirements.iter().enumerate() {
            let mut tiers: Vec<Tier> = Vec::new();
            for (skill, credit, must) in table.related(i) {
                let len = index.skills.len(skill.index());
                if len == 0 {
                    continue;
                }
                let bound = f64::from(credit);
                match tiers
                    .iter_mut()
                    .find(|t| t.bound == bound && t.must == must)
                {
                    Some(t) => {
                        t.lists.push(List::Skill(skill.as_u32()));
                        t.postings += len;
                    }
                    None => tiers.push(Tier {
                        bound,
                        must,
                        lists: vec![List::Skill(skill.as_u32())],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }),
                }
            }
            tiers.retain(|t| t.bound > 0.0 || t.must);
            tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound).then(b.must.cmp(&a.must)));
            terms.push(Term {
                kind: Kind::Requirement(i),
                tiers,
                next: 0,
            });
        }
        if base.applies[0] {
            let s = &cx.config.region;
            let gen_max = s.generation.iter().copied().fold(0.0f32, f32::max);
            let mut tiers: Vec<Tier> = Vec::new();
            for c in 0..index.countries.counts.len() {
                let len = index.countries.len(c);
                if len == 0 {
                    continue;
                }
                let step = steps.get(c).copied().unwrap_or(1.0);
                let bound = f64::from(step) * f64::from(gen_max);
                if bound <= 0.0 {
                    continue;
                }
                match tiers.iter_mut().find(|t| t.bound == bound) {
                    Some(t) => {
                        t.lists.push(List::Country(c as u32));
                        t.postings += len;
                    }
                    None => tiers.push(Tier {
                        bound,
                        must: false,
                        lists: vec![List::Country(c as u32)],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }),
                }
            }
            tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound));
            terms.push(Term {
                kind: Kind::Region,
                tiers,
                next: 0,
            });
        }
        if base.applies[2] {
            for (j, l) in o.languages.iter().enumerate() {
                let len = index.languages.len(l.language.index());
                let tiers = if len == 0 {
                    Vec::new()
                } else {
                    vec![Tier {
                        bound: 1.0,
                        must: false,
                        lists: vec![List::Language(l.language.as_u32())],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }]
                };
                terms.push(Term {
                    kind: Kind::Language(j),
                    tiers,
                    next: 0,
                });
            }
        }
        let reached: &[(u32, f32)] = index.reached.get(&o.host).map_or(&[], |v| v.as_slice());
        if base.applies[1] {
            let max = reached.iter().map(|e| e.1).fold(0.0f32, f32::max);
            let tiers = if reached.is_empty() {
                Vec::new()
            } else {
                vec![Tier {
                    bound: f64::from(max),
                    must: false,
                    lists: vec![List::Reached],
                    postings: reached.len(),
                    cost: 0,
                    signature: 0,
                }]
            };
            terms.push(Term {
                kind: Kind::Network,
                tiers,
                next: 0,
            });
        }
        for term in &mut terms {
            for tier in &mut term.tiers {
                tier.signature = tier
                    .lists
                    .iter()
                    .map(|l| match *l {
                        List::Skill(s) => index.store.signature_bit(s as u16),
                        _ => 0,
                    })
                    .fold(0, |a, b| a | b);
                tier.cost = tier
                    .lists
                    .iter()
                    .map(|l| match *l {
                        List::Skill(s) => index.skills.cost(s as usize),
                        List::Country(c) => index.countries.cost(c as usize),
                        List::Language(l) => index.languages.cost(l as usize),
                        _ => 0,
                    })
                    .sum();
            }
        }
        let musts = o
            .requirements
            .iter()
            .enumerate()
            .filter(|(_, r)| r.must)
            .map(|(i, _)| i)
            .collect();
        Terms {
            terms,
            base,
            req_share,
            musts,
            languages_asked: o.languages.len(),
            reached,
            evidence: cx.config.require_evidence,
        }
    }

    /// The bound with term `skip` advanced by one tier (or none).
    fn bound_with(&self, skip: Option<usize>) -> f64 {
        match skip {
            Some(t) => self.bound_at(&[(t, self.terms[t].next + 1)]),
            None => self.bound_at(&[]),
        }
    }

    /// The bound with each term `t` of `moved` having its first remaining tier at `next`.
    fn bound_at(&self, moved: &[(usize, usize)]) -> f64 {
        self.bounds_at(moved).map_or(-1.0, |b| b.total())
    }

    /// The component bounds with the moves of [`Terms::bound_at`]; `None` when no unseen
    /// profile can meet a must-have requirement.
    fn bounds_at(&self, moved: &[(usize, usize)]) -> Option<Bounds> {
        let mut b = self.base;
        b.skills = 0.0;
        b.region = 0.0;
        b.network = 0.0;
        b.language = 0.0;
        for (t, term) in self.terms.iter().enumerate() {
            let next = moved.iter().find(|m| m.0 == t).map_or(term.next, |m| m.1);
            let r = term.tiers.get(next).map_or(0.0, |x| x.bound);
            match term.kind {
                Kind::Requirement(i) => {
                    b.skills += self.req_share[i] * r;
                    if self.musts.contains(&i)
                        && !term
                            .tiers
                            .get(next..)
                            .is_some_and(|ts| ts.iter().any(|x| x.must))
                    {
                        // No unseen profile can meet this must-have.
                        return None;
                    }
                }
                Kind::Region => b.region = r,
                Kind::Network => b.network = r,
                Kind::Language(_) => b.language += r / self.languages_asked.max(1) as f64,
            }
        }
        if self.evidence && b.skills <= 0.0 {
            // No unseen profile can get skill credit, so none can be listed.
            return None;
        }
        b.skills = b.skills.min(1.0);
        b.language = b.language.min(1.0);
        Some(b)
    }

    /// What a profile's skill signature allows, for the tiers not read yet, against `limit`.
    fn signatures(&self, limit: f64) -> Signatures {
        let (mut tiers, mut ends, mut musts) = (Vec::new(), Vec::new(), Vec::new());
        for term in &self.terms {
            if let Kind::Requirement(i) = term.kind {
                let unread = &term.tiers[term.next.min(term.tiers.len())..];
                let share = self.req_share[i];
                // share and bound are in [0, 1]: the cast neither wraps nor saturates.
                tiers.extend(
                    unread
                        .iter()
                        .map(|t| (t.signature, (share * t.bound * UNIT).ceil() as u32)),
                );
                ends.push(tiers.len());
                if self.musts.contains(&i) {
                    musts.push(
                        unread
                            .iter()
                            .filter(|t| t.must)
                            .fold(0, |m, t| m | t.signature),
                    );
                }
            }
        }
        // With the evidence rule a profile needs some skill credit: at least one unit.
        let least = u32::from(self.evidence);
        Signatures {
            tiers,
            ends,
            musts,
            needs: self.needs(limit).map(|n| need_units(n).max(least)),
        }
    }

    /// For the profiles on term `chosen`'s next tier: the tiers of other terms that they must
    /// also be on to beat `threshold`, as `(term, tiers)`, when reading those tiers costs less
    /// than `budget` postings.
    fn required_with(
        &self,
        chosen: usize,
        threshold: f64,
        budget: usize,
    ) -> Vec<Vec<(usize, std::ops::Range<usize>)>> {
        let mut out: Vec<Vec<(usize, std::ops::Range<usize>)>> = Vec::new();
        for (u, term) in self.terms.iter().enumerate() {
            if u == chosen || term.next >= term.tiers.len() {
                continue;
            }
            let mut cost = 0usize;
            for j in term.next..term.tiers.len() {
                let tier = &term.tiers[j];
                cost += if tier.cost > 0 {
                    tier.cost
                } else {
                    tier.postings
                };
                if cost > budget {
                    break;
                }
                let below = self.bound_at(&[(u, j + 1)]);
                if below <= 0.0 || below + MARGIN < threshold {
                    out.push(vec![(u, term.next..j + 1)]);
                    break;
                }
            }
        }
        // The region, the languages and the network together: a profile on none of their
        // best unread tiers may fall below when each of them alone could not bring it down.
        // Their cheapest tiers are added, the weightiest first, while they leave the bound
        // above the threshold; if it falls below, the union of those tiers is required.
        if out.is_empty() {
            let w = &self.base.weights;
            let mut parts: Vec<(f64, usize)> = self
                .terms
                .iter()
                .enumerate()
                .filter(|&(u, _)| u != chosen)
                .filter_map(|(u, t)| {
                    let tier = t.tiers.get(t.next)?;
                    let low = t.tiers.get(t.next + 1).map_or(0.0, |x| x.bound);
                    let weight = match t.kind {
                        Kind::Region => w[1],
                        Kind::Network => w[2],
                        Kind::Language(_) => w[3] / self.languages_asked.max(1) as f64,
                        _ => return None,
                    };
                    Some((weight * (tier.bound - low), u))
                })
                .collect();
            parts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut moved: Vec<(usize, usize)> = Vec::new();
            let mut cost = 0;
            for &(_, u) in &parts {
                let t = &self.terms[u];
                cost += t.tiers[t.next].cost.max(t.tiers[t.next].postings);
                if cost > budget {
                    break;
                }
                moved.push((u, t.next + 1));
                let below = self.bound_at(&moved);
                if below <= 0.0 || below + MARGIN < threshold {
                    out.push(moved.iter().map(|&(u, j)| (u, j - 1..j)).collect());
                    break;
                }
            }
        }
        out
    }

    /// For the profiles of term `chosen`'s next tier: their [`HighCounts`] over the other
    /// requirements' best unread tiers and unions of their best two that cost at most
    /// `budget` to read (at most 15, the largest gains; [`HighCounts::set_needs`] then sets
    /// the limit), or `None` when none qualifies. The tiers are read through `bits`, which
    /// also keeps the planes for the next large tier of the query.
    fn high_counts(
        &self,
        index: &Index,
        chosen: usize,
        budget: usize,
        words: usize,
        bits: &mut TierBits,
    ) -> Option<HighCounts> {
        let mut base = 0.0;
        // (gain, term, tiers from its next one): being on any of those tiers adds the gain.
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
        for &(g, _, _) in counted.iter().skip(15) {
            base += g;
        }
        counted.truncate(15);
        if counted.is_empty() {
            return None;
        }
        let mut key: Vec<CountKey> = counted
            .iter()
            .map(|&(_, u, span)| (u, self.terms[u].next, span))
            .collect();
        key.sort_unstable();
        if let Some((held, planes)) = bits.planes.take() {
            if held == key {
                return Some(HighCounts {
                    key,
                    planes,
                    base,
                    gains: counted.iter().map(|c| c.0).collect(),
                    active: Vec::new(),
                });
            }
            bits.spare_planes = planes;
        }
        let mut planes = std::mem::take(&mut bits.spare_planes);
        // The counted tiers' bitsets: a dense list as the postings hold it, others read.
        for &(u, j, span) in &key {
            for j in j..j + span {
                if self.dense_tier(index, u, j).is_none() {
                    bits.get(self, index, u, j, words);
                }
            }
        }
        let tier = |u: usize, j: usize| {
            self.dense_tier(index, u, j)
                .or_else(|| bits.peek(u, j))
                .unwrap_or(&[])
        };
        let sources: Vec<[&[u64]; 2]> = key
            .iter()
            .map(|&(u, j, span)| [tier(u, j), if span == 2 { tier(u, j + 1) } else { &[] }])
            .collect();
        // Word by word, every tier at once: a four-bit counter per profile.
        planes.clear();
        planes.extend((0..words).map(|w| {
            let mut p = [0u64; 4];
            for [a, b] in &sources {
                let mut carry = a.get(w).copied().unwrap_or(0) | b.get(w).copied().unwrap_or(0);
                for plane in p.iter_mut() {
                    let next = *plane & carry;
                    *plane ^= carry;
                    carry = next;
                }
            }
            p
        }));
        Some(HighCounts {
            key,
            planes,
            base,
            gains: counted.iter().map(|c| c.0).collect(),
            active: Vec::new(),
        })
    }

    /// The region and language terms other than `chosen` whose best unread tier costs at most
    /// `budget` to read, the weightiest first (what being on it adds to the total's
    /// numerator).
    fn seed_terms(&self, chosen: usize, budget: usize) -> Vec<usize> {
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

    /// Tier `j` of term `u` when it is one dense list with no pending additions: its bitset,
    /// read in place.
    fn dense_tier<'b>(&self, index: &'b Index, u: usize, j: usize) -> Option<&'b [u64]> {
        match self.terms.get(u)?.tiers.get(j)?.lists.as_slice() {
            [List::Skill(s)] => index.skills.clean_bitset(*s as usize),
            [List::Country(c)] => index.countries.clean_bitset(*c as usize),
            [List::Language(l)] => index.languages.clean_bitset(*l as usize),
            _ => None,
        }
    }

    /// Tier `j` of term `u` as a bitset: read in place when it is one dense list, else read
    /// into (or found in) `bits`.
    fn bitset<'b>(
        &self,
        index: &'b Index,
        bits: &'b mut TierBits,
        u: usize,
        j: usize,
        words: usize,
    ) -> &'b [u64] {
        match self.dense_tier(index, u, j) {
            Some(dense) => dense,
            None => bits.get(self, index, u, j, words),
        }
    }

    /// The skill needs of [`skill_needs`] for the unseen profiles against `limit`.
    fn needs(&self, limit: f64) -> [f64; PATTERNS] {
        skill_needs(self.bounds_at(&[]).as_ref(), limit)
    }

    fn bound(&self) -> f64 {
        self.bound_with(None)
    }

    /// The tier to take next. When taking some tier alone would leave no unseen profile able
    /// to beat `threshold` (then every profile that still can is on it), the smallest such
    /// tier, which ends the search; otherwise the tier that lowers the bound most per posting.
    fn next_tier(&self, threshold: f64, full: bool) -> Option<(usize, usize)> {
        let now = self.bound();
        let mut best: Option<(f64, usize)> = None;
        let mut finishing: Option<(usize, usize)> = None;
        for (t, term) in self.terms.iter().enumerate() {
            let Some(tier) = term.tiers.get(term.next) else {
                continue;
            };
            let after = self.bound_with(Some(t));
            // Before k profiles are held the threshold is low; a large tier read then prunes
            // nothing, so small tiers go first to raise it.
            if (after <= 0.0 || after + MARGIN < threshold) && (full || tier.postings <= 4096) {
                if finishing.is_none_or(|f| tier.postings < f.0) {
                    finishing = Some((tier.postings, t));
                }
                continue;
            }
            let gain = (now - after.max(0.0)).max(0.0);
            let value = (gain + 1e-9) / (tier.postings as f64 + 64.0);
            if best.is_none_or(|b| value > b.0) {
                best = Some((value, t));
            }
        }
        // A much smaller tier first raises the threshold, which prunes the finishing tier.
        let small = |f: (usize, usize)| {
            best.is_some_and(|b| {
                let t = &self.terms[b.1];
                t.tiers[t.next].postings * 8 < f.0
            })
        };
        match finishing {
            Some(f) if !small(f) => Some(f.1),
            _ => best.map(|b| b.1).or(finishing.map(|f| f.1)),
        }
        .map(|t| (t, self.terms[t].next))
    }

    /// Reads every list of one tier of term `t`.
    fn read_tier(&self, index: &Index, t: usize, tier: usize, mut f: impl FnMut(Part<'_>)) {
        for list in &self.terms[t].tiers[tier].lists {
            match *list {
                List::Skill(s) => index.skills.read(s as usize, &mut f),
                List::Country(c) => index.countries.read(c as usize, &mut f),
                List::Language(l) => index.languages.read(l as usize, &mut f),
                List::Reached => self.reached.iter().for_each(|e| f(Part::Id(e.0))),
            }
        }
    }

    /// Reads every list of one tier and marks it taken.
    fn traverse(&mut self, index: &Index, t: usize, tier: usize, f: impl FnMut(Part<'_>)) {
        self.read_tier(index, t, tier, f);
        self.terms[t].next = tier + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_and_remove_in_place() {
        let pairs = [
            (0usize, 0u32),
            (1, 0),
            (0, 5),
            (0, 300),
            (1, 70_000),
            (0, 70_001),
        ];
        let p = Postings::build(3, 8, |f| {
            for &(k, id) in &pairs {
                f(k, id);
            }
        });
        let list = |p: &Postings, k| {
            let mut v = Vec::new();
            p.for_each(k, |x| v.push(x));
            v
        };
        assert_eq!(list(&p, 0), [0, 5, 300, 70_001]);
        assert_eq!(list(&p, 1), [0, 70_000]);
        assert!(list(&p, 2).is_empty());
        let mut p = p;
        assert!(p.remove(0, 300));
        assert!(!p.remove(0, 300));
        assert_eq!(list(&p, 0), [0, 5, 70_001]);
        assert_eq!(p.len(0), 3);
        p.insert(2, 9);
        p.insert(2, 4);
        assert_eq!(list(&p, 2), [4, 9]);
        assert!(p.remove(2, 4));
        assert!(p.holds(9) && !p.holds(300));
    }

    #[test]
    fn dense_lists_are_bitsets_and_lose_ids_in_place() {
        // List 0 holds every third id of 3,000: a bitset; list 1 holds ten: varints.
        let p = Postings::build(2, 3000, |f| {
            for id in 0..3000u32 {
                if id % 3 == 0 {
                    f(0, id);
                }
                if id % 300 == 7 {
                    f(1, id);
                }
            }
        });
        assert!(p.bitset(0).is_some() && p.bitset(1).is_none());
        let mut p = p;
        assert!(p.remove(0, 2997));
        assert!(!p.remove(0, 2997));
        assert!(!p.remove(0, 1));
        let mut v = Vec::new();
        p.for_each(0, |x| v.push(x));
        assert_eq!(v.len(), 999);
        assert!(v.iter().all(|x| x % 3 == 0 && *x != 2997));
        assert_eq!(p.len(0), 999);
        assert!(!p.holds(2997) && p.holds(7));
    }

    #[test]
    fn bounds_share_one_denominator_set_by_the_opportunity() {
        let config = MatchConfig::default();
        let o = Opportunity {
            key: "o".into(),
            title: String::new(),
            host: NodeId::new(0),
            country: crate::id::RegionId::new(0),
            engagement: crate::model::Engagement::Remote,
            requirements: vec![crate::model::Requirement {
                skill: SkillId::new(0),
                weight: 1.0,
                min_level: None,
                must: false,
            }],
            languages: Vec::new(),
            capacity: 1,
            window: None,
        };
        let mut b = Bounds::new(&config, &o);
        b.skills = 0.0;
        // Skills, region and network apply (every opportunity has a country and a host); the
        // language does not (none asked): (0.15 + 0.15) / 0.85.
        assert!((b.total() - 0.30 / 0.85).abs() < 1e-6, "{}", b.total());
        b.region = 0.0;
        assert!((b.total() - 0.15 / 0.85).abs() < 1e-6, "{}", b.total());
        b.network = 0.0;
        assert_eq!(b.total(), 0.0);
        // Asking for a language adds its weight to every profile's denominator.
        let mut asks = o.clone();
        asks.languages.push(crate::model::LanguageSkill {
            language: crate::id::LanguageId::new(0),
            level: crate::model::Proficiency::ALL[3],
        });
        let mut b = Bounds::new(&config, &asks);
        b.skills = 1.0;
        b.region = 0.0;
        b.network = 0.0;
        b.language = 0.0;
        assert!((b.total() - 0.55).abs() < 1e-6, "{}", b.total());
    }
}
