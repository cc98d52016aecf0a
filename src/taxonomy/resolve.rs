//! Resolution of free text onto the vocabulary: keys, labels in three languages, synonyms,
//! normalised text, the words of a label, and fuzzy matches.

use crate::id::SkillId;

use super::Taxonomy;
use super::fuzzy::Scope;
use super::labels::{LabelLanguage, Role};

/// Longest text that is matched fuzzily; longer input is not a skill name.
pub const MAX_FUZZY_LEN: usize = 120;

/// Shortest text (in characters, after normalisation) that may resolve fuzzily. One edit in
/// a four-letter word leaves too little to tell "Peru" from "Perl" or "Cuba" from "CUDA":
/// shorter texts only get suggestions.
pub const MIN_FUZZY_CHARS: usize = 5;

/// The indexed fuzzy step suggests, for a text that does not resolve, only labels whose length
/// lets their similarity reach this: by the length bound, a label more than six times as long
/// or as short as the text could not.
const SUGGESTION_FLOOR: f32 = 0.5;

/// How [`Taxonomy::resolve`] found a skill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchKind {
    /// The text is a skill key (or an alias key).
    Key,
    /// The text is a preferred label, exactly (in any language).
    Label,
    /// The text is an alternative label, exactly (in any language).
    AltLabel,
    /// The text equals a label after normalisation (case, accents, punctuation, spacing,
    /// simple plurals).
    Normalised,
    /// The text is a curated everyday word for the skill, exactly or normalised.
    Synonym,
    /// A label contains every content word of the text ("plumbing" in "plumbing tools");
    /// the confidence is the share of the label's words that the text gives.
    Words,
    /// The text is close to a label (typing errors).
    Fuzzy,
}

impl MatchKind {
    /// A short name (`key`, `label`, `alt_label`, `normalised`, `synonym`, `words`, `fuzzy`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Key => "key",
            MatchKind::Label => "label",
            MatchKind::AltLabel => "alt_label",
            MatchKind::Normalised => "normalised",
            MatchKind::Synonym => "synonym",
            MatchKind::Words => "words",
            MatchKind::Fuzzy => "fuzzy",
        }
    }
}

/// A candidate skill for a text.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    /// The skill.
    pub skill: SkillId,
    /// Similarity of the text to the skill's closest label, in `[0, 1]`.
    pub similarity: f32,
    /// The language of that label.
    pub language: LabelLanguage,
}

/// The answer of [`Taxonomy::resolve`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Resolution {
    /// The skill, when the text resolved with at least the asked confidence.
    pub skill: Option<SkillId>,
    /// How it was found.
    pub how: Option<MatchKind>,
    /// The language of the label it was found by (`None` for a key or no match).
    pub language: Option<LabelLanguage>,
    /// Confidence in `[0, 1]`: 1 for exact and normalised matches, the similarity for fuzzy
    /// ones, 0 when nothing resolved.
    pub confidence: f32,
    /// Other close skills, best first (for an unresolved text: the suggestions).
    pub alternatives: Vec<Suggestion>,
}

/// Options for [`Taxonomy::resolve_with`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResolveOptions {
    /// Lowest similarity at which a fuzzy match is accepted.
    pub min_confidence: f32,
    /// How many alternatives to return.
    pub alternatives: usize,
    /// How candidates for a fuzzy match are found.
    pub strategy: FuzzyStrategy,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            // Similarity is the mean of normalised Damerau-Levenshtein and Jaro-Winkler (see
            // `similarity`). 0.8 accepts one or two typing errors in a six-letter word
            // ("Phyton") while a prefix of half the word ("Hask" for "Haskell") stays below.
            min_confidence: 0.8,
            alternatives: 3,
            strategy: FuzzyStrategy::Indexed,
        }
    }
}

