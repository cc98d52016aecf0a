//! An [`Instance`] of the placement problem: people and opportunities with capacities,
//! preferences, scores and caps, built from matches or records.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{OpportunityId, ProfileId, RegionId};
use crate::score::Match;
use crate::util::Csr;

/// Scores are compared as integers in millionths, so that totals are exact.
pub(crate) const SCALE: f64 = 1_000_000.0;

pub(crate) fn quantise(score: f32) -> i64 {
    (f64::from(score) * SCALE).round() as i64
}

/// Which country groups people for a [`Caps`] limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapBy {
    /// The first country of origin.
    #[default]
    Origin,
    /// The country of residence.
    Residence,
}

/// Diversity caps: at most so many people of one group per opportunity, and across the
/// programme. People without a group are never capped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Caps {
    /// At most this many people of one group in one opportunity.
    pub per_opportunity: Option<u32>,
    /// At most this many people of one group placed in the whole programme.
    pub programme: Option<u32>,
}

impl Caps {
    pub(crate) fn any(&self) -> bool {
        self.per_opportunity.is_some() || self.programme.is_some()
    }
}

/// In words: `none`, or the limits that are set.
///
/// ```
/// use diaspora_match::assign::Caps;
/// assert_eq!(Caps::default().to_string(), "none");
/// let caps = Caps { per_opportunity: Some(2), programme: Some(10) };
/// assert_eq!(caps.to_string(), "at most 2 of one group per opportunity, 10 in the programme");
/// ```
impl std::fmt::Display for Caps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.per_opportunity, self.programme) {
            (None, None) => f.write_str("none"),
            (Some(o), None) => write!(f, "at most {o} of one group per opportunity"),
            (None, Some(p)) => write!(f, "at most {p} of one group in the programme"),
            (Some(o), Some(p)) => write!(
                f,
                "at most {o} of one group per opportunity, {p} in the programme"
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Edge {
    pub(crate) person: u32,
    pub(crate) opportunity: u32,
    pub(crate) score: f32,
}

/// A placement problem. Build it with [`InstanceBuilder`], from engine matches with
/// [`Instance::from_matches`], or from the JSON format with [`Instance::from_record`].
#[derive(Clone, Debug)]
pub struct Instance {
    pub(crate) person_keys: Vec<String>,
    pub(crate) opportunity_keys: Vec<String>,
    pub(crate) person_capacity: Vec<u32>,
    pub(crate) opportunity_capacity: Vec<u32>,
    pub(crate) groups: Vec<Option<u32>>,
    pub(crate) edges: Vec<Edge>,
    /// Per person, acceptable edges, best first.
    pub(crate) person_prefs: Csr<u32>,
    /// Per opportunity, acceptable edges, best first.
    pub(crate) opportunity_prefs: Csr<u32>,
    /// Per edge, its rank in the opportunity's list.
    pub(crate) opportunity_rank: Vec<u32>,
    /// Per edge, its rank in the person's list.
    pub(crate) person_rank: Vec<u32>,
    pub(crate) caps: Caps,
}

/// Builds an [`Instance`].
#[derive(Clone, Debug, Default)]
pub struct InstanceBuilder {
    pub(crate) person_keys: Vec<String>,
    pub(crate) opportunity_keys: Vec<String>,
    pub(crate) person_capacity: Vec<u32>,
    pub(crate) opportunity_capacity: Vec<u32>,
    pub(crate) groups: Vec<Option<u32>>,
    pub(crate) edges: HashMap<(u32, u32), f32>,
    pub(crate) person_order: HashMap<u32, Vec<u32>>,
    pub(crate) opportunity_order: HashMap<u32, Vec<u32>>,
    pub(crate) caps: Caps,
}

impl InstanceBuilder {
    /// Adds a person with a capacity (engagements at once) and an optional group (a
    /// country) for caps; returns its index.
    pub fn person(
        &mut self,
        key: impl Into<String>,
        capacity: u32,
        group: Option<RegionId>,
    ) -> ProfileId {
        self.person_keys.push(key.into());
        self.person_capacity.push(capacity);
        self.groups.push(group.map(RegionId::as_u32));
        ProfileId::new(self.person_keys.len() as u32 - 1)
    }

    /// Adds an opportunity with its places; returns its index.
    pub fn opportunity(&mut self, key: impl Into<String>, places: u32) -> OpportunityId {
        self.opportunity_keys.push(key.into());
        self.opportunity_capacity.push(places);
        OpportunityId::new(self.opportunity_keys.len() as u32 - 1)
    }

    /// Makes a pair acceptable with a score in `(0, 1]` (a repeated pair keeps the higher).
    pub fn pair(&mut self, person: ProfileId, opportunity: OpportunityId, score: f32) -> &mut Self {
        let e = self
            .edges
            .entry((person.as_u32(), opportunity.as_u32()))
            .or_insert(score);
        if score > *e {
            *e = score;
        }
        self
    }

    /// A person's own ranking, best first, replacing the order by score on their side.
    /// Pairs the person leaves out become unacceptable.
    pub fn person_ranking(&mut self, person: ProfileId, ranking: Vec<OpportunityId>) -> &mut Self {
        self.person_order.insert(
            person.as_u32(),
            ranking.into_iter().map(OpportunityId::as_u32).collect(),
        );
        self
    }

    /// An opportunity's own ranking, best first (used by the JSON format).
    pub fn opportunity_ranking(
        &mut self,
        opportunity: OpportunityId,
        ranking: Vec<ProfileId>,
    ) -> &mut Self {
        self.opportunity_order.insert(
            opportunity.as_u32(),
            ranking.into_iter().map(ProfileId::as_u32).collect(),
        );
        self
    }

    /// Diversity caps.
    pub fn caps(&mut self, caps: Caps) -> &mut Self {
        self.caps = caps;
        self
    }

    /// Checks and freezes the instance.
    ///
    /// # Errors
    ///
    /// A pair naming an unknown person or opportunity, a score that is not in `(0, 1]`, a
    /// ranking naming an opportunity or person twice or one that is not a pair, a zero cap.
    pub fn build(self) -> Result<Instance> {
        let (np, no) = (self.person_keys.len(), self.opportunity_keys.len());
        if self.caps.per_opportunity == Some(0) || self.caps.programme == Some(0) {
            return Err(Error::argument(
                "caps",
                "a cap of zero places nobody; leave it out instead",
            ));
        }
        let edges = self.checked_edges()?;
        let index: HashMap<(u32, u32), u32> = edges
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.person, e.opportunity), i as u32))
            .collect();
        let mut by_person: Vec<Vec<u32>> = vec![Vec::new(); np];
        let mut by_opportunity: Vec<Vec<u32>> = vec![Vec::new(); no];
        for (i, e) in edges.iter().enumerate() {
            by_person[e.person as usize].push(i as u32);
            by_opportunity[e.opportunity as usize].push(i as u32);
        }
        let mut acceptable_p = vec![true; edges.len()];
        let mut acceptable_o = vec![true; edges.len()];
        for (p, list) in by_person.iter_mut().enumerate() {
            let (p, who) = (p as u32, || format!("person {}", self.person_keys[p]));
            let ranking = self.person_order.get(&p);
            let edge_of = |o: u32| index.get(&(p, o)).copied();
            order_list(
                list,
                &edges,
                ranking,
                edge_of,
                |e| e.opportunity,
                &mut acceptable_p,
                who,
            )?;
        }
        for (o, list) in by_opportunity.iter_mut().enumerate() {
            let (o, who) = (o as u32, || {
                format!("opportunity {}", self.opportunity_keys[o])
            });
            let ranking = self.opportunity_order.get(&o);
            let edge_of = |p: u32| index.get(&(p, o)).copied();
            order_list(
                list,
                &edges,
                ranking,
                edge_of,
                |e| e.person,
                &mut acceptable_o,
                who,
            )?;
        }
        // A pair is acceptable when both sides list it.
        let both = |e: &u32| acceptable_p[*e as usize] && acceptable_o[*e as usize];
        let (person_prefs, person_rank) = ranked(by_person, edges.len(), both);
        let (opportunity_prefs, opportunity_rank) = ranked(by_opportunity, edges.len(), both);
        Ok(Instance {
            person_keys: self.person_keys,
            opportunity_keys: self.opportunity_keys,
            person_capacity: self.person_capacity,
            opportunity_capacity: self.opportunity_capacity,
            groups: self.groups,
            edges,
            person_prefs,
            opportunity_prefs,
            opportunity_rank,
            person_rank,
            caps: self.caps,
        })
    }

    /// The pairs, sorted by person then opportunity; refuses an unknown id or a score
    /// outside `(0, 1]`.
    fn checked_edges(&self) -> Result<Vec<Edge>> {
        let (np, no) = (self.person_keys.len(), self.opportunity_keys.len());
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .map(|(&(person, opportunity), &score)| Edge {
                person,
                opportunity,
                score,
            })
            .collect();
        edges.sort_by_key(|e| (e.person, e.opportunity));
        for e in &edges {
            if e.person as usize >= np {
                return Err(Error::unknown_id("person", e.person, np));
            }
            if e.opportunity as usize >= no {
                return Err(Error::unknown_id("opportunity", e.opportunity, no));
            }
            if !(e.score > 0.0 && e.score <= 1.0) {
                return Err(Error::argument(
                    "score",
                    format!(
                        "must be in (0, 1], pair {} / {}",
                        self.person_keys[e.person as usize],
                        self.opportunity_keys[e.opportunity as usize]
                    ),
                ));
            }
        }
        Ok(edges)
    }
}

