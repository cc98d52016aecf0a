//! Stable placement by deferred acceptance, people or opportunities proposing.

use std::collections::{HashMap, VecDeque};

use crate::error::{Error, ErrorKind, Result};
use crate::id::{OpportunityId, ProfileId};

use super::instance::Instance;
use super::outcome::{Assignment, Placement, Reason};

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
pub(crate) struct Held {
    pub(crate) rank: u32,
    pub(crate) edge: u32,
    pub(crate) group: Option<u32>,
}

/// Tentative or final holdings, with cap counters.
pub(crate) struct Holdings<'a> {
    pub(crate) inst: &'a Instance,
    /// Per opportunity, held edges with their rank there and the person's group, so that the
    /// worst is found without touching the large per-edge arrays.
    pub(crate) at: Vec<Vec<Held>>,
    /// Per person, number of places held.
    pub(crate) taken: Vec<u32>,
    /// Per (opportunity, group), number held.
    pub(crate) group_at: HashMap<(u32, u32), u32>,
    /// Per group, number held across the programme.
    pub(crate) group_total: HashMap<u32, u32>,
}

impl<'a> Holdings<'a> {
    pub(crate) fn new(inst: &'a Instance) -> Self {
        Holdings {
            inst,
            at: vec![Vec::new(); inst.opportunities()],
            taken: vec![0; inst.people()],
            group_at: HashMap::new(),
            group_total: HashMap::new(),
        }
    }

    pub(crate) fn add(&mut self, e: u32) {
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

    pub(crate) fn remove(&mut self, e: u32) {
        let edge = self.inst.edges[e as usize];
        self.at[edge.opportunity as usize].retain(|x| x.edge != e);
        self.taken[edge.person as usize] -= 1;
        if let Some(g) = self.inst.group(edge.person) {
            *self.group_at.entry((edge.opportunity, g)).or_default() -= 1;
            *self.group_total.entry(g).or_default() -= 1;
        }
    }

    /// Whether the group of person `p` has room in opportunity `o` and in the programme.
    pub(crate) fn group_room(&self, p: u32, o: u32) -> bool {
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
    pub(crate) fn worst(&self, o: u32, g: Option<Option<u32>>) -> Option<u32> {
        self.at[o as usize]
            .iter()
            .filter(|h| g.is_none_or(|g| h.group == g))
            .max_by_key(|h| h.rank)
            .map(|h| h.edge)
    }

    pub(crate) fn holds(&self, o: u32, e: u32) -> bool {
        self.at[o as usize].iter().any(|h| h.edge == e)
    }

    /// What opportunity `o` does with a proposal along edge `e`: `Ok(None)` takes it into a
    /// free place, `Ok(Some(d))` takes it and drops `d`, `Err(reason)` refuses it.
    pub(crate) fn consider(&self, e: u32) -> Result<Option<u32>, Reason> {
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

    pub(crate) fn finish(self) -> Assignment {
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
/// [`ErrorKind::Argument`] for a programme-wide cap (honoured by [`optimal`](super::optimal) only), and for
/// opportunity-proposing with a per-opportunity cap (honoured by the person-proposing variant
/// and by [`optimal`](super::optimal)).
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

pub(crate) fn people_propose(inst: &Instance) -> Assignment {
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

pub(crate) fn opportunities_propose(inst: &Instance) -> Assignment {
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
