//! The diaspora map: how many of one origin's diaspora live where, by skill group, with small
//! counts suppressed; printed, written as CSV or JSON (`--format`, `--out`) and drawn as an
//! SVG chart.
//!
//! ```text
//! cargo run --release --example map                                    # data/sample, its largest diaspora
//! cargo run --release --example map -- --synthetic 200000 --origin IN --svg map.svg --format csv --out map.csv
//! cargo run --release --example map -- --data DIR --reference DIR --origin GH --k 5 --engagement invest
//! ```
//!
//! The table is residence × skill group for one origin (the layer of a three-way map by
//! residence, skill group and origin). A count under `k` is hidden (`x`), and others where
//! subtraction would recover one; the chart stacks the shown counts of the residences with
//! the most people.

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use common::{AnyError, Format};
use diaspora_match::map::{Count, DiasporaMap, Dimension, Filter, MapQuery, Table};
use diaspora_match::{Engagement, Engine, Reference, io, synth};
use plotters::prelude::*;

/// The diaspora map: how many of one origin's diaspora live where, by skill group, with small
/// counts hidden.
#[derive(Parser)]
#[command(name = "map")]
struct Args {
    #[command(flatten)]
    data: common::Data,
    /// A synthetic population of N profiles instead of the dataset folder.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    synthetic: Option<u64>,
    /// The country of origin (ISO code; default: the largest diaspora shown).
    #[arg(long, value_name = "CODE")]
    origin: Option<String>,
    /// Only people open to this kind of engagement.
    #[arg(long, value_name = "KIND", value_parser = engagement)]
    engagement: Option<Engagement>,
    /// Counts under K are hidden.
    #[arg(long, value_name = "K", default_value_t = diaspora_match::map::DEFAULT_THRESHOLD,
          value_parser = clap::value_parser!(u32).range(1..))]
    k: u32,
    /// Draw the chart as SVG to FILE.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Residences shown (text) and drawn.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..))]
    bars: u32,
    /// Skill groups shown (text) and drawn.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    groups: u32,
    /// Text shows the largest residences and groups; JSON and CSV the origin's whole table.
    #[command(flatten)]
    output: common::Output,
}

fn engagement(text: &str) -> Result<Engagement, String> {
    text.parse().map_err(|()| {
        let kinds: Vec<&str> = Engagement::ALL.iter().map(|e| e.as_str()).collect();
        format!("expected one of {}", kinds.join(", "))
    })
}

fn main() -> std::process::ExitCode {
    common::exit(run(common::parse()))
}

fn engine(args: &Args, reference: &Arc<Reference>) -> Result<Engine, AnyError> {
    let dataset = match args.synthetic {
        Some(profiles) => {
            let tables = synth::SourceTables::load(args.data.reference_dir(), reference)?;
            let config = synth::SynthConfig {
                profiles: profiles as usize,
                opportunities: 100,
                ties: profiles as usize,
                seed: 7,
                ..synth::SynthConfig::default()
            };
            synth::generate(reference.clone(), &tables, &config)?
        }
        None => io::load_dataset(&args.data.data, reference.clone())?,
    };
    Ok(Engine::builder(dataset).build()?)
}

