//! Placement: people to opportunities with limited places, stable or optimal.
//!
//! An [`Instance`] holds the mutually acceptable pairs (usually the engine's top-k lists in
//! both directions, never a dense matrix), each with a score, the capacities of both sides
//! (places of an opportunity; how many engagements a person takes at once) and optional
//! [`Caps`] on how many people of one origin (or residence) country may be placed per
//! opportunity or across the programme.
//!
//! - [`stable`]: deferred acceptance (Gale-Shapley, hospitals/residents with capacities on
//!   both sides), person-proposing (the best stable placement for every person) or
//!   opportunity-proposing. Preferences follow the scores (ties by id) unless a person's own
//!   ranking overrides them. [`Assignment::blocking_pairs`] checks the result.
//! - [`optimal`]: the placement with the largest total score (min-cost flow by successive
//!   shortest paths with Dijkstra and potentials), optionally placing as many people as
//!   possible first.
//!
//! Both are deterministic and single-threaded: the same instance gives the same placement
//! whatever the thread pool.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::{OpportunityId, ProfileId, RegionId};
use crate::score::Match;
use crate::util::Csr;

/// Scores are compared as integers in millionths, so that totals are exact.
const SCALE: f64 = 1_000_000.0;

fn quantise(score: f32) -> i64 {
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
    fn any(&self) -> bool {
        self.per_opportunity.is_some() || self.programme.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Edge {
    person: u32,
    opportunity: u32,
    score: f32,
}

/// A placement problem. Build it with [`InstanceBuilder`], from engine matches with
/// [`Instance::from_matches`], or from the JSON format with [`Instance::from_record`].
#[derive(Clone, Debug)]
pub struct Instance {
    person_keys: Vec<String>,
    opportunity_keys: Vec<String>,
    person_capacity: Vec<u32>,
    opportunity_capacity: Vec<u32>,
    groups: Vec<Option<u32>>,
    edges: Vec<Edge>,
    /// Per person, acceptable edges, best first.
    person_prefs: Csr<u32>,
    /// Per opportunity, acceptable edges, best first.
    opportunity_prefs: Csr<u32>,
    /// Per edge, its rank in the opportunity's list.
    opportunity_rank: Vec<u32>,
    /// Per edge, its rank in the person's list.
    person_rank: Vec<u32>,
    caps: Caps,
}

/// Builds an [`Instance`].
#[derive(Clone, Debug, Default)]
pub struct InstanceBuilder {
    person_keys: Vec<String>,
    opportunity_keys: Vec<String>,
    person_capacity: Vec<u32>,
    opportunity_capacity: Vec<u32>,
    groups: Vec<Option<u32>>,
    edges: HashMap<(u32, u32), f32>,
    person_order: HashMap<u32, Vec<u32>>,
    opportunity_order: HashMap<u32, Vec<u32>>,
    caps: Caps,
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
        let score_order = |list: &mut Vec<u32>, other: &dyn Fn(&Edge) -> u32| {
            list.sort_by(|&a, &b| {
                let (x, y) = (&edges[a as usize], &edges[b as usize]);
                y.score.total_cmp(&x.score).then(other(x).cmp(&other(y)))
            })
        };
        let mut acceptable_p = vec![true; edges.len()];
        let mut acceptable_o = vec![true; edges.len()];
        for (p, list) in by_person.iter_mut().enumerate() {
            match self.person_order.get(&(p as u32)) {
                None => score_order(list, &|e| e.opportunity),
                Some(order) => apply_ranking(
                    list,
                    order,
                    |o| index.get(&(p as u32, o)).copied(),
                    |e| edges[e as usize].opportunity,
                    &mut acceptable_p,
                    &format!("person {}", self.person_keys[p]),
                )?,
            }
        }
        for (o, list) in by_opportunity.iter_mut().enumerate() {
            match self.opportunity_order.get(&(o as u32)) {
                None => score_order(list, &|e| e.person),
                Some(order) => apply_ranking(
                    list,
                    order,
                    |p| index.get(&(p, o as u32)).copied(),
                    |e| edges[e as usize].person,
                    &mut acceptable_o,
                    &format!("opportunity {}", self.opportunity_keys[o]),
                )?,
            }
        }
        // A pair is acceptable when both sides list it.
        let both = |e: &u32| acceptable_p[*e as usize] && acceptable_o[*e as usize];
        let mut person_prefs = Csr::default();
        let mut opportunity_prefs = Csr::default();
        let mut person_rank = vec![u32::MAX; edges.len()];
        let mut opportunity_rank = vec![u32::MAX; edges.len()];
        for list in by_person {
            let kept: Vec<u32> = list.into_iter().filter(both).collect();
            for (r, &e) in kept.iter().enumerate() {
                person_rank[e as usize] = r as u32;
            }
            person_prefs.push(kept);
        }
        for list in by_opportunity {
            let kept: Vec<u32> = list.into_iter().filter(both).collect();
            for (r, &e) in kept.iter().enumerate() {
                opportunity_rank[e as usize] = r as u32;
            }
            opportunity_prefs.push(kept);
        }
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
}

/// Replaces one side's list (edge ids) by its own ranking of partners, best first. `edge_of`
/// finds the pair with a partner and `partner_of` the partner of an edge; pairs the ranking
/// leaves out become unacceptable for this side.
fn apply_ranking(
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

    /// An instance over a dataset's profiles and opportunities, with the given matches as the
    /// acceptable pairs (for example `match_all(k)` flattened, plus `opportunities_for` lists),
    /// each person taking `person_capacity` places at most, grouped for caps by `cap_by`.
    ///
    /// # Errors
    ///
    /// As [`InstanceBuilder::build`].
    pub fn from_matches(
        dataset: &crate::Dataset,
        matches: impl IntoIterator<Item = Match>,
        person_capacity: u32,
        caps: Caps,
        cap_by: CapBy,
    ) -> Result<Instance> {
        let mut b = Instance::builder();
        for p in &dataset.profiles {
            let group = match cap_by {
                CapBy::Origin => p.origins.first().map(|o| o.country),
                CapBy::Residence => p.residence,
            };
            b.person(p.key.clone(), person_capacity, group);
        }
        for o in &dataset.opportunities {
            b.opportunity(o.key.clone(), o.capacity);
        }
        for m in matches {
            b.pair(m.profile, m.opportunity, m.score);
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

    fn group(&self, p: u32) -> Option<u32> {
        self.groups[p as usize]
    }
}

/// One person placed in one opportunity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The person.
    pub person: ProfileId,
    /// The opportunity.
    pub opportunity: OpportunityId,
    /// The pair's score.
    pub score: f32,
}

/// Why a person was not placed, or a place was not filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// No acceptable pair at all.
    NoEligibleCandidate,
    /// Zero capacity.
    ZeroCapacity,
    /// A diversity cap kept the pair apart.
    Cap,
    /// Every acceptable partner is full with partners it prefers (or, for `optimal`, that
    /// give a larger total).
    Outranked,
}

/// The result of [`stable`] or [`optimal`].
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Who is placed where, sorted by opportunity then person.
    pub placements: Vec<Placement>,
    /// People with capacity who were placed nowhere, with the reason.
    pub unplaced: Vec<(ProfileId, Reason)>,
    /// Opportunities with places left, how many, and the reason.
    pub unfilled: Vec<(OpportunityId, u32, Reason)>,
    /// The sum of the placed pairs' scores.
    pub total_score: f64,
}

/// Which side proposes in [`stable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Proposer {
    /// People propose: the best stable placement for every person.
    #[default]
    People,
    /// Opportunities propose: the best stable placement for every opportunity.
    Opportunities,
}

