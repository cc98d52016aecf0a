//! The compiled index at scale: generates (or loads) a population, builds the engine, and
//! times queries, with progress bars during the long steps.
//!
//! ```text
//! cargo run --release --example scale -- --profiles 10000000
//! cargo run --release --example scale -- --load DIR          # a dataset written by `synth`
//! ```
//!
//! Flags: `--profiles N` (default 1,000,000), `--opportunities N` (1,000), `--ties-per-profile
//! N` (1), `--skills N` (20 per profile), `--requirements N` (8 per opportunity), `--queries N`
//! (200), `-k N` (100), `--seed N` (7), `--brute-force N` (brute-force queries to time as the
//! baseline, 3), `--in-memory` (generate the whole dataset, then build; by default the
//! profiles are drawn chunk by chunk into the build, `synth::Population::skeleton`), `--save
//! FILE` (save the built engine: `Engine::save`), `--open FILE` (open a saved engine instead
//! of building one, timed: `Engine::open`),
//! `--broad half|all` (requirements that name broad concepts: `synth::Breadth`),
//! `--skills-only` (the other weights 0), `--no-related-credit` (narrower, broader and sibling
//! credit 0). Prints the build time, the engine's bytes by part, the resident memory it adds and the peak, and the
//! median and 99th percentile latency of one opportunity's top `k` on one thread, indexed and
//! brute force, their ratio over the same queries (the brute force's), and the time of every
//! opportunity's top `k` on the whole pool.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diaspora_match::{Dataset, Engine, MatchConfig, OpportunityId, io, synth};
use indicatif::{ProgressBar, ProgressStyle};

#[path = "common/mod.rs"]
mod common;

use clap::{Parser, ValueEnum};
use common::AnyError;

