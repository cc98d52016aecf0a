//! The search for opportunities that use the components beyond work (a ticket, a funding gap,
//! a sector, causes, countries of settlement sought).
//!
//! 1. **Bound** every profile that accepts the opportunity's kind from its
//!    [`digest`](crate::index::digest) (read from its kind's dense array), its residence (when
//!    countries of settlement are sought) and whom the host's search reached
//!    ([`ChannelBound`]): a few table reads a profile, no decoding. A profile that cannot show
//!    the evidence its kind asks for (capital for an investment or a donation, interest for
//!    tourism) is dropped there.
//! 2. **Score the likeliest**: the profiles whose bounds are in the highest of 1,024 bins,
//!    enough bins to hold twice `k` (more, until `k` are listed), scored exactly (the brute
//!    force's arithmetic to the bit).
//! 3. **Score the rest that can still enter**: those whose bound is at least the `k`-th
//!    score, best bound first, until the next bound is below it.
//!
//! Before a profile is scored, its skill signature tightens its bound
//! ([`SkillCeiling`]) and refuses a must-have it cannot meet.
//!
//! A profile is skipped only when its bound is below the `k`-th score, so the list is the
//! brute force's; ties in score go to the smaller id as in [`TopK`].

use std::cell::RefCell;

use crate::index::{Index, digest};
use crate::score::{Components, Scorer, SkillTable, Target};
use crate::util::TopK;
use crate::util::bitset::{self, Ranks};

use super::Context;
use super::channel_bound::{ChannelBound, UNIT};
use super::channel_skills::SkillCeiling;

/// Bins of the bounds' histogram over `[0, 1]`: a bin is `2^10` units.
const BINS: usize = 1024;

/// Profiles scored at once, their data read ahead ([`ProfileStore::touch`](crate::index::ProfileStore::touch)).
const BATCH: usize = 32;

/// A profile that can enter: its bound in units and its place among the profiles that
/// accept the kind (in id order, so the order of ids).
#[derive(Clone, Copy, Default)]
struct Candidate {
    bound: u32,
    at: u32,
}

