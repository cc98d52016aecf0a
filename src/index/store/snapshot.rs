//! The store in a snapshot: per profile its counts and small fields, then the item arrays in
//! id order without the zeroed items of replaced versions (the store is written compacted).
//! Offsets are not written: reading recomputes them, and checks every value against the
//! reference data and the network before the store answers anything.

use crate::dataset::Reference;
use crate::engine::ProfileNodes;
use crate::error::Result;
use crate::model::{Engagement, EngagementSet, Generation, Proficiency};
use crate::network::Network;
use crate::snapshot::format::{In, Out};

use super::super::compile::end;
use super::super::extras::{self, Extras};
use super::{Head, NO_DAY, NO_REGION, NONE, ProfileStore, ranges};

/// The engagement set as bits in [`Engagement::ALL`] order.
fn engagement_bits(set: EngagementSet) -> u8 {
    Engagement::ALL
        .iter()
        .enumerate()
        .filter(|(_, e)| set.contains(**e))
        .fold(0, |b, (i, _)| b | 1 << i)
}

impl ProfileStore {
    /// Writes the store, compacted.
    pub(crate) fn write(&self, out: &mut Out) {
        out.u64(self.heads.len() as u64);
        for (h, &r) in self.heads.iter().zip(&self.residences) {
            out.u8(h.skills);
            out.u8(h.attrs);
            out.u8(h.n_origins);
            out.u8(engagement_bits(h.engagements));
            out.i32(h.window[0]);
            out.i32(h.window[1]);
            out.u32(h.node);
            out.0.extend_from_slice(&r.to_le_bytes());
        }
        // The live items in id order, written straight from the arrays (no copy of them).
        let skills: usize = self.heads.iter().map(|h| usize::from(h.skills)).sum();
        let attrs: usize = self.heads.iter().map(|h| usize::from(h.attrs)).sum();
        out.u64(skills as u64);
        for h in &self.heads {
            for &k in &self.skills[ranges(h).0] {
                out.0.extend_from_slice(&k.to_le_bytes());
            }
        }
        out.u64(skills as u64);
        for h in &self.heads {
            out.0.extend_from_slice(&self.levels[ranges(h).0]);
        }
        out.u64(attrs as u64);
        for h in &self.heads {
            for &a in &self.attrs[ranges(h).1] {
                out.u32(a);
            }
        }
    }

    /// Reads a store written by [`ProfileStore::write`] for profiles whose nodes are `nodes`,
    /// checking every value: counts that add up to the arrays, skills sorted and in the
    /// taxonomy, levels, countries, generations, languages and proficiencies that exist,
    /// engagement bits that name kinds, windows in order, and each profile's scoring node its
    /// own node when that has ties, none otherwise.
    pub(crate) fn read(
        input: &mut In<'_>,
        r: &Reference,
        network: &Network,
        nodes: &ProfileNodes,
    ) -> Result<ProfileStore> {
        // A head takes 18 bytes: four counts and flags, two days, a node, a residence.
        let n = input.len(18)?;
        if n != nodes.len() {
            return Err(input.bad(format!("{n} profiles for {} profile nodes", nodes.len())));
        }
        let (mut s, skills, attrs) = ProfileStore::read_heads(input, n)?;
        s.skills = input.u16s()?;
        s.levels = input.bytes()?.to_vec();
        s.attrs = input.u32s()?;
        input.end()?;
        if s.skills.len() != skills || s.levels.len() != skills {
            return Err(input.bad("skill counts that do not add up to the skills"));
        }
        if s.attrs.len() != attrs {
            return Err(input.bad("attribute counts that do not add up to the attributes"));
        }
        // The compact adjacency answers `has_ties` without walking the graph.
        network.adjacency();
        let check = |i: usize| s.check(i, r, network, nodes).err().map(|why| (i, why));
        #[cfg(feature = "rayon")]
        let first = {
            use rayon::prelude::*;
            (0..n)
                .into_par_iter()
                .with_min_len(4096)
                .find_map_first(check)
        };
        #[cfg(not(feature = "rayon"))]
        let first = (0..n).find_map(check);
        if let Some((i, why)) = first {
            return Err(input.bad(format!("profile {i}: {why}")));
        }
        s.sign();
        Ok(s)
    }

