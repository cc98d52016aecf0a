//! The main job: the best candidates for opportunities, each score explained, with the
//! referral path to the host.
//!
//! ```text
//! cargo run --release --example match                       # first three opportunities of data/sample
//! cargo run --release --example match -- --opportunity o-0007
//! cargo run --release --example match -- --profile p-000042  # the best opportunities for one person
//! cargo run --release --example match -- --data DIR --reference DIR --top 10
//! ```

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use diaspora_match::{Component, Engine, Explanation, Match, io};

struct Args {
    data: PathBuf,
    reference: PathBuf,
    opportunity: Option<String>,
    profile: Option<String>,
    top: usize,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
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
        opportunity: None,
        profile: None,
        top: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => a.data = value()?.into(),
            "--reference" => a.reference = value()?.into(),
            "--opportunity" => a.opportunity = Some(value()?),
            "--profile" => a.profile = Some(value()?),
            "--top" => {
                a.top = value()?
                    .parse()
                    .map_err(|_| "--top needs a positive number".to_string())?
            }
            "--help" | "-h" => {
                return Err("usage: match [--data DIR] [--reference DIR] [--opportunity KEY | --profile KEY] [--top N]".into());
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    Ok(a)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let t = Instant::now();
    let reference = Arc::new(io::load_reference(&args.reference)?);
    let dataset = io::load_dataset(&args.data, reference)?;
    let engine = Engine::builder(dataset).build()?;
    let d = engine.dataset();
    writeln!(
        out,
        "loaded {} profiles, {} opportunities, {} ties from {} in {:.0?}",
        d.profiles.len(),
        d.opportunities.len(),
        d.network.tie_count(),
        args.data.display(),
        t.elapsed()
    )?;

    if let Some(key) = &args.profile {
        let p = engine
            .profile_id(key)
            .ok_or_else(|| format!("no profile has the key {key:?}"))?;
        let found = engine.opportunities_for(p, args.top)?;
        writeln!(out, "\nprofile {key}: {} best opportunities", found.len())?;
        for (rank, m) in found.iter().enumerate() {
            let o = &d.opportunities[m.opportunity.index()];
            writeln!(
                out,
                "\n{}. {} {:?}  score {:.3}",
                rank + 1,
                o.key,
                o.title,
                m.score
            )?;
            show(
                &mut out,
                &engine,
                m,
                &engine.explain(m.profile, m.opportunity)?,
            )?;
        }
        out.flush()?;
        return Ok(());
    }

    let opportunities = match &args.opportunity {
        Some(key) => vec![
            engine
                .opportunity_id(key)
                .ok_or_else(|| format!("no opportunity has the key {key:?}"))?,
        ],
        None => d
            .opportunities
            .iter()
            .take(3)
            .map(|o| engine.opportunity_id(&o.key))
            .collect::<Option<Vec<_>>>()
            .ok_or("no opportunities")?,
    };
    for o in opportunities {
        let opp = &d.opportunities[o.index()];
        let regions = &d.reference.regions;
        writeln!(
            out,
            "\n== {} {:?}\n   {} in {}, host {}, {} place(s)",
            opp.key,
            opp.title,
            opp.engagement,
            regions.name(opp.country),
            d.network.key(opp.host),
            opp.capacity
        )?;
        let t = Instant::now();
        let top = engine.candidates(o, args.top)?;
        writeln!(
            out,
            "   top {} of {} profiles in {:.1?}",
            top.len(),
            d.profiles.len(),
            t.elapsed()
        )?;
        for (rank, m) in top.iter().enumerate() {
            writeln!(
                out,
                "\n   {}. {}  score {:.3}",
                rank + 1,
                d.profiles[m.profile.index()].key,
                m.score
            )?;
            show(&mut out, &engine, m, &engine.explain(m.profile, o)?)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn show(
    out: &mut impl Write,
    engine: &Engine,
    m: &Match,
    why: &Explanation,
) -> Result<(), Box<dyn std::error::Error>> {
    for c in &why.components {
        let value = c.value.map_or("n/a".to_string(), |v| format!("{v:.2}"));
        writeln!(
            out,
            "      {:<8} {value:>5}  (weight {:.2}, adds {:.3})",
            c.component.as_str(),
            c.weight,
            c.contribution
        )?;
        let show_reasons = if c.component == Component::Skills {
            4
        } else {
            2
        };
        for r in c.reasons.iter().take(show_reasons) {
            writeln!(out, "               {r}")?;
        }
    }
    match engine.referral_path(m.profile, m.opportunity)? {
        Some(p) => writeln!(
            out,
            "      referral {} (strength {:.2})",
            engine.network().describe(&p),
            p.strength
        )?,
        None => writeln!(
            out,
            "      referral none within {} ties",
            engine.config().network_max_hops
        )?,
    }
    Ok(())
}
