//! Small-cell suppression of a table with its totals: the cells below the threshold `k`
//! (primary suppression), then as many more as it takes so that no hidden number can be
//! recovered from the published ones by subtraction (secondary suppression).
//!
//! A table of `r` rows and `c` columns publishes `r × c` cells, `r` row totals, `c` column
//! totals and the grand total. Read as equations (a row's cells add up to its total, a
//! column's likewise, the row totals add up to the grand total, the column totals too), a
//! hidden number is recovered as soon as it is the only hidden one in an equation. So the rule
//! is: every equation holds no hidden number or at least two. Where an equation holds exactly
//! one, the smallest published non-zero number in it is hidden as well (a total counts as one
//! of its numbers), and the equations that number belongs to are looked at again, until none
//! holds exactly one. Zeros are published: that nobody is in a cell discloses no one.
//!
//! This defeats the subtraction the issue names, not every linear-programming bound: two hidden
//! cells in a row are known to add up to the difference, not each.

/// The numbers of one table: cells row by row, then the totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grid {
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) cells: Vec<u32>,
    pub(crate) row_totals: Vec<u32>,
    pub(crate) col_totals: Vec<u32>,
    pub(crate) total: u32,
}

impl Grid {
    /// Every number in one list: cells, row totals, column totals, the grand total.
    fn values(&self) -> Vec<u32> {
        let mut v = self.cells.clone();
        v.extend_from_slice(&self.row_totals);
        v.extend_from_slice(&self.col_totals);
        v.push(self.total);
        v
    }

    /// The equations, each as the numbers (positions in [`Grid::values`]) it adds up.
    fn equations(&self) -> Vec<Vec<usize>> {
        let (r, c) = (self.rows, self.cols);
        let cells = r * c;
        let grand = cells + r + c;
        let mut eqs: Vec<Vec<usize>> = (0..r)
            .map(|i| (0..c).map(|j| i * c + j).chain([cells + i]).collect())
            .collect();
        eqs.extend((0..c).map(|j| (0..r).map(|i| i * c + j).chain([cells + r + j]).collect()));
        eqs.push((cells..cells + r).chain([grand]).collect());
        eqs.push((cells + r..cells + r + c).chain([grand]).collect());
        eqs
    }

    /// Per number, the equations it is in.
    fn membership(eqs: &[Vec<usize>], n: usize) -> Vec<Vec<usize>> {
        let mut of = vec![Vec::new(); n];
        for (e, items) in eqs.iter().enumerate() {
            for &x in items {
                of[x].push(e);
            }
        }
        of
    }
}

/// Which numbers of the table to hide (positions as in [`Grid::values`]) for threshold `k`.
pub(crate) fn suppress(g: &Grid, k: u32) -> Vec<bool> {
    let values = g.values();
    let mut hidden: Vec<bool> = values.iter().map(|&v| v > 0 && v < k).collect();
    let eqs = g.equations();
    let of = Grid::membership(&eqs, values.len());
    let mut queue: Vec<usize> = (0..eqs.len()).collect();
    let mut queued = vec![true; eqs.len()];
    while let Some(e) = queue.pop() {
        queued[e] = false;
        let items = &eqs[e];
        if items.iter().filter(|&&x| hidden[x]).count() != 1 {
            continue;
        }
        let pick = items
            .iter()
            .copied()
            .filter(|&x| !hidden[x] && values[x] > 0)
            .min_by_key(|&x| (values[x], x));
        if let Some(x) = pick {
            hidden[x] = true;
            for &f in &of[x] {
                if !queued[f] {
                    queued[f] = true;
                    queue.push(f);
                }
            }
        }
    }
    hidden
}

#[cfg(test)]
/// The hidden numbers an attacker recovers by subtraction: any equation with exactly one
/// unknown number gives it, which may leave another equation with one, and so on.
pub(crate) fn recover(g: &Grid, hidden: &[bool]) -> Vec<usize> {
    let eqs = g.equations();
    let mut known: Vec<bool> = hidden.iter().map(|h| !h).collect();
    let mut found = Vec::new();
    loop {
        let mut progress = false;
        for items in &eqs {
            let unknown: Vec<usize> = items.iter().copied().filter(|&x| !known[x]).collect();
            if let [x] = unknown[..] {
                known[x] = true;
                found.push(x);
                progress = true;
            }
        }
        if !progress {
            return found;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A table whose cells add up to its totals (a single-valued grouping).
    fn additive(rows: usize, cols: usize, cells: Vec<u32>) -> Grid {
        let row_totals = (0..rows)
            .map(|i| cells[i * cols..(i + 1) * cols].iter().sum())
            .collect();
        let col_totals = (0..cols)
            .map(|j| (0..rows).map(|i| cells[i * cols + j]).sum())
            .collect();
        let total = cells.iter().sum();
        Grid {
            rows,
            cols,
            cells,
            row_totals,
            col_totals,
            total,
        }
    }

    fn table() -> impl Strategy<Value = Grid> {
        (1usize..7, 1usize..7).prop_flat_map(|(r, c)| {
            // Small counts often: many cells under the threshold, zeros among them.
            proptest::collection::vec(prop_oneof![0u32..12, 0u32..60], r * c)
                .prop_map(move |cells| additive(r, c, cells))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Subtraction recovers no hidden number, every number under `k` (and above 0) is
        /// hidden, and zeros are published.
        #[test]
        fn no_hidden_number_is_recovered_by_subtraction(g in table(), k in 1u32..15) {
            let hidden = suppress(&g, k);
            prop_assert_eq!(recover(&g, &hidden), Vec::<usize>::new());
            for (x, v) in g.values().into_iter().enumerate() {
                if v > 0 && v < k {
                    prop_assert!(hidden[x], "{} at {} shown", v, x);
                }
                if v == 0 {
                    prop_assert!(!hidden[x]);
                }
            }
        }
    }

    #[test]
    fn one_small_cell_takes_a_second_one_in_its_row_and_column() {
        // 3 is under k = 5; alone in its row and column it would be 12 - 9 and 13 - 10.
        let g = additive(2, 2, vec![3, 9, 10, 20]);
        let hidden = suppress(&g, 5);
        assert_eq!(&hidden[..4], [true, true, true, true]);
        assert!(recover(&g, &hidden).is_empty());
        // Primary suppression alone is undone by subtraction.
        let primary: Vec<bool> = g.values().iter().map(|&v| v > 0 && v < 5).collect();
        assert_eq!(recover(&g, &primary), [0]);
    }
}
