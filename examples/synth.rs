//! Generates a synthetic diaspora population from the real reference tables and writes it in
//! the format `io` loads, with a progress bar.
//!
//! ```text
//! cargo run --release --example synth -- --profiles 1000000 --opportunities 1000 --seed 7 --out DIR
//! cargo run --release --example synth -- --profiles 300 --opportunities 50 --ties 1000 --seed 2024 --out data/sample
//! ```
//!
//! The second command regenerates the shipped sample data byte for byte. `--ties` defaults to
//! ten per profile.

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use common::AnyError;
use diaspora_match::{io, synth};
use indicatif::{ProgressBar, ProgressStyle};

/// Generates a synthetic diaspora population from the real reference tables.
#[derive(Parser)]
#[command(name = "synth")]
struct Args {
    /// Profiles to generate.
    #[arg(long, value_name = "N", default_value_t = synth::SynthConfig::default().profiles)]
    profiles: usize,
    /// Opportunities to generate.
    #[arg(long, value_name = "N", default_value_t = synth::SynthConfig::default().opportunities)]
    opportunities: usize,
    /// Ties to generate (default: ten per profile).
    #[arg(long, value_name = "N")]
    ties: Option<usize>,
    /// The seed.
    #[arg(long, value_name = "N", default_value_t = synth::SynthConfig::default().seed)]
    seed: u64,
    /// Skills per profile (default: drawn).
    #[arg(long, value_name = "N")]
    skills: Option<usize>,
    /// Requirements per opportunity (default: drawn).
    #[arg(long, value_name = "N")]
    requirements: Option<usize>,
    /// A reference data folder instead of the crate's own.
    #[arg(long, value_name = "DIR")]
    reference: Option<PathBuf>,
    /// The folder to write.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

fn run(args: Args) -> Result<(), AnyError> {
    let config = synth::SynthConfig {
        profiles: args.profiles,
        opportunities: args.opportunities,
        ties: args.ties.unwrap_or(args.profiles.saturating_mul(10)),
        seed: args.seed,
        skills_per_profile: args.skills,
        requirements_per_opportunity: args.requirements,
        ..synth::SynthConfig::default()
    };
    let reference_dir = args
        .reference
        .clone()
        .unwrap_or_else(io::bundled_reference_dir);
    let out = args.out.display().to_string();
    let reference = Arc::new(io::load_reference(&reference_dir)?);
    let tables = synth::SourceTables::load(&reference_dir, &reference)?;
    let population = synth::Population::new(reference, &tables, config)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>13} [{bar:40}] {pos}/{len} ({elapsed})")?
            .progress_chars("=> "),
    );
    let t = Instant::now();
    population.write(&out, |p| {
        bar.set_message(p.stage.to_string());
        bar.set_length(p.total);
        bar.set_position(p.done);
        true
    })?;
    bar.finish_and_clear();
    println!(
        "{} profiles, {} opportunities, {} ties (seed {}) written to {out} in {:.2?}",
        config.profiles,
        config.opportunities,
        config.ties,
        config.seed,
        t.elapsed()
    );
    Ok(())
}
