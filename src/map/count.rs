//! [`Engine::map`]: one pass over the compiled profiles, counting each into the cells of its
//! values, then each table suppressed.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::ProfileView;
use crate::score::{Scorer, Target};

use super::dimension::{Axis, Values};
use super::suppress::{Grid, suppress};
use super::{Count, DiasporaMap, Filter, MapQuery, Table};

/// The counts of one query: per layer, cells (rows × columns), row and column totals and the
/// layer's total, each counting people.
struct Counts {
    rows: usize,
    cols: usize,
    cells: Vec<u32>,
    row_totals: Vec<u32>,
    col_totals: Vec<u32>,
    totals: Vec<u32>,
}

impl Counts {
    fn new(rows: usize, cols: usize, layers: usize) -> Counts {
        Counts {
            rows,
            cols,
            cells: vec![0; layers * rows * cols],
            row_totals: vec![0; layers * rows],
            col_totals: vec![0; layers * cols],
            totals: vec![0; layers],
        }
    }

    /// Counts one person with these values along the rows, columns and layers.
    #[inline]
    fn add(&mut self, rows: &[u32], cols: &[u32], layers: &[u32]) {
        if let ([r], [c], [l]) = (rows, cols, layers) {
            // One value along each: most people, most dimensions.
            let (r, c, l) = (*r as usize, *c as usize, *l as usize);
            self.totals[l] += 1;
            self.row_totals[l * self.rows + r] += 1;
            self.col_totals[l * self.cols + c] += 1;
            self.cells[(l * self.rows + r) * self.cols + c] += 1;
            return;
        }
        for &l in layers {
            let l = l as usize;
            self.totals[l] += 1;
            for &r in rows {
                self.row_totals[l * self.rows + r as usize] += 1;
            }
            for &c in cols {
                self.col_totals[l * self.cols + c as usize] += 1;
            }
            for &r in rows {
                let base = (l * self.rows + r as usize) * self.cols;
                for &c in cols {
                    self.cells[base + c as usize] += 1;
                }
            }
        }
    }
}

impl Engine {
    /// Counts the profiles by one to three dimensions, with the filters of `query`, and
    /// suppresses small counts: a count from 1 to `k - 1` is hidden, and more are hidden until
    /// none can be recovered from the published ones by subtraction (see the
    /// [`map`](crate::map) module). Erased profiles are not counted.
    ///
    /// ```
    /// use diaspora_match::map::{Dimension, MapQuery};
    /// use diaspora_match::{io, Engine};
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// let reference = std::sync::Arc::new(io::load_reference(format!("{dir}/reference"))?);
    /// let engine = Engine::builder(io::load_dataset(format!("{dir}/sample"), reference)?).build()?;
    /// let map = engine.map(&MapQuery::by(&[Dimension::Residence, Dimension::Capital]))?;
    /// let table = &map.tables[0];
    /// // Every profile has one residence: the total is everyone, and is large enough to show.
    /// assert_eq!(table.total.value(), Some(300));
    /// assert!(table.cells.iter().flatten().all(|c| c.value().is_none_or(|v| v == 0 || v >= 10)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Argument`](crate::ErrorKind::Argument): no dimension or more than three,
    /// one dimension twice, `k < 2`, a score outside `[0, 1]`; an unknown opportunity id.
    pub fn map(&self, query: &MapQuery) -> Result<DiasporaMap> {
        let by = &query.by;
        if by.is_empty() || by.len() > 3 {
            return Err(Error::argument("by", "one to three dimensions"));
        }
        if (1..by.len()).any(|i| by[..i].contains(&by[i])) {
            return Err(Error::argument("by", "a dimension is given twice"));
        }
        if query.k < 2 {
            return Err(Error::argument("k", "must be at least 2"));
        }
        let mut targets = Vec::new();
        for f in &query.filters {
            if let Filter::Eligible {
                opportunity,
                min_score,
            } = f
            {
                if !(0.0..=1.0).contains(min_score) {
                    return Err(Error::argument("min_score", "must be in [0, 1]"));
                }
                targets.push(self.target(*opportunity)?);
            }
        }
        let r = &*self.reference;
        let axes: Vec<Axis> = by
            .iter()
            .map(|&d| Axis::new(d, &r.regions, &r.taxonomy))
            .collect();
        let len = |i: usize| axes.get(i).map_or(1, Axis::len);
        let mut counts = Counts::new(len(0), len(1), len(2));
        let scorer = self.scorer();
        let mut values: [Values; 3] = Default::default();
        let all = [0u32];
        for i in 0..self.index.store.len() {
            if !self.profile_nodes.contains(i as u32) {
                continue;
            }
            let store = &self.index.store;
            if !query.filters.is_empty()
                && !passes(&scorer, &store.view(i), &query.filters, &targets)
            {
                continue;
            }
            for (a, v) in axes.iter().zip(values.iter_mut()) {
                a.values(store, i, v);
            }
            let along = |j: usize| {
                if j < axes.len() {
                    &values[j].list[..]
                } else {
                    &all[..]
                }
            };
            counts.add(along(0), along(1), along(2));
        }
        Ok(DiasporaMap {
            by: by.clone(),
            k: query.k,
            tables: tables(&counts, &axes, query.k),
        })
    }
}