/// One held place: (rank in the opportunity's list, edge, group of the person).
#[derive(Clone, Copy, Debug)]
struct Held {
    rank: u32,
    edge: u32,
    group: Option<u32>,
}

/// Tentative or final holdings, with cap counters.
struct Holdings<'a> {
    inst: &'a Instance,
    /// Per opportunity, held edges with their rank there and the person's group, so that the
    /// worst is found without touching the large per-edge arrays.
    at: Vec<Vec<Held>>,
    /// Per person, number of places held.
    taken: Vec<u32>,
    /// Per (opportunity, group), number held.
    group_at: HashMap<(u32, u32), u32>,
    /// Per group, number held across the programme.
    group_total: HashMap<u32, u32>,
}

impl<'a> Holdings<'a> {
    fn new(inst: &'a Instance) -> Self {
        Holdings {
            inst,
            at: vec![Vec::new(); inst.opportunities()],
            taken: vec![0; inst.people()],
            group_at: HashMap::new(),
            group_total: HashMap::new(),
        }
    }

    fn add(&mut self, e: u32) {
        let edge = self.inst.edges[e as usize];
        let group = self.inst.group(edge.person);
        self.at[edge.opportunity as usize].push(Held {
            rank: self.inst.opportunity_rank[e as usize],
            edge: e,
            group,
        });
        self.taken[edge.person as usize] += 1;
        if let Some(g) = self.inst.group(edge.person) {
            *self.group_at.entry((edge.opportunity, g)).or_default() += 1;
            *self.group_total.entry(g).or_default() += 1;
        }
    }

