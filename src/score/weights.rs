//! [`Weights`] of the components, per engagement kind ([`KindWeights`]), each default with
//! its reason, and each kind's primary component.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Engagement;

use super::Component;

/// Weights of the components in the total. A component whose weight is 0 is left out of the
/// total; one that does not apply to an opportunity (it gives no ticket, no sector, ...) too.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Skills: the purpose of a work match, so its largest weight.
    pub skills: f32,
    /// Origin region. Origin can reveal ethnicity: set it to zero where that must not count
    /// ([`MatchConfig::set_weight`](super::MatchConfig::set_weight) does so for every kind).
    pub region: f32,
    /// Referral network.
    pub network: f32,
    /// Languages.
    pub language: f32,
    /// Capital against an investment's ticket or a donation's gap.
    pub capital: f32,
    /// Sector and causes.
    pub interest: f32,
    /// Country of residence against the countries of settlement sought.
    pub settlement: f32,
}

impl Default for Weights {
    /// The weights of work: a return, a visit, remote work.
    fn default() -> Self {
        Weights {
            // Skills decide whether the work gets done: more than half of the total.
            skills: 0.55,
            // Knowing the country matters, but should not outweigh competence.
            region: 0.15,
            // A referral path helps a placement start; a missing one should not sink it.
            network: 0.15,
            // Languages are often also a must-have filter; here they only rank.
            language: 0.15,
            // Work is not bought: money does not rank candidates for an assignment.
            capital: 0.0,
            // A sector in common shows motivation, less than competence does.
            interest: 0.10,
            // A market-entry task needs an insider of that market, nearly as much as origin.
            settlement: 0.15,
        }
    }
}

impl Weights {
    /// The weights of an investment: about capital, sector and trust.
    pub fn invest() -> Weights {
        Weights {
            // Competence helps an investor oversee the venture; it is not what is asked.
            skills: 0.10,
            // Knowing the country lowers an investor's risk.
            region: 0.10,
            // Investors act through people they trust: the referral path counts twice.
            network: 0.20,
            language: 0.0,
            // The ticket is what the opportunity asks for: the largest weight.
            capital: 0.35,
            // An investor who knows the sector adds more than money.
            interest: 0.20,
            settlement: 0.05,
        }
    }

    /// The weights of a donation: about the cause, the money and ties to the place.
    pub fn donate() -> Weights {
        Weights {
            skills: 0.0,
            // Diaspora giving follows home towns and regions.
            region: 0.20,
            network: 0.15,
            language: 0.0,
            // How much of the gap the person can close.
            capital: 0.30,
            // Donors give to causes they care about: the largest weight.
            interest: 0.35,
            settlement: 0.0,
        }
    }

    /// The weights of tourism: about roots and interests.
    pub fn tourism() -> Weights {
        Weights {
            skills: 0.0,
            // Roots tourism: people visit where they come from.
            region: 0.35,
            network: 0.10,
            language: 0.10,
            capital: 0.0,
            // What the trip is about (heritage, nature, food): the largest weight.
            interest: 0.45,
            settlement: 0.0,
        }
    }

    /// The weight of one component.
    pub fn get(&self, c: Component) -> f32 {
        match c {
            Component::Skills => self.skills,
            Component::Region => self.region,
            Component::Network => self.network,
            Component::Language => self.language,
            Component::Capital => self.capital,
            Component::Interest => self.interest,
            Component::Settlement => self.settlement,
        }
    }

    /// Sets the weight of one component.
    pub fn set(&mut self, c: Component, w: f32) {
        let slot = match c {
            Component::Skills => &mut self.skills,
            Component::Region => &mut self.region,
            Component::Network => &mut self.network,
            Component::Language => &mut self.language,
            Component::Capital => &mut self.capital,
            Component::Interest => &mut self.interest,
            Component::Settlement => &mut self.settlement,
        };
        *slot = w;
    }

    /// Checks the weights, naming fields under `prefix` (`weights`, `kinds.invest`).
    pub(crate) fn validate(&self, prefix: &str) -> Result<()> {
        for c in Component::ALL {
            let v = self.get(c);
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::config(
                    format!("{prefix}.{}", c.as_str()),
                    "must be finite and non-negative",
                ));
            }
        }
        let sum: f32 = Component::ALL.iter().map(|&c| self.get(c)).sum();
        if sum <= 0.0 {
            return Err(Error::config(
                prefix,
                "at least one weight must be positive",
            ));
        }
        // Every total is a sum of weights times values in [0, 1]: it stays finite when the
        // weights' sum does.
        if !sum.is_finite() {
            return Err(Error::config(prefix, "their sum must be finite"));
        }
        Ok(())
    }
}

/// Weights for the kinds of engagement that have their own; the others take
/// [`MatchConfig::weights`](super::MatchConfig::weights). In a JSON configuration, a kind's
/// weights replace the whole set: fields left out take [`Weights::default`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KindWeights {
    /// Permanent return (default: none of its own).
    pub return_permanent: Option<Weights>,
    /// Temporary return (default: none of its own).
    pub return_temporary: Option<Weights>,
    /// Visit (default: none of its own).
    pub visit: Option<Weights>,
    /// Remote work (default: none of its own).
    pub remote: Option<Weights>,
    /// Investment ([`Weights::invest`]).
    pub invest: Option<Weights>,
    /// Donation ([`Weights::donate`]).
    pub donate: Option<Weights>,
    /// Tourism ([`Weights::tourism`]).
    pub tourism: Option<Weights>,
}

impl Default for KindWeights {
    fn default() -> Self {
        KindWeights {
            return_permanent: None,
            return_temporary: None,
            visit: None,
            remote: None,
            invest: Some(Weights::invest()),
            donate: Some(Weights::donate()),
            tourism: Some(Weights::tourism()),
        }
    }
}

impl KindWeights {
    /// The weights of one kind, if it has its own.
    pub fn get(&self, kind: Engagement) -> Option<&Weights> {
        self.slot(kind).as_ref()
    }

    /// The weights of one kind, to set or clear.
    pub fn slot_mut(&mut self, kind: Engagement) -> &mut Option<Weights> {
        match kind {
            Engagement::ReturnPermanent => &mut self.return_permanent,
            Engagement::ReturnTemporary => &mut self.return_temporary,
            Engagement::Visit => &mut self.visit,
            Engagement::Remote => &mut self.remote,
            Engagement::Invest => &mut self.invest,
            Engagement::Donate => &mut self.donate,
            Engagement::Tourism => &mut self.tourism,
        }
    }

    fn slot(&self, kind: Engagement) -> &Option<Weights> {
        match kind {
            Engagement::ReturnPermanent => &self.return_permanent,
            Engagement::ReturnTemporary => &self.return_temporary,
            Engagement::Visit => &self.visit,
            Engagement::Remote => &self.remote,
            Engagement::Invest => &self.invest,
            Engagement::Donate => &self.donate,
            Engagement::Tourism => &self.tourism,
        }
    }
}
