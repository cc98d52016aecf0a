#![allow(missing_docs, clippy::unwrap_used)]
use std::sync::Arc;
use diaspora_match::{Engine, OpportunityId, io, synth};
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir).unwrap());
    let tables = synth::SourceTables::load(&dir, &reference).unwrap();
    let config = synth::SynthConfig { profiles: n, opportunities: 1000, ties: n * std::env::var("TIES").ok().and_then(|t| t.parse::<usize>().ok()).unwrap_or(10), seed: 7, skills_per_profile: Some(20), requirements_per_opportunity: Some(8) };
    let t = std::time::Instant::now();
    let d = synth::generate(reference, &tables, &config).unwrap();
    eprintln!("gen {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let e = Engine::builder(d).build().unwrap();
    eprintln!("build {:?}", t.elapsed());
    for o in 1..4u32 {
        let t = std::time::Instant::now();
        let r = e.candidates(OpportunityId::new(o), 100).unwrap();
        eprintln!("query {o}: {:?} top {:?} last {:?}", t.elapsed(), r.first().map(|m| m.score), r.last().map(|m| m.score));
    }
}