    fn remove(&mut self, e: u32) {
        let edge = self.inst.edges[e as usize];
        self.at[edge.opportunity as usize].retain(|x| x.edge != e);
        self.taken[edge.person as usize] -= 1;
        if let Some(g) = self.inst.group(edge.person) {
            *self.group_at.entry((edge.opportunity, g)).or_default() -= 1;
            *self.group_total.entry(g).or_default() -= 1;
        }
    }

    /// Whether the group of person `p` has room in opportunity `o` and in the programme.
    fn group_room(&self, p: u32, o: u32) -> bool {
        let Some(g) = self.inst.group(p) else {
            return true;
        };
        let caps = self.inst.caps;
        caps.per_opportunity
            .is_none_or(|c| self.group_at.get(&(o, g)).copied().unwrap_or(0) < c)
            && caps
                .programme
                .is_none_or(|c| self.group_total.get(&g).copied().unwrap_or(0) < c)
    }

    /// The worst held edge of opportunity `o`, among people of group `g` if given.
    fn worst(&self, o: u32, g: Option<Option<u32>>) -> Option<u32> {
        self.at[o as usize]
            .iter()
            .filter(|h| g.is_none_or(|g| h.group == g))
            .max_by_key(|h| h.rank)
            .map(|h| h.edge)
    }

    fn holds(&self, o: u32, e: u32) -> bool {
        self.at[o as usize].iter().any(|h| h.edge == e)
    }

    /// What opportunity `o` does with a proposal along edge `e`: `Ok(None)` takes it into a
    /// free place, `Ok(Some(d))` takes it and drops `d`, `Err(reason)` refuses it.
    fn consider(&self, e: u32) -> Result<Option<u32>, Reason> {
        let inst = self.inst;
        let edge = inst.edges[e as usize];
        let (p, o) = (edge.person, edge.opportunity);
        let rank = inst.opportunity_rank[e as usize];
        let cap = inst.opportunity_capacity[o as usize];
        if cap == 0 {
            return Err(Reason::ZeroCapacity);
        }
        if !self.group_room(p, o) {
            // Only a worse member of the same group can make room.
            return match self.worst(o, Some(inst.group(p))) {
                Some(w) if inst.opportunity_rank[w as usize] > rank => Ok(Some(w)),
                _ => Err(Reason::Cap),
            };
        }
        if (self.at[o as usize].len() as u32) < cap {
            return Ok(None);
        }
        match self.worst(o, None) {
            Some(w) if inst.opportunity_rank[w as usize] > rank => Ok(Some(w)),
            _ => Err(Reason::Outranked),
        }
    }

    fn finish(self) -> Assignment {
        let inst = self.inst;
        let mut placements: Vec<Placement> = self
            .at
            .iter()
            .flatten()
            .map(|h| {
                let edge = inst.edges[h.edge as usize];
                Placement {
                    person: ProfileId::new(edge.person),
                    opportunity: OpportunityId::new(edge.opportunity),
                    score: edge.score,
                }
            })
            .collect();
        placements.sort_by_key(|p| (p.opportunity, p.person));
        let total_score = placements.iter().map(|p| f64::from(p.score)).sum();
        let mut unplaced = Vec::new();
        for p in 0..inst.people() as u32 {
            if self.taken[p as usize] > 0 {
                continue;
            }
            let prefs = inst.person_prefs.get(p as usize);
            let reason = if inst.person_capacity[p as usize] == 0 {
                Reason::ZeroCapacity
            } else if prefs.is_empty() {
                Reason::NoEligibleCandidate
            } else if prefs.iter().any(|&e| {
                let o = inst.edges[e as usize].opportunity;
                (self.at[o as usize].len() as u32) < inst.opportunity_capacity[o as usize]
                    && !self.group_room(p, o)
            }) {
                Reason::Cap
            } else {
                Reason::Outranked
            };
            if inst.person_capacity[p as usize] > 0 || !prefs.is_empty() {
                unplaced.push((ProfileId::new(p), reason));
            }
        }
        let mut unfilled = Vec::new();
        for o in 0..inst.opportunities() as u32 {
            let cap = inst.opportunity_capacity[o as usize];
            let held = self.at[o as usize].len() as u32;
            if held >= cap {
                continue;
            }
            let prefs = inst.opportunity_prefs.get(o as usize);
            let free = |e: &u32| {
                let p = inst.edges[*e as usize].person;
                self.taken[p as usize] < inst.person_capacity[p as usize] && !self.holds(o, *e)
            };
            let reason = if prefs.is_empty() {
                Reason::NoEligibleCandidate
            } else if prefs
                .iter()
                .any(|e| free(e) && !self.group_room(inst.edges[*e as usize].person, o))
            {
                Reason::Cap
            } else {
                Reason::Outranked
            };
            unfilled.push((OpportunityId::new(o), cap - held, reason));
        }
        Assignment {
            placements,
            unplaced,
            unfilled,
            total_score,
        }
    }
}

