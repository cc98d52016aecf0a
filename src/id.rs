//! Dense `u32` identifiers.
//!
//! Every record that enters the crate is given a dense index once, at load time; from then on
//! the engine works with these ids, slices and bitsets and never touches a `String` on a hot
//! path. Keys (the strings the outside world uses) live beside the records that own them:
//! [`Dataset`](crate::Dataset) for profiles and opportunities, [`Taxonomy`](crate::Taxonomy)
//! for skills, [`Regions`](crate::Regions), [`Languages`](crate::Languages) and
//! [`Network`](crate::Network).
//!
//! # Ids belong to the engine that issued them
//!
//! An id is a position, not a name: profile 7 of one engine is some other person in another
//! engine (or in the same engine rebuilt from other data). The ids carry no tag of their
//! engine, by design: they are 4 bytes wide so that lists of matches, bitsets and the
//! placement's arrays stay compact, and shards of one registry share one id space on
//! purpose ([`EngineBuilder::first_profile_id`](crate::EngineBuilder::first_profile_id), with
//! [`merge_matches`](crate::merge_matches) over the shards). What crosses from one engine,
//! process or day to another is the key: [`Engine::profile_id`](crate::Engine::profile_id)
//! and [`Engine::opportunity_id`](crate::Engine::opportunity_id) turn keys back into ids,
//! and [`Engine::profile_key`](crate::Engine::profile_key) turns an id into its key. An id beyond an
//! engine's records is refused ([`ErrorKind::UnknownId`](crate::ErrorKind::UnknownId)); an
//! erased profile's id is never reused, and names an empty record that matches nothing.

use std::fmt;

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
            serde::Serialize, serde::Deserialize,
        )]
        #[repr(transparent)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The largest id that can be represented.
            pub const MAX: Self = Self(u32::MAX - 1);

            /// Makes an id from its dense index.
            pub const fn new(index: u32) -> Self {
                Self(index)
            }

            /// The dense index, for indexing slices.
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// The raw value.
            pub const fn as_u32(self) -> u32 {
                self.0
            }

            /// Makes an id from a `usize` index, or `None` when it does not fit in a `u32`.
            pub fn from_index(index: usize) -> Option<Self> {
                u32::try_from(index).ok().filter(|&i| i <= Self::MAX.0).map(Self)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "#{}"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, f)
            }
        }
    };
}

define_id!(
    /// A profile (one diaspora member) in a [`Dataset`](crate::Dataset): its position in
    /// [`Dataset::profiles`](crate::Dataset::profiles).
    ProfileId,
    "profile"
);
define_id!(
    /// An opportunity in a [`Dataset`](crate::Dataset): its position in
    /// [`Dataset::opportunities`](crate::Dataset::opportunities).
    OpportunityId,
    "opportunity"
);
define_id!(
    /// A skill, knowledge area, technology or skill group of the [`Taxonomy`](crate::Taxonomy).
    SkillId,
    "skill"
);
define_id!(
    /// A country or a UN M49 area (intermediate region, sub-region, region) of
    /// [`Regions`](crate::Regions).
    RegionId,
    "region"
);
define_id!(
    /// A language of [`Languages`](crate::Languages) (ISO 639-3).
    LanguageId,
    "language"
);
define_id!(
    /// A person or organisation in the [`Network`](crate::Network) of ties.
    NodeId,
    "node"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_order() {
        let a = SkillId::new(3);
        assert_eq!(a.index(), 3);
        assert_eq!(a.as_u32(), 3);
        assert!(SkillId::new(2) < a);
        assert_eq!(format!("{a:?}"), "skill#3");
        assert_eq!(ProfileId::from_index(7), Some(ProfileId::new(7)));
        assert_eq!(ProfileId::from_index(u32::MAX as usize), None);
    }
}
