//! The candidate index behind fuzzy skill resolution.
//!
//! Every normalised label is cut into padded character q-grams, bigrams (`"go"` gives `^g`,
//! `go`, `o$`) and trigrams (`^go`, `go$`). A query counts, through the posting lists of its
//! own q-grams, how many it shares with each label, ranks the labels by the Dice coefficient
//! of the two q-gram sets, and scores only the best [`CANDIDATES`] with the full string
//! similarity. Short queries use bigrams (a typo in a six-letter word leaves too few intact
//! trigrams); longer ones use trigrams, whose posting lists are an order of magnitude shorter.
//! One or two typing errors change at most nine q-grams, so the intended label stays near the
//! top of that ranking while the rest of the vocabulary is never compared.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::csr::Csr;
use crate::id::SkillId;
use crate::labels::LabelLanguage;
use crate::taxonomy::Suggestion;

/// How many labels, ranked by shared q-grams, are compared in full. 16 keeps the intended
/// label among them for every one- and two-error typo of the test set (the answer equals the
/// full scan's), and each full comparison costs about a microsecond.
pub(crate) const CANDIDATES: usize = 16;

/// Queries of at least this many characters use trigrams, shorter ones bigrams.
const TRIGRAMS_FROM: usize = 10;

/// A q-gram found in more than this share of the labels (`ing`, `ion`, `e$`) says little
/// about which label is meant but costs the most to count: such stop-grams are skipped when
/// the query has at least [`MIN_INFORMATIVE`] other q-grams.
const STOP_SHARE: f64 = 0.025;

/// Fewest informative q-grams for the stop-grams to be skipped.
const MIN_INFORMATIVE: usize = 6;

/// Labels sharing less than this Dice coefficient of bigrams with the query are not compared
/// (their similarity could not reach any useful confidence).
const MIN_DICE: f32 = 0.25;

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

#[derive(Clone, Debug, Default)]
pub(crate) struct FuzzyIndex {
    labels: Vec<Box<str>>,
    skills: Vec<SkillId>,
    languages: Vec<LabelLanguage>,
    bigrams: Grams,
    trigrams: Grams,
}

thread_local! {
    /// Per-thread shared-bigram counters, reused across queries.
    static SCRATCH: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
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

/// Similarity of two normalised strings in `[0, 1]`: the mean of the normalised optimal string
/// alignment distance (counts insertions, deletions, substitutions and swaps of neighbours;
/// strict on short words) and Jaro-Winkler (forgiving of moved letters, as in "Phyton").
#[cfg(test)]
fn similarity(a: &str, b: &str) -> f32 {
    similarity_bounded(a, b, strsim::jaro_winkler(a, b), usize::MAX).unwrap_or(0.0)
}

/// Upper bounds, from the lengths of two strings alone, of the normalised edit similarity
/// (`1 - |la - lb| / max`) and of Jaro-Winkler (Jaro matches at most the shorter string's
/// characters: `j <= (min/la + min/lb + 1) / 3`; Winkler's prefix bonus adds at most
/// `0.4 (1 - j)`).
fn length_bounds(la: usize, lb: usize) -> (f64, f64) {
    if la == 0 && lb == 0 {
        return (1.0, 1.0);
    }
    let (short, long) = (la.min(lb) as f64, la.max(lb) as f64);
    let osa = 1.0 - (long - short) / long;
    let jaro = if short == 0.0 {
        0.0
    } else {
        (short / la.max(1) as f64 + short / lb.max(1) as f64 + 1.0) / 3.0
    };
    (osa, jaro + 0.4 * (1.0 - jaro))
}

/// [`similarity`], or `None` when the edit distance exceeds `max_edits`.
fn similarity_bounded(a: &str, b: &str, jw: f64, max_edits: usize) -> Option<f32> {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return Some(1.0);
    }
    let d = if a.is_ascii() && b.is_ascii() {
        osa_ascii(a.as_bytes(), b.as_bytes(), max_edits)?
    } else {
        strsim::osa_distance(a, b)
    };
    if d > max_edits {
        return None;
    }
    Some((0.5 * (1.0 - d as f64 / longest as f64 + jw)) as f32)
}

