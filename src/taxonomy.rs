//! The skill vocabulary: labels, alternative labels, the broader/narrower hierarchy, and
//! resolution of free text onto it.
//!
//! The shipped taxonomy (see `data/README.md`) joins the ESCO skills (with their alternative
//! labels and broader skills and skill groups), the O*NET skills and knowledge areas (under the
//! O*NET content model) and the O*NET technologies (under their commodity categories) into one
//! vocabulary of about 12,000 entries. Each entry has a stable key (`esco:<uuid>`,
//! `onet:2.A.1.a`, `onet-t:Python`), a preferred label and a kind.
//!
//! Relations along the hierarchy are precomputed when the taxonomy is built: every skill keeps
//! its ancestors within [`MAX_RELATION_HOPS`] with their distance, so the scorer decides whether
//! two skills are the same, narrower, broader or siblings by comparing two short sorted lists,
//! never by walking the hierarchy per pair.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use crate::csr::Csr;
use crate::fuzzy::{FuzzyIndex, Scope};
use crate::id::SkillId;
pub use crate::labels::LabelLanguage;
use crate::labels::{Entry, Labels, Role};
use crate::words::WordIndex;

/// How far along the hierarchy relations are precomputed. [`MatchConfig`](crate::MatchConfig)
/// may use any hop limit up to this.
pub const MAX_RELATION_HOPS: u8 = 3;

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

/// Why [`Taxonomy::from_records`] refused its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxonomyError {
    /// Index of the offending record.
    pub index: usize,
    /// The field.
    pub field: &'static str,
    /// What is wrong.
    pub reason: String,
}

/// How two skills are related along the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The same skill.
    Same,
    /// The held skill is narrower (more specific) than the required one, `hops` levels down.
    Narrower {
        /// Levels between them, at least 1.
        hops: u8,
    },
    /// The held skill is broader (more general) than the required one, `hops` levels up.
    Broader {
        /// Levels between them, at least 1.
        hops: u8,
    },
    /// The two share a direct broader entry.
    Sibling,
}

/// How [`Taxonomy::resolve`] found a skill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Suggestion {
    /// The skill.
    pub skill: SkillId,
    /// Similarity of the text to the skill's closest label, in `[0, 1]`.
    pub similarity: f32,
    /// The language of that label.
    pub language: LabelLanguage,
}

/// The answer of [`Taxonomy::resolve`].
#[derive(Clone, Debug, PartialEq)]
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

/// The skill vocabulary with its hierarchy and lookup tables.
#[derive(Clone)]
pub struct Taxonomy {
    keys: Vec<String>,
    labels: Vec<String>,
    kinds: Vec<SkillKind>,
    alt_labels: Csr<String>,
    parents: Csr<SkillId>,
    children: Csr<SkillId>,
    /// Ancestors within [`MAX_RELATION_HOPS`], sorted by id, with their distance.
    ancestors: Csr<(SkillId, u8)>,
    /// Keys and alias keys.
    by_key: HashMap<String, SkillId>,
    /// Every label of every language and every synonym.
    label_table: Labels,
    /// Every normalised label once, indexed by its content words.
    words: WordIndex,
    /// Every normalised label once, with the skill it names first, indexed by q-grams.
    fuzzy: FuzzyIndex,
    /// Normalised names that are no skill (places, languages): never resolved fuzzily.
    not_skills: HashSet<Box<str>>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("skills", &self.keys.len())
            .field("alt_labels", &self.alt_labels.item_count())
            .finish()
    }
}

