//! Profiles compiled into flat arrays (struct of arrays) for scoring.
//!
//! Per profile the store keeps, in parallel arrays indexed by profile id:
//!
//! | what | layout | bytes |
//! |---|---|---|
//! | a 32-byte head | where its skills and attributes start and how many there are; the origin count; engagement bits; availability as two `i32` day numbers (`i32::MIN` for none); the network node (`u32::MAX` for none); a 64-bit signature of its skills | 32 |
//! | skills | a `u16` compact skill id and a `u8` level per skill, sorted by id | 3 per skill |
//! | origins and languages | packed `u32` (country or language in the low 16 bits, generation or proficiency above) | 4 per entry |
//! | residence | a `u16` country id (`u16::MAX` for none), read by placement caps and [`Engine::profile`](crate::Engine::profile), never by a score | 2 |
//!
//! A profile that is updated after the build ([`ProfileStore::update`]) has its new lists
//! appended at the end of the item arrays and its old items overwritten with zeros; its head
//! points at the new place. [`ProfileStore::compact`] rewrites the arrays in id order.

use std::ops::Range;

use crate::error::Result;
use crate::id::{NodeId, RegionId};
use crate::model::{EngagementSet, Origin, Profile, Window};
use crate::network::Network;

use super::compile::{Compiled, Failure, compile, compile_into, end};
use super::extras;
use super::signature_bits::SignatureBits;

mod snapshot;
mod view;

pub(crate) use view::ProfileView;
use view::{origin, residence};

/// No node, no window.
pub(crate) const NONE: u32 = u32::MAX;
pub(crate) const NO_DAY: i32 = i32::MIN;
/// No country of residence.
pub(crate) const NO_REGION: u16 = u16::MAX;

/// The fixed-size part of one profile: where its lists are and its small fields, in one
/// 32-byte record so that looking a profile up touches one cache line, not six arrays.
#[derive(Clone, Copy, Debug, Default)]
#[repr(align(32))]
struct Head {
    skill_start: u32,
    attr_start: u32,
    skills: u8,
    attrs: u8,
    n_origins: u8,
    engagements: EngagementSet,
    window: [i32; 2],
    node: u32,
    /// One bit per held skill at its [`SignatureBits`] position: a 64-bit summary that bounds
    /// a profile's skill credit without reading its skills.
    signature: u64,
}

/// Every profile's scoring fields in flat arrays; skills sorted by id within a profile.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfileStore {
    heads: Vec<Head>,
    skills: Vec<u16>,
    levels: Vec<u8>,
    attrs: Vec<u32>,
    /// Country of residence per profile, [`NO_REGION`] for none.
    residences: Vec<u16>,
    /// Items no longer referred to (zeroed), reclaimed by [`ProfileStore::compact`].
    garbage: usize,
    /// Where each skill's bit is in the heads' signatures.
    bits: SignatureBits,
}

impl ProfileStore {
    /// Compiles profiles `first ..` (`profiles[0]` is profile `first`) into parts of the
    /// store, in parallel, checking each first with `check(index, profile, node)` (the
    /// profile's network node looked up once for both). A check's error is a
    /// [`Failure::Field`] (the first in record order); a profile that does not fit the compact
    /// arrays, a [`Failure::Store`] (only when no check failed). The parts of every chunk of a
    /// population, in order, go to [`ProfileStore::join`].
    pub(crate) fn compile_parts(
        profiles: &[Profile],
        first: usize,
        network: &Network,
        check: impl Fn(usize, &Profile, Option<NodeId>) -> Result<()> + Sync,
    ) -> std::result::Result<Vec<ProfileStore>, Failure> {
        const PART: usize = 1 << 13;
        let part = |(k, chunk): (usize, &[Profile])| -> std::result::Result<ProfileStore, Failure> {
            let mut s = ProfileStore {
                heads: Vec::with_capacity(chunk.len()),
                residences: Vec::with_capacity(chunk.len()),
                ..ProfileStore::default()
            };
            let mut c = Compiled::default();
            let mut failed = None;
            for (j, p) in chunk.iter().enumerate() {
                let i = first + k * PART + j;
                let node = network.node(&p.key);
                check(i, p, node).map_err(|e| Failure::Field(i, e))?;
                if failed.is_some() {
                    // A store error is kept while the part's later checks still run.
                    continue;
                }
                match compile_into(p, node, network, &mut c).and_then(|()| s.append(&c)) {
                    Ok(head) => {
                        s.heads.push(head);
                        s.residences.push(c.residence);
                    }
                    Err(e) => failed = Some(e),
                }
            }
            failed.map_or(Ok(s), |e| Err(Failure::Store(e)))
        };
        #[cfg(feature = "rayon")]
        let parts: Vec<std::result::Result<ProfileStore, Failure>> = {
            use rayon::prelude::*;
            profiles.par_chunks(PART).enumerate().map(part).collect()
        };
        #[cfg(not(feature = "rayon"))]
        let parts: Vec<std::result::Result<ProfileStore, Failure>> =
            profiles.chunks(PART).enumerate().map(part).collect();
        // A check's failure first (the first part's), then a store error.
        let (fields, others): (Vec<_>, Vec<_>) = parts
            .into_iter()
            .partition(|r| matches!(r, Err(Failure::Field(..))));
        if let Some(Err(f)) = fields.into_iter().next() {
            return Err(f);
        }
        others.into_iter().collect()
    }

