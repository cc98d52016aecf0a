//! The candidate index behind fuzzy skill resolution.
//!
//! Every normalised label is cut into padded character q-grams, bigrams (`"go"` gives `^g`,
//! `go`, `o$`) and trigrams (`^go`, `go$`). A query counts, through the posting lists of its
//! own q-grams, how many it shares with each label, ranks the labels by the Dice coefficient
//! of the two q-gram sets, and scores only the best [`CANDIDATES`] with the full string
//! similarity ([`super::similarity`]). Short queries use bigrams (a typo in a six-letter word
//! leaves too few intact trigrams); longer ones use trigrams, whose posting lists are an order
//! of magnitude shorter. One or two typing errors change at most nine q-grams, so the intended
//! label stays near the top of that ranking while the rest of the vocabulary is never
//! compared.
//!
//! Three things keep the counting short. Labels are numbered by length, so the labels whose
//! length lets them reach a similarity floor (the confidence a resolution needs) are one
//! range of every posting list, cut out by binary search. Counters carry the query's epoch,
//! so they are never cleared. And a label is put forward for ranking only when its count
//! reaches the least with which it could reach the lowest Dice coefficient of interest, so
//! the many labels sharing one or two q-grams are never looked at again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use crate::id::SkillId;
use crate::taxonomy::Suggestion;
use crate::util::Csr;

use super::labels::LabelLanguage;
use super::similarity::{Pattern, length_bounds};

/// How many labels, ranked by shared q-grams, are compared in full. 16 keeps the intended
/// label among them for the one- and two-error typos of the test set (the answer equals the
/// full scan's for 0.997 of them), and each full comparison costs a fraction of a microsecond.
pub(crate) const CANDIDATES: usize = 16;

/// Queries of at least this many characters use trigrams, shorter ones bigrams.
const TRIGRAMS_FROM: usize = 10;

/// A q-gram found in more than this share of the labels (`ing`, `ion`, `e$`) says little
/// about which label is meant but costs the most to count: such stop-grams are skipped when
/// the query has at least [`MIN_INFORMATIVE`] other q-grams.
const STOP_SHARE: f64 = 0.025;

/// Fewest informative q-grams for the stop-grams to be skipped.
const MIN_INFORMATIVE: usize = 6;

/// Labels sharing less than `1 / MIN_DICE_INVERSE` (a Dice coefficient of 0.25) of their
/// q-grams with the query are not compared (their similarity could not reach any useful
/// confidence).
const MIN_DICE_INVERSE: u32 = 4;

/// Posting lists of one q-gram size.
#[derive(Clone, Debug, Default)]
struct Grams {
    /// Distinct q-grams per label.
    counts: Vec<u16>,
    /// Distinct q-grams per label that are not stop-grams.
    informative: Vec<u16>,
    /// Posting lists longer than this are stop-grams.
    stop_len: usize,
    /// Q-gram -> row of `postings`.
    rows: HashMap<u64, u32>,
    /// Per q-gram, the labels that contain it, ascending.
    postings: Csr<u32>,
}

impl Grams {
    fn build(labels: &[Box<str>], q: usize) -> Grams {
        let mut lists: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut counts = Vec::with_capacity(labels.len());
        for (i, label) in labels.iter().enumerate() {
            let g = grams(label, q);
            counts.push(g.len().min(u16::MAX as usize) as u16);
            for gram in g {
                lists.entry(gram).or_default().push(i as u32);
            }
        }
        let mut keys: Vec<u64> = lists.keys().copied().collect();
        keys.sort_unstable();
        let stop_len = ((labels.len() as f64 * STOP_SHARE) as usize).max(64);
        let mut informative = counts.clone();
        let mut out = Grams {
            counts,
            informative: Vec::new(),
            stop_len,
            rows: HashMap::with_capacity(keys.len()),
            postings: Csr::default(),
        };
        for (row, k) in keys.into_iter().enumerate() {
            let list = lists.remove(&k).unwrap_or_default();
            if list.len() > stop_len {
                for &l in &list {
                    informative[l as usize] -= 1;
                }
            }
            out.rows.insert(k, row as u32);
            out.postings.push(list);
        }
        out.informative = informative;
        out
    }
}