impl Taxonomy {
    /// Builds the taxonomy. Skills get ids in record order.
    ///
    /// # Errors
    ///
    /// A duplicate or empty key or alias, an empty label, a broader key that names no
    /// record, or a record that is its own broader entry.
    ///
    /// # Complexity
    ///
    /// Linear in the number of records, labels and links (the ancestor lists are bounded by
    /// [`MAX_RELATION_HOPS`]).
    pub fn from_records(records: Vec<SkillRecord>) -> Result<Taxonomy, TaxonomyError> {
        let n = records.len();
        if SkillId::from_index(n).is_none() {
            return Err(refused(n, "key", "too many skills".into()));
        }
        let by_key = key_table(&records)?;
        let parents = parent_lists(&records, &by_key)?;
        let mut child_lists: Vec<Vec<SkillId>> = vec![Vec::new(); n];
        for i in 0..n {
            for &p in parents.get(i) {
                child_lists[p.index()].push(SkillId::new(i as u32));
            }
        }
        let mut children = Csr::default();
        for c in child_lists {
            children.push(c);
        }
        let ancestors = ancestor_lists(&parents, n);
        let labels = Labels::build(label_entries(&records));
        let normalised = labels.fuzzy_entries();
        let words = WordIndex::build(&normalised, |s| records[s.index()].kind);
        let fuzzy = FuzzyIndex::build(
            normalised
                .into_iter()
                .map(|(text, e)| (text, e.skill, e.language))
                .collect(),
        );
        let mut keys = Vec::with_capacity(n);
        let mut names = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        let mut alt_labels = Csr::default();
        for r in records {
            keys.push(r.key);
            names.push(r.label);
            kinds.push(r.kind);
            alt_labels.push(r.alt_labels);
        }
        Ok(Taxonomy {
            keys,
            labels: names,
            kinds,
            alt_labels,
            parents,
            children,
            ancestors,
            by_key,
            label_table: labels,
            words,
            fuzzy,
            not_skills: HashSet::new(),
        })
    }

    /// Declares names that are no skill, such as the names of countries, regions and
    /// languages: a text that normalises to one of them stays unresolved (with suggestions)
    /// unless it is a label of the taxonomy, however close a label is ("Albania" is not the
    /// language skill "Albanian", "Bahrain" not "bargain"). [`io::load_reference`] declares
    /// the names of its regions, languages and cities (`cities.csv`).
    ///
    /// [`io::load_reference`]: crate::io::load_reference
    pub fn exclude_names<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let norm = normalise(name);
            if !norm.is_empty() {
                self.not_skills.insert(norm.into_boxed_str());
            }
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the taxonomy is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// All skill ids.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = SkillId> + '_ {
        (0..self.keys.len() as u32).map(SkillId::new)
    }

    /// The entry with a key.
    pub fn by_key(&self, key: &str) -> Option<SkillId> {
        self.by_key.get(key).copied()
    }

    /// The stable key (empty for an unknown id).
    pub fn key(&self, id: SkillId) -> &str {
        self.keys.get(id.index()).map_or("", String::as_str)
    }

    /// The preferred label (empty for an unknown id).
    pub fn label(&self, id: SkillId) -> &str {
        self.labels.get(id.index()).map_or("", String::as_str)
    }

    /// The kind.
    pub fn kind(&self, id: SkillId) -> Option<SkillKind> {
        self.kinds.get(id.index()).copied()
    }

    /// The alternative labels.
    pub fn alt_labels(&self, id: SkillId) -> &[String] {
        self.alt_labels.get(id.index())
    }

    /// The direct broader entries, sorted by id.
    pub fn parents(&self, id: SkillId) -> &[SkillId] {
        self.parents.get(id.index())
    }

    /// The direct narrower entries, sorted by id.
    pub fn children(&self, id: SkillId) -> &[SkillId] {
        self.children.get(id.index())
    }

    /// The broader entries within [`MAX_RELATION_HOPS`], sorted by id, each with its distance.
    pub fn ancestors(&self, id: SkillId) -> &[(SkillId, u8)] {
        self.ancestors.get(id.index())
    }

    /// A label that resolves back to this skill: the preferred label where it is unambiguous,
    /// else the key. Writers use it so that data round-trips.
    pub fn external_name(&self, id: SkillId) -> &str {
        let label = self.label(id);
        let own = self
            .label_table
            .exact(label)
            .is_some_and(|e| e.skill == id && e.role == Role::Preferred);
        if own && !self.by_key.contains_key(label) {
            label
        } else {
            self.key(id)
        }
    }

    /// How a held skill relates to a required one within `max_hops` levels of the hierarchy
    /// (a sibling is two hops away), or `None`.
    ///
    /// # Complexity
    ///
    /// Linear in the lengths of the two skills' ancestor lists (a handful of entries).
    ///
    /// # Example
    ///
    /// ```
    /// use diaspora_match::Relation;
    /// # let reference = diaspora_match::io::load_reference(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference"))?;
    /// let t = &reference.taxonomy;
    /// let python = t.resolve("Python").skill.unwrap();
    /// let java = t.resolve("Oracle Java").skill.unwrap();
    /// let category = t.parents(python)[0];
    /// assert_eq!(t.relation(category, python, 2), Some(Relation::Narrower { hops: 1 }));
    /// assert_eq!(t.relation(python, category, 2), Some(Relation::Broader { hops: 1 }));
    /// assert_eq!(t.relation(python, java, 2), Some(Relation::Sibling));
    /// assert_eq!(t.relation(python, java, 1), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn relation(&self, required: SkillId, held: SkillId, max_hops: u8) -> Option<Relation> {
        if required == held {
            return Some(Relation::Same);
        }
        let find = |list: &[(SkillId, u8)], x: SkillId| {
            list.binary_search_by_key(&x, |e| e.0)
                .ok()
                .map(|i| list[i].1)
        };
        if let Some(h) = find(self.ancestors(held), required).filter(|&h| h <= max_hops) {
            return Some(Relation::Narrower { hops: h });
        }
        if let Some(h) = find(self.ancestors(required), held).filter(|&h| h <= max_hops) {
            return Some(Relation::Broader { hops: h });
        }
        if max_hops >= 2 && sorted_intersect(self.parents(required), self.parents(held)) {
            return Some(Relation::Sibling);
        }
        None
    }

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

