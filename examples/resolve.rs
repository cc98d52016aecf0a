//! Resolves skill names, one per line on standard input, onto the taxonomy.
//!
//! ```text
//! printf 'Phyton\nMS Excel\nnursing care\ncomptabilité\n' | cargo run --release --example resolve
//! ```
//!
//! Writes `input<TAB>skill label<TAB>how<TAB>confidence<TAB>language` per line (the language
//! of the label it was found by: `en`, `fr`, `es`, empty for a key); an unresolved name gets
//! an empty label, `unresolved`, `0.000` and the best suggestion's label in the fifth column.
//! Options: `--min-confidence X` (default 0.8), `--reference DIR`, `--format text|json|csv`
//! (text: the tab-separated lines above), `--out FILE`.

#[path = "common/mod.rs"]
mod common;

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Parser;
use common::{AnyError, Format};
use diaspora_match::{LabelLanguage, MatchKind, Resolution, ResolveOptions, Taxonomy, io};
use serde::Serialize;

/// Resolves skill names, one per line on standard input, onto the taxonomy.
#[derive(Parser)]
#[command(name = "resolve")]
struct Args {
    /// The lowest similarity at which a fuzzy match is accepted, from 0 to 1.
    #[arg(long, value_name = "X", default_value_t = 0.8, value_parser = confidence)]
    min_confidence: f32,
    /// A reference data folder instead of the crate's own.
    #[arg(long, value_name = "DIR")]
    reference: Option<PathBuf>,
    #[command(flatten)]
    output: common::Output,
}

fn confidence(text: &str) -> Result<f32, String> {
    text.parse::<f32>()
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| "expected a number from 0 to 1".into())
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

fn run(args: Args) -> Result<(), AnyError> {
    let options = ResolveOptions {
        min_confidence: args.min_confidence,
        ..ResolveOptions::default()
    };
    let dir = args
        .reference
        .clone()
        .unwrap_or_else(io::bundled_reference_dir);
    let reference = io::load_reference(&dir)?;
    let t = &reference.taxonomy;
    let input: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let answers = t.resolve_many(&input, &options);
    let mut out = args.output.writer()?;
    match args.output.format {
        Format::Text => {
            for (text, r) in input.iter().zip(&answers) {
                writeln!(out, "{}", row(t, text, r).join("\t"))?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "input",
                "label",
                "how",
                "confidence",
                "language_or_suggestion",
            ])?;
            for (text, r) in input.iter().zip(&answers) {
                w.write_record(row(t, text, r))?;
            }
            w.flush()?;
        }
        Format::Json => {
            let all: Vec<AnswerJson> = input
                .iter()
                .zip(&answers)
                .map(|(text, r)| json_of(t, text, r))
                .collect();
            serde_json::to_writer_pretty(&mut out, &all)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The five columns of one answer: input, label, how, confidence, and the label's language
/// (or, when unresolved, the best suggestion).
fn row(t: &Taxonomy, text: &str, r: &Resolution) -> [String; 5] {
    match (r.skill, r.how) {
        (Some(s), Some(how)) => [
            text.to_string(),
            t.label(s).to_string(),
            how.as_str().to_string(),
            format!("{:.3}", r.confidence),
            r.language.map_or("", |l| l.code()).to_string(),
        ],
        _ => {
            let hint = r.alternatives.first().map_or(String::new(), |a| {
                format!("{} ({:.3})", t.label(a.skill), a.similarity)
            });
            [
                text.to_string(),
                String::new(),
                "unresolved".into(),
                "0.000".into(),
                hint,
            ]
        }
    }
}

/// One answer as JSON.
#[derive(Serialize)]
struct AnswerJson<'a> {
    input: &'a str,
    resolved: Option<common::SkillJson<'a>>,
    how: Option<MatchKind>,
    language: Option<LabelLanguage>,
    confidence: f32,
    alternatives: Vec<common::SkillJson<'a>>,
}

fn json_of<'a>(t: &'a Taxonomy, text: &'a str, r: &Resolution) -> AnswerJson<'a> {
    AnswerJson {
        input: text,
        resolved: r.skill.map(|id| common::SkillJson::of(t, id, None)),
        how: r.how,
        language: r.language,
        confidence: r.confidence,
        alternatives: r
            .alternatives
            .iter()
            .map(|a| common::SkillJson::of(t, a.skill, Some(a.similarity)))
            .collect(),
    }
}
