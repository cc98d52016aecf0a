//! The network on small hand-made graphs.

use crate::error::ErrorKind;
use crate::id::NodeId;

use super::*;

fn tie(kind: TieKind, strength: f32) -> Tie {
    Tie { kind, strength }
}

#[test]
fn strongest_path_prefers_strength_and_respects_consent_and_hops() {
    let mut n = Network::new();
    let a = n.add_node("a", NodeKind::Person, true).unwrap();
    let b = n.add_node("b", NodeKind::Person, true).unwrap();
    let c = n.add_node("c", NodeKind::Person, false).unwrap();
    let org = n.add_node("org", NodeKind::Organisation, false).unwrap();
    n.add_tie(a, b, tie(TieKind::Alumni, 0.8)).unwrap();
    n.add_tie(b, org, tie(TieKind::Organisational, 0.9))
        .unwrap();
    n.add_tie(a, c, tie(TieKind::Family, 1.0)).unwrap();
    n.add_tie(c, org, tie(TieKind::Colleague, 1.0)).unwrap();
    n.add_tie(a, org, tie(TieKind::Community, 0.1)).unwrap();
    // c would give 1.0 but has not consented to relay.
    let p = n.strongest_path(a, org, 3).unwrap().unwrap();
    assert_eq!(p.nodes().collect::<Vec<_>>(), [a, b, org]);
    assert!((p.strength - 0.72).abs() < 1e-6);
    assert_eq!(
        n.describe(&p),
        "a -(alumni 0.80)- b -(organisational 0.90)- org"
    );
    // c can still be an end.
    assert_eq!(n.strongest_path(org, c, 1).unwrap().unwrap().strength, 1.0);
    // With one hop only the direct, weak tie remains.
    let p = n.strongest_path(a, org, 1).unwrap().unwrap();
    assert_eq!((p.hops.len(), p.strength), (1, 0.1));
    assert!(n.strongest_path(a, org, 0).unwrap().is_none());
    let r = p.reversed();
    assert_eq!((r.start, r.end()), (org, a));
}

#[test]
fn bad_ties_are_refused() {
    let mut n = Network::new();
    let a = n.add_node("a", NodeKind::Person, true).unwrap();
    let b = n.add_node("b", NodeKind::Person, true).unwrap();
    assert!(n.add_node("a", NodeKind::Person, true).is_err());
    for s in [0.0, -0.5, 1.5, f32::NAN, f32::INFINITY] {
        assert!(n.add_tie(a, b, tie(TieKind::Family, s)).is_err(), "{s}");
    }
    assert!(n.add_tie(a, a, tie(TieKind::Family, 0.5)).is_err());
    assert!(matches!(
        n.add_tie(a, NodeId::new(9), tie(TieKind::Family, 0.5))
            .unwrap_err()
            .kind(),
        ErrorKind::UnknownId { .. }
    ));
    assert!(n.strengths_from(NodeId::new(9), 2).is_err());
    assert_eq!(n.tie_count(), 0);
}

/// The adjacency kept in place (a node without ties added, consent changed, a node removed
/// with or without ties) equals the one built afresh, and so do the paths read from it.
#[test]
fn adjacency_kept_in_place_equals_a_rebuilt_one() {
    let mut n = Network::new();
    let a = n.add_node("a", NodeKind::Person, true).unwrap();
    let b = n.add_node("b", NodeKind::Person, true).unwrap();
    let org = n.add_node("org", NodeKind::Organisation, false).unwrap();
    n.add_tie(a, b, tie(TieKind::Alumni, 0.8)).unwrap();
    n.add_tie(b, org, tie(TieKind::Mentor, 0.9)).unwrap();
    let rebuilt = |n: &Network| adjacency::Adjacency::build(&n.nodes, &n.ties);
    assert!(n.strongest_path(a, org, 3).unwrap().is_some());
    let lone = n.add_node("lone", NodeKind::Person, true).unwrap();
    assert_eq!(*n.adjacency(), rebuilt(&n));
    n.set_intermediary(b, false).unwrap();
    assert_eq!(*n.adjacency(), rebuilt(&n));
    assert!(n.strongest_path(a, org, 3).unwrap().is_none());
    n.set_intermediary(b, true).unwrap();
    n.remove_node(lone).unwrap();
    assert_eq!(*n.adjacency(), rebuilt(&n));
    assert!(n.strongest_path(a, org, 3).unwrap().is_some());
    n.remove_node(b).unwrap();
    assert_eq!(*n.adjacency(), rebuilt(&n));
    assert!(n.strongest_path(a, org, 3).unwrap().is_none());
    // A node in the middle of the rows, tied twice to one neighbour and once to another.
    let c = n.add_node("c", NodeKind::Person, true).unwrap();
    let d = n.add_node("d", NodeKind::Person, true).unwrap();
    n.add_tie(a, c, tie(TieKind::Family, 0.5)).unwrap();
    n.add_tie(c, org, tie(TieKind::Colleague, 0.6)).unwrap();
    n.add_tie(org, c, tie(TieKind::Mentor, 0.7)).unwrap();
    n.add_tie(a, d, tie(TieKind::Alumni, 0.4)).unwrap();
    assert!(n.strongest_path(a, org, 3).unwrap().is_some());
    n.remove_node(c).unwrap();
    assert_eq!(*n.adjacency(), rebuilt(&n));
    assert!(n.strongest_path(a, org, 3).unwrap().is_none());
    assert_eq!(n.neighbours(a).map(|t| t.0).collect::<Vec<_>>(), [d]);
}
