//! Shared builders for the integration tests: random datasets over the real reference data.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use diaspora_match::{
    Capital, Component, Dataset, Date, Engagement, Engine, Generation, Goal, HeldSkill, Interests,
    LanguageSkill, Level, MatchConfig, NodeKind, Opportunity, OpportunityId, Origin, Proficiency,
    Profile, ProfileId, Reference, Requirement, Sector, SkillId, Tie, TieKind, UsdRange, Window,
    io,
};
use proptest::prelude::*;

mod more_skills;

/// Proptest cases for a property: `quick` in the everyday `cargo test`, times
/// `PROPTEST_SCALE` (a whole number; `.ci/run` sets 4) where the properties run at full
/// strength.
pub fn cases(quick: u32) -> u32 {
    let scale = std::env::var("PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    quick.saturating_mul(scale.max(1))
}

pub fn reference() -> Arc<Reference> {
    static R: OnceLock<Arc<Reference>> = OnceLock::new();
    R.get_or_init(|| Arc::new(io::load_reference(io::bundled_reference_dir()).unwrap()))
        .clone()
}

/// Skills with parents, children and siblings among them: three O*NET groups, their members,
/// and a handful of technologies under one commodity category; then five more groups and
/// their members, so that populations hold more skills than have a signature bit of their
/// own (40), and some share bits.
pub fn skill_pool() -> Vec<SkillId> {
    let r = reference();
    let t = &r.taxonomy;
    let mut out = Vec::new();
    for g in ["onet:2.A.1", "onet:2.A.2", "onet:2.C.4", "onet:2.A"] {
        let g = t.by_key(g).unwrap();
        out.push(g);
        out.extend(t.children(g).iter().take(6));
    }
    let python = t.resolve("Python").skill.unwrap();
    let cat = t.parents(python)[0];
    out.push(cat);
    out.extend(t.children(cat).iter().take(6));
    out.sort_unstable();
    out.dedup();
    more_skills::add_more_groups(t, &mut out);
    out
}

pub const COUNTRIES: [&str; 8] = ["GH", "NG", "SN", "KE", "DE", "IN", "MX", "FR"];
pub const LANGUAGES: [&str; 6] = ["en", "fr", "tw", "ha", "de", "es"];

#[derive(Clone, Debug)]
pub struct ProfileSpec {
    pub skills: Vec<(usize, u8)>,
    pub origins: Vec<(usize, u8)>,
    pub languages: Vec<(usize, u8)>,
    pub engagements: u8,
    pub window: Option<(u16, u16)>,
    pub intermediary: bool,
    pub channels: PersonChannels,
}

/// What a person tells beyond work: a residence, capital ranges and interests.
#[derive(Clone, Debug, Default)]
pub struct PersonChannels {
    /// `Some(Some(i))`: [`COUNTRIES`]`[i]`; `Some(None)`: none given; `None`: `GB`.
    pub residence: Option<Option<usize>>,
    /// Indices into [`AMOUNTS`], ascending.
    pub invest: Option<(usize, usize)>,
    pub donate: Option<(usize, usize)>,
    /// Indices into [`SECTORS`], each once.
    pub sectors: Vec<usize>,
    /// Indices into [`GOALS`], each once.
    pub causes: Vec<usize>,
}

/// What an opportunity asks beyond work. A ticket is kept for an investment only, a gap for
/// a donation only.
#[derive(Clone, Debug, Default)]
pub struct OpportunityChannels {
    pub ticket: Option<(usize, usize)>,
    pub gap: Option<usize>,
    pub sector: Option<usize>,
    pub causes: Vec<usize>,
    pub settlement: Vec<usize>,
    /// For an investment, a donation or tourism: no skill requirements at all.
    pub no_requirements: bool,
}

/// Amounts in US dollars that ranges are drawn from: equal ends and overlaps are common.
pub const AMOUNTS: [f64; 6] = [0.0, 500.0, 5_000.0, 20_000.0, 100_000.0, 1_000_000.0];
/// Sectors with sections, their divisions and divisions of one section side by side.
pub const SECTORS: [&str; 10] = [
    "A", "A01", "A02", "C", "C10", "C21", "Q", "Q86", "Q87", "E36",
];
/// Goals drawn from.
pub const GOALS: [u8; 5] = [3, 4, 6, 7, 13];

#[derive(Clone, Debug)]
pub struct OpportunitySpec {
    pub requirements: Vec<(usize, u8, u8, bool)>,
    pub country: usize,
    pub languages: Vec<(usize, u8)>,
    pub engagement: u8,
    pub window: Option<(u16, u16)>,
    pub host: usize,
    pub channels: OpportunityChannels,
}

impl ProfileSpec {
    /// A person who accepts every engagement, with no languages and no window.
    pub fn holding(
        skills: Vec<(usize, u8)>,
        origins: Vec<(usize, u8)>,
        intermediary: bool,
    ) -> ProfileSpec {
        ProfileSpec {
            skills,
            origins,
            languages: vec![],
            engagements: 127,
            window: None,
            intermediary,
            channels: PersonChannels::default(),
        }
    }
}

impl OpportunitySpec {
    /// An opportunity in the first country, hosted by the first organisation, with no window.
    pub fn requiring(skill: usize, languages: Vec<(usize, u8)>, engagement: u8) -> OpportunitySpec {
        OpportunitySpec {
            requirements: vec![(skill, 10, 0, false)],
            country: 0,
            languages,
            engagement,
            window: None,
            host: 0,
            channels: OpportunityChannels::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub profiles: Vec<ProfileSpec>,
    pub opportunities: Vec<OpportunitySpec>,
    pub orgs: usize,
    pub ties: Vec<(usize, usize, u8, u8)>,
}

fn window() -> impl Strategy<Value = Option<(u16, u16)>> {
    proptest::option::of((0u16..400, 0u16..200))
}

fn amounts() -> impl Strategy<Value = Option<(usize, usize)>> {
    proptest::option::weighted(0.5, (0..AMOUNTS.len(), 0..AMOUNTS.len()))
        .prop_map(|r| r.map(|(a, b)| (a.min(b), a.max(b))))
}

fn indices(n: usize, max: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..n, 0..max).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|x| seen.insert(*x));
        v
    })
}

