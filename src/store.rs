//! Profiles compiled into flat arrays (struct of arrays) for scoring.
//!
//! Per profile the store keeps, in parallel arrays indexed by profile id:
//!
//! | what | layout | bytes |
//! |---|---|---|
//! | skills | CSR: `u32` offset, then a `u16` compact skill id and a `u8` level per skill, sorted by id | 4 + 3 per skill |
//! | origins and languages | CSR of packed `u32` (country or language in the low 16 bits, generation or proficiency above) and a `u8` origin count | 5 + 4 per entry |
//! | engagements | one byte of bits | 1 |
//! | availability | two `i32` day numbers, `i32::MIN` for none | 8 |
//! | network node | `u32`, `u32::MAX` for none | 4 |
//!
//! A profile that is replaced after the build ([`ProfileStore::replace`]) has its new lists
//! appended at the end of the item arrays and its old items overwritten with zeros; an
//! overflow table points at the new place. [`ProfileStore::compact`] rewrites the arrays in
//! id order and empties the table.

use std::collections::HashMap;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::id::{LanguageId, NodeId, RegionId, SkillId};
use crate::model::{
    EngagementSet, Generation, LanguageSkill, Origin, Proficiency, Profile, Window,
};
use crate::network::Network;

/// No node, no window.
const NONE: u32 = u32::MAX;
const NO_DAY: i32 = i32::MIN;

/// A borrowed view of one compiled profile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProfileView<'a> {
    /// Compact skill ids, sorted.
    pub(crate) skills: &'a [u16],
    /// Level per skill, 0 where unknown.
    pub(crate) levels: &'a [u8],
    /// Packed origins then packed languages.
    attrs: &'a [u32],
    n_origins: usize,
    pub(crate) engagements: EngagementSet,
    pub(crate) available: Option<Window>,
    /// The profile's node, when it has at least one tie.
    pub(crate) node: Option<NodeId>,
}

impl<'a> ProfileView<'a> {
    /// The held skills with their levels (0 = unknown).
    pub(crate) fn held(&self) -> impl Iterator<Item = (SkillId, u8)> + 'a {
        self.skills
            .iter()
            .zip(self.levels)
            .map(|(&s, &l)| (SkillId::new(u32::from(s)), l))
    }

    /// Countries of origin and heritage.
    pub(crate) fn origins(&self) -> impl Iterator<Item = Origin> + 'a {
        self.attrs[..self.n_origins].iter().map(|&a| Origin {
            country: RegionId::new(a & 0xFFFF),
            generation: Generation::new((a >> 16) as u8).unwrap_or(Generation::FIRST),
        })
    }

    /// Whether the person gives an origin.
    pub(crate) fn has_origins(&self) -> bool {
        self.n_origins > 0
    }

    /// Languages spoken.
    pub(crate) fn languages(&self) -> impl Iterator<Item = LanguageSkill> + 'a {
        self.attrs[self.n_origins..].iter().map(|&a| LanguageSkill {
            language: LanguageId::new(a & 0xFFFF),
            level: Proficiency::ALL[usize::from((a >> 16) as u8).min(6)],
        })
    }

    /// Whether the person lists languages.
    pub(crate) fn has_languages(&self) -> bool {
        self.attrs.len() > self.n_origins
    }
}

/// Where a replaced profile's lists live now.
#[derive(Clone, Debug, Default)]
struct Moved {
    skills: Range<u32>,
    attrs: Range<u32>,
}

/// Every profile's scoring fields in flat arrays; skills sorted by id within a profile.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProfileStore {
    skill_offsets: Vec<u32>,
    skills: Vec<u16>,
    levels: Vec<u8>,
    attr_offsets: Vec<u32>,
    attrs: Vec<u32>,
    n_origins: Vec<u8>,
    engagements: Vec<EngagementSet>,
    windows: Vec<[i32; 2]>,
    nodes: Vec<u32>,
    moved: HashMap<u32, Moved>,
    /// Items no longer referred to (zeroed), reclaimed by [`ProfileStore::compact`].
    garbage: usize,
}

/// The compiled form of one profile.
struct Compiled {
    held: Vec<(u16, u8)>,
    attrs: Vec<u32>,
    n_origins: u8,
    engagements: EngagementSet,
    window: [i32; 2],
    node: u32,
}

fn too_large(what: &str) -> Error {
    Error::argument("dataset", format!("{what} does not fit the compact store"))
}

