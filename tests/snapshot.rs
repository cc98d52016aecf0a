//! Snapshots: an engine saved and opened answers as the engine that was saved, after any
//! updates; a truncated, corrupted, foreign-version or foreign-reference file is a typed error
//! naming what is wrong, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

use diaspora_match::{Engine, ErrorKind, OpportunityId, ProfileId};
use proptest::prelude::*;

/// Every answer a user can see, in one list of lines.
fn answers(engine: &Engine) -> Vec<String> {
    let mut out = vec![format!("{:?}", engine.match_all(5).unwrap())];
    for o in 0..engine.opportunities().len() {
        let o = OpportunityId::new(o as u32);
        out.push(format!("{:?}", engine.candidates(o, 50).unwrap()));
        out.push(format!(
            "{:?}",
            engine.candidates_brute_force(o, 50).unwrap()
        ));
    }
    for p in 0..engine.profile_count() {
        let p = ProfileId::new(p as u32);
        out.push(format!("{:?}", engine.opportunities_for(p, 10).unwrap()));
        out.push(format!("{:?}", engine.profile_key(p)));
        for o in 0..engine.opportunities().len() {
            let o = OpportunityId::new(o as u32);
            out.push(engine.explain(p, o).unwrap().to_string());
            out.push(format!("{:?}", engine.referral_path(p, o).unwrap()));
        }
    }
    out.push(format!("{:?} {:?}", engine.config(), engine.limits()));
    out
}

fn reopened(engine: &Engine) -> Engine {
    let mut bytes = Vec::new();
    let path = std::env::temp_dir().join(format!(
        "snapshot-test-{}-{:?}.bin",
        std::process::id(),
        std::thread::current().id()
    ));
    engine.save(&path).unwrap();
    bytes.extend(std::fs::read(&path).unwrap());
    std::fs::remove_file(&path).unwrap();
    let opened = Engine::open_bytes(&bytes, reference()).unwrap();
    // Saved again, the opened engine gives the same bytes.
    let again = std::env::temp_dir().join(format!(
        "snapshot-again-{}-{:?}.bin",
        std::process::id(),
        std::thread::current().id()
    ));
    opened.save(&again).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), bytes);
    std::fs::remove_file(&again).unwrap();
    opened
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(10), ..ProptestConfig::default() })]

    /// Saved after random updates and opened, an engine answers every query, explanation and
    /// referral path as the saved one; and it takes the same updates afterwards.
    #[test]
    fn opened_engines_answer_as_saved(
        spec in spec(40, 4),
        cfg in config(),
        ops in proptest::collection::vec((0u8..3, 0usize..64, profile_spec()), 0..10),
        later in profile_spec(),
    ) {
        let mut engine = Engine::builder(build(&spec)).config(cfg).build().unwrap();
        for (n, (op, at, p)) in ops.into_iter().enumerate() {
            let live: Vec<ProfileId> = engine.profile_ids().collect();
            match op {
                0 => {
                    engine.add_profile(profile(&p, format!("new-{n}"))).unwrap();
                }
                1 if !live.is_empty() => {
                    let id = live[at % live.len()];
                    let key = engine.profile_key(id).unwrap().to_string();
                    engine.update_profile(id, profile(&p, key)).unwrap();
                }
                2 if !live.is_empty() => engine.remove_profile(live[at % live.len()]).unwrap(),
                _ => {}
            }
        }
        let mut opened = reopened(&engine);
        prop_assert_eq!(answers(&opened), answers(&engine));
        // Field by field (a profile's `Debug` hides its personal fields).
        prop_assert_eq!(opened.to_dataset().profiles, engine.to_dataset().profiles);
        let new = profile(&later, "later".into());
        prop_assert_eq!(
            opened.add_profile(new.clone()).unwrap(),
            engine.add_profile(new).unwrap()
        );
        prop_assert_eq!(answers(&opened), answers(&engine));
    }
}