/// The compiled index at scale: generates (or loads) a population, builds the engine, and
/// times queries.
#[derive(Parser)]
#[command(name = "scale")]
struct Cli {
    /// Profiles to generate.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    profiles: usize,
    /// Opportunities to generate.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    opportunities: usize,
    /// Ties per profile.
    #[arg(long, value_name = "N", default_value_t = 1)]
    ties_per_profile: usize,
    /// Skills per profile.
    #[arg(long, value_name = "N", default_value_t = 20)]
    skills: usize,
    /// Requirements per opportunity.
    #[arg(long, value_name = "N", default_value_t = 8)]
    requirements: usize,
    /// The seed of the population.
    #[arg(long, value_name = "N", default_value_t = 7)]
    seed: u64,
    /// Indexed queries to time.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    queries: u64,
    /// Candidates per query.
    #[arg(short, long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    k: u64,
    /// Brute-force queries to time as the baseline.
    #[arg(long, value_name = "N", default_value_t = 3)]
    brute_force: usize,
    /// Load a dataset folder written by `synth` instead of generating one.
    #[arg(long, value_name = "DIR")]
    load: Option<String>,
    /// Generate the whole dataset, then build (default: profiles drawn chunk by chunk into the
    /// build).
    #[arg(long)]
    in_memory: bool,
    /// Save the built engine to FILE (`Engine::save`).
    #[arg(long, value_name = "FILE")]
    save: Option<String>,
    /// Open a saved engine instead of building one, timed (`Engine::open`).
    #[arg(long, value_name = "FILE")]
    open: Option<String>,
    /// Requirements that name broad concepts.
    #[arg(long, value_enum)]
    broad: Option<Broad>,
    /// Score on skills only (the other weights 0).
    #[arg(long)]
    skills_only: bool,
    /// No credit through narrower, broader or sibling skills.
    #[arg(long)]
    no_related_credit: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Broad {
    /// Half the requirements.
    Half,
    /// Every requirement.
    All,
}

fn main() -> ExitCode {
    common::exit(run(common::parse()))
}

struct Args {
    config: synth::SynthConfig,
    load: Option<String>,
    in_memory: bool,
    save: Option<String>,
    open: Option<String>,
    queries: usize,
    k: usize,
    brute_force: usize,
    config_match: MatchConfig,
}

impl From<Cli> for Args {
    fn from(c: Cli) -> Args {
        let mut config_match = MatchConfig::default();
        if c.skills_only {
            let w = &mut config_match.weights;
            (w.region, w.network, w.language) = (0.0, 0.0, 0.0);
        }
        if c.no_related_credit {
            let r = &mut config_match.relatedness;
            (r.narrower, r.broader, r.sibling) = (0.0, 0.0, 0.0);
        }
        Args {
            config: synth::SynthConfig {
                profiles: c.profiles,
                opportunities: c.opportunities,
                ties: c.profiles.saturating_mul(c.ties_per_profile),
                seed: c.seed,
                skills_per_profile: Some(c.skills),
                requirements_per_opportunity: Some(c.requirements),
                breadth: match c.broad {
                    None => synth::Breadth::AsDrawn,
                    Some(Broad::Half) => synth::Breadth::Half,
                    Some(Broad::All) => synth::Breadth::All,
                },
            },
            load: c.load,
            in_memory: c.in_memory,
            save: c.save,
            open: c.open,
            queries: c.queries as usize,
            k: c.k as usize,
            brute_force: c.brute_force,
            config_match,
        }
    }
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// A memory figure of this process in bytes (Linux: `VmRSS` resident now, `VmHWM` the peak
/// resident), or `None`.
fn memory(what: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|l| l.strip_prefix(what).is_some_and(|r| r.starts_with(':')))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn run(cli: Cli) -> Result<(), AnyError> {
    let a = Args::from(cli);
    let dir = io::bundled_reference_dir();
    let reference = Arc::new(io::load_reference(&dir)?);
    let start = memory("VmRSS");
    let (engine, loaded) = match &a.open {
        Some(path) => {
            let t = Instant::now();
            let engine = Engine::open(path, reference)?;
            println!(
                "opened {path} ({:.1} MB) in {:.2?}: {} profiles, {} opportunities",
                std::fs::metadata(path)?.len() as f64 / 1e6,
                t.elapsed(),
                engine.profile_count(),
                engine.opportunities().len()
            );
            (engine, start)
        }
        None => build(&a, &dir, reference)?,
    };
    let n = engine.profile_count();
    let f = engine.footprint();
    println!(
        "engine: {f}, {:.1} bytes per profile",
        f.total() as f64 / n.max(1) as f64
    );
    if let (Some(start), Some(loaded), Some(built), Some(peak)) =
        (start, loaded, memory("VmRSS"), memory("VmHWM"))
    {
        let gb = |b: u64| b as f64 / 1e9;
        println!(
            "resident memory: {:.2} GB with the reference data; the engine adds {:.2} GB ({:.0} bytes per profile); {:.2} GB before the build; peak {:.2} GB",
            gb(start),
            gb(built.saturating_sub(start)),
            built.saturating_sub(start) as f64 / n.max(1) as f64,
            gb(loaded),
            gb(peak),
        );
    }
    if let Some(path) = &a.save {
        let t = Instant::now();
        engine.save(path)?;
        println!(
            "saved {path} ({:.1} MB) in {:.2?}",
            std::fs::metadata(path)?.len() as f64 / 1e6,
            t.elapsed()
        );
    }
    time_queries(&a, &engine)
}

/// Generates (or loads) the population and builds the engine; returns it with the resident
/// memory before the build.
fn build(
    a: &Args,
    dir: &std::path::Path,
    reference: Arc<diaspora_match::Reference>,
) -> Result<(Engine, Option<u64>), AnyError> {
    let t = Instant::now();
    let tables = synth::SourceTables::load(dir, &reference)?;
    // A synthetic population goes straight into the engine: the skeleton (opportunities,
    // network) first, then the profiles chunk by chunk, so that they never all sit in memory
    // as records. `--in-memory` and `--load` build from a whole dataset.
    let mut population = None;
    let dataset: Dataset = match &a.load {
        Some(path) => {
            let spinner = ProgressBar::new_spinner();
            spinner.set_message(format!("loading {path}"));
            spinner.enable_steady_tick(Duration::from_millis(200));
            let d = io::load_dataset(path, reference)?;
            spinner.finish_and_clear();
            d
        }
        None => {
            let p = synth::Population::new(reference, &tables, a.config)?;
            let profiles = bar(a.config.profiles as u64, "profiles");
            let ties = bar(a.config.ties as u64, "ties");
            let progress = |p: synth::Progress| match p.stage {
                synth::Stage::Profiles => profiles.set_position(p.done),
                _ => ties.set_position(p.done),
            };
            let d = if a.in_memory {
                p.generate_with_progress(progress)?
            } else {
                p.skeleton(progress)?
            };
            profiles.finish();
            ties.finish();
            population = (!a.in_memory).then_some(p);
            d
        }
    };
    let n = population
        .as_ref()
        .map_or(dataset.profiles.len(), |_| a.config.profiles);
    println!(
        "{n} profiles, {} opportunities, {} ties ready in {:.2?}{}",
        dataset.opportunities.len(),
        dataset.network.tie_count(),
        t.elapsed(),
        if population.is_some() {
            " (the profiles are drawn again, chunk by chunk, into the build)"
        } else {
            ""
        }
    );
    let loaded = memory("VmRSS");
    let spinner = ProgressBar::new_spinner();
    spinner.set_message("building the index");
    spinner.enable_steady_tick(Duration::from_millis(200));
    let t = Instant::now();
    let builder = Engine::builder(dataset).config(a.config_match);
    let engine = match &population {
        Some(p) => builder.build_with_profiles(p.profile_chunks().map(Ok))?,
        None => builder.build()?,
    };
    let build = t.elapsed();
    spinner.finish_and_clear();
    println!(
        "build: {build:.2?} ({}validation, profile arrays, postings, one network search per host)",
        if population.is_some() {
            "drawing the profiles, "
        } else {
            ""
        }
    );
    Ok((engine, loaded))
}

/// Times one opportunity's top `k` on one thread, indexed and brute force, and every
/// opportunity's on the whole pool.
fn time_queries(a: &Args, engine: &Engine) -> Result<(), AnyError> {
    let m = engine.opportunities().len();
    if m == 0 {
        return Ok(());
    }
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let time = |queries: usize, what: &str, f: &(dyn Fn(OpportunityId) + Sync)| {
        let progress = bar(queries as u64, what);
        let times: Vec<Duration> = (0..queries)
            .map(|q| {
                let o = OpportunityId::new((q % m) as u32);
                let t = Instant::now();
                one.install(|| f(o));
                progress.inc(1);
                t.elapsed()
            })
            .collect();
        progress.finish_and_clear();
        times
    };
    let k = a.k;
    let indexed = time(a.queries, "indexed", &|o| {
        std::hint::black_box(engine.candidates(o, k).ok());
    });
    let brute = time(a.brute_force, "brute force", &|o| {
        std::hint::black_box(engine.candidates_brute_force(o, k).ok());
    });
    // The ratio over the same queries: the brute force's first ones are the indexed run's
    // first ones.
    let same = brute.len().min(indexed.len());
    let total = |t: &[Duration]| t.iter().sum::<Duration>().as_secs_f64();
    let ratio = total(&brute[..same]) / total(&indexed[..same]).max(1e-9);
    let sorted = |mut t: Vec<Duration>| {
        t.sort_unstable();
        t
    };
    let (indexed, brute) = (sorted(indexed), sorted(brute));
    println!(
        "top {k} of one opportunity, one thread: indexed median {:.3?}, p99 {:.3?} ({} queries); brute force median {:.2?} ({} queries); {:.0}x on the same {same} queries",
        common::percentile(&indexed, 0.5),
        common::percentile(&indexed, 0.99),
        indexed.len(),
        common::percentile(&brute, 0.5),
        brute.len(),
        ratio
    );
    let t = Instant::now();
    let all = engine.match_all(k)?;
    println!(
        "top {k} of all {} opportunities on {} threads: {:.2?}",
        all.len(),
        rayon::current_num_threads(),
        t.elapsed()
    );
    Ok(())
}