/// Which labels [`FuzzyIndex::search`] compares with the text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Scope {
    /// Every label: the oracle.
    Every,
    /// The [`CANDIDATES`] labels sharing the most q-grams with the text among those whose
    /// length lets their similarity reach `floor`.
    Candidates {
        /// The lowest similarity of interest.
        floor: f32,
    },
}

/// Normalised labels, in ascending order of length, with their skills, languages and q-gram
/// postings.
#[derive(Clone, Debug, Default)]
pub(crate) struct FuzzyIndex {
    labels: Vec<Box<str>>,
    skills: Vec<SkillId>,
    languages: Vec<LabelLanguage>,
    /// Per length in characters, the first label at least that long.
    first_of_length: Vec<u32>,
    bigrams: Grams,
    trigrams: Grams,
}

thread_local! {
    /// Per-thread shared-q-gram counters, reused across queries.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The distinct padded q-grams (q = 2 or 3) of a string, each packed into a `u64` (21 bits
/// per character).
fn grams(s: &str, q: usize) -> Vec<u64> {
    let chars: Vec<char> = std::iter::once('^')
        .chain(s.chars())
        .chain(std::iter::once('$'))
        .collect();
    let mut out: Vec<u64> = chars
        .windows(q)
        .map(|w| w.iter().fold(0u64, |acc, &c| (acc << 21) | u64::from(c)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl FuzzyIndex {
    /// The index over normalised labels, each with its skill and language. The labels are
    /// numbered by length (stably), so that the labels of a range of lengths are a range of
    /// every posting list.
    pub(crate) fn build(mut entries: Vec<(String, SkillId, LabelLanguage)>) -> FuzzyIndex {
        entries.sort_by_cached_key(|e| e.0.chars().count());
        let mut first_of_length = Vec::new();
        for (i, (label, _, _)) in entries.iter().enumerate() {
            let chars = label.chars().count();
            first_of_length.resize(first_of_length.len().max(chars + 1), i as u32);
        }
        first_of_length.push(entries.len() as u32);
        let mut labels = Vec::with_capacity(entries.len());
        let mut skills = Vec::with_capacity(entries.len());
        let mut languages = Vec::with_capacity(entries.len());
        for (label, skill, language) in entries {
            labels.push(label.into_boxed_str());
            skills.push(skill);
            languages.push(language);
        }
        let bigrams = Grams::build(&labels, 2);
        let trigrams = Grams::build(&labels, 3);
        FuzzyIndex {
            labels,
            skills,
            languages,
            first_of_length,
            bigrams,
            trigrams,
        }
    }

    /// Number of labels.
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    /// The `n` most similar skills to a normalised text, best first, ties by skill id, among
    /// the labels of `scope`.
    pub(crate) fn search(&self, norm: &str, n: usize, scope: Scope) -> Vec<Suggestion> {
        if n == 0 || norm.is_empty() {
            return Vec::new();
        }
        let mut best: Vec<Suggestion> = Vec::with_capacity(n + 1);
        let query = Pattern::new(norm);
        let query_chars = query.chars();
        let mut offer = |label: usize| {
            let text = &self.labels[label];
            let skill = self.skills[label];
            // The lengths alone bound the edit part: a label that could not enter the list
            // even with a perfect Jaro-Winkler is skipped before either is computed (most of
            // the vocabulary, in the full scan). Then Jaro-Winkler: with the same bound it
            // often shows that the label cannot enter, and the edit distance is skipped.
            let full = best.len() >= n && best.iter().all(|s| s.skill != skill);
            let osa_bound = if full {
                let (la, lb) = (query_chars, text.chars().count());
                let (bound, jw_bound) = length_bounds(la, lb);
                if ((0.5 * (bound + jw_bound)) as f32) < best[n - 1].similarity {
                    return;
                }
                bound
            } else {
                1.0
            };
            let jw = query.jaro_winkler(text);
            if full && ((0.5 * (osa_bound + jw)) as f32) < best[n - 1].similarity {
                return;
            }
            // The largest edit distance that could still enter the list (one more for rounding).
            let max_edits = match best.get(n - 1) {
                Some(worst) if best.len() >= n => {
                    let longest = query_chars.max(text.chars().count()) as f64;
                    (longest * (1.0 + jw - 2.0 * f64::from(worst.similarity)))
                        .max(0.0)
                        .ceil() as usize
                        + 1
                }
                _ => usize::MAX,
            };
            let Some(sim) = query.similarity_bounded(text, jw, max_edits) else {
                return;
            };
            if sim <= 0.0 {
                return;
            }
            let language = self.languages[label];
            if let Some(s) = best.iter_mut().find(|s| s.skill == skill) {
                if sim > s.similarity {
                    (s.similarity, s.language) = (sim, language);
                }
            } else if best.len() < n || best.last().is_some_and(|w| sim >= w.similarity) {
                best.push(Suggestion {
                    skill,
                    similarity: sim,
                    language,
                });
            } else {
                return;
            }
            best.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.skill.cmp(&b.skill))
            });
            best.truncate(n);
        };
        match scope {
            Scope::Every => (0..self.labels.len()).for_each(&mut offer),
            Scope::Candidates { floor } => {
                let lengths = self.reaching(query_chars, floor);
                for label in self.candidates(norm, lengths) {
                    offer(label as usize);
                }
            }
        }
        best
    }

    /// The labels, a range by the numbering by length, whose length alone does not keep
    /// their similarity with a text of `chars` characters below `floor` (by
    /// [`length_bounds`], which is highest at equal lengths and falls away on both sides).
    fn reaching(&self, chars: usize, floor: f32) -> Range<u32> {
        // A hair below the floor, so that rounding never drops a label that reaches it.
        let reaches = |other: usize| {
            let (osa, jw) = length_bounds(chars, other);
            0.5 * (osa + jw) >= f64::from(floor) - 1e-6
        };
        let longest = self.first_of_length.len().saturating_sub(2);
        // The most similar length there is; if it cannot reach the floor, no length can.
        let peak = chars.min(longest);
        if !reaches(peak) {
            return 0..0;
        }
        let mut shortest = peak;
        while shortest > 0 && reaches(shortest - 1) {
            shortest -= 1;
        }
        let mut longer = peak;
        while longer < longest && reaches(longer + 1) {
            longer += 1;
        }
        let first = |length: usize| {
            let end = self.labels.len() as u32;
            self.first_of_length.get(length).copied().unwrap_or(end)
        };
        first(shortest)..first(longer + 1)
    }

    /// The labels of the range sharing the most q-grams with the query, by Dice coefficient,
    /// at most [`CANDIDATES`] of them, best first (ties by label).
    fn candidates(&self, norm: &str, labels: Range<u32>) -> Vec<u32> {
        let query = self.dice_query(norm, labels);
        SCRATCH.with(|scratch| query.top(&mut scratch.borrow_mut(), self.labels.len()))
    }

    /// The posting lists of a text's q-grams, cut to a range of labels and shortest first,
    /// and how its Dice coefficient with a label is counted. Which q-grams are stop-grams is
    /// decided on the whole lists.
    fn dice_query(&self, norm: &str, labels: Range<u32>) -> DiceQuery<'_> {
        let (index, q) = if norm.chars().count() >= TRIGRAMS_FROM {
            (&self.trigrams, 3)
        } else {
            (&self.bigrams, 2)
        };
        let mut lists: Vec<&[u32]> = grams(norm, q)
            .iter()
            .map(|g| {
                index
                    .rows
                    .get(g)
                    .map_or(&[][..], |&row| index.postings.get(row as usize))
            })
            .collect();
        let informative = lists.iter().filter(|l| l.len() <= index.stop_len).count();
        let label_grams = if informative >= MIN_INFORMATIVE {
            lists.retain(|l| l.len() <= index.stop_len);
            &index.informative
        } else {
            &index.counts
        };
        // Counts have COUNT_BITS; callers bound the text far below 255 q-grams.
        lists.truncate(usize::from(u8::MAX));
        for list in &mut lists {
            let start = list.partition_point(|&l| l < labels.start);
            let end = start + list[start..].partition_point(|&l| l < labels.end);
            *list = &list[start..end];
        }
        lists.sort_by_key(|l| l.len());
        DiceQuery {
            query_grams: lists.len() as u32,
            lists,
            label_grams,
        }
    }
}

