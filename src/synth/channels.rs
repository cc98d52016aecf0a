//! Drawing what people tell beyond work (capital, sectors and causes) and what investments,
//! donations and tourism offers ask for, from their own random streams, so that the rest of
//! a population stays as it was drawn before.
//!
//! Everything here is an **assumption** of the generator, stated where it is made; what comes
//! from data is the person's occupation (O*NET), the kinds of engagement they accept and the
//! ISIC Rev.4 and SDG classifications themselves. Interests follow occupation through
//! [`BY_OCCUPATION`]: the O*NET-SOC major group's usual industry and the goal its
//! work serves, read from the groups' titles, not from employment statistics.

use crate::capital::{Capital, UsdRange};
use crate::interests::{Goal, Goals, Interests, Sector};
use crate::model::{Engagement, EngagementSet};

use super::rng::SplitMix64;

/// The random stream of the people's channels.
pub(crate) const PEOPLE: u64 = 5;
/// The random stream of the opportunities' channels.
pub(crate) const OFFERS: u64 = 6;

/// Per O*NET-SOC major group, the ISIC Rev.4 division (or section) most of its people work
/// in, and the Sustainable Development Goal its work serves most directly. Assumptions from
/// the titles and the goals' targets: health practitioners in human health (Q86) serving goal
/// 3, teachers in education (P85) serving goal 4, farm workers in crop and animal production
/// (A01) serving goal 2, production workers in manufacturing (C) serving goal 9.
pub(crate) const BY_OCCUPATION: [(&str, &str, u8); 23] = [
    ("11-", "M70", 8),
    ("13-", "K64", 8),
    ("15-", "J62", 9),
    ("17-", "M71", 9),
    ("19-", "M72", 9),
    ("21-", "Q88", 10),
    ("23-", "M69", 16),
    ("25-", "P85", 4),
    ("27-", "R90", 11),
    ("29-", "Q86", 3),
    ("31-", "Q86", 3),
    ("33-", "O84", 16),
    ("35-", "I56", 2),
    ("37-", "N81", 11),
    ("39-", "S96", 3),
    ("41-", "G47", 8),
    ("43-", "N82", 8),
    ("45-", "A01", 2),
    ("47-", "F43", 11),
    ("49-", "C33", 9),
    ("51-", "C", 9),
    ("53-", "H49", 9),
    ("55-", "O84", 16),
];

/// What diaspora tourism sells: accommodation, food, travel agencies and tour operators,
/// heritage sites. Its causes: sustainable tourism is a target of goals 8 (8.9) and 11 (11.4,
/// cultural heritage).
const TOURISM_SECTORS: [&str; 4] = ["I55", "I56", "N79", "R91"];
const TOURISM_GOALS: [u8; 2] = [8, 11];

/// The row of [`BY_OCCUPATION`] for an O*NET-SOC code.
fn occupation(soc: &str) -> Option<&'static (&'static str, &'static str, u8)> {
    BY_OCCUPATION.iter().find(|(p, _, _)| soc.starts_with(p))
}

fn sector_of(soc: &str) -> Option<Sector> {
    occupation(soc).and_then(|(_, code, _)| Sector::parse(code))
}

fn goal_of(soc: &str) -> Option<Goal> {
    occupation(soc).and_then(|&(_, _, g)| Goal::new(g))
}

/// A log-uniform amount from `low` to `low × span`, rounded to a hundred dollars.
fn amount(rng: &mut SplitMix64, low: f64, span: f64) -> f64 {
    ((low * span.powf(rng.unit())) / 100.0).round().max(1.0) * 100.0
}

/// A range from a log-uniform least amount, up to `widest` times it.
fn range(rng: &mut SplitMix64, low: f64, span: f64, widest: f64) -> Option<UsdRange> {
    let min = amount(rng, low, span);
    let max = ((min * (1.0 + (widest - 1.0) * rng.unit())) / 100.0).round() * 100.0;
    UsdRange::new(min, max.max(min)).ok()
}