fn compile(p: &Profile, network: &Network) -> Result<Compiled> {
    let mut held = Vec::with_capacity(p.skills.len());
    for h in &p.skills {
        let s = u16::try_from(h.skill.as_u32()).map_err(|_| too_large("a skill id above 65535"))?;
        held.push((s, h.level.map_or(0, |l| l.get())));
    }
    held.sort_unstable();
    held.dedup_by_key(|h| h.0);
    let n_origins =
        u8::try_from(p.origins.len()).map_err(|_| too_large("more than 255 origins"))?;
    let mut attrs = Vec::with_capacity(p.origins.len() + p.languages.len());
    for o in &p.origins {
        let c = u16::try_from(o.country.as_u32()).map_err(|_| too_large("a region id"))?;
        attrs.push(u32::from(c) | u32::from(o.generation.get()) << 16);
    }
    for l in &p.languages {
        let c = u16::try_from(l.language.as_u32()).map_err(|_| too_large("a language id"))?;
        attrs.push(u32::from(c) | (l.level as u32) << 16);
    }
    let node = network
        .node(&p.key)
        .filter(|&n| network.degree(n) > 0)
        .map_or(NONE, |n| n.as_u32());
    Ok(Compiled {
        held,
        attrs,
        n_origins,
        engagements: p.engagements,
        window: p
            .available
            .map_or([NO_DAY, NO_DAY], |w| [w.from().days(), w.to().days()]),
        node,
    })
}

fn end(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| too_large("more than 2^32 skills or attributes in all"))
}

impl ProfileStore {
    pub(crate) fn build(profiles: &[Profile], network: &Network) -> Result<ProfileStore> {
        let mut s = ProfileStore {
            skill_offsets: Vec::with_capacity(profiles.len() + 1),
            attr_offsets: Vec::with_capacity(profiles.len() + 1),
            ..ProfileStore::default()
        };
        s.skill_offsets.push(0);
        s.attr_offsets.push(0);
        // Compile in parallel chunks, append in order.
        for chunk in profiles.chunks(1 << 16) {
            #[cfg(feature = "rayon")]
            let compiled: Vec<Compiled> = {
                use rayon::prelude::*;
                chunk
                    .par_iter()
                    .map(|p| compile(p, network))
                    .collect::<Result<_>>()?
            };
            #[cfg(not(feature = "rayon"))]
            let compiled: Vec<Compiled> =
                chunk.iter().map(|p| compile(p, network)).collect::<Result<_>>()?;
            for c in compiled {
                s.push(c)?;
            }
        }
        s.shrink();
        Ok(s)
    }

    fn shrink(&mut self) {
        self.skill_offsets.shrink_to_fit();
        self.skills.shrink_to_fit();
        self.levels.shrink_to_fit();
        self.attr_offsets.shrink_to_fit();
        self.attrs.shrink_to_fit();
        self.n_origins.shrink_to_fit();
        self.engagements.shrink_to_fit();
        self.windows.shrink_to_fit();
        self.nodes.shrink_to_fit();
    }

    fn push(&mut self, c: Compiled) -> Result<()> {
        self.skills.extend(c.held.iter().map(|h| h.0));
        self.levels.extend(c.held.iter().map(|h| h.1));
        self.skill_offsets.push(end(self.skills.len())?);
        self.attrs.extend_from_slice(&c.attrs);
        self.attr_offsets.push(end(self.attrs.len())?);
        self.n_origins.push(c.n_origins);
        self.engagements.push(c.engagements);
        self.windows.push(c.window);
        self.nodes.push(c.node);
        Ok(())
    }

    /// Appends a profile; its id is the old [`len`](Self::len).
    pub(crate) fn add(&mut self, p: &Profile, network: &Network) -> Result<()> {
        let c = compile(p, network)?;
        if self.moved.is_empty() || self.len() == 0 {
            return self.push(c);
        }
        // The CSR offsets of the last profiles may point into moved lists' storage: keep the
        // new profile's lists in the overflow table too.
        let id = self.len() as u32;
        self.skill_offsets.push(*self.skill_offsets.last().unwrap_or(&0));
        self.attr_offsets.push(*self.attr_offsets.last().unwrap_or(&0));
        self.n_origins.push(0);
        self.engagements.push(EngagementSet::EMPTY);
        self.windows.push([NO_DAY, NO_DAY]);
        self.nodes.push(NONE);
        self.set(id, c)
    }

    /// Replaces profile `id` (which must exist) by `p`.
    pub(crate) fn replace(&mut self, id: u32, p: &Profile, network: &Network) -> Result<()> {
        let c = compile(p, network)?;
        self.set(id, c)
    }

    /// Erases profile `id`: zeroes its items and leaves it with nothing, eligible for nothing.
    pub(crate) fn erase(&mut self, id: u32) -> Result<()> {
        self.set(
            id,
            Compiled {
                held: Vec::new(),
                attrs: Vec::new(),
                n_origins: 0,
                engagements: EngagementSet::EMPTY,
                window: [NO_DAY, NO_DAY],
                node: NONE,
            },
        )
    }

