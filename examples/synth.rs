//! Generates a synthetic diaspora dataset from the real reference tables and writes it in the
//! format `io` loads.
//!
//! ```text
//! cargo run --release --example synth -- --profiles 300 --opportunities 40 --ties 1000 --seed 2024 --out data/sample
//! ```
//!
//! The command above regenerates the shipped sample data byte for byte.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use diaspora_match::{io, synth};

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
    let mut out = None;
    let mut reference_dir = io::bundled_reference_dir();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--profiles" => config.profiles = value()?.parse()?,
            "--opportunities" => config.opportunities = value()?.parse()?,
            "--ties" => config.ties = value()?.parse()?,
            "--seed" => config.seed = value()?.parse()?,
            "--out" => out = Some(value()?),
            "--reference" => reference_dir = value()?.into(),
            "--help" | "-h" => {
                println!(
                    "usage: synth [--profiles N] [--opportunities N] [--ties N] [--seed N] [--reference DIR] --out DIR"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    let reference = Arc::new(io::load_reference(&reference_dir)?);
    let tables = synth::SourceTables::load(&reference_dir, &reference)?;
    let t = Instant::now();
    let dataset = synth::generate(reference, &tables, &config)?;
    let generated = t.elapsed();
    io::write_dataset(&out, &dataset)?;
    println!(
        "{} profiles, {} opportunities, {} nodes, {} ties generated in {:.2?} (seed {}), written to {out}",
        dataset.profiles.len(),
        dataset.opportunities.len(),
        dataset.network.node_count(),
        dataset.network.tie_count(),
        generated,
        config.seed
    );
    Ok(())
}
