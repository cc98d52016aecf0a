//! The diaspora map: how many of a diaspora could do what, where, in tables that protect the
//! people they count.
//!
//! [`Engine::map`](crate::Engine::map) counts the profiles grouped by one to three
//! [`Dimension`]s (origin, residence, generation, skill group, engagement kind, capital
//! bucket, sector, cause), optionally filtered ([`Filter`]). Privacy is part of the result:
//! a count from 1 to `k - 1` is never published (primary suppression, `k` = 10 by default),
//! and more counts are hidden until none can be recovered from the published ones by
//! subtraction (secondary suppression, `suppress.rs`). A third dimension makes one table per
//! value (a *layer*), each with its own totals.
//!
//! | file | what |
//! |---|---|
//! | `dimension.rs` | [`Dimension`]: the values of a profile along each |
//! | `count.rs` | [`Engine::map`](crate::Engine::map): the counting pass |
//! | `suppress.rs` | primary and secondary suppression, and the subtraction attack it defeats |

mod count;
mod dimension;
mod suppress;

use std::fmt;

use crate::id::OpportunityId;
use crate::model::{Engagement, LanguageSkill, Requirement};

pub use dimension::{CAPITAL_BUCKETS, Dimension};

/// The threshold under which a count is suppressed unless asked otherwise: a count of people
/// under 10 can point at someone in a small community.
pub const DEFAULT_THRESHOLD: u32 = 10;

/// Which profiles a map counts: all of these must hold.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Accepts this kind of engagement.
    Engagement(Engagement),
    /// Speaks the language at this level or better.
    Speaks(LanguageSkill),
    /// Holds the skill, or a narrower one, at its minimum level (as a must-have is met).
    Meets(Requirement),
    /// Is listed for the opportunity with at least this score.
    Eligible {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The least score.
        min_score: f32,
    },
}

/// What to count: dimensions (one to three), filters, and the suppression threshold.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MapQuery {
    /// Rows, then columns, then layers.
    pub by: Vec<Dimension>,
    /// Every filter must hold.
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Counts from 1 to `k - 1` are suppressed; at least 2.
    #[serde(default = "default_k")]
    pub k: u32,
}

fn default_k() -> u32 {
    DEFAULT_THRESHOLD
}

impl MapQuery {
    /// A query over `by`, without filters, with the default threshold.
    pub fn by(by: &[Dimension]) -> MapQuery {
        MapQuery {
            by: by.to_vec(),
            filters: Vec::new(),
            k: DEFAULT_THRESHOLD,
        }
    }

    /// The query with one more filter.
    pub fn filter(mut self, f: Filter) -> MapQuery {
        self.filters.push(f);
        self
    }
}

/// A published count: a number, or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// The number of people.
    Shown(u32),
    /// Hidden to protect the people it counts (or to protect another hidden count).
    Suppressed,
}

impl Count {
    /// The number, if shown.
    pub fn value(self) -> Option<u32> {
        match self {
            Count::Shown(v) => Some(v),
            Count::Suppressed => None,
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::Shown(v) => write!(f, "{v}"),
            Count::Suppressed => f.write_str("x"),
        }
    }
}

/// One table: the rows and columns that hold anyone, their cells and totals. Totals count
/// people, so along a dimension where a person can have several values (origins, skill
/// groups, engagement kinds, sectors, causes) the cells add up to more than the total.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Table {
    /// The value of the third dimension, for a layer.
    pub layer: Option<String>,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels (one, `all`, for a map by one dimension).
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Count>>,
    /// People per row.
    pub row_totals: Vec<Count>,
    /// People per column.
    pub column_totals: Vec<Count>,
    /// People in the table.
    pub total: Count,
}

/// Counts of profiles by up to three dimensions, with small counts suppressed.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DiasporaMap {
    /// The dimensions, rows first.
    pub by: Vec<Dimension>,
    /// The suppression threshold.
    pub k: u32,
    /// One table, or one per value of the third dimension that holds anyone.
    pub tables: Vec<Table>,
}

impl DiasporaMap {
    /// The tables as CSV: `layer,row,column,count` (a suppressed count is empty), totals
    /// under the label `total`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("layer,row,column,count\n");
        let q = |s: &str| {
            if s.contains([',', '"', '\n']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let n = |c: Count| c.value().map(|v| v.to_string()).unwrap_or_default();
        for t in &self.tables {
            let layer = q(t.layer.as_deref().unwrap_or(""));
            for (i, row) in t.rows.iter().enumerate() {
                for (j, col) in t.columns.iter().enumerate() {
                    out += &format!("{layer},{},{},{}\n", q(row), q(col), n(t.cells[i][j]));
                }
                out += &format!("{layer},{},total,{}\n", q(row), n(t.row_totals[i]));
            }
            for (j, col) in t.columns.iter().enumerate() {
                out += &format!("{layer},total,{},{}\n", q(col), n(t.column_totals[j]));
            }
            out += &format!("{layer},total,total,{}\n", n(t.total));
        }
        out
    }
}

impl fmt::Display for DiasporaMap {
    /// Each table as text, a column per value, `x` for a suppressed count.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for t in &self.tables {
            if let Some(layer) = &t.layer {
                writeln!(f, "== {layer}")?;
            }
            let width = t
                .rows
                .iter()
                .map(|r| r.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(5, 40);
            let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
            write!(f, "{:width$}", "")?;
            for c in &t.columns {
                write!(f, " {:>12}", cut(c, 12))?;
            }
            writeln!(f, " {:>8}", "total")?;
            for (i, r) in t.rows.iter().enumerate() {
                write!(f, "{:width$}", cut(r, width))?;
                for c in &t.cells[i] {
                    write!(f, " {:>12}", c.to_string())?;
                }
                writeln!(f, " {:>8}", t.row_totals[i].to_string())?;
            }
            write!(f, "{:width$}", "total")?;
            for c in &t.column_totals {
                write!(f, " {:>12}", c.to_string())?;
            }
            writeln!(f, " {:>8}", t.total.to_string())?;
        }
        Ok(())
    }
}
