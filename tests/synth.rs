//! Synthetic populations: the shipped sample is what the documented command produces,
//! streaming equals building in memory, the same on any thread count, and the draws follow
//! the real tables.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use diaspora_match::synth::{self, Population, Stage, SynthConfig};
use diaspora_match::{ErrorKind, NodeKind, Reference, io};

fn setup() -> (Arc<Reference>, synth::SourceTables) {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    (reference, tables)
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "diaspora-match-synth-{}-{name}",
        std::process::id()
    ))
}

const FILES: [&str; 4] = [
    "profiles.jsonl",
    "opportunities.json",
    "nodes.csv",
    "ties.csv",
];

#[test]
fn regenerating_the_sample_gives_the_committed_files() {
    let (reference, tables) = setup();
    // The command in data/README.md uses these values, which are SynthConfig's defaults.
    let config = SynthConfig {
        profiles: 300,
        opportunities: 50,
        ties: 1000,
        seed: 2024,
        ..Default::default()
    };
    assert_eq!(config, SynthConfig::default());
    let out = temp("sample");
    Population::new(reference.clone(), &tables, config)
        .unwrap()
        .write(&out, |_| true)
        .unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    for f in FILES {
        let (a, b) = (
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(shipped.join(f)).unwrap(),
        );
        assert!(
            a == b,
            "data/sample/{f} differs from the generator's output; regenerate it with the command in data/README.md"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    // And every generated record passes the loader.
    io::load_dataset(&shipped, reference).unwrap();
}

#[test]
fn streaming_writes_exactly_the_in_memory_dataset() {
    let (reference, tables) = setup();
    // More than one chunk of profiles (4,096) and of ties (65,536).
    let config = SynthConfig {
        profiles: 9_000,
        opportunities: 120,
        ties: 140_000,
        seed: 3,
        ..Default::default()
    };
    let population = Population::new(reference.clone(), &tables, config).unwrap();
    let (streamed, written) = (temp("streamed"), temp("written"));
    let mut stages = Vec::new();
    population
        .write(&streamed, |p| {
            assert!(p.done <= p.total);
            stages.push(p.stage);
            true
        })
        .unwrap();
    assert_eq!(stages.first(), Some(&Stage::Profiles));
    assert_eq!(stages.last(), Some(&Stage::Ties));
    let dataset = population.generate().unwrap();
    dataset.validate().unwrap();
    io::write_dataset(&written, &dataset).unwrap();
    for f in FILES {
        assert!(
            std::fs::read(streamed.join(f)).unwrap() == std::fs::read(written.join(f)).unwrap(),
            "{f} differs"
        );
    }
    let loaded = io::load_dataset(&streamed, reference).unwrap();
    assert_eq!(loaded.profiles, dataset.profiles);
    assert_eq!(loaded.network.tie_count(), 140_000);
    let _ = std::fs::remove_dir_all(&streamed);
    let _ = std::fs::remove_dir_all(&written);
}

#[test]
fn the_progress_callback_can_cancel() {
    let (reference, tables) = setup();
    let config = SynthConfig {
        profiles: 200_000,
        opportunities: 10,
        ties: 10,
        seed: 1,
        ..Default::default()
    };
    let out = temp("cancel");
    let mut calls = 0;
    let e = Population::new(reference, &tables, config)
        .unwrap()
        .write(&out, |_| {
            calls += 1;
            false
        })
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Cancelled));
    assert_eq!(calls, 1);
    let _ = std::fs::remove_dir_all(&out);
}

#[cfg(feature = "rayon")]
#[test]
fn the_same_population_on_one_thread_and_on_a_pool() {
    let (reference, tables) = setup();
    let config = SynthConfig {
        profiles: 10_000,
        opportunities: 50,
        ties: 80_000,
        seed: 5,
        ..Default::default()
    };
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let d = synth::generate(reference.clone(), &tables, &config).unwrap();
                (
                    d.profiles,
                    d.opportunities,
                    d.network.all_ties().collect::<Vec<_>>(),
                )
            })
    };
    assert!(run(1) == run(4));
}