/// Deferred acceptance. People (or opportunities) propose down their lists; the other side
/// holds the best proposals it has room for and releases the rest. With caps, an opportunity
/// whose group quota is full can only take a person in place of a worse one of the same group
/// (a substitutable choice, so the result stays stable).
///
/// # Errors
///
/// [`ErrorKind::Argument`] for a programme-wide cap (honoured by [`optimal`] only), and for
/// opportunity-proposing with a per-opportunity cap (honoured by the person-proposing variant
/// and by [`optimal`]).
///
/// # Complexity
///
/// Each pair is proposed at most once: `O(pairs × places per opportunity)`.
///
/// # Example
///
/// ```
/// use diaspora_match::assign::{self, Instance, Proposer};
/// let mut b = Instance::builder();
/// let (ama, kofi) = (b.person("ama", 1, None), b.person("kofi", 1, None));
/// let ward = b.opportunity("ward", 1);
/// b.pair(ama, ward, 0.9).pair(kofi, ward, 0.7);
/// let a = assign::stable(&b.build()?, Proposer::People)?;
/// assert_eq!(a.placements.len(), 1);
/// assert_eq!(a.placements[0].person, ama);
/// assert_eq!(a.unplaced, [(kofi, assign::Reason::Outranked)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stable(inst: &Instance, proposer: Proposer) -> Result<Assignment> {
    if inst.caps.programme.is_some() {
        // A place freed in one opportunity can reopen a programme quota that an earlier
        // refusal elsewhere relied on, so deferred acceptance is no longer stable.
        return Err(Error::argument(
            "caps",
            "a programme-wide cap is honoured by optimal; stable honours per-opportunity caps",
        ));
    }
    match proposer {
        Proposer::People => Ok(people_propose(inst)),
        Proposer::Opportunities if inst.caps.any() => Err(ErrorKind::Argument {
            name: "proposer",
            reason: "caps are honoured by person-proposing stable placement and by optimal".into(),
        }
        .into()),
        Proposer::Opportunities => Ok(opportunities_propose(inst)),
    }
}

fn people_propose(inst: &Instance) -> Assignment {
    let mut h = Holdings::new(inst);
    let mut next = vec![0usize; inst.people()];
    let mut queue: VecDeque<u32> = (0..inst.people() as u32).collect();
    let mut queued = vec![true; inst.people()];
    while let Some(p) = queue.pop_front() {
        queued[p as usize] = false;
        let prefs = inst.person_prefs.get(p as usize);
        while h.taken[p as usize] < inst.person_capacity[p as usize]
            && next[p as usize] < prefs.len()
        {
            let e = prefs[next[p as usize]];
            next[p as usize] += 1;
            match h.consider(e) {
                Err(_) => continue,
                Ok(drop) => {
                    if let Some(d) = drop {
                        h.remove(d);
                        let q = inst.edges[d as usize].person;
                        if !queued[q as usize] {
                            queued[q as usize] = true;
                            queue.push_back(q);
                        }
                    }
                    h.add(e);
                }
            }
        }
    }
    h.finish()
}

