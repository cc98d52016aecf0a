//! Building postings from `(key, id)` pairs, in parallel over ranges of ids.
//!
//! Each range of [`RANGE`] ids is read twice by its own task: once to count the pairs per
//! list, once (after the counts decide which lists are bitsets) to group its ids by list and
//! set its own words of the bitsets. The lists are then encoded in parallel, each list reading
//! its ids range after range, so every list comes out sorted as if built in one pass.

use std::ops::Range;

use crate::util::{bitset, map_chunks};

use super::{Part, Postings, SPARSE, put_varint};

/// Ids per range: a multiple of 64, so that a range owns whole words of every bitset.
const RANGE: usize = 1 << 16;

/// Ids per encoding task, about: enough to be worth a task, few enough to share out.
const ENCODE_TASK: usize = 1 << 20;

/// One range's ids grouped by list (the dense lists' ids are in `bits` instead).
struct RangeIds {
    /// Where each list's ids start in `ids`, and the end.
    offsets: Vec<u32>,
    ids: Vec<u32>,
    /// The range's words of every dense list, dense list after dense list.
    bits: Vec<u64>,
}

/// One encoding task's lists: their bytes, the start of each (from the task's first byte) and
/// the bytes each uses.
struct Encoded {
    bytes: Vec<u8>,
    starts: Vec<u64>,
}

/// The ids `lo..hi` of range `r` of `n` ids.
fn range(r: usize, n: usize) -> Range<u32> {
    (r * RANGE) as u32..((r + 1) * RANGE).min(n) as u32
}

impl Postings {
    /// Builds `lists` lists over `n` profiles. `pairs(ids, f)` calls `f(key, id)` for the
    /// pairs whose id is in `ids`, in increasing id order, each pair once; it is called from
    /// several threads at once, twice per range.
    pub(crate) fn build(
        lists: usize,
        n: usize,
        pairs: impl Fn(Range<u32>, &mut dyn FnMut(usize, u32)) + Sync,
    ) -> Postings {
        let ranges = n.div_ceil(RANGE);
        let counted = map_chunks(0..ranges, |r| {
            let mut c = vec![0u32; lists];
            pairs(range(r, n), &mut |key, _| c[key] += 1);
            c
        });
        let mut counts = vec![0u32; lists];
        for c in &counted {
            counts.iter_mut().zip(c).for_each(|(t, &x)| *t += x);
        }
        let dense = dense_slots(&counts, n);
        let slots = dense.iter().filter(|&&d| d != SPARSE).count();
        let grouped = map_chunks(0..ranges, |r| {
            group(&pairs, range(r, n), &counted[r], &dense, slots)
        });
        drop(counted);
        let words = n.div_ceil(64);
        let bits = join_bits(&grouped, slots, words);
        let tasks = encoding_tasks(&counts, &dense);
        let encoded = map_chunks(0..tasks.len(), |t| encode(tasks[t].clone(), &grouped));
        drop(grouped);
        let (bytes, starts, used) = join_lists(encoded, lists);
        Postings {
            starts,
            used,
            counts,
            bytes,
            dense,
            bits,
            words,
            ..Postings::default()
        }
    }
}

/// Per list: its bitset's number, or [`SPARSE`]. A list holding more than one id in eight
/// (of at least 1,024) is a bitset.
fn dense_slots(counts: &[u32], n: usize) -> Vec<u32> {
    let mut slots = 0u32;
    counts
        .iter()
        .map(|&c| {
            if c as usize * 8 > n && n >= 1024 {
                slots += 1;
                slots - 1
            } else {
                SPARSE
            }
        })
        .collect()
}

/// The ids of one range grouped by list, and its words of the dense lists.
fn group(
    pairs: &(impl Fn(Range<u32>, &mut dyn FnMut(usize, u32)) + Sync),
    ids: Range<u32>,
    counts: &[u32],
    dense: &[u32],
    slots: usize,
) -> RangeIds {
    let mut offsets = Vec::with_capacity(counts.len() + 1);
    let mut total = 0u32;
    for (&c, &d) in counts.iter().zip(dense) {
        offsets.push(total);
        if d == SPARSE {
            total += c;
        }
    }
    offsets.push(total);
    let mut fill = offsets.clone();
    let mut out = vec![0u32; total as usize];
    let words = (ids.end - ids.start).div_ceil(64) as usize;
    let mut bits = vec![0u64; slots * words];
    let base = ids.start;
    pairs(ids, &mut |key, id| match dense[key] {
        SPARSE => {
            out[fill[key] as usize] = id;
            fill[key] += 1;
        }
        d => {
            let row = d as usize * words;
            bitset::insert(&mut bits[row..row + words], (id - base) as usize);
        }
    });
    RangeIds {
        offsets,
        ids: out,
        bits,
    }
}

/// The dense lists' bitsets over all ids, from the ranges' words.
fn join_bits(grouped: &[RangeIds], slots: usize, words: usize) -> Vec<u64> {
    let mut bits = vec![0u64; slots * words];
    let mut at = 0;
    for g in grouped {
        let w = g.bits.len().checked_div(slots).unwrap_or(0);
        for s in 0..slots {
            bits[s * words + at..s * words + at + w].copy_from_slice(&g.bits[s * w..(s + 1) * w]);
        }
        at += w;
    }
    bits
}

