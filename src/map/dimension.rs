//! The dimensions a map groups profiles by, and each profile's values along them.

use crate::id::{RegionId, SkillId};
use crate::index::ProfileStore;
use crate::interests::{Goal, Sector};
use crate::model::Engagement;
use crate::taxonomy::{SkillKind, Taxonomy};

/// What a [`DiasporaMap`](super::DiasporaMap) groups profiles by.
///
/// Some are single-valued (a person has one residence, one capital bucket, one generation)
/// and some are not (a person of mixed heritage counts under each origin, a person under each
/// engagement kind, skill group, sector and cause they give): along those, a table's cells add
/// up to more than its totals, which count people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Countries of origin (every origin of a person of mixed heritage).
    Origin,
    /// Country of residence.
    Residence,
    /// Generation (the closest of a person's origins): born there, children, grandchildren.
    Generation,
    /// Skill groups at the first level of the taxonomy's hierarchy (ESCO's "communication,
    /// collaboration and creativity", O*NET's "Content"...), each group of a person's skills.
    SkillGroup,
    /// Skill groups at the second level.
    SkillSubgroup,
    /// Kinds of engagement accepted.
    Engagement,
    /// The largest amount a person is ready to invest, in buckets ([`CAPITAL_BUCKETS`]).
    Capital,
    /// ISIC Rev.4 sections of interest (a division counts under its section).
    Sector,
    /// Sustainable Development Goals of interest.
    Cause,
}

/// The upper bounds (exclusive, USD) of the [`Dimension::Capital`] buckets after "none":
/// under 10,000, under 100,000, under a million, then a million or more.
pub const CAPITAL_BUCKETS: [f64; 3] = [10_000.0, 100_000.0, 1_000_000.0];

const NOT_GIVEN: &str = "(not given)";

/// One dimension resolved against the reference data: its labels, and per skill the groups
/// it belongs to (for the skill dimensions).
pub(crate) struct Axis {
    pub(crate) dimension: Dimension,
    pub(crate) labels: Vec<String>,
    /// Per skill id, the range of `groups` it belongs to (skill dimensions only).
    offsets: Vec<u32>,
    groups: Vec<u32>,
}

impl Axis {
    pub(crate) fn new(
        dimension: Dimension,
        regions: &crate::geo::Regions,
        taxonomy: &Taxonomy,
    ) -> Axis {
        let mut axis = Axis {
            dimension,
            labels: Vec::new(),
            offsets: Vec::new(),
            groups: Vec::new(),
        };
        axis.labels = match dimension {
            Dimension::Origin | Dimension::Residence => (0..regions.len())
                .map(|i| regions.name(RegionId::new(i as u32)).to_string())
                .collect(),
            Dimension::Generation => ["born there", "second generation", "third generation"]
                .map(String::from)
                .to_vec(),
            Dimension::SkillGroup | Dimension::SkillSubgroup => {
                let level = if dimension == Dimension::SkillGroup {
                    1
                } else {
                    2
                };
                axis.group_skills(taxonomy, level)
            }
            Dimension::Engagement => Engagement::ALL
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            Dimension::Capital => [
                "under 10,000",
                "10,000 to 100,000",
                "100,000 to 1 million",
                "1 million or more",
            ]
            .map(|s| format!("USD {s}"))
            .to_vec(),
            Dimension::Sector => {
                let sections: Vec<Sector> = Sector::sections().collect();
                // Per sector, the slot of its section.
                axis.groups = Sector::all()
                    .map(|s| sections.iter().position(|&x| x == s.section()).unwrap_or(0) as u32)
                    .collect();
                sections
                    .iter()
                    .map(|s| format!("{} {}", s.code(), s.title()))
                    .collect()
            }
            Dimension::Cause => Goal::all().map(|g| format!("{g} {}", g.title())).collect(),
        };
        axis.labels.push(NOT_GIVEN.to_string());
        axis
    }

    /// The number of values, "(not given)" included (the last).
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    fn not_given(&self) -> u32 {
        (self.labels.len() - 1) as u32
    }

