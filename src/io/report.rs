//! The [`ResolutionReport`]: how the skill names of a dataset were resolved.

use crate::error::Location;
use crate::id::SkillId;
use crate::taxonomy::MatchKind;

/// One skill name that did not resolve exactly.
///
/// The name may be a profile's, so `Debug` prints where it was found and how it resolved,
/// never the text or the skills (read the fields for those).
#[derive(Clone, PartialEq)]
pub struct ResolvedName {
    /// Where it was found.
    pub at: Location,
    /// The field, such as `skills[3].skill`.
    pub field: String,
    /// The text as written.
    pub text: String,
    /// The skill it resolved to, if any.
    pub skill: Option<SkillId>,
    /// How, if it resolved.
    pub how: Option<MatchKind>,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Close skills (for unresolved names: what was probably meant).
    pub suggestions: Vec<SkillId>,
}

impl std::fmt::Debug for ResolvedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolvedName")
            .field("at", &self.at)
            .field("field", &self.field)
            .field("how", &self.how)
            .field("confidence", &self.confidence)
            .field("personal_fields", &"<redacted>")
            .finish()
    }
}

/// What the loader did with skill names: counts by how they resolved, and every name that was
/// not an exact key or label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolutionReport {
    /// Names that were skill keys.
    pub keys: usize,
    /// Names that were preferred labels.
    pub labels: usize,
    /// Names that were alternative labels (synonyms).
    pub alt_labels: usize,
    /// Names resolved after normalisation or fuzzily (with their confidence), and names not
    /// resolved (with suggestions), in the order they were read.
    pub inexact: Vec<ResolvedName>,
}

impl std::fmt::Display for ResolutionReport {
    /// One line of counts: `412 names: 20 keys, 380 labels, 9 alternative labels, 2 normalised, 0 synonyms, 0 by words, 1 fuzzy, 0 unresolved`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = |k: Option<MatchKind>| self.inexact.iter().filter(|n| n.how == k).count();
        let total = self.keys + self.labels + self.alt_labels + self.inexact.len();
        write!(
            f,
            "{total} names: {} keys, {} labels, {} alternative labels, {} normalised, {} synonyms, {} by words, {} fuzzy, {} unresolved",
            self.keys,
            self.labels,
            self.alt_labels,
            count(Some(MatchKind::Normalised)),
            count(Some(MatchKind::Synonym)),
            count(Some(MatchKind::Words)),
            count(Some(MatchKind::Fuzzy)),
            count(None)
        )
    }
}

impl ResolutionReport {
    /// Names that did not resolve (dropped from their record, in lenient mode).
    pub fn unresolved(&self) -> impl Iterator<Item = &ResolvedName> {
        self.inexact.iter().filter(|r| r.skill.is_none())
    }
}
