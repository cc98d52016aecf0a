//! Compressed sparse rows: many short lists in two flat vectors.

/// `len()` lists of `T`, list `i` being `items[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Csr<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Csr<T> {
    fn default() -> Self {
        Csr {
            offsets: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T> Csr<T> {
    /// Appends a list. Returns `false` (and appends nothing) when the items would overflow
    /// the `u32` offsets.
    pub(crate) fn push(&mut self, list: impl IntoIterator<Item = T>) -> bool {
        let before = self.items.len();
        self.items.extend(list);
        match u32::try_from(self.items.len()) {
            Ok(end) => {
                self.offsets.push(end);
                true
            }
            Err(_) => {
                self.items.truncate(before);
                false
            }
        }
    }

    /// The `i`-th list (empty when out of range).
    pub(crate) fn get(&self, i: usize) -> &[T] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Total number of items.
    pub(crate) fn item_count(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_kept_apart() {
        let mut c = Csr::default();
        assert!(c.push([1, 2]));
        assert!(c.push([]));
        assert!(c.push([3]));
        assert_eq!(c.get(0), &[1, 2]);
        assert!(c.get(1).is_empty());
        assert_eq!(c.get(2), &[3]);
        assert!(c.get(3).is_empty());
        assert_eq!(c.item_count(), 3);
    }
}
