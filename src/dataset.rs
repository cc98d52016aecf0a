//! [`Reference`] data and the [`Dataset`] an engine is built from.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::geo::Regions;
use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::language::Languages;
use crate::model::{LanguageSkill, Opportunity, Profile, Requirement};
use crate::network::{Network, NodeKind};
use crate::taxonomy::Taxonomy;
use crate::util::text::key_problem;

/// The reference data every dataset is resolved against: skills, countries and languages.
/// Shared between datasets (load it once, wrap it in an [`Arc`]).
#[derive(Clone, Debug)]
pub struct Reference {
    /// The skill vocabulary.
    pub taxonomy: Taxonomy,
    /// Countries and M49 areas.
    pub regions: Regions,
    /// Languages and where they are spoken.
    pub languages: Languages,
}

/// Profiles, opportunities and the network, with every name resolved to an id.
///
/// A plain model type: [`io`](crate::io) reads and writes it, [`synth`](crate::synth)
/// generates it, services build it; the [`Engine`](crate::Engine) is built from it and
/// validates it once.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Skills, countries and languages.
    pub reference: Arc<Reference>,
    /// The people; [`ProfileId`] `i` is `profiles[i]`.
    pub profiles: Vec<Profile>,
    /// The opportunities; [`OpportunityId`] `i` is `opportunities[i]`.
    pub opportunities: Vec<Opportunity>,
    /// People (profiles appear under their own key), organisations and ties.
    pub network: Network,
}

impl Dataset {
    /// An empty dataset over some reference data.
    pub fn new(reference: Arc<Reference>) -> Dataset {
        Dataset {
            reference,
            profiles: Vec::new(),
            opportunities: Vec::new(),
            network: Network::new(),
        }
    }

    /// A profile.
    pub fn profile(&self, id: ProfileId) -> Option<&Profile> {
        self.profiles.get(id.index())
    }

    /// An opportunity.
    pub fn opportunity(&self, id: OpportunityId) -> Option<&Opportunity> {
        self.opportunities.get(id.index())
    }

    /// Checks every record: unique non-empty keys, ids that exist in the reference data and
    /// the network, origins that are countries, at least one requirement per opportunity with
    /// finite positive weights, each skill at most once per profile, hosts that are in the
    /// network, profiles that are person nodes when they are in the network.
    ///
    /// The empty places that [`Engine::remove_profile`](crate::Engine::remove_profile) leaves
    /// (no key, no data) are skipped.
    ///
    /// # Errors
    ///
    /// The first problem found, as [`ErrorKind::Field`] or [`ErrorKind::DuplicateKey`] naming
    /// the record by position and key.
    pub fn validate(&self) -> Result<()> {
        self.check_counts()?;
        // The fields of every profile in parallel, keeping the first error in order; then the
        // keys, in order, up to that record: the error reported is the first in the file.
        let first_field = self.first_field_error();
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(self.profiles.len());
        let mut insert = recorder(&mut seen);
        for (i, p) in self.profiles.iter().enumerate() {
            if first_field.as_ref().is_some_and(|f| f.0 < i) {
                break;
            }
            if is_removed(p) {
                continue;
            }
            let at = || Location::default().index(i).key(&p.key);
            check_key(&p.key, i, &mut insert, at)?;
        }
        if let Some((_, e)) = first_field {
            return Err(e);
        }
        self.check_opportunities()
    }

    /// Ids are `u32`: refuses more records than that.
    fn check_counts(&self) -> Result<()> {
        if ProfileId::from_index(self.profiles.len()).is_none()
            || OpportunityId::from_index(self.opportunities.len()).is_none()
        {
            return Err(Error::argument("dataset", "too many records for u32 ids"));
        }
        Ok(())
    }

