//! Who can introduce whom: the strongest referral paths between two people or organisations.
//!
//! ```text
//! cargo run --release --example referral -- --from p-000075 --to org-0001 --k 3
//! cargo run --release --example referral -- --from p-000075 --to org-0001 --disjoint --dot paths.dot
//! ```
//!
//! Prints the paths with their tie kinds and strengths, the path with the fewest ties, and
//! writes the paths as Graphviz DOT (default `referral.dot`; view with `dot -Tpng`). Options:
//! `--data DIR`, `--reference DIR`, `--hops N` (default 3), `--format text|json|csv`, `--out
//! FILE`.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use common::{AnyError, Format};
use diaspora_match::{Engine, NodeId, Path, ReferralOptions};
use serde::Serialize;

/// Who can introduce whom: the strongest referral paths between two people or organisations.
#[derive(Parser)]
#[command(name = "referral")]
struct Args {
    #[command(flatten)]
    data: common::Data,
    /// Where the paths start: a profile's or a node's key.
    #[arg(long, value_name = "KEY")]
    from: String,
    /// Where they end.
    #[arg(long, value_name = "KEY")]
    to: String,
    /// How many paths.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    k: u32,
    /// The most ties on a path.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..))]
    hops: u8,
    /// Paths that share no intermediary.
    #[arg(long)]
    disjoint: bool,
    /// The Graphviz DOT file of the paths (view with `dot -Tpng`).
    #[arg(long, value_name = "FILE", default_value = "referral.dot")]
    dot: PathBuf,
    #[command(flatten)]
    output: common::Output,
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

/// The paths found, and the one with the fewest ties.
#[derive(Serialize)]
struct Found<'a> {
    from: &'a str,
    to: &'a str,
    hops: u8,
    disjoint: bool,
    paths: Vec<diaspora_match::WithKeys<'a, Path>>,
    fewest_ties: Option<diaspora_match::WithKeys<'a, Path>>,
}

fn node(engine: &Engine, flag: &str, key: &str) -> Result<NodeId, AnyError> {
    engine
        .network()
        .node(key)
        .ok_or_else(|| format!("{flag}: no profile or node has the key {key:?}").into())
}

fn run(args: Args) -> Result<(), AnyError> {
    let engine = args.data.engine()?;
    let net = engine.network();
    let (a, b) = (
        node(&engine, "--from", &args.from)?,
        node(&engine, "--to", &args.to)?,
    );
    let options = ReferralOptions {
        disjoint: args.disjoint,
    };
    let t = Instant::now();
    let paths = net.referral_paths(a, b, args.k as usize, args.hops, options)?;
    let elapsed = t.elapsed();
    let fewest = net.fewest_hops(a, b)?;
    let mut out = args.output.writer()?;
    match args.output.format {
        Format::Text => text(&mut out, &engine, &args, &paths, fewest.as_ref(), elapsed)?,
        Format::Json => {
            let found = Found {
                from: &args.from,
                to: &args.to,
                hops: args.hops,
                disjoint: args.disjoint,
                paths: paths.iter().map(|p| engine.with_keys(p)).collect(),
                fewest_ties: fewest.as_ref().map(|p| engine.with_keys(p)),
            };
            serde_json::to_writer_pretty(&mut out, &found)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["rank", "strength", "ties", "path"])?;
            for (i, p) in paths.iter().enumerate() {
                let row = [
                    (i + 1).to_string(),
                    format!("{:.6}", p.strength),
                    p.hops.len().to_string(),
                    net.describe(p),
                ];
                w.write_record(row)?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    std::fs::write(&args.dot, net.to_dot(&paths))
        .map_err(|e| format!("--dot {}: {e}", args.dot.display()))?;
    eprintln!("wrote {}", args.dot.display());
    Ok(())
}

fn text(
    out: &mut dyn Write,
    engine: &Engine,
    args: &Args,
    paths: &[Path],
    fewest: Option<&Path>,
    elapsed: std::time::Duration,
) -> Result<(), AnyError> {
    let net = engine.network();
    let (from, to, hops) = (&args.from, &args.to, args.hops);
    writeln!(
        out,
        "{} referral path(s) from {from} to {to} within {hops} ties{} ({elapsed:.1?}):",
        paths.len(),
        if args.disjoint {
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
    match fewest {
        Some(p) => writeln!(
            out,
            "fewest ties: {} ({} ties, strength {:.3})",
            net.describe(p),
            p.hops.len(),
            p.strength
        )?,
        None => writeln!(
            out,
            "fewest ties: not connected through people who agreed to introduce"
        )?,
    }
    Ok(())
}