/// Orders one party's list of pairs (edge ids): by its own ranking of partners when it
/// gave one (pairs left out become unacceptable for it), else by score, best first, ties
/// by partner.
fn order_list(
    list: &mut Vec<u32>,
    edges: &[Edge],
    ranking: Option<&Vec<u32>>,
    edge_of: impl Fn(u32) -> Option<u32>,
    partner: impl Fn(&Edge) -> u32,
    acceptable: &mut [bool],
    who: impl Fn() -> String,
) -> Result<()> {
    match ranking {
        None => {
            list.sort_by(|&a, &b| {
                let (x, y) = (&edges[a as usize], &edges[b as usize]);
                y.score
                    .total_cmp(&x.score)
                    .then(partner(x).cmp(&partner(y)))
            });
            Ok(())
        }
        Some(order) => apply_ranking(
            list,
            order,
            edge_of,
            |e| partner(&edges[e as usize]),
            acceptable,
            &who(),
        ),
    }
}

/// One side's lists with the unacceptable pairs dropped, as rows, and each pair's rank on
/// its party's list (`u32::MAX` for pairs on none).
fn ranked(lists: Vec<Vec<u32>>, pairs: usize, keep: impl Fn(&u32) -> bool) -> (Csr<u32>, Vec<u32>) {
    let mut prefs = Csr::default();
    let mut rank = vec![u32::MAX; pairs];
    for list in lists {
        let kept: Vec<u32> = list.into_iter().filter(&keep).collect();
        for (r, &e) in kept.iter().enumerate() {
            rank[e as usize] = r as u32;
        }
        prefs.push(kept);
    }
    (prefs, rank)
}

