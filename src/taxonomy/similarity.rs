//! The string similarity of fuzzy skill resolution: the mean of the normalised optimal string
//! alignment distance and Jaro-Winkler, with bounds from the lengths alone.
//!
//! A query is compared with up to [`CANDIDATES`](super::fuzzy::CANDIDATES) labels (and, in the full scan,
//! with every label), so it is prepared once as a [`Pattern`]. For ASCII texts of at most 64
//! bytes, the usual case, both measures are computed bit-parallel, one machine word per
//! string: the distance by Hyyrö's extension of Myers' algorithm to transpositions
//! ("A bit-vector algorithm for computing Levenshtein and Damerau edit distances", 2003),
//! Jaro by masks of the positions of each byte. Longer or non-ASCII texts use the dynamic
//! programme and `strsim`. Both paths give the same numbers as `strsim::osa_distance` and
//! `strsim::jaro_winkler` (tested).

/// Bytes of the longest text compared bit-parallel (one `u64` word).
const WORD: usize = 64;

/// Jaro-Winkler's prefix bonus counts at most this many leading characters.
const WINKLER_PREFIX: usize = 4;

/// Similarity of two normalised strings in `[0, 1]`: the mean of the normalised optimal string
/// alignment distance (counts insertions, deletions, substitutions and swaps of neighbours;
/// strict on short words) and Jaro-Winkler (forgiving of moved letters, as in "Phyton").
#[cfg(test)]
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    let pattern = Pattern::new(a);
    pattern
        .similarity_bounded(b, pattern.jaro_winkler(b), usize::MAX)
        .unwrap_or(0.0)
}

/// Upper bounds, from the lengths of two strings alone, of the normalised edit similarity
/// (`1 - |la - lb| / max`) and of Jaro-Winkler (Jaro matches at most the shorter string's
/// characters: `j <= (min/la + min/lb + 1) / 3`; Winkler's prefix bonus adds at most
/// `0.4 (1 - j)`).
pub(crate) fn length_bounds(la: usize, lb: usize) -> (f64, f64) {
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

/// A query prepared for comparison with many texts.
pub(crate) struct Pattern<'a> {
    text: &'a str,
    chars: usize,
    /// For an ASCII query of 1 to [`WORD`] bytes: per byte value, the positions where it
    /// occurs in the query.
    positions: Option<Box<[u64; 128]>>,
}

