//! The engine on small datasets: updates, limits and merging.

use crate::id::{NodeId, OpportunityId, ProfileId};
use crate::score::Component;

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
    let (id, node) = (0..engine.profile_count() as u32)
        .filter_map(|i| {
            let n = engine.network.node(engine.local_key(i))?;
            engine
                .host_strengths
                .values()
                .any(|s| s.get(n).is_some())
                .then_some((i, n))
        })
        .next()
        .unwrap();
    let key = engine.local_key(id).to_string();
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
    assert_eq!(engine.network.node(&key), None);
    assert_eq!(engine.network.degree(node), 0);
    assert!(engine.profile_nodes.find(&key, &engine.network).is_none());
    assert_eq!(engine.profile_nodes.profile(node), None);
    assert_eq!(engine.profile_key(ProfileId::new(id)), None);
    assert!(engine.profile(ProfileId::new(id)).is_err());
    assert!(crate::dataset::is_removed(
        &engine.to_dataset().profiles[id as usize]
    ));
    // Compaction keeps it so.
    engine.compact().unwrap();
    assert!(!engine.index().refers_to(id));
}

/// A profile whose key names no node gets one without ties, with its consent, at the build:
/// its key is kept once, as its node's. Two such profiles with one key are refused as
/// [`Dataset::validate`] refuses them.
#[test]
fn a_profile_without_a_node_gets_one() {
    let dir = crate::io::bundled_reference_dir();
    let reference = std::sync::Arc::new(crate::io::load_reference(&dir).unwrap());
    let mut d = crate::io::load_dataset(dir.parent().unwrap().join("sample"), reference).unwrap();
    let nodes = d.network.id_bound();
    let mut p = d.profiles[0].clone();
    p.key = "no-node-yet".into();
    p.intermediary = true;
    d.profiles.push(p.clone());
    let last = d.profiles.len() - 1;
    let engine = Engine::builder(d.clone()).build().unwrap();
    let id = engine.profile_id("no-node-yet").unwrap();
    assert_eq!(id.index(), last);
    let n = engine.network().node("no-node-yet").unwrap();
    assert_eq!((n.index(), engine.network().degree(n)), (nodes, 0));
    assert!(engine.network().is_intermediary(n));
    assert_eq!(engine.profile(id).unwrap().key, "no-node-yet");
    assert!(engine.profile(id).unwrap().intermediary);
    // The same key twice, neither with a node.
    d.profiles.push(p);
    let e = Engine::builder(d.clone()).build().unwrap_err();
    match e.kind() {
        crate::ErrorKind::DuplicateKey { at, first, .. } => assert_eq!(
            (at.index, first.as_ref().and_then(|f| f.index)),
            (Some(last + 1), Some(last))
        ),
        _ => panic!("{e}"),
    }
    assert_eq!(d.validate().unwrap_err().to_string(), e.to_string());
}

#[test]
fn engine_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
}

/// The sample's engine, and the index of a person who relays on some host's strongest path
/// to another person (so withdrawing their consent changes what the host reaches).
fn sample_with_a_relay() -> (Engine, usize) {
    let dir = crate::io::bundled_reference_dir();
    let reference = std::sync::Arc::new(crate::io::load_reference(&dir).unwrap());
    let dataset = crate::io::load_dataset(dir.parent().unwrap().join("sample"), reference).unwrap();
    let engine = Engine::builder(dataset).build().unwrap();
    let net = &engine.network;
    let relay = engine
        .host_strengths
        .values()
        .flat_map(|s| s.iter().filter_map(|(n, _)| s.path_to(net, n)))
        .flat_map(|path| {
            let inner: Vec<_> = path.nodes().collect();
            inner[1..inner.len().saturating_sub(1)].to_vec()
        })
        .find_map(|n| engine.profile_nodes.profile(n))
        .expect("the sample has a person relaying on a host's path");
    (engine, relay as usize)
}

/// What a user of the engine can see of the network: consent per node; per opportunity its
/// candidates, and per person the referral path and the network component; per person the
/// opportunities found for them.
fn network_answers(engine: &Engine) -> Vec<String> {
    let net = engine.network();
    let mut out: Vec<String> = (0..net.node_count() as u32)
        .map(|n| format!("{n}:{}", net.is_intermediary(NodeId::new(n))))
        .collect();
    for p in 0..engine.profile_count() as u32 {
        let found = engine.opportunities_for(ProfileId::new(p), 5).unwrap();
        out.push(format!("{p} {found:?}"));
    }
    for o in 0..engine.opportunities.len() as u32 {
        let o = OpportunityId::new(o);
        out.push(format!("{o:?} {:?}", engine.candidates(o, 20).unwrap()));
        for p in 0..engine.profile_count() as u32 {
            let p = ProfileId::new(p);
            let path = engine.referral_path(p, o).unwrap();
            let explanation = engine.explain(p, o).unwrap();
            let network = explanation.component(Component::Network);
            out.push(format!("{o:?} {p:?} {path:?} {network:?}"));
        }
    }
    out
}

