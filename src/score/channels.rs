//! The components beyond work: capital (how much of an investment's ticket or a donation's
//! funding gap the person can cover), interest (the opportunity's sector and causes among the
//! person's) and settlement (the person's country of residence against the countries sought),
//! their values and their reasons in words.

use crate::capital::{Capital, UsdRange, usd};
use crate::geo::Closeness;
use crate::index::ProfileView;
use crate::index::extras::Extras;
use crate::interests::{Interests, Sector};
use crate::model::{Engagement, Opportunity};

use super::Scorer;
use super::reasons::Names;

/// Credit of an investor whose range is `[min, max]` for a ticket `[low, high]`: 1 when the
/// range reaches the smallest ticket (they can take one), the share of it the largest amount
/// covers when below, 0 when the person only invests more than the largest ticket or nothing.
pub(crate) fn invest_credit(person: UsdRange, ticket: UsdRange) -> f32 {
    if person.max() <= 0.0 || person.min() > ticket.max() {
        0.0
    } else {
        invest_credit_of_max(person.max(), ticket)
    }
}

/// Credit of a donor who gives up to `max` a year for a funding gap: the share of the gap it
/// covers, at most 1.
pub(crate) fn donate_credit(person: UsdRange, gap: f64) -> f32 {
    donate_credit_of_max(person.max(), gap)
}

/// [`invest_credit`] by the largest amount alone (for a person who can invest): 1 from the
/// smallest ticket up, the share of it below. It never falls as `max` grows, so its value at a
/// bucket's upper edge bounds every amount in the bucket.
pub(crate) fn invest_credit_of_max(max: f64, ticket: UsdRange) -> f32 {
    if max >= ticket.min() {
        1.0
    } else {
        (max / ticket.min()) as f32
    }
}

/// [`donate_credit`] by the largest yearly gift: the share of the gap it covers, at most 1;
/// never falling as `max` grows.
pub(crate) fn donate_credit_of_max(max: f64, gap: f64) -> f32 {
    (max / gap).min(1.0) as f32
}

/// The interest component from the sector's credit (`None` when the opportunity names no
/// sector) and the number of the opportunity's causes the person shares: their mean, or the
/// one the opportunity gives; `None` when it gives neither.
pub(crate) fn interest_of(sector: Option<f32>, shared: usize, o: &Opportunity) -> Option<f32> {
    let causes = (!o.causes.is_empty()).then(|| shared as f32 / o.causes.len() as f32);
    match (sector, causes) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    }
}

/// Whether the capital component applies: an investment with a ticket, a donation with a gap.
pub(crate) fn capital_applies(o: &Opportunity) -> bool {
    match o.engagement {
        Engagement::Invest => o.ticket.is_some(),
        Engagement::Donate => o.gap.is_some(),
        _ => false,
    }
}

/// Whether any component beyond work applies to the opportunity.
pub(crate) fn uses_channels(o: &Opportunity) -> bool {
    capital_applies(o) || o.sector.is_some() || !o.causes.is_empty() || !o.settlement.is_empty()
}

/// The capital component: `None` when it does not apply (the person's words are then not
/// read), 0 for a person who gives no amount for the opportunity's kind.
pub(crate) fn capital_value(extras: &Extras<'_>, o: &Opportunity) -> Option<f32> {
    match (o.engagement, o.ticket, o.gap) {
        (Engagement::Invest, Some(ticket), _) => Some(
            extras
                .capital()
                .invest
                .map_or(0.0, |r| invest_credit(r, ticket)),
        ),
        (Engagement::Donate, _, Some(gap)) => Some(
            extras
                .capital()
                .donate_per_year
                .map_or(0.0, |r| donate_credit(r, gap)),
        ),
        _ => None,
    }
}