    /// Appends the parts of the next profiles (in order), their heads' offsets moved; fails
    /// when the arrays would pass `u32` offsets. A build joins each chunk's parts as they come,
    /// so that a population's parts never sit in memory beside the joined store.
    pub(crate) fn join(&mut self, parts: Vec<ProfileStore>) -> Result<()> {
        let s = self;
        for p in parts {
            let skill_base = end(s.skills.len())?;
            let attr_base = end(s.attrs.len())?;
            s.skills.extend_from_slice(&p.skills);
            s.levels.extend_from_slice(&p.levels);
            s.attrs.extend_from_slice(&p.attrs);
            s.residences.extend_from_slice(&p.residences);
            end(s.skills.len())?;
            end(s.attrs.len())?;
            s.heads.extend(p.heads.iter().map(|h| Head {
                skill_start: h.skill_start + skill_base,
                attr_start: h.attr_start + attr_base,
                ..*h
            }));
        }
        Ok(())
    }

    /// The store once every part is joined: the room reserved for growth given back, every
    /// head signed.
    pub(crate) fn joined(mut self) -> ProfileStore {
        self.shrink();
        self.sign();
        self
    }

    /// Signs every head: the signature table needs every part's skills counted, so the parts'
    /// heads are signed once they are joined.
    fn sign(&mut self) {
        self.bits = SignatureBits::from_skills(&self.skills);
        let (heads, skills, bits) = (&mut self.heads, &self.skills, &self.bits);
        let sign = |h: &mut Head| {
            let (r, _) = ranges(h);
            h.signature = bits.of(skills[r].iter().copied());
        };
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            heads.par_iter_mut().for_each(sign);
        }
        #[cfg(not(feature = "rayon"))]
        heads.iter_mut().for_each(sign);
    }

    fn shrink(&mut self) {
        self.heads.shrink_to_fit();
        self.skills.shrink_to_fit();
        self.levels.shrink_to_fit();
        self.attrs.shrink_to_fit();
        self.residences.shrink_to_fit();
    }

    /// Appends a profile's lists at the end of the item arrays; returns its head, with its
    /// signature.
    fn append_signed(&mut self, c: &Compiled) -> Result<Head> {
        let head = self.append(c)?;
        Ok(Head {
            signature: self.bits.of(c.held.iter().map(|h| h.0)),
            ..head
        })
    }

    /// Appends a profile's lists at the end of the item arrays; returns its head, unsigned
    /// (signature 0): [`ProfileStore::build`] signs every head once its table is made.
    fn append(&mut self, c: &Compiled) -> Result<Head> {
        let skill_start = end(self.skills.len())?;
        self.skills.extend(c.held.iter().map(|h| h.0));
        self.levels.extend(c.held.iter().map(|h| h.1));
        let attr_start = end(self.attrs.len())?;
        self.attrs.extend_from_slice(&c.attrs);
        end(self.skills.len())?;
        end(self.attrs.len())?;
        Ok(Head {
            skill_start,
            attr_start,
            skills: c.held.len() as u8,
            attrs: c.attrs.len() as u8,
            n_origins: c.n_origins,
            engagements: c.engagements,
            window: c.window,
            node: c.node,
            signature: 0,
        })
    }

    /// Appends a profile; its id is the old [`len`](Self::len).
    pub(crate) fn add(&mut self, p: &Profile, network: &Network) -> Result<()> {
        let c = compile(p, network)?;
        let head = self.append_signed(&c)?;
        self.heads.push(head);
        self.residences.push(c.residence);
        Ok(())
    }

    /// Updates profile `id` (which must exist) to `p`.
    pub(crate) fn update(&mut self, id: u32, p: &Profile, network: &Network) -> Result<()> {
        let c = compile(p, network)?;
        self.set(id, c)
    }

    /// Removes profile `id`: zeroes its items and leaves it with nothing, eligible for nothing.
    pub(crate) fn remove(&mut self, id: u32) -> Result<()> {
        self.set(
            id,
            Compiled {
                held: Vec::new(),
                attrs: Vec::new(),
                n_origins: 0,
                engagements: EngagementSet::EMPTY,
                window: [NO_DAY, NO_DAY],
                node: NONE,
                residence: NO_REGION,
            },
        )
    }

    fn set(&mut self, id: u32, c: Compiled) -> Result<()> {
        let i = id as usize;
        let old = self.heads[i];
        let (s, a) = ranges(&old);
        // Overwrite the old items so nothing of the old version stays in memory.
        self.skills[s.clone()].fill(0);
        self.levels[s.clone()].fill(0);
        self.attrs[a.clone()].fill(0);
        self.garbage += s.len() + a.len();
        self.heads[i] = self.append_signed(&c)?;
        self.residences[i] = c.residence;
        Ok(())
    }

    /// Items held for replaced or erased profiles that [`compact`](Self::compact) would free.
    pub(crate) fn garbage(&self) -> usize {
        self.garbage
    }

    /// Rewrites the arrays in id order, dropping the zeroed items of old versions.
    pub(crate) fn compact(&mut self) -> Result<()> {
        if self.garbage == 0 {
            return Ok(());
        }
        let mut next = ProfileStore {
            heads: Vec::with_capacity(self.heads.len()),
            residences: self.residences.clone(),
            // Cloned, not taken: on an error below `self` stays whole.
            bits: self.bits.clone(),
            ..ProfileStore::default()
        };
        for h in &self.heads {
            let (s, a) = ranges(h);
            let mut head = *h;
            head.skill_start = end(next.skills.len())?;
            next.skills.extend_from_slice(&self.skills[s.clone()]);
            next.levels.extend_from_slice(&self.levels[s]);
            head.attr_start = end(next.attrs.len())?;
            next.attrs.extend_from_slice(&self.attrs[a]);
            next.heads.push(head);
        }
        next.shrink();
        // The old arrays held only zeros where versions were replaced; drop them.
        *self = next;
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.heads.len()
    }

    /// The view of profile `i < len()`.
    #[inline]
    pub(crate) fn view(&self, i: usize) -> ProfileView<'_> {
        let h = &self.heads[i];
        let (s, a) = ranges(h);
        let n_origins = usize::from(h.n_origins);
        let (attrs, extras) = extras::split(&self.attrs[a], n_origins);
        ProfileView {
            skills: &self.skills[s.clone()],
            levels: &self.levels[s],
            attrs,
            n_origins,
            extras,
            residence: &self.residences[i],
            engagements: h.engagements,
            available: if h.window[0] == NO_DAY {
                None
            } else {
                Window::new(
                    crate::model::Date::from_days(h.window[0]),
                    crate::model::Date::from_days(h.window[1]),
                )
            },
            node: (h.node != NONE).then(|| NodeId::new(h.node)),
        }
    }

    /// Reads the head, the first and last skill and level and the first attribute of each of
    /// the first 64 profiles in `ids` (all `< len()`), so that their cache misses overlap;
    /// returns a value to keep the reads from being optimised away.
    #[inline]
    pub(crate) fn touch(&self, ids: &[u32]) -> u64 {
        self.touch_parts(ids, true)
    }

    /// [`ProfileStore::touch`] without the skills: for a bound that reads origins and
    /// languages only.
    #[inline]
    pub(crate) fn touch_attrs(&self, ids: &[u32]) -> u64 {
        self.touch_parts(ids, false)
    }

    #[inline]
    fn touch_parts(&self, ids: &[u32], skills: bool) -> u64 {
        let mut heads = [Head::default(); 64];
        for (h, &i) in heads.iter_mut().zip(ids) {
            *h = self.heads[i as usize];
        }
        let mut sum = 0u64;
        for h in &heads[..ids.len().min(64)] {
            let (s, a) = ranges(h);
            if skills {
                // First and last items: a list may span two cache lines.
                let last = s.end.saturating_sub(1).max(s.start);
                sum += self.skills.get(s.start).map_or(0, |&x| u64::from(x))
                    + self.skills.get(last).map_or(0, |&x| u64::from(x))
                    + self.levels.get(s.start).map_or(0, |&x| u64::from(x))
                    + self.levels.get(last).map_or(0, |&x| u64::from(x));
            }
            sum += self.attrs.get(a.start).map_or(0, |&x| u64::from(x));
        }
        sum
    }

    /// Asks the processor to start loading the head of profile `i` (nothing when `i` is out
    /// of range): the search calls it for profiles it will test soon, so that their heads'
    /// cache misses overlap with other work instead of each stalling the test.
    #[inline]
    pub(crate) fn prefetch_head(&self, i: usize) {
        if let Some(h) = self.heads.get(i) {
            prefetch(h);
        }
    }

    /// The skill signature in the head of profile `i < len()`: what the head alone tells a
    /// bound of its skills.
    #[inline]
    pub(crate) fn signature(&self, i: usize) -> u64 {
        self.heads[i].signature
    }

    /// The engagement bits of profile `i < len()`.
    #[inline]
    pub(crate) fn engagements(&self, i: usize) -> EngagementSet {
        self.heads[i].engagements
    }

    /// The countries of origin of profile `i < len()`, read without the rest of its view.
    #[inline]
    pub(crate) fn origins(&self, i: usize) -> impl Iterator<Item = Origin> + '_ {
        let h = &self.heads[i];
        let a = h.attr_start as usize;
        let n = usize::from(h.n_origins.min(h.attrs));
        self.attrs[a..a + n].iter().map(|&a| origin(a))
    }

    /// The skills of profile `i < len()`, read without the rest of its view.
    #[inline]
    pub(crate) fn skills_of(&self, i: usize) -> &[u16] {
        &self.skills[ranges(&self.heads[i]).0]
    }

    /// The availability of profile `i < len()` as day numbers, `None` when not given.
    #[inline]
    pub(crate) fn window_days(&self, i: usize) -> Option<[i32; 2]> {
        let w = self.heads[i].window;
        (w[0] != NO_DAY).then_some(w)
    }

    /// The residence of profile `i < len()` as stored: a country id, [`NO_REGION`] for none.
    #[inline]
    pub(crate) fn residence_id(&self, i: usize) -> u16 {
        self.residences[i]
    }

    /// The country of residence of profile `i < len()`.
    #[inline]
    pub(crate) fn residence(&self, i: usize) -> Option<RegionId> {
        residence(self.residences[i])
    }

    /// Bytes held by the arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.heads.capacity() * std::mem::size_of::<Head>()
            + self.skills.capacity() * 2
            + self.levels.capacity()
            + self.attrs.capacity() * 4
            + self.residences.capacity() * 2
            + self.bits.pos.capacity()
    }

    /// The bit of `skill` in the heads' signatures.
    #[inline]
    pub(crate) fn signature_bit(&self, skill: u16) -> u64 {
        self.bits.bit(skill)
    }

    /// Whether any array still holds a value for profile `i` that is not zero or empty; for
    /// erasure checks.
    #[cfg(test)]
    pub(crate) fn holds_anything(&self, i: usize) -> bool {
        let v = self.view(i);
        !v.skills.is_empty()
            || !v.attrs.is_empty()
            || !v.extras.is_empty()
            || !v.engagements.is_empty()
            || v.available.is_some()
            || v.node.is_some()
            || self.residences[i] != NO_REGION
    }
}

