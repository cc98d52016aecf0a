//! The properties the fuzz targets check, one function per target. Each takes the fuzzer's
//! bytes, must never panic on them, and asserts a property of the answer, not only the
//! absence of a crash. `tests/fuzz_regressions.rs` replays every input kept in
//! `fuzz/regressions/<target>/` through the same function on stable Rust.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use diaspora_match::assign::{self, Instance, InstanceRecord, Objective, Proposer};
use diaspora_match::{
    Capital, Dataset, Date, Engagement, Engine, FuzzyStrategy, Generation, Goal, Goals, HeldSkill,
    Interests, LanguageSkill, Level, Limits, MatchConfig, NodeId, NodeKind, Opportunity,
    OpportunityId, Origin, Proficiency, Profile, ProfileId, Reference, ReferralOptions,
    Requirement, ResolveOptions, Sector, SkillId, Tie, TieKind, UsdRange, Window, io,
};

// Relative to this file's directory, `fuzz/`, however this file is included.
#[path = "../tests/common/more_skills.rs"]
mod more_skills;

fn reference() -> Arc<Reference> {
    static R: OnceLock<Arc<Reference>> = OnceLock::new();
    R.get_or_init(|| Arc::new(io::load_reference(io::bundled_reference_dir()).unwrap()))
        .clone()
}

/// Limits small enough that one input costs little.
fn limits() -> Limits {
    Limits {
        file_bytes: 1 << 20,
        records: 10_000,
        k: 10_000,
        ..Limits::default()
    }
}

const PROFILES: &str = r#"{"key":"p-1","skills":[{"skill":"Python","level":4,"years":6},{"skill":"Java (computer programming)"}],"origins":[{"country":"GH","generation":1}],"residence":"GB","languages":[{"language":"en","level":"C2"},{"language":"tw","level":"native"}],"engagements":["remote","return_temporary"],"available":{"from":"2027-01-01","to":"2027-06-30"},"intermediary":true}
{"key":"p-2","skills":[{"skill":"Java (computer programming)","level":3}],"origins":[{"country":"NGA","generation":2}],"languages":[{"language":"en","level":"B2"}],"engagements":["remote"]}
"#;
const OPPORTUNITIES: &str = r#"[{"key":"o-1","title":"Data systems mentor","host":"org-ghs","country":"GH","engagement":"remote","requirements":[{"skill":"Python","weight":2.0,"min_level":3,"must":false},{"skill":"Java (computer programming)","weight":1.0}],"languages":[{"language":"en","level":"B2"}],"capacity":2,"window":{"from":"2027-02-01","to":"2027-05-31"}}]
"#;
const NODES: &str = "key,kind,intermediary\norg-ghs,organisation,false\nc-1,person,true\n";
const TIES: &str = "from,to,kind,strength\np-1,c-1,alumni,0.8\nc-1,org-ghs,organisational,0.9\np-2,p-1,community,0.5\n";