/// Optimal string alignment distance of two byte strings (the same as
/// `strsim::osa_distance` on ASCII), giving up with `None` once it must exceed `max`.
fn osa_ascii(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return None;
    }
    let mut two_back: Vec<usize> = vec![0; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur: Vec<usize> = vec![0; m + 1];
    let mut prev_min = 0;
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(two_back[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        // Every later cell builds on one of the last two rows and never decreases.
        if row_min.min(prev_min) > max {
            return None;
        }
        prev_min = row_min;
        std::mem::swap(&mut two_back, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[m]).filter(|&d| d <= max)
}

impl FuzzyIndex {
    /// The index over normalised labels, each with its skill and language.
    pub(crate) fn build(entries: Vec<(String, SkillId, LabelLanguage)>) -> FuzzyIndex {
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
            bigrams,
            trigrams,
        }
    }

    /// Number of labels.
    pub(crate) fn len(&self) -> usize {
        self.labels.len()
    }

    /// The `n` most similar skills to a normalised text, best first, ties by skill id.
    /// `exhaustive` compares every label (the oracle); otherwise only the candidates.
    pub(crate) fn search(&self, norm: &str, n: usize, exhaustive: bool) -> Vec<Suggestion> {
        if n == 0 || norm.is_empty() {
            return Vec::new();
        }
        let mut best: Vec<Suggestion> = Vec::with_capacity(n + 1);
        let query_chars = norm.chars().count();
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
            let jw = strsim::jaro_winkler(norm, text);
            if full && ((0.5 * (osa_bound + jw)) as f32) < best[n - 1].similarity {
                return;
            }
            // The largest edit distance that could still enter the list (one more for rounding).
            let max_edits = match best.get(n - 1) {
                Some(worst) if best.len() >= n => {
                    let longest = norm.chars().count().max(text.chars().count()) as f64;
                    (longest * (1.0 + jw - 2.0 * f64::from(worst.similarity)))
                        .max(0.0)
                        .ceil() as usize
                        + 1
                }
                _ => usize::MAX,
            };
            let Some(sim) = similarity_bounded(norm, text, jw, max_edits) else {
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
        if exhaustive {
            (0..self.labels.len()).for_each(&mut offer);
        } else {
            for label in self.candidates(norm) {
                offer(label as usize);
            }
        }
        best
    }

    /// The labels sharing the most bigrams with the query, by Dice coefficient, at most
    /// [`CANDIDATES`] of them, best first.
    fn candidates(&self, norm: &str) -> Vec<u32> {
        let (index, q) = if norm.chars().count() >= TRIGRAMS_FROM {
            (&self.trigrams, 3)
        } else {
            (&self.bigrams, 2)
        };
        let lists: Vec<&[u32]> = grams(norm, q)
            .iter()
            .map(|g| {
                index
                    .rows
                    .get(g)
                    .map_or(&[][..], |&row| index.postings.get(row as usize))
            })
            .collect();
        let informative = lists.iter().filter(|l| l.len() <= index.stop_len).count();
        let skip_stop = informative >= MIN_INFORMATIVE;
        let (qn, label_grams) = if skip_stop {
            (informative as f32, &index.informative)
        } else {
            (lists.len() as f32, &index.counts)
        };
        SCRATCH.with(|scratch| {
            let mut counts = scratch.borrow_mut();
            if counts.len() < self.labels.len() {
                counts.resize(self.labels.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for list in lists
                .iter()
                .filter(|l| !skip_stop || l.len() <= index.stop_len)
            {
                for &l in *list {
                    let c = &mut counts[l as usize];
                    if *c == 0 {
                        touched.push(l);
                    }
                    *c = c.saturating_add(1);
                }
            }
            let mut scored: Vec<(f32, u32)> = touched
                .iter()
                .map(|&l| {
                    let shared = f32::from(counts[l as usize]);
                    (2.0 * shared / (qn + f32::from(label_grams[l as usize])), l)
                })
                .filter(|&(dice, _)| dice >= MIN_DICE)
                .collect();
            for &l in &touched {
                counts[l as usize] = 0;
            }
            let by_dice = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            if scored.len() > CANDIDATES {
                scored.select_nth_unstable_by(CANDIDATES - 1, by_dice);
                scored.truncate(CANDIDATES);
            }
            // Most promising first, so that the bound in `search` skips more of the rest.
            scored.sort_unstable_by(by_dice);
            scored.into_iter().map(|s| s.1).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_bound_the_similarities() {
        let words = [
            "go",
            "python",
            "phyton",
            "javascript",
            "c",
            "project management",
            "",
        ];
        for a in words {
            for b in words {
                let (osa, jw) = length_bounds(a.chars().count(), b.chars().count());
                assert!(strsim::jaro_winkler(a, b) <= jw + 1e-12, "{a} {b}");
                if !a.is_empty() || !b.is_empty() {
                    assert!(
                        similarity(a, b) as f64 <= 0.5 * (osa + jw) + 1e-6,
                        "{a} {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn bigrams_are_padded_and_distinct() {
        assert_eq!(grams("go", 2).len(), 3);
        assert_eq!(grams("aaaa", 2).len(), 3); // ^a, aa, a$
        assert_eq!(grams("go", 3).len(), 2); // ^go, go$
        assert!(similarity("python", "phyton") > 0.8);
        assert!(similarity("hask", "haskell") < 0.8);
        assert_eq!(similarity("", ""), 1.0);
        for (a, b) in [
            ("python", "phyton"),
            ("ca", "abc"),
            ("kitten", "sitting"),
            ("", "abc"),
            ("abcdef", "badcfe"),
            ("same", "same"),
        ] {
            assert_eq!(
                osa_ascii(a.as_bytes(), b.as_bytes(), usize::MAX),
                Some(strsim::osa_distance(a, b)),
                "{a} {b}"
            );
            let d = strsim::osa_distance(a, b);
            assert_eq!(osa_ascii(a.as_bytes(), b.as_bytes(), d), Some(d));
            if d > 0 {
                assert_eq!(
                    osa_ascii(a.as_bytes(), b.as_bytes(), d - 1),
                    None,
                    "{a} {b}"
                );
            }
        }
    }

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
                    let english = crate::labels::LabelLanguage::English;
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
                idx.search(q, 1, false).first(),
                idx.search(q, 1, true)
                    .first()
                    .filter(|s| s.similarity > 0.5),
                "{q}"
            );
        }
        assert_eq!(idx.search("javascirpt", 1, false)[0].skill, SkillId::new(3));
        assert!(idx.search("", 3, false).is_empty());
        assert_eq!(
            idx.search("strutcural engineerign", 1, false)[0].skill,
            SkillId::new(7)
        );
        assert_eq!(idx.len(), 8);
    }
}
