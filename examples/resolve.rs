//! Resolves skill names, one per line on standard input, onto the taxonomy.
//!
//! ```text
//! printf 'Phyton\nMS Excel\nnursing care\ncomptabilité\n' | cargo run --release --example resolve
//! ```
//!
//! Writes `input<TAB>skill label<TAB>how<TAB>confidence<TAB>language` per line (the language
//! of the label it was found by: `en`, `fr`, `es`, empty for a key); an unresolved name gets
//! an empty label, `unresolved`, `0.000` and the best suggestion's label in the fifth column.
//! Options: `--min-confidence X` (default 0.8), `--reference DIR`.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use diaspora_match::{ResolveOptions, io};

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
    let mut options = ResolveOptions::default();
    let mut reference = io::bundled_reference_dir();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--min-confidence" => {
                options.min_confidence = value()?
                    .parse()
                    .map_err(|_| "--min-confidence needs a number in [0, 1]")?;
                if !(0.0..=1.0).contains(&options.min_confidence) {
                    return Err("--min-confidence needs a number in [0, 1]".into());
                }
            }
            "--reference" => reference = value()?.into(),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let reference = io::load_reference(&reference)?;
    let t = &reference.taxonomy;
    let input: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let answers = t.resolve_many(&input, &options);
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (text, r) in input.iter().zip(answers) {
        match (r.skill, r.how) {
            (Some(s), Some(how)) => writeln!(
                out,
                "{text}\t{}\t{}\t{:.3}\t{}",
                t.label(s),
                how.as_str(),
                r.confidence,
                r.language.map_or("", |l| l.code())
            )?,
            _ => {
                let hint = r.alternatives.first().map_or(String::new(), |a| {
                    format!("{} ({:.3})", t.label(a.skill), a.similarity)
                });
                writeln!(out, "{text}\t\tunresolved\t0.000\t{hint}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
