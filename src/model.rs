//! The data model: profiles, opportunities and their parts, with ids inside.
//!
//! These types are what a service builds or [`io`](crate::io) loads. Every name in them has
//! already been resolved to an id ([`SkillId`], [`RegionId`], [`LanguageId`], [`NodeId`]); only
//! the record keys are strings. The [`Engine`](crate::Engine) compiles them into compact arrays.

use std::fmt;
use std::str::FromStr;

use crate::capital::{Capital, UsdRange};
use crate::id::{LanguageId, NodeId, RegionId, SkillId};
use crate::interests::{Goals, Interests, Sector};

/// A kind of engagement with the country of origin.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Engagement {
    /// Permanent return.
    ReturnPermanent,
    /// Temporary return assignment (weeks to months).
    ReturnTemporary,
    /// Short visit (a workshop, a mission).
    Visit,
    /// Remote knowledge transfer and mentoring.
    Remote,
    /// Investment.
    Invest,
    /// Philanthropy.
    Donate,
    /// Tourism.
    Tourism,
}

impl Engagement {
    /// Every kind, in the order of their external names.
    pub const ALL: [Engagement; 7] = [
        Engagement::ReturnPermanent,
        Engagement::ReturnTemporary,
        Engagement::Visit,
        Engagement::Remote,
        Engagement::Invest,
        Engagement::Donate,
        Engagement::Tourism,
    ];

    /// The external name (`return_temporary`, `remote`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Engagement::ReturnPermanent => "return_permanent",
            Engagement::ReturnTemporary => "return_temporary",
            Engagement::Visit => "visit",
            Engagement::Remote => "remote",
            Engagement::Invest => "invest",
            Engagement::Donate => "donate",
            Engagement::Tourism => "tourism",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Engagement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Engagement {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Engagement::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or(())
    }
}

/// A set of [`Engagement`] kinds, as one byte.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EngagementSet(u8);

impl EngagementSet {
    /// The empty set.
    pub const EMPTY: EngagementSet = EngagementSet(0);

    /// Adds a kind.
    pub fn insert(&mut self, e: Engagement) {
        self.0 |= e.bit();
    }

