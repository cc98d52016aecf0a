//! The filter of tiers other terms require: the profiles of a tier that are on none of the
//! tiers a term must still give them cannot beat the threshold.

use super::MARGIN;
use super::terms::{Kind, Terms};

impl Terms<'_> {
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
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::audit::{Filter, audited, cases, config};

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(4), ..ProptestConfig::default() })]

        /// The required filter drops only profiles that cannot beat the limit: each profile a
        /// tier loses for being on none of the tiers other terms require scores below it.
        #[test]
        fn required_tiers_drop_only_profiles_below_the_limit(seed in any::<u64>(), profiles in 1500usize..5000, cfg in config(), k in 1usize..40) {
            audited(Filter::Required, seed, profiles, cfg, k);
        }
    }
}
