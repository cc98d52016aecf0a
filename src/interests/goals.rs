//! The 17 Sustainable Development Goals of the 2030 Agenda (UN General Assembly resolution
//! A/RES/70/1, 2015), by number, with their short titles.

use std::fmt;

/// The short titles of the goals, goal 1 first.
const TITLES: [&str; 17] = [
    "No poverty",
    "Zero hunger",
    "Good health and well-being",
    "Quality education",
    "Gender equality",
    "Clean water and sanitation",
    "Affordable and clean energy",
    "Decent work and economic growth",
    "Industry, innovation and infrastructure",
    "Reduced inequalities",
    "Sustainable cities and communities",
    "Responsible consumption and production",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace, justice and strong institutions",
    "Partnerships for the goals",
];

/// One Sustainable Development Goal, 1 to 17.
///
/// ```
/// use diaspora_match::Goal;
/// let water = Goal::new(6).unwrap();
/// assert_eq!(water.title(), "Clean water and sanitation");
/// assert_eq!(water.to_string(), "SDG 6");
/// assert!(Goal::new(0).is_none() && Goal::new(18).is_none());
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Goal(u8);

impl Goal {
    /// The number of goals.
    pub const COUNT: u8 = 17;

    /// Goal `n`, or `None` outside 1 to 17.
    pub fn new(n: u8) -> Option<Goal> {
        (1..=Self::COUNT).contains(&n).then_some(Goal(n))
    }

    /// Its number, 1 to 17.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Its short title ("Clean water and sanitation").
    pub fn title(self) -> &'static str {
        TITLES[usize::from(self.0 - 1)]
    }

    /// Every goal, 1 first.
    pub fn all() -> impl Iterator<Item = Goal> {
        (1..=Self::COUNT).map(Goal)
    }
}

impl TryFrom<u8> for Goal {
    type Error = String;
    fn try_from(n: u8) -> Result<Goal, String> {
        Goal::new(n).ok_or_else(|| format!("no Sustainable Development Goal {n} (1 to 17)"))
    }
}

impl From<Goal> for u8 {
    fn from(g: Goal) -> u8 {
        g.0
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SDG {}", self.0)
    }
}

/// A set of goals, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Goals(u32);

impl Goals {
    /// No goal.
    pub const EMPTY: Goals = Goals(0);

    /// Whether it holds no goal.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many goals it holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether it holds `g`.
    pub fn contains(self, g: Goal) -> bool {
        self.0 & Self::bit(g) != 0
    }

    /// Adds `g`.
    pub fn insert(&mut self, g: Goal) {
        self.0 |= Self::bit(g);
    }

    /// The goals held by both.
    pub fn intersection(self, other: Goals) -> Goals {
        Goals(self.0 & other.0)
    }

    /// The goals, in ascending order.
    pub fn iter(self) -> impl Iterator<Item = Goal> {
        Goal::all().filter(move |&g| self.contains(g))
    }

    /// The set as 17 bits (goal `n` at bit `n - 1`), for compact storage.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// The set of bits `b`, or `None` when a bit above the 17th is set.
    pub fn from_bits(b: u32) -> Option<Goals> {
        (b >> Goal::COUNT == 0).then_some(Goals(b))
    }

    fn bit(g: Goal) -> u32 {
        1 << (g.0 - 1)
    }
}

impl FromIterator<Goal> for Goals {
    fn from_iter<I: IntoIterator<Item = Goal>>(iter: I) -> Goals {
        let mut s = Goals::EMPTY;
        for g in iter {
            s.insert(g);
        }
        s
    }
}

impl Extend<Goal> for Goals {
    fn extend<I: IntoIterator<Item = Goal>>(&mut self, iter: I) {
        for g in iter {
            self.insert(g);
        }
    }
}

impl serde::Serialize for Goals {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Goals {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Goals, D::Error> {
        Ok(Vec::<Goal>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_goal_has_a_title_and_round_trips_as_bits() {
        assert_eq!(Goal::all().count(), 17);
        assert_eq!(
            Goal::new(17).map(Goal::title),
            Some("Partnerships for the goals")
        );
        let set: Goals = [3, 6, 17].into_iter().filter_map(Goal::new).collect();
        assert_eq!(set.len(), 3);
        assert_eq!(Goals::from_bits(set.bits()), Some(set));
        assert_eq!(Goals::from_bits(1 << 17), None);
        let json = serde_json::to_string(&set).unwrap_or_default();
        assert_eq!(json, "[3,6,17]");
        let back: Goals = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, set);
        assert!(serde_json::from_str::<Goals>("[18]").is_err());
    }
}
