//! The diaspora map: how many of one origin's diaspora live where, by skill group, with small
//! counts suppressed; printed, written as CSV and drawn as an SVG chart.
//!
//! ```text
//! cargo run --release --example map                                    # data/sample, its largest diaspora
//! cargo run --release --example map -- --synthetic 200000 --origin IN --svg docs/map.svg --csv map.csv
//! cargo run --release --example map -- --data DIR --reference DIR --origin GH --k 5 --engagement invest
//! ```
//!
//! The table is residence × skill group for one origin (the layer of a three-way map by
//! residence, skill group and origin). A count under `k` is hidden (`x`), and others where
//! subtraction would recover one; the chart stacks the shown counts of the residences with
//! the most people.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use diaspora_match::map::{Count, Dimension, Filter, MapQuery, Table};
use diaspora_match::{Engagement, Engine, io, synth};
use plotters::prelude::*;

struct Args {
    data: PathBuf,
    reference: PathBuf,
    synthetic: Option<usize>,
    origin: Option<String>,
    engagement: Option<Engagement>,
    k: u32,
    csv: Option<PathBuf>,
    svg: Option<PathBuf>,
    bars: usize,
    groups: usize,
}

const USAGE: &str = "usage: map [--data DIR | --synthetic N] [--reference DIR] [--origin CODE] [--engagement KIND] [--k N] [--csv FILE] [--svg FILE] [--bars N] [--groups N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
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
        synthetic: None,
        origin: None,
        engagement: None,
        k: diaspora_match::map::DEFAULT_THRESHOLD,
        csv: None,
        svg: None,
        bars: 12,
        groups: 8,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String, flag: &str| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag} needs a positive number"))
        };
        match flag.as_str() {
            "--data" => a.data = value()?.into(),
            "--reference" => a.reference = value()?.into(),
            "--synthetic" => a.synthetic = Some(number(value()?, "--synthetic")?),
            "--origin" => a.origin = Some(value()?),
            "--engagement" => {
                let v = value()?;
                a.engagement = Some(
                    v.parse()
                        .map_err(|_| format!("--engagement: unknown kind {v:?}"))?,
                );
            }
            "--k" => a.k = number(value()?, "--k")? as u32,
            "--csv" => a.csv = Some(value()?.into()),
            "--svg" => a.svg = Some(value()?.into()),
            "--bars" => a.bars = number(value()?, "--bars")?,
            "--groups" => a.groups = number(value()?, "--groups")?,
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    Ok(a)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let reference = Arc::new(io::load_reference(&args.reference)?);
    let dataset = match args.synthetic {
        Some(profiles) => {
            let tables = synth::SourceTables::load(&args.reference, &reference)?;
            let config = synth::SynthConfig {
                profiles,
                opportunities: 100,
                ties: profiles,
                seed: 7,
                ..synth::SynthConfig::default()
            };
            synth::generate(reference.clone(), &tables, &config)?
        }
        None => io::load_dataset(&args.data, reference.clone())?,
    };
    let engine = Engine::builder(dataset).build()?;
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
        .ok_or_else(|| format!("nobody from {origin} in the data"))?;
    println!(
        "The diaspora of {origin}: {} people, where they live by skill group (counts under {} hidden: x)",
        table.total, map.k
    );
    let top = largest(table, args.bars, args.groups);
    println!(
        "the {} residences and {} skill groups with the most people of {} and {}:\n",
        top.rows.len(),
        top.columns.len(),
        table.rows.len(),
        table.columns.len()
    );
    let shown = diaspora_match::map::DiasporaMap {
        tables: vec![top.clone()],
        ..map.clone()
    };
    print!("{shown}");
    if let Some(path) = &args.csv {
        // The whole table of the origin, every residence and group.
        let whole = diaspora_match::map::DiasporaMap {
            tables: vec![table.clone()],
            ..map.clone()
        };
        std::fs::write(path, whole.to_csv())?;
        println!("\nwrote {}", path.display());
    }
    if let Some(path) = &args.svg {
        draw(&top, &origin, map.k, path)?;
        println!("wrote {}", path.display());
    }
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
fn draw(t: &Table, origin: &str, k: u32, path: &PathBuf) -> Result<(), Box<dyn std::error::Error>> {
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
