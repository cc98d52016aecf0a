//! What a person cares about beyond work: economic sectors (ISIC Rev.4) and causes (the
//! Sustainable Development Goals), and the sectors and causes an opportunity serves.
//!
//! Both classifications are fixed international standards, so they are built into the crate
//! rather than read as reference data: a profile that says `"sectors":["Q86"]` means the same
//! in every deployment.
//!
//! | file | what |
//! |---|---|
//! | `sectors.rs` | [`Sector`]: the 21 sections and 88 divisions of ISIC Rev.4 |
//! | `goals.rs` | [`Goal`] and [`Goals`]: the 17 Sustainable Development Goals |

mod goals;
mod sectors;

pub use goals::{Goal, Goals};
pub use sectors::Sector;

/// The sectors and causes a person would invest in, give to or visit for.
///
/// # Example
///
/// ```
/// use diaspora_match::{Goal, Goals, Interests, Sector};
/// let health = Sector::parse("Q86").unwrap();
/// let interests = Interests {
///     sectors: vec![health],
///     causes: Goals::from_iter([Goal::new(3).unwrap(), Goal::new(6).unwrap()]),
/// };
/// assert_eq!(health.title(), "Human health activities");
/// assert_eq!(health.section().code(), "Q");
/// assert!(interests.causes.contains(Goal::new(6).unwrap()));
/// assert!(!interests.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interests {
    /// ISIC sections or divisions, each at most once.
    pub sectors: Vec<Sector>,
    /// Sustainable Development Goals.
    pub causes: Goals,
}

impl Interests {
    /// Whether the person gives no sector and no cause.
    pub fn is_empty(&self) -> bool {
        self.sectors.is_empty() && self.causes.is_empty()
    }
}
