//! Relations along the hierarchy: the same skill, narrower, broader or siblings, from the
//! ancestors precomputed when the taxonomy is built.

use std::collections::{HashMap, VecDeque};

use crate::id::SkillId;
use crate::util::Csr;

use super::Taxonomy;

/// How far along the hierarchy relations are precomputed. [`MatchConfig`](crate::MatchConfig)
/// may use any hop limit up to this.
pub const MAX_RELATION_HOPS: u8 = 3;

/// How two skills are related along the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same skill.
    Same,
    /// The held skill is narrower (more specific) than the required one, `hops` levels down.
    Narrower {
        /// Levels between them, at least 1.
        hops: u8,
    },
    /// The held skill is broader (more general) than the required one, `hops` levels up.
    Broader {
        /// Levels between them, at least 1.
        hops: u8,
    },
    /// The two share a direct broader entry.
    Sibling,
}

impl Taxonomy {
    /// How a held skill relates to a required one within `max_hops` levels of the hierarchy
    /// (a sibling is two hops away), or `None`.
    ///
    /// # Complexity
    ///
    /// Linear in the lengths of the two skills' ancestor lists (a handful of entries).
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::Relation;
    /// # let reference = diaspora_match::io::load_reference(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference"))?;
    /// let t = &reference.taxonomy;
    /// let python = t.resolve("Python").skill.unwrap();
    /// let java = t.resolve("Oracle Java").skill.unwrap();
    /// let category = t.parents(python)[0];
    /// assert_eq!(t.relation(category, python, 2), Some(Relation::Narrower { hops: 1 }));
    /// assert_eq!(t.relation(python, category, 2), Some(Relation::Broader { hops: 1 }));
    /// assert_eq!(t.relation(python, java, 2), Some(Relation::Sibling));
    /// assert_eq!(t.relation(python, java, 1), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn relation(&self, required: SkillId, held: SkillId, max_hops: u8) -> Option<Relation> {
        if required == held {
            return Some(Relation::Same);
        }
        let find = |list: &[(SkillId, u8)], x: SkillId| {
            list.binary_search_by_key(&x, |e| e.0)
                .ok()
                .map(|i| list[i].1)
        };
        if let Some(h) = find(self.ancestors(held), required).filter(|&h| h <= max_hops) {
            return Some(Relation::Narrower { hops: h });
        }
        if let Some(h) = find(self.ancestors(required), held).filter(|&h| h <= max_hops) {
            return Some(Relation::Broader { hops: h });
        }
        if max_hops >= 2 && sorted_intersect(self.parents(required), self.parents(held)) {
            return Some(Relation::Sibling);
        }
        None
    }
}

/// Calls `f` with every skill related to `required` within `max_hops`, and the relation.
pub(crate) fn expand(
    taxonomy: &Taxonomy,
    required: SkillId,
    max_hops: u8,
    mut f: impl FnMut(SkillId, Relation),
) {
    let mut candidates: Vec<SkillId> = vec![required];
    // Narrower: breadth first down the children.
    let mut frontier = vec![required];
    for _ in 0..max_hops {
        let mut next = Vec::new();
        for &s in &frontier {
            next.extend_from_slice(taxonomy.children(s));
        }
        candidates.extend_from_slice(&next);
        frontier = next;
    }
    // Broader and siblings.
    candidates.extend(taxonomy.ancestors(required).iter().map(|a| a.0));
    if max_hops >= 2 {
        for &p in taxonomy.parents(required) {
            candidates.extend_from_slice(taxonomy.children(p));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    for s in candidates {
        if let Some(rel) = taxonomy.relation(required, s, max_hops) {
            f(s, rel);
        }
    }
}

pub(crate) fn sorted_intersect(a: &[SkillId], b: &[SkillId]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Breadth-first up the hierarchy from every skill, to [`MAX_RELATION_HOPS`].
pub(crate) fn ancestor_lists(parents: &Csr<SkillId>, n: usize) -> Csr<(SkillId, u8)> {
    let mut out = Csr::default();
    let mut seen: HashMap<SkillId, u8> = HashMap::new();
    let mut queue = VecDeque::new();
    for i in 0..n {
        seen.clear();
        queue.clear();
        queue.push_back((SkillId::new(i as u32), 0u8));
        while let Some((s, d)) = queue.pop_front() {
            if d == MAX_RELATION_HOPS {
                continue;
            }
            for &p in parents.get(s.index()) {
                if p.index() != i && !seen.contains_key(&p) {
                    seen.insert(p, d + 1);
                    queue.push_back((p, d + 1));
                }
            }
        }
        let mut list: Vec<(SkillId, u8)> = seen.iter().map(|(&k, &v)| (k, v)).collect();
        list.sort_unstable();
        out.push(list);
    }
    out
}
