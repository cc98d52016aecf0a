//! Placement: stability, capacities, caps, optimality against brute force, the JSON format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diaspora_match::assign::{self, Caps, Instance, InstanceRecord, Objective, Proposer, Reason};
use diaspora_match::{OpportunityId, ProfileId, RegionId};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Spec {
    people: Vec<(u32, Option<u32>)>,
    opportunities: Vec<u32>,
    pairs: Vec<(usize, usize, u8)>,
    caps: Caps,
    rankings: Vec<(usize, Vec<usize>)>,
}

fn spec(max_pairs: usize) -> impl Strategy<Value = Spec> {
    (1usize..7, 1usize..5).prop_flat_map(move |(np, no)| {
        (
            proptest::collection::vec((0u32..3, proptest::option::of(0u32..2)), np),
            proptest::collection::vec(0u32..4, no),
            proptest::collection::vec((0..np, 0..no, 1u8..=20), 0..max_pairs),
            (proptest::option::of(1u32..3), proptest::option::of(1u32..4)),
            proptest::collection::vec((0..np, proptest::collection::vec(0..no, 0..4)), 0..2),
        )
            .prop_map(
                |(people, opportunities, pairs, (per, prog), rankings)| Spec {
                    people,
                    opportunities,
                    pairs,
                    caps: Caps {
                        per_opportunity: per,
                        programme: prog,
                    },
                    rankings,
                },
            )
    })
}

fn build(s: &Spec, caps: Caps, with_rankings: bool) -> Instance {
    let mut b = Instance::builder();
    for (i, &(cap, g)) in s.people.iter().enumerate() {
        b.person(format!("p{i}"), cap, g.map(RegionId::new));
    }
    for (i, &cap) in s.opportunities.iter().enumerate() {
        b.opportunity(format!("o{i}"), cap);
    }
    for &(p, o, sc) in &s.pairs {
        // Scores in twentieths, so that ties happen.
        b.pair(
            ProfileId::new(p as u32),
            OpportunityId::new(o as u32),
            f32::from(sc) / 20.0,
        );
    }
    if with_rankings {
        for (p, ranking) in &s.rankings {
            let listed: Vec<usize> = s.pairs.iter().filter(|x| x.0 == *p).map(|x| x.1).collect();
            let mut r: Vec<OpportunityId> = Vec::new();
            for &o in ranking.iter().filter(|o| listed.contains(o)) {
                if !r.contains(&OpportunityId::new(o as u32)) {
                    r.push(OpportunityId::new(o as u32));
                }
            }
            b.person_ranking(ProfileId::new(*p as u32), r);
        }
    }
    b.caps(caps);
    b.build().unwrap()
}

/// Every constraint holds: capacities on both sides and the caps.
fn feasible(s: &Spec, caps: Caps, pairs: &[(u32, u32)]) -> bool {
    let mut per_person = vec![0u32; s.people.len()];
    let mut per_opp = vec![0u32; s.opportunities.len()];
    let mut per_group_opp = std::collections::HashMap::new();
    let mut per_group = std::collections::HashMap::new();
    for &(p, o) in pairs {
        per_person[p as usize] += 1;
        per_opp[o as usize] += 1;
        if let Some(g) = s.people[p as usize].1 {
            *per_group_opp.entry((o, g)).or_insert(0u32) += 1;
            *per_group.entry(g).or_insert(0u32) += 1;
        }
    }
    per_person.iter().zip(&s.people).all(|(n, p)| *n <= p.0)
        && per_opp.iter().zip(&s.opportunities).all(|(n, c)| n <= c)
        && caps
            .per_opportunity
            .is_none_or(|c| per_group_opp.values().all(|n| *n <= c))
        && caps
            .programme
            .is_none_or(|c| per_group.values().all(|n| *n <= c))
}

fn quantised(a: &assign::Assignment) -> i64 {
    a.placements
        .iter()
        .map(|p| (f64::from(p.score) * 1e6).round() as i64)
        .sum()
}

