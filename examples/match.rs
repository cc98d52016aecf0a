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

use diaspora_match::{Engine, Explanation, Match, io};

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
    writeln!(
        out,
        "loaded {} profiles, {} opportunities, {} ties from {} in {:.0?}",
        engine.profile_count(),
        engine.opportunities().len(),
        engine.network().tie_count(),
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
            let o = &engine.opportunities()[m.opportunity.index()];
            let why = engine.explain(m.profile, m.opportunity)?;
            writeln!(
                out,
                "\n{}. {} {:?}  {}",
                rank + 1,
                o.key,
                o.title,
                headline(&why)
            )?;
            show(&mut out, &engine, m, &why)?;
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
        None => engine
            .opportunities()
            .iter()
            .take(3)
            .map(|o| engine.opportunity_id(&o.key))
            .collect::<Option<Vec<_>>>()
            .ok_or("no opportunities")?,
    };
    for o in opportunities {
        let opp = &engine.opportunities()[o.index()];
        let regions = &engine.reference().regions;
        writeln!(
            out,
            "\n== {} {:?}\n   {} in {}, host {}, {} place(s)",
            opp.key,
            opp.title,
            opp.engagement,
            regions.name(opp.country),
            engine.network().key(opp.host),
            opp.capacity
        )?;
        let t = Instant::now();
        let top = engine.candidates(o, args.top)?;
        writeln!(
            out,
            "   top {} of {} profiles in {:.1?}",
            top.len(),
            engine.profile_count(),
            t.elapsed()
        )?;
        for (rank, m) in top.iter().enumerate() {
            let why = engine.explain(m.profile, o)?;
            writeln!(
                out,
                "\n   {}. {}  {}",
                rank + 1,
                engine.profile_key(m.profile).unwrap_or_default(),
                headline(&why)
            )?;
            show(&mut out, &engine, m, &why)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints an explanation (its first line, the score, is already in the heading): every
/// component with its value, effective weight and contribution, which add up to the score,
/// the first requirements with their reasons and the rest folded into "and N more", then
/// the referral path.
fn show(
    out: &mut impl Write,
    engine: &Engine,
    m: &Match,
    why: &Explanation,
) -> Result<(), Box<dyn std::error::Error>> {
    for line in format!("{why:#}").lines().skip(1) {
        writeln!(out, "    {line}")?;
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

/// The first line of an explanation: `score 0.652`, as its components add up.
fn headline(why: &Explanation) -> String {
    why.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}