/// Whether a profile passes every filter; `targets` are the opportunities of the `Eligible`
/// filters, in order.
fn passes(
    scorer: &Scorer<'_>,
    p: &ProfileView<'_>,
    filters: &[Filter],
    targets: &[Target<'_>],
) -> bool {
    let mut t = targets.iter();
    filters.iter().all(|f| match f {
        Filter::Engagement(e) => p.engagements.contains(*e),
        Filter::Speaks(l) => p
            .languages()
            .any(|x| x.language == l.language && x.level >= l.level),
        Filter::Meets(req) => scorer.must_met(req, p),
        Filter::Eligible { min_score, .. } => t
            .next()
            .and_then(|target| scorer.score(p, target))
            .is_some_and(|(score, _)| score >= *min_score),
    })
}

/// The tables of the layers that hold anyone, each with the rows and columns that do.
fn tables(counts: &Counts, axes: &[Axis], k: u32) -> Vec<Table> {
    let (nr, nc) = (counts.rows, counts.cols);
    let label = |axis: usize, v: usize| {
        axes.get(axis)
            .map_or_else(|| "all".to_string(), |a| a.labels[v].clone())
    };
    let mut out = Vec::new();
    for (l, &total) in counts.totals.iter().enumerate() {
        if total == 0 {
            continue;
        }
        let rows: Vec<usize> = (0..nr)
            .filter(|&r| counts.row_totals[l * nr + r] > 0)
            .collect();
        let cols: Vec<usize> = (0..nc)
            .filter(|&c| counts.col_totals[l * nc + c] > 0)
            .collect();
        let grid = Grid {
            rows: rows.len(),
            cols: cols.len(),
            cells: rows
                .iter()
                .flat_map(|&r| cols.iter().map(move |&c| (r, c)))
                .map(|(r, c)| counts.cells[(l * nr + r) * nc + c])
                .collect(),
            row_totals: rows
                .iter()
                .map(|&r| counts.row_totals[l * nr + r])
                .collect(),
            col_totals: cols
                .iter()
                .map(|&c| counts.col_totals[l * nc + c])
                .collect(),
            total,
        };
        let hidden = suppress(&grid, k);
        let shown = |x: usize, v: u32| {
            if hidden[x] {
                Count::Suppressed
            } else {
                Count::Shown(v)
            }
        };
        let cells = grid.rows * grid.cols;
        out.push(Table {
            layer: (axes.len() == 3).then(|| label(2, l)),
            rows: rows.iter().map(|&r| label(0, r)).collect(),
            columns: cols.iter().map(|&c| label(1, c)).collect(),
            cells: (0..grid.rows)
                .map(|i| {
                    (0..grid.cols)
                        .map(|j| shown(i * grid.cols + j, grid.cells[i * grid.cols + j]))
                        .collect()
                })
                .collect(),
            row_totals: grid
                .row_totals
                .iter()
                .enumerate()
                .map(|(i, &v)| shown(cells + i, v))
                .collect(),
            column_totals: grid
                .col_totals
                .iter()
                .enumerate()
                .map(|(j, &v)| shown(cells + grid.rows + j, v))
                .collect(),
            total: shown(cells + grid.rows + grid.cols, total),
        });
    }
    out
}
