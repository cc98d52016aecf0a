//! The main job: the best candidates for opportunities, each score explained, with the
//! referral path to the host.
//!
//! ```text
//! cargo run --release --example match                       # first three opportunities of data/sample
//! cargo run --release --example match -- --opportunity o-0007
//! cargo run --release --example match -- --profile p-000042  # the best opportunities for one person
//! cargo run --release --example match -- --data DIR --reference DIR --top 10
//! cargo run --release --example match -- --format csv --out top.csv
//! ```
//!
//! `--format json` writes one object per opportunity (or one for the person) with every
//! result's match, explanation and referral path, keys beside ids (`Engine::with_keys`);
//! `--format csv` one row per result: the rank, the keys, the score and every component.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::time::Instant;

use clap::Parser;
use common::{AnyError, Format};
use diaspora_match::{Component, Engine, Explanation, Match, OpportunityId, Path, ProfileId};
use serde::Serialize;
use serde::ser::SerializeStruct;

/// The best candidates for opportunities (or the best opportunities for a person), each
/// score explained, with the referral path to the host.
#[derive(Parser)]
#[command(name = "match")]
struct Args {
    #[command(flatten)]
    data: common::Data,
    /// One opportunity (default: the first three).
    #[arg(long, value_name = "KEY", conflicts_with = "profile")]
    opportunity: Option<String>,
    /// The best opportunities for this person instead.
    #[arg(long, value_name = "KEY")]
    profile: Option<String>,
    /// How many results per list.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    top: u32,
    #[command(flatten)]
    output: common::Output,
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

/// Whose a list is.
#[derive(Serialize)]
#[serde(untagged)]
enum Heading {
    /// An opportunity's best candidates.
    Opportunity {
        opportunity: OpportunityId,
        opportunity_key: String,
        title: String,
    },
    /// A person's best opportunities.
    Profile {
        profile: ProfileId,
        profile_key: String,
    },
}

/// One list: whose it is, and its matches in rank order.
struct List {
    heading: Heading,
    matches: Vec<Match>,
    elapsed: std::time::Duration,
}

/// A list as JSON: the heading's fields, then the results.
#[derive(Serialize)]
struct ListJson<'a> {
    #[serde(flatten)]
    heading: &'a Heading,
    results: Vec<ResultJson<'a>>,
}

/// One result as JSON: its rank, the match, the explanation and the referral path (`null`
/// when there is none), keys beside ids.
struct ResultJson<'a> {
    engine: &'a Engine,
    rank: usize,
    m: &'a Match,
    why: Explanation,
    path: Option<Path>,
}

impl Serialize for ResultJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = s.serialize_struct("Result", 4)?;
        r.serialize_field("rank", &self.rank)?;
        r.serialize_field("match", &self.engine.with_keys(self.m))?;
        r.serialize_field("explanation", &self.engine.with_keys(&self.why))?;
        r.serialize_field(
            "referral",
            &self.path.as_ref().map(|p| self.engine.with_keys(p)),
        )?;
        r.end()
    }
}

