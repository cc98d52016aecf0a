//! Information never hurts (scoring model v2): a person who tells the registry less never
//! ranks higher than the same person telling more (skills, levels, origins, languages, ties,
//! residence, capital, sectors, causes), on the brute-force scorer and on the index alike;
//! and a pair without evidence is never listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use diaspora_match::{Component, Engine, MatchConfig, OpportunityId, ProfileId};
use proptest::prelude::*;

/// One piece of what profile 0 told the registry.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Skill(usize),
    Level(usize),
    Origin(usize),
    Language(usize),
    /// Every tie between profile 0 (node 0) and another node.
    Tie(usize),
    /// The country of residence.
    Residence,
    /// The range to invest.
    Invest,
    /// The range to give.
    Donate,
    /// One sector of interest.
    Sector(usize),
    /// One cause.
    Cause(usize),
}

/// Profile 0's skills with one entry per pool skill (the first), so that removing an entry
/// removes a skill rather than exposing a duplicate's other level.
fn dedup_skills(spec: &mut Spec) {
    let n = skill_pool().len();
    let skills = &mut spec.profiles[0].skills;
    let mut seen = Vec::new();
    skills.retain(|&(s, _)| {
        let fresh = !seen.contains(&(s % n));
        seen.push(s % n);
        fresh
    });
}

/// Makes profile 0 a candidate worth testing: it holds opportunity 0's required skills at
/// the given levels (0 for none) and is tied to its host, whose only tie that may be.
fn focus(spec: &mut Spec, levels: &[u8], tie: Option<u8>) {
    let o = &spec.opportunities[0];
    let held: Vec<(usize, u8)> = o
        .requirements
        .iter()
        .zip(levels.iter().chain(std::iter::repeat(&0)))
        .map(|(r, &l)| (r.0, l))
        .collect();
    let host = spec.profiles.len() + o.host % spec.orgs;
    spec.profiles[0].skills.splice(0..0, held);
    if let Some(strength) = tie {
        spec.ties.retain(|&(a, b, _, _)| a != host && b != host);
        spec.ties.push((0, host, 3, strength));
    }
}

