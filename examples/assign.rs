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
//! `--cap-per-opportunity N`, `--cap-programme N`, `--cap-by origin|residence`, `--out FILE`
//! (the placements as JSON: person, opportunity and score).

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use diaspora_match::assign::{
    self, Assignment, CapBy, Caps, Instance, InstanceRecord, Objective, Proposer,
};
use diaspora_match::{Component, Engine, OpportunityId, ProfileId, io};

struct Args {
    data: PathBuf,
    reference: PathBuf,
    instance: Option<PathBuf>,
    algorithms: Vec<&'static str>,
    proposer: Proposer,
    objective: Objective,
    caps: Caps,
    cap_by: CapBy,
    out: Option<PathBuf>,
}

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

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        data: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("sample"),
        reference: io::bundled_reference_dir(),
        instance: None,
        algorithms: vec!["stable", "optimal"],
        proposer: Proposer::People,
        objective: Objective::TotalScore,
        caps: Caps::default(),
        cap_by: CapBy::Origin,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    let number = |v: String, flag: &str| {
        v.parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(format!("{flag} needs a positive number"))
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => a.data = value()?.into(),
            "--reference" => a.reference = value()?.into(),
            "--instance" => a.instance = Some(value()?.into()),
            "--out" => a.out = Some(value()?.into()),
            "--algorithm" => {
                a.algorithms = match value()?.as_str() {
                    "stable" => vec!["stable"],
                    "optimal" => vec!["optimal"],
                    "both" => vec!["stable", "optimal"],
                    _ => return Err("--algorithm takes stable, optimal or both".into()),
                }
            }
            "--proposer" => {
                a.proposer = match value()?.as_str() {
                    "people" => Proposer::People,
                    "opportunities" => Proposer::Opportunities,
                    _ => return Err("--proposer takes people or opportunities".into()),
                }
            }
            "--most-placed" => a.objective = Objective::MostPlacedThenScore,
            "--cap-per-opportunity" => a.caps.per_opportunity = Some(number(value()?, &flag)?),
            "--cap-programme" => a.caps.programme = Some(number(value()?, &flag)?),
            "--cap-by" => {
                a.cap_by = match value()?.as_str() {
                    "origin" => CapBy::Origin,
                    "residence" => CapBy::Residence,
                    _ => return Err("--cap-by takes origin or residence".into()),
                }
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(a)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (inst, engine) = match &args.instance {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut rec: InstanceRecord =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            if args.caps != Caps::default() {
                rec.caps = Some(args.caps);
            }
            (Instance::from_record(&rec)?, None)
        }
        None => {
            let reference = Arc::new(io::load_reference(&args.reference)?);
            let engine = Engine::builder(io::load_dataset(&args.data, reference)?).build()?;
            let mut pairs: Vec<_> = engine.match_all(20)?.into_iter().flatten().collect();
            for p in engine.profile_ids() {
                pairs.extend(engine.opportunities_for(p, 10)?);
            }
            let inst = Instance::from_matches(&engine, pairs, 1, args.caps, args.cap_by)?;
            (inst, Some(engine))
        }
    };
    writeln!(
        out,
        "{} people, {} opportunities, {} acceptable pairs, caps: {}",
        inst.people(),
        inst.opportunities(),
        inst.pairs(),
        inst.caps()
    )?;
    for &algorithm in &args.algorithms {
        let t = Instant::now();
        let a = match algorithm {
            "stable" => assign::stable(&inst, args.proposer)?,
            _ => assign::optimal(&inst, args.objective)?,
        };
        let elapsed = t.elapsed();
        writeln!(
            out,
            "\n== {algorithm}: {} placed, total score {:.3}, {} people unplaced, {} places unfilled ({elapsed:.1?})",
            a.placements.len(),
            a.total_score,
            a.unplaced.len(),
            a.unfilled.iter().map(|u| u.1).sum::<u32>()
        )?;
        if algorithm == "stable" {
            writeln!(out, "   blocking pairs: {}", a.blocking_pairs(&inst).len())?;
        }
        show(&mut out, &inst, &a, engine.as_ref())?;
        if let Some(path) = &args.out {
            let file = path.with_extension(format!("{algorithm}.json"));
            std::fs::write(
                &file,
                serde_json::to_string_pretty(&inst.result_record(&a))?,
            )?;
            writeln!(out, "   placements written to {}", file.display())?;
        }
    }
    out.flush()?;
    Ok(())
}

fn show(
    out: &mut impl Write,
    inst: &Instance,
    a: &Assignment,
    engine: Option<&Engine>,
) -> Result<(), Box<dyn std::error::Error>> {
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
fn explain(
    engine: &Engine,
    p: ProfileId,
    o: OpportunityId,
) -> Result<String, Box<dyn std::error::Error>> {
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
