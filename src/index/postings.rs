//! Sorted profile ids per key (skill, country or language): delta-varint lists, dense
//! lists as bitsets, and small sorted delta lists for the profiles added since the build.

use std::collections::HashMap;

use crate::util::bitset;

mod build;

/// Sorted profile ids per key (skill, country or language), delta-varint encoded.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    /// Byte offset of each main list; list `i` has room up to `starts[i + 1]`.
    pub(crate) starts: Vec<u64>,
    /// Bytes in use per main list.
    pub(crate) used: Vec<u32>,
    /// Ids per main list.
    pub(crate) counts: Vec<u32>,
    pub(crate) bytes: Vec<u8>,
    /// Per main list: its bitset's number in `bits`, or [`SPARSE`] for a varint list. A list
    /// holding more than one profile in eight is a bitset: smaller than its varints, and read
    /// 64 profiles at a time.
    pub(crate) dense: Vec<u32>,
    pub(crate) bits: Vec<u64>,
    /// Words per bitset.
    pub(crate) words: usize,
    /// Ids added after the build, per list, sorted.
    pub(crate) delta: HashMap<u32, Vec<u32>>,
    pub(crate) delta_len: usize,
}

/// A piece of a list: one id, or a whole bitset.
#[derive(Clone, Copy)]
pub(crate) enum Part<'a> {
    Id(u32),
    Bits(&'a [u64]),
}

/// Marks a varint list in [`Postings::dense`].
pub(crate) const SPARSE: u32 = u32::MAX;

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Decodes a main list's ids, calling `f` for each.
#[inline]
pub(crate) fn decode(bytes: &[u8], mut f: impl FnMut(u32)) {
    let (mut i, mut cur) = (0usize, 0u32);
    while i < bytes.len() {
        let mut b = bytes[i];
        i += 1;
        let mut v = u32::from(b & 0x7F);
        let mut shift = 7;
        while b & 0x80 != 0 && i < bytes.len() {
            b = bytes[i];
            i += 1;
            v |= u32::from(b & 0x7F) << shift;
            shift += 7;
        }
        cur = cur.wrapping_add(v);
        f(cur);
    }
}

impl Postings {
    /// The bitset of a dense main list.
    #[inline]
    pub(crate) fn bitset(&self, key: usize) -> Option<&[u64]> {
        let d = *self.dense.get(key)?;
        (d != SPARSE).then(|| &self.bits[d as usize * self.words..(d as usize + 1) * self.words])
    }

