//! The bound of a profile's score for an opportunity that uses the components beyond work,
//! read from the profile's [`digest`] (and its residence and network strength) through
//! tables made once per query.
//!
//! Each component's value is bounded in the scorer's own `f32` arithmetic (from values at
//! least the profile's: a bucket's upper edge, the best of several origins, skills and
//! languages at 1), so it is at least the scorer's; the weighted mean is taken in `f64` and
//! [`MARGIN`] is added, far above the `f32` rounding of the scorer's mean. A profile whose
//! bound is below the `k`-th score cannot enter the top `k`.

use crate::index::digest::{self, NO_ORIGIN, TOP_BUCKET};
use crate::interests::Sector;
use crate::model::{Engagement, Opportunity};
use crate::score::{
    Component, Scorer, capital_applies, donate_credit_of_max, interest_of, invest_credit_of_max,
};

use super::{Context, MARGIN};

/// What the evidence rule needs of a profile, by the component it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// Nothing (the rule is off, or skills are the evidence and apply: bounded at 1).
    Any,
    /// Capital above 0.
    Capital,
    /// Interest above 0.
    Interest,
    /// No profile can show it: skills are the evidence and the opportunity asks for none.
    None,
}

/// The bound's unit: 1 is `2^20` units.
pub(crate) const UNIT: f64 = (1u32 << 20) as f64;

/// The evidence flag of a capital or interest entry.
const EV: u32 = 1 << 31;

/// Credit classes of the sector.
const NO_CREDIT: u8 = 0;
const SAME_SECTION: u8 = 1;
const FULL: u8 = 2;

/// Capital buckets: every value of a digest's bucket field.
const BUCKETS: usize = 1 << digest::BUCKET_BITS;

/// Entries of the region table: every value of a digest's 9-bit origin field.
const ORIGINS: usize = 1 << 9;

/// A share of the total in units, rounded up.
fn units(x: f64) -> u32 {
    (x * UNIT).ceil() as u32
}

/// Per query, every component's share of the bound in [`UNIT`]s, by what a profile's digest
/// says. Capital and interest entries carry the evidence flag `EV` when they show the
/// evidence asked for (every entry of a component that is not the evidence carries it).
pub(crate) struct ChannelBound {
    /// Skills and languages at 1, plus the margin.
    fixed: u32,
    /// The skills' share of the total.
    skills: f64,
    /// Per value of the digest's origin field: a country's region share (at the best
    /// generation factor), 0 for none, the best for several.
    region: Vec<u32>,
    /// The network's share, to be multiplied by a strength.
    network: f64,
    /// Per capital bucket, the capital's share; the bucket's place in the digest.
    capital: [u32; BUCKETS],
    capital_at: u32,
    /// The opportunity's section bit, and per value of the division field the sector's
    /// credit class ([`NO_CREDIT`], [`SAME_SECTION`], [`FULL`]).
    section: u32,
    division: [u8; 128],
    /// The opportunity's causes, and per (credit class, causes shared) the interest's share.
    causes: u32,
    interest: [[u32; 18]; 3],
    /// Per country of residence, the settlement's share, with 0 for none at the end; `None`
    /// when it does not apply.
    settlement: Option<Vec<u32>>,
    /// Whether no profile can show the evidence asked for.
    nobody: bool,
}