/// One query's posting lists (shortest first) and the q-gram counts of the labels, for
/// ranking labels by the Dice coefficient `2 shared / (query grams + label grams)`.
struct DiceQuery<'a> {
    lists: Vec<&'a [u32]>,
    query_grams: u32,
    label_grams: &'a [u16],
}

impl DiceQuery<'_> {
    /// The Dice coefficient of a label sharing `shared` q-grams with the query. Every bound
    /// below is computed by this same expression, so that comparing it with a rank is exact.
    fn dice(&self, shared: u32, label: u32) -> f32 {
        let label_grams = u32::from(self.label_grams[label as usize]);
        (2 * shared) as f32 / (self.query_grams + label_grams) as f32
    }

    /// Whether a label sharing `shared` q-grams reaches [`MIN_DICE_INVERSE`], in integers.
    fn reaches_min(&self, shared: u32, label: u32) -> bool {
        let label_grams = u32::from(self.label_grams[label as usize]);
        2 * shared * MIN_DICE_INVERSE >= self.query_grams + label_grams
    }

    /// The fewest shared q-grams with which a label can reach [`MIN_DICE_INVERSE`]: it has at
    /// least as many q-grams as it shares, so `2 s k >= query + s`.
    fn min_shared(&self) -> u32 {
        self.query_grams.div_ceil(2 * MIN_DICE_INVERSE - 1).max(1)
    }

    /// The [`CANDIDATES`] labels with the highest Dice coefficient, best first, ties by label.
    ///
    /// One pass over the posting lists counts every label; a label is put forward the moment
    /// its count reaches [`DiceQuery::min_shared`], so that only those are ranked.
    fn top(&self, scratch: &mut Scratch, labels: usize) -> Vec<u32> {
        let promoted = scratch.count(&self.lists, labels, self.min_shared());
        let Scratch {
            counts,
            epoch,
            promoted: promoted_labels,
        } = scratch;
        let mut scored: Vec<(f32, u32)> = Vec::new();
        for &l in &promoted_labels[..promoted] {
            let shared = counts[l as usize] - (*epoch << COUNT_BITS);
            if self.reaches_min(shared, l) {
                scored.push((self.dice(shared, l), l));
            }
        }
        let by_dice = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > CANDIDATES {
            scored.select_nth_unstable_by(CANDIDATES - 1, by_dice);
            scored.truncate(CANDIDATES);
        }
        // Most promising first, so that the bound in `search` skips more of the rest.
        scored.sort_unstable_by(by_dice);
        scored.into_iter().map(|s| s.1).collect()
    }
}

