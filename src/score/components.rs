//! The seven components of a score, their values for one pair, and one ranked match.

use crate::id::{OpportunityId, ProfileId};
use crate::model::Engagement;

use super::Weights;

/// A component of the score.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Skills.
    Skills,
    /// Origin region.
    Region,
    /// Referral network.
    Network,
    /// Languages.
    Language,
    /// Financial capital against an investment's ticket or a donation's funding gap.
    Capital,
    /// The opportunity's sector and causes among the person's interests.
    Interest,
    /// The person's country of residence against the countries of settlement sought.
    Settlement,
}

impl Component {
    /// All components, in the order of [`Components`].
    pub const ALL: [Component; 7] = [
        Component::Skills,
        Component::Region,
        Component::Network,
        Component::Language,
        Component::Capital,
        Component::Interest,
        Component::Settlement,
    ];

    /// The name (`skills`, `region`, `network`, `language`, `capital`, `interest`,
    /// `settlement`).
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Skills => "skills",
            Component::Region => "region",
            Component::Network => "network",
            Component::Language => "language",
            Component::Capital => "capital",
            Component::Interest => "interest",
            Component::Settlement => "settlement",
        }
    }

    pub(crate) fn weight(self, w: &Weights) -> f32 {
        w.get(self)
    }

    /// The component a kind of engagement is about: skills for work, capital for an
    /// investment or a donation, interest for tourism. With
    /// [`MatchConfig::require_evidence`](crate::MatchConfig::require_evidence), a pair is
    /// returned only when this component is above 0; where it does not apply to the
    /// opportunity (an investment without a ticket), skills stand in.
    ///
    /// ```
    /// use diaspora_match::{Component, Engagement};
    /// assert_eq!(Component::primary(Engagement::Remote), Component::Skills);
    /// assert_eq!(Component::primary(Engagement::Donate), Component::Capital);
    /// assert_eq!(Component::primary(Engagement::Tourism), Component::Interest);
    /// ```
    pub fn primary(kind: Engagement) -> Component {
        match kind {
            Engagement::Invest | Engagement::Donate => Component::Capital,
            Engagement::Tourism => Component::Interest,
            _ => Component::Skills,
        }
    }
}

/// The value of each component for one pair; `None` where it does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Components(pub(crate) [Option<f32>; 7]);

impl Components {
    /// The components of work (skills, region, network, language) and the three beyond it
    /// (capital, interest, settlement).
    pub(crate) fn of(work: [Option<f32>; 4], channels: [Option<f32>; 3]) -> Components {
        let [s, r, n, l] = work;
        let [c, i, t] = channels;
        Components([s, r, n, l, c, i, t])
    }

    /// The value of one component.
    pub fn get(&self, c: Component) -> Option<f32> {
        self.0[c as usize]
    }

    /// The weighted mean over the components that apply and have a positive weight, summed in
    /// component order (so the result is the same on every thread).
    pub fn total(&self, weights: &Weights) -> f32 {
        let (mut num, mut den) = (0.0f32, 0.0f32);
        for c in Component::ALL {
            let w = c.weight(weights);
            if let Some(v) = self.get(c)
                && w > 0.0
            {
                num += w * v;
                den += w;
            }
        }
        if den > 0.0 {
            (num / den).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// One scored pair.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Match {
    /// The person.
    pub profile: ProfileId,
    /// The opportunity.
    pub opportunity: OpportunityId,
    /// The total score in `(0, 1]`.
    pub score: f32,
    /// Each component's value.
    pub components: Components,
}
