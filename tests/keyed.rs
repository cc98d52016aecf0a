//! Results as JSON: with keys beside ids (`Engine::with_keys`), every field read back equals
//! what the engine answers; without, every result type round-trips (on the sample data).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use diaspora_match::assign::{self, CapBy, Caps, Instance, Proposer};
use diaspora_match::{Component, Engine, io};
use serde_json::Value;

fn sample() -> Engine {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
    Engine::builder(io::load_dataset(dir, common::reference()).unwrap())
        .build()
        .unwrap()
}

fn close(v: &Value, x: f64) -> bool {
    (v.as_f64().unwrap() - x).abs() <= 1e-6 * x.abs().max(1.0)
}

#[test]
fn matches_and_explanations_carry_their_keys() {
    let engine = sample();
    let mut paths = 0;
    for o in (0..engine.opportunities().len() as u32).map(diaspora_match::OpportunityId::new) {
        let top = engine.candidates(o, 5).unwrap();
        let json = serde_json::to_value(engine.with_keys(&top[..])).unwrap();
        assert_eq!(json.as_array().unwrap().len(), top.len());
        for (m, j) in top.iter().zip(json.as_array().unwrap()) {
            assert_eq!(j["profile"], m.profile.as_u32());
            assert_eq!(j["profile_key"], engine.profile_key(m.profile).unwrap());
            assert_eq!(j["opportunity"], o.as_u32());
            assert_eq!(j["opportunity_key"], engine.opportunity(o).unwrap().key);
            assert!(close(&j["score"], f64::from(m.score)));
            for c in Component::ALL {
                match m.components.get(c) {
                    Some(v) => assert!(close(&j["components"][c.as_str()], f64::from(v))),
                    None => assert!(j["components"][c.as_str()].is_null()),
                }
            }
            let why = engine.explain(m.profile, o).unwrap();
            let x = serde_json::to_value(engine.with_keys(&why)).unwrap();
            assert_eq!(x["profile_key"], j["profile_key"]);
            assert_eq!(x["eligible"], true);
            assert!(close(&x["score"], f64::from(why.score)));
            assert_eq!(
                x["components"].as_array().unwrap().len(),
                why.components.len()
            );
            for (c, xc) in why
                .components
                .iter()
                .zip(x["components"].as_array().unwrap())
            {
                assert_eq!(xc["component"], c.component.as_str());
                assert!(close(&xc["contribution"], f64::from(c.contribution)));
                assert_eq!(xc["reasons"].as_array().unwrap().len(), c.reasons.len());
            }
            let t = &engine.reference().taxonomy;
            for (r, xr) in why
                .requirements
                .iter()
                .zip(x["requirements"].as_array().unwrap())
            {
                assert_eq!(xr["skill_key"], t.key(r.requirement.skill));
                assert_eq!(xr["label"], t.label(r.requirement.skill));
                assert!(close(&xr["credit"], f64::from(r.credit)));
                match r.via {
                    Some((held, _, _)) => assert_eq!(xr["via"]["label"], t.label(held)),
                    None => assert!(xr["via"].is_null()),
                }
            }
            if let Some(path) = engine.referral_path(m.profile, o).unwrap() {
                paths += 1;
                let p = serde_json::to_value(engine.with_keys(&path)).unwrap();
                let nodes = p["nodes"].as_array().unwrap();
                assert_eq!(nodes.len(), path.hops.len() + 1);
                assert_eq!(nodes[0]["key"], j["profile_key"]);
                let host = engine.opportunity(o).unwrap().host;
                assert_eq!(nodes[nodes.len() - 1]["key"], engine.network().key(host));
                for (h, n) in path.hops.iter().zip(&nodes[1..]) {
                    assert_eq!(n["tie"], h.tie.kind.as_str());
                    assert!(close(&n["tie_strength"], f64::from(h.tie.strength)));
                }
                assert!(close(&p["strength"], f64::from(path.strength)));
            }
        }
    }
    assert!(paths > 0, "no referral path in the sample to check");
}

#[test]
fn a_placement_carries_its_keys_and_reasons() {
    let engine = sample();
    let all: Vec<_> = engine
        .match_all(20)
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    let instance = Instance::from_matches(&engine, all, 1, Caps::default(), CapBy::Origin).unwrap();
    let a = assign::stable(&instance, Proposer::People).unwrap();
    let json = serde_json::to_value(engine.with_keys(&a)).unwrap();
    let placed = json["placements"].as_array().unwrap();
    assert_eq!(placed.len(), a.placements.len());
    assert!(!placed.is_empty());
    for (p, j) in a.placements.iter().zip(placed) {
        assert_eq!(j["profile_key"], engine.profile_key(p.person).unwrap());
        assert_eq!(
            j["opportunity_key"],
            engine.opportunity(p.opportunity).unwrap().key
        );
    }
    let unplaced = json["unplaced"].as_array().unwrap();
    assert_eq!(unplaced.len(), a.unplaced.len());
    for j in unplaced {
        let reason = j["reason"].as_str().unwrap();
        assert!(["no_eligible_candidate", "zero_capacity", "cap", "outranked"].contains(&reason));
    }
    assert!(close(&json["total_score"], a.total_score));
}

#[test]
fn an_erased_profile_has_no_key() {
    let mut engine = sample();
    let o = engine.opportunity_id("o-0001").unwrap();
    let m = engine.candidates(o, 1).unwrap()[0];
    engine.remove_profile(m.profile).unwrap();
    let j = serde_json::to_value(engine.with_keys(&m)).unwrap();
    assert!(j["profile_key"].is_null());
    assert_eq!(j["opportunity_key"], "o-0001");
}

/// Every result type read back from its JSON equals what was written.
#[test]
fn results_round_trip_through_json() {
    fn again<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        x: &T,
    ) {
        let text = serde_json::to_string(x).unwrap();
        let back: T = serde_json::from_str(&text).unwrap();
        assert!(
            &back == x,
            "{} bytes of JSON read back differently",
            text.len()
        );
    }
    let engine = sample();
    let all = engine.match_all(5).unwrap();
    again(&all);
    let mut explained = 0;
    for m in all.iter().flatten() {
        let why = engine.explain(m.profile, m.opportunity).unwrap();
        again(&why);
        explained += usize::from(why.requirements.iter().any(|r| r.via.is_some()));
        if let Some(p) = engine.referral_path(m.profile, m.opportunity).unwrap() {
            again(&p);
        }
    }
    assert!(explained > 0);
    // An excluded pair's explanation, with its exclusions.
    let excluded = (0..engine.profile_count() as u32)
        .map(diaspora_match::ProfileId::new)
        .map(|p| {
            engine
                .explain(p, diaspora_match::OpportunityId::new(0))
                .unwrap()
        })
        .find(|x| !x.is_eligible())
        .unwrap();
    again(&excluded);
    let instance = Instance::from_matches(
        &engine,
        all.into_iter().flatten(),
        1,
        Caps::default(),
        CapBy::Origin,
    )
    .unwrap();
    again(&assign::stable(&instance, Proposer::People).unwrap());
    let t = &engine.reference().taxonomy;
    for text in ["Phyton", "MS Excel", "comptabilité", "zzqqxx vvbb"] {
        again(&t.resolve(text));
    }
    // A level outside 1 to 5 is refused when read.
    assert!(serde_json::from_str::<diaspora_match::Level>("6").is_err());
    assert_eq!(
        serde_json::to_string(&diaspora_match::Engagement::ReturnTemporary).unwrap(),
        "\"return_temporary\""
    );
}
