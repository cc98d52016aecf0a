//! The vocabulary: skills with their keys, labels and kinds, the hierarchy, and the tables
//! that resolution looks up.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::error::Result;
use crate::id::SkillId;
use crate::util::Csr;

use super::fuzzy::FuzzyIndex;
use super::labels::{Entry, LabelLanguage, Labels, Role};
use super::records::{SkillKind, SkillRecord, refused};
use super::relations::ancestor_lists;
use super::resolve::normalise;
use super::words::WordIndex;

/// The skill vocabulary with its hierarchy and lookup tables.
#[derive(Clone)]
pub struct Taxonomy {
    pub(crate) keys: Vec<String>,
    pub(crate) labels: Vec<String>,
    pub(crate) kinds: Vec<SkillKind>,
    pub(crate) alt_labels: Csr<String>,
    pub(crate) parents: Csr<SkillId>,
    pub(crate) children: Csr<SkillId>,
    /// Ancestors within [`MAX_RELATION_HOPS`](super::MAX_RELATION_HOPS), sorted by id, with their distance.
    pub(crate) ancestors: Csr<(SkillId, u8)>,
    /// Keys and alias keys.
    pub(crate) by_key: HashMap<String, SkillId>,
    /// Every label of every language and every synonym.
    pub(crate) label_table: Labels,
    /// Every normalised label once, indexed by its content words.
    pub(crate) words: WordIndex,
    /// Every normalised label once, with the skill it names first, indexed by q-grams.
    pub(crate) fuzzy: FuzzyIndex,
    /// Normalised names that are no skill (places, languages): never resolved fuzzily.
    pub(crate) not_skills: HashSet<Box<str>>,
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
    /// [`MAX_RELATION_HOPS`](super::MAX_RELATION_HOPS)).
    pub fn from_records(records: Vec<SkillRecord>) -> Result<Taxonomy> {
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

    /// The broader entries within [`MAX_RELATION_HOPS`](super::MAX_RELATION_HOPS), sorted by id, each with its distance.
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
}

/// Keys and alias keys to ids; refuses empty, duplicate and unlabelled records, and labels
/// with nothing to match (`***` normalises to nothing, and would then be what every empty
/// or emoji-only text resolves to, with confidence 1).
pub(crate) fn key_table(records: &[SkillRecord]) -> Result<HashMap<String, SkillId>> {
    let mut by_key = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if r.label.trim().is_empty() {
            return Err(refused(i, "label", "empty label".into()));
        }
        if let Some((field, _)) = labels(r).find(|(_, l)| normalise(l).is_empty()) {
            return Err(refused(
                i,
                field,
                "a label needs a letter or a digit".into(),
            ));
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

/// Every label of a record (preferred, alternative, translated, synonym), with its field.
fn labels(r: &SkillRecord) -> impl Iterator<Item = (&'static str, &str)> {
    let alts = r.alt_labels.iter().map(|a| ("alt_labels", a.as_str()));
    let translated = r.translations.iter().flat_map(|t| {
        std::iter::once(t.label.as_str())
            .chain(t.alt_labels.iter().map(String::as_str))
            .map(|l| ("translations", l))
    });
    let synonyms = r.synonyms.iter().map(|(_, s)| ("synonyms", s.as_str()));
    std::iter::once(("label", r.label.as_str()))
        .chain(alts)
        .chain(translated)
        .chain(synonyms)
}

/// Each record's broader entries as ids, sorted and distinct.
pub(crate) fn parent_lists(
    records: &[SkillRecord],
    by_key: &HashMap<String, SkillId>,
) -> Result<Csr<SkillId>> {
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
pub(crate) fn label_entries(records: &[SkillRecord]) -> Vec<(String, Entry)> {
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
