//! The diaspora map: its counts equal a plain count over the profiles, and no suppressed
//! count can be recovered from the published ones by subtraction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use diaspora_match::map::{CAPITAL_BUCKETS, Count, Dimension, Filter, MapQuery, Table};
use diaspora_match::{Engagement, Engine, Profile, SkillId, SkillKind, Taxonomy};
use proptest::prelude::*;

const DIMENSIONS: [Dimension; 9] = [
    Dimension::Origin,
    Dimension::Residence,
    Dimension::Generation,
    Dimension::SkillGroup,
    Dimension::SkillSubgroup,
    Dimension::Engagement,
    Dimension::Capital,
    Dimension::Sector,
    Dimension::Cause,
];

/// The groups at `level` below a root among the ancestors of `s`, by walking up every path.
fn groups_at(t: &Taxonomy, s: SkillId, level: usize) -> BTreeSet<String> {
    let depth = |g: SkillId| {
        // The fewest steps up to a group without parents.
        let mut frontier = vec![g];
        for d in 0..32 {
            if frontier.iter().any(|&x| t.parents(x).is_empty()) {
                return d;
            }
            frontier = frontier
                .iter()
                .flat_map(|&x| t.parents(x).to_vec())
                .collect();
        }
        usize::MAX
    };
    let mut out = BTreeSet::new();
    let mut stack = vec![s];
    let mut seen = BTreeSet::new();
    while let Some(x) = stack.pop() {
        if !seen.insert(x) {
            continue;
        }
        if t.kind(x) == Some(SkillKind::Group) && depth(x) == level {
            out.insert(t.label(x).to_string());
            continue;
        }
        stack.extend(t.parents(x).iter().copied());
    }
    out
}

/// A profile's values along a dimension, as labels, the way a person would count them.
fn values(engine: &Engine, p: &Profile, d: Dimension) -> BTreeSet<String> {
    let r = engine.reference();
    let mut out: BTreeSet<String> = match d {
        Dimension::Origin => p
            .origins
            .iter()
            .map(|o| r.regions.name(o.country).to_string())
            .collect(),
        Dimension::Residence => p
            .residence
            .iter()
            .map(|&c| r.regions.name(c).to_string())
            .collect(),
        Dimension::Generation => p
            .origins
            .iter()
            .map(|o| o.generation.get())
            .min()
            .map(|g| {
                ["born there", "second generation", "third generation"][usize::from(g - 1)]
                    .to_string()
            })
            .into_iter()
            .collect(),
        Dimension::SkillGroup | Dimension::SkillSubgroup => {
            let level = if d == Dimension::SkillGroup { 1 } else { 2 };
            p.skills
                .iter()
                .flat_map(|h| groups_at(&r.taxonomy, h.skill, level))
                .collect()
        }
        Dimension::Engagement => p
            .engagements
            .iter()
            .map(|e| e.as_str().to_string())
            .collect(),
        Dimension::Capital => p
            .capital
            .invest
            .map(|i| {
                let b = CAPITAL_BUCKETS.iter().filter(|&&x| i.max() >= x).count();
                [
                    "USD under 10,000",
                    "USD 10,000 to 100,000",
                    "USD 100,000 to 1 million",
                    "USD 1 million or more",
                ][b]
                    .to_string()
            })
            .into_iter()
            .collect(),
        Dimension::Sector => p
            .interests
            .sectors
            .iter()
            .map(|s| format!("{} {}", s.section().code(), s.section().title()))
            .collect(),
        Dimension::Cause => p
            .interests
            .causes
            .iter()
            .map(|g| format!("{g} {}", g.title()))
            .collect(),
    };
    if out.is_empty() {
        out.insert("(not given)".to_string());
    }
    out
}

/// Every (row, column) count and row, column and grand total, by a plain loop.
type Plain = (
    BTreeMap<(String, String), u32>,
    BTreeMap<String, u32>,
    BTreeMap<String, u32>,
    u32,
);

fn plain(
    engine: &Engine,
    rows: Dimension,
    cols: Dimension,
    keep: impl Fn(&Profile) -> bool,
) -> Plain {
    let mut out: Plain = Default::default();
    for p in engine
        .to_dataset()
        .profiles
        .iter()
        .filter(|p| !p.key.is_empty() && keep(p))
    {
        let (rs, cs) = (values(engine, p, rows), values(engine, p, cols));
        out.3 += 1;
        for r in &rs {
            *out.1.entry(r.clone()).or_default() += 1;
            for c in &cs {
                *out.0.entry((r.clone(), c.clone())).or_default() += 1;
            }
        }
        for c in &cs {
            *out.2.entry(c.clone()).or_default() += 1;
        }
    }
    out
}

