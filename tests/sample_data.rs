//! The shipped sample data is exactly what the documented synth command produces.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;

use diaspora_match::{io, synth};

#[test]
fn regenerating_the_sample_gives_the_committed_files() {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    // The command in data/README.md uses these values, which are SynthConfig's defaults.
    let config = synth::SynthConfig {
        profiles: 300,
        opportunities: 40,
        ties: 1000,
        seed: 2024,
    };
    assert_eq!(config, synth::SynthConfig::default());
    let dataset = synth::generate(reference.clone(), &tables, &config).unwrap();
    dataset.validate().unwrap();
    let out = std::env::temp_dir().join(format!("diaspora-match-sample-{}", std::process::id()));
    io::write_dataset(&out, &dataset).unwrap();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    for f in [
        "profiles.jsonl",
        "opportunities.json",
        "nodes.csv",
        "ties.csv",
    ] {
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
fn generation_follows_the_corridors_and_is_seeded() {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig {
        profiles: 20_000,
        opportunities: 10,
        ties: 1_000,
        seed: 11,
    };
    let d = synth::generate(reference.clone(), &tables, &config).unwrap();
    let other = synth::generate(
        reference.clone(),
        &tables,
        &synth::SynthConfig { seed: 12, ..config },
    )
    .unwrap();
    assert_ne!(d.profiles, other.profiles);
    // The largest corridor (Mexico -> United States, 11.3 M of 281.9 M migrants with a known
    // origin: 4.0 %) is drawn at about that share: within ±0.6 points at n = 20,000
    // (more than four standard deviations).
    let (mx, us) = (
        reference.regions.lookup("MX").unwrap(),
        reference.regions.lookup("US").unwrap(),
    );
    let share = d
        .profiles
        .iter()
        .filter(|p| p.origins[0].country == mx && p.residence == Some(us))
        .count() as f64
        / 20_000.0;
    let total: u64 = tables.corridors.iter().map(|c| c.2).sum();
    let expected = tables
        .corridors
        .iter()
        .find(|c| c.0 == mx && c.1 == us)
        .unwrap()
        .2 as f64
        / total as f64;
    assert!((share - expected).abs() < 0.006, "{share} vs {expected}");
    // Every profile has skills from the taxonomy and at least one accepted engagement.
    assert!(
        d.profiles
            .iter()
            .all(|p| !p.skills.is_empty() && !p.engagements.is_empty())
    );
}
