//! Compiling a profile into the store's flat arrays, and why a profile cannot be.

use crate::error::{Error, Result};
use crate::id::NodeId;
use crate::model::{EngagementSet, Profile};
use crate::network::Network;

use super::store::{NO_DAY, NO_REGION, NONE};

/// The compiled form of one profile.
#[derive(Default)]
pub(crate) struct Compiled {
    pub(crate) held: Vec<(u16, u8)>,
    pub(crate) attrs: Vec<u32>,
    pub(crate) n_origins: u8,
    pub(crate) engagements: EngagementSet,
    pub(crate) window: [i32; 2],
    pub(crate) node: u32,
    /// The country of residence, [`NO_REGION`] for none.
    pub(crate) residence: u16,
}

/// Why [`ProfileStore::compile_parts`](super::ProfileStore::compile_parts) failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A profile's check failed: its index and the error.
    Field(usize, Error),
    /// A profile does not fit the compact arrays.
    Store(Error),
}

pub(crate) fn too_large(what: &str) -> Error {
    Error::argument("dataset", format!("{what} does not fit the compact store"))
}

pub(crate) fn compile(p: &Profile, network: &Network) -> Result<Compiled> {
    let mut c = Compiled::default();
    compile_into(p, network.node(&p.key), network, &mut c)?;
    Ok(c)
}

/// Compiles a profile whose network node is `node` into `c`, reusing its vectors.
pub(crate) fn compile_into(
    p: &Profile,
    node: Option<NodeId>,
    network: &Network,
    c: &mut Compiled,
) -> Result<()> {
    let held = &mut c.held;
    held.clear();
    for h in &p.skills {
        let s = u16::try_from(h.skill.as_u32()).map_err(|_| too_large("a skill id above 65535"))?;
        held.push((s, h.level.map_or(0, |l| l.get())));
    }
    held.sort_unstable();
    held.dedup_by_key(|h| h.0);
    if held.len() > usize::from(u8::MAX) {
        return Err(too_large("more than 255 skills in one profile"));
    }
    let extras = super::extras::words(&p.capital, &p.interests);
    if p.origins.len() + p.languages.len() + extras > usize::from(u8::MAX) {
        return Err(too_large(
            "more than 255 origins, languages, capital and interest entries in one profile",
        ));
    }
    c.n_origins = u8::try_from(p.origins.len()).map_err(|_| too_large("more than 255 origins"))?;
    let attrs = &mut c.attrs;
    attrs.clear();
    for o in &p.origins {
        let c = u16::try_from(o.country.as_u32()).map_err(|_| too_large("a region id"))?;
        attrs.push(u32::from(c) | u32::from(o.generation.get()) << 16);
    }
    for l in &p.languages {
        let c = u16::try_from(l.language.as_u32()).map_err(|_| too_large("a language id"))?;
        attrs.push(u32::from(c) | (l.level as u32) << 16);
    }
    super::extras::encode(&p.capital, &p.interests, attrs);
    c.node = node
        .filter(|&n| network.has_ties(n))
        .map_or(NONE, |n| n.as_u32());
    c.engagements = p.engagements;
    c.window = p
        .available
        .map_or([NO_DAY, NO_DAY], |w| [w.from().days(), w.to().days()]);
    c.residence = match p.residence {
        Some(r) => u16::try_from(r.as_u32())
            .ok()
            .filter(|&r| r != NO_REGION)
            .ok_or_else(|| too_large("a region id"))?,
        None => NO_REGION,
    };
    Ok(())
}

pub(crate) fn end(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| too_large("more than 2^32 skills or attributes in all"))
}
