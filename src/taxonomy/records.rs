//! The records a taxonomy is built from, and why a record is refused.

use crate::error::{Error, Location};

use super::labels::LabelLanguage;

/// What an entry of the taxonomy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkillKind {
    /// A skill or competence (ESCO), or an O*NET skill.
    Skill,
    /// A knowledge area (ESCO knowledge, O*NET knowledge).
    Knowledge,
    /// A named tool or technology (O*NET technology skills).
    Technology,
    /// A grouping: an ESCO skill group, an O*NET content-model group or commodity category.
    Group,
}

impl SkillKind {
    /// The external name (`skill`, `knowledge`, `technology`, `group`).
    pub fn as_str(self) -> &'static str {
        match self {
            SkillKind::Skill => "skill",
            SkillKind::Knowledge => "knowledge",
            SkillKind::Technology => "technology",
            SkillKind::Group => "group",
        }
    }

    /// Parses an external name.
    pub fn parse(s: &str) -> Option<SkillKind> {
        [
            SkillKind::Skill,
            SkillKind::Knowledge,
            SkillKind::Technology,
            SkillKind::Group,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One entry as the loader reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillRecord {
    /// Stable key.
    pub key: String,
    /// Kind.
    pub kind: SkillKind,
    /// Preferred label.
    pub label: String,
    /// Alternative labels (synonyms).
    pub alt_labels: Vec<String>,
    /// Keys of the broader entries.
    pub broader: Vec<String>,
    /// Other keys that name the same concept (an O*NET technology bridged to the ESCO skill
    /// of the same name); they resolve like the key.
    pub aliases: Vec<String>,
    /// Labels in other languages.
    pub translations: Vec<Translation>,
    /// Curated everyday words that name this skill where the taxonomy has no such label
    /// (`data/reference/skill_synonyms.csv`), with their language.
    pub synonyms: Vec<(LabelLanguage, String)>,
}

impl SkillRecord {
    /// A record with a key, kind and preferred label, and nothing else.
    pub fn new(key: impl Into<String>, kind: SkillKind, label: impl Into<String>) -> SkillRecord {
        SkillRecord {
            key: key.into(),
            kind,
            label: label.into(),
            alt_labels: Vec::new(),
            broader: Vec::new(),
            aliases: Vec::new(),
            translations: Vec::new(),
            synonyms: Vec::new(),
        }
    }
}

/// A skill's labels in one more language.
#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    /// The language.
    pub language: LabelLanguage,
    /// The preferred label in it.
    pub label: String,
    /// Alternative labels in it.
    pub alt_labels: Vec<String>,
}

/// Why [`Taxonomy::from_records`](super::Taxonomy::from_records) refused record `index`: an
/// [`ErrorKind::Field`](crate::ErrorKind::Field) at that record.
pub(crate) fn refused(index: usize, field: &'static str, reason: String) -> Error {
    Error::field(Location::default().index(index), field, reason)
}