    /// The heads and residences of `n` profiles, their offsets the running sums of the
    /// counts; with the number of skills and of attributes they add up to.
    fn read_heads(input: &mut In<'_>, n: usize) -> Result<(ProfileStore, usize, usize)> {
        let mut s = ProfileStore {
            heads: Vec::with_capacity(n),
            residences: Vec::with_capacity(n),
            ..ProfileStore::default()
        };
        let (mut skill_start, mut attr_start) = (0usize, 0usize);
        for _ in 0..n {
            let (skills, attrs, n_origins) = (input.u8()?, input.u8()?, input.u8()?);
            let bits = input.u8()?;
            if bits >> Engagement::ALL.len() != 0 {
                return Err(input.bad("unknown engagement bits"));
            }
            let engagements = Engagement::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & 1 << i != 0)
                .map(|(_, &e)| e)
                .collect();
            let window = [input.i32()?, input.i32()?];
            let node = input.u32()?;
            let residence = u16::from_le_bytes([input.u8()?, input.u8()?]);
            if n_origins > attrs {
                return Err(input.bad("more origins than attributes"));
            }
            s.heads.push(Head {
                skill_start: end(skill_start).map_err(|_| input.bad("too many skills"))?,
                attr_start: end(attr_start).map_err(|_| input.bad("too many attributes"))?,
                skills,
                attrs,
                n_origins,
                engagements,
                window,
                node,
                signature: 0,
            });
            s.residences.push(residence);
            skill_start += usize::from(skills);
            attr_start += usize::from(attrs);
        }
        Ok((s, skill_start, attr_start))
    }

    /// Why profile `i`'s values cannot be, if they cannot.
    fn check(
        &self,
        i: usize,
        r: &Reference,
        network: &Network,
        nodes: &ProfileNodes,
    ) -> std::result::Result<(), &'static str> {
        let h = &self.heads[i];
        let (sr, ar) = ranges(h);
        let skills = &self.skills[sr.clone()];
        if skills.windows(2).any(|w| w[0] >= w[1]) {
            return Err("skills not in strictly ascending order");
        }
        if skills.iter().any(|&k| usize::from(k) >= r.taxonomy.len()) {
            return Err("a skill not in the taxonomy");
        }
        if self.levels[sr].iter().any(|&l| l > 5) {
            return Err("a level above 5");
        }
        let n_origins = usize::from(h.n_origins);
        let (attrs, extras) = extras::split(&self.attrs[ar], n_origins);
        if let Some(problem) = Extras::new(extras).problem() {
            return Err(problem);
        }
        let (origins, languages) = attrs.split_at(n_origins.min(attrs.len()));
        for &a in origins {
            let country = crate::id::RegionId::new(a & 0xFFFF);
            if a >> 24 != 0
                || !r.regions.is_country(country)
                || Generation::new((a >> 16) as u8).is_none()
            {
                return Err("an origin that is not a country and a generation");
            }
        }
        for &a in languages {
            if (a & 0xFFFF) as usize >= r.languages.len()
                || (a >> 16) as usize >= Proficiency::ALL.len()
            {
                return Err("a language or proficiency that does not exist");
            }
        }
        let open = h.window == [NO_DAY, NO_DAY];
        if !open && (h.window[0] == NO_DAY || h.window[0] > h.window[1]) {
            return Err("an availability window out of order");
        }
        // The node scored is the profile's own when that has ties, and none otherwise.
        let own = nodes.node(i as u32).filter(|&v| network.has_ties(v));
        if own.map_or(NONE, crate::id::NodeId::as_u32) != h.node {
            return Err("a network node that is not its own");
        }
        let residence = self.residences[i];
        if residence != NO_REGION
            && !r
                .regions
                .is_country(crate::id::RegionId::new(u32::from(residence)))
        {
            return Err("a residence that is not a country");
        }
        Ok(())
    }
}