/// A person's capital and interests. Assumptions: a person who accepts to invest is ready to
/// put in from USD 1,000 to 100,000 at least (log-uniform), up to ten times that; one who
/// accepts to donate gives from USD 50 to 5,000 a year, up to five times that. Someone who
/// accepts to invest, donate or visit as a tourist names the sector of their occupation (four
/// in five) and its goal (seven in ten), a random section (three in ten) and another random
/// goal (two in five); others name interests one time in five.
pub(crate) fn person(
    rng: &mut SplitMix64,
    soc: &str,
    engagements: EngagementSet,
) -> (Capital, Interests) {
    let capital = Capital {
        invest: engagements
            .contains(Engagement::Invest)
            .then(|| range(rng, 1_000.0, 100.0, 10.0))
            .flatten(),
        donate_per_year: engagements
            .contains(Engagement::Donate)
            .then(|| range(rng, 50.0, 100.0, 5.0))
            .flatten(),
    };
    let beyond_work = [Engagement::Invest, Engagement::Donate, Engagement::Tourism]
        .into_iter()
        .any(|e| engagements.contains(e));
    let mut interests = Interests::default();
    if beyond_work || rng.chance(0.2) {
        if rng.chance(0.8) {
            interests.sectors.extend(sector_of(soc));
        }
        if rng.chance(0.3) {
            let pick = rng.below(Sector::sections().count());
            if let Some(s) = Sector::sections().nth(pick)
                && !interests.sectors.contains(&s)
            {
                interests.sectors.push(s);
            }
        }
        if rng.chance(0.7)
            && let Some(g) = goal_of(soc)
        {
            interests.causes.insert(g);
        }
        if rng.chance(0.4)
            && let Some(g) = Goal::new(1 + rng.below(usize::from(Goal::COUNT)) as u8)
        {
            interests.causes.insert(g);
        }
    }
    (capital, interests)
}

/// What an offer beyond work asks for.
pub(crate) struct Offer {
    pub(crate) ticket: Option<UsdRange>,
    pub(crate) gap: Option<f64>,
    pub(crate) sector: Option<Sector>,
    pub(crate) causes: Goals,
    /// Whether the offer drops its skill requirements.
    pub(crate) no_requirements: bool,
}

/// What an opportunity of kind `engagement` for occupation `soc` asks beyond work.
/// Assumptions: an investment takes tickets from USD 10,000 to 500,000 (log-uniform) up to ten
/// times that, in the occupation's sector, serving its goal one time in two, and keeps its
/// skill requirements (an investor who knows the trade is worth more); a donation closes a gap
/// of USD 5,000 to 500,000 for the occupation's goal, in its sector one time in two, and asks
/// for no skills; a tourism offer sells one of the tourism sectors, for goal 8 or 11, and asks
/// for no skills. Work asks for nothing beyond work.
pub(crate) fn offer(rng: &mut SplitMix64, engagement: Engagement, soc: &str) -> Offer {
    let mut o = Offer {
        ticket: None,
        gap: None,
        sector: None,
        causes: Goals::EMPTY,
        no_requirements: false,
    };
    let goal = goal_of(soc);
    match engagement {
        Engagement::Invest => {
            o.ticket = range(rng, 10_000.0, 50.0, 10.0);
            o.sector = sector_of(soc);
            if rng.chance(0.5) {
                o.causes.extend(goal);
            }
        }
        Engagement::Donate => {
            o.gap = Some(amount(rng, 5_000.0, 100.0));
            o.causes.extend(goal);
            if rng.chance(0.5) {
                o.sector = sector_of(soc);
            }
            o.no_requirements = true;
        }
        Engagement::Tourism => {
            o.sector = Sector::parse(TOURISM_SECTORS[rng.below(TOURISM_SECTORS.len())]);
            o.causes
                .extend(Goal::new(TOURISM_GOALS[rng.below(TOURISM_GOALS.len())]));
            o.no_requirements = true;
        }
        _ => {}
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_major_group_has_a_sector_and_a_goal_that_exist() {
        for (_, code, goal) in BY_OCCUPATION {
            assert!(Sector::parse(code).is_some(), "{code}");
            assert!(Goal::new(goal).is_some(), "{goal}");
        }
        for code in TOURISM_SECTORS {
            assert!(Sector::parse(code).is_some(), "{code}");
        }
        let mut rng = SplitMix64::new(7);
        let all: EngagementSet = Engagement::ALL.into_iter().collect();
        let (capital, _) = person(&mut rng, "29-1141.00", all);
        let invest = capital.invest.map(|r| (r.min(), r.max()));
        assert!(
            invest
                .is_some_and(|(a, b)| (1_000.0..=100_000.0).contains(&a) && b <= 10.0 * a + 100.0),
            "{invest:?}"
        );
        let o = offer(&mut rng, Engagement::Donate, "29-1141.00");
        assert_eq!(o.causes.iter().map(Goal::get).collect::<Vec<_>>(), [3]);
        assert!(o.no_requirements && o.gap.is_some_and(|g| (5_000.0..=500_000.0).contains(&g)));
    }
}
