//! Properties of the scorer and the ranker over random datasets on the real reference data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use diaspora_match::Exclusion;
use diaspora_match::{
    Component, Engine, HeldSkill, Match, MatchConfig, OpportunityId, ProfileId, Relation,
};
use proptest::prelude::*;

/// The plain oracle: score every profile, sort by score descending then id ascending, cut.
fn oracle(engine: &Engine, o: OpportunityId, k: usize) -> Vec<Match> {
    let mut all: Vec<Match> = (0..engine.profile_count())
        .filter_map(|i| engine.score(ProfileId::new(i as u32), o).unwrap())
        .collect();
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.profile.cmp(&b.profile)));
    all.truncate(k);
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(16), ..ProptestConfig::default() })]

    #[test]
    fn every_score_and_component_lies_in_the_unit_interval(spec in spec(20, 4), cfg in config()) {
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            for p in 0..spec.profiles.len() {
                let p = ProfileId::new(p as u32);
                let why = engine.explain(p, o).unwrap();
                for c in &why.components {
                    if let Some(v) = c.value {
                        prop_assert!((0.0..=1.0).contains(&v), "{:?} = {v}", c.component);
                    }
                }
                match engine.score(p, o).unwrap() {
                    Some(m) => {
                        prop_assert!(m.score > 0.0 && m.score <= 1.0);
                        prop_assert!(why.is_eligible());
                        // The explanation recomputes exactly the ranked score.
                        prop_assert_eq!(why.score, m.score);
                        let sum: f32 = why.components.iter().map(|c| c.contribution).sum();
                        prop_assert!((sum - m.score).abs() < 1e-5);
                        // Effective weights add up to 1; the printed parts to the printed total.
                        let eff: f32 = why.components.iter().map(|c| c.effective_weight).sum();
                        prop_assert!((eff - 1.0).abs() < 1e-5, "{why:?}");
                        let parts: u32 = why.contributions_in_thousandths().iter().sum();
                        prop_assert_eq!(parts, (f64::from(m.score) * 1000.0).round() as u32);
                        let text = why.to_string();
                        prop_assert!(text.starts_with(&format!("score {}.{:03}\n", parts / 1000, parts % 1000)), "{text}");
                    }
                    None => prop_assert!(!why.is_eligible() || why.score == 0.0),
                }
            }
        }
    }

    #[test]
    fn ranking_equals_the_sorted_oracle_for_every_k(spec in spec(30, 3), cfg in config()) {
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        let n = spec.profiles.len();
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            for k in [1, 2, 5, n.max(1), n + 7] {
                prop_assert_eq!(engine.candidates(o, k).unwrap(), oracle(&engine, o, k));
            }
        }
        for p in 0..n {
            let p = ProfileId::new(p as u32);
            let mut all: Vec<Match> = (0..spec.opportunities.len())
                .filter_map(|o| engine.score(p, OpportunityId::new(o as u32)).unwrap())
                .collect();
            all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.opportunity.cmp(&b.opportunity)));
            all.truncate(2);
            prop_assert_eq!(engine.opportunities_for(p, 2).unwrap(), all);
        }
        let batch = engine.match_all(3).unwrap();
        prop_assert_eq!(batch.len(), spec.opportunities.len());
        for (o, list) in batch.iter().enumerate() {
            prop_assert_eq!(list, &oracle(&engine, OpportunityId::new(o as u32), 3));
        }
    }

    #[test]
    fn adding_a_skill_never_lowers_the_skills_score(spec in spec(6, 3), extra in 0usize..64) {
        let mut data = build(&spec);
        prop_assume!(!data.profiles.is_empty());
        let before = Engine::builder(data.clone()).build().unwrap();
        let skill = skill_pool()[extra % skill_pool().len()];
        if data.profiles[0].skills.iter().all(|h| h.skill != skill) {
            data.profiles[0].skills.push(HeldSkill { skill, level: None, years: None });
        }
        let after = Engine::builder(data).build().unwrap();
        let p = ProfileId::new(0);
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            // `None` where the opportunity has no requirements (an investment may have none).
            let s = |e: &Engine| e.explain(p, o).unwrap().component(Component::Skills).unwrap().value;
            prop_assert_eq!(s(&after).is_some(), s(&before).is_some());
            prop_assert!(s(&after) >= s(&before), "{:?} < {:?}", s(&after), s(&before));
        }
    }

    #[test]
    fn removing_a_must_have_skill_makes_the_pair_ineligible(spec in spec(4, 2)) {
        let mut data = build(&spec);
        prop_assume!(!data.profiles.is_empty() && !data.opportunities[0].requirements.is_empty());
        let must = data.opportunities[0].requirements[0].skill;
        data.opportunities[0].requirements[0].must = true;
        let t = data.reference.taxonomy.clone();
        let hops = MatchConfig::default().relatedness.max_hops;
        // Remove the skill and everything narrower that would meet it.
        data.profiles[0].skills.retain(|h| !matches!(t.relation(must, h.skill, hops), Some(Relation::Same | Relation::Narrower { .. })));
        let engine = Engine::builder(data).build().unwrap();
        let (p, o) = (ProfileId::new(0), OpportunityId::new(0));
        prop_assert_eq!(engine.score(p, o).unwrap(), None);
        let why = engine.explain(p, o).unwrap();
        prop_assert!(why.exclusions.contains(&Exclusion::MissingMustHave(must)));
        prop_assert!(engine.candidates(o, 100).unwrap().iter().all(|m| m.profile != p));
    }
}