/// Calls `f` with every skill related to `required` within `max_hops`, and the relation.
pub(crate) fn expand(
    taxonomy: &Taxonomy,
    required: SkillId,
    max_hops: u8,
    mut f: impl FnMut(SkillId, Relation),
) {
    let mut candidates: Vec<SkillId> = vec![required];
    // Narrower: breadth first down the children.
    let mut frontier = vec![required];
    for _ in 0..max_hops {
        let mut next = Vec::new();
        for &s in &frontier {
            next.extend_from_slice(taxonomy.children(s));
        }
        candidates.extend_from_slice(&next);
        frontier = next;
    }
    // Broader and siblings.
    candidates.extend(taxonomy.ancestors(required).iter().map(|a| a.0));
    if max_hops >= 2 {
        for &p in taxonomy.parents(required) {
            candidates.extend_from_slice(taxonomy.children(p));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    for s in candidates {
        if let Some(rel) = taxonomy.relation(required, s, max_hops) {
            f(s, rel);
        }
    }
}

/// A [`TaxonomyError`] for record `index`.
fn refused(index: usize, field: &'static str, reason: String) -> TaxonomyError {
    TaxonomyError {
        index,
        field,
        reason,
    }
}

/// Keys and alias keys to ids; refuses empty, duplicate and unlabelled records.
fn key_table(records: &[SkillRecord]) -> Result<HashMap<String, SkillId>, TaxonomyError> {
    let mut by_key = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if r.label.trim().is_empty() {
            return Err(refused(i, "label", "empty label".into()));
        }
        let id = SkillId::new(i as u32);
        for (field, key) in
            std::iter::once(("key", &r.key)).chain(r.aliases.iter().map(|a| ("aliases", a)))
        {
            if key.is_empty() {
                return Err(refused(i, field, "empty key".into()));
            }
            if by_key.insert(key.clone(), id).is_some() {
                return Err(refused(i, field, format!("duplicate key {key:?}")));
            }
        }
    }
    Ok(by_key)
}

/// Each record's broader entries as ids, sorted and distinct.
fn parent_lists(
    records: &[SkillRecord],
    by_key: &HashMap<String, SkillId>,
) -> Result<Csr<SkillId>, TaxonomyError> {
    let mut parents = Csr::default();
    for (i, r) in records.iter().enumerate() {
        let mut ps = Vec::with_capacity(r.broader.len());
        for b in &r.broader {
            let p = *by_key
                .get(b)
                .ok_or_else(|| refused(i, "broader", format!("unknown broader key {b:?}")))?;
            if p.index() == i {
                return Err(refused(
                    i,
                    "broader",
                    "a skill cannot be its own broader skill".into(),
                ));
            }
            ps.push(p);
        }
        ps.sort_unstable();
        ps.dedup();
        parents.push(ps);
    }
    Ok(parents)
}

/// Every label of every record with its skill, language and role.
fn label_entries(records: &[SkillRecord]) -> Vec<(String, Entry)> {
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let entry = |language, role| Entry {
            skill: SkillId::new(i as u32),
            language,
            role,
        };
        let english = LabelLanguage::English;
        out.push((r.label.clone(), entry(english, Role::Preferred)));
        for alt in &r.alt_labels {
            out.push((alt.clone(), entry(english, Role::Alternative)));
        }
        for t in &r.translations {
            out.push((t.label.clone(), entry(t.language, Role::Preferred)));
            for alt in &t.alt_labels {
                out.push((alt.clone(), entry(t.language, Role::Alternative)));
            }
        }
        for (language, text) in &r.synonyms {
            out.push((text.clone(), entry(*language, Role::Synonym)));
        }
    }
    out
}