impl ChannelBound {
    /// The tables of one opportunity.
    pub(crate) fn new(cx: &Context<'_>, scorer: &Scorer<'_>, o: &Opportunity) -> ChannelBound {
        let w = cx.config.weights_for(o.engagement);
        let applies = |c: Component| match c {
            Component::Skills => !o.requirements.is_empty(),
            Component::Region | Component::Network => true,
            Component::Language => !o.languages.is_empty(),
            Component::Capital => capital_applies(o),
            Component::Interest => o.sector.is_some() || !o.causes.is_empty(),
            Component::Settlement => !o.settlement.is_empty(),
        };
        // The weight of a component over the sum of those that count, as the scorer's mean.
        let counted = |c: Component| applies(c) && w.get(c) > 0.0;
        let den: f64 = Component::ALL
            .into_iter()
            .filter(|&c| counted(c))
            .map(|c| f64::from(w.get(c)))
            .sum();
        let share = |c: Component| {
            if counted(c) && den > 0.0 {
                f64::from(w.get(c)) / den
            } else {
                0.0
            }
        };
        let primary = Component::primary(o.engagement);
        let evidence = match (cx.config.require_evidence, applies(primary)) {
            (false, _) => Evidence::Any,
            (true, true) if primary == Component::Capital => Evidence::Capital,
            (true, true) if primary == Component::Interest => Evidence::Interest,
            (true, _) if applies(Component::Skills) => Evidence::Any,
            (true, _) => Evidence::None,
        };
        ChannelBound {
            fixed: units(share(Component::Skills) + share(Component::Language) + MARGIN),
            skills: share(Component::Skills),
            region: region_table(cx, o, share(Component::Region)),
            network: share(Component::Network),
            capital: capital_table(o, share(Component::Capital), evidence != Evidence::Capital),
            capital_at: if o.engagement == Engagement::Donate {
                digest::DONATE_AT
            } else {
                digest::INVEST_AT
            },
            section: o
                .sector
                .map_or(0, |s| digest::section_bits(s.section().code())),
            division: division_table(o),
            causes: o.causes.bits(),
            interest: interest_table(
                scorer,
                o,
                share(Component::Interest),
                evidence != Evidence::Interest,
            ),
            settlement: applies(Component::Settlement)
                .then(|| settlement_table(cx, scorer, o, share(Component::Settlement))),
            nobody: evidence == Evidence::None,
        }
    }

    /// Whether no profile can be listed (the evidence asked for cannot be shown).
    pub(crate) fn lists_nobody(&self) -> bool {
        self.nobody
    }

    /// How the opportunity's causes are counted: 0 when it gives none, 1 for one, 2 for
    /// more; the `C` of [`ChannelBound::of_shaped`].
    pub(crate) fn shape(&self) -> u8 {
        self.causes.count_ones().min(2) as u8
    }

    /// [`ChannelBound::of_shaped`] for any opportunity.
    #[inline(always)]
    pub(crate) fn of(&self, d: u64) -> (u32, bool) {
        self.of_shaped::<2>(d)
    }

    /// The bound of a profile with digest `d`, without the network and the settlement, in
    /// units; and whether it can show the evidence asked for. `C` is the
    /// [`shape`](ChannelBound::shape) of the opportunity's causes (2 is right for every
    /// opportunity; 0 and 1 spare the count of shared causes in the loop over a kind).
    #[inline(always)]
    pub(crate) fn of_shaped<const C: u8>(&self, d: u64) -> (u32, bool) {
        let capital = self.capital[usize::from(digest::bucket_at(d, self.capital_at))];
        let named = if digest::sections(d) & self.section != 0 {
            FULL
        } else {
            NO_CREDIT
        };
        let class = self.division[usize::from(digest::division(d))].max(named);
        let shared = match C {
            0 => 0,
            1 => (digest::causes(d) >> self.causes.trailing_zeros() & 1) as usize,
            _ => ((digest::causes(d) & self.causes).count_ones() as usize).min(17),
        };
        let interest = self.interest[usize::from(class)][shared];
        let region = self.region[usize::from(digest::origin(d)) & (ORIGINS - 1)];
        let total = self.fixed + region + (capital & !EV) + (interest & !EV);
        (total, capital & interest & EV != 0)
    }

    /// The skills' share of the total, which the bound counts at 1.
    pub(crate) fn skills_share(&self) -> f64 {
        self.skills
    }

    /// Whether the settlement applies (the opportunity seeks countries of settlement).
    pub(crate) fn settles(&self) -> bool {
        self.settlement.is_some()
    }

    /// The settlement's share for a stored residence, in units.
    pub(crate) fn settlement(&self, residence: u16) -> u32 {
        self.settlement.as_ref().map_or(0, |t| {
            let r = usize::from(residence).min(t.len() - 1);
            t[r]
        })
    }

    /// The network's share for a strength, in units.
    pub(crate) fn network(&self, strength: f32) -> u32 {
        units(self.network * f64::from(strength))
    }
}