#[cfg(feature = "rayon")]
proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(6), ..ProptestConfig::default() })]

    #[test]
    fn ranking_is_identical_on_one_thread_and_on_a_pool(spec in spec(60, 4)) {
        let engine = Engine::builder(build(&spec)).build().unwrap();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                let c: Vec<_> = (0..spec.opportunities.len()).map(|o| engine.candidates(OpportunityId::new(o as u32), 5).unwrap()).collect();
                let f: Vec<_> = (0..spec.profiles.len()).map(|p| engine.opportunities_for(ProfileId::new(p as u32), 3).unwrap()).collect();
                (c, f, engine.match_all(4).unwrap())
            })
        };
        let one = run(1);
        let many = run(4);
        // Bit for bit: compare the score bits, not only float equality.
        let bits = |v: &Vec<Vec<Match>>| v.iter().flatten().map(|m| (m.profile, m.opportunity, m.score.to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(bits(&one.0), bits(&many.0));
        prop_assert_eq!(bits(&one.1), bits(&many.1));
        prop_assert_eq!(bits(&one.2), bits(&many.2));
    }
}

#[test]
fn an_empty_profile_never_matches() {
    let spec = Spec {
        profiles: vec![ProfileSpec::holding(vec![], vec![], false)],
        opportunities: (0..7)
            .map(|e| OpportunitySpec::requiring(1, vec![(0, 3)], e))
            .collect(),
        orgs: 1,
        ties: vec![],
    };
    let engine = Engine::builder(build(&spec)).build().unwrap();
    for o in 0..7 {
        let o = OpportunityId::new(o);
        assert_eq!(engine.score(ProfileId::new(0), o).unwrap(), None);
        let why = engine.explain(ProfileId::new(0), o).unwrap();
        assert_eq!(why.score, 0.0);
        // Region, network and language apply (the opportunity has a country and a host and
        // asks for English): the person told nothing, so they count as 0, and count in the
        // total wherever the kind weighs them (an investment or a donation weighs no
        // language).
        for c in [Component::Region, Component::Network, Component::Language] {
            let e = why.component(c).unwrap();
            assert_eq!((e.value, e.informed), (Some(0.0), false), "{c:?}");
            assert_eq!(e.effective_weight > 0.0, e.weight > 0.0, "{c:?}");
        }
        assert!(why.components.iter().any(|e| e.effective_weight > 0.0));
        let text = why.to_string();
        assert!(text.contains("no information given: counts as 0"), "{text}");
        assert!(
            text.contains("has no ties: 0 for every candidate"),
            "{text}"
        );
        assert!(why.exclusions.contains(&Exclusion::NoEvidence), "{text}");
    }
}