    /// The first profile (in record order) with an invalid field, and why; its key's
    /// uniqueness is not looked at. Checked in parallel.
    pub(crate) fn first_field_error(&self) -> Option<(usize, Error)> {
        let check = |(i, p): (usize, &Profile)| {
            if is_removed(p) {
                return None;
            }
            self.check_profile_at(i, p, self.network.node(&p.key))
                .err()
                .map(|e| (i, e))
        };
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            self.profiles
                .par_iter()
                .enumerate()
                .with_min_len(4096)
                .find_map_first(check)
        }
        #[cfg(not(feature = "rayon"))]
        self.profiles.iter().enumerate().find_map(check)
    }

    /// [`check_profile`] against this dataset's reference data and network, with the
    /// profile's network node looked up already.
    pub(crate) fn check_profile_at(
        &self,
        i: usize,
        p: &Profile,
        node: Option<NodeId>,
    ) -> Result<()> {
        check_profile(&self.reference, &self.network, i, p, node)
    }

    pub(crate) fn check_opportunities(&self) -> Result<()> {
        let r = &*self.reference;
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(self.opportunities.len());
        let mut insert = recorder(&mut seen);
        for (i, o) in self.opportunities.iter().enumerate() {
            let at = || Location::default().index(i).key(&o.key);
            check_key(&o.key, i, &mut insert, at)?;
            if !self.network.contains(o.host) {
                return Err(Error::field(at(), "host", "not a node of the network"));
            }
            if !r.regions.is_country(o.country) {
                return Err(Error::field(at(), "country", "not a country"));
            }
            if o.requirements.len() > crate::score::MAX_REQUIREMENTS {
                return Err(Error::field(
                    at(),
                    "requirements",
                    format!("at most {} requirements", crate::score::MAX_REQUIREMENTS),
                ));
            }
            for (j, req) in o.requirements.iter().enumerate() {
                if req.skill.index() >= r.taxonomy.len() {
                    return Err(Error::field(
                        at(),
                        format!("requirements[{j}].skill"),
                        "unknown skill id",
                    ));
                }
                if let Err(reason) = check_weight(req) {
                    return Err(
                        Error::field(at(), format!("requirements[{j}].weight"), reason)
                            .with_value(Some(req.weight.to_string()), None),
                    );
                }
            }
            check_languages(&o.languages, r, at)?;
            if let Some(j) = o.settlement.iter().position(|&c| !r.regions.is_country(c)) {
                return Err(Error::field(
                    at(),
                    format!("settlement[{j}]"),
                    "not a country",
                ));
            }
            if let Some((f, reason)) = opportunity_repeats(o) {
                return Err(Error::field(at(), f, reason));
            }
        }
        Ok(())
    }
}

/// Every language of a profile or an opportunity is in the reference data.
fn check_languages(
    languages: &[LanguageSkill],
    r: &Reference,
    at: impl Fn() -> Location,
) -> Result<()> {
    for (j, l) in languages.iter().enumerate() {
        if l.language.index() >= r.languages.len() {
            return Err(Error::field(
                at(),
                format!("languages[{j}].language"),
                "unknown language id",
            ));
        }
    }
    Ok(())
}

/// The empty place an erased profile leaves: no key and no data.
pub(crate) fn removed_profile() -> Profile {
    Profile {
        key: String::new(),
        skills: Vec::new(),
        origins: Vec::new(),
        residence: None,
        languages: Vec::new(),
        engagements: crate::model::EngagementSet::EMPTY,
        available: None,
        intermediary: false,
        capital: crate::capital::Capital::default(),
        interests: crate::interests::Interests::default(),
    }
}

/// Whether a record is the empty place an erased profile leaves
/// ([`Engine::remove_profile`](crate::Engine::remove_profile)): no key and no data.
pub(crate) fn is_removed(p: &Profile) -> bool {
    p.key.is_empty()
        && p.skills.is_empty()
        && p.origins.is_empty()
        && p.languages.is_empty()
        && p.capital.is_empty()
        && p.interests.is_empty()
}

