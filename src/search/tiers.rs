//! How the terms' tiers are made: the lists of one term grouped by the bound they give, and
//! each tier's signature bits and reading cost.

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
    with_groups(index, taxonomy, table, i, &mut tiers);
    Term {
        kind: Kind::Requirement(i),
        tiers,
        next: 0,
    }
}

/// Replaces, in a requirement's tiers, the lists of the narrower skills of a broad concept by
/// the concept's group list where one tier holds all of them that anyone holds, but those in
/// better tiers of the same term, and those hold few profiles beside the lists replaced.
///
/// The group list is then a superset of what it replaces by the holders of those better
/// tiers' skills only. Tiers of a term are read best first, so those profiles are seen before
/// this tier is walked; and where a tier's membership only bounds or filters profiles not
/// seen yet (the counts, the required filters, the signatures), a larger list only loosens
/// the bound. The search stays exact.
fn with_groups(
    index: &Index,
    taxonomy: &Taxonomy,
    table: &SkillTable,
    i: usize,
    tiers: &mut [Tier],
) {
    let len = |s: SkillId| index.skills.len(s.index());
    // The related skills: the required one and the narrower ones (their narrower skills are
    // the narrower tiers), the broader ones (theirs are the siblings).
    let mut concepts: Vec<SkillId> = table
        .related(i)
        .map(|r| r.0)
        .filter(|&c| index.groups.of(c).is_some())
        .collect();
    if concepts.is_empty() {
        return;
    }
    concepts.sort_unstable();
    concepts.dedup();
    let mut tier_of: Vec<(u32, usize)> = tiers
        .iter()
        .enumerate()
        .flat_map(|(t, tier)| {
            tier.lists.iter().filter_map(move |l| match *l {
                List::Skill(s) => Some((s, t)),
                _ => None,
            })
        })
        .collect();
    tier_of.sort_unstable();
    let find = |s: SkillId| {
        tier_of
            .binary_search_by_key(&s.as_u32(), |e| e.0)
            .ok()
            .map(|k| tier_of[k].1)
    };
    // Per tier: the groups to add and the skills they cover.
    let mut plan: Vec<(usize, u32, Vec<u32>)> = Vec::new();
    for concept in concepts {
        let narrower = taxonomy.children(concept);
        // The tier of the narrower skills: the worst one any of them is in.
        let Some(target) = narrower.iter().filter_map(|&c| find(c)).max() else {
            continue;
        };
        let (mut covered, mut replaced, mut extra, mut all) = (Vec::new(), 0, 0, true);
        for &c in narrower {
            match find(c) {
                Some(t) if t == target => {
                    covered.push(c.as_u32());
                    replaced += len(c);
                }
                Some(_) => extra += len(c),
                None if len(c) > 0 => {
                    all = false;
                    break;
                }
                None => {}
            }
        }
        if let Some(g) = index.groups.of(concept)
            && all
            && covered.len() >= 2
            && extra * MAX_EXTRA <= replaced
        {
            covered.sort_unstable();
            plan.push((target, g, covered));
        }
    }
    for (t, g, covered) in plan {
        let tier = &mut tiers[t];
        tier.lists
            .retain(|l| !matches!(*l, List::Skill(s) if covered.binary_search(&s).is_ok()));
        tier.lists.push(List::Group(g));
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
}

/// A group list stands in for skills' lists only when the holders it adds (of better tiers'
/// skills) are at most an eighth of the postings it replaces.
const MAX_EXTRA: usize = 8;

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