    /// Whether the set holds a kind.
    pub fn contains(self, e: Engagement) -> bool {
        self.0 & e.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in [`Engagement::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Engagement> {
        Engagement::ALL
            .into_iter()
            .filter(move |e| self.contains(*e))
    }
}

impl FromIterator<Engagement> for EngagementSet {
    fn from_iter<I: IntoIterator<Item = Engagement>>(iter: I) -> Self {
        let mut set = EngagementSet::EMPTY;
        for e in iter {
            set.insert(e);
        }
        set
    }
}

impl fmt::Debug for EngagementSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Language proficiency on the CEFR scale, with `Native` above C2 (`"A1"` .. `"C2"`,
/// `"native"` in JSON).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Proficiency {
    /// Breakthrough.
    A1,
    /// Waystage.
    A2,
    /// Threshold.
    B1,
    /// Vantage.
    B2,
    /// Effective operational proficiency.
    C1,
    /// Mastery.
    C2,
    /// First language.
    #[serde(rename = "native")]
    Native,
}

impl Proficiency {
    /// Every level, lowest first.
    pub const ALL: [Proficiency; 7] = [
        Proficiency::A1,
        Proficiency::A2,
        Proficiency::B1,
        Proficiency::B2,
        Proficiency::C1,
        Proficiency::C2,
        Proficiency::Native,
    ];

    /// The external name (`A1` .. `C2`, `native`).
    pub fn as_str(self) -> &'static str {
        match self {
            Proficiency::A1 => "A1",
            Proficiency::A2 => "A2",
            Proficiency::B1 => "B1",
            Proficiency::B2 => "B2",
            Proficiency::C1 => "C1",
            Proficiency::C2 => "C2",
            Proficiency::Native => "native",
        }
    }
}

impl fmt::Display for Proficiency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Proficiency {
    type Err = ();

    /// Parses `A1`..`C2` (any case) and `native`.
    fn from_str(s: &str) -> Result<Self, ()> {
        Proficiency::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}

/// A skill proficiency level from 1 (basic) to 5 (expert).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

impl TryFrom<u8> for Level {
    type Error = &'static str;

    fn try_from(level: u8) -> Result<Level, &'static str> {
        Level::new(level).ok_or("a level is 1 to 5")
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}

impl Level {
    /// The lowest level.
    pub const BASIC: Level = Level(1);
    /// The highest level.
    pub const EXPERT: Level = Level(5);

    /// A level from 1 to 5, or `None` outside that range.
    pub fn new(level: u8) -> Option<Level> {
        (1..=5).contains(&level).then_some(Level(level))
    }

    /// The level as a number from 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// How far a person is from the country of origin: 1 for people born there, 2 for their
/// children, 3 for grandchildren.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Generation(u8);

impl Generation {
    /// Born in the country of origin.
    pub const FIRST: Generation = Generation(1);

    /// A generation from 1 to 3, or `None` outside that range.
    pub fn new(generation: u8) -> Option<Generation> {
        (1..=3)
            .contains(&generation)
            .then_some(Generation(generation))
    }

    /// The generation as a number from 1 to 3.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date of a year, month (1-12) and day (1-31), or `None` when it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if day > days_in_month[month as usize - 1] {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// The year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }
}

impl FromStr for Date {
    type Err = ();

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, ()> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, ()> {
            let part = s.get(r).ok_or(())?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(());
            }
            part.parse().map_err(|_| ())
        };
        let year = i32::try_from(num(0..4)?).map_err(|_| ())?;
        Date::from_ymd(year, num(5..7)?, num(8..10)?).ok_or(())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A closed interval of dates, `from <= to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    from: Date,
    to: Date,
}

impl Window {
    /// The window from `from` to `to`, both included, or `None` when `to` is before `from`.
    pub fn new(from: Date, to: Date) -> Option<Window> {
        (from <= to).then_some(Window { from, to })
    }

    /// The first day.
    pub fn from(self) -> Date {
        self.from
    }

    /// The last day.
    pub fn to(self) -> Date {
        self.to
    }

    /// Whether two windows share at least one day.
    pub fn overlaps(self, other: Window) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// A skill a person holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeldSkill {
    /// The skill.
    pub skill: SkillId,
    /// Self-assessed or verified proficiency, when known.
    pub level: Option<Level>,
    /// Years of practice, when known.
    pub years: Option<u8>,
}

/// A country of origin or heritage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The country.
    pub country: RegionId,
    /// 1 when born there; 2 or 3 for descendants.
    pub generation: Generation,
}

/// A language and a level: what a person speaks, or what an opportunity asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LanguageSkill {
    /// The language.
    pub language: LanguageId,
    /// The level held, or the minimum level asked for.
    pub level: Proficiency,
}

/// One diaspora member.
///
/// Only the key identifies the person, and it must be pseudonymous: the crate holds no names or
/// contact details. `Debug` prints the key and redacts everything else.
#[derive(Clone, PartialEq)]
pub struct Profile {
    /// The pseudonymous key, unique within a dataset.
    pub key: String,
    /// Skills held, each at most once.
    pub skills: Vec<HeldSkill>,
    /// Countries of origin and heritage; several for mixed heritage.
    pub origins: Vec<Origin>,
    /// The country of residence, when known.
    pub residence: Option<RegionId>,
    /// Languages spoken.
    pub languages: Vec<LanguageSkill>,
    /// Kinds of engagement the person accepts.
    pub engagements: EngagementSet,
    /// When the person is available; `None` means no constraint given.
    pub available: Option<Window>,
    /// Whether the person consents to appear inside someone else's referral path.
    pub intermediary: bool,
    /// What the person is ready to invest and to give.
    pub capital: Capital,
    /// The sectors and causes the person cares about.
    pub interests: Interests,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("key", &self.key)
            .field("skills", &self.skills.len())
            .field("personal_fields", &"<redacted>")
            .finish()
    }
}