fn opportunities_propose(inst: &Instance) -> Assignment {
    let mut h = Holdings::new(inst);
    let mut next = vec![0usize; inst.opportunities()];
    // Per person, held edges (as the receiving side).
    let mut held: Vec<Vec<u32>> = vec![Vec::new(); inst.people()];
    let mut queue: VecDeque<u32> = (0..inst.opportunities() as u32).collect();
    let mut queued = vec![true; inst.opportunities()];
    while let Some(o) = queue.pop_front() {
        queued[o as usize] = false;
        let prefs = inst.opportunity_prefs.get(o as usize);
        while (h.at[o as usize].len() as u32) < inst.opportunity_capacity[o as usize]
            && next[o as usize] < prefs.len()
        {
            let e = prefs[next[o as usize]];
            next[o as usize] += 1;
            let p = inst.edges[e as usize].person as usize;
            let cap = inst.person_capacity[p];
            if cap == 0 {
                continue;
            }
            if (held[p].len() as u32) < cap {
                held[p].push(e);
                h.add(e);
                continue;
            }
            let worst = held[p]
                .iter()
                .copied()
                .max_by_key(|&x| inst.person_rank[x as usize]);
            if let Some(w) = worst
                && inst.person_rank[w as usize] > inst.person_rank[e as usize]
            {
                held[p].retain(|&x| x != w);
                h.remove(w);
                held[p].push(e);
                h.add(e);
                let q = inst.edges[w as usize].opportunity;
                if !queued[q as usize] {
                    queued[q as usize] = true;
                    queue.push_back(q);
                }
            }
        }
    }
    h.finish()
}

impl Assignment {
    /// The placed pairs, as `(person, opportunity)`.
    pub fn placements_of(&self) -> Vec<(ProfileId, OpportunityId)> {
        self.placements
            .iter()
            .map(|p| (p.person, p.opportunity))
            .collect()
    }

    /// The acceptable pairs that would both rather be together than keep what they have
    /// (respecting capacities and caps). Empty for every result of [`stable`].
    pub fn blocking_pairs(&self, inst: &Instance) -> Vec<(ProfileId, OpportunityId)> {
        let mut h = Holdings::new(inst);
        let index: HashMap<(u32, u32), u32> = inst
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.person, e.opportunity), i as u32))
            .collect();
        for pl in &self.placements {
            if let Some(&e) = index.get(&(pl.person.as_u32(), pl.opportunity.as_u32())) {
                h.add(e);
            }
        }
        let mut out = Vec::new();
        for p in 0..inst.people() as u32 {
            let prefs = inst.person_prefs.get(p as usize);
            let mine: Vec<u32> = prefs
                .iter()
                .copied()
                .filter(|&e| h.holds(inst.edges[e as usize].opportunity, e))
                .collect();
            let worst_mine = mine.iter().map(|&e| inst.person_rank[e as usize]).max();
            for &e in prefs {
                if mine.contains(&e) {
                    continue;
                }
                let wants = h.taken[p as usize] < inst.person_capacity[p as usize]
                    || worst_mine.is_some_and(|w| inst.person_rank[e as usize] < w);
                if wants && h.consider(e).is_ok() {
                    out.push((
                        ProfileId::new(p),
                        OpportunityId::new(inst.edges[e as usize].opportunity),
                    ));
                }
            }
        }
        out
    }
}

/// What [`optimal`] maximises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Objective {
    /// The total score.
    #[default]
    TotalScore,
    /// The number of people placed, then the total score.
    MostPlacedThenScore,
}

