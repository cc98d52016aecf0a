//! Places people in opportunities with limited places, stable and optimal, and says why.
//!
//! ```text
//! cargo run --release --example assign                         # the sample data in data/
//! cargo run --release --example assign -- --cap-per-opportunity 1 --cap-by origin
//! cargo run --release --example assign -- --instance FILE.json # the JSON placement format
//! ```
//!
//! On a dataset, the acceptable pairs are the engine's top 20 candidates of every opportunity
//! and top 10 opportunities of every person; each person takes one place. Options:
//! `--data DIR`, `--reference DIR`, `--algorithm stable|optimal|both`, `--proposer
//! people|opportunities`, `--most-placed` (optimal: as many people as possible first),
//! `--cap-per-opportunity N`, `--cap-programme N`, `--cap-by origin|residence`, `--format
//! text|json|csv` (JSON: every run's placements with scores, the unplaced and the unfilled
//! with reasons; CSV: one row per placement), `--out FILE` (the output to a file).

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use common::{AnyError, Format};
use diaspora_match::assign::{
    self, Assignment, CapBy, Caps, Instance, InstanceRecord, Objective, PairRecord, Proposer,
};
use diaspora_match::{Component, Engine, OpportunityId, ProfileId};
use serde::Serialize;

/// Places people in opportunities with limited places, stable and optimal, and says why.
#[derive(Parser)]
#[command(name = "assign")]
struct Args {
    #[command(flatten)]
    data: common::Data,
    /// A placement instance in the JSON placement format, instead of a dataset.
    #[arg(long, value_name = "FILE")]
    instance: Option<PathBuf>,
    /// Which placement to compute.
    #[arg(long, value_enum, default_value_t = Algorithm::Both)]
    algorithm: Algorithm,
    /// Who proposes in the stable placement.
    #[arg(long, value_enum, default_value_t = Side::People)]
    proposer: Side,
    /// The optimal placement places as many people as it can first, then maximises the score.
    #[arg(long)]
    most_placed: bool,
    /// At most N people of one group in one opportunity.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    cap_per_opportunity: Option<u32>,
    /// At most N people of one group placed in the whole programme.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    cap_programme: Option<u32>,
    /// What groups people for the caps.
    #[arg(long, value_enum, default_value_t = Group::Origin)]
    cap_by: Group,
    #[command(flatten)]
    output: common::Output,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Algorithm {
    /// Deferred acceptance: no person and opportunity would both rather have each other.
    Stable,
    /// Min-cost flow: the largest total score.
    Optimal,
    /// Both, one after the other.
    Both,
}

#[derive(Clone, Copy, ValueEnum)]
enum Side {
    /// The best stable placement for every person.
    People,
    /// The best stable placement for every opportunity.
    Opportunities,
}

#[derive(Clone, Copy, ValueEnum)]
enum Group {
    /// The first country of origin.
    Origin,
    /// The country of residence.
    Residence,
}

impl Args {
    fn caps(&self) -> Caps {
        Caps {
            per_opportunity: self.cap_per_opportunity,
            programme: self.cap_programme,
        }
    }