/// A skill an opportunity asks for.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Requirement {
    /// The skill.
    pub skill: SkillId,
    /// Its weight among the requirements; finite and positive.
    pub weight: f32,
    /// The lowest acceptable level, if any.
    pub min_level: Option<Level>,
    /// Whether a candidate without it is excluded.
    pub must: bool,
}

/// A development opportunity: an assignment, a mentoring need, an investment or a project.
#[derive(Clone, Debug, PartialEq)]
pub struct Opportunity {
    /// The key, unique within a dataset.
    pub key: String,
    /// A short title for people.
    pub title: String,
    /// The host organisation or contact in the [`Network`](crate::Network).
    pub host: NodeId,
    /// The country where it takes place (or which it serves, for remote work).
    pub country: RegionId,
    /// The kind of engagement.
    pub engagement: Engagement,
    /// The skills asked for: at least one for work (a return, a visit, remote work); none or
    /// more for an investment, a donation or tourism.
    pub requirements: Vec<Requirement>,
    /// Languages asked for, with the minimum level.
    pub languages: Vec<LanguageSkill>,
    /// How many people it can take.
    pub capacity: u32,
    /// When it runs; `None` means no constraint given.
    pub window: Option<Window>,
    /// For an investment: the amounts it takes from one investor.
    pub ticket: Option<UsdRange>,
    /// For a donation: the funding gap in US dollars (positive).
    pub gap: Option<f64>,
    /// The economic sector it belongs to.
    pub sector: Option<Sector>,
    /// The Sustainable Development Goals it serves.
    pub causes: Goals,
    /// Countries of settlement it seeks people in (a market-entry or trade-promotion
    /// opportunity wants insiders of a given market); empty when any will do.
    pub settlement: Vec<RegionId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_print_and_round_trip() {
        let d: Date = "2027-02-28".parse().unwrap();
        assert_eq!(d.to_string(), "2027-02-28");
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().days(), 11_017);
        assert!("2027-02-29".parse::<Date>().is_err());
        assert!("2028-02-29".parse::<Date>().is_ok());
        assert!("2027-2-28".parse::<Date>().is_err());
        assert!("2027-+2-28".parse::<Date>().is_err());
        for days in [-800_000, -1, 0, 1, 19_000, 2_000_000] {
            let d = Date::from_days(days);
            let (y, m, dd) = d.ymd();
            if (1..=9999).contains(&y) {
                assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            }
        }
    }

    #[test]
    fn windows_overlap_inclusively() {
        let w = |a: &str, b: &str| Window::new(a.parse().unwrap(), b.parse().unwrap()).unwrap();
        assert!(w("2027-01-01", "2027-01-31").overlaps(w("2027-01-31", "2027-03-01")));
        assert!(!w("2027-01-01", "2027-01-30").overlaps(w("2027-01-31", "2027-03-01")));
        assert!(
            Window::new("2027-02-01".parse().unwrap(), "2027-01-01".parse().unwrap()).is_none()
        );
    }

    #[test]
    fn engagement_names_and_sets() {
        for e in Engagement::ALL {
            assert_eq!(e.as_str().parse::<Engagement>(), Ok(e));
        }
        let set: EngagementSet = [Engagement::Remote, Engagement::Visit]
            .into_iter()
            .collect();
        assert!(set.contains(Engagement::Remote));
        assert!(!set.contains(Engagement::Invest));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Engagement::Visit, Engagement::Remote]
        );
        assert_eq!("c1".parse::<Proficiency>(), Ok(Proficiency::C1));
        assert!(Proficiency::Native > Proficiency::C2);
    }

    #[test]
    fn profile_debug_redacts_personal_fields() {
        let p = Profile {
            key: "p-1".into(),
            skills: vec![],
            origins: vec![Origin {
                country: RegionId::new(5),
                generation: Generation::FIRST,
            }],
            residence: Some(RegionId::new(9)),
            languages: vec![],
            engagements: EngagementSet::EMPTY,
            available: None,
            intermediary: false,
            capital: Default::default(),
            interests: Default::default(),
        };
        let s = format!("{p:?}");
        assert!(s.contains("p-1") && s.contains("redacted"));
        assert!(!s.contains("region"));
    }
}