impl Scorer<'_> {
    /// The credit a person's sectors give the opportunity's sector: 1 for the same sector or
    /// its section, [`same_section`](crate::InterestCredit::same_section) for another sector
    /// of the same section, else 0.
    pub(crate) fn sector_credit(&self, wanted: Sector, held: impl Iterator<Item = Sector>) -> f32 {
        let mut best = 0.0f32;
        for h in held {
            let c = if h == wanted || (h.is_section() && h == wanted.section()) {
                1.0
            } else if h.section() == wanted.section() {
                self.config.interest.same_section
            } else {
                0.0
            };
            best = best.max(c);
        }
        best
    }

    /// The interest component: the mean of the sector's credit and the share of the causes
    /// the person shares, over those the opportunity gives; `None` when it gives neither.
    pub(crate) fn interest_value(&self, p: &ProfileView<'_>, o: &Opportunity) -> Option<f32> {
        let extras = p.extras();
        let sector = o.sector.map(|s| self.sector_credit(s, extras.sectors()));
        interest_of(sector, extras.causes().intersection(o.causes).len(), o)
    }

    /// The settlement component: the closest of the countries sought to the person's
    /// residence, by the region steps (without the generation factor); `None` when the
    /// opportunity seeks none, 0 for a person who gives no residence.
    pub(crate) fn settlement_value(&self, p: &ProfileView<'_>, o: &Opportunity) -> Option<f32> {
        self.settlement(p, o).map(|s| s.map_or(0.0, |(v, _, _)| v))
    }

    /// The best country sought for the person's residence: its value, the country and how
    /// close; `Some(None)` without a residence.
    #[allow(clippy::type_complexity)]
    fn settlement(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
    ) -> Option<Option<(f32, crate::id::RegionId, Closeness)>> {
        if o.settlement.is_empty() {
            return None;
        }
        let Some(home) = p.residence() else {
            return Some(None);
        };
        Some(self.closest_sought(home, o))
    }

    /// The country sought closest to `home` by the region steps: its value, the country and
    /// how close; `None` when the opportunity seeks none.
    pub(crate) fn closest_sought(
        &self,
        home: crate::id::RegionId,
        o: &Opportunity,
    ) -> Option<(f32, crate::id::RegionId, Closeness)> {
        let mut best: Option<(f32, crate::id::RegionId, Closeness)> = None;
        for &c in &o.settlement {
            let (closeness, _) = self.regions.closeness(home, c);
            let v = self.config.region.step(closeness);
            if best.is_none_or(|b| v > b.0) {
                best = Some((v, c, closeness));
            }
        }
        best
    }

    /// The three components beyond work: capital, interest, settlement.
    pub(crate) fn channels(&self, p: &ProfileView<'_>, o: &Opportunity) -> [Option<f32>; 3] {
        if !uses_channels(o) {
            return [None; 3];
        }
        [
            capital_value(&p.extras(), o),
            self.interest_value(p, o),
            self.settlement_value(p, o),
        ]
    }

    /// Whether the person gave what each of the three reads.
    pub(crate) fn channels_informed(p: &ProfileView<'_>, o: &Opportunity) -> [bool; 3] {
        let capital = p.extras().capital();
        let given = match o.engagement {
            Engagement::Invest => capital.invest.is_some(),
            Engagement::Donate => capital.donate_per_year.is_some(),
            _ => !capital.is_empty(),
        };
        [
            given,
            !p.extras().interests().is_empty(),
            p.residence().is_some(),
        ]
    }

    /// The three in words.
    pub(crate) fn channel_reasons(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        names: &Names<'_>,
    ) -> [Vec<String>; 3] {
        [
            capital_reasons(&p.extras().capital(), o),
            self.interest_reasons(&p.extras().interests(), o),
            self.settlement_reasons(p, o, names),
        ]
    }

    fn interest_reasons(&self, held: &Interests, o: &Opportunity) -> Vec<String> {
        if o.sector.is_none() && o.causes.is_empty() {
            return vec!["the opportunity names no sector or cause: not applicable".into()];
        }
        if held.is_empty() {
            return vec![
                "the person gives no sector or cause: no information given, counts as 0".into(),
            ];
        }
        let mut out = Vec::new();
        if let Some(s) = o.sector {
            let credit = self.sector_credit(s, held.sectors.iter().copied());
            let how = match held.sectors.iter().find(|h| **h == s || **h == s.section()) {
                Some(h) => format!("the person's {}", h.code()),
                None if credit > 0.0 => format!("another sector of section {}", s.section().code()),
                None => "not among the person's sectors".into(),
            };
            out.push(format!("sector {s}: {how} -> {credit:.2}"));
        }
        if !o.causes.is_empty() {
            let shared = held.causes.intersection(o.causes);
            let names: Vec<String> = o
                .causes
                .iter()
                .map(|g| {
                    let mark = if shared.contains(g) {
                        "shared"
                    } else {
                        "not shared"
                    };
                    format!("{g} {} ({mark})", g.title())
                })
                .collect();
            out.push(format!(
                "causes {}: {} of {}",
                names.join(", "),
                shared.len(),
                o.causes.len()
            ));
        }
        out
    }

    fn settlement_reasons(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        names: &Names<'_>,
    ) -> Vec<String> {
        let sought: Vec<&str> = o
            .settlement
            .iter()
            .map(|&c| names.regions.name(c))
            .collect();
        match self.settlement(p, o) {
            None => vec!["the opportunity seeks no country of settlement: not applicable".into()],
            Some(None) => {
                vec!["the person gives no residence: no information given, counts as 0".into()]
            }
            Some(Some((v, c, closeness))) => {
                let home = p.residence().map_or("", |r| names.regions.name(r));
                let how = match closeness {
                    Closeness::SameCountry => format!("lives in {home}"),
                    Closeness::None => format!("lives in {home}, in another region"),
                    _ => format!("lives in {home}, near {}", names.regions.name(c)),
                };
                vec![format!(
                    "sought: {}; the person {how} -> {v:.2}",
                    sought.join(", ")
                )]
            }
        }
    }
}