/// The best (count, total) or total over every subset of the acceptable pairs.
fn brute(s: &Spec, caps: Caps, most_first: bool) -> (usize, i64) {
    let mut pairs: Vec<(u32, u32, i64)> = Vec::new();
    for &(p, o, sc) in &s.pairs {
        let q = (f64::from(f32::from(sc) / 20.0) * 1e6).round() as i64;
        match pairs
            .iter_mut()
            .find(|x| x.0 == p as u32 && x.1 == o as u32)
        {
            Some(x) => x.2 = x.2.max(q),
            None => pairs.push((p as u32, o as u32, q)),
        }
    }
    let mut best = (0usize, 0i64);
    for mask in 0u32..(1 << pairs.len()) {
        let chosen: Vec<(u32, u32)> = pairs
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, x)| (x.0, x.1))
            .collect();
        if !feasible(s, caps, &chosen) {
            continue;
        }
        let total: i64 = pairs
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, x)| x.2)
            .sum();
        let key = if most_first {
            (chosen.len(), total)
        } else {
            (0, total)
        };
        if key > best {
            best = key;
        }
    }
    best
}

fn placed_pairs(a: &assign::Assignment) -> Vec<(u32, u32)> {
    a.placements
        .iter()
        .map(|p| (p.person.as_u32(), p.opportunity.as_u32()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn stable_placements_have_no_blocking_pair(s in spec(14)) {
        for (caps, proposers) in [
            (Caps::default(), &[Proposer::People, Proposer::Opportunities][..]),
            (Caps { programme: None, ..s.caps }, &[Proposer::People][..]),
        ] {
            let inst = build(&s, caps, true);
            for &who in proposers {
                let a = assign::stable(&inst, who).unwrap();
                prop_assert!(a.blocking_pairs(&inst).is_empty(), "{:?} {:?}: {:?}", who, caps, a.blocking_pairs(&inst));
                prop_assert!(feasible(&s, caps, &placed_pairs(&a)));
                let placed: usize = a.placements.len();
                let free: u32 = a.unfilled.iter().map(|u| u.1).sum();
                prop_assert_eq!(placed as u32 + free, s.opportunities.iter().sum::<u32>());
            }
        }
    }

    #[test]
    fn optimal_is_feasible_beats_stable_and_equals_brute_force(s in spec(12)) {
        let inst = build(&s, s.caps, false);
        let best = assign::optimal(&inst, Objective::TotalScore).unwrap();
        prop_assert!(feasible(&s, s.caps, &placed_pairs(&best)));
        prop_assert_eq!(quantised(&best), brute(&s, s.caps, false).1);
        let most = assign::optimal(&inst, Objective::MostPlacedThenScore).unwrap();
        prop_assert!(feasible(&s, s.caps, &placed_pairs(&most)));
        prop_assert_eq!((most.placements.len(), quantised(&most)), brute(&s, s.caps, true));
        let per_opp_only = Caps { programme: None, ..s.caps };
        let inst = build(&s, per_opp_only, false);
        let stable = assign::stable(&inst, Proposer::People).unwrap();
        let best = assign::optimal(&inst, Objective::TotalScore).unwrap();
        prop_assert!(quantised(&best) >= quantised(&stable));
    }
}

#[test]
fn edge_cases_from_other_matching_libraries() {
    // Zero capacity, more places than people, a side with no preferences.
    let mut b = Instance::builder();
    let p0 = b.person("p0", 1, None);
    let p1 = b.person("p1", 0, None);
    let p2 = b.person("p2", 1, None);
    let big = b.opportunity("big", 10);
    let closed = b.opportunity("closed", 0);
    let lonely = b.opportunity("lonely", 2);
    b.pair(p0, big, 0.5)
        .pair(p1, big, 0.9)
        .pair(p0, closed, 0.9);
    let inst = b.build().unwrap();
    for a in [
        assign::stable(&inst, Proposer::People).unwrap(),
        assign::stable(&inst, Proposer::Opportunities).unwrap(),
        assign::optimal(&inst, Objective::TotalScore).unwrap(),
    ] {
        assert_eq!(assign::Assignment::placements_of(&a), [(p0, big)]);
        assert_eq!(
            a.unplaced,
            [
                (p1, Reason::ZeroCapacity),
                (p2, Reason::NoEligibleCandidate)
            ]
        );
        assert_eq!(
            a.unfilled,
            [
                (big, 9, Reason::Outranked),
                (lonely, 2, Reason::NoEligibleCandidate)
            ]
        );
    }
    // More people than places: the best by score wins under both objectives.
    let mut b = Instance::builder();
    let people: Vec<_> = (0..5).map(|i| b.person(format!("p{i}"), 1, None)).collect();
    let o = b.opportunity("o", 2);
    for (i, &p) in people.iter().enumerate() {
        b.pair(p, o, 0.1 + 0.1 * i as f32);
    }
    let inst = b.build().unwrap();
    let a = assign::stable(&inst, Proposer::People).unwrap();
    assert_eq!(
        a.placements.iter().map(|p| p.person).collect::<Vec<_>>(),
        [people[3], people[4]]
    );
    assert_eq!(a.unplaced.len(), 3);
    assert!(a.unplaced.iter().all(|u| u.1 == Reason::Outranked));
    assert_eq!(
        assign::optimal(&inst, Objective::TotalScore)
            .unwrap()
            .placements,
        a.placements
    );
    // Empty instances.
    let empty = Instance::builder().build().unwrap();
    assert!(
        assign::optimal(&empty, Objective::TotalScore)
            .unwrap()
            .placements
            .is_empty()
    );
    assert!(
        assign::stable(&empty, Proposer::Opportunities)
            .unwrap()
            .placements
            .is_empty()
    );
}

#[test]
fn caps_limit_each_origin_and_say_so() {
    let mut b = Instance::builder();
    let gh = Some(RegionId::new(1));
    let a = b.person("a", 1, gh);
    let c = b.person("c", 1, gh);
    let d = b.person("d", 1, None);
    let o = b.opportunity("o", 3);
    b.pair(a, o, 0.9).pair(c, o, 0.8).pair(d, o, 0.1);
    b.caps(Caps {
        per_opportunity: Some(1),
        programme: None,
    });
    let inst = b.build().unwrap();
    for r in [
        assign::stable(&inst, Proposer::People).unwrap(),
        assign::optimal(&inst, Objective::TotalScore).unwrap(),
    ] {
        assert_eq!(
            r.placements.iter().map(|p| p.person).collect::<Vec<_>>(),
            [a, d]
        );
        assert_eq!(r.unplaced, [(c, Reason::Cap)]);
        assert_eq!(r.unfilled, [(o, 1, Reason::Cap)]);
    }
    assert!(assign::stable(&inst, Proposer::Opportunities).is_err());
    let mut b = Instance::builder();
    b.caps(Caps {
        per_opportunity: None,
        programme: Some(1),
    });
    assert!(assign::stable(&b.build().unwrap(), Proposer::People).is_err());
    let mut b = Instance::builder();
    b.caps(Caps {
        per_opportunity: Some(0),
        programme: None,
    });
    assert!(b.build().is_err());
}

#[test]
fn a_persons_own_ranking_overrides_the_scores() {
    let mut b = Instance::builder();
    let p = b.person("p", 1, None);
    let (x, y) = (b.opportunity("x", 1), b.opportunity("y", 1));
    b.pair(p, x, 0.9).pair(p, y, 0.2);
    b.person_ranking(p, vec![y, x]);
    let a = assign::stable(&b.build().unwrap(), Proposer::People).unwrap();
    assert_eq!(a.placements[0].opportunity, y);
    let mut b = Instance::builder();
    let p = b.person("p", 1, None);
    let x = b.opportunity("x", 1);
    b.person_ranking(p, vec![x]);
    assert!(b.build().is_err(), "ranking a pair that is not acceptable");
}

#[test]
fn the_json_format_reads_writes_and_refuses_bad_instances() {
    let text = r#"{"people":[{"key":"p1","capacity":1,"prefs":["o2","o1"]},{"key":"p2","capacity":1,"prefs":["o1"]},{"key":"p3","capacity":1,"prefs":["o1","o2"]}],
                   "opportunities":[{"key":"o1","capacity":2,"prefs":["p1","p3"]},{"key":"o2","capacity":1,"prefs":["p3","p1"]}]}"#;
    let rec: InstanceRecord = serde_json::from_str(text).unwrap();
    let inst = Instance::from_record(&rec).unwrap();
    // p2 lists o1 but o1 does not list p2: not acceptable.
    assert_eq!(inst.pairs(), 4);
    let a = assign::stable(&inst, Proposer::People).unwrap();
    assert!(a.blocking_pairs(&inst).is_empty());
    let out = serde_json::to_string(&inst.result_record(&a)).unwrap();
    // Preferences without scores score every acceptable pair 1.
    assert_eq!(
        out,
        r#"[{"person":"p3","opportunity":"o1","score":1.0},{"person":"p1","opportunity":"o2","score":1.0}]"#
    );
    // A result written before scores were part of it still reads, scores 0.
    let old: Vec<assign::PairRecord> =
        serde_json::from_str(r#"[{"person":"p3","opportunity":"o1"}]"#).unwrap();
    assert_eq!((old[0].person.as_str(), old[0].score), ("p3", 0.0));
    let back: InstanceRecord = serde_json::from_str(&serde_json::to_string(&rec).unwrap()).unwrap();
    assert_eq!(back, rec);
    for bad in [
        r#"{"people":[{"key":"p","capacity":1,"prefs":["nope"]}],"opportunities":[]}"#,
        r#"{"people":[{"key":"p","capacity":1,"prefs":[]},{"key":"p","capacity":1,"prefs":[]}],"opportunities":[]}"#,
        r#"{"people":[{"key":"p","capacity":1,"prefs":["o"],"scores":[0.5,0.2]}],"opportunities":[{"key":"o","capacity":1,"prefs":["p"]}]}"#,
        r#"{"people":[{"key":"p","capacity":1,"prefs":["o"],"scores":[1.5]}],"opportunities":[{"key":"o","capacity":1,"prefs":["p"]}]}"#,
        r#"{"people":[{"key":"p","capacity":1,"prefs":["o","o"]}],"opportunities":[{"key":"o","capacity":1,"prefs":["p"]}]}"#,
    ] {
        let rec: InstanceRecord = serde_json::from_str(bad).unwrap();
        assert!(Instance::from_record(&rec).is_err(), "{bad}");
    }
}

#[cfg(feature = "rayon")]
#[test]
fn the_same_placement_on_one_thread_and_on_a_pool() {
    let s = Spec {
        people: (0..30).map(|i| (1 + i % 2, Some(i % 3))).collect(),
        opportunities: vec![2, 3, 1, 4],
        pairs: (0..90)
            .map(|i| (i % 30, (i * 7) % 4, (1 + (i * 13) % 20) as u8))
            .collect(),
        caps: Caps {
            per_opportunity: Some(2),
            programme: None,
        },
        rankings: vec![],
    };
    let inst = build(&s, s.caps, false);
    let run = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| {
                (
                    assign::stable(&inst, Proposer::People).unwrap(),
                    assign::optimal(&inst, Objective::TotalScore).unwrap(),
                )
            })
    };
    assert_eq!(run(1), run(4));
}