fn sorted_intersect(a: &[SkillId], b: &[SkillId]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Breadth-first up the hierarchy from every skill, to [`MAX_RELATION_HOPS`].
fn ancestor_lists(parents: &Csr<SkillId>, n: usize) -> Csr<(SkillId, u8)> {
    let mut out = Csr::default();
    let mut seen: HashMap<SkillId, u8> = HashMap::new();
    let mut queue = VecDeque::new();
    for i in 0..n {
        seen.clear();
        queue.clear();
        queue.push_back((SkillId::new(i as u32), 0u8));
        while let Some((s, d)) = queue.pop_front() {
            if d == MAX_RELATION_HOPS {
                continue;
            }
            for &p in parents.get(s.index()) {
                if p.index() != i && !seen.contains_key(&p) {
                    seen.insert(p, d + 1);
                    queue.push_back((p, d + 1));
                }
            }
        }
        let mut list: Vec<(SkillId, u8)> = seen.iter().map(|(&k, &v)| (k, v)).collect();
        list.sort_unstable();
        out.push(list);
    }
    out
}

/// The normal form used for case- and punctuation-insensitive lookup: lowercase, common Latin
/// accents removed, punctuation other than `+` and `#` (C++, C#) turned into spaces, runs of
/// spaces collapsed, and a plural `s` dropped from words longer than three letters.
///
/// # Example
///
/// ```
/// assert_eq!(diaspora_match::taxonomy::normalise("  Nursing-Care  Plans "), "nursing care plan");
/// assert_eq!(diaspora_match::taxonomy::normalise("C++ / C#"), "c++ c#");
/// assert_eq!(diaspora_match::taxonomy::normalise("Gestión"), "gestion");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: &str, label: &str, alts: &[&str], broader: &[&str]) -> SkillRecord {
        SkillRecord {
            alt_labels: alts.iter().map(|s| s.to_string()).collect(),
            broader: broader.iter().map(|s| s.to_string()).collect(),
            ..SkillRecord::new(key, SkillKind::Skill, label)
        }
    }

    fn small() -> Taxonomy {
        Taxonomy::from_records(vec![
            rec(
                "root",
                "information and communication technologies",
                &[],
                &[],
            ),
            rec("prog", "computer programming", &["coding"], &["root"]),
            rec("py", "Python", &["Python programming"], &["prog"]),
            rec("hs", "Haskell", &[], &["prog"]),
            rec("django", "Django", &[], &["py"]),
            rec("deep", "deep", &[], &["django"]),
            rec("deeper", "deeper", &[], &["deep"]),
        ])
        .unwrap()
    }

    #[test]
    fn relations_along_the_hierarchy() {
        let t = small();
        let id = |k| t.by_key(k).unwrap();
        assert_eq!(t.relation(id("py"), id("py"), 0), Some(Relation::Same));
        assert_eq!(
            t.relation(id("prog"), id("py"), 1),
            Some(Relation::Narrower { hops: 1 })
        );
        assert_eq!(
            t.relation(id("prog"), id("django"), 2),
            Some(Relation::Narrower { hops: 2 })
        );
        assert_eq!(t.relation(id("prog"), id("django"), 1), None);
        assert_eq!(
            t.relation(id("django"), id("prog"), 2),
            Some(Relation::Broader { hops: 2 })
        );
        assert_eq!(t.relation(id("py"), id("hs"), 2), Some(Relation::Sibling));
        assert_eq!(t.relation(id("py"), id("hs"), 1), None);
        // Beyond the precomputed limit nothing is related.
        assert_eq!(t.relation(id("prog"), id("deeper"), 9), None);
        assert_eq!(
            t.relation(id("py"), id("deeper"), 9),
            Some(Relation::Narrower { hops: 3 })
        );
        assert_eq!(t.children(id("prog")), &[id("py"), id("hs")]);
    }

    #[test]
    fn resolution_order_and_confidence() {
        let t = small();
        let id = |k| t.by_key(k).unwrap();
        assert_eq!(t.resolve("py").how, Some(MatchKind::Key));
        assert_eq!(t.resolve("Python").how, Some(MatchKind::Label));
        assert_eq!(t.resolve("coding").how, Some(MatchKind::AltLabel));
        let r = t.resolve("COMPUTER  programming!");
        assert_eq!(
            (r.skill, r.how),
            (Some(id("prog")), Some(MatchKind::Normalised))
        );
        let r = t.resolve("Haskel");
        assert_eq!((r.skill, r.how), (Some(id("hs")), Some(MatchKind::Fuzzy)));
        assert!(r.confidence >= 0.8 && r.confidence < 1.0);
        let r = t.resolve("Hask");
        assert_eq!(r.skill, None);
        assert_eq!(r.alternatives.first().map(|s| s.skill), Some(id("hs")));
        assert_eq!(t.resolve("").skill, None);
        assert_eq!(t.resolve(&"x".repeat(10_000)).skill, None);
    }

    #[test]
    fn bad_records_are_refused() {
        let e = Taxonomy::from_records(vec![rec("a", "A", &[], &[]), rec("a", "B", &[], &[])])
            .unwrap_err();
        assert_eq!((e.index, e.field), (1, "key"));
        let e = Taxonomy::from_records(vec![rec("a", "A", &[], &["zz"])]).unwrap_err();
        assert_eq!((e.index, e.field), (0, "broader"));
        let e = Taxonomy::from_records(vec![rec("a", "A", &[], &["a"])]).unwrap_err();
        assert_eq!(e.field, "broader");
        // Cycles are tolerated: relations stay bounded.
        let t =
            Taxonomy::from_records(vec![rec("a", "A", &[], &["b"]), rec("b", "B", &[], &["a"])])
                .unwrap();
        assert_eq!(t.ancestors(SkillId::new(0)), &[(SkillId::new(1), 1)]);
    }

    #[test]
    fn external_names_round_trip() {
        let t = Taxonomy::from_records(vec![
            rec("a", "Mathematics", &[], &[]),
            rec("b", "Mathematics", &[], &[]),
        ])
        .unwrap();
        assert_eq!(t.external_name(SkillId::new(0)), "Mathematics");
        assert_eq!(t.external_name(SkillId::new(1)), "b");
    }
}