/// What subtraction recovers from a published table whose cells add up to its totals: any
/// row, column or list of totals with exactly one hidden number gives it away.
fn recovered(t: &Table) -> usize {
    let (r, c) = (t.rows.len(), t.columns.len());
    let mut known: Vec<bool> = t
        .cells
        .iter()
        .flatten()
        .chain(&t.row_totals)
        .chain(&t.column_totals)
        .chain([&t.total])
        .map(|x| x.value().is_some())
        .collect();
    let cells = r * c;
    let mut eqs: Vec<Vec<usize>> = (0..r)
        .map(|i| (0..c).map(|j| i * c + j).chain([cells + i]).collect())
        .collect();
    eqs.extend((0..c).map(|j| (0..r).map(|i| i * c + j).chain([cells + r + j]).collect()));
    eqs.push((cells..cells + r).chain([cells + r + c]).collect());
    eqs.push((cells + r..cells + r + c).chain([cells + r + c]).collect());
    let mut found = 0;
    while let Some(e) = eqs
        .iter()
        .find(|e| e.iter().filter(|&&x| !known[x]).count() == 1)
    {
        let x = e.iter().copied().find(|&x| !known[x]).unwrap();
        known[x] = true;
        found += 1;
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(24), ..ProptestConfig::default() })]

    /// Every count shown equals the plain count, every count under `k` is hidden, zeros and
    /// counts of `k` or more are shown unless hidden to protect another.
    #[test]
    fn counts_equal_a_plain_count_and_small_ones_are_hidden(
        spec in spec(60, 2),
        rows in 0usize..9,
        cols in 0usize..9,
        k in 2u32..8,
        engaged in proptest::option::of(0usize..7),
    ) {
        prop_assume!(rows != cols);
        let engine = Engine::builder(build(&spec)).build().unwrap();
        let (rd, cd) = (DIMENSIONS[rows], DIMENSIONS[cols]);
        let mut q = MapQuery::by(&[rd, cd]);
        q.k = k;
        if let Some(e) = engaged {
            q = q.filter(Filter::Engagement(Engagement::ALL[e]));
        }
        let map = engine.map(&q).unwrap();
        let keep = |p: &Profile| engaged.is_none_or(|e| p.engagements.contains(Engagement::ALL[e]));
        let (cells, row_totals, col_totals, total) = plain(&engine, rd, cd, keep);
        prop_assert_eq!(map.tables.len(), usize::from(total > 0));
        let Some(t) = map.tables.first() else { return Ok(()) };
        let check = |count: Count, truth: u32| -> Result<(), TestCaseError> {
            match count {
                Count::Shown(v) => prop_assert_eq!(v, truth),
                Count::Suppressed => prop_assert!(truth > 0),
            }
            if truth > 0 && truth < k {
                prop_assert_eq!(count, Count::Suppressed);
            }
            Ok(())
        };
        prop_assert_eq!(t.rows.iter().cloned().collect::<BTreeSet<_>>(), row_totals.keys().cloned().collect::<BTreeSet<_>>());
        prop_assert_eq!(t.columns.iter().cloned().collect::<BTreeSet<_>>(), col_totals.keys().cloned().collect::<BTreeSet<_>>());
        for (i, r) in t.rows.iter().enumerate() {
            check(t.row_totals[i], row_totals[r])?;
            for (j, c) in t.columns.iter().enumerate() {
                check(t.cells[i][j], cells.get(&(r.clone(), c.clone())).copied().unwrap_or(0))?;
            }
        }
        for (j, c) in t.columns.iter().enumerate() {
            check(t.column_totals[j], col_totals[c])?;
        }
        check(t.total, total)?;
    }

    /// Along dimensions where everyone has one value (residence, capital bucket, generation),
    /// cells add up to the totals, and subtraction recovers no hidden count, in any layer.
    #[test]
    fn subtraction_never_recovers_a_suppressed_count(
        spec in spec(60, 2),
        order in Just([Dimension::Residence, Dimension::Capital, Dimension::Generation]).prop_shuffle(),
        layers in any::<bool>(),
        k in 2u32..12,
    ) {
        let engine = Engine::builder(build(&spec)).build().unwrap();
        let by = if layers { &order[..] } else { &order[..2] };
        let map = engine.map(&MapQuery { by: by.to_vec(), filters: Vec::new(), k }).unwrap();
        for t in &map.tables {
            prop_assert_eq!(recovered(t), 0, "{}", map);
        }
    }
}

#[test]
fn bad_queries_are_refused_and_the_sample_maps_by_origin_and_skill_group() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
    let engine = Engine::builder(diaspora_match::io::load_dataset(dir, reference()).unwrap())
        .build()
        .unwrap();
    for (q, field) in [
        (MapQuery::by(&[]), "by"),
        (MapQuery::by(&DIMENSIONS[..4]), "by"),
        (MapQuery::by(&[Dimension::Origin, Dimension::Origin]), "by"),
        (
            MapQuery {
                k: 1,
                ..MapQuery::by(&[Dimension::Origin])
            },
            "k",
        ),
    ] {
        assert!(engine.map(&q).unwrap_err().to_string().contains(field));
    }
    let o = engine.opportunity_id("o-0001").unwrap();
    let q = MapQuery::by(&[Dimension::Residence]).filter(Filter::Eligible {
        opportunity: o,
        min_score: 2.0,
    });
    assert!(
        engine
            .map(&q)
            .unwrap_err()
            .to_string()
            .contains("min_score")
    );
    // Those listed for o-0001 at any score are its candidates.
    let q = MapQuery {
        k: 2,
        ..MapQuery::by(&[Dimension::Residence])
    }
    .filter(Filter::Eligible {
        opportunity: o,
        min_score: 0.0,
    });
    let map = engine.map(&q).unwrap();
    let listed = engine.candidates(o, 300).unwrap().len() as u32;
    assert_eq!(map.tables[0].total, Count::Shown(listed));
    // Skill groups of the whole sample: ESCO's and O*NET's first levels.
    let map = engine
        .map(&MapQuery::by(&[Dimension::SkillGroup, Dimension::Origin]))
        .unwrap();
    let t = &map.tables[0];
    assert_eq!(t.total, Count::Shown(300));
    assert!(t.rows.iter().any(|r| r == "Content"), "{:?}", t.rows);
    let csv = map.to_csv();
    assert!(csv.starts_with("layer,row,column,count\n"));
    assert!(csv.contains(",total,total,300\n"), "{csv}");
}
