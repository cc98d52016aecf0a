//! A borrowed view of one compiled profile: its slices of the store's arrays, decoded as
//! they are read.

use crate::id::{LanguageId, NodeId, RegionId, SkillId};
use crate::model::{EngagementSet, Generation, LanguageSkill, Origin, Proficiency, Window};

use super::super::extras::Extras;
use super::NO_REGION;

/// A borrowed view of one compiled profile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProfileView<'a> {
    /// Compact skill ids, sorted.
    pub(crate) skills: &'a [u16],
    /// Level per skill, 0 where unknown.
    pub(crate) levels: &'a [u8],
    /// Packed origins then packed languages.
    pub(super) attrs: &'a [u32],
    pub(super) n_origins: usize,
    /// Capital and interests ([`extras`](super::extras)).
    pub(super) extras: &'a [u32],
    /// The country of residence, [`NO_REGION`] for none; a reference, so that it is read only
    /// by the scores that need it.
    pub(super) residence: &'a u16,
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
        self.attrs[..self.n_origins].iter().map(|&a| origin(a))
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

    /// Capital and interests.
    pub(crate) fn extras(&self) -> Extras<'a> {
        Extras::new(self.extras)
    }

    /// The country of residence.
    pub(crate) fn residence(&self) -> Option<RegionId> {
        residence(*self.residence)
    }
}

/// A stored residence as a country, [`NO_REGION`] as none.
#[inline]
pub(super) fn residence(r: u16) -> Option<RegionId> {
    (r != NO_REGION).then(|| RegionId::new(u32::from(r)))
}

/// A stored origin word: the country in the low 16 bits, the generation above.
#[inline]
pub(super) fn origin(a: u32) -> Origin {
    Origin {
        country: RegionId::new(a & 0xFFFF),
        generation: Generation::new((a >> 16) as u8).unwrap_or(Generation::FIRST),
    }
}