pub fn person_channels() -> impl Strategy<Value = PersonChannels> {
    (
        proptest::option::weighted(0.6, proptest::option::weighted(0.8, 0..COUNTRIES.len())),
        amounts(),
        amounts(),
        indices(SECTORS.len(), 4),
        indices(GOALS.len(), 3),
    )
        .prop_map(
            |(residence, invest, donate, sectors, causes)| PersonChannels {
                residence,
                invest,
                donate,
                sectors,
                causes,
            },
        )
}

pub fn opportunity_channels() -> impl Strategy<Value = OpportunityChannels> {
    (
        amounts(),
        proptest::option::weighted(0.5, 1..AMOUNTS.len()),
        proptest::option::weighted(0.4, 0..SECTORS.len()),
        indices(GOALS.len(), 3),
        indices(COUNTRIES.len(), 3),
        proptest::bool::weighted(0.3),
    )
        .prop_map(
            |(ticket, gap, sector, causes, settlement, no_requirements)| OpportunityChannels {
                ticket,
                gap,
                sector,
                causes,
                settlement,
                no_requirements,
            },
        )
}

/// Keeps the first pair naming each item.
fn first_of_each(list: &mut Vec<(usize, u8)>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|&(x, _)| seen.insert(x));
}

pub fn profile_spec() -> impl Strategy<Value = ProfileSpec> {
    (
        proptest::collection::vec((0usize..64, 0u8..=5), 0..8),
        proptest::collection::vec((0usize..COUNTRIES.len(), 1u8..=3), 0..3),
        proptest::collection::vec((0usize..LANGUAGES.len(), 0u8..7), 0..3),
        0u8..128,
        window(),
        any::<bool>(),
        person_channels(),
    )
        .prop_map(
            |(skills, mut origins, mut languages, engagements, window, intermediary, channels)| {
                // A record lists each country and language once.
                first_of_each(&mut origins);
                first_of_each(&mut languages);
                ProfileSpec {
                    skills,
                    origins,
                    languages,
                    engagements,
                    window,
                    intermediary,
                    channels,
                }
            },
        )
}

