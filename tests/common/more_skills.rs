//! Five more O*NET groups for the skill pools of the tests (`tests/common`) and of the fuzz
//! targets (`fuzz/props.rs`, which includes this file by path).

use diaspora_match::{SkillId, Taxonomy};

/// Appends five more O*NET groups and the first six members of each (those not in `pool`
/// yet), so that a population can hold more skills than have a signature bit of their own
/// (40), and some share bits. Appended after the pool's first skills, so that specs naming
/// pool positions keep their skills.
pub fn add_more_groups(t: &Taxonomy, pool: &mut Vec<SkillId>) {
    for key in [
        "onet:2.B.1",
        "onet:2.B.3",
        "onet:2.B.4",
        "onet:2.C.1",
        "onet:2.C.3",
    ] {
        let g = t
            .by_key(key)
            .unwrap_or_else(|| panic!("{key} is in the bundled taxonomy"));
        for s in std::iter::once(g).chain(t.children(g).iter().copied().take(6)) {
            if !pool.contains(&s) {
                pool.push(s);
            }
        }
    }
}