/// The sample's engine and its snapshot.
fn sample() -> (Engine, Vec<u8>) {
    let dir = diaspora_match::io::bundled_reference_dir();
    let data = diaspora_match::io::load_dataset(dir.parent().unwrap().join("sample"), reference())
        .unwrap();
    let engine = Engine::builder(data).build().unwrap();
    let path = std::env::temp_dir().join(format!(
        "snapshot-sample-{}-{:?}.bin",
        std::process::id(),
        std::thread::current().id()
    ));
    engine.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    (engine, bytes)
}

/// Where each section starts (its header) and where its payload starts and ends.
fn sections(bytes: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 16;
    while at < bytes.len() {
        let len = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize;
        out.push((at, at + 16, at + 16 + len));
        at += 16 + len;
    }
    assert_eq!(at, bytes.len());
    out
}

fn snapshot_error(bytes: &[u8]) -> String {
    match Engine::open_bytes(bytes, reference()) {
        Ok(_) => panic!("a damaged snapshot opened"),
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::Snapshot { .. }), "{e}");
            e.to_string()
        }
    }
}

#[test]
fn a_flipped_byte_at_any_section_boundary_is_refused() {
    let (_, bytes) = sample();
    let parts = sections(&bytes);
    assert_eq!(parts.len(), 5);
    let mut offsets = vec![0, 7, 8, 12, 15];
    for &(head, start, end) in &parts {
        offsets.extend([head, head + 4, head + 12, start, (start + end) / 2, end - 1]);
    }
    for at in offsets {
        for bit in [0x01u8, 0x80] {
            let mut b = bytes.clone();
            b[at] ^= bit;
            let e = snapshot_error(&b);
            assert!(e.contains("<snapshot>: snapshot "), "{e}");
        }
    }
}