    /// Calls `f` with every id of a varint main list and of the delta list, and with the
    /// bitset of a dense main list.
    #[inline]
    pub(crate) fn read(&self, key: usize, mut f: impl FnMut(Part<'_>)) {
        match self.bitset(key) {
            Some(b) => f(Part::Bits(b)),
            None => {
                if let Some(&start) = self.starts.get(key) {
                    let start = start as usize;
                    decode(&self.bytes[start..start + self.used[key] as usize], |x| {
                        f(Part::Id(x))
                    });
                }
            }
        }
        if let Some(d) = self.delta.get(&(key as u32)) {
            d.iter().for_each(|&x| f(Part::Id(x)));
        }
    }

    /// The bitset of dense list `key` when it has no delta entries (then it is the whole
    /// list).
    pub(crate) fn clean_bitset(&self, key: usize) -> Option<&[u64]> {
        self.bitset(key)
            .filter(|_| self.delta.get(&(key as u32)).is_none_or(Vec::is_empty))
    }

    /// Work to read list `key` into a bitset.
    pub(crate) fn cost(&self, key: usize) -> usize {
        match self.bitset(key) {
            Some(_) => self.words + self.delta.get(&(key as u32)).map_or(0, Vec::len),
            None => self.len(key),
        }
    }

    /// Number of ids on list `key`.
    pub(crate) fn len(&self, key: usize) -> usize {
        self.counts.get(key).map_or(0, |&c| c as usize)
            + self.delta.get(&(key as u32)).map_or(0, Vec::len)
    }

    /// Calls `f` with every id on list `key`: the main list in order, then the delta list.
    #[cfg(test)]
    pub(crate) fn for_each(&self, key: usize, mut f: impl FnMut(u32)) {
        self.read(key, |part| match part {
            Part::Id(x) => f(x),
            Part::Bits(bits) => bitset::ones(bits).for_each(&mut f),
        });
    }

    /// Takes `id` off list `key` (main or delta). Returns whether it was there.
    pub(crate) fn remove(&mut self, key: usize, id: u32) -> bool {
        if let Some(d) = self.delta.get_mut(&(key as u32))
            && let Ok(i) = d.binary_search(&id)
        {
            d.remove(i);
            self.delta_len -= 1;
            if d.is_empty() {
                self.delta.remove(&(key as u32));
            }
            return true;
        }
        if let Some(d) = self.dense.get(key).copied().filter(|&d| d != SPARSE) {
            let row = d as usize * self.words;
            let removed = bitset::remove(&mut self.bits[row..row + self.words], id as usize);
            if removed {
                self.counts[key] -= 1;
            }
            return removed;
        }
        let Some(&start) = self.starts.get(key) else {
            return false;
        };
        let start = start as usize;
        let end = start + self.used[key] as usize;
        let mut ids = Vec::with_capacity(self.counts[key] as usize);
        decode(&self.bytes[start..end], |x| ids.push(x));
        let Ok(i) = ids.binary_search(&id) else {
            return false;
        };
        ids.remove(i);
        let mut enc = Vec::with_capacity(end - start);
        let mut prev = 0;
        for &x in &ids {
            put_varint(&mut enc, x - prev);
            prev = x;
        }
        // Removing an id merges two gaps into one, which never takes more bytes.
        self.bytes[start..start + enc.len()].copy_from_slice(&enc);
        self.bytes[start + enc.len()..end].fill(0);
        self.used[key] = enc.len() as u32;
        self.counts[key] -= 1;
        true
    }

    /// Puts `id` on the delta list `key`.
    pub(crate) fn insert(&mut self, key: usize, id: u32) {
        let d = self.delta.entry(key as u32).or_default();
        if let Err(i) = d.binary_search(&id) {
            d.insert(i, id);
            self.delta_len += 1;
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 8
            + self.used.capacity() * 4
            + self.counts.capacity() * 4
            + self.bytes.capacity()
            + self.dense.capacity() * 4
            + self.bits.capacity() * 8
            + self
                .delta
                .values()
                .map(|d| d.capacity() * 4 + 32)
                .sum::<usize>()
    }

    /// Whether any list holds `id`.
    #[cfg(test)]
    pub(crate) fn holds(&self, id: u32) -> bool {
        (0..self.counts.len()).any(|k| {
            let mut found = false;
            self.for_each(k, |x| found |= x == id);
            found
        })
    }
}

/// Adds a piece of a list to a bitset.
#[inline]
pub(crate) fn or_into(mask: &mut [u64], part: Part<'_>) {
    match part {
        Part::Id(i) => bitset::insert(mask, i as usize),
        Part::Bits(bits) => bitset::union_into(mask, bits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_and_remove_in_place() {
        let pairs = [
            (0usize, 0u32),
            (1, 0),
            (0, 5),
            (0, 300),
            (1, 70_000),
            (0, 70_001),
        ];
        let p = Postings::build(3, 70_002, |ids, f| {
            for &(k, id) in pairs.iter().filter(|p| ids.contains(&p.1)) {
                f(k, id);
            }
        });
        let list = |p: &Postings, k| {
            let mut v = Vec::new();
            p.for_each(k, |x| v.push(x));
            v
        };
        assert_eq!(list(&p, 0), [0, 5, 300, 70_001]);
        assert_eq!(list(&p, 1), [0, 70_000]);
        assert!(list(&p, 2).is_empty());
        let mut p = p;
        assert!(p.remove(0, 300));
        assert!(!p.remove(0, 300));
        assert_eq!(list(&p, 0), [0, 5, 70_001]);
        assert_eq!(p.len(0), 3);
        p.insert(2, 9);
        p.insert(2, 4);
        assert_eq!(list(&p, 2), [4, 9]);
        assert!(p.remove(2, 4));
        assert!(p.holds(9) && !p.holds(300));
    }

    #[test]
    fn dense_lists_are_bitsets_and_lose_ids_in_place() {
        // List 0 holds every third id of 3,000: a bitset; list 1 holds ten: varints.
        let p = Postings::build(2, 3000, |ids, f| {
            for id in ids {
                if id % 3 == 0 {
                    f(0, id);
                }
                if id % 300 == 7 {
                    f(1, id);
                }
            }
        });
        assert!(p.bitset(0).is_some() && p.bitset(1).is_none());
        let mut p = p;
        assert!(p.remove(0, 2997));
        assert!(!p.remove(0, 2997));
        assert!(!p.remove(0, 1));
        let mut v = Vec::new();
        p.for_each(0, |x| v.push(x));
        assert_eq!(v.len(), 999);
        assert!(v.iter().all(|x| x % 3 == 0 && *x != 2997));
        assert_eq!(p.len(0), 999);
        assert!(!p.holds(2997) && p.holds(7));
    }

    #[test]
    fn unions_hold_every_member_once_as_varints_or_bitsets() {
        // List 0 is dense (every other id), 1 and 2 are sparse and overlap; 3 is empty.
        let n = 5000u32;
        let member = |k: usize, id: u32| match k {
            0 => id.is_multiple_of(2),
            1 => id % 13 == 3,
            2 => id % 13 == 3 || id % 29 == 1,
            _ => false,
        };
        let source = Postings::build(4, n as usize, |ids, f| {
            for id in ids {
                for k in 0..4 {
                    if member(k, id) {
                        f(k, id);
                    }
                }
            }
        });
        assert!(source.bitset(0).is_some() && source.bitset(1).is_none());
        let members = vec![vec![1, 2], vec![0, 1], vec![3], vec![2, 2]];
        let u = Postings::unions(&members, &source, n as usize);
        for (l, m) in members.iter().enumerate() {
            let want: Vec<u32> = (0..n)
                .filter(|&id| m.iter().any(|&k| member(k as usize, id)))
                .collect();
            let mut got = Vec::new();
            u.for_each(l, |x| got.push(x));
            assert_eq!(got, want, "union {l}");
            assert_eq!(u.len(l), want.len());
        }
        // The union with the dense list is a bitset; the others are varints.
        assert!(u.bitset(1).is_some() && u.bitset(0).is_none() && u.bitset(3).is_none());
    }
}
