//! The label table behind skill resolution: every name of every skill, in every language,
//! with the precedence that decides which skill a shared name resolves to.
//!
//! A skill has a preferred label and alternative labels in English (ESCO and O*NET), often
//! in French and Spanish (ESCO), and may have curated everyday synonyms ("nursing", "MS
//! Excel"). When two skills share a name, the first in this order wins: English preferred,
//! curated synonym, English alternative, French and Spanish preferred, French and Spanish
//! alternative; within one rank, the lower skill id. Exact texts and normalised texts (see
//! [`crate::taxonomy::normalise`]) are looked up in two hash maps.

use std::collections::HashMap;

use crate::id::SkillId;
use crate::taxonomy::normalise;

/// The language of a label.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum LabelLanguage {
    /// English (ESCO, O*NET).
    #[serde(rename = "en")]
    English,
    /// French (ESCO).
    #[serde(rename = "fr")]
    French,
    /// Spanish (ESCO).
    #[serde(rename = "es")]
    Spanish,
}

impl LabelLanguage {
    /// Every language, in precedence order.
    pub const ALL: [LabelLanguage; 3] = [
        LabelLanguage::English,
        LabelLanguage::French,
        LabelLanguage::Spanish,
    ];

    /// The ISO 639-1 code (`en`, `fr`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            LabelLanguage::English => "en",
            LabelLanguage::French => "fr",
            LabelLanguage::Spanish => "es",
        }
    }

    /// The language of an ISO 639-1 code.
    pub fn from_code(code: &str) -> Option<LabelLanguage> {
        LabelLanguage::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// What a label is to its skill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Role {
    /// The preferred label in its language.
    Preferred,
    /// An alternative label (synonym given by the taxonomy).
    Alternative,
    /// A curated everyday word (`skill_synonyms.csv`).
    Synonym,
}

/// One label: the skill it names, its language and its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) skill: SkillId,
    pub(crate) language: LabelLanguage,
    pub(crate) role: Role,
}

impl Entry {
    /// The precedence rank: lower wins a shared name. Curated synonyms come right after
    /// English preferred labels: they exist to name a skill by an everyday word, and must win
    /// over an alternative label that ESCO gives another concept ("teaching" is an
    /// alternative label of "adult education").
    pub(crate) fn rank(&self) -> (u8, u8) {
        let english = self.language == LabelLanguage::English;
        match (self.role, english) {
            (Role::Preferred, true) => (0, 0),
            (Role::Synonym, _) => (1, self.language as u8),
            (Role::Alternative, true) => (2, 0),
            (Role::Preferred, false) => (3, self.language as u8),
            (Role::Alternative, false) => (4, self.language as u8),
        }
    }
}

/// Every label, looked up exactly or normalised.
#[derive(Clone, Debug, Default)]
pub(crate) struct Labels {
    exact: HashMap<Box<str>, Entry>,
    normalised: HashMap<Box<str>, Entry>,
}

impl Labels {
    /// Builds the table from `(text, entry)` pairs in any order; shared names go to the
    /// entry of highest precedence. Texts that normalise to nothing are left out of the
    /// normalised map (they would catch every blank or symbol-only input).
    pub(crate) fn build(mut labels: Vec<(String, Entry)>) -> Labels {
        labels.sort_by_key(|(_, e)| (e.rank(), e.skill));
        let mut out = Labels::default();
        for (text, entry) in labels {
            let norm = normalise(&text);
            if !norm.is_empty() {
                out.normalised.entry(norm.into_boxed_str()).or_insert(entry);
            }
            out.exact.entry(text.into_boxed_str()).or_insert(entry);
        }
        out
    }

    /// The entry of an exact text.
    pub(crate) fn exact(&self, text: &str) -> Option<Entry> {
        self.exact.get(text).copied()
    }

    /// The entry of a normalised text.
    pub(crate) fn normalised(&self, norm: &str) -> Option<Entry> {
        self.normalised.get(norm).copied()
    }

    /// Every normalised text with the entry it names, for the fuzzy index, in a stable order
    /// (by precedence, then text).
    pub(crate) fn fuzzy_entries(&self) -> Vec<(String, Entry)> {
        let mut out: Vec<(String, Entry)> = self
            .normalised
            .iter()
            .map(|(t, e)| (t.to_string(), *e))
            .collect();
        out.sort_by(|a, b| (a.1.rank(), a.1.skill, &a.0).cmp(&(b.1.rank(), b.1.skill, &b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(skill: u32, language: LabelLanguage, role: Role) -> Entry {
        Entry {
            skill: SkillId::new(skill),
            language,
            role,
        }
    }

    #[test]
    fn shared_names_go_to_the_highest_precedence() {
        let labels = Labels::build(vec![
            (
                "marketing".into(),
                entry(3, LabelLanguage::French, Role::Preferred),
            ),
            (
                "Marketing".into(),
                entry(5, LabelLanguage::English, Role::Alternative),
            ),
            (
                "nursing".into(),
                entry(1, LabelLanguage::English, Role::Synonym),
            ),
            (
                "***".into(),
                entry(2, LabelLanguage::English, Role::Preferred),
            ),
        ]);
        // Normalised, "Marketing" (English) beats "marketing" (French); exactly, each is its own.
        assert_eq!(
            labels.normalised("marketing").unwrap().skill,
            SkillId::new(5)
        );
        assert_eq!(labels.exact("marketing").unwrap().skill, SkillId::new(3));
        assert_eq!(labels.normalised("nursing").unwrap().role, Role::Synonym);
        // A label of symbols only is found exactly but never catches a normalised blank.
        assert!(labels.exact("***").is_some());
        assert!(labels.normalised("").is_none());
        assert_eq!(LabelLanguage::from_code("es"), Some(LabelLanguage::Spanish));
    }
}