impl<'a> Pattern<'a> {
    /// Prepares a query.
    pub(crate) fn new(text: &'a str) -> Pattern<'a> {
        let positions = (text.is_ascii() && (1..=WORD).contains(&text.len()))
            .then(|| byte_positions(text.as_bytes()));
        Pattern {
            text,
            chars: text.chars().count(),
            positions,
        }
    }

    /// The query's length in characters.
    pub(crate) fn chars(&self) -> usize {
        self.chars
    }

    /// Jaro-Winkler similarity of the query and a text (the query first), the same as
    /// `strsim::jaro_winkler(query, text)`.
    pub(crate) fn jaro_winkler(&self, text: &str) -> f64 {
        let fast = self.positions.is_some() && text.is_ascii() && text.len() <= WORD;
        if !fast || text.is_empty() {
            return strsim::jaro_winkler(self.text, text);
        }
        let (a, b) = (self.text.as_bytes(), text.as_bytes());
        let jaro = jaro_words(a, b);
        if jaro > 0.7 {
            let prefix = a
                .iter()
                .zip(b)
                .take(WINKLER_PREFIX)
                .take_while(|(x, y)| x == y)
                .count();
            jaro + 0.1 * prefix as f64 * (1.0 - jaro)
        } else {
            jaro
        }
    }

    /// The similarity of the query and a text whose Jaro-Winkler similarity is `jw`, or
    /// `None` when their edit distance exceeds `max_edits`.
    pub(crate) fn similarity_bounded(&self, text: &str, jw: f64, max_edits: usize) -> Option<f32> {
        let longest = self.chars.max(text.chars().count());
        if longest == 0 {
            return Some(1.0);
        }
        let d = self.osa_distance(text, max_edits)?;
        Some((0.5 * (1.0 - d as f64 / longest as f64 + jw)) as f32)
    }

    /// The optimal string alignment distance of the query and a text, or `None` when it
    /// exceeds `max`.
    fn osa_distance(&self, text: &str, max: usize) -> Option<usize> {
        let d = match &self.positions {
            Some(positions) if text.is_ascii() => {
                osa_words(positions, self.text.len(), text.as_bytes())
            }
            _ if self.text.is_ascii() && text.is_ascii() => {
                osa_rows(self.text.as_bytes(), text.as_bytes(), max)?
            }
            _ => strsim::osa_distance(self.text, text),
        };
        (d <= max).then_some(d)
    }
}

/// Per byte value, the positions (bits) where it occurs in an ASCII text of at most [`WORD`]
/// bytes.
fn byte_positions(text: &[u8]) -> Box<[u64; 128]> {
    let mut positions = Box::new([0u64; 128]);
    for (i, &c) in text.iter().enumerate() {
        positions[usize::from(c)] |= 1 << i;
    }
    positions
}

/// The lowest `n` bits set (`n <= 64`).
fn low_bits(n: usize) -> u64 {
    if n >= WORD { u64::MAX } else { (1u64 << n) - 1 }
}

/// Jaro similarity of two non-empty ASCII texts of at most [`WORD`] bytes, computed as
/// `strsim::generic_jaro` does: each byte of `a` in order takes the first free equal byte of
/// `b` within the search range. Here the free equal bytes of the range are one mask, and the
/// first is its lowest bit.
fn jaro_words(a: &[u8], b: &[u8]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    let range = (la.max(lb) / 2).saturating_sub(1);
    let mut in_b = [0u64; 128];
    for (j, &c) in b.iter().enumerate() {
        in_b[usize::from(c)] |= 1 << j;
    }
    let (mut taken, mut matched_a, mut matches) = (0u64, 0u64, 0usize);
    for (i, &c) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(range), (i + range + 1).min(lb));
        if lo >= hi {
            continue;
        }
        let free = in_b[usize::from(c)] & low_bits(hi) & !low_bits(lo) & !taken;
        if free != 0 {
            taken |= free & free.wrapping_neg();
            matched_a |= 1 << i;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched bytes of `a` in order against matched bytes of `b` in order.
    let mut half_transpositions = 0;
    while matched_a != 0 {
        let (i, j) = (matched_a.trailing_zeros(), taken.trailing_zeros());
        half_transpositions += usize::from(a[i as usize] != b[j as usize]);
        matched_a &= matched_a - 1;
        taken &= taken - 1;
    }
    let transpositions = half_transpositions / 2;
    ((matches as f64 / la as f64)
        + (matches as f64 / lb as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// Optimal string alignment distance of a pattern of `m` (1 to [`WORD`]) ASCII bytes, given
/// by its byte positions, and an ASCII text: Hyyrö's bit-vector algorithm, one step per byte
/// of the text. The vertical deltas of the dynamic programme's current column are the bits
/// of `vp` (+1) and `vn` (-1); `d0` marks the diagonal steps that cost nothing, and `tr`
/// adds the swaps of neighbours.
fn osa_words(positions: &[u64; 128], m: usize, text: &[u8]) -> usize {
    let last = 1u64 << (m - 1);
    let (mut vp, mut vn, mut d0, mut pm_old) = (low_bits(m), 0u64, 0u64, 0u64);
    let mut distance = m;
    for &c in text {
        let pm = positions[usize::from(c)];
        let tr = ((!d0 & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        distance += usize::from(hp & last != 0);
        distance -= usize::from(hn & last != 0);
        let (hp, hn) = ((hp << 1) | 1, hn << 1);
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    distance
}

/// Optimal string alignment distance of two byte strings by the dynamic programme, two rows
/// back (the same as `strsim::osa_distance` on ASCII), giving up with `None` once it must
/// exceed `max`.
fn osa_rows(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
    fn similarity_forgives_typos_not_prefixes() {
        assert!(similarity("python", "phyton") > 0.8);
        assert!(similarity("hask", "haskell") < 0.8);
        assert_eq!(similarity("", ""), 1.0);
    }

    #[test]
    fn distances_agree_with_strsim_on_known_pairs() {
        for (a, b) in [
            ("python", "phyton"),
            ("ca", "abc"),
            ("kitten", "sitting"),
            ("abcdef", "badcfe"),
            ("same", "same"),
            ("a", ""),
        ] {
            let d = strsim::osa_distance(a, b);
            assert_eq!(
                Pattern::new(a).osa_distance(b, usize::MAX),
                Some(d),
                "{a} {b}"
            );
            assert_eq!(osa_rows(a.as_bytes(), b.as_bytes(), usize::MAX), Some(d));
            assert_eq!(osa_rows(a.as_bytes(), b.as_bytes(), d), Some(d));
            if d > 0 {
                assert_eq!(osa_rows(a.as_bytes(), b.as_bytes(), d - 1), None, "{a} {b}");
                assert_eq!(Pattern::new(a).osa_distance(b, d - 1), None, "{a} {b}");
            }
        }
    }

    /// Texts over a small alphabet (many repeats and swaps), of up to 70 bytes so that both
    /// sides of the one-word limit are drawn, sometimes with a non-ASCII letter.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[abc ]{0,70}",
            1 => "[abé]{0,12}",
            1 => "[a-z ]{0,20}",
        ]
    }

    proptest! {
        #[test]
        fn bit_parallel_measures_equal_strsim(a in text(), b in text()) {
            let pattern = Pattern::new(&a);
            prop_assert_eq!(
                pattern.osa_distance(&b, usize::MAX),
                Some(strsim::osa_distance(&a, &b))
            );
            prop_assert_eq!(
                pattern.jaro_winkler(&b).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits()
            );
        }

        #[test]
        fn bounded_distance_gives_up_only_beyond_the_bound(
            a in text(),
            b in text(),
            max in 0usize..8,
        ) {
            let d = strsim::osa_distance(&a, &b);
            let expected = (d <= max).then_some(d);
            prop_assert_eq!(Pattern::new(&a).osa_distance(&b, max), expected);
        }
    }
}