    fn algorithms(&self) -> &'static [&'static str] {
        match self.algorithm {
            Algorithm::Stable => &["stable"],
            Algorithm::Optimal => &["optimal"],
            Algorithm::Both => &["stable", "optimal"],
        }
    }
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

/// One placement run as JSON and CSV show it: keys, scores and reasons in words.
#[derive(Serialize)]
struct RunJson {
    algorithm: &'static str,
    placed: usize,
    total_score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocking_pairs: Option<usize>,
    placements: Vec<PairRecord>,
    unplaced: Vec<UnplacedJson>,
    unfilled: Vec<UnfilledJson>,
}

#[derive(Serialize)]
struct UnplacedJson {
    person: String,
    reason: String,
}

#[derive(Serialize)]
struct UnfilledJson {
    opportunity: String,
    places: u32,
    reason: String,
}

fn instance(args: &Args) -> Result<(Instance, Option<Engine>), AnyError> {
    let cap_by = match args.cap_by {
        Group::Origin => CapBy::Origin,
        Group::Residence => CapBy::Residence,
    };
    if let Some(path) = &args.instance {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--instance {}: {e}", path.display()))?;
        let mut rec: InstanceRecord = serde_json::from_str(&text)
            .map_err(|e| format!("--instance {}: {e}", path.display()))?;
        if args.caps() != Caps::default() {
            rec.caps = Some(args.caps());
        }
        return Ok((Instance::from_record(&rec)?, None));
    }
    let engine = args.data.engine()?;
    let mut pairs: Vec<_> = engine.match_all(20)?.into_iter().flatten().collect();
    for p in engine.profile_ids() {
        pairs.extend(engine.opportunities_for(p, 10)?);
    }
    let inst = Instance::from_matches(&engine, pairs, 1, args.caps(), cap_by)?;
    Ok((inst, Some(engine)))
}

fn run(args: Args) -> Result<(), AnyError> {
    let (inst, engine) = instance(&args)?;
    let proposer = match args.proposer {
        Side::People => Proposer::People,
        Side::Opportunities => Proposer::Opportunities,
    };
    let objective = if args.most_placed {
        Objective::MostPlacedThenScore
    } else {
        Objective::TotalScore
    };
    let mut out = args.output.writer()?;
    let text = args.output.format == Format::Text;
    if text {
        writeln!(
            out,
            "{} people, {} opportunities, {} acceptable pairs, caps: {}",
            inst.people(),
            inst.opportunities(),
            inst.pairs(),
            inst.caps()
        )?;
    }
    let mut runs = Vec::new();
    for &algorithm in args.algorithms() {
        let t = Instant::now();
        let a = match algorithm {
            "stable" => assign::stable(&inst, proposer)?,
            _ => assign::optimal(&inst, objective)?,
        };
        let elapsed = t.elapsed();
        let blocking = (algorithm == "stable").then(|| a.blocking_pairs(&inst).len());
        if text {
            writeln!(
                out,
                "\n== {algorithm}: {} placed, total score {:.3}, {} people unplaced, {} places unfilled ({elapsed:.1?})",
                a.placements.len(),
                a.total_score,
                a.unplaced.len(),
                a.unfilled.iter().map(|u| u.1).sum::<u32>()
            )?;
            if let Some(n) = blocking {
                writeln!(out, "   blocking pairs: {n}")?;
            }
            show(&mut out, &inst, &a, engine.as_ref())?;
        }
        runs.push(run_json(&inst, &a, algorithm, blocking));
    }
    match args.output.format {
        Format::Text => {}
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &runs)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["algorithm", "person", "opportunity", "score"])?;
            for r in &runs {
                for p in &r.placements {
                    w.write_record([
                        r.algorithm,
                        &p.person,
                        &p.opportunity,
                        &format!("{:.6}", p.score),
                    ])?;
                }
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(())
}

fn run_json(
    inst: &Instance,
    a: &Assignment,
    algorithm: &'static str,
    blocking: Option<usize>,
) -> RunJson {
    RunJson {
        algorithm,
        placed: a.placements.len(),
        total_score: a.total_score,
        blocking_pairs: blocking,
        placements: inst.result_record(a),
        unplaced: a
            .unplaced
            .iter()
            .map(|(p, r)| UnplacedJson {
                person: inst.person_key(*p).to_string(),
                reason: r.to_string(),
            })
            .collect(),
        unfilled: a
            .unfilled
            .iter()
            .map(|(o, n, r)| UnfilledJson {
                opportunity: inst.opportunity_key(*o).to_string(),
                places: *n,
                reason: r.to_string(),
            })
            .collect(),
    }
}

fn show(
    out: &mut dyn Write,
    inst: &Instance,
    a: &Assignment,
    engine: Option<&Engine>,
) -> Result<(), AnyError> {
    let mut current = None;
    for p in &a.placements {
        if current != Some(p.opportunity) {
            current = Some(p.opportunity);
            let title = engine
                .and_then(|e| e.opportunity(p.opportunity))
                .map_or("", |o| o.title.as_str());
            writeln!(out, "   {} {title}", inst.opportunity_key(p.opportunity))?;
        }
        let why = match engine {
            Some(e) => explain(e, p.person, p.opportunity)?,
            None => String::new(),
        };
        writeln!(
            out,
            "      {} score {:.3}{why}",
            inst.person_key(p.person),
            p.score
        )?;
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (_, r) in &a.unplaced {
        *reasons.entry(r.to_string()).or_default() += 1;
    }
    let reasons: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    writeln!(out, "   unplaced: {}", reasons.join(", "))?;
    for (o, n, r) in &a.unfilled {
        writeln!(
            out,
            "   unfilled {} place(s) at {}: {r}",
            n,
            inst.opportunity_key(*o)
        )?;
    }
    Ok(())
}

/// The components that carried the score, in a few words.
fn explain(engine: &Engine, p: ProfileId, o: OpportunityId) -> Result<String, AnyError> {
    let why = engine.explain(p, o)?;
    let parts: Vec<String> = [
        Component::Skills,
        Component::Region,
        Component::Network,
        Component::Language,
    ]
    .into_iter()
    .filter_map(|c| {
        why.component(c)
            .and_then(|x| x.value.map(|v| format!("{} {v:.2}", c.as_str())))
    })
    .collect();
    Ok(format!("  ({})", parts.join(", ")))
}