/// Records keys in `seen` for [`check_key`]: returns the index that held a key already.
fn recorder<'a, 'm>(
    seen: &'m mut HashMap<&'a str, usize>,
) -> impl FnMut(&'a str, usize) -> Option<usize> + 'm {
    move |key, i| match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(i);
            None
        }
    }
}

pub(crate) fn check_key<'a>(
    key: &'a str,
    i: usize,
    insert: &mut impl FnMut(&'a str, usize) -> Option<usize>,
    at: impl Fn() -> Location,
) -> Result<()> {
    if let Some(reason) = key_problem(key) {
        return Err(Error::field(at(), "key", reason));
    }
    if let Some(first) = insert(key, i) {
        return Err(ErrorKind::DuplicateKey {
            at: at(),
            key: key.to_string(),
            first: Some(Location::default().index(first)),
        }
        .into());
    }
    Ok(())
}

/// Why a requirement weight is refused, if it is.
pub(crate) fn check_weight(req: &Requirement) -> Result<(), &'static str> {
    if req.weight.is_finite() && req.weight > 0.0 {
        Ok(())
    } else {
        Err("must be finite and positive")
    }
}

/// A field and the reason it is refused.
pub(crate) type Refusal = (String, &'static str);

/// The first list of a profile that names an item twice (skills, origin countries,
/// languages). One rule for every path in: the loader, [`Dataset::validate`], the engine's
/// builder and its updates.
pub(crate) fn profile_repeats(p: &Profile) -> Option<Refusal> {
    if let Some(j) = first_repeat(p.interests.sectors.iter().map(|s| s.index() as u32)) {
        return Some((
            format!("interests.sectors[{j}]"),
            "a sector is listed twice",
        ));
    }
    let lists: [(&str, &str, &'static str, Option<usize>); 3] = [
        (
            "skills",
            "skill",
            "a skill is listed twice",
            first_repeat(p.skills.iter().map(|s| s.skill.as_u32())),
        ),
        (
            "origins",
            "country",
            "a country is listed twice",
            first_repeat(p.origins.iter().map(|o| o.country.as_u32())),
        ),
        (
            "languages",
            "language",
            "a language is listed twice",
            first_repeat(p.languages.iter().map(|l| l.language.as_u32())),
        ),
    ];
    lists
        .into_iter()
        .find_map(|(list, item, reason, j)| j.map(|j| (format!("{list}[{j}].{item}"), reason)))
}

/// What an opportunity's lists must satisfy as a whole, beyond each entry: each skill
/// required once, each language asked once, each country of settlement sought once, and
/// requirement weights whose sum is finite (every skills component is a sum of weights times
/// credits in `[0, 1]`, finite when the weights' sum is); and what its kind asks for
/// ([`channel_problem`]). One rule for every path in, as [`profile_repeats`].
pub(crate) fn opportunity_repeats(o: &Opportunity) -> Option<Refusal> {
    if let Some(refusal) = channel_problem(o) {
        return Some(refusal);
    }
    if let Some(j) = first_repeat(o.settlement.iter().map(|c| c.as_u32())) {
        return Some((format!("settlement[{j}]"), "a country is sought twice"));
    }
    if let Some(j) = first_repeat(o.requirements.iter().map(|r| r.skill.as_u32())) {
        return Some((
            format!("requirements[{j}].skill"),
            "the same skill is required twice",
        ));
    }
    if let Some(j) = first_repeat(o.languages.iter().map(|l| l.language.as_u32())) {
        return Some((
            format!("languages[{j}].language"),
            "a language is asked twice",
        ));
    }
    let sum: f32 = o.requirements.iter().map(|r| r.weight).sum();
    (!sum.is_finite()).then(|| ("requirements".into(), "the weights' sum must be finite"))
}

/// What an opportunity's kind asks of its fields: work has at least one requirement (an
/// investment, a donation or tourism may have none); a ticket belongs to an investment and a
/// funding gap to a donation, each with a positive amount.
fn channel_problem(o: &Opportunity) -> Option<Refusal> {
    use crate::model::Engagement::{Donate, Invest, Tourism};
    let kind = o.engagement;
    if o.requirements.is_empty() && !matches!(kind, Invest | Donate | Tourism) {
        return Some((
            "requirements".into(),
            "at least one requirement is needed for work",
        ));
    }
    if let Some(t) = o.ticket {
        if kind != Invest {
            return Some(("ticket_usd".into(), "a ticket is for an investment"));
        }
        if t.max() <= 0.0 {
            return Some((
                "ticket_usd".into(),
                "the ticket's largest amount must be positive",
            ));
        }
    }
    if let Some(gap) = o.gap {
        if kind != Donate {
            return Some(("gap_usd".into(), "a funding gap is for a donation"));
        }
        if !(gap.is_finite() && gap > 0.0) {
            return Some(("gap_usd".into(), "must be a positive, finite amount"));
        }
    }
    None
}

/// The first position whose item equals an earlier one: compared pairwise for the usual
/// few items, sorted beyond (on the stack up to 64 items, so validating a million profiles
/// allocates nothing; a list of 20,000 items costs a sort, not 200 million comparisons).
pub(crate) fn first_repeat(items: impl Iterator<Item = u32> + Clone) -> Option<usize> {
    const FEW: usize = 16;
    let n = items.clone().count();
    if n <= FEW {
        return items
            .clone()
            .enumerate()
            .skip(1)
            .find(|&(j, x)| items.clone().take(j).any(|y| y == x))
            .map(|(j, _)| j);
    }
    let mut stack = [(0u32, 0usize); 64];
    let mut heap = Vec::new();
    let sorted: &mut [(u32, usize)] = if n <= stack.len() {
        for (slot, item) in stack.iter_mut().zip(items.zip(0..)) {
            *slot = item;
        }
        &mut stack[..n]
    } else {
        heap.extend(items.zip(0..));
        &mut heap
    };
    sorted.sort_unstable();
    sorted
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1)
        .min()
}

/// Checks one profile's fields (not the uniqueness of its key) against reference data and a
/// network: ids that exist, origins and residence that are countries, no item listed twice,
/// and a network node, when the key has one, that is a person. `i` names the record in errors.
pub(crate) fn check_profile(
    r: &Reference,
    network: &Network,
    i: usize,
    p: &Profile,
    node: Option<NodeId>,
) -> Result<()> {
    let at = || Location::default().index(i).key(&p.key);
    if let Some(reason) = key_problem(&p.key) {
        return Err(Error::field(at(), "key", reason));
    }
    {
        for (j, s) in p.skills.iter().enumerate() {
            if s.skill.index() >= r.taxonomy.len() {
                return Err(Error::field(
                    at(),
                    format!("skills[{j}].skill"),
                    "unknown skill id",
                ));
            }
        }
        for (j, o) in p.origins.iter().enumerate() {
            if !r.regions.is_country(o.country) {
                return Err(Error::field(
                    at(),
                    format!("origins[{j}].country"),
                    "not a country",
                ));
            }
        }
        if p.residence.is_some_and(|c| !r.regions.is_country(c)) {
            return Err(Error::field(at(), "residence", "not a country"));
        }
        check_languages(&p.languages, r, at)?;
        if let Some((f, reason)) = profile_repeats(p) {
            return Err(Error::field(at(), f, reason));
        }
        if let Some(n) = node
            && network.kind(n) != Some(NodeKind::Person)
        {
            return Err(Error::field(
                at(),
                "key",
                "names an organisation in the network",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::first_repeat;

    proptest! {
        /// The first repeated position, on both sides of the pairwise, stack and heap paths,
        /// is the naive scan's.
        #[test]
        fn first_repeat_is_the_naive_scans(items in prop::collection::vec(0u32..90, 0..150)) {
            let naive = (1..items.len()).find(|&j| items[..j].contains(&items[j]));
            prop_assert_eq!(first_repeat(items.iter().copied()), naive);
        }
    }
}