/// Bits of a counter that hold the count; the rest hold the query's epoch.
const COUNT_BITS: u32 = 8;

/// Per-thread counters reused across queries. A label's counter holds the epoch of the query
/// that last counted it above the count, so that no counter is ever cleared: a counter of an
/// older epoch reads as zero.
#[derive(Default)]
struct Scratch {
    counts: Vec<u32>,
    epoch: u32,
    /// The labels whose count reached the promotion threshold in the present query.
    promoted: Vec<u32>,
}

impl Scratch {
    /// Counts, for every label in the lists, how many of them hold it, and lists at the start
    /// of `promoted` the labels whose count reaches `threshold`; returns how many those are.
    /// Branch-free per posting: the counter restarts at 1 when it is of an older epoch, and
    /// every posting writes its label past the end of `promoted`, which only moves when the
    /// count reaches the threshold.
    fn count(&mut self, lists: &[&[u32]], labels: usize, threshold: u32) -> usize {
        self.next_epoch(labels);
        let base = self.epoch << COUNT_BITS;
        let (counts, promoted) = (&mut self.counts, &mut self.promoted);
        let mut len = 0;
        for list in lists {
            for &l in *list {
                let c = &mut counts[l as usize];
                let shared = if *c >= base { *c + 1 } else { base + 1 };
                *c = shared;
                promoted[len] = l;
                len += usize::from(shared - base == threshold);
            }
        }
        len
    }