/// The placement with the largest total score (scores counted in millionths), or with the
/// most people placed and then the largest total, under capacities and caps.
///
/// Min-cost flow: source -> opportunity (its places) -> [opportunity x group (the cap)] ->
/// person -> [group (the programme cap)] -> sink, plus an "empty place" arc from each
/// opportunity to the sink; shortest augmenting paths with Dijkstra on reduced costs, one
/// opportunity at a time, each search stopping at the sink and updating only the potentials
/// it settled.
///
/// # Errors
///
/// None today; the `Result` leaves room for limits.
///
/// # Example
///
/// ```
/// use diaspora_match::assign::{self, Instance, Objective, Proposer};
/// let mut b = Instance::builder();
/// let (a, c) = (b.person("a", 1, None), b.person("c", 1, None));
/// let (x, y) = (b.opportunity("x", 1), b.opportunity("y", 1));
/// b.pair(a, x, 0.9).pair(a, y, 0.8).pair(c, x, 0.85);
/// let inst = b.build()?;
/// // Stable gives a to x (both like it best); optimal gives x to c and y to a: 1.65 > 0.9.
/// assert_eq!(assign::stable(&inst, Proposer::People)?.placements.len(), 1);
/// let best = assign::optimal(&inst, Objective::TotalScore)?;
/// assert_eq!(best.placements.len(), 2);
/// assert!((best.total_score - 1.65).abs() < 1e-6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn optimal(inst: &Instance, objective: Objective) -> Result<Assignment> {
    let mut g = Flow::default();
    let (np, no) = (inst.people(), inst.opportunities());
    let s = g.node();
    let t = g.node();
    let opp0 = g.nodes;
    g.nodes += no;
    let person0 = g.nodes;
    g.nodes += np;
    let places: i64 = inst
        .opportunity_capacity
        .iter()
        .map(|&c| i64::from(c))
        .sum();
    // Leaving a place empty costs a full score (and, when the count comes first, more than
    // every score together).
    let empty = SCALE as i64
        + if objective == Objective::MostPlacedThenScore {
            (SCALE as i64) * (places + 1)
        } else {
            0
        };
    for o in 0..no {
        let cap = i64::from(inst.opportunity_capacity[o]);
        g.arc(s, opp0 + o, cap, 0);
        g.arc(opp0 + o, t, cap, empty);
    }
    let mut programme_nodes: HashMap<u32, usize> = HashMap::new();
    for p in 0..np {
        let cap = i64::from(inst.person_capacity[p]);
        match (inst.groups[p], inst.caps.programme) {
            (Some(gr), Some(c)) => {
                let node = *programme_nodes.entry(gr).or_insert_with(|| {
                    let n = g.node();
                    g.arc(n, t, i64::from(c), 0);
                    n
                });
                g.arc(person0 + p, node, cap, 0);
            }
            _ => {
                g.arc(person0 + p, t, cap, 0);
            }
        }
    }
    let mut group_nodes: HashMap<(usize, u32), usize> = HashMap::new();
    let mut pair_arcs: Vec<(usize, u32)> = Vec::new();
    for o in 0..no {
        for &e in inst.opportunity_prefs.get(o) {
            let edge = inst.edges[e as usize];
            let p = edge.person as usize;
            let from = match (inst.groups[p], inst.caps.per_opportunity) {
                (Some(gr), Some(c)) => *group_nodes.entry((o, gr)).or_insert_with(|| {
                    let n = g.node();
                    g.arc(opp0 + o, n, i64::from(c), 0);
                    n
                }),
                _ => opp0 + o,
            };
            let arc = g.arc(from, person0 + p, 1, SCALE as i64 - quantise(edge.score));
            pair_arcs.push((arc, e));
        }
    }
    g.min_cost_flow(s, t);
    let mut h = Holdings::new(inst);
    for (arc, e) in pair_arcs {
        if g.cap[arc] == 0 {
            h.add(e);
        }
    }
    Ok(h.finish())
}

/// A residual graph for min-cost flow; arcs come in pairs (`a`, `a ^ 1`).
#[derive(Default)]
struct Flow {
    nodes: usize,
    from: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<i64>,
    cost: Vec<i64>,
}

impl Flow {
    fn node(&mut self) -> usize {
        self.nodes += 1;
        self.nodes - 1
    }

    fn arc(&mut self, a: usize, b: usize, cap: i64, cost: i64) -> usize {
        let id = self.to.len();
        self.from.extend([a as u32, b as u32]);
        self.to.extend([b as u32, a as u32]);
        self.cap.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        id
    }

