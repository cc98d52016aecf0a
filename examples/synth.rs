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

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use diaspora_match::{io, synth};
use indicatif::{ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = synth::SynthConfig::default();
    let mut ties = None;
    let mut out = None;
    let mut reference_dir = io::bundled_reference_dir();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--profiles" => config.profiles = value()?.parse()?,
            "--opportunities" => config.opportunities = value()?.parse()?,
            "--ties" => ties = Some(value()?.parse()?),
            "--seed" => config.seed = value()?.parse()?,
            "--skills" => config.skills_per_profile = Some(value()?.parse()?),
            "--requirements" => config.requirements_per_opportunity = Some(value()?.parse()?),
            "--out" => out = Some(value()?),
            "--reference" => reference_dir = value()?.into(),
            "--help" | "-h" => {
                println!(
                    "usage: synth [--profiles N] [--opportunities N] [--ties N] [--seed N] [--skills N] [--requirements N] [--reference DIR] --out DIR"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    config.ties = ties.unwrap_or(config.profiles * 10);
    let out = out.ok_or("--out DIR is required")?;
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
