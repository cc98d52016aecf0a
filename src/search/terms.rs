//! The terms of a query: each requirement, the region, each language and the network, with
//! their tiers and bounds.

use super::MARGIN;
use super::bounds::Bounds;
use super::counts::HighCounts;
use super::scratch::{CountKey, TierBits};
use super::signature::{PATTERNS, Signatures, UNIT, need_units, skill_needs};
use crate::index::{Context, Index, Part};

use crate::model::Opportunity;
use crate::score::SkillTable;

/// One kind of list a tier is made of.
#[derive(Clone, Copy, Debug)]
pub(crate) enum List {
    Skill(u32),
    Country(u32),
    Language(u32),
    /// The profiles the host's network search reached.
    Reached,
}

/// Lists whose profiles share one bound for a term.
#[derive(Clone, Debug)]
pub(crate) struct Tier {
    pub(crate) bound: f64,
    /// Whether the lists' skills can meet the requirement as a must-have.
    pub(crate) must: bool,
    pub(crate) lists: Vec<List>,
    pub(crate) postings: usize,
    /// Work to read the tier into a bitset: words for a dense list, ids for the others.
    pub(crate) cost: usize,
    /// The signature bits of its skills (requirement tiers only).
    pub(crate) signature: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Requirement(usize),
    Region,
    Language(usize),
    Network,
}

#[derive(Clone, Debug)]
pub(crate) struct Term {
    pub(crate) kind: Kind,
    /// Tiers, best bound first.
    pub(crate) tiers: Vec<Tier>,
    /// The first tier not taken yet.
    pub(crate) next: usize,
}

/// The terms of one query and the bound for the profiles they have not shown yet.
pub(crate) struct Terms<'a> {
    pub(crate) terms: Vec<Term>,
    pub(crate) base: Bounds,
    /// Requirement weights over their sum.
    pub(crate) req_share: Vec<f64>,
    pub(crate) musts: Vec<usize>,
    pub(crate) languages_asked: usize,
    pub(crate) reached: &'a [(u32, f32)],
    /// Whether a profile needs skill credit to be listed ([`MatchConfig::require_evidence`](crate::MatchConfig::require_evidence)).
    pub(crate) evidence: bool,
}