#[test]
fn a_truncated_snapshot_is_refused() {
    let (_, bytes) = sample();
    let mut cuts: Vec<usize> = vec![0, 1, 15, 16, 17];
    for (head, start, end) in sections(&bytes) {
        cuts.extend([head + 3, start, end - 1]);
    }
    for cut in cuts {
        let e = snapshot_error(&bytes[..cut]);
        assert!(
            e.contains("truncated") || e.contains("not a diaspora-match snapshot"),
            "{cut}: {e}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(snapshot_error(&longer).contains("bytes after the last section"));
}

#[test]
fn another_version_or_other_reference_data_is_refused() {
    let (_, bytes) = sample();
    let mut b = bytes.clone();
    b[8] = 1;
    assert!(snapshot_error(&b).contains("format version 1; this build reads version 3"));
    // The fingerprint of the reference data, with the section's checksum made right again.
    let (_, start, end) = sections(&bytes)[0];
    let mut b = bytes.clone();
    b[start] ^= 1;
    let crc = crc32fast::hash(&b[start..end]);
    b[start - 4..start].copy_from_slice(&crc.to_le_bytes());
    let e = snapshot_error(&b);
    assert!(
        e.contains("section `meta`: saved over other reference data"),
        "{e}"
    );
    assert!(snapshot_error(b"not a snapshot at all").contains("not a diaspora-match snapshot"));
}

#[test]
fn a_missing_file_or_folder_is_an_io_error() {
    let e = Engine::open("/nonexistent/diaspora.snapshot", reference()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
    let (engine, _) = sample();
    let e = engine.save("/nonexistent/diaspora.snapshot").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
    // A save leaves the file under its name only, nothing beside it.
    let dir = std::env::temp_dir().join(format!("snapshot-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    engine.save(dir.join("e.snapshot")).unwrap();
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["e.snapshot"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Profiles without any item (erased) take the least room a snapshot gives one: the
/// reader's bounds on list lengths must not refuse them.
#[test]
fn an_engine_of_erased_profiles_opens() {
    let (mut engine, _) = sample();
    let ids: Vec<ProfileId> = engine.profile_ids().collect();
    let mut erased = 0;
    for id in ids {
        // A profile that hosts an opportunity stays.
        erased += usize::from(engine.remove_profile(id).is_ok());
    }
    assert!(erased > 50, "{erased}");
    let opened = reopened(&engine);
    assert_eq!(opened.profile_count(), engine.profile_count());
    assert_eq!(answers(&opened), answers(&engine));
}

/// The file with one section's payload changed by `f`, its length and checksum made right.
fn rewritten(bytes: &[u8], section: usize, mut f: impl FnMut(&mut Vec<u8>)) -> Vec<u8> {
    let parts = sections(bytes);
    let mut out = bytes[..16].to_vec();
    for (j, &(head, start, end)) in parts.iter().enumerate() {
        let mut payload = bytes[start..end].to_vec();
        if j == section {
            f(&mut payload);
        }
        out.extend_from_slice(&bytes[head..head + 4]);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
    }
    out
}

/// Values that pass the checksums are still checked: limits the saved records exceed, a
/// configuration out of range.
#[test]
fn saved_values_are_checked_as_the_builder_checks_them() {
    let (_, bytes) = sample();
    // The meta section: fingerprint, first id, then the configuration and the limits as JSON.
    let with_json = |config: &dyn Fn(&mut serde_json::Value),
                     limits: &dyn Fn(&mut serde_json::Value)| {
        rewritten(&bytes, 0, |p| {
            let mut at = 12;
            let mut read = |p: &[u8]| {
                let len = u64::from_le_bytes(p[at..at + 8].try_into().unwrap()) as usize;
                let v: serde_json::Value =
                    serde_json::from_slice(&p[at + 8..at + 8 + len]).unwrap();
                at += 8 + len;
                v
            };
            let (mut c, mut l) = (read(p), read(p));
            config(&mut c);
            limits(&mut l);
            p.truncate(12);
            for v in [c, l] {
                let s = v.to_string();
                p.extend_from_slice(&(s.len() as u64).to_le_bytes());
                p.extend_from_slice(s.as_bytes());
            }
        })
    };
    let same = with_json(&|_| {}, &|_| {});
    assert!(Engine::open_bytes(&same, reference()).is_ok());
    let few_skills = with_json(&|_| {}, &|l| l["skills_per_profile"] = 1.into());
    let e = Engine::open_bytes(&few_skills, reference()).unwrap_err();
    assert!(e.to_string().contains("skills_per_profile"), "{e}");
    let bad_weight = with_json(&|c| c["weights"]["skills"] = (-1.0).into(), &|_| {});
    let e = Engine::open_bytes(&bad_weight, reference()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Config { .. }), "{e}");
}

/// Each profile's node (whose key is the profile's) is checked against the network and the
/// store: a node the network does not hold, a node given twice, a profile stripped of its
/// node.
#[test]
fn profile_nodes_are_checked() {
    let (engine, bytes) = sample();
    let net = engine.network();
    // Profile 0's node, and a profile whose node has ties.
    let p0 = net
        .node(engine.profile_key(ProfileId::new(0)).unwrap())
        .unwrap();
    let tied = (0..engine.profile_count() as u32)
        .find(|&i| {
            let n = net
                .node(engine.profile_key(ProfileId::new(i)).unwrap())
                .unwrap();
            net.degree(n) > 0
        })
        .unwrap() as usize;
    let with_node = |i: usize, v: u32| {
        rewritten(&bytes, 3, |p| {
            p[8 + 4 * i..12 + 4 * i].copy_from_slice(&v.to_le_bytes());
        })
    };
    let e = snapshot_error(&with_node(1, p0.as_u32()));
    assert!(
        e.contains("section `profile nodes`: profile 1: the node of profile 0"),
        "{e}"
    );
    let e = snapshot_error(&with_node(1, net.id_bound() as u32));
    assert!(
        e.contains("section `profile nodes`: profile 1: a node the network does not hold"),
        "{e}"
    );
    let e = snapshot_error(&with_node(tied, u32::MAX));
    assert!(
        e.contains(&format!(
            "section `store`: profile {tied}: a network node that is not its own"
        )),
        "{e}"
    );
}