/// How [`Taxonomy::resolve_with`] finds candidates for a fuzzy match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FuzzyStrategy {
    /// Compare only the labels that share the most character q-grams with the text among
    /// those whose length lets them reach the asked confidence, found through an index (the
    /// default; tens of microseconds per query). Suggestions for a text that does not resolve
    /// come from labels at most six times as long or as short.
    #[default]
    Indexed,
    /// Compare every label of the vocabulary: the exact oracle the index is tested and
    /// benchmarked against (milliseconds per query).
    Exhaustive,
}

impl Taxonomy {
    /// Resolves free text with the default [`ResolveOptions`].
    ///
    /// Tries, in order: a key (or alias key); a label exactly (preferred, synonym,
    /// alternative, in English, French or Spanish, in that precedence); a normalised label
    /// (case, accents, punctuation, spacing, simple plurals); a label that contains every
    /// content word of the text ([`MatchKind::Words`]); then a fuzzy match. Names of places
    /// and languages ([`Taxonomy::exclude_names`]) are never matched by words or fuzzily.
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::{LabelLanguage, MatchKind};
    /// # let reference = diaspora_match::io::load_reference(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference"))?;
    /// let t = &reference.taxonomy;
    /// let r = t.resolve("Phyton");
    /// assert_eq!(r.how, Some(MatchKind::Fuzzy));
    /// assert_eq!(t.label(r.skill.unwrap()), "Python (computer programming)");
    /// let r = t.resolve("  python ");
    /// assert_eq!((r.how, r.confidence), (Some(MatchKind::Normalised), 1.0));
    /// // Everyday words, French and Spanish labels, words of a label, and a city.
    /// assert_eq!(t.label(t.resolve("MS Excel").skill.unwrap()), "use spreadsheets software");
    /// let r = t.resolve("comptabilité");
    /// assert_eq!((t.label(r.skill.unwrap()), r.language), ("accounting", Some(LabelLanguage::French)));
    /// assert_eq!(t.label(t.resolve("plumbing").skill.unwrap()), "plumbing tools");
    /// assert_eq!(t.resolve("Lagos").skill, None);
    /// assert_eq!(t.resolve("zzqqxx vvbb").skill, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, text: &str) -> Resolution {
        self.resolve_with(text, &ResolveOptions::default())
    }

    /// Resolves free text; see [`Taxonomy::resolve`].
    ///
    /// # Complexity
    ///
    /// Exact and normalised lookups are hash lookups. The fuzzy step counts the q-gram
    /// postings of the text among the labels whose length lets them reach
    /// `min_confidence`, and compares it in full with at most 16 labels; when nothing
    /// resolves, it does so once more, for suggestions (see [`FuzzyStrategy`]). About 35 µs
    /// for a misspelt name on one thread, against some 50 ms for comparing every label.
    pub fn resolve_with(&self, text: &str, options: &ResolveOptions) -> Resolution {
        let exact = |skill, how, language| Resolution {
            skill: Some(skill),
            how: Some(how),
            language,
            confidence: 1.0,
            alternatives: Vec::new(),
        };
        if let Some(&id) = self.by_key.get(text) {
            return exact(id, MatchKind::Key, None);
        }
        if let Some(e) = self.label_table.exact(text) {
            let how = match e.role {
                Role::Preferred => MatchKind::Label,
                Role::Alternative => MatchKind::AltLabel,
                Role::Synonym => MatchKind::Synonym,
            };
            return exact(e.skill, how, Some(e.language));
        }
        let norm = normalise(text);
        if let Some(e) = self.label_table.normalised(&norm) {
            let how = match e.role {
                Role::Synonym => MatchKind::Synonym,
                _ => MatchKind::Normalised,
            };
            return exact(e.skill, how, Some(e.language));
        }
        if norm.len() > MAX_FUZZY_LEN {
            // Not a skill name: neither its words nor its letters are matched.
            return Resolution {
                skill: None,
                how: None,
                language: None,
                confidence: 0.0,
                alternatives: Vec::new(),
            };
        }
        let place = self.not_skills.contains(norm.as_str());
        if !place && let Some(m) = self.words.find(&norm) {
            return Resolution {
                skill: Some(m.skill),
                how: Some(MatchKind::Words),
                language: Some(m.language),
                confidence: m.coverage,
                alternatives: Vec::new(),
            };
        }
        let mut found = self.fuzzy_candidates(&norm, options);
        let long_enough = norm.chars().count() >= MIN_FUZZY_CHARS && !place;
        match found.first() {
            Some(best) if long_enough && best.similarity >= options.min_confidence => {
                let best = found.remove(0);
                found.truncate(options.alternatives);
                Resolution {
                    skill: Some(best.skill),
                    how: Some(MatchKind::Fuzzy),
                    language: Some(best.language),
                    confidence: best.similarity,
                    alternatives: found,
                }
            }
            _ => {
                found.truncate(options.alternatives);
                Resolution {
                    skill: None,
                    how: None,
                    language: None,
                    confidence: 0.0,
                    alternatives: found,
                }
            }
        }
    }

    /// The skills most similar to a normalised text, best first, ties by id: one more than
    /// the asked alternatives. The index first compares only labels whose length lets them
    /// reach the asked confidence (the only ones that can resolve the text); when none does,
    /// it looks again for suggestions, among labels whose length lets them reach
    /// [`SUGGESTION_FLOOR`].
    fn fuzzy_candidates(&self, norm: &str, options: &ResolveOptions) -> Vec<Suggestion> {
        if norm.len() > MAX_FUZZY_LEN {
            return Vec::new();
        }
        let n = options.alternatives + 1;
        if options.strategy == FuzzyStrategy::Exhaustive {
            return self.fuzzy.search(norm, n, Scope::Every);
        }
        let floor = options.min_confidence;
        let found = self.fuzzy.search(norm, n, Scope::Candidates { floor });
        if found.first().is_some_and(|best| best.similarity >= floor) {
            return found;
        }
        let floor = SUGGESTION_FLOOR.min(floor);
        self.fuzzy.search(norm, n, Scope::Candidates { floor })
    }

    /// Resolves many texts, in parallel with the `rayon` feature; the answers are in input
    /// order and the same as one [`Taxonomy::resolve_with`] call each.
    pub fn resolve_many<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        options: &ResolveOptions,
    ) -> Vec<Resolution> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            texts
                .par_iter()
                .map(|t| self.resolve_with(t.as_ref(), options))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            texts
                .iter()
                .map(|t| self.resolve_with(t.as_ref(), options))
                .collect()
        }
    }

    /// Number of labels (preferred and alternative, distinct after normalisation) that fuzzy
    /// matching compares against.
    pub fn fuzzy_label_count(&self) -> usize {
        self.fuzzy.len()
    }
}

/// The normal form used for case- and punctuation-insensitive lookup: lowercase, common Latin
/// accents removed, punctuation other than `+` and `#` (C++, C#) turned into spaces, runs of
/// spaces collapsed, and a plural `s` dropped from words longer than three letters.
///
/// # Example
///
/// ```
/// assert_eq!(diaspora_match::normalise("  Nursing-Care  Plans "), "nursing care plan");
/// assert_eq!(diaspora_match::normalise("C++ / C#"), "c++ c#");
/// assert_eq!(diaspora_match::normalise("Gestión"), "gestion");
/// ```
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if word.len() > 3
            && word.ends_with('s')
            && !word.ends_with("ss")
            && !word.ends_with("us")
            && !word.ends_with("is")
        {
            word.pop();
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        word.clear();
    };
    for c in text.chars() {
        for lc in c.to_lowercase() {
            let lc = fold_accent(lc);
            if lc.is_alphanumeric() || lc == '+' || lc == '#' {
                word.push(lc);
            } else {
                flush(&mut word, &mut out);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ł' => 'l',
        _ => c,
    }
}