/// Capacities at `u32::MAX` on thousands of opportunities (more places than `i64` can count
/// in score units) place everyone who can be placed, under both objectives, as a small
/// capacity that is never reached does; a person's capacity at `u32::MAX` too.
#[test]
fn huge_capacities_place_everyone_who_can_be_placed() {
    let build = |places: u32| {
        let mut b = Instance::builder();
        let opportunities: Vec<_> = (0..2148)
            .map(|o| b.opportunity(format!("o{o}"), places))
            .collect();
        for p in 0..300u32 {
            let capacity = if p == 0 { u32::MAX } else { 1 };
            let person = b.person(format!("p{p}"), capacity, None);
            for j in 0..3 {
                let o = opportunities[(p as usize * 7 + j * 13) % opportunities.len()];
                b.pair(person, o, 0.1 + (p % 9) as f32 / 10.0 + j as f32 / 100.0);
            }
        }
        b.build().unwrap()
    };
    for objective in [Objective::MostPlacedThenScore, Objective::TotalScore] {
        let huge = assign::optimal(&build(u32::MAX), objective).unwrap();
        let small = assign::optimal(&build(400), objective).unwrap();
        // Person 0 takes all three of their places; everyone else one.
        assert_eq!(huge.placements.len(), 302, "{objective:?}");
        assert_eq!(huge.placements, small.placements, "{objective:?}");
    }
}