/// At n = 100,000 the draws follow the source tables.
#[test]
fn draws_follow_the_real_distributions() {
    let (reference, tables) = setup();
    let n = 100_000;
    let config = SynthConfig {
        profiles: n,
        opportunities: 2_000,
        ties: 1_000_000,
        seed: 42,
        ..Default::default()
    };
    let d = synth::generate(reference.clone(), &tables, &config).unwrap();
    let total: u64 = tables.corridors.iter().map(|c| c.2).sum();

    // Origin countries: every country with at least 1 % of the world's migrants is drawn at
    // its UN share within ±0.3 points (binomial standard deviation at 1 %: 0.03 points; at 5 %:
    // 0.07 points, so this is more than four deviations).
    let mut expected: HashMap<_, f64> = HashMap::new();
    for c in &tables.corridors {
        *expected.entry(c.0).or_default() += c.2 as f64 / total as f64;
    }
    let mut drawn: HashMap<_, f64> = HashMap::new();
    for p in &d.profiles {
        *drawn.entry(p.origins[0].country).or_default() += 1.0 / n as f64;
    }
    let big: Vec<_> = expected.iter().filter(|(_, s)| **s >= 0.01).collect();
    assert!(big.len() >= 15, "{}", big.len());
    for (c, s) in big {
        let got = drawn.get(c).copied().unwrap_or(0.0);
        assert!(
            (got - s).abs() < 0.003,
            "{}: {got} vs {s}",
            reference.regions.name(*c)
        );
    }
    // The ten largest corridors likewise.
    let mut corridors = tables.corridors.clone();
    corridors.sort_by_key(|c| std::cmp::Reverse(c.2));
    for &(o, r, s) in &corridors[..10] {
        let got = d
            .profiles
            .iter()
            .filter(|p| p.origins[0].country == o && p.residence == Some(r))
            .count() as f64
            / n as f64;
        let want = s as f64 / total as f64;
        assert!(
            (got - want).abs() < 0.003,
            "{} -> {}: {got} vs {want}",
            reference.regions.name(o),
            reference.regions.name(r)
        );
    }

    // Generations: about 72 / 21 / 7 %.
    let gen_share = |g: u8| {
        d.profiles
            .iter()
            .filter(|p| p.origins[0].generation.get() == g)
            .count() as f64
            / n as f64
    };
    assert!(
        (gen_share(1) - 0.72).abs() < 0.01
            && (gen_share(2) - 0.21).abs() < 0.01
            && (gen_share(3) - 0.07).abs() < 0.01
    );

    // Skills: 6 to 15 rated O*NET skills, plus 1 to 4 technologies (some draws repeat), every
    // one a skill of the taxonomy.
    let counts: Vec<usize> = d.profiles.iter().map(|p| p.skills.len()).collect();
    assert!(
        counts.iter().all(|&c| (5..=19).contains(&c)),
        "{:?}",
        counts.iter().max()
    );
    let mean = counts.iter().sum::<usize>() as f64 / n as f64;
    assert!((11.0..14.0).contains(&mean), "{mean}");
    assert!(
        d.profiles
            .iter()
            .flat_map(|p| &p.skills)
            .all(|s| s.skill.index() < reference.taxonomy.len())
    );

    // Ties: heavy-tailed degrees. The mean degree is 2 × ties / nodes (about 18); the
    // busiest 1 % of people hold far more than 1 % of tie ends, and the largest degree is many
    // times the mean.
    let net = &d.network;
    let mut degrees: Vec<usize> = net
        .nodes()
        .filter(|&x| net.kind(x) == Some(NodeKind::Person))
        .map(|x| net.degree(x))
        .collect();
    degrees.sort_unstable_by(|a, b| b.cmp(a));
    let ends: usize = degrees.iter().sum();
    let top: usize = degrees[..degrees.len() / 100].iter().sum();
    let mean = ends as f64 / degrees.len() as f64;
    assert!(
        top as f64 / ends as f64 > 0.05,
        "top 1 % hold {}",
        top as f64 / ends as f64
    );
    assert!(
        degrees[0] as f64 > 10.0 * mean,
        "max {} mean {mean}",
        degrees[0]
    );
    // Every kind of tie is drawn.
    let mut kinds: Vec<_> = net.all_ties().map(|t| t.2.kind).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 6);

    // Opportunities go to origin countries, least developed ones more often than their
    // diaspora alone would give.
    let ldc_share_opps = d
        .opportunities
        .iter()
        .filter(|o| reference.regions.is_least_developed(o.country))
        .count() as f64
        / 2000.0;
    let ldc_share_diaspora: f64 = expected
        .iter()
        .filter(|(c, _)| reference.regions.is_least_developed(**c))
        .map(|(_, s)| s)
        .sum();
    assert!(
        ldc_share_opps > ldc_share_diaspora * 1.3,
        "{ldc_share_opps} vs {ldc_share_diaspora}"
    );
}

