//! The main queries give bit-identical answers on one thread and on four.
#![cfg(feature = "rayon")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use diaspora_match::assign::{self, CapBy, Caps, Instance, Objective, Proposer};
use diaspora_match::{
    Engine, NodeId, OpportunityId, ProfileId, ReferralOptions, ResolveOptions, io, synth,
};

/// Everything the main queries answer, as comparable text (floats by their bits).
fn answers() -> Vec<String> {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig {
        profiles: 3_000,
        opportunities: 30,
        ties: 20_000,
        seed: 9,
        ..Default::default()
    };
    let dataset = synth::generate(reference.clone(), &tables, &config).unwrap();
    let engine = Engine::builder(dataset).build().unwrap();
    let bits = |m: &diaspora_match::Match| {
        format!("{}:{}:{:08x}", m.profile, m.opportunity, m.score.to_bits())
    };
    let mut out = Vec::new();
    for list in engine.match_all(10).unwrap() {
        out.push(list.iter().map(bits).collect::<Vec<_>>().join(" "));
    }
    for o in 0..30 {
        let list = engine.candidates(OpportunityId::new(o), 7).unwrap();
        out.push(list.iter().map(bits).collect::<Vec<_>>().join(" "));
        out.push(format!(
            "{}",
            engine
                .explain(
                    list.first().map_or(ProfileId::new(0), |m| m.profile),
                    OpportunityId::new(o)
                )
                .unwrap()
        ));
    }
    for p in (0..3_000).step_by(97) {
        out.push(
            engine
                .opportunities_for(ProfileId::new(p), 5)
                .unwrap()
                .iter()
                .map(bits)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let net = engine.network();
    for a in (0..3_000).step_by(301) {
        let s = net.strengths_from(NodeId::new(a), 3).unwrap();
        out.push(
            s.iter()
                .map(|(n, v)| format!("{n}:{:08x}", v.to_bits()))
                .collect::<Vec<_>>()
                .join(" "),
        );
        for p in net
            .referral_paths(
                NodeId::new(a),
                NodeId::new(a + 7),
                3,
                4,
                ReferralOptions::default(),
            )
            .unwrap()
        {
            out.push(net.describe(&p));
        }
    }
    let mut pairs: Vec<_> = engine
        .match_all(20)
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    for p in 0..3_000 {
        pairs.extend(engine.opportunities_for(ProfileId::new(p), 5).unwrap());
    }
    let caps = Caps {
        per_opportunity: Some(2),
        programme: None,
    };
    let inst = Instance::from_matches(&engine, pairs, 1, caps, CapBy::Origin).unwrap();
    out.push(format!(
        "{:?}",
        assign::stable(&inst, Proposer::People).unwrap()
    ));
    out.push(format!(
        "{:?}",
        assign::optimal(&inst, Objective::MostPlacedThenScore).unwrap()
    ));
    let texts = [
        "Phyton",
        "javascirpt",
        "acounting",
        "Gestión de proyectos",
        "zzzz",
    ];
    out.push(format!(
        "{:?}",
        reference
            .taxonomy
            .resolve_many(&texts, &ResolveOptions::default())
    ));
    out
}

#[test]
fn every_main_query_is_the_same_on_one_and_four_threads() {
    let run = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(answers)
    };
    let (one, four) = (run(1), run(4));
    assert_eq!(one.len(), four.len());
    for (a, b) in one.iter().zip(&four) {
        assert_eq!(a, b);
    }
    assert!(one.len() > 100);
}