fn run(args: Args) -> Result<(), AnyError> {
    let reference = args.data.reference()?;
    let engine = engine(&args, &reference)?;
    let mut query = MapQuery::by(&[
        Dimension::Residence,
        Dimension::SkillGroup,
        Dimension::Origin,
    ]);
    query.k = args.k;
    if let Some(e) = args.engagement {
        query = query.filter(Filter::Engagement(e));
    }
    let map = engine.map(&query)?;
    let origin = match &args.origin {
        Some(code) => {
            let id = reference
                .regions
                .lookup(code)
                .ok_or_else(|| format!("--origin: unknown country code {code:?}"))?;
            reference.regions.name(id).to_string()
        }
        // The largest diaspora that shows a total.
        None => map
            .tables
            .iter()
            .filter_map(|t| Some((t.total.value()?, t.layer.clone()?)))
            .max()
            .map(|(_, name)| name)
            .ok_or("no diaspora is large enough to show (lower --k?)")?,
    };
    let table = map
        .tables
        .iter()
        .find(|t| t.layer.as_deref() == Some(origin.as_str()))
        .ok_or_else(|| format!("--origin: nobody from {origin} in the data"))?;
    let top = largest(table, args.bars as usize, args.groups as usize);
    let mut out = args.output.writer()?;
    // The whole table of the origin, every residence and group.
    let whole = DiasporaMap {
        tables: vec![table.clone()],
        ..map.clone()
    };
    match args.output.format {
        Format::Text => text(&mut out, &map, table, &top, &origin)?,
        Format::Csv => write!(out, "{}", whole.to_csv())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &whole)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.svg {
        draw(&top, &origin, map.k, path)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn text(
    out: &mut dyn Write,
    map: &DiasporaMap,
    table: &Table,
    top: &Table,
    origin: &str,
) -> Result<(), AnyError> {
    writeln!(
        out,
        "The diaspora of {origin}: {} people, where they live by skill group (counts under {} hidden: x)",
        table.total, map.k
    )?;
    writeln!(
        out,
        "the {} residences and {} skill groups with the most people of {} and {}:\n",
        top.rows.len(),
        top.columns.len(),
        table.rows.len(),
        table.columns.len()
    )?;
    let shown = DiasporaMap {
        tables: vec![top.clone()],
        ..map.clone()
    };
    write!(out, "{shown}")?;
    Ok(())
}

/// The part of a table with the `rows` residences and `cols` groups of the largest shown
/// totals (a subset of published numbers discloses nothing more). Its column totals are the
/// whole table's.
fn largest(t: &Table, rows: usize, cols: usize) -> Table {
    let pick = |totals: &[Count], labels: &[String], n: usize| {
        let mut order: Vec<usize> = (0..totals.len())
            .filter(|&i| totals[i].value().is_some() && labels[i] != "(not given)")
            .collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(totals[i].value()), i));
        order.truncate(n);
        order
    };
    let r = pick(&t.row_totals, &t.rows, rows);
    let c = pick(&t.column_totals, &t.columns, cols);
    Table {
        layer: t.layer.clone(),
        rows: r.iter().map(|&i| t.rows[i].clone()).collect(),
        columns: c.iter().map(|&j| t.columns[j].clone()).collect(),
        cells: r
            .iter()
            .map(|&i| c.iter().map(|&j| t.cells[i][j]).collect())
            .collect(),
        row_totals: r.iter().map(|&i| t.row_totals[i]).collect(),
        column_totals: c.iter().map(|&j| t.column_totals[j]).collect(),
        total: t.total,
    }
}

/// A stacked bar per residence, a colour per skill group; hidden counts are left out of the
/// bars. A person with skills in several groups counts in each, so a bar can pass the
/// residence's number of people.
fn draw(t: &Table, origin: &str, k: u32, path: &PathBuf) -> Result<(), AnyError> {
    // The largest at the top.
    let rows: Vec<(u32, usize)> = (0..t.rows.len())
        .rev()
        .map(|i| (t.cells[i].iter().filter_map(|c| c.value()).sum(), i))
        .collect();
    let max = rows.iter().map(|r| r.0).max().unwrap_or(1);
    let root = SVGBackend::new(path, (960, 120 + 34 * rows.len() as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let caption = format!(
        "The diaspora of {origin}: skills by country of residence (counts under {k} hidden)"
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(170)
        .build_cartesian_2d(0u32..max + max / 20 + 1, (0..rows.len()).into_segmented())?;
    let names: Vec<String> = rows.iter().map(|&(_, i)| t.rows[i].clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(rows.len())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("people with skills in the group (one person in each of their groups)")
        .draw()?;
    for (j, group) in t.columns.iter().enumerate() {
        let colour = Palette99::pick(j).mix(0.9);
        let mut rects = Vec::new();
        for (y, &(_, i)) in rows.iter().enumerate() {
            let before: u32 = t.cells[i][..j].iter().filter_map(|c| c.value()).sum();
            if let Count::Shown(v) = t.cells[i][j]
                && v > 0
            {
                rects.push(Rectangle::new(
                    [
                        (before, SegmentValue::Exact(y)),
                        (before + v, SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
                ));
            }
        }
        if !rects.is_empty() {
            chart
                .draw_series(rects)?
                .label(group.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}