    fn set(&mut self, id: u32, c: Compiled) -> Result<()> {
        let i = id as usize;
        let (skills, attrs) = self.ranges(i);
        // Overwrite the old items so nothing of the old version stays in memory.
        self.skills[skills.start as usize..skills.end as usize].fill(0);
        self.levels[skills.start as usize..skills.end as usize].fill(0);
        self.attrs[attrs.start as usize..attrs.end as usize].fill(0);
        self.garbage += skills.len() + attrs.len();
        let s0 = end(self.skills.len())?;
        self.skills.extend(c.held.iter().map(|h| h.0));
        self.levels.extend(c.held.iter().map(|h| h.1));
        let a0 = end(self.attrs.len())?;
        self.attrs.extend_from_slice(&c.attrs);
        self.moved.insert(
            id,
            Moved {
                skills: s0..end(self.skills.len())?,
                attrs: a0..end(self.attrs.len())?,
            },
        );
        self.n_origins[i] = c.n_origins;
        self.engagements[i] = c.engagements;
        self.windows[i] = c.window;
        self.nodes[i] = c.node;
        Ok(())
    }

    #[inline]
    fn ranges(&self, i: usize) -> (Range<u32>, Range<u32>) {
        let moved = if self.moved.is_empty() {
            None
        } else {
            self.moved.get(&(i as u32))
        };
        match moved {
            Some(m) => (m.skills.clone(), m.attrs.clone()),
            None => (
                self.skill_offsets[i]..self.skill_offsets[i + 1],
                self.attr_offsets[i]..self.attr_offsets[i + 1],
            ),
        }
    }

    /// Items held for replaced or erased profiles that [`compact`](Self::compact) would free.
    pub(crate) fn garbage(&self) -> usize {
        self.garbage
    }

    /// Rewrites the arrays in id order, dropping the zeroed items of old versions.
    pub(crate) fn compact(&mut self) -> Result<()> {
        if self.moved.is_empty() && self.garbage == 0 {
            return Ok(());
        }
        let n = self.len();
        let mut next = ProfileStore {
            skill_offsets: Vec::with_capacity(n + 1),
            attr_offsets: Vec::with_capacity(n + 1),
            skills: Vec::with_capacity(self.skills.len() - self.garbage.min(self.skills.len())),
            ..ProfileStore::default()
        };
        next.skill_offsets.push(0);
        next.attr_offsets.push(0);
        for i in 0..n {
            let (s, a) = self.ranges(i);
            let (s, a) = (
                s.start as usize..s.end as usize,
                a.start as usize..a.end as usize,
            );
            next.skills.extend_from_slice(&self.skills[s.clone()]);
            next.levels.extend_from_slice(&self.levels[s]);
            next.skill_offsets.push(end(next.skills.len())?);
            next.attrs.extend_from_slice(&self.attrs[a]);
            next.attr_offsets.push(end(next.attrs.len())?);
        }
        next.n_origins = std::mem::take(&mut self.n_origins);
        next.engagements = std::mem::take(&mut self.engagements);
        next.windows = std::mem::take(&mut self.windows);
        next.nodes = std::mem::take(&mut self.nodes);
        next.shrink();
        // The old arrays held only zeros where versions were replaced; drop them.
        *self = next;
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.engagements.len()
    }

    /// The view of profile `i < len()`.
    pub(crate) fn view(&self, i: usize) -> ProfileView<'_> {
        let (s, a) = self.ranges(i);
        let (s, a) = (
            s.start as usize..s.end as usize,
            a.start as usize..a.end as usize,
        );
        let w = self.windows[i];
        ProfileView {
            skills: &self.skills[s.clone()],
            levels: &self.levels[s],
            attrs: &self.attrs[a],
            n_origins: usize::from(self.n_origins[i]),
            engagements: self.engagements[i],
            available: if w[0] == NO_DAY {
                None
            } else {
                Window::new(
                    crate::model::Date::from_days(w[0]),
                    crate::model::Date::from_days(w[1]),
                )
            },
            node: (self.nodes[i] != NONE).then(|| NodeId::new(self.nodes[i])),
        }
    }

    /// The engagement bits of profile `i < len()`.
    #[inline]
    pub(crate) fn engagements(&self, i: usize) -> EngagementSet {
        self.engagements[i]
    }

    /// The availability of profile `i < len()` as day numbers, `None` when not given.
    #[inline]
    pub(crate) fn window_days(&self, i: usize) -> Option<[i32; 2]> {
        let w = self.windows[i];
        (w[0] != NO_DAY).then_some(w)
    }

    /// Bytes held by the arrays.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.skill_offsets.capacity() * 4
            + self.skills.capacity() * 2
            + self.levels.capacity()
            + self.attr_offsets.capacity() * 4
            + self.attrs.capacity() * 4
            + self.n_origins.capacity()
            + self.engagements.capacity()
            + self.windows.capacity() * 8
            + self.nodes.capacity() * 4
            + self.moved.capacity() * (4 + std::mem::size_of::<Moved>())
    }

    /// Whether any array still holds a value for profile `i` that is not zero or empty; for
    /// erasure checks.
    #[cfg(test)]
    pub(crate) fn holds_anything(&self, i: usize) -> bool {
        let v = self.view(i);
        !v.skills.is_empty()
            || !v.attrs.is_empty()
            || !v.engagements.is_empty()
            || v.available.is_some()
            || v.node.is_some()
    }
}