/// A folder of its own for this thread.
fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    thread_local! {
        static ID: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    let d = std::env::temp_dir().join(format!(
        "diaspora-match-fuzz-{}-{}-{name}",
        std::process::id(),
        ID.with(|i| *i)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Loads the base dataset with one file replaced by the fuzzer's bytes.
fn load_with(file: &str, data: &[u8]) -> diaspora_match::Result<Dataset> {
    let d = scratch("in");
    for (f, text) in [
        ("profiles.jsonl", PROFILES),
        ("opportunities.json", OPPORTUNITIES),
        ("nodes.csv", NODES),
        ("ties.csv", TIES),
    ] {
        let bytes = if f == file { data } else { text.as_bytes() };
        std::fs::write(d.join(f), bytes).unwrap();
    }
    io::Loader::new(reference())
        .limits(limits())
        .load(&d)
        .map(|l| l.dataset)
}

/// What was loaded is valid, survives a write and a read unchanged, and builds an engine.
fn check_loaded(result: diaspora_match::Result<Dataset>) {
    let d = match result {
        Ok(d) => d,
        Err(e) => {
            // Every error renders, and names where it happened.
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    d.validate().unwrap();
    let out = scratch("out");
    io::write_dataset(&out, &d).unwrap();
    let again = io::Loader::new(reference())
        .limits(limits())
        .load(&out)
        .unwrap()
        .dataset;
    assert_eq!(again.profiles, d.profiles);
    assert_eq!(again.opportunities, d.opportunities);
    assert_eq!(again.network.tie_count(), d.network.tie_count());
    let engine = Engine::builder(d).build().unwrap();
    for o in 0..engine.opportunities().len() {
        let o = OpportunityId::new(o as u32);
        assert_eq!(
            engine.candidates(o, 10).unwrap(),
            engine.candidates_brute_force(o, 10).unwrap()
        );
    }
}

/// `load_profiles`: arbitrary bytes as `profiles.jsonl`.
pub fn load_profiles(data: &[u8]) {
    check_loaded(load_with("profiles.jsonl", data));
}

/// `load_opportunities`: arbitrary bytes as `opportunities.json`.
pub fn load_opportunities(data: &[u8]) {
    check_loaded(load_with("opportunities.json", data));
}

/// `load_csv`: the first part of the bytes as `nodes.csv`, the rest (after a 0xFF byte) as
/// `ties.csv`; every tie loaded joins two different nodes with a strength in (0, 1].
pub fn load_csv(data: &[u8]) {
    let cut = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
    let (nodes, ties) = (&data[..cut], data.get(cut + 1..).unwrap_or(&[]));
    let d = scratch("csv");
    std::fs::write(d.join("profiles.jsonl"), PROFILES).unwrap();
    std::fs::write(d.join("opportunities.json"), OPPORTUNITIES).unwrap();
    let mut all_nodes = NODES.as_bytes().to_vec();
    all_nodes.extend_from_slice(nodes);
    std::fs::write(d.join("nodes.csv"), &all_nodes).unwrap();
    let mut all_ties = TIES.as_bytes().to_vec();
    all_ties.extend_from_slice(ties);
    std::fs::write(d.join("ties.csv"), &all_ties).unwrap();
    let loaded = io::Loader::new(reference()).limits(limits()).load(&d);
    if let Ok(l) = &loaded {
        for (a, b, tie) in l.dataset.network.all_ties() {
            assert_ne!(a, b);
            assert!(l.dataset.network.contains(a) && l.dataset.network.contains(b));
            assert!(tie.strength > 0.0 && tie.strength <= 1.0);
        }
    }
    check_loaded(loaded.map(|l| l.dataset));
}

/// `resolve`: arbitrary text. Resolution is deterministic, its numbers are in range, its
/// suggestions are sorted, and the index never finds a worse fuzzy match than the full scan
/// would accept.
pub fn resolve(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if text.chars().count() > limits().string_chars {
        return;
    }
    let r = reference();
    let t = &r.taxonomy;
    let a = t.resolve(&text);
    assert_eq!(a, t.resolve(&text));
    assert!((0.0..=1.0).contains(&a.confidence));
    if let Some(s) = a.skill {
        assert!(s.index() < t.len());
    }
    assert!(
        a.alternatives
            .windows(2)
            .all(|w| w[0].similarity >= w[1].similarity)
    );
    let full = t.resolve_with(
        &text,
        &ResolveOptions {
            strategy: FuzzyStrategy::Exhaustive,
            ..ResolveOptions::default()
        },
    );
    if a.skill.is_some() {
        assert!(full.skill.is_some() && full.confidence >= a.confidence - 1e-6);
    }
}

/// Reads the fuzzer's bytes as small numbers.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.next()) % n.max(1)
    }
    fn unit(&mut self) -> f32 {
        f32::from(self.next()) / 255.0
    }
    /// A weight: usually in `[lo, lo + span]`, one time in eight an extreme finite value
    /// (the largest floats, whose sums overflow; the smallest normal ones; zero).
    fn weight(&mut self, lo: f32, span: f32) -> f32 {
        const EXTREME: [f32; 8] = [
            f32::MAX,
            3e38,
            1.7e38,
            1e30,
            1e-30,
            f32::MIN_POSITIVE,
            0.0,
            1.0,
        ];
        if self.next().is_multiple_of(8) {
            EXTREME[self.below(EXTREME.len())]
        } else {
            lo + self.unit() * span
        }
    }
}

/// Related skills: O*NET groups with their members, and technologies of one category; then
/// five more groups and their members, so that a population can hold more skills than have a
/// signature bit of their own (40).
fn skill_pool(r: &Reference) -> Vec<SkillId> {
    let t = &r.taxonomy;
    let mut out = Vec::new();
    for g in ["onet:2.A.1", "onet:2.A.2", "onet:2.C.4"] {
        if let Some(g) = t.by_key(g) {
            out.push(g);
            out.extend(t.children(g).iter().take(6));
        }
    }
    if let Some(python) = t.resolve("Python").skill {
        let cat = t.parents(python)[0];
        out.push(cat);
        out.extend(t.children(cat).iter().take(6));
    }
    more_skills::add_more_groups(t, &mut out);
    out
}

/// A capital range from a few amounts, or none.
fn amounts(b: &mut Bytes<'_>) -> Option<UsdRange> {
    const AMOUNTS: [f64; 5] = [0.0, 500.0, 20_000.0, 100_000.0, 1e9];
    let (x, y) = (AMOUNTS[b.below(5)], AMOUNTS[b.below(5)]);
    (!b.next().is_multiple_of(2)).then(|| UsdRange::new(x.min(y), x.max(y)).unwrap())
}

/// A few sectors, sections and divisions of one section side by side.
fn sectors(b: &mut Bytes<'_>) -> Vec<Sector> {
    const CODES: [&str; 6] = ["A", "A01", "A02", "Q", "Q86", "E36"];
    let mut out: Vec<Sector> = Vec::new();
    for _ in 0..b.below(3) {
        let s = Sector::parse(CODES[b.below(CODES.len())]).unwrap();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A few goals.
fn goals(b: &mut Bytes<'_>) -> Goals {
    (0..b.below(3))
        .filter_map(|_| Goal::new(1 + b.next() % 17))
        .collect()
}

/// A small dataset, configuration and `k` drawn from bytes.
fn dataset(b: &mut Bytes<'_>) -> (Dataset, MatchConfig, usize) {
    let r = reference();
    let pool = skill_pool(&r);
    let countries = ["GH", "NG", "KE", "DE", "IN", "MX"];
    let languages = ["en", "fr", "tw", "de", "es"];
    let start = Date::from_ymd(2027, 1, 1).unwrap().days();
    let window = |b: &mut Bytes<'_>| {
        (b.next().is_multiple_of(3)).then(|| {
            let from = Date::from_days(start + i32::from(b.next()));
            Window::new(from, Date::from_days(from.days() + i32::from(b.next()))).unwrap()
        })
    };
    let mut d = Dataset::new(r.clone());
    for i in 0..b.below(40) {
        let mut skills: Vec<HeldSkill> = Vec::new();
        for _ in 0..b.below(8) {
            let skill = pool[b.below(pool.len())];
            let level = Level::new(b.next() % 6);
            if skills.iter().all(|h| h.skill != skill) {
                skills.push(HeldSkill {
                    skill,
                    level,
                    years: None,
                });
            }
        }
        let origins = (0..b.below(3))
            .map(|_| Origin {
                country: r.regions.lookup(countries[b.below(6)]).unwrap(),
                generation: Generation::new(1 + b.next() % 3).unwrap(),
            })
            .collect();
        let languages = (0..b.below(3))
            .map(|_| LanguageSkill {
                language: r.languages.lookup(languages[b.below(5)]).unwrap(),
                level: Proficiency::ALL[b.below(7)],
            })
            .collect();
        let e = b.next();
        d.profiles.push(Profile {
            key: format!("p-{i}"),
            skills,
            origins,
            residence: None,
            languages,
            engagements: Engagement::ALL
                .into_iter()
                .enumerate()
                .filter(|(j, _)| e & (1 << j) != 0)
                .map(|(_, x)| x)
                .collect(),
            available: window(b),
            intermediary: b.next().is_multiple_of(2),
            capital: Capital {
                invest: amounts(b),
                donate_per_year: amounts(b),
            },
            interests: Interests {
                sectors: sectors(b),
                causes: goals(b),
            },
        });
        d.profiles[i].residence =
            (!b.next().is_multiple_of(3)).then(|| r.regions.lookup(countries[b.below(6)]).unwrap());
    }
    for p in &d.profiles {
        d.network
            .add_node(&p.key, NodeKind::Person, p.intermediary)
            .unwrap();
    }
    let org = d
        .network
        .add_node("org", NodeKind::Organisation, true)
        .unwrap();
    let n = d.network.node_count();
    for _ in 0..b.below(60) {
        let (x, y) = (b.below(n) as u32, b.below(n) as u32);
        let strength = (f32::from(b.next() % 100) + 1.0) / 100.0;
        if x != y {
            let tie = Tie {
                kind: TieKind::ALL[b.below(6)],
                strength,
            };
            d.network
                .add_tie(NodeId::new(x), NodeId::new(y), tie)
                .unwrap();
        }
    }
    for j in 0..1 + b.below(3) {
        let mut requirements: Vec<Requirement> = Vec::new();
        for _ in 0..1 + b.below(5) {
            let skill = pool[b.below(pool.len())];
            // Now and then a skill required twice, which every path in must refuse.
            if requirements.iter().all(|q| q.skill != skill) || b.next().is_multiple_of(16) {
                requirements.push(Requirement {
                    skill,
                    weight: b.weight(0.1, 3.0),
                    min_level: Level::new(b.next() % 6),
                    must: b.next().is_multiple_of(5),
                });
            }
        }
        d.opportunities.push(Opportunity {
            key: format!("o-{j}"),
            title: String::new(),
            host: org,
            country: r.regions.lookup(countries[b.below(6)]).unwrap(),
            engagement: Engagement::ALL[b.below(7)],
            requirements,
            languages: (0..b.below(3))
                .map(|_| LanguageSkill {
                    language: r.languages.lookup(languages[b.below(5)]).unwrap(),
                    level: Proficiency::ALL[b.below(7)],
                })
                .collect(),
            capacity: 1,
            window: window(b),
            ticket: None,
            gap: None,
            sector: None,
            causes: Default::default(),
            settlement: Vec::new(),
        });
        let o = d.opportunities.last_mut().unwrap();
        // Now and then a ticket or a gap on the wrong kind, or no requirements for work,
        // which every path in must refuse.
        match b.next() % 8 {
            0 => o.requirements.clear(),
            1 | 2 => o.ticket = amounts(b),
            3 | 4 => o.gap = Some(f64::from(b.next()) * 1000.0),
            _ => {}
        }
        if b.next().is_multiple_of(2) {
            o.sector = sectors(b).first().copied();
            o.causes = goals(b);
        }
        if b.next().is_multiple_of(4) {
            o.settlement = vec![r.regions.lookup(countries[b.below(6)]).unwrap()];
        }
    }
    let mut config = MatchConfig::default();
    config.weights.skills = b.weight(0.0, 1.0);
    config.weights.region = b.weight(0.0, 1.0);
    config.weights.network = b.weight(0.0, 1.0);
    config.weights.language = b.weight(0.0, 1.0);
    config.relatedness.max_hops = b.next() % 4;
    config.network_max_hops = b.next() % 5;
    config.min_score = b.unit() * 0.5;
    config.weights.capital = b.weight(0.0, 1.0);
    config.weights.interest = b.weight(0.0, 1.0);
    config.weights.settlement = b.weight(0.0, 1.0);
    if b.next().is_multiple_of(2) {
        // Every kind with the weights above.
        config.kinds.invest = None;
        config.kinds.donate = None;
        config.kinds.tourism = None;
    }
    let k = match b.next() {
        0 => 0,
        255 => 1_000_000_000,
        x => usize::from(x % 50),
    };
    (d, config, k)
}

/// `engine`: a random population, opportunities, configuration and `k`. The index answers
/// exactly as the brute force does, in both directions, before and after an erasure.
pub fn engine(data: &[u8]) {
    let mut b = Bytes(data);
    let (d, config, k) = dataset(&mut b);
    let valid = d.validate().is_ok();
    let Ok(mut engine) = Engine::builder(d).config(config).limits(limits()).build() else {
        // Only what validation refuses: a configuration (weights whose sum overflows) or
        // a dataset (a skill, language or origin listed twice, weights whose sum overflows).
        assert!(config.validate().is_err() || !valid);
        return;
    };
    assert!(valid && config.validate().is_ok());
    let same = |engine: &Engine| {
        for o in 0..engine.opportunities().len() {
            let o = OpportunityId::new(o as u32);
            match (engine.candidates(o, k), engine.candidates_brute_force(o, k)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(_), Err(_)) => assert!(k == 0 || k > limits().k),
                (a, b) => panic!("index {a:?} but brute force {b:?}"),
            }
        }
        for p in 0..engine.profile_count() {
            let p = ProfileId::new(p as u32);
            if let (Ok(a), Ok(b)) = (
                engine.opportunities_for(p, k),
                engine.opportunities_for_brute_force(p, k),
            ) {
                assert_eq!(a, b);
            }
        }
    };
    same(&engine);
    if engine.profile_count() > 0 {
        let victim = ProfileId::new(b.below(engine.profile_count()) as u32);
        engine.remove_profile(victim).unwrap();
        same(&engine);
    }
}

/// `network`: a random graph and queries. Every path returned starts and ends where asked, is
/// a chain of real ties through consenting intermediaries without a repeated node, within
/// the hop limit, with the product of its ties as strength; the k paths come strongest first
/// and the first is as strong as the strongest path.
pub fn network(data: &[u8]) {
    let mut b = Bytes(data);
    let mut n = diaspora_match::Network::new();
    let count = 2 + b.below(20);
    for i in 0..count {
        n.add_node(
            &format!("n{i}"),
            NodeKind::Person,
            !b.next().is_multiple_of(4),
        )
        .unwrap();
    }
    for _ in 0..b.below(80) {
        let (x, y) = (b.below(count) as u32, b.below(count) as u32);
        if x != y {
            let tie = Tie {
                kind: TieKind::ALL[b.below(6)],
                strength: (f32::from(b.next() % 100) + 1.0) / 100.0,
            };
            n.add_tie(NodeId::new(x), NodeId::new(y), tie).unwrap();
        }
    }
    if b.next().is_multiple_of(4) {
        n.remove_node(NodeId::new(b.below(count) as u32)).unwrap();
    }
    for _ in 0..4 {
        let (from, to) = (
            NodeId::new(b.below(count) as u32),
            NodeId::new(b.below(count) as u32),
        );
        let hops = b.next() % 7;
        // Now and then more paths than the network's limit allows.
        let k = if b.next().is_multiple_of(8) {
            b.below(256)
        } else {
            b.below(5)
        };
        let options = ReferralOptions {
            disjoint: b.next().is_multiple_of(2),
        };
        let known = n.contains(from) && n.contains(to);
        let (best, paths) = match (
            n.strongest_path(from, to, hops),
            n.referral_paths(from, to, k, hops, options),
        ) {
            (Ok(best), Ok(paths)) => (best, paths),
            // Unknown (or erased) nodes, and k = 0, are refused; nothing else is.
            (best, paths) => {
                assert_eq!(best.is_err(), !known);
                assert_eq!(paths.is_err(), !known || k == 0 || k > n.limits().paths);
                continue;
            }
        };
        for p in best.iter().chain(&paths) {
            assert_eq!((p.start, p.end()), (from, to));
            assert!(p.hops.len() <= usize::from(hops));
            let nodes: Vec<NodeId> = p.nodes().collect();
            let mut sorted = nodes.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), nodes.len(), "a node repeats");
            let mut product = 1.0f32;
            for (w, h) in nodes.windows(2).zip(&p.hops) {
                assert!(n.ties(w[0]).any(|(v, t)| v == w[1] && t == h.tie));
                product *= h.tie.strength;
            }
            for &mid in nodes.iter().skip(1).take(nodes.len().saturating_sub(2)) {
                assert!(n.is_intermediary(mid));
            }
            assert!((product - p.strength).abs() <= 1e-5);
        }
        assert!(paths.len() <= k);
        assert!(
            paths.windows(2).all(|w| w[0].strength >= w[1].strength),
            "{:?} {options:?} {hops} {k}",
            paths
                .iter()
                .map(|p| (p.strength, p.nodes().collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        );
        if let (Some(best), Some(first)) = (&best, paths.first()) {
            assert!((best.strength - first.strength).abs() <= 1e-6);
        }
        if k > 0 {
            assert_eq!(best.is_some(), !paths.is_empty());
        }
    }
}

/// `assign`: arbitrary bytes as a placement instance in JSON. Placements pair people and
/// opportunities that accept each other, respect every capacity, and the people-proposing
/// stable placement has no blocking pair.
pub fn assign(data: &[u8]) {
    let Ok(rec) = serde_json::from_slice::<InstanceRecord>(data) else {
        return;
    };
    if rec.people.len() + rec.opportunities.len() > 6_000
        || rec
            .people
            .iter()
            .chain(&rec.opportunities)
            .any(|p| p.prefs.len() > 200)
    {
        return;
    }
    let Ok(inst) = Instance::from_record(&rec) else {
        return;
    };
    let accepts = |list: &[diaspora_match::assign::PartyRecord], key: &str, other: &str| {
        list.iter()
            .find(|p| p.key == key)
            .is_some_and(|p| p.prefs.iter().any(|x| x == other))
    };
    let check = |a: &assign::Assignment| {
        let mut per_person = std::collections::HashMap::new();
        let mut per_opp = std::collections::HashMap::new();
        for pl in &a.placements {
            let (pk, ok) = (
                inst.person_key(pl.person),
                inst.opportunity_key(pl.opportunity),
            );
            assert!(accepts(&rec.people, pk, ok) && accepts(&rec.opportunities, ok, pk));
            *per_person.entry(pk).or_insert(0u32) += 1;
            *per_opp.entry(ok).or_insert(0u32) += 1;
        }
        for p in &rec.people {
            assert!(per_person.get(p.key.as_str()).copied().unwrap_or(0) <= p.capacity);
        }
        for o in &rec.opportunities {
            assert!(per_opp.get(o.key.as_str()).copied().unwrap_or(0) <= o.capacity);
        }
    };
    if let Ok(a) = assign::stable(&inst, Proposer::People) {
        check(&a);
        assert!(a.blocking_pairs(&inst).is_empty());
    }
    if let Ok(a) = assign::stable(&inst, Proposer::Opportunities) {
        check(&a);
    }
    let mut placed = Vec::new();
    if let Ok(a) = assign::stable(&inst, Proposer::People) {
        placed.push(a.placements.len());
    }
    for objective in [Objective::TotalScore, Objective::MostPlacedThenScore] {
        if let Ok(a) = assign::optimal(&inst, objective) {
            check(&a);
            placed.push(a.placements.len());
        }
    }
    // The most placed is a maximum: no other placement fills more places (capacities of
    // u32::MAX included).
    if let Ok(most) = assign::optimal(&inst, Objective::MostPlacedThenScore) {
        assert!(placed.iter().all(|&n| n <= most.placements.len()));
    }
}

/// `privacy`: a profile record with a marker planted in every field (as text, after an
/// escaped quote, before control characters, as a long number, inside a list), shaped and
/// cut by the bytes. The loader refuses it, and the marker never appears in the error's
/// `Display` or `Debug`.
pub fn privacy(data: &[u8]) {
    const MARKER: &str = "zqmarkerzq";
    const NUMBER: u64 = 23_324_412_345;
    let mut b = Bytes(data);
    let mut plant = |valid: serde_json::Value| match b.next() % 7 {
        0 => serde_json::json!(MARKER),
        1 => serde_json::json!(format!("4 \" {MARKER} \\")),
        2 => serde_json::json!(format!("{MARKER}\n\u{1b}[31m\u{202e}")),
        3 => serde_json::json!(NUMBER),
        4 => serde_json::json!([MARKER, NUMBER]),
        5 => serde_json::json!({ MARKER: NUMBER }),
        _ => valid,
    };
    let record = serde_json::json!({
        "key": "p-9",
        "skills": [{"skill": MARKER, "level": plant(serde_json::json!(3)), "years": plant(serde_json::json!(4))}],
        "origins": [{"country": plant(serde_json::json!("GH")), "generation": plant(serde_json::json!(1))}],
        "residence": plant(serde_json::json!("GB")),
        "languages": [{"language": plant(serde_json::json!("en")), "level": plant(serde_json::json!("B2"))}],
        "engagements": [plant(serde_json::json!("remote"))],
        "available": {"from": plant(serde_json::json!("2027-01-01")), "to": plant(serde_json::json!("2027-06-30"))},
        "intermediary": plant(serde_json::json!(true)),
    });
    let mut line = record.to_string().into_bytes();
    match b.next() % 4 {
        // A line cut short, or with the fuzzer's own bytes spliced in.
        0 => line.truncate(b.below(line.len())),
        1 => {
            let at = b.below(line.len());
            let rest = b.0.to_vec();
            // Spliced bytes that spell a marker themselves (say, inside the key, which is
            // printed by design) prove nothing.
            let text = String::from_utf8_lossy(&rest);
            if text.contains(MARKER) || text.contains(&NUMBER.to_string()) {
                return;
            }
            line.splice(at..at, rest);
        }
        _ => {}
    }
    line.push(b'\n');
    // Splicing can turn the record into one that loads (the marker skill name broken into
    // text that resolves); only errors are checked.
    let Err(e) = load_with("profiles.jsonl", &line) else {
        return;
    };
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains(MARKER), "{shown}");
        assert!(!shown.contains(&NUMBER.to_string()), "{shown}");
    }
}

/// The engine of the base dataset and its snapshot.
fn base_snapshot() -> &'static (Engine, Vec<u8>) {
    static S: OnceLock<(Engine, Vec<u8>)> = OnceLock::new();
    S.get_or_init(|| {
        let d = load_with("", b"").unwrap();
        let engine = Engine::builder(d).build().unwrap();
        let path = scratch("snapshot").join("base.snapshot");
        engine.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        (engine, bytes)
    })
}