impl<'a> Terms<'a> {
    pub(crate) fn new(
        index: &'a Index,
        cx: &Context<'_>,
        o: &Opportunity,
        table: &SkillTable,
        steps: &[f32],
    ) -> Terms<'a> {
        let base = Bounds::new(cx.config, o);
        let total_weight: f64 = o.requirements.iter().map(|r| f64::from(r.weight)).sum();
        let req_share: Vec<f64> = o
            .requirements
            .iter()
            .map(|r| {
                if total_weight > 0.0 {
                    f64::from(r.weight) / total_weight
                } else {
                    0.0
                }
            })
            .collect();
        let mut terms = Vec::new();
        for (i, _) in o.requirements.iter().enumerate() {
            let mut tiers: Vec<Tier> = Vec::new();
            for (skill, credit, must) in table.related(i) {
                let len = index.skills.len(skill.index());
                if len == 0 {
                    continue;
                }
                let bound = f64::from(credit);
                match tiers
                    .iter_mut()
                    .find(|t| t.bound == bound && t.must == must)
                {
                    Some(t) => {
                        t.lists.push(List::Skill(skill.as_u32()));
                        t.postings += len;
                    }
                    None => tiers.push(Tier {
                        bound,
                        must,
                        lists: vec![List::Skill(skill.as_u32())],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }),
                }
            }
            tiers.retain(|t| t.bound > 0.0 || t.must);
            tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound).then(b.must.cmp(&a.must)));
            terms.push(Term {
                kind: Kind::Requirement(i),
                tiers,
                next: 0,
            });
        }
        if base.applies[0] {
            let s = &cx.config.region;
            let gen_max = s.generation.iter().copied().fold(0.0f32, f32::max);
            let mut tiers: Vec<Tier> = Vec::new();
            for c in 0..index.countries.counts.len() {
                let len = index.countries.len(c);
                if len == 0 {
                    continue;
                }
                let step = steps.get(c).copied().unwrap_or(1.0);
                let bound = f64::from(step) * f64::from(gen_max);
                if bound <= 0.0 {
                    continue;
                }
                match tiers.iter_mut().find(|t| t.bound == bound) {
                    Some(t) => {
                        t.lists.push(List::Country(c as u32));
                        t.postings += len;
                    }
                    None => tiers.push(Tier {
                        bound,
                        must: false,
                        lists: vec![List::Country(c as u32)],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }),
                }
            }
            tiers.sort_by(|a, b| b.bound.total_cmp(&a.bound));
            terms.push(Term {
                kind: Kind::Region,
                tiers,
                next: 0,
            });
        }
        if base.applies[2] {
            for (j, l) in o.languages.iter().enumerate() {
                let len = index.languages.len(l.language.index());
                let tiers = if len == 0 {
                    Vec::new()
                } else {
                    vec![Tier {
                        bound: 1.0,
                        must: false,
                        lists: vec![List::Language(l.language.as_u32())],
                        postings: len,
                        cost: 0,
                        signature: 0,
                    }]
                };
                terms.push(Term {
                    kind: Kind::Language(j),
                    tiers,
                    next: 0,
                });
            }
        }
        let reached: &[(u32, f32)] = index.reached.get(&o.host).map_or(&[], |v| v.as_slice());
        if base.applies[1] {
            let max = reached.iter().map(|e| e.1).fold(0.0f32, f32::max);
            let tiers = if reached.is_empty() {
                Vec::new()
            } else {
                vec![Tier {
                    bound: f64::from(max),
                    must: false,
                    lists: vec![List::Reached],
                    postings: reached.len(),
                    cost: 0,
                    signature: 0,
                }]
            };
            terms.push(Term {
                kind: Kind::Network,
                tiers,
                next: 0,
            });
        }
        for term in &mut terms {
            for tier in &mut term.tiers {
                tier.signature = tier
                    .lists
                    .iter()
                    .map(|l| match *l {
                        List::Skill(s) => index.store.signature_bit(s as u16),
                        _ => 0,
                    })
                    .fold(0, |a, b| a | b);
                tier.cost = tier
                    .lists
                    .iter()
                    .map(|l| match *l {
                        List::Skill(s) => index.skills.cost(s as usize),
                        List::Country(c) => index.countries.cost(c as usize),
                        List::Language(l) => index.languages.cost(l as usize),
                        _ => 0,
                    })
                    .sum();
            }
        }
        let musts = o
            .requirements
            .iter()
            .enumerate()
            .filter(|(_, r)| r.must)
            .map(|(i, _)| i)
            .collect();
        Terms {
            terms,
            base,
            req_share,
            musts,
            languages_asked: o.languages.len(),
            reached,
            evidence: cx.config.require_evidence,
        }
    }

    /// The bound with term `skip` advanced by one tier (or none).
    pub(crate) fn bound_with(&self, skip: Option<usize>) -> f64 {
        match skip {
            Some(t) => self.bound_at(&[(t, self.terms[t].next + 1)]),
            None => self.bound_at(&[]),
        }
    }

    /// The bound with each term `t` of `moved` having its first remaining tier at `next`.
    pub(crate) fn bound_at(&self, moved: &[(usize, usize)]) -> f64 {
        self.bounds_at(moved).map_or(-1.0, |b| b.total())
    }

    /// The component bounds with the moves of [`Terms::bound_at`]; `None` when no unseen
    /// profile can meet a must-have requirement.
    pub(crate) fn bounds_at(&self, moved: &[(usize, usize)]) -> Option<Bounds> {
        let mut b = self.base;
        b.skills = 0.0;
        b.region = 0.0;
        b.network = 0.0;
        b.language = 0.0;
        for (t, term) in self.terms.iter().enumerate() {
            let next = moved.iter().find(|m| m.0 == t).map_or(term.next, |m| m.1);
            let r = term.tiers.get(next).map_or(0.0, |x| x.bound);
            match term.kind {
                Kind::Requirement(i) => {
                    b.skills += self.req_share[i] * r;
                    if self.musts.contains(&i)
                        && !term
                            .tiers
                            .get(next..)
                            .is_some_and(|ts| ts.iter().any(|x| x.must))
                    {
                        // No unseen profile can meet this must-have.
                        return None;
                    }
                }
                Kind::Region => b.region = r,
                Kind::Network => b.network = r,
                Kind::Language(_) => b.language += r / self.languages_asked.max(1) as f64,
            }
        }
        if self.evidence && b.skills <= 0.0 {
            // No unseen profile can get skill credit, so none can be listed.
            return None;
        }
        b.skills = b.skills.min(1.0);
        b.language = b.language.min(1.0);
        Some(b)
    }

    /// What a profile's skill signature allows, for the tiers not read yet, against `limit`.
    pub(crate) fn signatures(&self, limit: f64) -> Signatures {
        let (mut tiers, mut ends, mut musts) = (Vec::new(), Vec::new(), Vec::new());
        for term in &self.terms {
            if let Kind::Requirement(i) = term.kind {
                let unread = &term.tiers[term.next.min(term.tiers.len())..];
                let share = self.req_share[i];
                // share and bound are in [0, 1]: the cast neither wraps nor saturates.
                tiers.extend(
                    unread
                        .iter()
                        .map(|t| (t.signature, (share * t.bound * UNIT).ceil() as u32)),
                );
                ends.push(tiers.len());
                if self.musts.contains(&i) {
                    musts.push(
                        unread
                            .iter()
                            .filter(|t| t.must)
                            .fold(0, |m, t| m | t.signature),
                    );
                }
            }
        }
        // With the evidence rule a profile needs some skill credit: at least one unit.
        let least = u32::from(self.evidence);
        Signatures {
            tiers,
            ends,
            musts,
            needs: self.needs(limit).map(|n| need_units(n).max(least)),
        }
    }

    /// For the profiles on term `chosen`'s next tier: the tiers of other terms that they must
    /// also be on to beat `threshold`, as `(term, tiers)`, when reading those tiers costs less
    /// than `budget` postings.
    pub(crate) fn required_with(
        &self,
        chosen: usize,
        threshold: f64,
        budget: usize,
    ) -> Vec<Vec<(usize, std::ops::Range<usize>)>> {
        let mut out: Vec<Vec<(usize, std::ops::Range<usize>)>> = Vec::new();
        for (u, term) in self.terms.iter().enumerate() {
            if u == chosen || term.next >= term.tiers.len() {
                continue;
            }
            let mut cost = 0usize;
            for j in term.next..term.tiers.len() {
                let tier = &term.tiers[j];
                cost += if tier.cost > 0 {
                    tier.cost
                } else {
                    tier.postings
                };
                if cost > budget {
                    break;
                }
                let below = self.bound_at(&[(u, j + 1)]);
                if below <= 0.0 || below + MARGIN < threshold {
                    out.push(vec![(u, term.next..j + 1)]);
                    break;
                }
            }
        }
        // The region, the languages and the network together: a profile on none of their
        // best unread tiers may fall below when each of them alone could not bring it down.
        // Their cheapest tiers are added, the weightiest first, while they leave the bound
        // above the threshold; if it falls below, the union of those tiers is required.
        if out.is_empty() {
            let w = &self.base.weights;
            let mut parts: Vec<(f64, usize)> = self
                .terms
                .iter()
                .enumerate()
                .filter(|&(u, _)| u != chosen)
                .filter_map(|(u, t)| {
                    let tier = t.tiers.get(t.next)?;
                    let low = t.tiers.get(t.next + 1).map_or(0.0, |x| x.bound);
                    let weight = match t.kind {
                        Kind::Region => w[1],
                        Kind::Network => w[2],
                        Kind::Language(_) => w[3] / self.languages_asked.max(1) as f64,
                        _ => return None,
                    };
                    Some((weight * (tier.bound - low), u))
                })
                .collect();
            parts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut moved: Vec<(usize, usize)> = Vec::new();
            let mut cost = 0;
            for &(_, u) in &parts {
                let t = &self.terms[u];
                cost += t.tiers[t.next].cost.max(t.tiers[t.next].postings);
                if cost > budget {
                    break;
                }
                moved.push((u, t.next + 1));
                let below = self.bound_at(&moved);
                if below <= 0.0 || below + MARGIN < threshold {
                    out.push(moved.iter().map(|&(u, j)| (u, j - 1..j)).collect());
                    break;
                }
            }
        }
        out
    }

    /// For the profiles of term `chosen`'s next tier: their [`HighCounts`] over the other
    /// requirements' best unread tiers and unions of their best two that cost at most
    /// `budget` to read (at most 15, the largest gains; [`HighCounts::set_needs`] then sets
    /// the limit), or `None` when none qualifies. The tiers are read through `bits`, which
    /// also keeps the planes for the next large tier of the query.
    pub(crate) fn high_counts(
        &self,
        index: &Index,
        chosen: usize,
        budget: usize,
        words: usize,
        bits: &mut TierBits,
    ) -> Option<HighCounts> {
        let mut base = 0.0;
        // (gain, term, tiers from its next one): being on any of those tiers adds the gain.
        let mut counted: Vec<(f64, usize, usize)> = Vec::new();
        for (u, term) in self.terms.iter().enumerate() {
            let Kind::Requirement(i) = term.kind else {
                continue;
            };
            let share = self.req_share[i];
            let Some(top) = term.tiers.get(term.next) else {
                continue;
            };
            if u == chosen {
                base += share * top.bound;
                continue;
            }
            // The best unread tier and the one after it: a profile on the first has at most
            // its bound, one on the second (only) at most the second's, one on neither at
            // most the third's. Counted as the first tier and the union of the two.
            let bound = |j: usize| term.tiers.get(term.next + j).map_or(0.0, |t| t.bound);
            let cost = |j: usize| term.tiers.get(term.next + j).map_or(0, |t| t.cost);
            base += share * bound(2);
            for (span, gain) in [(1, bound(0) - bound(1)), (2, bound(1) - bound(2))] {
                let cost: usize = (0..span).map(cost).sum();
                if gain > 0.0 && cost <= budget && term.tiers.len() >= term.next + span {
                    counted.push((share * gain, u, span));
                } else {
                    // Not counted: every profile is taken to be on it.
                    base += share * gain.max(0.0);
                }
            }
        }
        counted.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for &(g, _, _) in counted.iter().skip(15) {
            base += g;
        }
        counted.truncate(15);
        if counted.is_empty() {
            return None;
        }
        let mut key: Vec<CountKey> = counted
            .iter()
            .map(|&(_, u, span)| (u, self.terms[u].next, span))
            .collect();
        key.sort_unstable();
        if let Some((held, planes)) = bits.planes.take() {
            if held == key {
                return Some(HighCounts {
                    key,
                    planes,
                    base,
                    gains: counted.iter().map(|c| c.0).collect(),
                    active: Vec::new(),
                });
            }
            bits.spare_planes = planes;
        }
        let mut planes = std::mem::take(&mut bits.spare_planes);
        // The counted tiers' bitsets: a dense list as the postings hold it, others read.
        for &(u, j, span) in &key {
            for j in j..j + span {
                if self.dense_tier(index, u, j).is_none() {
                    bits.get(self, index, u, j, words);
                }
            }
        }
        let tier = |u: usize, j: usize| {
            self.dense_tier(index, u, j)
                .or_else(|| bits.peek(u, j))
                .unwrap_or(&[])
        };
        let sources: Vec<[&[u64]; 2]> = key
            .iter()
            .map(|&(u, j, span)| [tier(u, j), if span == 2 { tier(u, j + 1) } else { &[] }])
            .collect();
        // Word by word, every tier at once: a four-bit counter per profile.
        planes.clear();
        planes.extend((0..words).map(|w| {
            let mut p = [0u64; 4];
            for [a, b] in &sources {
                let mut carry = a.get(w).copied().unwrap_or(0) | b.get(w).copied().unwrap_or(0);
                for plane in p.iter_mut() {
                    let next = *plane & carry;
                    *plane ^= carry;
                    carry = next;
                }
            }
            p
        }));
        Some(HighCounts {
            key,
            planes,
            base,
            gains: counted.iter().map(|c| c.0).collect(),
            active: Vec::new(),
        })
    }

    /// The region and language terms other than `chosen` whose best unread tier costs at most
    /// `budget` to read, the weightiest first (what being on it adds to the total's
    /// numerator).
    pub(crate) fn seed_terms(&self, chosen: usize, budget: usize) -> Vec<usize> {
        let w = &self.base.weights;
        let mut found: Vec<(f64, usize)> = self
            .terms
            .iter()
            .enumerate()
            .filter(|&(u, _)| u != chosen)
            .filter_map(|(u, t)| {
                let tier = t.tiers.get(t.next).filter(|x| x.cost <= budget)?;
                let weight = match t.kind {
                    Kind::Region => w[1],
                    Kind::Language(_) => w[3] / self.languages_asked.max(1) as f64,
                    _ => return None,
                };
                Some((weight * tier.bound, u))
            })
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.into_iter().map(|f| f.1).collect()
    }

    /// Tier `j` of term `u` when it is one dense list with no pending additions: its bitset,
    /// read in place.
    pub(crate) fn dense_tier<'b>(&self, index: &'b Index, u: usize, j: usize) -> Option<&'b [u64]> {
        match self.terms.get(u)?.tiers.get(j)?.lists.as_slice() {
            [List::Skill(s)] => index.skills.clean_bitset(*s as usize),
            [List::Country(c)] => index.countries.clean_bitset(*c as usize),
            [List::Language(l)] => index.languages.clean_bitset(*l as usize),
            _ => None,
        }
    }

    /// Tier `j` of term `u` as a bitset: read in place when it is one dense list, else read
    /// into (or found in) `bits`.
    pub(crate) fn bitset<'b>(
        &self,
        index: &'b Index,
        bits: &'b mut TierBits,
        u: usize,
        j: usize,
        words: usize,
    ) -> &'b [u64] {
        match self.dense_tier(index, u, j) {
            Some(dense) => dense,
            None => bits.get(self, index, u, j, words),
        }
    }

    /// The skill needs of [`skill_needs`] for the unseen profiles against `limit`.
    pub(crate) fn needs(&self, limit: f64) -> [f64; PATTERNS] {
        skill_needs(self.bounds_at(&[]).as_ref(), limit)
    }

    pub(crate) fn bound(&self) -> f64 {
        self.bound_with(None)
    }

    /// The tier to take next. When taking some tier alone would leave no unseen profile able
    /// to beat `threshold` (then every profile that still can is on it), the smallest such
    /// tier, which ends the search; otherwise the tier that lowers the bound most per posting.
    pub(crate) fn next_tier(&self, threshold: f64, full: bool) -> Option<(usize, usize)> {
        let now = self.bound();
        let mut best: Option<(f64, usize)> = None;
        let mut finishing: Option<(usize, usize)> = None;
        for (t, term) in self.terms.iter().enumerate() {
            let Some(tier) = term.tiers.get(term.next) else {
                continue;
            };
            let after = self.bound_with(Some(t));
            // Before k profiles are held the threshold is low; a large tier read then prunes
            // nothing, so small tiers go first to raise it.
            if (after <= 0.0 || after + MARGIN < threshold) && (full || tier.postings <= 4096) {
                if finishing.is_none_or(|f| tier.postings < f.0) {
                    finishing = Some((tier.postings, t));
                }
                continue;
            }
            let gain = (now - after.max(0.0)).max(0.0);
            let value = (gain + 1e-9) / (tier.postings as f64 + 64.0);
            if best.is_none_or(|b| value > b.0) {
                best = Some((value, t));
            }
        }
        // A much smaller tier first raises the threshold, which prunes the finishing tier.
        let small = |f: (usize, usize)| {
            best.is_some_and(|b| {
                let t = &self.terms[b.1];
                t.tiers[t.next].postings * 8 < f.0
            })
        };
        match finishing {
            Some(f) if !small(f) => Some(f.1),
            _ => best.map(|b| b.1).or(finishing.map(|f| f.1)),
        }
        .map(|t| (t, self.terms[t].next))
    }

    /// Reads every list of one tier of term `t`.
    pub(crate) fn read_tier(
        &self,
        index: &Index,
        t: usize,
        tier: usize,
        mut f: impl FnMut(Part<'_>),
    ) {
        for list in &self.terms[t].tiers[tier].lists {
            match *list {
                List::Skill(s) => index.skills.read(s as usize, &mut f),
                List::Country(c) => index.countries.read(c as usize, &mut f),
                List::Language(l) => index.languages.read(l as usize, &mut f),
                List::Reached => self.reached.iter().for_each(|e| f(Part::Id(e.0))),
            }
        }
    }

    /// Reads every list of one tier and marks it taken.
    pub(crate) fn traverse(
        &mut self,
        index: &Index,
        t: usize,
        tier: usize,
        f: impl FnMut(Part<'_>),
    ) {
        self.read_tier(index, t, tier, f);
        self.terms[t].next = tier + 1;
    }
}
