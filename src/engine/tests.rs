//! The engine on small datasets: updates, limits and merging.

use crate::id::ProfileId;

use super::*;

/// Erasure leaves no trace: not in the profile arrays, in no postings list, in no host's
/// reached list or network search, not in the network, not among the keys.
#[test]
fn erasure_leaves_no_trace_in_any_structure() {
    let dir = crate::io::bundled_reference_dir();
    let reference = std::sync::Arc::new(crate::io::load_reference(&dir).unwrap());
    let sample = dir.parent().unwrap().join("sample");
    let dataset = crate::io::load_dataset(sample, reference).unwrap();
    let mut engine = Engine::builder(dataset).build().unwrap();
    // A person some host's search reached, so every structure holds something of them.
    let (id, node) = (0..engine.dataset.profiles.len())
        .filter_map(|i| {
            let n = engine
                .dataset
                .network
                .node(&engine.dataset.profiles[i].key)?;
            engine
                .host_strengths
                .values()
                .any(|s| s.get(n).is_some())
                .then_some((i as u32, n))
        })
        .next()
        .unwrap();
    let key = engine.dataset.profiles[id as usize].key.clone();
    assert!(engine.index().refers_to(id));
    engine.remove_profile(ProfileId::new(id)).unwrap();
    assert!(!engine.index().refers_to(id));
    assert!(
        engine
            .host_strengths
            .values()
            .all(|s| s.get(node).is_none())
    );
    assert!(
        engine
            .host_strengths
            .values()
            .all(|s| s.iter().all(|(n, _)| n != node))
    );
    assert_eq!(engine.dataset.network.node(&key), None);
    assert_eq!(engine.dataset.network.degree(node), 0);
    assert!(!engine.profile_keys.contains_key(&key));
    assert!(crate::dataset::is_removed(
        &engine.dataset.profiles[id as usize]
    ));
    // Compaction keeps it so.
    engine.compact().unwrap();
    assert!(!engine.index().refers_to(id));
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
}