/// The nodes tied to profile 0 (node 0), as the builder numbers them.
fn partners(spec: &Spec) -> Vec<usize> {
    let n = spec.profiles.len() + spec.orgs;
    let mut out: Vec<usize> = spec
        .ties
        .iter()
        .filter_map(|&(a, b, _, _)| match (a % n, b % n) {
            (0, 0) => None,
            (0, x) | (x, 0) => Some(x),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Every piece of profile 0 that can be taken away.
fn pieces(spec: &Spec) -> Vec<Piece> {
    let p = &spec.profiles[0];
    let mut out: Vec<Piece> = (0..p.skills.len()).map(Piece::Skill).collect();
    out.extend(
        (0..p.skills.len())
            .filter(|&i| p.skills[i].1 > 0)
            .map(Piece::Level),
    );
    out.extend((0..p.origins.len()).map(Piece::Origin));
    out.extend((0..p.languages.len()).map(Piece::Language));
    out.extend(partners(spec).into_iter().map(Piece::Tie));
    let c = &p.channels;
    if c.residence != Some(None) {
        out.push(Piece::Residence);
    }
    out.extend(c.invest.map(|_| Piece::Invest));
    out.extend(c.donate.map(|_| Piece::Donate));
    out.extend((0..c.sectors.len()).map(Piece::Sector));
    out.extend((0..c.causes.len()).map(Piece::Cause));
    out
}

/// The spec without one piece.
fn without(spec: &Spec, piece: Piece) -> Spec {
    let mut s = spec.clone();
    let p = &mut s.profiles[0];
    match piece {
        Piece::Skill(i) => {
            p.skills.remove(i);
        }
        Piece::Level(i) => p.skills[i].1 = 0,
        Piece::Origin(i) => {
            p.origins.remove(i);
        }
        Piece::Language(i) => {
            p.languages.remove(i);
        }
        Piece::Tie(x) => {
            let n = spec.profiles.len() + spec.orgs;
            s.ties
                .retain(|&(a, b, _, _)| !matches!((a % n, b % n), (0, y) | (y, 0) if y == x));
        }
        Piece::Residence => p.channels.residence = Some(None),
        Piece::Invest => p.channels.invest = None,
        Piece::Donate => p.channels.donate = None,
        Piece::Sector(i) => {
            p.channels.sectors.remove(i);
        }
        Piece::Cause(i) => {
            p.channels.causes.remove(i);
        }
    }
    s
}

/// Profile 0's score for opportunity `o` in a list of matches, 0 when not listed.
fn listed(list: &[diaspora_match::Match], o: OpportunityId) -> f32 {
    list.iter()
        .find(|m| m.profile == ProfileId::new(0) && m.opportunity == o)
        .map_or(0.0, |m| m.score)
}

/// Every score of profile 0 in `less` is at most its score in `more`: pair by pair, in the
/// indexed and brute-force candidate lists, in its own opportunity lists and in the batch.
fn never_higher(less: &Engine, more: &Engine, profiles: usize) -> Result<(), TestCaseError> {
    let p = ProfileId::new(0);
    let opportunities = less.opportunities().len();
    let all = profiles.max(1);
    let (batch_less, batch_more) = (less.match_all(all).unwrap(), more.match_all(all).unwrap());
    let mine = |e: &Engine| e.opportunities_for(p, opportunities).unwrap();
    let mine_brute = |e: &Engine| e.opportunities_for_brute_force(p, opportunities).unwrap();
    let (mine_less, mine_more) = (mine(less), mine(more));
    let (brute_less, brute_more) = (mine_brute(less), mine_brute(more));
    for o in 0..opportunities {
        let o = OpportunityId::new(o as u32);
        let score = |e: &Engine| e.score(p, o).unwrap().map_or(0.0, |m| m.score);
        prop_assert!(
            score(less) <= score(more),
            "{o:?}: {} > {}",
            score(less),
            score(more)
        );
        let indexed = |e: &Engine| listed(&e.candidates(o, all).unwrap(), o);
        prop_assert!(indexed(less) <= indexed(more), "indexed {o:?}");
        let brute = |e: &Engine| listed(&e.candidates_brute_force(o, all).unwrap(), o);
        prop_assert!(brute(less) <= brute(more), "brute force {o:?}");
        let b = o.index();
        prop_assert!(
            listed(&batch_less[b], o) <= listed(&batch_more[b], o),
            "batch {o:?}"
        );
        prop_assert!(
            listed(&mine_less, o) <= listed(&mine_more, o),
            "own list {o:?}"
        );
        prop_assert!(
            listed(&brute_less, o) <= listed(&brute_more, o),
            "own brute {o:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(24), ..ProptestConfig::default() })]

    /// Taking any one piece of information away never raises any score; read backwards,
    /// adding one never lowers any.
    #[test]
    fn removing_a_piece_of_information_never_raises_a_score(
        spec in spec(12, 4),
        cfg in config(),
        pick in any::<prop::sample::Index>(),
        levels in proptest::collection::vec(0u8..=5, 0..5),
        tie in proptest::option::of(1u8..=100),
    ) {
        prop_assume!(!spec.profiles.is_empty());
        let mut spec = spec;
        focus(&mut spec, &levels, tie);
        dedup_skills(&mut spec);
        let all = pieces(&spec);
        prop_assume!(!all.is_empty());
        let piece = all[pick.index(all.len())];
        let less = Engine::builder(build(&without(&spec, piece))).config(cfg).build().unwrap();
        let more = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        never_higher(&less, &more, spec.profiles.len())?;
    }

    /// Profile 0 tells capital, interests and a residence; opportunity 0 is an investment, a
    /// donation, tourism or remote work that uses them. Taking away any one of those pieces
    /// never raises a score.
    #[test]
    fn withholding_capital_interests_or_residence_never_pays(
        spec in spec(8, 3),
        cfg in config(),
        kind in 3u8..7,
        asked in opportunity_channels(),
        told in person_channels(),
    ) {
        prop_assume!(!spec.profiles.is_empty());
        let mut spec = spec;
        let o = &mut spec.opportunities[0];
        (o.engagement, o.channels, o.window) = (kind, asked, None);
        let p = &mut spec.profiles[0];
        (p.engagements, p.window, p.channels) = (0x7F, None, told);
        let all: Vec<Piece> = pieces(&spec)
            .into_iter()
            .filter(|p| matches!(p, Piece::Residence | Piece::Invest | Piece::Donate | Piece::Sector(_) | Piece::Cause(_)))
            .collect();
        let more = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        for piece in all {
            let less = Engine::builder(build(&without(&spec, piece))).config(cfg).build().unwrap();
            never_higher(&less, &more, spec.profiles.len())?;
        }
    }

    /// Adding one piece (a skill, an origin, a language, a tie to the host, a residence, a
    /// capital range, a sector, a cause) never lowers any score.
    #[test]
    fn adding_a_piece_of_information_never_lowers_a_score(
        spec in spec(12, 4),
        cfg in config(),
        (kind, value, level) in (0u8..9, 0usize..64, 0u8..7),
        levels in proptest::collection::vec(0u8..=5, 0..5),
    ) {
        prop_assume!(!spec.profiles.is_empty());
        let mut more = spec.clone();
        focus(&mut more, &levels, None);
        dedup_skills(&mut more);
        let less = more.clone();
        let p = &mut more.profiles[0];
        let n = skill_pool().len();
        match kind {
            0 if p.skills.iter().all(|&(s, _)| s % n != value % n) => p.skills.push((value, level.min(5))),
            1 => p.origins.push((value % COUNTRIES.len(), 1 + level % 3)),
            2 => p.languages.push((value % LANGUAGES.len(), level)),
            3 => {
                // A tie to the host of opportunity `value`.
                let o = &more.opportunities[value % more.opportunities.len()];
                let host = more.profiles.len() + o.host % more.orgs;
                more.ties.push((0, host, 1, 50));
            }
            4 if p.channels.residence == Some(None) => {
                p.channels.residence = Some(Some(value % COUNTRIES.len()));
            }
            5 if p.channels.invest.is_none() => {
                p.channels.invest = Some((usize::from(level) % AMOUNTS.len(), value % AMOUNTS.len()))
                    .map(|(a, b)| (a.min(b), a.max(b)));
            }
            6 if p.channels.donate.is_none() => {
                p.channels.donate = Some((usize::from(level) % AMOUNTS.len(), value % AMOUNTS.len()))
                    .map(|(a, b)| (a.min(b), a.max(b)));
            }
            7 if !p.channels.sectors.contains(&(value % SECTORS.len())) => {
                p.channels.sectors.push(value % SECTORS.len());
            }
            8 if !p.channels.causes.contains(&(value % GOALS.len())) => {
                p.channels.causes.push(value % GOALS.len());
            }
            _ => {}
        }
        let less = Engine::builder(build(&less)).config(cfg).build().unwrap();
        let more_engine = Engine::builder(build(&more)).config(cfg).build().unwrap();
        never_higher(&less, &more_engine, more.profiles.len())?;
    }

    /// With the evidence rule (the default) no list holds a pair whose evidence is 0 (the
    /// primary component of its kind: skills for work, capital for an investment or a
    /// donation with a ticket or a gap, interest for tourism with a sector or causes; skills
    /// where the primary does not apply), however well its other components score.
    #[test]
    fn no_pair_without_evidence_is_listed(spec in spec(20, 4), cfg in config()) {
        let mut cfg = cfg;
        cfg.require_evidence = true;
        let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        let n = spec.profiles.len().max(1);
        let credited = |m: &diaspora_match::Match| {
            let kind = engine.opportunities()[m.opportunity.index()].engagement;
            let primary = Component::primary(kind);
            let evidence = if m.components.get(primary).is_some() { primary } else { Component::Skills };
            m.components.get(evidence).is_some_and(|s| s > 0.0)
        };
        for list in engine.match_all(n).unwrap() {
            prop_assert!(list.iter().all(credited));
        }
        for o in 0..spec.opportunities.len() {
            let o = OpportunityId::new(o as u32);
            prop_assert!(engine.candidates(o, n).unwrap().iter().all(credited));
            prop_assert!(engine.candidates_brute_force(o, n).unwrap().iter().all(credited));
        }
        for p in 0..spec.profiles.len() {
            let p = ProfileId::new(p as u32);
            prop_assert!(engine.opportunities_for(p, 8).unwrap().iter().all(credited));
        }
    }
}

/// The first example: a strong candidate with no ties does not outrank the same
/// candidate tied directly to the host at 0.9, and a weak tie to the host does not lower a
/// score.
#[test]
fn a_tie_to_the_host_never_ranks_below_no_tie() {
    let holder = |skills: Vec<(usize, u8)>| ProfileSpec::holding(skills, vec![(0, 1)], true);
    let spec = Spec {
        // Profile 0 and 1 alike; 1 is tied to the host (node 3, the first organisation) at
        // 0.9, 2 holds the skill too and is tied to the host at 0.05.
        profiles: vec![
            holder(vec![(1, 3)]),
            holder(vec![(1, 3)]),
            holder(vec![(1, 3)]),
        ],
        opportunities: vec![OpportunitySpec::requiring(1, vec![], 1)],
        orgs: 1,
        ties: vec![(1, 3, 0, 90), (2, 3, 0, 5)],
    };
    let engine = Engine::builder(build(&spec)).build().unwrap();
    let o = OpportunityId::new(0);
    let top = engine.candidates(o, 3).unwrap();
    let ids: Vec<usize> = top.iter().map(|m| m.profile.index()).collect();
    assert_eq!(ids, [1, 2, 0], "{top:?}");
    assert!(top[0].score > top[1].score && top[1].score > top[2].score);
    let none = engine.explain(ProfileId::new(0), o).unwrap();
    let network = none.component(Component::Network).unwrap();
    assert_eq!((network.value, network.informed), (Some(0.0), false));
}

/// Speaking one of two required languages scores above listing none.
#[test]
fn one_language_of_two_beats_none() {
    let mut some = ProfileSpec::holding(vec![(1, 3)], vec![(0, 1)], true);
    some.languages = vec![(0, 6)];
    let spec = Spec {
        profiles: vec![ProfileSpec::holding(vec![(1, 3)], vec![(0, 1)], true), some],
        opportunities: vec![OpportunitySpec::requiring(1, vec![(0, 3), (1, 3)], 1)],
        orgs: 1,
        ties: vec![],
    };
    let engine = Engine::builder(build(&spec)).build().unwrap();
    let top = engine.candidates(OpportunityId::new(0), 2).unwrap();
    assert_eq!(top[0].profile, ProfileId::new(1), "{top:?}");
    assert!(top[0].score > top[1].score);
}

/// Withholding origin does not outrank a second-generation member of the opportunity's
/// own country; an unknown level is credited no more than the lowest stated one.
#[test]
fn withholding_origin_or_level_never_pays() {
    let spec = Spec {
        profiles: vec![
            ProfileSpec::holding(vec![(1, 0)], vec![], true),
            ProfileSpec::holding(vec![(1, 0)], vec![(0, 2)], true),
            ProfileSpec::holding(vec![(1, 1)], vec![], true),
        ],
        opportunities: vec![OpportunitySpec {
            requirements: vec![(1, 10, 4, false)],
            ..OpportunitySpec::requiring(1, vec![], 1)
        }],
        orgs: 1,
        ties: vec![],
    };
    let engine = Engine::builder(build(&spec)).build().unwrap();
    let o = OpportunityId::new(0);
    let score = |p: u32| engine.score(ProfileId::new(p), o).unwrap().unwrap().score;
    assert!(score(1) > score(0), "{} <= {}", score(1), score(0));
    // Level unknown (profile 0) against level 1 of a minimum of 4 (profile 2).
    assert!(score(0) <= score(2), "{} > {}", score(0), score(2));
    let skills = |p: u32| skills_value(&engine, p, o);
    let c = MatchConfig::default().levels;
    assert_eq!(skills(2), 1.0 - 3.0 * c.per_level_below);
    assert_eq!(skills(0), c.unknown.min(skills(2)));
}

/// A registrant who gave only an origin is listed nowhere.
#[test]
fn origin_alone_is_not_enough_to_be_listed() {
    let spec = Spec {
        profiles: vec![
            ProfileSpec::holding(vec![], vec![(0, 1)], true),
            ProfileSpec::holding(vec![(1, 3)], vec![], true),
        ],
        opportunities: vec![OpportunitySpec::requiring(1, vec![], 1)],
        orgs: 1,
        ties: vec![],
    };
    let engine = Engine::builder(build(&spec)).build().unwrap();
    let o = OpportunityId::new(0);
    let top = engine.candidates(o, 5).unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].profile, ProfileId::new(1));
    assert!(
        engine
            .opportunities_for(ProfileId::new(0), 5)
            .unwrap()
            .is_empty()
    );
    // Without the rule the origin alone would list the first registrant.
    let cfg = MatchConfig {
        require_evidence: false,
        ..MatchConfig::default()
    };
    let engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
    assert_eq!(engine.candidates(o, 5).unwrap().len(), 2);
}