/// Per value of a digest's origin field: for a country, the region step times the best
/// generation factor, as the scorer computes it, times `share`; 0 for [`NO_ORIGIN`]; the
/// best of all for [`SEVERAL`](digest::SEVERAL) (and ids past the countries).
fn region_table(cx: &Context<'_>, o: &Opportunity, share: f64) -> Vec<u32> {
    let s = &cx.config.region;
    let mut table: Vec<u32> = super::bounds::region_steps(cx, o)
        .into_iter()
        .map(|step| {
            let best = s
                .generation
                .iter()
                .map(|&g| step * g)
                .fold(0.0f32, f32::max);
            units(share * f64::from(best))
        })
        .collect();
    let best = table.iter().copied().max().unwrap_or(0);
    table.resize(ORIGINS, best);
    table[usize::from(NO_ORIGIN)] = 0;
    table[usize::from(digest::SEVERAL)] = best;
    table
}

/// Per bucket of the person's largest amount: the credit at the bucket's upper edge.
/// `flag_all`: the capital is not the evidence, every entry carries the flag.
fn capital_table(o: &Opportunity, share: f64, flag_all: bool) -> [u32; BUCKETS] {
    let all = if flag_all { EV } else { 0 };
    let mut table = [all; BUCKETS];
    if !capital_applies(o) {
        return table;
    }
    for (b, slot) in table.iter_mut().enumerate().skip(1) {
        let edge = if b as u8 == TOP_BUCKET {
            f64::INFINITY
        } else {
            digest::edge(b as u8)
        };
        let credit = match (o.ticket, o.gap) {
            (Some(ticket), _) if o.engagement == Engagement::Invest => {
                invest_credit_of_max(edge, ticket)
            }
            (_, Some(gap)) => donate_credit_of_max(edge, gap),
            _ => 0.0,
        };
        *slot = units(share * f64::from(credit)) | if credit > 0.0 { EV } else { all };
    }
    table
}

/// Per value of a digest's division field, the sector's credit class for the opportunity's
/// sector: [`FULL`] for the same sector, [`SAME_SECTION`] for another of its section (as
/// [`Scorer::sector_credit`]). None for no division, and for several: their sections are in
/// the digest's section bits, which give [`FULL`].
fn division_table(o: &Opportunity) -> [u8; 128] {
    let mut table = [NO_CREDIT; 128];
    let Some(wanted) = o.sector else {
        return table;
    };
    for (d, class) in table
        .iter_mut()
        .enumerate()
        .take(usize::from(digest::SEVERAL_DIVISIONS))
        .skip(1)
    {
        if let Some(s) = Sector::from_index(d - 1) {
            *class = if s == wanted {
                FULL
            } else if s.section() == wanted.section() {
                SAME_SECTION
            } else {
                NO_CREDIT
            };
        }
    }
    table
}

/// Per credit class of the sector and how many of the opportunity's causes are shared: the
/// interest as the scorer computes it, with the class's most credit.
/// `flag_all`: the interest is not the evidence, every entry carries the flag.
fn interest_table(
    scorer: &Scorer<'_>,
    o: &Opportunity,
    share: f64,
    flag_all: bool,
) -> [[u32; 18]; 3] {
    let same = scorer.config.interest.same_section;
    // The class's most credit: a sector named in full may sit beside another of the section.
    let credit = [0.0, same, same.max(1.0)];
    let all = if flag_all { EV } else { 0 };
    [NO_CREDIT, SAME_SECTION, FULL].map(|class| {
        let mut row = [0u32; 18];
        for (shared, slot) in row.iter_mut().enumerate() {
            let sector = o.sector.map(|_| credit[usize::from(class)]);
            let v = interest_of(sector, shared.min(o.causes.len()), o).unwrap_or(0.0);
            *slot = units(share * f64::from(v)) | if v > 0.0 { EV } else { all };
        }
        row
    })
}

/// Per country of residence: the closest country sought, as the scorer computes it; then 0,
/// for `u16::MAX` (every stored residence is a country or none: the loader and the
/// snapshot check make sure).
fn settlement_table(
    cx: &Context<'_>,
    scorer: &Scorer<'_>,
    o: &Opportunity,
    share: f64,
) -> Vec<u32> {
    let mut table: Vec<u32> = (0..cx.regions.len())
        .map(|c| {
            let home = crate::id::RegionId::new(c as u32);
            let best = scorer.closest_sought(home, o).map_or(0.0, |b| b.0);
            units(share * f64::from(best))
        })
        .collect();
    table.push(0);
    table
}