/// A hint that the cache line holding `x` will be read soon; it never changes a result.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(all(
        any(target_arch = "x86", target_arch = "x86_64"),
        target_feature = "sse"
    ))]
    safe_arch::prefetch_t0(x);
    #[cfg(not(all(
        any(target_arch = "x86", target_arch = "x86_64"),
        target_feature = "sse"
    )))]
    let _ = x;
}

#[inline]
fn ranges(h: &Head) -> (Range<usize>, Range<usize>) {
    let s = h.skill_start as usize;
    let a = h.attr_start as usize;
    (s..s + usize::from(h.skills), a..a + usize::from(h.attrs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::signature_bits::OWN_BITS;

    #[test]
    fn a_head_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Head>(), 32);
    }

    #[test]
    fn the_most_held_skills_have_bits_of_their_own() {
        // Skill s is held s + 1 times: skills 60 to 99 are the 40 most held.
        let skills: Vec<u16> = (0..100u16)
            .flat_map(|s| std::iter::repeat_n(s, usize::from(s) + 1))
            .collect();
        let bits = SignatureBits::from_skills(&skills);
        let own = (60..100).fold(0u64, |a, s| a | bits.bit(s));
        assert_eq!(own.count_ones(), 40);
        assert_eq!(own, (1 << OWN_BITS) - 1);
        // The others, and skills no profile held at the build, share the remaining bits.
        for s in (0..60).chain([100, 5000, u16::MAX]) {
            assert_eq!(bits.bit(s).count_ones(), 1);
            assert_eq!(bits.bit(s) & own, 0, "skill {s}");
        }
        let shared = (0..60).fold(0u64, |a, s| a | bits.bit(s));
        assert!(
            shared.count_ones() >= 16,
            "60 skills hashed onto {shared:#x}"
        );
        // Equal counts: the lower id first.
        let bits = SignatureBits::from_skills(&[7, 3, 9, 3, 9]);
        assert_eq!([bits.bit(3), bits.bit(9), bits.bit(7)], [1, 2, 4]);
    }
}
