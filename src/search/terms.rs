//! The terms of a query: each requirement, the region, each language and the network, with
//! their tiers and bounds.

use crate::index::{Index, Part};
use crate::model::Opportunity;
use crate::score::SkillTable;

use super::Context;
use super::MARGIN;
use super::bounds::Bounds;
use super::scratch::TierBits;
use super::signature::{PATTERNS, Signatures, UNIT, need_units, skill_needs};
use super::tiers::{
    language_terms, network_term, region_term, requirement_shares, requirement_term,
};

/// One kind of list a tier is made of.
#[derive(Clone, Copy, Debug)]
pub(crate) enum List {
    Skill(u32),
    /// The holders of any narrower skill of a broad concept ([`Groups`](crate::index::Groups)).
    Group(u32),
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
    /// The terms of an opportunity: one per requirement, then the region, each language asked
    /// for and the network, when they apply; each with its tiers, best bound first.
    pub(crate) fn new(
        index: &'a Index,
        cx: &Context<'_>,
        o: &Opportunity,
        table: &SkillTable,
        steps: &[f32],
    ) -> Terms<'a> {
        let base = Bounds::new(cx.config, o);
        let mut terms: Vec<Term> = (0..o.requirements.len())
            .map(|i| requirement_term(index, cx.taxonomy, table, i))
            .collect();
        if base.applies[0] {
            terms.push(region_term(index, cx, steps));
        }
        if base.applies[2] {
            terms.extend(language_terms(index, o));
        }
        let reached: &[(u32, f32)] = index.reached.get(&o.host).map_or(&[], |v| v.as_slice());
        if base.applies[1] {
            terms.push(network_term(reached));
        }
        for tier in terms.iter_mut().flat_map(|t| t.tiers.iter_mut()) {
            tier.measure(index);
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
            req_share: requirement_shares(o),
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

    /// Tier `j` of term `u` when it is one dense list with no pending additions: its bitset,
    /// read in place.
    pub(crate) fn dense_tier<'b>(&self, index: &'b Index, u: usize, j: usize) -> Option<&'b [u64]> {
        match self.terms.get(u)?.tiers.get(j)?.lists.as_slice() {
            [List::Skill(s)] => index.skills.clean_bitset(*s as usize),
            [List::Group(g)] => index.groups.postings.clean_bitset(*g as usize),
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
                List::Group(g) => index.groups.postings.read(g as usize, &mut f),
                List::Country(c) => index.countries.read(c as usize, &mut f),
                List::Language(l) => index.languages.read(l as usize, &mut f),
                List::Reached => self.reached.iter().for_each(|e| f(Part::Id(e.0))),
            }
        }
    }
}
