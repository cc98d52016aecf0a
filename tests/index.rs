//! The compiled index against the brute-force scorer: the same lists, in the same order, with
//! the same scores, over random populations, opportunities and configurations; after updates;
//! and split into shards whose partial lists are merged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::sync::OnceLock;

use diaspora_match::{
    Dataset, EngagementSet, Engine, MatchConfig, OpportunityId, Profile, ProfileId, io,
    merge_matches, synth,
};
use proptest::prelude::*;

const KS: [usize; 5] = [1, 2, 5, 17, 10_000];

/// Every indexed query equals its brute-force oracle.
fn assert_same(engine: &Engine) -> Result<(), TestCaseError> {
    let opportunities = engine.opportunities().len();
    let profiles = engine.profile_count();
    for o in 0..opportunities {
        let o = OpportunityId::new(o as u32);
        for k in KS {
            prop_assert_eq!(
                engine.candidates(o, k).unwrap(),
                engine.candidates_brute_force(o, k).unwrap(),
                "opportunity {:?}, k = {}",
                o,
                k
            );
        }
        prop_assert!(engine.candidates(o, 0).is_err());
        prop_assert!(engine.candidates_brute_force(o, 0).is_err());
    }
    for p in 0..profiles {
        let p = ProfileId::new(p as u32);
        for k in [1, 3, 100] {
            prop_assert_eq!(
                engine.opportunities_for(p, k).unwrap(),
                engine.opportunities_for_brute_force(p, k).unwrap()
            );
        }
    }
    prop_assert_eq!(
        engine.match_all(4).unwrap(),
        engine.match_all_brute_force(4).unwrap()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(12), ..ProptestConfig::default() })]

    #[test]
    fn indexed_queries_equal_brute_force(spec in spec(60, 5), cfg in config()) {
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        assert_same(&engine)?;
    }

    /// Profiles given in chunks build the engine that the whole dataset builds: the same
    /// lists, the same profiles read back; and a bad record is refused with the same error,
    /// numbered across the chunks.
    #[test]
    fn chunked_builds_equal_the_whole(
        spec in spec(60, 5),
        cfg in config(),
        size in 1usize..20,
        kept_back in 0usize..60,
        bad in proptest::option::of(0usize..60),
    ) {
        let mut whole = build(&spec);
        if let Some(b) = bad.filter(|&b| b < whole.profiles.len()) {
            // A repeated key or an empty one, in either order of a pair.
            let other = (b + 1) % whole.profiles.len();
            whole.profiles[b].key = if other == b { String::new() } else { whole.profiles[other].key.clone() };
        }
        let mut rest = whole.clone();
        let profiles = std::mem::take(&mut rest.profiles);
        let kept_back = kept_back.min(profiles.len());
        rest.profiles = profiles[..kept_back].to_vec();
        let chunks: Vec<_> = profiles[kept_back..].chunks(size).map(|c| Ok(c.to_vec())).collect();
        let a = Engine::builder(whole).config(cfg).build();
        let b = Engine::builder(rest).config(cfg).build_with_profiles(chunks);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.profile_count(), b.profile_count());
                for o in 0..a.opportunities().len() {
                    let o = OpportunityId::new(o as u32);
                    prop_assert_eq!(a.candidates(o, 100).unwrap(), b.candidates(o, 100).unwrap());
                }
                prop_assert_eq!(a.match_all(5).unwrap(), b.match_all(5).unwrap());
                prop_assert_eq!(a.to_dataset().profiles, b.to_dataset().profiles);
                for id in a.profile_ids() {
                    prop_assert_eq!(a.profile_key(id), b.profile_key(id));
                }
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "whole {:?}, chunked {:?}", a.err(), b.err()),
        }
    }

    /// Many profiles with the same data score the same: the order falls back to the id.
    #[test]
    fn ties_in_score_are_ordered_by_id(mut spec in spec(8, 3), copies in 2usize..6) {
        let originals = spec.profiles.clone();
        for _ in 1..copies {
            spec.profiles.extend(originals.iter().cloned());
        }
        let engine = Engine::builder(build(&spec)).build().unwrap();
        assert_same(&engine)?;
    }

    /// Synthetic populations shaped as the benches' (twenty skills per profile, eight
    /// requirements per opportunity): lists dense enough to be bitsets, large tiers counted
    /// word by word against the other requirements, seeded, filtered by unions of the region,
    /// language and network tiers. Default weights half the time, as those shape the search.
    #[test]
    fn synthetic_populations_give_the_same_lists(
        seed in 0u64..1_000_000,
        profiles in 1500usize..5000,
        cfg in config(),
        default in any::<bool>(),
    ) {
        let cfg = if default { MatchConfig::default() } else { cfg };
        let engine = Engine::builder(synthetic(seed, profiles)).config(cfg).build().unwrap();
        for o in 0..engine.opportunities().len() {
            let o = OpportunityId::new(o as u32);
            for k in [1, 10, 100] {
                prop_assert_eq!(
                    engine.candidates(o, k).unwrap(),
                    engine.candidates_brute_force(o, k).unwrap(),
                    "opportunity {:?}, k = {}",
                    o,
                    k
                );
            }
        }
    }

    /// Over a thousand profiles, lists held by more than one in eight become bitsets.
    #[test]
    fn dense_lists_give_the_same_lists(mut spec in spec(40, 3), cfg in config()) {
        let originals = spec.profiles.clone();
        while !originals.is_empty() && spec.profiles.len() < 1100 {
            spec.profiles.extend(originals.iter().cloned());
        }
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            for k in [1, 10, 100, 5000] {
                prop_assert_eq!(
                    engine.candidates(o, k).unwrap(),
                    engine.candidates_brute_force(o, k).unwrap()
                );
            }
        }
    }

    #[test]
    fn one_thread_and_a_pool_give_the_same_lists(spec in spec(60, 4)) {
        let engine = Engine::builder(build(&spec)).build().unwrap();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
                (engine.match_all(7).unwrap(), engine.candidates(OpportunityId::new(0), 3).unwrap())
            })
        };
        prop_assert_eq!(run(1), run(4));
    }

    /// Shards built over parts of the population, merged, equal the whole index.
    #[test]
    fn merged_shards_equal_the_whole(spec in spec(60, 4), cuts in proptest::collection::vec(0usize..60, 0..4), cfg in config()) {
        let whole_data = build(&spec);
        let n = whole_data.profiles.len();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(n)).collect();
        bounds.push(0);
        bounds.push(n);
        bounds.sort_unstable();
        bounds.dedup();
        let shards: Vec<Engine> = bounds
            .windows(2)
            .map(|w| {
                let mut part = whole_data.clone();
                part.profiles = whole_data.profiles[w[0]..w[1]].to_vec();
                Engine::builder(part)
                    .config(cfg)
                    .first_profile_id(ProfileId::new(w[0] as u32))
                    .build()
                    .unwrap()
            })
            .collect();
        let whole = Engine::builder(whole_data).config(cfg).build().unwrap();
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            for k in KS {
                let parts = shards.iter().map(|s| s.candidates(o, k).unwrap());
                prop_assert_eq!(merge_matches(parts, k), whole.candidates(o, k).unwrap());
            }
        }
        // A shard answers for its own ids only.
        if let Some(s) = shards.last() && bounds.len() > 2 {
            prop_assert!(s.explain(ProfileId::new(0), OpportunityId::new(0)).is_err());
        }
    }

    /// After adding, replacing and erasing profiles (with and without compaction), the index
    /// answers exactly as the brute force does, and as an engine built afresh from the result.
    #[test]
    fn updates_keep_the_index_exact(
        spec in spec(40, 4),
        ops in proptest::collection::vec((0u8..3, 0usize..64, profile_spec()), 1..24),
        compact in any::<bool>(),
        cfg in config(),
    ) {
        // What was given, kept beside the engine: the fresh engine below is built from it.
        let mut given = build(&spec);
        let mut engine = Engine::builder(given.clone()).config(cfg).build().unwrap();
        for (n, (op, at, p)) in ops.into_iter().enumerate() {
            let len = engine.profile_count();
            prop_assert_eq!(len, given.profiles.len());
            let live: Vec<ProfileId> = engine.profile_ids().collect();
            match op {
                0 => {
                    let new = profile(&p, format!("new-{n}"));
                    let id = engine.add_profile(new.clone()).unwrap();
                    given.profiles.push(new);
                    prop_assert_eq!(id.index(), len);
                    prop_assert_eq!(engine.profile_id(&format!("new-{n}")), Some(id));
                }
                1 if !live.is_empty() => {
                    let id = live[at % live.len()];
                    let key = engine.profile_key(id).unwrap().to_string();
                    prop_assert_eq!(&key, &given.profiles[id.index()].key);
                    let new = profile(&p, key);
                    engine.update_profile(id, new.clone()).unwrap();
                    given.profiles[id.index()] = new;
                }
                2 if !live.is_empty() => {
                    let id = live[at % live.len()];
                    let key = engine.profile_key(id).unwrap().to_string();
                    engine.remove_profile(id).unwrap();
                    given.profiles[id.index()] = erased();
                    if let Some(node) = given.network.node(&key) {
                        given.network.remove_node(node).unwrap();
                    }
                    prop_assert_eq!(engine.profile_key(id), None);
                    prop_assert_eq!(engine.profile_id(&key), None);
                    prop_assert!(engine.remove_profile(id).is_err());
                    for o in 0..spec.opportunities.len() {
                        let o = OpportunityId::new(o as u32);
                        prop_assert!(engine.candidates(o, 10_000).unwrap().iter().all(|m| m.profile != id));
                    }
                }
                _ => {}
            }
        }
        if compact {
            engine.compact().unwrap();
            prop_assert_eq!(engine.pending_updates(), 0);
        }
        assert_same(&engine)?;
        // Every profile reads back as given (but for what the engine does not keep).
        for (i, p) in given.profiles.iter().enumerate() {
            let id = ProfileId::new(i as u32);
            match engine.profile(id) {
                Ok(back) => prop_assert_eq!(kept(back), kept(p.clone())),
                Err(_) => prop_assert!(p.key.is_empty()),
            }
        }
        // A network node's consent follows the updates; the engine rebuilt from what was
        // given answers the same.
        for p in &given.profiles {
            if let Some(n) = given.network.node(&p.key) {
                given.network.set_intermediary(n, p.intermediary).unwrap();
            }
        }
        let fresh = Engine::builder(given).config(cfg).build().unwrap();
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            prop_assert_eq!(engine.candidates(o, 50).unwrap(), fresh.candidates(o, 50).unwrap());
        }
    }
}