pub fn opportunity_spec() -> impl Strategy<Value = OpportunitySpec> {
    (
        proptest::collection::vec(
            (0usize..64, 1u8..40, 0u8..=5, proptest::bool::weighted(0.2)),
            1..5,
        ),
        0usize..COUNTRIES.len(),
        proptest::collection::vec((0usize..LANGUAGES.len(), 0u8..7), 0..3),
        0u8..7,
        window(),
        0usize..8,
        opportunity_channels(),
    )
        .prop_map(
            |(requirements, country, mut languages, engagement, window, host, channels)| {
                first_of_each(&mut languages);
                OpportunitySpec {
                    requirements,
                    country,
                    languages,
                    engagement,
                    window,
                    host,
                    channels,
                }
            },
        )
}

pub fn spec(max_profiles: usize, max_opportunities: usize) -> impl Strategy<Value = Spec> {
    (
        proptest::collection::vec(profile_spec(), 0..max_profiles),
        proptest::collection::vec(opportunity_spec(), 1..max_opportunities.max(2)),
        1usize..4,
        proptest::collection::vec((0usize..64, 0usize..64, 0u8..6, 1u8..=100), 0..60),
    )
        .prop_map(|(profiles, opportunities, orgs, ties)| Spec {
            profiles,
            opportunities,
            orgs,
            ties,
        })
}

fn make_window(w: Option<(u16, u16)>) -> Option<Window> {
    let start = Date::from_ymd(2027, 1, 1).unwrap().days();
    w.map(|(a, len)| {
        let from = Date::from_days(start + i32::from(a));
        Window::new(from, Date::from_days(from.days() + i32::from(len))).unwrap()
    })
}

/// Languages from (index into [`LANGUAGES`], proficiency index) pairs, each language once
/// (the first pair naming it), as a record must list them.
fn languages(list: &[(usize, u8)]) -> Vec<LanguageSkill> {
    let r = reference();
    let mut out: Vec<LanguageSkill> = Vec::new();
    for &(l, lv) in list {
        let language = r.languages.lookup(LANGUAGES[l]).unwrap();
        if out.iter().all(|x| x.language != language) {
            out.push(LanguageSkill {
                language,
                level: Proficiency::ALL[lv as usize],
            });
        }
    }
    out
}

/// Origins from (index into [`COUNTRIES`], generation) pairs, each country once.
fn origins(list: &[(usize, u8)]) -> Vec<Origin> {
    let r = reference();
    let mut out: Vec<Origin> = Vec::new();
    for &(c, g) in list {
        let country = r.regions.lookup(COUNTRIES[c]).unwrap();
        if out.iter().all(|x| x.country != country) {
            out.push(Origin {
                country,
                generation: Generation::new(g).unwrap(),
            });
        }
    }
    out
}

pub fn profile(p: &ProfileSpec, key: String) -> Profile {
    let r = reference();
    let pool = skill_pool();
    let mut skills: Vec<HeldSkill> = Vec::new();
    for &(s, l) in &p.skills {
        let skill = pool[s % pool.len()];
        if skills.iter().all(|h| h.skill != skill) {
            skills.push(HeldSkill {
                skill,
                level: Level::new(l),
                years: None,
            });
        }
    }
    Profile {
        key,
        skills,
        origins: origins(&p.origins),
        residence: match p.channels.residence {
            None => r.regions.lookup("GB"),
            Some(c) => c.and_then(|c| r.regions.lookup(COUNTRIES[c])),
        },
        languages: languages(&p.languages),
        engagements: Engagement::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| p.engagements & (1 << i) != 0)
            .map(|(_, e)| e)
            .collect(),
        available: make_window(p.window),
        intermediary: p.intermediary,
        capital: Capital {
            invest: p.channels.invest.map(range),
            donate_per_year: p.channels.donate.map(range),
        },
        interests: Interests {
            sectors: p.channels.sectors.iter().map(|&s| sector(s)).collect(),
            causes: p.channels.causes.iter().map(|&g| goal(g)).collect(),
        },
    }
}

fn range((a, b): (usize, usize)) -> UsdRange {
    UsdRange::new(AMOUNTS[a], AMOUNTS[b]).unwrap()
}

fn sector(i: usize) -> Sector {
    Sector::parse(SECTORS[i]).unwrap()
}

fn goal(i: usize) -> Goal {
    Goal::new(GOALS[i]).unwrap()
}

