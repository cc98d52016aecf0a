//! Resolution by words: the label that contains every word of a text, with the fewest other
//! words.
//!
//! ESCO names most skills by what a person does ("install plumbing systems", "provide
//! nursing care"); people name them by the field ("plumbing", "nursing care"). When a text is
//! no label, exactly or normalised, the labels that contain each of its content words (in any
//! order) are candidates, and the one with the fewest extra words wins: "plumbing" resolves to
//! "plumbing tools" before "install plumbing systems", "enfermería" to "ciencia de la
//! enfermería". Ties go to skills and knowledge before groups and technologies, then to the
//! label's precedence (English preferred first), then to the shorter label and the lower id.
//! Stop words and filler ("skills", "experience", "various") are not content words; a text
//! with none resolves to nothing. A technology (a product name) must be matched by at least
//! half of its words.

use std::collections::HashMap;

use crate::id::SkillId;
use crate::taxonomy::SkillKind;

use super::labels::{Entry, LabelLanguage, Role};

/// Words that carry no meaning of their own in a skill name, in English, French and Spanish,
/// and filler that people write around skill names.
const STOP_WORDS: &[&str] = &[
    // English
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "etc",
    "other",
    "others",
    "various",
    "general",
    "good",
    "basic",
    "advanced",
    "excellent",
    "experience",
    "experienced",
    "knowledge",
    "skill",
    "skilled",
    "see",
    "cv",
    "resume",
    "none",
    "yes",
    "no",
    "na",
    "n",
    "tbd",
    "attached",
    "request",
    "available",
    "all",
    "any",
    "some",
    "many",
    "much",
    "very",
    "everything",
    "nothing",
    "something",
    "thing",
    "per",
    "my",
    "me",
    "please",
    "contact",
    "mr",
    "mrs",
    "ms",
    "dr",
    "ok",
    // French
    "au",
    "aux",
    "de",
    "des",
    "du",
    "en",
    "et",
    "la",
    "le",
    "les",
    "par",
    "pour",
    "sur",
    "un",
    "une",
    "autre",
    "autres",
    "divers",
    "connaissance",
    "competence",
    // Spanish
    "al",
    "con",
    "del",
    "el",
    "las",
    "lo",
    "los",
    "para",
    "por",
    "una",
    "uno",
    "y",
    "otro",
    "otros",
    "varios",
    "conocimiento",
];

/// One label of the word index.
#[derive(Clone, Copy, Debug)]
struct Label {
    skill: SkillId,
    language: LabelLanguage,
    /// Content words.
    words: u16,
    /// Characters of the normalised label.
    chars: u16,
    /// Skills and knowledge 0, groups 1, technologies 2.
    kind: u8,
    /// The label's precedence (see [`Entry`]).
    rank: (u8, u8),
}

/// A label found by words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct WordMatch {
    pub(crate) skill: SkillId,
    pub(crate) language: LabelLanguage,
    /// The text's content words over the label's, in `(0, 1]`.
    pub(crate) coverage: f32,
}

/// Per content word, the labels that contain it.
#[derive(Clone, Debug, Default)]
pub(crate) struct WordIndex {
    labels: Vec<Label>,
    postings: HashMap<Box<str>, Vec<u32>>,
}

/// The distinct content words of a normalised text.
fn content_words(norm: &str) -> Vec<&str> {
    let mut out: Vec<&str> = norm
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .filter(|w| w.chars().count() >= 2 || w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl WordIndex {
    /// The index over normalised labels with their entries; `kind` gives each skill's kind.
    pub(crate) fn build(
        labels: &[(String, Entry)],
        kind: impl Fn(SkillId) -> SkillKind,
    ) -> WordIndex {
        let mut out = WordIndex::default();
        // Synonyms are whole everyday phrases: found exactly, normalised or fuzzily, never
        // by one of their words ("sage" is not "sage-femme").
        for (text, entry) in labels.iter().filter(|(_, e)| e.role != Role::Synonym) {
            let words = content_words(text);
            if words.is_empty() {
                continue;
            }
            let id = out.labels.len() as u32;
            out.labels.push(Label {
                skill: entry.skill,
                language: entry.language,
                words: words.len().min(usize::from(u16::MAX)) as u16,
                chars: text.chars().count().min(usize::from(u16::MAX)) as u16,
                kind: match kind(entry.skill) {
                    SkillKind::Skill | SkillKind::Knowledge => 0,
                    SkillKind::Group => 1,
                    _ => 2,
                },
                rank: entry.rank(),
            });
            for w in words {
                out.postings.entry(w.into()).or_default().push(id);
            }
        }
        out
    }

    /// The best label containing every content word of `norm` (a normalised text), if any.
    ///
    /// # Complexity
    ///
    /// Linear in the posting list of the text's rarest word, times a hash look-up per other
    /// word's list (binary searches).
    pub(crate) fn find(&self, norm: &str) -> Option<WordMatch> {
        let words = content_words(norm);
        if words.is_empty() {
            return None;
        }
        let mut lists: Vec<&[u32]> = Vec::with_capacity(words.len());
        for w in &words {
            lists.push(self.postings.get(*w)?);
        }
        lists.sort_by_key(|l| l.len());
        let (rarest, rest) = lists.split_first()?;
        let n = words.len() as u16;
        let best = rarest
            .iter()
            .filter(|l| rest.iter().all(|list| list.binary_search(l).is_ok()))
            .map(|&l| &self.labels[l as usize])
            // A product name is found by most of its words, not one of many ("Accra Med
            // Software Filopto" is no answer to "Accra").
            .filter(|l| l.kind < 2 || 2 * n >= l.words)
            .min_by_key(|l| (l.words, l.kind, l.rank, l.chars, l.skill))?;
        Some(WordMatch {
            skill: best.skill,
            language: best.language,
            coverage: words.len() as f32 / f32::from(best.words.max(1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(skill: u32) -> Entry {
        Entry {
            skill: SkillId::new(skill),
            language: LabelLanguage::English,
            role: Role::Preferred,
        }
    }

    #[test]
    fn fewest_extra_words_win_and_every_word_must_be_there() {
        let labels = vec![
            ("install plumbing system".to_string(), entry(0)),
            ("plumbing tool".to_string(), entry(1)),
            ("provide nursing care".to_string(), entry(2)),
            ("nursing science".to_string(), entry(3)),
        ];
        let index = WordIndex::build(&labels, |_| SkillKind::Skill);
        let found = |t: &str| index.find(t).map(|m| m.skill.index());
        assert_eq!(found("plumbing"), Some(1));
        assert_eq!(found("nursing care"), Some(2));
        assert_eq!(found("care nursing"), Some(2));
        assert_eq!(found("nursing"), Some(3));
        assert_eq!(found("nursing plumbing"), None);
        // Stop words and filler are no content: nothing to find.
        assert_eq!(found("the of various"), None);
        assert_eq!(found("experience in nursing"), Some(3));
        assert!((index.find("plumbing").unwrap().coverage - 0.5).abs() < 1e-6);
    }
}
