//! The four components of a score, their values for one pair, and one ranked match.

use crate::id::{OpportunityId, ProfileId};

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
}

impl Component {
    /// All components, in the order of [`Components`].
    pub const ALL: [Component; 4] = [
        Component::Skills,
        Component::Region,
        Component::Network,
        Component::Language,
    ];

    /// The name (`skills`, `region`, `network`, `language`).
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Skills => "skills",
            Component::Region => "region",
            Component::Network => "network",
            Component::Language => "language",
        }
    }

    pub(crate) fn weight(self, w: &Weights) -> f32 {
        match self {
            Component::Skills => w.skills,
            Component::Region => w.region,
            Component::Network => w.network,
            Component::Language => w.language,
        }
    }
}

/// The value of each component for one pair; `None` where it does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Components(pub(crate) [Option<f32>; 4]);

impl Components {
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
