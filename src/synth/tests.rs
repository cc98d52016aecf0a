//! The generator's streams.

use super::rng::Weighted;
use super::*;

#[test]
fn splitmix_is_fixed_and_uniform_enough() {
    let mut r = SplitMix64::new(0);
    assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
    let mut counts = [0usize; 4];
    for _ in 0..40_000 {
        counts[r.below(4)] += 1;
    }
    assert!(
        counts.iter().all(|&c| (9_000..11_000).contains(&c)),
        "{counts:?}"
    );
    let w = Weighted::new([0.0, 3.0, 1.0]);
    let mut hits = [0usize; 3];
    for _ in 0..40_000 {
        hits[w.sample(&mut r).unwrap()] += 1;
    }
    assert_eq!(hits[0], 0);
    assert!((28_000..32_000).contains(&hits[1]), "{hits:?}");
    assert!(Weighted::new([]).sample(&mut r).is_none());
}
