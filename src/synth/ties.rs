//! Drawing ties: family, community, alumni, colleagues, mentors and organisations, within
//! groups of people who share an origin, a residence or an occupation.

use std::collections::HashMap;

use crate::id::RegionId;
use crate::network::TieKind;

use super::config::{TIE_CHUNK, TIE_MIX};
use super::population::{Attrs, Population, TIES, chunk_rng};
use super::rng::{SplitMix64, Weighted};

/// Ties drawn by one chunk: (node, node, kind, strength).
pub(crate) type TieRow = (u32, u32, TieKind, f32);

/// The groups ties are drawn within.
pub(crate) struct Groups {
    pub(crate) by_origin: HashMap<RegionId, Vec<u32>>,
    pub(crate) by_community: HashMap<(RegionId, RegionId), Vec<u32>>,
    pub(crate) by_occupation: HashMap<u32, Vec<u32>>,
    pub(crate) origin_keys: Vec<RegionId>,
    pub(crate) community_keys: Vec<(RegionId, RegionId)>,
    pub(crate) occupation_keys: Vec<u32>,
    pub(crate) orgs: Vec<(u32, RegionId)>,
}

impl<'a> Population<'a> {
    pub(crate) fn groups(
        &self,
        attrs: &[Attrs],
        contacts: &[(String, bool, RegionId)],
        orgs: &[(String, RegionId)],
    ) -> Groups {
        let mut g = Groups {
            by_origin: HashMap::new(),
            by_community: HashMap::new(),
            by_occupation: HashMap::new(),
            origin_keys: Vec::new(),
            community_keys: Vec::new(),
            occupation_keys: Vec::new(),
            orgs: Vec::new(),
        };
        for (i, a) in attrs.iter().enumerate() {
            let n = i as u32;
            g.by_origin.entry(a.origin).or_default().push(n);
            g.by_community
                .entry((a.origin, a.residence))
                .or_default()
                .push(n);
            g.by_occupation.entry(a.occupation).or_default().push(n);
        }
        let first_contact = attrs.len() as u32;
        for (i, c) in contacts.iter().enumerate() {
            g.by_origin
                .entry(c.2)
                .or_default()
                .push(first_contact + i as u32);
        }
        let first_org = first_contact + contacts.len() as u32;
        g.orgs = orgs
            .iter()
            .enumerate()
            .map(|(i, o)| (first_org + i as u32, o.1))
            .collect();
        g.origin_keys = pairable(&g.by_origin);
        g.community_keys = pairable(&g.by_community);
        g.occupation_keys = pairable(&g.by_occupation);
        g
    }

    /// Draws the ties of one chunk.
    pub(crate) fn tie_chunk(&self, g: &Groups, c: usize) -> Vec<TieRow> {
        let mut rng = chunk_rng(self.config.seed, TIES, c as u64);
        let want = TIE_CHUNK.min(self.config.ties - c * TIE_CHUNK);
        let tie_kind = Weighted::new(TIE_MIX.iter().map(|t| t.1));
        // Skewed choice inside a group: low positions are picked far more often, which gives
        // the heavy-tailed degrees of real social graphs.
        let skewed =
            |rng: &mut SplitMix64, n: usize| ((rng.unit().powi(3)) * n as f64) as usize % n.max(1);
        let pair_in = |rng: &mut SplitMix64, list: &[u32]| -> Option<(u32, u32)> {
            if list.len() < 2 {
                return None;
            }
            let a = list[skewed(rng, list.len())];
            let b = list[rng.below(list.len())];
            (a != b).then_some((a, b))
        };
        let mut out = Vec::with_capacity(want);
        let mut attempts = 0usize;
        while out.len() < want && attempts < want * 50 + 1000 {
            attempts += 1;
            let (kind, _, lo, hi) = TIE_MIX[tie_kind.sample(&mut rng).unwrap_or(0)];
            let pair = match kind {
                TieKind::Organisational if !g.orgs.is_empty() => {
                    let (org, country) = g.orgs[skewed(&mut rng, g.orgs.len())];
                    g.by_origin
                        .get(&country)
                        .filter(|l| !l.is_empty())
                        .map(|l| (l[rng.below(l.len())], org))
                }
                TieKind::Organisational => None,
                TieKind::Community if !g.community_keys.is_empty() => {
                    let k = g.community_keys[rng.below(g.community_keys.len())];
                    g.by_community.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                TieKind::Colleague | TieKind::Mentor if !g.occupation_keys.is_empty() => {
                    let k = g.occupation_keys[rng.below(g.occupation_keys.len())];
                    g.by_occupation.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                _ if !g.origin_keys.is_empty() => {
                    let k = g.origin_keys[rng.below(g.origin_keys.len())];
                    g.by_origin.get(&k).and_then(|l| pair_in(&mut rng, l))
                }
                _ => None,
            };
            let Some((a, b)) = pair else { continue };
            let strength = ((lo + (hi - lo) * rng.unit() as f32) * 100.0).round() / 100.0;
            out.push((a, b, kind, strength.clamp(0.01, 1.0)));
        }
        out
    }
}

/// The groups with at least two members (a tie needs two ends), sorted so that the draws do
/// not depend on the map's order.
fn pairable<K: Copy + Ord>(groups: &HashMap<K, Vec<u32>>) -> Vec<K> {
    let mut keys: Vec<K> = groups
        .iter()
        .filter(|(_, v)| v.len() >= 2)
        .map(|(k, _)| *k)
        .collect();
    keys.sort_unstable();
    keys
}