/// `snapshot`: the reader never panics. The first byte chooses: the fuzzer's bytes as a whole
/// file, or the base engine's snapshot with bytes of one section replaced by the fuzzer's and
/// its checksum made right again (so that the reader's checks of the values are reached).
/// An engine that opens answers every candidate list as its own brute force does.
pub fn snapshot(data: &[u8]) {
    let (_, base) = base_snapshot();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let mut b = base.clone();
        // The sections' bounds: a 16-byte header, then per section 16 bytes and the payload.
        let mut bounds = Vec::new();
        let mut at = 16;
        while at + 16 <= b.len() {
            let len = u64::from_le_bytes(b[at + 4..at + 12].try_into().unwrap()) as usize;
            bounds.push((at + 16, at + 16 + len));
            at += 16 + len;
        }
        let (start, end) = bounds[usize::from(mode / 2) % bounds.len()];
        // Pairs (offset, byte) written into the payload.
        for pair in rest.chunks_exact(3) {
            let off = usize::from(u16::from_le_bytes([pair[0], pair[1]]));
            if end > start {
                b[start + off % (end - start)] = pair[2];
            }
        }
        let crc = crc32fast::hash(&b[start..end]);
        b[start - 4..start].copy_from_slice(&crc.to_le_bytes());
        b
    };
    if let Ok(engine) = Engine::open_bytes(&bytes, reference()) {
        for o in 0..engine.opportunities().len() {
            let o = OpportunityId::new(o as u32);
            assert_eq!(
                engine.candidates(o, 10).unwrap(),
                engine.candidates_brute_force(o, 10).unwrap()
            );
        }
        for p in engine.profile_ids() {
            let _ = engine.profile(p).unwrap();
        }
    }
}