fn run(args: Args) -> Result<(), AnyError> {
    let t = Instant::now();
    let engine = args.data.engine()?;
    let loaded = format!(
        "loaded {} profiles, {} opportunities, {} ties from {} in {:.0?}",
        engine.profile_count(),
        engine.opportunities().len(),
        engine.network().tie_count(),
        args.data.data.display(),
        t.elapsed()
    );
    let lists = lists(&engine, &args)?;
    let mut out = args.output.writer()?;
    match args.output.format {
        Format::Text => text(&mut out, &engine, &loaded, &lists)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &json_of(&engine, &lists)?)?;
            writeln!(out)?;
        }
        Format::Csv => csv(&mut out, &engine, &lists)?,
    }
    out.flush()?;
    if let Some(path) = &args.output.out {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The lists asked for: one person's best opportunities, one opportunity's best candidates,
/// or the first three opportunities'.
fn lists(engine: &Engine, args: &Args) -> Result<Vec<List>, AnyError> {
    let k = args.top as usize;
    if let Some(key) = &args.profile {
        let p = engine
            .profile_id(key)
            .ok_or_else(|| format!("--profile: no profile has the key {key:?}"))?;
        let t = Instant::now();
        let matches = engine.opportunities_for(p, k)?;
        let heading = Heading::Profile {
            profile: p,
            profile_key: key.clone(),
        };
        return Ok(vec![List {
            heading,
            matches,
            elapsed: t.elapsed(),
        }]);
    }
    let ids: Vec<OpportunityId> = match &args.opportunity {
        Some(key) => vec![
            engine
                .opportunity_id(key)
                .ok_or_else(|| format!("--opportunity: no opportunity has the key {key:?}"))?,
        ],
        None => (0..engine.opportunities().len().min(3) as u32)
            .map(OpportunityId::new)
            .collect(),
    };
    let mut lists = Vec::new();
    for o in ids {
        let opp = &engine.opportunities()[o.index()];
        let t = Instant::now();
        let matches = engine.candidates(o, k)?;
        let heading = Heading::Opportunity {
            opportunity: o,
            opportunity_key: opp.key.clone(),
            title: opp.title.clone(),
        };
        lists.push(List {
            heading,
            matches,
            elapsed: t.elapsed(),
        });
    }
    Ok(lists)
}

fn text(
    out: &mut dyn Write,
    engine: &Engine,
    loaded: &str,
    lists: &[List],
) -> Result<(), AnyError> {
    writeln!(out, "{loaded}")?;
    for list in lists {
        let o = match &list.heading {
            Heading::Opportunity { opportunity, .. } => *opportunity,
            Heading::Profile {
                profile_key: key, ..
            } => {
                writeln!(
                    out,
                    "\nprofile {key}: {} best opportunities",
                    list.matches.len()
                )?;
                for (rank, m) in list.matches.iter().enumerate() {
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
                    show(out, engine, m, &why)?;
                }
                continue;
            }
        };
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
        writeln!(
            out,
            "   top {} of {} profiles in {:.1?}",
            list.matches.len(),
            engine.profile_count(),
            list.elapsed
        )?;
        for (rank, m) in list.matches.iter().enumerate() {
            let why = engine.explain(m.profile, o)?;
            let key = engine.profile_key(m.profile).unwrap_or_default();
            writeln!(out, "\n   {}. {key}  {}", rank + 1, headline(&why))?;
            show(out, engine, m, &why)?;
        }
    }
    Ok(())
}

/// Every list with its results: match, explanation and referral path, keys beside ids.
fn json_of<'a>(engine: &'a Engine, lists: &'a [List]) -> Result<Vec<ListJson<'a>>, AnyError> {
    let mut all = Vec::new();
    for list in lists {
        let mut results = Vec::new();
        for (rank, m) in list.matches.iter().enumerate() {
            results.push(ResultJson {
                engine,
                rank: rank + 1,
                m,
                why: engine.explain(m.profile, m.opportunity)?,
                path: engine.referral_path(m.profile, m.opportunity)?,
            });
        }
        all.push(ListJson {
            heading: &list.heading,
            results,
        });
    }
    Ok(all)
}

/// One row per result: rank, keys, score, the seven components (empty: does not apply) and
/// the referral path in words.
fn csv(out: &mut dyn Write, engine: &Engine, lists: &[List]) -> Result<(), AnyError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["rank", "opportunity", "profile", "score"];
    header.extend(Component::ALL.map(Component::as_str));
    header.push("referral");
    w.write_record(&header)?;
    for list in lists {
        for (rank, m) in list.matches.iter().enumerate() {
            let o = &engine.opportunities()[m.opportunity.index()];
            let mut row = vec![
                (rank + 1).to_string(),
                o.key.clone(),
                engine
                    .profile_key(m.profile)
                    .unwrap_or_default()
                    .to_string(),
                format!("{:.6}", m.score),
            ];
            row.extend(Component::ALL.map(|c| {
                m.components
                    .get(c)
                    .map_or(String::new(), |v| format!("{v:.6}"))
            }));
            let path = engine.referral_path(m.profile, m.opportunity)?;
            row.push(path.map_or(String::new(), |p| engine.network().describe(&p)));
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Prints an explanation (its first line, the score, is already in the heading): every
/// component with its value, effective weight and contribution, which add up to the score,
/// the first requirements with their reasons and the rest folded into "and N more", then
/// the referral path.
fn show(
    out: &mut dyn Write,
    engine: &Engine,
    m: &Match,
    why: &Explanation,
) -> Result<(), AnyError> {
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