/// Consecutive runs of lists, each with about [`ENCODE_TASK`] ids to encode.
fn encoding_tasks(counts: &[u32], dense: &[u32]) -> Vec<Range<usize>> {
    let mut tasks = Vec::new();
    let (mut start, mut ids) = (0, 0usize);
    for (l, (&c, &d)) in counts.iter().zip(dense).enumerate() {
        if d == SPARSE {
            ids += c as usize;
        }
        if ids >= ENCODE_TASK {
            tasks.push(start..l + 1);
            (start, ids) = (l + 1, 0);
        }
    }
    if start < counts.len() || tasks.is_empty() {
        tasks.push(start..counts.len());
    }
    tasks
}

/// Lists `lists` as delta varints, each reading its ids range after range.
fn encode(lists: Range<usize>, grouped: &[RangeIds]) -> Encoded {
    let mut bytes = Vec::new();
    let mut starts = Vec::with_capacity(lists.len() + 1);
    for l in lists {
        starts.push(bytes.len() as u64);
        let mut prev = 0;
        for g in grouped {
            for &id in &g.ids[g.offsets[l] as usize..g.offsets[l + 1] as usize] {
                put_varint(&mut bytes, id - prev);
                prev = id;
            }
        }
    }
    starts.push(bytes.len() as u64);
    Encoded { bytes, starts }
}

/// The tasks' lists joined: the bytes, each list's start and the bytes each uses.
fn join_lists(encoded: Vec<Encoded>, lists: usize) -> (Vec<u8>, Vec<u64>, Vec<u32>) {
    let mut bytes = Vec::with_capacity(encoded.iter().map(|e| e.bytes.len()).sum());
    let mut starts = Vec::with_capacity(lists + 1);
    let mut used = Vec::with_capacity(lists);
    for e in encoded {
        let base = bytes.len() as u64;
        for w in e.starts.windows(2) {
            starts.push(base + w[0]);
            // A list holds at most `u32::MAX` ids of at most 5 bytes: its bytes are counted
            // in a `u32` as the rest of the index counts them.
            used.push((w[1] - w[0]) as u32);
        }
        bytes.extend_from_slice(&e.bytes);
    }
    starts.push(bytes.len() as u64);
    (bytes, starts, used)
}

/// Lists per encoding task in [`Postings::unions`]: each task clears and scans one bitset of
/// every id per list.
const UNIONS_TASK: usize = 16;

/// One list of [`Postings::unions`]: its count, and its ids as varints or as a bitset.
enum Union {
    Varints(u32, Vec<u8>),
    Bits(u32, Vec<u64>),
}

impl Postings {
    /// Lists that are each the union of lists of `source` over the same `n` ids: list `l`
    /// is the union of the lists `members[l]`. Built in parallel, a few lists per task, each
    /// union made in a bitset of every id; a union of more than one id in eight (of at least
    /// 1,024) stays a bitset, as in [`Postings::build`].
    pub(crate) fn unions(members: &[Vec<u32>], source: &Postings, n: usize) -> Postings {
        let words = n.div_ceil(64);
        let lists = members.len();
        let done = map_chunks(0..lists.div_ceil(UNIONS_TASK), |t| {
            let mut scratch = vec![0u64; words];
            let run = t * UNIONS_TASK..((t + 1) * UNIONS_TASK).min(lists);
            run.map(|l| union(&members[l], source, n, &mut scratch))
                .collect::<Vec<_>>()
        });
        let mut p = Postings {
            words,
            ..Postings::default()
        };
        let (mut slots, mut at) = (0u32, 0u64);
        for u in done.into_iter().flatten() {
            p.starts.push(at);
            match u {
                Union::Varints(count, bytes) => {
                    p.counts.push(count);
                    p.dense.push(SPARSE);
                    p.used.push(bytes.len() as u32);
                    at += bytes.len() as u64;
                    p.bytes.extend_from_slice(&bytes);
                }
                Union::Bits(count, bits) => {
                    p.counts.push(count);
                    p.dense.push(slots);
                    p.used.push(0);
                    slots += 1;
                    p.bits.extend_from_slice(&bits);
                }
            }
        }
        p.starts.push(at);
        p.bytes.shrink_to_fit();
        p.bits.shrink_to_fit();
        p
    }
}

/// The union of lists `members` of `source`, made in `scratch` (a bitset of every id).
fn union(members: &[u32], source: &Postings, n: usize, scratch: &mut [u64]) -> Union {
    scratch.fill(0);
    for &m in members {
        source.read(m as usize, |part| match part {
            Part::Id(x) => bitset::insert(scratch, x as usize),
            Part::Bits(b) => bitset::union_into(scratch, b),
        });
    }
    let count: u32 = scratch.iter().map(|w| w.count_ones()).sum();
    if count as usize * 8 > n && n >= 1024 {
        return Union::Bits(count, scratch.to_vec());
    }
    let mut bytes = Vec::with_capacity(count as usize * 2);
    let mut prev = 0;
    for id in bitset::ones(scratch) {
        put_varint(&mut bytes, id - prev);
        prev = id;
    }
    bytes.shrink_to_fit();
    Union::Varints(count, bytes)
}