pub fn build(spec: &Spec) -> Dataset {
    let r = reference();
    let pool = skill_pool();
    let mut d = Dataset::new(r.clone());
    for (i, p) in spec.profiles.iter().enumerate() {
        d.profiles.push(profile(p, format!("p-{i}")));
    }
    for p in &d.profiles {
        d.network
            .add_node(&p.key, NodeKind::Person, p.intermediary)
            .unwrap();
    }
    let orgs: Vec<_> = (0..spec.orgs)
        .map(|i| {
            d.network
                .add_node(&format!("org-{i}"), NodeKind::Organisation, true)
                .unwrap()
        })
        .collect();
    let n = d.network.node_count();
    for &(a, b, kind, s) in &spec.ties {
        let (a, b) = (a % n, b % n);
        if a != b {
            let tie = Tie {
                kind: TieKind::ALL[kind as usize],
                strength: f32::from(s) / 100.0,
            };
            d.network
                .add_tie(
                    diaspora_match::NodeId::new(a as u32),
                    diaspora_match::NodeId::new(b as u32),
                    tie,
                )
                .unwrap();
        }
    }
    for (j, o) in spec.opportunities.iter().enumerate() {
        let mut requirements: Vec<Requirement> = Vec::new();
        for &(s, w, l, must) in &o.requirements {
            let skill = pool[s % pool.len()];
            if requirements.iter().all(|q| q.skill != skill) {
                requirements.push(Requirement {
                    skill,
                    weight: f32::from(w) / 10.0,
                    min_level: Level::new(l),
                    must,
                });
            }
        }
        let c = &o.channels;
        let engagement = Engagement::ALL[o.engagement as usize];
        if c.no_requirements && o.engagement >= 4 {
            requirements.clear();
        }
        d.opportunities.push(Opportunity {
            key: format!("o-{j}"),
            title: format!("opportunity {j}"),
            host: orgs[o.host % orgs.len()],
            country: r.regions.lookup(COUNTRIES[o.country]).unwrap(),
            engagement,
            requirements,
            languages: languages(&o.languages),
            capacity: 1,
            window: make_window(o.window),
            ticket: c
                .ticket
                .filter(|&(_, b)| engagement == Engagement::Invest && b > 0)
                .map(range),
            gap: c
                .gap
                .filter(|_| engagement == Engagement::Donate)
                .map(|g| AMOUNTS[g]),
            sector: c.sector.map(sector),
            causes: c.causes.iter().map(|&g| goal(g)).collect(),
            settlement: c
                .settlement
                .iter()
                .map(|&i| r.regions.lookup(COUNTRIES[i]).unwrap())
                .collect(),
        });
    }
    d
}

/// Random valid scoring configurations: weights (some zero), relatedness credits, hop limits.
pub fn config() -> impl Strategy<Value = MatchConfig> {
    (
        0.0f32..1.0,
        0.0f32..1.0,
        0.0f32..1.0,
        0.0f32..1.0,
        0.0f32..1.0,
        0.0f32..1.0,
        0u8..=3,
        0u8..=4,
        (0.0f32..1.0, 0.0f32..1.0, 0.0f32..1.0),
        0.0f32..=1.0,
        any::<bool>(),
    )
        .prop_filter_map(
            "positive weights",
            |(ws, wr, wn, wl, narrower, sibling, hops, net, (wc, wi, wt), same, own)| {
                let mut c = MatchConfig::default();
                c.weights.skills = ws;
                c.weights.region = wr;
                c.weights.network = wn;
                c.weights.language = wl;
                c.weights.capital = wc;
                c.weights.interest = wi;
                c.weights.settlement = wt;
                c.interest.same_section = same;
                if !own {
                    // Every kind with the weights above, instead of the kinds' defaults.
                    c.kinds = diaspora_match::KindWeights {
                        invest: None,
                        donate: None,
                        tourism: None,
                        ..c.kinds
                    };
                }
                c.relatedness.narrower = narrower;
                c.relatedness.sibling = sibling;
                c.relatedness.max_hops = hops;
                c.network_max_hops = net;
                c.validate().is_ok().then_some(c)
            },
        )
}

/// The skills component of profile `p` for opportunity `o`, as `explain` gives it.
pub fn skills_value(engine: &Engine, p: u32, o: OpportunityId) -> f32 {
    engine
        .explain(ProfileId::new(p), o)
        .unwrap()
        .component(Component::Skills)
        .unwrap()
        .value
        .unwrap()
}
