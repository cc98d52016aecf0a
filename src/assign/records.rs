//! The JSON format of an instance, for comparison with other solvers.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::{OpportunityId, ProfileId, RegionId};

use super::instance::{Caps, Instance, InstanceBuilder};
use super::outcome::Assignment;

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
    /// Scores of the pairs, in `prefs` order, for [`optimal`](super::optimal); people's scores win over
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairRecord {
    /// The person's key.
    pub person: String,
    /// The opportunity's key.
    pub opportunity: String,
    /// The pair's score (0 when read from a result written without scores).
    #[serde(default)]
    pub score: f32,
}

pub(crate) trait WithSide {
    fn with_side(self, side: &str) -> Self;
}

impl WithSide for Location {
    fn with_side(mut self, side: &str) -> Self {
        self.file = Some(side.into());
        self
    }
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
        let people = register_people(&mut b, &rec.people)?;
        let opps = register_opportunities(&mut b, &rec.opportunities)?;
        for (i, o) in rec.opportunities.iter().enumerate() {
            check_scores("opportunities", i, o)?;
            let oid = opps[o.key.as_str()];
            let ranking = preferences("opportunities", i, o, &people, "unknown person")?;
            for (j, &pid) in ranking.iter().enumerate() {
                b.pair(pid, oid, pair_score(o, j));
            }
            b.opportunity_ranking(oid, ranking);
        }
        for (i, p) in rec.people.iter().enumerate() {
            check_scores("people", i, p)?;
            let pid = people[p.key.as_str()];
            let ranking = preferences("people", i, p, &opps, "unknown opportunity")?;
            for (j, &oid) in ranking.iter().enumerate() {
                // The person's score replaces the opportunity's for the same pair.
                b.edges
                    .insert((pid.as_u32(), oid.as_u32()), pair_score(p, j));
            }
            b.person_ranking(pid, ranking);
        }
        keep_mutual(&mut b, rec, &people, &opps);
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
                score: p.score,
            })
            .collect()
    }
}

/// Where a party record stands: its side (`people` or `opportunities`), index and key.
fn at(side: &str, i: usize, key: &str) -> Location {
    Location::default().index(i).key(key).with_side(side)
}

/// Adds the people of a record, each group (country code) numbered in order of first
/// appearance; refuses a key given twice.
fn register_people<'r>(
    b: &mut InstanceBuilder,
    people: &'r [PartyRecord],
) -> Result<HashMap<&'r str, ProfileId>> {
    let mut ids: HashMap<&str, ProfileId> = HashMap::new();
    let mut groups: HashMap<&str, u32> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let group = p.group.as_deref().map(|g| {
            let n = groups.len() as u32;
            RegionId::new(*groups.entry(g).or_insert(n))
        });
        let id = b.person(p.key.clone(), p.capacity, group);
        if ids.insert(&p.key, id).is_some() {
            return Err(duplicate("people", i, &p.key));
        }
    }
    Ok(ids)
}

/// Adds the opportunities of a record; refuses a key given twice.
fn register_opportunities<'r>(
    b: &mut InstanceBuilder,
    opportunities: &'r [PartyRecord],
) -> Result<HashMap<&'r str, OpportunityId>> {
    let mut ids: HashMap<&str, OpportunityId> = HashMap::new();
    for (i, o) in opportunities.iter().enumerate() {
        let id = b.opportunity(o.key.clone(), o.capacity);
        if ids.insert(&o.key, id).is_some() {
            return Err(duplicate("opportunities", i, &o.key));
        }
    }
    Ok(ids)
}

/// A key given twice on one side.
fn duplicate(side: &str, i: usize, key: &str) -> Error {
    ErrorKind::DuplicateKey {
        at: at(side, i, key),
        key: key.to_string(),
        first: None,
    }
    .into()
}

/// A party's scores, when it gives any: one per preference, each in `(0, 1]`.
fn check_scores(side: &str, i: usize, r: &PartyRecord) -> Result<()> {
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
}

/// A party's preferences as ids of the other side, in order; an unknown key is refused.
fn preferences<T: Copy>(
    side: &str,
    i: usize,
    r: &PartyRecord,
    other: &HashMap<&str, T>,
    unknown: &str,
) -> Result<Vec<T>> {
    r.prefs
        .iter()
        .enumerate()
        .map(|(j, k)| {
            other.get(k.as_str()).copied().ok_or_else(|| {
                Error::field(at(side, i, &r.key), format!("prefs[{j}]"), unknown)
                    .with_value(Some(k.clone()), None)
            })
        })
        .collect()
}

/// The score of a party's `j`-th preference: its own, or `(n - j) / n` by rank.
fn pair_score(r: &PartyRecord, j: usize) -> f32 {
    r.scores
        .as_ref()
        .map_or((r.prefs.len() - j) as f32 / r.prefs.len() as f32, |s| s[j])
}

/// Pairs only one side listed are unacceptable: they leave the rankings and the pairs.
fn keep_mutual(
    b: &mut InstanceBuilder,
    rec: &InstanceRecord,
    people: &HashMap<&str, ProfileId>,
    opps: &HashMap<&str, OpportunityId>,
) {
    let listed_by_people: HashSet<(u32, u32)> = rec
        .people
        .iter()
        .flat_map(|p| {
            p.prefs
                .iter()
                .filter_map(|k| opps.get(k.as_str()))
                .map(|o| (people[p.key.as_str()].as_u32(), o.as_u32()))
        })
        .collect();
    let listed_by_opps: HashSet<(u32, u32)> = rec
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
}