    /// Starts a query: a new epoch, and room for `labels` counters and promotions. When the
    /// epochs run out, every counter is cleared and they start again.
    fn next_epoch(&mut self, labels: usize) {
        if self.counts.len() < labels {
            self.counts.resize(labels, 0);
        }
        if self.promoted.len() <= labels {
            self.promoted.resize(labels + 1, 0);
        }
        self.epoch += 1;
        if self.epoch >= u32::MAX >> COUNT_BITS {
            self.counts.fill(0);
            self.epoch = 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_padded_and_distinct() {
        assert_eq!(grams("go", 2).len(), 3);
        assert_eq!(grams("aaaa", 2).len(), 3); // ^a, aa, a$
        assert_eq!(grams("go", 3).len(), 2); // ^go, go$
    }

    /// The candidates by counting every posting into a map: the reference for the counting
    /// with epochs and promotion.
    fn counted_candidates(idx: &FuzzyIndex, norm: &str, labels: Range<u32>) -> Vec<u32> {
        let query = idx.dice_query(norm, labels);
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for list in &query.lists {
            for &l in *list {
                *counts.entry(l).or_default() += 1;
            }
        }
        let mut scored: Vec<(f32, u32)> = counts
            .into_iter()
            .filter(|&(l, shared)| query.reaches_min(shared, l))
            .map(|(l, shared)| (query.dice(shared, l), l))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(CANDIDATES).map(|s| s.1).collect()
    }

    fn index_of(words: &[String]) -> FuzzyIndex {
        let english = LabelLanguage::English;
        FuzzyIndex::build(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.clone(), SkillId::new(i as u32), english))
                .collect(),
        )
    }

    proptest::proptest! {
        #[test]
        fn counting_ranks_as_counting_everything(
            words in proptest::collection::vec("[abc ]{1,14}", 1..80),
            queries in proptest::collection::vec("[abcd ]{1,14}", 1..6),
            floor in 0.0f32..1.0,
        ) {
            let idx = index_of(&words);
            // Several queries in a row, so that counters of older epochs are met.
            for q in &queries {
                let labels = idx.reaching(q.chars().count(), floor);
                proptest::prop_assert_eq!(
                    idx.candidates(q, labels.clone()),
                    counted_candidates(&idx, q, labels)
                );
            }
        }

        #[test]
        fn the_length_range_holds_exactly_the_labels_that_can_reach_the_floor(
            words in proptest::collection::vec("[ab]{1,30}", 1..40),
            chars in 1usize..40,
            floor in 0.0f32..1.0,
        ) {
            let idx = index_of(&words);
            let range = idx.reaching(chars, floor);
            for (i, label) in idx.labels.iter().enumerate() {
                let (osa, jw) = length_bounds(chars, label.chars().count());
                let reaches = 0.5 * (osa + jw) >= f64::from(floor) - 1e-6;
                proptest::prop_assert_eq!(range.contains(&(i as u32)), reaches, "{}", label);
            }
        }
    }

    /// The candidates of labels that can reach a similarity of 0.5.
    const INDEXED: Scope = Scope::Candidates { floor: 0.5 };

    #[test]
    fn indexed_search_finds_typos_and_agrees_with_the_scan() {
        let words = [
            "python",
            "haskell",
            "java",
            "javascript",
            "nursing",
            "accounting",
            "welding",
            "structural engineering",
        ];
        let idx = FuzzyIndex::build(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let english = LabelLanguage::English;
                    (w.to_string(), SkillId::new(i as u32), english)
                })
                .collect(),
        );
        for q in [
            "phyton",
            "haskel",
            "javascirpt",
            "nursng",
            "acounting",
            "wedling",
            "zzzz",
            "strutcural engineerign",
        ] {
            // The best answer equals the scan's; lower alternatives may be left out by the index.
            assert_eq!(
                idx.search(q, 1, INDEXED).first(),
                idx.search(q, 1, Scope::Every)
                    .first()
                    .filter(|s| s.similarity > 0.5),
                "{q}"
            );
        }
        assert_eq!(
            idx.search("javascirpt", 1, INDEXED)[0].skill,
            SkillId::new(3)
        );
        assert!(idx.search("", 3, INDEXED).is_empty());
        assert_eq!(
            idx.search("strutcural engineerign", 1, INDEXED)[0].skill,
            SkillId::new(7)
        );
        assert_eq!(idx.len(), 8);
    }
}