/// The sample's work opportunities ask for what their occupation specifically needs: at
/// least half of each one's requirement weight lies on skills that are important for fewer
/// than a fifth of occupations; and for nine in ten at least, the best candidate holds (or
/// holds a narrower or related skill of) one of those.
#[test]
fn sample_work_opportunities_ask_for_specific_skills_and_find_holders() {
    use diaspora_match::{Engagement, Engine};
    let (reference, tables) = setup();
    let d = io::load_dataset(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
        reference,
    )
    .unwrap();
    let work = [
        Engagement::ReturnPermanent,
        Engagement::ReturnTemporary,
        Engagement::Visit,
        Engagement::Remote,
    ];
    let engine = Engine::builder(d.clone()).build().unwrap();
    let (mut checked, mut held) = (0, 0);
    for (j, o) in d.opportunities.iter().enumerate() {
        if !work.contains(&o.engagement) {
            continue;
        }
        let total: f32 = o.requirements.iter().map(|r| r.weight).sum();
        let specific: f32 = o
            .requirements
            .iter()
            .filter(|r| tables.is_specific(r.skill))
            .map(|r| r.weight)
            .sum();
        assert!(
            specific >= 0.5 * total,
            "{}: {specific} of {total} on specific skills",
            o.key
        );
        checked += 1;
        let o_id = diaspora_match::OpportunityId::new(j as u32);
        if let Some(best) = engine.candidates(o_id, 1).unwrap().first() {
            let why = engine.explain(best.profile, o_id).unwrap();
            held += usize::from(
                why.requirements
                    .iter()
                    .any(|c| tables.is_specific(c.requirement.skill) && c.credit > 0.0),
            );
        }
    }
    assert!(checked >= 25, "{checked} work opportunities");
    // A registry of 300 cannot hold someone of every occupation: nine in ten at least.
    println!("best candidates holding a specific requirement: {held} of {checked}");
    assert!(
        held as f64 >= 0.9 * checked as f64,
        "best candidates holding a specific requirement: {held} of {checked}"
    );
}

/// Opportunities that are no work assignment go to occupations that make sense for them.
#[test]
fn investment_philanthropy_and_tourism_pair_with_suitable_occupations() {
    use diaspora_match::Engagement;
    let (reference, tables) = setup();
    let config = SynthConfig {
        profiles: 50,
        opportunities: 400,
        ties: 50,
        seed: 11,
        ..SynthConfig::default()
    };
    let d = synth::generate(reference, &tables, &config).unwrap();
    let title_of = |code: &str| {
        tables
            .occupations
            .iter()
            .find(|o| o.code == code)
            .map(|o| o.title.clone())
    };
    let mut seen = 0;
    for o in &d.opportunities {
        let suited: &[&str] = match o.engagement {
            Engagement::Invest => &["11-", "13-", "17-"],
            Engagement::Donate => &["21-", "25-", "29-"],
            Engagement::Tourism => &["35-", "39-7", "39-9", "11-9051", "11-9081", "41-3041"],
            _ => continue,
        };
        seen += 1;
        let ok = tables.occupations.iter().any(|occ| {
            o.title.starts_with(&format!("{} (", occ.title))
                && suited.iter().any(|p| occ.code.starts_with(p))
        });
        assert!(ok, "{:?} {}: {:?}", o.engagement, o.title, title_of(""));
    }
    assert!(seen >= 20, "{seen}");
}

/// Broad requirements name a broader concept of what was drawn: the same opportunities as
/// drawn, their requirements (every second one, or every one) moved up one level to an entry
/// with narrower skills, none named twice.
#[test]
fn broad_requirements_move_up_to_concepts_with_narrower_skills() {
    let (reference, tables) = setup();
    let t = &reference.taxonomy;
    let draw = |breadth| {
        let config = SynthConfig {
            profiles: 50,
            opportunities: 200,
            ties: 0,
            seed: 5,
            breadth,
            ..Default::default()
        };
        synth::generate(reference.clone(), &tables, &config).unwrap()
    };
    let drawn = draw(synth::Breadth::AsDrawn);
    let mut moved = 0;
    let mut labels: HashMap<String, usize> = HashMap::new();
    for (breadth, step) in [(synth::Breadth::Half, 2), (synth::Breadth::All, 1)] {
        let broad = draw(breadth);
        assert_eq!(broad.profiles, drawn.profiles);
        for (a, b) in drawn.opportunities.iter().zip(&broad.opportunities) {
            assert_eq!(
                (&a.key, a.country, a.engagement),
                (&b.key, b.country, b.engagement)
            );
            let mut seen = std::collections::HashSet::new();
            for r in &b.requirements {
                assert!(seen.insert(r.skill), "{} names a skill twice", b.key);
            }
            for (i, r) in a.requirements.iter().enumerate() {
                let kept = b.requirements.iter().find(|q| q.skill == r.skill);
                let up = b
                    .requirements
                    .iter()
                    .find(|q| t.parents(r.skill).contains(&q.skill));
                if (i + 1) % step == 0 && !t.parents(r.skill).is_empty() {
                    let up = up.expect("a broad requirement names a broader entry");
                    assert!(!t.children(up.skill).is_empty());
                    *labels.entry(t.label(up.skill).to_string()).or_default() += 1;
                    moved += 1;
                } else {
                    assert!(
                        kept.is_some() || up.is_some(),
                        "{} lost a requirement",
                        b.key
                    );
                }
            }
        }
    }
    assert!(moved > 1000, "only {moved} requirements moved up");
    // The concepts the bench's doc names are among the broad ones drawn.
    for name in ["Content", "Social Skills", "Medical software"] {
        assert!(
            labels.contains_key(name),
            "{name} is never drawn: {labels:?}"
        );
    }
}