thread_local! {
    /// Per thread, the candidates of the query being answered and the ids of a batch (kept to
    /// spare the allocations).
    static SCRATCH: RefCell<(Vec<Candidate>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The bin of a bound.
fn bin(bound: u32) -> usize {
    ((bound >> 10) as usize).min(BINS - 1)
}

/// Whether a bound (in units) reaches a score.
fn reaches(bound: u32, score: f32) -> bool {
    f64::from(bound) >= f64::from(score) * UNIT
}

impl Index {
    /// The exact top `k` for an opportunity that uses the components beyond work.
    pub(crate) fn channels_top_k(
        &self,
        cx: &Context<'_>,
        scorer: &Scorer<'_>,
        target: &Target<'_>,
        k: usize,
    ) -> TopK<Components> {
        let o = target.opportunity;
        let mut top = TopK::new(k);
        let bound = ChannelBound::new(cx, scorer, o);
        if bound.lists_nobody() {
            return top;
        }
        SCRATCH.with(|s| {
            let (all, batch) = &mut *s.borrow_mut();
            let ranks = Ranks::new(self.engaged.words(o.engagement));
            let (hist, len) = self.bound_engaged(o, &bound, &ranks, all);
            let cands = &mut all[..len];
            let mut exact = Exact::new(self, scorer, target, &ranks, batch);
            exact.ceiling = SkillCeiling::new(&self.store, o, &exact.table, bound.skills_share());
            // The highest bins that hold twice `k` (then four times, ...) until `k` are held,
            // each scored in id order.
            let (mut upper, mut want) = (BINS, k.saturating_mul(2));
            while upper > 0 && !top.is_full() {
                let mut held = 0;
                let cut = (0..upper)
                    .rev()
                    .find(|&b| {
                        held += hist[b];
                        held >= want
                    })
                    .unwrap_or(0);
                exact.score(
                    &mut top,
                    cands
                        .iter()
                        .filter(|c| (cut..upper).contains(&bin(c.bound))),
                );
                upper = cut;
                want = want.saturating_mul(2);
            }
            // The others whose bound reaches the `k`-th score, best bound first.
            let Some(kth) = top.worst_score() else {
                return;
            };
            let mut kept = 0;
            for j in 0..cands.len() {
                let c = cands[j];
                if bin(c.bound) < upper && reaches(c.bound, kth) {
                    cands[kept] = c;
                    kept += 1;
                }
            }
            let cands = &mut cands[..kept];
            cands.sort_unstable_by(|a, b| b.bound.cmp(&a.bound).then(a.at.cmp(&b.at)));
            for chunk in cands.chunks(BATCH) {
                let kth = top.worst_score().unwrap_or(kth);
                let end = chunk.partition_point(|c| reaches(c.bound, kth));
                exact.score(&mut top, chunk[..end].iter());
                if end < chunk.len() {
                    break;
                }
            }
        });
        top
    }

    /// Bounds every profile that accepts the opportunity's kind; keeps those that can show
    /// the evidence asked for at the start of `cands` (in id order) and returns the histogram
    /// of their bounds and how many they are. `cands` only grows (a query does not clear
    /// what the last one wrote). The loop over a kind's digests is branch-free: every profile
    /// is written, and kept by moving the end past it. The profiles the host's search reached
    /// get their network share afterwards.
    fn bound_engaged(
        &self,
        o: &crate::model::Opportunity,
        bound: &ChannelBound,
        ranks: &Ranks<'_>,
        cands: &mut Vec<Candidate>,
    ) -> (Vec<usize>, usize) {
        let count = ranks.count();
        if cands.len() < count {
            cands.resize(count, Candidate::default());
        }
        let mut len = 0;
        let digests = self.engaged.digests(o.engagement);
        match digests.filter(|d| d.len() == count && !bound.settles()) {
            Some(digests) => {
                len = match bound.shape() {
                    0 => bound_dense::<0>(bound, digests, cands),
                    1 => bound_dense::<1>(bound, digests, cands),
                    _ => bound_dense::<2>(bound, digests, cands),
                };
            }
            // A work kind, or countries of settlement sought: the store's profiles.
            None => {
                for (j, id) in bitset::ones(self.engaged.words(o.engagement)).enumerate() {
                    let i = id as usize;
                    let d = digests
                        .and_then(|d| d.get(j).copied())
                        .unwrap_or_else(|| digest::of(&self.store.view(i)));
                    let (b, ok) = bound.of(d);
                    cands[len] = Candidate {
                        bound: b + bound.settlement(self.store.residence_id(i)),
                        at: j as u32,
                    };
                    len += usize::from(ok);
                }
            }
        }
        let cands = &mut cands[..len];
        let reached: &[(u32, f32)] = self.reached.get(&o.host).map_or(&[], Vec::as_slice);
        for &(id, strength) in reached {
            let Some(at) = ranks.rank(id) else {
                continue;
            };
            if let Ok(x) = cands.binary_search_by_key(&(at as u32), |c| c.at) {
                cands[x].bound += bound.network(strength);
            }
        }
        let mut hist = vec![0usize; BINS];
        for c in cands.iter() {
            hist[bin(c.bound)] += 1;
        }
        (hist, len)
    }
}

/// Bounds the digests of a kind's profiles into `cands` (as long), keeping at its start
/// those that can show the evidence asked for; returns how many. Branch-free: each is
/// written, and kept by moving the end past it. `C`: the bound's
/// [`shape`](ChannelBound::shape).
fn bound_dense<const C: u8>(
    bound: &ChannelBound,
    digests: &[u64],
    cands: &mut [Candidate],
) -> usize {
    let mut len = 0;
    for (j, &d) in digests.iter().enumerate() {
        let (b, ok) = bound.of_shaped::<C>(d);
        cands[len] = Candidate {
            bound: b,
            at: j as u32,
        };
        len += usize::from(ok);
    }
    len
}

/// The exact score of candidates, as [`Scorer::score_table`] computes it.
struct Exact<'a> {
    index: &'a Index,
    scorer: &'a Scorer<'a>,
    target: &'a Target<'a>,
    table: SkillTable,
    reached: &'a [(u32, f32)],
    ranks: &'a Ranks<'a>,
    /// What a profile's skill signature allows, when the opportunity has requirements.
    ceiling: Option<SkillCeiling>,
    best: Vec<f32>,
    met: Vec<bool>,
    batch: &'a mut Vec<u32>,
}

impl<'a> Exact<'a> {
    fn new(
        index: &'a Index,
        scorer: &'a Scorer<'a>,
        target: &'a Target<'a>,
        ranks: &'a Ranks<'a>,
        batch: &'a mut Vec<u32>,
    ) -> Exact<'a> {
        let o = target.opportunity;
        Exact {
            index,
            scorer,
            target,
            table: SkillTable::new(scorer, o, index.skills_listed()),
            reached: index.reached.get(&o.host).map_or(&[], Vec::as_slice),
            ranks,
            ceiling: None,
            best: vec![0f32; o.requirements.len()],
            met: vec![false; o.requirements.len()],
            batch,
        }
    }

    /// Scores candidates and offers them to the top, [`BATCH`] at a time, each batch's data
    /// read ahead so that its cache misses overlap.
    fn score<'c>(
        &mut self,
        top: &mut TopK<Components>,
        cands: impl Iterator<Item = &'c Candidate>,
    ) {
        let mut cands = cands.peekable();
        let mut bounds = [0u32; BATCH];
        while cands.peek().is_some() {
            self.batch.clear();
            for (c, b) in cands.by_ref().take(BATCH).zip(&mut bounds) {
                self.batch.push(self.ranks.select(c.at as usize));
                *b = c.bound;
            }
            std::hint::black_box(self.index.store.touch(self.batch));
            for (j, &bound) in bounds.iter().enumerate().take(self.batch.len()) {
                let id = self.batch[j];
                if self.can_enter(top, id, bound) {
                    self.push(top, id);
                }
            }
        }
    }

    /// Whether a profile of bound `bound` can still enter once its skill signature is read.
    fn can_enter(&self, top: &TopK<Components>, id: u32, bound: u32) -> bool {
        let Some(ceiling) = &self.ceiling else {
            return true;
        };
        match ceiling.slack(self.index.store.signature(id as usize)) {
            None => false,
            Some(slack) => top
                .worst_score()
                .filter(|_| top.is_full())
                .is_none_or(|kth| reaches(bound.saturating_sub(slack), kth)),
        }
    }

    /// Scores one profile and offers it to the top.
    fn push(&mut self, top: &mut TopK<Components>, id: u32) {
        let o = self.target.opportunity;
        let view = self.index.store.view(id as usize);
        let scratch = (&mut self.best[..], &mut self.met[..]);
        let Some(skills) = Scorer::table_skills(&view, o, &self.table, scratch) else {
            return;
        };
        // The network as the scorer reads it from the host's search (every opportunity has
        // a host).
        let strength = self
            .reached
            .binary_search_by_key(&id, |r| r.0)
            .map_or(0.0, |at| self.reached[at].1);
        let components = Components::of(
            [
                skills,
                self.scorer.region_value(&view, o),
                Some(strength),
                Scorer::language_value(&view, o),
            ],
            self.scorer.channels(&view, o),
        );
        if let Some((score, components)) = self.scorer.listed(components, o) {
            top.push(score, id, components);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::audit::{cases, config, synthetic};
    use super::*;
    use crate::engine::Engine;
    use crate::id::OpportunityId;
    use crate::score::uses_channels;

    /// Checks every bound of every profile that accepts the kind of each opportunity beyond
    /// work against its exact score; returns how many profiles were checked.
    fn bounds_hold(seed: u64, profiles: usize, cfg: crate::MatchConfig) -> usize {
        let engine = Engine::builder(synthetic(seed, profiles))
            .config(cfg)
            .build()
            .unwrap();
        let (cx, scorer, index) = (engine.context(), engine.scorer(), &engine.index);
        let mut checked = 0;
        for (j, o) in engine.opportunities.iter().enumerate() {
            if !uses_channels(o) {
                continue;
            }
            let target = engine.target(OpportunityId::new(j as u32)).unwrap();
            let bound = ChannelBound::new(&cx, &scorer, o);
            let table = SkillTable::new(&scorer, o, index.skills_listed());
            let ceiling = SkillCeiling::new(&index.store, o, &table, bound.skills_share());
            let reached = index.reached.get(&o.host).map_or(&[][..], Vec::as_slice);
            let words = index.engaged.words(o.engagement);
            let dense = index.engaged.digests(o.engagement);
            for (j, id) in bitset::ones(words).enumerate() {
                let i = id as usize;
                let view = index.store.view(i);
                if let Some(d) = dense {
                    assert_eq!(d.get(j), Some(&digest::of(&view)), "profile {id}'s digest");
                }
                let exact = scorer.score(&view, &target);
                let d = digest::of(&view);
                let (mut b, ok) = match bound.shape() {
                    0 => bound.of_shaped::<0>(d),
                    1 => bound.of_shaped::<1>(d),
                    _ => bound.of(d),
                };
                b += bound.settlement(index.store.residence_id(i));
                if let Ok(at) = reached.binary_search_by_key(&id, |r| r.0) {
                    b += bound.network(reached[at].1);
                }
                let slack = ceiling
                    .as_ref()
                    .map_or(Some(0), |c| c.slack(index.store.signature(i)));
                if let Some((score, _)) = exact {
                    assert!(
                        ok && !bound.lists_nobody(),
                        "profile {id} listed without evidence"
                    );
                    let slack = slack.unwrap_or_else(|| panic!("profile {id}: must-have refused"));
                    assert!(
                        reaches(b - slack, score),
                        "profile {id}: bound {} below its score {score}",
                        f64::from(b - slack) / UNIT
                    );
                }
                checked += 1;
            }
        }
        checked
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// Every bound of the search beyond work (the digest's, the settlement's, the
        /// network's, less the skill signature's slack) is at least the exact score, and a
        /// profile refused for evidence or a must-have is never listed.
        #[test]
        fn channel_bounds_are_at_least_the_exact_scores(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config()) {
            bounds_hold(seed, profiles, cfg);
        }
    }

    /// The property is not vacuous: the default configuration checks many profiles.
    #[test]
    fn channel_bounds_are_checked() {
        assert!(bounds_hold(1, 4000, crate::MatchConfig::default()) > 1000);
    }
}
