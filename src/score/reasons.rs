//! The components of work in words, for explanations: the region, network and language
//! reasons, and the names an explanation renders ids with.

use crate::geo::{Closeness, Regions};
use crate::index::ProfileView;
use crate::model::Opportunity;
use crate::taxonomy::{Relation, Taxonomy};

use super::table::Target;
use super::{Exclusion, RequirementCredit, Scorer};

impl Scorer<'_> {
    /// The region component in words.
    pub(crate) fn region_reasons(
        &self,
        p: &ProfileView<'_>,
        o: &Opportunity,
        names: &Names<'_>,
    ) -> Vec<String> {
        let Some((v, origin, closeness, area)) = self.region(p, o) else {
            return vec!["the person gives no origin: no information given, counts as 0".into()];
        };
        let place = names.regions.name(origin.country);
        let kind = match origin.generation.get() {
            1 => "origin".to_string(),
            g => format!("heritage origin (generation {g})"),
        };
        let how = match (closeness, area) {
            (Closeness::SameCountry, _) => format!("the opportunity is in {place}"),
            (Closeness::None, _) => {
                format!("{} is in another region", names.regions.name(o.country))
            }
            (_, Some(a)) => format!(
                "{} shares {}",
                names.regions.name(o.country),
                names.regions.name(a)
            ),
            (_, None) => String::new(),
        };
        vec![format!("{kind} {place}: {how} -> {v:.2}")]
    }

    /// The network component in words.
    pub(crate) fn network_reasons(
        &self,
        p: &ProfileView<'_>,
        t: &Target<'_>,
        names: &Names<'_>,
    ) -> Vec<String> {
        let host = names.network.key(t.opportunity.host);
        let reason = match (t.strengths, p.node) {
            (None, _) => format!("host {host} has no ties: 0 for every candidate"),
            (_, None) => "the person has no ties: no information given, counts as 0".into(),
            (Some(s), Some(node)) => match s.path_to(names.network, node) {
                Some(path) => format!("via {}", names.network.describe(&path.reversed())),
                None => format!(
                    "no path to host {host} within {} ties -> 0",
                    self.config.network_max_hops
                ),
            },
        };
        vec![reason]
    }

    /// The language component in words.
    pub(crate) fn language_reasons(
        p: &ProfileView<'_>,
        o: &Opportunity,
        names: &Names<'_>,
    ) -> Vec<String> {
        if o.languages.is_empty() {
            return vec!["the opportunity asks for no language: not applicable".into()];
        }
        if !p.has_languages() {
            return vec!["the person lists no languages: no information given, counts as 0".into()];
        }
        let Some((_, met)) = Self::language(p, o) else {
            return Vec::new();
        };
        o.languages
            .iter()
            .zip(met)
            .map(|(l, m)| {
                format!(
                    "{} at {}: {}",
                    names.languages.name(l.language),
                    l.level,
                    if m {
                        "spoken, met"
                    } else {
                        "not spoken at that level"
                    }
                )
            })
            .collect()
    }
}

/// The name tables an explanation needs.
pub(crate) struct Names<'a> {
    pub(crate) taxonomy: &'a Taxonomy,
    pub(crate) regions: &'a Regions,
    pub(crate) languages: &'a crate::language::Languages,
    pub(crate) network: &'a crate::network::Network,
}

impl Names<'_> {
    pub(crate) fn exclusion(&self, e: &Exclusion) -> String {
        match e {
            Exclusion::Engagement(k) => format!("does not accept engagement `{k}`"),
            Exclusion::MissingMustHave(s) => {
                format!("missing must-have skill {:?}", self.taxonomy.label(*s))
            }
            Exclusion::Availability => {
                "availability does not overlap the opportunity's window".into()
            }
            Exclusion::NoEvidence => "no requirement gets credit from the person's skills".into(),
            Exclusion::NoPrimaryEvidence(c) => {
                format!(
                    "its {c} component is 0, and the opportunity is about {c}",
                    c = c.as_str()
                )
            }
        }
    }

    pub(crate) fn requirement(&self, c: &RequirementCredit) -> String {
        let req = &c.requirement;
        let label = self.taxonomy.label(req.skill);
        let must = if req.must { ", must-have" } else { "" };
        let min = req
            .min_level
            .map(|l| format!(", level {}+", l.get()))
            .unwrap_or_default();
        let head = format!("{label:?} (weight {:.1}{min}{must})", req.weight);
        match c.via {
            None => format!("{head}: no matching or related skill -> 0"),
            Some((held, rel, level)) => {
                let lvl = level
                    .map(|l| format!(" at level {}", l.get()))
                    .unwrap_or_default();
                let how = match rel {
                    Relation::Same => format!("held{lvl}"),
                    Relation::Narrower { hops } => {
                        format!(
                            "partial credit via narrower {:?}{lvl} ({hops} level(s) down)",
                            self.taxonomy.label(held)
                        )
                    }
                    Relation::Broader { hops } => {
                        format!(
                            "partial credit via broader {:?}{lvl} ({hops} level(s) up)",
                            self.taxonomy.label(held)
                        )
                    }
                    Relation::Sibling => format!(
                        "partial credit via related {:?}{lvl}",
                        self.taxonomy.label(held)
                    ),
                };
                format!("{head}: {how} -> {:.2}", c.credit)
            }
        }
    }
}
