//! Mapping a range of chunk numbers in parallel (with the `rayon` feature) or in order.

/// `f` of every chunk number in `range`, in order; run in parallel with the `rayon` feature.
#[cfg(feature = "rayon")]
pub(crate) fn map_chunks<T: Send>(
    range: std::ops::Range<usize>,
    f: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    use rayon::prelude::*;
    range.into_par_iter().map(f).collect()
}

/// `f` of every chunk number in `range`, in order.
#[cfg(not(feature = "rayon"))]
pub(crate) fn map_chunks<T>(range: std::ops::Range<usize>, f: impl Fn(usize) -> T) -> Vec<T> {
    range.map(f).collect()
}
