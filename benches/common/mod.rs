//! The registry the index benches (`rank`, `related`) search: `synth` with seed 7 on the
//! shipped reference data, 20 skills and one tie per profile, 1,000 opportunities of 8
//! requirements (7 skills and a technology), their requirements as broad as `breadth` says.

use std::sync::Arc;

use diaspora_match::{Dataset, io, synth};

pub fn registry(profiles: usize, breadth: synth::Breadth) -> Dataset {
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig {
        profiles,
        opportunities: 1000,
        ties: profiles,
        seed: 7,
        skills_per_profile: Some(20),
        requirements_per_opportunity: Some(8),
        breadth,
    };
    synth::generate(reference, &tables, &config).unwrap()
}