/// A share in per cent: whole below 100 % down to 10 %, one decimal below.
fn percent(v: f32) -> String {
    let p = f64::from(v) * 100.0;
    if p >= 10.0 || p == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn capital_reasons(capital: &Capital, o: &Opportunity) -> Vec<String> {
    let reason = match (o.engagement, o.ticket, o.gap) {
        (Engagement::Invest, Some(ticket), _) => match capital.invest {
            None => {
                "the person gives no amount to invest: no information given, counts as 0".into()
            }
            Some(r) => {
                let v = invest_credit(r, ticket);
                let how = if v >= 1.0 {
                    "reaches the smallest ticket".to_string()
                } else if r.min() > ticket.max() {
                    "invests only more than the largest ticket".to_string()
                } else {
                    format!("covers {} of the smallest ticket", percent(v))
                };
                format!("ready to invest {r} against a ticket of {ticket}: {how} -> {v:.2}")
            }
        },
        (Engagement::Donate, _, Some(gap)) => match capital.donate_per_year {
            None => {
                "the person gives no amount to donate: no information given, counts as 0".into()
            }
            Some(r) => {
                let v = donate_credit(r, gap);
                format!(
                    "gives up to USD {} a year against a gap of USD {}: covers {} -> {v:.2}",
                    usd(r.max()),
                    usd(gap),
                    percent(v)
                )
            }
        },
        _ => "the opportunity asks for no amount: not applicable".into(),
    };
    vec![reason]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: f64, b: f64) -> UsdRange {
        UsdRange::new(a, b).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn capital_covers_a_ticket_or_a_share_of_it() {
        let ticket = range(20_000.0, 200_000.0);
        assert_eq!(invest_credit(range(5_000.0, 50_000.0), ticket), 1.0);
        assert_eq!(invest_credit(range(1_000.0, 5_000.0), ticket), 0.25);
        assert_eq!(
            invest_credit(range(500_000.0, 1e6), ticket),
            0.0,
            "only above"
        );
        assert_eq!(invest_credit(range(0.0, 0.0), ticket), 0.0);
        assert_eq!(invest_credit(range(0.0, 1.0), range(0.0, 10.0)), 1.0);
        assert_eq!(donate_credit(range(500.0, 2_000.0), 50_000.0), 0.04);
        assert_eq!(donate_credit(range(60_000.0, 90_000.0), 50_000.0), 1.0);
        assert_eq!(percent(0.46), "46%");
        assert_eq!(percent(0.0036), "0.4%");
        assert_eq!(percent(0.0), "0%");
    }
}