    /// Fills the skill-to-group table for groups at `level` below the roots; returns their
    /// labels.
    fn group_skills(&mut self, t: &Taxonomy, level: u8) -> Vec<String> {
        let n = t.len();
        // Depth of each group below a root group (one without parents), breadth first.
        let mut depth = vec![u8::MAX; n];
        let mut queue: Vec<SkillId> = t
            .ids()
            .filter(|&s| t.kind(s) == Some(SkillKind::Group) && t.parents(s).is_empty())
            .collect();
        for &s in &queue {
            depth[s.index()] = 0;
        }
        let mut head = 0;
        while head < queue.len() {
            let g = queue[head];
            head += 1;
            for &c in t.children(g) {
                if t.kind(c) == Some(SkillKind::Group) && depth[c.index()] == u8::MAX {
                    depth[c.index()] = depth[g.index()].saturating_add(1);
                    queue.push(c);
                }
            }
        }
        let mut at_level: Vec<SkillId> = t
            .ids()
            .filter(|&s| depth[s.index()] == level && t.kind(s) == Some(SkillKind::Group))
            .collect();
        at_level.sort_by(|a, b| t.label(*a).cmp(t.label(*b)).then(a.cmp(b)));
        let mut slot = vec![u32::MAX; n];
        for (j, g) in at_level.iter().enumerate() {
            slot[g.index()] = j as u32;
        }
        // Per skill, the groups at `level` among its ancestors (itself for such a group).
        let mut memo: Vec<Option<Vec<u32>>> = vec![None; n];
        self.offsets = Vec::with_capacity(n + 1);
        self.offsets.push(0);
        for s in t.ids() {
            let mut found = ancestors_at(t, s, &slot, &depth, level, &mut memo).to_vec();
            found.sort_unstable();
            found.dedup();
            self.groups.extend(found);
            self.offsets.push(self.groups.len() as u32);
        }
        at_level.iter().map(|&g| t.label(g).to_string()).collect()
    }

    /// Profile `i`'s values along this dimension, each once, into `out`: what the dimension
    /// reads of the store, not the profile's whole view.
    pub(crate) fn values(&self, store: &ProfileStore, i: usize, out: &mut Values) {
        out.start(self.len());
        match self.dimension {
            Dimension::Origin => store.origins(i).for_each(|o| out.add(o.country.as_u32())),
            Dimension::Residence => store
                .residence(i)
                .into_iter()
                .for_each(|r| out.add(r.as_u32())),
            Dimension::Generation => {
                let closest = store
                    .origins(i)
                    .map(|o| u32::from(o.generation.get() - 1))
                    .min();
                closest.into_iter().for_each(|g| out.add(g));
            }
            Dimension::SkillGroup | Dimension::SkillSubgroup => {
                for &s in store.skills_of(i) {
                    let s = usize::from(s);
                    if let (Some(&a), Some(&b)) = (self.offsets.get(s), self.offsets.get(s + 1)) {
                        self.groups[a as usize..b as usize]
                            .iter()
                            .for_each(|&g| out.add(g));
                    }
                }
            }
            Dimension::Engagement => store.engagements(i).iter().for_each(|e| out.add(e as u32)),
            Dimension::Capital => {
                if let Some(r) = store.view(i).extras().capital().invest {
                    let bucket = CAPITAL_BUCKETS
                        .iter()
                        .take_while(|&&b| r.max() >= b)
                        .count();
                    out.add(bucket as u32);
                }
            }
            Dimension::Sector => store
                .view(i)
                .extras()
                .sectors()
                .filter_map(|s| self.groups.get(s.index()).copied())
                .for_each(|v| out.add(v)),
            Dimension::Cause => store
                .view(i)
                .extras()
                .causes()
                .iter()
                .for_each(|g| out.add(u32::from(g.get() - 1))),
        }
        if out.list.is_empty() {
            out.list.push(self.not_given());
        }
    }
}

/// One profile's values along one dimension, each once (a stamp per value, so that a
/// person's twenty skills in three groups cost no sort).
#[derive(Default)]
pub(crate) struct Values {
    pub(crate) list: Vec<u32>,
    stamp: Vec<u32>,
    epoch: u32,
}

impl Values {
    fn start(&mut self, values: usize) {
        self.list.clear();
        if self.stamp.len() != values || self.epoch == u32::MAX {
            self.stamp = vec![0; values];
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    #[inline]
    fn add(&mut self, v: u32) {
        if let Some(s) = self.stamp.get_mut(v as usize)
            && *s != self.epoch
        {
            *s = self.epoch;
            self.list.push(v);
        }
    }
}

/// The groups at `level` (their slots) among the ancestors of `s`, memoised.
fn ancestors_at<'m>(
    t: &Taxonomy,
    s: SkillId,
    slot: &[u32],
    depth: &[u8],
    level: u8,
    memo: &'m mut Vec<Option<Vec<u32>>>,
) -> &'m [u32] {
    if memo[s.index()].is_none() {
        let found = if slot[s.index()] != u32::MAX {
            vec![slot[s.index()]]
        } else if depth[s.index()] != u8::MAX && depth[s.index()] < level {
            // A group above the level: its skills are not in any group at the level.
            Vec::new()
        } else {
            let mut out = Vec::new();
            // Marked first, so that a cycle in custom reference data ends the recursion.
            memo[s.index()] = Some(Vec::new());
            for &p in t.parents(s) {
                out.extend_from_slice(ancestors_at(t, p, slot, depth, level, memo));
            }
            out
        };
        memo[s.index()] = Some(found);
    }
    memo[s.index()].as_deref().unwrap_or(&[])
}
