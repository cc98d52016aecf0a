//! What the examples share: the data flags, the output format and destination, and how they
//! end (one line on standard error for a bad flag or bad input; success on a closed pipe).
//! Each example includes this file with `#[path = "common/mod.rs"] mod common;`.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, ValueEnum};
use diaspora_match::{Engine, Reference, SkillId, Taxonomy, io};
use serde::Serialize;

/// An error of an example, shown as one line.
pub type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Where the data comes from.
#[derive(Args, Debug)]
pub struct Data {
    /// A dataset folder (`profiles.jsonl`, `opportunities.json`, `nodes.csv`, `ties.csv`).
    #[arg(long, value_name = "DIR", default_value_os_t = sample_dir())]
    pub data: PathBuf,
    /// A reference data folder instead of the crate's own.
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,
}

/// The sample dataset shipped with the crate.
pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

impl Data {
    /// The reference data folder.
    pub fn reference_dir(&self) -> PathBuf {
        self.reference
            .clone()
            .unwrap_or_else(io::bundled_reference_dir)
    }

    /// The reference data: the folder's, or the crate's own.
    pub fn reference(&self) -> Result<Arc<Reference>, AnyError> {
        Ok(Arc::new(io::load_reference(self.reference_dir())?))
    }

    /// The engine built on the dataset folder.
    pub fn engine(&self) -> Result<Engine, AnyError> {
        let dataset = io::load_dataset(&self.data, self.reference()?)?;
        Ok(Engine::builder(dataset).build()?)
    }
}

/// How a list is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people to read.
    Text,
    /// One JSON document, keys beside ids.
    Json,
    /// A header line, then one row per item.
    Csv,
}

/// The output format and destination of an example that writes a list.
#[derive(Args, Debug)]
pub struct Output {
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the output to FILE instead of standard output (the same text, scores included).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl Output {
    /// Standard output, or the `--out` file.
    pub fn writer(&self) -> Result<Box<dyn Write>, AnyError> {
        Ok(match &self.out {
            Some(path) => Box::new(BufWriter::new(
                File::create(path).map_err(|e| format!("--out {}: {e}", path.display()))?,
            )),
            None => Box::new(BufWriter::new(std::io::stdout().lock())),
        })
    }
}

/// The arguments, or the end of the program: `--help` and `--version` print and exit 0; a
/// bad flag prints clap's message (which names the flag) on one line and exits 2.
pub fn parse<T: Parser>() -> T {
    match T::try_parse() {
        Ok(args) => args,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // clap's message up to its usage: the first line and any it continues with
            // (the names of missing flags).
            let text = e.to_string();
            let message: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("{} (try --help)", message.join(" "));
            std::process::exit(2)
        }
    }
}

/// The exit code of a run: an error is one line on standard error; a closed pipe (`| head`)
/// is no error.
pub fn exit(result: Result<(), AnyError>) -> ExitCode {
    match result {
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

/// A CSV field: quoted when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A CSV line of fields.
pub fn csv_line(out: &mut dyn Write, fields: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(out, "{}", line.join(","))
}

/// The `p` quantile (0 to 1) of sorted durations, by the nearest rank; zero for none.
pub fn percentile(sorted: &[std::time::Duration], p: f64) -> std::time::Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// A skill as JSON: its key and label beside its id, and, for an alternative, how similar the
/// text was to it.
#[derive(Serialize)]
pub struct SkillJson<'a> {
    skill: SkillId,
    skill_key: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f32>,
}

impl<'a> SkillJson<'a> {
    /// Skill `id` of `t`, with the similarity of an alternative.
    pub fn of(t: &'a Taxonomy, id: SkillId, similarity: Option<f32>) -> SkillJson<'a> {
        SkillJson {
            skill: id,
            skill_key: t.key(id),
            label: t.label(id),
            similarity,
        }
    }
}