/// An error from the source of the chunks ends the build with that error.
#[test]
fn a_chunks_error_is_the_builds() {
    let reference = reference();
    let data = Dataset::new(reference);
    let chunks = vec![
        Ok(vec![profile(&plain(), "a".into())]),
        Err(diaspora_match::ErrorKind::Argument {
            name: "source",
            reason: "disk on fire".into(),
        }
        .into()),
    ];
    let e = Engine::builder(data)
        .build_with_profiles(chunks)
        .unwrap_err();
    assert!(e.to_string().contains("disk on fire"), "{e}");
}

#[test]
fn updates_refuse_bad_input() {
    let reference = reference();
    let mut data = diaspora_match::Dataset::new(reference);
    data.profiles.push(profile(&plain(), "a".into()));
    let mut engine = Engine::builder(data).build().unwrap();
    // A key in use, an empty key, another key on update, unknown ids.
    assert!(engine.add_profile(profile(&plain(), "a".into())).is_err());
    assert!(
        engine
            .add_profile(profile(&plain(), String::new()))
            .is_err()
    );
    assert!(
        engine
            .update_profile(ProfileId::new(0), profile(&plain(), "b".into()))
            .is_err()
    );
    assert!(
        engine
            .update_profile(ProfileId::new(7), profile(&plain(), "a".into()))
            .is_err()
    );
    assert!(engine.remove_profile(ProfileId::new(7)).is_err());
    // A refused update changes nothing.
    assert_eq!(engine.profile_count(), 1);
    assert_eq!(engine.profile_id("a"), Some(ProfileId::new(0)));
    let shard = Engine::builder(engine.to_dataset())
        .first_profile_id(ProfileId::new(u32::MAX - 1))
        .build();
    assert!(shard.is_err());
    let _: Profile = profile(&plain(), "c".into());
    let _ = MatchConfig::default();
}

