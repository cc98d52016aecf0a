//! How the terms' tiers are made: the lists of one term grouped by the bound they give, and
//! each tier's signature bits and reading cost.

use std::collections::HashSet;

use crate::id::SkillId;
use crate::index::Index;
use crate::model::Opportunity;
use crate::score::SkillTable;
use crate::taxonomy::Taxonomy;

use super::Context;
use super::terms::{Kind, List, Term, Tier};

impl Tier {
    /// A tier of one list.
    fn of(bound: f64, must: bool, list: List, postings: usize) -> Tier {
        Tier {
            bound,
            must,
            lists: vec![list],
            postings,
            cost: 0,
            signature: 0,
        }
    }

    /// Sets the tier's signature bits (of its skills) and its reading cost.
    pub(crate) fn measure(&mut self, index: &Index) {
        self.signature = self
            .lists
            .iter()
            .map(|l| match *l {
                List::Skill(s) => index.store.signature_bit(s as u16),
                List::Group(g) => index.groups.signature(g),
                _ => 0,
            })
            .fold(0, |a, b| a | b);
        self.cost = self
            .lists
            .iter()
            .map(|l| match *l {
                List::Skill(s) => index.skills.cost(s as usize),
                List::Group(g) => index.groups.postings.cost(g as usize),
                List::Country(c) => index.countries.cost(c as usize),
                List::Language(l) => index.languages.cost(l as usize),
                List::Reached => 0,
            })
            .sum();
    }
}

/// Adds a list of `postings` profiles to the tier with its bound and must-have flag, or to a
/// new one.
fn group(tiers: &mut Vec<Tier>, bound: f64, must: bool, list: List, postings: usize) {
    match tiers
        .iter_mut()
        .find(|t| t.bound == bound && t.must == must)
    {
        Some(t) => {
            t.lists.push(list);
            t.postings += postings;
        }
        None => tiers.push(Tier::of(bound, must, list, postings)),
    }
}

/// Requirement `i`'s term: the skills that give it credit, grouped by credit and by whether
/// they meet it as a must-have; tiers that give nothing and meet nothing are dropped. Where a
/// tier holds every narrower skill of a broad concept (but those of better tiers), the
/// concept's one list stands for theirs ([`with_groups`]).
pub(crate) fn requirement_term(
    index: &Index,
    taxonomy: &Taxonomy,
    table: &SkillTable,
    i: usize,
) -> Term {
    let mut tiers: Vec<Tier> = Vec::new();
    for (skill, credit, must) in table.related(i) {
        let len = index.skills.len(skill.index());
        if len > 0 {
            group(
                &mut tiers,
                f64::from(credit),
                must,
                List::Skill(skill.as_u32()),
                len,
            );
        }
    }
    tiers.retain(|t| t.bound > 0.0 || t.must);
    tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound).then(b.must.cmp(&a.must)));
    with_groups(index, taxonomy, &mut tiers);
    Term {
        kind: Kind::Requirement(i),
        tiers,
        next: 0,
    }
}

/// Replaces, in each tier, the lists of the narrower skills of a broad concept by the
/// concept's group list when the tier holds all of them that anyone holds, but those already
/// in a better tier of the same term.
///
/// The group list is then a superset of what it replaces by the holders of those better
/// tiers' skills only. Tiers of a term are read best first, so those profiles are seen before
/// this tier is walked; and where a tier's membership only bounds or filters profiles not
/// seen yet (the counts, the required filters, the signatures), a larger list only loosens
/// the bound. The search stays exact.
fn with_groups(index: &Index, taxonomy: &Taxonomy, tiers: &mut [Tier]) {
    let mut better: HashSet<u32> = HashSet::new();
    for tier in tiers.iter_mut() {
        let here: HashSet<u32> = tier
            .lists
            .iter()
            .filter_map(|l| match *l {
                List::Skill(s) => Some(s),
                _ => None,
            })
            .collect();
        let mut concepts: Vec<SkillId> = here
            .iter()
            .flat_map(|&s| taxonomy.parents(SkillId::new(s)).iter().copied())
            .filter(|&p| index.groups.of(p).is_some())
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        let mut covered: HashSet<u32> = HashSet::new();
        let mut groups = Vec::new();
        for concept in concepts {
            let narrower = taxonomy.children(concept);
            let (mut inside, mut all) = (0, true);
            for c in narrower {
                let c32 = c.as_u32();
                if here.contains(&c32) {
                    inside += 1;
                } else if !better.contains(&c32) && index.skills.len(c.index()) > 0 {
                    all = false;
                    break;
                }
            }
            if all && inside >= 2 {
                covered.extend(
                    narrower
                        .iter()
                        .map(|c| c.as_u32())
                        .filter(|c| here.contains(c)),
                );
                groups.extend(index.groups.of(concept).map(List::Group));
            }
        }
        if !groups.is_empty() {
            tier.lists
                .retain(|l| !matches!(*l, List::Skill(s) if covered.contains(&s)));
            tier.lists.extend(groups);
            tier.postings = tier
                .lists
                .iter()
                .map(|l| match *l {
                    List::Skill(s) => index.skills.len(s as usize),
                    List::Group(g) => index.groups.postings.len(g as usize),
                    _ => 0,
                })
                .sum();
        }
        better.extend(here);
    }
}

/// The region's term: origin countries grouped by their closeness step (times the best
/// generation factor).
pub(crate) fn region_term(index: &Index, cx: &Context<'_>, steps: &[f32]) -> Term {
    let generation = cx.config.region.generation;
    let gen_max = generation.iter().copied().fold(0.0f32, f32::max);
    let mut tiers: Vec<Tier> = Vec::new();
    for c in 0..index.countries.counts.len() {
        let len = index.countries.len(c);
        let step = steps.get(c).copied().unwrap_or(1.0);
        let bound = f64::from(step) * f64::from(gen_max);
        if len > 0 && bound > 0.0 {
            group(&mut tiers, bound, false, List::Country(c as u32), len);
        }
    }
    tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound));
    Term {
        kind: Kind::Region,
        tiers,
        next: 0,
    }
}

/// One term per language asked for, with one tier: its speakers.
pub(crate) fn language_terms(index: &Index, o: &Opportunity) -> Vec<Term> {
    o.languages
        .iter()
        .enumerate()
        .map(|(j, l)| {
            let len = index.languages.len(l.language.index());
            let list = List::Language(l.language.as_u32());
            Term {
                kind: Kind::Language(j),
                tiers: (len > 0)
                    .then(|| Tier::of(1.0, false, list, len))
                    .into_iter()
                    .collect(),
                next: 0,
            }
        })
        .collect()
}

/// The network's term, with one tier: the profiles the host's search reached, bounded by the
/// strongest path.
pub(crate) fn network_term(reached: &[(u32, f32)]) -> Term {
    let max = reached.iter().map(|e| e.1).fold(0.0f32, f32::max);
    Term {
        kind: Kind::Network,
        tiers: (!reached.is_empty())
            .then(|| Tier::of(f64::from(max), false, List::Reached, reached.len()))
            .into_iter()
            .collect(),
        next: 0,
    }
}

/// Each requirement's share of the opportunity's requirement weight (0 when they weigh
/// nothing).
pub(crate) fn requirement_shares(o: &Opportunity) -> Vec<f64> {
    let total: f64 = o.requirements.iter().map(|r| f64::from(r.weight)).sum();
    o.requirements
        .iter()
        .map(|r| {
            if total > 0.0 {
                f64::from(r.weight) / total
            } else {
                0.0
            }
        })
        .collect()
}