    /// Saturates every arc out of `s` along successive shortest paths, one source arc at a
    /// time (the shortest augmenting path method of the assignment problem): each search
    /// starts at the arc's head, so it explores only what that opportunity can reach, and
    /// the potentials keep every residual reduced cost non-negative, so the final flow has no
    /// negative cycle and is of minimum cost. Every source arc can be saturated, because every
    /// opportunity has an "empty place" arc to the sink.
    fn min_cost_flow(&mut self, s: usize, t: usize) {
        let n = self.nodes;
        // Adjacency as CSR over arc ids.
        let mut start = vec![0u32; n + 1];
        for &f in &self.from {
            start[f as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; self.from.len()];
        for (a, &f) in self.from.iter().enumerate() {
            adj[fill[f as usize] as usize] = a as u32;
            fill[f as usize] += 1;
        }
        // All costs start non-negative, so zero potentials are feasible.
        let mut pi = vec![0i64; n];
        let mut dist = vec![i64::MAX; n];
        let mut via = vec![u32::MAX; n];
        let mut done = vec![false; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut settled: Vec<usize> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
        let sources: Vec<usize> = adj[start[s] as usize..start[s + 1] as usize]
            .iter()
            .map(|&a| a as usize)
            .collect();
        for source_arc in sources {
            let root = self.to[source_arc] as usize;
            while self.cap[source_arc] > 0 {
                for &v in &touched {
                    dist[v] = i64::MAX;
                    via[v] = u32::MAX;
                    done[v] = false;
                }
                touched.clear();
                settled.clear();
                heap.clear();
                dist[root] = 0;
                touched.push(root);
                heap.push(Reverse((0, root as u32)));
                while let Some(Reverse((d, u))) = heap.pop() {
                    let u = u as usize;
                    if done[u] || d > dist[u] {
                        continue;
                    }
                    done[u] = true;
                    settled.push(u);
                    if u == t {
                        break;
                    }
                    for &a in &adj[start[u] as usize..start[u + 1] as usize] {
                        let a = a as usize;
                        let v = self.to[a] as usize;
                        if self.cap[a] <= 0 || v == s {
                            continue;
                        }
                        let nd = d + self.cost[a] + pi[u] - pi[v];
                        if nd < dist[v] {
                            if dist[v] == i64::MAX {
                                touched.push(v);
                            }
                            dist[v] = nd;
                            via[v] = a as u32;
                            heap.push(Reverse((nd, v as u32)));
                        }
                    }
                }
                if !done[t] {
                    // Cannot happen while the empty-place arc has room; stop rather than loop.
                    break;
                }
                let dt = dist[t];
                for &v in &settled {
                    pi[v] += dist[v] - dt;
                }
                let mut push = self.cap[source_arc];
                let mut v = t;
                while v != root {
                    let a = via[v] as usize;
                    push = push.min(self.cap[a]);
                    v = self.from[a] as usize;
                }
                let mut v = t;
                while v != root {
                    let a = via[v] as usize;
                    self.cap[a] -= push;
                    self.cap[a ^ 1] += push;
                    v = self.from[a] as usize;
                }
                self.cap[source_arc] -= push;
                self.cap[source_arc ^ 1] += push;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The JSON format, for comparison with other solvers

/// One side's entry in an [`InstanceRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRecord {
    /// Key.
    pub key: String,
    /// Places (opportunities) or engagements at once (people).
    pub capacity: u32,
    /// Keys of the other side, best first.
    pub prefs: Vec<String>,
    /// Scores of the pairs, in `prefs` order, for [`optimal`]; people's scores win over
    /// opportunities'. Without any, a pair scores `(n - rank) / n` on the person's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Vec<f32>>,
    /// A group (country code) for caps, people only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A placement instance in JSON: `{"people":[{"key":"p1","capacity":1,"prefs":["o2","o1"]}],
/// "opportunities":[{"key":"o1","capacity":2,"prefs":["p1","p3"]}]}`, preference lists best
/// first. A pair is acceptable when both sides list it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InstanceRecord {
    /// People.
    pub people: Vec<PartyRecord>,
    /// Opportunities.
    pub opportunities: Vec<PartyRecord>,
    /// Caps, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caps: Option<Caps>,
}

/// One placed pair in the JSON result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRecord {
    /// The person's key.
    pub person: String,
    /// The opportunity's key.
    pub opportunity: String,
}

impl Instance {
    /// Builds an instance from its JSON form.
    ///
    /// # Errors
    ///
    /// Duplicate keys, a preference naming an unknown key, scores whose count differs from
    /// the preferences' or that are not in `(0, 1]`; each naming the record and field.
    pub fn from_record(rec: &InstanceRecord) -> Result<Instance> {
        let mut b = Instance::builder();
        let mut people: HashMap<&str, ProfileId> = HashMap::new();
        let mut groups: HashMap<&str, u32> = HashMap::new();
        let at =
            |side: &str, i: usize, key: &str| Location::default().index(i).key(key).with_side(side);
        for (i, p) in rec.people.iter().enumerate() {
            let group = p.group.as_deref().map(|g| {
                let n = groups.len() as u32;
                RegionId::new(*groups.entry(g).or_insert(n))
            });
            let id = b.person(p.key.clone(), p.capacity, group);
            if people.insert(&p.key, id).is_some() {
                return Err(ErrorKind::DuplicateKey {
                    at: at("people", i, &p.key),
                    key: p.key.clone(),
                    first: Location::default(),
                }
                .into());
            }
        }
        let mut opps: HashMap<&str, OpportunityId> = HashMap::new();
        for (i, o) in rec.opportunities.iter().enumerate() {
            let id = b.opportunity(o.key.clone(), o.capacity);
            if opps.insert(&o.key, id).is_some() {
                return Err(ErrorKind::DuplicateKey {
                    at: at("opportunities", i, &o.key),
                    key: o.key.clone(),
                    first: Location::default(),
                }
                .into());
            }
        }
        let check_scores = |side: &str, i: usize, r: &PartyRecord| -> Result<()> {
            if let Some(s) = &r.scores {
                if s.len() != r.prefs.len() {
                    return Err(Error::field(
                        at(side, i, &r.key),
                        "scores",
                        "must have one score per preference",
                    ));
                }
                if s.iter().any(|x| !(*x > 0.0 && *x <= 1.0)) {
                    return Err(Error::field(
                        at(side, i, &r.key),
                        "scores",
                        "every score must be in (0, 1]",
                    ));
                }
            }
            Ok(())
        };
        for (i, o) in rec.opportunities.iter().enumerate() {
            check_scores("opportunities", i, o)?;
            let oid = opps[o.key.as_str()];
            let mut ranking = Vec::with_capacity(o.prefs.len());
            for (j, k) in o.prefs.iter().enumerate() {
                let &pid = people.get(k.as_str()).ok_or_else(|| {
                    Error::field(
                        at("opportunities", i, &o.key),
                        format!("prefs[{j}]"),
                        "unknown person",
                    )
                    .with_value(Some(k.clone()), None)
                })?;
                ranking.push(pid);
                let score = o
                    .scores
                    .as_ref()
                    .map_or((o.prefs.len() - j) as f32 / o.prefs.len() as f32, |s| s[j]);
                b.pair(pid, oid, score);
            }
            b.opportunity_ranking(oid, ranking);
        }
        for (i, p) in rec.people.iter().enumerate() {
            check_scores("people", i, p)?;
            let pid = people[p.key.as_str()];
            let mut ranking = Vec::with_capacity(p.prefs.len());
            for (j, k) in p.prefs.iter().enumerate() {
                let &oid = opps.get(k.as_str()).ok_or_else(|| {
                    Error::field(
                        at("people", i, &p.key),
                        format!("prefs[{j}]"),
                        "unknown opportunity",
                    )
                    .with_value(Some(k.clone()), None)
                })?;
                ranking.push(oid);
                let score = p
                    .scores
                    .as_ref()
                    .map_or((p.prefs.len() - j) as f32 / p.prefs.len() as f32, |s| s[j]);
                // The person's score replaces the opportunity's for the same pair.
                b.edges.insert((pid.as_u32(), oid.as_u32()), score);
            }
            b.person_ranking(pid, ranking);
        }
        // Pairs only one side listed are unacceptable; keep them out of the rankings' checks.
        let listed_by_people: std::collections::HashSet<(u32, u32)> = rec
            .people
            .iter()
            .flat_map(|p| {
                p.prefs
                    .iter()
                    .filter_map(|k| opps.get(k.as_str()))
                    .map(|o| (people[p.key.as_str()].as_u32(), o.as_u32()))
            })
            .collect();
        let listed_by_opps: std::collections::HashSet<(u32, u32)> = rec
            .opportunities
            .iter()
            .flat_map(|o| {
                o.prefs
                    .iter()
                    .filter_map(|k| people.get(k.as_str()))
                    .map(|p| (p.as_u32(), opps[o.key.as_str()].as_u32()))
            })
            .collect();
        b.person_order
            .iter_mut()
            .for_each(|(p, list)| list.retain(|o| listed_by_opps.contains(&(*p, *o))));
        b.opportunity_order
            .iter_mut()
            .for_each(|(o, list)| list.retain(|p| listed_by_people.contains(&(*p, *o))));
        b.edges
            .retain(|k, _| listed_by_people.contains(k) && listed_by_opps.contains(k));
        if let Some(c) = rec.caps {
            b.caps(c);
        }
        b.build()
    }

    /// The JSON form of an assignment's placements.
    pub fn result_record(&self, a: &Assignment) -> Vec<PairRecord> {
        a.placements
            .iter()
            .map(|p| PairRecord {
                person: self.person_key(p.person).into(),
                opportunity: self.opportunity_key(p.opportunity).into(),
            })
            .collect()
    }
}

trait WithSide {
    fn with_side(self, side: &str) -> Self;
}

impl WithSide for Location {
    fn with_side(mut self, side: &str) -> Self {
        self.file = Some(side.into());
        self
    }
}
