//! The channels beyond work at the edge: a profile's capital and interests, and an
//! opportunity's ticket, funding gap, sector, causes and countries of settlement sought, read
//! from their records with the loader's errors and written back.

use crate::capital::{Capital, UsdRange};
use crate::error::{Error, Result};
use crate::geo::Regions;
use crate::id::RegionId;
use crate::interests::{Goal, Goals, Interests, Sector};

use super::records::{CapitalRecord, InterestsRecord, OpportunityRecord};

/// An error about field `.0` for reason `.1` (a profile's: without its value).
type Field<'a> = &'a dyn Fn(String, &str) -> Error;

/// A profile's capital; each range valid.
pub(crate) fn capital(rec: Option<&CapitalRecord>, field: Field<'_>) -> Result<Capital> {
    let Some(rec) = rec else {
        return Ok(Capital::default());
    };
    let range = |r: Option<[f64; 2]>, name: &str| -> Result<Option<UsdRange>> {
        r.map(|[a, b]| {
            UsdRange::new(a, b).map_err(|reason| field(format!("capital.{name}"), reason))
        })
        .transpose()
    };
    Ok(Capital {
        invest: range(rec.invest_usd, "invest_usd")?,
        donate_per_year: range(rec.donate_usd_per_year, "donate_usd_per_year")?,
    })
}

/// A profile's interests; each sector and goal known.
pub(crate) fn interests(rec: Option<&InterestsRecord>, field: Field<'_>) -> Result<Interests> {
    let Some(rec) = rec else {
        return Ok(Interests::default());
    };
    let sectors = rec
        .sectors
        .iter()
        .enumerate()
        .map(|(j, code)| {
            Sector::parse(code).ok_or_else(|| {
                field(
                    format!("interests.sectors[{j}]"),
                    "not an ISIC Rev.4 section or division code",
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let causes = goals(&rec.causes, "interests.causes", field)?;
    Ok(Interests { sectors, causes })
}

fn goals(numbers: &[i64], name: &str, field: Field<'_>) -> Result<Goals> {
    let mut set = Goals::EMPTY;
    for (j, &n) in numbers.iter().enumerate() {
        let g = u8::try_from(n).ok().and_then(Goal::new).ok_or_else(|| {
            field(
                format!("{name}[{j}]"),
                "not a Sustainable Development Goal (1 to 17)",
            )
        })?;
        if set.contains(g) {
            return Err(field(format!("{name}[{j}]"), "a goal is listed twice"));
        }
        set.insert(g);
    }
    Ok(set)
}

/// An opportunity's fields beyond work.
pub(crate) struct Channels {
    pub(crate) ticket: Option<UsdRange>,
    pub(crate) gap: Option<f64>,
    pub(crate) sector: Option<Sector>,
    pub(crate) causes: Goals,
    pub(crate) settlement: Vec<RegionId>,
}

/// An opportunity's fields beyond work, each value checked (which kind may carry which is
/// the dataset's rule, checked after).
pub(crate) fn opportunity(
    rec: &OpportunityRecord,
    regions: &Regions,
    field: Field<'_>,
) -> Result<Channels> {
    let ticket = rec
        .ticket_usd
        .map(|[a, b]| UsdRange::new(a, b).map_err(|reason| field("ticket_usd".into(), reason)))
        .transpose()?;
    let sector = rec
        .sector
        .as_deref()
        .map(|code| {
            Sector::parse(code).ok_or_else(|| {
                field(
                    "sector".into(),
                    "not an ISIC Rev.4 section or division code",
                )
            })
        })
        .transpose()?;
    let settlement = rec
        .settlement
        .iter()
        .enumerate()
        .map(|(j, code)| {
            // An opportunity's codes are not personal: the error shows the code and the
            // closest known one, as it does for the opportunity's own country.
            regions.lookup(code).ok_or_else(|| {
                field(format!("settlement[{j}]"), "unknown country code")
                    .with_value(Some(code.clone()), regions.suggest(code))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Channels {
        ticket,
        gap: rec.gap_usd,
        sector,
        causes: goals(&rec.causes, "causes", field)?,
        settlement,
    })
}

/// The record of a profile's capital, `None` when it gives none.
pub(crate) fn capital_record(c: &Capital) -> Option<CapitalRecord> {
    (!c.is_empty()).then(|| CapitalRecord {
        invest_usd: c.invest.map(<[f64; 2]>::from),
        donate_usd_per_year: c.donate_per_year.map(<[f64; 2]>::from),
    })
}

/// The record of a profile's interests, `None` when it gives none.
pub(crate) fn interests_record(i: &Interests) -> Option<InterestsRecord> {
    (!i.is_empty()).then(|| InterestsRecord {
        sectors: i.sectors.iter().map(|s| s.code().to_string()).collect(),
        causes: goal_numbers(i.causes),
    })
}

/// The numbers of a set of goals, ascending.
pub(crate) fn goal_numbers(g: Goals) -> Vec<i64> {
    g.iter().map(|g| i64::from(g.get())).collect()
}