#[test]
fn region_weight_zero_removes_origin_from_every_score() {
    let spec = Spec {
        profiles: (0..4)
            .map(|c| ProfileSpec::holding(vec![(1, 3)], vec![(c, 1)], true))
            .collect(),
        opportunities: vec![OpportunitySpec::requiring(1, vec![], 1)],
        orgs: 1,
        ties: vec![],
    };
    let mut cfg = MatchConfig::default();
    cfg.weights.region = 0.0;
    let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
    let top = engine.candidates(OpportunityId::new(0), 10).unwrap();
    assert_eq!(top.len(), 4);
    // Same skills, different origins: identical scores, ranked by id.
    assert!(top.iter().all(|m| m.score == top[0].score));
    assert_eq!(
        top.iter().map(|m| m.profile.index()).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    let why = engine
        .explain(ProfileId::new(0), OpportunityId::new(0))
        .unwrap();
    let region = why.component(Component::Region).unwrap();
    assert_eq!((region.weight, region.contribution), (0.0, 0.0));
    // With the default weights the same-country profile ranks first.
    let engine = Engine::builder(build(&spec)).build().unwrap();
    assert_eq!(
        engine.candidates(OpportunityId::new(0), 1).unwrap()[0].profile,
        ProfileId::new(0)
    );
}

#[test]
fn partial_credit_follows_the_taxonomy() {
    let r = reference();
    let t = &r.taxonomy;
    let pool = skill_pool();
    let writing = t.by_key("onet:2.A.1.c").unwrap();
    let reading = t.by_key("onet:2.A.1.a").unwrap();
    let content = t.by_key("onet:2.A.1").unwrap();
    let idx = |s| pool.iter().position(|&x| x == s).unwrap();
    let spec = Spec {
        profiles: [writing, reading, content]
            .into_iter()
            .map(|s| ProfileSpec::holding(vec![(idx(s), 0)], vec![], true))
            .collect(),
        opportunities: vec![OpportunitySpec::requiring(idx(writing), vec![], 1)],
        orgs: 1,
        ties: vec![],
    };
    let cfg = MatchConfig::default();
    let engine = Engine::builder(build(&spec)).build().unwrap();
    let o = OpportunityId::new(0);
    let skills = |p: u32| skills_value(&engine, p, o);
    assert_eq!(skills(0), 1.0);
    assert_eq!(skills(1), cfg.relatedness.sibling);
    assert_eq!(skills(2), cfg.relatedness.broader);
    let why = engine.explain(ProfileId::new(1), o).unwrap();
    assert!(
        why.to_string()
            .contains("partial credit via related \"Reading Comprehension\""),
        "{why}"
    );
    let ranked: Vec<_> = engine
        .candidates(o, 3)
        .unwrap()
        .iter()
        .map(|m| m.profile.index())
        .collect();
    assert_eq!(ranked, [0, 2, 1]);
}

#[test]
fn narrower_credit_decays_per_level_and_stops_at_the_hop_limit() {
    let r = reference();
    let t = &r.taxonomy;
    let pool = skill_pool();
    // Basic Skills > Content > Writing, in the O*NET content model.
    let basic = t.by_key("onet:2.A").unwrap();
    let content = t.by_key("onet:2.A.1").unwrap();
    let writing = t.by_key("onet:2.A.1.c").unwrap();
    let idx = |s| pool.iter().position(|&x| x == s).unwrap();
    let spec = Spec {
        profiles: [content, writing]
            .into_iter()
            .map(|s| ProfileSpec::holding(vec![(idx(s), 0)], vec![], true))
            .collect(),
        opportunities: vec![OpportunitySpec::requiring(idx(basic), vec![], 1)],
        orgs: 1,
        ties: vec![],
    };
    let o = OpportunityId::new(0);
    for hops in 0..=3u8 {
        let mut cfg = MatchConfig::default();
        cfg.relatedness.max_hops = hops;
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        let skills = |p: u32| skills_value(&engine, p, o);
        let r = cfg.relatedness;
        // One level down: the narrower credit; two levels: once more times the decay.
        assert_eq!(
            skills(0),
            if hops >= 1 { r.narrower } else { 0.0 },
            "hops {hops}"
        );
        assert_eq!(
            skills(1),
            if hops >= 2 {
                r.narrower * r.hop_decay
            } else {
                0.0
            },
            "hops {hops}"
        );
    }
    assert_eq!(
        t.relation(basic, writing, 3),
        Some(Relation::Narrower { hops: 2 })
    );
}