/// A synthetic population of `profiles` with 20 skills each and 24 opportunities of 8
/// requirements, one tie per profile.
fn synthetic(seed: u64, profiles: usize) -> Dataset {
    static TABLES: OnceLock<synth::SourceTables> = OnceLock::new();
    let reference = reference();
    let tables = TABLES.get_or_init(|| {
        synth::SourceTables::load(io::bundled_reference_dir(), &reference).unwrap()
    });
    let config = synth::SynthConfig {
        profiles,
        opportunities: 24,
        ties: profiles,
        seed,
        skills_per_profile: Some(20),
        requirements_per_opportunity: Some(8),
        // Two populations in three ask for broad concepts: partial credit then reaches many
        // skills per requirement, in large tiers of many lists.
        breadth: [
            synth::Breadth::AsDrawn,
            synth::Breadth::Half,
            synth::Breadth::All,
        ][(seed % 3) as usize],
    };
    synth::generate(reference, tables, &config).unwrap()
}

fn plain() -> ProfileSpec {
    ProfileSpec {
        skills: vec![(1, 3)],
        origins: vec![(0, 1)],
        languages: vec![(0, 6)],
        engagements: 0x7F,
        window: None,
        intermediary: true,
        channels: PersonChannels::default(),
    }
}

/// The empty place an erased profile leaves in a dataset.
fn erased() -> Profile {
    Profile {
        key: String::new(),
        skills: Vec::new(),
        origins: Vec::new(),
        residence: None,
        languages: Vec::new(),
        engagements: EngagementSet::EMPTY,
        available: None,
        intermediary: false,
        capital: Default::default(),
        interests: Default::default(),
    }
}

/// A profile as the engine keeps it: skills in id order without years, sectors in ISIC
/// order; consent is the
/// network node's, compared apart.
fn kept(mut p: Profile) -> Profile {
    p.skills.sort_by_key(|h| h.skill);
    p.interests.sectors.sort_unstable();
    for h in &mut p.skills {
        h.years = None;
    }
    p.intermediary = false;
    p
}
