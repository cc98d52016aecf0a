//! Replays every input kept in `fuzz/regressions/<target>/` through the property its fuzz
//! target checks (`fuzz/props.rs`), on stable Rust, so that what fuzzing once found stays
//! fixed. Inputs that crashed a target were added here after the fix, with the seeds that
//! cover each bad-input class.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/props.rs"]
mod props;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(
            result.is_ok(),
            "{target}: {} fails its property",
            f.display()
        );
    }
}

#[test]
fn load_profiles() {
    replay("load_profiles", props::load_profiles);
}

#[test]
fn load_opportunities() {
    replay("load_opportunities", props::load_opportunities);
}

#[test]
fn load_csv() {
    replay("load_csv", props::load_csv);
}

#[test]
fn resolve() {
    replay("resolve", props::resolve);
}

#[test]
fn engine() {
    replay("engine", props::engine);
}

#[test]
fn network() {
    replay("network", props::network);
}

#[test]
fn assign() {
    replay("assign", props::assign);
}

#[test]
fn privacy() {
    replay("privacy", props::privacy);
}

#[test]
fn snapshot() {
    replay("snapshot", props::snapshot);
}
