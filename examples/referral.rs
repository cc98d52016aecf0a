//! Who can introduce whom: the strongest referral paths between two people or organisations.
//!
//! ```text
//! cargo run --release --example referral -- --from p-000075 --to org-0001 --k 3
//! cargo run --release --example referral -- --from p-000075 --to org-0001 --disjoint --dot paths.dot
//! ```
//!
//! Prints the paths with their tie kinds and strengths, the path with the fewest ties, and
//! writes the paths as Graphviz DOT (default `referral.dot`; view with `dot -Tpng`). Options:
//! `--data DIR`, `--reference DIR`, `--hops N` (default 3).

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use diaspora_match::{ReferralOptions, io};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("sample");
    let mut reference = io::bundled_reference_dir();
    let (mut from, mut to, mut k, mut hops) = (None, None, 3usize, 3u8);
    let mut options = ReferralOptions::default();
    let mut dot = PathBuf::from("referral.dot");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => data = value()?.into(),
            "--reference" => reference = value()?.into(),
            "--from" => from = Some(value()?),
            "--to" => to = Some(value()?),
            "--k" => {
                k = value()?
                    .parse()
                    .map_err(|_| "--k needs a positive number")?
            }
            "--hops" => {
                hops = value()?
                    .parse()
                    .map_err(|_| "--hops needs a number from 1 to 255")?
            }
            "--disjoint" => options.disjoint = true,
            "--dot" => dot = value()?.into(),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let (from, to) = (
        from.ok_or("--from KEY is required")?,
        to.ok_or("--to KEY is required")?,
    );
    let reference = Arc::new(io::load_reference(&reference)?);
    let dataset = io::load_dataset(&data, reference)?;
    let net = &dataset.network;
    let a = net
        .node(&from)
        .ok_or_else(|| format!("no profile or node has the key {from:?}"))?;
    let b = net
        .node(&to)
        .ok_or_else(|| format!("no profile or node has the key {to:?}"))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let t = Instant::now();
    let paths = net.referral_paths(a, b, k, hops, options)?;
    let elapsed = t.elapsed();
    writeln!(
        out,
        "{} referral path(s) from {from} to {to} within {hops} ties{} ({elapsed:.1?}):",
        paths.len(),
        if options.disjoint {
            ", sharing no intermediary"
        } else {
            ""
        }
    )?;
    for (i, p) in paths.iter().enumerate() {
        writeln!(
            out,
            "  {}. strength {:.3}: {}",
            i + 1,
            p.strength,
            net.describe(p)
        )?;
    }
    match net.fewest_hops(a, b)? {
        Some(p) => writeln!(
            out,
            "fewest ties: {} ({} ties, strength {:.3})",
            net.describe(&p),
            p.hops.len(),
            p.strength
        )?,
        None => writeln!(
            out,
            "fewest ties: not connected through people who agreed to introduce"
        )?,
    }
    std::fs::write(&dot, net.to_dot(&paths)).map_err(|e| format!("{}: {e}", dot.display()))?;
    writeln!(out, "wrote {}", dot.display())?;
    out.flush()?;
    Ok(())
}