/// Replaces one side's list (edge ids) by its own ranking of partners, best first. `edge_of`
/// finds the pair with a partner and `partner_of` the partner of an edge; pairs the ranking
/// leaves out become unacceptable for this side.
pub(crate) fn apply_ranking(
    list: &mut Vec<u32>,
    order: &[u32],
    edge_of: impl Fn(u32) -> Option<u32>,
    partner_of: impl Fn(u32) -> u32,
    acceptable: &mut [bool],
    who: &str,
) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    let mut ranked = Vec::with_capacity(order.len());
    for &partner in order {
        let e = edge_of(partner).ok_or_else(|| {
            Error::argument(
                "ranking",
                format!("{who} ranks a partner that is not one of its pairs"),
            )
        })?;
        if !seen.insert(partner) {
            return Err(Error::argument(
                "ranking",
                format!("{who} ranks a partner twice"),
            ));
        }
        ranked.push(e);
    }
    for &e in list.iter() {
        acceptable[e as usize] = seen.contains(&partner_of(e));
    }
    *list = ranked;
    Ok(())
}

impl Instance {
    /// Starts an empty instance.
    pub fn builder() -> InstanceBuilder {
        InstanceBuilder::default()
    }

    /// An instance over an engine's profiles and opportunities, with the given matches as the
    /// acceptable pairs (for example `match_all(k)` flattened, plus `opportunities_for` lists),
    /// each person taking `person_capacity` places at most, grouped for caps by `cap_by`.
    /// Person `i` is the engine's `i`-th profile (an erased one, without key or group, is in
    /// no pair).
    ///
    /// # Errors
    ///
    /// As [`InstanceBuilder::build`].
    pub fn from_matches(
        engine: &crate::Engine,
        matches: impl IntoIterator<Item = Match>,
        person_capacity: u32,
        caps: Caps,
        cap_by: CapBy,
    ) -> Result<Instance> {
        let mut b = Instance::builder();
        for i in 0..engine.profile_count() {
            let group = engine.profile_group(i, cap_by);
            let key = engine.local_key(i as u32);
            b.person(key.to_string(), person_capacity, group);
        }
        for o in engine.opportunities() {
            b.opportunity(o.key.clone(), o.capacity);
        }
        for m in matches {
            let local = engine.local(m.profile)?;
            b.pair(ProfileId::new(local), m.opportunity, m.score);
        }
        b.caps(caps);
        b.build()
    }

    /// Number of people.
    pub fn people(&self) -> usize {
        self.person_keys.len()
    }

    /// Number of opportunities.
    pub fn opportunities(&self) -> usize {
        self.opportunity_keys.len()
    }

    /// Number of acceptable pairs.
    pub fn pairs(&self) -> usize {
        self.person_rank.iter().filter(|&&r| r != u32::MAX).count()
    }

    /// A person's key.
    pub fn person_key(&self, p: ProfileId) -> &str {
        self.person_keys.get(p.index()).map_or("", String::as_str)
    }

    /// An opportunity's key.
    pub fn opportunity_key(&self, o: OpportunityId) -> &str {
        self.opportunity_keys
            .get(o.index())
            .map_or("", String::as_str)
    }

    /// The caps.
    pub fn caps(&self) -> Caps {
        self.caps
    }

    pub(crate) fn group(&self, p: u32) -> Option<u32> {
        self.groups[p as usize]
    }
}