/// The engine rebuilt from scratch on what it holds now.
fn rebuilt(engine: &Engine) -> Engine {
    Engine::builder(engine.to_dataset()).build().unwrap()
}

/// An added profile keeps its consent to relay, as a loaded one does: it is a node of the
/// network (without ties), [`Engine::profile`] gives the consent back, an update changes it,
/// the rebuilt engine agrees, and an erasure removes the node.
#[test]
fn an_added_profile_keeps_its_consent() {
    let (mut engine, relay) = sample_with_a_relay();
    let mut p = engine.profile(ProfileId::new(relay as u32)).unwrap();
    p.key = "added-1".into();
    p.intermediary = true;
    let id = engine.add_profile(p.clone()).unwrap();
    let node = engine.network().node("added-1").unwrap();
    assert!(engine.network().is_intermediary(node));
    assert_eq!(engine.network().degree(node), 0);
    assert!(engine.profile(id).unwrap().intermediary);
    assert_eq!(
        rebuilt(&engine).profile(id).unwrap(),
        engine.profile(id).unwrap()
    );
    p.intermediary = false;
    engine.update_profile(id, p).unwrap();
    assert!(!engine.profile(id).unwrap().intermediary);
    assert!(!engine.network().is_intermediary(node));
    engine.remove_profile(id).unwrap();
    assert_eq!(engine.network().node("added-1"), None);
}

/// Consent withdrawn through `update_profile` reaches every structure at once: the node, the
/// referral paths and the hosts' network components are those of an engine rebuilt on the
/// updated data, before and after compaction; given again, it is honoured again.
#[test]
fn consent_changed_by_an_update_reaches_every_structure() {
    let (mut engine, relay) = sample_with_a_relay();
    let id = ProfileId::new(relay as u32);
    let node = engine
        .network()
        .node(engine.local_key(relay as u32))
        .unwrap();
    let before = network_answers(&engine);
    for consent in [false, true] {
        let mut p = engine.profile(id).unwrap();
        p.intermediary = consent;
        engine.update_profile(id, p).unwrap();
        assert_eq!(engine.network().is_intermediary(node), consent);
        let expected = network_answers(&rebuilt(&engine));
        assert_eq!(network_answers(&engine), expected);
        engine.compact().unwrap();
        assert_eq!(network_answers(&engine), expected);
        if !consent {
            assert_ne!(expected, before, "withdrawing consent changed nothing");
            for s in engine.host_strengths.values() {
                for (n, _) in s.iter() {
                    let path = s.path_to(engine.network(), n).unwrap();
                    let nodes: Vec<_> = path.nodes().collect();
                    assert!(!nodes[1..nodes.len() - 1].contains(&node));
                }
            }
        }
    }
    assert_eq!(network_answers(&engine), before);
}

/// The engine keeps its hosts' strengths without their paths and searches a path again when
/// asked: the paths are those of a fresh search that keeps its layers, before and after a
/// change of consent moves them.
#[test]
fn paths_searched_again_are_the_kept_searches_paths() {
    let (mut engine, relay) = sample_with_a_relay();
    let same = |engine: &Engine| {
        let net = engine.network();
        let hops = engine.config.network_max_hops;
        let mut found = 0;
        for (o, opp) in engine.opportunities.iter().enumerate() {
            let fresh = net.strengths_from(opp.host, hops).ok();
            for p in engine.profile_ids() {
                let kept = engine
                    .referral_path(p, OpportunityId::new(o as u32))
                    .unwrap();
                let node = engine.view(p).unwrap().node;
                let want = match (&fresh, node) {
                    (Some(s), Some(n)) => s.path_to(net, n).map(|path| path.reversed()),
                    _ => None,
                };
                found += usize::from(kept.is_some());
                assert_eq!(kept, want, "{p:?} {o}");
            }
        }
        assert!(found > 0, "no path at all");
    };
    same(&engine);
    let id = ProfileId::new(relay as u32);
    let mut p = engine.profile(id).unwrap();
    p.intermediary = false;
    engine.update_profile(id, p).unwrap();
    same(&engine);
}
